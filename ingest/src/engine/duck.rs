//! DuckDB, in-process: reads the post log files and runs the SQL as
//! written (`pulse_instant_us` expanded, see [`dialect`]). Links the
//! shared `libduckdb` (see `scripts/env.sh`).

use super::{batch::Batch, dialect, Cell, Engine, EngineError};
use duckdb::types::ValueRef;
use duckdb::Connection;

/// An in-memory DuckDB database.
pub struct Duck {
    conn: Connection,
}

impl Duck {
    /// Opens an in-memory database that never downloads an extension.
    pub fn open() -> Result<Self, EngineError> {
        let conn = Connection::open_in_memory().map_err(err)?;
        let mut duck = Self { conn };
        duck.exec(
            "SET autoinstall_known_extensions = false;
             SET preserve_insertion_order = true;",
        )?;
        // With ICU built in, time-zone-aware values are shown in UTC (a
        // build without it has no zones to set).
        duck.exec("SET TimeZone = 'UTC';").unwrap_or(());
        Ok(duck)
    }
}

fn err(e: duckdb::Error) -> EngineError {
    EngineError(e.to_string())
}

fn cell(v: ValueRef<'_>) -> Result<Cell, String> {
    Ok(match v {
        ValueRef::Null => Cell::Null,
        ValueRef::Boolean(b) => Cell::Int(i64::from(b)),
        ValueRef::TinyInt(i) => Cell::Int(i64::from(i)),
        ValueRef::SmallInt(i) => Cell::Int(i64::from(i)),
        ValueRef::Int(i) => Cell::Int(i64::from(i)),
        ValueRef::BigInt(i) => Cell::Int(i),
        ValueRef::HugeInt(i) => {
            Cell::Int(i64::try_from(i).map_err(|_| format!("{i} is too large"))?)
        }
        ValueRef::UTinyInt(i) => Cell::Int(i64::from(i)),
        ValueRef::USmallInt(i) => Cell::Int(i64::from(i)),
        ValueRef::UInt(i) => Cell::Int(i64::from(i)),
        ValueRef::UBigInt(i) => {
            Cell::Int(i64::try_from(i).map_err(|_| format!("{i} is too large"))?)
        }
        ValueRef::Float(f) => Cell::Float(f64::from(f)),
        ValueRef::Double(f) => Cell::Float(f),
        ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
        other => return Err(format!("unexpected value type {:?}", other.data_type())),
    })
}

impl Engine for Duck {
    fn exec(&mut self, sql: &str) -> Result<(), EngineError> {
        self.conn.execute_batch(sql).map_err(err)
    }

    fn each_row(
        &mut self,
        sql: &str,
        row: &mut dyn FnMut(Vec<Cell>) -> Result<(), String>,
    ) -> Result<(), EngineError> {
        let mut stmt = self.conn.prepare(sql).map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let n = r.as_ref().column_count();
            let mut cells = Vec::with_capacity(n);
            for i in 0..n {
                cells.push(cell(r.get_ref(i).map_err(err)?).map_err(EngineError)?);
            }
            row(cells).map_err(EngineError)?;
        }
        Ok(())
    }

    /// DuckDB's own result chunks as Arrow record batches: no value is
    /// copied into a [`Cell`].
    fn batches(
        &mut self,
        sql: &str,
        each: &mut dyn FnMut(Batch) -> Result<(), String>,
    ) -> Result<(), EngineError> {
        let mut stmt = self.conn.prepare(sql).map_err(err)?;
        // Runs the query to its end, so that an error in it comes back
        // here; the chunks are then fetched one by one with `step`, which
        // returns an error where the `Arrow` iterator would panic. (The
        // posts pages measured slower with a streamed result.)
        drop(stmt.query_arrow([]).map_err(err)?);
        while let Some(chunk) = stmt.step().map_err(err)? {
            each(Batch::from(chunk)).map_err(EngineError)?;
        }
        Ok(())
    }

    fn dialect(&self, sql: &str) -> String {
        dialect::apply(&dialect::DUCKDB, sql)
    }
}

/// A string as a SQL literal.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
