//! The first pass: a small JSON tokenizer that checks the syntax of the whole document with
//! byte positions, and finds the byte position and printable path of a place in a document that
//! passed it (the second pass, serde-json-core, keeps neither).

use super::{Location, MAX_DEPTH, PATH_MAX, Path};
use crate::config::ConfigError;

/// One step of a path into a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seg {
    /// The key of the object's `n`-th member (counted from 0, in document order).
    Key(u16),
    /// The value of the object's `n`-th member.
    Value(u16),
    /// The value of the member with this key.
    Field(&'static str),
    /// The `n`-th element of an array.
    Index(u16),
}

fn at(b: &[u8], i: usize) -> Option<u8> {
    b.get(i).copied()
}

fn next(i: usize) -> usize {
    i.saturating_add(1)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(at(b, i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i = next(i);
    }
    i
}

type Fail = (ConfigError, usize);

fn syntax(expected: &'static str, at: usize) -> Fail {
    (ConfigError::Syntax { expected }, at)
}

/// The characters of a JSON string's text between its quotes (`raw`, which the first pass
/// checked), escapes undone: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`,
/// and a surrogate pair `\uD83D\uDE00` as the one character it encodes (RFC 8259 §7). A lone
/// surrogate encodes no character: it ends the text with an error at its byte (relative to
/// `raw`), as does any other bad escape.
pub(super) struct Unescape<'a> {
    raw: &'a [u8],
    at: usize,
}

impl<'a> Unescape<'a> {
    pub(super) const fn new(raw: &'a [u8]) -> Self {
        Self { raw, at: 0 }
    }

    /// The four hex digits at `i`.
    fn hex4(&self, i: usize) -> Result<u32, Fail> {
        let mut v = 0_u32;
        for k in 0..4 {
            let j = i.saturating_add(k);
            let d = match at(self.raw, j) {
                Some(c @ b'0'..=b'9') => c.saturating_sub(b'0'),
                Some(c @ b'a'..=b'f') => c.saturating_sub(b'a').saturating_add(10),
                Some(c @ b'A'..=b'F') => c.saturating_sub(b'A').saturating_add(10),
                None => return Err((ConfigError::Truncated, self.raw.len())),
                Some(_) => return Err(syntax("four hex digits", j)),
            };
            v = v.saturating_mul(16).saturating_add(u32::from(d));
        }
        Ok(v)
    }

    /// The escape at `self.at` (a backslash): its character and length in bytes.
    fn escape(&self) -> Result<(char, usize), Fail> {
        let i = self.at;
        let simple = match at(self.raw, next(i)) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode(),
            None => return Err((ConfigError::Truncated, self.raw.len())),
            Some(_) => return Err(syntax("an escape such as \\n or \\u00e9", i)),
        };
        Ok((simple, 2))
    }

    /// `\uXXXX` at `self.at`, with the low half that must follow a high surrogate.
    fn unicode(&self) -> Result<(char, usize), Fail> {
        let i = self.at;
        let high = self.hex4(i.saturating_add(2))?;
        if (0xDC00..=0xDFFF).contains(&high) {
            return Err(syntax(
                "a character, not a lone low surrogate (\\udc00-\\udfff)",
                i,
            ));
        }
        if !(0xD800..=0xDBFF).contains(&high) {
            let c = char::from_u32(high).ok_or(syntax("a character", i))?;
            return Ok((c, 6));
        }
        let j = i.saturating_add(6);
        let lone = syntax(
            "a low surrogate (\\udc00-\\udfff) right after a high surrogate",
            i,
        );
        if (at(self.raw, j), at(self.raw, next(j))) != (Some(b'\\'), Some(b'u')) {
            return Err(lone);
        }
        let low = self.hex4(j.saturating_add(2))?;
        if !(0xDC00..=0xDFFF).contains(&low) {
            return Err(lone);
        }
        let code = high
            .saturating_sub(0xD800)
            .saturating_mul(0x400)
            .saturating_add(low.saturating_sub(0xDC00))
            .saturating_add(0x1_0000);
        let c = char::from_u32(code).ok_or(lone)?;
        Ok((c, 12))
    }
}

impl Iterator for Unescape<'_> {
    type Item = Result<char, Fail>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.raw.get(self.at..)?;
        let first = *rest.first()?;
        let step = if first == b'\\' {
            self.escape()
        } else {
            // One UTF-8 character (its length from its first byte; the first pass checked it).
            let len = match first {
                0..=0x7F => 1,
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            match rest.get(..len).and_then(|b| core::str::from_utf8(b).ok()) {
                Some(s) => s
                    .chars()
                    .next()
                    .map(|c| (c, len))
                    .ok_or(syntax("UTF-8 text", self.at)),
                None => Err(syntax("UTF-8 text", self.at)),
            }
        };
        match step {
            Ok((c, len)) => {
                self.at = self.at.saturating_add(len);
                Some(Ok(c))
            }
            Err(e) => {
                self.at = self.raw.len();
                Some(Err(e))
            }
        }
    }
}

