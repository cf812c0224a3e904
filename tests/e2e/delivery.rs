//! The Delivery view against the demo days 2016-08-03 (the bad day) and
//! 2016-08-29 (after the fix). Every expected figure is summed here from
//! the same delivery documents the server serves; the charts are checked
//! through their hover, their drag and click, and their canvas pixels.

use super::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub(crate) const BAD: &str = "2016-08-03";
pub(crate) const GOOD: &str = "2016-08-29";
pub(crate) const MINUTES: &str = "[data-panel=delivery-minutes] .chart";

/// Sums of a delivery document over some series and minutes.
#[derive(Clone, Debug)]
pub(crate) struct Sums {
    pub(crate) sent: u64,
    pub(crate) failed: u64,
    within_60: u64,
    pub(crate) late_90: u64,
    /// Summed bucket counts.
    hist: Vec<u64>,
    bounds: Vec<f64>,
}

impl Sums {
    fn share(&self) -> f64 {
        self.within_60 as f64 / self.sent as f64
    }

    /// The quantile `q` by the contract's rule, as the hook writes it
    /// (`ge:N` in the open bucket, else seconds).
    fn quantile(&self, q: f64) -> Result<f64, String> {
        let n: u64 = self.hist.iter().sum();
        let rank = q * n as f64;
        let mut before = 0u64;
        for (i, &c) in self.hist.iter().enumerate() {
            if c > 0 && (before + c) as f64 >= rank {
                if i == self.bounds.len() {
                    return Err(format!("ge:{}", self.bounds[i - 1]));
                }
                let lower = if i == 0 { 0.0 } else { self.bounds[i - 1] };
                let upper = self.bounds[i];
                return Ok(lower + (rank - before as f64) / c as f64 * (upper - lower));
            }
            before += c;
        }
        Err("n/a".into())
    }
}

pub(crate) fn doc(day: &str) -> Value {
    dist_json(&format!("api/v1/delivery/{day}.json"))
}

