//! Documents read in steps: a reader that has found the items of a large
//! document parses and checks them a batch at a time, so the caller can
//! give the page a turn and show progress in between
//! (`crate::load::read_in_steps`).

use super::error::{parse_json, DocError};
use serde_json::value::RawValue;
use std::ops::Range;

/// Where each item found by the quick pass stands in `body` (the items
/// borrow from it), so a reader can own the body and slice it later.
pub fn item_spans(body: &str, items: &[&RawValue]) -> Vec<Range<usize>> {
    let base = body.as_ptr() as usize;
    items
        .iter()
        .map(|item| {
            let text = item.get();
            let start = (text.as_ptr() as usize).saturating_sub(base);
            start..start + text.len()
        })
        .collect()
}

/// Parses item `i` of the list `list` of `doc` from its text, naming the
/// place as a whole parse would (`posts[7].status`).
pub fn parse_item<T: serde::de::DeserializeOwned>(
    doc: &str,
    list: &str,
    i: usize,
    text: &str,
) -> Result<T, DocError> {
    parse_json(doc, text).map_err(|e| {
        let place = if e.place.is_empty() {
            format!("{list}[{i}]")
        } else {
            format!("{list}[{i}].{}", e.place)
        };
        DocError::new(doc, place, e.reason)
    })
}

/// A document being read a batch of items at a time.
pub trait ReadInSteps {
    /// The validated document.
    type Doc;

    /// How many items the document has.
    fn total(&self) -> usize;

    /// How many items are parsed and checked so far.
    fn read_so_far(&self) -> usize;

    /// Parses and checks up to `n` more items.
    fn read(&mut self, n: usize) -> Result<(), DocError>;

    /// The document, once every item is read (checks what is left to check).
    fn finish(self) -> Result<Self::Doc, DocError>;

    /// Whether every item is read.
    fn done(&self) -> bool {
        self.read_so_far() >= self.total()
    }
}
