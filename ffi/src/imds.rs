//! `fc_imds`: the Instance Metadata Service of one instance in storage the C caller owns
//! (SEMANTICS §5), so firmware can serve IMDS over its own TCP stack.
//!
//! The caller initialises it with `fc_imds_init` (the metadata options and a 32-byte secret
//! that keys `IMDSv2` session tokens), copies the instance's metadata in with
//! `fc_imds_set_metadata`, and then hands each request's raw bytes to `fc_imds_serve`, which
//! writes the whole HTTP/1.1 response into a caller buffer: the token flow (`PUT
//! /latest/api/token`), 401 for a missing or bad token, 403, 404, and the hop limit (a PUT from
//! more hops away than `HttpPutResponseHopLimit` gets no answer at all).
//!
//! Model, where the C ABI needs one: the metadata is copied into the storage, so the caller's
//! strings need not outlive the call. Text goes into a fixed arena of `FC_IMDS_TEXT_CAPACITY`
//! bytes (every string's bytes together), list entries into `FC_IMDS_MAX_LIST_ITEMS` slots
//! (all lists together), with at most `FC_IMDS_MAX_INTERFACES` interfaces and
//! `FC_IMDS_MAX_TAGS` tags; user data has its own `FC_IMDS_USER_DATA_MAX` bytes (the
//! service's limit). Metadata that does not fit is refused with `FC_STATUS_STORAGE_FULL` and
//! the old metadata stays.
//!
//! The storage holds no pointers: it may be copied with `memcpy` between calls. Nothing is
//! allocated. Functions taking `const fc_imds *` only read; any other call needs the service to
//! itself. `fc_imds_serve` needs about 2 KB of stack for the view it builds of the metadata.

use core::ffi::c_char;
use core::mem::{align_of, size_of};

use fleetcore::Instant;
use fleetcore::catalog::Architecture;
use fleetcore::imds::http::{HttpLimits, MAX_HEAD_LEN, MAX_HEADERS};
use fleetcore::imds::token::SECRET_LEN;
use fleetcore::imds::{
    Imds, ImdsError, InstanceMetadata, InterfaceMetadata, MetadataOptions, Served, SpotAction, Tag,
    USER_DATA_MAX,
};
use fleetcore::lifecycle::{InterruptionBehavior, Market};

use crate::boundary::{Out, OutSlice, boundary, enum_value, input, input_slice, input_str};
use crate::status::fc_status;

/// Bytes of text (every string of the metadata together, no NULs) an `fc_imds` holds.
pub const FC_IMDS_TEXT_CAPACITY: usize = 4096;
/// List entries (security groups, addresses, CIDR blocks ... of every list together) an
/// `fc_imds` holds.
pub const FC_IMDS_MAX_LIST_ITEMS: usize = 64;
/// Network interfaces an `fc_imds` holds.
pub const FC_IMDS_MAX_INTERFACES: usize = 4;
/// Instance tags an `fc_imds` holds.
pub const FC_IMDS_MAX_TAGS: usize = 16;
/// Largest user data, in bytes (the service's 16 KB).
pub const FC_IMDS_USER_DATA_MAX: usize = 16384;
/// Bytes of the secret that keys session tokens.
pub const FC_IMDS_SECRET_LEN: usize = 32;
/// Bytes `fc_imds_serve` needs in its output buffer beyond the body (the response head).
pub const FC_IMDS_HEAD_MAX: usize = 192;
/// Most header lines `fc_http_limits.headers` allows.
pub const FC_IMDS_MAX_HEADERS: usize = 16;

/// Bytes of storage an `fc_imds` takes (`sizeof(fc_imds)`); enough on every target.
pub const FC_IMDS_SIZE: usize = 24576;

const _: () = assert!(FC_IMDS_USER_DATA_MAX == USER_DATA_MAX);
const _: () = assert!(FC_IMDS_SECRET_LEN == SECRET_LEN);
const _: () = assert!(FC_IMDS_HEAD_MAX == MAX_HEAD_LEN);
const _: () = assert!(FC_IMDS_MAX_HEADERS == MAX_HEADERS);
// Spans are `u16` offsets and list slots `u8` indices.
const _: () = assert!(FC_IMDS_TEXT_CAPACITY <= u16::MAX as usize);
const _: () = assert!(FC_IMDS_USER_DATA_MAX <= u16::MAX as usize);
const _: () = assert!(FC_IMDS_MAX_LIST_ITEMS <= u8::MAX as usize);

/// Caller-owned storage for the metadata service of one instance.
///
/// Opaque: initialise it with `fc_imds_init` and only touch it through `fc_imds_*` functions.
/// Aligned to 8 bytes.
#[repr(C, align(8))]
pub struct fc_imds {
    _opaque: [u8; FC_IMDS_SIZE],
}

