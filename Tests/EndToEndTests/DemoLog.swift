import Foundation
import TestSupport
import Testing

/// A log of its own in a temporary folder with `kipctl demo seed`'s data (one user per role),
/// for the real services started on it and their API called as a demo user.
struct DemoLog {
  let data = temporaryFolder()
  let kipctl = executable("kipctl")
  var environment: [String: String] {
    ["KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": "sqlite://\(data.appending(path: "events.sqlite").path)", "KIP_BCRYPT_COST": "4"]
  }

  /// Seeds the demo data, and runs `kipctl` with each of `steps` after it.
  init(then steps: [[String]] = []) throws {
    for arguments in [["demo", "seed"]] + steps {
      let outcome = try run(kipctl, arguments, environment: environment)
      #expect(outcome.status == 0, "kipctl \(arguments.joined(separator: " ")): \(outcome.error)")
    }
  }

  /// A service started on the log, once its read models have caught up.
  func start(_ name: String) async throws -> ServiceProcess {
    let service = try ServiceProcess(name, environment: environment)
    try service.waitUntilListening()
    try await service.waitUntilReady()
    return service
  }

  /// An API token of the demo user of `role`.
  func token(_ role: String) throws -> String {
    try run(kipctl, ["users", "token", role], environment: environment).output.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

extension ServiceProcess {
  /// What curl answers for `path` with `token` (and any more of curl's arguments).
  func api(_ path: String, token: String, _ extra: [String] = []) throws -> String {
    try run(URL(filePath: "/usr/bin/curl"), ["-s", baseURL.appending(path: path).absoluteString, "-H", "Authorization: Bearer \(token)"] + extra).output
  }
}
