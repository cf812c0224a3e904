//! Posts pages (`posts/{day}/{HH}.json`): the kept posts of the post days
//! (`sql/posts.sql`), read from the engine in column batches, put in
//! order of due instant, then input order, and written one hour per
//! document. Every post day gets all 24 hours; an hour without posts is an
//! empty list.
//!
//! Each batch is written as JSON as it arrives, on a helper thread per
//! core, straight from the engine's columns (no copy of a post's texts
//! before its JSON), in the order its values lie in memory; the posts'
//! order needs the whole result, so the pages are put together from that
//! JSON afterwards, and checked by Pulse's own parser and staged on every
//! core at once. Many post days are read in passes of whole days
//! ([`passes`]), so that what is held at once stays bounded.

use crate::engine::batch::{Batch, Ints, Texts};
use crate::engine::Engine;
use crate::instant::{self, Rfc3339, US_PER_DAY};
use crate::publish::{checked, Staging};
use pulse::api::{posts_doc, Day, PostHour};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

/// The posts query's columns, by position (`sql/posts.sql`).
mod col {
    pub const FILE: usize = 0;
    pub const LINE: usize = 1;
    pub const DAY: usize = 2;
    pub const ID: usize = 3;
    pub const PROFILE: usize = 4;
    pub const NETWORK: usize = 5;
    pub const MEDIA: usize = 6;
    pub const MEDIA_BYTES: usize = 7;
    pub const TEXT: usize = 8;
    pub const THUMBNAIL_URL: usize = 9;
    pub const DUE_US: usize = 10;
    pub const SENT_US: usize = 11;
    pub const STATUS: usize = 12;
    pub const ERROR: usize = 13;
}

/// The columns of one batch a post is written from.
struct Columns<'a> {
    id: Texts<'a>,
    profile: Texts<'a>,
    network: Texts<'a>,
    media: Texts<'a>,
    media_bytes: Texts<'a>,
    text: Texts<'a>,
    thumbnail_url: Texts<'a>,
    due_us: Ints<'a>,
    sent_us: Ints<'a>,
    status: Texts<'a>,
    error: Texts<'a>,
}

impl<'a> Columns<'a> {
    fn of(b: &'a Batch) -> Result<Self, String> {
        let text = |i, name| Texts::of(b, i, name);
        Ok(Self {
            id: text(col::ID, "id")?,
            profile: text(col::PROFILE, "profile")?,
            network: text(col::NETWORK, "network")?,
            media: text(col::MEDIA, "media")?,
            media_bytes: text(col::MEDIA_BYTES, "media_bytes")?,
            text: text(col::TEXT, "text")?,
            thumbnail_url: text(col::THUMBNAIL_URL, "thumbnail_url")?,
            due_us: Ints::of(b, col::DUE_US, "due_us")?,
            sent_us: Ints::of(b, col::SENT_US, "sent_us")?,
            status: text(col::STATUS, "status")?,
            error: text(col::ERROR, "error")?,
        })
    }
}

/// A post's place: its hour among the post days' (`slot`), then the
/// order it is listed in (due instant, file, line), then where its values
/// are (`batch`, `row`). Sorting the keys puts every post in its page.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    slot: u32,
    due_us: i64,
    file: i64,
    line: i64,
    batch: u32,
    row: u32,
}

/// One post as the contract writes it, borrowed from its batch.
#[derive(Serialize)]
struct PostDoc<'a> {
    id: &'a str,
    profile: &'a str,
    network: &'a str,
    media: &'a str,
    media_bytes: Option<u64>,
    text: &'a str,
    thumbnail_url: Option<&'a str>,
    due_at: Rfc3339,
    sent_at: Option<Rfc3339>,
    status: &'a str,
    error: Option<&'a str>,
}

impl<'a> PostDoc<'a> {
    /// Row `row` of a batch; `None` without a due instant (never for a
    /// row that has a [`Key`]).
    fn of(c: &Columns<'a>, row: usize) -> Option<Self> {
        Some(PostDoc {
            id: c.id.get(row).unwrap_or_default(),
            profile: c.profile.get(row).unwrap_or_default(),
            network: c.network.get(row).unwrap_or_default(),
            media: c.media.get(row).unwrap_or_default(),
            media_bytes: c.media_bytes.get(row).and_then(|s| s.parse().ok()),
            text: c.text.get(row).unwrap_or_default(),
            thumbnail_url: c.thumbnail_url.get(row),
            due_at: Rfc3339(c.due_us.get(row)?),
            sent_at: c.sent_us.get(row).map(Rfc3339),
            status: c.status.get(row).unwrap_or_default(),
            error: c.error.get(row),
        })
    }
}

