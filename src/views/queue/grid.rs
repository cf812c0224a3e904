//! `queue-grid` (`layout=grid`): the posts as square thumbnails, three
//! columns on a phone and more on wider screens, virtualised by rows of
//! tiles like the list.
//!
//! A tile's image is loaded lazily and only from a URL that passed the
//! contract's rule; a post without one shows its media type and an
//! excerpt instead, and so does a tile whose image fails to load (one
//! `error` listener on the container, in the capture phase, marks it).

use super::detail::DetailPane;
use super::list::{close_on_escape, event_item};
use super::state::{QueueState, Thumb};
use crate::api::PostStatus;
use crate::format;
use crate::model::queue::{delay_text, is_late_90s};
use crate::ui::text::{excerpt, tooltip, TILE_EXCERPT};
use crate::ui::virtual_list::{visible_range, Viewport};
use leptos::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Space between tiles, in pixels.
pub const GAP: f64 = 4.0;
/// Rows of tiles rendered beyond each edge of the viewport.
pub const OVERSCAN_ROWS: usize = 2;

/// Columns and tile size for a container `width` pixels wide.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    pub cols: usize,
    /// Side of a tile, in pixels.
    pub tile: f64,
}

impl Geometry {
    /// Three columns below 600 px, then one per 200 px or so, at most 8.
    pub fn for_width(width: f64) -> Self {
        let width = if width.is_finite() {
            width.max(0.0)
        } else {
            0.0
        };
        let cols: usize = if width < 600.0 {
            3
        } else {
            (((width + GAP) / (200.0 + GAP)).floor() as usize).clamp(4, 8)
        };
        let n = cols as f64;
        let tile = ((width - GAP * (n - 1.0)) / n).max(48.0);
        Self { cols, tile }
    }

    /// From one row of tiles to the next, in pixels.
    pub fn step(&self) -> f64 {
        self.tile + GAP
    }

    /// Rows needed for `count` tiles.
    pub fn rows(&self, count: usize) -> usize {
        count.div_ceil(self.cols.max(1))
    }
}

