//! The Instance Metadata Service (SEMANTICS §5): the metadata tree, user data, the identity
//! document and `IMDSv2` session tokens, answered into a caller's buffer.
//!
//! [`Imds`] holds what outlives a request: the [`MetadataOptions`] of the instance, the secret
//! that keys session tokens ([`token`]), an issue counter and the HTTP limits. Each request
//! brings the instance's metadata as a borrowed [`InstanceMetadata`] view, so the service does
//! not depend on where the caller keeps instances and interfaces. Two entry points:
//!
//! - [`Imds::handle`] takes an already-parsed [`ImdsRequest`] (method, path, the three headers
//!   that matter, the hop count) and writes the body into a `&mut [u8]`;
//! - [`Imds::serve`] takes raw bytes from a TCP connection, parses them with [`http`] and
//!   writes a whole HTTP/1.1 response.
//!
//! Checks, in order (the service's, `EC2-UG:instancedata-data-retrieval`):
//! 1. `HttpEndpoint=disabled` ⇒ 403 for every request.
//! 2. `PUT`: only `/latest/api/token` (a versioned path such as `/2021-03-23/api/token` ⇒ 403);
//!    `X-Forwarded-For` ⇒ 403; `X-aws-ec2-metadata-token-ttl-seconds` missing, not a number or
//!    outside 1–21 600 ⇒ 400; else 200 with the token, the TTL header echoed.
//! 3. `GET`/`HEAD`: a token that is sent must be valid (else 401, whatever the path, even with
//!    `HttpTokens=optional`); no token with `HttpTokens=required` ⇒ 401; then the path: under
//!    `/latest/` or a dated version (`/2021-03-23/`), else 404; an absent item ⇒ 404. HEAD
//!    answers like GET with `Content-Length` but no body.
//!
//! Header values are read as HTTP defines field values: without the optional whitespace (SP,
//! HTAB) before and after them (RFC 9110 §5.5), on both entry points, so `"5 "` is a TTL of 5
//! whether it arrives in raw bytes or in an [`ImdsRequest`]. The service publishes no rule of
//! its own; its mock (`AEMM:pkg/mock/imdsv2/tokengenerator.go`) reads the header through Go's
//! `net/http`, which trims it the same way. Whitespace inside a value (`"5 5"`) is not a
//! number ⇒ 400.
//!
//! Model (the service publishes no rule for these):
//! - **Hop limit.** The service sets the IP TTL of the PUT response to `HttpPutResponseHopLimit`,
//!   so a token never reaches a requester more hops away. fleetcore has no IP layer: the caller
//!   passes the number of hops it observed (1 for the instance's own stack, 2 from a container
//!   behind a bridge; 0 counts as 1), every PUT response carries [`Response::ip_ttl`] for the
//!   caller's TCP stack, and a PUT from further than the limit gets [`Reply::Dropped`]: send
//!   nothing, as the packet would have expired. GET and HEAD responses are not limited.
//! - **Bodies.** Listings name children one per line, LF-separated, no trailing LF; a
//!   subdirectory ends in `/`. Error responses have an empty `text/plain` body. User data is
//!   `application/octet-stream`, the identity document and Spot/rebalance notices
//!   `application/json`, everything else `text/plain`.
//! - **Paths.** `/` lists `latest` only; a directory answers with or without its trailing `/`; a
//!   leaf with a trailing `/` is 404; a query string is ignored; no percent-decoding. `PUT` to
//!   any other path ⇒ 403; a method other than GET, HEAD, PUT ⇒ 405.
//! - **Not served** (404): `iam/`, `events/maintenance/`, the identity document's signatures
//!   (`pkcs7`, `signature`, `rsa2048`: fleetcore holds no AWS key), and request throttling.

pub mod http;
pub mod options;
pub mod token;

mod buf;
mod tree;

use core::fmt;

pub use http::{HttpLimits, Method, Request, Status};
pub use options::{HttpEndpoint, HttpTokens, InstanceMetadataTags, MetadataOptions};
pub use token::{Token, TokenKey, TokenRejection};
pub use tree::{
    ContentType, IDENTITY_DOCUMENT_VERSION, InstanceMetadata, InterfaceMetadata, SpotAction, Tag,
    USER_DATA_MAX,
};

