//! The benchmark harness page (`tests/bench/index.html`, built by
//! `scripts/bench.sh`, never part of `dist/`): Pulse's own code paths,
//! exported to JavaScript so `scripts/bench/run.mjs` can time them in the
//! browser beside their peers, on the same data.
//!
//! - `delivery_aggregate`: parse + validate one delivery day, then every
//!   aggregate the Delivery view reads (day histogram, KPIs, per-minute
//!   classes, quantile series, heatmap, per-series breakdown).
//! - `chart_*`: one mounted [`ChartCanvas`] whose spec the script replaces
//!   (a line of N points, optionally zoomed to an x window, or a delivery
//!   heatmap), so every draw goes through the component as in the app.
//! - `revenue_*`: a deterministic synthetic events history (customers,
//!   events), exported as columns for the JavaScript peer, and the model
//!   (movements) plus the 12-month forecast, as the Revenue view computes
//!   them.
//! - `capacity_plan`: the capacity planner's fit and sweep for one delivery
//!   day resized to a given number of posts, with a given worker count.
//!
//! Every export returns numbers the script compares with the peer's, so
//! both sides provably did the same work.

#[cfg(target_arch = "wasm32")]
mod harness {
    use leptos::prelude::*;
    use pulse::api::{Day, DeliveryDay, Event, EventKind, Timestamp};
    use pulse::chart::{Axis, ChartCanvas, ChartSpec, ColorRole, Layer};
    use pulse::model::delivery::{breakdown, DayHistogram, Quantile, SeriesFilter, Window};
    use pulse::model::forecast::forecast;
    use pulse::model::revenue::RevenueModel;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;

    /// Quantile points of the Delivery view for a whole day (5-minute groups).
    const DAY_GROUP_MINUTES: usize = 5;
    /// Months forecast after the latest, as in the Revenue view.
    const HORIZON: usize = 12;

    thread_local! {
        static SPEC: Cell<Option<RwSignal<ChartSpec>>> = const { Cell::new(None) };
        static LINE: RefCell<Rc<(Vec<f64>, Vec<f64>)>> = RefCell::new(Rc::new((Vec::new(), Vec::new())));
        static HEAT: RefCell<Option<Rc<Heat>>> = const { RefCell::new(None) };
        static EVENTS: RefCell<Rc<Synthetic>> = RefCell::new(Rc::new(Synthetic::default()));
        static DRAWS: Cell<u32> = const { Cell::new(0) };
        static BUILD_MS: Cell<f64> = const { Cell::new(0.0) };
    }

    struct Heat {
        labels: Vec<String>,
        x: Vec<f64>,
        rows: usize,
        values: Vec<f64>,
    }

    #[derive(Default)]
    struct Synthetic {
        customers: usize,
        plans: Vec<String>,
        events: Vec<Event>,
    }

