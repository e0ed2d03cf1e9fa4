//! Issue 19, item 3, on every field: a snapshot's payload is cut into the fields of its
//! encoding (every primitive postcard writes, found by serializing the group through a
//! recording `serde::Serializer`, so a field added to the group is covered without touching
//! this file), each field is edited to several values (boundaries of its type among them), the
//! frame is resealed with a good checksum, and the result must be either refused with a named
//! error, leaving the target group unchanged, or restore to a group that keeps every invariant
//! its own operations keep while it runs on: its own next snapshot is accepted, ids stay
//! unique, desired stays within [min, max], and every terminate or notification names a member
//! that was launched or restored.

use std::collections::BTreeSet;
use std::string::{String, ToString};
use std::vec::Vec;

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::{G, T1, busy_group, t, tick};
use crate::group::member::OWE_LAUNCH;
use crate::group::{Action, Event, Group, HookResult, Member, Parts};
use crate::id::InstanceId;
use crate::snapshot::{self, SnapshotError};

/// One primitive of the postcard encoding, in the order postcard writes it.
#[derive(Debug, Clone, PartialEq)]
enum Leaf {
    /// A byte written as is: `u8`, `i8` (as its bits), an `Option` tag.
    Byte(u8),
    /// `bool`: one byte, 0 or 1.
    Bool(bool),
    /// An unsigned varint of `bits` bits: `u16`..`u128`, lengths, enum variant indices.
    Var(u128, u32),
    /// A zigzag varint of a signed integer of `bits` bits.
    Signed(i128, u32),
    /// Raw little-endian bytes of a float.
    Raw(Vec<u8>),
    /// A length-prefixed string or byte string.
    Text(Vec<u8>),
}

fn varint(mut v: u128, out: &mut Vec<u8>) {
    loop {
        let low = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn zigzag(v: i128) -> u128 {
    ((v << 1) ^ (v >> 127)).cast_unsigned()
}

impl Leaf {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::Byte(b) => out.push(*b),
            Self::Bool(b) => out.push(u8::from(*b)),
            Self::Var(v, _) => varint(*v, out),
            Self::Signed(v, _) => varint(zigzag(*v), out),
            Self::Raw(b) => out.extend_from_slice(b),
            Self::Text(b) => {
                varint(b.len() as u128, out);
                out.extend_from_slice(b);
            }
        }
    }

    /// The values this field is edited to: neighbours, the type's boundaries and, for varints,
    /// one past the type (which postcard must refuse).
    fn edits(&self) -> Vec<Self> {
        let mut v = match self {
            Self::Byte(b) => [0, 1, b.wrapping_add(1), b.wrapping_sub(1), 0x7f, 0x80, 0xff]
                .map(Self::Byte)
                .to_vec(),
            Self::Bool(b) => std::vec![Self::Bool(!b), Self::Byte(2)],
            Self::Var(x, bits) => {
                let max = if *bits >= 128 {
                    u128::MAX
                } else {
                    (1u128 << bits) - 1
                };
                let mut e = std::vec![0, 1, x.saturating_add(1).min(max), x.saturating_sub(1)];
                e.extend([max / 2, max, 64, 65, 255]);
                let mut out: Vec<Self> = e
                    .into_iter()
                    .map(|y| Self::Var(y.min(max), *bits))
                    .collect();
                if *bits < 64 {
                    // Past the type: a varint postcard must refuse for this width.
                    out.push(Self::Var(max + 1, 128));
                }
                out
            }
            Self::Signed(x, bits) => {
                let max = (1i128 << (bits - 1)) - 1;
                let min = -max - 1;
                let e = [
                    0,
                    1,
                    -1,
                    x.saturating_add(1).min(max),
                    x.saturating_sub(1).max(min),
                    min,
                    max,
                ];
                e.into_iter().map(|y| Self::Signed(y, *bits)).collect()
            }
            Self::Raw(b) => std::vec![
                Self::Raw(std::vec![0; b.len()]),
                Self::Raw(std::vec![0xff; b.len()])
            ],
            Self::Text(b) => {
                let mut longer = b.clone();
                longer.extend_from_slice(b"-edited-to-a-longer-name-than-any");
                std::vec![
                    Self::Text(Vec::new()),
                    Self::Text(b"z".to_vec()),
                    Self::Text(longer),
                    Self::Text(std::vec![0xff; b.len().max(1)]),
                ]
            }
        };
        v.retain(|e| e != self);
        v.dedup();
        v
    }
}