use crate::error::{Error, ErrorKind};
use crate::time::{Duration, Instant};
use buf::ByteWriter;
use tree::{Dir, Tree};

/// What went wrong serving IMDS (codes 1700–1799). Client mistakes are not errors: they are
/// answered with a [`Status`]; these are the caller's (a short buffer, bad options) or bytes
/// that cannot be answered at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ImdsError {
    /// The caller's buffer cannot hold the answer.
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
    },
    /// `HttpPutResponseHopLimit` is outside 1–64.
    HopLimitOutOfRange {
        /// The limit given.
        limit: u8,
    },
    /// The instance's user data is larger than the service's 16 KB.
    UserDataTooLarge {
        /// Its length.
        len: usize,
    },
    /// The bytes so far are the start of a request: read more and parse again.
    Incomplete,
    /// The request line is longer than the limit.
    RequestLineTooLong {
        /// The limit.
        limit: usize,
    },
    /// A header line is longer than the limit.
    HeaderLineTooLong {
        /// The limit.
        limit: usize,
    },
    /// The request has more header lines than the limit.
    TooManyHeaders {
        /// The limit.
        limit: usize,
    },
    /// The request (head and body) is larger than the limit.
    RequestTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The bytes are not an HTTP/1.x request.
    MalformedRequest {
        /// What was wrong.
        reason: &'static str,
    },
    /// The request has a `Transfer-Encoding`, which this server does not read.
    UnsupportedTransferEncoding,
    /// An HTTP limit is zero, or the header count passes [`http::MAX_HEADERS`].
    InvalidLimit {
        /// The field of [`HttpLimits`].
        field: &'static str,
    },
}

impl ImdsError {
    /// The status to answer a request that failed to parse with; `None` when there is no
    /// request to answer (more bytes are needed, or the caller's mistake).
    pub const fn http_status(&self) -> Option<Status> {
        match self {
            Self::RequestLineTooLong { .. } => Some(Status::UriTooLong),
            Self::HeaderLineTooLong { .. } | Self::TooManyHeaders { .. } => {
                Some(Status::HeaderFieldsTooLarge)
            }
            Self::RequestTooLarge { .. } => Some(Status::PayloadTooLarge),
            Self::MalformedRequest { .. } => Some(Status::BadRequest),
            Self::UnsupportedTransferEncoding => Some(Status::NotImplemented),
            Self::BufferTooSmall { .. }
            | Self::HopLimitOutOfRange { .. }
            | Self::UserDataTooLarge { .. }
            | Self::Incomplete
            | Self::InvalidLimit { .. } => None,
        }
    }
}

impl fmt::Display for ImdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall { needed } => {
                write!(f, "buffer too small for the answer: {needed} bytes needed")
            }
            Self::HopLimitOutOfRange { limit } => {
                write!(f, "http put response hop limit {limit} is outside 1-64")
            }
            Self::UserDataTooLarge { len } => write!(
                f,
                "user data is {len} bytes; the service allows at most {USER_DATA_MAX}"
            ),
            Self::Incomplete => f.write_str("request is incomplete: read more bytes"),
            Self::RequestLineTooLong { limit } => {
                write!(f, "request line is longer than {limit} bytes")
            }
            Self::HeaderLineTooLong { limit } => {
                write!(f, "a header line is longer than {limit} bytes")
            }
            Self::TooManyHeaders { limit } => {
                write!(f, "request has more than {limit} headers")
            }
            Self::RequestTooLarge { limit } => {
                write!(f, "request is larger than {limit} bytes")
            }
            Self::MalformedRequest { reason } => write!(f, "malformed http request: {reason}"),
            Self::UnsupportedTransferEncoding => {
                f.write_str("transfer-encoding is not supported; send content-length")
            }
            Self::InvalidLimit { field } => write!(
                f,
                "http limit {field} must be positive (headers at most {})",
                http::MAX_HEADERS
            ),
        }
    }
}

