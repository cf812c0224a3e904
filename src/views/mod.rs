//! One module per view, each made of panels.

pub mod delivery;
pub mod overview;
pub mod queue;
pub mod revenue;

use crate::api::Meta;
use crate::app::route::{Route, View};

/// The document the view of `route` loads first, when it can be named
/// from `meta.json` alone (the Delivery view's day); the app requests it
/// before it mounts.
pub fn first_document(route: &Route, meta: &Meta) -> Option<String> {
    match route.view {
        View::Delivery => delivery::first_document(route, meta),
        _ => None,
    }
}
