//! `config.json`: where Pulse finds its data.
//!
//! Read once at start-up from beside `index.html`. `api_base` is relative
//! to the page (so the site works under any sub-path) or an absolute
//! `https:` URL; it is resolved with link rules against the page's URL.

use super::error::{parse_json, DocError};
use super::kinds::Media;
use super::scan::Cursor;
use super::url;
use serde::Deserialize;

/// The document's name in errors.
pub const CONFIG_DOC: &str = "config.json";

#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
struct RawConfig {
    api_base: String,
    #[serde(default)]
    refresh_seconds: Option<u32>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    timeout_seconds: Option<u32>,
    #[serde(default)]
    embed_parent_origins: Option<Vec<String>>,
    #[serde(default)]
    broadcast_workers: Option<u32>,
    #[serde(default)]
    media_cost: Option<RawMediaCost>,
}

/// `media_cost` as written: any media left out keeps its default.
#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
#[serde(deny_unknown_fields)]
struct RawMediaCost {
    #[serde(default)]
    text: Option<f64>,
    #[serde(default)]
    image: Option<f64>,
    #[serde(default)]
    video: Option<f64>,
    #[serde(default)]
    link: Option<f64>,
}

impl RawConfig {
    /// The fast way ([`Cursor`]): `None` for anything unusual (an unknown
    /// or repeated key, escapes in keys), which the general parser then
    /// reads or names the problem of.
    fn read_fast(body: &str) -> Option<Self> {
        let mut c = Cursor::new(body);
        let mut api_base = None;
        let mut refresh_seconds = None;
        let mut title = None;
        let mut timeout_seconds = None;
        let mut embed_parent_origins = None;
        let mut broadcast_workers = None;
        let mut media_cost = None;
        c.object(|c, key| {
            let fresh = match key {
                "api_base" => api_base.replace(c.string()?).is_none(),
                "refresh_seconds" => refresh_seconds
                    .replace(c.optional(Cursor::value)?)
                    .is_none(),
                "title" => title.replace(c.optional(Cursor::string)?).is_none(),
                "timeout_seconds" => timeout_seconds
                    .replace(c.optional(Cursor::value)?)
                    .is_none(),
                "embed_parent_origins" => embed_parent_origins
                    .replace(c.optional(|c| c.array(Cursor::string))?)
                    .is_none(),
                "broadcast_workers" => broadcast_workers
                    .replace(c.optional(Cursor::value)?)
                    .is_none(),
                "media_cost" => media_cost
                    .replace(c.optional(RawMediaCost::read_fast)?)
                    .is_none(),
                // Unknown keys: left to the general parser.
                _ => false,
            };
            fresh.then_some(())
        })?;
        if !c.at_end() {
            return None;
        }
        Some(Self {
            api_base: api_base?,
            refresh_seconds: refresh_seconds.flatten(),
            title: title.flatten(),
            timeout_seconds: timeout_seconds.flatten(),
            embed_parent_origins: embed_parent_origins.flatten(),
            broadcast_workers: broadcast_workers.flatten(),
            media_cost: media_cost.flatten(),
        })
    }
}

impl RawMediaCost {
    /// The fast way, as [`RawConfig::read_fast`]: `None` for an unknown or
    /// repeated media.
    fn read_fast(c: &mut Cursor) -> Option<Self> {
        let mut cost = Self {
            text: None,
            image: None,
            video: None,
            link: None,
        };
        c.object(|c, key| {
            let slot = match key {
                "text" => &mut cost.text,
                "image" => &mut cost.image,
                "video" => &mut cost.video,
                "link" => &mut cost.link,
                _ => return None,
            };
            slot.replace(c.optional(Cursor::value)??)
                .is_none()
                .then_some(())
        })?;
        Some(cost)
    }
}

/// How long a post of each media takes to send, relative to the others
/// (`media_cost` in `config.json`): the capacity planner's service-time
/// weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MediaCost {
    /// A text post.
    pub text: f64,
    /// A post with an image.
    pub image: f64,
    /// A post with a video.
    pub video: f64,
    /// A post with a link.
    pub link: f64,
}

impl Default for MediaCost {
    /// Text 1, image 2, video 8, link 1.
    fn default() -> Self {
        Self {
            text: 1.0,
            image: 2.0,
            video: 8.0,
            link: 1.0,
        }
    }
}

impl MediaCost {
    /// The cost of one media.
    pub fn of(&self, media: Media) -> f64 {
        match media {
            Media::Text => self.text,
            Media::Image => self.image,
            Media::Video => self.video,
            Media::Link => self.link,
        }
    }

