//! `queue-list`: the posts as a virtualised table.
//!
//! The scroll container holds a sticky header and a spacer as tall as all
//! rows; only the rows in view plus [`OVERSCAN`] on each side exist, each
//! [`ROW_HEIGHT`] pixels high and placed with `translateY`. Rows are keyed
//! by (position, post), so scrolling adds and drops rows at the edges and
//! never rebuilds the others. Clicks and keys are handled once on the
//! container, not per row. Every row carries `data-post-id`.

use super::detail::DetailPane;
use super::state::QueueState;
use crate::api::PostStatus;
use crate::model::queue::{delay_text, human_size, is_late_90s, QueueSort, SortKey};
use crate::model::sort::Direction;
use crate::ui::text::{excerpt, tooltip, ROW_EXCERPT};
use crate::ui::virtual_list::{visible_range, Viewport};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Height of a row, in whole pixels (also in `style/queue.css`).
const ROW_PX: usize = 36;
/// Height of a row, in pixels.
pub const ROW_HEIGHT: f64 = ROW_PX as f64;
/// Height of the sticky header, in pixels (also in `style/queue.css`).
pub const HEAD_HEIGHT: f64 = 36.0;
/// Rows rendered beyond each edge of the viewport.
pub const OVERSCAN: usize = 3;

/// The columns: header label, sort key (none for the text), CSS class.
/// When, how late and how it ended come first, so that a phone's width
/// shows them; who posted what comes last, the widest.
const COLUMNS: [(&str, Option<SortKey>, &str); 8] = [
    ("Due", Some(SortKey::Due), "c-due"),
    ("Delay", Some(SortKey::Delay), "c-delay num"),
    ("Status", Some(SortKey::Status), "c-status"),
    ("Network", Some(SortKey::Network), "c-network"),
    ("Media", Some(SortKey::Media), "c-media"),
    ("Size", Some(SortKey::Size), "c-size num"),
    ("Profile", Some(SortKey::Profile), "c-profile"),
    ("Text", None, "c-text"),
];

/// The `data-pos` and `data-idx` of the row an event happened in.
pub fn event_item(ev: &web_sys::Event) -> Option<(usize, u32)> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let item = target.closest("[data-idx]").ok()??;
    let pos = item.get_attribute("data-pos")?.parse().ok()?;
    let idx = item.get_attribute("data-idx")?.parse().ok()?;
    Some((pos, idx))
}

/// The sort after clicking the header of `key`: the other direction if
/// it is the current key, else ascending.
pub fn sort_after_click(current: QueueSort, key: SortKey) -> QueueSort {
    if current.key == key {
        QueueSort::new(key, current.dir.flip())
    } else {
        QueueSort::new(key, Direction::Ascending)
    }
}

/// Writes `sort` into the address (the default, due ascending, is omitted).
pub fn set_sort(st: QueueState, sort: QueueSort) {
    st.app.navigate(|r| {
        r.sort = (sort != QueueSort::default()).then(|| sort.to_param());
    });
}

/// The virtualised table.
#[component]
pub fn QueueList(st: QueueState) -> impl IntoView {
    let vp = Viewport::new();
    let count = Memo::new(move |_| st.rows.with(|r| r.len()));
    let range = Memo::new(move |_| {
        visible_range(
            vp.scroll_top(),
            (vp.height() - HEAD_HEIGHT).max(0.0),
            ROW_HEIGHT,
            count.get(),
            OVERSCAN,
        )
    });
    // A new order or filter starts at the top (not more posts arriving).
    Effect::new(move |prev: Option<()>| {
        st.rows.track();
        if prev.is_some() && st.arriving.with_untracked(Option::is_none) {
            vp.scroll_to(0.0);
        }
    });
    // The list's frame is built in one task and its first rows in the
    // next: each is a fraction of the first screen's work.
    let framed = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        crate::turn::next_turn().await;
        framed.try_set(true);
    });
    let items = move || {
        if !framed.get() {
            return Vec::new();
        }
        let r = range.get();
        st.rows.with(|rows| {
            rows.get(r.clone())
                .unwrap_or_default()
                .iter()
                .zip(r)
                .map(|(&idx, pos)| (pos, idx))
                .collect::<Vec<_>>()
        })
    };
    let reveal = move |pos: usize| {
        let top = HEAD_HEIGHT + pos as f64 * ROW_HEIGHT;
        vp.reveal(top, top + ROW_HEIGHT, HEAD_HEIGHT);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        // Keys on the header's buttons are theirs.
        if ev.target() != ev.current_target() {
            return;
        }
        let page = ((vp.height() - HEAD_HEIGHT) / ROW_HEIGHT).floor().max(1.0) as isize;
        let step = match ev.key().as_str() {
            "ArrowDown" => Some(1),
            "ArrowUp" => Some(-1),
            "PageDown" => Some(page),
            "PageUp" => Some(-page),
            _ => None,
        };
        st.handle_key(&ev, step, reveal);
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if let Some((_, idx)) = event_item(&ev) {
            st.selected.set(Some(idx));
            st.open.set(true);
        }
    };
    let active = move || st.selected.get().map(|i| format!("qrow-{i}"));
    // Whole pixels written as integers: the first rows never run the
    // standard float printer.
    let spacer = move || format!("{}px", count.get() * ROW_PX);
    let rows = move || {
        st.rows.with(|r| r.is_empty()).then(|| {
            view! {
                <div class="queue-none" role="status">
                    "No posts match these filters. "
                    <button class="button quiet" data-action="clear-filters" on:click=move |_| st.clear_filters()>
                        "Clear filters"
                    </button>
                </div>
            }
        })
    };
    let on_body_key = move |ev: web_sys::KeyboardEvent| close_on_escape(st, vp, &ev);
    view! {
        <div class="queue-body" class:detail-open=move || st.open.get() on:keydown=on_body_key>
            <div
                class="vscroll qlist"
                role="grid"
                tabindex="0"
                aria-label="Posts"
                aria-rowcount=move || (count.get() + 1).to_string()
                aria-colcount=COLUMNS.len().to_string()
                aria-activedescendant=active
                node_ref=vp.node
                on:scroll=move |_| vp.on_scroll()
                on:keydown=on_key
                on:click=on_click
            >
                <div class="qlist-head" role="row" aria-rowindex="1">
                    {COLUMNS.into_iter().map(|(label, key, class)| header_cell(st, label, key, class)).collect_view()}
                </div>
                <div class="vspacer" style:height=spacer>
                    <For
                        each=items
                        key=|item: &(usize, u32)| *item
                        children=move |(pos, idx)| row(st, pos, idx)
                    />
                </div>
                {rows}
            </div>
            <DetailPane st=st back=vp.node />
        </div>
    }
}

