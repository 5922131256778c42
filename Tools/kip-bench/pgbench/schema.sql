-- The raw baseline for kip-bench on PostgreSQL: a table shaped like `events` (same columns,
-- the same two unique indexes, bytea payloads) and nothing else: no locks, no chain, no sealer.
DROP TABLE IF EXISTS bench_events;
DROP SEQUENCE IF EXISTS bench_version;
CREATE SEQUENCE bench_version;
CREATE TABLE bench_events (
  id bigserial PRIMARY KEY,
  stream text NOT NULL,
  version bigint NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  schema_version integer NOT NULL,
  data bytea NOT NULL,
  metadata bytea NOT NULL,
  recorded_at bigint NOT NULL,
  UNIQUE (stream, version)
);
