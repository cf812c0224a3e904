-- The delivery histograms, the skip counts and the rows per input file,
-- in one pass over the checked post log (`clean.sql`): one row per
-- (file, skip, day, network, media, minute, bucket) with its count.
--
-- Kept posts (`skip` NULL) by day, network, media and minute: sent
-- posts with the bucket of their delay, failed posts bucket -1, pending
-- posts bucket -2 (they only make their day a delivery day). Skipped
-- posts with `skip` set (whatever else they carry means nothing: the
-- importer sums them per file and reason, and only then asks
-- `skips.sql` for their first lines, so that a clean post log is never
-- numbered). The importer sums the rows of each file for the rows read.
--
-- In day order: the importer writes each day's document once the next
-- day's rows begin, holding one day's histograms at a time.
SELECT file, skip, day, network, media, minute, bucket, CAST(count(*) AS BIGINT) AS n
FROM (
  SELECT file, skip, day, network, media, minute,
    CAST(CASE WHEN status = 'sent' THEN {bucket}
      WHEN status = 'failed' THEN -1
      ELSE -2 END AS BIGINT) AS bucket
  FROM ({clean}) AS clean
) AS k
GROUP BY file, skip, day, network, media, minute, bucket
ORDER BY day
