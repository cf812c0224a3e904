//! The Revenue view (filled in by its own issue).

use crate::app::AppState;
use crate::ui::{Panel, PanelState};
use leptos::prelude::*;

/// The Revenue view.
#[component]
pub fn Revenue() -> impl IntoView {
    let app = expect_context::<AppState>();
    let state = Signal::derive(move || match app.docs.meta.get() {
        None => PanelState::Loading,
        Some(Err(e)) => PanelState::Failed(e),
        Some(Ok(_)) => PanelState::Empty("This view is being built.".into()),
    });
    view! {
        <div class="view-head"><h1>"Revenue"</h1></div>
        <div class="grid">
            <Panel id="revenue-placeholder" title="Revenue" state=state>
                <p>"Coming soon."</p>
            </Panel>
        </div>
    }
}
