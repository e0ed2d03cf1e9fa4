//! Every vocabulary enum: each value round-trips through its canonical and every alias
//! spelling (`FromStr`, JSON in both readers, postcard by position), numbers are unique and
//! stable, `ALL` is complete.

use core::str::FromStr;

use super::{UnknownName, Vocabulary};
use crate::catalog::{Architecture, BootMode, Category, RootDeviceType};
use crate::config::{DocKind, PolicyKind as DocPolicyKind};
use crate::group::{
    Action, ActionKind, Event, EventKind, Executed, ExecutedKind, Health, HealthSource, HookResult,
    HookTransition, MemberState, PoolState, Process, RefreshStatus, Source, TerminationPolicy,
};
use crate::imds::{
    HttpEndpoint, HttpTokens, InstanceMetadataTags, Served, ServedKind, TokenRejection,
};
use crate::lifecycle::{
    InstanceState, InterruptionBehavior, Operation, Report, ReportKind, ShutdownBehavior,
    SpotRequestType, StateReason,
};
use crate::network::{Direction, NetIdKind, Traffic, TrafficKind, Verdict, VerdictReason};
use crate::purchase::{
    MarketKind, OnDemandStrategy, Payment, Scope, ScopeKind, SpotSignal, SpotStrategy, Term,
    UpfrontAccounting,
};
use crate::scaling::hpa::{
    MemberMetric, MemberMetricState, MetricSourceType, ObjectTarget, ObjectTargetType, PodSource,
    PolicyKind, SelectPolicy,
};
use crate::scaling::predictive::Mode;
use crate::scaling::{AdjustmentType, Aggregation, AlarmState, Comparison, MissingData, Statistic};
use crate::test_prelude::*;

/// A one-field document, so the JSON readers see the enum where a document has it.
#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct Holder<T> {
    v: T,
}

fn check<T>()
where
    T: Vocabulary
        + FromStr<Err = UnknownName>
        + core::fmt::Display
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    let kind = T::KIND;
    assert!(!T::ALL.is_empty(), "{kind}");
    assert_eq!(T::NAMES.len(), T::ALL.len(), "{kind}");
    // Numbers: unique, and exactly the values of ALL answer to a number (ALL is complete: a
    // variant missing from it would be a number `from_number` finds outside it).
    let mut numbers: Vec<u32> = T::ALL.iter().map(|v| v.number()).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), T::ALL.len(), "{kind}: numbers repeat");
    let answered = (0..=1024_u32).filter_map(T::from_number).count();
    assert_eq!(answered, T::ALL.len(), "{kind}");
    // No spelling names two values, and the serde list holds every spelling.
    let mut seen: Vec<&str> = Vec::new();
    for (position, &v) in T::ALL.iter().enumerate() {
        assert_eq!(T::from_number(v.number()), Some(v), "{kind}");
        assert_eq!(T::NAMES[position], v.as_str(), "{kind}");
        assert_eq!(v.to_string(), v.as_str(), "{kind}");
        let canonical = format!("{{\"v\":\"{}\"}}", v.as_str());
        for &spelling in core::iter::once(&v.as_str()).chain(v.aliases()) {
            assert!(!seen.contains(&spelling), "{kind}: {spelling} twice");
            seen.push(spelling);
            assert!(T::SPELLINGS.contains(&spelling), "{kind}: {spelling}");
            assert_eq!(T::from_str(spelling), Ok(v), "{kind}: {spelling}");
            let doc = format!("{{\"v\":\"{spelling}\"}}");
            let (read, _): (Holder<T>, usize) =
                serde_json_core::from_str(&doc).expect("serde-json-core reads it");
            assert_eq!(read.v, v, "{kind}: {spelling}");
            let read: Holder<T> = serde_json::from_str(&doc).expect("serde_json reads it");
            assert_eq!(read.v, v, "{kind}: {spelling}");
            // What is written is always the canonical spelling.
            let written = serde_json::to_string(&Holder { v }).expect("serde_json writes it");
            assert_eq!(written, canonical, "{kind}: {spelling}");
            let mut buf = [0_u8; 128];
            let n = serde_json_core::to_slice(&Holder { v }, &mut buf).expect("writes it");
            assert_eq!(&buf[..n], canonical.as_bytes(), "{kind}");
        }
        // A snapshot holds the position, as the serde derive did.
        let mut buf = [0_u8; 8];
        let bytes = postcard::to_slice(&v, &mut buf).expect("postcard writes it");
        assert_eq!(bytes, &[u8::try_from(position).expect("small")], "{kind}");
        let back: T = postcard::from_bytes(bytes).expect("postcard reads it");
        assert_eq!(back, v, "{kind}");
    }
    assert_eq!(seen.len(), T::SPELLINGS.len(), "{kind}");
    // An unknown name: refused everywhere, and the message lists every canonical name.
    let err = T::from_str("no such name").expect_err("refused");
    let message = err.to_string();
    assert!(message.contains(kind), "{message}");
    for name in T::NAMES {
        assert!(message.contains(name), "{message}");
    }
    let bad = serde_json_core::from_str::<Holder<T>>("{\"v\":\"no such name\"}");
    assert!(bad.is_err(), "{kind}");
    // Case matters: AWS names are exact.
    for &v in T::ALL {
        let shouted = v.as_str().to_uppercase();
        if shouted != v.as_str() && !v.aliases().contains(&shouted.as_str()) {
            assert!(T::from_str(&shouted).is_err(), "{kind}: {shouted}");
        }
    }
}

