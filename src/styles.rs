//! The views' own style sheets (`delivery`, `queue`, … as the view
//! registry names them), loaded with their view instead of with the
//! page: no view's first paint waits for another view's styles, and the
//! page's own sheet (`pulse.css`) holds only what they share. A view's
//! sheet is requested when the view is shown (before the app mounts,
//! when it is the first view, and the mount waits for it with the first
//! documents), and the others once the first view is painted
//! ([`crate::rest::in_after_paint`]), so moving to another view finds its
//! sheet in. In the release build the page's loader preloads the first
//! view's sheet while the module downloads, and the link takes that.
//!
//! The release build names each sheet by its content and writes the name
//! and its integrity hash into `index.html`
//! (`<meta name="pulse-style-queue" content="./queue-….css"
//! data-integrity="sha384-…">`, by `scripts/minify.mjs`); a debug build
//! serves them as `queue.css`, `revenue.css`, … beside the page.

use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The views' own sheets, as the shell announces them from the view
    /// registry ([`announce`]).
    static KNOWN: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    /// A promise of each sheet's load, once it is requested.
    static REQUESTED: RefCell<Vec<(&'static str, Option<js_sys::Promise>)>> =
        const { RefCell::new(Vec::new()) };
}

/// The sheet of everything built after the first paint (`later.css`):
/// [`crate::rest::in_after_paint`] waits for it.
pub const LATER: &str = "later";

/// Names the sheets [`load_all`] loads (the views' own, from the registry).
pub fn announce(sheets: impl IntoIterator<Item = &'static str>) {
    KNOWN.with(|k| *k.borrow_mut() = sheets.into_iter().collect());
}

/// Requests the style sheet `name` (`queue` for `queue.css`), once. The
/// promise settles when it is loaded or has failed (the view still works,
/// unstyled); `None` when the page cannot take a sheet.
pub fn load(name: &'static str) -> Option<js_sys::Promise> {
    REQUESTED.with(|r| {
        let mut requested = r.borrow_mut();
        if let Some((_, promise)) = requested.iter().find(|(n, _)| *n == name) {
            return promise.clone();
        }
        let promise = request(name);
        requested.push((name, promise.clone()));
        promise
    })
}

/// Requests every announced sheet.
pub fn load_all() {
    let known = KNOWN.with(|k| k.borrow().clone());
    for name in known {
        // Nothing waits for these: a view moved to later finds its sheet
        // in, or loads it again with [`load`]'s promise.
        load(name);
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
            // A promise's own resolve function does not throw.
            resolve.call0(&JsValue::UNDEFINED).ok();
        });
        let settle = settle.unchecked_ref();
        crate::console::report(
            "waiting for a style sheet",
            target.add_event_listener_with_callback("load", settle),
        );
        crate::console::report(
            "waiting for a style sheet",
            target.add_event_listener_with_callback("error", settle),
        );
    });
    document.head()?.append_child(&link).ok()?;
    Some(promise)
}
