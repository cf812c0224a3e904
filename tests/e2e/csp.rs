//! The site under a strict content security policy: every view, the
//! Queue's grid, the delivery comparison and the embedded panels work in
//! both themes, and the browser reports no violation.

use super::pages::{self, PAGES, THEMES};
use super::*;
use serde_json::{json, Value};

/// The policy the README tells CDN operators to set, plus a report address.
const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' https: data:; connect-src 'self' https:; object-src 'none'; base-uri 'none'; frame-ancestors *; report-uri /csp-report";

/// Records the page's violations from here on in `window.__violations`.
const LISTEN: &str = "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '(inline)')));";

/// The README's policy is the one tested.
#[test]
fn the_policy_is_the_readmes() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let tested = POLICY.trim_end_matches("; report-uri /csp-report");
    assert!(
        readme.contains(tested),
        "README's policy differs from {tested}"
    );
}

#[test]
fn every_view_works_under_a_strict_policy() {
    run_alongside(|server, b| async move {
        server.header("Content-Security-Policy", POLICY);
        b.goto(&server.url("")).await;
        b.js(LISTEN, vec![]).await;
        assert_eq!(b.kpi("requests:buffer.com").await, "68300000");
        // Styles from the stylesheet apply (the top bar is sticky).
        assert_eq!(
            b.js(
                "return getComputedStyle(document.querySelector('.topbar')).position",
                vec![]
            )
            .await,
            json!("sticky")
        );
        // Moving between views inside the page.
        for view in ["delivery", "revenue", "queue", "overview"] {
            b.click(&format!("nav a[data-view={view}]")).await;
            b.wait_for(
                &format!("{view} panels"),
                "return document.querySelectorAll('[data-panel] .panel-body > :not(.skeleton)').length > 0",
            )
            .await;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        b.pick("theme", "dark").await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let violations = b.js("return window.__violations", vec![]).await;
        assert_eq!(violations, json!([]));
        assert_no_reports(&server, &b, "the views, one after another").await;
        b
    });
}

#[test]
fn every_page_grid_comparison_and_embed_is_clean_under_the_policy_in_both_themes() {
    run_alongside(|server, b| async move {
        server.header("Content-Security-Policy", POLICY);
        for theme in THEMES {
            for page in &PAGES {
                b.goto(&pages::address(&server, page, theme)).await;
                b.js(LISTEN, vec![]).await;
                pages::settle(&b, page, theme).await;
                let what = format!("{} ({theme})", page.name);
                if page.ready.contains(".tile") {
                    assert_grid_shows_tiles(&b, &what).await;
                }
                if page.query.contains("compare=") {
                    let compare = b.kpi("compare:p50_s").await;
                    assert!(
                        compare.parse::<f64>().is_ok(),
                        "{what}: compare:p50_s {compare}"
                    );
                }
                // Scrolling the grid or list builds new tiles and rows.
                b.js(
                    "for (const v of document.querySelectorAll('.vscroll')) { v.scrollTop = v.scrollHeight / 3; }",
                    vec![],
                )
                .await;
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                let violations = b.js("return window.__violations", vec![]).await;
                assert_eq!(violations, json!([]), "{what}: violations");
                assert_no_reports(&server, &b, &what).await;
            }
        }
        b
    });
}

/// The grid's tiles are laid out: several, placed on distinct squares of
/// the size the grid sets (a blocked `style` leaves them all at 0 × 0 in
/// one corner).
async fn assert_grid_shows_tiles(b: &Browser, what: &str) {
    let tiles = b
        .js(
            "return [...document.querySelectorAll('[data-panel=queue-grid] .tile')].slice(0, 12).map(t => { const r = t.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)]; })",
            vec![],
        )
        .await;
    let tiles: Vec<Vec<i64>> = serde_json::from_value(tiles).unwrap();
    assert!(tiles.len() >= 6, "{what}: {} tiles", tiles.len());
    let mut places: Vec<(i64, i64)> = tiles.iter().map(|t| (t[0], t[1])).collect();
    places.sort_unstable();
    places.dedup();
    assert_eq!(
        places.len(),
        tiles.len(),
        "{what}: tiles overlap: {tiles:?}"
    );
    for t in &tiles {
        assert!(
            t[2] >= 48 && t[2] == t[3],
            "{what}: a tile is not a square of 48 px or more: {tiles:?}"
        );
    }
}

/// No violation was reported to the server, nor logged to the console.
async fn assert_no_reports(server: &Server, b: &Browser, what: &str) {
    let reports: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("/csp-report"))
        .collect();
    assert!(
        reports.is_empty(),
        "{what}: violations were reported: {reports:?}"
    );
    let logged: Vec<Value> = b
        .console_errors()
        .await
        .into_iter()
        .filter(|m| m.contains("Content Security Policy"))
        .map(Value::from)
        .collect();
    assert!(
        logged.is_empty(),
        "{what}: violations in the console: {logged:?}"
    );
}
