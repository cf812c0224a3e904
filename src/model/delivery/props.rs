//! Property tests of the delivery model against brute-force sums.

use super::*;
use crate::api::{Day, DeliveryDay, Media, Series, MINUTES_PER_DAY};
use crate::model::sort::Direction;
use proptest::prelude::*;

const STD_BOUNDS: [f64; 11] = [
    10.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 180.0, 300.0, 600.0, 1800.0,
];
const NETWORKS: [&str; 3] = ["twitter", "facebook", "instagram"];

fn minute() -> impl Strategy<Value = usize> {
    // Mostly around 08:00, where windows are likely to look.
    prop_oneof![0usize..MINUTES_PER_DAY, 470usize..490]
}

fn window() -> impl Strategy<Value = Window> {
    prop_oneof![
        Just(Window::DAY),
        (465u16..495, 465u16..495).prop_map(|(a, b)| Window::new(a, b)),
        (0u16..1500, 0u16..1500).prop_map(|(a, b)| Window::new(a, b)),
    ]
}

fn series(buckets: usize) -> impl Strategy<Value = Series> {
    (
        0..NETWORKS.len(),
        0..Media::ALL.len(),
        prop::collection::vec((minute(), 0..buckets, 0u32..1000), 0..40),
        prop::collection::vec((minute(), 0u32..50), 0..8),
    )
        .prop_map(move |(n, m, cells, failed)| {
            let mut counts = vec![0; MINUTES_PER_DAY * buckets];
            for (minute, b, c) in cells {
                counts[minute * buckets + b] += c;
            }
            let mut f = vec![0; MINUTES_PER_DAY];
            for (minute, c) in failed {
                f[minute] += c;
            }
            Series {
                network: NETWORKS[n].into(),
                media: Media::ALL[m],
                counts,
                failed: f,
            }
        })
}

/// A valid day: ascending bounds (a subset of the usual ones) and up to
/// four series.
fn valid_day() -> impl Strategy<Value = DeliveryDay> {
    prop::sample::subsequence(STD_BOUNDS.to_vec(), 1..=STD_BOUNDS.len()).prop_flat_map(|bounds| {
        let buckets = bounds.len() + 1;
        prop::collection::vec(series(buckets), 0..4).prop_map(move |series| DeliveryDay {
            date: Day::parse("2016-08-03").unwrap(),
            bounds_s: bounds.clone(),
            series,
        })
    })
}

fn filter() -> impl Strategy<Value = SeriesFilter> {
    (
        prop::sample::subsequence(NETWORKS.to_vec(), 0..=2),
        prop::sample::subsequence(Media::ALL.to_vec(), 0..=2),
    )
        .prop_map(|(n, m)| SeriesFilter::new(n, m))
}

