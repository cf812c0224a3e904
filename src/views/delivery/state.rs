//! The Delivery view's state: what the address asks for (day, compare day,
//! filters, minute window), the two day documents, and the summed
//! histograms every panel reads.
//!
//! - A day document is fetched once per day; it is summed into a
//!   [`DayHistogram`] once per (day, filter). A new window only re-slices
//!   that histogram: nothing is fetched or summed again.
//! - Days that `meta.json` does not list, and unknown networks, are
//!   reported and dropped from the address; the latest delivery day is
//!   the default.
//! - The compare day joins after the first chart is painted, when the
//!   rest of the code is in ([`crate::rest::in_after_paint`]).
//! - Every change of day, filter or window goes through the address
//!   ([`AppState::navigate`]), so each state can be shared and reloaded.

use crate::api::{delivery_doc, Day, DeliveryDay, LoadError, Media, Meta};
use crate::load::{doc_resource, Loaded, Shared};
use crate::model::annotations::TimeAxis;
use crate::model::delivery::{
    breakdown, BreakdownRow, ClassEdges, ClassNames, DayHistogram, SeriesFilter, Window,
};
use crate::route::Route;
use crate::state::AppState;
use crate::ui::PanelState;
use crate::views::{correct_address, shown_or_latest, Corrected};
use leptos::prelude::*;
use std::rc::Rc;

/// The delivery target: share of posts sent within 60 s.
pub const TARGET_WITHIN_60S: f64 = 0.95;

/// Windows longer than this many minutes show quantiles per 5 minutes.
pub const FINE_QUANTILES_UP_TO: usize = 240;

/// A day as people read it in pickers: `Wed 2016-08-03`.
pub fn day_label(d: Day) -> String {
    format!("{} {d}", d.weekday_short())
}

/// A day in a sentence or beside a figure: `Mon 29 Aug`.
pub fn short_day(d: Day) -> String {
    let label = d.month().label();
    let month = label.split(' ').next().unwrap_or_default();
    format!("{} {} {month}", d.weekday_short(), d.day_of_month())
}

/// The window the address asks for (the whole day when it names none).
pub fn window_of(route: &Route) -> Window {
    Window::new(
        route.from.unwrap_or(0),
        route.to.unwrap_or(Window::LAST_MINUTE),
    )
}

/// How many minutes each quantile point covers for a window.
pub fn quantile_group(w: Window) -> usize {
    if w.len() > FINE_QUANTILES_UP_TO {
        5
    } else {
        1
    }
}

/// The window `[lo, hi)` selected on a minutes chart as a `Window`
/// (inclusive), clamped to the day; `None` when it holds no minute.
pub fn window_from_zoom(lo: f64, hi: f64) -> Option<Window> {
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    let last = f64::from(Window::LAST_MINUTE);
    let from = lo.floor().clamp(0.0, last);
    let to = (hi.ceil() - 1.0).clamp(0.0, last);
    (to >= from).then(|| Window::new(from as u16, to as u16))
}

/// The window around `minute`: ten minutes before it, twenty after.
pub fn focus_window(minute: u16) -> Window {
    Window::new(
        minute.saturating_sub(10),
        minute.saturating_add(20).min(Window::LAST_MINUTE),
    )
}

/// The address as the Delivery view can show it, given `meta.json`: a day
/// or compare day the dataset lacks, and networks it does not name, are
/// dropped.
pub fn correct(route: &Route, meta: &Meta) -> Corrected {
    let days = &meta.delivery_days;
    let c = Corrected::of(route).day(days, "delivery data");
    let c = match route.compare.filter(|d| !days.contains(d)) {
        Some(d) => c.drop(
            format!("There is no delivery data for {d} to compare with; the comparison is off."),
            |r| r.compare = None,
        ),
        None => c,
    };
    c.networks(&meta.networks)
}

/// Everything the panels share; `Copy`, so it moves into closures.
#[derive(Clone, Copy)]
pub struct DeliveryState {
    pub app: AppState,
    /// The day shown: the address's if the dataset has it, else the latest.
    pub day: Memo<Option<Day>>,
    /// The day compared with, if any (and if the dataset has it).
    pub compare: Memo<Option<Day>>,
    pub window: Memo<Window>,
    pub filter: Memo<SeriesFilter>,
    day_doc: LocalResource<Option<Loaded<DeliveryDay>>>,
    compare_doc: LocalResource<Option<Loaded<DeliveryDay>>>,
    /// The day summed over the selected series.
    pub hist: Memo<Option<Shared<DayHistogram>>>,
    /// The compare day summed over the same series.
    pub compare_hist: Memo<Option<Shared<DayHistogram>>>,
    /// One row per series of the day (all of them, filter or not) over
    /// the window.
    pub rows: Memo<Option<Shared<Vec<BreakdownRow>>>>,
    /// Where the panels' data stands.
    pub panel: Memo<PanelState>,
    /// Why the compare day could not be loaded, if it could not.
    pub compare_failure: Memo<Option<LoadError>>,
}

