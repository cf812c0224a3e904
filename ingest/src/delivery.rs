//! Delivery documents (`delivery/{day}.json`) from aggregate rows, the
//! engine's (`sql/delivery.sql`) or a warehouse's (`--aggregates`).

use crate::publish::{checked, Staging};
use pulse::api::{
    delivery_doc, write_delivery, Day, DeliveryDay, Media, SeriesOut, MINUTES_PER_DAY,
};
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

/// The histograms of the days being summed, series and minute, and what
/// is kept of every day seen. A day's series are held until its document
/// is taken ([`Histograms::take_document`]): when rows come in day order
/// each day is taken as soon as the next begins, so that memory holds one
/// day's series however long the history.
#[derive(Clone, Debug)]
pub struct Histograms {
    pub buckets: usize,
    /// Every day seen, taken or not.
    pub days: BTreeSet<Day>,
    /// The series of the days not taken yet.
    pub series: BTreeMap<(Day, String, Media), SeriesSums>,
    /// Every network seen.
    networks: BTreeSet<String>,
    /// Kept posts (sent, failed and pending) per day.
    posts: BTreeMap<Day, u64>,
    /// The last day taken: rows for it or before are refused.
    taken: Option<Day>,
    /// The days whose series are held.
    held: BTreeSet<Day>,
    /// The most days whose series were held at once.
    most_held: usize,
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
            networks: BTreeSet::new(),
            posts: BTreeMap::new(),
            taken: None,
            held: BTreeSet::new(),
            most_held: 0,
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
        if self.taken.is_some_and(|t| day <= t) {
            return Err(format!(
                "a row of {day} came after its document was written (rows out of day order)"
            ));
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
                    if !self.networks.contains(network) {
                        self.networks.insert(network.to_owned());
                    }
                    self.held.insert(day);
                    self.most_held = self.most_held.max(self.held.len());
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
    pub fn networks(&self) -> &BTreeSet<String> {
        &self.networks
    }

    /// The days seen and not taken yet that come before `day` (all of
    /// them without one): complete, when rows come in day order.
    pub fn untaken_before(&self, day: Option<Day>) -> Vec<Day> {
        self.days
            .iter()
            .copied()
            .filter(|&d| self.taken.is_none_or(|t| d > t) && day.is_none_or(|end| d < end))
            .collect()
    }

    /// The delivery document of `day`, bytes as published; its series are
    /// dropped, and rows for it or an earlier day are refused from now on.
    pub fn take_document(&mut self, day: Day, bounds_s: &[f64]) -> serde_json::Result<Vec<u8>> {
        let start = (day, String::new(), Media::Text);
        let keys: Vec<(Day, String, Media)> = self
            .series
            .range(start..)
            .take_while(|((d, _, _), _)| *d == day)
            .map(|(k, _)| k.clone())
            .collect();
        let taken: Vec<((Day, String, Media), SeriesSums)> = keys
            .into_iter()
            .filter_map(|k| self.series.remove_entry(&k))
            .collect();
        self.held.remove(&day);
        self.taken = Some(self.taken.map_or(day, |t| t.max(day)));
        let series = taken
            .iter()
            .map(|((_, network, media), s)| SeriesOut {
                network,
                media: media.as_str(),
                counts: &s.counts,
                failed: &s.failed,
            })
            .collect();
        write_delivery(&day.to_string(), bounds_s, series)
    }

    /// The most days whose series were held at once.
    pub fn most_days_held(&self) -> usize {
        self.most_held
    }
}

/// Stages each day's document, checked by Pulse's parser, as soon as
/// the rows of a later day begin: rows in day order keep one day's
/// series in memory.
pub struct DayWriter<'a> {
    bounds_s: &'a [f64],
    staging: &'a Staging,
    current: Option<Day>,
}

impl<'a> DayWriter<'a> {
    /// Writes documents with these bucket edges into `staging`.
    pub fn new(bounds_s: &'a [f64], staging: &'a Staging) -> Self {
        Self {
            bounds_s,
            staging,
            current: None,
        }
    }