#[test]
fn every_vocabulary_round_trips() {
    check::<TerminationPolicy>();
    check::<HookTransition>();
    check::<HookResult>();
    check::<PoolState>();
    check::<Source>();
    check::<Statistic>();
    check::<Aggregation>();
    check::<Comparison>();
    check::<MissingData>();
    check::<AdjustmentType>();
    check::<Mode>();
    check::<PolicyKind>();
    check::<SelectPolicy>();
    check::<Category>();
    check::<ShutdownBehavior>();
    check::<SpotRequestType>();
    check::<InterruptionBehavior>();
    check::<MarketKind>();
    check::<OnDemandStrategy>();
    check::<SpotStrategy>();
    check::<Term>();
    check::<Payment>();
    check::<UpfrontAccounting>();
    check::<DocPolicyKind>();
    check::<Process>();
    check::<HealthSource>();
    check::<AlarmState>();
    check::<InstanceState>();
    check::<Architecture>();
    check::<RootDeviceType>();
    check::<BootMode>();
    check::<HttpEndpoint>();
    check::<HttpTokens>();
    check::<InstanceMetadataTags>();
    check::<Direction>();
    check::<SpotSignal>();
    check::<MemberState>();
    check::<RefreshStatus>();
    check::<Operation>();
    check::<StateReason>();
    check::<ReportKind>();
    check::<ActionKind>();
    check::<EventKind>();
    check::<ExecutedKind>();
    check::<TrafficKind>();
    check::<VerdictReason>();
    check::<NetIdKind>();
    check::<ScopeKind>();
    check::<MemberMetricState>();
    check::<ServedKind>();
    check::<DocKind>();
    check::<Health>();
    check::<MetricSourceType>();
    check::<ObjectTargetType>();
    check::<TokenRejection>();
}

/// Each data enum's `kind()` is the kind of the same name, and back.
#[test]
fn kinds_match_their_data_enums() {
    for &kind in ReportKind::ALL {
        match Report::of_kind(kind) {
            Some(report) => assert_eq!(report.kind(), kind),
            None => assert_eq!(kind, ReportKind::Failed),
        }
    }
    for &reason in StateReason::ALL {
        assert_eq!(Report::Failed(reason).kind(), ReportKind::Failed);
    }
    let id = crate::id::InstanceId::from_u64(7);
    let actions = [
        Action::Launch {
            id,
            zone: 0,
            template: crate::id::TemplateId::from_u64(1),
            version: 1,
            market: MarketKind::OnDemand,
            instance_type: 0,
        },
        Action::Terminate { id },
        Action::Start { id },
        Action::Stop {
            id,
            hibernate: true,
        },
        Action::NotifyHook {
            id,
            hook: 0,
            transition: HookTransition::Launching,
        },
    ];
    let kinds: Vec<ActionKind> = actions.iter().map(Action::kind).collect();
    assert_eq!(kinds, ActionKind::ALL);
    let events = [
        Event::Booted(id),
        Event::LaunchFailed(id),
        Event::Terminated(id),
        Event::Ec2State(id, InstanceState::Stopped),
        Event::Unhealthy(id, HealthSource::Ec2),
        Event::HookCompleted(id, 0, HookResult::Continue),
        Event::HookHeartbeat(id, 0),
        Event::SpotInterruption(id),
        Event::RebalanceRecommendation(id),
    ];
    let kinds: Vec<EventKind> = events.iter().map(Event::kind).collect();
    assert_eq!(kinds, EventKind::ALL);
    let executed = [
        Executed::Changed { from: 1, to: 2 },
        Executed::Unchanged,
        Executed::InCooldown,
        Executed::WarmingUp,
        Executed::Suspended,
    ];
    let kinds: Vec<ExecutedKind> = executed.iter().map(|e| e.kind()).collect();
    assert_eq!(kinds, ExecutedKind::ALL);
}

