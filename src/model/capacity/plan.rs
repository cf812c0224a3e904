//! The fit and the sweep, as a planner that works in bounded steps.

use crate::api::MediaCost;
use crate::model::rng::Rng;

use super::sim::{share_below, Job, Outcome};
use super::workload::{Scenario, Workload};

/// Replications averaged in every evaluation.
pub const REPLICATIONS: usize = 4;

/// Halvings of the bracket once the fitted scale is bracketed (between a
/// scale and its double): the scale is then known to 2⁻⁹ (0.2 %) of
/// itself, below the replications' noise.
const BISECTIONS: u32 = 9;

/// The range the bracket may search, in seconds per unit of cost.
const MIN_SCALE: f64 = 1e-4;
const MAX_SCALE: f64 = 1e5;

/// The share the sweep stops at.
const ENOUGH: f64 = 0.999;

/// The seed of every plan: the same inputs give the same numbers.
const SEED: u64 = 0x5ca1_ab1e_c0ff_ee14;

/// What the planner needs.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanInput {
    /// The day's sent posts for the selection.
    pub workload: Workload,
    /// The observed share of those posts sent with a delay under
    /// `observed_edge_s` (a fraction).
    pub observed_share: f64,
    /// The edge, in seconds, that `observed_share` was counted below: 60
    /// when 60 s is one of the day's bounds, else the bound that stands in
    /// for it ([`ClassEdges`](crate::model::delivery::ClassEdges)). The fit
    /// matches the simulated share under this edge, so that it compares
    /// like with like; the sweep always counts posts within 60 s.
    pub observed_edge_s: f64,
    /// The current number of workers.
    pub workers: u32,
    /// Relative service cost per media.
    pub cost: MediaCost,
    /// Growth and spread for the sweep (the fit always uses the day as it was).
    pub scenario: Scenario,
}

/// The smallest worker count that reaches a target, or that the sweep
/// did not reach it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// This many workers reach it.
    At(u32),
    /// More than this many (the sweep's last count) would be needed.
    MoreThan(u32),
}

impl Reach {
    /// The machine-readable value: `24`, or `gt:96`.
    pub fn raw(&self) -> String {
        match self {
            Reach::At(n) => n.to_string(),
            Reach::MoreThan(n) => format!("gt:{n}"),
        }
    }

    /// The text for people: `24`, or `more than 96`.
    pub fn label(&self) -> String {
        match self {
            Reach::At(n) => n.to_string(),
            Reach::MoreThan(n) => format!("more than {n}"),
        }
    }

    /// The count, or the sweep's last count when not reached.
    pub fn count(&self) -> u32 {
        match *self {
            Reach::At(n) | Reach::MoreThan(n) => n,
        }
    }
}

/// One worker count of the sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepRow {
    /// The number of workers simulated.
    pub workers: u32,
    /// The day with the scenario's growth.
    pub outcome: Outcome,
    /// The same with the on-the-hour posts spread, when a spread is chosen.
    pub spread: Option<Outcome>,
}

/// The planner's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The fitted seconds of service per unit of cost.
    pub scale_s: f64,
    /// Whether the fit hit the edge of its range (the observed share is 0
    /// or cannot be reached): the scale is then a bound, not a fit.
    pub at_limit: bool,
    /// The simulated share within 60 s with the current workers on the day
    /// as it was (reproduces the observed share).
    pub share_at_current: f64,
    /// The current number of workers.
    pub workers: u32,
    /// The sweep, from one worker up.
    pub rows: Vec<SweepRow>,
    /// The smallest count reaching 95 % within 60 s.
    pub workers_95: Reach,
    /// The smallest count reaching 99 % within 60 s.
    pub workers_99: Reach,
}

