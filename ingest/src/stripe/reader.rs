//! Reading event archives: lines in, subscription events kept (once per
//! id, in the chosen currency), then applied in order of `created` and id.

use super::event::{self, text, Line, RawEvent};
use super::hash::BuildWordHasher;
use super::ledger::{Applied, Candidate, Ledger};
use super::time;
use super::value::worth;
use super::{RevenueEventOut, StripeError, StripeOptions, StripeOutcome, StripeStats};
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::rc::Rc;

/// Names to small numbers, and back.
#[derive(Default)]
struct Interner {
    numbers: HashMap<Box<str>, u32, BuildWordHasher>,
    names: Vec<Box<str>>,
}

impl Interner {
    fn number(&mut self, name: &str) -> Result<u32, String> {
        if let Some(number) = self.numbers.get(name) {
            return Ok(*number);
        }
        let number = u32::try_from(self.names.len()).map_err(|_| "too many names")?;
        self.numbers.insert(Box::from(name), number);
        self.names.push(Box::from(name));
        Ok(number)
    }

    fn name(&self, number: u32) -> &str {
        usize::try_from(number)
            .ok()
            .and_then(|i| self.names.get(i))
            .map_or("", |name| name)
    }
}

/// A subscription event waiting for its turn.
struct Pending {
    created: i64,
    id: Rc<str>,
    /// Where it was read: the file's number and line.
    file: u32,
    line: u64,
    currency: [u8; 3],
    event: Applied,
}

/// Reads archives one after another ([`StripeReader::read`]), then applies
/// what it kept ([`StripeReader::finish`]).
pub struct StripeReader {
    currency: Option<[u8; 3]>,
    files: Vec<String>,
    seen: HashSet<Rc<str>, BuildWordHasher>,
    pending: Vec<Pending>,
    customers: Interner,
    subscriptions: Interner,
    plans: Interner,
    stats: StripeStats,
}

/// A currency code upper-cased, if it is three ASCII letters.
fn currency_code(text: &str) -> Option<[u8; 3]> {
    let bytes: [u8; 3] = text.as_bytes().try_into().ok()?;
    bytes
        .iter()
        .all(u8::is_ascii_alphabetic)
        .then(|| bytes.map(|b| b.to_ascii_uppercase()))
}

fn code_text(code: [u8; 3]) -> String {
    code.iter().map(|b| char::from(*b)).collect()
}

impl StripeReader {
    /// A reader for these options; an error when `--currency` is no
    /// three-letter code.
    pub fn new(opts: &StripeOptions) -> Result<StripeReader, StripeError> {
        let currency = match &opts.currency {
            Some(given) => Some(currency_code(given.trim()).ok_or_else(|| StripeError {
                file: "--currency".to_string(),
                line: None,
                message: format!("{given:?} is not a three-letter currency code"),
            })?),
            None => None,
        };
        Ok(StripeReader {
            currency,
            files: Vec::new(),
            seen: HashSet::default(),
            pending: Vec::new(),
            customers: Interner::default(),
            subscriptions: Interner::default(),
            plans: Interner::default(),
            stats: StripeStats::default(),
        })
    }

    /// Reads one archive, named `file` in errors: one JSON event per line,
    /// blank lines allowed.
    pub fn read(&mut self, file: &str, mut input: impl BufRead) -> Result<(), StripeError> {
        let file_number = u32::try_from(self.files.len()).map_err(|_| StripeError {
            file: file.to_string(),
            line: None,
            message: "too many files".to_string(),
        })?;
        self.files.push(file.to_string());
        let mut buffer = Vec::new();
        let mut number = 0u64;
        loop {
            buffer.clear();
            number += 1;
            let error = |message: String| StripeError {
                file: file.to_string(),
                line: Some(number),
                message,
            };
            let read = input
                .read_until(b'\n', &mut buffer)
                .map_err(|e| error(format!("cannot read: {e}")))?;
            if read == 0 {
                return Ok(());
            }
            let line = match buffer.strip_prefix(b"\xEF\xBB\xBF") {
                Some(rest) if number == 1 => rest,
                _ => buffer.as_slice(),
            };
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.stats.lines += 1;
            self.line(line, file_number, number).map_err(error)?;
        }
    }

