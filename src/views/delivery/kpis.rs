//! `delivery-kpis`: the headline sentence and the figures of the selection
//! (day, filters, window): posts sent and failed, the share sent within
//! 60 s against the 95 % target, posts 90 s or more late, p50/p95/p99.
//!
//! Hooks: `data-kpi` = `posts_sent`, `posts_failed`, `within_60s_share`
//! (a fraction), `late_90s_count`, `p50_s`, `p95_s`, `p99_s` (seconds, or
//! `ge:N` in the open bucket). With a compare day the same figures of that
//! day carry `compare:NAME`, and each figure shows its difference.

use super::state::{short_day, DeliveryState, TARGET_WITHIN_60S};
use crate::api::Day;
use crate::format;
use crate::format::hhmm;
use crate::model::delivery::{DayComparison, Kpis, MinuteClasses, Quantile};
use crate::ui::{Delta, Kpi, Panel, Table, Tone};
use leptos::prelude::*;

/// The sentence that answers the view's question for the selection.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    pub lead: String,
    pub detail: String,
    /// Whether the share within 60 s meets the target.
    pub on_target: Option<bool>,
}

fn posts(n: u64) -> String {
    let count = format::group_thousands(i64::try_from(n).unwrap_or(i64::MAX));
    if n == 1 {
        format!("{count} post")
    } else {
        format!("{count} posts")
    }
}

/// The headline: the minute with the most posts 90 s or more late, and
/// the share sent within 60 s against the target (each class named after
/// the edges in use, [`crate::model::delivery::ClassNames`]).
pub fn headline(k: &Kpis, minutes: &[MinuteClasses]) -> Headline {
    let names = k.edges.names();
    if k.sent == 0 && k.failed == 0 {
        return Headline {
            lead: "No posts were due in this selection".into(),
            detail: "Widen the window or clear the filters.".into(),
            on_target: None,
        };
    }
    // The earliest of the minutes with the most late posts.
    let worst =
        minutes
            .iter()
            .filter(|m| m.classes.ge90 > 0)
            .fold(None::<&MinuteClasses>, |best, m| match best {
                Some(b) if b.classes.ge90 >= m.classes.ge90 => Some(b),
                _ => Some(m),
            });
    let lead = match worst {
        Some(m) => format!(
            "{} due at {} went out {}",
            posts(m.classes.ge90),
            hhmm(m.minute),
            names.late()
        ),
        None if k.sent > 0 => format!("No post went out {}", names.late()),
        None => format!("{} failed and none was sent", posts(k.failed)),
    };
    let mut detail = match k.within_60s {
        Some(share) => format!(
            "{} of the {} sent went out {}, {} the {} target",
            format::percent(share),
            posts(k.sent),
            names.within(),
            if share >= TARGET_WITHIN_60S {
                "meeting"
            } else {
                "short of"
            },
            format::percent(TARGET_WITHIN_60S)
        ),
        None => "Nothing was sent".into(),
    };
    if worst.is_some() && k.late_90s > worst.map_or(0, |m| m.classes.ge90) {
        detail.push_str(&format!(
            "; {} in all were {}",
            posts(k.late_90s),
            names.late()
        ));
    }
    if k.failed > 0 {
        detail.push_str(&format!(
            "; {} failed",
            format::group_thousands(k.failed as i64)
        ));
    }
    detail.push('.');
    // A day whose bounds lack 60 or 90 s says which edges stand in.
    if let Some(note) = names.stand_in_note() {
        detail.push(' ');
        detail.push_str(&note);
    }
    Headline {
        lead,
        detail,
        on_target: k.within_60s.map(|s| s >= TARGET_WITHIN_60S),
    }
}

/// One figure: hook name, label, raw value, text for people.
struct Figure {
    name: &'static str,
    label: String,
    raw: String,
    text: String,
}

