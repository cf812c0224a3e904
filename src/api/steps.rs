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

/// The document around its items: `body` with each item (at `items`, in
/// order, each an object) written `{}`, and where each `{}` stands in it;
/// `None` when a span is not an object of `body`. A whole parse of it
/// whose list is exactly those `{}` ([`placeholders_are_the_list`]),
/// with a parse of each item, checks all a whole parse of `body` checks
/// (a value may stand for any other in JSON): the check of a large body
/// that arrived in pieces then costs the bytes around its items, not all
/// of them.
pub fn around_items(body: &str, items: &[Range<usize>]) -> Option<(String, Vec<usize>)> {
    let between: usize = body
        .len()
        .saturating_sub(items.iter().map(|s| s.len()).sum());
    let mut outline = String::with_capacity(between + 2 * items.len());
    let mut placeholders = Vec::with_capacity(items.len());
    let mut at = 0;
    for span in items {
        let item = body.get(span.clone())?;
        if span.start < at || !item.starts_with('{') || !item.ends_with('}') {
            return None;
        }
        outline.push_str(body.get(at..span.start)?);
        placeholders.push(outline.len());
        outline.push_str("{}");
        at = span.end;
    }
    outline.push_str(body.get(at..)?);
    Some((outline, placeholders))
}

/// Whether the list `found` by a parse of `outline` (from
/// [`around_items`]) is exactly its `{}` at `placeholders`, in order.
pub fn placeholders_are_the_list(
    outline: &str,
    found: &[&RawValue],
    placeholders: &[usize],
) -> bool {
    found.len() == placeholders.len()
        && item_spans(outline, found)
            .iter()
            .zip(placeholders)
            .all(|(span, &at)| *span == (at..at + 2))
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

/// A document read while its body arrives: the items complete so far are
/// read at once, so a view can show them before the rest is there
/// (`crate::load::arriving`). Once the whole body is in,
/// [`complete`](ReadAsItArrives::complete) checks it as a whole read
/// would, keeps the items already read that stand where the whole body
/// has them, and the reader goes on in steps.
pub trait ReadAsItArrives: ReadInSteps {
    /// Reads the items complete in `received` (every byte of the body
    /// received so far, as sent) that it has not read yet, as many as a
    /// step's time allows (`crate::turn::Slice::step`): the others are
    /// read with the next chunk, or in the steps after the whole body. A
    /// problem stops the reading here; [`complete`](ReadAsItArrives::complete)
    /// and the steps after it name it.
    fn feed(&mut self, received: &[u8]);

    /// Looks through a further piece of the whole `body` (decoded) for
    /// items, when the pieces looked through as it arrived did not reach
    /// its end; `true` once there is nothing more to look at. Called
    /// before [`complete`](ReadAsItArrives::complete), a turn apart.
    fn catch_up(&mut self, body: &str) -> bool;

    /// Takes the whole body (decoded) and checks what a whole read checks
    /// first (syntax, the fields around the items, their count).
    fn complete(&mut self, body: String) -> Result<(), DocError>;

    /// The whole body, once given to [`complete`](ReadAsItArrives::complete).
    fn body(&self) -> &str;
}

/// Finishes at once a document read while it arrived, from its whole
/// `body`. On any problem the answer is the whole parse's (`whole`), so a
/// document reads, or fails, exactly as when it is parsed whole: the
/// items read while arriving only spare parsing them again.
pub fn complete_at_once<R: ReadAsItArrives>(
    mut reader: R,
    body: String,
    whole: impl FnOnce(&str) -> Result<R::Doc, DocError>,
) -> Result<R::Doc, DocError> {
    match reader
        .complete(body)
        .and_then(|()| reader.read(reader.total()))
    {
        Ok(()) => reader.finish(),
        Err(_) => whole(reader.body()),
    }
}

/// Finds the items of the list under one key of a document's top-level
/// object (`{"date": …, "posts": [{…}, {…}, …]}`) while the body arrives,
/// without parsing them: it follows strings and nesting only. It gives up
/// (finds nothing more) on anything it does not expect, such as an item
/// that is not an object or a key written with escapes: the whole read
/// later names the problem, or reads what this did not.
#[derive(Debug, Default)]
pub struct ItemFinder {
    /// Bytes of the body looked at so far.
    at: usize,
    /// 3 when the body starts with a byte-order mark (spans start after it).
    bom: usize,
    depth: usize,
    in_string: bool,
    escaped: bool,
    string_start: usize,
    /// The last string closed at the top level, and whether a `:` followed.
    key: Option<Range<usize>>,
    colon: bool,
    in_list: bool,
    item_start: Option<usize>,
    stopped: bool,
    /// The list's closing bracket was seen: every item is found.
    ended: bool,
}

impl ItemFinder {
    /// Whether it has stopped (the list ended, or something unexpected).
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Whether it found the whole list, up to its closing bracket.
    pub fn found_all(&self) -> bool {
        self.ended
    }

    /// Stops finding (what it found so far is all it will have found).
    pub fn stop(&mut self) {
        self.ended = false;
        self.stopped = true;
    }

    /// How many bytes of the body it has looked through.
    pub fn looked(&self) -> usize {
        self.at
    }

    /// Where the text starts in the body as sent (after a byte-order mark).
    pub fn text_start(&self) -> usize {
        self.bom
    }

    /// Looks at the bytes of `received` not looked at yet and adds the
    /// span of each item of the list under `key` completed in them to
    /// `found`, counted from [`text_start`](Self::text_start).
    pub fn find(&mut self, key: &str, received: &[u8], found: &mut Vec<Range<usize>>) {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        if self.at == 0 {
            if received.len() < BOM.len() && BOM.starts_with(received) {
                return;
            }
            if received.starts_with(BOM) {
                self.bom = BOM.len();
                self.at = BOM.len();
            }
        }
        while let Some(&c) = received.get(self.at) {
            if self.stopped {
                return;
            }
            if self.in_string && !self.escaped {
                // Most of a body is text: on to the string's next quote or
                // escape, a word at a time.
                match received
                    .get(self.at..)
                    .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
                {
                    Some(0) => {}
                    Some(skip) => {
                        self.at += skip;
                        continue;
                    }
                    None => {
                        self.at = received.len();
                        return;
                    }
                }
            }
            let i = self.at;
            self.at += 1;
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if c == b'\\' {
                    self.escaped = true;
                } else if c == b'"' {
                    self.in_string = false;
                    if self.depth == 1 {
                        self.key = Some(self.string_start..i + 1);
                        self.colon = false;
                    }
                }
                continue;
            }
            let in_list_level = self.in_list && self.depth == 2;
            match c {
                b' ' | b'\n' | b'\r' | b'\t' => {}
                b'"' if in_list_level => self.stopped = true,
                b'"' => {
                    self.in_string = true;
                    self.string_start = i;
                    if self.depth == 1 {
                        self.key = None;
                    }
                }
                b'{' | b'[' => {
                    match self.depth {
                        0 if c != b'{' => self.stopped = true,
                        1 if c == b'[' && self.colon => {
                            let named = self.key.clone().and_then(|k| received.get(k));
                            let quoted = named
                                .and_then(|n| n.strip_prefix(b"\""))
                                .and_then(|n| n.strip_suffix(b"\""));
                            self.in_list = quoted == Some(key.as_bytes());
                        }
                        2 if self.in_list && c == b'{' => self.item_start = Some(i),
                        2 if self.in_list => self.stopped = true,
                        _ => {}
                    }
                    self.depth += 1;
                }
                b'}' | b']' => {
                    let Some(depth) = self.depth.checked_sub(1) else {
                        self.stopped = true;
                        return;
                    };
                    self.depth = depth;
                    if self.in_list && depth == 2 {
                        if let Some(start) = self.item_start.take() {
                            found.push(start - self.bom..i + 1 - self.bom);
                        }
                    } else if self.in_list && depth == 1 {
                        // The list is complete: nothing more to find.
                        self.stopped = true;
                        self.ended = true;
                    }
                }
                b':' if self.depth == 1 => self.colon = self.key.is_some(),
                b',' if self.depth == 1 => {
                    self.key = None;
                    self.colon = false;
                }
                _ if in_list_level && c != b',' => self.stopped = true,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span found when `body` arrives in pieces of `piece` bytes.
    fn find_in_pieces(body: &[u8], piece: usize) -> Vec<Range<usize>> {
        let mut finder = ItemFinder::default();
        let mut found = Vec::new();
        let mut end = 0;
        while end < body.len() {
            end = (end + piece).min(body.len());
            finder.find("posts", body.get(..end).unwrap_or_default(), &mut found);
        }
        found
    }

    #[test]
    fn finds_the_items_of_the_list_under_its_key() {
        let body = r#"{"date":"x","posts2":[{"a":1}],"hour":8, "posts" : [ {"a":"}]\"{"}, {"b":[{},{}]} ,{}], "after":[{"c":1}]}"#;
        let want = [r#"{"a":"}]\"{"}"#, r#"{"b":[{},{}]}"#, "{}"];
        for piece in [1, 2, 3, 7, body.len()] {
            let found = find_in_pieces(body.as_bytes(), piece);
            let texts: Vec<&str> = found.iter().filter_map(|s| body.get(s.clone())).collect();
            assert_eq!(texts, want, "in pieces of {piece}");
        }
    }

    #[test]
    fn counts_from_after_a_byte_order_mark() {
        let body = "\u{feff}{\"posts\":[{\"a\":1}]}";
        for piece in [1, 2, 4] {
            let found = find_in_pieces(body.as_bytes(), piece);
            assert_eq!(found, vec![10..17], "in pieces of {piece}");
        }
    }

    #[test]
    fn stops_at_what_it_does_not_expect() {
        for body in [
            r#"{"posts":[{"a":1},2,{"b":1}]}"#,
            r#"{"posts":[{"a":1},"x",{"b":1}]}"#,
            r#"{"posts":[{"a":1}]]]]]}{"posts":[{"b":1}]}"#,
            r#"[{"posts":[{"a":1}]}]"#,
            r#"{"date":"posts"[{"a":1}]}"#,
            r#"{"po\u0073ts":[{"a":1}]}"#,
        ] {
            let found = find_in_pieces(body.as_bytes(), 3);
            assert!(found.len() <= 1, "{body}: {found:?}");
            let texts: Vec<&str> = found.iter().filter_map(|s| body.get(s.clone())).collect();
            assert!(
                texts.iter().all(|t| *t == r#"{"a":1}"#),
                "{body}: {texts:?}"
            );
        }
    }
}
