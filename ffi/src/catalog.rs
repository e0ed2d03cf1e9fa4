//! `fc_catalog`: images, custom instance types and launch templates in storage the C caller
//! owns (SEMANTICS §4.2, §6, §7).
//!
//! The caller declares an `fc_catalog`, calls `fc_catalog_init`, registers images
//! (`fc_catalog_register_image`), adds the instance types of its own boards
//! (`fc_catalog_add_instance_type`), creates launch templates and their versions, and resolves
//! a template and version (`$Default`, `$Latest` or a number) into an `fc_launch_spec`, a plain
//! value that `fc_fleet_launch_spec` launches. `fc_catalog_instance_type` looks a type up among
//! the custom ones and then the built-in table.
//!
//! Model, where the C ABI needs one: the catalog and the group (`fc_group`) are separate
//! objects. A group resolves every launch to the version its configuration names
//! (`fc_group_set_template_version`); a C program that keeps its templates here resolves
//! `$Default`/`$Latest` with `fc_catalog_launch_spec` (or `fc_catalog_template_by_name`) and
//! hands the number to the group.
//!
//! The storage holds no pointers: it may be copied with `memcpy` between calls. Nothing is
//! allocated. Functions taking `const fc_catalog *` only read and may run together; any other
//! call needs the catalog to itself.

use core::ffi::c_char;
use core::fmt::Write as _;
use core::mem::{align_of, size_of};

use fleetcore::catalog::{
    Architecture, BootMode, Catalog, Category, Image, InstanceType, LaunchTemplateData,
    NormalizationFactor, RootDeviceType, TYPE_NAME_MAX, TypeName, VersionSpec,
};
use fleetcore::id::{ImageId, TemplateId};
use fleetcore::lifecycle::{
    InterruptionBehavior, LaunchSpec, Market, ShutdownBehavior, SpotRequestType,
};

use crate::boundary::{Out, TextBuf, boundary, enum_value, input, input_str};
use crate::id::fc_template_id;
use crate::status::fc_status;
use fleetcore::purchase::MarketKind;

/// Most custom instance types an `fc_catalog` holds (the built-in table is always there).
pub const FC_CATALOG_MAX_TYPES: usize = 8;
/// Most images an `fc_catalog` holds.
pub const FC_CATALOG_MAX_IMAGES: usize = 8;
/// Most launch templates an `fc_catalog` holds.
pub const FC_CATALOG_MAX_TEMPLATES: usize = 4;
/// Most versions one launch template holds at once (deleted numbers are never reused).
pub const FC_CATALOG_MAX_VERSIONS: usize = 8;
/// Bytes of an instance type name buffer: 32 characters and the NUL.
pub const FC_TYPE_NAME_SIZE: usize = 33;
/// Bytes of an image id buffer: `"ami-"`, 17 hex digits and the NUL.
pub const FC_IMAGE_ID_TEXT_SIZE: usize = 22;

/// Bytes of storage an `fc_catalog` takes (`sizeof(fc_catalog)`); enough on every target.
///
/// The Rust catalog needs somewhat less; the rest is room for the core to grow without
/// changing the ABI. A const assertion checks, for each target the library is built for, that
/// it fits.
pub const FC_CATALOG_SIZE: usize = 16384;

const _: () = assert!(FC_TYPE_NAME_SIZE == TYPE_NAME_MAX + 1);

/// The core catalog behind an `fc_catalog`.
pub(crate) type CoreCatalog = Catalog<
    FC_CATALOG_MAX_TYPES,
    FC_CATALOG_MAX_IMAGES,
    FC_CATALOG_MAX_TEMPLATES,
    FC_CATALOG_MAX_VERSIONS,
>;

/// Caller-owned storage for a catalog of images, custom instance types and launch templates.
///
/// Opaque: initialise it with `fc_catalog_init` and only touch it through `fc_catalog_*`
/// functions. Aligned to 8 bytes.
#[repr(C, align(8))]
pub struct fc_catalog {
    _opaque: [u8; FC_CATALOG_SIZE],
}

