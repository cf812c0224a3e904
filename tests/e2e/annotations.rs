//! Annotations on the charts: the demo's events appear as markers at the
//! pixel columns of their times on the Delivery minute chart and the MRR
//! chart (the expected x comes from the chart's own hover, as a person
//! would find a minute or a month), `hide=` removes kinds, tags limit the
//! panels, a hostile title stays text, the Overview lists the month's
//! events, and a broken annotations document costs only the markers.

use super::*;
use serde_json::{json, Value};

/// Hovers the chart `css` at two x fractions and returns the linear map
/// from a slot's value (a minute, a month index) to its centre's CSS x:
/// `(x1, slope, v1)`, so that slot `v`'s centre is `x1 + slope * (v - v1)`.
const AXIS_JS: &str = r#"
const [css] = arguments;
const el = document.querySelector(css);
const r = el.getBoundingClientRect();
const months = ['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'];
const value = (t) => {
  let m = /^(\d\d):(\d\d)/.exec(t);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = /^([A-Z][a-z]{2}) (\d{4})/.exec(t);
  if (m) return Number(m[2]) * 12 + months.indexOf(m[1]);
  return null;
};
const at = (f) => {
  el.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, view: window,
    clientX: Math.round(r.left + r.width * f), clientY: Math.round(r.top + r.height * 0.5) }));
  const title = el.querySelector('.chart-tooltip-title')?.textContent ?? '';
  const cross = /translate\(([-\d.]+)px/.exec(el.querySelector('.chart-crosshair').style.transform);
  return [value(title), cross ? Number(cross[1]) : null, title];
};
const a = at(0.3), b = at(0.85);
el.dispatchEvent(new MouseEvent('mouseleave', { bubbles: true, view: window }));
return { a, b };
"#;

/// The markers in the panel `panel`, positions relative to its chart.
const MARKS_JS: &str = r#"
const [panel] = arguments;
const chart = document.querySelector(`[data-panel="${panel}"] .chart`);
if (!chart) return null;
const r = chart.getBoundingClientRect();
return [...document.querySelectorAll(`[data-panel="${panel}"] [data-annotation]`)].map(e => {
  const b = e.getBoundingClientRect();
  return { id: e.dataset.annotation, kind: e.dataset.kind, tag: e.tagName.toLowerCase(),
           left: b.left - r.left, right: b.right - r.left, top: b.top - r.top, height: b.height,
           name: e.getAttribute('aria-label'), tip: e.dataset.tip, children: e.querySelectorAll('*').length,
           focusable: e.tabIndex >= 0 };
});
"#;

/// The map from slot value to CSS x of the chart `css`.
async fn axis(b: &Browser, css: &str) -> impl Fn(f64) -> f64 {
    let v = b.js(AXIS_JS, vec![json!(css)]).await;
    let point = |p: &Value| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
    let ((v1, x1), (v2, x2)) = (point(&v["a"]), point(&v["b"]));
    assert!(v2 > v1, "two hovers, two slots: {v}");
    let slope = (x2 - x1) / (v2 - v1);
    // A time p (in slot units) sits at its proportional place in its
    // slot: the slot's centre is at p + 0.5.
    move |p: f64| x1 + slope * (p - 0.5 - v1)
}

async fn marks(b: &Browser, panel: &str) -> Vec<Value> {
    b.js(MARKS_JS, vec![json!(panel)])
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Waits until the panel shows the marker `id`; returns the panel's markers.
async fn wait_marks(b: &Browser, panel: &str, id: &str) -> Vec<Value> {
    b.wait_for(
        &format!("{panel}: the marker {id}"),
        &format!("return !!document.querySelector('[data-panel=\"{panel}\"] [data-annotation=\"{id}\"]')"),
    )
    .await;
    marks(b, panel).await
}

fn find<'a>(marks: &'a [Value], id: &str) -> &'a Value {
    marks
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no marker {id} in {marks:?}"))
}

fn ids(marks: &[Value]) -> Vec<String> {
    marks
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

fn near(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1.5,
        "{what}: at {got} px, expected {want} px"
    );
}

