//! Groups made of parts (`group::parts`, DESIGN.md principle 7): a lean group stores only what
//! it uses, refuses what it does not store without changing, and decides exactly as a full
//! group does for what they share.

use super::*;
use crate::group::{Full, Lean};
use crate::purchase::{Prices, UpfrontAccounting};
use crate::scaling::hpa::Behavior;
use crate::scaling::predictive::PredictiveConfig;
use crate::scaling::target::TargetTracking;
use crate::scaling::{AlarmConfig, Comparison};

/// A board's group: 8 activities, no scheduled actions, one policy on one metric, no alarms
/// of the caller's, and none of the optional parts.
type Board = Lean<8, 0, 1, 1, 0>;

const MINUTE: Duration = Duration::from_secs(60);

#[test]
fn a_lean_group_of_8_with_target_tracking_fits_4_kib() {
    let member = core::mem::size_of::<Member>();
    let lean = core::mem::size_of::<Group<8, Board>>();
    let full = core::mem::size_of::<Group<8, Full>>();
    std::println!("Member {member} B, Group<8, Lean<8, 0, 1, 1, 0>> {lean} B, Group<8> {full} B");
    assert!(member <= 64, "Member is {member} B");
    assert!(lean <= 4096, "the lean group is {lean} B");
    // The parts a full group keeps cost it more than ten times as much.
    assert!(full > 10 * lean);
}

/// The target-tracking setup every test here uses: CPU from the members, tracked at 50 %.
fn track<const N: usize, P: Parts>(g: &mut Group<N, P>) -> u8 {
    let cpu = g.put_metric("CPU", MINUTE, Source::Members).unwrap();
    g.put_scaling_policy(ScalingPolicy::TargetTracking {
        metric: cpu,
        tracking: TargetTracking {
            target: value(50),
            disable_scale_in: false,
        },
        warmup: Some(MINUTE),
        hpa: None,
    })
    .unwrap();
    cpu
}

#[test]
fn a_lean_group_refuses_what_it_does_not_store_and_stays_unchanged() {
    let mut g: Group<8, Board> = Group::new(config(1, 8, None, &["a"]), 1).unwrap();
    let cpu = track(&mut g);
    let before = g.clone();
    assert_eq!(
        g.put_lifecycle_hook(LifecycleHook::new(HookTransition::Launching)),
        Err(GroupError::PartNotStored {
            part: "lifecycle hooks"
        })
    );
    assert_eq!(
        g.put_predictive_policy(PredictiveConfig::new(value(100)), cpu),
        Err(GroupError::OutOfRange { field: "metric" }),
        "the metric is checked first, as for a full group"
    );
    assert_eq!(
        g.set_prices(t(0), Prices::new(), UpfrontAccounting::Amortized),
        Err(GroupError::PartNotStored {
            part: "a price ledger"
        })
    );
    // One policy and one metric: the second of each is over capacity.
    assert_eq!(
        g.put_metric("Queue", MINUTE, Source::Group),
        Err(GroupError::TooManyMetrics)
    );
    assert_eq!(
        g.put_scaling_policy(ScalingPolicy::TargetTracking {
            metric: cpu,
            tracking: TargetTracking {
                target: value(60),
                disable_scale_in: false,
            },
            warmup: None,
            hpa: None,
        }),
        Err(GroupError::TooManyPolicies)
    );
    assert_eq!(
        g.put_scheduled_action(t(0), one_off("night", 3600, 2)),
        Err(GroupError::TooManyScheduled)
    );
    assert_eq!(
        g.put_warm_pool(WarmPool::default()),
        Err(GroupError::PartNotStored {
            part: "a warm pool"
        })
    );
    assert_eq!(
        g.start_instance_refresh(t(0), crate::group::RefreshPreferences::default()),
        Err(GroupError::PartNotStored {
            part: "an instance refresh"
        })
    );
    assert_eq!(g, before);
    assert!(g.ledger().is_none() && g.predictive().is_none() && g.warm_pool().is_none());
}

#[test]
fn alarms_need_room_of_their_own() {
    let mut g: Group<8, Lean<8, 0, 2, 1, 0>> = Group::new(config(1, 8, None, &["a"]), 1).unwrap();
    let cpu = g.put_metric("CPU", MINUTE, Source::Members).unwrap();
    let simple = g
        .put_scaling_policy(ScalingPolicy::Simple {
            adjustment_type: crate::scaling::AdjustmentType::ChangeInCapacity,
            adjustment: 1,
            cooldown: None,
            min_adjustment_magnitude: None,
        })
        .unwrap();
    let before = g.clone();
    let high = AlarmConfig::new(Comparison::GreaterThan, value(80), 1);
    assert_eq!(
        g.put_alarm(t(0), cpu, high, simple),
        Err(GroupError::TooManyAlarms)
    );
    assert_eq!(g, before);
}

