//! Annotations placed on a time chart: which ones a panel shows (its
//! subject's tags, the kinds the address hides) and where along its x
//! axis, in the axis's own units.
//!
//! An instant sits at its proportional place inside its slot: on a
//! minutes axis 14:05:30 is `845.5` (the slot of minute 845 is
//! `[845, 846)`), on a months axis noon of 16 August 2016 is the August
//! slot plus 15.5 / 31. A range covers `[x(from), x(to)]`. The chart clips
//! what falls outside its domain.

use crate::api::{Annotation, AnnotationKind, Day, Month, Timestamp};

const MS_PER_MINUTE: f64 = 60_000.0;

/// The x axis of a time chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeAxis {
    /// Minutes of one UTC day (`0..1440`), as the Delivery charts.
    Minutes(Day),
    /// Month indices `year * 12 + month - 1`, as the revenue charts.
    Months,
}

impl TimeAxis {
    /// The x of instant `t`.
    pub fn x(self, t: Timestamp) -> Option<f64> {
        match self {
            TimeAxis::Minutes(day) => Some((t.0 - day.start().0) as f64 / MS_PER_MINUTE),
            TimeAxis::Months => {
                let month = t.month()?;
                let (start, end) = (month.start().0, month.end().0);
                let index = f64::from(month.year()) * 12.0 + f64::from(month.number()) - 1.0;
                Some(index + (t.0 - start) as f64 / (end - start).max(1) as f64)
            }
        }
    }
}

/// An annotation placed on a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// The annotation's id (`data-annotation`).
    pub id: String,
    /// Its kind (the colour and the legend entry).
    pub kind: AnnotationKind,
    /// Where it starts, in the axis's units.
    pub x0: f64,
    /// Where it ends (`x0` for a moment).
    pub x1: f64,
    /// Whether it is a range (drawn as a band).
    pub range: bool,
    /// Its title: the marker's accessible name.
    pub title: String,
    /// Its tooltip: the title, the kind and when, and its text.
    pub tip: String,
}

/// `19 Aug 2016`.
pub fn day_label(day: Day) -> String {
    format!("{} {}", day.day_of_month(), day.month().label())
}

/// When an annotation happened, for people: `19 Aug 2016 14:05 UTC`,
/// `19 Aug 2016 14:05–17:40 UTC`, or `4 Apr 2016 – 31 May 2016`.
pub fn when(a: &Annotation) -> String {
    let hm = |t: Timestamp| {
        let hms = t.hms();
        hms.get(..5).unwrap_or(&hms).to_owned()
    };
    let day = |t: Timestamp| t.day().map(day_label).unwrap_or_default();
    if !a.range || a.from == a.to {
        return format!("{} {} UTC", day(a.from), hm(a.from));
    }
    if a.from.day() == a.to.day() {
        format!("{} {}–{} UTC", day(a.from), hm(a.from), hm(a.to))
    } else {
        format!("{} – {}", day(a.from), day(a.to))
    }
}

/// The annotations a panel about `subjects` (networks, plans or
/// services; empty: everything) shows, without the `hidden` kinds,
/// placed on `axis`, in document order.
pub fn place(
    items: &[Annotation],
    axis: TimeAxis,
    subjects: &[String],
    hidden: &[AnnotationKind],
) -> Vec<Mark> {
    items
        .iter()
        .filter(|a| !hidden.contains(&a.kind))
        .filter(|a| concerns(a, subjects))
        .filter_map(|a| {
            let x0 = axis.x(a.from)?;
            let x1 = axis.x(a.to)?;
            let mut tip = format!("{}\n{}, {}", a.title, a.kind.label(), when(a));
            if let Some(text) = &a.text {
                tip.push('\n');
                tip.push_str(text);
            }
            Some(Mark {
                id: a.id.clone(),
                kind: a.kind,
                x0,
                x1: x1.max(x0),
                range: a.range && a.to > a.from,
                title: a.title.clone(),
                tip,
            })
        })
        .collect()
}

/// Whether a panel about any of `subjects` shows `a` (all when empty).
fn concerns(a: &Annotation, subjects: &[String]) -> bool {
    subjects.is_empty() || subjects.iter().any(|s| a.concerns(Some(s)))
}

