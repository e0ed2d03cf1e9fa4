//! Resource identifiers in the AWS form: `i-0123456789abcdef0`, `ami-…`, `lt-…`, `eni-…`, `sg-…`.
//!
//! An id is a prefix plus 8 or 17 lowercase hex digits (EC2 moved from 8 to 17 digits in 2016 and
//! still accepts both). Ids are fixed-size `Copy` values, so they live in `heapless` storage
//! without allocation. The core never draws randomness: [`IdGenerator`] derives ids from a seed
//! and a counter through a bijective mix, so one seed always gives the same ids in the same order,
//! on every target, and never the same id twice.
//!
//! Where we differ: EC2 treats ids case-insensitively in a few APIs; we accept lowercase only so
//! that an id has exactly one spelling (and one snapshot encoding).

mod error;
pub use error::IdError;

use core::fmt;
use core::marker::PhantomData;
use core::str::FromStr;

/// The kind of resource an id names; fixes its prefix.
pub trait IdKind: Copy + Eq + Ord + core::hash::Hash + fmt::Debug {
    /// The AWS prefix including the dash, such as `"i-"`.
    const PREFIX: &'static str;
}

macro_rules! id_kinds {
    ($($(#[$doc:meta])* $kind:ident => $prefix:literal, $alias:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        pub enum $kind {}
        impl IdKind for $kind {
            const PREFIX: &'static str = $prefix;
        }
        #[doc = concat!("An id of the form `", $prefix, "0123456789abcdef0`.")]
        pub type $alias = Id<$kind>;
    )*};
}

id_kinds! {
    /// EC2 instances (`i-`).
    Instance => "i-", InstanceId;
    /// Amazon Machine Images (`ami-`).
    Image => "ami-", ImageId;
    /// Launch templates (`lt-`).
    Template => "lt-", TemplateId;
    /// Elastic network interfaces (`eni-`).
    Eni => "eni-", EniId;
    /// Security groups (`sg-`).
    SecurityGroup => "sg-", SecurityGroupId;
}

/// Number of hex digits in a current-format id.
pub const LONG_DIGITS: usize = 17;
/// Number of hex digits in a legacy id (before 2016).
pub const SHORT_DIGITS: usize = 8;

const LONG_LEN: u8 = 17;
const SHORT_LEN: u8 = 8;
const HEX: &[u8; 16] = b"0123456789abcdef";

/// A resource id: the kind's prefix and 8 or 17 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id<K: IdKind> {
    // ASCII hex digits; only the first `len` are meaningful, the rest are b'0'.
    digits: [u8; LONG_DIGITS],
    len: u8,
    kind: PhantomData<K>,
}

impl<K: IdKind> Id<K> {
    /// The id whose 17 digits are `0` followed by the 16 hex digits of `value`.
    ///
    /// This is the form [`IdGenerator`] produces; it is also handy for fixed ids in tests and
    /// firmware, since it cannot fail.
    pub fn from_u64(value: u64) -> Self {
        let mut digits = [b'0'; LONG_DIGITS];
        let mut v = value;
        for slot in digits.iter_mut().skip(1) {
            // Most significant nibble first: rotate it into the low four bits.
            v = v.rotate_left(4);
            let nibble = usize::try_from(v & 0xF).unwrap_or(0);
            *slot = HEX.get(nibble).copied().unwrap_or(b'0');
        }
        Self {
            digits,
            len: LONG_LEN,
            kind: PhantomData,
        }
    }

