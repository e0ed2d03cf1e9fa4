//! One vocabulary: every enumeration a document, C or Python names is defined once, beside its
//! domain, through `vocabulary!` (a crate-private macro), with its stable number (what C
//! passes), its canonical spelling (what the library writes) and the AWS/boto3 spellings it
//! also accepts (DESIGN principle 9, issue 18 item 2).
//!
//! The macro gives each enum `ALL`, `number`/`from_number`, `as_str`/`aliases`, `FromStr`,
//! `Display` and serde impls:
//! - a human-readable format (JSON documents) reads any spelling and writes the canonical
//!   one, and the schema generator sees every spelling (`deserialize_enum` with [`Vocabulary::SPELLINGS`]);
//! - a compact format (postcard snapshots) reads and writes the variant's position in `ALL`,
//!   exactly what the serde derive wrote, so snapshots keep their bytes.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserializer, EnumAccess, Unexpected, VariantAccess, Visitor};

/// An enumeration defined by `vocabulary!` (a crate-private macro): the items generic code
/// (config, C, Python, tests) needs to number, name and parse any of them.
pub trait Vocabulary: Copy + Eq + fmt::Debug + 'static {
    /// What a value of it is, for messages (`"termination policy"`).
    const KIND: &'static str;
    /// Every value, in declaration order (a value's position is its serde variant index).
    const ALL: &'static [Self];
    /// The canonical spelling of every value, in the order of `ALL`.
    const NAMES: &'static [&'static str];
    /// Every spelling read: for each value its aliases, then its canonical spelling.
    const SPELLINGS: &'static [&'static str];
    /// The Rust name of the type (serde's enum name).
    const TYPE_NAME: &'static str;
    /// The stable number C uses.
    fn number(self) -> u32;
    /// The canonical spelling: what the library writes.
    fn as_str(self) -> &'static str;
    /// The other spellings read (AWS, boto3, `CloudWatch`, Kubernetes).
    fn aliases(self) -> &'static [&'static str];
    /// The Rust name of the variant (`OldestInstance`), for generated C names.
    fn ident(self) -> &'static str;

    /// The value with C number `n`.
    fn from_number(n: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.number() == n)
    }

    /// The value spelled `s` in its canonical or any alias spelling (exact, case-sensitive).
    fn from_name(s: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == s || v.aliases().contains(&s))
    }

    /// The spelling AWS uses: the first alias, else the canonical one.
    fn aws_str(self) -> &'static str {
        self.aliases().first().copied().unwrap_or(self.as_str())
    }
}

/// A name that is no spelling of a [`Vocabulary`] enum (from `FromStr`); its `Display` lists the
/// canonical names accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct UnknownName {
    /// What was being named (`"termination policy"`).
    pub kind: &'static str,
    /// The canonical spelling of every value ([`Vocabulary::NAMES`]).
    pub accepted: &'static [&'static str],
}

impl UnknownName {
    /// The error for enum `T`.
    pub fn of<T: Vocabulary>() -> Self {
        Self {
            kind: T::KIND,
            accepted: T::NAMES,
        }
    }
}

/// Writes `a, b or c`.
///
/// # Errors
/// Those of the formatter.
pub fn write_names(f: &mut impl fmt::Write, names: &[&str]) -> fmt::Result {
    let mut rest = names.len();
    for name in names {
        rest = rest.saturating_sub(1);
        f.write_str(name)?;
        f.write_str(match rest {
            0 => "",
            1 => " or ",
            _ => ", ",
        })?;
    }
    Ok(())
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {}; expected ", self.kind)?;
        write_names(f, self.accepted)
    }
}

impl core::error::Error for UnknownName {}

/// serde `Serialize` for a vocabulary enum: the canonical spelling, or the position in `ALL`
/// for a compact format.
///
/// # Errors
/// Those of the serializer.
pub fn serialize<T: Vocabulary, S: serde::Serializer>(v: T, s: S) -> Result<S::Ok, S::Error> {
    let index = T::ALL.iter().position(|x| *x == v).unwrap_or(0);
    let index = u32::try_from(index).unwrap_or(u32::MAX);
    s.serialize_unit_variant(T::TYPE_NAME, index, v.as_str())
}

