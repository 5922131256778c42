public import Foundation

/// Every way the log can refuse or fail, each with what a person needs to understand it.
///
/// Backends map their driver's errors to these cases; no driver error crosses a module boundary.
public enum EventLogError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A stream was not at the version the writer expected (`actual` nil: the stream does not exist).
  case wrongExpectedVersion(stream: StreamName, expected: ExpectedVersion, actual: Int64?)
  /// The idempotency key was used before for a different request.
  case idempotencyKeyReused(scope: String, key: String)
  /// The idempotency key was used before for this very request: here is the first answer.
  case alreadyRecorded(IdempotencyRecord)
  /// Some, but not all, of an append's event ids are already recorded.
  case eventIDsPartlyRecorded(UUID)
  /// An event id appears twice in one append, or is recorded with different content.
  case duplicateEventID(UUID)
  /// A stream name that the log does not accept.
  case invalidStreamName(String, reason: String)
  /// An append or read that makes no sense (an empty append, a negative limit, …).
  case invalidRequest(String)
  /// The location string (`sqlite:///…`, `postgres://…`) is malformed or names an unknown backend.
  case invalidLocation(String, reason: String)
  /// The database file or server is not there.
  case notFound(String)
  /// The log could not take the write lock in time (another process holds it).
  case busy(String)
  /// The disk is full; nothing was written.
  case storageFull(String)
  /// The log was opened read-only, or the file is not writable.
  case readOnly(String)
  /// The file is not a database, or is damaged.
  case corrupt(String)
  /// Imported events do not continue this log exactly.
  case importMismatch(position: Int64, reason: String)
  /// The store was closed.
  case closed
  /// Any other failure of the storage, with the backend's own words.
  case storage(String)

  public var description: String {
    switch self {
    case .wrongExpectedVersion(let stream, let expected, let actual):
      let found = actual.map { "it is at version \($0)" } ?? "it does not exist"
      return "stream \(stream) was expected at \(expected), but \(found)"
    case .idempotencyKeyReused(let scope, let key):
      return "idempotency key '\(key)' (\(scope)) was already used for a different request"
    case .alreadyRecorded(let record):
      return "idempotency key '\(record.key.key)' was already recorded; the first answer stands"
    case .eventIDsPartlyRecorded(let id):
      return "event \(id) is already recorded but others of the same append are not"
    case .duplicateEventID(let id):
      return "event id \(id) is recorded already with different content, or appears twice"
    case .invalidStreamName(let name, let reason):
      return "invalid stream name '\(name)': \(reason)"
    case .invalidRequest(let reason):
      return "invalid request: \(reason)"
    case .invalidLocation(let location, let reason):
      return "invalid event log location '\(location)': \(reason)"
    case .notFound(let what):
      return "event log not found: \(what)"
    case .busy(let what):
      return "event log is busy: \(what)"
    case .storageFull(let what):
      return "disk full, nothing was written: \(what)"
    case .readOnly(let what):
      return "event log is read-only: \(what)"
    case .corrupt(let what):
      return "event log is damaged or not an event log: \(what)"
    case .importMismatch(let position, let reason):
      return "cannot import at position \(position): \(reason)"
    case .closed:
      return "event log is closed"
    case .storage(let what):
      return "event log storage error: \(what)"
    }
  }
}
