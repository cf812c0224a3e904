//! The address: all shareable state lives in the query string of the one
//! `index.html`, so a link survives a reload on any static host, under any
//! sub-path, with no rewrite rules.
//!
//! [`Route::parse`] never fails: each unknown or invalid value is dropped,
//! reported in the returned notices, and the default is used instead.
//! [`Route::to_query`] writes the canonical form (fixed key order, defaults
//! omitted), so parsing and writing round-trip.

use crate::api::{AnnotationKind, Day, Media, Month, PostStatus};
use crate::format::{hhmm, parse_hhmm};
use std::cell::Cell;

/// A view, as the address names it (`delivery`). Which views exist is
/// the view registry's business (`crate::views::VIEWS`): the shell
/// announces them once at start ([`View::announce`]); the first announced
/// is the default, and an address naming any other is ignored. The route
/// layer itself names no view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct View(&'static str);

/// What the registry announced: the default view and how to find a view
/// by its key.
#[derive(Clone, Copy)]
struct Announced {
    first: View,
    find: fn(&str) -> Option<View>,
}

thread_local! {
    static ANNOUNCED: Cell<Option<Announced>> = const { Cell::new(None) };
}

impl View {
    /// The view the address names `key` (a view's folder declares its own).
    pub const fn named(key: &'static str) -> Self {
        View(key)
    }

    /// The name used in the address (`delivery`).
    pub fn key(self) -> &'static str {
        self.0
    }

    /// Makes the views `find` knows the ones an address can name, `first`
    /// the default.
    pub fn announce(first: View, find: fn(&str) -> Option<View>) {
        ANNOUNCED.with(|a| a.set(Some(Announced { first, find })));
    }

    fn parse(s: &str) -> Option<Self> {
        (ANNOUNCED.with(Cell::get)?.find)(s)
    }

    /// The view a panel id belongs to (`delivery-minutes` → Delivery).
    pub fn of_panel(panel: &str) -> Option<Self> {
        let prefix = panel.split('-').next()?;
        Self::parse(prefix)
    }
}

impl Default for View {
    /// The first view announced (none before the registry has spoken).
    fn default() -> Self {
        ANNOUNCED.with(Cell::get).map_or(View(""), |a| a.first)
    }
}

/// Light or dark colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Theme {
    /// Dark text on light backgrounds.
    Light,
    /// Light text on dark backgrounds.
    Dark,
}

impl Theme {
    /// The name used in the address.
    pub fn key(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The theme named `key` in the address, if any.
    pub fn from_key(key: &str) -> Option<Self> {
        [Theme::Light, Theme::Dark]
            .into_iter()
            .find(|t| t.key() == key)
    }
}

/// How the queue shows posts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Layout {
    /// One row per post.
    #[default]
    List,
    /// One tile per post image.
    Grid,
}

/// Everything a person might share about what they are looking at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route {
    /// The view shown (`view`).
    pub view: View,
    /// The report or revenue month (`month`).
    pub month: Option<Month>,
    /// The delivery or queue day (`day`).
    pub day: Option<Day>,
    /// A second delivery day to compare with (`compare`).
    pub compare: Option<Day>,
    /// First minute of the window, 0–1439.
    pub from: Option<u16>,
    /// Last minute of the window (inclusive), 0–1439.
    pub to: Option<u16>,
    /// Only these networks (`net`); empty for all.
    pub net: Vec<String>,
    /// Only these media (`media`); empty for all.
    pub media: Vec<Media>,
    /// The queue's hour, 0–23 (`hour`).
    pub hour: Option<u8>,
    /// A minute of the queue's hour, 0–59 (`minute`).
    pub minute: Option<u8>,
    /// The revenue plan shown (`plan`); `None` for all plans.
    pub plan: Option<String>,
    /// MRR target in whole currency units.
    pub target: Option<u64>,
    /// The queue's sort column, `-` first for descending (`sort`).
    pub sort: Option<String>,
    /// Only posts of these statuses (`status`); empty for all.
    pub status: Vec<PostStatus>,
    /// Queue: only posts 90 s or more late.
    pub late: bool,
    /// Queue: text search over profile and text.
    pub q: Option<String>,
    /// The queue as a list or an image grid (`layout`).
    pub layout: Layout,
    /// Annotation kinds not marked on the charts (`hide`).
    pub hide: Vec<AnnotationKind>,
    /// Light or dark (`theme`); `None` follows the system.
    pub theme: Option<Theme>,
    /// The one panel shown, for iframes (`embed`).
    pub embed: Option<String>,
    /// Capacity planner: the current number of broadcaster workers.
    pub workers: Option<u32>,
    /// Capacity planner: volume growth in percent.
    pub growth: Option<i32>,
    /// Capacity planner: minutes to spread the on-the-hour posts over.
    pub spread: Option<u8>,
}

