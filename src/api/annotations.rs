//! `annotations.json`: the events that explain the numbers (an outage, a
//! deploy, an experiment, a note), each at a moment or over a range, and
//! optionally limited by tags to the panels about a network, a plan or a
//! service. Optional since contract 1.1: present when `meta.json` says
//! `"annotations": true`.
//!
//! The checks of one annotation ([`Annotations::from_raw`]) are shared
//! with the importer, which names an input file and line instead of the
//! document and index.

use super::check;
use super::error::{parse_json, DocError};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The document's name in errors.
pub const ANNOTATIONS_DOC: &str = "annotations.json";

/// What an annotation is about; each kind has its own colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AnnotationKind {
    /// Something broke (an outage, a slowdown).
    Incident,
    /// A change went out.
    Deploy,
    /// An experiment ran.
    Experiment,
    /// Anything else worth knowing.
    Note,
}

impl AnnotationKind {
    /// Every kind, in the contract's order.
    pub const ALL: [AnnotationKind; 4] = [
        AnnotationKind::Incident,
        AnnotationKind::Deploy,
        AnnotationKind::Experiment,
        AnnotationKind::Note,
    ];

    /// The contract's name (`deploy`), also used in the address.
    pub fn as_str(self) -> &'static str {
        match self {
            AnnotationKind::Incident => "incident",
            AnnotationKind::Deploy => "deploy",
            AnnotationKind::Experiment => "experiment",
            AnnotationKind::Note => "note",
        }
    }

    /// The name for people (`Deploy`).
    pub fn label(self) -> &'static str {
        match self {
            AnnotationKind::Incident => "Incident",
            AnnotationKind::Deploy => "Deploy",
            AnnotationKind::Experiment => "Experiment",
            AnnotationKind::Note => "Note",
        }
    }

    /// Parses the contract's name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for AnnotationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One annotation as written in the document (or read by the importer),
/// before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct RawAnnotation {
    /// Unique in the document.
    pub id: String,
    /// `incident`, `deploy`, `experiment` or `note`.
    pub kind: String,
    /// One line for people.
    pub title: String,
    /// More words, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A link, used only when `https:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A moment (instead of `from`/`to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// A range's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// A range's end (not before `from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Network names, plan ids or service names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

#[derive(Deserialize)]
struct RawAnnotations {
    annotations: Vec<RawAnnotation>,
}

/// A checked annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// Unique in the document.
    pub id: String,
    /// What it is about.
    pub kind: AnnotationKind,
    /// One line for people (user content: text only).
    pub title: String,
    /// More words (user content: text only).
    pub text: Option<String>,
    /// A link, only when it is an absolute `https:` URL.
    pub url: Option<String>,
    /// When it happened or began.
    pub from: Timestamp,
    /// When it ended (`from` for a moment).
    pub to: Timestamp,
    /// Whether it is a range (`from`/`to`) rather than a moment (`at`).
    pub range: bool,
    /// The networks, plans or services it is about (empty: everything).
    pub tags: Vec<String>,
}

impl Annotation {
    /// Whether a panel about `subject` shows it: a panel about
    /// everything (`None`) shows all; a panel about one network, plan or
    /// service shows the untagged ones and those tagged with it.
    pub fn concerns(&self, subject: Option<&str>) -> bool {
        match subject {
            None => true,
            Some(s) => self.tags.is_empty() || self.tags.iter().any(|t| t == s),
        }
    }

    /// Whether it falls (at least partly) in `[start, end)`.
    pub fn overlaps(&self, start: Timestamp, end: Timestamp) -> bool {
        self.from < end && (self.to >= start)
    }