/// As [`kinds_match_their_data_enums`] for network, purchase, HPA and IMDS values.
#[test]
fn more_kinds_match_their_data_enums() {
    let range = crate::network::PortRange::ALL;
    let traffic = [
        Traffic::All,
        Traffic::Tcp(range),
        Traffic::Udp(range),
        Traffic::Icmp(crate::network::IcmpMatch::Any),
        Traffic::Protocol(50),
    ];
    let kinds: Vec<TrafficKind> = traffic.iter().map(|t| t.kind()).collect();
    assert_eq!(kinds, TrafficKind::ALL);
    let rule = crate::network::RuleRef {
        group: crate::id::SecurityGroupId::from_u64(1),
        index: 0,
    };
    {
        use crate::network::{Allowance as A, Denial as D};
        let verdicts = [
            Verdict::Allowed(A::Flow),
            Verdict::Allowed(A::Rule(rule)),
            Verdict::Allowed(A::Untracked(rule)),
            Verdict::Denied(D::NoRule),
            Verdict::Denied(D::SourceDestCheck),
            Verdict::Denied(D::Port25),
            Verdict::Denied(D::TableFull),
        ];
        let kinds: Vec<VerdictReason> = verdicts.iter().map(|v| v.reason()).collect();
        assert_eq!(kinds, VerdictReason::ALL);
    }
    let scopes = [
        Scope::Zonal { zone: 1 },
        Scope::Regional {
            size_flexible: true,
        },
    ];
    let kinds: Vec<ScopeKind> = scopes.iter().map(|s| s.kind()).collect();
    assert_eq!(kinds, ScopeKind::ALL);
    let metrics = [
        MemberMetric::Ready(crate::scaling::Value::from_milli(1)),
        MemberMetric::Unready,
        MemberMetric::Missing,
    ];
    let kinds: Vec<MemberMetricState> = metrics.iter().map(|m| m.state()).collect();
    assert_eq!(kinds, MemberMetricState::ALL);
    let served = [
        Served::Response {
            consumed: 1,
            len: 1,
            ip_ttl: None,
            close: false,
        },
        Served::Dropped { consumed: 1 },
    ];
    let kinds: Vec<ServedKind> = served.iter().map(Served::kind).collect();
    assert_eq!(kinds, ServedKind::ALL);
    let v = crate::scaling::Value::from_milli(1);
    for &kind in ObjectTargetType::ALL {
        assert_eq!(ObjectTarget::of_type(kind, v).target_type(), kind);
    }
    let sources = [
        PodSource::Resource { cpu: true },
        PodSource::ContainerResource { cpu: false },
        PodSource::Pods,
    ];
    let kinds: Vec<MetricSourceType> = sources.iter().map(|s| s.source_type()).collect();
    assert_eq!(kinds, MetricSourceType::ALL.get(..3).unwrap_or_default());
}

