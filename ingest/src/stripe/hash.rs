//! A fast, non-cryptographic hasher for the reader's tables of event ids,
//! customers, subscriptions and plans (millions of short strings; the
//! standard SipHash showed in profiles). The input is a team's own
//! archive, not an adversary's, so flooding is no concern.

use std::hash::{BuildHasherDefault, Hasher};

/// Multiply-rotate hashing, a word at a time.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        let mut word = [0u8; 8];
        for (slot, byte) in word.iter_mut().zip(rest) {
            *slot = *byte;
        }
        self.add(u64::from_le_bytes(word) ^ (rest.len() as u64) << 59);
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    /// The state mixed so that every input bit reaches the low bits too
    /// (the table picks buckets by them; the multiplications alone only
    /// carry bits upwards, and ids differ in their last bytes).
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// Builds [`WordHasher`]s for `HashMap` and `HashSet`.
pub type BuildWordHasher = BuildHasherDefault<WordHasher>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    fn hash(text: &str) -> u64 {
        BuildWordHasher::default().hash_one(text)
    }

    #[test]
    fn equal_text_hashes_equal_and_neighbours_differ() {
        assert_eq!(
            hash("evt_1N000000000000000001"),
            hash("evt_1N000000000000000001")
        );
        let texts = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "evt_1",
            "evt_2",
            "evt_10",
            "evt_1\0",
            "12345678",
            "123456789",
        ];
        let hashes: HashSet<u64> = texts.iter().map(|t| hash(t)).collect();
        assert_eq!(hashes.len(), texts.len());
    }

    #[test]
    fn ids_differing_in_their_last_digits_spread_over_the_low_bits() {
        // 4096 ids in 4096 buckets by the low 12 bits: at random about
        // 2590 buckets are used; all in a few would make the table crawl.
        let buckets: HashSet<u64> = (0..4096)
            .map(|i| hash(&format!("evt_1N{i:018}")) & 0xfff)
            .collect();
        assert!(buckets.len() > 2400, "{} buckets", buckets.len());
    }

    #[test]
    fn a_set_of_many_ids_works() {
        let mut set: HashSet<String, BuildWordHasher> = HashSet::default();
        for i in 0..10_000 {
            assert!(set.insert(format!("evt_{i}")));
        }
        assert!(!set.insert("evt_9999".to_string()));
        assert_eq!(set.len(), 10_000);
    }
}