/// The annotations of `month` (those overlapping it) without the
/// `hidden` kinds, in time order: the Overview's list.
pub fn of_month(items: &[Annotation], month: Month, hidden: &[AnnotationKind]) -> Vec<Annotation> {
    let mut out: Vec<Annotation> = items
        .iter()
        .filter(|a| !hidden.contains(&a.kind) && a.overlaps(month.start(), month.end()))
        .cloned()
        .collect();
    out.sort_by_key(|a| a.from);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Annotations;

    const DOC: &str = r#"{"annotations": [
      {"id": "outage", "kind": "incident", "title": "Outage", "text": "Rolled back",
       "from": "2016-08-19T14:05:00Z", "to": "2016-08-19T17:40:00Z"},
      {"id": "deploy", "kind": "deploy", "title": "Query deployed", "at": "2016-08-19T13:50:30Z", "tags": ["buffer.com"]},
      {"id": "growth", "kind": "experiment", "title": "Annual plan", "tags": ["business"],
       "from": "2016-04-04T00:00:00Z", "to": "2016-05-31T23:59:59Z"},
      {"id": "tw", "kind": "note", "title": "Twitter API change", "at": "2016-07-01T00:00:00Z", "tags": ["twitter"]}
    ]}"#;

    fn items() -> Vec<Annotation> {
        Annotations::parse(DOC).unwrap().items
    }

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn places_instants_in_their_slots() {
        let axis = TimeAxis::Minutes(day("2016-08-19"));
        let marks = place(&items(), axis, &[], &[]);
        let outage = &marks[0];
        assert_eq!((outage.x0, outage.x1, outage.range), (845.0, 1060.0, true));
        assert_eq!(marks[1].x0, 830.5);
        assert_eq!(marks[1].x1, 830.5);
        assert!(!marks[1].range);
        // Another day: the same instant is a day of minutes away.
        let before = TimeAxis::Minutes(day("2016-08-18"));
        assert_eq!(before.x(items()[0].from), Some(845.0 + 1440.0));
        let months = TimeAxis::Months;
        let aug = 2016.0 * 12.0 + 7.0;
        let x = months.x(items()[1].from).unwrap();
        let into = (18.0 * 1440.0 + 830.5) / (31.0 * 1440.0);
        assert!((x - (aug + into)).abs() < 1e-9, "{x}");
        assert_eq!(
            months.x(Timestamp::parse("2016-02-01T00:00:00Z").unwrap()),
            Some(2016.0 * 12.0 + 1.0)
        );
    }

    #[test]
    fn tags_and_hidden_kinds_choose_the_marks() {
        let axis = TimeAxis::Months;
        let ids = |subjects: &[&str], hidden: &[AnnotationKind]| -> Vec<String> {
            let subjects: Vec<String> = subjects.iter().map(|s| (*s).to_owned()).collect();
            place(&items(), axis, &subjects, hidden)
                .into_iter()
                .map(|m| m.id)
                .collect()
        };
        assert_eq!(ids(&[], &[]), ["outage", "deploy", "growth", "tw"]);
        assert_eq!(ids(&["twitter"], &[]), ["outage", "tw"]);
        assert_eq!(ids(&["twitter", "facebook"], &[]), ["outage", "tw"]);
        assert_eq!(ids(&["business"], &[]), ["outage", "growth"]);
        assert_eq!(
            ids(&[], &[AnnotationKind::Deploy, AnnotationKind::Note]),
            ["outage", "growth"]
        );
    }

    #[test]
    fn tips_say_what_and_when() {
        let marks = place(&items(), TimeAxis::Months, &[], &[]);
        assert_eq!(
            marks[0].tip,
            "Outage\nIncident, 19 Aug 2016 14:05–17:40 UTC\nRolled back"
        );
        assert_eq!(
            marks[1].tip,
            "Query deployed\nDeploy, 19 Aug 2016 13:50 UTC"
        );
        assert_eq!(
            marks[2].tip,
            "Annual plan\nExperiment, 4 Apr 2016 – 31 May 2016"
        );
    }

    #[test]
    fn a_month_lists_what_overlaps_it_in_time_order() {
        let aug = Month::parse("2016-08").unwrap();
        let ids: Vec<String> = of_month(&items(), aug, &[])
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(ids, ["deploy", "outage"]);
        let may = Month::parse("2016-05").unwrap();
        assert_eq!(of_month(&items(), may, &[])[0].id, "growth");
        assert!(of_month(&items(), may, &[AnnotationKind::Experiment]).is_empty());
        assert!(of_month(&items(), Month::parse("2016-06").unwrap(), &[]).is_empty());
    }
}
