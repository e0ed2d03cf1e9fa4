//! C ABI for fleetcore (placeholder while the foundation lands).
