//! Per-pixel-column reduction of series (M4), before drawing.
//!
//! Contract of [`m4`]: given points sorted by x, an x window `[x0, x1)` and a
//! width of `width` pixel columns (the column of x is
//! `floor((x - x0) / (x1 - x0) * width)`), it returns, in input order, for every column the first, the
//! lowest, the highest and the last point of that column (fewer when they
//! coincide), plus the last point before the window and the first point
//! after it, so the line still enters and leaves the window. Points keep
//! their original x and y. Drawing the result as a polyline colours the same
//! pixels as drawing every point: inside a column, the line only ever spans
//! from its lowest to its highest point, and it enters and leaves the column
//! through the first and last points.
//!
//! - Output length ≤ `4 * width + 2`.
//! - Points with a non-finite x or y are skipped (NaN never reaches the
//!   drawing).
//! - An empty, non-finite or reversed window, or `width == 0`, gives an
//!   empty result. Nothing panics, whatever the data.
//! - Unsorted input is not an error: columns are then reduced run by run
//!   and scanning stops at the first point past the window.

/// A point of a series.
pub type Point = (f64, f64);

/// M4 reduction of the points `(xs[i], ys[i])` (the shorter slice wins).
///
/// One tight pass: the current column is kept as plain indices and values
/// (no per-point structs), so a million points cost a few milliseconds.
pub fn m4(xs: &[f64], ys: &[f64], window: (f64, f64), width: usize) -> Vec<Point> {
    let Some(columns) = Columns::new(window, width) else {
        return Vec::new();
    };
    let point = |i: usize| Some((*xs.get(i)?, *ys.get(i)?));
    let mut out = Vec::with_capacity(width.saturating_mul(4).min(xs.len()).saturating_add(2));
    let mut before: Option<usize> = None;
    let mut after: Option<usize> = None;
    // The current column (NaN: none yet) and its first, lowest, highest
    // and last point.
    let mut current = f64::NAN;
    let [mut first, mut low, mut high, mut last] = [0usize; 4];
    let (mut low_y, mut high_y) = (0.0, 0.0);
    for (i, (&x, &y)) in xs.iter().zip(ys).enumerate() {
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let c = columns.index(x);
        if c == current {
            if y < low_y {
                (low_y, low) = (y, i);
            }
            if y > high_y {
                (high_y, high) = (y, i);
            }
            last = i;
            continue;
        }
        if c < 0.0 {
            before = Some(i);
            continue;
        }
        if c >= columns.width || c.is_nan() {
            after = Some(i);
            break;
        }
        if current.is_nan() {
            if let Some(b) = before.take().and_then(point) {
                out.push(b);
            }
        } else {
            flush([first, low, high, last], &point, &mut out);
        }
        current = c;
        [first, low, high, last] = [i; 4];
        (low_y, high_y) = (y, y);
    }
    if !current.is_nan() {
        flush([first, low, high, last], &point, &mut out);
    } else if let Some(b) = before.and_then(point) {
        out.push(b);
    }
    if let Some(a) = after.and_then(point) {
        out.push(a);
    }
    out
}

/// Pushes a column's points in input order, each once.
fn flush(mut four: [usize; 4], point: &impl Fn(usize) -> Option<Point>, out: &mut Vec<Point>) {
    four.sort_unstable();
    let mut previous = None;
    for i in four {
        if previous != Some(i) {
            if let Some(p) = point(i) {
                out.push(p);
            }
            previous = Some(i);
        }
    }
}

/// M4 reduction of `ys` with the implicit `x = index`.
pub fn m4_indexed(ys: &[f64], window: (f64, f64), width: usize) -> Vec<Point> {
    let xs: Vec<f64> = (0..ys.len()).map(|i| i as f64).collect();
    m4(&xs, ys, window, width)
}

/// The column of `x`, `None` when the window is unusable. Columns below 0
/// are before the window, at or above `width` after it.
#[derive(Clone, Copy)]
struct Columns {
    x0: f64,
    per_unit: f64,
    width: f64,
}

impl Columns {
    fn new((x0, x1): (f64, f64), width: usize) -> Option<Self> {
        let per_unit = width as f64 / (x1 - x0);
        (x0.is_finite() && x1.is_finite() && x1 > x0 && width > 0 && per_unit.is_finite())
            .then_some(Self {
                x0,
                per_unit,
                width: width as f64,
            })
    }

    /// The column number of `x` as a float (negative: before the window;
    /// `width` or more, or NaN: after it).
    #[inline(always)]
    fn index(&self, x: f64) -> f64 {
        ((x - self.x0) * self.per_unit).floor()
    }

    fn of(&self, x: f64) -> Place {
        let c = self.index(x);
        if c < 0.0 {
            Place::Before
        } else if c >= self.width || c.is_nan() {
            Place::After
        } else {
            Place::In(c as usize)
        }
    }
}

