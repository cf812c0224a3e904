//! The one fetch client: `GET` a document under the API base with a time
//! limit and a size limit, then parse and validate it.
//!
//! Every body is read by [`fetch_text`] (most documents through [`load`]),
//! so timeouts, HTTP errors, oversized bodies and validation errors look
//! the same everywhere and name the document. The body is read chunk by
//! chunk straight into the app's memory and refused as soon as it passes
//! [`MAX_BODY_BYTES`], whether or not the server announced its size. A
//! large document read as it arrives ([`Watch::off_main_thread`]) is
//! fetched by a worker (`in_worker`), off the page's main thread.

use super::config::{Config, CONFIG_DOC};
use super::error::{DocError, LoadError};
use gloo_net::http::Request;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

mod in_worker;

/// The largest body Pulse accepts for any document, in bytes.
pub const MAX_BODY_BYTES: u64 = 64_000_000;

/// Bodies up to this many bytes (announced, same-origin, uncompressed) are
/// read in one go rather than chunk by chunk.
const READ_WHOLE_UP_TO: u64 = 2_000_000;

/// A body as it arrives, and who is told of it: after each chunk, every
/// byte received so far (as sent) and the size announced, if any. A
/// watcher set while the body is on its way is told at once of what came
/// before.
#[derive(Clone, Default)]
pub struct Watch {
    received: Rc<RefCell<Vec<u8>>>,
    announced: Rc<std::cell::Cell<Option<u64>>>,
    seen: Rc<RefCell<Option<Seen>>>,
    /// Whether the body is fetched by a worker ([`Watch::off_main_thread`]).
    worker: bool,
}

/// A watcher of a body: every byte received so far, and the size announced.
type Seen = Box<dyn FnMut(&[u8], Option<u64>)>;

impl Watch {
    /// A watch of a large body, fetched by a worker (`fetch-worker.js`).
    /// The browser's own work on a response (and a network inspector's
    /// copy of it, as text) runs on the thread that made the request; for
    /// a body of megabytes, tens of milliseconds in one task.
    pub fn off_main_thread() -> Self {
        Self {
            worker: true,
            ..Self::default()
        }
    }

    /// Tells `seen` of what was received so far, and of every chunk from
    /// now on.
    pub fn set(&self, seen: impl FnMut(&[u8], Option<u64>) + 'static) {
        if let Ok(mut slot) = self.seen.try_borrow_mut() {
            *slot = Some(Box::new(seen));
        }
        if let Ok(received) = self.received.try_borrow() {
            if !received.is_empty() {
                self.see(&received, self.announced.get());
            }
        }
    }

    /// Runs `first` once, with this watch, when at least `bytes` of the
    /// body are in (and never for a smaller one). Holds no reference to
    /// the watch meanwhile.
    pub fn when_past(&self, bytes: usize, first: impl FnOnce(Watch) + 'static) {
        let weak = (
            Rc::downgrade(&self.received),
            Rc::downgrade(&self.announced),
            Rc::downgrade(&self.seen),
        );
        let mut first = Some(first);
        self.set(move |received, _| {
            if received.len() < bytes {
                return;
            }
            let (Some(received), Some(announced), Some(seen)) =
                (weak.0.upgrade(), weak.1.upgrade(), weak.2.upgrade())
            else {
                return;
            };
            if let Some(first) = first.take() {
                first(Watch {
                    received,
                    announced,
                    seen,
                    worker: false,
                });
            }
        });
    }

    /// Tells the watcher, if any, of the bytes received so far.
    pub fn see(&self, received: &[u8], announced: Option<u64>) {
        if let Ok(mut slot) = self.seen.try_borrow_mut() {
            if let Some(seen) = slot.as_mut() {
                seen(received, announced);
            }
        }
    }

    /// Starts an empty body with room for `capacity` bytes.
    fn restart(&self, capacity: usize) {
        if let Ok(mut received) = self.received.try_borrow_mut() {
            *received = Vec::with_capacity(capacity);
        }
    }

    /// The bytes received so far.
    fn len(&self) -> usize {
        self.received.try_borrow().map(|r| r.len()).unwrap_or(0)
    }

    /// The body received, leaving none.
    fn take(&self) -> Vec<u8> {
        self.received
            .try_borrow_mut()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }

