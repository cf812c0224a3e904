//! What one subscription is worth at one event: its MRR in cents and the
//! item that decides its customer's plan.
//!
//! The rules: MRR is 0 unless the status is `active` or `past_due` (and
//! the event is no `.deleted`); otherwise the sum over the items of amount
//! × quantity normalised to a month, lowered by a `forever` coupon, floored
//! at 0 and rounded to a whole cent, halves away from zero.

use super::event::{text, RawCoupon, RawItem, RawPriced, RawSubscription};
use super::money::{Period, Ratio};
use std::fmt;

/// A subscription's worth at one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Worth<'s> {
    /// Its MRR in cents (0 when it does not count).
    pub mrr_cents: i64,
    /// The item with the largest normalised amount (ties: the plan name
    /// first in byte order); `None` when the subscription does not count
    /// or has no items.
    pub top: Option<Top<'s>>,
}

/// An item as its customer's plan candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Top<'s> {
    /// Amount × quantity per month.
    pub monthly: Ratio,
    /// The price's or plan's nickname, else its id.
    pub plan: &'s str,
}

/// Whether a subscription in this status counts towards MRR.
pub fn status_counts(status: Option<&str>) -> bool {
    matches!(status, Some("active" | "past_due"))
}

/// Where a price or plan is in the subscription, for messages (written
/// only when there is one to write).
#[derive(Clone, Copy)]
enum Place {
    ItemPrice(usize),
    ItemPlan(usize),
    Plan,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::ItemPrice(index) => write!(f, "items.data[{index}].price"),
            Place::ItemPlan(index) => write!(f, "items.data[{index}].plan"),
            Place::Plan => f.write_str("plan"),
        }
    }
}

/// A price or a plan, under one set of names.
struct Priced<'s> {
    place: Place,
    name: Option<&'s str>,
    amount: Option<i64>,
    amount_decimal: Option<&'s str>,
    interval: Option<&'s str>,
    interval_count: Option<u64>,
}

impl<'s> Priced<'s> {
    fn new(raw: &'s RawPriced<'_>, place: Place) -> Priced<'s> {
        let recurring = raw.recurring.as_ref();
        Priced {
            place,
            name: text(&raw.nickname).or(text(&raw.id)),
            amount: raw.unit_amount.or(raw.amount),
            amount_decimal: text(&raw.unit_amount_decimal).or(text(&raw.amount_decimal)),
            interval: recurring
                .and_then(|r| text(&r.interval))
                .or(text(&raw.interval)),
            interval_count: recurring
                .and_then(|r| r.interval_count)
                .or(raw.interval_count),
        }
    }

    fn item(item: &'s RawItem<'_>, index: usize) -> Result<Priced<'s>, String> {
        match (&item.price, &item.plan) {
            (Some(price), _) => Ok(Priced::new(price, Place::ItemPrice(index))),
            (None, Some(plan)) => Ok(Priced::new(plan, Place::ItemPlan(index))),
            (None, None) => Err(format!("items.data[{index}] has neither price nor plan")),
        }
    }

    fn period(&self) -> Result<Period, String> {
        let interval = self
            .interval
            .ok_or_else(|| format!("{} has no interval", self.place))?;
        Period::new(interval, self.interval_count.unwrap_or(1))
            .map_err(|message| format!("{}: {message}", self.place))
    }

    /// The amount per period in cents: the whole-cent amount, else the
    /// decimal one, else 0 (a tiered price has neither).
    fn amount(&self) -> Result<Ratio, String> {
        let amount = match (self.amount, self.amount_decimal) {
            (Some(cents), _) => Ratio::int(i128::from(cents)),
            (None, Some(decimal)) => Ratio::parse_decimal(decimal)
                .ok_or_else(|| format!("{}: amount {decimal:?} is not a decimal", self.place))?,
            (None, None) => Ratio::ZERO,
        };
        if amount < Ratio::ZERO {
            return Err(format!("{}: the amount is below 0", self.place));
        }
        Ok(amount)
    }
}

/// The subscription's items with their quantities: `items.data` when it has
/// any, else the subscription-level `plan` with the subscription's
/// `quantity` (older API versions; newer ones repeat a single item's plan
/// there, which must not count twice). A missing quantity is 1.
fn items<'s>(sub: &'s RawSubscription<'_>) -> Result<Vec<(Priced<'s>, u64)>, String> {
    let listed = sub
        .items
        .as_ref()
        .and_then(|items| items.data.as_deref())
        .unwrap_or_default();
    if listed.is_empty() {
        return Ok(sub
            .plan
            .iter()
            .map(|plan| {
                let priced = Priced::new(plan, Place::Plan);
                (priced, sub.quantity.unwrap_or(1))
            })
            .collect());
    }
    listed
        .iter()
        .enumerate()
        .map(|(index, item)| Ok((Priced::item(item, index)?, item.quantity.unwrap_or(1))))
        .collect()
}

