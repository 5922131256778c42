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
    try await process.waitUntilListening()
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

  /// Signed in on the demo data — as the front desk on the building, as succession staff on
  /// the centre, as the treasury on the deposits: the API's bodies and parameters are fuzzed past the sign-in. Business rules
  /// refuse many schema-valid requests (a space that does not exist, a day in the past, a
  /// stage the table does not allow), rightly, so the check that every schema-valid request is
  /// accepted is left out here; so is the one that wants a missing required header refused
  /// with 400 or 422, since a write without its Idempotency-Key is 428 by DESIGN.md. No 5xx,
  /// and every answer as documented.
  @Test("signed in on the demo data, every other check passes", arguments: [("kip-building", "desk"), ("kip-succession", "succession"), ("kip-deposits", "treasury")])
  func signedIn(service: String, login: String) async throws {
    try #require(FileManager.default.isExecutableFile(atPath: Self.tool.path), "schemathesis is not installed")
    let data = temporaryFolder()
    let environment = [
      "KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": "sqlite://\(data.appending(path: "events.sqlite").path)", "KIP_BCRYPT_COST": "4",
    ]
    let kipctl = executable("kipctl")
    try await DemoSeed.copy(into: data)
    let token = try run(kipctl, ["users", "token", login], environment: environment).output.trimmingCharacters(in: .whitespacesAndNewlines)
    let process = try ServiceProcess(service, environment: environment)
    try await process.waitUntilListening()
    try await process.waitUntilReady()
    let outcome = try await runOffThePool(
      Self.tool,
      [
        "run", process.baseURL.appending(path: "openapi.json").absoluteString, "--checks", "all", "--exclude-checks",
        "positive_data_acceptance,missing_required_header", "--seed", "42", "--max-examples", "20", "--no-color", "-H", "Authorization: Bearer \(token)",
      ], environment: ["SCHEMATHESIS_TELEMETRY": "false"])
    #expect(outcome.status == 0, "schemathesis found problems:\n\(outcome.output.suffix(6000))\n\(outcome.error.suffix(2000))")
    #expect(try process.terminate() == 0)
  }
}
