//! Scales and tick selection.
//!
//! Contract:
//! - [`LinearScale`] maps a domain interval onto a pixel range and back. It
//!   never panics and never returns NaN for a finite input: a non-finite
//!   domain or range is replaced by `(0, 1)`, and an empty domain (`d0 == d1`)
//!   maps every value to the middle of the range.
//! - [`nice_step`] picks a "nice" step (1, 2 or 5 × 10^k) for about `target`
//!   ticks, [`step_ticks`] its multiples inside `[lo, hi]`; [`nice_domain`]
//!   widens a domain outward to such a step.
//! - [`minute_ticks`] picks minutes-of-day ticks at 1, 5, 10, 15, 30 min, 1, 2,
//!   3 or 6 h spacing, labelled `HH:MM`.
//! - [`month_ticks`] picks month ticks every 1, 2, 3, 6 or 12 months (then
//!   whole multiples of years), labelled `Jan 2016`. Months are counted as
//!   [`month_index`] `= year * 12 + (month - 1)`.
//! - [`category_ticks`] labels every k-th category so that labels fit.
//!
//! Every tick function returns at most [`MAX_TICKS`] ticks, whatever the input
//! (NaN, infinite, reversed or huge ranges give an empty or short list).

use super::format::{minute_label, month_label};

/// No tick function returns more ticks than this.
pub const MAX_TICKS: usize = 200;

/// A tick: a value on the axis and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Where the tick is, in data units.
    pub value: f64,
    /// Its label.
    pub label: String,
}

/// A linear map from a domain `[d0, d1]` onto a range `[r0, r1]` (either may
/// be reversed, e.g. a y axis whose pixels grow downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearScale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl LinearScale {
    /// A scale from `domain` to `range`; non-finite ends become `(0, 1)`.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        let (d0, d1) = finite_pair(domain);
        let (r0, r1) = finite_pair(range);
        Self { d0, d1, r0, r1 }
    }

    /// The data interval mapped.
    pub fn domain(&self) -> (f64, f64) {
        (self.d0, self.d1)
    }

    /// The pixel interval it maps to.
    pub fn range(&self) -> (f64, f64) {
        (self.r0, self.r1)
    }

    /// Domain value → range position. NaN maps to NaN (callers skip it).
    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 || !span.is_finite() {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }

    /// Range position → domain value.
    pub fn invert(&self, px: f64) -> f64 {
        let span = self.r1 - self.r0;
        if span == 0.0 || !span.is_finite() {
            return self.d0;
        }
        self.d0 + (px - self.r0) / span * (self.d1 - self.d0)
    }
}

fn finite_pair((a, b): (f64, f64)) -> (f64, f64) {
    if a.is_finite() && b.is_finite() {
        (a, b)
    } else {
        (0.0, 1.0)
    }
}

/// The nice step (1, 2 or 5 × 10^k) that cuts `span` into about `target`
/// intervals, or `None` when the span is not a finite positive number.
pub fn nice_step(span: f64, target: usize) -> Option<f64> {
    let target = target.max(1) as f64;
    if !(span.is_finite() && span > 0.0) {
        return None;
    }
    let raw = span / target;
    let magnitude = decade_at_most(raw)?;
    let norm = raw / magnitude;
    // The thresholds are the geometric means of neighbouring steps, so the
    // count lands as close to the target as the 1-2-5 series allows.
    let factor = if norm >= 50f64.sqrt() {
        10.0
    } else if norm >= 10f64.sqrt() {
        5.0
    } else if norm >= 2f64.sqrt() {
        2.0
    } else {
        1.0
    };
    Some(factor * magnitude)
}

/// The largest power of ten at most `x` (finite, positive): exact up to
/// 10^22 and the correctly rounded 1/10^k below 1, found by counting
/// decades rather than with the float library's logarithm and power
/// (whose code the first chart would otherwise carry). `None` outside the
/// numbers an `f64` writes as powers of ten.
fn decade_at_most(x: f64) -> Option<f64> {
    if !(x.is_finite() && x > 0.0) {
        return None;
    }
    if x >= 1.0 {
        let mut up = 1.0f64;
        while up * 10.0 <= x {
            up *= 10.0;
        }
        return Some(up);
    }
    let mut down = 1.0f64;
    while 1.0 / down > x {
        down *= 10.0;
    }
    let magnitude = 1.0 / down;
    (magnitude > 0.0).then_some(magnitude)
}

