public import EventLog
import Foundation
import GRDB

extension SQLiteEventStore {
  public func importRecorded(_ events: [RecordedEvent]) async throws(EventLogError) {
    guard !configuration.readOnly else { throw .readOnly("\(configuration.path) was opened read-only") }
    guard !events.isEmpty else { return }
    do {
      try await pool.writeWithoutTransaction { db in
        try db.inTransaction(.immediate) {
          try Self.importRecorded(events, in: db)
          return .commit
        }
      }
    } catch {
      throw EventLogError(error, path: configuration.path)
    }
    if let last = events.last { notifier.advance(to: last.position) }
  }

  /// Checks each event continues the log, then inserts it verbatim.
  static func importRecorded(_ events: [RecordedEvent], in db: Database) throws {
    let head = try head(in: db)
    var position = head.position
    var previous = head.hash
    var lastRecorded: Int64 = 0
    if position > 0 {
      lastRecorded = try Int64.fetchOne(db, sql: "SELECT recorded_at FROM events WHERE position = ?", arguments: [position]) ?? 0
    }
    var versions: [StreamName: Int64] = [:]
    let selectVersion = try db.cachedStatement(sql: Schema.streamVersion)
    let insert = try db.cachedStatement(sql: Schema.insertEvent)
    for event in events {
      guard event.position == position + 1 else {
        throw EventLogError.importMismatch(position: event.position, reason: "the log's next position is \(position + 1)")
      }
      guard event.recordedAtMilliseconds >= lastRecorded else {
        throw EventLogError.importMismatch(position: event.position, reason: "its record time goes backwards")
      }
      let current: Int64
      if let known = versions[event.stream] {
        current = known
      } else {
        let statement = RawStatement(selectVersion, in: db)
        statement.bind(1, event.stream.rawValue)
        current = try statement.step() ? statement.int64(0) : -1
        statement.reset()
      }
      guard event.version == current + 1 else {
        throw EventLogError.importMismatch(
          position: event.position, reason: "stream \(event.stream) is at version \(current), the event claims \(event.version)")
      }
      guard HashChain.hash(of: event, previous: previous) == event.hash else {
        throw EventLogError.importMismatch(position: event.position, reason: "its hash does not continue the chain")
      }
      let statement = RawStatement(insert, in: db)
      statement.bind(1, event.position)
      statement.bind(2, event.stream.rawValue)
      statement.bind(3, event.stream.category)
      statement.bind(4, event.version)
      statement.bind(5, event.eventID)
      statement.bind(6, event.type)
      statement.bind(7, Int64(event.schemaVersion))
      statement.bind(8, event.data)
      statement.bind(9, event.metadata)
      statement.bind(10, event.recordedAtMilliseconds)
      statement.bind(11, event.hash)
      do {
        _ = try statement.step()
      } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
        throw EventLogError.importMismatch(position: event.position, reason: "event id \(event.eventID) is recorded already")
      }
      statement.reset()
      versions[event.stream] = event.version
      position = event.position
      previous = event.hash
      lastRecorded = event.recordedAtMilliseconds
    }
  }

  /// Writes a consistent copy of the log to `path` while others keep writing (`VACUUM INTO`).
  /// The copy must not exist yet.
  public func backup(to path: String) async throws(EventLogError) {
    guard !FileManager.default.fileExists(atPath: path) else { throw .invalidRequest("\(path) exists already; choose a new file") }
    do {
      // VACUUM INTO cannot run inside a transaction (GRDB wraps pool reads in one): use a
      // connection of its own. It copies one consistent snapshot; writers carry on meanwhile.
      var readOnly = Configuration()
      readOnly.readonly = true
      let source = try DatabaseQueue(path: configuration.path, configuration: readOnly)
      try source.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
      try source.close()
    } catch {
      throw EventLogError(error, path: path)
    }
  }
}
