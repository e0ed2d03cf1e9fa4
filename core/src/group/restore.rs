//! Snapshots of a group and reconciliation with the world after a power loss (DESIGN.md,
//! `snapshot`). SEMANTICS has no rule here; this is fleetcore's model, documented on
//! [`Group::reconcile`].

use super::member::OWE_LAUNCH;
use super::parts::{Log, Parts, Slot};
use super::{
    ActivityStatus, Event, Group, Health, HookTransition, Member, MemberState, PoolState, count,
};
use crate::group::GroupError;
use crate::id::InstanceId;
use crate::lifecycle::InstanceState;
use crate::snapshot;
use crate::snapshot::SnapshotError;
use crate::time::Instant;

/// How many ids past its snapshot a restored group looks for instances it launched since.
pub const RECONCILE_WINDOW: u64 = 1024;

/// One instance as the world sees it, for [`Group::reconcile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct WorldInstance {
    /// Its id.
    pub id: InstanceId,
    /// Its EC2 state.
    pub state: InstanceState,
    /// Index of its zone in the group's zone list.
    pub zone: u8,
}

/// What [`Group::reconcile`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Reconciled {
    /// Instances the group launched after its snapshot and now tracks again.
    pub adopted: u32,
    /// Members the world no longer has, now treated as gone.
    pub lost: u32,
}

impl<const N: usize, P: Parts> Group<N, P> {
    /// Bytes [`Group::snapshot`] needs now.
    ///
    /// # Errors
    /// [`SnapshotError::Encoding`] if the state cannot be encoded (it always can).
    pub fn snapshot_len(&self) -> Result<usize, SnapshotError> {
        let payload =
            postcard::experimental::serialized_size(self).map_err(|_| SnapshotError::Encoding)?;
        payload
            .checked_add(snapshot::HEADER_LEN + snapshot::TRAILER_LEN)
            .ok_or(SnapshotError::Encoding)
    }

    /// Writes the whole state into `buf` (see [`crate::snapshot`] for the frame) and returns the
    /// bytes written. Take one after every call that changed the group and before performing
    /// the actions `tick` wrote, so a restored group knows every action it asked for.
    ///
    /// # Errors
    /// [`SnapshotError::BufferTooSmall`] with the size needed; `buf` may then be partly written.
    pub fn snapshot(&self, buf: &mut [u8]) -> Result<usize, SnapshotError> {
        snapshot::encode(Self::shape(), self, buf)
    }

    /// Restores a group from [`Group::snapshot`]'s bytes. Call [`Group::reconcile`] with the
    /// world's instances before the next `tick`.
    ///
    /// The group comes back by value, for hosts. It is decoded in place into an empty group
    /// (by [`Group::restore_into`], one element at a time), so the only copy of it on the stack
    /// is the one returned; on a microcontroller, restore into storage you already have with
    /// [`Group::restore_into`].
    ///
    /// # Errors
    /// [`SnapshotError::Truncated`], [`SnapshotError::NotASnapshot`],
    /// [`SnapshotError::UnsupportedVersion`], [`SnapshotError::WrongKind`],
    /// [`SnapshotError::Checksum`], [`SnapshotError::CapacityMismatch`],
    /// [`SnapshotError::Malformed`] or [`SnapshotError::Inconsistent`].
    pub fn restore(bytes: &[u8]) -> Result<Self, SnapshotError> {
        let mut group = Self::fresh(super::GroupConfig::blank(), 0);
        group.restore_into(bytes)?;
        Ok(group)
    }

    pub(super) fn shape() -> snapshot::Shape {
        snapshot::Shape {
            kind: snapshot::Kind::Group,
            n: u32::try_from(N).unwrap_or(u32::MAX),
            h: u32::try_from(<P::History as Log>::CAPACITY).unwrap_or(u32::MAX) ^ P::fingerprint(),
        }
    }

