//! `fc_group`: an EC2 Auto Scaling group in storage the C caller owns (SEMANTICS §2, §3).
//!
//! The caller fills an `fc_group_config` (start from `fc_group_config_default`), calls
//! `fc_group_init`, and then runs the loop of DESIGN.md: report what the world did with
//! `fc_group_observe`, call `fc_group_tick` to get the actions to carry out (launch, terminate,
//! start, stop, notify a hook), carry them out, and sleep until the deadline `fc_group_get_info` gives. Time
//! is always passed in as `now_ms`, milliseconds since the Unix epoch (scheduled actions read
//! cron expressions on a calendar).
//!
//! Model, where the C ABI needs one: the group remembers one version for its launch template.
//! Whatever version the group asks for (`$Default`, `$Latest`), it gets `template_version`
//! from the configuration; `fc_group_set_template_version` rolls it forward (the core's
//! `Group::set_template_versions`), and 0 means "no version resolves", so launches fail and
//! are retried every 10 s as the core does for a missing template. A C program that keeps real launch templates resolves
//! them itself and sets the number here.
//!
//! The storage holds no pointers: it may be copied with `memcpy` between calls. Nothing is
//! allocated; there is no `_free`. Functions taking `const fc_group *` only read and may run
//! together; any other call needs the group to itself.
//!
//! Stack use: `fc_group_init` and `fc_group_restore` build and decode the group in the caller's
//! storage, never as a whole on the stack: a few KB of stack (measured on a Cortex-M4 in the
//! firmware README), more only while a snapshot's price ledger or predictive policy is decoded.
//!
//! Capacity is in units (SEMANTICS §4.5): each member counts its `WeightedCapacity`, which is 1
//! unless a mixed-instances policy (`fc_group_set_mixed_instances`) gives weights, so min, max
//! and desired capacity are units too.

mod json;
mod process;
mod purchase;
mod scaling;

pub use json::*;
pub use process::*;
pub use purchase::*;
pub use scaling::*;

use core::ffi::c_char;
use core::mem::{MaybeUninit, align_of, size_of};

use fleetcore::group::GroupError;
use fleetcore::group::{
    Action, ActionKind, Event, EventKind, Group, GroupConfig, Health, HealthSource, HookResult,
    HookTransition, LifecycleHook, MAX_HOOKS, MAX_IDS_PER_CALL, MAX_PROTECTION_IDS, MAX_ZONES,
    Member, TemplateVersions, TerminationPolicy, ZONE_NAME_MAX,
};
use fleetcore::id::{InstanceId, TemplateId};
use fleetcore::{Duration, Instant};

use crate::boundary::{
    Out, OutSlice, OutText, TextBuf, boundary, enum_value, input, input_slice, input_str,
};
use crate::id::{fc_instance_id, fc_template_id};
use crate::state::state_from_code;
use crate::status::fc_status;

/// Most members an `fc_group` holds (its `MaxSize` can be at most this).
pub const FC_GROUP_MAX_MEMBERS: usize = 64;
/// Scaling activities an `fc_group` keeps in its history.
pub const FC_GROUP_HISTORY: usize = 32;
/// Most scheduled actions an `fc_group` holds (the service allows 125; each takes about 200
/// bytes).
pub const FC_GROUP_MAX_SCHEDULED: usize = 16;
/// Most zones a group spans.
pub const FC_GROUP_MAX_ZONES: usize = 8;
/// Longest zone name, in bytes (no NUL).
pub const FC_GROUP_ZONE_NAME_MAX: usize = 32;
/// Most lifecycle hooks a group holds.
pub const FC_GROUP_MAX_HOOKS: usize = 8;
/// Most instance ids `fc_group_enter_standby`, `_exit_standby`, `_detach` and `_attach` take.
pub const FC_GROUP_MAX_IDS_PER_CALL: usize = 20;
/// Most instance ids `fc_group_set_protection` takes.
pub const FC_GROUP_MAX_PROTECTION_IDS: usize = 50;
/// Bytes a buffer needs for any text `fc_group_action_format` writes, NUL included.
pub const FC_GROUP_ACTION_TEXT_SIZE: usize = 128;

/// Bytes of storage an `fc_group` takes (`sizeof(fc_group)`): the full group, with every part.
/// Room is left for the core to grow without changing the ABI; a const assertion checks, for
/// each target the library is built for, that the group fits.
#[cfg(not(feature = "lean-group"))]
pub const FC_GROUP_SIZE: usize = 65536;

/// Bytes of storage an `fc_group` takes in a lean build (`FC_GROUP_LEAN`): the same member,
/// policy, metric, alarm, schedule and history capacities, and none of the optional parts
/// (lifecycle hooks, HPA, predictive scaling, price ledger, mixed instances, warm pool,
/// instance refresh; calls that need one return `FC_STATUS_PART_NOT_STORED`).
#[cfg(feature = "lean-group")]
pub const FC_GROUP_SIZE: usize = 24576;

const _: () = assert!(FC_GROUP_MAX_ZONES == MAX_ZONES);
const _: () = assert!(FC_GROUP_ZONE_NAME_MAX == ZONE_NAME_MAX);
const _: () = assert!(FC_GROUP_MAX_HOOKS == MAX_HOOKS);
const _: () = assert!(FC_GROUP_MAX_IDS_PER_CALL == MAX_IDS_PER_CALL);
const _: () = assert!(FC_GROUP_MAX_PROTECTION_IDS == MAX_PROTECTION_IDS);

/// The core group behind an `fc_group`.
#[cfg(not(feature = "lean-group"))]
pub(crate) type CoreGroup = Group<FC_GROUP_MAX_MEMBERS, FullParts>;

/// The core group behind an `fc_group` in a lean build: no optional parts.
#[cfg(feature = "lean-group")]
pub(crate) type CoreGroup = Group<FC_GROUP_MAX_MEMBERS, LeanParts>;

/// The parts of the full C group.
pub(crate) type FullParts = fleetcore::group::AllParts<FC_GROUP_HISTORY, FC_GROUP_MAX_SCHEDULED>;

/// The parts of the lean C group (the `lean-group` feature): the full group's capacities,
/// without the optional parts.
pub(crate) type LeanParts = fleetcore::group::Lean<
    FC_GROUP_HISTORY,
    FC_GROUP_MAX_SCHEDULED,
    FC_GROUP_MAX_POLICIES,
    FC_GROUP_MAX_METRICS,
    FC_GROUP_MAX_ALARMS,
>;

/// Caller-owned storage for an Auto Scaling group of up to `FC_GROUP_MAX_MEMBERS` members.
///
/// Opaque: initialise it with `fc_group_init` (or `fc_group_restore`) and only touch it through
/// `fc_group_*` functions. Aligned to 8 bytes.
#[repr(C, align(8))]
pub struct fc_group {
    _opaque: [u8; FC_GROUP_SIZE],
}

