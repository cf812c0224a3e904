//! A fast reader for documents made mostly of long arrays of counts (a
//! delivery day is about 400,000 small integers).
//!
//! Read through the general JSON parser, each count costs several calls.
//! [`Cursor`] walks the text once and reads the digits in one tight loop.
//! It is deliberately narrow: it accepts a subset of what the general
//! parser accepts (no escapes in keys, no unknown or repeated keys) and
//! gives `None` for anything else, and the caller then parses the document
//! the general way, which either reads it or names the problem and its
//! place. So a document never reads differently on the fast path.

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(i) {
        i += 1;
    }
    i
}

/// A position in a JSON text, always just after whitespace.
pub struct Cursor<'a> {
    text: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            i: skip_ws(text.as_bytes(), 0),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.i).copied()
    }

    /// Consumes `c` (and the whitespace after it) if it is next.
    pub fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i = skip_ws(self.text.as_bytes(), self.i + 1);
            true
        } else {
            false
        }
    }

    /// Whether only whitespace is left.
    pub fn at_end(&self) -> bool {
        self.i >= self.text.len()
    }

    /// A string token, quotes included, with whether it has escapes.
    /// `None` for a control character or an unterminated string.
    fn string_token(&mut self) -> Option<(&'a str, bool)> {
        let b = self.text.as_bytes();
        if b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i;
        let mut i = start + 1;
        let mut escaped = false;
        loop {
            match *b.get(i)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                c if c < 0x20 => return None,
                _ => i += 1,
            }
        }
        let token = self.text.get(start..=i)?;
        self.i = skip_ws(b, i + 1);
        Some((token, escaped))
    }

    /// An object key without escapes, and its colon.
    pub fn key(&mut self) -> Option<&'a str> {
        let (token, escaped) = self.string_token()?;
        if escaped || !self.eat(b':') {
            return None;
        }
        token.get(1..token.len() - 1)
    }

    /// A string value, unescaped as JSON says.
    pub fn string(&mut self) -> Option<String> {
        let (token, escaped) = self.string_token()?;
        if escaped {
            serde_json::from_str(token).ok()
        } else {
            token.get(1..token.len() - 1).map(str::to_owned)
        }
    }

    /// A string value without escapes, as it stands in the document;
    /// `None` for one with escapes.
    pub fn plain(&mut self) -> Option<&'a str> {
        let (token, escaped) = self.string_token()?;
        if escaped {
            return None;
        }
        token.get(1..token.len() - 1)
    }

    /// A value read by the general parser from its own token: a string
    /// or a number (e.g. an enum by name, an `f64`).
    pub fn value<T: serde::de::DeserializeOwned>(&mut self) -> Option<T> {
        let token = if self.peek() == Some(b'"') {
            self.string_token()?.0
        } else {
            let b = self.text.as_bytes();
            let start = self.i;
            let mut end = start;
            while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = b.get(end) {
                end += 1;
            }
            let token = self.text.get(start..end)?;
            self.i = skip_ws(b, end);
            token
        };
        serde_json::from_str(token).ok()
    }

    /// `null` as `None`, or a value read by `read`.
    pub fn optional<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.null() {
            Some(None)
        } else {
            read(self).map(Some)
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self) -> Option<bool> {
        let b = self.text.as_bytes();
        let (value, len) = if b.get(self.i..self.i + 4) == Some(b"true".as_slice()) {
            (true, 4)
        } else if b.get(self.i..self.i + 5) == Some(b"false".as_slice()) {
            (false, 5)
        } else {
            return None;
        };
        self.i = skip_ws(b, self.i + len);
        Some(value)
    }

    /// `null`, consumed if it is next.
    pub fn null(&mut self) -> bool {
        if self.text.as_bytes().get(self.i..self.i + 4) == Some(b"null".as_slice()) {
            self.i = skip_ws(self.text.as_bytes(), self.i + 4);
            true
        } else {
            false
        }
    }

    /// A whole number within `u64`, as JSON writes it; `None` for a
    /// sign, a fraction, an exponent, a leading zero or a number too
    /// large (the general parser then reads it or names the problem).
    pub fn u64(&mut self) -> Option<u64> {
        let b = self.text.as_bytes();
        let start = self.i;
        let mut end = start;
        let mut value: u64 = 0;
        while let Some(&c) = b.get(end) {
            if !c.is_ascii_digit() {
                break;
            }
            value = value.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            end += 1;
        }
        let digits = end - start;
        if digits == 0 || (digits > 1 && b.get(start) == Some(&b'0')) {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = b.get(end) {
            return None;
        }
        self.i = skip_ws(b, end);
        Some(value)
    }

    /// An array of counts (see [`u32_array`]).
    pub fn counts(&mut self, expected: usize) -> Option<Vec<u32>> {
        let (out, end) = read_u32_array(self.text.as_bytes(), self.i, expected)?;
        self.i = end;
        Some(out)
    }

    /// An array of anything else, each item read by `item`.
    pub fn array<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let mut out = Vec::new();
        self.items(|c| {
            out.push(item(c)?);
            Some(())
        })?;
        Some(out)
    }

    /// An array whose items `item` reads and keeps itself.
    pub fn items(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if !self.eat(b'[') {
            return None;
        }
        if self.eat(b']') {
            return Some(());
        }
        loop {
            item(self)?;
            if self.eat(b']') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// An object, each `key: value` handed to `field`, which must read
    /// the value (or give `None` for a key it does not know).
    pub fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, &'a str) -> Option<()>,
    ) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.key()?;
            field(self, key)?;
            if self.eat(b'}') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }
}

