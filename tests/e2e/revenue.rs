//! The Revenue view on the demo dataset: its figures against an independent
//! reading of `revenue/events.json` (month-end MRR per customer, computed
//! here from the JSON), the reconciliation gap, the plan filter, the month
//! (picker, chart click, history), the target, and the MRR chart's pixels.

use super::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// The demo events read the plain way: for every month from the first
/// event's to the last one's, each customer's month-end MRR and plan.
struct Demo {
    months: Vec<String>,
    /// `[month]` total month-end MRR, cents.
    total: Vec<i64>,
    /// plan → `[month]` month-end MRR, cents.
    by_plan: HashMap<String, Vec<i64>>,
    /// `[month]` customers with month-end MRR above 0.
    paying: Vec<i64>,
    /// `[month]` new, expansion, contraction, churn, reactivation, cents.
    moves: Vec<[i64; 5]>,
    reported: HashMap<String, i64>,
}

fn next_month(m: &str) -> String {
    let y: i32 = m[..4].parse().unwrap();
    let n: u32 = m[5..7].parse().unwrap();
    if n == 12 {
        format!("{:04}-01", y + 1)
    } else {
        format!("{y:04}-{:02}", n + 1)
    }
}

fn demo() -> Demo {
    let path = crate::app_dir().join("public/api/v1/revenue/events.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // (at, customer, plan, mrr) in time order; ties keep document order.
    let mut events: Vec<(String, String, String, i64)> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["at"].as_str().unwrap().to_owned(),
                e["customer"].as_str().unwrap().to_owned(),
                e["plan"].as_str().unwrap().to_owned(),
                e["mrr_cents"].as_i64().unwrap(),
            )
        })
        .collect();
    // Every `at` in the demo is `YYYY-MM-DDTHH:MM:SSZ`: text order is time order.
    events.sort_by(|a, b| a.0.cmp(&b.0));
    let first = events.first().unwrap().0[..7].to_owned();
    let last = events.last().unwrap().0[..7].to_owned();
    let mut months = vec![first];
    while *months.last().unwrap() != last {
        let n = next_month(months.last().unwrap());
        months.push(n);
    }

    let mut state: BTreeMap<String, (i64, String)> = BTreeMap::new();
    let mut ever_paid: HashMap<String, bool> = HashMap::new();
    let mut prev: HashMap<String, i64> = HashMap::new();
    let mut next = 0;
    let mut out = Demo {
        months: months.clone(),
        total: Vec::new(),
        by_plan: HashMap::new(),
        paying: Vec::new(),
        moves: Vec::new(),
        reported: HashMap::new(),
    };
    for m in &months {
        while next < events.len() && &events[next].0[..7] <= m.as_str() {
            let (_, c, p, v) = &events[next];
            state.insert(c.clone(), (*v, p.clone()));
            next += 1;
        }
        let mut total = 0;
        let mut paying = 0;
        let mut plans: HashMap<String, i64> = HashMap::new();
        let mut mv = [0i64; 5];
        for (c, (v, p)) in &state {
            total += v;
            *plans.entry(p.clone()).or_default() += v;
            if *v > 0 {
                paying += 1;
            }
            let before = prev.get(c).copied().unwrap_or(0);
            let paid = ever_paid.get(c).copied().unwrap_or(false);
            match (before > 0, *v > 0) {
                (false, true) if paid => mv[4] += v,
                (false, true) => mv[0] += v,
                (true, false) => mv[3] -= before,
                (true, true) if *v > before => mv[1] += v - before,
                (true, true) if *v < before => mv[2] += v - before,
                _ => {}
            }
        }
        for (c, (v, _)) in &state {
            prev.insert(c.clone(), *v);
            if *v > 0 {
                ever_paid.insert(c.clone(), true);
            }
        }
        let mi = out.total.len();
        for (p, v) in plans {
            let series = out
                .by_plan
                .entry(p)
                .or_insert_with(|| vec![0; months.len()]);
            series[mi] = v;
        }
        out.total.push(total);
        out.paying.push(paying);
        out.moves.push(mv);
    }
    let rep = &doc["reported_mrr"];
    for (m, v) in rep["months"]
        .as_array()
        .unwrap()
        .iter()
        .zip(rep["mrr_cents"].as_array().unwrap())
    {
        out.reported
            .insert(m.as_str().unwrap().to_owned(), v.as_i64().unwrap());
    }
    out
}

