//! The selection (series filter and minute window) and a day's selected
//! series summed into one minute-major histogram.

use super::histogram::{Histogram, Kpis};
use crate::api::{Day, DeliveryDay, Media, MINUTES_PER_DAY};
use crate::model::choice::Choice;
use std::ops::Range;
use std::sync::Arc;

/// Which series of a day to count: a series is selected when its network
/// is in `networks` and its media in `media`, an empty set meaning "all".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeriesFilter {
    /// Only these networks; none for all.
    pub networks: Choice<String>,
    /// Only these media kinds; none for all.
    pub media: Choice<Media>,
}

impl SeriesFilter {
    /// Every series.
    pub fn all() -> Self {
        Self::default()
    }

    /// The series of these networks and media (empty = all).
    pub fn new<S: Into<String>>(
        networks: impl IntoIterator<Item = S>,
        media: impl IntoIterator<Item = Media>,
    ) -> Self {
        Self {
            networks: networks.into_iter().map(Into::into).collect(),
            media: media.into_iter().collect(),
        }
    }

    /// Whether the series `(network, media)` is selected.
    pub fn matches(&self, network: &str, media: Media) -> bool {
        self.networks.allows(network) && self.media.allows(&media)
    }
}

/// Due minutes `from..=to` of a UTC day (0 = 00:00 … 1439 = 23:59).
///
/// A window with `from > to` is empty, and `to` past 1439 is read as 1439,
/// so every window is safe to use; [`Window::is_valid`] tells the caller
/// whether to report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    /// First minute, 0–1439.
    pub from: u16,
    /// Last minute (inclusive), 0–1439.
    pub to: u16,
}

impl Window {
    /// The last minute of a day, 23:59.
    pub const LAST_MINUTE: u16 = MINUTES_PER_DAY as u16 - 1;
    /// The whole day.
    pub const DAY: Window = Window {
        from: 0,
        to: Self::LAST_MINUTE,
    };

    /// Minutes `from..=to`.
    pub fn new(from: u16, to: u16) -> Self {
        Self { from, to }
    }

    /// Whether `from ≤ to ≤ 1439`.
    pub fn is_valid(self) -> bool {
        self.from <= self.to && self.to <= Self::LAST_MINUTE
    }

    /// The minutes as a half-open range of indices, clamped to the day;
    /// empty when `from > to`.
    pub fn minutes(self) -> Range<usize> {
        let to = usize::from(self.to.min(Self::LAST_MINUTE));
        let from = usize::from(self.from);
        if from > to {
            0..0
        } else {
            from..to + 1
        }
    }

    /// Number of minutes in the window.
    pub fn len(self) -> usize {
        self.minutes().len()
    }

    /// Whether the window holds no minute.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Whether `minute` is in the window.
    pub fn contains(self, minute: usize) -> bool {
        self.minutes().contains(&minute)
    }
}

impl Default for Window {
    fn default() -> Self {
        Self::DAY
    }
}

/// The selected series of one day summed per minute: a minute-major
/// histogram of `1440 × buckets` counts and 1440 failure counts. Build it
/// once per (day, filter); windows re-slice it.
#[derive(Clone, Debug, PartialEq)]
pub struct DayHistogram {
    date: Day,
    bounds_s: Arc<[f64]>,
    counts: Vec<u64>,
    failed: Vec<u64>,
    series: usize,
}

impl DayHistogram {
    /// Sums the series of `day` that `filter` selects. A series whose
    /// arrays are shorter than the contract says (impossible after
    /// validation) contributes what it has.
    pub fn new(day: &DeliveryDay, filter: &SeriesFilter) -> Self {
        let buckets = day.buckets();
        let mut counts = vec![0u64; MINUTES_PER_DAY * buckets];
        let mut failed = vec![0u64; MINUTES_PER_DAY];
        let mut series = 0;
        for s in day
            .series
            .iter()
            .filter(|s| filter.matches(&s.network, s.media))
        {
            series += 1;
            add_into(&mut counts, &s.counts);
            add_into(&mut failed, &s.failed);
        }
        Self {
            date: day.date,
            bounds_s: day.bounds_s.as_slice().into(),
            counts,
            failed,
            series,
        }
    }

    /// The day.
    pub fn date(&self) -> Day {
        self.date
    }

