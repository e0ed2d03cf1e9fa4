//! `fc_group_init_json`: a group, its scaling policies and its scheduled actions from the
//! `groups` section of a controller document (`fleetcore::config::ControllerDoc`, through
//! `GroupDoc::to_config`, `to_policies` and `to_scheduled_actions`).
//!
//! Model, where the C ABI needs one:
//! - metrics are not part of the document (a target-tracking policy names its metric by
//!   index): the options declare them, in index order, before the policies are added;
//! - the launch template: with a catalog in the options, the group's `launch_template` name is
//!   looked up there and its `launch_template_version` resolved once, now, to the number every
//!   launch uses (roll it forward with `fc_group_set_template_version`); without one, the id is
//!   the template's position in the document's `launch_templates`
//!   (`lt-00000000000000000` for the first, as the core's own document check uses) and the
//!   version is the document's number, or 1 for `$Default` and `$Latest`.

// Failures carry their location by value: there is no allocator to box them, and they are
// rare.
#![allow(clippy::result_large_err, clippy::large_enum_variant)]

use core::ffi::c_char;
use core::fmt::Write as _;

use fleetcore::catalog::{TemplateSource, VersionSpec};
use fleetcore::config::{self, ConfigError, ControllerDoc};
use fleetcore::id::TemplateId;
use fleetcore::{Duration, Instant};

use super::scaling::metric_source;
use super::{CoreGroup, FC_GROUP_MAX_MEMBERS, GroupCell, MAGIC, fc_group};
use crate::boundary::{Out, TextBuf, boundary, input, input_slice, input_str};
use crate::catalog::{CoreCatalog, catalog_ref, fc_catalog};
use crate::config::{Where, fc_config_error};
use crate::status::fc_status;

/// A metric the group keeps, declared by `fc_group_init_json` before the document's policies
/// (which name metrics by index: the first declared is 0).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_group_metric {
    /// The name (1-32 bytes), borrowed for the call only.
    pub name: *const c_char,
    /// The period: 10, 20 or 30 s or a multiple of 60 s, in milliseconds.
    pub period_ms: u64,
    /// `FC_METRIC_SOURCE_*`.
    pub source: u32,
}

/// Options of `fc_group_init_json`. Fill with `fc_group_json_options_default` first. The
/// pointers are borrowed for the call only.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_group_json_options {
    /// The `name` of the group to build, or NULL for the document's first group.
    pub group_name: *const c_char,
    /// Fixes member ids and random tie-breaks, as `fc_group_config.seed`.
    pub seed: u64,
    /// Now, milliseconds since the Unix epoch: when the scheduled actions are put.
    pub now_ms: u64,
    /// The catalog that resolves the group's launch template, or NULL (module docs).
    pub catalog: *const fc_catalog,
    /// Metrics to declare before the policies, or NULL with a count of 0.
    pub metrics: *const fc_group_metric,
    /// Number of entries in `metrics`.
    pub metric_count: usize,
}

/// Fills `*out_options` with the defaults: the first group, seed 0, time 0, no catalog, no
/// metrics.
///
/// Errors: `FC_STATUS_NULL_ARGUMENT`, `FC_STATUS_MISALIGNED_ARGUMENT`. Thread-safe.
///
/// # Safety
/// `out_options` is NULL or valid for writing an `fc_group_json_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_json_options_default(
    out_options: *mut fc_group_json_options,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `out_options`.
        let out = unsafe { Out::new(out_options) }?;
        out.write(fc_group_json_options {
            group_name: core::ptr::null(),
            seed: 0,
            now_ms: 0,
            catalog: core::ptr::null(),
            metrics: core::ptr::null(),
            metric_count: 0,
        });
        Ok(())
    })
}

/// A path below `groups[i]`.
fn path(i: usize, rest: &str) -> TextBuf<64> {
    let mut p = TextBuf::new();
    let _ = write!(p, "groups[{i}]{rest}");
    p
}