    /// Checks one raw annotation at `place` of `doc`.
    fn check(doc: &str, place: &str, raw: RawAnnotation) -> Result<Self, DocError> {
        let at = |field: &str| format!("{place}.{field}");
        check::non_empty(doc, &at("id"), &raw.id)?;
        let kind = AnnotationKind::parse(&raw.kind).ok_or_else(|| {
            DocError::new(
                doc,
                at("kind"),
                format!(
                    "{:?} is not one of incident, deploy, experiment, note",
                    raw.kind
                ),
            )
        })?;
        check::non_empty(doc, &at("title"), &raw.title)?;
        let (from, to, range) = match (&raw.at, &raw.from, &raw.to) {
            (Some(t), None, None) => {
                let t = check::timestamp(doc, &at("at"), t)?;
                (t, t, false)
            }
            (None, Some(f), Some(t)) => {
                let from = check::timestamp(doc, &at("from"), f)?;
                let to = check::timestamp(doc, &at("to"), t)?;
                if to < from {
                    return Err(DocError::new(
                        doc,
                        at("to"),
                        format!("{t:?} is before `from` ({f:?})"),
                    ));
                }
                (from, to, true)
            }
            (Some(_), _, _) => {
                return Err(DocError::new(
                    doc,
                    place,
                    "has both `at` and `from`/`to`: give a moment or a range",
                ))
            }
            (None, _, _) => {
                return Err(DocError::new(
                    doc,
                    place,
                    "needs a moment `at` or a range `from` and `to`",
                ))
            }
        };
        for (i, tag) in raw.tags.iter().enumerate() {
            check::non_empty(doc, &at(&format!("tags[{i}]")), tag)?;
        }
        Ok(Self {
            id: raw.id,
            kind,
            title: raw.title,
            text: raw.text.filter(|t| !t.is_empty()),
            url: raw.url.as_deref().and_then(super::url::checked_link_url),
            from,
            to,
            range,
            tags: raw.tags,
        })
    }
}

/// A validated `annotations.json`, in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Annotations {
    /// Every annotation.
    pub items: Vec<Annotation>,
}

impl Annotations {
    /// Parses and validates `annotations.json`.
    pub fn parse(body: &str) -> Result<Self, DocError> {
        let doc = ANNOTATIONS_DOC;
        let raw: RawAnnotations = parse_json(doc, body)?;
        Self::from_raw(
            doc,
            raw.annotations
                .into_iter()
                .enumerate()
                .map(|(i, a)| (format!("annotations[{i}]"), a)),
        )
    }