/// The loaded document of `resource` when it is the one for `want`.
fn loaded(
    resource: LocalResource<Option<Loaded<DeliveryDay>>>,
    want: Option<Day>,
) -> Option<Rc<DeliveryDay>> {
    let want = want?;
    resource
        .get()
        .flatten()
        .and_then(Result::ok)
        .filter(|d| d.date == want)
}

impl DeliveryState {
    /// Sets up the view's state from the address and the loaded documents.
    pub fn new(app: AppState) -> Self {
        let day = Memo::new(move |_| {
            let meta = app.docs.meta()?;
            shown_or_latest(app.route.with(|r| r.day), &meta.delivery_days)
        });
        let compare = Memo::new(move |_| {
            let meta = app.docs.meta()?;
            app.route
                .with(|r| r.compare)
                .filter(|d| meta.delivery_days.contains(d))
        });
        let window = Memo::new(move |_| app.route.with(window_of));
        let filter = Memo::new(move |_| {
            app.route
                .with(|r| SeriesFilter::new(r.net.iter().cloned(), r.media.iter().copied()))
        });
        let parse = |body: &str, d: &Day| DeliveryDay::parse(body, *d);
        let day_doc = doc_resource(
            app.docs.config,
            move || day.get(),
            |d| delivery_doc(*d),
            parse,
        );
        let compare_doc = doc_resource(
            app.docs.config,
            move || compare.get(),
            |d| delivery_doc(*d),
            parse,
        );
        let hist = Memo::new(move |_| {
            let doc = loaded(day_doc, day.get())?;
            Some(Shared::new(filter.with(|f| DayHistogram::new(&doc, f))))
        });
        // The comparison joins the day once the first chart is painted and
        // the rest of the code is in: its code is never on the first
        // view's path, so it never has to wait for a download.
        let compare_ready = crate::rest::in_after_paint(move || hist.get().is_some());
        let compare_hist = Memo::new(move |_| {
            if !compare_ready.get() {
                return None;
            }
            let doc = loaded(compare_doc, compare.get())?;
            Some(Shared::new(filter.with(|f| DayHistogram::new(&doc, f))))
        });
        let rows = Memo::new(move |_| {
            let doc = loaded(day_doc, day.get())?;
            Some(Shared::new(breakdown(
                &doc,
                &SeriesFilter::all(),
                window.get(),
            )))
        });
        let panel = Memo::new(move |_| match app.docs.meta.get() {
            None => PanelState::Loading,
            Some(Err(e)) => PanelState::Failed(e),
            Some(Ok(meta)) if meta.delivery_days.is_empty() => {
                PanelState::Empty("This dataset has no delivery days.".into())
            }
            Some(Ok(_)) => {
                let Some(d) = day.get() else {
                    return PanelState::Loading;
                };
                match day_doc.get().flatten() {
                    None => PanelState::Loading,
                    Some(Err(e)) if e.doc() == delivery_doc(d) => PanelState::Failed(e),
                    Some(Err(_)) => PanelState::Loading,
                    Some(Ok(doc)) if doc.date != d => PanelState::Loading,
                    Some(Ok(_)) => match hist.get() {
                        None => PanelState::Loading,
                        Some(h) if h.series_count() == 0 => PanelState::Empty(
                            "No series of this day match the network and media filters.".into(),
                        ),
                        Some(_) => PanelState::Ready,
                    },
                }
            }
        });
        let compare_failure = Memo::new(move |_| {
            let want = compare.get()?;
            match compare_doc.get().flatten() {
                Some(Err(e)) if e.doc() == delivery_doc(want) => Some(e),
                _ => None,
            }
        });
        let state = Self {
            app,
            day,
            compare,
            window,
            filter,
            day_doc,
            compare_doc,
            hist,
            compare_hist,
            rows,
            panel,
            compare_failure,
        };
        state.check_address();
        state
    }

    /// Keeps the address to what the view can show ([`correct`]).
    fn check_address(self) {
        let app = self.app;
        correct_address(app, move |route| Some(correct(route, &*app.docs.meta()?)));
    }

    /// The delay classes' names after the day's bounds, the nominal ones
    /// until it is in (tracked).
    pub fn names(&self) -> ClassNames {
        self.hist.get().map_or(ClassNames::NOMINAL, |h| {
            ClassEdges::resolve(h.bounds_s()).names()
        })
    }

    /// The day's document, once loaded (tracked): for panels that need
    /// more than the summed histogram (the capacity planner's media).
    pub fn day_document(&self) -> Option<Rc<DeliveryDay>> {
        loaded(self.day_doc, self.day.get())
    }

