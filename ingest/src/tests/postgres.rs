//! DuckDB and PostgreSQL write byte-identical documents from the same
//! post log. Needs a server: `PULSE_PG` holds its connection string
//! (`scripts/test.sh` starts one with `scripts/pg.sh`); without it the
//! test says so and passes.

use super::runs::{ingest, snapshot, temp, CSV, JSONL};
use crate::engine::duck::{quote, Duck};
use crate::engine::{rows, Cell};
use std::fs;

#[test]
fn postgres_and_duckdb_write_identical_documents() {
    let Ok(url) = std::env::var("PULSE_PG") else {
        eprintln!("PULSE_PG is not set: the PostgreSQL comparison did not run");
        return;
    };
    let dir = temp("postgres");
    let (csv, jsonl) = (dir.join("posts.csv"), dir.join("more.jsonl"));
    fs::write(&csv, CSV).unwrap();
    fs::write(&jsonl, JSONL).unwrap();
    // The same rows, read by DuckDB, into a PostgreSQL table of text columns.
    let mut duck = Duck::open().unwrap();
    let raw = crate::source::files(&mut duck, &[csv.clone(), jsonl.clone()])
        .unwrap()
        .relation();
    let columns = crate::source::COLUMNS.join(", ");
    let table = rows(
        &mut duck,
        &format!("SELECT {columns} FROM {raw} ORDER BY file, line"),
    )
    .unwrap();
    let mut pg = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let cols = crate::source::COLUMNS
        .map(|c| format!("{c} text"))
        .join(", ");
    pg.batch_execute(&format!(
        "DROP TABLE IF EXISTS pulse_posts; CREATE TABLE pulse_posts ({cols})"
    ))
    .unwrap();
    for r in &table {
        let values: Vec<String> = r
            .iter()
            .map(|c| match c {
                Cell::Text(s) => quote(s),
                _ => "NULL".to_owned(),
            })
            .collect();
        pg.batch_execute(&format!(
            "INSERT INTO pulse_posts VALUES ({})",
            values.join(", ")
        ))
        .unwrap();
    }
    let s = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    let (a, b, c) = (dir.join("duck"), dir.join("pg"), dir.join("pgq"));
    let duck_run = ingest(&[
        "--out",
        &s(&a),
        "--posts",
        &s(&csv),
        "--posts",
        &s(&jsonl),
        "--post-days",
        "2",
    ])
    .unwrap();
    let pg_table = |out: &std::path::Path, more: &[&str]| {
        let mut argv = vec![
            "--out".to_owned(),
            s(out),
            "--postgres".to_owned(),
            url.clone(),
            "--posts-table".to_owned(),
            "pulse_posts".to_owned(),
            "--post-days".to_owned(),
            "2".to_owned(),
        ];
        argv.extend(more.iter().map(|m| m.to_string()));
        ingest(&argv.iter().map(String::as_str).collect::<Vec<_>>()).unwrap()
    };
    let pg_run = pg_table(&b, &[]);
    ingest(&[
        "--out",
        &s(&c),
        "--postgres",
        &url,
        "--posts-query",
        "SELECT * FROM pulse_posts",
        "--post-days",
        "2",
    ])
    .unwrap();
    // The two post days read one at a time: the same documents.
    let d = dir.join("pg-passes");
    let passes = pg_table(&d, &["--posts-per-pass", "1"]);
    assert_eq!((pg_run.post_passes, passes.post_passes), (1, 2));
    // PostgreSQL's rows come in day order too.
    assert!(pg_run.delivery_days > 1, "{} days", pg_run.delivery_days);
    assert_eq!(pg_run.days_held, 1);
    let docs = snapshot(&a);
    assert!(docs.len() > 40, "{} documents", docs.len());
    assert_eq!(snapshot(&b), docs);
    assert_eq!(snapshot(&c), docs);
    assert_eq!(snapshot(&d), docs);
    assert_eq!(duck_run.skipped_rows(), pg_run.skipped_rows());
    assert_eq!(
        duck_run.skipped.keys().collect::<Vec<_>>(),
        pg_run.skipped.keys().collect::<Vec<_>>()
    );
    pg.batch_execute("DROP TABLE pulse_posts").unwrap();
    fs::remove_dir_all(&dir).unwrap_or(());
}
