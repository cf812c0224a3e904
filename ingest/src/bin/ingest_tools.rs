//! Helpers for the ingest's end-to-end test and benchmark, on the same
//! DuckDB library as `pulse-ingest` (never part of a dataset):
//!
//! - `ingest-tools to-parquet IN.csv OUT.parquet`: a CSV post log as
//!   Parquet, `due_at`/`sent_at` as UTC timestamp columns.
//! - `ingest-tools bench-data DIR POSTS DAYS EVENTS`: `DIR/posts.parquet`
//!   (POSTS posts over DAYS days from 2016-08-01, clustered on the hour,
//!   the days shuffled through the file) and `DIR/stripe.jsonl` (EVENTS
//!   Stripe events).
//! - `ingest-tools due-order IN.parquet OUT.parquet`: the same post log as
//!   exported `ORDER BY due_at` (rows of the same instant in IN's order),
//!   so that each day lies in a few row groups of its own.
//! - `ingest-tools bare-query FILE.parquet`: DuckDB's bare aggregation of
//!   the post log (histogram rows per day, network, media, minute and
//!   bucket), the yardstick the benchmark compares `pulse-ingest` with.
//! - `ingest-tools bare-posts FILE.parquet`: DuckDB's bare read of what
//!   `--post-days 1` lists, every column of the latest day's posts,
//!   nothing written: with the bare query, the least the engine itself
//!   does for a run's documents.

use duckdb::Connection;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn to_parquet(conn: &Connection, csv: &str, out: &str) -> Result<(), String> {
    conn.execute_batch(&format!(
        "COPY (SELECT * REPLACE (CAST(due_at AS TIMESTAMP) AS due_at, CAST(sent_at AS TIMESTAMP) AS sent_at)
           FROM read_csv({}, header = true, all_varchar = true)) TO {} (FORMAT parquet)",
        quote(csv),
        quote(out)
    ))
    .map_err(|e| e.to_string())
}

