//! Instance types: a built-in table of common EC2 types and user-defined types for custom
//! hardware (a board is an instance type too). SEMANTICS §6, §7 and §4.2.

use core::fmt;

use super::image::Architecture;

use crate::catalog::CatalogError;

/// Longest instance type name we store (`u-24tb1.112xlarge` is 17; boards get room to spare).
pub const TYPE_NAME_MAX: usize = 32;

/// A validated instance type name such as `c5n.9xlarge`: `family.size`, lowercase ASCII letters,
/// digits and dashes, one dot, at most [`TYPE_NAME_MAX`] bytes.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeName(heapless::String<TYPE_NAME_MAX>);

/// Serialised as its text; a snapshot's name is validated again on the way in.
impl serde::Serialize for TypeName {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for TypeName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = heapless::String::<TYPE_NAME_MAX>::deserialize(d)?;
        Self::parse(&text).map_err(|_| serde::de::Error::custom("invalid instance type name"))
    }
}

impl TypeName {
    /// Validates and stores `name`.
    ///
    /// # Errors
    /// [`CatalogError::InvalidTypeName`] unless `name` is `family.size` as described above.
    pub fn parse(name: &str) -> Result<Self, CatalogError> {
        let (family, size) = name.split_once('.').ok_or(CatalogError::InvalidTypeName)?;
        let part_ok = |p: &str| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
                && !p.starts_with('-')
        };
        if !part_ok(family) || !part_ok(size) {
            return Err(CatalogError::InvalidTypeName);
        }
        let mut s = heapless::String::new();
        s.push_str(name)
            .map_err(|_| CatalogError::InvalidTypeName)?;
        Ok(Self(s))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The part before the dot (`c5n` in `c5n.9xlarge`).
    pub fn family(&self) -> &str {
        self.0.split_once('.').map_or("", |(f, _)| f)
    }

    /// The part after the dot (`9xlarge` in `c5n.9xlarge`).
    pub fn size(&self) -> &str {
        self.0.split_once('.').map_or("", |(_, s)| s)
    }

    /// The processor architecture of the type, from its name as EC2 names families
    /// (SEMANTICS §7): `a1` and families with the Graviton capability letter `g` after the
    /// generation (`m6g`, `t4g`, `c7gn`, `g5g`) are `arm64`; `mac1` is `x86_64_mac` and later
    /// Mac families `arm64_mac`; every other family is `x86_64`.
    pub fn architecture(&self) -> Architecture {
        let family = self.family();
        let series = self.series();
        if series == "mac" {
            return if family == "mac1" {
                Architecture::X86_64Mac
            } else {
                Architecture::Arm64Mac
            };
        }
        if family == "a1" {
            return Architecture::Arm64;
        }
        let rest = family.get(series.len()..).unwrap_or("");
        let capabilities = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        let capabilities = capabilities.split('-').next().unwrap_or("");
        if capabilities.contains('g') {
            Architecture::Arm64
        } else {
            Architecture::X86_64
        }
    }

    /// Whether an image of architecture `image` runs on this type: the same architecture, or
    /// a 32-bit `i386` image on the older x86 families that still take one (`t1`, `t2`, `m1`,
    /// `m2`, `m3`, `c1`, `c3`), as `SupportedArchitectures` lists them (SEMANTICS §7).
    pub fn runs(&self, image: Architecture) -> bool {
        self.runs_as(self.architecture(), image)
    }

    /// [`TypeName::runs`] for a type of architecture `own` (a custom type states its own).
    fn runs_as(&self, own: Architecture, image: Architecture) -> bool {
        own == image
            || (image == Architecture::I386
                && own == Architecture::X86_64
                && matches!(
                    self.family(),
                    "t1" | "t2" | "m1" | "m2" | "m3" | "c1" | "c3"
                ))
    }

    /// Whether the type is bare metal (`m5.metal`, `c7i.metal-24xl`), which cannot hibernate
    /// (SEMANTICS §1.3).
    pub fn is_bare_metal(&self) -> bool {
        let size = self.size();
        size == "metal" || size.starts_with("metal-")
    }

    /// The series letters of the family (`c` in `c5n`, `inf` in `inf2`, `u` in `u-6tb1`).
    pub fn series(&self) -> &str {
        let family = self.family();
        let end = family
            .find(|c: char| !c.is_ascii_lowercase())
            .unwrap_or(family.len());
        family.get(..end).unwrap_or("")
    }
}

impl fmt::Display for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for TypeName {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=str}", self.as_str());
    }
}

