//! Evaluates the predictive-scaling forecaster (SEMANTICS §3.7) on the shared NAB traces:
//! rolling origin every 6 hours, 48-hour horizon, at most 14 days of history, against
//! seasonal-naive forecasts with 24 h and 168 h seasons (protocol: `tests/support/traces.rs`).
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
    let zero: u32 = results.iter().map(|(_, e)| e.zero_actual).sum();
    let missing: u32 = results.iter().map(|(_, e)| e.missing).sum();
    println!(
        "hours with zero actual (left out of MAPE): {zero}; hours without a model forecast: \
         {missing}"
    );
    if let Some((_, e)) = results.first() {
        println!("size_of::<Forecaster>() = {} bytes", e.forecaster_bytes);
    }
}
