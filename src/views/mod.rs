//! One module per view, each made of panels, and the registry of views
//! ([`VIEWS`]): the one table the shell, the early start and the style
//! loader read. Adding a view means one new folder and one new row.

pub mod delivery;
pub mod marks;
pub mod overview;
pub mod queue;
pub mod revenue;
pub mod toggle;

use crate::api::{Day, Meta};
use crate::load::Reading;
use crate::route::{Route, View};
use crate::state::AppState;
use crate::ui::PanelState;
use leptos::prelude::*;

/// What a view shows of `available` (days or months, oldest first): the
/// address's choice when the dataset has it, else the latest.
pub fn shown_or_latest<T: Copy + PartialEq>(wanted: Option<T>, available: &[T]) -> Option<T> {
    wanted
        .filter(|w| available.contains(w))
        .or_else(|| available.last().copied())
}

/// An address as a view can show it: the route with the values the view
/// cannot use dropped, and one notice per value dropped. Each view has one
/// pure function making it (its `correct`, host-tested), applied by
/// [`correct_address`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Corrected {
    /// The route to show.
    pub route: Route,
    /// What was dropped, for the notice bar.
    pub notices: Vec<String>,
}

impl Corrected {
    /// `route` with nothing dropped yet.
    pub fn of(route: &Route) -> Self {
        Self {
            route: route.clone(),
            notices: Vec::new(),
        }
    }

    /// Drops a value from the route with `change`, with `notice` saying so.
    pub fn drop(mut self, notice: String, change: impl FnOnce(&mut Route)) -> Self {
        self.notices.push(notice);
        change(&mut self.route);
        self
    }

    /// Drops the day unless it is one of `days` (the days the view has
    /// data for), naming `what` ("delivery data", "posts") and the day
    /// shown instead.
    pub fn day(self, days: &[Day], what: &str) -> Self {
        let Some(day) = self.route.day.filter(|d| !days.contains(d)) else {
            return self;
        };
        let instead = days
            .last()
            .map(|l| format!("showing {l}, the latest, instead"))
            .unwrap_or_else(|| format!("the dataset has no {what}"));
        self.drop(format!("Pulse has no {what} for {day}; {instead}."), |r| {
            r.day = None
        })
    }

    /// Drops the networks the dataset does not name.
    pub fn networks(self, known: &[String]) -> Self {
        let unknown: Vec<String> = self
            .route
            .net
            .iter()
            .filter(|n| !known.contains(n))
            .cloned()
            .collect();
        if unknown.is_empty() {
            return self;
        }
        self.drop(
            format!("Ignored the unknown network(s) {}.", unknown.join(", ")),
            |r| r.net.retain(|n| known.contains(n)),
        )
    }
}

/// Keeps the address to what the view can show: whenever the address or
/// the data `correct` reads changes, the route `correct` returns (with its
/// notices) replaces the address, without a history entry. `correct`
/// returns `None` while what it needs is loading.
///
/// The address is changed from a timer, after the current reactive
/// update: changing it re-renders parts of the view, which must not
/// happen while the view's own effects are still running. The timer does
/// nothing if the address has changed meanwhile.
pub fn correct_address(app: AppState, correct: impl Fn(&Route) -> Option<Corrected> + 'static) {
    Effect::new(move |_| {
        let (before, corrected) = app.route.with(|r| (r.clone(), correct(r)));
        let Some(corrected) = corrected.filter(|c| c.route != before) else {
            return;
        };
        set_timeout(
            move || {
                if app.route.try_with_untracked(|r| *r == before) != Some(true) {
                    return;
                }
                for notice in corrected.notices {
                    app.notice(notice);
                }
                app.replace(|r| *r = corrected.route);
            },
            std::time::Duration::ZERO,
        );
    });
}

/// The panel state while loading: with progress when a document is read
/// in steps.
pub fn loading_state(reading: Reading, what: &'static str) -> PanelState {
    match reading.get() {
        Some((done, total)) => PanelState::Reading { what, done, total },
        None => PanelState::Loading,
    }
}

/// One row of the registry: what the rest of the app knows of a view.
pub struct ViewEntry {
    /// The view, as the address names it.
    pub view: View,
    /// The name shown to people, in the header and the page title.
    pub title: &'static str,
    /// The document the view loads first for an address, named from the
    /// address alone (`meta.json` not given) or from the address and
    /// `meta.json`; the app requests it before it mounts, as soon as it
    /// can be named. `None` when there is nothing to load yet.
    pub first_document: fn(&Route, Option<&Meta>) -> Option<String>,
    /// The view's own style sheet (`queue` for `queue.css`), loaded with
    /// the view rather than with the page; `None` for views styled by the
    /// page's sheet.
    pub sheet: Option<&'static str>,
    /// The view itself.
    pub component: fn() -> AnyView,
}

