//! Days, months and timestamps of the contract, all in UTC.
//!
//! Days are `YYYY-MM-DD`, months `YYYY-MM`, timestamps RFC 3339 with a `Z`
//! suffix (`2016-08-03T08:01:42Z`, fractions of a second allowed). Parsing is
//! strict and never panics: anything else is `None`, and the caller names
//! the place in its error.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A UTC calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(NaiveDate);

/// A UTC calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

/// An instant, as milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

const MS_PER_DAY: i64 = 86_400_000;

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
}

impl Day {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let y = digits(b.get(0..4)?)?;
        let m = digits(b.get(5..7)?)?;
        let d = digits(b.get(8..10)?)?;
        NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d).map(Day)
    }

    /// The day from year, month (1–12) and day of month.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day).map(Day)
    }

    /// The month this day is in.
    pub fn month(self) -> Month {
        Month {
            year: self.0.year(),
            month: self.0.month(),
        }
    }

    /// Day of the month, 1–31.
    pub fn day_of_month(self) -> u32 {
        self.0.day()
    }

    /// The start of the day.
    pub fn start(self) -> Timestamp {
        let days = i64::from(self.0.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE;
        Timestamp(days * MS_PER_DAY)
    }

    /// The next day.
    pub fn succ(self) -> Option<Self> {
        self.0.succ_opt().map(Day)
    }

    /// The weekday's short English name (`Mon` … `Sun`).
    pub fn weekday_short(self) -> &'static str {
        match self.0.weekday() {
            chrono::Weekday::Mon => "Mon",
            chrono::Weekday::Tue => "Tue",
            chrono::Weekday::Wed => "Wed",
            chrono::Weekday::Thu => "Thu",
            chrono::Weekday::Fri => "Fri",
            chrono::Weekday::Sat => "Sat",
            chrono::Weekday::Sun => "Sun",
        }
    }
}