/// What actually lives in an `fc_group`: a tag written by `fc_group_init`, then the core group
/// (which remembers the template version every launch resolves to).
#[repr(C)]
struct GroupCell {
    magic: u64,
    group: CoreGroup,
}

/// `"fcgroup"` and a layout version; anything else in the first word means "not initialised".
#[cfg(not(feature = "lean-group"))]
const MAGIC: u64 = u64::from_be_bytes(*b"fcgroup\x02");

const _: () = assert!(8 + size_of::<Group<FC_GROUP_MAX_MEMBERS, FullParts>>() <= 65536);
const _: () = assert!(8 + size_of::<Group<FC_GROUP_MAX_MEMBERS, LeanParts>>() <= 24576);

/// The lean group's tag: storage a full build set up is not a lean group, and the reverse.
#[cfg(feature = "lean-group")]
const MAGIC: u64 = u64::from_be_bytes(*b"fcgroupL");

const _: () = assert!(size_of::<GroupCell>() <= size_of::<fc_group>());
const _: () = assert!(align_of::<GroupCell>() <= align_of::<fc_group>());
const _: () = assert!(size_of::<fc_group>() == FC_GROUP_SIZE);

/// The C ABI's fixed template version (see the module docs) as the group keeps it: every
/// version spec resolves to `version`; 0 is no version (the template is gone).
fn fixed_versions(version: u32) -> Option<TemplateVersions> {
    (version != 0).then_some(TemplateVersions {
        default: version,
        latest: version,
    })
}

/// Checks NULL, alignment and the tag of group storage.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_group`.
unsafe fn checked_cell(p: *const fc_group) -> Result<*const GroupCell, fc_status> {
    if p.is_null() {
        return Err(fc_status::NullArgument);
    }
    if !p.is_aligned() {
        return Err(fc_status::MisalignedArgument);
    }
    let cell = p.cast::<GroupCell>();
    // SAFETY: not NULL and aligned for `fc_group`, hence for `GroupCell` (const assertions
    // above); readable for an `fc_group` by this function's contract, which covers the `u64`
    // tag at offset 0; any bit pattern is a valid `u64`.
    let magic = unsafe { (&raw const (*cell).magic).read() };
    if magic == MAGIC {
        Ok(cell)
    } else {
        Err(fc_status::Uninitialized)
    }
}

/// The initialised cell in `p`.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_group` that nothing writes during `'a`.
unsafe fn cell_ref<'a>(p: *const fc_group) -> Result<&'a GroupCell, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?;
    // SAFETY: `checked_cell` found the tag that `fc_group_init`/`fc_group_restore` write
    // together with a valid cell; readable and not written during 'a by the caller's contract.
    Ok(unsafe { &*cell })
}

/// The initialised cell in `p`, for a call that changes it.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of an `fc_group` that nothing else uses during
/// `'a`.
unsafe fn cell_mut<'a>(p: *mut fc_group) -> Result<&'a mut GroupCell, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?.cast_mut();
    // SAFETY: as in `cell_ref`, and the caller's contract gives this call exclusive use.
    Ok(unsafe { &mut *cell })
}

/// The initialised group in `p`.
///
/// # Safety
/// As [`cell_ref`].
pub(crate) unsafe fn group_ref<'a>(p: *const fc_group) -> Result<&'a CoreGroup, fc_status> {
    // SAFETY: forwarded from this function's contract.
    Ok(&unsafe { cell_ref(p) }?.group)
}

/// The initialised group in `p`, for a call that changes it.
///
/// # Safety
/// As [`cell_mut`].
pub(crate) unsafe fn group_mut<'a>(p: *mut fc_group) -> Result<&'a mut CoreGroup, fc_status> {
    // SAFETY: forwarded from this function's contract.
    Ok(&mut unsafe { cell_mut(p) }?.group)
}

/// `-1` is "not set"; other negative values are out of range.
pub(crate) fn optional(v: i64) -> Result<Option<u64>, fc_status> {
    match v {
        -1 => Ok(None),
        v => u64::try_from(v)
            .map(Some)
            .map_err(|_| fc_status::GroupOutOfRange),
    }
}

/// An optional count: `-1` or a `uint32_t` value.
pub(crate) fn optional_u32(v: i64) -> Result<Option<u32>, fc_status> {
    optional(v)?
        .map(|v| u32::try_from(v).map_err(|_| fc_status::GroupOutOfRange))
        .transpose()
}

/// An optional duration in milliseconds: `-1` or a length.
pub(crate) fn optional_ms(v: i64) -> Result<Option<Duration>, fc_status> {
    Ok(optional(v)?.map(Duration::from_millis))
}

fn termination_policy(v: u32) -> Result<TerminationPolicy, fc_status> {
    crate::boundary::enum_value(v)
}

/// `CreateAutoScalingGroup` parameters for `fc_group_init`. Fill it with
/// `fc_group_config_default` first, then set what differs. The pointers are borrowed for the
/// `fc_group_init` call only.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_group_config {
    /// `MinSize`.
    pub min_size: u32,
    /// `MaxSize`, at most `FC_GROUP_MAX_MEMBERS`.
    pub max_size: u32,
    /// `DesiredCapacity`, or -1 for `min_size`.
    pub desired_capacity: i64,
    /// Zones as one comma-separated string (`"us-east-1a,us-east-1b"`; spaces around names are
    /// dropped), or NULL to use `zone_list`. Launches go to the zone with the fewest members,
    /// ties to the first listed.
    pub zones: *const c_char,
    /// Zones as an array of `zone_count` strings, when `zones` is NULL.
    pub zone_list: *const *const c_char,
    /// Number of strings in `zone_list`.
    pub zone_count: usize,
    /// The launch template id, such as `"lt-0123456789abcdef0"`.
    pub template_id: *const c_char,
    /// The version every launch resolves to (see `fc_group_set_template_version`); 0: none.
    pub template_version: u32,
    /// Fixes member ids and random tie-breaks: the same seed and calls give the same run.
    pub seed: u64,
    /// `HealthCheckGracePeriod`, milliseconds (default 0).
    pub health_check_grace_period_ms: u64,
    /// `DefaultCooldown`, milliseconds, or -1 for the default 300 s.
    pub default_cooldown_ms: i64,
    /// `DefaultInstanceWarmup`, milliseconds (at most an hour), or -1 for none.
    pub default_instance_warmup_ms: i64,
    /// `MaxInstanceLifetime`, milliseconds (at least a day), or -1 for none.
    pub max_instance_lifetime_ms: i64,
    /// `TerminationPolicies` as `FC_TERMINATION_POLICY_*` values, in order, or NULL with a count
    /// of 0 for `[Default]`.
    pub termination_policies: *const u32,
    /// Number of values in `termination_policies`.
    pub termination_policy_count: usize,
    /// `NewInstancesProtectedFromScaleIn`.
    pub new_instances_protected_from_scale_in: bool,
}

