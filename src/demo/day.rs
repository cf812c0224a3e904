//! One day of scheduled posts, simulated post by post: when each was due,
//! its network and media, its media size and its fate.
//!
//! Every delivery day is simulated this way. The histograms of
//! `delivery/{day}.json` are counted from the simulated posts, and on the
//! post days the same posts become `posts/{day}/{HH}.json`, so the two
//! documents agree by construction.

use super::delay::{self, Fate};
use super::mix;
use super::rng::Rng;
use super::volume;
use crate::api::Day;

/// A simulated post, before it gets a profile and a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shot {
    /// Second of the UTC day it was due (0–86 399).
    pub due_s: u32,
    /// (network, media) series, see [`mix::series_index`].
    pub series: u8,
    /// Media size in bytes (images and videos).
    pub bytes: Option<u64>,
    /// What became of the post.
    pub fate: Fate,
}

impl Shot {
    /// The due minute of the day (0–1439).
    pub fn minute(&self) -> u32 {
        self.due_s / 60
    }
}

/// The weekday of a day, 0 = Monday … 6 = Sunday.
pub fn weekday(day: Day) -> usize {
    let days = day.start().0.div_euclid(86_400_000);
    // 1970-01-01 was a Thursday.
    (days + 3).rem_euclid(7) as usize
}

/// Simulates the posts due on `day` (a day of August 2016), in due order.
/// `scale` multiplies the volume.
pub fn simulate(day: Day, scale: u32, rng: &Rng) -> Vec<Shot> {
    let mut rng = rng.fork_n(u64::from(day.day_of_month()));
    let badness = delay::badness(day.day_of_month(), &mut rng);
    let factor = volume::weekday_factor(weekday(day)) * f64::from(scale);
    let mut shots = Vec::new();
    for minute in 0..1440u32 {
        let (sharp, spread) = volume::expected(minute);
        let n = rng.count((sharp + spread) * factor);
        for second in volume::due_seconds(&mut rng, n, sharp, spread) {
            let series = mix::draw_series(&mut rng);
            let (_, media) = mix::series_parts(series);
            let bytes = mix::draw_media_bytes(&mut rng, media);
            let fate = delay::draw_fate(&mut rng, minute, media, bytes, badness);
            shots.push(Shot {
                due_s: minute * 60 + second,
                series: series as u8,
                bytes,
                fate,
            });
        }
    }
    // Within a minute the seconds were drawn in any order.
    shots.sort_by_key(|s| s.due_s);
    shots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays() {
        assert_eq!(weekday(Day::parse("2016-08-01").unwrap()), 0);
        assert_eq!(weekday(Day::parse("2016-08-03").unwrap()), 2);
        assert_eq!(weekday(Day::parse("2016-08-28").unwrap()), 6);
        assert_eq!(weekday(Day::parse("1970-01-01").unwrap()), 3);
    }

    #[test]
    fn a_day_is_deterministic_and_sorted() {
        let rng = Rng::new(5);
        let day = Day::parse("2016-08-10").unwrap();
        let a = simulate(day, 1, &rng);
        assert_eq!(a, simulate(day, 1, &rng));
        assert!(a.windows(2).all(|w| w[0].due_s <= w[1].due_s));
        assert!(a
            .iter()
            .all(|s| s.due_s < 86_400 && usize::from(s.series) < mix::SERIES));
        let eight = a.iter().filter(|s| s.minute() == 480).count();
        assert!(eight > 8_000, "{eight}");
        let sunday = simulate(Day::parse("2016-08-14").unwrap(), 1, &rng);
        assert!(sunday.len() < a.len() * 2 / 3);
    }

    #[test]
    fn scale_multiplies_the_volume() {
        let rng = Rng::new(5);
        let day = Day::parse("2016-08-22").unwrap();
        let one = simulate(day, 1, &rng).len() as f64;
        let three = simulate(day, 3, &rng).len() as f64;
        assert!((2.8..3.2).contains(&(three / one)), "{}", three / one);
    }
}
