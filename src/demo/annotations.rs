//! `annotations.json`: the events behind the demo's numbers. The seed's
//! story, told on the charts: broadcaster workers moved to dedicated
//! instances on the day of the delivery fix (between the two post days,
//! 3 and 29 August), a search query without an index deployed on 19
//! August and the outage that followed, a growth experiment on the
//! Business plan in the spring of 2016, and the month from which the MRR
//! another system reports drifts high.

use super::delay::FIX_DAY;
use crate::api::RawAnnotation;
use serde::Serialize;

#[derive(Serialize)]
struct Document {
    annotations: Vec<RawAnnotation>,
}

fn at(id: &str, kind: &str, title: &str, at: String) -> RawAnnotation {
    RawAnnotation {
        id: id.into(),
        kind: kind.into(),
        title: title.into(),
        at: Some(at),
        ..RawAnnotation::default()
    }
}

fn range(id: &str, kind: &str, title: &str, from: &str, to: &str) -> RawAnnotation {
    RawAnnotation {
        id: id.into(),
        kind: kind.into(),
        title: title.into(),
        from: Some(from.into()),
        to: Some(to.into()),
        ..RawAnnotation::default()
    }
}

/// The annotations, in time order.
pub fn annotations() -> Vec<RawAnnotation> {
    vec![
        RawAnnotation {
            text: Some(
                "Reported MRR runs about 25,000 USD above the MRR computed from events from here on."
                    .into(),
            ),
            ..at(
                "reported-mrr-drift",
                "note",
                "Billing export starts counting trials as paying",
                "2016-03-01T00:00:00Z".into(),
            )
        },
        RawAnnotation {
            text: Some("Annual Business plan offered at two months free on the pricing page.".into()),
            tags: vec!["business".into()],
            ..range(
                "growth-annual-business",
                "experiment",
                "Growth experiment: annual Business plan",
                "2016-04-04T00:00:00Z",
                "2016-05-31T23:59:59Z",
            )
        },
        RawAnnotation {
            text: Some(
                "The 8:00 spike no longer waits behind the web servers' work: posts due on the hour go out within the minute."
                    .into(),
            ),
            url: Some("https://wiki.example.com/ops/broadcasters".into()),
            ..at(
                "broadcasters-dedicated",
                "deploy",
                "Broadcaster workers moved to dedicated instances",
                format!("2016-08-{FIX_DAY:02}T06:30:00Z"),
            )
        },
        RawAnnotation {
            tags: vec!["buffer.com".into()],
            ..at(
                "deploy-unindexed-query",
                "deploy",
                "Search query without an index deployed",
                "2016-08-19T13:50:00Z".into(),
            )
        },
        RawAnnotation {
            text: Some(
                "Every page load ran the unindexed query; the database saturated until it was rolled back."
                    .into(),
            ),
            url: Some("https://status.example.com/incidents/2016-08-19".into()),
            ..range(
                "outage-0819",
                "incident",
                "Site-wide outage: unindexed query",
                "2016-08-19T14:05:00Z",
                "2016-08-19T17:40:00Z",
            )
        },
    ]
}

/// The document.
pub fn document() -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&Document {
        annotations: annotations(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{AnnotationKind, Annotations, Timestamp};

    #[test]
    fn the_story_parses_and_falls_where_it_should() {
        let doc = document().unwrap();
        let a = Annotations::parse(std::str::from_utf8(&doc).unwrap())
            .unwrap()
            .items;
        assert_eq!(a.len(), 5);
        let find = |id: &str| a.iter().find(|x| x.id == id).unwrap();
        let ts = |s: &str| Timestamp::parse(s).unwrap();
        let outage = find("outage-0819");
        assert_eq!(outage.kind, AnnotationKind::Incident);
        assert!(outage.range && outage.tags.is_empty());
        let deploy = find("deploy-unindexed-query");
        assert!(deploy.from < outage.from);
        assert!(outage.from.0 - deploy.from.0 <= 30 * 60_000);
        let moved = find("broadcasters-dedicated");
        assert!(moved.from > ts("2016-08-03T23:59:59Z") && moved.from < ts("2016-08-29T00:00:00Z"));
        let growth = find("growth-annual-business");
        assert_eq!(growth.kind, AnnotationKind::Experiment);
        assert_eq!(growth.tags, ["business"]);
    }
}
