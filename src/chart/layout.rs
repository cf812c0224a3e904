//! From a spec and a size to pixels: canvas size, plot rectangle, scales and
//! ticks. Pure, host-tested; the data layer, the text layer and hover all
//! read the same [`Frame`], so they agree to the pixel.
//!
//! Contract:
//! - The canvas is `round(css × dpr)` device pixels per side (at most
//!   [`MAX_SIDE`] per side and [`MAX_AREA`] in all; the dpr is lowered to
//!   fit), the plot rectangle sits inside it with margins for labels, and
//!   [`Frame::x`] / [`Frame::y`] map data onto plot-relative device pixels
//!   (x from 0 at the left, y from 0 at the top).
//! - A domain given in the spec is used as is when it is finite and not
//!   empty; otherwise it is computed from the layers (banded x: first slot to
//!   last slot + 1; linear y: the data, zero included unless
//!   `Axis::no_zero`, widened to nice ticks; categories: `0..n`).
//! - A linear axis of counts or money has whole-number ticks only (a day
//!   of at most four posts a minute reads 0, 1, 2, 3, 4; an all-zero MRR
//!   series $0 and $1).
//! - Nothing here panics or returns NaN positions for any input; a zero
//!   size gives an empty plot rectangle.

use super::format::{format_tick, format_value, ValueFormat};
use super::scale::{
    category_ticks, minute_ticks, month_ticks, nice_domain, nice_step, step_ticks, LinearScale,
    Tick,
};
use super::spec::{Axis, AxisKind, ChartSpec, Layer};

/// Largest canvas side, in device pixels.
pub const MAX_SIDE: u32 = 8192;
/// Largest canvas area, in device pixels.
pub const MAX_AREA: u32 = 16_777_216;
/// Font size of labels, CSS pixels.
pub const FONT_PX: f64 = 11.0;
/// Length of tick marks, CSS pixels.
pub const TICK_PX: f64 = 4.0;
/// Estimated width of one character of label text, CSS pixels.
const CHAR_PX: f64 = FONT_PX * 0.62;

/// A rectangle in device pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PixelRect {
    /// Left edge, device pixels.
    pub x: u32,
    /// Top edge, device pixels.
    pub y: u32,
    /// Width, device pixels.
    pub w: u32,
    /// Height, device pixels.
    pub h: u32,
}

/// Everything needed to turn data into pixels for one size.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Device pixels per CSS pixel actually used.
    pub dpr: f64,
    /// The canvas's width, device pixels.
    pub canvas_width: u32,
    /// The canvas's height, device pixels.
    pub canvas_height: u32,
    /// The data area, in canvas device pixels.
    pub plot: PixelRect,
    /// x domain → `[0, plot.w]`.
    pub x: LinearScale,
    /// y domain → `[plot.h, 0]` (linear) or `[0, plot.h]` (categories).
    pub y: LinearScale,
    /// Added to an x value to get its point position (0.5 on banded axes).
    pub x_offset: f64,
    /// Ticks of x; a tick's position is `value + x_offset`.
    pub x_ticks: Vec<Tick>,
    /// Ticks of y; on categories a tick's position is `value + 0.5`.
    pub y_ticks: Vec<Tick>,
    /// Whether y values are rows (a heatmap) rather than a scale.
    pub y_banded: bool,
}

