//! `delivery/{YYYY-MM-DD}.json`: how many posts were due each minute of a
//! UTC day and how late they went out, as delay histograms per
//! (network, media) series.
//!
//! The counts are read by [`super::scan`] when the document is well formed
//! (the general parse names the problem otherwise).
//!
//! After validation every series has exactly `1440 × (B + 1)` counts and
//! 1440 failure counts, `bounds_s` is strictly ascending and positive, and
//! no (network, media) pair appears twice, so the model can index freely.

use super::check;
use super::error::{parse_json, DocError};
use super::kinds::Media;
use super::scan;
use super::time::Day;
use serde::{Deserialize, Serialize};

/// Minutes in a UTC day.
pub const MINUTES_PER_DAY: usize = 1440;

/// The document's path for a day, e.g. `delivery/2016-08-03.json`.
pub fn delivery_doc(day: Day) -> String {
    format!("delivery/{day}.json")
}

/// One series as [`write_delivery`] writes it.
#[derive(Serialize)]
pub struct SeriesOut<'a> {
    /// The network the series posted to.
    pub network: &'a str,
    /// The media kind, as the contract spells it.
    pub media: &'a str,
    /// Minute-major histogram: `counts[minute × (B + 1) + bucket]`.
    pub counts: &'a [u32],
    /// Posts due each minute that were never sent; 1440 items.
    pub failed: &'a [u32],
}

#[derive(Serialize)]
struct DeliveryOut<'a> {
    date: &'a str,
    bounds_s: Vec<serde_json::Value>,
    series: Vec<SeriesOut<'a>>,
}

/// A bucket edge as JSON: whole seconds without a fraction.
fn edge(b: f64) -> serde_json::Value {
    if b.fract() == 0.0 && b.abs() < 1e15 {
        serde_json::Value::from(b as i64)
    } else {
        serde_json::Value::from(b)
    }
}

/// The bytes of the delivery document of `date` (`YYYY-MM-DD`), as every
/// writer of Pulse's data publishes it: edges that are whole seconds are
/// written without a fraction.
pub fn write_delivery(
    date: &str,
    bounds_s: &[f64],
    series: Vec<SeriesOut<'_>>,
) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&DeliveryOut {
        date,
        bounds_s: bounds_s.iter().map(|&b| edge(b)).collect(),
        series,
    })
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
struct RawDelivery {
    date: String,
    bounds_s: Vec<f64>,
    series: Vec<RawSeries>,
}

impl RawDelivery {
    /// The fast way ([`scan::Cursor`]): `None` if anything is unusual,
    /// and the general parse then reads the document or names the problem.
    fn read_fast(body: &str) -> Option<Self> {
        let mut c = scan::Cursor::new(body);
        let (mut date, mut bounds_s, mut series) = (None, None, None);
        c.object(|c, key| {
            match key {
                "date" if date.is_none() => date = Some(c.string()?),
                "bounds_s" if bounds_s.is_none() => bounds_s = Some(c.array(|c| c.value::<f64>())?),
                "series" if series.is_none() => {
                    // Bounds come first in every document Pulse knows; the
                    // count is only a capacity hint.
                    let buckets = bounds_s.as_ref().map_or(0, Vec::len) + 1;
                    series = Some(c.array(|c| RawSeries::read_fast(c, MINUTES_PER_DAY * buckets))?);
                }
                _ => return None,
            }
            Some(())
        })?;
        c.at_end().then_some(())?;
        Some(Self {
            date: date?,
            bounds_s: bounds_s?,
            series: series?,
        })
    }
}