/// Fills `*out_config` with the service's defaults: min 0, max 1, desired -1 (= min), no zones and
/// no template (both must be set), template version 1, seed 0, grace 0, cooldown -1 (300 s), no
/// warm-up, no lifetime, `[Default]` termination, no scale-in protection. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_config_default(out_config: *mut fc_group_config) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `out_config`.
        let out = unsafe { Out::new(out_config) }?;
        out.write(fc_group_config {
            min_size: 0,
            max_size: 1,
            desired_capacity: -1,
            zones: core::ptr::null(),
            zone_list: core::ptr::null(),
            zone_count: 0,
            template_id: core::ptr::null(),
            template_version: 1,
            seed: 0,
            health_check_grace_period_ms: 0,
            default_cooldown_ms: -1,
            default_instance_warmup_ms: -1,
            max_instance_lifetime_ms: -1,
            termination_policies: core::ptr::null(),
            termination_policy_count: 0,
            new_instances_protected_from_scale_in: false,
        });
        Ok(())
    })
}

/// The core configuration of a C one.
///
/// # Safety
/// The pointers in `c` are NULL or valid as `fc_group_config` documents.
unsafe fn core_config(c: &fc_group_config) -> Result<GroupConfig, fc_status> {
    // SAFETY: the caller's contract for `template_id`.
    let template = TemplateId::parse(unsafe { input_str(c.template_id) }?)?;
    let mut names: heapless::Vec<&str, MAX_ZONES> = heapless::Vec::new();
    match (
        c.zones.is_null(),
        c.zone_list.is_null() && c.zone_count == 0,
    ) {
        (false, true) => {
            // SAFETY: the caller's contract for `zones`.
            let text = unsafe { input_str(c.zones) }?;
            for name in text.split(',') {
                names
                    .push(name.trim())
                    .map_err(|_| fc_status::InvalidZones)?;
            }
        }
        (true, false) => {
            // SAFETY: the caller's contract for `zone_list` and `zone_count`.
            let list = unsafe { input_slice(c.zone_list, c.zone_count) }?;
            if list.len() > MAX_ZONES {
                return Err(fc_status::InvalidZones);
            }
            for &p in list {
                // SAFETY: each entry is NULL or a NUL-terminated string (caller's contract).
                let name = unsafe { input_str(p) }?;
                names.push(name).map_err(|_| fc_status::InvalidZones)?;
            }
        }
        // Both or neither given.
        _ => return Err(fc_status::InvalidZones),
    }
    let (first, rest) = names.split_first().ok_or(fc_status::InvalidZones)?;
    let mut config = GroupConfig::new(c.min_size, c.max_size, template, first)?;
    for name in rest {
        config.add_zone(name)?;
    }
    config.desired_capacity = optional_u32(c.desired_capacity)?;
    config.health_check_grace_period = Duration::from_millis(c.health_check_grace_period_ms);
    if let Some(d) = optional_ms(c.default_cooldown_ms)? {
        config.default_cooldown = d;
    }
    config.default_instance_warmup = optional_ms(c.default_instance_warmup_ms)?;
    config.max_instance_lifetime = optional_ms(c.max_instance_lifetime_ms)?;
    // SAFETY: the caller's contract for `termination_policies`.
    let policies = unsafe { input_slice(c.termination_policies, c.termination_policy_count) }?;
    if !policies.is_empty() {
        config.termination_policies.clear();
        for &p in policies {
            config
                .termination_policies
                .push(termination_policy(p)?)
                .map_err(|_| fc_status::InvalidTerminationPolicies)?;
        }
    }
    config.new_instances_protected_from_scale_in = c.new_instances_protected_from_scale_in;
    Ok(config)
}

/// Initialises `mem` as a new group (`CreateAutoScalingGroup`) from `*config`; it launches toward
/// its desired capacity at the first `fc_group_tick`. `mem` may be uninitialised; the group is
/// built in it (no copy on the stack); calling again replaces it. Errors: `FC_STATUS_NULL_ARGUMENT`
/// (`mem`, `config`, `template_id`, a zone string), `FC_STATUS_NOT_UTF8`, an `IdError` (template
/// id), `GroupError::InvalidZones` (none, both `zones` and `zone_list`, empty, repeated or too long
/// names, more than 8), `FC_STATUS_INVALID_ENUM_VALUE` (termination policy),
/// `GroupError::InvalidTerminationPolicies`, `GroupError::MaxBelowMin`,
/// `GroupError::DesiredOutOfRange`, `GroupError::MaxAboveCapacity`, `GroupError::OutOfRange` (a
/// negative value other than -1, a lifetime under a day, a warm-up over an hour). Not thread-safe:
/// no other call may use `mem` at the same time.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_init(
    mem: *mut fc_group,
    config: *const fc_group_config,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `config`.
        let config = unsafe { input(config) }?;
        // SAFETY: the caller's contract for `mem` (NULL or writable for an `fc_group`).
        let mut cell = unsafe { unwritten_cell(mem) }?;
        // SAFETY: the caller's contract for the pointers inside `config`.
        let core = unsafe { core_config(config) }?;
        // Built in place: a `CoreGroup` temporary would need some 58 KB of stack.
        CoreGroup::init(cell.group_slot(), core, config.seed)?;
        cell.finish(config.template_version);
        Ok(())
    })
}

/// Group storage about to be (re)initialised: only its fields are written, never read, until
/// [`Unwritten::finish`] tags it.
struct Unwritten<'a>(&'a mut MaybeUninit<GroupCell>);

impl Unwritten<'_> {
    /// The group's place, for `Group::init`.
    fn group_slot(&mut self) -> &mut MaybeUninit<CoreGroup> {
        let group = self.0.as_mut_ptr();
        // SAFETY: `group` points into the cell this value borrows mutably, so the field is in
        // bounds, aligned and unaliased for the returned borrow; `MaybeUninit` has no validity
        // requirement, so any bytes there are fine.
        unsafe { &mut *(&raw mut (*group).group).cast::<MaybeUninit<CoreGroup>>() }
    }

    /// Tags the cell as initialised. Call only once `group_slot` holds a group.
    fn finish(self, template_version: u32) {
        let cell = self.0.as_mut_ptr();
        // SAFETY: in bounds and aligned (the cell is borrowed mutably). The caller wrote a
        // valid group into the slot first, so it may be used, and the tag then marks a valid
        // cell.
        unsafe {
            (*cell)
                .group
                .set_template_versions(fixed_versions(template_version));
            (&raw mut (*cell).magic).write(MAGIC);
        }
    }
}

