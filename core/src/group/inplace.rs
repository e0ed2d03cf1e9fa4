//! Creating and restoring a group in storage the caller already has, with a few KB of stack
//! (DESIGN.md, `snapshot`; SEMANTICS has no rule here).
//!
//! A `Group<64>` is some 58 KB; a decoder that returns one by value keeps temporaries of it
//! (and, while decoding, of every container inside it) on the stack: far more than a
//! microcontroller has. So the core never decodes a group by value, and builds one only here:
//! - [`Group::init`] builds a new group in a `MaybeUninit` slot: a literal whose containers are
//!   empty, inlined, so an optimised build writes the few fields straight into the slot;
//! - [`Group::reset`] turns an existing group into a new one field by field;
//! - [`Group::restore_into`] decodes a snapshot into an existing group field by field, refilling
//!   each container one element at a time. The largest temporaries are one element (a member is
//!   64 bytes, a metric with its datapoints about 1 KB) and the optional parts kept whole,
//!   which take stack only when the snapshot holds them: the price ledger, the predictive policy
//!   with its load history and the HPA state.
//!
//! [`Group::new`] and [`Group::restore`] are the hosts' by-value forms of `init` and
//! `restore_into` (`restore` is `restore_into` into an empty group); they return the one group
//! and keep no other copy.
//!
//! Measured on a Cortex-M4 (core/firmware, `group_c`, release): the firmware's stack high-water
//! with `fc_group_init` built on these went from 117,416 B to 4,924 B, and restoring that firmware's group (metrics, alarms,
//! target tracking, no ledger) peaks at 9,472 B, where decoding by value took 574 KB. Decoding a
//! ledger takes frames of some 40 KB and a predictive policy some 30 KB (from the disassembly):
//! firmware that uses them needs that much more stack, or their in-place decoding (not done).
//!
//! Model: `restore_into` is atomic. It decodes the payload twice: a first pass decodes every
//! value, drops it and checks the invariants every reachable state keeps (keeping only the
//! configuration, the member ids seen and their pending hook bits), and only a payload that
//! passes is decoded a second time into the group. Any error leaves the group as it was, and
//! the error is the one [`Group::restore`] gives for the same bytes.

use core::cell::Cell;
use core::fmt;
use core::marker::PhantomData;
use core::mem::MaybeUninit;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error as _, SeqAccess, Visitor};

use super::dynamic::Dynamic;
use super::parts::{List, Log, Parts, Slot};
use super::roster::Roster;
use super::{
    Group, GroupConfig, History, HookTransition, LifecycleHook, MAX_HOOKS, Member, Quiet, hook_mask,
};
use crate::group::GroupError;
use crate::id::InstanceId;
use crate::snapshot;
use crate::snapshot::SnapshotError;

/// Where a decoding pass records the first invariant it found broken (decoding goes on).
pub(crate) type Broken = Cell<Option<&'static str>>;

/// The invariants a restored group must keep, as [`SnapshotError::Inconsistent`] names them.
pub(super) const INV_CONFIG: &str = "the configuration is one CreateAutoScalingGroup accepts";
/// See [`INV_CONFIG`].
pub(super) const INV_DESIRED: &str = "min_size <= desired <= max_size";
/// See [`INV_CONFIG`].
pub(super) const INV_MEMBERS: &str =
    "member ids are unique and every member is in one of the group's zones";
/// See [`INV_CONFIG`].
pub(super) const INV_IN_STEP: &str = "one hook wait, sample and replacement entry per member";
/// See [`INV_CONFIG`].
pub(super) const INV_HOOKS: &str = "every pending hook is one of the group's lifecycle hooks";
/// See [`INV_CONFIG`].
pub(super) const INV_OWED: &str =
    "every member owes only actions its state allows (a launch only before it runs)";
/// See [`INV_CONFIG`].
pub(super) const INV_IDS: &str =
    "the id generator is past every member id it issued (its next ids are no member's)";
/// For containers whose elements carry no invariant of their own.
const NO_INVARIANT: &str = "none";

