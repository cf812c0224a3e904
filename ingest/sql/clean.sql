-- One row per post-log row, checked: `skip` names why a row is left out
-- (NULL when it is kept); kept rows carry their UTC due day and minute,
-- their delay and their instants, in microseconds.
--
-- Input, the relation `raw`: (file, line, id, profile, network, media, media_bytes,
-- text, thumbnail_url, due_at, sent_at, status, error, due_ts, sent_ts,
-- no_id, bad_bytes): every field text but `due_ts`/`sent_ts`, the
-- instants of typed timestamp columns (a Parquet file's) where the input
-- has them, whose `due_at`/`sent_at` text is then NULL. `no_id` (the row
-- has no id) and `bad_bytes` (its media_bytes is not a byte count) are
-- checked per input by the importer (src/source.rs): on the text, on a
-- typed column's value, or proven once for a whole Parquet file by its
-- statistics, so that a query that does not need the column never reads
-- it. The bucket expression (a CASE over the edges) is written by the
-- importer into delivery.sql.
--
-- Instants are microseconds from 1 March of the year -400, days counted
-- from there, so that every division below is of non-negative numbers and
-- floors the same way in every engine; `//` is integer division (see
-- src/engine/dialect.rs). The function `pulse_instant_us` reads a
-- timestamp text (YYYY-MM-DD, `T` or a space, HH:MM:SS, an optional fraction, and
-- `Z`, an offset +HH:MM, +HHMM, +HH, or nothing for UTC) with each
-- engine's typed parsing: the dialect table expands it. It is only
-- evaluated for rows that have such a text (and `sent_at` only for sent
-- posts), so typed columns are used as they are.
--
-- 12617596800000000 and 328187116800000000 are 0000-01-01 and
-- 10000-01-01: instants outside the four-digit years do not read.
WITH
a AS (
  SELECT file, line,
    nullif(id, '') AS id, profile, nullif(network, '') AS network,
    nullif(media, '') AS media, nullif(media_bytes, '') AS media_bytes,
    text, nullif(thumbnail_url, '') AS thumbnail_url,
    nullif(due_at, '') AS due_at, nullif(sent_at, '') AS sent_at,
    due_ts, sent_ts, nullif(status, '') AS status, nullif(error, '') AS error,
    no_id, bad_bytes
  FROM {raw}
),
b AS (
  SELECT file, line, id, profile, network, media, media_bytes, text, thumbnail_url, status, error,
    no_id, bad_bytes,
    due_at IS NULL AND due_ts IS NULL AS no_due,
    status = 'sent' AND sent_at IS NULL AND sent_ts IS NULL AS no_sent,
    coalesce(due_ts, pulse_instant_us(due_at)) AS due_us,
    CASE WHEN status = 'sent' THEN coalesce(sent_ts, pulse_instant_us(sent_at)) END AS sent_us
  FROM a
),
c AS (
  SELECT b.*,
    CASE
      WHEN status IS NULL OR status NOT IN ('sent', 'failed', 'pending') THEN 'unknown status'
      WHEN media IS NULL OR media NOT IN ('text', 'image', 'video', 'link') THEN 'unknown media'
      WHEN no_due THEN 'missing due_at'
      WHEN due_us IS NULL OR due_us < 12617596800000000 OR due_us >= 328187116800000000 THEN 'unreadable due_at'
      WHEN no_sent THEN 'sent without sent_at'
      WHEN status = 'sent' AND (sent_us IS NULL OR sent_us < 12617596800000000 OR sent_us >= 328187116800000000)
        THEN 'unreadable sent_at'
      WHEN no_id THEN 'missing id'
      WHEN network IS NULL THEN 'missing network'
      WHEN bad_bytes THEN 'unreadable media_bytes'
    END AS skip
  FROM b
)
SELECT file, line, skip, id, profile, network, media, media_bytes, text, thumbnail_url, status, error,
  due_us, sent_us,
  due_us // 86400000000 AS day,
  (due_us % 86400000000) // 60000000 AS minute,
  CASE WHEN status = 'sent' THEN greatest(sent_us - due_us, 0) END AS delay_us
FROM c
