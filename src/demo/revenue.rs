//! `revenue/events.json`: two years of subscription history for about
//! 5,000 customers (subscriptions, upgrades, downgrades, plan switches,
//! cancellations and a few reactivations), and the MRR "another system"
//! reported: right until early 2016, then about 25,000 USD too high.

use super::month;
use super::rng::Rng;
use crate::api::{Month, Timestamp};
use serde::Serialize;

/// Plans as `(id, name)`, cheapest first.
pub const PLANS: [(&str, &str); 4] = [
    ("awesome", "Awesome"),
    ("small-business", "Small Business"),
    ("business", "Business"),
    ("enterprise", "Enterprise"),
];

const AWESOME: usize = 0;
const SMALL_BUSINESS: usize = 1;
const BUSINESS: usize = 2;
const ENTERPRISE: usize = 3;

/// The first month with events.
pub fn first_month() -> Month {
    month(2014, 9)
}

/// The last month with events.
pub fn last_month() -> Month {
    month(2016, 8)
}

/// From this month on the reported MRR is too high.
pub fn gap_month() -> Month {
    month(2016, 3)
}

/// Customers at scale 1.
pub const CUSTOMERS: u32 = 5_000;

/// How much the reported MRR overstates it from [`gap_month`] on, in cents
/// at scale 1 (±8 % month to month).
pub const GAP_CENTS: i64 = 2_500_000;

/// Monthly churn chance per plan.
const CHURN: [f64; 4] = [0.045, 0.03, 0.02, 0.012];
/// Monthly chance of a plan change while subscribed.
const CHANGE: f64 = 0.025;
/// Share of changes that are upgrades.
const UPGRADE: f64 = 0.65;
/// Monthly chance that a cancelled customer comes back.
const COME_BACK: f64 = 0.02;

/// A generated event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenEvent {
    /// The customer's number.
    pub customer: u32,
    /// Milliseconds since the epoch.
    pub at: i64,
    /// `subscribe`, `change` or `cancel`.
    pub kind: &'static str,
    /// The plan, an index into `PLANS`.
    pub plan: usize,
    /// The MRR after the event, in cents.
    pub mrr_cents: i64,
}

/// All months from [`first_month`] to [`last_month`].
pub fn months() -> Vec<Month> {
    let mut out = vec![first_month()];
    while let Some(&m) = out.last() {
        if m >= last_month() {
            break;
        }
        out.push(m.next());
    }
    out
}

/// A monthly price in cents for a plan, with seats and billing variations.
fn price(rng: &mut Rng, plan: usize) -> i64 {
    match plan {
        AWESOME => {
            if rng.chance(0.3) {
                850 // billed yearly
            } else {
                1000
            }
        }
        SMALL_BUSINESS => 5000 + 1000 * rng.below(5) as i64,
        BUSINESS => {
            let [low, mid, high] = [9900, 19900, 39900];
            match rng.weighted(&[0.6, 0.3, 0.1]) {
                0 => low,
                1 => mid,
                _ => high,
            }
        }
        _ => 49_900 + 2_500 * rng.below(31) as i64,
    }
}

fn first_plan(rng: &mut Rng) -> usize {
    rng.weighted(&[0.57, 0.23, 0.17, 0.03])
}

/// A new (plan, price) for a change, or `None` when none was found.
fn change(rng: &mut Rng, plan: usize, mrr: i64) -> Option<(usize, i64)> {
    let up = rng.chance(UPGRADE);
    let targets: [usize; 2] = match (plan, up) {
        (AWESOME, true) => [SMALL_BUSINESS, BUSINESS],
        (AWESOME, false) => [AWESOME, AWESOME],
        (SMALL_BUSINESS, true) => [SMALL_BUSINESS, BUSINESS],
        (SMALL_BUSINESS, false) => [AWESOME, SMALL_BUSINESS],
        (BUSINESS, true) => [BUSINESS, ENTERPRISE],
        (BUSINESS, false) => [SMALL_BUSINESS, BUSINESS],
        (_, true) => [ENTERPRISE, ENTERPRISE],
        (_, false) => [BUSINESS, ENTERPRISE],
    };
    for _ in 0..20 {
        let [first, second] = targets;
        let to = if rng.below(2) == 0 { first } else { second };
        let p = price(rng, to);
        if (up && p > mrr) || (!up && p < mrr) {
            return Some((to, p));
        }
    }
    None
}

