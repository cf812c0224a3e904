//! Numbers for people: compact counts (`68.3m`), durations (`88.1 ms`),
//! shares (`70.8 %`), money (`$1,234,567`), minutes of the day (`07:55`),
//! and the machine-readable forms of the `data-value` hooks (`0.7083`).
//! The base of Pulse: it imports nothing of Pulse.
//!
//! Every function is total: NaN and infinities print as `n/a`.

/// Groups the digits of an integer in thousands: `1234567` → `1,234,567`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('−');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Removes trailing zeros after a decimal point (and the point itself).
fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// `v` with exactly `decimals` places, as `format!("{v:.decimals$}")`
/// writes it: the exact binary value rounded half to even.
///
/// The standard printer handles any float and precision with tables and
/// big-number arithmetic that would be most of the code a first chart
/// needs to show its numbers; the values shown here (below 10^15, at most
/// four places) take one 128-bit multiplication and a shift. Others go to
/// the standard printer.
pub fn fixed(v: f64, decimals: usize) -> String {
    const POWERS: [u128; 5] = [1, 10, 100, 1_000, 10_000];
    let (Some(&power), true) = (POWERS.get(decimals), v.is_finite() && v.abs() < 1e15) else {
        return format!("{v:.decimals$}");
    };
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // |v| = mantissa × 2^exponent, exponent ≤ 0 below 2^52.
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    let scaled = u128::from(mantissa) * power;
    let shift = exponent.unsigned_abs();
    let units = if exponent >= 0 {
        scaled << shift
    } else if shift >= 128 {
        0
    } else {
        let whole = scaled >> shift;
        let rest = scaled - (whole << shift);
        let half = 1u128 << (shift - 1);
        if rest > half || (rest == half && whole & 1 == 1) {
            whole + 1
        } else {
            whole
        }
    };
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + decimals + 2);
    if bits >> 63 == 1 {
        out.push('-');
    }
    if digits.len() <= decimals {
        out.push('0');
        out.push('.');
        out.extend(std::iter::repeat_n('0', decimals - digits.len()));
        out.push_str(&digits);
    } else {
        let (whole, places) = digits.split_at(digits.len() - decimals);
        out.push_str(whole);
        if decimals > 0 {
            out.push('.');
            out.push_str(places);
        }
    }
    out
}

/// A decimal with at most `decimals` places and no trailing zeros.
pub fn decimal(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let s = trim_zeros(fixed(v, decimals));
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// A count in compact form with three significant digits:
/// `68300000` → `68.3m`, `944000000` → `944m`, `12000` → `12k`.
pub fn compact_count(n: u64) -> String {
    const UNITS: [(f64, &str); 5] = [(1e3, "k"), (1e6, "m"), (1e9, "b"), (1e12, "t"), (1e15, "q")];
    let v = n as f64;
    let Some(i) = UNITS.iter().rposition(|(scale, _)| v >= *scale) else {
        return n.to_string();
    };
    let mut i = i;
    loop {
        let Some(&(scale, unit)) = UNITS.get(i) else {
            return n.to_string();
        };
        let x = v / scale;
        let decimals = if x >= 100.0 {
            0
        } else if x >= 10.0 {
            1
        } else {
            2
        };
        let text = decimal(x, decimals);
        // 999.96k rounds to "1000k": say 1m instead.
        if text == "1000" && i + 1 < UNITS.len() {
            i += 1;
            continue;
        }
        return format!("{text}{unit}");
    }
}

/// A duration in milliseconds: `220 ms`, `88.1 ms`, `4.25 ms`.
pub fn millis(ms: f64) -> String {
    if !ms.is_finite() {
        return "n/a".into();
    }
    let decimals = if ms.abs() >= 100.0 {
        0
    } else if ms.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{} ms", decimal(ms, decimals))
}

/// A fraction as a percentage with one decimal: `0.70833` → `70.8 %`.
pub fn percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return "n/a".into();
    }
    format!("{} %", decimal(fraction * 100.0, 1))
}

/// A relative change between two values as a signed percentage
/// (`+5.2 %`, `−3.1 %`), or `None` when the previous value is 0.
pub fn change_percent(current: f64, previous: f64) -> Option<String> {
    if previous == 0.0 || !current.is_finite() || !previous.is_finite() {
        return None;
    }
    let pct = (current - previous) / previous * 100.0;
    Some(signed(pct, 1, " %"))
}

/// A signed number with a true minus sign: `+12`, `−3.5 ms`, `0`.
pub fn signed(v: f64, decimals: usize, unit: &str) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let text = decimal(v.abs(), decimals);
    if text == "0" {
        return format!("0{unit}");
    }
    let sign = if v < 0.0 { '−' } else { '+' };
    format!("{sign}{text}{unit}")
}

