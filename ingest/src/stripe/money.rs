//! Exact money arithmetic for the Stripe rules: amounts as reduced `i128`
//! fractions of a cent, billing periods normalised to a month, and the one
//! rounding rule (halves away from zero).
//!
//! Every operation that could overflow is checked and returns `None`, so
//! absurd input becomes an error at the caller, never a wrong figure or a
//! panic.

use std::cmp::Ordering;

/// An exact fraction of a cent: `num / den`, `den > 0`, in lowest terms (so
/// equal values have equal fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i128,
    den: i128,
}

fn gcd(a: i128, b: i128) -> u128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Ratio {
    /// Zero cents.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    /// A whole number of cents.
    pub fn int(n: i128) -> Ratio {
        Ratio { num: n, den: 1 }
    }

    /// `num / den` in lowest terms; `None` for a zero denominator or when
    /// the sign cannot be moved to the numerator without overflow.
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let (num, den) = if den < 0 {
            (num.checked_neg()?, den.checked_neg()?)
        } else {
            (num, den)
        };
        let g = i128::try_from(gcd(num, den)).ok()?;
        Some(Ratio {
            num: num / g,
            den: den / g,
        })
    }

    /// The sum, or `None` on overflow.
    pub fn checked_add(self, other: Ratio) -> Option<Ratio> {
        let g = i128::try_from(gcd(self.den, other.den)).ok()?;
        let (left, right) = (other.den / g, self.den / g);
        let den = self.den.checked_mul(left)?;
        let num = self
            .num
            .checked_mul(left)?
            .checked_add(other.num.checked_mul(right)?)?;
        Ratio::new(num, den)
    }

    /// The difference, or `None` on overflow.
    pub fn checked_sub(self, other: Ratio) -> Option<Ratio> {
        self.checked_add(Ratio {
            num: other.num.checked_neg()?,
            den: other.den,
        })
    }

    /// The product, or `None` on overflow.
    pub fn checked_mul(self, other: Ratio) -> Option<Ratio> {
        let g1 = i128::try_from(gcd(self.num, other.den)).ok()?.max(1);
        let g2 = i128::try_from(gcd(other.num, self.den)).ok()?.max(1);
        let num = (self.num / g1).checked_mul(other.num / g2)?;
        let den = (self.den / g2).checked_mul(other.den / g1)?;
        Ratio::new(num, den)
    }

    /// This value, or zero when it is below zero.
    pub fn floor_at_zero(self) -> Ratio {
        if self.num < 0 {
            Ratio::ZERO
        } else {
            self
        }
    }

    /// Rounded to a whole cent, halves away from zero; `None` when the
    /// result does not fit an `i64`.
    pub fn round(self) -> Option<i64> {
        let q = self.num.div_euclid(self.den);
        let r = self.num.rem_euclid(self.den);
        // r / den is the fraction above q, in [0, 1).
        let rounded = match r.cmp(&(self.den - r)) {
            Ordering::Less => q,
            Ordering::Greater => q.checked_add(1)?,
            // Exactly half: away from zero, i.e. up for a positive value
            // and down (to q, which is below) for a negative one.
            Ordering::Equal if self.num >= 0 => q.checked_add(1)?,
            Ordering::Equal => q,
        };
        i64::try_from(rounded).ok()
    }

    /// A plain decimal (`-12.345`, `7`, `0.5`); at most 30 digits. `None`
    /// for anything else.
    pub fn parse_decimal(text: &str) -> Option<Ratio> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((whole, fraction)) if !fraction.is_empty() => (whole, fraction),
            Some(_) => return None,
            None => (digits, ""),
        };
        if whole.is_empty() || whole.len() + fraction.len() > 30 {
            return None;
        }
        let mut num: i128 = 0;
        let mut den: i128 = 1;
        for (i, byte) in whole.bytes().chain(fraction.bytes()).enumerate() {
            if !byte.is_ascii_digit() {
                return None;
            }
            num = num.checked_mul(10)?.checked_add(i128::from(byte - b'0'))?;
            if i >= whole.len() {
                den = den.checked_mul(10)?;
            }
        }
        Ratio::new(if negative { -num } else { num }, den)
    }

    /// The decimal a JSON number was written as: the shortest decimal that
    /// reads back as this `f64` (so `33.33` is exactly 3333/100, not the
    /// nearest binary fraction). `None` for non-finite values or more than
    /// 30 digits.
    pub fn from_json_number(value: f64) -> Option<Ratio> {
        if !value.is_finite() {
            return None;
        }
        Ratio::parse_decimal(&format!("{value}"))
    }
}

