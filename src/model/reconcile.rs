//! Reported MRR (from another system, `reported_mrr` of
//! `revenue/events.json`) against the MRR computed from the events.
//!
//! # Contract
//!
//! - One [`GapRow`] per reported month, in the reported order (ascending),
//!   with `gap = reported − computed`. Computed MRR comes from
//!   [`RevenueModel::mrr_at`]: 0 before the first event, carried forward
//!   after the last. A reported month whose computed MRR is unknown (after
//!   an `end` month that left events out) has no row and is counted in
//!   [`Reconciliation::skipped`].
//! - A gap is **material** when it is not 0 and `|gap|` is at least
//!   [`Materiality::relative_bp`] basis points of `|computed|` (default 100
//!   bp = 1 %) or at least [`Materiality::absolute_cents`] (default 100,000
//!   cents, 1,000 currency units). So any gap on a month computed as 0 is
//!   material.
//! - [`Reconciliation::material_since`] is the first month from which every
//!   row up to the last one is material: the gap became material then and
//!   stayed. `None` when the latest row is not material (or there are no
//!   rows).

use super::revenue::RevenueModel;
use crate::api::Month;

/// When a gap matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Materiality {
    /// Share of the computed MRR, in basis points (1/100 of a percent).
    pub relative_bp: i64,
    /// Absolute amount, in cents.
    pub absolute_cents: i64,
}

impl Default for Materiality {
    fn default() -> Self {
        Self {
            relative_bp: 100,
            absolute_cents: 100_000,
        }
    }
}

impl Materiality {
    /// Whether `gap` is material against `computed` (exact integer
    /// arithmetic, no overflow).
    pub fn is_material(&self, gap: i64, computed: i64) -> bool {
        let g = i128::from(gap).abs();
        g != 0
            && (g * 10_000 >= i128::from(computed).abs() * i128::from(self.relative_bp)
                || g >= i128::from(self.absolute_cents))
    }
}

/// One reported month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GapRow {
    /// The month.
    pub month: Month,
    /// MRR as reported elsewhere, cents.
    pub reported: i64,
    /// MRR computed from the events, cents.
    pub computed: i64,
    /// `reported − computed` (saturating).
    pub gap: i64,
    /// Whether the gap is large enough to matter.
    pub material: bool,
}

/// The comparison, month by month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    /// One row per month compared.
    pub rows: Vec<GapRow>,
    /// First month of the trailing run of material gaps.
    pub material_since: Option<Month>,
    /// Reported months whose computed MRR is unknown.
    pub skipped: usize,
}

/// Compares `reported` (month, cents) with `model`.
pub fn reconcile(
    model: &RevenueModel,
    reported: &[(Month, i64)],
    rule: Materiality,
) -> Reconciliation {
    let mut skipped = 0;
    let rows: Vec<GapRow> = reported
        .iter()
        .filter_map(|&(month, reported)| {
            let Some(computed) = model.mrr_at(month) else {
                skipped += 1;
                return None;
            };
            let gap = reported.saturating_sub(computed);
            Some(GapRow {
                month,
                reported,
                computed,
                gap,
                material: rule.is_material(gap, computed),
            })
        })
        .collect();
    let trailing = rows.iter().rev().take_while(|r| r.material).count();
    let material_since = rows
        .len()
        .checked_sub(trailing)
        .filter(|_| trailing > 0)
        .and_then(|i| rows.get(i))
        .map(|r| r.month);
    Reconciliation {
        rows,
        material_since,
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::RevenueEvents;

    fn month(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    /// One customer paying 1,000,000 cents from 2016-01, 2,000,000 from
    /// 2016-03.
    fn model() -> RevenueModel {
        let doc = RevenueEvents::parse(
            r#"{"currency":"USD","events":[
              {"customer":"a","at":"2016-01-05T00:00:00Z","kind":"subscribe","plan":"x","mrr_cents":1000000},
              {"customer":"a","at":"2016-03-05T00:00:00Z","kind":"change","plan":"x","mrr_cents":2000000}
            ]}"#,
        )
        .unwrap();
        RevenueModel::compute(&doc, None).unwrap()
    }

    #[test]
    fn gaps_and_when_they_became_material() {
        let m = model();
        let reported = [
            (month("2015-12"), 0),
            (month("2016-01"), 1_000_000),
            (month("2016-02"), 1_009_999), // 0.99999 %: not material
            (month("2016-03"), 2_030_000), // 1.5 %
            (month("2016-04"), 1_900_000), // −5 %
            (month("2016-06"), 2_100_000), // after the last event: carried
        ];
        let r = reconcile(&m, &reported, Materiality::default());
        assert_eq!(r.skipped, 0);
        let gaps: Vec<i64> = r.rows.iter().map(|r| r.gap).collect();
        assert_eq!(gaps, [0, 0, 9_999, 30_000, -100_000, 100_000]);
        let computed: Vec<i64> = r.rows.iter().map(|r| r.computed).collect();
        assert_eq!(
            computed,
            [0, 1_000_000, 1_000_000, 2_000_000, 2_000_000, 2_000_000]
        );
        let material: Vec<bool> = r.rows.iter().map(|r| r.material).collect();
        assert_eq!(material, [false, false, false, true, true, true]);
        assert_eq!(r.material_since, Some(month("2016-03")));

        // A gap that went away again is no longer "since".
        let healed = [(month("2016-03"), 2_500_000), (month("2016-04"), 2_000_000)];
        assert_eq!(
            reconcile(&m, &healed, Materiality::default()).material_since,
            None
        );
        assert_eq!(
            reconcile(&m, &[], Materiality::default()).material_since,
            None
        );
    }

    #[test]
    fn materiality_rule() {
        let rule = Materiality::default();
        assert!(!rule.is_material(0, 0));
        assert!(rule.is_material(1, 0));
        assert!(rule.is_material(-100_000, 1_000_000_000));
        assert!(!rule.is_material(99_999, 1_000_000_000));
        assert!(rule.is_material(10, 1000));
        assert!(!rule.is_material(9, 1000));
        assert!(rule.is_material(i64::MIN, i64::MAX));
    }

    #[test]
    fn unknown_months_are_skipped() {
        let doc = RevenueEvents::parse(
            r#"{"currency":"USD","events":[
              {"customer":"a","at":"2016-01-05T00:00:00Z","kind":"subscribe","plan":"x","mrr_cents":100},
              {"customer":"a","at":"2016-05-05T00:00:00Z","kind":"cancel","plan":"x","mrr_cents":0}
            ]}"#,
        )
        .unwrap();
        let m = RevenueModel::compute(&doc, Some(month("2016-02"))).unwrap();
        let r = reconcile(
            &m,
            &[(month("2016-02"), 100), (month("2016-06"), 0)],
            Materiality::default(),
        );
        assert_eq!((r.rows.len(), r.skipped), (1, 1));
        assert_eq!(r.material_since, None);
    }
}