/// Group storage to write a new cell into.
///
/// # Safety
/// `p` is NULL or valid for writing an `fc_group` that nothing else uses during `'a`.
unsafe fn unwritten_cell<'a>(p: *mut fc_group) -> Result<Unwritten<'a>, fc_status> {
    if p.is_null() {
        return Err(fc_status::NullArgument);
    }
    if !p.is_aligned() {
        return Err(fc_status::MisalignedArgument);
    }
    // SAFETY: not NULL, aligned for `fc_group` hence for `GroupCell` (const assertions above),
    // writable and unshared during 'a by the caller's contract; `MaybeUninit` makes no
    // claim about the bytes.
    Ok(Unwritten(unsafe {
        &mut *p.cast::<MaybeUninit<GroupCell>>()
    }))
}

/// Sets the version every launch from now on resolves to (a new launch template version became the
/// default); 0 makes launches fail and retry until a version is set. Members launched from older
/// versions go first on scale-in under the `Default` policy. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_set_template_version(
    group: *mut fc_group,
    version: u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let cell = unsafe { cell_mut(group) }?;
        cell.group.set_template_versions(fixed_versions(version));
        Ok(())
    })
}

/// `SetDesiredCapacity`: the next `fc_group_tick` launches or terminates toward it. Errors:
/// `GroupError::DesiredAboveMax`, `GroupError::DesiredBelowMin`, `FC_STATUS_IN_COOLDOWN` (with
/// `honor_cooldown` during a simple policy's cooldown). The group is unchanged on error. Not
/// thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_set_desired(
    group: *mut fc_group,
    now_ms: u64,
    desired: u32,
    honor_cooldown: bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let group = unsafe { group_mut(group) }?;
        group.set_desired(Instant::from_millis(now_ms), desired, honor_cooldown)?;
        Ok(())
    })
}

/// `UpdateAutoScalingGroup` for the sizes; -1 keeps a value. Without a desired capacity, a new min
/// above it raises it and a new max below it lowers it (SEMANTICS §2.1). Errors:
/// `GroupError::OutOfRange` (negative other than -1, or above `UINT32_MAX`),
/// `GroupError::MaxBelowMin`, `GroupError::DesiredOutOfRange`, `GroupError::MaxAboveCapacity`. The
/// group is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_update_size(
    group: *mut fc_group,
    min_size: i64,
    max_size: i64,
    desired_capacity: i64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let group = unsafe { group_mut(group) }?;
        group.update_size(
            optional_u32(min_size)?,
            optional_u32(max_size)?,
            optional_u32(desired_capacity)?,
        )?;
        Ok(())
    })
}

fn transition_to_u32(t: HookTransition) -> u32 {
    t.number()
}

fn transition_from_u32(v: u32) -> Result<HookTransition, fc_status> {
    crate::boundary::enum_value(v)
}

fn hook_result(v: u32) -> Result<HookResult, fc_status> {
    crate::boundary::enum_value(v)
}

/// One action for the caller to carry out, as `fc_group_tick` writes it. A plain value; copy
/// it freely. Fields that do not apply to `kind` are zero.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_group_action {
    /// What to do (`FC_GROUP_ACTION_KIND_*`).
    pub kind: u32,
    /// The instance.
    pub id: fc_instance_id,
    /// Launch: index of the zone in the group's zone list (`fc_group_zone_name`).
    pub zone: u8,
    /// Notify: index of the lifecycle hook.
    pub hook: u8,
    /// Stop: hibernate rather than stop.
    pub hibernate: bool,
    /// Launch: the launch template.
    pub template_id: fc_template_id,
    /// Launch: the resolved template version.
    pub version: u32,
    /// Notify: the transition paused (`FC_HOOK_TRANSITION_*`).
    pub transition: u32,
    /// Launch: On-Demand or Spot (`FC_MARKET_*`); always On-Demand without a mixed-instances
    /// policy.
    pub market: u32,
    /// Launch: index of the instance type in the group's price table (`fc_group_type_name`);
    /// 0, the template's own type, without a mixed-instances policy.
    pub instance_type: u8,
}

impl fc_group_action {
    /// An action of C kind `kind` (`ActionKind::number`, 0 for one this ABI has no number for).
    fn zeroed(kind: u32, id: InstanceId) -> Self {
        Self {
            kind,
            id: id.into(),
            zone: 0,
            hook: 0,
            hibernate: false,
            template_id: fc_template_id {
                digits: [0; 17],
                len: 0,
            },
            version: 0,
            transition: 0,
            market: fleetcore::purchase::MarketKind::OnDemand.number(),
            instance_type: 0,
        }
    }

    pub(crate) fn from_core(a: &Action) -> Self {
        let kind = a.kind().number();
        match *a {
            Action::Launch {
                id,
                zone,
                template,
                version,
                market,
                instance_type,
            } => Self {
                zone,
                template_id: template.into(),
                version,
                market: market_to_u32(market),
                instance_type,
                ..Self::zeroed(kind, id)
            },
            Action::Terminate { id } | Action::Start { id } => Self::zeroed(kind, id),
            Action::Stop { id, hibernate } => Self {
                hibernate,
                ..Self::zeroed(kind, id)
            },
            Action::NotifyHook {
                id,
                hook,
                transition,
            } => Self {
                hook,
                transition: transition_to_u32(transition),
                ..Self::zeroed(kind, id)
            },
            // `Action` is non_exhaustive: a newer core's action is C's UNKNOWN (0).
            _ => Self::zeroed(0, InstanceId::from_u64(0)),
        }
    }

    /// The core action, after checking the fields that matter for `kind`.
    fn to_core(self) -> Result<Action, fc_status> {
        let id = self.id.to_core()?;
        Ok(match enum_value::<ActionKind>(self.kind)? {
            ActionKind::Launch => Action::Launch {
                id,
                zone: self.zone,
                template: self.template_id.to_core()?,
                version: self.version,
                market: market_from_u32(self.market)?,
                instance_type: self.instance_type,
            },
            ActionKind::Terminate => Action::Terminate { id },
            ActionKind::Start => Action::Start { id },
            ActionKind::Stop => Action::Stop {
                id,
                hibernate: self.hibernate,
            },
            ActionKind::NotifyHook => Action::NotifyHook {
                id,
                hook: self.hook,
                transition: transition_from_u32(self.transition)?,
            },
            // `ActionKind` is non_exhaustive.
            _ => return Err(fc_status::InvalidEnumValue),
        })
    }
}

