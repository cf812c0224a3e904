//! The queue view's model: filter, search, sort and count the posts of an
//! hour (tens of thousands of them) without cloning a single post.
//!
//! # Contract
//!
//! - Everything works on `u32` indices into the hour's `&[Post]`. An index
//!   with no post behind it (an index built for other posts) is dropped by
//!   the filters and sorted last; nothing here panics on any input.
//! - [`QueueIndex::new`] lower-cases every post's profile and text once per
//!   document, so a search keystroke is one substring scan per post.
//!   Matching is case-insensitive by Unicode lower-casing of each character
//!   (with final `ς` read as `σ`); it is not full case folding (`ß` does
//!   not match `ss`) and does not ignore accents. The search text is
//!   trimmed; an empty one matches everything. Profile and text are
//!   searched separately, so a match never spans the two.
//! - A [`QueueFilter`] keeps a post when every part matches: an empty set
//!   means "any"; `late_90s` keeps only posts **sent** with a delay of 90 s
//!   or more (`delay_ms ≥ 90 000`); `minute` is the minute of the hour of
//!   `due_at` (0–59).
//! - [`QueueSort`] orders by one key in either direction, with ties broken
//!   by `id` then by index, ascending, so the order is total and
//!   deterministic. Missing values stay last in both directions: posts
//!   with no `media_bytes` for `size`; for `delay`, sent posts come first
//!   (by delay), then failed posts, then pending ones, each of those two
//!   groups by due time. `network`, `media` and `status` sort by their
//!   names; `profile` by its lower-cased form.
//!
//! # Example
//!
//! ```
//! use pulse::model::queue::{QueueFilter, QueueIndex, QueueSort};
//! # let posts: Vec<pulse::api::Post> = Vec::new();
//! let index = QueueIndex::new(&posts); // once per document
//! let filter = QueueFilter { search: "coffee".into(), late_90s: true, ..QueueFilter::default() };
//! let mut rows = index.filter(&posts, &filter); // on each keystroke
//! index.sort(&posts, &mut rows, QueueSort::parse("-delay").unwrap_or_default());
//! ```

use crate::api::{Media, Post, PostStatus};
use crate::model::choice::Choice;
use crate::model::sort::{present_first, Direction};
use std::cmp::Ordering;

/// The delay at which a sent post counts as "90 s or more late", in ms.
pub const LATE_MS: i64 = 90_000;

/// Whether `post` was sent 90 s or more after it was due.
pub fn is_late_90s(post: &Post) -> bool {
    post.status == PostStatus::Sent && post.delay_ms().is_some_and(|d| d >= LATE_MS)
}

/// The minute of the hour `post` was due, 0–59.
pub fn minute_of_hour(post: &Post) -> u8 {
    // `minute_of_day` is below 1440, so the remainder fits.
    u8::try_from(post.due_at.minute_of_day() % 60).unwrap_or(0)
}

/// Appends `s` lower-cased character by character (final `ς` as `σ`), the
/// same way for the haystacks and the search text.
fn push_folded(out: &mut String, s: &str) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
        return;
    }
    out.extend(
        s.chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c == 'ς' { 'σ' } else { c }),
    );
}

/// One post's lower-cased profile (`start..mid`) and text (`mid..end`) in
/// [`QueueIndex::folded`].
#[derive(Clone, Copy, Debug, Default)]
struct Span {
    start: usize,
    mid: usize,
    end: usize,
}

/// Search haystacks of one hour's posts, built once per document. Only a
/// search and the profile sort read them ([`QueueIndex::needed`]): the
/// default index, with none, serves every other sort and filter.
#[derive(Clone, Debug, Default)]
pub struct QueueIndex {
    /// Every post's lower-cased profile and text, one after the other.
    folded: String,
    spans: Vec<Span>,
}

impl QueueIndex {
    /// Lower-cases the profile and text of every post.
    pub fn new(posts: &[Post]) -> Self {
        let bytes = posts.iter().map(|p| p.profile.len() + p.text.len()).sum();
        let mut folded = String::with_capacity(bytes);
        let spans = posts
            .iter()
            .map(|p| {
                let start = folded.len();
                push_folded(&mut folded, &p.profile);
                let mid = folded.len();
                push_folded(&mut folded, &p.text);
                Span {
                    start,
                    mid,
                    end: folded.len(),
                }
            })
            .collect();
        Self { folded, spans }
    }

    /// Whether `sort` or `filter` reads the folded text (the default
    /// index serves the others).
    pub fn needed(sort: QueueSort, filter: &QueueFilter) -> bool {
        sort.key == SortKey::Profile || filter.searches()
    }