    /// Adds a chunk to the body and tells the watcher; `false` if the body
    /// is in use (it never is between chunks).
    fn receive(&self, chunk: &js_sys::Uint8Array, announced: Option<u64>) -> bool {
        let Ok(mut received) = self.received.try_borrow_mut() else {
            return false;
        };
        let start = received.len();
        let end = start + chunk.length() as usize;
        received.resize(end, 0);
        if let Some(slot) = received.get_mut(start..end) {
            chunk.copy_to(slot);
        }
        drop(received);
        self.announced.set(announced);
        if let Ok(received) = self.received.try_borrow() {
            self.see(&received, announced);
        }
        true
    }
}

/// Fetches `url` as text, giving up after `timeout_seconds`.
pub async fn fetch_text(doc: &str, url: &str, timeout_seconds: u32) -> Result<String, LoadError> {
    fetch_watched(doc, url, timeout_seconds, &Watch::default()).await
}

/// [`fetch_text`], telling `watch` of the body as it arrives (a body read
/// in one go is told of nothing).
pub async fn fetch_watched(
    doc: &str,
    url: &str,
    timeout_seconds: u32,
    watch: &Watch,
) -> Result<String, LoadError> {
    crate::timing::mark(&format!("fetch {doc}"));
    let controller = web_sys::AbortController::new().map_err(|e| network(doc, url, &e))?;
    let signal = controller.signal();
    let abort = {
        let controller = controller.clone();
        Closure::once(move || controller.abort())
    };
    let window = web_sys::window().ok_or_else(|| LoadError::Network {
        doc: doc.to_owned(),
        url: url.to_owned(),
        message: "no window".into(),
    })?;
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            abort.as_ref().unchecked_ref(),
            i32::try_from(u64::from(timeout_seconds) * 1000).unwrap_or(i32::MAX),
        )
        .map_err(|e| network(doc, url, &e))?;
    let over = web_sys::AbortController::new().map_err(|e| network(doc, url, &e))?;
    let result = fetch_inner(doc, url, &signal, &over.signal(), timeout_seconds, watch).await;
    crate::timing::mark(&format!("got {doc}"));
    window.clear_timeout_with_handle(timer);
    drop(abort);
    // The request is over, read or refused: one whose body was refused
    // (too large, a bad status) ends now rather than at the time limit,
    // and a worker that fetched it stops.
    controller.abort();
    over.abort();
    result
}