impl Demo {
    fn index(&self, month: &str) -> usize {
        self.months.iter().position(|m| m == month).unwrap()
    }
}

/// Sets a `<select>` or `<input>` found by `css` to `value` and fires
/// `change`, as a person picking or typing would.
async fn set_value(b: &Browser, css: &str, value: &str) {
    b.wait_for(
        &format!("{css} to appear"),
        &format!("return !!document.querySelector({css:?})"),
    )
    .await;
    b.js(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![json!(css), json!(value)],
    )
    .await;
}

/// Waits until the KPI `name` reads `value`.
async fn wait_kpi(b: &Browser, name: &str, value: &str) {
    b.wait_for(
        &format!("{name} = {value}"),
        &format!(
            "return document.querySelector('[data-kpi=\"{name}\"]')?.dataset.value === {value:?}"
        ),
    )
    .await;
}

/// Waits until the address has `key=value` (or lacks `key` for `None`).
async fn wait_param(b: &Browser, key: &str, value: Option<&str>) {
    let want = match value {
        Some(v) => format!("=== {v:?}"),
        None => "=== null".into(),
    };
    b.wait_for(
        &format!("{key} {want} in the address"),
        &format!("return new URLSearchParams(location.search).get({key:?}) {want}"),
    )
    .await;
}

fn is_month(v: &str) -> bool {
    v.len() == 7
        && v.as_bytes()[4] == b'-'
        && v[..4].parse::<u32>().is_ok()
        && v[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
}

#[test]
fn revenue_shows_the_demo_figures_and_the_reconciliation_gap() {
    let d = demo();
    let last = d.months.len() - 1;
    assert_eq!(d.months[last], "2016-08");
    assert_eq!(d.total[last], 39_248_500);
    run(|server, b| async move {
        b.goto(&server.url("?view=revenue")).await;
        assert_eq!(b.kpi("mrr_cents").await, d.total[last].to_string());
        assert!(b.kpi_text("mrr_cents").await.contains("$392,485"));
        assert_eq!(
            b.kpi("net_change_cents").await,
            (d.total[last] - d.total[last - 1]).to_string()
        );
        let names = ["new", "expansion", "contraction", "churn", "reactivation"];
        let mut sum = 0;
        for (name, want) in names.iter().zip(d.moves[last]) {
            let got: i64 = b
                .kpi(&format!("movement_{name}_cents"))
                .await
                .parse()
                .unwrap();
            assert_eq!(got, want, "{name}");
            sum += got;
        }
        assert!(d.moves[last][2] <= 0 && d.moves[last][3] < 0);
        assert_eq!(sum, d.total[last] - d.total[last - 1]);
        assert_eq!(b.kpi("customers_paying").await, d.paying[last].to_string());
        let reported = d.reported["2016-08"];
        assert_eq!(b.kpi("reported_mrr_cents").await, reported.to_string());
        assert_eq!(b.kpi("reported_gap_cents").await, "2380500");
        assert_eq!(reported - d.total[last], 2_380_500);
        // No target: no target hooks.
        let has_target = b
            .js(
                "return !!document.querySelector('[data-kpi=target_month]')",
                vec![],
            )
            .await;
        assert_eq!(has_target, json!(false));

        // Every panel is there.
        for id in [
            "revenue-kpis",
            "revenue-mrr",
            "revenue-movements",
            "revenue-plans",
            "revenue-reconciliation",
        ] {
            b.wait_for(
                id,
                &format!("return !!document.querySelector('[data-panel={id}] .panel-body > :not(.skeleton)')"),
            )
            .await;
        }

        // Each movement card is edged in its movement's chart colour (the
        // card's style comes after the first paint, the colours with the
        // view: the later sheet must not override them).
        let edges = b
            .js(
                "const probe = document.createElement('span'); document.body.append(probe);
                 const out = [...document.querySelectorAll('.rev-move[data-role]')].map(c => {
                   probe.style.color = `var(--chart-${c.dataset.role})`;
                   return [c.dataset.role, getComputedStyle(c).borderLeftColor, getComputedStyle(probe).color];
                 });
                 probe.remove(); return out;",
                vec![],
            )
            .await;
        let edges = edges.as_array().unwrap();
        assert_eq!(edges.len(), 5, "{edges:?}");
        for e in edges {
            assert_eq!(e[1], e[2], "{e:?}");
        }
        let colours: std::collections::HashSet<&str> =
            edges.iter().map(|e| e[1].as_str().unwrap()).collect();
        assert!(colours.len() >= 3, "{edges:?}");

        // The reconciliation names the month the gap opened.
        let since = b
            .wait_for(
                "the gap call-out",
                "return document.querySelector('[data-panel=revenue-reconciliation] [data-gap-since]')?.dataset.gapSince",
            )
            .await;
        assert_eq!(since, json!("2016-03"));
        let text = b
            .js(
                "return document.querySelector('[data-panel=revenue-reconciliation]').innerText",
                vec![],
            )
            .await;
        let text = text.as_str().unwrap();
        assert!(
            text.contains("overstated event MRR by about $25,000 since Mar 2016"),
            "{text}"
        );
        for (m, gap) in [
            ("2016-02", 0),
            ("2016-03", 2_684_200),
            ("2016-05", 2_583_100),
        ] {
            assert_eq!(d.reported[m] - d.total[d.index(m)], gap, "{m}");
        }

        // The plans table: one row per plan and the total, adding up.
        let plan_mrr = b
            .js(
                "return [...document.querySelectorAll('[data-panel=revenue-plans] tbody tr')].map(r => r.cells[0].innerText)",
                vec![],
            )
            .await;
        assert_eq!(plan_mrr.as_array().unwrap().len(), d.by_plan.len() + 1);

        // The MRR table view: every actual month and 12 forecast months.
        b.click("[data-panel=revenue-mrr] [data-action=table]")
            .await;
        let rows = b
            .wait_for(
                "the MRR table",
                "const t = document.querySelector('[data-panel=revenue-mrr] table'); return t && [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText))",
            )
            .await;
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), d.months.len() + 12);
        assert_eq!(rows[0][0], json!("2014-09"));
        assert_eq!(rows[last][2], json!(d.total[last].to_string()));
        assert_eq!(rows[last + 1][0], json!("2016-09"));
        assert_eq!(rows[last + 1][1], json!("forecast"));
        let cell = |r: usize, c: usize| rows[r][c].as_str().unwrap().parse::<f64>().unwrap();
        for r in last + 1..rows.len() {
            assert!(
                cell(r, 6) <= cell(r, 4) && cell(r, 4) <= cell(r, 3),
                "row {r}"
            );
            assert!(
                cell(r, 3) <= cell(r, 5) && cell(r, 5) <= cell(r, 7),
                "row {r}"
            );
        }
        b
    });
}

