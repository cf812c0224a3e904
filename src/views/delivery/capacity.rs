//! `delivery-capacity`: the capacity planner. How many broadcaster workers
//! would the shown day (filters, window) have needed to send 95 % or 99 %
//! of its posts within the minute, with growth and with the on-the-hour
//! posts spread over a few minutes? The model is
//! [`crate::model::capacity`]; this panel runs it across the page's turns,
//! at most [`TURN_MS`] at a time, after the view's first chart is painted.
//!
//! The current worker count comes from the address (`workers`), else from
//! `broadcast_workers` in `config.json`, else from an input in the panel.
//! Scenarios: `growth` (percent) and `spread` (minutes), in the address.
//!
//! Hooks: `data-kpi` = `capacity_scale_s` (seconds per unit of cost),
//! `capacity_share_at_current` (a fraction), `capacity_workers_95`,
//! `capacity_workers_99` (a count, or `gt:N` when the sweep up to N did
//! not reach the target); the progress carries `data-progress` (percent).

use super::legend::{Legend, Swatch};
use super::state::DeliveryState;
use crate::api::Day;
use crate::chart::{Axis, ChartCanvas, ChartSpec, ColorRole, Layer, ValueFormat};
use crate::format;
use crate::model::capacity::{Plan, PlanInput, Planner, Reach, Scenario, SweepRow, Workload};
use crate::model::delivery::ClassNames;
use crate::turn::next_turn;
use crate::ui::{Kpi, Panel, Table};
use leptos::prelude::*;
use std::sync::Arc;

/// The longest the planner runs before it gives the page a turn, in ms.
pub const TURN_MS: f64 = 25.0;

/// The spreads offered in the panel, in minutes (1 = not spread).
const SPREADS: [u8; 6] = [1, 2, 3, 5, 10, 15];

/// The chart: share within 60 s (in percent) against the worker count.
pub fn capacity_spec(plan: &Plan, spread: Option<u8>) -> ChartSpec {
    let xs: Vec<f64> = plan.rows.iter().map(|r| f64::from(r.workers)).collect();
    let pct = |o: f64| o * 100.0;
    let last = xs.last().copied().unwrap_or(1.0);
    let mut spec = ChartSpec::new(
        "Share of posts sent within 60 s by number of workers",
        Axis::linear()
            .title("workers")
            .domain(0.5, last.max(f64::from(plan.workers)) + 0.5),
        Axis::linear()
            .title("within 60 s")
            .format(ValueFormat::Percent(1))
            .domain(0.0, 100.0),
    )
    // The legend names the two targets: labels 4 points apart would overlap.
    .layer(Layer::hrule(95.0, ColorRole::Target, None))
    .layer(Layer::hrule(99.0, ColorRole::Target, None))
    .layer(Layer::vrule(
        f64::from(plan.workers),
        ColorRole::Compare,
        Some(format!("now: {}", plan.workers).as_str()),
    ));
    if let Some(m) = spread {
        let ys = plan
            .rows
            .iter()
            .map(|r| r.spread.map_or(f64::NAN, |o| pct(o.share_within_60s)))
            .collect();
        spec = spec.layer(Layer::line(
            format!("spread over {m} min"),
            ColorRole::Line2,
            xs.clone(),
            ys,
        ));
    }
    let ys = plan
        .rows
        .iter()
        .map(|r| pct(r.outcome.share_within_60s))
        .collect();
    spec.layer(Layer::line("within 60 s", ColorRole::Line1, xs, ys))
}

/// The numbers of the sweep, one row per worker count.
pub fn capacity_table(day: Day, plan: &Plan, spread: Option<u8>) -> Table {
    let mut columns = vec!["workers", "share_within_60s", "count_ge_90s", "p95_s"];
    if spread.is_some() {
        columns.extend([
            "spread_share_within_60s",
            "spread_count_ge_90s",
            "spread_p95_s",
        ]);
    }
    let caption = match spread {
        Some(m) => format!(
            "Simulated delivery by number of workers, {day} (spread over {m} minutes in the last three columns)"
        ),
        None => format!("Simulated delivery by number of workers, {day}"),
    };
    let mut t = Table::new(caption, &columns);
    let cells = |o: &crate::model::capacity::Outcome| {
        [
            format::decimal(o.share_within_60s, 4),
            format::decimal(o.count_ge_90s, 1),
            format::decimal(o.p95_s, 1),
        ]
    };
    for SweepRow {
        workers,
        outcome,
        spread: spread_outcome,
    } in &plan.rows
    {
        let mut row = vec![workers.to_string()];
        row.extend(cells(outcome));
        if spread.is_some() {
            match spread_outcome {
                Some(o) => row.extend(cells(o)),
                None => row.extend(["n/a", "n/a", "n/a"].map(str::to_owned)),
            }
        }
        t.push(row);
    }
    t
}

