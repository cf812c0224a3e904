//! One summed delay histogram (any set of minutes and series), its
//! quantiles, shares and delay classes, and the KPIs of a selection.

use std::cmp::Ordering;
use std::sync::Arc;

/// A delay quantile as the contract lets us state it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Quantile {
    /// Interpolated inside a closed bucket, in seconds.
    Seconds(f64),
    /// The rank falls in the open last bucket: at least this many seconds.
    AtLeast(f64),
    /// Nothing was sent in the selection.
    NoData,
}

impl Quantile {
    /// The machine-readable value for `data-value`: `"37.5"` (a decimal
    /// with `.`, rounded to one decimal, `.0` dropped), `"ge:1800"`, or
    /// `"n/a"`.
    pub fn raw(&self) -> String {
        match *self {
            Quantile::Seconds(s) => decimal(s),
            Quantile::AtLeast(s) => format!("ge:{}", decimal(s)),
            Quantile::NoData => "n/a".to_owned(),
        }
    }

    /// The text for people: `"37.5 s"`, `"≥ 1800 s"`, `"n/a"`.
    pub fn label(&self) -> String {
        match *self {
            Quantile::Seconds(s) => format!("{} s", decimal(s)),
            Quantile::AtLeast(s) => format!("≥ {} s", decimal(s)),
            Quantile::NoData => "n/a".to_owned(),
        }
    }

    /// The value in seconds when it is a number the data supports.
    pub fn seconds(&self) -> Option<f64> {
        match *self {
            Quantile::Seconds(s) => Some(s),
            _ => None,
        }
    }

    /// A total order for sorting and for checking monotonicity:
    /// `Seconds(x)` by `x`; `AtLeast(b)` just after `Seconds(b)` (it means
    /// "b or more"); `NoData` after everything.
    pub fn total_cmp(&self, other: &Self) -> Ordering {
        fn key(q: &Quantile) -> (f64, u8) {
            match *q {
                Quantile::Seconds(s) => (s, 0),
                Quantile::AtLeast(s) => (s, 1),
                Quantile::NoData => (f64::INFINITY, 2),
            }
        }
        let (a, b) = (key(self), key(other));
        a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
    }
}

/// `x` rounded to one decimal with `.` and no needless zeros: `37.5`, `40`.
fn decimal(x: f64) -> String {
    crate::format::decimal(x, 1)
}

/// A bucket's range for people: `"< 10 s"`, `"60–90 s"`, `"≥ 1800 s"`;
/// empty for a bucket that does not exist.
pub fn bucket_label(bounds_s: &[f64], bucket: usize) -> String {
    let lower = bucket.checked_sub(1).and_then(|i| bounds_s.get(i));
    match (lower, bounds_s.get(bucket)) {
        (None, Some(u)) => format!("< {} s", decimal(*u)),
        (Some(l), Some(u)) => format!("{}–{} s", decimal(*l), decimal(*u)),
        (Some(l), None) if bucket == bounds_s.len() => format!("≥ {} s", decimal(*l)),
        (None, None) if bucket == 0 => "≥ 0 s".to_owned(),
        _ => String::new(),
    }
}

/// Sum of counts that cannot overflow (saturates instead).
pub(crate) fn sum(counts: &[u64]) -> u64 {
    counts.iter().fold(0u64, |a, &c| a.saturating_add(c))
}

