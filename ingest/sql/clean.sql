-- One row per post-log row, checked: `skip` names why a row is left out
-- (NULL when it is kept); kept rows carry their UTC due day and minute,
-- their delay and their instants, in microseconds.
--
-- Input, the relation `raw`: (file, line, id, profile, network, media, media_bytes,
-- text, thumbnail_url, due_at, sent_at, status, error), every field text.
-- The bucket expression (a CASE over the edges) is written by the
-- importer into delivery.sql. Days are counted from 1 March of the year
-- -400, so that every division below is of non-negative numbers and
-- floors the same way in every engine; `//` is integer division (see
-- src/engine/dialect.rs).
--
-- Timestamps: YYYY-MM-DD, `T` or a space, HH:MM:SS, an optional fraction
-- (microseconds kept), and `Z`, an offset (+HH:MM, +HHMM, +HH) or nothing
-- (UTC).
WITH
a AS (
  SELECT file, line,
    nullif(id, '') AS id, profile, nullif(network, '') AS network,
    nullif(media, '') AS media, nullif(media_bytes, '') AS media_bytes,
    text, nullif(thumbnail_url, '') AS thumbnail_url,
    nullif(due_at, '') AS due_at, nullif(sent_at, '') AS sent_at,
    nullif(status, '') AS status, nullif(error, '') AS error
  FROM {raw}
),
b AS (
  SELECT a.*,
    coalesce(due_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$', false) AS d_form,
    coalesce(sent_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$', false) AS s_form
  FROM a
),
c AS (
  SELECT b.*,
    CASE WHEN d_form THEN due_at ELSE '2000-01-01 00:00:00' END AS dt,
    CASE WHEN s_form THEN sent_at ELSE '2000-01-01 00:00:00' END AS st
  FROM b
),
d AS (
  SELECT c.*,
    CAST(substr(dt, 1, 4) AS BIGINT) AS d_y, CAST(substr(dt, 6, 2) AS BIGINT) AS d_mo,
    CAST(substr(dt, 9, 2) AS BIGINT) AS d_d, CAST(substr(dt, 12, 2) AS BIGINT) AS d_h,
    CAST(substr(dt, 15, 2) AS BIGINT) AS d_mi, CAST(substr(dt, 18, 2) AS BIGINT) AS d_s,
    substr(dt, 20) AS d_rest, ltrim(substr(dt, 20), '.0123456789') AS d_tail,
    CAST(substr(st, 1, 4) AS BIGINT) AS s_y, CAST(substr(st, 6, 2) AS BIGINT) AS s_mo,
    CAST(substr(st, 9, 2) AS BIGINT) AS s_d, CAST(substr(st, 12, 2) AS BIGINT) AS s_h,
    CAST(substr(st, 15, 2) AS BIGINT) AS s_mi, CAST(substr(st, 18, 2) AS BIGINT) AS s_s,
    substr(st, 20) AS s_rest, ltrim(substr(st, 20), '.0123456789') AS s_tail
  FROM c
),
d2 AS (
  SELECT d.*, replace(d_tail, ':', '') AS d_zone, replace(s_tail, ':', '') AS s_zone
  FROM d
),
e AS (
  SELECT d2.*,
    CASE WHEN substr(d_rest, 1, 1) = '.'
      THEN CAST(rpad(substr(d_rest, 2, least(6, length(d_rest) - 1 - length(d_tail))), 6, '0') AS BIGINT)
      ELSE CAST(0 AS BIGINT) END AS d_us,
    CASE WHEN d_zone IN ('', 'Z', 'z') THEN CAST(0 AS BIGINT)
      ELSE CAST(substr(d_zone, 2, 2) AS BIGINT) * 60 + CAST(rpad(substr(d_zone, 4, 2), 2, '0') AS BIGINT) END AS d_off,
    CASE WHEN substr(d_zone, 1, 1) = '-' THEN -1 ELSE 1 END AS d_sign,
    CASE WHEN substr(s_rest, 1, 1) = '.'
      THEN CAST(rpad(substr(s_rest, 2, least(6, length(s_rest) - 1 - length(s_tail))), 6, '0') AS BIGINT)
      ELSE CAST(0 AS BIGINT) END AS s_us,
    CASE WHEN s_zone IN ('', 'Z', 'z') THEN CAST(0 AS BIGINT)
      ELSE CAST(substr(s_zone, 2, 2) AS BIGINT) * 60 + CAST(rpad(substr(s_zone, 4, 2), 2, '0') AS BIGINT) END AS s_off,
    CASE WHEN substr(s_zone, 1, 1) = '-' THEN -1 ELSE 1 END AS s_sign
  FROM d2
),
f AS (
  SELECT e.*,
    d_form AND d_mo BETWEEN 1 AND 12 AND d_h < 24 AND d_mi < 60 AND d_s < 60 AND d_off < 1440
      AND d_d BETWEEN 1 AND CASE WHEN d_mo IN (4, 6, 9, 11) THEN 30
        WHEN d_mo = 2 THEN CASE WHEN (d_y % 4 = 0 AND d_y % 100 <> 0) OR d_y % 400 = 0 THEN 29 ELSE 28 END
        ELSE 31 END AS d_ok,
    s_form AND s_mo BETWEEN 1 AND 12 AND s_h < 24 AND s_mi < 60 AND s_s < 60 AND s_off < 1440
      AND s_d BETWEEN 1 AND CASE WHEN s_mo IN (4, 6, 9, 11) THEN 30
        WHEN s_mo = 2 THEN CASE WHEN (s_y % 4 = 0 AND s_y % 100 <> 0) OR s_y % 400 = 0 THEN 29 ELSE 28 END
        ELSE 31 END AS s_ok,
    d_y - CASE WHEN d_mo <= 2 THEN 1 ELSE 0 END + 400 AS d_yy, (d_mo + 9) % 12 AS d_mp,
    s_y - CASE WHEN s_mo <= 2 THEN 1 ELSE 0 END + 400 AS s_yy, (s_mo + 9) % 12 AS s_mp
  FROM e
),
g AS (
  SELECT f.*,
    (365 * d_yy + d_yy // 4 - d_yy // 100 + d_yy // 400 + (153 * d_mp + 2) // 5 + d_d - 1) * 86400000000
      + d_h * 3600000000 + d_mi * 60000000 + d_s * 1000000 + d_us - d_sign * d_off * 60000000 AS due_us,
    (365 * s_yy + s_yy // 4 - s_yy // 100 + s_yy // 400 + (153 * s_mp + 2) // 5 + s_d - 1) * 86400000000
      + s_h * 3600000000 + s_mi * 60000000 + s_s * 1000000 + s_us - s_sign * s_off * 60000000 AS sent_us,
    CASE
      WHEN status IS NULL OR status NOT IN ('sent', 'failed', 'pending') THEN 'unknown status'
      WHEN media IS NULL OR media NOT IN ('text', 'image', 'video', 'link') THEN 'unknown media'
      WHEN due_at IS NULL THEN 'missing due_at'
      WHEN NOT d_ok THEN 'unreadable due_at'
      WHEN status = 'sent' AND sent_at IS NULL THEN 'sent without sent_at'
      WHEN status = 'sent' AND NOT s_ok THEN 'unreadable sent_at'
      WHEN id IS NULL THEN 'missing id'
      WHEN network IS NULL THEN 'missing network'
      WHEN media_bytes IS NOT NULL AND NOT media_bytes ~ '^[0-9]{1,15}$' THEN 'unreadable media_bytes'
    END AS skip
  FROM f
)
SELECT file, line, skip, id, profile, network, media, media_bytes, text, thumbnail_url, status, error,
  due_us, CASE WHEN status = 'sent' THEN sent_us END AS sent_us,
  due_us // 86400000000 AS day,
  (due_us % 86400000000) // 60000000 AS minute,
  CASE WHEN status = 'sent' THEN greatest(sent_us - due_us, 0) END AS delay_us
FROM g
