//! The Instance Metadata Service of one instance (SEMANTICS §5), as `Imds` and
//! `InterfaceMetadata`.
//!
//! `Imds` owns the instance's metadata (the core's `InstanceMetadata` is a borrowed view; each
//! request builds it from the owned fields), the metadata options and the token secret. Two
//! entry points, as in the core: `answer` for a request already split into method, path and
//! headers, and `handle_http` for raw request bytes, parsed by the core's HTTP parser.

use fleetcore::catalog::Architecture;
use fleetcore::error::Error as _;
use fleetcore::imds::{
    self, ImdsError, ImdsRequest, InstanceMetadataTags, MetadataOptions, Method, Reply, Served,
    SpotAction, Tag, TokenRejection, USER_DATA_MAX,
};
use fleetcore::lifecycle::{InterruptionBehavior, Market};
use fleetcore::purchase::MarketKind;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::errors::{IntoPyResult, to_py_err, value_error};
use crate::time::{Seconds, to_seconds};

/// One attached network interface as ``meta-data/network/interfaces/macs/<mac>/`` shows
/// it. Empty text and lists (the defaults) are "not set": the item is absent (404) and not
/// listed.
#[pyclass(frozen, eq, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InterfaceMetadata {
    /// The MAC address, the directory name.
    #[pyo3(get)]
    mac: String,
    /// ``device-number``: the attachment's device index.
    #[pyo3(get)]
    device_number: u32,
    /// ``network-card-index``.
    #[pyo3(get)]
    network_card_index: u32,
    /// ``interface-id``.
    #[pyo3(get)]
    interface_id: String,
    /// ``local-ipv4s``, primary first.
    #[pyo3(get)]
    local_ipv4s: Vec<String>,
    /// ``public-ipv4s``.
    #[pyo3(get)]
    public_ipv4s: Vec<String>,
    /// ``ipv6s``.
    #[pyo3(get)]
    ipv6s: Vec<String>,
    /// ``subnet-id``.
    #[pyo3(get)]
    subnet_id: String,
    /// ``subnet-ipv4-cidr-block``.
    #[pyo3(get)]
    subnet_ipv4_cidr_block: String,
    /// ``vpc-id``.
    #[pyo3(get)]
    vpc_id: String,
    /// ``vpc-ipv4-cidr-blocks``; the first is also ``vpc-ipv4-cidr-block``.
    #[pyo3(get)]
    vpc_ipv4_cidr_blocks: Vec<String>,
    /// ``security-group-ids``.
    #[pyo3(get)]
    security_group_ids: Vec<String>,
    /// ``security-groups`` (names).
    #[pyo3(get)]
    security_groups: Vec<String>,
    /// ``owner-id``.
    #[pyo3(get)]
    owner_id: String,
}

#[pymethods]
impl InterfaceMetadata {
    /// An interface; empty text and lists are "not set" (absent from the tree).
    #[new]
    #[pyo3(signature = (
        mac, *, device_number = 0, network_card_index = 0, interface_id = "",
        local_ipv4s = Vec::new(), public_ipv4s = Vec::new(), ipv6s = Vec::new(),
        subnet_id = "", subnet_ipv4_cidr_block = "",
        vpc_id = "", vpc_ipv4_cidr_blocks = Vec::new(),
        security_group_ids = Vec::new(), security_groups = Vec::new(), owner_id = ""
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python class.
    fn new(
        mac: String,
        #[pyo3(from_py_with = crate::args::device_number_u32)] device_number: u32,
        #[pyo3(from_py_with = crate::args::network_card_index_u32)] network_card_index: u32,
        interface_id: &str,
        local_ipv4s: Vec<String>,
        public_ipv4s: Vec<String>,
        ipv6s: Vec<String>,
        subnet_id: &str,
        subnet_ipv4_cidr_block: &str,
        vpc_id: &str,
        vpc_ipv4_cidr_blocks: Vec<String>,
        security_group_ids: Vec<String>,
        security_groups: Vec<String>,
        owner_id: &str,
    ) -> Self {
        Self {
            mac,
            device_number,
            network_card_index,
            interface_id: interface_id.to_owned(),
            local_ipv4s,
            public_ipv4s,
            ipv6s,
            subnet_id: subnet_id.to_owned(),
            subnet_ipv4_cidr_block: subnet_ipv4_cidr_block.to_owned(),
            vpc_id: vpc_id.to_owned(),
            vpc_ipv4_cidr_blocks,
            security_group_ids,
            security_groups,
            owner_id: owner_id.to_owned(),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "InterfaceMetadata(mac={}, device_number={}, interface_id={}, local_ipv4s={}, \
             security_group_ids={})",
            crate::repr::q(&self.mac),
            self.device_number,
            crate::repr::q(&self.interface_id),
            crate::repr::q_list(&self.local_ipv4s),
            crate::repr::q_list(&self.security_group_ids),
        )
    }
}