/// Sums of the series `keep(network, media)` selects, minutes `from..=to`.
pub(crate) fn sums(day: &str, keep: impl Fn(&str, &str) -> bool, from: usize, to: usize) -> Sums {
    let d = doc(day);
    let bounds: Vec<f64> = d["bounds_s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_f64().unwrap())
        .collect();
    let b = bounds.len() + 1;
    let edge = |s: f64| bounds.iter().position(|x| *x == s).unwrap();
    let (e60, e90) = (edge(60.0), edge(90.0));
    let mut hist = vec![0u64; b];
    let mut failed = 0;
    for s in d["series"].as_array().unwrap() {
        if !keep(s["network"].as_str().unwrap(), s["media"].as_str().unwrap()) {
            continue;
        }
        let counts = s["counts"].as_array().unwrap();
        for m in from..=to {
            for (k, h) in hist.iter_mut().enumerate() {
                *h += counts[m * b + k].as_u64().unwrap();
            }
            if let Some(f) = s.get("failed").and_then(Value::as_array) {
                failed += f[m].as_u64().unwrap();
            }
        }
    }
    Sums {
        sent: hist.iter().sum(),
        failed,
        // Bucket k holds [bounds[k-1], bounds[k]): d < 60 is buckets 0..=e60.
        within_60: hist[..=e60].iter().sum(),
        // d ≥ 90 is the buckets from the one starting at 90.
        late_90: hist[e90 + 1..].iter().sum(),
        hist,
        bounds,
    }
}

pub(crate) fn all(_: &str, _: &str) -> bool {
    true
}

/// Waits until the hook `name` reads `want`, then checks it.
pub(crate) async fn expect_kpi(b: &Browser, name: &str, want: &str) {
    let script = format!(
        "const e = document.querySelector('[data-kpi=\"' + CSS.escape({name:?}) + '\"]'); return e ? e.getAttribute('data-value') : null;"
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = Value::Null;
    while Instant::now() < deadline {
        last = b.js(&script, vec![]).await;
        if last == json!(want) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("kpi {name}: want {want:?}, page has {last}");
}

/// Equal but for the last of 15 significant digits (and the order of
/// float operations here and in the page).
fn close(page: f64, want: f64) -> bool {
    (page - want).abs() <= want.abs() * 1e-13 + 1e-12
}

/// Checks the figures of the selection against `s`.
async fn expect_figures(b: &Browser, prefix: &str, s: &Sums) {
    let name = |n: &str| format!("{prefix}{n}");
    expect_kpi(b, &name("posts_sent"), &s.sent.to_string()).await;
    expect_kpi(b, &name("posts_failed"), &s.failed.to_string()).await;
    expect_kpi(b, &name("late_90s_count"), &s.late_90.to_string()).await;
    // data-value keeps full precision (15 significant digits): it equals
    // the value computed here from the document, not a rounded one.
    let share: f64 = b.kpi(&name("within_60s_share")).await.parse().unwrap();
    assert!(
        close(share, s.share()),
        "{prefix}within_60s_share {share} vs {}",
        s.share()
    );
    for (hook, q) in [("p50_s", 0.5), ("p95_s", 0.95), ("p99_s", 0.99)] {
        let got = b.kpi(&name(hook)).await;
        match s.quantile(q) {
            Ok(v) => {
                let page: f64 = got.parse().unwrap_or(f64::NAN);
                assert!(close(page, v), "{prefix}{hook}: page {got}, sums {v}");
            }
            Err(raw) => assert_eq!(got, raw, "{prefix}{hook}"),
        }
    }
}

/// The value of `key` in the page's query string.
pub(crate) async fn param(b: &Browser, key: &str) -> Option<String> {
    let q = b.query().await;
    q.trim_start_matches('?')
        .split('&')
        .find_map(|p| p.strip_prefix(&format!("{key}=")).map(str::to_owned))
}

fn minute_of(hhmm: &str) -> usize {
    let (h, m) = hhmm.split_once(':').unwrap();
    h.parse::<usize>().unwrap() * 60 + m.parse::<usize>().unwrap()
}

/// Waits until the chart `css` has drawn at least once.
pub(crate) async fn wait_drawn(b: &Browser, css: &str) {
    b.wait_for(
        &format!("{css} drawn"),
        &format!("const c = document.querySelector({css:?}); return !!c && Number(c.dataset.draws || 0) > 0 && c.getBoundingClientRect().width > 100"),
    )
    .await;
}

/// Dispatches mouse events on the chart `css` at x fractions / CSS x
/// positions relative to the chart, at mid height.
const MOUSE_JS: &str = r#"
const [css, steps] = arguments;
const el = document.querySelector(css);
const r = el.getBoundingClientRect();
const y = r.top + r.height * 0.5;
// Mouse positions are whole CSS pixels, as from a real mouse.
let used = null;
for (const [type, x] of steps) {
    const clientX = Math.round(r.left + x);
    used = clientX - r.left;
    el.dispatchEvent(new MouseEvent(type, {
        bubbles: true, cancelable: true, view: window, button: 0, buttons: type === 'mouseup' ? 0 : 1,
        clientX, clientY: Math.round(y), detail: type === 'dblclick' ? 2 : 1,
    }));
}
const tip = el.querySelector('.chart-tooltip-title');
const cross = el.querySelector('.chart-crosshair');
const m = /translate\(([-\d.]+)px/.exec(cross ? cross.style.transform : '');
return { title: tip ? tip.textContent : null, cross: m ? Number(m[1]) : null, width: r.width, x: used,
         rows: Array.from(el.querySelectorAll('.chart-tooltip-row')).map(e => e.textContent) };
"#;

async fn mouse(b: &Browser, css: &str, steps: Value) -> Value {
    b.js(MOUSE_JS, vec![json!(css), steps]).await
}

/// A CSS x (relative to the chart, a whole pixel from its left edge, as
/// a mouse gives) that hovers `minute`, found through the hover: two
/// hovers give the linear map from minutes to the crosshair, then the
/// pixels around the estimate are tried. Returns it with the hover there.
async fn minute_x(b: &Browser, css: &str, minute: usize) -> (f64, Value) {
    let estimate = minute_estimate(b, css, minute).await;
    let mut seen = Vec::new();
    for offset in [0.0, -1.0, 1.0, -2.0, 2.0] {
        let hovered = mouse(b, css, json!([["mousemove", estimate + offset]])).await;
        if hovered["title"].as_str().map(minute_of) == Some(minute) {
            return (hovered["x"].as_f64().unwrap(), hovered);
        }
        seen.push(hovered["title"].clone());
    }
    panic!("no pixel near {estimate} hovers minute {minute}: {seen:?}");
}

/// The CSS x of the centre of `minute`'s slot, from two hovers, once a
/// hover shows the chart's tooltip (its hover code may come a moment
/// after its first draw, as a person moving the mouse would see).
async fn minute_estimate(b: &Browser, css: &str, minute: usize) -> f64 {
    let width = mouse(b, css, json!([])).await["width"].as_f64().unwrap();
    for _ in 0..100 {
        if mouse(b, css, json!([["mousemove", width * 0.5]])).await["title"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let at = |v: &Value| -> (f64, f64) {
        (
            minute_of(v["title"].as_str().unwrap()) as f64,
            v["cross"].as_f64().unwrap(),
        )
    };
    let (m1, x1) = at(&mouse(b, css, json!([["mousemove", width * 0.3]])).await);
    let (m2, x2) = at(&mouse(b, css, json!([["mousemove", width * 0.8]])).await);
    x1 + (x2 - x1) / (m2 - m1) * (minute as f64 - m1)
}
#[test]
fn figures_of_both_demo_days() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        let bad = sums(BAD, all, 0, 1439);
        expect_figures(&b, "", &bad).await;
        assert!(b.kpi_text("within_60s_share").await.contains(" %"));
        let headline = b
            .wait_for(
                "the headline",
                "return document.querySelector('[data-headline]')?.dataset.headline",
            )
            .await;
        let spike = sums(BAD, all, 480, 480);
        assert_eq!(spike.late_90, 1207);
        assert_eq!(
            headline,
            json!("1,207 posts due at 08:00 went out 90 s or more late")
        );
        // Every chart panel offers its numbers and a PNG.
        for panel in ["delivery-minutes", "delivery-heatmap", "delivery-quantiles"] {
            for action in ["table", "csv", "png"] {
                b.wait_for(
                    &format!("{panel} {action}"),
                    &format!("return !!document.querySelector('[data-panel={panel}] [data-action={action}]')"),
                )
                .await;
            }
        }
        // The quantiles table: one row per 5 minutes of the day.
        b.click("[data-panel=delivery-quantiles] [data-action=table]")
            .await;
        let rows = b
            .wait_for(
                "the quantiles table",
                "return document.querySelectorAll('[data-panel=delivery-quantiles] table tbody tr').length",
            )
            .await;
        assert_eq!(rows, json!(288));

        // The good day, through the day picker.
        b.pick("day", GOOD).await;
        let good = sums(GOOD, all, 0, 1439);
        assert_eq!((good.within_60, good.sent), (14_314, 14_792));
        expect_kpi(&b, "within_60s_share", "0.967685235262304").await;
        expect_figures(&b, "", &good).await;
        assert_eq!(param(&b, "day").await.as_deref(), Some(GOOD));
        b
    });
}

#[test]
fn window_and_media_filter() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}&from=08:00&to=08:00")))
            .await;
        expect_kpi(&b, "late_90s_count", "1207").await;
        let spike = sums(BAD, all, 480, 480);
        assert_eq!(spike.sent, 9171);
        expect_figures(&b, "", &spike).await;
        // 08:01–08:02: 284 + 177 posts sent 60 s or more late.
        b.goto(&server.url(&format!("?view=delivery&day={BAD}&from=08:01&to=08:02")))
            .await;
        let after = sums(BAD, all, 481, 482);
        assert_eq!(after.sent - after.within_60, 284 + 177);
        expect_figures(&b, "", &after).await;

        // A media filter from the address…
        b.goto(&server.url(&format!("?view=delivery&day={BAD}&media=video")))
            .await;
        let video = sums(BAD, |_, m| m == "video", 0, 1439);
        expect_figures(&b, "", &video).await;
        // …and from the toggles: add image.
        b.click("[data-filter=media][data-value=image]").await;
        let both = sums(BAD, |_, m| m == "video" || m == "image", 0, 1439);
        expect_kpi(&b, "posts_sent", &both.sent.to_string()).await;
        expect_figures(&b, "", &both).await;
        assert_eq!(param(&b, "media").await.as_deref(), Some("video,image"));

        // A breakdown row narrows to its series; clicking it again clears.
        b.click("[data-panel=delivery-breakdown] tr[data-row='twitter/video']")
            .await;
        let tv = sums(BAD, |n, m| n == "twitter" && m == "video", 0, 1439);
        expect_kpi(&b, "posts_sent", &tv.sent.to_string()).await;
        expect_figures(&b, "", &tv).await;
        assert_eq!(param(&b, "net").await.as_deref(), Some("twitter"));
        assert_eq!(param(&b, "media").await.as_deref(), Some("video"));
        b.click("[data-panel=delivery-breakdown] tr[data-row='twitter/video']")
            .await;
        expect_kpi(&b, "posts_sent", &sums(BAD, all, 0, 1439).sent.to_string()).await;
        assert_eq!(param(&b, "net").await, None);

        // The window inputs.
        b.js(
            "const i = document.querySelector('[data-picker=from]'); i.value = '08:00'; i.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![],
        )
        .await;
        b.js(
            "const i = document.querySelector('[data-picker=to]'); i.value = '08:00'; i.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![],
        )
        .await;
        expect_kpi(&b, "late_90s_count", "1207").await;
        assert_eq!(param(&b, "from").await.as_deref(), Some("08:00"));
        b.click("[data-action=reset-zoom]").await;
        expect_kpi(
            &b,
            "late_90s_count",
            &sums(BAD, all, 0, 1439).late_90.to_string(),
        )
        .await;
        assert_eq!(param(&b, "from").await, None);
        b
    });
}

