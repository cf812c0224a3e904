//! Charts without a mouse: the Delivery minute chart and the Revenue
//! charts driven by keys (trusted key events to the focused chart) and by
//! touch events, read through the crosshair, the tooltip, the live region,
//! the address and the figures; and each chart's one-sentence
//! description, kept current as a filter changes. Every expected figure
//! is summed here from the documents the server serves.

use super::delivery::{all, doc, expect_kpi, param, sums, wait_drawn, BAD, MINUTES};
use super::*;
use serde_json::{json, Value};
use std::time::Duration;

/// What the chart `css` shows: the tooltip's title and rows, the
/// crosshair's x, the live region's text, whether the crosshair shows,
/// the focus and its ring, and the selection.
const STATE_JS: &str = r#"
const [css] = arguments;
const el = document.querySelector(css);
const q = (s) => el.querySelector(s);
const cross = q('.chart-crosshair');
const m = /translate\(([-\d.]+)px/.exec(cross ? cross.style.transform : '');
const style = getComputedStyle(el);
return {
  title: q('.chart-tooltip-title') ? q('.chart-tooltip-title').textContent : null,
  rows: Array.from(el.querySelectorAll('.chart-tooltip-row')).map(e => e.textContent),
  shown: !!cross && cross.style.display === 'block' && q('.chart-tooltip').style.display === 'block',
  cross: m ? Number(m[1]) : null,
  live: q('.chart-live') ? q('.chart-live').textContent : null,
  focused: document.activeElement === el,
  ring: el.matches(':focus-visible') ? style.outlineStyle + ' ' + style.outlineWidth : null,
  selecting: q('.chart-selection').style.display === 'block',
};
"#;

async fn state(b: &Browser, css: &str) -> Value {
    b.js(STATE_JS, vec![json!(css)]).await
}

/// Focuses the chart `css` once it has drawn and takes keys.
async fn focus(b: &Browser, css: &str) {
    wait_drawn(b, css).await;
    b.wait_for(
        "the chart to take keys",
        &format!("return document.querySelector({css:?}).getAttribute('tabindex') === '0'"),
    )
    .await;
    b.js(
        "document.querySelector(arguments[0]).focus()",
        vec![json!(css)],
    )
    .await;
}

/// Presses `key` and waits until the tooltip's title is `want`.
async fn press_to(b: &Browser, css: &str, key: &str, shift: bool, want: &str) -> Value {
    b.press(key, shift).await;
    let script = format!(
        "const t = document.querySelector({css:?} + ' .chart-tooltip-title'); return t && t.textContent === {want:?}"
    );
    b.wait_for(&format!("{key} to show {want}"), &script).await;
    state(b, css).await
}

fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn hhmm(minute: usize) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Posts due in each minute of `day` (sent and failed) of the series
/// `keep(network, media)` selects.
fn minute_totals(day: &str, keep: impl Fn(&str, &str) -> bool) -> Vec<u64> {
    let d = doc(day);
    let b = d["bounds_s"].as_array().unwrap().len() + 1;
    let mut totals = vec![0u64; 1440];
    for s in d["series"].as_array().unwrap() {
        if !keep(s["network"].as_str().unwrap(), s["media"].as_str().unwrap()) {
            continue;
        }
        let counts = s["counts"].as_array().unwrap();
        let failed = s.get("failed").and_then(Value::as_array);
        for (m, total) in totals.iter_mut().enumerate() {
            *total += (0..b)
                .map(|k| counts[m * b + k].as_u64().unwrap())
                .sum::<u64>();
            if let Some(f) = failed {
                *total += f[m].as_u64().unwrap();
            }
        }
    }
    totals
}

/// The Delivery minute chart's sentence for the whole of `day`.
fn minutes_sentence(day: &str, label: &str, keep: impl Fn(&str, &str) -> bool + Copy) -> String {
    let totals = minute_totals(day, keep);
    let (peak_at, peak) =
        totals.iter().enumerate().fold(
            (0, 0),
            |best, (m, t)| if *t > best.1 { (m, *t) } else { best },
        );
    let late = sums(day, keep, 0, 1439).late_90;
    format!(
        "Posts per due minute on {label}: peak {} at {}; {} posts 90 s or more late.",
        group(peak),
        hhmm(peak_at),
        group(late)
    )
}

/// The description of the chart `css` (through its `aria-describedby`),
/// once it is written.
async fn description(b: &Browser, css: &str) -> String {
    let script = format!(
        "const c = document.querySelector({css:?}); const id = c && c.getAttribute('aria-describedby'); const d = id && document.getElementById(id); return d && d.textContent"
    );
    b.wait_for(&format!("{css} described"), &script)
        .await
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn arrow_keys_step_the_crosshair_minute_by_minute_and_speak() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        wait_drawn(&b, MINUTES).await;
        // Keys come with the page's second part, after the first paint.
        b.wait_for(
            "the chart to take keys",
            &format!("return document.querySelector({MINUTES:?}).getAttribute('tabindex') === '0'"),
        )
        .await;
        let attrs = b
            .js(
                &format!("const c = document.querySelector({MINUTES:?}); return ['role', 'aria-roledescription', 'tabindex', 'aria-label'].map(a => c.getAttribute(a))"),
                vec![],
            )
            .await;
        assert_eq!(
            attrs,
            json!([
                "application",
                "chart",
                "0",
                "Posts per due minute by delay class"
            ])
        );
        focus(&b, MINUTES).await;
        let s = state(&b, MINUTES).await;
        assert_eq!(s["focused"], json!(true));
        // The focus ring shows.
        assert_eq!(s["ring"], json!("solid 2px"), "{s}");
        // Nothing is shown until a key moves the crosshair.
        assert_eq!(s["shown"], json!(false));

        let first = press_to(&b, MINUTES, "Home", false, "00:00").await;
        assert_eq!(first["shown"], json!(true));
        let next = press_to(&b, MINUTES, "ArrowRight", false, "00:01").await;
        assert!(
            next["cross"].as_f64().unwrap() > first["cross"].as_f64().unwrap(),
            "{first} then {next}"
        );
        press_to(&b, MINUTES, "ArrowRight", true, "00:11").await;
        press_to(&b, MINUTES, "ArrowLeft", false, "00:10").await;
        let last = press_to(&b, MINUTES, "End", false, "23:59").await;
        assert!(last["cross"].as_f64().unwrap() > next["cross"].as_f64().unwrap());
        // A step past the end stays there.
        press_to(&b, MINUTES, "ArrowRight", false, "23:59").await;

        // Back to 08:00 by tens and ones: the tooltip and the live region
        // read that minute's posts.
        press_to(&b, MINUTES, "Home", false, "00:00").await;
        for _ in 0..47 {
            b.press("ArrowRight", true).await;
        }
        let eight = press_to(&b, MINUTES, "ArrowRight", true, "08:00").await;
        let spike = sums(BAD, all, 480, 480);
        let rows = eight["rows"].to_string();
        assert!(
            rows.contains(&format!("≥ 90 s late {}", group(spike.late_90))),
            "{rows}"
        );
        let total = group(spike.sent + spike.failed);
        assert!(rows.contains(&format!("Total {total}")), "{rows}");
        let live = eight["live"].as_str().unwrap();
        assert!(live.starts_with("08:00: Failed "), "{live}");
        assert!(
            live.contains(&format!("≥ 90 s late {}", group(spike.late_90))),
            "{live}"
        );
        assert!(live.ends_with(&format!("Total {total}")), "{live}");

        // Keys a chart does not use stay the page's; focus leaving takes
        // the keyboard's crosshair away.
        b.js("document.activeElement.blur()", vec![]).await;
        let s = state(&b, MINUTES).await;
        assert_eq!(
            (s["focused"].clone(), s["shown"].clone()),
            (json!(false), json!(false))
        );
        b
    });
}

