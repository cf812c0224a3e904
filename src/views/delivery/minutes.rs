//! `delivery-minutes`: posts per due minute, stacked by delay class. The
//! late classes sit on the baseline (failed, then 90 s or more, then
//! 60–90 s) with the posts sent within 60 s on top, so late posts compare
//! across minutes at a glance; with a compare day, that day's late or
//! failed posts are drawn over the bars as an outline.
//!
//! Click a minute (or Enter on the keyboard's minute): the Queue opens on
//! its posts, most late first. Drag across minutes (`+`/`-` by key, two
//! fingers on a touch screen): the window narrows to them. Double-click
//! (`0`, a double tap): the whole day.

use super::legend::{Legend, Swatch};
use super::state::{focus_window, short_day, window_from_zoom, DeliveryState};
use crate::api::Day;
use crate::chart::{Axis, ChartCanvas, ChartMarks, ChartSpec, ColorRole, Layer, Pick, Series};
use crate::format::hhmm;
use crate::model::delivery::{ClassNames, DayHistogram, MinuteClasses, Window};
use crate::rest::AfterPaint;
use crate::ui::{Panel, Table};
use leptos::prelude::*;
use std::sync::Arc;

fn f(n: u64) -> f64 {
    n as f64
}

/// The compare day's late (60 s or more) or failed posts of one minute.
fn late_or_failed(m: &MinuteClasses) -> u64 {
    m.classes.from60to90 + m.classes.ge90 + m.classes.failed
}

/// Windows longer than this many minutes draw bars a few pixels wide at
/// most.
const HAIRLINE_OVER_MINUTES: usize = 240;

/// Windows longer than this many minutes get a note on the peak minute.
const ANNOTATE_OVER_MINUTES: usize = 120;

/// A rule under the peak minute's bar, labelled with what happened then.
fn peak_note(minutes: &[MinuteClasses], names: &ClassNames) -> Option<Layer> {
    let minute = peak_minute(minutes)?;
    let m = minutes.iter().find(|m| m.minute == minute)?;
    let what = if m.classes.ge90 > 0 {
        format!("{} {}", count(m.classes.ge90), names.late_short())
    } else {
        format!("{} posts", count(m.classes.total()))
    };
    let label = format!("{} · {what}", hhmm(minute));
    Some(Layer::vrule(
        f64::from(minute),
        ColorRole::Grid,
        Some(&label),
    ))
}

