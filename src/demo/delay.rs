//! How late each post goes out, and whether it fails: the delivery story.
//!
//! A post's delay is the sum of
//! - **pick-up**: the scheduler noticing it is due (seconds, with a tail);
//! - **upload**: sending its media to the network, by size (large videos
//!   take minutes);
//! - **retry**: now and then the network answers with an error and the post
//!   is retried a few minutes later (more often for media);
//! - **backlog** (only before the fix): the 8:00 spike floods the workers,
//!   so part of the 8:00 posts and most of those due at 8:01 and 8:02 wait
//!   behind it.
//!
//! How bad a day is is one number, its *badness*: 1 before the fix in
//! mid-August, 0 after it.

use super::mix::{IMAGE, VIDEO};
use super::rng::Rng;
use super::volume::PEAK_HOUR;

/// What happened to a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Sent this many whole seconds after it was due.
    Sent(u32),
    /// Never sent; the index is into [`super::content::ERRORS`].
    Failed(u8),
    /// Still waiting (a paused queue).
    Pending,
}

/// The day of August 2016 the fix went out.
pub const FIX_DAY: u32 = 16;

/// How bad delivery was on a day of August 2016 (1 = before the fix, 0 =
/// after), with a little day-to-day variation drawn from `rng`.
pub fn badness(day_of_month: u32, rng: &mut Rng) -> f64 {
    match day_of_month {
        d if d < FIX_DAY => rng.range_f64(0.9, 1.05),
        d if d == FIX_DAY => 0.45,
        d if d == FIX_DAY + 1 => 0.12,
        _ => 0.0,
    }
}

/// Uniform whole seconds in `lo..hi`.
fn secs(rng: &mut Rng, lo: u64, hi: u64) -> u32 {
    rng.range(lo, hi) as u32
}

fn pick_up(rng: &mut Rng, bad: bool) -> u32 {
    let r = rng.unit();
    if bad {
        match r {
            r if r < 0.78 => secs(rng, 0, 15),
            r if r < 0.92 => secs(rng, 15, 40),
            r if r < 0.97 => secs(rng, 40, 75),
            _ => secs(rng, 75, 200),
        }
    } else {
        match r {
            r if r < 0.90 => secs(rng, 0, 12),
            r if r < 0.975 => secs(rng, 12, 35),
            r if r < 0.996 => secs(rng, 35, 58),
            _ => secs(rng, 58, 120),
        }
    }
}

fn upload(media: usize, bytes: Option<u64>, badness: f64) -> u32 {
    let bytes = bytes.unwrap_or(0) as f64;
    let per_second = match media {
        IMAGE => 2_000_000.0,
        VIDEO => 1_500_000.0 * (1.0 - 0.35 * badness),
        _ => return 0,
    };
    (bytes / per_second) as u32
}

fn retry(rng: &mut Rng, media: usize, badness: f64) -> u32 {
    let p = match media {
        IMAGE => 0.022,
        VIDEO => 0.045,
        0 => 0.003,
        _ => 0.004,
    } * (1.0 + badness);
    if rng.chance(p) {
        secs(rng, 40, 420)
    } else {
        0
    }
}

/// Extra wait behind the 8:00 spike, before the fix.
fn backlog(rng: &mut Rng, minute: u32, badness: f64) -> u32 {
    if badness <= 0.0 {
        return 0;
    }
    let (hour, mm) = (minute / 60, minute % 60);
    let (p, lo, hi) = match (hour == PEAK_HOUR, mm) {
        (true, 0) => (0.09, 55, 260),
        (true, 1) => (0.70, 45, 140),
        (true, 2) => (0.55, 35, 110),
        (true, 3) => (0.25, 20, 60),
        (false, 0) => (0.05, 20, 100),
        _ => return 0,
    };
    if rng.chance(p * badness) {
        secs(rng, lo, hi)
    } else {
        0
    }
}

