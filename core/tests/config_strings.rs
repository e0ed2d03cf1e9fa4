//! Round trips of the JSON configuration documents (issue 18 item 6), against `serde_json` as
//! the reference reader:
//!
//! - any string, written with any mix of JSON's escapes (`\uXXXX` in either case, surrogate
//!   pairs, the two-character escapes, or raw), reads as the text `serde_json` reads;
//! - a lone surrogate is refused, as `serde_json` refuses it, at its escape;
//! - what the writer produces `serde_json` reads as the same strings, and the parser reads
//!   back to the same document;
//! - the largest document the types can hold (every list full, every string at capacity in the
//!   characters that take the most bytes to write, every number at its widest) is written in
//!   at most `MAX_DOCUMENT` bytes, so `decode(to_slice(doc)) == doc` for every document.

use std::collections::HashMap;
use std::fmt::Write as _;

use fleetcore::config::{self, ConfigError, ControllerDoc, GroupDoc, MAX_DOCUMENT, NAME_MAX};
use proptest::prelude::*;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

// ---------------------------------------------------------------------------------------------
// Strings

/// How one character is written inside a JSON string.
#[derive(Debug, Clone, Copy)]
enum Style {
    Raw,
    Short,
    Lower,
    Upper,
}

/// `text` as the inside of a JSON string, each character in its style (a style a character
/// cannot take falls back to one it can: control characters and `"` `\` are never raw).
fn write_json(text: &str, styles: &[Style]) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        let style = styles
            .get(i % styles.len().max(1))
            .copied()
            .unwrap_or(Style::Raw);
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '/' => Some("\\/"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        let must_escape = c < ' ' || c == '"' || c == '\\';
        match style {
            Style::Raw if !must_escape => out.push(c),
            Style::Short | Style::Raw if short.is_some() => out.push_str(short.unwrap_or("")),
            Style::Upper => {
                let mut units = [0_u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{u:04X}");
                }
            }
            _ => {
                let mut units = [0_u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
        }
    }
    out
}

/// A group document whose second zone is the JSON string text `zone`.
fn group_with_zone(zone: &str) -> String {
    format!(
        r#"{{"name": "g", "launch_template": "lt", "min_size": 0, "max_size": 1, "zones": ["a", "{zone}"]}}"#
    )
}

fn style() -> impl Strategy<Value = Style> {
    prop_oneof![
        Just(Style::Raw),
        Just(Style::Short),
        Just(Style::Lower),
        Just(Style::Upper)
    ]
}

/// Text of any characters, weighted toward the ones JSON escapes and those outside the BMP.
fn any_text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        3 => any::<char>(),
        2 => prop::char::range('\u{0}', '\u{7f}'),
        1 => prop::char::range('\u{10000}', '\u{10ffff}'),
        1 => prop::sample::select(vec!['"', '\\', '/', '\u{8}', '\u{c}', '\n', '\r', '\t']),
    ];
    prop::collection::vec(c, 0..24).prop_map(|v| v.into_iter().collect())
}

fn read_zone(written: &str) -> Result<String, Box<config::LocatedError>> {
    let doc: GroupDoc = config::decode(group_with_zone(written).as_bytes()).map_err(Box::new)?;
    Ok(doc.zones[1].as_str().to_owned())
}

