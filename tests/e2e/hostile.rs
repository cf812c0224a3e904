//! Hostile content in every string field of every document: markup,
//! script, event handlers, `javascript:` and `data:` URLs, right-to-left
//! and zero-width characters, 100 kB strings and unpaired UTF-16
//! surrogate escapes. Nothing may execute, nothing hostile may be
//! requested, the layout must hold, and long strings are clipped with
//! the whole text in a tooltip.

use super::*;
use serde_json::{json, Value};

/// Stands for unpaired surrogate escapes, which `serde_json::Value`
/// cannot hold: [`LONE_ESCAPES`] replaces it in the serialised document.
const LONE: &str = "LONE_SURROGATES";
const LONE_ESCAPES: &str = r"\ud800 lone \udc00 low \ud83d\u0041";
/// How the page shows [`LONE_ESCAPES`], as the browser's `JSON.parse` would.
const LONE_SHOWN: &str = "\u{fffd} lone \u{fffd} low \u{fffd}A";

/// Strings that would run script or break layout if Pulse treated data as HTML.
fn corpus() -> Vec<String> {
    vec![
        "<img src=x onerror=\"window.__pwned=1\">".into(),
        "<script>window.__pwned=1</script>".into(),
        "\"><svg onload=window.__pwned=1>".into(),
        "javascript:window.__pwned=1".into(),
        "data:text/html,<script>window.__pwned=1</script>".into(),
        "\u{202e}evil\u{202c} right-to-left \u{200b}zero\u{200d}width 🎉".into(),
        "A".repeat(100_000),
    ]
}

