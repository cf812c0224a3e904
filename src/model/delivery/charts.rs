//! Per-minute series of a [`DayHistogram`] for the delivery charts: delay
//! classes for the stacked bars, quantiles per minute or per group of
//! minutes, and heatmap cells (minute × bucket).
//!
//! Every function walks only the minutes of the window, every minute of it
//! (empty minutes included, so the charts keep a regular time axis).

use super::day::{add_into, DayHistogram, Window};
use super::histogram::{quantile_of, sum, ClassEdges, DelayClasses, Quantile};

/// The delay classes of the posts due in one minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MinuteClasses {
    /// Minute of the day, 0–1439.
    pub minute: u16,
    /// Posts in each delay class.
    pub classes: DelayClasses,
}

/// Quantiles of the posts due in the minutes `from..=to`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QuantilePoint {
    /// First minute of the group.
    pub from: u16,
    /// Last minute of the group (inclusive).
    pub to: u16,
    /// Posts sent in those minutes (quantiles are `NoData` when 0).
    pub sent: u64,
    /// The median delay.
    pub p50: Quantile,
    /// The 95th percentile.
    pub p95: Quantile,
    /// The 99th percentile.
    pub p99: Quantile,
}

/// One heatmap cell: the posts due in `minute` that fell in `bucket`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeatCell {
    /// Minute of the day, 0–1439.
    pub minute: u16,
    /// The delay bucket, an index into the day's bounds.
    pub bucket: usize,
    /// Posts in it.
    pub count: u64,
    /// `count` as a fraction of the posts sent that minute; 0 when none was.
    pub share: f64,
}

/// A minute index from [`Window::minutes`] (always below 1440) as `u16`.
fn minute_u16(m: usize) -> u16 {
    u16::try_from(m).unwrap_or(Window::LAST_MINUTE)
}

impl DayHistogram {
    /// For each minute of `w`, its posts by delay class, for the stacked
    /// bars `[lt60, from60to90, ge90, failed]`. The classes are exact when
    /// 60 and 90 are bounds; otherwise the nearest bounds stand in (see
    /// [`ClassEdges::resolve`], and `ClassEdges::resolve(self.bounds_s())`
    /// for the edges to label the legend with).
    pub fn minute_classes(&self, w: Window) -> Vec<MinuteClasses> {
        let edges = ClassEdges::resolve(self.bounds_s());
        self.rows(w)
            .map(|(m, row, failed)| MinuteClasses {
                minute: minute_u16(m),
                classes: edges.split(row, failed),
            })
            .collect()
    }

    /// p50, p95 and p99 of the minutes of `w`, in groups of
    /// `group_minutes` minutes (0 is read as 1). Groups are aligned to the
    /// clock (a 5-minute group starts at a minute divisible by 5: 08:00,
    /// 08:05, …) and clipped to the window, so the first and last groups
    /// may be shorter.
    pub fn quantile_series(&self, w: Window, group_minutes: usize) -> Vec<QuantilePoint> {
        let g = group_minutes.max(1);
        let bounds = self.bounds_s();
        let point = |from: usize, to: usize, acc: &[u64]| QuantilePoint {
            from: minute_u16(from),
            to: minute_u16(to),
            sent: sum(acc),
            p50: quantile_of(acc, bounds, 0.5),
            p95: quantile_of(acc, bounds, 0.95),
            p99: quantile_of(acc, bounds, 0.99),
        };
        let mut out = Vec::with_capacity(w.len() / g + 2);
        let mut acc = vec![0u64; self.buckets()];
        // (first minute, last minute) of the group being summed.
        let mut group: Option<(usize, usize)> = None;
        for (m, row, _) in self.rows(w) {
            match group {
                Some((first, last)) if first / g != m / g => {
                    out.push(point(first, last, &acc));
                    acc.fill(0);
                    group = Some((m, m));
                }
                Some((first, _)) => group = Some((first, m)),
                None => group = Some((m, m)),
            }
            add_into(&mut acc, row);
        }
        if let Some((first, last)) = group {
            out.push(point(first, last, &acc));
        }
        out
    }

