import EventLog
import EventLogSQLite
import Foundation
import Testing
import TestSupport

/// One event as `kipctl export` writes it (kipctl's `ExportLine`), built here so a test can make
/// large files, and files that go wrong at a chosen line, without appending thousands of events.
struct ExportedEvent: Codable {
  var position: Int64
  var stream: String
  var version: Int64
  var eventID: UUID
  var type: String
  var schemaVersion: Int
  var data: Data
  var metadata: Data
  var recordedAt: Int64
  var hash: String
}

/// The end of a log an export file is made to continue.
struct ChainEnd {
  var position: Int64 = 0
  var hash = HashChain.genesis
  var recordedAt: Int64 = 1_780_000_000_000

  /// The end of the SQLite log in `folder`.
  static func of(_ folder: URL) async throws -> ChainEnd {
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: folder.appending(path: "events.sqlite").path))
    let head = try await store.head()
    let last = try await store.read(after: head.position - 1, category: nil, limit: 1).first
    await store.close()
    return ChainEnd(position: head.position, hash: head.hash, recordedAt: last?.recordedAtMilliseconds ?? 0)
  }
}

/// How a line of an export file is spoiled.
enum Spoiling: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case notJSON, hashBroken, versionSkipped, positionSkipped, timeBackwards, eventIDRepeated
  var testDescription: String { rawValue }
}

