//! The frame every panel uses: a titled section with `data-panel="ID"`, a
//! loading skeleton (or a progress bar while a large document is read in
//! steps), an alert naming the failed document with a retry
//! button, and a toolbar to show the panel's numbers as a table, download
//! them as CSV, and (for charts) download the chart as PNG.
//!
//! In embed mode (`embed=ID`) every other panel renders nothing.

use super::table::Table;
use crate::api::LoadError;
use crate::format;
use crate::rest::AfterPaint;
use crate::state::AppState;
use leptos::prelude::*;

/// Where a panel's data stands.
#[derive(Clone, Debug, PartialEq)]
pub enum PanelState {
    /// The data is on its way.
    Loading,
    /// A large document being read in steps: `done` of `total` items.
    Reading {
        /// What is read (`posts`, `events`).
        what: &'static str,
        /// Items read so far.
        done: usize,
        /// Items in all.
        total: usize,
    },
    /// The data could not be loaded.
    Failed(LoadError),
    /// Loaded, but there is nothing to show; the text says why.
    Empty(String),
    /// The data is there to show.
    Ready,
}

impl PanelState {
    /// The state of a document load: `None` while loading.
    pub fn of<T>(load: Option<&Result<T, LoadError>>) -> Self {
        match load {
            None => PanelState::Loading,
            Some(Err(e)) => PanelState::Failed(e.clone()),
            Some(Ok(_)) => PanelState::Ready,
        }
    }

    /// Combines the states of the documents a panel needs: the first
    /// failure wins, then loading.
    pub fn all(states: impl IntoIterator<Item = PanelState>) -> Self {
        let mut out = PanelState::Ready;
        for s in states {
            match s {
                PanelState::Failed(_) => return s,
                PanelState::Loading | PanelState::Reading { .. } => out = s,
                PanelState::Empty(_) if out == PanelState::Ready => out = s,
                PanelState::Empty(_) | PanelState::Ready => {}
            }
        }
        out
    }
}

/// Starts a browser download of `text` as a file.
pub fn download_text(file_name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
        download_url(file_name, &url);
        // A URL that cannot be revoked only holds the blob until the page
        // closes: nothing to tell anyone.
        web_sys::Url::revoke_object_url(&url).ok();
    }
}

/// Starts a browser download of a URL (a `blob:` or `data:` URL).
pub fn download_url(file_name: &str, url: &str) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(a) = document.create_element("a") else {
        return;
    };
    let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    a.set_href(url);
    a.set_download(file_name);
    a.click();
}

/// The placeholder of a panel whose data is on its way.
fn skeleton() -> AnyView {
    view! {
        <div class="skeleton" aria-busy="true" aria-label="Loading">
            <div class="skeleton-bar"></div>
            <div class="skeleton-bar short"></div>
            <div class="skeleton-bar"></div>
        </div>
    }
    .into_any()
}

