//! An archive read in large blocks cut at line ends, each block's lines
//! made into [`Record`]s on all cores while the records of the block before
//! are applied: reading JSON is nearly all the work, applying it in order
//! is little.

use super::record::{record, Record};
use std::io::{self, Read};
use std::ops::Range;
use std::sync::Arc;
use std::thread;

/// How to share the reading out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Threads making records at once.
    pub threads: usize,
    /// Bytes read at a time (a block grows to hold a longer line).
    pub block: usize,
}

impl Split {
    /// One thread per core, 8 MB blocks.
    pub fn all_cores() -> Split {
        Split {
            threads: thread::available_parallelism().map_or(1, usize::from),
            block: 8 << 20,
        }
    }
}

/// A block's records, in line order, with the number of its first line.
pub struct Records {
    pub first_line: u64,
    pub records: Vec<Record>,
}

/// Why reading stopped early: the error, and the number of the line that
/// was being read (after every complete line before it is applied).
pub struct ReadError {
    pub line: u64,
    pub error: io::Error,
}

/// Reads `input` block by block and hands each block's records, in order,
/// to `apply`; stops at the first error `apply` returns, or after the
/// complete lines before a read error (then that error, made by
/// `read_error`).
pub fn read_records<E>(
    mut input: impl Read,
    split: Split,
    mut apply: impl FnMut(Records) -> Result<(), E>,
    read_error: impl FnOnce(ReadError) -> E,
) -> Result<(), E> {
    let block = split.block.max(1);
    thread::scope(|scope| {
        let mut carry = Vec::new();
        let mut next_line = 1u64;
        let mut in_flight: Option<Batch> = None;
        loop {
            let (mut bytes, end, failed) = fill(&mut input, std::mem::take(&mut carry), block);
            let last_end = bytes.iter().rposition(|b| *b == b'\n').map(|at| at + 1);
            let cut = match (&failed, end, last_end) {
                // A read failed within the line after the last line end.
                (Some(_), _, last_end) => last_end.unwrap_or(0),
                // The end: what follows the last line end is a last line.
                (None, true, _) => bytes.len(),
                (None, false, Some(last_end)) => last_end,
                (None, false, None) => {
                    // One line longer than a block: read on.
                    carry = bytes;
                    continue;
                }
            };
            carry = bytes.split_off(cut);
            let done = end || failed.is_some();
            let batch = (!bytes.is_empty()).then(|| {
                let first_line = next_line;
                next_line += line_count(&bytes);
                Batch::start(scope, Arc::new(bytes), first_line, split.threads)
            });
            if let Some(before) = in_flight.take() {
                apply(before.finish())?;
            }
            in_flight = batch;
            if done {
                if let Some(last) = in_flight.take() {
                    apply(last.finish())?;
                }
                return match failed {
                    Some(error) => Err(read_error(ReadError {
                        line: next_line,
                        error,
                    })),
                    None => Ok(()),
                };
            }
        }
    })
}

/// `carry` and then what `input` gives, until the bytes number `block`
/// (`block` more when `carry` alone does); whether the input ended, and
/// the read error if one stopped it.
fn fill(
    input: &mut impl Read,
    mut bytes: Vec<u8>,
    block: usize,
) -> (Vec<u8>, bool, Option<io::Error>) {
    let want = if bytes.len() >= block {
        block
    } else {
        block - bytes.len()
    };
    bytes.reserve(want);
    let before = bytes.len();
    // What was read before an error stays in `bytes`.
    let read = input.by_ref().take(want as u64).read_to_end(&mut bytes);
    let end = bytes.len() - before < want;
    match read {
        Ok(_) => (bytes, end, None),
        Err(error) => (bytes, false, Some(error)),
    }
}

/// Lines in a block: its line ends, and one more when the last line has
/// none.
fn line_count(bytes: &[u8]) -> u64 {
    let ends = bytes.iter().filter(|b| **b == b'\n').count() as u64;
    ends + u64::from(bytes.last().is_some_and(|b| *b != b'\n'))
}

/// The lines of `bytes`, each with its line end.
fn lines(mut bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        if bytes.is_empty() {
            return None;
        }
        let end = find_newline(bytes).map_or(bytes.len(), |at| at + 1);
        let (line, rest) = bytes.split_at(end.min(bytes.len()));
        bytes = rest;
        Some(line)
    })
}

