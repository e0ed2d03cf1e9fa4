//! The predictive-scaling forecaster on its own (SEMANTICS §3.7): an hourly load history of
//! 14 days and the 48-hour forecast the core's model makes from it (the model is in
//! `fleetcore::scaling::predictive`).
//!
//! Two ways in: `fc_forecast` is the one-shot form of the Python `fleetcore.forecast(history,
//! horizon)` (an hourly history, oldest first, in, the next `horizon` hours out); `fc_forecaster`
//! is caller-owned storage that keeps the history across calls, for a controller that records
//! samples as they come (`fc_forecaster_record`), refreshes every 6 hours
//! (`fc_forecaster_refresh`) and reads the forecast (`fc_forecaster_forecast`,
//! `fc_forecaster_forecast_48h`). Loads are `int64_t` thousandths; an hour the model has no
//! season for is `FC_FORECAST_NONE`.
//!
//! The storage holds no pointers: it may be copied with `memcpy` between calls. Nothing is
//! allocated. Functions taking `const fc_forecaster *` only read and may run together.

use core::mem::{align_of, size_of};

use fleetcore::Instant;
use fleetcore::scaling::Value;
use fleetcore::scaling::predictive::{Forecaster, HISTORY_HOURS, HORIZON_HOURS};

use crate::boundary::{Out, OutSlice, boundary, input_slice};
use crate::status::fc_status;

/// Hours one forecast covers, and the most `fc_forecast` takes as its horizon.
pub const FC_FORECAST_HORIZON_HOURS: usize = 48;
/// Hours of history the forecaster keeps (14 days); older hours are dropped.
pub const FC_FORECAST_HISTORY_HOURS: usize = 336;
/// Hours of history needed before the first forecast.
pub const FC_FORECAST_MIN_HISTORY_HOURS: usize = 24;
/// A forecast hour the model has no season for (the Python NaN).
pub const FC_FORECAST_NONE: i64 = i64::MIN;
/// Bytes of storage an `fc_forecaster` takes (`sizeof(fc_forecaster)`); enough on every target.
pub const FC_FORECASTER_SIZE: usize = 10240;

const _: () = assert!(FC_FORECAST_HORIZON_HOURS == HORIZON_HOURS);
const _: () = assert!(FC_FORECAST_HISTORY_HOURS == HISTORY_HOURS);

/// Caller-owned storage for a forecaster: 14 days of hourly load and the last 48-hour forecast.
///
/// Opaque: initialise it with `fc_forecaster_init` and only touch it through `fc_forecaster_*`
/// functions. Aligned to 8 bytes.
#[repr(C, align(8))]
pub struct fc_forecaster {
    _opaque: [u8; FC_FORECASTER_SIZE],
}

/// What actually lives in an `fc_forecaster`: a tag, then the core forecaster.
#[repr(C)]
struct ForecasterCell {
    magic: u64,
    forecaster: Forecaster,
}

/// `"fcfcast"` and a layout version; anything else in the first word means "not initialised".
const MAGIC: u64 = u64::from_be_bytes(*b"fcfcast\x01");

const _: () = assert!(size_of::<ForecasterCell>() <= size_of::<fc_forecaster>());
const _: () = assert!(align_of::<ForecasterCell>() <= align_of::<fc_forecaster>());
const _: () = assert!(size_of::<fc_forecaster>() == FC_FORECASTER_SIZE);

/// Checks NULL, alignment and the tag of forecaster storage.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_forecaster`.
unsafe fn checked_cell(p: *const fc_forecaster) -> Result<*const ForecasterCell, fc_status> {
    if p.is_null() {
        return Err(fc_status::NullArgument);
    }
    if !p.is_aligned() {
        return Err(fc_status::MisalignedArgument);
    }
    let cell = p.cast::<ForecasterCell>();
    // SAFETY: not NULL and aligned for `fc_forecaster`, hence for `ForecasterCell` (const
    // assertions above); readable for an `fc_forecaster` by this function's contract, which
    // covers the `u64` tag at offset 0; any bit pattern is a valid `u64`.
    let magic = unsafe { (&raw const (*cell).magic).read() };
    if magic == MAGIC {
        Ok(cell)
    } else {
        Err(fc_status::Uninitialized)
    }
}

/// The initialised forecaster in `p`.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_forecaster` that nothing writes during `'a`.
unsafe fn forecaster_ref<'a>(p: *const fc_forecaster) -> Result<&'a Forecaster, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?;
    // SAFETY: `checked_cell` found the tag `fc_forecaster_init` writes together with a valid
    // forecaster; readable and not written during 'a by the caller's contract.
    Ok(unsafe { &(*cell).forecaster })
}

