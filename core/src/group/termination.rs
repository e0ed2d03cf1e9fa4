//! Choosing which member a scale-in terminates (SEMANTICS §2.4 and §2.6).
//!
//! Zone balance comes first: the victim comes from the zone with the most members that still
//! has one unprotected (members whose zone was removed go before any zone). Within that zone the
//! termination policies narrow the candidates in order; ties left at the end are broken by the
//! group's seeded generator, the deterministic stand-in for the service's random pick.

use core::cmp::Ordering;

use super::config::{MAX_ZONES, TerminationPolicy};
use super::member::Member;
use crate::fixed::{Alive, heap_sort_by};
use crate::id::IdGenerator;
use crate::time::{Duration, Instant};

const HOUR: Duration = Duration::from_hours(1);

/// The group's current launch template version, for the "outdated" policies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Current {
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

    /// Narrows `candidates` (indices into `members`) by the policies, in order: the one-pick
    /// model [`Picker::victims`] is checked against.
    #[cfg(test)]
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

    /// Up to `k` victims (indices into `members`) appended to `picked`, in the order that picking them one at a
    /// time would give: each from the zone [`Picker::zone`] chooses once the ones before are
    /// gone, the policies' smallest keys first, ties broken by `draws` exactly as a single
    /// pick does. Stops early when no eligible member is left. The picked members must stop
    /// counting toward capacity once picked (they are terminated or sent to the warm pool).
    ///
    /// Why not pick one at a time: each pick scans the group, so a scale-in by k of a group of
    /// N cost O(k·N), 4096 × 2000 in the benchmark's largest case. Here the eligible members
    /// are sorted once by (zone, policy keys, index) and each pick is O(log N) plus the zone
    /// choice over at most [`MAX_ZONES`]: O(N log N) in all.
    pub fn victims<const N: usize>(
        &self,
        policies: &[TerminationPolicy],
        eligible: impl Fn(&Member) -> bool,
        draws: &mut IdGenerator,
        k: usize,
        picked: &mut heapless::Vec<u16, N>,
    ) {
        let k = k.saturating_add(picked.len());
        let mut order: heapless::Vec<u16, N> = heapless::Vec::new();
        let mut counts = [0u32; MAX_ZONES];
        let mut misplaced = 0usize;
        for (i, m) in self.members.iter().enumerate() {
            if !m.state.counts_toward_capacity() {
                continue;
            }
            let candidate = eligible(m);
            match counts.get_mut(usize::from(m.zone)) {
                Some(c) => *c = c.saturating_add(1),
                None if candidate => misplaced = misplaced.saturating_add(1),
                None => {}
            }
            if candidate {
                let Ok(i) = u16::try_from(i) else { break };
                let _ = order.push(i);
            }
        }
        let member = |i: u16| self.members.get(usize::from(i));
        let keys = |a: u16, b: u16| match (member(a), member(b)) {
            (Some(x), Some(y)) => self.compare(x, y, policies),
            _ => Ordering::Equal,
        };
        heap_sort_by(&mut order, |&a, &b| keys(a, b).then(a.cmp(&b)));
        let mut runs = self.zone_runs(&order);
        let mut alive: Alive<N> = Alive::full(order.len());
        while picked.len() < k {
            let Some(slot) = self.next_zone(&counts, &runs, misplaced) else {
                break;
            };
            let Some(run) = runs.get_mut(slot) else { break };
            if run.left == 0 {
                // The next tie group: the run's items equal to its first present one.
                if run.group_end >= run.end {
                    break;
                }
                run.group = run.group_end;
                let first = order.get(run.group).copied().unwrap_or(0);
                run.group_end = (run.group..run.end)
                    .find(|&p| {
                        order
                            .get(p)
                            .is_none_or(|&i| keys(first, i) != Ordering::Equal)
                    })
                    .unwrap_or(run.end);
                run.left = run.group_end.saturating_sub(run.group);
            }
            let nth = match run.left {
                0 => break,
                1 => 0,
                n => {
                    let draw = draws.next_u64().unwrap_or(0);
                    let n = u64::try_from(n).unwrap_or(1);
                    usize::try_from(draw.checked_rem(n).unwrap_or(0)).unwrap_or(0)
                }
            };
            let Some(at) = alive.nth(alive.before(run.group).saturating_add(nth)) else {
                break;
            };
            alive.remove(at);
            run.left = run.left.saturating_sub(1);
            run.taken = run.taken.saturating_add(1);
            let Some(&victim) = order.get(at) else { break };
            match member(victim).map(|m| usize::from(m.zone)) {
                Some(z) if z < MAX_ZONES => {
                    if let Some(c) = counts.get_mut(z) {
                        *c = c.saturating_sub(1);
                    }
                }
                _ => misplaced = misplaced.saturating_sub(1),
            }
            if picked.push(victim).is_err() {
                break;
            }
        }
    }

    /// Each zone's run in `order` (sorted zone first), by zone index, removed zones
    /// ([`Member::NO_ZONE`]) in the last slot.
    fn zone_runs(&self, order: &[u16]) -> [Run; MAX_ZONES + 1] {
        let zone_of = |pos: usize| {
            order
                .get(pos)
                .and_then(|&i| self.members.get(usize::from(i)))
                .map(|m| m.zone)
        };
        let mut runs = [Run::default(); MAX_ZONES + 1];
        let mut pos = 0;
        while let Some(z) = zone_of(pos) {
            let end = (pos..order.len())
                .find(|&p| zone_of(p) != Some(z))
                .unwrap_or(order.len());
            let slot = if usize::from(z) < MAX_ZONES {
                usize::from(z)
            } else {
                MAX_ZONES
            };
            if (z == Member::NO_ZONE || usize::from(z) < MAX_ZONES)
                && let Some(r) = runs.get_mut(slot)
            {
                *r = Run {
                    start: pos,
                    end,
                    group: pos,
                    group_end: pos,
                    left: 0,
                    taken: 0,
                };
            }
            pos = end;
        }
        runs
    }

    /// The slot of `runs` the next victim comes from, as [`Picker::zone`] chooses: removed
    /// zones while an eligible member is in one, else the zone with the most members among
    /// those with one left to pick, ties to the zone listed last.
    fn next_zone(
        &self,
        counts: &[u32; MAX_ZONES],
        runs: &[Run; MAX_ZONES + 1],
        misplaced: usize,
    ) -> Option<usize> {
        if misplaced > 0 {
            return Some(MAX_ZONES);
        }
        let mut best: Option<(usize, u32)> = None;
        for (z, (&count, run)) in counts.iter().zip(runs).enumerate().take(self.zones) {
            if run.present() && best.is_none_or(|(_, c)| count >= c) {
                best = Some((z, count));
            }
        }
        best.map(|(z, _)| z)
    }

    /// The order [`Picker::narrow`] narrows by: zone, then each policy's key (smallest goes
    /// first).
    fn compare(&self, a: &Member, b: &Member, policies: &[TerminationPolicy]) -> Ordering {
        let mut order = a.zone.cmp(&b.zone);
        for policy in policies {
            let by = |key: &dyn Fn(&Member) -> u64| key(a).cmp(&key(b));
            order = order.then_with(|| match policy {
                TerminationPolicy::Default => {
                    by(&|m| self.template_rank(m)).then_with(|| by(&|m| self.to_next_hour(m)))
                }
                TerminationPolicy::OldestLaunchTemplate => by(&|m| self.template_rank(m)),
                TerminationPolicy::ClosestToNextInstanceHour => by(&|m| self.to_next_hour(m)),
                TerminationPolicy::OldestInstance => by(&|m| m.launched_at.total_millis()),
                TerminationPolicy::NewestInstance => {
                    by(&|m| u64::MAX.saturating_sub(m.launched_at.total_millis()))
                }
                TerminationPolicy::AllocationStrategy => Ordering::Equal,
            });
        }
        order
    }

    /// Keeps the candidates with the smallest key.
    #[cfg(test)]
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

    /// 0: not from the group's template (attached); 1 + version for an older version of the
    /// group's template; `u64::MAX` for the current version.
    fn template_rank(&self, m: &Member) -> u64 {
        // Every launched member is from the group's template (`current.template`).
        match m.launch_template_version() {
            Some(v) => match self.current.version {
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

/// One zone's eligible members in the sorted order of [`Picker::victims`].
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    start: usize,
    end: usize,
    /// The tie group being picked from.
    group: usize,
    group_end: usize,
    /// Members of the tie group not yet picked.
    left: usize,
    /// Members of the run picked so far.
    taken: usize,
}

impl Run {
    /// Whether a member of the run is still there to pick.
    fn present(&self) -> bool {
        self.end.saturating_sub(self.start) > self.taken
    }
}

#[cfg(test)]
mod tests;
