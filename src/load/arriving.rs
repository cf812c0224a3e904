//! A large document shown while it arrives: the items complete in the
//! part of the body received so far are read at once
//! ([`crate::api::ReadAsItArrives`]), and a view shows them, with how far
//! the download has come, until the whole document is there.
//!
//! The reader lives in an [`Arriving`] the view owns: the load feeds it
//! each chunk, then gives it the whole body. A small body is finished at
//! once, answering any problem with the whole parse, so the document
//! reads, or fails, exactly as it would have parsed whole; a large one is
//! read in steps as [`super::read_in_steps`] reads it, the reader staying
//! where the view reads it until the last step. A body read in one go, or
//! one that had shown no item yet, is read as any other document.

use super::{doc_resource_watched, read_in_steps, Doc, Loaded, Reading, Steps};
use crate::api::{client::Watch, Config, DocError, LoadError, ReadAsItArrives};
use crate::turn::Pace;
use leptos::prelude::*;

/// The progress of a document read as it arrives is published at most
/// this often, ms: each time, the view shows the items read so far and
/// counts them again, which is not to cost as much as reading them.
const PUBLISH_MS: f64 = 100.0;

/// A body is read as it arrives from this many bytes on (a 30,000-post
/// hour is some 8.5 MB); below it, it is read whole once it is in.
pub const READ_AS_IT_ARRIVES_FROM: usize = 1_000_000;

/// How far a document has arrived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Items read so far.
    pub items: usize,
    /// Items in all, once the whole body is in (and is being read).
    pub total: Option<usize>,
    /// Bytes received so far.
    pub bytes: u64,
    /// The body's size, when the server announced it.
    pub announced: Option<u64>,
}

/// The reader of the document of key `K` while it arrives, and its
/// progress, shared between its load and the view.
pub struct Arriving<K: 'static, R: 'static> {
    reader: StoredValue<Option<(K, R)>, LocalStorage>,
    progress: RwSignal<Option<(K, Progress)>, LocalStorage>,
    /// The progress of a large body read in steps when nothing showed
    /// while it arrived.
    reading: Reading,
    steps: Steps,
}

impl<K, R> Clone for Arriving<K, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K, R> Copy for Arriving<K, R> {}

impl<K: Clone + PartialEq + 'static, R: ReadAsItArrives + 'static> Arriving<K, R> {
    /// Nothing arriving yet. A large body is read in `steps`; when
    /// nothing showed while it arrived, `reading` shows how far that has
    /// come, as [`super::read_in_steps`] does.
    pub fn new(reading: Reading, steps: Steps) -> Self {
        Self {
            reader: StoredValue::new_local(None),
            progress: RwSignal::new_local(None),
            reading,
            steps,
        }
    }

    /// How far the document of `key` has come while it arrives (tracked);
    /// `None` when it is not arriving.
    pub fn progress(&self, key: &K) -> Option<Progress> {
        self.progress
            .with(|p| p.as_ref().filter(|(k, _)| k == key).map(|(_, p)| *p))
    }

    /// Runs `f` on the reader of `key` while it arrives (untracked).
    pub fn with<U>(&self, key: &K, f: impl FnOnce(&R) -> U) -> Option<U> {
        self.reader
            .try_with_value(|slot| slot.as_ref().filter(|(k, _)| k == key).map(|(_, r)| f(r)))
            .flatten()
    }

    /// Runs `f` on the reader of `key`, if it is still the one arriving.
    fn update<U>(&self, key: &K, f: impl FnOnce(&mut R) -> U) -> Option<U> {
        self.reader
            .try_update_value(|slot| match slot {
                Some((k, r)) if k == key => Some(f(r)),
                _ => None,
            })
            .flatten()
    }

    /// Feeds the reader of `key` every byte `received` so far (of
    /// `announced`), and publishes the progress when it has read more
    /// items than `shown` and the `pace` allows; `None` when the view
    /// moved on to another document.
    fn feed(
        &self,
        key: &K,
        received: &[u8],
        announced: Option<u64>,
        shown: &mut usize,
        pace: &mut Pace,
    ) -> Option<()> {
        let items = self.update(key, |r| {
            r.feed(received);
            r.read_so_far()
        })?;
        if items > *shown && pace.due() {
            *shown = items;
            self.publish_next_turn(
                key,
                Progress {
                    items,
                    total: None,
                    bytes: received.len() as u64,
                    announced,
                },
            );
        }
        Some(())
    }

