//! Instance refresh (SEMANTICS §2.10): replace members in batches that keep a minimum share of
//! the group healthy, with warm-up between batches, optional checkpoints, skip matching and
//! cancel.
//!
//! The model, step by step (one step per `tick` once the previous batch has finished: nothing
//! launching or terminating, and every new member past its warm-up):
//! - members to replace are those in service launched before the refresh started (with
//!   `skip_matching`, only those whose template version differs from the desired one);
//! - with `MaxHealthyPercentage` 100 (the default) a batch terminates
//!   max(1, healthy − ⌈desired × `MinHealthyPercentage` / 100⌉) old members, oldest first, and the
//!   usual capacity logic launches their replacements from the desired version;
//! - above 100 the batch launches first: up to ⌊desired × Max / 100⌋ − desired new members
//!   (never taking the group above max + max(10 % of max, 1)), and the same number of old ones
//!   are terminated once the new ones are warmed up;
//! - at each checkpoint percentage the refresh waits `CheckpointDelay`;
//! - protected and standby members are waited for (the service's default `Wait`): when only
//!   they are left, the refresh fails after an hour;
//! - on success the group adopts the desired version. `$Latest`/`$Default` are resolved at each
//!   launch, as always.

use super::parts::{Log, Parts, Slot};
use super::{ActivityKind, ActivityStatus, Cause, Group, Health, MemberState, count};
use crate::catalog::VersionSpec;
use crate::group::GroupError;
use crate::time::{Duration, Instant};

/// How long a refresh waits on protected or standby members before it fails.
pub const REFRESH_WAIT_LIMIT: Duration = Duration::from_hours(1);
/// The default checkpoint delay when checkpoints are set.
pub const DEFAULT_CHECKPOINT_DELAY: Duration = Duration::from_hours(1);
/// The most checkpoints a refresh holds.
pub const MAX_CHECKPOINTS: usize = 8;

/// `RefreshPreferences` plus the desired configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct RefreshPreferences {
    /// `MinHealthyPercentage`, 0–100 (default 90).
    pub min_healthy_percentage: u32,
    /// `MaxHealthyPercentage`, 100–200 and at most min + 100 (default 100).
    pub max_healthy_percentage: u32,
    /// `InstanceWarmup`; unset falls back to `DefaultInstanceWarmup`, then to the health check
    /// grace period.
    pub instance_warmup: Option<Duration>,
    /// `CheckpointPercentages`, ascending, each 1–100.
    pub checkpoint_percentages: heapless::Vec<u8, MAX_CHECKPOINTS>,
    /// `CheckpointDelay`, 0–172 800 s (default 3600 s).
    pub checkpoint_delay: Duration,
    /// `SkipMatching` (default false).
    pub skip_matching: bool,
    /// The version to move to; `None` keeps the group's own (a plain replacement).
    pub desired_version: Option<VersionSpec>,
}

impl Default for RefreshPreferences {
    fn default() -> Self {
        Self {
            min_healthy_percentage: 90,
            max_healthy_percentage: 100,
            instance_warmup: None,
            checkpoint_percentages: heapless::Vec::new(),
            checkpoint_delay: DEFAULT_CHECKPOINT_DELAY,
            skip_matching: false,
            desired_version: None,
        }
    }
}

impl RefreshPreferences {
    /// Checks the ranges of SEMANTICS §2.10.
    ///
    /// # Errors
    /// [`GroupError::OutOfRange`] naming the preference.
    pub fn validate(&self) -> Result<(), GroupError> {
        let (min, max) = (self.min_healthy_percentage, self.max_healthy_percentage);
        if min > 100 {
            return Err(GroupError::OutOfRange {
                field: "MinHealthyPercentage",
            });
        }
        if !(100..=200).contains(&max) || max.saturating_sub(min) > 100 {
            return Err(GroupError::OutOfRange {
                field: "MaxHealthyPercentage",
            });
        }
        if self.checkpoint_delay > Duration::from_hours(48) {
            return Err(GroupError::OutOfRange {
                field: "CheckpointDelay",
            });
        }
        let cps = &self.checkpoint_percentages;
        let ascending = cps.iter().zip(cps.iter().skip(1)).all(|(a, b)| a < b);
        if !ascending || cps.iter().any(|&p| p == 0 || p > 100) {
            return Err(GroupError::OutOfRange {
                field: "CheckpointPercentages",
            });
        }
        Ok(())
    }
}

