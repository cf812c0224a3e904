-- The first line of each skip reason in each input file (`clean.sql`),
-- asked for only when the aggregation (`delivery.sql`) counted skipped
-- rows: numbering the rows costs a clean post log nothing then.
SELECT file, skip, CAST(min(line) AS BIGINT) AS first
FROM ({clean}) AS clean
WHERE skip IS NOT NULL
GROUP BY file, skip