    /// Checks `raw` over the defaults: every cost a finite number above 0.
    fn read(raw: Option<RawMediaCost>) -> Result<Self, DocError> {
        let mut cost = Self::default();
        let Some(raw) = raw else {
            return Ok(cost);
        };
        let given = [
            (Media::Text, raw.text),
            (Media::Image, raw.image),
            (Media::Video, raw.video),
            (Media::Link, raw.link),
        ];
        for (media, value) in given {
            let Some(v) = value else { continue };
            if !(v.is_finite() && v > 0.0) {
                return Err(DocError::new(
                    CONFIG_DOC,
                    format!("media_cost.{media}"),
                    format!("is {v}: a cost must be a number above 0"),
                ));
            }
            match media {
                Media::Text => cost.text = v,
                Media::Image => cost.image = v,
                Media::Video => cost.video = v,
                Media::Link => cost.link = v,
            }
        }
        Ok(cost)
    }
}

/// A validated `config.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `api_base` as written.
    pub api_base: String,
    /// `api_base` resolved against the page, always ending in `/`.
    pub api_base_url: String,
    /// Seconds between refreshes of the shown documents; 0 = never.
    pub refresh_seconds: u32,
    /// A title that replaces the dataset name in the header.
    pub title: Option<String>,
    /// How long a request may take before it is given up, in seconds.
    pub timeout_seconds: u32,
    /// Origins of parent pages that may receive the embed height messages
    /// (empty: any parent, `*`).
    pub embed_parent_origins: Vec<String>,
    /// The current number of broadcaster workers, when known.
    pub broadcast_workers: Option<u32>,
    /// Relative service cost per media, for the capacity planner.
    pub media_cost: MediaCost,
}

/// Seconds a request may take when `config.json` does not say.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 15;

impl Config {
    /// Parses and validates `config.json`, resolving `api_base` against
    /// `page_url` (the page's own absolute URL).
    pub fn parse(body: &str, page_url: &str) -> Result<Self, DocError> {
        let raw = match RawConfig::read_fast(body) {
            Some(raw) => raw,
            None => parse_json(CONFIG_DOC, body)?,
        };
        let err = |place: &str, reason: String| DocError::new(CONFIG_DOC, place, reason);
        let base = raw.api_base.trim();
        if base.is_empty() {
            return Err(err("api_base", "is empty".into()));
        }
        let page_origin = url::origin(page_url).unwrap_or_default();
        let resolved = url::resolve(page_url, base)
            .ok_or_else(|| err("api_base", format!("cannot be resolved against {page_url}")))?;
        match url::scheme(&resolved).as_deref() {
            Some("https") => {}
            Some("http") if url::origin(&resolved).as_deref() == Some(page_origin.as_str()) => {}
            _ => {
                return Err(err(
                    "api_base",
                    format!("must be a relative path or an https: URL, not {base:?}"),
                ))
            }
        }
        let api_base_url = if resolved.ends_with('/') {
            resolved
        } else {
            format!("{resolved}/")
        };
        let timeout_seconds = match raw.timeout_seconds {
            Some(0) => return Err(err("timeout_seconds", "must be at least 1".into())),
            Some(s) => s,
            None => DEFAULT_TIMEOUT_SECONDS,
        };
        if raw.broadcast_workers == Some(0) {
            return Err(err("broadcast_workers", "must be at least 1".into()));
        }
        let media_cost = MediaCost::read(raw.media_cost)?;
        Ok(Self {
            api_base: raw.api_base,
            api_base_url,
            refresh_seconds: raw.refresh_seconds.unwrap_or(0),
            title: raw.title.filter(|t| !t.trim().is_empty()),
            timeout_seconds,
            embed_parent_origins: raw.embed_parent_origins.unwrap_or_default(),
            broadcast_workers: raw.broadcast_workers,
            media_cost,
        })
    }

