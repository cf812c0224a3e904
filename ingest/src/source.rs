//! The post log as one relation, `(file, line, id, …, error, due_ts,
//! sent_ts, no_id, bad_bytes)`, whichever form it comes in: CSV, JSON
//! Lines and Parquet files read by DuckDB, or a PostgreSQL table or query.
//! Every column is text but `due_ts`/`sent_ts`, the instants of typed
//! timestamp columns, and the two checks `no_id`/`bad_bytes`, made here
//! per input so that what a Parquet file's type or statistics already
//! prove costs nothing (see `clean.sql`, which reads it).

use crate::args::Relation;
use crate::engine::duck::quote;
use crate::engine::{rows, Engine};
use std::path::Path;

/// The post log's columns, in the posts document's order.
pub const COLUMNS: [&str; 11] = [
    "id",
    "profile",
    "network",
    "media",
    "media_bytes",
    "text",
    "thumbnail_url",
    "due_at",
    "sent_at",
    "status",
    "error",
];

/// The timestamp columns and the columns of their typed instants.
const INSTANTS: [(&str, &str); 2] = [("due_at", "due_ts"), ("sent_at", "sent_ts")];

/// `no_id` of a text id: absent or empty.
const NO_ID: &str = "nullif({c}, '') IS NULL";
/// `bad_bytes` of a text media_bytes: there, but not a count of up to 15
/// digits.
const BAD_BYTES: &str =
    "(nullif({c}, '') IS NOT NULL AND (length({c}) > 15 OR ltrim({c}, '0123456789') <> ''))";
/// `bad_bytes` of an integer media_bytes: the same rule on the value.
const BAD_BYTES_INT: &str = "({c} < 0 OR {c} > 999999999999999)";
/// DuckDB's integer types.
const INTEGERS: [&str; 10] = [
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
];

/// A check over column `c`.
fn check(rule: &str, c: &str) -> String {
    rule.replace("{c}", c)
}

/// `no_id` and `bad_bytes` of text columns (`id`, `media_bytes`), as the
/// last two columns of a `raw` relation.
pub fn text_checks(id: &str, media_bytes: &str) -> String {
    format!(
        "{} AS no_id, {} AS bad_bytes",
        check(NO_ID, id),
        check(BAD_BYTES, media_bytes)
    )
}

/// What a Parquet file's statistics prove for every row: (the id is
/// always there and not empty, an integer media_bytes is always missing
/// or a count).
/// Both are `false` when a row group has no statistics to tell.
pub fn proven(engine: &mut dyn Engine, path: &Path) -> Result<(bool, bool), String> {
    let p = quote(&path.to_string_lossy());
    let sql = format!(
        "SELECT path_in_schema,
           bool_and(coalesce(stats_null_count = 0 AND stats_min_value <> '', false)),
           bool_and(type IN ('INT32', 'INT64') AND (
             coalesce(TRY_CAST(stats_min_value AS HUGEINT) >= 0
               AND TRY_CAST(stats_max_value AS HUGEINT) <= 999999999999999, false)
             OR coalesce(stats_null_count = row_group_num_rows, false)))
         FROM parquet_metadata({p}) WHERE path_in_schema IN ('id', 'media_bytes')
         GROUP BY path_in_schema"
    );
    let mut found = (false, false);
    for r in rows(engine, &sql)
        .map_err(|e| format!("{}: cannot read its statistics: {e}", path.display()))?
    {
        let yes = |i: usize| r.get(i).and_then(crate::engine::Cell::int) == Some(1);
        match r.first().and_then(crate::engine::Cell::text) {
            Some("id") => found.0 = yes(1),
            Some("media_bytes") => found.1 = yes(2),
            _ => {}
        }
    }
    Ok(found)
}

/// The kind of a post log file, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
    Parquet,
}

impl Format {
    /// `.csv`, `.jsonl`/`.ndjson` or `.parquet`, in any case.
    pub fn of(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }

    /// What the summary and the errors call a place in such a file.
    pub fn place(self) -> &'static str {
        match self {
            Format::Parquet => "row",
            _ => "line",
        }
    }
}

