//! One module per view, each made of panels.

pub mod delivery;
pub mod overview;
pub mod queue;
pub mod revenue;

use crate::api::Meta;
use crate::app::route::{Route, View};

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
        // the latest the demo's meta.json lists.
        assert_eq!(
            first("?view=delivery&day=2016-08-03").as_deref(),
            Some("delivery/2016-08-03.json")
        );
        assert_eq!(
            first("?view=delivery").as_deref(),
            Some("delivery/2016-08-31.json")
        );
        assert_eq!(
            first("?view=delivery&day=1999-01-01").as_deref(),
            Some("delivery/2016-08-31.json")
        );
        assert_eq!(
            first("?view=queue&day=2016-08-03&hour=9").as_deref(),
            Some("posts/2016-08-03/09.json")
        );
        assert_eq!(
            first("?view=queue").as_deref(),
            Some("posts/2016-08-29/08.json")
        );
        assert_eq!(first("").as_deref(), Some("reports/2016-08.json"));
        assert_eq!(
            first("?month=2016-07").as_deref(),
            Some("reports/2016-07.json")
        );
        assert_eq!(
            first("?view=revenue").as_deref(),
            Some(crate::api::EVENTS_DOC)
        );
        // A queue address that is about to be corrected loads nothing yet.
        assert_eq!(first("?view=queue&day=1999-01-01"), None);
        assert_eq!(first("?view=queue&net=myspace"), None);
    }
}