/// The quantile `q` of a histogram given as bucket counts and bounds; the
/// rule is documented on [`Histogram::quantile`].
pub(crate) fn quantile_of(counts: &[u64], bounds_s: &[f64], q: f64) -> Quantile {
    if q.is_nan() {
        return Quantile::NoData;
    }
    let n = sum(counts);
    if n == 0 {
        return Quantile::NoData;
    }
    let rank = q.clamp(0.0, 1.0) * n as f64;
    let mut before = 0u64;
    for (i, &c) in counts.iter().enumerate() {
        let cum = before.saturating_add(c);
        if c > 0 && cum as f64 >= rank {
            let Some(&upper) = bounds_s.get(i) else {
                // The open bucket (or, with too few bounds, past it).
                let edge = bounds_s.last().copied().unwrap_or(0.0);
                return finite(Quantile::AtLeast(edge), edge);
            };
            let lower = i
                .checked_sub(1)
                .and_then(|j| bounds_s.get(j))
                .copied()
                .unwrap_or(0.0);
            let frac = (rank - before as f64) / c as f64;
            // `max`/`min` (not `clamp`, which panics on bad bounds) keep
            // rounding from stepping outside the bucket, so the result
            // stays monotone in `q` across bucket edges.
            let v = (lower + frac * (upper - lower)).max(lower).min(upper);
            return finite(Quantile::Seconds(v), v);
        }
        before = cum;
    }
    Quantile::NoData
}

fn finite(q: Quantile, v: f64) -> Quantile {
    if v.is_finite() {
        q
    } else {
        Quantile::NoData
    }
}

/// Which buckets make up the delay classes "within 60 s", "60 s to 90 s"
/// and "90 s or more" for a set of bounds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClassEdges {
    within_s: Option<f64>,
    late_s: Option<f64>,
    /// Buckets `0..lt_end` are "within".
    lt_end: usize,
    /// Buckets `ge_start..` are "late"; `lt_end..ge_start` is the middle class.
    ge_start: usize,
}

impl ClassEdges {
    /// The edge of "sent within the minute".
    pub const WITHIN_S: f64 = 60.0;
    /// The edge of "90 s or more late".
    pub const LATE_S: f64 = 90.0;

    /// The class edges for `bounds_s`. When 60 and 90 are bounds the classes
    /// are exact: `d < 60`, `60 ≤ d < 90`, `d ≥ 90`. Otherwise each edge is
    /// replaced by the bound nearest to it (ties go to the lower bound), and
    /// the late edge is never below the within edge, so the middle class
    /// may be empty. With no bounds at all (not a valid document) every
    /// sent post is in the middle class and both edges are `None`.
    pub fn resolve(bounds_s: &[f64]) -> Self {
        let nearest = |target: f64| {
            bounds_s
                .iter()
                .enumerate()
                .min_by(|(_, a), (_, b)| (*a - target).abs().total_cmp(&(*b - target).abs()))
                .map(|(i, _)| i)
        };
        match (nearest(Self::WITHIN_S), nearest(Self::LATE_S)) {
            (Some(k), Some(l)) => {
                let l = l.max(k);
                Self {
                    within_s: bounds_s.get(k).copied(),
                    late_s: bounds_s.get(l).copied(),
                    lt_end: k + 1,
                    ge_start: l + 1,
                }
            }
            _ => Self {
                within_s: None,
                late_s: None,
                lt_end: 0,
                ge_start: 1,
            },
        }
    }

    /// The bound used as the "within" edge (60 when it is a bound).
    pub fn within_s(&self) -> Option<f64> {
        self.within_s
    }

    /// The bound used as the "late" edge (90 when it is a bound).
    pub fn late_s(&self) -> Option<f64> {
        self.late_s
    }

    /// Whether the classes are exactly `< 60 s`, `60–90 s` and `≥ 90 s`.
    pub fn is_exact(&self) -> bool {
        self.within_s == Some(Self::WITHIN_S) && self.late_s == Some(Self::LATE_S)
    }

    /// Splits a histogram's bucket counts into the classes.
    pub fn split(&self, counts: &[u64], failed: u64) -> DelayClasses {
        let mut c = DelayClasses {
            failed,
            ..DelayClasses::default()
        };
        for (i, &n) in counts.iter().enumerate() {
            let class = if i < self.lt_end {
                &mut c.lt60
            } else if i < self.ge_start {
                &mut c.from60to90
            } else {
                &mut c.ge90
            };
            *class = class.saturating_add(n);
        }
        c
    }
}

