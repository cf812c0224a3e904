//! The closed sets of values the contract allows (`media`, `status`, `kind`).
//!
//! Each reads from its name with [`named`] rather than serde's derive: the
//! same values and the same message for an unknown one (``unknown variant
//! `gif`, expected one of …``), in a fraction of the code (the derive's
//! also reads variant numbers and maps, which the contract never has).

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// The kind of media a post carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Media {
    /// Text only.
    Text,
    /// A still image.
    Image,
    /// A video.
    Video,
    /// A link with its preview.
    Link,
}

impl Media {
    /// Every media kind, in the contract's order.
    pub const ALL: [Media; 4] = [Media::Text, Media::Image, Media::Video, Media::Link];
    /// Their names, in the same order.
    pub const NAMES: [&'static str; 4] = [
        Media::Text.as_str(),
        Media::Image.as_str(),
        Media::Video.as_str(),
        Media::Link.as_str(),
    ];

    /// The contract's name (`video`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Media::Text => "text",
            Media::Image => "image",
            Media::Video => "video",
            Media::Link => "link",
        }
    }

    /// Parses the contract's name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

impl fmt::Display for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a post stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PostStatus {
    /// Went out (`sent_at` says when).
    Sent,
    /// Could not be sent (`error` says why).
    Failed,
    /// Not sent yet.
    Pending,
}

impl PostStatus {
    /// Every status, in the contract's order.
    pub const ALL: [PostStatus; 3] = [PostStatus::Sent, PostStatus::Failed, PostStatus::Pending];
    /// Their names, in the same order.
    pub const NAMES: [&'static str; 3] = [
        PostStatus::Sent.as_str(),
        PostStatus::Failed.as_str(),
        PostStatus::Pending.as_str(),
    ];

    /// The contract's name (`failed`).
    pub const fn as_str(self) -> &'static str {
        match self {
            PostStatus::Sent => "sent",
            PostStatus::Failed => "failed",
            PostStatus::Pending => "pending",
        }
    }

    /// Parses the contract's name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// What a subscription event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A customer starts paying.
    Subscribe,
    /// A customer changes plan or price.
    Change,
    /// A customer stops paying.
    Cancel,
}

impl EventKind {
    /// Every kind, in the contract's order.
    pub const ALL: [EventKind; 3] = [EventKind::Subscribe, EventKind::Change, EventKind::Cancel];
    /// Their names, in the same order.
    pub const NAMES: [&'static str; 3] = [
        EventKind::Subscribe.as_str(),
        EventKind::Change.as_str(),
        EventKind::Cancel.as_str(),
    ];

    /// The contract's name (`cancel`).
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Subscribe => "subscribe",
            EventKind::Change => "change",
            EventKind::Cancel => "cancel",
        }
    }

    /// Parses the contract's name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Reads a JSON string naming one of a closed set: `parse` reads a name,
/// `names` lists them for the message about any other.
fn named<'de, D: Deserializer<'de>, T>(
    d: D,
    names: &'static [&'static str],
    parse: fn(&str) -> Option<T>,
) -> Result<T, D::Error> {
    struct Name<T> {
        names: &'static [&'static str],
        parse: fn(&str) -> Option<T>,
    }
    impl<T> Visitor<'_> for Name<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("one of the names ")?;
            f.write_str(&self.names.join(", "))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.parse)(v).ok_or_else(|| E::unknown_variant(v, self.names))
        }
    }
    d.deserialize_str(Name { names, parse })
}

impl<'de> Deserialize<'de> for Media {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        named(d, &Media::NAMES, Media::parse)
    }
}

impl<'de> Deserialize<'de> for PostStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        named(d, &PostStatus::NAMES, PostStatus::parse)
    }
}

impl<'de> Deserialize<'de> for EventKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        named(d, &EventKind::NAMES, EventKind::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_the_contract_writes_them() {
        assert_eq!(Media::ALL.map(Media::as_str), Media::NAMES);
        assert_eq!(PostStatus::ALL.map(PostStatus::as_str), PostStatus::NAMES);
        assert_eq!(EventKind::ALL.map(EventKind::as_str), EventKind::NAMES);
        assert_eq!(Media::NAMES, ["text", "image", "video", "link"]);
        assert_eq!(PostStatus::NAMES, ["sent", "failed", "pending"]);
        assert_eq!(EventKind::NAMES, ["subscribe", "change", "cancel"]);
        for m in Media::ALL {
            let json = format!("\"{}\"", m.as_str());
            assert_eq!(serde_json::from_str::<Media>(&json).ok(), Some(m));
        }
        for s in PostStatus::ALL {
            let json = format!("\"{}\"", s.as_str());
            assert_eq!(serde_json::from_str::<PostStatus>(&json).ok(), Some(s));
        }
        for k in EventKind::ALL {
            let json = format!("\"{}\"", k.as_str());
            assert_eq!(serde_json::from_str::<EventKind>(&json).ok(), Some(k));
        }
        // An escaped name is the same name.
        assert_eq!(
            serde_json::from_str::<Media>("\"vid\\u0065o\"").ok(),
            Some(Media::Video)
        );
    }

    #[test]
    fn anything_else_is_an_error_that_names_the_choices() {
        let err = |json: &str| serde_json::from_str::<Media>(json).map_err(|e| e.to_string());
        assert_eq!(
            err("\"gif\"").err().as_deref(),
            Some("unknown variant `gif`, expected one of `text`, `image`, `video`, `link` at line 1 column 5")
        );
        assert!(err("\"Video\"").is_err());
        assert!(err("2").is_err_and(|e| e.contains("one of the names text, image, video, link")));
        assert!(err("null").is_err());
        assert!(err("{\"video\": null}").is_err());
        assert!(serde_json::from_str::<PostStatus>("\"queued\"").is_err());
        assert!(serde_json::from_str::<EventKind>("\"upgrade\"").is_err());
    }
}
