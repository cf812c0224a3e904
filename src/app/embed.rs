//! Embedding in other pages: in `embed=PANEL` mode the page reports its
//! height to the parent window as `{type: "pulse:height", height}` whenever
//! it changes, so a wiki can size its iframe. Pulse accepts no messages
//! from the parent.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Watches the document's height and posts it to the parent window, to
/// each origin in `origins` (or to any origin when the list is empty).
pub fn report_height(origins: Vec<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(root) = window.document().and_then(|d| d.document_element()) else {
        return;
    };
    let last = std::cell::Cell::new(-1i32);
    let post = move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(body) = window.document().and_then(|d| d.body()) else {
            return;
        };
        let height = body.scroll_height().max(body.offset_height());
        if height == last.get() {
            return;
        }
        last.set(height);
        let Ok(Some(parent)) = window.parent() else {
            return;
        };
        if parent == window {
            return;
        }
        let message = js_sys::Object::new();
        // Setting a property of a plain new object does not fail.
        js_sys::Reflect::set(&message, &"type".into(), &"pulse:height".into()).ok();
        js_sys::Reflect::set(&message, &"height".into(), &JsValue::from(height)).ok();
        if origins.is_empty() {
            crate::console::report(
                "telling the parent page the height",
                parent.post_message(&message, "*"),
            );
        } else {
            for origin in &origins {
                crate::console::report(
                    "telling the parent page the height",
                    parent.post_message(&message, origin),
                );
            }
        }
    };
    post();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| post());
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&root);
        if let Some(body) = window.document().and_then(|d| d.body()) {
            observer.observe(&body);
        }
    }
    callback.forget();
}