/// Every view, in navigation order.
pub static VIEWS: [ViewEntry; 4] = [
    ViewEntry {
        view: overview::VIEW,
        title: "Overview",
        first_document: overview::first_document,
        sheet: Some("overview"),
        component: || view! { <overview::Overview /> }.into_any(),
    },
    ViewEntry {
        view: delivery::VIEW,
        title: "Delivery",
        first_document: delivery::first_document,
        sheet: Some("delivery"),
        component: || view! { <delivery::Delivery /> }.into_any(),
    },
    ViewEntry {
        view: revenue::VIEW,
        title: "Revenue",
        first_document: |_, _| Some(revenue::first_document()),
        sheet: Some("revenue"),
        component: || view! { <revenue::Revenue /> }.into_any(),
    },
    ViewEntry {
        view: queue::VIEW,
        title: "Queue",
        // The hour is asked for once the view's first content is painted
        // (`crate::load::arriving`): a large one downloads for seconds.
        first_document: |_, _| None,
        sheet: Some("queue"),
        component: || view! { <queue::Queue /> }.into_any(),
    },
];

/// The registry's row for `view`.
pub fn entry(view: View) -> &'static ViewEntry {
    let [first, ..] = &VIEWS;
    VIEWS.iter().find(|e| e.view == view).unwrap_or(first)
}

/// The document the view of `route` loads first, named from the address
/// alone (`meta` `None`) or with `meta.json`; the app requests it before
/// it mounts.
pub fn first_document(route: &Route, meta: Option<&Meta>) -> Option<String> {
    (entry(route.view).first_document)(route, meta)
}

/// The views' own style sheets.
pub fn sheets() -> impl Iterator<Item = &'static str> {
    VIEWS.iter().filter_map(|e| e.sheet)
}

