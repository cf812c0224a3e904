//! The demo dataset, generated in memory: every document validates with the
//! `pulse::api` parsers, the figures of the story hold, the delivery
//! documents of the post days agree with their posts cell by cell, and the
//! committed `public/` folder holds exactly this dataset.
#![cfg(not(target_arch = "wasm32"))]
// A panic in a test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use pulse::api::{
    Day, DeliveryDay, EventKind, Media, Meta, Month, PostHour, PostStatus, Report, RevenueEvents,
};
use pulse::demo::{self, Document, Options};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

fn dataset() -> &'static [Document] {
    static DATA: OnceLock<Vec<Document>> = OnceLock::new();
    DATA.get_or_init(|| demo::generate(&Options::default()).expect("the dataset serialises"))
}

fn file(path: &str) -> &'static str {
    let doc = dataset()
        .iter()
        .find(|d| d.path == path)
        .unwrap_or_else(|| panic!("{path} is not in the dataset"));
    std::str::from_utf8(&doc.bytes).unwrap_or_else(|e| panic!("{path}: not UTF-8: {e}"))
}

fn api(path: &str) -> &'static str {
    file(&format!("api/v1/{path}"))
}

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

struct Parsed {
    meta: Meta,
    reports: BTreeMap<Month, Report>,
    delivery: BTreeMap<Day, DeliveryDay>,
    posts: BTreeMap<(Day, u8), PostHour>,
    revenue: RevenueEvents,
}

fn ok<T>(r: Result<T, pulse::api::DocError>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

/// Every document, parsed and validated by the app's own parsers.
fn parsed() -> &'static Parsed {
    static PARSED: OnceLock<Parsed> = OnceLock::new();
    PARSED.get_or_init(|| {
        let meta = ok(Meta::parse(api("meta.json")));
        let reports = meta
            .report_months
            .iter()
            .map(|&m| (m, ok(Report::parse(api(&format!("reports/{m}.json")), m))))
            .collect();
        let delivery = meta
            .delivery_days
            .iter()
            .map(|&d| {
                let body = api(&format!("delivery/{d}.json"));
                (d, ok(DeliveryDay::parse(body, d)))
            })
            .collect();
        let mut posts = BTreeMap::new();
        for &d in &meta.post_days {
            for h in 0..24u8 {
                let body = api(&format!("posts/{d}/{h:02}.json"));
                posts.insert((d, h), ok(PostHour::parse(body, d, h)));
            }
        }
        let revenue = ok(RevenueEvents::parse(api("revenue/events.json")));
        Parsed {
            meta,
            reports,
            delivery,
            posts,
            revenue,
        }
    })
}

/// Sum of counts of minute `minute` whose bucket's lower edge is at least
/// `from_s`, over all series.
fn at_least(d: &DeliveryDay, minute: usize, from_s: f64) -> u64 {
    let b = d.buckets();
    let first = 1 + d
        .bounds_s
        .iter()
        .position(|&e| e == from_s)
        .unwrap_or_else(|| panic!("{from_s} s is not a bucket edge"));
    d.series
        .iter()
        .map(|s| {
            s.counts[minute * b + first..(minute + 1) * b]
                .iter()
                .map(|&c| u64::from(c))
                .sum::<u64>()
        })
        .sum()
}

/// (sent within `limit_s`, sent) over a whole day, all series.
fn day_within(d: &DeliveryDay, limit_s: f64) -> (u64, u64) {
    let b = d.buckets();
    let below = 1 + d.bounds_s.iter().position(|&e| e == limit_s).unwrap();
    let (mut within, mut sent) = (0, 0);
    for s in &d.series {
        for (i, &c) in s.counts.iter().enumerate() {
            sent += u64::from(c);
            if i % b < below {
                within += u64::from(c);
            }
        }
    }
    (within, sent)
}

