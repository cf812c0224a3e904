//! Chart colours: roles, CSS parsing and the resolved palette.
//!
//! Contract:
//! - Layers name a [`ColorRole`], never a colour. At draw time the chart reads
//!   each role's CSS custom property ([`ColorRole::css_var`], e.g.
//!   `--chart-ok`) on its wrapper, so the stylesheet decides the colours of
//!   both themes.
//! - [`parse_css_color`] understands `#rgb`, `#rrggbb`, `#rrggbbaa`,
//!   `rgb(r, g, b)`, `rgba(r, g, b, a)` and the space syntax
//!   `rgb(r g b / a)`; anything else is `None`, and the role falls back to
//!   [`ColorRole::fallback`] (readable on a light background).

/// An opaque sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// White, for text on dark fills.
    pub const WHITE: Rgb = Rgb(255, 255, 255);

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// The colour `t` of the way from `self` to `other` (`t` clamped to
    /// `[0, 1]`; NaN gives `self`).
    pub fn lerp(self, other: Rgb, t: f64) -> Rgb {
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let mix = |a: u8, b: u8| -> u8 {
            let v = f64::from(a) + (f64::from(b) - f64::from(a)) * t;
            v.round().clamp(0.0, 255.0) as u8
        };
        Rgb(
            mix(self.0, other.0),
            mix(self.1, other.1),
            mix(self.2, other.2),
        )
    }

    /// `self` with opacity `alpha` over `background`.
    pub fn over(self, background: Rgb, alpha: f64) -> Rgb {
        background.lerp(self, alpha)
    }
}

/// A CSS colour value and its opacity in `[0, 1]`.
pub fn parse_css_color(text: &str) -> Option<(Rgb, f64)> {
    let s = text.trim().to_ascii_lowercase();
    if let Some(hex) = s.strip_prefix('#') {
        return parse_hex(hex);
    }
    let inner = s
        .strip_prefix("rgba(")
        .or_else(|| s.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let (channels, alpha) = match inner.split_once('/') {
        Some((c, a)) => (c, Some(a)),
        None => (inner, None),
    };
    let mut parts: Vec<&str> = if channels.contains(',') {
        channels.split(',').map(str::trim).collect()
    } else {
        channels.split_whitespace().collect()
    };
    let alpha = match (alpha, parts.len()) {
        (Some(a), 3) => parse_alpha(a)?,
        (None, 4) => parse_alpha(parts.pop()?)?,
        (None, 3) => 1.0,
        _ => return None,
    };
    let mut rgb = [0u8; 3];
    for (slot, part) in rgb.iter_mut().zip(&parts) {
        *slot = parse_channel(part)?;
    }
    let [r, g, b] = rgb;
    Some((Rgb(r, g, b), alpha))
}

fn parse_hex(hex: &str) -> Option<(Rgb, f64)> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    let nibble = |i: usize| {
        hex.get(i..=i)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map(|n| n * 17)
    };
    match hex.len() {
        3 => Some((Rgb(nibble(0)?, nibble(1)?, nibble(2)?), 1.0)),
        4 => Some((
            Rgb(nibble(0)?, nibble(1)?, nibble(2)?),
            f64::from(nibble(3)?) / 255.0,
        )),
        6 => Some((Rgb(byte(0)?, byte(2)?, byte(4)?), 1.0)),
        8 => Some((
            Rgb(byte(0)?, byte(2)?, byte(4)?),
            f64::from(byte(6)?) / 255.0,
        )),
        _ => None,
    }
}

fn parse_channel(part: &str) -> Option<u8> {
    let part = part.trim();
    let v = match part.strip_suffix('%') {
        Some(p) => css_number(p.trim())? * 2.55,
        None => css_number(part)?,
    };
    v.is_finite().then(|| v.round().clamp(0.0, 255.0) as u8)
}

fn parse_alpha(part: &str) -> Option<f64> {
    let part = part.trim();
    let v = match part.strip_suffix('%') {
        Some(p) => css_number(p.trim())? / 100.0,
        None => css_number(part)?,
    };
    v.is_finite().then(|| v.clamp(0.0, 1.0))
}

/// A CSS `<number>` (`-12`, `.5`, `12.5e-1`), read to the few digits a
/// colour channel needs. Not `str::parse::<f64>`: its exact algorithm
/// brings a 10 KB table into the code the first chart runs.
fn css_number(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut value = 0.0;
    for digit in whole.bytes() {
        value = value * 10.0 + f64::from(ascii_digit(digit)?);
    }
    let mut scale = 1.0;
    for digit in fraction.bytes() {
        scale /= 10.0;
        value += f64::from(ascii_digit(digit)?) * scale;
    }
    if let Some(exponent) = exponent {
        let (sign, digits) = match exponent.as_bytes().first()? {
            b'-' => (-1, &exponent[1..]),
            b'+' => (1, &exponent[1..]),
            _ => (1, exponent),
        };
        if digits.is_empty() {
            return None;
        }
        let mut power: i32 = 0;
        for digit in digits.bytes() {
            power = power
                .saturating_mul(10)
                .saturating_add(i32::from(ascii_digit(digit)?));
        }
        value *= 10f64.powi(sign * power.min(400));
    }
    Some(if negative { -value } else { value })
}

