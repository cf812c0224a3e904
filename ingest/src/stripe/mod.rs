//! Stripe event archives to the data contract's revenue events.
//!
//! Input: files of Stripe Event objects, one JSON object per line (blank
//! lines allowed), as a webhook log or `stripe events list` writes them.
//! Only `customer.subscription.created`, `.updated` and `.deleted` matter;
//! an event id seen before is ignored; events apply in order of `created`,
//! then id, whatever the file order. Each subscription's MRR follows the
//! rules in [`value`], each customer's MRR and plan those in [`ledger`].
//!
//! - [`blocks`]: archives read in blocks, their lines read on all cores.
//! - [`event`]: the typed, borrowing view of one line.
//! - [`hash`]: the fast hasher of the reader's tables.
//! - [`money`]: exact fractions of a cent, periods, rounding.
//! - [`value`]: one subscription's MRR and plan candidate.
//! - [`ledger`]: customers through the events, and the revenue events.
//! - [`record`]: one line worked out on its own, as a small owned record.
//! - [`reader`]: files in, duplicates and currencies, order, outcome out.
//! - [`time`]: `created` as an RFC 3339 timestamp.

pub mod blocks;
pub mod event;
pub mod hash;
pub mod ledger;
pub mod money;
pub mod reader;
pub mod record;
pub mod time;
pub mod value;

#[cfg(test)]
mod tests;

pub use reader::StripeReader;

use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

/// How to read the archives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StripeOptions {
    /// `--currency`, any case: keep subscriptions in this currency only,
    /// counting and skipping the others. Without it a second currency is an
    /// error.
    pub currency: Option<String>,
}

/// One revenue event of `revenue/events.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevenueEventOut {
    pub customer: String,
    /// RFC 3339 UTC with `Z`, e.g. `2016-08-03T08:00:00Z`.
    pub at: String,
    /// `subscribe`, `change` or `cancel`.
    pub kind: &'static str,
    pub plan: String,
    pub mrr_cents: i64,
}

/// What the archives held. Every non-blank line is exactly one of
/// `duplicates`, `ignored_types`, `other_currency` and `subscriptions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StripeStats {
    /// Non-blank lines read.
    pub lines: u64,
    /// Events whose id was seen before.
    pub duplicates: u64,
    /// Events of types other than `customer.subscription.*` created,
    /// updated and deleted.
    pub ignored_types: u64,
    /// Subscription events in a currency other than `--currency`.
    pub other_currency: u64,
    /// Subscription events applied.
    pub subscriptions: u64,
}

/// The archives' revenue history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeOutcome {
    /// Upper-case: `--currency` when given, else the archive's; `None` when
    /// neither (no subscription event and no `--currency`).
    pub currency: Option<String>,
    /// In order of `at`, then the order they were produced.
    pub events: Vec<RevenueEventOut>,
    /// Sorted, unique: every plan name an event uses.
    pub plans: Vec<String>,
    pub stats: StripeStats,
}

/// Why the archives could not be read: the file (or `--currency`), the line
/// when there is one, and what is wrong (naming the event id when it is
/// about an event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeError {
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
}

impl fmt::Display for StripeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for StripeError {}

/// Reads the archives in `files`, in this order, and returns the revenue
/// history they make.
pub fn read_stripe(files: &[PathBuf], opts: &StripeOptions) -> Result<StripeOutcome, StripeError> {
    let mut reader = StripeReader::new(opts)?;
    for path in files {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| StripeError {
            file: name.clone(),
            line: None,
            message: format!("cannot open: {e}"),
        })?;
        reader.read(&name, BufReader::new(file))?;
    }
    reader.finish()
}