/// The integers of a JSON array such as `[0, 12,3]`, each within `u32`;
/// `None` if `text` is anything else (a sign, a fraction, an exponent, a
/// leading zero, a number too large, other JSON). `expected` is only a
/// capacity hint.
pub fn u32_array(text: &str, expected: usize) -> Option<Vec<u32>> {
    let b = text.as_bytes();
    let (out, end) = read_u32_array(b, skip_ws(b, 0), expected)?;
    (end == b.len()).then_some(out)
}

/// Reads an array of counts starting at `i`; gives it and the position
/// after it (and its trailing whitespace).
fn read_u32_array(b: &[u8], mut i: usize, expected: usize) -> Option<(Vec<u32>, usize)> {
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut out = Vec::with_capacity(expected);
    if b.get(i) == Some(&b']') {
        return Some((out, skip_ws(b, i + 1)));
    }
    loop {
        let start = i;
        let mut value: u64 = 0;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() {
                break;
            }
            value = value * 10 + u64::from(c - b'0');
            if value > u64::from(u32::MAX) {
                return None;
            }
            i += 1;
        }
        let digits = i - start;
        if digits == 0 || (digits > 1 && b.get(start) == Some(&b'0')) {
            return None;
        }
        out.push(u32::try_from(value).ok()?);
        i = skip_ws(b, i);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b']') => return Some((out, skip_ws(b, i + 1))),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_what_vec_u32_reads() {
        let cases: [(&str, Option<Vec<u32>>); 16] = [
            ("[]", Some(vec![])),
            (" [ ] ", Some(vec![])),
            ("[0,1,2]", Some(vec![0, 1, 2])),
            ("[ 7 ,\n8\t,\r9 ]", Some(vec![7, 8, 9])),
            ("[4294967295]", Some(vec![u32::MAX])),
            ("[4294967296]", None),
            ("[99999999999999999999999]", None),
            ("[-1]", None),
            ("[1.0]", None),
            ("[1e2]", None),
            ("[01]", None),
            ("[1,]", None),
            ("[,1]", None),
            ("[1] x", None),
            ("[1", None),
            ("[\"1\"]", None),
        ];
        for (text, want) in cases {
            assert_eq!(u32_array(text, 0), want, "{text}");
            let serde = serde_json::from_str::<Vec<u32>>(text).ok();
            assert_eq!(serde, want, "serde disagrees on {text}");
        }
    }

    /// What the cursor reads as a `u64`, whole text only.
    fn u64_of(text: &str) -> Option<u64> {
        let mut c = Cursor::new(text);
        let v = c.u64()?;
        c.at_end().then_some(v)
    }

    #[test]
    fn reads_a_plain_string_where_it_stands() {
        let mut c = Cursor::new(r#"["cus_1", "cus_\u0031", "x"#);
        let mut got = Vec::new();
        let read = c.items(|c| {
            got.push(c.plain()?);
            Some(())
        });
        // A string with escapes is not plain: the caller reads it the
        // general way.
        assert_eq!((read, got), (None, vec!["cus_1"]));
        let mut c = Cursor::new(r#"["a", "x"#);
        assert_eq!(c.array(Cursor::plain), None, "unterminated");
    }

    #[test]
    fn reads_a_u64_as_serde_does() {
        let cases: [(&str, Option<u64>); 10] = [
            ("0", Some(0)),
            (" 42 ", Some(42)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("-1", None),
            ("1.0", None),
            ("1e3", None),
            ("01", None),
            ("", None),
            ("\"1\"", None),
        ];
        for (text, want) in cases {
            assert_eq!(u64_of(text), want, "{text}");
            assert_eq!(
                serde_json::from_str::<u64>(text).ok(),
                want,
                "serde disagrees on {text}"
            );
        }
    }

    proptest! {
        #[test]
        fn reads_a_u64_where_serde_does(text in "[0-9\\-.eE]{1,22}") {
            // Where the cursor reads, serde reads the same number; where it
            // does not, the general parser decides.
            if let Some(v) = u64_of(&text) {
                prop_assert_eq!(serde_json::from_str::<u64>(&text).ok(), Some(v));
            }
        }

        #[test]
        fn reads_every_u64(v in any::<u64>()) {
            prop_assert_eq!(u64_of(&v.to_string()), Some(v));
        }

        #[test]
        fn agrees_with_serde_on_any_text(text in "[\\[\\] ,0-9\\-.e\\n]{0,24}") {
            prop_assert_eq!(u32_array(&text, 4), serde_json::from_str::<Vec<u32>>(&text).ok());
        }

        #[test]
        fn reads_any_array_of_counts(v in proptest::collection::vec(any::<u32>(), 0..50), spaced in any::<bool>()) {
            let sep = if spaced { ", " } else { "," };
            let text = format!("[{}]", v.iter().map(u32::to_string).collect::<Vec<_>>().join(sep));
            prop_assert_eq!(u32_array(&text, v.len()), Some(v));
        }
    }
}