/// The numbers C programs were compiled against (`FC_*` in `fleetcore.h`) never change.
#[test]
fn numbers_are_pinned() {
    assert_eq!(TerminationPolicy::Default.number(), 0);
    assert_eq!(TerminationPolicy::OldestInstance.number(), 4);
    assert_eq!(TerminationPolicy::OldestLaunchTemplate.number(), 5);
    assert_eq!(HookTransition::Launching.number(), 1);
    assert_eq!(HookResult::Abandon.number(), 2);
    assert_eq!(Statistic::Average.number(), 0);
    assert_eq!(Statistic::SampleCount.number(), 1);
    assert_eq!(Comparison::GreaterThanOrEqual.number(), 1);
    assert_eq!(Comparison::LessThanOrEqual.number(), 4);
    assert_eq!(MissingData::NotBreaching.number(), 3);
    assert_eq!(Source::Members.number(), 1);
    assert_eq!(Mode::ForecastAndScale.number(), 1);
    assert_eq!(Category::HighPerformance.number(), 6);
    assert_eq!(SpotStrategy::PriceCapacityOptimized.number(), 3);
    assert_eq!(Term::ThreeYears.number(), 2);
    assert_eq!(Payment::NoUpfront.number(), 3);
    assert_eq!(SelectPolicy::Disabled.number(), 2);
    // Process numbers are the bits of a suspension mask.
    let bits: Vec<u32> = Process::ALL.iter().map(|p| p.number()).collect();
    assert_eq!(bits, [1, 2, 4, 8, 16, 32, 64, 128]);
    assert!(
        Process::ALL
            .iter()
            .all(|p| u32::from(p.bit()) == p.number())
    );
    assert_eq!(HealthSource::Ec2.number(), 1);
    assert_eq!(HealthSource::LoadBalancer.number(), 3);
    assert_eq!(AlarmState::Ok.number(), 1);
    assert_eq!(AlarmState::InsufficientData.number(), 3);
    // Instance states are numbered by their `InstanceState.Code`.
    assert!(
        InstanceState::ALL
            .iter()
            .all(|s| s.number() == u32::from(s.code()))
    );
    assert_eq!(InstanceState::Stopped.number(), 80);
    assert_eq!(Architecture::Arm64Mac.number(), 4);
    assert_eq!(RootDeviceType::InstanceStore.number(), 1);
    assert_eq!(BootMode::UefiPreferred.number(), 2);
    assert_eq!(HttpEndpoint::Disabled.number(), 1);
    assert_eq!(HttpTokens::Required.number(), 1);
    // Declared Enabled first (its snapshot position 0), numbered as C always had it.
    // C's 0 is `FC_*_UNKNOWN` (a state a newer core added); the core's start at 1, in order.
    let states: Vec<u32> = MemberState::ALL.iter().map(|s| s.number()).collect();
    assert_eq!(states, (1..=22).collect::<Vec<u32>>());
    assert_eq!(MemberState::WarmedTerminated.number(), 22);
    let statuses: Vec<u32> = RefreshStatus::ALL.iter().map(|s| s.number()).collect();
    assert_eq!(statuses, [1, 2, 3, 4, 5]);
    let operations: Vec<u32> = Operation::ALL.iter().map(|o| o.number()).collect();
    assert_eq!(operations, (1..=16).collect::<Vec<u32>>());
    assert_eq!(Operation::Deadline.to_string(), "complete on deadline");
    // `fc_state_reason`: 0 is C's "none"; the reasons are 1-12 in declaration order.
    let reasons: Vec<u32> = StateReason::ALL.iter().map(|r| r.number()).collect();
    assert_eq!(reasons, (1..=12).collect::<Vec<u32>>());
    assert_eq!(
        StateReason::VolumeLimitExceeded.code(),
        "Client.VolumeLimitExceeded"
    );
    // `fc_report` is 1-7; `Failed` (8) is not in C's enum (it has its own function).
    assert_eq!(ReportKind::Booted.number(), 1);
    assert_eq!(ReportKind::SpotRestart.number(), 7);
    assert_eq!(ReportKind::Failed.number(), 8);
    // `fc_group_action_kind` (0 is C's UNKNOWN) and `fc_group_event_kind`.
    let actions: Vec<u32> = ActionKind::ALL.iter().map(|k| k.number()).collect();
    assert_eq!(actions, [1, 2, 3, 4, 5]);
    let events: Vec<u32> = EventKind::ALL.iter().map(|k| k.number()).collect();
    assert_eq!(events, (1..=9).collect::<Vec<u32>>());
    let executed: Vec<u32> = ExecutedKind::ALL.iter().map(|k| k.number()).collect();
    assert_eq!(executed, [1, 2, 3, 4, 5]);
    // `fc_rule_protocol` 0-4, `fc_verdict_reason` 1-7 (0 is C's UNKNOWN), `fc_net_id_kind` 0-2.
    let protocols: Vec<u32> = TrafficKind::ALL.iter().map(|k| k.number()).collect();
    assert_eq!(protocols, [0, 1, 2, 3, 4]);
    let reasons: Vec<u32> = VerdictReason::ALL.iter().map(|k| k.number()).collect();
    assert_eq!(reasons, (1..=7).collect::<Vec<u32>>());
    let ids: Vec<u32> = NetIdKind::ALL.iter().map(|k| k.number()).collect();
    assert_eq!(ids, [0, 1, 2]);
    assert_eq!(ScopeKind::Zonal.number(), 1);
    assert_eq!(ScopeKind::Regional.number(), 2);
    // `fc_member_metric_state` 0-2, `fc_imds_reply` 1-2, `fc_config_kind` 0-6.
    let states: Vec<u32> = MemberMetricState::ALL.iter().map(|k| k.number()).collect();
    assert_eq!(states, [0, 1, 2]);
    let served: Vec<u32> = ServedKind::ALL.iter().map(|k| k.number()).collect();
    assert_eq!(served, [1, 2]);
    let docs: Vec<u32> = DocKind::ALL.iter().map(|k| k.number()).collect();
    assert_eq!(docs, (0..=6).collect::<Vec<u32>>());
    assert_eq!(InstanceMetadataTags::Disabled.number(), 0);
    assert_eq!(InstanceMetadataTags::Enabled.number(), 1);
    assert_eq!(
        InstanceMetadataTags::ALL.first(),
        Some(&InstanceMetadataTags::Enabled)
    );
}

