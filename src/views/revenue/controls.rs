//! The view's pickers, all in the address: the month (`month`, latest by
//! default), the plan filter (`plan`, "All plans" by default) and the MRR
//! target in whole currency units (`target`, none by default).
//!
//! The target field accepts grouped amounts (`1,000,000`, `$1 000 000`);
//! anything that is not a whole non-negative amount is reported and left
//! out of the address.

use super::state::RevenueState;
use crate::api::Month;
use crate::format;
use leptos::prelude::*;

/// Characters of a plan name in the picker's list (names are user content).
const OPTION_CHARS: usize = 60;

/// What a person typed in the target field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetInput {
    /// Nothing: no target.
    Empty,
    /// A whole amount in currency units.
    Amount(u64),
    /// Not a whole non-negative amount.
    Invalid,
}

/// Parses a target typed by a person: digits with optional grouping
/// (`,`, `_`, spaces) and currency sign.
pub fn parse_target(text: &str) -> TargetInput {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '$' | '€' | '£' | '¥'))
        .collect();
    if digits.is_empty() {
        return TargetInput::Empty;
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return TargetInput::Invalid;
    }
    digits
        .parse::<u64>()
        .map_or(TargetInput::Invalid, TargetInput::Amount)
}

/// The month, plan and target pickers.
#[component]
pub fn Pickers(
    /// The view's state.
    st: RevenueState,
) -> impl IntoView {
    let app = st.app;
    let month_picker = move || {
        let data = st.data()?;
        let selected = st.month.get()?;
        let months: Vec<Month> = data.model.months.iter().rev().copied().collect();
        Some(view! {
            <label class="picker">
                <span>"Month"</span>
                <select
                    data-picker="month"
                    on:change=move |ev| {
                        if let Some(m) = Month::parse(&event_target_value(&ev)) {
                            st.select_month(m);
                        }
                    }
                >
                    {months
                        .into_iter()
                        .map(|m| view! {
                            <option value=m.to_string() selected=m == selected>{m.label()}</option>
                        })
                        .collect_view()}
                </select>
            </label>
        })
    };
    let plan_picker = move || {
        let plans = st.plans();
        if plans.is_empty() {
            return None;
        }
        let selected = st.plan.get();
        Some(view! {
            <label class="picker">
                <span>"Plan"</span>
                <select
                    data-picker="plan"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        app.navigate(|r| r.plan = (!value.is_empty()).then_some(value));
                    }
                >
                    <option value="" selected=selected.is_none()>"All plans"</option>
                    {plans
                        .into_iter()
                        .map(|(id, name)| {
                            let is = selected.as_deref() == Some(id.as_str());
                            let label = crate::ui::text::excerpt(&name, OPTION_CHARS);
                            view! { <option value=id selected=is>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        })
    };
    let shown_target = move || {
        app.route
            .with(|r| r.target)
            .map(|t| i64::try_from(t).map_or_else(|_| t.to_string(), format::group_thousands))
            .unwrap_or_default()
    };
    let input = NodeRef::<leptos::html::Input>::new();
    let commit = move || {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let text = el.value();
        match parse_target(&text) {
            TargetInput::Empty => app.navigate(|r| r.target = None),
            TargetInput::Amount(t) => app.navigate(|r| r.target = Some(t)),
            TargetInput::Invalid => {
                app.notice(format!(
                    "Ignored the target {text:?}: give a whole amount, e.g. 1,000,000."
                ));
                el.set_value(&shown_target());
            }
        }
    };
    let currency = move || st.currency();
    view! {
        <div class="toolbar rev-toolbar">
            {month_picker}
            {plan_picker}
            <form
                class="picker rev-target-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    commit();
                }
            >
                <label class="picker">
                    <span>"MRR target"</span>
                    <input
                        node_ref=input
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        data-picker="target"
                        class="rev-target-input"
                        placeholder="1,000,000"
                        prop:value=shown_target
                        on:change=move |_| commit()
                    />
                    <span class="muted small">{currency}</span>
                </label>
                <Show when=move || app.route.with(|r| r.target.is_some())>
                    <button
                        type="button"
                        class="button quiet"
                        data-action="clear-target"
                        title="Remove the target"
                        on:click=move |_| app.navigate(|r| r.target = None)
                    >
                        "Clear"
                    </button>
                </Show>
            </form>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_people_type() {
        use TargetInput::{Amount, Empty, Invalid};
        assert_eq!(parse_target(""), Empty);
        assert_eq!(parse_target("  "), Empty);
        assert_eq!(parse_target("1000000"), Amount(1_000_000));
        assert_eq!(parse_target("$1,000,000"), Amount(1_000_000));
        assert_eq!(parse_target("1 000 000"), Amount(1_000_000));
        assert_eq!(parse_target("-5"), Invalid);
        assert_eq!(parse_target("1.5"), Invalid);
        assert_eq!(parse_target("99999999999999999999999"), Invalid);
        assert_eq!(parse_target("ten"), Invalid);
    }
}
