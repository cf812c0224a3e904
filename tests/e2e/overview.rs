//! The foundation: the overview's figures, navigation and history, theme,
//! failures of `config.json` and of a report, and embedding.

use super::*;
use serde_json::json;

#[test]
fn overview_shows_the_august_report_against_july() {
    run(|server, b| async move {
        b.goto(&server.url("")).await;
        assert_eq!(b.kpi("requests:buffer.com").await, "68300000");
        assert_eq!(
            b.kpi_text("requests:buffer.com").await.lines().nth(1),
            Some("68.3m")
        );
        assert_eq!(b.kpi("avg_response_ms:buffer.com").await, "220");
        assert!(b
            .kpi_text("avg_response_ms:buffer.com")
            .await
            .contains("220 ms"));
        assert_eq!(b.kpi("requests:api.bufferapp.com").await, "944000000");
        assert!(b
            .kpi_text("requests:api.bufferapp.com")
            .await
            .contains("944m"));
        assert_eq!(b.kpi("avg_response_ms:api.bufferapp.com").await, "88.1");
        assert_eq!(b.kpi("bugs_opened:S1").await, "2");
        assert_eq!(b.kpi("bugs_closed:S1").await, "2");
        assert_eq!(b.kpi("bugs_closed_share:S1").await, "1");
        assert_eq!(b.kpi("bugs_opened:S2").await, "24");
        assert_eq!(b.kpi("bugs_closed:S2").await, "17");
        assert_eq!(b.kpi("bugs_closed_share:S2").await, "0.708333333333333");
        assert!(b.kpi_text("bugs_closed_share:S2").await.contains("70.8 %"));
        assert_eq!(b.kpi("containers").await, "20");
        assert_eq!(b.kpi("service_requests_per_week").await, "1490000");
        assert!(b
            .kpi_text("service_requests_per_week")
            .await
            .contains("1.49m"));
        assert_eq!(b.kpi("log_records_per_hour").await, "12000");
        assert!(b.kpi_text("log_records_per_hour").await.contains("12k"));
        // Changes against July are shown: S2 opened 24 vs 38.
        let s2 = b.kpi_text("bugs_opened:S2").await;
        assert!(s2.contains("−14"), "{s2}");
        let req = b.kpi_text("requests:buffer.com").await;
        assert!(req.contains("vs Jul 2016") && req.contains('+'), "{req}");
        // Every asset came from under the sub-path.
        let outside: Vec<String> = server
            .requests()
            .into_iter()
            .filter(|r| !r.starts_with(PREFIX))
            .collect();
        assert!(outside.is_empty(), "requests outside {PREFIX}: {outside:?}");
        // Each document was fetched once.
        let requests = server.requests();
        for doc in [
            "config.json",
            "api/v1/meta.json",
            "api/v1/reports/2016-08.json",
        ] {
            let n = requests.iter().filter(|r| r.ends_with(doc)).count();
            assert_eq!(n, 1, "{doc} fetched {n} times: {requests:?}");
        }
        b
    });
}

#[test]
fn month_picker_navigation_reload_and_history() {
    run(|server, b| async move {
        b.goto(&server.url("")).await;
        assert_eq!(b.kpi("bugs_opened:S1").await, "2");
        b.pick("month", "2016-07").await;
        b.wait_for(
            "July's S1 figure",
            "return document.querySelector('[data-kpi=\"bugs_opened:S1\"]')?.dataset.value === '9'",
        )
        .await;
        assert_eq!(b.kpi("bugs_closed:S1").await, "6");
        assert_eq!(b.kpi("bugs_opened:S2").await, "38");
        assert_eq!(b.kpi("bugs_closed:S2").await, "23");
        assert_eq!(b.query().await, "?month=2016-07");
        assert_eq!(b.path().await, PREFIX);

        // A view switch through the navigation changes the address…
        b.click("nav a[data-view=delivery]").await;
        b.wait_for(
            "the delivery view",
            "return location.search.includes('view=delivery')",
        )
        .await;
        assert_eq!(b.query().await, "?view=delivery&month=2016-07");
        let current = b
            .wait_for(
                "aria-current",
                "return document.querySelector('nav a[aria-current=page]')?.dataset.view",
            )
            .await;
        assert_eq!(current, json!("delivery"));
        // …survives a reload…
        b.client.refresh().await.unwrap();
        let current = b
            .wait_for(
                "aria-current after reload",
                "return document.querySelector('nav a[aria-current=page]')?.dataset.view",
            )
            .await;
        assert_eq!(current, json!("delivery"));
        // …and back returns to July's overview.
        b.client.back().await.unwrap();
        b.wait_for(
            "back to the overview",
            "return document.querySelector('[data-kpi=\"bugs_opened:S1\"]')?.dataset.value === '9'",
        )
        .await;
        assert_eq!(b.query().await, "?month=2016-07");
        b
    });
}

