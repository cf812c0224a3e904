//! `posts/{day}/{HH}.json`: the simulated posts of a post day with their
//! user content (profile, text, thumbnail) and error messages, one
//! document per UTC hour.

use super::content::{self, ERRORS};
use super::day::Shot;
use super::delay::Fate;
use super::mix::{self, IMAGE, MEDIA, NETWORKS, VIDEO};
use super::rng::{permute32, Rng};
use super::thumbnails;
use crate::api::{Day, Timestamp};
use serde::Serialize;

#[derive(Serialize)]
struct PostDoc<'a> {
    id: String,
    profile: &'a str,
    network: &'a str,
    media: &'a str,
    media_bytes: Option<u64>,
    text: String,
    thumbnail_url: Option<String>,
    due_at: String,
    sent_at: Option<String>,
    status: &'a str,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct HourDoc<'a> {
    date: &'a str,
    hour: u32,
    posts: Vec<PostDoc<'a>>,
}

/// Unique post ids: a counter run through a bijection.
#[derive(Clone, Debug, Default)]
pub struct Ids {
    next: u32,
}

impl Ids {
    /// The next id, `p_` and eight hex digits.
    pub fn next_id(&mut self) -> String {
        let id = format!("p_{:08x}", permute32(self.next));
        self.next = self.next.wrapping_add(1);
        id
    }
}

/// Chance that an image or video post has no thumbnail.
const NO_THUMBNAIL: f64 = 0.03;

/// The 24 hour documents of a post day, as `(hour, bytes)`. `shots` are
/// the day's simulated posts in due order.
pub fn documents(
    day: Day,
    shots: &[Shot],
    profiles: &[String],
    ids: &mut Ids,
    rng: &Rng,
) -> serde_json::Result<Vec<(u32, Vec<u8>)>> {
    let mut rng = rng.fork_n(u64::from(day.day_of_month()));
    let date = day.to_string();
    let start = day.start().0;
    let stamp = |s: u32| Timestamp(start + i64::from(s) * 1000).to_string();
    let mut hours: Vec<Vec<PostDoc>> = (0..24).map(|_| Vec::new()).collect();
    for shot in shots {
        let (network, media) = mix::series_parts(usize::from(shot.series));
        let profile = content::pick_profile(&mut rng, profiles);
        let text = content::post_text(&mut rng, profile, MEDIA.get(media) == Some(&"link"));
        let thumbnail_url = (matches!(media, IMAGE | VIDEO) && !rng.chance(NO_THUMBNAIL))
            .then(|| thumbnails::url(rng.below(thumbnails::COUNT as u64) as usize));
        let (status, sent_at, error) = match shot.fate {
            Fate::Sent(d) => ("sent", Some(stamp(shot.due_s + d)), None),
            Fate::Failed(e) => ("failed", None, ERRORS.get(usize::from(e)).copied()),
            Fate::Pending => ("pending", None, None),
        };
        let hour = (shot.due_s / 3600) as usize;
        if let Some(list) = hours.get_mut(hour) {
            list.push(PostDoc {
                id: ids.next_id(),
                profile,
                network: NETWORKS.get(network).copied().unwrap_or_default(),
                media: MEDIA.get(media).copied().unwrap_or_default(),
                media_bytes: shot.bytes,
                text,
                thumbnail_url,
                due_at: stamp(shot.due_s),
                sent_at,
                status,
                error,
            });
        }
    }
    hours
        .into_iter()
        .enumerate()
        .map(|(hour, posts)| {
            let hour = hour as u32;
            let doc = HourDoc {
                date: &date,
                hour,
                posts,
            };
            Ok((hour, serde_json::to_vec(&doc)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_shaped() {
        let mut ids = Ids::default();
        let mut all: Vec<String> = (0..50_000).map(|_| ids.next_id()).collect();
        assert!(all.iter().all(|id| id.len() == 10 && id.starts_with("p_")));
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 50_000);
    }

    #[test]
    fn posts_carry_the_simulated_times_and_fates() {
        let day = Day::parse("2016-08-03").unwrap();
        let shots = [
            Shot {
                due_s: 8 * 3600,
                series: mix::series_index(3, VIDEO) as u8,
                bytes: Some(50_000_000),
                fate: Fate::Sent(102),
            },
            Shot {
                due_s: 23 * 3600 + 3599,
                series: 0,
                bytes: None,
                fate: Fate::Failed(2),
            },
        ];
        let profiles = vec!["Acme Coffee".to_owned()];
        let docs = documents(day, &shots, &profiles, &mut Ids::default(), &Rng::new(1)).unwrap();
        assert_eq!(docs.len(), 24);
        let eight: serde_json::Value = serde_json::from_slice(&docs[8].1).unwrap();
        let p = &eight["posts"][0];
        assert_eq!(p["due_at"], "2016-08-03T08:00:00Z");
        assert_eq!(p["sent_at"], "2016-08-03T08:01:42Z");
        assert_eq!(p["network"], "instagram");
        assert_eq!(p["media"], "video");
        assert_eq!(p["status"], "sent");
        let late: serde_json::Value = serde_json::from_slice(&docs[23].1).unwrap();
        let p = &late["posts"][0];
        assert_eq!(p["due_at"], "2016-08-03T23:59:59Z");
        assert_eq!(p["sent_at"], serde_json::Value::Null);
        assert_eq!(p["error"], "Token expired");
        assert_eq!(p["thumbnail_url"], serde_json::Value::Null);
        let empty: serde_json::Value = serde_json::from_slice(&docs[0].1).unwrap();
        assert_eq!(empty["posts"].as_array().unwrap().len(), 0);
        assert_eq!(empty["hour"], 0);
    }
}