/// The posts of one batch as JSON, one after the other, in the batch's
/// order: written as the values lie in memory, then copied into their
/// pages in due order.
struct Written {
    json: Vec<u8>,
    /// Where each row's post ends in `json`.
    ends: Vec<usize>,
}

impl Written {
    fn of(c: &Columns<'_>, rows: usize) -> Result<Self, String> {
        let mut w = Written {
            json: Vec::with_capacity(rows * 320),
            ends: Vec::with_capacity(rows),
        };
        for row in 0..rows {
            if let Some(post) = PostDoc::of(c, row) {
                serde_json::to_writer(&mut w.json, &post).map_err(|e| e.to_string())?;
            }
            w.ends.push(w.json.len());
        }
        w.json.shrink_to_fit();
        Ok(w)
    }

    /// The JSON of row `row`'s post.
    fn post(&self, row: usize) -> Option<&[u8]> {
        let start = match row.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.json.get(start..*self.ends.get(row)?)
    }
}

/// Adds the key of every post of a batch (number `batch`) to `keys`; an
/// error names a post the query should not have returned.
fn add_keys(b: &Batch, batch: u32, days: &[i64], keys: &mut Vec<Key>) -> Result<(), String> {
    let int = |i, name| Ints::of(b, i, name);
    let (file, line) = (int(col::FILE, "file")?, int(col::LINE, "line")?);
    let (day, due) = (int(col::DAY, "day")?, int(col::DUE_US, "due_us")?);
    keys.reserve(b.num_rows());
    for row in 0..b.num_rows() {
        let day = day.get(row).ok_or("posts query: no day")?;
        let due_us = due.get(row).ok_or("posts query: no due_us")?;
        let hour = due_us.rem_euclid(US_PER_DAY) / 3_600_000_000;
        let slot = days
            .binary_search(&day)
            .ok()
            .and_then(|i| u32::try_from(i * 24).ok()?.checked_add(hour as u32))
            .ok_or("posts query: a post outside the post days")?;
        keys.push(Key {
            slot,
            due_us,
            file: file.get(row).ok_or("posts query: no file")?,
            line: line.get(row).ok_or("posts query: no line")?,
            batch,
            row: u32::try_from(row).map_err(|_| "posts query: a batch too large")?,
        });
    }
    Ok(())
}

/// The posts of each of `slots` hours, in order (sorted `keys`).
fn hours(keys: &[Key], slots: usize) -> Vec<&[Key]> {
    let mut rest = keys;
    (0..slots)
        .map(|slot| {
            let n = rest.partition_point(|k| usize::try_from(k.slot).is_ok_and(|s| s == slot));
            let (this, after) = rest.split_at_checked(n).unwrap_or((rest, &[]));
            rest = after;
            this
        })
        .collect()
}

/// The document of an hour: what serde writes for `{date, hour, posts}`,
/// the posts copied from their batches' JSON.
fn document(day: Day, hour: u8, keys: &[Key], written: &[Written]) -> Result<Vec<u8>, String> {
    let size: usize = keys
        .iter()
        .filter_map(|k| written.get(k.batch as usize)?.post(k.row as usize))
        .map(|p| p.len() + 1)
        .sum();
    let mut body = Vec::with_capacity(64 + size);
    body.extend_from_slice(b"{\"date\":");
    serde_json::to_writer(&mut body, &day.to_string()).map_err(|e| e.to_string())?;
    body.extend_from_slice(format!(",\"hour\":{hour},\"posts\":[").as_bytes());
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        let post = written
            .get(k.batch as usize)
            .and_then(|w| w.post(k.row as usize))
            .filter(|p| !p.is_empty())
            .ok_or("posts query: a post went missing")?;
        body.extend_from_slice(post);
    }
    body.extend_from_slice(b"]}");
    Ok(body)
}

