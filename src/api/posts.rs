//! `posts/{YYYY-MM-DD}/{HH}.json`: the posts due in one UTC hour.
//!
//! `text` and `profile` are user content and stay plain strings: the views
//! render them as text nodes only. `thumbnail_url` is kept as written; the
//! view applies [`super::url::checked_media_url`] before loading it, and a
//! post whose URL is refused simply shows without a thumbnail.
//!
//! A large hour is read in steps ([`PostsReader`]): one quick pass finds
//! where each post starts and ends, then the posts are parsed and checked
//! a few thousand at a time, so the caller can show progress and let the
//! page breathe in between. The same reader can start while the body is
//! still arriving ([`PostsReader::arriving`]): it reads each post as soon
//! as it is complete, so the Queue shows the first ones before the rest
//! is there, and the whole body, once in, is checked as a whole read
//! would check it. An hour of more than [`MAX_POSTS`] posts is refused.

use super::check;
use super::error::{parse_json, DocError};
use super::kinds::{Media, PostStatus};
use super::steps::{
    around_items, item_spans, parse_item, placeholders_are_the_list, ItemFinder, ReadAsItArrives,
    ReadInSteps,
};
use super::surrogates::replace_lone_surrogates;
use super::time::{Day, Timestamp};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::ops::Range;

/// The most posts Pulse lists for one hour: more is refused, naming the
/// count, rather than freezing the page indexing them.
pub const MAX_POSTS: usize = 250_000;

/// Bytes of a body the finder looks through per chunk fed (a few ms).
const FIND_PER_FEED: usize = 1 << 20;

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

/// The document with each post still as its JSON text.
#[derive(Deserialize)]
struct LazyHour<'a> {
    date: String,
    hour: u8,
    #[serde(borrow)]
    posts: Vec<&'a RawValue>,
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
    /// The post's id, unique in the hour.
    pub id: String,
    /// User content: plain text.
    pub profile: String,
    /// The network it is posted to.
    pub network: String,
    /// Its media kind.
    pub media: Media,
    /// The size of its media, when it has any.
    pub media_bytes: Option<u64>,
    /// User content: plain text.
    pub text: String,
    /// As written in the document; check it before use.
    pub thumbnail_url: Option<String>,
    /// When it was due.
    pub due_at: Timestamp,
    /// Present exactly when `status` is `sent`.
    pub sent_at: Option<Timestamp>,
    /// Sent, failed or pending.
    pub status: PostStatus,
    /// Why it failed, when it did (user content: plain text).
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
    /// The day of the hour (UTC).
    pub date: Day,
    /// The hour, 0–23.
    pub hour: u8,
    /// The posts due in the hour, in document order.
    pub posts: Vec<Post>,
}

impl PostHour {
    /// Parses and validates the document expected for `day` and `hour`.
    pub fn parse(body: &str, day: Day, hour: u8) -> Result<Self, DocError> {
        let doc = &posts_doc(day, hour);
        let raw: RawHour = parse_json(doc, body)?;
        let bounds = HourBounds::check(doc, day, hour, &raw.date, raw.hour)?;
        check_count(doc, raw.posts.len())?;
        let posts = raw
            .posts
            .into_iter()
            .enumerate()
            .map(|(i, p)| bounds.post(doc, i, p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            date: day,
            hour,
            posts,
        })
    }
}

/// The date and hour of an hour whose posts stand at `items` in `body`,
/// when the text around them parses as a whole parse would have it
/// (`steps::around_items`); `None` otherwise (the whole parse then
/// names the problem).
fn hour_around_posts(body: &str, items: &[Range<usize>]) -> Option<(String, u8)> {
    let (outline, placeholders) = around_items(body, items)?;
    let lazy: LazyHour = serde_json::from_str(&outline).ok()?;
    placeholders_are_the_list(&outline, &lazy.posts, &placeholders)
        .then_some((lazy.date, lazy.hour))
}