/// A count of workers for people: `24 workers`, `more than 96 workers`.
fn workers_text(r: Reach) -> String {
    let n = r.count();
    let unit = if n == 1 && matches!(r, Reach::At(_)) {
        "worker"
    } else {
        "workers"
    };
    format!("{} {unit}", r.label())
}

/// For a day whose bounds lack 60 s: what the scale was fitted to (the
/// share below the bound that stands in, compared with the simulated share
/// below that same bound), as a sentence to follow the scale's note.
fn fit_note(names: &ClassNames) -> Option<String> {
    names.within_stands_in().then(|| {
        format!(
            " Fitted to the day's share sent {}, as its delay buckets have no edge at 60 s; the simulated shares count 60 s exactly.",
            names.within()
        )
    })
}

/// Where a run of the planner stands.
#[derive(Clone, Debug, PartialEq)]
enum Run {
    /// Nothing to plan (no worker count, no posts).
    Idle,
    /// Working: percent done.
    Working(u32),
    Done(Option<Arc<Plan>>),
}

/// Milliseconds on the page's clock.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The capacity planner panel.
#[component]
pub fn CapacityPanel(st: DeliveryState) -> impl IntoView {
    let app = st.app;
    let config = move || app.docs.config.get().and_then(Result::ok);
    let workers = Memo::new(move |_| {
        app.route
            .with(|r| r.workers)
            .or_else(|| config().and_then(|c| c.broadcast_workers))
    });
    let cost = Memo::new(move |_| config().map(|c| c.media_cost).unwrap_or_default());
    let scenario = Memo::new(move |_| {
        app.route.with(|r| Scenario {
            growth_pct: f64::from(r.growth.unwrap_or(0)),
            spread_minutes: u32::from(r.spread.unwrap_or(1)),
        })
    });
    let spread = Memo::new(move |_| app.route.with(|r| r.spread.filter(|m| *m > 1)));
    let input = Memo::new(move |_| {
        let doc = st.day_document()?;
        let w = st.window.get();
        let kpis = st.hist.get()?.kpis(w);
        Some(PlanInput {
            workload: st.filter.with(|f| Workload::from_day(&doc, f, w)),
            observed_share: kpis.within_60s?,
            observed_edge_s: kpis.edges.within_s()?,
            workers: workers.get()?,
            cost: cost.get(),
            scenario: scenario.get(),
        })
    });
    let run = RwSignal::new(Run::Idle);
    // Each input starts a run; a newer input makes the older run stop.
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let Some(input) = input.get() else {
            run.set(Run::Idle);
            return;
        };
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        run.set(Run::Working(0));
        leptos::task::spawn_local(async move {
            let mut planner = Planner::new(input);
            loop {
                // A turn of the page first: the panel paints its progress.
                next_turn().await;
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                let start = now_ms();
                let mut done = planner.is_done();
                while !done && now_ms() - start < TURN_MS {
                    done = planner.step();
                }
                if done {
                    let plan = planner.plan().cloned().map(Arc::new);
                    let _ = run.try_set(Run::Done(plan));
                    return;
                }
                let _ = run.try_set(Run::Working((planner.progress() * 100.0) as u32));
            }
        });
    });
    let plan = Memo::new(move |_| match run.get() {
        Run::Done(p) => p,
        _ => None,
    });
    let table = Signal::derive(move || {
        let day = st.day.get()?;
        plan.get().map(|p| capacity_table(day, &p, spread.get()))
    });
    let spec = Memo::new(move |_| {
        plan.get()
            .map(|p| capacity_spec(&p, spread.get()))
            .unwrap_or_else(|| {
                ChartSpec::new(
                    "Share within 60 s by workers",
                    Axis::linear(),
                    Axis::linear(),
                )
            })
    });
    let retry = Callback::new(move |_| st.retry());
    let set_workers = move |value: String| {
        let n = value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=10_000).contains(n));
        if let Some(n) = n {
            app.navigate(|r| r.workers = Some(n));
        }
    };
    let set_growth = move |value: String| {
        let trimmed = value.trim().to_owned();
        let p = trimmed
            .parse::<i32>()
            .ok()
            .filter(|p| (-99..=1000).contains(p));
        if trimmed.is_empty() || p == Some(0) {
            app.navigate(|r| r.growth = None);
        } else if p.is_some() {
            app.navigate(|r| r.growth = p);
        }
    };
    let set_spread = move |value: String| {
        let m = value.parse::<u8>().ok().filter(|m| *m > 1);
        app.navigate(|r| r.spread = m);
    };
    let controls = move || {
        let w = workers.get().map(|n| n.to_string()).unwrap_or_default();
        let g = app
            .route
            .with(|r| r.growth.map(|p| p.to_string()).unwrap_or_default());
        let chosen = app.route.with(|r| r.spread.unwrap_or(1));
        let options = SPREADS
            .iter()
            .map(|&m| {
                let label = if m == 1 {
                    "not spread".to_owned()
                } else {
                    format!("over {m} minutes")
                };
                let selected = m == chosen;
                view! { <option value=m.to_string() selected=selected>{label}</option> }
            })
            .collect_view();
        view! {
            <div class="capacity-inputs">
                <label>
                    "Workers now "
                    <input
                        type="number"
                        min="1"
                        max="10000"
                        step="1"
                        name="workers"
                        prop:value=w
                        on:change=move |ev| set_workers(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Growth % "
                    <input
                        type="number"
                        min="-99"
                        max="1000"
                        step="1"
                        name="growth"
                        placeholder="0"
                        prop:value=g
                        on:change=move |ev| set_growth(event_target_value(&ev))
                    />
                </label>
                <label>
                    "On-the-hour posts "
                    <select name="spread" on:change=move |ev| set_spread(event_target_value(&ev))>
                        {options}
                    </select>
                </label>
            </div>
        }
    };
    let needs_workers = move || {
        workers.get().is_none().then(|| {
            view! {
                <p class="capacity-why" data-needs="workers">
                    "The planner needs the number of broadcaster workers the day ran with: "
                    "the day's delays only tell how busy the workers were once it is known how many there were. "
                    "Enter it above, or set "
                    <code>"broadcast_workers"</code>
                    " in "
                    <code>"config.json"</code>
                    "."
                </p>
            }
        })
    };
    let progress = move || {
        match run.get() {
        Run::Working(pct) => Some(
            view! {
                <div class="reading" role="status" data-progress=pct.to_string()>
                    <progress max="100" value=pct.to_string()></progress>
                    <span>{format!("Simulating the day: {pct} %")}</span>
                </div>
            }
            .into_any(),
        ),
        Run::Done(None) => Some(
            view! { <p class="empty">"No posts were sent in this selection: there is nothing to plan with."</p> }
                .into_any(),
        ),
        _ => None,
    }
    };
    let kpis = move || {
        let p = plan.get()?;
        let scale_note = if p.at_limit {
            "seconds per unit of cost (at the edge of the search: not a fit)"
        } else {
            "seconds of work per unit of media cost"
        };
        let fit_note = fit_note(&st.names()).unwrap_or_default();
        Some(view! {
            <div class="kpis capacity-kpis">
                <Kpi
                    name="capacity_scale_s"
                    raw=format::decimal(p.scale_s, 3)
                    label="Fitted service scale"
                    text=format!("{} s", format::decimal(p.scale_s, scale_decimals(p.scale_s)))
                />
                <Kpi
                    name="capacity_share_at_current"
                    raw=format::raw_fraction(Some(p.share_at_current))
                    label=format!("Within 60 s with {} workers (simulated)", p.workers)
                    text=format::percent(p.share_at_current)
                />
                <Kpi
                    name="capacity_workers_95"
                    raw=p.workers_95.raw()
                    label="Workers for 95 % within 60 s"
                    text=workers_text(p.workers_95)
                />
                <Kpi
                    name="capacity_workers_99"
                    raw=p.workers_99.raw()
                    label="Workers for 99 % within 60 s"
                    text=workers_text(p.workers_99)
                />
            </div>
            <p class="chart-hint muted small">{format!("Scale: {scale_note}.{fit_note}")}</p>
        })
    };
    let spread_note = move || {
        let m = spread.get()?;
        let p = plan.get()?;
        let at = |t| Plan::reach(&p.rows, t, true);
        Some(view! {
            <p class="capacity-spread" data-spread=m.to_string()>
                {format!(
                    "Spreading the on-the-hour posts over {m} minutes: {} for 95 %, {} for 99 %.",
                    workers_text(at(0.95)),
                    workers_text(at(0.99)),
                )}
            </p>
        })
    };
    let legend = move || {
        let mut items = vec![Swatch::line("line-1", "within 60 s")];
        if let Some(m) = spread.get() {
            items.push(Swatch::line("line-2", format!("spread over {m} min")));
        }
        items.push(Swatch::dashed("target", "95 % and 99 % targets"));
        items.push(Swatch::line("compare", "workers now"));
        view! { <Legend items=items /> }
    };
    let chart = move || {
        plan.get().is_some().then(|| {
            view! {
                {legend}
                <ChartCanvas spec=spec name="delivery-capacity" />
            }
        })
    };
    view! {
        <Panel
            id="delivery-capacity"
            later=true
            title="Capacity: workers needed"
            state=st.panel
            on_retry=retry
            table=table
            chart=true
            class="wide chart-panel capacity"
        >
            {controls}
            {needs_workers}
            {progress}
            {kpis}
            {spread_note}
            {chart}
        </Panel>
    }
}

