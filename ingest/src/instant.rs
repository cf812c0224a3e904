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
