//! The first loads, started before the app is mounted: `config.json`, then
//! `meta.json` and the first document of the view in the address: beside
//! `meta.json` when the address alone names it (the Revenue view's
//! events), else once `meta.json` is read, when it names it (the shell
//! names it, from the view registry in `crate::views`). The app mounts
//! once they are read, or after a short wait ([`read_or_after`]): the
//! first layout of the page is then the view with
//! its data instead of placeholders that are replaced at once, and the
//! page's main thread is free while the requests are on their way. The
//! app's resources take these results once ([`config`], [`meta`],
//! [`body`]); a retry or a refresh loads afresh. When the wait runs out
//! first (a slow server), a resource that finds nothing handed over yet
//! loads its document itself, so that request may go out twice.
//!
//! In the release build the page's loader has usually asked for
//! `config.json`, `meta.json` and an address-named document already,
//! while the module downloaded; the fetch client's request for one of
//! them is then handed that response (ARCHITECTURE.md, "The split build").

use crate::api::{client, Config, LoadError, Meta, META_DOC};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

type Loaded<T> = Result<Rc<T>, LoadError>;
type Slot<T> = Rc<RefCell<Option<Loaded<T>>>>;

/// A load in flight: `done` settles once `slot` holds its result.
struct Pending<T> {
    done: js_sys::Promise,
    slot: Slot<T>,
}

impl<T> Pending<T> {
    async fn result(self) -> Option<Loaded<T>> {
        // The load's own result, failure included, is in the slot.
        JsFuture::from(self.done).await.ok();
        self.slot.borrow().clone()
    }
}

/// Runs `load` now and keeps its result for one taker.
fn pending<T: 'static>(load: impl std::future::Future<Output = Loaded<T>> + 'static) -> Pending<T> {
    let slot: Slot<T> = Rc::default();
    let out = Rc::clone(&slot);
    let done = future_to_promise(async move {
        let loaded = load.await;
        *out.borrow_mut() = Some(loaded);
        Ok(JsValue::UNDEFINED)
    });
    Pending { done, slot }
}

thread_local! {
    static CONFIG: RefCell<Option<Pending<Config>>> = const { RefCell::new(None) };
    static META: RefCell<Option<Pending<Meta>>> = const { RefCell::new(None) };
    /// The view's first document: its path and its body.
    static BODY: RefCell<Option<(String, Pending<String>)>> = const { RefCell::new(None) };
    /// Settles when all of the above are read (or failed).
    static READ: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Starts the loads: `config.json`, then `meta.json` and the document
/// `first_document` names (if any): from the address alone (`None`), it is
/// requested beside `meta.json`; else from `meta.json` once that is read.
/// `sheet` is the view's style sheet being loaded, if it has one: the
/// mount waits for it too.
pub fn start(
    first_document: impl Fn(Option<&Meta>) -> Option<String> + 'static,
    sheet: Option<js_sys::Promise>,
) {
    let config = pending(async { client::load_config().await.map(Rc::new) });
    let config_done = config.done.clone();
    let config_slot = Rc::clone(&config.slot);
    CONFIG.with(|c| c.replace(Some(config)));
    let read = future_to_promise(async move {
        // The result, failure included, is in the slot read next.
        JsFuture::from(config_done).await.ok();
        let Some(Ok(config)) = config_slot.borrow().clone() else {
            return Ok(JsValue::UNDEFINED);
        };
        // A document the address alone names goes out beside meta.json.
        let mut body = fetch_first(&config, first_document(None));
        let meta = {
            let config = Rc::clone(&config);
            pending(async move {
                client::load(&config, META_DOC, Meta::parse)
                    .await
                    .map(Rc::new)
            })
        };
        let (meta_done, meta_slot) = (meta.done.clone(), Rc::clone(&meta.slot));
        META.with(|m| m.replace(Some(meta)));
        // The result, failure included, is in the slot read next.
        JsFuture::from(meta_done).await.ok();
        if body.is_none() {
            if let Some(Ok(meta)) = meta_slot.borrow().clone() {
                body = fetch_first(&config, first_document(Some(&meta)));
            }
        }
        if let Some(done) = body {
            // The body, or why not, waits in its slot for the view.
            JsFuture::from(done).await.ok();
        }
        Ok(JsValue::UNDEFINED)
    });
    // A view with a style sheet of its own mounts with it.
    let read = match sheet {
        Some(sheet) => js_sys::Promise::all(&js_sys::Array::of2(&read, &sheet)),
        None => read,
    };
    READ.with(|r| r.replace(Some(read)));
}

/// Requests `doc`, if any, and keeps its body for the view; gives the
/// promise that settles once it is read (or failed).
fn fetch_first(config: &Config, doc: Option<String>) -> Option<js_sys::Promise> {
    let doc = doc?;
    let url = config.doc_url(&doc);
    let timeout = config.timeout_seconds;
    let name = doc.clone();
    let body = pending(async move { client::fetch_text(&name, &url, timeout).await.map(Rc::new) });
    let done = body.done.clone();
    BODY.with(|b| b.replace(Some((doc, body))));
    Some(done)
}

/// Settles when the first loads are read (or failed), or after `ms`
/// milliseconds, whichever comes first.
pub async fn read_or_after(ms: i32) {
    let Some(read) = READ.with(|r| r.borrow().clone()) else {
        return;
    };
    let timer = crate::turn::after_ms(ms);
    // Loads that failed are reported by the resources that take them.
    JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(&read, &timer)))
        .await
        .ok();
}

/// The early `config.json`, the first time it is asked for (`None`
/// after that, or when [`start`] did not run).
pub async fn config() -> Option<Loaded<Config>> {
    let pending = CONFIG.with(|c| c.borrow_mut().take())?;
    pending.result().await
}

/// The early `meta.json`, the first time it is asked for; `None` after
/// that, or when it was not requested (no config).
pub async fn meta() -> Option<Loaded<Meta>> {
    let pending = META.with(|m| m.borrow_mut().take())?;
    pending.result().await
}

/// The early body of `doc` (a path under the API base), the first time it
/// is asked for; `None` for any other document, or after that. (A
/// document read as it arrives is never among the early ones: its view
/// asks for it once its frame is painted, `crate::load::arriving`.)
pub async fn body(doc: &str) -> Option<Result<String, LoadError>> {
    let pending = BODY.with(|b| {
        let mut b = b.borrow_mut();
        match b.as_ref() {
            Some((d, _)) if d == doc => b.take().map(|(_, p)| p),
            _ => None,
        }
    })?;
    let loaded = pending.result().await?;
    // Read in a task after the one that mounted the view, so neither
    // holds the page for long.
    crate::turn::next_turn().await;
    Some(loaded.map(|body| Rc::try_unwrap(body).unwrap_or_else(|shared| (*shared).clone())))
}
