//! Configuration documents: every kind parses from a realistic example, round-trips, and every
//! kind of bad input is reported with its field and byte.

// One walk through the example, and one table of bad inputs, read best whole.
#![allow(clippy::too_many_lines, clippy::many_single_char_names)]

use super::*;
use crate::catalog::CatalogError;
use crate::catalog::{Architecture, Category};
use crate::error::Error as _;
use crate::group::GroupError;
use crate::group::{ScalingPolicy, TerminationPolicy};
use crate::lifecycle::{Market, ShutdownBehavior};
use crate::network::{IcmpMatch, NetError, Peer, PortRange, Traffic};
use crate::scaling::ScalingError;
use crate::scaling::{AdjustmentType, Aggregation, Value};
use crate::test_prelude::*;
use crate::time::{Duration, Instant};

const EXAMPLE: &str = include_str!("../../../examples/controller.json");

/// The byte offset of the `n`-th occurrence of `needle` in `text`.
fn nth(text: &str, needle: &str, n: usize) -> usize {
    text.match_indices(needle)
        .nth(n)
        .map(|(i, _)| i)
        .expect("needle in text")
}

fn err<D: Document + core::fmt::Debug>(text: &str) -> LocatedError {
    from_slice::<D>(text.as_bytes()).expect_err("input must be refused")
}

fn round_trip<D: Document + PartialEq + core::fmt::Debug>(doc: &D) {
    let mut buf = vec![0_u8; MAX_DOCUMENT];
    let n = to_slice(doc, &mut buf).expect("the limit covers the writer's output");
    let again: D = decode(buf.get(..n).expect("written")).expect("own output parses");
    assert_eq!(&again, doc);
}

#[test]
fn example_document_parses_and_converts() {
    let doc: ControllerDoc = from_slice(EXAMPLE.as_bytes()).expect("example is valid");
    assert_eq!(doc.instance_types.len(), 1);
    assert_eq!(doc.launch_templates.len(), 2);
    assert_eq!(doc.security_groups.len(), 2);
    assert_eq!(doc.groups.len(), 2);

    let board = doc.instance_types[0]
        .to_instance_type()
        .expect("valid type");
    assert_eq!(board.name.as_str(), "board-v2.small");
    assert_eq!(board.category, Category::GeneralPurpose);
    assert_eq!((board.vcpus, board.memory_mib), (4, 2048));
    assert_eq!(
        (board.max_enis, board.ipv4_per_eni, board.accelerators),
        (2, 4, 0)
    );
    assert_eq!(board.normalization.quarters(), 2);

    let sensor = doc.launch_templates[0].to_data().expect("valid template");
    assert_eq!(sensor.shutdown_behavior, ShutdownBehavior::Terminate);
    assert_eq!(sensor.market, Market::OnDemand);
    let spot = doc.launch_templates[1].to_data().expect("valid template");
    assert!(matches!(spot.market, Market::Spot { .. }));
    assert_eq!(spot.shutdown_behavior, ShutdownBehavior::Stop);

    let (inbound, outbound) = doc.security_groups[1]
        .to_rules(&|name| doc.placeholder_group_id(name))
        .expect("valid rules");
    assert_eq!(inbound.len(), 3);
    assert_eq!(inbound[0].traffic, Traffic::Tcp(PortRange::single(80)));
    assert_eq!(
        inbound[2].traffic,
        Traffic::Tcp(PortRange::new(8000, 8099).expect("range"))
    );
    assert_eq!(
        inbound[2].peer,
        Peer::Group(doc.placeholder_group_id("admin").expect("admin"))
    );
    assert_eq!(outbound.len(), 1);
    // `outbound` left out: the allow-all rule a new group has (SEMANTICS §6).
    let (admin_in, admin_out) = doc.security_groups[0]
        .to_rules(&|_| None)
        .expect("valid rules");
    assert_eq!(admin_in[1].traffic, Traffic::Icmp(IcmpMatch::Type(8)));
    assert_eq!(admin_out.as_slice(), outbound.as_slice());

    let g = &doc.groups[0];
    let config = g
        .to_config(crate::id::TemplateId::from_u64(7), 16)
        .expect("valid group");
    assert_eq!((config.min_size, config.max_size), (2, 12));
    assert_eq!(config.desired_capacity, Some(3));
    assert_eq!(config.zones.len(), 3);
    assert_eq!(config.version, crate::catalog::VersionSpec::Latest);
    assert_eq!(config.health_check_grace_period, Duration::from_secs(60));
    assert_eq!(
        config.default_instance_warmup,
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        config.termination_policies.as_slice(),
        &[
            TerminationPolicy::OldestLaunchTemplate,
            TerminationPolicy::Default
        ]
    );
    assert_eq!(
        config.max_instance_lifetime,
        Some(Duration::from_hours(168))
    );

    let policies = g.to_policies().expect("valid policies");
    match &policies[0] {
        ScalingPolicy::TargetTracking {
            metric,
            tracking,
            warmup,
            hpa,
        } => {
            assert_eq!(*metric, 0);
            assert_eq!(tracking.target, Value::from_milli(60_500));
            assert!(!tracking.disable_scale_in);
            assert_eq!(*warmup, Some(Duration::from_secs(90)));
            assert!(hpa.is_none());
        }
        other => panic!("expected target tracking, got {other:?}"),
    }
    match &policies[1] {
        ScalingPolicy::Step {
            adjustment_type,
            steps,
            aggregation,
            min_adjustment_magnitude,
            ..
        } => {
            assert_eq!(*adjustment_type, AdjustmentType::PercentChangeInCapacity);
            assert_eq!(*aggregation, Aggregation::Maximum);
            assert_eq!(*min_adjustment_magnitude, Some(1));
            assert_eq!(steps.len(), 2);
            assert_eq!(steps[1].lower, Some(Value::from_int(10)));
            assert_eq!(steps[1].upper, None);
        }
        other => panic!("expected step, got {other:?}"),
    }
    assert_eq!(
        policies[2],
        ScalingPolicy::Simple {
            adjustment_type: AdjustmentType::ChangeInCapacity,
            adjustment: -1,
            cooldown: Some(Duration::from_secs(600)),
            min_adjustment_magnitude: None,
        }
    );

    let actions = g.to_scheduled_actions().expect("valid actions");
    assert_eq!(actions.len(), 3);
    assert!(actions[0].recurrence.is_some());
    assert!(actions[0].time_zone.has_dst());
    assert_eq!(actions[2].start_time, parse_time("2026-12-01T08:00:00Z"));
    assert_eq!(actions[2].desired_capacity, Some(10));

    // The second group takes the service's defaults.
    let web = doc.groups[1]
        .to_config(crate::id::TemplateId::from_u64(8), 16)
        .expect("valid group");
    assert_eq!(web.default_cooldown, crate::group::DEFAULT_COOLDOWN);
    assert_eq!(web.health_check_grace_period, Duration::ZERO);
    assert_eq!(web.desired_capacity, None);
    assert_eq!(
        web.termination_policies.as_slice(),
        &[TerminationPolicy::Default]
    );
    assert_eq!(web.version, crate::catalog::VersionSpec::Default);
    assert!(!web.new_instances_protected_from_scale_in);

    round_trip(&doc);
}

