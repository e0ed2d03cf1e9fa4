//! IMDSv2 session tokens: issued under a secret for an instance and a TTL, then attacked.
//!
//! Properties:
//! - a token from `issue` verifies at every instant before its expiry and at none after;
//! - changing any one character makes it fail (the MAC covers every byte); any text the fuzzer
//!   writes verifies only if it is exactly what `issue` gives for the expiry and counter it
//!   carries (libFuzzer's comparison tracing does rediscover issued tokens);
//! - a token for one instance id, or under another secret, fails for the other;
//! - through `Imds::handle`, a GET with an arbitrary token gets 401 and one with the issued
//!   token gets 200.

#![no_main]

use arbitrary::Arbitrary;
use fleetcore::imds::{
    Imds, ImdsRequest, InstanceMetadata, MetadataOptions, Reply, Status, TokenKey, TokenRejection,
};
use fleetcore::{Duration, Instant};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    secret: [u8; 32],
    other_secret_byte: u8,
    now: u64,
    ttl: u16,
    counter: u64,
    id: String,
    other_id: String,
    /// Where in the token to write, and what.
    mutate_at: u8,
    mutate_to: u8,
    /// Some text an attacker sends.
    guess: String,
    /// How far into the token's life to check, in parts of 256.
    at: u8,
}

fuzz_target!(|input: Input| {
    // Keep `now + ttl` clear of the saturation at `u64::MAX` ms.
    let now = Instant::from_millis(input.now >> 8);
    let ttl_secs = u64::from(input.ttl % 21_600) + 1;
    let ttl = Duration::from_secs(ttl_secs);
    let key = TokenKey::new(input.secret);
    let token = key.issue(now, &input.id, ttl, input.counter);
    let text = token.as_str();
    assert_eq!(text.len(), 64);

    let inside = now + Duration::from_millis(ttl.total_millis() * u64::from(input.at) / 256);
    assert_eq!(key.verify(inside, &input.id, text), Ok(()));
    let last = now + ttl - Duration::from_millis(1);
    assert_eq!(key.verify(last, &input.id, text), Ok(()));
    assert_eq!(
        key.verify(now + ttl, &input.id, text),
        Err(TokenRejection::Expired)
    );

    let mut mutated = text.as_bytes().to_vec();
    let i = usize::from(input.mutate_at) % mutated.len();
    if mutated[i] != input.mutate_to {
        mutated[i] = input.mutate_to;
        let mutated = String::from_utf8_lossy(&mutated);
        assert!(key.verify(now, &input.id, &mutated).is_err(), "{mutated}");
    }
    // A guess verifies only if it is exactly what `issue` gives for the expiry and counter it
    // carries: that is, only if it was (or could have been) issued under this key for this id.
    if key.verify(now, &input.id, &input.guess).is_ok() {
        assert_eq!(
            reissue(&key, &input.id, &input.guess).as_deref(),
            Some(input.guess.as_str())
        );
    }
    if input.other_id != input.id {
        assert_eq!(
            key.verify(now, &input.other_id, text),
            Err(TokenRejection::BadSignature)
        );
    }
    let mut other_secret = input.secret;
    other_secret[0] ^= input.other_secret_byte | 1;
    assert_eq!(
        TokenKey::new(other_secret).verify(now, &input.id, text),
        Err(TokenRejection::BadSignature)
    );

    // Through the service: the token the PUT returned works, a guess does not.
    let mut imds = Imds::new(MetadataOptions::default(), input.secret).expect("default options");
    let md = InstanceMetadata {
        instance_id: &input.id,
        ..InstanceMetadata::default()
    };
    let issued = imds
        .issue_token(
            now,
            &input.id,
            u32::try_from(ttl_secs).expect("at most 21600"),
        )
        .expect("ttl in range");
    let mut buf = [0u8; 256];
    // libFuzzer's comparison tracing does find issued tokens: a guess is then rightly accepted.
    let guess_ok = key.verify(now, &input.id, &input.guess).is_ok();
    for (t, want) in [
        (issued.as_str(), Status::Ok),
        (
            input.guess.as_str(),
            if guess_ok {
                Status::Ok
            } else {
                Status::Unauthorized
            },
        ),
    ] {
        let req = ImdsRequest {
            token: Some(t.as_bytes()),
            ..ImdsRequest::get("/latest/meta-data/")
        };
        match imds.handle(now, &req, &md, &mut buf) {
            Ok(Reply::Respond(r)) => assert_eq!(r.status, want, "{t:?}"),
            other => panic!("{other:?}"),
        }
    }
});

/// The token `key` issues for the expiry and counter that `text` carries (bytes 0–7 and 8–15
/// of its URL-safe base64), written independently of the core's decoder.
fn reissue(key: &TokenKey, id: &str, text: &str) -> Option<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if text.len() != 64 {
        return None;
    }
    let mut raw = Vec::with_capacity(48);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for &c in chunk {
            n = n << 6 | ALPHABET.iter().position(|&a| a == c)? as u32;
        }
        raw.extend_from_slice(&n.to_be_bytes()[1..]);
    }
    let expiry = u64::from_be_bytes(raw[..8].try_into().ok()?);
    let counter = u64::from_be_bytes(raw[8..16].try_into().ok()?);
    let t = key.issue(Instant::from_millis(expiry), id, Duration::ZERO, counter);
    Some(t.as_str().to_owned())
}
