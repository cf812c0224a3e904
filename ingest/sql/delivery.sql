-- The delivery histograms, the skip counts and the rows per input file,
-- in one pass over the checked post log (`clean.sql`).
--
-- Rows with `file` NULL, kept posts: one per (day, network, media,
-- minute, bucket) with their count; sent posts have the bucket of their
-- delay, failed posts bucket -1, pending posts bucket -2 (they only make
-- their day a delivery day). Skipped posts: one row per reason (`skip`),
-- with the count and the first place it happened (file × 10^12 + line).
-- Rows with `file` set: the number of rows read from that file.
SELECT file, skip, day, network, media, minute, bucket,
  CAST(count(*) AS BIGINT) AS n, CAST(min(place) AS BIGINT) AS first
FROM (
  SELECT file, skip, file * 1000000000000 + line AS place,
    CASE WHEN skip IS NULL THEN day END AS day,
    CASE WHEN skip IS NULL THEN network END AS network,
    CASE WHEN skip IS NULL THEN media END AS media,
    CASE WHEN skip IS NULL THEN minute END AS minute,
    CAST(CASE WHEN skip IS NOT NULL THEN NULL
      WHEN status = 'sent' THEN {bucket}
      WHEN status = 'failed' THEN -1
      ELSE -2 END AS BIGINT) AS bucket
  FROM ({clean}) AS clean
) AS k
GROUP BY GROUPING SETS ((skip, day, network, media, minute, bucket), (file))
