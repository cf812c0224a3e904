//! Whole runs into a temporary folder: documents, re-runs, merging, and
//! a failed run leaving the dataset as it was.

use crate::args;
use crate::run::run;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pulse-ingest-{name}-{}", std::process::id()));
    fs::remove_dir_all(&dir).unwrap_or(());
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A JSON document of the dataset.
fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

pub fn ingest(argv: &[&str]) -> Result<crate::summary::Summary, String> {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    match args::parse(&argv, &[10.0, 60.0, 90.0])? {
        args::Command::Run(a) => run(&a),
        other => Err(format!("not a run: {other:?}")),
    }
}

pub const CSV: &str = "\
id,profile,network,media,media_bytes,text,thumbnail_url,due_at,sent_at,status,error
a1,Acme,twitter,video,1500,\"Hello, <b>world</b>\",,2016-08-03T08:00:00Z,2016-08-03T08:01:30Z,sent,
a2,Acme,twitter,video,,x,https://cdn.example.com/a.jpg,2016-08-03 08:00:10,2016-08-03 08:00:15.5,sent,
a3,Acme,facebook,image,,x,,2016-08-03T10:05:00+02:00,,failed,timeout
a4,Acme,facebook,image,,x,,2016-08-03T09:00:00Z,,pending,
a5,Acme,facebook,image,,x,,2016-08-03T09:00:00Z,,queued,
";

pub const JSONL: &str = r#"{"id":"b1","profile":"Beta","network":"linkedin","media":"link","text":"y","due_at":"2016-08-02T23:59:59Z","sent_at":"2016-08-03T00:00:05Z","status":"sent"}
{"id":"b2","profile":"Beta","network":"linkedin","media":"text","text":"y","due_at":null,"status":"sent"}
"#;