/// A comma-separated list of closed-set values, or `None` if any is
/// unknown.
fn list<T>(value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(parse)
        .collect()
}

/// The capacity planner's address values: `workers` 1–10000, `growth`
/// −99…1000 (whole percent), `spread` 1–60 minutes.
fn capacity_value(key: &str, value: &str, r: &mut Route) -> bool {
    match key {
        "workers" => value
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .map(|n| r.workers = Some(n))
            .is_some(),
        "growth" => value
            .parse::<i32>()
            .ok()
            .filter(|p| (-99..=1000).contains(p))
            .map(|p| r.growth = Some(p))
            .is_some(),
        _ => value
            .parse::<u8>()
            .ok()
            .filter(|m| (1..=60).contains(m))
            .map(|m| r.spread = Some(m))
            .is_some(),
    }
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space).
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes text for a query value, keeping `,` `:` `-` readable.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b':' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn two_digits(s: &str, max: u8) -> Option<u8> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u8>().ok().filter(|v| *v <= max)
}

fn is_panel_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit())
}

impl Route {
    /// Parses a query string (with or without the leading `?`). Returns the
    /// route and one notice per ignored value.
    pub fn parse(query: &str) -> (Route, Vec<String>) {
        let mut r = Route::default();
        let mut notices = Vec::new();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode_component(key);
            let value = decode_component(value);
            let ok = match key.as_str() {
                "view" => View::parse(&value).map(|v| r.view = v).is_some(),
                "month" => Month::parse(&value).map(|v| r.month = Some(v)).is_some(),
                "day" => Day::parse(&value).map(|v| r.day = Some(v)).is_some(),
                "compare" => Day::parse(&value).map(|v| r.compare = Some(v)).is_some(),
                "from" => parse_hhmm(&value).map(|v| r.from = Some(v)).is_some(),
                "to" => parse_hhmm(&value).map(|v| r.to = Some(v)).is_some(),
                "net" => {
                    r.net = value
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect();
                    true
                }
                "media" => list(&value, Media::parse).map(|v| r.media = v).is_some(),
                "hide" => list(&value, AnnotationKind::parse)
                    .map(|mut v| {
                        v.sort();
                        v.dedup();
                        r.hide = v;
                    })
                    .is_some(),
                "hour" => two_digits(&value, 23).map(|v| r.hour = Some(v)).is_some(),
                "minute" => two_digits(&value, 59).map(|v| r.minute = Some(v)).is_some(),
                "plan" => {
                    let ok = !value.is_empty();
                    if ok {
                        r.plan = Some(value.clone());
                    }
                    ok
                }
                "target" => value
                    .parse::<u64>()
                    .ok()
                    .map(|v| r.target = Some(v))
                    .is_some(),
                "sort" => {
                    let ok = !value.is_empty() && value.len() <= 32;
                    if ok {
                        r.sort = Some(value.clone());
                    }
                    ok
                }
                "status" => list(&value, PostStatus::parse)
                    .map(|v| r.status = v)
                    .is_some(),
                "late" => match value.as_str() {
                    "1" | "true" => {
                        r.late = true;
                        true
                    }
                    "0" | "false" => true,
                    _ => false,
                },
                "q" => {
                    if !value.is_empty() {
                        r.q = Some(value.clone());
                    }
                    true
                }
                "layout" => match value.as_str() {
                    "list" => {
                        r.layout = Layout::List;
                        true
                    }
                    "grid" => {
                        r.layout = Layout::Grid;
                        true
                    }
                    _ => false,
                },
                "theme" => match (value.as_str(), Theme::from_key(&value)) {
                    (_, Some(theme)) => {
                        r.theme = Some(theme);
                        true
                    }
                    ("" | "system", None) => true,
                    _ => false,
                },
                "workers" | "growth" | "spread" => capacity_value(&key, &value, &mut r),
                "embed" => {
                    let ok = is_panel_id(&value);
                    if ok {
                        r.embed = Some(value.clone());
                    }
                    ok
                }
                _ => {
                    notices.push(format!(
                        "Ignored the unknown setting {key:?} in the address."
                    ));
                    continue;
                }
            };
            if !ok {
                notices.push(format!(
                    "Ignored {key}={value:?}: not a valid value; the default is used."
                ));
            }
        }
        if let (Some(from), Some(to)) = (r.from, r.to) {
            if from > to {
                notices.push(format!(
                    "Ignored the window {}–{}: it ends before it starts.",
                    hhmm(from),
                    hhmm(to)
                ));
                r.from = None;
                r.to = None;
            }
        }
        if let Some(panel) = &r.embed {
            if let Some(v) = View::of_panel(panel) {
                r.view = v;
            }
        }
        (r, notices)
    }

    /// The canonical query string, starting with `?` (just `?` for defaults).
    pub fn to_query(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if self.view != View::default() {
            parts.push(("view", self.view.key().into()));
        }
        if let Some(m) = self.month {
            parts.push(("month", m.to_string()));
        }
        if let Some(d) = self.day {
            parts.push(("day", d.to_string()));
        }
        if let Some(d) = self.compare {
            parts.push(("compare", d.to_string()));
        }
        if let Some(m) = self.from {
            parts.push(("from", hhmm(m)));
        }
        if let Some(m) = self.to {
            parts.push(("to", hhmm(m)));
        }
        if !self.net.is_empty() {
            parts.push(("net", self.net.join(",")));
        }
        if !self.media.is_empty() {
            let m: Vec<&str> = self.media.iter().map(|m| m.as_str()).collect();
            parts.push(("media", m.join(",")));
        }
        if let Some(h) = self.hour {
            parts.push(("hour", format!("{h:02}")));
        }
        if let Some(m) = self.minute {
            parts.push(("minute", format!("{m:02}")));
        }
        if let Some(p) = &self.plan {
            parts.push(("plan", p.clone()));
        }
        if let Some(t) = self.target {
            parts.push(("target", t.to_string()));
        }
        if let Some(s) = &self.sort {
            parts.push(("sort", s.clone()));
        }
        if !self.status.is_empty() {
            let s: Vec<&str> = self.status.iter().map(|s| s.as_str()).collect();
            parts.push(("status", s.join(",")));
        }
        if self.late {
            parts.push(("late", "1".into()));
        }
        if let Some(q) = &self.q {
            parts.push(("q", q.clone()));
        }
        if self.layout == Layout::Grid {
            parts.push(("layout", "grid".into()));
        }
        if let Some(n) = self.workers {
            parts.push(("workers", n.to_string()));
        }
        if let Some(p) = self.growth {
            parts.push(("growth", p.to_string()));
        }
        if let Some(m) = self.spread {
            parts.push(("spread", m.to_string()));
        }
        if !self.hide.is_empty() {
            let k: Vec<&str> = self.hide.iter().map(|k| k.as_str()).collect();
            parts.push(("hide", k.join(",")));
        }
        if let Some(t) = self.theme {
            parts.push(("theme", t.key().into()));
        }
        if let Some(e) = &self.embed {
            parts.push(("embed", e.clone()));
        }
        let body: Vec<String> = parts
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode_component(&v)))
            .collect();
        format!("?{}", body.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The views these tests name (the app's come from its registry).
    const DELIVERY: View = View::named("delivery");
    const REVENUE: View = View::named("revenue");

    /// Announces the test views (in this test's thread) and parses `query`.
    fn parse(query: &str) -> (Route, Vec<String>) {
        View::announce(View::named("overview"), |key| {
            ["overview", "delivery", "revenue", "queue"]
                .into_iter()
                .find(|k| *k == key)
                .map(View::named)
        });
        Route::parse(query)
    }

    #[test]
    fn parses_the_design_examples() {
        let (r, notices) = parse(
            "?view=delivery&day=2016-08-03&compare=2016-08-29&from=07:55&to=08:10&net=twitter,facebook&media=video&theme=dark",
        );
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(r.view, DELIVERY);
        assert_eq!(r.day.unwrap().to_string(), "2016-08-03");
        assert_eq!(r.from, Some(475));
        assert_eq!(r.to, Some(490));
        assert_eq!(r.net, ["twitter", "facebook"]);
        assert_eq!(r.media, [Media::Video]);
        assert_eq!(r.theme, Some(Theme::Dark));
        let (q, _) = parse("view=queue&day=2016-08-03&hour=08&minute=00&sort=-delay&layout=grid&status=failed,pending&late=1&q=caf%C3%A9+au+lait");
        assert_eq!((q.hour, q.minute), (Some(8), Some(0)));
        assert_eq!(q.sort.as_deref(), Some("-delay"));
        assert_eq!(q.layout, Layout::Grid);
        assert_eq!(q.status, [PostStatus::Failed, PostStatus::Pending]);
        assert!(q.late);
        assert_eq!(q.q.as_deref(), Some("café au lait"));
        let (h, notices) = parse("view=delivery&hide=note,deploy,note");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(h.hide, [AnnotationKind::Deploy, AnnotationKind::Note]);
        assert_eq!(h.to_query(), "?view=delivery&hide=deploy,note");
        let (bad, notices) = parse("view=delivery&hide=deploy,outage");
        assert!(bad.hide.is_empty());
        assert!(notices[0].contains("hide=\"deploy,outage\""), "{notices:?}");
        let (v, _) = parse("view=revenue&plan=business&target=1000000&month=2016-08");
        assert_eq!(v.plan.as_deref(), Some("business"));
        assert_eq!(v.target, Some(1_000_000));
    }

    #[test]
    fn names_only_the_views_announced() {
        let (r, notices) = parse("view=status&embed=status-uptime");
        assert_eq!(r.view.key(), "overview");
        assert_eq!(notices.len(), 1, "{notices:?}");
        // A fifth view: its folder and its row in the registry announce it.
        View::announce(View::named("overview"), |key| {
            ["overview", "status"]
                .into_iter()
                .find(|k| *k == key)
                .map(View::named)
        });
        let (r, notices) = Route::parse("view=status&embed=status-uptime");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(r.view, View::named("status"));
        assert_eq!(r.to_query(), "?view=status&embed=status-uptime");
        assert_eq!(Route::default().view.key(), "overview");
    }

    #[test]
    fn round_trips_through_the_canonical_form() {
        let queries = [
            "?",
            "?view=delivery&day=2016-08-03&compare=2016-08-29&from=08:00&to=08:00&net=twitter&media=image,video",
            "?view=queue&day=2016-08-29&hour=23&sort=-delay&status=sent&late=1&q=%3Cscript%3E&layout=grid",
            "?view=revenue&month=2016-08&plan=business&target=1000000&theme=light",
            "?view=overview&embed=overview-bugs",
            "?view=delivery&day=2016-08-03&workers=24&growth=-20&spread=5&embed=delivery-capacity",
        ];
        for q in queries {
            let (r, notices) = parse(q);
            assert!(notices.is_empty(), "{q}: {notices:?}");
            let (again, _) = parse(&r.to_query());
            assert_eq!(again, r, "{q}");
        }
        assert_eq!(Route::default().to_query(), "?");
        let (r, _) = parse("view=overview&month=2016-08");
        assert_eq!(r.to_query(), "?month=2016-08");
    }

    #[test]
    fn reports_and_replaces_invalid_values() {
        let (r, notices) = parse(
            "view=nope&day=2016-13-01&from=25:00&hour=8x&media=gif&theme=blue&embed=<x>&colour=red",
        );
        assert_eq!(r, Route::default());
        assert_eq!(notices.len(), 8, "{notices:?}");
        assert!(notices[0].contains("view=\"nope\""), "{}", notices[0]);
        assert!(notices[7].contains("unknown setting \"colour\""));
        let (r, notices) = parse("from=09:00&to=08:00");
        assert_eq!((r.from, r.to), (None, None));
        assert_eq!(notices.len(), 1);
    }

    #[test]
    fn reads_the_capacity_planner_values() {
        let (r, notices) = parse("workers=24&growth=20&spread=5");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            (r.workers, r.growth, r.spread),
            (Some(24), Some(20), Some(5))
        );
        let (r, notices) = parse("workers=0&growth=-100&spread=61");
        assert_eq!(r, Route::default());
        assert_eq!(notices.len(), 3, "{notices:?}");
        assert!(notices[0].contains("workers=\"0\""), "{}", notices[0]);
        let (r, notices) = parse("workers=2.5&growth=x&spread=");
        assert_eq!((r.workers, r.growth, r.spread), (None, None, None));
        assert_eq!(notices.len(), 3);
    }

    #[test]
    fn embed_selects_the_panels_view() {
        let (r, _) = parse("embed=delivery-minutes");
        assert_eq!(r.view, DELIVERY);
        assert_eq!(View::of_panel("revenue-kpis"), Some(REVENUE));
        assert_eq!(View::of_panel("bogus"), None);
    }

    #[test]
    fn encodes_hostile_text() {
        assert_eq!(encode_component("<a&b=c>"), "%3Ca%26b%3Dc%3E");
        assert_eq!(decode_component("%zz%4"), "%zz%4");
        assert_eq!(
            decode_component(&encode_component("Café ☕ & co")),
            "Café ☕ & co"
        );
    }
}