fn count_text(n: u64) -> String {
    format::group_thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

fn figures(k: &Kpis) -> Vec<Figure> {
    let names = k.edges.names();
    let q = |name, label: &str, q: Quantile| Figure {
        name,
        label: label.to_owned(),
        raw: q.raw(),
        text: q.label(),
    };
    vec![
        Figure {
            name: "posts_sent",
            label: "Posts sent".into(),
            raw: k.sent.to_string(),
            text: count_text(k.sent),
        },
        Figure {
            name: "posts_failed",
            label: "Posts failed".into(),
            raw: k.failed.to_string(),
            text: count_text(k.failed),
        },
        Figure {
            name: "within_60s_share",
            label: names.sent_within(),
            raw: format::raw_fraction(k.within_60s),
            text: k
                .within_60s
                .map_or_else(|| "n/a".to_owned(), format::percent),
        },
        Figure {
            name: "late_90s_count",
            label: names.late(),
            raw: k.late_90s.to_string(),
            text: count_text(k.late_90s),
        },
        q("p50_s", "Median delay (p50)", k.p50),
        q("p95_s", "p95 delay", k.p95),
        q("p99_s", "p99 delay", k.p99),
    ]
}

/// The month of a day, short: `Aug`.
fn month_short(d: Day) -> String {
    let label = d.month().label();
    label.split(' ').next().unwrap_or_default().to_owned()
}

/// A signed count with thousands grouped: `+1,550`, `−12`, `0`.
fn signed_count(v: i64) -> String {
    let grouped = format::group_thousands(v);
    if v > 0 {
        format!("+{grouped}")
    } else {
        grouped
    }
}

/// The difference of figure `name` between the days, for people.
fn delta_of(name: &str, c: &DayComparison, against: &str) -> Option<Delta> {
    let d = &c.delta;
    let count = |v: i64, up_is_good: Option<bool>| Delta {
        text: signed_count(v),
        tone: Tone::of_change(v as f64, up_is_good),
        against: against.to_owned(),
    };
    let seconds = |v: Option<f64>| {
        v.map(|v| Delta {
            text: format::signed(v, 1, " s"),
            tone: Tone::of_change(v, Some(false)),
            against: against.to_owned(),
        })
    };
    match name {
        "posts_sent" => Some(count(d.sent, None)),
        "posts_failed" => Some(count(d.failed, Some(false))),
        "late_90s_count" => Some(count(d.late_90s, Some(false))),
        "within_60s_share" => d.within_60s.map(|v| Delta {
            text: format::signed(v * 100.0, 1, " pp"),
            tone: Tone::of_change(v, Some(true)),
            against: against.to_owned(),
        }),
        "p50_s" => seconds(d.p50),
        "p95_s" => seconds(d.p95),
        "p99_s" => seconds(d.p99),
        _ => None,
    }
}

fn kpi_view(f: Figure, delta: Option<Delta>) -> AnyView {
    let Figure {
        name,
        label,
        raw,
        text,
    } = f;
    match delta {
        Some(d) => view! { <Kpi name=name raw=raw label=label text=text delta=d /> }.into_any(),
        None => view! { <Kpi name=name raw=raw label=label text=text /> }.into_any(),
    }
}

/// The figures and, with a compare day, that day's figures and the
/// differences.
fn kpis_table(day: Day, k: &Kpis, compare: Option<(Day, &Kpis)>) -> Table {
    let mut columns = vec!["figure", "value"];
    if compare.is_some() {
        columns.extend(["compare_value", "difference"]);
    }
    let caption = match compare {
        Some((c, _)) => format!("Delivery figures, {day} compared with {c}"),
        None => format!("Delivery figures, {day}"),
    };
    let mut t = Table::new(caption, &columns);
    let other = compare.map(|(_, ck)| (figures(ck), DayComparison::new(*k, *ck)));
    for (i, f) in figures(k).into_iter().enumerate() {
        let mut row = vec![f.name.to_owned(), f.raw];
        if let Some((figs, cmp)) = &other {
            row.push(figs.get(i).map(|g| g.raw.clone()).unwrap_or_default());
            row.push(diff_raw(f.name, cmp));
        }
        t.push(row);
    }
    t
}

/// The difference of figure `name`, machine-readable (`n/a` when it has
/// none).
fn diff_raw(name: &str, c: &DayComparison) -> String {
    let d = &c.delta;
    let secs = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), format::raw);
    match name {
        "posts_sent" => d.sent.to_string(),
        "posts_failed" => d.failed.to_string(),
        "late_90s_count" => d.late_90s.to_string(),
        "within_60s_share" => format::raw_fraction(d.within_60s),
        "p50_s" => secs(d.p50),
        "p95_s" => secs(d.p95),
        "p99_s" => secs(d.p99),
        _ => String::new(),
    }
}

