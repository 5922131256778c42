import EventLog
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One append: one call of `kip_append` (Schema), which runs as its own transaction, so a plain
/// append costs one round trip. It locks only the streams the append touches, checks every
/// expectation and condition, and inserts the events and the append's `unsealed` row (and its
/// idempotency record). Positions come afterwards, from the sealer.
struct AppendTransaction {
  /// What the transaction did.
  enum Outcome: Sendable {
    /// Committed: these event rows, in order, wait for the sealer.
    case committed(rows: [Int64], streamVersions: [StreamVersion])
    /// Committed and sealed in the same transaction (the sealer was idle): positions, record
    /// time, and the head it sealed through.
    case sealed(positions: [Int64], streamVersions: [StreamVersion], recordedAt: Int64, head: Int64)
    /// Every event was recorded already with the same content: nothing written.
    case recorded(rows: [Int64], streamVersions: [StreamVersion])
    /// The idempotency key is recorded: nothing written.
    case idempotent
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

  /// An expectation as `kip_append` takes it.
  static func encoded(_ expected: ExpectedVersion) -> Int64 {
    switch expected {
    case .any: -1
    case .noStream: -2
    case .streamExists: -3
    case .exact(let version): version
    }
  }

  func run(_ append: Append) async throws -> Outcome {
    let writes = append.writes.map(\.stream.rawValue)
    let expected = append.writes.map { Self.encoded($0.expected) }
    let conditions = append.conditions.map(\.stream.rawValue)
    let conditionExpected = append.conditions.map { Self.encoded($0.expected) }
    var eventWrites: [Int32] = [], ids: [UUID] = [], types: [String] = [], schemaVersions: [Int32] = []
    var data: [ByteBuffer] = [], metadata: [ByteBuffer] = []
    for (index, write) in append.writes.enumerated() {
      for event in write.events {
        eventWrites.append(Int32(index + 1))
        ids.append(event.eventID)
        types.append(event.type)
        schemaVersions.append(Int32(event.schemaVersion))
        data.append(ByteBuffer(bytes: event.data))
        metadata.append(ByteBuffer(bytes: event.metadata))
      }
    }
    let key = append.idempotency
    let rows: [PostgresRow]
    do {
      rows = try await connection.committed(
        """
        SELECT outcome, event_rows, stream_versions, failed_kind, failed_index, failed_actual, positions, recorded_at, head
        FROM kip_append(
          \(writes)::text[], \(expected)::int8[], \(conditions)::text[], \(conditionExpected)::int8[],
          \(eventWrites)::int4[], \(ids)::uuid[], \(types)::text[], \(schemaVersions)::int4[], \(data)::bytea[], \(metadata)::bytea[],
          \(proposedAt), \(key?.scope)::text, \(key?.key)::text, \(key?.requestDigest)::bytea, \(append.response)::bytea)
        """, logger: logger)
    } catch {
      // Some event ids are recorded already: the function's inserts were rolled back; look.
      if let failure = ServerFailure(error), failure.sqlState == "KIP02" {
        return try await recordedOr(append, .duplicateEventID(ids[0]))
      }
      throw error
    }
    guard let row = rows.first else { throw EventLogError.storage("kip_append answered nothing") }
    let (outcome, eventRows, newVersions, failedKind, failedIndex, failedActual, positions, recordedAt, head) = try row.decode(
      (String, [Int64]?, [Int64]?, String?, Int32?, Int64?, [Int64]?, Int64?, Int64?).self)
    switch outcome {
    case "idempotent":
      return .idempotent
    case "conflict":
      let index = Int(failedIndex ?? 1) - 1
      let actual = (failedActual ?? -1) < 0 ? nil : failedActual
      let error: EventLogError
      if failedKind == "condition", append.conditions.indices.contains(index) {
        let condition = append.conditions[index]
        error = .wrongExpectedVersion(stream: condition.stream, expected: condition.expected, actual: actual)
      } else if append.writes.indices.contains(index) {
        let write = append.writes[index]
        error = .wrongExpectedVersion(stream: write.stream, expected: write.expected, actual: actual)
      } else {
        throw EventLogError.storage("kip_append named no failed expectation")
      }
      return try await recordedOr(append, error)
    default:
      guard let eventRows, let newVersions, newVersions.count == append.writes.count else {
        throw EventLogError.storage("kip_append answered no rows")
      }
      let streamVersions = zip(append.writes, newVersions).map { StreamVersion(stream: $0.stream, version: $1) }
      if outcome == "sealed", let positions, let recordedAt, let head, positions.count == eventRows.count {
        return .sealed(positions: positions, streamVersions: streamVersions, recordedAt: recordedAt, head: head)
      }
      return .committed(rows: eventRows, streamVersions: streamVersions)
    }
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
