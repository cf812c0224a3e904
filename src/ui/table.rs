//! The numbers behind a panel as a table: shown as a `<table>` with a
//! caption, and downloadable as CSV (RFC 4180).

/// A panel's numbers: a caption, column headers and rows of cells, as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// What the table shows.
    pub caption: String,
    /// The column headings.
    pub columns: Vec<String>,
    /// One row of cells per line.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with a caption and column headers.
    pub fn new(caption: impl Into<String>, columns: &[&str]) -> Self {
        Self {
            caption: caption.into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// The table as CSV: comma-separated, CRLF line ends, cells quoted
    /// when needed. Cells that a spreadsheet would run as a formula
    /// (starting with `=`, `+`, `@`, or `-` not followed by a digit) are
    /// prefixed with `'`.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for row in std::iter::once(&self.columns).chain(self.rows.iter()) {
            let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

fn csv_cell(cell: &str) -> String {
    let mut chars = cell.chars();
    let first = chars.next();
    let second = chars.next();
    let formula = match first {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => !second.is_some_and(|c| c.is_ascii_digit() || c == '.'),
        _ => false,
    };
    let cell = if formula {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_csv_with_quoting_and_formula_guard() {
        let mut t = Table::new("Services", &["service", "requests"]);
        t.push(vec!["buffer.com".into(), "68300000".into()]);
        t.push(vec!["a,\"b\"".into(), "-5".into()]);
        t.push(vec!["=HYPERLINK(\"x\")".into(), "-x".into()]);
        assert_eq!(
            t.to_csv(),
            "service,requests\r\nbuffer.com,68300000\r\n\"a,\"\"b\"\"\",-5\r\n\"'=HYPERLINK(\"\"x\"\")\",'-x\r\n"
        );
    }
}
