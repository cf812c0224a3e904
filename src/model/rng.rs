//! A small seeded pseudo-random generator (SplitMix64) and its sampling
//! helpers: the demo-data generator's and the capacity planner's one source
//! of randomness.
//!
//! Everything here uses integer arithmetic and the IEEE basic operations
//! (`+ − × ÷ √`), which are exactly rounded on every platform, and no
//! `ln`/`exp`/`sin`, whose last bits depend on the system's maths library.
//! So a seed gives the same numbers, and the dataset the same bytes, on
//! every machine.
//!
//! Independent parts of the dataset draw from independent streams made
//! with [`Rng::fork`], so changing how one part is generated does not move
//! the numbers of another.

/// SplitMix64: a 64-bit state advanced by a Weyl sequence and scrambled by
/// an invertible mix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The SplitMix64 finaliser: a bijection on `u64` with good avalanche.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A bijection on `u32` (each step is invertible), used to turn a counter
/// into unique, random-looking ids.
pub fn permute32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^ (x >> 16)
}

/// FNV-1a hash of a label, to derive a stream from a name.
fn fnv1a(label: &str) -> u64 {
    label.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// An independent stream named `label`, derived from this one's seed
    /// without advancing it.
    pub fn fork(&self, label: &str) -> Self {
        Self::new(mix64(self.state ^ mix64(fnv1a(label))))
    }

    /// An independent stream numbered `n` (a day, a customer…).
    pub fn fork_n(&self, n: u64) -> Self {
        Self::new(mix64(self.state.wrapping_add(mix64(n ^ 0x5bd1_e995))))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        mix64(self.state)
    }

    /// Uniform in `[0, 1)`, with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `true` with probability `p` (clamped to `[0, 1]`).
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in `0..n`; 0 when `n` is 0. Uses the widening multiply
    /// (Lemire), whose bias is below 2⁻³² for the small `n` used here.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..hi` (half open); `lo` when the range is empty.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo))
    }

    /// Uniform in `[lo, hi)` as a float.
    pub fn range_f64(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// An index drawn with the given (non-negative) weights; 0 when they
    /// are all zero.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut r = self.unit() * total;
        for (i, &w) in weights.iter().enumerate() {
            if r < w {
                return i;
            }
            r -= w;
        }
        weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
    }

    /// An item of a non-empty slice, uniformly; `None` when it is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// Approximately standard normal: the Irwin–Hall sum of 12 uniforms
    /// minus 6 (mean 0, variance 1, bounded to ±6).
    pub fn normalish(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }

    /// A count with mean `mean` and Poisson-like spread: a binomial with
    /// many trials for small means, a rounded normal for large ones.
    pub fn count(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        if mean < 24.0 {
            let trials = (mean * 4.0) as u64 + 16;
            let p = mean / trials as f64;
            (0..trials).filter(|_| self.chance(p)).count() as u64
        } else {
            let n = mean + mean.sqrt() * self.normalish();
            if n <= 0.0 {
                0
            } else {
                (n + 0.5) as u64
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers() {
        let a: Vec<u64> = {
            let mut r = Rng::new(42);
            (0..100).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(42);
            (0..100).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        let mut c = Rng::new(43);
        assert_ne!(a[0], c.next_u64());
    }

    #[test]
    fn matches_the_splitmix64_reference() {
        // First outputs of the reference SplitMix64 for seed 1234567
        // (from the published C implementation).
        let mut r = Rng::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn forks_are_independent_and_stable() {
        let root = Rng::new(7);
        assert_eq!(root.fork("a"), root.fork("a"));
        assert_ne!(root.fork("a"), root.fork("b"));
        assert_ne!(root.fork_n(1), root.fork_n(2));
        let mut x = root.fork("a");
        let first = x.next_u64();
        // Forking never advances the parent.
        assert_eq!(root, Rng::new(7));
        assert_eq!(root.fork("a").next_u64(), first);
    }

    #[test]
    fn helpers_stay_in_range() {
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(r.below(7) < 7);
            let x = r.range(10, 20);
            assert!((10..20).contains(&x));
            let n = r.normalish();
            assert!((-6.0..=6.0).contains(&n));
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.range(5, 5), 5);
        assert_eq!(r.pick::<u8>(&[]), None);
        assert_eq!(r.weighted(&[0.0, 0.0]), 0);
    }

    #[test]
    fn weighted_follows_the_weights() {
        let mut r = Rng::new(3);
        let mut hits = [0u32; 3];
        for _ in 0..30_000 {
            hits[r.weighted(&[1.0, 0.0, 2.0])] += 1;
        }
        assert_eq!(hits[1], 0);
        assert!((9_000..11_000).contains(&hits[0]), "{hits:?}");
        assert!((19_000..21_000).contains(&hits[2]), "{hits:?}");
    }

    #[test]
    fn counts_have_the_requested_mean() {
        let mut r = Rng::new(11);
        for mean in [0.5, 3.0, 20.0, 500.0, 9000.0] {
            let n = 2000;
            let total: u64 = (0..n).map(|_| r.count(mean)).sum();
            let avg = total as f64 / f64::from(n);
            assert!((avg - mean).abs() < 0.05 * mean + 0.1, "mean {mean}: {avg}");
        }
        assert_eq!(r.count(0.0), 0);
        assert_eq!(r.count(-1.0), 0);
    }

    #[test]
    fn permute32_is_a_bijection_on_a_sample() {
        let mut seen: Vec<u32> = (0..100_000).map(permute32).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 100_000);
    }
}
