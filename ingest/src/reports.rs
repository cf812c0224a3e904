//! Monthly reports (`reports/{YYYY-MM}.json`) from `--services` (CSV
//! `day,service,requests,avg_response_ms`) and `--bugs` (CSV
//! `id,severity,opened_at,closed_at`), summed by `sql/services.sql` and
//! `sql/bugs.sql` in DuckDB.

use crate::engine::{rows, Cell, Engine};
use crate::publish::{checked, Staging};
use crate::source::{self, Format};
use crate::sql;
use pulse::api::{report_doc, Month, Report};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Serialize, Default)]
struct ReportDoc {
    month: String,
    services: Vec<ServiceDoc>,
    bugs: Vec<BugsDoc>,
}

#[derive(Serialize)]
struct ServiceDoc {
    name: String,
    requests: u64,
    avg_response_ms: f64,
}

#[derive(Serialize)]
struct BugsDoc {
    severity: String,
    opened: u64,
    closed: u64,
}

/// The CSV file as a relation of text columns with line numbers.
fn csv(engine: &mut dyn Engine, path: &Path, columns: &[&str]) -> Result<String, String> {
    let table = source::table(engine, path, Format::Csv)?;
    let cols = columns
        .iter()
        .map(|c| format!("CAST(\"{c}\" AS VARCHAR) AS {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(format!(
        "(SELECT pulse_line AS line, {cols} FROM {}) AS raw",
        table.from
    ))
}

/// Runs a report query; rows of kind `bad` name the first unreadable line.
fn query(
    engine: &mut dyn Engine,
    path: &Path,
    template: &str,
    columns: &[&str],
    expected: &str,
) -> Result<Vec<Vec<Cell>>, String> {
    let shown = path.display();
    let sql = sql::fill(template, &[("raw", &csv(engine, path, columns)?)]);
    let rows = rows(engine, &sql)
        .map_err(|e| format!("{shown}: cannot read it as CSV {expected}: {e}"))?;
    if let Some(bad) = rows
        .iter()
        .find(|r| r.get(4).and_then(Cell::text) == Some("bad"))
    {
        let line = bad.get(2).and_then(Cell::int).unwrap_or(0);
        return Err(format!("{shown}: line {line}: not a row of {expected}"));
    }
    Ok(rows)
}

/// Reads the inputs and stages one report per month; returns the months.
pub fn write(
    engine: &mut dyn Engine,
    services: Option<&Path>,
    bugs: Option<&Path>,
    staging: &mut Staging,
) -> Result<Vec<Month>, String> {
    let mut docs: BTreeMap<Month, ReportDoc> = BTreeMap::new();
    let month_of = |r: &[Cell], path: &Path| {
        r.first()
            .and_then(Cell::text)
            .and_then(Month::parse)
            .ok_or_else(|| format!("{}: a day that is not a date", path.display()))
    };
    if let Some(path) = services {
        let cols = ["day", "service", "requests", "avg_response_ms"];
        for r in query(
            engine,
            path,
            sql::SERVICES,
            &cols,
            "day,service,requests,avg_response_ms",
        )? {
            let month = month_of(&r, path)?;
            docs.entry(month).or_default().services.push(ServiceDoc {
                name: r.get(1).and_then(Cell::text).unwrap_or_default().to_owned(),
                requests: r
                    .get(2)
                    .and_then(Cell::int)
                    .and_then(|v| u64::try_from(v).ok())
                    .unwrap_or(0),
                avg_response_ms: r
                    .get(3)
                    .and_then(Cell::float)
                    .map(|v| (v * 1000.0).round() / 1000.0)
                    .unwrap_or(0.0),
            });
        }
    }
    if let Some(path) = bugs {
        let cols = ["id", "severity", "opened_at", "closed_at"];
        for r in query(
            engine,
            path,
            sql::BUGS,
            &cols,
            "id,severity,opened_at,closed_at",
        )? {
            let month = month_of(&r, path)?;
            let count = |i: usize| {
                r.get(i)
                    .and_then(Cell::int)
                    .and_then(|v| u64::try_from(v).ok())
                    .unwrap_or(0)
            };
            docs.entry(month).or_default().bugs.push(BugsDoc {
                severity: r.get(1).and_then(Cell::text).unwrap_or_default().to_owned(),
                opened: count(2),
                closed: count(3),
            });
        }
    }
    for (month, doc) in &mut docs {
        doc.month = month.to_string();
        let body = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
        checked(Report::parse(
            std::str::from_utf8(&body).map_err(|e| e.to_string())?,
            *month,
        ))?;
        staging.put(&report_doc(*month), &body)?;
    }
    Ok(docs.into_keys().collect())
}