vocabulary! {
    /// The instance type category, as the EC2 User Guide groups families (SEMANTICS §7). The
    /// last alias is how the guide's prose names it (`"general purpose"`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[non_exhaustive]
    pub enum Category: "instance type category" {
        /// M, A, Mac: balanced compute, memory and network (the default of a custom type).
        #[default]
        GeneralPurpose = 0 => "general_purpose" | "GeneralPurpose" | "general purpose",
        /// T: burstable performance with CPU credits.
        Burstable = 1 => "burstable" | "Burstable",
        /// C: compute optimized.
        ComputeOptimized = 2 => "compute_optimized" | "ComputeOptimized" | "compute optimized",
        /// R, X, U, z: memory optimized.
        MemoryOptimized = 3 => "memory_optimized" | "MemoryOptimized" | "memory optimized",
        /// I, D, H: storage optimized.
        StorageOptimized = 4 => "storage_optimized" | "StorageOptimized" | "storage optimized",
        /// P, G, Inf, Trn, DL, F, VT: GPUs and other accelerators.
        Accelerated = 5 => "accelerated" | "Accelerated" | "accelerated computing",
        /// Hpc: high-performance computing.
        HighPerformance = 6 => "high_performance" | "HighPerformance" | "hpc optimized",
    }
}

impl Category {
    /// The category of an AWS series (`"c"`, `"inf"` …), or `None` for a name EC2 does not use.
    pub fn of_series(series: &str) -> Option<Self> {
        Some(match series {
            "m" | "a" | "mac" => Self::GeneralPurpose,
            "t" => Self::Burstable,
            "c" => Self::ComputeOptimized,
            "r" | "x" | "u" | "z" => Self::MemoryOptimized,
            "i" | "im" | "is" | "d" | "h" => Self::StorageOptimized,
            "p" | "g" | "inf" | "trn" | "dl" | "f" | "vt" => Self::Accelerated,
            "hpc" => Self::HighPerformance,
            _ => return None,
        })
    }
}

/// A Reserved Instance normalization factor, held in quarter units so that `nano` (0.25) is
/// exact in integer arithmetic (SEMANTICS §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct NormalizationFactor {
    quarters: u32,
}

impl NormalizationFactor {
    /// A factor of `quarters / 4` (so `from_quarters(1)` is nano's 0.25).
    pub const fn from_quarters(quarters: u32) -> Self {
        Self { quarters }
    }

    /// A whole-number factor (`large` is 4), saturating.
    pub const fn from_units(units: u32) -> Self {
        Self {
            quarters: units.saturating_mul(4),
        }
    }

    /// The factor in quarter units.
    pub const fn quarters(self) -> u32 {
        self.quarters
    }

    /// The factor of an EC2 size name (`nano` … `112xlarge`), or `None` for `metal` and unknown
    /// sizes, whose factor depends on the family (SEMANTICS §4.2).
    pub fn of_size(size: &str) -> Option<Self> {
        let units = match size {
            "nano" => return Some(Self::from_quarters(1)),
            "micro" => return Some(Self::from_quarters(2)),
            "small" => 1,
            "medium" => 2,
            "large" => 4,
            "xlarge" => 8,
            _ => {
                let n: u32 = size.strip_suffix("xlarge")?.parse().ok()?;
                // Published sizes only: 2, 3, 4, 6, 8, 9, 10, 12, 16, 18, 24, 32, 56, 112 xlarge.
                if !matches!(
                    n,
                    2 | 3 | 4 | 6 | 8 | 9 | 10 | 12 | 16 | 18 | 24 | 32 | 56 | 112
                ) {
                    return None;
                }
                n.checked_mul(8)?
            }
        };
        Some(Self::from_units(units))
    }
}

/// Prints the factor as the documentation does: `0.25`, `0.5`, `4`.
impl fmt::Display for NormalizationFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.quarters / 4;
        match self.quarters % 4 {
            0 => write!(f, "{whole}"),
            1 => write!(f, "{whole}.25"),
            2 => write!(f, "{whole}.5"),
            _ => write!(f, "{whole}.75"),
        }
    }
}

