//! Errors of the data layer.
//!
//! Every problem with a document is reported once, as a [`DocError`] that
//! names the document (its path under the API base, e.g.
//! `delivery/2016-08-03.json`), the place inside it (e.g.
//! `series[4] (twitter/video)`) and the reason in plain words. Loading adds
//! the ways a request can fail before there is a document at all
//! ([`LoadError`]).

use std::fmt;

/// A document that arrived but does not follow the contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocError {
    /// The document's path under the API base, e.g. `reports/2016-08.json`.
    pub doc: String,
    /// Where in the document, e.g. `series[4] (twitter/video)`; empty for the whole document.
    pub place: String,
    /// What is wrong, in plain words.
    pub reason: String,
}

impl DocError {
    /// An error at `place` inside `doc`.
    pub fn new(doc: &str, place: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            doc: doc.to_owned(),
            place: place.into(),
            reason: reason.into(),
        }
    }

    /// The same error at `place`: for a check made with no place, whose
    /// place is written only when it fails.
    pub fn placed(self, place: String) -> Self {
        Self { place, ..self }
    }
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.doc, self.reason)
        } else {
            write!(f, "{}: {}: {}", self.doc, self.place, self.reason)
        }
    }
}

impl std::error::Error for DocError {}

/// Why a document could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The server answered with a status other than 2xx.
    Status {
        /// The document asked for.
        doc: String,
        /// The address it was asked at.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The status's reason, as the server gave it.
        status_text: String,
    },
    /// The request failed before any answer (offline, refused, blocked by CORS).
    Network {
        /// The document asked for.
        doc: String,
        /// The address it was asked at.
        url: String,
        /// The browser's reason.
        message: String,
    },
    /// No complete answer arrived within the time limit.
    Timeout {
        /// The document asked for.
        doc: String,
        /// The address it was asked at.
        url: String,
        /// The time limit, s.
        seconds: u32,
    },
    /// The body is larger than Pulse accepts for this kind of document:
    /// `bytes` as the server announced it, or (`announced: false`) as far
    /// as Pulse read before it stopped.
    TooLarge {
        /// The document asked for.
        doc: String,
        /// The address it was asked at.
        url: String,
        /// Its size, bytes.
        bytes: u64,
        /// The most Pulse accepts, bytes.
        limit: u64,
        /// Whether the size is the announced one.
        announced: bool,
    },
    /// The body arrived but is not a valid document.
    Invalid(DocError),
}

impl LoadError {
    /// The path of the document that failed, under the API base.
    pub fn doc(&self) -> &str {
        match self {
            Self::Status { doc, .. }
            | Self::Network { doc, .. }
            | Self::Timeout { doc, .. }
            | Self::TooLarge { doc, .. } => doc,
            Self::Invalid(e) => &e.doc,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status {
                doc,
                url,
                status,
                status_text,
            } => {
                let text = if status_text.is_empty() {
                    String::new()
                } else {
                    format!(" {status_text}")
                };
                write!(f, "{doc}: the server answered {status}{text} for {url}")
            }
            Self::Network { doc, url, message } => {
                write!(f, "{doc}: could not reach {url} ({message})")
            }
            Self::Timeout { doc, url, seconds } => {
                write!(f, "{doc}: no answer from {url} within {seconds} s")
            }
            Self::TooLarge {
                doc,
                url,
                bytes,
                limit,
                announced: true,
            } => write!(
                f,
                "{doc}: {url} is {} MB, more than the {} MB Pulse accepts for it",
                bytes / 1_000_000,
                limit / 1_000_000
            ),
            Self::TooLarge {
                doc,
                url,
                bytes,
                limit,
                announced: false,
            } => write!(
                f,
                "{doc}: {url} is more than the {} MB Pulse accepts for it (stopped reading after {} MB)",
                limit / 1_000_000,
                bytes / 1_000_000
            ),
            Self::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<DocError> for LoadError {
    fn from(e: DocError) -> Self {
        Self::Invalid(e)
    }
}

/// Parses `body` as JSON into `T`, naming the place of the first problem.
///
/// Syntax errors name the line and column; type errors and missing fields
/// name the path (`series[4].counts[17]`). Unpaired surrogate escapes
/// become `U+FFFD` (see [`super::surrogates`]).
pub fn parse_json<T: serde::de::DeserializeOwned>(doc: &str, body: &str) -> Result<T, DocError> {
    // Tracking the path wraps every value: it made the parse of a
    // 50,000-post hour 70 % slower and of a delivery day 40 % slower. A
    // valid body is parsed without it; only a body that fails is parsed
    // again to name the place.
    if let Ok(value) = serde_json::from_str(body) {
        return Ok(value);
    }
    parse_json_naming_the_place(doc, body)
}

/// The slow path of [`parse_json`], kept out of line: the code a valid
/// document runs stays small (the release build loads the rest later).
#[inline(never)]
fn parse_json_naming_the_place<T: serde::de::DeserializeOwned>(
    doc: &str,
    body: &str,
) -> Result<T, DocError> {
    // Unpaired UTF-16 surrogates show as `�`, as in the browser.
    if let Some(repaired) = super::surrogates::replace_lone_surrogates(body) {
        return parse_json(doc, &repaired);
    }
    let mut de = serde_json::Deserializer::from_str(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let reason = plain_serde_reason(&inner);
        // A syntax error or a truncated body is about the text, not a field:
        // the line and column in the reason say where.
        let about_text = !matches!(inner.classify(), serde_json::error::Category::Data);
        let place = if about_text || path == "." || path.is_empty() {
            String::new()
        } else {
            path
        };
        DocError::new(doc, place, reason)
    })?;
    de.end()
        .map_err(|e| DocError::new(doc, "", plain_serde_reason(&e)))?;
    Ok(value)
}

fn plain_serde_reason(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => format!(
            "the JSON ends too early (line {}, column {}): the body is truncated",
            e.line(),
            e.column()
        ),
        Category::Syntax => format!("not valid JSON ({e})"),
        Category::Data => {
            // serde_json appends " at line L column C" to data errors; the
            // path already says where, so keep the reason short.
            let text = e.to_string();
            match text.rfind(" at line ") {
                Some(cut) => text.get(..cut).unwrap_or(&text).to_owned(),
                None => text,
            }
        }
        Category::Io => format!("could not be read ({e})"),
    }
}
