//! The catalog: instance types (built-in and custom), images and launch templates with their
//! versions (`$Default`, `$Latest`), as `InstanceType`, `Image`, `LaunchTemplate`,
//! `LaunchTemplateVersion` and `Catalog`.
//!
//! `Catalog` wraps the core's fixed-capacity catalog with [`CUSTOM_TYPES`] custom types,
//! [`IMAGES`] images and [`TEMPLATES`] templates of up to [`VERSIONS`] stored versions each,
//! about 370 KiB (379 K bytes, printed by the `sizes` test in `network.rs`), boxed. The other
//! classes are frozen snapshots: reading one never changes the catalog.

use fleetcore::catalog::CatalogError;
use fleetcore::catalog::{
    self, Architecture, BootMode, Category, LaunchTemplateData, NormalizationFactor,
    RootDeviceType, TypeName, VersionSpec,
};
use fleetcore::id::{ImageId, TemplateId};
use fleetcore::lifecycle::Market;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt};

use crate::errors::{IntoPyResult, error_like, value_error};
use crate::fleet::{parse_market, parse_shutdown_behavior};

/// Custom instance types one `Catalog` holds.
pub const CUSTOM_TYPES: usize = 32;
/// Images one `Catalog` holds.
pub const IMAGES: usize = 64;
/// Launch templates one `Catalog` holds.
pub const TEMPLATES: usize = 32;
/// Versions one launch template keeps (deleted versions free their slot).
pub const VERSIONS: usize = 32;

type CoreCatalog = catalog::Catalog<CUSTOM_TYPES, IMAGES, TEMPLATES, VERSIONS>;
/// The core catalog every Python `Catalog` wraps (named for the size test).
pub type CatalogSize = CoreCatalog;

/// One instance type: from the built-in table (``InstanceType.builtin("m5.large")``) or
/// custom (a board, a custom node), as ``Catalog.add_instance_type`` takes it.
///
/// Equal when every field is equal; hashable.
///
/// Args:
///     name: ``family.size``: lowercase letters, digits and ``-`` (``"pi4.8gb"``).
///     vcpus: ``VCpuInfo.DefaultVCpus``, at least 1.
///     memory_mib: ``MemoryInfo.SizeInMiB``, at least 1.
///     category: ``"general_purpose"``, ``"burstable"``, ``"compute_optimized"``,
///         ``"memory_optimized"``, ``"storage_optimized"``, ``"accelerated"`` or
///         ``"high_performance"`` (also ``"GeneralPurpose"`` ... and the guide's
///         ``"general purpose"`` ...).
///     accelerators: GPUs or other accelerators.
///     max_enis: most network interfaces, at least 1.
///     ipv4_per_eni: most private IPv4 addresses per interface, at least 1.
///     normalization: the normalization factor, a positive multiple of 0.25.
///     architecture: what a launch checks the image against: ``"x86_64"``, ``"arm64"``,
///         ``"i386"``, ``"x86_64_mac"`` or ``"arm64_mac"``; ``None``: the name's, as EC2
///         names families (``"arm64"`` for ``"m6g.large"``, ``"x86_64"`` for a name that is
///         not an EC2 family such as ``"pi4.8gb"``).
///
/// Raises ``CatalogError`` 1401 for a malformed name and 1407 for a zero field or an unknown
/// architecture (the message names it); ``ValueError`` for an unknown category or a
/// normalization that is not a multiple of 0.25.
#[pyclass(frozen, eq, hash, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InstanceType(pub catalog::InstanceType);

