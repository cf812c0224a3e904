//! `meta.json` (what the dataset holds) and the site's `config.json`.

use super::mix::NETWORKS;
use super::revenue::PLANS;
use serde::Serialize;

#[derive(Serialize)]
struct Plan<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Meta<'a> {
    name: &'a str,
    generated_at: &'a str,
    currency: &'a str,
    report_months: &'a [&'a str],
    delivery_days: &'a [String],
    post_days: &'a [String],
    networks: &'a [&'a str],
    plans: Vec<Plan<'a>>,
    annotations: bool,
}

/// The dataset's name.
pub const NAME: &str = "Demo dataset";
/// When the dataset was "generated".
pub const GENERATED_AT: &str = "2016-09-01T00:00:00Z";

/// `meta.json` for the given lists (each ascending).
pub fn document(
    report_months: &[&str],
    delivery_days: &[String],
    post_days: &[String],
) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&Meta {
        name: NAME,
        generated_at: GENERATED_AT,
        currency: "USD",
        report_months,
        delivery_days,
        post_days,
        networks: &NETWORKS,
        plans: PLANS.iter().map(|&(id, name)| Plan { id, name }).collect(),
        annotations: true,
    })
}

/// The API base the site reads, relative to `index.html`.
pub const API_BASE: &str = "api/v1";

#[derive(Serialize)]
struct Config<'a> {
    api_base: &'a str,
}

/// `config.json`.
pub fn config() -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&Config { api_base: API_BASE })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_points_at_the_api() {
        assert_eq!(config().unwrap(), br#"{"api_base":"api/v1"}"#);
    }

    #[test]
    fn meta_lists_what_it_is_given() {
        let doc = document(&["2016-08"], &["2016-08-01".into()], &[]).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&doc).unwrap();
        assert_eq!(v["name"], NAME);
        assert_eq!(v["networks"].as_array().unwrap().len(), 6);
        assert_eq!(v["plans"][2]["id"], "business");
        assert_eq!(v["post_days"].as_array().unwrap().len(), 0);
        assert_eq!(v["annotations"], true);
    }
}
