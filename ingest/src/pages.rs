//! Posts pages (`posts/{day}/{HH}.json`): the kept posts of the post days,
//! read in due order from the engine (`sql/posts.sql`), one hour at a
//! time. Every post day gets all 24 hours; an hour without posts is an
//! empty list.

use crate::engine::{Cell, Engine};
use crate::instant::{self, US_PER_DAY};
use crate::publish::{checked, Staging};
use pulse::api::{posts_doc, Day, PostHour};
use serde::Serialize;

/// One post as the contract writes it.
#[derive(Serialize)]
struct PostDoc {
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
struct HourDoc<'a> {
    date: String,
    hour: u8,
    posts: &'a [PostDoc],
}

/// The hour being filled.
struct Hour {
    day: i64,
    hour: u8,
    posts: Vec<PostDoc>,
}

fn text(c: Option<Cell>) -> Option<String> {
    c.and_then(Cell::into_text)
}

/// Reads a result row `(day, id, profile, network, media, media_bytes,
/// text, thumbnail_url, due_us, sent_us, status, error)`.
fn post(row: Vec<Cell>) -> Result<(i64, i64, PostDoc), String> {
    let mut it = row.into_iter();
    let day = it
        .next()
        .and_then(|c| c.int())
        .ok_or("posts query: no day")?;
    let id = text(it.next()).unwrap_or_default();
    let profile = text(it.next()).unwrap_or_default();
    let network = text(it.next()).unwrap_or_default();
    let media = text(it.next()).unwrap_or_default();
    let media_bytes = text(it.next()).and_then(|s| s.parse::<u64>().ok());
    let body = text(it.next()).unwrap_or_default();
    let thumbnail_url = text(it.next());
    let due_us = it
        .next()
        .and_then(|c| c.int())
        .ok_or("posts query: no due_us")?;
    let sent_us = it.next().and_then(|c| c.int());
    let status = text(it.next()).unwrap_or_default();
    let error = text(it.next());
    Ok((
        day,
        due_us,
        PostDoc {
            id,
            profile,
            network,
            media,
            media_bytes,
            text: body,
            thumbnail_url,
            due_at: instant::rfc3339(due_us),
            sent_at: sent_us.map(instant::rfc3339),
            status,
            error,
        },
    ))
}

fn flush(staging: &mut Staging, h: &Hour) -> Result<(), String> {
    let day = instant::day(h.day).ok_or_else(|| format!("day number {} is out of range", h.day))?;
    let body = serde_json::to_vec(&HourDoc {
        date: day.to_string(),
        hour: h.hour,
        posts: &h.posts,
    })
    .map_err(|e| e.to_string())?;
    let text = std::str::from_utf8(&body).map_err(|e| e.to_string())?;
    checked(PostHour::parse(text, day, h.hour))?;
    staging.put(&posts_doc(day, h.hour), &body)
}

/// Writes the 24 hours of every day in `days` (day numbers, ascending)
/// from the engine's query; returns how many posts it wrote. The rows are
/// read on this thread while another serialises, checks and stages each
/// finished hour (most of the work on a large day), a few hours behind.
pub fn write(
    engine: &mut dyn Engine,
    sql: &str,
    days: &[i64],
    staging: &mut Staging,
) -> Result<u64, String> {
    std::thread::scope(|scope| {
        let (hours, finished) = std::sync::mpsc::sync_channel::<Hour>(2);
        let writer = scope.spawn(move || -> Result<(), String> {
            for h in finished {
                flush(staging, &h)?;
            }
            Ok(())
        });
        let read = read_hours(engine, sql, days, &hours);
        drop(hours);
        let written = writer
            .join()
            .map_err(|_| "writing the posts pages stopped".to_owned())?;
        // The writer's own error says more than a read cut short by it.
        written.and(read)
    })
}

/// Reads the query's posts into hours, every hour of `days` in order
/// (empty ones included), and hands each finished hour to `out`.
fn read_hours(
    engine: &mut dyn Engine,
    sql: &str,
    days: &[i64],
    out: &std::sync::mpsc::SyncSender<Hour>,
) -> Result<u64, String> {
    let stopped = || "the posts pages writer stopped".to_owned();
    let mut next = 0usize; // index into (days × 24) of the next hour to hand out
    let mut current: Option<Hour> = None;
    let mut written = 0u64;
    let slot = |day: i64, hour: u8| {
        days.iter()
            .position(|&d| d == day)
            .map(|i| i * 24 + usize::from(hour))
    };
    let empty = |i: usize| Hour {
        day: days.get(i / 24).copied().unwrap_or_default(),
        hour: (i % 24) as u8,
        posts: Vec::new(),
    };
    engine
        .each_row(sql, &mut |row| {
            let (day, due_us, p) = post(row)?;
            let hour = (due_us.rem_euclid(US_PER_DAY) / 3_600_000_000) as u8;
            let here = slot(day, hour).ok_or("posts query: a post outside the post days")?;
            if current
                .as_ref()
                .is_some_and(|h| (h.day, h.hour) != (day, hour))
            {
                if let Some(h) = current.take() {
                    out.send(h).map_err(|_| stopped())?;
                    next += 1;
                }
            }
            while next < here {
                out.send(empty(next)).map_err(|_| stopped())?;
                next += 1;
            }
            let h = current.get_or_insert_with(|| Hour {
                day,
                hour,
                posts: Vec::new(),
            });
            h.posts.push(p);
            written += 1;
            Ok(())
        })
        .map_err(|e| format!("reading the posts of the post days: {e}"))?;
    if let Some(h) = current.take() {
        out.send(h).map_err(|_| stopped())?;
        next += 1;
    }
    while next < days.len() * 24 {
        out.send(empty(next)).map_err(|_| stopped())?;
        next += 1;
    }
    Ok(written)
}

/// The contract days of day numbers.
pub fn contract_days(days: &[i64]) -> Vec<Day> {
    days.iter().filter_map(|&d| instant::day(d)).collect()
}
