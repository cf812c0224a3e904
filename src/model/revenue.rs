//! Month-end MRR and its five movements, in total and by plan, from the
//! subscription events of `revenue/events.json`.
//!
//! # Contract
//!
//! - Events are ordered by `at`; events with the same `at` keep document
//!   order (a sort of `(at, document index)` pairs).
//! - The model covers every month from the month of the first event to the
//!   month of the last event, or to the `end` month the caller gives (events
//!   after it are ignored). No events, or an `end` before the first event,
//!   give a model with no months.
//! - A customer's **month-end MRR** for month M is the `mrr_cents` of its
//!   last event with `at < M.end()` (the first instant of M+1), 0 if none;
//!   its **month-end plan** is that event's plan.
//! - With `p` the MRR at the end of M−1 and `c` at the end of M, each
//!   customer has at most one movement in M ([`classify`]): `new` (`p = 0 <
//!   c`, never above 0 at an earlier month end, amount `c`), `reactivation`
//!   (`p = 0 < c`, above 0 at some earlier month end, amount `c`),
//!   `expansion` (`0 < p < c`, `c − p`), `contraction` (`0 < c < p`, `c −
//!   p`), `churn` (`p > 0 = c`, `−p`). A movement belongs to the plan at the
//!   end of M, churn to the plan at the end of M−1.
//! - **Plan switches.** A customer paying at both month ends (`p > 0`, `c >
//!   0`) whose plan changed from `P` to `C` also moves its old MRR between
//!   plans: a **leaving** row `−p` on `P` and an **entering** row `+p` on
//!   `C`; its expansion or contraction `c − p` (none when `c = p`) stays on
//!   `C`. So `C` gains `p + (c − p) = c` and `P` loses `p`. A switch that
//!   also starts or stops paying is just new, reactivation or churn: those
//!   rows already carry the whole amount on the right plan.
//! - Hence, for every plan and in total,
//!   `MRR(M) − MRR(M−1) = new + expansion + contraction + churn +
//!   reactivation + entering + leaving` ([`MonthFigures::net_change`]),
//!   with `MRR` before the first month 0. In the total row `entering` and
//!   `leaving` are the sums over plans (the MRR that switched plans) and
//!   cancel out.
//! - `customers_paying`: customers with month-end MRR above 0, counted on
//!   their month-end plan. [`MovementCounts`] counts the customers behind
//!   each row.
//! - Amounts are summed with wrapping `i64` arithmetic: exact whenever the
//!   true sums fit in `i64` (92 quadrillion dollars), never a panic.
//! - Events whose customer or plan id is outside the document's lists (only
//!   possible for a hand-built [`RevenueEvents`]) are ignored.
//!
//! # Cost
//!
//! One sort of the events, then one pass over them in time order with
//! per-customer state in a `Vec` indexed by customer id. At each month end
//! only the customers touched that month are looked at; per-plan running
//! totals are copied into the `[plan][month]` table. Time
//! `O(E log E + customers + months × plans)`, memory
//! `O(E + customers + months × plans)`.
//!
//! # Example
//!
//! ```
//! use pulse::api::{Month, RevenueEvents};
//! use pulse::model::revenue::RevenueModel;
//!
//! let doc = RevenueEvents::parse(r#"{"currency":"USD","events":[
//!   {"customer":"a","at":"2015-01-04T12:00:00Z","kind":"subscribe","plan":"awesome","mrr_cents":1000},
//!   {"customer":"a","at":"2015-03-10T09:30:00Z","kind":"change","plan":"business","mrr_cents":5000}
//! ]}"#).unwrap();
//! let model = RevenueModel::compute(&doc, None).unwrap();
//! let march = model.month_index(Month::parse("2015-03").unwrap()).unwrap();
//! assert_eq!(model.months.len(), 3);
//! assert_eq!(model.total[march].expansion, 4000);
//! assert_eq!(model.total[march].mrr_cents, 5000);
//! ```

use crate::api::{Event, Month, RevenueEvents, Timestamp};
use std::fmt;

/// At most this many `months × (plans + 1)` cells are computed (about
/// 50 MB of figures); more is refused with [`RevenueError::TooLarge`].
pub const MAX_CELLS: usize = 500_000;

/// The five movements of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Movement {
    /// From 0, never paid before.
    New,
    /// A higher MRR than before.
    Expansion,
    /// A lower MRR, not 0.
    Contraction,
    /// To 0.
    Churn,
    /// From 0, paid before.
    Reactivation,
}