#[test]
fn every_document_validates_and_meta_lists_them() {
    let p = parsed();
    let m = &p.meta;
    assert_eq!(m.name, "Demo dataset");
    assert_eq!(m.generated_at.to_string(), "2016-09-01T00:00:00Z");
    assert_eq!(m.currency, "USD");
    assert_eq!(m.report_months, [month("2016-07"), month("2016-08")]);
    let august: Vec<Day> = (1..=31)
        .map(|n| Day::from_ymd(2016, 8, n).unwrap())
        .collect();
    assert_eq!(m.delivery_days, august);
    assert_eq!(m.post_days, [day("2016-08-03"), day("2016-08-29")]);
    assert_eq!(
        m.networks,
        [
            "twitter",
            "facebook",
            "linkedin",
            "instagram",
            "pinterest",
            "google"
        ]
    );
    assert_eq!(m.plan_name("awesome"), "Awesome");
    assert_eq!(m.plan_name("business"), "Business");
    assert!((3..=4).contains(&m.plans.len()));
    assert!(m.annotations);
    let annotations = pulse::api::Annotations::parse(file("api/v1/annotations.json")).unwrap();
    assert_eq!(annotations.items.len(), 5);
    assert_eq!(p.delivery.len(), 31);
    assert_eq!(p.posts.len(), 48);
    assert_eq!(p.revenue.currency, "USD");
    let config = file("config.json");
    let config = pulse::api::Config::parse(config, "https://example.com/pulse/").unwrap();
    assert_eq!(config.api_base, "api/v1");

    // Nothing else is generated: the listed documents and the thumbnails.
    let svgs = dataset()
        .iter()
        .filter(|d| d.path.starts_with("api/v1/media/") && d.path.ends_with(".svg"))
        .count();
    assert_eq!(dataset().len(), 1 + 1 + 2 + 31 + 48 + 1 + 1 + svgs);
    let paths: BTreeSet<&str> = dataset().iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths.len(), dataset().len(), "a path is generated twice");
}

#[test]
fn monthly_reports_tell_august_against_july() {
    let r = &parsed().reports;
    let aug = &r[&month("2016-08")];
    let jul = &r[&month("2016-07")];
    let service = |r: &Report, name: &str| {
        r.services
            .iter()
            .find(|s| s.name == name)
            .map(|s| (s.requests, s.avg_response_ms))
            .unwrap()
    };
    assert_eq!(service(aug, "buffer.com"), (68_300_000, 220.0));
    assert_eq!(service(aug, "api.bufferapp.com"), (944_000_000, 88.1));
    let bugs = |r: &Report, sev: &str| {
        r.bugs
            .iter()
            .find(|b| b.severity == sev)
            .map(|b| (b.opened, b.closed))
            .unwrap()
    };
    assert_eq!(bugs(aug, "S1"), (2, 2));
    assert_eq!(bugs(aug, "S2"), (24, 17));
    assert_eq!(bugs(jul, "S1"), (9, 6));
    assert_eq!(bugs(jul, "S2"), (38, 23));
    let pa = aug.platform.clone().unwrap();
    assert_eq!(pa.containers, Some(20));
    assert_eq!(pa.service_requests_per_week, Some(1_490_000));
    assert_eq!(pa.log_records_per_hour, Some(12_000));
    let pj = jul.platform.clone().unwrap();
    assert!(pj.containers < pa.containers);
    assert!(pj.service_requests_per_week < pa.service_requests_per_week);
    assert!(pj.log_records_per_hour < pa.log_records_per_hour);
    // July has the same services, with a little less traffic.
    assert_eq!(jul.services.len(), aug.services.len());
    for s in &aug.services {
        let (requests, _) = service(jul, &s.name);
        assert!(
            requests < s.requests && requests * 10 > s.requests * 8,
            "{}",
            s.name
        );
    }
}

#[test]
fn eight_oclock_on_august_3_is_late() {
    let d = &parsed().delivery[&day("2016-08-03")];
    assert_eq!(
        d.bounds_s,
        [10.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 180.0, 300.0, 600.0, 1800.0]
    );
    assert_eq!(d.series.len(), 24);
    let late_800 = at_least(d, 480, 90.0);
    let late_801 = at_least(d, 481, 60.0);
    let late_802 = at_least(d, 482, 60.0);
    eprintln!("2016-08-03: ≥90 s at 8:00 {late_800}; ≥60 s at 8:01 {late_801}, 8:02 {late_802}");
    assert!((1_150..=1_250).contains(&late_800), "{late_800}");
    assert!(late_801 >= 100, "{late_801}");
    assert!(late_802 >= 100, "{late_802}");
    // After the fix the same minute is on time.
    let after = &parsed().delivery[&day("2016-08-29")];
    let (after_800, after_801) = (at_least(after, 480, 90.0), at_least(after, 481, 60.0));
    eprintln!("2016-08-29: ≥90 s at 8:00 {after_800}; ≥60 s at 8:01 {after_801}");
    assert!(after_800 * 4 < late_800, "{after_800}");
    assert!(after_801 * 5 < late_801, "{after_801}");
}