fn check_count(doc: &str, n: usize) -> Result<(), DocError> {
    if n > MAX_POSTS {
        return Err(DocError::new(
            doc,
            "posts",
            format!(
                "{} posts, more than the {} Pulse lists for one hour",
                crate::format::group_thousands(n as i64),
                crate::format::group_thousands(MAX_POSTS as i64)
            ),
        ));
    }
    Ok(())
}

/// The hour a document must describe, and the check of each post in it.
struct HourBounds {
    day: Day,
    hour: u8,
    start_ms: i64,
    end_ms: i64,
}

impl HourBounds {
    /// The bounds of the hour asked for (before the document says which it is).
    fn expected(day: Day, hour: u8) -> Self {
        let start_ms = day.start().0 + i64::from(hour) * 3_600_000;
        Self {
            day,
            hour,
            start_ms,
            end_ms: start_ms + 3_600_000,
        }
    }

    fn check(doc: &str, day: Day, hour: u8, date: &str, doc_hour: u8) -> Result<Self, DocError> {
        let date = check::day(doc, "date", date)?;
        if date != day {
            return Err(DocError::new(
                doc,
                "date",
                format!("is {date}, expected {day}"),
            ));
        }
        if doc_hour != hour {
            return Err(DocError::new(
                doc,
                "hour",
                format!("is {doc_hour}, expected {hour}"),
            ));
        }
        Ok(Self::expected(day, hour))
    }

    /// Checks post `i` and makes it a [`Post`].
    fn post(&self, doc: &str, i: usize, p: RawPost) -> Result<Post, DocError> {
        // The place is written only for an error (tens of thousands of
        // posts pass here).
        let place = |field: &str| format!("posts[{i}].{field}");
        let at = |field: &'static str| move |e: DocError| e.placed(place(field));
        check::non_empty(doc, "", &p.id).map_err(at("id"))?;
        check::non_empty(doc, "", &p.network).map_err(at("network"))?;
        let due_at = check::timestamp(doc, "", &p.due_at).map_err(at("due_at"))?;
        if !(self.start_ms..self.end_ms).contains(&due_at.0) {
            let (day, hour) = (self.day, self.hour);
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
            (Some(s), PostStatus::Sent) => {
                Some(check::timestamp(doc, "", s).map_err(at("sent_at"))?)
            }
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
        Ok(Post {
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
        })
    }
}

/// Reads an hour of posts in steps (see the module docs).
///
/// ```ignore
/// let mut reader = PostsReader::new(body, day, hour)?;
/// while !reader.done() {
///     reader.read(5_000)?;
///     show_progress(reader.read_so_far(), reader.total());
/// }
/// let hour = reader.finish()?;
/// ```
///
/// Or from the first bytes of the body on:
///
/// ```ignore
/// let mut reader = PostsReader::arriving(day, hour);
/// reader.feed(received_so_far); // after each chunk; reader.posts() grows
/// reader.complete(whole_body)?;
/// // then in steps as above
/// ```
pub struct PostsReader {
    doc: String,
    bounds: HourBounds,
    /// Empty until the whole body is in.
    body: String,
    /// Each post's place: in the body once it is in; before that, in the
    /// text received so far (from [`ItemFinder::text_start`]).
    items: Vec<Range<usize>>,
    posts: Vec<Post>,
    /// Finds the posts while the body arrives; `None` once it is in.
    arriving: Option<ItemFinder>,
}

impl PostsReader {
    /// Checks the document's syntax, date, hour and post count, and finds
    /// each post, without parsing the posts yet.
    pub fn new(body: String, day: Day, hour: u8) -> Result<Self, DocError> {
        let mut reader = Self::arriving(day, hour);
        reader.complete(body)?;
        Ok(reader)
    }

    /// A reader for the hour `day` `hour` whose body is yet to arrive.
    pub fn arriving(day: Day, hour: u8) -> Self {
        Self {
            doc: posts_doc(day, hour),
            bounds: HourBounds::expected(day, hour),
            body: String::new(),
            items: Vec::new(),
            posts: Vec::new(),
            arriving: Some(ItemFinder::default()),
        }
    }