#[pymethods]
impl InstanceType {
    /// A custom type; checked as `Catalog.add_instance_type` checks it.
    #[new]
    #[pyo3(signature = (
        name, *, vcpus, memory_mib, category = "general_purpose", accelerators = 0,
        max_enis = 1, ipv4_per_eni = 1, normalization = 1.0, architecture = None
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python class.
    fn new(
        py: Python<'_>,
        name: &str,
        #[pyo3(from_py_with = crate::args::vcpus_u16)] vcpus: u16,
        #[pyo3(from_py_with = crate::args::memory_mib_u32)] memory_mib: u32,
        category: &str,
        #[pyo3(from_py_with = crate::args::accelerators_u8)] accelerators: u8,
        #[pyo3(from_py_with = crate::args::max_enis_u8)] max_enis: u8,
        #[pyo3(from_py_with = crate::args::ipv4_per_eni_u8)] ipv4_per_eni: u8,
        normalization: f64,
        architecture: Option<&str>,
    ) -> PyResult<Self> {
        let category: Category = crate::vocab::parse("category", category)?;
        let name = TypeName::parse(name).py_err(py)?;
        // Not stated: the name's, as EC2 names families (SEMANTICS §7).
        let architecture = match architecture {
            Some(a) => Architecture::parse(a).py_err(py)?,
            None => name.architecture(),
        };
        let quarters = normalization * 4.0;
        if !quarters.is_finite()
            || quarters < 0.0
            || quarters.fract() != 0.0
            || quarters > f64::from(u32::MAX)
        {
            return Err(value_error(format!(
                "normalization must be a non-negative multiple of 0.25, got {normalization}"
            )));
        }
        // Exact: a whole number within u32 range, checked above.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let quarters = quarters as u32;
        let t = catalog::InstanceType {
            name,
            category,
            vcpus,
            memory_mib,
            accelerators,
            max_enis,
            ipv4_per_eni,
            normalization: NormalizationFactor::from_quarters(quarters),
            architecture,
        };
        t.validate().py_err(py)?;
        Ok(Self(t))
    }

    /// A type of the built-in table; ``CatalogError`` 1400 for an unknown name, 1401 for a
    /// malformed one.
    #[staticmethod]
    fn builtin(py: Python<'_>, name: &str) -> PyResult<Self> {
        catalog::InstanceType::builtin(name).map(Self).py_err(py)
    }

    /// The names of the built-in table.
    #[staticmethod]
    fn builtin_names() -> Vec<&'static str> {
        catalog::InstanceType::builtin_names().collect()
    }

    /// The type name, such as ``"m5.large"``.
    #[getter]
    fn name(&self) -> &str {
        self.0.name.as_str()
    }

    /// The family, such as ``"m5"``.
    #[getter]
    fn family(&self) -> &str {
        self.0.name.family()
    }

    /// The size, such as ``"large"``.
    #[getter]
    fn size(&self) -> &str {
        self.0.name.size()
    }

    /// The series: the family's leading letters, such as ``"m"``.
    #[getter]
    fn series(&self) -> &str {
        self.0.name.series()
    }

    /// The category's canonical name (``"general_purpose"`` ...).
    #[getter]
    fn category(&self) -> &'static str {
        self.0.category.as_str()
    }

    /// ``VCpuInfo.DefaultVCpus``.
    #[getter]
    fn vcpus(&self) -> u16 {
        self.0.vcpus
    }

    /// ``MemoryInfo.SizeInMiB``.
    #[getter]
    fn memory_mib(&self) -> u32 {
        self.0.memory_mib
    }

    /// GPUs or other accelerators.
    #[getter]
    fn accelerators(&self) -> u8 {
        self.0.accelerators
    }

    /// ``NetworkInfo.MaximumNetworkInterfaces``.
    #[getter]
    fn max_enis(&self) -> u8 {
        self.0.max_enis
    }

    /// ``NetworkInfo.Ipv4AddressesPerInterface``.
    #[getter]
    fn ipv4_per_eni(&self) -> u8 {
        self.0.ipv4_per_eni
    }

    /// The normalization factor in units of a ``small`` (``large`` is 4.0, ``nano``
    /// 0.25).
    #[getter]
    fn normalization(&self) -> f64 {
        f64::from(self.0.normalization.quarters()) / 4.0
    }

    /// The processor architecture.
    #[getter]
    fn architecture(&self) -> &'static str {
        self.0.architecture.as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "InstanceType(name={}, category={}, vcpus={}, memory_mib={}, accelerators={}, \
             max_enis={}, ipv4_per_eni={}, normalization={}, architecture={})",
            crate::repr::q(self.name()),
            crate::repr::q(self.category()),
            self.0.vcpus,
            self.0.memory_mib,
            self.0.accelerators,
            self.0.max_enis,
            self.0.ipv4_per_eni,
            self.0.normalization,
            crate::repr::q(self.architecture()),
        )
    }

    fn __str__(&self) -> &str {
        self.name()
    }
}

