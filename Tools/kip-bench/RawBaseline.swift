import EventLog
import EventLogSQLite
import Foundation
import GRDBSQLite

/// SQLite's "copy the bytes now" destructor.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// The baseline: the store's schema, indexes, triggers, pragmas (WAL, synchronous=FULL) and
/// SHA-256 chain, driven straight through the SQLite C API by one writer — no GRDB, no
/// savepoints, no group commit, every statement prepared once.
///
/// Each append does what the store's must: inside `BEGIN IMMEDIATE` it reads the last
/// position, hash and record time and the stream's version, then chains and inserts.
final class RawLog {
  private let db: OpaquePointer
  private let path: String
  private var statements: [OpaquePointer] = []
  private let begin: OpaquePointer
  private let commit: OpaquePointer
  private let rollback: OpaquePointer
  private let last: OpaquePointer
  private let version: OpaquePointer
  private let insert: OpaquePointer

  init(path: String) throws {
    self.path = path
    var handle: OpaquePointer?
    let opened = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
    guard opened == SQLITE_OK, let handle else {
      let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      sqlite3_close_v2(handle)
      throw BenchError("raw baseline: cannot open \(path): \(message)")
    }
    db = handle
    func execute(_ sql: String) throws {
      guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
        throw BenchError("raw baseline: \(String(cString: sqlite3_errmsg(handle)))")
      }
    }
    var prepared: [OpaquePointer] = []
    func prepare(_ sql: String) throws -> OpaquePointer {
      var statement: OpaquePointer?
      guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
        let statement
      else { throw BenchError("raw baseline: \(String(cString: sqlite3_errmsg(handle)))") }
      prepared.append(statement)
      return statement
    }
    do {
      try execute("PRAGMA journal_mode = WAL")
      try execute("PRAGMA synchronous = FULL")
      try execute("PRAGMA busy_timeout = 5000")
      try execute("BEGIN IMMEDIATE")
      for migration in Schema.migrations { try execute(migration) }
      try execute("PRAGMA user_version = \(Schema.migrations.count)")
      try execute("COMMIT")
      begin = try prepare("BEGIN IMMEDIATE")
      commit = try prepare("COMMIT")
      rollback = try prepare("ROLLBACK")
      last = try prepare(Schema.lastEvent)
      version = try prepare(Schema.streamVersion)
      insert = try prepare(Schema.insertEvent)
    } catch {
      for statement in prepared { sqlite3_finalize(statement) }
      sqlite3_close_v2(handle)
      throw error
    }
    statements = prepared
  }

  deinit {
    for statement in statements { sqlite3_finalize(statement) }
    sqlite3_close_v2(db)
  }

  /// `PRAGMA synchronous` of the connection (2 = FULL).
  func synchronousSetting() -> Int {
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &statement, nil) == SQLITE_OK else { return -1 }
    defer { sqlite3_finalize(statement) }
    return sqlite3_step(statement) == SQLITE_ROW ? Int(sqlite3_column_int64(statement, 0)) : -1
  }

  /// One durable transaction appending `events` to `stream`.
  func append(_ events: [ProposedEvent], to stream: StreamName, now: Int64) throws {
    try run(begin)
    do {
      var position: Int64 = 0
      var previous = HashChain.genesis
      var recordedAt = now
      if try step(last) {
        position = sqlite3_column_int64(last, 0)
        if let bytes = sqlite3_column_blob(last, 1) {
          previous = Data(bytes: bytes, count: Int(sqlite3_column_bytes(last, 1)))
        }
        recordedAt = max(now, sqlite3_column_int64(last, 2))
      }
      sqlite3_reset(last)
      sqlite3_bind_text(version, 1, stream.rawValue, -1, transient)
      var streamVersion: Int64 = try step(version) ? sqlite3_column_int64(version, 0) : -1
      sqlite3_reset(version)
      let category = stream.category
      for event in events {
        position += 1
        streamVersion += 1
        let hash = HashChain.hash(
          previous: previous, position: position, stream: stream.rawValue, version: streamVersion, eventID: event.eventID,
          type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata,
          recordedAtMilliseconds: recordedAt)
        sqlite3_bind_int64(insert, 1, position)
        sqlite3_bind_text(insert, 2, stream.rawValue, -1, transient)
        sqlite3_bind_text(insert, 3, category, -1, transient)
        sqlite3_bind_int64(insert, 4, streamVersion)
        withUnsafeBytes(of: event.eventID.uuid) { _ = sqlite3_bind_blob(insert, 5, $0.baseAddress, 16, transient) }
        sqlite3_bind_text(insert, 6, event.type, -1, transient)
        sqlite3_bind_int64(insert, 7, Int64(event.schemaVersion))
        event.data.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 8, $0.baseAddress, Int32($0.count), transient) }
        event.metadata.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 9, $0.baseAddress, Int32($0.count), transient) }
        sqlite3_bind_int64(insert, 10, recordedAt)
        hash.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 11, $0.baseAddress, 32, transient) }
        try run(insert)
        previous = hash
      }
      try run(commit)
    } catch {
      sqlite3_step(rollback)
      sqlite3_reset(rollback)
      throw error
    }
  }

  /// Steps a statement that answers at most one row: true when it did.
  private func step(_ statement: OpaquePointer) throws -> Bool {
    switch sqlite3_step(statement) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      let message = String(cString: sqlite3_errmsg(db))
      sqlite3_reset(statement)
      throw BenchError("raw baseline: \(path): \(message)")
    }
  }

  /// Runs a statement that answers no rows, and resets it.
  private func run(_ statement: OpaquePointer) throws {
    _ = try step(statement)
    sqlite3_reset(statement)
  }
}
