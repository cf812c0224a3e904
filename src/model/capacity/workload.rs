//! What the workers had to send: posts per due minute and media, and the
//! scenarios that change it.

use crate::api::{DeliveryDay, Media, MediaCost};
use crate::model::delivery::{SeriesFilter, Window};
use crate::model::rng::Rng;

use super::sim::Job;

/// The sent posts of a selection, counted per due minute and media.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workload {
    /// `(minute, posts per media in `Media::ALL` order)`, ascending by
    /// minute, each minute once.
    minutes: Vec<(u32, [u64; 4])>,
}

/// What-if changes to a day's traffic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scenario {
    /// Every minute's volume × (1 + growth_pct / 100); at least −100.
    pub growth_pct: f64,
    /// Posts due on the hour spread evenly over that minute and the
    /// `spread_minutes − 1` after it; 1 = not spread.
    pub spread_minutes: u32,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            growth_pct: 0.0,
            spread_minutes: 1,
        }
    }
}

impl Scenario {
    /// Whether the scenario leaves the day as it was.
    pub fn is_none(&self) -> bool {
        self.growth_pct == 0.0 && self.spread_minutes <= 1
    }

    /// The same growth without the spread.
    pub fn without_spread(self) -> Self {
        Self {
            spread_minutes: 1,
            ..self
        }
    }
}

fn slot(media: Media) -> usize {
    match media {
        Media::Text => 0,
        Media::Image => 1,
        Media::Video => 2,
        Media::Link => 3,
    }
}

impl Workload {
    /// The posts sent in window `w` of the series of `day` that `filter`
    /// selects (every bucket of the histogram; failures are left out).
    pub fn from_day(day: &DeliveryDay, filter: &SeriesFilter, w: Window) -> Self {
        let buckets = day.buckets();
        let mut per_minute = vec![[0u64; 4]; w.len()];
        let start = w.minutes().start;
        for s in day
            .series
            .iter()
            .filter(|s| filter.matches(&s.network, s.media))
        {
            let rows = s.counts.chunks_exact(buckets).skip(start);
            for (acc, row) in per_minute.iter_mut().zip(rows) {
                if let Some(n) = acc.get_mut(slot(s.media)) {
                    *n += row.iter().map(|&c| u64::from(c)).sum::<u64>();
                }
            }
        }
        let minutes = (start as u32..)
            .zip(per_minute)
            .filter(|(_, n)| n.iter().any(|&c| c > 0))
            .collect();
        Self { minutes }
    }

    /// Adds `n` posts of `media` due in `minute`.
    pub fn add(&mut self, minute: u32, media: Media, n: u64) {
        let at = self.minutes.partition_point(|(m, _)| *m < minute);
        match self.minutes.get_mut(at) {
            Some((m, counts)) if *m == minute => {
                if let Some(c) = counts.get_mut(slot(media)) {
                    *c += n;
                }
            }
            _ => {
                let mut counts = [0; 4];
                if let Some(c) = counts.get_mut(slot(media)) {
                    *c = n;
                }
                self.minutes.insert(at, (minute, counts));
            }
        }
    }

    /// The same day with every count multiplied by `factor` (rounded to
    /// the nearest post): a day of another size with the same shape, for
    /// benchmarks.
    pub fn scaled(&self, factor: f64) -> Self {
        let factor = if factor.is_finite() {
            factor.max(0.0)
        } else {
            1.0
        };
        let minutes = self
            .minutes
            .iter()
            .map(|&(m, counts)| (m, counts.map(|n| (n as f64 * factor).round() as u64)))
            .filter(|(_, n)| n.iter().any(|&c| c > 0))
            .collect();
        Self { minutes }
    }

    /// The work of the busiest minute: its posts' media costs summed (the
    /// unit of the fitted scale).
    pub fn peak_work(&self, cost: &MediaCost) -> f64 {
        let unit = Media::ALL.map(|m| cost.of(m));
        self.minutes
            .iter()
            .map(|(_, n)| n.iter().zip(unit).map(|(&c, u)| c as f64 * u).sum::<f64>())
            .fold(0.0, f64::max)
    }

    /// Number of posts.
    pub fn posts(&self) -> u64 {
        self.minutes.iter().flat_map(|(_, n)| n.iter()).sum()
    }

