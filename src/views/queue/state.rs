//! The queue's state: what the address asks for (day, hour, minute,
//! filters, sort, layout), the hour's document, and the rows to show.
//!
//! The document is parsed once and, once a search or the profile sort
//! needs it, indexed once ([`QueueIndex`]); every post is sorted once per
//! sort; a filter or a search keystroke then only narrows that sorted
//! list of `u32` indices. Rows, counts and the
//! selection all refer to posts by their index in the document.
//!
//! A large hour shows while it downloads: the posts received so far are
//! listed in the order they arrive, with their counts and how far the
//! download has come ([`QueueState::arriving`]); sorting and filtering
//! wait for the whole hour. An address with a sort or a filter shows the
//! progress only.

use crate::api::{
    posts_doc, url::checked_media_url, url::UrlRejection, Day, Meta, Post, PostHour, PostsReader,
};
use crate::load::arriving::{doc_resource_arriving, Arriving, Progress};
use crate::load::{Loaded, Shared, Steps};
use crate::model::queue::{QueueCounts, QueueFilter, QueueIndex, QueueSort};
use crate::route::{Layout, Route};
use crate::state::AppState;
use crate::ui::PanelState;
use crate::views::{correct_address, loading_state, shown_or_latest, Corrected};
use leptos::prelude::*;
use std::rc::Rc;

/// The hour shown when the address names none.
pub const DEFAULT_HOUR: u8 = 8;

/// The address as the queue can show it, given `meta.json`: a day the
/// dataset has no posts for, a sort that is not a column, and networks it
/// does not name are dropped.
pub fn correct(route: &Route, meta: &Meta) -> Corrected {
    let c = Corrected::of(route).day(&meta.post_days, "posts");
    let c = match route
        .sort
        .as_deref()
        .filter(|s| QueueSort::parse(s).is_none())
    {
        Some(s) => c.drop(
            format!("Ignored sort={s:?}: not a column of the queue; sorted by due time."),
            |r| r.sort = None,
        ),
        None => c,
    };
    c.networks(&meta.networks)
}

/// Whether the address needs no correction (a day, sort or network the
/// dataset lacks is reported and replaced before anything loads).
fn address_ok(r: &Route, meta: &Meta) -> bool {
    correct(r, meta).route == *r
}

/// What thumbnails are resolved against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaBase {
    /// The resolved API base (`Config::api_base_url`).
    pub api_base: String,
    /// The page's origin.
    pub page_origin: String,
}

/// A post's thumbnail after the contract's URL rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Thumb {
    /// The post has none.
    None,
    /// The URL to load.
    Url(String),
    /// Refused: why, for people.
    Refused(String),
}

impl MediaBase {
    /// Applies the contract's rule to a post's `thumbnail_url`.
    pub fn thumb(&self, raw: Option<&str>) -> Thumb {
        let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
            return Thumb::None;
        };
        match checked_media_url(raw, &self.api_base, &self.page_origin) {
            Ok(url) => Thumb::Url(url),
            Err(UrlRejection::Scheme(s)) => {
                Thumb::Refused(format!("a {s}: address, which Pulse does not load"))
            }
            Err(UrlRejection::Malformed) => Thumb::Refused("a malformed address".into()),
        }
    }
}

/// Everything the queue's parts share; `Copy`, so it moves into closures.
#[derive(Clone, Copy)]
pub struct QueueState {
    pub app: AppState,
    /// The day shown: the address's if it has posts, else the latest.
    pub day: Memo<Option<Day>>,
    pub hour: Memo<u8>,
    pub minute: Memo<Option<u8>>,
    pub layout: Memo<Layout>,
    doc: LocalResource<Option<Loaded<PostHour>>>,
    /// The hour's posts while its document arrives.
    posts_so_far: Arriving<(Day, u8), PostsReader>,
    /// How far the hour has come while its first posts are listed before
    /// it is complete; `None` once it is (sort and filters wait for it).
    pub arriving: Memo<Option<Progress>>,
    pub sort: Memo<QueueSort>,
    /// The posts shown, in order: indices into the hour's posts.
    pub rows: Memo<Shared<Vec<u32>>>,
    pub counts: Memo<QueueCounts>,
    /// The selected post (its index in the document).
    pub selected: RwSignal<Option<u32>>,
    /// Whether the detail pane is open.
    pub open: RwSignal<bool>,
    pub media_base: Memo<Option<MediaBase>>,
    pub panel: Memo<PanelState>,
}