#[test]
fn august_29_goes_out_within_the_minute() {
    let d = &parsed().delivery[&day("2016-08-29")];
    let (within, sent) = day_within(d, 60.0);
    let share = within as f64 / sent as f64;
    eprintln!(
        "2016-08-29: {within} of {sent} sent within 60 s = {:.2} %",
        share * 100.0
    );
    assert!((0.95..0.975).contains(&share), "{share}");

    // The slow few per cent are mostly large media.
    let b = d.buckets();
    let mut late_by_media: HashMap<Media, u64> = HashMap::new();
    for s in &d.series {
        let late: u64 = s
            .counts
            .iter()
            .enumerate()
            .filter(|(i, _)| i % b >= 5)
            .map(|(_, &c)| u64::from(c))
            .sum();
        *late_by_media.entry(s.media).or_default() += late;
    }
    let media = late_by_media[&Media::Image] + late_by_media[&Media::Video];
    let all: u64 = late_by_media.values().sum();
    assert!(media * 2 > all, "{late_by_media:?}");
}

#[test]
fn delivery_is_bad_before_the_fix_and_lighter_on_weekends() {
    let p = parsed();
    let share = |d: &DeliveryDay| {
        let (w, s) = day_within(d, 60.0);
        w as f64 / s as f64
    };
    let mut totals = Vec::new();
    let (mut failed, mut all) = (0u64, 0u64);
    for (d, doc) in &p.delivery {
        let n = d.day_of_month();
        let s = share(doc);
        if n <= 14 {
            assert!(s < 0.94, "{d}: {s}");
        } else if n >= 18 {
            assert!(s >= 0.95, "{d}: {s}");
        }
        let (_, sent) = day_within(doc, 60.0);
        let f: u64 = doc
            .series
            .iter()
            .flat_map(|s| &s.failed)
            .map(|&c| u64::from(c))
            .sum();
        failed += f;
        all += sent + f;
        totals.push((d.weekday_short(), sent + f));
    }
    let fail_share = failed as f64 / all as f64;
    assert!((0.0005..0.01).contains(&fail_share), "{fail_share}");
    let weekend_max = totals
        .iter()
        .filter(|t| matches!(t.0, "Sat" | "Sun"))
        .map(|t| t.1)
        .max()
        .unwrap();
    let weekday_min = totals
        .iter()
        .filter(|t| !matches!(t.0, "Sat" | "Sun"))
        .map(|t| t.1)
        .min()
        .unwrap();
    assert!(weekend_max < weekday_min, "{totals:?}");
    // Every (network, media) pair is present on every day.
    for doc in p.delivery.values() {
        let pairs: BTreeSet<(&str, Media)> = doc
            .series
            .iter()
            .map(|s| (s.network.as_str(), s.media))
            .collect();
        assert_eq!(pairs.len(), 24);
    }
}

#[test]
fn post_days_delivery_equals_their_posts() {
    let p = parsed();
    for &d in &p.meta.post_days {
        let doc = &p.delivery[&d];
        let b = doc.buckets();
        let mut counts: HashMap<(String, Media), Vec<u32>> = HashMap::new();
        let mut failed: HashMap<(String, Media), Vec<u32>> = HashMap::new();
        let mut pending = 0;
        for h in 0..24 {
            for post in &p.posts[&(d, h)].posts {
                let key = (post.network.clone(), post.media);
                let minute = post.due_at.minute_of_day() as usize;
                match post.status {
                    PostStatus::Sent => {
                        let delay_ms = post.delay_ms().unwrap();
                        assert_eq!(delay_ms % 1000, 0, "{}: whole seconds", post.id);
                        let delay_s = (delay_ms / 1000) as f64;
                        let bucket = doc.bounds_s.iter().filter(|&&e| delay_s >= e).count();
                        counts.entry(key).or_insert_with(|| vec![0; 1440 * b])
                            [minute * b + bucket] += 1;
                    }
                    PostStatus::Failed => {
                        failed.entry(key).or_insert_with(|| vec![0; 1440])[minute] += 1;
                    }
                    PostStatus::Pending => pending += 1,
                }
            }
        }
        let mut seen = 0;
        for s in &doc.series {
            let key = (s.network.clone(), s.media);
            let want_counts = counts
                .get(&key)
                .cloned()
                .unwrap_or_else(|| vec![0; 1440 * b]);
            let want_failed = failed.get(&key).cloned().unwrap_or_else(|| vec![0; 1440]);
            for (i, (got, want)) in s.counts.iter().zip(&want_counts).enumerate() {
                assert_eq!(
                    got,
                    want,
                    "{d} {}/{}: minute {} bucket {}",
                    s.network,
                    s.media,
                    i / b,
                    i % b
                );
            }
            assert_eq!(
                s.failed, want_failed,
                "{d} {}/{}: failed",
                s.network, s.media
            );
            seen += usize::from(counts.contains_key(&key) || failed.contains_key(&key));
        }
        // No post belongs to a series the document lacks.
        assert_eq!(
            seen,
            counts
                .keys()
                .chain(failed.keys())
                .collect::<BTreeSet<_>>()
                .len()
        );
        eprintln!("{d}: {pending} pending posts (in neither)");
    }
}

