//! `revenue-mrr`: month-end MRR by month, continued by the 12-month
//! forecast with its 95 % and 80 % prediction bands as shaded areas, and the
//! target as a dashed rule when the address sets one.
//!
//! The forecast line and both bands start at the latest actual month (where
//! they equal the actual MRR), so the forecast visibly fans out of the
//! line. The table view lists every actual month and every forecast month
//! with the mean and both bounds, in cents.

use super::legend::{Entry, Legend, Mark};
use super::state::{currency_prefix, month_at_x, month_x, units, RevenueState, HORIZON};
use crate::api::Month;
use crate::chart::{Axis, ChartCanvas, ChartMarks, ChartSpec, ColorRole, Layer, Pick, ValueFormat};
use crate::format;
use crate::model::forecast::Forecast;
use crate::model::target::TargetEta;
use crate::rest::AfterPaint;
use crate::ui::{Panel, Table};
use leptos::prelude::*;

/// The forecast months after `last`.
fn forecast_months(last: Month, steps: usize) -> Vec<Month> {
    std::iter::successors(Some(last.next()), |m| Some(m.next()))
        .take(steps)
        .collect()
}

/// The MRR chart: actual MRR (`months[i]`, `mrr_cents[i]`), the forecast
/// after the last month, and the target (cents) as a rule.
pub fn mrr_spec(
    months: &[Month],
    mrr_cents: &[i64],
    forecast: &Forecast,
    target_cents: Option<i64>,
    currency: &str,
) -> ChartSpec {
    let prefix = currency_prefix(currency);
    let mut spec = ChartSpec::new(
        "Monthly recurring revenue with a 12-month forecast",
        Axis::months(),
        Axis::linear().format(ValueFormat::Currency(prefix.clone())),
    );
    let xs: Vec<f64> = months.iter().map(|m| month_x(*m)).collect();
    let ys: Vec<f64> = mrr_cents.iter().map(|c| units(*c)).collect();
    let last = months.last().copied().zip(mrr_cents.last().copied());
    if let (Some((last_month, last_mrr)), false) = (last, forecast.is_empty()) {
        let steps = forecast_months(last_month, forecast.len());
        let fx: Vec<f64> = std::iter::once(last_month)
            .chain(steps)
            .map(month_x)
            .collect();
        let with_start = |v: &[f64]| -> Vec<f64> {
            std::iter::once(units(last_mrr))
                .chain(v.iter().map(|c| c / 100.0))
                .collect()
        };
        spec = spec
            .layer(Layer::band(
                "95 % interval",
                ColorRole::Band95,
                fx.clone(),
                with_start(&forecast.lo95),
                with_start(&forecast.hi95),
            ))
            .layer(Layer::band(
                "80 % interval",
                ColorRole::Band80,
                fx.clone(),
                with_start(&forecast.lo80),
                with_start(&forecast.hi80),
            ))
            .layer(Layer::Line {
                name: "Forecast".into(),
                role: ColorRole::Line1,
                x: fx,
                y: with_start(&forecast.mean),
                width: 1.5,
            })
            .layer(Layer::vrule(
                month_x(last_month),
                ColorRole::Axis,
                Some("Forecast"),
            ));
    }
    spec = spec.layer(Layer::Line {
        name: "MRR".into(),
        role: ColorRole::Line1,
        x: xs,
        y: ys,
        width: 2.5,
    });
    if let Some(t) = target_cents {
        let label = format!("Target {}", format::money(t, currency));
        spec = spec.layer(Layer::hrule(units(t), ColorRole::Target, Some(&label)));
    }
    spec
}

/// The MRR chart's summary before there are figures.
const NO_MONTHS: &str = "Monthly recurring revenue: no months yet.";

