//! The smallest useful controller, for BENCHMARKS.md's flash and RAM figures: an Auto Scaling
//! group of 8 with a target-tracking policy on CPU, driven for an hour of one-minute ticks with
//! boot reports and CPU samples. It uses only the group, its lifecycle and the scaling
//! decisions (no IMDS, network, simulator, configuration documents or snapshots), so its size is
//! that part of the core. Exits 0 when the group scaled out and back in as expected.

#![no_std]
#![no_main]

use cortex_m as _; // the critical-section implementation
use cortex_m_rt::entry;
use fleetcore::Instant;
use fleetcore::group::{Action, Event, Group, GroupConfig, ScalingPolicy, Source};
use fleetcore::id::TemplateId;
use fleetcore::scaling::Value;
use fleetcore::scaling::target::TargetTracking;
use fleetcore::time::Duration;
use fleetcore_firmware::stack;
use semihosting::{println, process};

fn run() -> Option<(u32, u32)> {
    let config = GroupConfig::new(1, 8, TemplateId::from_u64(1), "zone-a").ok()?;
    let mut group = Group::<8>::new(config, 7).ok()?;
    let cpu = group.put_metric("CPU", Duration::from_secs(60), Source::Members).ok()?;
    group
        .put_scaling_policy(ScalingPolicy::TargetTracking {
            metric: cpu,
            tracking: TargetTracking { target: Value::from_int(50), disable_scale_in: false },
            warmup: Some(Duration::from_secs(60)),
            hpa: None,
        })
        .ok()?;
    let mut peak = 0;
    for minute in 0..60u64 {
        let now = Instant::from_secs(minute * 60);
        // Busy for the first 20 minutes, then idle.
        let load = if minute < 20 { 90 } else { 10 };
        let _ = group.record_in_service(now, cpu, Value::from_int(load));
        let mut out: heapless_out::Out = heapless_out::Out::new();
        group.tick(now, &mut out);
        for action in &out {
            if let Action::Launch { id, .. } = *action {
                let _ = group.observe(now, Event::Booted(id));
            }
        }
        peak = peak.max(group.desired());
    }
    Some((peak, group.desired()))
}

/// The action buffer, from the core's own heapless.
mod heapless_out {
    /// Room for one tick's actions.
    pub type Out = heapless::Vec<fleetcore::group::Action, 16>;
}

#[entry]
fn main() -> ! {
    let result = run();
    let s = stack::high_water();
    println!("group_only: peak and final desired capacity {result:?}");
    println!("info: stack high-water {} of {} bytes", s.used, s.size);
    let ok = result.is_some_and(|(peak, last)| peak > 1 && last < peak);
    process::exit(i32::from(!ok))
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    println!("panic: {info}");
    process::exit(101)
}
