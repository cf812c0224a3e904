//! `meta.json`: what the dataset holds (its name, currency, and which
//! months and days have documents).

use super::check;
use super::error::{parse_json, DocError};
use super::scan::Cursor;
use super::time::{Day, Month, Timestamp};
use serde::Deserialize;

/// The document's name in errors.
pub const META_DOC: &str = "meta.json";

#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
struct RawMeta {
    name: String,
    generated_at: String,
    currency: String,
    report_months: Vec<String>,
    delivery_days: Vec<String>,
    post_days: Vec<String>,
    networks: Vec<String>,
    plans: Vec<Plan>,
    #[serde(default)]
    annotations: bool,
}

impl RawMeta {
    /// The fast way ([`Cursor`]): `None` for anything unusual (an unknown
    /// or repeated key, escapes in keys), which the general parser then
    /// reads or names the problem of.
    fn read_fast(body: &str) -> Option<Self> {
        let mut c = Cursor::new(body);
        let mut name = None;
        let mut generated_at = None;
        let mut currency = None;
        let mut report_months = None;
        let mut delivery_days = None;
        let mut post_days = None;
        let mut networks = None;
        let mut plans = None;
        let mut annotations = None;
        let strings = |c: &mut Cursor| c.array(Cursor::string);
        c.object(|c, key| {
            let fresh = match key {
                "name" => name.replace(c.string()?).is_none(),
                "generated_at" => generated_at.replace(c.string()?).is_none(),
                "currency" => currency.replace(c.string()?).is_none(),
                "report_months" => report_months.replace(strings(c)?).is_none(),
                "delivery_days" => delivery_days.replace(strings(c)?).is_none(),
                "post_days" => post_days.replace(strings(c)?).is_none(),
                "networks" => networks.replace(strings(c)?).is_none(),
                "plans" => plans.replace(c.array(Plan::read_fast)?).is_none(),
                "annotations" => annotations.replace(c.boolean()?).is_none(),
                _ => false,
            };
            fresh.then_some(())
        })?;
        if !c.at_end() {
            return None;
        }
        Some(Self {
            name: name?,
            generated_at: generated_at?,
            currency: currency?,
            report_months: report_months?,
            delivery_days: delivery_days?,
            post_days: post_days?,
            networks: networks?,
            plans: plans?,
            annotations: annotations.unwrap_or(false),
        })
    }
}

impl Plan {
    fn read_fast(c: &mut Cursor) -> Option<Self> {
        let mut id = None;
        let mut name = None;
        c.object(|c, key| {
            let fresh = match key {
                "id" => id.replace(c.string()?).is_none(),
                "name" => name.replace(c.string()?).is_none(),
                _ => false,
            };
            fresh.then_some(())
        })?;
        Some(Self {
            id: id?,
            name: name?,
        })
    }
}

/// A subscription plan.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Plan {
    /// Identifier used in events (`business`).
    pub id: String,
    /// Name for people (`Business`).
    pub name: String,
}

/// A validated `meta.json`. Every list is ascending and free of duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// The dataset's name, shown in the header.
    pub name: String,
    /// When the dataset was made.
    pub generated_at: Timestamp,
    /// The currency of every amount (ISO 4217).
    pub currency: String,
    /// The months with a report.
    pub report_months: Vec<Month>,
    /// The days with a delivery document.
    pub delivery_days: Vec<Day>,
    /// The days with posts documents.
    pub post_days: Vec<Day>,
    /// The networks the dataset knows.
    pub networks: Vec<String>,
    /// The revenue plans.
    pub plans: Vec<Plan>,
    /// Whether the dataset has an `annotations.json` (contract 1.1).
    pub annotations: bool,
}

impl Meta {
    /// Parses and validates `meta.json`.
    pub fn parse(body: &str) -> Result<Self, DocError> {
        let doc = META_DOC;
        let raw = match RawMeta::read_fast(body) {
            Some(raw) => raw,
            None => parse_json(doc, body)?,
        };
        let generated_at = check::timestamp(doc, "generated_at", &raw.generated_at)?;
        check::currency(doc, "currency", &raw.currency)?;
        let report_months =
            check::ascending(doc, "report_months", &raw.report_months, check::month)?;
        let delivery_days = check::ascending(doc, "delivery_days", &raw.delivery_days, check::day)?;
        let post_days = check::ascending(doc, "post_days", &raw.post_days, check::day)?;
        for (i, n) in raw.networks.iter().enumerate() {
            let place = format!("networks[{i}]");
            check::non_empty(doc, &place, n)?;
            if raw.networks.iter().take(i).any(|m| m == n) {
                return Err(DocError::new(doc, place, format!("{n:?} is listed twice")));
            }
        }
        for (i, p) in raw.plans.iter().enumerate() {
            let place = format!("plans[{i}].id");
            check::non_empty(doc, &place, &p.id)?;
            if raw.plans.iter().take(i).any(|q| q.id == p.id) {
                return Err(DocError::new(
                    doc,
                    place,
                    format!("plan {:?} is listed twice", p.id),
                ));
            }
        }
        Ok(Self {
            name: raw.name,
            generated_at,
            currency: raw.currency,
            report_months,
            delivery_days,
            post_days,
            networks: raw.networks,
            plans: raw.plans,
            annotations: raw.annotations,
        })
    }