/// Whether the raw text of a string (between its quotes) reads as `name` once its escapes are
/// undone: an object's keys are compared this way, so `"polic\u0069es"` is `policies`.
pub(super) fn text_is(raw: &[u8], name: &[u8]) -> bool {
    if !raw.contains(&b'\\') {
        return raw == name;
    }
    let mut rest = name;
    for c in Unescape::new(raw) {
        let Ok(c) = c else { return false };
        let mut buf = [0_u8; 4];
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        match rest.strip_prefix(bytes) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// The end (exclusive) of the string whose opening quote is at `i`: escapes (surrogate pairs
/// included), control characters and UTF-8 are checked.
fn string_end(b: &[u8], i: usize) -> Result<usize, Fail> {
    let start = next(i);
    let mut j = start;
    let mut escaped = false;
    loop {
        match at(b, j) {
            None => return Err((ConfigError::Truncated, j)),
            Some(b'"') => break,
            Some(b'\\') => {
                escaped = true;
                // Skips the escaped byte (a quote or backslash); `Unescape` checks the rest.
                match at(b, next(j)) {
                    None => return Err((ConfigError::Truncated, b.len())),
                    Some(_) => j = j.saturating_add(2),
                }
            }
            Some(c) if c < 0x20 => return Err(syntax("a control character escaped", j)),
            Some(_) => j = next(j),
        }
    }
    let text = b.get(start..j).unwrap_or_default();
    if let Err(e) = core::str::from_utf8(text) {
        return Err(syntax("UTF-8 text", start.saturating_add(e.valid_up_to())));
    }
    if escaped {
        for c in Unescape::new(text) {
            // A truncated escape inside closed quotes is a bad escape at the closing quote.
            c.map_err(|(e, at)| match e {
                ConfigError::Truncated => syntax("four hex digits", start.saturating_add(at)),
                e => (e, start.saturating_add(at)),
            })?;
        }
    }
    Ok(next(j))
}

fn digits(b: &[u8], mut i: usize) -> Result<usize, Fail> {
    match at(b, i) {
        Some(c) if c.is_ascii_digit() => {}
        None => return Err((ConfigError::Truncated, i)),
        Some(_) => return Err(syntax("a digit", i)),
    }
    while at(b, i).is_some_and(|c| c.is_ascii_digit()) {
        i = next(i);
    }
    Ok(i)
}

/// The end of the number starting at `i` (RFC 8259 grammar).
fn number_end(b: &[u8], mut i: usize) -> Result<usize, Fail> {
    if at(b, i) == Some(b'-') {
        i = next(i);
    }
    match at(b, i) {
        Some(b'0') => i = next(i),
        _ => i = digits(b, i)?,
    }
    if at(b, i) == Some(b'.') {
        i = digits(b, next(i))?;
    }
    if matches!(at(b, i), Some(b'e' | b'E')) {
        i = next(i);
        if matches!(at(b, i), Some(b'+' | b'-')) {
            i = next(i);
        }
        i = digits(b, i)?;
    }
    Ok(i)
}

fn literal_end(b: &[u8], i: usize) -> Result<usize, Fail> {
    for word in [&b"true"[..], b"false", b"null"] {
        let end = i.saturating_add(word.len());
        let have = b.get(i..end.min(b.len())).unwrap_or_default();
        if have == word {
            return Ok(end);
        }
        if end > b.len() && !have.is_empty() && word.starts_with(have) {
            return Err((ConfigError::Truncated, b.len()));
        }
    }
    Err(syntax("a value", i))
}

fn scalar_end(b: &[u8], i: usize) -> Result<usize, Fail> {
    match at(b, i) {
        Some(b'"') => string_end(b, i),
        Some(b'-' | b'0'..=b'9') => number_end(b, i),
        Some(b't' | b'f' | b'n') => literal_end(b, i),
        None => Err((ConfigError::Truncated, i)),
        Some(_) => Err(syntax("a value", i)),
    }
}

/// A container being read: an object (with the key span of its current member) or an array.
#[derive(Clone, Copy)]
struct Level {
    object: bool,
    count: u16,
    key: Option<(usize, usize)>,
}

fn render(b: &[u8], stack: &[Level]) -> Path {
    let mut path = Path::new();
    for level in stack {
        if level.object {
            if let Some((s, e)) = level.key {
                push_key(&mut path, b.get(s..e).unwrap_or_default());
            }
        } else {
            push_index(&mut path, level.count);
        }
    }
    path
}

fn push_key(path: &mut Path, raw: &[u8]) {
    let text = core::str::from_utf8(raw).unwrap_or("?");
    if !path.is_empty() {
        let _ = path.push('.');
    }
    let _ = path.push_str(text);
}

fn push_index(path: &mut Path, n: u16) {
    let _ = core::fmt::Write::write_fmt(path, format_args!("[{n}]"));
}

/// Checks that `b` is one JSON value with nothing but whitespace after it, nested at most
/// [`MAX_DEPTH`] deep.
///
/// # Errors
/// The problem and where it is.
pub(super) fn scan(b: &[u8]) -> Result<(), super::LocatedError> {
    let mut stack = heapless::Vec::<Level, MAX_DEPTH>::new();
    scan_with(b, &mut stack)
        .map_err(|(error, offset)| Location::error(b, error, offset, render(b, &stack)))
}

fn scan_with(b: &[u8], stack: &mut heapless::Vec<Level, MAX_DEPTH>) -> Result<(), Fail> {
    let mut i = skip_ws(b, 0);
    // Reading a value at `i`; after it, the loop below finds the separator.
    'value: loop {
        match at(b, i) {
            Some(open @ (b'{' | b'[')) => {
                let object = open == b'{';
                stack
                    .push(Level {
                        object,
                        count: 0,
                        key: None,
                    })
                    .map_err(|_| (ConfigError::TooDeep { max: MAX_DEPTH }, i))?;
                i = skip_ws(b, next(i));
                let close = if object { b'}' } else { b']' };
                if at(b, i) == Some(close) {
                    stack.pop();
                    i = next(i);
                } else if object {
                    i = key(b, i, stack)?;
                    continue 'value;
                } else {
                    continue 'value;
                }
            }
            _ => i = scalar_end(b, i)?,
        }
        // After a value: a separator, a closing bracket, or the end of the document.
        loop {
            i = skip_ws(b, i);
            let Some(top) = stack.last_mut() else {
                return match at(b, i) {
                    None => Ok(()),
                    Some(_) => Err((ConfigError::TrailingCharacters, i)),
                };
            };
            let (close, expected) = if top.object {
                (b'}', "',' or '}'")
            } else {
                (b']', "',' or ']'")
            };
            match at(b, i) {
                Some(b',') => {
                    top.count = top.count.saturating_add(1);
                    top.key = None;
                    i = skip_ws(b, next(i));
                    if top.object {
                        i = key(b, i, stack)?;
                    }
                    continue 'value;
                }
                Some(c) if c == close => {
                    stack.pop();
                    i = next(i);
                }
                None => return Err((ConfigError::Truncated, i)),
                Some(_) => return Err(syntax(expected, i)),
            }
        }
    }
}

/// Reads `"key" :` at `i` into the top level; returns where the value starts.
fn key(b: &[u8], i: usize, stack: &mut heapless::Vec<Level, MAX_DEPTH>) -> Result<usize, Fail> {
    match at(b, i) {
        Some(b'"') => {}
        None => return Err((ConfigError::Truncated, i)),
        Some(_) => return Err(syntax("a field name in double quotes", i)),
    }
    let end = string_end(b, i)?;
    if let Some(top) = stack.last_mut() {
        top.key = Some((next(i), end.saturating_sub(1)));
    }
    let colon = skip_ws(b, end);
    match at(b, colon) {
        Some(b':') => Ok(skip_ws(b, next(colon))),
        None => Err((ConfigError::Truncated, colon)),
        Some(_) => Err(syntax("':'", colon)),
    }
}

/// The end of the (valid) value at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    if !matches!(at(b, i), Some(b'{' | b'[')) {
        return scalar_end(b, i).ok();
    }
    let mut depth = 0_usize;
    let mut j = i;
    loop {
        match at(b, j)? {
            b'{' | b'[' => depth = next(depth),
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(next(j));
                }
            }
            b'"' => {
                j = string_end(b, j).ok()?;
                continue;
            }
            _ => {}
        }
        j = next(j);
    }
}