#[test]
fn compare_day_beside_the_figures() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}&compare={GOOD}")))
            .await;
        let bad = sums(BAD, all, 0, 1439);
        let good = sums(GOOD, all, 0, 1439);
        expect_figures(&b, "", &bad).await;
        expect_figures(&b, "compare:", &good).await;
        expect_kpi(&b, "compare:within_60s_share", "0.967685235262304").await;
        // The difference is shown: fewer late posts on the compare day.
        let late = b.kpi_text("late_90s_count").await;
        let diff = bad.late_90 as i64 - good.late_90 as i64;
        assert!(late.contains(&format!("+{}", group(diff))), "{late}");
        assert!(late.contains("vs 29 Aug"), "{late}");
        // The minutes chart draws the compare day's outline (legend).
        let legend = b
            .wait_for(
                "the compare legend",
                "return document.querySelector('[data-panel=delivery-minutes] .legend')?.textContent",
            )
            .await;
        assert!(legend.as_str().unwrap().contains("Mon 29 Aug"), "{legend}");

        // Turning it off through the picker.
        b.pick("compare", "").await;
        b.wait_for(
            "the compare figures to go",
            "return !document.querySelector('[data-kpi^=\"compare:\"]')",
        )
        .await;
        assert_eq!(param(&b, "compare").await, None);

        b
    });
}

