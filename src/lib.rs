//! Pulse: a browser analytics console for post delivery, revenue and the
//! post queue, written in Rust and compiled to WebAssembly.
//!
//! Data flows one way: **config → fetch → parse and validate → model → view
//! state → panels → charts**.
//!
//! - [`api`]: `config.json`, the fetch client and the typed, validated
//!   documents of the data contract.
//! - [`model`]: pure analytics (delay histograms and quantiles, MRR
//!   movements, forecast, queue sorting), host-tested.
//! - [`chart`]: the drawing engine on top of plotters.
//! - [`ui`]: shared widgets (panel frame, KPI, pickers, tables).
//! - [`views`]: one module per view, made of panels.
//! - [`app`]: the shell: address state, theme, navigation, embedding.
//! - [`timing`]: performance marks at the milestones of a load.
//! - `demo` (native only): the deterministic demo-data generator.

#[deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
pub mod api;
#[deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
pub mod model;

pub mod app;
pub mod chart;
pub mod timing;
pub mod ui;
pub mod views;

#[cfg(not(target_arch = "wasm32"))]
pub mod demo;
