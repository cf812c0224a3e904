//! `annotations.json`, loaded once for the whole app, and only when a
//! part of a view built after the first paint asks for it (the markers of
//! a chart, the Overview's events), and only when `meta.json` says the
//! dataset has it. The first chart never waits for it, and the first
//! view's module never holds its loading or parsing code: the resource is
//! made on the first ask, under the app's owner, so it outlives the view
//! that asked.

use super::{doc_resource, CoreDocs, Loaded};
use crate::api::{Annotations, ANNOTATIONS_DOC};
use leptos::prelude::*;

/// The document being loaded.
type Resource = LocalResource<Option<Loaded<Annotations>>>;

/// The app's annotations, provided as context by the shell.
#[derive(Clone)]
pub struct AnnotationsDoc {
    owner: Owner,
    doc: StoredValue<Option<Resource>, LocalStorage>,
}

impl AnnotationsDoc {
    /// Nothing is made or fetched until something asks ([`AnnotationsDoc::get`]).
    pub fn new() -> Self {
        Self {
            owner: Owner::current().unwrap_or_default(),
            doc: StoredValue::new_local(None),
        }
    }

    /// The resource, made on the first call.
    fn resource(&self, docs: CoreDocs) -> Resource {
        if let Some(r) = self.doc.get_value() {
            return r;
        }
        let make = move || {
            doc_resource(
                docs.config,
                move || docs.has_annotations().then_some(()),
                |_| ANNOTATIONS_DOC.to_owned(),
                |body, _| Annotations::parse(body),
            )
        };
        let r = self.owner.with(make);
        self.doc.set_value(Some(r));
        r
    }

    /// The annotations: `None` while loading, or when the dataset has none.
    pub fn get(&self, docs: CoreDocs) -> Signal<Option<Loaded<Annotations>>, LocalStorage> {
        let r = self.resource(docs);
        Signal::derive_local(move || r.get().flatten())
    }

    /// Loads it again (after a failure).
    pub fn retry(&self) {
        if let Some(r) = self.doc.get_value() {
            r.refetch();
        }
    }
}

impl Default for AnnotationsDoc {
    fn default() -> Self {
        Self::new()
    }
}
