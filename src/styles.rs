//! The style sheets of the Queue and Revenue views, loaded with their
//! view instead of with the page: the Delivery view's first paint does not
//! wait for them. A view's sheet is requested when the view is shown
//! (before the app mounts, when it is the first view, and the mount waits
//! for it with the first documents), and the others once the first view
//! is painted ([`crate::rest::in_after_paint`]), so moving to another view
//! finds its sheet in.
//!
//! The release build names each sheet by its content and writes the name
//! and its integrity hash into `index.html`
//! (`<meta name="pulse-style-queue" content="./queue-….css"
//! data-integrity="sha384-…">`, by `scripts/minify.mjs`); a debug build
//! serves them as `queue.css` and `revenue.css` beside the page.

use crate::route::View;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The views' own sheets.
const SHEETS: [&str; 2] = ["queue", "revenue"];

thread_local! {
    /// A promise of each sheet's load, once it is requested.
    static REQUESTED: RefCell<[Option<js_sys::Promise>; SHEETS.len()]> = const { RefCell::new([None, None]) };
}

/// The sheet a view needs besides the page's own, if any (its index in
/// [`SHEETS`]).
fn sheet(view: View) -> Option<usize> {
    match view {
        View::Queue => Some(0),
        View::Revenue => Some(1),
        View::Overview | View::Delivery => None,
    }
}

/// Requests the style sheet of `view` (once). The promise settles when it
/// is loaded or has failed (the view still works, unstyled); `None` when
/// the view needs no sheet of its own.
pub fn load(view: View) -> Option<js_sys::Promise> {
    let index = sheet(view)?;
    REQUESTED.with(|r| {
        let mut requested = r.borrow_mut();
        let slot = requested.get_mut(index)?;
        if slot.is_none() {
            *slot = request(SHEETS.get(index)?);
        }
        slot.clone()
    })
}

/// Requests the sheets of every view.
pub fn load_all() {
    for view in View::ALL {
        let _ = load(view);
    }
}

#[inline(never)]
fn request(name: &str) -> Option<js_sys::Promise> {
    let document = web_sys::window()?.document()?;
    let meta = document
        .query_selector(&format!("meta[name=\"pulse-style-{name}\"]"))
        .ok()
        .flatten();
    let href = meta
        .as_ref()
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_else(|| format!("{name}.css"));
    let link = document.create_element("link").ok()?;
    link.set_attribute("rel", "stylesheet").ok()?;
    if let Some(integrity) = meta.and_then(|m| m.get_attribute("data-integrity")) {
        link.set_attribute("integrity", &integrity).ok()?;
    }
    link.set_attribute("href", &href).ok()?;
    let target: &web_sys::EventTarget = link.unchecked_ref();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let settle = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let settle = settle.unchecked_ref();
        let _ = target.add_event_listener_with_callback("load", settle);
        let _ = target.add_event_listener_with_callback("error", settle);
    });
    document.head()?.append_child(&link).ok()?;
    Some(promise)
}
