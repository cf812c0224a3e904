//! `revenue/events.json`: the subscription history, and optionally the MRR
//! another system reported.
//!
//! Customers and plans are interned to small integer ids while validating,
//! so the model works on compact `Copy` events (hundreds of thousands of
//! them) instead of strings.

use super::check;
use super::error::{parse_json, DocError};
use super::kinds::EventKind;
use super::time::{Month, Timestamp};
use serde::Deserialize;
use std::collections::HashMap;

/// The document's path.
pub const EVENTS_DOC: &str = "revenue/events.json";

#[derive(Deserialize)]
struct RawEvents {
    currency: String,
    events: Vec<RawEvent>,
    #[serde(default)]
    reported_mrr: Option<RawReported>,
}

#[derive(Deserialize)]
struct RawEvent {
    customer: String,
    at: String,
    kind: EventKind,
    plan: String,
    mrr_cents: u64,
}

#[derive(Deserialize)]
struct RawReported {
    months: Vec<String>,
    mrr_cents: Vec<u64>,
}

/// One subscription event, with interned customer and plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// Index into [`RevenueEvents::customers`].
    pub customer: u32,
    pub at: Timestamp,
    pub kind: EventKind,
    /// Index into [`RevenueEvents::plans`].
    pub plan: u32,
    pub mrr_cents: i64,
}

/// A validated events document. Events keep document order; the model
/// orders them by time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevenueEvents {
    pub currency: String,
    /// Customer ids, by first appearance.
    pub customers: Vec<String>,
    /// Plan ids, by first appearance.
    pub plans: Vec<String>,
    pub events: Vec<Event>,
    /// Reported MRR per month, ascending by month.
    pub reported_mrr: Option<Vec<(Month, i64)>>,
}

fn cents(doc: &str, place: &str, v: u64) -> Result<i64, DocError> {
    i64::try_from(v).map_err(|_| DocError::new(doc, place, format!("{v} cents is out of range")))
}

fn intern(ids: &mut Vec<String>, index: &mut HashMap<String, u32>, id: String) -> u32 {
    if let Some(&i) = index.get(&id) {
        return i;
    }
    let i = ids.len() as u32;
    ids.push(id.clone());
    index.insert(id, i);
    i
}

