//! The documents the app has loaded, as reactive resources.
//!
//! `config.json` and `meta.json` are loaded once for the whole app; each
//! view asks for the other documents it needs with [`doc_resource`], which
//! waits for the config, fetches under the API base and validates. A
//! failed document stays a value (`Err(LoadError)`) that only the panels
//! using it show.

use crate::api::{client, Config, LoadError, Meta, META_DOC};
use leptos::prelude::*;
use std::rc::Rc;

/// A loaded, validated document, or why it is not there.
pub type Loaded<T> = Result<Rc<T>, LoadError>;

/// A document being loaded.
pub type Doc<T> = LocalResource<Loaded<T>>;

/// The documents every view needs.
#[derive(Clone, Copy)]
pub struct CoreDocs {
    pub config: Doc<Config>,
    pub meta: Doc<Meta>,
}

impl CoreDocs {
    /// Starts loading `config.json`, then `meta.json`.
    pub fn load() -> Self {
        let config: Doc<Config> =
            LocalResource::new(|| async { client::load_config().await.map(Rc::new) });
        let meta = LocalResource::new(move || async move {
            let config = config.await?;
            client::load(&config, META_DOC, Meta::parse)
                .await
                .map(Rc::new)
        });
        Self { config, meta }
    }

    /// The validated meta document, once loaded.
    pub fn meta(&self) -> Option<Rc<Meta>> {
        self.meta.get().and_then(|m| m.ok())
    }

    /// Loads both again (after a failure).
    pub fn retry(&self) {
        self.config.refetch();
        self.meta.refetch();
    }
}

/// A resource for the document `doc()` (a path under the API base, or
/// `None` when there is nothing to load yet), parsed with `parse`.
/// It reloads whenever `doc()` changes.
pub fn doc_resource<T: 'static, K: Clone + 'static>(
    config: Doc<Config>,
    key: impl Fn() -> Option<K> + 'static,
    path: impl Fn(&K) -> String + 'static,
    parse: impl Fn(&str, &K) -> Result<T, crate::api::DocError> + Copy + 'static,
) -> LocalResource<Option<Loaded<T>>> {
    let path = Rc::new(path);
    LocalResource::new(move || {
        let key = key();
        let path = path.clone();
        async move {
            let key = key?;
            let config = match config.await {
                Ok(c) => c,
                Err(e) => return Some(Err(e)),
            };
            let doc = path(&key);
            Some(
                client::load(&config, &doc, |body| parse(body, &key))
                    .await
                    .map(Rc::new),
            )
        }
    })
}
