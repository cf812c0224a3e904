//! The delay classes' names for people, from the edges a day's bounds
//! give them ([`ClassEdges`]): "within 60 s", "60–90 s late" and "90 s or
//! more late" with the contract's usual bounds; with bounds that lack 60
//! or 90 the nearest bounds stand in, and the names say which, so that a
//! figure is never called what it does not count.

use super::histogram::ClassEdges;
use crate::format;

/// The names of the delay classes of one set of bounds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClassNames {
    within: f64,
    late: f64,
}

impl ClassNames {
    /// The names with 60 and 90 among the bounds (and before a day is in).
    pub const NOMINAL: Self = Self {
        within: ClassEdges::WITHIN_S,
        late: ClassEdges::LATE_S,
    };

    /// The names for the edges in use; the nominal ones where an edge is
    /// missing (no bounds: not a valid document).
    pub fn of(edges: &ClassEdges) -> Self {
        Self {
            within: edges.within_s().unwrap_or(ClassEdges::WITHIN_S),
            late: edges.late_s().unwrap_or(ClassEdges::LATE_S),
        }
    }

    /// Whether the names are the nominal ones (60 and 90 are bounds).
    pub fn is_nominal(&self) -> bool {
        *self == Self::NOMINAL
    }

    /// Whether another bound stands in for 60 s (the day's bounds lack it).
    pub fn within_stands_in(&self) -> bool {
        self.within != ClassEdges::WITHIN_S
    }

    fn secs(v: f64) -> String {
        format!("{} s", format::decimal(v, 1))
    }

    /// `nominal` with the usual bounds, else `other` of these names: the
    /// usual names take no formatting, and code that only ever meets them
    /// does not carry it (the other path is a function of its own).
    fn named(&self, nominal: &str, other: fn(&Self) -> String) -> String {
        if self.is_nominal() {
            nominal.to_owned()
        } else {
            other(self)
        }
    }

    /// `"60 s"`: the edge of "within".
    pub fn within_edge(&self) -> String {
        self.named("60 s", |n| Self::secs(n.within))
    }

    /// `"within 60 s"`.
    pub fn within(&self) -> String {
        self.named("within 60 s", |n| {
            format!("within {}", Self::secs(n.within))
        })
    }

    /// `"Sent within 60 s"`.
    pub fn sent_within(&self) -> String {
        self.named("Sent within 60 s", |n| {
            format!("Sent within {}", Self::secs(n.within))
        })
    }

    /// `"< 60 s"`.
    pub fn below(&self) -> String {
        self.named("< 60 s", |n| format!("< {}", Self::secs(n.within)))
    }

    /// `"60 s or more late"`: every sent post not within.
    pub fn not_within(&self) -> String {
        self.named("60 s or more late", |n| {
            format!("{} or more late", Self::secs(n.within))
        })
    }

    /// `"60–90 s"`: the middle class; `None` when both edges are one bound
    /// and the class is empty.
    pub fn middle(&self) -> Option<String> {
        (self.late > self.within).then(|| {
            self.named("60–90 s", |n| {
                format!("{}–{}", format::decimal(n.within, 1), Self::secs(n.late))
            })
        })
    }

    /// `"60–90 s late"`, as [`Self::middle`].
    pub fn middle_late(&self) -> Option<String> {
        (self.late > self.within).then(|| {
            self.named("60–90 s late", |n| {
                format!(
                    "{}–{} late",
                    format::decimal(n.within, 1),
                    Self::secs(n.late)
                )
            })
        })
    }

    /// `"90 s or more late"`.
    pub fn late(&self) -> String {
        self.named("90 s or more late", |n| {
            format!("{} or more late", Self::secs(n.late))
        })
    }

    /// `"≥ 90 s late"`.
    pub fn late_short(&self) -> String {
        self.named("≥ 90 s late", |n| {
            format!("≥ {} late", Self::secs(n.late))
        })
    }

    /// For a day whose bounds lack 60 or 90: which edges stand in, in a
    /// sentence; `None` with the nominal names.
    pub fn stand_in_note(&self) -> Option<String> {
        (!self.is_nominal()).then(|| self.stand_in_sentence())
    }

