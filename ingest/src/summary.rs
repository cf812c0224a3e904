//! The one summary printed at the end of a run: rows read per input, rows
//! skipped by reason (with the first place of each), what was written and
//! the time taken.

use std::collections::BTreeMap;
use std::fmt;

/// Where a skipped row was first seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub input: String,
    /// `line` or `row`.
    pub unit: &'static str,
    pub number: i64,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.input, self.unit, self.number)
    }
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub out: String,
    /// (input, what was read, count), in the order given.
    pub read: Vec<(String, &'static str, u64)>,
    /// Reason → (rows, first place).
    pub skipped: BTreeMap<String, (u64, Place)>,
    pub delivery_days: usize,
    /// The most delivery days whose histograms were held at once (one
    /// when the aggregation's rows come in day order).
    pub days_held: usize,
    pub post_days: usize,
    pub hours: usize,
    pub posts_written: u64,
    /// Readings of the posts query (`--posts-per-pass`).
    pub post_passes: usize,
    pub report_months: usize,
    pub revenue_events: Option<usize>,
    pub stripe_notes: Vec<String>,
    pub seconds: f64,
}

impl Summary {
    /// Rows skipped in all.
    pub fn skipped_rows(&self) -> u64 {
        self.skipped.values().map(|(n, _)| n).sum()
    }

    /// One line per skip reason.
    pub fn skip_lines(&self) -> Vec<String> {
        self.skipped
            .iter()
            .map(|(why, (n, first))| format!("{why}: {n} (first: {first})"))
            .collect()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "pulse-ingest: dataset written to {}", self.out)?;
        for (input, what, n) in &self.read {
            writeln!(f, "  read     {input}: {n} {what}")?;
        }
        writeln!(f, "  skipped  {} rows", self.skipped_rows())?;
        for line in self.skip_lines() {
            writeln!(f, "           {line}")?;
        }
        for note in &self.stripe_notes {
            writeln!(f, "  stripe   {note}")?;
        }
        writeln!(
            f,
            "  wrote    {} delivery days, {} post days ({} hours, {} posts{}), {} report months{}",
            self.delivery_days,
            self.post_days,
            self.hours,
            self.posts_written,
            if self.post_passes > 1 {
                format!(" in {} passes", self.post_passes)
            } else {
                String::new()
            },
            self.report_months,
            match self.revenue_events {
                Some(n) => format!(", {n} revenue events"),
                None => String::new(),
            }
        )?;
        write!(f, "  time     {:.2} s", self.seconds)
    }
}