#[test]
fn enter_opens_the_keyboards_minute_in_the_queue() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}&from=08:00&to=08:10")))
            .await;
        focus(&b, MINUTES).await;
        press_to(&b, MINUTES, "Home", false, "08:00").await;
        press_to(&b, MINUTES, "ArrowRight", false, "08:01").await;
        b.press("Enter", false).await;
        b.wait_for("the queue", "return location.search.includes('view=queue')")
            .await;
        let q = b.query().await;
        assert!(
            q.contains("view=queue&day=2016-08-03&hour=08&minute=01&sort=-delay"),
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

#[test]
fn plus_minus_and_zero_zoom_around_the_crosshair() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        let day = sums(BAD, all, 0, 1439);
        expect_kpi(&b, "posts_sent", &day.sent.to_string()).await;
        focus(&b, MINUTES).await;
        press_to(&b, MINUTES, "Home", false, "00:00").await;
        for _ in 0..47 {
            b.press("ArrowRight", true).await;
        }
        press_to(&b, MINUTES, "ArrowRight", true, "08:00").await;

        // `+`: half the day, 08:00 in its middle (02:00–13:59).
        b.press("+", true).await;
        b.wait_for("the window", "return location.search.includes('from=')")
            .await;
        assert_eq!(param(&b, "from").await.as_deref(), Some("02:00"));
        assert_eq!(param(&b, "to").await.as_deref(), Some("13:59"));
        let zoomed = sums(BAD, all, 120, 839);
        expect_kpi(&b, "posts_sent", &zoomed.sent.to_string()).await;
        // The chart redrew on the window; the crosshair stayed on 08:00,
        // now in the middle of the plot.
        b.wait_for(
            "the crosshair on 08:00 after the redraw",
            &format!("const c = document.querySelector({MINUTES:?}); const t = c.querySelector('.chart-tooltip-title'); return c.dataset.plot.endsWith(' 120.000 840.000') && c.querySelector('.chart-crosshair').style.display === 'block' && t.textContent === '08:00'"),
        )
        .await;
        let s = state(&b, MINUTES).await;
        let plot = plot_of(&b, MINUTES).await;
        let mid = plot[0] + plot[2] / 2.0;
        let cross = s["cross"].as_f64().unwrap();
        assert!(
            (cross - mid).abs() < 3.0,
            "crosshair {cross}, plot middle {mid}"
        );
        // Arrow keys go on from there, inside the window.
        press_to(&b, MINUTES, "ArrowRight", false, "08:01").await;
        press_to(&b, MINUTES, "End", false, "13:59").await;

        // `-` from 13:59: twice as wide is the whole day.
        b.press("-", false).await;
        b.wait_for(
            "the whole day",
            "return !location.search.includes('from=') && !location.search.includes('to=')",
        )
        .await;
        expect_kpi(&b, "posts_sent", &day.sent.to_string()).await;
        b.wait_for(
            "the crosshair on 13:59 over the whole day",
            &format!("const c = document.querySelector({MINUTES:?}); return c.dataset.plot.endsWith(' 0.000 1440.000') && c.querySelector('.chart-tooltip-title').textContent === '13:59'"),
        )
        .await;
        // `+` again, around 13:59: 07:59–19:58.
        b.press("+", true).await;
        b.wait_for(
            "the window",
            "return location.search.includes('from=07:59')",
        )
        .await;
        assert_eq!(param(&b, "to").await.as_deref(), Some("19:58"));
        expect_kpi(
            &b,
            "posts_sent",
            &sums(BAD, all, 479, 1198).sent.to_string(),
        )
        .await;
        // `0`: the whole day again.
        b.press("0", false).await;
        b.wait_for(
            "the whole day",
            "return !location.search.includes('from=') && !location.search.includes('to=')",
        )
        .await;
        expect_kpi(&b, "posts_sent", &day.sent.to_string()).await;
        b
    });
}

