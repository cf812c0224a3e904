//! Chart legends as HTML: each swatch is coloured by a class of
//! `style/delivery.css` from the same `--chart-*` variables the charts
//! read, so legend and chart agree in both themes.

use leptos::prelude::*;

/// How a swatch is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A filled square (bars, heatmap cells).
    Fill,
    /// A short line (series lines).
    Line,
    /// A dashed line (targets).
    Dashed,
    /// An open box (a compare day's outline).
    Outline,
}

/// One legend entry: a colour key (`ok`, `late`, `line-1`, …), its mark
/// and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Swatch {
    pub key: &'static str,
    pub mark: Mark,
    pub label: String,
}

impl Swatch {
    pub fn fill(key: &'static str, label: impl Into<String>) -> Self {
        Self {
            key,
            mark: Mark::Fill,
            label: label.into(),
        }
    }

    pub fn line(key: &'static str, label: impl Into<String>) -> Self {
        Self {
            key,
            mark: Mark::Line,
            label: label.into(),
        }
    }

    pub fn dashed(key: &'static str, label: impl Into<String>) -> Self {
        Self {
            key,
            mark: Mark::Dashed,
            label: label.into(),
        }
    }

    pub fn outline(key: &'static str, label: impl Into<String>) -> Self {
        Self {
            key,
            mark: Mark::Outline,
            label: label.into(),
        }
    }

    fn class(&self) -> String {
        let mark = match self.mark {
            Mark::Fill => "fill",
            Mark::Line => "line",
            Mark::Dashed => "dashed",
            Mark::Outline => "outline",
        };
        format!("swatch {mark} c-{}", self.key)
    }
}

/// A row of swatches with labels.
#[component]
pub fn Legend(items: Vec<Swatch>) -> impl IntoView {
    view! {
        <ul class="legend">
            {items
                .into_iter()
                .map(|s| {
                    let class = s.class();
                    view! {
                        <li>
                            <span class=class aria-hidden="true"></span>
                            {s.label}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