/// `cents` as the headline shows them, in whole dollars (half a dollar
/// up): `$392,485`.
fn dollars(cents: i64) -> String {
    assert!(cents >= 0, "{cents}");
    let digits = ((cents + 50) / 100).to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("${out}")
}

#[test]
fn revenue_paints_its_mrr_figure_with_the_chart_where_the_panel_shows_it() {
    let d = demo();
    let last = d.months.len() - 1;
    let may = d.index("2016-05");
    let cases = [
        ("?view=revenue".to_owned(), d.total[last]),
        ("?view=revenue&month=2016-05".to_owned(), d.total[may]),
        (
            "?view=revenue&plan=business".to_owned(),
            d.by_plan["business"][last],
        ),
        ("?view=revenue&target=500000".to_owned(), d.total[last]),
    ];
    run(|server, b| async move {
        // The second module comes late: until then the KPI panel is not
        // built, and the headline figure painted with the chart is all
        // there is of it.
        for rest in crate::faults::second_modules() {
            server.fault(&rest, Fault::Delay(std::time::Duration::from_millis(2500)));
        }
        let place = "const v = document.querySelector(arguments[0]); if (!v || !v.offsetParent) return null;             const r = v.getBoundingClientRect(), g = document.querySelector('.rev-grid').getBoundingClientRect();             return [v.textContent, Math.round(r.left - g.left), Math.round(r.top - g.top), Math.round(r.width), Math.round(r.height)];";
        for (width, height) in [(1280, 900), (390, 844)] {
            b.client.set_window_size(width, height).await.unwrap();
            for (query, cents) in &cases {
                b.goto(&server.url(query)).await;
                b.wait_for(
                    "the MRR chart",
                    "return performance.getEntriesByType('mark').some(m => m.name.startsWith('pulse:drawn'))",
                )
                .await;
                let early = b.js(place, vec![json!(".rev-early .kpi-value")]).await;
                let held = b
                    .js(
                        "return document.querySelector('[data-panel=revenue-mrr] .rev-legend-placeholder')?.getBoundingClientRect().height ?? null",
                        vec![],
                    )
                    .await;
                assert_eq!(
                    early[0],
                    json!(dollars(*cents)),
                    "{query} at {width} px: {early}"
                );
                assert!(
                    b.js(
                        "return document.querySelector('[data-kpi=mrr_cents]') === null",
                        vec![]
                    )
                    .await
                    .as_bool()
                    .unwrap(),
                    "{query}: the KPI panel came before the second module"
                );
                // The panel takes its place; its figure is where the first
                // one was in the view's grid, and the first one is gone.
                wait_kpi(&b, "mrr_cents", &cents.to_string()).await;
                let panel = b
                    .js(place, vec![json!("[data-kpi=mrr_cents] .kpi-value")])
                    .await;
                assert_eq!(early, panel, "{query} at {width} px");
                // The chart's legend, built with the panel, fills the
                // place held for it.
                let legend = b
                    .wait_for(
                        "the MRR chart's legend",
                        "const l = document.querySelector('[data-panel=revenue-mrr] .rev-legend'); return l && l.getBoundingClientRect().height + parseFloat(getComputedStyle(l).marginTop)",
                    )
                    .await;
                let (held, legend) = (
                    held.as_f64().unwrap_or(-1.0),
                    legend.as_f64().unwrap_or(0.0),
                );
                assert!(
                    (held - legend).abs() < 1.0,
                    "{query} at {width} px: {held} px held for a legend of {legend} px"
                );
            }
        }
        b.client.set_window_size(1280, 900).await.unwrap();
        b
    });
}

