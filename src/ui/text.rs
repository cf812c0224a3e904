//! Short forms of user content for rows, tiles, pills and tooltips.
//!
//! Post text, profile, network, plan and service names are user content: they are only ever put
//! into text nodes and attributes, and these helpers only shorten them
//! (by characters, never inside one) and fold line breaks and tabs into
//! spaces so a row stays one line.

/// Characters of text in a list row.
pub const ROW_EXCERPT: usize = 140;
/// Characters of text on a grid tile.
pub const TILE_EXCERPT: usize = 90;
/// Characters of a tooltip.
pub const TOOLTIP: usize = 400;

/// At most `max` characters of `s` on one line, with `…` when cut.
pub fn excerpt(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 4 + 3));
    let mut chars = s.chars().map(|c| if c.is_control() { ' ' } else { c });
    for c in chars.by_ref().take(max) {
        out.push(c);
    }
    if chars.next().is_some() {
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    out
}

/// The tooltip of a clipped cell: the value itself, cut when very long.
pub fn tooltip(s: &str) -> String {
    excerpt(s, TOOLTIP)
}

/// The tooltip of a label that may be clipped: only when it is longer
/// than `shown` characters (a short label needs none).
pub fn tooltip_if_longer(s: &str, shown: usize) -> Option<String> {
    (s.chars().count() > shown).then(|| tooltip(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_by_characters_on_one_line() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("exactly10!", 10), "exactly10!");
        assert_eq!(excerpt("one two three", 8), "one two…");
        assert_eq!(excerpt("line\nbreak\ttab", 40), "line break tab");
        assert_eq!(excerpt("☕☕☕☕", 2), "☕☕…");
        assert_eq!(excerpt("\u{202e}evil", 3), "\u{202e}ev…");
        assert_eq!(excerpt("", 3), "");
        let long = "x".repeat(100_000);
        assert_eq!(tooltip(&long).chars().count(), TOOLTIP + 1);
    }
}