/// Tells the layers below which views exist: the views an address can
/// name (the first the default) and the style sheets to load.
pub fn announce() {
    View::announce(VIEWS[0].view, |key| {
        VIEWS.iter().map(|e| e.view).find(|v| v.key() == key)
    });
    crate::styles::announce(sheets());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta::parse(include_str!("../../public/api/v1/meta.json")).unwrap()
    }

    fn first(query: &str) -> Option<String> {
        announce();
        first_document(&Route::parse(query).0, Some(&meta()))
    }

    #[test]
    fn each_view_names_the_document_it_loads_first() {
        // The address's day or month when the dataset has it, else the
        // latest the demo's meta.json lists; the Queue asks for its hour
        // only once its frame is painted.
        for (query, want) in [
            (
                "?view=delivery&day=2016-08-03",
                Some("delivery/2016-08-03.json"),
            ),
            ("?view=delivery", Some("delivery/2016-08-31.json")),
            (
                "?view=delivery&day=1999-01-01",
                Some("delivery/2016-08-31.json"),
            ),
            ("?view=queue&day=2016-08-03&hour=9", None),
            ("?view=queue", None),
            ("", Some("reports/2016-08.json")),
            ("?month=2016-07", Some("reports/2016-07.json")),
            ("?view=revenue", Some(crate::api::EVENTS_DOC)),
            ("?view=queue&day=1999-01-01", None),
            ("?view=queue&net=myspace", None),
        ] {
            assert_eq!(first(query).as_deref(), want, "{query}");
        }
        // Named from the address alone (requested beside meta.json): only
        // the Revenue view's events; a day or month needs meta.json.
        for (query, want) in [
            ("?view=revenue&month=2016-07", Some(crate::api::EVENTS_DOC)),
            ("?view=delivery&day=2016-08-03", None),
            ("?month=2016-07", None),
            ("?view=queue&day=2016-08-03&hour=9", None),
        ] {
            let got = first_document(&Route::parse(query).0, None);
            assert_eq!(got.as_deref(), want, "{query}");
        }
    }

    #[test]
    fn the_registry_has_each_view_once_in_navigation_order() {
        announce();
        let keys: Vec<&str> = VIEWS.iter().map(|e| e.view.key()).collect();
        assert_eq!(keys, ["overview", "delivery", "revenue", "queue"]);
        for entry in &VIEWS {
            assert_eq!(
                Route::parse(&format!("view={}", entry.view.key())).0.view,
                entry.view
            );
            assert_eq!(super::entry(entry.view).view, entry.view);
        }
        assert_eq!(Route::default().view, overview::VIEW);
        let titles: Vec<&str> = VIEWS.iter().map(|e| e.title).collect();
        assert_eq!(titles, ["Overview", "Delivery", "Revenue", "Queue"]);
        assert_eq!(
            sheets().collect::<Vec<_>>(),
            ["overview", "delivery", "revenue", "queue"]
        );
    }

    #[test]
    fn a_correction_drops_unknown_days_and_networks_with_a_notice_each() {
        let days = [
            Day::parse("2016-08-02").unwrap(),
            Day::parse("2016-08-03").unwrap(),
        ];
        let known = ["twitter".to_owned(), "facebook".to_owned()];
        announce();
        let (route, _) = Route::parse("?view=delivery&day=1999-01-01&net=twitter,myspace,orkut");
        let c = Corrected::of(&route)
            .day(&days, "delivery data")
            .networks(&known);
        assert_eq!(c.route.day, None);
        assert_eq!(c.route.net, ["twitter"]);
        assert_eq!(
            c.notices,
            [
                "Pulse has no delivery data for 1999-01-01; showing 2016-08-03, the latest, instead.",
                "Ignored the unknown network(s) myspace, orkut.",
            ]
        );
        let c = Corrected::of(&route).day(&[], "posts");
        assert_eq!(
            c.notices,
            ["Pulse has no posts for 1999-01-01; the dataset has no posts."]
        );
        let (fine, _) = Route::parse("?view=delivery&day=2016-08-02&net=facebook");
        assert_eq!(
            Corrected::of(&fine).day(&days, "posts").networks(&known),
            Corrected::of(&fine)
        );
    }

    /// Each view's correction of `query` against the demo's `meta.json`:
    /// the corrected address and the notices.
    fn corrected(query: &str) -> (String, Vec<String>) {
        announce();
        let (route, _) = Route::parse(query);
        let meta = meta();
        let c = match route.view {
            overview::VIEW => overview::correct(&route, &meta),
            delivery::VIEW => delivery::correct(&route, &meta),
            queue::VIEW => queue::correct(&route, &meta),
            _ => {
                let months: Vec<_> = ["2016-06", "2016-07", "2016-08"]
                    .iter()
                    .map(|m| crate::api::Month::parse(m).unwrap())
                    .collect();
                let plans = ["business".to_owned()];
                let listed: Vec<String> = meta.plans.iter().map(|p| p.id.clone()).collect();
                revenue::correct(&route, &months, &plans, Some(&listed))
            }
        };
        (c.route.to_query(), c.notices)
    }

    #[test]
    fn each_view_corrects_what_it_cannot_show_and_says_so() {
        for (query, want, notices) in [
            ("?month=2016-07", "?month=2016-07", &[][..]),
            ("?month=2016-01", "?", &["There is no report for 2016-01; showing the latest month instead."][..]),
            (
                "?view=delivery&day=2016-08-03&compare=2016-09-09&net=twitter,myspace",
                "?view=delivery&day=2016-08-03&net=twitter",
                &[
                    "There is no delivery data for 2016-09-09 to compare with; the comparison is off.",
                    "Ignored the unknown network(s) myspace.",
                ][..],
            ),
            (
                "?view=delivery&day=1999-01-01",
                "?view=delivery",
                &["Pulse has no delivery data for 1999-01-01; showing 2016-08-31, the latest, instead."][..],
            ),
            (
                "?view=queue&day=2016-08-01&sort=-nope",
                "?view=queue",
                &[
                    "Pulse has no posts for 2016-08-01; showing 2016-08-29, the latest, instead.",
                    "Ignored sort=\"-nope\": not a column of the queue; sorted by due time.",
                ][..],
            ),
            ("?view=queue&day=2016-08-03&sort=-delay", "?view=queue&day=2016-08-03&sort=-delay", &[][..]),
            ("?view=revenue&month=2016-07&plan=enterprise", "?view=revenue&month=2016-07&plan=enterprise", &[][..]),
            (
                "?view=revenue&month=2015-01&plan=gold",
                "?view=revenue",
                &[
                    "There are no revenue figures for 2015-01; showing the latest month (Aug 2016) instead.",
                    "There is no plan \"gold\"; showing all plans instead.",
                ][..],
            ),
        ] {
            let (query_out, notices_out) = corrected(query);
            assert_eq!(query_out, want, "{query}");
            assert_eq!(notices_out, notices, "{query}");
        }
    }

    #[test]
    fn a_plan_the_model_lacks_waits_for_meta_json() {
        announce();
        let (route, _) = Route::parse("?view=revenue&plan=gold");
        let c = revenue::correct(&route, &[], &[], None);
        assert_eq!(c, Corrected::of(&route));
        let c = revenue::correct(&route, &[], &[], Some(&[]));
        assert_eq!(c.route.plan, None);
    }

    #[test]
    fn a_choice_the_dataset_lacks_falls_back_to_the_latest() {
        assert_eq!(shown_or_latest(Some(2), &[1, 2, 3]), Some(2));
        assert_eq!(shown_or_latest(Some(9), &[1, 2, 3]), Some(3));
        assert_eq!(shown_or_latest(None, &[1, 2, 3]), Some(3));
        assert_eq!(shown_or_latest(Some(1), &[] as &[i32]), None);
    }
}