impl Plan {
    /// The smallest count of the sweep whose share (of the spread scenario
    /// with `spread`) reaches `target`.
    pub fn reach(rows: &[SweepRow], target: f64, spread: bool) -> Reach {
        let share = |r: &SweepRow| {
            if spread {
                r.spread.map_or(0.0, |o| o.share_within_60s)
            } else {
                r.outcome.share_within_60s
            }
        };
        rows.iter()
            .find(|r| share(r) >= target)
            .map(|r| Reach::At(r.workers))
            .unwrap_or_else(|| Reach::MoreThan(rows.last().map_or(0, |r| r.workers)))
    }
}

/// Where the planner is.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    /// Drawing replication `i` of the sample sets (base, grown, spread).
    Draw(usize),
    /// Looking for a bracket `lo ≤ fit < hi`: `lo` reaches the observed
    /// share, `hi` does not.
    Bracket {
        lo: Option<f64>,
        hi: Option<f64>,
        next: f64,
    },
    /// Halving the bracket.
    Bisect {
        lo: f64,
        hi: f64,
        left: u32,
    },
    /// The share with the fitted scale and the current workers.
    Current,
    /// Simulating `workers` workers.
    Sweep {
        workers: u32,
    },
    Done,
}

/// The fit and the sweep, one bounded step at a time.
///
/// ```
/// # use pulse::api::{Media, MediaCost};
/// # use pulse::model::capacity::{PlanInput, Planner, Scenario, Workload};
/// # let mut workload = Workload::default();
/// # workload.add(480, Media::Image, 300);
/// # let input = PlanInput { workload, observed_share: 0.5, observed_edge_s: 60.0,
/// #     workers: 3,
/// #     cost: MediaCost::default(), scenario: Scenario::default() };
/// let mut planner = Planner::new(input);
/// while !planner.step() {
///     // a page yields here, and shows planner.progress()
/// }
/// assert!(planner.plan().is_some());
/// ```
#[derive(Clone, Debug)]
pub struct Planner {
    input: PlanInput,
    /// Replications of the day as it was (the fit), with the growth (the
    /// sweep; empty when there is none) and with the spread too (empty when
    /// none is chosen).
    base: Vec<Vec<Job>>,
    grown: Vec<Vec<Job>>,
    spread: Vec<Vec<Job>>,
    phase: Phase,
    scale_s: f64,
    at_limit: bool,
    share_at_current: f64,
    rows: Vec<SweepRow>,
    scratch: Vec<f64>,
    steps: u32,
    plan: Option<Plan>,
}

impl Planner {
    /// A planner that has not started. With no posts, no observed share
    /// or no workers it finishes at its first step with no plan.
    pub fn new(input: PlanInput) -> Self {
        Self {
            input,
            base: Vec::new(),
            grown: Vec::new(),
            spread: Vec::new(),
            phase: Phase::Draw(0),
            scale_s: 0.0,
            at_limit: false,
            share_at_current: 0.0,
            rows: Vec::new(),
            scratch: Vec::new(),
            steps: 0,
            plan: None,
        }
    }

    /// The plan, once [`Planner::step`] has said it is done (`None` when
    /// there was nothing to plan).
    pub fn plan(&self) -> Option<&Plan> {
        self.plan.as_ref()
    }

    /// Whether every step is done.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// How far the work is, from 0 to 1 (an estimate: the sweep may stop
    /// before its last count).
    pub fn progress(&self) -> f64 {
        let fit_steps = f64::from(BISECTIONS + 4);
        let max_w = f64::from(self.max_workers());
        let p = match &self.phase {
            Phase::Draw(i) => 0.15 * *i as f64 / REPLICATIONS as f64,
            Phase::Bracket { .. } | Phase::Bisect { .. } | Phase::Current => {
                0.15 + 0.35 * (f64::from(self.steps) / fit_steps).min(1.0)
            }
            Phase::Sweep { workers } => 0.5 + 0.5 * f64::from(*workers - 1) / max_w,
            Phase::Done => 1.0,
        };
        p.clamp(0.0, 1.0)
    }

    fn max_workers(&self) -> u32 {
        self.input.workers.saturating_mul(4).max(1)
    }