/// What actually lives in an `fc_catalog`: a tag written by `fc_catalog_init`, then the core
/// catalog.
#[repr(C)]
struct CatalogCell {
    magic: u64,
    catalog: CoreCatalog,
}

/// `"fccatlg"` and a layout version; anything else in the first word means "not initialised".
const MAGIC: u64 = u64::from_be_bytes(*b"fccatlg\x01");

const _: () = assert!(size_of::<CatalogCell>() <= size_of::<fc_catalog>());
const _: () = assert!(align_of::<CatalogCell>() <= align_of::<fc_catalog>());
const _: () = assert!(size_of::<fc_catalog>() == FC_CATALOG_SIZE);

/// Checks NULL, alignment and the tag of catalog storage.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_catalog`.
unsafe fn checked_cell(p: *const fc_catalog) -> Result<*const CatalogCell, fc_status> {
    if p.is_null() {
        return Err(fc_status::NullArgument);
    }
    if !p.is_aligned() {
        return Err(fc_status::MisalignedArgument);
    }
    let cell = p.cast::<CatalogCell>();
    // SAFETY: not NULL and aligned for `fc_catalog`, hence for `CatalogCell` (const assertions
    // above); readable for an `fc_catalog` by this function's contract, which covers the `u64`
    // tag at offset 0; any bit pattern is a valid `u64`.
    let magic = unsafe { (&raw const (*cell).magic).read() };
    if magic == MAGIC {
        Ok(cell)
    } else {
        Err(fc_status::Uninitialized)
    }
}

/// The initialised catalog in `p`.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_catalog` that nothing writes during `'a`.
pub(crate) unsafe fn catalog_ref<'a>(p: *const fc_catalog) -> Result<&'a CoreCatalog, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?;
    // SAFETY: `checked_cell` found the tag `fc_catalog_init` writes together with a valid
    // catalog; readable and not written during 'a by the caller's contract.
    Ok(unsafe { &(*cell).catalog })
}

/// The initialised catalog in `p`, for a call that changes it.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of an `fc_catalog` that nothing else uses during
/// `'a`.
unsafe fn catalog_mut<'a>(p: *mut fc_catalog) -> Result<&'a mut CoreCatalog, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?.cast_mut();
    // SAFETY: as in `catalog_ref`, and the caller's contract gives this call exclusive use.
    Ok(unsafe { &mut (*cell).catalog })
}

fn category_from_u32(v: u32) -> Result<Category, fc_status> {
    crate::boundary::enum_value(v)
}

fn architecture(v: u32) -> Result<Architecture, fc_status> {
    crate::boundary::enum_value(v)
}

fn root_device_from_u32(v: u32) -> Result<RootDeviceType, fc_status> {
    crate::boundary::enum_value(v)
}

fn root_device_to_u32(r: RootDeviceType) -> u32 {
    r.number()
}

fn boot_mode(v: u32) -> Result<BootMode, fc_status> {
    crate::boundary::enum_value(v)
}

fn shutdown_from_u32(v: u32) -> Result<ShutdownBehavior, fc_status> {
    crate::boundary::enum_value(v)
}

fn shutdown_to_u32(s: ShutdownBehavior) -> u32 {
    s.number()
}

/// The market of C fields: `FC_MARKET_*`, and for Spot `FC_SPOT_REQUEST_*` and
/// `FC_INTERRUPTION_BEHAVIOR_*` (checked even for On-Demand, so a typo never hides).
fn market_from(market: u32, request: u32, interruption: u32) -> Result<Market, fc_status> {
    let request: SpotRequestType = enum_value(request)?;
    let interruption: InterruptionBehavior = enum_value(interruption)?;
    match enum_value::<MarketKind>(market)? {
        MarketKind::OnDemand => Ok(Market::OnDemand),
        MarketKind::Spot => Ok(Market::Spot {
            request,
            interruption,
        }),
    }
}

/// `(market, spot_request, spot_interruption)` of a core market; zeros for On-Demand.
fn market_to(m: Market) -> (u32, u32, u32) {
    match m {
        Market::OnDemand => (MarketKind::OnDemand.number(), 0, 0),
        Market::Spot {
            request,
            interruption,
        } => (
            MarketKind::Spot.number(),
            request.number(),
            interruption.number(),
        ),
    }
}

