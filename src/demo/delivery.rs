//! `delivery/{day}.json`: the due-minute × delay histograms of a day,
//! counted from its simulated posts.

use super::day::Shot;
use super::delay::Fate;
use super::mix::{self, MEDIA, NETWORKS, SERIES};
use crate::api::{write_delivery, SeriesOut};

/// Bucket edges in seconds.
pub const BOUNDS_S: [u32; 11] = [10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800];

/// Buckets per minute, `B + 1`.
pub const BUCKETS: usize = BOUNDS_S.len() + 1;

/// Minutes per day.
const MINUTES: usize = 1440;

/// The bucket of a delay: lower edge inclusive, upper edge exclusive.
pub fn bucket(delay_s: u32) -> usize {
    BOUNDS_S.iter().take_while(|&&b| delay_s >= b).count()
}

/// Per-series histograms of a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Histograms {
    /// `counts[series][minute × BUCKETS + bucket]`.
    pub counts: Vec<Vec<u32>>,
    /// `failed[series][minute]`.
    pub failed: Vec<Vec<u32>>,
}

/// Counts sent posts by due minute and delay, and failed posts by due
/// minute; pending posts are in neither.
pub fn histograms(shots: &[Shot]) -> Histograms {
    let mut h = Histograms {
        counts: vec![vec![0; MINUTES * BUCKETS]; SERIES],
        failed: vec![vec![0; MINUTES]; SERIES],
    };
    for s in shots {
        let series = usize::from(s.series);
        let minute = s.minute() as usize;
        match s.fate {
            Fate::Sent(d) => bump(&mut h.counts, series, minute * BUCKETS + bucket(d)),
            Fate::Failed(_) => bump(&mut h.failed, series, minute),
            Fate::Pending => {}
        }
    }
    h
}

/// Adds one to `counts[series][i]` (both are in range for every shot:
/// `series < SERIES`, `i` within the day).
fn bump(counts: &mut [Vec<u32>], series: usize, i: usize) {
    if let Some(c) = counts.get_mut(series).and_then(|c| c.get_mut(i)) {
        *c += 1;
    }
}

/// The document for `date` (`YYYY-MM-DD`).
pub fn document(date: &str, h: &Histograms) -> serde_json::Result<Vec<u8>> {
    let series = h
        .counts
        .iter()
        .zip(&h.failed)
        .enumerate()
        .map(|(i, (counts, failed))| {
            let (n, m) = mix::series_parts(i);
            SeriesOut {
                network: NETWORKS.get(n).copied().unwrap_or_default(),
                media: MEDIA.get(m).copied().unwrap_or_default(),
                counts,
                failed,
            }
        })
        .collect();
    write_delivery(date, &BOUNDS_S.map(f64::from), series)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_include_their_lower_edge() {
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(9), 0);
        assert_eq!(bucket(10), 1);
        assert_eq!(bucket(59), 4);
        assert_eq!(bucket(60), 5);
        assert_eq!(bucket(89), 5);
        assert_eq!(bucket(90), 6);
        assert_eq!(bucket(1799), 10);
        assert_eq!(bucket(1800), 11);
        assert_eq!(bucket(100_000), 11);
    }

    #[test]
    fn counts_sent_and_failed_but_not_pending() {
        let shot = |due_s, series, fate| Shot {
            due_s,
            series,
            bytes: None,
            fate,
        };
        let h = histograms(&[
            shot(480 * 60, 3, Fate::Sent(95)),
            shot(480 * 60 + 59, 3, Fate::Sent(0)),
            shot(481 * 60, 3, Fate::Failed(0)),
            shot(481 * 60, 3, Fate::Pending),
        ]);
        assert_eq!(h.counts[3][480 * BUCKETS + 6], 1);
        assert_eq!(h.counts[3][480 * BUCKETS], 1);
        assert_eq!(h.failed[3][481], 1);
        let total: u32 =
            h.counts.iter().flatten().sum::<u32>() + h.failed.iter().flatten().sum::<u32>();
        assert_eq!(total, 3);
        let doc = String::from_utf8(document("2016-08-03", &h).unwrap()).unwrap();
        assert!(doc.starts_with(r#"{"date":"2016-08-03","bounds_s":[10,20,30,45,60,90,120,180,300,600,1800],"series":[{"network":"twitter","media":"text","counts":[0,"#));
    }
}
