//! Results in column batches: Arrow record batches (the `arrow` crate
//! that `duckdb` re-exports). DuckDB hands over its own result chunks as
//! they are; another engine's rows are gathered into batches by
//! [`from_rows`]. [`Texts`] and [`Ints`] read one column of a batch
//! whichever Arrow type it came in, without copying a value.

use super::Cell;
use duckdb::arrow::array::{
    Array, ArrayRef, Float64Builder, Int32Array, Int64Array, Int64Builder, LargeStringArray,
    NullArray, StringArray, StringBuilder, StringViewArray,
};
use duckdb::arrow::datatypes::{DataType, Field, Schema};
pub use duckdb::arrow::record_batch::RecordBatch as Batch;
use std::sync::Arc;

/// Rows per batch when an engine's rows are gathered into batches.
pub const ROWS: usize = 2048;

/// What one column of gathered rows holds.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Null,
    Int,
    Float,
    Text,
}

fn kind(c: &Cell) -> Kind {
    match c {
        Cell::Null => Kind::Null,
        Cell::Int(_) => Kind::Int,
        Cell::Float(_) => Kind::Float,
        Cell::Text(_) => Kind::Text,
    }
}

/// Column `i` of `rows` as an Arrow array: Utf8 if it holds text, Float64
/// if a float, Int64 if integers, Null if nothing but nulls.
fn column(rows: &[Vec<Cell>], i: usize) -> Result<ArrayRef, String> {
    let cells = || rows.iter().map(move |r| r.get(i).unwrap_or(&Cell::Null));
    let mut seen = Kind::Null;
    for c in cells() {
        seen = match (seen, kind(c)) {
            (s, Kind::Null) => s,
            (Kind::Null, k) => k,
            (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
            (s, k) if s == k => s,
            _ => return Err(format!("result column {i} mixes text and numbers")),
        };
    }
    Ok(match seen {
        Kind::Null => Arc::new(NullArray::new(rows.len())),
        Kind::Int => {
            let mut b = Int64Builder::with_capacity(rows.len());
            cells().for_each(|c| b.append_option(c.int()));
            Arc::new(b.finish())
        }
        Kind::Float => {
            let mut b = Float64Builder::with_capacity(rows.len());
            cells().for_each(|c| b.append_option(c.float()));
            Arc::new(b.finish())
        }
        Kind::Text => {
            let mut b = StringBuilder::with_capacity(rows.len(), rows.len() * 16);
            cells().for_each(|c| b.append_option(c.text()));
            Arc::new(b.finish())
        }
    })
}

/// Rows of the same width as one batch; its columns are named `c0`, `c1`, ….
pub fn from_rows(rows: &[Vec<Cell>]) -> Result<Batch, String> {
    let width = rows.first().map_or(0, Vec::len);
    if rows.iter().any(|r| r.len() != width) {
        return Err("result rows of different widths".to_owned());
    }
    if width == 0 {
        return Err("a result without columns".to_owned());
    }
    let columns = (0..width)
        .map(|i| column(rows, i))
        .collect::<Result<Vec<_>, _>>()?;
    let fields: Vec<Field> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| Field::new(format!("c{i}"), c.data_type().clone(), true))
        .collect();
    Batch::try_new(Arc::new(Schema::new(fields)), columns).map_err(|e| e.to_string())
}

/// The array of column `i`, or an error naming it.
fn array<'a>(batch: &'a Batch, i: usize, name: &str) -> Result<&'a ArrayRef, String> {
    batch
        .columns()
        .get(i)
        .ok_or_else(|| format!("the result has no column {i} ({name})"))
}

fn wrong_type(name: &str, ty: &DataType, want: &str) -> String {
    format!("result column {name} is {ty}, not {want}")
}

/// A text column of a batch: Utf8, LargeUtf8 or Utf8View (all NULL: Null).
#[derive(Clone, Copy)]
pub enum Texts<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
    Null,
}

impl<'a> Texts<'a> {
    /// Column `i` of `batch` (`name` for the error).
    pub fn of(batch: &'a Batch, i: usize, name: &str) -> Result<Self, String> {
        let a = array(batch, i, name)?;
        let any = a.as_any();
        match a.data_type() {
            DataType::Utf8 => any.downcast_ref().map(Texts::Utf8),
            DataType::LargeUtf8 => any.downcast_ref().map(Texts::Large),
            DataType::Utf8View => any.downcast_ref().map(Texts::View),
            DataType::Null => Some(Texts::Null),
            _ => None,
        }
        .ok_or_else(|| wrong_type(name, a.data_type(), "text"))
    }

