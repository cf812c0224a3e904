//! A pill that adds or removes one value in one of the address's lists
//! (`net`, `media`, `status`), with `aria-pressed` showing its state.
//! A long label (a network name is user content) is clipped, whole in
//! the tooltip.

use crate::route::Route;
use crate::state::AppState;
use leptos::prelude::*;

/// About how many characters a pill shows before it clips its label
/// (`max-width` in pulse.css) and needs a tooltip.
const LABEL_SHOWN: usize = 24;

/// A toggle for `value` in the list `list` of the address. `filter` and
/// `key` become `data-filter` and `data-value` (hooks for tests and
/// scripts); `label` is what people read.
pub fn address_toggle<T: Clone + PartialEq + Send + Sync + 'static>(
    app: AppState,
    filter: &'static str,
    value: T,
    key: String,
    label: String,
    list: fn(&mut Route) -> &mut Vec<T>,
    read: fn(&Route) -> &Vec<T>,
) -> impl IntoView {
    let pressed = {
        let value = value.clone();
        move || app.route.with(|r| read(r).contains(&value))
    };
    let title = crate::ui::text::tooltip_if_longer(&label, LABEL_SHOWN);
    view! {
        <button
            type="button"
            title=title
            data-filter=filter
            data-value=key
            aria-pressed=move || pressed().to_string()
            on:click=move |_| {
                let value = value.clone();
                app.navigate(move |r| {
                    let l = list(r);
                    if let Some(i) = l.iter().position(|v| *v == value) {
                        l.remove(i);
                    } else {
                        l.push(value);
                    }
                });
            }
        >
            {label}
        </button>
    }
}