/// DuckDB's reader of a file, every column as text where it can say so.
fn reader(path: &Path, format: Format) -> String {
    let p = quote(&path.to_string_lossy());
    match format {
        Format::Csv => format!("read_csv({p}, header = true, all_varchar = true)"),
        Format::Jsonl => {
            let cols = COLUMNS
                .iter()
                .map(|c| format!("{c}: 'VARCHAR'"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("read_json({p}, format = 'newline_delimited', columns = {{{cols}}})")
        }
        Format::Parquet => format!("read_parquet({p}, file_row_number = true)"),
    }
}

/// A CSV record's line in its file: records are numbered from the line
/// after the header, and a quoted field's line breaks move every later
/// record down (DuckDB counts records, not lines).
fn csv_line(columns: &[(String, String)]) -> String {
    let header: usize = columns.iter().map(|(c, _)| c.matches('\n').count()).sum();
    let breaks = columns
        .iter()
        .map(|(c, _)| {
            let c = c.replace('"', "\"\"");
            format!("coalesce(length(\"{c}\") - length(replace(\"{c}\", chr(10), '')), 0)")
        })
        .collect::<Vec<_>>()
        .join(" + ");
    format!(
        "row_number() OVER () + {} + sum({breaks}) OVER (ROWS UNBOUNDED PRECEDING) - ({breaks})",
        header + 1
    )
}

/// 1970-01-01 in `clean.sql`'s microseconds.
fn epoch_us() -> i64 {
    crate::instant::day_number(1970, 1, 1) * crate::instant::US_PER_DAY
}

/// Microseconds from 1970 of a typed timestamp column of DuckDB's type
/// `ty`, if it is one.
fn unix_us(column: &str, ty: &str) -> Option<String> {
    match ty {
        "TIMESTAMP WITH TIME ZONE" => Some(format!("epoch_us(\"{column}\")")),
        t if t.starts_with("TIMESTAMP") => {
            Some(format!("epoch_us(CAST(\"{column}\" AS TIMESTAMP))"))
        }
        _ => None,
    }
}

/// The instant (`clean.sql`'s microseconds) of a typed timestamp column
/// of DuckDB's type `ty`, if it is one.
fn typed_instant(column: &str, ty: &str) -> Option<String> {
    unix_us(column, ty).map(|us| format!("{us} + {}", epoch_us()))
}

/// A file as DuckDB reads it: the relation `from`, the file's columns
/// and `pulse_line`, each row's place (the line of a CSV record or of a
/// JSON Lines object, the row of a Parquet file), and the columns' (name,
/// type).
pub struct Table {
    /// The relation, aliased, for a `FROM`.
    pub from: String,
    /// (name, DuckDB type) of each of the file's columns.
    pub columns: Vec<(String, String)>,
}

impl Table {
    /// DuckDB's type of a column, if the file has it.
    pub fn type_of(&self, column: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, t)| t.as_str())
    }
}

/// Opens a post log, report or aggregates file; errors name it.
pub fn table(engine: &mut dyn Engine, path: &Path, format: Format) -> Result<Table, String> {
    let shown = path.display();
    if !path.is_file() {
        return Err(format!("{shown}: no such file"));
    }
    let from = reader(path, format);
    let columns: Vec<(String, String)> = rows(engine, &format!("DESCRIBE SELECT * FROM {from}"))
        .map_err(|e| format!("{shown}: cannot read it: {e}"))?
        .into_iter()
        .filter_map(|r| {
            let mut it = r.into_iter();
            Some((it.next()?.into_text()?, it.next()?.into_text()?))
        })
        .collect();
    let line = match format {
        Format::Csv => csv_line(&columns),
        Format::Jsonl => "row_number() OVER ()".to_owned(),
        Format::Parquet => "file_row_number + 1".to_owned(),
    };
    Ok(Table {
        from: format!("(SELECT *, CAST({line} AS BIGINT) AS pulse_line FROM {from}) AS f"),
        columns,
    })
}

/// A file's own `due_at` column, on which its rows are cut to those that
/// can be due from a day on.
enum Due {
    /// A typed timestamp column: its microseconds from 1970.
    Typed(String),
    /// A text column, as text.
    Text(String),
    /// None: no row is kept anyway (`missing due_at`).
    Absent,
}

/// One post log file as part of the relation.
struct Part {
    /// `SELECT … FROM` the file, the relation's columns.
    select: String,
    due: Due,
}

/// The post log files as one relation for DuckDB ([`files`]): the whole
/// log, or only the rows that can be due from a day on.
pub struct Files {
    parts: Vec<Part>,
}

impl Files {
    /// The whole post log.
    pub fn relation(&self) -> String {
        self.union(|p| p.select.clone())
    }