vocabulary! {
    /// `Status` of an instance refresh; the C numbers are those of `fc_refresh_status` (0 is
    /// C's `FC_REFRESH_STATUS_UNKNOWN`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[non_exhaustive]
    pub enum RefreshStatus: "refresh status" {
        /// Replacing members.
        InProgress = 1 => "InProgress",
        /// Waiting at a checkpoint.
        Paused = 2 => "Paused",
        /// Every member was replaced.
        Successful = 3 => "Successful",
        /// It could not finish (waited too long on protected or standby members).
        Failed = 4 => "Failed",
        /// Cancelled by the user.
        Cancelled = 5 => "Cancelled",
    }
}

impl RefreshStatus {
    /// Whether the refresh has ended.
    pub const fn is_done(self) -> bool {
        matches!(self, Self::Successful | Self::Failed | Self::Cancelled)
    }
}

/// The state of the group's current or last instance refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct InstanceRefresh {
    /// Its number, from 1.
    pub id: u32,
    /// Its status.
    pub status: RefreshStatus,
    /// Its preferences.
    pub preferences: RefreshPreferences,
    /// When it started.
    pub started: Instant,
    /// When it ended.
    pub ended: Option<Instant>,
    /// Members it had to replace when it started.
    pub to_replace: u32,
    /// Members it has replaced.
    pub replaced: u32,
    /// Checkpoints passed.
    pub checkpoints_done: u8,
    /// End of the current checkpoint pause.
    pub paused_until: Option<Instant>,
    /// Since when only protected or standby members have been left to replace.
    pub blocked_since: Option<Instant>,
    /// Launches allowed above desired while a launch-first batch is under way.
    pub surge: u32,
    /// When the newest batch finishes warming up (the next step is due then).
    pub wake_at: Option<Instant>,
}

impl InstanceRefresh {
    /// `PercentageComplete`.
    pub fn percentage_complete(&self) -> u32 {
        if self.to_replace == 0 {
            return 100;
        }
        let done = u64::from(self.replaced.min(self.to_replace)).saturating_mul(100);
        let share = done.checked_div(u64::from(self.to_replace)).unwrap_or(100);
        u32::try_from(share).unwrap_or(100)
    }
}

impl<const N: usize, P: Parts> Group<N, P> {
    /// `StartInstanceRefresh`; returns the refresh's number.
    ///
    /// # Errors
    /// [`GroupError::RefreshInProgress`] while one runs; [`GroupError::OutOfRange`] for a bad
    /// preference.
    pub fn start_instance_refresh(
        &mut self,
        now: Instant,
        preferences: RefreshPreferences,
    ) -> Result<u32, GroupError> {
        self.touch();
        preferences.validate()?;
        if self.refresh.get().is_some_and(|r| !r.status.is_done()) {
            return Err(GroupError::RefreshInProgress);
        }
        let id = self.refresh.get().map_or(1, |r| r.id.saturating_add(1));
        let to_replace = count(
            self.members
                .iter()
                .filter(|m| m.state == MemberState::InService),
        );
        let started = self.refresh.put(InstanceRefresh {
            id,
            status: RefreshStatus::InProgress,
            preferences,
            started: now,
            ended: None,
            to_replace,
            replaced: 0,
            checkpoints_done: 0,
            paused_until: None,
            blocked_since: None,
            surge: 0,
            wake_at: None,
        });
        started.map_err(|_| GroupError::PartNotStored {
            part: "an instance refresh",
        })?;
        Ok(id)
    }

    /// `CancelInstanceRefresh`: no new batch starts; members already being replaced finish.
    ///
    /// # Errors
    /// [`GroupError::NoActiveRefresh`].
    pub fn cancel_instance_refresh(&mut self, now: Instant) -> Result<(), GroupError> {
        self.touch();
        let r = self
            .refresh
            .get_mut()
            .filter(|r| !r.status.is_done())
            .ok_or(GroupError::NoActiveRefresh)?;
        r.status = RefreshStatus::Cancelled;
        r.ended = Some(now);
        r.surge = 0;
        Ok(())
    }