/// Dispatches touch events on the chart `css`: each step is
/// `[type, fingers]`, the fingers `[x, y]` in CSS px from the chart's
/// corner (for `touchend`, the fingers still down). Returns, per step,
/// whether the page kept its default (false: the chart claimed it).
const TOUCH_JS: &str = r#"
const [css, steps] = arguments;
const el = document.querySelector(css);
const r = el.getBoundingClientRect();
const kept = [];
for (const [type, fingers] of steps) {
  const touches = fingers.map(([x, y], i) => new Touch({ identifier: i, target: el, clientX: r.left + x, clientY: r.top + y }));
  kept.push(el.dispatchEvent(new TouchEvent(type, {
    bubbles: true, cancelable: true, touches, targetTouches: touches, changedTouches: touches,
  })));
}
return kept;
"#;

async fn touch(b: &Browser, css: &str, steps: Value) -> Vec<bool> {
    serde_json::from_value(b.js(TOUCH_JS, vec![json!(css), steps]).await).unwrap()
}

/// The chart's `data-plot` from its last draw: the plot rectangle in CSS
/// px and the x domain drawn (`x y w h lo hi`).
async fn plot_of(b: &Browser, css: &str) -> Vec<f64> {
    b.js(
        &format!("return document.querySelector({css:?}).dataset.plot.split(' ').map(Number)"),
        vec![],
    )
    .await
    .as_array()
    .unwrap()
    .iter()
    .map(|v| v.as_f64().unwrap())
    .collect()
}