/// Posts of a selection by delay class (see [`ClassEdges`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DelayClasses {
    /// Sent within 60 s.
    pub lt60: u64,
    /// Sent 60 s to under 90 s late.
    pub from60to90: u64,
    /// Sent 90 s or more late.
    pub ge90: u64,
    /// Never sent.
    pub failed: u64,
}

impl DelayClasses {
    /// Posts sent.
    pub fn sent(&self) -> u64 {
        self.lt60
            .saturating_add(self.from60to90)
            .saturating_add(self.ge90)
    }

    /// Posts due: sent and failed.
    pub fn total(&self) -> u64 {
        self.sent().saturating_add(self.failed)
    }

    /// Each class as a share of all posts due, in the order
    /// `[lt60, from60to90, ge90, failed]`; `None` when nothing was due.
    pub fn shares(&self) -> Option<[f64; 4]> {
        let total = self.total();
        (total > 0).then(|| {
            let t = total as f64;
            [self.lt60, self.from60to90, self.ge90, self.failed].map(|n| n as f64 / t)
        })
    }
}

/// The summed delay histogram of a selection: posts sent per bucket, and
/// posts never sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    bounds_s: Arc<[f64]>,
    counts: Vec<u64>,
    failed: u64,
}

impl Histogram {
    /// A histogram from its parts; `None` unless there are exactly
    /// `bounds_s.len() + 1` counts.
    pub fn new(bounds_s: impl Into<Arc<[f64]>>, counts: Vec<u64>, failed: u64) -> Option<Self> {
        let bounds_s = bounds_s.into();
        (counts.len() == bounds_s.len() + 1).then_some(Self {
            bounds_s,
            counts,
            failed,
        })
    }

    /// Built by the model, which keeps the length invariant.
    pub(crate) fn from_parts(bounds_s: Arc<[f64]>, counts: Vec<u64>, failed: u64) -> Self {
        Self {
            bounds_s,
            counts,
            failed,
        }
    }

    /// The bucket edges in seconds.
    pub fn bounds_s(&self) -> &[f64] {
        &self.bounds_s
    }

    /// Posts sent per bucket; `bounds_s().len() + 1` items.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Posts never sent.
    pub fn failed(&self) -> u64 {
        self.failed
    }

    /// Posts sent.
    pub fn sent(&self) -> u64 {
        sum(&self.counts)
    }

    /// Posts due: sent and failed.
    pub fn total(&self) -> u64 {
        self.sent().saturating_add(self.failed)
    }

    /// The quantile `q` (0 ≤ q ≤ 1; outside is clamped, NaN is `NoData`)
    /// of the delays of the posts sent.
    ///
    /// Let `N` be the posts sent and the rank `r = q × N`. With cumulative
    /// counts `C(i) = counts[0] + … + counts[i]`, the rank's bucket is the
    /// first **non-empty** bucket `i` with `C(i) ≥ r`, and the value is
    /// `lower(i) + (r − C(i−1)) / counts[i] × (upper(i) − lower(i))`, where
    /// `lower(0) = 0`, `lower(i) = bounds[i−1]`, `upper(i) = bounds[i]` and
    /// `C(−1) = 0`. So `q = 0` gives the lower edge of the first non-empty
    /// bucket, and `q = 1` the upper edge of the last non-empty one. When
    /// that bucket is the open one (`i = B`) the result is
    /// `AtLeast(bounds[B−1])`. With nothing sent it is `NoData`.
    ///
    /// For example, counts `[1, 2, 3, 2, 1, 1, 0]` over bounds
    /// `[10, 20, 30, 45, 60, 90]` (10 posts): p50 has rank 5, which falls
    /// in bucket 2 (`C(1) = 3 < 5 ≤ C(2) = 6`), so p50 = 20 + (5 − 3) / 3 ×
    /// 10 ≈ 26.7 s.
    pub fn quantile(&self, q: f64) -> Quantile {
        quantile_of(&self.counts, &self.bounds_s, q)
    }

