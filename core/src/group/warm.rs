//! Warm pools (SEMANTICS §2.9): pre-initialised instances kept stopped, running or hibernated,
//! taken first on scale-out and refilled after.
//!
//! Flow of a warm member: `Warmed:Pending` (launch) → [`Warmed:Pending:Wait` on launching hooks]
//! → `Warmed:Pending:Proceed` (a stop is asked for unless the pool runs) → `Warmed:Stopped`,
//! `Warmed:Running` or `Warmed:Hibernated`. A scale-out takes it to `Pending` (a start is asked
//! for), where the launching hooks fire a second time, then `InService`. With
//! `ReuseOnScaleIn`, scale-in returns members through `Warmed:Pending:Wait` on the terminating
//! hooks. A pool above its target is trimmed through `Warmed:Terminating`.
//!
//! Where we differ: the service refuses warm pools for Spot and mixed-instances groups and needs
//! an EBS root to stop or hibernate; the group does not see the template's contents, so that
//! check is the caller's.

use super::member::{OWE_HIBERNATE, OWE_HOOK_SHIFT, OWE_START, OWE_STOP};
use super::parts::{Log, Parts, Slot};
use super::{
    ActivityKind, ActivityStatus, Cause, Group, Health, HookTransition, Member, MemberState,
    PoolState, WarmPool, count,
};
use crate::group::GroupError;
use crate::lifecycle::InstanceState;
use crate::time::Instant;

impl<const N: usize, P: Parts> Group<N, P> {
    /// `PutWarmPool`: creates or updates the warm pool; `tick` fills or trims it.
    ///
    /// # Errors
    /// [`GroupError::OutOfRange`] when `MinSize` exceeds the prepared capacity or the group's
    /// capacity `N`; [`GroupError::WarmPoolWithMixedInstances`] for a group with a
    /// mixed-instances policy.
    pub fn put_warm_pool(&mut self, pool: WarmPool) -> Result<(), GroupError> {
        self.touch();
        let prepared = pool
            .max_group_prepared_capacity
            .unwrap_or(self.config.max_size);
        if pool.min_size > prepared && pool.max_group_prepared_capacity.is_some() {
            return Err(GroupError::OutOfRange { field: "MinSize" });
        }
        if usize::try_from(pool.min_size).map_or(true, |m| m > N) {
            return Err(GroupError::OutOfRange { field: "MinSize" });
        }
        if self.mixed.is_some() {
            return Err(GroupError::WarmPoolWithMixedInstances);
        }
        self.warm_pool
            .put(pool)
            .map_err(|_| GroupError::PartNotStored {
                part: "a warm pool",
            })
    }

    /// `DeleteWarmPool`: the pool's members are terminated by the next `tick`.
    pub fn delete_warm_pool(&mut self, now: Instant) {
        self.touch();
        self.warm_pool.clear();
        self.trim_pool(now);
    }

    /// The warm pool, if any.
    pub fn warm_pool(&self) -> Option<&WarmPool> {
        self.warm_pool.get()
    }

    /// Members in or arriving in the warm pool (not those leaving it).
    pub fn warm_count(&self) -> u32 {
        count(
            self.members
                .iter()
                .filter(|m| m.state.is_warm() && !m.state.is_terminating()),
        )
    }

    /// The size the pool is kept at now (0 without a pool).
    pub fn warm_pool_target(&self) -> u32 {
        self.warm_pool
            .get()
            .map_or(0, |p| p.target(self.desired, self.config.max_size))
    }