/// The MRR chart in one sentence, for its accessible description: "Monthly
/// recurring revenue, Jan 2016 to Jun 2016: $1,530 in Jun 2016, forecast
/// $2,100 in Jun 2017 (80 %: $1,800 – $2,400)." (`forecast` in cents).
pub fn mrr_summary(
    months: &[Month],
    mrr_cents: &[i64],
    forecast: &Forecast,
    currency: &str,
) -> String {
    let what = "Monthly recurring revenue";
    let (Some(first), Some((last, now))) = (
        months.first(),
        months.last().copied().zip(mrr_cents.last().copied()),
    ) else {
        return NO_MONTHS.to_string();
    };
    let money = |cents: f64| format::money(cents.round() as i64, currency);
    let ahead = forecast.len().checked_sub(1).and_then(|i| {
        let end = forecast_months(last, forecast.len()).last().copied()?;
        Some(format!(
            ", forecast {} in {} (80 %: {} – {})",
            money(*forecast.mean.get(i)?),
            end.label(),
            money(*forecast.lo80.get(i)?),
            money(*forecast.hi80.get(i)?)
        ))
    });
    format!(
        "{what}, {} to {}: {} in {}{}.",
        first.label(),
        last.label(),
        format::money(now, currency),
        last.label(),
        ahead.unwrap_or_default()
    )
}

/// The numbers of the MRR chart, in cents.
pub fn mrr_table(months: &[Month], mrr_cents: &[i64], forecast: &Forecast, title: &str) -> Table {
    let mut t = Table::new(
        format!("{title}: actual MRR and the forecast mean and 80 %/95 % bounds, in cents"),
        &[
            "month",
            "kind",
            "mrr_cents",
            "forecast_mean_cents",
            "forecast_lo80_cents",
            "forecast_hi80_cents",
            "forecast_lo95_cents",
            "forecast_hi95_cents",
        ],
    );
    for (m, c) in months.iter().zip(mrr_cents) {
        let mut row = vec![m.to_string(), "actual".into(), c.to_string()];
        row.extend(std::iter::repeat_n(String::new(), 5));
        t.push(row);
    }
    if let Some(last) = months.last() {
        let cell = |v: &[f64], i: usize| {
            v.get(i)
                .map(|x| format::fixed(x.round(), 0))
                .unwrap_or_default()
        };
        for (i, m) in forecast_months(*last, forecast.len())
            .into_iter()
            .enumerate()
        {
            t.push(vec![
                m.to_string(),
                "forecast".into(),
                String::new(),
                cell(&forecast.mean, i),
                cell(&forecast.lo80, i),
                cell(&forecast.hi80, i),
                cell(&forecast.lo95, i),
                cell(&forecast.hi95, i),
            ]);
        }
    }
    t
}

/// "Most likely May 2017 (80 %: Mar 2017 – Sep 2017)" and the like.
pub fn eta_sentence(eta: &TargetEta, target: &str) -> String {
    let horizon = format!("the {HORIZON}-month forecast");
    match eta {
        TargetEta::Reached { first } => {
            format!("MRR has been at or above {target} since {}.", first.label())
        }
        TargetEta::Ahead {
            likely: Some(l),
            early,
            late,
        } => {
            let from = early.unwrap_or(*l).label();
            let to = late.map_or_else(|| format!("beyond {horizon}"), |m| m.label());
            format!(
                "{target} is most likely reached in {}; with 80 % confidence between {from} and {to}.",
                l.label()
            )
        }
        TargetEta::Ahead {
            likely: None,
            early: Some(e),
            ..
        } => format!(
            "{target} is not likely within {horizon}; with luck (upper 80 % bound) from {}.",
            e.label()
        ),
        TargetEta::Ahead { .. } => format!("{target} is not reached within {horizon}."),
    }
}