/// A machine image (AMI) as ``RegisterImage`` describes it. Equal when every field is.
///
/// Args:
///     image_id: ``ami-`` and 8 or 17 hex digits.
///     name: 3-128 characters of letters, digits and ``()[] ./-'@_``.
///     architecture: ``"i386"``, ``"x86_64"``, ``"arm64"``, ``"x86_64_mac"`` or
///         ``"arm64_mac"``.
///     root_device: ``"ebs"`` or ``"instance-store"``.
///     boot_mode: ``"legacy-bios"``, ``"uefi"`` or ``"uefi-preferred"``.
///     description: at most 255 bytes.
///
/// Raises ``IdError`` for a malformed id; ``CatalogError`` 1405 for a bad name, 1407 for an
/// unknown architecture, root device or boot mode, 1406 for a long description.
#[pyclass(frozen, eq, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image(pub catalog::Image);

#[pymethods]
impl Image {
    /// An image as `RegisterImage` describes it.
    #[new]
    #[pyo3(signature = (
        image_id, name, *, architecture = "x86_64", root_device = "ebs",
        boot_mode = "uefi-preferred", description = ""
    ))]
    fn new(
        py: Python<'_>,
        image_id: &str,
        name: &str,
        architecture: &str,
        root_device: &str,
        boot_mode: &str,
        description: &str,
    ) -> PyResult<Self> {
        catalog::Image::new(
            ImageId::parse(image_id).py_err(py)?,
            name,
            Architecture::parse(architecture).py_err(py)?,
            RootDeviceType::parse(root_device).py_err(py)?,
            BootMode::parse(boot_mode).py_err(py)?,
            description,
        )
        .map(Self)
        .py_err(py)
    }

    /// The image id.
    #[getter]
    fn id(&self) -> String {
        self.0.id.to_string()
    }

    /// The name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// The architecture.
    #[getter]
    fn architecture(&self) -> &'static str {
        self.0.architecture.as_str()
    }

    /// ``"ebs"`` or ``"instance-store"``.
    #[getter]
    fn root_device(&self) -> &'static str {
        self.0.root_device_type.as_str()
    }

    /// The boot mode.
    #[getter]
    fn boot_mode(&self) -> &'static str {
        self.0.boot_mode.as_str()
    }

    /// The description.
    #[getter]
    fn description(&self) -> &str {
        &self.0.description
    }

    fn __repr__(&self) -> String {
        format!(
            "Image(id={}, name={}, architecture={}, root_device={}, boot_mode={}, \
             description={})",
            crate::repr::q(&self.id()),
            crate::repr::q(self.name()),
            crate::repr::q(self.architecture()),
            crate::repr::q(self.root_device()),
            crate::repr::q(self.boot_mode()),
            crate::repr::q(self.description()),
        )
    }
}

/// One immutable version of a launch template (a snapshot).
#[pyclass(frozen, eq, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchTemplateVersion(pub catalog::TemplateVersion);

#[pymethods]
impl LaunchTemplateVersion {
    /// The version number: from 1, never reused after a delete.
    #[getter]
    fn number(&self) -> u32 {
        self.0.number()
    }

    /// The version description.
    #[getter]
    fn description(&self) -> &str {
        self.0.description()
    }

    /// The image id.
    #[getter]
    fn image_id(&self) -> String {
        self.0.data().image.to_string()
    }

