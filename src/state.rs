//! The shared state of the app, provided as context: the address as a
//! signal with history, the notices about ignored address values, the core
//! documents and the system theme. Views and widgets read and change it;
//! the shell creates it.

use crate::load::CoreDocs;
use crate::route::{Route, Theme};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// What every part of the app shares, provided as context.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The current address.
    pub route: RwSignal<Route>,
    /// Values from the address that were ignored, for the notice bar.
    pub notices: RwSignal<Vec<String>>,
    /// `config.json` and `meta.json`.
    pub docs: CoreDocs,
    /// Whether the system prefers dark colours.
    pub system_dark: RwSignal<bool>,
}

impl AppState {
    /// Changes the address with `change` and adds a history entry.
    pub fn navigate(&self, change: impl FnOnce(&mut Route)) {
        let mut next = self.route.get_untracked();
        change(&mut next);
        if next != self.route.get_untracked() {
            push_query(&next.to_query(), false);
            self.route.set(next);
        }
    }

    /// Changes the address without a history entry (e.g. replacing an
    /// invalid value by its default).
    pub fn replace(&self, change: impl FnOnce(&mut Route)) {
        let mut next = self.route.get_untracked();
        change(&mut next);
        if next != self.route.get_untracked() {
            push_query(&next.to_query(), true);
            self.route.set(next);
        }
    }

    /// Reports an address value that was ignored.
    pub fn notice(&self, text: String) {
        self.notices.update(|n| {
            if !n.contains(&text) {
                n.push(text);
            }
        });
    }

    /// The theme in effect: the address's, or the system's.
    pub fn theme(&self) -> Theme {
        self.route
            .with(|r| r.theme)
            .unwrap_or(if self.system_dark.get() {
                Theme::Dark
            } else {
                Theme::Light
            })
    }
}

/// Writes `query` into the address bar (keeping the path), replacing the
/// current history entry or adding one.
pub fn push_query(query: &str, replace: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    // Keep the path: the site may live under any sub-path.
    let path = window.location().pathname().unwrap_or_default();
    let url = if query == "?" {
        path
    } else {
        format!("{path}{query}")
    };
    let written = if replace {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    };
    crate::console::report("writing the address", written);
}

/// The page's query string, as the address bar shows it.
pub fn current_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}
