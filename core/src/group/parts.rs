//! The parts a group is made of, and what each costs (DESIGN.md principle 7, "pay only for what
//! you use").
//!
//! Membership and the instance lifecycle are the group itself. Everything else it can do is a
//! part whose storage the group's [`Parts`] type chooses: the activity history, scheduled
//! actions, scaling policies with their target-tracking alarms, metrics, the caller's alarms,
//! the HPA's memory, predictive scaling and the price ledger. A part with capacity 0 (or
//! [`Absent`]) stores nothing, and the calls that would need it answer with the error that its
//! capacity is exhausted (`TooManyPolicies`, `TooManyMetrics` …) or, for a part that is present
//! or not, [`crate::group::GroupError::PartNotStored`].
//!
//! The presets:
//! - [`Full`]: every part at the service's quotas (125 scheduled actions, 32 activities, 8
//!   policies, 4 metrics, 8 alarms, HPA, predictive scaling, the ledger): what the C ABI, Python
//!   and the simulator use;
//! - [`AllParts`]`<H, S>`: every part, with `H` activities and `S` scheduled actions;
//! - [`Lean`]`<H, S, P, M, A>`: `H` activities, `S` scheduled actions, `P` policies, `M`
//!   metrics and `A` alarms, without lifecycle hooks, the HPA, predictive scaling, the ledger,
//!   mixed instances with Capacity Rebalancing, a warm pool or instance refresh: a board's group
//!   (`Lean<8, 0, 1, 1, 0>` is a group with one target-tracking policy on one metric).
//!
//! Any other mix is a type of the caller's that implements [`Parts`] with the storage below:
//! `heapless::Vec<T, C>` for a list of `C` entries, `Option<T>` for a part that is kept, and
//! [`Absent`] for one that is not. Three parts keep something per member (a member's hook wait,
//! its samples for the HPA, the Spot member it replaces); their `Option<T>` is stored beside
//! each member, so a group without them pays nothing per member.

use core::fmt::Debug;
use core::ops::{Deref, DerefMut};

use serde::Serialize;
use serde::de::{DeserializeOwned, SeqAccess};

use super::WarmPool;
use super::activity::{Activity, ActivityKind, ActivityStatus, Cause, History};
use super::dynamic::{GroupAlarm, GroupMetric, Predictive};
use super::member::{HookWait, Samples};
use super::policy::{MAX_POLICIES, ScalingPolicy};
use super::purchase::Ledger;
use super::purchase::MixedInstances;
use super::refresh::InstanceRefresh;
use super::schedule::{MAX_SCHEDULED, ScheduledAction};
use super::{MAX_ALARMS, MAX_METRICS};
use crate::id::InstanceId;
use crate::scaling::Alarm;
use crate::scaling::hpa::Autoscaler;
use crate::time::Instant;

mod sealed {
    pub trait Sealed {}
}

/// A list of a part's entries whose capacity its type fixes (`heapless::Vec<T, C>`).
pub trait List<T>:
    Deref<Target = [T]>
    + DerefMut
    + Clone
    + Debug
    + Eq
    + Send
    + Sync
    + Serialize
    + DeserializeOwned
    + sealed::Sealed
{
    /// The most entries it holds.
    const CAPACITY: usize;

    /// An empty list.
    fn new() -> Self;

    /// Appends `value`; gives it back when the list is full.
    ///
    /// # Errors
    /// `value` when the list is full.
    fn push(&mut self, value: T) -> Result<(), T>;

    /// Removes and returns the entry at `index`, moving the later ones down; `None` past the end.
    fn remove(&mut self, index: usize) -> Option<T>;

    /// Removes every entry.
    fn clear(&mut self);

    /// Whether it holds [`List::CAPACITY`] entries.
    fn is_full(&self) -> bool {
        self.len() >= Self::CAPACITY
    }
}

impl<T, const C: usize> sealed::Sealed for heapless::Vec<T, C> {}

impl<T, const C: usize> List<T> for heapless::Vec<T, C>
where
    T: Clone + Debug + Eq + Send + Sync + Serialize + DeserializeOwned,
{
    const CAPACITY: usize = C;

    fn new() -> Self {
        heapless::Vec::new()
    }

    fn push(&mut self, value: T) -> Result<(), T> {
        heapless::Vec::push(self, value)
    }

    fn remove(&mut self, index: usize) -> Option<T> {
        (index < self.len()).then(|| heapless::Vec::remove(self, index))
    }

    fn clear(&mut self) {
        heapless::Vec::clear(self);
    }
}

