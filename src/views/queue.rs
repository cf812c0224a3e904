//! The Queue view (filled in by its own issue).

use crate::app::AppState;
use crate::ui::{Panel, PanelState};
use leptos::prelude::*;

/// The Queue view.
#[component]
pub fn Queue() -> impl IntoView {
    let app = expect_context::<AppState>();
    let state = Signal::derive(move || match app.docs.meta.get() {
        None => PanelState::Loading,
        Some(Err(e)) => PanelState::Failed(e),
        Some(Ok(_)) => PanelState::Empty("This view is being built.".into()),
    });
    view! {
        <div class="view-head"><h1>"Queue"</h1></div>
        <div class="grid">
            <Panel id="queue-placeholder" title="Queue" state=state>
                <p>"Coming soon."</p>
            </Panel>
        </div>
    }
}
