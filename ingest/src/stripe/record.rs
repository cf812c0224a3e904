//! One line of an archive worked out on its own, without the reader's
//! tables: everything the line alone decides (its id, whether its type
//! matters, the subscription's customer, currency and worth, or the message
//! of what is wrong), as a small owned [`Record`] that can be made on any
//! thread and applied later, in line order, by the reader.

use super::event::{self, text, Line, RawEvent, RawSubscription};
use super::money::Ratio;
use super::time;
use super::value::worth;
use std::sync::Arc;

/// What one line of an archive says.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A blank line (only white space): not counted.
    Blank,
    /// Not a Stripe event at all: the message.
    Broken(String),
    /// An event of a type that does not matter, or of a subscription type
    /// whose line did not read as one (`failure`: why); the latter is an
    /// error unless the id was seen before.
    Other {
        id: Arc<str>,
        failure: Option<String>,
    },
    /// A subscription event, or what is missing from it (an error unless
    /// the id was seen before).
    Subscription {
        id: Arc<str>,
        subscription: Result<Box<Subscription>, String>,
    },
}

/// A subscription event reduced to what the reader needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub created: i64,
    pub customer: Box<str>,
    pub id: Box<str>,
    /// Upper case.
    pub currency: [u8; 3],
    /// Its worth, or the message naming the field that is wrong (an error
    /// only when the currency is kept).
    pub worth: Result<OwnedWorth, String>,
}

/// [`super::value::Worth`] with its plan name owned.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedWorth {
    pub mrr_cents: i64,
    /// The largest item's amount per month and plan name.
    pub top: Option<(Ratio, Box<str>)>,
}

/// A currency code upper-cased, if it is three ASCII letters.
pub fn currency_code(text: &str) -> Option<[u8; 3]> {
    let bytes: [u8; 3] = text.as_bytes().try_into().ok()?;
    bytes
        .iter()
        .all(u8::is_ascii_alphabetic)
        .then(|| bytes.map(|b| b.to_ascii_uppercase()))
}

/// The record of one line (with its line end, if any; a byte order mark
/// already taken off).
pub fn record(line: &[u8]) -> Record {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Record::Blank;
    }
    if let Some(record) = other_by_its_last_field(line) {
        return record;
    }
    let raw = match event::parse(line) {
        Err(message) => return Record::Broken(message),
        Ok(Line::Other { id, kind, error }) => {
            return Record::Other {
                id: Arc::from(id.as_str()),
                failure: event::is_subscription_type(kind.as_str()).then_some(error),
            }
        }
        Ok(Line::Event(raw)) => raw,
    };
    let id = Arc::from(raw.id.as_str());
    if !event::is_subscription_type(raw.kind.as_str()) {
        return Record::Other { id, failure: None };
    }
    Record::Subscription {
        id,
        subscription: subscription(&raw).map(Box::new),
    }
}

/// Stripe writes `"type"` last. When the line ends in a type that does not
/// matter, reading only `id` and `type` (skipping `data` unbuilt) gives
/// the record the full reading would: a line that reads as an event also
/// reads as an [`event::Envelope`], and one that does not fails the same way.
/// `None` when the line does not end so, or the envelope says otherwise.
fn other_by_its_last_field(line: &[u8]) -> Option<Record> {
    let kind = last_type(line)?;
    if event::is_subscription_type(kind) || kind.contains('\\') {
        return None;
    }
    Some(match event::parse_envelope(line) {
        Ok(envelope) if !event::is_subscription_type(envelope.kind.as_str()) => Record::Other {
            id: Arc::from(envelope.id.as_str()),
            failure: None,
        },
        Ok(_) => return None,
        Err(message) => Record::Broken(message),
    })
}

/// The text `X` when the line ends in `"type":"X"}` (white space allowed
/// after the brace only); a hint, checked by the reading that follows.
fn last_type(line: &[u8]) -> Option<&str> {
    let end = line.iter().rposition(|b| !b.is_ascii_whitespace())?;
    let body = line.get(..end)?.strip_suffix(b"\"")?;
    if line.get(end) != Some(&b'}') {
        return None;
    }
    let start = body.iter().rposition(|b| *b == b'"')?;
    let before = body.get(..start)?;
    if !before.ends_with(b"\"type\":") {
        return None;
    }
    std::str::from_utf8(body.get(start + 1..)?).ok()
}

