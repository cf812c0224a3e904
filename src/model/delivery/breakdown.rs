//! The breakdown table: one row per selected (network, media) series over a
//! window, sortable by any column in both directions.

use super::day::{window_sum, SeriesFilter, Window};
use super::histogram::{Histogram, Quantile};
use crate::api::{DeliveryDay, Media};
use crate::model::sort::{present_first, Direction};
use std::sync::Arc;

/// One (network, media) series over a window.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakdownRow {
    /// The series' network.
    pub network: String,
    /// The series' media kind.
    pub media: Media,
    /// Posts sent.
    pub sent: u64,
    /// Posts never sent.
    pub failed: u64,
    /// Share of the posts sent within 60 s; `None` when nothing was sent.
    /// Same edges as [`super::Kpis::within_60s`].
    pub within_60s: Option<f64>,
    /// Posts sent 90 s or more late.
    pub late_90s: u64,
    /// The 95th percentile of the delay.
    pub p95: Quantile,
}

/// A column of the breakdown table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BreakdownColumn {
    /// By network.
    Network,
    /// By media kind.
    Media,
    /// By posts sent.
    Sent,
    /// By posts failed.
    Failed,
    /// By the share sent within 60 s.
    Within60s,
    /// By posts 90 s or more late.
    Late90s,
    /// By the 95th percentile.
    P95,
}

impl BreakdownColumn {
    /// Every column, in table order.
    pub const ALL: [BreakdownColumn; 7] = [
        BreakdownColumn::Network,
        BreakdownColumn::Media,
        BreakdownColumn::Sent,
        BreakdownColumn::Failed,
        BreakdownColumn::Within60s,
        BreakdownColumn::Late90s,
        BreakdownColumn::P95,
    ];

    /// A stable machine name (`within_60s`), e.g. for a CSV header.
    pub fn as_str(self) -> &'static str {
        match self {
            BreakdownColumn::Network => "network",
            BreakdownColumn::Media => "media",
            BreakdownColumn::Sent => "sent",
            BreakdownColumn::Failed => "failed",
            BreakdownColumn::Within60s => "within_60s",
            BreakdownColumn::Late90s => "late_90s",
            BreakdownColumn::P95 => "p95",
        }
    }

    /// Parses [`BreakdownColumn::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One row per series of `day` that `filter` selects, in document order,
/// over the minutes of `w`. Series with no posts in the window are kept
/// (zero counts, `None` share, `NoData` p95), so the table keeps its
/// shape. The rows add up to [`super::DayHistogram::window`] of the same
/// filter.
pub fn breakdown(day: &DeliveryDay, filter: &SeriesFilter, w: Window) -> Vec<BreakdownRow> {
    let bounds: Arc<[f64]> = day.bounds_s.as_slice().into();
    let buckets = day.buckets();
    day.series
        .iter()
        .filter(|s| filter.matches(&s.network, s.media))
        .map(|s| {
            let (counts, failed) = window_sum(&s.counts, &s.failed, buckets, w);
            let k = Histogram::from_parts(Arc::clone(&bounds), counts, failed).kpis();
            BreakdownRow {
                network: s.network.clone(),
                media: s.media,
                sent: k.sent,
                failed: k.failed,
                within_60s: k.within_60s,
                late_90s: k.late_90s,
                p95: k.p95,
            }
        })
        .collect()
}