impl<const N: usize, P: Parts> Group<N, P> {
    /// `CreateAutoScalingGroup` into `slot`, which may hold anything: the group is built in
    /// place, with no temporary of it on the stack in an optimised build (see the module docs).
    /// Equal to [`Group::new`] with the same arguments.
    ///
    /// # Errors
    /// Any error of [`GroupConfig::validate`]; `slot` is not written then.
    pub fn init(
        slot: &mut MaybeUninit<Self>,
        config: GroupConfig,
        seed: u64,
    ) -> Result<&mut Self, GroupError> {
        config.validate(N)?;
        Ok(slot.write(Self::fresh(config, seed)))
    }

    /// Makes this group what [`Group::new`] would return for `config` and `seed`, in place:
    /// every container is cleared and nothing the size of the group is built on the stack.
    ///
    /// # Errors
    /// Any error of [`GroupConfig::validate`]; the group is unchanged then.
    pub fn reset(&mut self, config: GroupConfig, seed: u64) -> Result<(), GroupError> {
        config.validate(N)?;
        self.desired = config.desired_capacity.unwrap_or(config.min_size);
        self.config = config;
        self.members.clear();
        self.hooks = [None; MAX_HOOKS];
        self.suspended = 0;
        self.ids = crate::id::IdGenerator::new(seed);
        self.draws = crate::id::IdGenerator::new(!seed);
        self.cooldown_until = None;
        self.cooldown_pending = None;
        self.policies.clear();
        self.scheduled.clear();
        self.forecast_floor = None;
        self.launch_retry_at = None;
        self.all_protected_at = None;
        self.warm_pool.clear();
        self.refresh.clear();
        self.history.clear();
        self.dynamic.clear();
        self.ledger.clear();
        self.mixed.clear();
        self.spot_short = false;
        self.versions = Some(super::TemplateVersions::NEW);
        self.quiet = Quiet(false, 0, false);
        // The members were rewritten in place: a change, whatever the count was.
        self.members.bump();
        self.emit_from = super::Cached(0);
        Ok(())
    }

    /// Replaces this group by the one in a snapshot from [`Group::snapshot`], decoding in place
    /// (see the module docs for the stack this takes). Call [`Group::reconcile`] with the world's
    /// instances before the next `tick`.
    ///
    /// Besides the frame, it needs `N` instance ids of stack (8 bytes each) to check that
    /// member ids are unique.
    ///
    /// # Errors
    /// As [`Group::restore`]. On any error the group is unchanged: the payload is decoded and
    /// checked once before anything is written.
    pub fn restore_into(&mut self, bytes: &[u8]) -> Result<(), SnapshotError> {
        let payload = snapshot::payload(Self::shape(), bytes)?;
        self.decode_payload(payload, false)?;
        // A sample kept for the members in service (the roster's broadcast) belongs to the
        // members being replaced: written to them now, before the pass below overwrites them.
        self.members.bump();
        // The same bytes just decoded and passed every check, so this pass cannot fail.
        self.decode_payload(payload, true)?;
        self.quiet = Quiet(false, 0, false);
        // The members were rewritten in place: a change, whatever the count was.
        self.members.bump();
        self.emit_from = super::Cached(0);
        self.check_invariants()
            .map_err(|invariant| SnapshotError::Inconsistent { invariant })
    }

    /// One pass over a payload: with `apply`, into this group; without, only checking it.
    fn decode_payload(&mut self, payload: &[u8], apply: bool) -> Result<(), SnapshotError> {
        let inconsistent: Broken = Cell::new(None);
        let mut de = postcard::Deserializer::from_bytes(payload);
        let seed = GroupSeed {
            group: self,
            apply,
            inconsistent: &inconsistent,
        };
        let rest = seed
            .deserialize(&mut de)
            .and_then(|()| de.finalize())
            .map_err(|_| SnapshotError::Malformed)?;
        if !rest.is_empty() {
            Err(SnapshotError::Malformed)
        } else if let Some(invariant) = inconsistent.get() {
            Err(SnapshotError::Inconsistent { invariant })
        } else {
            Ok(())
        }
    }
}

