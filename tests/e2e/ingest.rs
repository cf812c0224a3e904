//! `pulse-ingest` end to end: a post log in CSV, JSON Lines and Parquet
//! (one day each, each in another timestamp form) and a Stripe archive go
//! through `scripts/ingest.sh`; the console is served on the result, and
//! its figures (delivery per day, MRR and movements per month) must equal
//! figures computed here from the raw fixture rows, not from the ingest's
//! output.

// Helpers panic on unexpected data: that is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use chrono::{DateTime, Duration as Span, NaiveDate, Utc};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// One raw post: due and sent instants (UTC), status.
struct Raw {
    id: String,
    network: &'static str,
    media: &'static str,
    due: DateTime<Utc>,
    sent: Option<DateTime<Utc>>,
    status: &'static str,
}

/// The fixture's posts of a day: clustered on 08:00 and spread over the
/// day, delays from 0 to 200 s in tenths (60.0 and 90.0 exactly among
/// them), failed and pending ones, and one row of an unknown status.
fn posts_of(day: NaiveDate, tag: &str) -> Vec<Raw> {
    let start = day.and_hms_opt(0, 0, 0).unwrap().and_utc();
    (0..240u32)
        .map(|i| {
            let minute = if i % 2 == 0 { 480 } else { (i * 37) % 1440 };
            let due = start + Span::minutes(i64::from(minute)) + Span::seconds(i64::from(i % 5));
            let delay_ms = match i {
                1 => 60_000,
                3 => 90_000,
                5 => 89_900,
                _ => i64::from((i * 7919) % 2000) * 100,
            };
            let status = match i {
                _ if i % 17 == 0 => "failed",
                _ if i % 23 == 0 => "pending",
                7 => "queued",
                _ => "sent",
            };
            Raw {
                id: format!("{tag}{i}"),
                network: ["twitter", "facebook", "instagram"][i as usize % 3],
                media: ["text", "image", "video", "link"][i as usize % 4],
                due,
                sent: (status == "sent").then(|| due + Span::milliseconds(delay_ms)),
                status,
            }
        })
        .collect()
}

const HEADER: &str =
    "id,profile,network,media,media_bytes,text,thumbnail_url,due_at,sent_at,status,error";

/// `YYYY-MM-DD HH:MM:SS.fff`, no zone.
fn plain(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

fn csv(rows: &[Raw]) -> String {
    let mut s = format!("{HEADER}\n");
    for r in rows {
        s += &format!(
            "{},\"Acme, Inc.\",{},{},,Post {},,{},{},{},\n",
            r.id,
            r.network,
            r.media,
            r.id,
            plain(r.due),
            r.sent.map(plain).unwrap_or_default(),
            r.status
        );
    }
    s
}

/// RFC 3339 with a +02:00 offset.
fn jsonl(rows: &[Raw]) -> String {
    let local = |t: DateTime<Utc>| {
        (t + Span::hours(2))
            .format("%Y-%m-%dT%H:%M:%S%.3f+02:00")
            .to_string()
    };
    rows.iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id, "profile": "Beta <b>", "network": r.network, "media": r.media,
                "text": format!("Post {}", r.id), "due_at": local(r.due),
                "sent_at": r.sent.map(local), "status": r.status,
            })
            .to_string()
                + "\n"
        })
        .collect()
}

/// Day figures from the raw rows: (sent, failed, 90 s or more late).
fn figures(rows: &[Raw]) -> (usize, usize, usize) {
    let sent = rows.iter().filter(|r| r.status == "sent").count();
    let failed = rows.iter().filter(|r| r.status == "failed").count();
    let late = rows
        .iter()
        .filter_map(|r| r.sent.map(|s| s - r.due))
        .filter(|d| *d >= Span::seconds(90))
        .count();
    (sent, failed, late)
}

/// A Stripe subscription event: (id, created, type, subscription, customer,
/// status, nickname, unit amount, interval, quantity).
type Ev = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    i64,
);

