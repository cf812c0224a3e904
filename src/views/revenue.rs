//! The Revenue view: what moved MRR, where it is heading, when it reaches a
//! target, and whether the MRR reported elsewhere agrees with the events.
//!
//! Everything comes from `revenue/events.json` (plan names from
//! `meta.json`). The model ([`crate::model::revenue`]) is computed once per
//! document, the forecast once per (model, plan); the month, plan filter
//! and target live in the address (`month`, `plan`, `target` in whole
//! currency units) and only re-slice what is computed.
//!
//! Panels (`data-panel`, `embed=`):
//! - `revenue-kpis`: the selected month's headline numbers ([`kpis`]);
//! - `revenue-mrr`: MRR by month with the 12-month forecast, its 80 % and
//!   95 % bands and the target ([`mrr`]);
//! - `revenue-movements`: movements as diverging stacked bars with the net
//!   change; a click selects the month ([`movements`]);
//! - `revenue-plans`: the selected month by plan ([`plans`]);
//! - `revenue-reconciliation`: reported vs event MRR and the month the gap
//!   opened ([`reconciliation`]).

pub mod controls;
pub mod kpis;
pub mod legend;
pub mod movements;
pub mod mrr;
pub mod plans;
pub mod reconciliation;
pub mod state;

use crate::rest::AfterPaint;
use crate::route::View;
use crate::state::AppState;
use controls::Pickers;
use kpis::KpisPanel;
use leptos::prelude::*;
use movements::MovementsPanel;
use mrr::MrrPanel;
use plans::PlansPanel;
use reconciliation::ReconciliationPanel;
use state::RevenueState;
pub use state::{correct, first_document};

/// The Revenue view, as the address names it.
pub const VIEW: View = View::named("revenue");

/// The Revenue view.
#[component]
pub fn Revenue() -> impl IntoView {
    let app = expect_context::<AppState>();
    let st = RevenueState::new(app);
    let embedded = app.route.with_untracked(|r| r.embed.is_some());
    // The pickers, the headline figures and the panels below the MRR
    // chart are built after it (their code is in the part of the module
    // loaded after it), each in a place held for it so nothing moves: the
    // chart is what the view shows first.
    let settled = crate::ui::later_parts_may_come(st.panel);
    view! {
        <Show when=move || !embedded>
            <div class="view-head rev-head">
                <div class="rev-title">
                    <h1>"Revenue"</h1>
                    <p class="muted small">{text(st, subtitle)}</p>
                </div>
                <AfterPaint when=settled placeholder="rev-pickers-placeholder">
                    <Pickers st=st />
                </AfterPaint>
            </div>
        </Show>
        <div
            class="grid rev-grid"
            data-target=move || st.target.get().map(|_| "")
            data-annotations=move || crate::views::marks::legend_expected(app).then_some("")
        >
            // The headline figure, where the KPI panel shows it, painted
            // with the chart; the panel takes its place once built
            // (`.rev-early` is hidden from then on).
            <div class="panel rev-early" aria-hidden="true">
                <div class="panel-body rev-headline">
                    <div class="rev-hero">
                        <div class="kpi">
                            <span class="kpi-label">"MRR"</span>
                            <span class="kpi-value">{text(st, kpis::headline_mrr)}</span>
                        </div>
                    </div>
                </div>
            </div>
            <AfterPaint when=settled placeholder="rev-kpis-placeholder">
                <KpisPanel st=st />
            </AfterPaint>
            <MrrPanel st=st />
            <AfterPaint when=settled placeholder="rev-later-placeholder">
                <LaterPanels st=st />
            </AfterPaint>
        </div>
    }
}

/// The view's subtitle: the months the events span and their currency.
fn subtitle(st: &RevenueState) -> Option<String> {
    let data = st.data()?;
    let first = data.model.months.first()?.label();
    let last = data.latest()?.label();
    Some(format!(
        "Month-end MRR from subscription events, {first} – {last}, in {}.",
        data.currency
    ))
}

/// A text of the view built with its first chart, read from its state by
/// `of` (empty while unknown). One closure type for all of them: each
/// kind of reactive text costs code in the view's first module.
fn text(
    st: RevenueState,
    of: fn(&RevenueState) -> Option<String>,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || of(&st).unwrap_or_default()
}

/// The panels below the MRR chart, built one per turn of the page (each
/// builds and draws in a task of its own); the place held for them stays
/// below them until the last is in.
#[component]
fn LaterPanels(st: RevenueState) -> impl IntoView {
    let built = crate::rest::one_per_turn(LATER_PANELS);
    let from = move |n: u8| move || built.get() >= n;
    view! {
        <Show when=from(1)><MovementsPanel st=st /></Show>
        <Show when=from(2)><PlansPanel st=st /></Show>
        <Show when=from(3)><ReconciliationPanel st=st /></Show>
        <Show when=move || built.get() < LATER_PANELS>
            <div class="rev-later-placeholder" aria-hidden="true"></div>
        </Show>
    }
}

/// How many panels [`LaterPanels`] builds.
const LATER_PANELS: u8 = 3;
