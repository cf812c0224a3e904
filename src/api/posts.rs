//! `posts/{YYYY-MM-DD}/{HH}.json`: the posts due in one UTC hour.
//!
//! `text` and `profile` are user content and stay plain strings: the views
//! render them as text nodes only. `thumbnail_url` is kept as written; the
//! view applies [`super::url::checked_media_url`] before loading it, and a
//! post whose URL is refused simply shows without a thumbnail.

use super::check;
use super::error::{parse_json, DocError};
use super::kinds::{Media, PostStatus};
use super::time::{Day, Timestamp};
use serde::Deserialize;

/// The document's path for an hour, e.g. `posts/2016-08-03/08.json`.
pub fn posts_doc(day: Day, hour: u8) -> String {
    format!("posts/{day}/{hour:02}.json")
}

#[derive(Deserialize)]
struct RawHour {
    date: String,
    hour: u8,
    posts: Vec<RawPost>,
}

#[derive(Deserialize)]
struct RawPost {
    id: String,
    profile: String,
    network: String,
    media: Media,
    #[serde(default)]
    media_bytes: Option<u64>,
    text: String,
    #[serde(default)]
    thumbnail_url: Option<String>,
    due_at: String,
    #[serde(default)]
    sent_at: Option<String>,
    status: PostStatus,
    #[serde(default)]
    error: Option<String>,
}

/// One scheduled post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    pub id: String,
    /// User content: plain text.
    pub profile: String,
    pub network: String,
    pub media: Media,
    pub media_bytes: Option<u64>,
    /// User content: plain text.
    pub text: String,
    /// As written in the document; check it before use.
    pub thumbnail_url: Option<String>,
    pub due_at: Timestamp,
    /// Present exactly when `status` is `sent`.
    pub sent_at: Option<Timestamp>,
    pub status: PostStatus,
    pub error: Option<String>,
}

impl Post {
    /// `sent_at − due_at` in milliseconds, 0 when sent early; `None` unless sent.
    pub fn delay_ms(&self) -> Option<i64> {
        self.sent_at.map(|s| (s.0 - self.due_at.0).max(0))
    }
}

/// A validated hour of posts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostHour {
    pub date: Day,
    pub hour: u8,
    pub posts: Vec<Post>,
}

