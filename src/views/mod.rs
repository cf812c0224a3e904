//! One module per view, each made of panels.

pub mod delivery;
pub mod overview;
pub mod queue;
pub mod revenue;
pub mod toggle;

use crate::api::Meta;
use crate::load::Reading;
use crate::route::{Route, View};
use crate::ui::PanelState;
use leptos::prelude::*;

/// What a view shows of `available` (days or months, oldest first): the
/// address's choice when the dataset has it, else the latest.
pub fn shown_or_latest<T: Copy + PartialEq>(wanted: Option<T>, available: &[T]) -> Option<T> {
    wanted
        .filter(|w| available.contains(w))
        .or_else(|| available.last().copied())
}

/// The panel state while loading: with progress when a document is read
/// in steps.
pub fn loading_state(reading: Reading, what: &'static str) -> PanelState {
    match reading.get() {
        Some((done, total)) => PanelState::Reading { what, done, total },
        None => PanelState::Loading,
    }
}

/// The document the view of `route` loads first, named from the address
/// and `meta.json` alone; the app requests it before it mounts.
pub fn first_document(route: &Route, meta: &Meta) -> Option<String> {
    match route.view {
        View::Overview => overview::first_document(route, meta),
        View::Delivery => delivery::first_document(route, meta),
        View::Queue => queue::first_document(route, meta),
        View::Revenue => Some(revenue::first_document()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta::parse(include_str!("../../public/api/v1/meta.json")).unwrap()
    }

    fn first(query: &str) -> Option<String> {
        first_document(&Route::parse(query).0, &meta())
    }

    #[test]
    fn each_view_names_the_document_it_loads_first() {
        // The address's day, hour or month when the dataset has it, else
        // the latest the demo's meta.json lists; a queue address that is
        // about to be corrected loads nothing yet.
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
            (
                "?view=queue&day=2016-08-03&hour=9",
                Some("posts/2016-08-03/09.json"),
            ),
            ("?view=queue", Some("posts/2016-08-29/08.json")),
            ("", Some("reports/2016-08.json")),
            ("?month=2016-07", Some("reports/2016-07.json")),
            ("?view=revenue", Some(crate::api::EVENTS_DOC)),
            ("?view=queue&day=1999-01-01", None),
            ("?view=queue&net=myspace", None),
        ] {
            assert_eq!(first(query).as_deref(), want, "{query}");
        }
    }

    #[test]
    fn a_choice_the_dataset_lacks_falls_back_to_the_latest() {
        assert_eq!(shown_or_latest(Some(2), &[1, 2, 3]), Some(2));
        assert_eq!(shown_or_latest(Some(9), &[1, 2, 3]), Some(3));
        assert_eq!(shown_or_latest(None, &[1, 2, 3]), Some(3));
        assert_eq!(shown_or_latest(Some(1), &[] as &[i32]), None);
    }
}
