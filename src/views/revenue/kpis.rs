//! `revenue-kpis`: the headline numbers of the selected month: MRR, net
//! change, the five movements, paying customers, reported MRR and its gap,
//! and, with a target, when it is reached.
//!
//! Hooks (`data-kpi` → `data-value`, cents or counts, `n/a` when unknown):
//! `mrr_cents`, `net_change_cents`, `movement_{new, expansion,
//! contraction, churn, reactivation}_cents` (contraction and churn ≤ 0),
//! `customers_paying`, `reported_mrr_cents`, `reported_gap_cents`; with a
//! plan filter also `movement_entering_cents`, `movement_leaving_cents`;
//! with a target `target_month`, `target_month_early`, `target_month_late`
//! (`YYYY-MM` or `n/a`). MRR, movements and customers are the plan's when
//! the address names one; reported MRR is only known for all plans.

use super::movements::kinds;
use super::reconciliation::gap_share;
use super::state::{Data, RevenueState, Selection, HORIZON};
use crate::api::Month;
use crate::format;
use crate::model::revenue::MonthFigures;
use crate::model::target::TargetEta;
use crate::ui::{Delta, Kpi, Panel, Table, Tone};
use leptos::prelude::*;

/// A KPI with an optional change under it.
fn kpi(name: String, raw: String, label: String, text: String, delta: Option<Delta>) -> AnyView {
    match delta {
        Some(d) => view! { <Kpi name=name raw=raw label=label text=text delta=d /> }.into_any(),
        None => view! { <Kpi name=name raw=raw label=label text=text /> }.into_any(),
    }
}

/// The likely, early and late months of an answer (all the first month
/// when the target is already reached).
pub fn eta_months(eta: &TargetEta) -> [Option<Month>; 3] {
    match *eta {
        TargetEta::Reached { first } => [Some(first); 3],
        TargetEta::Ahead {
            likely,
            early,
            late,
        } => [likely, early, late],
    }
}

fn raw_month(m: Option<Month>) -> String {
    m.map_or_else(|| "n/a".to_owned(), |m| m.to_string())
}

/// Reported MRR and gap of `month`, if reported.
fn reported(data: &Data, month: Month) -> Option<(i64, i64)> {
    data.reconciliation()?
        .rows
        .iter()
        .find(|r| r.month == month)
        .map(|r| (r.reported, r.gap))
}

/// The KPI panel's numbers, for the table view and CSV.
fn kpi_table(
    data: &Data,
    sel: &Selection,
    month: Month,
    eta: Option<TargetEta>,
    title: &str,
) -> Table {
    let mut t = Table::new(format!("{title}, {}", month.label()), &["figure", "value"]);
    let f = data
        .model
        .month_index(month)
        .and_then(|i| sel.figures.get(i))
        .copied()
        .unwrap_or_default();
    t.push(vec!["mrr_cents".into(), f.mrr_cents.to_string()]);
    t.push(vec!["net_change_cents".into(), f.net_change().to_string()]);
    for k in kinds(sel.plan.is_some()) {
        t.push(vec![
            format!("movement_{}_cents", k.key),
            (k.amount)(&f).to_string(),
        ]);
    }
    t.push(vec![
        "customers_paying".into(),
        f.customers_paying.to_string(),
    ]);
    let rep = reported(data, month);
    t.push(vec![
        "reported_mrr_cents".into(),
        rep.map_or("n/a".into(), |r| r.0.to_string()),
    ]);
    t.push(vec![
        "reported_gap_cents".into(),
        rep.map_or("n/a".into(), |r| r.1.to_string()),
    ]);
    if let Some(eta) = eta {
        let [likely, early, late] = eta_months(&eta);
        t.push(vec!["target_month".into(), raw_month(likely)]);
        t.push(vec!["target_month_early".into(), raw_month(early)]);
        t.push(vec!["target_month_late".into(), raw_month(late)]);
    }
    t
}

/// The headline figure for people: the selected month's MRR (the plan's,
/// when one is shown), once computed.
pub fn headline_mrr(st: &RevenueState) -> Option<String> {
    let data = st.data()?;
    let index = data.model.month_index(st.month.get()?)?;
    st.selection.with(|sel| {
        let f = sel.as_ref()?.figures.get(index)?;
        Some(format::money(f.mrr_cents, &data.currency))
    })
}