/// Decides what is due at `now_ms` and writes up to `cap` of the actions decided into `out_actions`
/// (as `fc_group_decide` then `fc_group_drain`): lifecycle hook timeouts, scheduled actions, alarms
/// and policies, replacement of unhealthy members, launches up to desired capacity, terminations
/// down to it and zone rebalancing. Actions beyond `cap` stay decided for `fc_group_drain` (or the
/// next tick), counted in `fc_group_info.pending_actions`. Carry out every action written (or
/// report its failure with `fc_group_observe`). `*out_len` is the number written. Errors:
/// `FC_STATUS_BUFFER_TOO_SMALL` when `cap` is 0. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_tick(
    group: *mut fc_group,
    now_ms: u64,
    out_actions: *mut fc_group_action,
    cap: usize,
    out_len: *mut usize,
) -> fc_status {
    // SAFETY: the caller's contract for every pointer, which is `drain`'s.
    unsafe { drain(group, Some(now_ms), out_actions, cap, out_len) }
}

/// Decides everything due at `now_ms` (what `fc_group_tick` decides) and keeps the actions in the
/// group for `fc_group_drain`. Deciding again at the same instant decides nothing new. Not
/// thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_decide(group: *mut fc_group, now_ms: u64) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let cell = unsafe { cell_mut(group)? };
        cell.group.decide(Instant::from_millis(now_ms));
        Ok(())
    })
}

/// Takes up to `cap` decided actions out of the group into `out_actions`, in the order the group
/// hands them out, and sets `*out_len` to the number written; call it until that is less than
/// `cap`. Any `cap` gives the same actions in the same order; `cap` 0 takes none. Errors:
/// `FC_STATUS_NULL_ARGUMENT` (a NULL `out_actions` too, whatever `cap`). Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_drain(
    group: *mut fc_group,
    out_actions: *mut fc_group_action,
    cap: usize,
    out_len: *mut usize,
) -> fc_status {
    // SAFETY: the caller's contract for every pointer, which is `drain`'s.
    unsafe { drain(group, None, out_actions, cap, out_len) }
}

/// `fc_group_drain`, after deciding at `now_ms` when given (`fc_group_tick`, which refuses a
/// `cap` of 0).
///
/// # Safety
/// `group` is NULL or an `fc_group`; `out_actions` is NULL or valid for writing `cap`
/// `fc_group_action`s; `out_len` is NULL or valid for writing a `size_t`; none overlap.
unsafe fn drain(
    group: *mut fc_group,
    now_ms: Option<u64>,
    out_actions: *mut fc_group_action,
    cap: usize,
    out_len: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (cell, mut actions, len) = unsafe {
            (
                cell_mut(group)?,
                OutSlice::new(out_actions, cap)?,
                Out::new(out_len)?,
            )
        };
        if let Some(now) = now_ms {
            if actions.len() == 0 {
                return Err(fc_status::BufferTooSmall);
            }
            cell.group.decide(Instant::from_millis(now));
        }
        len.write(actions.take_from(&mut cell.group));
        Ok(())
    })
}

impl OutSlice<'_, fc_group_action> {
    /// Takes decided actions out of `group` while there is room; returns how many.
    fn take_from(&mut self, group: &mut CoreGroup) -> usize {
        let mut i = 0usize;
        while i < self.len() {
            let Some(a) = group.actions().next() else {
                break;
            };
            if self.put(i, fc_group_action::from_core(&a)) {
                i = i.saturating_add(1);
            }
        }
        i
    }
}

/// Writes an action as one log line (no newline) and a NUL into `out_buf`, in the core's form:
/// `launch i-0123456789abcdef0 in zone 0 from lt-0123456789abcdef0 version 1` (Rust's `Display`, so
/// logs from C, Rust and Python compare byte for byte); `*out_written` is the text's length.
/// `FC_GROUP_ACTION_TEXT_SIZE` is always enough. A launch bought on Spot or as a type other than 0
/// ends in ` as spot type 1` (the market and the type index); a plain On-Demand launch of type 0
/// prints as before purchasing existed. Errors: `FC_STATUS_BUFFER_TOO_SMALL`, and for fields not
/// written by this library: `FC_STATUS_INVALID_ENUM_VALUE` (`kind`, `transition`, `market`) or an
/// `IdError`. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_action_format(
    action: *const fc_group_action,
    out_buf: *mut c_char,
    len: usize,
    out_written: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (action, buf, written) = unsafe {
            (
                input(action)?,
                OutText::new(out_buf, len)?,
                Out::new(out_written)?,
            )
        };
        let action = action.to_core()?;
        let mut text = TextBuf::<FC_GROUP_ACTION_TEXT_SIZE>::new();
        core::fmt::Write::write_fmt(&mut text, format_args!("{action}"))
            .map_err(|_| fc_status::BufferTooSmall)?;
        written.write(buf.write(text.as_bytes())?);
        Ok(())
    })
}

fn health_source(v: u32) -> Result<HealthSource, fc_status> {
    crate::boundary::enum_value(v)
}

/// A report from the world for `fc_group_observe`. Fields that do not apply to `kind` are
/// ignored.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_group_event {
    /// What happened (`FC_GROUP_EVENT_KIND_*`).
    pub kind: u32,
    /// The member.
    pub id: fc_instance_id,
    /// `EC2_STATE`: the state (`FC_INSTANCE_STATE_*`).
    pub ec2_state: u32,
    /// `UNHEALTHY`: who says so (`FC_HEALTH_SOURCE_*`).
    pub health_source: u32,
    /// `HOOK_*`: the hook's index.
    pub hook: u8,
    /// `HOOK_COMPLETED`: the answer (`FC_HOOK_RESULT_*`).
    pub hook_result: u32,
}

impl fc_group_event {
    fn to_core(self) -> Result<Event, fc_status> {
        let id = self.id.to_core()?;
        Ok(match enum_value::<EventKind>(self.kind)? {
            EventKind::Booted => Event::Booted(id),
            EventKind::LaunchFailed => Event::LaunchFailed(id),
            EventKind::Terminated => Event::Terminated(id),
            EventKind::Ec2State => Event::Ec2State(id, state_from_code(self.ec2_state)?),
            EventKind::Unhealthy => Event::Unhealthy(id, health_source(self.health_source)?),
            EventKind::HookCompleted => {
                Event::HookCompleted(id, self.hook, hook_result(self.hook_result)?)
            }
            EventKind::HookHeartbeat => Event::HookHeartbeat(id, self.hook),
            EventKind::SpotInterruption => Event::SpotInterruption(id),
            EventKind::RebalanceRecommendation => Event::RebalanceRecommendation(id),
            // `EventKind` is non_exhaustive.
            _ => return Err(fc_status::InvalidEnumValue),
        })
    }
}

/// Applies a report from the world about one member. Errors: `FC_STATUS_INVALID_ENUM_VALUE`
/// (`kind`, `health_source`, `hook_result`), `LifecycleError::InvalidStateCode`, an `IdError`,
/// `FC_STATUS_UNKNOWN_MEMBER`, `GroupError::UnknownHook`, `GroupError::NotWaiting`,
/// `GroupError::NotSpot` (a Spot event about an On-Demand member). The group is unchanged on
/// error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_observe(
    group: *mut fc_group,
    now_ms: u64,
    event: *const fc_group_event,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `event`.
        let (group, event) = unsafe { (group_mut(group)?, input(event)?) };
        group.observe(Instant::from_millis(now_ms), event.to_core()?)?;
        Ok(())
    })
}

