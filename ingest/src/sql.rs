//! The SQL files of `ingest/sql/`, filled in. Placeholders are literal
//! `{name}` tokens; the files are written for DuckDB and adapted to
//! other engines by `engine::dialect`.

/// Checks every post-log row (see the file's header).
pub const CLEAN: &str = include_str!("../sql/clean.sql");
/// Histograms, skips and rows per file, in one pass.
pub const DELIVERY: &str = include_str!("../sql/delivery.sql");
/// The first line of each skip reason, asked only when rows were skipped.
pub const SKIPS: &str = include_str!("../sql/skips.sql");
/// The kept posts of the post days.
pub const POSTS: &str = include_str!("../sql/posts.sql");
/// DuckDB's reading of a timestamp text (`engine::dialect`).
pub const INSTANT_DUCKDB: &str = include_str!("../sql/instant_duckdb.sql");
/// PostgreSQL's reading of a timestamp text (`engine::dialect`).
pub const INSTANT_POSTGRES: &str = include_str!("../sql/instant_postgres.sql");
/// Monthly service figures.
pub const SERVICES: &str = include_str!("../sql/services.sql");
/// Monthly bug counts.
pub const BUGS: &str = include_str!("../sql/bugs.sql");

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |s, (name, value)| {
        s.replace(&format!("{{{name}}}"), value)
    })
}

/// The checked post log over the relation `raw`.
pub fn clean(raw: &str) -> String {
    fill(CLEAN, &[("raw", raw)])
}

/// The one-pass aggregation over `raw` with these bucket edges.
pub fn delivery(raw: &str, bucket: &str) -> String {
    fill(DELIVERY, &[("clean", &clean(raw)), ("bucket", bucket)])
}

/// The first line of each skip reason over `raw`.
pub fn skips(raw: &str) -> String {
    fill(SKIPS, &[("clean", &clean(raw))])
}

/// The condition on a text instant `column` (its date, the first ten
/// characters) that keeps every text that can be due on day numbers
/// `days`: from the day before the first (an offset moves a text by less
/// than a day; every text that reads starts with its date) to the end
/// day's own date (a text dated then may be due the day before, by its
/// offset). A bound out of range is left out, so that no text is.
pub fn text_due_within(column: &str, days: &std::ops::Range<i64>) -> String {
    let date = |n: i64| crate::instant::day(n).map(|d| d.to_string());
    let from = date(days.start - 1).unwrap_or_default();
    let until = date(days.end)
        .map(|d| format!(" AND substr({column}, 1, 10) <= '{d}'"))
        .unwrap_or_default();
    format!("substr({column}, 1, 10) >= '{from}'{until}")
}

/// The posts due on day numbers `days`. The post log is cut first to the
/// rows that can be due then, on the raw columns: typed instants within
/// the days, texts by [`text_due_within`]. DuckDB's files come already
/// cut, each on its own column (`source::Files::due_within`), where the
/// engine skips the rest while it reads; this cut then changes nothing.
pub fn posts(raw: &str, days: std::ops::Range<i64>) -> String {
    let us = crate::instant::US_PER_DAY;
    let cut = format!(
        "(SELECT * FROM {raw} WHERE (due_ts >= {} AND due_ts < {}) OR (due_ts IS NULL AND {})) AS raw",
        days.start * us,
        days.end.saturating_mul(us),
        text_due_within("due_at", &days)
    );
    fill(
        POSTS,
        &[
            ("clean", &clean(&cut)),
            ("first_day", &days.start.to_string()),
            ("end_day", &days.end.to_string()),
        ],
    )
}