    /// Number of posts indexed.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether no post is indexed.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn span(&self, i: usize) -> Span {
        self.spans.get(i).copied().unwrap_or_default()
    }

    /// Post `i`'s lower-cased profile ("" when not indexed).
    fn profile_key(&self, i: usize) -> &str {
        let s = self.span(i);
        self.folded.get(s.start..s.mid).unwrap_or("")
    }

    /// Whether post `i`'s profile or text contains `needle` (already folded).
    fn contains(&self, i: usize, needle: &str) -> bool {
        let s = self.span(i);
        let part =
            |r: std::ops::Range<usize>| self.folded.get(r).is_some_and(|h| h.contains(needle));
        part(s.start..s.mid) || part(s.mid..s.end)
    }

    /// The indices, in document order, of the posts `filter` keeps.
    pub fn filter(&self, posts: &[Post], filter: &QueueFilter) -> Vec<u32> {
        let needle = filter.needle();
        posts
            .iter()
            .enumerate()
            .filter(|&(i, p)| {
                filter.matches_fields(p) && (needle.is_empty() || self.contains(i, &needle))
            })
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect()
    }

    /// Keeps only the indices in `ids` whose posts `filter` keeps (and that
    /// exist), in their order: a cheaper [`QueueIndex::filter`] when the
    /// new filter only narrows the last one (e.g. one more letter typed).
    pub fn refine(&self, posts: &[Post], filter: &QueueFilter, ids: &mut Vec<u32>) {
        let needle = filter.needle();
        ids.retain(|&id| {
            let i = id as usize;
            posts.get(i).is_some_and(|p| {
                filter.matches_fields(p) && (needle.is_empty() || self.contains(i, &needle))
            })
        });
    }

    /// Sorts `ids` by `sort` (see the module docs for the order).
    pub fn sort(&self, posts: &[Post], ids: &mut [u32], sort: QueueSort) {
        let by = |a: u32, b: u32| self.compare(posts, a, b, sort);
        if sort.key != SortKey::Due {
            sort_ids(ids, &by);
            return;
        }
        // The order of every first load: the due times, plain integers,
        // first (reversed for a descending sort, posts missing last);
        // then each run of posts due at the same moment (thousands on the
        // hour) by the rest of the order, the ids' strings. The due times
        // are read into one compact list first: the sort then compares
        // neighbouring integers, not posts scattered over megabytes.
        let keys: Vec<i64> = posts
            .iter()
            .map(|p| match sort.dir {
                Direction::Ascending => p.due_at.0,
                Direction::Descending => p.due_at.0.saturating_neg(),
            })
            .collect();
        let due = |i: &u32| match keys.get(*i as usize) {
            Some(&key) => (false, key),
            None => (true, 0),
        };
        sort_ids(ids, &|a, b| due(&a).cmp(&due(&b)));
        // Within a run the ids decide: most pairs by their first bytes,
        // read into one compact list too ([`id_prefix`]).
        let prefixes: Vec<u64> = posts.iter().map(|p| id_prefix(&p.id)).collect();
        let prefix = |i: u32| prefixes.get(i as usize).copied().unwrap_or(u64::MAX);
        for run in ids.chunk_by_mut(|a, b| due(a) == due(b)) {
            sort_run(run, &prefix, &by);
        }
    }

    /// The order of [`QueueIndex::sort`]: a total order on indices.
    fn compare(&self, posts: &[Post], a: u32, b: u32, sort: QueueSort) -> Ordering {
        let (ia, ib) = (a as usize, b as usize);
        let (pa, pb) = match (posts.get(ia), posts.get(ib)) {
            (Some(pa), Some(pb)) => (pa, pb),
            (Some(_), None) => return Ordering::Less,
            (None, Some(_)) => return Ordering::Greater,
            (None, None) => return a.cmp(&b),
        };
        let dir = sort.dir;
        let primary = match sort.key {
            SortKey::Due => dir.apply(pa.due_at.cmp(&pb.due_at)),
            SortKey::Profile => dir.apply(
                self.profile_key(ia)
                    .cmp(self.profile_key(ib))
                    .then_with(|| pa.profile.cmp(&pb.profile)),
            ),
            SortKey::Network => dir.apply(pa.network.cmp(&pb.network)),
            SortKey::Media => dir.apply(pa.media.as_str().cmp(pb.media.as_str())),
            SortKey::Status => dir.apply(pa.status.as_str().cmp(pb.status.as_str())),
            SortKey::Size => present_first(pa.media_bytes, pb.media_bytes, dir, Ord::cmp),
            SortKey::Delay => delay_group(pa).cmp(&delay_group(pb)).then_with(|| {
                match (pa.delay_ms(), pb.delay_ms()) {
                    (Some(da), Some(db)) => dir.apply(da.cmp(&db)),
                    _ => pa.due_at.cmp(&pb.due_at),
                }
            }),
        };
        primary
            .then_with(|| pa.id.cmp(&pb.id))
            .then_with(|| a.cmp(&b))
    }
}