/// Where the first `\n` is, looked for eight bytes at a time (a byte at
/// a time showed in profiles).
fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    const NEWLINES: u64 = u64::from_le_bytes([b'\n'; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ NEWLINES;
        // The lowest bit set marks the first zero byte of `x`.
        let zeros = x.wrapping_sub(ONES) & !x & HIGHS;
        if zeros != 0 {
            return Some(offset + (zeros.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    let rest = chunks.remainder().iter().position(|b| *b == b'\n');
    rest.map(|at| offset + at)
}

/// A block's records being made: one share of its lines per thread.
struct Batch<'scope> {
    first_line: u64,
    shares: Vec<Share<'scope>>,
}

/// One thread's records, or those made on the spot when no thread could
/// be started.
enum Share<'scope> {
    Thread(
        thread::ScopedJoinHandle<'scope, Vec<Record>>,
        Arc<Vec<u8>>,
        Range<usize>,
    ),
    Done(Vec<Record>),
}

impl<'scope> Batch<'scope> {
    fn start<'env>(
        scope: &'scope thread::Scope<'scope, 'env>,
        bytes: Arc<Vec<u8>>,
        first_line: u64,
        threads: usize,
    ) -> Batch<'scope> {
        let shares = shares(&bytes, threads.max(1))
            .into_iter()
            .map(|range| {
                let file_start = first_line == 1 && range.start == 0;
                let (mine, kept) = (Arc::clone(&bytes), range.clone());
                let made = thread::Builder::new().spawn_scoped(scope, move || {
                    records(mine.get(kept).unwrap_or_default(), file_start)
                });
                match made {
                    Ok(handle) => Share::Thread(handle, Arc::clone(&bytes), range),
                    Err(_) => {
                        Share::Done(records(bytes.get(range).unwrap_or_default(), file_start))
                    }
                }
            })
            .collect();
        Batch { first_line, shares }
    }

    /// The block's records in line order (a share whose thread failed is
    /// made again here).
    fn finish(self) -> Records {
        let mut all = Vec::new();
        for share in self.shares {
            match share {
                Share::Done(records) => all.extend(records),
                Share::Thread(handle, bytes, range) => match handle.join() {
                    Ok(records) => all.extend(records),
                    Err(_) => all.extend(records(
                        bytes.get(range.clone()).unwrap_or_default(),
                        self.first_line == 1 && range.start == 0,
                    )),
                },
            }
        }
        Records {
            first_line: self.first_line,
            records: all,
        }
    }
}

/// `bytes` cut at line ends into about `threads` ranges of similar size.
fn shares(bytes: &[u8], threads: usize) -> Vec<Range<usize>> {
    let step = bytes.len().div_ceil(threads).max(1);
    let mut ranges = Vec::with_capacity(threads);
    let mut start = 0;
    while start < bytes.len() {
        let aim = start.saturating_add(step).min(bytes.len());
        let end = match bytes
            .get(aim..)
            .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
        {
            Some(at) => aim + at + 1,
            None => bytes.len(),
        };
        ranges.push(start..end);
        start = end;
    }
    ranges
}

/// The records of these lines; `file_start`: they begin the file, whose
/// first line may start with a byte order mark.
fn records(bytes: &[u8], file_start: bool) -> Vec<Record> {
    lines(bytes)
        .enumerate()
        .map(|(i, line)| match line.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) if i == 0 && file_start => record(rest),
            _ => record(line),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cut_at_line_ends_and_cover_everything() {
        let bytes = b"aaaa\nbb\n\ncccccc\nd";
        for threads in 1..8 {
            let ranges = shares(bytes, threads);
            assert_eq!(ranges.first().map(|r| r.start), Some(0));
            assert_eq!(ranges.last().map(|r| r.end), Some(bytes.len()));
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
                assert_eq!(bytes[pair[0].end - 1], b'\n');
            }
        }
        assert!(shares(b"", 3).is_empty());
    }

    #[test]
    fn lines_are_counted_with_or_without_a_last_line_end() {
        assert_eq!(line_count(b""), 0);
        assert_eq!(line_count(b"a"), 1);
        assert_eq!(line_count(b"a\n"), 1);
        assert_eq!(line_count(b"a\n\nb"), 3);
        assert_eq!(lines(b"a\n\nb").count(), 3);
    }

    #[test]
    fn newlines_are_found_wherever_they_are() {
        for len in 0..40 {
            for at in 0..len {
                let mut bytes = vec![b'x'; len];
                bytes[at] = b'\n';
                if at + 3 < len {
                    bytes[at + 3] = b'\n';
                }
                bytes.iter_mut().take(at).for_each(|b| *b = 0x0b);
                assert_eq!(find_newline(&bytes), Some(at), "{len} {at}");
                let pieces: Vec<&[u8]> = lines(&bytes).collect();
                let expected: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
                assert_eq!(pieces, expected);
            }
            assert_eq!(find_newline(&vec![0x8a; len]), None);
        }
    }
}
