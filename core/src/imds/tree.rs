//! The metadata tree an instance reads (SEMANTICS §5, `EC2-UG:instancedata-data-categories`).
//!
//! The tree is not stored: [`InstanceMetadata`] is a view the caller fills from whatever holds
//! the instance (the group, the network module, a test), and each request walks it. One
//! function, `children`, names the entries of every directory, so a listing and a lookup can
//! never disagree.

use core::fmt::Write as _;

use super::buf::{ByteWriter, JsonStr};
use crate::catalog::Architecture;
use crate::lifecycle::{InterruptionBehavior, Market};
use crate::time::Instant;
use crate::time::Utc;

/// Largest user data the service accepts, before base64 (16 KB).
pub const USER_DATA_MAX: usize = 16 * 1024;
/// The `version` of the identity document.
pub const IDENTITY_DOCUMENT_VERSION: &str = "2017-09-30";

/// One instance's metadata, borrowed from the caller for the duration of a request.
///
/// Text that is empty, an `Option` that is `None` and a list that is empty are all "not set":
/// the item is absent (404) and not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InstanceMetadata<'a> {
    /// `instance-id` (`i-…`); tokens are bound to it.
    pub instance_id: &'a str,
    /// `ami-id`, and `imageId` in the identity document.
    pub ami_id: &'a str,
    /// `instance-type`.
    pub instance_type: &'a str,
    /// `hostname` (the private DNS name).
    pub hostname: &'a str,
    /// `local-hostname`.
    pub local_hostname: &'a str,
    /// `local-ipv4` of device 0, and `privateIp` in the identity document.
    pub local_ipv4: &'a str,
    /// `mac` of device 0.
    pub mac: &'a str,
    /// `public-ipv4`, when the instance has one.
    pub public_ipv4: Option<&'a str>,
    /// `public-hostname`, when the instance has one.
    pub public_hostname: Option<&'a str>,
    /// `reservation-id` (`r-…`).
    pub reservation_id: &'a str,
    /// `ami-launch-index`: the instance's position in its launch request, from 0.
    pub ami_launch_index: u32,
    /// `placement/availability-zone`.
    pub availability_zone: &'a str,
    /// `placement/availability-zone-id` (`use1-az1`).
    pub availability_zone_id: &'a str,
    /// `placement/region`.
    pub region: &'a str,
    /// `instance-life-cycle`: `on-demand` or `spot`.
    pub market: Market,
    /// `security-groups`: the names of device 0's groups.
    pub security_groups: &'a [&'a str],
    /// `network/interfaces/macs/<mac>/…`, one entry per attached ENI.
    pub interfaces: &'a [InterfaceMetadata<'a>],
    /// `spot/instance-action` (and `spot/termination-time` when the action is `terminate`), once
    /// EC2 has sent the interruption notice.
    pub spot_action: Option<SpotAction>,
    /// `events/recommendations/rebalance`: when the rebalance recommendation was made.
    pub rebalance_notice: Option<Instant>,
    /// `autoscaling/target-lifecycle-state` (`InService`, `Terminated`, `Warmed:Stopped` …).
    pub target_lifecycle_state: Option<&'a str>,
    /// `tags/instance/<key>`, shown only when `InstanceMetadataTags` is enabled. A key that is
    /// empty or holds `/` cannot be a path segment and is left out.
    pub tags: &'a [Tag<'a>],
    /// `user-data`, raw (at most [`USER_DATA_MAX`] bytes).
    pub user_data: Option<&'a [u8]>,
    /// `accountId` in the identity document.
    pub account_id: &'a str,
    /// `architecture` in the identity document.
    pub architecture: Option<Architecture>,
    /// `pendingTime` in the identity document: when the instance last entered `pending`.
    pub pending_time: Instant,
}

/// One attached network interface as `network/interfaces/macs/<mac>/` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InterfaceMetadata<'a> {
    /// `mac`, and the directory name.
    pub mac: &'a str,
    /// `device-number`: the attachment's `DeviceIndex`.
    pub device_number: u32,
    /// `network-card-index`.
    pub network_card_index: u32,
    /// `interface-id` (`eni-…`).
    pub interface_id: &'a str,
    /// `local-ipv4s`, primary first.
    pub local_ipv4s: &'a [&'a str],
    /// `public-ipv4s`.
    pub public_ipv4s: &'a [&'a str],
    /// `ipv6s`.
    pub ipv6s: &'a [&'a str],
    /// `subnet-id`.
    pub subnet_id: &'a str,
    /// `subnet-ipv4-cidr-block`.
    pub subnet_ipv4_cidr_block: &'a str,
    /// `vpc-id`.
    pub vpc_id: &'a str,
    /// `vpc-ipv4-cidr-blocks`; the first is also `vpc-ipv4-cidr-block`.
    pub vpc_ipv4_cidr_blocks: &'a [&'a str],
    /// `security-group-ids`.
    pub security_group_ids: &'a [&'a str],
    /// `security-groups` (names).
    pub security_groups: &'a [&'a str],
    /// `owner-id`: the account that owns the interface.
    pub owner_id: &'a str,
}