/// Converts between multiples of a nice step and values so that steps
/// below 1 give exact decimals (`3 / 5` is `0.6`; `3 * 0.2` is not).
#[derive(Clone, Copy)]
struct Step {
    step: f64,
    /// `1 / step` when the step is below 1 (then a whole number).
    inverse: Option<f64>,
}

impl Step {
    fn new(step: f64) -> Self {
        let inverse = (step < 1.0).then(|| (1.0 / step).round());
        Self { step, inverse }
    }

    fn value(self, i: f64) -> f64 {
        match self.inverse {
            Some(inv) => i / inv,
            None => i * self.step,
        }
    }

    /// The nearest multiple index of `v`.
    fn index(self, v: f64) -> f64 {
        match self.inverse {
            Some(inv) => (v * inv).round(),
            None => (v / self.step).round(),
        }
    }

    /// The smallest multiple index whose value is `>= v`.
    fn ceil(self, v: f64) -> f64 {
        let i = self.index(v);
        if self.value(i) < v {
            i + 1.0
        } else {
            i
        }
    }

    /// The largest multiple index whose value is `<= v`.
    fn floor(self, v: f64) -> f64 {
        let i = self.index(v);
        if self.value(i) > v {
            i - 1.0
        } else {
            i
        }
    }
}

/// The multiples of `step` inside `[lo, hi]` (order of the ends does not
/// matter): nice ticks when `step` is a [`nice_step`]. `[lo]` when the ends
/// are equal; empty for a step that is not a finite positive number.
pub fn step_ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if !(lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    if lo == hi {
        return vec![lo];
    }
    if !(step.is_finite() && step > 0.0) {
        return Vec::new();
    }
    let step = Step::new(step);
    let first = step.ceil(lo);
    let last = step.floor(hi);
    if !(first.is_finite() && last.is_finite()) || last - first > MAX_TICKS as f64 {
        return Vec::new();
    }
    let mut ticks = Vec::new();
    let mut i = first;
    while i <= last {
        ticks.push(step.value(i));
        i += 1.0;
    }
    ticks
}

/// Widens `[lo, hi]` outward to multiples of the nice step for `target`
/// ticks. An empty or invalid domain is returned unchanged.
pub fn nice_domain(lo: f64, hi: f64, target: usize) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return (lo, hi);
    }
    let (mut a, mut b) = (lo, hi);
    // Twice: widening can change the step once.
    for _ in 0..2 {
        let Some(step) = nice_step(b - a, target).map(Step::new) else {
            return (a, b);
        };
        let na = step.value(step.floor(a));
        let nb = step.value(step.ceil(b));
        if !(na.is_finite() && nb.is_finite()) {
            return (a, b);
        }
        a = na;
        b = nb;
    }
    (a, b)
}

/// Spacing of minute ticks, in minutes.
const MINUTE_STEPS: [i64; 9] = [1, 5, 10, 15, 30, 60, 120, 180, 360];

/// Ticks for minutes of the day in the inclusive range `[first, last]`,
/// at the finest spacing that gives at most about `target` intervals, at
/// whole multiples of that spacing (so 5 min ticks fall on :00, :05, ...).
pub fn minute_ticks(first: f64, last: f64, target: usize) -> Vec<Tick> {
    stepped_ticks(first, last, target, &MINUTE_STEPS, minute_label)
}

/// Spacing of month ticks, in months.
const MONTH_STEPS: [i64; 9] = [1, 2, 3, 6, 12, 24, 60, 120, 240];

/// Ticks for months (see [`month_index`]) in the inclusive range
/// `[first, last]`. A spacing of 3 falls on Jan, Apr, Jul, Oct; 6 on Jan and
/// Jul; 12 on January.
pub fn month_ticks(first: f64, last: f64, target: usize) -> Vec<Tick> {
    stepped_ticks(first, last, target, &MONTH_STEPS, month_label)
}

