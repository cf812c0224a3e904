//! `delivery-heatmap`: due minute × delay bucket. Each cell is coloured by
//! its share of the minute's posts (or, toggled, by its count), the
//! longest delays on top, with a dashed line at 60 s. The tooltip gives
//! the bucket's range, its count and its share.

use super::legend::{Legend, Swatch};
use super::state::{window_from_zoom, DeliveryState};
use crate::api::Day;
use crate::chart::{Axis, ChartCanvas, ChartMarks, ChartSpec, ColorRole, Layer, ValueFormat};
use crate::format;
use crate::format::hhmm;
use crate::model::delivery::{bucket_label, ClassEdges, HeatCell, Window};
use crate::rest::AfterPaint;
use crate::ui::{Panel, Table};
use leptos::prelude::*;
use std::sync::Arc;

/// What colours the cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatMode {
    Share,
    Count,
}

/// The counts above this quantile of the non-zero cells all take the
/// darkest colour, so one huge minute does not wash out the others.
const COUNT_COLOUR_QUANTILE: f64 = 0.98;

/// The colour range of counts: from 0 to a high quantile of the non-zero
/// counts (at least 1).
pub fn count_range(cells: &[HeatCell]) -> (f64, f64) {
    let mut counts: Vec<u64> = cells.iter().map(|c| c.count).filter(|c| *c > 0).collect();
    counts.sort_unstable();
    let i = ((counts.len() as f64 - 1.0) * COUNT_COLOUR_QUANTILE).round();
    let top = if i.is_finite() && i >= 0.0 {
        counts.get(i as usize).copied().unwrap_or(1)
    } else {
        1
    };
    (0.0, top.max(1) as f64)
}

/// The row of bucket `b` of `buckets` (the open bucket on top, row 0).
fn row_of(b: usize, buckets: usize) -> usize {
    buckets.saturating_sub(1).saturating_sub(b)
}

/// The y of the line between the buckets below and above `edge_s`, if it
/// is a bucket edge (or the nearest edge standing in for it).
pub fn edge_y(bounds: &[f64], buckets: usize, edge_s: f64) -> Option<f64> {
    let j = bounds.iter().position(|b| (*b - edge_s).abs() < 1e-9)?;
    Some(row_of(j, buckets) as f64)
}

/// The chart. `cells` come from [`crate::model::delivery::DayHistogram::heatmap`]:
/// minute-major, buckets in order.
pub fn heatmap_spec(cells: &[HeatCell], bounds: &[f64], w: Window, mode: HeatMode) -> ChartSpec {
    let buckets = bounds.len() + 1;
    let labels: Vec<String> = (0..buckets)
        .rev()
        .map(|b| bucket_label(bounds, b))
        .collect();
    let columns = cells.len() / buckets.max(1);
    let mut xs = Vec::with_capacity(columns);
    let mut counts = vec![0.0; columns * buckets];
    let mut shares = vec![0.0; columns * buckets];
    for (c, chunk) in cells.chunks_exact(buckets.max(1)).enumerate() {
        if let Some(first) = chunk.first() {
            xs.push(f64::from(first.minute));
        }
        for cell in chunk {
            let k = c * buckets + row_of(cell.bucket, buckets);
            if let Some(v) = counts.get_mut(k) {
                *v = cell.count as f64;
            }
            if let Some(v) = shares.get_mut(k) {
                *v = cell.share * 100.0;
            }
        }
    }
    let count_layer = Layer::Heatmap {
        name: "Posts".into(),
        x: xs.clone(),
        rows: buckets,
        values: counts,
        range: Some(count_range(cells)),
        format: ValueFormat::Count,
    };
    let share_layer = Layer::Heatmap {
        name: "Share".into(),
        x: xs,
        rows: buckets,
        values: shares,
        range: Some((0.0, 100.0)),
        format: ValueFormat::Percent(1),
    };
    // Both layers cover every cell, so only the last one shows; both give
    // their value in the tooltip.
    let (under, over) = match mode {
        HeatMode::Share => (count_layer, share_layer),
        HeatMode::Count => (share_layer, count_layer),
    };
    let mut spec = ChartSpec::new(
        match mode {
            HeatMode::Share => "Share of each minute's posts per delay bucket",
            HeatMode::Count => "Posts per due minute and delay bucket",
        },
        Axis::minutes().domain(f64::from(w.from), f64::from(w.to) + 1.0),
        Axis::categories(labels),
    )
    .layer(under)
    .layer(over);
    let edges = ClassEdges::resolve(bounds);
    let within = edges.within_s().unwrap_or(ClassEdges::WITHIN_S);
    if let Some(y) = edge_y(bounds, buckets, within) {
        let label = edges.names().within_edge();
        spec = spec.layer(Layer::hrule(y, ColorRole::Target, Some(&label)));
    }
    spec
}

/// The counts, one row per minute, one column per bucket.
pub fn heatmap_table(day: Day, cells: &[HeatCell], bounds: &[f64]) -> Table {
    let buckets = bounds.len() + 1;
    let names: Vec<String> = (0..buckets).map(|b| bucket_label(bounds, b)).collect();
    let mut columns: Vec<&str> = vec!["minute"];
    columns.extend(names.iter().map(String::as_str));
    let mut t = Table::new(
        format!("Posts sent per due minute and delay bucket, {day}"),
        &columns,
    );
    for chunk in cells.chunks_exact(buckets.max(1)) {
        let Some(first) = chunk.first() else {
            continue;
        };
        let mut row = vec![hhmm(first.minute)];
        row.extend(chunk.iter().map(|c| c.count.to_string()));
        t.push(row);
    }
    t
}