    /// The instance type name.
    #[getter]
    fn instance_type(&self) -> &str {
        self.0.data().instance_type.as_str()
    }

    /// ``"stop"`` or ``"terminate"``.
    #[getter]
    fn shutdown_behavior(&self) -> &'static str {
        self.0.data().shutdown_behavior.as_str()
    }

    /// Whether hibernation is configured.
    #[getter]
    fn hibernation(&self) -> bool {
        self.0.data().hibernation_configured
    }

    /// Whether ``DisableApiTermination`` is set.
    #[getter]
    fn termination_protection(&self) -> bool {
        self.0.data().disable_api_termination
    }

    /// ``None`` for On-Demand, else ``"one_time"`` or ``"persistent"``.
    #[getter]
    fn spot(&self) -> Option<&'static str> {
        match self.0.data().market {
            Market::OnDemand => None,
            Market::Spot { request, .. } => Some(request.as_str()),
        }
    }

    /// The Spot interruption behaviour (``"terminate"``, ``"stop"``, ``"hibernate"``), or
    /// ``None`` for On-Demand.
    #[getter]
    fn interruption(&self) -> Option<&'static str> {
        match self.0.data().market {
            Market::OnDemand => None,
            Market::Spot { interruption, .. } => Some(interruption.as_str()),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "LaunchTemplateVersion(number={}, image_id={}, instance_type={}, \
             shutdown_behavior={}, hibernation={}, termination_protection={}, spot={}, \
             interruption={}, description={})",
            self.number(),
            crate::repr::q(&self.image_id()),
            crate::repr::q(self.instance_type()),
            crate::repr::q(self.shutdown_behavior()),
            crate::repr::b(self.hibernation()),
            crate::repr::b(self.termination_protection()),
            crate::repr::q_opt(self.spot()),
            crate::repr::q_opt(self.interruption()),
            crate::repr::q(self.description()),
        )
    }
}

/// A launch template as it was when read (a snapshot; ``len()`` is its version count).
#[pyclass(frozen, eq, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchTemplate(pub catalog::LaunchTemplate<VERSIONS>);

#[pymethods]
impl LaunchTemplate {
    /// The template id (``lt-...``).
    #[getter]
    fn id(&self) -> String {
        self.0.id().to_string()
    }

    /// The template name.
    #[getter]
    fn name(&self) -> &str {
        self.0.name()
    }

    /// The version ``$Default`` names (1 until changed).
    #[getter]
    fn default_version(&self) -> u32 {
        self.0.default_version()
    }

    /// The version ``$Latest`` names: the highest number that still exists.
    #[getter]
    fn latest_version(&self) -> u32 {
        self.0.latest_version()
    }

    /// The versions, oldest first.
    fn versions(&self) -> Vec<LaunchTemplateVersion> {
        self.0
            .versions()
            .cloned()
            .map(LaunchTemplateVersion)
            .collect()
    }

