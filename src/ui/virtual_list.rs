//! Virtual scrolling for long lists and grids of fixed-height rows.
//!
//! # Contract
//!
//! - The scroll container (`overflow: auto`, a fixed height) holds one
//!   spacer element as tall as every row together, so the scrollbar
//!   reflects the whole list. Only the rows in [`visible_range`] exist in
//!   the DOM; each is absolutely positioned with
//!   `transform: translateY(row × height)`, so no off-screen row is ever
//!   laid out.
//! - A scroll event only records the container's offset in
//!   [`Viewport::scroll_top`] (browsers dispatch scroll events once per
//!   rendered frame, so this needs no throttling). The range is computed
//!   from it; a keyed list of the rows in range then adds the rows that
//!   came into view and drops the ones that left, and leaves the others
//!   alone.
//! - The container's size is followed with a `ResizeObserver`
//!   ([`Viewport::height`], [`Viewport::width`]), disconnected when the
//!   owner is cleaned up.
//!
//! # Example
//!
//! ```ignore
//! let vp = Viewport::new();
//! let range = Memo::new(move |_| {
//!     visible_range(vp.scroll_top(), vp.height(), 36.0, rows.with(Vec::len), 8)
//! });
//! view! {
//!     <div class="vscroll" node_ref=vp.node on:scroll=move |_| vp.on_scroll()>
//!         <div class="vspacer" style:height=format!("{}px", rows.with(Vec::len) * 36)>
//!             <For each=move || range.get() key=|i| *i let:i>
//!                 <div class="vrow" style:transform=format!("translateY({}px)", i * 36)>…</div>
//!             </For>
//!         </div>
//!     </div>
//! }
//! ```

use leptos::html::Div;
use leptos::prelude::*;
use std::ops::Range;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The rows to render: those overlapping the `viewport` pixels below
/// `scroll_top`, plus `overscan` rows on each side, within `0..count`.
/// Non-finite or negative inputs count as 0; a row height that is not
/// positive renders nothing.
pub fn visible_range(
    scroll_top: f64,
    viewport: f64,
    row_height: f64,
    count: usize,
    overscan: usize,
) -> Range<usize> {
    if count == 0 || !row_height.is_finite() || row_height <= 0.0 {
        return 0..0;
    }
    let clean = |v: f64| if v.is_finite() { v.max(0.0) } else { 0.0 };
    let top = clean(scroll_top);
    let height = clean(viewport);
    // `as usize` saturates: a huge offset lands past the end, not on a wrap.
    let first = (top / row_height).floor() as usize;
    let last = ((top + height) / row_height).ceil() as usize;
    let start = first.saturating_sub(overscan).min(count);
    let end = last.saturating_add(overscan).min(count).max(start);
    start..end
}

/// The scroll offset that brings the span `top..bottom` (content
/// coordinates) into view when `inset_top` pixels at the top of the
/// viewport are covered (by a sticky header); `None` when it is already
/// in view.
pub fn reveal_offset(
    scroll_top: f64,
    viewport: f64,
    inset_top: f64,
    top: f64,
    bottom: f64,
) -> Option<f64> {
    if top < scroll_top + inset_top {
        Some((top - inset_top).max(0.0))
    } else if bottom > scroll_top + viewport {
        Some((bottom - viewport).max(0.0))
    } else {
        None
    }
}

type Observer = (web_sys::ResizeObserver, Closure<dyn FnMut(js_sys::Array)>);

/// A scroll container's offset and size as signals (see the module docs).
#[derive(Clone, Copy)]
pub struct Viewport {
    /// Put on the scroll container (`node_ref=vp.node`).
    pub node: NodeRef<Div>,
    scroll_top: RwSignal<f64>,
    height: RwSignal<f64>,
    width: RwSignal<f64>,
}

impl Default for Viewport {
    fn default() -> Self {
        Self::new()
    }
}