#[test]
fn days_the_dataset_lacks_are_reported_and_replaced() {
    run(|server, b| async move {
        // Not in `delivery_days`: a notice, and the latest day instead.
        b.goto(&server.url("?view=delivery&day=2015-01-01&compare=2015-01-02"))
            .await;
        let notice = b
            .wait_for(
                "the notice",
                "return document.querySelector('.notices')?.textContent",
            )
            .await;
        assert!(
            notice
                .as_str()
                .unwrap()
                .contains("no delivery data for 2015-01-01"),
            "{notice}"
        );
        let picked = b
            .wait_for(
                "the day picker",
                "return document.querySelector('[data-picker=day]')?.value",
            )
            .await;
        assert_eq!(picked, json!("2016-08-31"));
        expect_kpi(
            &b,
            "posts_sent",
            &sums("2016-08-31", all, 0, 1439).sent.to_string(),
        )
        .await;
        assert_eq!(param(&b, "day").await, None);
        assert_eq!(param(&b, "compare").await, None);
        b
    });
}

#[test]
fn the_first_documents_are_requested_once_and_before_the_app_mounts() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        let day = sums(BAD, all, 0, 1439);
        expect_kpi(&b, "posts_sent", &day.sent.to_string()).await;
        let requests = server.requests();
        for doc in [
            "config.json".to_owned(),
            "api/v1/meta.json".to_owned(),
            format!("api/v1/delivery/{BAD}.json"),
        ] {
            let served = requests.iter().filter(|r| r.ends_with(&doc)).count();
            assert_eq!(served, 1, "{doc} served {served} times: {requests:?}");
        }
        // The app's own marks: the day was asked for before the app
        // mounted, and the app mounted before it parsed the day.
        let fetch = b.mark(&format!("pulse:fetch delivery/{BAD}.json")).await;
        let mounted = b.mark("pulse:mounted").await;
        let parsed = b.mark(&format!("pulse:parsed delivery/{BAD}.json")).await;
        let (Some(fetch), Some(mounted), Some(parsed)) = (fetch, mounted, parsed) else {
            panic!("missing marks: fetch {fetch:?}, mounted {mounted:?}, parsed {parsed:?}");
        };
        assert!(
            fetch < mounted,
            "day requested at {fetch} ms, app mounted at {mounted} ms"
        );
        assert!(
            mounted <= parsed,
            "app mounted at {mounted} ms, day parsed at {parsed} ms"
        );
        b
    });
}

