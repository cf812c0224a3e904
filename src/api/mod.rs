//! The data layer: `config.json`, the fetch client, and the typed,
//! validated documents of the data contract (version 1.1).
//!
//! Data flows one way: a document's body is parsed with serde into raw
//! structs, then validated into the typed documents below. Validation
//! returns a [`DocError`] naming the document and the place; nothing here
//! panics on data (clippy denies `unwrap`, `expect` and indexing).

pub mod annotations;
pub mod check;
pub mod client;
pub mod config;
pub mod delivery;
pub mod error;
pub mod kinds;
pub mod meta;
pub mod posts;
pub mod report;
pub mod revenue;
pub mod scan;
pub mod steps;
pub mod surrogates;
pub mod time;
pub mod url;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod fuzz;

pub use annotations::{Annotation, AnnotationKind, Annotations, RawAnnotation, ANNOTATIONS_DOC};
pub use config::{Config, MediaCost};
pub use delivery::{delivery_doc, write_delivery, DeliveryDay, Series, SeriesOut, MINUTES_PER_DAY};
pub use error::{DocError, LoadError};
pub use kinds::{EventKind, Media, PostStatus};
pub use meta::{Meta, Plan, META_DOC};
pub use posts::{posts_doc, Post, PostHour, PostsReader, MAX_POSTS};
pub use report::{report_doc, Bugs, Platform, Report, Service};
pub use revenue::{Event, EventsReader, RevenueEvents, EVENTS_DOC};
pub use steps::{ReadAsItArrives, ReadInSteps};
pub use time::{Day, Month, Timestamp};