#[test]
fn invalid_address_values_are_reported_and_replaced() {
    run(|server, b| async move {
        b.goto(&server.url("?view=nope&month=2099-01&colour=red"))
            .await;
        assert_eq!(b.kpi("bugs_opened:S2").await, "24");
        let notices = b
            .wait_for(
                "notices",
                "return document.querySelector('.notices')?.innerText",
            )
            .await;
        let notices = notices.as_str().unwrap();
        assert!(notices.contains("view=\"nope\""), "{notices}");
        assert!(notices.contains("colour"), "{notices}");
        b.wait_for(
            "the missing month notice",
            "return document.querySelector('.notices')?.innerText.includes('2099-01')",
        )
        .await;
        b.wait_for("a clean address", "return location.search === ''")
            .await;
        b
    });
}

#[test]
fn theme_is_picked_kept_in_the_address_and_can_follow_the_system() {
    run(|server, b| async move {
        b.goto(&server.url("?theme=light")).await;
        b.kpi("bugs_opened:S1").await;
        let light_bg = b
            .js(
                "return getComputedStyle(document.body).backgroundColor",
                vec![],
            )
            .await;
        assert_eq!(
            b.js("return document.documentElement.dataset.theme", vec![])
                .await,
            json!("light")
        );
        b.pick("theme", "dark").await;
        b.wait_for(
            "dark theme",
            "return document.documentElement.dataset.theme === 'dark'",
        )
        .await;
        let dark_bg = b
            .js(
                "return getComputedStyle(document.body).backgroundColor",
                vec![],
            )
            .await;
        assert_ne!(light_bg, dark_bg);
        assert_eq!(dark_bg, json!("rgb(15, 18, 23)"));
        assert_eq!(b.query().await, "?theme=dark");
        b.client.refresh().await.unwrap();
        b.wait_for(
            "dark after reload",
            "return document.documentElement.dataset.theme === 'dark' && document.querySelector('[data-picker=theme]').value === 'dark'",
        )
        .await;
        // Back to following the system (light in this headless browser):
        // the address no longer names a theme.
        b.pick("theme", "").await;
        b.wait_for(
            "the system theme",
            "return document.documentElement.dataset.theme === 'light' && !location.search.includes('theme')",
        )
        .await;
        let label = b
            .js("return document.querySelector('[data-picker=theme]').selectedOptions[0].textContent", vec![])
            .await;
        assert_eq!(label, json!("System theme (light)"));
        b
    });
}

#[test]
fn a_broken_config_is_named_and_the_shell_still_works() {
    run(|server, b| async move {
        server.fault("config.json", Fault::Body("{\"api_base\": ".into()));
        b.goto(&server.url("")).await;
        let alert = b
            .wait_for(
                "the config alert",
                "return document.querySelector('.core-failure[role=alert]')?.innerText",
            )
            .await;
        let alert = alert.as_str().unwrap();
        assert!(alert.contains("config.json"), "{alert}");
        assert!(alert.contains("ends too early"), "{alert}");
        // Panels that need data say so too, naming the file.
        let panel_alert = b
            .wait_for("a panel alert", "return document.querySelector('[data-panel=overview-bugs] [role=alert]')?.innerText")
            .await;
        assert!(panel_alert.as_str().unwrap().contains("config.json"));
        // The shell works: theme and navigation.
        b.pick("theme", "dark").await;
        b.wait_for(
            "theme switch",
            "return location.search.includes('theme=dark')",
        )
        .await;
        b.click("nav a[data-view=revenue]").await;
        b.wait_for(
            "navigation",
            "return location.search.includes('view=revenue')",
        )
        .await;
        // A 404 is named with its status.
        server.fault(
            "config.json",
            Fault::Status(404, "missing".into(), "text/plain"),
        );
        b.client.refresh().await.unwrap();
        let alert = b
            .wait_for(
                "the 404 alert",
                "return document.querySelector('.core-failure[role=alert]')?.innerText",
            )
            .await;
        assert!(alert.as_str().unwrap().contains("404"), "{alert}");
        // Retry after the server recovers shows the data.
        server.heal("config.json");
        b.click("nav a[data-view=overview]").await;
        b.click(".core-failure [data-action=retry]").await;
        assert_eq!(b.kpi("bugs_opened:S2").await, "24");
        b
    });
}