impl core::error::Error for ImdsError {}

impl Error for ImdsError {
    fn code(&self) -> u32 {
        match self {
            Self::BufferTooSmall { .. } => 1700,
            Self::HopLimitOutOfRange { .. } => 1701,
            Self::UserDataTooLarge { .. } => 1702,
            Self::Incomplete => 1703,
            Self::RequestLineTooLong { .. } => 1704,
            Self::HeaderLineTooLong { .. } => 1705,
            Self::TooManyHeaders { .. } => 1706,
            Self::RequestTooLarge { .. } => 1707,
            Self::MalformedRequest { .. } => 1708,
            Self::UnsupportedTransferEncoding => 1709,
            Self::InvalidLimit { .. } => 1710,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::BufferTooSmall { .. }
            | Self::UserDataTooLarge { .. }
            | Self::RequestLineTooLong { .. }
            | Self::HeaderLineTooLong { .. }
            | Self::TooManyHeaders { .. }
            | Self::RequestTooLarge { .. } => ErrorKind::CapacityExceeded,
            Self::HopLimitOutOfRange { .. } | Self::InvalidLimit { .. } => {
                ErrorKind::InvalidArgument
            }
            Self::Incomplete | Self::MalformedRequest { .. } => ErrorKind::Malformed,
            Self::UnsupportedTransferEncoding => ErrorKind::Unsupported,
        }
    }
}

/// One request as IMDS sees it: what [`Imds::handle`] needs and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImdsRequest<'a> {
    /// The method.
    pub method: Method,
    /// The request target (`/latest/meta-data/instance-id`).
    pub path: &'a str,
    /// `X-aws-ec2-metadata-token`, if sent.
    pub token: Option<&'a [u8]>,
    /// `X-aws-ec2-metadata-token-ttl-seconds`, if sent.
    pub ttl_seconds: Option<&'a [u8]>,
    /// Whether `X-Forwarded-For` was sent.
    pub forwarded_for: bool,
    /// IP hops the request took to arrive (see the hop-limit model in the module docs).
    pub hops: u8,
}

impl<'a> ImdsRequest<'a> {
    /// A GET of `path` from the instance itself, without a token.
    pub const fn get(path: &'a str) -> Self {
        Self {
            method: Method::Get,
            path,
            token: None,
            ttl_seconds: None,
            forwarded_for: false,
            hops: 1,
        }
    }

    /// Picks the headers that matter out of a parsed HTTP request.
    pub fn from_http(req: &Request<'a>, hops: u8) -> Self {
        Self {
            method: req.method(),
            path: req.path,
            token: req.header(http::TOKEN_HEADER),
            ttl_seconds: req.header(http::TTL_HEADER),
            forwarded_for: req.header(http::FORWARDED_FOR_HEADER).is_some(),
            hops,
        }
    }
}

/// An answer to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Response {
    /// The status.
    pub status: Status,
    /// The body's media type.
    pub content_type: ContentType,
    /// The `Content-Length` (for HEAD, what GET would send).
    pub content_length: usize,
    /// Bytes of body written to the caller's buffer (0 for HEAD).
    pub body_len: usize,
    /// The `X-aws-ec2-metadata-token-ttl-seconds` header of a token response.
    pub token_ttl: Option<u32>,
    /// The IP TTL to send with: the hop limit on PUT responses, `None` for the stack's default.
    pub ip_ttl: Option<u8>,
}

/// What to do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Reply {
    /// Send this response.
    Respond(Response),
    /// Send nothing: a PUT from more hops away than `HttpPutResponseHopLimit`, whose response
    /// would expire on the way.
    Dropped {
        /// Hops the request took.
        hops: u8,
        /// The limit.
        limit: u8,
    },
}