fn ascii_digit(byte: u8) -> Option<u8> {
    byte.is_ascii_digit().then(|| byte - b'0')
}

/// What a colour is for; each role is one CSS custom property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColorRole {
    /// Labels and titles.
    Text,
    /// Axis lines and ticks.
    Axis,
    /// Grid lines.
    Grid,
    /// Sent in under 60 s.
    Ok,
    /// Sent in 60 to 90 s.
    Warn,
    /// Sent 90 s or more late.
    Late,
    /// Failed posts.
    Failed,
    /// The first line of a chart.
    Line1,
    /// The second line.
    Line2,
    /// The third line.
    Line3,
    /// The fourth line.
    Line4,
    /// A forecast's 80 % band.
    Band80,
    /// A forecast's 95 % band.
    Band95,
    /// A target line.
    Target,
    /// A gain (new MRR, expansion).
    Positive,
    /// A loss (contraction, churn).
    Negative,
    /// Heatmap low end.
    Heat0,
    /// Heatmap high end.
    Heat1,
    /// The day compared with.
    Compare,
}

impl ColorRole {
    /// Every role, in palette order.
    pub const ALL: [ColorRole; 19] = [
        ColorRole::Text,
        ColorRole::Axis,
        ColorRole::Grid,
        ColorRole::Ok,
        ColorRole::Warn,
        ColorRole::Late,
        ColorRole::Failed,
        ColorRole::Line1,
        ColorRole::Line2,
        ColorRole::Line3,
        ColorRole::Line4,
        ColorRole::Band80,
        ColorRole::Band95,
        ColorRole::Target,
        ColorRole::Positive,
        ColorRole::Negative,
        ColorRole::Heat0,
        ColorRole::Heat1,
        ColorRole::Compare,
    ];

    /// `Line1` … `Line4` for series 0, 1, 2, 3, 4, … (cycling).
    pub fn line(i: usize) -> ColorRole {
        match i % 4 {
            0 => ColorRole::Line1,
            1 => ColorRole::Line2,
            2 => ColorRole::Line3,
            _ => ColorRole::Line4,
        }
    }

    /// The CSS custom property that holds this role's colour.
    pub fn css_var(self) -> &'static str {
        match self {
            ColorRole::Text => "--chart-text",
            ColorRole::Axis => "--chart-axis",
            ColorRole::Grid => "--chart-grid",
            ColorRole::Ok => "--chart-ok",
            ColorRole::Warn => "--chart-warn",
            ColorRole::Late => "--chart-late",
            ColorRole::Failed => "--chart-failed",
            ColorRole::Line1 => "--chart-line-1",
            ColorRole::Line2 => "--chart-line-2",
            ColorRole::Line3 => "--chart-line-3",
            ColorRole::Line4 => "--chart-line-4",
            ColorRole::Band80 => "--chart-band-80",
            ColorRole::Band95 => "--chart-band-95",
            ColorRole::Target => "--chart-target",
            ColorRole::Positive => "--chart-positive",
            ColorRole::Negative => "--chart-negative",
            ColorRole::Heat0 => "--chart-heat-0",
            ColorRole::Heat1 => "--chart-heat-1",
            ColorRole::Compare => "--chart-compare",
        }
    }

    /// The colour used when the stylesheet defines none (light theme).
    pub fn fallback(self) -> Rgb {
        match self {
            ColorRole::Text => Rgb(0x33, 0x3a, 0x45),
            ColorRole::Axis => Rgb(0x6b, 0x72, 0x80),
            ColorRole::Grid => Rgb(0xe3, 0xe6, 0xea),
            ColorRole::Ok => Rgb(0x2e, 0x7d, 0x32),
            ColorRole::Warn => Rgb(0xd9, 0x8e, 0x04),
            ColorRole::Late => Rgb(0xc6, 0x28, 0x28),
            ColorRole::Failed => Rgb(0x5b, 0x21, 0x82),
            ColorRole::Line1 => Rgb(0x1f, 0x6f, 0xd1),
            ColorRole::Line2 => Rgb(0xd1, 0x5a, 0x1f),
            ColorRole::Line3 => Rgb(0x2a, 0x9d, 0x8f),
            ColorRole::Line4 => Rgb(0x8e, 0x44, 0xad),
            ColorRole::Band80 => Rgb(0xb3, 0xcd, 0xf0),
            ColorRole::Band95 => Rgb(0xdb, 0xe7, 0xf7),
            ColorRole::Target => Rgb(0xc6, 0x28, 0x28),
            ColorRole::Positive => Rgb(0x2e, 0x7d, 0x32),
            ColorRole::Negative => Rgb(0xc6, 0x28, 0x28),
            ColorRole::Heat0 => Rgb(0xee, 0xf3, 0xfb),
            ColorRole::Heat1 => Rgb(0x0b, 0x3d, 0x91),
            ColorRole::Compare => Rgb(0x11, 0x11, 0x11),
        }
    }
}