/// Failure chance of a post.
fn failure_chance(minute: u32, media: usize, bytes: Option<u64>, badness: f64) -> f64 {
    let mut p = 0.0015 + 0.002 * badness;
    if minute == PEAK_HOUR * 60 {
        p += 0.004 * badness;
    }
    if media == VIDEO && bytes.unwrap_or(0) > 150_000_000 {
        p += 0.08;
    }
    p
}

/// Picks the error of a failed post (an index into the error messages).
fn failure_reason(rng: &mut Rng, minute: u32, media: usize, bytes: Option<u64>) -> u8 {
    if media == VIDEO && bytes.unwrap_or(0) > 150_000_000 && rng.chance(0.8) {
        return 1; // Media too large
    }
    let rate_limited = if minute.is_multiple_of(60) { 4.0 } else { 2.0 };
    let image = if media == IMAGE { 1.0 } else { 0.0 };
    rng.weighted(&[rate_limited, 0.3, 2.0, 1.0, 0.8, 0.6, image]) as u8
}

/// Pending posts are rare: a paused queue.
const PENDING_CHANCE: f64 = 0.0004;

/// Draws the fate of one post due in `minute` (0–1439).
pub fn draw_fate(
    rng: &mut Rng,
    minute: u32,
    media: usize,
    bytes: Option<u64>,
    badness: f64,
) -> Fate {
    if rng.chance(PENDING_CHANCE) {
        return Fate::Pending;
    }
    if rng.chance(failure_chance(minute, media, bytes, badness)) {
        return Fate::Failed(failure_reason(rng, minute, media, bytes));
    }
    let bad = rng.chance(badness);
    let delay = pick_up(rng, bad)
        + upload(media, bytes, badness)
        + retry(rng, media, badness)
        + backlog(rng, minute, badness);
    Fate::Sent(delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share_late(badness: f64, minute: u32, media: usize, limit: u32) -> f64 {
        let mut rng = Rng::new(17);
        let mut late = 0;
        let mut sent = 0;
        for _ in 0..50_000 {
            if let Fate::Sent(d) = draw_fate(&mut rng, minute, media, None, badness) {
                sent += 1;
                if d >= limit {
                    late += 1;
                }
            }
        }
        f64::from(late) / f64::from(sent)
    }

    #[test]
    fn the_fix_shortens_the_eight_oclock_tail() {
        let before = share_late(1.0, 480, 0, 90);
        let after = share_late(0.0, 480, 0, 90);
        assert!((0.10..0.16).contains(&before), "{before}");
        assert!(after < 0.01, "{after}");
        // The minutes after the spike wait behind it before the fix.
        assert!(share_late(1.0, 481, 0, 60) > 0.4);
        assert!(share_late(0.0, 481, 0, 60) < 0.02);
    }

    #[test]
    fn large_videos_are_slow() {
        assert_eq!(upload(VIDEO, Some(150_000_000), 0.0), 100);
        assert_eq!(upload(VIDEO, Some(3_000_000), 0.0), 2);
        assert_eq!(upload(0, None, 1.0), 0);
        assert!(upload(VIDEO, Some(150_000_000), 1.0) > 100);
    }

    #[test]
    fn badness_follows_the_calendar() {
        let mut rng = Rng::new(1);
        assert!(badness(3, &mut rng) >= 0.9);
        assert_eq!(badness(FIX_DAY, &mut rng), 0.45);
        assert_eq!(badness(29, &mut rng), 0.0);
    }

    #[test]
    fn some_posts_fail_rarely() {
        let mut rng = Rng::new(23);
        let n = 100_000;
        let failed = (0..n)
            .filter(|_| matches!(draw_fate(&mut rng, 600, 0, None, 0.0), Fate::Failed(_)))
            .count();
        assert!((50..500).contains(&failed), "{failed}");
        let mut rng = Rng::new(24);
        let big = (0..10_000)
            .filter(|_| {
                matches!(
                    draw_fate(&mut rng, 600, VIDEO, Some(190_000_000), 0.0),
                    Fate::Failed(1)
                )
            })
            .count();
        assert!(big > 400, "{big}");
    }
}
