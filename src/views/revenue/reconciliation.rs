//! `revenue-reconciliation`: the MRR another system reported against the
//! MRR the events imply, month by month, with the month the gap opened
//! called out ("Reported MRR has overstated event MRR by about $25,000
//! since Mar 2016").
//!
//! The comparison is for all plans (the reported figure has no plans).
//! A gap is material as [`Materiality::default`] says (1 % of event MRR
//! or 1,000 currency units); the month it opened is the start of the
//! trailing run of material gaps ([`Reconciliation::material_since`]).
//! The element carrying the sentence has `data-gap-since="YYYY-MM"`.

use super::legend::{Entry, Legend, Mark};
use super::state::{currency_prefix, month_x, units, RevenueState};
use crate::api::Month;
use crate::chart::{Axis, ChartCanvas, ChartMarks, ChartSpec, ColorRole, Layer, ValueFormat};
use crate::format;
use crate::model::reconcile::{GapRow, Materiality, Reconciliation};
use crate::rest::AfterPaint;
use crate::ui::{Panel, PanelState, Table};
use leptos::prelude::*;

/// `cents` rounded to two significant digits of currency units
/// (2,521,400 → 2,500,000), for "about" figures.
pub fn about(cents: i64) -> i64 {
    let u = (cents as f64 / 100.0).abs();
    if !u.is_finite() || u < 1.0 {
        return cents;
    }
    let step = 10f64.powf(u.log10().floor() - 1.0).max(1.0);
    let rounded = (u / step).round() * step;
    (rounded * 100.0).copysign(cents as f64) as i64
}

/// The gap as a share of event MRR, one decimal (`+6.1 %`); `None` when
/// event MRR is 0.
pub fn gap_share(reported: i64, computed: i64) -> Option<String> {
    if computed == 0 {
        return None;
    }
    let pct = (reported as f64 - computed as f64) / computed as f64 * 100.0;
    let sign = if pct < 0.0 { "−" } else { "+" };
    Some(format!("{sign}{} %", format::fixed(pct.abs(), 1)))
}

/// The sentence that calls out the gap, and the month it opened.
pub fn callout(rec: &Reconciliation, currency: &str) -> (String, Option<Month>) {
    let rule = Materiality::default();
    let Some(last) = rec.rows.last() else {
        return (
            "No reported month overlaps the months of the events.".into(),
            None,
        );
    };
    let Some(since) = rec.material_since else {
        let earlier = rec.rows.iter().any(|r| r.material);
        let text = if earlier {
            format!(
                "Reported MRR agrees with event MRR in {} (within 1 % or {}); earlier gaps have closed.",
                last.month.label(),
                format::money(rule.absolute_cents, currency)
            )
        } else {
            format!(
                "Reported MRR agrees with event MRR in every reported month (within 1 % or {}).",
                format::money(rule.absolute_cents, currency)
            )
        };
        return (text, None);
    };
    let run: Vec<&GapRow> = rec.rows.iter().filter(|r| r.month >= since).collect();
    let n = run.len().max(1) as f64;
    let mean = run.iter().map(|r| r.gap as f64).sum::<f64>() / n;
    let largest = run
        .iter()
        .map(|r| r.gap.saturating_abs())
        .max()
        .unwrap_or(0);
    let lead = if run.iter().all(|r| r.gap > 0) {
        format!(
            "Reported MRR has overstated event MRR by about {} since {}.",
            format::money(about(mean.round() as i64), currency),
            since.label()
        )
    } else if run.iter().all(|r| r.gap < 0) {
        format!(
            "Reported MRR has understated event MRR by about {} since {}.",
            format::money(about(-mean.round() as i64), currency),
            since.label()
        )
    } else {
        format!(
            "Reported MRR has differed from event MRR by up to {} since {}.",
            format::money(largest, currency),
            since.label()
        )
    };
    let share = gap_share(last.reported, last.computed)
        .map(|p| format!(" ({p} against event MRR)"))
        .unwrap_or_default();
    let text = format!(
        "{lead} In {} the gap is {}{share}.",
        last.month.label(),
        format::money_signed(last.gap, currency)
    );
    (text, Some(since))
}

