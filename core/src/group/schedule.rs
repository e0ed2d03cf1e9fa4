//! Scheduled actions (SEMANTICS §3.6): set min, max and desired at a time or on a cron
//! recurrence, in order, not blocked by cooldown, skipped while `ScheduledActions` is suspended.
//!
//! A group keeps at most 125 actions, as the service does ([`MAX_SCHEDULED`], the default of the
//! group's `S` parameter); a smaller `S` saves memory on a controller. Names are unique: putting
//! an action with an existing name replaces it in place. A recurrence is read in the action's
//! time zone, a POSIX TZ rule (see [`crate::scaling::tz`] and, for the days the clocks change,
//! [`crate::scaling::cron`]); `StartTime` and `EndTime` are UTC instants. An action due while
//! the process is suspended is skipped, not run late.
//!
//! Model:
//! - "Two actions at the same time are rejected": a new action conflicts with another when
//!   their start times are equal or their first runs are. Recurrences that meet later are
//!   allowed.
//! - "Order guaranteed": actions due at one tick run in the order of their due times, and
//!   actions due at the same instant (recurrences that meet) in the order of their names, so
//!   the last name's sizes are the ones that stay.

use super::parts::{List, Parts};
use super::{Group, Process};
use crate::group::GroupError;
use crate::scaling::ScalingError;
use crate::scaling::cron::Cron;
use crate::scaling::tz::TimeZone;
use crate::time::Instant;

/// The most scheduled actions a group keeps by default (the service's quota).
pub const MAX_SCHEDULED: usize = 125;
/// Longest action name.
pub const ACTION_NAME_MAX: usize = 64;

/// `PutScheduledUpdateGroupAction`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ScheduledAction {
    /// `ScheduledActionName`, unique in the group.
    pub name: heapless::String<ACTION_NAME_MAX>,
    /// `Recurrence`.
    pub recurrence: Option<Cron>,
    /// `TimeZone`: the wall clock the recurrence is read on (default UTC).
    pub time_zone: TimeZone,
    /// `StartTime`: with a recurrence the action runs once then, then on the recurrence.
    pub start_time: Option<Instant>,
    /// `EndTime`: the action is removed after it.
    pub end_time: Option<Instant>,
    /// `MinSize`.
    pub min_size: Option<u32>,
    /// `MaxSize`.
    pub max_size: Option<u32>,
    /// `DesiredCapacity`.
    pub desired_capacity: Option<u32>,
    /// When it runs next.
    pub next_run: Option<Instant>,
}

impl ScheduledAction {
    /// An action named `name` setting the given sizes, on `recurrence` and/or at `start_time`.
    ///
    /// # Errors
    /// [`GroupError::OutOfRange`] for a name longer than 64 characters.
    pub fn new(
        name: &str,
        recurrence: Option<Cron>,
        start_time: Option<Instant>,
    ) -> Result<Self, GroupError> {
        let mut n = heapless::String::new();
        n.push_str(name).map_err(|_| GroupError::OutOfRange {
            field: "ScheduledActionName",
        })?;
        Ok(Self {
            name: n,
            recurrence,
            time_zone: TimeZone::UTC,
            start_time,
            end_time: None,
            min_size: None,
            max_size: None,
            desired_capacity: None,
            next_run: None,
        })
    }
}

