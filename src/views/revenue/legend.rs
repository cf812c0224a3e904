//! Chart legends as HTML: a swatch per series in the colour of its chart
//! role (the same `--chart-*` variable the canvas reads), and its name.

use leptos::prelude::*;

/// How a legend entry's swatch is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A filled square (bars, bands).
    Box,
    /// A short thick line.
    Line,
    /// A dashed line (rules).
    Dash,
}

impl Mark {
    fn class(self) -> &'static str {
        match self {
            Mark::Box => "rev-swatch box",
            Mark::Line => "rev-swatch line",
            Mark::Dash => "rev-swatch dash",
        }
    }
}

/// One legend entry: the name, the chart role's variable suffix (`line-1`
/// for `--chart-line-1`) and the mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The entry's name.
    pub name: String,
    /// The colour role's CSS suffix.
    pub role: &'static str,
    /// How the entry is drawn.
    pub mark: Mark,
}

impl Entry {
    /// An entry named `name`.
    pub fn new(name: impl Into<String>, role: &'static str, mark: Mark) -> Self {
        Self {
            name: name.into(),
            role,
            mark,
        }
    }
}

/// A row of legend entries.
#[component]
pub fn Legend(
    /// The entries, in order.
    #[prop(into)]
    entries: Signal<Vec<Entry>>,
) -> impl IntoView {
    view! {
        <ul class="rev-legend" aria-label="Legend">
            {move || {
                entries
                    .get()
                    .into_iter()
                    .map(|e| {
                        view! {
                            <li>
                                <span class=e.mark.class() data-role=e.role aria-hidden="true"></span>
                                {e.name}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
