//! Choosing which member a scale-in terminates (SEMANTICS §2.4 and §2.6).
//!
//! Zone balance comes first: the victim comes from the zone with the most members that still
//! has one unprotected (members whose zone was removed go before any zone). Within that zone the
//! termination policies narrow the candidates in order; ties left at the end are broken by the
//! group's seeded generator, the deterministic stand-in for the service's random pick.

use super::config::{MAX_ZONES, TerminationPolicy};
use super::member::Member;
use crate::time::{Duration, Instant};

const HOUR: Duration = Duration::from_hours(1);

/// The group's current launch template version, for the "outdated" policies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Current {
    pub template: crate::id::TemplateId,
    pub version: Option<u32>,
}

/// Candidates as a bit set over member indices (N ≤ 4096 fits in 64 words).
pub(crate) struct Picker<'a> {
    pub members: &'a [Member],
    pub zones: usize,
    pub now: Instant,
    pub current: Current,
}

impl Picker<'_> {
    /// The zone to terminate from: the one with the most capacity-counting members among those
    /// with an eligible candidate; ties go to the zone listed last. Removed zones come first.
    pub fn zone(&self, eligible: impl Fn(&Member) -> bool) -> Option<u8> {
        let mut counts = [0u32; MAX_ZONES];
        let mut has_candidate = [false; MAX_ZONES];
        let mut misplaced = false;
        for m in self
            .members
            .iter()
            .filter(|m| m.state.counts_toward_capacity())
        {
            match counts.get_mut(usize::from(m.zone)) {
                Some(c) => *c = c.saturating_add(1),
                None => misplaced |= eligible(m),
            }
            if eligible(m)
                && let Some(h) = has_candidate.get_mut(usize::from(m.zone))
            {
                *h = true;
            }
        }
        if misplaced {
            return Some(Member::NO_ZONE);
        }
        let mut best: Option<(u8, u32)> = None;
        for (z, (&count, &candidate)) in counts
            .iter()
            .zip(&has_candidate)
            .enumerate()
            .take(self.zones)
        {
            let Ok(z) = u8::try_from(z) else { break };
            if candidate && best.is_none_or(|(_, c)| count >= c) {
                best = Some((z, count));
            }
        }
        best.map(|(z, _)| z)
    }

    /// Narrows `candidates` (indices into `members`) by the policies, in order.
    pub fn narrow<const N: usize>(
        &self,
        candidates: &mut heapless::Vec<u16, N>,
        policies: &[TerminationPolicy],
    ) {
        for policy in policies {
            if candidates.len() <= 1 {
                return;
            }
            match policy {
                TerminationPolicy::Default => {
                    self.keep_min(candidates, |m| self.template_rank(m));
                    self.keep_min(candidates, |m| self.to_next_hour(m));
                }
                TerminationPolicy::OldestLaunchTemplate => {
                    self.keep_min(candidates, |m| self.template_rank(m));
                }
                TerminationPolicy::ClosestToNextInstanceHour => {
                    self.keep_min(candidates, |m| self.to_next_hour(m));
                }
                TerminationPolicy::OldestInstance => {
                    self.keep_min(candidates, |m| m.launched_at.total_millis());
                }
                TerminationPolicy::NewestInstance => {
                    self.keep_min(candidates, |m| {
                        u64::MAX.saturating_sub(m.launched_at.total_millis())
                    });
                }
                // Mixed-instances groups do not exist yet: nothing to realign.
                TerminationPolicy::AllocationStrategy => {}
            }
        }
    }

    /// Keeps the candidates with the smallest key.
    fn keep_min<const N: usize>(
        &self,
        candidates: &mut heapless::Vec<u16, N>,
        key: impl Fn(&Member) -> u64,
    ) {
        let keyed = |i: &u16| self.members.get(usize::from(*i)).map_or(u64::MAX, &key);
        let Some(best) = candidates.iter().map(keyed).min() else {
            return;
        };
        candidates.retain(|i| keyed(i) == best);
    }

    /// 0: not from the group's template (attached, or another template); 1 + version for an
    /// older version of the group's template; `u64::MAX` for the current version.
    fn template_rank(&self, m: &Member) -> u64 {
        match m.launch_template {
            Some((t, v)) if t == self.current.template => match self.current.version {
                Some(cur) if v == cur => u64::MAX,
                _ => u64::from(v).saturating_add(1),
            },
            _ => 0,
        }
    }

    /// Milliseconds until the member's next billing hour.
    fn to_next_hour(&self, m: &Member) -> u64 {
        let age = self
            .now
            .saturating_duration_since(m.launched_at)
            .total_millis();
        HOUR.total_millis()
            .saturating_sub(age.checked_rem(HOUR.total_millis()).unwrap_or(0))
    }
}
