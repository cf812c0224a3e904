//! When will MRR reach a target? Read off the actual months and a
//! [`Forecast`] that continues them.
//!
//! # Contract
//!
//! - "Reaches" means "is at or above": targets are upward goals.
//! - If the latest actual month is at or above the target, the answer is
//!   [`TargetEta::Reached`] with the first month the actual MRR was at or
//!   above it (possibly before a dip).
//! - Otherwise [`TargetEta::Ahead`]: forecast step `h` is `h` months after
//!   the latest actual month; `likely` is the first step whose mean reaches
//!   the target, `early` the first whose upper 80 % bound does, `late` the
//!   first whose lower 80 % bound does. `None` means "not within the
//!   horizon". Since `lo80 ≤ mean ≤ hi80`, `early ≤ likely ≤ late` whenever
//!   they are all `Some`.
//! - No actual months: nothing can be said (`Ahead` with all `None`).

use super::forecast::Forecast;
use crate::api::Month;

/// The answer of [`time_to_target`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetEta {
    /// MRR is at or above the target now; `first` is the first month it was.
    Reached {
        /// The first month at or above the target.
        first: Month,
    },
    /// Not yet: the forecast months where the mean, the upper 80 % bound
    /// and the lower 80 % bound first reach it (`None`: beyond the horizon).
    Ahead {
        /// Where the forecast mean reaches it.
        likely: Option<Month>,
        /// Where the upper 80 % bound reaches it.
        early: Option<Month>,
        /// Where the lower 80 % bound reaches it.
        late: Option<Month>,
    },
}

/// When the MRR of `months` (actual, `mrr_cents[i]` for `months[i]`,
/// ascending and consecutive), continued by `forecast`, reaches
/// `target_cents`. Extra entries of the longer of the two lists are ignored.
pub fn time_to_target(
    months: &[Month],
    mrr_cents: &[i64],
    forecast: &Forecast,
    target_cents: i64,
) -> TargetEta {
    let actual: Vec<(Month, i64)> = months
        .iter()
        .copied()
        .zip(mrr_cents.iter().copied())
        .collect();
    let Some(&(last_month, last_mrr)) = actual.last() else {
        return TargetEta::Ahead {
            likely: None,
            early: None,
            late: None,
        };
    };
    if last_mrr >= target_cents {
        let first = actual
            .iter()
            .find(|(_, v)| *v >= target_cents)
            .map_or(last_month, |(m, _)| *m);
        return TargetEta::Reached { first };
    }
    let target = target_cents as f64;
    let first_step = |series: &[f64]| {
        let steps = series.iter().position(|&v| v >= target)?;
        Some((0..=steps).fold(last_month, |m, _| m.next()))
    };
    TargetEta::Ahead {
        likely: first_step(&forecast.mean),
        early: first_step(&forecast.hi80),
        late: first_step(&forecast.lo80),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::forecast::Method;

    fn month(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    /// Mean 100, 110, … with a band of ±5h (80 %) and ±8h (95 %).
    fn hand_made(steps: usize) -> Forecast {
        let mean: Vec<f64> = (1..=steps).map(|h| 90.0 + 10.0 * h as f64).collect();
        let band = |k: f64, sign: f64| -> Vec<f64> {
            mean.iter()
                .enumerate()
                .map(|(i, m)| m + sign * k * (i + 1) as f64)
                .collect()
        };
        Forecast {
            lo80: band(5.0, -1.0),
            hi80: band(5.0, 1.0),
            lo95: band(8.0, -1.0),
            hi95: band(8.0, 1.0),
            mean,
            method: Method::Flat,
        }
    }

    #[test]
    fn reads_the_months_off_the_forecast() {
        let months = [month("2016-10"), month("2016-11"), month("2016-12")];
        let f = hand_made(12);
        // mean 100 (Jan) … 210 (Dec 2017); hi80 105, 120, 135, 150 …;
        // lo80 95, 100, 105, 110, 115, 120, 125, 130 …
        let eta = time_to_target(&months, &[60, 70, 80], &f, 130);
        assert_eq!(
            eta,
            TargetEta::Ahead {
                likely: Some(month("2017-04")),
                early: Some(month("2017-03")),
                late: Some(month("2017-08")),
            }
        );
        // lo80 ends at 210 − 60 = 150 in Dec 2017.
        let far = time_to_target(&months, &[60, 70, 80], &f, 200);
        assert_eq!(
            far,
            TargetEta::Ahead {
                likely: Some(month("2017-11")),
                early: Some(month("2017-08")),
                late: None,
            }
        );
        let never = time_to_target(&months, &[60, 70, 80], &f, 10_000);
        assert_eq!(
            never,
            TargetEta::Ahead {
                likely: None,
                early: None,
                late: None
            }
        );
        // The first step counts as the month after the last actual one.
        let next = time_to_target(&months, &[60, 70, 80], &f, 100);
        assert!(matches!(next, TargetEta::Ahead { likely: Some(m), .. } if m == month("2017-01")));
    }

    #[test]
    fn already_reached_names_the_first_month() {
        let months = [month("2016-10"), month("2016-11"), month("2016-12")];
        let f = hand_made(12);
        let eta = time_to_target(&months, &[90, 40, 95], &f, 80);
        assert_eq!(
            eta,
            TargetEta::Reached {
                first: month("2016-10")
            }
        );
        // Reached once but below now: ask the forecast.
        let dipped = time_to_target(&months, &[90, 40, 70], &f, 80);
        assert!(
            matches!(dipped, TargetEta::Ahead { likely: Some(m), .. } if m == month("2017-01"))
        );
        // No history.
        assert!(matches!(
            time_to_target(&[], &[], &f, 80),
            TargetEta::Ahead { likely: None, .. }
        ));
    }
}