/// Takes the next field of a struct encoded as a sequence.
fn next<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(seq: &mut A) -> Result<T, A::Error> {
    seq.next_element()?
        .ok_or_else(|| A::Error::custom("a field is missing"))
}

/// Decodes the next field and, with `apply`, stores it. Kept out of line so that the
/// temporaries of the large fields (the ledger) do not add up in one stack frame.
#[inline(never)]
fn replace<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
    seq: &mut A,
    place: &mut T,
    apply: bool,
) -> Result<(), A::Error> {
    let value = next(seq)?;
    if apply {
        *place = value;
    }
    Ok(())
}

/// Decodes the next field, an `Option` of a large value, and with `apply` stores it. The
/// value is decoded by a function of its own, so its temporaries take stack only when the
/// snapshot holds one (a group without prices or a predictive policy never pays for them).
fn replace_option<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
    seq: &mut A,
    place: &mut Option<T>,
    apply: bool,
) -> Result<(), A::Error> {
    seq.next_element_seed(OptionSeed { place, apply })?
        .ok_or_else(|| A::Error::custom("a field is missing"))
}

/// See [`replace_option`].
struct OptionSeed<'a, T> {
    place: &'a mut Option<T>,
    apply: bool,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for OptionSeed<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionSeed<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an option")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        if self.apply {
            *self.place = None;
        }
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        some(deserializer, self.place, self.apply)
    }
}

/// The `Some` side of [`OptionSeed`], out of line (see [`replace_option`]).
#[inline(never)]
fn some<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
    place: &mut Option<T>,
    apply: bool,
) -> Result<(), D::Error> {
    let value = T::deserialize(deserializer)?;
    if apply {
        *place = Some(value);
    }
    Ok(())
}

/// A container refilled one element at a time.
trait Refill<T> {
    fn empty(&mut self);
    fn put(&mut self, value: T) -> Result<(), T>;
    fn room(&self) -> usize;
}

/// A list (a part's, or the members and what the parts keep beside them), through [`List`]:
/// its capacity is its type's.
struct AsList<'a, L>(&'a mut L);

impl<T, L: List<T>> Refill<T> for AsList<'_, L> {
    fn empty(&mut self) {
        self.0.clear();
    }
    fn put(&mut self, value: T) -> Result<(), T> {
        self.0.push(value)
    }
    fn room(&self) -> usize {
        L::CAPACITY
    }
}

/// Decodes the next field, a part kept or not ([`Slot`]): an `Option` in place, or nothing.
fn replace_slot<'de, A: SeqAccess<'de>, T: Deserialize<'de>, S: Slot<T>>(
    seq: &mut A,
    place: &mut S,
    apply: bool,
) -> Result<(), A::Error> {
    match place.as_option() {
        Some(option) => replace_option(seq, option, apply),
        None => next::<A, super::parts::Absent>(seq).map(|_| ()),
    }
}

impl<T, const C: usize> Refill<T> for heapless::Deque<T, C> {
    fn empty(&mut self) {
        self.clear();
    }
    fn put(&mut self, value: T) -> Result<(), T> {
        self.push_back(value)
    }
    fn room(&self) -> usize {
        C
    }
}

/// Decodes a sequence into a container element by element: with `apply` it is cleared and
/// refilled, without it each element is only decoded and dropped. An element `each` refuses
/// sets the `inconsistent` flag (decoding goes on).
struct Refilled<'a, P, T, F> {
    place: &'a mut P,
    apply: bool,
    each: F,
    inconsistent: &'a Broken,
    /// The invariant `each` checks, named when an element breaks it.
    what: &'static str,
    element: PhantomData<fn() -> T>,
}

