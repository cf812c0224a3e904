//! `revenue/events.json`: the subscription history, and optionally the MRR
//! another system reported.
//!
//! Customers and plans are interned to small integer ids while validating,
//! so the model works on compact `Copy` events (hundreds of thousands of
//! them) instead of strings.
//!
//! A large document can be read in steps ([`EventsReader`], like the posts
//! reader): one quick pass finds each event, then the events are parsed a
//! few tens of thousands at a time so the caller can show progress.

use super::check;
use super::error::{parse_json, DocError};
use super::kinds::EventKind;
use super::scan;
use super::steps::{item_spans, parse_item, ReadInSteps};
use super::surrogates::replace_lone_surrogates;
use super::time::{Month, Timestamp};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// The document's path.
pub const EVENTS_DOC: &str = "revenue/events.json";

#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
struct RawEvents {
    currency: String,
    events: Vec<RawEvent>,
    #[serde(default)]
    reported_mrr: Option<RawReported>,
}

/// The document with each event still as its JSON text.
#[derive(Deserialize)]
struct LazyEvents<'a> {
    currency: String,
    #[serde(borrow)]
    events: Vec<&'a RawValue>,
    #[serde(default)]
    reported_mrr: Option<RawReported>,
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
struct RawEvent {
    customer: String,
    at: String,
    kind: EventKind,
    plan: String,
    mrr_cents: u64,
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
struct RawReported {
    months: Vec<String>,
    mrr_cents: Vec<u64>,
}

/// An event's fields as read, borrowed: from the document on the fast
/// path, from a [`RawEvent`] otherwise.
struct Fields<'s> {
    customer: &'s str,
    at: &'s str,
    kind: EventKind,
    plan: &'s str,
    mrr_cents: u64,
}

impl RawEvent {
    fn fields(&self) -> Fields<'_> {
        Fields {
            customer: &self.customer,
            at: &self.at,
            kind: self.kind,
            plan: &self.plan,
            mrr_cents: self.mrr_cents,
        }
    }
}

/// Reads one event on the fast path and adds it to `built`: `None` if
/// anything is unusual (escapes in a text) or wrong.
fn read_event(c: &mut scan::Cursor, i: usize, built: &mut Builder) -> Option<()> {
    let (mut customer, mut at, mut kind, mut plan, mut mrr_cents) = (None, None, None, None, None);
    c.object(|c, key| {
        match key {
            "customer" if customer.is_none() => customer = Some(c.plain()?),
            "at" if at.is_none() => at = Some(c.plain()?),
            "kind" if kind.is_none() => kind = Some(EventKind::parse(c.plain()?)?),
            "plan" if plan.is_none() => plan = Some(c.plain()?),
            "mrr_cents" if mrr_cents.is_none() => mrr_cents = Some(c.u64()?),
            _ => return None,
        }
        Some(())
    })?;
    let fields = Fields {
        customer: customer?,
        at: at?,
        kind: kind?,
        plan: plan?,
        mrr_cents: mrr_cents?,
    };
    built.push(i, fields).ok()
}