/// Writes `count` events that continue `end` on streams bulk-0…bulk-6 (new to the log), chained,
/// with ids made from their positions; line `spoiled.line` (1-based) spoiled if asked. Answers the file.
func exportFile(
  _ count: Int, continuing end: ChainEnd, in folder: URL, spoiled: (line: Int, how: Spoiling)? = nil
) throws -> URL {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  var previous = end.hash
  var versions: [String: Int64] = [:]
  var text = Data()
  for line in 1...count {
    let position = end.position + Int64(line)
    let stream = "bulk-\(line % 7)"
    let version = versions[stream, default: -1] + 1
    versions[stream] = version
    guard let eventID = UUID(uuidString: String(format: "00000000-0000-7000-8000-%012llx", position)) else {
      throw TestFailure("no id for \(position)")
    }
    var event = ExportedEvent(
      position: position, stream: stream, version: version, eventID: eventID, type: "Ops.Bulk", schemaVersion: 1,
      data: Data(#"{"line":\#(line),"text":"一括 \#(line)"}"#.utf8), metadata: Data(#"{"source":"test"}"#.utf8),
      recordedAt: end.recordedAt + Int64(line), hash: "")
    let how = spoiled?.line == line ? spoiled?.how : nil
    switch how {
    case .versionSkipped: event.version += 1
    case .positionSkipped: event.position += 1
    case .timeBackwards: event.recordedAt = end.recordedAt - 1
    case .eventIDRepeated:
      guard let first = UUID(uuidString: String(format: "00000000-0000-7000-8000-%012llx", end.position + 1)) else { throw TestFailure("no id") }
      event.eventID = first
    default: break
    }
    let hash = HashChain.hash(
      previous: previous, position: event.position, stream: event.stream, version: event.version, eventID: event.eventID,
      type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata,
      recordedAtMilliseconds: event.recordedAt)
    event.hash = hash.map { String(format: "%02x", $0) }.joined()
    previous = hash
    if how == .hashBroken { event.data = Data(#"{"line":0}"#.utf8) }
    if how == .notJSON {
      text.append(contentsOf: #"{"position":\#(position),"stream":"#.utf8)
    } else {
      text.append(try encoder.encode(event))
    }
    text.append(UInt8(ascii: "\n"))
  }
  let file = folder.appending(path: "import-\(UUID().uuidString.prefix(8)).jsonl")
  try text.write(to: file)
  return file
}

@Suite("kipctl import: the whole file is checked before anything is written")
struct ImportTests {
  /// Past the first 5,000-line batch, so a batch-by-batch import would already have written.
  static let spoiledLine = 5_103

  @Test("a file spoiled past its first batch creates no log where none was", arguments: Spoiling.allCases)
  func nothingCreated(spoiling: Spoiling) throws {
    let folder = temporaryFolder()
    let file = try exportFile(5_200, continuing: ChainEnd(), in: folder, spoiled: (Self.spoiledLine, spoiling))
    let target = folder.appending(path: "new/events.sqlite")
    let outcome = try kipctl("import", "--log", "sqlite://\(target.path)", file.path)
    #expect(outcome.status == 1)
    #expect(outcome.error.hasPrefix("kipctl: ") && outcome.error.contains(Self.message(spoiling, at: Int64(Self.spoiledLine))), "\(outcome.error)")
    #expect(outcome.error.split(separator: "\n").count == 1, "\(outcome.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "new").path), "the import created the target")
  }

  @Test("a file spoiled past its first batch leaves the log it was to continue unchanged; unspoiled, it imports",
    arguments: Spoiling.allCases)
  func logUnchanged(spoiling: Spoiling) async throws {
    let (folder, log) = try seededLog(2)
    let end = try await ChainEnd.of(folder)
    let before = try kipctl("head", "--log", log).output
    let spoiled = try exportFile(5_200, continuing: end, in: folder, spoiled: (Self.spoiledLine, spoiling))
    let refused = try kipctl("import", "--log", log, spoiled.path)
    #expect(refused.status == 1)
    #expect(refused.error.hasPrefix("kipctl: ") && refused.error.contains(Self.message(spoiling, at: 2 + Int64(Self.spoiledLine))), "\(refused.error)")
    #expect(try kipctl("head", "--log", log).output == before)
    #expect(try kipctl("verify", "--log", log).output == "ok 2 events\n")
    if spoiling == .notJSON {
      // The same file, unspoiled, continues the log: the spoiled line alone was the reason.
      let good = try exportFile(5_200, continuing: end, in: folder)
      let imported = try kipctl("import", "--log", log, good.path)
      #expect(imported.status == 0, "\(imported.error)")
      #expect(imported.output.hasPrefix("imported 5200 events; head 5202 "))
      #expect(try kipctl("verify", "--log", log).output == "ok 5202 events\n")
    }
  }

  /// What the one line of stderr says: the line or position, and why.
  static func message(_ spoiling: Spoiling, at position: Int64) -> String {
    switch spoiling {
    case .notJSON: "line \(spoiledLine) is not an exported event: "
    case .hashBroken: "cannot import at position \(position): its hash does not continue the chain"
    case .versionSkipped: "cannot import at position \(position): stream bulk-\(spoiledLine % 7) is at version"
    case .positionSkipped: "cannot import at position \(position + 1): the log's next position is \(position)"
    case .timeBackwards: "cannot import at position \(position): its record time goes backwards"
    case .eventIDRepeated: "cannot import at position \(position): event id"
    }
  }

  @Test("a line that is not JSON is named by its line number")
  func lineNamed() throws {
    let folder = temporaryFolder()
    let file = try exportFile(5_010, continuing: ChainEnd(), in: folder, spoiled: (5_004, .notJSON))
    let outcome = try kipctl("import", "--log", "sqlite://\(folder.appending(path: "events.sqlite").path)", file.path)
    #expect(outcome.status == 1)
    #expect(outcome.error.hasPrefix("kipctl: \(file.path) line 5004 is not an exported event: "), "\(outcome.error)")
    #expect(outcome.error.split(separator: "\n").count == 1)
  }

  @Test("long work prints plain progress lines per tenth when stderr is not a terminal, the last batch included")
  func plainProgress() async throws {
    let (folder, log) = try seededLog(2)
    let file = try exportFile(12_000, continuing: try await ChainEnd.of(folder), in: folder)
    let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
    // Below the usual threshold (16 MiB of file, 50,000 events): lowered for the test.
    let lowered = ["KIPCTL_PROGRESS_MIN": "1"]
    let imported = try kipctl(["import", "--log", log, file.path], environment: lowered)
    #expect(imported.status == 0, "\(imported.error)")
    #expect(imported.output.hasPrefix("imported 12000 events; head 12002 "))
    let lines = imported.error.split(separator: "\n").map(String.init)
    // The check reads line by line: every tenth of the file's bytes gets its line.
    let checked = lines.filter { $0.hasPrefix("import check: ") }
    #expect(checked.map(Self.percent) == Array(stride(from: 10, through: 100, by: 10)), "\(imported.error)")
    #expect(checked.last == "import check: \(size)/\(size) bytes (100%)")
    // The write goes in batches of 5,000 events: 2 of 12,000 lines, then the last, short one.
    let written = lines.filter { $0.hasPrefix("import write: ") }
    #expect(written.map(Self.percent) == [40, 80, 100], "\(imported.error)")
    #expect(written.last == "import write: \(size)/\(size) bytes (100%)")
    #expect(lines.count == checked.count + written.count, "\(imported.error)")

    let verify = try kipctl(["verify", "--log", log], environment: lowered)
    #expect(verify.output == "ok 12002 events\n")
    // Verification checks two halves side by side, a page of 5,000 of each per round.
    #expect(verify.error == "verify: 10000/12002 events (80%)\nverify: 12002/12002 events (100%)\n")
    // At the usual threshold, 12,002 events are too few for progress lines.
    #expect(try kipctl("verify", "--log", log).error == "")
  }

  static func percent(_ line: String) -> Int {
    Int(line.split(separator: "(").last?.dropLast(2) ?? "") ?? -1
  }
}
