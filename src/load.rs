//! Document loading: the documents the app has loaded, as reactive
//! resources, shared by the shell and the views.
//!
//! `config.json` and `meta.json` are loaded once for the whole app; each
//! view asks for the other documents it needs with [`doc_resource`], which
//! waits for the config, fetches under the API base and validates. A
//! failed document stays a value (`Err(LoadError)`) that only the panels
//! using it show.
//!
//! With `refresh_seconds` in `config.json`, a [`Refresh`] ticks and every
//! document resource loads again. A refresh that fails keeps the last good
//! document on screen and is listed in [`Refresh::stale`], which the shell
//! shows as a notice, until a later refresh succeeds.

pub mod annotations;
pub mod arriving;
pub mod early;

use crate::api::{client, client::Watch, Config, LoadError, Meta, META_DOC};
use leptos::prelude::*;
use std::rc::Rc;

/// A loaded, validated document, or why it is not there.
pub type Loaded<T> = Result<Rc<T>, LoadError>;

/// A document being loaded.
pub type Doc<T> = LocalResource<Loaded<T>>;

/// The documents every view needs.
#[derive(Clone, Copy)]
pub struct CoreDocs {
    /// `config.json`.
    pub config: Doc<Config>,
    /// `meta.json`: `None` while loading (as a resource's `get`).
    pub meta: Signal<Option<Loaded<Meta>>, LocalStorage>,
    meta_resource: LocalResource<Option<Loaded<Meta>>>,
}

impl CoreDocs {
    /// Starts loading `config.json`, then `meta.json`.
    pub fn load() -> Self {
        let config: Doc<Config> = LocalResource::new(|| async {
            match early::config().await {
                Some(loaded) => loaded,
                None => client::load_config().await.map(Rc::new),
            }
        });
        // The config is read (and tracked) before the fetch starts, not
        // awaited inside it: awaiting would also subscribe, and the
        // config's arrival would start a second fetch of meta.json.
        let meta_resource = LocalResource::new(move || {
            let config = config.get();
            async move {
                match config? {
                    Ok(config) => Some(match early::meta().await {
                        Some(loaded) => loaded,
                        None => client::load(&config, META_DOC, Meta::parse)
                            .await
                            .map(Rc::new),
                    }),
                    Err(e) => Some(Err(e)),
                }
            }
        });
        let meta = Signal::derive_local(move || meta_resource.get().flatten());
        Self {
            config,
            meta,
            meta_resource,
        }
    }

    /// The validated meta document, once loaded.
    pub fn meta(&self) -> Option<Rc<Meta>> {
        self.meta.get().and_then(|m| m.ok())
    }

    /// Whether `meta.json` says the dataset has an `annotations.json`
    /// (`false` while it loads).
    pub fn has_annotations(&self) -> bool {
        self.meta.with(|m| {
            m.as_ref()
                .and_then(|m| m.as_ref().ok())
                .is_some_and(|m| m.annotations)
        })
    }

    /// Loads both again (after a failure).
    pub fn retry(&self) {
        self.config.refetch();
        self.meta_resource.refetch();
    }
}

/// The refresh clock and the documents whose last refresh failed.
#[derive(Clone, Copy)]
pub struct Refresh {
    /// Counts refreshes; document resources reload when it changes.
    pub tick: RwSignal<u64>,
    /// (document, reason) for each document shown from an earlier load.
    pub stale: RwSignal<Vec<(String, String)>>,
}

impl Refresh {
    /// A clock that has not ticked.
    pub fn new() -> Self {
        Self {
            tick: RwSignal::new(0),
            stale: RwSignal::new(Vec::new()),
        }
    }

    /// Ticks every `seconds` (nothing when 0).
    pub fn start(self, seconds: u32) {
        use wasm_bindgen::prelude::*;
        use wasm_bindgen::JsCast;
        if seconds == 0 {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let tick = Closure::<dyn FnMut()>::new(move || self.tick.update(|t| *t += 1));
        let ms = i32::try_from(u64::from(seconds) * 1000).unwrap_or(i32::MAX);
        crate::console::report(
            "starting the refresh clock",
            window.set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                ms,
            ),
        );
        tick.forget();
    }

    fn mark(self, doc: &str, reason: Option<String>) {
        let listed = self
            .stale
            .with_untracked(|s| s.iter().any(|(d, _)| d == doc));
        match reason {
            Some(reason) => self.stale.update(|s| {
                s.retain(|(d, _)| d != doc);
                s.push((doc.to_owned(), reason));
            }),
            None if listed => self.stale.update(|s| s.retain(|(d, _)| d != doc)),
            None => {}
        }
    }
}

