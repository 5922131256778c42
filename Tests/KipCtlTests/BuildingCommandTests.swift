import Building
import EventLog
import EventLogSQLite
import Foundation
import SharedKernel
import Testing
import TestSupport

/// The shipped catalogue file.
let shippedCatalogue = packageRoot.appending(path: "Deploy/building/catalogue.json")

/// The shipped catalogue as JSON to edit.
func shippedCatalogueJSON() throws -> [String: Any] {
  try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: shippedCatalogue)) as? [String: Any])
}

/// Writes `json` to a file in `folder`.
func writeCatalogue(_ json: Any, named name: String, in folder: URL) throws -> String {
  let url = folder.appending(path: name)
  try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: url)
  return url.path
}

/// Every event of a SQLite log, in position order.
func allEvents(of folder: URL) async throws -> [RecordedEvent] {
  let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: folder.appending(path: "events.sqlite").path))
  var events: [RecordedEvent] = []
  while true {
    let page = try await store.read(after: events.last?.position ?? 0, category: nil, limit: 5000)
    events += page
    if page.count < 5000 { break }
  }
  await store.close()
  return events
}

@Suite("kipctl building: publish the catalogue, show it")
struct BuildingCommandTests {
  @Test("a valid file is published as version 1 with the operator recorded; catalogue lists its spaces")
  func publish() throws {
    let (_, log) = try seededLog(0)
    let published = try kipctl("building", "publish-catalogue", "--log", log, shippedCatalogue.path, "--note", "初版", "--operator", "sato")
    #expect(published.status == 0, "\(published.error)")
    #expect(published.output == "catalogue version 1 published\n")
    let shown = try kipctl("building", "catalogue", "--log", log)
    #expect(shown.status == 0, "\(shown.error)")
    let lines = shown.output.split(separator: "\n")
    #expect(lines.first == "catalogue version 1: 19 spaces, 5 equipment items")
    #expect(lines.count == 20)
    #expect(lines.contains("hall\t多目的ホール（全面）\t200\thall"))
    #expect(lines.contains("room-301-302\t第3・第4会議室（連結）\t40\tr3"))
    let json = try kipctl("events", "read", "--log", log, "--json").output
    let line = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(line["stream"] as? String == "catalogue-building")
    #expect(line["type"] as? String == "Building.CataloguePublished")
    let metadata = (line["metadata"] as? String).flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
    #expect(metadata == #"{"actor":"kipctl:sato","role":"admin","source":"kipctl"}"#)
  }

  @Test("publishing the version in force again records nothing; a changed fee becomes version 2")
  func unchanged() throws {
    let (folder, log) = try seededLog(0)
    #expect(try kipctl("building", "publish-catalogue", "--log", log, shippedCatalogue.path).status == 0)
    let head = try kipctl("head", "--log", log).output
    let again = try kipctl("building", "publish-catalogue", "--log", log, shippedCatalogue.path)
    #expect(again.status == 0, "\(again.error)")
    #expect(again.output == "catalogue unchanged (version 1)\n")
    #expect(try kipctl("head", "--log", log).output == head)
    var json = try shippedCatalogueJSON()
    json["overtimePercent"] = 30
    let changed = try writeCatalogue(json, named: "changed.json", in: folder)
    let second = try kipctl("building", "publish-catalogue", "--log", log, changed, "--note", "延長料金の改定")
    #expect(second.output == "catalogue version 2 published\n", "\(second.error)")
    #expect(try kipctl("building", "catalogue", "--log", log).output.hasPrefix("catalogue version 2: "))
  }

  /// A change to the shipped file that breaks it, and what the refusal must name.
  struct Breakage: Sendable, CustomTestStringConvertible {
    var name: String
    var change: @Sendable (inout [String: Any]) -> Void
    var message: String
    var testDescription: String { name }
  }

  static let breakages: [Breakage] = [
    Breakage(
      name: "a negative fee",
      change: { json in
        var spaces = json["spaces"] as? [[String: Any]] ?? []
        var fees = spaces[7]["fees"] as? [String: Any] ?? [:]
        fees["weekday"] = ["morning": -1400, "afternoon": 1700, "evening": 2200]
        spaces[7]["fees"] = fees
        json["spaces"] = spaces
      }, message: "料金表の spaces[7].fees: 料金に負の額があります"),
    Breakage(
      name: "a space sharing units with another group",
      change: { json in
        var spaces = json["spaces"] as? [[String: Any]] ?? []
        spaces[9]["group"] = "r4"
        json["spaces"] = spaces
      }, message: "料金表の spaces[10].group: room-301-302 と room-302 は区画を共有するので同じグループにしてください"),
    Breakage(
      name: "a capacity that is not a number",
      change: { json in
        var spaces = json["spaces"] as? [[String: Any]] ?? []
        spaces[3]["capacity"] = "七十六"
        json["spaces"] = spaces
      }, message: "spaces[3].capacity: expected a whole number"),
    Breakage(name: "a missing tax rate", change: { json in json["taxPercent"] = nil }, message: "taxPercent: missing"),
    Breakage(
      name: "an unknown block", change: { json in
        var spaces = json["spaces"] as? [[String: Any]] ?? []
        spaces[0]["slots"] = ["morning", "lunch"]
        json["spaces"] = spaces
      }, message: "spaces[0].slots[1]: 区分「lunch」はありません"),
  ]

  @Test("a broken file is refused in one line naming the place in it, and nothing is appended", arguments: breakages)
  func broken(_ breakage: Breakage) throws {
    let (folder, log) = try seededLog(0)
    #expect(try kipctl("building", "publish-catalogue", "--log", log, shippedCatalogue.path).status == 0)
    let head = try kipctl("head", "--log", log).output
    var json = try shippedCatalogueJSON()
    breakage.change(&json)
    let file = try writeCatalogue(json, named: "broken.json", in: folder)
    let refused = try kipctl("building", "publish-catalogue", "--log", log, file)
    #expect(refused.status == 1)
    #expect(refused.error.hasPrefix("kipctl: \(file): \(breakage.message)"), "\(refused.error)")
    #expect(refused.error.split(separator: "\n").count == 1)
    #expect(refused.output.isEmpty)
    #expect(try kipctl("head", "--log", log).output == head)
    #expect(try kipctl("building", "catalogue", "--log", log).output.hasPrefix("catalogue version 1: "))
  }

  @Test("a file that is not JSON, or not there, is one clear line too")
  func notJSON() throws {
    let (folder, log) = try seededLog(0)
    let file = folder.appending(path: "catalogue.json")
    try Data(#"{"spaces": [ }"#.utf8).write(to: file)
    let refused = try kipctl("building", "publish-catalogue", "--log", log, file.path)
    #expect(refused.status == 1)
    #expect(refused.error.hasPrefix("kipctl: \(file.path): not valid JSON"), "\(refused.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "events.sqlite").path), "a refused file created the log")
    let missing = try kipctl("building", "publish-catalogue", "--log", log, "/nonexistent/catalogue.json")
    #expect(missing.status == 1)
    #expect(missing.error.hasPrefix("kipctl: cannot read the catalogue /nonexistent/catalogue.json"), "\(missing.error)")
    try kipctl("events", "append", "--log", log, "--stream", "note-1", "--type", "Ops.Note", "--data", "{}")
    let none = try kipctl("building", "catalogue", "--log", log)
    #expect(none.status == 1)
    #expect(none.error == "kipctl: no catalogue is published yet: kipctl building publish-catalogue FILE\n")
  }
}