fn hostile_documents() -> Vec<(&'static str, Value)> {
    let c = corpus();
    let mut meta = dist_json("api/v1/meta.json");
    meta["name"] = json!(c[0]);
    let latest_day = meta["delivery_days"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    let mut nets: Vec<String> = meta["networks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect();
    for (i, n) in nets.iter_mut().enumerate() {
        *n = format!("{}{i}", c[i % c.len()]);
    }
    // A 100 kB network name and one with broken surrogates.
    nets[4] = format!("{LONE}4");
    nets[5] = format!("{}5", c[6]);
    meta["networks"] = json!(nets);
    for (i, plan) in meta["plans"].as_array_mut().unwrap().iter_mut().enumerate() {
        plan["name"] = json!(c[(i + 2) % c.len()]);
    }
    meta["plans"][2]["name"] = json!(LONE);
    meta["plans"][3]["name"] = json!(c[6]);

    let mut report = dist_json("api/v1/reports/2016-08.json");
    for (i, s) in report["services"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        s["name"] = json!(format!("{}{i}", c[(i + 3) % c.len()]));
    }
    report["services"][2]["name"] = json!(format!("{LONE}2"));
    for (i, b) in report["bugs"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        b["severity"] = json!(format!("{}{i}", c[(i + 5) % c.len()]));
    }

    let mut delivery = dist_json(&format!("api/v1/delivery/{latest_day}.json"));
    let original: Vec<String> = dist_json("api/v1/meta.json")["networks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect();
    for s in delivery["series"].as_array_mut().unwrap() {
        let i = original
            .iter()
            .position(|n| n == s["network"].as_str().unwrap())
            .unwrap();
        s["network"] = json!(nets[i]);
    }

    let mut events = dist_json("api/v1/revenue/events.json");
    let plan_ids: Vec<String> = meta["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    for e in events["events"].as_array_mut().unwrap().iter_mut().take(50) {
        e["customer"] = json!(c[6].clone() + "x");
    }
    let _ = plan_ids;
    let delivery_path: &'static str =
        Box::leak(format!("api/v1/delivery/{latest_day}.json").into_boxed_str());
    vec![
        ("api/v1/meta.json", meta),
        ("api/v1/reports/2016-08.json", report),
        (delivery_path, delivery),
        ("api/v1/revenue/events.json", events),
    ]
}

/// Finds the elements showing a 100 kB string. Each one that is laid out
/// must fit in the window and have a tooltip (its own `title` or an
/// ancestor's) holding the string. Returns `{shown, bad}`.
const CLIPPED_WITH_TOOLTIP: &str = r#"
    const long = 'A'.repeat(200);
    const holders = [...document.querySelectorAll('body *')].filter(e =>
        !['OPTION', 'SCRIPT', 'STYLE', 'TITLE'].includes(e.tagName) &&
        [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.includes(long)));
    const shown = holders.filter(e => e.getClientRects().length > 0);
    const bad = shown.filter(e => {
        const r = e.getBoundingClientRect();
        const tip = e.closest('[title]');
        return r.right > window.innerWidth + 1 || r.width > window.innerWidth
            || !tip || !tip.getAttribute('title').includes('AAAAAAAAAA');
    }).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' in '
        + (e.closest('[data-panel]')?.dataset.panel ?? 'page')
        + ' (' + Math.round(e.getBoundingClientRect().width) + ' px, title: '
        + (e.closest('[title]') ? 'yes' : 'no') + ')');
    return { shown: shown.length, bad };
"#;

#[test]
fn hostile_strings_in_every_document_stay_text() {
    run(|server, b| async move {
        for (path, doc) in hostile_documents() {
            server.fault(
                path,
                Fault::Body(doc.to_string().replace(LONE, LONE_ESCAPES)),
            );
        }
        for view in ["overview", "delivery", "revenue", "queue"] {
            b.goto(&server.url(&format!("?view={view}"))).await;
            b.wait_for(
                &format!("{view} to render"),
                "return document.querySelectorAll('[data-panel]').length > 0 && document.querySelectorAll('[data-panel] .skeleton').length === 0",
            )
            .await;
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            assert_eq!(
                b.js("return window.__pwned === undefined", vec![]).await,
                json!(true),
                "{view}: script ran"
            );
            assert_eq!(
                b.js("return document.querySelectorAll('[data-panel] script, [data-panel] svg[onload], [data-panel] img[onerror]').length", vec![]).await,
                json!(0),
                "{view}: markup from data became elements"
            );
            let overflow = b
                .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth", vec![])
                .await;
            // Named only when the page overflows: the deepest elements past the edge.
            let culprits = if overflow.as_i64().unwrap() <= 1 {
                json!([])
            } else {
                b.js("return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1)).slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' in ' + (e.closest('[data-panel]')?.dataset.panel ?? e.parentElement?.className))", vec![])
                .await
            };
            assert!(
                overflow.as_i64().unwrap() <= 1,
                "{view}: the page overflows sideways by {overflow} px: {culprits}"
            );
            // Every visible 100 kB string is clipped to the page and carries
            // a tooltip; the hostile markers never appear unrepaired.
            let clip = b.js(CLIPPED_WITH_TOOLTIP, vec![]).await;
            assert!(clip["shown"].as_u64().unwrap() > 0, "{view}: {clip}");
            assert_eq!(clip["bad"], json!([]), "{view}: {clip}");
            assert_eq!(
                b.js(
                    "return document.body.innerText.includes(arguments[0])",
                    vec![json!(LONE)]
                )
                .await,
                json!(false),
                "{view}: the surrogate marker leaked"
            );
        }
        // On the overview, hostile names show as literal text.
        b.goto(&server.url("")).await;
        let text = b
            .wait_for("the service names", "return document.querySelector('[data-panel=overview-services]')?.innerText.includes('data:text/html,<script>') && document.querySelector('[data-panel=overview-services]').innerText")
            .await;
        assert!(text
            .as_str()
            .unwrap()
            .contains("javascript:window.__pwned=1"));
        // Unpaired surrogates show as U+FFFD, the rest of the name intact.
        assert!(
            text.as_str().unwrap().contains(&format!("{LONE_SHOWN}2")),
            "{text}"
        );
        let header = b
            .js(
                "return document.querySelector('.dataset').textContent",
                vec![],
            )
            .await;
        assert_eq!(header, json!("<img src=x onerror=\"window.__pwned=1\">"));
        // Nothing hostile was requested.
        let bad: Vec<String> = server
            .requests()
            .into_iter()
            .filter(|r| r.contains("pwned") || r.contains("/x") || r.contains("evil"))
            .collect();
        assert!(bad.is_empty(), "hostile requests: {bad:?}");
        assert_eq!(
            b.js("return window.__pwned === undefined", vec![]).await,
            json!(true)
        );
        b
    });
}
