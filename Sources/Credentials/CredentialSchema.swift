import GRDB

/// The credentials file's tables. Migrations are append-only: never edit one that has shipped;
/// add the next. `PRAGMA user_version` counts how many are applied.
///
/// Not GRDB's `DatabaseMigrator`: it reads what is applied before it takes the write lock, so
/// three services opening a new file at once raced on it ("table passwords already exists"),
/// as the event log's schema found before (docs/architecture.md). Here every migration runs
/// under `BEGIN IMMEDIATE`: the first process creates, the others find it done.
enum CredentialSchema {
  static let migrations: [String] = [
    """
    CREATE TABLE passwords (
      user TEXT PRIMARY KEY NOT NULL,
      hash TEXT NOT NULL,
      changed_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE login_failures (
      user TEXT PRIMARY KEY NOT NULL,
      failures INTEGER NOT NULL CHECK (failures > 0),
      first_failure_at INTEGER NOT NULL,
      locked_until INTEGER
    ) STRICT;
    CREATE TABLE tokens (
      hash BLOB PRIMARY KEY NOT NULL CHECK (length(hash) = 32),
      user TEXT NOT NULL,
      label TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX tokens_by_user ON tokens (user);
    CREATE TABLE sessions (
      id_hash BLOB PRIMARY KEY NOT NULL CHECK (length(id_hash) = 32),
      user TEXT NOT NULL,
      csrf_token TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      last_seen INTEGER NOT NULL,
      second_factor_pending INTEGER NOT NULL CHECK (second_factor_pending IN (0, 1))
    ) STRICT;
    CREATE INDEX sessions_by_user ON sessions (user);
    CREATE TABLE totp (
      user TEXT PRIMARY KEY NOT NULL,
      secret TEXT NOT NULL,
      confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
      last_used_step INTEGER
    ) STRICT;
    CREATE TABLE signing_keys (
      name TEXT PRIMARY KEY NOT NULL,
      key BLOB NOT NULL CHECK (length(key) = 32)
    ) STRICT;
    """,
    // Page forms that change credentials (a new password, a new token) write no event, so the
    // log's idempotency records cannot catch their double submits: their keys are kept here.
    """
    CREATE TABLE form_submissions (
      scope TEXT NOT NULL,
      key TEXT NOT NULL,
      digest TEXT NOT NULL,
      submitted_at INTEGER NOT NULL,
      PRIMARY KEY (scope, key)
    ) STRICT;
    CREATE INDEX form_submissions_by_time ON form_submissions (submitted_at);
    """,
  ]

  /// Applies the missing migrations in one IMMEDIATE transaction.
  static func migrate(_ db: Database, path: String) throws {
    try db.inTransaction(.immediate) {
      let applied = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
      guard applied <= migrations.count else {
        throw CredentialError.storage(
          path: path, reason: "its schema version \(applied) is newer than this program (\(migrations.count)): upgrade the program")
      }
      for (index, sql) in migrations.enumerated().dropFirst(applied) {
        try db.execute(sql: sql)
        try db.execute(sql: "PRAGMA user_version = \(index + 1)")
      }
      return .commit
    }
  }
}
