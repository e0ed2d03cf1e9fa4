//! Any bytes as text through the strict IPv4 and CIDR parsers of `fleetcore::network`, checked
//! against a reference model built on std's `Ipv4Addr` parser (which also refuses leading zeros).
//!
//! Properties: `Ipv4Cidr::parse` accepts exactly what the model accepts; an accepted block
//! displays as the input and parses back to itself; `parse_masked` accepts a superset (host bits
//! allowed), agrees with `parse` where both accept, and its result round-trips through the strict
//! parser; `parse_ipv4` agrees with std; nothing panics.

#![no_main]

use std::net::Ipv4Addr;

use fleetcore::network::{Ipv4Cidr, parse_ipv4};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    let std_addr = text.parse::<Ipv4Addr>().ok();
    assert_eq!(parse_ipv4(text).ok(), std_addr, "address {text:?}");

    let strict = Ipv4Cidr::parse(text);
    let masked = Ipv4Cidr::parse_masked(text);
    match model(text) {
        Some((addr, prefix, host_bits)) => {
            let m = masked.unwrap_or_else(|e| panic!("{text:?} refused by parse_masked: {e}"));
            assert_eq!(m.prefix(), prefix);
            assert!(m.contains(addr), "{m} must contain {addr}");
            assert_eq!(Ipv4Cidr::parse(&m.to_string()), Ok(m), "masked round trip");
            if host_bits {
                assert!(strict.is_err(), "{text:?} has host bits but parsed");
            } else {
                let c = strict.unwrap_or_else(|e| panic!("{text:?} refused: {e}"));
                assert_eq!(c, m);
                assert_eq!(c.to_string(), text, "display gives the input back");
                assert_eq!(c.network(), addr);
                assert_eq!(c.size(), 1u64 << (32 - u32::from(prefix)));
            }
        }
        None => {
            assert!(strict.is_err(), "{text:?} accepted: {strict:?}");
            assert!(masked.is_err(), "{text:?} accepted masked: {masked:?}");
        }
    }
});

/// `a.b.c.d/n` as std reads the address; the prefix is 1-2 digits, no leading zero, at most 32.
fn model(text: &str) -> Option<(Ipv4Addr, u8, bool)> {
    let (addr, prefix) = text.split_once('/')?;
    let addr: Ipv4Addr = addr.parse().ok()?;
    let ok_digits = !prefix.is_empty()
        && prefix.len() <= 2
        && prefix.bytes().all(|b| b.is_ascii_digit())
        && !(prefix.len() == 2 && prefix.starts_with('0'));
    if !ok_digits {
        return None;
    }
    let prefix: u8 = prefix.parse().ok()?;
    if prefix > 32 {
        return None;
    }
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    Some((addr, prefix, u32::from(addr) & !mask != 0))
}