const OVERFLOW: &str = "the amounts are too large to add up";

/// The subscription's worth, or a message naming the field that is wrong.
pub fn worth<'s>(sub: &'s RawSubscription<'_>, deleted: bool) -> Result<Worth<'s>, String> {
    if deleted || !status_counts(text(&sub.status)) {
        return Ok(Worth {
            mrr_cents: 0,
            top: None,
        });
    }
    let items = items(sub)?;
    let mut total = Ratio::ZERO;
    let mut top: Option<Top> = None;
    for (priced, quantity) in &items {
        let name = priced
            .name
            .ok_or_else(|| format!("{} has neither nickname nor id", priced.place))?;
        let per_period = priced
            .amount()?
            .checked_mul(Ratio::int(i128::from(*quantity)))
            .ok_or(OVERFLOW)?;
        let monthly = priced.period()?.monthly(per_period).ok_or(OVERFLOW)?;
        total = total.checked_add(monthly).ok_or(OVERFLOW)?;
        let better = top.as_ref().is_none_or(|best| {
            monthly > best.monthly || (monthly == best.monthly && name < best.plan)
        });
        if better {
            top = Some(Top {
                monthly,
                plan: name,
            });
        }
    }
    // A coupon's fixed amount is per billing period: the subscription's,
    // i.e. its first item's (Stripe bills all items of a subscription on
    // one interval).
    let period = items
        .first()
        .map(|(priced, _)| priced.period())
        .transpose()?;
    let coupon = sub.discount.as_ref().and_then(|d| d.coupon.as_ref());
    let discounted = match coupon {
        Some(coupon) => apply_coupon(total, coupon, period)?,
        None => total,
    };
    let mrr_cents = discounted.floor_at_zero().round().ok_or(OVERFLOW)?;
    Ok(Worth { mrr_cents, top })
}

