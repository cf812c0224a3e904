//! End-to-end tests: the release build in `dist/` (built by `trunk build
//! --release`) is served under a sub-path on 127.0.0.1 and driven in
//! headless Chromium through chromedriver, clicking and reading the page as
//! a person would.
#![cfg(not(target_arch = "wasm32"))]
// Test code throughout (the lint table in the workspace's Cargo.toml is
// for the app): a panic here is a failed test, with its message, and a
// cleanup that fails leaves nothing behind that matters.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::let_underscore_must_use
)]

mod browser;
mod server;

use browser::Browser;
use server::{Fault, Gate, Server};
use std::path::PathBuf;
use std::sync::RwLock;

/// The sub-path the site is served under, as on a CDN.
const PREFIX: &str = "/some/path/";

/// One browser at a time for most tests: the machine is small and their
/// timings matter (what moves while documents come late, what is asked
/// for before what). The audits that only read what each page did, however
/// long it took (content security policy, accessibility, synchronous
/// requests, every document failing), share the machine with each other
/// ([`run_alongside`]) and with nothing else.
static SERIAL: RwLock<()> = RwLock::new(());

/// The app's folder: this package lives in its `tests/e2e/`.
fn app_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The built site: the app's `dist/`, or `$PULSE_DIST` when set.
fn dist() -> PathBuf {
    let dist = std::env::var_os("PULSE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| app_dir().join("dist"));
    assert!(
        dist.join("index.html").exists(),
        "dist/ is missing: run `trunk build --release` first (scripts/test.sh does)"
    );
    dist
}

/// A document of the built site's demo data (`path` under `dist/`), as JSON.
fn dist_json(path: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dist().join(path)).unwrap()).unwrap()
}

/// Serves a `config.json` with a time limit of 2 s for every document.
fn two_second_time_limit(server: &Server) {
    server.fault(
        "config.json",
        Fault::Body(r#"{"api_base": "api/v1", "timeout_seconds": 2}"#.into()),
    );
}

/// Waits until the browser has closed the connection of the
/// [`Fault::Huge`] answer for `path` (relative to the prefix), failing
/// past 3 s: a document refused from its head is not left downloading.
async fn hung_up_within_3_s(server: &Server, path: &str) {
    let path = format!("{}{path}", server.prefix);
    let refused = std::time::Instant::now();
    while !server.hung_up().contains(&path) {
        assert!(
            refused.elapsed() < std::time::Duration::from_secs(3),
            "the request for {path} was still open 3 s after it was refused"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Runs `body` with a fresh server and browser, alone (see [`SERIAL`]).
fn run<F, Fut>(body: F)
where
    F: FnOnce(Server, Browser) -> Fut,
    Fut: std::future::Future<Output = Browser>,
{
    run_site(&dist(), body)
}

/// [`run`] for an audit that only reads what each page did: it may run
/// beside another such audit (see [`SERIAL`]).
fn run_alongside<F, Fut>(body: F)
where
    F: FnOnce(Server, Browser) -> Fut,
    Fut: std::future::Future<Output = Browser>,
{
    let _shared = SERIAL.read().unwrap_or_else(|e| e.into_inner());
    in_browser(&dist(), body)
}

/// [`run`] on another built site (e.g. `dist/` with other data).
fn run_site<F, Fut>(site: &std::path::Path, body: F)
where
    F: FnOnce(Server, Browser) -> Fut,
    Fut: std::future::Future<Output = Browser>,
{
    let _alone = SERIAL.write().unwrap_or_else(|e| e.into_inner());
    in_browser(site, body)
}

/// A server of `site` and a browser session for `body`.
fn in_browser<F, Fut>(site: &std::path::Path, body: F)
where
    F: FnOnce(Server, Browser) -> Fut,
    Fut: std::future::Future<Output = Browser>,
{
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let server = Server::start(site, PREFIX);
        let browser = Browser::start().await;
        let browser = body(server, browser).await;
        browser.assert_running().await;
        browser.close().await;
    });
}

mod annotations;
mod axe;
mod bounds;
mod capacity;
mod csp;
mod delivery;
mod early;
mod faults;
mod hostile;
mod ingest;
mod keyboard;
mod limits;
mod matrix;
mod overview;
mod pages;
mod places;
mod queue;
mod revenue;
mod sync_xhr;