/// Indices below this fit beside an id's prefix in one `u64` ([`sort_run`]).
const PACKED_INDEX: u32 = 1 << 20;

/// Sorts a run of posts due at the same moment by `by`, which orders
/// them by id (then index). A long run (thousands of posts on the hour)
/// is sorted as plain integers first, each an id's prefix beside the
/// post's index (an integer sort is several times faster than one that
/// calls the order for each pair); only posts whose prefixes agree are
/// then put in order by `by`.
fn sort_run(run: &mut [u32], prefix: &dyn Fn(u32) -> u64, by: &dyn Fn(u32, u32) -> Ordering) {
    if run.len() < 64 || run.iter().any(|&i| i >= PACKED_INDEX) {
        sort_ids(run, &|a, b| {
            prefix(a).cmp(&prefix(b)).then_with(|| by(a, b))
        });
        return;
    }
    let high = !u64::from(PACKED_INDEX - 1);
    let mut packed: Vec<u64> = run
        .iter()
        .map(|&i| (prefix(i) & high) | u64::from(i))
        .collect();
    packed.sort_unstable();
    for (to, key) in run.iter_mut().zip(&packed) {
        // The low bits hold the index, below `PACKED_INDEX`.
        *to = (key & !high) as u32;
    }
    let mut at = 0;
    for same in packed.chunk_by(|a, b| a & high == b & high) {
        if let Some(part) = run.get_mut(at..at + same.len()) {
            if part.len() > 1 {
                sort_ids(part, by);
            }
        }
        at += same.len();
    }
}

/// The first eight bytes of `id`, big-endian, padded with zeros: when two
/// ids' prefixes differ they order as the ids do (the first byte that
/// differs decides, and a shorter id pads with the smallest byte); when
/// they are equal the ids themselves decide.
fn id_prefix(id: &str) -> u64 {
    let mut bytes = [0u8; 8];
    for (to, from) in bytes.iter_mut().zip(id.as_bytes()) {
        *to = *from;
    }
    u64::from_be_bytes(bytes)
}

/// Sorts `ids` by `order`. Every order here is total (ties end on the
/// index) or, for the due times, refined run by run afterwards, so an
/// unstable sort gives the stable sort's result; one sort behind one
/// comparator type keeps a single copy of the sorting code in the
/// module (a stable and an unstable sort, each per closure, were some
/// 4 KB more on the Queue's way to its first rows).
fn sort_ids(ids: &mut [u32], order: &dyn Fn(u32, u32) -> Ordering) {
    ids.sort_unstable_by(|a, b| order(*a, *b));
}

/// Sent posts first, then failed, then pending (a "sent" post without a
/// delay, impossible after validation, goes with the failed ones).
fn delay_group(p: &Post) -> u8 {
    match (p.status, p.delay_ms()) {
        (PostStatus::Sent, Some(_)) => 0,
        (PostStatus::Pending, _) => 2,
        _ => 1,
    }
}

/// Which posts of an hour to show; the default keeps every post.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Statuses to keep; none chosen = all.
    pub status: Choice<PostStatus>,
    /// Networks to keep; none chosen = all.
    pub networks: Choice<String>,
    /// Media to keep; none chosen = all.
    pub media: Choice<Media>,
    /// Keep only posts sent 90 s or more late.
    pub late_90s: bool,
    /// Keep only posts due in this minute of the hour (0–59).
    pub minute: Option<u8>,
    /// Case-insensitive text to find in the profile or the text.
    pub search: String,
}

impl QueueFilter {
    /// Whether `post` passes every part of the filter but the search.
    pub fn matches_fields(&self, post: &Post) -> bool {
        self.status.allows(&post.status)
            && self.networks.allows(post.network.as_str())
            && self.media.allows(&post.media)
            && (!self.late_90s || is_late_90s(post))
            && self.minute.is_none_or(|m| minute_of_hour(post) == m)
    }

    /// Whether the filter has a search (which reads the folded text of
    /// [`QueueIndex::new`]).
    pub fn searches(&self) -> bool {
        !self.search.trim().is_empty()
    }

    /// The search text trimmed and folded like the haystacks (nothing
    /// folded without a search).
    fn needle(&self) -> String {
        let mut n = String::new();
        if self.searches() {
            push_folded(&mut n, self.search.trim());
        }
        n
    }
}