/// The spellings the issue names are read, and the canonical ones written.
#[test]
fn aws_spellings_are_read() {
    assert_eq!(
        "ChangeInCapacity".parse(),
        Ok(AdjustmentType::ChangeInCapacity)
    );
    assert_eq!("GreaterThanThreshold".parse(), Ok(Comparison::GreaterThan));
    assert_eq!("notBreaching".parse(), Ok(MissingData::NotBreaching));
    assert_eq!("ForecastAndScale".parse(), Ok(Mode::ForecastAndScale));
    assert_eq!("forecast_and_scale".parse(), Ok(Mode::ForecastAndScale));
    assert_eq!("SimpleScaling".parse(), Ok(DocPolicyKind::Simple));
    assert_eq!(
        "OldestInstance".parse(),
        Ok(TerminationPolicy::OldestInstance)
    );
    assert_eq!(
        "price-capacity-optimized".parse(),
        Ok(SpotStrategy::PriceCapacityOptimized)
    );
    assert_eq!(
        "autoscaling:EC2_INSTANCE_LAUNCHING".parse(),
        Ok(HookTransition::Launching)
    );
    assert_eq!("ABANDON".parse(), Ok(HookResult::Abandon));
    assert_eq!("AZRebalance".parse(), Ok(Process::AzRebalance));
    assert_eq!("az_rebalance".parse(), Ok(Process::AzRebalance));
    assert_eq!(Process::AzRebalance.to_string(), "AZRebalance");
    assert_eq!("ELB".parse(), Ok(HealthSource::LoadBalancer));
    assert_eq!(HealthSource::LoadBalancer.to_string(), "load_balancer");
    assert_eq!(
        "insufficient_data".parse(),
        Ok(AlarmState::InsufficientData)
    );
    assert_eq!(
        AlarmState::InsufficientData.to_string(),
        "INSUFFICIENT_DATA"
    );
    assert_eq!(AlarmState::default(), AlarmState::InsufficientData);
    assert_eq!(InstanceState::ShuttingDown.to_string(), "shutting-down");
    assert_eq!(
        RootDeviceType::parse("instance_store"),
        Ok(RootDeviceType::InstanceStore)
    );
    assert_eq!(RootDeviceType::InstanceStore.to_string(), "instance-store");
    assert_eq!(BootMode::parse("legacy_bios"), Ok(BootMode::LegacyBios));
    assert_eq!(BootMode::LegacyBios.to_string(), "legacy-bios");
    assert_eq!("egress".parse(), Ok(Direction::Outbound));
    assert_eq!(Direction::Outbound.to_string(), "outbound");
    assert_eq!(SpotSignal::Notice.to_string(), "notice");
    assert_eq!(SpotSignal::Notice.number(), 2);
    assert_eq!(
        HookTransition::Launching.aws_str(),
        "autoscaling:EC2_INSTANCE_LAUNCHING"
    );
    assert_eq!(MarketKind::OnDemand.aws_str(), "on-demand");
    assert_eq!(Mode::ForecastAndScale.to_string(), "forecast_and_scale");
    assert_eq!(
        Mode::from_str("forecast").map_err(|e| e.to_string()),
        Err(String::from(
            "unknown predictive scaling mode; expected forecast_only or forecast_and_scale"
        ))
    );
}