#[test]
fn markers_sit_on_the_minutes_of_their_events() {
    run(|server, b| async move {
        b.goto(&server.url("?view=delivery&day=2016-08-19")).await;
        let panel = "delivery-minutes";
        let found = wait_marks(&b, panel, "outage-0819").await;
        let x = axis(&b, "[data-chart=delivery-minutes]").await;
        // The deploy at 13:50, a line centred on its minute; the outage
        // from 14:05 to 17:40, a band.
        let deploy = find(&found, "deploy-unindexed-query");
        let centre = (deploy["left"].as_f64().unwrap() + deploy["right"].as_f64().unwrap()) / 2.0;
        near(centre, x(830.0), "the 13:50 deploy");
        let outage = find(&found, "outage-0819");
        near(
            outage["left"].as_f64().unwrap(),
            x(845.0),
            "the outage's start",
        );
        near(
            outage["right"].as_f64().unwrap(),
            x(1060.0),
            "the outage's end",
        );
        assert_eq!(outage["kind"], "incident");
        assert_eq!(outage["tag"], "button");
        assert_eq!(outage["focusable"], true);
        assert_eq!(outage["name"], "Site-wide outage: unindexed query");
        assert!(outage["tip"]
            .as_str()
            .unwrap()
            .contains("19 Aug 2016 14:05–17:40 UTC"));
        assert!(outage["height"].as_f64().unwrap() > 150.0, "{outage}");
        // Events of other days are not on this one; the legend names the
        // kinds shown.
        assert_eq!(ids(&found).len(), 2, "{found:?}");
        let legend = b
            .js("return [...document.querySelectorAll('[data-panel=delivery-minutes] .chart-mark-legend li')].map(l => l.textContent)", vec![])
            .await;
        assert_eq!(legend, json!(["Incident", "Deploy"]));

        // Zoomed to 13:45–14:15: the markers follow the axis.
        b.goto(&server.url("?view=delivery&day=2016-08-19&from=13:45&to=14:15"))
            .await;
        let found = wait_marks(&b, panel, "outage-0819").await;
        let x = axis(&b, "[data-chart=delivery-minutes]").await;
        let deploy = find(&found, "deploy-unindexed-query");
        let centre = (deploy["left"].as_f64().unwrap() + deploy["right"].as_f64().unwrap()) / 2.0;
        near(centre, x(830.0), "the deploy, zoomed");
        near(
            find(&found, "outage-0819")["left"].as_f64().unwrap(),
            x(845.0),
            "the outage, zoomed",
        );

        // Hidden kinds go; a network filter keeps the untagged incident and
        // drops the deploy tagged with a service.
        b.goto(&server.url("?view=delivery&day=2016-08-19&hide=deploy"))
            .await;
        let found = wait_marks(&b, panel, "outage-0819").await;
        assert_eq!(ids(&found), ["outage-0819"]);
        assert_eq!(b.query().await, "?view=delivery&day=2016-08-19&hide=deploy");
        b.goto(&server.url("?view=delivery&day=2016-08-19&net=twitter"))
            .await;
        let found = wait_marks(&b, panel, "outage-0819").await;
        assert_eq!(ids(&found), ["outage-0819"]);
        b.goto(&server.url("?view=delivery&day=2016-08-19&hide=incident,deploy"))
            .await;
        b.wait_for(
            "the minutes chart",
            "return Number(document.querySelector('[data-chart=delivery-minutes]')?.dataset.draws || 0) > 0",
        )
        .await;
        b.wait_for(
            "the later panels",
            "return !!document.querySelector('[data-chart=delivery-quantiles]')",
        )
        .await;
        assert!(marks(&b, panel).await.is_empty());
        // A kind that does not exist is reported and dropped.
        b.goto(&server.url("?view=delivery&day=2016-08-19&hide=outage"))
            .await;
        b.wait_for(
            "the notice",
            "return [...document.querySelectorAll('.notices li')].some(l => l.textContent.includes('hide='))",
        )
        .await;
        assert_eq!(b.query().await, "?view=delivery&day=2016-08-19");
        b
    });
}

#[test]
fn markers_sit_on_the_months_of_the_mrr_chart() {
    run(|server, b| async move {
        b.goto(&server.url("?view=revenue")).await;
        let found = wait_marks(&b, "revenue-mrr", "growth-annual-business").await;
        let x = axis(&b, "[data-chart=revenue-mrr]").await;
        let month = |y: f64, m: f64| y * 12.0 + m - 1.0;
        // The note at the start of March 2016: the left edge of its slot.
        let note = find(&found, "reported-mrr-drift");
        let centre = (note["left"].as_f64().unwrap() + note["right"].as_f64().unwrap()) / 2.0;
        near(centre, x(month(2016.0, 3.0)), "the note of 1 Mar 2016");
        // The experiment from 4 April to the end of May 2016.
        let growth = find(&found, "growth-annual-business");
        near(
            growth["left"].as_f64().unwrap(),
            x(month(2016.0, 4.0) + 3.0 / 30.0),
            "the experiment's start",
        );
        near(
            growth["right"].as_f64().unwrap(),
            x(month(2016.0, 6.0)),
            "the experiment's end",
        );
        assert_eq!(growth["kind"], "experiment");
        // The August deploy: 16 August, 06:30.
        let moved = find(&found, "broadcasters-dedicated");
        let centre = (moved["left"].as_f64().unwrap() + moved["right"].as_f64().unwrap()) / 2.0;
        let into = (15.0 + 6.5 / 24.0) / 31.0;
        near(centre, x(month(2016.0, 8.0) + into), "the broadcaster move");

        // A plan the experiment is not about drops it.
        b.goto(&server.url("?view=revenue&plan=awesome")).await;
        let found = wait_marks(&b, "revenue-mrr", "reported-mrr-drift").await;
        assert!(
            !ids(&found).contains(&"growth-annual-business".to_owned()),
            "{found:?}"
        );
        b.goto(&server.url("?view=revenue&plan=business&hide=note"))
            .await;
        let found = wait_marks(&b, "revenue-mrr", "growth-annual-business").await;
        assert!(
            !ids(&found).contains(&"reported-mrr-drift".to_owned()),
            "{found:?}"
        );
        b
    });
}