/// The movement of one customer whose MRR went from `p` (end of M−1) to `c`
/// (end of M); `paid_before` says whether its MRR was above 0 at any month
/// end before M. `None` when the MRR did not move.
pub fn classify(p: i64, c: i64, paid_before: bool) -> Option<Movement> {
    match (p > 0, c > 0) {
        (false, true) if paid_before => Some(Movement::Reactivation),
        (false, true) => Some(Movement::New),
        (true, false) => Some(Movement::Churn),
        (true, true) if c > p => Some(Movement::Expansion),
        (true, true) if c < p => Some(Movement::Contraction),
        _ => None,
    }
}

/// How many customers are behind each row of [`MonthFigures`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MovementCounts {
    /// Customers new this month.
    pub new: u32,
    /// Customers who expanded.
    pub expansion: u32,
    /// Customers who contracted.
    pub contraction: u32,
    /// Customers who churned.
    pub churn: u32,
    /// Customers who came back.
    pub reactivation: u32,
    /// Customers who switched to this plan while paying.
    pub entering: u32,
    /// Customers who switched away from this plan while paying.
    pub leaving: u32,
}

/// One month of one plan (or of the total), in cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthFigures {
    /// Month-end MRR.
    pub mrr_cents: i64,
    /// Movements: `new`, `expansion`, `reactivation` are ≥ 0,
    /// `contraction`, `churn` ≤ 0.
    pub new: i64,
    /// MRR from expansion, cents.
    pub expansion: i64,
    /// MRR lost to contraction, cents (≤ 0).
    pub contraction: i64,
    /// MRR lost to churn, cents (≤ 0).
    pub churn: i64,
    /// MRR from reactivation, cents.
    pub reactivation: i64,
    /// MRR brought by customers switching to this plan (≥ 0).
    pub entering: i64,
    /// MRR taken by customers switching away from this plan (≤ 0).
    pub leaving: i64,
    /// Customers with month-end MRR above 0.
    pub customers_paying: u32,
    /// Customers per movement.
    pub counts: MovementCounts,
}

impl MonthFigures {
    /// The sum of the five movements.
    pub fn movements(&self) -> i64 {
        self.new
            .wrapping_add(self.expansion)
            .wrapping_add(self.contraction)
            .wrapping_add(self.churn)
            .wrapping_add(self.reactivation)
    }

    /// The five movements plus `entering` and `leaving`: equal to this
    /// month's MRR minus the previous month's.
    pub fn net_change(&self) -> i64 {
        self.movements()
            .wrapping_add(self.entering)
            .wrapping_add(self.leaving)
    }

    fn add(&mut self, o: &MonthFigures) {
        self.mrr_cents = self.mrr_cents.wrapping_add(o.mrr_cents);
        self.new = self.new.wrapping_add(o.new);
        self.expansion = self.expansion.wrapping_add(o.expansion);
        self.contraction = self.contraction.wrapping_add(o.contraction);
        self.churn = self.churn.wrapping_add(o.churn);
        self.reactivation = self.reactivation.wrapping_add(o.reactivation);
        self.entering = self.entering.wrapping_add(o.entering);
        self.leaving = self.leaving.wrapping_add(o.leaving);
        self.customers_paying = self.customers_paying.wrapping_add(o.customers_paying);
        let (c, d) = (&mut self.counts, &o.counts);
        c.new = c.new.wrapping_add(d.new);
        c.expansion = c.expansion.wrapping_add(d.expansion);
        c.contraction = c.contraction.wrapping_add(d.contraction);
        c.churn = c.churn.wrapping_add(d.churn);
        c.reactivation = c.reactivation.wrapping_add(d.reactivation);
        c.entering = c.entering.wrapping_add(d.entering);
        c.leaving = c.leaving.wrapping_add(d.leaving);
    }
}

/// Why no model was computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevenueError {
    /// `months × (plans + 1)` is above [`MAX_CELLS`] (events centuries
    /// apart, or a great many plans).
    TooLarge {
        /// Months the events span.
        months: usize,
        /// Plans the events name.
        plans: usize,
    },
    /// An event's time has no calendar month (not possible for a parsed
    /// document).
    BadTimestamp(Timestamp),
}

impl fmt::Display for RevenueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevenueError::TooLarge { months, plans } => write!(
                f,
                "{months} months × {plans} plans is too many to compute (at most {MAX_CELLS} cells)"
            ),
            RevenueError::BadTimestamp(t) => write!(f, "event time {} is out of range", t.0),
        }
    }
}

impl std::error::Error for RevenueError {}

