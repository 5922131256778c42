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
  init(then steps: [[String]] = []) async throws {
    try await DemoSeed.copy(into: data)
    for arguments in steps {
      let outcome = try run(kipctl, arguments, environment: environment)
      #expect(outcome.status == 0, "kipctl \(arguments.joined(separator: " ")): \(outcome.error)")
    }
  }

  /// A service started on the log, once its read models have caught up.
  func start(_ name: String) async throws -> ServiceProcess {
    let service = try ServiceProcess(name, environment: environment)
    try await service.waitUntilListening()
    try await service.waitUntilReady()
    return service
  }

  /// An API token of the demo user of `role`.
  func token(_ role: String) throws -> String {
    try run(kipctl, ["users", "token", role], environment: environment).output.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

/// `kipctl demo seed` once per test run (it takes a while, and its data depends only on the
/// day), off the shared thread pool; each test works on a copy of its own.
enum DemoSeed {
  private static let template = Task<URL, any Error> {
    let folder = temporaryFolder()
    let environment = [
      "KIP_DATA_DIR": folder.path, "KIP_EVENT_LOG": "sqlite://\(folder.appending(path: "events.sqlite").path)", "KIP_BCRYPT_COST": "4",
    ]
    let seeded = try await runOffThePool(executable("kipctl"), ["demo", "seed"], environment: environment)
    guard seeded.status == 0 else { throw TestFailure("kipctl demo seed: \(seeded.error)") }
    return folder
  }

  /// Copies the seeded data folder's files (the log, the credentials) into `folder`.
  static func copy(into folder: URL) async throws {
    let source = try await template.value
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
      try FileManager.default.copyItem(at: source.appending(path: name), to: folder.appending(path: name))
    }
  }
}

extension ServiceProcess {
  /// What curl answers for `path` with `token` (and any more of curl's arguments).
  func api(_ path: String, token: String, _ extra: [String] = []) throws -> String {
    try run(URL(filePath: "/usr/bin/curl"), ["-s", baseURL.appending(path: path).absoluteString, "-H", "Authorization: Bearer \(token)"] + extra).output
  }
}