/// A column the queue can be sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Due time.
    #[default]
    Due,
    /// Profile name.
    Profile,
    /// Network.
    Network,
    /// Media kind.
    Media,
    /// Media size.
    Size,
    /// Delay.
    Delay,
    /// Status.
    Status,
}

impl SortKey {
    /// Every key, in column order.
    pub const ALL: [SortKey; 7] = [
        SortKey::Due,
        SortKey::Profile,
        SortKey::Network,
        SortKey::Media,
        SortKey::Size,
        SortKey::Delay,
        SortKey::Status,
    ];

    /// The name in the address (`delay`).
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Due => "due",
            SortKey::Profile => "profile",
            SortKey::Network => "network",
            SortKey::Media => "media",
            SortKey::Size => "size",
            SortKey::Delay => "delay",
            SortKey::Status => "status",
        }
    }

    /// Parses [`SortKey::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A sort of the queue: a key and a direction. The default is `due`
/// ascending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct QueueSort {
    /// The column.
    pub key: SortKey,
    /// Up or down.
    pub dir: Direction,
}

impl QueueSort {
    /// A sort by `key` in direction `dir`.
    pub fn new(key: SortKey, dir: Direction) -> Self {
        Self { key, dir }
    }

    /// Parses the address form: `delay` (ascending) or `-delay`
    /// (descending); `None` for an unknown key.
    pub fn parse(param: &str) -> Option<Self> {
        let (dir, name) = Direction::split_param(param);
        SortKey::parse(name).map(|key| Self { key, dir })
    }

    /// The address form, the inverse of [`QueueSort::parse`].
    pub fn to_param(self) -> String {
        format!("{}{}", self.dir.prefix(), self.key.as_str())
    }
}

/// The counts behind the queue's hooks (`posts_count`, `posts_failed`,
/// `posts_pending`, `posts_late_90s`) for the posts shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueCounts {
    /// Posts shown.
    pub posts: usize,
    /// Of them, failed.
    pub failed: usize,
    /// Of them, pending.
    pub pending: usize,
    /// Of them, 90 s or more late.
    pub late_90s: usize,
}

impl QueueCounts {
    /// Counts the posts behind `ids` (indices without a post are skipped).
    pub fn of(posts: &[Post], ids: &[u32]) -> Self {
        ids.iter()
            .filter_map(|&i| posts.get(i as usize))
            .fold(Self::default(), |mut c, p| {
                c.posts += 1;
                c.failed += usize::from(p.status == PostStatus::Failed);
                c.pending += usize::from(p.status == PostStatus::Pending);
                c.late_90s += usize::from(is_late_90s(p));
                c
            })
    }
}

/// A size in decimal units for people: `"512 B"`, `"8.4 KB"`, `"840 KB"`,
/// `"15.2 MB"` (one decimal under 100, none above), `"—"` when unknown.
pub fn human_size(bytes: Option<u64>) -> String {
    const UNITS: [&str; 6] = ["KB", "MB", "GB", "TB", "PB", "EB"];
    let Some(bytes) = bytes else {
        return "—".to_owned();
    };
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1000.0;
    for (i, unit) in UNITS.iter().enumerate() {
        // Move up a unit when rounding would print 1000 of this one.
        if v.round() < 1000.0 || i + 1 == UNITS.len() {
            return if v < 99.95 {
                format!("{} {unit}", crate::format::fixed(v, 1))
            } else {
                format!("{} {unit}", crate::format::fixed(v, 0))
            };
        }
        v /= 1000.0;
    }
    format!("{bytes} B")
}

/// A delay for people, truncated to whole seconds (so `+1 m 29 s` is
/// never a post counted as 90 s late): `"on time"` for 0 (or early),
/// `"+<1 s"`, `"+12 s"`, `"+1 m 42 s"`, `"+2 h 5 m"`.
pub fn format_delay_ms(ms: i64) -> String {
    if ms <= 0 {
        return "on time".to_owned();
    }
    if ms < 1000 {
        return "+<1 s".to_owned();
    }
    let s = ms / 1000;
    match s {
        0..=59 => format!("+{s} s"),
        60..=3599 => format!("+{} m {} s", s / 60, s % 60),
        _ => format!("+{} h {} m", s / 3600, s / 60 % 60),
    }
}

