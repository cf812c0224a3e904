//! Unpaired UTF-16 surrogates in JSON string escapes.
//!
//! JSON allows `\ud800` on its own, but such a string is not Unicode and
//! Rust's `String` cannot hold it, so the parser refuses the whole
//! document. A browser's `JSON.parse` keeps the broken unit and the page
//! shows it as `�`. Pulse does the same: before giving up on a body, it
//! replaces each unpaired surrogate escape with `\ufffd` (the replacement
//! character) and parses again. The text keeps its length and every
//! other byte, so error positions stay right.

const REPLACEMENT: &[u8; 6] = b"\\ufffd";

/// The value of the four hex digits of a `\uXXXX` escape.
fn hex4(digits: Option<&[u8]>) -> Option<u32> {
    let digits = std::str::from_utf8(digits?).ok()?;
    if digits.len() != 4 {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

fn is_high(unit: u32) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

fn is_low(unit: u32) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

/// `body` with every unpaired surrogate escape replaced by `\ufffd`, or
/// `None` when there is none.
pub fn replace_lone_surrogates(body: &str) -> Option<String> {
    let bytes = body.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    // A word at a time: a body of millions of bytes has few escapes.
    while let Some(offset) = bytes.get(i..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let at = i + offset;
        if bytes.get(at + 1) != Some(&b'u') {
            // `\\`, `\"`, `\n`…: skip the escaped character.
            i = at + 2;
            continue;
        }
        let Some(unit) = hex4(bytes.get(at + 2..at + 6)) else {
            i = at + 2;
            continue;
        };
        let paired = is_high(unit)
            && bytes.get(at + 6..at + 8) == Some(b"\\u".as_slice())
            && hex4(bytes.get(at + 8..at + 12)).is_some_and(is_low);
        if paired {
            i = at + 12;
        } else if is_high(unit) || is_low(unit) {
            let buf = out.get_or_insert_with(|| bytes.to_vec());
            if let Some(slot) = buf.get_mut(at..at + 6) {
                slot.copy_from_slice(REPLACEMENT);
            }
            i = at + 6;
        } else {
            i = at + 6;
        }
    }
    // Only ASCII was replaced by ASCII, so the bytes are still UTF-8.
    out.and_then(|b| String::from_utf8(b).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn replaces_only_unpaired_surrogates() {
        let cases = [
            (r#""a\ud800b""#, Some(r#""a\ufffdb""#)),
            (r#""\udc00""#, Some(r#""\ufffd""#)),
            (r#""\ud83d\u0041""#, Some(r#""\ufffd\u0041""#)),
            (r#""\ud83d\ud83d\ude00""#, Some(r#""\ufffd\ud83d\ude00""#)),
            (r#""end\ud800"#, Some(r#""end\ufffd"#)),
            (r#""\ud83d\ude00 ok""#, None),
            (r#""\\ud800 is text""#, None),
            (r#""\u00e9 \n \" \\""#, None),
            (r#""\ud8""#, None),
            ("no escapes", None),
        ];
        for (body, want) in cases {
            assert_eq!(replace_lone_surrogates(body).as_deref(), want, "{body}");
        }
    }

    #[test]
    fn a_repaired_body_parses_as_the_browser_shows_it() {
        let body = r#"{"name":"x\ud800y \ud83d\ude00"}"#;
        assert!(serde_json::from_str::<serde_json::Value>(body).is_err());
        let fixed = replace_lone_surrogates(body).unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(&fixed).unwrap_or_default();
        assert_eq!(v["name"], "x\u{fffd}y 😀");
    }

    proptest! {
        #[test]
        fn never_panics_and_keeps_the_length(s in "(\\\\|u|d|8|0|c|f|[a-z\"])*") {
            if let Some(fixed) = replace_lone_surrogates(&s) {
                prop_assert_eq!(fixed.len(), s.len());
            }
        }

        #[test]
        fn any_string_survives_a_round_trip(units in proptest::collection::vec(any::<u16>(), 0..12)) {
            // Write arbitrary UTF-16 (lone surrogates included) as escapes.
            let body: String = std::iter::once("\"".to_owned())
                .chain(units.iter().map(|u| format!("\\u{u:04x}")))
                .chain(std::iter::once("\"".to_owned()))
                .collect();
            let fixed = replace_lone_surrogates(&body).unwrap_or(body);
            let parsed: Result<String, _> = serde_json::from_str(&fixed);
            prop_assert!(parsed.is_ok(), "{}", fixed);
            let want: String = char::decode_utf16(units.iter().copied())
                .map(|c| c.unwrap_or('\u{fffd}'))
                .collect();
            prop_assert_eq!(parsed.unwrap_or_default(), want);
        }
    }
}
