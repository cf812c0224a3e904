//! The SQL engines the aggregation runs on: DuckDB in-process (the
//! default) or a PostgreSQL server (`--postgres`). Both answer the same
//! SQL files (`ingest/sql/`), adapted by [`dialect`], and hand rows back
//! as [`Cell`]s, or a large result in column [`batch`]es.

pub mod batch;
pub mod dialect;
pub mod duck;
pub mod pg;

/// One value of a result row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

impl Cell {
    /// The integer, if this is one.
    pub fn int(&self) -> Option<i64> {
        match self {
            Cell::Int(v) => Some(*v),
            _ => None,
        }
    }

    /// The number as a float, if this is one.
    pub fn float(&self) -> Option<f64> {
        match self {
            Cell::Float(v) => Some(*v),
            Cell::Int(v) => Some(*v as f64),
            _ => None,
        }
    }

    /// The text, if this is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The text, owned; `None` unless this is text.
    pub fn into_text(self) -> Option<String> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// An engine error, with the statement's purpose for the message.
#[derive(Debug)]
pub struct EngineError(pub String);

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the importer asks of an engine.
pub trait Engine {
    /// Runs statements that return nothing.
    fn exec(&mut self, sql: &str) -> Result<(), EngineError>;
    /// Runs a query and hands each row to `row`, in order; `row` may stop
    /// the query with an error of its own.
    fn each_row(
        &mut self,
        sql: &str,
        row: &mut dyn FnMut(Vec<Cell>) -> Result<(), String>,
    ) -> Result<(), EngineError>;
    /// Runs a query and hands its result to `each` in column batches, in
    /// order; `each` may stop the query with an error of its own. By
    /// default the rows of [`Engine::each_row`], gathered [`batch::ROWS`]
    /// at a time.
    fn batches(
        &mut self,
        sql: &str,
        each: &mut dyn FnMut(batch::Batch) -> Result<(), String>,
    ) -> Result<(), EngineError> {
        let mut rows = Vec::with_capacity(batch::ROWS);
        self.each_row(sql, &mut |r| {
            rows.push(r);
            if rows.len() >= batch::ROWS {
                each(batch::from_rows(&rows)?)?;
                rows.clear();
            }
            Ok(())
        })?;
        if rows.is_empty() {
            return Ok(());
        }
        batch::from_rows(&rows).and_then(each).map_err(EngineError)
    }
    /// Adapts SQL written for DuckDB to this engine.
    fn dialect(&self, sql: &str) -> String;
}

/// Collects every row of a query.
pub fn rows(engine: &mut dyn Engine, sql: &str) -> Result<Vec<Vec<Cell>>, EngineError> {
    let mut out = Vec::new();
    engine.each_row(sql, &mut |r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}
