//! A day written with other bucket edges (as `pulse-ingest --bounds
//! 10,30,60,300` writes it): 90 s is no edge, so the nearest one, 60 s,
//! stands in for it. The figures count from that edge, and every name on
//! the page says so: no figure, legend, header or sentence speaks of
//! 90 s. A day with the usual edges keeps the usual names.

use super::delivery::{doc, expect_kpi, group, BAD, GOOD};
use super::*;
use serde_json::{json, Value};

/// The edges the day is written with (each one of the demo's).
const BOUNDS: [f64; 4] = [10.0, 30.0, 60.0, 300.0];

fn bounds_of(d: &Value) -> Vec<f64> {
    d["bounds_s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_f64().unwrap())
        .collect()
}

/// The demo's bad day with its buckets merged into [`BOUNDS`].
fn rebucketed() -> Value {
    let mut d = doc(BAD);
    let old = bounds_of(&d);
    let (b_old, b_new) = (old.len() + 1, BOUNDS.len() + 1);
    // Old bucket k starts at its lower edge; the new bucket holding it is
    // the number of new edges at or below that.
    let map: Vec<usize> = (0..b_old)
        .map(|k| {
            let lower = if k == 0 { 0.0 } else { old[k - 1] };
            BOUNDS.iter().filter(|&&e| e <= lower).count()
        })
        .collect();
    for s in d["series"].as_array_mut().unwrap() {
        let counts: Vec<u64> = s["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .collect();
        let mut merged = vec![0u64; 1440 * b_new];
        for m in 0..1440 {
            for k in 0..b_old {
                merged[m * b_new + map[k]] += counts[m * b_old + k];
            }
        }
        s["counts"] = json!(merged);
    }
    d["bounds_s"] = json!(BOUNDS);
    d
}

/// Posts of the original day sent 60 s or more late: in all, and the
/// most in one minute with that minute.
fn late_from_60() -> (u64, u64, usize) {
    let d = doc(BAD);
    let old = bounds_of(&d);
    let b = old.len() + 1;
    let from = old.iter().position(|&e| e == 60.0).unwrap() + 1;
    let mut per_minute = vec![0u64; 1440];
    for s in d["series"].as_array().unwrap() {
        let counts = s["counts"].as_array().unwrap();
        for (m, slot) in per_minute.iter_mut().enumerate() {
            for k in from..b {
                *slot += counts[m * b + k].as_u64().unwrap();
            }
        }
    }
    let (mut worst, mut at) = (0, 0);
    for (m, &n) in per_minute.iter().enumerate() {
        if n > worst {
            (worst, at) = (n, m);
        }
    }
    (per_minute.iter().sum(), worst, at)
}

fn texts(css: &str) -> String {
    format!("return Array.from(document.querySelectorAll({css:?})).map(e => e.textContent.trim())")
}

#[test]
fn figures_name_the_edges_that_stand_in_for_60_and_90_s() {
    run(|server, b| async move {
        server.fault(
            &format!("api/v1/delivery/{BAD}.json"),
            Fault::Body(rebucketed().to_string()),
        );
        b.goto(&server.url(&format!("?view=delivery&day={BAD}")))
            .await;
        let (late, worst, at) = late_from_60();
        assert!(late > 0 && worst > 0);
        // The figure counts from 60 s, and says so.
        expect_kpi(&b, "late_90s_count", &late.to_string()).await;
        let labels = b
            .js(&texts("[data-panel=delivery-kpis] .kpi-label"), vec![])
            .await;
        let labels: Vec<&str> = labels
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(labels.contains(&"Sent within 60 s"), "{labels:?}");
        assert!(labels.contains(&"60 s or more late"), "{labels:?}");
        let headline = b
            .wait_for(
                "the headline",
                "return document.querySelector('[data-headline]')?.dataset.headline",
            )
            .await;
        assert_eq!(
            headline,
            json!(format!(
                "{} posts due at {:02}:{:02} went out 60 s or more late",
                group(worst as i64),
                at / 60,
                at % 60
            ))
        );
        let detail = b
            .js(
                "return document.querySelector('[data-panel=delivery-kpis] .headline-detail').textContent",
                vec![],
            )
            .await;
        let detail = detail.as_str().unwrap();
        let note = "This day's delay buckets have no edge at 90 s: the nearest edges stand in, so “90 s or more late” is 60 s or more late.";
        assert!(detail.ends_with(note), "{detail}");
        // Both edges on one bound: no middle class in the legend.
        let legend = b
            .js(&texts("[data-panel=delivery-minutes] .legend li"), vec![])
            .await;
        assert_eq!(
            legend,
            json!(["Sent within 60 s", "60 s or more late", "Failed"])
        );
        // The breakdown (built after the first paint) and every panel
        // below: nothing on the page speaks of 90 s.
        let headers = b
            .wait_for(
                "the breakdown's headers",
                &(texts("[data-panel=delivery-breakdown] thead th")
                    .replace("return ", "const h = ")
                    + "; return h.length ? h : null;"),
            )
            .await;
        assert!(
            headers
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h.as_str().unwrap().starts_with("≥ 60 s late")),
            "{headers}"
        );
        // Only the note that says which edge stands in for 90 s names it.
        let text = b.js("return document.body.innerText", vec![]).await;
        let text = text.as_str().unwrap().replace(note, "");
        assert!(!text.contains("90 s"), "{text}");

        // A day with the usual edges: the usual names, the middle class.
        b.pick("day", GOOD).await;
        b.wait_for(
            "the usual legend",
            &(texts("[data-panel=delivery-minutes] .legend li").replace("return ", "const l = ")
                + "; return JSON.stringify(l) === JSON.stringify(['Sent within 60 s', '60–90 s late', '90 s or more late', 'Failed']);"),
        )
        .await;
        let detail = b
            .js(
                "return document.querySelector('[data-panel=delivery-kpis] .headline-detail').textContent",
                vec![],
            )
            .await;
        assert!(!detail.as_str().unwrap().contains("no edge"), "{detail}");
        b
    });
}
