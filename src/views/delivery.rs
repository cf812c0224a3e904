//! The Delivery view: how late did the posts of a day go out, especially
//! on the hour, and is one day better than another?
//!
//! - The day and the compare day come from `meta.json`'s `delivery_days`
//!   (the latest by default; a day the dataset lacks is reported and
//!   replaced). `net`, `media` and the minute window `from`/`to` narrow
//!   every panel; all of it lives in the address.
//! - A day document is parsed once and summed once per (day, filter)
//!   ([`state::DeliveryState`]); a new window only re-slices the sums.
//! - Panels: `delivery-kpis` (headline and figures), `delivery-minutes`
//!   (stacked delay classes per due minute; click opens the Queue),
//!   `delivery-heatmap` (minute × delay bucket), `delivery-quantiles`
//!   (p50/p95/p99), `delivery-breakdown` (network × media) and
//!   `delivery-capacity` (workers needed, simulated). Each chart
//!   shows its numbers as a table and CSV and downloads as PNG; a drag on
//!   a time chart narrows the window, a double-click or "Reset zoom"
//!   widens it again.

mod breakdown;
mod capacity;
mod heatmap;
mod kpis;
mod legend;
mod minutes;
mod pickers;
mod quantiles;
mod state;

use crate::rest::AfterPaint;
use crate::route::View;
use crate::state::AppState;
use breakdown::BreakdownPanel;
use capacity::CapacityPanel;
use heatmap::HeatmapPanel;
use kpis::KpisPanel;
use leptos::prelude::*;
use minutes::MinutesPanel;
use pickers::{DayPickers, FilterBar};
use quantiles::QuantilesPanel;
pub use state::correct;
use state::{short_day, DeliveryState};

/// The Delivery view, as the address names it.
pub const VIEW: View = View::named("delivery");

/// The document the view shows first for `route` (requested before the
/// app mounts, see `app::early`).
pub fn first_document(
    route: &crate::route::Route,
    meta: Option<&crate::api::Meta>,
) -> Option<String> {
    super::shown_or_latest(route.day, &meta?.delivery_days).map(crate::api::delivery_doc)
}

/// The Delivery view.
#[component]
pub fn Delivery() -> impl IntoView {
    let app = expect_context::<AppState>();
    let st = DeliveryState::new(app);
    let embedded = app.route.with_untracked(|r| r.embed.is_some());
    let compare_failure = move || {
        st.compare_failure.get().map(|e| {
            view! {
                <p class="inline-warning" role="alert" data-failed=e.doc().to_owned()>
                    "The compare day could not be loaded, so it is not shown: " {e.to_string()}
                    <button class="button quiet" data-action="retry-compare" on:click=move |_| st.retry()>
                        "Retry"
                    </button>
                </p>
            }
        })
    };
    let subtitle = move || {
        let day = st.day.get()?;
        Some(match st.compare.get() {
            Some(c) => format!("{} compared with {}", short_day(day), short_day(c)),
            None => format!("{}, UTC", short_day(day)),
        })
    };
    // The pickers, the filters and the panels below the first chart follow
    // it (their code is in the part of the module loaded after it): the
    // view's figures and first chart are what is looked at first. A day
    // that is slow to come does not keep the pickers away for long: one
    // may want another day.
    let settled = crate::ui::later_parts_may_come(st.panel);
    view! {
        <div class="delivery">
            <Show when=move || !embedded>
                <div class="view-head">
                    <div class="view-title">
                        <h1>"Delivery"</h1>
                        <span class="muted">{subtitle}</span>
                    </div>
                    <div class="toolbar">
                        <AfterPaint when=settled placeholder="pickers-placeholder">
                            <DayPickers st=st />
                        </AfterPaint>
                    </div>
                </div>
                <AfterPaint when=settled placeholder="dfilters-placeholder">
                    <FilterBar st=st />
                </AfterPaint>
            </Show>
            {compare_failure}
            <div class="grid delivery-grid">
                <KpisPanel st=st />
                <MinutesPanel st=st />
                <AfterPaint when=settled placeholder="later-panels-placeholder">
                    <LowerPanels st=st />
                </AfterPaint>
            </div>
        </div>
    }
}

/// The panels below the first chart, built one per turn of the page (each
/// builds and draws in a task of its own, not all four in one long task);
/// the place held for them stays below them until the last is in.
#[component]
fn LowerPanels(st: DeliveryState) -> impl IntoView {
    let built = crate::rest::one_per_turn(LOWER_PANELS);
    let from = move |n: u8| move || built.get() >= n;
    // The dataset's networks, for the place the breakdown holds while a
    // day loads (style/later.css): a row each per medium.
    let app = expect_context::<AppState>();
    let networks = move || app.docs.meta().map(|m| m.networks.len().to_string());
    view! {
        <Show when=from(1)><HeatmapPanel st=st /></Show>
        <Show when=from(2)><QuantilesPanel st=st /></Show>
        <Show when=from(3)>
            <div class="breakdown-place" style:--networks=networks>
                <BreakdownPanel st=st />
            </div>
        </Show>
        <Show when=from(4)><CapacityPanel st=st /></Show>
        <Show when=move || built.get() < LOWER_PANELS>
            <div class="later-panels-placeholder" aria-hidden="true"></div>
        </Show>
    }
}

/// How many panels [`LowerPanels`] builds.
const LOWER_PANELS: u8 = 4;