#[rustfmt::skip]
const EVENTS: [Ev; 8] = [
    ("evt_1", "2016-06-05T10:00:00Z", "created", "sub_a", "cus_a", "active", "basic", 1000, "month", 1),
    ("evt_2", "2016-06-20T10:00:00Z", "created", "sub_b", "cus_b", "active", "pro", 5000, "month", 2),
    ("evt_3", "2016-07-01T10:00:00Z", "created", "sub_c", "cus_c", "active", "basic", 12000, "year", 1),
    ("evt_4", "2016-07-10T10:00:00Z", "updated", "sub_a", "cus_a", "active", "pro", 5000, "month", 1),
    ("evt_5", "2016-08-02T10:00:00Z", "deleted", "sub_b", "cus_b", "canceled", "pro", 5000, "month", 2),
    ("evt_6", "2016-08-03T09:00:00Z", "created", "sub_d", "cus_d", "incomplete", "basic", 1000, "month", 1),
    ("evt_7", "2016-08-03T10:00:00Z", "updated", "sub_d", "cus_d", "active", "basic", 1000, "month", 1),
    ("evt_8", "2016-08-15T10:00:00Z", "updated", "sub_c", "cus_c", "active", "basic", 12000, "year", 3),
];

fn stripe_line(e: &Ev) -> String {
    let (id, at, kind, sub, customer, status, nick, amount, interval, qty) = *e;
    let created = DateTime::parse_from_rfc3339(at).unwrap().timestamp();
    serde_json::json!({
        "id": id, "object": "event", "type": format!("customer.subscription.{kind}"), "created": created,
        "data": { "object": {
            "id": sub, "object": "subscription", "customer": customer, "status": status, "currency": "usd",
            "items": { "data": [ { "quantity": qty, "price": {
                "id": format!("price_{nick}_{interval}"), "nickname": nick, "unit_amount": amount, "currency": "usd",
                "recurring": { "interval": interval, "interval_count": 1 } } } ] } } }
    })
    .to_string()
}