/// How an hour is read: whole up to 4 MB (the demo's busiest hour, 3 MB
/// and some 10,600 posts, parses whole in ~30 ms here), in steps above
/// (the split build profiles a 30,000-post hour, 8.5 MB), 100 posts
/// between two looks at the clock (well under a millisecond).
const POSTS_STEPS: Steps = Steps {
    from_bytes: 4_000_000,
    per_step: 100,
};

impl QueueState {
    /// Sets up the queue's state from the address and the loaded documents.
    pub fn new(app: AppState) -> Self {
        let day = Memo::new(move |_| {
            let meta = app.docs.meta()?;
            shown_or_latest(app.route.with(|r| r.day), &meta.post_days)
        });
        let hour = Memo::new(move |_| app.route.with(|r| r.hour.unwrap_or(DEFAULT_HOUR)));
        let minute = Memo::new(move |_| app.route.with(|r| r.minute));
        let layout = Memo::new(move |_| {
            app.route.with(|r| match r.embed.as_deref() {
                Some("queue-grid") => Layout::Grid,
                Some("queue-list") => Layout::List,
                _ => r.layout,
            })
        });
        // Nothing is loaded while the address still holds values that
        // are about to be reported and replaced (see `check_address`).
        let address_ok = Memo::new(move |_| {
            let Some(meta) = app.docs.meta() else {
                return false;
            };
            app.route.with(|r| address_ok(r, &meta))
        });
        let wanted = move || {
            if !address_ok.get() {
                return None;
            }
            day.get().map(|d| (d, hour.get()))
        };
        let reading = RwSignal::new(None::<(usize, usize)>);
        let posts_so_far = Arriving::new(reading, POSTS_STEPS);
        let doc = doc_resource_arriving(
            app.docs.config,
            wanted,
            |(d, h): &(Day, u8)| posts_doc(*d, *h),
            posts_so_far,
            |(d, h): &(Day, u8)| PostsReader::arriving(*d, *h),
            |b, (d, h): &(Day, u8)| PostHour::parse(b, *d, *h),
        );
        // The loaded hour, only when it is the one asked for (a reload
        // keeps the previous value until the new one arrives).
        let current = move || -> Option<Rc<PostHour>> {
            let want = wanted()?;
            doc.get()
                .flatten()
                .and_then(Result::ok)
                .filter(|h| (h.date, h.hour) == want)
        };
        let sort = Memo::new(move |_| {
            app.route
                .with(|r| r.sort.as_deref().and_then(QueueSort::parse))
                .unwrap_or_default()
        });
        let filter = Memo::new(move |_| {
            app.route.with(|r| QueueFilter {
                status: r.status.iter().copied().collect(),
                networks: r.net.iter().cloned().collect(),
                media: r.media.iter().copied().collect(),
                late_90s: r.late,
                minute: r.minute,
                search: r.q.clone().unwrap_or_default(),
            })
        });
        // A search and the profile sort read the posts' text folded to
        // lower case, whose Unicode tables are in the part of the module
        // loaded after the first rows: an address that asks for either
        // waits for that part (fetched at once, asynchronously) before it
        // folds; every other order and filter needs no folded text.
        let folds = Memo::new(move |_| filter.with(|f| QueueIndex::needed(sort.get(), f)));
        // Known in as soon as it is (a search typed later never waits).
        let rest_in = RwSignal::new(false);
        let settle = move || {
            // `None` when the view is gone: nothing waits then.
            rest_in.try_set(true);
        };
        leptos::task::spawn_local(async move {
            crate::rest::arrived().await;
            settle();
        });
        Effect::new(move |_| {
            if folds.get() && !rest_in.get_untracked() {
                leptos::task::spawn_local(async move {
                    crate::rest::loaded().await;
                    settle();
                });
            }
        });
        let index = Memo::new(move |_| {
            let hour = current()?;
            if !folds.get() {
                return Some(Shared::new(QueueIndex::default()));
            }
            rest_in
                .get()
                .then(|| Shared::new(QueueIndex::new(&hour.posts)))
        });
        // The hour while it arrives, when nothing asks for another order or
        // a part of it.
        let so_far = move || -> Option<Progress> {
            if current().is_some() {
                return None;
            }
            posts_so_far.progress(&wanted()?)
        };
        // An hour listed as it arrived keeps that order for two turns once
        // it is complete: it is sorted in a task of its own and the rows
        // switch to the sorted order in the next, so neither joins the
        // task that finished reading it (each is tens of milliseconds on
        // a phone for an hour of 30,000 posts). `false` from the first
        // posts listed until then.
        let ordered = RwSignal::new(true);
        let plain = move || {
            filter.with(|f| *f == QueueFilter::default()) && sort.get() == QueueSort::default()
        };
        let arriving = Memo::new(move |_| {
            let listed = so_far().filter(|p| p.items > 0 && plain());
            let ordered_now = ordered.get_untracked();
            if listed.is_some() == ordered_now {
                // Listed: held from now on. Neither listed nor complete
                // (another hour, a filter): nothing to hold.
                if ordered_now || current().is_none() {
                    ordered.try_set(!ordered_now);
                }
            }
            listed
        });
        let sorted = Memo::new(move |_| {
            let (Some(hour), Some(index)) = (current(), index.get()) else {
                return Shared::default();
            };
            let mut ids: Vec<u32> = (0..hour.posts.len())
                .filter_map(|i| u32::try_from(i).ok())
                .collect();
            index.sort(&hour.posts, &mut ids, sort.get());
            Shared::new(ids)
        });
        let rows = Memo::new(move |_| {
            if let Some(p) = arriving.get() {
                let upto = u32::try_from(p.items).unwrap_or(u32::MAX);
                return Shared::new((0..upto).collect());
            }
            if let Some(hour) = current().filter(|_| !ordered.get() && plain()) {
                leptos::task::spawn_local(async move {
                    crate::turn::next_turn().await;
                    // The memo keeps the order until the rows ask for it.
                    if sorted.try_with_untracked(|_| ()).is_some() {
                        crate::turn::next_turn().await;
                    }
                    ordered.try_set(true);
                });
                let upto = u32::try_from(hour.posts.len()).unwrap_or(u32::MAX);
                return Shared::new((0..upto).collect());
            }
            let all = sorted.get();
            let filter = filter.get();
            if filter == QueueFilter::default() {
                return all;
            }
            let (Some(hour), Some(index)) = (current(), index.get()) else {
                return Shared::default();
            };
            let mut ids = all.to_vec();
            index.refine(&hour.posts, &filter, &mut ids);
            Shared::new(ids)
        });
        let counts = Memo::new(move |_| {
            let rows = rows.get();
            if arriving.with(Option::is_some) {
                return wanted()
                    .and_then(|k| posts_so_far.with(&k, |r| QueueCounts::of(r.posts(), &rows)))
                    .unwrap_or_default();
            }
            current()
                .map(|h| QueueCounts::of(&h.posts, &rows))
                .unwrap_or_default()
        });
        let media_base = Memo::new(move |_| {
            let config = app.docs.config.get()?.ok()?;
            let page_origin = web_sys::window()?.location().origin().ok()?;
            Some(MediaBase {
                api_base: config.api_base_url.clone(),
                page_origin,
            })
        });
        // Loading, with progress while a large hour is read in steps, or
        // listed while it arrives.
        let loading = move || match (arriving.get(), so_far()) {
            (Some(_), _) => PanelState::Ready,
            (None, Some(p)) => PanelState::Reading {
                what: "posts",
                done: p.items,
                total: p.total.unwrap_or(0),
            },
            (None, None) => loading_state(reading, "posts"),
        };
        let panel = Memo::new(move |_| match app.docs.meta.get() {
            None => PanelState::Loading,
            Some(Err(e)) => PanelState::Failed(e),
            Some(Ok(meta)) if meta.post_days.is_empty() => {
                PanelState::Empty("This dataset has no posts.".into())
            }
            Some(Ok(_)) => {
                let Some((d, h)) = wanted() else {
                    return PanelState::Loading;
                };
                match doc.get().flatten() {
                    None => loading(),
                    Some(Err(e)) if e.doc() == posts_doc(d, h) => PanelState::Failed(e),
                    Some(Err(_)) => loading(),
                    Some(Ok(hour)) if (hour.date, hour.hour) != (d, h) => loading(),
                    Some(Ok(hour)) if hour.posts.is_empty() => PanelState::Empty(format!(
                        "No posts were due on {d} between {h:02}:00 and {h:02}:59 UTC."
                    )),
                    // The folded text a search needs is on its way.
                    Some(Ok(_)) if index.with(Option::is_none) => loading(),
                    Some(Ok(_)) => PanelState::Ready,
                }
            }
        });
        let selected = RwSignal::new(None);
        let open = RwSignal::new(false);
        // A new document: nothing is selected in it yet.
        Effect::new(move |_| {
            index.track();
            selected.set(None);
            open.set(false);
        });
        let state = Self {
            app,
            day,
            hour,
            minute,
            layout,
            doc,
            posts_so_far,
            arriving,
            sort,
            rows,
            counts,
            selected,
            open,
            media_base,
            panel,
        };
        state.check_address();
        state
    }