/// Sorts `rows` by `column` in direction `dir`. A missing share and a
/// `NoData` p95 go last in both directions; `AtLeast(b)` sorts just above
/// `Seconds(b)` (see [`Quantile::total_cmp`]). Ties are broken by network,
/// then media, ascending, so the order is deterministic.
pub fn sort_breakdown(rows: &mut [BreakdownRow], column: BreakdownColumn, dir: Direction) {
    let by_name = |a: &BreakdownRow, b: &BreakdownRow| {
        a.network
            .cmp(&b.network)
            .then_with(|| a.media.as_str().cmp(b.media.as_str()))
    };
    let data = |q: &Quantile| !matches!(q, Quantile::NoData);
    rows.sort_by(|a, b| {
        let primary = match column {
            BreakdownColumn::Network => return dir.apply(by_name(a, b)),
            BreakdownColumn::Media => {
                return dir.apply(
                    a.media
                        .as_str()
                        .cmp(b.media.as_str())
                        .then_with(|| a.network.cmp(&b.network)),
                )
            }
            BreakdownColumn::Sent => dir.apply(a.sent.cmp(&b.sent)),
            BreakdownColumn::Failed => dir.apply(a.failed.cmp(&b.failed)),
            BreakdownColumn::Late90s => dir.apply(a.late_90s.cmp(&b.late_90s)),
            BreakdownColumn::Within60s => {
                present_first(a.within_60s, b.within_60s, dir, f64::total_cmp)
            }
            BreakdownColumn::P95 => present_first(
                Some(a.p95).filter(data),
                Some(b.p95).filter(data),
                dir,
                Quantile::total_cmp,
            ),
        };
        primary.then_with(|| by_name(a, b))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Day, Series};

    fn day() -> DeliveryDay {
        // Bounds [60, 90]: buckets [0, 60), [60, 90), [90, ∞).
        let mk = |network: &str, media, cells: &[(usize, usize, u32)], failed: u32| {
            let mut counts = vec![0; 1440 * 3];
            for &(m, b, n) in cells {
                counts[m * 3 + b] = n;
            }
            let mut f = vec![0; 1440];
            f[480] = failed;
            Series {
                network: network.into(),
                media,
                counts,
                failed: f,
            }
        };
        DeliveryDay {
            date: Day::parse("2016-08-03").unwrap(),
            bounds_s: vec![60.0, 90.0],
            series: vec![
                mk("twitter", Media::Image, &[(480, 0, 9), (480, 2, 1)], 0),
                mk("facebook", Media::Video, &[(480, 0, 1), (480, 2, 3)], 2),
                mk("twitter", Media::Video, &[(10, 0, 5)], 0),
                mk("linkedin", Media::Link, &[(480, 0, 4)], 1),
            ],
        }
    }

    #[test]
    fn rows_per_series_over_the_window() {
        let rows = breakdown(&day(), &SeriesFilter::all(), Window::new(480, 480));
        assert_eq!(rows.len(), 4);
        assert_eq!(
            (rows[0].sent, rows[0].late_90s, rows[0].within_60s),
            (10, 1, Some(0.9))
        );
        assert_eq!((rows[1].sent, rows[1].failed), (4, 2));
        assert_eq!(rows[1].p95, Quantile::AtLeast(90.0));
        // No posts of twitter/video in the window: kept, with no share.
        assert_eq!(
            (rows[2].sent, rows[2].within_60s, rows[2].p95),
            (0, None, Quantile::NoData)
        );
        let video = breakdown(
            &day(),
            &SeriesFilter::new(Vec::<String>::new(), [Media::Video]),
            Window::DAY,
        );
        assert_eq!(video.len(), 2);
        assert_eq!(video[1].sent, 5);
    }

    fn order(rows: &[BreakdownRow]) -> Vec<String> {
        rows.iter()
            .map(|r| format!("{}/{}", r.network, r.media))
            .collect()
    }

    #[test]
    fn sorts_by_every_column_both_ways() {
        let mut rows = breakdown(&day(), &SeriesFilter::all(), Window::new(480, 480));
        let asc = Direction::Ascending;
        let desc = Direction::Descending;
        sort_breakdown(&mut rows, BreakdownColumn::Network, asc);
        assert_eq!(
            order(&rows),
            [
                "facebook/video",
                "linkedin/link",
                "twitter/image",
                "twitter/video"
            ]
        );
        sort_breakdown(&mut rows, BreakdownColumn::Network, desc);
        assert_eq!(
            order(&rows),
            [
                "twitter/video",
                "twitter/image",
                "linkedin/link",
                "facebook/video"
            ]
        );
        sort_breakdown(&mut rows, BreakdownColumn::Media, asc);
        assert_eq!(
            order(&rows),
            [
                "twitter/image",
                "linkedin/link",
                "facebook/video",
                "twitter/video"
            ]
        );
        sort_breakdown(&mut rows, BreakdownColumn::Sent, desc);
        assert_eq!(
            order(&rows),
            [
                "twitter/image",
                "facebook/video",
                "linkedin/link",
                "twitter/video"
            ]
        );
        sort_breakdown(&mut rows, BreakdownColumn::Sent, asc);
        assert_eq!(
            order(&rows),
            [
                "twitter/video",
                "facebook/video",
                "linkedin/link",
                "twitter/image"
            ]
        );
        sort_breakdown(&mut rows, BreakdownColumn::Failed, desc);
        assert_eq!(
            order(&rows),
            [
                "facebook/video",
                "linkedin/link",
                "twitter/image",
                "twitter/video"
            ]
        );
        sort_breakdown(&mut rows, BreakdownColumn::Late90s, asc);
        assert_eq!(
            order(&rows),
            [
                "linkedin/link",
                "twitter/video",
                "twitter/image",
                "facebook/video"
            ]
        );
        // Shares: 0.25, 1.0, 0.9, none → none stays last both ways.
        sort_breakdown(&mut rows, BreakdownColumn::Within60s, asc);
        assert_eq!(
            order(&rows),
            [
                "facebook/video",
                "twitter/image",
                "linkedin/link",
                "twitter/video"
            ]
        );
        sort_breakdown(&mut rows, BreakdownColumn::Within60s, desc);
        assert_eq!(
            order(&rows),
            [
                "linkedin/link",
                "twitter/image",
                "facebook/video",
                "twitter/video"
            ]
        );
        // p95: 57 (linkedin), ≥ 90 (twitter/image: rank 9.5 of 10 is in the open bucket), ≥ 90, n/a.
        sort_breakdown(&mut rows, BreakdownColumn::P95, desc);
        assert_eq!(
            order(&rows),
            [
                "facebook/video",
                "twitter/image",
                "linkedin/link",
                "twitter/video"
            ]
        );
        sort_breakdown(&mut rows, BreakdownColumn::P95, asc);
        assert_eq!(
            order(&rows),
            [
                "linkedin/link",
                "facebook/video",
                "twitter/image",
                "twitter/video"
            ]
        );
    }

    #[test]
    fn column_names_round_trip() {
        for c in BreakdownColumn::ALL {
            assert_eq!(BreakdownColumn::parse(c.as_str()), Some(c));
        }
        assert_eq!(BreakdownColumn::parse("nope"), None);
    }
}