#[test]
fn a_run_writes_checked_documents_and_reruns_are_identical() {
    let dir = temp("run");
    let (csv, jsonl, out) = (
        dir.join("posts.csv"),
        dir.join("more.jsonl"),
        dir.join("out"),
    );
    fs::write(&csv, CSV).unwrap();
    fs::write(&jsonl, JSONL).unwrap();
    let (csv, jsonl, out_s) = (
        csv.to_str().unwrap(),
        jsonl.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    let summary = ingest(&[
        "--out",
        out_s,
        "--posts",
        csv,
        "--posts",
        jsonl,
        "--post-days",
        "1",
    ])
    .unwrap();
    assert_eq!(
        summary.read.iter().map(|r| r.2).collect::<Vec<_>>(),
        vec![5, 2]
    );
    assert_eq!(summary.skipped_rows(), 2);
    // Two delivery days, each written once the next began.
    assert_eq!((summary.delivery_days, summary.days_held), (2, 1));
    let text = summary.to_string();
    assert!(text.contains("unknown status: 1 (first: "), "{text}");
    assert!(text.contains("posts.csv line 6"), "{text}");
    assert!(text.contains("missing due_at: 1 (first: "), "{text}");
    assert!(text.contains("more.jsonl line 2"), "{text}");
    let meta = json(&out.join("meta.json"));
    assert_eq!(
        meta["delivery_days"],
        serde_json::json!(["2016-08-02", "2016-08-03"])
    );
    assert_eq!(meta["post_days"], serde_json::json!(["2016-08-03"]));
    assert_eq!(
        meta["networks"],
        serde_json::json!(["facebook", "linkedin", "twitter"])
    );
    assert_eq!(meta["currency"], "USD");
    assert_eq!(meta["generated_at"], "2016-08-04T00:00:00Z");
    for h in 0..24 {
        assert!(
            out.join(format!("posts/2016-08-03/{h:02}.json")).is_file(),
            "hour {h}"
        );
    }
    let day = json(&out.join("delivery/2016-08-03.json"));
    let series = day["series"].as_array().unwrap();
    let twitter = series.iter().find(|s| s["network"] == "twitter").unwrap();
    // a1: 90 s late at 08:00 (bucket 3, lower edge 90 inclusive); a2: 5.5 s (bucket 0).
    assert_eq!(twitter["counts"][480 * 4 + 3], 1);
    assert_eq!(twitter["counts"][480 * 4], 1);
    let facebook = series.iter().find(|s| s["network"] == "facebook").unwrap();
    assert_eq!(facebook["failed"][8 * 60 + 5], 1);
    let hour = json(&out.join("posts/2016-08-03/08.json"));
    let ids: Vec<&str> = hour["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["a1", "a2", "a3"]);
    assert_eq!(hour["posts"][0]["text"], "Hello, <b>world</b>");
    assert_eq!(hour["posts"][1]["sent_at"], "2016-08-03T08:00:15.5Z");
    assert_eq!(hour["posts"][1]["due_at"], "2016-08-03T08:00:10Z");
    assert_eq!(hour["posts"][2]["sent_at"], serde_json::Value::Null);
    assert_eq!(hour["posts"][2]["due_at"], "2016-08-03T08:05:00Z");
    assert_eq!(hour["posts"][2]["error"], "timeout");
    let empty = json(&out.join("posts/2016-08-03/00.json"));
    assert_eq!(empty["posts"], serde_json::json!([]));

    let first = snapshot(&out);
    ingest(&[
        "--out",
        out_s,
        "--posts",
        csv,
        "--posts",
        jsonl,
        "--post-days",
        "1",
    ])
    .unwrap();
    assert_eq!(snapshot(&out), first, "a re-run is byte-identical");

    // A failed run (a skipped row under --strict) leaves the dataset as it was.
    let err = ingest(&["--out", out_s, "--posts", csv, "--strict"]).unwrap_err();
    assert!(err.contains("--strict: 1 rows would be skipped"), "{err}");
    assert_eq!(snapshot(&out), first, "a failed run changes nothing");

    // Skips name the file's own line, after a quoted field over three lines.
    let multi = dir.join("multi.csv");
    fs::write(
        &multi,
        "id,profile,network,media,text,due_at,status\n\
         m1,M,twitter,text,\"one\ntwo\nthree\",2016-08-03T12:00:00Z,pending\n\
         m2,M,twitter,text,x,2016-08-03T12:00:00Z,queued\n",
    )
    .unwrap();
    let err = ingest(&[
        "--out",
        out_s,
        "--posts",
        multi.to_str().unwrap(),
        "--strict",
    ])
    .unwrap_err();
    assert!(err.contains("multi.csv line 5"), "{err}");

    // A run with a new day adds it and keeps the days already there.
    let later = dir.join("later.csv");
    fs::write(
        &later,
        "id,profile,network,media,text,due_at,sent_at,status\nc1,C,pinterest,image,z,2016-08-10T12:00:00Z,2016-08-10T12:00:01Z,sent\n",
    )
    .unwrap();
    ingest(&[
        "--out",
        out_s,
        "--posts",
        later.to_str().unwrap(),
        "--post-days",
        "1",
    ])
    .unwrap();
    let meta = json(&out.join("meta.json"));
    assert_eq!(
        meta["delivery_days"],
        serde_json::json!(["2016-08-02", "2016-08-03", "2016-08-10"])
    );
    assert_eq!(
        meta["post_days"],
        serde_json::json!(["2016-08-03", "2016-08-10"])
    );
    assert_eq!(
        meta["networks"],
        serde_json::json!(["facebook", "linkedin", "pinterest", "twitter"])
    );
    assert!(out.join("delivery/2016-08-02.json").is_file());
    assert!(!snapshot(&out).keys().any(|k| k.contains("staging")));
    fs::remove_dir_all(&dir).unwrap_or(());
}

/// A path as an argument.
fn s(p: &Path) -> String {
    p.to_str().unwrap().to_owned()
}

/// A temporary folder with two input files, (name, body) each, written
/// into it: (folder, first, second, the output folder in it).
fn two_inputs(
    name: &str,
    first: (&str, &str),
    second: (&str, &str),
) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let dir = temp(name);
    let (a, b) = (dir.join(first.0), dir.join(second.0));
    fs::write(&a, first.1).unwrap();
    fs::write(&b, second.1).unwrap();
    let out = dir.join("out");
    (dir, a, b, out)
}

#[test]
fn reports_sum_services_and_count_bugs_per_month() {
    let (dir, services, bugs, out) = two_inputs(
        "reports",
        ("services.csv", "day,service,requests,avg_response_ms\n2016-08-01,web,100,200\n2016-08-02,web,300,100\n2016-07-31,api,10,50.5\n"),
        ("bugs.csv", "id,severity,opened_at,closed_at\n1,S1,2016-08-01,2016-08-30\n2,S1,2016-08-02T10:00:00Z,2016-09-01\n3,S2,2016-07-05,\n"),
    );
    let summary = ingest(&[
        "--out",
        &s(&out),
        "--services",
        &s(&services),
        "--bugs",
        &s(&bugs),
    ])
    .unwrap();
    assert_eq!(summary.report_months, 2);
    let aug = json(&out.join("reports/2016-08.json"));
    assert_eq!(
        aug["services"],
        serde_json::json!([{"name": "web", "requests": 400, "avg_response_ms": 125.0}])
    );
    assert_eq!(
        aug["bugs"],
        serde_json::json!([{"severity": "S1", "opened": 2, "closed": 1}])
    );
    let jul = json(&out.join("reports/2016-07.json"));
    assert_eq!(
        jul["bugs"],
        serde_json::json!([{"severity": "S2", "opened": 1, "closed": 0}])
    );
    let meta = json(&out.join("meta.json"));
    assert_eq!(
        meta["report_months"],
        serde_json::json!(["2016-07", "2016-08"])
    );

    fs::write(
        &services,
        "day,service,requests,avg_response_ms\n2016-08-01,web,many,200\n",
    )
    .unwrap();
    let err = ingest(&["--out", &s(&out), "--services", &s(&services)]).unwrap_err();
    assert!(err.contains("line 2"), "{err}");
    fs::remove_dir_all(&dir).unwrap_or(());
}

#[test]
fn aggregates_from_a_warehouse_become_delivery_days() {
    // Days out of order within each file and across the two.
    let (dir, hist, failed, out) = two_inputs(
        "aggregates",
        (
            "hist.csv",
            "day,network,media,minute,bucket,count\n2016-08-03,twitter,video,480,3,7\n\
             2016-08-01,twitter,video,0,0,1\n2016-08-03,twitter,video,480,3,1\n",
        ),
        (
            "failed.csv",
            "day,network,media,minute,failed\n2016-08-03,twitter,video,481,2\n\
             2016-08-02,facebook,text,5,4\n",
        ),
    );
    let both = || {
        ingest(&[
            "--out",
            &s(&out),
            "--aggregates",
            &s(&hist),
            "--aggregates",
            &s(&failed),
        ])
    };
    let summary = both().unwrap();
    assert_eq!(
        summary.read.iter().map(|r| r.2).collect::<Vec<_>>(),
        vec![3, 2]
    );
    // Read in day order: one day's histograms held at a time.
    assert_eq!((summary.delivery_days, summary.days_held), (3, 1));
    let day = json(&out.join("delivery/2016-08-03.json"));
    assert_eq!(day["series"][0]["counts"][480 * 4 + 3], 8);
    assert_eq!(day["series"][0]["failed"][481], 2);
    let first = json(&out.join("delivery/2016-08-01.json"));
    assert_eq!(first["series"][0]["counts"][0], 1);
    let second = json(&out.join("delivery/2016-08-02.json"));
    assert_eq!(second["series"][0]["network"], "facebook");
    assert_eq!(second["series"][0]["failed"][5], 4);
    fs::write(
        &hist,
        "day,network,media,minute,bucket,count\n2016-08-03,twitter,video,480,4,7\n",
    )
    .unwrap();
    let err = ingest(&["--out", &s(&out), "--aggregates", &s(&hist)]).unwrap_err();
    assert!(err.contains("line 2") && err.contains("bucket 4"), "{err}");
    // A row of the second file is named by its own file and line.
    fs::write(
        &hist,
        "day,network,media,minute,bucket,count\n2016-08-03,twitter,video,480,3,7\n",
    )
    .unwrap();
    fs::write(
        &failed,
        "day,network,media,minute,failed\n2016-08-02,facebook,text,5,4\n2016-08-01,x,gif,5,1\n",
    )
    .unwrap();
    let err = both().unwrap_err();
    assert!(
        err.contains("failed.csv: row at line 3") && err.contains("not a media"),
        "{err}"
    );
    fs::remove_dir_all(&dir).unwrap_or(());
}

/// A Parquet file of typed columns made by DuckDB from `select`.
fn parquet(path: &Path, select: &str) {
    let mut duck = crate::engine::duck::Duck::open().unwrap();
    crate::engine::Engine::exec(
        &mut duck,
        &format!(
            "COPY ({select}) TO {} (FORMAT parquet)",
            crate::engine::duck::quote(path.to_str().unwrap())
        ),
    )
    .unwrap();
}

#[test]
fn parquet_statistics_spare_checks_only_when_they_prove_them() {
    let dir = temp("parquet-stats");
    let rows = |bytes: [&str; 3], ids: [&str; 3]| {
        format!(
            "SELECT * FROM (VALUES \
             ({}, 'A', 'twitter', 'video', {}, 'x', NULL, TIMESTAMP '2016-08-03 08:00:00', TIMESTAMP '2016-08-03 08:00:05', 'sent', NULL), \
             ({}, 'A', 'twitter', 'video', {}, 'x', NULL, TIMESTAMP '2016-08-03 08:01:00', TIMESTAMP '2016-08-03 08:01:05', 'sent', NULL), \
             ({}, 'A', 'twitter', 'video', {}, 'x', NULL, TIMESTAMP '2016-08-03 08:02:00', TIMESTAMP '2016-08-03 08:02:05', 'sent', NULL)) \
             AS t(id, profile, network, media, media_bytes, text, thumbnail_url, due_at, sent_at, status, error)",
            ids[0], bytes[0], ids[1], bytes[1], ids[2], bytes[2]
        )
    };
    let mut duck = crate::engine::duck::Duck::open().unwrap();

    // Ids all there and byte counts in range: both checks are proven.
    let clean = dir.join("clean.parquet");
    parquet(
        &clean,
        &rows(
            ["CAST(1500 AS BIGINT)", "NULL", "0"],
            ["'p1'", "'p2'", "'p3'"],
        ),
    );
    assert_eq!(crate::source::proven(&mut duck, &clean), Ok((true, true)));
    let out = dir.join("out");
    let summary = ingest(&["--out", &s(&out), "--posts", &s(&clean), "--post-days", "1"]).unwrap();
    assert_eq!(summary.skipped_rows(), 0);
    let hour = json(&out.join("posts/2016-08-03/08.json"));
    assert_eq!(hour["posts"][0]["media_bytes"], 1500);
    assert_eq!(hour["posts"][1]["media_bytes"], serde_json::Value::Null);
    assert_eq!(hour["posts"][2]["media_bytes"], 0);

    // An empty id, a negative count and one over 15 digits: nothing is
    // proven and each row is checked on its value.
    let dirty = dir.join("dirty.parquet");
    parquet(
        &dirty,
        &rows(
            ["CAST(-5 AS BIGINT)", "1000000000000000", "999999999999999"],
            ["'q1'", "'q2'", "''"],
        ),
    );
    assert_eq!(crate::source::proven(&mut duck, &dirty), Ok((false, false)));
    let summary = ingest(&["--out", &s(&dir.join("out2")), "--posts", &s(&dirty)]).unwrap();
    let text = summary.to_string();
    assert!(
        text.contains("unreadable media_bytes: 2 (first: "),
        "{text}"
    );
    assert!(text.contains("dirty.parquet row 1"), "{text}");
    assert!(text.contains("missing id: 1 (first: "), "{text}");
    assert!(text.contains("dirty.parquet row 3"), "{text}");

    // A text column's statistics bound nothing: "12 MB" sorts between
    // "100" and "999" and is still caught.
    let texts = dir.join("texts.parquet");
    parquet(
        &texts,
        &rows(["'100'", "'12 MB'", "'999'"], ["'r1'", "'r2'", "'r3'"]),
    );
    assert_eq!(crate::source::proven(&mut duck, &texts), Ok((true, false)));
    let summary = ingest(&["--out", &s(&dir.join("out3")), "--posts", &s(&texts)]).unwrap();
    let text = summary.to_string();
    assert!(
        text.contains("unreadable media_bytes: 1 (first: "),
        "{text}"
    );
    assert!(text.contains("texts.parquet row 2"), "{text}");
    fs::remove_dir_all(&dir).unwrap_or(());
}

/// Posts around the start of 2016-08-03, the latest day: the first two
/// and the last fall on it, in UTC or through their offset.
const MIDNIGHT_CSV: &str = "\
id,profile,network,media,text,due_at,sent_at,status
n1,N,twitter,text,x,2016-08-02T23:59:59.999Z,2016-08-03T00:00:01Z,sent
n2,N,twitter,text,x,2016-08-03T00:00:00Z,2016-08-03T00:00:02Z,sent
n3,N,twitter,text,x,2016-08-03T01:00:00+02:00,,pending
n4,N,twitter,text,x,2016-08-02T23:30:00-01:00,,failed
n5,N,twitter,text,x,2016-08-03T00:00:00Z,2016-08-03T00:00:03.25Z,sent
n6,N,twitter,text,x,2016-08-01T12:00:00Z,,pending
n7,N,twitter,text,x,2016-08-03T23:59:59.5Z,2016-08-04T00:00:04Z,sent
";

/// The ids of the posts listed by the page at `path` among `docs`.
fn ids(docs: &BTreeMap<String, Vec<u8>>, path: &str) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_slice(&docs[path]).unwrap();
    doc["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The posts pages of a run, by path.
fn pages(out: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(out)
        .into_iter()
        .filter(|(k, _)| k.starts_with("posts"))
        .collect()
}

#[test]
fn each_file_is_cut_to_the_post_days_on_its_own_column() {
    let dir = temp("cut");
    let csv = dir.join("posts.csv");
    fs::write(&csv, MIDNIGHT_CSV).unwrap();
    let run = |name: &str, inputs: &[&Path]| {
        let out = dir.join(name);
        let mut argv = vec![
            "--out".to_owned(),
            s(&out),
            "--post-days".to_owned(),
            "1".to_owned(),
        ];
        for p in inputs {
            argv.extend(["--posts".to_owned(), s(p)]);
        }
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        ingest(&argv).unwrap();
        pages(&out)
    };
    let text = run("text", &[&csv]);
    let hour = |docs: &BTreeMap<String, Vec<u8>>, h: &str| {
        ids(docs, &format!("posts/2016-08-03/{h}.json"))
    };
    assert_eq!(hour(&text, "00"), ["n2", "n5", "n4"]);
    assert_eq!(hour(&text, "23"), ["n7"]);
    assert_eq!(text.len(), 24);

    // The same posts with typed instants, in every timestamp type a
    // Parquet file may hold: the same pages.
    let csv_in = crate::engine::duck::quote(csv.to_str().unwrap());
    for ty in ["TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_NS", "TIMESTAMP_MS"] {
        let file = dir.join(format!("{ty}.parquet"));
        parquet(
            &file,
            &format!(
                "SELECT * REPLACE (CAST(CAST(due_at AS TIMESTAMPTZ) AS {ty}) AS due_at, \
                 CAST(CAST(sent_at AS TIMESTAMPTZ) AS {ty}) AS sent_at) \
                 FROM read_csv({csv_in}, header = true, all_varchar = true)"
            ),
        );
        assert_eq!(run(ty, &[&file]), text, "{ty}");
    }

    // Typed and text files together: each cut on its own column.
    let later = dir.join("later.csv");
    fs::write(
        &later,
        "id,profile,network,media,text,due_at,status\nm1,M,twitter,text,y,2016-08-03T00:00:00+00:00,pending\n",
    )
    .unwrap();
    let mixed = run("mixed", &[&dir.join("TIMESTAMP.parquet"), &later]);
    assert_eq!(hour(&mixed, "00"), ["n2", "n5", "m1", "n4"]);
    fs::remove_dir_all(&dir).unwrap_or(());
}

#[test]
fn post_days_read_in_passes_write_the_pages_of_one_reading() {
    let dir = temp("passes");
    let csv = dir.join("posts.csv");
    fs::write(&csv, MIDNIGHT_CSV).unwrap();
    let typed = dir.join("typed.parquet");
    let csv_in = crate::engine::duck::quote(csv.to_str().unwrap());
    parquet(
        &typed,
        &format!(
            "SELECT * REPLACE (CAST(due_at AS TIMESTAMPTZ) AS due_at, \
             CAST(sent_at AS TIMESTAMPTZ) AS sent_at) \
             FROM read_csv({csv_in}, header = true, all_varchar = true)"
        ),
    );
    for (i, input) in [&csv, &typed].into_iter().enumerate() {
        let run = |name: &str, per_pass: Option<&str>| {
            let out = dir.join(format!("{i}-{name}"));
            let mut argv = vec!["--out".to_owned(), s(&out), "--posts".to_owned(), s(input)];
            if let Some(n) = per_pass {
                argv.extend(["--posts-per-pass".to_owned(), n.to_owned()]);
            }
            let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
            let summary = ingest(&argv).unwrap();
            (summary, pages(&out))
        };
        let (one, whole) = run("one", None);
        // Posts per day: 2016-08-01 one, 08-02 two (n1, and n3 through
        // its offset), 08-03 four.
        for (per_pass, passes) in [("1", 3), ("2", 3), ("3", 2), ("7", 1)] {
            let (summary, parts) = run(per_pass, Some(per_pass));
            assert_eq!(summary.post_passes, passes, "{input:?}, {per_pass} a pass");
            assert_eq!(summary.posts_written, 7);
            assert_eq!(parts, whole, "{input:?}, {per_pass} a pass");
        }
        assert_eq!((one.post_passes, one.posts_written), (1, 7));
        assert_eq!(whole.len(), 3 * 24);
        assert_eq!(ids(&whole, "posts/2016-08-02/23.json"), ["n3", "n1"]);
        assert_eq!(ids(&whole, "posts/2016-08-03/00.json"), ["n2", "n5", "n4"]);
    }
    fs::remove_dir_all(&dir).unwrap_or(());
}
