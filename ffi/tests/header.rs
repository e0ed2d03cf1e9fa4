//! The committed header `include/fleetcore.h` must be exactly what cbindgen generates from the
//! source today. Run with `FLEETCORE_BLESS=1` to rewrite it after changing the C ABI.
//!
//! The enumerations of the core's vocabulary (`fleetcore::vocab`) are not written twice: their
//! `FC_*` enumerators are generated here from the core's own numbers and spellings and put
//! after the includes; cbindgen writes the rest from `ffi/src`.

#[path = "../../core/tests/support/golden_file.rs"]
mod golden_file;

use std::ffi::CStr;
use std::fmt::Write as _;
use std::path::Path;

use fleetcore::vocab::Vocabulary;

/// One C enumeration generated from a core vocabulary enum: its C name, its doc line, whether
/// its numbers are mask bits (written `(1 << k)`), a C-only first enumerator (`UNKNOWN = 0`:
/// its Rust-style name and doc line) if any, and for each value (by number) the Rust variant,
/// canonical spelling and aliases.
struct CEnum {
    name: &'static str,
    doc: &'static str,
    bits: bool,
    leading: Option<(&'static str, &'static str)>,
    values: Vec<(u32, &'static str, &'static str, &'static [&'static str])>,
}

fn c_enum<T: Vocabulary>(name: &'static str, doc: &'static str) -> CEnum {
    let mut values: Vec<_> = T::ALL
        .iter()
        .map(|v| (v.number(), v.ident(), v.as_str(), v.aliases()))
        .collect();
    values.sort_by_key(|v| v.0);
    CEnum {
        name,
        doc,
        bits: false,
        leading: None,
        values,
    }
}

/// A vocabulary enum whose C type first has enumerator `ident = 0` (documented `doc`), a value
/// only C has (a number this build of the C ABI does not know); the core's numbers start at 1.
fn c_enum_after<T: Vocabulary>(
    name: &'static str,
    doc: &'static str,
    ident: &'static str,
    ident_doc: &'static str,
) -> CEnum {
    let e = c_enum::<T>(name, doc);
    assert!(
        e.values.iter().all(|v| v.0 != 0),
        "{name}: 0 is the C-only {ident}"
    );
    CEnum {
        leading: Some((ident, ident_doc)),
        ..e
    }
}

/// A vocabulary enum of which C names all values but `omit` (Rust variant names): those C
/// reaches through a function of their own (`Failed` reports carry a reason).
fn c_enum_without<T: Vocabulary>(name: &'static str, doc: &'static str, omit: &[&str]) -> CEnum {
    let mut e = c_enum::<T>(name, doc);
    let before = e.values.len();
    e.values.retain(|v| !omit.contains(&v.1));
    assert_eq!(
        before - e.values.len(),
        omit.len(),
        "{name}: omit names variants"
    );
    e
}

/// A vocabulary enum whose numbers are the bits of a mask.
fn c_bits<T: Vocabulary>(name: &'static str, doc: &'static str) -> CEnum {
    CEnum {
        bits: true,
        ..c_enum::<T>(name, doc)
    }
}

/// Every vocabulary enum C sees, with the doc line its C type carries, sorted by C name.
fn vocabulary() -> Vec<CEnum> {
    let mut all = config_vocabulary();
    all.extend(state_vocabulary());
    all.extend(kind_vocabulary());
    all.sort_by_key(|e| e.name);
    all
}