/// The metadata options of an instance (`ModifyInstanceMetadataOptions`). Fill with
/// `fc_imds_options_default` first.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_imds_options {
    /// `FC_HTTP_ENDPOINT_*`.
    pub http_endpoint: u32,
    /// `FC_HTTP_TOKENS_*`.
    pub http_tokens: u32,
    /// `HttpPutResponseHopLimit`, 1-64 (default 1; a container behind a bridge needs 2).
    pub http_put_response_hop_limit: u8,
    /// `FC_INSTANCE_METADATA_TAGS_*`.
    pub instance_metadata_tags: u32,
}

/// Size limits on one request; each refused with its own HTTP status (414, 431, 413).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_http_limits {
    /// Longest request line, without its line ending (default 512).
    pub request_line: usize,
    /// Longest header line (default 512).
    pub header_line: usize,
    /// Most header lines, at most `FC_IMDS_MAX_HEADERS` (default 16).
    pub headers: usize,
    /// Most bytes for the whole request (default 2048).
    pub total: usize,
}

/// Fills `*out` with the service's defaults: endpoint enabled, tokens optional, hop limit 1, tags
/// disabled. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_imds_options_default(out: *mut fc_imds_options) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `out`.
        let out = unsafe { Out::new(out) }?;
        out.write(options_to_c(MetadataOptions::default()));
        Ok(())
    })
}

fn options_to_c(o: MetadataOptions) -> fc_imds_options {
    fc_imds_options {
        http_endpoint: o.http_endpoint.number(),
        http_tokens: o.http_tokens.number(),
        http_put_response_hop_limit: o.http_put_response_hop_limit,
        instance_metadata_tags: o.instance_metadata_tags.number(),
    }
}

fn options_from_c(o: &fc_imds_options) -> Result<MetadataOptions, fc_status> {
    let options = MetadataOptions {
        http_endpoint: enum_value(o.http_endpoint)?,
        http_tokens: enum_value(o.http_tokens)?,
        http_put_response_hop_limit: o.http_put_response_hop_limit,
        instance_metadata_tags: enum_value(o.instance_metadata_tags)?,
    };
    options.validate()?;
    Ok(options)
}

/// One attached network interface, as `network/interfaces/macs/<mac>/` shows it. Strings are
/// NULL or empty when not set; each list is an array of `*_count` strings (NULL with 0 for
/// none).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_imds_interface {
    /// `mac`, and the directory name.
    pub mac: *const c_char,
    /// `device-number`.
    pub device_number: u32,
    /// `network-card-index`.
    pub network_card_index: u32,
    /// `interface-id` (`eni-...`).
    pub interface_id: *const c_char,
    /// `subnet-id`.
    pub subnet_id: *const c_char,
    /// `subnet-ipv4-cidr-block`.
    pub subnet_ipv4_cidr_block: *const c_char,
    /// `vpc-id`.
    pub vpc_id: *const c_char,
    /// `owner-id`.
    pub owner_id: *const c_char,
    /// `local-ipv4s`, primary first.
    pub local_ipv4s: *const *const c_char,
    /// Number of `local_ipv4s`.
    pub local_ipv4_count: usize,
    /// `public-ipv4s`.
    pub public_ipv4s: *const *const c_char,
    /// Number of `public_ipv4s`.
    pub public_ipv4_count: usize,
    /// `ipv6s`.
    pub ipv6s: *const *const c_char,
    /// Number of `ipv6s`.
    pub ipv6_count: usize,
    /// `vpc-ipv4-cidr-blocks`; the first is also `vpc-ipv4-cidr-block`.
    pub vpc_ipv4_cidr_blocks: *const *const c_char,
    /// Number of `vpc_ipv4_cidr_blocks`.
    pub vpc_ipv4_cidr_block_count: usize,
    /// `security-group-ids`.
    pub security_group_ids: *const *const c_char,
    /// Number of `security_group_ids`.
    pub security_group_id_count: usize,
    /// `security-groups` (names).
    pub security_groups: *const *const c_char,
    /// Number of `security_groups`.
    pub security_group_count: usize,
}

/// One instance tag.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_imds_tag {
    /// The key (the item name under `tags/instance/`).
    pub key: *const c_char,
    /// The value.
    pub value: *const c_char,
}

