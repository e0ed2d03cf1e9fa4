//! A scenario runner: plays the world around a [`Group`] over a load trace, so a scaling design
//! can be tried on real load before it is flashed (issue 8), and so Rust, C and Python replay
//! the same run action for action.
//!
//! The world model, deliberately small and documented:
//! - load is one number per step (requests, passengers, jobs) spread evenly over the members
//!   in service; a member serves `member_capacity` of it at 100 % utilisation;
//! - each member in service reports its utilisation (percent) to the group's per-member metric
//!   `utilisation_metric`, once per step in the middle of the step; the whole load goes to the
//!   group metric `load_metric`, if one is set (what predictive scaling learns from);
//! - a launch boots after `boot_time`; a start likewise; terminations and stops complete at
//!   once; lifecycle hooks are answered `CONTINUE` at once;
//! - the SLO is breached during a step when utilisation is above `slo_utilisation`, or when
//!   there is load and no member in service;
//! - cost: members that count toward capacity (launching or in service) are billed per second
//!   at `price_per_hour`, in the caller's unit (money, or watts for a board).

use crate::catalog::TemplateSource;
use crate::error::GroupError;
use crate::group::{Action, Event, Group, HookResult};
use crate::id::InstanceId;
use crate::scaling::Value;
use crate::scaling::predictive::Forecaster;
use crate::time::{Duration, Instant};

/// How the world behaves around the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct World {
    /// The load one member serves at 100 % utilisation.
    pub member_capacity: Value,
    /// From launch (or start) to in service.
    pub boot_time: Duration,
    /// Utilisation (percent) above which a step counts as an SLO breach.
    pub slo_utilisation: Value,
    /// Cost of one member for one hour.
    pub price_per_hour: Value,
    /// The per-member metric that gets each member's utilisation.
    pub utilisation_metric: Option<u8>,
    /// The group metric that gets the whole load.
    pub load_metric: Option<u8>,
}

/// What one step saw and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Step {
    /// The step's start.
    pub at: Instant,
    /// The load of the step.
    pub load: Value,
    /// Desired capacity after the tick.
    pub desired: u32,
    /// Members in service during the step.
    pub in_service: u32,
    /// Members launching or in service after the tick.
    pub capacity: u32,
    /// Utilisation of the members in service, percent (`None` without any).
    pub utilisation: Option<Value>,
    /// Launches and starts the tick asked for.
    pub launched: u32,
    /// Terminations and stops the tick asked for.
    pub terminated: u32,
    /// Whether the SLO was breached during the step.
    pub slo_breach: bool,
    /// Cost of the step.
    pub cost: Value,
    /// The predictive policy's forecast load for the step's hour, if the group has one and
    /// it has forecast (after 24 hours of history).
    pub forecast: Option<Value>,
}

/// Running totals of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Totals {
    /// Steps run.
    pub steps: u64,
    /// Member-seconds billed.
    pub member_seconds: u64,
    /// Seconds with the SLO breached.
    pub slo_breach_seconds: u64,
    /// Launches and starts.
    pub launches: u64,
    /// Terminations and stops.
    pub terminations: u64,
    /// Steps in which desired capacity changed.
    pub scaling_changes: u64,
    /// Cost, in thousandths of the caller's unit.
    pub cost: Value,
}

/// A group and the world around it.
#[derive(Debug, Clone)]
pub struct Simulator<const N: usize, const H: usize, const S: usize> {
    group: Group<N, H, S>,
    world: World,
    booting: heapless::Vec<(Instant, InstanceId), N>,
    totals: Totals,
    last: Option<Instant>,
}

impl<const N: usize, const H: usize, const S: usize> Simulator<N, H, S> {
    /// A scenario around `group` (configured with its policies beforehand).
    pub fn new(group: Group<N, H, S>, world: World) -> Self {
        Self {
            group,
            world,
            booting: heapless::Vec::new(),
            totals: Totals::default(),
            last: None,
        }
    }

    /// The group.
    pub fn group(&self) -> &Group<N, H, S> {
        &self.group
    }

    /// The group, to change it between steps (a scheduled action, a manual change).
    pub fn group_mut(&mut self) -> &mut Group<N, H, S> {
        &mut self.group
    }

