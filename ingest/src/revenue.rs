//! `revenue/events.json`: the revenue events the Stripe rules produced
//! (`stripe`), and `--reported-mrr` (CSV `month,mrr_cents`) as the
//! reconciliation's `reported_mrr`.

use crate::publish::{checked, Staging};
use crate::stripe::RevenueEventOut;
use pulse::api::{Month, RevenueEvents, EVENTS_DOC};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct EventsDoc<'a> {
    currency: &'a str,
    events: Vec<EventDoc<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reported_mrr: Option<Reported>,
}

#[derive(Serialize)]
struct EventDoc<'a> {
    customer: &'a str,
    at: &'a str,
    kind: &'a str,
    plan: &'a str,
    mrr_cents: i64,
}

/// MRR as another system reports it, month by month.
#[derive(Serialize, Debug, PartialEq)]
pub struct Reported {
    months: Vec<String>,
    mrr_cents: Vec<u64>,
}

/// Reads the CSV `month,mrr_cents` (header row; months in any order,
/// each once).
pub fn reported_mrr(path: &Path) -> Result<Reported, String> {
    let shown = path.display();
    let body = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
    parse_reported(&body).map_err(|(line, why)| format!("{shown}: line {line}: {why}"))
}

/// The CSV's rows, sorted by month; errors give the line.
pub fn parse_reported(body: &str) -> Result<Reported, (usize, String)> {
    let mut rows: Vec<(Month, u64)> = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || (n == 1 && line.starts_with("month")) {
            continue;
        }
        let (m, v) = line
            .split_once(',')
            .ok_or((n, "expected month,mrr_cents".to_owned()))?;
        let month = Month::parse(m.trim()).ok_or((n, format!("{m:?} is not a month (YYYY-MM)")))?;
        let cents = v
            .trim()
            .parse::<u64>()
            .map_err(|_| (n, format!("{v:?} is not a whole number of cents")))?;
        if rows.iter().any(|(o, _)| *o == month) {
            return Err((n, format!("month {month} is listed twice")));
        }
        rows.push((month, cents));
    }
    rows.sort();
    Ok(Reported {
        months: rows.iter().map(|(m, _)| m.to_string()).collect(),
        mrr_cents: rows.iter().map(|(_, c)| *c).collect(),
    })
}

/// Stages `revenue/events.json`.
pub fn write(
    currency: &str,
    events: &[RevenueEventOut],
    reported: Option<Reported>,
    staging: &mut Staging,
) -> Result<(), String> {
    let body = serde_json::to_vec(&EventsDoc {
        currency,
        events: events
            .iter()
            .map(|e| EventDoc {
                customer: &e.customer,
                at: &e.at,
                kind: e.kind,
                plan: &e.plan,
                mrr_cents: e.mrr_cents,
            })
            .collect(),
        reported_mrr: reported,
    })
    .map_err(|e| e.to_string())?;
    checked(RevenueEvents::parse(
        std::str::from_utf8(&body).map_err(|e| e.to_string())?,
    ))?;
    staging.put(EVENTS_DOC, &body)
}

/// Stages the dataset's own `revenue/events.json` with a new
/// `reported_mrr` (a run with `--reported-mrr` but no Stripe archive).
pub fn replace_reported(
    path: &Path,
    reported: Reported,
    staging: &mut Staging,
) -> Result<(), String> {
    let shown = path.display();
    let body = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
    let mut doc: serde_json::Value =
        serde_json::from_str(&body).map_err(|e| format!("{shown}: {e}"))?;
    if let Some(obj) = doc.as_object_mut() {
        obj.insert(
            "reported_mrr".to_owned(),
            serde_json::to_value(&reported).map_err(|e| e.to_string())?,
        );
    }
    let body = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
    checked(RevenueEvents::parse(
        std::str::from_utf8(&body).map_err(|e| e.to_string())?,
    ))?;
    staging.put(EVENTS_DOC, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reported_mrr_is_sorted_and_checked() {
        let r = parse_reported("month,mrr_cents\n2016-08,200\n2016-07,100\n").unwrap();
        assert_eq!(r.months, vec!["2016-07", "2016-08"]);
        assert_eq!(r.mrr_cents, vec![100, 200]);
        assert_eq!(
            parse_reported("month,mrr_cents\n2016-13,1\n")
                .unwrap_err()
                .0,
            2
        );
        assert_eq!(
            parse_reported("month,mrr_cents\n2016-01,x\n")
                .unwrap_err()
                .0,
            2
        );
        assert!(parse_reported("2016-01,1\n2016-01,2\n")
            .unwrap_err()
            .1
            .contains("twice"));
    }
}
