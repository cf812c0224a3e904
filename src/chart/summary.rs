//! A chart in one sentence, for its accessible description: what it
//! shows, over which x, and its highest value and where.
//!
//! Contract of [`summary`]: the spec's label, the first and last x of its
//! data, and the peak of its first data layer (a stack: its total; a
//! heatmap: its highest cell and the row; bands are passed over for the
//! line drawn in them) with the x where it is, written as the tooltip
//! writes them ("Posts per due minute by delay class, 00:00 to 23:59:
//! peak 9,171 at 08:00."). A chart with no finite value says so. Views
//! that know more give the chart their own sentence instead
//! ([`ChartCanvas`](super::ChartCanvas)'s `summary`).

use super::format::format_value;
use super::layout::axis_value_label;
use super::spec::{ChartSpec, Layer};

/// The highest finite value of `values` and its index (the first of
/// equals).
fn peak(values: impl Iterator<Item = f64>) -> Option<(usize, f64)> {
    values
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .fold(None, |best, (i, v)| match best {
            Some((_, b)) if b >= v => best,
            _ => Some((i, v)),
        })
}

/// Where the peak of the first data layer is: its x, the value and the
/// heatmap row, if any.
fn layer_peak(spec: &ChartSpec, layer: &Layer) -> Option<(f64, String, Option<String>)> {
    let xs = layer.xs()?;
    let fmt = &spec.y.format;
    let at = |i: usize| xs.get(i).copied().filter(|x| x.is_finite());
    match layer {
        Layer::StackedBars { series, .. } => {
            let totals = (0..xs.len()).map(|i| {
                series
                    .iter()
                    .filter_map(|s| s.values.get(i).copied().filter(|v| v.is_finite()))
                    .sum::<f64>()
            });
            let (i, v) = peak(totals)?;
            Some((at(i)?, format_value(v, fmt), None))
        }
        Layer::Bars { y, .. } | Layer::Line { y, .. } => {
            let (i, v) = peak(y.iter().copied())?;
            Some((at(i)?, format_value(v, fmt), None))
        }
        Layer::Heatmap {
            rows,
            values,
            format,
            ..
        } => {
            let (k, v) = peak(values.iter().copied())?;
            let (col, row) = (k.checked_div(*rows)?, k.checked_rem(*rows)?);
            let row = axis_value_label(&spec.y, row as f64);
            Some((at(col)?, format_value(v, format), Some(row)))
        }
        Layer::Band { .. } | Layer::HRule { .. } | Layer::VRule { .. } => None,
    }
}

/// The sentence (see the module contract).
pub fn summary(spec: &ChartSpec) -> String {
    let mut xs = spec
        .layers
        .iter()
        .filter_map(Layer::xs)
        .flatten()
        .copied()
        .filter(|x| x.is_finite());
    let first = xs.next();
    let (lo, hi) = xs.fold((first, first), |(lo, hi), x| {
        (lo.map(|l| l.min(x)), hi.map(|h| h.max(x)))
    });
    let peak = spec
        .layers
        .iter()
        .filter(|l| !matches!(l, Layer::Band { .. }))
        .find_map(|l| layer_peak(spec, l));
    let label = spec.label.trim_end_matches('.');
    let (Some(lo), Some(hi), Some((x, value, row))) = (lo, hi, peak) else {
        return format!("{label}: no data.");
    };
    let name = |v: f64| axis_value_label(&spec.x, v);
    let span = if hi > lo {
        format!("{} to {}", name(lo), name(hi))
    } else {
        name(lo)
    };
    let row = row.map(|r| format!(", {r}")).unwrap_or_default();
    format!("{label}, {span}: peak {value} at {}{row}.", name(x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::spec::{Axis, Series};
    use crate::chart::{ColorRole, ValueFormat};

    #[test]
    fn stacks_sum_and_the_first_peak_wins() {
        let spec = ChartSpec::new(
            "Posts per due minute",
            Axis::minutes().domain(0.0, 1440.0),
            Axis::linear(),
        )
        .layer(Layer::vrule(480.0, ColorRole::Grid, Some("08:00")))
        .layer(Layer::stacked_bars(
            vec![479.0, 480.0, 481.0, 482.0],
            vec![
                Series::new("ok", ColorRole::Ok, vec![5.0, 9000.0, 1.0, 9170.0]),
                Series::new("late", ColorRole::Late, vec![0.0, 171.0, f64::NAN, 1.0]),
            ],
        ));
        assert_eq!(
            summary(&spec),
            "Posts per due minute, 07:59 to 08:02: peak 9,171 at 08:00."
        );
    }

    #[test]
    fn lines_after_bands_and_heatmap_cells() {
        let mrr = ChartSpec::new(
            "Monthly recurring revenue.",
            Axis::months(),
            Axis::linear().format(ValueFormat::Currency("$".into())),
        )
        .layer(Layer::band(
            "80 %",
            ColorRole::Band80,
            vec![24199.0, 24200.0],
            vec![0.0, 0.0],
            vec![9e9, 9e9],
        ))
        .layer(Layer::line(
            "MRR",
            ColorRole::Line1,
            vec![24198.0, 24199.0],
            vec![1200.0, 1100.0],
        ));
        assert_eq!(
            summary(&mrr),
            "Monthly recurring revenue, Jul 2016 to Sep 2016: peak $1,200 at Jul 2016."
        );
        let heat = ChartSpec::new(
            "Delay by minute",
            Axis::minutes(),
            Axis::categories(["< 1 s", "1–2 s"]),
        )
        .layer(Layer::heatmap(
            "",
            vec![0.0, 1.0],
            2,
            vec![1.0, 2.0, 7.0, 3.0],
        ));
        assert_eq!(
            summary(&heat),
            "Delay by minute, 00:00 to 00:01: peak 7 at 00:01, < 1 s."
        );
    }

    #[test]
    fn no_data() {
        let spec = ChartSpec::new("Empty", Axis::linear(), Axis::linear())
            .layer(Layer::line(
                "l",
                ColorRole::Line1,
                vec![1.0],
                vec![f64::NAN],
            ))
            .layer(Layer::hrule(1.0, ColorRole::Target, None));
        assert_eq!(summary(&spec), "Empty: no data.");
        let one = ChartSpec::new("One", Axis::linear(), Axis::linear()).layer(Layer::line(
            "l",
            ColorRole::Line1,
            vec![2.0],
            vec![5.0],
        ));
        assert_eq!(summary(&one), "One, 2: peak 5 at 2.");
    }
}
