//! One line of a Stripe event archive, read with typed serde structs that
//! borrow their strings from the line: only the fields the rules use, the
//! rest skipped unread.

use serde::Deserialize;
use std::borrow::Cow;

/// The three event types that carry a subscription; every other type is
/// counted and ignored.
pub const CREATED: &str = "customer.subscription.created";
/// A subscription changed.
pub const UPDATED: &str = "customer.subscription.updated";
/// A subscription ended: its MRR is 0 whatever its status says.
pub const DELETED: &str = "customer.subscription.deleted";

/// Whether events of this type carry a subscription the rules apply to.
pub fn is_subscription_type(kind: &str) -> bool {
    matches!(kind, CREATED | UPDATED | DELETED)
}

/// A JSON string, borrowed from the line unless it had escapes.
#[derive(Deserialize, Debug, Clone, PartialEq)]
pub struct Text<'a>(#[serde(borrow)] pub Cow<'a, str>);

impl Text<'_> {
    /// The text itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The text of an optional string, `None` when absent, `null` or empty.
pub fn text<'s>(field: &'s Option<Text<'_>>) -> Option<&'s str> {
    field.as_ref().map(Text::as_str).filter(|s| !s.is_empty())
}

/// An event with its subscription, as a `customer.subscription.*` event
/// has it. Other types usually read as this too (their `data.object` then
/// simply lacks the fields); when they do not, [`Envelope`] tells what
/// the line was.
#[derive(Deserialize, Debug)]
pub struct RawEvent<'a> {
    #[serde(borrow)]
    pub id: Text<'a>,
    #[serde(rename = "type", borrow)]
    pub kind: Text<'a>,
    pub created: Option<i64>,
    #[serde(borrow)]
    pub data: Option<RawData<'a>>,
}

/// Just what any event has: read when [`RawEvent`] did not fit the line.
#[derive(Deserialize, Debug)]
pub struct Envelope<'a> {
    #[serde(borrow)]
    pub id: Text<'a>,
    #[serde(rename = "type", borrow)]
    pub kind: Text<'a>,
}

/// The event's `data`.
#[derive(Deserialize, Debug)]
pub struct RawData<'a> {
    #[serde(borrow)]
    pub object: Option<RawSubscription<'a>>,
}

/// `data.object`: the subscription as it was at the event.
#[derive(Deserialize, Debug, Default)]
pub struct RawSubscription<'a> {
    #[serde(borrow)]
    pub id: Option<Text<'a>>,
    #[serde(borrow)]
    pub customer: Option<Text<'a>>,
    #[serde(borrow)]
    pub status: Option<Text<'a>>,
    #[serde(borrow)]
    pub currency: Option<Text<'a>>,
    #[serde(borrow)]
    pub items: Option<RawItems<'a>>,
    /// The subscription-level plan of older API versions (with `quantity`
    /// beside it).
    #[serde(borrow)]
    pub plan: Option<RawPriced<'a>>,
    pub quantity: Option<u64>,
    #[serde(borrow)]
    pub discount: Option<RawDiscount<'a>>,
}

/// `items`: a Stripe list object.
#[derive(Deserialize, Debug, Default)]
pub struct RawItems<'a> {
    #[serde(borrow, default)]
    pub data: Option<Vec<RawItem<'a>>>,
}

/// One subscription item.
#[derive(Deserialize, Debug, Default)]
pub struct RawItem<'a> {
    pub quantity: Option<u64>,
    #[serde(borrow)]
    pub price: Option<RawPriced<'a>>,
    #[serde(borrow)]
    pub plan: Option<RawPriced<'a>>,
}

/// A price (current API versions: `unit_amount`, `recurring`) or a plan
/// (older ones, item-level or subscription-level: `amount`, `interval`),
/// read into one shape.
#[derive(Deserialize, Debug, Default)]
pub struct RawPriced<'a> {
    #[serde(borrow)]
    pub id: Option<Text<'a>>,
    #[serde(borrow)]
    pub nickname: Option<Text<'a>>,
    #[serde(borrow)]
    pub currency: Option<Text<'a>>,
    pub unit_amount: Option<i64>,
    #[serde(borrow)]
    pub unit_amount_decimal: Option<Text<'a>>,
    pub amount: Option<i64>,
    #[serde(borrow)]
    pub amount_decimal: Option<Text<'a>>,
    #[serde(borrow)]
    pub recurring: Option<RawRecurring<'a>>,
    #[serde(borrow)]
    pub interval: Option<Text<'a>>,
    pub interval_count: Option<u64>,
}

