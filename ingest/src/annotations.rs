//! `--annotations FILE`: the events that explain the numbers, as CSV (a
//! header `id,kind,title,at,from,to,text,url,tags`, columns in any order,
//! tags separated by `|`) or JSON Lines (`.jsonl`/`.ndjson`, one
//! annotation object a line). Every annotation is checked by Pulse's own
//! rules, with errors naming the file and line, and the whole is written
//! as `annotations.json`.

use crate::publish::{checked, Staging};
use pulse::api::{Annotations, RawAnnotation, ANNOTATIONS_DOC};
use std::path::Path;

/// The CSV columns Pulse reads; `id`, `kind` and `title` are required.
const COLUMNS: [&str; 9] = [
    "id", "kind", "title", "at", "from", "to", "text", "url", "tags",
];

/// Reads, checks and stages `annotations.json` from `path`; the number of
/// annotations.
pub fn write(path: &Path, staging: &mut Staging) -> Result<u64, String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot be read: {e}"))?;
    let jsonl = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "jsonl" | "ndjson"));
    let raw = if jsonl {
        from_jsonl(&name, &text)?
    } else {
        from_csv(&name, &text)?
    };
    let count = raw.len() as u64;
    let body = document(&name, raw)?;
    staging.put(ANNOTATIONS_DOC, &body)?;
    Ok(count)
}

/// Checks annotations given with their lines and writes the document,
/// checked again as the app will read it.
fn document(name: &str, raw: Vec<(usize, RawAnnotation)>) -> Result<Vec<u8>, String> {
    let places = raw
        .iter()
        .map(|(line, a)| (format!("line {line}"), a.clone()));
    Annotations::from_raw(name, places).map_err(|e| e.to_string())?;
    #[derive(serde::Serialize)]
    struct Doc {
        annotations: Vec<RawAnnotation>,
    }
    let body = serde_json::to_vec(&Doc {
        annotations: raw.into_iter().map(|(_, a)| a).collect(),
    })
    .map_err(|e| e.to_string())?;
    checked(Annotations::parse(
        std::str::from_utf8(&body).map_err(|e| e.to_string())?,
    ))?;
    Ok(body)
}

/// One annotation object per non-blank line.
fn from_jsonl(name: &str, text: &str) -> Result<Vec<(usize, RawAnnotation)>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str::<RawAnnotation>(l)
                .map(|a| (i + 1, a))
                .map_err(|e| format!("{name}: line {}: {e}", i + 1))
        })
        .collect()
}

/// A CSV record and the line it starts on.
type Record = (usize, Vec<String>);

/// Splits CSV text into records (RFC 4180: quoted fields may hold
/// commas, doubled quotes and line breaks).
fn records(name: &str, text: &str) -> Result<Vec<Record>, String> {
    let mut out = Vec::new();
    let (mut field, mut fields) = (String::new(), Vec::new());
    let (mut line, mut start, mut quoted, mut any) = (1usize, 1usize, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                any = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                any = true;
            }
            '\r' => {}
            '\n' => {
                if any || !field.is_empty() {
                    fields.push(std::mem::take(&mut field));
                    out.push((start, std::mem::take(&mut fields)));
                }
                any = false;
                line += 1;
                start = line;
            }
            c => {
                field.push(c);
                any = true;
            }
        }
    }
    if quoted {
        return Err(format!(
            "{name}: line {start}: a quoted field is not closed"
        ));
    }
    if any || !field.is_empty() {
        fields.push(field);
        out.push((start, fields));
    }
    Ok(out)
}

