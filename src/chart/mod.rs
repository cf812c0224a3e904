//! The drawing engine: scales, per-column reduction, data and text layers, hover.
//!
//! A view describes a chart as data ([`ChartSpec`]: two [`Axis`] and a list
//! of [`Layer`]s, each with a [`ColorRole`]) and hands it to the
//! [`ChartCanvas`] component. The engine does the rest:
//!
//! - [`layout`] turns spec + size + `devicePixelRatio` into a [`Frame`]
//!   (canvas size, plot rectangle, [`scale`]s, ticks);
//! - [`raster`] draws the layers with plotters into an RGB buffer (series
//!   [`reduce`]d to the pixel columns first), blitted with one
//!   `putImageData` on the data canvas;
//! - [`text`] draws axes and labels with plotters' `CanvasBackend` on a
//!   second canvas stacked over the first;
//! - [`hover`] finds the nearest data by binary search and fills an HTML
//!   tooltip and crosshair: hovering never redraws a canvas;
//! - [`view`] is the leptos component and the PNG export;
//! - [`gesture`] says what keys and touches do (pure), [`summary`] what
//!   a chart shows in one sentence;
//! - [`marks`] puts annotation markers over the plot.
//!
//! ```
//! use pulse::chart::{Axis, ChartSpec, ColorRole, Layer, Series, ValueFormat};
//!
//! let minutes: Vec<f64> = (475..=490).map(f64::from).collect();
//! let spec = ChartSpec::new("Posts per minute", Axis::minutes().domain(475.0, 491.0), Axis::linear().title("posts"))
//!     .layer(Layer::stacked_bars(minutes.clone(), vec![
//!         Series::new("< 60 s", ColorRole::Ok, vec![40.0; 16]),
//!         Series::new("60–90 s", ColorRole::Warn, vec![3.0; 16]),
//!         Series::new("≥ 90 s", ColorRole::Late, vec![1.0; 16]),
//!     ]))
//!     .layer(Layer::outline("Aug 29", ColorRole::Compare, minutes, vec![30.0; 16]))
//!     .layer(Layer::hrule(60.0, ColorRole::Target, Some("target")));
//! // In a view: view! { <ChartCanvas spec=Memo::new(move |_| spec.clone()) name="delivery-minutes" /> }
//! # let _ = (spec, ValueFormat::Count);
//! ```

pub mod color;
pub mod format;
pub mod gesture;
pub mod hover;
pub mod layout;
pub mod marks;
pub mod raster;
pub mod reduce;
pub mod scale;
pub mod spec;
pub mod summary;
pub mod text;
pub mod view;

pub use color::{ColorRole, Palette, Rgb};
pub use format::ValueFormat;
pub use hover::{Hover, TooltipRow};
pub use layout::Frame;
pub use marks::{ChartMarks, Marks};
pub use spec::{Axis, AxisKind, ChartSpec, Layer, Series};
pub use view::{download_png, export_png, ChartCanvas, ChartCanvasProps, Pick};