/// What an instance type offers: size, accelerators, networking limits and RI weight.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct InstanceType {
    /// The name, such as `m5.large`.
    pub name: TypeName,
    /// The category.
    pub category: Category,
    /// Virtual CPUs.
    pub vcpus: u16,
    /// Memory in MiB (`t3.nano`'s 0.5 GiB is 512).
    pub memory_mib: u32,
    /// GPUs or other accelerators.
    pub accelerators: u8,
    /// The most network interfaces an instance of this type can have (SEMANTICS §6).
    pub max_enis: u8,
    /// The most private IPv4 addresses per interface (SEMANTICS §6).
    pub ipv4_per_eni: u8,
    /// The Reserved Instance normalization factor (SEMANTICS §4.2).
    pub normalization: NormalizationFactor,
    /// The processor architecture (`ProcessorInfo.SupportedArchitectures`): a built-in type's
    /// follows from its name ([`TypeName::architecture`]); a custom type states its own, and
    /// takes the same rule from its name when it does not (`x86_64` for a name that is not an
    /// EC2 family, such as `board-v2.small`), SEMANTICS §7.
    pub architecture: Architecture,
}

impl InstanceType {
    /// A user-defined type for custom hardware: one network interface with one IPv4 address, no
    /// accelerators, a normalization factor of 1 and the architecture its name gives
    /// ([`TypeName::architecture`]) until the caller sets those fields.
    ///
    /// The fields are public so a board can describe itself fully; [`crate::catalog::Catalog`]
    /// checks them again with [`InstanceType::validate`] when the type is added.
    ///
    /// # Errors
    /// [`CatalogError::InvalidTypeName`] for a bad name; [`CatalogError::OutOfRange`] when
    /// vCPUs or memory is zero.
    pub fn custom(
        name: &str,
        category: Category,
        vcpus: u16,
        memory_mib: u32,
    ) -> Result<Self, CatalogError> {
        let name = TypeName::parse(name)?;
        let t = Self {
            architecture: name.architecture(),
            name,
            category,
            vcpus,
            memory_mib,
            accelerators: 0,
            max_enis: 1,
            ipv4_per_eni: 1,
            normalization: NormalizationFactor::from_units(1),
        };
        t.validate()?;
        Ok(t)
    }

    /// Checks every numeric field is in range.
    ///
    /// # Errors
    /// [`CatalogError::OutOfRange`] naming the first field that is zero.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let zero = [
            (self.vcpus == 0, "VCpuInfo.DefaultVCpus"),
            (self.memory_mib == 0, "MemoryInfo.SizeInMiB"),
            (self.max_enis == 0, "NetworkInfo.MaximumNetworkInterfaces"),
            (
                self.ipv4_per_eni == 0,
                "NetworkInfo.Ipv4AddressesPerInterface",
            ),
            (self.normalization.quarters() == 0, "NormalizationFactor"),
        ];
        match zero.iter().find(|(bad, _)| *bad) {
            Some((_, field)) => Err(CatalogError::OutOfRange { field }),
            None => Ok(()),
        }
    }

    /// The most memory an instance type may have to hibernate: under 150 GiB (SEMANTICS §1.3).
    pub const HIBERNATION_MEMORY_MIB: u32 = 150 * 1024;

    /// Whether the type meets hibernation's prerequisites on size: less than 150 GiB of memory
    /// and not bare metal (SEMANTICS §1.3, `EC2-UG:hibernating-prerequisites`).
    pub fn can_hibernate(&self) -> bool {
        self.memory_mib < Self::HIBERNATION_MEMORY_MIB && !self.name.is_bare_metal()
    }

    /// Whether an image of architecture `image` runs on this type: its own architecture, or
    /// `i386` on the older x86 families that take it ([`TypeName::runs`]), SEMANTICS §7.
    pub fn runs(&self, image: Architecture) -> bool {
        self.name.runs_as(self.architecture, image)
    }

    /// Looks a name up in the built-in table.
    ///
    /// # Errors
    /// [`CatalogError::InvalidTypeName`] for a malformed name,
    /// [`CatalogError::UnknownInstanceType`] for a name not in the table.
    pub fn builtin(name: &str) -> Result<Self, CatalogError> {
        let parsed = TypeName::parse(name)?;
        let row = BUILTIN
            .iter()
            .find(|r| r.name == name)
            .ok_or(CatalogError::UnknownInstanceType)?;
        row.to_type(parsed)
    }

    /// The names in the built-in table, in table order.
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|r| r.name)
    }
}

/// One row of the built-in table; category and normalization follow from the name.
struct Row {
    name: &'static str,
    vcpus: u16,
    memory_mib: u32,
    accelerators: u8,
    max_enis: u8,
    ipv4_per_eni: u8,
    /// Only for `metal`, whose factor is that of the family's largest virtual size.
    metal_units: u32,
}