#[test]
fn the_first_chart_is_drawn_before_the_rest_of_the_code_is_requested() {
    run(|server, b| async move {
        // At a phone's speed (the audit's 6 x slower CPU), where the first
        // paint is reported late.
        b.slow_cpu(6.0).await;
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        // The page preloads no part of the module: its loader picks the
        // first part of the view the address opens (one per view, and
        // one per layout of the Queue); the panels built after the first
        // chart need the second part.
        let html = std::fs::read_to_string(crate::dist().join("index.html")).expect("index.html");
        assert!(!html.contains(".wasm"), "index.html: {html}");
        let loader = html
            .split("src=\"./")
            .filter_map(|s| s.split('"').next())
            .find(|s| s.starts_with("start-") && s.ends_with(".js"))
            .unwrap_or_else(|| panic!("no start-*.js in index.html: {html}"));
        let loader = std::fs::read_to_string(crate::dist().join(loader)).expect("the loader");
        assert_eq!(loader.matches("_bg.wasm").count(), 5, "{loader}");
        b.wait_for(
            "the heatmap, built after the rest of the code is in",
            "return document.querySelector('[data-panel=delivery-heatmap] canvas') !== null",
        )
        .await;
        let times = b
            .js(
                "const drawn = performance.getEntriesByType('mark').filter(m => m.name.startsWith('pulse:drawn'));                 const rest = performance.getEntriesByType('resource').filter(e => e.name.endsWith('_rest.wasm'));                 const paint = performance.getEntriesByName('first-contentful-paint')[0];                 return [drawn.length ? drawn[0].startTime : null, rest.map(e => e.startTime), paint ? paint.startTime : null];",
                vec![],
            )
            .await;
        let drawn = times[0].as_f64().expect("a pulse:drawn mark");
        let rest: Vec<f64> = times[1]
            .as_array()
            .expect("resource times")
            .iter()
            .filter_map(|t| t.as_f64())
            .collect();
        assert_eq!(rest.len(), 1, "the second module requested {rest:?}");
        assert!(
            rest[0] >= drawn,
            "second module requested at {} ms, first chart drawn at {drawn} ms",
            rest[0]
        );
        // ... and after the browser reported the first content painted:
        // its download never holds back the page's first paint.
        let painted = times[2].as_f64().expect("a first-contentful-paint entry");
        assert!(
            rest[0] >= painted,
            "second module requested at {} ms, first content painted at {painted} ms",
            rest[0]
        );
        let served = server
            .requests()
            .iter()
            .filter(|r| r.ends_with("_rest.wasm"))
            .count();
        assert_eq!(served, 1, "second module served {served} times");
        b
    });
}

#[test]
fn the_controls_and_lower_panels_follow_the_first_chart_without_moving_it() {
    run(|server, b| async move {
        // The second module arrives late: the first view is complete
        // without it but for the parts built after the first chart.
        for rest in crate::faults::second_modules() {
            server.fault(&rest, Fault::Delay(Duration::from_millis(2000)));
        }
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        let day = sums(BAD, all, 0, 1439);
        expect_kpi(&b, "posts_sent", &day.sent.to_string()).await;
        b.wait_for(
            "the first chart",
            "return performance.getEntriesByType('mark').some(m => m.name.startsWith('pulse:drawn'))",
        )
        .await;
        let layout = "const top = (s) => { const e = document.querySelector(s); return e ? Math.round(e.getBoundingClientRect().top) : null; };             return { chart: top('[data-panel=delivery-minutes] canvas'), kpis: top('[data-panel=delivery-kpis] .kpi'),               picker: !!document.querySelector('[data-picker=day]'), heatmap: !!document.querySelector('[data-panel=delivery-heatmap]'),               png: !!document.querySelector('[data-panel=delivery-minutes] [data-action=png]'),               placeholders: ['dfilters', 'pickers', 'later-panels', 'panel-controls'].map(p => document.querySelectorAll('.' + p + '-placeholder').length) };";
        let before = b.js(layout, vec![]).await;
        assert_eq!(before["picker"], json!(false), "{before}");
        assert_eq!(before["heatmap"], json!(false), "{before}");
        assert_eq!(before["png"], json!(false), "{before}");
        // The filter bar, the pickers, the lower panels and the two
        // panels' buttons hold their places meanwhile.
        assert_eq!(before["placeholders"], json!([1, 1, 1, 2]), "{before}");
        b.wait_for(
            "the pickers, the heatmap and the chart's buttons",
            "return !!document.querySelector('[data-picker=day]') && !!document.querySelector('[data-panel=delivery-heatmap] canvas')                 && !!document.querySelector('[data-panel=delivery-minutes] [data-action=png]') && !document.querySelector('.later-panels-placeholder')",
        )
        .await;
        let after = b.js(layout, vec![]).await;
        assert_eq!(after["placeholders"], json!([0, 0, 0, 0]), "{after}");
        for part in ["chart", "kpis"] {
            let (was, is) = (before[part].as_f64(), after[part].as_f64());
            assert!(
                matches!((was, is), (Some(w), Some(i)) if (w - i).abs() <= 2.0),
                "{part} moved from {was:?} to {is:?}"
            );
        }
        b
    });
}

#[test]
fn nothing_moves_when_the_rest_arrives_at_any_width() {
    run(|server, b| async move {
        b.before_every_page(crate::places::SHIFTS).await;
        let pages = [
            (
                format!("?view=delivery&day={BAD}"),
                "[data-panel=delivery-breakdown] table",
            ),
            (
                format!("?view=delivery&day={BAD}&compare={GOOD}"),
                "[data-kpi='compare:p50_s']",
            ),
        ];
        let mut moved = Vec::new();
        for (width, height) in [(390, 844), (600, 900), (1024, 768), (1280, 900)] {
            b.client.set_window_size(width, height).await.unwrap();
            for (query, complete) in &pages {
                b.goto(&server.url(query)).await;
                b.wait_for(
                    "the whole view",
                    &format!("return !!document.querySelector({complete:?})"),
                )
                .await;
                tokio::time::sleep(Duration::from_millis(800)).await;
                // What is built after the first paint fills the places
                // held for it (the places follow the demo's filter bar;
                // where it wraps differently a few pixels move).
                moved.extend(crate::places::shifted(&b, &format!("{query} at {width} px")).await);
            }
        }
        b.client.set_window_size(1280, 900).await.unwrap();
        assert!(moved.is_empty(), "layout shifts:\n{}", moved.join("\n"));
        b
    });
}

