//! The queue's controls: the day, hour and minute pickers and the layout
//! switch (in the view's head), the filter bar and the counts (in the
//! panel). Every choice is written to the address: a click adds a history
//! entry; typing in the search replaces the entry, once the typing pauses.

use super::list::set_sort;
use super::state::QueueState;
use crate::api::{Day, Media, PostStatus};
use crate::format;
use crate::load::arriving::Progress;
use crate::model::queue::{QueueSort, SortKey};
use crate::model::sort::Direction;
use crate::route::Layout;
use crate::ui::Kpi;
use crate::views::toggle::address_toggle;
use leptos::prelude::*;
use std::time::Duration;

/// How long the search waits for the typing to pause.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// Day, hour and minute pickers and the layout switch.
#[component]
pub fn Pickers(st: QueueState) -> impl IntoView {
    let app = st.app;
    let day_picker = move || {
        let meta = app.docs.meta()?;
        let selected = st.day.get()?;
        Some(view! {
            <label class="picker">
                <span>"Day"</span>
                <select
                    data-picker="day"
                    on:change=move |ev| {
                        if let Some(d) = Day::parse(&event_target_value(&ev)) {
                            app.navigate(|r| r.day = Some(d));
                        }
                    }
                >
                    {meta
                        .post_days
                        .iter()
                        .rev()
                        .map(|d| {
                            let d = *d;
                            view! {
                                <option value=d.to_string() selected=d == selected>
                                    {format!("{} {d}", d.weekday_short())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        })
    };
    let hour_picker = move || {
        let selected = st.hour.get();
        view! {
            <label class="picker">
                <span>"Hour"</span>
                <select
                    data-picker="hour"
                    on:change=move |ev| {
                        if let Ok(h) = event_target_value(&ev).parse::<u8>() {
                            if h < 24 {
                                app.navigate(|r| r.hour = Some(h));
                            }
                        }
                    }
                >
                    {(0u8..24)
                        .map(|h| view! {
                            <option value=h.to_string() selected=h == selected>
                                {format!("{h:02}:00 UTC")}
                            </option>
                        })
                        .collect_view()}
                </select>
            </label>
        }
    };
    let minute_picker = move || {
        let selected = st.minute.get();
        let hour = st.hour.get();
        view! {
            <label class="picker">
                <span>"Minute"</span>
                <select
                    data-picker="minute"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let minute = value.parse::<u8>().ok().filter(|m| *m < 60);
                        app.navigate(|r| r.minute = minute);
                    }
                >
                    <option value="" selected=selected.is_none()>"Whole hour"</option>
                    {(0u8..60)
                        .map(|m| view! {
                            <option value=m.to_string() selected=selected == Some(m)>
                                {format!("{hour:02}:{m:02}")}
                            </option>
                        })
                        .collect_view()}
                </select>
            </label>
        }
    };
    let layout_button = move |layout: Layout, key: &'static str, label: &'static str| {
        view! {
            <button
                type="button"
                data-layout=key
                aria-pressed=move || (st.layout.get() == layout).to_string()
                on:click=move |_| app.navigate(|r| r.layout = layout)
            >
                {label}
            </button>
        }
    };
    view! {
        {day_picker}
        {hour_picker}
        {minute_picker}
        <div class="toggle-group" role="group" aria-label="Layout">
            {layout_button(Layout::List, "list", "List")}
            {layout_button(Layout::Grid, "grid", "Grid")}
        </div>
    }
}

/// Search, status/network/media filters, "90 s or more late", and sort;
/// all disabled while the hour is still arriving.
#[component]
pub fn FilterBar(st: QueueState) -> impl IntoView {
    let app = st.app;
    let waiting = move || st.arriving.with(Option::is_some);
    view! {
        <fieldset
            class="qfilters"
            disabled=waiting
            aria-disabled=move || waiting().then_some("true")
            title=move || waiting().then_some("Sorting and filters are available once the whole hour is in")
        >
            <Search st=st />
            <div class="qchips">
                <div class="toggle-group" role="group" aria-label="Status">
                    {PostStatus::ALL
                        .into_iter()
                        .map(|s| address_toggle(st.app, "status", s, s.as_str().into(), s.as_str().into(), |r| &mut r.status, |r| &r.status))
                        .collect_view()}
                </div>
                <div class="toggle-group" role="group" aria-label="Media">
                    {Media::ALL
                        .into_iter()
                        .map(|m| address_toggle(st.app, "media", m, m.as_str().into(), m.as_str().into(), |r| &mut r.media, |r| &r.media))
                        .collect_view()}
                </div>
                <NetworkToggles st=st />
                <label class="qcheck">
                    <input
                        type="checkbox"
                        data-filter="late"
                        prop:checked=move || app.route.with(|r| r.late)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            app.navigate(|r| r.late = on);
                        }
                    />
                    <span>"90 s or more late"</span>
                </label>
                <SortPicker st=st />
                <Show when=move || st.filtered()>
                    <button type="button" class="button quiet" data-action="clear-filters" on:click=move |_| st.clear_filters()>
                        "Clear filters"
                    </button>
                </Show>
            </div>
        </fieldset>
    }
}

#[component]
fn NetworkToggles(st: QueueState) -> impl IntoView {
    // Networks are plain strings: a toggle per network the dataset names.
    move || {
        let meta = st.app.docs.meta()?;
        Some(view! {
            <div class="toggle-group" role="group" aria-label="Network">
                {meta
                    .networks
                    .iter()
                    .map(|n| {
                        address_toggle(st.app, "net", n.clone(), n.clone(), n.clone(), |r| &mut r.net, |r| &r.net)
                    })
                    .collect_view()}
            </div>
        })
    }
}

/// The sort for both layouts (the list's headers set it too).
#[component]
fn SortPicker(st: QueueState) -> impl IntoView {
    let label = |k: SortKey| match k {
        SortKey::Due => "Due time",
        SortKey::Profile => "Profile",
        SortKey::Network => "Network",
        SortKey::Media => "Media",
        SortKey::Size => "Size",
        SortKey::Delay => "Delay",
        SortKey::Status => "Status",
    };
    view! {
        <label class="picker">
            <span>"Sort"</span>
            <select
                data-picker="sort"
                on:change=move |ev| {
                    if let Some(key) = SortKey::parse(&event_target_value(&ev)) {
                        set_sort(st, QueueSort::new(key, st.sort.get_untracked().dir));
                    }
                }
            >
                {SortKey::ALL
                    .into_iter()
                    .map(|k| view! {
                        <option value=k.as_str() selected=move || st.sort.get().key == k>{label(k)}</option>
                    })
                    .collect_view()}
            </select>
        </label>
        <button
            type="button"
            class="button quiet qdir"
            data-action="sort-dir"
            title=move || match st.sort.get().dir {
                Direction::Ascending => "Ascending: click for descending",
                Direction::Descending => "Descending: click for ascending",
            }
            on:click=move |_| {
                let s = st.sort.get_untracked();
                set_sort(st, QueueSort::new(s.key, s.dir.flip()));
            }
        >
            {move || match st.sort.get().dir {
                Direction::Ascending => "↑ Asc",
                Direction::Descending => "↓ Desc",
            }}
        </button>
    }
}

/// The search box: its own text while typing, written to the address
/// (replacing the entry) once the typing pauses.
#[component]
fn Search(st: QueueState) -> impl IntoView {
    let app = st.app;
    let text = RwSignal::new(
        app.route
            .with_untracked(|r| r.q.clone().unwrap_or_default()),
    );
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // Follow the address when it changes otherwise (back, clear filters).
    Effect::new(move |_| {
        let from_route = app.route.with(|r| r.q.clone().unwrap_or_default());
        if pending.get_value().is_none() && text.get_untracked() != from_route {
            text.set(from_route);
        }
    });
    let commit = move || {
        pending.set_value(None);
        let value = text.get_untracked();
        let value = (!value.trim().is_empty()).then_some(value);
        app.replace(|r| r.q = value);
    };
    let on_input = move |ev| {
        text.set(event_target_value(&ev));
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        match set_timeout_with_handle(commit, SEARCH_DEBOUNCE) {
            Ok(h) => pending.set_value(Some(h)),
            Err(_) => commit(),
        }
    };
    on_cleanup(move || {
        if let Some(h) = pending.try_get_value().flatten() {
            h.clear();
        }
    });
    view! {
        <input
            type="search"
            class="qsearch"
            data-filter="q"
            placeholder="Search profile and text"
            aria-label="Search profile and text"
            prop:value=move || text.get()
            on:input=on_input
        />
    }
}

/// The counts of the posts shown, with their hooks; while the hour
/// arrives, of the posts received so far ([`Arrival`] shows how far).
#[component]
pub fn Counts(st: QueueState) -> impl IntoView {
    let total = move || st.hour_doc().map(|h| h.posts.len()).unwrap_or(0);
    move || {
        let c = st.counts.get();
        let arriving = st.arriving.get();
        let all = total();
        let of = if arriving.is_some() {
            "Posts so far".to_owned()
        } else if c.posts == all {
            "Posts".to_owned()
        } else {
            format!("Posts (of {})", group(all))
        };
        view! {
            <div class="kpis qkpis" aria-busy=arriving.map(|_| "true")>
                <Kpi name="posts_count" raw=c.posts.to_string() label=of text=group(c.posts) />
                <Kpi name="posts_failed" raw=c.failed.to_string() label="Failed" text=group(c.failed) />
                <Kpi name="posts_pending" raw=c.pending.to_string() label="Pending" text=group(c.pending) />
                <Kpi name="posts_late_90s" raw=c.late_90s.to_string() label="90 s or more late" text=group(c.late_90s) />
            </div>
        }
    }
}

/// How far the hour has come while it arrives, in the panel's head: its
/// bytes while it downloads (a bar with no end when its size was not
/// announced), then its posts while the rest is read. It takes no room
/// in the panel's body, so nothing there moves when the hour is
/// complete; on a phone, the bar alone (queue.css). `data-reading` is the
/// count of posts read so far.
#[component]
pub fn Arrival(st: QueueState) -> impl IntoView {
    move || st.arriving.get().map(arrival)
}

fn arrival(p: Progress) -> impl IntoView {
    // Not `{:.1}`: the standard printer's exact mode would bring its
    // tables into the first part of the module for this one label.
    let mb = |bytes: u64| format::fixed(bytes as f64 / 1e6, 1);
    let (label, max, value) = match (p.total, p.announced) {
        (Some(total), _) => (
            format!("Reading {} of {}", group(p.items), group(total)),
            Some(total.to_string()),
            Some(p.items.to_string()),
        ),
        (None, Some(size)) => (
            format!("{} of {} MB", mb(p.bytes), mb(size)),
            Some(size.to_string()),
            Some(p.bytes.to_string()),
        ),
        (None, None) => (format!("{} MB", mb(p.bytes)), None, None),
    };
    view! {
        <span class="reading qarriving" role="status" data-reading=p.items.to_string()>
            <progress max=max value=value aria-label="Download of the hour"></progress>
            // Read out but not shown on a phone, where the bar is alone.
            <span class="qarriving-label">{label}</span>
        </span>
    }
}

/// `12345` as `12,345`.
fn group(n: usize) -> String {
    format::group_thousands(i64::try_from(n).unwrap_or(i64::MAX))
}
