//! `delivery-quantiles`: p50, p95 and p99 delay per due minute (per
//! 5 minutes when the window is wide), with the 60 s target line and,
//! with a compare day, that day's p95. A quantile in the open bucket is
//! drawn at the bucket's lower edge (it is at least that); the table says
//! `ge:N`.

use super::legend::{Legend, Swatch};
use super::state::{quantile_group, short_day, window_from_zoom, DeliveryState};
use crate::api::Day;
use crate::chart::{Axis, ChartCanvas, ChartMarks, ChartSpec, ColorRole, Layer, ValueFormat};
use crate::format;
use crate::format::hhmm;
use crate::model::delivery::{ClassEdges, Quantile, QuantilePoint, Window};
use crate::rest::AfterPaint;
use crate::ui::{Panel, Table};
use leptos::prelude::*;
use std::sync::Arc;

/// The y of a quantile: seconds, the open bucket's lower edge, or a gap.
fn y(q: Quantile) -> f64 {
    match q {
        Quantile::Seconds(s) | Quantile::AtLeast(s) => s,
        Quantile::NoData => f64::NAN,
    }
}

/// The fewest posts for which quantile `q` is drawn: at least one post
/// above its rank (20 for p95, 100 for p99, 2 for p50). The table keeps
/// every value.
pub fn min_posts(q: f64) -> u64 {
    let above = 1.0 - q;
    if above > 0.0 {
        (1.0 / above).round().max(1.0) as u64
    } else {
        u64::MAX
    }
}

/// The y of quantile `q` of a point, or a gap when too few posts back it.
fn y_backed(p: &QuantilePoint, q: f64, value: Quantile) -> f64 {
    if p.sent >= min_posts(q) {
        y(value)
    } else {
        f64::NAN
    }
}

/// The x of a point: the middle of the minutes it covers.
fn x(p: &QuantilePoint) -> f64 {
    let (a, b) = (f64::from(p.from), f64::from(p.to));
    a + (b - a) / 2.0
}