impl InterfaceMetadata {
    /// An interface's metadata from its parts (the network module fills it from an ENI).
    #[allow(clippy::too_many_arguments)] // One argument per metadata item.
    pub(crate) fn from_parts(
        mac: String,
        device_number: u32,
        interface_id: String,
        local_ipv4s: Vec<String>,
        subnet_id: String,
        subnet_ipv4_cidr_block: String,
        vpc_id: String,
        vpc_ipv4_cidr_blocks: Vec<String>,
        security_group_ids: Vec<String>,
        security_groups: Vec<String>,
    ) -> Self {
        Self {
            mac,
            device_number,
            interface_id,
            local_ipv4s,
            subnet_id,
            subnet_ipv4_cidr_block,
            vpc_id,
            vpc_ipv4_cidr_blocks,
            security_group_ids,
            security_groups,
            ..Self::default()
        }
    }
}

/// What the instance's metadata holds, owned.
#[derive(Debug, Clone, Default)]
#[allow(clippy::struct_field_names)] // `user_data` is the service's name, not a prefix.
struct Data {
    instance_id: String,
    ami_id: String,
    instance_type: String,
    hostname: String,
    local_hostname: String,
    local_ipv4: String,
    mac: String,
    public_ipv4: Option<String>,
    public_hostname: Option<String>,
    reservation_id: String,
    ami_launch_index: u32,
    availability_zone: String,
    availability_zone_id: String,
    region: String,
    market: Market,
    security_groups: Vec<String>,
    interfaces: Vec<InterfaceMetadata>,
    spot_action: Option<SpotAction>,
    rebalance_notice: Option<fleetcore::Instant>,
    target_lifecycle_state: Option<String>,
    tags: Vec<(String, String)>,
    user_data: Option<Vec<u8>>,
    account_id: String,
    architecture: Option<Architecture>,
    pending_time: fleetcore::Instant,
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

impl Data {
    /// Calls `f` with the core's borrowed view of this data.
    fn with_view<R>(&self, f: impl FnOnce(&imds::InstanceMetadata<'_>) -> R) -> R {
        let lists: Vec<[Vec<&str>; 6]> = self
            .interfaces
            .iter()
            .map(|i| {
                [
                    refs(&i.local_ipv4s),
                    refs(&i.public_ipv4s),
                    refs(&i.ipv6s),
                    refs(&i.vpc_ipv4_cidr_blocks),
                    refs(&i.security_group_ids),
                    refs(&i.security_groups),
                ]
            })
            .collect();
        let interfaces: Vec<imds::InterfaceMetadata<'_>> = self
            .interfaces
            .iter()
            .zip(&lists)
            .map(
                |(i, [local, public, v6, vpc_blocks, sg_ids, sgs])| imds::InterfaceMetadata {
                    mac: &i.mac,
                    device_number: i.device_number,
                    network_card_index: i.network_card_index,
                    interface_id: &i.interface_id,
                    local_ipv4s: local,
                    public_ipv4s: public,
                    ipv6s: v6,
                    subnet_id: &i.subnet_id,
                    subnet_ipv4_cidr_block: &i.subnet_ipv4_cidr_block,
                    vpc_id: &i.vpc_id,
                    vpc_ipv4_cidr_blocks: vpc_blocks,
                    security_group_ids: sg_ids,
                    security_groups: sgs,
                    owner_id: &i.owner_id,
                },
            )
            .collect();
        let groups = refs(&self.security_groups);
        let tags: Vec<Tag<'_>> = self
            .tags
            .iter()
            .map(|(key, value)| Tag { key, value })
            .collect();
        let md = imds::InstanceMetadata {
            instance_id: &self.instance_id,
            ami_id: &self.ami_id,
            instance_type: &self.instance_type,
            hostname: &self.hostname,
            local_hostname: &self.local_hostname,
            local_ipv4: &self.local_ipv4,
            mac: &self.mac,
            public_ipv4: self.public_ipv4.as_deref(),
            public_hostname: self.public_hostname.as_deref(),
            reservation_id: &self.reservation_id,
            ami_launch_index: self.ami_launch_index,
            availability_zone: &self.availability_zone,
            availability_zone_id: &self.availability_zone_id,
            region: &self.region,
            market: self.market,
            security_groups: &groups,
            interfaces: &interfaces,
            spot_action: self.spot_action,
            rebalance_notice: self.rebalance_notice,
            target_lifecycle_state: self.target_lifecycle_state.as_deref(),
            tags: &tags,
            user_data: self.user_data.as_deref(),
            account_id: &self.account_id,
            architecture: self.architecture,
            pending_time: self.pending_time,
        };
        f(&md)
    }
}

/// Body room for the first attempt; a larger answer is retried with the size the core asks.
const FIRST_BODY: usize = USER_DATA_MAX + 4096;

/// The Instance Metadata Service of one instance (SEMANTICS §5).
///
/// Holds the instance's metadata, its metadata options and the secret that keys ``IMDSv2``
/// session tokens (32 bytes you keep, such as ``os.urandom(32)``; a new secret revokes every
/// token). Tokens are bound to ``instance_id``: another ``Imds`` with the same secret and
/// another instance id refuses them. Text that is empty and values that are ``None`` are
/// "not set": the item is absent (404). The secret is never shown.
///
/// Checks, in order: ``http_endpoint="disabled"`` answers 403 to everything; a PUT is only
/// for ``/latest/api/token`` (else 403), is refused with ``X-Forwarded-For`` (403), needs
/// ``X-aws-ec2-metadata-token-ttl-seconds`` of 1-21600 (else 400) and gets no answer from
/// more than ``hop_limit`` hops away; a GET or HEAD with a token needs a valid one (else
/// 401, even with ``http_tokens="optional"``), without one needs ``"optional"`` (else 401);
/// an unknown path or absent item is 404, a method other than GET, HEAD, PUT 405.
///
/// Args:
///     instance_id: ``instance-id``; tokens are bound to it.
///     secret: 32 bytes keying the tokens (``ValueError`` otherwise).
///     market: ``instance-life-cycle``: ``"on-demand"`` or ``"spot"``.
///     interfaces: ``network/interfaces/macs/``, one per attached interface.
///     user_data: ``user-data``, at most 16 KB (``ImdsError`` 1702).
///     tags: ``tags/instance/<key>``, shown only with ``instance_metadata_tags``.
///     architecture: ``architecture`` of the identity document (as ``Image``).
///     pending_time_s: ``pendingTime`` of the identity document (default 0).
///     http_tokens: ``HttpTokens``: ``"optional"`` or ``"required"``.
///     http_endpoint: ``HttpEndpoint``: ``"enabled"`` or ``"disabled"``.
///     hop_limit: ``HttpPutResponseHopLimit``, 1-64 (``ImdsError`` 1701).
///     instance_metadata_tags: ``InstanceMetadataTags``.
///
/// The other arguments are the metadata items of the same name; sequences default to empty.
#[pyclass(module = "fleetcore")]
pub struct Imds {
    service: imds::Imds,
    data: Data,
}

#[pymethods]
impl Imds {
    /// The service of instance `instance_id` with its metadata, options and token secret.
    #[new]
    #[pyo3(signature = (
        instance_id, *, secret, ami_id = "", instance_type = "",
        availability_zone = "", availability_zone_id = "",
        region = "", hostname = "", local_hostname = "",
        local_ipv4 = "", mac = "", public_ipv4 = None,
        public_hostname = None, reservation_id = "", ami_launch_index = 0,
        market = "on-demand", security_groups = Vec::new(), interfaces = Vec::new(),
        user_data = None, tags = None, account_id = "", architecture = None,
        pending_time_s = Seconds::from_secs(0), http_tokens = "optional",
        http_endpoint = "enabled", hop_limit = 1, instance_metadata_tags = false
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python class.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned values.
    #[allow(clippy::fn_params_excessive_bools)]
    fn new(
        py: Python<'_>,
        instance_id: String,
        secret: &[u8],
        ami_id: &str,
        instance_type: &str,
        availability_zone: &str,
        availability_zone_id: &str,
        region: &str,
        hostname: &str,
        local_hostname: &str,
        local_ipv4: &str,
        mac: &str,
        public_ipv4: Option<String>,
        public_hostname: Option<String>,
        reservation_id: &str,
        #[pyo3(from_py_with = crate::args::ami_launch_index_u32)] ami_launch_index: u32,
        market: &str,
        security_groups: Vec<String>,
        interfaces: Vec<PyRef<'_, InterfaceMetadata>>,
        user_data: Option<Vec<u8>>,
        tags: Option<&Bound<'_, PyAny>>,
        account_id: &str,
        architecture: Option<&str>,
        pending_time_s: Seconds,
        http_tokens: &str,
        http_endpoint: &str,
        #[pyo3(from_py_with = crate::args::hop_limit_u8)] hop_limit: u8,
        instance_metadata_tags: bool,
    ) -> PyResult<Self> {
        let secret: [u8; imds::token::SECRET_LEN] = secret.try_into().map_err(|_| {
            value_error(format!(
                "secret must be {} bytes, got {}",
                imds::token::SECRET_LEN,
                secret.len()
            ))
        })?;
        let options = MetadataOptions {
            http_endpoint: crate::vocab::parse("http_endpoint", http_endpoint)?,
            http_tokens: crate::vocab::parse("http_tokens", http_tokens)?,
            http_put_response_hop_limit: hop_limit,
            instance_metadata_tags: tags_option(instance_metadata_tags),
        };
        let architecture = architecture
            .map(|a| Architecture::parse(a).py_err(py))
            .transpose()?;
        check_user_data(py, user_data.as_deref())?;
        let market = match crate::vocab::parse::<MarketKind>("market", market)? {
            MarketKind::Spot => Market::Spot {
                request: fleetcore::lifecycle::SpotRequestType::OneTime,
                interruption: InterruptionBehavior::Terminate,
            },
            MarketKind::OnDemand => Market::OnDemand,
        };
        let tags = string_pairs(tags)?;
        let service = imds::Imds::new(options, secret).py_err(py)?;
        Ok(Self {
            service,
            data: Data {
                instance_id,
                ami_id: ami_id.to_owned(),
                instance_type: instance_type.to_owned(),
                hostname: hostname.to_owned(),
                local_hostname: local_hostname.to_owned(),
                local_ipv4: local_ipv4.to_owned(),
                mac: mac.to_owned(),
                public_ipv4,
                public_hostname,
                reservation_id: reservation_id.to_owned(),
                ami_launch_index,
                availability_zone: availability_zone.to_owned(),
                availability_zone_id: availability_zone_id.to_owned(),
                region: region.to_owned(),
                market,
                security_groups,
                interfaces: interfaces.iter().map(|i| (**i).clone()).collect(),
                spot_action: None,
                rebalance_notice: None,
                target_lifecycle_state: None,
                tags,
                user_data,
                account_id: account_id.to_owned(),
                architecture,
                pending_time: pending_time_s.instant(),
            },
        })
    }

