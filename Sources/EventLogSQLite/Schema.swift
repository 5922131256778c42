import EventLog
import GRDB

/// The log's tables. Append-only: a shipped migration is never edited.
package enum Schema {
  /// The migrations, in order; `PRAGMA user_version` counts how many are applied.
  /// Append-only: a shipped migration is never edited.
  package static let migrations: [String] = [
    """
    CREATE TABLE events (
      position INTEGER PRIMARY KEY CHECK (position > 0),
      stream TEXT NOT NULL,
      category TEXT NOT NULL,
      version INTEGER NOT NULL CHECK (version >= 0),
      event_id BLOB NOT NULL CHECK (length(event_id) = 16),
      type TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      data BLOB NOT NULL,
      metadata BLOB NOT NULL,
      recorded_at INTEGER NOT NULL,
      hash BLOB NOT NULL CHECK (length(hash) = 32)
    );
    CREATE UNIQUE INDEX events_stream_version ON events(stream, version);
    CREATE UNIQUE INDEX events_event_id ON events(event_id);
    CREATE INDEX events_category_position ON events(category, position);
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TABLE idempotency (
      scope TEXT NOT NULL,
      key TEXT NOT NULL,
      request_digest BLOB NOT NULL,
      response BLOB NOT NULL,
      result BLOB NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (scope, key)
    ) WITHOUT ROWID;
    """
  ]

  /// Applies missing migrations under the write lock (`BEGIN IMMEDIATE`), so several processes
  /// opening a new file at once do not race: the first creates, the others find it done.
  /// (GRDB's `DatabaseMigrator` reads what is applied before it takes the lock.)
  static func migrate(_ db: Database) throws {
    try db.inTransaction(.immediate) {
      let applied = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
      guard applied <= migrations.count else {
        throw EventLogError.corrupt("the log's schema version \(applied) is newer than this program (\(migrations.count))")
      }
      for (index, sql) in migrations.enumerated().dropFirst(applied) {
        try db.execute(sql: sql)
        try db.execute(sql: "PRAGMA user_version = \(index + 1)")
      }
      return .commit
    }
  }

  package static let insertEvent = """
    INSERT INTO events (position, stream, category, version, event_id, type, schema_version, data, metadata, recorded_at, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """
  package static let columns = "position, stream, version, event_id, type, schema_version, data, metadata, recorded_at, hash"
  /// A page of the whole log after a position: `position > ?1 … LIMIT ?2`.
  package static let logAfter = "SELECT \(columns) FROM events WHERE position > ? ORDER BY position LIMIT ?"
  /// A page of one category after a position: `category = ?1 AND position > ?2 … LIMIT ?3`.
  package static let categoryAfter = "SELECT \(columns) FROM events WHERE category = ? AND position > ? ORDER BY position LIMIT ?"
  package static let lastEvent = "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1"
  package static let streamVersion = "SELECT version FROM events WHERE stream = ? ORDER BY version DESC LIMIT 1"
}