/// Slots of `fc_group_info.by_state`: one per `FC_MEMBER_STATE_*` value.
pub const FC_MEMBER_STATE_SLOTS: usize = 23;

/// A group's figures at one moment, read in one call by `fc_group_get_info`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_group_info {
    /// `DesiredCapacity`.
    pub desired: u32,
    /// `MinSize`.
    pub min_size: u32,
    /// `MaxSize` (predictive scaling may raise it).
    pub max_size: u32,
    /// Units launching or in service: what the group compares with desired capacity (each
    /// member counts its weight; a Spot member whose Capacity Rebalancing replacement is on
    /// its way no longer counts).
    pub capacity: u32,
    /// Members in service (instances, not units).
    pub in_service: u32,
    /// Units in service: each member in service counts its weight.
    pub in_service_units: u32,
    /// On-Demand units counting toward capacity.
    pub on_demand_units: u32,
    /// Spot units counting toward capacity.
    pub spot_units: u32,
    /// Members in any state, the count `fc_group_member_at` indexes.
    pub member_count: u32,
    /// Members by `LifecycleState`, indexed by `FC_MEMBER_STATE_*`.
    pub by_state: [u32; FC_MEMBER_STATE_SLOTS],
    /// Members in or on their way into the warm pool (not those leaving it).
    pub warm_count: u32,
    /// The size the warm pool is kept at now (0 without a pool).
    pub warm_pool_target: u32,
    /// The mask of suspended processes (`FC_PROCESS_*` bits).
    pub suspended_processes: u32,
    /// Decided actions `fc_group_drain` has still to hand out.
    pub pending_actions: usize,
    /// Whether anything is due: if false, nothing is until something is reported or requested.
    pub has_deadline: bool,
    /// When the next `fc_group_decide` (or `fc_group_tick`) is due, in ms; 0 if `has_deadline`
    /// is false.
    pub next_deadline_ms: u64,
}

/// Reads a group's figures (sizes, capacity, counts by state, warm pool, suspended processes,
/// pending actions, next deadline) into `*out_info`; on error nothing is written. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_get_info(
    group: *const fc_group,
    out_info: *mut fc_group_info,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_info`.
        let (group, out) = unsafe { (group_ref(group)?, Out::new(out_info)?) };
        out.write(info(group));
        Ok(())
    })
}

/// The figures of `fc_group_info`.
pub(crate) fn info(g: &CoreGroup) -> fc_group_info {
    let mut by_state = [0u32; FC_MEMBER_STATE_SLOTS];
    for m in g.members() {
        let slot = usize::try_from(m.state().number()).ok();
        if let Some(n) = slot.and_then(|i| by_state.get_mut(i)) {
            *n = n.saturating_add(1);
        }
    }
    let (on_demand_units, spot_units) = g.units_by_market();
    let deadline = g.next_deadline();
    fc_group_info {
        desired: g.desired(),
        min_size: g.min_size(),
        max_size: g.max_size(),
        capacity: g.capacity(),
        in_service: g.in_service(),
        in_service_units: g.in_service_units(),
        on_demand_units,
        spot_units,
        member_count: u32::try_from(g.members().len()).unwrap_or(u32::MAX),
        by_state,
        warm_count: g.warm_count(),
        warm_pool_target: g.warm_pool_target(),
        suspended_processes: process::suspended_mask(g),
        pending_actions: g.pending_actions(),
        has_deadline: deadline.is_some(),
        next_deadline_ms: deadline.map_or(0, Instant::total_millis),
    }
}

/// One member, as `fc_group_member_at` reports it. A plain value.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_group_member {
    /// The instance.
    pub id: fc_instance_id,
    /// Index of its zone in the group's zone list; 255 if its zone was removed.
    pub zone: u8,
    /// Health status: false once marked unhealthy (it will be replaced).
    pub healthy: bool,
    /// Protected from scale-in.
    pub scale_in_protected: bool,
    /// `LifecycleState` (`FC_MEMBER_STATE_*`).
    pub state: u32,
    /// The EC2 state last reported (`FC_INSTANCE_STATE_*`).
    pub ec2_state: u32,
    /// The template version it was launched from; 0 for an attached instance.
    pub template_version: u32,
    /// When it was launched or attached.
    pub launched_at_ms: u64,
    /// When it last entered service, or -1 if it has not.
    pub in_service_at_ms: i64,
    /// How it is bought (`FC_MARKET_*`).
    pub market: u32,
    /// Index of its instance type in the group's price table (0 without a mixed-instances
    /// policy, and for attached or restored instances).
    pub instance_type: u8,
    /// Units of capacity it counts for (`WeightedCapacity`; 1 without weights).
    pub weight: u16,
    /// The newest Spot signal EC2 gave it (`FC_SPOT_SIGNAL_*`); a notice outranks a
    /// recommendation.
    pub spot_signal: u32,
    /// Whether `replaces` is set.
    pub has_replaces: bool,
    /// The member it was launched to replace (Capacity Rebalancing), while that one is still in
    /// the group; all zero when `has_replaces` is false.
    pub replaces: fc_instance_id,
}

impl fc_group_member {
    /// Member `m`, which replaces `replaces` (the group keeps that beside the member).
    fn new(m: &Member, replaces: Option<fleetcore::id::InstanceId>) -> Self {
        Self {
            id: m.id().into(),
            zone: m.zone(),
            healthy: m.health() == Health::Healthy,
            scale_in_protected: m.is_protected(),
            state: m.state().number(),
            ec2_state: m.ec2_state().code().into(),
            template_version: m.launch_template_version().unwrap_or(0),
            launched_at_ms: m.launched_at().total_millis(),
            in_service_at_ms: m
                .in_service_at()
                .map_or(-1, |t| i64::try_from(t.total_millis()).unwrap_or(i64::MAX)),
            market: market_to_u32(m.market()),
            instance_type: m.instance_type(),
            weight: m.weight(),
            spot_signal: spot_signal_to_u32(m.spot_signal()),
            has_replaces: replaces.is_some(),
            replaces: replaces.map_or(NO_ID, fc_instance_id::from),
        }
    }
}

/// Member `index` (0 to `fc_group_info.member_count` - 1), in launch order. Indices move as members
/// leave; use the id to follow one member. Errors: `FC_STATUS_INDEX_OUT_OF_RANGE`. `*out_member` is
/// written only on success. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_member_at(
    group: *const fc_group,
    index: u32,
    out_member: *mut fc_group_member,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_member`.
        let (group, out) = unsafe { (group_ref(group)?, Out::new(out_member)?) };
        let i = usize::try_from(index).map_err(|_| fc_status::IndexOutOfRange)?;
        let m = group.members().get(i).ok_or(fc_status::IndexOutOfRange)?;
        out.write(fc_group_member::new(m, group.member_replaces(i)));
        Ok(())
    })
}

