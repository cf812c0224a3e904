//! `revenue-movements`: what moved MRR each month, as diverging stacked
//! bars (new, expansion, reactivation above zero; contraction and churn
//! below) with the net change as a line. Hovering shows the exact amounts;
//! clicking a month selects it (`month` in the address).
//!
//! With a plan filter the bars also show the MRR that customers brought
//! to the plan or took away from it by switching plans ("entering" and
//! "leaving"), so that the bars of a plan add up to its net change.
//!
//! [`KINDS`] and [`SWITCHES`] name each row once for the whole view: hook
//! names, labels, chart roles and legend colours.

use super::legend::{Entry, Legend, Mark};
use super::state::{currency_prefix, month_at_x, month_x, units, RevenueState};
use crate::api::Month;
use crate::chart::{
    Axis, ChartCanvas, ChartMarks, ChartSpec, ColorRole, Layer, Pick, Series, ValueFormat,
};
use crate::model::revenue::MonthFigures;
use crate::rest::AfterPaint;
use crate::ui::{Panel, Table};
use leptos::prelude::*;

/// One row of [`MonthFigures`], as the view shows it.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// Machine name: `new` (hooks `movement_new_cents`, CSV columns).
    pub key: &'static str,
    /// For people.
    pub name: &'static str,
    /// Its colour.
    pub role: ColorRole,
    /// The `--chart-*` variable suffix of `role`, for legends.
    pub css: &'static str,
    /// The movement's MRR in a month's figures.
    pub amount: fn(&MonthFigures) -> i64,
    /// The customers behind it.
    pub count: fn(&MonthFigures) -> u32,
}

/// The five movements of the contract, gains first.
pub const KINDS: [Kind; 5] = [
    Kind {
        key: "new",
        name: "New",
        role: ColorRole::Positive,
        css: "positive",
        amount: |f| f.new,
        count: |f| f.counts.new,
    },
    Kind {
        key: "expansion",
        name: "Expansion",
        role: ColorRole::Line4,
        css: "line-4",
        amount: |f| f.expansion,
        count: |f| f.counts.expansion,
    },
    Kind {
        key: "reactivation",
        name: "Reactivation",
        role: ColorRole::Line1,
        css: "line-1",
        amount: |f| f.reactivation,
        count: |f| f.counts.reactivation,
    },
    Kind {
        key: "contraction",
        name: "Contraction",
        role: ColorRole::Warn,
        css: "warn",
        amount: |f| f.contraction,
        count: |f| f.counts.contraction,
    },
    Kind {
        key: "churn",
        name: "Churn",
        role: ColorRole::Negative,
        css: "negative",
        amount: |f| f.churn,
        count: |f| f.counts.churn,
    },
];

/// MRR moved between plans by customers switching while paying.
pub const SWITCHES: [Kind; 2] = [
    Kind {
        key: "entering",
        name: "Entering plan",
        role: ColorRole::Line2,
        css: "line-2",
        amount: |f| f.entering,
        count: |f| f.counts.entering,
    },
    Kind {
        key: "leaving",
        name: "Leaving plan",
        role: ColorRole::Failed,
        css: "failed",
        amount: |f| f.leaving,
        count: |f| f.counts.leaving,
    },
];

/// The rows shown: the five movements, and the switches for one plan.
pub fn kinds(plan: bool) -> Vec<Kind> {
    let mut out = KINDS.to_vec();
    if plan {
        out.extend(SWITCHES);
    }
    out
}

/// The movements chart of `figures` (one per month of `months`).
pub fn movements_spec(
    months: &[Month],
    figures: &[MonthFigures],
    plan: bool,
    selected: Option<Month>,
    currency: &str,
) -> ChartSpec {
    let xs: Vec<f64> = months.iter().map(|m| month_x(*m)).collect();
    let series = kinds(plan)
        .into_iter()
        .map(|k| {
            let values = figures.iter().map(|f| units((k.amount)(f))).collect();
            Series::new(k.name, k.role, values)
        })
        .collect();
    let net: Vec<f64> = figures.iter().map(|f| units(f.net_change())).collect();
    let mut spec = ChartSpec::new(
        "MRR movements by month",
        Axis::months(),
        Axis::linear().format(ValueFormat::Currency(currency_prefix(currency))),
    );
    if let Some(m) = selected {
        spec = spec.layer(Layer::vrule(month_x(m), ColorRole::Axis, None));
    }
    spec.layer(Layer::stacked_bars(xs.clone(), series))
        .layer(Layer::Line {
            name: "Net change".into(),
            role: ColorRole::Compare,
            x: xs,
            y: net,
            width: 2.0,
        })
}