    /// Publishes `progress` of `key` in a turn of its own: the view's
    /// build of the rows it shows is not added to the task that read
    /// them. A progress overtaken by then (the reader gone, or a later
    /// one published) is dropped.
    fn publish_next_turn(&self, key: &K, progress: Progress) {
        let (this, key) = (*self, key.clone());
        leptos::task::spawn_local(async move {
            crate::turn::next_turn().await;
            // `None` from a view gone by then: nothing is published.
            let reading = this.with(&key, |_| ()).is_some();
            let overtaken = this.progress.try_with_untracked(|p| {
                p.as_ref().is_some_and(|(k, p)| {
                    *k == key && (p.total.is_some() || p.items >= progress.items)
                })
            });
            if reading && overtaken == Some(false) {
                this.publish(&key, progress);
            }
        });
    }

    fn publish(&self, key: &K, progress: Progress) {
        self.progress.try_set(Some((key.clone(), progress)));
    }

    /// Forgets the reader and its progress.
    fn clear(&self) {
        self.reader.try_set_value(None);
        if self.progress.try_with_untracked(Option::is_some) == Some(true) {
            self.progress.try_set(None);
        }
    }

    /// Starts `reader` for the document of `key`: the returned watch feeds
    /// it each chunk and publishes the progress when more items are read.
    /// A body starts being fed once [`READ_AS_IT_ARRIVES_FROM`] bytes are
    /// in and the second part of the module is there (asked for then),
    /// told at once of what arrived before: reading a body as it arrives,
    /// and showing it, runs code the view's first part does not hold, and
    /// whether a body comes in pieces is the network's choice, so that
    /// code never runs before it is there. A smaller body, or one complete
    /// by then, is read whole, as any other.
    fn start(&self, key: K, reader: R) -> Watch {
        self.clear();
        self.reader.try_set_value(Some((key.clone(), reader)));
        let this = *self;
        let watch = Watch::off_main_thread();
        let (mut shown, mut pace) = (0, Pace::new(PUBLISH_MS));
        let feed = move |received: &[u8], announced: Option<u64>| {
            // A view that moved on is told nothing more.
            this.feed(&key, received, announced, &mut shown, &mut pace);
        };
        watch.when_past(READ_AS_IT_ARRIVES_FROM, move |told| {
            leptos::task::spawn_local(async move {
                crate::rest::loaded().await;
                // The module's arrival builds the view's later parts: the
                // first items are read, and shown, in a task of their own.
                crate::turn::next_turn().await;
                told.set(feed);
            });
        });
        watch
    }
}

/// A resource for the document `key()` names (see
/// [`super::doc_resource`]), read by `reader` as it arrives into
/// `arriving`; `whole` parses a small body whole. The document is asked
/// for once the page's first content (the view's title, its controls) is
/// painted: a large document takes seconds to download on a phone, and
/// the page shows what it is waiting for rather than nothing.
pub fn doc_resource_arriving<T: 'static, K: Clone + PartialEq + 'static, R>(
    config: Doc<Config>,
    key: impl Fn() -> Option<K> + 'static,
    path: impl Fn(&K) -> String + 'static,
    arriving: Arriving<K, R>,
    reader: impl Fn(&K) -> R + Copy + 'static,
    whole: impl Fn(&str, &K) -> Result<T, DocError> + Copy + 'static,
) -> LocalResource<Option<Loaded<T>>>
where
    R: ReadAsItArrives<Doc = T> + 'static,
{
    doc_resource_watched(
        config,
        key,
        path,
        true,
        move |key: &K| arriving.start(key.clone(), reader(key)),
        move |fetched: Result<String, LoadError>, key: K| async move {
            let shown = arriving.with(&key, |r| r.read_so_far() > 0) == Some(true);
            let read = match fetched {
                Err(e) => {
                    arriving.clear();
                    return Err(e);
                }
                // A large body that came in before any of it showed (a
                // fast network): read as if it arrived now, from memory.
                Ok(body) if !shown && body.len() >= arriving.steps.from_bytes => {
                    crate::rest::loaded().await;
                    // As in `Arriving::start`: not in the module's arrival.
                    crate::turn::next_turn().await;
                    let read = read_arrived_in_steps(arriving, &key, reader(&key), body).await;
                    arriving.clear();
                    read
                }
                Ok(body) if !shown => {
                    arriving.clear();
                    read_in_steps(
                        body,
                        arriving.reading,
                        arriving.steps,
                        |b| whole(b, &key),
                        |b| {
                            let mut r = reader(&key);
                            r.complete(b)?;
                            Ok(r)
                        },
                    )
                    .await
                }
                Ok(body) if body.len() < arriving.steps.from_bytes => {
                    let taken = arriving
                        .reader
                        .try_update_value(|slot| slot.take().map(|(_, r)| r))
                        .flatten()
                        .unwrap_or_else(|| reader(&key));
                    let read = crate::api::steps::complete_at_once(taken, body, |b| whole(b, &key));
                    arriving.clear();
                    read
                }
                Ok(body) => {
                    let read = read_rest_in_steps(arriving, &key, body).await;
                    arriving.clear();
                    read
                }
            };
            read.map_err(LoadError::from)
        },
    )
}