fn text<const N: usize>(t: &TextBuf<N>) -> &str {
    core::str::from_utf8(t.as_bytes()).unwrap_or("")
}

/// Initialises `mem` as the group named `options->group_name` (or the first) of the
/// controller document in `json` (`len` bytes), with its scaling policies and scheduled
/// actions: the document is checked whole first, as `fc_config_check` does, and nothing is
/// written unless every step succeeds. Metrics and the launch template follow the options
/// (see the `fc_group_json_options` fields and the README). Like `fc_group_init`, `mem` may be
/// uninitialised.
///
/// Errors: `FC_STATUS_NULL_ARGUMENT` (`mem`, `options`, a metric name; `json` may be NULL only
/// with `len` 0), `FC_STATUS_MISALIGNED_ARGUMENT`, `FC_STATUS_NOT_UTF8`,
/// `FC_STATUS_UNINITIALIZED` (the catalog), `FC_STATUS_CONFIG_*` with `*out_where` (unless
/// NULL) filled: the document's errors as `fc_config_check` gives them,
/// `FC_STATUS_CONFIG_UNKNOWN_REFERENCE` at `groups` for a group name the document lacks (or no
/// group) and at `groups[i].launch_template` for a template the catalog lacks,
/// `FC_STATUS_CONFIG_CATALOG` at `groups[i].launch_template_version` for a version the catalog
/// lacks, `FC_STATUS_CONFIG_GROUP` / `_SCALING` at `groups[i]`, `groups[i].policies[j]` or
/// `groups[i].scheduled_actions[j]` for what the group refuses (`max_size` above
/// `FC_GROUP_MAX_MEMBERS`, a policy on a metric not declared ...), with line 0; and the
/// statuses of `fc_group_put_metric` for a declared metric (`*out_where` untouched). Needs the
/// stack of the configuration module plus about `FC_GROUP_SIZE` bytes. Not thread-safe: no
/// other call may use `mem` at the same time.
///
/// # Safety
/// `mem` is NULL or valid for writing `sizeof(fc_group)` bytes; `json` is NULL or valid for
/// reading `len` bytes; `options` is NULL or points to an `fc_group_json_options` whose
/// pointers are NULL or valid as documented; `out_where` is NULL or valid for writing an
/// `fc_config_error`; none overlap.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_init_json(
    mem: *mut fc_group,
    json: *const u8,
    len: usize,
    options: *const fc_group_json_options,
    out_where: *mut fc_config_error,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (out, json, opts, at) = unsafe {
            (
                Out::new(mem.cast::<GroupCell>())?,
                input_slice(json, len)?,
                input(options)?,
                Where::new(out_where)?,
            )
        };
        // SAFETY: the caller's contract for the pointers inside `options`.
        let (name, catalog, metrics) = unsafe {
            (
                if opts.group_name.is_null() {
                    None
                } else {
                    Some(input_str(opts.group_name)?)
                },
                if opts.catalog.is_null() {
                    None
                } else {
                    Some(catalog_ref(opts.catalog)?)
                },
                input_slice(opts.metrics, opts.metric_count)?,
            )
        };
        let doc = match config::from_slice::<ControllerDoc>(json) {
            Ok(doc) => doc,
            Err(err) => return Err(at.located(&err)),
        };
        match build(&doc, name, catalog, metrics, opts) {
            Ok((group, template_version)) => {
                out.write(GroupCell {
                    magic: MAGIC,
                    template_version,
                    group,
                });
                Ok(())
            }
            Err(Failure::Status(status)) => Err(status),
            Err(Failure::Doc(err, status)) => Err(at.fail(&err, status)),
        }
    })
}

/// Why building a group from a checked document failed.
enum Failure {
    /// A plain status (a declared metric); no location.
    Status(fc_status),
    /// A document entry the group refused, and where.
    Doc(fc_config_error, fc_status),
}