/// The gap chart: one bar per reported month, material gaps in the alarm
/// colour, and a rule where the gap opened.
pub fn gap_spec(rec: &Reconciliation, currency: &str) -> ChartSpec {
    let split = |material: bool| -> (Vec<f64>, Vec<f64>) {
        rec.rows
            .iter()
            .filter(|r| r.material == material)
            .map(|r| (month_x(r.month), units(r.gap)))
            .unzip()
    };
    let (mx, my) = split(true);
    let (ox, oy) = split(false);
    let mut spec = ChartSpec::new(
        "Reported minus event MRR by month",
        Axis::months(),
        Axis::linear().format(ValueFormat::Currency(currency_prefix(currency))),
    )
    .layer(Layer::bars(
        "Gap (within tolerance)",
        ColorRole::Axis,
        ox,
        oy,
    ))
    .layer(Layer::bars("Gap", ColorRole::Late, mx, my));
    if let Some(since) = rec.material_since {
        spec = spec.layer(Layer::vrule(
            month_x(since),
            ColorRole::Text,
            Some("gap opened"),
        ));
    }
    spec
}

/// The table view and CSV, in cents.
pub fn reconciliation_table(rec: &Reconciliation) -> Table {
    let mut t = Table::new(
        "Reported and event MRR by month (all plans), in cents",
        &[
            "month",
            "reported_mrr_cents",
            "event_mrr_cents",
            "gap_cents",
            "material",
        ],
    );
    for r in &rec.rows {
        t.push(vec![
            r.month.to_string(),
            r.reported.to_string(),
            r.computed.to_string(),
            r.gap.to_string(),
            r.material.to_string(),
        ]);
    }
    t
}