impl Frame {
    /// Lays out `spec` on a `css_width × css_height` box at `dpr`.
    pub fn new(spec: &ChartSpec, css_width: f64, css_height: f64, dpr: f64) -> Frame {
        let css_w = sane_len(css_width);
        let css_h = sane_len(css_height);
        let mut dpr = if dpr.is_finite() && dpr > 0.0 {
            dpr.clamp(0.25, 8.0)
        } else {
            1.0
        };
        let side = f64::from(MAX_SIDE);
        dpr = dpr.min(side / css_w.max(1.0)).min(side / css_h.max(1.0));
        let area = css_w * css_h * dpr * dpr;
        if area > f64::from(MAX_AREA) {
            dpr *= (f64::from(MAX_AREA) / area).sqrt();
        }
        let canvas_width = to_px(css_w * dpr);
        let canvas_height = to_px(css_h * dpr);

        let x_domain = x_domain(spec);
        let x_banded = spec.x.kind.is_banded();
        let y_banded = matches!(spec.y.kind, AxisKind::Categories(_));

        // Vertical margins first (they do not depend on ticks).
        let top = 8.0 + if spec.y.title.is_some() { 16.0 } else { 0.0 };
        let bottom =
            TICK_PX + 4.0 + FONT_PX + 5.0 + if spec.x.title.is_some() { 16.0 } else { 0.0 };
        let plot_css_h = (css_h - top - bottom).max(0.0);

        let y_target = ((plot_css_h / 40.0).floor() as usize).clamp(2, 12);
        let y_domain = y_domain(spec, y_target);
        let y_ticks = y_ticks(&spec.y, y_domain, y_target, plot_css_h);

        let widest = y_ticks
            .iter()
            .map(|t| t.label.chars().count())
            .max()
            .unwrap_or(1) as f64;
        let left = (widest * CHAR_PX + TICK_PX + 6.0).clamp(24.0, (css_w * 0.4).max(24.0));
        let right = 16.0;
        let plot_css_w = (css_w - left - right).max(0.0);
        let x_ticks = x_ticks(&spec.x, x_domain, plot_css_w);

        let px = |css: f64| to_px(css * dpr);
        let plot_x = px(left).min(canvas_width);
        let plot_y = px(top).min(canvas_height);
        let plot = PixelRect {
            x: plot_x,
            y: plot_y,
            w: canvas_width
                .saturating_sub(plot_x)
                .saturating_sub(px(right)),
            h: canvas_height
                .saturating_sub(plot_y)
                .saturating_sub(px(bottom)),
        };
        let x = LinearScale::new(x_domain, (0.0, f64::from(plot.w)));
        let y = if y_banded {
            LinearScale::new(y_domain, (0.0, f64::from(plot.h)))
        } else {
            LinearScale::new(y_domain, (f64::from(plot.h), 0.0))
        };
        Frame {
            dpr,
            canvas_width,
            canvas_height,
            plot,
            x,
            y,
            x_offset: if x_banded { 0.5 } else { 0.0 },
            x_ticks,
            y_ticks,
            y_banded,
        }
    }

    /// Plot-relative device x of the point at data x `v`.
    pub fn px_x(&self, v: f64) -> f64 {
        self.x.map(v + self.x_offset)
    }

    /// Plot-relative device y of data y `v`.
    pub fn px_y(&self, v: f64) -> f64 {
        self.y.map(v)
    }

    /// Plot-relative device x edges of the slot (bar) at data x `v`.
    pub fn slot(&self, v: f64) -> (f64, f64) {
        let c = v + self.x_offset;
        (self.x.map(c - 0.5), self.x.map(c + 0.5))
    }

    /// Canvas CSS x of the point at data x `v`.
    pub fn css_x(&self, v: f64) -> f64 {
        (f64::from(self.plot.x) + self.px_x(v)) / self.dpr
    }

    /// Canvas CSS y of data y `v`.
    pub fn css_y(&self, v: f64) -> f64 {
        (f64::from(self.plot.y) + self.px_y(v)) / self.dpr
    }

    /// Data x (domain units) under canvas CSS x.
    pub fn x_at(&self, css_x: f64) -> f64 {
        self.x.invert(css_x * self.dpr - f64::from(self.plot.x))
    }

    /// Data y (domain units) under canvas CSS y.
    pub fn y_at(&self, css_y: f64) -> f64 {
        self.y.invert(css_y * self.dpr - f64::from(self.plot.y))
    }

    /// The plot rectangle in CSS pixels: `(x, y, w, h)`.
    pub fn css_plot(&self) -> (f64, f64, f64, f64) {
        let d = self.dpr;
        (
            f64::from(self.plot.x) / d,
            f64::from(self.plot.y) / d,
            f64::from(self.plot.w) / d,
            f64::from(self.plot.h) / d,
        )
    }

