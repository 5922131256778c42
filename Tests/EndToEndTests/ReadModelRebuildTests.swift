import Foundation
import TestSupport
import Testing

/// An administrator rebuilds a running service's read model on the demo data with kipctl, and
/// builds the same model into a file of their own from the log.
@Suite("kipctl and the services' read models", .serialized)
struct ReadModelRebuildTests {
  @Test(
    "a rebuild on the running service switches to a new generation with the same checksum; a file built from the log has it too",
    arguments: [("kip-building", "building"), ("kip-succession", "succession")])
  func rebuildOnTheService(service name: String, projection: String) async throws {
    let data = temporaryFolder()
    let environment = [
      "KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": "sqlite://\(data.appending(path: "events.sqlite").path)", "KIP_BCRYPT_COST": "4",
    ]
    let kipctl = executable("kipctl")
    try await DemoSeed.copy(into: data)
    let admin = try run(kipctl, ["users", "token", "admin"], environment: environment).output.trimmingCharacters(in: .whitespacesAndNewlines)
    let service = try ServiceProcess(name, environment: environment)
    try await service.waitUntilListening()
    try await service.waitUntilReady()
    let url = service.baseURL.absoluteString
    // The service's own sweeper writes too (a no-show once a block's grace period passes): the
    // checksums are compared only over a stretch in which the log did not move.
    func head() throws -> String { try run(kipctl, ["verify"], environment: environment).output }
    var compared = false
    for attempt in 1...5 where !compared {
      let start = try head()
      try await Task.sleep(for: .seconds(attempt == 1 ? 0 : 2))
      let before = try run(kipctl, ["projections", "checksum", "--service", url, "--token", admin])
      #expect(before.status == 0 && before.output.hasPrefix("\(projection) "), "\(before.output) \(before.error)")
      let rebuilt = try run(kipctl, ["projections", "rebuild", "--service", url, "--token", admin, "--projection", projection])
      #expect(rebuilt.status == 0, "\(rebuilt.output) \(rebuilt.error)")
      let status = try run(kipctl, ["projections", "status", "--service", url, "--token", admin])
      #expect(status.output.hasPrefix("\(projection) v1 live"), "\(status.output)")
      let after = try run(kipctl, ["projections", "checksum", "--service", url, "--token", admin])
      // The same model built from the log into a file, without the service.
      let file = data.appending(path: "audit-\(attempt).readmodel.sqlite").path
      let offline = try run(kipctl, ["projections", "rebuild", "--projection", projection, "--readmodel", file], environment: environment)
      #expect(offline.status == 0, "\(offline.error)")
      let fileChecksum = try run(kipctl, ["projections", "checksum", "--readmodel", file], environment: environment)
      guard try head() == start else { continue }
      #expect(after.output == before.output, "the rebuilt generation has the same rows")
      // The service has more projections than this one; the file has this one alone.
      let served = before.output.split(separator: "\n").filter { $0.hasPrefix("\(projection) ") }.map { "\($0)\n" }.joined()
      #expect(fileChecksum.output == served, "\(fileChecksum.output) \(fileChecksum.error)")
      compared = true
    }
    #expect(compared, "the log kept moving through five tries")
    #expect(try service.terminate() == 0)
  }
}