/// An instance's metadata for `fc_imds_set_metadata`. Zero it (`memset`) and set what the
/// instance has: a string that is NULL or empty is not set (the item is absent, 404), an array
/// is NULL with a count of 0 when empty. Everything is copied; nothing is kept.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_imds_metadata {
    /// `instance-id` (`i-...`), required: tokens are bound to it.
    pub instance_id: *const c_char,
    /// `ami-id`.
    pub ami_id: *const c_char,
    /// `instance-type`.
    pub instance_type: *const c_char,
    /// `hostname`.
    pub hostname: *const c_char,
    /// `local-hostname`.
    pub local_hostname: *const c_char,
    /// `local-ipv4` of device 0.
    pub local_ipv4: *const c_char,
    /// `mac` of device 0.
    pub mac: *const c_char,
    /// `public-ipv4`.
    pub public_ipv4: *const c_char,
    /// `public-hostname`.
    pub public_hostname: *const c_char,
    /// `reservation-id` (`r-...`).
    pub reservation_id: *const c_char,
    /// `placement/availability-zone`.
    pub availability_zone: *const c_char,
    /// `placement/availability-zone-id`.
    pub availability_zone_id: *const c_char,
    /// `placement/region`.
    pub region: *const c_char,
    /// `autoscaling/target-lifecycle-state` (`InService`, `Terminated` ...).
    pub target_lifecycle_state: *const c_char,
    /// `accountId` in the identity document.
    pub account_id: *const c_char,
    /// `architecture` in the identity document (`"x86_64"`, `"arm64"` ...), or NULL.
    pub architecture: *const c_char,
    /// `ami-launch-index`.
    pub ami_launch_index: u32,
    /// `instance-life-cycle` (`FC_MARKET_*`).
    pub market: u32,
    /// Whether EC2 has sent a Spot interruption notice (`spot/instance-action`).
    pub has_spot_action: bool,
    /// What the interruption does (`FC_INTERRUPTION_BEHAVIOR_*`).
    pub spot_action: u32,
    /// When the interruption happens, milliseconds since the epoch.
    pub spot_action_time_ms: u64,
    /// Whether a rebalance recommendation was made (`events/recommendations/rebalance`).
    pub has_rebalance_notice: bool,
    /// When it was made.
    pub rebalance_notice_ms: u64,
    /// `pendingTime` in the identity document.
    pub pending_time_ms: u64,
    /// `security-groups`: names of device 0's groups.
    pub security_groups: *const *const c_char,
    /// Number of `security_groups`.
    pub security_group_count: usize,
    /// `network/interfaces/macs/`, at most `FC_IMDS_MAX_INTERFACES`.
    pub interfaces: *const fc_imds_interface,
    /// Number of `interfaces`.
    pub interface_count: usize,
    /// `tags/instance/`, at most `FC_IMDS_MAX_TAGS`.
    pub tags: *const fc_imds_tag,
    /// Number of `tags`.
    pub tag_count: usize,
    /// `user-data` (raw bytes, at most `FC_IMDS_USER_DATA_MAX`), or NULL for none.
    pub user_data: *const u8,
    /// Bytes of `user_data`.
    pub user_data_len: usize,
}

/// The outcome of `fc_imds_serve`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_imds_served {
    /// `FC_IMDS_REPLY_*`.
    pub kind: u32,
    /// Input bytes used; a next pipelined request starts there.
    pub consumed: usize,
    /// Bytes of the response (head and body); 0 when dropped.
    pub len: usize,
    /// The HTTP status code sent (200, 400, 401, 403, 404 ...); 0 when dropped.
    pub http_status: u16,
    /// The IP TTL to send with (the hop limit, on PUT responses), or 0 for the stack's default.
    pub ip_ttl: u8,
    /// The request could not be parsed: close the connection after sending.
    pub close: bool,
}

/// A string's bytes in the text arena.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u16,
    len: u16,
}

/// A list's entries in the list slots.
#[derive(Debug, Clone, Copy, Default)]
struct List {
    first: u8,
    count: u8,
}

/// Text fields of the instance, in `fc_imds_metadata` order.
const FIELDS: usize = 16;
/// Text fields of an interface: mac, interface id, subnet id, subnet CIDR, VPC id, owner.
const IFACE_FIELDS: usize = 6;
/// Lists of an interface: local, public and v6 addresses, VPC CIDR blocks, group ids and names.
const IFACE_LISTS: usize = 6;

/// An instance's metadata, generic in how a string is held: `&str` borrowed from the caller
/// while checking, [`Span`] once stored.
#[derive(Debug, Clone)]
struct Md<S> {
    fields: [S; FIELDS],
    items: heapless::Vec<S, FC_IMDS_MAX_LIST_ITEMS>,
    security_groups: List,
    interfaces: heapless::Vec<Iface<S>, FC_IMDS_MAX_INTERFACES>,
    tags: heapless::Vec<[S; 2], FC_IMDS_MAX_TAGS>,
    ami_launch_index: u32,
    spot: bool,
    spot_action: Option<SpotAction>,
    rebalance_notice: Option<Instant>,
    architecture: Option<Architecture>,
    pending_time: Instant,
}

