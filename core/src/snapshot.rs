//! Power-safe snapshots: a versioned, checksummed frame around a postcard encoding of a state.
//!
//! ```text
//! offset  size  field
//! 0       4     magic "FLTC"
//! 4       2     format version (little endian): [`FORMAT_VERSION`]; other versions are refused
//! 6       1     kind (1 = Auto Scaling group)
//! 7       1     reserved, 0
//! 8       4     capacity N of the encoded object (little endian)
//! 12      4     second capacity (history length H for a group)
//! 16      4     payload length P (little endian)
//! 20      P     payload: the state in postcard encoding
//! 20+P    4     CRC-32/ISO-HDLC of bytes 0..20+P (little endian)
//! ```
//!
//! **A snapshot may sit at the start of a larger buffer.** A controller keeps its snapshot in a
//! flash sector or an EEPROM page larger than the frame, and reads the whole sector back; so
//! the frame carries its own length and decoding reads only that: `HEADER_LEN + P +
//! TRAILER_LEN` bytes, `P` from bytes 16..20. Whatever follows the trailer (erased flash,
//! `0xFF`, or an older, longer snapshot) is not read and does not make a restore fail; the
//! checksum covers every byte the frame claims. A caller that must know where the frame ends
//! reads `P` the same way (or keeps the length [`crate::group::Group::snapshot`] returned).
//! Bytes missing from the frame are [`SnapshotError::Truncated`]. Every restore path (Rust's
//! `Group::restore` and `Group::restore_into`, `fc_group_restore` in C, `Group.restore` in
//! Python) follows this rule (issue 19, item 4; `core/tests/snapshot_frame.rs`).
//!
//! Decoding checks the frame before it reads the payload and checks the decoded state's own
//! invariants after, so truncated, corrupted or foreign bytes give a [`SnapshotError`] and never
//! an object that differs from the one encoded. postcard is a well-kept `no_std` encoding with
//! a stable wire format; `crc` supplies the checksum table at compile time.

mod error;
pub use error::SnapshotError;

/// The frame's magic bytes.
pub const MAGIC: [u8; 4] = *b"FLTC";
/// The current format version. 2: groups keep their metrics, alarms, policy state, predictive
/// history and each member's newest samples; scheduled actions carry a POSIX time zone. 4: a
/// group's members are 64 bytes, their hook waits, samples and replacements kept beside them
/// by the parts that need them (`group::parts`); the header's `h` also says which parts. 5: a
/// predictive policy's forecaster keeps its track record (issue 20), so that a restored group
/// forecasts as the one that was saved would have. 6: each maturing origin of that record
/// keeps what was published there (the model, the combination or one of the forecasts people
/// use, issue 17) and its raise, instead of whether the combination was. 7: each maturing
/// origin keeps mean 7's level, and the record the spread of the leads of the forecasts
/// people use that it may publish alone (issue 17's test of a lead).
pub const FORMAT_VERSION: u16 = 7;
/// Bytes before the payload.
pub const HEADER_LEN: usize = 20;
/// Bytes after the payload.
pub const TRAILER_LEN: usize = 4;

/// What a snapshot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(u8)]
pub enum Kind {
    /// An Auto Scaling group.
    Group = 1,
}

const CRC: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

/// The capacities recorded in a frame, checked against the decoding type's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    pub kind: Kind,
    pub n: u32,
    pub h: u32,
}

/// Encodes `value` in a frame into `buf`; returns the bytes written.
pub(crate) fn encode<T: serde::Serialize>(
    shape: Shape,
    value: &T,
    buf: &mut [u8],
) -> Result<usize, SnapshotError> {
    let payload_len =
        postcard::experimental::serialized_size(value).map_err(|_| SnapshotError::Encoding)?;
    let needed = HEADER_LEN
        .checked_add(payload_len)
        .and_then(|n| n.checked_add(TRAILER_LEN))
        .ok_or(SnapshotError::Encoding)?;
    let payload_u32 = u32::try_from(payload_len).map_err(|_| SnapshotError::Encoding)?;
    let Some(frame) = buf.get_mut(..needed) else {
        return Err(SnapshotError::BufferTooSmall { needed });
    };
    let (header, rest) = frame.split_at_mut(HEADER_LEN);
    let (payload, trailer) = rest.split_at_mut(payload_len);
    let version = FORMAT_VERSION.to_le_bytes();
    let (n, h, len) = (
        shape.n.to_le_bytes(),
        shape.h.to_le_bytes(),
        payload_u32.to_le_bytes(),
    );
    let kind = [shape.kind as u8, 0];
    let fields = MAGIC.iter().chain(&version).chain(&kind);
    let fields = fields.chain(&n).chain(&h).chain(&len);
    for (dst, src) in header.iter_mut().zip(fields) {
        *dst = *src;
    }
    postcard::to_slice(value, payload).map_err(|_| SnapshotError::Encoding)?;
    let mut digest = CRC.digest();
    digest.update(header);
    digest.update(payload);
    trailer.copy_from_slice(&digest.finalize().to_le_bytes());
    Ok(needed)
}