#[test]
fn revenue_events_are_requested_once_beside_meta_before_the_app_mounts() {
    run(|server, b| async move {
        b.goto(&server.url("?view=revenue")).await;
        b.kpi("mrr_cents").await;
        let requests = server.requests();
        for doc in [
            "config.json",
            "api/v1/meta.json",
            "api/v1/revenue/events.json",
        ] {
            let served = requests.iter().filter(|r| r.ends_with(doc)).count();
            assert_eq!(served, 1, "{doc} served {served} times: {requests:?}");
        }
        // The app's own marks: the address alone names the events, so they
        // are asked for as soon as config.json is read, without waiting for
        // meta.json, and before the app mounts.
        let events = b.mark("pulse:fetch revenue/events.json").await;
        let meta = b.mark("pulse:got meta.json").await;
        let mounted = b.mark("pulse:mounted").await;
        let (Some(events), Some(meta), Some(mounted)) = (events, meta, mounted) else {
            panic!("missing marks: events {events:?}, meta {meta:?}, mounted {mounted:?}");
        };
        assert!(
            events < meta,
            "events requested at {events} ms, meta.json in at {meta} ms"
        );
        assert!(
            events < mounted,
            "events requested at {events} ms, app mounted at {mounted} ms"
        );
        b
    });
}