#[derive(Debug, Clone, Copy)]
struct Iface<S> {
    fields: [S; IFACE_FIELDS],
    device_number: u32,
    network_card_index: u32,
    lists: [List; IFACE_LISTS],
}

/// What lives in an `fc_imds`.
#[repr(C)]
struct ImdsCell {
    magic: u64,
    imds: Imds,
    md: Md<Span>,
    text_len: u16,
    text: [u8; FC_IMDS_TEXT_CAPACITY],
    user_data_len: u16,
    has_user_data: bool,
    user_data: [u8; FC_IMDS_USER_DATA_MAX],
}

/// `"fcimds"`, a pad and a layout version.
const MAGIC: u64 = u64::from_be_bytes(*b"fcimds\x00\x01");

const _: () = assert!(size_of::<ImdsCell>() <= size_of::<fc_imds>());
const _: () = assert!(align_of::<ImdsCell>() <= align_of::<fc_imds>());
const _: () = assert!(size_of::<fc_imds>() == FC_IMDS_SIZE);

/// Checks NULL, alignment and the tag of IMDS storage.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_imds`.
unsafe fn checked_cell(p: *const fc_imds) -> Result<*const ImdsCell, fc_status> {
    if p.is_null() {
        return Err(fc_status::NullArgument);
    }
    if !p.is_aligned() {
        return Err(fc_status::MisalignedArgument);
    }
    let cell = p.cast::<ImdsCell>();
    // SAFETY: not NULL and aligned for `fc_imds`, hence for `ImdsCell` (const assertions
    // above); readable for an `fc_imds` by this function's contract, which covers the `u64` tag
    // at offset 0 (`repr(C)`); any bit pattern is a valid `u64`.
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
/// `p` is NULL or valid for reads of an `fc_imds` that nothing writes during `'a`.
unsafe fn cell_ref<'a>(p: *const fc_imds) -> Result<&'a ImdsCell, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?;
    // SAFETY: `checked_cell` found the tag `fc_imds_init` writes together with a valid cell;
    // readable and not written during 'a by the caller's contract.
    Ok(unsafe { &*cell })
}

/// The initialised cell in `p`, for a call that changes it.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of an `fc_imds` that nothing else uses during
/// `'a`.
unsafe fn cell_mut<'a>(p: *mut fc_imds) -> Result<&'a mut ImdsCell, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?.cast_mut();
    // SAFETY: as in `cell_ref`, and the caller's contract gives this call exclusive use.
    Ok(unsafe { &mut *cell })
}

/// Initialises `mem` as the metadata service of an instance with `*options`, keying tokens with the
/// `FC_IMDS_SECRET_LEN` bytes at `secret` (random bytes the controller keeps; a new secret revokes
/// every token). It has no metadata until `fc_imds_set_metadata`: every path but `/` and `/latest/`
/// is 404 until then. The default HTTP limits apply. `mem` may be uninitialised; calling again
/// replaces the service. Errors: `FC_STATUS_INVALID_ENUM_VALUE`, `ImdsError::HopLimitOutOfRange`.
/// Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_imds_init(
    mem: *mut fc_imds,
    options: *const fc_imds_options,
    secret: *const u8,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer; `ImdsCell` fits an `fc_imds`.
        let (out, options, secret) = unsafe {
            (
                Out::new(mem.cast::<ImdsCell>())?,
                input(options)?,
                input(secret.cast::<[u8; SECRET_LEN]>())?,
            )
        };
        let imds = Imds::new(options_from_c(options)?, *secret)?;
        out.write(ImdsCell {
            magic: MAGIC,
            imds,
            md: Md {
                fields: [Span::default(); FIELDS],
                items: heapless::Vec::new(),
                security_groups: List::default(),
                interfaces: heapless::Vec::new(),
                tags: heapless::Vec::new(),
                ami_launch_index: 0,
                spot: false,
                spot_action: None,
                rebalance_notice: None,
                architecture: None,
                pending_time: Instant::from_millis(0),
            },
            text_len: 0,
            text: [0; FC_IMDS_TEXT_CAPACITY],
            user_data_len: 0,
            has_user_data: false,
            user_data: [0; FC_IMDS_USER_DATA_MAX],
        });
        Ok(())
    })
}

/// `ModifyInstanceMetadataOptions`; tokens already issued stay valid. Errors:
/// `FC_STATUS_INVALID_ENUM_VALUE`, `ImdsError::HopLimitOutOfRange`. Unchanged on error. Not
/// thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_imds_set_options(
    imds: *mut fc_imds,
    options: *const fc_imds_options,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (cell, options) = unsafe { (cell_mut(imds)?, input(options)?) };
        cell.imds.set_options(options_from_c(options)?)?;
        Ok(())
    })
}