impl Default for Refresh {
    fn default() -> Self {
        Self::new()
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
    doc_resource_async(config, key, path, move |body: String, key: K| {
        let parsed = parse(&body, &key);
        async move { parsed }
    })
}

/// [`doc_resource`] with a parse that may take turns with the page (a
/// large document read in steps, showing progress).
pub fn doc_resource_async<T: 'static, K: Clone + 'static, P>(
    config: Doc<Config>,
    key: impl Fn() -> Option<K> + 'static,
    path: impl Fn(&K) -> String + 'static,
    parse: impl Fn(String, K) -> P + Copy + 'static,
) -> LocalResource<Option<Loaded<T>>>
where
    P: std::future::Future<Output = Result<T, crate::api::DocError>> + 'static,
{
    doc_resource_watched(
        config,
        key,
        path,
        false,
        |_| Watch::default(),
        move |fetched: Result<String, LoadError>, key: K| {
            let parsing = fetched.map(|body| parse(body, key));
            async move {
                match parsing {
                    Ok(parsing) => parsing.await.map_err(LoadError::from),
                    Err(e) => Err(e),
                }
            }
        },
    )
}

/// [`doc_resource_async`] with a `watch` for each load, told of the body
/// as it arrives, and a `parse` that also sees a failed fetch. With
/// `after_paint`, a document the early start did not fetch is asked for
/// once the page's first content is painted.
fn doc_resource_watched<T: 'static, K: Clone + 'static, P>(
    config: Doc<Config>,
    key: impl Fn() -> Option<K> + 'static,
    path: impl Fn(&K) -> String + 'static,
    after_paint: bool,
    watch: impl Fn(&K) -> Watch + Copy + 'static,
    parse: impl Fn(Result<String, LoadError>, K) -> P + Copy + 'static,
) -> LocalResource<Option<Loaded<T>>>
where
    P: std::future::Future<Output = Result<T, LoadError>> + 'static,
{
    let path = Rc::new(path);
    let refresh = use_context::<Refresh>();
    let last_good = StoredValue::new_local(None::<(String, Rc<T>)>);
    LocalResource::new(move || {
        if let Some(r) = refresh {
            r.tick.track();
        }
        let key = key();
        let path = path.clone();
        // Tracked here, not awaited below: the fetch starts once the config
        // is there, and only once.
        let config = config.get();
        async move {
            let key = key?;
            let config = match config {
                None => return None,
                Some(Ok(c)) => c,
                Some(Err(e)) => return Some(Err(e)),
            };
            let doc = path(&key);
            let url = config.doc_url(&doc);
            let watch = watch(&key);
            let fetched = match early::body(&doc).await {
                Some(early) => early,
                None => {
                    if after_paint {
                        crate::turn::after_first_paint().await;
                    }
                    client::fetch_watched(&doc, &url, config.timeout_seconds, &watch).await
                }
            };
            let loaded = parse(fetched, key).await.map(Rc::new);
            if loaded.is_ok() {
                crate::timing::mark(&format!("parsed {doc}"));
            }
            // The view may be gone by now: `try_` keeps a disposed value
            // from panicking.
            let earlier = last_good
                .try_with_value(|g| {
                    g.as_ref()
                        .filter(|(d, _)| *d == doc)
                        .map(|(_, v)| v.clone())
                })
                .flatten();
            Some(match (loaded, earlier) {
                (Ok(v), _) => {
                    // `None` when the view is gone: nothing to keep then.
                    last_good.try_set_value(Some((doc.clone(), v.clone())));
                    if let Some(r) = refresh {
                        r.mark(&doc, None);
                    }
                    Ok(v)
                }
                (Err(e), Some(v)) => {
                    if let Some(r) = refresh {
                        r.mark(&doc, Some(e.to_string()));
                    }
                    Ok(v)
                }
                (Err(e), None) => Err(e),
            })
        }
    })
}

/// `(read, total)` while a large document is read in steps; `(0, 0)`
/// while its items are being found; `None` otherwise.
pub type Reading = RwSignal<Option<(usize, usize)>>;

/// How a large document is read: from what size in steps (showing
/// progress, each step followed by a turn of the page) rather than whole.
#[derive(Clone, Copy, Debug)]
pub struct Steps {
    /// Bodies from this size on are read in steps; smaller ones whole.
    /// Each document sets it where a whole parse stays short, and at a
    /// size the split build's profile reads both ways (`scripts/split`),
    /// so neither way's code is missing from a view's first module.
    pub from_bytes: usize,
    /// Items read between two looks at the clock ([`read_one_step`]).
    pub per_step: usize,
}

/// Reads `reader` on for one step: `per_step` items at a time until
/// a step's time ([`crate::turn::STEP_MS`]) has passed or it is done.
pub fn read_one_step<R: crate::api::ReadInSteps>(
    reader: &mut R,
    per_step: usize,
) -> Result<(), crate::api::DocError> {
    let step = crate::turn::Slice::step();
    loop {
        reader.read(per_step)?;
        if reader.done() || step.over() {
            return Ok(());
        }
    }
}

/// Parses `body` whole with `whole` when it is smaller than
/// `steps.from_bytes`; otherwise finds its items with `reader` and reads
/// them a step at a time ([`read_one_step`]), giving the page a turn after
/// each step and publishing the progress in `reading`.
///
/// A body read in steps is first held until the second part of the
/// module is in ([`crate::rest::loaded`]), whose code reads it: a
/// document of megabytes takes longer to download than that part, so
/// the wait costs nothing on a real network, and no view's first module
/// carries a second way of reading its document.
pub async fn read_in_steps<T, R>(
    body: String,
    reading: Reading,
    steps: Steps,
    whole: impl FnOnce(&str) -> Result<T, crate::api::DocError>,
    reader: impl FnOnce(String) -> Result<R, crate::api::DocError>,
) -> Result<T, crate::api::DocError>
where
    R: crate::api::ReadInSteps<Doc = T>,
{
    if body.len() < steps.from_bytes {
        return whole(&body);
    }
    let per_step = steps.per_step;
    crate::rest::loaded().await;
    let result = async {
        reading.try_set(Some((0, 0)));
        crate::turn::next_turn().await;
        let mut steps = reader(body)?;
        while !steps.done() {
            reading.try_set(Some((steps.read_so_far(), steps.total())));
            crate::turn::next_turn().await;
            read_one_step(&mut steps, per_step)?;
        }
        steps.finish()
    }
    .await;
    reading.try_set(None);
    result
}

/// Data shared between memos and compared by identity: a memo holding it
/// changes only when it is recomputed, never by comparing its contents
/// (tens of thousands of counts or posts).
#[derive(Debug)]
pub struct Shared<T>(std::sync::Arc<T>);

impl<T> Shared<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Self(std::sync::Arc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(std::sync::Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