    /// Whether canvas CSS point `(x, y)` is inside the plot.
    pub fn contains_css(&self, x: f64, y: f64) -> bool {
        let (px, py, pw, ph) = self.css_plot();
        x >= px && x < px + pw && y >= py && y < py + ph
    }
}

fn sane_len(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v.min(f64::from(MAX_SIDE))
    } else {
        0.0
    }
}

fn to_px(v: f64) -> u32 {
    if v.is_finite() && v > 0.0 {
        v.round().min(f64::from(MAX_SIDE)) as u32
    } else {
        0
    }
}

fn valid_domain(d: Option<(f64, f64)>) -> Option<(f64, f64)> {
    d.filter(|(a, b)| a.is_finite() && b.is_finite() && b > a)
}

/// Running minimum and maximum of finite values.
#[derive(Clone, Copy, Debug)]
struct Extent(Option<(f64, f64)>);

impl Extent {
    fn add(&mut self, v: f64) {
        if v.is_finite() {
            self.0 = Some(match self.0 {
                Some((lo, hi)) => (lo.min(v), hi.max(v)),
                None => (v, v),
            });
        }
    }

    /// Adds every finite value: one pass over plain floats, then one
    /// `add` of the slice's own extent.
    fn add_all(&mut self, vs: &[f64]) {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &v in vs {
            if v.is_finite() {
                if v < lo {
                    lo = v;
                }
                if v > hi {
                    hi = v;
                }
            }
        }
        if lo <= hi {
            self.add(lo);
            self.add(hi);
        }
    }
}

/// The x domain of the spec (see the module contract).
pub fn x_domain(spec: &ChartSpec) -> (f64, f64) {
    if let Some(d) = valid_domain(spec.x.domain) {
        return d;
    }
    if let AxisKind::Categories(labels) = &spec.x.kind {
        if !labels.is_empty() {
            return (0.0, labels.len() as f64);
        }
    }
    let mut e = Extent(None);
    for layer in &spec.layers {
        match layer {
            Layer::VRule { x, .. } => e.add(*x),
            other => e.add_all(other.xs().unwrap_or(&[])),
        }
    }
    match (e.0, spec.x.kind.is_banded()) {
        (None, _) => (0.0, 1.0),
        (Some((lo, hi)), true) => (lo.floor(), hi.floor() + 1.0),
        (Some((lo, hi)), false) if hi > lo => (lo, hi),
        (Some((lo, _)), false) => (lo - 0.5, lo + 0.5),
    }
}

/// The y domain of the spec (see the module contract).
pub fn y_domain(spec: &ChartSpec, target: usize) -> (f64, f64) {
    if let Some(d) = valid_domain(spec.y.domain) {
        return d;
    }
    if let AxisKind::Categories(labels) = &spec.y.kind {
        let rows = spec
            .layers
            .iter()
            .filter_map(|l| match l {
                Layer::Heatmap { rows, .. } => Some(*rows),
                _ => None,
            })
            .max()
            .unwrap_or(0)
            .max(labels.len())
            .max(1);
        return (0.0, rows as f64);
    }
    let mut e = Extent(None);
    for layer in &spec.layers {
        match layer {
            Layer::StackedBars { x, series } => {
                for i in 0..x.len() {
                    let (mut pos, mut neg) = (0.0, 0.0);
                    for s in series {
                        match s.values.get(i) {
                            Some(v) if v.is_finite() && *v > 0.0 => pos += v,
                            Some(v) if v.is_finite() => neg += v,
                            _ => {}
                        }
                    }
                    e.add(pos);
                    e.add(neg);
                }
            }
            Layer::Bars { y, .. } => {
                e.add(0.0);
                e.add_all(y);
            }
            Layer::Line { y, .. } => e.add_all(y),
            Layer::Band { lower, upper, .. } => {
                e.add_all(lower);
                e.add_all(upper);
            }
            Layer::Heatmap { rows, .. } => {
                e.add(0.0);
                e.add(*rows as f64);
            }
            Layer::HRule { y, .. } => e.add(*y),
            Layer::VRule { .. } => {}
        }
    }
    let Some((mut lo, mut hi)) = e.0 else {
        return (0.0, 1.0);
    };
    if spec.y.include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi <= lo {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        if lo >= 0.0 && spec.y.include_zero {
            hi = lo + pad;
        } else {
            lo -= pad;
            hi += pad;
        }
    }
    let (a, b) = nice_domain(lo, hi, target);
    if a.is_finite() && b.is_finite() && b > a {
        (a, b)
    } else {
        (lo, hi)
    }
}