    /// The posts read so far, in document order.
    pub fn posts(&self) -> &[Post] {
        &self.posts
    }
}

impl ReadAsItArrives for PostsReader {
    fn feed(&mut self, received: &[u8]) {
        let Some(finder) = self.arriving.as_mut() else {
            return;
        };
        // A piece at a time: a body told of at once (megabytes in before
        // the reading could start) is looked through over several turns.
        let upto = finder.looked().saturating_add(FIND_PER_FEED);
        finder.find(
            "posts",
            received.get(..upto).unwrap_or(received),
            &mut self.items,
        );
        let from = finder.text_start();
        // One step's worth: the items found and not read yet are read
        // with the next chunk, or in the steps after the whole body.
        let step = crate::turn::Slice::step();
        while let Some(span) = self.items.get(self.posts.len()) {
            // The clock every 32 posts (a look at it costs a call out).
            if self.posts.len().is_multiple_of(32) && step.over() {
                return;
            }
            let i = self.posts.len();
            let text = received
                .get(span.start + from..span.end + from)
                .and_then(|t| std::str::from_utf8(t).ok());
            let post = text.and_then(|text| {
                let raw: RawPost = parse_item(&self.doc, "posts", i, text).ok()?;
                self.bounds.post(&self.doc, i, raw).ok()
            });
            match post {
                Some(post) if i < MAX_POSTS => self.posts.push(post),
                // The whole read names the problem (or reads the post).
                _ => {
                    finder.stop();
                    self.items.truncate(i);
                    return;
                }
            }
        }
    }

    fn catch_up(&mut self, body: &str) -> bool {
        // After a byte-order mark the finder counts in the body as sent,
        // which the decoded body no longer is: the whole check then.
        let looking = self
            .arriving
            .as_ref()
            .is_some_and(|f| !f.stopped() && f.text_start() == 0 && f.looked() < body.len());
        if looking {
            self.feed(body.as_bytes());
        }
        !looking
    }

    fn complete(&mut self, body: String) -> Result<(), DocError> {
        let found_all = self.arriving.take().is_some_and(|f| f.found_all());
        // Unpaired surrogates show as U+FFFD, as in a whole parse (a post
        // read with one while arriving reads the same: `parse_json`
        // replaces them too).
        let (body, replaced) = match replace_lone_surrogates(&body) {
            Some(replaced) => (replaced, true),
            None => (body, false),
        };
        self.body = body;
        let (day, hour) = (self.bounds.day, self.bounds.hour);
        let doc = &self.doc;
        let body = &self.body;
        // Every post was found while the body arrived, where the whole
        // body has it: only the text around them is left to check.
        if found_all && !replaced {
            if let Some((date, at_hour)) = hour_around_posts(body, &self.items) {
                self.bounds = HourBounds::check(doc, day, hour, &date, at_hour)?;
                return check_count(doc, self.items.len());
            }
        }
        let lazy: LazyHour = match serde_json::from_str(body) {
            Ok(lazy) => lazy,
            // Name the place the way every document does.
            Err(e) => {
                return Err(match parse_json::<RawHour>(doc, body) {
                    Err(named) => named,
                    Ok(_) => DocError::new(doc, "", format!("not valid JSON ({e})")),
                })
            }
        };
        let bounds = HourBounds::check(doc, day, hour, &lazy.date, lazy.hour)?;
        check_count(doc, lazy.posts.len())?;
        let items = item_spans(body, &lazy.posts);
        // The posts read while the body arrived stand for the text they
        // were read from: they are kept where the whole body has that text
        // at the same place (its decoding changed nothing before them).
        let kept = self
            .items
            .iter()
            .zip(&items)
            .take(self.posts.len())
            .take_while(|(arrived, whole)| arrived == whole)
            .count();
        self.posts.truncate(kept);
        self.posts.reserve(items.len().saturating_sub(kept));
        self.items = items;
        self.bounds = bounds;
        Ok(())
    }

    fn body(&self) -> &str {
        &self.body
    }
}

impl ReadInSteps for PostsReader {
    type Doc = PostHour;

    fn total(&self) -> usize {
        self.items.len()
    }

    fn read_so_far(&self) -> usize {
        self.posts.len()
    }