    /// Takes one ready member out of the pool for a scale-out from `capacity`; running ones
    /// first, as they serve soonest. `only`: `Some(version)` takes only a member of that
    /// template version. Returns whether one was taken.
    pub(super) fn take_from_pool(
        &mut self,
        now: Instant,
        capacity: u32,
        only: Option<u32>,
    ) -> bool {
        let rank = |s: MemberState| match s {
            MemberState::WarmedRunning => 0,
            MemberState::WarmedHibernated => 1,
            _ => 2,
        };
        let pick = self
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.state.is_warm_ready())
            .filter(|(_, m)| only.is_none_or(|v| v == m.version))
            .min_by_key(|(_, m)| (rank(m.state), m.launched_at))
            .map(|(i, _)| i);
        let Some(i) = pick else { return false };
        let cause = Cause::Difference {
            from: capacity,
            to: capacity.saturating_add(1),
        };
        let id = self.members.get(i).map(|m| m.id);
        let seq = self.history.start(
            now,
            ActivityKind::WarmStart,
            id,
            cause,
            ActivityStatus::PreInService,
        );
        let running = self
            .members
            .get(i)
            .is_some_and(|m| m.state == MemberState::WarmedRunning);
        if let Some(m) = self.members.get_mut(i) {
            m.state = MemberState::Pending;
            m.activity = Some(seq);
            m.health = Health::Healthy;
            m.health_source = None;
            if running {
                m.ec2 = InstanceState::Running;
            } else {
                m.ec2 = InstanceState::Pending;
                m.owed |= OWE_START;
            }
        }
        if let Some(id) = self.members.get(i).map(|m| m.id) {
            self.meter(now, id);
        }
        if running {
            // Already running: it goes straight on to the launching hooks (their second firing).
            self.on_booted(now, i);
        }
        true
    }

    /// Launches members into the pool up to its target.
    pub(super) fn fill_pool(&mut self, now: Instant, version: Option<u32>) {
        let (Some(_), Some(version)) = (self.warm_pool.get(), version) else {
            return;
        };
        let target = self.warm_pool_target();
        let mut warm = self.warm_count();
        while warm < target && !self.members.is_full() {
            let zone = self.emptiest_zone();
            let Ok(id) = self.next_member_id() else {
                return;
            };
            let member = Member::launching(id, zone, now, version, MemberState::WarmedPending);
            if self.members.push(member).is_err() {
                return;
            }
            let seq = self.history.start(
                now,
                ActivityKind::WarmLaunch,
                Some(id),
                Cause::WarmPoolFill,
                ActivityStatus::PreInService,
            );
            if let Some(m) = self.members.last_mut() {
                m.activity = Some(seq);
            }
            self.meter_new(self.members.len().saturating_sub(1));
            warm = warm.saturating_add(1);
        }
    }

    /// Terminates pool members above the target (all of them without a pool): those not yet
    /// ready first, then the oldest.
    pub(super) fn trim_pool(&mut self, now: Instant) {
        let target = self.warm_pool_target();
        let mut warm = self.warm_count();
        while warm > target {
            let pick = self
                .members
                .iter()
                .enumerate()
                .filter(|(_, m)| m.state.is_warm() && !m.state.is_terminating())
                .min_by_key(|(_, m)| (m.state.is_warm_ready(), m.launched_at))
                .map(|(i, _)| i);
            let Some(i) = pick else { return };
            self.begin_termination(now, i, Cause::WarmPoolTrim, true);
            warm = warm.saturating_sub(1);
        }
    }

    /// Replaces warm members whose instance is not in the state their pool state needs (a
    /// running-pool member found stopped, say): they are terminated and the pool refills.
    pub(super) fn check_pool_health(&mut self, now: Instant) {
        let running_pool = self
            .warm_pool
            .get()
            .is_some_and(|p| p.pool_state == PoolState::Running);
        for i in 0..self.members.len() {
            let Some(m) = self.members.get(i) else { break };
            let (s, e) = (m.state, m.ec2);
            let ok = match s {
                MemberState::WarmedPending => {
                    matches!(e, InstanceState::Pending | InstanceState::Running)
                }
                MemberState::WarmedPendingWait | MemberState::WarmedRunning => {
                    e == InstanceState::Running
                }
                MemberState::WarmedPendingProceed => {
                    e == InstanceState::Running || (!running_pool && e != InstanceState::Terminated)
                }
                MemberState::WarmedStopped | MemberState::WarmedHibernated => {
                    matches!(e, InstanceState::Stopped | InstanceState::Stopping)
                }
                _ => true,
            };
            if !ok {
                self.begin_termination(now, i, Cause::Ec2Health, true);
            }
        }
    }

    /// Scale-in with `ReuseOnScaleIn`: the member goes back to the pool through the
    /// terminating hooks.
    pub(super) fn return_to_pool(&mut self, now: Instant, i: usize, cause: Cause) {
        let mask = self.hook_mask(HookTransition::Terminating);
        let wait = self.hook_wait(now, mask);
        let id = self.members.get(i).map(|m| m.id);
        let seq = self.history.start(
            now,
            ActivityKind::WarmReturn,
            id,
            cause,
            ActivityStatus::InProgress,
        );
        let Some(m) = self.members.get_mut(i) else {
            return;
        };
        m.activity = Some(seq);
        m.protected = false;
        if mask == 0 {
            m.state = MemberState::WarmedPendingProceed;
            self.enter_pool(now, i);
        } else {
            m.state = MemberState::WarmedPendingWait;
            m.owed |= u16::from(mask) << OWE_HOOK_SHIFT;
            self.members.set_wait(i, Some(wait));
        }
    }

    /// A member in `Warmed:Pending:Proceed` settles into the pool: at once for a running pool,
    /// after a stop for the others.
    pub(super) fn enter_pool(&mut self, now: Instant, i: usize) {
        let state = self
            .warm_pool
            .get()
            .map_or(PoolState::Stopped, |p| p.pool_state);
        self.members.set_wait(i, None);
        let Some(m) = self.members.get_mut(i) else {
            return;
        };
        match state {
            // Already stopped (health checks were suspended while it was in service, say):
            // no stop to ask for, and no report will come.
            PoolState::Stopped | PoolState::Hibernated if m.ec2 == InstanceState::Stopped => {
                self.on_warm_stopped(now, i);
            }
            PoolState::Running if m.ec2 == InstanceState::Running => {
                m.state = MemberState::WarmedRunning;
                if let Some(seq) = m.activity.take() {
                    self.history
                        .set_status(seq, now, ActivityStatus::Successful);
                }
            }
            PoolState::Running => {}
            PoolState::Stopped => m.owed |= OWE_STOP,
            PoolState::Hibernated => m.owed |= OWE_STOP | OWE_HIBERNATE,
        }
    }

    /// Members arriving in a stopped or hibernated pool (`Warmed:Pending:Proceed`) that owe
    /// no stop and whose instance is already stopped settle now: no report would move them.
    /// It happens when the pool's state changes while they arrive (`PutWarmPool` from
    /// `Running` to `Hibernated` for a member whose instance stopped while health checks were
    /// suspended, say). fleetcore's model: the
    /// service documents no rule for a pool state changed mid-arrival.
    pub(super) fn settle_arrivals(&mut self, now: Instant) {
        let Some(state) = self.warm_pool.get().map(|p| p.pool_state) else {
            return;
        };
        for i in 0..self.members.len() {
            let Some(m) = self.members.get(i) else { break };
            if m.state != MemberState::WarmedPendingProceed || m.owed & OWE_STOP != 0 {
                continue;
            }
            // A running instance of a running pool is not settled here: a stop handed out
            // before the pool's state changed may still be on its way, and its report
            // settles the member.
            if state != PoolState::Running && m.ec2 == InstanceState::Stopped {
                self.on_warm_stopped(now, i);
            }
        }
    }

    /// The world reports a warm member stopped: it is in the pool.
    pub(super) fn on_warm_stopped(&mut self, now: Instant, i: usize) {
        let hibernated = self
            .warm_pool
            .get()
            .is_some_and(|p| p.pool_state == PoolState::Hibernated);
        let Some(m) = self.members.get_mut(i) else {
            return;
        };
        if m.state != MemberState::WarmedPendingProceed {
            return;
        }
        m.state = if hibernated {
            MemberState::WarmedHibernated
        } else {
            MemberState::WarmedStopped
        };
        if let Some(seq) = m.activity.take() {
            self.history
                .set_status(seq, now, ActivityStatus::Successful);
        }
    }
}
