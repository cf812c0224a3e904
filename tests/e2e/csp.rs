//! The site under a strict content security policy: every view works and
//! the browser reports no violation.

use super::*;
use serde_json::json;

/// The policy the README tells CDN operators to set, plus a report address.
const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' https: data:; connect-src 'self' https:; object-src 'none'; base-uri 'none'; frame-ancestors *; report-uri /csp-report";

#[test]
fn every_view_works_under_a_strict_policy() {
    run(|server, b| async move {
        server.header("Content-Security-Policy", POLICY);
        b.goto(&server.url("")).await;
        b.js(
            "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));",
            vec![],
        )
        .await;
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
        let reports: Vec<String> = server
            .requests()
            .into_iter()
            .filter(|r| r.starts_with("/csp-report"))
            .collect();
        assert!(reports.is_empty(), "violations were reported: {reports:?}");
        b
    });
}
