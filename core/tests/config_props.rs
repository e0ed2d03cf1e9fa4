//! Property tests of the JSON configuration documents over generated documents.
//!
//! - a generated document (any field values, valid or not, with strings holding quotes,
//!   backslashes, control characters and non-ASCII text) serialises, and the output decodes to
//!   an equal document;
//! - the round trip keeps validity: `from_slice` accepts the output exactly when the
//!   validators accept the document;
//! - every proper prefix of the output is refused as truncated, at its end;
//! - a corrupted byte never panics, and the error's location lies inside the input.

use fleetcore::catalog::{Architecture, Category};
use fleetcore::config::ConfigError;
use fleetcore::config::{
    self, AlarmDoc, ControllerDoc, GroupDoc, HookDoc, InstanceTypeDoc, LaunchTemplateDoc,
    MetricDoc, PolicyDoc, PolicyKind, PredictiveDoc, RuleDoc, ScheduledActionDoc, SecurityGroupDoc,
    StepDoc, WarmPoolDoc,
};
use fleetcore::group::{HookResult, HookTransition, PoolState, Source, TerminationPolicy};
use fleetcore::lifecycle::{InterruptionBehavior, ShutdownBehavior, SpotRequestType};
use fleetcore::purchase::MarketKind;
use fleetcore::scaling::predictive::Mode;
use fleetcore::scaling::{AdjustmentType, Aggregation, Comparison, MissingData, Statistic};
use fleetcore::value::Value;
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;

/// Text of at most `chars` characters (at most 4 bytes each), mixing the characters JSON must
/// escape with plain and non-ASCII ones.
fn text<const N: usize>(chars: usize) -> impl Strategy<Value = heapless::String<N>> {
    assert!(chars * 4 <= N);
    let pattern = format!("[a-z0-9 .\"\\\\/\\n\\t\\u{{1}}é€😀-]{{0,{chars}}}");
    proptest::string::string_regex(&pattern)
        .expect("valid pattern")
        .prop_map(|s| {
            let mut out = heapless::String::new();
            out.push_str(&s).expect("fits by construction");
            out
        })
}

fn list<T: core::fmt::Debug, const N: usize>(
    item: impl Strategy<Value = T>,
    max: usize,
) -> impl Strategy<Value = heapless::Vec<T, N>> {
    vec(item, 0..=max.min(N)).prop_map(|v| v.into_iter().collect())
}

fn decimal() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-10_000_i64..10_000).prop_map(Value::from_milli),
        // Up to 10^12 in magnitude, the most a JSON document holds exactly.
        (-1_000_000_000_000_000_i64..=1_000_000_000_000_000).prop_map(Value::from_milli),
    ]
}

fn instance_type() -> impl Strategy<Value = InstanceTypeDoc> {
    (
        text(8),
        prop_oneof![
            Just(Category::GeneralPurpose),
            Just(Category::Burstable),
            Just(Category::Accelerated)
        ],
        any::<u16>(),
        any::<u32>(),
        any::<(u8, u8, u8)>(),
        (
            decimal(),
            of(prop_oneof![
                Just(Architecture::X86_64),
                Just(Architecture::Arm64),
                Just(Architecture::Arm64Mac)
            ]),
        ),
    )
        .prop_map(
            |(
                name,
                category,
                vcpus,
                memory_mib,
                (accelerators, max_enis, ipv4_per_eni),
                (n, a),
            )| {
                InstanceTypeDoc {
                    name,
                    category,
                    vcpus,
                    memory_mib,
                    accelerators,
                    max_enis,
                    ipv4_per_eni,
                    normalization_factor: n,
                    architecture: a,
                }
            },
        )
}

fn template() -> impl Strategy<Value = LaunchTemplateDoc> {
    (
        text(16),
        text(16),
        text(5),
        text(8),
        any::<(bool, bool, bool, bool)>(),
        of(prop_oneof![
            Just(SpotRequestType::OneTime),
            Just(SpotRequestType::Persistent)
        ]),
        of(prop_oneof![
            Just(InterruptionBehavior::Stop),
            Just(InterruptionBehavior::Hibernate)
        ]),
    )
        .prop_map(
            |(
                name,
                description,
                image_id,
                instance_type,
                flags,
                spot_request,
                spot_interruption,
            )| {
                LaunchTemplateDoc {
                    name,
                    description,
                    image_id,
                    instance_type,
                    shutdown_behavior: if flags.0 {
                        ShutdownBehavior::Terminate
                    } else {
                        ShutdownBehavior::Stop
                    },
                    hibernation: flags.1,
                    disable_api_termination: flags.2,
                    market: if flags.3 {
                        MarketKind::Spot
                    } else {
                        MarketKind::OnDemand
                    },
                    spot_request,
                    spot_interruption,
                }
            },
        )
}