    /// Parses the AWS form, such as `i-0123456789abcdef0` or the legacy `i-12345678`.
    ///
    /// # Errors
    /// [`IdError::WrongPrefix`] if the prefix is not this kind's, [`IdError::BadLength`] unless
    /// there are 8 or 17 digits, [`IdError::NotHex`] at the first character that is not a
    /// lowercase hex digit.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let Some(rest) = s.strip_prefix(K::PREFIX) else {
            return Err(IdError::WrongPrefix {
                expected: K::PREFIX,
            });
        };
        let bytes = rest.as_bytes();
        if bytes.len() != LONG_DIGITS && bytes.len() != SHORT_DIGITS {
            return Err(IdError::BadLength { len: bytes.len() });
        }
        let mut digits = [b'0'; LONG_DIGITS];
        for (position, (slot, &b)) in digits.iter_mut().zip(bytes).enumerate() {
            if !matches!(b, b'0'..=b'9' | b'a'..=b'f') {
                return Err(IdError::NotHex {
                    position: position.saturating_add(K::PREFIX.len()),
                });
            }
            *slot = b;
        }
        let len = if bytes.len() == LONG_DIGITS {
            LONG_LEN
        } else {
            SHORT_LEN
        };
        Ok(Self {
            digits,
            len,
            kind: PhantomData,
        })
    }

    /// The value [`Id::from_u64`] made this id from, or `None` for an id of another form
    /// (8 digits, or 17 digits not starting with `0`).
    pub fn to_u64(&self) -> Option<u64> {
        let digits = self.digits().strip_prefix('0').filter(|d| d.len() == 16)?;
        u64::from_str_radix(digits, 16).ok()
    }

    /// The hex digits after the prefix.
    pub fn digits(&self) -> &str {
        let digits = self.digits.get(..usize::from(self.len)).unwrap_or(&[]);
        // Only ASCII hex digits are ever stored, so this cannot fail; "" keeps it panic-free.
        core::str::from_utf8(digits).unwrap_or("")
    }

    /// The kind's prefix, such as `"i-"`.
    pub const fn prefix(&self) -> &'static str {
        K::PREFIX
    }

    /// The length of the full text form (prefix plus digits).
    pub fn text_len(&self) -> usize {
        K::PREFIX.len().saturating_add(usize::from(self.len))
    }

    /// Writes the text form into `buf` and returns the number of bytes written.
    ///
    /// For callers without a formatter (C, firmware). Nothing is written if `buf` is too short.
    ///
    /// # Errors
    /// [`IdError::BufferTooSmall`] with the length needed.
    pub fn write_to(&self, buf: &mut [u8]) -> Result<usize, IdError> {
        let need = self.text_len();
        let Some(out) = buf.get_mut(..need) else {
            return Err(IdError::BufferTooSmall { needed: need });
        };
        for (dst, src) in out
            .iter_mut()
            .zip(K::PREFIX.bytes().chain(self.digits().bytes()))
        {
            *dst = src;
        }
        Ok(need)
    }
}

impl<K: IdKind> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(K::PREFIX)?;
        f.write_str(self.digits())
    }
}

impl<K: IdKind> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl<K: IdKind> FromStr for Id<K> {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        Self::parse(s)
    }
}

/// Serialized as its text form (`"i-0123…"`), so JSON configuration reads naturally; parsed back
/// with the same checks as [`Id::parse`].
impl<K: IdKind> serde::Serialize for Id<K> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 24];
        let n = self.write_to(&mut buf).map_err(serde::ser::Error::custom)?;
        let text = buf
            .get(..n)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("");
        serializer.serialize_str(text)
    }
}

impl<'de, K: IdKind> serde::Deserialize<'de> for Id<K> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<K>(PhantomData<K>);
        impl<K: IdKind> serde::de::Visitor<'_> for Visitor<K> {
            type Value = Id<K>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an id starting with {}", K::PREFIX)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Id<K>, E> {
                Id::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor(PhantomData))
    }
}

#[cfg(feature = "defmt")]
impl<K: IdKind> defmt::Format for Id<K> {
    fn format(&self, f: defmt::Formatter<'_>) {
        // `:a` prints the text bare, so a nested id reads `i-0…` rather than two quoted parts.
        defmt::write!(f, "{=str:a}{=str:a}", K::PREFIX, self.digits());
    }
}

/// Deterministic id source: a seed and a counter.
///
/// Each id is the [SplitMix64] finaliser of `seed + counter`. The finaliser is a bijection on
/// `u64`, so the ids of one generator never repeat until the counter wraps (after 2^64 ids,
/// reported as [`IdError::Exhausted`]), and the same seed replays the same ids on every target.
///
/// [SplitMix64]: https://prng.di.unimi.it/splitmix64.c
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct IdGenerator {
    seed: u64,
    counter: u64,
}

