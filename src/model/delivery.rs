//! Delivery analytics: how late the posts of a day went out, from the
//! per-minute delay histograms of `delivery/{day}.json`.
//!
//! # Contract
//!
//! - A selection is a [`SeriesFilter`] (sets of networks and media, an empty
//!   set meaning "all") and a [`Window`] of due minutes `from..=to`
//!   (0 = 00:00 … 1439 = 23:59, inclusive). A window with `from > to` is
//!   empty; a `to` past 1439 is clamped. No function here panics, whatever
//!   the data, bounds, filter or window.
//! - [`DayHistogram::new`] sums the selected series of a day once per
//!   (day, filter) into one minute-major histogram; every window after that
//!   only re-slices it ([`DayHistogram::window`]).
//! - Buckets follow the contract: with `B` bounds, bucket 0 holds
//!   `0 ≤ d < bounds[0]`, bucket `i` holds `bounds[i−1] ≤ d < bounds[i]`,
//!   bucket `B` (the open one) holds `d ≥ bounds[B−1]`.
//! - Quantiles are computed from the summed histogram by linear
//!   interpolation inside the bucket holding the rank (see
//!   [`Histogram::quantile`] for the exact rule); one that falls in the open
//!   bucket is [`Quantile::AtLeast`]`(bounds[B−1])`; an empty selection is
//!   [`Quantile::NoData`].
//! - The delay classes of the KPIs and the stacked bars ("within 60 s",
//!   "60–90 s", "90 s or more") are exact sums when 60 and 90 are bounds;
//!   otherwise the nearest bounds stand in for them, and [`ClassEdges`] says
//!   which (see [`ClassEdges::resolve`]); [`ClassNames`] names the classes
//!   after the edges in use, so that no figure is called "90 s" when it
//!   counts from another edge.
//!
//! # Example
//!
//! ```
//! use pulse::api::{Day, DeliveryDay, Media, Series};
//! use pulse::model::delivery::{DayHistogram, Quantile, SeriesFilter, Window};
//!
//! // Two bounds, so three buckets: [0, 60), [60, 90), [90, ∞).
//! let mut counts = vec![0; 1440 * 3];
//! counts[480 * 3] = 9; // nine posts due at 08:00 went out within the minute
//! counts[480 * 3 + 2] = 1; // one went out 90 s or more late
//! let day = DeliveryDay {
//!     date: Day::parse("2016-08-03").unwrap(),
//!     bounds_s: vec![60.0, 90.0],
//!     series: vec![Series {
//!         network: "twitter".into(),
//!         media: Media::Image,
//!         counts,
//!         failed: vec![0; 1440],
//!     }],
//! };
//! let hist = DayHistogram::new(&day, &SeriesFilter::all());
//! let kpis = hist.kpis(Window::new(480, 480));
//! assert_eq!((kpis.sent, kpis.late_90s), (10, 1));
//! assert_eq!(kpis.within_60s, Some(0.9));
//! assert_eq!(kpis.p50.raw(), "33.3333333333333"); // 5 of 9 into the [0, 60) bucket
//! assert_eq!(kpis.p50.label(), "33.3 s");
//! assert_eq!(kpis.p95, Quantile::AtLeast(90.0));
//! assert_eq!(kpis.p99.raw(), "ge:90");
//! ```

mod breakdown;
mod charts;
mod compare;
mod day;
mod histogram;
mod names;
#[cfg(test)]
mod props;

pub use breakdown::{breakdown, sort_breakdown, BreakdownColumn, BreakdownRow};
pub use charts::{HeatCell, MinuteClasses, QuantilePoint};
pub use compare::{DayComparison, KpiDelta};
#[cfg(test)]
pub(crate) use day::tests::series as test_series;
pub use day::{DayHistogram, SeriesFilter, Window};
pub use histogram::{bucket_label, ClassEdges, DelayClasses, Histogram, Kpis, Quantile};
pub use names::ClassNames;
