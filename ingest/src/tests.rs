//! Tests of the post-log rules (`sql/clean.sql` and `sql/delivery.sql` on
//! DuckDB) and of whole runs into a temporary folder.

use crate::delivery::bucket_case;
use crate::engine::duck::{quote, Duck};
use crate::engine::{rows, Engine};
use crate::instant::{day_number, rfc3339, US_PER_DAY};
use crate::sql;
use proptest::prelude::*;

/// One post-log row: (id, media, media_bytes, due_at, sent_at, status).
type Row<'a> = (
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
);

fn lit(v: Option<&str>) -> String {
    v.map_or("CAST(NULL AS VARCHAR)".to_owned(), quote)
}

fn raw(rows: &[Row]) -> String {
    let values = rows
        .iter()
        .enumerate()
        .map(|(i, (id, media, bytes, due, sent, status))| {
            format!(
                "(0, {}, {}, 'Acme', 'twitter', {}, {}, 'hello', NULL, {}, {}, {}, NULL)",
                i + 2,
                lit(*id),
                quote(media),
                lit(*bytes),
                lit(*due),
                lit(*sent),
                quote(status)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "(SELECT CAST(file AS BIGINT) AS file, CAST(line AS BIGINT) AS line, id, profile, network, media, media_bytes, text, \
         CAST(thumbnail_url AS VARCHAR) AS thumbnail_url, due_at, sent_at, status, CAST(error AS VARCHAR) AS error, \
         CAST(NULL AS BIGINT) AS due_ts, CAST(NULL AS BIGINT) AS sent_ts, {} \
         FROM (VALUES {values}) AS v(file, line, id, profile, network, media, media_bytes, text, thumbnail_url, due_at, sent_at, status, error)) AS raw",
        crate::source::text_checks("id", "media_bytes")
    )
}

/// (skip, due instant, day, minute, delay µs) of a row.
type Cleaned = (
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// Each row through `clean.sql`.
fn clean(rows_in: &[Row]) -> Vec<Cleaned> {
    let mut duck = Duck::open().unwrap();
    let q = format!(
        "SELECT skip, due_us, day, minute, delay_us FROM ({}) AS c ORDER BY line",
        sql::clean(&raw(rows_in))
    );
    let q = duck.dialect(&q);
    rows(&mut duck, &q)
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r[0].text().map(str::to_owned),
                r[1].int(),
                r[2].int(),
                r[3].int(),
                r[4].int(),
            )
        })
        .collect()
}

fn sent<'a>(due: &'a str, sent: &'a str) -> Row<'a> {
    (
        Some("p1"),
        "video",
        Some("1000"),
        Some(due),
        Some(sent),
        "sent",
    )
}

