//! `reports/{YYYY-MM}.json`: a month's key stats (traffic per service,
//! bugs per severity, platform figures).

use super::check;
use super::error::{parse_json, DocError};
use super::time::Month;
use serde::Deserialize;

/// The document's path for a month, e.g. `reports/2016-08.json`.
pub fn report_doc(month: Month) -> String {
    format!("reports/{month}.json")
}

#[derive(Deserialize)]
struct RawReport {
    month: String,
    services: Vec<Service>,
    bugs: Vec<Bugs>,
    #[serde(default)]
    platform: Option<Platform>,
}

/// Traffic of one service in the month.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Service {
    /// The service's name.
    pub name: String,
    /// Requests served in the month.
    pub requests: u64,
    /// Mean response time, ms.
    pub avg_response_ms: f64,
}

/// Bugs of one severity opened and closed in the month.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Bugs {
    /// The severity (`S1`, `S2`).
    pub severity: String,
    /// Bugs opened in the month.
    pub opened: u64,
    /// Bugs closed in the month.
    pub closed: u64,
}

impl Bugs {
    /// `closed / opened`, or `None` when nothing was opened.
    pub fn closed_share(&self) -> Option<f64> {
        (self.opened > 0).then(|| self.closed as f64 / self.opened as f64)
    }
}

/// Platform figures; each one is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Platform {
    /// Containers running at the month's end.
    #[serde(default)]
    pub containers: Option<u64>,
    /// Requests between services per week.
    #[serde(default)]
    pub service_requests_per_week: Option<u64>,
    /// Log records written per hour.
    #[serde(default)]
    pub log_records_per_hour: Option<u64>,
}

/// A validated monthly report.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The month reported on.
    pub month: Month,
    /// Traffic per service.
    pub services: Vec<Service>,
    /// Bugs per severity.
    pub bugs: Vec<Bugs>,
    /// Platform figures, when the report has them.
    pub platform: Option<Platform>,
}

impl Report {
    /// Parses and validates the report expected for `month`.
    pub fn parse(body: &str, month: Month) -> Result<Self, DocError> {
        let doc = &report_doc(month);
        let raw: RawReport = parse_json(doc, body)?;
        let got = check::month(doc, "month", &raw.month)?;
        if got != month {
            return Err(DocError::new(
                doc,
                "month",
                format!("is {got}, expected {month}"),
            ));
        }
        for (i, s) in raw.services.iter().enumerate() {
            let place = format!("services[{i}]");
            check::non_empty(doc, &format!("{place}.name"), &s.name)?;
            if !s.avg_response_ms.is_finite() || s.avg_response_ms < 0.0 {
                return Err(DocError::new(
                    doc,
                    format!("{place} ({}).avg_response_ms", s.name),
                    format!("{} is not a duration of 0 ms or more", s.avg_response_ms),
                ));
            }
            if raw.services.iter().take(i).any(|o| o.name == s.name) {
                return Err(DocError::new(
                    doc,
                    place,
                    format!("service {:?} is listed twice", s.name),
                ));
            }
        }
        for (i, b) in raw.bugs.iter().enumerate() {
            let place = format!("bugs[{i}]");
            check::non_empty(doc, &format!("{place}.severity"), &b.severity)?;
            if raw.bugs.iter().take(i).any(|o| o.severity == b.severity) {
                return Err(DocError::new(
                    doc,
                    place,
                    format!("severity {:?} is listed twice", b.severity),
                ));
            }
        }
        Ok(Self {
            month,
            services: raw.services,
            bugs: raw.bugs,
            platform: raw.platform,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
      "month": "2016-08",
      "services": [
        { "name": "buffer.com", "requests": 68300000, "avg_response_ms": 220.0 },
        { "name": "api.bufferapp.com", "requests": 944000000, "avg_response_ms": 88.1 }
      ],
      "bugs": [
        { "severity": "S1", "opened": 2, "closed": 2 },
        { "severity": "S2", "opened": 24, "closed": 17 },
        { "severity": "S3", "opened": 0, "closed": 1 }
      ],
      "platform": { "containers": 20, "service_requests_per_week": 1490000, "log_records_per_hour": 12000 }
    }"#;

    fn aug() -> Month {
        Month::parse("2016-08").unwrap()
    }

    #[test]
    fn parses_a_good_document() {
        let r = Report::parse(GOOD, aug()).unwrap();
        assert_eq!(r.services[1].requests, 944_000_000);
        assert_eq!(r.bugs[1].closed_share(), Some(17.0 / 24.0));
        assert_eq!(r.bugs[2].closed_share(), None);
        assert_eq!(r.platform.unwrap().containers, Some(20));
        let no_platform = GOOD.replace(r#""platform": { "containers": 20, "service_requests_per_week": 1490000, "log_records_per_hour": 12000 }"#, r#""platform": {}"#);
        assert_eq!(
            Report::parse(&no_platform, aug()).unwrap().platform,
            Some(Platform::default())
        );
    }

    #[test]
    fn names_the_place_of_each_problem() {
        let cases = [
            (GOOD.replace("\"month\": \"2016-08\"", "\"month\": \"2016-07\""), "reports/2016-08.json: month: is 2016-07, expected 2016-08"),
            (GOOD.replace("68300000", "-1"), "reports/2016-08.json: services[0].requests: invalid value: integer `-1`"),
            (GOOD.replace("220.0", "-3"), "reports/2016-08.json: services[0] (buffer.com).avg_response_ms: -3 is not a duration"),
            (GOOD.replace("\"S2\"", "\"S1\""), "reports/2016-08.json: bugs[1]: severity \"S1\" is listed twice"),
            (GOOD.replace("\"opened\": 24,", ""), "reports/2016-08.json: bugs[1]: missing field `opened`"),
            (GOOD.replace("\"buffer.com\"", "\"\""), "reports/2016-08.json: services[0].name: is empty"),
        ];
        for (body, want) in cases {
            let got = Report::parse(&body, aug()).unwrap_err().to_string();
            assert!(got.starts_with(want), "want {want:?}, got {got:?}");
        }
    }
}
