//! The first requests of a page: while the view's first module downloads,
//! the loader asks for `config.json`, then `meta.json`, the documents the
//! address alone names and the view's own style sheet, and the app takes
//! those responses instead of asking again (scripts/split/split.mjs).

use super::*;
use serde_json::json;
use std::time::Duration;

/// The views' first modules, one per view and layout.
fn first_modules() -> Vec<String> {
    let names: Vec<String> = std::fs::read_dir(dist())
        .expect("dist/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with("_bg.wasm"))
        .collect();
    assert!(names.len() >= 4, "first modules in dist/: {names:?}");
    names
}

/// The file of a view's own style sheet, as index.html names it.
fn sheet(view: &str) -> String {
    let html = std::fs::read_to_string(dist().join("index.html")).expect("index.html");
    let meta = format!("<meta name=\"pulse-style-{view}\" content=\"./");
    let at = html
        .find(&meta)
        .unwrap_or_else(|| panic!("no {meta} in index.html"));
    let rest = &html[at + meta.len()..];
    rest[..rest.find('"').expect("the sheet's name")].to_owned()
}

struct Case {
    query: &'static str,
    /// What shows once the view has its first document.
    ready: &'static str,
    /// Asked for by the loader: each served once, while the module downloads.
    docs: &'static [&'static str],
    view: &'static str,
}

const CASES: [Case; 3] = [
    Case {
        query: "?view=revenue",
        ready: "return document.querySelector('[data-kpi=mrr_cents]')?.getAttribute('data-value')",
        docs: &["api/v1/meta.json", "api/v1/revenue/events.json"],
        view: "revenue",
    },
    Case {
        query: "?view=revenue&embed=revenue-mrr",
        ready: "return document.querySelector('[data-panel=revenue-mrr] canvas') !== null || null",
        docs: &["api/v1/meta.json", "api/v1/revenue/events.json"],
        view: "revenue",
    },
    Case {
        query: "?view=delivery",
        ready: "return document.querySelector('[data-kpi=posts_sent]')?.getAttribute('data-value')",
        docs: &["api/v1/meta.json"],
        view: "delivery",
    },
];

/// The module's download takes this long: what the loader asks for
/// meanwhile starts well before it ends.
const SLOW_MODULE: Duration = Duration::from_millis(1500);

#[test]
fn the_first_documents_and_style_sheet_are_asked_for_while_the_module_downloads() {
    run(|server, b| async move {
        for module in first_modules() {
            server.fault(&module, Fault::Delay(SLOW_MODULE));
        }
        for case in CASES {
            // What the page before still asks for once its second module
            // is in (the other views' style sheets) must not count here.
            b.goto("about:blank").await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let before = server.requests().len();
            b.goto(&server.url(case.query)).await;
            b.wait_for(case.query, case.ready).await;
            let sheet = sheet(case.view);
            let requests = server.requests().split_off(before);
            let mut early: Vec<String> = case.docs.iter().map(|d| (*d).to_owned()).collect();
            early.push(sheet.clone());
            for path in std::iter::once("config.json".to_owned()).chain(early.iter().cloned()) {
                let served = requests
                    .iter()
                    .filter(|r| {
                        r.split('?')
                            .next()
                            .unwrap_or(r)
                            .ends_with(&format!("/{path}"))
                    })
                    .count();
                assert_eq!(
                    served, 1,
                    "{}: {path} served {served} times: {requests:?}",
                    case.query
                );
            }
            // Each started while the module was still on its way.
            let times = b
                .js(
                    "const all = performance.getEntriesByType('resource');                     const module = all.find((e) => e.name.endsWith('_bg.wasm'));                     const start = (p) => all.find((e) => new URL(e.name).pathname.endsWith('/' + p))?.startTime ?? null;                     return { module: module ? module.responseEnd : null, early: arguments[0].map(start) };",
                    vec![json!(early)],
                )
                .await;
            let module = times["module"].as_f64().expect("the module's timing");
            for (path, start) in early.iter().zip(times["early"].as_array().expect("times")) {
                let start = start
                    .as_f64()
                    .unwrap_or_else(|| panic!("{}: no timing of {path}: {times}", case.query));
                assert!(
                    start + 1000.0 < module,
                    "{}: {path} asked for at {start} ms, the module in at {module} ms",
                    case.query
                );
            }
        }
        b
    });
}

/// Whether the page has had the answer to its `annotations.json`, which
/// the Revenue view's chart asks for after its first paint: until then a
/// page's last request may still reach the server after the next page's
/// requests are counted from.
const ANNOTATIONS_ANSWERED: &str = "return performance.getEntriesByType('resource').some((e) => e.name.endsWith('/annotations.json')) || null";

#[test]
fn a_config_with_another_data_folder_or_origin_gets_its_documents_once() {
    run(|server, b| async move {
        let origin = server.url("").split(PREFIX).next().unwrap().to_owned();
        let configs = [
            // The same folder written with a slash, and as a full address.
            r#"{"api_base":"api/v1/","refresh_seconds":60,"title":"Ops console"}"#.to_owned(),
            format!(r#"{{"api_base":"{origin}{PREFIX}api/v1"}}"#),
        ];
        for config in configs {
            server.fault("config.json", Fault::Body(config.clone()));
            let before = server.requests().len();
            b.goto(&server.url("?view=revenue")).await;
            b.wait_for("the Revenue view", CASES[0].ready).await;
            b.wait_for("the page's annotations", ANNOTATIONS_ANSWERED)
                .await;
            let requests = server.requests().split_off(before);
            for doc in [
                "config.json",
                "api/v1/meta.json",
                "api/v1/revenue/events.json",
            ] {
                let served = requests
                    .iter()
                    .filter(|r| r.ends_with(&format!("/{doc}")))
                    .count();
                assert_eq!(
                    served, 1,
                    "{config}: {doc} served {served} times: {requests:?}"
                );
            }
        }
        // Data elsewhere: nothing is asked for early, and the app reads
        // what it points at.
        server.fault(
            "config.json",
            Fault::Body(r#"{"api_base":"elsewhere/v1"}"#.into()),
        );
        let meta = std::fs::read_to_string(dist().join("api/v1/meta.json")).expect("meta.json");
        server.fault("elsewhere/v1/meta.json", Fault::Body(meta));
        let events =
            std::fs::read_to_string(dist().join("api/v1/revenue/events.json")).expect("events");
        server.fault("elsewhere/v1/revenue/events.json", Fault::Body(events));
        let annotations =
            std::fs::read_to_string(dist().join("api/v1/annotations.json")).expect("annotations");
        server.fault("elsewhere/v1/annotations.json", Fault::Body(annotations));
        let before = server.requests().len();
        b.goto(&server.url("?view=revenue")).await;
        b.wait_for("the Revenue view on other data", CASES[0].ready)
            .await;
        b.wait_for("the page's annotations", ANNOTATIONS_ANSWERED)
            .await;
        let requests = server.requests().split_off(before);
        for doc in [
            "elsewhere/v1/meta.json",
            "elsewhere/v1/revenue/events.json",
            "elsewhere/v1/annotations.json",
        ] {
            let served = requests
                .iter()
                .filter(|r| r.ends_with(&format!("/{doc}")))
                .count();
            assert_eq!(served, 1, "{doc} served {served} times: {requests:?}");
        }
        assert!(
            !requests.iter().any(|r| r.contains("/api/v1/")),
            "the demo's folder was asked for: {requests:?}"
        );
        b
    });
}