fn at(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> i64 {
    day_number(y, mo, d) * US_PER_DAY + ((h * 60 + mi) * 60 + s) * 1_000_000
}

#[test]
fn every_timestamp_form_reads_as_utc() {
    let base = at(2016, 8, 3, 8, 0, 0);
    let forms = [
        ("2016-08-03T08:00:00Z", base),
        ("2016-08-03t08:00:00z", base),
        ("2016-08-03 08:00:00", base),
        ("2016-08-03T08:00:00", base),
        ("2016-08-03T10:00:00+02:00", base),
        ("2016-08-03T10:00:00+0200", base),
        ("2016-08-03T10:00:00+02", base),
        ("2016-08-03T06:30:00-01:30", base),
        ("2016-08-03 08:00:00.5", base + 500_000),
        ("2016-08-03T08:00:00.123456789Z", base + 123_456),
        ("2016-08-03T10:00:00.25+02:00", base + 250_000),
        ("2016-08-03 08:00:00+00", base),
    ];
    for (form, want) in forms {
        let got = clean(&[sent(form, form)]);
        assert_eq!(got[0].0, None, "{form}");
        assert_eq!(got[0].1, Some(want), "{form}: {:?}", got[0].1.map(rfc3339));
    }
}

#[test]
fn unreadable_timestamps_are_skipped() {
    for bad in [
        "2016-02-30 08:00:00",
        "2015-02-29T00:00:00Z",
        "2016-08-03 24:00:00",
        "2016-08-03 08:60:00",
        "2016-13-03 08:00:00",
        "2016-8-3 08:00:00",
        "yesterday",
        "2016-08-03",
        "2016-08-03T08:00:00+24:00",
        "2016-08-03T08:00:00.Z",
    ] {
        let got = clean(&[sent(bad, "2016-08-03T08:00:00Z")]);
        assert_eq!(got[0].0.as_deref(), Some("unreadable due_at"), "{bad}");
        let got = clean(&[sent("2016-08-03T08:00:00Z", bad)]);
        assert_eq!(got[0].0.as_deref(), Some("unreadable sent_at"), "{bad}");
    }
    assert_eq!(
        clean(&[sent("2016-02-29 23:59:59", "2016-02-29 23:59:59")])[0].0,
        None,
        "a leap day reads"
    );
}

#[test]
fn day_and_minute_are_the_utc_floor_of_due_at() {
    let got = clean(&[
        sent("2016-08-03T08:00:59.999Z", "2016-08-03T08:01:00Z"),
        sent("2016-08-03T01:00:00+02:00", "2016-08-03T01:00:00+02:00"),
        sent("2016-08-03T23:59:59Z", "2016-08-04T00:00:00Z"),
    ]);
    assert_eq!(
        (got[0].2, got[0].3),
        (Some(day_number(2016, 8, 3)), Some(480))
    );
    assert_eq!(
        (got[1].2, got[1].3),
        (Some(day_number(2016, 8, 2)), Some(23 * 60))
    );
    assert_eq!(
        (got[2].2, got[2].3),
        (Some(day_number(2016, 8, 3)), Some(1439))
    );
}

#[test]
fn delay_keeps_fractions_and_is_never_negative() {
    let got = clean(&[
        sent("2016-08-03T08:00:00Z", "2016-08-03T08:00:59.999Z"),
        sent("2016-08-03T08:00:00Z", "2016-08-03T07:59:00Z"),
        sent("2016-08-03T08:00:00.5Z", "2016-08-03T08:01:30.25Z"),
    ]);
    assert_eq!(got[0].4, Some(59_999_000));
    assert_eq!(got[1].4, Some(0));
    assert_eq!(got[2].4, Some(89_750_000));
}

/// (bucket, count) of the sent rows, through `sql/delivery.sql`.
fn buckets(rows_in: &[Row], bounds: &[f64]) -> Vec<(i64, i64)> {
    let mut duck = Duck::open().unwrap();
    let q = format!(
        "SELECT bucket, n FROM ({}) AS d WHERE skip IS NULL ORDER BY bucket",
        sql::delivery(&raw(rows_in), &bucket_case(bounds))
    );
    let q = duck.dialect(&q);
    rows(&mut duck, &q)
        .unwrap()
        .into_iter()
        .map(|r| (r[0].int().unwrap(), r[1].int().unwrap()))
        .collect()
}

#[test]
fn bucket_edges_include_the_lower_edge() {
    let due = "2016-08-03T08:00:00Z";
    let got = buckets(
        &[
            sent(due, "2016-08-03T08:00:00Z"),
            sent(due, "2016-08-03T08:00:59.999Z"),
            sent(due, "2016-08-03T08:01:00Z"),
            sent(due, "2016-08-03T08:01:29.999999Z"),
            sent(due, "2016-08-03T08:01:30Z"),
            sent(due, "2016-08-03T09:00:00Z"),
            (Some("f"), "text", None, Some(due), None, "failed"),
            (Some("q"), "text", None, Some(due), None, "pending"),
        ],
        &[60.0, 90.0],
    );
    assert_eq!(got, vec![(-2, 1), (-1, 1), (0, 2), (1, 2), (2, 2)]);
}

#[test]
fn each_skip_reason_is_counted_with_its_first_line() {
    let due = Some("2016-08-03T08:00:00Z");
    let rows_in: Vec<Row> = vec![
        (Some("a"), "video", None, due, due, "sent"),
        (Some("b"), "video", None, due, due, "queued"),
        (Some("c"), "gif", None, due, due, "sent"),
        (Some("d"), "video", None, None, due, "sent"),
        (Some("e"), "video", None, due, None, "sent"),
        (Some("f"), "video", None, Some("soon"), due, "sent"),
        (Some("g"), "video", None, due, Some("later"), "sent"),
        (None, "video", None, due, due, "sent"),
        (Some("h"), "video", Some("12 MB"), due, due, "sent"),
        (Some("i"), "video", None, due, due, "queued"),
        (Some("j"), "video", None, due, Some("later"), "failed"),
    ];
    let mut duck = Duck::open().unwrap();
    let q = format!(
        "SELECT d.skip, sum(d.n), min(s.first) FROM ({}) AS d JOIN ({}) AS s ON s.skip = d.skip \
         WHERE d.skip IS NOT NULL GROUP BY d.skip ORDER BY d.skip",
        sql::delivery(&raw(&rows_in), &bucket_case(&[60.0])),
        sql::skips(&raw(&rows_in))
    );
    let q = duck.dialect(&q);
    let got: Vec<(String, i64, i64)> = rows(&mut duck, &q)
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r[0].text().unwrap().to_owned(),
                r[1].int().unwrap(),
                r[2].int().unwrap(),
            )
        })
        .collect();
    let want = [
        ("missing due_at", 1, 5),
        ("missing id", 1, 9),
        ("sent without sent_at", 1, 6),
        ("unknown media", 1, 4),
        ("unknown status", 2, 3),
        ("unreadable due_at", 1, 7),
        ("unreadable media_bytes", 1, 10),
        ("unreadable sent_at", 1, 8),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|(w, n, l)| (w.to_string(), *n, *l))
            .collect::<Vec<_>>()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any text as a timestamp is read or skipped, never an engine error;
    /// whatever reads is written back as the same instant.
    #[test]
    fn any_timestamp_text_is_read_or_skipped(
        s in prop_oneof![
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?",
            "\\PC{0,30}",
        ]
    ) {
        let got = clean(&[sent(&s, &s)]);
        match &got[0] {
            (None, Some(us), Some(day), Some(minute), Some(0)) => {
                prop_assert_eq!(*day, us.div_euclid(US_PER_DAY));
                prop_assert_eq!(*minute, us.rem_euclid(US_PER_DAY) / 60_000_000);
                let again = clean(&[sent(&rfc3339(*us), &rfc3339(*us))]);
                prop_assert_eq!(again[0].1, Some(*us));
            }
            (Some(why), ..) => prop_assert!(
                why == "unreadable due_at" || (s.is_empty() && why == "missing due_at"),
                "{why}"
            ),
            other => prop_assert!(false, "unexpected {:?}", other),
        }
    }
}

mod postgres;
mod runs;
