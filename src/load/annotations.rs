//! `annotations.json`, loaded once for the whole app, and only when it is
//! wanted: `meta.json` says the dataset has it, and a chart that shows
//! markers has been painted (see [`AnnotationsDoc::after`]). The first
//! chart never waits for it, and the first view's transfer never
//! includes it: the resource itself is made after the first paint (so
//! its loading and parsing code is in the part of the module that comes
//! later), under the app's owner, so it outlives the view that asked.

use super::{doc_resource, CoreDocs, Loaded};
use crate::api::{Annotations, ANNOTATIONS_DOC};
use leptos::prelude::*;

/// The document being loaded.
type Resource = LocalResource<Option<Loaded<Annotations>>>;

/// The app's annotations, provided as context by the shell.
#[derive(Clone, Copy)]
pub struct AnnotationsDoc {
    docs: CoreDocs,
    owner: StoredValue<Owner, LocalStorage>,
    doc: RwSignal<Option<Resource>, LocalStorage>,
}

impl AnnotationsDoc {
    /// Nothing is made or fetched until a chart asks
    /// ([`AnnotationsDoc::after`]).
    pub fn new(docs: CoreDocs) -> Self {
        Self {
            docs,
            owner: StoredValue::new_local(Owner::current().unwrap_or_default()),
            doc: RwSignal::new_local(None),
        }
    }

    /// Makes the resource, once.
    #[inline(never)]
    fn start(self) {
        if self.doc.with_untracked(Option::is_some) {
            return;
        }
        let docs = self.docs;
        let make = move || {
            doc_resource(
                docs.config,
                move || {
                    let has = docs.meta.with(|m| {
                        m.as_ref()
                            .and_then(|m| m.as_ref().ok())
                            .is_some_and(|m| m.annotations)
                    });
                    has.then_some(())
                },
                |_| ANNOTATIONS_DOC.to_owned(),
                |body, _| Annotations::parse(body),
            )
        };
        let resource = self.owner.with_value(|o| o.with(make));
        self.doc.set(Some(resource));
    }

    /// The annotations, asked for once `ready` holds and the page has
    /// painted after it (the second part of the module is in by then):
    /// `None` while not asked for, loading, or when the dataset has none.
    pub fn after(
        self,
        ready: impl Fn() -> bool + 'static,
    ) -> Signal<Option<Loaded<Annotations>>, LocalStorage> {
        let settled = crate::rest::in_after_paint(ready);
        Effect::new(move |_| {
            if settled.get() {
                self.start();
            }
        });
        let doc = self.doc;
        Signal::derive_local(move || doc.get()?.get().flatten())
    }

    /// Loads it again (after a failure).
    pub fn retry(self) {
        if let Some(d) = self.doc.get_untracked() {
            d.refetch();
        }
    }
}
