import Foundation
import Testing
import TestSupport

@Suite("kipctl on PostgreSQL logs: read, append, verify, migrate from SQLite")
struct KipCtlPostgresTests {
  @Test("migrate copies a SQLite log to PostgreSQL exactly: exports, verify and head match byte for byte")
  func migrateFromSQLite() throws {
    let (folder, sqlite) = try seededLog(9)
    let postgres = try TestPostgres.newDatabase()
    let migrated = try kipctl("migrate", "--from", sqlite, "--to", postgres, "--page-size", "4")
    #expect(migrated.status == 0, "\(migrated.error)")
    #expect(migrated.output.hasPrefix("migrated 9 events; head 9 "), "\(migrated.output)")
    let source = folder.appending(path: "source.jsonl").path
    let copy = folder.appending(path: "copy.jsonl").path
    #expect(try kipctl("export", "--log", sqlite, source).status == 0)
    let exported = try kipctl("export", "--log", postgres, copy)
    #expect(exported.status == 0, "\(exported.error)")
    #expect(try Data(contentsOf: URL(filePath: source)) == Data(contentsOf: URL(filePath: copy)))
    #expect(try kipctl("verify", "--log", postgres).output == kipctl("verify", "--log", sqlite).output)
    #expect(try kipctl("head", "--log", postgres).output == kipctl("head", "--log", sqlite).output)
    // Run again: nothing left to copy. The copy goes on from where the source left off.
    #expect(try kipctl("migrate", "--from", sqlite, "--to", postgres).output.hasPrefix("migrated 0 events; head 9 "))
    let appended = try kipctl("events", "append", "--log", postgres, "--stream", "note-1", "--type", "Ops.Note", "--data", "{}")
    #expect(appended.output == "appended position 10 version 3\n", "\(appended.error)")
    #expect(try kipctl("verify", "--log", postgres).output == "ok 10 events\n")
  }

  @Test("migrating into a log that is not a copy of the source is refused")
  func migrateRefused() throws {
    let (_, sqlite) = try seededLog(3)
    let postgres = try TestPostgres.newDatabase()
    #expect(try kipctl("events", "append", "--log", postgres, "--stream", "other-1", "--type", "Ops.Note", "--data", "{}").status == 0)
    let refused = try kipctl("migrate", "--from", sqlite, "--to", postgres)
    #expect(refused.status == 1)
    #expect(refused.error.contains("not a copy"), "\(refused.error)")
  }

  @Test("verify on PostgreSQL checks sealed events, says how many are not sealed yet, and finds a changed byte")
  func verifyPostgres() throws {
    let postgres = try TestPostgres.newDatabase()
    for n in 0..<4 {
      let outcome = try kipctl("events", "append", "--log", postgres, "--stream", "note-\(n % 2)", "--type", "Ops.Note", "--data", #"{"n":\#(n)}"#)
      #expect(outcome.status == 0, "\(outcome.error)")
    }
    let read = try kipctl("events", "read", "--log", postgres, "--stream", "note-1")
    #expect(read.output.split(separator: "\n").count == 2, "\(read.output)")
    // A committed append whose appender died before it was sealed.
    try TestPostgres.sql(
      postgres,
      """
      WITH e AS (INSERT INTO events (stream, version, event_id, type, schema_version, data, metadata)
        VALUES ('note-9', 0, gen_random_uuid(), 'Ops.Note', 1, '\\x7b7d', '\\x7b7d') RETURNING id)
      INSERT INTO unsealed (events, proposed_at) SELECT array[id], 0 FROM e
      """)
    #expect(try kipctl("verify", "--log", postgres).output == "ok 4 events; 1 not sealed yet\n")
    try TestPostgres.sql(
      postgres,
      """
      ALTER TABLE events DISABLE TRIGGER events_append_only;
      UPDATE events SET data = '\\x7b226e223a39397d' WHERE id = (SELECT event FROM chain WHERE position = 3)
      """)
    let broken = try kipctl("verify", "--log", postgres)
    #expect(broken.status == 1)
    #expect(broken.error == "kipctl: hash chain broken at position 3\n", "\(broken.error)")
  }

  @Test("a PostgreSQL location that cannot be reached fails with one line, not a hang")
  func unreachable() throws {
    let outcome = try kipctl("events", "read", "--log", "postgres://postgres@127.0.0.1:1/none?connect_timeout=2")
    #expect(outcome.status == 1)
    #expect(outcome.error.hasPrefix("kipctl: event log not found"), "\(outcome.error)")
  }
}