impl RawReported {
    fn read_fast(c: &mut scan::Cursor) -> Option<Self> {
        let (mut months, mut mrr_cents) = (None, None);
        c.object(|c, key| {
            match key {
                "months" if months.is_none() => months = Some(c.array(scan::Cursor::string)?),
                "mrr_cents" if mrr_cents.is_none() => {
                    mrr_cents = Some(c.array(scan::Cursor::u64)?);
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Self {
            months: months?,
            mrr_cents: mrr_cents?,
        })
    }
}

/// One subscription event, with interned customer and plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// Index into [`RevenueEvents::customers`].
    pub customer: u32,
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
    /// Index into [`RevenueEvents::plans`].
    pub plan: u32,
    /// The customer's MRR after the event, in cents.
    pub mrr_cents: i64,
}

/// A validated events document. Events keep document order; the model
/// orders them by time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevenueEvents {
    /// The currency of every amount (ISO 4217).
    pub currency: String,
    /// Customer ids, by first appearance.
    pub customers: Vec<String>,
    /// Plan ids, by first appearance.
    pub plans: Vec<String>,
    /// The events, in time order.
    pub events: Vec<Event>,
    /// Reported MRR per month, ascending by month.
    pub reported_mrr: Option<Vec<(Month, i64)>>,
}

fn cents(doc: &str, place: &str, v: u64) -> Result<i64, DocError> {
    i64::try_from(v).map_err(|_| DocError::new(doc, place, format!("{v} cents is out of range")))
}

/// FNV-1a, the ids' hash: they are short, and a keyed hash (the standard
/// map's default) would bring its code and its seed into the first module
/// of the Revenue view for nothing.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

/// Ids to their numbers.
type Index = HashMap<String, u32, BuildHasherDefault<Fnv>>;

fn intern(ids: &mut Vec<String>, index: &mut Index, id: &str) -> u32 {
    if let Some(&i) = index.get(id) {
        return i;
    }
    let i = ids.len() as u32;
    ids.push(id.to_owned());
    index.insert(id.to_owned(), i);
    i
}

impl RevenueEvents {
    /// Parses and validates `revenue/events.json`.
    pub fn parse(body: &str) -> Result<Self, DocError> {
        match Self::read_fast(body) {
            Some(doc) => Ok(doc),
            None => Self::read_general(body),
        }
    }

    /// The general way: reads any JSON the contract allows, or names the
    /// problem and its place.
    fn read_general(body: &str) -> Result<Self, DocError> {
        let raw = parse_json::<RawEvents>(EVENTS_DOC, body)?;
        check::currency(EVENTS_DOC, "currency", &raw.currency)?;
        let mut built = Builder::with_capacity(raw.events.len());
        for (i, e) in raw.events.iter().enumerate() {
            built.push(i, e.fields())?;
        }
        built.finish(raw.currency, raw.reported_mrr)
    }

    /// The fast way ([`scan::Cursor`]), reading each event's fields where
    /// they stand in the document: `None` if anything is unusual or
    /// wrong, and the general way then reads the document or names the
    /// problem.
    fn read_fast(body: &str) -> Option<Self> {
        let mut c = scan::Cursor::new(body);
        let (mut currency, mut built, mut reported) = (None, None, None);
        c.object(|c, key| {
            match key {
                "currency" if currency.is_none() => currency = Some(c.string()?),
                "events" if built.is_none() => {
                    let mut b = Builder::with_capacity(body.len() / 100);
                    let mut i = 0;
                    c.items(|c| {
                        read_event(c, i, &mut b)?;
                        i += 1;
                        Some(())
                    })?;
                    built = Some(b);
                }
                "reported_mrr" if reported.is_none() => {
                    reported = Some(c.optional(RawReported::read_fast)?);
                }
                _ => return None,
            }
            Some(())
        })?;
        c.at_end().then_some(())?;
        let currency = currency?;
        check::currency(EVENTS_DOC, "currency", &currency).ok()?;
        built?.finish(currency, reported.flatten()).ok()
    }
}

/// The document being built event by event, with the customer and plan
/// ids interned as they come.
struct Builder {
    customers: Vec<String>,
    customer_index: Index,
    plans: Vec<String>,
    plan_index: Index,
    events: Vec<Event>,
}

impl Builder {
    fn with_capacity(n: usize) -> Self {
        Self {
            customers: Vec::new(),
            customer_index: Index::default(),
            plans: Vec::new(),
            plan_index: Index::default(),
            events: Vec::with_capacity(n),
        }
    }

