//! What a person sees if Pulse ever panics: a visible "Pulse stopped"
//! banner with the reason and a reload button, instead of a frozen page.
//! The banner is built with plain DOM calls because the app's own runtime
//! may be in an unknown state.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Installs the panic hook.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("Pulse stopped: {message}").into());
        show_banner(&message);
    }));
}

fn show_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id("pulse-stopped").is_some() {
        return;
    }
    let Some(body) = document.body() else {
        return;
    };
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    // Each `.ok()` below drops a failure, on purpose: the panic is on the
    // console already (see `install`), and a part of the banner that
    // cannot be made leaves the rest of it.
    banner.set_id("pulse-stopped");
    banner.set_class_name("stopped");
    banner.set_attribute("role", "alert").ok();
    if let Ok(title) = document.create_element("strong") {
        title.set_text_content(Some("Pulse stopped. "));
        banner.append_child(&title).ok();
    }
    if let Ok(text) = document.create_element("span") {
        text.set_text_content(Some(&format!(
            "Something unexpected happened ({message}). Reload to start again."
        )));
        banner.append_child(&text).ok();
    }
    if let Ok(button) = document.create_element("button") {
        button.set_text_content(Some("Reload"));
        button.set_class_name("button");
        let reload = Closure::<dyn FnMut()>::new(|| {
            if let Some(w) = web_sys::window() {
                w.location().reload().ok();
            }
        });
        button
            .add_event_listener_with_callback("click", reload.as_ref().unchecked_ref())
            .ok();
        reload.forget();
        banner.append_child(&button).ok();
    }
    body.prepend_with_node_1(&banner).ok();
}