/// The KPI panel.
#[component]
pub fn KpisPanel(st: DeliveryState) -> impl IntoView {
    let window = st.window;
    let kpis = Memo::new(move |_| st.hist.get().map(|h| h.kpis(window.get())));
    let compare_kpis = Memo::new(move |_| {
        let c = st.compare.get()?;
        Some((c, st.compare_hist.get()?.kpis(window.get())))
    });
    let head = Memo::new(move |_| {
        let h = st.hist.get()?;
        let w = window.get();
        Some(headline(&h.kpis(w), &h.minute_classes(w)))
    });
    let table = Signal::derive(move || {
        let day = st.day.get()?;
        let k = kpis.get()?;
        let c = compare_kpis.get();
        Some(kpis_table(day, &k, c.as_ref().map(|(d, ck)| (*d, ck))))
    });
    let retry = Callback::new(move |_| st.retry());
    let title = Signal::derive(move || {
        let w = window.get();
        let when = if w.len() == 1440 {
            "whole day".to_owned()
        } else if w.from == w.to {
            format!("due at {} UTC", hhmm(w.from))
        } else {
            format!("due {}–{} UTC", hhmm(w.from), hhmm(w.to))
        };
        match st.day.get() {
            Some(d) => format!("{}, {when}", short_day(d)),
            None => "Delivery".to_owned(),
        }
    });

    // A compare day (as the address asks: the dataset's days may not be
    // read yet) makes each row of figures taller: the place held while
    // the day loads follows (style/delivery.css).
    let comparing = expect_context::<crate::state::AppState>()
        .route
        .with_untracked(|r| r.compare.is_some());
    let class = if comparing { "wide comparing" } else { "wide" };
    let headline_view = move || {
        head.get().map(|h| {
            let class = match h.on_target {
                Some(true) => "headline good",
                Some(false) => "headline bad",
                None => "headline",
            };
            let hook = h.lead.clone();
            view! {
                <div class=class data-headline=hook>
                    <p class="headline-lead">{h.lead}</p>
                    <p class="headline-detail">{h.detail}</p>
                </div>
            }
        })
    };
    let share_meter = move || {
        let share = kpis.get()?.within_60s?;
        let pct = (share.clamp(0.0, 1.0) * 100.0).min(100.0);
        let met = share >= TARGET_WITHIN_60S;
        Some(view! {
            <div class="target-meter" aria-hidden="true">
                <span class=if met { "target-fill good" } else { "target-fill bad" } style:width=format!("{}%", format::fixed(pct, 2))></span>
                <span class="target-mark"></span>
            </div>
        })
    };
    let figures_view = move || {
        let k = kpis.get()?;
        let cmp = compare_kpis.get();
        let comparison = cmp.map(|(d, ck)| (d, ck, DayComparison::new(k, ck)));
        // A compare day that has not joined yet (it does after the first
        // paint): its places are held, so nothing moves when it comes.
        let compare_day = comparison
            .as_ref()
            .map(|(d, _, _)| *d)
            .or_else(|| st.compare.get());
        let against = compare_day.map(|d| format!("vs {} {}", d.day_of_month(), month_short(d)));
        let other: Option<Vec<Figure>> = comparison.as_ref().map(|(_, ck, _)| figures(ck));
        let cells = figures(&k)
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let name = f.name;
                let delta = against.as_ref().and_then(|a| match &comparison {
                    Some((_, _, c)) => delta_of(name, c, a),
                    None => Some(Delta {
                        text: "…".into(),
                        tone: Tone::Neutral,
                        against: a.clone(),
                    }),
                });
                // The compare day's figure, or an ellipsis until it joins.
                let compare_cell = compare_day.map(|d| {
                    let g = other.as_ref().and_then(|o| o.get(i));
                    view! {
                        <div
                            class="kpi-compare"
                            data-kpi=g.map(|_| format!("compare:{name}"))
                            data-value=g.map(|g| g.raw.clone())
                            aria-hidden=g.is_none().then_some("true")
                        >
                            <span class="kpi-compare-day">{short_day(d)}</span>
                            " "
                            <span class="kpi-compare-value">{g.map_or_else(|| "…".to_owned(), |g| g.text.clone())}</span>
                        </div>
                    }
                });
                let meter = (name == "within_60s_share").then(share_meter);
                let class = if name == "within_60s_share" {
                    "dkpi share"
                } else {
                    "dkpi"
                };
                view! {
                    <div class=class>
                        {kpi_view(f, delta)}
                        {meter}
                        {compare_cell}
                    </div>
                }
            })
            .collect_view();
        Some(view! { <div class="kpis delivery-kpis">{cells}</div> })
    };
    view! {
        <Panel id="delivery-kpis" title=title state=st.panel on_retry=retry table=table class=class>
            {headline_view}
            {figures_view}
            <p class="muted small target-note">
                "Target: " {format::percent(TARGET_WITHIN_60S)} " of posts sent within 60 s of their due time. "
                "Delays are quantiles of the day's histograms, interpolated inside a bucket; "
                "“≥ N s” means the rank falls in the last, open bucket, N s or more."
            </p>
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::delivery::{DelayClasses, Histogram};
    use std::sync::Arc;

    fn kpis(counts: Vec<u64>, failed: u64) -> Kpis {
        let bounds: Arc<[f64]> = vec![60.0, 90.0].into();
        Histogram::new(bounds, counts, failed).unwrap().kpis()
    }

    fn minute(minute: u16, lt60: u64, ge90: u64) -> MinuteClasses {
        MinuteClasses {
            minute,
            classes: DelayClasses {
                lt60,
                from60to90: 0,
                ge90,
                failed: 0,
            },
        }
    }

    #[test]
    fn headline_names_the_worst_minute() {
        let k = kpis(vec![90, 0, 10], 2);
        let m = [minute(479, 5, 0), minute(480, 80, 7), minute(481, 5, 3)];
        let h = headline(&k, &m);
        assert_eq!(h.lead, "7 posts due at 08:00 went out 90 s or more late");
        assert_eq!(
            h.detail,
            "90 % of the 100 posts sent went out within 60 s, short of the 95 % target; 10 posts in all were 90 s or more late; 2 failed."
        );
        assert_eq!(h.on_target, Some(false));
        // Ties go to the earliest minute.
        let m = [minute(600, 1, 3), minute(480, 1, 3)];
        assert!(headline(&k, &m).lead.contains("10:00"));
    }

    #[test]
    fn headline_and_figures_name_the_edges_that_stand_in() {
        // Bounds 10, 60, 300: 60 s stands in for 90 s, no middle class.
        let bounds: Arc<[f64]> = vec![10.0, 60.0, 300.0].into();
        let k = Histogram::new(bounds, vec![50, 40, 6, 4], 1)
            .unwrap()
            .kpis();
        assert_eq!(k.late_90s, 10);
        let h = headline(&k, &[minute(480, 90, 10)]);
        assert_eq!(h.lead, "10 posts due at 08:00 went out 60 s or more late");
        assert_eq!(
            h.detail,
            "90 % of the 100 posts sent went out within 60 s, short of the 95 % target; 1 failed. \
             This day's delay buckets have no edge at 90 s: the nearest edges stand in, so \
             “90 s or more late” is 60 s or more late."
        );
        let f = figures(&k);
        let label = |n: &str| f.iter().find(|f| f.name == n).unwrap().label.clone();
        assert_eq!(label("within_60s_share"), "Sent within 60 s");
        assert_eq!(label("late_90s_count"), "60 s or more late");
        // The usual bounds: the usual names, no sentence.
        let h = headline(&kpis(vec![90, 0, 10], 0), &[minute(480, 90, 10)]);
        assert_eq!(h.lead, "10 posts due at 08:00 went out 90 s or more late");
        assert!(!h.detail.contains("edge"), "{}", h.detail);
    }

    #[test]
    fn headline_without_late_posts_or_posts() {
        let k = kpis(vec![99, 1, 0], 0);
        let h = headline(&k, &[minute(0, 99, 0)]);
        assert_eq!(h.lead, "No post went out 90 s or more late");
        assert!(h.detail.contains("meeting the 95 % target"), "{}", h.detail);
        assert_eq!(h.on_target, Some(true));
        let none = headline(&kpis(vec![0, 0, 0], 0), &[]);
        assert_eq!(none.lead, "No posts were due in this selection");
        assert_eq!(none.on_target, None);
        let one = headline(&kpis(vec![0, 0, 1], 0), &[minute(5, 0, 1)]);
        assert_eq!(one.lead, "1 post due at 00:05 went out 90 s or more late");
    }

    #[test]
    fn figures_keep_full_precision_beside_rounded_text() {
        // 9 posts, 7 of them under 60 s: p50 at rank 4.5 is 4.5 / 7 × 60 s.
        let f = figures(&kpis(vec![7, 2, 0], 0));
        let by_name = |n: &str| f.iter().find(|f| f.name == n).unwrap();
        let p50 = by_name("p50_s");
        assert_eq!(
            (p50.raw.as_str(), p50.text.as_str()),
            ("38.5714285714286", "38.6 s")
        );
        let share = by_name("within_60s_share");
        assert_eq!(
            (share.raw.as_str(), share.text.as_str()),
            ("0.777777777777778", "77.8 %")
        );
        assert_eq!(by_name("posts_sent").raw, "9");
        let b = kpis(vec![9, 0, 0], 0);
        let c = DayComparison::new(kpis(vec![7, 2, 0], 0), b);
        // 38.571… − 30 s, to the 15th digit (not rounded to 8.6).
        let diff: f64 = diff_raw("p50_s", &c).parse().unwrap();
        assert!((diff - 60.0 / 7.0).abs() < 1e-13, "{diff}");
    }

    #[test]
    fn table_and_deltas_compare_two_days() {
        let a = kpis(vec![80, 10, 10], 1);
        let b = kpis(vec![95, 5, 0], 0);
        let day = Day::parse("2016-08-03").unwrap();
        let other = Day::parse("2016-08-29").unwrap();
        let t = kpis_table(day, &a, Some((other, &b)));
        assert_eq!(
            t.columns,
            ["figure", "value", "compare_value", "difference"]
        );
        assert_eq!(t.rows[0], ["posts_sent", "100", "100", "0"]);
        assert_eq!(t.rows[2], ["within_60s_share", "0.8", "0.95", "-0.15"]);
        assert_eq!(t.rows[3], ["late_90s_count", "10", "0", "10"]);
        let c = DayComparison::new(a, b);
        let d = delta_of("within_60s_share", &c, "vs Mon 29 Aug").unwrap();
        assert_eq!(d.text, "−15 pp");
        assert_eq!(d.tone, Tone::Bad);
        let d = delta_of("late_90s_count", &c, "vs x").unwrap();
        assert_eq!((d.text.as_str(), d.tone), ("+10", Tone::Bad));
        assert_eq!(signed_count(1550), "+1,550");
        assert_eq!(signed_count(-1550), "−1,550");
        assert_eq!(signed_count(0), "0");
    }
}
