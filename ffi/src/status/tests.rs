use super::*;

fn text(status: u32) -> Result<String, fc_status> {
    let mut buf = [0u8; FC_STATUS_MESSAGE_SIZE];
    let mut n = usize::MAX;
    // SAFETY: `buf` and `n` are live locals of the sizes passed.
    let s = unsafe { fc_status_message(status, buf.as_mut_ptr().cast(), buf.len(), &raw mut n) };
    if s != fc_status::Ok {
        return Err(s);
    }
    let bytes = buf[..n].to_vec();
    assert_eq!(buf[n], 0);
    Ok(String::from_utf8(bytes).unwrap())
}

fn core_codes() -> Vec<(u32, String)> {
    let mut all = Vec::new();
    each_core_error(|e| {
        all.push((e.code(), format!("{e:?}")));
        false
    });
    all
}

#[test]
fn every_core_code_is_distinct_and_has_the_cores_text() {
    let all = core_codes();
    assert!(all.len() > 180, "{}", all.len());
    for (i, (code, what)) in all.iter().enumerate() {
        assert!(*code >= 1000, "{what}");
        assert!(
            all.iter().skip(i + 1).all(|(c, _)| c != code),
            "{what}: code {code} twice"
        );
        let t = text(*code).unwrap();
        assert!(!t.is_empty() && t.len() < FC_STATUS_MESSAGE_SIZE, "{what}");
    }
}

#[test]
fn a_core_error_converts_to_its_code() {
    assert_eq!(fc_status::from(GroupError::InCooldown).code(), 1104);
    assert_eq!(
        fc_status::from(ConfigError::Group(GroupError::InvalidZones)).code(),
        FC_STATUS_CONFIG_GROUP
    );
    assert_eq!(text(1104).unwrap(), GroupError::InCooldown.to_string());
}

/// Each named core status is documented as the core variant it is, and is that variant's code.
#[test]
fn named_statuses_are_the_variants_their_docs_name() {
    let src = include_str!("../status.rs");
    let all = core_codes();
    let mut checked = 0;
    let mut lines = src.lines();
    while let Some(line) = lines.next() {
        let Some(variant) = line
            .strip_prefix("/// `")
            .and_then(|l| l.strip_suffix("`."))
        else {
            continue;
        };
        let Some(next) = lines.next() else { break };
        let Some((_, value)) = next
            .trim_start_matches("pub ")
            .strip_prefix("const FC_STATUS_")
            .and_then(|l| l.strip_suffix(';'))
            .and_then(|l| l.split_once(": u32 = "))
        else {
            continue;
        };
        let value: u32 = value.parse().unwrap();
        let (domain, name) = variant.split_once("::").unwrap();
        let sample = all
            .iter()
            .find(|(c, _)| *c == value)
            .unwrap_or_else(|| panic!("{variant}: no core error has code {value}"));
        assert!(
            sample.1.starts_with(name)
                && (sample.1.len() == name.len()
                    || matches!(sample.1.as_bytes()[name.len()], b' ' | b'(' | b'{')),
            "{variant} = {value}, but that code is {}",
            sample.1
        );
        let _ = domain;
        checked += 1;
    }
    assert!(checked > 30, "{checked}");
}

#[test]
fn abi_codes_are_pinned() {
    let codes: Vec<u32> = ABI_MESSAGES.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, (0..12).collect::<Vec<u32>>());
    assert_eq!(fc_status::Ok.code(), 0);
    assert_eq!(fc_status::NullArgument.code(), 1);
    assert_eq!(fc_status::InvalidArgument.code(), 11);
}

#[test]
fn message_is_checked_and_written_only_on_success() {
    assert_eq!(text(0).unwrap(), "ok");
    assert_eq!(text(1).unwrap(), "a pointer argument is null");
    assert_eq!(text(99), Err(fc_status::InvalidEnumValue));
    assert_eq!(text(1210), Err(fc_status::InvalidEnumValue));
    assert_eq!(text(u32::MAX), Err(fc_status::InvalidEnumValue));
    let mut buf = [b'x'; 4];
    let mut n = 7;
    // SAFETY: `buf` and `n` are live locals of the sizes passed; NULL is refused.
    unsafe {
        assert_eq!(
            fc_status_message(1104, buf.as_mut_ptr().cast(), buf.len(), &raw mut n),
            fc_status::BufferTooSmall
        );
        assert_eq!(
            fc_status_message(0, core::ptr::null_mut(), 4, &raw mut n),
            fc_status::NullArgument
        );
        assert_eq!(
            fc_status_message(0, buf.as_mut_ptr().cast(), 4, core::ptr::null_mut()),
            fc_status::NullArgument
        );
    }
    assert_eq!(n, 7);
    assert_eq!(buf, *b"xxxx");
}
