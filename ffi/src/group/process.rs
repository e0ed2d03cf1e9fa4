//! Group processes for C: warm pools (SEMANTICS §2.9), instance refresh (§2.10) and
//! suspending processes (§2.4).
//!
//! A warm pool's members show up as `fc_group_member`s in `FC_MEMBER_STATE_WARMED_*` states;
//! `fc_group_tick` asks for their launch, stop and start (`FC_GROUP_ACTION_KIND_STOP`,
//! `_START`). A refresh replaces members in batches through the same tick, launching from the
//! group's template version (see `fc_group_set_template_version`: the C ABI's fixed template
//! source resolves every version spec, the refresh's desired one included, to that number).
//!
//! Model, where the C ABI needs one: `SuspendProcesses`/`ResumeProcesses` take a bit mask of
//! `FC_PROCESS_*` values rather than a list of names; `FC_PROCESS_ALL` is the service's "no
//! list given".

use core::ffi::c_char;

use fleetcore::catalog::VersionSpec;
use fleetcore::group::{
    InstanceRefresh, MAX_CHECKPOINTS, PoolState, Process, RefreshPreferences, WarmPool,
};
use fleetcore::{Duration, Instant};

use super::{CoreGroup, fc_group, group_mut, group_ref, optional_ms, optional_u32};
use crate::boundary::{Out, boundary, input, input_slice, input_str};
use crate::status::fc_status;

/// Most checkpoints an instance refresh takes (`fc_refresh_preferences.checkpoint_count`).
pub const FC_GROUP_MAX_CHECKPOINTS: usize = 8;

const _: () = assert!(FC_GROUP_MAX_CHECKPOINTS == MAX_CHECKPOINTS);

fn pool_state(v: u32) -> Result<PoolState, fc_status> {
    crate::boundary::enum_value(v)
}

fn pool_state_to_u32(s: PoolState) -> u32 {
    s.number()
}

/// `PutWarmPool` parameters, and the pool `fc_group_warm_pool` reads back.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_warm_pool {
    /// `MinSize` (default 0): the pool never shrinks below this.
    pub min_size: u32,
    /// `MaxGroupPreparedCapacity`: group plus pool, or -1 for the group's max size.
    pub max_group_prepared_capacity: i64,
    /// `PoolState` (`FC_POOL_STATE_*`).
    pub pool_state: u32,
    /// `InstanceReusePolicy.ReuseOnScaleIn`: scale-in returns members to the pool.
    pub reuse_on_scale_in: bool,
}

/// `PutWarmPool`: creates or replaces the group's warm pool; the next `fc_group_tick` launches
/// members into it (kept at max(`min_size`, prepared capacity - desired)) or trims it. Errors:
/// `FC_STATUS_INVALID_ENUM_VALUE` (`pool_state`), `GroupError::OutOfRange` (a negative
/// prepared capacity other than -1, `min_size` above the prepared capacity or
/// `FC_GROUP_MAX_MEMBERS`), `GroupError::WarmPoolWithMixedInstances`. The group is unchanged on
/// error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_put_warm_pool(
    group: *mut fc_group,
    pool: *const fc_warm_pool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `pool`.
        let (group, pool) = unsafe { (group_mut(group)?, input(pool)?) };
        let core = WarmPool {
            min_size: pool.min_size,
            max_group_prepared_capacity: optional_u32(pool.max_group_prepared_capacity)?,
            pool_state: pool_state(pool.pool_state)?,
            reuse_on_scale_in: pool.reuse_on_scale_in,
        };
        group.put_warm_pool(core)?;
        Ok(())
    })
}

/// `DeleteWarmPool`: the pool's members are terminated by the next `fc_group_tick`. Deleting when
/// there is no pool does nothing. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_delete_warm_pool(group: *mut fc_group, now_ms: u64) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let group = unsafe { group_mut(group) }?;
        group.delete_warm_pool(Instant::from_millis(now_ms));
        Ok(())
    })
}

/// The warm pool. On success `*out_has` is set, and `*out_pool` is written only when `*out_has` is
/// true; on error neither is written. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_warm_pool(
    group: *const fc_group,
    out_pool: *mut fc_warm_pool,
    out_has: *mut bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, pool, has) =
            unsafe { (group_ref(group)?, Out::new(out_pool)?, Out::new(out_has)?) };
        match group.warm_pool() {
            Some(p) => {
                pool.write(fc_warm_pool {
                    min_size: p.min_size,
                    max_group_prepared_capacity: p
                        .max_group_prepared_capacity
                        .map_or(-1, i64::from),
                    pool_state: pool_state_to_u32(p.pool_state),
                    reuse_on_scale_in: p.reuse_on_scale_in,
                });
                has.write(true);
            }
            None => has.write(false),
        }
        Ok(())
    })
}

