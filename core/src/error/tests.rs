//! Pins every error variant to its code, and checks kinds and messages.
