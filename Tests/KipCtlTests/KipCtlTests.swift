import EventLog
import EventLogSQLite
import Foundation
import GRDB
import Testing
import TestSupport

@Suite("kipctl: read, verify, export, import, back up")
struct KipCtlTests {
  @Test("export, import into an empty log, export again: byte-identical files and the same chain")
  func exportImportRoundTrip() throws {
    let (folder, log) = try seededLog(7)
    let first = folder.appending(path: "first.jsonl").path
    let second = folder.appending(path: "second.jsonl").path
    let copy = "sqlite://\(folder.appending(path: "copy.sqlite").path)"
    #expect(try kipctl("export", "--log", log, first).status == 0)
    let imported = try kipctl("import", "--log", copy, first)
    #expect(imported.status == 0, "\(imported.error)")
    #expect(try kipctl("export", "--log", copy, second).status == 0)
    #expect(try Data(contentsOf: URL(filePath: first)) == Data(contentsOf: URL(filePath: second)))
    #expect(try kipctl("head", "--log", log).output == kipctl("head", "--log", copy).output)
    #expect(try kipctl("verify", "--log", copy).output == "ok 7 events\n")
    let lines = try String(contentsOfFile: first, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 7)
  }

  @Test("importing into a log that it does not continue is refused and changes nothing")
  func importRefused() throws {
    let (folder, log) = try seededLog(3)
    let file = folder.appending(path: "export.jsonl").path
    #expect(try kipctl("export", "--log", log, file).status == 0)
    let (_, other) = try seededLog(2)
    let before = try kipctl("head", "--log", other).output
    let refused = try kipctl("import", "--log", other, file)
    #expect(refused.status == 1)
    #expect(refused.error.contains("cannot import at position 1"), "\(refused.error)")
    #expect(try kipctl("head", "--log", other).output == before)
    // The same file continues nothing in its own source either: positions 1… are taken.
    #expect(try kipctl("import", "--log", log, file).status == 1)
  }

  @Test("a changed stored byte is caught at its position",
    arguments: ["data", "metadata", "stream", "type", "recorded_at", "event_id", "version", "schema_version", "hash", "category"])
  func tamperCaught(column: String) throws {
    let (folder, log) = try seededLog(6)
    try tamper(folder, "UPDATE events SET \(try #require(Self.tampering[column])) WHERE position = 4")
    let verify = try kipctl("verify", "--log", log)
    #expect(verify.status == 1)
    if column == "category" {
      // Position 4 is the fourth event seeded, on stream note-0.
      #expect(verify.error == "kipctl: stored category broken at position 4: 'other', but stream note-0 is in category 'note'\n")
    } else {
      #expect(verify.error == "kipctl: hash chain broken at position 4\n")
    }
    // A backup of a tampered log does not verify either.
    let backup = try kipctl("backup", "--log", log, folder.appending(path: "backup.sqlite").path)
    #expect(backup.status == 1 && backup.error.contains("at position 4"), "\(backup.error)")
  }

  /// How each column is changed at one position (the unique (stream, version) index still holds).
  static let tampering = [
    "data": "data = CAST('{\"n\":99}' AS BLOB)", "metadata": "metadata = CAST('{\"n\":99}' AS BLOB)",
    "stream": "stream = 'note-9'", "type": "type = 'Ops.Other'", "recorded_at": "recorded_at = recorded_at + 1",
    "event_id": "event_id = randomblob(16)", "version": "version = version + 100",
    "schema_version": "schema_version = schema_version + 1", "hash": "hash = randomblob(32)", "category": "category = 'other'",
  ]

  @Test("verify reports the first bad position, whether the chain or a stored category is broken there",
    arguments: [(2, 5, "kipctl: stored category broken at position 2"), (5, 2, "kipctl: hash chain broken at position 2\n")])
  func firstBadPositionWins(categoryAt: Int, dataAt: Int, message: String) throws {
    let (folder, log) = try seededLog(6)
    try tamper(folder, "UPDATE events SET category = 'other' WHERE position = \(categoryAt)")
    try tamper(folder, "UPDATE events SET data = CAST('{}' AS BLOB) WHERE position = \(dataAt)")
    let verify = try kipctl("verify", "--log", log)
    #expect(verify.status == 1)
    #expect(verify.error.hasPrefix(message), "\(verify.error)")
  }

