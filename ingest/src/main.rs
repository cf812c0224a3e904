//! `pulse-ingest`: turns a team's post log (CSV, JSON Lines, Parquet, a
//! PostgreSQL table, or a warehouse's aggregates), Stripe event archive,
//! bug tracker export and service figures into Pulse's documents, each
//! checked by Pulse's own parsers and published atomically into `--out`.
//!
//! The aggregation is SQL (`ingest/sql/`) run by DuckDB in-process, or by
//! PostgreSQL with `--postgres`. See the README, "Use your own data".

// Input data must never panic the importer: the workspace denies unwrap,
// expect and unchecked indexing. Tests: a panic is a failed test, with its
// message.
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod aggregates;
mod annotations;
mod args;
mod delivery;
mod engine;
mod instant;
mod pages;
mod publish;
mod reports;
mod revenue;
mod run;
mod source;
mod sql;
mod stripe;
mod summary;

#[cfg(test)]
mod tests;

use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let bounds: Vec<f64> = pulse::demo::delivery::BOUNDS_S
        .iter()
        .map(|&b| f64::from(b))
        .collect();
    let args = match args::parse(&argv, &bounds) {
        Ok(args::Command::Run(a)) => *a,
        Ok(args::Command::Help) => {
            println!("{}", args::help(&bounds));
            return ExitCode::SUCCESS;
        }
        Ok(args::Command::Version) => {
            println!("pulse-ingest {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("pulse-ingest: {e}");
            return ExitCode::from(2);
        }
    };
    match run::run(&args) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "pulse-ingest: error: {e}\n  nothing was published; {} is unchanged",
                args.out.display()
            );
            ExitCode::FAILURE
        }
    }
}