impl PostHour {
    /// Parses and validates the document expected for `day` and `hour`.
    pub fn parse(body: &str, day: Day, hour: u8) -> Result<Self, DocError> {
        let doc = &posts_doc(day, hour);
        let raw: RawHour = parse_json(doc, body)?;
        let date = check::day(doc, "date", &raw.date)?;
        if date != day {
            return Err(DocError::new(
                doc,
                "date",
                format!("is {date}, expected {day}"),
            ));
        }
        if raw.hour != hour {
            return Err(DocError::new(
                doc,
                "hour",
                format!("is {}, expected {hour}", raw.hour),
            ));
        }
        let hour_start = day.start().0 + i64::from(hour) * 3_600_000;
        let hour_end = hour_start + 3_600_000;
        let mut posts = Vec::with_capacity(raw.posts.len());
        for (i, p) in raw.posts.into_iter().enumerate() {
            let place = |field: &str| format!("posts[{i}].{field}");
            check::non_empty(doc, &place("id"), &p.id)?;
            check::non_empty(doc, &place("network"), &p.network)?;
            let due_at = check::timestamp(doc, &place("due_at"), &p.due_at)?;
            if !(hour_start..hour_end).contains(&due_at.0) {
                return Err(DocError::new(
                    doc,
                    place("due_at"),
                    format!(
                        "{:?} is not in the hour {day} {hour:02}:00–{hour:02}:59 UTC",
                        p.due_at
                    ),
                ));
            }
            let sent_at = match (&p.sent_at, p.status) {
                (Some(s), PostStatus::Sent) => Some(check::timestamp(doc, &place("sent_at"), s)?),
                (None, PostStatus::Sent) => {
                    return Err(DocError::new(
                        doc,
                        place("sent_at"),
                        "is missing for a sent post",
                    ))
                }
                (Some(_), status) => {
                    return Err(DocError::new(
                        doc,
                        place("sent_at"),
                        format!("must be null for a {} post", status.as_str()),
                    ))
                }
                (None, _) => None,
            };
            posts.push(Post {
                id: p.id,
                profile: p.profile,
                network: p.network,
                media: p.media,
                media_bytes: p.media_bytes,
                text: p.text,
                thumbnail_url: p.thumbnail_url,
                due_at,
                sent_at,
                status: p.status,
                error: p.error,
            });
        }
        Ok(Self { date, hour, posts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"date":"2016-08-03","hour":8,"posts":[
      {"id":"u_1","profile":"Acme Coffee","network":"instagram","media":"video","media_bytes":15234567,
       "text":"New roast <b>not bold</b>","thumbnail_url":"media/u_1.svg","due_at":"2016-08-03T08:00:00Z",
       "sent_at":"2016-08-03T08:01:42Z","status":"sent","error":null},
      {"id":"u_2","profile":"B","network":"twitter","media":"text","text":"hi",
       "due_at":"2016-08-03T08:59:59Z","sent_at":null,"status":"failed","error":"rate limited"},
      {"id":"u_3","profile":"C","network":"twitter","media":"link","media_bytes":null,"text":"",
       "due_at":"2016-08-03T08:30:00Z","status":"pending"}
    ]}"#;

    fn day() -> Day {
        Day::parse("2016-08-03").unwrap()
    }

    #[test]
    fn parses_a_good_document() {
        let h = PostHour::parse(GOOD, day(), 8).unwrap();
        assert_eq!(h.posts.len(), 3);
        assert_eq!(h.posts[0].delay_ms(), Some(102_000));
        assert_eq!(h.posts[0].text, "New roast <b>not bold</b>");
        assert_eq!(h.posts[1].delay_ms(), None);
        assert_eq!(h.posts[1].error.as_deref(), Some("rate limited"));
        assert_eq!(h.posts[2].media_bytes, None);
        assert_eq!(posts_doc(day(), 8), "posts/2016-08-03/08.json");
    }

    #[test]
    fn names_the_place_of_each_problem() {
        let doc = "posts/2016-08-03/08.json";
        let cases = [
            (
                GOOD.replace("\"hour\":8", "\"hour\":9"),
                format!("{doc}: hour: is 9, expected 8"),
            ),
            (
                GOOD.replace("\"hour\":8", "\"hour\":24"),
                format!("{doc}: hour: is 24, expected 8"),
            ),
            (
                GOOD.replace("08:59:59Z", "09:00:00Z"),
                format!("{doc}: posts[1].due_at: \"2016-08-03T09:00:00Z\" is not in the hour"),
            ),
            (
                GOOD.replace("\"status\":\"pending\"", "\"status\":\"queued\""),
                format!("{doc}: posts[2].status: unknown variant `queued`"),
            ),
            (
                GOOD.replace("\"sent_at\":\"2016-08-03T08:01:42Z\",", ""),
                format!("{doc}: posts[0].sent_at: is missing for a sent post"),
            ),
            (
                GOOD.replace(
                    "\"sent_at\":null,\"status\":\"failed\"",
                    "\"sent_at\":\"2016-08-03T08:01:42Z\",\"status\":\"failed\"",
                ),
                format!("{doc}: posts[1].sent_at: must be null for a failed post"),
            ),
            (
                GOOD.replace("\"2016-08-03T08:30:00Z\"", "\"2016-08-03T08:30:00+01:00\""),
                format!("{doc}: posts[2].due_at: \"2016-08-03T08:30:00+01:00\" is not an RFC 3339"),
            ),
            (
                GOOD.replace("\"id\":\"u_2\"", "\"id\":\"\""),
                format!("{doc}: posts[1].id: is empty"),
            ),
            (
                GOOD.replace("15234567", "-5"),
                format!("{doc}: posts[0].media_bytes: invalid value"),
            ),
        ];
        for (body, want) in cases {
            let got = PostHour::parse(&body, day(), 8).unwrap_err().to_string();
            assert!(got.starts_with(&want), "want {want:?}, got {got:?}");
        }
    }
}
