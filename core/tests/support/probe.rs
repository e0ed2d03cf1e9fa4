//! The error of the serde probes that walk the configuration types
//! (`config_strings.rs`: the largest document; `schema.rs`: the JSON Schema): where it
//! happened, and a list's or string's capacity when that is what was refused.

use std::fmt;

use serde::de;

/// A probe's failure.
#[derive(Debug)]
pub struct ProbeError {
    /// The path of the value, `/groups/[]//name` style.
    pub path: Option<String>,
    /// A list's or string's capacity, if that is what was wrong.
    pub cap: Option<usize>,
    /// The deserializer's message.
    pub msg: String,
}

impl fmt::Display for ProbeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.path, self.msg)
    }
}

impl std::error::Error for ProbeError {}

impl de::Error for ProbeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self {
            path: None,
            cap: None,
            msg: msg.to_string(),
        }
    }

    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        let text = exp.to_string();
        // heapless: a string names its capacity, a list reports one past it.
        let cap = text
            .split(' ')
            .find_map(|w| w.parse().ok())
            .unwrap_or_else(|| len - 1);
        Self {
            path: None,
            cap: Some(cap),
            msg: text,
        }
    }
}
