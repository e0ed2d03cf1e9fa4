//! JSON configuration: a controller reads its whole setup (custom instance types, launch
//! templates, security groups, groups with their metrics, alarms, scaling policies, scheduled
//! actions, predictive policy, lifecycle hooks and warm pool) from a
//! byte slice, as it comes from flash, an SD card or a network message, and can write it back.
//!
//! The schema is in the workspace README ("Configuration"); `examples/controller.json` is a
//! complete document, parsed by a test. Field names are `snake_case` and carry their unit
//! (`default_cooldown_s`, `memory_mib`); optional fields take the service's defaults
//! (SEMANTICS §2.1 for groups, §3 for policies and scheduled actions, §6 for security groups,
//! §7 for instance types and launch templates). Unknown fields are refused, so a misspelt
//! option is never silently ignored.
//!
//! - [`decode`] reads a document's shape (JSON syntax, fields, types, capacities);
//! - [`from_slice`] also runs the core's validators over every entry ([`Document`]), so a
//!   document it returns converts without error (`to_instance_type`, `to_data`, `to_config`,
//!   `to_policies`, `to_scheduled_actions`, `to_rules`);
//! - [`to_slice`] writes a document into a caller buffer; `decode(to_slice(d)) == d` for
//!   every document (see "Round trips" below).
//! - [`GroupDoc::build`] makes the group a document describes, with every list applied;
//!   [`GroupDoc::apply`] gives the lists to a group the caller placed (firmware keeps groups in
//!   static memory), checking everything before it changes anything.
//!
//! All are pure: they build a new value or return an error, and never leave anything half-built.
//!
//! Positions. serde-json-core reports errors without a position, so parsing takes two passes:
//! 1. a small tokenizer (`scan`) checks the JSON syntax of the whole input, its size
//!    ([`MAX_DOCUMENT`]) and nesting ([`MAX_DEPTH`]), and reports a syntax error at its byte;
//! 2. serde-json-core deserializes the document through a wrapper (`track`) that counts members
//!    and elements on the way down, so every error of serde's derived code (unknown field,
//!    missing field, wrong type, number out of range, string or list too long) comes back with
//!    the numeric path of the value it concerns. The validators return a path of field names.
//!
//! Either path is then walked over the input by the tokenizer, which yields the byte offset
//! (line and column are counted from it) and the printable path, such as
//! `groups[0].policies[2].target`. We chose this over patching serde-json-core (its position
//! is private) or a tokenizer-only parser (which would re-implement serde's derive): the
//! wrapper is independent of the schema, and the price is a second linear pass over the input,
//! only on error. Integers are read as JSON numbers and checked by the wrapper, so `1.5` or
//! `-1` in a whole-number field is reported at the field.
//!
//! Strings. Any JSON string is read as the text it encodes: every escape of RFC 8259 §7
//! (`\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t` `\uXXXX`), and a surrogate pair
//! (`"\ud83d\ude00"`) as the one character it encodes, in values and field names alike. A
//! lone surrogate encodes no character: the first pass refuses it as a
//! [`ConfigError::Syntax`] at its escape. serde-json-core undoes escapes one `\u` at a time
//! and so refuses pairs; it is given no unescape buffer, hands strings over as written, and the
//! tracker undoes their escapes on the stack (256 bytes, more than any string field). Capacities
//! count the bytes of the text once its escapes are undone.
//!
//! Round trips. The writer fills in every default, and writes a string's control characters
//! as `\u00XX` (six bytes for one): its output can be longer than what was read (an accepted
//! 15,164-byte document once wrote 19,506 bytes). Rather than a writer that leaves defaults
//! out, which would still not bound its output by its input (`1e9` is written `1000000000`),
//! [`MAX_DOCUMENT`] covers the writer's largest output: the document with every list full,
//! every string at capacity in U+0001, every option present and every number at its widest
//! writes 173,258 bytes (113,624 before the `purchase` and `simulation` sections); the limit is
//! 192 KiB. A test builds that document from the types
//! themselves (so a new field or capacity is counted) and checks the bound; a property test
//! checks reading and the round trip against `serde_json`. The limit costs nothing: the parser
//! reads the caller's slice in place and keeps no buffer of its size.
//!
//! Memory: every document has fixed capacities (heapless); nothing is allocated. Sizes
//! (x86-64): `ControllerDoc` 40 336 bytes, `GroupDoc` 12 680 (of which the `purchase` section
//! 5 064), `SimulationDoc` 2 416, `SecurityGroupDoc` 2 520,
//! `PolicyDoc` 472, `ScheduledActionDoc` 336, `LaunchTemplateDoc` 224, `InstanceTypeDoc` 64,
//! `LocatedError` 160. Stack: serde's derived code moves a value through every frame of the
//! nested calls, so a `ControllerDoc` is read list by list and a group's policies and scheduled
//! actions entry by entry, through serde only one entry at a time. Measured on x86-64 in a
//! release build (threads of decreasing stack size, minus the thread's own 84 KiB): the
//! example document needs about 100 KiB of stack, of which about 54 KiB are copies of the
//! 26 KiB result; a `PolicyDoc` alone about 14 KiB. An unoptimised build needs several times
//! more. Numbers with a fraction are [`Value`](crate::value::Value)s in thousandths, converted through text (no
//! float arithmetic in the crate).

