//! User Timing marks at the milestones of a load, for the browser's
//! performance tools and the benchmark's cold-start breakdown:
//! `pulse:start`, `pulse:mounted`, `pulse:fetch <doc>` (request sent),
//! `pulse:got <doc>` (body read), `pulse:parsed <doc>` and
//! `pulse:drawn <chart>` (a chart's first draw). Outside a browser (host
//! tests) a mark does nothing.

/// Records the mark `pulse:<what>` on the page's performance timeline.
pub fn mark(what: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        // A mark is for the browser's tools only: without it Pulse is the same.
        performance.mark(&format!("pulse:{what}")).ok();
    }
}
