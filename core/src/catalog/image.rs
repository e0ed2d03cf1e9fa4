//! Amazon Machine Images: what an instance boots (SEMANTICS §7).

use crate::catalog::CatalogError;
use crate::id::ImageId;

/// Longest AMI name the service accepts.
pub const IMAGE_NAME_MAX: usize = 128;
/// Longest AMI (and launch template version) description the service accepts.
pub const DESCRIPTION_MAX: usize = 255;

vocabulary! {
    /// The processor architecture of an image (`API-EC2:ArchitectureValues`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum Architecture: "architecture" {
        /// 32-bit x86.
        I386 = 0 => "i386",
        /// 64-bit x86.
        X86_64 = 1 => "x86_64",
        /// 64-bit Arm (Graviton, and most boards).
        Arm64 = 2 => "arm64",
        /// 64-bit x86 Mac.
        X86_64Mac = 3 => "x86_64_mac",
        /// 64-bit Arm Mac.
        Arm64Mac = 4 => "arm64_mac",
    }
}

vocabulary! {
    /// Where the root volume lives; decides whether an instance can be stopped (SEMANTICS §1.2).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum RootDeviceType: "root device type" {
        /// An EBS volume: the instance can stop, start and hibernate.
        Ebs = 0 => "ebs",
        /// Instance store: the instance can only run and terminate.
        InstanceStore = 1 => "instance-store" | "instance_store",
    }
}

vocabulary! {
    /// The firmware an image boots with (`API-EC2:BootModeValues`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum BootMode: "boot mode" {
        /// Legacy BIOS.
        LegacyBios = 0 => "legacy-bios" | "legacy_bios",
        /// UEFI.
        Uefi = 1 => "uefi",
        /// UEFI where the instance type supports it, else legacy BIOS.
        UefiPreferred = 2 => "uefi-preferred" | "uefi_preferred",
    }
}

/// `parse` for the image enums: any spelling, or [`CatalogError::OutOfRange`] naming the
/// field (the error code Python and C report for them).
macro_rules! parse_or_out_of_range {
    ($($name:ident),+) => {$(
        impl $name {
            /// Parses the service's spelling (or an alias).
            ///
            /// # Errors
            /// [`CatalogError::OutOfRange`] naming the field for any other text.
            pub fn parse(s: &str) -> Result<Self, CatalogError> {
                <Self as crate::vocab::Vocabulary>::from_name(s)
                    .ok_or(CatalogError::OutOfRange { field: stringify!($name) })
            }
        }
    )+};
}

parse_or_out_of_range!(Architecture, RootDeviceType, BootMode);

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