enum Place {
    Before,
    In(usize),
    After,
}

/// A band sample: x, lower and upper value.
pub type BandPoint = (f64, f64, f64);

/// Reduces a band (`lower[i] ≤ upper[i]` at `xs[i]`) to its envelope per
/// pixel column: the first and last x of each column, both with the
/// column's lowest lower and highest upper value, plus one sample before
/// and after the window. Samples with any non-finite value are skipped.
/// Same window rules as [`m4`]; output length ≤ `2 * width + 2`.
pub fn band_envelope(
    xs: &[f64],
    lower: &[f64],
    upper: &[f64],
    window: (f64, f64),
    width: usize,
) -> Vec<BandPoint> {
    let Some(columns) = Columns::new(window, width) else {
        return Vec::new();
    };
    let mut out: Vec<BandPoint> = Vec::new();
    let mut before = None;
    // (column, first x, last x, min lower, max upper)
    let mut current: Option<(usize, f64, f64, f64, f64)> = None;
    let flush = |out: &mut Vec<BandPoint>, (_, fx, lx, lo, hi): (usize, f64, f64, f64, f64)| {
        out.push((fx, lo, hi));
        if lx != fx {
            out.push((lx, lo, hi));
        }
    };
    let samples = xs
        .iter()
        .zip(lower)
        .zip(upper)
        .map(|((x, l), u)| (*x, *l, *u));
    let mut after = None;
    for (x, l, u) in samples {
        if !(x.is_finite() && l.is_finite() && u.is_finite()) {
            continue;
        }
        match columns.of(x) {
            Place::Before => before = Some((x, l, u)),
            Place::After => {
                after = Some((x, l, u));
                break;
            }
            Place::In(col) => match current.as_mut() {
                Some(c) if c.0 == col => {
                    c.2 = x;
                    c.3 = c.3.min(l);
                    c.4 = c.4.max(u);
                }
                _ => {
                    if let Some(c) = current.take() {
                        flush(&mut out, c);
                    } else if let Some(b) = before.take() {
                        out.push(b);
                    }
                    current = Some((col, x, x, l, u));
                }
            },
        }
    }
    if let Some(c) = current {
        flush(&mut out, c);
    } else if let Some(b) = before {
        out.push(b);
    }
    if let Some(a) = after {
        out.push(a);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column_of(x: f64, window: (f64, f64), width: usize) -> Option<usize> {
        let c = ((x - window.0) / (window.1 - window.0) * width as f64).floor();
        (c >= 0.0 && c < width as f64).then_some(c as usize)
    }

    #[test]
    fn keeps_first_min_max_last_in_order() {
        let ys = [5.0, 1.0, 9.0, 3.0, 4.0, 7.0, 2.0, 6.0];
        // 8 points, 2 columns of 4.
        let out = m4_indexed(&ys, (0.0, 8.0), 2);
        assert_eq!(
            out,
            vec![
                (0.0, 5.0),
                (1.0, 1.0),
                (2.0, 9.0),
                (3.0, 3.0),
                (4.0, 4.0),
                (5.0, 7.0),
                (6.0, 2.0),
                (7.0, 6.0)
            ]
        );
        let ys = [5.0, 6.0, 1.0, 2.0, 9.0, 8.0, 3.0];
        let out = m4_indexed(&ys, (0.0, 7.0), 1);
        assert_eq!(out, vec![(0.0, 5.0), (2.0, 1.0), (4.0, 9.0), (6.0, 3.0)]);
    }

    #[test]
    fn deduplicates_and_skips_nan() {
        assert_eq!(m4_indexed(&[1.0], (0.0, 1.0), 10), vec![(0.0, 1.0)]);
        let ys = [f64::NAN, 2.0, f64::INFINITY, 1.0, f64::NAN];
        assert_eq!(m4_indexed(&ys, (0.0, 5.0), 1), vec![(1.0, 2.0), (3.0, 1.0)]);
        assert!(m4_indexed(&[f64::NAN; 10], (0.0, 10.0), 3).is_empty());
        let xs = [0.0, f64::NAN, 2.0];
        assert_eq!(
            m4(&xs, &[1.0, 2.0, 3.0], (0.0, 3.0), 3),
            vec![(0.0, 1.0), (2.0, 3.0)]
        );
    }

    #[test]
    fn keeps_neighbours_outside_the_window() {
        let ys: Vec<f64> = (0..100).map(f64::from).collect();
        let out = m4_indexed(&ys, (10.0, 20.0), 10);
        assert_eq!(out.first(), Some(&(9.0, 9.0)));
        assert_eq!(out.last(), Some(&(20.0, 20.0)));
        assert_eq!(out.len(), 12);
        // Nothing inside the window: the two neighbours still make a line.
        let out = m4(&[0.0, 10.0], &[1.0, 2.0], (4.0, 6.0), 5);
        assert_eq!(out, vec![(0.0, 1.0), (10.0, 2.0)]);
    }

    #[test]
    fn bad_windows_give_nothing() {
        let ys = [1.0, 2.0];
        assert!(m4_indexed(&ys, (0.0, 0.0), 10).is_empty());
        assert!(m4_indexed(&ys, (1.0, 0.0), 10).is_empty());
        assert!(m4_indexed(&ys, (f64::NAN, 1.0), 10).is_empty());
        assert!(m4_indexed(&ys, (0.0, 1.0), 0).is_empty());
        assert!(m4_indexed(&ys, (0.0, f64::MIN_POSITIVE), usize::MAX).is_empty());
        assert!(m4_indexed(&[], (0.0, 1.0), 10).is_empty());
        // Huge values do not overflow.
        let out = m4(&[-1e308, 0.0, 1e308], &[1e308, -1e308, 0.0], (-1.0, 1.0), 4);
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn a_million_points() {
        let ys: Vec<f64> = (0..1_000_000)
            .map(|i| (f64::from(i) * 0.001).sin() * 100.0 + f64::from(i % 7))
            .collect();
        let width = 800;
        let out = m4_indexed(&ys, (0.0, 1_000_000.0), width);
        assert!(out.len() <= 4 * width);
        assert!(out.len() >= 2 * width);
        let max = ys.iter().copied().fold(f64::MIN, f64::max);
        let min = ys.iter().copied().fold(f64::MAX, f64::min);
        assert!(out.iter().any(|p| p.1 == max));
        assert!(out.iter().any(|p| p.1 == min));
    }

    #[test]
    fn band_envelope_per_column() {
        let xs = [0.0, 1.0, 2.0, 3.0];
        let lo = [1.0, 0.0, 2.0, f64::NAN];
        let hi = [5.0, 6.0, 4.0, 9.0];
        let out = band_envelope(&xs, &lo, &hi, (0.0, 4.0), 1);
        assert_eq!(out, vec![(0.0, 0.0, 6.0), (2.0, 0.0, 6.0)]);
        let out = band_envelope(&xs, &lo, &hi, (0.0, 4.0), 4);
        assert_eq!(out, vec![(0.0, 1.0, 5.0), (1.0, 0.0, 6.0), (2.0, 2.0, 4.0)]);
        assert!(band_envelope(&xs, &lo, &hi, (0.0, 0.0), 4).is_empty());
        let out = band_envelope(&xs, &lo, &hi, (1.5, 1.8), 4);
        assert_eq!(out, vec![(1.0, 0.0, 6.0), (2.0, 2.0, 4.0)]);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;
        use super::column_of;
        use proptest::prelude::*;

        fn series() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
            prop::collection::vec(
                (
                    0.0f64..5.0,
                    prop_oneof![
                        8 => -1e6f64..1e6,
                        1 => Just(f64::NAN),
                        1 => Just(0.0),
                    ],
                ),
                0..600,
            )
            .prop_map(|steps| {
                let mut x = -50.0;
                let mut xs = Vec::with_capacity(steps.len());
                let mut ys = Vec::with_capacity(steps.len());
                for (dx, y) in steps {
                    x += dx;
                    xs.push(x);
                    ys.push(y);
                }
                (xs, ys)
            })
        }

        proptest! {
            #[test]
            fn keeps_every_column_extreme(
                (xs, ys) in series(),
                width in 1usize..300,
                x0 in -60.0f64..100.0,
                span in 0.5f64..2000.0,
            ) {
                let window = (x0, x0 + span);
                let out = m4(&xs, &ys, window, width);
                prop_assert!(out.len() <= 4 * width + 2);
                // Every output point is an input point, in input order.
                let mut cursor = 0;
                for p in &out {
                    let found = (cursor..xs.len()).find(|&i| xs[i] == p.0 && ys[i] == p.1);
                    prop_assert!(found.is_some(), "point {:?} not in input order", p);
                    cursor = found.unwrap_or(cursor) + 1;
                }
                // Every column keeps its true min and max (with their x).
                let mut extremes: std::collections::BTreeMap<usize, (Point, Point)> = Default::default();
                for (&x, &y) in xs.iter().zip(&ys) {
                    if !y.is_finite() {
                        continue;
                    }
                    if let Some(c) = column_of(x, window, width) {
                        let e = extremes.entry(c).or_insert(((x, y), (x, y)));
                        if y < e.0 .1 { e.0 = (x, y); }
                        if y > e.1 .1 { e.1 = (x, y); }
                    }
                }
                for (c, (lo, hi)) in extremes {
                    prop_assert!(out.iter().any(|p| p.1 == lo.1 && column_of(p.0, window, width) == Some(c)), "min of column {c} lost");
                    prop_assert!(out.iter().any(|p| p.1 == hi.1 && column_of(p.0, window, width) == Some(c)), "max of column {c} lost");
                }
                // Never NaN.
                prop_assert!(out.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
            }
        }
    }
}
