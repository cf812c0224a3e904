//! The data-agnostic description of a chart: two axes and layers.
//!
//! Contract:
//! - A [`ChartSpec`] says *what* to draw in data units; the engine decides
//!   pixels, colours (through [`ColorRole`]s), reduction and text.
//! - x positions: on a *banded* axis ([`AxisKind::Minutes`],
//!   [`AxisKind::Months`], [`AxisKind::Categories`]) a value `v` is the slot
//!   `[v, v + 1)`: bars fill it and points sit at its centre `v + 0.5`; the
//!   domain `(a, b)` shows slots `a ..= b - 1` (minutes `(475, 491)` shows
//!   07:55 to 08:10). On [`AxisKind::Linear`] a point sits at `v` and a bar
//!   spans `[v - 0.5, v + 0.5]`.
//! - y: linear (up is more), or categories with row 0 at the top.
//! - Layers draw in order (put bands before lines). Missing, NaN or
//!   infinite values are skipped; slices of different lengths are cut to the
//!   shortest. No layer content can make drawing panic.
//! - A `None` domain is computed from the layers (see `layout`).
//!
//! Builders keep view code short:
//! `Layer::line("p50", ColorRole::Line1, xs, ys)`,
//! `Axis::minutes().domain(475.0, 491.0)`.

use super::color::ColorRole;
use super::format::ValueFormat;

/// What the values along an axis mean.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum AxisKind {
    /// Continuous numbers.
    #[default]
    Linear,
    /// Minutes of the day, slots of one minute, ticks `HH:MM`.
    Minutes,
    /// Month indices `year * 12 + month - 1`, ticks `Jan 2016`.
    Months,
    /// Named slots `0..n`.
    Categories(Vec<String>),
}

impl AxisKind {
    /// Whether values are slots `[v, v + 1)` rather than points.
    pub fn is_banded(&self) -> bool {
        !matches!(self, AxisKind::Linear)
    }
}

/// One axis: kind, optional fixed domain, title and value format.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Axis {
    /// What the axis shows.
    pub kind: AxisKind,
    /// Fixed domain; `None` fits the data.
    pub domain: Option<(f64, f64)>,
    /// The axis title, if any.
    pub title: Option<String>,
    /// How values on it are written.
    pub format: ValueFormat,
    /// For a computed linear y domain: stretch it to include zero.
    pub include_zero: bool,
}

impl Axis {
    /// A linear value axis.
    pub fn linear() -> Self {
        Self {
            include_zero: true,
            ..Self::default()
        }
    }

    /// Minutes of the day, labelled `HH:MM`.
    pub fn minutes() -> Self {
        Self {
            kind: AxisKind::Minutes,
            ..Self::default()
        }
    }

    /// Months, labelled `Aug 2016`.
    pub fn months() -> Self {
        Self {
            kind: AxisKind::Months,
            ..Self::default()
        }
    }

    /// One slot per label, in order.
    pub fn categories<S: Into<String>>(labels: impl IntoIterator<Item = S>) -> Self {
        Self {
            kind: AxisKind::Categories(labels.into_iter().map(Into::into).collect()),
            ..Self::default()
        }
    }

    /// Fixes the domain to `[lo, hi]`.
    pub fn domain(mut self, lo: f64, hi: f64) -> Self {
        self.domain = Some((lo, hi));
        self
    }

    /// Sets the title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets how values are written.
    pub fn format(mut self, format: ValueFormat) -> Self {
        self.format = format;
        self
    }

    /// Let a computed domain start away from zero (lines of large values).
    pub fn no_zero(mut self) -> Self {
        self.include_zero = false;
        self
    }
}

/// A named series of values with its colour role.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The series' name, in the legend and tooltip.
    pub name: String,
    /// Its colour.
    pub role: ColorRole,
    /// One value per x.
    pub values: Vec<f64>,
}

impl Series {
    /// A series named `name` in colour `role`.
    pub fn new(name: impl Into<String>, role: ColorRole, values: Vec<f64>) -> Self {
        Self {
            name: name.into(),
            role,
            values,
        }
    }
}

/// Something drawn on the data layer.
#[derive(Clone, Debug, PartialEq)]
pub enum Layer {
    /// Bars stacked per x: positive values upward from zero in series order,
    /// negative values downward from zero (diverging bars).
    StackedBars {
        /// The x of each stack.
        x: Vec<f64>,
        /// The series stacked, bottom first.
        series: Vec<Series>,
    },
    /// One bar per x; `outline` draws only the top edge as a step line (a
    /// comparison day over filled bars).
    Bars {
        /// The series' name, in the legend and tooltip.
        name: String,
        /// Its colour.
        role: ColorRole,
        /// The x of each bar.
        x: Vec<f64>,
        /// The height of each bar.
        y: Vec<f64>,
        /// Only the top edge, as a step line.
        outline: bool,
    },
    /// A polyline, M4-reduced before drawing. `width` in CSS pixels.
    Line {
        /// The line's name, in the legend and tooltip.
        name: String,
        /// Its colour.
        role: ColorRole,
        /// The x of each point.
        x: Vec<f64>,
        /// The y of each point (NaN: a gap).
        y: Vec<f64>,
        /// Stroke width, CSS pixels.
        width: f64,
    },
    /// The area between `lower` and `upper` (forecast 80/95 % bands).
    Band {
        /// The band's name, in the legend and tooltip.
        name: String,
        /// Its colour.
        role: ColorRole,
        /// The x of each point.
        x: Vec<f64>,
        /// The low edge at each x.
        lower: Vec<f64>,
        /// The high edge at each x.
        upper: Vec<f64>,
    },
    /// Cells `values[column * rows + row]`, column `c` at `x[c]`, row `r`
    /// the y slot `[r, r + 1)`; colour from `Heat0` (at `range.0`) to
    /// `Heat1` (at `range.1`, computed from the data if `None`).
    Heatmap {
        /// The heatmap's name, in the tooltip.
        name: String,
        /// The x of each column.
        x: Vec<f64>,
        /// Rows per column.
        rows: usize,
        /// The cells, column by column.
        values: Vec<f64>,
        /// The values at the two ends of the colour scale.
        range: Option<(f64, f64)>,
        /// How a cell's value is written.
        format: ValueFormat,
    },
    /// A horizontal dashed line across the plot at `y` (a target).
    HRule {
        /// Where, in y units.
        y: f64,
        /// Its colour.
        role: ColorRole,
        /// A label at its end, if any.
        label: Option<String>,
    },
    /// A vertical line at `x` (a point position on banded axes, i.e. the
    /// slot centre).
    VRule {
        /// Where, in x units.
        x: f64,
        /// Its colour.
        role: ColorRole,
        /// A label at its top, if any.
        label: Option<String>,
    },
}

