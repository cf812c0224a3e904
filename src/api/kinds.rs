//! The closed sets of values the contract allows (`media`, `status`, `kind`).

use serde::Deserialize;
use std::fmt;

/// The kind of media a post carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
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

    /// The contract's name (`video`).
    pub fn as_str(self) -> &'static str {
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
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

    /// The contract's name (`failed`).
    pub fn as_str(self) -> &'static str {
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A customer starts paying.
    Subscribe,
    /// A customer changes plan or price.
    Change,
    /// A customer stops paying.
    Cancel,
}
