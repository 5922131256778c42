import EventLog
import Foundation
import GRDB

/// One write transaction of group commit: the appends of several callers, each in its own
/// SAVEPOINT so that one refused append does not fail its neighbours.
///
/// Everything it needs is read inside the transaction (`BEGIN IMMEDIATE`), never from a cache:
/// another process may have appended since this one last looked.
struct AppendTransaction {
  let db: Database
  let now: Int64
  var position: Int64
  var previousHash: Data
  var recordedAt: Int64
  /// Stream versions seen or written in this transaction (nil: no stream).
  var versions: [StreamName: Int64?] = [:]
  let insert: Statement
  let selectVersion: Statement

  init(db: Database, now: Int64) throws {
    self.db = db
    self.now = now
    insert = try db.cachedStatement(sql: Schema.insertEvent)
    selectVersion = try db.cachedStatement(sql: Schema.streamVersion)
    let last = RawStatement(try db.cachedStatement(sql: Schema.lastEvent), in: db)
    if try last.step() {
      position = last.int64(0)
      previousHash = last.data(1)
      recordedAt = Swift.max(now, last.int64(2))
    } else {
      position = 0
      previousHash = HashChain.genesis
      recordedAt = now
    }
    last.reset()
  }

  /// Applies every append; answers one result per append, in order.
  mutating func apply(_ appends: [Append]) throws -> [Result<AppendResult, EventLogError>] {
    var results: [Result<AppendResult, EventLogError>] = []
    results.reserveCapacity(appends.count)
    // Prepared once per transaction: a savepoint per append must cost next to nothing.
    let savepoint = try db.cachedStatement(sql: "SAVEPOINT append")
    let release = try db.cachedStatement(sql: "RELEASE SAVEPOINT append")
    let rollback = try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT append")
    for append in appends {
      let saved = (position, previousHash, versions)
      func undo() throws {
        try rollback.execute()
        try release.execute()
        (position, previousHash, versions) = saved
      }
      try savepoint.execute()
      do {
        let result = try apply(append)
        try release.execute()
        results.append(.success(result))
      } catch let error as EventLogError {
        try undo()
        results.append(.failure(error))
      } catch let recorded as AlreadyAppended {
        try undo()
        results.append(.success(recorded.result))
      } catch let conflict as EventIDConflict {
        // Roll back this append's own rows first, so the look-up sees only what was there before.
        try undo()
        do {
          results.append(.failure(try alreadyRecordedOr(append, .duplicateEventID(conflict.eventID))))
        } catch let recorded as AlreadyAppended {
          results.append(.success(recorded.result))
        } catch let error as EventLogError {
          results.append(.failure(error))
        }
      }
    }
    return results
  }

  /// The current version of `stream` in this transaction.
  mutating func version(of stream: StreamName) throws -> Int64? {
    if let known = versions[stream] { return known }
    let statement = RawStatement(selectVersion, in: db)
    statement.bind(1, stream.rawValue)
    let version: Int64? = try statement.step() ? statement.int64(0) : nil
    statement.reset()
    versions[stream] = version
    return version
  }

  private mutating func apply(_ append: Append) throws -> AppendResult {
    try validate(append)
    if let key = append.idempotency, let recorded = try IdempotencyTable.find(scope: key.scope, key: key.key, in: db) {
      guard recorded.key.requestDigest == key.requestDigest else {
        throw EventLogError.idempotencyKeyReused(scope: key.scope, key: key.key)
      }
      throw EventLogError.alreadyRecorded(recorded)
    }
    for condition in append.conditions {
      let actual = try version(of: condition.stream)
      guard condition.expected.isSatisfied(byActual: actual) else {
        throw try alreadyRecordedOr(
          append, .wrongExpectedVersion(stream: condition.stream, expected: condition.expected, actual: actual))
      }
    }
    // Every expectation is checked before anything is written.
    var currents: [Int64?] = []
    for write in append.writes {
      let current = try version(of: write.stream)
      guard write.expected.isSatisfied(byActual: current) else {
        throw try alreadyRecordedOr(
          append, .wrongExpectedVersion(stream: write.stream, expected: write.expected, actual: current))
      }
      currents.append(current)
    }
    var positions: [Int64] = []
    var streamVersions: [StreamVersion] = []
    for (write, current) in zip(append.writes, currents) {
      var version = current ?? -1
      let category = write.stream.category
      for event in write.events {
        version += 1
        position += 1
        let hash = HashChain.hash(
          previous: previousHash, position: position, stream: write.stream.rawValue, version: version,
          eventID: event.eventID, type: event.type, schemaVersion: event.schemaVersion, data: event.data,
          metadata: event.metadata, recordedAtMilliseconds: recordedAt)
        let statement = RawStatement(insert, in: db)
        statement.bind(1, position)
        statement.bind(2, write.stream.rawValue)
        statement.bind(3, category)
        statement.bind(4, version)
        statement.bind(5, event.eventID)
        statement.bind(6, event.type)
        statement.bind(7, Int64(event.schemaVersion))
        statement.bind(8, event.data)
        statement.bind(9, event.metadata)
        statement.bind(10, recordedAt)
        statement.bind(11, hash)
        do {
          _ = try statement.step()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
          throw EventIDConflict(eventID: event.eventID)
        }
        statement.reset()
        previousHash = hash
        positions.append(position)
      }
      versions[write.stream] = version
      streamVersions.append(StreamVersion(stream: write.stream, version: version))
    }
    let result = AppendResult(positions: positions, streamVersions: streamVersions, recordedAtMilliseconds: recordedAt)
    if let key = append.idempotency {
      try IdempotencyTable.insert(IdempotencyRecord(key: key, response: append.response, result: result), in: db)
    }
    return result
  }

