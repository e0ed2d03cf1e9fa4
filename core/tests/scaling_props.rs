//! Property tests of dynamic scaling inside `tick` (issue 4, DESIGN.md tier 2).
//!
//! Random groups carry a random mix of simple, step, target-tracking and HPA policies on a
//! per-member metric and a group metric; random samples and clock steps drive them. After every
//! tick:
//! - min ≤ desired ≤ max, whatever the policies recommend;
//! - the same inputs give the same group, step by step (a replay on a second group agrees);
//! - with simple policies only, desired never moves while the group is in cooldown.
//!
//! The HPA's normalisation is also checked alone: its result never leaves [min, max].

use fleetcore::group::{Action, Event, Group, GroupConfig, MemberState, ScalingPolicy, Source};
use fleetcore::id::{InstanceId, TemplateId};
use fleetcore::scaling::hpa::{Autoscaler, Behavior, PolicyKind, RatePolicy, SelectPolicy};
use fleetcore::scaling::target::TargetTracking;
use fleetcore::scaling::{
    AdjustmentType, Aggregation, AlarmConfig, Comparison, StepAdjustment, Value,
};
use fleetcore::{Duration, Instant};
use proptest::prelude::*;

const N: usize = 12;
type G = Group<N, fleetcore::group::AllParts<8, 4>>;

#[derive(Debug, Clone)]
enum PolicyChoice {
    Simple {
        adjustment: i32,
        percent: bool,
        cooldown: u64,
        threshold: i64,
        above: bool,
    },
    Step {
        aggregation: u8,
        threshold: i64,
    },
    Tracking {
        target: i64,
        disable_scale_in: bool,
    },
    Hpa {
        target: i64,
        with_behavior: bool,
    },
}

#[derive(Debug, Clone)]
enum Op {
    Advance(u64),
    Sample { cpu: i64, queue: i64 },
    Tick,
}

fn policy_choice() -> impl Strategy<Value = PolicyChoice> {
    prop_oneof![
        (
            -4i32..=4,
            any::<bool>(),
            0u64..600,
            0i64..200,
            any::<bool>()
        )
            .prop_map(|(adjustment, percent, cooldown, threshold, above)| {
                PolicyChoice::Simple {
                    adjustment: if percent { adjustment * 25 } else { adjustment },
                    percent,
                    cooldown,
                    threshold,
                    above,
                }
            }),
        (0u8..3, 0i64..200).prop_map(|(aggregation, threshold)| PolicyChoice::Step {
            aggregation,
            threshold
        }),
        (1i64..100, any::<bool>()).prop_map(|(target, disable_scale_in)| {
            PolicyChoice::Tracking {
                target,
                disable_scale_in,
            }
        }),
        (1i64..100, any::<bool>()).prop_map(|(target, with_behavior)| PolicyChoice::Hpa {
            target,
            with_behavior
        }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u64..120).prop_map(Op::Advance),
        (0i64..200, 0i64..400).prop_map(|(cpu, queue)| Op::Sample { cpu, queue }),
        Just(Op::Tick),
    ]
}

fn value(x: i64) -> Value {
    Value::from_int(x)
}

/// A group with the chosen policies; the caller's alarms watch the queue metric.
fn make_group(min: u32, span: u32, seed: u64, choices: &[PolicyChoice]) -> G {
    let max = (min + span).min(u32::try_from(N).unwrap());
    let mut c = GroupConfig::new(min, max, TemplateId::from_u64(1), "a").unwrap();
    c.default_instance_warmup = Some(Duration::from_secs(seed % 200));
    let mut g = G::new(c, seed).unwrap();
    let cpu = g
        .put_metric("CPU", Duration::from_secs(60), Source::Members)
        .unwrap();
    let queue = g
        .put_metric("Queue", Duration::from_secs(60), Source::Group)
        .unwrap();
    for choice in choices {
        add_policy(&mut g, choice, cpu, queue);
    }
    g
}

fn add_policy(g: &mut G, choice: &PolicyChoice, cpu: u8, queue: u8) {
    match *choice {
        PolicyChoice::Simple {
            adjustment,
            percent,
            cooldown,
            threshold,
            above,
        } => {
            let p = g
                .put_scaling_policy(ScalingPolicy::Simple {
                    adjustment_type: if percent {
                        AdjustmentType::PercentChangeInCapacity
                    } else {
                        AdjustmentType::ChangeInCapacity
                    },
                    adjustment,
                    cooldown: Some(Duration::from_secs(cooldown)),
                    min_adjustment_magnitude: None,
                })
                .unwrap();
            let cmp = if above {
                Comparison::GreaterThan
            } else {
                Comparison::LessThan
            };
            g.put_alarm(
                Instant::ZERO,
                queue,
                AlarmConfig::new(cmp, value(threshold), 2),
                p,
            )
            .unwrap();
        }
        PolicyChoice::Step {
            aggregation,
            threshold,
        } => {
            let mut steps = heapless::Vec::new();
            for (lower, upper, adjustment) in [
                (None, Some(0), -1),
                (Some(0), Some(50), 1),
                (Some(50), None, 3),
            ] {
                steps
                    .push(StepAdjustment {
                        lower: lower.map(value),
                        upper: upper.map(value),
                        adjustment,
                    })
                    .unwrap();
            }
            let p = g
                .put_scaling_policy(ScalingPolicy::Step {
                    adjustment_type: AdjustmentType::ChangeInCapacity,
                    steps,
                    min_adjustment_magnitude: None,
                    warmup: None,
                    aggregation: [
                        Aggregation::Average,
                        Aggregation::Minimum,
                        Aggregation::Maximum,
                    ][usize::from(aggregation)],
                })
                .unwrap();
            let cfg = AlarmConfig::new(Comparison::GreaterThan, value(threshold), 3);
            g.put_alarm(Instant::ZERO, queue, cfg, p).unwrap();
        }
        PolicyChoice::Tracking {
            target,
            disable_scale_in,
        } => {
            g.put_scaling_policy(ScalingPolicy::TargetTracking {
                metric: cpu,
                tracking: TargetTracking {
                    target: value(target),
                    disable_scale_in,
                },
                warmup: None,
                hpa: None,
            })
            .unwrap();
        }
        PolicyChoice::Hpa {
            target,
            with_behavior,
        } => {
            // One HPA per group: a second one is refused, and that is fine here.
            let _ = g.put_scaling_policy(ScalingPolicy::TargetTracking {
                metric: cpu,
                tracking: TargetTracking {
                    target: value(target),
                    disable_scale_in: false,
                },
                warmup: None,
                hpa: Some(with_behavior.then(Behavior::default)),
            });
        }
    }
}

