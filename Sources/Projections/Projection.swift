public import EventLog
public import GRDB

/// The physical tables of one generation of a projection: `<projection>_<table>_g<generation>`.
///
/// A rebuild writes a new generation beside the live one; a pointer row says which is live.
public struct TableSet: Sendable, Hashable {
  public let projection: String
  public let generation: Int64

  public init(projection: String, generation: Int64) {
    self.projection = projection
    self.generation = generation
  }

  /// The physical name of `table` in this generation (quote it in SQL as "\(name)").
  public func table(_ table: String) -> String { "\(projection)_\(table)_g\(generation)" }
}

/// A read model folded from the log into SQLite tables.
///
/// `apply` must be deterministic: the same events give the same rows, so two rebuilds give the
/// same checksum. It runs inside the transaction that also moves the checkpoint.
public protocol Projection: Sendable {
  /// Stable name: lower-case letters, digits and `_`.
  var name: String { get }
  /// Bumped when the tables or the folding change: a new version is rebuilt at start-up.
  var version: Int { get }
  /// The event types it reads; others only move its checkpoint.
  var eventTypes: Set<String> { get }
  /// The base names of its tables, for checksums and for dropping a retired generation.
  var tables: [String] { get }
  /// Creates the tables (and indexes) of one generation.
  func createTables(in db: Database, _ set: TableSet) throws
  /// Folds one event into the tables of `set`.
  func apply(_ event: RecordedEvent, in db: Database, _ set: TableSet) throws
  /// Folds a batch of events (in position order, all of them past the checkpoint) into the tables
  /// of `set`, inside the transaction that then moves the checkpoint to the last of them.
  ///
  /// The default folds each event of ``eventTypes`` with ``apply(_:in:_:)``. A projection may
  /// fold a batch at once (look its statements up once, say), but must give exactly the rows that
  /// folding the events one by one gives, and report a failure as ``ProjectionEventFailure``.
  func apply(batch events: ArraySlice<RecordedEvent>, in db: Database, _ set: TableSet) throws
}

extension Projection {
  public func apply(batch events: ArraySlice<RecordedEvent>, in db: Database, _ set: TableSet) throws {
    let types = eventTypes
    for event in events where types.contains(event.type) {
      do { try apply(event, in: db, set) } catch {
        throw ProjectionEventFailure(position: event.position, type: event.type, reason: error)
      }
    }
  }
}

/// The event of a batch that a projection could not fold, and why: the runner stops that
/// projection there and names the event.
public struct ProjectionEventFailure: Error, CustomStringConvertible {
  public var position: Int64
  public var type: String
  public var reason: any Error

  public init(position: Int64, type: String, reason: any Error) {
    self.position = position
    self.type = type
    self.reason = reason
  }

  public var description: String { "\(reason)" }
}

/// Why a projection stopped or was refused.
public enum ProjectionError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Applying an event failed; the projection stopped there, the others go on.
  case applyFailed(projection: String, position: Int64, type: String, reason: String)
  /// No projection of that name is registered.
  case unknownProjection(String)
  /// The projection's live tables are from another version, or are being built: answer 503.
  case notReady(projection: String, position: Int64, head: Int64)
  /// The read-model database failed.
  case storage(String)

  public var description: String {
    switch self {
    case .applyFailed(let projection, let position, let type, let reason):
      "projection \(projection) stopped at position \(position) (\(type)): \(reason)"
    case .unknownProjection(let name): "no projection named \(name)"
    case .notReady(let projection, let position, let head):
      "projection \(projection) is being built: at position \(position) of \(head)"
    case .storage(let reason): "read-model storage error: \(reason)"
    }
  }
}