    /// The bucket edges in seconds.
    pub fn bounds_s(&self) -> &[f64] {
        &self.bounds_s
    }

    pub(crate) fn bounds_arc(&self) -> Arc<[f64]> {
        Arc::clone(&self.bounds_s)
    }

    /// Number of buckets, `B + 1`.
    pub fn buckets(&self) -> usize {
        self.bounds_s.len() + 1
    }

    /// Number of series the filter selected.
    pub fn series_count(&self) -> usize {
        self.series
    }

    /// The bucket counts of one minute.
    pub fn minute(&self, minute: usize) -> Option<&[u64]> {
        let b = self.buckets();
        let start = minute.checked_mul(b)?;
        self.counts.get(start..start.checked_add(b)?)
    }

    /// Posts due in `minute` that were never sent (0 outside the day).
    pub fn failed_at(&self, minute: usize) -> u64 {
        self.failed.get(minute).copied().unwrap_or(0)
    }

    /// The minutes of `w` as `(minute, bucket counts, failed)`.
    pub(crate) fn rows(&self, w: Window) -> impl Iterator<Item = (usize, &[u64], u64)> + '_ {
        let r = w.minutes();
        let rows = self.counts.chunks_exact(self.buckets()).skip(r.start);
        let failed = self.failed.iter().skip(r.start).copied();
        r.zip(rows).zip(failed).map(|((m, row), f)| (m, row, f))
    }

    /// The histogram of the minutes in `w`.
    pub fn window(&self, w: Window) -> Histogram {
        let mut counts = vec![0u64; self.buckets()];
        let mut failed = 0u64;
        for (_, row, f) in self.rows(w) {
            add_into(&mut counts, row);
            failed += f;
        }
        Histogram::from_parts(self.bounds_arc(), counts, failed)
    }

    /// The headline numbers of the minutes in `w`.
    pub fn kpis(&self, w: Window) -> Kpis {
        self.window(w).kpis()
    }
}

/// Adds `src` into `acc` item by item (over the shorter length): the hot
/// loop, which the compiler vectorises.
///
/// Overflow is out of reach: an item is at most `u32::MAX`, so a `u64` sum
/// would need over 2^32 series, far more than memory can hold.
pub(crate) fn add_into<T: Copy + Into<u64>>(acc: &mut [u64], src: &[T]) {
    for (a, &c) in acc.iter_mut().zip(src) {
        *a += c.into();
    }
}

