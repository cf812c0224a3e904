//! One run: read the inputs, aggregate, stage every document checked by
//! Pulse's parsers, merge with the dataset already in `--out`, publish.

use crate::args::{Args, PostSource};
use crate::delivery::{bucket_case, Count, DayWriter, Histograms};
use crate::engine::duck::Duck;
use crate::engine::pg::Pg;
use crate::engine::{Cell, Engine};
use crate::publish::{checked, Staging};
use crate::source::{self, Format};
use crate::stripe::{read_stripe, StripeOptions};
use crate::summary::{Place, Summary};
use crate::{aggregates, instant, pages, reports, revenue, sql};
use pulse::api::{Day, Media, Meta, Month, Timestamp, EVENTS_DOC, META_DOC};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;
use std::time::Instant;

/// The dataset already in `--out`, if any.
fn existing(out: &Path) -> Result<Option<Meta>, String> {
    let path = out.join(META_DOC);
    match std::fs::read_to_string(&path) {
        Ok(body) => Meta::parse(&body).map(Some).map_err(|e| {
            format!(
                "{}: the dataset there does not read ({e}); move it away or fix it",
                out.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Inputs as the summary names them: (name, format) per post log file.
fn inputs(args: &Args) -> Vec<(String, Format)> {
    match &args.posts {
        PostSource::Files(paths) => paths
            .iter()
            .map(|p| {
                (
                    p.display().to_string(),
                    Format::of(p).unwrap_or(Format::Csv),
                )
            })
            .collect(),
        PostSource::Postgres { .. } => vec![("PostgreSQL".to_owned(), Format::Parquet)],
        _ => Vec::new(),
    }
}

/// Runs the one-pass aggregation and fills the histograms, the skips and
/// the rows read. Its rows come in day order: each day's document is
/// staged once the next day's rows begin.
fn aggregate(
    engine: &mut dyn Engine,
    raw: &str,
    args: &Args,
    hist: &mut Histograms,
    summary: &mut Summary,
    days: &mut DayWriter,
) -> Result<(), String> {
    let names = inputs(args);
    let sql = engine.dialect(&sql::delivery(raw, &bucket_case(&args.bounds_s)));
    let mut read = vec![0u64; names.len()];
    // Reason → rows, over every file; the first lines come after.
    let mut skipped: BTreeMap<String, u64> = BTreeMap::new();
    engine
        .each_row(&sql, &mut |r| {
            let int = |i: usize| r.get(i).and_then(Cell::int);
            let count = int(7).unwrap_or(0);
            let n = u64::try_from(count).unwrap_or(0);
            let file = int(0).unwrap_or(0);
            if let Some(slot) = usize::try_from(file).ok().and_then(|f| read.get_mut(f)) {
                *slot += n;
            }
            if let Some(why) = r.get(1).and_then(Cell::text) {
                *skipped.entry(why.to_owned()).or_insert(0) += n;
            } else {
                let day = int(2).and_then(instant::day).ok_or("a day out of range")?;
                let network = r.get(3).and_then(Cell::text).unwrap_or_default();
                let media = r
                    .get(4)
                    .and_then(Cell::text)
                    .and_then(Media::parse)
                    .ok_or("unknown media")?;
                let what = match int(6) {
                    Some(-1) => Count::Failed,
                    Some(b) if b >= 0 => Count::Bucket(usize::try_from(b).unwrap_or(usize::MAX)),
                    _ => Count::Pending,
                };
                days.at(hist, day)?;
                hist.add(day, network, media, int(5).unwrap_or(-1), what, count)?;
            }
            Ok(())
        })
        .map_err(|e| format!("aggregating the post log: {e}"))?;
    // Reason → first (file, line), over every file.
    let mut first: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    if !skipped.is_empty() {
        let sql = engine.dialect(&sql::skips(raw));
        engine
            .each_row(&sql, &mut |r| {
                let int = |i: usize| r.get(i).and_then(Cell::int).unwrap_or(0);
                if let Some(why) = r.get(1).and_then(Cell::text) {
                    let here = (int(0), int(2));
                    let entry = first.entry(why.to_owned()).or_insert(here);
                    *entry = (*entry).min(here);
                }
                Ok(())
            })
            .map_err(|e| format!("numbering the skipped rows: {e}"))?;
    }
    let unit = |format: Format| {
        if matches!(args.posts, PostSource::Postgres { .. }) {
            "row"
        } else {
            format.place()
        }
    };
    for (why, n) in skipped {
        let (file, number) = first.get(&why).copied().unwrap_or((0, 0));
        let (input, format) = usize::try_from(file)
            .ok()
            .and_then(|f| names.get(f))
            .cloned()
            .unwrap_or(("input".to_owned(), Format::Csv));
        let unit = unit(format);
        summary.skipped.insert(
            why,
            (
                n,
                Place {
                    input,
                    unit,
                    number,
                },
            ),
        );
    }
    for ((name, _), n) in names.into_iter().zip(read) {
        summary.read.push((name, "rows", n));
    }
    if args.strict && !summary.skipped.is_empty() {
        return Err(format!(
            "--strict: {} rows would be skipped\n  {}",
            summary.skipped_rows(),
            summary.skip_lines().join("\n  ")
        ));
    }
    Ok(())
}

/// The latest `n` days (all without a limit), as day numbers.
fn post_days(hist: &Histograms, n: Option<usize>) -> Vec<i64> {
    let all: Vec<i64> = hist.days.iter().map(|&d| instant::number_of(d)).collect();
    let keep = n.unwrap_or(all.len()).min(all.len());
    all.get(all.len() - keep..)
        .map(<[i64]>::to_vec)
        .unwrap_or_default()
}

/// Aggregates the post log on an engine and stages delivery days and
/// posts pages; `due_within` is `raw` cut to the rows that can be due on
/// some day numbers, where the engine can cut it sooner than the posts
/// query does. The post days are read in passes of at most
/// `--posts-per-pass` posts (whole days), so that memory stays bounded
/// however many days are written.
fn posts(
    engine: &mut dyn Engine,
    raw: &str,
    due_within: &dyn Fn(Range<i64>) -> String,
    args: &Args,
    hist: &mut Histograms,
    summary: &mut Summary,
    staging: &mut Staging,
) -> Result<Vec<Day>, String> {
    let mut days = DayWriter::new(&args.bounds_s, staging);
    aggregate(engine, raw, args, hist, summary, &mut days)?;
    days.finish(hist)?;
    let days = post_days(hist, args.post_days);
    let counts: Vec<u64> = days
        .iter()
        .map(|&d| instant::day(d).map_or(0, |day| hist.posts_on(day)))
        .collect();
    for pass in pages::passes(&counts, args.posts_per_pass) {
        let part = days.get(pass).unwrap_or_default();
        let (Some(&first), Some(&last)) = (part.first(), part.last()) else {
            continue;
        };
        let within = first..last + 1;
        let sql = engine.dialect(&sql::posts(&due_within(within.clone()), within));
        summary.posts_written += pages::write(engine, &sql, part, staging)?;
        summary.post_passes += 1;
    }
    summary.hours = days.len() * 24;
    Ok(pages::contract_days(&days))
}

#[derive(Serialize)]
struct PlanDoc<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct MetaDoc<'a> {
    name: &'a str,
    generated_at: String,
    currency: &'a str,
    report_months: Vec<String>,
    delivery_days: Vec<String>,
    post_days: Vec<String>,
    networks: Vec<&'a str>,
    plans: Vec<PlanDoc<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    annotations: bool,
}

fn strings<T: ToString>(items: &BTreeSet<T>) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// Everything a run does; the summary on success.
pub fn run(args: &Args) -> Result<Summary, String> {
    let start = Instant::now();
    let old = existing(&args.out)?;
    let mut staging = Staging::new(&args.out)?;
    let mut duck = Duck::open().map_err(|e| format!("DuckDB: {e}"))?;
    let mut summary = Summary {
        out: args.out.display().to_string(),
        ..Summary::default()
    };
    let mut hist = Histograms::new(args.bounds_s.len() + 1);
    let new_post_days = match &args.posts {
        PostSource::None => Vec::new(),
        PostSource::Files(paths) => {
            let files = source::files(&mut duck, paths)?;
            posts(
                &mut duck,
                &files.relation(),
                &|days| files.due_within(days),
                args,
                &mut hist,
                &mut summary,
                &mut staging,
            )?
        }
        PostSource::Postgres { url, relation } => {
            let mut pg = Pg::connect(url).map_err(|e| format!("PostgreSQL: {e}"))?;
            let raw = source::postgres(relation);
            posts(
                &mut pg,
                &raw,
                &|_| raw.clone(),
                args,
                &mut hist,
                &mut summary,
                &mut staging,
            )?
        }
        PostSource::Aggregates(paths) => {
            let mut days = DayWriter::new(&args.bounds_s, &staging);
            let counts = aggregates::read(&mut duck, paths, &mut hist, &mut days)?;
            days.finish(&mut hist)?;
            for (p, n) in paths.iter().zip(counts) {
                summary
                    .read
                    .push((p.display().to_string(), "aggregate rows", n));
            }
            Vec::new()
        }
    };
    let new_months = reports::write(
        &mut duck,
        args.services.as_deref(),
        args.bugs.as_deref(),
        &mut staging,
    )?;

    // Revenue: this run's Stripe archive, else the dataset's own events.
    let mut latest = old.as_ref().map_or(0, |m| m.generated_at.0);
    let opts = StripeOptions {
        currency: args.currency.clone(),
    };
    let outcome = if args.stripe_events.is_empty() {
        None
    } else {
        Some(read_stripe(&args.stripe_events, &opts).map_err(|e| e.to_string())?)
    };
    let reported = args
        .reported_mrr
        .as_deref()
        .map(revenue::reported_mrr)
        .transpose()?;
    let old_currency = old.as_ref().map(|m| m.currency.clone());
    let currency = outcome
        .as_ref()
        .and_then(|o| o.currency.clone())
        .or_else(|| args.currency.as_ref().map(|c| c.to_ascii_uppercase()))
        .or(old_currency)
        .unwrap_or_else(|| "USD".to_owned());
    let plans: Vec<String> = match &outcome {
        Some(o) => o.plans.clone(),
        None => old
            .as_ref()
            .map(|m| m.plans.iter().map(|p| p.id.clone()).collect())
            .unwrap_or_default(),
    };
    if let Some(o) = &outcome {
        let names: Vec<String> = args
            .stripe_events
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        summary
            .read
            .push((names.join(", "), "Stripe lines", o.stats.lines));
        let s = &o.stats;
        summary.stripe_notes.push(format!(
            "{} subscription events, {} duplicates, {} other types, {} in another currency",
            s.subscriptions, s.duplicates, s.ignored_types, s.other_currency
        ));
        summary.revenue_events = Some(o.events.len());
        if let Some(at) = o
            .events
            .iter()
            .filter_map(|e| Timestamp::parse(&e.at))
            .map(|t| t.0)
            .max()
        {
            latest = latest.max(at);
        }
    }
    let events_path = args.out.join(EVENTS_DOC);
    match (&outcome, reported) {
        (Some(o), reported) => revenue::write(&currency, &o.events, reported, &mut staging)?,
        (None, Some(reported)) if events_path.is_file() => {
            revenue::replace_reported(&events_path, reported, &mut staging)?
        }
        (None, reported) if reported.is_some() || !events_path.is_file() => {
            revenue::write(&currency, &[], reported, &mut staging)?
        }
        (None, _) => {}
    }

    // Annotations: this run's file, else the dataset's own.
    let annotated = match &args.annotations {
        Some(path) => {
            let n = crate::annotations::write(path, &mut staging)?;
            summary
                .read
                .push((path.display().to_string(), "annotations", n));
            true
        }
        None => old.as_ref().is_some_and(|m| m.annotations),
    };

    // meta.json: this run's lists merged with the dataset's.
    let mut delivery_days: BTreeSet<Day> = old
        .as_ref()
        .map(|m| m.delivery_days.iter().copied().collect())
        .unwrap_or_default();
    delivery_days.extend(hist.days.iter().copied());
    let mut all_post_days: BTreeSet<Day> = old
        .as_ref()
        .map(|m| m.post_days.iter().copied().collect())
        .unwrap_or_default();
    all_post_days.extend(new_post_days.iter().copied());
    let mut months: BTreeSet<Month> = old
        .as_ref()
        .map(|m| m.report_months.iter().copied().collect())
        .unwrap_or_default();
    months.extend(new_months.iter().copied());
    let mut networks: BTreeSet<String> = old
        .as_ref()
        .map(|m| m.networks.iter().cloned().collect())
        .unwrap_or_default();
    networks.extend(hist.networks().iter().cloned());
    if let Some(end) = hist.days.iter().next_back().and_then(|d| d.succ()) {
        latest = latest.max(end.start().0);
    }
    if let Some(m) = new_months.last() {
        latest = latest.max(m.end().0);
    }
    let meta = serde_json::to_vec(&MetaDoc {
        name: &args.name,
        generated_at: instant::rfc3339(
            latest * 1000 + instant::day_number(1970, 1, 1) * instant::US_PER_DAY,
        ),
        currency: &currency,
        report_months: strings(&months),
        delivery_days: strings(&delivery_days),
        post_days: strings(&all_post_days),
        networks: networks.iter().map(String::as_str).collect(),
        plans: plans.iter().map(|p| PlanDoc { id: p, name: p }).collect(),
        annotations: annotated,
    })
    .map_err(|e| e.to_string())?;
    checked(Meta::parse(
        std::str::from_utf8(&meta).map_err(|e| e.to_string())?,
    ))?;
    summary.delivery_days = hist.days.len();
    summary.days_held = hist.most_days_held();
    summary.post_days = new_post_days.len();
    summary.report_months = new_months.len();
    staging.publish(&meta)?;
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}