    /// Keeps the address to what the queue can show ([`correct`]).
    fn check_address(self) {
        let app = self.app;
        correct_address(app, move |route| Some(correct(route, &*app.docs.meta()?)));
    }

    /// The hour's document when it is the one shown (tracked).
    pub fn hour_doc(&self) -> Option<Rc<PostHour>> {
        let want = self.day.get().map(|d| (d, self.hour.get()))?;
        self.doc
            .get()
            .flatten()
            .and_then(Result::ok)
            .filter(|h| (h.date, h.hour) == want)
    }

    /// The hour's document, untracked.
    pub fn hour_doc_untracked(&self) -> Option<Rc<PostHour>> {
        let want = self
            .day
            .get_untracked()
            .map(|d| (d, self.hour.get_untracked()))?;
        self.doc
            .get_untracked()
            .flatten()
            .and_then(Result::ok)
            .filter(|h| (h.date, h.hour) == want)
    }

    /// Runs `f` on post `idx` of the shown hour, or of the posts received
    /// so far while it arrives (untracked).
    pub fn with_post<R>(&self, idx: u32, f: impl FnOnce(&Post) -> R) -> Option<R> {
        if let Some(hour) = self.hour_doc_untracked() {
            return hour.posts.get(idx as usize).map(f);
        }
        let key = (self.day.get_untracked()?, self.hour.get_untracked());
        self.posts_so_far
            .with(&key, |r| r.posts().get(idx as usize).map(f))
            .flatten()
    }

