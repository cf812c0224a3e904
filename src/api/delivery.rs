//! `delivery/{YYYY-MM-DD}.json`: how many posts were due each minute of a
//! UTC day and how late they went out, as delay histograms per
//! (network, media) series.
//!
//! After validation every series has exactly `1440 × (B + 1)` counts and
//! 1440 failure counts, `bounds_s` is strictly ascending and positive, and
//! no (network, media) pair appears twice, so the model can index freely.

use super::check;
use super::error::{parse_json, DocError};
use super::kinds::Media;
use super::time::Day;
use serde::Deserialize;

/// Minutes in a UTC day.
pub const MINUTES_PER_DAY: usize = 1440;

/// The document's path for a day, e.g. `delivery/2016-08-03.json`.
pub fn delivery_doc(day: Day) -> String {
    format!("delivery/{day}.json")
}

#[derive(Deserialize)]
struct RawDelivery {
    date: String,
    bounds_s: Vec<f64>,
    series: Vec<RawSeries>,
}

#[derive(Deserialize)]
struct RawSeries {
    network: String,
    media: Media,
    counts: Vec<u32>,
    #[serde(default)]
    failed: Option<Vec<u32>>,
}

/// One (network, media) series of a day.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub network: String,
    pub media: Media,
    /// Minute-major histogram: `counts[minute × (B + 1) + bucket]`.
    pub counts: Vec<u32>,
    /// Posts due each minute that were never sent; 1440 items.
    pub failed: Vec<u32>,
}

/// A validated delivery day.
#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryDay {
    pub date: Day,
    /// Ascending positive bucket edges in seconds.
    pub bounds_s: Vec<f64>,
    pub series: Vec<Series>,
}

impl DeliveryDay {
    /// Parses and validates the document expected for `day`.
    pub fn parse(body: &str, day: Day) -> Result<Self, DocError> {
        let doc = &delivery_doc(day);
        let raw: RawDelivery = parse_json(doc, body)?;
        let date = check::day(doc, "date", &raw.date)?;
        if date != day {
            return Err(DocError::new(
                doc,
                "date",
                format!("is {date}, expected {day}"),
            ));
        }
        if raw.bounds_s.is_empty() {
            return Err(DocError::new(
                doc,
                "bounds_s",
                "is empty: at least one bucket edge is needed",
            ));
        }
        let mut prev = 0.0;
        for (i, &b) in raw.bounds_s.iter().enumerate() {
            if !b.is_finite() || b <= prev {
                let why = if i == 0 {
                    format!("{b} is not a positive number of seconds")
                } else {
                    format!("{b} is not above the edge before it ({prev}): edges must be ascending")
                };
                return Err(DocError::new(doc, format!("bounds_s[{i}]"), why));
            }
            prev = b;
        }
        let buckets = raw.bounds_s.len() + 1;
        let expected = MINUTES_PER_DAY * buckets;
        let mut series = Vec::with_capacity(raw.series.len());
        for (i, s) in raw.series.into_iter().enumerate() {
            let place = format!("series[{i}] ({}/{})", s.network, s.media);
            check::non_empty(doc, &format!("series[{i}].network"), &s.network)?;
            if s.counts.len() != expected {
                return Err(DocError::new(
                    doc,
                    place,
                    format!("{} counts, expected {expected}", s.counts.len()),
                ));
            }
            let failed = match s.failed {
                Some(f) if f.len() != MINUTES_PER_DAY => {
                    return Err(DocError::new(
                        doc,
                        place,
                        format!("{} failed counts, expected {MINUTES_PER_DAY}", f.len()),
                    ))
                }
                Some(f) => f,
                None => vec![0; MINUTES_PER_DAY],
            };
            if series
                .iter()
                .any(|o: &Series| o.network == s.network && o.media == s.media)
            {
                return Err(DocError::new(
                    doc,
                    place,
                    "this network and media pair appears twice",
                ));
            }
            series.push(Series {
                network: s.network,
                media: s.media,
                counts: s.counts,
                failed,
            });
        }
        Ok(Self {
            date,
            bounds_s: raw.bounds_s,
            series,
        })
    }

    /// Number of delay buckets, `B + 1`.
    pub fn buckets(&self) -> usize {
        self.bounds_s.len() + 1
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A test series: network, media, (minute, bucket, count) cells, and
    /// optional (minute, failed) cells.
    pub(crate) type TestSeries<'a> = (
        &'a str,
        &'a str,
        Vec<(usize, usize, u32)>,
        Option<Vec<(usize, u32)>>,
    );