fn count(n: u64) -> String {
    crate::format::group_thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The chart: stacked classes per minute of `w` (named by `names`), the
/// posts within 60 s left out when `late_only`, and the compare day's
/// late or failed posts as an outline.
pub fn minutes_spec(
    minutes: &[MinuteClasses],
    compare: Option<(Day, &[MinuteClasses])>,
    w: Window,
    late_only: bool,
    names: &ClassNames,
) -> ChartSpec {
    let xs: Vec<f64> = minutes.iter().map(|m| f64::from(m.minute)).collect();
    let class = |pick: fn(&MinuteClasses) -> u64| minutes.iter().map(|m| f(pick(m))).collect();
    let mut series = vec![
        Series::new("Failed", ColorRole::Failed, class(|m| m.classes.failed)),
        Series::new(
            names.late_short(),
            ColorRole::Late,
            class(|m| m.classes.ge90),
        ),
    ];
    // Bounds that put both edges on one bound have no middle class.
    if let Some(middle) = names.middle() {
        series.push(Series::new(
            middle,
            ColorRole::Warn,
            class(|m| m.classes.from60to90),
        ));
    }
    if !late_only {
        series.push(Series::new(
            names.below(),
            ColorRole::Ok,
            class(|m| m.classes.lt60),
        ));
    }
    let label = if late_only {
        format!(
            "Posts sent {}, or failed, per due minute",
            names.not_within()
        )
    } else {
        "Posts per due minute by delay class".to_owned()
    };
    let mut spec = ChartSpec::new(
        label,
        Axis::minutes().domain(f64::from(w.from), f64::from(w.to) + 1.0),
        Axis::linear().title("posts"),
    );
    // On a wide window a minute is a hairline: name the worst one.
    if w.len() > ANNOTATE_OVER_MINUTES {
        if let Some(note) = peak_note(minutes, names) {
            spec = spec.layer(note);
        }
    }
    let bars = Layer::stacked_bars(xs, series);
    let Some((day, cmp)) = compare else {
        return spec.layer(bars);
    };
    let cx = cmp.iter().map(|m| f64::from(m.minute)).collect();
    let cy = cmp.iter().map(|m| f(late_or_failed(m))).collect();
    let outline = Layer::outline(
        format!("{}: late or failed", short_day(day)),
        ColorRole::Compare,
        cx,
        cy,
    );
    // Hairline bars would vanish under the outline's edges: there the
    // compare day goes under the bars and shows where it rose above them.
    if w.len() > HAIRLINE_OVER_MINUTES {
        spec = spec.layer(outline).layer(bars);
    } else {
        spec = spec.layer(bars).layer(outline);
    }
    spec
}

/// The chart in one sentence, for its accessible description: "Posts per
/// due minute on 3 Aug 2016: peak 9,171 at 08:00; 5,162 posts 90 s or
/// more late." (the window named when it is not the whole day, the peak
/// of the bars shown).
pub fn minutes_summary(
    day: Option<Day>,
    minutes: &[MinuteClasses],
    w: Window,
    late_only: bool,
    names: &ClassNames,
) -> String {
    let what = if late_only {
        format!(
            "Posts sent {}, or failed, per due minute",
            names.not_within()
        )
    } else {
        "Posts per due minute".to_owned()
    };
    let on = day
        .map(|d| format!(" on {} {}", d.day_of_month(), d.month().label()))
        .unwrap_or_default();
    let span = if w == Window::DAY {
        String::new()
    } else {
        format!(", {}–{}", hhmm(w.from), hhmm(w.to))
    };
    let shown = |m: &MinuteClasses| {
        if late_only {
            late_or_failed(m)
        } else {
            m.classes.total()
        }
    };
    let peak = minutes
        .iter()
        .filter(|m| shown(m) > 0)
        .fold(None::<&MinuteClasses>, |best, m| match best {
            Some(b) if shown(b) >= shown(m) => Some(b),
            _ => Some(m),
        });
    let late: u64 = minutes.iter().map(|m| m.classes.ge90).sum();
    match peak {
        None => format!("{what}{on}{span}: no posts."),
        Some(m) => format!(
            "{what}{on}{span}: peak {} at {}; {} posts {}.",
            count(shown(m)),
            hhmm(m.minute),
            count(late),
            names.late()
        ),
    }
}

/// The numbers of the chart, one row per minute.
pub fn minutes_table(
    day: Day,
    minutes: &[MinuteClasses],
    compare: Option<(Day, &[MinuteClasses])>,
) -> Table {
    let mut columns = vec![
        "minute",
        "sent_lt_60s",
        "sent_60_90s",
        "sent_ge_90s",
        "failed",
        "total",
    ];
    if compare.is_some() {
        columns.push("compare_late_or_failed");
    }
    let caption = match compare {
        Some((c, _)) => format!("Posts per due minute by delay class, {day} (compared with {c})"),
        None => format!("Posts per due minute by delay class, {day}"),
    };
    let mut t = Table::new(caption, &columns);
    for (i, m) in minutes.iter().enumerate() {
        let c = m.classes;
        let mut row = vec![
            hhmm(m.minute),
            c.lt60.to_string(),
            c.from60to90.to_string(),
            c.ge90.to_string(),
            c.failed.to_string(),
            c.total().to_string(),
        ];
        if let Some((_, cmp)) = compare {
            row.push(
                cmp.get(i)
                    .filter(|o| o.minute == m.minute)
                    .map(|o| late_or_failed(o).to_string())
                    .unwrap_or_default(),
            );
        }
        t.push(row);
    }
    t
}

/// The minute with the most posts 90 s or more late (else the most
/// posts) in `minutes`, if any had posts.
pub fn peak_minute(minutes: &[MinuteClasses]) -> Option<u16> {
    let late =
        minutes
            .iter()
            .filter(|m| m.classes.ge90 > 0)
            .fold(None::<&MinuteClasses>, |best, m| match best {
                Some(b) if b.classes.ge90 >= m.classes.ge90 => Some(b),
                _ => Some(m),
            });
    let busiest = || {
        minutes
            .iter()
            .filter(|m| m.classes.total() > 0)
            .fold(None::<&MinuteClasses>, |best, m| match best {
                Some(b) if b.classes.total() >= m.classes.total() => Some(b),
                _ => Some(m),
            })
    };
    late.or_else(busiest).map(|m| m.minute)
}

/// Classes per minute of a histogram over a window.
fn classes(h: Option<&DayHistogram>, w: Window) -> Vec<MinuteClasses> {
    h.map(|h| h.minute_classes(w)).unwrap_or_default()
}

/// The minutes panel.
#[component]
pub fn MinutesPanel(st: DeliveryState) -> impl IntoView {
    // Unset: late posts only while comparing days (so the compare
    // outline reads against the late bars), all posts otherwise.
    let chosen = RwSignal::new(None::<bool>);
    let late_only =
        Signal::derive(move || chosen.get().unwrap_or_else(|| st.compare.get().is_some()));
    let window = st.window;
    let own = Memo::new(move |_| {
        let h = st.hist.get();
        Arc::new(classes(h.as_deref(), window.get()))
    });
    let other = Memo::new(move |_| {
        let day = st.compare.get()?;
        let h = st.compare_hist.get()?;
        Some((day, Arc::new(h.minute_classes(window.get()))))
    });
    let spec = Memo::new(move |_| {
        let mine = own.get();
        let cmp = other.get();
        minutes_spec(
            &mine,
            cmp.as_ref().map(|(d, m)| (*d, m.as_slice())),
            window.get(),
            late_only.get(),
            &st.names(),
        )
    });
    let table = Signal::derive(move || {
        let day = st.day.get()?;
        let mine = own.get();
        let cmp = other.get();
        Some(minutes_table(
            day,
            &mine,
            cmp.as_ref().map(|(d, m)| (*d, m.as_slice())),
        ))
    });
    let peak = Memo::new(move |_| {
        let w = window.get();
        let peak = peak_minute(&own.get())?;
        let focus = focus_window(peak);
        // Offer it only when it narrows what is shown.
        (focus.len() < w.len()).then_some((peak, focus))
    });
    let retry = Callback::new(move |_| st.retry());
    let on_select = Callback::new(move |p: Pick| {
        if p.x.is_finite() && (0.0..1440.0).contains(&p.x) {
            st.open_queue(p.x.floor() as u16);
        }
    });
    let on_zoom = Callback::new(move |(lo, hi): (f64, f64)| {
        if let Some(w) = window_from_zoom(lo, hi) {
            st.set_window(w);
        }
    });
    let on_reset = Callback::new(move |_| st.reset_window());
    let has_data = Signal::derive(move || own.with(|m| !m.is_empty()));
    // Read only once the chart is described, after the first paint.
    let summary = Signal::derive(move || {
        minutes_summary(
            st.day.get(),
            &own.get(),
            window.get(),
            late_only.get(),
            &st.names(),
        )
    });
    // Set once the page's second part is in (below): from then on the
    // chart takes keys and touches and is described.
    let later = RwSignal::new(false);

    let controls: ChildrenFn = Arc::new(move || {
        view! {
            {move || peak.get().map(|(minute, focus)| view! {
                <button
                    class="button quiet"
                    data-action="focus-peak"
                    title=format!("Show {}–{} UTC", hhmm(focus.from), hhmm(focus.to))
                    on:click=move |_| st.set_window(focus)
                >
                    {format!("Zoom to {}", hhmm(minute))}
                </button>
            })}
            <div class="toggle-group" role="group" aria-label="Posts shown">
                <button
                    type="button"
                    data-minutes="all"
                    aria-pressed=move || (!late_only.get()).to_string()
                    on:click=move |_| chosen.set(Some(false))
                >
                    "All posts"
                </button>
                <button
                    type="button"
                    data-minutes="late"
                    aria-pressed=move || late_only.get().to_string()
                    on:click=move |_| chosen.set(Some(true))
                >
                    "Late only"
                </button>
            </div>
        }
        .into_any()
    });
    let legend = move || {
        let names = st.names();
        let mut items = Vec::new();
        if !late_only.get() {
            items.push(Swatch::fill("ok", names.sent_within()));
        }
        if let Some(middle) = names.middle_late() {
            items.push(Swatch::fill("warn", middle));
        }
        items.push(Swatch::fill("late", names.late()));
        items.push(Swatch::fill("failed", "Failed"));
        if let Some(d) = st.compare.get() {
            items.push(Swatch::outline(
                "compare",
                format!("{}: {}, or failed", short_day(d), names.not_within()),
            ));
        }
        view! { <Legend items=items /> }
    };
    view! {
        <Panel
            id="delivery-minutes"
            title="Posts per due minute, by delay"
            state=st.panel
            on_retry=retry
            table=table
            chart=true
            class="wide chart-panel"
            controls=controls
        >
            {legend}
            <ChartCanvas
                spec=spec
                name="delivery-minutes"
                on_select=on_select
                on_zoom=on_zoom
                on_reset=on_reset
                summary=summary
                later=later />
            <AfterPaint when=has_data placeholder="chart-marks-placeholder">
                {later.set(true)}
                <ChartMarks marks=st.marks() />
            </AfterPaint>
            <p class="chart-hint muted small">
                "Click a minute to open its posts in the Queue, most late first. Drag across minutes to zoom; double-click to see the whole day."
            </p>
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::delivery::DelayClasses;

    fn m(minute: u16, lt60: u64, from60to90: u64, ge90: u64, failed: u64) -> MinuteClasses {
        MinuteClasses {
            minute,
            classes: DelayClasses {
                lt60,
                from60to90,
                ge90,
                failed,
            },
        }
    }

    #[test]
    fn spec_stacks_late_classes_on_the_baseline() {
        let mine = [m(480, 50, 3, 7, 1), m(481, 9, 0, 0, 0)];
        let theirs = [m(480, 60, 1, 2, 0), m(481, 9, 1, 0, 0)];
        let day = Day::parse("2016-08-29").unwrap();
        let spec = minutes_spec(
            &mine,
            Some((day, &theirs)),
            Window::new(480, 481),
            false,
            &ClassNames::NOMINAL,
        );
        assert_eq!(spec.x.domain, Some((480.0, 482.0)));
        let Layer::StackedBars { x, series } = &spec.layers[0] else {
            panic!("stacked bars first");
        };
        assert_eq!(x, &[480.0, 481.0]);
        let roles: Vec<ColorRole> = series.iter().map(|s| s.role).collect();
        assert_eq!(
            roles,
            [
                ColorRole::Failed,
                ColorRole::Late,
                ColorRole::Warn,
                ColorRole::Ok
            ]
        );
        assert_eq!(series[1].values, [7.0, 0.0]);
        assert_eq!(series[3].values, [50.0, 9.0]);
        let Layer::Bars { y, outline, .. } = &spec.layers[1] else {
            panic!("compare outline second");
        };
        assert!(*outline);
        assert_eq!(y, &[3.0, 1.0]);
        let late = minutes_spec(
            &mine,
            None,
            Window::new(480, 481),
            true,
            &ClassNames::NOMINAL,
        );
        let Layer::StackedBars { series, .. } = &late.layers[0] else {
            panic!("stacked bars");
        };
        assert_eq!(series.len(), 3);
        assert_eq!(late.layers.len(), 1);
        // A wide window names the peak minute, under the bars, and puts
        // the compare day under them too.
        let day_spec = minutes_spec(
            &mine,
            Some((day, &theirs)),
            Window::DAY,
            false,
            &ClassNames::NOMINAL,
        );
        assert_eq!(
            day_spec.layers[0],
            Layer::vrule(480.0, ColorRole::Grid, Some("08:00 · 7 ≥ 90 s late"))
        );
        assert!(matches!(
            day_spec.layers[1],
            Layer::Bars { outline: true, .. }
        ));
        assert!(matches!(day_spec.layers[2], Layer::StackedBars { .. }));
    }

    #[test]
    fn summary_names_the_day_the_peak_and_the_late_posts() {
        let mine = [m(479, 5, 0, 0, 0), m(480, 50, 3, 7, 1), m(481, 90, 2, 2, 0)];
        let day = Day::parse("2016-08-03");
        assert_eq!(
            minutes_summary(day, &mine, Window::DAY, false, &ClassNames::NOMINAL),
            "Posts per due minute on 3 Aug 2016: peak 94 at 08:01; 9 posts 90 s or more late."
        );
        assert_eq!(
            minutes_summary(
                day,
                &mine,
                Window::new(479, 481),
                true,
                &ClassNames::NOMINAL
            ),
            "Posts sent 60 s or more late, or failed, per due minute on 3 Aug 2016, \
             07:59–08:01: peak 11 at 08:00; 9 posts 90 s or more late."
        );
        assert_eq!(
            minutes_summary(None, &[], Window::DAY, false, &ClassNames::NOMINAL),
            "Posts per due minute: no posts."
        );
    }

    #[test]
    fn table_and_peak() {
        let mine = [m(479, 5, 0, 0, 0), m(480, 50, 3, 7, 1), m(481, 90, 0, 2, 0)];
        let day = Day::parse("2016-08-03").unwrap();
        let t = minutes_table(day, &mine, None);
        assert_eq!(t.rows[1], ["08:00", "50", "3", "7", "1", "61"]);
        assert_eq!(peak_minute(&mine), Some(480));
        assert_eq!(peak_minute(&[m(3, 1, 0, 0, 0), m(4, 2, 0, 0, 0)]), Some(4));
        assert_eq!(peak_minute(&[m(3, 0, 0, 0, 0)]), None);
    }
}