/// The initialised forecaster in `p`, for a call that changes it.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of an `fc_forecaster` that nothing else uses
/// during `'a`.
unsafe fn forecaster_mut<'a>(p: *mut fc_forecaster) -> Result<&'a mut Forecaster, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?.cast_mut();
    // SAFETY: as in `forecaster_ref`, and the caller's contract gives this call exclusive use.
    Ok(unsafe { &mut (*cell).forecaster })
}

fn load_of(v: Option<Value>) -> i64 {
    v.map_or(FC_FORECAST_NONE, Value::milli)
}

/// The forecast of the next `horizon` hours (1-48) after an hourly history of `n` loads
/// (thousandths, oldest first; only the last 336 count), written into `out_milli`: the one-shot
/// form of Python's `fleetcore.forecast(history, horizon)`. Hour `i` of the history is recorded at
/// `i` hours, and the forecast starts at hour `n`. Hours the model has no season for are
/// `FC_FORECAST_NONE`. Needs about `FC_FORECASTER_SIZE` bytes of stack. Errors:
/// `FC_STATUS_NULL_ARGUMENT` (`history` may be NULL only with `n` 0, which is then too short),
/// `FC_STATUS_INVALID_ARGUMENT` (`horizon` outside 1-48, or fewer than
/// `FC_FORECAST_MIN_HISTORY_HOURS` hours), `FC_STATUS_BUFFER_TOO_SMALL` (`out_len` below `horizon`,
/// the length needed). Nothing is written on error. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_forecast(
    history: *const i64,
    n: usize,
    horizon: usize,
    out_milli: *mut i64,
    out_len: usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both arrays.
        let (history, mut out) =
            unsafe { (input_slice(history, n)?, OutSlice::new(out_milli, out_len)?) };
        if !(1..=HORIZON_HOURS).contains(&horizon) || history.len() < FC_FORECAST_MIN_HISTORY_HOURS
        {
            return Err(fc_status::InvalidArgument);
        }
        if out.len() < horizon {
            return Err(fc_status::BufferTooSmall);
        }
        let skip = history.len().saturating_sub(HISTORY_HOURS);
        let mut f = Forecaster::new();
        let mut hour = 0u64;
        for &v in history.iter().skip(skip) {
            f.record(
                Instant::from_secs(hour.saturating_mul(3600)),
                Value::from_milli(v),
            )?;
            hour = hour.saturating_add(1);
        }
        f.refresh(Instant::from_secs(hour.saturating_mul(3600)));
        for (i, (_, load)) in f.forecast_48h().take(horizon).enumerate() {
            out.put(i, load_of(load));
        }
        Ok(())
    })
}

/// Initialises `mem` as a forecaster with no history. The storage may be uninitialised; there is no
/// free function; calling it again forgets the history. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_forecaster_init(mem: *mut fc_forecaster) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `mem`; `ForecasterCell` fits an `fc_forecaster`.
        let out = unsafe { Out::new(mem.cast::<ForecasterCell>()) }?;
        out.write(ForecasterCell {
            magic: MAGIC,
            forecaster: Forecaster::new(),
        });
        Ok(())
    })
}

/// Adds a load sample (thousandths) taken at `at_ms` to its hour, whose load is the mean of its
/// samples. Samples come in time order by hour; after 14 days a new hour drops the oldest. Errors:
/// `ScalingError::TooOld` (an hour before the newest one kept; nothing changes). Not
/// thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_forecaster_record(
    forecaster: *mut fc_forecaster,
    at_ms: u64,
    load_milli: i64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `forecaster`.
        let f = unsafe { forecaster_mut(forecaster) }?;
        f.record(Instant::from_millis(at_ms), Value::from_milli(load_milli))?;
        Ok(())
    })
}

/// Recomputes the 48-hour forecast from the hour of `now_ms` when there is none yet or 6 hours have
/// passed since the last one; before 24 hours of history it does not. On success `*out_refreshed`
/// says whether it recomputed. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_forecaster_refresh(
    forecaster: *mut fc_forecaster,
    now_ms: u64,
    out_refreshed: *mut bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (f, out) = unsafe { (forecaster_mut(forecaster)?, Out::new(out_refreshed)?) };
        out.write(f.refresh(Instant::from_millis(now_ms)));
        Ok(())
    })
}

/// The forecast load of hour `hour` (hours since the epoch of the samples' times, `now_ms /
/// 3600000`): from the last refresh when it covers the hour, otherwise computed now. On success
/// `*out_milli` is the load, or `FC_FORECAST_NONE` before 24 hours of history or when no season has
/// data for the hour. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_forecaster_forecast(
    forecaster: *const fc_forecaster,
    hour: u64,
    out_milli: *mut i64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (f, out) = unsafe { (forecaster_ref(forecaster)?, Out::new(out_milli)?) };
        out.write(load_of(f.forecast(hour)));
        Ok(())
    })
}

