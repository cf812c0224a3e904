//! Writing the generated documents under a site folder (`public/`).
//!
//! Only the generator's own files are touched: `config.json`,
//! `api/v1/meta.json` and the folders in [`super::OWNED_DIRS`]. In those
//! folders, `.json` and `.svg` files that the new dataset does not contain
//! (left from an older run or another scale) are removed; anything else
//! there, and everything elsewhere in the site folder, is left alone.
//! Files whose bytes are unchanged are not rewritten.

use super::{Document, OWNED_DIRS};
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What [`write`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files in the dataset.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Files written because they were new or changed.
    pub written: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// The files under `dir`, recursively, as paths relative to `base` with `/`.
fn files_under(base: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files_under(base, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(base) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// Removes empty folders below `dir` (not `dir` itself).
fn remove_empty_dirs(dir: &Path) -> io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            remove_empty_dirs(&path)?;
            if fs::read_dir(&path)?.next().is_none() {
                fs::remove_dir(&path)?;
            }
        }
    }
    Ok(())
}

fn full_path(dir: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .fold(dir.to_path_buf(), |p, part| p.join(part))
}

/// The generated files found in the owned folders under `dir`.
pub fn existing_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    for owned in OWNED_DIRS {
        files_under(dir, &full_path(dir, owned), &mut found)?;
    }
    found.retain(|f| f.ends_with(".json") || f.ends_with(".svg"));
    found.sort();
    Ok(found)
}

/// Writes `docs` under `dir`, removing stale generated files.
pub fn write(dir: &Path, docs: &[Document]) -> io::Result<Summary> {
    let wanted: BTreeSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    let mut summary = Summary {
        files: docs.len(),
        bytes: docs.iter().map(|d| d.bytes.len() as u64).sum(),
        ..Summary::default()
    };
    for stale in existing_files(dir)? {
        if !wanted.contains(stale.as_str()) {
            fs::remove_file(full_path(dir, &stale))?;
            summary.removed += 1;
        }
    }
    for owned in OWNED_DIRS {
        remove_empty_dirs(&full_path(dir, owned))?;
    }
    for doc in docs {
        let path = full_path(dir, &doc.path);
        if fs::read(&path).is_ok_and(|old| old == doc.bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &doc.bytes)?;
        summary.written += 1;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, body: &str) -> Document {
        Document {
            path: path.into(),
            bytes: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_replaces_and_removes_only_its_own_files() {
        let dir = std::env::temp_dir().join(format!("pulse-demo-write-{}", std::process::id()));
        // Left over from an earlier run, or not there at all: both are fine.
        fs::remove_dir_all(&dir).ok();
        fs::create_dir_all(dir.join("api/v1/posts/2016-08-02")).unwrap();
        fs::write(dir.join("api/v1/posts/2016-08-02/08.json"), "stale").unwrap();
        fs::write(dir.join("api/v1/posts/README.txt"), "keep").unwrap();
        fs::write(dir.join("index.html"), "keep").unwrap();

        let docs = [
            doc("config.json", "{}"),
            doc("api/v1/posts/2016-08-03/08.json", "[]"),
        ];
        let s = write(&dir, &docs).unwrap();
        assert_eq!((s.files, s.bytes, s.written, s.removed), (2, 4, 2, 1));
        assert!(!dir.join("api/v1/posts/2016-08-02").exists());
        assert_eq!(
            fs::read_to_string(dir.join("api/v1/posts/README.txt")).unwrap(),
            "keep"
        );
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "keep");
        assert_eq!(
            existing_files(&dir).unwrap(),
            ["api/v1/posts/2016-08-03/08.json"]
        );

        // A second run with the same documents changes nothing.
        let again = write(&dir, &docs).unwrap();
        assert_eq!((again.written, again.removed), (0, 0));
        fs::remove_dir_all(&dir).unwrap();
    }
}