/// The name of zone `index` of the group (the index an `FC_GROUP_ACTION_KIND_LAUNCH` carries), and
/// a NUL, into `out_buf`; `FC_GROUP_ZONE_NAME_MAX + 1` bytes are always enough. On success
/// `*out_written` is the name's length; on error nothing is written. Errors:
/// `FC_STATUS_INDEX_OUT_OF_RANGE`, `FC_STATUS_BUFFER_TOO_SMALL`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_zone_name(
    group: *const fc_group,
    index: u32,
    out_buf: *mut c_char,
    len: usize,
    out_written: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, buf, written) = unsafe {
            (
                group_ref(group)?,
                OutText::new(out_buf, len)?,
                Out::new(out_written)?,
            )
        };
        let name = usize::try_from(index)
            .ok()
            .and_then(|i| group.config().zones.get(i))
            .ok_or(fc_status::IndexOutOfRange)?;
        written.write(buf.write(name.as_bytes())?);
        Ok(())
    })
}

/// `PutLifecycleHook`: members pause in `Pending:Wait` or `Terminating:Wait` for `transition`
/// (`FC_HOOK_TRANSITION_*`) until the hook answers or `heartbeat_timeout_ms` (30 s to 2 h) passes,
/// which gives `default_result` (`FC_HOOK_RESULT_*`). On success `*out_index` is the hook's index,
/// as actions and events name it. Errors: `FC_STATUS_INVALID_ENUM_VALUE`,
/// `GroupError::HeartbeatOutOfRange`, `GroupError::TooManyHooks`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_put_lifecycle_hook(
    group: *mut fc_group,
    transition: u32,
    heartbeat_timeout_ms: u64,
    default_result: u32,
    out_index: *mut u8,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_index`.
        let (group, out) = unsafe { (group_mut(group)?, Out::new(out_index)?) };
        let hook = LifecycleHook {
            transition: transition_from_u32(transition)?,
            heartbeat_timeout: Duration::from_millis(heartbeat_timeout_ms),
            default_result: hook_result(default_result)?,
        };
        out.write(group.put_lifecycle_hook(hook)?);
        Ok(())
    })
}

/// Converts up to `LIMIT` C ids; more is the core's `TooManyIds`.
///
/// # Safety
/// `ids` is NULL or points to `count` `fc_instance_id`s.
unsafe fn core_ids<const LIMIT: usize>(
    ids: *const fc_instance_id,
    count: usize,
) -> Result<heapless::Vec<InstanceId, LIMIT>, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let ids = unsafe { input_slice(ids, count) }?;
    if ids.len() > LIMIT {
        return Err(GroupError::TooManyIds {
            count: ids.len(),
            limit: LIMIT,
        }
        .into());
    }
    let mut out = heapless::Vec::new();
    for id in ids {
        out.push(id.to_core()?).map_err(|_| fc_status::TooManyIds)?;
    }
    Ok(out)
}

/// `EnterStandby` for `count` members (at most `FC_GROUP_MAX_IDS_PER_CALL`): they leave service but
/// stay in the group. With `decrement`, desired capacity falls by as many; without, replacements
/// launch. Errors: `FC_STATUS_NULL_ARGUMENT` (also `ids` NULL with `count` > 0), an `IdError`,
/// `GroupError::TooManyIds`, `FC_STATUS_UNKNOWN_MEMBER`, `FC_STATUS_WRONG_MEMBER_STATE` (not in
/// service), `GroupError::BelowMin`. The group is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_enter_standby(
    group: *mut fc_group,
    now_ms: u64,
    ids: *const fc_instance_id,
    count: usize,
    decrement: bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `ids`.
        let (group, ids) =
            unsafe { (group_mut(group)?, core_ids::<MAX_IDS_PER_CALL>(ids, count)?) };
        group.enter_standby(Instant::from_millis(now_ms), &ids, decrement)?;
        Ok(())
    })
}

/// `ExitStandby`: standby members return to service and desired capacity rises by as many. Errors:
/// as `fc_group_enter_standby`, with `FC_STATUS_WRONG_MEMBER_STATE` for a member not in standby and
/// `GroupError::AboveMax` instead of `GroupError::BelowMin`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_exit_standby(
    group: *mut fc_group,
    now_ms: u64,
    ids: *const fc_instance_id,
    count: usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `ids`.
        let (group, ids) =
            unsafe { (group_mut(group)?, core_ids::<MAX_IDS_PER_CALL>(ids, count)?) };
        group.exit_standby(Instant::from_millis(now_ms), &ids)?;
        Ok(())
    })
}

/// `SetInstanceProtection` for `count` members (at most `FC_GROUP_MAX_PROTECTION_IDS`): protected
/// members are never picked for scale-in. Errors: an `IdError`, `GroupError::TooManyIds`,
/// `FC_STATUS_UNKNOWN_MEMBER`. The group is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_set_protection(
    group: *mut fc_group,
    ids: *const fc_instance_id,
    count: usize,
    protect: bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `ids`.
        let (group, ids) = unsafe {
            (
                group_mut(group)?,
                core_ids::<MAX_PROTECTION_IDS>(ids, count)?,
            )
        };
        group.set_protection(&ids, protect)?;
        Ok(())
    })
}

/// `SetInstanceHealth`: marks a member healthy or unhealthy (replaced at once). With
/// `respect_grace_period`, an unhealthy mark inside the health check grace period is ignored.
/// Errors: an `IdError`, `FC_STATUS_UNKNOWN_MEMBER`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_set_health(
    group: *mut fc_group,
    now_ms: u64,
    id: *const fc_instance_id,
    healthy: bool,
    respect_grace_period: bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `id`.
        let (group, id) = unsafe { (group_mut(group)?, input(id)?.to_core()?) };
        let health = if healthy {
            Health::Healthy
        } else {
            Health::Unhealthy
        };
        group.set_health(
            Instant::from_millis(now_ms),
            id,
            health,
            respect_grace_period,
        )?;
        Ok(())
    })
}

/// `DetachInstances`: members in service or standby leave the group (their instances keep running).
/// With `decrement`, desired capacity falls by as many; without, replacements launch. Errors: as
/// `fc_group_enter_standby`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_detach(
    group: *mut fc_group,
    now_ms: u64,
    ids: *const fc_instance_id,
    count: usize,
    decrement: bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `ids`.
        let (group, ids) =
            unsafe { (group_mut(group)?, core_ids::<MAX_IDS_PER_CALL>(ids, count)?) };
        group.detach(Instant::from_millis(now_ms), &ids, decrement)?;
        Ok(())
    })
}

/// `AttachInstances`: `count` running instances join in service, instance `i` in zone `zones[i]`;
/// desired capacity rises by as many. Errors: an `IdError`, `GroupError::TooManyIds`,
/// `GroupError::AlreadyMember`, `GroupError::InvalidZones` (zone index out of range),
/// `GroupError::AboveMax`, `FC_STATUS_GROUP_FULL`. The group is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_attach(
    group: *mut fc_group,
    now_ms: u64,
    ids: *const fc_instance_id,
    zones: *const u8,
    count: usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, ids, zones) = unsafe {
            (
                group_mut(group)?,
                core_ids::<MAX_IDS_PER_CALL>(ids, count)?,
                input_slice(zones, count)?,
            )
        };
        let mut pairs: heapless::Vec<(InstanceId, u8), MAX_IDS_PER_CALL> = heapless::Vec::new();
        for (&id, &zone) in ids.iter().zip(zones) {
            pairs.push((id, zone)).map_err(|_| fc_status::TooManyIds)?;
        }
        group.attach(Instant::from_millis(now_ms), &pairs)?;
        Ok(())
    })
}

/// Bytes `fc_group_snapshot` needs for the group as it is now. On success `*out_len` is set.
/// Errors: `SnapshotError::Encoding`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_snapshot_len(
    group: *const fc_group,
    out_len: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_len`.
        let (group, out) = unsafe { (group_ref(group)?, Out::new(out_len)?) };
        out.write(group.snapshot_len()?);
        Ok(())
    })
}