/// Writes, checks and stages hour `slot` of `days`.
fn flush(
    staging: &Staging,
    days: &[i64],
    slot: usize,
    keys: &[Key],
    written: &[Written],
) -> Result<(), String> {
    let n = days.get(slot / 24).copied().unwrap_or_default();
    let day = instant::day(n).ok_or_else(|| format!("day number {n} is out of range"))?;
    let hour = (slot % 24) as u8;
    let body = document(day, hour, keys, written)?;
    let text = std::str::from_utf8(&body).map_err(|e| e.to_string())?;
    checked(PostHour::parse(text, day, hour))?;
    staging.put(&posts_doc(day, hour), &body)
}

/// Runs `task(i)` for every `i` in `0..n`, on every core at once; the
/// first error stops the rest.
fn on_every_core<T: Send>(
    n: usize,
    task: impl Fn(usize) -> Result<T, String> + Sync,
) -> Result<Vec<T>, String> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let work = || -> Result<Vec<(usize, T)>, String> {
        let mut done = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break;
            }
            let out = task(i).inspect_err(|_| failed.store(true, Ordering::Relaxed))?;
            done.push((i, out));
        }
        Ok(done)
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let helpers = cores.min(n).saturating_sub(1);
    let mut done = std::thread::scope(|scope| {
        let others: Vec<_> = (0..helpers).map(|_| scope.spawn(work)).collect();
        let mut result = work();
        for h in others {
            let theirs = h
                .join()
                .map_err(|_| "writing the posts pages stopped".to_owned())
                .and_then(|r| r);
            result = match (result, theirs) {
                (Ok(mut a), Ok(b)) => {
                    a.extend(b);
                    Ok(a)
                }
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
        }
        result
    })?;
    done.sort_unstable_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, out)| out).collect())
}

/// Takes batches from `queue` until it is closed, or another helper
/// failed, writing each one's posts as JSON and letting the batch go:
/// (batch number, JSON) of each.
fn help(
    queue: &Mutex<Receiver<(u32, Batch)>>,
    failed: &AtomicBool,
) -> Result<Vec<(u32, Written)>, String> {
    let mut done = Vec::new();
    while !failed.load(Ordering::Relaxed) {
        let next = queue
            .lock()
            .map_err(|_| "another thread stopped".to_owned())?
            .recv();
        let Ok((no, b)) = next else {
            break;
        };
        let json = Columns::of(&b)
            .and_then(|c| Written::of(&c, b.num_rows()))
            .inspect_err(|_| failed.store(true, Ordering::Relaxed))?;
        done.push((no, json));
    }
    Ok(done)
}

/// Reads the query's result: every post's key, sorted, and each batch's
/// JSON by batch number. This thread takes the keys of each batch as it
/// comes and hands it to a helper per core, which writes its posts as
/// JSON and lets it go.
fn read(
    engine: &mut dyn Engine,
    sql: &str,
    days: &[i64],
) -> Result<(Vec<Key>, Vec<Written>), String> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let (batches, queue) = sync_channel::<(u32, Batch)>(cores * 2);
    // Only the helpers hold the queue: once they have all stopped, a batch
    // can no longer be handed over and the query stops too.
    let queue = Arc::new(Mutex::new(queue));
    let failed = AtomicBool::new(false);
    let (mut keys, mut count) = (Vec::new(), 0u32);
    let (read, helped) = std::thread::scope(|scope| {
        let helpers: Vec<_> = (0..cores)
            .map(|_| {
                let (queue, failed) = (Arc::clone(&queue), &failed);
                scope.spawn(move || help(&queue, failed))
            })
            .collect();
        drop(queue);
        let read = engine.batches(sql, &mut |b| {
            add_keys(&b, count, days, &mut keys)?;
            batches
                .send((count, b))
                .map_err(|_| "the posts stopped being written".to_owned())?;
            count = count
                .checked_add(1)
                .ok_or("posts query: too many batches")?;
            Ok(())
        });
        drop(batches);
        let helped = helpers.into_iter().try_fold(Vec::new(), |mut all, h| {
            let theirs = h
                .join()
                .map_err(|_| "writing the posts stopped".to_owned())??;
            all.extend(theirs);
            Ok::<_, String>(all)
        });
        (read, helped)
    });
    // A helper's own error says more than a read cut short by it.
    let mut helped = helped.map_err(|e| format!("reading the posts of the post days: {e}"))?;
    read.map_err(|e| format!("reading the posts of the post days: {e}"))?;
    helped.sort_unstable_by_key(|(no, _)| *no);
    let every_batch = helped.len() == count as usize
        && helped
            .iter()
            .enumerate()
            .all(|(i, (no, _))| *no as usize == i);
    if !every_batch {
        return Err("reading the posts of the post days: a batch went missing".to_owned());
    }
    keys.sort_unstable();
    Ok((keys, helped.into_iter().map(|(_, json)| json).collect()))
}