/// `total` lowered by a `forever` coupon: `percent_off` as a percentage,
/// then `amount_off` normalised with the subscription's period. Coupons of
/// other durations leave it as it is.
fn apply_coupon(total: Ratio, coupon: &RawCoupon, period: Option<Period>) -> Result<Ratio, String> {
    if text(&coupon.duration) != Some("forever") {
        return Ok(total);
    }
    let mut value = total;
    if let Some(percent) = coupon.percent_off {
        let percent = Ratio::from_json_number(percent)
            .filter(|p| (Ratio::ZERO..=Ratio::int(100)).contains(p))
            .ok_or_else(|| format!("discount.coupon.percent_off {percent} is not a percentage"))?;
        let kept = Ratio::int(100)
            .checked_sub(percent)
            .and_then(|kept| kept.checked_mul(Ratio::new(1, 100)?))
            .ok_or(OVERFLOW)?;
        value = value.checked_mul(kept).ok_or(OVERFLOW)?;
    }
    if let (Some(amount_off), Some(period)) = (coupon.amount_off, period) {
        if amount_off < 0 {
            return Err("discount.coupon.amount_off is below 0".to_string());
        }
        let monthly = period
            .monthly(Ratio::int(i128::from(amount_off)))
            .ok_or(OVERFLOW)?;
        value = value.checked_sub(monthly).ok_or(OVERFLOW)?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::super::event::{parse, Line, DELETED};
    use super::*;

    /// The worth of the subscription in `object` (JSON) at an event of
    /// `kind`.
    fn worth_of(kind: &str, object: &str) -> Result<(i64, Option<(Ratio, String)>), String> {
        let line =
            format!(r#"{{"id":"evt","type":"{kind}","created":1,"data":{{"object":{object}}}}}"#);
        let Line::Event(event) = parse(line.as_bytes()).unwrap() else {
            panic!("not an event: {line}");
        };
        let sub = event.data.unwrap().object.unwrap();
        let deleted = kind == DELETED;
        worth(&sub, deleted).map(|w| {
            let top = w.top.map(|t| (t.monthly, t.plan.to_string()));
            (w.mrr_cents, top)
        })
    }

    fn mrr(object: &str) -> i64 {
        worth_of("customer.subscription.updated", object).unwrap().0
    }

    fn plan(object: &str) -> Option<String> {
        worth_of("customer.subscription.updated", object)
            .unwrap()
            .1
            .map(|t| t.1)
    }

    /// An active subscription with the given items (JSON array) and
    /// subscription-level fields (JSON members, with a leading comma).
    fn active(items: &str, rest: &str) -> String {
        format!(r#"{{"status":"active","items":{{"object":"list","data":{items}}}{rest}}}"#)
    }

    fn price(amount: i64, interval: &str, count: u64) -> String {
        format!(
            r#"{{"id":"price_{amount}","nickname":"p{amount}","unit_amount":{amount},"recurring":{{"interval":"{interval}","interval_count":{count}}}}}"#
        )
    }

    fn item(price_json: &str, quantity: Option<u64>) -> String {
        match quantity {
            Some(q) => format!(r#"{{"quantity":{q},"price":{price_json}}}"#),
            None => format!(r#"{{"price":{price_json}}}"#),
        }
    }

    #[test]
    fn price_amount_times_item_quantity() {
        let items = format!("[{}]", item(&price(1500, "month", 1), Some(3)));
        assert_eq!(mrr(&active(&items, "")), 4500);
    }

    #[test]
    fn missing_or_null_quantity_is_one() {
        let items = format!("[{}]", item(&price(1500, "month", 1), None));
        assert_eq!(mrr(&active(&items, "")), 1500);
        let items = format!(
            r#"[{{"quantity":null,"price":{}}}]"#,
            price(1500, "month", 1)
        );
        assert_eq!(mrr(&active(&items, "")), 1500);
    }

    #[test]
    fn quantity_zero_counts_nothing() {
        let items = format!("[{}]", item(&price(1500, "month", 1), Some(0)));
        assert_eq!(mrr(&active(&items, "")), 0);
    }

    #[test]
    fn items_add_up() {
        let items = format!(
            "[{},{}]",
            item(&price(1000, "month", 1), Some(2)),
            item(&price(12_000, "year", 1), None)
        );
        assert_eq!(mrr(&active(&items, "")), 3000);
    }

    #[test]
    fn item_level_older_plan() {
        let items = r#"[{"quantity":2,"plan":{"id":"gold","amount":2500,"interval":"month","interval_count":1}}]"#;
        assert_eq!(mrr(&active(items, "")), 5000);
        assert_eq!(plan(&active(items, "")).as_deref(), Some("gold"));
    }

    #[test]
    fn price_wins_over_the_plan_repeated_beside_it() {
        let items = format!(
            r#"[{{"price":{},"plan":{{"id":"old","amount":1,"interval":"month"}}}}]"#,
            price(900, "month", 1)
        );
        assert_eq!(mrr(&active(&items, "")), 900);
        assert_eq!(plan(&active(&items, "")).as_deref(), Some("p900"));
    }

    #[test]
    fn subscription_level_plan_of_older_versions() {
        let sub = r#"{"status":"active","quantity":3,"plan":{"id":"basic","nickname":"Basic","amount":1000,"interval":"month"}}"#;
        assert_eq!(mrr(sub), 3000);
        assert_eq!(plan(sub).as_deref(), Some("Basic"));
        // Without a quantity: 1. With an empty item list: the plan.
        let sub = r#"{"status":"active","items":{"data":[]},"plan":{"id":"basic","amount":1000,"interval":"month"}}"#;
        assert_eq!(mrr(sub), 1000);
    }

    #[test]
    fn items_win_over_the_subscription_level_plan() {
        let items = format!("[{}]", item(&price(700, "month", 1), Some(2)));
        let rest = r#","quantity":2,"plan":{"id":"x","amount":700,"interval":"month"}"#;
        assert_eq!(mrr(&active(&items, rest)), 1400);
    }

    #[test]
    fn each_interval_normalises_to_a_month() {
        let cases = [
            ("month", 1, 1000, 1000),
            ("month", 3, 3000, 1000),
            ("month", 6, 1000, 167), // 166.67
            ("year", 1, 12_000, 1000),
            ("year", 2, 12_000, 500),
            ("week", 1, 300, 1300),  // 300 × 52 / 12
            ("week", 2, 1000, 2167), // 1000 × 52 / 24 = 2166.67
            ("day", 1, 12, 365),     // 12 × 365 / 12
            ("day", 3, 100, 1014),   // 100 × 365 / 36 = 1013.89
        ];
        for (interval, count, amount, want) in cases {
            let items = format!("[{}]", item(&price(amount, interval, count), None));
            assert_eq!(
                mrr(&active(&items, "")),
                want,
                "{amount} per {count} {interval}"
            );
        }
    }

    #[test]
    fn missing_interval_count_is_one() {
        let items = r#"[{"price":{"id":"p","unit_amount":2400,"recurring":{"interval":"year"}}}]"#;
        assert_eq!(mrr(&active(items, "")), 200);
    }

    #[test]
    fn fractional_cent_prices_use_the_decimal_amount() {
        let items = r#"[{"quantity":3,"price":{"id":"p","unit_amount":null,"unit_amount_decimal":"0.5","recurring":{"interval":"month"}}}]"#;
        assert_eq!(mrr(&active(items, "")), 2); // 1.5 → 2
        let items =
            r#"[{"price":{"id":"tiered","unit_amount":null,"recurring":{"interval":"month"}}}]"#;
        assert_eq!(mrr(&active(items, "")), 0);
    }

    fn with_coupon(amount: i64, interval: &str, coupon: &str) -> i64 {
        let items = format!("[{}]", item(&price(amount, interval, 1), None));
        mrr(&active(
            &items,
            &format!(r#","discount":{{"coupon":{coupon}}}"#),
        ))
    }

    #[test]
    fn forever_percent_coupon() {
        assert_eq!(
            with_coupon(1000, "month", r#"{"duration":"forever","percent_off":25}"#),
            750
        );
        assert_eq!(
            with_coupon(
                999,
                "month",
                r#"{"duration":"forever","percent_off":33.33}"#
            ),
            666
        ); // 666.0333
        assert_eq!(
            with_coupon(1000, "month", r#"{"duration":"forever","percent_off":100}"#),
            0
        );
    }

    #[test]
    fn forever_amount_coupon_uses_the_subscription_interval() {
        assert_eq!(
            with_coupon(1000, "month", r#"{"duration":"forever","amount_off":300}"#),
            700
        );
        // 12 000 a year is 1000 a month; 1200 off a year is 100 off a month.
        assert_eq!(
            with_coupon(
                12_000,
                "year",
                r#"{"duration":"forever","amount_off":1200}"#
            ),
            900
        );
        // 100 a week off: 433.33 a month.
        assert_eq!(
            with_coupon(1000, "week", r#"{"duration":"forever","amount_off":100}"#),
            3900
        );
    }

    #[test]
    fn coupons_of_other_durations_are_ignored() {
        for duration in ["once", "repeating", "", "null"] {
            let coupon =
                format!(r#"{{"duration":"{duration}","percent_off":50,"amount_off":100}}"#);
            assert_eq!(with_coupon(1000, "month", &coupon), 1000, "{duration}");
        }
        assert_eq!(with_coupon(1000, "month", r#"{"percent_off":50}"#), 1000);
        assert_eq!(with_coupon(1000, "month", "null"), 1000);
    }

    #[test]
    fn floor_at_zero() {
        assert_eq!(
            with_coupon(1000, "month", r#"{"duration":"forever","amount_off":5000}"#),
            0
        );
    }

    #[test]
    fn rounding_halves_away_from_zero() {
        // 1 × 365 ÷ 12 × 6 = 182.5 → 183; 101 × 0.5 = 50.5 → 51.
        let items = format!("[{}]", item(&price(1, "day", 1), Some(6)));
        assert_eq!(mrr(&active(&items, "")), 183);
        assert_eq!(
            with_coupon(101, "month", r#"{"duration":"forever","percent_off":50}"#),
            51
        );
        // 1 a year: 0.0833 → 0; 6 a year: 0.5 → 1.
        assert_eq!(with_coupon(1, "year", "null"), 0);
        assert_eq!(with_coupon(6, "year", "null"), 1);
    }

    #[test]
    fn rounding_is_of_the_total_not_of_each_item() {
        // Two items of 0.5 a month: 1, not 1 + 1.
        let items = format!("[{0},{0}]", item(&price(6, "year", 1), None));
        assert_eq!(mrr(&active(&items, "")), 1);
    }

    #[test]
    fn only_active_and_past_due_count() {
        let items = format!("[{}]", item(&price(1000, "month", 1), None));
        for (status, want) in [
            ("active", 1000),
            ("past_due", 1000),
            ("trialing", 0),
            ("canceled", 0),
            ("unpaid", 0),
            ("incomplete", 0),
            ("incomplete_expired", 0),
            ("paused", 0),
            ("ACTIVE", 0),
        ] {
            let sub = format!(r#"{{"status":"{status}","items":{{"data":{items}}}}}"#);
            assert_eq!(mrr(&sub), want, "{status}");
            assert_eq!(plan(&sub).is_some(), want > 0, "{status}");
        }
        assert_eq!(mrr(&format!(r#"{{"items":{{"data":{items}}}}}"#)), 0);
    }

    #[test]
    fn deleted_counts_nothing_whatever_the_status() {
        let items = format!("[{}]", item(&price(1000, "month", 1), None));
        let got = worth_of("customer.subscription.deleted", &active(&items, "")).unwrap();
        assert_eq!(got, (0, None));
    }

    #[test]
    fn plan_is_the_largest_normalised_item_nickname_else_id() {
        let items = format!(
            r#"[{},{},{{"quantity":1,"price":{{"id":"price_big","unit_amount":1300,"recurring":{{"interval":"month"}}}}}}]"#,
            item(&price(600, "month", 1), Some(2)), // 1200
            item(&price(13_000, "year", 1), None)   // 1083.33
        );
        assert_eq!(plan(&active(&items, "")).as_deref(), Some("price_big"));
        let got = worth_of("customer.subscription.created", &active(&items, "")).unwrap();
        assert_eq!(got.1.unwrap().0, Ratio::int(1300));
    }

    #[test]
    fn equal_items_choose_the_first_name() {
        let items = r#"[{"price":{"id":"b","unit_amount":500,"recurring":{"interval":"month"}}},
                         {"price":{"id":"a","unit_amount":500,"recurring":{"interval":"month"}}}]"#;
        assert_eq!(plan(&active(items, "")).as_deref(), Some("a"));
    }

    #[test]
    fn wrong_fields_are_named() {
        let cases = [
            (
                r#"[{"quantity":1}]"#,
                "items.data[0] has neither price nor plan",
            ),
            (
                r#"[{"price":{"unit_amount":1,"recurring":{"interval":"month"}}}]"#,
                "items.data[0].price has neither nickname nor id",
            ),
            (
                r#"[{"price":{"id":"p","unit_amount":1}}]"#,
                "items.data[0].price has no interval",
            ),
            (
                r#"[{"price":{"id":"p","unit_amount":1,"recurring":{"interval":"hour"}}}]"#,
                "items.data[0].price: interval \"hour\"",
            ),
            (
                r#"[{"price":{"id":"p","unit_amount":1,"recurring":{"interval":"month","interval_count":0}}}]"#,
                "items.data[0].price: interval_count is 0",
            ),
            (
                r#"[{"price":{"id":"p","unit_amount":-1,"recurring":{"interval":"month"}}}]"#,
                "items.data[0].price: the amount is below 0",
            ),
            (
                r#"[{"price":{"id":"p","unit_amount_decimal":"x","recurring":{"interval":"month"}}}]"#,
                "items.data[0].price: amount \"x\" is not a decimal",
            ),
            (
                r#"[{"quantity":18446744073709551615,"price":{"id":"p","unit_amount":9223372036854775807,"recurring":{"interval":"day"}}},{"quantity":18446744073709551615,"price":{"id":"p","unit_amount":9223372036854775807,"recurring":{"interval":"day"}}}]"#,
                OVERFLOW,
            ),
        ];
        for (items, want) in cases {
            let got = worth_of("customer.subscription.updated", &active(items, "")).unwrap_err();
            assert!(got.starts_with(want), "{got:?} for {items}");
        }
        let bad_percent = with_coupon_err(r#"{"duration":"forever","percent_off":150}"#);
        assert_eq!(
            bad_percent,
            "discount.coupon.percent_off 150 is not a percentage"
        );
        let bad_amount = with_coupon_err(r#"{"duration":"forever","amount_off":-5}"#);
        assert_eq!(bad_amount, "discount.coupon.amount_off is below 0");
    }

    fn with_coupon_err(coupon: &str) -> String {
        let items = format!("[{}]", item(&price(1000, "month", 1), None));
        let sub = active(&items, &format!(r#","discount":{{"coupon":{coupon}}}"#));
        worth_of("customer.subscription.updated", &sub).unwrap_err()
    }

    #[test]
    fn subscriptions_that_do_not_count_are_not_checked() {
        let sub = r#"{"status":"canceled","items":{"data":[{"quantity":1}]}}"#;
        assert_eq!(mrr(sub), 0);
    }
}