/// What [`Imds::serve`] did with the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Served {
    /// A response of `len` bytes is at the start of the output buffer.
    Response {
        /// Input bytes used; the next request starts there.
        consumed: usize,
        /// Bytes of the response, head and body.
        len: usize,
        /// The IP TTL to send with, if not the stack's default.
        ip_ttl: Option<u8>,
        /// The request could not be parsed: close the connection after sending.
        close: bool,
    },
    /// Nothing to send (see [`Reply::Dropped`]).
    Dropped {
        /// Input bytes used.
        consumed: usize,
    },
}

vocabulary! {
    /// What [`Imds::serve`] did, without the sizes: `fc_imds_served.kind`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum ServedKind: "served kind" {
        /// [`Served::Response`].
        Response = 1 => "response",
        /// [`Served::Dropped`].
        Dropped = 2 => "dropped",
    }
}

impl Served {
    /// A response or nothing, without the sizes.
    pub const fn kind(&self) -> ServedKind {
        match self {
            Self::Response { .. } => ServedKind::Response,
            Self::Dropped { .. } => ServedKind::Dropped,
        }
    }
}

/// The metadata service of one instance (or of several sharing one secret: tokens are bound
/// to the instance id, so they do not cross over).
#[derive(Clone)]
pub struct Imds {
    options: MetadataOptions,
    limits: HttpLimits,
    key: TokenKey,
    issued: u64,
}

impl fmt::Debug for Imds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Imds")
            .field("options", &self.options)
            .field("limits", &self.limits)
            .field("issued", &self.issued)
            .finish_non_exhaustive()
    }
}

impl Imds {
    /// A service with these options, keying tokens with `secret` (32 random bytes the
    /// controller keeps; a new secret revokes every token), and the default HTTP limits.
    ///
    /// # Errors
    /// [`ImdsError::HopLimitOutOfRange`].
    pub fn new(
        options: MetadataOptions,
        secret: [u8; token::SECRET_LEN],
    ) -> Result<Self, ImdsError> {
        options.validate()?;
        Ok(Self {
            options,
            limits: HttpLimits::default(),
            key: TokenKey::new(secret),
            issued: 0,
        })
    }

    /// The metadata options.
    pub const fn options(&self) -> &MetadataOptions {
        &self.options
    }

    /// Changes the options (`ModifyInstanceMetadataOptions`); tokens already issued stay valid.
    ///
    /// # Errors
    /// [`ImdsError::HopLimitOutOfRange`]; the options are then unchanged.
    pub fn set_options(&mut self, options: MetadataOptions) -> Result<(), ImdsError> {
        options.validate()?;
        self.options = options;
        Ok(())
    }

    /// The HTTP limits [`Imds::serve`] parses with.
    pub const fn limits(&self) -> &HttpLimits {
        &self.limits
    }

    /// Changes the HTTP limits.
    ///
    /// # Errors
    /// [`ImdsError::InvalidLimit`]; the limits are then unchanged.
    pub fn set_limits(&mut self, limits: HttpLimits) -> Result<(), ImdsError> {
        limits.validate()?;
        self.limits = limits;
        Ok(())
    }

    /// How many tokens have been issued (the nonce of the next one).
    pub const fn tokens_issued(&self) -> u64 {
        self.issued
    }

    /// Issues a token for `instance_id` valid for `ttl_secs` (1–21 600) from `now`.
    /// `None` when the TTL is out of range (the service answers 400).
    pub fn issue_token(&mut self, now: Instant, instance_id: &str, ttl_secs: u32) -> Option<Token> {
        if !(token::TTL_MIN_SECS..=token::TTL_MAX_SECS).contains(&ttl_secs) {
            return None;
        }
        Some(self.mint(now, instance_id, ttl_secs))
    }

    /// Issues a token whose TTL the caller has checked.
    fn mint(&mut self, now: Instant, instance_id: &str, ttl_secs: u32) -> Token {
        let t = self.key.issue(
            now,
            instance_id,
            Duration::from_secs(u64::from(ttl_secs)),
            self.issued,
        );
        // The counter is a nonce, not a limit: wrapping after 2^64 tokens is harmless.
        self.issued = self.issued.wrapping_add(1);
        t
    }

