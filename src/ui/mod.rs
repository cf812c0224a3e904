//! Shared widgets.
