//! The SQL's instants: microseconds and days counted from 1 March of the
//! year −400 (`sql/clean.sql` counts from there so that every division is
//! of non-negative numbers), turned back into the contract's days and RFC
//! 3339 timestamps.

use pulse::api::Day;

/// Microseconds in a day.
pub const US_PER_DAY: i64 = 86_400_000_000;

/// The day number `sql/clean.sql` gives a civil date (the same formula).
pub fn day_number(year: i64, month: i64, day: i64) -> i64 {
    let yy = year - i64::from(month <= 2) + 400;
    let mp = (month + 9) % 12;
    365 * yy + yy / 4 - yy / 100 + yy / 400 + (153 * mp + 2) / 5 + day - 1
}

/// The civil date of a day number: (year, month, day).
pub fn civil(n: i64) -> (i64, i64, i64) {
    // Inverse of `day_number`, after H. Hinnant's `civil_from_days`.
    let era = n.div_euclid(146_097);
    let doe = n.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 - 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The contract's day for a day number, if it is one chrono can hold.
pub fn day(n: i64) -> Option<Day> {
    let (y, m, d) = civil(n);
    Day::from_ymd(
        i32::try_from(y).ok()?,
        u32::try_from(m).ok()?,
        u32::try_from(d).ok()?,
    )
}

/// The day number of a contract day.
pub fn number_of(day: Day) -> i64 {
    let s = day.to_string();
    let part =
        |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<i64>().ok()).unwrap_or(0);
    day_number(part(0..4), part(5..7), part(8..10))
}

/// RFC 3339 in UTC with `Z`; fractions of a second only when there are
/// some, without trailing zeros.
pub fn rfc3339(us: i64) -> String {
    let (y, mo, d) = civil(us.div_euclid(US_PER_DAY));
    let t = us.rem_euclid(US_PER_DAY);
    let (h, mi, s, f) = (
        t / 3_600_000_000,
        t / 60_000_000 % 60,
        t / 1_000_000 % 60,
        t % 1_000_000,
    );
    let mut out = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
    if f != 0 {
        let frac = format!("{f:06}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// The longest text [`Rfc3339`] writes: `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
const RFC3339_MAX: usize = 27;

/// [`rfc3339`] of an instant, written into a buffer of its own: no
/// allocation (a post's two instants, written by the thousand).
#[derive(Clone, Copy, Debug)]
pub struct Rfc3339(pub i64);

/// Bytes written one after the other into a fixed buffer.
struct Bytes {
    buf: [u8; RFC3339_MAX],
    len: usize,
}

impl Bytes {
    fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// `v` in `n` decimal digits (`v` below 10^n).
    fn digits(&mut self, v: i64, n: u32) {
        for k in (0..n).rev() {
            self.push(b'0' + (v / 10_i64.pow(k) % 10) as u8);
        }
    }
}

impl Rfc3339 {
    /// Writes the text into `out`; `None` outside the years 0000–9999,
    /// which [`rfc3339`] writes instead.
    fn write(self, out: &mut Bytes) -> Option<&str> {
        let (y, mo, d) = civil(self.0.div_euclid(US_PER_DAY));
        if !(0..=9999).contains(&y) {
            return None;
        }
        let t = self.0.rem_euclid(US_PER_DAY);
        out.digits(y, 4);
        out.push(b'-');
        out.digits(mo, 2);
        out.push(b'-');
        out.digits(d, 2);
        out.push(b'T');
        out.digits(t / 3_600_000_000, 2);
        out.push(b':');
        out.digits(t / 60_000_000 % 60, 2);
        out.push(b':');
        out.digits(t / 1_000_000 % 60, 2);
        let mut f = t % 1_000_000;
        if f != 0 {
            let mut n = 6;
            while f % 10 == 0 {
                f /= 10;
                n -= 1;
            }
            out.push(b'.');
            out.digits(f, n);
        }
        out.push(b'Z');
        out.buf
            .get(..out.len)
            .and_then(|b| std::str::from_utf8(b).ok())
    }
}

impl serde::Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = Bytes {
            buf: [0; RFC3339_MAX],
            len: 0,
        };
        match self.write(&mut out) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_str(&rfc3339(self.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        for n in [
            0, 1, 59, 60, 365, 146_096, 146_097, 865_565, 1_000_000, 3_000_000,
        ] {
            let (y, m, d) = civil(n);
            assert_eq!(day_number(y, m, d), n, "{n}: {y}-{m}-{d}");
        }
        assert_eq!(civil(day_number(2016, 2, 29)), (2016, 2, 29));
        assert_eq!(day_number(2016, 3, 1) - day_number(2016, 2, 28), 2);
        assert_eq!(day_number(2100, 3, 1) - day_number(2100, 2, 28), 1);
    }

    /// [`Rfc3339`] as JSON, the way a posts page writes it.
    fn json(us: i64) -> String {
        serde_json::to_string(&Rfc3339(us)).unwrap()
    }

    #[test]
    fn the_unallocated_writer_writes_what_rfc3339_writes() {
        let base = day_number(2016, 8, 3) * US_PER_DAY;
        for us in [
            base,
            base + 8 * 3_600_000_000 + 102_000_000,
            base + 500_000,
            base + 123_456,
            base + 10,
            base + 100_000,
            base + US_PER_DAY - 1,
            day_number(0, 1, 1) * US_PER_DAY,
            day_number(9999, 12, 31) * US_PER_DAY + US_PER_DAY - 1,
            day_number(10000, 1, 1) * US_PER_DAY,
            day_number(-1, 12, 31) * US_PER_DAY + 5,
            0,
            -1,
        ] {
            assert_eq!(json(us), format!("\"{}\"", rfc3339(us)), "{us}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_instant_is_written_as_rfc3339_writes_it(
            us in -400_000_i64 * US_PER_DAY..4_000_000 * US_PER_DAY
        ) {
            proptest::prop_assert_eq!(json(us), format!("\"{}\"", rfc3339(us)));
        }
    }

    #[test]
    fn formats_rfc3339() {
        let base = day_number(2016, 8, 3) * US_PER_DAY;
        assert_eq!(
            rfc3339(base + 8 * 3_600_000_000 + 102_000_000),
            "2016-08-03T08:01:42Z"
        );
        assert_eq!(rfc3339(base + 500_000), "2016-08-03T00:00:00.5Z");
        assert_eq!(rfc3339(base + 123_456), "2016-08-03T00:00:00.123456Z");
        assert_eq!(
            day(day_number(2016, 8, 3)).map(|d| d.to_string()),
            Some("2016-08-03".to_owned())
        );
        assert_eq!(
            number_of(Day::from_ymd(2016, 8, 3).unwrap_or_else(|| unreachable!())),
            day_number(2016, 8, 3)
        );
    }
}
