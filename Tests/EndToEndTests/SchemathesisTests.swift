import Foundation
import TestSupport
import Testing

/// schemathesis (from PyPI, in the venv `make test` makes) against each real service's own
/// OpenAPI document, with a fixed seed: no 5xx, and every answer matches the document.
@Suite("schemathesis against each service's OpenAPI document", .serialized)
struct SchemathesisTests {
  static let tool = packageRoot.appending(path: ".venv/bin/schemathesis")

  @Test("every check passes", arguments: ["kip-building", "kip-succession", "kip-deposits"])
  func conformance(service: String) async throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: Self.tool.path),
      "schemathesis is not installed: run Deploy/install-test-tools.sh (make test does)")
    let process = try ServiceProcess(
      service, environment: ["KIP_DATA_DIR": temporaryFolder().path, "KIP_EVENT_LOG": "", "KIP_BCRYPT_COST": "4"])
    try process.waitUntilListening()
    let outcome = try await runOffThePool(
      Self.tool,
      [
        "run", process.baseURL.appending(path: "openapi.json").absoluteString, "--checks", "all", "--seed", "42",
        "--max-examples", "30", "--no-color",
      ], environment: ["SCHEMATHESIS_TELEMETRY": "false"])
    #expect(outcome.status == 0, "schemathesis found problems:\n\(outcome.output.suffix(6000))\n\(outcome.error.suffix(2000))")
    #expect(outcome.output.contains("passed"), "\(outcome.output.suffix(2000))")
    #expect(try process.terminate() == 0)
  }
}
