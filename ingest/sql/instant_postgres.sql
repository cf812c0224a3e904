-- PostgreSQL: the instant of a timestamp text `{t}` in microseconds from
-- 1 March of the year -400 (see clean.sql), NULL when it does not read.
-- The same pattern as instant_duckdb.sql; PostgreSQL 15 has no cast that
-- returns NULL instead of failing (and rounds fractions, and refuses the
-- year 0000), so the fields are read by position and counted by hand.
-- Nested CASEs: PostgreSQL evaluates their branches in order, so no cast
-- below ever sees text the pattern refused.
CASE WHEN {t} ~ '{form}' THEN CASE
  WHEN CAST(substr({t}, 9, 2) AS BIGINT) <= CASE
    WHEN substr({t}, 6, 2) IN ('04', '06', '09', '11') THEN 30
    WHEN substr({t}, 6, 2) <> '02' THEN 31
    WHEN CAST(substr({t}, 1, 4) AS BIGINT) % 400 = 0 THEN 29
    WHEN CAST(substr({t}, 1, 4) AS BIGINT) % 100 = 0 THEN 28
    WHEN CAST(substr({t}, 1, 4) AS BIGINT) % 4 = 0 THEN 29
    ELSE 28 END
  THEN (
      365 * (CAST(substr({t}, 1, 4) AS BIGINT) - CASE WHEN substr({t}, 6, 2) <= '02' THEN 1 ELSE 0 END + 400)
      + (CAST(substr({t}, 1, 4) AS BIGINT) - CASE WHEN substr({t}, 6, 2) <= '02' THEN 1 ELSE 0 END + 400) / 4
      - (CAST(substr({t}, 1, 4) AS BIGINT) - CASE WHEN substr({t}, 6, 2) <= '02' THEN 1 ELSE 0 END + 400) / 100
      + (CAST(substr({t}, 1, 4) AS BIGINT) - CASE WHEN substr({t}, 6, 2) <= '02' THEN 1 ELSE 0 END + 400) / 400
      + (153 * ((CAST(substr({t}, 6, 2) AS BIGINT) + 9) % 12) + 2) / 5
      + CAST(substr({t}, 9, 2) AS BIGINT) - 1) * 86400000000
    + CAST(substr({t}, 12, 2) AS BIGINT) * 3600000000
    + CAST(substr({t}, 15, 2) AS BIGINT) * 60000000
    + CAST(substr({t}, 18, 2) AS BIGINT) * 1000000
    + CASE WHEN substr({t}, 20, 1) = '.'
        THEN CAST(rpad(substr({t}, 21, least(6, length({t}) - 20 - length(ltrim(substr({t}, 20), '.0123456789')))), 6, '0') AS BIGINT)
        ELSE 0 END
    - CASE WHEN replace(ltrim(substr({t}, 20), '.0123456789'), ':', '') IN ('', 'Z', 'z') THEN 0
        ELSE CASE WHEN substr(replace(ltrim(substr({t}, 20), '.0123456789'), ':', ''), 1, 1) = '-' THEN -1 ELSE 1 END
          * (CAST(substr(replace(ltrim(substr({t}, 20), '.0123456789'), ':', ''), 2, 2) AS BIGINT) * 60 + CAST(rpad(substr(replace(ltrim(substr({t}, 20), '.0123456789'), ':', ''), 4, 2), 2, '0') AS BIGINT))
          * 60000000 END
END END