/// Resolved colours of every role plus the background the data layer is
/// painted on.
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    colors: [Rgb; ColorRole::ALL.len()],
    /// The page's background, which the chart is drawn on.
    pub background: Rgb,
}

impl Default for Palette {
    fn default() -> Self {
        Self {
            colors: ColorRole::ALL.map(ColorRole::fallback),
            background: Rgb::WHITE,
        }
    }
}

impl Palette {
    /// Resolves every role through `lookup(css_var)`; values that are
    /// missing or do not parse fall back. A colour with opacity is
    /// flattened over the background.
    pub fn resolve(lookup: impl Fn(&str) -> Option<String>, background: Rgb) -> Self {
        let colors = ColorRole::ALL.map(|role| {
            lookup(role.css_var())
                .and_then(|v| parse_css_color(&v))
                .map(|(c, a)| c.over(background, a))
                .unwrap_or(role.fallback())
        });
        Self { colors, background }
    }

    /// The colour of `role`.
    pub fn get(&self, role: ColorRole) -> Rgb {
        ColorRole::ALL
            .iter()
            .position(|r| *r == role)
            .and_then(|i| self.colors.get(i))
            .copied()
            .unwrap_or(role.fallback())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_css_colours() {
        assert_eq!(
            parse_css_color("#1f6fd1"),
            Some((Rgb(0x1f, 0x6f, 0xd1), 1.0))
        );
        assert_eq!(parse_css_color(" #FFF "), Some((Rgb(255, 255, 255), 1.0)));
        assert_eq!(parse_css_color("rgb(1, 2, 3)"), Some((Rgb(1, 2, 3), 1.0)));
        assert_eq!(
            parse_css_color("rgba(1, 2, 3, 0.5)"),
            Some((Rgb(1, 2, 3), 0.5))
        );
        assert_eq!(
            parse_css_color("rgb(1 2 3 / 50%)"),
            Some((Rgb(1, 2, 3), 0.5))
        );
        assert_eq!(
            parse_css_color("rgba(0, 0, 0, 0)"),
            Some((Rgb(0, 0, 0), 0.0))
        );
        assert_eq!(
            parse_css_color("rgb(300, -4, 12.6)"),
            Some((Rgb(255, 0, 13), 1.0))
        );
        assert_eq!(
            parse_css_color("#11223380").map(|c| c.0),
            Some(Rgb(0x11, 0x22, 0x33))
        );
        for bad in [
            "",
            "#12",
            "#ggg",
            "red",
            "rgb(1,2)",
            "rgb(1,2,3",
            "rgb(a,b,c)",
            "#12345",
            "rgb(nan,1,2)",
        ] {
            assert_eq!(parse_css_color(bad), None, "{bad}");
        }
        assert_eq!(parse_css_color("#ééé"), None);
    }

    #[test]
    fn reads_css_numbers_as_the_standard_parser_does() {
        for text in [
            "0", "1", "255", "12.6", ".5", "5.", "-4", "+7", "0.25", "50", "1e2", "1.5E-1", "2e+1",
            "007", "3.14159", "1e400", "-0",
        ] {
            let expected: f64 = text.parse().unwrap_or(f64::NAN);
            let got = css_number(text).unwrap_or(f64::NAN);
            assert!(
                (got - expected).abs() <= expected.abs() * 1e-12 || got == expected,
                "{text}: {got} against {expected}"
            );
        }
        for bad in [
            "", ".", "-", "1e", "1e-", "a", "1.2.3", "1,2", "0x10", "1 2", "--1", "e5",
        ] {
            assert_eq!(css_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn palette_resolves_and_falls_back() {
        let p = Palette::resolve(
            |name| match name {
                "--chart-ok" => Some(" #00ff00".into()),
                "--chart-late" => Some("rgb(255, 0, 0)".into()),
                "--chart-warn" => Some("garbage".into()),
                "--chart-grid" => Some("rgba(0, 0, 0, 0.5)".into()),
                _ => None,
            },
            Rgb::WHITE,
        );
        assert_eq!(p.get(ColorRole::Ok), Rgb(0, 255, 0));
        assert_eq!(p.get(ColorRole::Late), Rgb(255, 0, 0));
        assert_eq!(p.get(ColorRole::Warn), ColorRole::Warn.fallback());
        assert_eq!(p.get(ColorRole::Grid), Rgb(128, 128, 128));
        assert_eq!(p.get(ColorRole::Compare), ColorRole::Compare.fallback());
    }

    #[test]
    fn every_role_has_its_own_variable() {
        let mut names: Vec<_> = ColorRole::ALL.iter().map(|r| r.css_var()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ColorRole::ALL.len());
        assert_eq!(ColorRole::line(5), ColorRole::Line2);
    }

    #[test]
    fn lerp_clamps() {
        let a = Rgb(0, 0, 0);
        let b = Rgb(200, 100, 50);
        assert_eq!(a.lerp(b, 0.5), Rgb(100, 50, 25));
        assert_eq!(a.lerp(b, 7.0), b);
        assert_eq!(a.lerp(b, f64::NAN), a);
    }
}