// Errors carry their path by value: there is no allocator to box them, and they are rare.
#![allow(clippy::result_large_err)]

mod error;
pub use error::ConfigError;

mod dynamic;
mod hpa;
mod purchase;
mod scan;
mod schema;
mod simulation;
mod track;

use core::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use dynamic::{AlarmDoc, HookDoc, MetricDoc, PredictiveDoc, WarmPoolDoc};
pub use hpa::{BehaviorDoc, RatePolicyDoc, RulesDoc};
pub use purchase::{
    MAX_DOC_POOLS, MAX_DOC_RESERVATIONS, MixedInstancesDoc, OverrideDoc, PriceDoc, PurchaseDoc,
    ReservationDoc, SpotPoolDoc, TypeText,
};
pub use schema::{
    ControllerDoc, DESCRIPTION_MAX, GroupDoc, InstanceTypeDoc, LaunchTemplateDoc,
    MAX_DOC_SCHEDULED, MAX_DOC_STEPS, MAX_GROUPS, MAX_INSTANCE_TYPES, MAX_RULES,
    MAX_SECURITY_GROUPS, MAX_TEMPLATES, NAME_MAX, Name, PolicyDoc, PolicyKind, RULE_TEXT_MAX,
    RuleDoc, Rules, ScheduledActionDoc, SecurityGroupDoc, StepDoc, TimeText, parse_time,
};
pub use simulation::{MAX_INTERRUPTIONS, SimulationDoc, SpotInterruptionDoc};

use crate::id::{SecurityGroupId, TemplateId};
use scan::Seg;
use track::{Fault, Tracker, Wrap};

vocabulary! {
    /// Which document a check reads: `fc_config_check`'s `kind` and Python's
    /// `check_config(kind=...)`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum DocKind: "document kind" {
        /// [`ControllerDoc`]: a controller's whole setup.
        Controller = 0 => "controller",
        /// [`InstanceTypeDoc`].
        InstanceType = 1 => "instance_type",
        /// [`LaunchTemplateDoc`].
        LaunchTemplate = 2 => "launch_template",
        /// [`SecurityGroupDoc`].
        SecurityGroup = 3 => "security_group",
        /// [`GroupDoc`], with its policies and scheduled actions.
        Group = 4 => "group",
        /// [`PolicyDoc`].
        Policy = 5 => "policy",
        /// [`ScheduledActionDoc`].
        ScheduledAction = 6 => "scheduled_action",
    }
}

