//! `fc_group_init_json`: a group with its metrics, scaling policies, alarms, scheduled actions,
//! predictive policy, lifecycle hooks and warm pool from the `groups` section of a controller
//! document (`fleetcore::config::ControllerDoc`, through `GroupDoc::to_config` and
//! `GroupDoc::apply`).
//!
//! Model, where the C ABI needs one:
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

use fleetcore::Instant;
use fleetcore::catalog::{TemplateSource, VersionSpec};
use fleetcore::config::{self, ConfigError, ControllerDoc};
use fleetcore::id::TemplateId;

use super::{CoreGroup, GroupCell, MAGIC, fc_group};
use crate::boundary::{Out, TextBuf, boundary, input, input_slice, input_str};
use crate::catalog::{CoreCatalog, catalog_ref, fc_catalog};
use crate::config::{Where, fc_config_error};
use crate::status::fc_status;

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
}

/// Fills `*out_options` with the defaults: the first group, seed 0, time 0, no catalog.
/// Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
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

/// Initialises `mem` as the group named `options->group_name` (or the first) of the controller
/// document in `json` (`len` bytes), with everything the document gives it: metrics, scaling
/// policies, alarms, scheduled actions, a predictive policy, lifecycle hooks and a warm pool
/// (positions in the document are the indices the other `fc_group_*` calls take). The document is
/// checked whole first, as `fc_config_check` does, and nothing is written unless every step
/// succeeds. The launch template follows the options (see `fc_group_json_options` and the README).
/// Like `fc_group_init`, `mem` may be uninitialised. Errors: `FC_STATUS_NULL_ARGUMENT` (`mem`,
/// `options`; `json` may be NULL only with `len` 0), `FC_STATUS_NOT_UTF8`,
/// `FC_STATUS_UNINITIALIZED` (the catalog), `FC_STATUS_CONFIG_*` with `*out_where` (unless NULL)
/// filled: `fc_config_check`'s errors, `ConfigError::UnknownReference` at `groups` for a group name
/// the document lacks (or no group) and at `groups[i].launch_template` for a template the catalog
/// lacks, `FC_STATUS_CONFIG_CATALOG` at `groups[i].launch_template_version` for a version the
/// catalog lacks, and `FC_STATUS_CONFIG_GROUP` at `groups[i]` or `groups[i].scheduled_actions[j]`
/// for what only the group can refuse (`max_size` above `FC_GROUP_MAX_MEMBERS`, two scheduled
/// actions that first run at the same time), with line 0. Needs the stack of the configuration
/// module plus about `FC_GROUP_SIZE` bytes. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
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
        let (name, catalog) = unsafe {
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
            )
        };
        let doc = match config::from_slice::<ControllerDoc>(json) {
            Ok(doc) => doc,
            Err(err) => return Err(at.located(&err)),
        };
        match build(&doc, name, catalog, opts) {
            Ok((mut group, template_version)) => {
                group.set_template_versions(super::fixed_versions(template_version));
                out.write(GroupCell {
                    magic: MAGIC,
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
    let spec = VersionSpec::parse(&gdoc.launch_template_version).unwrap_or_default();
    let Some(cat) = catalog else {
        let version = match spec {
            VersionSpec::Number(n) => n,
            _ => 1,
        };
        let id = doc
            .template_id(&gdoc.launch_template)
            .unwrap_or_else(|| TemplateId::from_u64(0));
        return Ok((id, version));
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
    opts: &fc_group_json_options,
) -> Result<(CoreGroup, u32), Failure> {
    let found = doc
        .groups
        .iter()
        .enumerate()
        .find(|(_, g)| name.is_none_or(|n| g.name == n));
    let Some((index, _)) = found else {
        let err = ConfigError::UnknownReference { what: "group" };
        return Err(Failure::Doc(
            fc_config_error::at_path(err, "groups"),
            err.into(),
        ));
    };
    let (template, version) = template_of(doc, index, catalog)?;
    // The core builds it, as for every surface; its refusals carry `groups[i]...` and no line.
    let group = doc
        .build_group_launching(
            index,
            Instant::from_millis(opts.now_ms),
            opts.seed,
            Some(template),
        )
        .map_err(|e| {
            Failure::Doc(
                fc_config_error::at_path(e.error, e.location.path.as_str()),
                e.error.into(),
            )
        })?;
    Ok((group, version))
}