/// A fraction for the `data-value` hooks: at most four decimals, `.` as
/// separator (`0.7083`), or `n/a`.
pub fn raw_fraction(fraction: Option<f64>) -> String {
    match fraction {
        Some(f) if f.is_finite() => decimal(f, 4),
        _ => "n/a".into(),
    }
}

/// The symbol written before amounts of a currency, if it has a common one.
fn currency_symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        _ => None,
    }
}

/// Whole currency units from cents, grouped: `123456700` USD → `$1,234,567`,
/// negative as `−$1,234`; other currencies as `1,234 SEK`.
pub fn money(cents: i64, currency: &str) -> String {
    let units = (cents as f64 / 100.0).round() as i64;
    let grouped = group_thousands(units.abs());
    let sign = if units < 0 { "−" } else { "" };
    match currency_symbol(currency) {
        Some(sym) => format!("{sign}{sym}{grouped}"),
        None => format!("{sign}{grouped} {currency}"),
    }
}

/// Like [`money`], with a `+` on positive amounts (for movements).
pub fn money_signed(cents: i64, currency: &str) -> String {
    if cents > 0 {
        format!("+{}", money(cents, currency))
    } else {
        money(cents, currency)
    }
}

/// Parses `HH:MM` into a minute of the day.
pub fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Writes a minute of the day as `HH:MM`.
pub fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fixed_writes_what_the_standard_printer_writes() {
        let values = [
            0.0,
            -0.0,
            0.25,
            0.35,
            2.5,
            0.5,
            1.5,
            3.5,
            0.125,
            0.375,
            -0.5,
            -2.5,
            1.005,
            2.675,
            99.95,
            999.9999,
            123456.789,
            5e-324,
            1e-7,
            0.000049999,
            0.00005,
            9.5,
            10.5,
            4503599627370495.5,
            999999999999999.9,
            1e15,
            1e16,
            1e300,
            f64::NAN,
            f64::INFINITY,
        ];
        for v in values {
            for d in 0..=6 {
                assert_eq!(fixed(v, d), format!("{v:.d$}"), "{v} to {d} places");
            }
        }
    }

    proptest! {
        #[test]
        fn fixed_agrees_with_the_standard_printer(v in -1e6f64..1e6, d in 0usize..=4) {
            prop_assert_eq!(fixed(v, d), format!("{v:.d$}"));
        }

        #[test]
        fn fixed_agrees_on_few_decimal_places(n in -1_000_000i64..1_000_000, scale in 0u32..=5, d in 0usize..=4) {
            // Values written with a few places: where ties and near-ties are.
            let v = n as f64 / 10f64.powi(scale as i32);
            prop_assert_eq!(fixed(v, d), format!("{v:.d$}"));
        }
    }

    #[test]
    fn compact_counts_match_the_report_style() {
        assert_eq!(compact_count(68_300_000), "68.3m");
        assert_eq!(compact_count(944_000_000), "944m");
        assert_eq!(compact_count(1_490_000), "1.49m");
        assert_eq!(compact_count(12_000), "12k");
        assert_eq!(compact_count(999), "999");
        assert_eq!(compact_count(0), "0");
        assert_eq!(compact_count(999_960), "1m");
        assert_eq!(compact_count(1_234_567_890), "1.23b");
    }

    #[test]
    fn durations_shares_and_changes() {
        assert_eq!(millis(220.0), "220 ms");
        assert_eq!(millis(88.1), "88.1 ms");
        assert_eq!(millis(4.256), "4.26 ms");
        assert_eq!(millis(f64::NAN), "n/a");
        assert_eq!(percent(17.0 / 24.0), "70.8 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(change_percent(68.3, 65.0).as_deref(), Some("+5.1 %"));
        assert_eq!(change_percent(17.0, 23.0).as_deref(), Some("−26.1 %"));
        assert_eq!(change_percent(5.0, 0.0), None);
        assert_eq!(signed(-3.0, 0, ""), "−3");
        assert_eq!(signed(0.0, 1, " ms"), "0 ms");
    }

    #[test]
    fn raw_values_for_hooks() {
        assert_eq!(raw_fraction(Some(17.0 / 24.0)), "0.7083");
        assert_eq!(raw_fraction(Some(1.0)), "1");
        assert_eq!(raw_fraction(Some(0.0)), "0");
        assert_eq!(raw_fraction(None), "n/a");
        assert_eq!(raw_fraction(Some(f64::NAN)), "n/a");
        assert_eq!(decimal(-0.00001, 2), "0");
    }

    #[test]
    fn money_is_grouped_in_the_currency() {
        assert_eq!(money(123_456_700, "USD"), "$1,234,567");
        assert_eq!(money(-2_500_000, "USD"), "−$25,000");
        assert_eq!(money(99, "EUR"), "€1");
        assert_eq!(money(100_000, "SEK"), "1,000 SEK");
        assert_eq!(money_signed(500_000, "USD"), "+$5,000");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(-999), "−999");
    }
}
