//! The group through its C functions, called from Rust. The C suite (`tests/c/test_group.c`)
//! covers every function and error path; these check the layout promises and what only Rust
//! can see.

use super::*;

#[test]
fn storage_sizes() {
    println!(
        "fc_group: {} bytes, GroupCell {} bytes, core group {} bytes, align {}",
        size_of::<fc_group>(),
        size_of::<GroupCell>(),
        size_of::<CoreGroup>(),
        align_of::<GroupCell>()
    );
}
