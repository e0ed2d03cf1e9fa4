//! `schema/fleetcore.schema.json`, the JSON Schema of the controller document (issue 18, item
//! 4), generated from the Rust types themselves: a serde `Deserializer` walks
//! `ControllerDoc`'s derived `Deserialize` and records what each field asks for (objects and
//! their fields, lists and strings with their capacities, integers with their ranges, numbers,
//! enumerations with every spelling the parser takes). A field is required when leaving it out
//! makes the derived code report it missing. So a new field, capacity or spelling changes the
//! schema, and this test fails until it is regenerated:
//!
//! `FLEETCORE_BLESS=1 cargo test -p fleetcore --test schema`
//!
//! The schema says what the shapes are; the core's validators (ranges between fields, names
//! that refer to each other) say more, and `config::from_slice` is the authority. Python's tests
//! validate every example and golden document against it with `jsonschema`.

// A test generator: panics are its failures, indexing its tables.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use fleetcore::config::ControllerDoc;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::{Map, Value, json};

/// What one path of the document asks for.
#[derive(Debug, Clone)]
enum Kind {
    Bool,
    Int { min: i128, max: i128 },
    Number,
    Str,
    Enum(Vec<&'static str>),
    Seq,
    Tuple(usize),
    Struct(&'static [&'static str]),
    Option,
}

#[derive(Default)]
struct Seen {
    kinds: BTreeMap<String, Kind>,
    caps: HashMap<String, usize>,
}

/// Longer than any list or string: what the walk offers before it learns the capacity.
const UNKNOWN: usize = 100_000;

struct Probe<'s> {
    path: String,
    seen: &'s RefCell<Seen>,
    /// A field to leave out: (the struct's path, the field).
    omit: Option<(&'s str, &'static str)>,
}

#[path = "support/probe.rs"]
mod probe;
use probe::ProbeError;

impl Probe<'_> {
    fn child(&self, seg: &str) -> Self {
        Probe {
            path: format!("{}/{seg}", self.path),
            seen: self.seen,
            omit: self.omit,
        }
    }

    fn note(&self, kind: Kind) {
        self.seen.borrow_mut().kinds.insert(self.path.clone(), kind);
    }

    fn cap(&self) -> usize {
        self.seen
            .borrow()
            .caps
            .get(&self.path)
            .copied()
            .unwrap_or(UNKNOWN)
    }

    fn at<T>(&self, r: Result<T, ProbeError>) -> Result<T, ProbeError> {
        r.map_err(|mut e| {
            e.path.get_or_insert_with(|| self.path.clone());
            e
        })
    }

    fn int<'de, V: Visitor<'de>>(self, min: i128, max: i128, v: V) -> Result<V::Value, ProbeError> {
        self.note(Kind::Int { min, max });
        // The smallest value of the type: every range check of the derived code passes it.
        let r = if min < 0 {
            v.visit_i64(i64::try_from(min).unwrap_or(i64::MIN))
        } else {
            v.visit_u64(0)
        };
        self.at(r)
    }
}