    /// Checks event `i` and adds it.
    fn push(&mut self, i: usize, e: Fields) -> Result<(), DocError> {
        let doc = EVENTS_DOC;
        // The place is written only for an error (tens of thousands of
        // events pass here).
        let at = |field: &'static str| move |e: DocError| e.placed(format!("events[{i}].{field}"));
        check::non_empty(doc, "", e.customer).map_err(at("customer"))?;
        check::non_empty(doc, "", e.plan).map_err(at("plan"))?;
        let when = check::timestamp(doc, "", e.at).map_err(at("at"))?;
        let mrr_cents = cents(doc, "", e.mrr_cents).map_err(at("mrr_cents"))?;
        if e.kind == EventKind::Cancel && mrr_cents != 0 {
            return Err(DocError::new(
                doc,
                format!("events[{i}] ({})", e.customer),
                format!("a cancel must have mrr_cents 0, not {mrr_cents}"),
            ));
        }
        self.events.push(Event {
            customer: intern(&mut self.customers, &mut self.customer_index, e.customer),
            at: when,
            kind: e.kind,
            plan: intern(&mut self.plans, &mut self.plan_index, e.plan),
            mrr_cents,
        });
        Ok(())
    }

    /// Checks the reported figures and makes the document.
    fn finish(
        self,
        currency: String,
        reported: Option<RawReported>,
    ) -> Result<RevenueEvents, DocError> {
        let doc = EVENTS_DOC;
        let reported_mrr = match reported {
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
        Ok(RevenueEvents {
            currency,
            customers: self.customers,
            plans: self.plans,
            events: self.events,
            reported_mrr,
        })
    }
}

/// Reads the events document in steps (see the module docs and
/// [`super::PostsReader`], which works the same way). It owns the body.
pub struct EventsReader {
    currency: String,
    reported: Option<RawReported>,
    body: String,
    items: Vec<Range<usize>>,
    built: Builder,
}

impl EventsReader {
    /// Checks the document's syntax and currency and finds each event,
    /// without parsing the events yet.
    pub fn new(body: String) -> Result<Self, DocError> {
        // Unpaired surrogates show as U+FFFD, as in a whole parse.
        let body = replace_lone_surrogates(&body).unwrap_or(body);
        let (currency, reported, items) = {
            let lazy: LazyEvents = match serde_json::from_str(&body) {
                Ok(lazy) => lazy,
                Err(e) => {
                    return Err(match parse_json::<RawEvents>(EVENTS_DOC, &body) {
                        Err(named) => named,
                        Ok(_) => DocError::new(EVENTS_DOC, "", format!("not valid JSON ({e})")),
                    })
                }
            };
            check::currency(EVENTS_DOC, "currency", &lazy.currency)?;
            let items = item_spans(&body, &lazy.events);
            (lazy.currency, lazy.reported_mrr, items)
        };
        Ok(Self {
            built: Builder::with_capacity(items.len()),
            currency,
            reported,
            body,
            items,
        })
    }
}

impl ReadInSteps for EventsReader {
    type Doc = RevenueEvents;

    fn total(&self) -> usize {
        self.items.len()
    }

    fn read_so_far(&self) -> usize {
        self.built.events.len()
    }

    fn read(&mut self, n: usize) -> Result<(), DocError> {
        let from = self.read_so_far();
        for (i, span) in self.items.iter().enumerate().skip(from).take(n) {
            let text = self.body.get(span.clone()).unwrap_or_default();
            let raw: RawEvent = parse_item(EVENTS_DOC, "events", i, text)?;
            self.built.push(i, raw.fields())?;
        }
        Ok(())
    }

    fn finish(self) -> Result<RevenueEvents, DocError> {
        self.built.finish(self.currency, self.reported)
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
    fn ids_hash_as_fnv_1a() {
        let hash = |bytes: &[u8]| {
            let mut h = Fnv::default();
            h.write(bytes);
            h.finish()
        };
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash(b"foobar"), 0x8594_4171_f739_67e8);
    }

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
            // The reader in steps names the same place.
            let got = read_in_steps(&body, 1).unwrap_err().to_string();
            assert!(got.starts_with(&want), "reader: want {want:?}, got {got:?}");
        }
    }

    fn read_in_steps(body: &str, n: usize) -> Result<RevenueEvents, DocError> {
        let mut r = EventsReader::new(body.to_owned())?;
        while !r.done() {
            r.read(n)?;
        }
        r.finish()
    }

    /// What the general way reads, or `None` where it refuses.
    fn general(body: &str) -> Option<RevenueEvents> {
        RevenueEvents::read_general(body).ok()
    }

