-- DuckDB: the instant of a timestamp text `{t}` in microseconds from
-- 1 March of the year -400 (see clean.sql), NULL when it does not read.
-- The pattern fixes the forms the issue allows (and the ranges of every
-- field but the day of the month); DuckDB's own typed cast does the rest:
-- month lengths and leap years, the offset, fractions cut to microseconds.
-- 74784816000000000 µs = 865565 days, 1 March -400 to 1 January 1970.
CASE WHEN {t} ~ '{form}'
  THEN epoch_us(TRY_CAST(upper({t}) AS TIMESTAMPTZ)) + 74784816000000000 END
