import Foundation
import Synchronization

/// The PostgreSQL server of this test run, and a fresh database on it per test.
///
/// `make test` starts one throwaway server (`Deploy/test-postgres.sh`) and passes its URL in
/// `KIP_TEST_POSTGRES_URL`. Without it, under CI, the PostgreSQL tests fail; run locally, the
/// first test starts a server of its own for this process and stops it when the process exits.
public enum TestPostgres {
  private static let started = Mutex<Result<String, TestFailure>?>(nil)

  /// The server's URL (`postgres://postgres@127.0.0.1:PORT/postgres`).
  public static func serverURL() throws -> String {
    if let url = ProcessInfo.processInfo.environment["KIP_TEST_POSTGRES_URL"], !url.isEmpty { return url }
    if ProcessInfo.processInfo.environment["CI"] != nil {
      throw TestFailure("KIP_TEST_POSTGRES_URL is not set: under CI the PostgreSQL tests need the server `make test` starts")
    }
    return try started.withLock { started in
      if let started { return try started.get() }
      let result = startOwnServer()
      started = result
      return try result.get()
    }
  }

  /// A new, empty database on the server; answers its URL.
  public static func newDatabase() throws -> String {
    let server = try serverURL()
    let name = "kip_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20))"
    let outcome = try run(psql, [server, "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"])
    guard outcome.status == 0 else { throw TestFailure("cannot create database \(name): \(outcome.error)") }
    return replacingDatabase(in: server, with: name)
  }

  /// Runs SQL on a database with psql; answers its output (unaligned, tuples only).
  @discardableResult
  public static func sql(_ url: String, _ statement: String) throws -> String {
    let outcome = try run(psql, [url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", statement])
    guard outcome.status == 0 else { throw TestFailure("psql failed: \(outcome.error)") }
    return outcome.output
  }

  /// `url` with its database replaced by `name`.
  public static func replacingDatabase(in url: String, with name: String) -> String {
    guard var components = URLComponents(string: url) else { return url }
    components.path = "/\(name)"
    return components.string ?? url
  }

  static let psql = URL(filePath: "/usr/bin/psql")

  private static func startOwnServer() -> Result<String, TestFailure> {
    let folder = "/tmp/kip-postgres-own-\(getpid())"
    do {
      let outcome = try run(packageRoot.appending(path: "Deploy/test-postgres.sh"), ["start", folder])
      guard outcome.status == 0 else { return .failure(TestFailure("cannot start PostgreSQL: \(outcome.error)")) }
      ownServerFolder.withLock { $0 = folder }
      atexit {
        if let folder = TestPostgres.ownServerFolder.withLock({ $0 }) {
          _ = try? run(packageRoot.appending(path: "Deploy/test-postgres.sh"), ["stop", folder])
        }
      }
      return .success(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines))
    } catch {
      return .failure(TestFailure("cannot start PostgreSQL: \(error)"))
    }
  }

  static let ownServerFolder = Mutex<String?>(nil)
}

/// A PostgreSQL server of a test's own (to restart it without disturbing the others).
public final class PrivatePostgres: Sendable {
  public let folder: String
  public let url: String

  public init() throws {
    folder = "/tmp/kip-postgres-private-\(UUID().uuidString.prefix(8))"
    let outcome = try run(packageRoot.appending(path: "Deploy/test-postgres.sh"), ["start", folder])
    guard outcome.status == 0 else { throw TestFailure("cannot start PostgreSQL: \(outcome.error)") }
    url = outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Stops the server and starts it again on the same port (every connection is dropped).
  public func restart() throws {
    let outcome = try run(packageRoot.appending(path: "Deploy/test-postgres.sh"), ["restart", folder])
    guard outcome.status == 0 else { throw TestFailure("cannot restart PostgreSQL: \(outcome.error)") }
  }

  public func stop() {
    _ = try? run(packageRoot.appending(path: "Deploy/test-postgres.sh"), ["stop", folder])
  }
}
