//! The Queue view: the posts due in one UTC hour (`posts/{day}/{HH}.json`),
//! as a fast virtualised list (`queue-list`) or a grid of thumbnails
//! (`queue-grid`, `layout=grid`), with sort, filters, search and a detail
//! pane, all but the pane in the address.
//!
//! - The day comes from `meta.json`'s `post_days` (the latest by
//!   default; a day without posts is reported and replaced), the hour is
//!   00–23 (08 by default), the minute optional.
//! - The hour is parsed and indexed once; sorting and filtering work on
//!   `u32` indices ([`crate::model::queue`]); scrolling renders only the
//!   rows in view ([`crate::ui::virtual_list`]).
//! - Post text and profile names are rendered as text only; thumbnails
//!   are loaded only from URLs that pass the contract's rule
//!   ([`crate::api::url::checked_media_url`]).
//! - Hooks: `data-kpi` = `posts_count`, `posts_failed`, `posts_pending`,
//!   `posts_late_90s` (of the posts shown; 0 beside the empty state of an
//!   hour with no posts); each row and tile carries
//!   `data-post-id`.

mod controls;
mod detail;
mod grid;
mod list;
mod state;

use crate::rest::AfterPaint;
use crate::route::{Layout, View};
use crate::state::AppState;
use crate::ui::{download_text, Panel};
use controls::{Arrival, Counts, FilterBar, Pickers};
use grid::QueueGrid;
use leptos::prelude::*;
use list::QueueList;
pub use state::correct;
use state::QueueState;
use std::sync::Arc;

/// The Queue, as the address names it.
pub const VIEW: View = View::named("queue");

/// The Queue view.
#[component]
pub fn Queue() -> impl IntoView {
    let app = expect_context::<AppState>();
    let st = QueueState::new(app);
    // The pickers and the filter bar follow the first rows (their code is
    // in the part of the module loaded after them), each in a place held
    // at its size: the rows are what is looked at first. An hour that is
    // slow to come does not keep the pickers away for long: one may want
    // another hour.
    let settled = crate::ui::later_parts_may_come(st.panel);
    let retry = Callback::new(move |_| st.retry());
    let title = Signal::derive(move || {
        let hour = st.hour.get();
        let when = match st.minute.get() {
            Some(m) => format!("{hour:02}:{m:02}"),
            None => format!("{hour:02}:00–{hour:02}:59"),
        };
        match st.day.get() {
            Some(d) => format!("Posts due {d}, {when} UTC"),
            None => "Posts".to_owned(),
        }
    });
    let csv = move |_| {
        if let Some(t) = st.rows_table() {
            let name = match (st.day.get_untracked(), st.hour.get_untracked()) {
                (Some(d), h) => format!("queue-{d}-{h:02}.csv"),
                (None, _) => "queue.csv".to_owned(),
            };
            download_text(&name, "text/csv;charset=utf-8", &t.to_csv());
        }
    };
    // An hour with no posts says so, and its counts read 0.
    let counts = move || -> ChildrenFn { Arc::new(move || view! { <Counts st=st /> }.into_any()) };
    let controls = move || -> ChildrenFn {
        Arc::new(move || {
            view! {
                <Arrival st=st />
                <button
                    class="button quiet"
                    data-action="csv"
                    title="Download the posts shown as CSV"
                    on:click=csv
                >
                    "CSV"
                </button>
            }
            .into_any()
        })
    };
    view! {
        <div class="view-head qhead">
            <h1>"Queue"</h1>
            <div class="toolbar">
                <AfterPaint when=settled placeholder="qpickers-placeholder">
                    <Pickers st=st />
                </AfterPaint>
            </div>
        </div>
        {move || {
            let layout = st.layout.get();
            let id = match layout {
                Layout::List => "queue-list",
                Layout::Grid => "queue-grid",
            };
            let body = move || match layout {
                Layout::List => view! { <QueueList st=st /> }.into_any(),
                Layout::Grid => view! { <QueueGrid st=st /> }.into_any(),
            };
            view! {
                <Panel
                    id=id
                    title=title
                    state=st.panel
                    on_retry=retry
                    class="queue-panel"
                    controls=controls()
                    empty_head=counts()
                >
                    <Counts st=st />
                    <AfterPaint when=settled placeholder="qfilters-placeholder">
                        <FilterBar st=st />
                    </AfterPaint>
                    {body}
                </Panel>
            }
        }}
    }
}