impl Viewport {
    /// A viewport that starts following its container once mounted.
    pub fn new() -> Self {
        let initial_height = web_sys::window()
            .and_then(|w| w.inner_height().ok())
            .and_then(|h| h.as_f64())
            .unwrap_or(800.0);
        let vp = Self {
            node: NodeRef::new(),
            scroll_top: RwSignal::new(0.0),
            height: RwSignal::new(initial_height),
            width: RwSignal::new(0.0),
        };
        let observer: StoredValue<Option<Observer>, LocalStorage> = StoredValue::new_local(None);
        Effect::new(move |_| {
            let Some(el) = vp.node.get() else {
                return;
            };
            // Measured by the observer's first call, once the page is laid
            // out for its next frame: measuring here would lay it out now,
            // in the middle of building it.
            let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_: js_sys::Array| {
                if let Some(el) = vp.node.try_get_untracked().flatten() {
                    vp.measure(&el);
                }
            });
            let Ok(ro) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) else {
                return;
            };
            ro.observe(&el);
            let previous = observer
                .try_update_value(|o| o.replace((ro, callback)))
                .flatten();
            if let Some((old, _)) = previous {
                old.disconnect();
            }
        });
        on_cleanup(move || {
            if let Some(Some((ro, _callback))) = observer.try_update_value(Option::take) {
                ro.disconnect();
            }
        });
        vp
    }

    fn measure(self, el: &web_sys::HtmlDivElement) {
        let h = f64::from(el.client_height());
        let w = f64::from(el.client_width());
        if self.height.try_get_untracked() != Some(h) {
            self.height.try_set(h);
        }
        if self.width.try_get_untracked() != Some(w) {
            self.width.try_set(w);
        }
    }

    /// The container's scroll offset in pixels (tracked).
    pub fn scroll_top(&self) -> f64 {
        self.scroll_top.get()
    }

    /// The container's inner height in pixels (tracked).
    pub fn height(&self) -> f64 {
        self.height.get()
    }

    /// The container's inner width in pixels (tracked); 0 until mounted.
    pub fn width(&self) -> f64 {
        self.width.get()
    }

    /// Call from the container's `scroll` event: records the offset if it
    /// changed (a horizontal scroll changes nothing).
    pub fn on_scroll(&self) {
        if let Some(el) = self.node.try_get_untracked().flatten() {
            let top = f64::from(el.scroll_top());
            if self.scroll_top.try_get_untracked() != Some(top) {
                self.scroll_top.try_set(top);
            }
        }
    }

    /// Scrolls the container to `top` pixels.
    pub fn scroll_to(&self, top: f64) {
        let top = if top.is_finite() { top.max(0.0) } else { 0.0 };
        // Already there (the offset is kept by `on_scroll`): reading the
        // offset back would lay the page out in the middle of a render.
        if self.scroll_top.get_untracked() == top.round() {
            return;
        }
        if let Some(el) = self.node.get_untracked() {
            el.set_scroll_top(top.round() as i32);
            self.scroll_top.set(f64::from(el.scroll_top()));
        } else {
            self.scroll_top.set(top);
        }
    }

    /// Scrolls just enough to show `top..bottom` (content coordinates)
    /// below a sticky header of `inset_top` pixels.
    pub fn reveal(&self, top: f64, bottom: f64, inset_top: f64) {
        let Some(el) = self.node.get_untracked() else {
            return;
        };
        let current = f64::from(el.scroll_top());
        let viewport = f64::from(el.client_height());
        if let Some(to) = reveal_offset(current, viewport, inset_top, top, bottom) {
            self.scroll_to(to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_covers_the_viewport_and_the_overscan() {
        assert_eq!(visible_range(0.0, 360.0, 36.0, 50_000, 5), 0..15);
        assert_eq!(visible_range(3600.0, 360.0, 36.0, 50_000, 5), 95..115);
        // A partly visible row at each end is included.
        assert_eq!(visible_range(18.0, 360.0, 36.0, 50_000, 0), 0..11);
        // The end of the list.
        assert_eq!(
            visible_range(1_799_640.0, 360.0, 36.0, 50_000, 5),
            49_985..50_000
        );
        // Past the end (the list just shrank): nothing until the browser clamps.
        assert_eq!(visible_range(1e9, 360.0, 36.0, 10, 5), 10..10);
        assert_eq!(visible_range(0.0, 360.0, 36.0, 3, 5), 0..3);
        assert_eq!(visible_range(0.0, 360.0, 36.0, 0, 5), 0..0);
    }

    #[test]
    fn range_survives_bad_numbers() {
        assert_eq!(visible_range(f64::NAN, 360.0, 36.0, 100, 0), 0..10);
        assert_eq!(visible_range(-50.0, f64::INFINITY, 36.0, 100, 0), 0..0);
        assert_eq!(visible_range(0.0, 360.0, 0.0, 100, 2), 0..0);
        assert_eq!(visible_range(0.0, 360.0, f64::NAN, 100, 2), 0..0);
        assert_eq!(
            visible_range(f64::MAX, f64::MAX, 1.0, 100, usize::MAX),
            0..100
        );
        assert_eq!(visible_range(f64::MAX, 10.0, 1.0, 100, 3), 100..100);
    }

    #[test]
    fn reveal_scrolls_only_as_needed() {
        // Viewport 0..400 with a 36 px header: rows show from 36 to 400.
        assert_eq!(reveal_offset(0.0, 400.0, 36.0, 36.0, 72.0), None);
        assert_eq!(reveal_offset(0.0, 400.0, 36.0, 396.0, 432.0), Some(32.0));
        assert_eq!(reveal_offset(500.0, 400.0, 36.0, 108.0, 144.0), Some(72.0));
        assert_eq!(reveal_offset(500.0, 400.0, 0.0, 0.0, 10.0), Some(0.0));
    }
}