impl IdGenerator {
    /// A generator that starts at counter 0.
    pub const fn new(seed: u64) -> Self {
        Self { seed, counter: 0 }
    }

    /// A generator resumed at a saved counter (see [`IdGenerator::counter`]).
    pub const fn resume(seed: u64, counter: u64) -> Self {
        Self { seed, counter }
    }

    /// The seed this generator was made with.
    pub const fn seed(&self) -> u64 {
        self.seed
    }

    /// How many ids have been handed out; save it with the seed to resume without repeats.
    pub const fn counter(&self) -> u64 {
        self.counter
    }

    /// The next raw value: what [`IdGenerator::next_id`] would turn into an id. The group uses
    /// it for its deterministic tie-breaks.
    ///
    /// # Errors
    /// [`IdError::Exhausted`] after 2^64 - 1 values; the generator is left unchanged.
    pub fn next_u64(&mut self) -> Result<u64, IdError> {
        let next = self.counter.checked_add(1).ok_or(IdError::Exhausted)?;
        let value = mix(self.seed.wrapping_add(self.counter));
        self.counter = next;
        Ok(value)
    }

    /// The next `n` raw values at once, as `n` calls of [`IdGenerator::next_u64`] would give
    /// them: the generator moves past all of them now, and the iterator computes each as it
    /// is read, with no check per value (the simulator's Spot draws, one per running Spot
    /// member per step; issue 20).
    ///
    /// # Errors
    /// [`IdError::Exhausted`] if fewer than `n` values are left (where `next_u64` would fail
    /// part way); the generator is left unchanged.
    pub fn next_u64s(&mut self, n: u64) -> Result<Draws, IdError> {
        let next = self.counter.checked_add(n).ok_or(IdError::Exhausted)?;
        let draws = Draws {
            at: self.seed.wrapping_add(self.counter),
            left: n,
        };
        self.counter = next;
        Ok(draws)
    }

    /// How many draws ahead of the counter `id` would be generated, looking at most `window`
    /// draws ahead; `None` if it is not among them. Lets a restored group recognise instances it
    /// launched after its snapshot.
    pub fn position_ahead<K: IdKind>(&self, id: Id<K>, window: u64) -> Option<u64> {
        // `mix` is a bijection: invert it to the draw that gives `id`, in O(1).
        let draw = unmix(id.to_u64()?).wrapping_sub(self.seed);
        let k = draw.wrapping_sub(self.counter);
        (k < window && self.counter.checked_add(k).is_some()).then_some(k)
    }

    /// Skips `n` draws, as if they had been made.
    ///
    /// # Errors
    /// [`IdError::Exhausted`] if the counter would overflow; the generator is left unchanged.
    pub fn skip(&mut self, n: u64) -> Result<(), IdError> {
        self.counter = self.counter.checked_add(n).ok_or(IdError::Exhausted)?;
        Ok(())
    }

    /// The next id of kind `K`.
    ///
    /// # Errors
    /// [`IdError::Exhausted`] after 2^64 - 1 ids; the generator is left unchanged.
    pub fn next_id<K: IdKind>(&mut self) -> Result<Id<K>, IdError> {
        self.next_u64().map(Id::from_u64)
    }

    /// The raw value [`IdGenerator::next_u64`] gives when the counter is `counter`, whatever
    /// the counter is now (the draws are counter-based).
    pub const fn value_at(&self, counter: u64) -> u64 {
        mix(self.seed.wrapping_add(counter))
    }

