//! A filter's choice among a few values (networks, media, statuses):
//! none chosen lets every value through.
//!
//! Kept as a short list without repeats rather than an ordered set: the
//! choices are a handful, a scan is as fast as a tree there, and the
//! filters are built on the way to a view's first content, whose code is
//! kept small (a tree's code is some 2.5 KB of the module).

use std::borrow::Borrow;

/// The values chosen, each once; empty for "all".
#[derive(Clone, Debug)]
pub struct Choice<T>(Vec<T>);

impl<T> Choice<T> {
    /// Nothing chosen: every value passes.
    pub const fn all() -> Self {
        Self(Vec::new())
    }

    /// Whether nothing is chosen (every value passes).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The chosen values, in the order first given.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// Whether `value` passes: nothing is chosen, or it is.
    pub fn allows<Q: PartialEq + ?Sized>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.0.is_empty() || self.0.iter().any(|v| v.borrow() == value)
    }
}

impl<T> Default for Choice<T> {
    fn default() -> Self {
        Self::all()
    }
}

impl<T: PartialEq> FromIterator<T> for Choice<T> {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Self {
        let mut chosen = Vec::new();
        for v in values {
            if !chosen.contains(&v) {
                chosen.push(v);
            }
        }
        Self(chosen)
    }
}

impl<T: PartialEq, const N: usize> From<[T; N]> for Choice<T> {
    fn from(values: [T; N]) -> Self {
        values.into_iter().collect()
    }
}

/// The same values chosen, in whatever order.
impl<T: PartialEq> PartialEq for Choice<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().all(|v| other.0.contains(v))
    }
}

impl<T: Eq> Eq for Choice<T> {}

#[cfg(test)]
mod tests {
    use super::Choice;

    #[test]
    fn nothing_chosen_lets_everything_through() {
        let all = Choice::<String>::all();
        assert!(all.is_empty());
        assert!(all.allows("twitter"));
        assert_eq!(all, Choice::default());
    }

    #[test]
    fn a_choice_lets_only_its_values_through() {
        let c: Choice<String> = ["twitter".to_owned(), "facebook".to_owned()].into();
        assert!(c.allows("twitter"));
        assert!(c.allows("facebook"));
        assert!(!c.allows("instagram"));
        assert!(!c.allows(""));
    }

    #[test]
    fn repeats_count_once_and_order_does_not_matter() {
        let a: Choice<u8> = [3, 1, 3, 2, 1].into();
        assert_eq!(a.iter().copied().collect::<Vec<_>>(), [3, 1, 2]);
        assert_eq!(a, Choice::from([1, 2, 3]));
        assert_ne!(a, Choice::from([1, 2]));
        assert_ne!(Choice::from([1, 2]), a);
        assert_ne!(a, Choice::from([1, 2, 4]));
        assert_ne!(a, Choice::all());
    }
}
