//! Stripe Event objects (one JSON object per line) into Pulse's revenue
//! events. Placeholder with the module's interface: reads nothing.

use std::fmt;
use std::path::PathBuf;

/// What `--currency` asks for.
#[derive(Clone, Debug, Default)]
pub struct StripeOptions {
    /// Keep subscriptions in this currency only (any case).
    pub currency: Option<String>,
}

/// One revenue event of the contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevenueEventOut {
    pub customer: String,
    /// RFC 3339 UTC with `Z`.
    pub at: String,
    /// `subscribe`, `change` or `cancel`.
    pub kind: &'static str,
    pub plan: String,
    pub mrr_cents: i64,
}

/// Counts for the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StripeStats {
    pub lines: u64,
    pub duplicates: u64,
    pub ignored_types: u64,
    pub other_currency: u64,
    pub subscriptions: u64,
}

/// Everything read from the archives.
#[derive(Clone, Debug, Default)]
pub struct StripeOutcome {
    /// Upper-case; `None` when there was no subscription event.
    pub currency: Option<String>,
    /// In order of `at`, then Stripe order.
    pub events: Vec<RevenueEventOut>,
    /// Sorted, unique.
    pub plans: Vec<String>,
    pub stats: StripeStats,
}

/// A line that could not be read, or a rule broken.
#[derive(Clone, Debug)]
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

/// Reads the archives and applies the Stripe rules.
pub fn read_stripe(files: &[PathBuf], opts: &StripeOptions) -> Result<StripeOutcome, StripeError> {
    let _ = (files, &opts.currency);
    Ok(StripeOutcome::default())
}