/// The object member at `obj` that `pick(index, key)` selects: (key start, key end, value start).
fn member(
    b: &[u8],
    obj: usize,
    pick: impl Fn(u16, &[u8]) -> bool,
) -> Option<(usize, usize, usize)> {
    if at(b, obj) != Some(b'{') {
        return None;
    }
    let mut i = skip_ws(b, next(obj));
    let mut n = 0_u16;
    loop {
        if at(b, i) != Some(b'"') {
            return None;
        }
        let end = string_end(b, i).ok()?;
        let raw = b.get(next(i)..end.saturating_sub(1))?;
        let colon = skip_ws(b, end);
        let value = skip_ws(b, next(colon));
        if pick(n, raw) {
            return Some((i, end, value));
        }
        i = skip_ws(b, skip_value(b, value)?);
        if at(b, i) != Some(b',') {
            return None;
        }
        i = skip_ws(b, next(i));
        n = n.saturating_add(1);
    }
}

fn element(b: &[u8], arr: usize, n: u16) -> Option<usize> {
    if at(b, arr) != Some(b'[') {
        return None;
    }
    let mut i = skip_ws(b, next(arr));
    for _ in 0..n {
        i = skip_ws(b, skip_value(b, i)?);
        if at(b, i) != Some(b',') {
            return None;
        }
        i = skip_ws(b, next(i));
    }
    (at(b, i) != Some(b']')).then_some(i)
}

