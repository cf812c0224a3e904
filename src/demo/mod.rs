//! The deterministic demo-data generator (native only).
//!
//! [`generate`] builds the whole demo dataset in memory as [`Document`]s
//! (a path relative to the site's `public/` folder, and its bytes);
//! [`write`] puts them on disk. The same options always give the same
//! bytes: the only randomness is the seeded [`rng::Rng`].
//!
//! The dataset tells one story, August 2016 (see `tests/demo_data.rs`,
//! which checks every figure):
//! - delivery was bad until a fix on 16 August: on 3 August about 1,200 of
//!   the posts due at 8:00 went out 90 s or more late, and those due at
//!   8:01 and 8:02 waited behind them; on 29 August over 95 % of the posts
//!   went out within the minute, the rest mostly large videos and images;
//! - MRR grows over two years to a few hundred thousand dollars, and the
//!   MRR another system reports drifts about 25,000 USD high from March
//!   2016 on;
//! - the monthly report of August against July;
//! - [`annotations`] mark the events behind it on the charts.
//!
//! Modules: [`rng`] (the generator), [`volume`], [`mix`] and [`delay`] (the
//! delivery model), [`day`] (one simulated day), [`delivery`] and [`posts`]
//! (its documents), [`content`] and [`thumbnails`] (user content),
//! [`revenue`], [`reports`], [`meta`], and [`write`] (output to disk).

pub mod annotations;
pub mod content;
pub mod day;
pub mod delay;
pub mod delivery;
pub mod meta;
pub mod mix;
pub mod posts;
pub mod reports;
pub mod revenue;
pub use crate::model::rng;
pub mod thumbnails;
pub mod volume;
pub mod write;

use crate::api::{Day, Month};
use rng::Rng;

/// The seed of the published dataset.
pub const SEED: u64 = 0x5075_6c73_6532_3031;

/// A generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Path relative to the site folder, with `/` separators
    /// (`api/v1/delivery/2016-08-03.json`).
    pub path: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Multiplies the number of posts and customers (1 = the published
    /// dataset; larger for benchmarks). The story's figures hold at 1.
    pub scale: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self { scale: 1 }
    }
}

/// The days with delivery documents: every day of August 2016.
pub fn delivery_days() -> Vec<Day> {
    (1..=31).map(|d| day(2016, 8, d)).collect()
}

/// The days with post documents.
pub fn post_days() -> Vec<Day> {
    vec![day(2016, 8, 3), day(2016, 8, 29)]
}

/// Folders under the site folder that hold only generated files; stale
/// files there are removed by [`write`].
pub const OWNED_DIRS: [&str; 5] = [
    "api/v1/reports",
    "api/v1/delivery",
    "api/v1/posts",
    "api/v1/revenue",
    "api/v1/media",
];

/// A day known to be valid (constant arguments).
#[allow(clippy::expect_used)] // only called with constant, valid dates
pub(crate) fn day(year: i32, month: u32, day: u32) -> Day {
    Day::from_ymd(year, month, day).expect("a valid day")
}

/// A month known to be valid (constant arguments).
#[allow(clippy::expect_used)] // only called with constant, valid months
pub(crate) fn month(year: i32, number: u32) -> Month {
    Month::new(year, number).expect("a valid month")
}

/// Generates the whole dataset in memory, in a stable order.
pub fn generate(options: &Options) -> serde_json::Result<Vec<Document>> {
    let scale = options.scale.max(1);
    let root = Rng::new(SEED);
    let api = |p: String| format!("{}/{p}", meta::API_BASE);
    let mut docs = Vec::new();
    let mut push = |path: String, bytes: Vec<u8>| docs.push(Document { path, bytes });

    push("config.json".into(), meta::config()?);
    let delivery_days = delivery_days();
    let post_days = post_days();
    let names = |days: &[Day]| days.iter().map(Day::to_string).collect::<Vec<_>>();
    push(
        api("meta.json".into()),
        meta::document(&reports::MONTHS, &names(&delivery_days), &names(&post_days))?,
    );
    for (month, bytes) in reports::documents()? {
        push(api(format!("reports/{month}.json")), bytes);
    }

    let traffic = root.fork("delivery");
    let content = root.fork("posts");
    let profiles = content::profiles(&mut content.fork("profiles"));
    let mut ids = posts::Ids::default();
    for &d in &delivery_days {
        let shots = day::simulate(d, scale, &traffic);
        let date = d.to_string();
        let hist = delivery::histograms(&shots);
        push(
            api(format!("delivery/{date}.json")),
            delivery::document(&date, &hist)?,
        );
        if post_days.contains(&d) {
            for (hour, bytes) in posts::documents(d, &shots, &profiles, &mut ids, &content)? {
                push(api(format!("posts/{date}/{hour:02}.json")), bytes);
            }
        }
    }

    push(
        api(crate::api::ANNOTATIONS_DOC.into()),
        annotations::document()?,
    );
    push(
        api("revenue/events.json".into()),
        revenue::document(scale, &root)?,
    );
    let art = root.fork("thumbnails");
    for i in 0..thumbnails::COUNT {
        push(
            api(thumbnails::url(i)),
            thumbnails::svg(&art, i).into_bytes(),
        );
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_lists() {
        let days = delivery_days();
        assert_eq!(days.len(), 31);
        assert_eq!(days[0].to_string(), "2016-08-01");
        assert_eq!(days[30].to_string(), "2016-08-31");
        assert!(post_days().iter().all(|d| days.contains(d)));
        assert_eq!(month(2016, 3).to_string(), "2016-03");
    }
}