/// The current options. On success `*out` is written. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_imds_options_get(
    imds: *const fc_imds,
    out: *mut fc_imds_options,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (cell, out) = unsafe { (cell_ref(imds)?, Out::new(out)?) };
        out.write(options_to_c(*cell.imds.options()));
        Ok(())
    })
}

/// Changes the HTTP limits `fc_imds_serve` parses with. Errors: `ImdsError::InvalidLimit` (a
/// zero limit, or more than `FC_IMDS_MAX_HEADERS` headers). Unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_imds_set_limits(
    imds: *mut fc_imds,
    limits: *const fc_http_limits,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (cell, l) = unsafe { (cell_mut(imds)?, input(limits)?) };
        cell.imds.set_limits(HttpLimits {
            request_line: l.request_line,
            header_line: l.header_line,
            headers: l.headers,
            total: l.total,
        })?;
        Ok(())
    })
}

/// How many session tokens the service has issued. On success `*out` is written. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_imds_tokens_issued(imds: *const fc_imds, out: *mut u64) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (cell, out) = unsafe { (cell_ref(imds)?, Out::new(out)?) };
        out.write(cell.imds.tokens_issued());
        Ok(())
    })
}

/// A C string that may be NULL (not set).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid during `'a`.
unsafe fn opt_str<'a>(p: *const c_char) -> Result<&'a str, fc_status> {
    if p.is_null() {
        Ok("")
    } else {
        // SAFETY: forwarded from this function's contract.
        unsafe { input_str(p) }
    }
}

/// Appends a C string array to the list slots.
///
/// # Safety
/// `p` is NULL or points to `count` NUL-terminated strings valid as long as `items` is used.
unsafe fn push_list(
    items: &mut heapless::Vec<&str, FC_IMDS_MAX_LIST_ITEMS>,
    p: *const *const c_char,
    count: usize,
) -> Result<List, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let list = unsafe { input_slice(p, count) }?;
    let first = u8::try_from(items.len()).map_err(|_| fc_status::StorageFull)?;
    for &s in list {
        // SAFETY: each entry is a NUL-terminated string (this function's contract); NULL is
        // refused.
        let s = unsafe { input_str(s) }?;
        items.push(s).map_err(|_| fc_status::StorageFull)?;
    }
    let count = u8::try_from(list.len()).map_err(|_| fc_status::StorageFull)?;
    Ok(List { first, count })
}

/// Checks a C interface and borrows its strings; its list entries go to `items`.
///
/// # Safety
/// The pointers in `i` are NULL or valid as `fc_imds_interface` documents, as long as `items`
/// is used.
unsafe fn borrow_iface<'a>(
    i: &fc_imds_interface,
    items: &mut heapless::Vec<&'a str, FC_IMDS_MAX_LIST_ITEMS>,
) -> Result<Iface<&'a str>, fc_status> {
    let mut fields = [""; IFACE_FIELDS];
    let ptrs = [
        i.mac,
        i.interface_id,
        i.subnet_id,
        i.subnet_ipv4_cidr_block,
        i.vpc_id,
        i.owner_id,
    ];
    for (f, &p) in fields.iter_mut().zip(&ptrs) {
        // SAFETY: each field is NULL or a NUL-terminated string (caller's contract).
        *f = unsafe { opt_str(p) }?;
    }
    let arrays = [
        (i.local_ipv4s, i.local_ipv4_count),
        (i.public_ipv4s, i.public_ipv4_count),
        (i.ipv6s, i.ipv6_count),
        (i.vpc_ipv4_cidr_blocks, i.vpc_ipv4_cidr_block_count),
        (i.security_group_ids, i.security_group_id_count),
        (i.security_groups, i.security_group_count),
    ];
    let mut lists = [List::default(); IFACE_LISTS];
    for (l, &(p, n)) in lists.iter_mut().zip(&arrays) {
        // SAFETY: each array is NULL or `n` strings (caller's contract).
        *l = unsafe { push_list(items, p, n) }?;
    }
    Ok(Iface {
        fields,
        device_number: i.device_number,
        network_card_index: i.network_card_index,
        lists,
    })
}