impl Row {
    fn to_type(&self, name: TypeName) -> Result<InstanceType, CatalogError> {
        let category =
            Category::of_series(name.series()).ok_or(CatalogError::UnknownInstanceType)?;
        let normalization = match NormalizationFactor::of_size(name.size()) {
            Some(n) => n,
            None => NormalizationFactor::from_units(self.metal_units),
        };
        let t = InstanceType {
            architecture: name.architecture(),
            name,
            category,
            vcpus: self.vcpus,
            memory_mib: self.memory_mib,
            accelerators: self.accelerators,
            max_enis: self.max_enis,
            ipv4_per_eni: self.ipv4_per_eni,
            normalization,
        };
        t.validate()?;
        Ok(t)
    }
}

const fn row(name: &'static str, vcpus: u16, gib_x4: u32, acc: u8, enis: u8, ipv4: u8) -> Row {
    // Memory is written in quarter GiB so that 0.5 GiB and 15.25 GiB are exact.
    Row {
        name,
        vcpus,
        memory_mib: gib_x4.saturating_mul(256),
        accelerators: acc,
        max_enis: enis,
        ipv4_per_eni: ipv4,
        metal_units: 0,
    }
}

const fn metal(name: &'static str, vcpus: u16, gib: u32, enis: u8, ipv4: u8, units: u32) -> Row {
    Row {
        name,
        vcpus,
        memory_mib: gib.saturating_mul(1024),
        accelerators: 0,
        max_enis: enis,
        ipv4_per_eni: ipv4,
        metal_units: units,
    }
}