impl Ord for Ratio {
    /// Compared by continued fractions, so no product can overflow.
    fn cmp(&self, other: &Ratio) -> Ordering {
        let (mut a, mut b, mut c, mut d) = (self.num, self.den, other.num, other.den);
        // true when the comparison of what is left is reversed (after
        // taking reciprocals an odd number of times).
        let mut flipped = false;
        loop {
            let (qa, ra) = (a.div_euclid(b), a.rem_euclid(b));
            let (qc, rc) = (c.div_euclid(d), c.rem_euclid(d));
            let order = match (qa.cmp(&qc), ra == 0, rc == 0) {
                (Ordering::Equal, true, true) => Ordering::Equal,
                (Ordering::Equal, true, false) => Ordering::Less,
                (Ordering::Equal, false, true) => Ordering::Greater,
                (Ordering::Equal, false, false) => {
                    // ra/b against rc/d, both in (0, 1): compare b/ra with
                    // d/rc, reversed.
                    (a, b, c, d) = (b, ra, d, rc);
                    flipped = !flipped;
                    continue;
                }
                (order, _, _) => order,
            };
            return if flipped { order.reverse() } else { order };
        }
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Ratio) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A billing period as a factor to a month: monthly = amount × `mul` ÷ `div`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    mul: i128,
    div: i128,
}

impl Period {
    /// The period of `interval` (`day`, `week`, `month`, `year`) ×
    /// `count`: month → ÷ count, year → ÷ (12 × count), week → × 52 ÷
    /// (12 × count), day → × 365 ÷ (12 × count). An error message for an
    /// unknown interval or a zero count.
    pub fn new(interval: &str, count: u64) -> Result<Period, String> {
        if count == 0 {
            return Err("interval_count is 0".to_string());
        }
        let count = i128::from(count);
        let (mul, div) = match interval {
            "month" => (1, count),
            "year" => (1, 12 * count),
            "week" => (52, 12 * count),
            "day" => (365, 12 * count),
            other => {
                return Err(format!(
                    "interval {other:?} is not day, week, month or year"
                ))
            }
        };
        Ok(Period { mul, div })
    }