/// A part that is kept (`Option<T>`) or not ([`Absent`]).
pub trait Slot<T>:
    Clone + Debug + Eq + Send + Sync + Serialize + DeserializeOwned + sealed::Sealed
{
    /// Whether the part is stored at all.
    const STORED: bool;

    /// An empty slot.
    fn none() -> Self;

    /// The part, if the slot holds one.
    fn get(&self) -> Option<&T>;

    /// The part, if the slot holds one.
    fn get_mut(&mut self) -> Option<&mut T>;

    /// Puts `value` in the slot; gives it back when the part is not stored.
    ///
    /// # Errors
    /// `value` when the slot is [`Absent`].
    fn put(&mut self, value: T) -> Result<(), T>;

    /// Empties the slot.
    fn clear(&mut self);

    /// Whether the slot holds a part.
    fn is_some(&self) -> bool {
        self.get().is_some()
    }

    /// Whether the slot is empty.
    fn is_none(&self) -> bool {
        self.get().is_none()
    }

    /// The slot as an `Option`, for the in-place decoder (`None` for [`Absent`]).
    #[doc(hidden)]
    fn as_option(&mut self) -> Option<&mut Option<T>>;
}

impl<T> sealed::Sealed for Option<T> {}

impl<T> Slot<T> for Option<T>
where
    T: Clone + Debug + Eq + Send + Sync + Serialize + DeserializeOwned,
{
    const STORED: bool = true;

    fn none() -> Self {
        None
    }

    fn get(&self) -> Option<&T> {
        self.as_ref()
    }

    fn get_mut(&mut self) -> Option<&mut T> {
        self.as_mut()
    }

    fn put(&mut self, value: T) -> Result<(), T> {
        *self = Some(value);
        Ok(())
    }

    fn clear(&mut self) {
        *self = None;
    }

    fn as_option(&mut self) -> Option<&mut Option<T>> {
        Some(self)
    }
}

/// A part the group does not store: it takes no memory and is never present.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Absent;

impl sealed::Sealed for Absent {}

impl<T> Slot<T> for Absent {
    const STORED: bool = false;

    fn none() -> Self {
        Self
    }

    fn get(&self) -> Option<&T> {
        None
    }

    fn get_mut(&mut self) -> Option<&mut T> {
        None
    }

    fn put(&mut self, value: T) -> Result<(), T> {
        Err(value)
    }

    fn clear(&mut self) {}

    fn as_option(&mut self) -> Option<&mut Option<T>> {
        None
    }
}

/// The activity history a group keeps ([`History`]`<H>`).
pub trait Log:
    Clone + Debug + Eq + Send + Sync + Serialize + DeserializeOwned + sealed::Sealed
{
    /// The most activities kept.
    const CAPACITY: usize;

    /// An empty history.
    fn new() -> Self;

    /// How many activities were ever started (sequence numbers run 1..=started).
    fn started(&self) -> u32;

    /// The activities kept, oldest first.
    fn activities(&self) -> impl DoubleEndedIterator<Item = &Activity>;

    /// Starts an activity and returns its sequence number; evicts the oldest when full.
    #[doc(hidden)]
    fn start(
        &mut self,
        now: Instant,
        kind: ActivityKind,
        instance: Option<InstanceId>,
        cause: Cause,
        status: ActivityStatus,
    ) -> u32;

    /// Sets the status of activity `seq` (if still kept), ending it at `now` when done.
    #[doc(hidden)]
    fn set_status(&mut self, seq: u32, now: Instant, status: ActivityStatus);

    /// Forgets every activity.
    #[doc(hidden)]
    fn clear(&mut self);

    /// Decodes a snapshot's history into this one in place (see `inplace`).
    #[doc(hidden)]
    fn decode_into<'de, A: SeqAccess<'de>>(
        &mut self,
        seq: &mut A,
        apply: bool,
        inconsistent: &super::inplace::Broken,
    ) -> Result<(), A::Error>;
}

