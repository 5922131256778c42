-- The chosen scheme's appender half: insert the event and its unsealed row, commit without a
-- flush of its own (the sealer's durable commit flushes it). kip-bench measures the whole thing.
BEGIN;
SET LOCAL synchronous_commit = off;
WITH e AS (INSERT INTO bench_events (stream, version, event_id, type, schema_version, data, metadata, recorded_at)
  VALUES ('booking-' || :client_id, nextval('bench_version'), gen_random_uuid(), 'Building.BookingRequested', 1,
    convert_to(repeat('x', 330), 'UTF8'), convert_to('{}', 'UTF8'), 0) RETURNING id)
SELECT id FROM e;
COMMIT;