    fn read(&mut self, n: usize) -> Result<(), DocError> {
        let from = self.posts.len();
        for (i, span) in self.items.iter().enumerate().skip(from).take(n) {
            let text = self.body.get(span.clone()).unwrap_or_default();
            let raw: RawPost = parse_item(&self.doc, "posts", i, text)?;
            self.posts.push(self.bounds.post(&self.doc, i, raw)?);
        }
        Ok(())
    }

    fn finish(self) -> Result<PostHour, DocError> {
        Ok(PostHour {
            date: self.bounds.day,
            hour: self.bounds.hour,
            posts: self.posts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::steps::complete_at_once;
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
            // The reader in steps names the same place.
            let stepped = PostsReader::new(body.clone(), day(), 8).and_then(|mut r| {
                while !r.done() {
                    r.read(1)?;
                }
                r.finish()
            });
            let got = stepped.unwrap_err().to_string();
            assert!(got.starts_with(&want), "reader: want {want:?}, got {got:?}");
        }
    }

    #[test]
    fn the_reader_in_steps_gives_the_same_hour() {
        let whole = PostHour::parse(GOOD, day(), 8).unwrap();
        let mut r = PostsReader::new(GOOD.to_owned(), day(), 8).unwrap();
        assert_eq!((r.total(), r.read_so_far(), r.done()), (3, 0, false));
        r.read(2).unwrap();
        assert_eq!((r.read_so_far(), r.done()), (2, false));
        r.read(2).unwrap();
        assert!(r.done());
        assert_eq!(r.finish().unwrap(), whole);
    }

    /// Feeds `body` to a reader arriving in pieces that end at `cuts`
    /// (and at the end), checking after each piece that the posts read so
    /// far are the whole parse's first ones.
    fn arrive(body: &[u8], cuts: &[usize]) -> PostsReader {
        let whole = PostHour::parse(&decoded(body), day(), 8).ok();
        let mut r = PostsReader::arriving(day(), 8);
        let mut ends: Vec<usize> = cuts.iter().map(|&c| c.min(body.len())).collect();
        ends.sort_unstable();
        ends.push(body.len());
        for end in ends {
            r.feed(&body[..end]);
            if let Some(whole) = &whole {
                assert_eq!(r.posts(), &whole.posts[..r.posts().len()], "cut at {end}");
            }
        }
        r
    }

    /// The body a browser decodes from `bytes` (`client::fetch_text`).
    fn decoded(bytes: &[u8]) -> String {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        String::from_utf8_lossy(bytes).into_owned()
    }

    /// The hour read while arriving, finished as a small body is: at once,
    /// the whole parse answering for any problem.
    fn arrived_small(bytes: &[u8], cuts: &[usize]) -> Result<PostHour, DocError> {
        let body = decoded(bytes);
        complete_at_once(arrive(bytes, cuts), body, |b| PostHour::parse(b, day(), 8))
    }

    /// The hour read while arriving, finished as a large body is: in steps.
    fn arrived_large(bytes: &[u8], cuts: &[usize]) -> Result<PostHour, DocError> {
        let mut r = arrive(bytes, cuts);
        let body = decoded(bytes);
        while !r.catch_up(&body) {}
        r.complete(body)?;
        while !r.done() {
            r.read(2)?;
        }
        r.finish()
    }

    /// `n` posts in an hour, with a byte-order mark when `bom`.
    fn many(n: usize) -> String {
        let posts: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"id":"p{i}","profile":"P \"{i}\" ü","network":"twitter","media":"text","text":"{{[}}]","due_at":"2016-08-03T08:{:02}:00Z","status":"pending"}}"#,
                    i % 60
                )
            })
            .collect();
        format!(
            r#"{{"date":"2016-08-03", "hour":8,"posts":[ {} ]}}"#,
            posts.join(" ,\n")
        )
    }

    #[test]
    fn arriving_in_any_pieces_reads_as_a_whole_parse() {
        for body in [GOOD.to_owned(), many(40), format!("\u{feff}{}", many(5))] {
            let bytes = body.as_bytes();
            let whole = PostHour::parse(&decoded(bytes), day(), 8).unwrap();
            for piece in [1, 2, 3, 7, 64, 500, bytes.len()] {
                let cuts: Vec<usize> = (1..=bytes.len() / piece).map(|k| k * piece).collect();
                let r = arrive(bytes, &cuts);
                // Every post was read while the body arrived ...
                assert_eq!(r.read_so_far(), whole.posts.len(), "pieces of {piece}");
                // ... and is kept when the whole body is in.
                let mut kept = arrive(bytes, &cuts);
                kept.complete(decoded(bytes)).unwrap();
                assert_eq!(kept.read_so_far(), whole.posts.len(), "pieces of {piece}");
                assert_eq!(arrived_small(bytes, &cuts).unwrap(), whole);
                assert_eq!(arrived_large(bytes, &cuts).unwrap(), whole);
            }
        }
    }

    #[test]
    fn broken_data_arriving_fails_as_it_does_whole() {
        let doc = "posts/2016-08-03/08.json";
        let mut bodies: Vec<Vec<u8>> = [
            GOOD.replace("\"status\":\"pending\"", "\"status\":\"queued\""),
            GOOD.replace("08:59:59Z", "09:00:00Z"),
            GOOD.replace("\"hour\":8", "\"hour\":9"),
            GOOD.replace("\"id\":\"u_2\"", "\"id\":2"),
            GOOD.replace("\"date\":\"2016-08-03\"", "\"date\":\"2016-08-04\"")
                .replace("\"id\":\"u_2\"", "\"id\":2"),
            GOOD.replace("]}", "],}"),
            GOOD.replace("]}", "]} x"),
            GOOD.replace("]}", "]"),
            GOOD.replace("{\"id\":\"u_3\"", "3,{\"id\":\"u_3\""),
            format!("[{GOOD}]"),
            GOOD.replace("\"posts\"", "\"po\\u0073ts\""),
            GOOD.replace("New roast", r"New \ud800roast"),
            GOOD.replace("\"posts\":[", "\"posts\":[], \"posts\":["),
        ]
        .into_iter()
        .map(String::into_bytes)
        .collect();
        // Bytes that are not UTF-8 in the second post, and after the list.
        let at = GOOD.find("\"hi\"").unwrap() + 2;
        let mut bad = GOOD.as_bytes().to_vec();
        bad.insert(at, 0xff);
        bodies.push(bad);
        let mut bad = GOOD.as_bytes().to_vec();
        bad.splice(bad.len() - 1..bad.len() - 1, [0xff]);
        bodies.push(bad);
        for bytes in &bodies {
            let whole = PostHour::parse(&decoded(bytes), day(), 8).map_err(|e| e.to_string());
            let stepped = PostsReader::new(decoded(bytes), day(), 8)
                .and_then(|mut r| {
                    while !r.done() {
                        r.read(2)?;
                    }
                    r.finish()
                })
                .map_err(|e| e.to_string());
            for piece in [1, 5, 33, bytes.len()] {
                let cuts: Vec<usize> = (1..=bytes.len() / piece).map(|k| k * piece).collect();
                let small = arrived_small(bytes, &cuts).map_err(|e| e.to_string());
                assert_eq!(small, whole, "{:?}", String::from_utf8_lossy(bytes));
                let large = arrived_large(bytes, &cuts).map_err(|e| e.to_string());
                assert_eq!(large, stepped, "{:?}", String::from_utf8_lossy(bytes));
            }
            if let Err(e) = &whole {
                assert!(e.starts_with(doc), "{e}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// Any body cut anywhere: the same answer as a whole parse.
        #[test]
        fn arriving_mutated_hours_reads_as_a_whole_parse(
            n in 0usize..6,
            at in 0usize..2000,
            cut in 0usize..8,
            insert in proptest::sample::select(vec!["", "{", "}", "[", "]", ",", "\"", "\\", ":", "{}", "null", "\"posts\":[", "\\ud800"]),
            cuts in proptest::collection::vec(0usize..2000, 0..12),
        ) {
            let seed = many(n);
            let at = at.min(seed.len());
            let end = (at + cut).min(seed.len());
            let mut bytes = seed.as_bytes()[..at].to_vec();
            bytes.extend_from_slice(insert.as_bytes());
            bytes.extend_from_slice(&seed.as_bytes()[end..]);
            let whole = PostHour::parse(&decoded(&bytes), day(), 8).map_err(|e| e.to_string());
            let small = arrived_small(&bytes, &cuts).map_err(|e| e.to_string());
            proptest::prop_assert_eq!(&small, &whole);
            // Read in steps after a check of the text around the posts
            // only: the same hour, or a failure where the whole parse fails.
            let large = arrived_large(&bytes, &cuts).map_err(|e| e.to_string());
            proptest::prop_assert_eq!(large.ok(), whole.ok());
        }
    }

    #[test]
    fn a_body_told_of_at_once_is_looked_through_a_piece_at_a_time() {
        let body = many(16_000);
        assert!(body.len() > 2 * FIND_PER_FEED, "{}", body.len());
        let whole = PostHour::parse(&body, day(), 8).unwrap();
        let mut r = PostsReader::arriving(day(), 8);
        r.feed(body.as_bytes());
        let finder = r.arriving.as_ref().unwrap();
        assert_eq!(finder.looked(), FIND_PER_FEED);
        assert!(!finder.found_all());
        let mut turns = 0;
        while !r.catch_up(&body) {
            turns += 1;
        }
        assert_eq!(turns, body.len().div_ceil(FIND_PER_FEED) - 1);
        assert!(r.arriving.as_ref().unwrap().found_all());
        r.complete(body).unwrap();
        while !r.done() {
            r.read(500).unwrap();
        }
        assert_eq!(r.finish().unwrap(), whole);
        // Nothing more to look through in a body looked through as it
        // arrived.
        let mut r = PostsReader::arriving(day(), 8);
        r.feed(GOOD.as_bytes());
        assert!(r.catch_up(GOOD));
    }

    #[test]
    fn the_text_around_the_posts_is_checked_where_the_posts_stand() {
        let body = r#"{"date":"2016-08-03","hour":8,"posts":[ {"a":1} ,{"b":[{}]}]}"#;
        let span = |item: &str| {
            let start = body.find(item).unwrap();
            start..start + item.len()
        };
        let items = [span(r#"{"a":1}"#), span(r#"{"b":[{}]}"#)];
        assert_eq!(
            hour_around_posts(body, &items),
            Some(("2016-08-03".to_owned(), 8))
        );
        // Spans that are not the list's items, all of them, in order.
        let inner = span("{}");
        for wrong in [
            vec![items[0].clone()],
            vec![items[1].clone(), items[0].clone()],
            vec![items[0].clone(), inner],
            vec![items[0].clone(), items[1].start..items[1].end - 1],
            vec![items[0].start + 1..items[0].end, items[1].clone()],
        ] {
            assert_eq!(hour_around_posts(body, &wrong), None, "{wrong:?}");
        }
        // Broken around the posts.
        let broken = body.replace("]}", "],}");
        assert_eq!(hour_around_posts(&broken, &items), None);
    }

    #[test]
    fn refuses_more_posts_than_it_lists() {
        let post = r#"{"id":"x","profile":"","network":"n","media":"text","text":"","due_at":"2016-08-03T08:00:00Z","status":"pending"}"#;
        let body = format!(
            r#"{{"date":"2016-08-03","hour":8,"posts":[{}]}}"#,
            vec![post; MAX_POSTS + 1].join(",")
        );
        let want = "posts/2016-08-03/08.json: posts: 250,001 posts, more than the 250,000 Pulse lists for one hour";
        assert_eq!(
            PostsReader::new(body.clone(), day(), 8)
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some(want)
        );
        assert_eq!(
            PostHour::parse(&body, day(), 8).unwrap_err().to_string(),
            want
        );
    }

    #[test]
    fn unpaired_surrogates_in_text_show_as_replacement_characters() {
        let body = GOOD.replace("New roast", r"New \ud800roast");
        let h = PostHour::parse(&body, day(), 8).unwrap();
        assert_eq!(h.posts[0].text, "New \u{fffd}roast <b>not bold</b>");
    }
}
