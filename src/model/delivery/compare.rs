//! Day comparison: the same KPIs for two days (same filter and window) and
//! their differences, `current − reference`.

use super::day::{DayHistogram, Window};
use super::histogram::{Kpis, Quantile};

/// The KPIs of two days and their differences.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DayComparison {
    /// The day being looked at (`day=` in the address).
    pub current: Kpis,
    /// The day it is compared with (`compare=` in the address).
    pub reference: Kpis,
    /// `current − reference`.
    pub delta: KpiDelta,
}

/// Differences `current − reference` of two [`Kpis`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KpiDelta {
    /// Change in posts sent.
    pub sent: i64,
    /// Change in posts failed.
    pub failed: i64,
    /// Difference of the shares (a fraction: 0.02 is +2 percentage
    /// points); `None` unless both days sent something.
    pub within_60s: Option<f64>,
    /// Change in posts 90 s or more late.
    pub late_90s: i64,
    /// Difference in seconds; `None` unless both quantiles are numbers
    /// (an `AtLeast` or `NoData` on either side has no honest difference).
    pub p50: Option<f64>,
    /// Change in the 95th percentile, s, when both days have one.
    pub p95: Option<f64>,
    /// Change in the 99th percentile, s, when both days have one.
    pub p99: Option<f64>,
}

impl DayComparison {
    /// Compares two sets of KPIs.
    pub fn new(current: Kpis, reference: Kpis) -> Self {
        let count = |a: u64, b: u64| {
            let d = i128::from(a) - i128::from(b);
            i64::try_from(d).unwrap_or(if d < 0 { i64::MIN } else { i64::MAX })
        };
        let secs = |a: Quantile, b: Quantile| Some(a.seconds()? - b.seconds()?);
        let delta = KpiDelta {
            sent: count(current.sent, reference.sent),
            failed: count(current.failed, reference.failed),
            within_60s: current
                .within_60s
                .zip(reference.within_60s)
                .map(|(a, b)| a - b),
            late_90s: count(current.late_90s, reference.late_90s),
            p50: secs(current.p50, reference.p50),
            p95: secs(current.p95, reference.p95),
            p99: secs(current.p99, reference.p99),
        };
        Self {
            current,
            reference,
            delta,
        }
    }

    /// Compares the same window of two days (each already summed with the
    /// same filter).
    pub fn of(current: &DayHistogram, reference: &DayHistogram, w: Window) -> Self {
        Self::new(current.kpis(w), reference.kpis(w))
    }

    /// Whether both days used the same class edges, so that `within_60s`
    /// and `late_90s` measure the same thing (true for any two days whose
    /// bounds include 60 and 90).
    pub fn edges_match(&self) -> bool {
        self.current.edges.within_s() == self.reference.edges.within_s()
            && self.current.edges.late_s() == self.reference.edges.late_s()
    }
}

#[cfg(test)]
mod tests {
    use super::super::histogram::Histogram;
    use super::*;

    fn kpis(bounds: &[f64], counts: &[u64], failed: u64) -> Kpis {
        Histogram::new(bounds.to_vec(), counts.to_vec(), failed)
            .unwrap()
            .kpis()
    }

    #[test]
    fn differences_current_minus_reference() {
        // Before the fix: 10 sent, half 90 s or more late.
        let before = kpis(&[60.0, 90.0], &[4, 1, 5], 2);
        // After: 20 sent, 19 within the minute, 1 failed.
        let after = kpis(&[60.0, 90.0], &[19, 1, 0], 1);
        let c = DayComparison::new(after, before);
        assert!(c.edges_match());
        assert_eq!(c.delta.sent, 10);
        assert_eq!(c.delta.failed, -1);
        assert_eq!(c.delta.late_90s, -5);
        assert!((c.delta.within_60s.unwrap() - (0.95 - 0.4)).abs() < 1e-12);
        // p50 after: rank 10 in [0, 60) of 19 → 10/19 × 60; before: ≥ 60 … rank 5 → bucket [60, 90).
        assert_eq!(after.p50, Quantile::Seconds(10.0 / 19.0 * 60.0));
        assert_eq!(before.p50, Quantile::Seconds(90.0));
        assert_eq!(c.delta.p50, Some(10.0 / 19.0 * 60.0 - 90.0));
        // Before's p95 is "≥ 90 s": no number to subtract.
        assert_eq!(before.p95, Quantile::AtLeast(90.0));
        assert_eq!(c.delta.p95, None);
    }

    #[test]
    fn empty_days_and_other_bounds() {
        let empty = kpis(&[60.0, 90.0], &[0, 0, 0], 0);
        let other = kpis(&[30.0, 120.0], &[1, 1, 1], 0);
        let c = DayComparison::new(other, empty);
        assert!(!c.edges_match());
        assert_eq!(c.delta.within_60s, None);
        assert_eq!(c.delta.p50, None);
        assert_eq!(c.delta.sent, 3);
        let huge = kpis(&[60.0], &[u64::MAX, 0], 0);
        assert_eq!(DayComparison::new(empty, huge).delta.sent, i64::MIN);
    }
}