    /// The annotations marked on a chart of the day's minutes (about the
    /// networks filtered, if any).
    pub fn marks(self) -> Signal<crate::chart::Marks> {
        let app = self.app;
        let day = self.day;
        crate::views::marks::time_marks(
            app,
            move || day.get().map(TimeAxis::Minutes),
            move || app.route.with(|r| r.net.clone()),
        )
    }

    /// Loads the failed documents again.
    pub fn retry(&self) {
        if matches!(self.app.docs.meta.get_untracked(), Some(Err(_))) {
            self.app.docs.retry();
        }
        self.day_doc.refetch();
        if self.compare.get_untracked().is_some() {
            self.compare_doc.refetch();
        }
    }

    /// Shows the minutes of `w` (the whole day clears the window).
    pub fn set_window(&self, w: Window) {
        let from = (w.from > 0).then_some(w.from);
        let to = (w.to < Window::LAST_MINUTE).then_some(w.to);
        self.app.navigate(|r| {
            r.from = from;
            r.to = to;
        });
    }

    /// Shows the whole day again.
    pub fn reset_window(&self) {
        self.app.navigate(|r| {
            r.from = None;
            r.to = None;
        });
    }

    /// Whether the address narrows the day to a window (tracked).
    pub fn zoomed(&self) -> bool {
        self.app.route.with(|r| r.from.is_some() || r.to.is_some())
    }

    /// Whether any network or media filter is set (tracked).
    pub fn filtered(&self) -> bool {
        self.app
            .route
            .with(|r| !r.net.is_empty() || !r.media.is_empty())
    }

    /// Narrows the view to one series; asking again for the only series
    /// shown clears both filters.
    pub fn select_series(&self, network: &str, media: Media) {
        let only = self
            .app
            .route
            .with_untracked(|r| r.net == [network] && r.media == [media]);
        self.app.navigate(|r| {
            if only {
                r.net.clear();
                r.media.clear();
            } else {
                r.net = vec![network.to_owned()];
                r.media = vec![media];
            }
        });
    }

    /// Clears the network and media filters.
    pub fn clear_filters(&self) {
        self.app.navigate(|r| {
            r.net.clear();
            r.media.clear();
        });
    }

    /// Opens the Queue on the posts due at `minute` of the day shown, most
    /// late first, with the same filters. Days without post lists are
    /// reported instead.
    pub fn open_queue(&self, minute: u16) {
        let Some(day) = self.day.get_untracked() else {
            return;
        };
        let has_posts = self
            .app
            .docs
            .meta()
            .is_some_and(|m| m.post_days.contains(&day));
        if !has_posts {
            self.app.notice(format!(
                "The dataset has no post list for {day}, so the queue cannot show the posts due at {:02}:{:02}.",
                minute / 60,
                minute % 60
            ));
            return;
        }
        let (hour, min) = (minute / 60, minute % 60);
        self.app.navigate(|r| {
            *r = Route {
                view: crate::views::queue::VIEW,
                day: Some(day),
                net: std::mem::take(&mut r.net),
                media: std::mem::take(&mut r.media),
                hour: u8::try_from(hour).ok(),
                minute: u8::try_from(min).ok(),
                sort: Some("-delay".into()),
                theme: r.theme,
                ..Route::default()
            };
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_from_the_address_and_from_drags() {
        let (r, _) = Route::parse("from=08:00&to=08:00");
        assert_eq!(window_of(&r), Window::new(480, 480));
        let (r, _) = Route::parse("from=23:00");
        assert_eq!(window_of(&r), Window::new(1380, 1439));
        assert_eq!(window_of(&Route::default()), Window::DAY);
        // A drag over slots [479, 482) holds minutes 479..=481.
        assert_eq!(window_from_zoom(479.0, 482.0), Some(Window::new(479, 481)));
        assert_eq!(window_from_zoom(-5.0, 1e9), Some(Window::DAY));
        assert_eq!(window_from_zoom(f64::NAN, 3.0), None);
        assert_eq!(window_from_zoom(10.0, 10.0), None);
        assert_eq!(focus_window(480), Window::new(470, 500));
        assert_eq!(focus_window(3), Window::new(0, 23));
        assert_eq!(focus_window(1435), Window::new(1425, 1439));
    }

    #[test]
    fn quantiles_group_wide_windows() {
        assert_eq!(quantile_group(Window::DAY), 5);
        assert_eq!(quantile_group(Window::new(470, 500)), 1);
        assert_eq!(quantile_group(Window::new(0, 239)), 1);
        assert_eq!(quantile_group(Window::new(0, 240)), 5);
    }

    #[test]
    fn day_labels() {
        let d = Day::parse("2016-08-29").unwrap();
        assert_eq!(day_label(d), "Mon 2016-08-29");
        assert_eq!(short_day(d), "Mon 29 Aug");
    }
}