/// The `revenue-reconciliation` panel.
#[component]
pub fn ReconciliationPanel(
    /// The view's state.
    st: RevenueState,
) -> impl IntoView {
    let rec = Memo::new(move |_| {
        let data = st.data()?;
        Some((data.reconciliation()?.clone(), data.currency.clone()))
    });
    let state = Signal::derive(move || match st.panel.get() {
        PanelState::Ready if rec.with(Option::is_none) => PanelState::Empty(
            "This dataset reports no MRR of its own, so there is nothing to reconcile.".into(),
        ),
        other => other,
    });
    let table =
        Signal::derive(move || rec.with(|r| r.as_ref().map(|(r, _)| reconciliation_table(r))));
    // The markers' lines, once they are built: the rule's label keeps
    // clear of them.
    let marked = RwSignal::new(Vec::new());
    let spec = Memo::new(move |_| {
        let clear = marked.get();
        rec.with(|r| r.as_ref().map(|(r, c)| gap_spec(r, c).keep_clear_of(clear)))
    });
    // The gap is about the whole of MRR: every annotation, whatever the plan.
    let has_data = Signal::derive(move || spec.with(Option::is_some));
    let legend = Signal::derive(move || {
        let rule = Materiality::default();
        let within = format!(
            "Within {} % or {}",
            rule.relative_bp as f64 / 100.0,
            format::money(rule.absolute_cents, &st.currency())
        );
        vec![
            Entry::new("Material gap", "late", Mark::Box),
            Entry::new(within, "axis", Mark::Box),
        ]
    });
    let selected = move || st.month.get();
    let body = move || {
        let (rec, cur) = rec.get()?;
        let (text, since) = callout(&rec, &cur);
        let class = if since.is_some() {
            "rev-callout alarm"
        } else {
            "rev-callout ok"
        };
        let rows = rec
            .rows
            .iter()
            .rev()
            .map(|r| {
                let opened = Some(r.month) == since;
                let class = match (r.material, Some(r.month) == selected()) {
                    (true, true) => "material selected",
                    (true, false) => "material",
                    (false, true) => "selected",
                    (false, false) => "",
                };
                let share = gap_share(r.reported, r.computed).unwrap_or_else(|| "n/a".into());
                view! {
                    <tr class=class data-month=r.month.to_string()>
                        <th scope="row">
                            {r.month.label()}
                            {opened.then(|| view! { <span class="rev-badge">"gap opened"</span> })}
                        </th>
                        <td class="num">{format::money(r.reported, &cur)}</td>
                        <td class="num">{format::money(r.computed, &cur)}</td>
                        <td class="num strong">{if r.gap == 0 { "–".to_owned() } else { format::money_signed(r.gap, &cur) }}</td>
                        <td class="num muted">{if r.gap == 0 { String::new() } else { share }}</td>
                    </tr>
                }
            })
            .collect_view();
        let skipped = (rec.skipped > 0).then(|| {
            view! {
                <p class="muted small">
                    {format!("{} reported months fall after the events and are not compared.", rec.skipped)}
                </p>
            }
        });
        Some(view! {
            <p class=class role="note" data-gap-since=since.map(|m| m.to_string()).unwrap_or_default()>
                {text}
            </p>
            <div class="rev-recon">
                <div class="rev-recon-chart">
                    <ChartCanvas
                        spec=Memo::new(move |_| spec.get().unwrap_or_default())
                        name="revenue-reconciliation" />
                    <AfterPaint when=has_data placeholder="chart-marks-placeholder">
                        <ChartMarks marks=st.marks(false) lines_to=marked />
                    </AfterPaint>
                    <Legend entries=legend />
                </div>
                // A scrolling region: reachable and named for the keyboard.
                <div
                    class="table-wrap rev-recon-table"
                    tabindex="0"
                    role="region"
                    aria-label="Reported and event MRR by month (table)"
                >
                    <table class="data-table">
                        <caption class="visually-hidden">"Reported and event MRR by month"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Month"</th>
                                <th scope="col" class="num">"Reported"</th>
                                <th scope="col" class="num">"From events"</th>
                                <th scope="col" class="num">"Gap"</th>
                                <th scope="col" class="num">"Gap %"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
            {skipped}
        })
    };
    view! {
        <Panel
            id="revenue-reconciliation"
            later=true
            title="Reconciliation: reported vs event MRR"
            state=state
            on_retry=Callback::new(move |_| st.retry())
            table=table
            chart=true
            class="wide"
        >
            {body}
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(m: &str, reported: i64, computed: i64) -> GapRow {
        let gap = reported - computed;
        GapRow {
            month: Month::parse(m).unwrap(),
            reported,
            computed,
            gap,
            material: Materiality::default().is_material(gap, computed),
        }
    }

    #[test]
    fn rounds_to_two_significant_digits() {
        assert_eq!(about(2_521_400), 2_500_000);
        assert_eq!(about(-2_581_000), -2_600_000);
        assert_eq!(about(95_049), 95_000);
        assert_eq!(about(50), 50);
        assert_eq!(gap_share(108, 100).as_deref(), Some("+8.0 %"));
        assert_eq!(gap_share(90, 100).as_deref(), Some("−10.0 %"));
        assert_eq!(gap_share(5, 0), None);
    }

    #[test]
    fn calls_out_the_month_the_gap_opened() {
        let rows = vec![
            row("2016-01", 10_000_000, 10_000_000),
            row("2016-02", 10_100_000, 10_100_000),
            row("2016-03", 12_800_000, 10_200_000),
            row("2016-04", 12_700_000, 10_300_000),
        ];
        let rec = Reconciliation {
            material_since: Some(Month::parse("2016-03").unwrap()),
            rows,
            skipped: 0,
        };
        let (text, since) = callout(&rec, "USD");
        assert_eq!(since, Month::parse("2016-03"));
        assert!(
            text.starts_with(
                "Reported MRR has overstated event MRR by about $25,000 since Mar 2016."
            ),
            "{text}"
        );
        assert!(text.contains("In Apr 2016 the gap is +$24,000"), "{text}");
        let spec = gap_spec(&rec, "USD");
        assert!(spec
            .layers
            .iter()
            .any(|l| matches!(l, Layer::VRule { label: Some(t), .. } if t == "gap opened")));
        let t = reconciliation_table(&rec);
        assert_eq!(
            t.rows[2],
            ["2016-03", "12800000", "10200000", "2600000", "true"]
        );
    }

    #[test]
    fn agreement_and_no_rows() {
        let rec = Reconciliation {
            rows: vec![row("2016-01", 100, 100)],
            material_since: None,
            skipped: 0,
        };
        assert!(callout(&rec, "USD").0.contains("agrees"));
        let empty = Reconciliation {
            rows: vec![],
            material_since: None,
            skipped: 0,
        };
        assert_eq!(callout(&empty, "USD").1, None);
    }
}