/// The text of a fixed `char` array: up to its first NUL, which must be inside the array.
///
/// # Errors
/// `too_long` when the array holds no NUL; `FC_STATUS_NOT_UTF8`.
fn array_str(bytes: &[c_char], too_long: fc_status) -> Result<&str, fc_status> {
    // SAFETY: `c_char` is `i8` or `u8`, of the same size and alignment as `u8`, and every bit
    // pattern is a valid `u8`; the new slice covers exactly the bytes of `bytes`, whose borrow
    // it keeps.
    let raw: &[u8] = unsafe { core::slice::from_raw_parts(bytes.as_ptr().cast(), bytes.len()) };
    let text = core::ffi::CStr::from_bytes_until_nul(raw).map_err(|_| too_long)?;
    text.to_str().map_err(|_| fc_status::NotUtf8)
}

/// Copies `text` and a NUL into a fixed array, zero-filling the rest.
pub(crate) fn fill_array<const N: usize>(text: &str) -> [c_char; N] {
    let mut out = [0; N];
    // Leave room for the NUL; the core's names and ids are shorter than every array here.
    for (dst, &src) in out
        .iter_mut()
        .take(N.saturating_sub(1))
        .zip(text.as_bytes())
    {
        *dst = c_char::from_ne_bytes([src]);
    }
    out
}

/// An instance type: what `fc_catalog_instance_type` writes and `fc_catalog_add_instance_type`
/// reads. A plain value; copy it freely.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_instance_type {
    /// The name, `family.size` in lowercase letters, digits and dashes (`"board-v2.small"`),
    /// NUL-terminated.
    pub name: [c_char; FC_TYPE_NAME_SIZE],
    /// `FC_CATEGORY_*`.
    pub category: u32,
    /// Virtual CPUs (at least 1).
    pub vcpus: u16,
    /// Memory in MiB (at least 1).
    pub memory_mib: u32,
    /// GPUs or other accelerators.
    pub accelerators: u8,
    /// The most network interfaces an instance of this type can have (at least 1).
    pub max_enis: u8,
    /// The most private IPv4 addresses per interface (at least 1).
    pub ipv4_per_eni: u8,
    /// The Reserved Instance normalization factor in quarters (`nano` 0.25 is 1, `large` 4 is
    /// 16; at least 1).
    pub normalization_quarters: u32,
    /// `FC_ARCHITECTURE_*` a launch checks the image against (SEMANTICS §7); set it (0 is i386).
    pub architecture: u32,
}

impl fc_instance_type {
    fn from_core(t: &InstanceType) -> Self {
        Self {
            name: fill_array(t.name.as_str()),
            category: t.category.number(),
            vcpus: t.vcpus,
            memory_mib: t.memory_mib,
            accelerators: t.accelerators,
            max_enis: t.max_enis,
            ipv4_per_eni: t.ipv4_per_eni,
            normalization_quarters: t.normalization.quarters(),
            architecture: t.architecture.number(),
        }
    }

    fn to_core(self) -> Result<InstanceType, fc_status> {
        let name = array_str(&self.name, fc_status::InvalidTypeName)?;
        Ok(InstanceType {
            name: TypeName::parse(name)?,
            category: category_from_u32(self.category)?,
            vcpus: self.vcpus,
            memory_mib: self.memory_mib,
            accelerators: self.accelerators,
            max_enis: self.max_enis,
            ipv4_per_eni: self.ipv4_per_eni,
            normalization: NormalizationFactor::from_quarters(self.normalization_quarters),
            architecture: architecture(self.architecture)?,
        })
    }
}

/// An image for `fc_catalog_register_image` (`RegisterImage`). The strings are borrowed for the
/// call only.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_image {
    /// The AMI id, such as `"ami-0123456789abcdef0"`.
    pub id: *const c_char,
    /// 3-128 characters of letters, digits and `()[] ./-'@_`.
    pub name: *const c_char,
    /// `FC_ARCHITECTURE_*`.
    pub architecture: u32,
    /// `FC_ROOT_DEVICE_TYPE_*`.
    pub root_device_type: u32,
    /// `FC_BOOT_MODE_*`.
    pub boot_mode: u32,
    /// Up to 255 characters, or NULL for none.
    pub description: *const c_char,
}