#[test]
fn the_queue_holds_tens_of_thousands_of_varied_posts() {
    let p = parsed();
    let mut ids = BTreeSet::new();
    let thumbnails: BTreeSet<String> = dataset()
        .iter()
        .filter_map(|d| {
            d.path
                .strip_prefix("api/v1/")
                .filter(|p| p.starts_with("media/"))
        })
        .map(str::to_owned)
        .collect();
    let mut statuses: HashMap<PostStatus, usize> = HashMap::new();
    let (mut non_ascii, mut rtl, mut markup, mut no_thumb, mut big_video) = (0, 0, 0, 0, 0);
    let mut profiles = BTreeSet::new();
    for ((d, h), hour) in &p.posts {
        let n = hour.posts.len();
        if *h == 8 {
            let sharp = hour
                .posts
                .iter()
                .filter(|q| q.due_at.ms_of_day() == 8 * 3_600_000)
                .count();
            eprintln!("{d} 08: {n} posts, {sharp} due at 08:00:00");
            assert!(n >= 10_000, "{d} 08: {n}");
            assert!(sharp * 2 > n, "{d} 08: {sharp} of {n} at 08:00:00");
        } else {
            assert!((20..1_000).contains(&n), "{d} {h:02}: {n}");
        }
        assert!(hour.posts.windows(2).all(|w| w[0].due_at <= w[1].due_at));
        for q in &hour.posts {
            assert!(ids.insert(q.id.clone()), "id {} twice", q.id);
            assert!(q.id.starts_with("p_") && q.id.len() == 10);
            assert!(p.meta.networks.contains(&q.network));
            *statuses.entry(q.status).or_default() += 1;
            profiles.insert(q.profile.clone());
            non_ascii += usize::from(!q.profile.is_ascii());
            rtl += usize::from(
                q.profile
                    .chars()
                    .any(|c| ('\u{0590}'..'\u{06ff}').contains(&c)),
            );
            markup += usize::from(q.text.contains("<b>"));
            assert_eq!(
                q.error.is_some(),
                q.status == PostStatus::Failed,
                "{}",
                q.id
            );
            match q.media {
                Media::Image => assert!((100_000..5_000_000).contains(&q.media_bytes.unwrap())),
                Media::Video => {
                    let bytes = q.media_bytes.unwrap();
                    assert!((2_000_000..200_000_000).contains(&bytes));
                    big_video += usize::from(bytes > 100_000_000);
                }
                Media::Text | Media::Link => {
                    assert_eq!(q.media_bytes, None);
                    assert_eq!(q.thumbnail_url, None);
                }
            }
            match (&q.thumbnail_url, q.media) {
                (Some(url), _) => assert!(thumbnails.contains(url), "{url}"),
                (None, Media::Image | Media::Video) => no_thumb += 1,
                _ => {}
            }
        }
    }
    let total = ids.len();
    eprintln!(
        "posts {total}, statuses {statuses:?}, profiles {}",
        profiles.len()
    );
    assert!((200..=400).contains(&profiles.len()), "{}", profiles.len());
    assert!(non_ascii > 100 && rtl > 10 && markup > 100 && no_thumb > 10 && big_video > 10);
    let failed = statuses[&PostStatus::Failed];
    assert!(
        failed * 1000 > total && failed * 100 < total,
        "{failed} of {total}"
    );
    let pending = statuses.get(&PostStatus::Pending).copied().unwrap_or(0);
    assert!(pending * 500 < total, "{pending}");
}

/// Month-end MRR from the events, per the contract, written independently
/// of the generator.
fn event_mrr(r: &RevenueEvents, months: &[Month]) -> Vec<i64> {
    let mut order: Vec<usize> = (0..r.events.len()).collect();
    order.sort_by_key(|&i| (r.events[i].at, i));
    months
        .iter()
        .map(|m| {
            let mut last: HashMap<u32, i64> = HashMap::new();
            for &i in &order {
                let e = &r.events[i];
                if e.at < m.end() {
                    last.insert(e.customer, e.mrr_cents);
                }
            }
            last.values().sum()
        })
        .collect()
}