/// The histogram of `w` summed the slow way, straight from the document.
fn brute_force(day: &DeliveryDay, f: &SeriesFilter, w: Window) -> (Vec<u64>, u64) {
    let b = day.buckets();
    let mut counts = vec![0u64; b];
    let mut failed = 0;
    for s in day.series.iter().filter(|s| f.matches(&s.network, s.media)) {
        for m in w.minutes() {
            for (i, c) in counts.iter_mut().enumerate() {
                *c += u64::from(s.counts[m * b + i]);
            }
            failed += u64::from(s.failed[m]);
        }
    }
    (counts, failed)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn windows_equal_brute_force(day in valid_day(), f in filter(), w in window()) {
        let h = DayHistogram::new(&day, &f);
        let got = h.window(w);
        let (counts, failed) = brute_force(&day, &f, w);
        prop_assert_eq!(got.counts(), &counts[..]);
        prop_assert_eq!(got.failed(), failed);
        // The whole day equals the day's totals.
        let (day_counts, day_failed) = brute_force(&day, &f, Window::DAY);
        let whole = h.window(Window::DAY);
        prop_assert_eq!(whole.counts(), &day_counts[..]);
        prop_assert_eq!(whole.failed(), day_failed);
    }

    #[test]
    fn adjacent_windows_add_up(day in valid_day(), a in 0u16..1440, b in 0u16..1440, c in 0u16..1440) {
        let mut v = [a, b, c];
        v.sort_unstable();
        let [a, b, c] = v;
        let h = DayHistogram::new(&day, &SeriesFilter::all());
        let left = h.window(Window::new(a, b));
        let right = h.window(Window::new(b + 1, c));
        let whole = h.window(Window::new(a, c));
        let summed: Vec<u64> = left.counts().iter().zip(right.counts()).map(|(x, y)| x + y).collect();
        prop_assert_eq!(&summed[..], whole.counts());
        prop_assert_eq!(left.failed() + right.failed(), whole.failed());
    }

    #[test]
    fn class_shares_add_up_to_one(day in valid_day(), f in filter(), w in window()) {
        let h = DayHistogram::new(&day, &f);
        let mut total = DelayClasses::default();
        for mc in h.minute_classes(w) {
            let c = mc.classes;
            if let Some(shares) = c.shares() {
                prop_assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            } else {
                prop_assert_eq!(c.total(), 0);
            }
            total.lt60 += c.lt60;
            total.from60to90 += c.from60to90;
            total.ge90 += c.ge90;
            total.failed += c.failed;
        }
        let hist = h.window(w);
        prop_assert_eq!(total, hist.classes());
        let k = hist.kpis();
        prop_assert_eq!(k.sent, hist.sent());
        prop_assert_eq!(k.late_90s, total.ge90);
        if let Some(shares) = total.shares() {
            prop_assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        // With 60 and 90 among the bounds the classes are the exact sums.
        if k.edges.is_exact() {
            prop_assert_eq!(Some(total.lt60), hist.count_below(60.0));
            prop_assert_eq!(Some(total.ge90), hist.count_at_least(90.0));
            prop_assert_eq!(k.within_60s, hist.share_below(60.0));
        }
    }

    #[test]
    fn quantiles_are_monotone(day in valid_day(), w in window(), mut qs in prop::collection::vec(0.0f64..=1.0, 1..20)) {
        let hist = DayHistogram::new(&day, &SeriesFilter::all()).window(w);
        qs.extend([0.0, 0.5, 0.95, 0.99, 1.0]);
        qs.sort_by(f64::total_cmp);
        let values: Vec<Quantile> = qs.iter().map(|&q| hist.quantile(q)).collect();
        for pair in values.windows(2) {
            prop_assert!(pair[0].total_cmp(&pair[1]).is_le(), "{:?} then {:?}", pair[0], pair[1]);
        }
        let bounds = hist.bounds_s();
        let last = *bounds.last().unwrap();
        for v in values {
            match v {
                Quantile::NoData => prop_assert_eq!(hist.sent(), 0),
                Quantile::AtLeast(b) => prop_assert_eq!(b, last),
                Quantile::Seconds(s) => prop_assert!((0.0..=last).contains(&s)),
            }
        }
    }

    #[test]
    fn breakdown_rows_add_up_to_the_totals(day in valid_day(), f in filter(), w in window(), col in 0usize..7, desc: bool) {
        let mut rows = breakdown(&day, &f, w);
        let dir = if desc { Direction::Descending } else { Direction::Ascending };
        sort_breakdown(&mut rows, BreakdownColumn::ALL[col], dir);
        let k = DayHistogram::new(&day, &f).kpis(w);
        prop_assert_eq!(rows.iter().map(|r| r.sent).sum::<u64>(), k.sent);
        prop_assert_eq!(rows.iter().map(|r| r.failed).sum::<u64>(), k.failed);
        prop_assert_eq!(rows.iter().map(|r| r.late_90s).sum::<u64>(), k.late_90s);
        let within: f64 = rows.iter().filter_map(|r| Some(r.within_60s? * r.sent as f64)).sum();
        let expected = k.within_60s.map_or(0.0, |s| s * k.sent as f64);
        prop_assert!((within - expected).abs() < 1e-6);
    }

    #[test]
    fn chart_series_cover_the_window(day in valid_day(), w in window(), g in 0usize..20) {
        let h = DayHistogram::new(&day, &SeriesFilter::all());
        let sent = h.window(w).sent();
        let points = h.quantile_series(w, g);
        prop_assert_eq!(points.iter().map(|p| p.sent).sum::<u64>(), sent);
        let covered: usize = points.iter().map(|p| usize::from(p.to - p.from) + 1).sum();
        prop_assert_eq!(covered, w.len());
        let cells = h.heatmap(w);
        prop_assert_eq!(cells.len(), w.len() * h.buckets());
        prop_assert_eq!(cells.iter().map(|c| c.count).sum::<u64>(), sent);
    }

    #[test]
    fn nothing_panics_on_arbitrary_input(
        bounds in prop::collection::vec(prop_oneof![any::<f64>(), -100.0f64..2000.0], 0..5),
        lens in prop::collection::vec((0usize..20_000, 0usize..2000, any::<u32>()), 0..3),
        w in (any::<u16>(), any::<u16>()),
        q in any::<f64>(),
        g in any::<usize>(),
    ) {
        let series = lens
            .into_iter()
            .map(|(n, nf, v)| Series {
                network: "x".into(),
                media: Media::Text,
                counts: vec![v; n],
                failed: vec![v; nf],
            })
            .collect();
        let day = DeliveryDay { date: Day::parse("2016-08-03").unwrap(), bounds_s: bounds, series };
        let w = Window::new(w.0, w.1);
        let h = DayHistogram::new(&day, &SeriesFilter::all());
        let hist = h.window(w);
        // Only that nothing panics: the values are checked by the tests above.
        let _ = (hist.quantile(q).raw(), hist.quantile(q).label(), hist.kpis(), hist.share_below(q));
        let _ = (hist.count_at_least(q), h.minute_classes(w), h.quantile_series(w, g));
        let _ = (h.heatmap(Window::new(w.from % 1440, w.from % 1440 + 3)), h.minute(usize::from(w.from)));
        let _ = DayComparison::of(&h, &h, w);
        let mut rows = breakdown(&day, &SeriesFilter::all(), w);
        sort_breakdown(&mut rows, BreakdownColumn::P95, Direction::Descending);
        let _ = bucket_label(&day.bounds_s, g % 8);
    }
}
