//! How many posts are due each minute of a day: a daily shape, spikes on
//! the hour (8:00 above all, as users schedule "on the hour"), smaller ones
//! at :30 and :15/:45, a short tail after each spike, and lighter weekends.

use super::rng::Rng;

/// Posts due per minute outside the spikes, per UTC hour (a weekday at scale 1).
const BACKGROUND: [f64; 24] = [
    0.8, 0.7, 0.6, 0.6, 0.7, 0.9, 1.5, 2.5, 3.5, 3.5, 3.2, 3.0, 3.2, 3.0, 2.8, 2.8, 2.8, 3.0, 2.6,
    2.2, 2.0, 1.8, 1.4, 1.0,
];

/// Extra posts due at second 0 of each hour's first minute.
const ON_THE_HOUR: [f64; 24] = [
    10.0, 6.0, 5.0, 5.0, 6.0, 12.0, 30.0, 60.0, 9000.0, 140.0, 70.0, 60.0, 120.0, 60.0, 50.0, 50.0,
    60.0, 110.0, 60.0, 45.0, 40.0, 30.0, 20.0, 12.0,
];

/// Share of the hour's spike that lands 1, 2 and 3 minutes after it.
const AFTER_SPIKE: [f64; 3] = [0.05, 0.04, 0.02];

/// The hour of the big spike.
pub const PEAK_HOUR: u32 = 8;

/// Volume relative to a Monday, Monday first.
const WEEKDAY: [f64; 7] = [1.0, 1.02, 1.03, 1.0, 0.93, 0.55, 0.5];

/// The relative volume of a weekday (0 = Monday … 6 = Sunday).
pub fn weekday_factor(weekday: usize) -> f64 {
    WEEKDAY.get(weekday).copied().unwrap_or(1.0)
}

/// Expected posts due in minute `minute` (0–1439) on a Monday at scale 1,
/// split into those due at second 0 sharp and those spread over the minute.
pub fn expected(minute: u32) -> (f64, f64) {
    let hour = (minute / 60) as usize;
    let mm = minute % 60;
    let spike = ON_THE_HOUR.get(hour).copied().unwrap_or_default();
    let spread = BACKGROUND.get(hour).copied().unwrap_or_default();
    let sharp = match mm {
        0 => spike,
        1..=3 => {
            spike
                * AFTER_SPIKE
                    .get((mm - 1) as usize)
                    .copied()
                    .unwrap_or_default()
        }
        30 if hour == PEAK_HOUR as usize => 150.0,
        30 => (spike / 6.0).max(3.0),
        15 | 45 if hour == PEAK_HOUR as usize => 30.0,
        15 | 45 => 2.0,
        _ => 0.0,
    };
    // Users mostly pick whole minutes; a quarter of the rest are "share
    // now" posts at any second.
    (sharp + spread * 0.75, spread * 0.25)
}

/// Due seconds (0–59) of `n` posts in a minute, given the expected split.
pub fn due_seconds(rng: &mut Rng, n: u64, sharp: f64, spread: f64) -> Vec<u32> {
    let p_sharp = if sharp + spread > 0.0 {
        sharp / (sharp + spread)
    } else {
        1.0
    };
    (0..n)
        .map(|_| {
            if rng.chance(p_sharp) {
                0
            } else {
                rng.below(60) as u32
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_oclock_dominates_its_hour() {
        let hour: f64 = (480..540)
            .map(|m| {
                let (a, b) = expected(m);
                a + b
            })
            .sum();
        let (at_eight, _) = expected(480);
        assert!(hour > 10_000.0, "{hour}");
        assert!(at_eight / hour > 0.8);
    }

    #[test]
    fn other_hours_hold_a_few_hundred() {
        for h in (0..24).filter(|&h| h != PEAK_HOUR) {
            let n: f64 = (h * 60..h * 60 + 60)
                .map(|m| {
                    let (a, b) = expected(m);
                    a + b
                })
                .sum();
            assert!((40.0..700.0).contains(&n), "hour {h}: {n}");
        }
    }

    #[test]
    fn weekends_are_lighter() {
        assert!(weekday_factor(5) < 0.7 && weekday_factor(6) < 0.7);
        assert_eq!(weekday_factor(0), 1.0);
        assert_eq!(weekday_factor(9), 1.0);
    }

    #[test]
    fn due_seconds_are_in_the_minute() {
        let mut rng = Rng::new(2);
        let s = due_seconds(&mut rng, 1000, 1.0, 1.0);
        assert_eq!(s.len(), 1000);
        assert!(s.iter().all(|&x| x < 60));
        let zeros = s.iter().filter(|&&x| x == 0).count();
        assert!((450..560).contains(&zeros), "{zeros}");
        assert!(due_seconds(&mut rng, 5, 1.0, 0.0).iter().all(|&x| x == 0));
    }
}
