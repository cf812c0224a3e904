//! `overview-events`: the month's annotations (incidents, deploys,
//! experiments, notes), oldest first, each with its kind, when, title and
//! text, and a link only when it is `https:`. Shown when the dataset has
//! annotations; the view builds it after the month's report is on screen
//! (`rest::AfterPaint`). Kinds hidden by the address (`hide`) are left out.

use crate::api::{Annotation, Month};
use crate::load::annotations::AnnotationsDoc;
use crate::model::annotations::{of_month, when};
use crate::state::AppState;
use crate::ui::{Panel, PanelState, Table};
use leptos::prelude::*;

/// The month's events as a table (for the panel's table and CSV).
fn events_table(month: Month, items: &[Annotation]) -> Table {
    let mut t = Table::new(
        format!("Events of {}", month.label()),
        &["id", "kind", "when", "title", "url"],
    );
    for a in items {
        t.push(vec![
            a.id.clone(),
            a.kind.as_str().to_owned(),
            when(a),
            a.title.clone(),
            a.url.clone().unwrap_or_default(),
        ]);
    }
    t
}

/// The panel, for the month `month`.
#[component]
pub fn EventsPanel(
    /// The month shown.
    month: Memo<Option<Month>>,
) -> impl IntoView {
    let app = expect_context::<AppState>();
    let has = move || app.docs.has_annotations();
    let doc = use_context::<AnnotationsDoc>();
    let loaded = doc.as_ref().map(|d| d.get(app.docs));
    let events = Memo::new(move |_| {
        let m = month.get()?;
        let hidden = app.route.with(|r| r.hide.clone());
        loaded?.with(|l| match l {
            Some(Ok(a)) => Some(of_month(&a.items, m, &hidden)),
            _ => None,
        })
    });
    let state = Signal::derive(move || match loaded.and_then(|l| l.get()) {
        None => PanelState::Loading,
        Some(Err(e)) => PanelState::Failed(e),
        Some(Ok(_)) => match events.with(|e| e.as_ref().map(Vec::is_empty)) {
            Some(true) => PanelState::Empty("No events were recorded in this month.".into()),
            Some(false) => PanelState::Ready,
            None => PanelState::Loading,
        },
    });
    let table = Signal::derive(move || {
        let m = month.get()?;
        events.with(|e| e.as_ref().map(|e| events_table(m, e)))
    });
    let retry = Callback::new(move |_| {
        if let Some(d) = &doc {
            d.retry();
        }
    });
    let list = move || {
        events.get().map(|items| {
            view! {
                <ul class="events">
                    {items
                        .into_iter()
                        .map(|a| {
                            let link = a.url.clone().map(|url| {
                                let about = format!(": {}", a.title);
                                view! {
                                    " "
                                    <a href=url rel="noopener noreferrer" target="_blank">
                                        "Details"<span class="visually-hidden">{about}</span>
                                    </a>
                                }
                            });
                            view! {
                                <li data-annotation=a.id.clone() data-kind=a.kind.as_str()>
                                    <span class="event-kind">
                                        <span class="chart-mark-swatch" aria-hidden="true"></span>
                                        {a.kind.label()}
                                    </span>
                                    <span class="event-when muted small">{when(&a)}</span>
                                    <span class="event-title">{a.title.clone()}{link}</span>
                                    {a.text.clone().map(|t| view! { <span class="event-text muted small">{t}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    };
    move || {
        has().then(|| {
            view! {
                <Panel
                    id="overview-events"
                    title="Events this month"
                    state=state
                    on_retry=retry
                    table=table
                    class="wide"
                >
                    {list}
                </Panel>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Annotations;

    #[test]
    fn the_table_lists_each_event_with_its_link_only_when_https() {
        let doc = r#"{"annotations": [
          {"id": "o", "kind": "incident", "title": "<b>Outage</b>", "url": "https://status.example.com/1",
           "from": "2016-08-19T14:05:00Z", "to": "2016-08-19T17:40:00Z"},
          {"id": "d", "kind": "deploy", "title": "Deploy", "url": "http://wiki.example.com", "at": "2016-08-19T13:50:00Z"}
        ]}"#;
        let items = Annotations::parse(doc).unwrap().items;
        let aug = Month::parse("2016-08").unwrap();
        let t = events_table(aug, &of_month(&items, aug, &[]));
        assert_eq!(
            t.rows[0],
            ["d", "deploy", "19 Aug 2016 13:50 UTC", "Deploy", ""]
        );
        assert_eq!(
            t.rows[1],
            [
                "o",
                "incident",
                "19 Aug 2016 14:05–17:40 UTC",
                "<b>Outage</b>",
                "https://status.example.com/1"
            ]
        );
    }
}
