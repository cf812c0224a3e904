//! A document fetched by a worker (`public/fetch-worker.js`): the request,
//! the browser's reading of the response and any network inspector's copy
//! of it run off the page's main thread. The worker hands the response's
//! head and its body (a stream, transferred) to the page, which reads it
//! as any other response.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The worker's script, beside the page.
const SCRIPT: &str = "fetch-worker.js";

/// A response from a worker, once its head is in.
type FromWorker = Option<web_sys::Response>;

/// A fetch by a worker, still to come.
type Fetching<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<FromWorker, JsValue>> + 'a>>;

/// Fetches `url` in a worker of its own, giving up after
/// `timeout_seconds` as the page does (`signal`): the response, its
/// worker stopped, and its request with it, when `over` aborts (the page
/// has read the body, or refused it). `Ok(None)` when no
/// worker starts here, or it cannot hand a stream over (the page then
/// fetches the document itself), or `signal` aborted first. Boxed: its
/// code stays out of every other fetch, which only awaits it here.
pub(super) fn fetch<'a>(
    url: &'a str,
    timeout_seconds: u32,
    signal: &'a web_sys::AbortSignal,
    over: &'a web_sys::AbortSignal,
) -> Fetching<'a> {
    Box::pin(fetch_in_worker(url, timeout_seconds, signal, over))
}

async fn fetch_in_worker(
    url: &str,
    timeout_seconds: u32,
    signal: &web_sys::AbortSignal,
    over: &web_sys::AbortSignal,
) -> Result<FromWorker, JsValue> {
    let Ok(worker) = web_sys::Worker::new(SCRIPT) else {
        return Ok(None);
    };
    // Settles with the worker's message, its error (a script that did not
    // load) or the signal's abort, whichever comes first.
    let told = js_sys::Promise::new(&mut |settle, _| {
        worker.set_onmessage(Some(&settle));
        worker.set_onerror(Some(&settle));
        signal.set_onabort(Some(&settle));
    });
    // The worker's script is beside the page: an address relative to the
    // page means the same to it. Its request has the page's time limit:
    // past it, the body ends in an error, as a fetch of the page's does.
    let asked = js_sys::Array::of2(&JsValue::from_str(url), &JsValue::from(timeout_seconds));
    worker.post_message(&asked)?;
    let event = JsFuture::from(told).await?;
    // Past its time limit the worker's request ends on its own, the body
    // in an error the page reads; once the page is done with the body (or
    // refuses it), the worker stops, and its request with it.
    let terminate = js_sys::Reflect::get(&worker, &JsValue::from_str("terminate"))?;
    over.set_onabort(Some(
        &terminate
            .unchecked_into::<js_sys::Function>()
            .bind0(&worker),
    ));
    let head = js_sys::Reflect::get(&event, &JsValue::from_str("data"))?;
    if !head.is_object() {
        return if head.is_string() {
            Err(head)
        } else {
            Ok(None)
        };
    }
    let body: Option<web_sys::ReadableStream> =
        js_sys::Reflect::get(&head, &JsValue::from_str("body"))?
            .dyn_into()
            .ok();
    let response = web_sys::Response::new_with_opt_readable_stream_and_init(
        body.as_ref(),
        head.unchecked_ref(),
    )?;
    Ok(Some(response))
}
