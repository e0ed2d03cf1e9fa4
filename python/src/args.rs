//! Integer arguments from Python, range-checked with the argument's name (issue 19).
//!
//! pyo3's conversion to a Rust integer raises a bare `OverflowError` ("out of range integral
//! type conversion attempted") that names neither the argument nor its range. Every integer
//! parameter of the module is read with `#[pyo3(from_py_with = crate::args::NAME_TYPE)]`
//! instead: one function per parameter name and type (so the message can name it), each
//! reading any Python int (anything with `__index__`) and raising
//! [`crate::errors::ArgumentError`] (a `ValueError`, `.code` 11) when it is out of range.
//! Non-integers raise `TypeError` as before. Signatures, defaults and stubs are unchanged.

use pyo3::prelude::*;

use crate::errors::Int;

/// Defines `NAME_TYPE(obj)` readers for required and `opt_NAME_TYPE(obj)` for optional
/// integer arguments.
macro_rules! int_args {
    ($($f:ident, $opt:ident: $name:ident $t:ty;)*) => {$(
        #[doc = concat!("Reads argument `", stringify!($name), "` as `", stringify!($t), "`.")]
        ///
        /// # Errors
        /// `ArgumentError` out of range, `TypeError` for a non-integer.
        #[allow(dead_code)] // Each parameter uses one of the pair.
        pub fn $f(obj: &Bound<'_, PyAny>) -> PyResult<$t> {
            obj.extract::<Int>()?.get(obj.py(), stringify!($name))
        }

        #[doc = concat!(
            "Reads optional argument `", stringify!($name), "` as `", stringify!($t),
            "` (`None` stays `None`)."
        )]
        ///
        /// # Errors
        /// As the required reader.
        #[allow(dead_code)] // Each parameter uses one of the pair.
        pub fn $opt(obj: &Bound<'_, PyAny>) -> PyResult<Option<$t>> {
            if obj.is_none() {
                return Ok(None);
            }
            $f(obj).map(Some)
        }
    )*};
}

int_args! {
    accelerators_u8, opt_accelerators_u8: accelerators u8;
    adjustment_i32, opt_adjustment_i32: adjustment i32;
    ami_launch_index_u32, opt_ami_launch_index_u32: ami_launch_index u32;
    capacity_u32, opt_capacity_u32: capacity u32;
    code_u16, opt_code_u16: code u16;
    count_u16, opt_count_u16: count u16;
    current_u32, opt_current_u32: current u32;
    datapoints_to_alarm_u32, opt_datapoints_to_alarm_u32: datapoints_to_alarm u32;
    desired_u32, opt_desired_u32: desired u32;
    desired_capacity_u32, opt_desired_capacity_u32: desired_capacity u32;
    device_index_u8, opt_device_index_u8: device_index u8;
    device_number_u32, opt_device_number_u32: device_number u32;
    dst_port_u16, opt_dst_port_u16: dst_port u16;
    evaluation_periods_u32, opt_evaluation_periods_u32: evaluation_periods u32;
    groups_per_eni_u8, opt_groups_per_eni_u8: groups_per_eni u8;
    hook_u8, opt_hook_u8: hook u8;
    hop_limit_u8, opt_hop_limit_u8: hop_limit u8;
    hops_u8, opt_hops_u8: hops u8;
    horizon_usize, opt_horizon_usize: horizon usize;
    icmp_code_u8, opt_icmp_code_u8: icmp_code u8;
    icmp_type_u8, opt_icmp_type_u8: icmp_type u8;
    ipv4_per_eni_u8, opt_ipv4_per_eni_u8: ipv4_per_eni u8;
    max_capacity_buffer_u32, opt_max_capacity_buffer_u32: max_capacity_buffer u32;
    max_group_prepared_capacity_i64, opt_max_group_prepared_capacity_i64: max_group_prepared_capacity i64;
    max_healthy_percentage_u32, opt_max_healthy_percentage_u32: max_healthy_percentage u32;
    max_enis_u8, opt_max_enis_u8: max_enis u8;
    max_replicas_u32, opt_max_replicas_u32: max_replicas u32;
    max_size_u32, opt_max_size_u32: max_size u32;
    max_steps_usize, opt_max_steps_usize: max_steps usize;
    memory_mib_u32, opt_memory_mib_u32: memory_mib u32;
    min_adjustment_magnitude_u32, opt_min_adjustment_magnitude_u32: min_adjustment_magnitude u32;
    min_healthy_percentage_u32, opt_min_healthy_percentage_u32: min_healthy_percentage u32;
    min_replicas_u32, opt_min_replicas_u32: min_replicas u32;
    min_size_u32, opt_min_size_u32: min_size u32;
    network_card_index_u32, opt_network_card_index_u32: network_card_index u32;
    on_demand_base_u32, opt_on_demand_base_u32: on_demand_base u32;
    on_demand_percent_u32, opt_on_demand_percent_u32: on_demand_percent u32;
    policy_u8, opt_policy_u8: policy u8;
    rules_per_group_u16, opt_rules_per_group_u16: rules_per_group u16;
    seed_u64, opt_seed_u64: seed u64;
    spot_pools_u32, opt_spot_pools_u32: spot_pools u32;
    spot_seed_u64, opt_spot_seed_u64: spot_seed u64;
    src_port_u16, opt_src_port_u16: src_port u16;
    target_utilization_u32, opt_target_utilization_u32: target_utilization u32;
    tcp_established_s_u32, opt_tcp_established_s_u32: tcp_established_s u32;
    ttl_s_u32, opt_ttl_s_u32: ttl_s u32;
    udp_s_u32, opt_udp_s_u32: udp_s u32;
    udp_stream_s_u32, opt_udp_stream_s_u32: udp_stream_s u32;
    value_u8, opt_value_u8: value u8;
    vcpus_u16, opt_vcpus_u16: vcpus u16;
    version_u32, opt_version_u32: version u32;
}

/// Reads optional argument `checkpoint_percentages`, a sequence of `u8` (`None` stays `None`).
///
/// # Errors
/// `ArgumentError` for an element out of range, `TypeError` for a non-sequence or a
/// non-integer element.
pub fn opt_checkpoint_percentages_u8s(obj: &Bound<'_, PyAny>) -> PyResult<Option<Vec<u8>>> {
    if obj.is_none() {
        return Ok(None);
    }
    let items: Vec<Int> = obj.extract()?;
    items
        .into_iter()
        .map(|i| i.get(obj.py(), "checkpoint_percentages[...]"))
        .collect::<PyResult<Vec<u8>>>()
        .map(Some)
}
