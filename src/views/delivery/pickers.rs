//! The view's pickers: the day and the compare day (from `meta.json`'s
//! `delivery_days`), network and media toggles, and the minute window as
//! `HH:MM` inputs with a reset. Every choice is written to the address
//! with a history entry.

use super::state::{day_label, DeliveryState};
use crate::api::{Day, Media};
use crate::format::{hhmm, parse_hhmm};
use crate::model::delivery::Window;
use crate::views::toggle::address_toggle;
use leptos::prelude::*;

/// Day and compare-day pickers.
#[component]
pub fn DayPickers(st: DeliveryState) -> impl IntoView {
    let app = st.app;
    move || {
        let meta = app.docs.meta()?;
        let selected = st.day.get()?;
        let compare = st.compare.get();
        let days: Vec<Day> = meta.delivery_days.iter().rev().copied().collect();
        let day_options = days
            .iter()
            .map(|d| {
                let d = *d;
                view! { <option value=d.to_string() selected=d == selected>{day_label(d)}</option> }
            })
            .collect_view();
        let compare_options = days
            .iter()
            .filter(|d| **d != selected)
            .map(|d| {
                let d = *d;
                view! { <option value=d.to_string() selected=Some(d) == compare>{day_label(d)}</option> }
            })
            .collect_view();
        Some(view! {
            <label class="picker">
                <span>"Day"</span>
                <select
                    data-picker="day"
                    on:change=move |ev| {
                        if let Some(d) = Day::parse(&event_target_value(&ev)) {
                            app.navigate(|r| {
                                r.day = Some(d);
                                if r.compare == Some(d) {
                                    r.compare = None;
                                }
                            });
                        }
                    }
                >
                    {day_options}
                </select>
            </label>
            <label class="picker">
                <span>"Compare with"</span>
                <select
                    data-picker="compare"
                    on:change=move |ev| {
                        let d = Day::parse(&event_target_value(&ev));
                        app.navigate(|r| r.compare = d);
                    }
                >
                    <option value="" selected=compare.is_none()>"No comparison"</option>
                    {compare_options}
                </select>
            </label>
        })
    }
}

/// One end of the window as an `HH:MM` input.
#[component]
fn MinuteInput(st: DeliveryState, end: &'static str) -> impl IntoView {
    let invalid = RwSignal::new(false);
    let is_from = end == "from";
    let current = move || {
        let w = st.window.get();
        hhmm(if is_from { w.from } else { w.to })
    };
    let apply = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let w = st.window.get_untracked();
        let next = parse_hhmm(text.trim()).and_then(|m| {
            let (from, to) = if is_from { (m, w.to) } else { (w.from, m) };
            (from <= to).then(|| Window::new(from, to))
        });
        match next {
            Some(next) => {
                invalid.set(false);
                st.set_window(next);
            }
            None => invalid.set(true),
        }
    };
    view! {
        <input
            type="text"
            class="minute-input"
            data-picker=end
            inputmode="numeric"
            maxlength="5"
            size="5"
            autocomplete="off"
            spellcheck="false"
            aria-label=if is_from { "First due minute (UTC)" } else { "Last due minute (UTC)" }
            aria-invalid=move || invalid.get().to_string()
            title=move || {
                if invalid.get() {
                    "Type a time as HH:MM, within the day and in order".to_owned()
                } else {
                    "Due minute, UTC, as HH:MM".to_owned()
                }
            }
            prop:value=current
            on:change=apply
        />
    }
}

/// Network and media toggles, the window inputs and their resets.
#[component]
pub fn FilterBar(st: DeliveryState) -> impl IntoView {
    let networks = move || {
        let meta = st.app.docs.meta()?;
        Some(
            meta.networks
                .iter()
                .map(|n| {
                    address_toggle(
                        st.app,
                        "net",
                        n.clone(),
                        n.clone(),
                        n.clone(),
                        |r| &mut r.net,
                        |r| &r.net,
                    )
                })
                .collect_view(),
        )
    };
    let media = Media::ALL
        .into_iter()
        .map(|m| {
            address_toggle(
                st.app,
                "media",
                m,
                m.as_str().to_owned(),
                m.as_str().to_owned(),
                |r| &mut r.media,
                |r| &r.media,
            )
        })
        .collect_view();
    view! {
        <div class="dfilters" role="group" aria-label="Filters and window">
            <div class="dfilter">
                <span class="dfilter-label">"Networks"</span>
                <div class="toggle-group" role="group" aria-label="Networks">{networks}</div>
            </div>
            <div class="dfilter">
                <span class="dfilter-label">"Media"</span>
                <div class="toggle-group" role="group" aria-label="Media">{media}</div>
            </div>
            <Show when=move || st.filtered()>
                <button type="button" class="button quiet" data-action="clear-filters" on:click=move |_| st.clear_filters()>
                    "All series"
                </button>
            </Show>
            <div class="dfilter dwindow">
                <span class="dfilter-label">"Due"</span>
                <MinuteInput st=st end="from" />
                <span aria-hidden="true">"–"</span>
                <MinuteInput st=st end="to" />
                <span class="muted">"UTC"</span>
                <Show when=move || st.zoomed()>
                    <button type="button" class="button quiet" data-action="reset-zoom" on:click=move |_| st.reset_window()>
                        "Reset zoom"
                    </button>
                </Show>
            </div>
        </div>
    }
}
