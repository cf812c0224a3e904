//! Every document in `public/` follows the JSON Schemas of the data
//! contract (`src/api/schema/`), and the schemas do reject broken
//! documents.
#![cfg(not(target_arch = "wasm32"))]
// A panic in a test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use jsonschema::Validator;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &Path) -> Value {
    let body = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The validator of `src/api/schema/{name}.schema.json`, with `format`
/// (date, date-time) checked too.
fn schema(name: &str) -> Validator {
    let path = root().join(format!("src/api/schema/{name}.schema.json"));
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&read_json(&path))
        .unwrap_or_else(|e| panic!("{}: not a valid schema: {e}", path.display()))
}

/// The first few problems of `doc` against `validator`, as text.
fn problems(validator: &Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .take(5)
        .map(|e| format!("at {:?}: {e}", e.instance_path().to_string()))
        .collect()
}

fn assert_valid(validator: &Validator, doc: &Value, what: &str) {
    let p = problems(validator, doc);
    assert!(p.is_empty(), "{what}: {p:#?}");
}

fn public(rel: &str) -> PathBuf {
    rel.split('/')
        .fold(root().join("public"), |p, part| p.join(part))
}

/// Every `.json` file below `dir`, as paths relative to `public/`.
fn json_files(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            let rel = path.strip_prefix(root().join("public")).unwrap();
            let parts: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            out.insert(parts.join("/"));
        }
    }
}

#[test]
fn every_public_document_follows_its_schema() {
    let mut checked = BTreeSet::new();
    let mut check = |rel: String, validator: &Validator| {
        assert_valid(validator, &read_json(&public(&rel)), &rel);
        checked.insert(rel);
    };
    check("config.json".into(), &schema("config"));
    check("api/v1/meta.json".into(), &schema("meta"));
    let meta = read_json(&public("api/v1/meta.json"));
    let list = |key: &str| -> Vec<String> {
        meta[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let report = schema("report");
    for m in list("report_months") {
        check(format!("api/v1/reports/{m}.json"), &report);
    }
    let delivery = schema("delivery");
    for d in list("delivery_days") {
        check(format!("api/v1/delivery/{d}.json"), &delivery);
    }
    let posts = schema("posts");
    for d in list("post_days") {
        for h in 0..24 {
            check(format!("api/v1/posts/{d}/{h:02}.json"), &posts);
        }
    }
    check(
        "api/v1/revenue/events.json".into(),
        &schema("revenue-events"),
    );
    assert_eq!(meta["annotations"], json!(true));
    check("api/v1/annotations.json".into(), &schema("annotations"));
    assert_eq!(checked.len(), 1 + 1 + 2 + 31 + 48 + 1 + 1);

    // No JSON document in the API folder escapes a schema.
    let mut found = BTreeSet::new();
    json_files(&public("api"), &mut found);
    found.insert("config.json".into());
    let unchecked: Vec<_> = found.difference(&checked).collect();
    assert!(unchecked.is_empty(), "not checked: {unchecked:?}");
}

/// `base` with the JSON value at `pointer` replaced by `value`.
fn with(base: &Value, pointer: &str, value: Value) -> Value {
    let mut doc = base.clone();
    *doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer} is not in the document")) = value;
    doc
}

/// `base` without the field at `pointer`.
fn without(base: &Value, pointer: &str) -> Value {
    let mut doc = base.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    doc.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key)
        .unwrap();
    doc
}

