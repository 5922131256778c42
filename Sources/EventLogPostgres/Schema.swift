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
  /// Most appends an appender seals inline, its own last (the sealer takes larger rounds).
  static let maximumInlineSeal: Int32 = 2000
  /// The notification channel: one notification per sealing commit, its payload the new head.
  package static let channel = "kip_events"

  /// The migrations, in order, each a list of statements; `kip_schema_migrations` records which
  /// are applied. Append-only: a shipped migration is never edited.
  package static let migrations: [[String]] = [
    [
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
      )
      """,
      """
      CREATE TABLE chain (
        position bigint PRIMARY KEY CHECK (position > 0),
        event bigint NOT NULL CONSTRAINT chain_event UNIQUE,
        category text NOT NULL,
        recorded_at bigint NOT NULL,
        hash bytea NOT NULL CHECK (length(hash) = 32)
      )
      """,
      "CREATE INDEX chain_category_position ON chain (category, position)",
      "CREATE TABLE unsealed (id bigserial PRIMARY KEY, events bigint[] NOT NULL, proposed_at bigint NOT NULL)",
      "CREATE TABLE streams (stream text PRIMARY KEY, version bigint NOT NULL CHECK (version >= -1))",
      """
      CREATE TABLE idempotency (
        scope text NOT NULL,
        key text NOT NULL,
        request_digest bytea NOT NULL,
        response bytea NOT NULL,
        stream_names text[] NOT NULL,
        stream_versions bigint[] NOT NULL,
        events bigint[] NOT NULL,
        CONSTRAINT idempotency_key PRIMARY KEY (scope, key)
      )
      """,
      """
      CREATE FUNCTION kip_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'KIP01'; END $$
      """,
      "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION kip_append_only()",
      "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION kip_append_only()",
      "CREATE TRIGGER chain_append_only BEFORE UPDATE OR DELETE ON chain FOR EACH ROW EXECUTE FUNCTION kip_append_only()",
      "CREATE TRIGGER chain_no_truncate BEFORE TRUNCATE ON chain FOR EACH STATEMENT EXECUTE FUNCTION kip_append_only()",
      // Expectations as kip_append receives them: -1 any, -2 no stream, -3 an existing stream, n exactly n.
      """
      CREATE FUNCTION kip_satisfied(p_expected bigint, p_actual bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN p_expected = -1 THEN true WHEN p_expected = -2 THEN p_actual < 0
          WHEN p_expected = -3 THEN p_actual >= 0 ELSE p_actual = p_expected END $$
      """,
      sealFunction,
      sealWaitingFunction,
      appendFunction,
    ]
  ]

  /// One append in one statement (one round trip, its own transaction): look the idempotency
  /// key up; lock the streams in name order (placeholder rows, version -1, for streams not
  /// written yet), `FOR UPDATE` those written and `FOR SHARE` those only held by a condition;
  /// check conditions, then every expectation; insert the events, the new versions, the
  /// `unsealed` row and the idempotency record. Refusals are answered as rows, with nothing
  /// written but placeholders; event ids recorded already raise KIP02 so the inserts roll back.
  /// Each statement inside takes a new snapshot (a volatile function), so the lock sees streams
  /// committed while it waited. When the seal lock is free (a try: no appender ever waits for
  /// it), the same transaction seals everything pending, its own rows last, and commits durably.
  static let appendFunction = """
    CREATE FUNCTION kip_append(
      p_writes text[], p_expected bigint[], p_conditions text[], p_condition_expected bigint[],
      p_event_writes integer[], p_event_ids uuid[], p_types text[], p_schema_versions integer[],
      p_data bytea[], p_metadata bytea[], p_proposed_at bigint,
      p_scope text, p_key text, p_digest bytea, p_response bytea)
    RETURNS TABLE (
      outcome text, event_rows bigint[], stream_versions bigint[], failed_kind text, failed_index integer, failed_actual bigint,
      positions bigint[], recorded_at bigint, head bigint)
    LANGUAGE plpgsql AS $$
    DECLARE
      v_positions bigint[];
      v_recorded bigint;
      v_head bigint;
      v_held text[];
      v_event_versions bigint[] := ARRAY[]::bigint[];
      v_event_streams text[] := ARRAY[]::text[];
      v_names text[];
      v_versions bigint[];
      v_current bigint[] := ARRAY[]::bigint[];
      v_new bigint[];
      v_rows bigint[];
      v_actual bigint;
    BEGIN
      IF p_key IS NOT NULL AND EXISTS (SELECT 1 FROM idempotency i WHERE i.scope = p_scope AND i.key = p_key) THEN
        RETURN QUERY SELECT 'idempotent'::text, NULL::bigint[], NULL::bigint[], NULL::text, NULL::integer, NULL::bigint, NULL::bigint[], NULL::bigint, NULL::bigint;
        RETURN;
      END IF;
      -- Streams that exist are locked at once; placeholders (version -1) only for those that do not.
      SELECT array_agg(t.stream ORDER BY t.stream), array_agg(t.version ORDER BY t.stream) INTO v_names, v_versions
        FROM (SELECT s.stream, s.version FROM streams s WHERE s.stream = ANY (p_writes) ORDER BY s.stream FOR UPDATE) AS t;
      IF coalesce(cardinality(v_names), 0) < cardinality(p_writes) THEN
        INSERT INTO streams (stream, version) SELECT n, -1 FROM unnest(p_writes) AS n ORDER BY n ON CONFLICT (stream) DO NOTHING;
        SELECT array_agg(t.stream ORDER BY t.stream), array_agg(t.version ORDER BY t.stream) INTO v_names, v_versions
          FROM (SELECT s.stream, s.version FROM streams s WHERE s.stream = ANY (p_writes) ORDER BY s.stream FOR UPDATE) AS t;
      END IF;
      IF coalesce(cardinality(p_conditions), 0) > 0 THEN
        v_held := ARRAY(SELECT DISTINCT c FROM unnest(p_conditions) AS c WHERE c <> ALL (p_writes) ORDER BY c);
        IF cardinality(v_held) > 0 THEN
          INSERT INTO streams (stream, version) SELECT n, -1 FROM unnest(v_held) AS n ORDER BY n ON CONFLICT (stream) DO NOTHING;
          SELECT v_names || array_agg(t.stream ORDER BY t.stream), v_versions || array_agg(t.version ORDER BY t.stream)
            INTO v_names, v_versions
            FROM (SELECT s.stream, s.version FROM streams s WHERE s.stream = ANY (v_held) ORDER BY s.stream FOR SHARE) AS t;
        END IF;
      END IF;
      FOR i IN 1 .. coalesce(cardinality(p_conditions), 0) LOOP
        v_actual := v_versions[array_position(v_names, p_conditions[i])];
        IF NOT kip_satisfied(p_condition_expected[i], v_actual) THEN
          RETURN QUERY SELECT 'conflict'::text, NULL::bigint[], NULL::bigint[], 'condition'::text, i, v_actual, NULL::bigint[], NULL::bigint, NULL::bigint;
          RETURN;
        END IF;
      END LOOP;
      FOR i IN 1 .. cardinality(p_writes) LOOP
        v_actual := v_versions[array_position(v_names, p_writes[i])];
        IF NOT kip_satisfied(p_expected[i], v_actual) THEN
          RETURN QUERY SELECT 'conflict'::text, NULL::bigint[], NULL::bigint[], 'write'::text, i, v_actual, NULL::bigint[], NULL::bigint, NULL::bigint;
          RETURN;
        END IF;
        v_current := v_current || v_actual;
      END LOOP;
      -- Each event's version, and each stream's new one, in plain array arithmetic.
      v_new := v_current;
      FOR i IN 1 .. cardinality(p_event_writes) LOOP
        v_new[p_event_writes[i]] := v_new[p_event_writes[i]] + 1;
        v_event_versions := v_event_versions || v_new[p_event_writes[i]];
        v_event_streams := v_event_streams || p_writes[p_event_writes[i]];
      END LOOP;
      WITH inserted AS (
        INSERT INTO events (stream, version, event_id, type, schema_version, data, metadata)
        SELECT * FROM unnest(v_event_streams, v_event_versions, p_event_ids, p_types, p_schema_versions, p_data, p_metadata)
        ON CONFLICT (event_id) DO NOTHING RETURNING id)
      SELECT array_agg(inserted.id ORDER BY inserted.id) INTO v_rows FROM inserted;
      IF coalesce(cardinality(v_rows), 0) <> cardinality(p_event_ids) THEN
        RAISE EXCEPTION 'some event ids of this append are recorded already' USING ERRCODE = 'KIP02';
      END IF;
      IF cardinality(p_writes) = 1 THEN
        UPDATE streams SET version = v_new[1] WHERE stream = p_writes[1];
      ELSE
        UPDATE streams SET version = n.version FROM unnest(p_writes, v_new) AS n(stream, version) WHERE streams.stream = n.stream;
      END IF;
      INSERT INTO unsealed (events, proposed_at) VALUES (v_rows, p_proposed_at);
      IF p_key IS NOT NULL THEN
        INSERT INTO idempotency (scope, key, request_digest, response, stream_names, stream_versions, events)
        VALUES (p_scope, p_key, p_digest, p_response, p_writes, v_new, v_rows);
      END IF;
      -- The sealer is idle: seal now, in this transaction, which then commits durably. Nobody
      -- waits for this lock (a try), so appenders never queue on the chain.
      IF pg_try_advisory_xact_lock(\(sealLock)) THEN
        SELECT array_agg(s.sealed_position ORDER BY s.sealed_position) FILTER (WHERE s.sealed_event = ANY (v_rows)),
          max(s.sealed_at) FILTER (WHERE s.sealed_event = ANY (v_rows)), max(s.sealed_position)
          INTO v_positions, v_recorded, v_head
          FROM kip_seal_locked(\(maximumInlineSeal)) AS s;
        IF coalesce(cardinality(v_positions), 0) = cardinality(v_rows) THEN
          RETURN QUERY SELECT 'sealed'::text, v_rows, v_new, NULL::text, NULL::integer, NULL::bigint, v_positions, v_recorded, v_head;
          RETURN;
        END IF;
      END IF;
      RETURN QUERY SELECT 'committed'::text, v_rows, v_new, NULL::text, NULL::integer, NULL::bigint, NULL::bigint[], NULL::bigint, v_head;
    END $$
    """

  /// One sealing round, durable (`synchronous_commit` on for its transaction); the caller holds
  /// the seal lock. Numbers every committed unsealed append's events from the head on, gives
  /// each append max(its clock, the last record time), chains the hashes exactly as
  /// `HashChain.hash` does (8-byte big-endian integers, length-prefixed bytes), inserts the chain
  /// rows, drops the unsealed rows, notifies. Answers each sealed event row's position and time.
  static let sealFunction = """
    CREATE FUNCTION kip_seal_locked(p_batch integer)
    RETURNS TABLE (sealed_event bigint, sealed_position bigint, sealed_at bigint)
    LANGUAGE plpgsql AS $$
    DECLARE
      v_position bigint;
      v_previous bytea;
      v_last bigint;
      v_append bigint := -1;
      v_at bigint := 0;
      v_hash bytea;
      r record;
      v_positions bigint[] := ARRAY[]::bigint[];
      v_rows bigint[] := ARRAY[]::bigint[];
      v_categories text[] := ARRAY[]::text[];
      v_times bigint[] := ARRAY[]::bigint[];
      v_hashes bytea[] := ARRAY[]::bytea[];
      v_appends bigint[] := ARRAY[]::bigint[];
      v_stream bytea;
      v_type bytea;
    BEGIN
      PERFORM set_config('synchronous_commit', 'on', true);
      SELECT c.position, c.hash, c.recorded_at INTO v_position, v_previous, v_last FROM chain c ORDER BY c.position DESC LIMIT 1;
      IF NOT FOUND THEN
        v_position := 0;
        v_previous := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
        v_last := 0;
      END IF;
      FOR r IN
        SELECT u.id AS append, u.proposed_at, e.id, e.stream, e.version, e.event_id, e.type, e.schema_version, e.data, e.metadata
        FROM (SELECT id, events, proposed_at FROM unsealed ORDER BY id LIMIT p_batch) u
        CROSS JOIN LATERAL unnest(u.events) WITH ORDINALITY AS x(event, ord)
        JOIN events e ON e.id = x.event
        ORDER BY u.id, x.ord
      LOOP
        IF r.append <> v_append THEN
          v_append := r.append;
          v_appends := v_appends || r.append;
          v_at := greatest(r.proposed_at, v_last);
          v_last := v_at;
        END IF;
        v_position := v_position + 1;
        v_stream := convert_to(r.stream, 'UTF8');
        v_type := convert_to(r.type, 'UTF8');
        v_hash := sha256(
          int8send(length(v_previous)::bigint) || v_previous || int8send(v_position)
          || int8send(length(v_stream)::bigint) || v_stream || int8send(r.version)
          || int8send(16) || uuid_send(r.event_id) || int8send(length(v_type)::bigint) || v_type
          || int8send(r.schema_version::bigint) || int8send(length(r.data)::bigint) || r.data
          || int8send(length(r.metadata)::bigint) || r.metadata || int8send(v_at));
        v_previous := v_hash;
        v_positions := v_positions || v_position;
        v_rows := v_rows || r.id;
        v_categories := v_categories || split_part(r.stream, '-', 1);
        v_times := v_times || v_at;
        v_hashes := v_hashes || v_hash;
      END LOOP;
      IF cardinality(v_appends) = 0 THEN
        RETURN;
      END IF;
      INSERT INTO chain (position, event, category, recorded_at, hash)
        SELECT * FROM unnest(v_positions, v_rows, v_categories, v_times, v_hashes);
      DELETE FROM unsealed WHERE id = ANY (v_appends);
      PERFORM pg_notify('\(channel)', v_position::text);
      RETURN QUERY SELECT * FROM unnest(v_rows, v_positions, v_times);
    END $$
    """

  /// A sealing round for a sealer: waits for the seal lock, then seals.
  static let sealWaitingFunction = """
    CREATE FUNCTION kip_seal(p_batch integer)
    RETURNS TABLE (sealed_event bigint, sealed_position bigint, sealed_at bigint)
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(\(sealLock));
      RETURN QUERY SELECT * FROM kip_seal_locked(p_batch);
    END $$
    """

  /// The columns of a recorded event, from `chain c` joined with `events e`.
  static let columns =
    "c.position, e.stream, e.version, e.event_id, e.type, e.schema_version, e.data, e.metadata, c.recorded_at, c.hash"
}