impl<'de> de::Deserializer<'de> for Probe<'_> {
    type Error = ProbeError;

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.note(Kind::Bool);
        self.at(v.visit_bool(false))
    }
    fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.int(i8::MIN.into(), i8::MAX.into(), v)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.int(i16::MIN.into(), i16::MAX.into(), v)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.int(i32::MIN.into(), i32::MAX.into(), v)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.int(i64::MIN.into(), i64::MAX.into(), v)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.int(0, u8::MAX.into(), v)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.int(0, u16::MAX.into(), v)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.int(0, u32::MAX.into(), v)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.int(0, u64::MAX.into(), v)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.deserialize_f64(v)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.note(Kind::Number);
        self.at(v.visit_f64(1.0))
    }
    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.deserialize_str(v)
    }
    fn deserialize_any<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, ProbeError> {
        self.at(Err(de::Error::custom("the schema asks for any value")))
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.note(Kind::Str);
        // At the capacity learnt so far: a longer string is refused with the capacity.
        let text = "a".repeat(self.cap());
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
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.at(v.visit_unit())
    }
    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.at(v.visit_unit())
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.note(Kind::Option);
        let inner = self.child("?");
        self.at(v.visit_some(inner))
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _n: &'static str,
        v: V,
    ) -> Result<V::Value, ProbeError> {
        self.at(v.visit_unit())
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _n: &'static str,
        v: V,
    ) -> Result<V::Value, ProbeError> {
        // Transparent in JSON: the same path.
        let inner = Probe {
            path: self.path.clone(),
            seen: self.seen,
            omit: self.omit,
        };
        self.at(v.visit_newtype_struct(inner))
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ProbeError> {
        self.note(Kind::Seq);
        // One element describes them all; the capacity is learnt from the type's refusal of
        // more than it holds.
        let left = if self.cap() == UNKNOWN { UNKNOWN } else { 1 };
        let r = v.visit_seq(Seq {
            probe: self.child("[]"),
            left,
        });
        self.at(r)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, ProbeError> {
        self.note(Kind::Tuple(len));
        let r = v.visit_seq(Seq {
            probe: self.child("()"),
            left: len,
        });
        self.at(r)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _n: &'static str,
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
        _n: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ProbeError> {
        self.note(Kind::Struct(fields));
        let names: Vec<&'static str> = fields
            .iter()
            .copied()
            .filter(|f| self.omit.is_none_or(|(p, o)| p != self.path || *f != o))
            .collect();
        let r = v.visit_map(Fields {
            probe: &self,
            names,
            next: 0,
        });
        self.at(r)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _n: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ProbeError> {
        self.note(Kind::Enum(variants.to_vec()));
        let first = variants.first().copied().unwrap_or("");
        let access: de::value::StrDeserializer<'_, ProbeError> = first.into_deserializer();
        self.at(v.visit_enum(access))
    }
}

struct Seq<'s> {
    probe: Probe<'s>,
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

struct Fields<'p, 's> {
    probe: &'p Probe<'s>,
    names: Vec<&'static str>,
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
        let key: de::value::StrDeserializer<'_, ProbeError> = (*name).into_deserializer();
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

/// Walks `D`, learning every list's capacity; then, for each struct field, whether leaving it
/// out is refused.
fn walk<D: for<'de> Deserialize<'de>>() -> (Seen, BTreeMap<String, Vec<&'static str>>) {
    let seen = RefCell::new(Seen::default());
    for _ in 0..10_000 {
        let probe = Probe {
            path: String::new(),
            seen: &seen,
            omit: None,
        };
        match D::deserialize(probe) {
            Ok(_) => break,
            Err(ProbeError {
                path: Some(path),
                cap: Some(cap),
                ..
            }) => {
                let mut s = seen.borrow_mut();
                assert!(
                    s.caps.insert(path.clone(), cap).is_none(),
                    "{path} refused its capacity {cap}"
                );
            }
            Err(e) => panic!("probe: {e}"),
        }
    }
    let structs: Vec<(String, &'static [&'static str])> = seen
        .borrow()
        .kinds
        .iter()
        .filter_map(|(p, k)| match k {
            Kind::Struct(fields) => Some((p.clone(), *fields)),
            _ => None,
        })
        .collect();
    let mut required = BTreeMap::new();
    for (path, fields) in structs {
        let mut needed = Vec::new();
        for field in fields {
            let probe = Probe {
                path: String::new(),
                seen: &seen,
                omit: Some((path.as_str(), field)),
            };
            if let Err(e) = D::deserialize(probe) {
                assert!(
                    e.msg.contains(&format!("missing field `{field}`")),
                    "{path}/{field}: {e}"
                );
                needed.push(*field);
            }
        }
        required.insert(path, needed);
    }
    (seen.into_inner(), required)
}

fn schema_at(path: &str, seen: &Seen, required: &BTreeMap<String, Vec<&'static str>>) -> Value {
    let Some(kind) = seen.kinds.get(path) else {
        return json!({});
    };
    let cap = seen.caps.get(path).copied();
    match kind {
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Int { min, max } => {
            let mut m = Map::new();
            m.insert("type".into(), json!("integer"));
            m.insert(
                "minimum".into(),
                json!(i64::try_from(*min).unwrap_or(i64::MIN)),
            );
            if let Ok(max) = u64::try_from(*max)
                && max < u64::MAX
            {
                m.insert("maximum".into(), json!(max));
            }
            Value::Object(m)
        }
        Kind::Number => json!({"type": "number"}),
        Kind::Str => match cap {
            Some(c) => json!({"type": "string", "maxLength": c}),
            None => json!({"type": "string"}),
        },
        Kind::Enum(variants) => json!({"enum": variants}),
        Kind::Seq => {
            let mut m = Map::new();
            m.insert("type".into(), json!("array"));
            m.insert(
                "items".into(),
                schema_at(&format!("{path}/[]/"), seen, required),
            );
            if let Some(c) = cap {
                m.insert("maxItems".into(), json!(c));
            }
            Value::Object(m)
        }
        Kind::Tuple(n) => json!({
            "type": "array",
            "minItems": n,
            "maxItems": n,
            "items": schema_at(&format!("{path}/()/"), seen, required),
        }),
        Kind::Option => schema_at(&format!("{path}/?"), seen, required),
        Kind::Struct(fields) => {
            let mut props = Map::new();
            for f in *fields {
                props.insert(
                    (*f).to_owned(),
                    schema_at(&format!("{path}/{f}"), seen, required),
                );
            }
            json!({
                "type": "object",
                "properties": props,
                "required": required.get(path).cloned().unwrap_or_default(),
                "additionalProperties": false,
            })
        }
    }
}

#[test]
fn the_schema_file_is_generated_from_the_types() {
    let (seen, required) = walk::<ControllerDoc>();
    let mut root = schema_at("", &seen, &required);
    let obj = root.as_object_mut().unwrap();
    let mut head = Map::new();
    head.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    head.insert(
        "$id".into(),
        json!("https://fleetcore.dev/schema/fleetcore.schema.json"),
    );
    head.insert(
        "title".into(),
        json!("fleetcore controller document (generated from fleetcore::config::ControllerDoc by core/tests/schema.rs)"),
    );
    head.append(obj);
    let text = serde_json::to_string_pretty(&Value::Object(head)).unwrap() + "\n";
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/fleetcore.schema.json");
    if std::env::var_os("FLEETCORE_BLESS").is_some() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &text).unwrap();
    }
    let stored = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        stored == text,
        "schema/fleetcore.schema.json is stale: FLEETCORE_BLESS=1 cargo test -p fleetcore --test schema"
    );
    // The schema knows the document's sections and their capacities.
    let groups = &text;
    assert!(
        groups.contains("\"purchase\"")
            && groups.contains("\"simulation\"")
            && groups.contains("\"behavior\"")
    );
}
