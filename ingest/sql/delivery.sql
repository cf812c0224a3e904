-- The delivery histograms, the skip counts and the rows per input file,
-- in one pass over the checked post log (`clean.sql`): one row per
-- (file, skip, day, network, media, minute, bucket) with its count.
--
-- Kept posts (`skip` NULL) by day, network, media and minute: sent
-- posts with the bucket of their delay, failed posts bucket -1, pending
-- posts bucket -2 (they only make their day a delivery day). Skipped
-- posts with `skip` set and the first line it happened on (whatever else
-- they carry means nothing: the importer sums them per file and reason).
-- The importer sums the rows of each file for the rows read.
SELECT file, skip, day, network, media, minute, bucket,
  CAST(count(*) AS BIGINT) AS n, CAST(min(line) FILTER (WHERE skip IS NOT NULL) AS BIGINT) AS first
FROM (
  SELECT file, skip, line, day, network, media, minute,
    CAST(CASE WHEN status = 'sent' THEN {bucket}
      WHEN status = 'failed' THEN -1
      ELSE -2 END AS BIGINT) AS bucket
  FROM ({clean}) AS clean
) AS k
GROUP BY file, skip, day, network, media, minute, bucket
