//! A server that misbehaves: late bodies and requests that never answer
//! are bounded by the documented time limit and can be retried.

use super::*;

#[test]
fn a_request_that_never_answers_times_out_and_retry_recovers() {
    run(|server, b| async move {
        two_second_time_limit(&server);
        server.fault("api/v1/reports/2016-08.json", Fault::Hang);
        b.goto(&server.url("")).await;
        let alert = b
            .wait_for("the timeout alert", "return document.querySelector('[data-panel=overview-bugs] [role=alert]')?.innerText")
            .await;
        let alert = alert.as_str().unwrap();
        assert!(alert.contains("reports/2016-08.json"), "{alert}");
        assert!(
            alert.contains("no answer") && alert.contains("within 2 s"),
            "{alert}"
        );
        // A body that comes late but within the limit is shown.
        server.fault(
            "api/v1/reports/2016-08.json",
            Fault::Delay(std::time::Duration::from_millis(1500)),
        );
        b.click("[data-panel=overview-bugs] [data-action=retry]")
            .await;
        assert_eq!(b.kpi("bugs_opened:S2").await, "24");
        b
    });
}

#[test]
fn a_document_far_larger_than_expected_is_refused_with_a_clear_message() {
    run(|server, b| async move {
        server.fault("api/v1/reports/2016-08.json", Fault::Huge(200_000_000));
        b.goto(&server.url("")).await;
        let alert = b
            .wait_for("the size alert", "return document.querySelector('[data-panel=overview-services] [role=alert]')?.innerText")
            .await;
        let alert = alert.as_str().unwrap();
        assert!(alert.contains("reports/2016-08.json"), "{alert}");
        assert!(alert.contains("200 MB, more than the 64 MB"), "{alert}");
        // Refused from its head, the request ends then, not at the time
        // limit: its connection is free for the next one.
        hung_up_within_3_s(&server, "api/v1/reports/2016-08.json").await;
        // The page stays responsive: the month picker still works.
        b.pick("month", "2016-07").await;
        assert_eq!(b.kpi("bugs_opened:S1").await, "9");
        b
    });
}

#[test]
fn a_failed_refresh_keeps_the_last_good_data_marked_stale() {
    run(|server, b| async move {
        server.fault(
            "config.json",
            Fault::Body(
                r#"{"api_base": "api/v1", "refresh_seconds": 1, "timeout_seconds": 3}"#.into(),
            ),
        );
        b.goto(&server.url("")).await;
        assert_eq!(b.kpi("bugs_opened:S2").await, "24");
        server.fault(
            "api/v1/reports/2016-08.json",
            Fault::Status(
                502,
                "<html><body>Bad gateway</body></html>".into(),
                "text/html",
            ),
        );
        let notice = b
            .wait_for(
                "the stale notice",
                "return document.querySelector('[data-stale] li')?.innerText",
            )
            .await;
        let notice = notice.as_str().unwrap();
        assert!(
            notice.contains("reports/2016-08.json") && notice.contains("502"),
            "{notice}"
        );
        // The last good figures stay on screen, with no alert.
        assert_eq!(b.kpi("bugs_opened:S2").await, "24");
        assert_eq!(
            b.js(
                "return document.querySelectorAll('[data-panel] [role=alert]').length",
                vec![]
            )
            .await,
            serde_json::json!(0)
        );
        // When the server recovers, the next refresh clears the notice.
        server.heal("api/v1/reports/2016-08.json");
        b.wait_for(
            "the notice to clear",
            "return !document.querySelector('[data-stale]')",
        )
        .await;
        let refreshes = server
            .requests()
            .iter()
            .filter(|r| r.ends_with("reports/2016-08.json"))
            .count();
        assert!(refreshes >= 3, "only {refreshes} requests for the report");
        b
    });
}

#[test]
fn the_console_check_sees_uncaught_errors() {
    // Every test ends by asserting an empty console; this proves that
    // check can fail.
    run(|server, b| async move {
        b.goto(&server.url("")).await;
        assert_eq!(b.kpi("containers").await, "20");
        b.js(
            "setTimeout(() => { throw new Error('boom from a test'); }, 0)",
            vec![],
        )
        .await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let errors = b.console_errors().await;
        assert!(
            errors.iter().any(|e| e.contains("boom from a test")),
            "{errors:?}"
        );
        b
    });
}

/// The names of the second parts of the split module in `dist/` (one
/// per view).
pub(crate) fn second_modules() -> Vec<String> {
    let names: Vec<String> = std::fs::read_dir(crate::dist())
        .expect("dist/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with("_rest.wasm"))
        .collect();
    assert!(
        !names.is_empty(),
        "no *_rest.wasm in dist/ (the release build splits the module)"
    );
    names
}

#[test]
fn a_second_module_that_cannot_be_loaded_stops_with_a_reload_banner() {
    run(|server, b| async move {
        let rests = second_modules();
        for rest in &rests {
            server.fault(rest, Fault::Status(404, "gone".into(), "text/plain"));
        }
        // The Revenue view's later panels are in its second module.
        b.goto(&server.url("?view=revenue")).await;
        let banner = b
            .wait_for(
                "the stopped banner",
                "return document.getElementById('pulse-stopped')?.innerText",
            )
            .await;
        let banner = banner.as_str().unwrap_or_default();
        assert!(banner.contains("Pulse stopped"), "{banner}");
        let rest = rests
            .iter()
            .find(|r| banner.contains(r.as_str()))
            .unwrap_or_else(|| panic!("the banner names no second module: {banner}"));
        assert!(banner.contains("HTTP 404"), "{banner}");
        let errors = b.console_errors().await;
        assert!(
            errors.iter().any(|e| e.contains(rest.as_str())),
            "console: {errors:#?}"
        );
        // Once the files are there again, Reload brings the view back.
        for rest in &rests {
            server.heal(rest);
        }
        b.click("#pulse-stopped button").await;
        b.wait_for(
            "the revenue figures after the reload",
            "return document.querySelector('[data-kpi=mrr_cents]')?.dataset.value",
        )
        .await;
        b
    });
}
