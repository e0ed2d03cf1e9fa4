//! Rust-side checks of the network C ABI: sizes. The C suite (`tests/c/test_network.c`)
//! covers the functions and statuses.

use super::*;

#[test]
fn sizes() {
    println!(
        "NetCell: {} bytes of FC_NET_SIZE {FC_NET_SIZE}",
        size_of::<NetCell>()
    );
    assert!(size_of::<NetCell>() <= FC_NET_SIZE);
}