    /// One non-blank line.
    fn line(&mut self, line: &[u8], file: u32, number: u64) -> Result<(), String> {
        let raw = match event::parse(line)? {
            Line::Event(raw) => raw,
            Line::Other { id, kind, error } => {
                if self.first_sight(id.as_str()).is_none() {
                    self.stats.duplicates += 1;
                } else if event::is_subscription_type(kind.as_str()) {
                    return Err(format!("event {}: {error}", id.as_str()));
                } else {
                    self.stats.ignored_types += 1;
                }
                return Ok(());
            }
        };
        let Some(id) = self.first_sight(raw.id.as_str()) else {
            self.stats.duplicates += 1;
            return Ok(());
        };
        if !event::is_subscription_type(raw.kind.as_str()) {
            self.stats.ignored_types += 1;
            return Ok(());
        }
        self.subscription_event(&raw, id, file, number)
            .map_err(|message| format!("event {}: {message}", raw.id.as_str()))
    }

    /// The id, shared with the table of ids seen, when it is new; `None`
    /// when it was seen before.
    fn first_sight(&mut self, id: &str) -> Option<Rc<str>> {
        let id: Rc<str> = Rc::from(id);
        self.seen.insert(Rc::clone(&id)).then_some(id)
    }

    fn subscription_event(
        &mut self,
        raw: &RawEvent,
        id: Rc<str>,
        file: u32,
        line: u64,
    ) -> Result<(), String> {
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
        let subscription = text(&sub.id).ok_or("data.object has no id")?;
        let currency_text = subscription_currency(sub).ok_or("data.object has no currency")?;
        let currency = currency_code(currency_text)
            .ok_or_else(|| format!("currency {currency_text:?} is not a three-letter code"))?;
        if self.currency.is_some_and(|kept| kept != currency) {
            self.stats.other_currency += 1;
            return Ok(());
        }
        let worth = worth(sub, raw.kind.as_str() == event::DELETED)
            .map_err(|message| format!("data.object.{message}"))?;
        let top = match worth.top {
            Some(top) => Some(Candidate {
                monthly: top.monthly,
                plan: self.plans.number(top.plan)?,
            }),
            None => None,
        };
        let event = Applied {
            customer: self.customers.number(customer)?,
            subscription: self.subscriptions.number(subscription)?,
            mrr_cents: worth.mrr_cents,
            top,
        };
        self.stats.subscriptions += 1;
        self.pending.push(Pending {
            created,
            id,
            file,
            line,
            currency,
            event,
        });
        Ok(())
    }

    /// Applies the kept events in order of `created`, then id, and returns
    /// the revenue events, or the error of a second currency (without
    /// `--currency`).
    pub fn finish(mut self) -> Result<StripeOutcome, StripeError> {
        self.pending
            .sort_unstable_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        let currency = match self.currency {
            Some(kept) => Some(kept),
            None => self.archive_currency()?,
        };
        let mut ledger = Ledger::default();
        let mut events = Vec::new();
        let mut used = HashSet::new();
        for pending in &self.pending {
            let change = ledger
                .apply(pending.event, &self.plans.names)
                .map_err(|message| self.error_at(pending, message))?;
            if let Some(change) = change {
                used.insert(change.plan);
                events.push(RevenueEventOut {
                    customer: self.customers.name(pending.event.customer).to_string(),
                    at: time::rfc3339(pending.created),
                    kind: change.kind,
                    plan: self.plans.name(change.plan).to_string(),
                    mrr_cents: change.mrr_cents,
                });
            }
        }
        let mut plans: Vec<String> = used
            .into_iter()
            .map(|plan| self.plans.name(plan).to_string())
            .collect();
        plans.sort_unstable();
        Ok(StripeOutcome {
            currency: currency.map(code_text),
            events,
            plans,
            stats: self.stats,
        })
    }

    /// The one currency of the sorted events; an error naming the first
    /// event in another.
    fn archive_currency(&self) -> Result<Option<[u8; 3]>, StripeError> {
        let Some(first) = self.pending.first() else {
            return Ok(None);
        };
        match self.pending.iter().find(|p| p.currency != first.currency) {
            None => Ok(Some(first.currency)),
            Some(other) => Err(self.error_at(
                other,
                format!(
                    "a second currency, {} after {} (event {}): pass --currency to keep one",
                    code_text(other.currency),
                    code_text(first.currency),
                    first.id
                ),
            )),
        }
    }

    fn error_at(&self, pending: &Pending, message: String) -> StripeError {
        let file = usize::try_from(pending.file)
            .ok()
            .and_then(|i| self.files.get(i))
            .cloned()
            .unwrap_or_default();
        StripeError {
            file,
            line: Some(pending.line),
            message: format!("event {}: {message}", pending.id),
        }
    }
}

/// The subscription's currency: its own, else its first item's price or
/// plan, else its plan's (older API versions have no subscription-level
/// currency).
fn subscription_currency<'s>(sub: &'s event::RawSubscription<'_>) -> Option<&'s str> {
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
