//! Any bytes through the IMDS HTTP request parser and `Imds::serve`.
//!
//! The first byte picks tight or default limits, so every limit is reached often. Properties:
//! - nothing panics, and every error has a code in the 1700s and a message;
//! - a request line longer than its limit is refused with `RequestLineTooLong`, whether or not
//!   the rest has arrived; `Incomplete` only while the input is shorter than the total limit;
//! - an accepted request obeys every limit (line lengths, header count, total), and written
//!   back with `write_to` it parses again to the same request, using all the bytes written;
//! - `serve` answers with a well-formed status line or asks for more bytes, never both.

#![no_main]

use fleetcore::Error as _;
use fleetcore::Instant;
use fleetcore::error::ErrorKind;
use fleetcore::imds::http::{HttpLimits, MAX_HEADERS, Request};
use fleetcore::imds::{Imds, ImdsError, InstanceMetadata, MetadataOptions, Served};
use libfuzzer_sys::fuzz_target;

const TIGHT: HttpLimits = HttpLimits {
    request_line: 24,
    header_line: 20,
    headers: 3,
    total: 96,
};

const UNLIMITED: HttpLimits = HttpLimits {
    request_line: usize::MAX,
    header_line: usize::MAX,
    headers: MAX_HEADERS,
    total: usize::MAX,
};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else {
        return;
    };
    let limits = if pick & 1 == 0 {
        TIGHT
    } else {
        HttpLimits::default()
    };
    check_parse(input, &limits);
    check_serve(input, pick);
});

fn check_parse(input: &[u8], limits: &HttpLimits) {
    match Request::parse(input, limits) {
        Ok(p) => {
            assert!(p.consumed <= input.len() && p.consumed <= limits.total);
            let head = &input[..p.consumed - p.request.body.len()];
            let mut lines = head
                .split(|&b| b == b'\n')
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                .skip_while(|l| l.is_empty());
            let request_line = lines.next().expect("a request line");
            assert!(request_line.len() <= limits.request_line);
            let headers: Vec<_> = lines.take_while(|l| !l.is_empty()).collect();
            assert_eq!(headers.len(), p.request.headers.len());
            assert!(headers.len() <= limits.headers);
            assert!(headers.iter().all(|l| l.len() <= limits.header_line));

            let mut out = vec![0u8; p.consumed * 2 + 64];
            let n = p
                .request
                .write_to(&mut out)
                .expect("room for the canonical form");
            let again = Request::parse(&out[..n], &UNLIMITED).unwrap_or_else(|e| {
                panic!("re-parse of {:?}: {e}", String::from_utf8_lossy(&out[..n]))
            });
            assert_eq!(again.request, p.request);
            assert_eq!(again.consumed, n);
        }
        Err(e) => {
            assert!((1700..1800).contains(&e.code()), "{e:?}");
            assert!(!e.to_string().is_empty());
            if e == ImdsError::Incomplete {
                assert!(
                    input.len() < limits.total,
                    "incomplete at {} bytes",
                    input.len()
                );
            } else if e.kind() != ErrorKind::Malformed {
                assert!(e.http_status().is_some(), "{e:?}");
            }
            // The model of the request-line limit: the first non-empty line, as far as it
            // has arrived.
            let mut rest = input;
            loop {
                if let Some(r) = rest.strip_prefix(b"\r\n") {
                    rest = r;
                } else if let Some(r) = rest.strip_prefix(b"\n") {
                    rest = r;
                } else {
                    break;
                }
            }
            let end = rest.iter().position(|&b| b == b'\n');
            let line = &rest[..end.unwrap_or(rest.len())];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let skipped = input.len() - rest.len();
            if line.len() > limits.request_line && skipped <= limits.total {
                assert_eq!(
                    e,
                    ImdsError::RequestLineTooLong {
                        limit: limits.request_line
                    }
                );
            }
        }
    }
}

fn check_serve(input: &[u8], pick: u8) {
    let md = InstanceMetadata {
        instance_id: "i-0123456789abcdef0",
        ami_id: "ami-0123456789abcdef0",
        local_ipv4: "10.0.0.1",
        user_data: Some(b"hello"),
        ..InstanceMetadata::default()
    };
    let mut imds = Imds::new(MetadataOptions::default(), [pick; 32]).expect("default options");
    let mut out = [0u8; 1024];
    match imds.serve(Instant::from_millis(1_000), input, pick >> 6, &md, &mut out) {
        Ok(Served::Response { consumed, len, .. }) => {
            assert!(consumed <= input.len());
            let text = &out[..len];
            assert!(
                text.starts_with(b"HTTP/1.1 "),
                "{:?}",
                String::from_utf8_lossy(text)
            );
            assert!(text.windows(4).any(|w| w == b"\r\n\r\n"));
        }
        Ok(Served::Dropped { consumed }) => assert!(consumed <= input.len()),
        Err(e) => assert!(
            matches!(e, ImdsError::Incomplete | ImdsError::BufferTooSmall { .. }),
            "{e:?}"
        ),
    }
}
