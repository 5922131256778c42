-- Ways to give events global positions that readers never see out of commit order, measured
-- with pgbench (run.sh beside this). Each table is shaped like `events` plus a position.
DROP TABLE IF EXISTS order_table_lock, order_advisory, order_xid, order_counter_row;
CREATE TABLE order_table_lock (position bigint PRIMARY KEY, stream text NOT NULL, event_id uuid NOT NULL UNIQUE, data bytea NOT NULL);
CREATE TABLE order_advisory (position bigint PRIMARY KEY, stream text NOT NULL, event_id uuid NOT NULL UNIQUE, data bytea NOT NULL);
CREATE TABLE order_counter_row (id integer PRIMARY KEY, position bigint NOT NULL);
INSERT INTO order_counter_row VALUES (1, 0);
-- The xid high-water mark: a sequence position plus the writer's transaction id.
CREATE TABLE order_xid (
  position bigserial PRIMARY KEY, xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream text NOT NULL, event_id uuid NOT NULL UNIQUE, data bytea NOT NULL);
CREATE INDEX order_xid_xid ON order_xid (xid);
