//! The hover model: from a pointer position to a tooltip and a crosshair.
//!
//! Contract:
//! - [`nearest_index`] finds, by binary search on x sorted ascending, the
//!   index of the finite x nearest to a target (ties: the lower index).
//!   It never panics; NaN entries are stepped over.
//! - [`hover`] snaps a pointer inside the plot to the nearest data x over
//!   all layers (on a banded axis with slots under a few pixels wide: to
//!   the tallest bar within 1.5 CSS px, the one a person sees there) and
//!   returns the crosshair position (CSS pixels, relative to
//!   the chart), a title (`08:00`, `Aug 2016`, a category, a number) and one
//!   row per series at that x, with exact values formatted by the y axis
//!   format (a heatmap: the row under the pointer, with its own format);
//!   a bar or line value at or above the spec's `y_at_least_from` reads
//!   "≥ value".
//!   Layers contribute when their nearest x is that same x (on a linear axis:
//!   within one CSS pixel of it). Rules contribute nothing.
//! - [`hover_x`] is the same at a given data x (the keyboard's point),
//!   without the snapping.
//! - Hover is pure: computing it never touches the data layer.

use super::color::ColorRole;
use super::format::{format_value, ValueFormat};
use super::layout::{axis_value_label, Frame};
use super::spec::{ChartSpec, Layer};

/// One line of the tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct TooltipRow {
    /// What the row is (a series' name).
    pub label: String,
    /// Its value, formatted.
    pub value: String,
    /// The swatch colour, if the row has one.
    pub role: Option<ColorRole>,
}

/// What the pointer is over.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    /// The data x snapped to.
    pub x: f64,
    /// The category row / heatmap row under the pointer, if any.
    pub row: Option<usize>,
    /// Crosshair x in CSS pixels from the chart's left edge.
    pub crosshair_x: f64,
    /// The tooltip's heading (the x value).
    pub title: String,
    /// One row per series under the pointer.
    pub rows: Vec<TooltipRow>,
}

/// The index of the finite value of `xs` (sorted ascending) nearest to
/// `target`.
pub fn nearest_index(xs: &[f64], target: f64) -> Option<usize> {
    if target.is_nan() {
        return None;
    }
    let split = xs.partition_point(|v| *v < target);
    let finite_at = |j: usize| {
        xs.get(j)
            .filter(|v| v.is_finite())
            .map(|v| (j, (v - target).abs()))
    };
    // Step over NaN neighbours outward (rare: only unsorted or dirty data).
    let below = (0..split).rev().find_map(finite_at);
    let above = (split..xs.len()).find_map(finite_at);
    match (below, above) {
        (Some(b), Some(a)) => Some(if a.1 < b.1 { a.0 } else { b.0 }),
        (Some(b), None) => Some(b.0),
        (None, Some(a)) => Some(a.0),
        (None, None) => None,
    }
}

/// The hover state for the pointer at CSS `(x, y)` relative to the chart,
/// or `None` outside the plot or with no data.
pub fn hover(spec: &ChartSpec, frame: &Frame, css_x: f64, css_y: f64) -> Option<Hover> {
    if !frame.contains_css(css_x, css_y) {
        return None;
    }
    let target = frame.x_at(css_x) - frame.x_offset;
    let x = spec
        .layers
        .iter()
        .filter_map(|l| {
            let xs = l.xs()?;
            xs.get(nearest_index(xs, target)?).copied()
        })
        .min_by(|a, b| (a - target).abs().total_cmp(&(b - target).abs()))?;

    let banded = spec.x.kind.is_banded();
    let x = if banded {
        tallest_bar_near(spec, frame, target, x)
    } else {
        x
    };
    Some(hover_x(spec, frame, x, css_y))
}

