//! The second pass: serde-json-core's deserializer wrapped so that every value knows where it
//! is. The wrapper keeps the current path (member and element numbers) and turns the errors
//! that serde's derived code raises into [`ConfigError`]s with that path; the first pass later
//! turns the numbers into names and a byte offset.
//!
//! Errors cross serde's layers in both directions: derived code sees the wrapper's error type
//! ([`Fault`]), serde-json-core its own. A [`Fault`] going down into serde-json-core is parked in
//! the tracker and replaced by a placeholder; the placeholder coming back up is swapped for the
//! parked [`Fault`]. Only one error travels at a time, so one slot suffices.

use core::cell::Cell;
use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

use super::scan::{Seg, Unescape};
use crate::config::ConfigError;

/// Path depth the tracker records: the schema nests at most 8 deep, and deeper input is
/// refused at its first level the schema does not expect.
pub(super) const SEG_MAX: usize = 12;
/// Bytes a string may take once its escapes are undone: more than the longest string field of
/// the schema (64 bytes; a test checks), so a longer text still reaches the field, which
/// refuses it with its own capacity.
pub(super) const UNESCAPE_MAX: usize = 256;
/// A path as member and element numbers.
pub(super) type SegPath = heapless::Vec<Seg, SEG_MAX>;

/// An error of the second pass and where it arose (`None` until a layer that knows the path
/// sees it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub(super) error: ConfigError,
    pub(super) path: Option<SegPath>,
}

impl Fault {
    const fn new(error: ConfigError) -> Self {
        Self { error, path: None }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl de::StdError for Fault {}

/// Picks the first number out of serde's "expected" text (heapless says "a string no more than
/// 32 bytes long"), for [`ConfigError::TooLong`].
struct FirstNumber(Option<usize>, bool);

impl fmt::Write for FirstNumber {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.bytes() {
            if self.1 {
                continue;
            }
            if c.is_ascii_digit() {
                let d = usize::from(c.saturating_sub(b'0'));
                self.0 = Some(self.0.unwrap_or(0).saturating_mul(10).saturating_add(d));
            } else if self.0.is_some() {
                self.1 = true;
            }
        }
        Ok(())
    }
}

impl de::Error for Fault {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Self::new(ConfigError::Invalid {
            expected: "a valid value",
        })
    }

    fn invalid_type(_unexp: de::Unexpected<'_>, _exp: &dyn de::Expected) -> Self {
        Self::new(ConfigError::WrongType {
            expected: "another type",
        })
    }

    fn invalid_value(_unexp: de::Unexpected<'_>, _exp: &dyn de::Expected) -> Self {
        Self::new(ConfigError::OutOfRange {
            expected: "a value in range",
        })
    }

    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        // heapless names a string's capacity in the text, and reports a full list as one
        // element past its capacity.
        let mut n = FirstNumber(None, false);
        let _ = fmt::write(&mut n, format_args!("{exp}"));
        Self::new(ConfigError::TooLong {
            max: n.0.unwrap_or_else(|| len.saturating_sub(1)),
        })
    }

    fn unknown_variant(_variant: &str, _expected: &'static [&'static str]) -> Self {
        Self::new(ConfigError::UnknownVariant)
    }

    fn unknown_field(_field: &str, _expected: &'static [&'static str]) -> Self {
        Self::new(ConfigError::UnknownField)
    }

    fn missing_field(field: &'static str) -> Self {
        Self::new(ConfigError::MissingField { field })
    }

    fn duplicate_field(field: &'static str) -> Self {
        Self::new(ConfigError::DuplicateField { field })
    }
}

/// The current path and the parked error.
#[derive(Default)]
pub(super) struct Tracker {
    path: Cell<SegPath>,
    overflow: Cell<usize>,
    parked: Cell<Option<Fault>>,
}

impl Tracker {
    fn push(&self, seg: Seg) {
        let mut p = self.path.take();
        if p.push(seg).is_err() {
            self.overflow.set(self.overflow.get().saturating_add(1));
        }
        self.path.set(p);
    }