/// MRR and movements per month, in total and per plan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RevenueModel {
    /// Consecutive months, ascending.
    pub months: Vec<Month>,
    /// Plan ids, as in the document.
    pub plans: Vec<String>,
    /// `[month]`.
    pub total: Vec<MonthFigures>,
    /// `[plan][month]`, plans in the order of [`RevenueModel::plans`].
    pub by_plan: Vec<Vec<MonthFigures>>,
    /// The month of the latest event, whether or not it is in `months`.
    pub last_event_month: Option<Month>,
}

/// `by_plan[plan][month]`, if both exist.
fn cell(by_plan: &mut [Vec<MonthFigures>], plan: usize, month: usize) -> Option<&mut MonthFigures> {
    by_plan.get_mut(plan).and_then(|row| row.get_mut(month))
}

/// Per-customer state during the pass.
#[derive(Clone, Copy, Default)]
struct Customer {
    /// Latest event so far, and when it happened.
    mrr: i64,
    plan: u32,
    at: i64,
    /// At the end of the previous month.
    prev_mrr: i64,
    prev_plan: u32,
    /// Above 0 at some month end already closed.
    paid_before: bool,
    /// In `touched` this month.
    touched: bool,
}

/// The indices of the `kept` events of each of the `n_months` months
/// from `first`, each month's in document order (events after the last
/// month are left out). The model needs no finer order: one pass where a
/// sort by instant would take n log n.
fn events_by_month(
    events: &[Event],
    kept: impl Fn(&Event) -> bool,
    first: Month,
    n_months: usize,
) -> Vec<Vec<usize>> {
    let mut months = vec![Vec::new(); n_months];
    for (i, e) in events.iter().enumerate().filter(|(_, e)| kept(e)) {
        let month =
            e.at.month()
                .and_then(|m| usize::try_from(first.months_until(m)).ok())
                .and_then(|m| months.get_mut(m));
        if let Some(month) = month {
            month.push(i);
        }
    }
    months
}

impl RevenueModel {
    /// Computes the model of a validated document, up to `end` (default:
    /// the month of the last event).
    pub fn compute(doc: &RevenueEvents, end: Option<Month>) -> Result<Self, RevenueError> {
        Self::from_events(doc.customers.len(), &doc.plans, &doc.events, end)
    }