/// Decodes the next field, a container, element by element (see [`Refilled`]).
fn refill<'de, A, P, T, F>(
    seq: &mut A,
    place: &mut P,
    apply: bool,
    inconsistent: &Broken,
    what: &'static str,
    each: F,
) -> Result<(), A::Error>
where
    A: SeqAccess<'de>,
    P: Refill<T>,
    T: Deserialize<'de>,
    F: FnMut(&T) -> bool,
{
    let seed = Refilled {
        place,
        apply,
        each,
        inconsistent,
        what,
        element: PhantomData,
    };
    seq.next_element_seed(seed)?
        .ok_or_else(|| A::Error::custom("a field is missing"))
}

impl<'de, P, T, F> DeserializeSeed<'de> for Refilled<'_, P, T, F>
where
    P: Refill<T>,
    T: Deserialize<'de>,
    F: FnMut(&T) -> bool,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, P, T, F> Visitor<'de> for Refilled<'_, P, T, F>
where
    P: Refill<T>,
    T: Deserialize<'de>,
    F: FnMut(&T) -> bool,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        if self.apply {
            self.place.empty();
        }
        let room = self.place.room();
        let mut len = 0usize;
        while let Some(value) = seq.next_element::<T>()? {
            len = len.saturating_add(1);
            if len > room {
                return Err(A::Error::invalid_length(len, &self));
            }
            if !(self.each)(&value) && self.inconsistent.get().is_none() {
                self.inconsistent.set(Some(self.what));
            }
            if self.apply && self.place.put(value).is_err() {
                return Err(A::Error::invalid_length(len, &self));
            }
        }
        Ok(())
    }
}

/// Any element passes.
fn any<T>(_: &T) -> bool {
    true
}

/// The names of the group's encoded fields, in declaration order (`quiet` is not encoded);
/// postcard reads structs as sequences of this length.
const GROUP_FIELDS: [&str; 22] = [
    "config",
    "desired",
    "members",
    "hooks",
    "suspended",
    "ids",
    "draws",
    "cooldown_until",
    "cooldown_pending",
    "policies",
    "scheduled",
    "forecast_floor",
    "launch_retry_at",
    "all_protected_at",
    "warm_pool",
    "refresh",
    "history",
    "dynamic",
    "ledger",
    "mixed",
    "spot_short",
    "versions",
];

/// Decodes a whole group (see [`Group::decode_payload`]).
struct GroupSeed<'a, const N: usize, P: Parts> {
    group: &'a mut Group<N, P>,
    apply: bool,
    inconsistent: &'a Broken,
}

impl<'de, const N: usize, P: Parts> DeserializeSeed<'de> for GroupSeed<'_, N, P> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("Group", &GROUP_FIELDS, self)
    }
}