/// The enums a configuration document names.
fn config_vocabulary() -> Vec<CEnum> {
    use fleetcore::catalog::Category;
    use fleetcore::group::{HookResult, HookTransition, PoolState, Source, TerminationPolicy};
    use fleetcore::lifecycle::{InterruptionBehavior, ShutdownBehavior, SpotRequestType};
    use fleetcore::purchase::{
        MarketKind, OnDemandStrategy, Payment, SpotStrategy, Term, UpfrontAccounting,
    };
    use fleetcore::scaling::hpa::{PolicyKind, SelectPolicy};
    use fleetcore::scaling::predictive::Mode;
    use fleetcore::scaling::{AdjustmentType, Aggregation, Comparison, MissingData, Statistic};
    vec![
        c_enum::<AdjustmentType>(
            "fc_adjustment_type",
            "`AdjustmentType` of a simple or step policy.",
        ),
        c_enum::<Aggregation>(
            "fc_aggregation",
            "`MetricAggregationType` of a step policy.",
        ),
        c_enum::<Category>(
            "fc_category",
            "The instance type category (`fc_instance_type.category`), as the EC2 User Guide \
             groups families.",
        ),
        c_enum::<Comparison>("fc_comparison", "`ComparisonOperator` of an alarm."),
        c_enum::<HookResult>("fc_hook_result", "A lifecycle hook's answer."),
        c_enum::<HookTransition>(
            "fc_hook_transition",
            "Which lifecycle transition a hook pauses.",
        ),
        c_enum::<PolicyKind>(
            "fc_hpa_policy_kind",
            "`HPAScalingPolicyType` (`fc_hpa_rate_policy.kind`).",
        ),
        c_enum::<SelectPolicy>(
            "fc_hpa_select",
            "`ScalingPolicySelect` (`fc_hpa_rules.select`).",
        ),
        c_enum::<InterruptionBehavior>(
            "fc_interruption_behavior",
            "What a Spot interruption does (`fc_imds_metadata.spot_action`, \
             `fc_template_data.spot_interruption`).",
        ),
        c_enum::<MarketKind>(
            "fc_market",
            "How an instance is bought (`fc_group_action.market`, `fc_group_member.market`).",
        ),
        c_enum::<Source>(
            "fc_metric_source",
            "Who reports a metric (`fc_group_put_metric`).",
        ),
        c_enum::<MissingData>("fc_missing_data", "`TreatMissingData` of an alarm."),
        c_enum::<OnDemandStrategy>(
            "fc_on_demand_strategy",
            "`OnDemandAllocationStrategy` (`fc_mixed_instances.on_demand_strategy`).",
        ),
        c_enum::<PoolState>(
            "fc_pool_state",
            "What a warm pool keeps its instances as (`fc_warm_pool.pool_state`).",
        ),
        c_enum::<Mode>("fc_predictive_mode", "`Mode` of a predictive policy."),
        c_enum::<Payment>(
            "fc_reservation_payment",
            "The payment option of a reservation (`fc_reservation.payment`).",
        ),
        c_enum::<Term>(
            "fc_reservation_term",
            "The term of a reservation (`fc_reservation.term`); no auto-renewal.",
        ),
        c_enum::<ShutdownBehavior>(
            "fc_shutdown_behavior",
            "What an OS shutdown does (`InstanceInitiatedShutdownBehavior`).",
        ),
        c_enum::<SpotRequestType>("fc_spot_request", "`SpotMarketOptions.SpotInstanceType`."),
        c_enum::<SpotStrategy>(
            "fc_spot_strategy",
            "`SpotAllocationStrategy` (`fc_mixed_instances.spot_strategy`).",
        ),
        c_enum::<Statistic>("fc_statistic", "`Statistic` of an alarm."),
        c_enum::<TerminationPolicy>(
            "fc_termination_policy",
            "`TerminationPolicies` values (`fc_group_config.termination_policies`).",
        ),
        c_enum::<UpfrontAccounting>(
            "fc_upfront_accounting",
            "When an upfront reservation charge shows in the ledger (`fc_group_set_prices`).",
        ),
    ]
}