impl<const H: usize> sealed::Sealed for History<H> {}

impl<const H: usize> Log for History<H> {
    const CAPACITY: usize = H;

    fn new() -> Self {
        History::new()
    }

    fn started(&self) -> u32 {
        self.started
    }

    fn activities(&self) -> impl DoubleEndedIterator<Item = &Activity> {
        self.entries.iter()
    }

    fn start(
        &mut self,
        now: Instant,
        kind: ActivityKind,
        instance: Option<InstanceId>,
        cause: Cause,
        status: ActivityStatus,
    ) -> u32 {
        // At the end of the numbers a number repeats: not consecutive from there on.
        self.consecutive.0 &= self.started != u32::MAX;
        self.started = self.started.saturating_add(1);
        let seq = self.started;
        let end = if status.is_done() { Some(now) } else { None };
        let activity = Activity {
            seq,
            kind,
            instance,
            cause,
            status,
            start: now,
            end,
        };
        if self.entries.is_full() {
            self.entries.pop_front();
        }
        // Cannot fail after the pop above, unless H is 0, where nothing is kept by design.
        let _ = self.entries.push_back(activity);
        seq
    }

    fn set_status(&mut self, seq: u32, now: Instant, status: ActivityStatus) {
        // By position on the host only: on targets without an OS the group's flash budget (the
        // micro:bit's) has no room for the second path.
        let at = if cfg!(not(target_os = "none")) && self.consecutive.0 {
            self.entries
                .front()
                .and_then(|oldest| seq.checked_sub(oldest.seq))
                .and_then(|k| usize::try_from(k).ok())
                .filter(|&k| self.entries.get(k).is_some_and(|a| a.seq == seq))
        } else {
            self.entries.iter().position(|a| a.seq == seq)
        };
        #[cfg(test)]
        assert_eq!(at, self.entries.iter().position(|a| a.seq == seq));
        if let Some(a) = at.and_then(|k| self.entries.get_mut(k)) {
            a.status = status;
            if status.is_done() {
                a.end = Some(now);
            }
        }
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.started = 0;
        self.consecutive.0 = true;
    }

    fn decode_into<'de, A: SeqAccess<'de>>(
        &mut self,
        seq: &mut A,
        apply: bool,
        inconsistent: &super::inplace::Broken,
    ) -> Result<(), A::Error> {
        super::inplace::decode_history(self, seq, apply, inconsistent)
    }
}

/// What a group stores besides its members, and how much of each (see the module docs).
/// Implement it on a type of your own for a mix the presets do not offer.
pub trait Parts: Clone + Debug + Eq + Default + Send + Sync + 'static {
    /// The scaling activities kept.
    type History: Log;
    /// Scheduled actions (the service's quota is 125).
    type Scheduled: List<ScheduledAction>;
    /// Scaling policies (the service's quota is 50; fleetcore's full group keeps 8).
    type Policies: List<ScalingPolicy>;
    /// Target tracking's `AlarmHigh`/`AlarmLow` by policy index: as many as `Policies`.
    type Tracking: List<Option<(Alarm, Alarm)>>;
    /// Metrics with their datapoints.
    type Metrics: List<GroupMetric>;
    /// The caller's alarms (target tracking's own are in `Tracking`).
    type Alarms: List<GroupAlarm>;
    /// The HPA policy's memory (its index and recommendation history).
    type Hpa: Slot<(u8, Autoscaler)>;
    /// The predictive policy with its load history.
    type Predictive: Slot<Predictive>;
    /// The price table and cost ledger of a group of `N`.
    type Ledger<const N: usize>: Slot<Ledger<N>>;
    /// Each member's lifecycle hook wait: [`Absent`] for a group without lifecycle hooks.
    type Waits: Slot<HookWait>;
    /// Each member's newest sample of each per-member metric, which only the HPA reads.
    type Samples: Slot<Samples>;
    /// The Spot member each member replaces (Capacity Rebalancing).
    type Replaces: Slot<InstanceId>;
    /// The warm pool's configuration.
    type WarmPool: Slot<WarmPool>;
    /// An instance refresh in progress (or the last one).
    type Refresh: Slot<InstanceRefresh>;
    /// The mixed-instances policy.
    type Mixed: Slot<MixedInstances>;

    /// A number that differs between parts of different layouts, written into snapshots so
    /// that one is never restored into a group of another shape (0 for [`AllParts`], whose
    /// snapshots keep the layout they had before parts existed).
    fn fingerprint() -> u32 {
        let flags = u32::from(<Self::Hpa as Slot<(u8, Autoscaler)>>::STORED)
            | u32::from(<Self::Predictive as Slot<Predictive>>::STORED) << 1
            | u32::from(<Self::Ledger<1> as Slot<Ledger<1>>>::STORED) << 2
            | u32::from(<Self::Waits as Slot<HookWait>>::STORED) << 3
            | u32::from(<Self::Samples as Slot<Samples>>::STORED) << 4
            | u32::from(<Self::Replaces as Slot<InstanceId>>::STORED) << 5
            | u32::from(<Self::WarmPool as Slot<WarmPool>>::STORED) << 6
            | u32::from(<Self::Refresh as Slot<InstanceRefresh>>::STORED) << 7
            | u32::from(<Self::Mixed as Slot<MixedInstances>>::STORED) << 8;
        let lists = [
            <Self::Scheduled as List<ScheduledAction>>::CAPACITY,
            <Self::Policies as List<ScalingPolicy>>::CAPACITY,
            <Self::Tracking as List<Option<(Alarm, Alarm)>>>::CAPACITY,
            <Self::Metrics as List<GroupMetric>>::CAPACITY,
            <Self::Alarms as List<GroupAlarm>>::CAPACITY,
        ];
        lists.iter().fold(flags, |h, &c| {
            h.wrapping_mul(0x0100_0193)
                .wrapping_add(u32::try_from(c).unwrap_or(u32::MAX))
        })
    }
}

