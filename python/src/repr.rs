//! Python-style text for `__repr__`: strings quoted as `repr()` quotes them, so a repr reads
//! like the Python call that makes the value.

use core::fmt::Write as _;

/// `repr(text)` for a `str`: single quotes unless the text holds `'` and no `"`.
pub fn q(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len().saturating_add(2));
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr()` of an optional `str`: `None` or the quoted text.
pub fn q_opt(text: Option<&str>) -> String {
    text.map_or_else(|| "None".to_owned(), q)
}

/// `repr()` of a list of `str`.
pub fn q_list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|s| q(s.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

/// `repr()` of a `bool`.
pub const fn b(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_as_python_does() {
        assert_eq!(q("web"), "'web'");
        assert_eq!(q("it's"), "\"it's\"");
        assert_eq!(q("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(q("x\\y\n"), "'x\\\\y\\n'");
        assert_eq!(q("\u{1}"), "'\\x01'");
        assert_eq!(q_opt(None), "None");
        assert_eq!(q_list(&["a", "b"]), "['a', 'b']");
    }
}