/// The enums of states, reports and requests (processes, instance states, IMDS options ...).
fn state_vocabulary() -> Vec<CEnum> {
    use fleetcore::catalog::{Architecture, BootMode, RootDeviceType};
    use fleetcore::group::{HealthSource, MemberState, Process, RefreshStatus};
    use fleetcore::imds::{HttpEndpoint, HttpTokens, InstanceMetadataTags};
    use fleetcore::lifecycle::{InstanceState, Operation};
    use fleetcore::network::Direction;
    use fleetcore::purchase::SpotSignal;
    use fleetcore::scaling::AlarmState;
    vec![
        c_enum::<AlarmState>(
            "fc_alarm_state",
            "`StateValue` of an alarm (`fc_group_alarm_state`).",
        ),
        c_enum::<Architecture>(
            "fc_architecture",
            "An image's processor architecture (`fc_image.architecture`).",
        ),
        c_enum::<BootMode>(
            "fc_boot_mode",
            "The firmware an image boots with (`fc_image.boot_mode`).",
        ),
        c_enum::<Direction>(
            "fc_direction",
            "Which way a rule or packet goes, seen from the interface.",
        ),
        c_enum::<HealthSource>(
            "fc_health_source",
            "Who found a member unhealthy (`fc_group_event.health_source`).",
        ),
        c_enum::<HttpEndpoint>(
            "fc_http_endpoint",
            "`HttpEndpoint` (`fc_imds_options.http_endpoint`).",
        ),
        c_enum::<HttpTokens>(
            "fc_http_tokens",
            "`HttpTokens` (`fc_imds_options.http_tokens`).",
        ),
        c_enum::<InstanceMetadataTags>(
            "fc_instance_metadata_tags",
            "`InstanceMetadataTags` (`fc_imds_options.instance_metadata_tags`).",
        ),
        c_enum::<InstanceState>(
            "fc_instance_state",
            "The six EC2 instance states with their `InstanceState.Code` values; functions take \
             and return them as `uint32_t`.",
        ),
        c_enum_after::<MemberState>(
            "fc_member_state",
            "A member's `LifecycleState` (`fc_group_member.state`).",
            "Unknown",
            "A state this build of the C ABI has no number for (a newer core).",
        ),
        c_enum_after::<Operation>(
            "fc_operation",
            "What caused a state change (`fc_state_change.cause`).",
            "Unknown",
            "A cause this build of the C ABI has no number for (a newer core).",
        ),
        c_bits::<Process>(
            "fc_process",
            "A suspendable process, as a bit of the masks `fc_group_suspend_processes`, \
             `fc_group_resume_processes` and `fc_group_info.suspended_processes` use.",
        ),
        c_enum_after::<RefreshStatus>(
            "fc_refresh_status",
            "An instance refresh's `Status` (`fc_instance_refresh.status`).",
            "Unknown",
            "A status this build of the C ABI has no number for (a newer core).",
        ),
        c_enum::<RootDeviceType>(
            "fc_root_device_type",
            "Where an image's root volume lives (`fc_image.root_device_type`, \
             `fc_launch_spec.root_device_type`).",
        ),
        c_enum::<SpotSignal>(
            "fc_spot_signal",
            "What EC2 has told a Spot member (`fc_group_member.spot_signal`).",
        ),
    ]
}

/// The kinds of the core's data enums (reports, actions, events, execution results, rules'
/// traffic, verdicts, reservation scopes, member metrics, IMDS replies), the state reasons a
/// failed report carries, network id and document kinds.
fn kind_vocabulary() -> Vec<CEnum> {
    use fleetcore::config::DocKind;
    use fleetcore::group::{ActionKind, EventKind, ExecutedKind};
    use fleetcore::imds::ServedKind;
    use fleetcore::lifecycle::{ReportKind, StateReason};
    use fleetcore::network::{NetIdKind, TrafficKind, VerdictReason};
    use fleetcore::purchase::ScopeKind;
    use fleetcore::scaling::hpa::MemberMetricState;
    vec![
        c_enum::<DocKind>(
            "fc_config_kind",
            "Which document `fc_config_check` reads (Python's `kind`).",
        ),
        c_enum::<ServedKind>(
            "fc_imds_reply",
            "What `fc_imds_serve` did (`fc_imds_served.kind`).",
        ),
        c_enum::<MemberMetricState>(
            "fc_member_metric_state",
            "What one member reports (`fc_member_metric.state`).",
        ),
        c_enum::<ScopeKind>(
            "fc_reservation_scope",
            "Where a reservation applies (`fc_reservation.scope`).",
        ),
        c_enum::<NetIdKind>(
            "fc_net_id_kind",
            "What kind of id `fc_net_id_format` writes (`FC_NET_ID_KIND_*`).",
        ),
        c_enum::<TrafficKind>(
            "fc_rule_protocol",
            "What traffic a rule allows (`fc_sg_rule.protocol`).",
        ),
        c_enum_after::<VerdictReason>(
            "fc_verdict_reason",
            "Why a packet passed or was dropped (`fc_verdict.reason`).",
            "Unknown",
            "A reason this build of the C ABI has no number for (a newer core).",
        ),
        c_enum::<ExecutedKind>(
            "fc_executed_kind",
            "What `fc_group_execute_policy` did (`fc_executed.kind`).",
        ),
        c_enum_after::<ActionKind>(
            "fc_group_action_kind",
            "What an `fc_group_action` asks for (`fc_group_action.kind`).",
            "Unknown",
            "An action this build of the C ABI has no number for (a newer core).",
        ),
        c_enum::<EventKind>(
            "fc_group_event_kind",
            "What the world reports about a member (`fc_group_event.kind`).",
        ),
        c_enum_without::<ReportKind>(
            "fc_report",
            "A report from the world about one instance (`fc_fleet_report`); a failed launch or \
             start has its own function, `fc_fleet_report_failed`.",
            &["Failed"],
        ),
        c_enum_after::<StateReason>(
            "fc_state_reason",
            "`StateReason.Code`: why an instance last changed state (`fc_state_change.reason`, \
             `fc_fleet_report_failed`).",
            "None",
            "No reason given (only valid in `fc_state_change.reason`).",
        ),
    ]
}