fn linear_ticks(axis: &Axis, (lo, hi): (f64, f64), target: usize) -> Vec<Tick> {
    // Posts, workers and money are whole units: no tick falls between two.
    let min_step = match axis.format {
        ValueFormat::Count | ValueFormat::Currency(_) => 1.0,
        _ => 0.0,
    };
    let step = nice_step(hi - lo, target).unwrap_or(1.0).max(min_step);
    step_ticks(lo, hi, step)
        .into_iter()
        .map(|value| Tick {
            value,
            label: format_tick(value, step, &axis.format),
        })
        .collect()
}

fn y_ticks(axis: &Axis, domain: (f64, f64), target: usize, plot_css_h: f64) -> Vec<Tick> {
    match &axis.kind {
        AxisKind::Categories(labels) => {
            let fit = (plot_css_h / (FONT_PX + 3.0)).floor().max(1.0) as usize;
            category_ticks(labels, fit)
        }
        AxisKind::Minutes => minute_ticks(domain.0.ceil(), domain.1, target),
        AxisKind::Months => month_ticks(domain.0.ceil(), domain.1, target),
        AxisKind::Linear => linear_ticks(axis, domain, target),
    }
}

fn x_ticks(axis: &Axis, (lo, hi): (f64, f64), plot_css_w: f64) -> Vec<Tick> {
    let fit = |label_chars: f64| -> usize {
        let per = label_chars * CHAR_PX + 24.0;
        ((plot_css_w / per).floor().max(1.0) as usize).min(40)
    };
    // Slots whose start lies in the domain.
    let (first, last) = (lo.ceil(), (hi - 1.0).ceil());
    match &axis.kind {
        AxisKind::Minutes => minute_ticks(first, last, fit(5.0)),
        AxisKind::Months => month_ticks(first, last, fit(8.0)),
        AxisKind::Categories(labels) => {
            let widest = labels
                .iter()
                .map(|l| l.chars().count().min(MAX_LABEL_CHARS))
                .max()
                .unwrap_or(1) as f64;
            category_ticks(labels, fit(widest))
                .into_iter()
                .filter(|t| t.value >= lo && t.value < hi)
                .collect()
        }
        AxisKind::Linear => linear_ticks(axis, (lo, hi), fit(6.0)),
    }
}

/// Category labels longer than this are cut with `…`.
pub const MAX_LABEL_CHARS: usize = 18;