/// How long the parts of a view built after its first content wait for
/// its document before they come anyway: one may want another day or
/// hour than a slow one.
const LATER_PARTS_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Whether the parts of a view built after its first content (pickers,
/// filters, lower panels) may come: once the view's document is read or
/// has failed (`state` no longer loading), or after [`LATER_PARTS_WAIT`].
pub fn later_parts_may_come(state: Memo<PanelState>) -> Signal<bool> {
    let waited = RwSignal::new(false);
    set_timeout(
        move || {
            // `None` when the view is gone: nothing waits then.
            waited.try_set(true);
        },
        LATER_PARTS_WAIT,
    );
    Signal::derive(move || {
        waited.get()
            || !matches!(
                state.get(),
                PanelState::Loading | PanelState::Reading { .. }
            )
    })
}

/// A panel frame.
#[component]
pub fn Panel(
    /// The panel id, for `data-panel` and `embed=`.
    id: &'static str,
    /// The heading.
    #[prop(into)]
    title: Signal<String>,
    /// Where the panel's data stands.
    #[prop(into)]
    state: Signal<PanelState>,
    /// Loads the failed documents again.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
    /// The panel's numbers, for the table view and the CSV download.
    #[prop(optional, into)]
    table: Option<Signal<Option<Table>>>,
    /// The panel draws a chart: offer a PNG download.
    #[prop(optional)]
    chart: bool,
    /// Extra CSS classes (e.g. `wide`).
    #[prop(optional)]
    class: &'static str,
    /// Controls shown in the header, right of the title.
    #[prop(optional)]
    controls: Option<ChildrenFn>,
    /// When the data first becomes ready, build the body a frame later,
    /// so the panels above (the view's first chart) are painted first.
    #[prop(optional)]
    later: bool,
    /// Shown above the text of an empty panel: figures that still hold
    /// when there is nothing to list (the queue's counts, all 0).
    #[prop(optional)]
    empty_head: Option<ChildrenFn>,
    children: ChildrenFn,
) -> impl IntoView {
    let app = expect_context::<AppState>();
    // A memo: the frame is rebuilt only when `embed` shows or hides it,
    // not on every change of the address.
    let shown = Memo::new(move |_| {
        app.route
            .with(|r| r.embed.as_deref().is_none_or(|e| e == id))
    });
    let show_table = RwSignal::new(false);
    let section = NodeRef::<leptos::html::Section>::new();
    let heading_id = format!("panel-{id}-title");
    let has_table = table.is_some();
    let csv = move |_| {
        if let Some(t) = table.and_then(|t| t.get()) {
            download_text(&format!("{id}.csv"), "text/csv;charset=utf-8", &t.to_csv());
        }
    };
    // A panel whose numbers are not there (a planner without its worker
    // count) offers nothing to export: its buttons are off until they come.
    let nothing = move || table.is_some_and(|t| t.with(Option::is_none));
    let png = move |_| {
        if let Some(el) = section.get() {
            crate::chart::download_png(&el, id);
        }
    };
    // The rest of the code is asked for once the panel is painted (what
    // a click or a move to another view runs is there). A `later` body's
    // code may be in it: that body is built once the rest is in.
    let after_paint = crate::rest::in_after_paint(move || state.with(|s| *s == PanelState::Ready));
    let settled = if later {
        after_paint
    } else {
        Signal::stored(true)
    };
    let body = move || match state.get() {
        PanelState::Ready if !settled.get() => skeleton(),
        PanelState::Loading => skeleton(),
        PanelState::Reading { what, done, total } => {
            // Before the count is known the bar is indeterminate.
            let (label, max, value) = if total == 0 {
                (format!("Reading {what}…"), None, None)
            } else {
                let label = format!(
                    "Reading {what}: {} of {}",
                    format::group_thousands(done as i64),
                    format::group_thousands(total as i64)
                );
                (label, Some(total.to_string()), Some(done.to_string()))
            };
            view! {
                <div class="reading" role="status" data-reading=done.to_string()>
                    <progress max=max value=value></progress>
                    <span>{label}</span>
                </div>
            }
            .into_any()
        }
        PanelState::Failed(e) => {
            let doc = e.doc().to_owned();
            view! {
                <div class="panel-error" role="alert">
                    <p class="panel-error-title">"Could not load " <code>{doc}</code></p>
                    <p class="panel-error-reason">{e.to_string()}</p>
                    {on_retry
                        .map(|retry| {
                            view! {
                                <button class="button" data-action="retry" on:click=move |_| retry.run(())>
                                    "Retry"
                                </button>
                            }
                        })}
                </div>
            }
            .into_any()
        }
        PanelState::Empty(text) => {
            view! { {empty_head.clone().map(|h| h())} <p class="empty">{text}</p> }.into_any()
        }
        PanelState::Ready => {
            if show_table.get() {
                table
                    .and_then(|t| t.get())
                    .map(|t| view! { <TableView table=t /> }.into_any())
                    .unwrap_or_else(|| {
                        view! { <p class="muted">"No numbers to show."</p> }.into_any()
                    })
            } else {
                children().into_any()
            }
        }
    };
    let ready = move || state.with(|s| *s == PanelState::Ready);
    // The room of the head's buttons is held from the first paint, by
    // their count (later.css gives each the same width). Controls of the
    // panel's own are not measured: their head keeps its title on one
    // line beside them (later.css).
    let placeholder = match (controls.is_some(), has_table, chart) {
        (false, true, true) => "panel-controls-placeholder b3",
        (false, true, false) => "panel-controls-placeholder b2",
        _ => "panel-controls-placeholder",
    };
    // An embedded panel is the whole page: its title is the page's
    // level-one heading.
    let embedded = app.route.with_untracked(|r| r.embed.is_some());
    let heading = move |id: String| {
        let text = move || title.get();
        if embedded {
            view! { <h1 class="panel-title" id=id>{text}</h1> }.into_any()
        } else {
            view! { <h2 class="panel-title" id=id>{text}</h2> }.into_any()
        }
    };
    move || {
        shown.get().then(|| {
            let controls = controls.clone();
            let heading_id = heading_id.clone();
            let body = body.clone();
            view! {
                <section
                    class=format!("panel {class}{}", if chart { " has-chart" } else { "" })
                    data-panel=id
                    aria-labelledby=heading_id.clone()
                    node_ref=section
                >
                    <header class="panel-head">
                        {heading(heading_id.clone())}
                        <div class="panel-controls">
                            // Built after the first chart, with the rest of
                            // the code (src/rest.rs).
                            <AfterPaint when=Signal::derive(ready) placeholder=placeholder>
                            {controls.clone().map(|c| view! { <span class="custom">{c()}</span> })}
                            <Show when=move || has_table && ready()>
                                <button
                                    class="button quiet"
                                    data-action="table"
                                    aria-pressed=move || show_table.get().to_string()
                                    disabled=move || nothing() && !show_table.get()
                                    on:click=move |_| show_table.update(|v| *v = !*v)
                                >
                                    {move || if show_table.get() { "Chart" } else { "Table" }}
                                </button>
                                <button class="button quiet" data-action="csv" disabled=nothing on:click=csv>
                                    "CSV"
                                </button>
                            </Show>
                            <Show when=move || chart && ready() && !show_table.get()>
                                <button class="button quiet" data-action="png" disabled=nothing on:click=png>
                                    "PNG"
                                </button>
                            </Show>
                            </AfterPaint>
                        </div>
                    </header>
                    <div class="panel-body">{body}</div>
                </section>
            }
        })
    }
}

/// A table of a panel's numbers.
#[component]
pub fn TableView(
    /// The numbers.
    table: Table,
) -> impl IntoView {
    let Table {
        caption,
        columns,
        rows,
    } = table;
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>{columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>{row.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