    /// The totals so far.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// Runs one step of length `step` starting at `at` with `load`: boots what is due,
    /// reports the samples, ticks, carries out the actions (each passed to `log` with its
    /// time), and accounts for the step. Steps must come in time order.
    ///
    /// # Errors
    /// [`GroupError::OutOfRange`] for a step that starts before the previous one or has no
    /// length. Nothing changes on error.
    pub fn step<T: TemplateSource + ?Sized>(
        &mut self,
        at: Instant,
        step: Duration,
        load: Value,
        templates: &T,
        mut log: impl FnMut(Instant, &Action),
    ) -> Result<Step, GroupError> {
        if step == Duration::ZERO || self.last.is_some_and(|l| at < l) {
            return Err(GroupError::OutOfRange { field: "step" });
        }
        self.last = Some(at);
        self.boot_due(at);
        let in_service = self.group.in_service();
        let utilisation = self.utilisation(load, in_service);
        let mid = at.saturating_add(Duration::from_millis(step.total_millis() / 2));
        self.report(mid, load, utilisation);
        let before = self.group.desired();
        let mut out: heapless::Vec<Action, 32> = heapless::Vec::new();
        let (mut launched, mut terminated) = (0u32, 0u32);
        // Owed actions that did not fit come out of the next tick at the same instant.
        for _ in 0..N.saturating_add(2) {
            out.clear();
            self.group.tick(at, templates, &mut out);
            if out.is_empty() {
                break;
            }
            for a in &out {
                log(at, a);
                match self.carry_out(at, *a) {
                    Carried::Launched => launched = launched.saturating_add(1),
                    Carried::Terminated => terminated = terminated.saturating_add(1),
                    Carried::Other => {}
                }
            }
        }
        let desired = self.group.desired();
        let capacity = self.group.capacity();
        let breach = match utilisation {
            Some(u) => u > self.world.slo_utilisation,
            None => load > Value::ZERO,
        };
        let cost = self.cost(capacity, step);
        let forecast = self
            .group
            .predictive()
            .and_then(|(_, f)| f.forecast(Forecaster::hour_of(at)));
        let t = &mut self.totals;
        t.steps = t.steps.saturating_add(1);
        t.member_seconds = t
            .member_seconds
            .saturating_add(u64::from(capacity).saturating_mul(step.total_secs()));
        if breach {
            t.slo_breach_seconds = t.slo_breach_seconds.saturating_add(step.total_secs());
        }
        t.launches = t.launches.saturating_add(u64::from(launched));
        t.terminations = t.terminations.saturating_add(u64::from(terminated));
        if desired != before {
            t.scaling_changes = t.scaling_changes.saturating_add(1);
        }
        t.cost = Value::from_milli(t.cost.milli().saturating_add(cost.milli()));
        Ok(Step {
            at,
            load,
            desired,
            in_service,
            capacity,
            utilisation,
            launched,
            terminated,
            slo_breach: breach,
            cost,
            forecast,
        })
    }

    /// Percent of capacity used: load ÷ (members × member capacity) × 100.
    fn utilisation(&self, load: Value, in_service: u32) -> Option<Value> {
        let served = i128::from(in_service)
            .saturating_mul(i128::from(self.world.member_capacity.milli().max(1)));
        if in_service == 0 {
            return None;
        }
        let percent_milli = i128::from(load.milli())
            .saturating_mul(100_000)
            .checked_div(served)?;
        Some(Value::from_milli(
            i64::try_from(percent_milli).unwrap_or(i64::MAX),
        ))
    }

    fn report(&mut self, at: Instant, load: Value, utilisation: Option<Value>) {
        if let (Some(metric), Some(u)) = (self.world.utilisation_metric, utilisation) {
            // A sample the group refuses (an unknown metric) only leaves the run without it;
            // the scenario goes on.
            let _ = self.group.record_in_service(at, metric, u);
        }
        if let Some(metric) = self.world.load_metric {
            let _ = self.group.record(at, metric, None, load);
        }
    }

    fn boot_due(&mut self, now: Instant) {
        let mut i = 0;
        while let Some(&(ready, id)) = self.booting.get(i) {
            if ready <= now {
                self.booting.swap_remove(i);
                // A member that left meanwhile has nothing to boot.
                let _ = self.group.observe(ready, Event::Booted(id));
            } else {
                i = i.saturating_add(1);
            }
        }
    }

    fn carry_out(&mut self, now: Instant, action: Action) -> Carried {
        match action {
            Action::Launch { id, .. } | Action::Start { id } => {
                let ready = now.saturating_add(self.world.boot_time);
                if self.world.boot_time == Duration::ZERO || self.booting.push((ready, id)).is_err()
                {
                    let _ = self.group.observe(now, Event::Booted(id));
                }
                Carried::Launched
            }
            Action::Terminate { id } => {
                self.booting.retain(|(_, b)| *b != id);
                let _ = self.group.observe(now, Event::Terminated(id));
                Carried::Terminated
            }
            Action::Stop { id, .. } => {
                let _ = self.group.observe(
                    now,
                    Event::Ec2State(id, crate::lifecycle::InstanceState::Stopped),
                );
                Carried::Terminated
            }
            Action::NotifyHook { id, hook, .. } => {
                let _ = self
                    .group
                    .observe(now, Event::HookCompleted(id, hook, HookResult::Continue));
                Carried::Other
            }
        }
    }

    fn cost(&self, members: u32, step: Duration) -> Value {
        let milli = i128::from(self.world.price_per_hour.milli())
            .saturating_mul(i128::from(members))
            .saturating_mul(i128::from(step.total_secs()))
            .checked_div(3600)
            .unwrap_or(0);
        Value::from_milli(i64::try_from(milli).unwrap_or(i64::MAX))
    }
}

enum Carried {
    Launched,
    Terminated,
    Other,
}

#[cfg(test)]
mod tests;
