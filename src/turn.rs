//! Giving the page a turn: a long task (a large document read in steps, a
//! chart drawn in slices) awaits [`next_turn`] so rendering and input go on
//! in between. Part of the base: it imports nothing of Pulse.

/// Gives the page a turn (rendering, input) before going on: with
/// `scheduler.yield()` where the browser has it (no minimum delay), else
/// a zero-delay timer (which browsers stretch to 4 ms when nested).
pub async fn next_turn() {
    use wasm_bindgen::JsCast;
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).ok();
    let yielded = scheduler.and_then(|s| {
        let f = js_sys::Reflect::get(&s, &"yield".into()).ok()?;
        let f = f.dyn_ref::<js_sys::Function>()?;
        f.call0(&s).ok()?.dyn_into::<js_sys::Promise>().ok()
    });
    let promise = yielded.unwrap_or_else(|| after_ms(0));
    // Either way the page has had its turn: a rejection changes nothing.
    wasm_bindgen_futures::JsFuture::from(promise).await.ok();
}

/// A promise that settles after `ms` milliseconds (at once outside a
/// browser window).
pub fn after_ms(ms: i32) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _reject| {
        let set = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .ok()
        });
        if set.is_none() {
            // A promise's own resolve function does not throw.
            resolve.call0(&wasm_bindgen::JsValue::NULL).ok();
        }
    })
}