    /// Computes the model of `events` whose customer ids are below
    /// `customers` and whose plan ids index `plans`.
    pub fn from_events(
        customers: usize,
        plans: &[String],
        events: &[Event],
        end: Option<Month>,
    ) -> Result<Self, RevenueError> {
        let n_plans = plans.len();
        let kept = |e: &Event| (e.customer as usize) < customers && (e.plan as usize) < n_plans;
        let mut model = RevenueModel {
            plans: plans.to_vec(),
            by_plan: vec![Vec::new(); n_plans],
            ..Self::default()
        };
        let span = events
            .iter()
            .filter(|e| kept(e))
            .fold(None, |span, e| match span {
                None => Some((e.at.0, e.at.0)),
                Some((lo, hi)) => Some((e.at.0.min(lo), e.at.0.max(hi))),
            });
        let Some((first_at, last_at)) = span else {
            return Ok(model);
        };
        let month_of = |at: i64| {
            Timestamp(at)
                .month()
                .ok_or(RevenueError::BadTimestamp(Timestamp(at)))
        };
        let first = month_of(first_at)?;
        let last_event = month_of(last_at)?;
        model.last_event_month = Some(last_event);
        let last = end.unwrap_or(last_event);
        let Ok(n_months) = usize::try_from(first.months_until(last) + 1) else {
            return Ok(model);
        };
        if n_months.saturating_mul(n_plans.saturating_add(1)) > MAX_CELLS {
            return Err(RevenueError::TooLarge {
                months: n_months,
                plans: n_plans,
            });
        }

        model.months = std::iter::successors(Some(first), |m| Some(m.next()))
            .take(n_months)
            .collect();
        model.by_plan = vec![vec![MonthFigures::default(); n_months]; n_plans];
        let by_month = events_by_month(events, kept, first, n_months);
        let mut state = vec![Customer::default(); customers];
        let mut touched: Vec<usize> = Vec::new();
        let mut plan_mrr = vec![0i64; n_plans];
        let mut plan_paying = vec![0u32; n_plans];

        for (mi, month_events) in by_month.iter().enumerate() {
            // Apply this month's events: only the latest per customer
            // counts (the later one in the document at the same instant;
            // a month's events come in document order).
            for &i in month_events {
                let Some(e) = events.get(i) else { continue };
                let id = e.customer as usize;
                if let Some(s) = state.get_mut(id) {
                    if s.touched && e.at.0 < s.at {
                        continue;
                    }
                    s.mrr = e.mrr_cents;
                    s.plan = e.plan;
                    s.at = e.at.0;
                    if !s.touched {
                        s.touched = true;
                        touched.push(id);
                    }
                }
            }
            // Close the month for the customers whose state may have moved.
            for &id in &touched {
                let Some(s) = state.get_mut(id) else { continue };
                let (p, pp, c, cp) = (s.prev_mrr, s.prev_plan as usize, s.mrr, s.plan as usize);
                let paid_before = s.paid_before;
                s.touched = false;
                s.prev_mrr = c;
                s.prev_plan = s.plan;
                s.paid_before |= c > 0;
                if p > 0 {
                    if let (Some(m), Some(n)) = (plan_mrr.get_mut(pp), plan_paying.get_mut(pp)) {
                        *m = m.wrapping_sub(p);
                        *n = n.wrapping_sub(1);
                    }
                }
                if c > 0 {
                    if let (Some(m), Some(n)) = (plan_mrr.get_mut(cp), plan_paying.get_mut(cp)) {
                        *m = m.wrapping_add(c);
                        *n = n.wrapping_add(1);
                    }
                }
                match classify(p, c, paid_before) {
                    None => {}
                    Some(Movement::Churn) => {
                        if let Some(f) = cell(&mut model.by_plan, pp, mi) {
                            f.churn = f.churn.wrapping_sub(p);
                            f.counts.churn = f.counts.churn.wrapping_add(1);
                        }
                    }
                    Some(kind) => {
                        if let Some(f) = cell(&mut model.by_plan, cp, mi) {
                            let (amount, count) = match kind {
                                Movement::New => (&mut f.new, &mut f.counts.new),
                                Movement::Reactivation => {
                                    (&mut f.reactivation, &mut f.counts.reactivation)
                                }
                                Movement::Expansion => (&mut f.expansion, &mut f.counts.expansion),
                                // Churn is handled above.
                                Movement::Contraction | Movement::Churn => {
                                    (&mut f.contraction, &mut f.counts.contraction)
                                }
                            };
                            *amount = amount.wrapping_add(if p > 0 { c - p } else { c });
                            *count = count.wrapping_add(1);
                        }
                    }
                }
                if p > 0 && c > 0 && pp != cp {
                    if let Some(f) = cell(&mut model.by_plan, pp, mi) {
                        f.leaving = f.leaving.wrapping_sub(p);
                        f.counts.leaving = f.counts.leaving.wrapping_add(1);
                    }
                    if let Some(f) = cell(&mut model.by_plan, cp, mi) {
                        f.entering = f.entering.wrapping_add(p);
                        f.counts.entering = f.counts.entering.wrapping_add(1);
                    }
                }
            }
            touched.clear();
            // Month-end snapshot of the running per-plan totals.
            let mut total = MonthFigures::default();
            for ((row, &m), &n) in model.by_plan.iter_mut().zip(&plan_mrr).zip(&plan_paying) {
                if let Some(f) = row.get_mut(mi) {
                    f.mrr_cents = m;
                    f.customers_paying = n;
                    total.add(f);
                }
            }
            model.total.push(total);
        }
        Ok(model)
    }

    /// The index of `month` in [`RevenueModel::months`].
    pub fn month_index(&self, month: Month) -> Option<usize> {
        let first = *self.months.first()?;
        let i = usize::try_from(first.months_until(month)).ok()?;
        (i < self.months.len()).then_some(i)
    }

    /// The index of the plan with id `id`.
    pub fn plan_index(&self, id: &str) -> Option<usize> {
        self.plans.iter().position(|p| p == id)
    }

    /// The figures of every month: of one plan, or the total for `None`.
    pub fn figures(&self, plan: Option<usize>) -> Option<&[MonthFigures]> {
        match plan {
            None => Some(&self.total),
            Some(p) => self.by_plan.get(p).map(Vec::as_slice),
        }
    }

    /// The figures of one month: of one plan, or the total for `None`.
    pub fn at(&self, plan: Option<usize>, month: Month) -> Option<&MonthFigures> {
        self.figures(plan)?.get(self.month_index(month)?)
    }

