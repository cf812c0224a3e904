//! The application shell, the top layer: the App component that mounts
//! the views, the header, the theme, embed mode, the panic banner, and the
//! early start (`config.json`, `meta.json` and the view's first document
//! requested before the app is mounted, [`crate::load::early`]).

pub mod embed;
pub mod panic;

use crate::load::{self as data, early, CoreDocs};
use crate::route::{Route, Theme, View};
use crate::state::{current_query, push_query, AppState};
use crate::{styles, views};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How long the app waits for its first documents before it mounts
/// anyway (showing placeholders), ms.
const MOUNT_WAIT_MS: i32 = 250;

/// Installs the panic banner, requests the first documents and mounts
/// Pulse on the page once they are read.
pub fn start() {
    panic::install();
    crate::timing::mark("start");
    views::announce();
    let route = Route::parse(&current_query()).0;
    let view = route.view;
    early::start(
        move |meta| views::first_document(&route, meta),
        views::entry(view).sheet.and_then(styles::load),
    );
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
    // Made and fetched once a part built after the first paint asks.
    provide_context(data::annotations::AnnotationsDoc::new());
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        match state.docs.config.get() {
            Some(Ok(config)) => {
                let seconds = config.refresh_seconds;
                if seconds > 0 {
                    // The clock's code is in the second module: it starts
                    // once that is in, and never asks for it.
                    leptos::task::spawn_local(async move {
                        crate::rest::arrived().await;
                        refresh.start(seconds);
                    });
                }
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
        crate::console::report(
            "following back and forward",
            w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref()),
        );
    }
    on_pop.forget();

    // Follow the system theme when the address does not set one.
    if let Some(mq) = system_prefers_dark() {
        let on_change = Closure::<dyn FnMut(web_sys::MediaQueryListEvent)>::new(
            move |e: web_sys::MediaQueryListEvent| state.system_dark.set(e.matches()),
        );
        crate::console::report(
            "following the system theme",
            mq.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref()),
        );
        on_change.forget();
    }
    Effect::new(move |_| {
        let theme = state.theme();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            crate::console::report(
                "setting the theme",
                root.set_attribute("data-theme", theme.key()),
            );
            crate::console::report(
                "marking embed mode",
                root.class_list().toggle_with_force("embed", embedded),
            );
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
            let view = state.route.with(|r| views::entry(r.view).title);
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
        if let Some(sheet) = views::entry(current_view.get()).sheet {
            // The view works unstyled until its sheet is in: nothing waits.
            let _ = styles::load(sheet);
        }
    });

    view! {
        <Show when=move || !embedded>
            <Header dataset=Signal::derive(title) />
        </Show>
        <Notices />
        <StaleNotice />
        <CoreFailure />
        <main id="main" class=move || if embedded { "main embedded" } else { "main" }>
            {move || (views::entry(current_view.get()).component)()}
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
                {views::VIEWS
                    .iter()
                    .map(|entry| {
                        let v = entry.view;
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
                                {entry.title}
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
