//! The Revenue view's state: the events document, the model computed once
//! per document, the month, plan and target the address asks for, and the
//! forecast computed once per (model, plan).
//!
//! - [`RevenueState::data`] recomputes only when the document is
//!   (re)loaded; the memos below it compare by identity ([`Shared`]), so
//!   nothing downstream recomputes by comparing figures.
//! - [`RevenueState::selection`] depends on the model and the effective
//!   plan only: changing the month or the target never refits the
//!   forecast.
//! - Invalid `month` and `plan` values are reported once with
//!   [`AppState::notice`] and removed from the address; the view shows
//!   the default (latest month, all plans) meanwhile.

use crate::api::{DocError, EventsReader, LoadError, Month, RevenueEvents, EVENTS_DOC};
use crate::load::{doc_resource_async, read_in_steps, Loaded, Shared, Steps};
use crate::model::forecast::{forecast, Forecast};
use crate::model::reconcile::{reconcile, Materiality, Reconciliation};
use crate::model::revenue::{MonthFigures, RevenueModel};
use crate::model::target::{time_to_target, TargetEta};
use crate::route::Route;
use crate::state::AppState;
use crate::ui::PanelState;
use crate::views::{correct_address, loading_state, Corrected};
use leptos::prelude::*;
use std::sync::OnceLock;

/// How the events are read: whole up to 16 MB, in steps above, 250
/// events between two looks at the clock (well under a millisecond). The
/// split build profiles the demo's events (0.8 MB) only, so the reading in
/// steps stays for documents that large.
const EVENTS_STEPS: Steps = Steps {
    from_bytes: 16_000_000,
    per_step: 250,
};

/// Months forecast after the latest actual month.
pub const HORIZON: usize = 12;

/// What one events document gives: the model, its currency, and the
/// comparison with the reported MRR (when the document has one).
#[derive(Debug)]
pub struct Data {
    /// The MRR model of the events.
    pub model: RevenueModel,
    /// The currency of every amount.
    pub currency: String,
    /// The MRR the document reports, by month.
    reported: Option<Vec<(Month, i64)>>,
    /// The comparison with it, made when first asked for: only the panels
    /// built after the MRR chart show it.
    reconciliation: OnceLock<Option<Reconciliation>>,
}

impl Data {
    /// Computes everything derived from `doc` (the model fails only on
    /// absurd spans of time).
    pub fn compute(doc: &RevenueEvents) -> Result<Self, LoadError> {
        let model = RevenueModel::compute(doc, None)
            .map_err(|e| LoadError::Invalid(DocError::new(EVENTS_DOC, "events", e.to_string())))?;
        Ok(Self {
            model,
            currency: doc.currency.clone(),
            reported: doc.reported_mrr.clone(),
            reconciliation: OnceLock::new(),
        })
    }

    /// The comparison with the reported MRR, when the document has one.
    pub fn reconciliation(&self) -> Option<&Reconciliation> {
        self.reconciliation
            .get_or_init(|| {
                let reported = self.reported.as_ref()?;
                Some(reconcile(&self.model, reported, Materiality::default()))
            })
            .as_ref()
    }

    /// The latest month of the model.
    pub fn latest(&self) -> Option<Month> {
        self.model.months.last().copied()
    }
}

/// The figures of the plan shown (or of all plans) and their forecast.
#[derive(Debug)]
pub struct Selection {
    /// The plan id, `None` for all plans.
    pub plan: Option<String>,
    /// One entry per month of the model.
    pub figures: Vec<MonthFigures>,
    /// The MRR forecast (cents), [`HORIZON`] months after the latest.
    pub forecast: Forecast,
}

impl Selection {
    /// Month-end MRR of every month, in cents.
    pub fn mrr(&self) -> Vec<i64> {
        self.figures.iter().map(|f| f.mrr_cents).collect()
    }
}

/// The figures of `plan` (all plans for `None`); a plan the events never
/// name has no MRR in any month.
pub fn plan_figures(model: &RevenueModel, plan: Option<&str>) -> Vec<MonthFigures> {
    let index = plan.map(|id| model.plan_index(id));
    match index {
        None => model.total.clone(),
        Some(Some(i)) => model
            .figures(Some(i))
            .map(<[_]>::to_vec)
            .unwrap_or_default(),
        Some(None) => vec![MonthFigures::default(); model.months.len()],
    }
}