/// Checks the frame in `bytes` against `shape` and returns the payload.
pub(crate) fn payload(shape: Shape, bytes: &[u8]) -> Result<&[u8], SnapshotError> {
    let header = bytes.get(..HEADER_LEN).ok_or(SnapshotError::Truncated)?;
    let field = |at: usize, len: usize| header.get(at..at.saturating_add(len)).unwrap_or(&[]);
    // Copied by zip, not `copy_from_slice`: its length check is a panic path the firmware's
    // panic-never build refuses (the header's length is checked above, but not provably so).
    let u32_at = |at: usize| {
        let mut b = [0u8; 4];
        for (d, s) in b.iter_mut().zip(field(at, 4)) {
            *d = *s;
        }
        u32::from_le_bytes(b)
    };
    if field(0, 4) != MAGIC {
        return Err(SnapshotError::NotASnapshot);
    }
    let mut v = [0u8; 2];
    for (d, s) in v.iter_mut().zip(field(4, 2)) {
        *d = *s;
    }
    let version = u16::from_le_bytes(v);
    if version != FORMAT_VERSION {
        return Err(SnapshotError::UnsupportedVersion { version });
    }
    let kind = field(6, 1).first().copied().unwrap_or(0);
    if kind != shape.kind as u8 {
        return Err(SnapshotError::WrongKind { kind });
    }
    let payload_len = usize::try_from(u32_at(16)).map_err(|_| SnapshotError::Truncated)?;
    let end = HEADER_LEN
        .checked_add(payload_len)
        .ok_or(SnapshotError::Truncated)?;
    let body = bytes.get(..end).ok_or(SnapshotError::Truncated)?;
    let trailer = bytes
        .get(end..end.saturating_add(TRAILER_LEN))
        .filter(|t| t.len() == TRAILER_LEN)
        .ok_or(SnapshotError::Truncated)?;
    let mut c = [0u8; 4];
    c.copy_from_slice(trailer);
    if CRC.checksum(body) != u32::from_le_bytes(c) {
        return Err(SnapshotError::Checksum);
    }
    let (n, h) = (u32_at(8), u32_at(12));
    if (n, h) != (shape.n, shape.h) {
        return Err(SnapshotError::CapacityMismatch {
            stored: n,
            capacity: shape.n,
        });
    }
    body.get(HEADER_LEN..).ok_or(SnapshotError::Truncated)
}

/// Decodes a payload that must be consumed whole.
#[cfg(test)]
pub(crate) fn decode<'a, T: serde::Deserialize<'a>>(payload: &'a [u8]) -> Result<T, SnapshotError> {
    let (value, rest) = postcard::take_from_bytes(payload).map_err(|_| SnapshotError::Malformed)?;
    if rest.is_empty() {
        Ok(value)
    } else {
        Err(SnapshotError::Malformed)
    }
}

/// Rewrites the payload length and checksum of the frame in `frame` (whose payload is the rest
/// of `frame` before four trailer bytes), so tests can feed well-sealed but altered payloads
/// to the decoders.
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
pub(crate) fn reseal(frame: &mut [u8]) {
    let end = frame.len() - TRAILER_LEN;
    let payload_len = u32::try_from(end - HEADER_LEN).unwrap();
    frame[16..20].copy_from_slice(&payload_len.to_le_bytes());
    let crc = CRC.checksum(&frame[..end]);
    frame[end..].copy_from_slice(&crc.to_le_bytes());
}