/// Places for the fitted scale: up to three significant digits (a day of
/// short posts fits a few hundredths of a second), up to two places at
/// least.
fn scale_decimals(scale_s: f64) -> usize {
    let magnitude = scale_s.abs().log10().floor();
    if magnitude.is_finite() {
        (2.0 - magnitude).clamp(2.0, 6.0) as usize
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capacity::Outcome;
    use crate::model::delivery::ClassEdges;

    #[test]
    fn the_scale_shows_three_significant_digits() {
        let text = |s: f64| format::decimal(s, scale_decimals(s));
        assert_eq!(text(0.0196), "0.0196");
        assert_eq!(text(0.03925), "0.0393");
        assert_eq!(text(0.3917), "0.392");
        assert_eq!(text(1.5), "1.5");
        assert_eq!(text(25.0), "25");
        assert_eq!(text(0.0), "0");
    }

    #[test]
    fn the_scale_says_which_edge_it_was_fitted_to_when_60_s_is_not_a_bound() {
        let names = |b: &[f64]| ClassEdges::resolve(b).names();
        assert_eq!(fit_note(&names(&[10.0, 60.0, 90.0, 300.0])), None);
        // 60 s a bound, 90 s not: the fit is exact.
        assert_eq!(fit_note(&names(&[10.0, 30.0, 60.0, 300.0])), None);
        assert_eq!(
            fit_note(&names(&[10.0, 30.0, 120.0])).as_deref(),
            Some(" Fitted to the day's share sent within 30 s, as its delay buckets have no edge at 60 s; the simulated shares count 60 s exactly.")
        );
    }

    fn outcome(share: f64) -> Outcome {
        Outcome {
            share_within_60s: share,
            count_ge_90s: 1000.0 * (1.0 - share),
            p95_s: 300.0 * (1.0 - share),
            mean_wait_s: 0.0,
        }
    }

    fn plan() -> Plan {
        let rows: Vec<SweepRow> = [0.2, 0.6, 0.96, 0.995]
            .into_iter()
            .zip(1..)
            .map(|(share, workers)| SweepRow {
                workers,
                outcome: outcome(share),
                spread: Some(outcome((share + 0.1_f64).min(1.0))),
            })
            .collect();
        Plan {
            scale_s: 2.5,
            at_limit: false,
            share_at_current: 0.6,
            workers: 2,
            workers_95: Plan::reach(&rows, 0.95, false),
            workers_99: Plan::reach(&rows, 0.99, false),
            rows,
        }
    }

    #[test]
    fn the_chart_marks_targets_and_the_current_count() {
        let p = plan();
        let spec = capacity_spec(&p, None);
        assert_eq!(
            spec.layers[0],
            Layer::hrule(95.0, ColorRole::Target, None),
            "the legend names the targets: the rules carry no label"
        );
        assert_eq!(spec.layers[1], Layer::hrule(99.0, ColorRole::Target, None));
        assert_eq!(
            spec.layers[2],
            Layer::vrule(2.0, ColorRole::Compare, Some("now: 2"))
        );
        let Layer::Line { x, y, .. } = &spec.layers[3] else {
            panic!("the sweep's line");
        };
        assert_eq!(x, &[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(y, &[20.0, 60.0, 96.0, 99.5]);
        let spec = capacity_spec(&p, Some(5));
        assert_eq!(spec.layers.len(), 5);
        let Layer::Line { name, y, .. } = &spec.layers[3] else {
            panic!("the spread's line");
        };
        assert_eq!(name, "spread over 5 min");
        assert!((y[0] - 30.0).abs() < 1e-9);
    }

    #[test]
    fn the_table_lists_the_sweep() {
        let p = plan();
        let day = Day::parse("2016-08-03").unwrap();
        let t = capacity_table(day, &p, None);
        assert_eq!(
            t.columns,
            ["workers", "share_within_60s", "count_ge_90s", "p95_s"]
        );
        assert_eq!(t.rows[2], ["3", "0.96", "40", "12"]);
        let t = capacity_table(day, &p, Some(5));
        assert_eq!(t.columns.len(), 7);
        assert_eq!(t.rows[0][4], "0.3");
        assert_eq!(p.workers_95, Reach::At(3));
        assert_eq!(p.workers_99, Reach::At(4));
        assert_eq!(workers_text(Reach::MoreThan(8)), "more than 8 workers");
        assert_eq!(workers_text(Reach::At(1)), "1 worker");
    }
}
