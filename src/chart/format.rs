//! Text for numbers, minutes and months on axes and in tooltips.
//!
//! Contract: every function returns a string for every input; NaN and
//! infinities read `n/a` (values) or an empty/placeholder label (axes).
//! Tooltip values ([`format_value`]) are exact enough to be quoted
//! (`12,345`, `95.2 %`, `61 s`, `$1,234,567`); tick labels
//! ([`format_tick`]) are compact (`1.5k`, `2M`, `$1.2M`) with as many
//! decimals as the tick step needs.

/// How the values of an axis read.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ValueFormat {
    /// Counts: `12,345`; ticks `12k`.
    #[default]
    Count,
    /// Fixed decimals: `3.14`.
    Decimal(u8),
    /// Values already in percent: `95.2 %` with the given decimals.
    Percent(u8),
    /// Seconds: `61 s`, `1.5 s`.
    Seconds,
    /// Milliseconds: `220 ms`.
    Millis,
    /// Money with a prefix symbol: `$1,234,567`; ticks `$1.2M`.
    Currency(String),
}

/// Placeholder for a value that is not a number.
pub const NOT_A_NUMBER: &str = "n/a";

/// The exact text of a value, for tooltips and tables.
pub fn format_value(v: f64, format: &ValueFormat) -> String {
    if !v.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    match format {
        ValueFormat::Count => {
            if (v - v.round()).abs() < 1e-9 {
                grouped(v, 0)
            } else {
                trim_zeros(grouped(v, 2))
            }
        }
        ValueFormat::Decimal(d) => grouped(v, usize::from(*d).min(12)),
        ValueFormat::Percent(d) => format!("{} %", grouped(v, usize::from(*d).min(12))),
        ValueFormat::Seconds => {
            if (v - v.round()).abs() < 1e-9 {
                format!("{} s", grouped(v, 0))
            } else {
                format!("{} s", grouped(v, 1))
            }
        }
        ValueFormat::Millis => format!("{} ms", grouped(v, 0)),
        ValueFormat::Currency(symbol) => {
            let sign = if v.round() < 0.0 { "-" } else { "" };
            format!("{sign}{symbol}{}", grouped(v.abs(), 0))
        }
    }
}

/// A compact tick label for `v` on an axis whose ticks are `step` apart.
pub fn format_tick(v: f64, step: f64, format: &ValueFormat) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let step = if step.is_finite() && step > 0.0 {
        step
    } else {
        v.abs().max(1.0)
    };
    let (divisor, suffix) = if step >= 1e8 {
        (1e9, "B")
    } else if step >= 1e5 {
        (1e6, "M")
    } else if step >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let decimals = decimals_for(step / divisor);
    let number = if v == 0.0 {
        "0".to_string()
    } else {
        let text = grouped(v / divisor, decimals);
        let text = if suffix.is_empty() {
            text
        } else {
            trim_zeros(text)
        };
        format!("{text}{suffix}")
    };
    match format {
        ValueFormat::Count | ValueFormat::Decimal(_) => number,
        ValueFormat::Percent(_) => format!("{number} %"),
        ValueFormat::Seconds => format!("{number} s"),
        ValueFormat::Millis => format!("{number} ms"),
        ValueFormat::Currency(symbol) => match number.strip_prefix('-') {
            Some(rest) => format!("-{symbol}{rest}"),
            None => format!("{symbol}{number}"),
        },
    }
}

/// Decimals needed to tell apart multiples of `step` (0 for steps ≥ 1).
fn decimals_for(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) || step >= 1.0 {
        return 0;
    }
    // The decades below 1 the step reaches (a step a hair under a power of
    // ten, as 0.1 × 3 / 3 may be, counts as that power).
    let mut decimals = 0;
    let mut scaled = step;
    while scaled < 1.0 - 1e-9 && decimals < 12 {
        scaled *= 10.0;
        decimals += 1;
    }
    decimals
}