#[test]
fn each_document_kind_parses_alone() {
    let t: InstanceTypeDoc =
        from_slice(br#"{"name": "edge.xlarge", "vcpus": 8, "memory_mib": 16384}"#).expect("type");
    let it = t.to_instance_type().expect("valid");
    assert_eq!((it.max_enis, it.ipv4_per_eni), (1, 1));
    assert_eq!(it.normalization.quarters(), 4);
    assert_eq!(
        it.architecture,
        Architecture::X86_64,
        "the name's when not stated"
    );
    round_trip(&t);
    let t: InstanceTypeDoc = from_slice(
        br#"{"name": "edge.xlarge", "vcpus": 8, "memory_mib": 16384, "architecture": "arm64"}"#,
    )
    .expect("type");
    assert_eq!(
        t.to_instance_type().expect("valid").architecture,
        Architecture::Arm64
    );
    round_trip(&t);
    let e = err::<InstanceTypeDoc>(
        r#"{"name": "b.small", "vcpus": 1, "memory_mib": 1, "architecture": "riscv"}"#,
    );
    assert_eq!(e.location.path.as_str(), "architecture");

    let l: LaunchTemplateDoc =
        from_slice(br#"{"name": "edge", "image_id": "ami-12345678", "instance_type": "t3.micro"}"#)
            .expect("template");
    assert_eq!(l.to_data().expect("valid").market, Market::OnDemand);
    round_trip(&l);

    let s: SecurityGroupDoc = from_slice(
        br#"{"name": "db", "inbound": [{"protocol": "6", "cidr": "10.1.0.0/16"},
             {"protocol": "47", "cidr": "10.1.0.0/16"}]}"#,
    )
    .expect("security group");
    let (inbound, _) = s.to_rules(&|_| None).expect("valid");
    // Protocol 6 is TCP on every port, as EC2 treats it.
    assert_eq!(inbound[0].traffic, Traffic::Tcp(PortRange::ALL));
    assert_eq!(inbound[1].traffic, Traffic::Protocol(47));
    round_trip(&s);

    let p: PolicyDoc = from_slice(
        br#"{"type": "step", "steps": [{"upper_bound": 0, "adjustment": -1},
             {"lower_bound": 0, "adjustment": 2}]}"#,
    )
    .expect("policy");
    assert!(matches!(p.to_policy(), Ok(ScalingPolicy::Step { .. })));
    round_trip(&p);

    let a: ScheduledActionDoc =
        from_slice(br#"{"name": "nightly", "recurrence": "0 2 * * *", "max_size": 3}"#)
            .expect("action");
    assert_eq!(a.to_action().expect("valid").max_size, Some(3));
    round_trip(&a);

    let g: GroupDoc = from_slice(
        br#"{"name": "g", "launch_template": "lt", "min_size": 0, "max_size": 2, "zones": ["z"]}"#,
    )
    .expect("group");
    round_trip(&g);

    let empty: ControllerDoc = from_slice(b" {} ").expect("empty controller");
    assert_eq!(empty, ControllerDoc::default());
}

#[test]
fn unknown_field_is_named_at_its_key() {
    let text = r#"{"groups": [{"name": "g", "launch_template": "lt", "min_size": 0,
        "max_size": 2, "zones": ["z"], "cooldown": 5}]}"#;
    let e = err::<ControllerDoc>(text);
    assert_eq!(e.error, ConfigError::UnknownField);
    assert_eq!(e.location.path.as_str(), "groups[0].cooldown");
    assert_eq!(e.location.offset, nth(text, "\"cooldown\"", 0));
    assert_eq!(e.location.line, 2);
    assert_eq!(e.error.code(), 1305);
}

#[test]
fn wrong_type_is_named_at_the_value() {
    let text = "{\n  \"instance_types\": [\n    {\"name\": \"b.small\", \"vcpus\": \"four\", \"memory_mib\": 1}\n  ]\n}";
    let e = err::<ControllerDoc>(text);
    assert!(matches!(e.error, ConfigError::WrongType { .. }), "{e}");
    assert_eq!(e.location.path.as_str(), "instance_types[0].vcpus");
    assert_eq!(e.location.offset, nth(text, "\"four\"", 0));
    let column = e.location.offset - text[..e.location.offset].rfind('\n').expect("line 3");
    assert_eq!(
        (e.location.line, e.location.column),
        (3, u32::try_from(column).expect("small"))
    );
    let shown = format!("{e}");
    assert!(shown.contains("instance_types[0].vcpus"), "{shown}");
    assert!(
        shown.contains(&format!("line 3, column {column}")),
        "{shown}"
    );
}

#[test]
fn numbers_out_of_range_or_fractional_are_refused_at_the_field() {
    for (value, field) in [
        ("300", "max_enis"),
        ("-1", "vcpus"),
        ("1.5", "vcpus"),
        ("4294967296", "memory_mib"),
        ("1e3", "max_enis"),
    ] {
        let mut fields = vec![("vcpus", "1"), ("memory_mib", "1")];
        match fields.iter_mut().find(|(f, _)| *f == field) {
            Some(slot) => slot.1 = value,
            None => fields.push((field, value)),
        }
        let body: Vec<String> = fields
            .iter()
            .map(|(f, v)| format!("\"{f}\": {v}"))
            .collect();
        let text = format!(r#"{{"name": "b.small", {}}}"#, body.join(", "));
        let e = err::<InstanceTypeDoc>(&text);
        assert!(
            matches!(e.error, ConfigError::OutOfRange { .. }),
            "{value}: {e}"
        );
        assert_eq!(e.location.path.as_str(), field);
        assert_eq!(
            e.location.offset,
            text.find(value).expect("value"),
            "{text}"
        );
    }
    // A whole number written with an exponent is a whole number.
    let t: InstanceTypeDoc =
        from_slice(br#"{"name": "b.small", "vcpus": 2e1, "memory_mib": 1}"#).expect("20 vCPUs");
    assert_eq!(t.vcpus, 20);
}

#[test]
fn validator_errors_point_at_the_field() {
    let cases: [(&str, ConfigError, &str, &str); 6] = [
        (
            r#"{"name": "b.small", "vcpus": 0, "memory_mib": 1}"#,
            ConfigError::Catalog(CatalogError::OutOfRange {
                field: "VCpuInfo.DefaultVCpus",
            }),
            "vcpus",
            "0,",
        ),
        (
            r#"{"name": "B.small", "vcpus": 1, "memory_mib": 1}"#,
            ConfigError::Catalog(CatalogError::InvalidTypeName),
            "name",
            "\"B.small\"",
        ),
        (
            r#"{"name": "b.small", "vcpus": 1, "memory_mib": 1, "normalization_factor": 0.3}"#,
            ConfigError::OutOfRange {
                expected: "a positive multiple of 0.25",
            },
            "normalization_factor",
            "0.3",
        ),
        (
            r#"{"name": "b.small", "vcpus": 1, "memory_mib": 1, "max_enis": 0}"#,
            ConfigError::Catalog(CatalogError::OutOfRange {
                field: "NetworkInfo.MaximumNetworkInterfaces",
            }),
            "max_enis",
            "0}",
        ),
        (
            r#"{"name": "b.small", "vcpus": 1, "memory_mib": 0}"#,
            ConfigError::Catalog(CatalogError::OutOfRange {
                field: "MemoryInfo.SizeInMiB",
            }),
            "memory_mib",
            "0}",
        ),
        (
            r#"{"name": "b.small", "vcpus": 1, "memory_mib": 1, "category": "huge"}"#,
            ConfigError::UnknownVariant,
            "category",
            "\"huge\"",
        ),
    ];
    for (text, error, path, at) in cases {
        let e = err::<InstanceTypeDoc>(text);
        assert_eq!(e.error, error, "{text}");
        assert_eq!(e.location.path.as_str(), path, "{text}");
        assert_eq!(e.location.offset, text.rfind(at).expect("marker"), "{text}");
    }
}

fn group_with(extra: &str) -> String {
    format!(
        r#"{{"groups": [{{"name": "g", "launch_template": "ltp", "min_size": 1, "max_size": 4,
            "zones": ["a"]{extra}}}],
          "launch_templates": [{{"name": "ltp", "image_id": "ami-12345678", "instance_type": "t3.micro"}}]}}"#
    )
}

#[test]
fn policy_errors_name_the_policy_field() {
    let text = group_with(
        r#", "policies": [{"type": "simple", "adjustment": 1},
            {"type": "simple", "adjustment": 1},
            {"type": "target_tracking", "metric": 0, "target": -5}]"#,
    );
    let e = err::<ControllerDoc>(&text);
    assert_eq!(
        e.error,
        ConfigError::Scaling(ScalingError::InvalidTargetTracking)
    );
    assert_eq!(e.location.path.as_str(), "groups[0].policies[2].target");
    assert_eq!(e.location.offset, nth(&text, "-5", 0));

    let text = group_with(r#", "policies": [{"type": "simple", "adjustment": 1, "steps": []}]"#);
    let e = err::<ControllerDoc>(&text);
    assert_eq!(
        e.error,
        ConfigError::NotAllowed {
            here: "simple policy"
        }
    );
    assert_eq!(e.location.path.as_str(), "groups[0].policies[0].steps");

    let text = group_with(r#", "policies": [{"type": "target_tracking", "target": 50}]"#);
    let e = err::<ControllerDoc>(&text);
    assert_eq!(e.error, ConfigError::MissingField { field: "metric" });
    assert_eq!(e.location.path.as_str(), "groups[0].policies[0]");
    assert_eq!(e.location.offset, nth(&text, "{\"type\"", 0));

    // Steps that overlap: the core's step validation.
    let text = group_with(
        r#", "policies": [{"type": "step", "steps": [
            {"lower_bound": 0, "adjustment": 1}, {"lower_bound": 5, "adjustment": 2}]}]"#,
    );
    let e = err::<ControllerDoc>(&text);
    assert!(matches!(e.error, ConfigError::Scaling(_)), "{e}");
    assert_eq!(e.location.path.as_str(), "groups[0].policies[0].steps");

    let text = group_with(r#", "policies": [{"type": "scale"}]"#);
    let e = err::<ControllerDoc>(&text);
    assert_eq!(e.error, ConfigError::UnknownVariant);
    assert_eq!(e.location.path.as_str(), "groups[0].policies[0].type");
    assert_eq!(e.location.offset, nth(&text, "\"scale\"", 0));
}