fn stepped_ticks(
    first: f64,
    last: f64,
    target: usize,
    steps: &[i64],
    label: fn(f64) -> String,
) -> Vec<Tick> {
    let (first, last) = if first <= last {
        (first, last)
    } else {
        (last, first)
    };
    // Beyond ±2^52 whole numbers stop being exact; nothing sensible to label.
    const LIMIT: f64 = 4_503_599_627_370_496.0;
    if !(first.is_finite() && last.is_finite()) || first < -LIMIT || last > LIMIT {
        return Vec::new();
    }
    let lo = first.ceil() as i64;
    let hi = last.floor() as i64;
    if hi < lo {
        return Vec::new();
    }
    let span = hi - lo;
    let target = target.max(1) as i64;
    let step = steps
        .iter()
        .copied()
        .find(|s| span / s <= target)
        .or_else(|| steps.last().copied())
        .unwrap_or(1);
    let start = lo.div_euclid(step) * step + if lo.rem_euclid(step) == 0 { 0 } else { step };
    (0..)
        .map(|i| start + i * step)
        .take_while(|t| *t <= hi)
        .take(MAX_TICKS)
        .map(|t| Tick {
            value: t as f64,
            label: label(t as f64),
        })
        .collect()
}

/// The month index of `year` and `month` (1 to 12): `year * 12 + month - 1`.
pub fn month_index(year: i32, month: u32) -> f64 {
    f64::from(year) * 12.0 + f64::from(month) - 1.0
}