#[test]
fn revenue_plan_filter_from_the_address_the_picker_and_the_table() {
    let d = demo();
    let last = d.months.len() - 1;
    run(|server, b| async move {
        b.goto(&server.url("?view=revenue&plan=business")).await;
        assert_eq!(
            b.kpi("mrr_cents").await,
            d.by_plan["business"][last].to_string()
        );
        assert_eq!(
            b.kpi("net_change_cents").await,
            (d.by_plan["business"][last] - d.by_plan["business"][last - 1]).to_string()
        );
        // Reported MRR stays the total's.
        assert_eq!(b.kpi("reported_gap_cents").await, "2380500");
        // The switches of the plan are shown with it.
        b.kpi("movement_entering_cents").await;

        set_value(&b, "[data-picker=plan]", "awesome").await;
        wait_param(&b, "plan", Some("awesome")).await;
        wait_kpi(&b, "mrr_cents", &d.by_plan["awesome"][last].to_string()).await;

        set_value(&b, "[data-picker=plan]", "").await;
        wait_param(&b, "plan", None).await;
        wait_kpi(&b, "mrr_cents", &d.total[last].to_string()).await;

        // A plan's name in the plans table filters the view.
        b.click("[data-panel=revenue-plans] button[data-plan=enterprise]")
            .await;
        wait_param(&b, "plan", Some("enterprise")).await;
        wait_kpi(&b, "mrr_cents", &d.by_plan["enterprise"][last].to_string()).await;
        let picked = b
            .js(
                "return document.querySelector('[data-picker=plan]').value",
                vec![],
            )
            .await;
        assert_eq!(picked, json!("enterprise"));

        // An unknown plan is reported and replaced by all plans.
        b.goto(&server.url("?view=revenue&plan=nope")).await;
        wait_kpi(&b, "mrr_cents", &d.total[last].to_string()).await;
        b.wait_for(
            "the unknown plan notice",
            "return document.querySelector('.notices')?.innerText.includes('nope')",
        )
        .await;
        wait_param(&b, "plan", None).await;
        assert_eq!(b.query().await, "?view=revenue");
        b
    });
}

#[test]
fn revenue_month_from_the_picker_a_bar_click_and_history() {
    let d = demo();
    run(|server, b| async move {
        b.goto(&server.url("?view=revenue")).await;
        b.kpi("mrr_cents").await;
        set_value(&b, "[data-picker=month]", "2016-03").await;
        wait_param(&b, "month", Some("2016-03")).await;
        let march = d.index("2016-03");
        wait_kpi(&b, "mrr_cents", &d.total[march].to_string()).await;
        assert_eq!(b.kpi("reported_gap_cents").await, "2684200");
        assert_eq!(
            b.kpi("movement_churn_cents").await,
            d.moves[march][3].to_string()
        );

        // Clicking a bar of the movements chart selects its month.
        b.wait_for(
            "the movements chart",
            "return document.querySelector('[data-panel=revenue-movements] [data-chart]')?.dataset.draws",
        )
        .await;
        b.click("[data-panel=revenue-movements] [data-chart]").await;
        let picked = b
            .wait_for(
                "a month from the chart",
                "const m = new URLSearchParams(location.search).get('month'); return m !== '2016-03' && m",
            )
            .await;
        let picked = picked.as_str().unwrap().to_owned();
        assert!(is_month(&picked), "{picked}");
        let i = d.index(&picked);
        assert!(
            i > 2 && i < d.months.len() - 3,
            "the middle of the chart: {picked}"
        );
        wait_kpi(&b, "mrr_cents", &d.total[i].to_string()).await;
        assert_eq!(
            b.kpi("net_change_cents").await,
            (d.total[i] - d.total[i - 1]).to_string()
        );
        let picker = b
            .js(
                "return document.querySelector('[data-picker=month]').value",
                vec![],
            )
            .await;
        assert_eq!(picker, json!(picked));

        // Back returns to March.
        b.client.back().await.unwrap();
        wait_param(&b, "month", Some("2016-03")).await;
        wait_kpi(&b, "mrr_cents", &d.total[march].to_string()).await;

        // A month without figures is reported and replaced by the latest.
        b.goto(&server.url("?view=revenue&month=2013-01")).await;
        wait_kpi(&b, "mrr_cents", &d.total[d.months.len() - 1].to_string()).await;
        b.wait_for(
            "the missing month notice",
            "return document.querySelector('.notices')?.innerText.includes('2013-01')",
        )
        .await;
        wait_param(&b, "month", None).await;
        b
    });
}

/// The three target hooks.
async fn target_hooks(b: &Browser) -> [String; 3] {
    [
        b.kpi("target_month").await,
        b.kpi("target_month_early").await,
        b.kpi("target_month_late").await,
    ]
}