impl<'de, const N: usize, P: Parts> Visitor<'de> for GroupSeed<'_, N, P> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an Auto Scaling group")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Self {
            group: g,
            apply,
            inconsistent,
        } = self;
        // A broken invariant is recorded and decoding goes on: a payload that also fails to
        // decode is malformed, as `Group::restore` reports it.
        let fail = |invariant| {
            if inconsistent.get().is_none() {
                inconsistent.set(Some(invariant));
            }
        };
        // The invariants of `Group::check_invariants`, checked as the fields go by.
        let config: GroupConfig = next(&mut seq)?;
        let desired: u32 = next(&mut seq)?;
        {
            let mut now_config = config.clone();
            now_config.desired_capacity = Some(desired);
            if desired < config.min_size || desired > config.max_size {
                fail(INV_DESIRED);
            } else if now_config.validate(N).is_err() {
                fail(INV_CONFIG);
            }
        }
        let zones = config.zones.len();
        if apply {
            g.config = config;
            g.desired = desired;
        }
        let mut ids: heapless::Vec<InstanceId, N> = heapless::Vec::new();
        let roster = RosterSeed {
            place: &mut g.members,
            apply,
            inconsistent,
            zones,
            pending: 0,
            ids: &mut ids,
        };
        let pending = seq
            .next_element_seed(roster)?
            .ok_or_else(|| A::Error::custom("a field is missing"))?;
        let hooks: [Option<LifecycleHook>; MAX_HOOKS] = next(&mut seq)?;
        let mask = hook_mask(&hooks, HookTransition::Launching)
            | hook_mask(&hooks, HookTransition::Terminating);
        if pending & !mask != 0 {
            fail(INV_HOOKS);
        }
        if apply {
            g.hooks = hooks;
        }
        replace(&mut seq, &mut g.suspended, apply)?;
        let generator: crate::id::IdGenerator = next(&mut seq)?;
        if ids.iter().any(|id| {
            generator
                .position_ahead(*id, super::RECONCILE_WINDOW)
                .is_some()
        }) {
            fail(INV_IDS);
        }
        if apply {
            g.ids = generator;
        }
        replace(&mut seq, &mut g.draws, apply)?;
        replace(&mut seq, &mut g.cooldown_until, apply)?;
        replace(&mut seq, &mut g.cooldown_pending, apply)?;
        refill(
            &mut seq,
            &mut AsList(&mut g.policies),
            apply,
            inconsistent,
            NO_INVARIANT,
            any,
        )?;
        refill(
            &mut seq,
            &mut AsList(&mut g.scheduled),
            apply,
            inconsistent,
            NO_INVARIANT,
            any,
        )?;
        replace(&mut seq, &mut g.forecast_floor, apply)?;
        replace(&mut seq, &mut g.launch_retry_at, apply)?;
        replace(&mut seq, &mut g.all_protected_at, apply)?;
        replace_slot(&mut seq, &mut g.warm_pool, apply)?;
        replace_slot(&mut seq, &mut g.refresh, apply)?;
        g.history.decode_into(&mut seq, apply, inconsistent)?;
        let dynamic = DynamicSeed {
            place: &mut g.dynamic,
            apply,
            inconsistent,
        };
        seq.next_element_seed(dynamic)?
            .ok_or_else(|| A::Error::custom("a field is missing"))?;
        replace_slot(&mut seq, &mut g.ledger, apply)?;
        replace_slot(&mut seq, &mut g.mixed, apply)?;
        replace(&mut seq, &mut g.spot_short, apply)?;
        replace(&mut seq, &mut g.versions, apply)?;
        Ok(())
    }
}

const ROSTER_FIELDS: [&str; 4] = ["members", "samples", "waits", "replaces"];

/// Decodes the members and their per-member part state in place; gives the hook bits any
/// member waits on, for the group to check against its hooks.
struct RosterSeed<'a, const N: usize, P: Parts> {
    place: &'a mut Roster<N, P>,
    apply: bool,
    inconsistent: &'a Broken,
    zones: usize,
    pending: u8,
    /// The member ids decoded, for the checks of later fields (the id generator).
    ids: &'a mut heapless::Vec<InstanceId, N>,
}

impl<'de, const N: usize, P: Parts> DeserializeSeed<'de> for RosterSeed<'_, N, P> {
    type Value = u8;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<u8, D::Error> {
        deserializer.deserialize_struct("Roster", &ROSTER_FIELDS, self)
    }
}