/// The summed histogram of minutes `w` of one series' minute-major counts
/// with `buckets` buckets, and its failures.
pub(crate) fn window_sum(
    counts: &[u32],
    failed: &[u32],
    buckets: usize,
    w: Window,
) -> (Vec<u64>, u64) {
    let r = w.minutes();
    let mut acc = vec![0u64; buckets];
    for row in counts
        .chunks_exact(buckets.max(1))
        .skip(r.start)
        .take(r.len())
    {
        add_into(&mut acc, row);
    }
    let f = failed
        .iter()
        .skip(r.start)
        .take(r.len())
        .map(|&f| u64::from(f))
        .sum();
    (acc, f)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::api::Series;

    /// A test series: `cells` are (minute, bucket, count), `failed` are
    /// (minute, count).
    pub(crate) fn series(
        network: &str,
        media: Media,
        buckets: usize,
        cells: &[(usize, usize, u32)],
        failed: &[(usize, u32)],
    ) -> Series {
        let mut counts = vec![0; MINUTES_PER_DAY * buckets];
        for &(m, b, n) in cells {
            counts[m * buckets + b] += n;
        }
        let mut f = vec![0; MINUTES_PER_DAY];
        for &(m, n) in failed {
            f[m] += n;
        }
        Series {
            network: network.into(),
            media,
            counts,
            failed: f,
        }
    }

    fn day() -> DeliveryDay {
        DeliveryDay {
            date: Day::parse("2016-08-03").unwrap(),
            bounds_s: vec![60.0, 90.0],
            series: vec![
                series(
                    "twitter",
                    Media::Image,
                    3,
                    &[(480, 0, 5), (481, 2, 1)],
                    &[(480, 1)],
                ),
                series("twitter", Media::Video, 3, &[(480, 1, 2)], &[]),
                series(
                    "facebook",
                    Media::Video,
                    3,
                    &[(480, 2, 4), (0, 0, 7)],
                    &[(1439, 2)],
                ),
            ],
        }
    }

    #[test]
    fn windows_clamp_and_empty() {
        assert_eq!(Window::DAY.minutes(), 0..1440);
        assert_eq!(Window::new(480, 480).minutes(), 480..481);
        assert_eq!(Window::new(481, 480).minutes(), 0..0);
        assert!(Window::new(481, 480).is_empty());
        assert!(!Window::new(481, 480).is_valid());
        assert_eq!(Window::new(1400, 5000).minutes(), 1400..1440);
        assert_eq!(Window::new(5000, 6000).len(), 0);
        assert!(Window::new(7, 9).contains(9));
        assert_eq!(Window::default(), Window::DAY);
    }

    #[test]
    fn filters_select_series() {
        let d = day();
        let all = DayHistogram::new(&d, &SeriesFilter::all());
        assert_eq!(all.series_count(), 3);
        assert_eq!(all.minute(480), Some(&[5u64, 2, 4][..]));
        assert_eq!(all.failed_at(480), 1);
        assert_eq!(all.failed_at(1439), 2);
        assert_eq!(all.failed_at(1440), 0);
        assert_eq!(all.minute(1440), None);

        let video = DayHistogram::new(&d, &SeriesFilter::new(Vec::<String>::new(), [Media::Video]));
        assert_eq!(video.series_count(), 2);
        assert_eq!(video.minute(480), Some(&[0u64, 2, 4][..]));

        let tw_video = DayHistogram::new(&d, &SeriesFilter::new(["twitter"], [Media::Video]));
        assert_eq!(tw_video.series_count(), 1);
        assert_eq!(tw_video.window(Window::DAY).counts(), &[0, 2, 0]);

        let none = DayHistogram::new(&d, &SeriesFilter::new(["google"], []));
        assert_eq!(none.series_count(), 0);
        assert_eq!(none.window(Window::DAY).total(), 0);
    }

    #[test]
    fn windows_slice_the_day() {
        let h = DayHistogram::new(&day(), &SeriesFilter::all());
        let w = h.window(Window::new(480, 481));
        assert_eq!(w.counts(), &[5, 2, 5]);
        assert_eq!(w.failed(), 1);
        let whole = h.window(Window::DAY);
        assert_eq!(whole.counts(), &[12, 2, 5]);
        assert_eq!(whole.failed(), 3);
        let empty = h.window(Window::new(600, 500));
        assert_eq!((empty.sent(), empty.failed()), (0, 0));
        let k = h.kpis(Window::new(480, 480));
        assert_eq!((k.sent, k.failed, k.late_90s), (11, 1, 4));
        assert_eq!(k.within_60s, Some(5.0 / 11.0));
        let (counts, failed) = window_sum(
            &day().series[2].counts,
            &day().series[2].failed,
            3,
            Window::new(1, 1439),
        );
        assert_eq!((counts, failed), (vec![0, 0, 4], 2));
    }

    #[test]
    fn sums_fast() {
        // 24 series × 17,280 counts, as in the demo dataset.
        let bounds: Vec<f64> = vec![10., 20., 30., 45., 60., 90., 120., 180., 300., 600., 1800.];
        let b = bounds.len() + 1;
        let series = (0..24)
            .map(|i| Series {
                network: format!("n{}", i / 4),
                media: Media::ALL[i % 4],
                counts: (0..MINUTES_PER_DAY * b).map(|j| (j % 7) as u32).collect(),
                failed: vec![1; MINUTES_PER_DAY],
            })
            .collect();
        let d = DeliveryDay {
            date: Day::parse("2016-08-03").unwrap(),
            bounds_s: bounds,
            series,
        };
        let t = std::time::Instant::now();
        let h = DayHistogram::new(&d, &SeriesFilter::all());
        let built = t.elapsed();
        let t = std::time::Instant::now();
        let k = h.kpis(Window::DAY);
        let sliced = t.elapsed();
        println!(
            "DayHistogram::new: {built:?}; whole-day KPIs: {sliced:?} (this build's opt-level)"
        );
        assert_eq!(k.failed, 24 * 1440);
    }
}
