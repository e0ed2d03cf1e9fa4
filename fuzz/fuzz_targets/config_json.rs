//! Any bytes through the JSON configuration parser, as every document kind.
//!
//! Properties: parsing never panics; an error has a code in the 1300s, a message, and a
//! location inside the input (offset ≤ length, line and column from 1, matching the offset);
//! a document that decodes serialises, and the output decodes to an equal document; a
//! document that passes `from_slice` still passes after the round trip.

#![no_main]

use fleetcore::Error as _;
use fleetcore::config::{
    self, ControllerDoc, Document, GroupDoc, InstanceTypeDoc, LaunchTemplateDoc, PolicyDoc,
    ScheduledActionDoc, SecurityGroupDoc,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check::<ControllerDoc>(data);
    check::<GroupDoc>(data);
    check::<PolicyDoc>(data);
    check::<ScheduledActionDoc>(data);
    check::<SecurityGroupDoc>(data);
    check::<LaunchTemplateDoc>(data);
    check::<InstanceTypeDoc>(data);
});

fn check<D: Document + PartialEq + core::fmt::Debug>(data: &[u8]) {
    match config::decode::<D>(data) {
        Ok(doc) => {
            // The read limit covers the writer's largest output.
            let mut buf = vec![0_u8; config::MAX_DOCUMENT];
            let n = config::to_slice(&doc, &mut buf).expect("a decoded document serialises");
            let again: D = config::decode(&buf[..n]).expect("own output decodes");
            assert_eq!(again, doc, "round trip");
            let valid = config::from_slice::<D>(data).is_ok();
            assert_eq!(config::from_slice::<D>(&buf[..n]).is_ok(), valid);
        }
        Err(e) => {
            let code = e.error.code();
            assert!((1300..1400).contains(&code), "code {code}");
            assert!(!e.to_string().is_empty());
            let l = &e.location;
            assert!(l.offset <= data.len().max(config::MAX_DOCUMENT));
            assert!(l.line >= 1 && l.column >= 1);
            if l.offset <= data.len() {
                let before = &data[..l.offset];
                let lines = before.iter().filter(|&&c| c == b'\n').count() + 1;
                assert_eq!(l.line as usize, lines);
            }
        }
    }
}