/// The tops (px) of the Revenue view's panels and of the MRR chart's
/// legend, the charts' marker blocks, and the heights (px) of those still
/// waiting for the annotations.
const TOPS_JS: &str = r#"
const legend = document.querySelector('[data-panel=revenue-mrr] .rev-legend');
return { tops: [...document.querySelectorAll('[data-panel]')].map(p => [p.dataset.panel, p.getBoundingClientRect().top]),
         legend: legend ? legend.getBoundingClientRect().top : null,
         held: [...document.querySelectorAll('.chart-marks-block.pending')].map(e => e.getBoundingClientRect().height),
         blocks: document.querySelectorAll('.chart-marks-block').length };
"#;

/// The heights of the marker blocks waiting in `t` (from [`TOPS_JS`]).
fn held(t: &Value) -> Vec<f64> {
    t["held"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_f64().unwrap())
        .collect()
}

#[test]
fn a_months_chart_holds_its_annotations_legend_while_they_load() {
    run(|server, b| async move {
        server.fault(
            "api/v1/annotations.json",
            Fault::Delay(std::time::Duration::from_millis(4000)),
        );
        // The Revenue page at `query`, once its charts are drawn and
        // their markers' blocks built (the annotations on their way).
        let built = |query: &'static str| {
            let (b, url) = (&b, server.url(query));
            async move {
                b.goto(&url).await;
                b.wait_for(
                    &format!("{query}: the marker blocks, waiting"),
                    &format!("const t = (() => {{ {TOPS_JS} }})(); return t.blocks === 3 && t.legend !== null && t; "),
                )
                .await
            }
        };
        // Each block holds a line of the legend (12 px text).
        let before = built("?view=revenue").await;
        let lines = held(&before);
        assert!(
            lines.len() == 3 && lines.iter().all(|h| (17.0..18.0).contains(h)),
            "{before}"
        );
        wait_marks(&b, "revenue-mrr", "growth-annual-business").await;
        let after = b.js(TOPS_JS, vec![]).await;
        assert!(held(&after).is_empty(), "{after}");
        let tops = |t: &Value| -> Vec<f64> {
            let panels = t["tops"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p[1].as_f64().unwrap());
            std::iter::once(t["legend"].as_f64().unwrap())
                .chain(panels)
                .collect()
        };
        let (was, is) = (tops(&before), tops(&after));
        assert_eq!(was.len(), is.len(), "{before} {after}");
        assert!(
            was.iter().zip(&is).all(|(a, b)| (a - b).abs() < 0.5),
            "the legend and panels moved: {before} -> {after}"
        );

        // Every kind hidden: no legend will come, none is held.
        let hidden = built("?view=revenue&hide=incident,deploy,experiment,note").await;
        assert_eq!(held(&hidden), [0.0; 3], "{hidden}");

        // A day's minutes rarely have one: nothing is held there.
        b.goto(&server.url("?view=delivery&day=2016-08-18")).await;
        let day = b
            .wait_for(
                "the minutes chart's marker block, waiting",
                "const h = [...document.querySelectorAll('.chart-marks-block.pending')].map(e => e.getBoundingClientRect().height); return h.length > 0 && h",
            )
            .await;
        assert!(day.as_array().unwrap().iter().all(|h| h == 0.0), "{day}");
        b
    });
}

