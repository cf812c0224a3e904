//! The command line: flags as documented in the README's "Use your own
//! data" section. Hand-written, to keep the importer's build small.

use std::path::PathBuf;

/// Where the post log comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum PostSource {
    /// No post log: no delivery days, no posts pages.
    None,
    /// Files read by DuckDB, by extension.
    Files(Vec<PathBuf>),
    /// A PostgreSQL table or query; the aggregation runs in the server.
    Postgres { url: String, relation: Relation },
    /// Rows a warehouse aggregated (`--aggregates`).
    Aggregates(Vec<PathBuf>),
}

/// A PostgreSQL relation holding the post log.
#[derive(Clone, Debug, PartialEq)]
pub enum Relation {
    Table(String),
    Query(String),
}

/// Everything the command line asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct Args {
    pub out: PathBuf,
    pub name: String,
    pub posts: PostSource,
    pub bounds_s: Vec<f64>,
    pub post_days: Option<usize>,
    /// The most posts held at once while posts pages are written.
    pub posts_per_pass: u64,
    pub stripe_events: Vec<PathBuf>,
    pub currency: Option<String>,
    pub reported_mrr: Option<PathBuf>,
    pub services: Option<PathBuf>,
    pub bugs: Option<PathBuf>,
    pub annotations: Option<PathBuf>,
    pub strict: bool,
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Write a dataset.
    Run(Box<Args>),
    /// `-h`, `--help`: print [`help`] and stop.
    Help,
    /// `-V`, `--version`: print the version and stop.
    Version,
}

/// The usage text.
pub const USAGE: &str = "usage: pulse-ingest --out DIR [--name TEXT]
  [--posts FILE]... | [--postgres URL (--posts-table NAME | --posts-query SQL)] | [--aggregates FILE]...
  [--bounds 10,20,...] [--post-days N] [--posts-per-pass N] [--strict]
  [--stripe-events FILE]... [--currency CODE] [--reported-mrr FILE]
  [--services FILE] [--bugs FILE] [--annotations FILE]";