    /// The current or last instance refresh.
    pub fn instance_refresh(&self) -> Option<&InstanceRefresh> {
        self.refresh.get()
    }

    /// The version spec launches use now: the refresh's desired one while it runs.
    pub(super) fn launch_version_spec(&self) -> VersionSpec {
        match self.refresh.get() {
            Some(r) if !r.status.is_done() => {
                r.preferences.desired_version.unwrap_or(self.config.version)
            }
            _ => self.config.version,
        }
    }

    /// Extra capacity a launch-first batch may use.
    pub(super) fn refresh_surge(&self) -> u32 {
        self.refresh
            .get()
            .filter(|r| !r.status.is_done())
            .map_or(0, |r| r.surge)
    }

    /// One step of the refresh (see the module docs). `target` is the resolved desired
    /// version, `None` if it cannot be resolved now.
    pub(super) fn step_refresh(&mut self, now: Instant, target: Option<u32>) {
        let Some(r) = self.refresh.get().filter(|r| !r.status.is_done()) else {
            return;
        };
        let Some(target) = target else { return };
        let warmup = r
            .preferences
            .instance_warmup
            .or(self.config.default_instance_warmup)
            .unwrap_or(self.config.health_check_grace_period);
        let (paused_until, started) = (r.paused_until, r.started);
        let (skip, surge_on) = (r.preferences.skip_matching, r.surge > 0);
        if let Some(until) = paused_until {
            if now < until {
                return;
            }
            if let Some(r) = self.refresh.get_mut() {
                r.paused_until = None;
                r.status = RefreshStatus::InProgress;
            }
        }
        // A batch is under way while anything launches, terminates or warms up.
        let warming = |m: &super::Member| m.warming(now, warmup) && m.launched_at >= started;
        let busy = self
            .members
            .iter()
            .any(|m| m.state.is_pending() || m.state.is_terminating());
        let warm_until = self
            .members
            .iter()
            .filter(|m| warming(m))
            .filter_map(|m| m.in_service_at.get().map(|t| t.saturating_add(warmup)))
            .max();
        if let Some(r) = self.refresh.get_mut() {
            r.wake_at = warm_until;
        }
        // The wait limit runs while a batch is under way too: a refresh blocked by members it
        // may not replace fails an hour after it first waited on them, whatever else goes on,
        // so `next_deadline` (which reports that hour) is exact.
        if self.refresh_waited_too_long(now) {
            return;
        }
        if busy || warm_until.is_some() {
            return;
        }
        // Every launched member is from the group's template: only its version can differ.
        let outdated = move |m: &super::Member| {
            if skip {
                !(m.templated && m.version == target)
            } else {
                m.launched_at < started
            }
        };
        let old = |m: &super::Member| m.state == MemberState::InService && outdated(m);
        let replaceable = |m: &super::Member| old(m) && !m.protected;
        let waiting = count(self.members.iter().filter(|m| {
            (old(m) && m.protected) || (m.state == MemberState::Standby && outdated(m))
        }));
        let left = count(self.members.iter().filter(|m| replaceable(m)));
        if surge_on {
            // The launch-first batch is in service and warm: its old counterparts go now.
            let n = self.refresh.get().map_or(0, |r| r.surge).min(left);
            self.terminate_oldest(now, n, &replaceable);
            if let Some(r) = self.refresh.get_mut() {
                r.surge = 0;
            }
            return;
        }
        if left == 0 {
            self.finish_or_wait(now, waiting);
            return;
        }
        if self.at_checkpoint(now) {
            return;
        }
        self.next_batch(now, left, &replaceable);
    }

