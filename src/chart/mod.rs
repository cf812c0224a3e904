//! The drawing engine: scales, per-column reduction, data and text layers, hover.