/// The most posts one reading of the posts query holds (about 1 GB at
/// about 500 bytes a post: its JSON, its key, and the engine's batch
/// until that is written). More post days than that are read in passes.
pub const POSTS_PER_PASS: u64 = 2_000_000;

/// The post days read together: consecutive days, as ranges of indices
/// into `posts` (the posts of each day), each of at most `cap` posts but
/// for a day that alone has more. Every day is in exactly one pass, in
/// order.
pub fn passes(posts: &[u64], cap: u64) -> Vec<std::ops::Range<usize>> {
    let mut passes = Vec::new();
    let (mut start, mut held) = (0, 0u64);
    for (i, &n) in posts.iter().enumerate() {
        if i > start && held.checked_add(n).is_none_or(|t| t > cap) {
            passes.push(start..i);
            (start, held) = (i, 0);
        }
        held = held.saturating_add(n);
    }
    if start < posts.len() {
        passes.push(start..posts.len());
    }
    passes
}

/// Writes the 24 hours of every day in `days` (day numbers, ascending)
/// from the engine's query; returns how many posts it wrote. The posts'
/// order needs the whole result: it is read first, each batch written as
/// JSON as it comes, then each core takes the next hour to put together,
/// check and stage until none is left.
pub fn write(
    engine: &mut dyn Engine,
    sql: &str,
    days: &[i64],
    staging: &Staging,
) -> Result<u64, String> {
    let (keys, written) = read(engine, sql, days)?;
    let hours = hours(&keys, days.len() * 24);
    on_every_core(hours.len(), |slot| {
        let keys = hours.get(slot).copied().unwrap_or_default();
        flush(staging, days, slot, keys, &written)
    })?;
    Ok(keys.len() as u64)
}