fn to_vec<D: config::Document>(doc: &D) -> Vec<u8> {
    let mut buf = vec![0_u8; MAX_DOCUMENT];
    let n = config::to_slice(doc, &mut buf).expect("the limit covers the writer's output");
    buf.truncate(n);
    buf
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Any text, written with any escapes, reads as `serde_json` reads it; written back, it
    /// reads the same through both.
    #[test]
    fn strings_read_as_serde_json_reads_them(
        text in any_text(),
        styles in prop::collection::vec(style(), 1..6),
    ) {
        let written = write_json(&text, &styles);
        let reference: String = serde_json::from_str(&format!("\"{written}\""))
            .expect("serde_json reads what the generator writes");
        prop_assert_eq!(&reference, &text);
        let zones = group_with_zone(&written);
        match config::decode::<GroupDoc>(zones.as_bytes()) {
            Ok(doc) => {
                prop_assert_eq!(doc.zones[1].as_str(), reference.as_str());
                let out = to_vec(&doc);
                let value: serde_json::Value =
                    serde_json::from_slice(&out).expect("the writer writes JSON");
                prop_assert_eq!(value["zones"][1].as_str(), Some(reference.as_str()));
                let again: GroupDoc = config::decode(&out).expect("own output reads back");
                prop_assert_eq!(again, doc);
            }
            Err(e) => {
                // Only a text longer than a zone name may be refused, and it says so.
                prop_assert!(reference.len() > fleetcore::group::ZONE_NAME_MAX, "{}", e);
                prop_assert_eq!(
                    e.error,
                    ConfigError::TooLong { max: fleetcore::group::ZONE_NAME_MAX }
                );
                prop_assert_eq!(e.location.path.as_str(), "zones[1]");
            }
        }
    }

    /// A surrogate that is not half of a pair is refused, as `serde_json` refuses it, at its
    /// escape and with the path of the string.
    #[test]
    fn lone_surrogates_are_refused(
        before in "[a-z]{0,4}",
        unit in 0xD800_u32..=0xDFFF,
        after in prop_oneof![
            Just(String::new()),
            Just("x".to_owned()),
            Just("\\u0041".to_owned()),
            Just("\\n".to_owned()),
            (0xD800_u32..=0xDBFF).prop_map(|u| format!("\\u{u:04x}")),
        ],
    ) {
        // A high surrogate followed by a low one is a pair, not a lone surrogate.
        let written = format!("{before}\\u{unit:04x}{after}");
        let quoted = format!("\"{written}\"");
        prop_assert!(serde_json::from_str::<String>(&quoted).is_err());
        let e = read_zone(&written).expect_err("a lone surrogate is refused");
        prop_assert!(
            matches!(e.error, ConfigError::Syntax { .. }),
            "{:?}", e.error
        );
        let string = group_with_zone("").find("\"\"]").expect("the zone's quotes") + 1;
        prop_assert_eq!(e.location.offset, string + before.len());
        prop_assert_eq!(e.location.path.as_str(), "zones[1]");
    }
}

#[test]
fn surrogate_pair_reads_as_one_character() {
    assert_eq!(read_zone(r"\ud83d\ude00").expect("a pair"), "\u{1f600}");
    let name = serde_json::to_string(&"\u{1f600}".repeat(NAME_MAX / 4)).expect("json");
    assert!(name.len() < 70);
}

// ---------------------------------------------------------------------------------------------
// The largest document

/// What a [`Probe`] learnt: the capacity of each list and string, by path (list elements
/// share one path).
#[derive(Default)]
struct Caps(HashMap<String, usize>);

/// Fills any document type with the value whose JSON is longest: every optional field
/// present, every list and string at its capacity (learnt from the type's own refusal), every
/// string of U+0001 (written `\u0001`, six bytes a byte), every enumeration its longest name,
/// every number its widest in the range the parser reads, every flag `false`.
struct Probe<'c> {
    path: String,
    caps: &'c Caps,
}

/// Longer than any list or string of the schema: what a probe offers before it knows better.
const UNKNOWN: usize = 1000;

#[path = "support/probe.rs"]
mod probe;
use probe::ProbeError;

impl Probe<'_> {
    fn at<T>(&self, r: Result<T, ProbeError>) -> Result<T, ProbeError> {
        r.map_err(|mut e| {
            e.path.get_or_insert_with(|| self.path.clone());
            e
        })
    }

    fn cap(&self) -> usize {
        self.caps.0.get(&self.path).copied().unwrap_or(UNKNOWN)
    }

    fn child(&self, seg: &str) -> Self {
        Probe {
            path: format!("{}/{seg}", self.path),
            caps: self.caps,
        }
    }
}