    /// The index of `edge_s` among the edges `0, bounds[0], …, bounds[B−1]`
    /// (exact comparison): the number of buckets below it.
    fn buckets_below(&self, edge_s: f64) -> Option<usize> {
        if edge_s == 0.0 {
            return Some(0);
        }
        self.bounds_s
            .iter()
            .position(|&b| b == edge_s)
            .map(|i| i + 1)
    }

    /// Posts sent with a delay under `edge_s`: the sum of the buckets whose
    /// upper edge is at most `edge_s`. Exact, and so only defined when
    /// `edge_s` is 0 or one of the bounds; `None` otherwise (no
    /// interpolation).
    pub fn count_below(&self, edge_s: f64) -> Option<u64> {
        let k = self.buckets_below(edge_s)?;
        Some(
            self.counts
                .iter()
                .take(k)
                .fold(0u64, |a, &c| a.saturating_add(c)),
        )
    }

    /// Posts sent with a delay of `edge_s` or more (buckets whose lower
    /// edge is at least `edge_s`); `None` unless `edge_s` is 0 or a bound.
    pub fn count_at_least(&self, edge_s: f64) -> Option<u64> {
        let k = self.buckets_below(edge_s)?;
        Some(
            self.counts
                .iter()
                .skip(k)
                .fold(0u64, |a, &c| a.saturating_add(c)),
        )
    }

    /// The share of posts sent with a delay under `edge_s`, as a fraction
    /// of the posts sent; `None` when nothing was sent or `edge_s` is not
    /// 0 or a bound (see [`Histogram::count_below`]).
    pub fn share_below(&self, edge_s: f64) -> Option<f64> {
        let sent = self.sent();
        let below = self.count_below(edge_s)?;
        (sent > 0).then(|| below as f64 / sent as f64)
    }

    /// The posts by delay class (see [`ClassEdges::resolve`]).
    pub fn classes(&self) -> DelayClasses {
        ClassEdges::resolve(&self.bounds_s).split(&self.counts, self.failed)
    }

    /// The headline numbers of the selection.
    pub fn kpis(&self) -> Kpis {
        let edges = ClassEdges::resolve(&self.bounds_s);
        let classes = edges.split(&self.counts, self.failed);
        let sent = classes.sent();
        Kpis {
            sent,
            failed: self.failed,
            within_60s: (sent > 0).then(|| classes.lt60 as f64 / sent as f64),
            late_90s: classes.ge90,
            p50: self.quantile(0.5),
            p95: self.quantile(0.95),
            p99: self.quantile(0.99),
            edges,
        }
    }
}

