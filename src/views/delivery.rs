//! The Delivery view (filled in by its own issue).

use crate::app::AppState;
use crate::ui::{Panel, PanelState};
use leptos::prelude::*;

/// The Delivery view.
#[component]
pub fn Delivery() -> impl IntoView {
    let app = expect_context::<AppState>();
    let state = Signal::derive(move || match app.docs.meta.get() {
        None => PanelState::Loading,
        Some(Err(e)) => PanelState::Failed(e),
        Some(Ok(_)) => PanelState::Empty("This view is being built.".into()),
    });
    view! {
        <div class="view-head"><h1>"Delivery"</h1></div>
        <div class="grid">
            <Panel id="delivery-placeholder" title="Delivery" state=state>
                <p>"Coming soon."</p>
            </Panel>
        </div>
    }
}
