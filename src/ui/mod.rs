//! Shared widgets: the panel frame (loading, error with retry, table view,
//! CSV and PNG downloads), KPIs, tables, short forms of user
//! text, and virtual scrolling.

pub mod kpi;
pub mod panel;
pub mod table;
pub mod text;
pub mod virtual_list;

pub use kpi::{Delta, Kpi, Tone};
pub use panel::{download_text, download_url, later_parts_may_come, Panel, PanelState, TableView};
pub use table::Table;
