//! Customers' MRR and plan through the subscription events, in order, and
//! the revenue events their changes make.
//!
//! A customer's MRR is the sum over their subscriptions, each at its latest
//! event; their plan is that of the largest item among their counting
//! subscriptions, kept while their MRR is 0. Whenever either changes, one
//! revenue event: `subscribe` from 0, `cancel` to 0 (with the plan left),
//! `change` otherwise.

use super::money::Ratio;

/// A plan candidate: an item's monthly amount and the plan's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub monthly: Ratio,
    pub plan: u32,
}

/// One subscription event, reduced to what the ledger needs (customer,
/// subscription and plan as numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub customer: u32,
    pub subscription: u32,
    pub mrr_cents: i64,
    /// `None` when the subscription does not count.
    pub top: Option<Candidate>,
}

/// A revenue event's kind, as the data contract spells it.
pub const SUBSCRIBE: &str = "subscribe";
/// A change of MRR or plan between two non-zero amounts.
pub const CHANGE: &str = "change";
/// To 0, with the plan left.
pub const CANCEL: &str = "cancel";

/// A change the ledger reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub kind: &'static str,
    pub plan: u32,
    pub mrr_cents: i64,
}

#[derive(Debug, Default)]
struct Customer {
    /// Each subscription's MRR and candidate at its latest event; only
    /// those that count.
    subscriptions: Vec<(u32, i64, Candidate)>,
    mrr_cents: i64,
    plan: Option<u32>,
}

/// Every customer's state so far.
#[derive(Debug, Default)]
pub struct Ledger {
    customers: Vec<Customer>,
}