    /// The sentence of [`Self::stand_in_note`]; apart, so that code which
    /// only ever meets the usual bounds does not carry it.
    #[inline(never)]
    fn stand_in_sentence(&self) -> String {
        let within = format!("“within 60 s” is {}", self.within());
        let late = format!("“90 s or more late” is {}", self.late());
        let (edges, stand_ins) = match (self.within_stands_in(), self.late != ClassEdges::LATE_S) {
            (true, true) => ("60 s or 90 s", format!("{within} and {late}")),
            (true, false) => ("60 s", within),
            _ => ("90 s", late),
        };
        format!(
            "This day's delay buckets have no edge at {edges}: the nearest edges stand in, so {stand_ins}."
        )
    }
}

impl ClassEdges {
    /// The classes' names for people.
    pub fn names(&self) -> ClassNames {
        ClassNames::of(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_bounds_keep_the_usual_names() {
        let n = ClassEdges::resolve(&[10.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 1800.0]).names();
        assert!(n.is_nominal());
        assert_eq!(n.within(), "within 60 s");
        assert_eq!(n.within_edge(), "60 s");
        assert_eq!(n.below(), "< 60 s");
        assert_eq!(n.not_within(), "60 s or more late");
        assert_eq!(n.middle().as_deref(), Some("60–90 s"));
        assert_eq!(n.middle_late().as_deref(), Some("60–90 s late"));
        assert_eq!(n.sent_within(), "Sent within 60 s");
        assert_eq!(n.late(), "90 s or more late");
        assert_eq!(n.late_short(), "≥ 90 s late");
        assert_eq!(n.stand_in_note(), None);
        assert_eq!(n, ClassNames::NOMINAL);
    }

    #[test]
    fn stand_in_edges_are_named() {
        // 90 → 60 (30 away; 300 is 210 away): no middle class.
        let n = ClassEdges::resolve(&[5.0, 15.0, 60.0, 300.0]).names();
        assert!(!n.is_nominal());
        assert_eq!(n.within(), "within 60 s");
        assert_eq!(n.middle().as_deref(), None);
        assert_eq!(n.middle_late().as_deref(), None);
        assert_eq!(n.late(), "60 s or more late");
        assert_eq!(n.late_short(), "≥ 60 s late");
        assert_eq!(
            n.stand_in_note().as_deref(),
            Some("This day's delay buckets have no edge at 90 s: the nearest edges stand in, so “90 s or more late” is 60 s or more late.")
        );
        // 60 → 45, 90 → 120.
        let n = ClassEdges::resolve(&[10.0, 45.0, 120.0, 1800.0]).names();
        assert_eq!(n.within(), "within 45 s");
        assert_eq!(n.below(), "< 45 s");
        assert_eq!(n.not_within(), "45 s or more late");
        assert_eq!(n.middle().as_deref(), Some("45–120 s"));
        assert_eq!(n.middle_late().as_deref(), Some("45–120 s late"));
        assert_eq!(n.sent_within(), "Sent within 45 s");
        assert_eq!(n.within_edge(), "45 s");
        assert_eq!(n.late_short(), "≥ 120 s late");
        assert_eq!(n.late(), "120 s or more late");
        assert_eq!(
            n.stand_in_note().as_deref(),
            Some("This day's delay buckets have no edge at 60 s or 90 s: the nearest edges stand in, so “within 60 s” is within 45 s and “90 s or more late” is 120 s or more late.")
        );
        // Only 60 missing; fractions of a second as written.
        let n = ClassEdges::resolve(&[7.5, 52.5, 90.0]).names();
        assert_eq!(n.within(), "within 52.5 s");
        assert_eq!(n.late(), "90 s or more late");
        assert!(n
            .stand_in_note()
            .is_some_and(|s| s.contains("no edge at 60 s:")));
        // No bounds (not a valid document): the nominal names.
        assert!(ClassEdges::resolve(&[]).names().is_nominal());
    }
}