/// The delay column of a post: its delay (see [`format_delay_ms`]),
/// `"failed"` or `"pending"`.
pub fn delay_text(post: &Post) -> String {
    match (post.status, post.delay_ms()) {
        (PostStatus::Sent, Some(ms)) => format_delay_ms(ms),
        (PostStatus::Sent, None) => "sent".to_owned(),
        (status, _) => status.as_str().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Timestamp;
    use proptest::prelude::*;

    /// 2016-08-03T08:00:00Z.
    const HOUR: i64 = 1_470_211_200_000;

    #[allow(clippy::too_many_arguments)] // one hand-made row per call reads best
    fn post(
        id: &str,
        profile: &str,
        network: &str,
        media: Media,
        bytes: Option<u64>,
        due_s: i64,
        sent: Option<i64>,
        status: PostStatus,
    ) -> Post {
        let due_at = Timestamp(HOUR + due_s * 1000);
        Post {
            id: id.into(),
            profile: profile.into(),
            network: network.into(),
            media,
            media_bytes: bytes,
            text: format!("post {id}"),
            thumbnail_url: None,
            due_at,
            sent_at: sent.map(|ms| Timestamp(due_at.0 + ms)),
            status,
            error: None,
        }
    }

    fn posts() -> Vec<Post> {
        use Media::*;
        use PostStatus::*;
        vec![
            // 0: due 08:00:00, +1 m 42 s
            post(
                "u_5",
                "Acme Coffee",
                "instagram",
                Video,
                Some(15_234_567),
                0,
                Some(102_000),
                Sent,
            ),
            // 1: due 08:00:00, failed
            post("u_2", "bob's bikes", "twitter", Text, None, 0, None, Failed),
            // 2: due 08:05:00, +12 s
            post(
                "u_3",
                "Café Ünïcode",
                "facebook",
                Image,
                Some(840_000),
                300,
                Some(12_000),
                Sent,
            ),
            // 3: due 08:30:00, pending
            post(
                "u_4",
                "Zed",
                "twitter",
                Link,
                Some(999),
                1800,
                None,
                Pending,
            ),
            // 4: due 08:00:00, +89.999 s: not late
            post(
                "u_1",
                "acme coffee",
                "instagram",
                Image,
                Some(2_000_000),
                0,
                Some(89_999),
                Sent,
            ),
            // 5: due 08:59:00, +90 s exactly: late
            post(
                "u_6",
                "Ops",
                "facebook",
                Video,
                Some(52_000_000),
                3540,
                Some(90_000),
                Sent,
            ),
            // 6: due 08:00:00, early (delay 0)
            post("u_0", "Ops", "twitter", Text, None, 0, Some(-5_000), Sent),
            // 7: due 08:01:00, failed
            post("u_7", "Zed", "google", Image, Some(10), 60, None, Failed),
        ]
    }

    fn ids(posts: &[Post], idx: &[u32]) -> Vec<String> {
        idx.iter().map(|&i| posts[i as usize].id.clone()).collect()
    }

    fn sorted(param: &str) -> Vec<String> {
        let p = posts();
        let index = QueueIndex::new(&p);
        let mut all = index.filter(&p, &QueueFilter::default());
        index.sort(&p, &mut all, QueueSort::parse(param).unwrap());
        ids(&p, &all)
    }

    #[test]
    fn sorts_each_key_both_ways() {
        // Due ties (08:00:00 × 4) are broken by id.
        assert_eq!(
            sorted("due"),
            ["u_0", "u_1", "u_2", "u_5", "u_7", "u_3", "u_4", "u_6"]
        );
        assert_eq!(
            sorted("-due"),
            ["u_6", "u_4", "u_3", "u_7", "u_0", "u_1", "u_2", "u_5"]
        );
        // Profile is case-insensitive: "acme coffee" (u_1) ties "Acme Coffee" (u_5)
        // in lower case; the original text breaks the tie ("A" < "a").
        assert_eq!(
            sorted("profile"),
            ["u_5", "u_1", "u_2", "u_3", "u_0", "u_6", "u_4", "u_7"]
        );
        assert_eq!(
            sorted("-profile"),
            ["u_4", "u_7", "u_0", "u_6", "u_3", "u_2", "u_1", "u_5"]
        );
        assert_eq!(
            sorted("network"),
            ["u_3", "u_6", "u_7", "u_1", "u_5", "u_0", "u_2", "u_4"]
        );
        assert_eq!(
            sorted("-network"),
            ["u_0", "u_2", "u_4", "u_1", "u_5", "u_7", "u_3", "u_6"]
        );
        // Media by name: image, link, text, video.
        assert_eq!(
            sorted("media"),
            ["u_1", "u_3", "u_7", "u_4", "u_0", "u_2", "u_5", "u_6"]
        );
        assert_eq!(
            sorted("-media"),
            ["u_5", "u_6", "u_0", "u_2", "u_4", "u_1", "u_3", "u_7"]
        );
        // Size: no size last both ways.
        assert_eq!(
            sorted("size"),
            ["u_7", "u_4", "u_3", "u_1", "u_5", "u_6", "u_0", "u_2"]
        );
        assert_eq!(
            sorted("-size"),
            ["u_6", "u_5", "u_1", "u_3", "u_4", "u_7", "u_0", "u_2"]
        );
        // Delay: sent by delay, then failed by due, then pending.
        assert_eq!(
            sorted("delay"),
            ["u_0", "u_3", "u_1", "u_6", "u_5", "u_2", "u_7", "u_4"]
        );
        assert_eq!(
            sorted("-delay"),
            ["u_5", "u_6", "u_1", "u_3", "u_0", "u_2", "u_7", "u_4"]
        );
        // Status by name: failed, pending, sent.
        assert_eq!(
            sorted("status"),
            ["u_2", "u_7", "u_4", "u_0", "u_1", "u_3", "u_5", "u_6"]
        );
        assert_eq!(
            sorted("-status"),
            ["u_0", "u_1", "u_3", "u_5", "u_6", "u_4", "u_2", "u_7"]
        );
    }

    #[test]
    fn sort_params_round_trip() {
        for key in SortKey::ALL {
            for dir in [Direction::Ascending, Direction::Descending] {
                let s = QueueSort::new(key, dir);
                assert_eq!(QueueSort::parse(&s.to_param()), Some(s));
            }
        }
        assert_eq!(QueueSort::parse("-delay").unwrap().to_param(), "-delay");
        assert_eq!(QueueSort::parse("bogus"), None);
        assert_eq!(QueueSort::parse("--delay"), None);
        assert_eq!(QueueSort::parse(""), None);
        assert_eq!(QueueSort::default().to_param(), "due");
    }

    fn kept(filter: &QueueFilter) -> Vec<String> {
        let p = posts();
        ids(&p, &QueueIndex::new(&p).filter(&p, filter))
    }

    #[test]
    fn filters_combine() {
        let f = QueueFilter {
            status: [PostStatus::Sent].into(),
            networks: ["instagram".to_owned(), "twitter".to_owned()].into(),
            ..QueueFilter::default()
        };
        assert_eq!(kept(&f), ["u_5", "u_1", "u_0"]);
        let f = QueueFilter {
            media: [Media::Image].into(),
            minute: Some(0),
            ..f
        };
        assert_eq!(kept(&f), ["u_1"]);
        let f = QueueFilter {
            minute: Some(59),
            ..QueueFilter::default()
        };
        assert_eq!(kept(&f), ["u_6"]);
        let f = QueueFilter {
            minute: Some(60),
            ..QueueFilter::default()
        };
        assert!(kept(&f).is_empty());
        let f = QueueFilter {
            status: [PostStatus::Failed, PostStatus::Pending].into(),
            search: "zed".into(),
            ..QueueFilter::default()
        };
        assert_eq!(kept(&f), ["u_4", "u_7"]);
    }

    #[test]
    fn late_boundary_is_90_seconds() {
        let p = posts();
        assert!(!is_late_90s(&p[4])); // +89.999 s
        assert!(is_late_90s(&p[5])); // +90 s
        assert!(is_late_90s(&p[0])); // +102 s
        let late = QueueFilter {
            late_90s: true,
            ..QueueFilter::default()
        };
        assert_eq!(kept(&late), ["u_5", "u_6"]);
        let index = QueueIndex::new(&p);
        let c = QueueCounts::of(&p, &index.filter(&p, &QueueFilter::default()));
        assert_eq!(
            c,
            QueueCounts {
                posts: 8,
                failed: 2,
                pending: 1,
                late_90s: 2
            }
        );
        // Indices without a post are not counted.
        assert_eq!(QueueCounts::of(&p, &[0, 99]).posts, 1);
    }

    #[test]
    fn search_is_case_insensitive_and_unicode() {
        let mut p = posts();
        p[0].text = "New roast is in ☕ <b>not bold</b>".into();
        p[3].text = "ΟΔΟΣ Straße 🚲".into();
        let index = QueueIndex::new(&p);
        let find = |s: &str| {
            let f = QueueFilter {
                search: s.into(),
                ..QueueFilter::default()
            };
            ids(&p, &index.filter(&p, &f))
        };
        assert_eq!(find("ACME"), ["u_5", "u_1"]);
        assert_eq!(find("  acme coffee "), ["u_5", "u_1"]);
        assert_eq!(find("CAFÉ ÜNÏ"), ["u_3"]);
        assert_eq!(find("café"), ["u_3"]);
        assert_eq!(find("cafe"), Vec::<String>::new()); // accents count
        assert_eq!(find("☕"), ["u_5"]);
        assert_eq!(find("🚲"), ["u_4"]);
        assert_eq!(find("<B>NOT"), ["u_5"]);
        assert_eq!(find("οδος"), ["u_4"]); // final sigma typed in lower case
        assert_eq!(find("ΟΔΟΣ"), ["u_4"]);
        assert_eq!(find("STRASSE"), Vec::<String>::new()); // no full case folding
        assert_eq!(find("STRAßE"), ["u_4"]);
        // Profile and text are searched apart: "zed" + "post" never joins.
        assert_eq!(find("zedpost"), Vec::<String>::new());
        assert_eq!(find("").len(), 8);
        // Refining keeps order and narrows.
        let mut rows = index.filter(&p, &QueueFilter::default());
        index.refine(
            &p,
            &QueueFilter {
                search: "ops".into(),
                ..QueueFilter::default()
            },
            &mut rows,
        );
        assert_eq!(ids(&p, &rows), ["u_6", "u_0"]);
    }

    #[test]
    fn human_text() {
        assert_eq!(human_size(Some(15_234_567)), "15.2 MB");
        assert_eq!(human_size(Some(840_000)), "840 KB");
        assert_eq!(human_size(Some(8_400)), "8.4 KB");
        assert_eq!(human_size(Some(999)), "999 B");
        assert_eq!(human_size(Some(99_960)), "100 KB");
        assert_eq!(human_size(Some(999_950)), "1.0 MB");
        assert_eq!(human_size(Some(u64::MAX)), "18.4 EB");
        assert_eq!(human_size(None), "—");
        assert_eq!(format_delay_ms(0), "on time");
        assert_eq!(format_delay_ms(400), "+<1 s");
        assert_eq!(format_delay_ms(12_000), "+12 s");
        assert_eq!(format_delay_ms(102_000), "+1 m 42 s");
        assert_eq!(format_delay_ms(89_999), "+1 m 29 s");
        assert_eq!(format_delay_ms(7_500_000), "+2 h 5 m");
        let p = posts();
        let texts: Vec<String> = p.iter().map(delay_text).collect();
        assert_eq!(
            texts,
            [
                "+1 m 42 s",
                "failed",
                "+12 s",
                "pending",
                "+1 m 29 s",
                "+1 m 30 s",
                "on time",
                "failed"
            ]
        );
    }

    #[test]
    fn timing_of_a_big_hour() {
        let base = posts();
        let many: Vec<Post> = (0..50_000)
            .map(|i| {
                let mut p = base[i % base.len()].clone();
                p.id = format!("u_{i:06}");
                p.profile = format!("{} {}", p.profile, i % 977);
                p.text = format!("Scheduled post number {i} about coffee, bikes and more ☕");
                p.due_at = Timestamp(HOUR + (i as i64 * 7919) % 3_600_000);
                p
            })
            .collect();
        let t = std::time::Instant::now();
        let index = QueueIndex::new(&many);
        let built = t.elapsed();
        let t = std::time::Instant::now();
        let f = QueueFilter {
            search: "NUMBER 4".into(),
            ..QueueFilter::default()
        };
        let mut rows = index.filter(&many, &f);
        let searched = t.elapsed();
        let t = std::time::Instant::now();
        let mut all = index.filter(&many, &QueueFilter::default());
        index.sort(&many, &mut all, QueueSort::parse("-delay").unwrap());
        let sorted = t.elapsed();
        index.sort(&many, &mut rows, QueueSort::parse("profile").unwrap());
        println!(
            "50k posts: index {built:?}, search {searched:?} ({} rows), sort by -delay {sorted:?}",
            rows.len()
        );
        assert_eq!(all.len(), 50_000);
    }

    fn arb_post() -> impl Strategy<Value = Post> {
        (
            0u8..6,
            prop::sample::select(vec!["Acme", "acme", "Zed", "Ünï", "☕"]),
            prop::sample::select(vec!["twitter", "facebook"]),
            0..Media::ALL.len(),
            prop::option::of(0u64..5_000_000),
            prop_oneof![Just(0i64), Just(60), 0i64..3600],
            prop::option::of(-2_000i64..200_000),
            0..PostStatus::ALL.len(),
        )
            .prop_map(|(id, profile, network, m, bytes, due_s, delay, s)| {
                let status = PostStatus::ALL[s];
                let sent = if status == PostStatus::Sent {
                    Some(delay.unwrap_or(0))
                } else {
                    None
                };
                post(
                    &format!("u_{id}"),
                    profile,
                    network,
                    Media::ALL[m],
                    bytes,
                    due_s,
                    sent,
                    status,
                )
            })
    }

    fn arb_filter() -> impl Strategy<Value = QueueFilter> {
        (
            prop::sample::subsequence(PostStatus::ALL.to_vec(), 0..=2),
            prop::sample::subsequence(vec!["twitter".to_owned(), "google".to_owned()], 0..=1),
            prop::sample::subsequence(Media::ALL.to_vec(), 0..=3),
            any::<bool>(),
            prop::option::of(0u8..61),
            prop::sample::select(vec!["", "a", "ACME", "ü", "☕", "post 1", "zz"]),
        )
            .prop_map(
                |(status, networks, media, late_90s, minute, search)| QueueFilter {
                    status: status.into_iter().collect(),
                    networks: networks.into_iter().collect(),
                    media: media.into_iter().collect(),
                    late_90s,
                    minute,
                    search: search.into(),
                },
            )
    }

    proptest! {
        /// Runs of posts due at one moment long enough to be sorted as
        /// packed integers, with ids that share long prefixes, end
        /// early, hold NUL or several-byte characters: the order of
        /// `compare`, strictly.
        #[test]
        fn long_runs_on_the_hour_sort_by_id(
            ids in prop::collection::vec(
                prop::collection::vec(prop::sample::select(vec!["p", "_", "a", "\0", "é", "☕", "p_4cefce29", ""]), 0..6),
                60..300,
            ),
            dues in prop::collection::vec(prop_oneof![Just(0i64), Just(60)], 300),
            desc: bool,
        ) {
            let posts: Vec<Post> = ids
                .iter()
                .zip(&dues)
                .map(|(parts, &due_s)| {
                    post(&parts.concat(), "A", "twitter", Media::Text, None, due_s, None, PostStatus::Pending)
                })
                .collect();
            let index = QueueIndex::default();
            let dir = if desc { Direction::Descending } else { Direction::Ascending };
            let sort = QueueSort::new(SortKey::Due, dir);
            // Two indices with no post behind them sort last.
            let n = posts.len() as u32;
            let mut rows: Vec<u32> = (0..n + 2).rev().collect();
            index.sort(&posts, &mut rows, sort);
            prop_assert_eq!(rows.get(n as usize..), Some(&[n, n + 1][..]));
            for w in rows.windows(2) {
                prop_assert_eq!(index.compare(&posts, w[0], w[1], sort), Ordering::Less);
            }
        }

        #[test]
        fn filter_then_sort_is_an_ordered_subset(
            posts in prop::collection::vec(arb_post(), 0..60),
            filter in arb_filter(),
            key in 0..SortKey::ALL.len(),
            desc: bool,
        ) {
            let index = QueueIndex::new(&posts);
            let sort = QueueSort::new(SortKey::ALL[key], if desc { Direction::Descending } else { Direction::Ascending });
            let mut rows = index.filter(&posts, &filter);
            let kept = rows.clone();
            index.sort(&posts, &mut rows, sort);
            // A permutation of the kept rows, no duplicates, all in range.
            let mut check = rows.clone();
            check.sort_unstable();
            prop_assert_eq!(&check, &kept);
            check.dedup();
            prop_assert_eq!(check.len(), rows.len());
            prop_assert!(rows.iter().all(|&i| (i as usize) < posts.len()));
            // Exactly the posts the filter keeps.
            let needle = filter.search.trim().to_lowercase();
            for (i, p) in posts.iter().enumerate() {
                let found = needle.is_empty()
                    || p.profile.to_lowercase().contains(&needle)
                    || p.text.to_lowercase().contains(&needle);
                prop_assert_eq!(kept.contains(&(i as u32)), filter.matches_fields(p) && found);
            }
            // In order, and strictly so (the order is total).
            for w in rows.windows(2) {
                prop_assert_eq!(index.compare(&posts, w[0], w[1], sort), Ordering::Less);
            }
            // Refining the full list gives the same rows.
            let mut refined: Vec<u32> = (0..posts.len() as u32).collect();
            index.refine(&posts, &filter, &mut refined);
            prop_assert_eq!(&refined, &kept);
            // Without a search or the profile sort, the index with no
            // folded text gives the same rows in the same order.
            if !QueueIndex::needed(sort, &filter) {
                let plain = QueueIndex::default();
                let mut same = plain.filter(&posts, &filter);
                plain.sort(&posts, &mut same, sort);
                prop_assert_eq!(same, rows);
            }
        }
    }
}