/// Launch parameters of one launch template version (`LaunchTemplateData`). Fill it with
/// `fc_template_data_default` first. The strings are borrowed for the call only.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_template_data {
    /// `ImageId`: a registered image, such as `"ami-0123456789abcdef0"`.
    pub image_id: *const c_char,
    /// `InstanceType`: built in or added with `fc_catalog_add_instance_type`.
    pub instance_type: *const c_char,
    /// `InstanceInitiatedShutdownBehavior` (`FC_SHUTDOWN_BEHAVIOR_*`; default stop).
    pub shutdown_behavior: u32,
    /// `HibernationOptions.Configured` (default false).
    pub hibernation_configured: bool,
    /// `DisableApiTermination` (default false).
    pub disable_api_termination: bool,
    /// `InstanceMarketOptions.MarketType` (`FC_MARKET_*`; default On-Demand).
    pub market: u32,
    /// `SpotOptions.SpotInstanceType` (`FC_SPOT_REQUEST_*`; default one-time).
    pub spot_request: u32,
    /// `SpotOptions.InstanceInterruptionBehavior` (`FC_INTERRUPTION_BEHAVIOR_*`; default
    /// terminate).
    pub spot_interruption: u32,
}

/// Fills `*out_data` with the service's defaults: no image and no type (both must be set), stop on
/// shutdown, no hibernation, no termination protection, On-Demand (one-time and terminate for
/// Spot). Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_template_data_default(out_data: *mut fc_template_data) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `out_data`.
        let out = unsafe { Out::new(out_data) }?;
        out.write(fc_template_data {
            image_id: core::ptr::null(),
            instance_type: core::ptr::null(),
            shutdown_behavior: ShutdownBehavior::Stop.number(),
            hibernation_configured: false,
            disable_api_termination: false,
            market: 0,
            spot_request: SpotRequestType::OneTime.number(),
            spot_interruption: 0,
        });
        Ok(())
    })
}

/// The core data of C template data.
///
/// # Safety
/// The pointers in `d` are NULL or NUL-terminated strings.
unsafe fn core_data(d: &fc_template_data) -> Result<LaunchTemplateData, fc_status> {
    // SAFETY: the caller's contract for the strings.
    let (image, type_name) = unsafe { (input_str(d.image_id)?, input_str(d.instance_type)?) };
    let mut data = LaunchTemplateData::new(ImageId::parse(image)?, TypeName::parse(type_name)?);
    data.shutdown_behavior = shutdown_from_u32(d.shutdown_behavior)?;
    data.hibernation_configured = d.hibernation_configured;
    data.disable_api_termination = d.disable_api_termination;
    data.market = market_from(d.market, d.spot_request, d.spot_interruption)?;
    Ok(data)
}

/// An optional string: NULL is empty.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid during `'a`.
unsafe fn optional_str<'a>(p: *const c_char) -> Result<&'a str, fc_status> {
    if p.is_null() {
        Ok("")
    } else {
        // SAFETY: forwarded from this function's contract.
        unsafe { input_str(p) }
    }
}

/// Reads a template id argument.
///
/// # Safety
/// `p` is NULL or points to an `fc_template_id`.
unsafe fn input_template(p: *const fc_template_id) -> Result<TemplateId, fc_status> {
    // SAFETY: forwarded from this function's contract.
    unsafe { input(p) }?.to_core()
}

/// Initialises `mem` (may be uninitialised; no free function; again empties it) as an empty
/// catalog; `seed` fixes the launch template ids on every target. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_init(mem: *mut fc_catalog, seed: u64) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `mem`; `CatalogCell` fits an `fc_catalog`.
        let out = unsafe { Out::new(mem.cast::<CatalogCell>()) }?;
        out.write(CatalogCell {
            magic: MAGIC,
            catalog: CoreCatalog::new(seed),
        });
        Ok(())
    })
}

