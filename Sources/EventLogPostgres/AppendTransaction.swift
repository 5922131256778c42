import EventLog
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One append in its own transaction: lock the streams it touches, check every expectation and
/// condition, insert the events and the append's `unsealed` row (and its idempotency record),
/// commit. Positions come afterwards, from the sealer.
///
/// Four round trips for a plain append (BEGIN, lock, insert, COMMIT); concurrent appends to
/// different streams do not wait for each other.
struct AppendTransaction {
  /// What the transaction did.
  enum Outcome: Sendable {
    /// Committed: these event rows, in order, wait for the sealer.
    case committed(rows: [Int64], streamVersions: [StreamVersion])
    /// Every event was recorded already with the same content: nothing written.
    case recorded(rows: [Int64], streamVersions: [StreamVersion])
    /// The idempotency key is recorded: nothing written.
    case idempotent(StoredIdempotency)
    /// Refused: nothing written.
    case refused(EventLogError)
  }

  let connection: PostgresConnection
  let logger: Logger
  let proposedAt: Int64

  init(connection: PostgresConnection, logger: Logger, proposedAt: Int64) {
    self.connection = connection
    self.logger = logger
    self.proposedAt = proposedAt
  }

  static func validate(_ append: Append) throws(EventLogError) {
    guard append.writes.contains(where: { !$0.events.isEmpty }) else {
      throw .invalidRequest("an append needs at least one event")
    }
    var streams = Set<StreamName>()
    for write in append.writes where !streams.insert(write.stream).inserted {
      throw .invalidRequest("stream \(write.stream) is written twice in one append")
    }
    var ids = Set<UUID>()
    for event in append.allEvents {
      guard ids.insert(event.eventID).inserted else { throw .duplicateEventID(event.eventID) }
      guard !event.type.isEmpty else { throw .invalidRequest("an event needs a type") }
      guard event.schemaVersion >= Int(Int32.min), event.schemaVersion <= Int(Int32.max) else {
        throw .invalidRequest("schema version \(event.schemaVersion) is out of range")
      }
    }
  }

  mutating func run(_ append: Append) async throws -> Outcome {
    try await query("BEGIN")
    do {
      let outcome = try await body(append)
      if case .committed = outcome {
        try await query("COMMIT")
      } else {
        try await query("ROLLBACK")
      }
      return outcome
    } catch {
      _ = try? await query("ROLLBACK")
      throw error
    }
  }

  private func body(_ append: Append) async throws -> Outcome {
    if let key = append.idempotency {
      let rows = try await query(
        "SELECT request_digest, response, stream_versions, events FROM idempotency WHERE scope = \(key.scope) AND key = \(key.key)")
      if let row = rows.first { return .idempotent(try StoredIdempotency(row)) }
    }
    let versions = try await lock(append)
    for condition in append.conditions {
      let actual = versions[condition.stream] ?? nil
      guard condition.expected.isSatisfied(byActual: actual) else {
        try await query("ROLLBACK")
        try await query("BEGIN")
        return try await recordedOr(
          append, .wrongExpectedVersion(stream: condition.stream, expected: condition.expected, actual: actual))
      }
    }
    // Every expectation is checked before anything is written.
    for write in append.writes {
      let actual = versions[write.stream] ?? nil
      guard write.expected.isSatisfied(byActual: actual) else {
        try await query("ROLLBACK")
        try await query("BEGIN")
        return try await recordedOr(append, .wrongExpectedVersion(stream: write.stream, expected: write.expected, actual: actual))
      }
    }
    var streams: [String] = [], eventVersions: [Int64] = [], ids: [UUID] = [], types: [String] = []
    var schemaVersions: [Int32] = [], data: [ByteBuffer] = [], metadata: [ByteBuffer] = []
    var written: [String] = [], writtenVersions: [Int64] = []
    var streamVersions: [StreamVersion] = []
    for write in append.writes {
      var version = (versions[write.stream] ?? nil) ?? -1
      for event in write.events {
        version += 1
        streams.append(write.stream.rawValue)
        eventVersions.append(version)
        ids.append(event.eventID)
        types.append(event.type)
        schemaVersions.append(Int32(event.schemaVersion))
        data.append(ByteBuffer(bytes: event.data))
        metadata.append(ByteBuffer(bytes: event.metadata))
      }
      written.append(write.stream.rawValue)
      writtenVersions.append(version)
      streamVersions.append(StreamVersion(stream: write.stream, version: version))
    }
    let count = Int64(ids.count)
    let rows: [PostgresRow]
    if let key = append.idempotency {
      let encoder = JSONEncoder()
      encoder.outputFormatting = .sortedKeys
      let encodedVersions = try encoder.encode(streamVersions)
      rows = try await query(
        """
        WITH e AS (
          INSERT INTO events (stream, version, event_id, type, schema_version, data, metadata)
          SELECT * FROM unnest(\(streams)::text[], \(eventVersions)::int8[], \(ids)::uuid[], \(types)::text[],
            \(schemaVersions)::int4[], \(data)::bytea[], \(metadata)::bytea[])
          ON CONFLICT (event_id) DO NOTHING RETURNING id),
        s AS (
          UPDATE streams SET version = v.version FROM unnest(\(written)::text[], \(writtenVersions)::int8[]) AS v(stream, version)
          WHERE streams.stream = v.stream),
        u AS (
          INSERT INTO unsealed (events, proposed_at) SELECT array_agg(id ORDER BY id), \(proposedAt) FROM e
          HAVING count(*) = \(count) RETURNING events),
        i AS (
          INSERT INTO idempotency (scope, key, request_digest, response, stream_versions, events)
          SELECT \(key.scope), \(key.key), \(key.requestDigest), \(append.response), \(encodedVersions), events FROM u)
        SELECT events FROM u
        """)
    } else {
      rows = try await query(
        """
        WITH e AS (
          INSERT INTO events (stream, version, event_id, type, schema_version, data, metadata)
          SELECT * FROM unnest(\(streams)::text[], \(eventVersions)::int8[], \(ids)::uuid[], \(types)::text[],
            \(schemaVersions)::int4[], \(data)::bytea[], \(metadata)::bytea[])
          ON CONFLICT (event_id) DO NOTHING RETURNING id),
        s AS (
          UPDATE streams SET version = v.version FROM unnest(\(written)::text[], \(writtenVersions)::int8[]) AS v(stream, version)
          WHERE streams.stream = v.stream),
        u AS (
          INSERT INTO unsealed (events, proposed_at) SELECT array_agg(id ORDER BY id), \(proposedAt) FROM e
          HAVING count(*) = \(count) RETURNING events)
        SELECT events FROM u
        """)
    }
    guard let row = rows.first else {
      // Some event ids are recorded already: undo this transaction's rows, then look.
      try await query("ROLLBACK")
      try await query("BEGIN")
      return try await recordedOr(append, .duplicateEventID(ids[0]))
    }
    return .committed(rows: try row.decode([Int64].self), streamVersions: streamVersions)
  }