fn rule() -> impl Strategy<Value = RuleDoc> {
    (
        prop_oneof![
            Just("tcp"),
            Just("udp"),
            Just("icmp"),
            Just("all"),
            Just("47"),
            Just("x")
        ],
        of(any::<u16>()),
        of(any::<u16>()),
        of(any::<u8>()),
        of(any::<u8>()),
        of(text(4)),
        of(text(8)),
    )
        .prop_map(
            |(protocol, from_port, to_port, icmp_type, icmp_code, cidr, group)| RuleDoc {
                protocol: protocol.try_into().expect("short"),
                from_port,
                to_port,
                icmp_type,
                icmp_code,
                cidr,
                group,
            },
        )
}

fn security_group() -> impl Strategy<Value = SecurityGroupDoc> {
    (text(16), list(rule(), 3), list(rule(), 2)).prop_map(|(name, inbound, outbound)| {
        SecurityGroupDoc {
            name,
            inbound,
            outbound,
        }
    })
}

fn step() -> impl Strategy<Value = StepDoc> {
    (of(decimal()), of(decimal()), any::<i32>()).prop_map(
        |(lower_bound, upper_bound, adjustment)| StepDoc {
            lower_bound,
            upper_bound,
            adjustment,
        },
    )
}

fn policy() -> impl Strategy<Value = PolicyDoc> {
    (
        prop_oneof![
            Just(PolicyKind::Simple),
            Just(PolicyKind::Step),
            Just(PolicyKind::TargetTracking)
        ],
        of(prop_oneof![
            Just(AdjustmentType::ChangeInCapacity),
            Just(AdjustmentType::PercentChangeInCapacity)
        ]),
        (of(any::<i32>()), of(any::<u32>()), of(any::<u32>())),
        of(list(step(), 3)),
        of(Just(Aggregation::Minimum)),
        (
            of(any::<u32>()),
            of(any::<u8>()),
            of(decimal()),
            of(any::<bool>()),
        ),
    )
        .prop_map(
            |(kind, adjustment_type, (adjustment, cooldown_s, mag), steps, aggregation, tt)| {
                PolicyDoc {
                    kind,
                    adjustment_type,
                    adjustment,
                    cooldown_s,
                    min_adjustment_magnitude: mag,
                    steps,
                    aggregation,
                    warmup_s: tt.0,
                    metric: tt.1,
                    target: tt.2,
                    disable_scale_in: tt.3,
                    hpa: None,
                    behavior: None,
                }
            },
        )
}

fn action() -> impl Strategy<Value = ScheduledActionDoc> {
    (
        text(16),
        of(prop_oneof![
            Just("0 2 * * *".to_string()),
            Just("*/15 8-17 * * MON-FRI".to_string()),
            "[0-9 *]{0,12}"
        ]),
        of(prop_oneof![
            Just("CET-1CEST,M3.5.0,M10.5.0/3".to_string()),
            "[A-Z0-9,.+-]{0,12}"
        ]),
        of(prop_oneof![
            Just("2026-03-01T08:00:00Z".to_string()),
            "[0-9TZ:-]{0,20}"
        ]),
        of(Just("2027-03-01T08:00:00Z".to_string())),
        (of(any::<u32>()), of(any::<u32>()), of(any::<u32>())),
    )
        .prop_map(
            |(name, recurrence, time_zone, start, end, (min, max, desired))| {
                let short = |s: String| s.as_str().try_into().expect("short");
                ScheduledActionDoc {
                    name,
                    recurrence: recurrence.map(short),
                    time_zone: time_zone.map(short),
                    start_time: start.map(|s| s.as_str().try_into().expect("20 bytes")),
                    end_time: end.map(|s| s.as_str().try_into().expect("20 bytes")),
                    min_size: min,
                    max_size: max,
                    desired_capacity: desired,
                }
            },
        )
}

fn metric() -> impl Strategy<Value = MetricDoc> {
    (
        text(8),
        prop_oneof![Just(60_u32), Just(10), Just(300), any::<u32>()],
        prop_oneof![Just(Source::Members), Just(Source::Group)],
    )
        .prop_map(|(name, period_s, source)| MetricDoc {
            name,
            period_s,
            source,
        })
}