    /// Loads the failed documents again.
    pub fn retry(&self) {
        if matches!(self.app.docs.meta.get_untracked(), Some(Err(_))) {
            self.app.docs.retry();
        }
        self.doc.refetch();
    }

    /// The thumbnail of a post, after the contract's URL rule (untracked).
    pub fn thumb(&self, raw: Option<&str>) -> Thumb {
        match self.media_base.get_untracked() {
            Some(base) => base.thumb(raw),
            None if raw.is_some() => Thumb::Refused("not checked yet".into()),
            None => Thumb::None,
        }
    }

    /// The position of the selected post in the rows shown.
    pub fn selected_position(&self) -> Option<usize> {
        let idx = self.selected.get_untracked()?;
        self.rows
            .with_untracked(|rows| rows.iter().position(|&i| i == idx))
    }

    /// Handles a key on the list or the grid: Enter or space opens the
    /// detail pane, Home and End jump, and `step` (the layout's own move
    /// for arrows and pages, `None` for other keys) moves the selection,
    /// which `reveal` scrolls into view.
    pub fn handle_key(
        &self,
        ev: &web_sys::KeyboardEvent,
        step: Option<isize>,
        reveal: impl Fn(usize),
    ) {
        let step = match ev.key().as_str() {
            "Home" => isize::MIN / 2,
            "End" => isize::MAX / 2,
            "Enter" | " " => {
                ev.prevent_default();
                if self.selected.get_untracked().is_none() {
                    self.step_selection(1);
                }
                self.open.set(true);
                return;
            }
            _ => match step {
                Some(s) => s,
                None => return,
            },
        };
        ev.prevent_default();
        if let Some(pos) = self.step_selection(step) {
            reveal(pos);
        }
    }