/// The headline numbers of a selection.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Kpis {
    /// Posts sent.
    pub sent: u64,
    /// Posts never sent.
    pub failed: u64,
    /// Share of the posts sent that went out within 60 s (`d < 60`), as a
    /// fraction; `None` when nothing was sent. Uses `edges` (exact when 60
    /// is a bound).
    pub within_60s: Option<f64>,
    /// Posts sent 90 s or more late (`d ≥ 90`). Uses `edges` (exact when 90
    /// is a bound).
    pub late_90s: u64,
    /// The median delay.
    pub p50: Quantile,
    /// The 95th percentile.
    pub p95: Quantile,
    /// The 99th percentile.
    pub p99: Quantile,
    /// The bounds that stood in for 60 s and 90 s.
    pub edges: ClassEdges,
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: [f64; 6] = [10.0, 20.0, 30.0, 45.0, 60.0, 90.0];

    fn hist(counts: &[u64], failed: u64) -> Histogram {
        Histogram::new(BOUNDS.to_vec(), counts.to_vec(), failed).unwrap()
    }

    #[test]
    fn quantiles_of_ten_posts_by_hand() {
        // 10 posts: 1 in [0,10), 2 in [10,20), 3 in [20,30), 2 in [30,45),
        // 1 in [45,60), 1 in [60,90), none at 90 s or more.
        let h = hist(&[1, 2, 3, 2, 1, 1, 0], 0);
        assert_eq!(h.sent(), 10);
        // p50: rank 5; C = 1, 3, 6 → bucket [20, 30): 20 + 2/3 × 10.
        assert_eq!(h.quantile(0.5), Quantile::Seconds(20.0 + 2.0 / 3.0 * 10.0));
        assert_eq!(h.quantile(0.5).raw(), "26.7");
        // p95: rank 9.5; C = …, 8, 9, 10 → bucket [60, 90): 60 + 0.5 × 30.
        assert_eq!(h.quantile(0.95), Quantile::Seconds(75.0));
        // p99: rank 9.9 → 60 + 0.9 × 30.
        assert_eq!(h.quantile(0.99).raw(), "87");
        // p30: rank 3 → exactly the top of [10, 20).
        assert_eq!(h.quantile(0.3), Quantile::Seconds(20.0));
        // p0 → lower edge of the first non-empty bucket; p100 → upper edge of the last.
        assert_eq!(h.quantile(0.0), Quantile::Seconds(0.0));
        assert_eq!(h.quantile(1.0), Quantile::Seconds(90.0));
        // Out of range q is clamped; NaN has no answer.
        assert_eq!(h.quantile(7.0), Quantile::Seconds(90.0));
        assert_eq!(h.quantile(f64::NAN), Quantile::NoData);
    }

    #[test]
    fn p0_skips_empty_leading_buckets() {
        let h = hist(&[0, 0, 0, 2, 0, 0, 0], 0);
        assert_eq!(h.quantile(0.0), Quantile::Seconds(30.0));
        // The contract's example: two posts in [30, 45) → p50 = 37.5.
        assert_eq!(h.quantile(0.5).raw(), "37.5");
        assert_eq!(h.quantile(0.5).label(), "37.5 s");
    }

    #[test]
    fn open_bucket_is_at_least() {
        let h = hist(&[5, 0, 0, 0, 0, 0, 5], 0);
        // Rank 5 is reached at the top of bucket 0: supported by the data.
        assert_eq!(h.quantile(0.5), Quantile::Seconds(10.0));
        // Anything above falls in the open bucket.
        assert_eq!(h.quantile(0.51), Quantile::AtLeast(90.0));
        assert_eq!(h.quantile(0.99).raw(), "ge:90");
        assert_eq!(h.quantile(0.99).label(), "≥ 90 s");
        let all_late = hist(&[0, 0, 0, 0, 0, 0, 3], 1);
        assert_eq!(all_late.quantile(0.0), Quantile::AtLeast(90.0));
    }

    #[test]
    fn empty_is_no_data() {
        let h = hist(&[0; 7], 4);
        assert_eq!(h.quantile(0.5), Quantile::NoData);
        assert_eq!(h.quantile(0.5).raw(), "n/a");
        assert_eq!(h.quantile(0.5).label(), "n/a");
        let k = h.kpis();
        assert_eq!(
            (k.sent, k.failed, k.within_60s, k.late_90s),
            (0, 4, None, 0)
        );
        assert_eq!(h.share_below(60.0), None);
        assert_eq!(h.count_at_least(90.0), Some(0));
    }

    #[test]
    fn shares_and_counts_at_bounds() {
        let h = hist(&[1, 2, 3, 2, 1, 1, 6], 3);
        assert_eq!(h.count_below(60.0), Some(9));
        assert_eq!(h.share_below(60.0), Some(9.0 / 16.0));
        assert_eq!(h.count_at_least(90.0), Some(6));
        assert_eq!(h.count_at_least(60.0), Some(7));
        assert_eq!(h.count_below(0.0), Some(0));
        assert_eq!(h.count_at_least(0.0), Some(16));
        // Not a bound: no interpolation.
        assert_eq!(h.share_below(59.0), None);
        assert_eq!(h.count_at_least(100.0), None);
        let k = h.kpis();
        assert!(k.edges.is_exact());
        assert_eq!(k.sent, 16);
        assert_eq!(k.failed, 3);
        assert_eq!(k.within_60s, Some(9.0 / 16.0));
        assert_eq!(k.late_90s, 6);
        assert_eq!(
            h.classes(),
            DelayClasses {
                lt60: 9,
                from60to90: 1,
                ge90: 6,
                failed: 3
            }
        );
    }

    #[test]
    fn class_edges_fall_back_to_nearest_bounds() {
        let e = ClassEdges::resolve(&[10.0, 45.0, 120.0, 1800.0]);
        // 60 → 45 (15 away), 90 → 120 (30 away; 45 is 45 away).
        assert_eq!((e.within_s(), e.late_s()), (Some(45.0), Some(120.0)));
        assert!(!e.is_exact());
        let c = e.split(&[1, 2, 3, 4, 5], 6);
        assert_eq!((c.lt60, c.from60to90, c.ge90, c.failed), (3, 3, 9, 6));
        // Both edges on the same bound: the middle class is empty.
        let e = ClassEdges::resolve(&[10.0]);
        assert_eq!((e.within_s(), e.late_s()), (Some(10.0), Some(10.0)));
        let c = e.split(&[4, 5], 0);
        assert_eq!((c.lt60, c.from60to90, c.ge90), (4, 0, 5));
        // Ties go to the lower bound.
        let e = ClassEdges::resolve(&[30.0, 90.0]);
        assert_eq!(e.within_s(), Some(30.0));
        // No bounds: everything in the middle, and no edges to name.
        let e = ClassEdges::resolve(&[]);
        assert_eq!(e.split(&[7], 1).from60to90, 7);
        assert_eq!(e.within_s(), None);
    }

    #[test]
    fn raw_and_labels() {
        assert_eq!(decimal(40.0), "40");
        assert_eq!(decimal(37.5), "37.5");
        assert_eq!(decimal(0.04), "0");
        assert_eq!(decimal(-0.04), "0");
        assert_eq!(decimal(1799.96), "1800");
        assert_eq!(Quantile::AtLeast(1800.0).raw(), "ge:1800");
        assert_eq!(Quantile::AtLeast(1800.0).label(), "≥ 1800 s");
        assert_eq!(Quantile::Seconds(12.25).seconds(), Some(12.25));
        assert_eq!(Quantile::AtLeast(1.0).seconds(), None);
        assert_eq!(bucket_label(&BOUNDS, 0), "< 10 s");
        assert_eq!(bucket_label(&BOUNDS, 5), "60–90 s");
        assert_eq!(bucket_label(&BOUNDS, 6), "≥ 90 s");
        assert_eq!(bucket_label(&BOUNDS, 7), "");
        assert_eq!(bucket_label(&[], 0), "≥ 0 s");
    }

    #[test]
    fn quantile_order() {
        use Quantile::*;
        let mut v = [NoData, AtLeast(90.0), Seconds(90.0), Seconds(3.0)];
        v.sort_by(Quantile::total_cmp);
        assert_eq!(v, [Seconds(3.0), Seconds(90.0), AtLeast(90.0), NoData]);
    }

    #[test]
    fn new_checks_lengths() {
        assert!(Histogram::new(vec![60.0], vec![1], 0).is_none());
        assert!(Histogram::new(vec![60.0], vec![1, 2], 0).is_some());
    }

    #[test]
    fn bad_bounds_do_not_panic() {
        for bounds in [
            vec![],
            vec![f64::NAN, 3.0],
            vec![90.0, 10.0, -5.0],
            vec![f64::INFINITY],
        ] {
            let counts = vec![u64::MAX; bounds.len() + 1];
            let h = Histogram::new(bounds, counts, u64::MAX).unwrap();
            // Only that nothing panics or overflows: the values are checked elsewhere.
            for q in [0.0, 0.5, 1.0] {
                let _ = h.quantile(q).raw();
            }
            let _ = (h.kpis(), h.share_below(10.0), h.total());
        }
    }
}