/// Annotations from CSV with a header row.
fn from_csv(name: &str, text: &str) -> Result<Vec<(usize, RawAnnotation)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = records(name, text)?.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(format!(
            "{name}: empty: expected a header row {}",
            COLUMNS.join(",")
        ));
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    for required in ["id", "kind", "title"] {
        if !header.iter().any(|h| h == required) {
            return Err(format!(
                "{name}: line 1: the header has no {required:?} column (expected {})",
                COLUMNS.join(",")
            ));
        }
    }
    let mut out = Vec::new();
    for (line, fields) in rows {
        if fields.len() != header.len() {
            return Err(format!(
                "{name}: line {line}: {} fields, the header has {}",
                fields.len(),
                header.len()
            ));
        }
        let get = |col: &str| -> Option<String> {
            header
                .iter()
                .position(|h| h == col)
                .and_then(|i| fields.get(i))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        out.push((
            line,
            RawAnnotation {
                id: get("id").unwrap_or_default(),
                kind: get("kind").unwrap_or_default(),
                title: get("title").unwrap_or_default(),
                text: get("text"),
                url: get("url"),
                at: get("at"),
                from: get("from"),
                to: get("to"),
                tags: get("tags")
                    .map(|t| {
                        t.split('|')
                            .map(|s| s.trim().to_owned())
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulse::api::AnnotationKind;

    const CSV: &str = "id,kind,title,at,from,to,text,url,tags\n\
        deploy-1,deploy,Query deployed,2016-08-19T13:50:00Z,,,,,buffer.com\n\
        outage,incident,\"Outage, site-wide\",,2016-08-19T14:05:00Z,2016-08-19T17:40:00Z,\"Rolled back;\nsee \"\"status\"\"\",https://status.example.com/1,\n\
        exp,experiment,Annual plan,,2016-04-04T00:00:00Z,2016-05-31T23:59:59Z,,,business|small-business\n";

    fn parse_doc(body: &[u8]) -> Vec<pulse::api::Annotation> {
        Annotations::parse(std::str::from_utf8(body).unwrap())
            .unwrap()
            .items
    }

    #[test]
    fn reads_csv_with_quotes_line_breaks_and_tags() {
        let raw = from_csv("a.csv", CSV).unwrap();
        assert_eq!(raw.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [2, 3, 5]);
        let items = parse_doc(&document("a.csv", raw).unwrap());
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].tags, ["buffer.com"]);
        assert!(!items[0].range);
        assert_eq!(items[1].title, "Outage, site-wide");
        assert_eq!(
            items[1].text.as_deref(),
            Some("Rolled back;\nsee \"status\"")
        );
        assert_eq!(
            items[1].url.as_deref(),
            Some("https://status.example.com/1")
        );
        assert_eq!(items[2].kind, AnnotationKind::Experiment);
        assert_eq!(items[2].tags, ["business", "small-business"]);
    }

    #[test]
    fn writes_annotations_json_into_the_dataset() {
        let out =
            std::env::temp_dir().join(format!("pulse-ingest-annotations-{}", std::process::id()));
        std::fs::create_dir_all(&out).unwrap();
        let input = out.join("events.CSV");
        std::fs::write(&input, CSV).unwrap();
        let mut staging = Staging::new(&out.join("site")).unwrap();
        assert_eq!(write(&input, &mut staging).unwrap(), 3);
        staging.publish(b"{}").unwrap();
        let body = std::fs::read(out.join("site").join(ANNOTATIONS_DOC)).unwrap();
        assert_eq!(parse_doc(&body)[1].id, "outage");
        let missing = write(
            &out.join("nope.csv"),
            &mut Staging::new(&out.join("site")).unwrap(),
        );
        assert!(missing.unwrap_err().contains("nope.csv: cannot be read"));
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn reads_json_lines() {
        let text = "{\"id\":\"a\",\"kind\":\"note\",\"title\":\"A\",\"at\":\"2016-08-01T00:00:00Z\"}\n\n\
            {\"id\":\"b\",\"kind\":\"deploy\",\"title\":\"B\",\"at\":\"2016-08-02T00:00:00Z\",\"tags\":[\"twitter\"]}\n";
        let raw = from_jsonl("a.jsonl", text).unwrap();
        assert_eq!(raw[1].0, 3);
        let items = parse_doc(&document("a.jsonl", raw).unwrap());
        assert_eq!(items[1].tags, ["twitter"]);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let cases = [
            (
                CSV.replace("deploy-1,deploy", "deploy-1,release"),
                "a.csv: line 2.kind: \"release\" is not one of incident",
            ),
            (
                CSV.replace("exp,experiment", "outage,experiment"),
                "a.csv: line 5.id: \"outage\" is used twice",
            ),
            (
                CSV.replace("2016-08-19T17:40:00Z", "2016-08-19T12:00:00Z"),
                "a.csv: line 3.to: \"2016-08-19T12:00:00Z\" is before `from`",
            ),
            (
                CSV.replace("2016-08-19T13:50:00Z,,,", ",,,"),
                "a.csv: line 2: needs a moment `at` or a range",
            ),
        ];
        for (text, want) in cases {
            let got = from_csv("a.csv", &text)
                .and_then(|raw| document("a.csv", raw))
                .unwrap_err();
            assert!(got.starts_with(want), "want {want:?}, got {got:?}");
        }
        let short = from_csv("a.csv", "id,kind,title\nx,note\n").unwrap_err();
        assert_eq!(short, "a.csv: line 2: 2 fields, the header has 3");
        let no_title = from_csv("a.csv", "id,kind\n").unwrap_err();
        assert!(no_title.starts_with("a.csv: line 1: the header has no \"title\" column"));
        let open = from_csv("a.csv", "id,kind,title\nx,note,\"open\n").unwrap_err();
        assert_eq!(open, "a.csv: line 2: a quoted field is not closed");
        let bad_json = from_jsonl("b.jsonl", "{\"id\":\"a\"}\n{").unwrap_err();
        assert!(
            bad_json.starts_with("b.jsonl: line 1: missing field `kind`"),
            "{bad_json}"
        );
    }
}