impl From<fc_status> for Failure {
    fn from(s: fc_status) -> Self {
        Self::Status(s)
    }
}

/// A failure at `groups[index]` followed by `rest`.
fn at_group(index: usize, rest: &str, err: ConfigError) -> Failure {
    let p = path(index, rest);
    Failure::Doc(fc_config_error::at_path(err, text(&p)), err.into())
}

/// The launch template id and version of a group (module docs).
fn template_of(
    doc: &ControllerDoc,
    index: usize,
    catalog: Option<&CoreCatalog>,
) -> Result<(TemplateId, u32), Failure> {
    let Some(gdoc) = doc.groups.get(index) else {
        return Err(Failure::Status(fc_status::Panic));
    };
    // The core's check resolved the name and parsed the version.
    let position = doc
        .launch_templates
        .iter()
        .position(|t| t.name == gdoc.launch_template)
        .unwrap_or(0);
    let spec = VersionSpec::parse(&gdoc.launch_template_version).unwrap_or_default();
    let Some(cat) = catalog else {
        let version = match spec {
            VersionSpec::Number(n) => n,
            _ => 1,
        };
        return Ok((
            TemplateId::from_u64(u64::try_from(position).unwrap_or(u64::MAX)),
            version,
        ));
    };
    let id = cat
        .template_by_name(&gdoc.launch_template)
        .map_err(|_| {
            at_group(
                index,
                ".launch_template",
                ConfigError::UnknownReference {
                    what: "launch template",
                },
            )
        })?
        .id();
    let version = cat
        .resolve(id, spec)
        .map_err(|err| at_group(index, ".launch_template_version", err.into()))?;
    Ok((id, version))
}

/// Builds the group (see `fc_group_init_json`).
fn build(
    doc: &ControllerDoc,
    name: Option<&str>,
    catalog: Option<&CoreCatalog>,
    metrics: &[fc_group_metric],
    opts: &fc_group_json_options,
) -> Result<(CoreGroup, u32), Failure> {
    let found = doc
        .groups
        .iter()
        .enumerate()
        .find(|(_, g)| name.is_none_or(|n| g.name == n));
    let Some((index, gdoc)) = found else {
        let err = ConfigError::UnknownReference { what: "group" };
        return Err(Failure::Doc(
            fc_config_error::at_path(err, "groups"),
            err.into(),
        ));
    };
    let (template, version) = template_of(doc, index, catalog)?;
    let config = gdoc
        .to_config(template, FC_GROUP_MAX_MEMBERS)
        .map_err(|err| at_group(index, "", err))?;
    let mut group =
        CoreGroup::new(config, opts.seed).map_err(|err| at_group(index, "", err.into()))?;
    for m in metrics {
        // SAFETY: the caller of `fc_group_init_json` promised each metric's name is NULL or
        // NUL-terminated.
        let metric = unsafe { input_str(m.name) }?;
        group
            .put_metric(
                metric,
                Duration::from_millis(m.period_ms),
                metric_source(m.source)?,
            )
            .map_err(fc_status::from)?;
    }
    let policies = gdoc
        .to_policies()
        .map_err(|err| at_group(index, ".policies", err))?;
    for (j, policy) in policies.into_iter().enumerate() {
        group.put_scaling_policy(policy).map_err(|err| {
            let mut rest = TextBuf::<32>::new();
            let _ = write!(rest, ".policies[{j}]");
            at_group(index, text(&rest), err.into())
        })?;
    }
    let actions = gdoc
        .to_scheduled_actions()
        .map_err(|err| at_group(index, ".scheduled_actions", err))?;
    let now = Instant::from_millis(opts.now_ms);
    for (j, action) in actions.into_iter().enumerate() {
        group.put_scheduled_action(now, action).map_err(|err| {
            let mut rest = TextBuf::<40>::new();
            let _ = write!(rest, ".scheduled_actions[{j}]");
            at_group(index, text(&rest), err.into())
        })?;
    }
    Ok((group, version))
}
