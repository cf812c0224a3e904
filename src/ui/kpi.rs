//! A headline number: a label, the value for people, the raw value for
//! scripts (`data-kpi` / `data-value`), and an optional change against a
//! previous period.

use leptos::prelude::*;

/// Whether a change is good news, bad news, or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Better than before, or on target.
    Good,
    /// Worse than before, or off target.
    Bad,
    /// Neither.
    Neutral,
}

impl Tone {
    /// The tone of a change, given whether an increase is good.
    pub fn of_change(delta: f64, up_is_good: Option<bool>) -> Self {
        match up_is_good {
            _ if delta == 0.0 || !delta.is_finite() => Tone::Neutral,
            None => Tone::Neutral,
            Some(good) => {
                if (delta > 0.0) == good {
                    Tone::Good
                } else {
                    Tone::Bad
                }
            }
        }
    }

    fn class(self) -> &'static str {
        match self {
            Tone::Good => "delta good",
            Tone::Bad => "delta bad",
            Tone::Neutral => "delta",
        }
    }
}

/// A change shown under a KPI: text (`+5.1 %`) and its tone.
#[derive(Clone, Debug, PartialEq)]
pub struct Delta {
    /// The change, as people read it.
    pub text: String,
    /// Whether it is good news.
    pub tone: Tone,
    /// What it compares against, for the tooltip (`vs Jul 2016`).
    pub against: String,
}

/// A headline number with its hooks.
#[component]
pub fn Kpi(
    /// The `data-kpi` name, e.g. `requests:buffer.com`.
    #[prop(into)]
    name: String,
    /// The machine-readable value for `data-value`.
    #[prop(into)]
    raw: String,
    /// The label for people.
    #[prop(into)]
    label: String,
    /// The value for people.
    #[prop(into)]
    text: String,
    /// The change against the previous period, if known.
    #[prop(optional)]
    delta: Option<Delta>,
) -> impl IntoView {
    let title = label.clone();
    view! {
        <div class="kpi" data-kpi=name data-value=raw>
            <span class="kpi-label" title=title>{label}</span>
            <span class="kpi-value">{text}</span>
            {delta
                .map(|d| {
                    view! {
                        <span class=d.tone.class() title=d.against.clone()>
                            {d.text}
                            <span class="delta-against">{format!(" {}", d.against)}</span>
                        </span>
                    }
                })}
        </div>
    }
}