/// The `revenue-kpis` panel.
#[component]
pub fn KpisPanel(
    /// The view's state.
    st: RevenueState,
) -> impl IntoView {
    let title = Signal::derive(move || match st.month.get() {
        Some(m) => format!("{}{}", m.label(), st.plan_suffix()),
        None => format!("Revenue{}", st.plan_suffix()),
    });
    let table = Signal::derive(move || {
        let data = st.data()?;
        let month = st.month.get()?;
        let eta = st.eta.get();
        let title = title.get();
        st.selection
            .with(|s| s.as_ref().map(|s| kpi_table(&data, s, month, eta, &title)))
    });
    let body = move || {
        let data = st.data()?;
        let month = st.month.get()?;
        let sel = st.selection.get()?;
        let plan = sel.plan.clone();
        let cur = data.currency.clone();
        let index = data.model.month_index(month)?;
        let f: MonthFigures = sel.figures.get(index).copied().unwrap_or_default();
        let prev: Option<MonthFigures> = index
            .checked_sub(1)
            .and_then(|i| sel.figures.get(i))
            .copied();
        let against = format!("vs {}", month.prev().label());
        let mrr_delta = prev.map(|p| Delta {
            text: format::change_percent(f.mrr_cents as f64, p.mrr_cents as f64)
                .unwrap_or_else(|| format::money_signed(f.net_change(), &cur)),
            tone: Tone::of_change(f.net_change() as f64, Some(true)),
            against: against.clone(),
        });
        let customers_delta = prev.map(|p| {
            let d = i64::from(f.customers_paying) - i64::from(p.customers_paying);
            Delta {
                text: format::signed(d as f64, 0, ""),
                tone: Tone::of_change(d as f64, Some(true)),
                against: against.clone(),
            }
        });
        let net = f.net_change();
        let moved: u32 = kinds(false).iter().map(|k| (k.count)(&f)).sum();
        let net_delta = Some(Delta {
            text: format!("{} moved", customers(moved)),
            tone: Tone::Neutral,
            against: String::new(),
        });
        let scope = if plan.is_some() { ", all plans" } else { "" };
        let rep = reported(&data, month);
        let gap_delta = rep.and_then(|(r, gap)| {
            let share = gap_share(r, r.saturating_sub(gap))?;
            Some(Delta {
                text: share,
                tone: if gap == 0 { Tone::Neutral } else { Tone::Bad },
                against: "against event MRR".into(),
            })
        });
        let money_raw = |v: Option<i64>| v.map_or_else(|| "n/a".to_owned(), |v| v.to_string());
        let money_text = |v: Option<i64>, signed: bool| match v {
            Some(v) if signed => format::money_signed(v, &cur),
            Some(v) => format::money(v, &cur),
            None => "n/a".to_owned(),
        };

        let headline = view! {
            <div class="rev-headline">
                <div class="rev-hero">
                    {kpi("mrr_cents".into(), f.mrr_cents.to_string(), "MRR".into(), format::money(f.mrr_cents, &cur), mrr_delta)}
                </div>
                {kpi("net_change_cents".into(), net.to_string(), "Net MRR change".into(), format::money_signed(net, &cur), net_delta)}
                {kpi("customers_paying".into(), f.customers_paying.to_string(), "Paying customers".into(), format::group_thousands(i64::from(f.customers_paying)), customers_delta)}
                {kpi("reported_mrr_cents".into(), money_raw(rep.map(|r| r.0)), format!("Reported MRR{scope}"), money_text(rep.map(|r| r.0), false), None)}
                {kpi("reported_gap_cents".into(), money_raw(rep.map(|r| r.1)), format!("Reported gap{scope}"), money_text(rep.map(|r| r.1), true), gap_delta)}
            </div>
        };
        let moves = kinds(plan.is_some())
            .into_iter()
            .map(|k| {
                let amount = (k.amount)(&f);
                let count = (k.count)(&f);
                let d = Delta {
                    text: customers(count),
                    tone: Tone::Neutral,
                    against: String::new(),
                };
                view! {
                    <div class="rev-move" data-role=k.css>
                        {kpi(format!("movement_{}_cents", k.key), amount.to_string(), k.name.to_owned(), format::money_signed(amount, &cur), Some(d))}
                    </div>
                }
            })
            .collect_view();
        let target = st.target.get().zip(st.eta.get()).map(|(t, eta)| {
            let [likely, early, late] = eta_months(&eta);
            let reached = matches!(eta, TargetEta::Reached { .. });
            let label_of = |m: Option<Month>| {
                m.map_or_else(|| format!("Not within {HORIZON} months"), |m| m.label())
            };
            let (l1, l2, l3) = if reached {
                ("Reached in", "Reached in", "Reached in")
            } else {
                ("Most likely", "Earliest (80 %)", "Latest (80 %)")
            };
            view! {
                <div class="rev-target">
                    <h3 class="rev-subhead">
                        "Time to " {format::money(t, &cur)} " MRR"
                    </h3>
                    <div class="kpis rev-target-kpis">
                        {kpi("target_month".into(), raw_month(likely), l1.into(), label_of(likely), None)}
                        {kpi("target_month_early".into(), raw_month(early), l2.into(), label_of(early), None)}
                        {kpi("target_month_late".into(), raw_month(late), l3.into(), label_of(late), None)}
                    </div>
                </div>
            }
        });
        Some(view! {
            {headline}
            <h3 class="rev-subhead">"What moved MRR in " {month.label()}</h3>
            <div class="rev-moves">{moves}</div>
            {target}
        })
    };
    view! {
        <Panel
            id="revenue-kpis"
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

/// `1 customer`, `1,204 customers`.
fn customers(count: u32) -> String {
    let people = if count == 1 { "customer" } else { "customers" };
    format!("{} {people}", format::group_thousands(i64::from(count)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_months_of_both_answers() {
        let m = |s| Month::parse(s).unwrap();
        assert_eq!(
            eta_months(&TargetEta::Reached {
                first: m("2016-03")
            }),
            [Some(m("2016-03")); 3]
        );
        let ahead = TargetEta::Ahead {
            likely: Some(m("2017-05")),
            early: Some(m("2017-03")),
            late: None,
        };
        let [l, e, la] = eta_months(&ahead);
        assert_eq!(raw_month(l), "2017-05");
        assert_eq!(raw_month(e), "2017-03");
        assert_eq!(raw_month(la), "n/a");
    }

    #[test]
    fn one_customer_is_one_customer() {
        assert_eq!(customers(0), "0 customers");
        assert_eq!(customers(1), "1 customer");
        assert_eq!(customers(1204), "1,204 customers");
    }
}