    /// A small valid document with counts given per (minute, bucket).
    pub(crate) fn doc_json(bounds: &[f64], series: &[TestSeries<'_>]) -> String {
        let buckets = bounds.len() + 1;
        let series: Vec<serde_json::Value> = series
            .iter()
            .map(|(net, media, cells, failed)| {
                let mut counts = vec![0u32; 1440 * buckets];
                for &(m, b, n) in cells {
                    counts[m * buckets + b] = n;
                }
                let mut v = serde_json::json!({"network": net, "media": media, "counts": counts});
                if let Some(f) = failed {
                    let mut fl = vec![0u32; 1440];
                    for &(m, n) in f {
                        fl[m] = n;
                    }
                    v["failed"] = serde_json::json!(fl);
                }
                v
            })
            .collect();
        serde_json::json!({"date": "2016-08-03", "bounds_s": bounds, "series": series}).to_string()
    }

    fn day() -> Day {
        Day::parse("2016-08-03").unwrap()
    }

    #[test]
    fn parses_a_good_document() {
        let body = doc_json(
            &[60.0, 90.0],
            &[
                ("twitter", "image", vec![(480, 0, 5), (480, 2, 3)], None),
                ("facebook", "video", vec![], Some(vec![(1, 2)])),
            ],
        );
        let d = DeliveryDay::parse(&body, day()).unwrap();
        assert_eq!(d.buckets(), 3);
        assert_eq!(d.series[0].counts[480 * 3 + 2], 3);
        assert_eq!(d.series[0].failed.len(), 1440);
        assert_eq!(d.series[1].failed[1], 2);
    }

    #[test]
    fn names_the_place_of_each_problem() {
        let good = doc_json(
            &[60.0, 90.0],
            &[
                ("twitter", "image", vec![], None),
                ("twitter", "video", vec![], None),
            ],
        );
        let short = {
            let mut v: serde_json::Value = serde_json::from_str(&good).unwrap();
            v["series"][1]["counts"].as_array_mut().unwrap().pop();
            v.to_string()
        };
        let cases = [
            (short, "delivery/2016-08-03.json: series[1] (twitter/video): 4319 counts, expected 4320".to_string()),
            (good.replace("[60.0,90.0]", "[90.0,60.0]"), "delivery/2016-08-03.json: bounds_s[1]: 60 is not above the edge before it (90)".into()),
            (good.replace("[60.0,90.0]", "[0.0,60.0]"), "delivery/2016-08-03.json: bounds_s[0]: 0 is not a positive number".into()),
            (good.replace("[60.0,90.0]", "[]"), "delivery/2016-08-03.json: bounds_s: is empty".into()),
            (good.replace("\"video\"", "\"image\""), "delivery/2016-08-03.json: series[1] (twitter/image): this network and media pair appears twice".into()),
            (good.replace("\"video\"", "\"gif\""), "delivery/2016-08-03.json: series[1].media: unknown variant `gif`".into()),
            (good.replace("2016-08-03", "2016-08-04"), "delivery/2016-08-03.json: date: is 2016-08-04, expected 2016-08-03".into()),
            (good.replacen("[0,", "[-1,", 1), "delivery/2016-08-03.json: series[0].counts[0]: invalid value: integer `-1`".into()),
            (good[..good.len() / 2].to_string(), "delivery/2016-08-03.json: the JSON ends too early".into()),
        ];
        for (body, want) in cases {
            let got = DeliveryDay::parse(&body, day()).unwrap_err().to_string();
            assert!(got.starts_with(&want), "want {want:?}, got {got:?}");
        }
    }

    #[test]
    fn checks_failed_length() {
        let good = doc_json(&[60.0], &[("twitter", "image", vec![], Some(vec![]))]);
        let mut v: serde_json::Value = serde_json::from_str(&good).unwrap();
        v["series"][0]["failed"]
            .as_array_mut()
            .unwrap()
            .push(0.into());
        let got = DeliveryDay::parse(&v.to_string(), day())
            .unwrap_err()
            .to_string();
        assert_eq!(got, "delivery/2016-08-03.json: series[0] (twitter/image): 1441 failed counts, expected 1440");
    }
}
