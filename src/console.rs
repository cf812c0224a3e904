//! Browser calls whose failure matters but must not stop Pulse: the
//! failure is reported on the console (as a warning naming what failed),
//! where a person looking into a problem finds it. Part of the base: it
//! imports nothing of Pulse.

use wasm_bindgen::JsValue;

/// Reports `result` on the console if it failed; `what` says what was
/// being done ("adding the history entry").
pub fn report<T>(what: &str, result: Result<T, JsValue>) {
    if let Err(e) = result {
        warn(what, &e);
    }
}

/// Warns on the console that `what` failed, with the browser's reason.
#[inline(never)]
pub fn warn(what: &str, reason: &JsValue) {
    let text = ["Pulse: ", what, " failed:"].concat();
    web_sys::console::warn_2(&JsValue::from_str(&text), reason);
}