/// `v` with `decimals` decimals and `,` between groups of thousands.
fn grouped(v: f64, decimals: usize) -> String {
    let text = crate::format::fixed(v, decimals);
    let (sign, digits) = match text.strip_prefix('-') {
        // "-0" and "-0.0" read as zero.
        Some(rest) if rest.bytes().any(|b| (b'1'..=b'9').contains(&b)) => ("-", rest),
        Some(rest) => ("", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut out = String::with_capacity(text.len() + int.len() / 3);
    out.push_str(sign);
    let len = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Removes trailing zeros (and a trailing point) of a decimal.
fn trim_zeros(text: String) -> String {
    if !text.contains('.') {
        return text;
    }
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `HH:MM` for a minute of the day (`1440` reads `24:00`; negative minutes
/// get a leading `-`; not a number reads `--:--`).
pub fn minute_label(minute: f64) -> String {
    if !minute.is_finite() {
        return "--:--".to_string();
    }
    let m = minute.floor() as i64;
    let sign = if m < 0 { "-" } else { "" };
    let m = m.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Jan 2016` for a month index `year * 12 + month - 1` (empty if not a
/// number).
pub fn month_label(index: f64) -> String {
    if !index.is_finite() {
        return String::new();
    }
    let m = index.floor() as i64;
    let year = m.div_euclid(12);
    let name = usize::try_from(m.rem_euclid(12))
        .ok()
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("?");
    format!("{name} {year}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_step() {
        for (step, want) in [
            (5.0, 0),
            (1.0, 0),
            (0.5, 1),
            (0.2, 1),
            (0.1, 1),
            (0.1 * 3.0 / 3.0, 1),
            (0.05, 2),
            (0.01, 2),
            (0.001, 3),
            (2e-7, 7),
            (1e-15, 12),
            (0.0, 0),
            (f64::NAN, 0),
        ] {
            assert_eq!(decimals_for(step), want, "{step}");
        }
    }

    #[test]
    fn values() {
        assert_eq!(format_value(42.0, &ValueFormat::Count), "42");
        assert_eq!(format_value(1234567.0, &ValueFormat::Count), "1,234,567");
        assert_eq!(format_value(-1234.0, &ValueFormat::Count), "-1,234");
        assert_eq!(format_value(2.5, &ValueFormat::Count), "2.5");
        assert_eq!(format_value(f64::NAN, &ValueFormat::Count), "n/a");
        assert_eq!(format_value(f64::INFINITY, &ValueFormat::Seconds), "n/a");
        assert_eq!(format_value(95.234, &ValueFormat::Percent(1)), "95.2 %");
        assert_eq!(format_value(61.0, &ValueFormat::Seconds), "61 s");
        assert_eq!(format_value(1.54, &ValueFormat::Seconds), "1.5 s");
        assert_eq!(format_value(219.6, &ValueFormat::Millis), "220 ms");
        assert_eq!(format_value(1.23456, &ValueFormat::Decimal(2)), "1.23");
        let usd = ValueFormat::Currency("$".into());
        assert_eq!(format_value(1234567.4, &usd), "$1,234,567");
        assert_eq!(format_value(-1234.0, &usd), "-$1,234");
        assert_eq!(format_value(-0.2, &usd), "$0");
        assert_eq!(format_value(-0.0001, &ValueFormat::Decimal(1)), "0.0");
        assert!(format_value(1e300, &ValueFormat::Count).starts_with("1,000,000"));
    }

    #[test]
    fn ticks() {
        let c = ValueFormat::Count;
        assert_eq!(format_tick(0.0, 20.0, &c), "0");
        assert_eq!(format_tick(40.0, 20.0, &c), "40");
        assert_eq!(format_tick(0.6, 0.2, &c), "0.6");
        assert_eq!(format_tick(0.05, 0.05, &c), "0.05");
        assert_eq!(format_tick(1.0, 0.5, &c), "1.0");
        assert_eq!(format_tick(2000.0, 1000.0, &c), "2k");
        assert_eq!(format_tick(1500.0, 500.0, &c), "1,500");
        assert_eq!(format_tick(1_500_000.0, 500_000.0, &c), "1.5M");
        assert_eq!(format_tick(2_000_000.0, 500_000.0, &c), "2M");
        assert_eq!(format_tick(3e9, 1e9, &c), "3B");
        assert_eq!(format_tick(-40.0, 20.0, &c), "-40");
        assert_eq!(format_tick(60.0, 30.0, &ValueFormat::Seconds), "60 s");
        assert_eq!(format_tick(50.0, 25.0, &ValueFormat::Percent(1)), "50 %");
        let usd = ValueFormat::Currency("$".into());
        assert_eq!(format_tick(1_200_000.0, 200_000.0, &usd), "$1.2M");
        assert_eq!(format_tick(-200_000.0, 200_000.0, &usd), "-$0.2M");
        assert_eq!(format_tick(f64::NAN, 1.0, &c), "");
        assert_eq!(format_tick(5.0, f64::NAN, &c), "5");
    }

    #[test]
    fn minutes() {
        assert_eq!(minute_label(0.0), "00:00");
        assert_eq!(minute_label(480.0), "08:00");
        assert_eq!(minute_label(475.9), "07:55");
        assert_eq!(minute_label(1439.0), "23:59");
        assert_eq!(minute_label(1440.0), "24:00");
        assert_eq!(minute_label(-5.0), "-00:05");
        assert_eq!(minute_label(f64::NAN), "--:--");
        assert!(!minute_label(1e300).is_empty());
    }

    #[test]
    fn months() {
        assert_eq!(month_label(2016.0 * 12.0), "Jan 2016");
        assert_eq!(month_label(2016.0 * 12.0 + 7.0), "Aug 2016");
        assert_eq!(month_label(-1.0), "Dec -1");
        assert_eq!(month_label(f64::INFINITY), "");
        assert!(!month_label(-1e300).is_empty());
    }
}
