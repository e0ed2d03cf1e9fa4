//! Launch templates: immutable numbered versions, a default version, `$Latest` and `$Default`
//! (SEMANTICS §7).
//!
//! - A new template has version 1, which is the default until changed.
//! - Versions are never edited; a change is a new version with the next number.
//! - The default version cannot be deleted; deleted numbers are never reused.
//! - `$Latest` is the highest version number that still exists.

use core::fmt;

use super::image::{DESCRIPTION_MAX, bounded_text};
use super::instance_type::TypeName;
use super::{Market, ShutdownBehavior};
use crate::catalog::CatalogError;
use crate::id::{ImageId, TemplateId};

/// Longest launch template name the service accepts.
pub const TEMPLATE_NAME_MAX: usize = 128;
/// Versions one template may have at once (`EC2-UG:launch-template-restrictions`).
pub const VERSION_QUOTA: usize = 10_000;

/// The launch parameters one version holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LaunchTemplateData {
    /// `ImageId`.
    pub image: ImageId,
    /// `InstanceType`.
    pub instance_type: TypeName,
    /// `InstanceInitiatedShutdownBehavior` (default stop).
    pub shutdown_behavior: ShutdownBehavior,
    /// `HibernationOptions.Configured` (default false).
    pub hibernation_configured: bool,
    /// `DisableApiTermination` (default false).
    pub disable_api_termination: bool,
    /// `InstanceMarketOptions` (default On-Demand).
    pub market: Market,
}

impl LaunchTemplateData {
    /// Data with the service's defaults for everything but image and type.
    pub fn new(image: ImageId, instance_type: TypeName) -> Self {
        Self {
            image,
            instance_type,
            shutdown_behavior: ShutdownBehavior::Stop,
            hibernation_configured: false,
            disable_api_termination: false,
            market: Market::OnDemand,
        }
    }
}

/// Which version a launch uses: a number, `$Latest` or `$Default` (the default when omitted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum VersionSpec {
    /// `$Default`.
    #[default]
    Default,
    /// `$Latest`.
    Latest,
    /// A version number.
    Number(u32),
}

impl VersionSpec {
    /// Parses `$Latest`, `$Default` or a positive decimal number.
    ///
    /// # Errors
    /// [`CatalogError::InvalidVersionSpec`] for anything else.
    pub fn parse(s: &str) -> Result<Self, CatalogError> {
        match s {
            "$Latest" => Ok(Self::Latest),
            "$Default" => Ok(Self::Default),
            _ if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => match s.parse() {
                Ok(n) if n > 0 => Ok(Self::Number(n)),
                _ => Err(CatalogError::InvalidVersionSpec),
            },
            _ => Err(CatalogError::InvalidVersionSpec),
        }
    }
}

impl fmt::Display for VersionSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("$Default"),
            Self::Latest => f.write_str("$Latest"),
            Self::Number(n) => write!(f, "{n}"),
        }
    }
}

/// One immutable version of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TemplateVersion {
    number: u32,
    description: heapless::String<DESCRIPTION_MAX>,
    data: LaunchTemplateData,
}

impl TemplateVersion {
    /// The version number.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The version description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The launch parameters.
    pub fn data(&self) -> &LaunchTemplateData {
        &self.data
    }
}

/// A launch template holding up to `V` versions at once.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LaunchTemplate<const V: usize> {
    id: TemplateId,
    name: heapless::String<TEMPLATE_NAME_MAX>,
    versions: heapless::Vec<TemplateVersion, V>,
    default_version: u32,
    next_number: u32,
}

