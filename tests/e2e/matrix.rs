//! Every document type against every way a server fails: the panels that
//! need the document show an alert naming it and the reason in plain
//! words, a late body still arrives, a request that never answers times
//! out, and Retry after the server recovers shows the data.

use super::*;
use serde_json::{json, Value};
use std::time::Duration;

/// A document, the address that needs it, the panel that must show its
/// failure, a broken variant that only the contract's rules catch (with the
/// words the alert must contain), and a hook proving the data arrived.
struct Case {
    path: &'static str,
    query: &'static str,
    panel: &'static str,
    invalid: fn(Value) -> Value,
    invalid_words: &'static str,
    ready_js: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            path: "api/v1/meta.json",
            query: "",
            panel: "overview-bugs",
            invalid: |mut v| {
                v["delivery_days"].as_array_mut().unwrap().reverse();
                v
            },
            invalid_words: "ascending",
            ready_js: "return document.querySelector('[data-kpi=\"bugs_opened:S2\"]')?.dataset.value === '24'",
        },
        Case {
            path: "api/v1/reports/2016-08.json",
            query: "?month=2016-08",
            panel: "overview-bugs",
            invalid: |mut v| {
                v["month"] = json!("2016-06");
                v
            },
            invalid_words: "expected 2016-08",
            ready_js: "return document.querySelector('[data-kpi=\"bugs_opened:S2\"]')?.dataset.value === '24'",
        },
        Case {
            path: "api/v1/delivery/2016-08-03.json",
            query: "?view=delivery&day=2016-08-03",
            panel: "delivery-kpis",
            invalid: |mut v| {
                v["series"][4]["counts"].as_array_mut().unwrap().pop();
                v
            },
            invalid_words: "series[4]",
            ready_js: "return !!document.querySelector('[data-kpi=late_90s_count]')",
        },
        Case {
            path: "api/v1/posts/2016-08-03/08.json",
            query: "?view=queue&day=2016-08-03&hour=08",
            panel: "queue-list",
            invalid: |mut v| {
                v["posts"][3]["status"] = json!("queued");
                v
            },
            invalid_words: "posts[3].status",
            ready_js: "return !!document.querySelector('[data-kpi=posts_count]')",
        },
        Case {
            path: "api/v1/revenue/events.json",
            query: "?view=revenue",
            panel: "revenue-kpis",
            invalid: |mut v| {
                let cancel = v["events"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|e| e["kind"] == "cancel")
                    .unwrap();
                cancel["mrr_cents"] = json!(500);
                v
            },
            invalid_words: "a cancel must have mrr_cents 0",
            ready_js: "return !!document.querySelector('[data-kpi=mrr_cents]')",
        },
    ]
}

#[test]
fn every_document_fails_gracefully_in_every_way() {
    run_alongside(|server, b| async move {
        for case in cases() {
            let real = dist_json(case.path);
            let text = real.to_string();
            let faults: Vec<(Fault, &str)> = vec![
                (Fault::Status(404, "not here".into(), "text/plain"), "404"),
                (
                    Fault::Status(500, "{\"error\": \"boom\"}".into(), "application/json"),
                    "500",
                ),
                (
                    Fault::Status(
                        502,
                        "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
                        "text/html",
                    ),
                    "502",
                ),
                (
                    Fault::Body(text.get(..text.len() / 2).unwrap().to_owned()),
                    "ends too early",
                ),
                (Fault::Body("[1, 2, 3]".into()), "invalid type"),
                (
                    Fault::Body("<!doctype html><html>Sign in</html>".into()),
                    "not valid JSON",
                ),
                (
                    Fault::Body((case.invalid)(real.clone()).to_string()),
                    case.invalid_words,
                ),
            ];
            let alert_js = format!(
                "return document.querySelector('[data-panel={}] [role=alert]')?.innerText",
                case.panel
            );
            let doc = case.path.trim_start_matches("api/v1/");
            for (fault, words) in faults {
                server.fault(case.path, fault.clone());
                b.goto(&server.url(case.query)).await;
                let alert = b
                    .wait_for(&format!("{doc} alert for {fault:?}"), &alert_js)
                    .await;
                let alert = alert.as_str().unwrap();
                assert!(alert.contains(doc), "{doc} / {fault:?}: {alert}");
                assert!(
                    alert.contains(words),
                    "{doc} / {fault:?}: want {words:?} in {alert}"
                );
                // The header and navigation still work.
                assert_eq!(
                    b.js(
                        "return document.querySelectorAll('nav a[data-view]').length",
                        vec![]
                    )
                    .await,
                    json!(4)
                );
                b.assert_running().await;
            }
            // Retry after the server recovers shows the data.
            server.heal(case.path);
            b.click(&format!("[data-panel={}] [data-action=retry]", case.panel))
                .await;
            b.wait_for(&format!("{doc} after retry"), case.ready_js)
                .await;
            // A body that arrives late, within the time limit, is shown.
            server.fault(case.path, Fault::Delay(Duration::from_secs(5)));
            b.goto(&server.url(case.query)).await;
            b.wait_for_within(
                &format!("{doc} 5 s late"),
                case.ready_js,
                Duration::from_secs(25),
            )
            .await;
            server.heal(case.path);
        }
        b
    });
}

#[test]
fn every_document_that_never_answers_times_out() {
    run_alongside(|server, b| async move {
        two_second_time_limit(&server);
        for case in cases().into_iter().skip(1) {
            server.fault(case.path, Fault::Hang);
            b.goto(&server.url(case.query)).await;
            let alert_js = format!(
                "return document.querySelector('[data-panel={}] [role=alert]')?.innerText",
                case.panel
            );
            let alert = b
                .wait_for(&format!("{} timeout", case.path), &alert_js)
                .await;
            let alert = alert.as_str().unwrap();
            assert!(
                alert.contains("no answer") && alert.contains("within 2 s"),
                "{}: {alert}",
                case.path
            );
            server.heal(case.path);
        }
        b
    });
}