/// The longest document accepted, in bytes: more than the writer writes for the largest
/// document the types hold (113,624 bytes, measured by a test), so whatever [`to_slice`] writes
/// reads back (see the module docs, "Round trips").
pub const MAX_DOCUMENT: usize = 192 * 1024;
/// The deepest nesting of objects and arrays accepted.
pub const MAX_DEPTH: usize = 16;
/// The longest path an error carries; longer paths are cut.
pub const PATH_MAX: usize = 96;

/// A printable path into a document, such as `groups[0].policies[2].target`.
pub type Path = heapless::String<PATH_MAX>;

/// Where in the input a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Location {
    /// Byte offset from the start of the input.
    pub offset: usize,
    /// Line, from 1.
    pub line: u32,
    /// Column in bytes, from 1.
    pub column: u32,
    /// The field, such as `groups[0].policies[2].target` (empty for the whole document).
    pub path: Path,
}

impl Location {
    fn error(input: &[u8], error: ConfigError, offset: usize, path: Path) -> LocatedError {
        let (line, column) = scan::line_col(input, offset);
        LocatedError {
            error,
            location: Self {
                offset,
                line,
                column,
                path,
            },
        }
    }
}

/// A [`ConfigError`] and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LocatedError {
    /// What is wrong.
    pub error: ConfigError,
    /// Where.
    pub location: Location,
}

impl fmt::Display for LocatedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.location;
        let path = if l.path.is_empty() {
            "document"
        } else {
            l.path.as_str()
        };
        write!(
            f,
            "{path}: {} (line {}, column {}, byte {})",
            self.error, l.line, l.column, l.offset
        )
    }
}

impl core::error::Error for LocatedError {}

impl crate::error::Error for LocatedError {
    fn code(&self) -> u32 {
        crate::error::Error::code(&self.error)
    }

    fn kind(&self) -> crate::ErrorKind {
        crate::error::Error::kind(&self.error)
    }
}

mod sealed {
    /// The validation hook of [`super::Document`], hidden so the set of documents is closed.
    pub trait Sealed: Sized {
        /// Runs the core's validators; the error's path is relative to the document.
        fn check_at(&self) -> Result<(), super::Fault>;

        /// Reads the document from `span` of `input` (which passed the first pass).
        fn read(input: &[u8], span: (usize, usize)) -> Result<Self, super::Fault>
        where
            Self: serde::de::DeserializeOwned,
        {
            super::read_serde(input, span)
        }
    }
}

/// A document kind: [`ControllerDoc`] (a whole setup) or one of its entries on its own.
pub trait Document: Serialize + DeserializeOwned + sealed::Sealed {}

impl sealed::Sealed for InstanceTypeDoc {
    fn check_at(&self) -> Result<(), Fault> {
        self.convert().map(|_| ())
    }
}

impl sealed::Sealed for LaunchTemplateDoc {
    fn check_at(&self) -> Result<(), Fault> {
        self.convert().map(|_| ())
    }
}

/// On its own, a security group's `group` peers cannot be resolved; any name is accepted.
impl sealed::Sealed for SecurityGroupDoc {
    fn check_at(&self) -> Result<(), Fault> {
        self.convert(&|_| Some(SecurityGroupId::from_u64(0)))
            .map(|_| ())
    }
}

impl sealed::Sealed for PolicyDoc {
    fn check_at(&self) -> Result<(), Fault> {
        self.convert().map(|_| ())
    }
}

impl sealed::Sealed for ScheduledActionDoc {
    fn check_at(&self) -> Result<(), Fault> {
        self.convert().map(|_| ())
    }
}

