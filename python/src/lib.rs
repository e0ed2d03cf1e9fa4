//! Python bindings for fleetcore: the extension module `fleetcore._fleetcore`.
//!
//! The Python package `fleetcore` (in `pysrc/`) re-exports everything defined here; its
//! types live in `pysrc/fleetcore/_fleetcore.pyi`. This crate only converts at the boundary:
//! Python seconds to core milliseconds ([`time`]), id strings to core ids, and core errors to
//! Python exceptions ([`errors`]). All decisions stay in the core.
//!
//! The `///` docs of the classes, methods, properties and functions are their Python
//! docstrings (what `help()` shows), copied from the stubs by `scripts/stub_docs.py` and
//! checked against them by `tests/test_docs.py`. They are reStructuredText for Python
//! readers, not Markdown: hence the doc lints allowed here (their "Raises ..." paragraph is
//! the `# Errors` section), and `doctest = false` in Cargo.toml (an indented block is an
//! example in Python, not a Rust doctest).
#![deny(clippy::undocumented_unsafe_blocks)]
#![allow(
    clippy::doc_markdown,
    clippy::doc_lazy_continuation,
    clippy::doc_overindented_list_items,
    clippy::missing_errors_doc,
    clippy::too_long_first_doc_paragraph
)]

pub mod args;
pub mod catalog;
pub mod config;
pub mod errors;
pub mod fleet;
pub mod forecast;
pub mod group;
pub mod hpa;
pub mod hpa_k8s;
pub mod id;
pub mod imds;
pub mod network;
pub mod purchase;
pub mod repr;
pub mod sim;
pub mod state;
pub mod time;
pub mod value;
pub mod vocab;

use pyo3::prelude::*;

/// The extension module: exceptions, `InstanceState`, `StateChange`, `Fleet`,
/// `parse_instance_id`, `Group` (with `Action`, `Member` and `Spend`), the HPA classes, the
/// simulation runner, the catalog (`Catalog`, `InstanceType`, `Image`, `LaunchTemplate`), the
/// metadata service (`Imds`, `InterfaceMetadata`) and the network (`Network`, `Rule`, `Packet`,
/// `Verdict` and its snapshots).
#[pymodule]
pub mod _fleetcore {
    #[pymodule_export]
    use crate::catalog::{Catalog, Image, InstanceType, LaunchTemplate, LaunchTemplateVersion};
    #[pymodule_export]
    use crate::config::check_config;
    #[pymodule_export]
    use crate::errors::{
        ArgumentError, CatalogError, ConfigError, GroupError, IdError, ImdsError, LifecycleError,
        NetworkError, PurchaseError, ScalingError, SnapshotError,
    };
    #[pymodule_export]
    use crate::fleet::Fleet;
    #[pymodule_export]
    use crate::forecast::forecast;
    #[pymodule_export]
    use crate::group::{Action, Activity, Group, InstanceRefresh, Member};
    #[pymodule_export]
    use crate::hpa::{
        Autoscaler, Behavior, Metric, desired_replicas, group_pods, object_replicas, pods_replicas,
        resource_replicas,
    };
    #[pymodule_export]
    use crate::id::parse_instance_id;
    #[pymodule_export]
    use crate::imds::{Imds, InterfaceMetadata};
    #[pymodule_export]
    use crate::network::{
        Flow, Network, NetworkInterface, Packet, Rule, SecurityGroup, Subnet, Verdict,
    };
    #[pymodule_export]
    use crate::purchase::Spend;
    #[pymodule_export]
    use crate::sim::_Simulation;
    #[pymodule_export]
    use crate::state::{InstanceState, StateChange};

    use pyo3::prelude::*;

    /// Adds `__version__` (the crate version), `CAPACITY` (instances per `Fleet`),
    /// `GROUP_CAPACITY` (members per `Group`) and the
    /// private `_debug_build` (whether debug assertions are on; the tests use it).
    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("CAPACITY", crate::fleet::CAPACITY)?;
        m.add("GROUP_CAPACITY", crate::group::GROUP_CAPACITY)?;
        // `setattr`, not `add`: private, so not in `__all__` nor in the stubs.
        m.setattr("_debug_build", cfg!(debug_assertions))
    }
}