/// How much of a body that is already in is looked through per turn when
/// it is read as if it arrived ([`read_arrived_in_steps`]).
const PIECE_BYTES: usize = 512 * 1024;

/// Reads a large document whose whole body came in before any of it
/// showed: `reader` is fed the body a piece per turn, as if it arrived
/// now, so its first items show at once, its items are found a piece at
/// a time, and the check of the whole body is left with the text around
/// them (`ReadAsItArrives::complete`), rather than one pass over every
/// byte in one task; then it is read on as one that showed.
async fn read_arrived_in_steps<K: Clone + PartialEq + 'static, R: ReadAsItArrives + 'static>(
    arriving: Arriving<K, R>,
    key: &K,
    reader: R,
    body: String,
) -> Result<R::Doc, DocError> {
    arriving.reader.try_set_value(Some((key.clone(), reader)));
    let bytes = body.as_bytes();
    let size = Some(bytes.len() as u64);
    let (mut end, mut shown, mut pace) = (0, 0, Pace::new(PUBLISH_MS));
    while end < bytes.len() {
        end = end.saturating_add(PIECE_BYTES).min(bytes.len());
        let received = bytes.get(..end).unwrap_or_default();
        arriving
            .feed(key, received, size, &mut shown, &mut pace)
            .ok_or_else(superseded)?;
        crate::turn::next_turn().await;
    }
    read_rest_in_steps(arriving, key, body).await
}

/// The error of a read whose view moved on to another document: this one
/// is not shown.
fn superseded() -> DocError {
    DocError::new("", "", "superseded")
}

/// Reads the rest of a large document that showed items while it
/// arrived, in steps, keeping the reader in `arriving` (where the view
/// reads its items) until the last step.
async fn read_rest_in_steps<K: Clone + PartialEq + 'static, R: ReadAsItArrives + 'static>(
    arriving: Arriving<K, R>,
    key: &K,
    body: String,
) -> Result<R::Doc, DocError> {
    let per_step = arriving.steps.per_step;
    let bytes = body.len() as u64;
    // What was not looked through while it arrived, a piece per turn;
    // then the check of the whole body in a turn of its own (not in the
    // one that read its last chunk).
    loop {
        crate::turn::next_turn().await;
        if arriving
            .update(key, |r| r.catch_up(&body))
            .ok_or_else(superseded)?
        {
            break;
        }
    }
    crate::turn::next_turn().await;
    arriving
        .update(key, |r| r.complete(body))
        .ok_or_else(superseded)??;
    let mut pace = Pace::new(PUBLISH_MS);
    loop {
        // Each step, and each showing of the progress (the view's rows
        // and counts; at the end sorting and showing the whole
        // document), in a task of its own.
        crate::turn::next_turn().await;
        let step = arriving.update(key, |r| {
            let done = r.done();
            if !done {
                super::read_one_step(r, per_step)?;
            }
            Ok::<_, DocError>((done, r.read_so_far(), r.total()))
        });
        let (done, items, total) = step.ok_or_else(superseded)??;
        if done || pace.due() {
            crate::turn::next_turn().await;
            arriving.publish(
                key,
                Progress {
                    items,
                    total: Some(total),
                    bytes,
                    announced: Some(bytes),
                },
            );
        }
        if done {
            crate::turn::next_turn().await;
            break;
        }
    }
    let reader = arriving
        .reader
        .try_update_value(|slot| slot.take().map(|(_, r)| r))
        .flatten()
        .ok_or_else(superseded)?;
    reader.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::posts::PostsReader;

    /// A read that ends after its view is gone (its signals disposed)
    /// forgets its reader quietly.
    #[test]
    fn clearing_after_the_view_is_gone_does_nothing() {
        let owner = Owner::new();
        let arriving: Arriving<u8, PostsReader> = owner.with(|| {
            Arriving::new(
                RwSignal::new(None),
                Steps {
                    from_bytes: 1,
                    per_step: 1,
                },
            )
        });
        owner.with(|| arriving.publish(&1, Progress::default()));
        assert_eq!(
            owner.with(|| arriving.progress.get_untracked()),
            Some((1, Progress::default()))
        );
        drop(owner);
        arriving.clear();
        assert_eq!(arriving.progress.try_get_untracked(), None);
    }
}
