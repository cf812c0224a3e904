//! The application shell: the address as state, navigation with history,
//! the theme, the header, embed mode and the panic banner.
//! `config.json`, `meta.json` and the view's first document are requested
//! before the app is mounted ([`early`]).

pub mod data;
pub mod early;
pub mod embed;
pub mod panic;
pub mod rest;
pub mod route;
pub mod styles;

use crate::views;
use data::CoreDocs;
use leptos::prelude::*;
use route::{Route, Theme, View};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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

    /// Drops the address's day if it is not one of `days` (the days the
    /// view has data for), with a notice naming `what` ("delivery data",
    /// "posts") and the day shown instead.
    pub fn drop_unknown_day(&self, days: &[crate::api::Day], what: &str) {
        let Some(day) = self.route.with_untracked(|r| r.day) else {
            return;
        };
        if days.contains(&day) {
            return;
        }
        let instead = days
            .last()
            .map(|l| format!("showing {l}, the latest, instead"))
            .unwrap_or_else(|| format!("the dataset has no {what}"));
        self.notice(format!("Pulse has no {what} for {day}; {instead}."));
        self.replace(|r| r.day = None);
    }

    /// Drops networks the dataset does not name from the address, with a notice.
    pub fn drop_unknown_networks(&self, known: &[String]) {
        let unknown: Vec<String> = self.route.with_untracked(|r| {
            r.net
                .iter()
                .filter(|n| !known.contains(n))
                .cloned()
                .collect()
        });
        if !unknown.is_empty() {
            self.notice(format!(
                "Ignored the unknown network(s) {}.",
                unknown.join(", ")
            ));
            self.replace(|r| r.net.retain(|n| !unknown.contains(n)));
        }
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

fn push_query(query: &str, replace: bool) {
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
    let _ = if replace {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}

fn current_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// How long the app waits for its first documents before it mounts
/// anyway (showing placeholders), ms.
const MOUNT_WAIT_MS: i32 = 250;

/// Installs the panic banner, requests the first documents and mounts
/// Pulse on the page once they are read.
pub fn start() {
    panic::install();
    crate::timing::mark("start");
    early::start(Route::parse(&current_query()).0);
    // Leptos's own task spawner is set up by the mount itself.
    wasm_bindgen_futures::spawn_local(async {
        early::read_or_after(MOUNT_WAIT_MS).await;
        leptos::mount::mount_to_body(App);
        crate::timing::mark("mounted");
    });
}

fn system_prefers_dark() -> Option<web_sys::MediaQueryList> {
    web_sys::window()?
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let (route, notices) = Route::parse(&current_query());
    let embedded = route.embed.is_some();
    let state = AppState {
        route: RwSignal::new(route),
        notices: RwSignal::new(notices),
        docs: CoreDocs::load(),
        system_dark: RwSignal::new(system_prefers_dark().is_some_and(|m| m.matches())),
    };
    provide_context(state);
    let refresh = data::Refresh::new();
    provide_context(refresh);
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        match state.docs.config.get() {
            Some(Ok(config)) => {
                refresh.start(config.refresh_seconds);
                true
            }
            _ => false,
        }
    });
    if !state.notices.get_untracked().is_empty() {
        // Show the address as it is understood.
        state.replace(|_| {});
        push_query(&state.route.get_untracked().to_query(), true);
    }

    // Back and forward.
    let on_pop = Closure::<dyn FnMut()>::new(move || {
        let (route, notices) = Route::parse(&current_query());
        state.route.set(route);
        state.notices.set(notices);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    }
    on_pop.forget();

    // Follow the system theme when the address does not set one.
    if let Some(mq) = system_prefers_dark() {
        let on_change = Closure::<dyn FnMut(web_sys::MediaQueryListEvent)>::new(
            move |e: web_sys::MediaQueryListEvent| state.system_dark.set(e.matches()),
        );
        let _ = mq.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }
    Effect::new(move |_| {
        let theme = state.theme();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-theme", theme.key());
            let _ = root.class_list().toggle_with_force("embed", embedded);
        }
    });

    if embedded {
        Effect::new(move |_| {
            let origins = state
                .docs
                .config
                .get()
                .and_then(|c| c.ok())
                .map(|c| c.embed_parent_origins.clone());
            if let Some(origins) = origins {
                embed::report_height(origins);
            }
        });
    }

    let title = move || {
        let config_title = state
            .docs
            .config
            .get()
            .and_then(|c| c.ok())
            .and_then(|c| c.title.clone());
        let name = config_title.or_else(|| state.docs.meta().map(|m| m.name.clone()));
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            let view = state.route.with(|r| r.view.title());
            doc.set_title(&match &name {
                Some(n) => format!("{view} · {n} · Pulse"),
                None => format!("{view} · Pulse"),
            });
        }
        name
    };

    // Rebuild the view only when the view itself changes, not on every
    // change of the address: each view keeps its documents and models.
    let current_view = Memo::new(move |_| state.route.with(|r| r.view));
    Effect::new(move |_| {
        let _ = styles::load(current_view.get());
    });

    view! {
        <Show when=move || !embedded>
            <Header dataset=Signal::derive(title) />
        </Show>
        <Notices />
        <StaleNotice />
        <CoreFailure />
        <main id="main" class=move || if embedded { "main embedded" } else { "main" }>
            {move || match current_view.get() {
                View::Overview => view! { <views::overview::Overview /> }.into_any(),
                View::Delivery => view! { <views::delivery::Delivery /> }.into_any(),
                View::Revenue => view! { <views::revenue::Revenue /> }.into_any(),
                View::Queue => view! { <views::queue::Queue /> }.into_any(),
            }}
        </main>
    }
}

