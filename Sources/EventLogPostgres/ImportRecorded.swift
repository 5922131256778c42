public import EventLog
import Foundation
import Logging
import NIOCore
import PostgresNIO

extension PostgresEventStore {
  /// Records events exactly as another log recorded them, in one durable transaction that holds
  /// the sealer's lock: nothing else is chained meanwhile.
  public func importRecorded(_ events: [RecordedEvent]) async throws(EventLogError) {
    guard !events.isEmpty else { return }
    let logger = logger
    let location = location
    do {
      try await client.withConnection { connection in
        try await transaction(connection, logger: logger) {
          try await connection.query(
            "SELECT pg_advisory_xact_lock(\(Schema.sealLock)), set_config('synchronous_commit', 'on', true)", logger: logger
          ).all()
          try await Self.importRecorded(events, on: connection, logger: logger, location: location)
        }
      }
    } catch {
      throw EventLogError(postgres: error, location: location)
    }
    if let last = events.last { notifier.advance(to: last.position) }
  }

  /// Checks each event continues the log, then inserts it verbatim (event, chain and stream rows).
  static func importRecorded(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger, location: String) async throws {
    var position: Int64 = 0
    var previous = HashChain.genesis
    var lastRecorded: Int64 = 0
    for try await (last, hash, recordedAt) in try await connection.query(
      "SELECT position, hash, recorded_at FROM chain ORDER BY position DESC LIMIT 1", logger: logger
    ).decode((Int64, Data, Int64).self) {
      (position, previous, lastRecorded) = (last, hash, recordedAt)
    }
    let names = Array(Set(events.map(\.stream.rawValue))).sorted()
    var versions: [String: Int64] = [:]
    for try await (stream, version) in try await connection.query(
      "SELECT stream, version FROM streams WHERE stream = ANY(\(names)::text[]) ORDER BY stream FOR UPDATE", logger: logger
    ).decode((String, Int64).self) {
      versions[stream] = version
    }
    for event in events {
      guard event.position == position + 1 else {
        throw EventLogError.importMismatch(position: event.position, reason: "the log's next position is \(position + 1)")
      }
      guard event.recordedAtMilliseconds >= lastRecorded else {
        throw EventLogError.importMismatch(position: event.position, reason: "its record time goes backwards")
      }
      let current = versions[event.stream.rawValue] ?? -1
      guard event.version == current + 1 else {
        throw EventLogError.importMismatch(
          position: event.position, reason: "stream \(event.stream) is at version \(current), the event claims \(event.version)")
      }
      guard HashChain.hash(of: event, previous: previous) == event.hash else {
        throw EventLogError.importMismatch(position: event.position, reason: "its hash does not continue the chain")
      }
      guard event.schemaVersion >= Int(Int32.min), event.schemaVersion <= Int(Int32.max), !event.type.isEmpty else {
        throw EventLogError.importMismatch(position: event.position, reason: "its type or schema version cannot be stored")
      }
      versions[event.stream.rawValue] = event.version
      position = event.position
      previous = event.hash
      lastRecorded = event.recordedAtMilliseconds
    }
    let inserted = try await connection.query(
      """
      WITH v AS (
        SELECT nextval('events_id_seq') AS id, * FROM unnest(
          \(events.map(\.position))::int8[], \(events.map(\.stream.rawValue))::text[], \(events.map(\.version))::int8[],
          \(events.map(\.eventID))::uuid[], \(events.map(\.type))::text[], \(events.map { Int32($0.schemaVersion) })::int4[],
          \(events.map { ByteBuffer(bytes: $0.data) })::bytea[], \(events.map { ByteBuffer(bytes: $0.metadata) })::bytea[],
          \(events.map(\.stream.category))::text[], \(events.map(\.recordedAtMilliseconds))::int8[],
          \(events.map { ByteBuffer(bytes: $0.hash) })::bytea[])
          AS t(position, stream, version, event_id, type, schema_version, data, metadata, category, recorded_at, hash)),
      e AS (
        INSERT INTO events (id, stream, version, event_id, type, schema_version, data, metadata)
        SELECT id, stream, version, event_id, type, schema_version, data, metadata FROM v
        ON CONFLICT (event_id) DO NOTHING RETURNING id),
      c AS (
        INSERT INTO chain (position, event, category, recorded_at, hash)
        SELECT position, id, category, recorded_at, hash FROM v WHERE id IN (SELECT id FROM e))
      SELECT count(*) FROM e
      """, logger: logger)
    var count = 0
    for try await value in inserted.decode(Int.self) { count = value }
    guard count == events.count else {
      throw EventLogError.importMismatch(position: events[0].position, reason: "some of these event ids are recorded already")
    }
    let streamNames = Array(Set(events.map(\.stream.rawValue))).sorted()
    try await connection.query(
      """
      INSERT INTO streams (stream, version) SELECT * FROM unnest(\(streamNames)::text[], \(streamNames.map { versions[$0] ?? -1 })::int8[])
      ON CONFLICT (stream) DO UPDATE SET version = excluded.version
      """, logger: logger
    ).all()
  }
}