    /// The first counter in `from..to` whose value ([`IdGenerator::value_at`]) passes `maybe`,
    /// or `to` if none does (or `from >= to`). `coarse` is asked first, of the value before the
    /// last step of the mix (`z`, where the value is `z ^ (z >> 31)`), and `maybe` only where it
    /// passes: `coarse` must hold wherever `maybe` can, so that it only saves the last step for
    /// the values it rejects. Four values at a time with one branch for the four: with a cheap
    /// `coarse` that rarely holds (the simulator's Spot sieve, issue 20) the search is one
    /// multiply chain and one test a value, with nothing else in the loop.
    #[inline(never)]
    pub fn first_passing(
        &self,
        from: u64,
        to: u64,
        coarse: impl Fn(u64) -> bool,
        maybe: impl Fn(u64) -> bool,
    ) -> u64 {
        // The loop runs on `x = seed + counter + γ` (the mix's first step), one induction
        // value for the four lanes, and tests `coarse` alone: `maybe` and its bound stay out
        // of the registers the loop needs.
        let quads = to.saturating_sub(from) / 4;
        let start = self.seed.wrapping_add(from).wrapping_add(GAMMA);
        let stop = start.wrapping_add(quads.wrapping_mul(4));
        let mut x = start;
        while x != stop {
            let four = [
                premix_from(x),
                premix_from(x.wrapping_add(1)),
                premix_from(x.wrapping_add(2)),
                premix_from(x.wrapping_add(3)),
            ];
            let [z0, z1, z2, z3] = four;
            if coarse(z0) | coarse(z1) | coarse(z2) | coarse(z3)
                && let Some(j) = first_of_four(x, &coarse, &maybe)
            {
                return from.wrapping_add(x.wrapping_sub(start)).wrapping_add(j);
            }
            x = x.wrapping_add(4);
        }
        let mut c = from.wrapping_add(quads.wrapping_mul(4));
        while c < to {
            if maybe(self.value_at(c)) {
                return c;
            }
            c = c.wrapping_add(1);
        }
        to
    }
}

/// Which of the four values from `x` ([`premix_from`] of `x`, `x + 1`, ...) first passes
/// `coarse` and, its last step done, `maybe` ([`IdGenerator::first_passing`]). Out of line and
/// cold, computing the four again: the search's loop then keeps only `coarse`'s figures in its
/// registers and stores nothing.
#[cold]
#[inline(never)]
fn first_of_four(
    x: u64,
    coarse: &impl Fn(u64) -> bool,
    maybe: &impl Fn(u64) -> bool,
) -> Option<u64> {
    (0u64..4).find(|&j| {
        let z = premix_from(x.wrapping_add(j));
        coarse(z) && maybe(z ^ (z >> 31))
    })
}

/// Raw values of an [`IdGenerator`] taken out together ([`IdGenerator::next_u64s`]).
#[derive(Debug, Clone)]
pub struct Draws {
    /// `seed + counter` of the next value.
    at: u64,
    /// Values left.
    left: u64,
}

impl Iterator for Draws {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        self.left = self.left.checked_sub(1)?;
        let value = mix(self.at);
        self.at = self.at.wrapping_add(1);
        Some(value)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.left).unwrap_or(usize::MAX);
        (n, usize::try_from(self.left).ok())
    }
}

/// The `SplitMix64` output function (a bijection on `u64`).
const fn mix(z: u64) -> u64 {
    let z = premix(z);
    z ^ (z >> 31)
}

/// [`mix`] up to its last step (the xor-shift by 31), which [`IdGenerator::first_passing`]
/// leaves out for the values its coarse test rejects.
#[inline]
const fn premix(z: u64) -> u64 {
    premix_from(z.wrapping_add(GAMMA))
}

/// The `SplitMix64` increment, [`mix`]'s first step.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// [`premix`] after its first step (`z` already plus [`GAMMA`]).
#[inline]
const fn premix_from(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB)
}