/// `StartInstanceRefresh` preferences. Fill with `fc_refresh_preferences_default` first. The
/// pointers are borrowed for the `fc_group_start_instance_refresh` call only.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_refresh_preferences {
    /// `MinHealthyPercentage`, 0-100 (default 90).
    pub min_healthy_percentage: u32,
    /// `MaxHealthyPercentage`, 100-200 and at most min + 100 (default 100; above 100 each
    /// batch launches before it terminates).
    pub max_healthy_percentage: u32,
    /// `InstanceWarmup`, milliseconds, or -1 for the group's default warm-up.
    pub instance_warmup_ms: i64,
    /// `CheckpointPercentages`: ascending, each 1-100, at most `FC_GROUP_MAX_CHECKPOINTS`; NULL
    /// with a count of 0 for none.
    pub checkpoint_percentages: *const u8,
    /// Number of values in `checkpoint_percentages`.
    pub checkpoint_count: usize,
    /// `CheckpointDelay`, milliseconds, at most 48 h (default 1 h).
    pub checkpoint_delay_ms: u64,
    /// `SkipMatching`: leave members already on the desired version.
    pub skip_matching: bool,
    /// `DesiredConfiguration.LaunchTemplate.Version`: `"$Latest"`, `"$Default"` or a number
    /// such as `"4"`; NULL keeps the group's own version.
    pub desired_version: *const c_char,
}

/// Fills `*out` with the service's defaults: min healthy 90 %, max healthy 100 %, warm-up -1, no
/// checkpoints, delay 1 h, no skip matching, no desired version. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_refresh_preferences_default(
    out: *mut fc_refresh_preferences,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `out`.
        let out = unsafe { Out::new(out) }?;
        let d = RefreshPreferences::default();
        out.write(fc_refresh_preferences {
            min_healthy_percentage: d.min_healthy_percentage,
            max_healthy_percentage: d.max_healthy_percentage,
            instance_warmup_ms: -1,
            checkpoint_percentages: core::ptr::null(),
            checkpoint_count: 0,
            checkpoint_delay_ms: d.checkpoint_delay.total_millis(),
            skip_matching: d.skip_matching,
            desired_version: core::ptr::null(),
        });
        Ok(())
    })
}

/// The core preferences of C ones.
///
/// # Safety
/// The pointers in `p` are NULL or valid as `fc_refresh_preferences` documents.
unsafe fn core_preferences(p: &fc_refresh_preferences) -> Result<RefreshPreferences, fc_status> {
    // SAFETY: the caller's contract for `checkpoint_percentages`.
    let cps = unsafe { input_slice(p.checkpoint_percentages, p.checkpoint_count) }?;
    let mut checkpoint_percentages = heapless::Vec::new();
    for &c in cps {
        checkpoint_percentages
            .push(c)
            .map_err(|_| fc_status::GroupOutOfRange)?;
    }
    let desired_version = if p.desired_version.is_null() {
        None
    } else {
        // SAFETY: not NULL; a NUL-terminated string by the caller's contract.
        Some(VersionSpec::parse(unsafe {
            input_str(p.desired_version)
        }?)?)
    };
    Ok(RefreshPreferences {
        min_healthy_percentage: p.min_healthy_percentage,
        max_healthy_percentage: p.max_healthy_percentage,
        instance_warmup: optional_ms(p.instance_warmup_ms)?,
        checkpoint_percentages,
        checkpoint_delay: Duration::from_millis(p.checkpoint_delay_ms),
        skip_matching: p.skip_matching,
        desired_version,
    })
}

/// `StartInstanceRefresh`: from the next `fc_group_tick` on, members in service now are replaced in
/// batches (SEMANTICS §2.10). On success `*out_id` is the refresh's number (1 for the group's
/// first). Errors: `FC_STATUS_NOT_UTF8`, `CatalogError::InvalidVersionSpec`,
/// `GroupError::OutOfRange` (a percentage, checkpoint, delay or warm-up out of range),
/// `GroupError::RefreshInProgress`. The group is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_start_instance_refresh(
    group: *mut fc_group,
    now_ms: u64,
    preferences: *const fc_refresh_preferences,
    out_id: *mut u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, p, out) =
            unsafe { (group_mut(group)?, input(preferences)?, Out::new(out_id)?) };
        // SAFETY: the caller's contract for the pointers inside `preferences`.
        let prefs = unsafe { core_preferences(p) }?;
        out.write(group.start_instance_refresh(Instant::from_millis(now_ms), prefs)?);
        Ok(())
    })
}