/// The heatmap panel.
#[component]
pub fn HeatmapPanel(st: DeliveryState) -> impl IntoView {
    let mode = RwSignal::new(HeatMode::Share);
    let window = st.window;
    let data = Memo::new(move |_| {
        let h = st.hist.get()?;
        let bounds: Arc<[f64]> = h.bounds_s().into();
        Some((Arc::new(h.heatmap(window.get())), bounds))
    });
    let has_data = Signal::derive(move || data.with(Option::is_some));
    let spec = Memo::new(move |_| {
        data.with(|d| match d {
            Some((cells, bounds)) => heatmap_spec(cells, bounds, window.get(), mode.get()),
            None => ChartSpec::default(),
        })
    });
    let table = Signal::derive(move || {
        let day = st.day.get()?;
        data.with(|d| {
            d.as_ref()
                .map(|(cells, bounds)| heatmap_table(day, cells, bounds))
        })
    });
    let max_count = Memo::new(move |_| {
        data.with(|d| {
            d.as_ref()
                .map(|(cells, _)| count_range(cells).1)
                .unwrap_or(1.0)
        })
    });
    let retry = Callback::new(move |_| st.retry());
    let on_zoom = Callback::new(move |(lo, hi): (f64, f64)| {
        if let Some(w) = window_from_zoom(lo, hi) {
            st.set_window(w);
        }
    });
    let on_reset = Callback::new(move |_| st.reset_window());
    let mode_button = move |m: HeatMode, key: &'static str, label: &'static str| {
        view! {
            <button
                type="button"
                data-heat=key
                aria-pressed=move || (mode.get() == m).to_string()
                on:click=move |_| mode.set(m)
            >
                {label}
            </button>
        }
    };
    let controls: ChildrenFn = Arc::new(move || {
        view! {
            <div class="toggle-group" role="group" aria-label="Colour cells by">
                {mode_button(HeatMode::Share, "share", "Share")}
                {mode_button(HeatMode::Count, "count", "Count")}
            </div>
        }
        .into_any()
    });
    let scale = move || {
        let (low, high) = match mode.get() {
            HeatMode::Share => ("0 %".to_owned(), "100 % of the minute's posts".to_owned()),
            HeatMode::Count => (
                "0".to_owned(),
                format!(
                    "{} posts or more",
                    format::group_thousands(max_count.get() as i64)
                ),
            ),
        };
        view! {
            <div class="heat-scale">
                <span>{low}</span>
                <span class="heat-ramp" aria-hidden="true"></span>
                <span>{high}</span>
                <Legend items=vec![Swatch::dashed("target", st.names().within_edge())] />
            </div>
        }
    };
    view! {
        <Panel
            id="delivery-heatmap"
            later=true
            title="Delay distribution per due minute"
            state=st.panel
            on_retry=retry
            table=table
            chart=true
            class="wide chart-panel"
            controls=controls
        >
            {scale}
            <ChartCanvas spec=spec name="delivery-heatmap" on_zoom=on_zoom on_reset=on_reset />
            <AfterPaint when=has_data placeholder="chart-marks-placeholder">
                <ChartMarks marks=st.marks() />
            </AfterPaint>
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(minute: u16, counts: &[u64]) -> Vec<HeatCell> {
        let sent: u64 = counts.iter().sum();
        counts
            .iter()
            .enumerate()
            .map(|(bucket, &count)| HeatCell {
                minute,
                bucket,
                count,
                share: if sent > 0 {
                    count as f64 / sent as f64
                } else {
                    0.0
                },
            })
            .collect()
    }

    #[test]
    fn rows_put_the_longest_delays_on_top() {
        let bounds = [60.0, 90.0];
        let mut all = cells(480, &[6, 3, 1]);
        all.extend(cells(481, &[0, 0, 0]));
        let spec = heatmap_spec(&all, &bounds, Window::new(480, 481), HeatMode::Share);
        let crate::chart::AxisKind::Categories(labels) = &spec.y.kind else {
            panic!("categories");
        };
        assert_eq!(labels, &["≥ 90 s", "60–90 s", "< 60 s"]);
        let Layer::Heatmap { values, rows, .. } = &spec.layers[1] else {
            panic!("share layer on top");
        };
        assert_eq!(*rows, 3);
        assert_eq!(values, &[10.0, 30.0, 60.0, 0.0, 0.0, 0.0]);
        let Layer::Heatmap { values, .. } = &spec.layers[0] else {
            panic!("count layer under it");
        };
        assert_eq!(values, &[1.0, 3.0, 6.0, 0.0, 0.0, 0.0]);
        // The 60 s line between rows 1 (60–90 s) and 2 (< 60 s).
        assert_eq!(
            spec.layers[2],
            Layer::hrule(2.0, ColorRole::Target, Some("60 s"))
        );
        let count = heatmap_spec(&all, &bounds, Window::new(480, 481), HeatMode::Count);
        assert!(matches!(&count.layers[1], Layer::Heatmap { name, .. } if name == "Posts"));
    }

    #[test]
    fn table_and_count_range() {
        let bounds = [60.0, 90.0];
        let all = cells(480, &[6, 3, 1]);
        let t = heatmap_table(Day::parse("2016-08-03").unwrap(), &all, &bounds);
        assert_eq!(t.columns, ["minute", "< 60 s", "60–90 s", "≥ 90 s"]);
        assert_eq!(t.rows, [["08:00", "6", "3", "1"]]);
        assert_eq!(count_range(&all), (0.0, 6.0));
        assert_eq!(count_range(&[]), (0.0, 1.0));
        assert_eq!(edge_y(&[10.0, 60.0, 90.0], 4, 60.0), Some(2.0));
        assert_eq!(edge_y(&[10.0], 2, 60.0), None);
    }
}