/// Checks a C metadata struct and borrows its strings.
///
/// # Safety
/// The pointers in `c` are NULL or valid as `fc_imds_metadata` documents, as long as `c` is
/// borrowed.
unsafe fn borrow_md(c: &fc_imds_metadata) -> Result<Md<&str>, fc_status> {
    let ptrs = [
        c.instance_id,
        c.ami_id,
        c.instance_type,
        c.hostname,
        c.local_hostname,
        c.local_ipv4,
        c.mac,
        c.public_ipv4,
        c.public_hostname,
        c.reservation_id,
        c.availability_zone,
        c.availability_zone_id,
        c.region,
        c.target_lifecycle_state,
        c.account_id,
        c.architecture,
    ];
    if c.instance_id.is_null() {
        return Err(fc_status::NullArgument);
    }
    let mut fields = [""; FIELDS];
    for (f, &p) in fields.iter_mut().zip(&ptrs) {
        // SAFETY: each field is NULL or a NUL-terminated string (caller's contract).
        *f = unsafe { opt_str(p) }?;
    }
    let mut items = heapless::Vec::new();
    // SAFETY: the caller's contract for `security_groups`.
    let security_groups =
        unsafe { push_list(&mut items, c.security_groups, c.security_group_count) }?;
    // SAFETY: the caller's contract for `interfaces`.
    let ifaces = unsafe { input_slice(c.interfaces, c.interface_count) }?;
    let mut interfaces = heapless::Vec::new();
    for i in ifaces {
        // SAFETY: the caller's contract for the pointers inside each interface.
        let iface = unsafe { borrow_iface(i, &mut items) }?;
        interfaces.push(iface).map_err(|_| fc_status::StorageFull)?;
    }
    // SAFETY: the caller's contract for `tags`.
    let tag_list = unsafe { input_slice(c.tags, c.tag_count) }?;
    let mut tags = heapless::Vec::new();
    for t in tag_list {
        // SAFETY: keys and values are NUL-terminated strings (caller's contract).
        let kv = unsafe { [input_str(t.key)?, input_str(t.value)?] };
        tags.push(kv).map_err(|_| fc_status::StorageFull)?;
    }
    let spot = match c.market {
        0 => false,
        1 => true,
        _ => return Err(fc_status::InvalidEnumValue),
    };
    let action: InterruptionBehavior = crate::boundary::enum_value(c.spot_action)?;
    let architecture = match fields.get(15) {
        Some(s) if !s.is_empty() => Some(Architecture::parse(s)?),
        _ => None,
    };
    Ok(Md {
        fields,
        items,
        security_groups,
        interfaces,
        tags,
        ami_launch_index: c.ami_launch_index,
        spot,
        spot_action: c.has_spot_action.then_some(SpotAction {
            action,
            time: Instant::from_millis(c.spot_action_time_ms),
        }),
        rebalance_notice: c
            .has_rebalance_notice
            .then_some(Instant::from_millis(c.rebalance_notice_ms)),
        architecture,
        pending_time: Instant::from_millis(c.pending_time_ms),
    })
}

/// Copies `s` into the arena from `*at`.
fn store(text: &mut [u8], at: &mut usize, s: &str) -> Span {
    let start = *at;
    let end = start.saturating_add(s.len());
    if let Some(dst) = text.get_mut(start..end) {
        dst.copy_from_slice(s.as_bytes());
        *at = end;
    }
    // Offsets fit `u16` (const assertion on the arena size; `set_metadata` checked the total).
    Span {
        start: u16::try_from(start).unwrap_or(0),
        len: u16::try_from(s.len()).unwrap_or(0),
    }
}

/// Copies an instance's metadata into the storage, replacing what was there (`fc_imds_set_metadata`
/// is the only way in: the service serves what this copy holds). Errors: `FC_STATUS_NULL_ARGUMENT`
/// (`imds`, `metadata`, `instance_id`, an array NULL with a nonzero count, a NULL entry in an array
/// or a NULL tag key or value), `FC_STATUS_NOT_UTF8`, `FC_STATUS_INVALID_ENUM_VALUE` (`market`,
/// `spot_action`), `CatalogError::OutOfRange` (an `architecture` that is not one of EC2's),
/// `ImdsError::UserDataTooLarge`, `FC_STATUS_STORAGE_FULL` (more text, list entries,
/// interfaces or tags than the storage holds). The service is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_imds_set_metadata(
    imds: *mut fc_imds,
    metadata: *const fc_imds_metadata,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (cell, c) = unsafe { (cell_mut(imds)?, input(metadata)?) };
        // SAFETY: the caller's contract for the pointers inside `metadata`.
        let md = unsafe { borrow_md(c) }?;
        // SAFETY: the caller's contract for `user_data`.
        let user_data = unsafe { input_slice(c.user_data, c.user_data_len) }?;
        if user_data.len() > FC_IMDS_USER_DATA_MAX {
            return Err(ImdsError::UserDataTooLarge {
                len: user_data.len(),
            }
            .into());
        }
        let text_total = md
            .fields
            .iter()
            .chain(&md.items)
            .chain(md.interfaces.iter().flat_map(|i| &i.fields))
            .chain(md.tags.iter().flatten())
            .fold(0usize, |n, s| n.saturating_add(s.len()));
        if text_total > FC_IMDS_TEXT_CAPACITY {
            return Err(fc_status::StorageFull);
        }
        // Everything is checked: from here on nothing fails.
        let mut at = 0usize;
        let text = &mut cell.text;
        let mut put = |s: &str| store(text, &mut at, s);
        let stored = Md {
            fields: md.fields.map(&mut put),
            items: md.items.iter().map(|s| put(s)).collect(),
            security_groups: md.security_groups,
            interfaces: md
                .interfaces
                .iter()
                .map(|i| Iface {
                    fields: i.fields.map(&mut put),
                    device_number: i.device_number,
                    network_card_index: i.network_card_index,
                    lists: i.lists,
                })
                .collect(),
            tags: md.tags.iter().map(|t| t.map(&mut put)).collect(),
            ami_launch_index: md.ami_launch_index,
            spot: md.spot,
            spot_action: md.spot_action,
            rebalance_notice: md.rebalance_notice,
            architecture: md.architecture,
            pending_time: md.pending_time,
        };
        cell.md = stored;
        cell.text_len = u16::try_from(at).unwrap_or(u16::MAX);
        if let Some(dst) = cell.user_data.get_mut(..user_data.len()) {
            dst.copy_from_slice(user_data);
        }
        cell.user_data_len = u16::try_from(user_data.len()).unwrap_or(0);
        cell.has_user_data = !c.user_data.is_null();
        Ok(())
    })
}