#[test]
fn the_pickers_come_while_a_slow_day_is_still_loading() {
    run(|server, b| async move {
        server.fault(&format!("api/v1/delivery/{BAD}.json"), Fault::Hang);
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        // Long before the request times out, another day can be chosen.
        b.wait_for_within(
            "the day picker while the day is loading",
            "return !!document.querySelector('[data-picker=day]')",
            Duration::from_secs(5),
        )
        .await;
        b.js(
            &format!("const p = document.querySelector('[data-picker=day]'); p.value = '{GOOD}'; p.dispatchEvent(new Event('change', {{bubbles: true}}));"),
            vec![],
        )
        .await;
        let good = sums(GOOD, all, 0, 1439);
        expect_kpi(&b, "posts_sent", &good.sent.to_string()).await;
        assert!(b.query().await.contains(&format!("day={GOOD}")));
        b
    });
}

#[test]
fn a_new_window_reslices_without_refetching() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        let day = sums(BAD, all, 0, 1439);
        expect_kpi(&b, "posts_sent", &day.sent.to_string()).await;
        let fetches = format!(
            "return performance.getEntriesByType('resource').filter(e => e.name.endsWith('delivery/{BAD}.json')).length"
        );
        assert_eq!(b.js(&fetches, vec![]).await, json!(1));
        // The window's pickers are built once the first chart is painted.
        b.wait_for(
            "the window pickers",
            "return !!document.querySelector('[data-picker=from]') && !!document.querySelector('[data-picker=to]')",
        )
        .await;
        for (from, to) in [("08:00", "08:00"), ("07:30", "09:30"), ("12:00", "12:59")] {
            b.js(
                &format!("const i = document.querySelector('[data-picker=to]'); i.value = '23:59'; i.dispatchEvent(new Event('change', {{bubbles: true}})); const f = document.querySelector('[data-picker=from]'); f.value = '{from}'; f.dispatchEvent(new Event('change', {{bubbles: true}}));"),
                vec![],
            )
            .await;
            b.js(
                &format!("const i = document.querySelector('[data-picker=to]'); i.value = '{to}'; i.dispatchEvent(new Event('change', {{bubbles: true}}));"),
                vec![],
            )
            .await;
            let w = sums(BAD, all, minute_of(from), minute_of(to));
            expect_kpi(&b, "posts_sent", &w.sent.to_string()).await;
        }
        assert_eq!(
            b.js(&fetches, vec![]).await,
            json!(1),
            "the day was fetched again"
        );
        let served = server
            .requests()
            .into_iter()
            .filter(|r| r.ends_with(&format!("delivery/{BAD}.json")))
            .count();
        assert_eq!(served, 1);
        b
    });
}