    /// Checks annotations given with their places (`annotations[3]`, or
    /// `line 4` of an input file named by `doc`): every rule of one
    /// annotation, and ids unique.
    pub fn from_raw(
        doc: &str,
        raw: impl IntoIterator<Item = (String, RawAnnotation)>,
    ) -> Result<Self, DocError> {
        let mut items: Vec<Annotation> = Vec::new();
        for (place, a) in raw {
            let a = Annotation::check(doc, &place, a)?;
            if items.iter().any(|b| b.id == a.id) {
                return Err(DocError::new(
                    doc,
                    format!("{place}.id"),
                    format!("{:?} is used twice: ids must be unique", a.id),
                ));
            }
            items.push(a);
        }
        Ok(Self { items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"annotations": [
      {"id": "outage-0819", "kind": "incident", "title": "Site-wide outage",
       "from": "2016-08-19T14:05:00Z", "to": "2016-08-19T17:40:00Z", "tags": ["buffer.com"],
       "future_field": 1},
      {"id": "broadcasters", "kind": "deploy", "title": "Broadcaster workers on dedicated instances",
       "at": "2016-08-16T09:00:00Z", "url": "https://wiki.example.com/broadcasters", "text": "More room"},
      {"id": "n1", "kind": "note", "title": "<img src=x onerror=alert(1)>",
       "at": "2016-08-20T00:00:00Z", "url": "javascript:alert(1)", "text": null}
    ]}"#;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    #[test]
    fn parses_a_good_document() {
        let a = Annotations::parse(GOOD).unwrap().items;
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].kind, AnnotationKind::Incident);
        assert!(a[0].range);
        assert_eq!(a[0].from, ts("2016-08-19T14:05:00Z"));
        assert_eq!(a[0].to, ts("2016-08-19T17:40:00Z"));
        assert_eq!(a[0].tags, ["buffer.com"]);
        assert!(!a[1].range);
        assert_eq!(a[1].from, a[1].to);
        assert_eq!(
            a[1].url.as_deref(),
            Some("https://wiki.example.com/broadcasters")
        );
        assert_eq!(a[1].text.as_deref(), Some("More room"));
        // A hostile title is kept as it is (the view shows it as text);
        // a link that is not https is dropped.
        assert_eq!(a[2].title, "<img src=x onerror=alert(1)>");
        assert_eq!(a[2].url, None);
        assert_eq!(a[2].text, None);
        assert_eq!(
            Annotations::parse(r#"{"annotations": []}"#).unwrap(),
            Annotations::default()
        );
    }

    #[test]
    fn tags_limit_the_panels_and_ranges_overlap() {
        let a = Annotations::parse(GOOD).unwrap().items;
        assert!(a[0].concerns(None));
        assert!(a[0].concerns(Some("buffer.com")));
        assert!(!a[0].concerns(Some("twitter")));
        assert!(a[1].concerns(Some("twitter")));
        let day = |d: &str| ts(&format!("{d}T00:00:00Z"));
        assert!(a[0].overlaps(day("2016-08-19"), day("2016-08-20")));
        assert!(!a[0].overlaps(day("2016-08-20"), day("2016-08-21")));
        assert!(!a[0].overlaps(day("2016-08-18"), day("2016-08-19")));
        assert!(a[1].overlaps(day("2016-08-16"), day("2016-08-17")));
    }

    #[test]
    fn names_the_place_of_each_problem() {
        let cases = [
            (
                GOOD.replace("\"id\": \"n1\"", "\"id\": \"broadcasters\""),
                "annotations.json: annotations[2].id: \"broadcasters\" is used twice",
            ),
            (
                GOOD.replace("\"kind\": \"note\"", "\"kind\": \"outage\""),
                "annotations.json: annotations[2].kind: \"outage\" is not one of incident",
            ),
            (
                GOOD.replace(
                    "\"to\": \"2016-08-19T17:40:00Z\"",
                    "\"to\": \"2016-08-19T13:00:00Z\"",
                ),
                "annotations.json: annotations[0].to: \"2016-08-19T13:00:00Z\" is before `from`",
            ),
            (
                GOOD.replace(
                    "\"at\": \"2016-08-16T09:00:00Z\"",
                    "\"when\": \"2016-08-16T09:00:00Z\"",
                ),
                "annotations.json: annotations[1]: needs a moment `at` or a range",
            ),
            (
                GOOD.replace(
                    "\"to\": \"2016-08-19T17:40:00Z\"",
                    "\"at\": \"2016-08-19T17:40:00Z\"",
                ),
                "annotations.json: annotations[0]: has both `at` and `from`/`to`",
            ),
            (
                GOOD.replace("2016-08-20T00:00:00Z", "20 Aug 2016"),
                "annotations.json: annotations[2].at: \"20 Aug 2016\" is not an RFC 3339",
            ),
            (
                GOOD.replace("\"title\": \"Site-wide outage\"", "\"title\": \"\""),
                "annotations.json: annotations[0].title: is empty",
            ),
            (
                GOOD.replace("[\"buffer.com\"]", "[\"\"]"),
                "annotations.json: annotations[0].tags[0]: is empty",
            ),
            (
                GOOD.replace("\"title\": \"Site-wide outage\",", ""),
                "annotations.json: annotations[0]: missing field `title`",
            ),
            (
                GOOD.replace("\"annotations\"", "\"events\""),
                "annotations.json: missing field `annotations`",
            ),
        ];
        for (body, want) in cases {
            let got = Annotations::parse(&body).unwrap_err().to_string();
            assert!(got.starts_with(want), "want {want:?}, got {got:?}");
        }
    }

    #[test]
    fn the_importer_names_its_own_places() {
        let raw = RawAnnotation {
            id: "x".into(),
            kind: "deploy".into(),
            title: "t".into(),
            ..RawAnnotation::default()
        };
        let got = Annotations::from_raw("events.csv", [("line 2".to_owned(), raw)])
            .unwrap_err()
            .to_string();
        assert_eq!(
            got,
            "events.csv: line 2: needs a moment `at` or a range `from` and `to`"
        );
    }
}