impl<const N: usize, P: Parts> Group<N, P> {
    /// `PutScheduledUpdateGroupAction`: adds or replaces the action with this name.
    ///
    /// # Errors
    /// [`GroupError::OutOfRange`] when no size is set, a name is empty, or `EndTime` is not after
    /// `StartTime`; [`GroupError::ScheduleConflict`] when another action has the same start
    /// time or first run; [`GroupError::Scaling`] with [`ScalingError::InvalidCron`] when
    /// neither a start time nor a recurrence is given;
    /// [`GroupError::TooManyScheduled`] when the group holds `S` other actions. A refused
    /// action leaves the schedule unchanged.
    pub fn put_scheduled_action(
        &mut self,
        now: Instant,
        mut action: ScheduledAction,
    ) -> Result<(), GroupError> {
        self.touch();
        if action.min_size.is_none()
            && action.max_size.is_none()
            && action.desired_capacity.is_none()
        {
            return Err(GroupError::OutOfRange {
                field: "DesiredCapacity",
            });
        }
        if let (Some(min), Some(max)) = (action.min_size, action.max_size)
            && max < min
        {
            return Err(GroupError::MaxBelowMin { min, max });
        }
        if let Some(max) = action.max_size
            && usize::try_from(max).map_or(true, |m| m > N)
        {
            return Err(GroupError::MaxAboveCapacity { max, capacity: N });
        }
        if action.name.is_empty() {
            return Err(GroupError::OutOfRange {
                field: "ScheduledActionName",
            });
        }
        if let (Some(s), Some(e)) = (action.start_time, action.end_time)
            && e <= s
        {
            return Err(GroupError::OutOfRange { field: "EndTime" });
        }
        action.next_run = match (action.start_time, action.recurrence) {
            (Some(s), _) if s > now => Some(s),
            (_, Some(c)) => c.next_after(now, &action.time_zone),
            (Some(s), None) => Some(s),
            (None, None) => return Err(GroupError::Scaling(ScalingError::InvalidCron)),
        };
        let mut others = self.scheduled.iter().filter(|a| a.name != action.name);
        if others.any(|a| {
            (action.start_time.is_some() && a.start_time == action.start_time)
                || (action.next_run.is_some() && a.next_run == action.next_run)
        }) {
            return Err(GroupError::ScheduleConflict);
        }
        match self.scheduled.iter_mut().find(|a| a.name == action.name) {
            Some(slot) => *slot = action,
            None => self
                .scheduled
                .push(action)
                .map_err(|_| GroupError::TooManyScheduled)?,
        }
        Ok(())
    }

    /// `DeleteScheduledAction`.
    ///
    /// # Errors
    /// [`GroupError::UnknownScheduledAction`].
    pub fn delete_scheduled_action(&mut self, name: &str) -> Result<(), GroupError> {
        self.touch();
        let i = self
            .scheduled
            .iter()
            .position(|a| a.name == name)
            .ok_or(GroupError::UnknownScheduledAction)?;
        self.scheduled.remove(i);
        Ok(())
    }

    /// The scheduled actions, in the order they were added.
    pub fn scheduled_actions(&self) -> &[ScheduledAction] {
        &self.scheduled
    }

    /// Runs the actions due at `now`, earliest first and by name at the same instant; removes
    /// those that are over.
    pub(super) fn run_schedule(&mut self, now: Instant) {
        // Most ticks nothing is due: one look at each `next_run`, without the search below
        // and its comparisons of names (issue 20: the search was about 46 instructions a
        // step for the taxi run's two actions). The loop finds nothing due either way.
        if !self
            .scheduled
            .iter()
            .any(|a| a.next_run.is_some_and(|t| t <= now))
        {
            return;
        }
        let suspended = self.is_suspended(Process::ScheduledActions);
        loop {
            let due = self
                .scheduled
                .iter()
                .enumerate()
                .filter(|(_, a)| a.next_run.is_some_and(|t| t <= now))
                .min_by_key(|(_, a)| (a.next_run, a.name.as_str()))
                .map(|(i, _)| i);
            let Some(i) = due else { break };
            let Some(a) = self.scheduled.get(i).cloned() else {
                break;
            };
            if !suspended && a.end_time.is_none_or(|e| now <= e) {
                // Unspecified limits keep their values and still clamp desired (§3.6).
                let min = a.min_size.unwrap_or(self.config.min_size);
                let max = a.max_size.unwrap_or(self.config.max_size).max(min);
                let _ = self.update_size(
                    Some(min),
                    Some(max),
                    a.desired_capacity.map(|d| d.clamp(min, max)),
                );
            }
            let next = a.recurrence.and_then(|c| c.next_after(now, &a.time_zone));
            let next = next.filter(|t| a.end_time.is_none_or(|e| *t <= e));
            match (next, self.scheduled.get_mut(i)) {
                (Some(t), Some(slot)) => slot.next_run = Some(t),
                _ => {
                    self.scheduled.remove(i);
                }
            }
        }
    }

    /// When the next scheduled action is due.
    pub(super) fn schedule_deadline(&self) -> Option<Instant> {
        self.scheduled.iter().filter_map(|a| a.next_run).min()
    }
}