macro_rules! number {
    ($($method:ident => $visit:ident($($v:expr)?),)*) => {$(
        fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
            self.at(v.$visit($($v)?))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Probe<'_> {
    type Error = ProbeError;

    number! {
        deserialize_bool => visit_bool(false),
        deserialize_i8 => visit_i8(i8::MIN),
        deserialize_i16 => visit_i16(i16::MIN),
        deserialize_i32 => visit_i32(i32::MIN),
        // The parser reads 64-bit fields in the 32-bit range.
        deserialize_i64 => visit_i64(i64::from(i32::MIN)),
        deserialize_u8 => visit_u8(u8::MAX),
        deserialize_u16 => visit_u16(u16::MAX),
        deserialize_u32 => visit_u32(u32::MAX),
        deserialize_u64 => visit_u64(u64::from(u32::MAX)),
        // Decimals: 12 whole digits, three decimals and a sign.
        deserialize_f32 => visit_f64(-999_999_999_999.999),
        deserialize_char => visit_char('\u{1}'),
        deserialize_unit => visit_unit(),
        deserialize_ignored_any => visit_unit(),
    }

    /// Decimals: 12 whole digits, three decimals and a sign; amounts of money (`purchase`
    /// prices, in millionths) 9 whole digits and six decimals, never negative.
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        let last = self.path.rsplit('/').next().unwrap_or("");
        let money = ["price", "upfront", "hourly", "spot_max_price"].contains(&last);
        let widest = if money {
            999_999_999.999_999
        } else {
            -999_999_999_999.999
        };
        self.at(v.visit_f64(widest))
    }

    fn deserialize_any<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, ProbeError> {
        self.at(Err(de::Error::custom("the schema asks for any value")))
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        let text = "\u{1}".repeat(self.cap());
        self.at(v.visit_str(&text))
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.deserialize_str(v)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.deserialize_str(v)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.deserialize_str(v)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        let inner = self.child("?");
        self.at(v.visit_some(inner))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, ProbeError> {
        self.at(v.visit_unit())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, ProbeError> {
        let inner = self.child("0");
        self.at(v.visit_newtype_struct(inner))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        let left = self.cap();
        let r = v.visit_seq(Seq {
            probe: self.child("[]"),
            left,
        });
        self.at(r)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, ProbeError> {
        let r = v.visit_seq(Seq {
            probe: self.child("()"),
            left: len,
        });
        self.at(r)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        v: V,
    ) -> Result<V::Value, ProbeError> {
        self.deserialize_tuple(len, v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, ProbeError> {
        self.at(Err(de::Error::custom("the schema has no free-form maps")))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ProbeError> {
        let r = v.visit_map(Fields {
            probe: &self,
            names: fields,
            next: 0,
        });
        self.at(r)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ProbeError> {
        let longest = variants
            .iter()
            .copied()
            .max_by_key(|n| n.len())
            .unwrap_or("");
        let access: de::value::StrDeserializer<'_, ProbeError> = longest.into_deserializer();
        self.at(v.visit_enum(access))
    }
}

struct Seq<'c> {
    probe: Probe<'c>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Seq<'_> {
    type Error = ProbeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ProbeError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(self.probe.child("")).map(Some)
    }
}

struct Fields<'p, 'c> {
    probe: &'p Probe<'c>,
    names: &'static [&'static str],
    next: usize,
}

impl<'de> de::MapAccess<'de> for Fields<'_, '_> {
    type Error = ProbeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ProbeError> {
        let Some(name) = self.names.get(self.next) else {
            return Ok(None);
        };
        let key: de::value::StrDeserializer<'_, ProbeError> = name.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ProbeError> {
        let name = self.names.get(self.next).copied().unwrap_or("");
        self.next += 1;
        seed.deserialize(self.probe.child(name))
    }
}

/// The largest value of `D`: probes until every list and string has met its capacity.
fn largest<D: for<'de> Deserialize<'de>>() -> D {
    let mut caps = Caps::default();
    for _ in 0..10_000 {
        let probe = Probe {
            path: String::new(),
            caps: &caps,
        };
        match D::deserialize(probe) {
            Ok(doc) => return doc,
            Err(ProbeError {
                path: Some(path),
                cap: Some(cap),
                ..
            }) => {
                assert!(
                    caps.0.insert(path.clone(), cap).is_none(),
                    "{path} refused its capacity {cap}"
                );
            }
            Err(e) => panic!("probe: {e}"),
        }
    }
    panic!("the probe does not settle");
}

/// Runs `f` on a thread with room for a whole `ControllerDoc` in an unoptimised build.
fn with_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("test passes");
}

#[test]
fn the_limit_covers_the_largest_document_the_writer_can_write() {
    with_stack(|| {
        let doc: Box<ControllerDoc> = Box::new(largest());
        // Every list is full, every optional part present.
        assert_eq!(doc.groups.len(), config::MAX_GROUPS);
        assert_eq!(doc.instance_types.len(), config::MAX_INSTANCE_TYPES);
        let g = &doc.groups[0];
        assert!(g.predictive.is_some() && g.warm_pool.is_some());
        assert_eq!(g.name.len(), NAME_MAX);
        let mut buf = vec![0_u8; 4 * MAX_DOCUMENT];
        let n = config::to_slice(&*doc, &mut buf).expect("a large buffer");
        println!("largest document written: {n} bytes (limit {MAX_DOCUMENT})");
        assert!(n <= MAX_DOCUMENT, "{n} bytes written, {MAX_DOCUMENT} read");
        let again: Box<ControllerDoc> =
            Box::new(config::decode(&buf[..n]).expect("the largest document reads back"));
        assert_eq!(again, doc);
        // serde_json reads it as the same document.
        let value: serde_json::Value = serde_json::from_slice(&buf[..n]).expect("JSON");
        assert_eq!(
            value,
            serde_json::to_value(&*doc).expect("serde_json writes it")
        );
    });
}
