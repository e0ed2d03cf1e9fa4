//! Rust-side checks of the IMDS C ABI: sizes, a token round trip, and outputs left alone on
//! error. The C suite (`tests/c/test_imds.c`) covers every function and status.

use core::mem::MaybeUninit;

use super::*;

const SECRET: [u8; 32] = [9; 32];
const NOW: u64 = 1_700_000_000_000;
const PUT: &[u8] =
    b"PUT /latest/api/token HTTP/1.1\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n";

/// Heap storage for an `fc_imds`, used only through raw pointers.
struct Storage(Box<MaybeUninit<fc_imds>>);

impl Storage {
    fn new(instance_id: &'static core::ffi::CStr) -> Self {
        let mut options = MaybeUninit::<fc_imds_options>::uninit();
        // SAFETY: a valid out-pointer.
        let s = unsafe { fc_imds_options_default(options.as_mut_ptr()) };
        assert_eq!(s, fc_status::Ok);
        let mut mem = Self(Box::new_uninit());
        // SAFETY: writable storage; options written above; `SECRET` has 32 bytes.
        let s = unsafe { fc_imds_init(mem.0.as_mut_ptr(), options.as_ptr(), SECRET.as_ptr()) };
        assert_eq!(s, fc_status::Ok);
        // SAFETY: every field of `fc_imds_metadata` is a pointer, integer or bool, for which all
        // zero bits are valid (NULL, 0, false).
        let mut md: fc_imds_metadata = unsafe { core::mem::zeroed() };
        md.instance_id = instance_id.as_ptr();
        // SAFETY: initialised storage; the metadata's one string is static.
        let s = unsafe { fc_imds_set_metadata(mem.0.as_mut_ptr(), &raw const md) };
        assert_eq!(s, fc_status::Ok);
        mem
    }

    fn serve(&mut self, req: &[u8], hops: u8, out: &mut [u8]) -> (fc_status, fc_imds_served) {
        let mut served = fc_imds_served {
            kind: 0,
            consumed: 0,
            len: 0,
            http_status: 0,
            ip_ttl: 0,
            close: false,
        };
        // SAFETY: initialised storage; valid pointers and lengths that do not overlap.
        let s = unsafe {
            fc_imds_serve(
                self.0.as_mut_ptr(),
                NOW,
                req.as_ptr(),
                req.len(),
                hops,
                out.as_mut_ptr(),
                out.len(),
                &raw mut served,
            )
        };
        (s, served)
    }

    fn issued(&self) -> u64 {
        let mut n = u64::MAX;
        // SAFETY: initialised storage and a valid out-pointer.
        let s = unsafe { fc_imds_tokens_issued(self.0.as_ptr(), &raw mut n) };
        assert_eq!(s, fc_status::Ok);
        n
    }
}

#[test]
fn sizes() {
    println!(
        "ImdsCell: {} bytes of FC_IMDS_SIZE {FC_IMDS_SIZE}; Imds: {} bytes",
        size_of::<ImdsCell>(),
        size_of::<Imds>()
    );
    assert!(size_of::<ImdsCell>() <= FC_IMDS_SIZE);
}

#[test]
fn a_token_from_put_opens_get() {
    let mut imds = Storage::new(c"i-0123456789abcdef0");
    let mut out = [0u8; 1024];
    let (s, r) = imds.serve(PUT, 1, &mut out);
    assert_eq!((s, r.http_status, r.ip_ttl), (fc_status::Ok, 200, 1));
    let text = core::str::from_utf8(&out[..r.len]).unwrap();
    let token = text.rsplit("\r\n").next().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    let get = format!(
        "GET /latest/meta-data/instance-id HTTP/1.1\r\nX-aws-ec2-metadata-token: {token}\r\n\r\n"
    );
    let (s, r) = imds.serve(get.as_bytes(), 1, &mut out);
    assert_eq!((s, r.http_status), (fc_status::Ok, 200));
    let text = core::str::from_utf8(&out[..r.len]).unwrap();
    assert!(text.ends_with("\r\n\r\ni-0123456789abcdef0"), "{text}");
    assert_eq!(imds.issued(), 1);
}

#[test]
fn a_short_buffer_or_incomplete_request_writes_nothing() {
    let mut imds = Storage::new(c"i-0123456789abcdef0");
    let mut out = [0xAAu8; 100];
    let (s, r) = imds.serve(PUT, 1, &mut out);
    assert_eq!((s, r.kind), (fc_status::BufferTooSmall, 0));
    assert!(out.iter().all(|&b| b == 0xAA));
    let (s, r) = imds.serve(b"GET /latest/meta-data/ HT", 1, &mut out);
    assert_eq!((s, r.kind), (fc_status::ImdsIncomplete, 0));
    assert!(out.iter().all(|&b| b == 0xAA));
    assert_eq!(imds.issued(), 0, "no token was issued by the failed calls");
}
