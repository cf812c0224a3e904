//! The dialect table: the SQL files are written for DuckDB; these are the
//! only changes PostgreSQL needs. Each entry is a literal replacement,
//! applied in order.
//!
//! | DuckDB | PostgreSQL | why |
//! |---|---|---|
//! | `a // b` | `a / b` | integer division (DuckDB's `/` always divides as decimals) |
//! | `AS VARCHAR` | `AS TEXT` | same type, PostgreSQL's usual name |
//! | `AS DOUBLE` | `AS DOUBLE PRECISION` | PostgreSQL's name for a 64-bit float |
//!
//! Both engines read `x ~ 'pattern'` as a regular-expression match; the
//! files anchor every pattern (`^…$`), so DuckDB's whole-string match and
//! PostgreSQL's search agree.

/// Literal replacements from DuckDB's SQL to PostgreSQL's.
pub const POSTGRES: &[(&str, &str)] = &[
    (" // ", " / "),
    ("AS VARCHAR)", "AS TEXT)"),
    ("AS DOUBLE)", "AS DOUBLE PRECISION)"),
];

/// Applies a dialect table to SQL.
pub fn apply(table: &[(&str, &str)], sql: &str) -> String {
    table
        .iter()
        .fold(sql.to_owned(), |s, (from, to)| s.replace(from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_divides_integers_with_a_slash() {
        assert_eq!(
            apply(
                POSTGRES,
                "SELECT a // 4, CAST(x AS VARCHAR), CAST(y AS DOUBLE)"
            ),
            "SELECT a / 4, CAST(x AS TEXT), CAST(y AS DOUBLE PRECISION)"
        );
    }
}
