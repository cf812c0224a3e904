//! `revenue-plans`: the selected month by plan: MRR and its share, each
//! movement, the MRR entering and leaving each plan through plan switches,
//! the net change and the paying customers, with a total row.
//!
//! Each plan's row adds up: its movements plus entering and leaving equal
//! its net change. In the total row entering and leaving cancel out. A
//! plan's name selects it as the view's plan filter.

use super::movements::{KINDS, SWITCHES};
use super::state::{Data, RevenueState};
use crate::api::Month;
use crate::format;
use crate::model::revenue::MonthFigures;
use crate::ui::{Panel, Table};
use leptos::prelude::*;

/// One row: plan id (`None` for the total), name, figures.
pub type PlanRow = (Option<String>, String, MonthFigures);

/// The rows of `month`: each plan of `plans` (`(id, name)`), then the total.
pub fn plan_rows(data: &Data, plans: &[(String, String)], month: Month) -> Vec<PlanRow> {
    let at = |plan: Option<usize>| data.model.at(plan, month).copied().unwrap_or_default();
    let mut rows: Vec<PlanRow> = plans
        .iter()
        .map(|(id, name)| {
            let f = data
                .model
                .plan_index(id)
                .map(|i| at(Some(i)))
                .unwrap_or_default();
            (Some(id.clone()), name.clone(), f)
        })
        .collect();
    rows.push((None, "All plans".to_owned(), at(None)));
    rows
}

/// The table view and CSV, in cents.
pub fn plans_table(rows: &[PlanRow], month: Month) -> Table {
    let mut columns = vec!["plan".to_owned(), "name".to_owned(), "mrr_cents".to_owned()];
    columns.extend(
        KINDS
            .iter()
            .chain(SWITCHES.iter())
            .map(|k| format!("{}_cents", k.key)),
    );
    columns.extend(["net_change_cents".to_owned(), "customers_paying".to_owned()]);
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut t = Table::new(format!("MRR by plan, {}, in cents", month.label()), &refs);
    for (id, name, f) in rows {
        let mut row = vec![
            id.clone().unwrap_or_else(|| "all".into()),
            name.clone(),
            f.mrr_cents.to_string(),
        ];
        row.extend(
            KINDS
                .iter()
                .chain(SWITCHES.iter())
                .map(|k| (k.amount)(f).to_string()),
        );
        row.push(f.net_change().to_string());
        row.push(f.customers_paying.to_string());
        t.push(row);
    }
    t
}

/// A money cell: signed, muted when zero.
fn amount_cell(cents: i64, currency: &str) -> impl IntoView {
    let class = match cents {
        0 => "num zero",
        c if c > 0 => "num gain",
        _ => "num loss",
    };
    let text = if cents == 0 {
        "–".to_owned()
    } else {
        format::money_signed(cents, currency)
    };
    view! { <td class=class>{text}</td> }
}