/// Applies one op: samples from every member in service, or a tick whose actions the world
/// carries out at once.
fn apply(g: &mut G, now: &mut Instant, op: &Op) {
    match *op {
        Op::Advance(s) => *now = now.saturating_add(Duration::from_secs(s)),
        Op::Sample { cpu, queue } => {
            let ids: Vec<InstanceId> = g
                .members()
                .iter()
                .filter(|m| m.state() == MemberState::InService)
                .map(fleetcore::group::Member::id)
                .collect();
            for (i, id) in ids.into_iter().enumerate() {
                let spread = cpu + i64::try_from(i).unwrap() * 7 % 40;
                g.record(*now, 0, Some(id), value(spread)).unwrap();
            }
            g.record(*now, 1, None, value(queue)).unwrap();
        }
        Op::Tick => {
            let mut out: heapless::Vec<Action, 32> = heapless::Vec::new();
            g.tick(*now, &mut out);
            for a in out {
                match a {
                    Action::Launch { id, .. } | Action::Start { id } => {
                        let _ = g.observe(*now, Event::Booted(id));
                    }
                    Action::Terminate { id } => {
                        let _ = g.observe(*now, Event::Terminated(id));
                    }
                    _ => {}
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn desired_stays_in_bounds_and_runs_are_deterministic(
        min in 0u32..4,
        span in 0u32..10,
        seed: u64,
        choices in proptest::collection::vec(policy_choice(), 1..5),
        ops in proptest::collection::vec(op(), 1..200),
    ) {
        let mut g = make_group(min, span, seed, &choices);
        let mut twin = make_group(min, span, seed, &choices);
        let (mut now, mut twin_now) = (Instant::ZERO, Instant::ZERO);
        for op in &ops {
            apply(&mut g, &mut now, op);
            apply(&mut twin, &mut twin_now, op);
            prop_assert!(
                g.min_size() <= g.desired() && g.desired() <= g.max_size(),
                "desired {} outside [{}, {}]", g.desired(), g.min_size(), g.max_size()
            );
            prop_assert_eq!(&g, &twin);
        }
    }

    #[test]
    fn simple_policies_never_scale_in_cooldown(
        min in 0u32..3,
        span in 1u32..10,
        seed: u64,
        simple in proptest::collection::vec(
            (-3i32..=3, any::<bool>(), 0u64..900, 0i64..300, any::<bool>()), 1..3),
        ops in proptest::collection::vec(op(), 1..250),
    ) {
        let choices: Vec<PolicyChoice> = simple
            .into_iter()
            .map(|(adjustment, percent, cooldown, threshold, above)| PolicyChoice::Simple {
                adjustment: if percent { adjustment * 30 } else { adjustment },
                percent,
                cooldown,
                threshold,
                above,
            })
            .collect();
        let mut g = make_group(min, span, seed, &choices);
        let mut now = Instant::ZERO;
        // Desired first settles at min with no policy involved.
        apply(&mut g, &mut now, &Op::Tick);
        for op in &ops {
            let (before, cooling) = (g.desired(), g.in_cooldown(now));
            apply(&mut g, &mut now, op);
            if matches!(op, Op::Tick) && cooling {
                prop_assert_eq!(g.desired(), before, "desired moved during a cooldown at {:?}", now);
            }
        }
    }

    #[test]
    fn hpa_normalisation_never_leaves_min_max(
        with_behavior: bool,
        select in 0u8..3,
        pods in 1u32..10,
        percent in 1u32..300,
        window in 0u64..600,
        min in 0u32..10,
        span in 0u32..50,
        steps in proptest::collection::vec((1u64..60, 0u32..80, 0u32..200), 1..60),
    ) {
        let max = min + span;
        let behavior = with_behavior.then(|| {
            let mut b = Behavior::default();
            b.scale_down.stabilization = Duration::from_secs(window);
            b.scale_up.select =
                [SelectPolicy::Max, SelectPolicy::Min, SelectPolicy::Disabled][usize::from(select)];
            b.scale_up.policies.clear();
            b.scale_up.policies.push(RatePolicy {
                kind: PolicyKind::Pods,
                value: pods,
                period: Duration::from_secs(60),
            }).unwrap();
            b.scale_up.policies.push(RatePolicy {
                kind: PolicyKind::Percent,
                value: percent,
                period: Duration::from_secs(30),
            }).unwrap();
            b
        });
        let mut hpa = Autoscaler::new(behavior);
        let mut now = Instant::ZERO;
        let mut current = min;
        for (dt, _, desired) in steps {
            now = now.saturating_add(Duration::from_secs(dt));
            current = hpa.normalize(now, current, desired, min, max);
            prop_assert!(min <= current && current <= max, "{} outside [{}, {}]", current, min, max);
        }
    }
}
