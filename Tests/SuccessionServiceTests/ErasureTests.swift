import Foundation
import HummingbirdTesting
import Testing
import TestSupport

@testable import SuccessionService

@Suite("kip-succession: erasing a closed case's personal data")
struct ErasureTests {
  /// Every file of the data folder whose bytes hold `text` (the log, its WAL, the read model, the key store).
  func files(in folder: String, holding text: String) throws -> [String] {
    let needle = Data(text.utf8)
    return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().filter { name in
      guard let bytes = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(name)) else { return false }
      return bytes.range(of: needle) != nil
    }
  }

  @Test("the log never holds the plain name; erasure clears it from the read model, keeps the KPIs, survives a rebuild, and ends the case")
  func erase() async throws {
    try await withCentre { fixture, client in
      let folder = fixture.app.configuration.dataDirectory
      try await fixture.referFromTwoPartners(client)
      let note = try await fixture.post(client, "/api/cases/2023-0001/notes", as: "tanaka", #"{"text":"代表の山田様は来年引退の意向"}"#)
      #expect(note.status == .ok)
      // Sealed in the log from the first write: only the read model holds the plain name.
      try await fixture.caughtUp()
      #expect(try files(in: folder, holding: "青葉精工").allSatisfy { $0.hasPrefix("kip-succession.readmodel") })
      #expect(try !files(in: folder, holding: "青葉精工").isEmpty)

      // An open case is not erased; a closed one not for retention before the period ends.
      let open = try await fixture.post(client, "/api/cases/2023-0001/erasure", as: "boss", #"{"reason":"request"}"#)
      #expect(open.status == .unprocessableContent, "\(String(buffer: open.body))")
      let closed = try await fixture.post(client, "/api/cases/2023-0001/stage", as: "tanaka", #"{"stage":"discontinued","reason":"本人の意向で中止"}"#)
      #expect(closed.status == .ok, "\(String(buffer: closed.body))")
      let early = try await fixture.post(client, "/api/cases/2023-0001/erasure", as: "boss", #"{"reason":"retention"}"#)
      let earlyField = try json(early)["field"] as? String
      #expect(early.status == .unprocessableContent && earlyField == "reason", "\(String(buffer: early.body))")
      // Staff may not erase; the manager may, on request.
      #expect(try await fixture.post(client, "/api/cases/2023-0001/erasure", as: "tanaka", #"{"reason":"request"}"#).status == .forbidden)
      let kpisBefore = String(buffer: try await fixture.get(client, "/api/kpis?fy=2023", as: "boss").body)

      let erased = try await fixture.post(client, "/api/cases/2023-0001/erasure", as: "boss", #"{"reason":"request"}"#, key: "erase-1")
      #expect(erased.status == .ok, "\(String(buffer: erased.body))")
      #expect(try json(erased)["owners"] as? [String] == ["case-2023-0001"])
      try await fixture.caughtUp()
      #expect(try files(in: folder, holding: "青葉精工").isEmpty)
      #expect(try files(in: folder, holding: "山田様").isEmpty)
      // The other case keeps its name; the KPIs are the same.
      #expect(try !files(in: folder, holding: "緑町食品").isEmpty)
      #expect(String(buffer: try await fixture.get(client, "/api/kpis?fy=2023", as: "boss").body) == kpisBefore)
      let view = try json(try await fixture.get(client, "/api/cases/2023-0001", as: "boss"))
      #expect((view["company"] as? [String: Any])?["name"] as? String == "")

      // Nothing more is recorded on it; the same erasure again is answered from the first.
      let later = try await fixture.post(client, "/api/cases/2023-0001/notes", as: "tanaka", #"{"text":"追記"}"#)
      #expect(later.status == .unprocessableContent, "\(String(buffer: later.body))")
      let again = try await fixture.post(client, "/api/cases/2023-0001/erasure", as: "boss", #"{"reason":"request"}"#, key: "erase-1")
      #expect(again.status == .ok)

      // A rebuild from the log: the same KPIs, still no name.
      let runner = try #require(fixture.app.projections)
      try await runner.rebuild("succession")
      let head = try await fixture.app.store.head().position
      #expect(try await runner.waitUntil("succession", reached: head, timeout: .seconds(30)))
      try await runner.truncateWAL()
      #expect(String(buffer: try await fixture.get(client, "/api/kpis?fy=2023", as: "boss").body) == kpisBefore)
      #expect(try files(in: folder, holding: "青葉精工").isEmpty)
    }
  }
}