/// The runs of consecutive drawable values, so a line breaks where a
/// value is missing instead of joining across it.
pub fn runs(xs: &[f64], ys: &[f64]) -> Vec<(Vec<f64>, Vec<f64>)> {
    let mut out = Vec::new();
    let mut run: (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
    for (x, y) in xs.iter().zip(ys) {
        if y.is_finite() {
            run.0.push(*x);
            run.1.push(*y);
        } else if !run.0.is_empty() {
            out.push(std::mem::take(&mut run));
        }
    }
    if !run.0.is_empty() {
        out.push(run);
    }
    out
}

/// One layer per run of `ys` (a lone value draws as a dot).
fn lines(name: &str, role: ColorRole, xs: &[f64], ys: &[f64], width: f64) -> Vec<Layer> {
    runs(xs, ys)
        .into_iter()
        .map(|(rx, ry)| Layer::Line {
            name: name.to_owned(),
            role,
            x: rx,
            y: ry,
            width,
        })
        .collect()
}

/// The chart.
pub fn quantiles_spec(
    points: &[QuantilePoint],
    compare: Option<(Day, &[QuantilePoint])>,
    w: Window,
    target_s: f64,
) -> ChartSpec {
    let xs: Vec<f64> = points.iter().map(x).collect();
    let ys = |q: f64, pick: fn(&QuantilePoint) -> Quantile| -> Vec<f64> {
        points.iter().map(|p| y_backed(p, q, pick(p))).collect()
    };
    // The open bucket's edge, where a quantile is only known to be at least that.
    let open_edge = points
        .iter()
        .chain(compare.iter().flat_map(|(_, c)| c.iter()))
        .flat_map(|p| [p.p50, p.p95, p.p99])
        .find_map(|q| match q {
            Quantile::AtLeast(edge) => Some(edge),
            _ => None,
        });
    let mut spec = ChartSpec::new(
        "Delay quantiles per due minute",
        Axis::minutes().domain(f64::from(w.from), f64::from(w.to) + 1.0),
        Axis::linear().title("delay").format(ValueFormat::Seconds),
    )
    .at_least_from(open_edge)
    .layer(Layer::hrule(
        target_s,
        ColorRole::Target,
        Some("60 s target"),
    ));
    let mut layers = Vec::new();
    if let Some((day, cmp)) = compare {
        let cx: Vec<f64> = cmp.iter().map(x).collect();
        let cy: Vec<f64> = cmp.iter().map(|p| y_backed(p, 0.95, p.p95)).collect();
        let name = format!("{} p95", short_day(day));
        layers.extend(lines(&name, ColorRole::Compare, &cx, &cy, 1.0));
    }
    layers.extend(lines(
        "p99",
        ColorRole::Line2,
        &xs,
        &ys(0.99, |p| p.p99),
        1.25,
    ));
    layers.extend(lines(
        "p95",
        ColorRole::Line3,
        &xs,
        &ys(0.95, |p| p.p95),
        1.5,
    ));
    layers.extend(lines(
        "p50",
        ColorRole::Line1,
        &xs,
        &ys(0.5, |p| p.p50),
        2.0,
    ));
    for l in layers {
        spec = spec.layer(l);
    }
    spec
}

/// The numbers of the chart, one row per point.
pub fn quantiles_table(day: Day, points: &[QuantilePoint], group: usize) -> Table {
    let caption = if group > 1 {
        format!("Delay quantiles per {group} due minutes, {day}")
    } else {
        format!("Delay quantiles per due minute, {day}")
    };
    let mut t = Table::new(caption, &["from", "to", "sent", "p50_s", "p95_s", "p99_s"]);
    for p in points {
        t.push(vec![
            hhmm(p.from),
            hhmm(p.to),
            p.sent.to_string(),
            p.p50.raw(),
            p.p95.raw(),
            p.p99.raw(),
        ]);
    }
    t
}

/// The quantiles panel.
#[component]
pub fn QuantilesPanel(st: DeliveryState) -> impl IntoView {
    let window = st.window;
    let group = Memo::new(move |_| quantile_group(window.get()));
    let own = Memo::new(move |_| {
        let h = st.hist.get()?;
        Some(Arc::new(h.quantile_series(window.get(), group.get())))
    });
    let other = Memo::new(move |_| {
        let day = st.compare.get()?;
        let h = st.compare_hist.get()?;
        Some((day, Arc::new(h.quantile_series(window.get(), group.get()))))
    });
    let target = Memo::new(move |_| {
        st.hist
            .get()
            .and_then(|h| ClassEdges::resolve(h.bounds_s()).within_s())
            .unwrap_or(60.0)
    });
    let has_data = Signal::derive(move || own.with(|o| o.as_ref().is_some_and(|o| !o.is_empty())));
    let spec = Memo::new(move |_| {
        let mine = own.get().unwrap_or_default();
        let cmp = other.get();
        quantiles_spec(
            &mine,
            cmp.as_ref().map(|(d, p)| (*d, p.as_slice())),
            window.get(),
            target.get(),
        )
    });
    let table = Signal::derive(move || {
        let day = st.day.get()?;
        let mine = own.get()?;
        Some(quantiles_table(day, &mine, group.get()))
    });
    let title = Signal::derive(move || {
        if group.get() > 1 {
            format!("Delay quantiles per {} minutes", group.get())
        } else {
            "Delay quantiles per minute".to_owned()
        }
    });
    let retry = Callback::new(move |_| st.retry());
    let on_zoom = Callback::new(move |(lo, hi): (f64, f64)| {
        if let Some(w) = window_from_zoom(lo, hi) {
            st.set_window(w);
        }
    });
    let on_reset = Callback::new(move |_| st.reset_window());
    let legend = move || {
        let mut items = vec![
            Swatch::line("line-1", "p50 (median)"),
            Swatch::line("line-3", "p95"),
            Swatch::line("line-2", "p99"),
            Swatch::dashed("target", "60 s target"),
        ];
        if let Some(d) = st.compare.get() {
            items.push(Swatch::line("compare", format!("{} p95", short_day(d))));
        }
        view! { <Legend items=items /> }
    };
    let open_bucket_note = move || {
        let last = st.hist.get().and_then(|h| h.bounds_s().last().copied())?;
        let edge = format::decimal(last, 1);
        Some(format!(
            "p95 is drawn where at least {} posts back it, p99 where at least {}; the table lists every value. \
             A quantile in the last, open bucket (≥ {edge} s) is drawn at {edge} s: the data only says it is at least that.",
            min_posts(0.95),
            min_posts(0.99)
        ))
    };
    view! {
        <Panel
            id="delivery-quantiles"
            later=true
            title=title
            state=st.panel
            on_retry=retry
            table=table
            chart=true
            class="wide chart-panel"
        >
            {legend}
            <ChartCanvas spec=spec name="delivery-quantiles" on_zoom=on_zoom on_reset=on_reset />
            <AfterPaint when=has_data placeholder="chart-marks-placeholder">
                <ChartMarks marks=st.marks() />
            </AfterPaint>
            <p class="chart-hint muted small">{open_bucket_note}</p>
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(from: u16, to: u16, sent: u64, p50: Quantile, p95: Quantile) -> QuantilePoint {
        QuantilePoint {
            from,
            to,
            sent,
            p50,
            p95,
            p99: Quantile::AtLeast(1800.0),
        }
    }

    #[test]
    fn points_sit_in_the_middle_of_their_minutes() {
        let points = [
            p(
                480,
                484,
                200,
                Quantile::Seconds(12.5),
                Quantile::Seconds(70.0),
            ),
            p(
                485,
                489,
                150,
                Quantile::Seconds(10.0),
                Quantile::Seconds(50.0),
            ),
            p(490, 494, 0, Quantile::NoData, Quantile::NoData),
        ];
        let spec = quantiles_spec(&points, None, Window::new(480, 494), 60.0);
        assert_eq!(
            spec.layers[0],
            Layer::hrule(60.0, ColorRole::Target, Some("60 s target"))
        );
        let Layer::Line { x, y, name, .. } = &spec.layers[3] else {
            panic!("p50 line last");
        };
        assert_eq!(name, "p50");
        assert_eq!(x, &[482.0, 487.0]);
        assert_eq!(y, &[12.5, 10.0]);
        let Layer::Line { y, name, .. } = &spec.layers[1] else {
            panic!("p99 line");
        };
        assert_eq!(name, "p99");
        assert_eq!(y, &[1800.0, 1800.0]);
        // p99 is in the open bucket: its tooltip reads "≥ 1800 s".
        assert_eq!(spec.y_at_least_from, Some(1800.0));
        let t = quantiles_table(Day::parse("2016-08-03").unwrap(), &points, 5);
        assert_eq!(
            t.rows[0],
            ["08:00", "08:04", "200", "12.5", "70", "ge:1800"]
        );
        assert_eq!(t.rows[2][3], "n/a");
    }

    #[test]
    fn thin_points_leave_gaps() {
        assert_eq!(
            (min_posts(0.5), min_posts(0.95), min_posts(0.99)),
            (2, 20, 100)
        );
        let points = [
            p(0, 0, 30, Quantile::Seconds(5.0), Quantile::Seconds(40.0)),
            p(1, 1, 3, Quantile::Seconds(6.0), Quantile::Seconds(90.0)),
            p(2, 2, 25, Quantile::Seconds(7.0), Quantile::Seconds(45.0)),
            p(3, 3, 25, Quantile::Seconds(7.0), Quantile::Seconds(50.0)),
        ];
        let spec = quantiles_spec(&points, None, Window::new(0, 3), 60.0);
        let p95: Vec<(Vec<f64>, Vec<f64>)> = spec
            .layers
            .iter()
            .filter_map(|l| match l {
                Layer::Line { name, x, y, .. } if name == "p95" => Some((x.clone(), y.clone())),
                _ => None,
            })
            .collect();
        // A lone value, then a run of two.
        assert_eq!(p95.len(), 2);
        assert_eq!(p95[0], (vec![0.0], vec![40.0]));
        assert_eq!(p95[1], (vec![2.0, 3.0], vec![45.0, 50.0]));
        assert_eq!(runs(&[0.0, 1.0], &[f64::NAN, f64::NAN]), vec![]);
    }
}