/// New customers per month: growing from about 100 to about 280 at
/// scale 1, adding up to `total` exactly.
fn signups(total: u32, months: usize) -> Vec<u32> {
    let weights: Vec<f64> = (0..months)
        .map(|k| 1.0 + 1.8 * k as f64 / (months.max(2) - 1) as f64)
        .collect();
    let sum: f64 = weights.iter().sum();
    let mut out: Vec<u32> = weights
        .iter()
        .map(|w| (f64::from(total) * w / sum) as u32)
        .collect();
    let short = total - out.iter().sum::<u32>();
    if let Some(last) = out.last_mut() {
        *last += short;
    }
    out
}

/// A random instant inside `month`, away from its edges.
fn time_in(rng: &mut Rng, month: Month) -> i64 {
    let day = rng.below(28) as i64;
    let second = rng.range(60, 86_340) as i64;
    month.start().0 + (day * 86_400 + second) * 1000
}

/// Simulates the customers; events in customer order, each customer's in
/// time order.
pub fn simulate(scale: u32, rng: &Rng) -> Vec<GenEvent> {
    let months = months();
    let mut events = Vec::new();
    let mut customer = 0u32;
    for (m0, &n) in signups(CUSTOMERS * scale, months.len()).iter().enumerate() {
        let (Some(&start), Some(later)) = (months.get(m0), months.get(m0 + 1..)) else {
            continue;
        };
        for _ in 0..n {
            customer += 1;
            let mut rng = rng.fork_n(u64::from(customer));
            let mut push = |at, kind, plan, mrr_cents| {
                events.push(GenEvent {
                    customer,
                    at,
                    kind,
                    plan,
                    mrr_cents,
                })
            };
            let plan = first_plan(&mut rng);
            let mrr = price(&mut rng, plan);
            push(time_in(&mut rng, start), "subscribe", plan, mrr);
            let mut state = Some((plan, mrr));
            let mut last_plan = plan;
            for &month in later {
                match state {
                    Some((plan, mrr)) => {
                        if rng.chance(CHURN.get(plan).copied().unwrap_or_default()) {
                            push(time_in(&mut rng, month), "cancel", plan, 0);
                            state = None;
                            last_plan = plan;
                        } else if rng.chance(CHANGE) {
                            if let Some((to, p)) = change(&mut rng, plan, mrr) {
                                push(time_in(&mut rng, month), "change", to, p);
                                state = Some((to, p));
                            }
                        }
                    }
                    None => {
                        if rng.chance(COME_BACK) {
                            let plan = if rng.chance(0.7) {
                                last_plan
                            } else {
                                first_plan(&mut rng)
                            };
                            let mrr = price(&mut rng, plan);
                            push(time_in(&mut rng, month), "subscribe", plan, mrr);
                            state = Some((plan, mrr));
                        }
                    }
                }
            }
        }
    }
    events
}

/// Month-end MRR computed from events, per the contract: for each month,
/// the sum over customers of the `mrr_cents` of their last event at or
/// before the month's end (ties in list order).
pub fn event_mrr(events: &[GenEvent], months: &[Month]) -> Vec<i64> {
    let mut order: Vec<&GenEvent> = events.iter().collect();
    order.sort_by_key(|e| e.at);
    let customers = events.iter().map(|e| e.customer).max().unwrap_or(0) as usize;
    let mut current = vec![0i64; customers + 1];
    let mut total = 0i64;
    let mut next = order.iter().peekable();
    months
        .iter()
        .map(|m| {
            let end = m.end().0;
            while let Some(e) = next.next_if(|e| e.at < end) {
                if let Some(slot) = current.get_mut(e.customer as usize) {
                    total += e.mrr_cents - *slot;
                    *slot = e.mrr_cents;
                }
            }
            total
        })
        .collect()
}

/// The reported MRR: the event MRR until [`gap_month`], then too high by
/// about [`GAP_CENTS`] × scale, rounded to whole dollars.
pub fn reported_mrr(event_mrr: &[i64], months: &[Month], scale: u32, rng: &Rng) -> Vec<i64> {
    let mut rng = rng.fork("reported");
    event_mrr
        .iter()
        .zip(months)
        .map(|(&mrr, &m)| {
            if m < gap_month() {
                mrr
            } else {
                let gap = GAP_CENTS as f64 * f64::from(scale) * rng.range_f64(0.92, 1.08);
                mrr + (gap / 100.0) as i64 * 100
            }
        })
        .collect()
}