/// The `revenue-mrr` panel.
#[component]
pub fn MrrPanel(
    /// The view's state.
    st: RevenueState,
) -> impl IntoView {
    let title = Signal::derive(move || format!("MRR and forecast{}", st.plan_suffix()));
    // The markers' lines, once they are built: the forecast rule's label
    // keeps clear of them.
    let marked = RwSignal::new(Vec::new());
    let spec = Memo::new(move |_| {
        let data = st.data()?;
        let target = st.target.get();
        let clear = marked.get();
        st.selection.with(|s| {
            let s = s.as_ref()?;
            let spec = mrr_spec(
                &data.model.months,
                &s.mrr(),
                &s.forecast,
                target,
                &data.currency,
            );
            Some(spec.keep_clear_of(clear))
        })
    });
    let table = Signal::derive(move || {
        let data = st.data()?;
        let title = title.get();
        st.selection.with(|s| {
            let s = s.as_ref()?;
            Some(mrr_table(&data.model.months, &s.mrr(), &s.forecast, &title))
        })
    });
    let has_data = Signal::derive(move || spec.with(Option::is_some));
    let described = Signal::derive(move || {
        let data = st.data();
        st.selection.with(|s| match (data, s) {
            (Some(data), Some(s)) => {
                mrr_summary(&data.model.months, &s.mrr(), &s.forecast, &data.currency)
            }
            _ => NO_MONTHS.to_string(),
        })
    });
    let on_select = Callback::new(move |pick: Pick| {
        let Some(m) = month_at_x(pick.x) else { return };
        let known = st.data().is_some_and(|d| d.model.month_index(m).is_some());
        if known {
            st.select_month(m);
        }
    });
    let summary = move || {
        let data = st.data()?;
        let currency = data.currency.clone();
        let last = data.latest()?;
        let end = forecast_months(last, HORIZON).last().copied()?;
        let text = st.selection.with(|s| {
            let s = s.as_ref()?;
            let i = s.forecast.len().checked_sub(1)?;
            let money = |v: &[f64]| v.get(i).map(|x| format::money(x.round() as i64, &currency));
            Some(format!(
                "Forecast for {}: {} (80 %: {} – {}).",
                end.label(),
                money(&s.forecast.mean)?,
                money(&s.forecast.lo80)?,
                money(&s.forecast.hi80)?,
            ))
        })?;
        let eta = st.eta.get().zip(st.target.get()).map(|(eta, t)| {
            let sentence = eta_sentence(&eta, &format::money(t, &currency));
            view! { <p class="rev-eta" data-eta="">{sentence}</p> }
        });
        Some(view! {
            <div class="rev-summary">
                <p class="muted">{text}</p>
                {eta}
            </div>
        })
    };
    let legend = Signal::derive(move || {
        let mut e = vec![
            Entry::new("MRR", "line-1", Mark::Line),
            Entry::new("Forecast (mean)", "line-1", Mark::Line),
            Entry::new("80 % interval", "band-80", Mark::Box),
            Entry::new("95 % interval", "band-95", Mark::Box),
        ];
        if st.target.get().is_some() {
            e.push(Entry::new("Target", "target", Mark::Dash));
        }
        e
    });
    // The chart's keys, touches and description come with the marks,
    // after the first paint (their code is in the page's second part).
    let later = RwSignal::new(false);
    view! {
        <Panel
            id="revenue-mrr"
            title=title
            state=st.panel
            on_retry=Callback::new(move |_| st.retry())
            table=table
            chart=true
            class="wide"
        >
            {summary}
            <ChartCanvas
                spec=Memo::new(move |_| spec.get().unwrap_or_default())
                name="revenue-mrr"
                on_select=on_select
                summary=described
                later=later />
            // The legend comes with them: the chart and the headline figure
            // are what the view paints first.
            <AfterPaint when=has_data placeholder="rev-legend-placeholder">
                {later.set(true)}
                <ChartMarks marks=st.marks(true) lines_to=marked />
                <Legend entries=legend />
            </AfterPaint>
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::forecast::forecast;

    fn months(n: usize) -> Vec<Month> {
        let first = Month::parse("2016-01").unwrap();
        std::iter::successors(Some(first), |m| Some(m.next()))
            .take(n)
            .collect()
    }

    #[test]
    fn the_forecast_fans_out_of_the_last_actual_month() {
        let ms = months(6);
        let mrr: Vec<i64> = (0..6)
            .map(|i| 100_000 + i * 10_000 + (i % 2) * 3_000)
            .collect();
        let values: Vec<f64> = mrr.iter().map(|c| *c as f64).collect();
        let f = forecast(&values, 12);
        let spec = mrr_spec(&ms, &mrr, &f, Some(500_000), "USD");
        let bands: Vec<&Layer> = spec
            .layers
            .iter()
            .filter(|l| matches!(l, Layer::Band { .. }))
            .collect();
        assert_eq!(bands.len(), 2);
        let Layer::Band {
            x, lower, upper, ..
        } = bands[0]
        else {
            unreachable!()
        };
        assert_eq!(x.len(), 13);
        assert_eq!(x[0], month_x(ms[5]));
        assert_eq!((lower[0], upper[0]), (1_530.0, 1_530.0));
        assert!(upper[12] > upper[1]);
        assert!(spec
            .layers
            .iter()
            .any(|l| matches!(l, Layer::HRule { y, .. } if *y == 5_000.0)));
        let t = mrr_table(&ms, &mrr, &f, "MRR");
        assert_eq!(t.rows.len(), 18);
        assert_eq!(t.rows[5][2], "153000");
        assert_eq!(t.rows[6][0], "2016-07");
        assert_eq!(t.rows[6][1], "forecast");
        assert!(!t.rows[6][3].is_empty());
    }

    #[test]
    fn summary_names_the_latest_month_and_the_forecast() {
        let ms = months(6);
        let mrr: Vec<i64> = (0..6).map(|i| 100_000 + i * 10_000).collect();
        let f = Forecast {
            mean: vec![160_000.0, 210_040.0],
            lo80: vec![150_000.0, 180_000.0],
            hi80: vec![170_000.0, 240_000.0],
            ..forecast(&[1.0, 2.0, 3.0], 2)
        };
        assert_eq!(
            mrr_summary(&ms, &mrr, &f, "USD"),
            "Monthly recurring revenue, Jan 2016 to Jun 2016: $1,500 in Jun 2016, \
             forecast $2,100 in Aug 2016 (80 %: $1,800 – $2,400)."
        );
        assert_eq!(
            mrr_summary(&ms, &mrr, &forecast(&[], 12), "USD"),
            "Monthly recurring revenue, Jan 2016 to Jun 2016: $1,500 in Jun 2016."
        );
        assert_eq!(
            mrr_summary(&[], &[], &f, "USD"),
            "Monthly recurring revenue: no months yet."
        );
    }

    #[test]
    fn no_forecast_no_band() {
        let f = forecast(&[], 12);
        let spec = mrr_spec(&[], &[], &f, None, "EUR");
        assert_eq!(spec.layers.len(), 1);
        assert_eq!(spec.y.format, ValueFormat::Currency("€".into()));
    }

    #[test]
    fn eta_sentences() {
        let m = |s| Month::parse(s).unwrap();
        let t = "$1,000,000";
        let s = eta_sentence(
            &TargetEta::Ahead {
                likely: Some(m("2017-05")),
                early: Some(m("2017-03")),
                late: None,
            },
            t,
        );
        assert_eq!(
            s,
            "$1,000,000 is most likely reached in May 2017; with 80 % confidence between Mar 2017 and beyond the 12-month forecast."
        );
        let r = eta_sentence(
            &TargetEta::Reached {
                first: m("2016-03"),
            },
            t,
        );
        assert!(r.contains("since Mar 2016"));
        let none = eta_sentence(
            &TargetEta::Ahead {
                likely: None,
                early: None,
                late: None,
            },
            t,
        );
        assert!(none.contains("not reached"));
    }
}