/// The CSS x (from the chart's left edge) of the centre of `minute`'s
/// slot, and the plot's middle height, from the chart's last draw.
async fn slot(b: &Browser, css: &str, minute: usize) -> (f64, f64) {
    let plot = plot_of(b, css).await;
    let [x, y, w, h, lo, hi] = plot[..] else {
        panic!("data-plot {plot:?}");
    };
    (x + (minute as f64 + 0.5 - lo) / (hi - lo) * w, y + h / 2.0)
}

/// Waits until the minute chart's plot spans `from..=to`.
async fn wait_window(b: &Browser, from: usize, to: usize) {
    b.wait_for(
        &format!("the chart over {}–{}", hhmm(from), hhmm(to)),
        &format!(
            "const c = document.querySelector({MINUTES:?}); return !!c && (c.dataset.plot || '').endsWith(' {from}.000 {}.000')",
            to + 1
        ),
    )
    .await;
}

#[test]
fn touch_taps_drags_and_double_taps() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}&from=07:30&to=08:29")))
            .await;
        wait_drawn(&b, MINUTES).await;
        wait_window(&b, 450, 509).await;
        // Touches, as keys, come with the page's second part, after the
        // first paint.
        b.wait_for(
            "the chart to take touches",
            &format!("return document.querySelector({MINUTES:?}).getAttribute('tabindex') === '0'"),
        )
        .await;

        // A one-finger vertical swipe is the page's: nothing claimed,
        // nothing shown.
        let (x, y) = slot(&b, MINUTES, 470).await;
        let kept = touch(
            &b,
            MINUTES,
            json!([
                ["touchstart", [[x, y]]],
                ["touchmove", [[x + 2.0, y + 40.0]]],
                ["touchmove", [[x + 3.0, y + 90.0]]],
                ["touchend", []]
            ]),
        )
        .await;
        assert_eq!(kept, [true, true, true, true]);
        assert_eq!(state(&b, MINUTES).await["shown"], json!(false));

        // A tap shows the tooltip of the minute under it (and is claimed,
        // so the browser makes no click of it: the page stays).
        let (x, y) = slot(&b, MINUTES, 480).await;
        let kept = touch(
            &b,
            MINUTES,
            json!([["touchstart", [[x, y]]], ["touchend", []]]),
        )
        .await;
        assert_eq!(kept, [true, false]);
        let s = state(&b, MINUTES).await;
        assert_eq!(s["title"], json!("08:00"), "{s}");
        assert_eq!(s["shown"], json!(true));
        let spike = sums(BAD, all, 480, 480);
        assert!(
            s["rows"]
                .to_string()
                .contains(&format!("≥ 90 s late {}", group(spike.late_90))),
            "{s}"
        );
        assert!(b.query().await.contains("view=delivery"));

        // Two fingers dragged across from 07:40 to 08:10 zoom to them.
        let (a, y) = slot(&b, MINUTES, 460).await;
        let (c, _) = slot(&b, MINUTES, 490).await;
        let pair = |m: f64| json!([[m - 12.0, y - 10.0], [m + 12.0, y + 10.0]]);
        let kept = touch(
            &b,
            MINUTES,
            json!([
                ["touchstart", pair(a)],
                ["touchmove", pair((a + c) / 2.0)],
                ["touchmove", pair(c)]
            ]),
        )
        .await;
        assert_eq!(kept, [true, false, false]);
        assert_eq!(state(&b, MINUTES).await["selecting"], json!(true));
        touch(
            &b,
            MINUTES,
            json!([["touchend", [[c + 12.0, y + 10.0]]], ["touchend", []]]),
        )
        .await;
        b.wait_for(
            "the window",
            "return location.search.includes('from=07:40')",
        )
        .await;
        assert_eq!(param(&b, "to").await.as_deref(), Some("08:10"));
        assert_eq!(state(&b, MINUTES).await["selecting"], json!(false));
        expect_kpi(&b, "posts_sent", &sums(BAD, all, 460, 490).sent.to_string()).await;
        wait_window(&b, 460, 490).await;

        // A long press, then a drag: 07:45 to 07:55.
        let (a, y) = slot(&b, MINUTES, 465).await;
        let (c, _) = slot(&b, MINUTES, 475).await;
        touch(&b, MINUTES, json!([["touchstart", [[a, y]]]])).await;
        tokio::time::sleep(Duration::from_millis(650)).await;
        let kept = touch(
            &b,
            MINUTES,
            json!([["touchmove", [[c, y + 5.0]]], ["touchend", []]]),
        )
        .await;
        assert_eq!(kept, [false, false]);
        b.wait_for(
            "the window",
            "return location.search.includes('from=07:45')",
        )
        .await;
        assert_eq!(param(&b, "to").await.as_deref(), Some("07:55"));
        wait_window(&b, 465, 475).await;

        // A double tap: the whole day.
        let (x, y) = slot(&b, MINUTES, 470).await;
        touch(
            &b,
            MINUTES,
            json!([
                ["touchstart", [[x, y]]],
                ["touchend", []],
                ["touchstart", [[x + 3.0, y]]],
                ["touchend", []]
            ]),
        )
        .await;
        b.wait_for(
            "the whole day",
            "return !location.search.includes('from=') && !location.search.includes('to=')",
        )
        .await;
        expect_kpi(&b, "posts_sent", &sums(BAD, all, 0, 1439).sent.to_string()).await;
        b
    });
}

