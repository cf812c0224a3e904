//! URL resolution and the contract's rules for URLs found in data.
//!
//! Pulse resolves `api_base` against the page and relative media URLs
//! against the API base with the same rules a browser uses for links
//! (RFC 3986 reference resolution, with the WHATWG clean-ups that matter for
//! safety: surrounding control characters and spaces are dropped, tabs and
//! newlines inside are removed, and `\` counts as `/`). Pure functions, so
//! the rules are tested on the host.

/// Removes what a browser ignores in a URL before parsing it.
fn clean(input: &str) -> String {
    input
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect()
}

/// The lower-cased scheme of an absolute URL (`https`), or `None` for a
/// relative reference.
pub fn scheme(url: &str) -> Option<String> {
    let url = clean(url);
    let colon = url.find(':')?;
    let name = url.get(..colon)?;
    let mut chars = name.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| name.to_ascii_lowercase())
}

/// Splits `scheme://authority/path?query#fragment` into
/// (`scheme://authority`, `/path`, `?query#fragment`).
fn split_absolute(url: &str) -> Option<(&str, &str, &str)> {
    // A byte search: the standard substring searcher is a large piece of
    // code for three bytes.
    let after_scheme = url.as_bytes().windows(3).position(|w| w == b"://")? + 3;
    let rest = url.get(after_scheme..)?;
    let auth_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin_end = after_scheme + auth_len;
    let tail = url.get(origin_end..)?;
    let path_len = tail.find(['?', '#']).unwrap_or(tail.len());
    Some((
        url.get(..origin_end)?,
        tail.get(..path_len)?,
        tail.get(path_len..)?,
    ))
}

/// The origin (`https://example.com:8080`) of an absolute URL, host lower-cased.
pub fn origin(url: &str) -> Option<String> {
    let url = clean(url);
    let (origin, _, _) = split_absolute(&url)?;
    Some(origin.to_ascii_lowercase())
}

/// Removes `.` and `..` segments from an absolute path.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// Resolves `reference` against the absolute URL `base`, as a link would.
/// Returns `None` when `base` is not an absolute `scheme://` URL.
pub fn resolve(base: &str, reference: &str) -> Option<String> {
    let base = clean(base);
    let reference = clean(reference);
    let (origin, base_path, _) = split_absolute(&base)?;
    if let Some(s) = scheme(&reference) {
        let rest = reference.get(s.len()..).unwrap_or_default();
        return Some(format!("{s}{rest}"));
    }
    if let Some(rest) = reference.strip_prefix("//") {
        let s = scheme(origin).unwrap_or_default();
        return Some(format!("{s}://{rest}"));
    }
    let ref_path_len = reference.find(['?', '#']).unwrap_or(reference.len());
    let (ref_path, ref_tail) = reference.split_at(ref_path_len);
    if ref_path.is_empty() {
        let keep_query = ref_tail.starts_with('#');
        let base_no_frag = base.split('#').next().unwrap_or(&base);
        let base_part = if keep_query {
            base_no_frag
        } else {
            base.split(['?', '#']).next().unwrap_or(&base)
        };
        return Some(format!("{base_part}{ref_tail}"));
    }
    let merged = if ref_path.starts_with('/') {
        ref_path.to_owned()
    } else {
        let dir_end = base_path.rfind('/').map_or(0, |i| i + 1);
        let dir = if base_path.is_empty() {
            "/"
        } else {
            base_path.get(..dir_end).unwrap_or("/")
        };
        format!("{dir}{ref_path}")
    };
    Some(format!(
        "{origin}{}{ref_tail}",
        remove_dot_segments(&merged)
    ))
}

/// Why a URL from data is not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlRejection {
    /// A scheme other than `https:` (or `http:` on the page's own origin).
    Scheme(String),
    /// Could not be resolved.
    Malformed,
}

/// Applies the contract's rule for media URLs (`thumbnail_url`): a relative
/// URL is resolved against the API base; the result is used only if it is
/// `https:`, or `http:` on the page's own origin. Everything else
/// (`javascript:`, `data:`, another origin's `http:`) is refused.
pub fn checked_media_url(
    raw: &str,
    api_base: &str,
    page_origin: &str,
) -> Result<String, UrlRejection> {
    let resolved = resolve(api_base, raw).ok_or(UrlRejection::Malformed)?;
    let s = scheme(&resolved).ok_or(UrlRejection::Malformed)?;
    match s.as_str() {
        "https" => Ok(resolved),
        "http" if origin(&resolved).as_deref() == Some(&page_origin.to_ascii_lowercase()) => {
            Ok(resolved)
        }
        _ => Err(UrlRejection::Scheme(s)),
    }
}