/// The numbers of the movements chart, in cents.
pub fn movements_table(months: &[Month], figures: &[MonthFigures], title: &str) -> Table {
    let mut columns = vec!["month".to_owned()];
    columns.extend(
        KINDS
            .iter()
            .chain(SWITCHES.iter())
            .map(|k| format!("{}_cents", k.key)),
    );
    columns.extend(["net_change_cents".to_owned(), "mrr_cents".to_owned()]);
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut t = Table::new(format!("{title}, in cents"), &refs);
    for (m, f) in months.iter().zip(figures) {
        let mut row = vec![m.to_string()];
        row.extend(
            KINDS
                .iter()
                .chain(SWITCHES.iter())
                .map(|k| (k.amount)(f).to_string()),
        );
        row.push(f.net_change().to_string());
        row.push(f.mrr_cents.to_string());
        t.push(row);
    }
    t
}

/// The `revenue-movements` panel.
#[component]
pub fn MovementsPanel(
    /// The view's state.
    st: RevenueState,
) -> impl IntoView {
    let title = Signal::derive(move || format!("MRR movements{}", st.plan_suffix()));
    let spec = Memo::new(move |_| {
        let data = st.data()?;
        let selected = st.month.get();
        let plan = st.plan.with(Option::is_some);
        st.selection.with(|s| {
            let s = s.as_ref()?;
            Some(movements_spec(
                &data.model.months,
                &s.figures,
                plan,
                selected,
                &data.currency,
            ))
        })
    });
    let table = Signal::derive(move || {
        let data = st.data()?;
        let title = title.get();
        st.selection.with(|s| {
            let s = s.as_ref()?;
            Some(movements_table(&data.model.months, &s.figures, &title))
        })
    });
    let has_data = Signal::derive(move || spec.with(Option::is_some));
    let on_select = Callback::new(move |pick: Pick| {
        let Some(m) = month_at_x(pick.x) else { return };
        if st.data().is_some_and(|d| d.model.month_index(m).is_some()) {
            st.select_month(m);
        }
    });
    let legend = Signal::derive(move || {
        let mut e: Vec<Entry> = kinds(st.plan.with(Option::is_some))
            .into_iter()
            .map(|k| Entry::new(k.name, k.css, Mark::Box))
            .collect();
        e.push(Entry::new("Net change", "compare", Mark::Line));
        e
    });
    view! {
        <Panel
            id="revenue-movements"
            later=true
            title=title
            state=st.panel
            on_retry=Callback::new(move |_| st.retry())
            table=table
            chart=true
            class="wide"
        >
            <p class="muted rev-hint">
                "Gains above zero, losses below. Click a month to see its figures"
                {move || st.month.get().map(|m| format!(" (showing {}).", m.label()))}
            </p>
            <ChartCanvas
                spec=Memo::new(move |_| spec.get().unwrap_or_default())
                name="revenue-movements"
                on_select=on_select />
            <AfterPaint when=has_data placeholder="chart-marks-placeholder">
                <ChartMarks marks=st.marks(true) />
            </AfterPaint>
            <Legend entries=legend />
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_diverge_and_the_table_adds_up() {
        let months = [
            Month::parse("2016-07").unwrap(),
            Month::parse("2016-08").unwrap(),
        ];
        let f = MonthFigures {
            mrr_cents: 10_000,
            new: 5_000,
            expansion: 2_000,
            contraction: -500,
            churn: -1_500,
            reactivation: 1_000,
            entering: 700,
            leaving: -200,
            ..MonthFigures::default()
        };
        let figures = [MonthFigures::default(), f];
        let spec = movements_spec(&months, &figures, false, Some(months[1]), "USD");
        let Some(Layer::StackedBars { series, .. }) = spec
            .layers
            .iter()
            .find(|l| matches!(l, Layer::StackedBars { .. }))
        else {
            panic!("no bars")
        };
        assert_eq!(series.len(), 5);
        assert_eq!(series[4].name, "Churn");
        assert_eq!(series[4].values[1], -15.0);
        assert!(spec
            .layers
            .iter()
            .any(|l| matches!(l, Layer::Line { y, .. } if y[1] == 65.0)));
        let with_plan = movements_spec(&months, &figures, true, None, "USD");
        assert!(with_plan
            .layers
            .iter()
            .any(|l| matches!(l, Layer::StackedBars { series, .. } if series.len() == 7)));
        let t = movements_table(&months, &figures, "MRR movements");
        assert_eq!(t.columns[1], "new_cents");
        assert_eq!(t.columns.len(), 10);
        assert_eq!(t.rows[1][8], "6500");
    }
}