    /// `amount` per period as an amount per month.
    pub fn monthly(self, amount: Ratio) -> Option<Ratio> {
        amount.checked_mul(Ratio::new(self.mul, self.div)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(num: i128, den: i128) -> Ratio {
        Ratio::new(num, den).unwrap()
    }

    #[test]
    fn fractions_are_kept_in_lowest_terms() {
        assert_eq!(r(6, -4), Ratio { num: -3, den: 2 });
        assert_eq!(r(1, 3).checked_add(r(1, 6)).unwrap(), r(1, 2));
        assert_eq!(r(1, 3).checked_sub(r(1, 2)).unwrap(), r(-1, 6));
        assert_eq!(r(2, 3).checked_mul(r(9, 4)).unwrap(), r(3, 2));
        assert_eq!(Ratio::new(1, 0), None);
    }

    #[test]
    fn overflow_is_none_not_a_panic() {
        let big = Ratio::int(i128::MAX);
        assert_eq!(big.checked_add(Ratio::int(1)), None);
        assert_eq!(big.checked_mul(Ratio::int(2)), None);
        assert_eq!(Ratio::int(i128::MIN).checked_sub(Ratio::int(1)), None);
        assert_eq!(Ratio::new(i128::MIN, -1), None);
        assert_eq!(Ratio::int(i128::from(i64::MAX) + 1).round(), None);
    }

    #[test]
    fn rounding_takes_halves_away_from_zero() {
        assert_eq!(r(5, 2).round(), Some(3));
        assert_eq!(r(-5, 2).round(), Some(-3));
        assert_eq!(r(7, 3).round(), Some(2));
        assert_eq!(r(8, 3).round(), Some(3));
        assert_eq!(r(-7, 3).round(), Some(-2));
        assert_eq!(r(-8, 3).round(), Some(-3));
        assert_eq!(r(1, 2).round(), Some(1));
        assert_eq!(r(49_999, 100_000).round(), Some(0));
        assert_eq!(Ratio::int(42).round(), Some(42));
    }

    #[test]
    fn floor_at_zero_clamps_only_negatives() {
        assert_eq!(r(-1, 3).floor_at_zero(), Ratio::ZERO);
        assert_eq!(r(1, 3).floor_at_zero(), r(1, 3));
    }

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(Ratio::parse_decimal("12.345"), Some(r(12_345, 1000)));
        assert_eq!(Ratio::parse_decimal("-0.5"), Some(r(-1, 2)));
        assert_eq!(Ratio::parse_decimal("7"), Some(Ratio::int(7)));
        for bad in ["", "-", ".5", "5.", "1e3", "1.2.3", "+1", "12a", "1 "] {
            assert_eq!(Ratio::parse_decimal(bad), None, "{bad:?}");
        }
        assert_eq!(Ratio::parse_decimal(&"9".repeat(31)), None);
    }

    #[test]
    fn json_numbers_are_read_as_written() {
        assert_eq!(Ratio::from_json_number(33.33), Some(r(3333, 100)));
        assert_eq!(Ratio::from_json_number(12.5), Some(r(25, 2)));
        assert_eq!(Ratio::from_json_number(100.0), Some(Ratio::int(100)));
        assert_eq!(Ratio::from_json_number(f64::NAN), None);
        assert_eq!(Ratio::from_json_number(5e-324), None);
    }

    #[test]
    fn periods_normalise_to_a_month() {
        let amount = Ratio::int(1200);
        let monthly = |interval, count| Period::new(interval, count).unwrap().monthly(amount);
        assert_eq!(monthly("month", 1), Some(Ratio::int(1200)));
        assert_eq!(monthly("month", 3), Some(Ratio::int(400)));
        assert_eq!(monthly("year", 1), Some(Ratio::int(100)));
        assert_eq!(monthly("year", 2), Some(Ratio::int(50)));
        assert_eq!(monthly("week", 1), Some(Ratio::int(5200)));
        assert_eq!(monthly("week", 2), Some(Ratio::int(2600)));
        assert_eq!(monthly("day", 1), Some(Ratio::int(36_500)));
        assert_eq!(monthly("day", 5), Some(Ratio::int(7300)));
        assert!(Period::new("fortnight", 1)
            .unwrap_err()
            .contains("fortnight"));
        assert_eq!(Period::new("month", 0).unwrap_err(), "interval_count is 0");
    }

    proptest! {
        #[test]
        fn order_agrees_with_cross_multiplication(
            a in -1_000_000_000i128..1_000_000_000, b in 1i128..1_000_000,
            c in -1_000_000_000i128..1_000_000_000, d in 1i128..1_000_000,
        ) {
            prop_assert_eq!(r(a, b).cmp(&r(c, d)), (a * d).cmp(&(c * b)));
        }

        #[test]
        fn order_never_overflows(a in any::<i128>(), b in 1i128.., c in any::<i128>(), d in 1i128..) {
            let (x, y) = (r(a, b), r(c, d));
            prop_assert_eq!(x.cmp(&y), y.cmp(&x).reverse());
            prop_assert_eq!(x.cmp(&x), Ordering::Equal);
        }

        #[test]
        fn rounding_is_within_half_a_cent(num in -1_000_000_000i128..1_000_000_000, den in 1i128..10_000) {
            let rounded = i128::from(r(num, den).round().unwrap());
            // |num/den − rounded| ≤ 1/2, with = only away from zero.
            let gap = (num - rounded * den).abs() * 2;
            prop_assert!(gap <= den);
            if gap == den {
                prop_assert!(rounded.abs() * den > num.abs());
            }
        }
    }
}