#[test]
fn revenue_target_in_the_address_and_the_field() {
    let d = demo();
    let last = d.months.len() - 1;
    run(|server, b| async move {
        b.goto(&server.url("?view=revenue")).await;
        b.kpi("mrr_cents").await;
        set_value(&b, "[data-picker=target]", "1,000,000").await;
        wait_param(&b, "target", Some("1000000")).await;
        let [likely, early, late] = target_hooks(&b).await;
        for v in [&likely, &early, &late] {
            assert!(v == "n/a" || is_month(v), "{v}");
            if v != "n/a" {
                assert!(v.as_str() > "2016-08", "{v}");
            }
        }
        if [&likely, &early, &late].iter().all(|v| is_month(v)) {
            assert!(early <= likely && likely <= late, "{early} {likely} {late}");
        }
        // $1,000,000 is far above $392,485: not reached yet.
        assert!(d.total[last] < 100_000_000);
        let eta = b
            .wait_for(
                "the target sentence",
                "return document.querySelector('[data-panel=revenue-mrr] [data-eta]')?.innerText",
            )
            .await;
        assert!(eta.as_str().unwrap().contains("$1,000,000"), "{eta}");

        // A target already reached: the first month at or above it.
        b.goto(&server.url("?view=revenue&target=100000")).await;
        let first = d.months[d.total.iter().position(|v| *v >= 10_000_000).unwrap()].clone();
        wait_kpi(&b, "target_month", &first).await;
        assert_eq!(
            target_hooks(&b).await,
            [first.clone(), first.clone(), first]
        );

        // With a plan the target is the plan's.
        b.goto(&server.url("?view=revenue&plan=business&target=50000"))
            .await;
        let business = &d.by_plan["business"];
        let want = match business.iter().position(|v| *v >= 5_000_000) {
            Some(i) if business[last] >= 5_000_000 => Some(d.months[i].clone()),
            _ => None,
        };
        let [likely, early, late] = target_hooks(&b).await;
        match want {
            Some(m) => assert_eq!([likely, early, late], [m.clone(), m.clone(), m]),
            None => assert!(likely == "n/a" || likely.as_str() > "2016-08"),
        }

        // Clearing removes it from the address and the hooks from the page.
        b.click("[data-action=clear-target]").await;
        wait_param(&b, "target", None).await;
        b.wait_for(
            "no target hooks",
            "return !document.querySelector('[data-kpi=target_month]')",
        )
        .await;
        // Text that is not an amount is refused.
        set_value(&b, "[data-picker=target]", "lots").await;
        b.wait_for(
            "the refused target notice",
            "return document.querySelector('.notices')?.innerText.includes('lots')",
        )
        .await;
        wait_param(&b, "target", None).await;
        b
    });
}

/// Counts the data-canvas pixels of the chart in `panel` that have the
/// colour of each CSS variable in `vars` (within 3 per channel).
const COUNT_PIXELS: &str = r#"
const chart = document.querySelector('[data-panel=' + arguments[0] + '] [data-chart]');
if (!chart || !chart.dataset.draws) return null;
const canvas = chart.querySelector('canvas[data-layer=data]');
if (!canvas.width || !canvas.height) return null;
const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
const style = getComputedStyle(chart);
const out = {};
for (const name of arguments[1]) {
  const m = /^#([0-9a-f]{6})$/i.exec(style.getPropertyValue(name).trim());
  if (!m) { out[name] = -1; continue; }
  const n = parseInt(m[1], 16), rgb = [n >> 16, (n >> 8) & 255, n & 255];
  let k = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (Math.abs(px[i] - rgb[0]) <= 3 && Math.abs(px[i + 1] - rgb[1]) <= 3 && Math.abs(px[i + 2] - rgb[2]) <= 3) k++;
  }
  out[name] = k;
}
return out;
"#;