#[test]
fn hpa_and_predictive_need_their_parts() {
    // Room for policies and metrics, but no HPA or predictive part.
    let mut g: Group<8, Lean<8, 0, 4, 4, 4>> = Group::new(config(1, 8, None, &["a"]), 1).unwrap();
    let cpu = g.put_metric("CPU", MINUTE, Source::Members).unwrap();
    let load = g
        .put_metric("Load", Duration::from_secs(3600), Source::Group)
        .unwrap();
    let before = g.clone();
    assert_eq!(
        g.put_scaling_policy(ScalingPolicy::TargetTracking {
            metric: cpu,
            tracking: TargetTracking {
                target: value(50),
                disable_scale_in: false,
            },
            warmup: None,
            hpa: Some(Some(Behavior::default())),
        }),
        Err(GroupError::PartNotStored {
            part: "an HPA policy"
        })
    );
    assert_eq!(
        g.put_predictive_policy(PredictiveConfig::new(value(100)), load),
        Err(GroupError::PartNotStored {
            part: "a predictive scaling policy"
        })
    );
    assert_eq!(g, before);
    // The same calls on a full group succeed.
    let mut full: Group<8> = Group::new(config(1, 8, None, &["a"]), 1).unwrap();
    let cpu = full.put_metric("CPU", MINUTE, Source::Members).unwrap();
    let load = full
        .put_metric("Load", Duration::from_secs(3600), Source::Group)
        .unwrap();
    full.put_predictive_policy(PredictiveConfig::new(value(100)), load)
        .unwrap();
    full.put_scaling_policy(ScalingPolicy::TargetTracking {
        metric: cpu,
        tracking: TargetTracking {
            target: value(50),
            disable_scale_in: false,
        },
        warmup: None,
        hpa: Some(Some(Behavior::default())),
    })
    .unwrap();
    full.put_lifecycle_hook(LifecycleHook::new(HookTransition::Launching))
        .unwrap();
}

/// Drives `g` through `loads` (CPU per minute of the whole demand, in percent of one member),
/// playing the world as it asks, and returns every action in order with desired capacity after
/// each minute.
fn drive<const N: usize, P: Parts>(
    g: &mut Group<N, P>,
    cpu: u8,
    loads: &[i64],
) -> std::vec::Vec<(u64, std::string::String, u32)> {
    use std::string::ToString;
    let mut log = std::vec::Vec::new();
    for (k, &demand) in (0u64..).zip(loads) {
        let now = t(k * 60 + 60);
        let serving = i64::from(g.in_service()).max(1);
        let _ = g.record_in_service(t(k * 60 + 30), cpu, value((demand / serving).min(100)));
        loop {
            let mut out: heapless::Vec<Action, 2> = heapless::Vec::new();
            g.tick(now, &mut out);
            if out.is_empty() {
                break;
            }
            for a in &out {
                log.push((k, a.to_string(), g.desired()));
                match *a {
                    Action::Launch { id, .. } => g.observe(now, Event::Booted(id)).unwrap(),
                    Action::Terminate { id } => g.observe(now, Event::Terminated(id)).unwrap(),
                    _ => {}
                }
            }
        }
    }
    log
}

#[test]
fn lean_and_full_groups_decide_the_same() {
    // Two days of a demand that swings between 40 % and 390 % of one member.
    let loads: std::vec::Vec<i64> = (0..2880i64)
        .map(|k| 215 + (175 * ((k % 720) - 360).abs()) / 360 - 87)
        .collect();
    let mut lean: Group<8, Board> = Group::new(config(1, 8, None, &["a", "b"]), 3).unwrap();
    let mut full: Group<8> = Group::new(config(1, 8, None, &["a", "b"]), 3).unwrap();
    let (a, b) = (track(&mut lean), track(&mut full));
    let (lean_log, full_log) = (drive(&mut lean, a, &loads), drive(&mut full, b, &loads));
    assert_eq!(lean_log, full_log);
    let launches = lean_log
        .iter()
        .filter(|e| e.1.starts_with("launch"))
        .count();
    let terminations = lean_log
        .iter()
        .filter(|e| e.1.starts_with("terminate"))
        .count();
    assert!(
        launches > 4 && terminations > 2,
        "{launches} launches, {terminations} terminations"
    );
    assert_eq!(lean.members().len(), full.members().len());
}

#[test]
fn a_lean_snapshot_restores_and_a_full_one_is_refused() {
    let mut g: Group<8, Board> = Group::new(config(1, 8, Some(3), &["a"]), 5).unwrap();
    let cpu = track(&mut g);
    let loads = [300i64; 30];
    drive(&mut g, cpu, &loads);
    let mut buf = [0u8; 4096];
    let n = g.snapshot(&mut buf).unwrap();
    let back: Group<8, Board> = Group::restore(&buf[..n]).unwrap();
    assert_eq!(back, g);
    let mut other: Group<8, Board> = Group::new(config(1, 2, None, &["x"]), 9).unwrap();
    other.restore_into(&buf[..n]).unwrap();
    assert_eq!(other, g);
    // The same members in a group of other parts: refused by the header, never misread.
    let full: Group<8, AllParts<8, 0>> = Group::new(config(1, 8, Some(3), &["a"]), 5).unwrap();
    let n = full.snapshot(&mut buf).unwrap();
    assert!(matches!(
        Group::<8, Board>::restore(&buf[..n]),
        Err(SnapshotError::CapacityMismatch { .. })
    ));
    let before = g.clone();
    assert!(g.restore_into(&buf[..n]).is_err());
    assert_eq!(g, before);
}
