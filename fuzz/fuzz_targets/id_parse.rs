//! Any bytes as text through `Id::parse` for every id kind, checked against a reference model of
//! the AWS id grammar (prefix, then 8 or 17 lowercase hex digits).
//!
//! Properties: `parse` accepts exactly what the model accepts; an accepted id displays as the
//! input, writes the same bytes with `write_to` and parses back to itself; a rejected one gives
//! the model's error (same variant and fields) with a code in the 1500s and a message.

#![no_main]

use fleetcore::Error as _;
use fleetcore::id::IdError;
use fleetcore::id::{self, Id, IdKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Lossy, so that every input exercises the parser (invalid UTF-8 becomes U+FFFD).
    let text = String::from_utf8_lossy(data);
    check::<id::Instance>(&text);
    check::<id::Image>(&text);
    check::<id::Template>(&text);
    check::<id::Eni>(&text);
    check::<id::SecurityGroup>(&text);
});

fn check<K: IdKind>(text: &str) {
    match (Id::<K>::parse(text), model::<K>(text)) {
        (Ok(id), Ok(())) => {
            assert_eq!(id.to_string(), text, "display must give the input back");
            assert_eq!(id.text_len(), text.len());
            assert_eq!(
                text.parse::<Id<K>>(),
                Ok(id),
                "FromStr must agree with parse"
            );
            assert_eq!(Id::<K>::parse(&id.to_string()), Ok(id), "round trip");
            let mut buf = [0u8; 32];
            let n = id.write_to(&mut buf).expect("32 bytes hold any id");
            assert_eq!(buf.get(..n), Some(text.as_bytes()));
            let mut short = [0u8; 8];
            assert_eq!(
                id.write_to(&mut short),
                Err(IdError::BufferTooSmall { needed: text.len() })
            );
        }
        (Err(got), Err(want)) => {
            assert_eq!(got, want, "error for {text:?}");
            assert!(
                (1500..1600).contains(&got.code()),
                "code {} for {got:?}",
                got.code()
            );
            assert!(!got.to_string().is_empty());
        }
        (got, want) => panic!(
            "{text:?} ({}): parse gave {got:?}, the model {want:?}",
            K::PREFIX
        ),
    }
}

/// The id grammar, written independently of the core: prefix, then 8 or 17 of `[0-9a-f]`.
fn model<K: IdKind>(text: &str) -> Result<(), IdError> {
    let Some(rest) = text.strip_prefix(K::PREFIX) else {
        return Err(IdError::WrongPrefix {
            expected: K::PREFIX,
        });
    };
    if rest.len() != 8 && rest.len() != 17 {
        return Err(IdError::BadLength { len: rest.len() });
    }
    match rest
        .bytes()
        .position(|b| !matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        Some(i) => Err(IdError::NotHex {
            position: K::PREFIX.len() + i,
        }),
        None => Ok(()),
    }
}