    /// The mean outcome of `set` with `scale` and `workers`; with
    /// `scratch`, the 95th percentile too.
    fn evaluate(
        set: &[Vec<Job>],
        scale: f64,
        workers: u32,
        mut scratch: Option<&mut Vec<f64>>,
    ) -> Outcome {
        let runs: Vec<Outcome> = set
            .iter()
            .map(|jobs| Outcome::of(jobs, scale, workers, scratch.as_deref_mut()))
            .collect();
        Outcome::mean(&runs)
    }

    /// Where the bracket starts: the scale at which the current workers
    /// would just clear the busiest minute's work within that minute. Real
    /// days fit within a few doublings of it (fewer evaluations than a
    /// fixed start).
    fn first_scale(&self) -> f64 {
        let peak = self.input.workload.peak_work(&self.input.cost);
        let guess = 60.0 * f64::from(self.input.workers) / peak;
        if guess.is_finite() && guess > 0.0 {
            guess.clamp(MIN_SCALE, MAX_SCALE)
        } else {
            1.0
        }
    }

    /// The mean simulated share under the observed edge on the day as it
    /// was: what the fit matches with the observed share.
    fn fit_share(&self, scale: f64) -> f64 {
        let (workers, edge) = (self.input.workers, self.input.observed_edge_s);
        let sum: f64 = self
            .base
            .iter()
            .map(|jobs| share_below(jobs, scale, workers, edge))
            .sum();
        sum / self.base.len().max(1) as f64
    }

    /// Does one bounded piece of work (one evaluation: [`REPLICATIONS`]
    /// simulated days, or drawing one replication). Returns whether the
    /// planner is done.
    pub fn step(&mut self) -> bool {
        self.steps += 1;
        let observed = self.input.observed_share;
        self.phase = match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::Draw(_)
                if self.input.workload.posts() == 0
                    || self.input.workers == 0
                    || !(0.0..=1.0).contains(&observed) =>
            {
                Phase::Done
            }
            Phase::Draw(i) => {
                let scenario = self.input.scenario;
                let root = Rng::new(SEED).fork_n(i as u64);
                let w = &self.input.workload;
                let cost = &self.input.cost;
                self.base
                    .push(w.jobs(cost, Scenario::default(), &mut root.fork("base")));
                if scenario.growth_pct != 0.0 {
                    let grown = scenario.without_spread();
                    self.grown
                        .push(w.jobs(cost, grown, &mut root.fork("grown")));
                }
                if scenario.spread_minutes > 1 {
                    self.spread
                        .push(w.jobs(cost, scenario, &mut root.fork("spread")));
                }
                self.steps = 0;
                if i + 1 < REPLICATIONS {
                    Phase::Draw(i + 1)
                } else {
                    Phase::Bracket {
                        lo: None,
                        hi: None,
                        next: self.first_scale(),
                    }
                }
            }
            Phase::Bracket {
                mut lo,
                mut hi,
                next,
            } => {
                if self.fit_share(next) >= observed {
                    lo = Some(next);
                } else {
                    hi = Some(next);
                }
                match (lo, hi) {
                    (Some(lo), Some(hi)) => Phase::Bisect {
                        lo,
                        hi,
                        left: BISECTIONS,
                    },
                    (Some(lo), None) if lo >= MAX_SCALE => self.fitted(lo, true),
                    (Some(lo), None) => Phase::Bracket {
                        lo: Some(lo),
                        hi: None,
                        next: lo * 2.0,
                    },
                    (None, Some(hi)) if hi <= MIN_SCALE => self.fitted(hi, true),
                    (None, hi) => Phase::Bracket {
                        lo: None,
                        hi,
                        next: next / 2.0,
                    },
                }
            }
            Phase::Bisect { lo, hi, left } => {
                let mid = (lo + hi) / 2.0;
                let (lo, hi) = if self.fit_share(mid) >= observed {
                    (mid, hi)
                } else {
                    (lo, mid)
                };
                if left <= 1 {
                    // The largest scale known to reach the observed share.
                    self.fitted(lo, false)
                } else {
                    Phase::Bisect {
                        lo,
                        hi,
                        left: left - 1,
                    }
                }
            }
            Phase::Current => {
                self.share_at_current =
                    Self::evaluate(&self.base, self.scale_s, self.input.workers, None)
                        .share_within_60s;
                Phase::Sweep { workers: 1 }
            }
            Phase::Sweep { workers } => self.sweep(workers),
            Phase::Done => Phase::Done,
        };
        self.is_done()
    }

    fn fitted(&mut self, scale: f64, at_limit: bool) -> Phase {
        self.scale_s = scale;
        self.at_limit = at_limit;
        Phase::Current
    }

    fn sweep(&mut self, workers: u32) -> Phase {
        let scale = self.scale_s;
        let main = if self.grown.is_empty() {
            &self.base
        } else {
            &self.grown
        };
        let outcome = Self::evaluate(main, scale, workers, Some(&mut self.scratch));
        let spread = (!self.spread.is_empty())
            .then(|| Self::evaluate(&self.spread, scale, workers, Some(&mut self.scratch)));
        self.rows.push(SweepRow {
            workers,
            outcome,
            spread,
        });
        let enough = outcome.share_within_60s >= ENOUGH
            && spread.is_none_or(|o| o.share_within_60s >= ENOUGH);
        if enough || workers >= self.max_workers() {
            self.finish();
            Phase::Done
        } else {
            Phase::Sweep {
                workers: workers + 1,
            }
        }
    }

    fn finish(&mut self) {
        let rows = std::mem::take(&mut self.rows);
        self.plan = Some(Plan {
            scale_s: self.scale_s,
            at_limit: self.at_limit,
            share_at_current: self.share_at_current,
            workers: self.input.workers,
            workers_95: Plan::reach(&rows, 0.95, false),
            workers_99: Plan::reach(&rows, 0.99, false),
            rows,
        });
        // The drawn days are no longer needed.
        self.base = Vec::new();
        self.grown = Vec::new();
        self.spread = Vec::new();
    }
}