/// One instance tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'a> {
    /// The key, which is the item name under `tags/instance/`.
    pub key: &'a str,
    /// The value, the item's body.
    pub value: &'a str,
}

/// A Spot interruption notice as `spot/instance-action` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SpotAction {
    /// What the interruption does.
    pub action: InterruptionBehavior,
    /// When it happens.
    pub time: Instant,
}

/// What a path names.
#[derive(Clone, Copy)]
pub(crate) enum Node<'m> {
    Dir(Dir<'m>),
    Leaf(Leaf<'m>),
}

#[derive(Clone, Copy)]
pub(crate) enum Dir<'m> {
    Root,
    Version,
    MetaData,
    Placement,
    Network,
    Interfaces,
    Macs,
    Mac(&'m InterfaceMetadata<'m>),
    Spot,
    Events,
    Recommendations,
    Autoscaling,
    Tags,
    TagsInstance,
    Dynamic,
    InstanceIdentity,
}

#[derive(Clone, Copy)]
pub(crate) enum Leaf<'m> {
    Text(&'m str),
    Lines(&'m [&'m str]),
    Number(u32),
    Bytes(&'m [u8]),
    SpotAction(SpotAction),
    Time(Instant),
    Rebalance(Instant),
    IdentityDocument,
}

/// The body's media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ContentType {
    /// `text/plain` (items, listings, tokens).
    Text,
    /// `application/json` (the identity document, Spot and rebalance notices).
    Json,
    /// `application/octet-stream` (user data, which may be binary).
    OctetStream,
}

impl ContentType {
    /// The header value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text/plain",
            Self::Json => "application/json",
            Self::OctetStream => "application/octet-stream",
        }
    }
}

fn text(s: &str) -> Option<Node<'_>> {
    (!s.is_empty()).then_some(Node::Leaf(Leaf::Text(s)))
}

fn opt_text(s: Option<&str>) -> Option<Node<'_>> {
    s.and_then(text)
}

fn lines<'m>(l: &'m [&'m str]) -> Option<Node<'m>> {
    (!l.is_empty()).then_some(Node::Leaf(Leaf::Lines(l)))
}

const fn number<'m>(n: u32) -> Node<'m> {
    Node::Leaf(Leaf::Number(n))
}

fn tag_key_addressable(key: &str) -> bool {
    !key.is_empty() && !key.contains('/')
}

/// The metadata of one request: the view and whether tags are shown.
#[derive(Clone, Copy)]
pub(crate) struct Tree<'m> {
    pub(crate) md: &'m InstanceMetadata<'m>,
    pub(crate) tags: bool,
}