impl<const V: usize> LaunchTemplate<V> {
    /// `CreateLaunchTemplate`: version 1, which becomes the default.
    ///
    /// The catalog checks that the image and instance type exist; this checks the name.
    ///
    /// # Errors
    /// [`CatalogError::InvalidTemplateName`], [`CatalogError::TooLong`] for the description, or
    /// [`CatalogError::Full`] when `V` is 0.
    pub fn new(
        id: TemplateId,
        name: &str,
        data: LaunchTemplateData,
        description: &str,
    ) -> Result<Self, CatalogError> {
        let valid = (3..=TEMPLATE_NAME_MAX).contains(&name.len())
            && name.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'(' | b')' | b'.' | b'/' | b'_' | b'-')
            });
        if !valid {
            return Err(CatalogError::InvalidTemplateName);
        }
        let mut t = Self {
            id,
            name: bounded_text(name, "LaunchTemplateName")?,
            versions: heapless::Vec::new(),
            default_version: 1,
            next_number: 1,
        };
        t.add_version(data, description)?;
        Ok(t)
    }

    /// The template id.
    pub fn id(&self) -> TemplateId {
        self.id
    }

    /// The template name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `DefaultVersionNumber`.
    pub fn default_version(&self) -> u32 {
        self.default_version
    }

    /// `LatestVersionNumber`: the highest version that exists.
    pub fn latest_version(&self) -> u32 {
        self.versions
            .iter()
            .map(TemplateVersion::number)
            .max()
            .unwrap_or(self.default_version)
    }

    /// The versions that exist, oldest first.
    pub fn versions(&self) -> impl Iterator<Item = &TemplateVersion> {
        self.versions.iter()
    }

    /// `CreateLaunchTemplateVersion`: a new immutable version with the next number.
    ///
    /// # Errors
    /// [`CatalogError::TooLong`] for the description, [`CatalogError::Full`] when `V` versions
    /// exist, [`CatalogError::VersionQuota`] at the service's 10 000.
    pub fn add_version(
        &mut self,
        data: LaunchTemplateData,
        description: &str,
    ) -> Result<u32, CatalogError> {
        if self.versions.len() >= VERSION_QUOTA {
            return Err(CatalogError::VersionQuota);
        }
        let number = self.next_number;
        let next = number.checked_add(1).ok_or(CatalogError::VersionQuota)?;
        let version = TemplateVersion {
            number,
            description: bounded_text(description, "VersionDescription")?,
            data,
        };
        self.versions
            .push(version)
            .map_err(|_| CatalogError::Full {
                table: "versions",
                capacity: V,
            })?;
        self.next_number = next;
        Ok(number)
    }

    /// `ModifyLaunchTemplate --default-version`.
    ///
    /// # Errors
    /// [`CatalogError::UnknownVersion`] if the version does not exist.
    pub fn set_default_version(&mut self, version: u32) -> Result<(), CatalogError> {
        self.version(version)?;
        self.default_version = version;
        Ok(())
    }

    /// `DeleteLaunchTemplateVersions` for one version; its number is never reused.
    ///
    /// # Errors
    /// [`CatalogError::DeleteDefaultVersion`] for the default version,
    /// [`CatalogError::UnknownVersion`] if it does not exist.
    pub fn delete_version(&mut self, version: u32) -> Result<(), CatalogError> {
        if version == self.default_version {
            return Err(CatalogError::DeleteDefaultVersion { version });
        }
        let index = self
            .versions
            .iter()
            .position(|v| v.number == version)
            .ok_or(CatalogError::UnknownVersion { version })?;
        // Order is kept (oldest first) so iteration and snapshots stay deterministic.
        self.versions.remove(index);
        Ok(())
    }

    /// One version by number.
    ///
    /// # Errors
    /// [`CatalogError::UnknownVersion`].
    pub fn version(&self, version: u32) -> Result<&TemplateVersion, CatalogError> {
        self.versions
            .iter()
            .find(|v| v.number == version)
            .ok_or(CatalogError::UnknownVersion { version })
    }

    /// Resolves `$Default`, `$Latest` or a number to the version a launch uses now.
    ///
    /// # Errors
    /// [`CatalogError::UnknownVersion`] for a number that does not exist.
    pub fn resolve(&self, spec: VersionSpec) -> Result<&TemplateVersion, CatalogError> {
        let number = match spec {
            VersionSpec::Default => self.default_version,
            VersionSpec::Latest => self.latest_version(),
            VersionSpec::Number(n) => n,
        };
        self.version(number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    fn data(size: &str) -> LaunchTemplateData {
        let name = TypeName::parse(&["m5.", size].concat()).unwrap();
        LaunchTemplateData::new(ImageId::from_u64(7), name)
    }

    fn template() -> LaunchTemplate<4> {
        LaunchTemplate::new(TemplateId::from_u64(1), "web-nodes", data("large"), "first").unwrap()
    }

    #[test]
    fn version_one_is_the_default_until_changed() {
        let mut t = template();
        assert_eq!(t.default_version(), 1);
        assert_eq!(t.add_version(data("xlarge"), "second"), Ok(2));
        assert_eq!(t.resolve(VersionSpec::Default).unwrap().number(), 1);
        assert_eq!(t.resolve(VersionSpec::Latest).unwrap().number(), 2);
        assert_eq!(
            t.resolve(VersionSpec::Latest)
                .unwrap()
                .data()
                .instance_type
                .size(),
            "xlarge"
        );
        t.set_default_version(2).unwrap();
        assert_eq!(t.resolve(VersionSpec::Default).unwrap().number(), 2);
        assert_eq!(
            t.resolve(VersionSpec::Number(1)).unwrap().description(),
            "first"
        );
    }

    #[test]
    fn default_version_cannot_be_deleted_and_numbers_are_not_reused() {
        let mut t = template();
        assert_eq!(
            t.delete_version(1),
            Err(CatalogError::DeleteDefaultVersion { version: 1 })
        );
        t.add_version(data("xlarge"), "").unwrap();
        t.add_version(data("2xlarge"), "").unwrap();
        t.delete_version(3).unwrap();
        assert_eq!(t.latest_version(), 2);
        assert_eq!(
            t.resolve(VersionSpec::Number(3)),
            Err(CatalogError::UnknownVersion { version: 3 })
        );
        assert_eq!(t.add_version(data("4xlarge"), ""), Ok(4));
        assert_eq!(
            t.delete_version(3),
            Err(CatalogError::UnknownVersion { version: 3 })
        );
        assert_eq!(
            t.set_default_version(9),
            Err(CatalogError::UnknownVersion { version: 9 })
        );
        assert_eq!(t.default_version(), 1);
    }

    #[test]
    fn full_template_refuses_a_version_and_stays_unchanged() {
        let mut t = template();
        for _ in 0..3 {
            t.add_version(data("xlarge"), "").unwrap();
        }
        let before = t.clone();
        assert_eq!(
            t.add_version(data("xlarge"), ""),
            Err(CatalogError::Full {
                table: "versions",
                capacity: 4
            })
        );
        assert_eq!(t, before);
    }

    #[test]
    fn version_specs_parse() {
        assert_eq!(VersionSpec::parse("$Latest"), Ok(VersionSpec::Latest));
        assert_eq!(VersionSpec::parse("$Default"), Ok(VersionSpec::Default));
        assert_eq!(VersionSpec::parse("12"), Ok(VersionSpec::Number(12)));
        for bad in ["", "0", "-1", "+3", "$latest", "1.0", "99999999999"] {
            assert_eq!(
                VersionSpec::parse(bad),
                Err(CatalogError::InvalidVersionSpec),
                "{bad}"
            );
        }
        assert_eq!(VersionSpec::Number(3).to_string(), "3");
    }

    #[test]
    fn template_names_are_checked() {
        for bad in ["ab", "has space", "ünï", &"n".repeat(129)] {
            let r = LaunchTemplate::<2>::new(TemplateId::from_u64(1), bad, data("large"), "");
            assert_eq!(r, Err(CatalogError::InvalidTemplateName), "{bad}");
        }
    }
}
