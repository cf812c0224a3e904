//! PostgreSQL (`--postgres URL`): the post log stays in the server, the
//! SQL runs there (through [`super::dialect::POSTGRES`]) and only the
//! aggregates and the kept posts come back. Plain connections, no TLS
//! (a socket or a trusted network).

use super::{dialect, Cell, Engine, EngineError};
use postgres::types::Type;
use postgres::{Client, NoTls};

/// A connection to a PostgreSQL server.
pub struct Pg {
    client: Client,
}

impl Pg {
    /// Connects to `url` (`postgresql://user@host:port/db`, or
    /// `host=/tmp/dir port=5433 user=postgres`) with UTC as the time zone.
    pub fn connect(url: &str) -> Result<Self, EngineError> {
        let client = Client::connect(url, NoTls).map_err(err)?;
        let mut pg = Self { client };
        pg.exec("SET TimeZone = 'UTC'")?;
        Ok(pg)
    }
}

fn err(e: postgres::Error) -> EngineError {
    EngineError(e.to_string())
}

fn cell(row: &postgres::Row, i: usize) -> Result<Cell, postgres::Error> {
    let ty = row.columns().get(i).map(|c| c.type_().clone());
    Ok(match ty {
        Some(Type::INT8) => row
            .try_get::<_, Option<i64>>(i)?
            .map_or(Cell::Null, Cell::Int),
        Some(Type::INT4) => row
            .try_get::<_, Option<i32>>(i)?
            .map_or(Cell::Null, |v| Cell::Int(i64::from(v))),
        Some(Type::INT2) => row
            .try_get::<_, Option<i16>>(i)?
            .map_or(Cell::Null, |v| Cell::Int(i64::from(v))),
        Some(Type::BOOL) => row
            .try_get::<_, Option<bool>>(i)?
            .map_or(Cell::Null, |v| Cell::Int(i64::from(v))),
        Some(Type::FLOAT8) => row
            .try_get::<_, Option<f64>>(i)?
            .map_or(Cell::Null, Cell::Float),
        Some(Type::FLOAT4) => row
            .try_get::<_, Option<f32>>(i)?
            .map_or(Cell::Null, |v| Cell::Float(f64::from(v))),
        _ => row
            .try_get::<_, Option<String>>(i)?
            .map_or(Cell::Null, Cell::Text),
    })
}

impl Engine for Pg {
    fn exec(&mut self, sql: &str) -> Result<(), EngineError> {
        self.client.batch_execute(sql).map_err(err)
    }

    fn each_row(
        &mut self,
        sql: &str,
        row: &mut dyn FnMut(Vec<Cell>) -> Result<(), String>,
    ) -> Result<(), EngineError> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut it = self
            .client
            .query_raw(sql, std::iter::empty::<i32>())
            .map_err(err)?;
        while let Some(r) = it.next().map_err(err)? {
            let cells = (0..r.len())
                .map(|i| cell(&r, i))
                .collect::<Result<Vec<_>, _>>()
                .map_err(err)?;
            row(cells).map_err(EngineError)?;
        }
        Ok(())
    }

    fn dialect(&self, sql: &str) -> String {
        dialect::apply(&dialect::POSTGRES, sql)
    }
}