    /// Total month-end MRR of any month: 0 before the first month (there
    /// was no event yet), the last month's MRR after it when no event was
    /// left out by `end` (none follow), `None` otherwise.
    pub fn mrr_at(&self, month: Month) -> Option<i64> {
        let (Some(&first), Some(&last)) = (self.months.first(), self.months.last()) else {
            // No months: no events at all, or all after `end`.
            return self.last_event_month.is_none().then_some(0);
        };
        if month < first {
            Some(0)
        } else if month > last {
            let complete = self.last_event_month.is_some_and(|m| m <= last);
            complete.then(|| self.total.last().map_or(0, |f| f.mrr_cents))
        } else {
            self.at(None, month).map(|f| f.mrr_cents)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::EventKind;
    use proptest::prelude::*;

    fn month(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    /// A document from `(customer, at, kind, plan, mrr)` rows.
    fn doc(rows: &[(&str, &str, &str, &str, i64)]) -> RevenueEvents {
        let events: Vec<String> = rows
            .iter()
            .map(|(c, at, k, p, m)| {
                format!(
                    r#"{{"customer":"{c}","at":"{at}","kind":"{k}","plan":"{p}","mrr_cents":{m}}}"#
                )
            })
            .collect();
        RevenueEvents::parse(&format!(
            r#"{{"currency":"USD","events":[{}]}}"#,
            events.join(",")
        ))
        .unwrap()
    }

    fn fig(m: &RevenueModel, plan: Option<&str>, mo: &str) -> MonthFigures {
        let p = plan.map(|p| m.plan_index(p).unwrap());
        *m.at(p, month(mo)).unwrap()
    }

    #[test]
    fn the_contract_example() {
        let d = doc(&[
            (
                "cus_0001",
                "2015-01-04T12:00:00Z",
                "subscribe",
                "awesome",
                1000,
            ),
            (
                "cus_0001",
                "2015-06-10T09:30:00Z",
                "change",
                "business",
                5000,
            ),
            ("cus_0001", "2016-02-01T00:00:00Z", "cancel", "business", 0),
        ]);
        let m = RevenueModel::compute(&d, None).unwrap();
        assert_eq!(m.months.len(), 14);
        assert_eq!(m.months[0], month("2015-01"));
        assert_eq!(*m.months.last().unwrap(), month("2016-02"));

        let jan = fig(&m, None, "2015-01");
        assert_eq!(
            (jan.new, jan.mrr_cents, jan.customers_paying),
            (1000, 1000, 1)
        );
        assert_eq!(jan.counts.new, 1);
        assert_eq!(fig(&m, Some("awesome"), "2015-01").new, 1000);
        assert_eq!(
            fig(&m, Some("business"), "2015-01"),
            MonthFigures::default()
        );

        // Nothing moves while nothing happens.
        let may = fig(&m, None, "2015-05");
        assert_eq!(may.mrr_cents, 1000);
        assert_eq!(may.net_change(), 0);
        assert_eq!(may.counts, MovementCounts::default());

        // June: expansion 4000 on business, 1000 moved from awesome.
        let aw = fig(&m, Some("awesome"), "2015-06");
        let bu = fig(&m, Some("business"), "2015-06");
        let to = fig(&m, None, "2015-06");
        assert_eq!(
            (aw.leaving, aw.mrr_cents, aw.customers_paying),
            (-1000, 0, 0)
        );
        assert_eq!(aw.movements(), 0);
        assert_eq!(
            (bu.expansion, bu.entering, bu.mrr_cents),
            (4000, 1000, 5000)
        );
        assert_eq!(
            (bu.counts.expansion, bu.counts.entering, aw.counts.leaving),
            (1, 1, 1)
        );
        assert_eq!((to.expansion, to.entering, to.leaving), (4000, 1000, -1000));
        assert_eq!((to.net_change(), to.mrr_cents), (4000, 5000));

        // Cancelled at the first instant of February: churn in February.
        let jan16 = fig(&m, None, "2016-01");
        assert_eq!((jan16.mrr_cents, jan16.churn), (5000, 0));
        let feb = fig(&m, Some("business"), "2016-02");
        assert_eq!((feb.churn, feb.mrr_cents, feb.counts.churn), (-5000, 0, 1));
        assert_eq!(fig(&m, Some("awesome"), "2016-02").churn, 0);
        assert_eq!(fig(&m, None, "2016-02").customers_paying, 0);
    }

    #[test]
    fn reactivation_contraction_and_a_switch_that_churns() {
        let d = doc(&[
            ("a", "2020-01-10T00:00:00Z", "subscribe", "basic", 3000),
            ("a", "2020-02-10T00:00:00Z", "change", "basic", 2000),
            ("a", "2020-03-10T00:00:00Z", "cancel", "pro", 0),
            ("a", "2020-05-31T23:59:59.999Z", "subscribe", "pro", 9000),
            ("b", "2020-05-02T00:00:00Z", "subscribe", "pro", 500),
        ]);
        let m = RevenueModel::compute(&d, None).unwrap();
        let feb = fig(&m, Some("basic"), "2020-02");
        assert_eq!((feb.contraction, feb.counts.contraction), (-1000, 1));
        assert_eq!((feb.mrr_cents, feb.net_change()), (2000, -1000));
        // The cancel names another plan: churn stays on the plan of February.
        let mar_basic = fig(&m, Some("basic"), "2020-03");
        assert_eq!((mar_basic.churn, mar_basic.leaving), (-2000, 0));
        assert_eq!(fig(&m, Some("pro"), "2020-03").entering, 0);
        assert_eq!(fig(&m, None, "2020-04").mrr_cents, 0);
        let may = fig(&m, Some("pro"), "2020-05");
        assert_eq!((may.reactivation, may.new), (9000, 500));
        assert_eq!((may.counts.reactivation, may.counts.new), (1, 1));
        assert_eq!((may.mrr_cents, may.customers_paying), (9500, 2));
    }

    #[test]
    fn subscribe_and_cancel_in_one_month_is_no_movement() {
        let d = doc(&[
            ("a", "2021-03-01T00:00:00Z", "subscribe", "x", 1000),
            ("a", "2021-03-20T00:00:00Z", "cancel", "x", 0),
            ("b", "2021-04-02T00:00:00Z", "subscribe", "x", 700),
        ]);
        let m = RevenueModel::compute(&d, None).unwrap();
        assert_eq!(fig(&m, None, "2021-03"), MonthFigures::default());
        // "a" never paid at a month end, so a later subscribe is new.
        let d2 = doc(&[
            ("a", "2021-03-01T00:00:00Z", "subscribe", "x", 1000),
            ("a", "2021-03-20T00:00:00Z", "cancel", "x", 0),
            ("a", "2021-04-02T00:00:00Z", "subscribe", "x", 700),
        ]);
        let m2 = RevenueModel::compute(&d2, None).unwrap();
        let apr = fig(&m2, None, "2021-04");
        assert_eq!((apr.new, apr.reactivation), (700, 0));
    }

    #[test]
    fn switch_at_the_same_price_and_ties_keep_document_order() {
        let d = doc(&[
            ("a", "2019-01-01T00:00:00Z", "subscribe", "x", 1000),
            ("a", "2019-02-05T00:00:00Z", "change", "y", 1000),
            // Same instant: the later line wins.
            ("a", "2019-03-05T00:00:00Z", "change", "x", 1500),
            ("a", "2019-03-05T00:00:00Z", "change", "y", 800),
        ]);
        let m = RevenueModel::compute(&d, None).unwrap();
        let (x, y) = (fig(&m, Some("x"), "2019-02"), fig(&m, Some("y"), "2019-02"));
        assert_eq!(
            (x.leaving, y.entering, x.movements(), y.movements()),
            (-1000, 1000, 0, 0)
        );
        let mar = fig(&m, Some("y"), "2019-03");
        assert_eq!(
            (mar.contraction, mar.mrr_cents, mar.entering),
            (-200, 800, 0)
        );
    }

    #[test]
    fn end_month_and_mrr_outside_the_range() {
        let d = doc(&[
            ("a", "2019-01-01T00:00:00Z", "subscribe", "x", 1000),
            ("a", "2019-03-05T00:00:00Z", "change", "x", 3000),
        ]);
        let longer = RevenueModel::compute(&d, Some(month("2019-06"))).unwrap();
        assert_eq!(longer.months.len(), 6);
        assert_eq!(fig(&longer, None, "2019-06").mrr_cents, 3000);
        assert_eq!(longer.mrr_at(month("2018-12")), Some(0));
        assert_eq!(longer.mrr_at(month("2030-01")), Some(3000));
        let shorter = RevenueModel::compute(&d, Some(month("2019-02"))).unwrap();
        assert_eq!(shorter.months.len(), 2);
        assert_eq!(shorter.mrr_at(month("2019-02")), Some(1000));
        assert_eq!(shorter.mrr_at(month("2019-03")), None);
        let before = RevenueModel::compute(&d, Some(month("2018-02"))).unwrap();
        assert!(before.months.is_empty() && before.total.is_empty());
        assert_eq!(before.mrr_at(month("2019-03")), None);
        assert_eq!(before.month_index(month("2019-01")), None);
        let none = RevenueModel::compute(&doc(&[]), None).unwrap();
        assert!(none.months.is_empty());
        assert_eq!(none.mrr_at(month("2019-03")), Some(0));
    }

    #[test]
    fn refuses_absurd_spans_and_ignores_unknown_ids() {
        let mut rows = vec![
            ("a", "0001-01-01T00:00:00Z", "subscribe", "x", 1),
            ("a", "9999-12-31T23:59:59Z", "cancel", "x", 0),
        ];
        // 119,988 months × 2 cells is fine …
        let wide = RevenueModel::compute(&doc(&rows), None).unwrap();
        assert_eq!(wide.months.len(), 119_988);
        assert_eq!(wide.total[119_987].churn, -1);
        // … × 5 is not.
        rows.extend([("b", "2000-01-01T00:00:00Z", "subscribe", "y", 1)]);
        rows.extend([("b", "2000-01-01T00:00:00Z", "subscribe", "z", 1)]);
        rows.extend([("b", "2000-01-01T00:00:00Z", "subscribe", "w", 1)]);
        assert!(matches!(
            RevenueModel::compute(&doc(&rows), None),
            Err(RevenueError::TooLarge {
                months: 119_988,
                plans: 4
            })
        ));
        let mut d = doc(&[("a", "2019-01-01T00:00:00Z", "subscribe", "x", 1000)]);
        d.events.push(Event {
            customer: 7,
            plan: 0,
            ..d.events[0]
        });
        d.events.push(Event {
            customer: 0,
            plan: 9,
            ..d.events[0]
        });
        let m = RevenueModel::compute(&d, None).unwrap();
        assert_eq!(m.total[0].mrr_cents, 1000);
    }

    // ---- Property tests against a naive reference ----

    /// The contract, literally: month-end MRR by scanning all events, for
    /// every month and customer. Returns `[month][customer] = (mrr, plan)`.
    fn month_ends(
        customers: usize,
        events: &[Event],
        months: &[Month],
    ) -> Vec<Vec<(i64, Option<u32>)>> {
        let mut sorted: Vec<&Event> = events.iter().collect();
        sorted.sort_by_key(|e| e.at); // stable
        months
            .iter()
            .map(|m| {
                let mut row = vec![(0, None); customers];
                for e in sorted.iter().filter(|e| e.at < m.end()) {
                    row[e.customer as usize] = (e.mrr_cents, Some(e.plan));
                }
                row
            })
            .collect()
    }

    /// Random documents: few customers and plans, months over two years,
    /// coarse times so that ties and month-boundary instants are common.
    fn arb_events() -> impl Strategy<Value = (usize, usize, Vec<Event>)> {
        (1usize..6, 1usize..4).prop_flat_map(|(nc, np)| {
            let event = (
                0..nc as u32,
                0i32..24,
                prop::sample::select(vec![0i64, 1, 86_399_999, 86_400_000 * 14]),
                0u8..3,
                0..np as u32,
                prop::sample::select(vec![0i64, 500, 1000, 2000, 5000]),
            )
                .prop_map(|(customer, mo, offset, kind, plan, mrr)| {
                    let m = Month::new(2015 + mo / 12, (mo % 12) as u32 + 1).unwrap();
                    let (kind, mrr_cents) = match kind {
                        0 => (EventKind::Subscribe, mrr),
                        1 => (EventKind::Change, mrr),
                        _ => (EventKind::Cancel, 0),
                    };
                    Event {
                        customer,
                        at: Timestamp(m.start().0 + offset),
                        kind,
                        plan,
                        mrr_cents,
                    }
                });
            (Just(nc), Just(np), prop::collection::vec(event, 0..40))
        })
    }

    fn plan_names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("p{i}")).collect()
    }

    /// Reorders `events` by `perm`, then puts events with equal `at` back
    /// in their original relative order.
    fn shuffle_keeping_ties(events: &[Event], perm: &[usize]) -> Vec<Event> {
        let mut out: Vec<Event> = perm.iter().map(|&i| events[i]).collect();
        let mut seen = std::collections::HashSet::new();
        for e in events {
            if !seen.insert(e.at) {
                continue;
            }
            let originals: Vec<Event> = events.iter().filter(|x| x.at == e.at).copied().collect();
            let slots: Vec<usize> = (0..out.len()).filter(|&i| out[i].at == e.at).collect();
            for (slot, ev) in slots.into_iter().zip(originals) {
                out[slot] = ev;
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn movements_add_up_and_match_the_contract((nc, np, events) in arb_events()) {
            let plans = plan_names(np);
            let m = RevenueModel::from_events(nc, &plans, &events, None).unwrap();
            let ends = month_ends(nc, &events, &m.months);
            let mut paid_before = vec![false; nc];
            for (mi, row) in ends.iter().enumerate() {
                let prev_row = if mi == 0 { vec![(0, None); nc] } else { ends[mi - 1].clone() };
                // Reference figures, one movement per customer at most.
                let mut want = vec![MonthFigures::default(); np];
                for (cu, (&(c, cp), &(p, pp))) in row.iter().zip(&prev_row).enumerate() {
                    if c > 0 {
                        let f = &mut want[cp.unwrap() as usize];
                        f.mrr_cents += c;
                        f.customers_paying += 1;
                    }
                    let mv = classify(p, c, paid_before[cu]);
                    let on = |plan: Option<u32>| plan.unwrap() as usize;
                    match mv {
                        Some(Movement::New) => { want[on(cp)].new += c; want[on(cp)].counts.new += 1; }
                        Some(Movement::Reactivation) => { want[on(cp)].reactivation += c; want[on(cp)].counts.reactivation += 1; }
                        Some(Movement::Expansion) => { want[on(cp)].expansion += c - p; want[on(cp)].counts.expansion += 1; }
                        Some(Movement::Contraction) => { want[on(cp)].contraction += c - p; want[on(cp)].counts.contraction += 1; }
                        Some(Movement::Churn) => { want[on(pp)].churn -= p; want[on(pp)].counts.churn += 1; }
                        None => prop_assert!(p == c || (p <= 0 && c <= 0)),
                    }
                    if p > 0 && c > 0 && pp != cp {
                        want[on(pp)].leaving -= p; want[on(pp)].counts.leaving += 1;
                        want[on(cp)].entering += p; want[on(cp)].counts.entering += 1;
                    }
                    paid_before[cu] |= c > 0;
                }
                let mut want_total = MonthFigures::default();
                for (pi, w) in want.iter().enumerate() {
                    prop_assert_eq!(&m.by_plan[pi][mi], w, "plan {} month {}", pi, m.months[mi]);
                    want_total.add(w);
                }
                prop_assert_eq!(&m.total[mi], &want_total);

                // The movements add up, per plan and in total.
                for series in m.by_plan.iter().chain(std::iter::once(&m.total)) {
                    let before = if mi == 0 { 0 } else { series[mi - 1].mrr_cents };
                    prop_assert_eq!(series[mi].mrr_cents - before, series[mi].net_change());
                }
                prop_assert_eq!(m.total[mi].entering + m.total[mi].leaving, 0);
                // No customer counted in two movements: the movement counts
                // are exactly the customers whose MRR moved.
                let c = m.total[mi].counts;
                let moved = row.iter().zip(&prev_row).filter(|(a, b)| a.0 != b.0).count() as u32;
                prop_assert_eq!(c.new + c.expansion + c.contraction + c.churn + c.reactivation, moved);
            }
        }

        #[test]
        fn order_of_the_document_does_not_matter_except_for_ties(
            (nc, np, events, perm) in arb_events().prop_flat_map(|(nc, np, ev)| {
                let n = ev.len();
                (Just(nc), Just(np), Just(ev), Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
            })
        ) {
            let plans = plan_names(np);
            let shuffled = shuffle_keeping_ties(&events, &perm);
            let a = RevenueModel::from_events(nc, &plans, &events, None).unwrap();
            let b = RevenueModel::from_events(nc, &plans, &shuffled, None).unwrap();
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    #[ignore = "timing: run with --release --ignored"]
    fn scale_100k_customers_500k_events() {
        let (customers, plans) = (100_000u32, plan_names(4));
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let start = ts("2012-01-01T00:00:00Z").0;
        let events: Vec<Event> = (0..500_000)
            .map(|_| {
                let r = rand();
                Event {
                    customer: (r % u64::from(customers)) as u32,
                    at: Timestamp(start + (rand() % (86_400_000 * 365 * 5)) as i64),
                    kind: EventKind::Change,
                    plan: (r >> 40) as u32 % 4,
                    mrr_cents: ((r >> 20) % 5) as i64 * 1000,
                }
            })
            .collect();
        let t = std::time::Instant::now();
        let m = RevenueModel::from_events(customers as usize, &plans, &events, None).unwrap();
        eprintln!("{} months in {:?}", m.months.len(), t.elapsed());
        assert_eq!(m.months.len(), 60);
    }
}