fn alarm() -> impl Strategy<Value = AlarmDoc> {
    (
        0_u8..5,
        prop_oneof![
            Just(Comparison::GreaterThanOrEqual),
            Just(Comparison::LessThan)
        ],
        decimal(),
        (0_u32..6, of(0_u32..6)),
        prop_oneof![Just(Statistic::Average), Just(Statistic::Maximum)],
        prop_oneof![Just(MissingData::Missing), Just(MissingData::NotBreaching)],
        0_u8..4,
    )
        .prop_map(
            |(metric, comparison, threshold, (n, m), statistic, missing_data, policy)| AlarmDoc {
                metric,
                comparison,
                threshold,
                evaluation_periods: n,
                datapoints_to_alarm: m,
                statistic,
                missing_data,
                policy,
            },
        )
}

fn predictive() -> impl Strategy<Value = PredictiveDoc> {
    (
        0_u8..5,
        prop_oneof![Just(Mode::ForecastOnly), Just(Mode::ForecastAndScale)],
        decimal(),
        prop_oneof![Just(300_u32), any::<u32>()],
        of(0_u32..120),
    )
        .prop_map(
            |(metric, mode, target_per_member, buffer_s, max_capacity_buffer_percent)| {
                PredictiveDoc {
                    metric,
                    mode,
                    target_per_member,
                    buffer_s,
                    max_capacity_buffer_percent,
                }
            },
        )
}

fn hook() -> impl Strategy<Value = HookDoc> {
    (
        prop_oneof![
            Just(HookTransition::Launching),
            Just(HookTransition::Terminating)
        ],
        prop_oneof![Just(3600_u32), 0_u32..8000],
        prop_oneof![Just(HookResult::Continue), Just(HookResult::Abandon)],
    )
        .prop_map(
            |(transition, heartbeat_timeout_s, default_result)| HookDoc {
                transition,
                heartbeat_timeout_s,
                default_result,
            },
        )
}

fn warm_pool() -> impl Strategy<Value = WarmPoolDoc> {
    (
        0_u32..20,
        of(0_u32..20),
        prop_oneof![Just(PoolState::Stopped), Just(PoolState::Hibernated)],
        any::<bool>(),
    )
        .prop_map(
            |(min_size, max_group_prepared_capacity, pool_state, reuse_on_scale_in)| WarmPoolDoc {
                min_size,
                max_group_prepared_capacity,
                pool_state,
                reuse_on_scale_in,
            },
        )
}

fn group() -> impl Strategy<Value = GroupDoc> {
    (
        (
            text(16),
            text(16),
            prop_oneof![Just("$Default"), Just("$Latest"), Just("3")],
        ),
        (any::<u32>(), any::<u32>(), of(any::<u32>())),
        list(text(8), 3),
        (
            any::<u32>(),
            any::<u32>(),
            of(any::<u32>()),
            of(any::<u32>()),
        ),
        list(
            prop_oneof![
                Just(TerminationPolicy::Default),
                Just(TerminationPolicy::OldestInstance),
                Just(TerminationPolicy::NewestInstance)
            ],
            3,
        ),
        any::<bool>(),
        list(policy(), 3),
        list(action(), 2),
        (
            list(metric(), 3),
            list(alarm(), 2),
            of(predictive()),
            list(hook(), 2),
            of(warm_pool()),
        ),
    )
        .prop_map(
            |(
                (name, lt, version),
                (min, max, desired),
                zones,
                times,
                term,
                protect,
                pol,
                act,
                (metrics, alarms, predictive, hooks, warm),
            )| {
                GroupDoc {
                    name,
                    launch_template: lt,
                    launch_template_version: version.try_into().expect("short"),
                    min_size: min,
                    max_size: max,
                    desired_capacity: desired,
                    zones,
                    health_check_grace_period_s: times.0,
                    default_cooldown_s: times.1,
                    default_instance_warmup_s: times.2,
                    termination_policies: term,
                    new_instances_protected_from_scale_in: protect,
                    max_instance_lifetime_s: times.3,
                    metrics,
                    policies: pol,
                    alarms,
                    scheduled_actions: act,
                    predictive,
                    lifecycle_hooks: hooks,
                    warm_pool: warm,
                    purchase: None,
                }
            },
        )
}

fn controller() -> impl Strategy<Value = ControllerDoc> {
    (
        list(instance_type(), 2),
        list(template(), 2),
        list(security_group(), 2),
        list(group(), 2),
    )
        .prop_map(
            |(instance_types, launch_templates, security_groups, groups)| ControllerDoc {
                instance_types,
                launch_templates,
                security_groups,
                groups,
                simulation: None,
                schema: None,
            },
        )
}