/// The hover state at data x `x` (one of the layers' x: a keyboard's
/// point) with the pointer at CSS height `css_y` (which row of a heatmap
/// or a categorical axis).
pub fn hover_x(spec: &ChartSpec, frame: &Frame, x: f64, css_y: f64) -> Hover {
    let banded = spec.x.kind.is_banded();
    let same_x = |v: f64| {
        if banded {
            (v - x).abs() <= 1e-9 * x.abs().max(1.0)
        } else {
            (frame.px_x(v) - frame.px_x(x)).abs() <= frame.dpr
        }
    };
    let row_value = frame.y_at(css_y).floor();
    let row = (row_value.is_finite() && row_value >= 0.0).then_some(row_value as usize);

    let fmt = &spec.y.format;
    let mut rows = Vec::new();
    for layer in &spec.layers {
        let Some(xs) = layer.xs() else {
            continue;
        };
        let Some(i) = nearest_index(xs, x) else {
            continue;
        };
        if !xs.get(i).is_some_and(|v| same_x(*v)) {
            continue;
        }
        layer_rows(spec, layer, i, row, fmt, &mut rows);
    }
    Hover {
        x,
        row: if frame.y_banded || has_heatmap(spec) {
            row
        } else {
            None
        },
        crosshair_x: frame.css_x(x),
        title: axis_value_label(&spec.x, x),
        rows,
    }
}

/// How far around the pointer, in CSS pixels, a slot counts as under it
/// when slots are narrower than a pixel.
const HAIRLINE_REACH_CSS: f64 = 1.5;

/// The height of the bar (all stacked series) at index `i` of a layer, or
/// `None` for a layer without bars.
fn bar_height(layer: &Layer, i: usize) -> Option<f64> {
    let finite = |v: f64| if v.is_finite() { v.abs() } else { 0.0 };
    match layer {
        Layer::StackedBars { series, .. } => {
            Some(series.iter().map(|s| finite(value_at(&s.values, i))).sum())
        }
        Layer::Bars {
            y, outline: false, ..
        } => Some(finite(value_at(y, i))),
        _ => None,
    }
}

/// On a banded axis whose slots are narrower than a couple of pixels (a
/// whole day of minutes), the slot a person points at is the bar they see
/// in that pixel column: the tallest bar within [`HAIRLINE_REACH_CSS`] of
/// the pointer. `nearest` is kept where slots are wide or no bar is taller.
fn tallest_bar_near(spec: &ChartSpec, frame: &Frame, target: f64, nearest: f64) -> f64 {
    let slot_css = (frame.css_x(nearest + 1.0) - frame.css_x(nearest)).abs();
    let hairline = slot_css.is_finite() && slot_css > 0.0 && slot_css < 2.0 * HAIRLINE_REACH_CSS;
    if !hairline {
        return nearest;
    }
    let reach = HAIRLINE_REACH_CSS / slot_css;
    let (lo, hi) = (target - reach, target + reach);
    let mut best = (nearest, f64::NEG_INFINITY);
    for layer in &spec.layers {
        let Some(xs) = layer.xs() else {
            continue;
        };
        // Slot v spans [v − ½, v + ½) here.
        let from = xs.partition_point(|v| *v < lo - 0.5);
        for (i, &v) in xs.iter().enumerate().skip(from) {
            if v > hi + 0.5 {
                break;
            }
            let Some(h) = bar_height(layer, i) else {
                break;
            };
            let better =
                h > best.1 || (h == best.1 && (v - target).abs() < (best.0 - target).abs());
            if better {
                best = (v, h);
            }
        }
    }
    best.0
}

/// The x window selected by dragging from CSS x `a` to CSS x `b` (either
/// order), clamped to the current domain; on a banded axis widened to whole
/// slots `[lo, hi)` with `hi ≥ lo + 1`. `None` if it is empty or not a
/// number.
pub fn zoom_window(spec: &ChartSpec, frame: &Frame, a: f64, b: f64) -> Option<(f64, f64)> {
    let (va, vb) = (frame.x_at(a), frame.x_at(b));
    if !(va.is_finite() && vb.is_finite()) {
        return None;
    }
    let (d0, d1) = frame.x.domain();
    let lo = va.min(vb).max(d0);
    let hi = va.max(vb).min(d1);
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    if spec.x.kind.is_banded() {
        let lo = lo.floor();
        Some((lo, hi.ceil().max(lo + 1.0)))
    } else {
        (hi > lo).then_some((lo, hi))
    }
}

