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
    pub stripe_events: Vec<PathBuf>,
    pub currency: Option<String>,
    pub reported_mrr: Option<PathBuf>,
    pub services: Option<PathBuf>,
    pub bugs: Option<PathBuf>,
    pub annotations: Option<PathBuf>,
    pub strict: bool,
}

/// The usage text.
pub const USAGE: &str = "usage: pulse-ingest --out DIR [--name TEXT]
  [--posts FILE]... | [--postgres URL (--posts-table NAME | --posts-query SQL)] | [--aggregates FILE]...
  [--bounds 10,20,...] [--post-days N] [--strict]
  [--stripe-events FILE]... [--currency CODE] [--reported-mrr FILE]
  [--services FILE] [--bugs FILE] [--annotations FILE]";

/// Reads the arguments (without the program name).
pub fn parse(args: &[String], default_bounds: &[f64]) -> Result<Args, String> {
    let mut out = None;
    let mut name = "Pulse data".to_owned();
    let (mut posts, mut aggregates, mut stripe_events) = (Vec::new(), Vec::new(), Vec::new());
    let (mut postgres, mut table, mut query) = (None, None, None);
    let mut bounds_s = default_bounds.to_vec();
    let (mut post_days, mut currency, mut reported_mrr) = (None, None, None);
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
            "--stripe-events" => stripe_events.push(PathBuf::from(value()?)),
            "--currency" => currency = Some(value()?),
            "--reported-mrr" => reported_mrr = Some(PathBuf::from(value()?)),
            "--services" => services = Some(PathBuf::from(value()?)),
            "--bugs" => bugs = Some(PathBuf::from(value()?)),
            "--annotations" => annotations = Some(PathBuf::from(value()?)),
            "--strict" => strict = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
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
    Ok(Args {
        out,
        name,
        posts,
        bounds_s,
        post_days,
        stripe_events,
        currency,
        reported_mrr,
        services,
        bugs,
        annotations,
        strict,
    })
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

    fn args(s: &[&str]) -> Result<Args, String> {
        parse(
            &s.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
            &[60.0],
        )
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