fn serialise(doc: &ControllerDoc) -> Vec<u8> {
    // The read limit covers the writer's largest output (issue 18 item 6).
    let mut buf = vec![0_u8; config::MAX_DOCUMENT];
    let n = config::to_slice(doc, &mut buf).expect("the limit covers the output");
    buf.truncate(n);
    buf
}

#[allow(clippy::needless_pass_by_value)] // the runner hands values over
fn round_trip_gives_equal_documents(doc: ControllerDoc) -> Result<(), TestCaseError> {
    let json = serialise(&doc);
    let again: ControllerDoc = config::decode(&json)
        .map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&json))))?;
    prop_assert_eq!(&again, &doc);
    // Validity survives the round trip.
    prop_assert_eq!(
        config::from_slice::<ControllerDoc>(&json).is_ok(),
        doc.check().is_ok()
    );
    // And so do the single documents.
    for g in &doc.groups {
        let mut buf = vec![0_u8; config::MAX_DOCUMENT];
        let n = config::to_slice(g, &mut buf).expect("fits");
        let back: GroupDoc = config::decode(&buf[..n]).expect("decodes");
        prop_assert_eq!(&back, g);
    }
    Ok(())
}

fn prefixes_are_truncated(
    (doc, cut): (ControllerDoc, prop::sample::Index),
) -> Result<(), TestCaseError> {
    let json = serialise(&doc);
    let at = cut.index(json.len());
    let e = config::decode::<ControllerDoc>(&json[..at]).expect_err("a prefix is not a document");
    prop_assert_eq!(e.error, ConfigError::Truncated);
    prop_assert_eq!(e.location.offset, at);
    Ok(())
}

fn corrupted_bytes_never_panic(
    (doc, at, byte): (ControllerDoc, prop::sample::Index, u8),
) -> Result<(), TestCaseError> {
    let mut json = serialise(&doc);
    let i = at.index(json.len());
    json[i] = byte;
    match config::from_slice::<ControllerDoc>(&json) {
        Ok(parsed) => {
            let again: ControllerDoc = config::decode(&serialise(&parsed)).expect("own output");
            prop_assert_eq!(again, parsed);
        }
        Err(e) => {
            prop_assert!(e.location.offset <= json.len());
            prop_assert!(e.location.line >= 1 && e.location.column >= 1);
        }
    }
    Ok(())
}

/// Runs `test` over `strategy` on a thread with a large stack: a whole `ControllerDoc` is
/// 26 KiB, and serde's derived code moves it through many frames in an unoptimised build.
fn run<S: Strategy + Send + 'static>(strategy: S, test: fn(S::Value) -> Result<(), TestCaseError>) {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut runner =
                proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(256));
            if let Err(e) = runner.run(&strategy, test) {
                panic!("{e}");
            }
        })
        .expect("thread")
        .join()
        .expect("property holds");
}

#[test]
fn round_trip() {
    run(controller(), round_trip_gives_equal_documents);
}

#[test]
fn prefixes() {
    run(
        (controller(), any::<prop::sample::Index>()),
        prefixes_are_truncated,
    );
}

#[test]
fn corruption() {
    run(
        (controller(), any::<prop::sample::Index>(), any::<u8>()),
        corrupted_bytes_never_panic,
    );
}

proptest! {
    /// Prices are millionths read from and written as JSON numbers: every amount up to 10^9
    /// reads back to the same millionth (issue 18, item 6: round trips hold).
    #[test]
    fn purchase_prices_round_trip_exactly(micros in proptest::collection::vec(0u64..=1_000_000_000_000_000, 1..6)) {
        let entries: std::vec::Vec<String> = micros
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let name = ["m5.large", "c5.large", "t3.micro", "m5.xlarge", "c5.xlarge", "t3.small"][i];
                format!(r#"{{"instance_type": "{name}", "price": {}.{:06}}}"#, m / 1_000_000, m % 1_000_000)
            })
            .collect();
        let text = format!(
            r#"{{"name": "g", "launch_template": "lt", "min_size": 0, "max_size": 2, "zones": ["z"], "purchase": {{"on_demand": [{}]}}}}"#,
            entries.join(", ")
        );
        let doc = config::from_slice::<GroupDoc>(text.as_bytes()).unwrap();
        let got: std::vec::Vec<u64> = doc.purchase.as_ref().unwrap().on_demand.iter().map(|p| p.price).collect();
        prop_assert_eq!(&got, &micros);
        let mut buf = vec![0u8; 16 * 1024];
        let n = config::to_slice(&doc, &mut buf).unwrap();
        prop_assert_eq!(config::from_slice::<GroupDoc>(&buf[..n]).unwrap(), doc);
    }
}