/// The text of `--help`: what the command does, the usage and every flag
/// (the README's "Use your own data" says more).
pub fn help(default_bounds: &[f64]) -> String {
    let bounds: Vec<String> = default_bounds.iter().map(f64::to_string).collect();
    format!(
        "pulse-ingest: turns a post log, a Stripe event archive and monthly report inputs
into a Pulse dataset folder; every document is checked before it is published,
and a failed run leaves the previous dataset as it was.

{USAGE}

  --out DIR              the dataset folder to write (point config.json's api_base at it)
  --name TEXT            the dataset's name in meta.json (default \"Pulse data\")
  --posts FILE           a post log: .csv (header row), .jsonl/.ndjson or .parquet; repeatable
  --postgres URL         read the post log from PostgreSQL, aggregating there, with
    --posts-table NAME     a table, or
    --posts-query SQL      a query
  --aggregates FILE      delivery histograms a warehouse computed (CSV or Parquet); repeatable
  --bounds LIST          bucket edges in seconds (default {}); keep 60 and 90
  --post-days N          posts pages only for the latest N days (default all)
  --posts-per-pass N     read the post days' posts N at a time at most, whole days
                         (default {}: about 1 GB of memory)
  --strict               any skipped row is an error
  --stripe-events FILE   Stripe Event objects, one JSON object per line; repeatable
  --currency CODE        keep subscriptions in this currency only
  --reported-mrr FILE    CSV month,mrr_cents: MRR as another system reports it
  --services FILE        CSV day,service,requests,avg_response_ms
  --bugs FILE            CSV id,severity,opened_at,closed_at
  --annotations FILE     annotations, CSV (id,kind,title,at,from,to,text,url,tags) or JSON Lines
  -h, --help             this text
  -V, --version          the version

Exit status: 0 when the dataset was written, 1 when the run failed (nothing
was published), 2 for a command line it could not read.",
        bounds.join(","),
        crate::pages::POSTS_PER_PASS
    )
}

/// Reads the arguments (without the program name).
pub fn parse(args: &[String], default_bounds: &[f64]) -> Result<Command, String> {
    let mut out = None;
    let mut name = "Pulse data".to_owned();
    let (mut posts, mut aggregates, mut stripe_events) = (Vec::new(), Vec::new(), Vec::new());
    let (mut postgres, mut table, mut query) = (None, None, None);
    let mut bounds_s = default_bounds.to_vec();
    let (mut post_days, mut currency, mut reported_mrr) = (None, None, None);
    let mut posts_per_pass = crate::pages::POSTS_PER_PASS;
    let (mut services, mut bugs, mut strict) = (None, None, false);
    let mut annotations = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--name" => name = value()?,
            "--posts" => posts.push(PathBuf::from(value()?)),
            "--aggregates" => aggregates.push(PathBuf::from(value()?)),
            "--postgres" => postgres = Some(value()?),
            "--posts-table" => table = Some(value()?),
            "--posts-query" => query = Some(value()?),
            "--bounds" => bounds_s = parse_bounds(&value()?)?,
            "--post-days" => {
                let v = value()?;
                post_days =
                    Some(v.parse::<usize>().map_err(|_| {
                        format!("--post-days {v:?}: expected a whole number of days")
                    })?);
            }
            "--posts-per-pass" => {
                let v = value()?;
                posts_per_pass = v.parse::<u64>().ok().filter(|&n| n > 0).ok_or_else(|| {
                    format!("--posts-per-pass {v:?}: expected a number of posts, 1 or more")
                })?;
            }
            "--stripe-events" => stripe_events.push(PathBuf::from(value()?)),
            "--currency" => currency = Some(value()?),
            "--reported-mrr" => reported_mrr = Some(PathBuf::from(value()?)),
            "--services" => services = Some(PathBuf::from(value()?)),
            "--bugs" => bugs = Some(PathBuf::from(value()?)),
            "--annotations" => annotations = Some(PathBuf::from(value()?)),
            "--strict" => strict = true,
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let out = out.ok_or_else(|| format!("--out DIR is required\n{USAGE}"))?;
    let sources = usize::from(!posts.is_empty())
        + usize::from(!aggregates.is_empty())
        + usize::from(postgres.is_some());
    if sources > 1 {
        return Err("--posts, --postgres and --aggregates exclude each other".to_owned());
    }
    let posts = match (postgres, table, query) {
        (Some(url), Some(t), None) => PostSource::Postgres {
            url,
            relation: Relation::Table(t),
        },
        (Some(url), None, Some(q)) => PostSource::Postgres {
            url,
            relation: Relation::Query(q),
        },
        (Some(_), _, _) => {
            return Err(
                "--postgres needs exactly one of --posts-table and --posts-query".to_owned(),
            )
        }
        (None, None, None) if !posts.is_empty() => PostSource::Files(posts),
        (None, None, None) if !aggregates.is_empty() => PostSource::Aggregates(aggregates),
        (None, None, None) => PostSource::None,
        (None, _, _) => return Err("--posts-table and --posts-query need --postgres".to_owned()),
    };
    Ok(Command::Run(Box::new(Args {
        out,
        name,
        posts,
        bounds_s,
        post_days,
        posts_per_pass,
        stripe_events,
        currency,
        reported_mrr,
        services,
        bugs,
        annotations,
        strict,
    })))
}

/// `10,20,30`: ascending positive edges in seconds.
pub fn parse_bounds(s: &str) -> Result<Vec<f64>, String> {
    let mut out: Vec<f64> = Vec::new();
    for part in s.split(',') {
        let b = part
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|b| b.is_finite() && *b > 0.0 && *b < 1e9)
            .ok_or_else(|| format!("--bounds: {part:?} is not a positive number of seconds"))?;
        if out.last().is_some_and(|&p| b <= p) {
            return Err(format!("--bounds: {b} is not above the edge before it"));
        }
        out.push(b);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(s: &[&str]) -> Result<Command, String> {
        parse(
            &s.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
            &[60.0],
        )
    }

    fn args(s: &[&str]) -> Result<Args, String> {
        match command(s)? {
            Command::Run(a) => Ok(*a),
            other => Err(format!("{other:?}")),
        }
    }

    #[test]
    fn help_and_version_stop_before_anything_is_checked() {
        assert_eq!(command(&["--help"]), Ok(Command::Help));
        assert_eq!(command(&["--out", "d", "-h"]), Ok(Command::Help));
        assert_eq!(command(&["-V"]), Ok(Command::Version));
        assert_eq!(
            command(&["--version", "--bounds", "x"]),
            Ok(Command::Version)
        );
        // Every flag the parser reads is in the help, with the defaults.
        let text = help(&[10.0, 60.0, 90.0]);
        for flag in [
            "--out",
            "--name",
            "--posts",
            "--postgres",
            "--posts-table",
            "--posts-query",
            "--aggregates",
            "--bounds",
            "--post-days",
            "--posts-per-pass",
            "--strict",
            "--stripe-events",
            "--currency",
            "--reported-mrr",
            "--services",
            "--bugs",
            "--annotations",
        ] {
            assert!(text.contains(&format!("  {flag} ")), "{flag}");
        }
        assert!(text.contains("(default 10,60,90)"), "{text}");
    }

    #[test]
    fn reads_every_flag() {
        let a = args(&[
            "--out",
            "d",
            "--name",
            "Acme",
            "--posts",
            "a.csv",
            "--posts",
            "b.parquet",
            "--bounds",
            "10,60.5",
            "--post-days",
            "2",
            "--posts-per-pass",
            "5000",
            "--stripe-events",
            "s.jsonl",
            "--currency",
            "eur",
            "--reported-mrr",
            "r.csv",
            "--services",
            "v.csv",
            "--bugs",
            "b.csv",
            "--annotations",
            "events.csv",
            "--strict",
        ])
        .unwrap();
        assert_eq!(a.annotations, Some(PathBuf::from("events.csv")));
        assert_eq!(a.out, PathBuf::from("d"));
        assert_eq!(a.name, "Acme");
        assert_eq!(
            a.posts,
            PostSource::Files(vec!["a.csv".into(), "b.parquet".into()])
        );
        assert_eq!(a.bounds_s, vec![10.0, 60.5]);
        assert_eq!(a.post_days, Some(2));
        assert_eq!(a.posts_per_pass, 5000);
        assert_eq!(a.currency.as_deref(), Some("eur"));
        assert!(a.strict);
    }

    #[test]
    fn defaults_and_errors() {
        let a = args(&["--out", "d"]).unwrap();
        assert_eq!(
            (a.name.as_str(), a.bounds_s, a.posts),
            ("Pulse data", vec![60.0], PostSource::None)
        );
        assert_eq!(a.posts_per_pass, 2_000_000);
        for bad in ["0", "-3", "1e6", ""] {
            assert!(args(&["--out", "d", "--posts-per-pass", bad])
                .unwrap_err()
                .contains("1 or more"));
        }
        assert!(args(&[]).unwrap_err().contains("--out DIR is required"));
        assert!(args(&["--out", "d", "--postgres", "u"])
            .unwrap_err()
            .contains("exactly one"));
        assert!(args(&["--out", "d", "--posts-table", "t"])
            .unwrap_err()
            .contains("need --postgres"));
        assert!(args(&["--out", "d", "--posts", "a.csv", "--aggregates", "b.csv"]).is_err());
        assert!(args(&["--out", "d", "--bounds", "10,10"])
            .unwrap_err()
            .contains("not above"));
        assert!(args(&["--out", "d", "--bounds", "-1"]).is_err());
        assert!(args(&["--out", "d", "--post-days", "x"]).is_err());
        assert!(args(&["--out"]).unwrap_err().contains("needs a value"));
        let pg = args(&["--out", "d", "--postgres", "u", "--posts-query", "select 1"]).unwrap();
        assert_eq!(
            pg.posts,
            PostSource::Postgres {
                url: "u".into(),
                relation: Relation::Query("select 1".into())
            }
        );
    }
}