/// The text of a span (empty if it were ever out of range).
fn text_of(text: &[u8], s: Span) -> &str {
    let start = usize::from(s.start);
    text.get(start..start.saturating_add(usize::from(s.len)))
        .and_then(|b| core::str::from_utf8(b).ok())
        .unwrap_or("")
}

fn list_of<'a>(items: &'a [&'a str], l: List) -> &'a [&'a str] {
    let first = usize::from(l.first);
    items
        .get(first..first.saturating_add(usize::from(l.count)))
        .unwrap_or(&[])
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Parses one request from the `request_len` bytes at `request` (as read from a TCP connection) and
/// writes the whole HTTP/1.1 response into `out_buf`, for the instance's metadata at `now_ms`.
/// `hops` is how many IP hops the request took (1 from the instance's own stack, 2 from a container
/// behind a bridge; 0 counts as 1): a PUT from further than the hop limit is dropped.
///
/// Client mistakes are answered, not returned as errors: 400 (bad TTL, unparsable), 401 (no or bad
/// token where one is needed), 403 (endpoint disabled, a PUT elsewhere than `/latest/api/token` or
/// with `X-Forwarded-For`), 404, 405, 413, 414, 431, 501. A response needs `FC_IMDS_HEAD_MAX` bytes
/// beyond its body. `*out_served` says what to do; no token is issued on error. Errors:
/// `FC_STATUS_NULL_ARGUMENT` (`request` may be NULL only with a length of 0),
/// `FC_STATUS_IMDS_INCOMPLETE` (the start of a request: call again with more),
/// `FC_STATUS_BUFFER_TOO_SMALL`. Not thread-safe (a token issue changes the service).
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_imds_serve(
    imds: *mut fc_imds,
    now_ms: u64,
    request: *const u8,
    request_len: usize,
    hops: u8,
    out_buf: *mut u8,
    out_len: usize,
    out_served: *mut fc_imds_served,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (cell, request, buf, served) = unsafe {
            (
                cell_mut(imds)?,
                input_slice(request, request_len)?,
                OutSlice::new(out_buf, out_len)?,
                Out::new(out_served)?,
            )
        };
        let ImdsCell {
            imds,
            md,
            text,
            user_data,
            user_data_len,
            has_user_data,
            ..
        } = cell;
        let user_data = if *has_user_data {
            user_data.get(..usize::from(*user_data_len))
        } else {
            None
        };
        with_view(md, text, user_data, |view| {
            serve_view(imds, now_ms, request, hops, view, buf, served)
        })
    })
}

