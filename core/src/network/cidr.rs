//! IPv4 addresses and CIDR blocks with a strict text form (SEMANTICS §6: rule sources and
//! destinations, subnet ranges).
//!
//! Model: the parser accepts exactly `a.b.c.d/n` in decimal: four octets of 1–3 digits, each at
//! most 255, with no leading zero (`010` could mean octal 8 to one reader and ten to another, so
//! it is refused rather than guessed), and a prefix of at most 32 without a leading zero. No
//! spaces, signs or shorthand (`10/8`, `10.1/16`).
//!
//! Host bits: [`Ipv4Cidr::parse`] refuses `10.0.0.5/16` ([`CidrFault::HostBitsSet`]) so that a
//! block has one spelling and `parse(display(x)) == x`. EC2 itself is observed to accept such a
//! rule source and keep the masked block (`10.0.0.0/16`), which tools then fail to match; callers
//! that want that behaviour use [`Ipv4Cidr::parse_masked`], which masks and never refuses on host
//! bits alone.

use core::fmt;
use core::net::Ipv4Addr;

/// Why an address or CIDR block text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum CidrFault {
    /// Not of the form `a.b.c.d` (or `a.b.c.d/n`): wrong separators, missing or extra parts,
    /// characters that are not decimal digits.
    Syntax,
    /// A number has a leading zero (`010`), which is ambiguous between octal and decimal.
    LeadingZero,
    /// An octet is above 255.
    OctetOutOfRange,
    /// The prefix length is above 32.
    PrefixOutOfRange,
    /// Bits below the prefix are set (`10.0.0.5/16`); the block would be `10.0.0.0/16`.
    HostBitsSet,
}

impl CidrFault {
    /// What to fix, in words.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Syntax => "expected four decimal octets a.b.c.d, then /n for a block",
            Self::LeadingZero => "a number has a leading zero",
            Self::OctetOutOfRange => "an octet is above 255",
            Self::PrefixOutOfRange => "the prefix length is above 32",
            Self::HostBitsSet => "bits below the prefix are set",
        }
    }
}

impl fmt::Display for CidrFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An IPv4 CIDR block: a base address with no bits set below a prefix of 0–32 bits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv4Cidr {
    base: u32,
    prefix: u8,
}

/// The netmask of a prefix length (`/0` has none, `/32` all bits).
const fn mask(prefix: u8) -> u32 {
    match u32::MAX.checked_shl(32u32.saturating_sub(prefix as u32)) {
        Some(m) if prefix > 0 => m,
        _ => 0,
    }
}

impl Ipv4Cidr {
    /// `0.0.0.0/0`: every IPv4 address.
    pub const ANY: Self = Self { base: 0, prefix: 0 };

    /// The block of `addr` with `prefix` bits.
    ///
    /// # Errors
    /// [`CidrFault::PrefixOutOfRange`] above 32; [`CidrFault::HostBitsSet`] if `addr` has bits
    /// below the prefix.
    pub const fn new(addr: Ipv4Addr, prefix: u8) -> Result<Self, CidrFault> {
        if prefix > 32 {
            return Err(CidrFault::PrefixOutOfRange);
        }
        let base = addr.to_bits();
        if base & !mask(prefix) != 0 {
            return Err(CidrFault::HostBitsSet);
        }
        Ok(Self { base, prefix })
    }

    /// The block containing `addr` with `prefix` bits, host bits cleared (EC2's observed
    /// handling of a rule source such as `10.0.0.5/16`).
    ///
    /// # Errors
    /// [`CidrFault::PrefixOutOfRange`] above 32.
    pub const fn new_masked(addr: Ipv4Addr, prefix: u8) -> Result<Self, CidrFault> {
        if prefix > 32 {
            return Err(CidrFault::PrefixOutOfRange);
        }
        Ok(Self {
            base: addr.to_bits() & mask(prefix),
            prefix,
        })
    }

    /// The single-address block `addr/32`.
    pub const fn host(addr: Ipv4Addr) -> Self {
        Self {
            base: addr.to_bits(),
            prefix: 32,
        }
    }

    /// Parses `a.b.c.d/n` strictly (see the module docs).
    ///
    /// # Errors
    /// The [`CidrFault`] of the first problem found.
    pub fn parse(s: &str) -> Result<Self, CidrFault> {
        let (addr, prefix) = split(s)?;
        Self::new(addr, prefix)
    }