/// Adds a user-defined instance type (a board, a custom node) from `*instance_type`. Errors:
/// `CatalogError::InvalidTypeName` (not `family.size`, or no NUL in `name`), `FC_STATUS_NOT_UTF8`,
/// `FC_STATUS_INVALID_ENUM_VALUE` (category, architecture), `CatalogError::OutOfRange` (vCPUs,
/// memory, ENIs, IPv4 per ENI or normalization of 0), `CatalogError::DuplicateInstanceType` (built
/// in or already added), `CatalogError::Full` (`FC_CATALOG_MAX_TYPES`). The catalog is unchanged on
/// error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_add_instance_type(
    catalog: *mut fc_catalog,
    instance_type: *const fc_instance_type,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (catalog, t) = unsafe { (catalog_mut(catalog)?, input(instance_type)?) };
        catalog.add_instance_type(t.to_core()?)?;
        Ok(())
    })
}

/// Looks up instance type `name`: the catalog's custom types first, then the built-in table
/// (`"m5.large"`, `"t4g.micro"` ...). On success `*out_type` is set. Errors: `FC_STATUS_NOT_UTF8`,
/// `CatalogError::InvalidTypeName`, `CatalogError::UnknownInstanceType`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_instance_type(
    catalog: *const fc_catalog,
    name: *const c_char,
    out_type: *mut fc_instance_type,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (catalog, name, out) =
            unsafe { (catalog_ref(catalog)?, input_str(name)?, Out::new(out_type)?) };
        let t = catalog.instance_type(name)?;
        out.write(fc_instance_type::from_core(&t));
        Ok(())
    })
}

/// `RegisterImage` from `*image`. Errors: `FC_STATUS_NULL_ARGUMENT` (`catalog`, `image`, its id or
/// name), `FC_STATUS_NOT_UTF8`, an `IdError` (image id), `FC_STATUS_INVALID_ENUM_VALUE`,
/// `CatalogError::InvalidImageName`, `CatalogError::TooLong` (description over 255 bytes),
/// `CatalogError::DuplicateImage`, `CatalogError::Full` (`FC_CATALOG_MAX_IMAGES`). The catalog is
/// unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_register_image(
    catalog: *mut fc_catalog,
    image: *const fc_image,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers and the strings of `image`.
        let (catalog, i, id, name, description) = unsafe {
            let i = input(image)?;
            (
                catalog_mut(catalog)?,
                i,
                input_str(i.id)?,
                input_str(i.name)?,
                optional_str(i.description)?,
            )
        };
        let image = Image::new(
            ImageId::parse(id)?,
            name,
            architecture(i.architecture)?,
            root_device_from_u32(i.root_device_type)?,
            boot_mode(i.boot_mode)?,
            description,
        )?;
        catalog.register_image(image)?;
        Ok(())
    })
}

/// `DeregisterImage`. Templates that name the image keep it; resolving them then fails with
/// `CatalogError::UnknownImage`. Errors: `FC_STATUS_NOT_UTF8`, an `IdError`,
/// `CatalogError::UnknownImage`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_deregister_image(
    catalog: *mut fc_catalog,
    image_id: *const c_char,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (catalog, id) = unsafe { (catalog_mut(catalog)?, input_str(image_id)?) };
        catalog.deregister_image(ImageId::parse(id)?)?;
        Ok(())
    })
}

/// `CreateLaunchTemplate` named `name` with `*data` as version 1, the default. On success `*out_id`
/// is the new template's id (`fc_template_id_format` prints it). Errors: `FC_STATUS_NULL_ARGUMENT`
/// (`description` may be NULL), `FC_STATUS_NOT_UTF8`, an `IdError` (image id),
/// `CatalogError::InvalidTypeName`, `FC_STATUS_INVALID_ENUM_VALUE`, `CatalogError::UnknownImage`,
/// `CatalogError::UnknownInstanceType`, `CatalogError::DuplicateTemplateName`,
/// `CatalogError::InvalidTemplateName`, `CatalogError::TooLong`, `CatalogError::Full`
/// (`FC_CATALOG_MAX_TEMPLATES`). The catalog is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_create_template(
    catalog: *mut fc_catalog,
    name: *const c_char,
    data: *const fc_template_data,
    description: *const c_char,
    out_id: *mut fc_template_id,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (catalog, name, data, description, out) = unsafe {
            (
                catalog_mut(catalog)?,
                input_str(name)?,
                core_data(input(data)?)?,
                optional_str(description)?,
                Out::new(out_id)?,
            )
        };
        out.write(catalog.create_template(name, data, description)?.into());
        Ok(())
    })
}