/// The `revenue-plans` panel.
#[component]
pub fn PlansPanel(
    /// The view's state.
    st: RevenueState,
) -> impl IntoView {
    let title = Signal::derive(move || match st.month.get() {
        Some(m) => format!("MRR by plan, {}", m.label()),
        None => "MRR by plan".to_owned(),
    });
    let rows = Memo::new(move |_| {
        let data = st.data()?;
        let month = st.month.get()?;
        Some((
            plan_rows(&data, &st.plans(), month),
            month,
            data.currency.clone(),
        ))
    });
    let table = Signal::derive(move || {
        rows.with(|r| r.as_ref().map(|(rows, month, _)| plans_table(rows, *month)))
    });
    let body = move || {
        let (rows, _, cur) = rows.get()?;
        let selected = st.plan.get();
        let total = rows.last().map_or(0, |r| r.2.mrr_cents);
        let body_rows = rows
            .into_iter()
            .map(|(id, name, f)| {
                let is_total = id.is_none();
                let is_selected = id.is_some() && id == selected;
                let class = match (is_total, is_selected) {
                    (true, _) => "total",
                    (_, true) => "selected",
                    _ => "",
                };
                let share = if total > 0 {
                    f.mrr_cents as f64 / total as f64
                } else {
                    0.0
                };
                let share_cell = (!is_total).then(|| {
                    view! {
                        <span class="rev-share" aria-hidden="true">
                            <span style:width=format!("{}%", format::fixed(share.clamp(0.0, 1.0) * 100.0, 1))></span>
                        </span>
                        <span class="muted small">{format::percent(share)}</span>
                    }
                });
                let name_cell = match id.clone() {
                    Some(id) => {
                        let pick = id.clone();
                        let tip = crate::ui::text::tooltip_if_longer(&name, 24);
                        view! {
                            <th scope="row" title=id.clone()>
                                <button
                                    class="rev-plan-link"
                                    title=tip
                                    data-plan=id.clone()
                                    aria-pressed=is_selected.to_string()
                                    on:click=move |_| {
                                        let next = if st.plan.get_untracked().as_deref() == Some(pick.as_str()) {
                                            None
                                        } else {
                                            Some(pick.clone())
                                        };
                                        st.app.navigate(|r| r.plan = next);
                                    }
                                >
                                    {name}
                                </button>
                            </th>
                        }
                        .into_any()
                    }
                    None => view! { <th scope="row">{name}</th> }.into_any(),
                };
                let cur = cur.clone();
                view! {
                    <tr class=class>
                        {name_cell}
                        <td class="num strong">{format::money(f.mrr_cents, &cur)}</td>
                        <td class="share">{share_cell}</td>
                        {KINDS.iter().chain(SWITCHES.iter()).map(|k| amount_cell((k.amount)(&f), &cur)).collect_view()}
                        {amount_cell(f.net_change(), &cur)}
                        <td class="num">{format::group_thousands(i64::from(f.customers_paying))}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <div class="table-wrap rev-plans">
                <table class="data-table">
                    <caption class="visually-hidden">{move || title.get()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Plan"</th>
                            <th scope="col" class="num">"MRR"</th>
                            <th scope="col">"Share"</th>
                            {KINDS.iter().chain(SWITCHES.iter()).map(|k| view! {
                                <th scope="col" class="num">
                                    <span class="rev-swatch box" data-role=k.css aria-hidden="true"></span>
                                    {k.name.trim_end_matches(" plan")}
                                </th>
                            }).collect_view()}
                            <th scope="col" class="num">"Net change"</th>
                            <th scope="col" class="num">"Customers"</th>
                        </tr>
                    </thead>
                    <tbody>{body_rows}</tbody>
                </table>
            </div>
            <p class="muted small">
                "A customer switching plans while paying moves its MRR from one plan to the other (leaving, entering); a price change at the switch is expansion or contraction on the new plan. Choose a plan to filter the view."
            </p>
        })
    };
    view! {
        <Panel
            id="revenue-plans"
            later=true
            title=title
            state=st.panel
            on_retry=Callback::new(move |_| st.retry())
            table=table
            class="wide"
        >
            {body}
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::RevenueEvents;

    #[test]
    fn rows_per_plan_and_total() {
        let doc = RevenueEvents::parse(
            r#"{"currency":"USD","events":[
              {"customer":"a","at":"2015-01-04T12:00:00Z","kind":"subscribe","plan":"x","mrr_cents":1000},
              {"customer":"a","at":"2015-02-04T12:00:00Z","kind":"change","plan":"y","mrr_cents":3000}
            ]}"#,
        )
        .unwrap();
        let data = Data::compute(&doc).unwrap();
        let plans = vec![
            ("y".to_owned(), "Y".to_owned()),
            ("x".to_owned(), "X".to_owned()),
            ("z".to_owned(), "Z".to_owned()),
        ];
        let feb = Month::parse("2015-02").unwrap();
        let rows = plan_rows(&data, &plans, feb);
        assert_eq!(rows.len(), 4);
        assert_eq!((rows[0].2.entering, rows[0].2.expansion), (1000, 2000));
        assert_eq!(rows[1].2.leaving, -1000);
        assert_eq!(rows[2].2, MonthFigures::default());
        assert_eq!(rows[3].0, None);
        assert_eq!(rows[3].2.mrr_cents, 3000);
        let t = plans_table(&rows, feb);
        assert_eq!(t.rows[3][0], "all");
        assert_eq!(t.rows[0][2], "3000");
        assert_eq!(t.rows[0][t.columns.len() - 2], "3000");
    }
}
