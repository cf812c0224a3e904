//! The Overview view: a month's report (traffic per service, S1/S2 bugs,
//! platform figures), each figure against the month before when the
//! dataset has it, and the month's events when it has annotations.

use crate::api::{report_doc, Bugs, LoadError, Meta, Month, Report};
use crate::format;
use crate::load::{doc_resource, Loaded};
use crate::rest::AfterPaint;
use crate::route::{Route, View};
use crate::state::AppState;
use crate::ui::{Delta, Kpi, Panel, PanelState, Table, Tone};
use crate::views::{correct_address, shown_or_latest, Corrected};
use events::EventsPanel;
use leptos::prelude::*;
use std::rc::Rc;

mod events;

/// The Overview, as the address names it.
pub const VIEW: View = View::named("overview");

/// Month-over-month change of a figure, for a KPI.
fn delta(
    current: f64,
    previous: Option<f64>,
    up_is_good: Option<bool>,
    against: Month,
) -> Option<Delta> {
    let previous = previous?;
    let text = format::change_percent(current, previous)
        .unwrap_or_else(|| format::signed(current - previous, 0, ""));
    Some(Delta {
        text,
        tone: Tone::of_change(current - previous, up_is_good),
        against: format!("vs {}", against.label()),
    })
}

/// The state of a panel that needs `meta.json` and one document.
fn panel_state<T>(app: AppState, doc: Option<Option<Loaded<T>>>) -> PanelState {
    match app.docs.meta.get() {
        None => PanelState::Loading,
        Some(Err(e)) => PanelState::Failed(e),
        Some(Ok(meta)) if meta.report_months.is_empty() => {
            PanelState::Empty("This dataset has no monthly reports.".into())
        }
        Some(Ok(_)) => match doc {
            None | Some(None) => PanelState::Loading,
            Some(Some(Err(e))) => PanelState::Failed(e),
            Some(Some(Ok(_))) => PanelState::Ready,
        },
    }
}

/// For a dataset without monthly reports, where its data is instead (the
/// Overview is the view a bare address opens).
fn no_reports_note(meta: &Meta) -> Option<String> {
    if !meta.report_months.is_empty() {
        return None;
    }
    let mut views = Vec::new();
    if !meta.delivery_days.is_empty() {
        views.push("Delivery");
    }
    if !meta.post_days.is_empty() {
        views.push("Queue");
    }
    if !meta.plans.is_empty() {
        views.push("Revenue");
    }
    let views = match views.as_slice() {
        [] => return Some("This dataset has no monthly reports.".into()),
        [one] => format!("the {one} view"),
        [rest @ .., last] => format!("the {} and {last} views", rest.join(", ")),
    };
    Some(format!(
        "This dataset has no monthly reports (service traffic and bugs); its data is in {views}."
    ))
}

fn ok<T>(doc: Option<Option<Loaded<T>>>) -> Option<Rc<T>> {
    doc.flatten().and_then(Result::ok)
}

/// The report the view loads first for `route` (requested before the app
/// mounts, see `app::early`).
pub fn first_document(route: &Route, meta: Option<&Meta>) -> Option<String> {
    shown_or_latest(route.month, &meta?.report_months).map(report_doc)
}

/// The address as the Overview can show it, given `meta.json`: a month
/// without a report is dropped.
pub fn correct(route: &Route, meta: &Meta) -> Corrected {
    let c = Corrected::of(route);
    match route.month.filter(|m| !meta.report_months.contains(m)) {
        Some(m) => c.drop(
            format!("There is no report for {m}; showing the latest month instead."),
            |r| r.month = None,
        ),
        None => c,
    }
}