impl Ledger {
    /// Applies one subscription event; `plan_names` orders equal
    /// candidates. Returns the revenue event it makes, if any, or a message
    /// when the customer's MRR no longer fits an `i64`.
    pub fn apply(
        &mut self,
        event: Applied,
        plan_names: &[Box<str>],
    ) -> Result<Option<Change>, String> {
        let index = usize::try_from(event.customer).map_err(|_| "too many customers")?;
        if self.customers.len() <= index {
            self.customers.resize_with(index + 1, Customer::default);
        }
        let Some(customer) = self.customers.get_mut(index) else {
            return Ok(None);
        };
        customer
            .subscriptions
            .retain(|(id, _, _)| *id != event.subscription);
        if let Some(top) = event.top {
            customer
                .subscriptions
                .push((event.subscription, event.mrr_cents, top));
        }
        let mrr_cents = customer
            .subscriptions
            .iter()
            .try_fold(0i64, |sum, (_, mrr, _)| sum.checked_add(*mrr))
            .ok_or("the customer's MRR is too large")?;
        let name = |plan: u32| usize::try_from(plan).ok().and_then(|i| plan_names.get(i));
        let best = customer
            .subscriptions
            .iter()
            .map(|(_, _, candidate)| *candidate)
            .reduce(|best, next| {
                let better = next.monthly > best.monthly
                    || (next.monthly == best.monthly && name(next.plan) < name(best.plan));
                if better {
                    next
                } else {
                    best
                }
            });
        let plan = match best {
            Some(best) if mrr_cents > 0 => Some(best.plan),
            _ => customer.plan,
        };
        let (before, left) = (customer.mrr_cents, customer.plan);
        customer.mrr_cents = mrr_cents;
        customer.plan = plan;
        if (mrr_cents, plan) == (before, left) {
            return Ok(None);
        }
        let kind = match (before, mrr_cents) {
            (0, _) => SUBSCRIBE,
            (_, 0) => CANCEL,
            _ => CHANGE,
        };
        Ok(plan.map(|plan| Change {
            kind,
            plan,
            mrr_cents,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A subscription event: customer, subscription, MRR and the candidate
    /// (monthly amount, plan number: 0 basic, 1 pro, 2 team).
    fn sub(customer: u32, subscription: u32, mrr: i64, top: Option<(i128, u32)>) -> Applied {
        Applied {
            customer,
            subscription,
            mrr_cents: mrr,
            top: top.map(|(monthly, plan)| Candidate {
                monthly: Ratio::int(monthly),
                plan,
            }),
        }
    }

    fn made(kind: &'static str, plan: u32, mrr_cents: i64) -> Option<Change> {
        Some(Change {
            kind,
            plan,
            mrr_cents,
        })
    }

    /// Applies the events in turn, checking what each makes.
    fn check(steps: &[(Applied, Option<Change>)]) {
        let names: Vec<Box<str>> = ["basic", "pro", "team"].map(Box::from).into();
        let mut ledger = Ledger::default();
        for (i, (event, want)) in steps.iter().enumerate() {
            assert_eq!(ledger.apply(*event, &names).unwrap(), *want, "step {i}");
        }
    }

    #[test]
    fn subscribe_change_cancel() {
        check(&[
            (sub(0, 0, 1000, Some((1000, 0))), made(SUBSCRIBE, 0, 1000)),
            (sub(0, 0, 5000, Some((5000, 1))), made(CHANGE, 1, 5000)),
            // The same again: nothing changes, no event.
            (sub(0, 0, 5000, Some((5000, 1))), None),
            // Cancel names the plan left.
            (sub(0, 0, 0, None), made(CANCEL, 1, 0)),
            (sub(0, 0, 0, None), None),
            (sub(0, 0, 700, Some((700, 0))), made(SUBSCRIBE, 0, 700)),
        ]);
    }

    #[test]
    fn plan_alone_changing_is_a_change() {
        check(&[
            (sub(0, 0, 1000, Some((1000, 0))), made(SUBSCRIBE, 0, 1000)),
            (sub(0, 0, 1000, Some((1000, 2))), made(CHANGE, 2, 1000)),
        ]);
    }

    #[test]
    fn customer_mrr_sums_subscriptions_and_plan_is_the_largest_item() {
        check(&[
            (sub(0, 0, 1000, Some((1000, 0))), made(SUBSCRIBE, 0, 1000)),
            (sub(0, 1, 3000, Some((3000, 2))), made(CHANGE, 2, 4000)),
            // Another customer does not mix in.
            (sub(1, 2, 200, Some((200, 1))), made(SUBSCRIBE, 1, 200)),
            // The larger subscription ends: back to the other's plan.
            (sub(0, 1, 0, None), made(CHANGE, 0, 1000)),
            (sub(0, 0, 0, None), made(CANCEL, 0, 0)),
        ]);
    }

    #[test]
    fn equal_items_choose_the_plan_name_first_in_order() {
        check(&[
            (sub(0, 0, 500, Some((500, 2))), made(SUBSCRIBE, 2, 500)),
            (sub(0, 1, 500, Some((500, 1))), made(CHANGE, 1, 1000)),
        ]);
    }

    #[test]
    fn plan_is_kept_while_mrr_is_zero() {
        check(&[
            (sub(0, 0, 1000, Some((1000, 1))), made(SUBSCRIBE, 1, 1000)),
            // Counting, but fully discounted, on another plan: a cancel of pro.
            (sub(0, 0, 0, Some((2000, 2))), made(CANCEL, 1, 0)),
            // Still 0 on yet another plan: nothing.
            (sub(0, 0, 0, Some((900, 0))), None),
            // Back above 0: the plan of now.
            (sub(0, 0, 300, Some((900, 0))), made(SUBSCRIBE, 0, 300)),
            // A free plan from the start makes no event either.
            (sub(3, 9, 0, Some((0, 0))), None),
        ]);
    }

    #[test]
    fn an_mrr_beyond_i64_is_an_error() {
        let names: Vec<Box<str>> = vec![Box::from("basic")];
        let mut ledger = Ledger::default();
        ledger
            .apply(sub(0, 0, i64::MAX, Some((1, 0))), &names)
            .unwrap();
        let error = ledger
            .apply(sub(0, 1, 1, Some((1, 0))), &names)
            .unwrap_err();
        assert_eq!(error, "the customer's MRR is too large");
    }
}
