//! One module per view, each made of panels.

pub mod delivery;
pub mod overview;
pub mod queue;
pub mod revenue;