/// Every k-th of `count` categories (k ≥ 1), k chosen so that at most
/// `fit` labels are shown; values are category indices.
pub fn category_ticks(labels: &[String], fit: usize) -> Vec<Tick> {
    let fit = fit.clamp(1, MAX_TICKS);
    let every = labels.len().div_ceil(fit).max(1);
    labels
        .iter()
        .enumerate()
        .step_by(every)
        .map(|(i, label)| Tick {
            value: i as f64,
            label: label.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_are_exact_powers_of_ten() {
        assert_eq!(decade_at_most(1.0), Some(1.0));
        assert_eq!(decade_at_most(9.99), Some(1.0));
        assert_eq!(decade_at_most(999.0), Some(100.0));
        assert_eq!(decade_at_most(1000.0), Some(1000.0));
        assert_eq!(decade_at_most(0.1), Some(0.1));
        assert_eq!(decade_at_most(0.0999), Some(0.01));
        assert_eq!(decade_at_most(0.05), Some(0.01));
        assert_eq!(decade_at_most(0.001), Some(0.001));
        assert_eq!(decade_at_most(2.5e21), Some(1e21));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(decade_at_most(bad), None, "{bad}");
        }
        // Every magnitude from 10^-300 to 10^300: a power of ten at most x,
        // the next one above it.
        let mut x = 1e-300;
        while x < 1e300 {
            let d = decade_at_most(x).expect("a decade");
            assert!(d <= x && x < d * 10.0 * (1.0 + 1e-12), "{x}: {d}");
            x *= 1.37;
        }
    }

    #[test]
    fn steps_are_one_two_five_times_a_decade() {
        assert_eq!(nice_step(100.0, 5), Some(20.0));
        assert_eq!(nice_step(1.0, 5), Some(0.2));
        assert_eq!(nice_step(0.3, 6), Some(0.05));
        assert_eq!(nice_step(7.0, 1), Some(5.0));
        assert_eq!(nice_step(40.0, 4), Some(10.0));
        assert_eq!(nice_step(0.0, 5), None);
    }

    fn labels(ticks: &[Tick]) -> Vec<&str> {
        ticks.iter().map(|t| t.label.as_str()).collect()
    }

    #[test]
    fn linear_scale_maps_and_inverts() {
        let s = LinearScale::new((0.0, 10.0), (0.0, 200.0));
        assert_eq!(s.map(0.0), 0.0);
        assert_eq!(s.map(5.0), 100.0);
        assert_eq!(s.map(10.0), 200.0);
        assert_eq!(s.invert(50.0), 2.5);
        let y = LinearScale::new((0.0, 100.0), (180.0, 0.0));
        assert_eq!(y.map(0.0), 180.0);
        assert_eq!(y.map(100.0), 0.0);
        assert_eq!(y.invert(90.0), 50.0);
    }

    #[test]
    fn linear_scale_survives_bad_input() {
        let s = LinearScale::new((f64::NAN, 1.0), (0.0, f64::INFINITY));
        assert_eq!(s.domain(), (0.0, 1.0));
        assert_eq!(s.range(), (0.0, 1.0));
        let flat = LinearScale::new((3.0, 3.0), (0.0, 100.0));
        assert_eq!(flat.map(3.0), 50.0);
        assert_eq!(flat.map(1e300), 50.0);
        let zero_range = LinearScale::new((0.0, 10.0), (5.0, 5.0));
        assert_eq!(zero_range.invert(5.0), 0.0);
        assert!(s.map(f64::NAN).is_nan());
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(10.0, 5), Some(2.0));
        assert_eq!(nice_step(100.0, 10), Some(10.0));
        assert_eq!(nice_step(1.0, 5), Some(0.2));
        assert_eq!(nice_step(97.0, 4), Some(20.0));
        assert_eq!(nice_step(1000.0, 3), Some(500.0));
        assert_eq!(nice_step(0.0, 5), None);
        assert_eq!(nice_step(f64::NAN, 5), None);
        assert_eq!(nice_step(-1.0, 5), None);
    }

    /// Nice ticks aiming at `target`, as the axes ask for them.
    fn number_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
        step_ticks(
            lo,
            hi,
            nice_step((hi - lo).abs(), target).unwrap_or(f64::NAN),
        )
    }

    #[test]
    fn number_ticks_exact() {
        assert_eq!(
            number_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(
            number_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(
            number_ticks(-3.5, 97.0, 4),
            vec![0.0, 20.0, 40.0, 60.0, 80.0]
        );
        assert_eq!(
            number_ticks(10.0, 0.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(
            number_ticks(-50.0, 50.0, 4),
            vec![-40.0, -20.0, 0.0, 20.0, 40.0]
        );
        assert_eq!(
            number_ticks(0.0, 1_200_000.0, 6),
            vec![
                0.0,
                200_000.0,
                400_000.0,
                600_000.0,
                800_000.0,
                1_000_000.0,
                1_200_000.0
            ]
        );
        assert_eq!(number_ticks(0.1, 0.3, 2), vec![0.1, 0.2, 0.3]);
        assert_eq!(number_ticks(5.0, 5.0, 5), vec![5.0]);
        assert!(number_ticks(f64::NAN, 1.0, 5).is_empty());
        assert!(number_ticks(0.0, f64::INFINITY, 5).is_empty());
        assert!(number_ticks(-f64::MAX, f64::MAX, 5).len() <= MAX_TICKS);
        assert!(number_ticks(0.0, 1.0, usize::MAX).len() <= MAX_TICKS + 1);
        assert_eq!(number_ticks(0.0, 10.0, 0), vec![0.0, 10.0]);
        // A step of 1: whole ticks, none between two whole numbers.
        assert_eq!(step_ticks(0.0, 1.0, 1.0), vec![0.0, 1.0]);
        assert_eq!(step_ticks(0.5, 1.5, 1.0), vec![1.0]);
        assert!(step_ticks(0.2, 0.8, 1.0).is_empty());
        assert!(step_ticks(0.0, 1.0, 0.0).is_empty());
        assert!(step_ticks(0.0, 1.0, f64::NAN).is_empty());
    }

    #[test]
    fn nice_domains() {
        assert_eq!(nice_domain(0.0, 97.0, 5), (0.0, 100.0));
        assert_eq!(nice_domain(3.0, 61.0, 5), (0.0, 70.0));
        assert_eq!(nice_domain(-13.0, 42.0, 5), (-20.0, 50.0));
        assert_eq!(nice_domain(0.0, 0.83, 4), (0.0, 1.0));
        assert_eq!(nice_domain(5.0, 5.0, 5), (5.0, 5.0));
        let (a, b) = nice_domain(f64::NAN, 1.0, 5);
        assert!(a.is_nan() && b == 1.0);
    }

    #[test]
    fn minute_ticks_whole_day() {
        let t = minute_ticks(0.0, 1439.0, 8);
        assert_eq!(
            labels(&t),
            ["00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00"]
        );
        assert_eq!(t[1].value, 180.0);
        let t = minute_ticks(0.0, 1439.0, 4);
        assert_eq!(labels(&t), ["00:00", "06:00", "12:00", "18:00"]);
        let t = minute_ticks(0.0, 1439.0, 12);
        assert_eq!(t.len(), 12);
        assert_eq!(t[11].label, "22:00");
    }

    #[test]
    fn minute_ticks_zoomed() {
        let t = minute_ticks(475.0, 490.0, 6);
        assert_eq!(labels(&t), ["07:55", "08:00", "08:05", "08:10"]);
        let t = minute_ticks(478.0, 484.0, 8);
        assert_eq!(
            labels(&t),
            ["07:58", "07:59", "08:00", "08:01", "08:02", "08:03", "08:04"]
        );
        let t = minute_ticks(420.0, 600.0, 8);
        assert_eq!(
            labels(&t),
            ["07:00", "07:30", "08:00", "08:30", "09:00", "09:30", "10:00"]
        );
        let t = minute_ticks(430.0, 530.0, 8);
        assert_eq!(
            labels(&t),
            ["07:15", "07:30", "07:45", "08:00", "08:15", "08:30", "08:45"]
        );
        let t = minute_ticks(0.0, 600.0, 6);
        assert_eq!(
            labels(&t),
            ["00:00", "02:00", "04:00", "06:00", "08:00", "10:00"]
        );
        let t = minute_ticks(480.0, 540.0, 6);
        assert_eq!(
            labels(&t),
            ["08:00", "08:10", "08:20", "08:30", "08:40", "08:50", "09:00"]
        );
        let t = minute_ticks(0.0, 1440.0, 20);
        assert_eq!(t.len(), 13);
        assert_eq!(t[12].label, "24:00");
    }

    #[test]
    fn minute_ticks_bad_input() {
        assert!(minute_ticks(f64::NAN, 10.0, 5).is_empty());
        assert!(minute_ticks(0.0, f64::INFINITY, 5).is_empty());
        assert!(minute_ticks(0.5, 0.7, 5).is_empty());
        assert!(minute_ticks(-1e300, 1e300, 5).is_empty());
        assert!(minute_ticks(0.0, 1e12, 5).len() <= MAX_TICKS);
        assert_eq!(
            labels(&minute_ticks(10.0, 0.0, 2)),
            ["00:00", "00:05", "00:10"]
        );
    }

    #[test]
    fn month_ticks_exact() {
        let jan16 = month_index(2016, 1);
        assert_eq!(jan16, 2016.0 * 12.0);
        let t = month_ticks(jan16, month_index(2016, 6), 8);
        assert_eq!(
            labels(&t),
            ["Jan 2016", "Feb 2016", "Mar 2016", "Apr 2016", "May 2016", "Jun 2016"]
        );
        let t = month_ticks(month_index(2015, 8), month_index(2016, 8), 4);
        assert_eq!(labels(&t), ["Oct 2015", "Jan 2016", "Apr 2016", "Jul 2016"]);
        let t = month_ticks(month_index(2014, 1), month_index(2016, 12), 6);
        assert_eq!(
            labels(&t),
            ["Jan 2014", "Jul 2014", "Jan 2015", "Jul 2015", "Jan 2016", "Jul 2016"]
        );
        let t = month_ticks(month_index(2010, 3), month_index(2017, 12), 8);
        assert_eq!(
            labels(&t),
            ["Jan 2011", "Jan 2012", "Jan 2013", "Jan 2014", "Jan 2015", "Jan 2016", "Jan 2017"]
        );
        let t = month_ticks(month_index(2016, 1), month_index(2016, 12), 6);
        assert_eq!(
            labels(&t),
            ["Jan 2016", "Mar 2016", "May 2016", "Jul 2016", "Sep 2016", "Nov 2016"]
        );
        assert!(month_ticks(f64::NAN, 1.0, 4).is_empty());
    }

    #[test]
    fn category_ticks_thin_out() {
        let names: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
        assert_eq!(category_ticks(&names, 20).len(), 10);
        let t = category_ticks(&names, 4);
        assert_eq!(labels(&t), ["c0", "c3", "c6", "c9"]);
        assert_eq!(t[1].value, 3.0);
        assert!(category_ticks(&[], 4).is_empty());
        assert_eq!(category_ticks(&names, 0).len(), 1);
    }
}