/// Where `segs` leads in a document that passed [`scan`]: the byte offset and printable path of
/// the deepest place that exists (a missing field reports its object).
pub(super) fn locate(b: &[u8], segs: &[Seg]) -> (usize, Path) {
    let mut i = skip_ws(b, 0);
    let mut path = Path::new();
    for seg in segs {
        match *seg {
            Seg::Index(n) => match element(b, i, n) {
                Some(e) => {
                    push_index(&mut path, n);
                    i = e;
                }
                None => break,
            },
            Seg::Key(k) | Seg::Value(k) => match member(b, i, |n, _| n == k) {
                Some((ks, ke, v)) => {
                    push_key(
                        &mut path,
                        b.get(next(ks)..ke.saturating_sub(1)).unwrap_or_default(),
                    );
                    i = if matches!(seg, Seg::Key(_)) { ks } else { v };
                }
                None => break,
            },
            Seg::Field(name) => match member(b, i, |_, raw| text_is(raw, name.as_bytes())) {
                Some((_, _, v)) => {
                    push_key(&mut path, name.as_bytes());
                    i = v;
                }
                None => break,
            },
        }
    }
    (i, path)
}

/// Line and column (1-based; the column counts bytes) of byte `offset`.
pub(super) fn line_col(b: &[u8], offset: usize) -> (u32, u32) {
    let before = b.get(..offset.min(b.len())).unwrap_or_default();
    #[allow(clippy::naive_bytecount)] // once per error; no dependency for it
    let line = before.iter().filter(|&&c| c == b'\n').count();
    let line_start = before.iter().rposition(|&c| c == b'\n').map_or(0, next);
    let column = offset.saturating_sub(line_start);
    (
        u32::try_from(line).unwrap_or(u32::MAX).saturating_add(1),
        u32::try_from(column).unwrap_or(u32::MAX).saturating_add(1),
    )
}

// The longest path we render; longer ones are cut.
const _: () = assert!(PATH_MAX >= 32);

/// A member of an object or an element of an array in a document that passed [`scan`]: its
/// raw key text (objects) and the byte span of its value.
#[derive(Debug, Clone, Copy)]
pub(super) struct Item<'a> {
    /// The key as written (escapes not undone): compare it with [`Item::key_is`].
    pub(super) key: &'a [u8],
    pub(super) value: (usize, usize),
}

impl Item<'_> {
    /// Whether the key reads as `name` (escapes undone).
    pub(super) fn key_is(&self, name: &str) -> bool {
        text_is(self.key, name.as_bytes())
    }
}

/// The members of the object (or elements of the array) at `i`, in order, into `f`; `None`
/// when there is no object (array) at `i`. Stops early when `f` returns an error.
pub(super) fn items<'a, E>(
    b: &'a [u8],
    i: usize,
    object: bool,
    mut each: impl FnMut(u16, Item<'a>) -> Result<(), E>,
) -> Option<Result<(), E>> {
    let (open, close) = if object { (b'{', b'}') } else { (b'[', b']') };
    let start = skip_ws(b, i);
    if at(b, start) != Some(open) {
        return None;
    }
    let mut j = skip_ws(b, next(start));
    let mut n = 0_u16;
    if at(b, j) == Some(close) {
        return Some(Ok(()));
    }
    loop {
        let (key, value) = if object {
            let end = string_end(b, j).ok()?;
            let key = b.get(next(j)..end.saturating_sub(1))?;
            let colon = skip_ws(b, end);
            (key, skip_ws(b, next(colon)))
        } else {
            (&b""[..], j)
        };
        let value_end = skip_value(b, value)?;
        if let Err(e) = each(
            n,
            Item {
                key,
                value: (value, value_end),
            },
        ) {
            return Some(Err(e));
        }
        j = skip_ws(b, value_end);
        match at(b, j) {
            Some(b',') => j = skip_ws(b, next(j)),
            _ => return Some(Ok(())),
        }
        n = n.saturating_add(1);
    }
}