/// The last refresh's forecast: the loads of the 48 hours from `*out_first_hour` into `out_milli`
/// (`FC_FORECAST_NONE` for hours without one). On success `*out_written` is 48, or 0 before the
/// first refresh (then `*out_first_hour` is 0). Errors: `FC_STATUS_BUFFER_TOO_SMALL` (`out_len`
/// below `FC_FORECAST_HORIZON_HOURS`, the length needed). Nothing is written on error. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_forecaster_forecast_48h(
    forecaster: *const fc_forecaster,
    out_milli: *mut i64,
    out_len: usize,
    out_first_hour: *mut u64,
    out_written: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (f, mut out, first, written) = unsafe {
            (
                forecaster_ref(forecaster)?,
                OutSlice::new(out_milli, out_len)?,
                Out::new(out_first_hour)?,
                Out::new(out_written)?,
            )
        };
        if out.len() < HORIZON_HOURS {
            return Err(fc_status::BufferTooSmall);
        }
        let mut n = 0usize;
        for (i, (_, load)) in f.forecast_48h().enumerate() {
            out.put(i, load_of(load));
            n = i.saturating_add(1);
        }
        first.write(f.refreshed_hour().unwrap_or(0));
        written.write(n);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The history of the core's own predictive tests: load 100 x (hour of day), plus 1000 on
    /// the week's first day, in thousandths.
    fn history(hours: u64) -> Vec<i64> {
        (0..hours)
            .map(|h| {
                let extra = if (h / 24) % 7 == 0 { 1000 } else { 0 };
                i64::try_from(100 * (h % 24) + extra).unwrap() * 1000
            })
            .collect()
    }

    /// The history of the core's own plan tests: 1000 + 100 x (hour of day), every day alike.
    fn daily(hours: u64) -> Vec<i64> {
        (0..hours)
            .map(|h| i64::try_from(1000 + 100 * (h % 24)).unwrap() * 1000)
            .collect()
    }

    fn one_shot(history: &[i64], horizon: usize) -> Result<Vec<i64>, fc_status> {
        let mut out = vec![7; horizon];
        // SAFETY: both slices outlive the call and do not overlap.
        let status = unsafe {
            fc_forecast(
                history.as_ptr(),
                history.len(),
                horizon,
                out.as_mut_ptr(),
                out.len(),
            )
        };
        if status == fc_status::Ok {
            Ok(out)
        } else {
            assert!(out.iter().all(|&v| v == 7), "written on error");
            Err(status)
        }
    }

    #[test]
    fn one_shot_equals_the_core_forecaster() {
        for hours in [24u64, 72, 200, 336, 400] {
            let h = history(hours);
            let mut f = Forecaster::new();
            let skip = h.len().saturating_sub(HISTORY_HOURS);
            let mut t = 0u64;
            for &v in h.iter().skip(skip) {
                f.record(Instant::from_secs(t * 3600), Value::from_milli(v))
                    .unwrap();
                t += 1;
            }
            assert!(f.refresh(Instant::from_secs(t * 3600)));
            let want: Vec<i64> = f.forecast_48h().map(|(_, l)| load_of(l)).collect();
            assert_eq!(one_shot(&h, 48).unwrap(), want, "{hours} hours");
            assert_eq!(one_shot(&h, 5).unwrap(), want[..5], "{hours} hours");
        }
        // Figures the core's own tests assert: a day that repeats is forecast exactly.
        assert_eq!(one_shot(&daily(72), 6).unwrap()[5], 1_500_000);
        let two_weeks = one_shot(&daily(336), 48).unwrap();
        assert_eq!((two_weeks[5], two_weeks[23]), (1_500_000, 3_300_000));
    }

    #[test]
    fn one_shot_refuses_bad_arguments() {
        let h = history(48);
        assert_eq!(one_shot(&h, 0), Err(fc_status::InvalidArgument));
        assert_eq!(one_shot(&h, 49), Err(fc_status::InvalidArgument));
        assert_eq!(one_shot(&h[..23], 4), Err(fc_status::InvalidArgument));
        let mut out = [7i64; 3];
        // SAFETY: `h` and `out` outlive the call.
        let short = unsafe { fc_forecast(h.as_ptr(), h.len(), 4, out.as_mut_ptr(), 3) };
        assert_eq!((short, out), (fc_status::BufferTooSmall, [7; 3]));
    }

    #[test]
    fn size() {
        println!(
            "ForecasterCell: {} bytes (FC_FORECASTER_SIZE {})",
            size_of::<ForecasterCell>(),
            FC_FORECASTER_SIZE
        );
    }
}
