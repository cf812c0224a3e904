//! The post log as one relation of text columns, `(file, line, id, …,
//! error)`, whichever form it comes in: CSV, JSON Lines and Parquet files
//! read by DuckDB, or a PostgreSQL table or query. `clean.sql` reads it.

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

/// The relation of the post log files for DuckDB. Columns a file lacks
/// are absent values; a Parquet timestamp column becomes text
/// (`2016-08-03 08:00:00`, UTC), which `clean.sql` reads.
pub fn files(engine: &mut dyn Engine, paths: &[std::path::PathBuf]) -> Result<String, String> {
    let mut parts = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let shown = path.display();
        let format = Format::of(path).ok_or_else(|| {
            format!("{shown}: unknown post log format (expected .csv, .jsonl, .ndjson or .parquet)")
        })?;
        if !path.is_file() {
            return Err(format!("{shown}: no such file"));
        }
        let from = reader(path, format);
        let described = rows(engine, &format!("DESCRIBE SELECT * FROM {from}"))
            .map_err(|e| format!("{shown}: cannot read it: {e}"))?;
        let present: Vec<String> = described
            .into_iter()
            .filter_map(|r| r.into_iter().next().and_then(|c| c.into_text()))
            .collect();
        let line = match format {
            Format::Csv => "row_number() OVER () + 1".to_owned(),
            Format::Jsonl => "row_number() OVER ()".to_owned(),
            Format::Parquet => "file_row_number + 1".to_owned(),
        };
        let cols = COLUMNS
            .iter()
            .map(|c| {
                if present.iter().any(|p| p == c) {
                    format!("CAST(\"{c}\" AS VARCHAR) AS {c}")
                } else {
                    format!("CAST(NULL AS VARCHAR) AS {c}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        parts.push(format!(
            "SELECT CAST({i} AS BIGINT) AS file, CAST({line} AS BIGINT) AS line, {cols} FROM {from}"
        ));
    }
    Ok(format!("({}) AS raw", parts.join(" UNION ALL ")))
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
    format!(
        "(SELECT CAST(0 AS BIGINT) AS file, CAST(row_number() OVER () AS BIGINT) AS line, {cols} FROM {from}) AS raw"
    )
}