/// Every part, with `H` activities and `S` scheduled actions; the rest at fleetcore's quotas
/// ([`MAX_POLICIES`], [`MAX_METRICS`], [`MAX_ALARMS`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllParts<const H: usize, const S: usize>;

impl<const H: usize, const S: usize> Parts for AllParts<H, S> {
    type History = History<H>;
    type Scheduled = heapless::Vec<ScheduledAction, S>;
    type Policies = heapless::Vec<ScalingPolicy, MAX_POLICIES>;
    type Tracking = heapless::Vec<Option<(Alarm, Alarm)>, MAX_POLICIES>;
    type Metrics = heapless::Vec<GroupMetric, MAX_METRICS>;
    type Alarms = heapless::Vec<GroupAlarm, MAX_ALARMS>;
    type Hpa = Option<(u8, Autoscaler)>;
    type Predictive = Option<Predictive>;
    type Ledger<const N: usize> = Option<Ledger<N>>;
    type Waits = Option<HookWait>;
    type Samples = Option<Samples>;
    type Replaces = Option<InstanceId>;
    type WarmPool = Option<WarmPool>;
    type Refresh = Option<InstanceRefresh>;
    type Mixed = Option<MixedInstances>;

    fn fingerprint() -> u32 {
        0
    }
}

/// Every part at the service's quotas: 32 activities and 125 scheduled actions.
pub type Full = AllParts<32, MAX_SCHEDULED>;

/// `H` activities, `S` scheduled actions, `P` policies, `M` metrics and `A` alarms; no
/// lifecycle hooks, HPA, predictive scaling, price ledger, mixed instances, warm pool or
/// instance refresh.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lean<const H: usize, const S: usize, const P: usize, const M: usize, const A: usize>;

impl<const H: usize, const S: usize, const P: usize, const M: usize, const A: usize> Parts
    for Lean<H, S, P, M, A>
{
    type History = History<H>;
    type Scheduled = heapless::Vec<ScheduledAction, S>;
    type Policies = heapless::Vec<ScalingPolicy, P>;
    type Tracking = heapless::Vec<Option<(Alarm, Alarm)>, P>;
    type Metrics = heapless::Vec<GroupMetric, M>;
    type Alarms = heapless::Vec<GroupAlarm, A>;
    type Hpa = Absent;
    type Predictive = Absent;
    type Ledger<const N: usize> = Absent;
    type Waits = Absent;
    type Samples = Absent;
    type Replaces = Absent;
    type WarmPool = Absent;
    type Refresh = Absent;
    type Mixed = Absent;
}