    /// Moves the selection by `delta` rows (clamped to the list; from
    /// nothing, to the first row) and returns the new position.
    pub fn step_selection(&self, delta: isize) -> Option<usize> {
        let len = self.rows.with_untracked(|r| r.len());
        let last = len.checked_sub(1)?;
        let pos = match self.selected_position() {
            Some(p) => p.saturating_add_signed(delta).min(last),
            None if delta < 0 => last,
            None => 0,
        };
        self.select_position(pos);
        Some(pos)
    }

    /// Selects the post at `pos` in the rows shown.
    pub fn select_position(&self, pos: usize) {
        if let Some(idx) = self.rows.with_untracked(|r| r.get(pos).copied()) {
            self.selected.set(Some(idx));
        }
    }

    /// Whether any filter (not the minute, which picks the time) is set.
    pub fn filtered(&self) -> bool {
        self.app.route.with(|r| {
            !r.status.is_empty()
                || !r.net.is_empty()
                || !r.media.is_empty()
                || r.late
                || r.q.is_some()
        })
    }

    /// Clears the filters (status, network, media, late, search).
    pub fn clear_filters(&self) {
        self.app.navigate(|r| {
            r.status.clear();
            r.net.clear();
            r.media.clear();
            r.late = false;
            r.q = None;
        });
    }

    /// The CSV of the rows shown, in their order.
    pub fn rows_table(&self) -> Option<crate::ui::Table> {
        let hour = self.hour_doc_untracked()?;
        let mut t = crate::ui::Table::new(
            format!(
                "Posts due {} {:02}:00–{:02}:59 UTC",
                hour.date, hour.hour, hour.hour
            ),
            &[
                "id",
                "due_at",
                "profile",
                "network",
                "media",
                "media_bytes",
                "status",
                "sent_at",
                "delay_ms",
                "error",
                "text",
            ],
        );
        self.rows.with_untracked(|rows| {
            for p in rows.iter().filter_map(|&i| hour.posts.get(i as usize)) {
                t.push(vec![
                    p.id.clone(),
                    p.due_at.to_string(),
                    p.profile.clone(),
                    p.network.clone(),
                    p.media.as_str().to_owned(),
                    p.media_bytes.map(|b| b.to_string()).unwrap_or_default(),
                    p.status.as_str().to_owned(),
                    p.sent_at.map(|s| s.to_string()).unwrap_or_default(),
                    p.delay_ms().map(|d| d.to_string()).unwrap_or_default(),
                    p.error.clone().unwrap_or_default(),
                    p.text.clone(),
                ]);
            }
        });
        Some(t)
    }
}