    /// Checks a token for `instance_id` at `now`.
    ///
    /// # Errors
    /// The [`TokenRejection`] that applies.
    pub fn verify_token(
        &self,
        now: Instant,
        instance_id: &str,
        token: &str,
    ) -> Result<(), TokenRejection> {
        self.key.verify(now, instance_id, token)
    }

    /// Answers one request about `md` at `now`, writing the body into `body`.
    ///
    /// # Errors
    /// [`ImdsError::BufferTooSmall`] with the body length; [`ImdsError::UserDataTooLarge`] when
    /// the view's user data passes 16 KB. On error no token is issued.
    pub fn handle(
        &mut self,
        now: Instant,
        req: &ImdsRequest<'_>,
        md: &InstanceMetadata<'_>,
        body: &mut [u8],
    ) -> Result<Reply, ImdsError> {
        if self.options.http_endpoint == HttpEndpoint::Disabled {
            return Ok(Reply::Respond(empty(Status::Forbidden)));
        }
        match req.method {
            Method::Put => self.put(now, req, md, body),
            Method::Get | Method::Head => self.get(now, req, md, body),
            Method::Other => Ok(Reply::Respond(empty(Status::MethodNotAllowed))),
        }
    }

    fn put(
        &mut self,
        now: Instant,
        req: &ImdsRequest<'_>,
        md: &InstanceMetadata<'_>,
        body: &mut [u8],
    ) -> Result<Reply, ImdsError> {
        let limit = self.options.http_put_response_hop_limit;
        if req.hops > limit {
            return Ok(Reply::Dropped {
                hops: req.hops,
                limit,
            });
        }
        let mut response =
            if split_version(req.path) != Some((true, "api/token")) || req.forwarded_for {
                empty(Status::Forbidden)
            } else {
                match req.ttl_seconds.map(http::trim_ows).and_then(parse_ttl) {
                    None => empty(Status::BadRequest),
                    Some(ttl) => {
                        let body =
                            body.get_mut(..token::TOKEN_LEN)
                                .ok_or(ImdsError::BufferTooSmall {
                                    needed: token::TOKEN_LEN,
                                })?;
                        let t = self.mint(now, md.instance_id, ttl);
                        body.copy_from_slice(t.as_str().as_bytes());
                        Response {
                            status: Status::Ok,
                            content_type: ContentType::Text,
                            content_length: token::TOKEN_LEN,
                            body_len: token::TOKEN_LEN,
                            token_ttl: Some(ttl),
                            ip_ttl: None,
                        }
                    }
                }
            };
        response.ip_ttl = Some(limit);
        Ok(Reply::Respond(response))
    }

    fn get(
        &self,
        now: Instant,
        req: &ImdsRequest<'_>,
        md: &InstanceMetadata<'_>,
        body: &mut [u8],
    ) -> Result<Reply, ImdsError> {
        match req.token.map(http::trim_ows) {
            Some(t) => {
                let valid = core::str::from_utf8(t)
                    .ok()
                    .is_some_and(|t| self.key.verify(now, md.instance_id, t).is_ok());
                if !valid {
                    return Ok(Reply::Respond(empty(Status::Unauthorized)));
                }
            }
            None if self.options.http_tokens == HttpTokens::Required => {
                return Ok(Reply::Respond(empty(Status::Unauthorized)));
            }
            None => {}
        }
        let tree = Tree {
            md,
            tags: self.options.instance_metadata_tags == InstanceMetadataTags::Enabled,
        };
        let node = match split_path(req.path) {
            Some(Split::Root) => tree.resolve(Dir::Root, ""),
            Some(Split::Version(rest)) => tree.resolve(Dir::Version, rest),
            None => None,
        };
        let Some(node) = node else {
            return Ok(Reply::Respond(empty(Status::NotFound)));
        };
        if let Some(len) = md.user_data.map(<[u8]>::len).filter(|&n| n > USER_DATA_MAX) {
            return Err(ImdsError::UserDataTooLarge { len });
        }
        let head = req.method == Method::Head;
        let mut w = ByteWriter::new(if head { &mut [] } else { body });
        let content_type = tree.render(node, &mut w);
        let content_length = match w.finish() {
            Ok(n) => n,
            Err(ImdsError::BufferTooSmall { needed }) if head => needed,
            Err(e) => return Err(e),
        };
        Ok(Reply::Respond(Response {
            status: Status::Ok,
            content_type,
            content_length,
            body_len: if head { 0 } else { content_length },
            token_ttl: None,
            ip_ttl: None,
        }))
    }