impl<'m> Tree<'m> {
    /// A directory that has nothing in it is absent, as the service hides categories that do
    /// not apply (no `spot/` on an On-Demand instance).
    fn dir(self, d: Dir<'m>) -> Option<Node<'m>> {
        let mut any = false;
        self.children(d, &mut |_, _| {
            any = true;
            true
        });
        any.then_some(Node::Dir(d))
    }

    /// Calls `f` with each entry of `d`, in the service's (alphabetical) order, until it
    /// returns `true`; returns whether it did.
    #[allow(clippy::too_many_lines)] // One arm per directory reads as the tree itself.
    fn children(self, d: Dir<'m>, f: &mut dyn FnMut(&'m str, Node<'m>) -> bool) -> bool {
        let md = self.md;
        let mut e = |name: &'m str, node: Option<Node<'m>>| node.is_some_and(|n| f(name, n));
        match d {
            Dir::Root => e("latest", Some(Node::Dir(Dir::Version))),
            Dir::Version => {
                e("dynamic", self.dir(Dir::Dynamic))
                    || e("meta-data", Some(Node::Dir(Dir::MetaData)))
                    || e(
                        "user-data",
                        md.user_data.map(|b| Node::Leaf(Leaf::Bytes(b))),
                    )
            }
            Dir::Dynamic => e("instance-identity", self.dir(Dir::InstanceIdentity)),
            Dir::InstanceIdentity => e("document", Some(Node::Leaf(Leaf::IdentityDocument))),
            Dir::MetaData => {
                e("ami-id", text(md.ami_id))
                    || e("ami-launch-index", Some(number(md.ami_launch_index)))
                    || e("autoscaling", self.dir(Dir::Autoscaling))
                    || e("events", self.dir(Dir::Events))
                    || e("hostname", text(md.hostname))
                    || e("instance-id", text(md.instance_id))
                    || e("instance-life-cycle", text(life_cycle(md.market)))
                    || e("instance-type", text(md.instance_type))
                    || e("local-hostname", text(md.local_hostname))
                    || e("local-ipv4", text(md.local_ipv4))
                    || e("mac", text(md.mac))
                    || e("network", self.dir(Dir::Network))
                    || e("placement", self.dir(Dir::Placement))
                    || e("public-hostname", opt_text(md.public_hostname))
                    || e("public-ipv4", opt_text(md.public_ipv4))
                    || e("reservation-id", text(md.reservation_id))
                    || e("security-groups", lines(md.security_groups))
                    || e("spot", self.dir(Dir::Spot))
                    || e("tags", self.dir(Dir::Tags))
            }
            Dir::Autoscaling => e(
                "target-lifecycle-state",
                opt_text(md.target_lifecycle_state),
            ),
            Dir::Events => e("recommendations", self.dir(Dir::Recommendations)),
            Dir::Recommendations => e(
                "rebalance",
                md.rebalance_notice.map(|t| Node::Leaf(Leaf::Rebalance(t))),
            ),
            Dir::Placement => {
                e("availability-zone", text(md.availability_zone))
                    || e("availability-zone-id", text(md.availability_zone_id))
                    || e("region", text(md.region))
            }
            Dir::Network => e("interfaces", self.dir(Dir::Interfaces)),
            Dir::Interfaces => e("macs", self.dir(Dir::Macs)),
            Dir::Macs => md.interfaces.iter().any(|eni| {
                e(
                    eni.mac,
                    (!eni.mac.is_empty()).then_some(Node::Dir(Dir::Mac(eni))),
                )
            }),
            Dir::Mac(eni) => {
                e("device-number", Some(number(eni.device_number)))
                    || e("interface-id", text(eni.interface_id))
                    || e("ipv6s", lines(eni.ipv6s))
                    || e("local-ipv4s", lines(eni.local_ipv4s))
                    || e("mac", text(eni.mac))
                    || e("network-card-index", Some(number(eni.network_card_index)))
                    || e("owner-id", text(eni.owner_id))
                    || e("public-ipv4s", lines(eni.public_ipv4s))
                    || e("security-group-ids", lines(eni.security_group_ids))
                    || e("security-groups", lines(eni.security_groups))
                    || e("subnet-id", text(eni.subnet_id))
                    || e("subnet-ipv4-cidr-block", text(eni.subnet_ipv4_cidr_block))
                    || e("vpc-id", text(eni.vpc_id))
                    || e(
                        "vpc-ipv4-cidr-block",
                        eni.vpc_ipv4_cidr_blocks.first().copied().and_then(text),
                    )
                    || e("vpc-ipv4-cidr-blocks", lines(eni.vpc_ipv4_cidr_blocks))
            }
            Dir::Spot => {
                e(
                    "instance-action",
                    md.spot_action.map(|a| Node::Leaf(Leaf::SpotAction(a))),
                ) || e(
                    "termination-time",
                    md.spot_action
                        .filter(|a| a.action == InterruptionBehavior::Terminate)
                        .map(|a| Node::Leaf(Leaf::Time(a.time))),
                )
            }
            Dir::Tags => e("instance", self.dir(Dir::TagsInstance)),
            Dir::TagsInstance => {
                self.tags
                    && md.tags.iter().any(|t| {
                        e(
                            t.key,
                            tag_key_addressable(t.key).then_some(Node::Leaf(Leaf::Text(t.value))),
                        )
                    })
            }
        }
    }

    /// The node a path names below the version (`meta-data/placement/region`), or `None`
    /// (404). A directory may be named with or without its trailing `/`; a leaf may not have
    /// one, and an empty segment (`a//b`) names nothing.
    pub(crate) fn resolve(self, start: Dir<'m>, path: &str) -> Option<Node<'m>> {
        let mut node = Node::Dir(start);
        let mut segments = path.split('/').peekable();
        while let Some(seg) = segments.next() {
            let Node::Dir(d) = node else { return None };
            if seg.is_empty() {
                // Only the trailing `/` of a directory (or an empty path) is allowed.
                return segments.peek().is_none().then_some(node);
            }
            let mut found = None;
            self.children(d, &mut |name, child| {
                if name == seg {
                    found = Some(child);
                }
                found.is_some()
            });
            node = found?;
        }
        Some(node)
    }

    /// Writes the body of `node` and says its media type.
    pub(crate) fn render(self, node: Node<'m>, w: &mut ByteWriter<'_>) -> ContentType {
        match node {
            Node::Dir(d) => {
                let mut first = true;
                self.children(d, &mut |name, child| {
                    if !first {
                        w.bytes(b"\n");
                    }
                    first = false;
                    w.bytes(name.as_bytes());
                    if matches!(child, Node::Dir(_)) {
                        w.bytes(b"/");
                    }
                    false
                });
                ContentType::Text
            }
            Node::Leaf(leaf) => self.render_leaf(leaf, w),
        }
    }

    fn render_leaf(self, leaf: Leaf<'m>, w: &mut ByteWriter<'_>) -> ContentType {
        // `ByteWriter` never fails; it counts what does not fit.
        match leaf {
            Leaf::Text(s) => w.bytes(s.as_bytes()),
            Leaf::Lines(l) => {
                for (i, s) in l.iter().enumerate() {
                    if i > 0 {
                        w.bytes(b"\n");
                    }
                    w.bytes(s.as_bytes());
                }
            }
            Leaf::Number(n) => {
                let _ = write!(w, "{n}");
            }
            Leaf::Bytes(b) => {
                w.bytes(b);
                return ContentType::OctetStream;
            }
            Leaf::Time(t) => {
                let _ = write!(w, "{}", Utc(t));
            }
            Leaf::SpotAction(a) => {
                let _ = write!(
                    w,
                    "{{\"action\": \"{}\", \"time\": \"{}\"}}",
                    a.action.as_str(),
                    Utc(a.time)
                );
                return ContentType::Json;
            }
            Leaf::Rebalance(t) => {
                let _ = write!(w, "{{\"noticeTime\": \"{}\"}}", Utc(t));
                return ContentType::Json;
            }
            Leaf::IdentityDocument => {
                self.identity_document(w);
                return ContentType::Json;
            }
        }
        ContentType::Text
    }

    /// `dynamic/instance-identity/document`, pretty-printed as the service does, fields in
    /// alphabetical order; fields fleetcore has no source for are `null`.
    fn identity_document(self, w: &mut ByteWriter<'_>) {
        let md = self.md;
        let arch = md.architecture.map(Architecture::as_str);
        let private_ip = (!md.local_ipv4.is_empty()).then_some(md.local_ipv4);
        let null = JsonOpt(None);
        let fields: [(&str, &dyn core::fmt::Display); 15] = [
            ("accountId", &JsonStr(md.account_id)),
            ("architecture", &JsonOpt(arch)),
            ("availabilityZone", &JsonStr(md.availability_zone)),
            ("billingProducts", &null),
            ("devpayProductCodes", &null),
            ("imageId", &JsonStr(md.ami_id)),
            ("instanceId", &JsonStr(md.instance_id)),
            ("instanceType", &JsonStr(md.instance_type)),
            ("kernelId", &null),
            ("marketplaceProductCodes", &null),
            ("pendingTime", &Quoted(Utc(md.pending_time))),
            ("privateIp", &JsonOpt(private_ip)),
            ("ramdiskId", &null),
            ("region", &JsonStr(md.region)),
            ("version", &JsonStr(IDENTITY_DOCUMENT_VERSION)),
        ];
        w.bytes(b"{");
        for (i, (key, value)) in fields.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            let _ = write!(w, "{sep}\n  \"{key}\" : {value}");
        }
        w.bytes(b"\n}");
    }
}

/// A value that needs no escaping, in quotes.
struct Quoted<T>(T);

impl<T: core::fmt::Display> core::fmt::Display for Quoted<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "\"{}\"", self.0)
    }
}

/// A JSON string, or `null` when unset.
struct JsonOpt<'a>(Option<&'a str>);

impl core::fmt::Display for JsonOpt<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            Some(s) => JsonStr(s).fmt(f),
            None => f.write_str("null"),
        }
    }
}

fn life_cycle(m: Market) -> &'static str {
    // The AWS spelling of the market's kind: `on-demand` or `spot`.
    crate::purchase::MarketKind::from(m).aws_str()
}