/// `CancelInstanceRefresh`: no new batch starts; members already being replaced finish. Errors:
/// `GroupError::NoActiveRefresh`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_cancel_instance_refresh(
    group: *mut fc_group,
    now_ms: u64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let group = unsafe { group_mut(group) }?;
        group.cancel_instance_refresh(Instant::from_millis(now_ms))?;
        Ok(())
    })
}

/// The group's current or last instance refresh, as `fc_group_instance_refresh` writes it.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_instance_refresh {
    /// Its number, from 1.
    pub id: u32,
    /// `FC_REFRESH_STATUS_*`.
    pub status: u32,
    /// `PercentageComplete`.
    pub percentage_complete: u32,
    /// Members it had to replace when it started.
    pub to_replace: u32,
    /// Members replaced so far.
    pub replaced: u32,
    /// Checkpoints passed.
    pub checkpoints_done: u8,
    /// When it started, milliseconds since the epoch.
    pub started_ms: u64,
    /// When it ended, or -1 while it runs.
    pub ended_ms: i64,
    /// When the current checkpoint pause ends, or -1.
    pub paused_until_ms: i64,
}

fn ms_or_minus_one(t: Option<Instant>) -> i64 {
    t.map_or(-1, |t| i64::try_from(t.total_millis()).unwrap_or(i64::MAX))
}

impl From<&InstanceRefresh> for fc_instance_refresh {
    fn from(r: &InstanceRefresh) -> Self {
        Self {
            id: r.id,
            status: r.status.number(),
            percentage_complete: r.percentage_complete(),
            to_replace: r.to_replace,
            replaced: r.replaced,
            checkpoints_done: r.checkpoints_done,
            started_ms: r.started.total_millis(),
            ended_ms: ms_or_minus_one(r.ended),
            paused_until_ms: ms_or_minus_one(r.paused_until),
        }
    }
}

/// `DescribeInstanceRefreshes` for the latest refresh. On success `*out_has` is set, and
/// `*out_refresh` is written only when `*out_has` is true (false: the group never ran one); on
/// error neither is written. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_instance_refresh(
    group: *const fc_group,
    out_refresh: *mut fc_instance_refresh,
    out_has: *mut bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, refresh, has) = unsafe {
            (
                group_ref(group)?,
                Out::new(out_refresh)?,
                Out::new(out_has)?,
            )
        };
        match group.instance_refresh() {
            Some(r) => {
                refresh.write(r.into());
                has.write(true);
            }
            None => has.write(false),
        }
        Ok(())
    })
}

/// Every `FC_PROCESS_*` bit: `SuspendProcesses` without a list.
pub const FC_PROCESS_ALL: u32 = 0xFF;

const _: () = assert!(Process::InstanceRefresh.number() * 2 - 1 == FC_PROCESS_ALL);

/// The processes of a mask, after checking it names only known ones.
fn processes(mask: u32) -> Result<impl Iterator<Item = Process>, fc_status> {
    if mask & !FC_PROCESS_ALL != 0 {
        return Err(fc_status::InvalidEnumValue);
    }
    Ok(Process::ALL
        .iter()
        .copied()
        .filter(move |p| mask & p.number() != 0))
}

/// `SuspendProcesses` for the processes in `mask` (`FC_PROCESS_*` bits or'ed together,
/// `FC_PROCESS_ALL` for all); others keep their state. While `FC_PROCESS_LAUNCH` is suspended
/// `fc_group_tick` launches nothing, and so on (SEMANTICS §2.4). Errors:
/// `FC_STATUS_INVALID_ENUM_VALUE` (a bit outside `FC_PROCESS_ALL`). The group is unchanged on
/// error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_suspend_processes(group: *mut fc_group, mask: u32) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let group = unsafe { group_mut(group) }?;
        for p in processes(mask)? {
            group.suspend(p);
        }
        Ok(())
    })
}

/// `ResumeProcesses` for the processes in `mask`. As `fc_group_suspend_processes`.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_resume_processes(group: *mut fc_group, mask: u32) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let group = unsafe { group_mut(group) }?;
        for p in processes(mask)? {
            group.resume(p);
        }
        Ok(())
    })
}

/// The mask of suspended processes (`FC_PROCESS_*` bits).
pub(crate) fn suspended_mask(g: &CoreGroup) -> u32 {
    Process::ALL
        .iter()
        .filter(|&&p| g.is_suspended(p))
        .fold(0, |m, p| m | p.number())
}
