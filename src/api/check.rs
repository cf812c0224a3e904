//! Small validation helpers shared by the document modules.

use super::error::DocError;
use super::time::{Day, Month, Timestamp};

/// Parses a day at `place`, or names it in the error.
pub fn day(doc: &str, place: &str, s: &str) -> Result<Day, DocError> {
    Day::parse(s)
        .ok_or_else(|| DocError::new(doc, place, format!("{s:?} is not a day (YYYY-MM-DD)")))
}

/// Parses a month at `place`, or names it in the error.
pub fn month(doc: &str, place: &str, s: &str) -> Result<Month, DocError> {
    Month::parse(s)
        .ok_or_else(|| DocError::new(doc, place, format!("{s:?} is not a month (YYYY-MM)")))
}

/// Parses a timestamp at `place`, or names it in the error.
pub fn timestamp(doc: &str, place: &str, s: &str) -> Result<Timestamp, DocError> {
    Timestamp::parse(s).ok_or_else(|| {
        DocError::new(
            doc,
            place,
            format!("{s:?} is not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)"),
        )
    })
}

/// Requires a non-empty string.
pub fn non_empty(doc: &str, place: &str, s: &str) -> Result<(), DocError> {
    if s.is_empty() {
        Err(DocError::new(doc, place, "is empty"))
    } else {
        Ok(())
    }
}

/// Requires a three-letter upper-case currency code.
pub fn currency(doc: &str, place: &str, s: &str) -> Result<(), DocError> {
    if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(DocError::new(
            doc,
            place,
            format!("{s:?} is not a currency code such as \"USD\""),
        ))
    }
}

/// Parses every item of a list with `parse` and requires strictly ascending order.
pub fn ascending<T: Ord + Copy>(
    doc: &str,
    field: &str,
    items: &[String],
    parse: impl Fn(&str, &str, &str) -> Result<T, DocError>,
) -> Result<Vec<T>, DocError> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for (i, s) in items.iter().enumerate() {
        let place = format!("{field}[{i}]");
        let v = parse(doc, &place, s)?;
        if let Some(prev) = out.last() {
            if *prev >= v {
                return Err(DocError::new(
                    doc,
                    place,
                    format!("{s:?} is not after the item before it: the list must be ascending"),
                ));
            }
        }
        out.push(v);
    }
    Ok(out)
}
