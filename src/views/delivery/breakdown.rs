//! `delivery-breakdown`: one row per network × media series over the
//! window: sent, failed, share within 60 s, 90 s or more late, p95.
//! Every series of the day is listed, so the table is also the way to
//! narrow the view: clicking a row sets `net` and `media` to that series
//! (clicking it again clears them); rows outside the filters are dimmed.
//! Columns sort both ways; the most late first by default.

use super::state::{DeliveryState, TARGET_WITHIN_60S};
use crate::format;
use crate::model::delivery::{
    sort_breakdown, BreakdownColumn, BreakdownRow, ClassNames, SeriesFilter,
};
use crate::model::sort::Direction;
use crate::ui::{Panel, Table};
use leptos::prelude::*;

/// The header of a column, for people (the delay classes named after
/// the day's bounds).
fn header(c: BreakdownColumn, names: &ClassNames) -> String {
    match c {
        BreakdownColumn::Network => "Network".into(),
        BreakdownColumn::Media => "Media".into(),
        BreakdownColumn::Sent => "Sent".into(),
        BreakdownColumn::Failed => "Failed".into(),
        BreakdownColumn::Within60s => format!("Within {}", names.within_edge()),
        BreakdownColumn::Late90s => names.late_short(),
        BreakdownColumn::P95 => "p95".into(),
    }
}

fn numeric(c: BreakdownColumn) -> bool {
    !matches!(c, BreakdownColumn::Network | BreakdownColumn::Media)
}

/// The direction a column sorts in when first chosen: biggest first for
/// numbers, except the share within 60 s (worst first).
fn first_direction(c: BreakdownColumn) -> Direction {
    match c {
        BreakdownColumn::Network | BreakdownColumn::Media | BreakdownColumn::Within60s => {
            Direction::Ascending
        }
        _ => Direction::Descending,
    }
}

/// The rows as a table, in the order shown.
pub fn breakdown_table(caption: String, rows: &[BreakdownRow]) -> Table {
    let columns: Vec<&str> = BreakdownColumn::ALL.iter().map(|c| c.as_str()).collect();
    let mut t = Table::new(caption, &columns);
    for r in rows {
        t.push(vec![
            r.network.clone(),
            r.media.as_str().to_owned(),
            r.sent.to_string(),
            r.failed.to_string(),
            format::raw_fraction(r.within_60s),
            r.late_90s.to_string(),
            r.p95.raw(),
        ]);
    }
    t
}

