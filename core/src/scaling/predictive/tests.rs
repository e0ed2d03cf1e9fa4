//! Forecaster behaviour of SEMANTICS §3.7: refresh cadence, the 24-hour minimum, the 48-hour
//! horizon, hourly means, the model's weights and level factor, fixed memory.

// Test arithmetic works on small known numbers.
#![allow(clippy::arithmetic_side_effects)]

use super::*;
use crate::test_prelude::*;

fn at(hour: u64) -> Instant {
    Instant::from_secs(hour * 3600)
}

/// `hours` hours of load `load(h)`, one sample an hour.
fn fed(hours: u64, load: impl Fn(u64) -> i64) -> Forecaster {
    let mut f = Forecaster::new();
    for h in 0..hours {
        f.record(at(h), Value::from_int(load(h))).unwrap();
    }
    f
}

#[test]
fn an_hours_load_is_the_mean_of_its_samples() {
    let mut f = Forecaster::new();
    f.record(at(3), Value::from_int(5)).unwrap();
    f.record(at(3) + Duration::from_secs(1800), Value::from_int(8))
        .unwrap();
    assert_eq!(f.load(3), Some(Value::from_milli(6500)));
    assert_eq!(f.load(2), None);
}

#[test]
fn refresh_needs_a_day_of_history_and_keeps_trying() {
    let mut f = fed(23, |_| 100);
    assert!(!f.refresh(at(23)));
    assert_eq!(f.forecast_48h().count(), 0);
    assert_eq!(f.refreshed_hour(), None);
    f.record(at(23), Value::from_int(100)).unwrap();
    // The hour in progress does not count: a day of history before the origin is needed.
    assert!(!f.refresh(at(23)));
    assert!(f.refresh(at(24)), "retried as soon as a day is there");
    assert_eq!(f.refreshed_hour(), Some(24));
}

#[test]
fn a_refresh_forecasts_48_hours_from_the_current_hour() {
    let mut f = fed(48, |h| i64::try_from(10 * (h % 24)).unwrap());
    assert!(f.refresh(at(48) + Duration::from_secs(1234)));
    let hours: Vec<_> = f.forecast_48h().collect();
    assert_eq!(hours.len(), HORIZON_HOURS);
    assert_eq!(hours.first().map(|x| x.0), Some(48));
    assert_eq!(hours.last().map(|x| x.0), Some(48 + 47));
    for (h, load) in hours {
        // Under a week: the mean of the same hour of the day.
        let expect = i64::try_from(10 * (h % 24)).unwrap();
        assert_eq!(load, Some(Value::from_int(expect)), "hour {h}");
    }
}

#[test]
fn refreshes_come_every_6_hours_and_forecasts_answer_from_the_cache() {
    let mut f = fed(48, |_| 100);
    assert!(f.refresh(at(48)));
    // New load does not move the cached forecast before the next refresh.
    for h in 48..54 {
        f.record(at(h), Value::from_int(400)).unwrap();
        assert!(!f.refresh(at(h) + Duration::from_secs(3599)), "hour {h}");
        assert_eq!(f.forecast(60), Some(Value::from_int(100)));
    }
    assert_eq!(f.refreshed_hour(), Some(48));
    // Past the cached window the forecast is computed from the history: hours 48..53 went
    // up to 400, and every candidate carries some of it.
    assert!(f.forecast(96).is_some_and(|l| l > Value::from_int(100)));
    assert!(f.refresh(at(54)));
    assert_eq!(f.refreshed_hour(), Some(54));
    let (same_hours, later) = (f.forecast(72).unwrap(), f.forecast(78).unwrap());
    assert!(same_hours > Value::from_int(100), "{same_hours:?}");
    assert!(later <= same_hours, "{later:?}");
    assert!(!f.refresh(at(59)));
    assert!(f.refresh(at(70)), "a late call refreshes from its own hour");
    assert_eq!(f.refreshed_hour(), Some(70));
}