#[derive(Debug)]
struct RecordError(String);

impl core::fmt::Display for RecordError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl ser::StdError for RecordError {}

impl ser::Error for RecordError {
    fn custom<T: core::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

/// A serializer that writes nothing but the list of leaves postcard would encode.
#[derive(Default)]
struct Recorder {
    leaves: Vec<Leaf>,
    /// Each leaf's place: the struct fields around it, outermost first.
    paths: Vec<String>,
    stack: Vec<&'static str>,
}

impl Recorder {
    fn push(&mut self, leaf: Leaf) {
        self.leaves.push(leaf);
        self.paths.push(self.stack.join("."));
    }
}

type R<'a> = Result<(), RecordError>;

impl<'a> ser::Serializer for &'a mut Recorder {
    type Ok = ();
    type Error = RecordError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> R<'a> {
        self.push(Leaf::Bool(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R<'a> {
        self.push(Leaf::Byte(v.cast_unsigned()));
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> R<'a> {
        self.push(Leaf::Signed(v.into(), 16));
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> R<'a> {
        self.push(Leaf::Signed(v.into(), 32));
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> R<'a> {
        self.push(Leaf::Signed(v.into(), 64));
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> R<'a> {
        self.push(Leaf::Signed(v, 128));
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> R<'a> {
        self.push(Leaf::Byte(v));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> R<'a> {
        self.push(Leaf::Var(v.into(), 16));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> R<'a> {
        self.push(Leaf::Var(v.into(), 32));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> R<'a> {
        self.push(Leaf::Var(v.into(), 64));
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> R<'a> {
        self.push(Leaf::Var(v, 128));
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> R<'a> {
        self.push(Leaf::Raw(v.to_le_bytes().to_vec()));
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> R<'a> {
        self.push(Leaf::Raw(v.to_le_bytes().to_vec()));
        Ok(())
    }
    fn serialize_char(self, v: char) -> R<'a> {
        let mut b = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut b))
    }
    fn serialize_str(self, v: &str) -> R<'a> {
        self.push(Leaf::Text(v.as_bytes().to_vec()));
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R<'a> {
        self.push(Leaf::Text(v.to_vec()));
        Ok(())
    }
    fn serialize_none(self) -> R<'a> {
        self.push(Leaf::Byte(0));
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> R<'a> {
        self.push(Leaf::Byte(1));
        value.serialize(self)
    }
    fn serialize_unit(self) -> R<'a> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R<'a> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> R<'a> {
        self.push(Leaf::Var(index.into(), 32));
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> R<'a> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> R<'a> {
        self.push(Leaf::Var(index.into(), 32));
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, RecordError> {
        let len = len.ok_or_else(|| RecordError("a sequence of unknown length".into()))?;
        self.push(Leaf::Var(len as u128, 64));
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, RecordError> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, RecordError> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, RecordError> {
        self.push(Leaf::Var(index.into(), 32));
        Ok(self)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, RecordError> {
        self.serialize_seq(len)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, RecordError> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, RecordError> {
        self.push(Leaf::Var(index.into(), 32));
        Ok(self)
    }
    fn collect_str<T: ?Sized + core::fmt::Display>(self, value: &T) -> R<'a> {
        self.serialize_str(&value.to_string())
    }
    fn is_human_readable(&self) -> bool {
        false
    }
}

macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Recorder {
            type Ok = ();
            type Error = RecordError;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> R<'static> {
                value.serialize(&mut **self)
            }
            fn end(self) -> R<'static> {
                Ok(())
            }
        }
    )*};
}
compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Recorder {
    type Ok = ();
    type Error = RecordError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> R<'static> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> R<'static> {
        value.serialize(&mut **self)
    }
    fn end(self) -> R<'static> {
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Recorder {
    type Ok = ();
    type Error = RecordError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> R<'static> {
        self.stack.push(name);
        let r = value.serialize(&mut **self);
        self.stack.pop();
        r
    }
    fn end(self) -> R<'static> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Recorder {
    type Ok = ();
    type Error = RecordError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> R<'static> {
        self.stack.push(name);
        let r = value.serialize(&mut **self);
        self.stack.pop();
        r
    }
    fn end(self) -> R<'static> {
        Ok(())
    }
}

