-- The kept posts of some of the post days (day numbers from {first_day}
-- to before {end_day}), with their place in the input (file, line): the
-- importer lists them in order of due instant, then input order
-- (src/pages.rs), so the engine does not sort them. `{raw}` is the post
-- log cut down beforehand to the rows that can fall on those days (see
-- `sql::posts`), so this reads only them.
SELECT file, line, day, id, profile, network, media, media_bytes, text, thumbnail_url,
  due_us, sent_us, status, error
FROM ({clean}) AS clean
WHERE skip IS NULL AND day >= {first_day} AND day < {end_day}