/// On its own, a group's launch template cannot be resolved, and its capacity is unknown. Read
/// in parts, like [`ControllerDoc`]: the scalar fields through serde, then each policy and
/// scheduled action on its own.
impl sealed::Sealed for GroupDoc {
    fn check_at(&self) -> Result<(), Fault> {
        let n = usize::try_from(u32::MAX).unwrap_or(usize::MAX);
        self.convert(TemplateId::from_u64(0), n)?;
        self.convert_policies()?;
        self.convert_scheduled()?;
        self.convert_dynamic()?;
        self.convert_purchase(crate::time::Instant::from_secs(0), &[])
            .map(|_| ())
    }

    fn read(input: &[u8], span: (usize, usize)) -> Result<Self, Fault> {
        let head: schema::GroupHead = read_serde(input, span)?;
        let mut doc = head.into_doc();
        let lists = scan::items(input, span.0, true, |_, item| {
            if item.key_is("policies") {
                read_list(
                    input,
                    item.value.0,
                    Seg::Field("policies"),
                    &mut doc.policies,
                )
            } else if item.key_is("scheduled_actions") {
                read_list(
                    input,
                    item.value.0,
                    Seg::Field("scheduled_actions"),
                    &mut doc.scheduled_actions,
                )
            } else {
                Ok(())
            }
        });
        lists.unwrap_or(Ok(()))?;
        Ok(doc)
    }
}

/// Read list by list, entry by entry: serde's derived code would move the whole 26 KiB document
/// through every frame of the nested calls, which costs hundreds of KiB of stack; this way the
/// largest value in flight is one group.
impl sealed::Sealed for ControllerDoc {
    fn check_at(&self) -> Result<(), Fault> {
        self.convert()
    }

    fn read(input: &[u8], span: (usize, usize)) -> Result<Self, Fault> {
        let mut doc = Self::default();
        let mut seen = [false; 6];
        let result = scan::items(input, span.0, true, |n, item| {
            const FIELDS: [&str; 6] = [
                "instance_types",
                "launch_templates",
                "security_groups",
                "groups",
                "simulation",
                "$schema",
            ];
            let Some((slot, field)) = FIELDS
                .iter()
                .enumerate()
                .find(|(_, f)| item.key_is(f))
                .map(|(slot, f)| (slot, *f))
            else {
                return Err(fault(ConfigError::UnknownField, &[Seg::Key(n)]));
            };
            if core::mem::replace(seen.get_mut(slot).unwrap_or(&mut true), true) {
                return Err(fault(ConfigError::DuplicateField { field }, &[]));
            }
            let at = Seg::Field(field);
            match slot {
                0 => read_list(input, item.value.0, at, &mut doc.instance_types),
                1 => read_list(input, item.value.0, at, &mut doc.launch_templates),
                2 => read_list(input, item.value.0, at, &mut doc.security_groups),
                3 => read_list(input, item.value.0, at, &mut doc.groups),
                4 => {
                    doc.simulation =
                        Some(read_serde(input, item.value).map_err(schema::within(&[at]))?);
                    Ok(())
                }
                _ => {
                    doc.schema =
                        Some(read_serde(input, item.value).map_err(schema::within(&[at]))?);
                    Ok(())
                }
            }
        });
        match result {
            Some(Ok(())) => Ok(doc),
            Some(Err(f)) => Err(f),
            None => Err(fault(
                ConfigError::WrongType {
                    expected: "an object",
                },
                &[],
            )),
        }
    }
}

fn fault(error: ConfigError, path: &[Seg]) -> Fault {
    Fault {
        error,
        path: Some(path.iter().copied().collect()),
    }
}

/// Reads the list at `start` into `list`, one entry at a time.
fn read_list<T: Document, const N: usize>(
    input: &[u8],
    start: usize,
    at: Seg,
    list: &mut heapless::Vec<T, N>,
) -> Result<(), Fault> {
    let result = scan::items(input, start, false, |i, item| {
        let entry = T::read(input, item.value).map_err(schema::within(&[at, Seg::Index(i)]))?;
        list.push(entry)
            .map_err(|_| fault(ConfigError::TooLong { max: N }, &[at]))
    });
    result.unwrap_or_else(|| Err(fault(ConfigError::WrongType { expected: "a list" }, &[at])))
}