/// Applies the contract's rule for links in data (an annotation's `url`):
/// used only when it is an absolute `https:` URL, returned as the browser
/// would read it; anything else (relative, `http:`, `javascript:`) is not
/// used.
pub fn checked_link_url(raw: &str) -> Option<String> {
    let cleaned = clean(raw);
    (scheme(&cleaned).as_deref() == Some("https") && origin(&cleaned).is_some()).then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://cdn.example.com/tools/pulse/index.html?view=delivery#x";

    #[test]
    fn resolves_like_a_browser() {
        let cases = [
            ("api/v1", "https://cdn.example.com/tools/pulse/api/v1"),
            ("./api/v1/", "https://cdn.example.com/tools/pulse/api/v1/"),
            ("../data", "https://cdn.example.com/tools/data"),
            ("../../../../x", "https://cdn.example.com/x"),
            ("/api", "https://cdn.example.com/api"),
            ("//other.example/api", "https://other.example/api"),
            ("https://api.example.com/v1/", "https://api.example.com/v1/"),
            ("HTTPS://api.example.com", "https://api.example.com"),
            ("?a=1", "https://cdn.example.com/tools/pulse/index.html?a=1"),
            ("a/./b/../c", "https://cdn.example.com/tools/pulse/a/c"),
            (
                "  api\t/v1\n ",
                "https://cdn.example.com/tools/pulse/api/v1",
            ),
        ];
        for (reference, want) in cases {
            assert_eq!(
                resolve(PAGE, reference).as_deref(),
                Some(want),
                "{reference}"
            );
        }
        assert_eq!(resolve("not a url", "x"), None);
        assert_eq!(
            resolve("http://127.0.0.1:8080", "config.json").as_deref(),
            Some("http://127.0.0.1:8080/config.json")
        );
    }

    #[test]
    fn finds_schemes_and_origins() {
        assert_eq!(scheme("JavaScript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(
            scheme(" \u{1}java\tscript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme("media/a.jpg"), None);
        assert_eq!(scheme("a/b:c"), None);
        assert_eq!(origin(PAGE).as_deref(), Some("https://cdn.example.com"));
        assert_eq!(
            origin("http://LOCALHOST:8080/x").as_deref(),
            Some("http://localhost:8080")
        );
    }

    #[test]
    fn links_are_used_only_when_https() {
        assert_eq!(
            checked_link_url(" https://wiki.example.com/a b\n").as_deref(),
            Some("https://wiki.example.com/a b")
        );
        assert!(checked_link_url("HTTPS://wiki.example.com").is_some());
        for bad in [
            "http://wiki.example.com",
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            "https:alert(1)",
            "wiki/page",
            "//wiki.example.com",
            "data:text/html,x",
        ] {
            assert_eq!(checked_link_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn media_urls_follow_the_contract() {
        let base = "https://cdn.example.com/tools/pulse/api/v1/";
        let page = "https://cdn.example.com";
        assert_eq!(
            checked_media_url("media/u_1.svg", base, page).as_deref(),
            Ok("https://cdn.example.com/tools/pulse/api/v1/media/u_1.svg")
        );
        assert!(checked_media_url("https://img.example.org/a.jpg", base, page).is_ok());
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "java\nscript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "http://evil.example/a.jpg",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(checked_media_url(bad, base, page).is_err(), "{bad}");
        }
        let local_base = "http://127.0.0.1:8080/sub/api/v1/";
        let local = "http://127.0.0.1:8080";
        assert!(checked_media_url("media/a.svg", local_base, local).is_ok());
        assert!(checked_media_url("http://127.0.0.1:8080/a.svg", local_base, local).is_ok());
        assert!(checked_media_url("http://127.0.0.2:8080/a.svg", local_base, local).is_err());
        assert!(checked_media_url("//evil.example/a.svg", local_base, local).is_err());
        assert!(checked_media_url("/\\evil.example/a.svg", local_base, local).is_err());
    }
}