    /// The version ``version`` names: ``None`` or ``"$Default"``, ``"$Latest"``, a number or
    /// its text. Raises ``CatalogError`` 1411 for an absent number, 1413 for bad text.
    #[pyo3(signature = (version = None))]
    fn resolve(
        &self,
        py: Python<'_>,
        version: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<LaunchTemplateVersion> {
        let spec = version_spec(py, version)?;
        self.0
            .resolve(spec)
            .cloned()
            .map(LaunchTemplateVersion)
            .py_err(py)
    }

    fn __len__(&self) -> usize {
        self.0.versions().count()
    }

    fn __repr__(&self) -> String {
        format!(
            "LaunchTemplate(id={}, name={}, versions={}, default_version={}, \
             latest_version={})",
            crate::repr::q(&self.id()),
            crate::repr::q(self.name()),
            self.__len__(),
            self.default_version(),
            self.latest_version(),
        )
    }
}

/// Images, custom instance types and launch templates (SEMANTICS §4.2, §7).
///
/// Holds ``CUSTOM_TYPES`` custom types, ``IMAGES`` images and ``TEMPLATES`` templates of up to
/// ``VERSIONS`` stored versions each (the class attributes; a full table raises
/// ``CatalogError`` 1414). Template ids come from ``seed``. A version is
/// checked when created: its image must be registered and its type known (built in or
/// added). Every refused call changes nothing.
#[pyclass(module = "fleetcore")]
pub struct Catalog {
    // About 370 KiB: boxed, so it stays off the Python thread's stack.
    inner: Box<CoreCatalog>,
    // The core lists templates only by id or name; the ids created, in order, list them here.
    template_ids: Vec<TemplateId>,
}

#[pymethods]
impl Catalog {
    /// Custom instance types a catalog holds.
    #[classattr]
    const CUSTOM_TYPES: usize = CUSTOM_TYPES;
    /// Images a catalog holds.
    #[classattr]
    const IMAGES: usize = IMAGES;
    /// Launch templates a catalog holds.
    #[classattr]
    const TEMPLATES: usize = TEMPLATES;
    /// Versions a launch template keeps.
    #[classattr]
    const VERSIONS: usize = VERSIONS;

    /// An empty catalog whose template ids come from `seed`.
    #[new]
    #[pyo3(signature = (seed = 0))]
    fn new(#[pyo3(from_py_with = crate::args::seed_u64)] seed: u64) -> Self {
        let inner = Box::<CoreCatalog>::new_uninit();
        Self {
            inner: Box::write(inner, CoreCatalog::new(seed)),
            template_ids: Vec::new(),
        }
    }

    /// Adds a custom type; ``CatalogError`` 1402 if the name is built in or taken.
    fn add_instance_type(&mut self, py: Python<'_>, instance_type: &InstanceType) -> PyResult<()> {
        self.inner
            .add_instance_type(instance_type.0.clone())
            .py_err(py)
    }

    /// Looks a type up: custom types, then the built-in table (``CatalogError`` 1400).
    fn instance_type(&self, py: Python<'_>, name: &str) -> PyResult<InstanceType> {
        self.inner.instance_type(name).map(InstanceType).py_err(py)
    }

    /// The custom types, in the order added.
    fn custom_types(&self) -> Vec<InstanceType> {
        self.inner
            .custom_types()
            .cloned()
            .map(InstanceType)
            .collect()
    }

    /// ``RegisterImage`` (arguments as ``Image``); returns the image. ``CatalogError`` 1404
    /// if the id is registered.
    #[pyo3(signature = (
        image_id, name, *, architecture = "x86_64", root_device = "ebs",
        boot_mode = "uefi-preferred", description = ""
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    fn register_image(
        &mut self,
        py: Python<'_>,
        image_id: &str,
        name: &str,
        architecture: &str,
        root_device: &str,
        boot_mode: &str,
        description: &str,
    ) -> PyResult<Image> {
        let image = Image::new(
            py,
            image_id,
            name,
            architecture,
            root_device,
            boot_mode,
            description,
        )?;
        self.inner.register_image(image.0.clone()).py_err(py)?;
        Ok(image)
    }

    /// ``DeregisterImage``; templates naming it keep it, and resolving them then fails.
    /// ``CatalogError`` 1403 for an unknown image.
    fn deregister_image(&mut self, py: Python<'_>, image_id: &str) -> PyResult<()> {
        let id = ImageId::parse(image_id).py_err(py)?;
        self.inner.deregister_image(id).py_err(py)
    }

    /// A registered image; ``CatalogError`` 1403 otherwise.
    fn image(&self, py: Python<'_>, image_id: &str) -> PyResult<Image> {
        let id = ImageId::parse(image_id).py_err(py)?;
        self.inner.image(id).cloned().map(Image).py_err(py)
    }

    /// The registered images, in the order registered.
    fn images(&self) -> Vec<Image> {
        self.inner.images().cloned().map(Image).collect()
    }