/// `CreateLaunchTemplateVersion`: a new immutable version of template `*id` with `*data`. On
/// success `*out_version` is its number (the next one; deleted numbers are never reused). The
/// default version does not change. Errors: as `fc_catalog_create_template` (without the name
/// errors), and `CatalogError::UnknownTemplate`, `CatalogError::Full` (`FC_CATALOG_MAX_VERSIONS`
/// exist), `CatalogError::VersionQuota`. The catalog is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_create_template_version(
    catalog: *mut fc_catalog,
    id: *const fc_template_id,
    data: *const fc_template_data,
    description: *const c_char,
    out_version: *mut u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (catalog, id, data, description, out) = unsafe {
            (
                catalog_mut(catalog)?,
                input_template(id)?,
                core_data(input(data)?)?,
                optional_str(description)?,
                Out::new(out_version)?,
            )
        };
        out.write(catalog.create_template_version(id, data, description)?);
        Ok(())
    })
}

/// `ModifyLaunchTemplate --default-version`: `$Default` of template `*id` becomes `version`.
/// Errors: an `IdError`, `CatalogError::UnknownTemplate`, `CatalogError::UnknownVersion`. Not
/// thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_set_default_version(
    catalog: *mut fc_catalog,
    id: *const fc_template_id,
    version: u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (catalog, id) = unsafe { (catalog_mut(catalog)?, input_template(id)?) };
        catalog.set_default_version(id, version)?;
        Ok(())
    })
}

/// `DeleteLaunchTemplateVersions` for one version of template `*id`; its number is never reused.
/// Errors: an `IdError`, `CatalogError::UnknownTemplate`, `CatalogError::UnknownVersion`,
/// `CatalogError::DeleteDefaultVersion`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_delete_template_version(
    catalog: *mut fc_catalog,
    id: *const fc_template_id,
    version: u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (catalog, id) = unsafe { (catalog_mut(catalog)?, input_template(id)?) };
        catalog.delete_template_version(id, version)?;
        Ok(())
    })
}

/// What `fc_catalog_template_by_name` writes about a launch template.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_template_info {
    /// The template id.
    pub id: fc_template_id,
    /// `DefaultVersionNumber`.
    pub default_version: u32,
    /// `LatestVersionNumber`: the highest version that exists.
    pub latest_version: u32,
    /// How many versions exist.
    pub version_count: u32,
}

/// Looks up the launch template named `name`. On success `*out_info` is set. Errors:
/// `FC_STATUS_NOT_UTF8`, `CatalogError::UnknownTemplate`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_template_by_name(
    catalog: *const fc_catalog,
    name: *const c_char,
    out_info: *mut fc_template_info,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (catalog, name, out) =
            unsafe { (catalog_ref(catalog)?, input_str(name)?, Out::new(out_info)?) };
        let t = catalog.template_by_name(name)?;
        out.write(fc_template_info {
            id: t.id().into(),
            default_version: t.default_version(),
            latest_version: t.latest_version(),
            version_count: u32::try_from(t.versions().count()).unwrap_or(u32::MAX),
        });
        Ok(())
    })
}

