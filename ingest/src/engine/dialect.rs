//! The dialect table: the SQL files are written for DuckDB; these are the
//! only changes PostgreSQL needs. Each literal entry is a replacement,
//! applied in order.
//!
//! | DuckDB | PostgreSQL | why |
//! |---|---|---|
//! | `a // b` | `a / b` | integer division (DuckDB's `/` always divides as decimals) |
//! | `AS VARCHAR` | `AS TEXT` | same type, PostgreSQL's usual name |
//! | `AS DOUBLE` | `AS DOUBLE PRECISION` | PostgreSQL's name for a 64-bit float |
//! | `pulse_instant_us(c)` | `pulse_instant_us(c)` | a timestamp text's instant or NULL: `sql/instant_duckdb.sql` (DuckDB's `TRY_CAST` to `TIMESTAMPTZ`), `sql/instant_postgres.sql` (PostgreSQL 15 has no cast that fails softly: the fields by position) |
//!
//! `pulse_instant_us` is no function of either engine: each dialect
//! expands it into its expression, behind the same pattern of the allowed
//! forms ([`INSTANT_FORM`]). Both engines read `x ~ 'pattern'` as a
//! regular-expression match; the files anchor every pattern (`^…$`), so
//! DuckDB's whole-string match and PostgreSQL's search agree.

use crate::sql;

/// How one engine's SQL differs from the files.
pub struct Dialect {
    /// Literal replacements, applied in order.
    pub replacements: &'static [(&'static str, &'static str)],
    /// The expression `pulse_instant_us(c)` stands for, over `{t}`.
    pub instant: &'static str,
}

/// The SQL as written, `pulse_instant_us` expanded.
pub const DUCKDB: Dialect = Dialect {
    replacements: &[],
    instant: sql::INSTANT_DUCKDB,
};

/// PostgreSQL's changes.
pub const POSTGRES: Dialect = Dialect {
    replacements: &[
        (" // ", " / "),
        ("AS VARCHAR)", "AS TEXT)"),
        ("AS DOUBLE)", "AS DOUBLE PRECISION)"),
    ],
    instant: sql::INSTANT_POSTGRES,
};

/// The timestamp texts that can read: YYYY-MM-DD, `T` or a space,
/// HH:MM:SS, an optional fraction, then `Z`, an offset (+HH:MM, +HHMM,
/// +HH) or nothing. Every field is in range here but the day of the month,
/// which each engine checks against its month.
pub const INSTANT_FORM: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?$";

const CALL: &str = "pulse_instant_us(";

/// Expands each `pulse_instant_us(column)` with `template`.
fn expand_instants(template: &str, sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find(CALL) {
        let (before, call) = rest.split_at(at);
        out.push_str(before);
        let args = call.get(CALL.len()..).unwrap_or_default();
        let column = args.find(')').and_then(|end| args.get(..end));
        match column.filter(|c| {
            !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        }) {
            Some(c) => {
                out.push('(');
                out.push_str(&sql::fill(template, &[("form", INSTANT_FORM), ("t", c)]));
                out.push(')');
                rest = args.get(c.len() + 1..).unwrap_or_default();
            }
            None => {
                // Not a call on a column: left for the engine to refuse.
                out.push_str(CALL);
                rest = args;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Applies a dialect to SQL.
pub fn apply(dialect: &Dialect, sql: &str) -> String {
    dialect
        .replacements
        .iter()
        .fold(expand_instants(dialect.instant, sql), |s, (from, to)| {
            s.replace(from, to)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_divides_integers_with_a_slash() {
        assert_eq!(
            apply(
                &POSTGRES,
                "SELECT a // 4, CAST(x AS VARCHAR), CAST(y AS DOUBLE)"
            ),
            "SELECT a / 4, CAST(x AS TEXT), CAST(y AS DOUBLE PRECISION)"
        );
    }

    #[test]
    fn instants_expand_per_column() {
        let d = Dialect {
            replacements: &[],
            instant: "f({t}, '{form}')",
        };
        assert_eq!(
            apply(
                &d,
                "SELECT pulse_instant_us(due_at), pulse_instant_us(sent_at) + 1"
            ),
            format!("SELECT (f(due_at, '{INSTANT_FORM}')), (f(sent_at, '{INSTANT_FORM}')) + 1")
        );
        assert_eq!(
            apply(&d, "pulse_instant_us(a b) pulse_instant_us("),
            "pulse_instant_us(a b) pulse_instant_us("
        );
    }
}
