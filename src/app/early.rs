//! The first loads of `config.json` and `meta.json`, started before the app
//! is mounted. The app mounts once both are read (or after a short wait,
//! [`read_or_after`]): the view then knows at once which document it
//! needs, and that request goes out while the page is built and laid out
//! instead of after it. The app's document
//! resources take these results once ([`config`], [`meta`]); a retry or a
//! refresh loads afresh.

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
        let _ = JsFuture::from(self.done).await;
        self.slot.borrow().clone()
    }
}

thread_local! {
    static CONFIG: RefCell<Option<Pending<Config>>> = const { RefCell::new(None) };
    static META: RefCell<Option<Pending<Meta>>> = const { RefCell::new(None) };
}

/// Starts loading `config.json`, then `meta.json` under its API base.
pub fn start() {
    let config_slot: Slot<Config> = Rc::default();
    let meta_slot: Slot<Meta> = Rc::default();
    let config_out = Rc::clone(&config_slot);
    let config_done = future_to_promise(async move {
        let loaded = client::load_config().await.map(Rc::new);
        *config_out.borrow_mut() = Some(loaded);
        Ok(JsValue::UNDEFINED)
    });
    let (after_config, config_in, meta_out) = (
        config_done.clone(),
        Rc::clone(&config_slot),
        Rc::clone(&meta_slot),
    );
    let meta_done = future_to_promise(async move {
        let _ = JsFuture::from(after_config).await;
        let config = config_in.borrow().clone();
        if let Some(Ok(config)) = config {
            let loaded = client::load(&config, META_DOC, Meta::parse).await;
            *meta_out.borrow_mut() = Some(loaded.map(Rc::new));
        }
        Ok(JsValue::UNDEFINED)
    });
    CONFIG.with(|c| {
        c.replace(Some(Pending {
            done: config_done,
            slot: config_slot,
        }))
    });
    META.with(|m| {
        m.replace(Some(Pending {
            done: meta_done,
            slot: meta_slot,
        }))
    });
}

/// Settles when `config.json` and `meta.json` have been read (or failed),
/// or after `ms` milliseconds, whichever comes first.
pub async fn read_or_after(ms: i32) {
    let Some(done) = META.with(|m| m.borrow().as_ref().map(|p| p.done.clone())) else {
        return;
    };
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(&done, &timer))).await;
}

/// The early `config.json`, the first time it is asked for (`None`
/// after that, or when [`start`] did not run).
pub async fn config() -> Option<Loaded<Config>> {
    let pending = CONFIG.with(|c| c.borrow_mut().take())?;
    pending.result().await
}

/// The early `meta.json`, the first time it is asked for; `None` after
/// that, or when it was not loaded (no config).
pub async fn meta() -> Option<Loaded<Meta>> {
    let pending = META.with(|m| m.borrow_mut().take())?;
    pending.result().await
}