// Keeps `Impossible` referenced for readers looking for the unsupported cases: there are none;
// every serde shape maps to a postcard primitive above.
#[allow(dead_code)]
type Unsupported = Impossible<(), RecordError>;

/// The group's fields as postcard encodes them, checked against postcard's own bytes.
fn leaves_of<const N: usize, P: Parts>(g: &Group<N, P>) -> (Vec<Leaf>, Vec<String>, Vec<u8>) {
    let mut r = Recorder::default();
    g.serialize(&mut r).unwrap();
    let mut frame = std::vec![0u8; g.snapshot_len().unwrap()];
    let n = g.snapshot(&mut frame).unwrap();
    frame.truncate(n);
    let payload = &frame[snapshot::HEADER_LEN..n - snapshot::TRAILER_LEN];
    assert_eq!(
        encode(&r.leaves),
        payload,
        "the recorder cuts postcard's bytes exactly"
    );
    (r.leaves, r.paths, frame)
}

fn encode(leaves: &[Leaf]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in leaves {
        l.encode(&mut out);
    }
    out
}

/// A frame around `payload` with the header of `frame` and a good checksum.
fn resealed(frame: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut f = frame[..snapshot::HEADER_LEN].to_vec();
    f.extend_from_slice(payload);
    f.extend_from_slice(&[0; snapshot::TRAILER_LEN]);
    snapshot::reseal(&mut f);
    f
}

/// What an edited snapshot did.
#[derive(Debug, Default)]
struct Tally {
    fields: usize,
    edits: usize,
    refused: BTreeSet<String>,
    refusals: usize,
    accepted: usize,
}

/// Fails `run_on` with a message, as `assert!` would, so that every gap is listed at once.
macro_rules! check {
    ($ok:expr, $($msg:tt)*) => {
        if !$ok {
            return Err(std::format!($($msg)*));
        }
    };
}

/// Checks the group `g` restored from an edited snapshot by running it on: ticks with the
/// world answering, scale-outs and scale-ins, snapshots in between.
fn run_on(mut g: G) -> Result<(), String> {
    let mut known: BTreeSet<InstanceId> = g.members().iter().map(Member::id).collect();
    // A member restored with its launch still owed gets that launch once.
    let mut owed: BTreeSet<InstanceId> = g
        .members()
        .iter()
        .filter(|m| m.owed & OWE_LAUNCH != 0)
        .map(Member::id)
        .collect();
    let mut buf = std::vec![0u8; 1 << 16];
    let start = g
        .members()
        .iter()
        .map(|m| m.launched_at)
        .max()
        .unwrap_or(t(0));
    let mut now = start.saturating_add(crate::time::Duration::from_secs(10));
    for (step, wanted) in [3, 8, 0, 5, 1, 2].into_iter().enumerate() {
        let (lo, hi) = (g.config().min_size, g.config().max_size);
        let _ = g.set_desired(now, wanted.clamp(lo, hi), false);
        let out = tick(&mut g, now, &T1);
        for a in &out {
            match *a {
                Action::Launch { id, .. } => {
                    check!(
                        owed.remove(&id) || known.insert(id),
                        "step {step}: launch of an id already used: {id}"
                    );
                    let _ = g.observe(now, Event::Booted(id));
                }
                Action::Terminate { id } => {
                    check!(
                        known.contains(&id),
                        "step {step}: terminate of an unknown id {id}"
                    );
                    let _ = g.observe(now, Event::Terminated(id));
                }
                Action::NotifyHook { id, hook, .. } => {
                    check!(
                        known.contains(&id),
                        "step {step}: hook for an unknown id {id}"
                    );
                    let _ = g.observe(now, Event::HookCompleted(id, hook, HookResult::Continue));
                }
                _ => {}
            }
        }
        let c = g.config();
        check!(
            c.min_size <= g.desired() && g.desired() <= c.max_size,
            "step {step}: desired {} outside [{}, {}]",
            g.desired(),
            c.min_size,
            c.max_size
        );
        let ids: BTreeSet<InstanceId> = g.members().iter().map(Member::id).collect();
        check!(
            ids.len() == g.members().len(),
            "step {step}: a duplicate member id"
        );
        if let Err(e) = g.check_invariants() {
            return Err(std::format!("step {step}: {e}"));
        }
        let n = g.snapshot(&mut buf).map_err(|e| std::format!("{e}"))?;
        match G::restore(&buf[..n]) {
            Ok(back) => check!(
                back == g,
                "step {step}: the own snapshot restores another group"
            ),
            Err(e) => {
                return Err(std::format!(
                    "step {step}: its own snapshot is refused: {e}"
                ));
            }
        }
        now = now.saturating_add(crate::time::Duration::from_secs(400));
    }
    Ok(())
}