/// The label of the value `v` of `axis`, for tooltips: `08:00`, `Aug 2016`,
/// a category name, or the formatted number.
pub fn axis_value_label(axis: &Axis, v: f64) -> String {
    match &axis.kind {
        AxisKind::Minutes => super::format::minute_label(v),
        AxisKind::Months => super::format::month_label(v),
        AxisKind::Categories(labels) => {
            let i = if v.is_finite() && v >= 0.0 {
                Some(v.floor() as usize)
            } else {
                None
            };
            i.and_then(|i| labels.get(i))
                .cloned()
                .unwrap_or_else(|| format_value(v, &axis.format))
        }
        AxisKind::Linear => format_value(v, &axis.format),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::color::ColorRole;

    fn minutes_spec() -> ChartSpec {
        ChartSpec::new(
            "t",
            Axis::minutes().domain(0.0, 10.0),
            Axis::linear().domain(0.0, 100.0),
        )
        .layer(Layer::bars("b", ColorRole::Ok, vec![2.0], vec![50.0]))
    }

    #[test]
    fn frame_geometry_is_consistent() {
        let f = Frame::new(&minutes_spec(), 400.0, 200.0, 1.0);
        assert_eq!((f.canvas_width, f.canvas_height), (400, 200));
        assert!(f.plot.x > 0 && f.plot.x + f.plot.w <= 400);
        assert!(f.plot.y + f.plot.h <= 200);
        assert_eq!(f.px_y(0.0), f64::from(f.plot.h));
        assert_eq!(f.px_y(100.0), 0.0);
        let slot = f.plot.w as f64 / 10.0;
        let (l, r) = f.slot(2.0);
        assert!((l - 2.0 * slot).abs() < 1e-9 && (r - 3.0 * slot).abs() < 1e-9);
        assert!((f.px_x(2.0) - 2.5 * slot).abs() < 1e-9);
        let cx = f.css_x(2.0);
        assert!((f.x_at(cx) - 2.5).abs() < 1e-9);
        assert!((f.y_at(f.css_y(40.0)) - 40.0).abs() < 1e-9);
        assert!(f.contains_css(cx, f.css_y(50.0)));
        assert!(!f.contains_css(0.0, 0.0));
    }

    #[test]
    fn dpr_scales_device_pixels() {
        let f1 = Frame::new(&minutes_spec(), 400.0, 200.0, 1.0);
        let f2 = Frame::new(&minutes_spec(), 400.0, 200.0, 2.0);
        assert_eq!((f2.canvas_width, f2.canvas_height), (800, 400));
        assert!(f2.plot.x.abs_diff(f1.plot.x * 2) <= 1);
        assert!((f2.css_x(3.0) - f1.css_x(3.0)).abs() < 1.0);
    }

    #[test]
    fn huge_or_bad_sizes_are_capped() {
        let f = Frame::new(&minutes_spec(), 1e9, 1e9, 3.0);
        assert!(f.canvas_width <= MAX_SIDE && f.canvas_height <= MAX_SIDE);
        assert!(
            u64::from(f.canvas_width) * u64::from(f.canvas_height)
                <= u64::from(MAX_AREA) + 2 * u64::from(MAX_SIDE)
        );
        for (w, h, d) in [
            (f64::NAN, 10.0, 1.0),
            (0.0, 0.0, 1.0),
            (10.0, 10.0, f64::NAN),
            (-5.0, 3.0, -1.0),
            (3.0, 3.0, 1.0),
        ] {
            let f = Frame::new(&minutes_spec(), w, h, d);
            assert!(f.plot.x + f.plot.w <= f.canvas_width.max(f.plot.x));
            assert!(f.px_x(1.0).is_finite() && f.px_y(1.0).is_finite());
        }
    }

    #[test]
    fn computed_domains() {
        let spec = ChartSpec::new("t", Axis::minutes(), Axis::linear()).layer(Layer::stacked_bars(
            vec![480.0, 481.0, 482.0],
            vec![
                crate::chart::spec::Series::new("a", ColorRole::Ok, vec![10.0, 20.0, f64::NAN]),
                crate::chart::spec::Series::new("b", ColorRole::Late, vec![5.0, -8.0, 1.0]),
            ],
        ));
        assert_eq!(x_domain(&spec), (480.0, 483.0));
        assert_eq!(y_domain(&spec, 5), (-10.0, 20.0));
        let lines =
            ChartSpec::new("t", Axis::months(), Axis::linear().no_zero()).layer(Layer::line(
                "m",
                ColorRole::Line1,
                vec![24192.0, 24193.0],
                vec![1010.0, 1090.0],
            ));
        assert_eq!(y_domain(&lines, 5), (1000.0, 1100.0));
        assert_eq!(x_domain(&lines), (24192.0, 24194.0));
        let empty = ChartSpec::new("t", Axis::linear(), Axis::linear());
        assert_eq!(x_domain(&empty), (0.0, 1.0));
        assert_eq!(y_domain(&empty, 5), (0.0, 1.0));
        let zeros = ChartSpec::new("t", Axis::linear(), Axis::linear()).layer(Layer::line(
            "z",
            ColorRole::Line1,
            vec![1.0, f64::NAN],
            vec![0.0, 0.0],
        ));
        assert_eq!(x_domain(&zeros), (0.5, 1.5));
        assert_eq!(y_domain(&zeros, 5), (0.0, 1.0));
        let heat = ChartSpec::new("t", Axis::minutes(), Axis::categories(["a", "b", "c"]))
            .layer(Layer::heatmap("h", vec![0.0, 1.0], 4, vec![0.0; 8]));
        assert_eq!(y_domain(&heat, 5), (0.0, 4.0));
        let bad = ChartSpec::new(
            "t",
            Axis::linear().domain(f64::NAN, 1.0),
            Axis::linear().domain(3.0, 3.0),
        );
        assert_eq!(x_domain(&bad), (0.0, 1.0));
        assert_eq!(y_domain(&bad, 5), (0.0, 1.0));
    }

    #[test]
    fn ticks_follow_the_axis_kind() {
        let spec = ChartSpec::new(
            "t",
            Axis::minutes().domain(0.0, 1440.0),
            Axis::linear().domain(0.0, 100.0),
        );
        let f = Frame::new(&spec, 800.0, 300.0, 1.0);
        let labels: Vec<_> = f.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "00:00", "02:00", "04:00", "06:00", "08:00", "10:00", "12:00", "14:00", "16:00",
                "18:00", "20:00", "22:00"
            ]
        );
        let ylabels: Vec<_> = f.y_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(ylabels, ["0", "20", "40", "60", "80", "100"]);
        let zoom = ChartSpec::new("t", Axis::minutes().domain(475.0, 491.0), Axis::linear());
        let f = Frame::new(&zoom, 400.0, 200.0, 1.0);
        let labels: Vec<_> = f.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["07:55", "08:00", "08:05", "08:10"]);
    }

    #[test]
    fn counts_and_money_have_whole_ticks() {
        let labels = |spec: &ChartSpec| -> Vec<String> {
            Frame::new(spec, 800.0, 300.0, 1.0)
                .y_ticks
                .iter()
                .map(|t| t.label.clone())
                .collect()
        };
        let posts = ChartSpec::new("t", Axis::minutes(), Axis::linear()).layer(Layer::bars(
            "b",
            ColorRole::Ok,
            vec![480.0, 481.0],
            vec![3.0, 4.0],
        ));
        assert_eq!(labels(&posts), ["0", "1", "2", "3", "4"]);
        let zero_mrr = ChartSpec::new(
            "t",
            Axis::months(),
            Axis::linear().format(ValueFormat::Currency("$".into())),
        )
        .layer(Layer::line("m", ColorRole::Line1, vec![24192.0], vec![0.0]));
        assert_eq!(labels(&zero_mrr), ["$0", "$1"]);
        let workers = ChartSpec::new(
            "t",
            Axis::linear().domain(0.5, 1.5),
            Axis::linear().domain(0.0, 100.0),
        );
        let f = Frame::new(&workers, 800.0, 300.0, 1.0);
        let x: Vec<_> = f.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(x, ["1"]);
        // Other formats keep their fractions: seconds, for one.
        let seconds = ChartSpec::new(
            "t",
            Axis::minutes(),
            Axis::linear().format(ValueFormat::Seconds),
        )
        .layer(Layer::bars("b", ColorRole::Ok, vec![480.0], vec![2.0]));
        assert_eq!(
            labels(&seconds),
            ["0 s", "0.5 s", "1.0 s", "1.5 s", "2.0 s"]
        );
    }

    #[test]
    fn value_labels() {
        assert_eq!(axis_value_label(&Axis::minutes(), 480.0), "08:00");
        assert_eq!(axis_value_label(&Axis::months(), 24199.0), "Aug 2016");
        assert_eq!(axis_value_label(&Axis::categories(["x", "y"]), 1.0), "y");
        assert_eq!(axis_value_label(&Axis::categories(["x", "y"]), 7.0), "7");
        assert_eq!(axis_value_label(&Axis::linear(), 1234.0), "1,234");
    }
}