#[test]
fn every_chart_says_what_it_shows_and_keeps_it_current() {
    run(|server, b| async move {
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        wait_drawn(&b, MINUTES).await;
        let want = minutes_sentence(BAD, "3 Aug 2016", all);
        assert!(want.contains("at 08:00; "), "{want}");
        assert_eq!(description(&b, MINUTES).await, want);
        // The other charts of the view: the generic sentence.
        for panel in ["delivery-heatmap", "delivery-quantiles"] {
            let css = format!("[data-panel={panel}] .chart");
            wait_drawn(&b, &css).await;
            let text = description(&b, &css).await;
            // The whole day (the quantiles' five-minute groups sit at
            // their middle minutes) and its peak.
            assert!(
                text.contains(", 00:0") && text.contains(" to 23:5") && text.contains(": peak "),
                "{panel}: {text}"
            );
        }
        // A filter: the sentence follows.
        b.click("[data-filter=media][data-value=video]").await;
        let video = |_: &str, m: &str| m == "video";
        let want = minutes_sentence(BAD, "3 Aug 2016", video);
        b.wait_for(
            "the video sentence",
            &format!("const c = document.querySelector({MINUTES:?}); return document.getElementById(c.getAttribute('aria-describedby')).textContent === {want:?}"),
        )
        .await;

        // The Revenue view: the MRR chart names its last month and the
        // forecast's; the movements chart selects a month by Enter.
        b.goto(&server.url("?view=revenue")).await;
        let mrr = "[data-panel=revenue-mrr] .chart";
        wait_drawn(&b, mrr).await;
        let text = description(&b, mrr).await;
        assert!(text.starts_with("Monthly recurring revenue, "), "{text}");
        assert!(
            text.contains(", forecast ") && text.contains(" (80 %: "),
            "{text}"
        );
        let moves = "[data-panel=revenue-movements] .chart";
        focus(&b, moves).await;
        b.press("End", false).await;
        let title = b
            .wait_for(
                "the last month",
                &format!("return document.querySelector({moves:?} + ' .chart-tooltip-title')?.textContent"),
            )
            .await;
        let title = title.as_str().unwrap().to_owned();
        b.press("ArrowLeft", false).await;
        let before = b
            .wait_for(
                "the month before",
                &format!("const t = document.querySelector({moves:?} + ' .chart-tooltip-title')?.textContent; return t !== {title:?} && t"),
            )
            .await;
        b.press("Enter", false).await;
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (name, year) = before.as_str().unwrap().split_once(' ').unwrap();
        let want = format!(
            "{year}-{:02}",
            months.iter().position(|m| *m == name).unwrap() + 1
        );
        b.wait_for(
            "the month in the address",
            &format!("return new URLSearchParams(location.search).get('month') === {want:?}"),
        )
        .await;
        b
    });
}