#[test]
fn the_weekly_candidate_weighs_older_weeks_half_and_the_last_day_sets_its_level() {
    // Week 0 at 100, week 1 at 400: profile (2 × 400 + 100) / 3 = 300. The last day (400)
    // against the forecast made a day earlier from week 0 alone (100): r = 4, damped to
    // (1 + 4) / 2 = 2.5.
    let o = 14 * 24;
    let f = fed(o, |h| if h < 7 * 24 { 100 } else { 400 });
    assert_eq!(
        Forecaster::leveled(f.profile(o, o), f.level(o, None)),
        Some(750_000)
    );
    // A steady week after a steady week has no level change: 8 days at 100, then a day at
    // 200: r = 2, factor 1.5 on the weekly profile (100).
    let o = 9 * 24;
    let f = fed(o, |h| if h < 8 * 24 { 100 } else { 200 });
    assert_eq!(
        Forecaster::leveled(f.profile(o, o), f.level(o, None)),
        Some(150_000)
    );
    // Under a week it is the plain mean of the same hour of the day.
    let f = fed(72, |h| if h < 24 { 400 } else { 100 });
    assert_eq!(
        Forecaster::leveled(f.profile(72 + 5, 72), f.level(72, None)),
        Some(200_000)
    );
}

#[test]
fn same_history_same_forecast() {
    let load = |h: u64| i64::try_from((h * 7919) % 1000 + 50 * (h % 24)).unwrap();
    let mut a = fed(10 * 24, load);
    let mut b = fed(10 * 24, load);
    assert!(a.refresh(at(10 * 24)));
    assert!(b.refresh(at(10 * 24)));
    assert_eq!(a, b);
    assert!(a.forecast_48h().eq(b.forecast_48h()));
    // The state round-trips through a snapshot encoding unchanged.
    let mut buf = [0u8; 16 * 1024];
    let bytes = postcard::to_slice(&a, &mut buf).unwrap();
    let back: Forecaster = postcard::from_bytes(bytes).unwrap();
    assert_eq!(back, a);
}

#[test]
fn fourteen_days_in_fixed_memory() {
    let mut f = fed(14 * 24, |_| 1);
    assert_eq!(f.span_hours(), 14 * 24);
    assert_eq!(f.load(0), Some(Value::from_int(1)));
    f.record(at(14 * 24), Value::from_int(1)).unwrap();
    assert_eq!(f.span_hours(), 14 * 24, "the oldest hour was dropped");
    assert_eq!(f.load(0), None);
    assert_eq!(f.load(1), Some(Value::from_int(1)));
    println!(
        "size_of::<Forecaster>() = {} bytes",
        core::mem::size_of::<Forecaster>()
    );
}

#[test]
fn an_old_sample_leaves_the_history_unchanged() {
    let mut f = fed(30, |_| 1);
    assert!(f.refresh(at(30)));
    let before = f.clone();
    assert_eq!(
        f.record(at(5), Value::from_int(9)),
        Err(ScalingError::TooOld)
    );
    assert_eq!(f, before);
}

// ----- the candidates and the choice -------------------------------------------------------

#[test]
fn median_of_odd_and_even_counts() {
    assert_eq!(median(&mut [5, 1, 3]), Some(3));
    // Even: the mean of the two middle values, truncated toward zero.
    assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
    assert_eq!(median(&mut [-4, -1]), Some(-2));
    assert_eq!(median(&mut []), None);
    assert_eq!(
        median(&mut [i64::MAX, i64::MAX]),
        Some(i64::MAX),
        "no overflow"
    );
}

