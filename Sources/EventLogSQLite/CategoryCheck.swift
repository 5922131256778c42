public import EventLog
import GRDB

/// A stored `category` that is not the one its stream name gives.
///
/// SQLite keeps each event's category in a column of its own, for reads by category; the hash
/// chain covers the stream name, not this copy of its first part, so a changed category passes
/// the chain and would silently move an event out of (or into) a category's reads.
public struct CategoryMismatch: Error, Sendable, Hashable, CustomStringConvertible {
  public var position: Int64
  public var stream: String
  public var stored: String

  /// The category the stream name gives.
  public var derived: String { StreamName(unchecked: stream).category }

  public var description: String {
    "stored category broken at position \(position): '\(stored)', but stream \(stream) is in category '\(derived)'"
  }
}

extension SQLiteEventStore {
  /// The first event up to `position` whose stored category is not its stream's, or nil.
  ///
  /// Reads pages of positions in short read transactions (never pinning the WAL for a whole
  /// scan) and derives each category in Swift, exactly as appends and imports stored it.
  public func firstCategoryMismatch(through position: Int64, pageSize: Int64 = 50_000) async throws(EventLogError)
    -> CategoryMismatch?
  {
    var after: Int64 = 0
    while after < position {
      let (start, end) = (after, Swift.min(after + pageSize, position))
      let found = try await reading { db -> CategoryMismatch? in
        let statement = RawStatement(
          try db.cachedStatement(sql: "SELECT position, stream, category FROM events WHERE position > ? AND position <= ? ORDER BY position"),
          in: db)
        defer { statement.reset() }
        statement.bind(1, start)
        statement.bind(2, end)
        while try statement.step() {
          let stream = statement.string(1)
          let stored = statement.string(2)
          if StreamName(unchecked: stream).category != stored {
            return CategoryMismatch(position: statement.int64(0), stream: stream, stored: stored)
          }
        }
        return nil
      }
      if let found { return found }
      after = end
    }
    return nil
  }
}
