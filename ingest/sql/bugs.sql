-- Monthly bug counts from the relation `raw` (line, id, severity, opened_at,
-- closed_at; text): per month of `opened_at`, `opened` counts the bugs
-- opened in it and `closed` those of them closed by the end of that
-- month. Dates are days or timestamps: only their first 7 characters
-- (YYYY-MM) matter. A row that does not read is reported by `bad`.
WITH r AS (
  SELECT line, severity, substr(opened_at, 1, 7) AS opened, substr(nullif(closed_at, ''), 1, 7) AS closed,
    coalesce(severity <> '', false)
      AND coalesce(opened_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}.*$', false)
      AND (closed_at IS NULL OR closed_at = '' OR closed_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}.*$') AS ok
  FROM {raw}
)
SELECT CAST(NULL AS VARCHAR) AS month, CAST(NULL AS VARCHAR) AS severity,
  CAST(min(line) AS BIGINT) AS opened, CAST(NULL AS BIGINT) AS closed, 'bad' AS kind
FROM r WHERE NOT ok HAVING count(*) > 0
UNION ALL
SELECT opened, severity, CAST(count(*) AS BIGINT),
  CAST(sum(CASE WHEN closed IS NOT NULL AND closed <= opened THEN 1 ELSE 0 END) AS BIGINT), 'row'
FROM r WHERE ok
GROUP BY 1, 2
ORDER BY 5, 1, 2