impl RawSeries {
    fn read_fast(c: &mut scan::Cursor, expected: usize) -> Option<Self> {
        let (mut network, mut media, mut counts, mut failed) = (None, None, None, None);
        c.object(|c, key| {
            match key {
                "network" if network.is_none() => network = Some(c.string()?),
                "media" if media.is_none() => media = Some(c.value::<Media>()?),
                "counts" if counts.is_none() => counts = Some(c.counts(expected)?),
                "failed" if failed.is_none() => {
                    failed = Some(if c.null() {
                        None
                    } else {
                        Some(c.counts(MINUTES_PER_DAY)?)
                    });
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Self {
            network: network?,
            media: media?,
            counts: counts?,
            failed: failed.flatten(),
        })
    }
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
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
    /// The network the series posted to.
    pub network: String,
    /// The media kind of the series' posts.
    pub media: Media,
    /// Minute-major histogram: `counts[minute × (B + 1) + bucket]`.
    pub counts: Vec<u32>,
    /// Posts due each minute that were never sent; 1440 items.
    pub failed: Vec<u32>,
}

/// A validated delivery day.
#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryDay {
    /// The day the document covers (UTC).
    pub date: Day,
    /// Ascending positive bucket edges in seconds.
    pub bounds_s: Vec<f64>,
    /// One series per (network, media) pair the day has.
    pub series: Vec<Series>,
}

impl DeliveryDay {
    /// Parses and validates the document expected for `day`.
    pub fn parse(body: &str, day: Day) -> Result<Self, DocError> {
        let doc = &delivery_doc(day);
        let raw = match RawDelivery::read_fast(body) {
            Some(raw) => raw,
            None => parse_json::<RawDelivery>(doc, body)?,
        };
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

    /// What the general parser reads, or `None` where it refuses.
    fn general(body: &str) -> Option<RawDelivery> {
        parse_json::<RawDelivery>("d", body).ok()
    }

    #[test]
    fn the_fast_reader_reads_as_the_general_parser() {
        let body = doc_json(
            &[60.0, 90.0],
            &[
                ("twitter", "image", vec![(480, 0, 5), (480, 2, 3)], None),
                (
                    "face\"book",
                    "video",
                    vec![(0, 1, 4_000_000_000)],
                    Some(vec![(1, 2)]),
                ),
            ],
        );
        let fast = RawDelivery::read_fast(&body);
        assert!(fast.is_some());
        assert!(fast == general(&body));
        // Whitespace, null failures and another key order read the same.
        let spaced = body.replace(',', " ,\n ").replace(':', " : ");
        assert!(RawDelivery::read_fast(&spaced) == general(&body));
        let nulls = body.replacen("\"counts\"", "\"failed\":null,\"counts\"", 1);
        assert!(RawDelivery::read_fast(&nulls).is_some());
        assert!(RawDelivery::read_fast(&nulls) == general(&nulls));
        // Unknown or repeated keys, and escaped keys, go the general way.
        for odd in [
            body.replacen("\"date\":", "\"extra\":1,\"date\":", 1),
            body.replacen("\"date\":", "\"date\":\"2016-08-04\",\"date\":", 1),
            body.replacen("\"date\"", "\"d\\u0061te\"", 1),
        ] {
            assert_ne!(odd, body);
            assert!(RawDelivery::read_fast(&odd).is_none(), "{}", &odd[..80]);
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_reader_never_reads_differently(
            at in 0usize..2000,
            cut in 0usize..6,
            insert in proptest::sample::select(vec!["", "-1", "1.5", "1e3", "01", "null", "\"\"", "[]", "{}", ",", "]", "}", " ", "\\", "\"x\":1,", "4294967296"]),
        ) {
            let body = doc_json(&[60.0], &[("twitter", "image", vec![(0, 0, 7)], Some(vec![(0, 1)]))]);
            let body = body.replace("0,0,0,0,0,0,0,0,0,0", "0,0");
            let at = at.min(body.len());
            let end = (at + cut).min(body.len());
            let mutated = format!("{}{}{}", &body[..at], insert, &body[end..]);
            if let Some(fast) = RawDelivery::read_fast(&mutated) {
                proptest::prop_assert!(Some(fast) == general(&mutated), "{}", &mutated[..at.min(mutated.len())]);
            }
        }
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
