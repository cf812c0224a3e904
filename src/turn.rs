//! Giving the page a turn: a long task (a large document read in steps, a
//! chart drawn in slices) awaits [`next_turn`] so rendering and input go on
//! in between. Part of the base: it imports nothing of Pulse.

/// Gives the page a turn (rendering, input) before going on: with
/// `scheduler.yield()` where the browser has it (no minimum delay), else
/// a zero-delay timer (which browsers stretch to 4 ms when nested).
pub async fn next_turn() {
    use wasm_bindgen::JsCast;
    // The task ends here, and its step with it.
    end_step();
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

/// Settles once the browser has reported the page's first contentful
/// paint (at once when it already has): what is asked for then never
/// delays the first content, nor the page's largest paint when that is
/// it. A page that draws no frames (hidden, or an embedded panel the
/// browser does not render yet) waits at most [`NO_FRAMES_MS`]; one that
/// draws frames but has not reported its paint (a busy machine reports
/// it late) waits at most [`PAINT_WAIT_MS`].
pub async fn after_first_paint() {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let start = performance.now();
    let mut drew = false;
    while performance
        .get_entries_by_name("first-contentful-paint")
        .length()
        == 0
    {
        let waited = performance.now() - start;
        let limit = if drew { PAINT_WAIT_MS } else { NO_FRAMES_MS };
        if waited >= limit {
            break;
        }
        drew |= next_frame().await;
    }
}

/// How long [`after_first_paint`] waits on a page that draws no frames, ms.
pub const NO_FRAMES_MS: f64 = 100.0;

/// How long [`after_first_paint`] waits on a page that draws frames, ms.
pub const PAINT_WAIT_MS: f64 = 1_000.0;

/// Settles at the start of the next frame (`true`), or after 50 ms when
/// the page draws no frames (`false`).
async fn next_frame() -> bool {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let Some(window) = web_sys::window() else {
            // A promise's own resolve function does not throw.
            resolve
                .call1(&wasm_bindgen::JsValue::NULL, &wasm_bindgen::JsValue::FALSE)
                .ok();
            return;
        };
        // A frame's callback gets the frame's time, a number.
        window.request_animation_frame(&resolve).ok();
        window
            .set_timeout_with_callback_and_timeout_and_arguments_1(
                &resolve,
                50,
                &wasm_bindgen::JsValue::FALSE,
            )
            .ok();
    });
    // Either way the frame has had its chance: a rejection changes nothing.
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|v| v.as_f64().is_some())
        .unwrap_or(false)
}

/// How long one step of a long task runs before the page gets a turn,
/// ms: well under the 50 ms of a long task, even on a phone's slower CPU.
pub const STEP_MS: f64 = 8.0;

/// A slice of the page's time for a long task done in steps: the step
/// goes on until the slice is [`over`](Slice::over), then the task
/// awaits [`next_turn`].
///
/// A task has one step, however many slices it takes: a slice taken
/// within another's (a body's reader told of each chunk by the loop that
/// reads the chunks in a slice of its own) ends when that one does,
/// rather than adding a step of its own to the same task.
pub struct Slice {
    /// When the slice ends, on the page's clock (ms); `None` without a
    /// clock (outside a browser window: no page to give a turn to), where
    /// it never ends.
    until: Option<f64>,
}

impl Slice {
    /// A slice of one step ([`STEP_MS`]) from now, or what is left of
    /// the step already under way in this task.
    pub fn step() -> Self {
        let until = now_ms().map(|now| {
            let running = STEP_ENDS.get().filter(|&ends| ends > now);
            let until = running.unwrap_or(now + STEP_MS);
            STEP_ENDS.set(Some(until));
            until
        });
        Self { until }
    }

    /// Whether the slice's time is up.
    pub fn over(&self) -> bool {
        match (self.until, now_ms()) {
            (Some(until), Some(now)) => now >= until,
            _ => false,
        }
    }
}

thread_local! {
    /// When the step under way ends (ms, the page's clock): set by the
    /// first [`Slice::step`] of a task, ended by [`next_turn`]. A step
    /// left behind by a task that ended otherwise (awaiting a chunk of a
    /// body) only shortens the slices taken before it would have ended.
    static STEP_ENDS: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
}

/// Ends the step under way: the next slice is a whole step.
fn end_step() {
    STEP_ENDS.set(None);
}

/// A pace for what a long task shows while it runs (how far it has
/// come): at most once per `every_ms`, so showing it does not cost more
/// than the work it shows. Without a clock (no page) every time is due.
pub struct Pace {
    every_ms: f64,
    last: Option<f64>,
}

impl Pace {
    /// A pace of once per `every_ms`, due at once.
    pub fn new(every_ms: f64) -> Self {
        Self {
            every_ms,
            last: None,
        }
    }

    /// Whether it is time to show progress again; if so, the next time
    /// is counted from now.
    pub fn due(&mut self) -> bool {
        let Some(now) = now_ms() else {
            return true;
        };
        let due = self.last.is_none_or(|last| now - last >= self.every_ms);
        if due {
            self.last = Some(now);
        }
        due
    }
}

/// The page's clock, ms (`performance.now()`), if there is a page.
#[cfg(target_arch = "wasm32")]
fn now_ms() -> Option<f64> {
    thread_local! {
        // Looked up once: a step looks at the clock after every batch.
        static CLOCK: Option<web_sys::Performance> =
            web_sys::window().and_then(|w| w.performance());
    }
    CLOCK.with(|clock| clock.as_ref().map(web_sys::Performance::now))
}

/// No page, no clock: the parsers also run natively (tests, the importer).
#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> Option<f64> {
    None
}