fn bench_data(
    conn: &Connection,
    dir: &str,
    posts: u64,
    days: u64,
    events: u64,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let path = format!("{dir}/posts.parquet");
    conn.execute_batch(&format!(
        "COPY (
           SELECT 'u_' || i AS id, 'Profile ' || (i % 5000) AS profile,
             ['twitter', 'facebook', 'linkedin', 'instagram', 'pinterest', 'google'][1 + i % 6] AS network,
             ['text', 'image', 'video', 'link'][1 + (i // 6) % 4] AS media,
             CASE WHEN (i // 6) % 4 IN (1, 2) THEN 100000 + (i * 7919) % 20000000 END AS media_bytes,
             'Post ' || i || ' of the benchmark' AS text,
             CASE WHEN (i // 6) % 4 = 1 THEN 'media/u_' || i || '.jpg' END AS thumbnail_url,
             due_at,
             CASE WHEN i % 50 = 0 THEN NULL ELSE due_at + to_microseconds((i * 104729) % 240000000) END AS sent_at,
             CASE WHEN i % 100 = 0 THEN 'failed' WHEN i % 100 = 50 THEN 'pending' ELSE 'sent' END AS status,
             CASE WHEN i % 100 = 0 THEN 'network timeout' END AS error
           FROM (
             SELECT i, TIMESTAMP '2016-08-01 00:00:00'
               + to_days(CAST((i * 2654435761) % {days} AS INTEGER))
               + to_minutes(CAST(CASE WHEN i % 3 = 0 THEN ((i // 3) % 24) * 60 ELSE (i * 40503) % 1440 END AS INTEGER))
               + to_seconds(CAST(i % 7 AS INTEGER) * (i % 2)) AS due_at
             FROM range({posts}) AS t(i)
           )
         ) TO {} (FORMAT parquet)",
        quote(&path)
    ))
    .map_err(|e| e.to_string())?;
    let file = std::fs::File::create(format!("{dir}/stripe.jsonl")).map_err(|e| e.to_string())?;
    let mut w = std::io::BufWriter::new(file);
    let plans = [("awesome", 1000), ("business", 5000), ("agency", 9900)];
    let first = ("awesome", 1000);
    for n in 0..events {
        let customer = n % (events / 10).max(1);
        let kind = match n / (events / 10).max(1) {
            0 => "created",
            9 => "deleted",
            _ => "updated",
        };
        let (plan, amount) = plans.get((n % 3) as usize).copied().unwrap_or(first);
        let status = if kind == "deleted" {
            "canceled"
        } else {
            "active"
        };
        writeln!(
            w,
            r#"{{"id":"evt_{n:08}","object":"event","type":"customer.subscription.{kind}","created":{},"data":{{"object":{{"id":"sub_{customer}","object":"subscription","customer":"cus_{customer}","status":"{status}","currency":"usd","items":{{"data":[{{"quantity":1,"price":{{"id":"price_{plan}","nickname":"{plan}","unit_amount":{amount},"currency":"usd","recurring":{{"interval":"month","interval_count":1}}}}}}]}}}}}}}}"#,
            1_420_070_400 + n * 60
        )
        .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

fn due_order(conn: &Connection, input: &str, out: &str) -> Result<(), String> {
    conn.execute_batch(&format!(
        "SET preserve_insertion_order = true;
         COPY (SELECT * EXCLUDE (file_row_number)
               FROM read_parquet({}, file_row_number = true)
               ORDER BY due_at, file_row_number)
           TO {} (FORMAT parquet)",
        quote(input),
        quote(out)
    ))
    .map_err(|e| e.to_string())
}

fn bare_query(conn: &Connection, file: &str) -> Result<(), String> {
    let start = Instant::now();
    let sql = format!(
        "SELECT CAST(due_at AS DATE) AS day, network, media,
           CAST(hour(due_at) * 60 + minute(due_at) AS BIGINT) AS minute,
           CASE WHEN status = 'sent' THEN CASE
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 10000000 THEN 0
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 20000000 THEN 1
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 30000000 THEN 2
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 45000000 THEN 3
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 60000000 THEN 4
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 90000000 THEN 5
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 120000000 THEN 6
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 180000000 THEN 7
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 300000000 THEN 8
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 600000000 THEN 9
             WHEN epoch_us(sent_at) - epoch_us(due_at) < 1800000000 THEN 10 ELSE 11 END
             WHEN status = 'failed' THEN -1 ELSE -2 END AS bucket,
           count(*) AS n
         FROM read_parquet({}) GROUP BY ALL",
        quote(file)
    );
    let mut stmt = conn.prepare(&sql).map_err(|e| e.to_string())?;
    let mut rows = stmt.query([]).map_err(|e| e.to_string())?;
    let (mut groups, mut posts) = (0u64, 0i64);
    while let Some(r) = rows.next().map_err(|e| e.to_string())? {
        groups += 1;
        posts += r.get::<_, i64>(5).map_err(|e| e.to_string())?;
    }
    println!(
        "bare query: {posts} posts, {groups} groups, {:.3} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn bare_posts(conn: &Connection, file: &str) -> Result<(), String> {
    let start = Instant::now();
    let day: String = conn
        .query_row(
            &format!(
                "SELECT CAST(CAST(max(due_at) AS DATE) AS VARCHAR) FROM read_parquet({})",
                quote(file)
            ),
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    let sql = format!(
        "SELECT * FROM read_parquet({}) WHERE due_at >= CAST({} AS TIMESTAMP)",
        quote(file),
        quote(&day)
    );
    let mut stmt = conn.prepare(&sql).map_err(|e| e.to_string())?;
    let mut rows = stmt.query([]).map_err(|e| e.to_string())?;
    let mut posts = 0u64;
    while rows.next().map_err(|e| e.to_string())?.is_some() {
        posts += 1;
    }
    println!(
        "bare posts: {posts} posts due on {day}, {:.3} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let conn = match Connection::open_in_memory() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ingest-tools: {e}");
            return ExitCode::FAILURE;
        }
    };
    let num = |i: usize| args.get(i).and_then(|s| s.parse::<u64>().ok());
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["to-parquet", csv, out] => to_parquet(&conn, csv, out),
        ["bench-data", dir, _, _, _] => match (num(2), num(3), num(4)) {
            (Some(p), Some(d), Some(e)) => bench_data(&conn, dir, p, d, e),
            _ => Err("bench-data DIR POSTS DAYS EVENTS: numbers expected".to_owned()),
        },
        ["due-order", input, out] => due_order(&conn, input, out),
        ["bare-query", file] => bare_query(&conn, file),
        ["bare-posts", file] => bare_posts(&conn, file),
        _ => Err("usage: ingest-tools to-parquet IN.csv OUT.parquet | bench-data DIR POSTS DAYS EVENTS | due-order IN.parquet OUT.parquet | bare-query FILE.parquet | bare-posts FILE.parquet".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ingest-tools: {e}");
            ExitCode::FAILURE
        }
    }
}