    fn pop(&self) {
        if self.overflow.get() > 0 {
            self.overflow.set(self.overflow.get().saturating_sub(1));
            return;
        }
        let mut p = self.path.take();
        p.pop();
        self.path.set(p);
    }

    fn place(&self, mut f: Fault) -> Fault {
        if f.path.is_none() {
            let p = self.path.take();
            f.path = Some(p.clone());
            self.path.set(p);
        }
        f
    }

    /// Parks `f` and returns the placeholder for the layer below.
    fn park<E: de::Error>(&self, f: Fault) -> E {
        let f = self.place(f);
        self.parked.set(Some(f));
        E::custom("config fault")
    }

    /// The parked error, or one made from `fallback` at the current path.
    fn unpark(&self, fallback: ConfigError) -> Fault {
        match self.parked.take() {
            Some(f) => f,
            None => self.place(Fault::new(fallback)),
        }
    }

    /// The error that ended a whole parse.
    pub(super) fn finish(&self, fallback: ConfigError) -> Fault {
        self.unpark(fallback)
    }
}

/// serde-json-core's deserializer (or one of its parts) with the tracker.
pub(super) struct Wrap<'t, D> {
    pub(super) de: D,
    pub(super) t: &'t Tracker,
}

struct WrapVisitor<'t, V> {
    v: V,
    t: &'t Tracker,
}

struct WrapSeed<'t, S> {
    s: S,
    t: &'t Tracker,
}

struct WrapMap<'t, A> {
    a: A,
    t: &'t Tracker,
    n: u16,
}

struct WrapSeq<'t, A> {
    a: A,
    t: &'t Tracker,
    n: u16,
}

struct WrapEnum<'t, A> {
    a: A,
    t: &'t Tracker,
}

const SYNTAX: ConfigError = ConfigError::Syntax {
    expected: "valid JSON",
};

macro_rules! forward {
    ($($method:ident => $expected:literal,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
            let t = self.t;
            self.de
                .$method(WrapVisitor { v: visitor, t })
                .map_err(|_| t.unpark(ConfigError::WrongType { expected: $expected }))
        }
    )*};
}

/// Integers are read as JSON numbers and then checked, so that `1.5` or `-1` in a whole-number
/// field is reported at the field (serde-json-core would stop at the `.` with a syntax error
/// on the enclosing object).
macro_rules! integer {
    ($($method:ident: $ty:ty => $expected:literal,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
            let t = self.t;
            let number = self
                .de
                .deserialize_f64(Number)
                .map_err(|_| t.unpark(ConfigError::WrongType { expected: $expected }))?;
            let range = || t.place(Fault::new(ConfigError::OutOfRange { expected: $expected }));
            let whole = whole_number(number).ok_or_else(range)?;
            let v = <$ty>::try_from(whole).map_err(|_| range())?;
            visitor.visit_i64(i64::from(v)).map_err(|f| t.place(f))
        }
    )*};
}

/// `v` if it is a whole number that fits `i64`, read through its decimal text (Rust prints
/// `f64` without exponent, so fractions and huge values fail to parse).
fn whole_number(v: f64) -> Option<i64> {
    let mut text = heapless::String::<24>::new();
    fmt::write(&mut text, format_args!("{v}")).ok()?;
    text.parse().ok()
}

/// Reads a JSON number as `f64`.
struct Number;

impl Visitor<'_> for Number {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Wrap<'_, D> {
    type Error = Fault;

    forward! {
        deserialize_any => "a value",
        deserialize_bool => "true or false",
        deserialize_f32 => "a number",
        deserialize_f64 => "a number",
        deserialize_char => "a one-character string",
        deserialize_str => "a string",
        deserialize_string => "a string",
        deserialize_bytes => "a string",
        deserialize_byte_buf => "a string",
        deserialize_option => "a value or null",
        deserialize_unit => "null",
        deserialize_seq => "a list",
        deserialize_map => "an object",
        deserialize_identifier => "a field name",
        deserialize_ignored_any => "a value",
    }

