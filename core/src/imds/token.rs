//! `IMDSv2` session tokens (SEMANTICS §5): instance-specific, time-limited, unforgeable.
//!
//! Model: the service keeps no table of tokens ("no limit on concurrent tokens"), so a token
//! carries its own expiry and is authenticated: 48 bytes, written as 64 characters of URL-safe
//! base64 without padding:
//!
//! | bytes | field |
//! |---|---|
//! | 0–7 | expiry, ms since the Unix epoch, big-endian |
//! | 8–15 | issue counter (a nonce: two tokens issued in the same millisecond differ) |
//! | 16–47 | HMAC-SHA-256 of a label, the instance id (length-prefixed), expiry, counter |
//!
//! The HMAC key is the caller's 32-byte secret, so a token cannot be made without it, is valid
//! for one instance id only, and every token dies when the secret changes (a controller that
//! restarts with a new secret revokes them all). The tag is compared in constant time
//! (`hmac`'s `verify_slice`). A token is valid while `now < expiry`; one whose expiry lies more
//! than the 21 600 s maximum TTL ahead of `now` is refused too, so a clock that jumped backwards
//! cannot stretch a token's life.

use core::fmt;

use hmac::{KeyInit, Mac};
use sha2::Sha256;

use crate::time::{Duration, Instant};

/// Characters of a token's text.
pub const TOKEN_LEN: usize = 64;
/// Bytes of the secret that keys the token MAC.
pub const SECRET_LEN: usize = 32;
/// Shortest token TTL the service accepts, in seconds.
pub const TTL_MIN_SECS: u32 = 1;
/// Longest token TTL the service accepts, in seconds (6 hours).
pub const TTL_MAX_SECS: u32 = 21_600;

pub(super) const RAW_LEN: usize = 48;
const TAG_LEN: usize = 32;
const DOMAIN: &[u8] = b"fleetcore imds token v1";
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

type HmacSha256 = hmac::Hmac<Sha256>;

/// An issued session token: its text, as the PUT response body carries it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Token {
    text: [u8; TOKEN_LEN],
}

impl Token {
    /// The token text (64 characters of `[A-Za-z0-9_-]`).
    pub fn as_str(&self) -> &str {
        // Always ASCII from `ALPHABET`; the fallback is never taken.
        core::str::from_utf8(&self.text).unwrap_or("")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A token is a credential: keep it out of logs.
        f.write_str("Token(..)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

vocabulary! {
    /// Why a token was refused (the client sees 401 for all of them), spelled as Python's
    /// `Imds.check_token` returns it. No C enum.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum TokenRejection: "token rejection" {
        /// Not 64 characters of URL-safe base64.
        Malformed = 0 => "malformed",
        /// The MAC does not match: forged, altered, issued for another instance or under
        /// another secret.
        BadSignature = 1 => "bad signature",
        /// The expiry has passed.
        Expired = 2 => "expired",
        /// The expiry is further ahead than any TTL allows (the clock went backwards).
        FromTheFuture = 3 => "from the future",
    }
}

/// Issues and checks tokens under one secret.
#[derive(Clone)]
pub struct TokenKey {
    secret: [u8; SECRET_LEN],
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenKey(..)")
    }
}

impl TokenKey {
    /// A key from the caller's secret (32 random bytes the controller keeps).
    pub const fn new(secret: [u8; SECRET_LEN]) -> Self {
        Self { secret }
    }

    fn tag(&self, instance_id: &str, head: &[u8; 16]) -> HmacSha256 {
        // HMAC pads a key shorter than the hash block with zeros (RFC 2104), so the padded
        // block-size key gives the same MAC as the 32-byte secret, through an infallible call.
        let mut key = hmac::digest::Key::<HmacSha256>::default();
        for (d, s) in key.iter_mut().zip(self.secret) {
            *d = s;
        }
        let mut mac = <HmacSha256 as KeyInit>::new(&key);
        mac.update(DOMAIN);
        mac.update(&(instance_id.len() as u64).to_be_bytes());
        mac.update(instance_id.as_bytes());
        mac.update(head);
        mac
    }

