//! `--aggregates FILE`: delivery histograms a warehouse computed (the
//! README's recipe), as CSV or Parquet rows `day, network, media, minute,
//! bucket, count` (sent posts) or `day, network, media, minute, failed`
//! (posts never sent). DuckDB reads the files; each row is checked here.

use crate::delivery::{Count, DayWriter, Histograms};
use crate::engine::{Cell, Engine};
use crate::source::{self, Format};
use pulse::api::{Day, Media};
use std::path::{Path, PathBuf};

/// Adds the rows of the files to `hist`, read together in day order so
/// that `days` writes each day once the next begins; returns the rows
/// read per file.
pub fn read(
    engine: &mut dyn Engine,
    paths: &[PathBuf],
    hist: &mut Histograms,
    days: &mut DayWriter,
) -> Result<Vec<u64>, String> {
    let selects = paths
        .iter()
        .enumerate()
        .map(|(i, p)| select(engine, p, i))
        .collect::<Result<Vec<String>, String>>()?;
    if selects.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{} ORDER BY 1", selects.join(" UNION ALL "));
    let mut read = vec![0u64; paths.len()];
    engine
        .each_row(&sql, &mut |r| {
            let file = r
                .get(7)
                .and_then(Cell::int)
                .and_then(|f| usize::try_from(f).ok())
                .unwrap_or_default();
            if let Some(n) = read.get_mut(file) {
                *n += 1;
            }
            let shown = paths.get(file).map(|p| p.display());
            let place = r.get(6).and_then(Cell::int).unwrap_or_default();
            add_row(hist, &r, &mut |hist, day| days.at(hist, day)).map_err(|why| match shown {
                Some(shown) => format!("{shown}: row at line {place}: {why}"),
                None => why,
            })
        })
        .map_err(|e| {
            let all: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            format!("{}: {e}", all.join(", "))
        })?;
    Ok(read)
}

/// The rows of one file as `(day, network, media, minute, bucket | NULL,
/// count, line, file)`, all text but the last two.
fn select(engine: &mut dyn Engine, path: &Path, file: usize) -> Result<String, String> {
    let shown = path.display();
    let table = match Format::of(path) {
        Some(f @ (Format::Csv | Format::Parquet)) => source::table(engine, path, f)?,
        _ => {
            return Err(format!(
                "{shown}: expected a .csv or .parquet file of aggregates"
            ))
        }
    };
    let has = |c: &str| table.type_of(c).is_some();
    let last = if has("bucket") && has("count") {
        "CAST(bucket AS VARCHAR), CAST(\"count\" AS VARCHAR)"
    } else if has("failed") {
        "CAST(NULL AS VARCHAR), CAST(failed AS VARCHAR)"
    } else {
        return Err(format!(
            "{shown}: expected columns day, network, media, minute and either bucket, count or failed"
        ));
    };
    Ok(format!(
        "SELECT CAST(day AS VARCHAR), CAST(network AS VARCHAR), CAST(media AS VARCHAR), CAST(minute AS VARCHAR), {last}, pulse_line, CAST({file} AS BIGINT) FROM {}",
        table.from
    ))
}

/// Checks one row `(day, network, media, minute, bucket | NULL, count)`
/// and adds it, calling `coming` with its day just before.
pub fn add_row(
    hist: &mut Histograms,
    r: &[Cell],
    coming: &mut dyn FnMut(&mut Histograms, Day) -> Result<(), String>,
) -> Result<(), String> {
    let text = |i: usize| r.get(i).and_then(Cell::text).unwrap_or_default();
    let int = |i: usize, what: &str| {
        text(i)
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("{what} {:?} is not a whole number", text(i)))
    };
    let day =
        Day::parse(text(0)).ok_or_else(|| format!("{:?} is not a day (YYYY-MM-DD)", text(0)))?;
    let media = Media::parse(text(2))
        .ok_or_else(|| format!("{:?} is not a media (text, image, video, link)", text(2)))?;
    let minute = int(3, "minute")?;
    let what = match r.get(4) {
        Some(Cell::Text(_)) => {
            let b = int(4, "bucket")?;
            Count::Bucket(usize::try_from(b).map_err(|_| format!("bucket {b} is negative"))?)
        }
        _ => Count::Failed,
    };
    let count = int(5, "count")?;
    coming(hist, day)?;
    hist.add(day, text(1), media, minute, what, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn rows_are_checked() {
        let mut h = Histograms::new(3);
        add_row(
            &mut h,
            &[
                t("2016-08-03"),
                t("twitter"),
                t("video"),
                t("480"),
                t("2"),
                t("7"),
            ],
            &mut |_, _| Ok(()),
        )
        .unwrap();
        add_row(
            &mut h,
            &[
                t("2016-08-03"),
                t("twitter"),
                t("video"),
                t("480"),
                Cell::Null,
                t("2"),
            ],
            &mut |_, _| Ok(()),
        )
        .unwrap();
        let s = h.series.values().next().unwrap();
        assert_eq!((s.counts[480 * 3 + 2], s.failed[480]), (7, 2));
        // (day, media, minute, bucket, count) → what the error names.
        let cases = [
            ("2016-13-03", "video", "1", "0", "1", "not a day"),
            ("2016-08-03", "gif", "1", "0", "1", "not a media"),
            ("2016-08-03", "text", "1440", "0", "1", "minute"),
            ("2016-08-03", "text", "1", "3", "1", "bucket"),
            ("2016-08-03", "text", "1", "-1", "1", "negative"),
            ("2016-08-03", "text", "1", "0", "many", "count"),
        ];
        for (day, media, minute, bucket, count, why) in cases {
            let row = [t(day), t("x"), t(media), t(minute), t(bucket), t(count)];
            let err = add_row(&mut Histograms::new(3), &row, &mut |_, _| Ok(())).unwrap_err();
            assert!(err.contains(why), "{err}");
        }
    }
}