    /// The instance id tokens are bound to.
    #[getter]
    fn instance_id(&self) -> &str {
        &self.data.instance_id
    }

    /// ``HttpTokens`` (settable); tokens already issued stay valid.
    #[getter]
    fn http_tokens(&self) -> &'static str {
        self.service.options().http_tokens.as_str()
    }

    #[setter]
    fn set_http_tokens(&mut self, py: Python<'_>, value: &str) -> PyResult<()> {
        let mut options = *self.service.options();
        options.http_tokens = crate::vocab::parse("http_tokens", value)?;
        self.service.set_options(options).py_err(py)
    }

    /// ``HttpEndpoint`` (settable).
    #[getter]
    fn http_endpoint(&self) -> &'static str {
        self.service.options().http_endpoint.as_str()
    }

    #[setter]
    fn set_http_endpoint(&mut self, py: Python<'_>, value: &str) -> PyResult<()> {
        let mut options = *self.service.options();
        options.http_endpoint = crate::vocab::parse("http_endpoint", value)?;
        self.service.set_options(options).py_err(py)
    }

    /// ``HttpPutResponseHopLimit`` (settable; ``ImdsError`` 1701 outside 1-64, and the
    /// limit is then unchanged).
    #[getter]
    fn hop_limit(&self) -> u8 {
        self.service.options().http_put_response_hop_limit
    }

