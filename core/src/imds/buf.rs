//! Writing text into a caller's byte buffer without allocating.

use core::fmt;

use super::ImdsError;

/// A `fmt::Write` sink over a caller's bytes that keeps counting past the end, so a short buffer
/// reports how many bytes the whole answer needs instead of a bare failure.
pub(crate) struct ByteWriter<'b> {
    buf: &'b mut [u8],
    /// Bytes written or, past the end, that would have been written.
    len: usize,
}

impl<'b> ByteWriter<'b> {
    pub(crate) fn new(buf: &'b mut [u8]) -> Self {
        Self { buf, len: 0 }
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        if let Some(dst) = self.buf.get_mut(self.len..) {
            let n = dst.len().min(b.len());
            if let (Some(d), Some(s)) = (dst.get_mut(..n), b.get(..n)) {
                d.copy_from_slice(s);
            }
        }
        self.len = self.len.saturating_add(b.len());
    }

    /// The length written.
    ///
    /// # Errors
    /// [`ImdsError::BufferTooSmall`] with the length the whole text needs.
    pub(crate) fn finish(self) -> Result<usize, ImdsError> {
        if self.len > self.buf.len() {
            Err(ImdsError::BufferTooSmall { needed: self.len })
        } else {
            Ok(self.len)
        }
    }
}

impl fmt::Write for ByteWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

/// A JSON string literal (quotes and escapes included) for text the caller supplied.
pub(crate) struct JsonStr<'a>(pub(crate) &'a str);

impl fmt::Display for JsonStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        let mut rest = self.0;
        while let Some(i) = rest.find(|c: char| c == '"' || c == '\\' || c < ' ') {
            let (plain, tail) = rest.split_at(i);
            f.write_str(plain)?;
            let mut chars = tail.chars();
            match chars.next() {
                Some('"') => f.write_str("\\\"")?,
                Some('\\') => f.write_str("\\\\")?,
                Some('\n') => f.write_str("\\n")?,
                Some('\r') => f.write_str("\\r")?,
                Some('\t') => f.write_str("\\t")?,
                Some(c) => write!(f, "\\u{:04x}", u32::from(c))?,
                None => {}
            }
            rest = chars.as_str();
        }
        f.write_str(rest)?;
        f.write_str("\"")
    }
}