#[test]
fn bad_recurrence_and_time_zone_are_reported_in_place() {
    let text = group_with(
        r#", "scheduled_actions": [{"name": "a", "recurrence": "61 * * * *", "min_size": 1}]"#,
    );
    let e = err::<ControllerDoc>(&text);
    assert_eq!(
        e.error,
        ConfigError::Scaling(ScalingError::CronOutOfRange {
            field: crate::scaling::cron::CronField::Minute,
            value: 61
        })
    );
    assert_eq!(
        e.location.path.as_str(),
        "groups[0].scheduled_actions[0].recurrence"
    );
    assert_eq!(e.location.offset, nth(&text, "\"61 * * * *\"", 0));

    let text = group_with(
        r#", "scheduled_actions": [{"name": "a", "recurrence": "0 1 * * *",
            "time_zone": "CET-1CEST,M13.5.0", "min_size": 1}]"#,
    );
    let e = err::<ControllerDoc>(&text);
    let ConfigError::Scaling(ScalingError::InvalidTimeZone { position }) = e.error else {
        panic!("expected a time zone error, got {e}");
    };
    assert_eq!(
        e.location.path.as_str(),
        "groups[0].scheduled_actions[0].time_zone"
    );
    // The offset is the byte inside the string where the rule stops making sense.
    let start = nth(&text, "\"CET-1CEST", 0) + 1;
    assert_eq!(e.location.offset, start + usize::from(position));

    let text = group_with(
        r#", "scheduled_actions": [{"name": "a", "start_time": "2026-02-30T00:00:00Z", "min_size": 1}]"#,
    );
    let e = err::<ControllerDoc>(&text);
    assert!(matches!(e.error, ConfigError::Invalid { .. }), "{e}");
    assert_eq!(
        e.location.path.as_str(),
        "groups[0].scheduled_actions[0].start_time"
    );

    let text = group_with(r#", "scheduled_actions": [{"name": "a", "recurrence": "0 1 * * *"}]"#);
    let e = err::<ControllerDoc>(&text);
    assert_eq!(
        e.error,
        ConfigError::MissingField {
            field: "desired_capacity"
        }
    );
    assert_eq!(e.location.path.as_str(), "groups[0].scheduled_actions[0]");
}

#[test]
fn group_validation_and_references() {
    let text = group_with("").replace("\"max_size\": 4", "\"max_size\": 0");
    let e = err::<ControllerDoc>(&text);
    assert_eq!(
        e.error,
        ConfigError::Group(GroupError::MaxBelowMin { min: 1, max: 0 })
    );
    assert_eq!(e.location.path.as_str(), "groups[0].max_size");
    assert_eq!(e.location.offset, nth(&text, "0,", 0));

    let text = group_with("").replace(
        "\"launch_template\": \"ltp\"",
        "\"launch_template\": \"nope\"",
    );
    let e = err::<ControllerDoc>(&text);
    assert_eq!(
        e.error,
        ConfigError::UnknownReference {
            what: "launch template"
        }
    );
    assert_eq!(e.location.path.as_str(), "groups[0].launch_template");
    assert_eq!(e.error.kind(), crate::ErrorKind::NotFound);

    let text = group_with(r#", "termination_policies": ["default", "oldest_instance"]"#);
    let e = err::<ControllerDoc>(&text);
    assert_eq!(
        e.error,
        ConfigError::Group(GroupError::InvalidTerminationPolicies)
    );
    assert_eq!(e.location.path.as_str(), "groups[0].termination_policies");

    let text = group_with(r#", "zones": ["a"]"#);
    let e = err::<ControllerDoc>(&text);
    assert_eq!(e.error, ConfigError::DuplicateField { field: "zones" });
    assert_eq!(e.location.path.as_str(), "groups[0]");

    let text = r#"{"security_groups": [{"name": "web", "inbound": [
        {"protocol": "tcp", "from_port": 80, "group": "lb"}]}]}"#;
    let e = err::<ControllerDoc>(text);
    assert_eq!(
        e.error,
        ConfigError::UnknownReference {
            what: "security group"
        }
    );
    assert_eq!(
        e.location.path.as_str(),
        "security_groups[0].inbound[0].group"
    );
    assert_eq!(e.location.offset, nth(text, "\"lb\"", 0));

    let text = r#"{"security_groups": [{"name": "web", "inbound": [
        {"protocol": "tcp", "from_port": 90, "to_port": 80, "cidr": "10.0.0.0/8"}]}]}"#;
    let e = err::<ControllerDoc>(text);
    assert!(
        matches!(
            e.error,
            ConfigError::Network(NetError::ReversedPortRange { .. })
        ),
        "{e}"
    );
    assert_eq!(
        e.location.path.as_str(),
        "security_groups[0].inbound[0].to_port"
    );

    let text = r#"{"security_groups": [{"name": "web", "inbound": [
        {"protocol": "icmp", "from_port": 1, "cidr": "10.0.0.0/8"}]}]}"#;
    let e = err::<ControllerDoc>(text);
    assert_eq!(e.error, ConfigError::NotAllowed { here: "ICMP rule" });
    assert_eq!(
        e.location.path.as_str(),
        "security_groups[0].inbound[0].from_port"
    );

    let text = r#"{"security_groups": [{"name": "a", "inbound": [
        {"protocol": "tcp", "cidr": "10.0.0.300/8"}]}]}"#;
    let e = err::<ControllerDoc>(text);
    assert!(
        matches!(e.error, ConfigError::Network(NetError::BadCidr(_))),
        "{e}"
    );
    assert_eq!(
        e.location.path.as_str(),
        "security_groups[0].inbound[0].cidr"
    );

    let text = r#"{"launch_templates": [
        {"name": "ltp", "image_id": "ami-12345678", "instance_type": "t3.micro"},
        {"name": "ltp", "image_id": "ami-12345678", "instance_type": "zz9.large"}]}"#;
    let e = err::<ControllerDoc>(text);
    assert_eq!(
        e.error,
        ConfigError::UnknownReference {
            what: "instance type"
        }
    );
    assert_eq!(
        e.location.path.as_str(),
        "launch_templates[1].instance_type"
    );
    let fixed = text.replace("zz9.large", "t3.nano");
    let e = err::<ControllerDoc>(&fixed);
    assert_eq!(
        e.error,
        ConfigError::DuplicateName {
            what: "launch template"
        }
    );
    assert_eq!(e.location.path.as_str(), "launch_templates[1].name");
    assert_eq!(e.location.offset, nth(&fixed, "\"ltp\"", 1));

    let text = r#"{"instance_types": [{"name": "m5.large", "vcpus": 2, "memory_mib": 8192}]}"#;
    let e = err::<ControllerDoc>(text);
    assert_eq!(
        e.error,
        ConfigError::Catalog(CatalogError::DuplicateInstanceType)
    );
    assert_eq!(e.location.path.as_str(), "instance_types[0].name");

    let text = r#"{"launch_templates": [{"name": "ltp", "image_id": "ami-1234", "instance_type": "t3.micro"}]}"#;
    let e = err::<ControllerDoc>(text);
    assert!(matches!(e.error, ConfigError::Invalid { .. }), "{e}");
    assert_eq!(e.location.path.as_str(), "launch_templates[0].image_id");

    let text = r#"{"launch_templates": [{"name": "ltp", "image_id": "ami-12345678", "instance_type": "t3.micro", "spot_request": "persistent"}]}"#;
    let e = err::<ControllerDoc>(text);
    assert!(matches!(e.error, ConfigError::NotAllowed { .. }), "{e}");
    assert_eq!(e.location.path.as_str(), "launch_templates[0].spot_request");
}

