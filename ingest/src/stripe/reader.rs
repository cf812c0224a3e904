//! Reading event archives: lines in, subscription events kept (once per
//! id, in the chosen currency), then applied in order of `created` and id.

use super::blocks::{read_records, Split};
use super::hash::BuildWordHasher;
use super::ledger::{Applied, Candidate, Ledger};
use super::record::{currency_code, Record, Subscription};
use super::time;
use super::{RevenueEventOut, StripeError, StripeOptions, StripeOutcome, StripeStats};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read};
use std::sync::Arc;

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
    id: Arc<str>,
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
    seen: HashSet<Arc<str>, BuildWordHasher>,
    pending: Vec<Pending>,
    customers: Interner,
    subscriptions: Interner,
    plans: Interner,
    stats: StripeStats,
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
    /// blank lines allowed; its lines are read on all cores.
    pub fn read(&mut self, file: &str, input: impl BufRead) -> Result<(), StripeError> {
        self.read_split(file, input, Split::all_cores())
    }

    /// [`StripeReader::read`] with the reading shared out as `split` says;
    /// the outcome is the same whatever the split.
    pub fn read_split(
        &mut self,
        file: &str,
        input: impl Read,
        split: Split,
    ) -> Result<(), StripeError> {
        let file_number = u32::try_from(self.files.len()).map_err(|_| StripeError {
            file: file.to_string(),
            line: None,
            message: "too many files".to_string(),
        })?;
        self.files.push(file.to_string());
        let error = |line: u64, message: String| StripeError {
            file: file.to_string(),
            line: Some(line),
            message,
        };
        read_records(
            input,
            split,
            |block| {
                let numbers = block.first_line..;
                for (record, number) in block.records.into_iter().zip(numbers) {
                    self.record(record, file_number, number)
                        .map_err(|message| error(number, message))?;
                }
                Ok(())
            },
            |stop| error(stop.line, format!("cannot read: {}", stop.error)),
        )
    }

    /// One line's record, applied.
    fn record(&mut self, record: Record, file: u32, number: u64) -> Result<(), String> {
        let (id, subscription) = match record {
            Record::Blank => return Ok(()),
            Record::Broken(message) => {
                self.stats.lines += 1;
                return Err(message);
            }
            Record::Other { id, failure } => {
                self.stats.lines += 1;
                if !self.first_sight(&id) {
                    self.stats.duplicates += 1;
                } else if let Some(failure) = failure {
                    return Err(format!("event {id}: {failure}"));
                } else {
                    self.stats.ignored_types += 1;
                }
                return Ok(());
            }
            Record::Subscription { id, subscription } => (id, subscription),
        };
        self.stats.lines += 1;
        if !self.first_sight(&id) {
            self.stats.duplicates += 1;
            return Ok(());
        }
        subscription
            .and_then(|sub| self.subscription_event(*sub, Arc::clone(&id), file, number))
            .map_err(|message| format!("event {id}: {message}"))
    }

    /// Whether the id is new (and now seen).
    fn first_sight(&mut self, id: &Arc<str>) -> bool {
        self.seen.insert(Arc::clone(id))
    }

    fn subscription_event(
        &mut self,
        sub: Subscription,
        id: Arc<str>,
        file: u32,
        line: u64,
    ) -> Result<(), String> {
        if self.currency.is_some_and(|kept| kept != sub.currency) {
            self.stats.other_currency += 1;
            return Ok(());
        }
        let worth = sub.worth?;
        let top = match worth.top {
            Some((monthly, plan)) => Some(Candidate {
                monthly,
                plan: self.plans.number(&plan)?,
            }),
            None => None,
        };
        let event = Applied {
            customer: self.customers.number(&sub.customer)?,
            subscription: self.subscriptions.number(&sub.id)?,
            mrr_cents: worth.mrr_cents,
            top,
        };
        self.stats.subscriptions += 1;
        self.pending.push(Pending {
            created: sub.created,
            id,
            file,
            line,
            currency: sub.currency,
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