fn has_heatmap(spec: &ChartSpec) -> bool {
    spec.layers
        .iter()
        .any(|l| matches!(l, Layer::Heatmap { .. }))
}

fn value_at(values: &[f64], i: usize) -> f64 {
    values.get(i).copied().unwrap_or(f64::NAN)
}

fn layer_rows(
    spec: &ChartSpec,
    layer: &Layer,
    i: usize,
    row: Option<usize>,
    fmt: &ValueFormat,
    rows: &mut Vec<TooltipRow>,
) {
    match layer {
        Layer::StackedBars { series, .. } => {
            let mut total = 0.0;
            for s in series {
                let v = value_at(&s.values, i);
                if v.is_finite() {
                    total += v;
                }
                rows.push(TooltipRow {
                    label: s.name.clone(),
                    value: format_value(v, fmt),
                    role: Some(s.role),
                });
            }
            if series.len() > 1 {
                rows.push(TooltipRow {
                    label: "Total".to_string(),
                    value: format_value(total, fmt),
                    role: None,
                });
            }
        }
        Layer::Bars { name, role, y, .. } | Layer::Line { name, role, y, .. } => {
            let v = value_at(y, i);
            let value = match spec.y_at_least_from {
                Some(edge) if v >= edge => format!("≥ {}", format_value(v, fmt)),
                _ => format_value(v, fmt),
            };
            rows.push(TooltipRow {
                label: name.clone(),
                value,
                role: Some(*role),
            });
        }
        Layer::Band {
            name,
            role,
            lower,
            upper,
            ..
        } => {
            rows.push(TooltipRow {
                label: name.clone(),
                value: format!(
                    "{} – {}",
                    format_value(value_at(lower, i), fmt),
                    format_value(value_at(upper, i), fmt)
                ),
                role: Some(*role),
            });
        }
        Layer::Heatmap {
            name,
            rows: n,
            values,
            format,
            ..
        } => {
            if let Some(r) = row.filter(|r| r < n) {
                let v = i
                    .checked_mul(*n)
                    .and_then(|base| base.checked_add(r))
                    .and_then(|k| values.get(k))
                    .copied()
                    .unwrap_or(f64::NAN);
                let row_label = axis_value_label(&spec.y, r as f64);
                rows.push(TooltipRow {
                    label: if name.is_empty() {
                        row_label
                    } else {
                        format!("{name} · {row_label}")
                    },
                    value: format_value(v, format),
                    role: None,
                });
            }
        }
        Layer::HRule { .. } | Layer::VRule { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::spec::{Axis, Series};

    #[test]
    fn nearest_by_binary_search() {
        let xs = [0.0, 1.0, 2.0, 10.0];
        assert_eq!(nearest_index(&xs, -5.0), Some(0));
        assert_eq!(nearest_index(&xs, 0.4), Some(0));
        assert_eq!(nearest_index(&xs, 0.5), Some(0));
        assert_eq!(nearest_index(&xs, 0.6), Some(1));
        assert_eq!(nearest_index(&xs, 5.9), Some(2));
        assert_eq!(nearest_index(&xs, 6.1), Some(3));
        assert_eq!(nearest_index(&xs, 99.0), Some(3));
        assert_eq!(nearest_index(&xs, f64::NAN), None);
        assert_eq!(nearest_index(&[], 1.0), None);
        assert_eq!(nearest_index(&[f64::NAN, f64::NAN], 1.0), None);
        assert_eq!(nearest_index(&[0.0, f64::NAN, 3.0], 1.8), Some(2));
        assert_eq!(nearest_index(&[f64::INFINITY, 5.0], 1e308), Some(1));
        let big: Vec<f64> = (0..1_000_000).map(f64::from).collect();
        assert_eq!(nearest_index(&big, 654_321.3), Some(654_321));
    }

    fn delivery() -> ChartSpec {
        ChartSpec::new(
            "posts",
            Axis::minutes().domain(478.0, 483.0),
            Axis::linear().domain(0.0, 100.0),
        )
        .layer(Layer::stacked_bars(
            vec![478.0, 479.0, 480.0, 481.0, 482.0],
            vec![
                Series::new("< 60 s", ColorRole::Ok, vec![1.0, 2.0, 42.0, 4.0, 5.0]),
                Series::new(
                    "≥ 90 s",
                    ColorRole::Late,
                    vec![0.0, 0.0, 7.0, f64::NAN, 0.0],
                ),
            ],
        ))
        .layer(Layer::outline(
            "compare",
            ColorRole::Compare,
            vec![480.0],
            vec![30.0],
        ))
        .layer(Layer::hrule(60.0, ColorRole::Target, Some("target")))
    }

    #[test]
    fn hover_snaps_to_the_slot_under_the_pointer() {
        let spec = delivery();
        let f = Frame::new(&spec, 400.0, 200.0, 1.0);
        let (l, r) = f.slot(480.0);
        let css = (f64::from(f.plot.x) + (l + r) / 2.0 + 3.0) / f.dpr;
        let h = hover(&spec, &f, css, f.css_y(50.0)).unwrap();
        assert_eq!(h.x, 480.0);
        assert_eq!(h.title, "08:00");
        assert!((h.crosshair_x - f.css_x(480.0)).abs() < 1e-9);
        let rows: Vec<(&str, &str)> = h
            .rows
            .iter()
            .map(|r| (r.label.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("< 60 s", "42"),
                ("≥ 90 s", "7"),
                ("Total", "49"),
                ("compare", "30")
            ]
        );
        assert_eq!(h.row, None);

        let h = hover(&spec, &f, f.css_x(481.0), f.css_y(50.0)).unwrap();
        let rows: Vec<(&str, &str)> = h
            .rows
            .iter()
            .map(|r| (r.label.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(rows, [("< 60 s", "4"), ("≥ 90 s", "n/a"), ("Total", "4")]);

        assert_eq!(hover(&spec, &f, 0.0, 0.0), None);
        assert_eq!(hover(&spec, &f, f64::NAN, 10.0), None);
    }

    #[test]
    fn hairline_slots_snap_to_the_tallest_bar_under_the_pointer() {
        // A whole day of minutes on 400 px: a slot is about a quarter pixel.
        let minutes: Vec<f64> = (0..1440).map(f64::from).collect();
        let mut late = vec![0.0; 1440];
        late[480] = 1207.0;
        late[479] = 3.0;
        late[700] = 2.0;
        let spec = ChartSpec::new("m", Axis::minutes().domain(0.0, 1440.0), Axis::linear()).layer(
            Layer::stacked_bars(minutes, vec![Series::new("late", ColorRole::Late, late)]),
        );
        let f = Frame::new(&spec, 400.0, 200.0, 1.0);
        let y = f.css_y(10.0);
        // Pointing a pixel beside the 08:00 spike picks 08:00.
        let h = hover(&spec, &f, f.css_x(480.0) + 1.0, y).unwrap();
        assert_eq!((h.x, h.title.as_str()), (480.0, "08:00"));
        let h = hover(&spec, &f, f.css_x(480.0) - 1.0, y).unwrap();
        assert_eq!(h.x, 480.0);
        // Further than 1.5 px away it does not.
        let h = hover(&spec, &f, f.css_x(480.0) + 3.0, y).unwrap();
        assert_ne!(h.x, 480.0);
        // Where every bar is empty, the nearest minute.
        let h = hover(&spec, &f, f.css_x(600.0), y).unwrap();
        assert_eq!(h.x, 600.0);
        // Wide slots are left alone (see the test above).
    }

    #[test]
    fn values_from_the_open_edge_read_as_lower_bounds() {
        let spec = ChartSpec::new(
            "q",
            Axis::minutes().domain(0.0, 3.0),
            Axis::linear().format(ValueFormat::Seconds),
        )
        .at_least_from(Some(1800.0))
        .layer(Layer::line(
            "p99",
            ColorRole::Line3,
            vec![0.0, 1.0, 2.0],
            vec![1800.0, 1799.5, 12.0],
        ));
        let f = Frame::new(&spec, 300.0, 200.0, 1.0);
        let at = |x: f64| {
            hover(&spec, &f, f.css_x(x), f.css_y(100.0)).unwrap().rows[0]
                .value
                .clone()
        };
        assert_eq!(
            at(0.0),
            format!("≥ {}", format_value(1800.0, &ValueFormat::Seconds))
        );
        assert_eq!(at(1.0), format_value(1799.5, &ValueFormat::Seconds));
        assert!(!at(2.0).starts_with('≥'));
        // Without the mark, the edge is just a value.
        let plain = ChartSpec {
            y_at_least_from: None,
            ..spec.clone()
        };
        let h = hover(&plain, &f, f.css_x(0.0), f.css_y(100.0)).unwrap();
        assert!(!h.rows[0].value.starts_with('≥'));
    }

    #[test]
    fn heatmap_rows_and_months() {
        let spec = ChartSpec::new(
            "h",
            Axis::minutes().domain(0.0, 3.0),
            Axis::categories(["twitter", "facebook"]),
        )
        .layer(Layer::heatmap(
            "",
            vec![0.0, 1.0, 2.0],
            2,
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        ));
        let f = Frame::new(&spec, 300.0, 200.0, 1.0);
        let h = hover(
            &spec,
            &f,
            f.css_x(1.0),
            (f64::from(f.plot.y) + f.y.map(1.5)) / f.dpr,
        )
        .unwrap();
        assert_eq!(h.row, Some(1));
        assert_eq!(
            h.rows,
            vec![TooltipRow {
                label: "facebook".into(),
                value: "4".into(),
                role: None
            }]
        );

        let m = ChartSpec::new(
            "mrr",
            Axis::months(),
            Axis::linear().format(ValueFormat::Currency("$".into())),
        )
        .layer(Layer::band(
            "80 %",
            ColorRole::Band80,
            vec![24199.0, 24200.0],
            vec![900.0, 950.0],
            vec![1100.0, 1250.0],
        ))
        .layer(Layer::line(
            "MRR",
            ColorRole::Line1,
            vec![24199.0, 24200.0],
            vec![1000.0, 1100.0],
        ));
        let f = Frame::new(&m, 300.0, 200.0, 1.0);
        let h = hover(&m, &f, f.css_x(24200.0), f.css_y(1000.0)).unwrap();
        assert_eq!(h.title, "Sep 2016");
        assert_eq!(h.rows[0].value, "$950 – $1,250");
        assert_eq!(h.rows[1].value, "$1,100");
    }

    #[test]
    fn zoom_windows() {
        let spec = delivery();
        let f = Frame::new(&spec, 400.0, 200.0, 1.0);
        // From inside 07:59 to inside 08:01: minutes 479..=481.
        let a = f.css_x(479.0) - 5.0;
        let b = f.css_x(481.0) + 5.0;
        assert_eq!(zoom_window(&spec, &f, b, a), Some((479.0, 482.0)));
        // Dragging past the edges clamps to the domain.
        assert_eq!(zoom_window(&spec, &f, -100.0, 1e6), Some((478.0, 483.0)));
        assert_eq!(zoom_window(&spec, &f, f64::NAN, 3.0), None);
        let lin = ChartSpec::new("l", Axis::linear().domain(0.0, 10.0), Axis::linear());
        let f = Frame::new(&lin, 400.0, 200.0, 1.0);
        let (lo, hi) = zoom_window(&lin, &f, f.css_x(2.0), f.css_x(4.0)).unwrap();
        assert!((lo - 2.0).abs() < 1e-9 && (hi - 4.0).abs() < 1e-9);
        assert_eq!(zoom_window(&lin, &f, 50.0, 50.0), None);
    }

    #[test]
    fn empty_chart_has_no_hover() {
        let spec = ChartSpec::new("e", Axis::linear(), Axis::linear()).layer(Layer::hrule(
            1.0,
            ColorRole::Target,
            None,
        ));
        let f = Frame::new(&spec, 300.0, 200.0, 1.0);
        let (px, py, pw, ph) = f.css_plot();
        assert_eq!(hover(&spec, &f, px + pw / 2.0, py + ph / 2.0), None);
    }
}
