-- Monthly service figures from the relation `raw` (line, day, service, requests,
-- avg_response_ms; text): requests are sums, the average response is the
-- request-weighted mean. A row that does not read is reported by `bad`.
WITH r AS (
  SELECT line, day, service, requests, avg_response_ms,
    coalesce(day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', false)
      AND coalesce(service <> '', false)
      AND coalesce(requests ~ '^[0-9]{1,15}$', false)
      AND coalesce(avg_response_ms ~ '^[0-9]{1,9}([.][0-9]{1,9})?$', false) AS ok
  FROM {raw}
)
SELECT CAST(NULL AS VARCHAR) AS month, CAST(NULL AS VARCHAR) AS service,
  CAST(min(line) AS BIGINT) AS requests, CAST(NULL AS DOUBLE) AS avg_response_ms, 'bad' AS kind
FROM r WHERE NOT ok HAVING count(*) > 0
UNION ALL
SELECT substr(day, 1, 7), service,
  CAST(sum(CAST(requests AS BIGINT)) AS BIGINT),
  CASE WHEN sum(CAST(requests AS BIGINT)) = 0 THEN avg(CAST(avg_response_ms AS DOUBLE))
    ELSE sum(CAST(requests AS BIGINT) * CAST(avg_response_ms AS DOUBLE)) / sum(CAST(requests AS BIGINT)) END,
  'row'
FROM r WHERE ok
GROUP BY 1, 2
ORDER BY 5, 1, 2