impl Layer {
    /// Bars of `series` stacked at each x.
    pub fn stacked_bars(x: Vec<f64>, series: Vec<Series>) -> Self {
        Layer::StackedBars { x, series }
    }

    /// One bar per x.
    pub fn bars(name: impl Into<String>, role: ColorRole, x: Vec<f64>, y: Vec<f64>) -> Self {
        Layer::Bars {
            name: name.into(),
            role,
            x,
            y,
            outline: false,
        }
    }

    /// The outline of bars: a step line over the x values.
    pub fn outline(name: impl Into<String>, role: ColorRole, x: Vec<f64>, y: Vec<f64>) -> Self {
        Layer::Bars {
            name: name.into(),
            role,
            x,
            y,
            outline: true,
        }
    }

    /// A line through the points.
    pub fn line(name: impl Into<String>, role: ColorRole, x: Vec<f64>, y: Vec<f64>) -> Self {
        Layer::Line {
            name: name.into(),
            role,
            x,
            y,
            width: 1.5,
        }
    }

    /// A band between a low and a high line.
    pub fn band(
        name: impl Into<String>,
        role: ColorRole,
        x: Vec<f64>,
        lower: Vec<f64>,
        upper: Vec<f64>,
    ) -> Self {
        Layer::Band {
            name: name.into(),
            role,
            x,
            lower,
            upper,
        }
    }

    /// Cells of `rows` rows per x, shaded by value.
    pub fn heatmap(name: impl Into<String>, x: Vec<f64>, rows: usize, values: Vec<f64>) -> Self {
        Layer::Heatmap {
            name: name.into(),
            x,
            rows,
            values,
            range: None,
            format: ValueFormat::Count,
        }
    }

    /// A horizontal rule at `y`, with an optional label.
    pub fn hrule(y: f64, role: ColorRole, label: Option<&str>) -> Self {
        Layer::HRule {
            y,
            role,
            label: label.map(str::to_string),
        }
    }

    /// A vertical rule at `x`, with an optional label.
    pub fn vrule(x: f64, role: ColorRole, label: Option<&str>) -> Self {
        Layer::VRule {
            x,
            role,
            label: label.map(str::to_string),
        }
    }

    /// The x positions of the layer's data, if it has any (rules do not).
    pub fn xs(&self) -> Option<&[f64]> {
        match self {
            Layer::StackedBars { x, .. }
            | Layer::Bars { x, .. }
            | Layer::Line { x, .. }
            | Layer::Band { x, .. }
            | Layer::Heatmap { x, .. } => Some(x),
            Layer::HRule { .. } | Layer::VRule { .. } => None,
        }
    }
}

/// A whole chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartSpec {
    /// What the chart shows, for `aria-label` (e.g. "Posts per minute").
    pub label: String,
    /// The x axis.
    pub x: Axis,
    /// The y axis.
    pub y: Axis,
    /// The layers, drawn in order.
    pub layers: Vec<Layer>,
    /// Values at or above this are lower bounds, not exact (a quantile in
    /// a histogram's open bucket is drawn at the bucket's edge): the
    /// tooltip shows them as "≥ value".
    pub y_at_least_from: Option<f64>,
    /// Where something over the plot draws vertical lines, in x units
    /// (annotation markers: a moment's line, a range's edges): rule
    /// labels keep clear of them ([`super::text`]).
    pub keep_clear: Vec<f64>,
}

impl ChartSpec {
    /// A chart labelled `label` (its accessible name) with no layers yet.
    pub fn new(label: impl Into<String>, x: Axis, y: Axis) -> Self {
        Self {
            label: label.into(),
            x,
            y,
            layers: Vec::new(),
            y_at_least_from: None,
            keep_clear: Vec::new(),
        }
    }

    /// Marks values from `edge` up as lower bounds (see the field).
    pub fn at_least_from(mut self, edge: Option<f64>) -> Self {
        self.y_at_least_from = edge;
        self
    }

    /// Rule labels keep clear of lines at `xs` (see the field).
    pub fn keep_clear_of(mut self, xs: Vec<f64>) -> Self {
        self.keep_clear = xs;
        self
    }

    /// Adds a layer on top.
    pub fn layer(mut self, layer: Layer) -> Self {
        self.layers.push(layer);
        self
    }
}
