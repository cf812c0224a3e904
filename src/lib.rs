//! Pulse: a browser analytics console for post delivery, revenue and the
//! post queue, written in Rust and compiled to WebAssembly.
//!
//! Data flows one way: **config → fetch → parse and validate → model → view
//! state → panels → charts**, and so do the imports: each layer uses only
//! the layers below it (`scripts/layers.sh` checks it; `ARCHITECTURE.md`
//! draws it). From the bottom:
//!
//! - base: [`format`] (numbers and minutes for people), [`console`]
//!   (browser failures reported), [`timing`]
//!   (performance marks) and [`turn`] (giving the page a turn);
//! - [`api`]: `config.json`, the fetch client and the typed, validated
//!   documents of the data contract;
//! - [`model`]: pure analytics (delay histograms and quantiles, MRR
//!   movements, forecast, queue sorting), host-tested;
//! - [`chart`]: the drawing engine on top of plotters;
//! - shared state: [`route`] (the address), [`load`] (document loading and
//!   the early start's hand-over), [`state`] (the context every view
//!   reads), [`styles`] (the views' style sheets) and [`rest`] (after-paint
//!   loading of the second module);
//! - [`ui`]: shared widgets (panel frame, KPI, tables);
//! - [`views`]: one module per view, made of panels;
//! - [`app`]: the shell on top: App, header, embed, panic banner, early start.
//!
//! `demo` (native only) is the deterministic demo-data generator.

pub mod api;
pub mod model;

pub mod app;
pub mod chart;
pub mod console;
pub mod format;
pub mod load;
pub mod rest;
pub mod route;
pub mod state;
pub mod styles;
pub mod timing;
pub mod turn;
pub mod ui;
pub mod views;

#[cfg(not(target_arch = "wasm32"))]
pub mod demo;