#[test]
fn a_broken_report_breaks_only_its_panels() {
    run(|server, b| async move {
        server.fault(
            "api/v1/reports/2016-08.json",
            Fault::Body("{\"month\": \"2016-08\", \"services\": [], \"bugs\": [{\"severity\": \"S1\", \"opened\": -2, \"closed\": 0}]}".into()),
        );
        b.goto(&server.url("")).await;
        let alert = b
            .wait_for("the report alert", "return document.querySelector('[data-panel=overview-bugs] [role=alert]')?.innerText")
            .await;
        let alert = alert.as_str().unwrap();
        assert!(alert.contains("reports/2016-08.json"), "{alert}");
        assert!(alert.contains("bugs[0].opened"), "{alert}");
        // The rest of the page works: pick July, which loads fine.
        b.pick("month", "2016-07").await;
        assert_eq!(b.kpi("bugs_opened:S1").await, "9");
        // August, healed, loads after Retry.
        server.fault(
            "api/v1/reports/2016-08.json",
            Fault::Status(500, "<html>oops</html>".into(), "text/html"),
        );
        b.pick("month", "2016-08").await;
        let alert = b
            .wait_for("the 500 alert", "return document.querySelector('[data-panel=overview-services] [role=alert]')?.innerText")
            .await;
        assert!(alert.as_str().unwrap().contains("500"), "{alert}");
        server.heal("api/v1/reports/2016-08.json");
        b.click("[data-panel=overview-services] [data-action=retry]")
            .await;
        b.wait_for(
            "August after retry",
            "return document.querySelector('[data-kpi=\"bugs_opened:S1\"]')?.dataset.value === '2'",
        )
        .await;
        b
    });
}

#[test]
fn embedded_panel_reports_its_height_to_the_parent() {
    run(|server, b| async move {
        let host = format!(
            r#"<!doctype html><html><body style="margin:0">
            <script>window.heights = []; addEventListener('message', e => {{ if (e.data && e.data.type === 'pulse:height') window.heights.push(e.data.height); }});</script>
            <iframe id="f" src="{PREFIX}?embed=overview-bugs" style="width:600px;height:200px;border:0"></iframe>
            </body></html>"#
        );
        server.page("/host.html", &host);
        b.goto(&format!("{}/host.html", server.origin)).await;
        let h = b
            .wait_for("a height message", "return window.heights.length && window.heights[window.heights.length - 1] > 100 ? window.heights[window.heights.length - 1] : null")
            .await;
        assert!(h.as_i64().unwrap() > 100, "{h}");
        // Inside the frame: just the one panel, no header, transparent page.
        b.client.enter_frame(0).await.unwrap();
        b.kpi("bugs_opened:S2").await;
        let panels = b
            .js(
                "return [...document.querySelectorAll('[data-panel]')].map(p => p.dataset.panel)",
                vec![],
            )
            .await;
        assert_eq!(panels, json!(["overview-bugs"]));
        assert_eq!(
            b.js("return document.querySelector('.topbar')", vec![])
                .await,
            serde_json::Value::Null
        );
        assert_eq!(
            b.js(
                "return getComputedStyle(document.body).backgroundColor",
                vec![]
            )
            .await,
            json!("rgba(0, 0, 0, 0)")
        );
        b
    });
}

#[test]
fn a_month_without_platform_figures_offers_nothing_to_export() {
    let path = crate::app_dir().join("public/api/v1/reports/2016-08.json");
    let mut report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    report.as_object_mut().unwrap().remove("platform");
    run(|server, b| async move {
        server.fault(
            "api/v1/reports/2016-08.json",
            Fault::Body(report.to_string()),
        );
        b.goto(&server.url("?month=2016-08")).await;
        let empty = b
            .wait_for(
                "August's platform panel",
                "return document.querySelector('[data-panel=overview-platform] .empty')?.textContent",
            )
            .await;
        assert_eq!(empty, json!("This month's report has no platform figures."));
        assert_eq!(
            b.buttons_disabled("overview-platform", 2).await,
            json!([true, true])
        );
        assert_eq!(
            b.buttons_disabled("overview-bugs", 2).await,
            json!([false, false])
        );
        // July has its figures: its buttons are on.
        b.pick("month", "2016-07").await;
        b.wait_for(
            "July's platform figures",
            "return !!document.querySelector('[data-panel=overview-platform] .kpis')",
        )
        .await;
        assert_eq!(
            b.buttons_disabled("overview-platform", 2).await,
            json!([false, false])
        );
        b
    });
}
