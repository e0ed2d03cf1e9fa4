//! Predictive scaling on real load (SEMANTICS §3.7): the rolling-origin evaluation of
//! `tests/support/traces.rs` on the shared NAB traces. The forecaster must beat both
//! seasonal-naive baselines (24 h and 168 h seasons) on MAPE for the taxi and load-balancer
//! traces; every trace's figures are printed (`cargo test --test forecast_trace -- --nocapture`).
//! The traces are the project's shared data, found beside the repository (`../shared/traces`)
//! or through `FLEETCORE_TRACES`.

#[path = "support/traces.rs"]
mod traces;

#[test]
fn the_forecast_beats_seasonal_naive_on_taxi_and_load_balancer_traces() {
    let results: Vec<_> = traces::TRACES
        .iter()
        .map(|&name| (name, traces::evaluate(name)))
        .collect();
    print!("{}", traces::table(&results));
    for (name, e) in &results {
        assert!(e.origins > 0, "{name}: no origin");
        assert_eq!(e.missing, 0, "{name}: hours without a forecast");
        assert_eq!(e.hours, e.origins * 48, "{name}: 48 hours per origin");
    }
    for name in ["nyc_taxi.csv", "elb_request_count_8c0756.csv"] {
        let (_, e) = results.iter().find(|(n, _)| *n == name).unwrap();
        let (m, n24, n168) = (e.model.mape(), e.naive24.mape(), e.naive168.mape());
        assert!(
            m < n24 && m < n168,
            "{name}: MAPE {m:.2} % does not beat naive24 {n24:.2} % and naive168 {n168:.2} %"
        );
    }
}