/// The header: brand, dataset name, the four views and the theme toggle.
#[component]
fn Header(dataset: Signal<Option<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = move || state.route.with(|r| r.view);
    let link = move |view: View| {
        let route = state.route.get();
        Route {
            view,
            theme: route.theme,
            month: route.month,
            day: route.day,
            ..Route::default()
        }
        .to_query()
    };
    // The theme as the address sets it: `None` follows the system.
    let theme_setting = move || state.route.with(|r| r.theme);
    let system_label = move || {
        let shown = if state.system_dark.get() {
            "dark"
        } else {
            "light"
        };
        format!("System theme ({shown})")
    };
    view! {
        <header class="topbar">
            <a class="brand" href="?" on:click=move |ev: web_sys::MouseEvent| {
                if plain_click(&ev) {
                    ev.prevent_default();
                    state.navigate(|r| *r = Route { theme: r.theme, ..Route::default() });
                }
            }>
                <span class="brand-mark" aria-hidden="true"></span>
                "Pulse"
            </a>
            <span class="dataset" title=move || dataset.get().unwrap_or_default()>
                {move || dataset.get().unwrap_or_default()}
            </span>
            <nav class="views" aria-label="Views">
                {View::ALL
                    .into_iter()
                    .map(|v| {
                        view! {
                            <a
                                href=move || link(v)
                                data-view=v.key()
                                aria-current=move || (current() == v).then_some("page")
                                on:click=move |ev: web_sys::MouseEvent| {
                                    if plain_click(&ev) {
                                        ev.prevent_default();
                                        let to = link(v);
                                        let (route, _) = Route::parse(&to);
                                        state.navigate(|r| *r = route);
                                    }
                                }
                            >
                                {v.title()}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <label class="theme-picker">
                <span class="visually-hidden">"Theme"</span>
                <select
                    data-picker="theme"
                    title="Colour theme: follow the system, or always light or dark"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        state.navigate(|r| r.theme = Theme::from_key(&value));
                    }
                >
                    <option value="" selected=move || theme_setting().is_none()>{system_label}</option>
                    <option value="light" selected=move || theme_setting() == Some(Theme::Light)>
                        "Light theme"
                    </option>
                    <option value="dark" selected=move || theme_setting() == Some(Theme::Dark)>
                        "Dark theme"
                    </option>
                </select>
            </label>
        </header>
    }
}

/// A click without modifier keys (others open new tabs as usual).
pub fn plain_click(ev: &web_sys::MouseEvent) -> bool {
    ev.button() == 0 && !ev.ctrl_key() && !ev.meta_key() && !ev.shift_key() && !ev.alt_key()
}

/// Notices about ignored address values.
#[component]
fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let notices = state.notices.get();
        (!notices.is_empty()).then(|| {
            view! {
                <div class="notices" role="status">
                    <ul>{notices.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                    <button class="button quiet" data-action="dismiss" on:click=move |_| state.notices.set(Vec::new())>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}

/// Documents shown from an earlier load because their refresh failed.
#[component]
fn StaleNotice() -> impl IntoView {
    let refresh = expect_context::<data::Refresh>();
    move || {
        let stale = refresh.stale.get();
        (!stale.is_empty()).then(|| {
            view! {
                <div class="notices stale" role="status" data-stale="true">
                    <ul>
                        {stale
                            .into_iter()
                            .map(|(doc, reason)| {
                                view! {
                                    <li>
                                        "Showing the last good " <code>{doc}</code>
                                        ": the refresh failed (" {reason} ")."
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// When `config.json` or `meta.json` fails, nothing can load: say so once,
/// at the top, with a retry.
#[component]
fn CoreFailure() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let error = match state.docs.config.get() {
            Some(Err(e)) => Some(e),
            Some(Ok(_)) => state.docs.meta.get().and_then(|m| m.err()),
            None => None,
        };
        error.map(|e| {
            view! {
                <div class="core-failure" role="alert" data-failed=e.doc().to_owned()>
                    <strong>"Pulse cannot start: "</strong>
                    <span>{e.to_string()}</span>
                    <button class="button" data-action="retry" on:click=move |_| state.docs.retry()>
                        "Retry"
                    </button>
                </div>
            }
        })
    }
}
