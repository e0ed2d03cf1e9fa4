//! The HPA over pod-level inputs (`fleetcore::scaling::hpa`: `groupPods` and
//! `reconcileAutoscaler`, issue 17). The input is arbitrary pods, a scale and one metric of
//! each pod-level kind, run twice (a second run sees the first one's stored state).
//!
//! Properties:
//! - nothing panics; a run with positive targets and `min <= max` succeeds;
//! - `group_pods` puts every pod in exactly one group;
//! - the count is the current one when autoscaling is disabled (current 0, min above 0), and
//!   within `[min, max]` otherwise (a current count outside goes to the bound; failing metrics
//!   keep a current count that is inside);
//! - the scale-event logs never hold more events than were stored, nor an event marked
//!   outdated that is younger than the last event of its direction.

#![no_main]

use arbitrary::Arbitrary;
use fleetcore::scaling::Value;
use fleetcore::scaling::hpa::{
    Autoscaler, Behavior, Metric, Pod, PodPhase, PodSample, PodSource, Readiness, ReadyCondition,
    ResourceTarget, Scale, group_pods,
};
use fleetcore::{Duration, Instant};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct InPod {
    phase: u8,
    ready: Option<(bool, u32)>,
    start: Option<u32>,
    deleted: bool,
    sample: Option<(i32, u32, u16)>,
    request: u16,
}

#[derive(Debug, Arbitrary)]
struct Input {
    pods: Vec<InPod>,
    now: u32,
    current: u8,
    min: u8,
    span: u8,
    utilization: u16,
    average: u16,
    cpu: bool,
    behavior: bool,
}

fn pod(p: &InPod) -> Pod {
    let phase = match p.phase % 5 {
        0 => PodPhase::Pending,
        1 => PodPhase::Running,
        2 => PodPhase::Succeeded,
        3 => PodPhase::Failed,
        _ => PodPhase::Unknown,
    };
    Pod {
        phase,
        ready: p.ready.map(|(status, t)| ReadyCondition {
            status,
            last_transition: Instant::from_millis(u64::from(t)),
        }),
        start_time: p.start.map(|t| Instant::from_millis(u64::from(t))),
        deleted: p.deleted,
        sample: p.sample.map(|(v, t, w)| PodSample {
            value: Value::from_milli(i64::from(v)),
            timestamp: Instant::from_millis(u64::from(t)),
            window: Duration::from_millis(u64::from(w)),
        }),
        request: Value::from_milli(i64::from(p.request)),
    }
}

fuzz_target!(|input: Input| {
    let pods: Vec<Pod> = input.pods.iter().take(300).map(pod).collect();
    let now = Instant::from_millis(u64::from(input.now));
    let readiness = Readiness::DEFAULT;
    if let Ok(g) = group_pods::<300>(&pods, now, input.cpu, &readiness) {
        let total = g.ready + g.unready.len() + g.missing.len() + g.ignored.len();
        assert_eq!(total, pods.len());
    }
    let target = |t: u16| u32::from(t).max(1);
    let metrics = [
        Metric::PodLevel {
            source: PodSource::Resource { cpu: input.cpu },
            pods: &pods,
            target: ResourceTarget::Utilization(target(input.utilization)),
            readiness,
        },
        Metric::PodLevel {
            source: PodSource::ContainerResource { cpu: input.cpu },
            pods: &pods,
            target: ResourceTarget::AverageValue(Value::from_milli(i64::from(target(
                input.average,
            )))),
            readiness,
        },
        Metric::PodLevel {
            source: PodSource::Pods,
            pods: &pods,
            target: ResourceTarget::AverageValue(Value::from_milli(i64::from(target(
                input.average,
            )))),
            readiness,
        },
    ];
    let mut a = Autoscaler::new(input.behavior.then(Behavior::default));
    let (min, max) = (
        u32::from(input.min),
        u32::from(input.min) + u32::from(input.span),
    );
    let current = u32::from(input.current);
    let scale = Scale {
        current,
        status_replicas: current,
        ready_pods: current,
        min,
        max,
    };
    for step in 0..2u64 {
        let at = now.saturating_add(Duration::from_secs(step * 15));
        let n = a
            .reconcile(at, &scale, &metrics)
            .expect("positive targets, min <= max");
        if current == 0 && min > 0 {
            assert_eq!(n, current, "autoscaling is disabled");
        } else {
            assert!((min..=max).contains(&n), "{n} outside [{min}, {max}]");
        }
    }
    let stored = a.scale_events().count();
    for up in [true, false] {
        let log = a.scale_event_log(up);
        assert!(log.len() <= stored);
        if let Some(last) = a
            .scale_events()
            .filter(|(_, c)| (*c > 0) == up)
            .map(|(t, _)| t)
            .last()
        {
            assert!(log.iter().all(|e| !e.outdated || e.at <= last));
        }
    }
});
