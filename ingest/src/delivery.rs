//! Delivery documents (`delivery/{day}.json`) from aggregate rows, the
//! engine's (`sql/delivery.sql`) or a warehouse's (`--aggregates`).

use pulse::api::{write_delivery, Day, Media, SeriesOut, MINUTES_PER_DAY};
use std::collections::{BTreeMap, BTreeSet};

/// What an aggregate row counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// Sent posts with their delay in this bucket.
    Bucket(usize),
    /// Posts never sent.
    Failed,
    /// Pending posts: they make the day a delivery day, nothing more.
    Pending,
}

/// One (network, media) series being summed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesSums {
    pub counts: Vec<u32>,
    pub failed: Vec<u32>,
}

/// The histograms of every day, series and minute.
#[derive(Clone, Debug)]
pub struct Histograms {
    pub buckets: usize,
    pub days: BTreeSet<Day>,
    pub series: BTreeMap<(Day, String, Media), SeriesSums>,
    /// Kept posts (sent, failed and pending) per day.
    posts: BTreeMap<Day, u64>,
    /// The last key looked up, reused.
    key: Option<(Day, String, Media)>,
}

impl Histograms {
    /// Empty histograms with `buckets` buckets (edges + 1).
    pub fn new(buckets: usize) -> Self {
        Self {
            buckets,
            days: BTreeSet::new(),
            series: BTreeMap::new(),
            posts: BTreeMap::new(),
            key: None,
        }
    }

    /// Adds `n` posts; errors say what is out of range.
    pub fn add(
        &mut self,
        day: Day,
        network: &str,
        media: Media,
        minute: i64,
        what: Count,
        n: i64,
    ) -> Result<(), String> {
        let m = usize::try_from(minute)
            .ok()
            .filter(|&m| m < MINUTES_PER_DAY)
            .ok_or_else(|| format!("minute {minute} is not in 0–1439"))?;
        let n = u32::try_from(n).map_err(|_| format!("count {n} is not a count Pulse can hold"))?;
        if network.is_empty() {
            return Err("the network is empty".to_owned());
        }
        self.days.insert(day);
        *self.posts.entry(day).or_default() += u64::from(n);
        let buckets = self.buckets;
        let slot = match what {
            Count::Pending => return Ok(()),
            Count::Bucket(b) if b >= buckets => {
                return Err(format!("bucket {b} is not in 0–{}", buckets - 1))
            }
            Count::Bucket(_) | Count::Failed => {
                // The key is built in place: no allocation per row once
                // the series exists.
                let key = self.key.get_or_insert_with(|| (day, String::new(), media));
                key.0 = day;
                key.1.clear();
                key.1.push_str(network);
                key.2 = media;
                if !self.series.contains_key(key) {
                    self.series.insert(
                        key.clone(),
                        SeriesSums {
                            counts: vec![0; MINUTES_PER_DAY * buckets],
                            failed: vec![0; MINUTES_PER_DAY],
                        },
                    );
                }
                match self.series.get_mut(key) {
                    Some(slot) => slot,
                    None => return Ok(()),
                }
            }
        };
        let cell = match what {
            Count::Bucket(b) => slot.counts.get_mut(m * buckets + b),
            _ => slot.failed.get_mut(m),
        };
        if let Some(c) = cell {
            *c = c
                .checked_add(n)
                .ok_or_else(|| "a count is over 4,294,967,295".to_owned())?;
        }
        Ok(())
    }

    /// The kept posts of `day` (none for a day not seen).
    pub fn posts_on(&self, day: Day) -> u64 {
        self.posts.get(&day).copied().unwrap_or_default()
    }

    /// Every network seen, sorted.
    pub fn networks(&self) -> BTreeSet<String> {
        self.series.keys().map(|(_, n, _)| n.clone()).collect()
    }

    /// The delivery document of `day`, bytes as published.
    pub fn document(&self, day: Day, bounds_s: &[f64]) -> serde_json::Result<Vec<u8>> {
        let series = self
            .series
            .range((day, String::new(), Media::Text)..)
            .take_while(|((d, _, _), _)| *d == day)
            .map(|((_, network, media), s)| SeriesOut {
                network,
                media: media.as_str(),
                counts: &s.counts,
                failed: &s.failed,
            })
            .collect();
        write_delivery(&day.to_string(), bounds_s, series)
    }
}

/// The SQL `CASE` giving the bucket of `delay_us` for these edges.
pub fn bucket_case(bounds_s: &[f64]) -> String {
    let mut s = String::from("CASE");
    for (i, b) in bounds_s.iter().enumerate() {
        let us = (b * 1e6).round() as i64;
        s.push_str(&format!(" WHEN delay_us < {us} THEN {i}"));
    }
    s.push_str(&format!(" ELSE {} END", bounds_s.len()));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Day {
        Day::parse("2016-08-03").unwrap()
    }

    #[test]
    fn sums_buckets_and_failures_per_minute() {
        let mut h = Histograms::new(3);
        h.add(day(), "twitter", Media::Video, 480, Count::Bucket(2), 5)
            .unwrap();
        h.add(day(), "twitter", Media::Video, 480, Count::Bucket(2), 1)
            .unwrap();
        h.add(day(), "twitter", Media::Video, 1439, Count::Failed, 4)
            .unwrap();
        h.add(day(), "facebook", Media::Text, 0, Count::Pending, 9)
            .unwrap();
        let s = &h.series[&(day(), "twitter".to_owned(), Media::Video)];
        assert_eq!(s.counts[480 * 3 + 2], 6);
        assert_eq!(s.counts.iter().sum::<u32>(), 6);
        assert_eq!(s.failed[1439], 4);
        assert_eq!(h.series.len(), 1, "pending posts make no series");
        assert_eq!(h.days.len(), 1);
        // Sent, failed and pending alike: the posts its pages list.
        let next = day().succ().unwrap();
        assert_eq!((h.posts_on(day()), h.posts_on(next)), (19, 0));
        assert!(h
            .add(day(), "x", Media::Text, 1440, Count::Failed, 1)
            .is_err());
        assert!(h
            .add(day(), "x", Media::Text, 0, Count::Bucket(3), 1)
            .is_err());
        assert!(h
            .add(day(), "x", Media::Text, 0, Count::Failed, -1)
            .is_err());
        let doc = h.document(day(), &[60.0, 90.5]).unwrap();
        let parsed =
            pulse::api::DeliveryDay::parse(std::str::from_utf8(&doc).unwrap(), day()).unwrap();
        assert_eq!(parsed.bounds_s, vec![60.0, 90.5]);
        assert_eq!(parsed.series[0].counts[480 * 3 + 2], 6);
        assert!(std::str::from_utf8(&doc)
            .unwrap()
            .contains("\"bounds_s\":[60,90.5]"));
    }

    #[test]
    fn bucket_edges_are_lower_inclusive() {
        assert_eq!(
            bucket_case(&[10.0, 60.0]),
            "CASE WHEN delay_us < 10000000 THEN 0 WHEN delay_us < 60000000 THEN 1 ELSE 2 END"
        );
    }
}
