import Foundation
import SharedKernel
import TestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Two desks' services on one SQLite log: each is its own process, so only the log's expected
/// versions stand between them.
@Suite("kip-building: two service processes on one log", .serialized)
struct DeskProcessesTests {
  func post(_ url: URL, token: String, key: String, body: String) async throws -> (Int, String) {
    var request = URLRequest(url: url)
    request.httpMethod = "POST"
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    request.setValue(key, forHTTPHeaderField: "Idempotency-Key")
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = Data(body.utf8)
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
  }

  @Test("desks on two processes booking the same slot at once get exactly one booking; each process then shows it")
  func twoProcesses() async throws {
    let data = temporaryFolder()
    let environment = [
      "KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": "sqlite://\(data.appending(path: "events.sqlite").path)", "KIP_BCRYPT_COST": "4",
    ]
    let kipctl = executable("kipctl")
    try await DemoSeed.copy(into: data)
    let token = try run(kipctl, ["users", "token", "desk"], environment: environment).output.trimmingCharacters(in: .whitespacesAndNewlines)
    let manager = try run(kipctl, ["users", "token", "building-manager"], environment: environment).output.trimmingCharacters(in: .whitespacesAndNewlines)
    // Each process keeps its own read model beside the one log; the credentials go with each data folder.
    for folder in ["a", "b"] {
      let target = data.appending(path: folder)
      try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
      try FileManager.default.copyItem(at: data.appending(path: "credentials.sqlite"), to: target.appending(path: "credentials.sqlite"))
    }
    let first = try ServiceProcess("kip-building", environment: environment.merging(["KIP_DATA_DIR": data.appending(path: "a").path]) { $1 })
    let second = try ServiceProcess("kip-building", environment: environment.merging(["KIP_DATA_DIR": data.appending(path: "b").path]) { $1 })
    try await first.waitUntilListening()
    try await second.waitUntilListening()
    try await first.waitUntilReady()
    try await second.waitUntilReady()
    let catalogue = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appending(path: "Deploy/building/catalogue.json")
    let published = try await post(
      first.baseURL.appending(path: "api/catalogue"), token: manager, key: "publish",
      body: #"{"note":"two processes","catalogue":"# + (try String(contentsOf: catalogue, encoding: .utf8)) + "}")
    #expect(published.0 == 200, "\(published.1)")
    let day = try LocalDate(japanTimeOf: Date()).adding(days: 20)
    // A block still free that day (the demo data books the building too).
    var ask = URLRequest(url: URL(string: "\(first.baseURL.absoluteString)/api/availability?from=\(day)&to=\(day)")!)
    ask.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    let (grid, _) = try await URLSession.shared.data(for: ask)
    let days = try #require((try JSONSerialization.jsonObject(with: grid) as? [String: Any])?["days"] as? [[String: Any]])
    let candidates: [(String, String)] = (days.first?["spaces"] as? [[String: Any]] ?? []).compactMap { space in
      guard let slot = (space["slots"] as? [[String: Any]])?.first(where: { $0["status"] as? String == "free" }) else { return nil }
      return (space["space"] as? String ?? "", slot["slot"] as? String ?? "")
    }
    let free = try #require(candidates.first)
    let (space, slot) = free
    let before = try await headPosition(kipctl, environment)
    let body = #"{"space":"\#(space)","date":"\#(day)","slot":"\#(slot)","customer":{"name":"同時予約テスト"}}"#
    let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
      for desk in 0..<12 {
        let service = desk % 2 == 0 ? first : second
        group.addTask { try await post(service.baseURL.appending(path: "api/bookings"), token: token, key: "desk-\(desk)", body: body) }
      }
      return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
    }
    #expect(results.filter { $0.0 == 201 }.count == 1, "\(results.map(\.0))")
    #expect(results.filter { $0.0 == 409 }.count == 11, "\(results.map { "\($0.0) \($0.1.prefix(120))" })")
    // Each process's read model shows the one booking.
    let log = try run(kipctl, ["events", "read", "--category", "booking", "--from", String(before + 1)], environment: environment).output
    #expect(log.split(separator: "\n").filter { $0.contains(" Building.BookingRequested ") }.count == 1, "\(log)")
    for service in [first, second] {
      var request = URLRequest(url: URL(string: "\(service.baseURL.absoluteString)/api/availability?from=\(day)&to=\(day)&space=\(space)")!)
      request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
      request.setValue(String(try await headPosition(kipctl, environment)), forHTTPHeaderField: "X-KIP-Min-Position")
      let (answer, _) = try await URLSession.shared.data(for: request)
      let grid = String(decoding: answer, as: UTF8.self)
      #expect(grid.contains(#""slot":"\#(slot)","status":"confirmed""#), "\(service.baseURL): \(grid)")
    }
    #expect(try first.terminate() == 0)
    #expect(try second.terminate() == 0)
  }

  func headPosition(_ kipctl: URL, _ environment: [String: String]) async throws -> Int64 {
    // `kipctl verify` answers `ok N events`: the head, positions having no gaps.
    let verified = try run(kipctl, ["verify"], environment: environment).output
    return Int64(verified.split(separator: " ").dropFirst().first ?? "0") ?? 0
  }
}