/// vCPUs, memory (quarter GiB), accelerators, max ENIs, IPv4 per ENI: from the EC2 User Guide
/// pages cited in SEMANTICS §6 and §7.
static BUILTIN: [Row; 34] = [
    row("t2.micro", 1, 4, 0, 2, 2),
    row("t2.small", 1, 8, 0, 3, 4),
    row("t2.medium", 2, 16, 0, 3, 6),
    row("t2.large", 2, 32, 0, 3, 12),
    row("t3.nano", 2, 2, 0, 2, 2),
    row("t3.micro", 2, 4, 0, 2, 2),
    row("t3.small", 2, 8, 0, 3, 4),
    row("t3.medium", 2, 16, 0, 3, 6),
    row("t3.large", 2, 32, 0, 3, 12),
    row("t3.xlarge", 4, 64, 0, 4, 15),
    row("t3.2xlarge", 8, 128, 0, 4, 15),
    row("t4g.nano", 2, 2, 0, 2, 2),
    row("t4g.micro", 2, 4, 0, 2, 2),
    row("t4g.small", 2, 8, 0, 3, 4),
    row("a1.medium", 1, 8, 0, 2, 4),
    row("m5.large", 2, 32, 0, 3, 10),
    row("m5.xlarge", 4, 64, 0, 4, 15),
    row("m5.2xlarge", 8, 128, 0, 4, 15),
    row("m5.4xlarge", 16, 256, 0, 8, 30),
    row("m5.24xlarge", 96, 1536, 0, 15, 50),
    metal("m5.metal", 96, 384, 15, 50, 192),
    row("m6g.medium", 1, 16, 0, 2, 4),
    row("m6g.large", 2, 32, 0, 3, 10),
    row("m7g.large", 2, 32, 0, 3, 10),
    row("c5.large", 2, 16, 0, 3, 10),
    row("c5.xlarge", 4, 32, 0, 4, 15),
    row("c5n.9xlarge", 36, 384, 0, 8, 30),
    row("c7g.large", 2, 16, 0, 3, 10),
    row("r5.large", 2, 64, 0, 3, 10),
    row("r5.xlarge", 4, 128, 0, 4, 15),
    row("i3.large", 2, 61, 0, 3, 10),
    metal("i3.metal", 72, 512, 15, 50, 128),
    row("g5.xlarge", 4, 64, 1, 4, 15),
    row("p4d.24xlarge", 96, 4608, 8, 60, 50),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    #[test]
    fn builtin_rows_match_semantics() {
        // (name, vCPU, MiB, accelerators, ENIs, IPv4/ENI, normalization quarters)
        let expect: [(&str, u16, u32, u8, u8, u8, u32); 8] = [
            ("t3.nano", 2, 512, 0, 2, 2, 1),
            ("t3.micro", 2, 1024, 0, 2, 2, 2),
            ("t3.large", 2, 8192, 0, 3, 12, 16),
            ("m5.xlarge", 4, 16384, 0, 4, 15, 32),
            ("m5.24xlarge", 96, 393_216, 0, 15, 50, 768),
            ("g5.xlarge", 4, 16384, 1, 4, 15, 32),
            ("p4d.24xlarge", 96, 1_179_648, 8, 60, 50, 768),
            ("i3.metal", 72, 524_288, 0, 15, 50, 512),
        ];
        for (name, vcpus, mib, acc, enis, ipv4, q) in expect {
            let t = InstanceType::builtin(name).unwrap();
            assert_eq!(
                (
                    t.vcpus,
                    t.memory_mib,
                    t.accelerators,
                    t.max_enis,
                    t.ipv4_per_eni
                ),
                (vcpus, mib, acc, enis, ipv4),
                "{name}"
            );
            assert_eq!(t.normalization.quarters(), q, "{name}");
        }
    }

    #[test]
    fn every_builtin_row_is_valid() {
        for name in InstanceType::builtin_names() {
            let t = InstanceType::builtin(name).unwrap();
            assert_eq!(t.name.as_str(), name);
        }
    }

    #[test]
    fn categories_follow_the_series() {
        let cases = [
            ("t3.micro", Category::Burstable),
            ("m7g.large", Category::GeneralPurpose),
            ("c5n.9xlarge", Category::ComputeOptimized),
            ("r5.large", Category::MemoryOptimized),
            ("i3.large", Category::StorageOptimized),
            ("g5.xlarge", Category::Accelerated),
            ("p4d.24xlarge", Category::Accelerated),
        ];
        for (name, cat) in cases {
            assert_eq!(InstanceType::builtin(name).unwrap().category, cat, "{name}");
        }
        assert_eq!(Category::of_series("inf"), Some(Category::Accelerated));
        assert_eq!(Category::of_series("hpc"), Some(Category::HighPerformance));
        assert_eq!(Category::of_series("zz"), None);
    }

    #[test]
    fn normalization_factors_follow_the_published_table() {
        let table = [
            ("nano", "0.25"),
            ("micro", "0.5"),
            ("small", "1"),
            ("medium", "2"),
            ("large", "4"),
            ("xlarge", "8"),
            ("2xlarge", "16"),
            ("3xlarge", "24"),
            ("9xlarge", "72"),
            ("24xlarge", "192"),
            ("112xlarge", "896"),
        ];
        for (size, factor) in table {
            assert_eq!(
                NormalizationFactor::of_size(size).unwrap().to_string(),
                factor,
                "{size}"
            );
        }
        assert_eq!(NormalizationFactor::of_size("5xlarge"), None);
        assert_eq!(NormalizationFactor::of_size("metal"), None);
        assert_eq!(NormalizationFactor::of_size("huge"), None);
    }

    #[test]
    fn type_names_are_validated() {
        let n = TypeName::parse("c5n.9xlarge").unwrap();
        assert_eq!((n.family(), n.size(), n.series()), ("c5n", "9xlarge", "c"));
        assert_eq!(TypeName::parse("u-6tb1.112xlarge").unwrap().series(), "u");
        for bad in [
            "",
            "m5",
            "m5.",
            ".large",
            "M5.large",
            "m5.large ",
            "m5..large",
            "-a.b",
        ] {
            assert_eq!(
                TypeName::parse(bad),
                Err(CatalogError::InvalidTypeName),
                "{bad:?}"
            );
        }
        assert_eq!(
            TypeName::parse("a-very-long-board-family-name.large"),
            Err(CatalogError::InvalidTypeName)
        );
        assert_eq!(
            InstanceType::builtin("m5.huge"),
            Err(CatalogError::UnknownInstanceType)
        );
    }

    #[test]
    fn custom_types_reject_zero_values() {
        let mut board =
            InstanceType::custom("rpi4.board", Category::GeneralPurpose, 4, 4096).unwrap();
        assert_eq!(board.name.family(), "rpi4");
        assert_eq!(board.validate(), Ok(()));
        board.max_enis = 0;
        assert_eq!(
            board.validate(),
            Err(CatalogError::OutOfRange {
                field: "NetworkInfo.MaximumNetworkInterfaces"
            })
        );
        assert_eq!(
            InstanceType::custom("rpi4.board", Category::GeneralPurpose, 0, 4096),
            Err(CatalogError::OutOfRange {
                field: "VCpuInfo.DefaultVCpus"
            })
        );
    }
}
