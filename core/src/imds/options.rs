//! The instance metadata options of an instance (SEMANTICS §5,
//! `API-EC2:InstanceMetadataOptionsRequest`).

use serde::{Deserialize, Serialize};

use super::ImdsError;

/// Lowest `HttpPutResponseHopLimit` the service accepts.
pub const HOP_LIMIT_MIN: u8 = 1;
/// Highest `HttpPutResponseHopLimit` the service accepts.
pub const HOP_LIMIT_MAX: u8 = 64;

/// `HttpEndpoint`: whether the instance can reach IMDS at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(rename_all = "lowercase")]
pub enum HttpEndpoint {
    /// Answered (the default).
    #[default]
    Enabled,
    /// Every request gets 403.
    Disabled,
}

/// `HttpTokens`: whether a GET needs an `IMDSv2` session token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(rename_all = "lowercase")]
pub enum HttpTokens {
    /// `IMDSv1` and `IMDSv2` both work; a token that is sent must still be valid. The API's
    /// default when neither the AMI (`ImdsSupport`) nor the account sets one.
    #[default]
    Optional,
    /// `IMDSv2` only: a GET or HEAD without a token gets 401.
    Required,
}

/// `InstanceMetadataTags`: whether the instance's tags appear under `meta-data/tags/instance/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(rename_all = "lowercase")]
pub enum InstanceMetadataTags {
    /// Tags are listed.
    Enabled,
    /// Tags are absent (the default).
    #[default]
    Disabled,
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