#[test]
fn hostile_annotations_stay_text_and_a_broken_document_costs_only_the_markers() {
    run(|server, b| async move {
        let hostile = "<img src=x onerror=\"window.__pwned=1\">";
        let doc = json!({"annotations": [
            {"id": "x\"><b>", "kind": "incident", "title": hostile, "text": "<script>window.__pwned=1</script>",
             "url": "javascript:window.__pwned=1", "at": "2016-08-19T12:00:00Z"},
            {"id": "ok", "kind": "note", "title": "Fine", "url": "https://example.com/a", "at": "2016-08-19T12:30:00Z"}
        ]});
        server.fault("api/v1/annotations.json", Fault::Body(doc.to_string()));
        b.goto(&server.url("?view=delivery&day=2016-08-19")).await;
        let found = wait_marks(&b, "delivery-minutes", "ok").await;
        let bad = find(&found, "x\"><b>");
        assert_eq!(bad["name"], hostile);
        assert_eq!(bad["children"], 1, "only the handle: {bad}");
        b.goto(&server.url("?month=2016-08")).await;
        b.wait_for(
            "the events list",
            "return document.querySelectorAll('[data-panel=overview-events] li').length === 2",
        )
        .await;
        let list = b
            .js(
                "const p = document.querySelector('[data-panel=overview-events]'); return { text: p.textContent, imgs: p.querySelectorAll('img, script, b').length, links: [...p.querySelectorAll('a')].map(a => a.href), pwned: window.__pwned ?? null }",
                vec![],
            )
            .await;
        assert!(list["text"].as_str().unwrap().contains(hostile), "{list}");
        assert_eq!(list["imgs"], 0);
        assert_eq!(list["links"], json!(["https://example.com/a"]));
        assert_eq!(list["pwned"], Value::Null);

        // A broken document: the chart is drawn, a quiet line says why.
        server.fault(
            "api/v1/annotations.json",
            Fault::Body("{\"annotations\": [{\"id\": 1}]}".into()),
        );
        b.goto(&server.url("?view=delivery&day=2016-08-19")).await;
        let failed = b
            .wait_for(
                "the quiet notice",
                "return document.querySelector('[data-panel=delivery-minutes] [data-failed=\"annotations.json\"]')?.textContent",
            )
            .await;
        assert!(
            failed
                .as_str()
                .unwrap()
                .contains("annotations.json: annotations[0]"),
            "{failed}"
        );
        assert!(marks(&b, "delivery-minutes").await.is_empty());
        assert!(b.kpi("late_90s_count").await.parse::<u64>().is_ok());
        b
    });
}

#[test]
fn the_overview_lists_the_months_events_and_nothing_waits_for_them() {
    run(|server, b| async move {
        b.goto(&server.url("?month=2016-08")).await;
        b.wait_for(
            "the events list",
            "return document.querySelectorAll('[data-panel=overview-events] li').length > 0",
        )
        .await;
        let rows = b
            .js(
                "return [...document.querySelectorAll('[data-panel=overview-events] li')].map(l => [l.dataset.annotation, l.dataset.kind, l.querySelector('.event-when').textContent, l.querySelector('a')?.href ?? null])",
                vec![],
            )
            .await;
        assert_eq!(
            rows,
            json!([
                [
                    "broadcasters-dedicated",
                    "deploy",
                    "16 Aug 2016 06:30 UTC",
                    "https://wiki.example.com/ops/broadcasters"
                ],
                [
                    "deploy-unindexed-query",
                    "deploy",
                    "19 Aug 2016 13:50 UTC",
                    null
                ],
                [
                    "outage-0819",
                    "incident",
                    "19 Aug 2016 14:05–17:40 UTC",
                    "https://status.example.com/incidents/2016-08-19"
                ]
            ])
        );
        b.goto(&server.url("?month=2016-08&hide=deploy")).await;
        b.wait_for(
            "the deploys hidden",
            "return document.querySelectorAll('[data-panel=overview-events] li').length === 1",
        )
        .await;
        b.goto(&server.url("?month=2016-07")).await;
        b.wait_for(
            "the empty month",
            "return document.querySelector('[data-panel=overview-events]')?.textContent.includes('No events')",
        )
        .await;
        // The Delivery view's first chart is drawn before the annotations
        // are asked for.
        let before = server.requests().len();
        b.goto(&server.url("?view=delivery&day=2016-08-03")).await;
        b.wait_for(
            "the minutes chart",
            "return Number(document.querySelector('[data-chart=delivery-minutes]')?.dataset.draws || 0) > 0",
        )
        .await;
        b.wait_for(
            "the annotations",
            "return !!document.querySelector('[data-panel=delivery-minutes] .chart-marks')",
        )
        .await;
        let requests: Vec<String> = server.requests().into_iter().skip(before).collect();
        let at = |needle: &str| requests.iter().position(|r| r.contains(needle));
        let (day, annotations) = (at("delivery/2016-08-03.json"), at("annotations.json"));
        assert!(day.is_some(), "{requests:?}");
        if let Some(a) = annotations {
            assert!(a > day.unwrap(), "{requests:?}");
        }
        b
    });
}