async fn count_pixels(b: &Browser, panel: &str, vars: &[&str]) -> HashMap<String, i64> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let v = b.js(COUNT_PIXELS, vec![json!(panel), json!(vars)]).await;
        if let Some(o) = v.as_object() {
            let counts: HashMap<String, i64> = o
                .iter()
                .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
                .collect();
            if counts.values().all(|c| *c > 0) || std::time::Instant::now() > deadline {
                return counts;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{panel}: the chart was not drawn"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[test]
fn revenue_charts_draw_lines_bands_and_bars_in_both_themes() {
    run(|server, b| async move {
        b.goto(&server.url("?view=revenue&theme=light&target=500000"))
            .await;
        let vars = ["--chart-line-1", "--chart-band-80", "--chart-band-95"];
        let light = count_pixels(&b, "revenue-mrr", &vars).await;
        for v in vars {
            assert!(light[v] > 50, "light {v}: {light:?}");
        }
        let bars = count_pixels(
            &b,
            "revenue-movements",
            &["--chart-positive", "--chart-negative", "--chart-compare"],
        )
        .await;
        assert!(bars.values().all(|c| *c > 20), "movements: {bars:?}");
        let gap = count_pixels(&b, "revenue-reconciliation", &["--chart-late"]).await;
        assert!(gap["--chart-late"] > 50, "gap bars: {gap:?}");

        b.pick("theme", "dark").await;
        b.wait_for(
            "the dark theme",
            "return document.documentElement.dataset.theme === 'dark'",
        )
        .await;
        // The colours are read again from the dark theme; the counts reach
        // them once the chart has redrawn.
        let dark = count_pixels(&b, "revenue-mrr", &vars).await;
        for v in vars {
            assert!(dark[v] > 50, "dark {v}: {dark:?}");
        }
        b
    });
}

#[test]
fn revenue_events_failure_is_named_and_retried() {
    run(|server, b| async move {
        server.fault(
            "api/v1/revenue/events.json",
            Fault::Body("{\"currency\": 5".into()),
        );
        b.goto(&server.url("?view=revenue")).await;
        let alert = b
            .wait_for(
                "the events alert",
                "return document.querySelector('[data-panel=revenue-kpis] [role=alert]')?.innerText",
            )
            .await;
        assert!(
            alert.as_str().unwrap().contains("revenue/events.json"),
            "{alert}"
        );
        server.heal("api/v1/revenue/events.json");
        b.click("[data-panel=revenue-mrr] [data-action=retry]")
            .await;
        assert_eq!(b.kpi("mrr_cents").await, "39248500");
        b
    });
}

/// A plan named at length (a Stripe price's nickname may be a sentence)
/// is whole in the plans table on a phone, on as many lines as it takes,
/// and its MRR stays in view beside it; the demo's names keep one line.
#[test]
fn a_long_plan_name_is_whole_and_its_mrr_in_view_on_a_phone() {
    const TAIL: &str = " Annual (2024 pricing, EU)";
    run(|server, b| async move {
        let mut meta = dist_json("api/v1/meta.json");
        let short: Vec<String> = meta["plans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect();
        let read = "const wrap = document.querySelector('[data-panel=revenue-plans] .table-wrap');
             const links = [...document.querySelectorAll('[data-panel=revenue-plans] .rev-plan-link')];
             if (!wrap || !links.length) return null;
             const right = wrap.getBoundingClientRect().right;
             return links.map(a => {
                 const mrr = a.closest('tr').querySelector('td.num');
                 return [a.textContent, a.scrollWidth <= a.clientWidth,
                     a.getBoundingClientRect().height,
                     mrr.getBoundingClientRect().right <= right + 0.5];
             })";
        b.client.set_window_size(390, 844).await.unwrap();
        b.goto(&server.url("?view=revenue")).await;
        let demo: Vec<(String, bool, f64, bool)> =
            serde_json::from_value(b.wait_for("the demo's plans", read).await).unwrap();
        let names: Vec<&String> = demo.iter().map(|p| &p.0).collect();
        assert_eq!(names, short.iter().collect::<Vec<_>>());
        let line = demo.iter().map(|p| p.2).fold(f64::MAX, f64::min);
        for (name, whole, height, mrr_seen) in &demo {
            assert!(
                *whole && *mrr_seen && *height < line + 1.0,
                "{name}: {demo:?}"
            );
        }
        for p in meta["plans"].as_array_mut().unwrap() {
            p["name"] = json!(format!("{}{TAIL}", p["name"].as_str().unwrap()));
        }
        server.fault("api/v1/meta.json", Fault::Body(meta.to_string()));
        b.goto(&server.url("?view=revenue")).await;
        let long: Vec<(String, bool, f64, bool)> =
            serde_json::from_value(b.wait_for("the long plans", read).await).unwrap();
        assert_eq!(long.len(), short.len());
        for ((name, whole, height, mrr_seen), short) in long.iter().zip(&short) {
            assert_eq!(name, &format!("{short}{TAIL}"));
            assert!(whole, "{name} cut: {long:?}");
            assert!(mrr_seen, "{name}: its MRR out of view: {long:?}");
            assert!(*height > line + 10.0, "{name} on one line: {long:?}");
        }
        b.client.set_window_size(1280, 900).await.unwrap();
        b
    });
}