/// `OldestInstance` as `OLDEST_INSTANCE` (cbindgen's `ScreamingSnakeCase`).
fn screaming(ident: &str) -> String {
    let mut out = String::new();
    for (i, c) in ident.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// The C text of the vocabulary enums, in cbindgen's shape (`typedef enum fc_x { ... } fc_x;`).
fn vocabulary_text() -> String {
    let mut out = String::from(
        "\n/* The core's vocabulary: each value's number and names come from the core (fleetcore::vocab);\n \
         * functions take and return them as uint32_t. */\n",
    );
    for e in vocabulary() {
        let prefix = screaming(e.name.trim_start_matches("fc_")).replace("FC_", "");
        let _ = write!(out, "\n/// {}\ntypedef enum {} {{\n", e.doc, e.name);
        if let Some((ident, doc)) = e.leading {
            let _ = write!(
                out,
                "  /// {doc}\n  FC_{prefix}_{} = 0,\n",
                screaming(ident)
            );
        }
        for (number, ident, canonical, aliases) in &e.values {
            let _ = write!(out, "  /// `{canonical}`");
            if !aliases.is_empty() {
                let quoted: Vec<String> = aliases.iter().map(|a| format!("`{a}`")).collect();
                let _ = write!(out, " (also {})", quoted.join(", "));
            }
            let value = if e.bits && number.is_power_of_two() {
                format!("(1 << {})", number.trailing_zeros())
            } else {
                number.to_string()
            };
            let _ = write!(out, ".\n  FC_{prefix}_{} = {value},\n", screaming(ident));
        }
        let _ = writeln!(out, "}} {};", e.name);
    }
    out
}

fn generate() -> String {
    let crate_dir = env!("CARGO_MANIFEST_DIR");
    let mut config = cbindgen::Config::from_file(Path::new(crate_dir).join("cbindgen.toml"))
        .expect("cbindgen.toml parses");
    let mut after = config.after_includes.take().unwrap_or_default();
    after.push_str(&vocabulary_text());
    config.after_includes = Some(after);
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("the header is UTF-8")
}

#[test]
fn committed_header_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/fleetcore.h");
    golden_file::check(
        &path,
        &generate(),
        "cargo test -p fleetcore-ffi --test header",
    );
}

/// Every `FC_STATUS_*` constant the header declares is a status `fc_status_message` has text
/// for: the boundary's own, or a code the core produces.
#[test]
fn every_status_in_the_header_has_a_message() {
    let header = generate();
    let mut declared = 0;
    for line in header.lines() {
        let Some(rest) = line.trim().strip_prefix("#define FC_STATUS_") else {
            continue;
        };
        let Some((name, value)) = rest.split_once(' ') else {
            continue;
        };
        if name == "MESSAGE_SIZE" {
            continue;
        }
        let value: u32 = value.parse().expect("a numeric status");
        assert!(message(value).is_some(), "FC_STATUS_{name}");
        declared += 1;
    }
    assert!(declared > 20, "{declared}");
    assert_eq!(message(1210), None);
}

fn message(code: u32) -> Option<String> {
    let mut buf = [0 as std::ffi::c_char; fleetcore_ffi::FC_STATUS_MESSAGE_SIZE];
    let mut n = 0;
    // SAFETY: `buf` and `n` are live locals of the sizes passed.
    let status =
        unsafe { fleetcore_ffi::fc_status_message(code, buf.as_mut_ptr(), buf.len(), &raw mut n) };
    (status.code() == fleetcore_ffi::FC_STATUS_OK).then(|| {
        // SAFETY: on success the buffer holds NUL-terminated text.
        let text = unsafe { CStr::from_ptr(buf.as_ptr()) };
        text.to_str().expect("messages are UTF-8").to_owned()
    })
}
