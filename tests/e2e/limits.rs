//! Documents far larger than expected: a posts hour of a million posts is
//! refused with a clear message while the page stays responsive, and a
//! large hour that Pulse accepts is read in steps, with visible progress
//! and no long freeze.

use super::*;
use serde_json::json;
use std::sync::Arc;

const DAY: &str = "2016-08-03";
const HOUR_DOC: &str = "api/v1/posts/2016-08-03/08.json";

/// An hour of `n` posts due at 08:00–08:59; every seventh one failed.
fn big_hour(n: usize) -> String {
    let mut body = String::with_capacity(n * 260 + 64);
    body.push_str(r#"{"date":"2016-08-03","hour":8,"posts":["#);
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        let (m, s) = ((i / 60) % 60, i % 60);
        let post = if i % 7 == 3 {
            format!(
                r#"{{"id":"b_{i}","profile":"Profile {p}","network":"twitter","media":"text","text":"Post number {i} of a very large hour","due_at":"2016-08-03T08:{m:02}:{s:02}Z","sent_at":null,"status":"failed","error":"rate limited"}}"#,
                p = i % 500
            )
        } else {
            format!(
                r#"{{"id":"b_{i}","profile":"Profile {p}","network":"instagram","media":"image","media_bytes":{b},"text":"Post number {i} of a very large hour","thumbnail_url":null,"due_at":"2016-08-03T08:{m:02}:{s:02}Z","sent_at":"2016-08-03T08:{m:02}:{s:02}Z","status":"sent","error":null}}"#,
                p = i % 500,
                b = 1000 + i
            )
        };
        body.push_str(&post);
    }
    body.push_str("]}");
    body
}

/// Records the longest task the page runs from now on, and whether a
/// progress bar ever showed, in `window.__limits`.
const WATCH: &str = r#"
    window.__limits = { longest: 0, progress: 0 };
    new PerformanceObserver(list => {
        for (const e of list.getEntries()) {
            window.__limits.longest = Math.max(window.__limits.longest, e.duration);
        }
    }).observe({ type: 'longtask' });
    new MutationObserver(() => {
        const r = document.querySelector('[data-panel] .reading[data-reading]');
        if (r) window.__limits.progress = Math.max(window.__limits.progress, Number(r.dataset.reading));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
"#;

/// Asserts from [`WATCH`] that a progress bar showed and no task took a
/// second or more.
async fn assert_progress_without_freeze(b: &Browser) {
    let watched = b.js("return window.__limits", vec![]).await;
    assert!(
        watched["progress"].as_u64().unwrap() > 0,
        "no progress was shown: {watched}"
    );
    assert!(
        watched["longest"].as_f64().unwrap() < 1000.0,
        "the page froze: {watched}"
    );
}

/// Opens hour 07 of the day, starts [`WATCH`], then picks hour 08 in the
/// hour picker, as a person would.
async fn switch_to_hour_08_watched(server: &Server, b: &Browser) {
    b.goto(&server.url(&format!("?view=queue&day={DAY}&hour=07")))
        .await;
    b.wait_for(
        "hour 07",
        "return document.querySelector('[data-kpi=posts_count]')?.dataset.value > 0",
    )
    .await;
    b.js(WATCH, vec![]).await;
    b.pick("hour", "8").await;
}

#[test]
fn a_million_post_hour_is_refused_and_the_page_stays_responsive() {
    let body = Arc::new(big_hour(1_000_000));
    assert!(body.len() > 200_000_000, "{} bytes", body.len());
    run(|server, b| async move {
        // No size announced: Pulse finds out while reading.
        server.fault(HOUR_DOC, Fault::Unsized(body));
        switch_to_hour_08_watched(&server, &b).await;
        let alert = b
            .wait_for_within(
                "the size alert",
                "return document.querySelector('[data-panel=queue-list] [role=alert]')?.innerText",
                std::time::Duration::from_secs(60),
            )
            .await;
        let alert = alert.as_str().unwrap();
        assert!(alert.contains("posts/2016-08-03/08.json"), "{alert}");
        assert!(
            alert.contains("is more than the 64 MB Pulse accepts for it"),
            "{alert}"
        );
        let longest = b.js("return window.__limits.longest", vec![]).await;
        assert!(
            longest.as_f64().unwrap() < 1000.0,
            "the page froze for {longest} ms"
        );
        // The page still answers: another hour loads.
        b.pick("hour", "9").await;
        b.wait_for(
            "hour 09",
            "return location.search.includes('hour=09') && document.querySelector('[data-kpi=posts_count]')?.dataset.value > 0",
        )
        .await;
        b
    });
}

#[test]
fn a_large_hour_is_read_in_steps_with_visible_progress() {
    const N: usize = 150_000;
    let body = big_hour(N);
    assert!(body.len() > 30_000_000, "{} bytes", body.len());
    run(|server, b| async move {
        server.fault(HOUR_DOC, Fault::Body(body));
        switch_to_hour_08_watched(&server, &b).await;
        let counts = b
            .wait_for_within(
                "the large hour",
                &format!("const k = n => document.querySelector('[data-kpi=' + n + ']')?.dataset.value; return k('posts_count') === '{N}' && [k('posts_count'), k('posts_failed')]"),
                std::time::Duration::from_secs(60),
            )
            .await;
        let failed = (0..N).filter(|i| i % 7 == 3).count();
        assert_eq!(counts, json!([N.to_string(), failed.to_string()]));
        assert_progress_without_freeze(&b).await;
        // The last row is there at the bottom.
        b.js(
            "const el = document.querySelector('[data-panel=queue-list] .vscroll'); el.scrollTop = el.scrollHeight;",
            vec![],
        )
        .await;
        b.wait_for(
            "the last row",
            &format!(
                "return !!document.querySelector('[data-panel=queue-list] [data-pos=\"{}\"]')",
                N - 1
            ),
        )
        .await;
        b
    });
}

/// `n` customers who each subscribe to "awesome" for $10 a month, spread
/// over 2016-01 to 2016-08, in time order.
fn big_events(n: usize) -> String {
    let mut body = String::with_capacity(n * 110 + 64);
    body.push_str(r#"{"currency":"USD","events":["#);
    let span_s = 240 * 86_400; // 2016-01-01 plus 240 days stays in August.
    let start = 1_451_606_400; // 2016-01-01T00:00:00Z
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        let t = start + (i as i64 * span_s) / n as i64;
        let at = chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ");
        body.push_str(&format!(
            r#"{{"customer":"c_{i}","at":"{at}","kind":"subscribe","plan":"awesome","mrr_cents":1000}}"#
        ));
    }
    body.push_str("]}");
    body
}

#[test]
fn a_large_events_document_is_read_in_steps_with_visible_progress() {
    const N: usize = 400_000;
    let body = big_events(N);
    assert!(body.len() > 30_000_000, "{} bytes", body.len());
    run(|server, b| async move {
        server.fault("api/v1/revenue/events.json", Fault::Body(body));
        b.goto(&server.url("?view=overview")).await;
        b.kpi("bugs_opened:S1").await;
        b.js(WATCH, vec![]).await;
        b.click("nav a[data-view=revenue]").await;
        let mrr = b
            .wait_for_within(
                "the MRR of the large document",
                "return document.querySelector('[data-kpi=mrr_cents]')?.dataset.value",
                std::time::Duration::from_secs(60),
            )
            .await;
        assert_eq!(mrr, json!((N * 1000).to_string()));
        assert_progress_without_freeze(&b).await;
        b
    });
}