fn every_field_of(base: &G, tally: &mut Tally, gaps: &mut Vec<String>) {
    let (leaves, paths, frame) = leaves_of(base);
    tally.fields += leaves.len();
    for (i, leaf) in leaves.iter().enumerate() {
        for edit in leaf.edits() {
            let mut edited = leaves.clone();
            edited[i] = edit.clone();
            let bytes = resealed(&frame, &encode(&edited));
            let what = std::format!("field {i} `{}` ({leaf:?}) edited to {edit:?}", paths[i]);
            tally.edits += 1;
            let mut target = base.clone();
            let into = target.restore_into(&bytes);
            match G::restore(&bytes) {
                Err(e) => {
                    assert_eq!(into, Err(e), "{what}: both decoders refuse alike");
                    assert_eq!(&target, base, "{what}: refused, so unchanged");
                    assert!(
                        matches!(
                            e,
                            SnapshotError::Malformed | SnapshotError::Inconsistent { .. }
                        ),
                        "{what}: {e:?}"
                    );
                    tally.refusals += 1;
                    tally.refused.insert(e.to_string());
                }
                Ok(g) => {
                    assert_eq!(into, Ok(()), "{what}: both decoders accept alike");
                    assert_eq!(target, g, "{what}: both decoders restore the same group");
                    assert_eq!(g.check_invariants(), Ok(()), "{what}");
                    tally.accepted += 1;
                    if let Err(gap) = run_on(g) {
                        gaps.push(std::format!("{what}: {gap}"));
                    }
                }
            }
        }
    }
}

/// Every field of two groups' snapshots (a busy one with standby, protection and a member
/// waiting on a terminating hook; an empty one), each edited to several values.
#[test]
fn every_single_field_edit_of_a_resealed_snapshot_is_refused_or_keeps_the_invariants() {
    let mut tally = Tally::default();
    let mut gaps = Vec::new();
    every_field_of(&busy_group(), &mut tally, &mut gaps);
    every_field_of(&super::group(0, 4, None, &["a"]), &mut tally, &mut gaps);
    std::println!("{tally:?}");
    assert!(
        gaps.is_empty(),
        "{} edits restore a group that breaks an invariant:\n{}",
        gaps.len(),
        gaps.join("\n")
    );
    assert!(tally.fields > 100, "{tally:?}");
    assert!(tally.refusals > 0 && tally.accepted > 0, "{tally:?}");
    assert!(
        tally
            .refused
            .iter()
            .any(|e| e.contains("invariant") || e.contains("inconsistent")),
        "some edits are refused by an invariant: {tally:?}"
    );
}
