//! A small HTTP/1.1 server side for IMDS: a request parser with hard limits and a response
//! head writer, neither of which allocates.
//!
//! The grammar (methods, request targets, header names and values, the version) is `httparse`'s,
//! the parser hyper uses: `no_std`, zero-copy and fuzzed upstream, so fleetcore does not grow a
//! second HTTP grammar of its own. This module adds what a controller serving untrusted bytes
//! needs around it: a scan that enforces each limit before parsing, with its own error, and
//! tells "need more bytes" ([`ImdsError::Incomplete`]) from "never valid".
//!
//! Model: a body is read only by `Content-Length` (IMDS requests have none);
//! `Transfer-Encoding` is refused. Leading empty lines before the request line are skipped, as
//! RFC 9112 §2.2 allows; they count toward the total size.

use core::fmt::Write as _;

use super::ImdsError;
use super::buf::ByteWriter;
use super::tree::ContentType;

/// Capacity for headers in a [`Request`]; [`HttpLimits::headers`] may not exceed it.
pub const MAX_HEADERS: usize = 16;

/// Size limits on one request, each refused with its own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HttpLimits {
    /// Longest request line, without its line ending ([`ImdsError::RequestLineTooLong`]).
    pub request_line: usize,
    /// Longest header line, without its line ending ([`ImdsError::HeaderLineTooLong`]).
    pub header_line: usize,
    /// Most header lines, at most [`MAX_HEADERS`] ([`ImdsError::TooManyHeaders`]).
    pub headers: usize,
    /// Most bytes for the whole request, head and body ([`ImdsError::RequestTooLarge`]).
    pub total: usize,
}

impl Default for HttpLimits {
    /// Generous for any IMDS client (a token header is 64 characters), small for a controller.
    fn default() -> Self {
        Self {
            request_line: 512,
            header_line: 512,
            headers: MAX_HEADERS,
            total: 2048,
        }
    }
}

impl HttpLimits {
    /// Checks that every limit is positive and the header count fits [`MAX_HEADERS`].
    ///
    /// # Errors
    /// [`ImdsError::InvalidLimit`] naming the field.
    pub const fn validate(&self) -> Result<(), ImdsError> {
        if self.request_line == 0 {
            return Err(ImdsError::InvalidLimit {
                field: "request_line",
            });
        }
        if self.header_line == 0 {
            return Err(ImdsError::InvalidLimit {
                field: "header_line",
            });
        }
        if self.headers > MAX_HEADERS {
            return Err(ImdsError::InvalidLimit { field: "headers" });
        }
        if self.total == 0 {
            return Err(ImdsError::InvalidLimit { field: "total" });
        }
        Ok(())
    }
}

/// The request method, as IMDS tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Method {
    /// `GET`.
    Get,
    /// `HEAD`: a GET without the body.
    Head,
    /// `PUT`: only for `/latest/api/token`.
    Put,
    /// Anything else (405).
    Other,
}

impl Method {
    /// Classifies a method token (methods are case-sensitive, RFC 9110 §9.1).
    pub fn from_token(token: &str) -> Self {
        match token {
            "GET" => Self::Get,
            "HEAD" => Self::Head,
            "PUT" => Self::Put,
            _ => Self::Other,
        }
    }
}

/// One header line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    /// The name as sent (compare with [`str::eq_ignore_ascii_case`]).
    pub name: &'a str,
    /// The value, without surrounding whitespace; may hold non-UTF-8 bytes.
    pub value: &'a [u8],
}

/// A parsed request, borrowing from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request<'a> {
    /// The method token as sent.
    pub method: &'a str,
    /// The request target as sent (`/latest/meta-data/`).
    pub path: &'a str,
    /// The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor_version: u8,
    /// The headers in order.
    pub headers: heapless::Vec<Header<'a>, MAX_HEADERS>,
    /// The body (`Content-Length` bytes).
    pub body: &'a [u8],
}

/// A complete request and how many input bytes it used (the next request starts there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<'a> {
    /// The request.
    pub request: Request<'a>,
    /// Bytes of the input it took, head and body.
    pub consumed: usize,
}