    /// Parses one request from `input` and writes the whole HTTP response into `out`.
    /// `out` needs [`http::MAX_HEAD_LEN`] bytes beyond the longest body.
    ///
    /// # Errors
    /// [`ImdsError::Incomplete`] (read more bytes and call again with all of them); the errors
    /// of [`Imds::handle`]. A request that cannot be parsed is answered (400, 413, 414, 431 or
    /// 501) with `close` set, not returned as an error.
    pub fn serve(
        &mut self,
        now: Instant,
        input: &[u8],
        hops: u8,
        md: &InstanceMetadata<'_>,
        out: &mut [u8],
    ) -> Result<Served, ImdsError> {
        let parsed = match Request::parse(input, &self.limits) {
            Ok(p) => p,
            Err(e) => {
                let Some(status) = e.http_status() else {
                    return Err(e);
                };
                let len = http::write_head(status, ContentType::Text, 0, None, out)?;
                return Ok(Served::Response {
                    consumed: input.len(),
                    len,
                    ip_ttl: None,
                    close: true,
                });
            }
        };
        let req = ImdsRequest::from_http(&parsed.request, hops);
        let reserve = http::MAX_HEAD_LEN;
        let body_buf = out.get_mut(reserve..).unwrap_or_default();
        let reply = self.handle(now, &req, md, body_buf).map_err(|e| match e {
            ImdsError::BufferTooSmall { needed } => ImdsError::BufferTooSmall {
                needed: needed.saturating_add(reserve),
            },
            e => e,
        })?;
        let r = match reply {
            Reply::Respond(r) => r,
            Reply::Dropped { .. } => {
                return Ok(Served::Dropped {
                    consumed: parsed.consumed,
                });
            }
        };
        let head_len = {
            let head = out.get_mut(..reserve).unwrap_or_default();
            http::write_head(
                r.status,
                r.content_type,
                r.content_length,
                r.token_ttl,
                head,
            )?
        };
        let body_end = reserve.saturating_add(r.body_len);
        out.copy_within(reserve..body_end, head_len);
        Ok(Served::Response {
            consumed: parsed.consumed,
            len: head_len.saturating_add(r.body_len),
            ip_ttl: r.ip_ttl,
            close: false,
        })
    }
}

const fn empty(status: Status) -> Response {
    Response {
        status,
        content_type: ContentType::Text,
        content_length: 0,
        body_len: 0,
        token_ttl: None,
        ip_ttl: None,
    }
}

/// A TTL header value in 1–21 600, digits only.
fn parse_ttl(v: &[u8]) -> Option<u32> {
    http::parse_decimal(v)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| (token::TTL_MIN_SECS..=token::TTL_MAX_SECS).contains(n))
}

enum Split<'p> {
    Root,
    Version(&'p str),
}

/// `/` or `/<version>[/rest]` with the query dropped.
fn split_path(path: &str) -> Option<Split<'_>> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    if path == "/" {
        return Some(Split::Root);
    }
    split_version(path).map(|(_, rest)| Split::Version(rest))
}

/// The part after a valid version, and whether the version is `latest`.
fn split_version(path: &str) -> Option<(bool, &str)> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let rest = path.strip_prefix('/')?;
    let (version, rest) = rest.split_once('/').unwrap_or((rest, ""));
    if version == "latest" {
        Some((true, rest))
    } else if is_dated_version(version) {
        Some((false, rest))
    } else {
        None
    }
}

/// `1.0` or `YYYY-MM-DD`, the shapes of the service's versions.
fn is_dated_version(v: &str) -> bool {
    v == "1.0"
        || (v.len() == 10
            && v.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            }))
}

#[cfg(test)]
mod tests;
