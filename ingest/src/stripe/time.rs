//! Stripe's `created` (Unix seconds) as the data contract's RFC 3339 UTC
//! timestamp, `2016-08-03T08:00:00Z`.

/// The latest second written with a four-digit year: 9999-12-31T23:59:59Z.
const LAST_SECOND: i64 = 253_402_300_799;

/// Whether `created` can be written as a contract timestamp (1970 to 9999).
pub fn in_range(created: i64) -> bool {
    (0..=LAST_SECOND).contains(&created)
}

/// `created` as `YYYY-MM-DDTHH:MM:SSZ`; values outside [`in_range`] are
/// clamped to it (the reader refuses them before they get here).
pub fn rfc3339(created: i64) -> String {
    let created = created.clamp(0, LAST_SECOND);
    let (days, second) = (created / 86_400, created % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second / 3600,
        second / 60 % 60,
        second % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (`days` ≥ 0), by
/// eras of 400 years counted from 0000-03-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_470_211_200), "2016-08-03T08:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(rfc3339(4_107_542_400), "2100-03-01T00:00:00Z");
        assert_eq!(rfc3339(LAST_SECOND), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn range_is_1970_to_9999() {
        assert!(in_range(0) && in_range(LAST_SECOND));
        assert!(!in_range(-1) && !in_range(LAST_SECOND + 1));
    }

    #[test]
    fn every_day_follows_the_one_before() {
        // Walk 1970..2401 day by day against a plain calendar.
        let mut date = (1970, 1, 1);
        for days in 0..=157_000 {
            assert_eq!(civil_from_days(days), date, "day {days}");
            let (y, m, d) = date;
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let length = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            date = match (d == length, m == 12) {
                (false, _) => (y, m, d + 1),
                (true, false) => (y, m + 1, 1),
                (true, true) => (y + 1, 1, 1),
            };
        }
    }
}