/// serde `Deserialize` for a vocabulary enum: any spelling, or a position in `ALL`.
///
/// # Errors
/// An unknown spelling (`unknown_variant`, listing every spelling) or position.
pub fn deserialize<'de, T: Vocabulary, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_enum(T::TYPE_NAME, T::SPELLINGS, EnumVisitor::<T>(PhantomData))
}

struct EnumVisitor<T>(PhantomData<T>);

impl<'de, T: Vocabulary> Visitor<'de> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {}", T::KIND)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<T, A::Error> {
        let (Ident(v), variant) = data.variant::<Ident<T>>()?;
        variant.unit_variant()?;
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
        IdentVisitor::<T>(PhantomData).visit_str(s)
    }
}

struct Ident<T>(T);

impl<'de, T: Vocabulary> serde::Deserialize<'de> for Ident<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(IdentVisitor::<T>(PhantomData))
            .map(Ident)
    }
}

struct IdentVisitor<T>(PhantomData<T>);

impl<T: Vocabulary> Visitor<'_> for IdentVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} name", T::KIND)
    }

    fn visit_u64<E: de::Error>(self, i: u64) -> Result<T, E> {
        usize::try_from(i)
            .ok()
            .and_then(|i| T::ALL.get(i).copied())
            .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(i), &self))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
        T::from_name(s).ok_or_else(|| E::unknown_variant(s, T::SPELLINGS))
    }

    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<T, E> {
        match core::str::from_utf8(b) {
            Ok(s) => self.visit_str(s),
            Err(_) => Err(E::invalid_value(Unexpected::Bytes(b), &self)),
        }
    }
}

/// Defines an enumeration once, with its C numbers and spellings:
///
/// ```ignore
/// vocabulary! {
///     /// docs
///     #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
///     pub enum Comparison: "comparison" {
///         /// docs
///         GreaterThan = 2 => "greater_than" | "GreaterThanThreshold",
///     }
/// }
/// ```
///
/// `= n` is the stable C number, the first string the canonical spelling, the others aliases
/// (the AWS spelling first). Declaration order is the snapshot order: append, never reorder.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $kind:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $num:literal => $canon:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        // No `#[repr(u32)]`: the numbers fit a byte, so a value stays one byte in the caller's
        // storage (C sees `uint32_t` through `number`).
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant = $num,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable number C uses (`fc_*` constants).
            pub const fn number(self) -> u32 {
                self as u32
            }

            /// The value with C number `n`, if any.
            pub const fn from_number(n: u32) -> Option<Self> {
                match n {
                    $($num => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// The canonical spelling: what the library writes.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $canon,)+
                }
            }

            /// The other spellings read (the AWS spelling first).
            pub const fn aliases(self) -> &'static [&'static str] {
                match self {
                    $(Self::$variant => &[$($alias),*],)+
                }
            }

            /// The spelling AWS uses: the first alias, else the canonical one.
            pub fn aws_str(self) -> &'static str {
                <Self as $crate::vocab::Vocabulary>::aws_str(self)
            }
        }

        impl $crate::vocab::Vocabulary for $name {
            const KIND: &'static str = $kind;
            const ALL: &'static [Self] = Self::ALL;
            const NAMES: &'static [&'static str] = &[$($canon),+];
            const SPELLINGS: &'static [&'static str] = &[$($($alias,)* $canon,)+];
            const TYPE_NAME: &'static str = stringify!($name);
            fn number(self) -> u32 {
                Self::number(self)
            }
            fn as_str(self) -> &'static str {
                Self::as_str(self)
            }
            fn aliases(self) -> &'static [&'static str] {
                Self::aliases(self)
            }
            fn ident(self) -> &'static str {
                match self {
                    $(Self::$variant => stringify!($variant),)+
                }
            }
        }

        impl core::str::FromStr for $name {
            type Err = $crate::vocab::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::vocab::Vocabulary>::from_name(s)
                    .ok_or_else($crate::vocab::UnknownName::of::<Self>)
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::vocab::serialize(*self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::vocab::deserialize(d)
            }
        }
    };
}

#[cfg(test)]
mod tests;