impl<'a> Request<'a> {
    /// Parses one request from the start of `input` under `limits`.
    ///
    /// # Errors
    /// [`ImdsError::Incomplete`] when `input` is a valid start of a request that fits the limits
    /// (read more and call again); [`ImdsError::RequestLineTooLong`],
    /// [`ImdsError::HeaderLineTooLong`], [`ImdsError::TooManyHeaders`],
    /// [`ImdsError::RequestTooLarge`] as soon as a limit is passed, even before the request is
    /// complete; [`ImdsError::MalformedRequest`], [`ImdsError::UnsupportedTransferEncoding`];
    /// [`ImdsError::InvalidLimit`] for bad `limits`.
    pub fn parse(input: &'a [u8], limits: &HttpLimits) -> Result<Parsed<'a>, ImdsError> {
        limits.validate()?;
        let head_len = scan_head(input, limits)?;
        let head = input.get(..head_len).ok_or(ImdsError::Incomplete)?;
        let mut raw = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let slots = raw
            .get_mut(..limits.headers)
            .ok_or(ImdsError::InvalidLimit { field: "headers" })?;
        let mut req = httparse::Request::new(slots);
        match req.parse(head) {
            Ok(httparse::Status::Complete(n)) if n == head_len => {}
            Ok(_) => {
                return Err(ImdsError::MalformedRequest {
                    reason: "request head ends early",
                });
            }
            Err(httparse::Error::TooManyHeaders) => {
                return Err(ImdsError::TooManyHeaders {
                    limit: limits.headers,
                });
            }
            Err(e) => return Err(ImdsError::MalformedRequest { reason: reason(e) }),
        }
        let (Some(method), Some(path), Some(minor_version)) = (req.method, req.path, req.version)
        else {
            return Err(ImdsError::MalformedRequest {
                reason: "incomplete request line",
            });
        };
        let mut headers = heapless::Vec::new();
        let mut content_length: Option<usize> = None;
        for h in req.headers.iter() {
            // One rule for every value, whatever the parser below trims (RFC 9110 §5.5).
            let value = trim_ows(h.value);
            if h.name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(ImdsError::UnsupportedTransferEncoding);
            }
            if h.name.eq_ignore_ascii_case("content-length") {
                let n = parse_decimal(value).ok_or(ImdsError::MalformedRequest {
                    reason: "invalid content-length",
                })?;
                if content_length.is_some_and(|m| m != n) {
                    return Err(ImdsError::MalformedRequest {
                        reason: "conflicting content-length",
                    });
                }
                content_length = Some(n);
            }
            headers
                .push(Header {
                    name: h.name,
                    value,
                })
                .map_err(|_| ImdsError::TooManyHeaders {
                    limit: limits.headers,
                })?;
        }
        let total = head_len.saturating_add(content_length.unwrap_or(0));
        if total > limits.total {
            return Err(ImdsError::RequestTooLarge {
                limit: limits.total,
            });
        }
        let body = input.get(head_len..total).ok_or(ImdsError::Incomplete)?;
        Ok(Parsed {
            request: Request {
                method,
                path,
                minor_version,
                headers,
                body,
            },
            consumed: total,
        })
    }

    /// The method, classified.
    pub fn method(&self) -> Method {
        Method::from_token(self.method)
    }

    /// The value of the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a [u8]> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value)
    }

    /// Writes the request back in canonical form (`Name: value`, CRLF line ends).
    ///
    /// # Errors
    /// [`ImdsError::BufferTooSmall`] with the length needed.
    pub fn write_to(&self, out: &mut [u8]) -> Result<usize, ImdsError> {
        let mut w = ByteWriter::new(out);
        let _ = write!(
            w,
            "{} {} HTTP/1.{}\r\n",
            self.method, self.path, self.minor_version
        );
        for h in &self.headers {
            w.bytes(h.name.as_bytes());
            w.bytes(b": ");
            w.bytes(h.value);
            w.bytes(b"\r\n");
        }
        w.bytes(b"\r\n");
        w.bytes(self.body);
        w.finish()
    }
}

/// Finds the end of the head (after its empty line) within the limits, without parsing the
/// grammar.
fn scan_head(input: &[u8], limits: &HttpLimits) -> Result<usize, ImdsError> {
    let mut pos = 0usize;
    // Lines seen after any leading empty ones: 0 = the request line is next.
    let mut lines = 0usize;
    loop {
        let rest = input.get(pos..).unwrap_or_default();
        let newline = rest.iter().position(|&b| b == b'\n');
        let line = newline.map_or(rest, |i| rest.get(..i).unwrap_or_default());
        let content = line.strip_suffix(b"\r").unwrap_or(line);
        let (limit, too_long) = if lines == 0 {
            (
                limits.request_line,
                ImdsError::RequestLineTooLong {
                    limit: limits.request_line,
                },
            )
        } else {
            (
                limits.header_line,
                ImdsError::HeaderLineTooLong {
                    limit: limits.header_line,
                },
            )
        };
        // A partial line is judged by what has arrived: a line already too long is refused now.
        if content.len() > limit {
            return Err(too_long);
        }
        let Some(i) = newline else {
            return Err(if input.len() >= limits.total {
                ImdsError::RequestTooLarge {
                    limit: limits.total,
                }
            } else {
                ImdsError::Incomplete
            });
        };
        pos = pos.saturating_add(i).saturating_add(1);
        if pos > limits.total {
            return Err(ImdsError::RequestTooLarge {
                limit: limits.total,
            });
        }
        if content.is_empty() {
            if lines > 0 {
                return Ok(pos);
            }
            // A leading empty line: skipped.
            continue;
        }
        if lines > limits.headers {
            return Err(ImdsError::TooManyHeaders {
                limit: limits.headers,
            });
        }
        lines = lines.saturating_add(1);
    }
}

