//! Amazon Machine Images: what an instance boots (SEMANTICS §7).

use core::fmt;

use crate::catalog::CatalogError;
use crate::id::ImageId;

/// Longest AMI name the service accepts.
pub const IMAGE_NAME_MAX: usize = 128;
/// Longest AMI (and launch template version) description the service accepts.
pub const DESCRIPTION_MAX: usize = 255;

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// The service's spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }

            /// Parses the service's spelling.
            ///
            /// # Errors
            /// [`CatalogError::OutOfRange`] naming the field for any other text.
            pub fn parse(s: &str) -> Result<Self, CatalogError> {
                match s {
                    $($text => Ok(Self::$variant),)*
                    _ => Err(CatalogError::OutOfRange { field: stringify!($name) }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// The processor architecture of an image (`API-EC2:ArchitectureValues`).
    Architecture {
        /// 32-bit x86.
        I386 => "i386",
        /// 64-bit x86.
        X86_64 => "x86_64",
        /// 64-bit Arm (Graviton, and most boards).
        Arm64 => "arm64",
        /// 64-bit x86 Mac.
        X86_64Mac => "x86_64_mac",
        /// 64-bit Arm Mac.
        Arm64Mac => "arm64_mac",
    }
}

text_enum! {
    /// Where the root volume lives; decides whether an instance can be stopped (SEMANTICS §1.2).
    RootDeviceType {
        /// An EBS volume: the instance can stop, start and hibernate.
        Ebs => "ebs",
        /// Instance store: the instance can only run and terminate.
        InstanceStore => "instance-store",
    }
}

text_enum! {
    /// The firmware an image boots with.
    BootMode {
        /// Legacy BIOS.
        LegacyBios => "legacy-bios",
        /// UEFI.
        Uefi => "uefi",
        /// UEFI where the instance type supports it, else legacy BIOS.
        UefiPreferred => "uefi-preferred",
    }
}

/// A registered image.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Image {
    /// Its id.
    pub id: ImageId,
    /// Its name: 3–128 characters of letters, digits and `()[] ./-'@_`.
    pub name: heapless::String<IMAGE_NAME_MAX>,
    /// Processor architecture.
    pub architecture: Architecture,
    /// Root device type.
    pub root_device_type: RootDeviceType,
    /// Boot mode.
    pub boot_mode: BootMode,
    /// Free text, up to 255 characters.
    pub description: heapless::String<DESCRIPTION_MAX>,
}

impl Image {
    /// Describes an image, checking the name and description as `RegisterImage` does.
    ///
    /// # Errors
    /// [`CatalogError::InvalidImageName`] for a bad name, [`CatalogError::TooLong`] for a
    /// description over 255 characters.
    pub fn new(
        id: ImageId,
        name: &str,
        architecture: Architecture,
        root_device_type: RootDeviceType,
        boot_mode: BootMode,
        description: &str,
    ) -> Result<Self, CatalogError> {
        let allowed = |c: char| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '(' | ')' | '[' | ']' | ' ' | '.' | '/' | '-' | '\'' | '@' | '_'
                )
        };
        if name.len() < 3 || !name.chars().all(allowed) {
            return Err(CatalogError::InvalidImageName);
        }
        let mut stored_name = heapless::String::new();
        stored_name
            .push_str(name)
            .map_err(|_| CatalogError::InvalidImageName)?;
        Ok(Self {
            id,
            name: stored_name,
            architecture,
            root_device_type,
            boot_mode,
            description: bounded_text(description, "Description")?,
        })
    }
}

/// Copies `text` into a bounded string, or reports which field is too long.
pub(crate) fn bounded_text<const N: usize>(
    text: &str,
    field: &'static str,
) -> Result<heapless::String<N>, CatalogError> {
    let mut s = heapless::String::new();
    s.push_str(text)
        .map_err(|_| CatalogError::TooLong { field, max: N })?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> ImageId {
        ImageId::from_u64(1)
    }

    #[test]
    fn names_follow_register_image_rules() {
        let ok = Image::new(
            id(),
            "fleet-node (v1.2) [arm] @lab_01/'edge'",
            Architecture::Arm64,
            RootDeviceType::Ebs,
            BootMode::Uefi,
            "",
        );
        assert!(ok.is_ok());
        for bad in ["ab", "no*stars", "tab\tname", &"x".repeat(129)] {
            let r = Image::new(
                id(),
                bad,
                Architecture::Arm64,
                RootDeviceType::Ebs,
                BootMode::Uefi,
                "",
            );
            assert_eq!(r, Err(CatalogError::InvalidImageName), "{bad:?}");
        }
        let long = Image::new(
            id(),
            "node",
            Architecture::X86_64,
            RootDeviceType::Ebs,
            BootMode::LegacyBios,
            &"d".repeat(256),
        );
        assert_eq!(
            long,
            Err(CatalogError::TooLong {
                field: "Description",
                max: 255
            })
        );
    }

    #[test]
    fn enums_round_trip_their_service_spelling() {
        for a in [
            Architecture::I386,
            Architecture::X86_64,
            Architecture::Arm64,
            Architecture::X86_64Mac,
            Architecture::Arm64Mac,
        ] {
            assert_eq!(Architecture::parse(a.as_str()), Ok(a));
        }
        assert_eq!(
            RootDeviceType::parse("instance-store"),
            Ok(RootDeviceType::InstanceStore)
        );
        assert_eq!(
            BootMode::parse("uefi-preferred"),
            Ok(BootMode::UefiPreferred)
        );
        assert_eq!(
            Architecture::parse("riscv"),
            Err(CatalogError::OutOfRange {
                field: "Architecture"
            })
        );
    }
}