    /// A token for `instance_id` that expires `ttl` after `now`; `counter` makes tokens issued
    /// in the same millisecond differ. The caller checks the TTL range (the service answers 400).
    pub fn issue(&self, now: Instant, instance_id: &str, ttl: Duration, counter: u64) -> Token {
        let expiry = now.saturating_add(ttl).total_millis();
        let mut head = [0u8; 16];
        for (d, s) in head.iter_mut().zip(
            expiry
                .to_be_bytes()
                .into_iter()
                .chain(counter.to_be_bytes()),
        ) {
            *d = s;
        }
        let tag = self.tag(instance_id, &head).finalize().into_bytes();
        let mut raw = [0u8; RAW_LEN];
        for (d, s) in raw.iter_mut().zip(head.iter().chain(tag.iter())) {
            *d = *s;
        }
        Token { text: encode(&raw) }
    }

    /// Checks a token for `instance_id` at `now`.
    ///
    /// # Errors
    /// The [`TokenRejection`] that applies.
    pub fn verify(
        &self,
        now: Instant,
        instance_id: &str,
        text: &str,
    ) -> Result<(), TokenRejection> {
        let raw = decode(text.as_bytes()).ok_or(TokenRejection::Malformed)?;
        let mut head = [0u8; 16];
        let mut tag = [0u8; TAG_LEN];
        for (d, s) in head.iter_mut().chain(tag.iter_mut()).zip(raw.iter()) {
            *d = *s;
        }
        self.tag(instance_id, &head)
            .verify_slice(&tag)
            .map_err(|_| TokenRejection::BadSignature)?;
        let mut expiry = [0u8; 8];
        for (d, s) in expiry.iter_mut().zip(head.iter()) {
            *d = *s;
        }
        let expiry = Instant::from_millis(u64::from_be_bytes(expiry));
        if now >= expiry {
            return Err(TokenRejection::Expired);
        }
        let longest = Duration::from_secs(u64::from(TTL_MAX_SECS));
        if expiry.saturating_duration_since(now) > longest {
            return Err(TokenRejection::FromTheFuture);
        }
        Ok(())
    }
}

/// URL-safe base64 of exactly 48 bytes: 16 groups of 3 bytes, so no padding.
fn encode(raw: &[u8; RAW_LEN]) -> [u8; TOKEN_LEN] {
    let mut out = [0u8; TOKEN_LEN];
    for (group, chars) in raw.chunks_exact(3).zip(out.chunks_exact_mut(4)) {
        let n = group
            .iter()
            .fold(0u32, |acc, &b| acc.wrapping_shl(8) | u32::from(b));
        for (c, shift) in chars.iter_mut().zip([18u32, 12, 6, 0]) {
            let sextet = (n.wrapping_shr(shift) & 0x3f) as usize;
            *c = ALPHABET.get(sextet).copied().unwrap_or(b'A');
        }
    }
    out
}

/// The inverse of [`encode`]; `None` unless the text is 64 characters of the alphabet.
/// Every such text decodes, and re-encodes to itself (no leftover bits).
pub(super) fn decode(text: &[u8]) -> Option<[u8; RAW_LEN]> {
    if text.len() != TOKEN_LEN {
        return None;
    }
    let mut raw = [0u8; RAW_LEN];
    for (chars, group) in text.chunks_exact(4).zip(raw.chunks_exact_mut(3)) {
        let mut n = 0u32;
        for &c in chars {
            n = n.wrapping_shl(6) | u32::from(sextet(c)?);
        }
        for (b, shift) in group.iter_mut().zip([16u32, 8, 0]) {
            *b = n.wrapping_shr(shift).to_be_bytes()[3];
        }
    }
    Some(raw)
}

fn sextet(c: u8) -> Option<u8> {
    // Branches rather than a table search: the token is a secret, keep timing independent of
    // where a character sits in the alphabet.
    match c {
        b'A'..=b'Z' => Some(c.wrapping_sub(b'A')),
        b'a'..=b'z' => Some(c.wrapping_sub(b'a').wrapping_add(26)),
        b'0'..=b'9' => Some(c.wrapping_sub(b'0').wrapping_add(52)),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}