/// The Overview view.
#[component]
pub fn Overview() -> impl IntoView {
    let app = expect_context::<AppState>();
    let config = app.docs.config;

    // The month shown; a month the dataset lacks is reported and dropped.
    correct_address(app, move |route| Some(correct(route, &*app.docs.meta()?)));
    let month = Memo::new(move |_| {
        let meta = app.docs.meta()?;
        shown_or_latest(app.route.with(|r| r.month), &meta.report_months)
    });
    let previous = Memo::new(move |_| {
        let meta = app.docs.meta()?;
        let prev = month.get()?.prev();
        meta.report_months.contains(&prev).then_some(prev)
    });
    let parse = |body: &str, m: &Month| Report::parse(body, *m);
    let report = doc_resource(config, move || month.get(), |m| report_doc(*m), parse);
    let prev_report = doc_resource(config, move || previous.get(), |m| report_doc(*m), parse);

    let state = Signal::derive(move || panel_state(app, report.get()));
    let retry = Callback::new(move |_| {
        if matches!(app.docs.meta.get_untracked(), Some(Err(_))) {
            app.docs.retry();
        }
        report.refetch();
        prev_report.refetch();
    });
    // The previous month is optional: if it fails, figures show without change.
    let prev_failure = move || match prev_report.get() {
        Some(Some(Err(e))) => Some(e),
        _ => None,
    };
    let cur = move || ok(report.get());
    let prev = move || ok(prev_report.get());

    let services_table =
        Signal::derive(move || cur().map(|r| services_table(&r, prev().as_deref())));
    let bugs_table = Signal::derive(move || cur().map(|r| bugs_table(&r, prev().as_deref())));
    // A month without platform figures has no numbers to show or export.
    let platform_table = Signal::derive(move || {
        cur()
            .filter(|r| r.platform.is_some())
            .map(|r| platform_table(&r, prev().as_deref()))
    });

    let month_picker = move || {
        let meta = app.docs.meta()?;
        let selected = month.get()?;
        Some(view! {
            <label class="picker">
                <span>"Month"</span>
                <select
                    data-picker="month"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some(m) = Month::parse(&value) {
                            app.navigate(|r| r.month = Some(m));
                        }
                    }
                >
                    {meta
                        .report_months
                        .iter()
                        .rev()
                        .map(|m| {
                            let m = *m;
                            view! {
                                <option value=m.to_string() selected=m == selected>
                                    {m.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <span class="muted">
                {move || match previous.get() {
                    Some(p) => format!("compared with {}", p.label()),
                    None => "no earlier month to compare with".into(),
                }}
            </span>
        })
    };

    view! {
        <div class="view-head">
            <h1>"Monthly report"</h1>
            <div class="toolbar">{month_picker}</div>
        </div>
        {move || no_reports_note(&*app.docs.meta()?).map(|text| view! {
            <p class="muted" data-note="no-reports">{text}</p>
        })}
        {move || prev_failure().map(|e: LoadError| view! {
            <p class="inline-warning" data-failed=e.doc().to_owned()>
                "The month before could not be loaded, so changes are not shown: " {e.to_string()}
            </p>
        })}
        <div class="grid">
            <Panel
                id="overview-services"
                title="Traffic by service"
                state=state
                on_retry=retry
                table=services_table
                class="wide"
            >
                {move || cur().map(|r| view! { <Services report=r prev=prev() /> })}
            </Panel>
            <Panel id="overview-bugs" title="Bugs by severity" state=state on_retry=retry table=bugs_table>
                {move || cur().map(|r| view! { <BugsTable report=r prev=prev() /> })}
            </Panel>
            <Panel id="overview-platform" title="Platform" state=state on_retry=retry table=platform_table>
                {move || cur().map(|r| view! { <PlatformFigures report=r prev=prev() /> })}
            </Panel>
            <AfterPaint when=Signal::derive(move || cur().is_some()) placeholder="events-placeholder">
                <EventsPanel month=month />
            </AfterPaint>
        </div>
    }
}

#[component]
fn Services(report: Rc<Report>, prev: Option<Rc<Report>>) -> impl IntoView {
    let prev_month = prev.as_ref().map(|p| p.month);
    report
        .services
        .iter()
        .map(|s| {
            let before = prev
                .as_ref()
                .and_then(|p| p.services.iter().find(|o| o.name == s.name));
            let req_delta = prev_month.and_then(|m| {
                delta(s.requests as f64, before.map(|b| b.requests as f64), None, m)
            });
            let ms_delta = prev_month.and_then(|m| {
                delta(s.avg_response_ms, before.map(|b| b.avg_response_ms), Some(false), m)
            });
            let name = s.name.clone();
            view! {
                <article class="card service">
                    <h3 class="card-title" title=name.clone()>{name.clone()}</h3>
                    <div class="kpis">
                        {match req_delta {
                            Some(d) => view! {
                                <Kpi name=format!("requests:{name}") raw=s.requests.to_string() label="Requests" text=format::compact_count(s.requests) delta=d />
                            }.into_any(),
                            None => view! {
                                <Kpi name=format!("requests:{name}") raw=s.requests.to_string() label="Requests" text=format::compact_count(s.requests) />
                            }.into_any(),
                        }}
                        {match ms_delta {
                            Some(d) => view! {
                                <Kpi name=format!("avg_response_ms:{name}") raw=format::raw(s.avg_response_ms) label="Avg response" text=format::millis(s.avg_response_ms) delta=d />
                            }.into_any(),
                            None => view! {
                                <Kpi name=format!("avg_response_ms:{name}") raw=format::raw(s.avg_response_ms) label="Avg response" text=format::millis(s.avg_response_ms) />
                            }.into_any(),
                        }}
                    </div>
                </article>
            }
        })
        .collect_view()
}

fn find_bugs<'a>(report: Option<&'a Report>, severity: &str) -> Option<&'a Bugs> {
    report?.bugs.iter().find(|b| b.severity == severity)
}

#[component]
fn BugsTable(report: Rc<Report>, prev: Option<Rc<Report>>) -> impl IntoView {
    let against = prev.as_ref().map(|p| p.month.label());
    let rows = report
        .bugs
        .iter()
        .map(|b| {
            let before = find_bugs(prev.as_deref(), &b.severity);
            let sev = b.severity.clone();
            let share = b.closed_share();
            let change = |now: u64, then: Option<u64>, up_is_good: bool| {
                then.map(|t| {
                    let d = now as f64 - t as f64;
                    let tone = Tone::of_change(d, Some(up_is_good));
                    let class = match tone {
                        Tone::Good => "delta good",
                        Tone::Bad => "delta bad",
                        Tone::Neutral => "delta",
                    };
                    view! { <span class=class>{format::signed(d, 0, "")}</span> }
                })
            };
            view! {
                <tr>
                    <th scope="row" title=sev.clone()>{sev.clone()}</th>
                    <td class="num" data-kpi=format!("bugs_opened:{sev}") data-value=b.opened.to_string()>
                        {b.opened.to_string()} " " {change(b.opened, before.map(|x| x.opened), false)}
                    </td>
                    <td class="num" data-kpi=format!("bugs_closed:{sev}") data-value=b.closed.to_string()>
                        {b.closed.to_string()} " " {change(b.closed, before.map(|x| x.closed), true)}
                    </td>
                    <td class="num" data-kpi=format!("bugs_closed_share:{sev}") data-value=format::raw_fraction(share)>
                        {share.map_or_else(|| "n/a".to_string(), format::percent)}
                        <span class="share-bar" aria-hidden="true">
                            <span style:width=format!("{}%", format::fixed(share.unwrap_or(0.0).min(1.0) * 100.0, 1))></span>
                        </span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table bugs">
                <caption class="visually-hidden">"Bugs opened and closed by severity"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Severity"</th>
                        <th scope="col" class="num">"Opened"</th>
                        <th scope="col" class="num">"Closed"</th>
                        <th scope="col" class="num">"Closed share"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {against.map(|a| view! { <p class="muted small">"Changes against " {a} "."</p> })}
        </div>
    }
}

/// Platform figures: (hook name, label, value).
fn platform_figures(report: &Report) -> Vec<(&'static str, &'static str, Option<u64>)> {
    let p = report.platform.clone().unwrap_or_default();
    vec![
        ("containers", "Containers", p.containers),
        (
            "service_requests_per_week",
            "Service requests a week",
            p.service_requests_per_week,
        ),
        (
            "log_records_per_hour",
            "Log records an hour",
            p.log_records_per_hour,
        ),
    ]
}

#[component]
fn PlatformFigures(report: Rc<Report>, prev: Option<Rc<Report>>) -> impl IntoView {
    if report.platform.is_none() {
        return view! { <p class="empty">"This month's report has no platform figures."</p> }
            .into_any();
    }
    let before = prev.as_ref().map(|p| (p.month, platform_figures(p)));
    let figures = platform_figures(&report)
        .into_iter()
        .filter_map(|(name, label, value)| {
            let value = value?;
            let d = before.as_ref().and_then(|(m, figs)| {
                let old = figs.iter().find(|f| f.0 == name).and_then(|f| f.2);
                delta(value as f64, old.map(|o| o as f64), None, *m)
            });
            let text = if value >= 10_000 {
                format::compact_count(value)
            } else {
                value.to_string()
            };
            Some(match d {
                Some(d) => {
                    view! { <Kpi name=name raw=value.to_string() label=label text=text delta=d /> }
                        .into_any()
                }
                None => view! { <Kpi name=name raw=value.to_string() label=label text=text /> }
                    .into_any(),
            })
        })
        .collect_view();
    view! { <div class="kpis platform">{figures}</div> }.into_any()
}

fn services_table(report: &Report, prev: Option<&Report>) -> Table {
    let mut t = Table::new(
        format!("Traffic by service, {}", report.month.label()),
        &[
            "service",
            "requests",
            "avg_response_ms",
            "requests_prev",
            "avg_response_ms_prev",
        ],
    );
    for s in &report.services {
        let before = prev.and_then(|p| p.services.iter().find(|o| o.name == s.name));
        t.push(vec![
            s.name.clone(),
            s.requests.to_string(),
            format::raw(s.avg_response_ms),
            before.map(|b| b.requests.to_string()).unwrap_or_default(),
            before
                .map(|b| format::raw(b.avg_response_ms))
                .unwrap_or_default(),
        ]);
    }
    t
}

fn bugs_table(report: &Report, prev: Option<&Report>) -> Table {
    let mut t = Table::new(
        format!("Bugs by severity, {}", report.month.label()),
        &[
            "severity",
            "opened",
            "closed",
            "closed_share",
            "opened_prev",
            "closed_prev",
        ],
    );
    for b in &report.bugs {
        let before = find_bugs(prev, &b.severity);
        t.push(vec![
            b.severity.clone(),
            b.opened.to_string(),
            b.closed.to_string(),
            format::raw_fraction(b.closed_share()),
            before.map(|x| x.opened.to_string()).unwrap_or_default(),
            before.map(|x| x.closed.to_string()).unwrap_or_default(),
        ]);
    }
    t
}

fn platform_table(report: &Report, prev: Option<&Report>) -> Table {
    let mut t = Table::new(
        format!("Platform, {}", report.month.label()),
        &["figure", "value", "previous"],
    );
    let before = prev.map(platform_figures);
    for (name, _, value) in platform_figures(report) {
        let old = before
            .as_ref()
            .and_then(|f| f.iter().find(|x| x.0 == name))
            .and_then(|x| x.2);
        t.push(vec![
            name.to_owned(),
            value.map(|v| v.to_string()).unwrap_or_default(),
            old.map(|v| v.to_string()).unwrap_or_default(),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(months: &str, days: &str, post_days: &str, plans: &str) -> Meta {
        Meta::parse(&format!(
            r#"{{"name":"x","generated_at":"2026-12-01T00:00:00Z","currency":"EUR",
                "report_months":[{months}],"delivery_days":[{days}],"post_days":[{post_days}],
                "networks":["twitter"],"plans":[{plans}]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn a_dataset_without_reports_says_where_its_data_is() {
        let day = r#""2026-11-30""#;
        let plan = r#"{"id":"team","name":"Team"}"#;
        assert_eq!(no_reports_note(&meta(r#""2026-11""#, day, day, plan)), None);
        assert_eq!(
            no_reports_note(&meta("", day, day, plan)).as_deref(),
            Some("This dataset has no monthly reports (service traffic and bugs); its data is in the Delivery, Queue and Revenue views.")
        );
        assert_eq!(
            no_reports_note(&meta("", day, "", "")).as_deref(),
            Some("This dataset has no monthly reports (service traffic and bugs); its data is in the Delivery view.")
        );
        assert_eq!(
            no_reports_note(&meta("", "", "", plan)).as_deref(),
            Some("This dataset has no monthly reports (service traffic and bugs); its data is in the Revenue view.")
        );
        assert_eq!(
            no_reports_note(&meta("", "", "", "")).as_deref(),
            Some("This dataset has no monthly reports.")
        );
    }
}