/// The x position of a month on a months axis (`year * 12 + month − 1`).
pub fn month_x(m: Month) -> f64 {
    f64::from(m.year()) * 12.0 + f64::from(m.number()) - 1.0
}

/// The month at x position `x` of a months axis, if it is one.
pub fn month_at_x(x: f64) -> Option<Month> {
    if !x.is_finite() || x.abs() > 1e9 {
        return None;
    }
    let i = x.round() as i64;
    let year = i32::try_from(i.div_euclid(12)).ok()?;
    let number = u32::try_from(i.rem_euclid(12) + 1).ok()?;
    Month::new(year, number)
}

/// The symbol charts put before amounts of `currency` (`$`), or the code
/// and a space.
pub fn currency_prefix(currency: &str) -> String {
    match currency {
        "USD" => "$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        "JPY" => "¥".into(),
        other => format!("{other} "),
    }
}

/// Cents as currency units, for charts.
pub fn units(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// The target of the address (whole currency units) in cents.
pub fn target_cents(units: u64) -> Option<i64> {
    i64::try_from(units).ok()?.checked_mul(100)
}

/// Everything the revenue panels share; `Copy`, so it moves into closures.
#[derive(Clone, Copy)]
pub struct RevenueState {
    /// The app's shared state.
    pub app: AppState,
    doc: LocalResource<Option<Loaded<RevenueEvents>>>,
    /// The model of the loaded document, or why there is none; `None`
    /// while loading.
    pub data: Memo<Option<Result<Shared<Data>, LoadError>>>,
    /// The month shown: the address's if the model has it, else the latest.
    pub month: Memo<Option<Month>>,
    /// The plan shown (`None`: all plans), when the address names a known one.
    pub plan: Memo<Option<String>>,
    /// The plan's figures and forecast.
    pub selection: Memo<Option<Shared<Selection>>>,
    /// The target of the address, in cents.
    pub target: Memo<Option<i64>>,
    /// When the target is reached, if one is set.
    pub eta: Memo<Option<TargetEta>>,
    /// The state of the panels that need the model.
    pub panel: Memo<PanelState>,
}

/// The address as the Revenue view can show it, given the model's
/// `months` and `plans` and the plans `meta.json` lists (`None` while it
/// loads, none when it failed): a month without figures is dropped, and so
/// is a plan neither the model nor `meta.json` names (a plan only
/// `meta.json` lists is valid).
pub fn correct(
    route: &Route,
    months: &[Month],
    plans: &[String],
    meta_plans: Option<&[String]>,
) -> Corrected {
    let c = Corrected::of(route);
    let c = match route.month.filter(|m| !months.contains(m)) {
        Some(m) => {
            let latest = months.last().map(|l| l.label()).unwrap_or_default();
            c.drop(
                format!(
                    "There are no revenue figures for {m}; showing the latest month ({latest}) instead."
                ),
                |r| r.month = None,
            )
        }
        None => c,
    };
    let unknown = route
        .plan
        .as_ref()
        .filter(|p| !plans.contains(p) && meta_plans.is_some_and(|listed| !listed.contains(p)));
    match unknown {
        Some(p) => c.drop(
            format!("There is no plan {p:?}; showing all plans instead."),
            |r| r.plan = None,
        ),
        None => c,
    }
}

/// The document the view loads first (requested before the app mounts,
/// see `app::early`): the events, whatever the address.
pub fn first_document() -> String {
    EVENTS_DOC.to_owned()
}

impl RevenueState {
    /// Sets up the state from the address and the documents.
    pub fn new(app: AppState) -> Self {
        // Keyed on the config having loaded (well or not), so the one
        // fetch starts once the API base is known instead of starting
        // early and running again when the config arrives.
        let config = app.docs.config;
        let reading = RwSignal::new(None);
        let doc = doc_resource_async(
            config,
            move || config.get().map(|_| ()),
            |_| EVENTS_DOC.to_owned(),
            move |body, _| async move {
                let read = read_in_steps(
                    body,
                    reading,
                    EVENTS_STEPS,
                    RevenueEvents::parse,
                    EventsReader::new,
                )
                .await;
                // The view's figures and chart are built in a task after
                // the read.
                crate::turn::next_turn().await;
                read
            },
        );
        let data = Memo::new(move |_| {
            let loaded = doc.get()??;
            Some(loaded.and_then(|d| Data::compute(&d).map(Shared::new)))
        });
        let month = Memo::new(move |_| {
            let wanted = app.route.with(|r| r.month);
            data.with(|d| {
                let d = d.as_ref()?.as_ref().ok()?;
                match wanted {
                    Some(m) if d.model.month_index(m).is_some() => Some(m),
                    _ => d.latest(),
                }
            })
        });
        let plan = Memo::new(move |_| {
            let wanted = app.route.with(|r| r.plan.clone())?;
            let in_meta = app
                .docs
                .meta()
                .is_some_and(|m| m.plans.iter().any(|p| p.id == wanted));
            let in_model = data.with(|d| {
                d.as_ref()
                    .and_then(|d| d.as_ref().ok())
                    .is_some_and(|d| d.model.plan_index(&wanted).is_some())
            });
            (in_meta || in_model).then_some(wanted)
        });
        let selection = Memo::new(move |_| {
            let plan = plan.get();
            data.with(|d| {
                let d = d.as_ref()?.as_ref().ok()?;
                let figures = plan_figures(&d.model, plan.as_deref());
                let values: Vec<f64> = figures.iter().map(|f| f.mrr_cents as f64).collect();
                let forecast = forecast(&values, HORIZON).floored(0.0);
                Some(Shared::new(Selection {
                    plan,
                    figures,
                    forecast,
                }))
            })
        });
        let target = Memo::new(move |_| app.route.with(|r| r.target).and_then(target_cents));
        let eta = Memo::new(move |_| {
            let target = target.get()?;
            let months = data.with(|d| {
                d.as_ref()
                    .and_then(|d| d.as_ref().ok())
                    .map(|d| d.model.months.clone())
            })?;
            selection.with(|s| {
                let s = s.as_ref()?;
                Some(time_to_target(&months, &s.mrr(), &s.forecast, target))
            })
        });
        let panel = Memo::new(move |_| match data.get() {
            None => loading_state(reading, "events"),
            Some(Err(e)) => PanelState::Failed(e),
            Some(Ok(d)) if d.model.months.is_empty() => PanelState::Empty(format!(
                "{EVENTS_DOC} has no subscription events, so there is no MRR to show."
            )),
            Some(Ok(_)) => PanelState::Ready,
        });

        let state = Self {
            app,
            doc,
            data,
            month,
            plan,
            selection,
            target,
            eta,
            panel,
        };
        state.report_invalid_address();
        state
    }

    /// Keeps the address to what the view can show ([`correct`]), once
    /// the model is computed (and, for a plan the model lacks, once
    /// `meta.json` says whether it lists it).
    fn report_invalid_address(self) {
        let app = self.app;
        let data = self.data;
        correct_address(app, move |route| {
            let meta_plans: Option<Vec<String>> = app.docs.meta.get().map(|m| {
                m.map(|m| m.plans.iter().map(|p| p.id.clone()).collect())
                    .unwrap_or_default()
            });
            data.with(|d| {
                let model = &d.as_ref()?.as_ref().ok()?.model;
                Some(correct(
                    route,
                    &model.months,
                    &model.plans,
                    meta_plans.as_deref(),
                ))
            })
        });
    }

    /// The annotations marked on a months chart: about the plan shown
    /// when `by_plan` (the chart follows the plan filter), else about
    /// everything.
    pub fn marks(self, by_plan: bool) -> Signal<crate::chart::Marks> {
        let plan = self.plan;
        crate::views::marks::time_marks(
            self.app,
            || Some(crate::model::annotations::TimeAxis::Months),
            move || {
                if by_plan {
                    plan.get().into_iter().collect()
                } else {
                    Vec::new()
                }
            },
        )
    }

    /// Loads the document again (and the core documents if they failed).
    pub fn retry(&self) {
        if matches!(self.app.docs.config.get_untracked(), Some(Err(_)))
            || matches!(self.app.docs.meta.get_untracked(), Some(Err(_)))
        {
            self.app.docs.retry();
        }
        self.doc.refetch();
    }

    /// The loaded data, once computed.
    pub fn data(&self) -> Option<Shared<Data>> {
        self.data.get().and_then(Result::ok)
    }

    /// The dataset's currency (USD until the document says).
    pub fn currency(&self) -> String {
        self.data
            .with(|d| {
                d.as_ref()
                    .and_then(|d| d.as_ref().ok())
                    .map(|d| d.currency.clone())
            })
            .unwrap_or_else(|| "USD".into())
    }

    /// The name of a plan for people: `meta.json`'s, else its id.
    pub fn plan_name(&self, id: &str) -> String {
        self.app
            .docs
            .meta()
            .and_then(|m| m.plans.iter().find(|p| p.id == id).map(|p| p.name.clone()))
            .unwrap_or_else(|| id.to_owned())
    }

    /// The plans to offer, `(id, name)`: `meta.json`'s in its order, then
    /// any the events name that it does not list.
    pub fn plans(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .app
            .docs
            .meta()
            .map(|m| {
                m.plans
                    .iter()
                    .map(|p| (p.id.clone(), p.name.clone()))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(d) = self.data() {
            for id in &d.model.plans {
                if !out.iter().any(|(known, _)| known == id) {
                    out.push((id.clone(), id.clone()));
                }
            }
        }
        out
    }

    /// " · Business" when a plan is shown, for titles.
    pub fn plan_suffix(&self) -> String {
        match self.plan.get() {
            Some(p) => format!(" · {}", self.plan_name(&p)),
            None => String::new(),
        }
    }

    /// Selects a month (a history entry).
    pub fn select_month(&self, m: Month) {
        self.app.navigate(|r| r.month = Some(m));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_positions_round_trip() {
        let m = Month::parse("2016-08").unwrap();
        assert_eq!(month_x(m), 2016.0 * 12.0 + 7.0);
        assert_eq!(month_at_x(month_x(m)), Some(m));
        assert_eq!(month_at_x(month_x(m) + 0.4), Some(m));
        assert_eq!(month_at_x(f64::NAN), None);
        assert_eq!(month_at_x(1e300), None);
        assert_eq!(month_at_x(-5.0), None);
    }

    #[test]
    fn targets_and_currencies() {
        assert_eq!(target_cents(1_000_000), Some(100_000_000));
        assert_eq!(target_cents(u64::MAX), None);
        assert_eq!(currency_prefix("USD"), "$");
        assert_eq!(currency_prefix("SEK"), "SEK ");
    }

    /// Two customers on plans `x` (from January 2015) and `y` (from
    /// February), with `more` fields in the document.
    fn two_plans(more: &str) -> Data {
        let doc = RevenueEvents::parse(&format!(
            r#"{{"currency":"USD","events":[
              {{"customer":"a","at":"2015-01-04T12:00:00Z","kind":"subscribe","plan":"x","mrr_cents":1000}},
              {{"customer":"b","at":"2015-02-04T12:00:00Z","kind":"subscribe","plan":"y","mrr_cents":500}}
            ]{more}}}"#
        ))
        .unwrap();
        Data::compute(&doc).unwrap()
    }

    #[test]
    fn figures_of_an_unknown_plan_are_zero() {
        let d = two_plans("");
        assert_eq!(plan_figures(&d.model, None)[1].mrr_cents, 1500);
        assert_eq!(plan_figures(&d.model, Some("y"))[1].mrr_cents, 500);
        let none = plan_figures(&d.model, Some("z"));
        assert_eq!(none.len(), 2);
        assert!(none.iter().all(|f| f.mrr_cents == 0));
        assert!(d.reconciliation().is_none());
    }

    #[test]
    fn the_reconciliation_is_made_on_first_use_from_the_reported_mrr() {
        let d = two_plans(
            r#","reported_mrr":{"months":["2015-01","2015-02"],"mrr_cents":[1000,1400]}"#,
        );
        let rec = d.reconciliation().unwrap();
        let gaps: Vec<(String, i64, i64)> = rec
            .rows
            .iter()
            .map(|r| (r.month.to_string(), r.reported, r.gap))
            .collect();
        assert_eq!(
            gaps,
            [
                ("2015-01".to_owned(), 1000, 0),
                ("2015-02".to_owned(), 1400, -100)
            ]
        );
        // Made once: the same comparison on every later call.
        assert!(std::ptr::eq(rec, d.reconciliation().unwrap()));
    }
}
