//! Python bindings for fleetcore (placeholder while the foundation lands).