fn reason(e: httparse::Error) -> &'static str {
    match e {
        httparse::Error::HeaderName => "invalid header name",
        httparse::Error::HeaderValue => "invalid header value",
        httparse::Error::NewLine => "invalid line ending",
        httparse::Error::Status => "invalid status",
        httparse::Error::Token => "invalid method or request target",
        httparse::Error::TooManyHeaders => "too many headers",
        httparse::Error::Version => "invalid http version",
    }
}

/// A header's field value without the optional whitespace (SP, HTAB) around it.
///
/// RFC 9110 §5.5: "a field value does not include leading or trailing whitespace"; a parser
/// excludes it when extracting the value. [`Request::parse`] gets values trimmed this way, and
/// [`crate::imds::Imds::handle`] trims the values of an [`crate::imds::ImdsRequest`] built by
/// hand the same way, so that both paths answer one request alike (issue 19).
pub fn trim_ows(v: &[u8]) -> &[u8] {
    let ows = |b: &u8| *b == b' ' || *b == b'\t';
    let start = v.iter().position(|b| !ows(b)).unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|b| !ows(b))
        .map_or(start, |i| i.saturating_add(1));
    v.get(start..end).unwrap_or_default()
}

/// A decimal number of ASCII digits only (no sign, no spaces), as headers carry them.
pub(crate) fn parse_decimal(v: &[u8]) -> Option<usize> {
    if v.is_empty() {
        return None;
    }
    v.iter().try_fold(0usize, |acc, &b| {
        let d = b
            .is_ascii_digit()
            .then(|| usize::from(b.wrapping_sub(b'0')))?;
        acc.checked_mul(10)?.checked_add(d)
    })
}

/// The statuses IMDS answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Status {
    /// 200.
    Ok,
    /// 400: a PUT without a valid TTL, or a request that does not parse.
    BadRequest,
    /// 401: a missing (when required), invalid or expired token.
    Unauthorized,
    /// 403: IMDS disabled, a PUT with `X-Forwarded-For`, a PUT to a versioned path.
    Forbidden,
    /// 404: no such item.
    NotFound,
    /// 405: a method other than GET, HEAD and PUT.
    MethodNotAllowed,
    /// 413: the request passes [`HttpLimits::total`].
    PayloadTooLarge,
    /// 414: the request line passes [`HttpLimits::request_line`].
    UriTooLong,
    /// 431: a header line or the header count passes its limit.
    HeaderFieldsTooLarge,
    /// 501: a `Transfer-Encoding` the server does not read.
    NotImplemented,
}

impl Status {
    /// The numeric code.
    pub const fn code(self) -> u16 {
        match self {
            Self::Ok => 200,
            Self::BadRequest => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::PayloadTooLarge => 413,
            Self::UriTooLong => 414,
            Self::HeaderFieldsTooLarge => 431,
            Self::NotImplemented => 501,
        }
    }

    /// The reason phrase.
    pub const fn reason(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::BadRequest => "Bad Request",
            Self::Unauthorized => "Unauthorized",
            Self::Forbidden => "Forbidden",
            Self::NotFound => "Not Found",
            Self::MethodNotAllowed => "Method Not Allowed",
            Self::PayloadTooLarge => "Payload Too Large",
            Self::UriTooLong => "URI Too Long",
            Self::HeaderFieldsTooLarge => "Request Header Fields Too Large",
            Self::NotImplemented => "Not Implemented",
        }
    }
}

/// The token TTL header, as a PUT sends it and its response echoes it.
pub const TTL_HEADER: &str = "X-aws-ec2-metadata-token-ttl-seconds";
/// The token header of a GET or HEAD.
pub const TOKEN_HEADER: &str = "X-aws-ec2-metadata-token";
/// The proxy header that makes a PUT forbidden.
pub const FORWARDED_FOR_HEADER: &str = "X-Forwarded-For";

/// Longest head [`write_head`] writes (the longest status line and content type, the TTL
/// header, any `usize` length).
pub const MAX_HEAD_LEN: usize = 192;

/// Writes a response head: status line, `Content-Type`, `Content-Length` and, on a token
/// response, the TTL header.
///
/// # Errors
/// [`ImdsError::BufferTooSmall`] with the length needed.
pub fn write_head(
    status: Status,
    content_type: ContentType,
    content_length: usize,
    token_ttl: Option<u32>,
    out: &mut [u8],
) -> Result<usize, ImdsError> {
    let mut w = ByteWriter::new(out);
    let _ = write!(
        w,
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {content_length}\r\n",
        status.code(),
        status.reason(),
        content_type.as_str(),
    );
    if let Some(ttl) = token_ttl {
        let _ = write!(w, "{TTL_HEADER}: {ttl}\r\n");
    }
    w.bytes(b"\r\n");
    w.finish()
}
