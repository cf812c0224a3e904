//! `reports/{month}.json`: the monthly key stats of July and August 2016
//! (fixed figures: the story the overview tells).

use serde::Serialize;

#[derive(Serialize)]
struct Service {
    name: &'static str,
    requests: u64,
    avg_response_ms: f64,
}

#[derive(Serialize)]
struct Bugs {
    severity: &'static str,
    opened: u64,
    closed: u64,
}

#[derive(Serialize)]
struct Platform {
    containers: u64,
    service_requests_per_week: u64,
    log_records_per_hour: u64,
}

#[derive(Serialize)]
struct Report {
    month: &'static str,
    services: Vec<Service>,
    bugs: Vec<Bugs>,
    platform: Platform,
}

fn service(name: &'static str, requests: u64, avg_response_ms: f64) -> Service {
    Service {
        name,
        requests,
        avg_response_ms,
    }
}

fn bugs(severity: &'static str, opened: u64, closed: u64) -> Bugs {
    Bugs {
        severity,
        opened,
        closed,
    }
}

fn reports() -> [Report; 2] {
    [
        Report {
            month: "2016-07",
            services: vec![
                service("buffer.com", 64_100_000, 231.5),
                service("api.bufferapp.com", 902_000_000, 91.7),
                service("buff.ly", 198_500_000, 33.0),
            ],
            bugs: vec![bugs("S1", 9, 6), bugs("S2", 38, 23)],
            platform: Platform {
                containers: 18,
                service_requests_per_week: 1_410_000,
                log_records_per_hour: 11_200,
            },
        },
        Report {
            month: "2016-08",
            services: vec![
                service("buffer.com", 68_300_000, 220.0),
                service("api.bufferapp.com", 944_000_000, 88.1),
                service("buff.ly", 212_000_000, 31.4),
            ],
            bugs: vec![bugs("S1", 2, 2), bugs("S2", 24, 17)],
            platform: Platform {
                containers: 20,
                service_requests_per_week: 1_490_000,
                log_records_per_hour: 12_000,
            },
        },
    ]
}

/// The report months, ascending.
pub const MONTHS: [&str; 2] = ["2016-07", "2016-08"];

/// The report documents as `(month, bytes)`.
pub fn documents() -> serde_json::Result<Vec<(&'static str, Vec<u8>)>> {
    reports()
        .iter()
        .map(|r| Ok((r.month, serde_json::to_vec(r)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn august_figures_and_month_order() {
        let docs = documents().unwrap();
        let months: Vec<&str> = docs.iter().map(|d| d.0).collect();
        assert_eq!(months, MONTHS);
        let aug = String::from_utf8(docs[1].1.clone()).unwrap();
        assert!(
            aug.contains(r#"{"name":"buffer.com","requests":68300000,"avg_response_ms":220.0}"#)
        );
        assert!(aug.contains(r#"{"severity":"S2","opened":24,"closed":17}"#));
    }
}