/// A price's `recurring`.
#[derive(Deserialize, Debug, Default)]
pub struct RawRecurring<'a> {
    #[serde(borrow)]
    pub interval: Option<Text<'a>>,
    pub interval_count: Option<u64>,
}

/// The subscription's `discount`.
#[derive(Deserialize, Debug, Default)]
pub struct RawDiscount<'a> {
    #[serde(borrow)]
    pub coupon: Option<RawCoupon<'a>>,
}

/// A discount's coupon.
#[derive(Deserialize, Debug, Default)]
pub struct RawCoupon<'a> {
    #[serde(borrow)]
    pub duration: Option<Text<'a>>,
    pub percent_off: Option<f64>,
    pub amount_off: Option<i64>,
}

/// What a non-blank line is.
// Made once per line and matched at once: boxing the event would cost an
// allocation per line for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Line<'a> {
    /// An event that reads as a subscription event (its type still to be
    /// checked).
    Event(RawEvent<'a>),
    /// An event that does not: fine for other types, an error (the
    /// message) for a subscription type.
    Other {
        id: Text<'a>,
        kind: Text<'a>,
        error: String,
    },
}

/// Reads one line; the error message says why it is no Stripe event.
pub fn parse(line: &[u8]) -> Result<Line<'_>, String> {
    match from_line::<RawEvent>(line) {
        Ok(event) => Ok(Line::Event(event)),
        Err(error) => match parse_envelope(line) {
            Ok(envelope) => Ok(Line::Other {
                id: envelope.id,
                kind: envelope.kind,
                error: error.to_string(),
            }),
            Err(message) => Err(message),
        },
    }
}

/// Reads only the line's `id` and `type`, skipping the rest unbuilt; the
/// error message says why it is no Stripe event.
pub fn parse_envelope(line: &[u8]) -> Result<Envelope<'_>, String> {
    from_line::<Envelope>(line).map_err(|error| format!("not a Stripe event: {error}"))
}

/// Deserializes a line. A line that is valid UTF-8 as a whole (checked at
/// once, quickly) is read as text, which spares serde_json checking every
/// string again; it reads and fails exactly as the bytes would.
fn from_line<'a, T: Deserialize<'a>>(line: &'a [u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(line) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(line: &str) -> RawEvent<'_> {
        match parse(line.as_bytes()).unwrap() {
            Line::Event(event) => event,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn strings_are_borrowed_unless_escaped() {
        let line = r#"{"id":"evt_1","type":"x","data":{"object":{"customer":"cus_\u0041"}}}"#;
        let e = event(line);
        assert!(matches!(e.id.0, Cow::Borrowed("evt_1")));
        let customer = &e.data.unwrap().object.unwrap().customer.unwrap().0;
        assert!(matches!(customer, Cow::Owned(s) if s == "cus_A"));
    }

    #[test]
    fn other_objects_with_other_shapes_still_give_id_and_type() {
        // A legacy order: `items` is an array, not a list object.
        let line =
            r#"{"id":"evt_2","type":"order.created","created":5,"data":{"object":{"items":[1]}}}"#;
        match parse(line.as_bytes()).unwrap() {
            Line::Other { id, kind, error } => {
                assert_eq!((id.as_str(), kind.as_str()), ("evt_2", "order.created"));
                assert!(error.contains("column"), "{error}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_line_without_id_or_type_is_no_event() {
        assert!(parse(br#"{"type":"x"}"#)
            .unwrap_err()
            .contains("missing field `id`"));
        assert!(parse(b"[1,2]")
            .unwrap_err()
            .starts_with("not a Stripe event"));
        assert!(parse(br#"{"id":"e","type":"x""#).is_err());
    }

    #[test]
    fn empty_and_null_texts_are_absent() {
        let e = event(r#"{"id":"e","type":"t","data":{"object":{"status":"","currency":null}}}"#);
        let object = e.data.unwrap().object.unwrap();
        assert_eq!(text(&object.status), None);
        assert_eq!(text(&object.currency), None);
        assert_eq!(text(&object.id), None);
    }
}