/// A resolved launch: what an instance is launched with. `fc_catalog_launch_spec` writes it,
/// `fc_fleet_launch_spec` launches it. A plain value; copy it freely.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_launch_spec {
    /// The image id, NUL-terminated (`"ami-0123456789abcdef0"`).
    pub image_id: [c_char; FC_IMAGE_ID_TEXT_SIZE],
    /// The instance type name, NUL-terminated.
    pub instance_type: [c_char; FC_TYPE_NAME_SIZE],
    /// The image's root device type (`FC_ROOT_DEVICE_TYPE_*`).
    pub root_device_type: u32,
    /// `FC_SHUTDOWN_BEHAVIOR_*`.
    pub shutdown_behavior: u32,
    /// `HibernationOptions.Configured`.
    pub hibernation_configured: bool,
    /// `DisableApiTermination`.
    pub disable_api_termination: bool,
    /// `FC_MARKET_*`.
    pub market: u32,
    /// Spot: `FC_SPOT_REQUEST_*` (0 for On-Demand).
    pub spot_request: u32,
    /// Spot: `FC_INTERRUPTION_BEHAVIOR_*` (0 for On-Demand).
    pub spot_interruption: u32,
    /// Whether the spec came from a launch template (`template_id` and `template_version`).
    pub has_template: bool,
    /// The launch template.
    pub template_id: fc_template_id,
    /// The resolved version number.
    pub template_version: u32,
}

impl fc_launch_spec {
    fn from_core(s: &LaunchSpec) -> Self {
        let mut image = TextBuf::<FC_IMAGE_ID_TEXT_SIZE>::new();
        // An image id is at most 21 characters: it always fits.
        let _ = write!(image, "{}", s.image);
        let image = core::str::from_utf8(image.as_bytes()).unwrap_or("");
        let (market, spot_request, spot_interruption) = market_to(s.market);
        let (has_template, template_id, template_version) = match s.template {
            Some((id, v)) => (true, id.into(), v),
            None => (false, TemplateId::from_u64(0).into(), 0),
        };
        Self {
            image_id: fill_array(image),
            instance_type: fill_array(s.instance_type.as_str()),
            root_device_type: root_device_to_u32(s.root_device),
            shutdown_behavior: shutdown_to_u32(s.shutdown_behavior),
            hibernation_configured: s.hibernation_configured,
            disable_api_termination: s.disable_api_termination,
            market,
            spot_request,
            spot_interruption,
            has_template,
            template_id,
            template_version,
        }
    }

    /// The core spec, after checking every field.
    pub(crate) fn to_core(self) -> Result<LaunchSpec, fc_status> {
        let image = array_str(&self.image_id, fc_status::IdBadLength)?;
        let type_name = array_str(&self.instance_type, fc_status::InvalidTypeName)?;
        Ok(LaunchSpec {
            image: ImageId::parse(image)?,
            instance_type: TypeName::parse(type_name)?,
            root_device: root_device_from_u32(self.root_device_type)?,
            shutdown_behavior: shutdown_from_u32(self.shutdown_behavior)?,
            hibernation_configured: self.hibernation_configured,
            disable_api_termination: self.disable_api_termination,
            market: market_from(self.market, self.spot_request, self.spot_interruption)?,
            template: if self.has_template {
                Some((self.template_id.to_core()?, self.template_version))
            } else {
                None
            },
        })
    }
}

/// Resolves template `*id` at `version` (`"$Default"`, `"$Latest"` or a number such as `"3"`), as
/// an Auto Scaling launch does at each launch, into `*out_spec`: the version's data with the
/// image's root device type. Errors: `FC_STATUS_NOT_UTF8`, an `IdError`,
/// `CatalogError::InvalidVersionSpec`, `CatalogError::UnknownTemplate`, `CatalogError::UnknownVersion`,
/// `CatalogError::UnknownImage` (deregistered since). Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_catalog_launch_spec(
    catalog: *const fc_catalog,
    id: *const fc_template_id,
    version: *const c_char,
    out_spec: *mut fc_launch_spec,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (catalog, id, version, out) = unsafe {
            (
                catalog_ref(catalog)?,
                input_template(id)?,
                input_str(version)?,
                Out::new(out_spec)?,
            )
        };
        let spec = catalog.launch_spec(id, VersionSpec::parse(version)?)?;
        out.write(fc_launch_spec::from_core(&spec));
        Ok(())
    })
}

#[cfg(test)]
mod tests;