    fn fast(body: &str) -> Option<RevenueEvents> {
        RevenueEvents::read_fast(body)
    }

    #[test]
    fn the_fast_reader_reads_as_the_general_parser() {
        assert!(fast(GOOD).is_some());
        assert_eq!(fast(GOOD), general(GOOD));
        // Whitespace, another key order and no or null reported figures
        // read the same.
        let spaced = GOOD.replace(',', " ,\n ").replace("\":", "\" : ");
        assert_eq!(fast(&spaced), general(GOOD));
        let reordered = GOOD.replace(
            "{\"customer\":\"cus_0002\",\"at\":\"2015-02-01T00:00:00Z\",",
            "{\"at\":\"2015-02-01T00:00:00Z\",\"customer\":\"cus_0002\",",
        );
        // An escape in a text goes the general way, which reads it.
        let escaped = GOOD.replace("\"cus_0002\"", "\"cus_\\u0030002\"");
        assert_eq!(fast(&escaped), None);
        assert_eq!(general(&escaped), general(GOOD));
        let cut = GOOD.find(",\"reported_mrr\"").unwrap();
        let no_reported = format!("{}}}", &GOOD[..cut]);
        let null_reported = format!("{},\"reported_mrr\":null}}", &GOOD[..cut]);
        for body in [&reordered, &no_reported, &null_reported] {
            assert!(fast(body).is_some(), "{body}");
            assert_eq!(fast(body), general(body), "{body}");
        }
        assert_eq!(fast(&reordered), general(GOOD));
        assert_eq!(general(&no_reported), general(&null_reported));
        // Anything unusual or wrong goes the general way, which reads it
        // or names the problem: unknown or repeated keys, an unknown
        // kind, a negative, fractional or too large amount, trailing
        // text, and a well-formed document the contract refuses.
        for odd in [
            GOOD.replacen("\"currency\":", "\"extra\":1,\"currency\":", 1),
            GOOD.replacen(
                "\"plan\":\"awesome\",",
                "\"plan\":\"awesome\",\"plan\":\"x\",",
                1,
            ),
            GOOD.replacen("\"kind\":\"change\"", "\"kind\":\"upgrade\"", 1),
            GOOD.replacen("\"mrr_cents\":5000", "\"mrr_cents\":-5000", 1),
            GOOD.replacen("\"mrr_cents\":5000", "\"mrr_cents\":5000.0", 1),
            GOOD.replacen(
                "\"mrr_cents\":5000",
                "\"mrr_cents\":18446744073709551616",
                1,
            ),
            GOOD.replacen("[1000,2000]", "[1000,-2000]", 1),
            format!("{GOOD} x"),
            GOOD.replacen("\"mrr_cents\":0}", "\"mrr_cents\":10}", 1),
            GOOD.replacen("2015-06-10T09:30:00Z", "2015-06-10", 1),
            GOOD.replacen("\"plan\":\"awesome\"", "\"plan\":\"\"", 1),
            GOOD.replacen("\"USD\"", "\"usd\"", 1),
            GOOD.replacen("[\"2015-01\",\"2015-02\"]", "[\"2015-02\",\"2015-01\"]", 1),
        ] {
            assert_eq!(fast(&odd), None, "{odd}");
        }
        // An unknown key is ignored by the general parse, as before.
        let extra = GOOD.replacen("\"currency\":", "\"extra\":1,\"currency\":", 1);
        assert_eq!(general(&extra), general(GOOD));
    }

    #[test]
    fn the_reader_in_steps_gives_the_same_document() {
        let whole = RevenueEvents::parse(GOOD).unwrap();
        let mut r = EventsReader::new(GOOD.to_owned()).unwrap();
        assert_eq!((r.total(), r.read_so_far(), r.done()), (4, 0, false));
        r.read(3).unwrap();
        assert_eq!((r.read_so_far(), r.done()), (3, false));
        r.read(3).unwrap();
        assert!(r.done());
        assert_eq!(r.finish().unwrap(), whole);
        assert_eq!(read_in_steps(GOOD, 1).unwrap(), whole);
    }
}