    /// The absolute URL of a document path under the API base.
    pub fn doc_url(&self, doc: &str) -> String {
        format!("{}{doc}", self.api_base_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://cdn.example.com/tools/pulse/?view=overview";

    #[test]
    fn resolves_relative_and_absolute_bases() {
        let c = Config::parse(r#"{"api_base":"api/v1","title":"Ops"}"#, PAGE).unwrap();
        assert_eq!(
            c.api_base_url,
            "https://cdn.example.com/tools/pulse/api/v1/"
        );
        assert_eq!(
            c.doc_url("meta.json"),
            "https://cdn.example.com/tools/pulse/api/v1/meta.json"
        );
        assert_eq!(c.title.as_deref(), Some("Ops"));
        assert_eq!(c.refresh_seconds, 0);
        assert_eq!(c.timeout_seconds, DEFAULT_TIMEOUT_SECONDS);
        let c = Config::parse(
            r#"{"api_base":"https://api.example.com/v1","refresh_seconds":60,"x":1}"#,
            PAGE,
        )
        .unwrap();
        assert_eq!(c.api_base_url, "https://api.example.com/v1/");
        assert_eq!(c.refresh_seconds, 60);
    }

    #[test]
    fn the_fast_reader_reads_as_the_general_parser_does() {
        let read = [
            r#"{"api_base":"api/v1"}"#,
            r#" { "api_base" : "api/v1" , "refresh_seconds" : 60 , "title" : "Ops \u00e9\"" } "#,
            r#"{"api_base":"a","refresh_seconds":null,"title":null,"timeout_seconds":null,"embed_parent_origins":null}"#,
            r#"{"timeout_seconds":3,"embed_parent_origins":["https://wiki.example.com",""],"api_base":"a"}"#,
            r#"{"api_base":"a","embed_parent_origins":[]}"#,
            r#"{"api_base":"a","broadcast_workers":24,"media_cost":{"video":8.5,"text":1}}"#,
            r#"{"api_base":"a","broadcast_workers":null,"media_cost":null}"#,
            r#"{"api_base":"a","media_cost":{}}"#,
        ];
        for body in read {
            let general: RawConfig = serde_json::from_str(body).unwrap();
            assert_eq!(RawConfig::read_fast(body), Some(general), "{body}");
        }
        // Left to the general parser: it reads them or names the problem.
        let unusual = [
            r#"{"api_base":"a","x":1}"#,
            r#"{"api_base":"a","api_base":"b"}"#,
            r#"{"api_\u0062ase":"a"}"#,
            r#"{"api_base":"a"} x"#,
            r#"{"title":"t"}"#,
            r#"{"api_base":"a","refresh_seconds":-5}"#,
            r#"{"api_base":"a","refresh_seconds":1.5}"#,
            r#"{"api_base":"a","media_cost":{"gif":2}}"#,
            r#"{"api_base":"a","media_cost":{"text":1,"text":2}}"#,
            r#"{"api_base":"a","media_cost":{"text":null}}"#,
            r#"{"api_base":"a","broadcast_workers":0.5}"#,
            r#"{"api_base":1}"#,
            r#"["api_base"]"#,
            "",
        ];
        for body in unusual {
            assert_eq!(RawConfig::read_fast(body), None, "{body}");
        }
    }

    #[test]
    fn refuses_bad_configs_with_the_place() {
        let cases = [
            ("{}", "config.json: missing field `api_base`"),
            (r#"{"api_base":""}"#, "config.json: api_base: is empty"),
            (
                r#"{"api_base":"javascript:alert(1)"}"#,
                "config.json: api_base: must be a relative path or an https: URL",
            ),
            (
                r#"{"api_base":"http://evil.example/"}"#,
                "config.json: api_base: must be a relative path",
            ),
            (
                r#"{"api_base":"api","refresh_seconds":-5}"#,
                "config.json: refresh_seconds: invalid value",
            ),
            (
                r#"{"api_base":"api""#,
                "config.json: the JSON ends too early",
            ),
            ("<html>", "config.json: not valid JSON"),
        ];
        for (body, want) in cases {
            let got = Config::parse(body, PAGE).unwrap_err().to_string();
            assert!(got.starts_with(want), "{body}: {got}");
        }
    }

    #[test]
    fn reads_the_capacity_planner_fields() {
        let c = Config::parse(r#"{"api_base":"a"}"#, PAGE).unwrap();
        assert_eq!(
            (c.broadcast_workers, c.media_cost),
            (None, MediaCost::default())
        );
        let c = Config::parse(
            r#"{"api_base":"a","broadcast_workers":24,"media_cost":{"video":12.5,"link":0.5}}"#,
            PAGE,
        )
        .unwrap();
        assert_eq!(c.broadcast_workers, Some(24));
        assert_eq!(
            [Media::Text, Media::Image, Media::Video, Media::Link].map(|m| c.media_cost.of(m)),
            [1.0, 2.0, 12.5, 0.5]
        );
        let cases = [
            (
                r#"{"api_base":"a","broadcast_workers":0}"#,
                "config.json: broadcast_workers: must be at least 1",
            ),
            (
                r#"{"api_base":"a","broadcast_workers":-3}"#,
                "config.json: broadcast_workers: invalid value",
            ),
            (
                r#"{"api_base":"a","media_cost":{"video":0}}"#,
                "config.json: media_cost.video: is 0: a cost must be a number above 0",
            ),
            (
                r#"{"api_base":"a","media_cost":{"gif":2}}"#,
                "config.json: media_cost.gif: unknown field `gif`",
            ),
            (
                r#"{"api_base":"a","media_cost":{"text":"1"}}"#,
                "config.json: media_cost.text: invalid type",
            ),
        ];
        for (body, want) in cases {
            let got = Config::parse(body, PAGE).unwrap_err().to_string();
            assert!(got.starts_with(want), "{body}: {got}");
        }
    }

    #[test]
    fn allows_http_on_the_pages_own_origin() {
        let c = Config::parse(
            r#"{"api_base":"http://127.0.0.1:9000/api"}"#,
            "http://127.0.0.1:9000/p/",
        )
        .unwrap();
        assert_eq!(c.api_base_url, "http://127.0.0.1:9000/api/");
    }
}