async fn fetch_inner(
    doc: &str,
    url: &str,
    signal: &web_sys::AbortSignal,
    over: &web_sys::AbortSignal,
    timeout_seconds: u32,
    watch: &Watch,
) -> Result<String, LoadError> {
    let timeout = || LoadError::Timeout {
        doc: doc.to_owned(),
        url: url.to_owned(),
        seconds: timeout_seconds,
    };
    // A large body is fetched by a worker, where one starts, stopped when
    // the request is `over`.
    let by_worker = if watch.worker {
        in_worker::fetch(url, timeout_seconds, signal, over)
            .await
            .map_err(|e| network(doc, url, &e))?
    } else {
        None
    };
    let response = match by_worker {
        Some(response) => response.into(),
        None => Request::get(url)
            .abort_signal(Some(signal))
            .send()
            .await
            .map_err(|e| {
                if signal.aborted() {
                    timeout()
                } else {
                    LoadError::Network {
                        doc: doc.to_owned(),
                        url: url.to_owned(),
                        message: e.to_string(),
                    }
                }
            })?,
    };
    if !response.ok() {
        return Err(LoadError::Status {
            doc: doc.to_owned(),
            url: url.to_owned(),
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(bytes) = declared.filter(|&b| b > MAX_BODY_BYTES) {
        return Err(too_large(doc, url, bytes, true));
    }
    let failed = |e: &JsValue| {
        if signal.aborted() {
            timeout()
        } else {
            network(doc, url, e)
        }
    };
    let plain = response.headers().get("content-encoding").is_none();
    let raw: web_sys::Response = response.into();
    let mut bytes = match declared {
        // A small same-origin body that is not compressed is exactly as
        // long as announced (every header is visible to the page): read in
        // one go. Larger ones are copied chunk by chunk as they arrive, as
        // is one from a worker (its response is not of type `basic`).
        Some(length)
            if length <= READ_WHOLE_UP_TO
                && plain
                && raw.type_() == web_sys::ResponseType::Basic =>
        {
            read_whole(&raw, &failed)
                .await?
                .map_err(|read| too_large(doc, url, read.max(length), false))?
        }
        // A compressed body's announced size is not the size it arrives at.
        _ => read_body(&raw, declared, declared.filter(|_| plain), &failed, watch)
            .await?
            .map_err(|read| too_large(doc, url, read, false))?,
    };
    // `Response.text()` decodes the same way: a leading byte-order mark
    // is dropped and malformed UTF-8 becomes U+FFFD.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(text)
}

fn too_large(doc: &str, url: &str, bytes: u64, announced: bool) -> LoadError {
    LoadError::TooLarge {
        doc: doc.to_owned(),
        url: url.to_owned(),
        bytes,
        limit: MAX_BODY_BYTES,
        announced,
    }
}

/// Reads a body of announced length at once (still refused past
/// [`MAX_BODY_BYTES`], with its length as the error).
async fn read_whole(
    raw: &web_sys::Response,
    failed: &impl Fn(&JsValue) -> LoadError,
) -> Result<Result<Vec<u8>, u64>, LoadError> {
    let buffer = raw.array_buffer().map_err(|e| failed(&e))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(buffer)
        .await
        .map_err(|e| failed(&e))?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    let length = u64::from(bytes.length());
    if length > MAX_BODY_BYTES {
        return Ok(Err(length));
    }
    Ok(Ok(bytes.to_vec()))
}

/// Reads the body chunk by chunk into memory, telling `watch` of each
/// chunk (with the size `announced`, when it is the body's). Stops, and gives the bytes
/// read so far as the error, as soon as it grows past [`MAX_BODY_BYTES`]
/// (a server need not announce a size, and a compressed response
/// announces the compressed one).
async fn read_body(
    raw: &web_sys::Response,
    declared: Option<u64>,
    announced: Option<u64>,
    failed: &impl Fn(&JsValue) -> LoadError,
    watch: &Watch,
) -> Result<Result<Vec<u8>, u64>, LoadError> {
    let capacity = declared.unwrap_or(0).min(MAX_BODY_BYTES);
    let Some(stream) = raw.body() else {
        return Ok(Ok(Vec::new()));
    };
    let reader: web_sys::ReadableStreamDefaultReader =
        stream.get_reader().dyn_into().map_err(|e| failed(&e))?;
    watch.restart(usize::try_from(capacity).unwrap_or(0));
    let (done_key, value_key) = (JsValue::from_str("done"), JsValue::from_str("value"));
    // A body already in (a fast network) comes out of the stream in one
    // burst of chunks: the page gets a turn whenever they, and the
    // watcher's reading of them, have held it for a step.
    let mut slice = crate::turn::Slice::step();
    loop {
        let step = wasm_bindgen_futures::JsFuture::from(reader.read())
            .await
            .map_err(|e| failed(&e))?;
        let done = js_sys::Reflect::get(&step, &done_key)
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(Ok(watch.take()));
        }
        let chunk: js_sys::Uint8Array = js_sys::Reflect::get(&step, &value_key)
            .and_then(|v| v.dyn_into())
            .map_err(|e| failed(&e))?;
        let end = watch.len() + chunk.length() as usize;
        if end as u64 > MAX_BODY_BYTES {
            // The body is refused either way; cancelling only frees the
            // connection sooner.
            drop(reader.cancel());
            watch.take();
            return Ok(Err(end as u64));
        }
        if !watch.receive(&chunk, announced) {
            return Err(failed(&JsValue::from_str("the body was in use")));
        }
        if slice.over() {
            crate::turn::next_turn().await;
            slice = crate::turn::Slice::step();
        }
    }
}

fn network(doc: &str, url: &str, e: &JsValue) -> LoadError {
    LoadError::Network {
        doc: doc.to_owned(),
        url: url.to_owned(),
        message: e.as_string().unwrap_or_else(|| format!("{e:?}")),
    }
}

/// Loads the document `doc` under the API base and validates it with `parse`.
pub async fn load<T>(
    config: &Config,
    doc: &str,
    parse: impl FnOnce(&str) -> Result<T, DocError>,
) -> Result<T, LoadError> {
    let url = config.doc_url(doc);
    let body = fetch_text(doc, &url, config.timeout_seconds).await?;
    let parsed = parse(&body)?;
    crate::timing::mark(&format!("parsed {doc}"));
    Ok(parsed)
}

/// The page's own URL, or an empty string outside a browser.
pub fn page_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Loads `config.json` from beside the page.
pub async fn load_config() -> Result<Config, LoadError> {
    let page = page_url();
    let url = super::url::resolve(&page, CONFIG_DOC).unwrap_or_else(|| CONFIG_DOC.to_owned());
    let body = fetch_text(CONFIG_DOC, &url, super::config::DEFAULT_TIMEOUT_SECONDS).await?;
    let config = Config::parse(&body, &page)?;
    crate::timing::mark(&format!("parsed {CONFIG_DOC}"));
    Ok(config)
}
