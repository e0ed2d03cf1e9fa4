//! A fixed-capacity set of instances with the EC2 API's batch rules.

use super::{Instance, LaunchSpec, Report, StateChange, Timeouts};
use crate::id::{IdGenerator, InstanceId};
use crate::lifecycle::LifecycleError;
use crate::time::{Duration, Instant};

/// Up to `N` instances, their ids from a seeded generator, with the request and report calls of
/// [`Instance`] addressed by id.
///
/// Terminated instances stay describable for an hour (SEMANTICS §1.1) and are then forgotten,
/// which frees their slot: a fleet of capacity `N` never runs out of room because of old
/// terminations.
#[derive(Debug, Clone)]
pub struct Fleet<const N: usize> {
    instances: heapless::Vec<Instance, N>,
    ids: IdGenerator,
    timeouts: Timeouts,
    /// Billed usage of instances already forgotten, so the fleet total never decreases.
    forgotten_billed: Duration,
}

impl<const N: usize> Fleet<N> {
    /// An empty fleet whose instance ids come from `seed`, with `timeouts` for every launch.
    pub const fn new(seed: u64, timeouts: Timeouts) -> Self {
        Self {
            instances: heapless::Vec::new(),
            ids: IdGenerator::new(seed),
            timeouts,
            forgotten_billed: Duration::ZERO,
        }
    }

    /// The fleet's capacity.
    pub const fn capacity(&self) -> usize {
        N
    }

    /// Instances currently held (including terminated ones within their visible hour).
    pub fn len(&self) -> usize {
        self.instances.len()
    }

    /// Whether the fleet holds no instances.
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    /// The instances, in launch order.
    pub fn iter(&self) -> impl Iterator<Item = &Instance> {
        self.instances.iter()
    }

    /// Looks an instance up.
    ///
    /// # Errors
    /// [`LifecycleError::UnknownInstance`].
    pub fn get(&self, id: InstanceId) -> Result<&Instance, LifecycleError> {
        self.instances
            .iter()
            .find(|i| i.id() == id)
            .ok_or(LifecycleError::UnknownInstance { id })
    }

    fn get_mut(&mut self, id: InstanceId) -> Result<&mut Instance, LifecycleError> {
        self.instances
            .iter_mut()
            .find(|i| i.id() == id)
            .ok_or(LifecycleError::UnknownInstance { id })
    }

    /// `RunInstances` for one instance; returns its new id.
    ///
    /// # Errors
    /// [`LifecycleError::InvalidLaunch`] for a spec that breaks a launch rule,
    /// [`LifecycleError::FleetFull`] when all `N` slots hold live instances,
    /// [`LifecycleError::Id`] if the id generator is exhausted. Nothing changes on error.
    pub fn launch(&mut self, now: Instant, spec: LaunchSpec) -> Result<InstanceId, LifecycleError> {
        spec.validate()?;
        self.forget_expired(now);
        if self.instances.is_full() {
            return Err(LifecycleError::FleetFull { capacity: N });
        }
        let mut ids = self.ids;
        let id = ids.next_id()?;
        let instance = Instance::launch(now, id, spec, self.timeouts)?;
        self.instances
            .push(instance)
            .map_err(|_| LifecycleError::FleetFull { capacity: N })?;
        self.ids = ids;
        Ok(id)
    }

    /// `StartInstances` for one instance (see [`Instance::start`]).
    ///
    /// # Errors
    /// [`LifecycleError::UnknownInstance`] or the instance's own error.
    pub fn start(&mut self, now: Instant, id: InstanceId) -> Result<StateChange, LifecycleError> {
        self.get_mut(id)?.start(now)
    }

    /// `StopInstances` for one instance (see [`Instance::stop`]).
    ///
    /// # Errors
    /// [`LifecycleError::UnknownInstance`] or the instance's own error.
    pub fn stop(
        &mut self,
        now: Instant,
        id: InstanceId,
        force: bool,
    ) -> Result<StateChange, LifecycleError> {
        self.get_mut(id)?.stop(now, force)
    }

    /// `StopInstances Hibernate=true` for one instance (see [`Instance::hibernate`]).
    ///
    /// # Errors
    /// [`LifecycleError::UnknownInstance`] or the instance's own error.
    pub fn hibernate(
        &mut self,
        now: Instant,
        id: InstanceId,
    ) -> Result<StateChange, LifecycleError> {
        self.get_mut(id)?.hibernate(now)
    }

    /// `RebootInstances` for one instance (see [`Instance::reboot`]).
    ///
    /// # Errors
    /// [`LifecycleError::UnknownInstance`] or the instance's own error.
    pub fn reboot(&mut self, now: Instant, id: InstanceId) -> Result<StateChange, LifecycleError> {
        self.get_mut(id)?.reboot(now)
    }

    /// `TerminateInstances` for one instance (see [`Instance::terminate`]).
    ///
    /// # Errors
    /// [`LifecycleError::UnknownInstance`] or the instance's own error.
    pub fn terminate(
        &mut self,
        now: Instant,
        id: InstanceId,
    ) -> Result<StateChange, LifecycleError> {
        self.get_mut(id)?.terminate(now)
    }

    /// `TerminateInstances` for several ids, all or nothing: if any id is unknown or protected,
    /// none is terminated (SEMANTICS §1.2). Returns how many changed state.
    ///
    /// # Errors
    /// The first [`LifecycleError::UnknownInstance`] or
    /// [`LifecycleError::TerminationProtected`] found, in the order of `ids`.
    pub fn terminate_all(
        &mut self,
        now: Instant,
        ids: &[InstanceId],
    ) -> Result<usize, LifecycleError> {
        for &id in ids {
            self.get(id)?.check_terminate()?;
        }
        let mut changed = 0usize;
        for &id in ids {
            if let Ok(instance) = self.get_mut(id)
                && instance.terminate_checked(now).is_transition()
            {
                changed = changed.saturating_add(1);
            }
        }
        Ok(changed)
    }

    /// Applies a report from the world about one instance (see [`Instance::observe`]).
    ///
    /// # Errors
    /// [`LifecycleError::UnknownInstance`] or the instance's own error.
    pub fn observe(
        &mut self,
        now: Instant,
        id: InstanceId,
        report: Report,
    ) -> Result<StateChange, LifecycleError> {
        self.get_mut(id)?.observe(now, report)
    }

    /// Completes the next change due at `now`, in launch order, or `None` when nothing is due.
    /// Call until `None`; expired terminated instances are forgotten on the way.
    pub fn tick(&mut self, now: Instant) -> Option<StateChange> {
        self.forget_expired(now);
        self.instances.iter_mut().find_map(|i| i.tick(now))
    }

    /// The earliest instant at which [`Fleet::tick`] has work, if any.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.instances
            .iter()
            .filter_map(Instance::next_deadline)
            .min()
    }

    /// Total billed usage of every instance the fleet has launched, up to `now`.
    pub fn billed(&self, now: Instant) -> Duration {
        self.instances.iter().fold(self.forgotten_billed, |acc, i| {
            acc.saturating_add(i.billed(now))
        })
    }

    fn forget_expired(&mut self, now: Instant) {
        let mut forgotten = self.forgotten_billed;
        self.instances.retain(|i| {
            let expired = i.is_expired(now);
            if expired {
                forgotten = forgotten.saturating_add(i.billed(now));
            }
            !expired
        });
        self.forgotten_billed = forgotten;
    }
}