/// Escape closes the detail pane and gives the focus back to the list.
pub fn close_on_escape(st: QueueState, vp: Viewport, ev: &web_sys::KeyboardEvent) {
    if ev.key() == "Escape" && st.open.get_untracked() {
        ev.prevent_default();
        st.open.set(false);
        if let Some(el) = vp.node.get_untracked() {
            // Focus that cannot move stays where it was, still usable.
            el.focus().ok();
        }
    }
}

fn header_cell(
    st: QueueState,
    label: &'static str,
    key: Option<SortKey>,
    class: &'static str,
) -> impl IntoView {
    let Some(key) = key else {
        return view! { <div class=format!("qcell {class}") role="columnheader">{label}</div> }
            .into_any();
    };
    // While the hour arrives its posts are in the order they arrive in,
    // and sorting waits for the whole hour.
    let waiting = move || st.arriving.with(Option::is_some);
    let state = move || {
        let s = st.sort.get();
        (s.key == key && !waiting()).then_some(s.dir)
    };
    let aria_sort = move || match state() {
        Some(Direction::Ascending) => "ascending",
        Some(Direction::Descending) => "descending",
        None => "none",
    };
    let arrow = move || match state() {
        Some(Direction::Ascending) => "▲",
        Some(Direction::Descending) => "▼",
        None => "",
    };
    view! {
        <div class=format!("qcell {class}") role="columnheader" aria-sort=aria_sort>
            <button
                type="button"
                class="qsort"
                data-sort=key.as_str()
                disabled=waiting
                title=format!("Sort by {}", label.to_lowercase())
                on:click=move |ev| {
                    ev.stop_propagation();
                    set_sort(st, sort_after_click(st.sort.get_untracked(), key));
                }
            >
                <span>{label}</span>
                <span class="qsort-arrow" aria-hidden="true">{arrow}</span>
            </button>
        </div>
    }
    .into_any()
}

/// One row; built once when it comes into view.
fn row(st: QueueState, pos: usize, idx: u32) -> impl IntoView {
    let cells = st.with_post(idx, |p| {
        let status_class = format!("badge status-{}", p.status.as_str());
        let delay_class = match p.status {
            PostStatus::Sent if is_late_90s(p) => "qcell c-delay num late",
            PostStatus::Sent => "qcell c-delay num",
            _ => "qcell c-delay num muted",
        };
        let due = p.due_at.hms();
        let due_title = p.due_at.to_string();
        let size = human_size(p.media_bytes);
        let size_title = p
            .media_bytes
            .map(|b| format!("{b} bytes"))
            .unwrap_or_else(|| "no size".into());
        view! {
            <span class="qcell c-due" role="gridcell" title=due_title>{due}</span>
            <span class=delay_class role="gridcell">{delay_text(p)}</span>
            <span class="qcell c-status" role="gridcell" title=p.error.as_deref().map(tooltip)>
                <span class=status_class>{p.status.as_str()}</span>
            </span>
            <span class="qcell c-network" role="gridcell" title=tooltip(&p.network)>
                {p.network.clone()}
            </span>
            <span class="qcell c-media" role="gridcell">
                <span class=format!("media-dot media-{}", p.media.as_str()) aria-hidden="true"></span>
                {p.media.as_str()}
            </span>
            <span class="qcell c-size num" role="gridcell" title=size_title>{size}</span>
            <span class="qcell c-profile user" role="gridcell" title=tooltip(&p.profile)>
                {excerpt(&p.profile, ROW_EXCERPT)}
            </span>
            <span class="qcell c-text user" role="gridcell" title=tooltip(&p.text)>
                {excerpt(&p.text, ROW_EXCERPT)}
            </span>
        }
    });
    let post_id = st.with_post(idx, |p| p.id.clone()).unwrap_or_default();
    let selected = move || st.selected.get() == Some(idx);
    view! {
        <div
            class="qrow"
            class:selected=selected
            role="row"
            id=format!("qrow-{idx}")
            data-post-id=post_id
            data-pos=pos.to_string()
            data-idx=idx.to_string()
            aria-rowindex=(pos + 2).to_string()
            aria-selected=move || selected().to_string()
            style:transform=format!("translateY({}px)", pos * ROW_PX)
        >
            {cells}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_clicks_flip_or_start_ascending() {
        let due = QueueSort::default();
        let delay = sort_after_click(due, SortKey::Delay);
        assert_eq!(delay.to_param(), "delay");
        assert_eq!(sort_after_click(delay, SortKey::Delay).to_param(), "-delay");
        let back = sort_after_click(sort_after_click(delay, SortKey::Delay), SortKey::Delay);
        assert_eq!(back.to_param(), "delay");
        assert_eq!(sort_after_click(due, SortKey::Due).to_param(), "-due");
    }
}