    fn now() -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or(0.0)
    }

    /// A quantile as one number: seconds, `1e6 + edge` for "at least
    /// edge", `-1` for no data (the peer encodes them the same way).
    fn q(v: Quantile) -> f64 {
        match v {
            Quantile::Seconds(s) => s,
            Quantile::AtLeast(s) => 1e6 + s,
            Quantile::NoData => -1.0,
        }
    }

    fn parse_day(day: &str) -> Result<Day, JsError> {
        Day::parse(day).ok_or_else(|| JsError::new(&format!("{day:?} is not a day")))
    }

    /// Parses, validates and aggregates one delivery day as the Delivery
    /// view does on load; returns the 14 checksums the peer must match,
    /// then the ms spent parsing + validating and aggregating.
    #[wasm_bindgen]
    pub fn delivery_aggregate(body: &str, day: &str) -> Result<Vec<f64>, JsError> {
        let day = parse_day(day)?;
        let t0 = now();
        let doc = DeliveryDay::parse(body, day).map_err(|e| JsError::new(&e.to_string()))?;
        let t1 = now();
        let hist = DayHistogram::new(&doc, &SeriesFilter::all());
        let k = hist.kpis(Window::DAY);
        let minutes = hist.minute_classes(Window::DAY);
        let points = hist.quantile_series(Window::DAY, DAY_GROUP_MINUTES);
        let heat = hist.heatmap(Window::DAY);
        let rows = breakdown(&doc, &SeriesFilter::all(), Window::DAY);
        let t2 = now();
        Ok(vec![
            k.sent as f64,
            k.failed as f64,
            k.late_90s as f64,
            k.within_60s.unwrap_or(-1.0),
            q(k.p50),
            q(k.p95),
            q(k.p99),
            minutes.iter().map(|m| m.classes.ge90 as f64).sum(),
            points.len() as f64,
            points.iter().map(|p| q(p.p95)).sum(),
            heat.iter().map(|c| c.share).sum(),
            rows.len() as f64,
            rows.iter().map(|r| r.sent as f64).sum(),
            rows.iter().map(|r| q(r.p95)).sum(),
            t1 - t0,
            t2 - t1,
        ])
    }

    /// Mounts the chart under `parent` (give it a size).
    #[wasm_bindgen]
    pub fn chart_mount(parent: web_sys::HtmlElement) {
        let handle = leptos::mount::mount_to(parent, || {
            let spec = RwSignal::new(ChartSpec::default());
            SPEC.with(|s| s.set(Some(spec)));
            view! { <ChartCanvas spec=Memo::new(move |_| spec.get()) name="bench" /> }
        });
        handle.forget();
    }

    /// Keeps a series for [`chart_show_line`]; returns its length.
    #[wasm_bindgen]
    pub fn chart_set_series(x: Vec<f64>, y: Vec<f64>) -> usize {
        let n = x.len().min(y.len());
        LINE.with(|l| *l.borrow_mut() = Rc::new((x, y)));
        n
    }

    fn label(what: &str) -> String {
        let n = DRAWS.with(|d| {
            let n = d.get().wrapping_add(1);
            d.set(n);
            n
        });
        format!("{what} #{n}")
    }

    fn show(spec: ChartSpec) -> bool {
        match SPEC.with(Cell::get) {
            Some(signal) => {
                signal.set(spec);
                true
            }
            None => false,
        }
    }

    /// Builds the line spec from the kept series (the x window `[lo, hi)`,
    /// or the whole series when either is NaN) and hands it to the chart,
    /// as a view does. Returns false if the chart is not mounted.
    #[wasm_bindgen]
    pub fn chart_show_line(lo: f64, hi: f64) -> bool {
        let t0 = now();
        let data = LINE.with(|l| Rc::clone(&l.borrow()));
        let mut x_axis = Axis::linear().no_zero();
        if lo.is_finite() && hi.is_finite() && hi > lo {
            x_axis = x_axis.domain(lo, hi);
        }
        let spec = ChartSpec::new(label("series"), x_axis, Axis::linear().no_zero()).layer(
            Layer::line("value", ColorRole::Line1, data.0.clone(), data.1.clone()),
        );
        BUILD_MS.with(|b| b.set(now() - t0));
        show(spec)
    }

    /// How long the last [`chart_show_line`] took to build its spec (the
    /// copy of the series a view makes), ms.
    #[wasm_bindgen]
    pub fn chart_last_build_ms() -> f64 {
        BUILD_MS.with(Cell::get)
    }

    /// Keeps the heatmap of a delivery day (share of each delay bucket,
    /// per minute: 1440 × buckets cells); returns the number of cells.
    #[wasm_bindgen]
    pub fn chart_set_heatmap(body: &str, day: &str) -> Result<usize, JsError> {
        let day = parse_day(day)?;
        let doc = DeliveryDay::parse(body, day).map_err(|e| JsError::new(&e.to_string()))?;
        let hist = DayHistogram::new(&doc, &SeriesFilter::all());
        let rows = hist.buckets();
        let cells = hist.heatmap(Window::DAY);
        let labels = (0..rows)
            .map(|b| pulse::model::delivery::bucket_label(hist.bounds_s(), b))
            .collect();
        let heat = Heat {
            labels,
            x: (0..1440).map(f64::from).collect(),
            rows,
            values: cells.iter().map(|c| c.share).collect(),
        };
        let n = heat.values.len();
        HEAT.with(|h| *h.borrow_mut() = Some(Rc::new(heat)));
        Ok(n)
    }

    /// Hands the kept heatmap to the chart (minutes × delay buckets).
    #[wasm_bindgen]
    pub fn chart_show_heatmap() -> bool {
        let Some(heat) = HEAT.with(|h| h.borrow().clone()) else {
            return false;
        };
        let spec = ChartSpec::new(
            label("heatmap"),
            Axis::minutes().domain(0.0, 1440.0),
            Axis::categories(heat.labels.clone()),
        )
        .layer(Layer::heatmap(
            "share",
            heat.x.clone(),
            heat.rows,
            heat.values.clone(),
        ));
        show(spec)
    }

    /// A small deterministic generator (SplitMix64).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// Uniform in `0..n` (0 when `n` is 0).
        fn below(&mut self, n: u64) -> u64 {
            if n == 0 {
                0
            } else {
                self.next() % n
            }
        }
    }

    const PLANS: [(&str, i64); 4] = [
        ("starter", 1_900),
        ("awesome", 4_900),
        ("business", 14_900),
        ("enterprise", 49_900),
    ];

    fn month_start(year: i32, month: u32) -> i64 {
        Day::from_ymd(year, month, 1)
            .map(|d| d.start().0)
            .unwrap_or(0)
    }

    fn pick_plan(rng: &mut Rng) -> (u32, i64) {
        let i = rng.below(PLANS.len() as u64) as usize;
        let base = PLANS.get(i).map(|p| p.1).unwrap_or(1_900);
        let seats = 1 + rng.below(10) as i64;
        (i as u32, base * seats)
    }

    /// Generates `events` subscription events (at least one per customer)
    /// for `customers` customers over the 24 months from September 2014,
    /// in customer order (the model sorts them by time). Returns the number
    /// of events.
    #[wasm_bindgen]
    pub fn revenue_generate(customers: u32, events: u32, seed: u32) -> usize {
        let mut rng = Rng(u64::from(seed) ^ 0x5075_6c73_6542_656e);
        let start = month_start(2014, 9);
        let span = (month_start(2016, 9) - start).max(1) as u64;
        let n = customers.max(1) as usize;
        let mut extra = vec![0u32; n];
        for _ in 0..events.saturating_sub(customers) {
            if let Some(e) = extra.get_mut(rng.below(n as u64) as usize) {
                *e += 1;
            }
        }
        let mut out = Vec::with_capacity(events as usize);
        let mut times: Vec<i64> = Vec::new();
        for (c, &more) in extra.iter().enumerate() {
            let t0 = start + rng.below(span) as i64;
            let (plan, mrr) = pick_plan(&mut rng);
            out.push(Event {
                customer: c as u32,
                at: Timestamp(t0),
                kind: EventKind::Subscribe,
                plan,
                mrr_cents: mrr,
            });
            times.clear();
            let rest = (start + span as i64 - t0).max(1) as u64;
            times.extend((0..more).map(|_| t0 + 1 + rng.below(rest) as i64));
            times.sort_unstable();
            let (mut paying, mut plan) = (true, plan);
            for &t in &times {
                let (kind, next_plan, mrr) = if paying && rng.below(5) == 0 {
                    (EventKind::Cancel, plan, 0)
                } else {
                    let (p, m) = pick_plan(&mut rng);
                    let kind = if paying {
                        EventKind::Change
                    } else {
                        EventKind::Subscribe
                    };
                    (kind, p, m)
                };
                paying = mrr > 0;
                plan = next_plan;
                out.push(Event {
                    customer: c as u32,
                    at: Timestamp(t),
                    kind,
                    plan,
                    mrr_cents: mrr,
                });
            }
        }
        let count = out.len();
        let plans = PLANS.iter().map(|p| p.0.to_string()).collect();
        EVENTS.with(|e| {
            *e.borrow_mut() = Rc::new(Synthetic {
                customers: n,
                plans,
                events: out,
            })
        });
        count
    }

    fn events() -> Rc<Synthetic> {
        EVENTS.with(|e| Rc::clone(&e.borrow()))
    }

    /// The generated events' customer ids.
    #[wasm_bindgen]
    pub fn revenue_customer_ids() -> Vec<u32> {
        events().events.iter().map(|e| e.customer).collect()
    }

    /// The generated events' times, ms since the Unix epoch.
    #[wasm_bindgen]
    pub fn revenue_times_ms() -> Vec<f64> {
        events().events.iter().map(|e| e.at.0 as f64).collect()
    }

    /// The generated events' plan ids (indices into the plan list).
    #[wasm_bindgen]
    pub fn revenue_plan_ids() -> Vec<u32> {
        events().events.iter().map(|e| e.plan).collect()
    }

    /// The generated events' MRR after the event, cents.
    #[wasm_bindgen]
    pub fn revenue_mrr_cents() -> Vec<f64> {
        events().events.iter().map(|e| e.mrr_cents as f64).collect()
    }

    /// How many plans and customers the generated events use.
    #[wasm_bindgen]
    pub fn revenue_shape() -> Vec<u32> {
        let s = events();
        vec![s.plans.len() as u32, s.customers as u32]
    }

    /// The Revenue view's computation: the model (month-end MRR and
    /// movements, total and per plan) and the 12-month forecast of the total
    /// MRR. Returns `[model ms, forecast ms, months, last MRR, Σ new,
    /// Σ expansion, Σ contraction, Σ churn, Σ reactivation, paying at the
    /// end, last forecast mean]`.
    #[wasm_bindgen]
    pub fn revenue_run() -> Result<Vec<f64>, JsError> {
        let s = events();
        let t0 = now();
        let model = RevenueModel::from_events(s.customers, &s.plans, &s.events, None)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let t1 = now();
        let mrr: Vec<f64> = model.total.iter().map(|f| f.mrr_cents as f64).collect();
        let f = forecast(&mrr, HORIZON).floored(0.0);
        let t2 = now();
        let sum = |g: fn(&pulse::model::revenue::MonthFigures) -> i64| {
            model.total.iter().map(|f| g(f) as f64).sum::<f64>()
        };
        Ok(vec![
            t1 - t0,
            t2 - t1,
            model.months.len() as f64,
            mrr.last().copied().unwrap_or(0.0),
            sum(|f| f.new),
            sum(|f| f.expansion),
            sum(|f| f.contraction),
            sum(|f| f.churn),
            sum(|f| f.reactivation),
            model
                .total
                .last()
                .map(|f| f64::from(f.customers_paying))
                .unwrap_or(0.0),
            f.mean.last().copied().unwrap_or(f64::NAN),
        ])
    }

    /// The capacity planner on one delivery day resized to about `posts`
    /// posts (same shape), with `workers` workers now and the day's
    /// observed share: the fit and the sweep, run to the end at once.
    /// Returns the posts, the fitted scale, the share at the current count,
    /// the counts for 95 % and 99 % (`-N` for "more than N"), the sweep's
    /// rows, then the ms of the plan alone.
    #[wasm_bindgen]
    pub fn capacity_plan(
        body: &str,
        day: &str,
        posts: f64,
        workers: u32,
    ) -> Result<Vec<f64>, JsError> {
        use pulse::api::MediaCost;
        use pulse::model::capacity::{plan, PlanInput, Reach, Scenario, Workload};
        let day = parse_day(day)?;
        let doc = DeliveryDay::parse(body, day).map_err(|e| JsError::new(&e.to_string()))?;
        let hist = DayHistogram::new(&doc, &SeriesFilter::all());
        let kpis = hist.kpis(Window::DAY);
        let (observed, edge) = kpis
            .within_60s
            .zip(kpis.edges.within_s())
            .ok_or_else(|| JsError::new("the day has no sent posts"))?;
        let day_load = Workload::from_day(&doc, &SeriesFilter::all(), Window::DAY);
        let workload = day_load.scaled(posts / day_load.posts().max(1) as f64);
        let input = PlanInput {
            workload,
            observed_share: observed,
            observed_edge_s: edge,
            workers,
            cost: MediaCost::default(),
            scenario: Scenario::default(),
        };
        let t0 = now();
        let p = plan(&input).ok_or_else(|| JsError::new("nothing to plan"))?;
        let ms = now() - t0;
        let count = |r: Reach| match r {
            Reach::At(n) => f64::from(n),
            Reach::MoreThan(n) => -f64::from(n),
        };
        Ok(vec![
            input.workload.posts() as f64,
            p.scale_s,
            p.share_at_current,
            count(p.workers_95),
            count(p.workers_99),
            p.rows.len() as f64,
            ms,
        ])
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("pulse_bench is the benchmark harness page: build it with scripts/bench.sh");
}