    /// The rows that can be due on day numbers `days`, each file cut on
    /// its own column where the scan can skip the rest (DuckDB pushes such
    /// a filter into a Parquet scan, and with the file's statistics skips
    /// whole row groups): a typed instant within the days, a text by
    /// `sql::text_due_within`, as `sql::posts` cuts.
    pub fn due_within(&self, days: std::ops::Range<i64>) -> String {
        let us = crate::instant::US_PER_DAY;
        let from_us = days.start * us - epoch_us();
        let to_us = days.end.saturating_mul(us).saturating_sub(epoch_us());
        self.union(|p| match &p.due {
            Due::Typed(us) => format!("{} WHERE {us} >= {from_us} AND {us} < {to_us}", p.select),
            Due::Text(t) => format!(
                "{} WHERE {}",
                p.select,
                crate::sql::text_due_within(t, &days)
            ),
            Due::Absent => format!("{} WHERE false", p.select),
        })
    }

    fn union(&self, part: impl Fn(&Part) -> String) -> String {
        let parts: Vec<String> = self.parts.iter().map(part).collect();
        format!("({}) AS raw", parts.join(" UNION ALL "))
    }
}

/// The post log files for DuckDB. Columns a file lacks are absent values;
/// a Parquet timestamp column (UTC) is used as it is, its instant in
/// `due_ts`/`sent_ts` and its text NULL.
pub fn files(engine: &mut dyn Engine, paths: &[std::path::PathBuf]) -> Result<Files, String> {
    let mut parts = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let format = Format::of(path).ok_or_else(|| {
            format!(
                "{}: unknown post log format (expected .csv, .jsonl, .ndjson or .parquet)",
                path.display()
            )
        })?;
        let table = table(engine, path, format)?;
        // The instant of a typed due_at or sent_at column.
        let typed = |c: &str| {
            INSTANTS
                .iter()
                .any(|(at, _)| *at == c)
                .then(|| table.type_of(c).and_then(|t| typed_instant(c, t)))
                .flatten()
        };
        let mut cols: Vec<String> = COLUMNS
            .iter()
            .map(|&c| match table.type_of(c) {
                Some(_) if typed(c).is_none() => format!("CAST(\"{c}\" AS VARCHAR) AS {c}"),
                _ => format!("CAST(NULL AS VARCHAR) AS {c}"),
            })
            .collect();
        for (c, name) in INSTANTS {
            let us = typed(c);
            cols.push(format!(
                "CAST({} AS BIGINT) AS {name}",
                us.as_deref().unwrap_or("NULL")
            ));
        }
        let (id_there, bytes_fine) = match format {
            Format::Parquet => proven(engine, path)?,
            _ => (false, false),
        };
        let no_id = match table.type_of("id") {
            _ if id_there => "false".to_owned(),
            Some(_) => check(NO_ID, "CAST(\"id\" AS VARCHAR)"),
            None => "true".to_owned(),
        };
        // Only an integer column's statistics bound its values.
        let bad_bytes = match table.type_of("media_bytes") {
            Some(t) if INTEGERS.contains(&t) && bytes_fine => "false".to_owned(),
            Some(t) if INTEGERS.contains(&t) => check(BAD_BYTES_INT, "\"media_bytes\""),
            Some(_) => check(BAD_BYTES, "CAST(\"media_bytes\" AS VARCHAR)"),
            None => "false".to_owned(),
        };
        cols.push(format!("{no_id} AS no_id, {bad_bytes} AS bad_bytes"));
        let due = match table.type_of("due_at") {
            Some(t) => unix_us("due_at", t).map_or_else(
                || Due::Text("CAST(\"due_at\" AS VARCHAR)".to_owned()),
                Due::Typed,
            ),
            None => Due::Absent,
        };
        parts.push(Part {
            select: format!(
                "SELECT CAST({i} AS BIGINT) AS file, pulse_line AS line, {} FROM {}",
                cols.join(", "),
                table.from
            ),
            due,
        });
    }
    Ok(Files { parts })
}

/// The relation of a PostgreSQL table or query, rows numbered in the
/// order the server hands them out.
pub fn postgres(relation: &Relation) -> String {
    let from = match relation {
        Relation::Table(t) => t.clone(),
        Relation::Query(q) => format!("({q}) AS q"),
    };
    let cols = COLUMNS
        .iter()
        .map(|c| format!("CAST(\"{c}\" AS TEXT) AS {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let checks = text_checks("CAST(\"id\" AS TEXT)", "CAST(\"media_bytes\" AS TEXT)");
    format!(
        "(SELECT CAST(0 AS BIGINT) AS file, CAST(row_number() OVER () AS BIGINT) AS line, {cols}, \
         CAST(NULL AS BIGINT) AS due_ts, CAST(NULL AS BIGINT) AS sent_ts, {checks} FROM {from}) AS raw"
    )
}