  @Test("a rewrite of the whole chain passes on its own but not against a published head")
  func publishedHead() async throws {
    let (folder, log) = try seededLog(5)
    let headFile = folder.appending(path: "head.txt")
    try kipctl("head", "--log", log).output.write(to: headFile, atomically: true, encoding: .utf8)
    #expect(try kipctl("verify", "--log", log, "--head", headFile.path).status == 0)
    // Forge: change event 2 and recompute every hash after it, as an attacker with file access could.
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: folder.appending(path: "events.sqlite").path))
    var events = try await store.read(after: 0, category: nil, limit: 100)
    await store.close()
    events[1].data = Data(#"{"n":1,"text":"改ざん"}"#.utf8)
    var previous = HashChain.genesis
    for index in events.indices {
      events[index].hash = HashChain.hash(of: events[index], previous: previous)
      previous = events[index].hash
    }
    let forgedPath = folder.appending(path: "forged.sqlite").path
    let forged = try await SQLiteEventStore.open(SQLiteConfiguration(path: forgedPath))
    try await forged.importRecorded(events)
    await forged.close()
    #expect(try kipctl("verify", "--log", "sqlite://\(forgedPath)").status == 0)
    let against = try kipctl("verify", "--log", "sqlite://\(forgedPath)", "--head", headFile.path)
    #expect(against.status == 1)
    #expect(against.error.contains("does not match the published head at position 5"), "\(against.error)")
  }

  @Test("backup while another process appends gives a verified, consistent copy; restore only into an empty place")
  func backupWhileAppending() async throws {
    let (folder, log) = try seededLog(20)
    let source = folder.appending(path: "events.sqlite").path
    // A writer that keeps appending until it is stopped (kip-bench writer, 2 concurrent appenders).
    let writer = ChildProcess()
    writer.executableURL = executable("kip-bench")
    writer.arguments = ["writer", "--log", log, "--writers", "2"]
    writer.standardOutput = FileHandle.nullDevice
    let exit = try ChildExit.start(writer)
    defer { if !exit.hasEnded { writer.terminate() } }
    // Wait until it is demonstrably writing, and the log is big enough that copying takes a while.
    try await waitUntil("the writer appends") { try lastPosition(source) >= 2_000 }
    let backupFile = folder.appending(path: "backup.sqlite").path
    let before = try lastPosition(source)
    let backup = try kipctl("backup", "--log", log, backupFile)
    let after = try lastPosition(source)
    // Still writing once the backup is done: it did not finish before the backup began.
    try await waitUntil("the writer appends after the backup") { try lastPosition(source) > after }
    writer.terminate()
    await exit.wait()
    #expect(backup.status == 0, "\(backup.error)")
    #expect(before < after, "nothing was appended while the backup ran")
    // The copy is one snapshot taken while the writer wrote: a prefix of the source (same
    // events, same hashes), longer than what was there before the backup began, verified.
    let copied = try await allEvents(backupFile)
    let original = try await allEvents(source)
    #expect(copied.count >= before && copied.count <= after, "copy \(copied.count), source \(before)…\(after)")
    #expect(original.count > after)
    #expect(Array(original.prefix(copied.count)) == copied)
    #expect(backup.output.hasPrefix("backup \(backupFile): ok \(copied.count) events, head \(copied.count) "), "\(backup.output)")
    #expect(try kipctl("backup", "--log", log, backupFile).status == 1, "backup overwrote an existing file")
    let target = "sqlite://\(folder.appending(path: "restored/events.sqlite").path)"
    let restored = try kipctl("restore", "--log", target, backupFile)
    #expect(restored.status == 0, "\(restored.error)")
    #expect(try kipctl("verify", "--log", target).output == "ok \(copied.count) events\n")
    #expect(try kipctl("restore", "--log", target, backupFile).status == 1, "restore overwrote a log")
  }

  @Test("append is an operator's tool: owned types need --force, the operator is recorded, versions are checked")
  func operatorAppend() throws {
    let (_, log) = try seededLog(0)
    let refused = try kipctl("events", "append", "--log", log, "--stream", "booking-1", "--type", "Building.BookingConfirmed", "--data", "{}")
    #expect(refused.status == 64)
    #expect(refused.error.contains("owned by the Building context"))
    let forced = try kipctl("events", "append", "--log", log, "--stream", "booking-1", "--type", "Building.BookingConfirmed", "--data", "{}", "--force", "--operator", "sato")
    #expect(forced.status == 0)
    let json = try kipctl("events", "read", "--log", log, "--json").output
    let line = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    let metadata = (line?["metadata"] as? String).flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
    #expect(metadata == #"{"actor":"kipctl:sato","role":"admin","source":"kipctl"}"#)
    let conflict = try kipctl("events", "append", "--log", log, "--stream", "booking-1", "--type", "Ops.Note", "--data", "{}", "--expected-version", "5")
    #expect(conflict.status == 1)
    #expect(conflict.error == "kipctl: stream booking-1 was expected at version 5, but it is at version 0\n")
    // -1, written either way, says the stream must not exist.
    let exists = try kipctl("events", "append", "--log", log, "--stream", "booking-1", "--type", "Ops.Note", "--data", "{}", "--expected-version", "-1")
    #expect(exists.status == 1 && exists.error.contains("booking-1"), "\(exists.error)")
    let new = try kipctl("events", "append", "--log", log, "--stream", "note-7", "--type", "Ops.Note", "--data", "{}", "--expected-version", "-1")
    #expect(new.status == 0, "\(new.error)")
    #expect(try kipctl("events", "append", "--log", log, "--stream", "note-8", "--type", "Ops.Note", "--data", "{}", "--expected-version=-1").status == 0)
  }

  @Test("bad input is exactly one line `kipctl: …` on stderr, the right exit code, and changes nothing",
    arguments: [
      (["events", "read", "--log", "sqlite:///nonexistent/dir/events.sqlite"], "event log not found", Int32(1)),
      (["events", "read", "--log", "mysql://db/kip"], "unknown scheme 'mysql'", Int32(64)),
      (["events", "read", "--log", "sqlite:/var/events.sqlite"], "expected scheme://", Int32(64)),
      (["events", "append", "--log", "sqlite//nonexistent/e.sqlite", "--stream", "note-1", "--type", "Ops.Note", "--data", "{}"], "without the ':'", Int32(64)),
      (["events", "append", "--stream", "note-1", "--type", "Ops.Note", "--data", "{}", "--expected-version", "-7"], "is no version", Int32(64)),
      (["events", "append", "--stream", "note-1", "--type", "Ops.Note", "--data", "{}", "--schema-version", "0"], "is no schema version", Int32(64)),
      (["events", "append", "--stream", "note-1", "--type", "Ops.Note", "--data", "{not json"], "--data is not valid JSON", Int32(64)),
      (["events", "append", "--stream", "booking-1", "--type", "Building.BookingConfirmed", "--data", "{}"], "owned by the Building context", Int32(64)),
      (["events", "append", "--stream", "no dash", "--type", "Ops.Note", "--data", "{}"], "invalid stream name", Int32(64)),
      (["events", "append", "--stream", "note-1", "--type", "Ops.Note"], "Missing expected argument '--data <data>'", Int32(64)),
      (["events", "read", "--limit", "ten"], "The value 'ten' is invalid for '--limit <limit>'", Int32(64)),
      (["events", "frobnicate"], "Unexpected argument 'frobnicate'", Int32(64)),
      (["verify", "--head", "/nonexistent/head.txt"], "cannot read head file", Int32(1)),
      (["import", "/nonexistent/export.jsonl"], "cannot read /nonexistent/export.jsonl", Int32(1)),
      (["backup", "/nonexistent/backup.sqlite"], "the folder /nonexistent does not exist", Int32(1)),
    ])
  func badInput(arguments: [String], message: String, status: Int32) throws {
    let (_, log) = try seededLog(2)
    let before = try kipctl("head", "--log", log).output
    let outcome = try kipctl(arguments, environment: ["KIP_EVENT_LOG": log])
    #expect(outcome.status == status)
    let lines = outcome.error.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 2 && lines[1].isEmpty, "stderr is not exactly one line: \(outcome.error)")
    #expect(lines[0].hasPrefix("kipctl: ") && lines[0].contains(message), "stderr: \(outcome.error)")
    #expect(outcome.output.isEmpty, "stdout: \(outcome.output)")
    #expect(try kipctl("head", "--log", log).output == before)
    #expect(!FileManager.default.fileExists(atPath: "/nonexistent"))
  }

  @Test("--help of the root and of subcommands prints their usage on stdout and exits 0",
    arguments: [[], ["events", "read"], ["events", "append"], ["verify"], ["import"], ["backup"], ["calendar", "holidays"]])
  func help(command: [String]) throws {
    let outcome = try kipctl(command + ["--help"])
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(outcome.error.isEmpty, "stderr: \(outcome.error)")
    #expect(outcome.output.contains("USAGE: kipctl \(command.joined(separator: " "))".trimmingCharacters(in: .whitespaces)), "\(outcome.output)")
    #expect(outcome.output.contains("OPTIONS:"))
    // `kipctl help SUBCOMMAND` is the same request.
    if !command.isEmpty { #expect(try kipctl(["help"] + command).output == outcome.output) }
  }

  @Test("six processes creating one new log at once all succeed, and every append lands")
  func concurrentCreation() async throws {
    for round in 0..<5 {
      let log = "sqlite://\(temporaryFolder(onDisk: true).appending(path: "new/events.sqlite").path)"
      let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
        for writer in 0..<6 {
          group.addTask {
            try kipctl("events", "append", "--log", log, "--stream", "open-\(writer)", "--type", "Ops.Note", "--data", "{}")
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      for outcome in outcomes { #expect(outcome.status == 0, "round \(round): \(outcome.error)") }
      #expect(try kipctl("verify", "--log", log).output == "ok 6 events\n")
    }
  }

  @Test("tail follows appends made by another process")
  func tailFollows() async throws {
    let (_, log) = try seededLog(2)
    let process = ChildProcess()
    process.executableURL = executable("kipctl")
    process.arguments = ["events", "tail", "--log", log]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    try await Task.sleep(for: .milliseconds(300))
    try kipctl("events", "append", "--log", log, "--stream", "live-1", "--type", "Ops.Note", "--data", #"{"live":true}"#)
    let seen = await read(out.fileHandleForReading, timeout: 30) { $0.contains("live-1@0") }
    #expect(seen.hasPrefix("3 live-1@0 Ops.Note "), "tail printed: \(seen)")
  }

  @Test("tail --from starts at that position, inclusive, then follows")
  func tailFrom() async throws {
    let (_, log) = try seededLog(3)
    let process = ChildProcess()
    process.executableURL = executable("kipctl")
    process.arguments = ["events", "tail", "--log", log, "--from", "2"]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    // Whether tail is caught up or not yet, the new event comes after the ones it catches up with.
    try kipctl("events", "append", "--log", log, "--stream", "live-1", "--type", "Ops.Note", "--data", #"{"live":true}"#)
    let seen = await read(out.fileHandleForReading, timeout: 30) { $0.contains("live-1@0") }
    let lines = seen.split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
    #expect(lines == ["2 note-1@0", "3 note-2@0", "4 live-1@0"], "tail printed: \(seen)")
  }

  @Test("calendar commands print machine-readable lines and refuse what does not exist")
  func calendar() throws {
    let holidays = try kipctl("calendar", "holidays", "2023")
    #expect(holidays.status == 0)
    #expect(holidays.output.split(separator: "\n").prefix(3) == ["2023-01-01,元日", "2023-01-02,振替休日", "2023-01-09,成人の日"])
    #expect(holidays.output.split(separator: "\n").count == 17)
    #expect(try kipctl("calendar", "wareki", "2019-05-01").output == "令和元年5月1日\n")
    #expect(try kipctl("calendar", "wareki", "令和5年3月31日").output == "2023-03-31\n")
    #expect(try kipctl("calendar", "fy", "2023-03-31").output == "FY2022 令和4年度 2022-04-01 2023-03-31\n")
    #expect(try kipctl("calendar", "business-days", "2022-12-29", "2023-01-05").output == "2022-12-29\n2022-12-30\n2023-01-04\n2023-01-05\n")
    let provisional = try kipctl("calendar", "holidays", "--from", "2028", "--to", "2028")
    #expect(provisional.status == 0 && provisional.error.contains("provisional"))
    for bad in [["calendar", "holidays", "1947"], ["calendar", "wareki", "平成31年5月1日"], ["calendar", "fy", "2023-02-29"]] {
      let outcome = try kipctl(bad)
      #expect(outcome.status != 0 && outcome.error.split(separator: "\n").count == 1, "\(bad): \(outcome.error)")
    }
  }
}

/// Changes the log in `folder` behind its back, as someone with write access to the file could.
func tamper(_ folder: URL, _ sql: String) throws {
  let queue = try DatabaseQueue(path: folder.appending(path: "events.sqlite").path)
  try queue.write { db in
    try db.execute(sql: "DROP TRIGGER IF EXISTS events_append_only_update")
    try db.execute(sql: sql)
  }
  try queue.close()
}
