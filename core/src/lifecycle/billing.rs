//! The instance usage billing clock (SEMANTICS §1.1, §1.3, §4.1).

use crate::time::{Duration, Instant};

/// The 60-second minimum charged each time an instance enters `running`.
pub const MINIMUM_PER_START: Duration = Duration::from_secs(60);

/// Billed usage of one instance.
///
/// A *session* opens when the instance enters `running` and closes when billing stops: on
/// entering `stopped`, `shutting-down` or `terminated`, or on entering `stopping` for a normal
/// stop. A hibernation keeps the session open while `stopping` (hibernation is billed while
/// stopping), and a reboot does not touch it (no new minimum). A session bills its length in
/// started seconds, at least 60 s: a 20 s run bills 60 s, 3 min 40 s bills exactly that.
///
/// The 60 s minimum is charged from the moment the session opens, so [`BillingClock::billed`]
/// never decreases as time passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct BillingClock {
    closed: Duration,
    open_since: Option<Instant>,
    sessions: u32,
}

impl BillingClock {
    /// A clock with nothing billed.
    pub const fn new() -> Self {
        Self {
            closed: Duration::ZERO,
            open_since: None,
            sessions: 0,
        }
    }

    /// Total billed usage up to `now`, including the open session.
    pub fn billed(&self, now: Instant) -> Duration {
        match self.open_since {
            Some(start) => self.closed.saturating_add(session_charge(start, now)),
            None => self.closed,
        }
    }

    /// Whether a session is open (the instance is accruing charges).
    pub const fn is_open(&self) -> bool {
        self.open_since.is_some()
    }

    /// How many sessions have been opened (each one paid its 60 s minimum).
    pub const fn sessions(&self) -> u32 {
        self.sessions
    }

    /// When the open session started, and what the closed sessions billed: what the ledger
    /// needs to know from when, and up to when, the clock bills one second per second
    /// (`purchase::quiet`).
    pub(crate) const fn session(&self) -> (Option<Instant>, Duration) {
        (self.open_since, self.closed)
    }

    /// Opens a session at `now`; does nothing if one is open.
    pub(crate) fn open(&mut self, now: Instant) {
        if self.open_since.is_none() {
            self.open_since = Some(now);
            self.sessions = self.sessions.saturating_add(1);
        }
    }

    /// Closes the open session at `now`; does nothing if none is open.
    pub(crate) fn close(&mut self, now: Instant) {
        if let Some(start) = self.open_since.take() {
            self.closed = self.closed.saturating_add(session_charge(start, now));
        }
    }
}

/// What one session from `start` to `now` costs: started seconds, at least the minimum.
fn session_charge(start: Instant, now: Instant) -> Duration {
    let used = now.saturating_duration_since(start).ceil_to_secs();
    if used < MINIMUM_PER_START {
        MINIMUM_PER_START
    } else {
        used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_seconds_bill_one_minute() {
        let mut c = BillingClock::new();
        c.open(Instant::from_secs(100));
        c.close(Instant::from_secs(120));
        assert_eq!(c.billed(Instant::from_secs(1000)), Duration::from_secs(60));
    }

    #[test]
    fn three_minutes_forty_bill_exactly_that() {
        let mut c = BillingClock::new();
        c.open(Instant::ZERO);
        c.close(Instant::from_secs(220));
        assert_eq!(c.billed(Instant::from_secs(220)), Duration::from_secs(220));
    }

    #[test]
    fn each_session_pays_its_own_minimum_and_partial_seconds_round_up() {
        let mut c = BillingClock::new();
        c.open(Instant::ZERO);
        c.close(Instant::from_millis(10_500));
        c.open(Instant::from_secs(500));
        assert_eq!(
            c.billed(Instant::from_millis(500_001)),
            Duration::from_secs(120)
        );
        c.close(Instant::from_millis(570_200));
        assert_eq!(
            c.billed(Instant::from_secs(9999)),
            Duration::from_secs(60 + 71)
        );
        assert_eq!(c.sessions(), 2);
    }

    #[test]
    fn opening_twice_does_not_restart_the_minimum() {
        let mut c = BillingClock::new();
        c.open(Instant::ZERO);
        c.open(Instant::from_secs(90));
        assert_eq!(c.billed(Instant::from_secs(100)), Duration::from_secs(100));
        assert_eq!(c.sessions(), 1);
    }
}
