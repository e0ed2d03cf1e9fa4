//! A test-only count of the ledger's work, kept out of `account.rs` so that the library file
//! names no `std`: the counter is a `std` thread-local, and exists only under `cfg(test)`
//! (declared in `purchase/mod.rs`).

std::thread_local! {
    /// Passes over the members every settle on this thread made (an account's `Steps`
    /// summed), so a test can count the work of a whole group call, which may settle from
    /// several places.
    pub(crate) static WORK: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
}

/// Adds `passes` to this thread's [`WORK`] (saturating).
pub(crate) fn add(passes: u64) {
    WORK.with(|w| w.set(w.get().saturating_add(passes)));
}