    /// A row of `day` comes next: the days before it are complete.
    pub fn at(&mut self, hist: &mut Histograms, day: Day) -> Result<(), String> {
        if self.current != Some(day) {
            self.current = Some(day);
            self.write(hist, Some(day))?;
        }
        Ok(())
    }

    /// Writes every day not written yet.
    pub fn finish(&mut self, hist: &mut Histograms) -> Result<(), String> {
        self.write(hist, None)
    }

    fn write(&self, hist: &mut Histograms, before: Option<Day>) -> Result<(), String> {
        for day in hist.untaken_before(before) {
            let body = hist
                .take_document(day, self.bounds_s)
                .map_err(|e| e.to_string())?;
            checked(DeliveryDay::parse(
                std::str::from_utf8(&body).map_err(|e| e.to_string())?,
                day,
            ))?;
            self.staging.put(&delivery_doc(day), &body)?;
        }
        Ok(())
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
        let doc = h.take_document(day(), &[60.0, 90.5]).unwrap();
        let parsed =
            pulse::api::DeliveryDay::parse(std::str::from_utf8(&doc).unwrap(), day()).unwrap();
        assert_eq!(parsed.bounds_s, vec![60.0, 90.5]);
        assert_eq!(parsed.series[0].counts[480 * 3 + 2], 6);
        assert!(std::str::from_utf8(&doc)
            .unwrap()
            .contains("\"bounds_s\":[60,90.5]"));
    }

    #[test]
    fn a_day_taken_is_written_once_and_its_series_dropped() {
        let (first, second) = (day(), day().succ().unwrap());
        let third = second.succ().unwrap();
        let mut h = Histograms::new(2);
        h.add(first, "twitter", Media::Text, 3, Count::Bucket(1), 2)
            .unwrap();
        h.add(first, "facebook", Media::Link, 4, Count::Failed, 1)
            .unwrap();
        h.add(second, "google", Media::Image, 5, Count::Bucket(0), 6)
            .unwrap();
        h.add(third, "google", Media::Image, 0, Count::Pending, 1)
            .unwrap();
        assert_eq!(h.untaken_before(Some(second)), [first]);
        assert_eq!(h.untaken_before(None), [first, second, third]);
        let doc = h.take_document(first, &[60.0]).unwrap();
        let parsed =
            pulse::api::DeliveryDay::parse(std::str::from_utf8(&doc).unwrap(), first).unwrap();
        let networks: Vec<&str> = parsed.series.iter().map(|s| s.network.as_str()).collect();
        assert_eq!(networks, ["facebook", "twitter"]);
        // Only the second day's series are held now; every network and
        // day stays known.
        assert_eq!(h.series.len(), 1);
        assert_eq!(h.untaken_before(None), [second, third]);
        assert_eq!(
            h.networks().iter().map(String::as_str).collect::<Vec<_>>(),
            ["facebook", "google", "twitter"]
        );
        assert_eq!(h.days.len(), 3);
        assert_eq!(h.posts_on(first), 3);
        // A row of a day already written is refused, not lost.
        let err = h
            .add(first, "twitter", Media::Text, 3, Count::Bucket(1), 1)
            .unwrap_err();
        assert!(err.contains("out of day order"), "{err}");
        assert_eq!(h.most_days_held(), 2);
        // A day of pending posts only has a document with no series.
        h.take_document(second, &[60.0]).unwrap();
        let doc = h.take_document(third, &[60.0]).unwrap();
        let parsed =
            pulse::api::DeliveryDay::parse(std::str::from_utf8(&doc).unwrap(), third).unwrap();
        assert!(parsed.series.is_empty());
        assert!(h.series.is_empty() && h.untaken_before(None).is_empty());
    }

    #[test]
    fn bucket_edges_are_lower_inclusive() {
        assert_eq!(
            bucket_case(&[10.0, 60.0]),
            "CASE WHEN delay_us < 10000000 THEN 0 WHEN delay_us < 60000000 THEN 1 ELSE 2 END"
        );
    }
}
