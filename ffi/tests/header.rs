//! The committed header `include/fleetcore.h` must be exactly what cbindgen generates from the
//! source today. Run with `FLEETCORE_BLESS=1` to rewrite it after changing the C ABI.

use std::ffi::CStr;
use std::path::Path;

fn generate() -> String {
    let crate_dir = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(Path::new(crate_dir).join("cbindgen.toml"))
        .expect("cbindgen.toml parses");
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("the header is UTF-8")
}

#[test]
fn committed_header_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/fleetcore.h");
    let fresh = generate();
    if std::env::var_os("FLEETCORE_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).expect("write include/fleetcore.h");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != fresh {
        let line = committed
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(fresh.lines().count()));
        panic!(
            "{} is stale (first difference at line {}); regenerate it with\n  \
             FLEETCORE_BLESS=1 cargo test -p fleetcore-ffi --test header",
            path.display(),
            line + 1
        );
    }
}

/// The `FC_STATUS_*` values the header declares are exactly the codes `fc_status_str` has a
/// message for, so the list behind `fc_status_str` cannot miss or invent a variant.
#[test]
fn every_status_in_the_header_has_a_message() {
    let header = generate();
    let mut declared = Vec::new();
    for line in header.lines() {
        let Some(rest) = line.trim().strip_prefix("FC_STATUS_") else {
            continue;
        };
        let Some((name, value)) = rest.split_once(" = ") else {
            continue;
        };
        let value: u32 = value
            .trim_end_matches(',')
            .parse()
            .expect("a numeric status");
        assert_ne!(message(value), "unknown status", "FC_STATUS_{name}");
        declared.push(value);
    }
    let known: Vec<u32> = (0..10_000)
        .filter(|&c| message(c) != "unknown status")
        .collect();
    declared.sort_unstable();
    assert_eq!(declared, known);
}

fn message(code: u32) -> &'static str {
    // SAFETY: fc_status_str never returns NULL, only static C strings.
    let text = unsafe { CStr::from_ptr(fleetcore_ffi::fc_status_str(code)) };
    text.to_str().expect("messages are UTF-8")
}