    /// Starts the next batch: launch-first above `MaxHealthyPercentage` 100, else terminate as
    /// many as `MinHealthyPercentage` allows (at least one).
    fn next_batch(
        &mut self,
        now: Instant,
        left: u32,
        replaceable: &dyn Fn(&super::Member) -> bool,
    ) {
        let desired = u64::from(self.desired);
        let prefs = self.refresh.get().map(|r| {
            (
                r.preferences.min_healthy_percentage,
                r.preferences.max_healthy_percentage,
            )
        });
        let Some((min_pct, max_pct)) = prefs else {
            return;
        };
        if max_pct > 100 {
            let room = desired.saturating_mul(u64::from(max_pct)) / 100;
            // Never above max plus the rebalancing allowance, max(10 % of max, 1): the service
            // publishes no cap for launch-first batches, so fleetcore uses the one it has.
            let max = self.config.max_size;
            let ceiling = max
                .saturating_add((max / 10).max(1))
                .saturating_sub(self.capacity());
            let surge = u32::try_from(room.saturating_sub(desired))
                .unwrap_or(0)
                .clamp(1, left)
                .min(ceiling);
            if surge == 0 {
                return;
            }
            if let Some(r) = self.refresh.get_mut() {
                r.surge = surge;
            }
            return;
        }
        let healthy = count(
            self.members
                .iter()
                .filter(|m| m.state == MemberState::InService && m.health == Health::Healthy),
        );
        let required = u32::try_from(desired.saturating_mul(u64::from(min_pct)).div_ceil(100))
            .unwrap_or(u32::MAX);
        let batch = healthy.saturating_sub(required).max(1).min(left);
        self.terminate_oldest(now, batch, replaceable);
    }

    fn terminate_oldest(
        &mut self,
        now: Instant,
        n: u32,
        eligible: &dyn Fn(&super::Member) -> bool,
    ) {
        for _ in 0..n {
            let pick = self
                .members
                .iter()
                .enumerate()
                .filter(|(_, m)| eligible(m))
                .min_by_key(|(_, m)| m.launched_at)
                .map(|(i, _)| i);
            let Some(i) = pick else { return };
            self.begin_termination(now, i, Cause::InstanceRefresh, true);
            if let Some(r) = self.refresh.get_mut() {
                r.replaced = r.replaced.saturating_add(1);
            }
        }
    }

    /// Pauses at the next checkpoint once its percentage is reached. Returns whether paused.
    fn at_checkpoint(&mut self, now: Instant) -> bool {
        let Some(r) = self.refresh.get_mut() else {
            return false;
        };
        let next = r
            .preferences
            .checkpoint_percentages
            .get(usize::from(r.checkpoints_done))
            .copied();
        match next {
            Some(p) if r.percentage_complete() >= u32::from(p) => {
                r.checkpoints_done = r.checkpoints_done.saturating_add(1);
                r.paused_until = Some(now.saturating_add(r.preferences.checkpoint_delay));
                r.status = RefreshStatus::Paused;
                true
            }
            _ => false,
        }
    }

    fn finish_or_wait(&mut self, now: Instant, waiting: u32) {
        let Some(r) = self.refresh.get_mut() else {
            return;
        };
        if waiting == 0 {
            r.status = RefreshStatus::Successful;
            r.ended = Some(now);
            if let Some(v) = r.preferences.desired_version {
                self.config.version = v;
            }
            return;
        }
        r.blocked_since.get_or_insert(now);
        self.refresh_waited_too_long(now);
    }

    /// Fails the refresh once it has waited [`REFRESH_WAIT_LIMIT`] on members it may not
    /// replace (SEMANTICS §2.10: blocked progress is retried for an hour). Returns whether it
    /// failed.
    fn refresh_waited_too_long(&mut self, now: Instant) -> bool {
        let Some(r) = self.refresh.get_mut() else {
            return false;
        };
        let Some(since) = r.blocked_since else {
            return false;
        };
        if r.status.is_done() || now.saturating_duration_since(since) < REFRESH_WAIT_LIMIT {
            return false;
        }
        r.status = RefreshStatus::Failed;
        r.ended = Some(now);
        self.history.start(
            now,
            ActivityKind::Terminate,
            None,
            Cause::InstanceRefresh,
            ActivityStatus::Failed,
        );
        true
    }

    /// When a refresh next has timed work (a checkpoint pause or the wait limit).
    pub(super) fn refresh_deadline(&self) -> Option<Instant> {
        let r = self.refresh.get().filter(|r| !r.status.is_done())?;
        let blocked = r
            .blocked_since
            .map(|t| t.saturating_add(REFRESH_WAIT_LIMIT));
        [r.paused_until, blocked, r.wake_at]
            .into_iter()
            .flatten()
            .min()
    }
}
