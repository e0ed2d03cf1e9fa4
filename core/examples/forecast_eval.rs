//! Compares the predictive-scaling forecaster (SEMANTICS §3.7) with the forecasts people use,
//! on every shared NAB trace: rolling origin every 6 hours, 48-hour horizon, at most 14 days
//! of history (protocol: `tests/support/traces.rs`). Prints a Markdown table of WAPE and the
//! under-forecast rate per method per trace: the forecaster, seasonal naive 24 h and 168 h,
//! the mean of the same hour over the last 7 days, and Holt-Winters additive (24 h season).
//! Then the same table on the "outside series" of `core/examples/data/` (real series that are
//! not in the shared traces and were not used to choose the model; sources in its README.md).
//!
//! `cargo run -p fleetcore --example forecast_eval --release`

#[path = "../tests/support/traces.rs"]
mod traces;

fn main() {
    let results: Vec<_> = traces::TRACES
        .iter()
        .map(|&name| (name, traces::evaluate(name)))
        .collect();
    print!("{}", traces::table(&results));
    let outside: Vec<_> = traces::OUTSIDE
        .iter()
        .map(|&name| (name, traces::evaluate_outside(name)))
        .collect();
    println!("\noutside series (core/examples/data):\n");
    print!("{}", traces::table(&outside));
    let missing: u32 = results.iter().chain(&outside).map(|(_, e)| e.missing).sum();
    println!("\nhours without a model forecast: {missing}");
    if let Some((_, e)) = results.first() {
        println!("size_of::<Forecaster>() = {} bytes", e.forecaster_bytes);
    }
}