    /// The text of row `row`; `None` when it is NULL (or past the end).
    pub fn get(&self, row: usize) -> Option<&'a str> {
        match *self {
            Texts::Utf8(a) => (row < a.len() && a.is_valid(row)).then(|| a.value(row)),
            Texts::Large(a) => (row < a.len() && a.is_valid(row)).then(|| a.value(row)),
            Texts::View(a) => (row < a.len() && a.is_valid(row)).then(|| a.value(row)),
            Texts::Null => None,
        }
    }
}

/// An integer column of a batch: Int64 or Int32 (all NULL: Null).
#[derive(Clone, Copy)]
pub enum Ints<'a> {
    I64(&'a Int64Array),
    I32(&'a Int32Array),
    Null,
}

impl<'a> Ints<'a> {
    /// Column `i` of `batch` (`name` for the error).
    pub fn of(batch: &'a Batch, i: usize, name: &str) -> Result<Self, String> {
        let a = array(batch, i, name)?;
        let any = a.as_any();
        match a.data_type() {
            DataType::Int64 => any.downcast_ref().map(Ints::I64),
            DataType::Int32 => any.downcast_ref().map(Ints::I32),
            DataType::Null => Some(Ints::Null),
            _ => None,
        }
        .ok_or_else(|| wrong_type(name, a.data_type(), "an integer"))
    }

    /// The integer of row `row`; `None` when it is NULL (or past the end).
    pub fn get(&self, row: usize) -> Option<i64> {
        match *self {
            Ints::I64(a) => (row < a.len() && a.is_valid(row))
                .then(|| a.values().get(row).copied())
                .flatten(),
            Ints::I32(a) => (row < a.len() && a.is_valid(row))
                .then(|| a.values().get(row).copied().map(i64::from))
                .flatten(),
            Ints::Null => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_typed_columns() {
        let rows = vec![
            vec![
                Cell::Int(1),
                Cell::Text("a".into()),
                Cell::Null,
                Cell::Int(2),
            ],
            vec![Cell::Null, Cell::Null, Cell::Null, Cell::Float(0.5)],
        ];
        let b = from_rows(&rows).unwrap();
        assert_eq!(b.num_rows(), 2);
        let ints = Ints::of(&b, 0, "n").unwrap();
        assert_eq!(
            (ints.get(0), ints.get(1), ints.get(2)),
            (Some(1), None, None)
        );
        let texts = Texts::of(&b, 1, "t").unwrap();
        assert_eq!(
            (texts.get(0), texts.get(1), texts.get(9)),
            (Some("a"), None, None)
        );
        assert_eq!(Texts::of(&b, 2, "n").unwrap().get(0), None);
        assert_eq!(Ints::of(&b, 2, "n").unwrap().get(0), None);
        assert_eq!(b.column(3).data_type(), &DataType::Float64);
        let err = Texts::of(&b, 0, "day").err().unwrap();
        assert!(err.contains("day") && err.contains("Int64"), "{err}");
        assert!(Ints::of(&b, 7, "x").err().unwrap().contains("no column 7"));
        let mixed = vec![vec![Cell::Int(1)], vec![Cell::Text("a".into())]];
        assert!(from_rows(&mixed).is_err());
    }

    #[test]
    fn every_text_and_integer_type_reads() {
        let texts: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec![Some("x"), None])),
            Arc::new(LargeStringArray::from(vec![Some("x"), None])),
            Arc::new(StringViewArray::from(vec![Some("x"), None])),
            Arc::new(Int64Array::from(vec![Some(7), None])),
            Arc::new(Int32Array::from(vec![Some(7), None])),
        ];
        let fields: Vec<Field> = texts
            .iter()
            .enumerate()
            .map(|(i, c)| Field::new(format!("c{i}"), c.data_type().clone(), true))
            .collect();
        let b = Batch::try_new(Arc::new(Schema::new(fields)), texts).unwrap();
        for i in 0..3 {
            let t = Texts::of(&b, i, "t").unwrap();
            assert_eq!((t.get(0), t.get(1)), (Some("x"), None), "column {i}");
        }
        for i in 3..5 {
            let n = Ints::of(&b, i, "n").unwrap();
            assert_eq!(
                (n.get(0), n.get(1), n.get(2)),
                (Some(7), None, None),
                "column {i}"
            );
        }
    }
}
