//! Atomic publication of a dataset folder.
//!
//! Every document goes into a staging folder inside `--out` (same file
//! system), already checked by Pulse's own parser; once all are written
//! they are renamed into place one by one (each rename is atomic), and
//! `meta.json` last: a reader always sees the previous dataset or the new
//! one, each document whole. A run that fails before that (bad input, a
//! full disk) removes its staging folder and leaves `--out` as it was; one
//! killed (Ctrl-C) leaves only a hidden staging folder, which the next run
//! removes.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const STAGING_PREFIX: &str = ".pulse-ingest-staging-";

/// Documents written but not yet published. Documents may be staged
/// from several threads at once.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    files: Mutex<Vec<String>>,
    published: bool,
}

fn io(what: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", what.display())
}

impl Staging {
    /// Creates `--out` if needed and a fresh staging folder in it,
    /// removing any a killed run left behind.
    pub fn new(out: &Path) -> Result<Self, String> {
        fs::create_dir_all(out).map_err(|e| io(out, e))?;
        for entry in fs::read_dir(out).map_err(|e| io(out, e))?.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(STAGING_PREFIX)
            {
                fs::remove_dir_all(entry.path()).map_err(|e| io(&entry.path(), e))?;
            }
        }
        let dir = out.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        Ok(Self {
            out: out.to_owned(),
            dir,
            files: Mutex::new(Vec::new()),
            published: false,
        })
    }

    /// Writes a checked document under its path in the dataset
    /// (`delivery/2016-08-03.json`).
    pub fn put(&self, rel: &str, body: &[u8]) -> Result<(), String> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        fs::write(&path, body).map_err(|e| io(&path, e))?;
        self.files
            .lock()
            .map_err(|_| format!("{}: staging stopped", path.display()))?
            .push(rel.to_owned());
        Ok(())
    }

    /// Renames every staged document into place, then `meta.json`.
    pub fn publish(mut self, meta: &[u8]) -> Result<(), String> {
        self.put(pulse::api::META_DOC, meta)?;
        let files = match self.files.get_mut() {
            Ok(files) => std::mem::take(files),
            Err(_) => return Err("staging stopped: nothing was published".to_owned()),
        };
        for rel in &files {
            let (from, to) = (self.dir.join(rel), self.out.join(rel));
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            fs::rename(&from, &to).map_err(|e| io(&to, e))?;
        }
        self.published = true;
        fs::remove_dir_all(&self.dir).map_err(|e| io(&self.dir, e))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            // Whatever is left of it can only be removed or already gone.
            fs::remove_dir_all(&self.dir).unwrap_or(());
        }
    }
}

/// Checks a document with Pulse's parser before it is staged: the error
/// names the document and the place.
pub fn checked<T>(parsed: Result<T, pulse::api::DocError>) -> Result<(), String> {
    parsed
        .map(|_| ())
        .map_err(|e| format!("a document failed Pulse's own check: {e}"))
}