    /// The heatmap of `w`: for each minute (in order), one cell per bucket
    /// (in order), so `w.len() × buckets()` cells.
    pub fn heatmap(&self, w: Window) -> Vec<HeatCell> {
        let mut out = Vec::with_capacity(w.len() * self.buckets());
        for (m, row, _) in self.rows(w) {
            let sent = sum(row);
            out.extend(row.iter().enumerate().map(|(bucket, &count)| HeatCell {
                minute: minute_u16(m),
                bucket,
                count,
                share: if sent > 0 {
                    count as f64 / sent as f64
                } else {
                    0.0
                },
            }));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::day::SeriesFilter;
    use super::*;
    use crate::api::{Day, DeliveryDay, Media, Series};

    /// Bounds [60, 90]: buckets [0, 60), [60, 90), [90, ∞).
    fn hist(cells: &[(usize, usize, u32)], failed: &[(usize, u32)]) -> DayHistogram {
        let mut counts = vec![0; 1440 * 3];
        for &(m, b, n) in cells {
            counts[m * 3 + b] = n;
        }
        let mut f = vec![0; 1440];
        for &(m, n) in failed {
            f[m] = n;
        }
        let day = DeliveryDay {
            date: Day::parse("2016-08-03").unwrap(),
            bounds_s: vec![60.0, 90.0],
            series: vec![Series {
                network: "twitter".into(),
                media: Media::Text,
                counts,
                failed: f,
            }],
        };
        DayHistogram::new(&day, &SeriesFilter::all())
    }

    #[test]
    fn classes_per_minute() {
        let h = hist(
            &[(480, 0, 95), (480, 1, 3), (480, 2, 2), (481, 2, 1)],
            &[(482, 4)],
        );
        let c = h.minute_classes(Window::new(479, 482));
        assert_eq!(c.len(), 4);
        assert_eq!(c[0].minute, 479);
        assert_eq!(c[0].classes.shares(), None);
        assert_eq!(
            c[1].classes,
            DelayClasses {
                lt60: 95,
                from60to90: 3,
                ge90: 2,
                failed: 0
            }
        );
        assert_eq!(c[1].classes.shares(), Some([0.95, 0.03, 0.02, 0.0]));
        assert_eq!(c[2].classes.ge90, 1);
        assert_eq!(c[3].classes.failed, 4);
        assert!(h.minute_classes(Window::new(5, 4)).is_empty());
    }

    #[test]
    fn quantiles_in_clock_aligned_groups() {
        // Minute 478: 2 posts in [0, 60) → p50 = 30.
        // Minute 480: 1 in [60, 90), 1 at 90 s or more.
        let h = hist(&[(478, 0, 2), (480, 1, 1), (480, 2, 1)], &[]);
        let s = h.quantile_series(Window::new(477, 486), 5);
        let spans: Vec<(u16, u16)> = s.iter().map(|p| (p.from, p.to)).collect();
        assert_eq!(spans, [(477, 479), (480, 484), (485, 486)]);
        assert_eq!(s[0].sent, 2);
        assert_eq!(s[0].p50, Quantile::Seconds(30.0));
        assert_eq!(s[0].p99, Quantile::Seconds(59.4));
        // Rank 1 of 2 is the top of [60, 90); above it is the open bucket.
        assert_eq!(s[1].p50, Quantile::Seconds(90.0));
        assert_eq!(s[1].p95, Quantile::AtLeast(90.0));
        assert_eq!((s[2].sent, s[2].p50), (0, Quantile::NoData));
        // Per minute, and group 0 read as 1.
        let per_minute = h.quantile_series(Window::new(478, 480), 0);
        assert_eq!(per_minute.len(), 3);
        assert_eq!(per_minute[1].p50, Quantile::NoData);
        assert!(h.quantile_series(Window::new(9, 1), 5).is_empty());
    }

    #[test]
    fn heatmap_cells() {
        let h = hist(&[(480, 0, 3), (480, 2, 1)], &[]);
        let cells = h.heatmap(Window::new(480, 481));
        assert_eq!(cells.len(), 6);
        assert_eq!(
            (cells[0].minute, cells[0].bucket, cells[0].count),
            (480, 0, 3)
        );
        assert_eq!(cells[0].share, 0.75);
        assert_eq!(cells[2].share, 0.25);
        assert_eq!((cells[3].minute, cells[3].share), (481, 0.0));
    }
}