  private func validate(_ append: Append) throws {
    guard append.writes.contains(where: { !$0.events.isEmpty }) else {
      throw EventLogError.invalidRequest("an append needs at least one event")
    }
    var streams = Set<StreamName>()
    for write in append.writes where !streams.insert(write.stream).inserted {
      throw EventLogError.invalidRequest("stream \(write.stream) is written twice in one append")
    }
    var ids = Set<UUID>()
    for event in append.allEvents {
      guard ids.insert(event.eventID).inserted else { throw EventLogError.duplicateEventID(event.eventID) }
      guard !event.type.isEmpty else { throw EventLogError.invalidRequest("an event needs a type") }
    }
  }

  /// When every event of `append` is recorded already, with the same stream and content, the
  /// append is a re-delivery (an import, a retry after a lost answer): answer the recorded
  /// positions and write nothing. Otherwise `error` stands.
  private func alreadyRecordedOr(_ append: Append, _ error: EventLogError) throws -> EventLogError {
    let find = try db.cachedStatement(
      sql: "SELECT position, stream, version, type, schema_version, data, metadata, recorded_at FROM events WHERE event_id = ?")
    var positions: [Int64] = []
    var streamVersions: [StreamVersion] = []
    var recordedAt: Int64 = 0
    var found = 0
    for write in append.writes {
      for event in write.events {
        let statement = RawStatement(find, in: db)
        statement.bind(1, event.eventID)
        guard try statement.step() else {
          statement.reset()
          continue
        }
        found += 1
        let same =
          statement.string(1) == write.stream.rawValue && statement.string(3) == event.type
          && statement.int64(4) == Int64(event.schemaVersion) && statement.data(5) == event.data
          && statement.data(6) == event.metadata
        if !same {
          statement.reset()
          throw EventLogError.duplicateEventID(event.eventID)
        }
        positions.append(statement.int64(0))
        recordedAt = statement.int64(7)
        if let index = streamVersions.firstIndex(where: { $0.stream == write.stream }) {
          streamVersions[index].version = Swift.max(streamVersions[index].version, statement.int64(2))
        } else {
          streamVersions.append(StreamVersion(stream: write.stream, version: statement.int64(2)))
        }
        statement.reset()
      }
    }
    if found == 0 { return error }
    guard found == append.allEvents.count else {
      return .eventIDsPartlyRecorded(append.allEvents.first?.eventID ?? UUID())
    }
    throw AlreadyAppended(result: AppendResult(positions: positions, streamVersions: streamVersions, recordedAtMilliseconds: recordedAt))
  }
}

/// Thrown when an insert meets an event id recorded before; the caller rolls back, then decides.
struct EventIDConflict: Error {
  let eventID: UUID
}

/// Thrown inside a savepoint when an append turned out to be recorded already: rolls the
/// savepoint back (nothing new to write) and answers the recorded result as a success.
struct AlreadyAppended: Error {
  let result: AppendResult
}

/// Idempotency records: (scope, key) → digest, the answer given, and the append's result.
enum IdempotencyTable {
  static func find(scope: String, key: String, in db: Database) throws -> IdempotencyRecord? {
    guard
      let row = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT request_digest, response, result FROM idempotency WHERE scope = ? AND key = ?"),
        arguments: [scope, key])
    else { return nil }
    let result = try JSONDecoder().decode(AppendResult.self, from: row["result"] as Data)
    return IdempotencyRecord(
      key: IdempotencyKey(scope: scope, key: key, requestDigest: row["request_digest"]), response: row["response"],
      result: result)
  }

  static func insert(_ record: IdempotencyRecord, in db: Database) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    try db.execute(
      sql: "INSERT INTO idempotency (scope, key, request_digest, response, result, position) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [
        record.key.scope, record.key.key, record.key.requestDigest, record.response,
        try encoder.encode(record.result), record.result.lastPosition ?? 0,
      ])
  }
}
