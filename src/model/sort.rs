//! Sort direction shared by the sortable tables of the model (the queue and
//! the delivery breakdown), and the URL form of a sort (`delay` ascending,
//! `-delay` descending).
//!
//! A direction only flips the comparison of present values; each table
//! documents where missing values go (they stay last in both directions).

use std::cmp::Ordering;

/// Ascending or descending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Smallest first.
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

impl Direction {
    /// `ord` as is when ascending, reversed when descending.
    pub fn apply(self, ord: Ordering) -> Ordering {
        match self {
            Direction::Ascending => ord,
            Direction::Descending => ord.reverse(),
        }
    }

    /// The other direction.
    pub fn flip(self) -> Self {
        match self {
            Direction::Ascending => Direction::Descending,
            Direction::Descending => Direction::Ascending,
        }
    }

    /// Splits the URL form of a sort: `-name` is descending, `name` ascending.
    pub fn split_param(param: &str) -> (Self, &str) {
        match param.strip_prefix('-') {
            Some(name) => (Direction::Descending, name),
            None => (Direction::Ascending, param),
        }
    }

    /// The URL prefix of this direction: `-` when descending, empty otherwise.
    pub fn prefix(self) -> &'static str {
        match self {
            Direction::Ascending => "",
            Direction::Descending => "-",
        }
    }
}

/// Orders two optional values with `None` after every `Some` in both
/// directions; `dir` applies to `cmp` of two present values.
pub fn present_first<T>(
    a: Option<T>,
    b: Option<T>,
    dir: Direction,
    cmp: impl FnOnce(&T, &T) -> Ordering,
) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => dir.apply(cmp(&a, &b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_applies() {
        assert_eq!(
            Direction::split_param("-delay"),
            (Direction::Descending, "delay")
        );
        assert_eq!(Direction::split_param("due"), (Direction::Ascending, "due"));
        assert_eq!(Direction::Descending.apply(1.cmp(&2)), Ordering::Greater);
        assert_eq!(Direction::Ascending.flip(), Direction::Descending);
        assert_eq!(Direction::Descending.prefix(), "-");
    }

    #[test]
    fn none_stays_last() {
        for dir in [Direction::Ascending, Direction::Descending] {
            assert_eq!(present_first(Some(1), None, dir, Ord::cmp), Ordering::Less);
            assert_eq!(
                present_first(None, Some(1.5), dir, f64::total_cmp),
                Ordering::Greater
            );
        }
        assert_eq!(
            present_first(Some(1), Some(2), Direction::Descending, Ord::cmp),
            Ordering::Greater
        );
    }
}