    #[setter]
    fn set_hop_limit(
        &mut self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::value_u8)] value: u8,
    ) -> PyResult<()> {
        let mut options = *self.service.options();
        options.http_put_response_hop_limit = value;
        self.service.set_options(options).py_err(py)
    }

    /// Whether tags appear under ``meta-data/tags/instance/`` (settable).
    #[getter]
    fn instance_metadata_tags(&self) -> bool {
        self.service.options().instance_metadata_tags == InstanceMetadataTags::Enabled
    }

    #[setter]
    fn set_instance_metadata_tags(&mut self, py: Python<'_>, value: bool) -> PyResult<()> {
        let mut options = *self.service.options();
        options.instance_metadata_tags = tags_option(value);
        self.service.set_options(options).py_err(py)
    }

    /// The Spot interruption notice ``(action, time_s)`` with action ``"terminate"``,
    /// ``"stop"`` or ``"hibernate"``, served at ``spot/instance-action`` (settable).
    #[getter]
    fn spot_action(&self) -> Option<(&'static str, f64)> {
        self.data
            .spot_action
            .map(|a| (a.action.as_str(), to_seconds(a.time.total_millis())))
    }

    #[setter]
    fn set_spot_action(&mut self, value: Option<(String, Seconds)>) -> PyResult<()> {
        self.data.spot_action = match value {
            None => None,
            Some((action, at)) => Some(SpotAction {
                action: crate::vocab::parse::<InterruptionBehavior>("spot action", &action)?,
                time: at.instant(),
            }),
        };
        Ok(())
    }

    /// When the rebalance recommendation was made, served at
    /// ``events/recommendations/rebalance`` (settable).
    #[getter]
    fn rebalance_at_s(&self) -> Option<f64> {
        self.data
            .rebalance_notice
            .map(|t| to_seconds(t.total_millis()))
    }

    #[setter]
    fn set_rebalance_at_s(&mut self, value: Option<Seconds>) {
        self.data.rebalance_notice = value.map(Seconds::instant);
    }

    /// ``autoscaling/target-lifecycle-state`` (``"InService"``, ``"Terminated"`` ...;
    /// settable).
    #[getter]
    fn target_lifecycle_state(&self) -> Option<&str> {
        self.data.target_lifecycle_state.as_deref()
    }

    #[setter]
    fn set_target_lifecycle_state(&mut self, value: Option<String>) {
        self.data.target_lifecycle_state = value;
    }

    /// ``user-data`` (settable; ``ImdsError`` 1702 over 16 KB).
    #[getter]
    fn user_data<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.data.user_data.as_deref().map(|b| PyBytes::new(py, b))
    }

    #[setter]
    fn set_user_data(&mut self, py: Python<'_>, value: Option<Vec<u8>>) -> PyResult<()> {
        check_user_data(py, value.as_deref())?;
        self.data.user_data = value;
        Ok(())
    }

    /// The instance's tags (settable from any mapping).
    #[getter]
    fn tags<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in &self.data.tags {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    #[setter]
    fn set_tags(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.data.tags = string_pairs(Some(value))?;
        Ok(())
    }

    /// How many tokens have been issued.
    #[getter]
    fn tokens_issued(&self) -> u64 {
        self.service.tokens_issued()
    }

    /// A token valid ``ttl_s`` seconds (1-21600, else ``ValueError``) from ``now_s``, as a
    /// PUT to ``/latest/api/token`` issues it.
    #[pyo3(signature = (now_s, ttl_s = 21_600))]
    fn issue_token(
        &mut self,
        now_s: Seconds,
        #[pyo3(from_py_with = crate::args::ttl_s_u32)] ttl_s: u32,
    ) -> PyResult<String> {
        self.service
            .issue_token(now_s.instant(), &self.data.instance_id, ttl_s)
            .map(|t| t.as_str().to_owned())
            .ok_or_else(|| {
                value_error(format!(
                    "ttl_s must be {}-{}, got {ttl_s}",
                    imds::token::TTL_MIN_SECS,
                    imds::token::TTL_MAX_SECS
                ))
            })
    }

    /// ``None`` if ``token`` is valid at ``now_s``, else why not: ``"malformed"``,
    /// ``"bad signature"`` (forged, or for another instance or secret), ``"expired"`` or
    /// ``"from the future"``.
    fn check_token(&self, now_s: Seconds, token: &str) -> Option<&'static str> {
        self.service
            .verify_token(now_s.instant(), &self.data.instance_id, token)
            .err()
            .map(TokenRejection::as_str)
    }

    /// Answers one request: ``(status, body)``, or ``None`` when nothing is sent (a PUT
    /// from more than ``hop_limit`` hops away, whose response would expire on the way).
    ///
    /// Header names are case-insensitive; only ``X-aws-ec2-metadata-token``,
    /// ``X-aws-ec2-metadata-token-ttl-seconds`` and ``X-Forwarded-For`` matter. ``hops`` is
    /// the IP hops the request took (1 from the instance, 2 from a container behind a bridge;
    /// 0 counts as 1). HEAD answers with an empty body. Header values are read without the
    /// spaces and tabs around them (RFC 9110 §5.5), as ``handle_http`` reads them.
    #[pyo3(signature = (now_s, method, path, headers = None, hops = 1))]
    fn answer<'py>(
        &mut self,
        py: Python<'py>,
        now_s: Seconds,
        method: &str,
        path: &str,
        headers: Option<&Bound<'py, PyAny>>,
        #[pyo3(from_py_with = crate::args::hops_u8)] hops: u8,
    ) -> PyResult<Option<(u16, Bound<'py, PyBytes>)>> {
        let headers = header_list(headers)?;
        let find = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_slice())
        };
        let req = ImdsRequest {
            method: Method::from_token(method),
            path,
            token: find(imds::http::TOKEN_HEADER),
            ttl_seconds: find(imds::http::TTL_HEADER),
            forwarded_for: find(imds::http::FORWARDED_FOR_HEADER).is_some(),
            hops,
        };
        let now = now_s.instant();
        let mut body = vec![0_u8; FIRST_BODY];
        let reply = loop {
            let result = self
                .data
                .with_view(|md| self.service.handle(now, &req, md, &mut body));
            match result {
                Ok(reply) => break reply,
                Err(ImdsError::BufferTooSmall { needed }) if needed > body.len() => {
                    body.resize(needed, 0);
                }
                Err(e) => return Err(to_py_err(py, &e)),
            }
        };
        Ok(match reply {
            Reply::Dropped { .. } => None,
            Reply::Respond(r) => {
                let bytes = body.get(..r.body_len).unwrap_or_default();
                Some((r.status.code(), PyBytes::new(py, bytes)))
            }
        })
    }

    /// Parses one HTTP/1.x request and returns the whole response (status line, headers,
    /// body), or ``None`` when nothing is sent. A request that cannot be parsed is answered
    /// (400, 413, 414, 431, 501); bytes that are only the start of one raise ``ImdsError``
    /// 1703. Bytes after the first request are ignored.
    #[pyo3(signature = (now_s, request, hops = 1))]
    fn handle_http<'py>(
        &mut self,
        py: Python<'py>,
        now_s: Seconds,
        request: &[u8],
        #[pyo3(from_py_with = crate::args::hops_u8)] hops: u8,
    ) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let now = now_s.instant();
        let mut out = vec![0_u8; imds::http::MAX_HEAD_LEN.saturating_add(FIRST_BODY)];
        let served = loop {
            let result = self
                .data
                .with_view(|md| self.service.serve(now, request, hops, md, &mut out));
            match result {
                Ok(s) => break s,
                Err(ImdsError::BufferTooSmall { needed }) if needed > out.len() => {
                    out.resize(needed, 0);
                }
                Err(e) => return Err(to_py_err(py, &e)),
            }
        };
        Ok(match served {
            Served::Dropped { .. } => None,
            Served::Response { len, .. } => {
                Some(PyBytes::new(py, out.get(..len).unwrap_or_default()))
            }
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Imds(instance_id={}, instance_type={}, availability_zone={}, market={}, \
             http_tokens={}, http_endpoint={}, hop_limit={}, instance_metadata_tags={}, \
             tokens_issued={})",
            crate::repr::q(&self.data.instance_id),
            crate::repr::q(&self.data.instance_type),
            crate::repr::q(&self.data.availability_zone),
            crate::repr::q(MarketKind::from(self.data.market).aws_str()),
            crate::repr::q(self.http_tokens()),
            crate::repr::q(self.http_endpoint()),
            self.hop_limit(),
            crate::repr::b(self.instance_metadata_tags()),
            self.tokens_issued(),
        )
    }
}