    /// The invariants every reachable state keeps; checked on restore. `Err` names the first
    /// one broken (issue 19: a resealed snapshot must not restore a group that its own
    /// operations could never reach).
    pub(super) fn check_invariants(&self) -> Result<(), &'static str> {
        use super::inplace::{
            INV_CONFIG, INV_DESIRED, INV_HOOKS, INV_IDS, INV_IN_STEP, INV_MEMBERS, INV_OWED,
        };
        let c = &self.config;
        let zones = c.zones.len();
        let hooks =
            self.hook_mask(HookTransition::Launching) | self.hook_mask(HookTransition::Terminating);
        // `desired_capacity` is the creation parameter; the current desired is checked instead.
        let mut now_config = c.clone();
        now_config.desired_capacity = Some(self.desired);
        let check = |ok: bool, invariant| if ok { Ok(()) } else { Err(invariant) };
        // In the order the in-place decoder meets them, so both name the same one first.
        check(
            c.min_size <= self.desired && self.desired <= c.max_size,
            INV_DESIRED,
        )?;
        check(now_config.validate(N).is_ok(), INV_CONFIG)?;
        for (i, m) in self.members.iter().enumerate() {
            let unique = !self.members.iter().take(i).any(|o| o.id == m.id);
            let zone_ok = usize::from(m.zone) < zones || m.zone == Member::NO_ZONE;
            check(unique && zone_ok, INV_MEMBERS)?;
            check(m.owed_fits_state(), INV_OWED)?;
        }
        check(self.members.in_step(), INV_IN_STEP)?;
        let pending = (0..self.members.len())
            .filter_map(|i| self.members.wait(i))
            .fold(0u8, |acc, w| acc | w.pending);
        check(pending & !hooks == 0, INV_HOOKS)?;
        // The next ids the generator hands out must be no member's: else the next launch
        // duplicates an id (an attached instance's id is anything, and is one of the next
        // draws only by a 2^-54 chance, which `next_member_id` also steps over).
        check(
            self.members
                .iter()
                .all(|m| self.ids.position_ahead(m.id, RECONCILE_WINDOW).is_none()),
            INV_IDS,
        )?;
        Ok(())
    }

    /// Brings a restored group in line with the world after a power loss (SEMANTICS has no such
    /// rule; this is fleetcore's model). `world` lists every instance the caller's hardware
    /// knows for this group:
    /// - a member the world does not list is gone: a launch that never happened fails, a member
    ///   that was in service is treated as terminated, and the group replaces it as usual;
    /// - an instance the world lists that is not a member, and whose id is one of the next
    ///   [`RECONCILE_WINDOW`] ids the group would generate, was launched after the snapshot: the
    ///   group tracks it again (in its state). The group then skips the whole window, so no id
    ///   it may have handed out since the snapshot is used again (take snapshots at least every
    ///   [`RECONCILE_WINDOW`] launches);
    /// - members the world reports are updated to its state (booted, stopped, terminated).
    ///
    /// Instances the group did not launch are left alone. After this, `tick` neither launches a
    /// duplicate of an instance that exists nor forgets one that runs. Take a snapshot right
    /// after reconciling: it is the new baseline for the next power loss.
    ///
    /// # Errors
    /// [`GroupError::InvalidZones`] for a zone index out of range, [`GroupError::Full`] if the
    /// adopted instances do not fit. Nothing changes on error.
    pub fn reconcile(
        &mut self,
        now: Instant,
        world: &[WorldInstance],
    ) -> Result<Reconciled, GroupError> {
        self.touch();
        let mut adopt: heapless::Vec<(u64, WorldInstance), N> = heapless::Vec::new();
        for w in world {
            if usize::from(w.zone) >= self.config.zones.len() {
                return Err(GroupError::InvalidZones);
            }
            let live = !matches!(
                w.state,
                InstanceState::Terminated | InstanceState::ShuttingDown
            );
            if self.index(w.id).is_err()
                && live
                && let Some(k) = self.ids.position_ahead(w.id, RECONCILE_WINDOW)
            {
                adopt
                    .push((k, *w))
                    .map_err(|_| GroupError::Full { capacity: N })?;
            }
        }
        // Room is counted after the members the world has ended leave.
        let staying = self.members.iter().filter(|m| {
            world
                .iter()
                .any(|w| w.id == m.id && w.state != InstanceState::Terminated)
        });
        if count(staying).saturating_add(count(adopt.iter())) > count(0..N) {
            return Err(GroupError::Full { capacity: N });
        }
        let mut done = Reconciled::default();
        // Members the world no longer has.
        let mut i = 0;
        while let Some(m) = self.members.get(i) {
            let seen = world.iter().find(|w| w.id == m.id).copied();
            match seen {
                None => {
                    let status = if m.state.is_pending() {
                        ActivityStatus::Failed
                    } else {
                        ActivityStatus::Successful
                    };
                    done.lost = done.lost.saturating_add(1);
                    self.on_gone(now, i, status);
                    continue;
                }
                Some(w) => {
                    // The world has it, so its launch happened: never ask for it again.
                    if let Some(m) = self.members.get_mut(i) {
                        m.owed &= !OWE_LAUNCH;
                    }
                    let Some(m) = self.members.get(i) else { break };
                    let event = match w.state {
                        InstanceState::Running
                            if matches!(
                                m.state,
                                MemberState::Pending | MemberState::WarmedPending
                            ) =>
                        {
                            Some(Event::Booted(m.id))
                        }
                        InstanceState::Terminated => Some(Event::Terminated(m.id)),
                        InstanceState::Running | InstanceState::Pending => None,
                        other => Some(Event::Ec2State(m.id, other)),
                    };
                    let before = self.members.len();
                    if let Some(e) = event {
                        let _ = self.observe(now, e);
                    }
                    if self.members.len() < before {
                        continue;
                    }
                    self.resettle_warm(now, i, w.state);
                }
            }
            i = i.saturating_add(1);
        }
        // Instances launched after the snapshot.
        for (_, w) in &adopt {
            let member = self.adopted(now, w);
            let _ = self.members.push(member);
            done.adopted = done.adopted.saturating_add(1);
        }
        // The whole window is skipped, not just up to the last instance found: ids of instances
        // that ended (and that the world may have forgotten) are never handed out again.
        self.ids.skip(RECONCILE_WINDOW)?;
        Ok(done)
    }

    /// A member the snapshot holds on its way into the warm pool (`Warmed:Pending:Proceed`)
    /// whose instance the world reports pending or running: the stop asked for before the
    /// snapshot did not hold (the instance was started again after the snapshot, say), so the
    /// member enters the pool again. A running pool takes it once it runs (a pending one goes
    /// back to `Warmed:Pending` to wait for its boot); the others owe the stop again, which
    /// EC2 accepts as often as it is asked.
    fn resettle_warm(&mut self, now: Instant, i: usize, world: InstanceState) {
        let running_pool = self
            .warm_pool
            .get()
            .is_some_and(|p| p.pool_state == PoolState::Running);
        let Some(m) = self.members.get_mut(i) else {
            return;
        };
        if m.state != MemberState::WarmedPendingProceed
            || !matches!(world, InstanceState::Pending | InstanceState::Running)
        {
            return;
        }
        m.ec2 = world;
        if running_pool && world == InstanceState::Pending {
            m.state = MemberState::WarmedPending;
        } else {
            self.enter_pool(now, i);
        }
    }

    /// The member an instance launched after the snapshot becomes: in service when running, in
    /// the warm pool when stopped and there is one, else pending (and unhealthy when neither
    /// running nor pending, so it is replaced).
    fn adopted(&self, now: Instant, w: &WorldInstance) -> Member {
        let running = w.state == InstanceState::Running;
        // A stopped instance of the group's is a warm-pool member when there is a pool.
        let pooled = w.state == InstanceState::Stopped && self.warm_pool.is_some();
        let pool_state = match self.warm_pool.get().map(|p| p.pool_state) {
            Some(PoolState::Hibernated) => MemberState::WarmedHibernated,
            _ => MemberState::WarmedStopped,
        };
        Member {
            id: w.id,
            zone: w.zone,
            state: if running {
                MemberState::InService
            } else if pooled {
                pool_state
            } else {
                MemberState::Pending
            },
            ec2: w.state,
            health: if pooled || matches!(w.state, InstanceState::Running | InstanceState::Pending)
            {
                Health::Healthy
            } else {
                Health::Unhealthy
            },
            health_source: None,
            launched_at: now,
            in_service_at: if running {
                super::member::Stamp::at(now)
            } else {
                super::member::Stamp::NONE
            },
            templated: false,
            version: 0,
            protected: running && self.config.new_instances_protected_from_scale_in,
            rebalance: false,
            activity: None,
            owed: 0,
            market: crate::purchase::MarketKind::OnDemand,
            instance_type: 0,
            weight: 1,
            signal: crate::purchase::SpotSignal::None,
        }
    }
}