pub(crate) fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn drag_zooms_and_double_click_resets() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        let day = sums(BAD, all, 0, 1439);
        expect_kpi(&b, "posts_sent", &day.sent.to_string()).await;
        wait_drawn(&b, MINUTES).await;
        // Drag from 07:00 to 10:00.
        let x0 = minute_estimate(&b, MINUTES, 420).await;
        let x1 = minute_estimate(&b, MINUTES, 600).await;
        mouse(
            &b,
            MINUTES,
            json!([
                ["mousedown", x0],
                ["mousemove", (x0 + x1) / 2.0],
                ["mousemove", x1],
                ["mouseup", x1]
            ]),
        )
        .await;
        b.wait_for(
            "from in the address",
            "return location.search.includes('from=')",
        )
        .await;
        let from = minute_of(&param(&b, "from").await.unwrap());
        let to = minute_of(&param(&b, "to").await.unwrap());
        assert!((418..=422).contains(&from), "from {from}");
        assert!((598..=602).contains(&to), "to {to}");
        let zoomed = sums(BAD, all, from, to);
        assert_ne!(zoomed.sent, day.sent);
        expect_figures(&b, "", &zoomed).await;
        // The chart redraws on the window: 07:00–10:00 now spans it.
        wait_drawn(&b, MINUTES).await;
        b.wait_for(
            "the zoomed chart",
            &format!("const c = document.querySelector({MINUTES:?}); return c && c.getAttribute('aria-label') && Number(c.dataset.draws) > 0"),
        )
        .await;
        let (x8, hovered) = minute_x(&b, MINUTES, 480).await;
        assert!(x8 > 0.0);
        let rows = hovered["rows"].to_string();
        assert!(rows.contains("1,207"), "{rows}");

        // Double-click: the whole day again.
        mouse(&b, MINUTES, json!([["dblclick", x8]])).await;
        b.wait_for(
            "the window to clear",
            "return !location.search.includes('from=')",
        )
        .await;
        expect_kpi(&b, "posts_sent", &day.sent.to_string()).await;

        // A drag on the heatmap zooms too; "Reset zoom" clears it.
        let heat = "[data-panel=delivery-heatmap] .chart";
        wait_drawn(&b, heat).await;
        // The heatmap's tooltip: the bucket's range, count and share.
        let (_, cell) = minute_x(&b, heat, 480).await;
        let rows = cell["rows"].to_string();
        assert!(
            rows.contains("Posts · ") && rows.contains("Share · "),
            "{rows}"
        );
        assert!(rows.contains(" s ") && rows.contains('%'), "{rows}");
        let h0 = minute_estimate(&b, heat, 700).await;
        let h1 = minute_estimate(&b, heat, 760).await;
        mouse(
            &b,
            heat,
            json!([["mousedown", h0], ["mousemove", h1], ["mouseup", h1]]),
        )
        .await;
        b.wait_for(
            "from in the address",
            "return location.search.includes('from=')",
        )
        .await;
        let from = minute_of(&param(&b, "from").await.unwrap());
        let to = minute_of(&param(&b, "to").await.unwrap());
        expect_kpi(&b, "posts_sent", &sums(BAD, all, from, to).sent.to_string()).await;
        b.click("[data-action=reset-zoom]").await;
        expect_kpi(&b, "posts_sent", &day.sent.to_string()).await;
        b
    });
}

#[test]
fn clicking_the_eight_o_clock_bar_opens_the_queue() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        wait_drawn(&b, MINUTES).await;
        let (x, hovered) = minute_x(&b, MINUTES, 480).await;
        assert_eq!(hovered["title"], json!("08:00"));
        mouse(&b, MINUTES, json!([["mousedown", x], ["mouseup", x]])).await;
        b.wait_for("the queue", "return location.search.includes('view=queue')")
            .await;
        let q = b.query().await;
        assert!(
            q.contains("view=queue&day=2016-08-03&hour=08&minute=00&sort=-delay"),
            "{q}"
        );
        b.wait_for(
            "the queue list",
            "return !!document.querySelector('[data-panel=queue-list]')",
        )
        .await;
        b
    });
}

/// Reads the pixels of the minutes chart's data canvas: the column of
/// `minute` and the colours the theme gives the classes.
const PIXELS_JS: &str = r#"
const [css, xs] = arguments;
const chart = document.querySelector(css);
const canvas = chart.querySelector('canvas[data-layer=data]');
const ctx = canvas.getContext('2d');
const probe = document.createElement('canvas').getContext('2d');
const rgb = (c) => { probe.fillStyle = '#000'; probe.fillStyle = c.trim(); const h = probe.fillStyle;
  return [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16)); };
const style = getComputedStyle(chart);
const colours = {};
for (const k of ['ok', 'warn', 'late', 'failed', 'grid']) colours[k] = rgb(style.getPropertyValue('--chart-' + k));
let bg = style.getPropertyValue('--chart-bg').trim() ? rgb(style.getPropertyValue('--chart-bg')) : null;
for (let e = chart; e && !bg; e = e.parentElement) {
  const c = getComputedStyle(e).backgroundColor;
  const m = /rgba?\(([^)]+)\)/.exec(c);
  if (m) { const p = m[1].split(',').map(Number); if (p.length < 4 || p[3] > 0) bg = p.slice(0, 3); }
}
const dpr = canvas.width / chart.getBoundingClientRect().width;
const columns = xs.map(x => {
  const px = Math.floor(x * dpr);
  const d = ctx.getImageData(px, 0, 1, canvas.height).data;
  const out = [];
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] === 255) out.push([d[i], d[i + 1], d[i + 2]]);
  return out;
});
return { colours, bg, columns };
"#;

fn same(a: &Value, b: &Value) -> bool {
    a == b
}

