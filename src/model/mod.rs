//! Pure analytics: no browser in sight, host-tested.
pub mod annotations;
pub mod capacity;
pub mod choice;
pub mod delivery;
pub mod forecast;
pub mod queue;
pub mod reconcile;
pub mod revenue;
pub mod rng;
pub mod sort;
pub mod target;
