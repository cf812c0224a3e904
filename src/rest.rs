//! After-paint loading, the rest of the app: in the release site the wasm
//! module is split in two at build time for each view
//! (`scripts/split`). A view's first part holds what it runs up to its
//! first content; everything else (the panels built after it, the other
//! views, interactions) is in a second module that the page asks for once
//! a panel is painted. [`loaded`] asks for it and settles once it is in;
//! panels built later ([`crate::ui::Panel`]'s `later`) wait for it, so
//! they never stop the page to fetch code.
//!
//! A page that opens anything but the pages the split was profiled on
//! (with the address parameters they set) starts only once both modules
//! are in, both fetched asynchronously (`scripts/split/split.mjs`); what
//! only needs to run some time after the first view waits for
//! [`arrived`]. Code never loads synchronously: a function of the second
//! module called before it is in (a path no profile saw) stops that call
//! and starts the page again with both modules, once. Where the module
//! is not split (tests, a debug build) [`loaded`] settles at once.

use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The global function that the split build's loader defines: it starts
/// loading the second module (once) and returns a promise of it.
const LOADER: &str = "__pulse_load_rest";

/// Settles once the second module is in (at once when there is none).
/// A failed load is not an error here: the first call into it reports
/// it (the page's "Pulse stopped" banner).
pub async fn loaded() {
    let Some(promise) = start() else { return };
    // A failure is reported by the first call into the module (above).
    JsFuture::from(promise).await.ok();
}

/// Settles once the second module is in, without asking for it: for
/// what only needs to run some time after the first view (a refresh
/// clock). Where the loader does not say (an unsplit build, the build's
/// profiling run), as [`loaded`].
pub async fn arrived() {
    let arrival = js_sys::Reflect::get(&js_sys::global(), &ARRIVAL.into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    match arrival {
        Some(promise) => {
            JsFuture::from(promise).await.ok();
        }
        None => loaded().await,
    }
}

/// The global promise that the split build's loader settles when the
/// second module is in.
const ARRIVAL: &str = "__pulse_rest_arrived";

/// Starts loading the second module, if the page has one.
fn start() -> Option<js_sys::Promise> {
    let loader = js_sys::Reflect::get(&js_sys::global(), &LOADER.into()).ok()?;
    let loader = loader.dyn_ref::<js_sys::Function>()?;
    loader
        .call0(&wasm_bindgen::JsValue::UNDEFINED)
        .ok()?
        .dyn_into()
        .ok()
}

/// A signal that turns true, once, when `ready` has turned true, the page
/// has painted a frame after it, and the second module and the later
/// style sheet ([`crate::styles::LATER`]) are in: what a part
/// of a view built after the first chart waits for. The first chart is
/// painted before the second module is even asked for, so its download
/// never competes with the first view's.
pub fn in_after_paint(ready: impl Fn() -> bool + 'static) -> Signal<bool> {
    let settled = RwSignal::new(false);
    Effect::new(move |_| {
        if ready() && !settled.get_untracked() {
            let asked = StoredValue::new(false);
            let settle = move || {
                if asked.try_get_value() == Some(false) {
                    asked.set_value(true);
                    leptos::task::spawn_local(async move {
                        loaded().await;
                        // What is built now is styled by the later sheet,
                        // asked for once the module is in: the code that
                        // asks is in it (a failed load still builds the
                        // parts, unstyled).
                        if let Some(sheet) = crate::styles::load(crate::styles::LATER) {
                            JsFuture::from(sheet).await.ok();
                        }
                        // Each part waiting for the module is built in a
                        // task of its own, not all of them in the one the
                        // module arrives in.
                        crate::turn::next_turn().await;
                        // `None` when the view is gone: nothing waits then.
                        settled.try_set(true);
                        // The other views' style sheets, for a move there.
                        crate::styles::load_all();
                    });
                }
            };
            // Once the frame after `ready` is on the screen (the start of
            // the frame after it) and the browser has reported the page's
            // first content painted: that paint, the page's largest too,
            // comes before any request for what follows it, and does not
            // wait for them ([`crate::turn::after_first_paint`] says how
            // long a page that paints nothing waits).
            let go = move || {
                leptos::task::spawn_local(async move {
                    crate::turn::after_first_paint().await;
                    settle();
                });
            };
            request_animation_frame(move || request_animation_frame(go));
            set_timeout(go, Duration::from_millis(100));
        }
    });
    settled.into()
}

/// Builds `children` once `when` holds and [`in_after_paint`] says so;
/// until then an empty block of class `placeholder` holds their place.
#[component]
pub fn AfterPaint(
    /// Whether what `children` shows is ready.
    #[prop(into)]
    when: Signal<bool>,
    /// The CSS class of the block holding their place.
    placeholder: &'static str,
    /// What is built after the paint.
    children: ChildrenFn,
) -> impl IntoView {
    let settled = in_after_paint(move || when.get());
    move || {
        if settled.get() {
            children().into_any()
        } else {
            view! { <div class=placeholder aria-hidden="true"></div> }.into_any()
        }
    }
}

/// A count that goes up by one each turn of the page, from 1 to `n`:
/// parts of a view built after its first content, one per turn, read it
/// (each builds and draws in a task of its own, not all in one long task).
pub fn one_per_turn(n: u8) -> RwSignal<u8> {
    let built = RwSignal::new(0u8);
    leptos::task::spawn_local(async move {
        for step in 1..=n {
            crate::turn::next_turn().await;
            // `None` when the view is gone: nothing is built then.
            if built.try_set(step).is_some() {
                return;
            }
        }
    });
    built
}