/// The subscription event's fields, or the message of the first one that
/// is missing or wrong, in the order the rules check them.
fn subscription(raw: &RawEvent) -> Result<Subscription, String> {
    let created = raw.created.ok_or("no created")?;
    if !time::in_range(created) {
        return Err(format!("created {created} is not between 1970 and 9999"));
    }
    let sub = raw
        .data
        .as_ref()
        .and_then(|data| data.object.as_ref())
        .ok_or("no data.object")?;
    let customer = text(&sub.customer).ok_or("data.object has no customer")?;
    let id = text(&sub.id).ok_or("data.object has no id")?;
    let currency_text = subscription_currency(sub).ok_or("data.object has no currency")?;
    let currency = currency_code(currency_text)
        .ok_or_else(|| format!("currency {currency_text:?} is not a three-letter code"))?;
    let worth = worth(sub, raw.kind.as_str() == event::DELETED)
        .map(|worth| OwnedWorth {
            mrr_cents: worth.mrr_cents,
            top: worth.top.map(|top| (top.monthly, Box::from(top.plan))),
        })
        .map_err(|message| format!("data.object.{message}"));
    Ok(Subscription {
        created,
        customer: Box::from(customer),
        id: Box::from(id),
        currency,
        worth,
    })
}

/// The subscription's currency: its own, else its first item's price or
/// plan, else its plan's (older API versions have no subscription-level
/// currency).
fn subscription_currency<'s>(sub: &'s RawSubscription<'_>) -> Option<&'s str> {
    let first_item = sub
        .items
        .as_ref()
        .and_then(|items| items.data.as_ref())
        .and_then(|data| data.first());
    text(&sub.currency)
        .or_else(|| {
            first_item
                .and_then(|i| i.price.as_ref())
                .and_then(|p| text(&p.currency))
        })
        .or_else(|| {
            first_item
                .and_then(|i| i.plan.as_ref())
                .and_then(|p| text(&p.currency))
        })
        .or_else(|| sub.plan.as_ref().and_then(|p| text(&p.currency)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_type_is_found_only_at_the_very_end() {
        assert_eq!(
            last_type(b"{\"id\":\"e\",\"type\":\"invoice.paid\"}\r\n"),
            Some("invoice.paid")
        );
        assert_eq!(last_type(b"{\"type\":\"a\",\"id\":\"e\"}"), None);
        assert_eq!(last_type(b"{\"x\":{\"type\":\"a\"}"), Some("a"));
        assert_eq!(last_type(b"{\"type\": \"a\"}"), None);
        assert_eq!(last_type(b"\"}"), None);
        assert_eq!(last_type(b""), None);
    }

    #[test]
    fn an_ignored_type_read_by_its_last_field_is_the_same_record() {
        let lines: [&[u8]; 5] = [
            br#"{"id":"e1","data":{"object":{"items":[1]}},"type":"order.created"}"#,
            br#"{"id":"e2","data":{"object":{"customer":"c"}},"type":"invoice.paid"}"#,
            br#"{"id":"e3","data":{"object":{"items":[1]},"type":"order.created"}"#,
            br#"{"type":"order.created","id":"e4","type":"order.created"}"#,
            br#"{"data":{"x":1},"type":"order.created"}"#,
        ];
        for line in lines {
            let full = match event::parse(line) {
                Err(message) => Record::Broken(message),
                Ok(Line::Other { id, .. }) => Record::Other {
                    id: Arc::from(id.as_str()),
                    failure: None,
                },
                Ok(Line::Event(raw)) => Record::Other {
                    id: Arc::from(raw.id.as_str()),
                    failure: None,
                },
            };
            assert_eq!(other_by_its_last_field(line), Some(full.clone()));
            assert_eq!(record(line), full);
        }
        assert_eq!(
            record(br#"{"id":"e5","type":"order.created"}"#),
            Record::Other {
                id: Arc::from("e5"),
                failure: None
            }
        );
    }
}