fn count(n: u64) -> String {
    format::group_thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The breakdown panel.
#[component]
pub fn BreakdownPanel(st: DeliveryState) -> impl IntoView {
    let sort = RwSignal::new((BreakdownColumn::Late90s, Direction::Descending));
    let sorted = Memo::new(move |_| {
        let rows = st.rows.get()?;
        let mut rows = rows.to_vec();
        let (column, dir) = sort.get();
        sort_breakdown(&mut rows, column, dir);
        Some(rows)
    });
    let table = Signal::derive(move || {
        let day = st.day.get()?;
        let rows = sorted.get()?;
        Some(breakdown_table(
            format!("Delivery by network and media, {day}"),
            &rows,
        ))
    });
    let retry = Callback::new(move |_| st.retry());
    let choose = move |c: BreakdownColumn| {
        sort.update(|(column, dir)| {
            if *column == c {
                *dir = dir.flip();
            } else {
                *column = c;
                *dir = first_direction(c);
            }
        });
    };
    let head = move || {
        BreakdownColumn::ALL
            .into_iter()
            .map(|c| {
                let aria = move || {
                    let (column, dir) = sort.get();
                    if column != c {
                        "none"
                    } else if dir == Direction::Ascending {
                        "ascending"
                    } else {
                        "descending"
                    }
                };
                let arrow = move || match aria() {
                    "ascending" => "▲",
                    "descending" => "▼",
                    _ => "",
                };
                view! {
                    <th scope="col" class=if numeric(c) { "num" } else { "" } aria-sort=aria>
                        <button type="button" class="sort" data-sort=c.as_str() on:click=move |_| choose(c)>
                            {move || header(c, &st.names())}
                            <span class="sort-arrow" aria-hidden="true">{arrow}</span>
                        </button>
                    </th>
                }
            })
            .collect_view()
    };
    let body = move || {
        let rows = sorted.get().unwrap_or_default();
        let filter: SeriesFilter = st.filter.get();
        let only = |r: &BreakdownRow| {
            st.app.route.with(|route| {
                route.net.len() == 1
                    && route.media.len() == 1
                    && route.net.first() == Some(&r.network)
                    && route.media.first() == Some(&r.media)
            })
        };
        rows.into_iter()
            .map(|r| {
                let inside = filter.matches(&r.network, r.media);
                let selected = only(&r);
                let class = match (selected, inside) {
                    (true, _) => "selected",
                    (false, true) => "",
                    (false, false) => "outside",
                };
                let key = format!("{}/{}", r.network, r.media.as_str());
                let (network, media) = (r.network.clone(), r.media);
                let net_key = network.clone();
                let share = r.within_60s;
                let share_class = match share {
                    Some(v) if v < TARGET_WITHIN_60S => "num below-target",
                    _ => "num",
                };
                let title = if selected {
                    "Show every series again".to_owned()
                } else {
                    format!("Show only {} {}", r.network, r.media.as_str())
                };
                view! {
                    <tr
                        class=class
                        data-row=key
                        aria-current=selected.then_some("true")
                        tabindex="0"
                        title=title
                        on:click=move |_| st.select_series(&network, media)
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                st.select_series(&net_key, media);
                            }
                        }
                    >
                        <th scope="row">{r.network.clone()}</th>
                        <td>{r.media.as_str()}</td>
                        <td class="num">{count(r.sent)}</td>
                        <td class="num">{count(r.failed)}</td>
                        <td class=share_class>
                            {share.map_or_else(|| "n/a".to_owned(), format::percent)}
                            <span class="share-bar" aria-hidden="true">
                                <span style:width=format!("{}%", format::fixed(share.unwrap_or(0.0).clamp(0.0, 1.0) * 100.0, 1))></span>
                            </span>
                        </td>
                        <td class="num">{count(r.late_90s)}</td>
                        <td class="num">{r.p95.label()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Panel
            id="delivery-breakdown"
            later=true
            title="By network and media"
            state=st.panel
            on_retry=retry
            table=table
            class="wide"
        >
            <div class="table-wrap breakdown-wrap">
                <table class="data-table breakdown">
                    <caption class="visually-hidden">
                        "Delivery by network and media over the window; click a row to show only that series"
                    </caption>
                    <thead>
                        <tr>{head}</tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <p class="muted small">
                "Click a row to show only that network and media; click it again to show every series. Dimmed rows are outside the filters."
            </p>
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Media;
    use crate::model::delivery::Quantile;

    #[test]
    fn table_uses_raw_values() {
        let rows = [BreakdownRow {
            network: "twitter".into(),
            media: Media::Video,
            sent: 10,
            failed: 1,
            within_60s: Some(0.9),
            late_90s: 1,
            p95: Quantile::AtLeast(1800.0),
        }];
        let t = breakdown_table("x".into(), &rows);
        assert_eq!(
            t.columns,
            [
                "network",
                "media",
                "sent",
                "failed",
                "within_60s",
                "late_90s",
                "p95"
            ]
        );
        assert_eq!(
            t.rows[0],
            ["twitter", "video", "10", "1", "0.9", "1", "ge:1800"]
        );
        assert_eq!(
            first_direction(BreakdownColumn::Within60s),
            Direction::Ascending
        );
        assert_eq!(first_direction(BreakdownColumn::P95), Direction::Descending);
    }
}
