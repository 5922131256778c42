import EventLog
import EventLogSQLite
import Foundation
import GRDBSQLite

/// The baseline: the same schema, indexes, triggers, pragmas and hash as the store, driven
/// straight through the SQLite C API by one writer, with no GRDB and no group commit.
final class RawLog {
  private var db: OpaquePointer?
  private var insert: OpaquePointer?
  private var last: OpaquePointer?
  private var version: OpaquePointer?
  private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  init(path: String) throws {
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
      throw BenchError("cannot open \(path)")
    }
    try execute("PRAGMA journal_mode = WAL")
    try execute("PRAGMA synchronous = FULL")
    try execute("PRAGMA busy_timeout = 5000")
    for migration in Schema.migrations { try execute(migration) }
    insert = try prepare(Schema.insertEvent)
    last = try prepare(Schema.lastEvent)
    version = try prepare(Schema.streamVersion)
  }

  deinit {
    sqlite3_finalize(insert)
    sqlite3_finalize(last)
    sqlite3_finalize(version)
    sqlite3_close_v2(db)
  }

  func execute(_ sql: String) throws {
    guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
  }

  private func prepare(_ sql: String) throws -> OpaquePointer? {
    var statement: OpaquePointer?
    guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK else {
      throw BenchError(String(cString: sqlite3_errmsg(db)))
    }
    return statement
  }

  /// One durable transaction appending `events` to `stream`, as the store does: head and
  /// previous hash read inside BEGIN IMMEDIATE, the stream's version, the chain, the inserts.
  func append(_ events: [ProposedEvent], to stream: String, now: Int64) throws {
    try execute("BEGIN IMMEDIATE")
    var position: Int64 = 0
    var previous = HashChain.genesis
    var recordedAt = now
    if sqlite3_step(last) == SQLITE_ROW {
      position = sqlite3_column_int64(last, 0)
      previous = Data(bytes: sqlite3_column_blob(last, 1), count: Int(sqlite3_column_bytes(last, 1)))
      recordedAt = max(now, sqlite3_column_int64(last, 2))
    }
    sqlite3_reset(last)
    sqlite3_bind_text(version, 1, stream, -1, transient)
    var streamVersion: Int64 = sqlite3_step(version) == SQLITE_ROW ? sqlite3_column_int64(version, 0) : -1
    sqlite3_reset(version)
    let category = String(stream.prefix { $0 != "-" })
    for event in events {
      position += 1
      streamVersion += 1
      let hash = HashChain.hash(
        previous: previous, position: position, stream: stream, version: streamVersion, eventID: event.eventID, type: event.type,
        schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata, recordedAtMilliseconds: recordedAt)
      sqlite3_bind_int64(insert, 1, position)
      sqlite3_bind_text(insert, 2, stream, -1, transient)
      sqlite3_bind_text(insert, 3, category, -1, transient)
      sqlite3_bind_int64(insert, 4, streamVersion)
      withUnsafeBytes(of: event.eventID.uuid) { _ = sqlite3_bind_blob(insert, 5, $0.baseAddress, 16, transient) }
      sqlite3_bind_text(insert, 6, event.type, -1, transient)
      sqlite3_bind_int64(insert, 7, Int64(event.schemaVersion))
      event.data.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 8, $0.baseAddress, Int32($0.count), transient) }
      event.metadata.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 9, $0.baseAddress, Int32($0.count), transient) }
      sqlite3_bind_int64(insert, 10, recordedAt)
      hash.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 11, $0.baseAddress, 32, transient) }
      guard sqlite3_step(insert) == SQLITE_DONE else {
        let message = String(cString: sqlite3_errmsg(db))
        sqlite3_reset(insert)
        try? execute("ROLLBACK")
        throw BenchError(message)
      }
      sqlite3_reset(insert)
      previous = hash
    }
    try execute("COMMIT")
  }
}

struct BenchError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
