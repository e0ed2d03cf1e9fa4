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

/// Every `FC_STATUS_*` constant the header declares is a status `fc_status_message` has text
/// for: the boundary's own, or a code the core produces.
#[test]
fn every_status_in_the_header_has_a_message() {
    let header = generate();
    let mut declared = 0;
    for line in header.lines() {
        let Some(rest) = line.trim().strip_prefix("#define FC_STATUS_") else {
            continue;
        };
        let Some((name, value)) = rest.split_once(' ') else {
            continue;
        };
        if name == "MESSAGE_SIZE" {
            continue;
        }
        let value: u32 = value.parse().expect("a numeric status");
        assert!(message(value).is_some(), "FC_STATUS_{name}");
        declared += 1;
    }
    assert!(declared > 20, "{declared}");
    assert_eq!(message(1210), None);
}

fn message(code: u32) -> Option<String> {
    let mut buf = [0 as std::ffi::c_char; fleetcore_ffi::FC_STATUS_MESSAGE_SIZE];
    let mut n = 0;
    // SAFETY: `buf` and `n` are live locals of the sizes passed.
    let status =
        unsafe { fleetcore_ffi::fc_status_message(code, buf.as_mut_ptr(), buf.len(), &raw mut n) };
    (status.code() == fleetcore_ffi::FC_STATUS_OK).then(|| {
        // SAFETY: on success the buffer holds NUL-terminated text.
        let text = unsafe { CStr::from_ptr(buf.as_ptr()) };
        text.to_str().expect("messages are UTF-8").to_owned()
    })
}