const fn tags_option(on: bool) -> InstanceMetadataTags {
    if on {
        InstanceMetadataTags::Enabled
    } else {
        InstanceMetadataTags::Disabled
    }
}

/// Refuses user data over the service's 16 KB when it is set, not at the first request.
fn check_user_data(py: Python<'_>, data: Option<&[u8]>) -> PyResult<()> {
    match data {
        Some(d) if d.len() > USER_DATA_MAX => {
            let e = ImdsError::UserDataTooLarge { len: d.len() };
            debug_assert_eq!(e.code(), 1702);
            Err(to_py_err(py, &e))
        }
        _ => Ok(()),
    }
}

/// The `(key, value)` pairs of a mapping of `str` to `str`, in its order.
fn string_pairs(mapping: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    let Some(m) = mapping else {
        return Ok(Vec::new());
    };
    m.call_method0("items")?
        .try_iter()?
        .map(|item| item?.extract::<(String, String)>())
        .collect()
}

/// The `(name, value)` pairs of a mapping of header names to `str` or `bytes` values.
fn header_list(headers: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, Vec<u8>)>> {
    let Some(h) = headers else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in h.call_method0("items")?.try_iter()? {
        let (name, value): (String, Bound<'_, PyAny>) = item?.extract()?;
        let value = if let Ok(b) = value.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else if let Ok(s) = value.cast::<PyString>() {
            s.to_cow()?.as_bytes().to_vec()
        } else {
            return Err(value_error(format!("header {name:?} must be str or bytes")));
        };
        out.push((name, value));
    }
    Ok(out)
}