impl<'de, const N: usize, P: Parts> Visitor<'de> for RosterSeed<'_, N, P> {
    type Value = u8;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the group's members")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<u8, A::Error> {
        let (r, apply, flag, zones) = (self.place, self.apply, self.inconsistent, self.zones);
        let ids = self.ids;
        refill(
            &mut seq,
            &mut AsList(&mut r.members),
            apply,
            flag,
            INV_MEMBERS,
            |m: &Member| {
                let unique = !ids.contains(&m.id) && ids.push(m.id).is_ok();
                let zone_ok = usize::from(m.zone) < zones || m.zone == Member::NO_ZONE;
                // After the member's own check, in the order `check_invariants` names them.
                if unique && zone_ok && !m.owed_fits_state() && flag.get().is_none() {
                    flag.set(Some(INV_OWED));
                }
                unique && zone_ok
            },
        )?;
        // Each list must have one entry per member.
        let members = ids.len();
        let mut count = 0usize;
        let mut each = |_: &P::Samples| {
            count = count.saturating_add(1);
            true
        };
        refill(
            &mut seq,
            &mut AsList(&mut r.samples),
            apply,
            flag,
            NO_INVARIANT,
            &mut each,
        )?;
        let samples = count;
        let mut waits = 0usize;
        let pending = &mut self.pending;
        refill(
            &mut seq,
            &mut AsList(&mut r.waits),
            apply,
            flag,
            NO_INVARIANT,
            |w: &P::Waits| {
                waits = waits.saturating_add(1);
                *pending |= w.get().map_or(0, |w| w.pending);
                true
            },
        )?;
        let mut replaces = 0usize;
        refill(
            &mut seq,
            &mut AsList(&mut r.replaces),
            apply,
            flag,
            NO_INVARIANT,
            |_: &P::Replaces| {
                replaces = replaces.saturating_add(1);
                true
            },
        )?;
        if (samples != members || waits != members || replaces != members) && flag.get().is_none() {
            flag.set(Some(INV_IN_STEP));
        }
        Ok(self.pending)
    }
}

const HISTORY_FIELDS: [&str; 2] = ["entries", "started"];

/// Decodes the next field, a [`History`], in place (for [`Log::decode_into`]).
pub(super) fn decode_history<'de, A: SeqAccess<'de>, const H: usize>(
    history: &mut History<H>,
    seq: &mut A,
    apply: bool,
    inconsistent: &Broken,
) -> Result<(), A::Error> {
    let seed = HistorySeed {
        place: history,
        apply,
        inconsistent,
    };
    seq.next_element_seed(seed)?
        .ok_or_else(|| A::Error::custom("a field is missing"))
}

/// Decodes a [`History`] in place.
struct HistorySeed<'a, const H: usize> {
    place: &'a mut History<H>,
    apply: bool,
    inconsistent: &'a Broken,
}

impl<'de, const H: usize> DeserializeSeed<'de> for HistorySeed<'_, H> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("History", &HISTORY_FIELDS, self)
    }
}

impl<'de, const H: usize> Visitor<'de> for HistorySeed<'_, H> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scaling activity history")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let h = self.place;
        // Whatever the snapshot holds: numbers not known to be consecutive.
        h.consecutive.0 = false;
        refill(
            &mut seq,
            &mut h.entries,
            self.apply,
            self.inconsistent,
            NO_INVARIANT,
            any,
        )?;
        replace(&mut seq, &mut h.started, self.apply)
    }
}

const DYNAMIC_FIELDS: [&str; 6] = [
    "metrics",
    "alarms",
    "tracking",
    "hpa",
    "hpa_next",
    "predictive",
];

/// Decodes the dynamic-scaling state in place.
struct DynamicSeed<'a, P: Parts> {
    place: &'a mut Dynamic<P>,
    apply: bool,
    inconsistent: &'a Broken,
}

impl<'de, P: Parts> DeserializeSeed<'de> for DynamicSeed<'_, P> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("Dynamic", &DYNAMIC_FIELDS, self)
    }
}

impl<'de, P: Parts> Visitor<'de> for DynamicSeed<'_, P> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the dynamic-scaling state")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let (d, apply, flag) = (self.place, self.apply, self.inconsistent);
        refill(
            &mut seq,
            &mut AsList(&mut d.metrics),
            apply,
            flag,
            NO_INVARIANT,
            any,
        )?;
        refill(
            &mut seq,
            &mut AsList(&mut d.alarms),
            apply,
            flag,
            NO_INVARIANT,
            any,
        )?;
        refill(
            &mut seq,
            &mut AsList(&mut d.tracking),
            apply,
            flag,
            NO_INVARIANT,
            any,
        )?;
        replace_slot(&mut seq, &mut d.hpa, apply)?;
        replace(&mut seq, &mut d.hpa_next, apply)?;
        replace_slot(&mut seq, &mut d.predictive, apply)
    }
}

#[cfg(test)]
pub(super) mod tests;