/// A broken variant of a document, and what is wrong with it.
type Broken = (&'static str, Value);

#[test]
fn broken_documents_are_rejected() {
    let meta = json!({
        "name": "Demo dataset", "generated_at": "2016-09-01T00:00:00Z", "currency": "USD",
        "report_months": ["2016-07"], "delivery_days": ["2016-08-01"], "post_days": [],
        "networks": ["twitter"], "plans": [{"id": "awesome", "name": "Awesome"}]
    });
    let counts = vec![0; 1440 * 12];
    let delivery = json!({
        "date": "2016-08-03", "bounds_s": [10, 60, 90],
        "series": [{"network": "twitter", "media": "image", "counts": counts, "failed": vec![0; 1440]}]
    });
    let post = json!({
        "id": "p_1", "profile": "Acme", "network": "twitter", "media": "text", "media_bytes": null,
        "text": "hi", "thumbnail_url": null, "due_at": "2016-08-03T08:00:00Z",
        "sent_at": "2016-08-03T08:00:05Z", "status": "sent", "error": null
    });
    let posts = json!({"date": "2016-08-03", "hour": 8, "posts": [post]});
    let events = json!({
        "currency": "USD",
        "events": [{"customer": "cus_1", "at": "2015-01-04T12:00:00Z", "kind": "subscribe", "plan": "awesome", "mrr_cents": 1000}],
        "reported_mrr": {"months": ["2015-01"], "mrr_cents": [1000]}
    });
    let report = json!({
        "month": "2016-08",
        "services": [{"name": "buffer.com", "requests": 68300000, "avg_response_ms": 220.0}],
        "bugs": [{"severity": "S1", "opened": 2, "closed": 2}]
    });
    let config = json!({"api_base": "api/v1"});
    let annotations = json!({"annotations": [
        {"id": "a", "kind": "incident", "title": "Outage", "from": "2016-08-19T14:05:00Z", "to": "2016-08-19T17:40:00Z"},
        {"id": "b", "kind": "deploy", "title": "Deploy", "at": "2016-08-19T13:50:00Z", "tags": ["buffer.com"]}
    ]});

    let cases: Vec<(&str, &Value, Vec<Broken>)> = vec![
        (
            "annotations",
            &annotations,
            vec![
                (
                    "unknown kind",
                    with(&annotations, "/annotations/0/kind", json!("outage")),
                ),
                ("no time", without(&annotations, "/annotations/1/at")),
                (
                    "moment and range",
                    json!({"annotations": [{"id": "a", "kind": "note", "title": "t", "at": "2016-08-19T13:00:00Z",
                        "from": "2016-08-19T13:00:00Z", "to": "2016-08-19T14:00:00Z"}]}),
                ),
                (
                    "empty title",
                    with(&annotations, "/annotations/0/title", json!("")),
                ),
                (
                    "bad at",
                    with(&annotations, "/annotations/1/at", json!("yesterday")),
                ),
            ],
        ),
        (
            "config",
            &config,
            vec![
                ("missing api_base", without(&config, "/api_base")),
                ("empty api_base", with(&config, "/api_base", json!(""))),
                (
                    "negative refresh",
                    json!({"api_base": "x", "refresh_seconds": -1}),
                ),
            ],
        ),
        (
            "meta",
            &meta,
            vec![
                (
                    "lower-case currency",
                    with(&meta, "/currency", json!("usd")),
                ),
                (
                    "bad timestamp",
                    with(&meta, "/generated_at", json!("2016-09-01 00:00")),
                ),
                (
                    "bad day",
                    with(&meta, "/delivery_days/0", json!("2016-08-32")),
                ),
                (
                    "bad month",
                    with(&meta, "/report_months/0", json!("2016-13")),
                ),
                ("missing plans", without(&meta, "/plans")),
            ],
        ),
        (
            "delivery",
            &delivery,
            vec![
                (
                    "unknown media",
                    with(&delivery, "/series/0/media", json!("gif")),
                ),
                (
                    "negative count",
                    with(&delivery, "/series/0/counts/5", json!(-1)),
                ),
                (
                    "fractional count",
                    with(&delivery, "/series/0/counts/5", json!(1.5)),
                ),
                ("zero bound", with(&delivery, "/bounds_s/0", json!(0))),
                (
                    "short failed",
                    with(&delivery, "/series/0/failed", json!([0, 0])),
                ),
                ("not a date", with(&delivery, "/date", json!("03/08/2016"))),
            ],
        ),
        (
            "posts",
            &posts,
            vec![
                (
                    "unknown status",
                    with(&posts, "/posts/0/status", json!("queued")),
                ),
                ("hour 24", with(&posts, "/hour", json!(24))),
                ("missing due_at", without(&posts, "/posts/0/due_at")),
                (
                    "bad due_at",
                    with(&posts, "/posts/0/due_at", json!("yesterday")),
                ),
                (
                    "negative size",
                    with(&posts, "/posts/0/media_bytes", json!(-5)),
                ),
                ("numeric text", with(&posts, "/posts/0/text", json!(42))),
            ],
        ),
        (
            "revenue-events",
            &events,
            vec![
                (
                    "unknown kind",
                    with(&events, "/events/0/kind", json!("upgrade")),
                ),
                (
                    "negative mrr",
                    with(&events, "/events/0/mrr_cents", json!(-1000)),
                ),
                ("empty plan", with(&events, "/events/0/plan", json!(""))),
                ("missing months", without(&events, "/reported_mrr/months")),
            ],
        ),
        (
            "report",
            &report,
            vec![
                (
                    "negative requests",
                    with(&report, "/services/0/requests", json!(-1)),
                ),
                ("string opened", with(&report, "/bugs/0/opened", json!("2"))),
                ("bad month", with(&report, "/month", json!("August"))),
            ],
        ),
    ];
    for (name, good, broken) in cases {
        let validator = schema(name);
        assert_valid(&validator, good, &format!("{name}: the good document"));
        for (what, doc) in broken {
            assert!(
                !problems(&validator, &doc).is_empty(),
                "{name}: {what} was accepted"
            );
        }
    }
}