    /// One replication of the day under `scenario`: its posts as jobs in
    /// the order the workers take them (by due minute, randomly inside a
    /// minute), each with its media's cost times an exponential draw.
    pub fn jobs(&self, cost: &MediaCost, scenario: Scenario, rng: &mut Rng) -> Vec<Job> {
        let grow = 1.0 + scenario.growth_pct.max(-100.0) / 100.0;
        let spread = u64::from(scenario.spread_minutes.max(1));
        // (minute, random key, media slot)
        let mut posts: Vec<(u64, u64, usize)> = Vec::with_capacity(self.posts() as usize);
        for &(minute, counts) in &self.minutes {
            let minute = u64::from(minute);
            let first = posts.len();
            for (media, &n) in counts.iter().enumerate() {
                // Fractional volume: the whole part, and one more with the
                // fraction's probability.
                let want = n as f64 * grow;
                let whole = want.floor();
                let n = whole as u64 + u64::from(rng.chance(want - whole));
                posts.extend((0..n).map(|_| (minute, 0, media)));
            }
            let these = posts.get_mut(first..).unwrap_or_default();
            for p in these.iter_mut() {
                p.1 = rng.next_u64();
            }
            if spread > 1 && minute % 60 == 0 {
                // Deal the minute's posts, in random order, evenly over
                // `spread` minutes.
                these.sort_unstable_by_key(|p| p.1);
                let n = these.len() as u64;
                for (j, p) in (0u64..).zip(these.iter_mut()) {
                    p.0 = minute + j * spread / n;
                    p.1 = rng.next_u64();
                }
            }
        }
        posts.sort_unstable_by_key(|&(minute, key, _)| (minute, key));
        let costs = Media::ALL.map(|m| cost.of(m));
        posts
            .into_iter()
            .map(|(minute, _, media)| Job {
                ready_s: minute as f64 * 60.0,
                work: costs.get(media).copied().unwrap_or(1.0) * exp1(rng),
            })
            .collect()
    }
}

/// An exponential draw with mean 1 (by inversion).
pub(super) fn exp1(rng: &mut Rng) -> f64 {
    -(1.0 - rng.unit()).ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Day;
    use crate::model::delivery::test_series as series;

    #[test]
    fn counts_the_sent_posts_of_the_selection() {
        // Bounds [60, 90]: three buckets.
        let day = DeliveryDay {
            date: Day::parse("2016-08-03").unwrap(),
            bounds_s: vec![60.0, 90.0],
            series: vec![
                series(
                    "twitter",
                    Media::Video,
                    3,
                    &[(480, 0, 5), (480, 2, 2), (481, 1, 1)],
                    &[(480, 9)],
                ),
                series("facebook", Media::Text, 3, &[(480, 0, 4), (600, 0, 7)], &[]),
            ],
        };
        let w = Workload::from_day(&day, &SeriesFilter::all(), Window::DAY);
        assert_eq!(
            w.minutes,
            [
                (480, [4, 0, 7, 0]),
                (481, [0, 0, 1, 0]),
                (600, [7, 0, 0, 0])
            ]
        );
        let w = Workload::from_day(&day, &SeriesFilter::all(), Window::new(481, 700));
        assert_eq!(w.posts(), 8);
        let only = SeriesFilter::new(["twitter"], []);
        assert_eq!(Workload::from_day(&day, &only, Window::DAY).posts(), 8);
        let all = Workload::from_day(&day, &SeriesFilter::all(), Window::DAY);
        assert_eq!(
            all.scaled(2.5).minutes,
            [
                (480, [10, 0, 18, 0]),
                (481, [0, 0, 3, 0]),
                (600, [18, 0, 0, 0])
            ]
        );
        assert_eq!(all.scaled(0.0), Workload::default());
    }

    fn hour_minute_day() -> Workload {
        let mut w = Workload::default();
        w.add(480, Media::Text, 100);
        w.add(480, Media::Video, 20);
        w.add(481, Media::Text, 10);
        w
    }

    #[test]
    fn jobs_come_by_minute_with_the_media_cost() {
        let w = hour_minute_day();
        let jobs = w.jobs(&MediaCost::default(), Scenario::default(), &mut Rng::new(1));
        assert_eq!(jobs.len(), 130);
        assert!(jobs.windows(2).all(|p| p[0].ready_s <= p[1].ready_s));
        assert_eq!(
            jobs.iter().filter(|j| j.ready_s == 480.0 * 60.0).count(),
            120
        );
        // Mean work: (100 × 1 + 20 × 8 + 10 × 1) / 130 ≈ 2.08, give or take.
        let mean = jobs.iter().map(|j| j.work).sum::<f64>() / 130.0;
        assert!((1.3..3.0).contains(&mean), "{mean}");
        // The same generator gives the same jobs.
        assert_eq!(
            jobs,
            w.jobs(&MediaCost::default(), Scenario::default(), &mut Rng::new(1))
        );
    }

    #[test]
    fn growth_and_spread_change_the_day() {
        let w = hour_minute_day();
        let grown = Scenario {
            growth_pct: 50.0,
            spread_minutes: 1,
        };
        let jobs = w.jobs(&MediaCost::default(), grown, &mut Rng::new(2));
        assert_eq!(jobs.len(), 195);
        let spread = Scenario {
            growth_pct: 0.0,
            spread_minutes: 4,
        };
        let jobs = w.jobs(&MediaCost::default(), spread, &mut Rng::new(2));
        let at = |m: f64| jobs.iter().filter(|j| j.ready_s == m * 60.0).count();
        // 120 posts of 8:00 over 8:00–8:03, 30 each; 8:01's own 10 stay.
        assert_eq!(
            [at(480.0), at(481.0), at(482.0), at(483.0)],
            [30, 40, 30, 30]
        );
        assert!(jobs.windows(2).all(|p| p[0].ready_s <= p[1].ready_s));
        let gone = Scenario {
            growth_pct: -100.0,
            spread_minutes: 1,
        };
        assert!(w
            .jobs(&MediaCost::default(), gone, &mut Rng::new(2))
            .is_empty());
    }
}