/// The inverse of [`mix`]: each step of the `SplitMix64` output function undone in reverse
/// order (an xor-shift by `s` is undone by xoring the shifts by `s`, `2s`, ...; each multiplier
/// by its inverse modulo 2^64).
const fn unmix(mut z: u64) -> u64 {
    z ^= (z >> 31) ^ (z >> 62);
    z = z.wrapping_mul(0x3196_42B2_D24D_8EC3);
    z ^= (z >> 27) ^ (z >> 54);
    z = z.wrapping_mul(0x96DE_1B17_3F11_9089);
    z ^= (z >> 30) ^ (z >> 60);
    z.wrapping_sub(GAMMA)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    /// `next_u64s(n)` gives what `n` calls of `next_u64` give and leaves the generator where
    /// they leave it, near the end of the counter too, where it refuses a batch that `next_u64`
    /// could not finish and changes nothing.
    #[test]
    fn a_batch_of_draws_is_the_draws_one_by_one() {
        for (seed, counter) in [(0u64, 0u64), (0x1234, 7), (u64::MAX, 99), (5, u64::MAX - 9)] {
            for n in [0u64, 1, 2, 9, 10, 11, 64] {
                let mut one = IdGenerator::resume(seed, counter);
                let mut batch = one;
                let want: Vec<Option<u64>> = (0..n).map(|_| one.next_u64().ok()).collect();
                match batch.next_u64s(n) {
                    Ok(draws) => {
                        let len = usize::try_from(n).unwrap();
                        assert_eq!(draws.size_hint(), (len, Some(len)));
                        let got: Vec<Option<u64>> = draws.map(Some).collect();
                        assert_eq!(got, want, "seed {seed} counter {counter} n {n}");
                        assert_eq!(batch, one);
                    }
                    Err(e) => {
                        assert_eq!(e, IdError::Exhausted);
                        assert!(want.contains(&None), "seed {seed} counter {counter} n {n}");
                        assert_eq!(batch, IdGenerator::resume(seed, counter));
                    }
                }
            }
        }
    }

    /// `first_passing` finds the first counter a value-by-value search finds, over ranges of
    /// every length mod 4 (the groups of four and the rest), with and without a coarse test
    /// that rejects values before their last step, and near the end of the counter.
    #[test]
    fn first_passing_is_the_first_value_by_value() {
        let g = IdGenerator::new(0xfeed);
        let maybe = |v: u64| v.is_multiple_of(37);
        // A coarse test that holds wherever `maybe` can: `z` gives `v = z ^ (z >> 31)`.
        let coarse = |z: u64| maybe(z ^ (z >> 31));
        for from in [0u64, 1, 5, u64::MAX - 90] {
            for len in 0u64..90 {
                let to = from.saturating_add(len);
                let want = (from..to).find(|&c| maybe(g.value_at(c))).unwrap_or(to);
                assert_eq!(
                    g.first_passing(from, to, coarse, maybe),
                    want,
                    "{from} {len}"
                );
                // A coarse test that passes everything leaves `maybe` to decide.
                assert_eq!(g.first_passing(from, to, |_| true, maybe), want);
            }
        }
        // `to` before `from`: nothing to search.
        assert_eq!(g.first_passing(9, 3, |_| true, |_| true), 3);
    }

    #[test]
    fn unmix_inverts_mix() {
        let mut g = IdGenerator::new(0x1234);
        for x in [0u64, 1, u64::MAX, 0x9E37_79B9_7F4A_7C15, 1 << 63] {
            assert_eq!(unmix(mix(x)), x);
            assert_eq!(mix(unmix(x)), x);
        }
        for _ in 0..10_000 {
            let x = g.next_u64().unwrap();
            assert_eq!(unmix(mix(x)), x);
        }
    }

    #[test]
    fn position_ahead_finds_the_draw_in_constant_time() {
        let mut g = IdGenerator::new(77);
        let ids: std::vec::Vec<InstanceId> = (0..2000).map(|_| g.next_id().unwrap()).collect();
        let start = IdGenerator::new(77);
        for (k, id) in ids.iter().enumerate() {
            let k = k as u64;
            assert_eq!(start.position_ahead(*id, 2000), Some(k));
            assert_eq!(start.position_ahead(*id, k), None);
        }
        // Behind the counter: not ahead.
        assert_eq!(g.position_ahead(ids[0], u64::MAX), None);
        // At the end of the counter's range the window stops at 2^64 - 1.
        let end = IdGenerator::resume(5, u64::MAX - 1);
        let mut probe = end;
        let last: InstanceId = probe.next_id().unwrap();
        assert_eq!(end.position_ahead(last, 10), Some(0));
    }

    #[test]
    fn parse_and_display_round_trip() {
        for text in ["i-0123456789abcdef0", "i-12345678", "i-00000000000000000"] {
            let id: InstanceId = text.parse().unwrap();
            assert_eq!(id.to_string(), text);
        }
        let eni: EniId = "eni-0a1b2c3d4e5f60718".parse().unwrap();
        assert_eq!(eni.to_string(), "eni-0a1b2c3d4e5f60718");
        assert_eq!(eni.digits(), "0a1b2c3d4e5f60718");
        let sg = SecurityGroupId::parse("sg-0123abcd").unwrap();
        assert_eq!(sg.to_string(), "sg-0123abcd");
    }

    #[test]
    fn malformed_ids_are_rejected_with_the_reason() {
        assert_eq!(
            InstanceId::parse("ami-0123456789abcdef0"),
            Err(IdError::WrongPrefix { expected: "i-" })
        );
        assert_eq!(
            InstanceId::parse("i-0123"),
            Err(IdError::BadLength { len: 4 })
        );
        assert_eq!(InstanceId::parse("i-"), Err(IdError::BadLength { len: 0 }));
        assert_eq!(
            InstanceId::parse(""),
            Err(IdError::WrongPrefix { expected: "i-" })
        );
        assert_eq!(
            InstanceId::parse("i-0123456789ABCDEF0"),
            Err(IdError::NotHex { position: 12 })
        );
        assert_eq!(
            InstanceId::parse("i-0123456g"),
            Err(IdError::NotHex { position: 9 })
        );
        assert_eq!(
            ImageId::parse("ami-0123456789abcdef0é"),
            Err(IdError::BadLength { len: 19 })
        );
        assert_eq!(
            TemplateId::parse("lt-12345678 "),
            Err(IdError::BadLength { len: 9 })
        );
    }

    #[test]
    fn from_u64_puts_the_value_after_a_leading_zero() {
        assert_eq!(
            InstanceId::from_u64(0x0123_4567_89ab_cdef).to_string(),
            "i-00123456789abcdef"
        );
        assert_eq!(
            ImageId::from_u64(u64::MAX).to_string(),
            "ami-0ffffffffffffffff"
        );
    }

    #[test]
    fn generator_is_deterministic_and_resumable() {
        let mut a = IdGenerator::new(42);
        let mut b = IdGenerator::new(42);
        let first: InstanceId = a.next_id().unwrap();
        assert_eq!(first, b.next_id::<Instance>().unwrap());
        let second: InstanceId = a.next_id().unwrap();
        assert_ne!(first, second);
        let mut resumed = IdGenerator::resume(42, 1);
        assert_eq!(resumed.next_id::<Instance>().unwrap(), second);
        assert_ne!(IdGenerator::new(43).next_id::<Instance>().unwrap(), first);
    }

    #[test]
    fn exhausted_generator_fails_without_changing() {
        let mut g = IdGenerator::resume(7, u64::MAX);
        assert_eq!(g.next_id::<Instance>(), Err(IdError::Exhausted));
        assert_eq!(g.counter(), u64::MAX);
    }

    #[test]
    fn write_to_reports_short_buffers() {
        let id = InstanceId::from_u64(1);
        let mut small = [0u8; 10];
        assert_eq!(
            id.write_to(&mut small),
            Err(IdError::BufferTooSmall { needed: 19 })
        );
        assert_eq!(small, [0u8; 10]);
        let mut buf = [0u8; 32];
        let n = id.write_to(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"i-00000000000000001");
    }

    proptest::proptest! {
        #[test]
        fn any_generated_id_round_trips(seed: u64, counter in 0u64..u64::MAX) {
            let mut g = IdGenerator::resume(seed, counter);
            let id: EniId = g.next_id().unwrap();
            let text = id.to_string();
            proptest::prop_assert_eq!(EniId::parse(&text), Ok(id));
        }

        #[test]
        fn parse_never_panics_and_accepts_only_canonical_text(s in "\\PC{0,24}") {
            if let Ok(id) = InstanceId::parse(&s) {
                proptest::prop_assert_eq!(id.to_string(), s);
            }
        }
    }
}