/// Serves one request about `view` into the caller's buffer (see `fc_imds_serve`).
fn serve_view(
    imds: &mut Imds,
    now_ms: u64,
    request: &[u8],
    hops: u8,
    view: &InstanceMetadata<'_>,
    buf: OutSlice<'_, u8>,
    served: Out<'_, fc_imds_served>,
) -> Result<(), fc_status> {
    let out_len = buf.len();
    let now = Instant::from_millis(now_ms);
    // A dry run on a copy of the service, into no buffer, finds what the answer needs
    // without issuing a token or touching the caller's buffer; the real run then cannot
    // fail (the core needs `FC_IMDS_HEAD_MAX` bytes for any head it writes).
    let needed = match imds.clone().serve(now, request, hops, view, &mut []) {
        Ok(_) => 0,
        Err(ImdsError::BufferTooSmall { needed }) => needed.max(FC_IMDS_HEAD_MAX),
        Err(e) => return Err(e.into()),
    };
    if needed > out_len {
        return Err(fc_status::BufferTooSmall);
    }
    // The core writes into a `&mut [u8]`; zeroing the caller's buffer makes it one.
    let out = buf.zeroed(out_len)?;
    let result = imds
        .serve(now, request, hops, view, out)
        .map_err(|e| match e {
            ImdsError::BufferTooSmall { .. } => fc_status::BufferTooSmall,
            e => e.into(),
        })?;
    let kind = result.kind().number();
    served.write(match result {
        Served::Response {
            consumed,
            len,
            ip_ttl,
            close,
        } => fc_imds_served {
            kind,
            consumed,
            len,
            http_status: status_of(out.get(..len).unwrap_or_default()),
            ip_ttl: ip_ttl.unwrap_or(0),
            close,
        },
        Served::Dropped { consumed } => fc_imds_served {
            kind,
            consumed,
            len: 0,
            http_status: 0,
            ip_ttl: 0,
            close: false,
        },
    });
    Ok(())
}

/// Builds the core's view of the stored metadata (about 2 KB of stack) and runs `f` on it.
fn with_view<R>(
    md: &Md<Span>,
    text: &[u8],
    user_data: Option<&[u8]>,
    f: impl FnOnce(&InstanceMetadata<'_>) -> R,
) -> R {
    let items: heapless::Vec<&str, FC_IMDS_MAX_LIST_ITEMS> =
        md.items.iter().map(|&s| text_of(text, s)).collect();
    let interfaces: heapless::Vec<InterfaceMetadata<'_>, FC_IMDS_MAX_INTERFACES> = md
        .interfaces
        .iter()
        .map(|i| {
            let [mac, interface_id, subnet_id, subnet_cidr, vpc_id, owner_id] =
                i.fields.map(|s| text_of(text, s));
            let [local, public, v6, vpc_cidrs, sg_ids, sgs] = i.lists.map(|l| list_of(&items, l));
            InterfaceMetadata {
                mac,
                device_number: i.device_number,
                network_card_index: i.network_card_index,
                interface_id,
                local_ipv4s: local,
                public_ipv4s: public,
                ipv6s: v6,
                subnet_id,
                subnet_ipv4_cidr_block: subnet_cidr,
                vpc_id,
                vpc_ipv4_cidr_blocks: vpc_cidrs,
                security_group_ids: sg_ids,
                security_groups: sgs,
                owner_id,
            }
        })
        .collect();
    let tags: heapless::Vec<Tag<'_>, FC_IMDS_MAX_TAGS> = md
        .tags
        .iter()
        .map(|[k, v]| Tag {
            key: text_of(text, *k),
            value: text_of(text, *v),
        })
        .collect();
    let [
        instance_id,
        ami_id,
        instance_type,
        hostname,
        local_hostname,
        local_ipv4,
        mac,
        public_ipv4,
        public_hostname,
        reservation_id,
        availability_zone,
        availability_zone_id,
        region,
        target_lifecycle_state,
        account_id,
        _architecture,
    ] = md.fields.map(|s| text_of(text, s));
    let view = InstanceMetadata {
        instance_id,
        ami_id,
        instance_type,
        hostname,
        local_hostname,
        local_ipv4,
        mac,
        public_ipv4: non_empty(public_ipv4),
        public_hostname: non_empty(public_hostname),
        reservation_id,
        ami_launch_index: md.ami_launch_index,
        availability_zone,
        availability_zone_id,
        region,
        market: if md.spot {
            Market::Spot {
                request: fleetcore::lifecycle::SpotRequestType::OneTime,
                interruption: md
                    .spot_action
                    .map_or(InterruptionBehavior::Terminate, |a| a.action),
            }
        } else {
            Market::OnDemand
        },
        security_groups: list_of(&items, md.security_groups),
        interfaces: &interfaces,
        spot_action: md.spot_action,
        rebalance_notice: md.rebalance_notice,
        target_lifecycle_state: non_empty(target_lifecycle_state),
        tags: &tags,
        user_data,
        account_id,
        architecture: md.architecture,
        pending_time: md.pending_time,
    };
    f(&view)
}

/// The status code of a response the core wrote: the three digits after `HTTP/1.1 `.
fn status_of(response: &[u8]) -> u16 {
    response
        .get(9..12)
        .and_then(|d| core::str::from_utf8(d).ok())
        .and_then(|d| d.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
