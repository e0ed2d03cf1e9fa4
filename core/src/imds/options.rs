//! The instance metadata options of an instance (SEMANTICS §5,
//! `API-EC2:InstanceMetadataOptionsRequest`).

use serde::{Deserialize, Serialize};

use super::ImdsError;

/// Lowest `HttpPutResponseHopLimit` the service accepts.
pub const HOP_LIMIT_MIN: u8 = 1;
/// Highest `HttpPutResponseHopLimit` the service accepts.
pub const HOP_LIMIT_MAX: u8 = 64;

vocabulary! {
    /// `HttpEndpoint`: whether the instance can reach IMDS at all.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum HttpEndpoint: "http endpoint" {
        /// Answered (the default).
        #[default]
        Enabled = 0 => "enabled",
        /// Every request gets 403.
        Disabled = 1 => "disabled",
    }
}

vocabulary! {
    /// `HttpTokens`: whether a GET needs an `IMDSv2` session token.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum HttpTokens: "http tokens" {
        /// `IMDSv1` and `IMDSv2` both work; a token that is sent must still be valid. The API's
        /// default when neither the AMI (`ImdsSupport`) nor the account sets one.
        #[default]
        Optional = 0 => "optional",
        /// `IMDSv2` only: a GET or HEAD without a token gets 401.
        Required = 1 => "required",
    }
}

vocabulary! {
    /// `InstanceMetadataTags`: whether the instance's tags appear under
    /// `meta-data/tags/instance/`. Declared `Enabled` first (the snapshot order); C numbers
    /// `Disabled` 0.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum InstanceMetadataTags: "instance metadata tags" {
        /// Tags are listed.
        Enabled = 1 => "enabled",
        /// Tags are absent (the default).
        #[default]
        Disabled = 0 => "disabled",
    }
}

/// The metadata options of one instance, with the service's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(rename_all = "PascalCase")]
pub struct MetadataOptions {
    /// `HttpEndpoint`.
    pub http_endpoint: HttpEndpoint,
    /// `HttpTokens`.
    pub http_tokens: HttpTokens,
    /// `HttpPutResponseHopLimit`: the IP TTL of the token (PUT) response, 1–64 (default 1; a
    /// container behind a bridge needs 2).
    pub http_put_response_hop_limit: u8,
    /// `InstanceMetadataTags`.
    pub instance_metadata_tags: InstanceMetadataTags,
}

impl Default for MetadataOptions {
    fn default() -> Self {
        Self {
            http_endpoint: HttpEndpoint::Enabled,
            http_tokens: HttpTokens::Optional,
            http_put_response_hop_limit: 1,
            instance_metadata_tags: InstanceMetadataTags::Disabled,
        }
    }
}

impl MetadataOptions {
    /// Checks the ranges the service checks.
    ///
    /// # Errors
    /// [`ImdsError::HopLimitOutOfRange`] unless the hop limit is 1–64.
    pub const fn validate(&self) -> Result<(), ImdsError> {
        let limit = self.http_put_response_hop_limit;
        if limit < HOP_LIMIT_MIN || limit > HOP_LIMIT_MAX {
            return Err(ImdsError::HopLimitOutOfRange { limit });
        }
        Ok(())
    }
}
