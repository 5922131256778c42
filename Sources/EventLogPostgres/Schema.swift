/// The log's tables on PostgreSQL. Append-only: a shipped migration is never edited.
///
/// - `events`: what appenders write, in their own transactions: stream, version, event id, type,
///   and the stored bytes (`bytea`, never `jsonb`). `id` is only a row id, not a position.
/// - `unsealed`: one row per committed append that has no positions yet (its event rows, in order,
///   and the append's clock reading). The sealer drains it.
/// - `chain`: written only by the sealer, in position order: position, event row, category,
///   record time and hash. A reader sees an event only once it is here, so positions are gapless
///   and never appear out of order.
/// - `streams`: each stream's version, locked by appenders (`FOR UPDATE` to write, `FOR SHARE` for
///   a condition) so an expectation cannot be invalidated by a concurrent commit.
/// - `idempotency`: keys recorded in the same transaction as the append's events.
package enum Schema {
  /// Taken (transaction-level) by the sealer and by imports: one chain writer at a time across
  /// every instance. The value is arbitrary but fixed ("KIPSEAL" in ASCII).
  package static let sealLock: Int64 = 0x4B49_5053_4541_4C
  /// Taken while migrating, so instances starting together do not race.
  package static let migrationLock: Int64 = 0x4B49_504D_4947_52
  /// The notification channel: one notification per sealing commit, its payload the new head.
  package static let channel = "kip_events"

  /// The migrations, in order; `kip_schema_migrations` records which are applied.
  package static let migrations: [String] = [
    """
    CREATE TABLE events (
      id bigserial PRIMARY KEY,
      stream text NOT NULL,
      version bigint NOT NULL CHECK (version >= 0),
      event_id uuid NOT NULL,
      type text NOT NULL CHECK (type <> ''),
      schema_version integer NOT NULL,
      data bytea NOT NULL,
      metadata bytea NOT NULL,
      CONSTRAINT events_stream_version UNIQUE (stream, version),
      CONSTRAINT events_event_id UNIQUE (event_id)
    );
    CREATE TABLE chain (
      position bigint PRIMARY KEY CHECK (position > 0),
      event bigint NOT NULL CONSTRAINT chain_event UNIQUE,
      category text NOT NULL,
      recorded_at bigint NOT NULL,
      hash bytea NOT NULL CHECK (length(hash) = 32)
    );
    CREATE INDEX chain_category_position ON chain (category, position);
    CREATE TABLE unsealed (
      id bigserial PRIMARY KEY,
      events bigint[] NOT NULL,
      proposed_at bigint NOT NULL
    );
    CREATE TABLE streams (
      stream text PRIMARY KEY,
      version bigint NOT NULL CHECK (version >= -1)
    );
    CREATE TABLE idempotency (
      scope text NOT NULL,
      key text NOT NULL,
      request_digest bytea NOT NULL,
      response bytea NOT NULL,
      stream_versions bytea NOT NULL,
      events bigint[] NOT NULL,
      CONSTRAINT idempotency_key PRIMARY KEY (scope, key)
    );
    CREATE FUNCTION kip_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'KIP01'; END $$;
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION kip_append_only();
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION kip_append_only();
    CREATE TRIGGER chain_append_only BEFORE UPDATE OR DELETE ON chain
      FOR EACH ROW EXECUTE FUNCTION kip_append_only();
    CREATE TRIGGER chain_no_truncate BEFORE TRUNCATE ON chain
      FOR EACH STATEMENT EXECUTE FUNCTION kip_append_only();
    """
  ]

  /// The columns of a recorded event, from `chain c` joined with `events e`.
  static let columns =
    "c.position, e.stream, e.version, e.event_id, e.type, e.schema_version, e.data, e.metadata, c.recorded_at, c.hash"
}
