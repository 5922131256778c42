import EventLog
import Foundation
import GRDB
import GRDBSQLite

/// SQLite's "copy the bytes now" destructor.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Binds and steps a GRDB-prepared statement directly through the C API.
///
/// The append and read paths are the log's hot paths: GRDB's argument arrays and row values cost
/// about a fifth of an append and more of a read (STACK-NOTES), so these bind and read columns
/// straight from the `sqlite3_stmt`, with GRDB still owning preparation and the connection.
struct RawStatement {
  let handle: OpaquePointer
  let db: Database

  init(_ statement: Statement, in db: Database) {
    self.handle = statement.sqliteStatement
    self.db = db
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
  }

  func bind(_ index: Int32, _ value: Int64) {
    sqlite3_bind_int64(handle, index, value)
  }

  func bind(_ index: Int32, _ value: String) {
    sqlite3_bind_text(handle, index, value, -1, transient)
  }

  func bind(_ index: Int32, _ value: Data) {
    value.withUnsafeBytes { raw in
      // A zero-length blob still binds as a blob (not NULL) when given a non-nil pointer.
      _ = sqlite3_bind_blob(handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count), transient)
    }
  }

  func bind(_ index: Int32, _ value: UUID) {
    withUnsafeBytes(of: value.uuid) { raw in
      _ = sqlite3_bind_blob(handle, index, raw.baseAddress, 16, transient)
    }
  }

  /// Steps once: true for a row, false when done; a failure becomes a `DatabaseError`.
  func step() throws -> Bool {
    let code = sqlite3_step(handle)
    switch code {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
      sqlite3_reset(handle)
      throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }
  }

  func reset() {
    sqlite3_reset(handle)
  }

  func int64(_ column: Int32) -> Int64 {
    sqlite3_column_int64(handle, column)
  }

  func string(_ column: Int32) -> String {
    guard let text = sqlite3_column_text(handle, column) else { return "" }
    let count = Int(sqlite3_column_bytes(handle, column))
    return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
  }

  func data(_ column: Int32) -> Data {
    let count = Int(sqlite3_column_bytes(handle, column))
    guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return Data() }
    return Data(bytes: bytes, count: count)
  }

  func uuid(_ column: Int32) -> UUID {
    guard sqlite3_column_bytes(handle, column) == 16, let bytes = sqlite3_column_blob(handle, column) else {
      return UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    }
    var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: 16)) }
    return UUID(uuid: uuid)
  }

  /// The text of `column`, reusing a string from `recent` when the bytes are the same: a page
  /// has a handful of event types and runs of one stream, so most rows allocate no string.
  func string(_ column: Int32, reusing recent: inout [String], keep: Int) -> String {
    guard let text = sqlite3_column_text(handle, column) else { return "" }
    let count = Int(sqlite3_column_bytes(handle, column))
    for index in recent.indices {
      let same = recent[index].withUTF8 { known in
        known.count == count && (count == 0 || memcmp(known.baseAddress!, text, count) == 0)
      }
      if same { return recent[index] }
    }
    let string = String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    if recent.count >= keep { recent.removeFirst() }
    recent.append(string)
    return string
  }

  /// The bytes of a BLOB column, in SQLite's buffer: valid until the next step or reset.
  func borrowedBlob(_ column: Int32) -> UnsafeRawBufferPointer {
    // The pointer first, then the size (SQLite's documented order).
    let bytes = sqlite3_column_blob(handle, column)
    return UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : Int(sqlite3_column_bytes(handle, column)))
  }

  /// The UTF-8 of a TEXT column, in SQLite's buffer: valid until the next step or reset.
  func borrowedText(_ column: Int32) -> UnsafeRawBufferPointer {
    let text = sqlite3_column_text(handle, column)
    return UnsafeRawBufferPointer(start: text, count: text == nil ? 0 : Int(sqlite3_column_bytes(handle, column)))
  }

  /// The current row (selected with ``Schema/columns``) lent in place: valid until the next
  /// step or reset.
  func borrowedEvent() -> BorrowedEvent {
    BorrowedEvent(
      position: int64(0), streamUTF8: borrowedText(1), version: int64(2), eventID: uuid(3), typeUTF8: borrowedText(4),
      schemaVersion: Int(int64(5)), data: borrowedBlob(6), metadata: borrowedBlob(7), recordedAtMilliseconds: int64(8),
      hash: borrowedBlob(9))
  }

  /// Steps through every row (selected with ``Schema/columns``) as events.
  func recordedEvents(capacity: Int) throws -> [RecordedEvent] {
    var events: [RecordedEvent] = []
    events.reserveCapacity(capacity)
    var streams: [String] = []
    var types: [String] = []
    while try step() {
      events.append(
        RecordedEvent(
          position: int64(0), stream: StreamName(unchecked: string(1, reusing: &streams, keep: 1)), version: int64(2),
          eventID: uuid(3), type: string(4, reusing: &types, keep: 16), schemaVersion: Int(int64(5)), data: data(6),
          metadata: data(7), recordedAtMilliseconds: int64(8), hash: data(9)))
    }
    reset()
    return events
  }
}

extension EventLogError {
  /// Maps a SQLite failure to the log's own error, with SQLite's words kept for the operator.
  init(_ error: any Error, path: String) {
    if let error = error as? EventLogError {
      self = error
      return
    }
    guard let error = error as? DatabaseError else {
      self = .storage("\(path): \(error)")
      return
    }
    let message = "\(path): \(error.message ?? "\(error.resultCode)")"
    switch error.resultCode {
    case .SQLITE_FULL: self = .storageFull(message)
    case .SQLITE_READONLY: self = .readOnly(message)
    case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .corrupt(message)
    case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(message)
    case .SQLITE_CANTOPEN: self = .notFound(message)
    case .SQLITE_PERM, .SQLITE_AUTH: self = .readOnly(message)
    default: self = .storage(message)
    }
  }
}