/// The virtualised grid.
#[component]
pub fn QueueGrid(st: QueueState) -> impl IntoView {
    let vp = Viewport::new();
    let geometry = Memo::new(move |_| Geometry::for_width(vp.width()));
    let count = Memo::new(move |_| st.rows.with(|r| r.len()));
    let measured = move || vp.width() > 0.0;
    let range = Memo::new(move |_| {
        if !measured() {
            return 0..0;
        }
        let g = geometry.get();
        let rows = visible_range(
            vp.scroll_top(),
            vp.height(),
            g.step(),
            g.rows(count.get()),
            OVERSCAN_ROWS,
        );
        let n = count.get();
        (rows.start * g.cols).min(n)..(rows.end * g.cols).min(n)
    });
    // A new order or filter starts at the top (not more posts arriving).
    Effect::new(move |prev: Option<()>| {
        st.rows.track();
        if prev.is_some() && st.arriving.with_untracked(Option::is_none) {
            vp.scroll_to(0.0);
        }
    });
    let broken = StoredValue::new(HashSet::<u32>::new());
    watch_broken_images(vp, broken);

    let items = move || {
        let r = range.get();
        let cols = geometry.with(|g| g.cols);
        st.rows.with(|rows| {
            rows.get(r.clone())
                .unwrap_or_default()
                .iter()
                .zip(r)
                .map(|(&idx, pos)| (pos, idx, cols))
                .collect::<Vec<_>>()
        })
    };
    let reveal = move |pos: usize| {
        let g = geometry.get_untracked();
        let top = (pos / g.cols.max(1)) as f64 * g.step();
        vp.reveal(top, top + g.tile, 0.0);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.target() != ev.current_target() {
            return;
        }
        let g = geometry.get_untracked();
        let cols = g.cols as isize;
        let page = (vp.height() / g.step()).floor().max(1.0) as isize * cols;
        let step = match ev.key().as_str() {
            "ArrowRight" => Some(1),
            "ArrowLeft" => Some(-1),
            "ArrowDown" => Some(cols),
            "ArrowUp" => Some(-cols),
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
    let on_body_key = move |ev: web_sys::KeyboardEvent| close_on_escape(st, vp, &ev);
    // Custom properties go through the CSSOM (`style=(name, value)`), never
    // a `style` attribute, which `style-src 'self'` blocks.
    let tile_size = move || format!("{}px", format::fixed(geometry.get().tile, 3));
    let step = move || format!("{}px", format::fixed(geometry.get().step(), 3));
    let spacer = move || {
        let g = geometry.get();
        let rows = g.rows(count.get());
        format!(
            "{}px",
            format::fixed((rows as f64 * g.step() - GAP).max(0.0), 3)
        )
    };
    let active = move || st.selected.get().map(|i| format!("qtile-{i}"));
    let none = move || {
        (count.get() == 0).then(|| {
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
    view! {
        <div class="queue-body" class:detail-open=move || st.open.get() on:keydown=on_body_key>
            <div
                class="vscroll qgrid"
                role="listbox"
                tabindex="0"
                aria-label="Posts"
                aria-activedescendant=active
                style=("--tile", tile_size)
                style=("--step", step)
                node_ref=vp.node
                on:scroll=move |_| vp.on_scroll()
                on:keydown=on_key
                on:click=on_click
            >
                <div class="vspacer" style:height=spacer>
                    <For
                        each=items
                        key=|item: &(usize, u32, usize)| *item
                        children=move |(pos, idx, cols)| tile(st, broken, pos, idx, cols)
                    />
                </div>
                {none}
            </div>
            <DetailPane st=st back=vp.node />
        </div>
    }
}

/// Marks the tile of an image that failed to load, and remembers it so
/// the tile shows its placeholder when it comes back into view.
fn watch_broken_images(vp: Viewport, broken: StoredValue<HashSet<u32>>) {
    type Listener = (web_sys::HtmlDivElement, Closure<dyn FnMut(web_sys::Event)>);
    let listener: StoredValue<Option<Listener>, LocalStorage> = StoredValue::new_local(None);
    let remove = move || {
        if let Some(Some((el, cb))) = listener.try_update_value(Option::take) {
            // Removing a listener that is not there is no failure.
            el.remove_event_listener_with_callback_and_bool(
                "error",
                cb.as_ref().unchecked_ref(),
                true,
            )
            .ok();
        }
    };
    Effect::new(move |_| {
        let Some(el) = vp.node.get() else {
            return;
        };
        remove();
        let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Some(img) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlImageElement>().ok())
            else {
                return;
            };
            let Some(tile) = img.closest(".tile").ok().flatten() else {
                return;
            };
            crate::console::report("marking a broken image", tile.class_list().add_1("broken"));
            if let Some(idx) = tile
                .get_attribute("data-idx")
                .and_then(|i| i.parse::<u32>().ok())
            {
                broken.try_update_value(|b| b.insert(idx));
            }
        });
        crate::console::report(
            "listening for broken images",
            el.add_event_listener_with_callback_and_bool(
                "error",
                cb.as_ref().unchecked_ref(),
                true,
            ),
        );
        listener.try_set_value(Some((el, cb)));
    });
    on_cleanup(remove);
}

/// One tile; built once when it comes into view.
fn tile(
    st: QueueState,
    broken: StoredValue<HashSet<u32>>,
    pos: usize,
    idx: u32,
    cols: usize,
) -> impl IntoView {
    let cols = cols.max(1);
    let was_broken = broken.try_with_value(|b| b.contains(&idx)).unwrap_or(false);
    let parts = st.with_post(idx, |p| {
        let thumb = st.thumb(p.thumbnail_url.as_deref());
        let badge = match p.status {
            PostStatus::Sent if is_late_90s(p) => Some(("badge late", delay_text(p))),
            PostStatus::Sent => None,
            s => Some((
                if s == PostStatus::Failed {
                    "badge status-failed"
                } else {
                    "badge status-pending"
                },
                s.as_str().to_owned(),
            )),
        };
        (
            p.id.clone(),
            p.media.as_str(),
            excerpt(&p.profile, TILE_EXCERPT),
            excerpt(&p.text, TILE_EXCERPT),
            tooltip(&format!("{} — {}", p.profile, p.text)),
            thumb,
            badge,
        )
    });
    let Some((post_id, media, profile, text, title, thumb, badge)) = parts else {
        return ().into_any();
    };
    let image = match thumb {
        Thumb::Url(src) if !was_broken => Some(view! {
            <img src=src loading="lazy" decoding="async" alt="" draggable="false" />
        }),
        _ => None,
    };
    let selected = move || st.selected.get() == Some(idx);
    view! {
        <div
            class="tile"
            class:broken=was_broken
            class:selected=selected
            role="option"
            id=format!("qtile-{idx}")
            data-post-id=post_id
            data-pos=pos.to_string()
            data-idx=idx.to_string()
            aria-selected=move || selected().to_string()
            title=title
            style=("--c", (pos % cols).to_string())
            style=("--r", (pos / cols).to_string())
        >
            <div class="tile-ph">
                <span class="tile-kind">{media}</span>
                <span class="tile-profile user">{profile}</span>
                <span class="tile-text user">{text}</span>
            </div>
            {image}
            {badge.map(|(class, text)| view! { <span class=format!("tile-badge {class}")>{text}</span> })}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_columns_on_a_phone_more_when_wide() {
        assert_eq!(Geometry::for_width(360.0).cols, 3);
        assert_eq!(Geometry::for_width(599.0).cols, 3);
        assert_eq!(Geometry::for_width(600.0).cols, 4);
        assert_eq!(Geometry::for_width(1200.0).cols, 5);
        assert_eq!(Geometry::for_width(5000.0).cols, 8);
        let g = Geometry::for_width(1000.0);
        assert_eq!(g.cols, 4);
        assert!((g.tile * 4.0 + GAP * 3.0 - 1000.0).abs() < 1e-9);
        assert_eq!(g.rows(0), 0);
        assert_eq!(g.rows(9), 3);
        assert_eq!(Geometry::for_width(f64::NAN).cols, 3);
        assert!(Geometry::for_width(0.0).tile >= 48.0);
    }
}
