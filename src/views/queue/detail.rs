//! The detail pane of the selected post: its full text, times, delay,
//! status and error, media size and thumbnail. Opened by a click or
//! Enter in the list or grid, closed by Escape or its button; it follows
//! the selection as the arrow keys move it.

use super::state::{QueueState, Thumb};
use crate::api::Post;
use crate::model::queue::{delay_text, human_size, is_late_90s};
use leptos::html::Div;
use leptos::prelude::*;

/// The pane (nothing while closed).
#[component]
pub fn DetailPane(
    st: QueueState,
    /// The list or grid, which gets the focus back on close.
    back: NodeRef<Div>,
) -> impl IntoView {
    let close = move |_| {
        st.open.set(false);
        if let Some(el) = back.get_untracked() {
            // Focus that cannot move stays where it was, still usable.
            el.focus().ok();
        }
    };
    move || {
        if !st.open.get() {
            return None;
        }
        let idx = st.selected.get()?;
        // Re-render when the document changes too.
        st.rows.track();
        let body = st.with_post(idx, |p| details(st, p))?;
        Some(view! {
            <aside class="qdetail" aria-label="Post details" data-detail=st.with_post(idx, |p| p.id.clone())>
                <header class="qdetail-head">
                    <h3 class="user" title=st.with_post(idx, |p| p.profile.clone())>
                        {st.with_post(idx, |p| p.profile.clone())}
                    </h3>
                    <button
                        type="button"
                        class="button quiet"
                        data-action="close"
                        aria-label="Close the details"
                        title="Close (Esc)"
                        on:click=close
                    >
                        "✕"
                    </button>
                </header>
                {body}
            </aside>
        })
    }
}

fn details(st: QueueState, p: &Post) -> impl IntoView {
    let thumb = st.thumb(p.thumbnail_url.as_deref());
    let broken = RwSignal::new(false);
    let figure = match thumb {
        Thumb::Url(src) => view! {
            <figure class="qdetail-thumb">
                <Show
                    when=move || !broken.get()
                    fallback=|| view! { <div class="qdetail-nothumb">"The thumbnail could not be loaded."</div> }
                >
                    <img src=src.clone() alt="Thumbnail" on:error=move |_| broken.set(true) />
                </Show>
            </figure>
        }
        .into_any(),
        Thumb::Refused(why) => view! {
            <figure class="qdetail-thumb">
                <div class="qdetail-nothumb" data-thumb="refused">
                    "Thumbnail not shown: it points to " {why} "."
                </div>
            </figure>
        }
        .into_any(),
        Thumb::None => view! {
            <figure class="qdetail-thumb">
                <div class="qdetail-nothumb">"No thumbnail"</div>
            </figure>
        }
        .into_any(),
    };
    let late = is_late_90s(p);
    let size = p
        .media_bytes
        .map(|b| format!("{} ({b} bytes)", human_size(Some(b))))
        .unwrap_or_else(|| "—".into());
    view! {
        {figure}
        <dl class="qdetail-facts">
            <dt>"Status"</dt>
            <dd><span class=format!("badge status-{}", p.status.as_str())>{p.status.as_str()}</span></dd>
            <dt>"Delay"</dt>
            <dd class:late=late>{delay_text(p)}</dd>
            <dt>"Due"</dt>
            <dd>{p.due_at.to_string()}</dd>
            <dt>"Sent"</dt>
            <dd>{p.sent_at.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Network"</dt>
            <dd>{p.network.clone()}</dd>
            <dt>"Media"</dt>
            <dd>{p.media.as_str()}</dd>
            <dt>"Size"</dt>
            <dd>{size}</dd>
            <dt>"Post id"</dt>
            <dd class="mono">{p.id.clone()}</dd>
            {p.error.clone().map(|e| view! {
                <dt>"Error"</dt>
                <dd class="qdetail-error user" data-field="error">{e}</dd>
            })}
        </dl>
        <p class="qdetail-text user" data-field="text">{p.text.clone()}</p>
    }
}