#[test]
fn revenue_grows_churns_and_drifts_from_the_reported_figure() {
    let r = &parsed().revenue;
    let customers = r.customers.len();
    let reported = r.reported_mrr.clone().unwrap();
    let months: Vec<Month> = reported.iter().map(|x| x.0).collect();
    eprintln!(
        "revenue: {customers} customers, {} events, {} months",
        r.events.len(),
        months.len()
    );
    assert!((4_500..=5_500).contains(&customers));
    assert!(months.len() >= 24);
    assert_eq!(months[0], month("2014-09"));
    assert_eq!(*months.last().unwrap(), month("2016-08"));
    let plans: BTreeSet<&str> = r.plans.iter().map(String::as_str).collect();
    let meta_plans: BTreeSet<&str> = parsed().meta.plans.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(plans, meta_plans);

    let mrr = event_mrr(r, &months);
    let last = *mrr.last().unwrap();
    eprintln!("revenue: MRR 2016-08 {:.0} USD", last as f64 / 100.0);
    assert!((10_000_000..100_000_000).contains(&last), "{last}");
    assert!(
        mrr.windows(2).filter(|w| w[1] > w[0]).count() >= 20,
        "MRR grows"
    );
    let gap_month = month("2016-03");
    for ((m, rep), ev) in reported.iter().zip(&mrr) {
        let gap = rep - ev;
        if *m < gap_month {
            assert_eq!(gap, 0, "{m}");
        } else {
            eprintln!("revenue: {m} reported − events = {gap} cents");
            assert!((2_200_000..=2_800_000).contains(&gap), "{m}: {gap}");
        }
    }

    // Churn every month after the first, a few reactivations, changes.
    let mut by_customer: HashMap<u32, Vec<(i64, EventKind)>> = HashMap::new();
    for e in &r.events {
        by_customer
            .entry(e.customer)
            .or_default()
            .push((e.at.0, e.kind));
    }
    let mut reactivated = 0;
    for evs in by_customer.values_mut() {
        evs.sort_unstable_by_key(|e| e.0);
        assert_eq!(evs[0].1, EventKind::Subscribe);
        reactivated += usize::from(
            evs.windows(2)
                .any(|w| w[0].1 == EventKind::Cancel && w[1].1 == EventKind::Subscribe),
        );
    }
    assert!((10..customers / 10).contains(&reactivated), "{reactivated}");
    for m in &months[2..] {
        let cancels = r
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Cancel && e.at.month() == Some(*m))
            .count();
        assert!(cancels > 0, "no churn in {m}");
    }
    assert!(
        r.events
            .iter()
            .filter(|e| e.kind == EventKind::Change)
            .count()
            > 300
    );
    // Listed mostly, but not strictly, in time order.
    let inversions = r.events.windows(2).filter(|w| w[1].at < w[0].at).count();
    assert!(
        inversions > 0 && inversions * 20 < r.events.len(),
        "{inversions}"
    );
}

#[test]
fn thumbnails_are_small_safe_svgs() {
    let svgs: Vec<&Document> = dataset()
        .iter()
        .filter(|d| d.path.starts_with("api/v1/media/"))
        .collect();
    assert!((30..=50).contains(&svgs.len()));
    for d in svgs {
        let s = std::str::from_utf8(&d.bytes).unwrap();
        assert!(d.path.ends_with(".svg"));
        assert!(s.len() < 1024, "{}: {} bytes", d.path, s.len());
        assert!(s.starts_with("<svg ") && s.contains("viewBox='0 0 160 160'"));
        assert!(!s.to_lowercase().contains("script") && !s.contains("href"));
    }
}

#[test]
fn generation_is_deterministic() {
    let again = demo::generate(&Options::default()).unwrap();
    assert_eq!(again.len(), dataset().len());
    for (a, b) in again.iter().zip(dataset()) {
        assert_eq!(a.path, b.path);
        assert!(a.bytes == b.bytes, "{} differs between two runs", a.path);
    }
}

#[test]
fn public_folder_holds_this_dataset() {
    let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public");
    let regenerate = "run `cargo run --release --bin demo-data` to regenerate public/";
    for d in dataset() {
        let path = public.join(&d.path);
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; {regenerate}", path.display()));
        assert!(bytes == d.bytes, "{} is stale; {regenerate}", d.path);
    }
    let owned: BTreeSet<String> = demo::write::existing_files(&public)
        .unwrap()
        .into_iter()
        .collect();
    let generated: BTreeSet<String> = dataset()
        .iter()
        .map(|d| d.path.clone())
        .filter(|p| {
            demo::OWNED_DIRS
                .iter()
                .any(|o| p.starts_with(&format!("{o}/")))
        })
        .collect();
    let extra: Vec<&String> = owned.difference(&generated).collect();
    assert!(extra.is_empty(), "stale files {extra:?}; {regenerate}");
}