    integer! {
        deserialize_i8: i8 => "a whole number from -128 to 127",
        deserialize_i16: i16 => "a whole number from -32768 to 32767",
        deserialize_i32: i32 => "a whole number from -2147483648 to 2147483647",
        deserialize_i64: i32 => "a whole number from -2147483648 to 2147483647",
        deserialize_u8: u8 => "a whole number from 0 to 255",
        deserialize_u16: u16 => "a whole number from 0 to 65535",
        deserialize_u32: u32 => "a whole number from 0 to 4294967295",
        deserialize_u64: u32 => "a whole number from 0 to 4294967295",
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Fault> {
        let t = self.t;
        self.de
            .deserialize_unit_struct(name, WrapVisitor { v: visitor, t })
            .map_err(|_| t.unpark(ConfigError::WrongType { expected: "null" }))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Fault> {
        let t = self.t;
        self.de
            .deserialize_newtype_struct(name, WrapVisitor { v: visitor, t })
            .map_err(|_| t.unpark(SYNTAX))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Fault> {
        let t = self.t;
        self.de
            .deserialize_tuple(len, WrapVisitor { v: visitor, t })
            .map_err(|_| t.unpark(ConfigError::WrongType { expected: "a list" }))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Fault> {
        let t = self.t;
        self.de
            .deserialize_tuple_struct(name, len, WrapVisitor { v: visitor, t })
            .map_err(|_| t.unpark(ConfigError::WrongType { expected: "a list" }))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fault> {
        let t = self.t;
        self.de
            .deserialize_struct(name, fields, WrapVisitor { v: visitor, t })
            .map_err(|_| {
                t.unpark(ConfigError::WrongType {
                    expected: "an object",
                })
            })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fault> {
        let t = self.t;
        self.de
            .deserialize_enum(name, variants, WrapVisitor { v: visitor, t })
            .map_err(|_| {
                t.unpark(ConfigError::WrongType {
                    expected: "one of the names listed for this field",
                })
            })
    }

    fn is_human_readable(&self) -> bool {
        true
    }
}

/// Calls the wrapped visitor with the wrapper's error type and parks what it returns.
macro_rules! visit {
    ($($method:ident: $ty:ty,)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            let t = self.t;
            self.v.$method::<Fault>(v).map_err(|f| t.park(f))
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for WrapVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.v.expecting(f)
    }

    /// serde-json-core (given no unescape buffer) hands every string over as written: its
    /// escapes are undone here, surrogate pairs included (RFC 8259 §7), into a buffer on the
    /// stack.
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        let t = self.t;
        if !v.as_bytes().contains(&b'\\') {
            return self.v.visit_borrowed_str::<Fault>(v).map_err(|f| t.park(f));
        }
        let mut buf = [0_u8; UNESCAPE_MAX];
        let mut len = 0_usize;
        for c in Unescape::new(v.as_bytes()) {
            // The first pass refused bad escapes and lone surrogates, with their byte.
            let Ok(c) = c else {
                return Err(t.park(Fault::new(SYNTAX)));
            };
            let mut one = [0_u8; 4];
            let bytes = c.encode_utf8(&mut one).as_bytes();
            let end = len.saturating_add(bytes.len());
            // Longer than any string field: the text so far is cut at a character, and the
            // field refuses it with its own capacity (`TooLong`).
            let Some(dst) = buf.get_mut(len..end) else {
                break;
            };
            dst.copy_from_slice(bytes);
            len = end;
        }
        let text = buf
            .get(..len)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or_default();
        self.v.visit_str::<Fault>(text).map_err(|f| t.park(f))
    }

    visit! {
        visit_bool: bool,
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_i64: i64,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_u64: u64,
        visit_f32: f32,
        visit_f64: f64,
        visit_char: char,
        visit_str: &str,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        let t = self.t;
        self.v.visit_none::<Fault>().map_err(|f| t.park(f))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        let t = self.t;
        self.v.visit_unit::<Fault>().map_err(|f| t.park(f))
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        let t = self.t;
        self.v.visit_some(Wrap { de, t }).map_err(|f| t.park(f))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        let t = self.t;
        self.v
            .visit_newtype_struct(Wrap { de, t })
            .map_err(|f| t.park(f))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
        let t = self.t;
        self.v
            .visit_seq(WrapSeq { a, t, n: 0 })
            .map_err(|f| t.park(f))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
        let t = self.t;
        self.v
            .visit_map(WrapMap { a, t, n: 0 })
            .map_err(|f| t.park(f))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
        let t = self.t;
        self.v.visit_enum(WrapEnum { a, t }).map_err(|f| t.park(f))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for WrapSeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        let t = self.t;
        self.s.deserialize(Wrap { de, t }).map_err(|f| t.park(f))
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for WrapMap<'_, A> {
    type Error = Fault;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Fault> {
        let t = self.t;
        t.push(Seg::Key(self.n));
        let r = self
            .a
            .next_key_seed(WrapSeed { s: seed, t })
            .map_err(|_| t.unpark(SYNTAX));
        t.pop();
        r
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Fault> {
        let t = self.t;
        t.push(Seg::Value(self.n));
        let r = self
            .a
            .next_value_seed(WrapSeed { s: seed, t })
            .map_err(|_| t.unpark(SYNTAX));
        t.pop();
        self.n = self.n.saturating_add(1);
        r
    }

    fn size_hint(&self) -> Option<usize> {
        self.a.size_hint()
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for WrapSeq<'_, A> {
    type Error = Fault;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Fault> {
        let t = self.t;
        t.push(Seg::Index(self.n));
        let r = self
            .a
            .next_element_seed(WrapSeed { s: seed, t })
            .map_err(|_| t.unpark(SYNTAX));
        t.pop();
        self.n = self.n.saturating_add(1);
        r
    }

    fn size_hint(&self) -> Option<usize> {
        self.a.size_hint()
    }
}

impl<'de, 't, A: de::EnumAccess<'de>> de::EnumAccess<'de> for WrapEnum<'t, A> {
    type Error = Fault;
    type Variant = WrapVariant<'t, A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), Fault> {
        let t = self.t;
        let (value, a) = self
            .a
            .variant_seed(WrapSeed { s: seed, t })
            .map_err(|_| t.unpark(ConfigError::UnknownVariant))?;
        Ok((value, WrapVariant { a, t }))
    }
}

/// The content of an enum variant; in the object form it is the value of member 0.
pub(super) struct WrapVariant<'t, A> {
    a: A,
    t: &'t Tracker,
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for WrapVariant<'_, A> {
    type Error = Fault;

    fn unit_variant(self) -> Result<(), Fault> {
        let t = self.t;
        self.a
            .unit_variant()
            .map_err(|_| t.unpark(ConfigError::WrongType { expected: "a name" }))
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Fault> {
        let t = self.t;
        t.push(Seg::Value(0));
        let r = self
            .a
            .newtype_variant_seed(WrapSeed { s: seed, t })
            .map_err(|_| t.unpark(SYNTAX));
        t.pop();
        r
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Fault> {
        let t = self.t;
        t.push(Seg::Value(0));
        let r = self
            .a
            .tuple_variant(len, WrapVisitor { v: visitor, t })
            .map_err(|_| t.unpark(ConfigError::WrongType { expected: "a list" }));
        t.pop();
        r
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fault> {
        let t = self.t;
        t.push(Seg::Value(0));
        let r = self
            .a
            .struct_variant(fields, WrapVisitor { v: visitor, t })
            .map_err(|_| {
                t.unpark(ConfigError::WrongType {
                    expected: "an object",
                })
            });
        t.pop();
        r
    }
}