#[test]
fn syntax_errors_carry_the_byte() {
    let cases: [(&str, ConfigError, usize); 9] = [
        (
            "{\"groups\": [}",
            ConfigError::Syntax {
                expected: "a value",
            },
            12,
        ),
        (
            "{\"groups\" []}",
            ConfigError::Syntax { expected: "':'" },
            10,
        ),
        (
            "{\"groups\": [],}",
            ConfigError::Syntax {
                expected: "a field name in double quotes",
            },
            14,
        ),
        (
            "{groups: []}",
            ConfigError::Syntax {
                expected: "a field name in double quotes",
            },
            1,
        ),
        (
            "{\"a\": 01}",
            ConfigError::Syntax {
                expected: "',' or '}'",
            },
            7,
        ),
        (
            "{\"a\": \"\\q\"}",
            ConfigError::Syntax {
                expected: "an escape such as \\n or \\u00e9",
            },
            7,
        ),
        (
            "{\"a\": tru }",
            ConfigError::Syntax {
                expected: "a value",
            },
            6,
        ),
        ("{} {}", ConfigError::TrailingCharacters, 3),
        ("{}\n\n  x", ConfigError::TrailingCharacters, 6),
    ];
    for (text, error, offset) in cases {
        let e = decode::<ControllerDoc>(text.as_bytes()).expect_err(text);
        assert_eq!((e.error, e.location.offset), (error, offset), "{text}");
    }
    let e = decode::<ControllerDoc>(b"{}\n\n  x").expect_err("trailing");
    assert_eq!((e.location.line, e.location.column), (3, 3));
    assert_eq!(e.error.code(), 1304);
    // A syntax error inside a list names the element.
    let e = decode::<ControllerDoc>(br#"{"groups": [{"name": "a"}, {"name" "b"}]}"#)
        .expect_err("colon");
    assert_eq!(e.location.path.as_str(), "groups[1].name");
    // Invalid UTF-8 in a string.
    let e = decode::<ControllerDoc>(b"{\"a\xff\": 1}").expect_err("utf-8");
    assert_eq!(
        e.error,
        ConfigError::Syntax {
            expected: "UTF-8 text"
        }
    );
    assert_eq!(e.location.offset, 3);
}

#[test]
fn truncated_input_is_reported_at_its_end() {
    let full = EXAMPLE.trim_end();
    // Every proper prefix of the example is refused as truncated, at its end.
    for cut in (1..full.len()).step_by(7) {
        let prefix = &full.as_bytes()[..cut];
        let e = decode::<ControllerDoc>(prefix).expect_err("prefix");
        assert_eq!(e.error, ConfigError::Truncated, "cut at {cut}");
        assert_eq!(e.location.offset, cut, "cut at {cut}");
    }
    let e = decode::<ControllerDoc>(b"").expect_err("empty");
    assert_eq!((e.error, e.location.offset), (ConfigError::Truncated, 0));
}

#[test]
fn oversize_and_overdeep_input_is_refused() {
    let mut big = String::from("{\"instance_types\": []");
    while big.len() <= MAX_DOCUMENT {
        big.push(' ');
    }
    big.push('}');
    let e = decode::<ControllerDoc>(big.as_bytes()).expect_err("too large");
    assert_eq!(e.error, ConfigError::TooLarge { max: MAX_DOCUMENT });
    assert_eq!(e.error.kind(), crate::ErrorKind::CapacityExceeded);

    let deep = format!(
        "{{\"a\": {}{}}}",
        "[".repeat(MAX_DEPTH),
        "]".repeat(MAX_DEPTH)
    );
    let e = decode::<ControllerDoc>(deep.as_bytes()).expect_err("too deep");
    assert_eq!(e.error, ConfigError::TooDeep { max: MAX_DEPTH });
    assert_eq!(e.location.offset, 6 + MAX_DEPTH - 1);
}

#[test]
fn capacities_are_reported_as_too_long() {
    let name = "x".repeat(NAME_MAX + 1);
    let text = format!(r#"{{"name": "{name}", "recurrence": "0 1 * * *", "min_size": 1}}"#);
    let e = err::<ScheduledActionDoc>(&text);
    assert_eq!(e.error, ConfigError::TooLong { max: NAME_MAX });
    assert_eq!(e.location.path.as_str(), "name");
    assert_eq!(e.location.offset, 9);

    let zones = ["\"z\""; crate::group::MAX_ZONES + 1].join(",");
    let text = format!(
        r#"{{"name": "g", "launch_template": "lt", "min_size": 0, "max_size": 1, "zones": [{zones}]}}"#
    );
    let e = err::<GroupDoc>(&text);
    assert_eq!(
        e.error,
        ConfigError::TooLong {
            max: crate::group::MAX_ZONES
        }
    );
    assert_eq!(e.location.path.as_str(), "zones");

    // Escapes count once undone: a 64-byte name written with `\u` escapes fits.
    let escaped = "\\u0041".repeat(NAME_MAX);
    let text = format!(r#"{{"name": "{escaped}", "recurrence": "0 1 * * *", "min_size": 1}}"#);
    let a: ScheduledActionDoc = from_slice(text.as_bytes()).expect("fits once unescaped");
    assert_eq!(a.name.as_str(), "A".repeat(NAME_MAX));
    round_trip(&a);
}

/// A group whose zone name is the JSON string text `zone` (between quotes, as written).
fn group_with_zone(zone: &str) -> String {
    format!(
        r#"{{"name": "g", "launch_template": "lt", "min_size": 0, "max_size": 1, "zones": ["a", "{zone}"]}}"#
    )
}

#[test]
fn escaped_strings_are_read_as_the_text_they_encode() {
    // Issue 18 item 6: every escape of RFC 8259 §7, and a surrogate pair, where a name is.
    let cases = [
        (r"\ud83d\ude00", "\u{1f600}"),
        (r"rack-\uD83D\uDE00-1", "rack-\u{1f600}-1"),
        (r#"\"\\\/\b\f\n\r\t"#, "\"\\/\u{8}\u{c}\n\r\t"),
        (r"\u00e9\u20ac\u0041", "é€A"),
        (r"\udbff\udfff", "\u{10ffff}"),
        ("é😀", "é😀"),
    ];
    for (written, text) in cases {
        let doc: GroupDoc = decode(group_with_zone(written).as_bytes()).expect(written);
        assert_eq!(doc.zones[1].as_str(), text, "{written}");
        round_trip(&doc);
    }
    // A name of 16 four-byte characters written as 16 surrogate pairs fills its 64 bytes.
    let name = r"\ud83d\ude00".repeat(16);
    let text = format!(r#"{{"name": "{name}", "recurrence": "0 1 * * *", "min_size": 1}}"#);
    let a: ScheduledActionDoc = decode(text.as_bytes()).expect("fits once unescaped");
    assert_eq!(a.name.as_str(), "\u{1f600}".repeat(16));
    // One more is too long, and says so with the field's capacity.
    let name = r"\ud83d\ude00".repeat(17);
    let text = format!(r#"{{"name": "{name}", "recurrence": "0 1 * * *", "min_size": 1}}"#);
    let e = err::<ScheduledActionDoc>(&text);
    assert_eq!(e.error, ConfigError::TooLong { max: NAME_MAX });
    // Far longer than any field (past the unescape buffer): still the field's capacity.
    let name = r"\u00e9".repeat(track::UNESCAPE_MAX);
    let text = format!(r#"{{"name": "{name}", "recurrence": "0 1 * * *", "min_size": 1}}"#);
    let e = err::<ScheduledActionDoc>(&text);
    assert_eq!(e.error, ConfigError::TooLong { max: NAME_MAX });
    // An escaped enumeration name, and escaped field names, read as what they spell.
    let text = r#"{"typ\u0065": "t\u0061rget_tracking", "metric": 0, "target": 50}"#;
    let p: PolicyDoc = decode(text.as_bytes()).expect("escaped names");
    assert_eq!(p.kind, PolicyKind::TargetTracking);
    // The lists read entry by entry are found under an escaped key too, not skipped.
    let text = r#"{"name": "g", "launch_template": "lt", "min_size": 0, "max_size": 1,
        "zones": ["a"], "polic\u0069es": [{"type": "simple", "adjustment": 1}]}"#;
    let g: GroupDoc = decode(text.as_bytes()).expect("escaped list key");
    assert_eq!(g.policies.len(), 1);
    let text = r#"{"gr\u006fups": [], "\u0069nstance_types": []}"#;
    let _: ControllerDoc = decode(text.as_bytes()).expect("escaped top-level keys");
    // A missing field's error finds an object whose keys are escaped.
    let text = r#"{"gr\u006fups": [{"name": "g"}]}"#;
    let e = decode::<ControllerDoc>(text.as_bytes()).expect_err("missing field");
    assert_eq!(e.location.path.as_str(), "groups[0]");
}

#[test]
fn lone_surrogates_are_refused_at_their_escape() {
    let high = "a low surrogate (\\udc00-\\udfff) right after a high surrogate";
    let low = "a character, not a lone low surrogate (\\udc00-\\udfff)";
    let cases = [
        (r"\ud83d", high, 0),
        (r"x\ud83dy", high, 1),
        (r"\ud83d\u0041", high, 0),
        (r"\ud83d\ud83d", high, 0),
        (r"\ude00", low, 0),
        (r"ab\ude00\ud83d", low, 2),
        (r"\ud83d\n", high, 0),
    ];
    for (written, expected, at) in cases {
        let text = group_with_zone(written);
        let e = decode::<GroupDoc>(text.as_bytes()).expect_err(written);
        assert_eq!(e.error, ConfigError::Syntax { expected }, "{written}");
        let string = nth(&text, "\"", 16) + 1;
        assert_eq!(e.location.offset, string + at, "{written}");
        assert_eq!(e.location.path.as_str(), "zones[1]", "{written}");
        assert_eq!(e.error.code(), 1302);
        assert!(
            e.to_string().starts_with("zones[1]: not JSON: expected a"),
            "{e}"
        );
    }
    // In a field name too.
    let e = decode::<ControllerDoc>(br#"{"\udc00": 1}"#).expect_err("key");
    assert_eq!(
        (e.error, e.location.offset),
        (ConfigError::Syntax { expected: low }, 2)
    );
}

#[test]
fn missing_required_field_points_at_its_object() {
    let text = r#"{"instance_types": [{"name": "b.small", "vcpus": 1}]}"#;
    let e = err::<ControllerDoc>(text);
    assert_eq!(
        e.error,
        ConfigError::MissingField {
            field: "memory_mib"
        }
    );
    assert_eq!(e.location.path.as_str(), "instance_types[0]");
    assert_eq!(e.location.offset, nth(text, "{\"name\"", 0));
}

#[test]
fn errors_return_nothing_partial() {
    // The first group is valid, the second is not: the call returns only the error, and a
    // document the caller already holds is untouched (the functions are pure constructors).
    let good: ControllerDoc = from_slice(EXAMPLE.as_bytes()).expect("valid");
    let before = good.clone();
    let bad = EXAMPLE.replace("\"max_size\": 4", "\"max_size\": 0");
    let r = from_slice::<ControllerDoc>(bad.as_bytes());
    assert!(matches!(
        r,
        Err(LocatedError {
            error: ConfigError::Group(GroupError::MaxBelowMin { .. }),
            ..
        })
    ));
    assert_eq!(good, before);
    // `decode` accepts the shape; only `from_slice` runs the validators.
    let shaped: ControllerDoc = decode(bad.as_bytes()).expect("well-formed");
    assert_eq!(shaped.groups[1].max_size, 0);
    assert!(shaped.check().is_err());
}

#[test]
fn serialising_into_a_short_buffer_fails_cleanly() {
    let doc: ControllerDoc = from_slice(EXAMPLE.as_bytes()).expect("valid");
    let mut buf = [0_u8; 64];
    assert_eq!(to_slice(&doc, &mut buf), Err(ConfigError::BufferTooSmall));
}

#[test]
fn decimals_keep_thousandths() {
    for (text, milli) in [
        ("0", 0),
        ("0.25", 250),
        ("-1.5", -1500),
        ("60.5", 60_500),
        ("0.0004", 0),
        ("0.0006", 1),
        ("1e3", 1_000_000),
        ("123456789.123", 123_456_789_123),
        ("-999999999999.999", -999_999_999_999_999),
        ("1e12", 1_000_000_000_000_000),
    ] {
        let json = format!(r#"{{"type": "target_tracking", "metric": 0, "target": {text}}}"#);
        let p: PolicyDoc = decode(json.as_bytes()).expect(text);
        assert_eq!(
            p.target,
            Some(crate::value::Value::from_milli(milli)),
            "{text}"
        );
        round_trip(&p);
    }
    for huge in ["1e300", "1000000000000.001", "-2e12"] {
        let json = format!(r#"{{"type": "simple", "target": {huge}}}"#);
        let e = decode::<PolicyDoc>(json.as_bytes()).expect_err(huge);
        assert!(matches!(e.error, ConfigError::OutOfRange { .. }), "{e}");
        assert_eq!(e.location.path.as_str(), "target");
        assert_eq!(e.location.offset, json.find(huge).expect("number"));
    }
}

#[test]
fn times_are_rfc3339_utc() {
    assert_eq!(
        parse_time("1970-01-01T00:00:00Z"),
        Some(crate::time::Instant::from_secs(0))
    );
    assert_eq!(
        parse_time("2024-02-29T12:30:15Z"),
        Some(crate::time::Instant::from_secs(1_709_209_815))
    );
    for bad in [
        "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01 00:00:00Z",
        "1969-12-31T23:59:59Z",
        "2024-01-01T00:00:00+01:00",
    ] {
        assert_eq!(parse_time(bad), None, "{bad}");
    }
}

#[test]
fn document_sizes() {
    use core::mem::size_of;
    let sizes = [
        ("ControllerDoc", size_of::<ControllerDoc>()),
        ("GroupDoc", size_of::<GroupDoc>()),
        ("PolicyDoc", size_of::<PolicyDoc>()),
        ("ScheduledActionDoc", size_of::<ScheduledActionDoc>()),
        ("SecurityGroupDoc", size_of::<SecurityGroupDoc>()),
        ("RuleDoc", size_of::<RuleDoc>()),
        ("LaunchTemplateDoc", size_of::<LaunchTemplateDoc>()),
        ("InstanceTypeDoc", size_of::<InstanceTypeDoc>()),
        ("LocatedError", size_of::<LocatedError>()),
        ("ConfigError", size_of::<ConfigError>()),
    ];
    for (name, size) in sizes {
        println!("size_of::<{name}>() = {size}");
    }
    // The whole setup stays within a mid-size controller's RAM budget (a Cortex-M4 with
    // 96 KiB or more parses documents; the 16 KiB Cortex-M0 runs a group from code). 32 KiB
    // before the purchase and simulation sections (issue 18) added 12.7 KiB.
    assert!(size_of::<ControllerDoc>() < 48 * 1024);
}

#[test]
fn parsing_fits_a_bounded_stack() {
    // An overflow aborts the test process, so this pins an upper bound; the size comes from
    // FLEETCORE_CONFIG_STACK_KIB when set (to measure), else 4 MiB (an unoptimised build moves the 26 KiB document through many frames).
    let kib: usize = std::env::var("FLEETCORE_CONFIG_STACK_KIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4096);
    let ok = std::thread::Builder::new()
        .stack_size(kib * 1024)
        .spawn(
            || match std::env::var("FLEETCORE_CONFIG_STACK_DOC").as_deref() {
                Ok("noop") => true,
                Ok("empty") => from_slice::<ControllerDoc>(b"{}").is_ok(),
                Ok("policy") => {
                    from_slice::<PolicyDoc>(br#"{"type": "simple", "adjustment": 1}"#).is_ok()
                }
                Ok("type") => from_slice::<InstanceTypeDoc>(
                    br#"{"name": "a.b", "vcpus": 1, "memory_mib": 1}"#,
                )
                .is_ok(),
                Ok("decode") => decode::<ControllerDoc>(EXAMPLE.as_bytes()).is_ok(),
                _ => from_slice::<ControllerDoc>(EXAMPLE.as_bytes()).is_ok(),
            },
        )
        .expect("thread")
        .join();
    assert!(matches!(ok, Ok(true)));
    println!("the example parses within {kib} KiB of stack");
}

#[test]
fn readme_shows_the_example_file() {
    let readme = include_str!("../../../README.md");
    let block = format!("```json\n{EXAMPLE}```");
    assert!(
        readme.contains(&block),
        "README.md's Configuration example differs from examples/controller.json"
    );
    // The README's sample error message is what the parser prints.
    let bad = EXAMPLE.replace("\"target\": 60.5", "\"target\": -60.5");
    let e = err::<ControllerDoc>(&bad);
    println!("{e}");
    assert!(
        readme.contains(&format!("`{e}`")),
        "README sample error: `{e}`"
    );
}

#[test]
fn top_level_errors_are_located() {
    let text = r#"{"groups": [], "group": []}"#;
    let e = err::<ControllerDoc>(text);
    assert_eq!(e.error, ConfigError::UnknownField);
    assert_eq!((e.location.path.as_str(), e.location.offset), ("group", 15));

    let text = r#"{"groups": [], "groups": []}"#;
    let e = err::<ControllerDoc>(text);
    assert_eq!(e.error, ConfigError::DuplicateField { field: "groups" });

    let text = r#"{"groups": {}}"#;
    let e = err::<ControllerDoc>(text);
    assert_eq!(e.error, ConfigError::WrongType { expected: "a list" });
    assert_eq!(
        (e.location.path.as_str(), e.location.offset),
        ("groups", 11)
    );

    let e = err::<ControllerDoc>("[1]");
    assert_eq!(
        e.error,
        ConfigError::WrongType {
            expected: "an object"
        }
    );
    assert_eq!(e.location.offset, 0);

    let groups = vec![
        EXAMPLE[nth(EXAMPLE, "{\n      \"name\": \"web\",\n      \"launch", 0)..]
            .split("\n    }")
            .next()
            .expect("group")
            .to_string()
            + "\n    }";
        MAX_GROUPS + 1
    ];
    let text = format!("{{\"groups\": [{}]}}", groups.join(","));
    let e = decode::<ControllerDoc>(text.as_bytes()).expect_err("too many groups");
    assert_eq!(e.error, ConfigError::TooLong { max: MAX_GROUPS });
    assert_eq!(e.location.path.as_str(), "groups");
}

#[test]
fn group_lists_are_checked_in_place() {
    let text = group_with(r#", "policies": 5"#);
    let e = err::<ControllerDoc>(&text);
    assert_eq!(e.error, ConfigError::WrongType { expected: "a list" });
    assert_eq!(e.location.path.as_str(), "groups[0].policies");
    assert_eq!(e.location.offset, nth(&text, "5", 0));

    let text = group_with(r#", "scheduled_actions": [{"name": "a", "min_size": 1, "oops": 1}]"#);
    let e = err::<ControllerDoc>(&text);
    assert_eq!(e.error, ConfigError::UnknownField);
    assert_eq!(
        e.location.path.as_str(),
        "groups[0].scheduled_actions[0].oops"
    );
    assert_eq!(e.location.offset, nth(&text, "\"oops\"", 0));

    let many = [r#"{"type": "simple", "adjustment": 1}"#; MAX_POLICIES_IN_GROUP + 1].join(",");
    let text = group_with(&format!(r#", "policies": [{many}]"#));
    let e = err::<ControllerDoc>(&text);
    assert_eq!(
        e.error,
        ConfigError::TooLong {
            max: MAX_POLICIES_IN_GROUP
        }
    );
    assert_eq!(e.location.path.as_str(), "groups[0].policies");
}

const MAX_POLICIES_IN_GROUP: usize = crate::group::MAX_POLICIES;

/// `s` seconds after the epoch.
fn at(s: u64) -> crate::time::Instant {
    crate::time::Instant::from_secs(s)
}

/// A group of capacity 16 that keeps few scheduled actions, as firmware would declare it.
type Small = crate::group::Group<16, crate::group::AllParts<8, 8>>;

#[test]
fn example_group_builds_with_every_list() {
    let doc: ControllerDoc = from_slice(EXAMPLE.as_bytes()).expect("valid");
    let g = doc.groups.first().expect("sensors");
    let now = at(1_000);
    let group: Small = g
        .build(now, crate::id::TemplateId::from_u64(1), 7)
        .expect("the example builds");
    let names: Vec<&str> = group
        .metrics()
        .iter()
        .map(crate::group::GroupMetric::name)
        .collect();
    assert_eq!(names, ["CPUUtilization", "RequestsPerMinute"]);
    assert_eq!(group.scaling_policies().len(), 3);
    assert_eq!(group.alarms().len(), 2);
    assert_eq!(
        group.alarms().iter().map(|a| a.policy).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(group.scheduled_actions().len(), 3);
    let (predictive, _) = group.predictive().expect("predictive policy");
    assert_eq!(
        predictive.mode,
        crate::scaling::predictive::Mode::ForecastAndScale
    );
    assert_eq!(predictive.target_per_member, Value::from_milli(1_500_000));
    assert_eq!(
        predictive.max_breach,
        crate::scaling::predictive::MaxBreach::IncreaseMaxCapacity { buffer_percent: 10 }
    );
    let hooks: Vec<_> = group.hooks().iter().flatten().collect();
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0].heartbeat_timeout, Duration::from_secs(300));
    assert_eq!(hooks[0].default_result, crate::group::HookResult::Continue);
    assert_eq!(group.warm_pool().map(|w| w.min_size), Some(1));
    // The same group through `to_config` and the API, call by call.
    let mut by_hand: Small = crate::group::Group::new(
        g.to_config(crate::id::TemplateId::from_u64(1), 16)
            .expect("config"),
        7,
    )
    .expect("group");
    g.apply(now, &mut by_hand).expect("applies");
    assert_eq!(by_hand, group);
}

#[test]
fn built_alarms_run_their_policies() {
    // A step policy on a group metric: three datapoints at or above 5000 in a row scale out.
    let text = group_with(
        r#", "metrics": [{"name": "Queue", "source": "group"}],
        "policies": [{"type": "step", "steps": [{"lower_bound": 0, "adjustment": 2}]}],
        "alarms": [{"metric": 0, "comparison": "greater_than_or_equal", "threshold": 5000,
                    "evaluation_periods": 3, "policy": 0}]"#,
    );
    let doc: ControllerDoc = from_slice(text.as_bytes()).expect("valid");
    let g = doc.groups.first().expect("group");
    let mut group: Small = g
        .build(at(0), crate::id::TemplateId::from_u64(1), 1)
        .expect("builds");
    let mut desired = Vec::new();
    for minute in 0..5_u64 {
        let t = at(minute * 60);
        group
            .record(t, 0, None, Value::from_int(6000))
            .expect("sample recorded");
        let mut out: heapless::Vec<crate::group::Action, 16> = heapless::Vec::new();
        group.tick(t.saturating_add(Duration::from_secs(59)), &mut out);
        desired.push(group.desired());
    }
    // A minute's datapoint closes when the minute ends: two breaching datapoints are not
    // enough; the third sets the alarm off, and the step adds 2 to the group's capacity.
    assert_eq!(desired[..3], [1, 1, 1], "{desired:?}");
    assert!(desired[3] > 1, "{desired:?}");
    assert_eq!(
        desired[4], desired[3],
        "the alarm runs the policy once per breach"
    );
}

#[test]
fn dynamic_errors_name_their_field() {
    let cases: [(&str, &str, ConfigError); 11] = [
        (
            r#", "policies": [{"type": "target_tracking", "metric": 0, "target": 50}]"#,
            "groups[0].policies[0].metric",
            ConfigError::UnknownReference { what: "metric" },
        ),
        (
            r#", "metrics": [{"name": "CPU"}], "policies": [{"type": "simple", "adjustment": 1}],
               "alarms": [{"metric": 1, "comparison": "greater_than", "threshold": 1, "policy": 0}]"#,
            "groups[0].alarms[0].metric",
            ConfigError::UnknownReference { what: "metric" },
        ),
        (
            r#", "metrics": [{"name": "CPU"}],
               "policies": [{"type": "target_tracking", "metric": 0, "target": 50}],
               "alarms": [{"metric": 0, "comparison": "greater_than", "threshold": 1, "policy": 0}]"#,
            "groups[0].alarms[0].policy",
            ConfigError::UnknownReference {
                what: "simple or step policy",
            },
        ),
        (
            r#", "metrics": [{"name": "CPU"}], "policies": [{"type": "simple", "adjustment": 1}],
               "alarms": [{"metric": 0, "comparison": "greater_than", "threshold": 1,
                           "evaluation_periods": 3, "datapoints_to_alarm": 4, "policy": 0}]"#,
            "groups[0].alarms[0].datapoints_to_alarm",
            ConfigError::Scaling(ScalingError::InvalidEvaluation { n: 3, m: 4 }),
        ),
        (
            r#", "metrics": [{"name": "CPU"}], "policies": [{"type": "simple", "adjustment": 1}],
               "alarms": [{"metric": 0, "comparison": "greater_than", "threshold": 1,
                           "evaluation_periods": 1441, "policy": 0}]"#,
            "groups[0].alarms[0].evaluation_periods",
            ConfigError::Scaling(ScalingError::InvalidEvaluation { n: 1441, m: 1441 }),
        ),
        (
            r#", "metrics": [{"name": "CPU", "period_s": 45}]"#,
            "groups[0].metrics[0].period_s",
            ConfigError::Scaling(ScalingError::InvalidPeriod { seconds: 45 }),
        ),
        (
            r#", "metrics": [{"name": "CPU"}, {"name": "CPU", "source": "group"}]"#,
            "groups[0].metrics[1].name",
            ConfigError::DuplicateName { what: "metric" },
        ),
        (
            r#", "metrics": [{"name": "A"}, {"name": "B"}, {"name": "C", "source": "members"}]"#,
            "groups[0].metrics[2].source",
            ConfigError::Group(GroupError::TooManyMetrics),
        ),
        (
            r#", "metrics": [{"name": "CPU"}], "predictive": {"metric": 0, "target_per_member": 10}"#,
            "groups[0].predictive.metric",
            ConfigError::Invalid {
                expected: "a metric with source \"group\"",
            },
        ),
        (
            r#", "lifecycle_hooks": [{"transition": "launching", "heartbeat_timeout_s": 10}]"#,
            "groups[0].lifecycle_hooks[0].heartbeat_timeout_s",
            ConfigError::Group(GroupError::HeartbeatOutOfRange { seconds: 10 }),
        ),
        (
            r#", "warm_pool": {"min_size": 3, "max_group_prepared_capacity": 2}"#,
            "groups[0].warm_pool.min_size",
            ConfigError::Group(GroupError::OutOfRange { field: "MinSize" }),
        ),
    ];
    for (extra, path, error) in cases {
        let text = group_with(extra);
        let e = err::<ControllerDoc>(&text);
        assert_eq!(e.location.path.as_str(), path, "{extra}");
        assert_eq!(e.error, error, "{extra}");
        // The same group on its own reports the same error, relative to the group.
        let group_text = text
            .split_once("\"groups\": [")
            .and_then(|(_, rest)| rest.rsplit_once("}],").map(|(g, _)| format!("{g}}}")))
            .expect("one group");
        let e = err::<GroupDoc>(&group_text);
        assert_eq!(e.error, error, "{group_text}");
        assert_eq!(
            Some(e.location.path.as_str()),
            path.strip_prefix("groups[0].")
        );
    }
    // Bad enum text is a shape error at the field.
    let e = err::<ControllerDoc>(&group_with(
        r#", "metrics": [{"name": "CPU", "source": "rack"}]"#,
    ));
    assert_eq!(e.location.path.as_str(), "groups[0].metrics[0].source");
}

#[test]
fn apply_changes_nothing_when_the_group_cannot_take_the_document() {
    let doc: ControllerDoc = from_slice(EXAMPLE.as_bytes()).expect("valid");
    let g = doc.groups.first().expect("sensors");
    let config = g
        .to_config(crate::id::TemplateId::from_u64(1), 16)
        .expect("config");
    // A group that already has a metric of its own.
    let mut busy: Small = crate::group::Group::new(config.clone(), 7).expect("group");
    busy.put_metric("Mine", Duration::from_secs(60), crate::group::Source::Group)
        .expect("metric");
    let before = busy.clone();
    assert!(matches!(
        g.apply(at(0), &mut busy),
        Err(LocatedError {
            error: ConfigError::Group(GroupError::OutOfRange { .. }),
            ..
        })
    ));
    assert_eq!(busy, before);
    // A group that keeps fewer scheduled actions than the document has.
    let mut tiny: crate::group::Group<16, crate::group::AllParts<8, 2>> =
        crate::group::Group::new(config.clone(), 7).expect("group");
    let before = tiny.clone();
    let e = g
        .apply(at(0), &mut tiny)
        .expect_err("3 actions, room for 2");
    assert_eq!(e.error, ConfigError::Group(GroupError::TooManyScheduled));
    assert_eq!(e.location.path.as_str(), "scheduled_actions");
    assert_eq!(tiny, before);
    // A warm pool larger than the group's capacity.
    let big = EXAMPLE.replace(
        "\"min_size\": 1, \"pool_state\"",
        "\"min_size\": 40, \"pool_state\"",
    );
    let doc: ControllerDoc = from_slice(big.as_bytes()).expect("valid as a document");
    let g = doc.groups.first().expect("sensors");
    let mut small: Small = crate::group::Group::new(config, 7).expect("group");
    let before = small.clone();
    let e = g
        .apply(at(0), &mut small)
        .expect_err("pool larger than the group");
    assert_eq!(e.location.path.as_str(), "warm_pool.min_size");
    assert_eq!(small, before);
    // Two scheduled actions that first run at the same time: only the group can tell (it
    // depends on now); those already put are taken back.
    let twin = EXAMPLE.replace(
        "\"desired_capacity\": 10\n",
        "\"desired_capacity\": 10\n        },\n        {\"name\": \"twin\", \"start_time\": \"2026-12-01T08:00:00Z\", \"desired_capacity\": 5\n",
    );
    let doc: ControllerDoc = from_slice(twin.as_bytes()).expect("valid as a document");
    let g = doc.groups.first().expect("sensors");
    let mut fresh: Small = crate::group::Group::new(
        g.to_config(crate::id::TemplateId::from_u64(1), 16)
            .expect("config"),
        7,
    )
    .expect("group");
    let before = fresh.clone();
    let e = g.apply(at(0), &mut fresh).expect_err("conflict");
    assert_eq!(e.error, ConfigError::Group(GroupError::ScheduleConflict));
    assert_eq!(e.location.path.as_str(), "scheduled_actions[3]");
    assert_eq!(e.location.line, 0);
    assert_eq!(fresh, before);
    assert!(fresh.scheduled_actions().is_empty());
}

/// Issue 18, item 1: one document holds the purchasing and the simulation; both are checked by
/// the one parser, build into the group, and read back to the same document.
const PURCHASED: &str = r#"{
  "$schema": "https://fleetcore.dev/schema/fleetcore.schema.json",
  "instance_types": [
    { "name": "board-v2.small", "vcpus": 4, "memory_mib": 2048, "max_enis": 2, "ipv4_per_eni": 4 }
  ],
  "launch_templates": [
    { "name": "web", "image_id": "ami-0123456789abcdef0", "instance_type": "m5.large" }
  ],
  "groups": [
    {
      "name": "taxi",
      "launch_template": "web",
      "min_size": 2,
      "max_size": 60,
      "zones": ["rack-a", "rack-b"],
      "metrics": [
        { "name": "CPU", "period_s": 60 },
        { "name": "Passengers", "period_s": 60, "source": "group" }
      ],
      "policies": [{ "type": "target_tracking", "metric": 0, "target": 60 }],
      "purchase": {
        "on_demand": [
          { "instance_type": "m5.large", "price": 0.096 },
          { "instance_type": "board-v2.small", "price": 0.0125 }
        ],
        "spot": [
          { "instance_type": "m5.large", "zone": "rack-a", "price": 0.035, "capacity": 20 },
          { "instance_type": "m5.large", "zone": "rack-b", "price": 0.0381 }
        ],
        "upfront": "amortized",
        "reservations": [
          { "instance_type": "m5.large", "count": 2, "payment": "No Upfront", "hourly": 0.06 }
        ],
        "mixed_instances": {
          "overrides": [{ "instance_type": "m5.large" }, { "instance_type": "board-v2.small", "weight": 2 }],
          "on_demand_base": 2,
          "on_demand_percent": 20,
          "spot_strategy": "price-capacity-optimized",
          "capacity_rebalance": true
        }
      }
    }
  ],
  "simulation": {
    "seed": 2014,
    "member_capacity": 1000,
    "boot_time_s": 180,
    "utilisation_metric": "CPU",
    "load_metric": "Passengers",
    "spot_interruptions": [{ "instance_type": "m5.large", "zone": "rack-a", "chance": 0.04 }],
    "rebalance_lead_s": 600
  }
}"#;

#[test]
fn purchase_and_simulation_sections_build_the_group_and_read_back() {
    use crate::purchase::{Payment, SpotStrategy, UpfrontAccounting};
    let doc = from_slice::<ControllerDoc>(PURCHASED.as_bytes()).unwrap();
    round_trip(&doc);
    let p = doc.groups[0].purchase.as_ref().unwrap();
    assert_eq!(
        p.on_demand[1].price, 12_500,
        "prices in millionths, exactly"
    );
    assert_eq!(p.spot[1].price, 38_100);
    assert_eq!(p.upfront, UpfrontAccounting::Amortized);
    assert_eq!(
        p.reservations[0].payment,
        Payment::NoUpfront,
        "the service's spelling"
    );
    let mixed = p.mixed_instances.as_ref().unwrap();
    assert_eq!(mixed.spot_strategy, SpotStrategy::PriceCapacityOptimized);
    let sim = doc.simulation.as_ref().unwrap();
    assert_eq!((sim.seed, sim.step_s), (2014, 60));
    assert_eq!(sim.slo_utilisation, Value::from_int(90));
    assert_eq!(
        doc.schema.as_deref(),
        Some("https://fleetcore.dev/schema/fleetcore.schema.json")
    );

    let g: crate::group::Group<64> = doc.build_group(0, Instant::from_secs(0), 7).unwrap();
    let prices = g.prices().unwrap();
    assert_eq!(prices.types().count(), 2);
    assert_eq!(
        prices.index("board-v2.small"),
        Some(1),
        "a type of the document is priced"
    );
    let m = g.mixed_instances().unwrap();
    assert_eq!(m.overrides.len(), 2);
    assert_eq!(m.overrides[1].weight, 2);
    assert_eq!(m.distribution.on_demand_base, 2);
    assert!(m.capacity_rebalance);
    // Without the purchase section the group has no ledger, as before.
    let mut plain = doc.clone();
    plain.groups[0].purchase = None;
    plain.simulation = None;
    let g: crate::group::Group<64> = plain.build_group(0, Instant::from_secs(0), 7).unwrap();
    assert!(g.prices().is_none() && g.mixed_instances().is_none());
    // A lean group that stores no ledger is refused before anything changes.
    let lean =
        doc.build_group::<64, crate::group::Lean<8, 0, 1, 2, 0>>(0, Instant::from_secs(0), 7);
    let e = lean.unwrap_err();
    assert_eq!(
        e.location.path.as_str(),
        "groups[0].purchase.mixed_instances.capacity_rebalance"
    );
}

/// `init_group` builds, in place, the group `build_group` returns: the same members launched
/// at the same decision, and the same refusals at the same paths.
#[test]
fn init_group_builds_in_place_what_build_group_returns() {
    use core::mem::MaybeUninit;
    let doc: ControllerDoc = from_slice(EXAMPLE.as_bytes()).expect("valid");
    let now = Instant::from_secs(1_404_172_800);
    let mut built: crate::group::Group<64> = doc.build_group(0, now, 5).unwrap();
    let mut slot = std::boxed::Box::new(MaybeUninit::uninit());
    let placed: &mut crate::group::Group<64> = doc.init_group(&mut slot, 0, now, 5).unwrap();
    built.decide(now);
    placed.decide(now);
    let a: Vec<_> = built.actions().collect();
    let b: Vec<_> = placed.actions().collect();
    assert!(
        !a.is_empty(),
        "the example's group launches its desired capacity"
    );
    assert_eq!(a, b);
    assert_eq!(
        (built.desired(), built.capacity()),
        (placed.desired(), placed.capacity())
    );
    // A group index the document lacks, and a group too big for the type, are refused the same.
    let mut slot = std::boxed::Box::new(MaybeUninit::<crate::group::Group<64>>::uninit());
    let e = doc.init_group(&mut slot, 9, now, 5).unwrap_err();
    assert_eq!(e.location.path.as_str(), "groups");
    let mut small = std::boxed::Box::new(MaybeUninit::<crate::group::Group<4>>::uninit());
    let e = doc.init_group(&mut small, 0, now, 5).unwrap_err();
    let f = doc
        .build_group::<4, crate::group::Full>(0, now, 5)
        .unwrap_err();
    assert_eq!(e.location.path.as_str(), "groups[0]");
    assert_eq!((e.error, e.location.path), (f.error, f.location.path));
}

#[test]
fn purchase_and_simulation_errors_name_the_field() {
    let cases = [
        (
            r#""zone": "rack-a", "price": 0.035"#,
            r#""zone": "rack-z", "price": 0.035"#,
            "groups[0].purchase.spot[0].zone",
        ),
        (
            r#"{ "instance_type": "m5.large", "count": 2"#,
            r#"{ "instance_type": "c5.large", "count": 2"#,
            "groups[0].purchase.reservations[0].instance_type",
        ),
        (
            r#""price": 0.096"#,
            r#""price": -0.096"#,
            "groups[0].purchase.on_demand[0].price",
        ),
        (
            r#""on_demand_percent": 20"#,
            r#""on_demand_percent": 120"#,
            "groups[0].purchase.mixed_instances.on_demand_percent",
        ),
        (
            r#""spot_strategy": "price-capacity-optimized""#,
            r#""spot_strategy": "cheapest""#,
            "groups[0].purchase.mixed_instances.spot_strategy",
        ),
        (
            r#""payment": "No Upfront""#,
            r#""payment": "monthly""#,
            "groups[0].purchase.reservations[0].payment",
        ),
        (
            r#""utilisation_metric": "CPU""#,
            r#""utilisation_metric": "Passengers""#,
            "simulation.utilisation_metric",
        ),
        (
            r#""load_metric": "Passengers""#,
            r#""load_metric": "Riders""#,
            "simulation.load_metric",
        ),
        (
            r#""zone": "rack-a", "chance": 0.04"#,
            r#""zone": "rack-b", "chance": 1.5"#,
            "simulation.spot_interruptions[0].chance",
        ),
        (
            r#""zone": "rack-a", "chance": 0.04"#,
            r#""zone": "rack-c", "chance": 0.04"#,
            "simulation.spot_interruptions[0].instance_type",
        ),
        (
            r#""seed": 2014"#,
            r#""seed": 2014, "group": "web""#,
            "simulation.group",
        ),
        (
            r#""boot_time_s": 180"#,
            r#""boot_time_s": 180, "colour": 1"#,
            "simulation.colour",
        ),
    ];
    for (from, to, path) in cases {
        assert!(PURCHASED.contains(from), "{from}");
        let text = PURCHASED.replacen(from, to, 1);
        let e = err::<ControllerDoc>(&text);
        assert_eq!(e.location.path.as_str(), path, "{to}: {e}");
        assert!(e.location.line > 0, "{to}: a position in the text");
    }
}

/// Issue 18, item 2: documents take the service's spellings too (`boto3` and `CloudFormation`
/// values), and the writer writes the one canonical spelling.
#[test]
fn the_services_spellings_read_as_the_canonical_ones() {
    let canonical = r#"{"name": "g", "launch_template": "lt", "min_size": 0, "max_size": 4,
        "zones": ["z"], "termination_policies": ["oldest_instance", "default"],
        "metrics": [{"name": "CPU"}, {"name": "Load", "source": "group"}],
        "policies": [{"type": "simple", "adjustment_type": "change_in_capacity", "adjustment": 1},
                     {"type": "step", "adjustment_type": "percent_change_in_capacity", "aggregation": "maximum",
                      "steps": [{"lower_bound": 0, "adjustment": 10}]}],
        "alarms": [{"metric": 0, "comparison": "greater_than", "threshold": 70, "policy": 0,
                    "statistic": "maximum", "missing_data": "not_breaching"}],
        "predictive": {"metric": 1, "mode": "forecast_and_scale", "target_per_member": 100},
        "lifecycle_hooks": [{"transition": "launching", "default_result": "abandon"}]}"#;
    let aws = canonical
        .replace("\"oldest_instance\"", "\"OldestInstance\"")
        .replace("\"default\"]", "\"Default\"]")
        .replace("\"simple\"", "\"SimpleScaling\"")
        .replace("\"step\"", "\"StepScaling\"")
        .replace("\"change_in_capacity\"", "\"ChangeInCapacity\"")
        .replace(
            "\"percent_change_in_capacity\"",
            "\"PercentChangeInCapacity\"",
        )
        .replace(
            "\"aggregation\": \"maximum\"",
            "\"aggregation\": \"Maximum\"",
        )
        .replace("\"greater_than\"", "\"GreaterThanThreshold\"")
        .replace("\"statistic\": \"maximum\"", "\"statistic\": \"Maximum\"")
        .replace("\"not_breaching\"", "\"notBreaching\"")
        .replace("\"forecast_and_scale\"", "\"ForecastAndScale\"")
        .replace("\"launching\"", "\"autoscaling:EC2_INSTANCE_LAUNCHING\"")
        .replace("\"abandon\"", "\"ABANDON\"");
    assert_ne!(aws, canonical);
    let a = from_slice::<GroupDoc>(canonical.as_bytes()).unwrap();
    let b = from_slice::<GroupDoc>(aws.as_bytes()).unwrap();
    assert_eq!(a, b);
    let mut buf = [0u8; 8192];
    let n = to_slice(&b, &mut buf).unwrap();
    let written = core::str::from_utf8(&buf[..n]).unwrap();
    assert!(written.contains("\"not_breaching\"") && !written.contains("notBreaching"));
    assert!(written.contains("\"forecast_and_scale\""));
}