#[test]
fn minutes_chart_pixels_show_the_late_posts() {
    run(|server, b| async move {
        let day = doc(BAD);
        // A minute with no posts whose neighbours have none either, so
        // its pixel column holds no bar at any width.
        let b_count = day["bounds_s"].as_array().unwrap().len() + 1;
        let total = |m: usize| -> u64 {
            day["series"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    let c = s["counts"].as_array().unwrap();
                    let sent: u64 = (0..b_count)
                        .map(|k| c[m * b_count + k].as_u64().unwrap())
                        .sum();
                    let failed = s
                        .get("failed")
                        .and_then(Value::as_array)
                        .map_or(0, |f| f[m].as_u64().unwrap());
                    sent + failed
                })
                .sum()
        };
        let empty = (1..1439)
            .find(|&m| (m - 1..=m + 1).all(|k| total(k) == 0))
            .expect("a quiet minute in the demo day");
        for theme in ["light", "dark"] {
            b.goto(&server.url(&format!("?view=delivery&day={BAD}&theme={theme}")))
                .await;
            wait_drawn(&b, MINUTES).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            // The slot centre of 08:00 (the crosshair there), and of the
            // quiet minute.
            let (_, hovered) = minute_x(&b, MINUTES, 480).await;
            let centre = hovered["cross"].as_f64().unwrap();
            let x_empty = minute_estimate(&b, MINUTES, empty).await;
            let px = b
                .js(
                    PIXELS_JS,
                    vec![
                        json!(MINUTES),
                        json!([centre - 1.0, centre, centre + 1.0, x_empty]),
                    ],
                )
                .await;
            let colours = &px["colours"];
            let bg = &px["bg"];
            let data = |p: &&Value| {
                ["ok", "warn", "late", "failed"]
                    .iter()
                    .any(|k| same(p, &colours[*k]))
            };
            // The 08:00 bar is the tallest: the column beside the centre
            // with the most bar pixels (pixel rounding may shift it by one).
            let peak = (0..3)
                .map(|i| px["columns"][i].as_array().unwrap())
                .max_by_key(|c| c.iter().filter(data).count())
                .unwrap();
            let quiet = px["columns"][3].as_array().unwrap();
            assert!(
                peak.len() > 100,
                "{theme}: the plot is {} px tall",
                peak.len()
            );
            let late = peak.iter().filter(|p| same(p, &colours["late"])).count();
            let ok = peak.iter().filter(|p| same(p, &colours["ok"])).count();
            // 1,207 of ~10,000 posts on the axis: about a tenth of the plot.
            assert!(
                late * 20 > peak.len(),
                "{theme}: {late} late pixels of {}",
                peak.len()
            );
            assert!(ok > late, "{theme}: {ok} ok pixels, {late} late");
            for class in ["ok", "warn", "late", "failed"] {
                assert!(
                    !quiet.iter().any(|p| same(p, &colours[class])),
                    "{theme}: {class} colour at {empty} (no posts)"
                );
            }
            let background = quiet.iter().filter(|p| same(p, bg)).count();
            assert!(
                background * 10 >= quiet.len() * 9,
                "{theme}: {background} of {} pixels are background {bg}",
                quiet.len()
            );
        }
        b
    });
}

/// A network named at length, as a team's own log may name one, is whole
/// in the breakdown on a phone (where its column is narrow and stays in
/// view), on as many lines as it takes; short names keep their one line.
#[test]
fn a_long_network_name_is_whole_in_the_breakdown_on_a_phone() {
    const LONG: &str = "facebook-pages-and-groups-international";
    run(|server, b| async move {
        let rename = |v: &mut Value| {
            if v == "linkedin" {
                *v = json!(LONG);
            }
        };
        let mut meta = dist_json("api/v1/meta.json");
        meta["networks"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .for_each(rename);
        let mut day = doc(BAD);
        for s in day["series"].as_array_mut().unwrap() {
            rename(&mut s["network"]);
        }
        server.fault("api/v1/meta.json", Fault::Body(meta.to_string()));
        server.fault(
            &format!("api/v1/delivery/{BAD}.json"),
            Fault::Body(day.to_string()),
        );
        for width in [390, 600] {
            b.client.set_window_size(width, 844).await.unwrap();
            b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
                .await;
            let names = b
                .wait_for(
                    "the breakdown's names",
                    "const th = [...document.querySelectorAll(
                         '[data-panel=delivery-breakdown] tbody th')];
                     return th.length ? th.map(e => [e.textContent,
                         e.scrollWidth <= e.clientWidth,
                         e.getBoundingClientRect().height]) : null",
                )
                .await;
            let names: Vec<(String, bool, f64)> = serde_json::from_value(names).unwrap();
            let long: Vec<_> = names.iter().filter(|n| n.0 == LONG).collect();
            assert_eq!(long.len(), 4, "{names:?}");
            let cut: Vec<_> = names.iter().filter(|n| !n.1).collect();
            assert!(cut.is_empty(), "names cut at {width} px: {cut:?}");
            let one_line = names.iter().map(|n| n.2).fold(f64::MAX, f64::min);
            for (name, _, height) in &names {
                if name == LONG {
                    assert!(
                        *height > one_line + 10.0,
                        "{name}: {height} px at {width} px"
                    );
                } else {
                    assert!(
                        *height < one_line + 1.0,
                        "{name}: {height} px at {width} px"
                    );
                }
            }
        }
        b.client.set_window_size(1280, 900).await.unwrap();
        b
    });
}