impl RevenueEvents {
    /// Parses and validates `revenue/events.json`.
    pub fn parse(body: &str) -> Result<Self, DocError> {
        let doc = EVENTS_DOC;
        let raw: RawEvents = parse_json(doc, body)?;
        check::currency(doc, "currency", &raw.currency)?;
        let mut customers = Vec::new();
        let mut customer_index = HashMap::new();
        let mut plans = Vec::new();
        let mut plan_index = HashMap::new();
        let mut events = Vec::with_capacity(raw.events.len());
        for (i, e) in raw.events.into_iter().enumerate() {
            let place = |field: &str| format!("events[{i}].{field}");
            check::non_empty(doc, &place("customer"), &e.customer)?;
            check::non_empty(doc, &place("plan"), &e.plan)?;
            let at = check::timestamp(doc, &place("at"), &e.at)?;
            let mrr_cents = cents(doc, &place("mrr_cents"), e.mrr_cents)?;
            if e.kind == EventKind::Cancel && mrr_cents != 0 {
                return Err(DocError::new(
                    doc,
                    format!("events[{i}] ({})", e.customer),
                    format!("a cancel must have mrr_cents 0, not {mrr_cents}"),
                ));
            }
            events.push(Event {
                customer: intern(&mut customers, &mut customer_index, e.customer),
                at,
                kind: e.kind,
                plan: intern(&mut plans, &mut plan_index, e.plan),
                mrr_cents,
            });
        }
        let reported_mrr = match raw.reported_mrr {
            None => None,
            Some(r) => {
                let months = check::ascending(doc, "reported_mrr.months", &r.months, check::month)?;
                if months.len() != r.mrr_cents.len() {
                    return Err(DocError::new(
                        doc,
                        "reported_mrr",
                        format!(
                            "{} months but {} amounts: the lists must have the same length",
                            months.len(),
                            r.mrr_cents.len()
                        ),
                    ));
                }
                let mut out = Vec::with_capacity(months.len());
                for (i, (m, c)) in months.into_iter().zip(r.mrr_cents).enumerate() {
                    out.push((m, cents(doc, &format!("reported_mrr.mrr_cents[{i}]"), c)?));
                }
                Some(out)
            }
        };
        Ok(Self {
            currency: raw.currency,
            customers,
            plans,
            events,
            reported_mrr,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"currency":"USD","events":[
      {"customer":"cus_0001","at":"2015-01-04T12:00:00Z","kind":"subscribe","plan":"awesome","mrr_cents":1000},
      {"customer":"cus_0001","at":"2015-06-10T09:30:00Z","kind":"change","plan":"business","mrr_cents":5000},
      {"customer":"cus_0002","at":"2015-02-01T00:00:00Z","kind":"subscribe","plan":"awesome","mrr_cents":1000},
      {"customer":"cus_0001","at":"2016-02-01T00:00:00Z","kind":"cancel","plan":"business","mrr_cents":0}
    ],"reported_mrr":{"months":["2015-01","2015-02"],"mrr_cents":[1000,2000]}}"#;

    #[test]
    fn parses_and_interns() {
        let r = RevenueEvents::parse(GOOD).unwrap();
        assert_eq!(r.customers, ["cus_0001", "cus_0002"]);
        assert_eq!(r.plans, ["awesome", "business"]);
        assert_eq!(r.events[2].customer, 1);
        assert_eq!(r.events[1].plan, 1);
        assert_eq!(r.events[3].kind, EventKind::Cancel);
        assert_eq!(
            r.reported_mrr.unwrap()[1],
            (Month::parse("2015-02").unwrap(), 2000)
        );
        let no_reported = r#"{"currency":"EUR","events":[]}"#;
        assert_eq!(
            RevenueEvents::parse(no_reported).unwrap().reported_mrr,
            None
        );
    }

    #[test]
    fn names_the_place_of_each_problem() {
        let doc = "revenue/events.json";
        let cases = [
            (
                GOOD.replace("\"kind\":\"change\"", "\"kind\":\"upgrade\""),
                format!("{doc}: events[1].kind: unknown variant `upgrade`"),
            ),
            (
                GOOD.replace("\"mrr_cents\":0}", "\"mrr_cents\":10}"),
                format!("{doc}: events[3] (cus_0001): a cancel must have mrr_cents 0, not 10"),
            ),
            (
                GOOD.replace("\"mrr_cents\":[1000,2000]", "\"mrr_cents\":[1000]"),
                format!("{doc}: reported_mrr: 2 months but 1 amounts"),
            ),
            (
                GOOD.replace("[\"2015-01\",\"2015-02\"]", "[\"2015-02\",\"2015-01\"]"),
                format!("{doc}: reported_mrr.months[1]: \"2015-01\" is not after"),
            ),
            (
                GOOD.replace("2015-06-10T09:30:00Z", "2015-06-10"),
                format!("{doc}: events[1].at: \"2015-06-10\" is not an RFC 3339"),
            ),
            (
                GOOD.replace("\"mrr_cents\":5000", "\"mrr_cents\":-5000"),
                format!("{doc}: events[1].mrr_cents: invalid value"),
            ),
            (
                GOOD.replace(
                    "\"plan\":\"awesome\",\"mrr_cents\":1000}",
                    "\"plan\":\"\",\"mrr_cents\":1000}",
                ),
                format!("{doc}: events[0].plan: is empty"),
            ),
        ];
        for (body, want) in cases {
            let got = RevenueEvents::parse(&body).unwrap_err().to_string();
            assert!(got.starts_with(&want), "want {want:?}, got {got:?}");
        }
    }
}