    /// ``CreateLaunchTemplate`` with version 1 (the default); returns the ``lt-`` id.
    ///
    /// Raises ``CatalogError`` 1403 (image not registered), 1400 (unknown type), 1409
    /// (name taken), 1410 (bad name: 3-128 of ``a-zA-Z0-9().-/_``), 1414 (full);
    /// ``ValueError`` for a bad ``shutdown_behavior``, ``spot`` or ``interruption``.
    #[pyo3(signature = (
        name, image_id, instance_type, *, description = "", shutdown_behavior = "stop",
        hibernation = false, termination_protection = false, spot = None, interruption = None
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    #[allow(clippy::fn_params_excessive_bools)] // Python keyword flags, not a Rust API.
    fn create_template(
        &mut self,
        py: Python<'_>,
        name: &str,
        image_id: &str,
        instance_type: &str,
        description: &str,
        shutdown_behavior: &str,
        hibernation: bool,
        termination_protection: bool,
        spot: Option<&str>,
        interruption: Option<&str>,
    ) -> PyResult<String> {
        let data = template_data(
            py,
            image_id,
            instance_type,
            shutdown_behavior,
            hibernation,
            termination_protection,
            spot,
            interruption,
        )?;
        let id = self
            .inner
            .create_template(name, data, description)
            .py_err(py)?;
        self.template_ids.push(id);
        Ok(id.to_string())
    }

    /// ``CreateLaunchTemplateVersion``; returns the new number. Errors as
    /// ``create_template``, and 1408 for an unknown template, 1414 when its versions are
    /// full.
    #[pyo3(signature = (
        template_id, image_id, instance_type, *, description = "", shutdown_behavior = "stop",
        hibernation = false, termination_protection = false, spot = None, interruption = None
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    #[allow(clippy::fn_params_excessive_bools)] // Python keyword flags, not a Rust API.
    fn create_version(
        &mut self,
        py: Python<'_>,
        template_id: &str,
        image_id: &str,
        instance_type: &str,
        description: &str,
        shutdown_behavior: &str,
        hibernation: bool,
        termination_protection: bool,
        spot: Option<&str>,
        interruption: Option<&str>,
    ) -> PyResult<u32> {
        let id = TemplateId::parse(template_id).py_err(py)?;
        let data = template_data(
            py,
            image_id,
            instance_type,
            shutdown_behavior,
            hibernation,
            termination_protection,
            spot,
            interruption,
        )?;
        self.inner
            .create_template_version(id, data, description)
            .py_err(py)
    }

    /// ``ModifyLaunchTemplate --default-version``; ``CatalogError`` 1411 for an absent
    /// version.
    fn set_default(
        &mut self,
        py: Python<'_>,
        template_id: &str,
        #[pyo3(from_py_with = crate::args::version_u32)] version: u32,
    ) -> PyResult<()> {
        let id = TemplateId::parse(template_id).py_err(py)?;
        self.inner.set_default_version(id, version).py_err(py)
    }

    /// ``DeleteLaunchTemplateVersions`` for one version; ``CatalogError`` 1412 for the
    /// default version, 1411 for an absent one.
    fn delete_version(
        &mut self,
        py: Python<'_>,
        template_id: &str,
        #[pyo3(from_py_with = crate::args::version_u32)] version: u32,
    ) -> PyResult<()> {
        let id = TemplateId::parse(template_id).py_err(py)?;
        self.inner.delete_template_version(id, version).py_err(py)
    }

    /// The template with this id; ``CatalogError`` 1408 otherwise.
    fn template(&self, py: Python<'_>, template_id: &str) -> PyResult<LaunchTemplate> {
        let id = TemplateId::parse(template_id).py_err(py)?;
        self.inner
            .template(id)
            .cloned()
            .map(LaunchTemplate)
            .py_err(py)
    }

    /// The templates, in the order created.
    fn templates(&self) -> Vec<LaunchTemplate> {
        self.template_ids
            .iter()
            .filter_map(|id| self.inner.template(*id).ok())
            .cloned()
            .map(LaunchTemplate)
            .collect()
    }