/// Runs a planner to the end at once (tests, benchmarks).
pub fn plan(input: &PlanInput) -> Option<Plan> {
    let mut planner = Planner::new(input.clone());
    while !planner.step() {}
    planner.plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Media;

    /// A day shaped like the real ones: a trickle all day, a spike on the
    /// hour at 8:00, every media.
    fn day() -> Workload {
        let mut w = Workload::default();
        for minute in 420..600 {
            w.add(minute, Media::Text, 30);
            w.add(minute, Media::Image, 10);
            w.add(minute, Media::Link, 5);
            w.add(minute, Media::Video, 1);
        }
        w.add(480, Media::Text, 900);
        w.add(480, Media::Image, 300);
        w.add(480, Media::Video, 40);
        w
    }

    /// The observed share of a day generated with the model itself.
    fn observed(w: &Workload, scale: f64, workers: u32) -> f64 {
        let jobs = w.jobs(
            &MediaCost::default(),
            Scenario::default(),
            &mut Rng::new(99),
        );
        Outcome::of(&jobs, scale, workers, None).share_within_60s
    }

    #[test]
    fn the_fit_recovers_a_known_scale() {
        let w = day();
        for (scale, workers) in [(1.5, 4), (3.0, 10), (0.8, 2)] {
            let share = observed(&w, scale, workers);
            assert!((0.5..0.99).contains(&share), "{scale} {workers}: {share}");
            let input = PlanInput {
                workload: w.clone(),
                observed_share: share,
                observed_edge_s: 60.0,
                workers,
                cost: MediaCost::default(),
                scenario: Scenario::default(),
            };
            let p = plan(&input).unwrap();
            let err = (p.scale_s - scale).abs() / scale;
            assert!(
                err < 0.05,
                "scale {scale}, W {workers}: fitted {} ({:.1} %)",
                p.scale_s,
                err * 100.0
            );
            assert!(!p.at_limit);
            assert!((p.share_at_current - share).abs() < 0.005);
        }
    }

    /// A day whose bounds lack 60 s has its share counted below the bound
    /// that stands in (30 s, as with bounds 10, 30, 120): the fit matches the simulated share
    /// below that same bound and recovers the scale, and the share it then
    /// reports with the current workers is the one within 60 s. Read as a
    /// share within 60 s, the same figure fits a scale far too slow.
    #[test]
    fn the_fit_compares_the_share_below_the_edge_it_was_counted_at() {
        let w = day();
        let (scale, workers) = (2.0, 4);
        let jobs = w.jobs(
            &MediaCost::default(),
            Scenario::default(),
            &mut Rng::new(99),
        );
        let below_30 = share_below(&jobs, scale, workers, 30.0);
        let within_60 = share_below(&jobs, scale, workers, 60.0);
        assert!(within_60 - below_30 > 0.05, "{below_30} {within_60}");
        let fit = |edge: f64| {
            plan(&PlanInput {
                workload: w.clone(),
                observed_share: below_30,
                observed_edge_s: edge,
                workers,
                cost: MediaCost::default(),
                scenario: Scenario::default(),
            })
            .unwrap()
        };
        let exact = fit(30.0);
        let err = (exact.scale_s - scale).abs() / scale;
        assert!(
            err < 0.05,
            "fitted {} ({:.1} %)",
            exact.scale_s,
            err * 100.0
        );
        assert!(
            (exact.share_at_current - within_60).abs() < 0.005,
            "{} against {within_60}",
            exact.share_at_current
        );
        let as_if_60 = fit(60.0);
        assert!(
            as_if_60.scale_s > scale * 1.1,
            "read as within 60 s: {}",
            as_if_60.scale_s
        );
    }

    /// A day generated with scale 1 s and 10 workers: about 9 posts in 10
    /// within the minute, the 8:00 spike late.
    fn input(scenario: Scenario) -> PlanInput {
        PlanInput {
            workload: day(),
            observed_share: observed(&day(), 1.0, 10),
            observed_edge_s: 60.0,
            workers: 10,
            cost: MediaCost::default(),
            scenario,
        }
    }

    #[test]
    fn the_sweep_climbs_to_the_targets() {
        let want = input(Scenario::default()).observed_share;
        assert!((0.85..0.95).contains(&want), "{want}");
        let p = plan(&input(Scenario::default())).unwrap();
        assert_eq!(p.workers, 10);
        assert!(
            (p.share_at_current - want).abs() < 0.005,
            "{}",
            p.share_at_current
        );
        // The fit recovers the scale the day was generated with.
        assert!((p.scale_s - 1.0).abs() < 0.05, "{}", p.scale_s);
        let now = p.rows.iter().find(|r| r.workers == 10).unwrap();
        assert_eq!(now.outcome.share_within_60s, p.share_at_current);
        assert_eq!(p.rows.first().unwrap().workers, 1);
        // More workers never make things worse.
        for pair in p.rows.windows(2) {
            assert_eq!(pair[1].workers, pair[0].workers + 1);
            assert!(pair[1].outcome.share_within_60s >= pair[0].outcome.share_within_60s);
            assert!(pair[1].outcome.p95_s <= pair[0].outcome.p95_s);
            assert!(pair[1].outcome.count_ge_90s <= pair[0].outcome.count_ge_90s);
        }
        let (Reach::At(w95), Reach::At(w99)) = (p.workers_95, p.workers_99) else {
            panic!("targets not reached: {:?}", p);
        };
        assert!(10 < w95 && w95 <= w99 && w99 <= 40, "{w95} {w99}");
        let at = |w: u32| {
            p.rows
                .iter()
                .find(|r| r.workers == w)
                .unwrap()
                .outcome
                .share_within_60s
        };
        assert!(at(w95) >= 0.95 && at(w95 - 1) < 0.95);
        assert!(at(w99) >= 0.99 && at(w99 - 1) < 0.99);
        // Stopped at 99.9 % or at 4 × 10.
        let last = p.rows.last().unwrap();
        assert!(last.outcome.share_within_60s >= 0.999 || last.workers == 40);
        assert!(p
            .rows
            .iter()
            .rev()
            .skip(1)
            .all(|r| r.outcome.share_within_60s < 0.999));
        // The same input gives the same numbers.
        assert_eq!(plan(&input(Scenario::default())), Some(p));
    }

    #[test]
    fn growth_needs_more_workers_and_spreading_fewer() {
        let base = plan(&input(Scenario::default())).unwrap();
        let grown = plan(&input(Scenario {
            growth_pct: 50.0,
            spread_minutes: 1,
        }))
        .unwrap();
        // The fit is of the day as it was.
        assert_eq!(grown.scale_s, base.scale_s);
        assert_eq!(grown.share_at_current, base.share_at_current);
        assert!(grown.workers_95.count() > base.workers_95.count());
        let spread = plan(&input(Scenario {
            growth_pct: 0.0,
            spread_minutes: 5,
        }))
        .unwrap();
        assert_eq!(
            spread.rows.first().unwrap().outcome,
            base.rows.first().unwrap().outcome
        );
        let spread_95 = Plan::reach(&spread.rows, 0.95, true);
        assert!(
            spread_95.count() < base.workers_95.count(),
            "{spread_95:?} {:?}",
            base.workers_95
        );
    }

    #[test]
    fn targets_out_of_reach_say_more_than() {
        // One worker now, a very slow day: even 4 workers stay short.
        let p = plan(&PlanInput {
            observed_share: 0.05,
            observed_edge_s: 60.0,
            workers: 1,
            ..input(Scenario::default())
        })
        .unwrap();
        assert_eq!(p.rows.len(), 4);
        assert_eq!(p.workers_99, Reach::MoreThan(4));
        assert_eq!(p.workers_99.raw(), "gt:4");
        assert_eq!(p.workers_99.label(), "more than 4");
    }

    #[test]
    fn nothing_to_plan_gives_no_plan() {
        let none = |input: PlanInput| {
            let mut p = Planner::new(input);
            assert!(p.step());
            assert_eq!(p.progress(), 1.0);
            p.plan().is_none()
        };
        assert!(none(PlanInput {
            workload: Workload::default(),
            ..input(Scenario::default())
        }));
        assert!(none(PlanInput {
            workers: 0,
            ..input(Scenario::default())
        }));
        assert!(none(PlanInput {
            observed_share: f64::NAN,
            observed_edge_s: 60.0,
            ..input(Scenario::default())
        }));
    }

    #[test]
    fn every_sent_within_the_minute_fits_the_largest_such_scale() {
        let p = plan(&PlanInput {
            observed_share: 1.0,
            observed_edge_s: 60.0,
            ..input(Scenario::default())
        })
        .unwrap();
        assert_eq!(p.share_at_current, 1.0);
        assert!(!p.at_limit);
        // A little slower and some post would be late.
        let mut planner_input = input(Scenario::default());
        planner_input.observed_share = 1.0;
        let p2 = plan(&PlanInput {
            observed_share: 0.9999,
            observed_edge_s: 60.0,
            ..planner_input
        })
        .unwrap();
        assert!(p2.scale_s >= p.scale_s * 0.99);
    }

    #[test]
    fn progress_rises_to_one() {
        let mut planner = Planner::new(input(Scenario::default()));
        let mut last = planner.progress();
        assert_eq!(last, 0.0);
        while !planner.step() {
            let p = planner.progress();
            assert!(p >= last && p < 1.0, "{last} → {p}");
            last = p;
        }
        assert_eq!(planner.progress(), 1.0);
    }
}