#[test]
fn the_network_sorts_every_zero_one_input() {
    // By the 0-1 principle a comparator network that sorts every input of 0s and 1s sorts
    // every input.
    for bits in 0u32..128 {
        let mut v = [0i64; MEDIAN_DAYS];
        for (k, x) in v.iter_mut().enumerate() {
            *x = i64::from((bits >> k) & 1);
        }
        let mut sorted = v;
        sorted.sort_unstable();
        sort7(&mut v);
        assert_eq!(v, sorted, "{bits:07b}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// The median of 7 through the network is the median through the insertion sort.
    #[test]
    fn the_median_of_seven_is_the_sorted_median(
        v in proptest::array::uniform7(proptest::prop_oneof![
            proptest::prelude::any::<i64>(),
            -3i64..3,
        ]),
    ) {
        let mut sorted = v;
        crate::fixed::sort_by_key(&mut sorted, |&x| x);
        let mut fast = v;
        sort7(&mut fast);
        proptest::prop_assert_eq!(fast, sorted);
        let mut w = v;
        proptest::prop_assert_eq!(median(&mut w), sorted.get(3).copied());
    }
}

#[test]
fn the_daily_median_ignores_a_burst_on_one_day() {
    // Six days at 100 at every hour, one day at 10 000: the median is still 100.
    let f = fed(7 * 24, |h| if h / 24 == 3 { 10_000 } else { 100 });
    assert_eq!(f.daily_median(7 * 24 + 5, 7 * 24), Some(100_000));
    // Only the last 7 days count, and the first day back is the first before the origin.
    assert_eq!(f.daily_median(7 * 24 + 30, 7 * 24), Some(100_000));
}

#[test]
fn a_load_that_moves_to_a_new_level_is_followed_at_once() {
    // Ten days at 100, then two at 40. The weekly profile says 100 damped towards the last
    // day (70); the load stays at 40. The flat candidate (median of the last 6 hours) has
    // had the least error since the drop and is chosen, raised by a tenth of its error.
    let mut f = fed(12 * 24, |h| if h < 10 * 24 { 100 } else { 40 });
    let o = 12 * 24;
    assert_eq!(
        Forecaster::leveled(f.profile(o, o), f.level(o, None)),
        Some(70_000),
        "the weekly candidate"
    );
    assert_eq!(f.choose(o).candidate, Candidate::Flat);
    assert!(f.refresh(at(o)));
    for (h, load) in f.forecast_48h() {
        let l = load.unwrap().milli();
        assert!((40_000..=46_000).contains(&l), "hour {h}: {l}");
    }
}

#[test]
fn a_repeating_week_is_forecast_by_the_weekly_candidate() {
    // A load that repeats every week (a different level every day of the week and every
    // hour): the weekly candidate has the least error (none at origins with a week of
    // history), so it is chosen; it errs at the earlier origins, where it is a daily mean,
    // so the model's forecast is the load of the same hour last week plus a small constant
    // margin. Seasonal naive 168 h has, from a week of history on, no error: the combination
    // (`combine.rs`) keeps it alone, and the forecast is last week's load raised by the
    // combination's own margin (a tenth of its backtest error, made before a week).
    let load = |h: u64| i64::try_from(100 + 37 * ((h / 24) % 7) + 3 * (h % 24)).unwrap();
    let mut f = fed(14 * 24, load);
    let c = f.choose(14 * 24);
    assert_eq!(c.candidate, Candidate::Weekly);
    assert!((1..10_000).contains(&c.uplift), "uplift {}", c.uplift);
    let st = f.origin_state(14 * 24);
    let plan = f.plan_at(14 * 24);
    for h in 14 * 24..16 * 24 {
        let model = f.planned(h, &st, &combine::Plan::model_only(plan));
        assert_eq!(model, Some(load(h) * 1000 + c.uplift), "hour {h}");
    }
    assert!((1..10_000).contains(&plan.lift), "lift {}", plan.lift);
    assert!(f.refresh(at(14 * 24)));
    for (h, l) in f.forecast_48h() {
        assert_eq!(
            l,
            Some(Value::from_milli(load(h) * 1000 + plan.lift)),
            "hour {h}"
        );
    }
}

#[test]
fn the_blend_stays_unless_another_candidate_is_clearly_better() {
    // The same day repeated: every candidate but the flat one is exact, the blend first.
    let mut f = fed(10 * 24, |h| i64::try_from(50 + 10 * (h % 24)).unwrap());
    let c = f.choose(10 * 24);
    assert_eq!(
        c,
        Choice {
            candidate: Candidate::Blend,
            uplift: 0
        }
    );
    assert!(f.refresh(at(10 * 24)));
    assert_eq!(f.forecast(10 * 24 + 7), Some(Value::from_int(120)));
}

#[test]
fn noisy_load_is_forecast_a_little_above_its_middle() {
    // A flat load of 100 with up to ±11 of noise that repeats every 23 hours (no daily or
    // weekly season): every candidate errs by several units an hour, so the forecast is
    // raised by a tenth of that.
    let noise = |h: u64| i64::try_from((h * 7919) % 23).unwrap() - 11;
    let mut f = fed(14 * 24, |h| 100 + noise(h));
    let c = f.choose(14 * 24);
    assert!(
        (500..=2_500).contains(&c.uplift),
        "uplift {} thousandths",
        c.uplift
    );
    assert!(f.refresh(at(14 * 24)));
    let mean: i64 = f
        .forecast_48h()
        .map(|(_, l)| l.unwrap().milli())
        .sum::<i64>()
        / 48;
    assert!(mean > 100_000, "mean forecast {mean}");
}

/// A history of `hours` hours from hour `start`, with the hours `gaps` picks left out and a
/// load from `loads` (cycled), several samples an hour.
fn gappy(start: u64, hours: u64, gaps: &[bool], loads: &[i64]) -> Forecaster {
    let mut f = Forecaster::new();
    for h in 0..hours {
        if gaps.get(usize::try_from(h).unwrap() % gaps.len().max(1)) == Some(&true) {
            continue;
        }
        let load = loads[usize::try_from(h).unwrap() % loads.len()];
        for m in 0..3u64 {
            let t = at(start + h) + Duration::from_secs(m * 1200);
            f.record(t, Value::from_milli(load + i64::try_from(m).unwrap() * 7))
                .unwrap();
        }
    }
    f
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// The 64-bit fast path of the weighted mean's division gives the 128-bit quotient.
    #[test]
    fn division_fast_path_equals_128_bit(
        num in proptest::prelude::any::<i128>(),
        den in proptest::prelude::any::<i128>(),
        small_num in proptest::prelude::any::<i64>(),
        small_den in proptest::prelude::any::<i64>(),
    ) {
        for (n, d) in [
            (num, den),
            (i128::from(small_num), i128::from(small_den)),
            (i128::from(small_num), den),
            (num, i128::from(small_den)),
            (i128::from(i64::MIN), -1),
        ] {
            let reference = n.checked_div(d).and_then(|q| i64::try_from(q).ok());
            proptest::prop_assert_eq!(div_i128(n, d), reference, "{} / {}", n, d);
        }
    }

    /// The 64-bit fast path of the level factor gives the 128-bit quotient, for real loads
    /// (sums of a day of hourly loads) and for any operands.
    #[test]
    fn level_fast_path_equals_128_bit(
        p in proptest::prelude::any::<i64>(),
        sum in proptest::prelude::any::<i128>(),
        fit in proptest::prelude::any::<i128>(),
        small_p in -5_000_000i64..5_000_000,
        small_actual in 0i128..(24 * 5_000_000),
        small_fit in 1i128..(24 * 5_000_000),
    ) {
        for (p, sum, fit) in [
            (p, sum, fit),
            (small_p, small_actual + small_fit, small_fit),
            (p, small_actual + small_fit, small_fit),
            (small_p, sum, fit),
            (small_p, sum, small_fit),
            (i64::MIN, 1, -1),
            (i64::MIN, 2, -1),
            (p, sum, 0),
        ] {
            proptest::prop_assert_eq!(
                Forecaster::level_scaled(p, sum, fit),
                Forecaster::level_scaled_128(p, sum, fit),
                "{} × {} ÷ 2·{}", p, sum, fit
            );
        }
    }

    /// The weighted mean of the seasons in 64 bits is the 128-bit one, weekly (halving) and
    /// daily (plain), from every hour and window start of gappy histories, with loads small
    /// and large (near `i64::MAX` the 64-bit products overflow and the 128-bit sums decide;
    /// at `i64::MIN` thousandths a mean can be `i64::MIN`).
    #[test]
    fn seasons_in_64_bits_are_the_128_bit_mean(
        start in 0u64..1_000,
        hours in 1u64..(HISTORY_HOURS as u64 + 60),
        gaps in proptest::collection::vec(proptest::bool::weighted(0.15), 1..40),
        loads in proptest::collection::vec(
            proptest::prop_oneof![
                -5_000_000i64..5_000_000,
                (i64::MAX / 8)..(i64::MAX - 100),
                i64::MIN..(i64::MIN / 8),
            ],
            1..30,
        ),
        lo_back in 0u64..400,
    ) {
        let f = gappy(start, hours, &gaps, &loads);
        let end = start + hours + 2;
        for s in start.saturating_sub(2)..end {
            let lo = s.saturating_sub(lo_back);
            for (season, halve) in [(WEEK, true), (DAY, false), (DAY, true), (WEEK, false)] {
                proptest::prop_assert_eq!(
                    f.seasonal_from(s, lo, season, halve),
                    f.seasonal_128(s, lo, season, halve),
                    "s {} lo {} season {} halve {}", s, lo, season, halve
                );
            }
        }
    }

    /// The direct look-up of an hour's load finds what the binary search finds, with and
    /// without gaps in the history, in and out of it, before and after the ring wraps.
    #[test]
    fn direct_lookup_equals_the_search(
        start in 0u64..100_000,
        hours in 1u64..(2 * HISTORY_HOURS as u64),
        gaps in proptest::collection::vec(proptest::bool::weighted(0.1), 1..40),
        loads in proptest::collection::vec(0i64..5_000_000, 1..60),
    ) {
        let f = gappy(start, hours, &gaps, &loads);
        for h in start.saturating_sub(3)..start + hours + 3 {
            proptest::prop_assert_eq!(f.mean_at(h), f.mean_at_searched(h), "hour {}", h);
            // And what a scan of the whole deque finds (not through the slices' view).
            let scanned = f.hours.iter().find(|x| x.hour == h).map(HourLoad::mean);
            proptest::prop_assert_eq!(f.mean_at(h), scanned, "hour {}", h);
        }
    }

    /// The backtest that computes each origin's daily medians once, reads the profiles and
    /// medians of an origin's level and daily shift from the backtest 24 hours before it, and
    /// keeps the medians and weekly profiles that origins 6 hours apart share (`HourMemo`),
    /// chooses what the one that computes every one of them afresh chooses, at every origin of
    /// a run (with less and more than a week of history, with gaps, before and after the
    /// history drops its oldest hours).
    #[test]
    fn reused_daily_medians_choose_the_same(
        start in 0u64..100_000,
        hours in 30u64..(HISTORY_HOURS as u64 + 60),
        gaps in proptest::collection::vec(proptest::bool::weighted(0.1), 1..40),
        loads in proptest::collection::vec(0i64..5_000_000, 1..60),
        step in 11u64..48,
    ) {
        let f = gappy(start, hours, &gaps, &loads);
        let mut origin = start + 24;
        while origin <= start + hours + 2 {
            proptest::prop_assert_eq!(
                f.choose_with(origin, true),
                f.choose_with(origin, false),
                "origin {}", origin
            );
            origin += step;
        }
    }
}

/// [`Forecaster::planned`] as it was before [`Forecaster::days7`]: each figure of the seven
/// days read by its own function (the candidates' daily median, the members' naive 24 h and
/// mean 7, levelled by the origin's mean 7 level, the raise cap's greatest load).
fn planned_reading_each(
    f: &Forecaster,
    t: u64,
    st: &OriginState,
    plan: &combine::Plan,
) -> Option<i64> {
    let candidates = f.candidates(t, st);
    let hw = plan.hw.as_ref().and_then(|h| h.forecast(t));
    let m = f.members(t, st, plan.choice, &candidates, hw);
    let comb = plan
        .trimmed
        .as_ref()
        .filter(|_| plan.published == combine::COMBINATION)
        .and_then(|w| combine::raised(&m, w, plan.lift));
    let out = combine::published(&m, comb, plan.published, plan.raise);
    f.bounded(out, t, st.origin, plan.raised_by())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// One read of the seven days before an origin gives the daily median, mean 7, the
    /// greatest load and naive 24 h that their own functions give, for hours before, at and
    /// after the origin, with gaps (naive 24 h then falls back to an earlier hour), loads of
    /// any sign and size (means near `i64`'s ends), origins before, inside and past the
    /// history, before and after it drops its oldest hours; and a forecast from it is the
    /// forecast from each function.
    #[test]
    fn one_read_of_the_seven_days_gives_each_figure(
        start in 0u64..100_000,
        hours in 1u64..(HISTORY_HOURS as u64 + 100),
        gaps in proptest::collection::vec(proptest::bool::weighted(0.15), 1..40),
        loads in proptest::collection::vec(proptest::prop_oneof![
            4 => 0i64..5_000_000,
            1 => proptest::strategy::Strategy::prop_map(proptest::prelude::any::<i64>(), |x| x / 4),
        ], 1..60),
        origins in proptest::collection::vec(0u64..(HISTORY_HOURS as u64 + 160), 1..4),
    ) {
        let f = gappy(start, hours, &gaps, &loads);
        for &o in &origins {
            let origin = start + o;
            for t in origin.saturating_sub(30)..origin + 60 {
                let d = f.days7(t, origin);
                proptest::prop_assert_eq!(d.median, f.daily_median(t, origin), "median {} at {}", t, origin);
                proptest::prop_assert_eq!(d.mean, f.mean7(t, origin), "mean {} at {}", t, origin);
                proptest::prop_assert_eq!(d.max, f.hour_max(t, origin), "max {} at {}", t, origin);
                proptest::prop_assert_eq!(d.naive, f.naive(t, origin, DAY), "naive {} at {}", t, origin);
            }
            if f.span_before(origin) >= MIN_HISTORY_HOURS {
                let plan = f.plan_at(origin);
                let st = f.origin_state(origin);
                for t in origin..origin + HORIZON_HOURS as u64 {
                    proptest::prop_assert_eq!(
                        f.planned(t, &st, &plan),
                        planned_reading_each(&f, t, &st, &plan),
                        "hour {} at {}", t, origin
                    );
                }
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// A refresh's 48 hours, computed in pairs of hours a day apart that share their seven
    /// days, are `planned` hour by hour under the plan the refresh made (from a seeded record
    /// and from a continued one), on gappy histories before and after a week and 14 days.
    #[test]
    fn a_refresh_forecasts_each_hour_as_planned_alone(
        start in 0u64..100_000,
        hours in 30u64..(HISTORY_HOURS as u64 + 60),
        gaps in proptest::collection::vec(proptest::bool::weighted(0.1), 1..40),
        loads in proptest::collection::vec(0i64..5_000_000, 1..60),
    ) {
        let full = gappy(start, hours, &gaps, &loads);
        let mut f = Forecaster::new();
        let mut origin = start + 24;
        for x in &full.hours {
            while x.hour >= origin {
                // The plan the refresh will make, from a copy of what it starts from.
                let mut record = f.record.clone();
                let plan = match record.as_mut() {
                    Some(r) if r.continues_at(origin) => Some(f.advance_record(r, origin)),
                    _ if f.span_before(origin) >= MIN_HISTORY_HOURS => {
                        Some(f.seed_record(origin, &mut record))
                    }
                    _ => None,
                };
                proptest::prop_assert_eq!(f.refresh(at(origin)), plan.is_some());
                if let Some(plan) = plan {
                    let st = f.origin_state(origin);
                    for (t, l) in f.forecast_48h() {
                        let alone = f.planned(t, &st, &plan).map(Value::from_milli);
                        proptest::prop_assert_eq!(l, alone, "hour {} at {}", t, origin);
                    }
                }
                origin += 6;
            }
            f.hours.push_back(*x).unwrap();
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// An origin's state with mean 7's level and the daily shift from one read of each
    /// hour's 7 days is the state read figure by figure (`origin_state_with` without memos),
    /// on gappy histories of any length, at origins from before a day of history to past
    /// its end, loads of either sign.
    #[test]
    fn one_read_of_each_hours_days_gives_the_origins_state(
        start in 0u64..200,
        hours in 1u64..420,
        gaps in proptest::collection::vec(proptest::bool::weighted(0.15), 1..40),
        loads in proptest::collection::vec(-2_000_000i64..5_000_000, 1..60),
        origins in proptest::collection::vec(0u64..460, 1..8),
    ) {
        let f = gappy(start, hours, &gaps, &loads);
        for &o in &origins {
            let origin = start + o;
            proptest::prop_assert_eq!(
                f.origin_state(origin),
                f.origin_state_with(origin, None, None),
                "origin {}", origin
            );
        }
    }
}