    /// The name of a plan for people, or its id when `meta.json` does not list it.
    pub fn plan_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.plans
            .iter()
            .find(|p| p.id == id)
            .map_or(id, |p| p.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const GOOD: &str = r#"{
      "name": "Demo dataset", "generated_at": "2016-09-01T00:00:00Z", "currency": "USD",
      "report_months": ["2016-07", "2016-08"],
      "delivery_days": ["2016-08-01", "2016-08-02"],
      "post_days": ["2016-08-03"],
      "networks": ["twitter", "facebook"],
      "plans": [{"id": "awesome", "name": "Awesome"}, {"id": "business", "name": "Business"}],
      "future_field": true
    }"#;

    #[test]
    fn the_fast_reader_reads_as_the_general_parser_does() {
        let known = GOOD.replace(",\n      \"future_field\": true", "");
        let escaped = known.replace("\"Demo dataset\"", "\"Demo \\u00e9 \\\"data\\\"\"");
        let empty = known.replace("[\"2016-08-03\"]", "[]");
        let annotated = known.replace("\"currency\"", "\"annotations\": true, \"currency\"");
        for body in [&known, &escaped, &empty, &annotated] {
            let general: RawMeta = serde_json::from_str(body).unwrap();
            assert_eq!(RawMeta::read_fast(body), Some(general), "{body}");
        }
        let unusual = [
            GOOD.to_owned(),
            known.replace(
                "\"name\": \"Awesome\"",
                "\"name\": \"Awesome\", \"tier\": 1",
            ),
            known.replace(
                "\"currency\": \"USD\",",
                "\"currency\": \"USD\", \"currency\": \"EUR\",",
            ),
            known.replace("\"post_days\": [\"2016-08-03\"],", ""),
            known.replace("[\"twitter\", \"facebook\"]", "[\"twitter\", 1]"),
            format!("{known} []"),
        ];
        for body in &unusual {
            assert_eq!(RawMeta::read_fast(body), None, "{body}");
        }
    }

    #[test]
    fn parses_a_good_document() {
        let m = Meta::parse(GOOD).unwrap();
        assert_eq!(m.name, "Demo dataset");
        assert_eq!(m.report_months.len(), 2);
        assert_eq!(m.delivery_days[1].to_string(), "2016-08-02");
        assert_eq!(m.plan_name("business"), "Business");
        assert_eq!(m.plan_name("legacy"), "legacy");
        assert!(!m.annotations);
        let annotated = GOOD.replace("\"currency\"", "\"annotations\": true, \"currency\"");
        assert!(Meta::parse(&annotated).unwrap().annotations);
    }

    #[test]
    fn names_the_place_of_each_problem() {
        let cases = [
            (
                GOOD.replace("\"USD\"", "\"usd\""),
                "meta.json: currency: \"usd\" is not a currency code",
            ),
            (
                GOOD.replace("[\"2016-07\", \"2016-08\"]", "[\"2016-08\", \"2016-07\"]"),
                "meta.json: report_months[1]: \"2016-07\" is not after",
            ),
            (
                GOOD.replace("\"2016-08-02\"", "\"2016-08-32\""),
                "meta.json: delivery_days[1]: \"2016-08-32\" is not a day",
            ),
            (
                GOOD.replace("2016-09-01T00:00:00Z", "yesterday"),
                "meta.json: generated_at: \"yesterday\" is not an RFC 3339",
            ),
            (
                GOOD.replace("\"facebook\"", "\"twitter\""),
                "meta.json: networks[1]: \"twitter\" is listed twice",
            ),
            (
                GOOD.replace("\"post_days\"", "\"posts_days\""),
                "meta.json: missing field `post_days`",
            ),
            (
                GOOD.replace("\"networks\": [", "\"networks\": [1, "),
                "meta.json: networks[0]: invalid type: integer `1`",
            ),
        ];
        for (body, want) in cases {
            let got = Meta::parse(&body).unwrap_err().to_string();
            assert!(got.starts_with(want), "want {want:?}, got {got:?}");
        }
    }
}