/// Writes the whole group state into `out_buf` as a versioned, checksummed snapshot (the core's
/// format) for `fc_group_restore`: save it to flash after every call that changed the group and
/// before carrying out the actions a tick wrote. The template version is not part of it
/// (`fc_group_restore` takes it). On success `*out_written` is the snapshot's length; on error
/// nothing is written. Errors: `FC_STATUS_BUFFER_TOO_SMALL` (ask `fc_group_snapshot_len`),
/// `SnapshotError::Encoding`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_snapshot(
    group: *const fc_group,
    out_buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, buf, written) = unsafe {
            (
                group_ref(group)?,
                OutSlice::new(out_buf, len)?,
                Out::new(out_written)?,
            )
        };
        let needed = group.snapshot_len()?;
        let bytes = buf.zeroed(needed)?;
        written.write(group.snapshot(bytes)?);
        Ok(())
    })
}

/// Initialises `mem` from a snapshot `fc_group_snapshot` wrote (`len` bytes at `bytes`), with
/// launches resolving to `template_version`. The group is decoded in `mem` itself, with a few KB of
/// stack. Like `fc_group_init`, `mem` may be uninitialised. `bytes` may be a whole flash sector
/// that starts with the snapshot (its header gives its length). On error, a group `mem` held is
/// unchanged (the snapshot is checked whole before anything is written); storage that held none
/// stays uninitialised, though its bytes may have changed. Errors: `FC_STATUS_SNAPSHOT_TRUNCATED`,
/// `SnapshotError::NotASnapshot`, `SnapshotError::UnsupportedVersion`, `SnapshotError::WrongKind`,
/// `FC_STATUS_SNAPSHOT_CHECKSUM`, `SnapshotError::CapacityMismatch` (taken from a group of other
/// capacities), `FC_STATUS_SNAPSHOT_MALFORMED`, `SnapshotError::Inconsistent`. Not thread-safe: no
/// other call may use `mem` at the same time.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_restore(
    mem: *mut fc_group,
    bytes: *const u8,
    len: usize,
    template_version: u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `bytes`.
        let bytes = unsafe { input_slice(bytes, len) }?;
        if bytes.is_empty() {
            return Err(fc_status::SnapshotTruncated);
        }
        // SAFETY: the caller's contract for `mem`: NULL or valid for an `fc_group`.
        match unsafe { checked_cell(mem) } {
            Ok(_) => {
                // SAFETY: tagged, so a valid cell; the caller gives this call exclusive use.
                let cell = unsafe { cell_mut(mem) }?;
                // Atomic: on error the group is unchanged.
                cell.group.restore_into(bytes)?;
                cell.group
                    .set_template_versions(fixed_versions(template_version));
                Ok(())
            }
            Err(fc_status::Uninitialized) => {
                // SAFETY: the caller's contract for `mem`.
                let mut cell = unsafe { unwritten_cell(mem) }?;
                // A stand-in group to decode into, built in place; the tag is written only
                // once the snapshot is in, so on error the storage stays uninitialised.
                let stand_in = GroupConfig::new(0, 0, TemplateId::from_u64(0), "-")?;
                let group = CoreGroup::init(cell.group_slot(), stand_in, 0)?;
                group.restore_into(bytes)?;
                cell.finish(template_version);
                Ok(())
            }
            Err(e) => Err(e),
        }
    })
}

#[cfg(test)]
mod tests;

/// The initialisers under the names a program compiled with `FC_GROUP_LEAN` links to (the
/// header renames them), which only a lean build defines: such a program, whose `fc_group` is
/// `FC_GROUP_SIZE` of a lean build, cannot link with a full library.
#[cfg(feature = "lean-group")]
mod lean {
    use super::{fc_group, fc_group_config, fc_group_json_options, fc_status};
    use crate::fc_config_error;

    /// `fc_group_init` of a lean build.
    ///
    /// cbindgen:ignore
    ///
    /// # Safety
    /// As `fc_group_init`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn fc_group_init_lean(
        mem: *mut fc_group,
        config: *const fc_group_config,
    ) -> fc_status {
        // SAFETY: the caller's contract, which is `fc_group_init`'s.
        unsafe { super::fc_group_init(mem, config) }
    }

    /// `fc_group_restore` of a lean build.
    ///
    /// cbindgen:ignore
    ///
    /// # Safety
    /// As `fc_group_restore`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn fc_group_restore_lean(
        mem: *mut fc_group,
        bytes: *const u8,
        len: usize,
        template_version: u32,
    ) -> fc_status {
        // SAFETY: the caller's contract, which is `fc_group_restore`'s.
        unsafe { super::fc_group_restore(mem, bytes, len, template_version) }
    }

    /// `fc_group_init_json` of a lean build.
    ///
    /// cbindgen:ignore
    ///
    /// # Safety
    /// As `fc_group_init_json`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn fc_group_init_json_lean(
        mem: *mut fc_group,
        json: *const u8,
        len: usize,
        options: *const fc_group_json_options,
        out_where: *mut fc_config_error,
    ) -> fc_status {
        // SAFETY: the caller's contract, which is `fc_group_init_json`'s.
        unsafe { super::fc_group_init_json(mem, json, len, options, out_where) }
    }
}