    /// The template with this name; ``CatalogError`` 1408 otherwise.
    fn template_by_name(&self, py: Python<'_>, name: &str) -> PyResult<LaunchTemplate> {
        self.inner
            .template_by_name(name)
            .cloned()
            .map(LaunchTemplate)
            .py_err(py)
    }

    /// The version a launch of the template uses, as an Auto Scaling launch resolves it
    /// (``None`` is ``$Default``). Raises ``CatalogError`` 1408, 1411, 1413, or 1403 when the
    /// version's image has been deregistered.
    #[pyo3(signature = (template_id, version = None))]
    fn resolve(
        &self,
        py: Python<'_>,
        template_id: &str,
        version: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<LaunchTemplateVersion> {
        let id = TemplateId::parse(template_id).py_err(py)?;
        let spec = version_spec(py, version)?;
        // `launch_spec` checks the image; the version itself comes from the template.
        let number = self
            .inner
            .launch_spec(id, spec)
            .py_err(py)?
            .template
            .map_or(0, |(_, n)| n);
        let template = self.inner.template(id).py_err(py)?;
        template
            .version(number)
            .cloned()
            .map(LaunchTemplateVersion)
            .py_err(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "Catalog(custom_types={}, images={}, templates={})",
            self.inner.custom_types().count(),
            self.inner.images().count(),
            self.template_ids.len(),
        )
    }
}

#[allow(clippy::too_many_arguments)] // The keyword arguments of two Python methods.
#[allow(clippy::fn_params_excessive_bools)]
fn template_data(
    py: Python<'_>,
    image_id: &str,
    instance_type: &str,
    shutdown_behavior: &str,
    hibernation: bool,
    termination_protection: bool,
    spot: Option<&str>,
    interruption: Option<&str>,
) -> PyResult<LaunchTemplateData> {
    let image = ImageId::parse(image_id).py_err(py)?;
    let name = TypeName::parse(instance_type).py_err(py)?;
    let mut data = LaunchTemplateData::new(image, name);
    data.shutdown_behavior = parse_shutdown_behavior(shutdown_behavior)?;
    data.hibernation_configured = hibernation;
    data.disable_api_termination = termination_protection;
    data.market = parse_market(spot, interruption)?;
    Ok(data)
}

/// `None` is `$Default`; an int is a version number; text is parsed as the API parses it.
pub(crate) fn version_spec(
    py: Python<'_>,
    version: Option<&Bound<'_, PyAny>>,
) -> PyResult<VersionSpec> {
    let Some(v) = version else {
        return Ok(VersionSpec::Default);
    };
    if v.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(
            "version must be an int or a str, not bool",
        ));
    }
    if v.is_instance_of::<PyInt>() {
        let n: i128 = v.extract()?;
        return match u32::try_from(n) {
            Ok(n) if n > 0 => Ok(VersionSpec::Number(n)),
            _ => Err(error_like(
                py,
                &CatalogError::InvalidVersionSpec,
                format!("version number must be 1 to {}, got {n}", u32::MAX),
            )),
        };
    }
    let text: String = v.extract()?;
    VersionSpec::parse(&text).py_err(py)
}

impl Catalog {
    /// The spec a launch of `template_id` at `version` uses (for `Fleet.launch_template`),
    /// resolved as an Auto Scaling launch resolves it.
    pub(crate) fn launch_spec(
        &self,
        py: Python<'_>,
        template_id: &str,
        version: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<fleetcore::lifecycle::LaunchSpec> {
        let id = TemplateId::parse(template_id).py_err(py)?;
        let spec = version_spec(py, version)?;
        self.inner.launch_spec(id, spec).py_err(py)
    }

    /// The core catalog (a `TemplateSource` for `Group.sync_template`).
    pub(crate) fn core(&self) -> &CoreCatalog {
        &self.inner
    }
}