/// The contract days of day numbers.
pub fn contract_days(days: &[i64]) -> Vec<Day> {
    days.iter().filter_map(|&d| instant::day(d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::duck::{quote, Duck};
    use crate::engine::{Cell, EngineError};
    use crate::instant::{day_number, rfc3339};
    use std::path::Path;

    #[test]
    fn passes_take_whole_days_up_to_the_cap() {
        let ranges = |posts: &[u64], cap| passes(posts, cap);
        assert_eq!(ranges(&[], 10), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(ranges(&[3, 3, 3, 3], 6), [0..2, 2..4]);
        assert_eq!(ranges(&[3, 3, 3, 3], 5), [0..1, 1..2, 2..3, 3..4]);
        // A day over the cap is a pass of its own; empty days join in.
        assert_eq!(ranges(&[2, 9, 0, 1, 4], 5), [0..1, 1..2, 2..5]);
        assert_eq!(
            ranges(&[0, 0, 0], 1),
            vec![std::ops::Range { start: 0, end: 3 }]
        );
        assert_eq!(ranges(&[u64::MAX, u64::MAX], u64::MAX), [0..1, 1..2]);
        // Every day once, in order.
        let posts = [5, 1, 7, 2, 2, 8, 0, 3];
        for cap in 1..20 {
            let all: Vec<usize> = ranges(&posts, cap).into_iter().flatten().collect();
            assert_eq!(all, (0..posts.len()).collect::<Vec<_>>(), "cap {cap}");
        }
    }

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("pulse-ingest-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).unwrap_or(());
        dir
    }

    /// An engine that only hands out rows: the default column batches.
    struct Rows(Vec<Vec<Cell>>);

    impl Engine for Rows {
        fn exec(&mut self, _: &str) -> Result<(), EngineError> {
            Ok(())
        }
        fn each_row(
            &mut self,
            _: &str,
            row: &mut dyn FnMut(Vec<Cell>) -> Result<(), String>,
        ) -> Result<(), EngineError> {
            for r in &self.0 {
                row(r.clone()).map_err(EngineError)?;
            }
            Ok(())
        }
        fn dialect(&self, sql: &str) -> String {
            sql.to_owned()
        }
    }

    /// One post as the posts query returns it.
    #[derive(Clone)]
    struct Row {
        file: i64,
        line: i64,
        due_us: i64,
        id: String,
        media_bytes: Option<&'static str>,
        text: String,
        thumbnail_url: Option<String>,
        sent_us: Option<i64>,
        status: &'static str,
        error: Option<&'static str>,
    }

    impl Row {
        fn cells(&self) -> Vec<Cell> {
            let text = |s: &str| Cell::Text(s.to_owned());
            let opt = |s: Option<&str>| s.map_or(Cell::Null, text);
            vec![
                Cell::Int(self.file),
                Cell::Int(self.line),
                Cell::Int(self.due_us.div_euclid(US_PER_DAY)),
                text(&self.id),
                text("Acme \"Inc\""),
                text("twitter"),
                text("image"),
                opt(self.media_bytes),
                text(&self.text),
                opt(self.thumbnail_url.as_deref()),
                Cell::Int(self.due_us),
                self.sent_us.map_or(Cell::Null, Cell::Int),
                text(self.status),
                opt(self.error),
            ]
        }

        fn sql(&self) -> String {
            let opt = |s: Option<&str>| s.map_or("CAST(NULL AS VARCHAR)".to_owned(), quote);
            format!(
                "({}, {}, {}, {}, {}, 'twitter', 'image', {}, {}, {}, {}, {}, {}, {})",
                self.file,
                self.line,
                self.due_us.div_euclid(US_PER_DAY),
                quote(&self.id),
                quote("Acme \"Inc\""),
                opt(self.media_bytes),
                quote(&self.text),
                opt(self.thumbnail_url.as_deref()),
                self.due_us,
                self.sent_us
                    .map_or("CAST(NULL AS BIGINT)".to_owned(), |v| v.to_string()),
                quote(self.status),
                opt(self.error),
            )
        }
    }

    /// The old way: every post owned, the hour serialised by serde.
    #[derive(Serialize)]
    struct OwnedPost {
        id: String,
        profile: String,
        network: String,
        media: String,
        media_bytes: Option<u64>,
        text: String,
        thumbnail_url: Option<String>,
        due_at: String,
        sent_at: Option<String>,
        status: String,
        error: Option<String>,
    }

    #[derive(Serialize)]
    struct OwnedHour {
        date: String,
        hour: u8,
        posts: Vec<OwnedPost>,
    }

    /// `n` posts over `days`, in no order: ties of due instant across
    /// files and lines, texts to escape, byte counts that do not read.
    fn posts(n: usize, days: &[i64]) -> Vec<Row> {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        let texts = [
            "plain",
            "a \"quote\"",
            "back\\slash",
            "line\nbreak",
            "tab\tand \u{1}",
            "é 😀 \u{2028}",
        ];
        let bytes = [Some("1500"), None, Some("12 MB"), Some("007"), Some("")];
        (0..n)
            .map(|i| {
                let day = days[next(days.len() as u64) as usize];
                // A tenth of the posts on the same few instants.
                let within = if i % 10 == 0 {
                    (next(4) * 3_600_000_000) as i64
                } else {
                    next(US_PER_DAY as u64) as i64
                };
                let due_us = day * US_PER_DAY + within;
                let status = ["sent", "failed", "pending"][i % 3];
                Row {
                    file: (i % 2) as i64,
                    line: (n - i) as i64,
                    due_us,
                    id: format!("p{i}"),
                    media_bytes: bytes[i % bytes.len()],
                    text: texts[i % texts.len()].to_owned(),
                    thumbnail_url: (i % 4 == 0).then(|| format!("https://cdn.example.com/{i}.jpg")),
                    sent_us: (status == "sent").then(|| due_us + next(300_000_000) as i64),
                    status,
                    error: (status == "failed").then_some("timeout"),
                }
            })
            .collect()
    }

    /// Each hour's document as serde writes it from owned posts.
    fn expected(rows: &[Row], days: &[i64]) -> Vec<(String, Vec<u8>)> {
        let mut sorted = rows.to_vec();
        sorted.sort_by_key(|r| (r.due_us, r.file, r.line));
        let mut out = Vec::new();
        for &d in days {
            let day = instant::day(d).unwrap();
            for hour in 0..24u8 {
                let posts = sorted
                    .iter()
                    .filter(|r| {
                        r.due_us.div_euclid(US_PER_DAY) == d
                            && r.due_us.rem_euclid(US_PER_DAY) / 3_600_000_000 == i64::from(hour)
                    })
                    .map(|r| OwnedPost {
                        id: r.id.clone(),
                        profile: "Acme \"Inc\"".to_owned(),
                        network: "twitter".to_owned(),
                        media: "image".to_owned(),
                        media_bytes: r.media_bytes.and_then(|s| s.parse().ok()),
                        text: r.text.clone(),
                        thumbnail_url: r.thumbnail_url.clone(),
                        due_at: rfc3339(r.due_us),
                        sent_at: r.sent_us.map(rfc3339),
                        status: r.status.to_owned(),
                        error: r.error.map(str::to_owned),
                    })
                    .collect();
                let doc = OwnedHour {
                    date: day.to_string(),
                    hour,
                    posts,
                };
                out.push((posts_doc(day, hour), serde_json::to_vec(&doc).unwrap()));
            }
        }
        out
    }

    /// Writes the pages from `engine` into `out`; the posts written.
    fn run(engine: &mut dyn Engine, sql: &str, days: &[i64], out: &Path) -> Result<u64, String> {
        std::fs::remove_dir_all(out).unwrap_or(());
        let staging = Staging::new(out).unwrap();
        let n = write(engine, sql, days, &staging)?;
        staging.publish(b"{}").unwrap();
        Ok(n)
    }

    #[test]
    fn pages_are_what_serde_writes_from_owned_posts_in_due_order() {
        let days = [day_number(2016, 8, 2), day_number(2016, 8, 3)];
        let rows = posts(5_000, &days);
        let want = expected(&rows, &days);
        let dir = temp("pages");

        // Rows gathered into batches (as from PostgreSQL), three batches.
        let mut engine = Rows(rows.iter().map(Row::cells).collect());
        let out = dir.join("rows");
        assert_eq!(run(&mut engine, "", &days, &out), Ok(5_000));
        for (doc, body) in &want {
            let got = std::fs::read(out.join(doc)).unwrap();
            assert!(
                got == *body,
                "{doc}:\n{}\n{}",
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(body)
            );
        }

        // DuckDB's own Arrow batches of the same rows.
        let values = rows.iter().map(Row::sql).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT * FROM (VALUES {values}) AS t(file, line, day, id, profile, network, media, \
             media_bytes, text, thumbnail_url, due_us, sent_us, status, error)"
        );
        let out = dir.join("duck");
        assert_eq!(
            run(&mut Duck::open().unwrap(), &sql, &days, &out),
            Ok(5_000)
        );
        for (doc, body) in &want {
            assert!(std::fs::read(out.join(doc)).unwrap() == *body, "{doc}");
        }

        // A post outside the post days is an error, and nothing is written.
        let mut engine = Rows(rows.iter().map(Row::cells).collect());
        let err = run(&mut engine, "", &days[1..], &dir.join("short")).unwrap_err();
        assert!(err.contains("outside the post days"), "{err}");
        assert!(!dir.join("short/posts").exists());
        std::fs::remove_dir_all(&dir).unwrap_or(());
    }

    #[test]
    fn a_column_of_another_type_is_named() {
        // More batches than wait to be written at once: every helper
        // stops on its first, and so does the query.
        let day = day_number(2016, 8, 3);
        let mut row = vec![Cell::Int(5); 14];
        row[col::DAY] = Cell::Int(day);
        row[col::DUE_US] = Cell::Int(day * US_PER_DAY);
        let mut engine = Rows(vec![row; 40 * crate::engine::batch::ROWS]);
        let dir = temp("pages-type");
        let err = run(&mut engine, "", &[day_number(2016, 8, 3)], &dir).unwrap_err();
        assert!(err.contains("column id is Int64, not text"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap_or(());
    }
}
