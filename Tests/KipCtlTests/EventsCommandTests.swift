import EventLog
import EventLogSQLite
import Foundation
import Testing
import TestSupport

/// A log of 8 events: note-0, note-1, note-2, note-0, note-1, note-2 (Ops.Note, positions 1–6),
/// then desk-1 twice (Ops.Other, positions 7 and 8).
func mixedLog() throws -> (folder: URL, log: String) {
  let (folder, log) = try seededLog(6)
  for n in 0..<2 {
    let outcome = try kipctl("events", "append", "--log", log, "--stream", "desk-1", "--type", "Ops.Other", "--data", #"{"desk":\#(n)}"#)
    guard outcome.status == 0 else { throw TestFailure(outcome.error) }
  }
  return (folder, log)
}

@Suite("kipctl events: read, stats, where the log is")
struct EventsCommandTests {
  @Test("events read selects by category, stream and --from (a global position, inclusive), and stops at --limit",
    arguments: [
      (["--category", "desk"], ["7 desk-1@0", "8 desk-1@1"]),
      (["--category", "note", "--from", "4"], ["4 note-0@1", "5 note-1@1", "6 note-2@1"]),
      (["--from", "7"], ["7 desk-1@0", "8 desk-1@1"]),
      (["--from", "0", "--limit", "2"], ["1 note-0@0", "2 note-1@0"]),
      (["--from", "3", "--limit", "2"], ["3 note-2@0", "4 note-0@1"]),
      (["--stream", "note-1"], ["2 note-1@0", "5 note-1@1"]),
      (["--stream", "note-1", "--from", "5"], ["5 note-1@1"]),
      (["--stream", "note-1", "--from", "3"], ["5 note-1@1"]),
      (["--stream", "note-1", "--from", "6"], []),
      (["--category", "note", "--from", "9"], []),
      (["--category", "desk", "--limit", "1"], ["7 desk-1@0"]),
    ])
  func read(options: [String], expected: [String]) throws {
    let (_, log) = try mixedLog()
    let outcome = try kipctl(["events", "read", "--log", log] + options)
    #expect(outcome.status == 0, "\(outcome.error)")
    let printed = outcome.output.split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
    #expect(printed == expected, "\(outcome.output)")
  }

  @Test("events read --json --from gives every recorded field of the events from there")
  func readJSON() throws {
    let (_, log) = try mixedLog()
    let outcome = try kipctl("events", "read", "--log", log, "--json", "--category", "desk", "--from", "8")
    let lines = outcome.output.split(separator: "\n")
    #expect(lines.count == 1)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    #expect(object["position"] as? Int == 8 && object["stream"] as? String == "desk-1" && object["version"] as? Int == 1)
    #expect((object["data"] as? String).flatMap { Data(base64Encoded: $0) } == Data(#"{"desk":1}"#.utf8))
  }

  @Test("events read refuses a negative --from and a malformed category with one line")
  func readRefused() throws {
    let (_, log) = try mixedLog()
    for options in [["--from", "-1"], ["--category", "desk-1"]] {
      let outcome = try kipctl(["events", "read", "--log", log] + options)
      #expect(outcome.status == 64)
      #expect(outcome.error.hasPrefix("kipctl: ") && outcome.error.split(separator: "\n").count == 1, "\(outcome.error)")
    }
  }

  @Test("events stats counts events, streams, payload bytes, categories and types, with the first and last record times")
  func stats() async throws {
    let (folder, log) = try mixedLog()
    let events = try await allEvents(folder.appending(path: "events.sqlite").path)
    let bytes = events.reduce(0) { $0 + $1.data.count + $1.metadata.count }
    let time = { (event: RecordedEvent?) -> String in
      guard let event else { return "" }
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
      return formatter.string(from: event.recordedAt)
    }
    let outcome = try kipctl("events", "stats", "--log", log)
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(outcome.error.isEmpty)
    #expect(
      outcome.output == """
        events 8
        sealed-through 8
        streams 4
        payload-bytes \(bytes)
        first-recorded \(time(events.first))
        last-recorded \(time(events.last))
        category desk 2
        category note 6
        type Ops.Note 6
        type Ops.Other 2

        """)
  }

  @Test("events stats of an empty log has counts of zero and no record times; of a missing one, an error")
  func statsEmpty() async throws {
    let (folder, log) = try seededLog(0)
    let missing = try kipctl("events", "stats", "--log", log)
    #expect(missing.status == 1 && missing.error.contains("event log not found"), "\(missing.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "events.sqlite").path), "stats created a log")
    await (try SQLiteEventStore.open(SQLiteConfiguration(path: folder.appending(path: "events.sqlite").path))).close()
    let outcome = try kipctl("events", "stats", "--log", log)
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(outcome.output == "events 0\nsealed-through 0\nstreams 0\npayload-bytes 0\n")
  }

  @Test("an empty KIP_EVENT_LOG counts as unset: the log is ./var/events.sqlite")
  func emptyVariableIsUnset() throws {
    let folder = temporaryFolder()
    let log = "sqlite://\(folder.appending(path: "var/events.sqlite").path)"
    try kipctl("events", "append", "--log", log, "--stream", "here-1", "--type", "Ops.Note", "--data", "{}")
    let outcome = try kipctl(["events", "stats"], environment: ["KIP_EVENT_LOG": ""], in: folder)
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(outcome.output.hasPrefix("events 1\n"))
    // And an unset one too.
    #expect(try kipctl(["events", "stats"], in: folder).output == outcome.output)
  }
}