#[derive(Serialize)]
struct EventDoc<'a> {
    customer: String,
    at: String,
    kind: &'a str,
    plan: &'a str,
    mrr_cents: i64,
}

#[derive(Serialize)]
struct Reported {
    months: Vec<String>,
    mrr_cents: Vec<i64>,
}

#[derive(Serialize)]
struct EventsDoc<'a> {
    currency: &'a str,
    events: Vec<EventDoc<'a>>,
    reported_mrr: Reported,
}

/// The events document. Events are listed by time, with a few swapped
/// with a near neighbour (the contract allows any order).
pub fn document(scale: u32, rng: &Rng) -> serde_json::Result<Vec<u8>> {
    let rng = rng.fork("revenue");
    let events = simulate(scale, &rng);
    let months = months();
    let mrr = event_mrr(&events, &months);
    let reported = reported_mrr(&mrr, &months, scale, &rng);
    let mut listed: Vec<&GenEvent> = events.iter().collect();
    listed.sort_by_key(|e| e.at);
    let mut shuffle = rng.fork("order");
    for i in 0..listed.len().saturating_sub(4) {
        if shuffle.chance(0.03) {
            let j = i + 1 + shuffle.below(3) as usize;
            listed.swap(i, j);
        }
    }
    let doc = EventsDoc {
        currency: "USD",
        events: listed
            .iter()
            .map(|e| EventDoc {
                customer: format!("cus_{:04}", e.customer),
                at: Timestamp(e.at).to_string(),
                kind: e.kind,
                plan: PLANS.get(e.plan).map_or("", |p| p.0),
                mrr_cents: e.mrr_cents,
            })
            .collect(),
        reported_mrr: Reported {
            months: months.iter().map(Month::to_string).collect(),
            mrr_cents: reported,
        },
    };
    serde_json::to_vec(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_four_months() {
        let m = months();
        assert_eq!(m.len(), 24);
        assert_eq!(m[0].to_string(), "2014-09");
        assert_eq!(m[23].to_string(), "2016-08");
    }

    #[test]
    fn signups_add_up_and_grow() {
        let s = signups(5_000, 24);
        assert_eq!(s.iter().sum::<u32>(), 5_000);
        assert!(s[23] > 2 * s[0]);
    }

    #[test]
    fn event_mrr_takes_the_last_event_before_each_month_end() {
        let m = |y, n| Month::new(y, n).unwrap();
        let at = |s: &str| Timestamp::parse(s).unwrap().0;
        let ev = |customer, t: &str, kind, mrr_cents| GenEvent {
            customer,
            at: at(t),
            kind,
            plan: 0,
            mrr_cents,
        };
        let events = [
            ev(1, "2015-01-04T12:00:00Z", "subscribe", 1000),
            ev(2, "2015-02-10T00:00:00Z", "subscribe", 5000),
            ev(1, "2015-02-27T00:00:00Z", "change", 9900),
            ev(1, "2015-03-31T23:59:59Z", "cancel", 0),
        ];
        let months = [m(2014, 12), m(2015, 1), m(2015, 2), m(2015, 3), m(2015, 4)];
        assert_eq!(event_mrr(&events, &months), [0, 1000, 14_900, 5000, 5000]);
    }

    #[test]
    fn customers_keep_their_events_in_order_and_cancels_are_zero() {
        let events = simulate(1, &Rng::new(3));
        let customers = events.iter().map(|e| e.customer).max().unwrap();
        assert_eq!(customers, CUSTOMERS);
        for w in events.windows(2) {
            if w[0].customer == w[1].customer {
                assert!(w[0].at < w[1].at);
            }
        }
        assert!(events
            .iter()
            .all(|e| (e.kind == "cancel") == (e.mrr_cents == 0)));
        let count = |k| events.iter().filter(|e| e.kind == k).count();
        assert!(count("change") > 300, "{}", count("change"));
        assert!(count("cancel") > 500, "{}", count("cancel"));
    }

    #[test]
    fn reported_is_right_until_the_gap_month() {
        let months = months();
        let mrr: Vec<i64> = (0..24).map(|i| 1_000_000 * i).collect();
        let rep = reported_mrr(&mrr, &months, 1, &Rng::new(1));
        for ((m, a), b) in months.iter().zip(&mrr).zip(&rep) {
            let gap = b - a;
            if *m < gap_month() {
                assert_eq!(gap, 0);
            } else {
                assert!((2_300_000..=2_700_000).contains(&gap), "{m}: {gap}");
                assert_eq!(gap % 100, 0);
            }
        }
    }
}