  /// Locks every stream the append touches, in name order: `FOR UPDATE` the streams it writes,
  /// `FOR SHARE` those it only holds a condition on (so a concurrent writer of that stream waits
  /// for this commit, and this one sees its version if it committed first). A stream not written
  /// yet gets a placeholder row (version -1) so that "does not exist" can be locked too.
  private func lock(_ append: Append) async throws -> [StreamName: Int64?] {
    let writes = Set(append.writes.map(\.stream))
    let writeNames = writes.map(\.rawValue).sorted()
    let heldNames = Set(append.conditions.map(\.stream)).subtracting(writes).map(\.rawValue).sorted()
    let all = (writeNames + heldNames).sorted()
    var found: [String: Int64] = [:]
    for row in try await query(
      """
      WITH inserted AS (
        INSERT INTO streams (stream, version) SELECT s, -1 FROM unnest(\(all)::text[]) AS s ORDER BY s
        ON CONFLICT (stream) DO NOTHING RETURNING stream, version),
      written AS (SELECT stream, version FROM streams WHERE stream = ANY(\(writeNames)::text[]) ORDER BY stream FOR UPDATE),
      held AS (SELECT stream, version FROM streams WHERE stream = ANY(\(heldNames)::text[]) ORDER BY stream FOR SHARE)
      SELECT stream, version FROM inserted UNION ALL SELECT stream, version FROM written
      UNION ALL SELECT stream, version FROM held
      """)
    {
      let (stream, version) = try row.decode((String, Int64).self)
      found[stream] = version
    }
    // A stream committed by another transaction after this statement's snapshot was skipped by
    // ON CONFLICT but is not visible to it: lock it with a new snapshot.
    let missing = all.filter { found[$0] == nil }
    if !missing.isEmpty {
      for row in try await query("SELECT stream, version FROM streams WHERE stream = ANY(\(missing)::text[]) ORDER BY stream FOR UPDATE") {
        let (stream, version) = try row.decode((String, Int64).self)
        found[stream] = version
      }
    }
    var versions: [StreamName: Int64?] = [:]
    for stream in writes.union(append.conditions.map(\.stream)) {
      let version = found[stream.rawValue] ?? -1
      versions[stream] = version < 0 ? nil : version
    }
    return versions
  }

  /// When every event of `append` is recorded already, with the same stream and content, the
  /// append is a re-delivery (an import, a retry after a lost answer): answer the recorded
  /// events and write nothing. Otherwise `error` stands (or a partial overlap is named).
  private func recordedOr(_ append: Append, _ error: EventLogError) async throws -> Outcome {
    let ids = append.allEvents.map(\.eventID)
    var recorded: [UUID: (row: Int64, stream: String, version: Int64, type: String, schemaVersion: Int32, data: Data, metadata: Data)] = [:]
    for row in try await query(
      "SELECT event_id, id, stream, version, type, schema_version, data, metadata FROM events WHERE event_id = ANY(\(ids)::uuid[])")
    {
      let (id, rowID, stream, version, type, schemaVersion, data, metadata) = try row.decode(
        (UUID, Int64, String, Int64, String, Int32, Data, Data).self)
      recorded[id] = (rowID, stream, version, type, schemaVersion, data, metadata)
    }
    if recorded.isEmpty { return .refused(error) }
    var rows: [Int64] = []
    var streamVersions: [StreamVersion] = []
    for write in append.writes {
      for event in write.events {
        guard let found = recorded[event.eventID] else { continue }
        let same =
          found.stream == write.stream.rawValue && found.type == event.type && Int(found.schemaVersion) == event.schemaVersion
          && found.data == event.data && found.metadata == event.metadata
        guard same else { return .refused(.duplicateEventID(event.eventID)) }
        rows.append(found.row)
        if let index = streamVersions.firstIndex(where: { $0.stream == write.stream }) {
          streamVersions[index].version = Swift.max(streamVersions[index].version, found.version)
        } else {
          streamVersions.append(StreamVersion(stream: write.stream, version: found.version))
        }
      }
    }
    guard rows.count == ids.count else { return .refused(.eventIDsPartlyRecorded(ids[0])) }
    return .recorded(rows: rows, streamVersions: streamVersions)
  }

  @discardableResult
  private func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
    try await connection.query(query, logger: logger).all()
  }
}