    /// Parses like [`Ipv4Cidr::parse`] but clears host bits instead of refusing them.
    ///
    /// # Errors
    /// The [`CidrFault`] of the first problem found other than host bits.
    pub fn parse_masked(s: &str) -> Result<Self, CidrFault> {
        let (addr, prefix) = split(s)?;
        Self::new_masked(addr, prefix)
    }

    /// The first address of the block (the network address).
    pub const fn network(self) -> Ipv4Addr {
        Ipv4Addr::from_bits(self.base)
    }

    /// The last address of the block (the broadcast address).
    pub const fn last(self) -> Ipv4Addr {
        Ipv4Addr::from_bits(self.base | !mask(self.prefix))
    }

    /// The prefix length, 0–32.
    pub const fn prefix(self) -> u8 {
        self.prefix
    }

    /// How many addresses the block holds (2^(32 - prefix)).
    pub const fn size(self) -> u64 {
        match 1u64.checked_shl(32u32.saturating_sub(self.prefix as u32)) {
            Some(n) => n,
            None => 0,
        }
    }

    /// Whether `addr` lies in the block.
    pub const fn contains(self, addr: Ipv4Addr) -> bool {
        addr.to_bits() & mask(self.prefix) == self.base
    }

    /// Whether every address of `self` lies in `outer`.
    pub const fn is_within(self, outer: Self) -> bool {
        self.prefix >= outer.prefix && outer.contains(self.network())
    }

    /// Whether the two blocks share an address.
    pub const fn overlaps(self, other: Self) -> bool {
        self.is_within(other) || other.is_within(self)
    }
}

/// Parses a dotted-quad IPv4 address strictly: four decimal octets, no leading zeros.
///
/// # Errors
/// The [`CidrFault`] of the first problem found.
pub fn parse_ipv4(s: &str) -> Result<Ipv4Addr, CidrFault> {
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for slot in &mut octets {
        let part = parts.next().ok_or(CidrFault::Syntax)?;
        let value = decimal(part, 3)?;
        *slot = u8::try_from(value).map_err(|_| CidrFault::OctetOutOfRange)?;
    }
    if parts.next().is_some() {
        return Err(CidrFault::Syntax);
    }
    Ok(Ipv4Addr::from(octets))
}

fn split(s: &str) -> Result<(Ipv4Addr, u8), CidrFault> {
    let (addr, prefix) = s.split_once('/').ok_or(CidrFault::Syntax)?;
    let addr = parse_ipv4(addr)?;
    let prefix = decimal(prefix, 2)?;
    let prefix = u8::try_from(prefix)
        .ok()
        .filter(|p| *p <= 32)
        .ok_or(CidrFault::PrefixOutOfRange)?;
    Ok((addr, prefix))
}

/// A decimal number of 1 to `max_digits` ASCII digits without a leading zero.
fn decimal(s: &str, max_digits: usize) -> Result<u16, CidrFault> {
    let bytes = s.as_bytes();
    if bytes.is_empty() || bytes.len() > max_digits || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(CidrFault::Syntax);
    }
    if bytes.len() > 1 && bytes.first() == Some(&b'0') {
        return Err(CidrFault::LeadingZero);
    }
    Ok(bytes.iter().fold(0u16, |acc, b| {
        acc.saturating_mul(10)
            .saturating_add(u16::from(b.saturating_sub(b'0')))
    }))
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network(), self.prefix)
    }
}

impl fmt::Debug for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl core::str::FromStr for Ipv4Cidr {
    type Err = CidrFault;
    fn from_str(s: &str) -> Result<Self, CidrFault> {
        Self::parse(s)
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Ipv4Cidr {
    fn format(&self, f: defmt::Formatter<'_>) {
        let [first, second, third, fourth] = self.network().octets();
        defmt::write!(
            f,
            "{}.{}.{}.{}/{}",
            first,
            second,
            third,
            fourth,
            self.prefix
        );
    }
}

/// Serialized as its text form (`"10.0.0.0/16"`) and parsed back strictly.
impl serde::Serialize for Ipv4Cidr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = heapless::String::<18>::new();
        fmt::write(&mut text, format_args!("{self}")).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de> serde::Deserialize<'de> for Ipv4Cidr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Ipv4Cidr;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an IPv4 CIDR block such as 10.0.0.0/16")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Ipv4Cidr, E> {
                Ipv4Cidr::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