/// Month-end MRR per customer, from the fixture's events directly.
fn month_end(month_end: &str) -> BTreeMap<&'static str, i64> {
    let mut subs: BTreeMap<&str, (&str, i64)> = BTreeMap::new();
    for &(_, at, kind, sub, customer, status, _, amount, interval, qty) in &EVENTS {
        if at < month_end {
            let counting = kind != "deleted" && (status == "active" || status == "past_due");
            let monthly = if interval == "year" {
                amount / 12
            } else {
                amount
            };
            subs.insert(sub, (customer, if counting { monthly * qty } else { 0 }));
        }
    }
    let mut out = BTreeMap::new();
    for (customer, mrr) in subs.into_values() {
        *out.entry(customer).or_insert(0) += mrr;
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Opens `url`, waits for the marker `id` on `panel`'s chart and returns
/// the ids of its markers and, for each, its name and how many elements
/// its title made (none: it is text).
async fn markers_at(
    b: &Browser,
    url: &str,
    panel: &str,
    id: &str,
) -> (Vec<String>, Vec<(String, u32)>) {
    b.goto(url).await;
    let on = format!("[data-panel=\"{panel}\"] [data-annotation]");
    b.wait_for(
        &format!("the marker {id} on {panel}"),
        &format!("return [...document.querySelectorAll('{on}')].some(e => e.dataset.annotation === '{id}')"),
    )
    .await;
    let found: Vec<(String, String, u32)> = serde_json::from_value(
        b.js(
            &format!("return [...document.querySelectorAll('{on}')].map(e => [e.dataset.annotation, e.getAttribute('aria-label'), e.querySelectorAll('b, img').length])"),
            vec![],
        )
        .await,
    )
    .unwrap();
    found.into_iter().map(|(i, n, c)| (i, (n, c))).unzip()
}

#[test]
fn ingested_data_shows_the_figures_of_its_raw_rows() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tmp = std::env::temp_dir().join(format!("pulse-e2e-ingest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let days = ["2016-08-01", "2016-08-02", "2016-08-03"]
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    let rows: Vec<Vec<Raw>> = days
        .iter()
        .zip(["c", "j", "p"])
        .map(|(d, t)| posts_of(*d, t))
        .collect();
    std::fs::write(tmp.join("day1.csv"), csv(&rows[0])).unwrap();
    std::fs::write(tmp.join("day2.jsonl"), jsonl(&rows[1])).unwrap();
    std::fs::write(tmp.join("day3.csv"), csv(&rows[2])).unwrap();
    let mut archive: Vec<String> = EVENTS.iter().map(stripe_line).collect();
    archive.reverse(); // file order must not matter
    archive.push(stripe_line(&EVENTS[0])); // a webhook delivered twice
    archive.push(r#"{"id":"evt_x","object":"event","type":"invoice.paid","created":1467000000,"data":{"object":{}}}"#.to_owned());
    std::fs::write(tmp.join("stripe.jsonl"), archive.join("\n") + "\n").unwrap();
    // Events as a team writes them: an incident on the second day (its
    // title hostile), a growth experiment over July, a note tagged for
    // one network.
    std::fs::write(
        tmp.join("events.csv"),
        "id,kind,title,at,from,to,text,url,tags\n\
         stall,incident,<b>Queue stalled</b> <img src=x onerror=alert(1)>,2016-08-02T08:00:00Z,,,,,\n\
         trial,experiment,Longer trial,,2016-07-01T00:00:00Z,2016-07-31T23:59:59Z,,https://example.com/trial,\n\
         other,note,Facebook only,2016-08-02T09:00:00Z,,,,,facebook\n",
    )
    .unwrap();

    // Builds the binaries (debug: the same build of pulse as the tests'),
    // then the Parquet day with DuckDB itself.
    let ingest = |args: &[&str]| {
        let out = Command::new(root.join("scripts/ingest.sh"))
            .env("PULSE_INGEST_PROFILE", "dev")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, usage) = ingest(&["--help"]);
    assert!(ok, "--help exits 0: {usage}");
    assert!(usage.contains("usage: pulse-ingest"), "{usage}");
    assert!(usage.contains("  --post-days N "), "{usage}");
    let tools = root.join("target/debug/ingest-tools");
    let p = |f: &str| tmp.join(f).to_str().unwrap().to_owned();
    let st = Command::new(&tools)
        .args(["to-parquet", &p("day3.csv"), &p("day3.parquet")])
        .status()
        .unwrap();
    assert!(st.success());

    let site = tmp.join("site");
    copy_dir(&dist(), &site);
    let api = site.join("api/v1");
    std::fs::remove_dir_all(&api).unwrap();
    let (ok, summary) = ingest(&[
        "--out",
        api.to_str().unwrap(),
        "--name",
        "Acme",
        "--posts",
        &p("day1.csv"),
        "--posts",
        &p("day2.jsonl"),
        "--posts",
        &p("day3.parquet"),
        "--stripe-events",
        &p("stripe.jsonl"),
        "--post-days",
        "1",
        "--annotations",
        &p("events.csv"),
    ]);
    assert!(ok, "{summary}");
    assert!(summary.contains("unknown status: 3 (first: "), "{summary}");

    let b_days: Vec<String> = days.iter().map(|d| d.to_string()).collect();
    let want: Vec<(usize, usize, usize)> = rows.iter().map(|r| figures(r)).collect();
    // Exactly 90.0 s counts as late, 89.9 s does not.
    assert!(
        want.iter().all(|w| w.0 > 150 && w.1 > 5 && w.2 > 20),
        "{want:?}"
    );
    let months = ["2016-06", "2016-07", "2016-08"];
    let ends = ["2016-07-01", "2016-08-01", "2016-09-01"];
    let mrr: Vec<BTreeMap<&str, i64>> = ends.iter().map(|e| month_end(e)).collect();
    let total = |m: &BTreeMap<&str, i64>| m.values().sum::<i64>();
    assert_eq!(
        mrr.iter().map(total).collect::<Vec<_>>(),
        vec![11_000, 16_000, 9_000]
    );

    run_site(&site, |server, b| async move {
        for (day, (sent, failed, late)) in b_days.iter().zip(&want) {
            b.goto(&server.url(&format!("?view=delivery&day={day}")))
                .await;
            for (name, value) in [
                ("posts_sent", sent),
                ("posts_failed", failed),
                ("late_90s_count", late),
            ] {
                let script = format!(
                    "const e = document.querySelector('[data-kpi={name}]'); return e && e.getAttribute('data-value') === '{value}';"
                );
                b.wait_for(&format!("{day} {name} = {value}"), &script)
                    .await;
            }
        }
        // The events: a marker named by its title (text, not markup) on
        // the minute chart of its day and on the MRR chart of its month;
        // the note tagged for Facebook only where Facebook is shown.
        let (all, found) = markers_at(
            &b,
            &server.url("?view=delivery&day=2016-08-02"),
            "delivery-minutes",
            "other",
        )
        .await;
        assert_eq!(all, ["stall", "other"]);
        let (all, found_twitter) = markers_at(
            &b,
            &server.url("?view=delivery&day=2016-08-02&net=twitter"),
            "delivery-minutes",
            "stall",
        )
        .await;
        assert_eq!(all, ["stall"]);
        let hostile = "<b>Queue stalled</b> <img src=x onerror=alert(1)>";
        assert_eq!(found_twitter[0], (hostile.to_owned(), 0));
        assert_eq!(found[0], found_twitter[0]);
        // Every event of the chart's months, in document order.
        let (all, found) = markers_at(
            &b,
            &server.url("?view=revenue&month=2016-08"),
            "revenue-mrr",
            "trial",
        )
        .await;
        assert_eq!(all, ["stall", "trial", "other"]);
        assert_eq!(found[1], ("Longer trial".to_owned(), 0));
        for (i, month) in months.iter().enumerate() {
            b.goto(&server.url(&format!("?view=revenue&month={month}")))
                .await;
            let script = format!(
                "const e = document.querySelector('[data-kpi=mrr_cents]'); return e && e.getAttribute('data-value') === '{}';",
                total(&mrr[i])
            );
            b.wait_for(&format!("{month} MRR"), &script).await;
            if i == 0 {
                continue;
            }
            // Movements against the month before, per customer.
            let (p, c) = (&mrr[i - 1], &mrr[i]);
            let mut moves: BTreeMap<&str, i64> = BTreeMap::new();
            let customers: std::collections::BTreeSet<&str> =
                p.keys().chain(c.keys()).copied().collect();
            for cus in customers {
                let (a, z) = (
                    p.get(cus).copied().unwrap_or(0),
                    c.get(cus).copied().unwrap_or(0),
                );
                let key = match (a, z) {
                    (0, z) if z > 0 => "new",
                    (a, 0) if a > 0 => "churn",
                    (a, z) if z > a => "expansion",
                    (a, z) if z < a => "contraction",
                    _ => continue,
                };
                *moves.entry(key).or_insert(0) += z - a;
            }
            for key in ["new", "expansion", "contraction", "churn"] {
                let v = moves.get(key).copied().unwrap_or(0);
                let script = format!(
                    "const e = document.querySelector('[data-kpi=movement_{key}_cents]'); return e && e.getAttribute('data-value') === '{v}';"
                );
                b.wait_for(&format!("{month} {key} = {v}"), &script).await;
            }
        }
        b
    });
    let _ = std::fs::remove_dir_all(&tmp);
}