/// Reads `span` of `input` with serde-json-core through the tracker.
fn read_serde<D: serde::de::DeserializeOwned>(
    input: &[u8],
    span: (usize, usize),
) -> Result<D, Fault> {
    let part = input.get(span.0..span.1).unwrap_or_default();
    // No unescape buffer: serde-json-core then hands every string over as written, and the
    // tracker undoes its escapes (surrogate pairs included, which serde-json-core refuses).
    let mut de = serde_json_core::de::Deserializer::new(part, None);
    let tracker = Tracker::default();
    let doc = D::deserialize(Wrap {
        de: &mut de,
        t: &tracker,
    })?;
    // The first pass already refused trailing text; this keeps the two passes honest.
    de.end()
        .map_err(|_| tracker.finish(ConfigError::TrailingCharacters))?;
    Ok(doc)
}

impl Document for InstanceTypeDoc {}
impl Document for LaunchTemplateDoc {}
impl Document for SecurityGroupDoc {}
impl Document for PolicyDoc {}
impl Document for ScheduledActionDoc {}
impl Document for GroupDoc {}
impl Document for ControllerDoc {}

fn locate(input: &[u8], fault: &Fault) -> LocatedError {
    let segs: &[Seg] = fault.path.as_deref().unwrap_or_default();
    let (mut offset, path) = scan::locate(input, segs);
    // A time zone error knows its byte in the text: point at it.
    if let ConfigError::Scaling(crate::scaling::ScalingError::InvalidTimeZone { position }) =
        fault.error
        && input.get(offset) == Some(&b'"')
    {
        offset = offset
            .saturating_add(1)
            .saturating_add(usize::from(position));
    }
    Location::error(input, fault.error, offset, path)
}

/// Reads a document's shape: JSON syntax, fields, types and capacities. The result may still
/// fail the validators ([`from_slice`] runs them).
///
/// # Errors
/// [`ConfigError::TooLarge`], the syntax errors ([`ConfigError::Syntax`],
/// [`ConfigError::Truncated`], [`ConfigError::TrailingCharacters`], [`ConfigError::TooDeep`])
/// and the schema errors ([`ConfigError::UnknownField`], [`ConfigError::MissingField`],
/// [`ConfigError::WrongType`], [`ConfigError::OutOfRange`], [`ConfigError::TooLong`] …), each
/// with its [`Location`].
pub fn decode<D: Document>(input: &[u8]) -> Result<D, LocatedError> {
    if input.len() > MAX_DOCUMENT {
        return Err(Location::error(
            input,
            ConfigError::TooLarge { max: MAX_DOCUMENT },
            MAX_DOCUMENT,
            Path::new(),
        ));
    }
    scan::scan(input)?;
    D::read(input, (0, input.len())).map_err(|f| locate(input, &f))
}

/// Reads a document and checks every entry with the core's validators.
///
/// # Errors
/// Those of [`decode`], and the validators' errors ([`ConfigError::Catalog`],
/// [`ConfigError::Group`], [`ConfigError::Scaling`], [`ConfigError::Network`],
/// [`ConfigError::UnknownReference`], [`ConfigError::DuplicateName`] …) at the field they
/// concern.
pub fn from_slice<D: Document>(input: &[u8]) -> Result<D, LocatedError> {
    let doc: D = decode(input)?;
    doc.check_at().map_err(|f| locate(input, &f))?;
    Ok(doc)
}

/// Writes `doc` as JSON into `buf` and returns the bytes written.
///
/// # Errors
/// [`ConfigError::BufferTooSmall`].
pub fn to_slice<D: Document>(doc: &D, buf: &mut [u8]) -> Result<usize, ConfigError> {
    serde_json_core::to_slice(doc, buf).map_err(|_| ConfigError::BufferTooSmall)
}

#[cfg(test)]
mod tests;