/// `NaiveDate::from_ymd(1970, 1, 1).num_days_from_ce()`.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl Month {
    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 7 || b.get(4) != Some(&b'-') {
            return None;
        }
        let year = i32::try_from(digits(b.get(0..4)?)?).ok()?;
        let month = digits(b.get(5..7)?)?;
        Self::new(year, month)
    }

    /// The month from a year and a month number (1–12).
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (0..=9999).contains(&year)).then_some(Self { year, month })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1–12.
    pub fn number(self) -> u32 {
        self.month
    }

    /// The month before.
    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month after.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Months from `self` to `other` (negative when `other` is earlier).
    pub fn months_until(self, other: Month) -> i32 {
        (other.year - self.year) * 12 + other.month as i32 - self.month as i32
    }

    /// The first instant of the month.
    pub fn start(self) -> Timestamp {
        // `new` keeps year and month in range, so the first day exists.
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .map(|d| Day(d).start())
            .unwrap_or(Timestamp(0))
    }

    /// The first instant after the month (the start of the next one).
    pub fn end(self) -> Timestamp {
        self.next().start()
    }

    /// Short English name with the year, e.g. `Aug 2016`.
    pub fn label(self) -> String {
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let name = NAMES
            .get(self.month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("?");
        format!("{name} {}", self.year)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Timestamp {
    /// Parses RFC 3339 in UTC with a `Z` suffix, e.g. `2016-08-03T08:01:42Z`
    /// or `2016-08-03T08:01:42.250Z`.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() < 20 {
            return None;
        }
        let day = Day::parse(s.get(0..10)?)?;
        if !matches!(b.get(10), Some(b'T' | b't'))
            || b.get(13) != Some(&b':')
            || b.get(16) != Some(&b':')
        {
            return None;
        }
        let h = digits(b.get(11..13)?)?;
        let m = digits(b.get(14..16)?)?;
        let sec = digits(b.get(17..19)?)?;
        if h > 23 || m > 59 || sec > 59 {
            return None;
        }
        let rest = b.get(19..)?;
        let (frac, zone) = match rest.first() {
            Some(b'.') => {
                let n = rest
                    .iter()
                    .skip(1)
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if n == 0 {
                    return None;
                }
                (rest.get(1..=n)?, rest.get(n + 1..)?)
            }
            _ => (&b""[..], rest),
        };
        if !matches!(zone, b"Z" | b"z") {
            return None;
        }
        let ms = frac.iter().take(3).enumerate().fold(0i64, |acc, (i, d)| {
            acc + i64::from(d - b'0') * [100, 10, 1].get(i).copied().unwrap_or(0)
        });
        let secs = i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(sec);
        Some(Timestamp(day.start().0 + secs * 1000 + ms))
    }

    /// The UTC day this instant falls on.
    pub fn day(self) -> Option<Day> {
        let days = self.0.div_euclid(MS_PER_DAY) + UNIX_EPOCH_DAYS_FROM_CE;
        NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?).map(Day)
    }

    /// Milliseconds since the start of its UTC day.
    pub fn ms_of_day(self) -> i64 {
        self.0.rem_euclid(MS_PER_DAY)
    }

    /// The UTC minute of the day, 0 (00:00) to 1439 (23:59).
    pub fn minute_of_day(self) -> u32 {
        (self.ms_of_day() / 60_000) as u32
    }

    /// The UTC month this instant falls in.
    pub fn month(self) -> Option<Month> {
        self.day().map(Day::month)
    }

    /// `HH:MM:SS` of the UTC time of day.
    pub fn hms(self) -> String {
        let s = self.ms_of_day() / 1000;
        format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = self.day().map(|d| d.to_string()).unwrap_or_default();
        let ms = self.0.rem_euclid(1000);
        if ms == 0 {
            write!(f, "{day}T{}Z", self.hms())
        } else {
            write!(f, "{day}T{}.{ms:03}Z", self.hms())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_and_print() {
        let d = Day::parse("2016-08-03").unwrap();
        assert_eq!(d.to_string(), "2016-08-03");
        assert_eq!(d.month().to_string(), "2016-08");
        assert_eq!(d.start().0, 1_470_182_400_000);
        assert_eq!(d.weekday_short(), "Wed");
        for bad in [
            "2016-02-30",
            "2016-8-03",
            "2016-08-03Z",
            "",
            "abcd-ef-gh",
            "2016-13-01",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn months_step_over_years() {
        let m = Month::parse("2016-01").unwrap();
        assert_eq!(m.prev().to_string(), "2015-12");
        assert_eq!(m.prev().next(), m);
        assert_eq!(m.months_until(Month::parse("2017-03").unwrap()), 14);
        assert_eq!(m.label(), "Jan 2016");
        assert_eq!(Month::parse("2016-00"), None);
        assert_eq!(Month::parse("2016-1"), None);
        assert_eq!(m.end(), Month::parse("2016-02").unwrap().start());
    }

    #[test]
    fn timestamps_parse_strictly() {
        let t = Timestamp::parse("2016-08-03T08:01:42Z").unwrap();
        assert_eq!(t.0, 1_470_182_400_000 + (8 * 3600 + 60 + 42) * 1000);
        assert_eq!(t.minute_of_day(), 481);
        assert_eq!(t.hms(), "08:01:42");
        assert_eq!(t.to_string(), "2016-08-03T08:01:42Z");
        let f = Timestamp::parse("2016-08-03T08:01:42.25Z").unwrap();
        assert_eq!(f.0 - t.0, 250);
        for bad in [
            "2016-08-03T08:01:42",
            "2016-08-03T08:01:42+00:00",
            "2016-08-03 08:01:42Z",
            "2016-08-03T24:00:00Z",
            "2016-08-03T08:01:42.Z",
            "2016-08-32T08:01:42Z",
            "2016-08-03T08:01:4Z",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_before_1970_keep_their_day() {
        let t = Timestamp::parse("1969-12-31T23:59:00Z").unwrap();
        assert_eq!(t.day().unwrap().to_string(), "1969-12-31");
        assert_eq!(t.minute_of_day(), 1439);
    }
}
