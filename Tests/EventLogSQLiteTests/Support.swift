import EventLog
import EventLogSQLite
import EventLogTesting
import Foundation

/// The package root, found from this file, so tests can start the built executables.
let packageRoot = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A built executable of this package (`swift build` puts them beside the test bundle).
func executable(_ name: String) -> URL {
  if let dir = ProcessInfo.processInfo.environment["KIP_BIN_DIR"] { return URL(filePath: dir).appending(path: name) }
  return packageRoot.appending(path: ".build/debug/\(name)")
}

/// A fresh folder: in /dev/shm for the fast path, on the real disk for durability tests.
func temporaryFolder(onDisk: Bool = false) -> URL {
  let base = onDisk ? FileManager.default.temporaryDirectory.path : (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
  let url = URL(filePath: base).appending(path: "kip-tests-\(getpid())").appending(path: UUID().uuidString)
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Runs a process to its end; answers its exit status and standard output.
@discardableResult
func run(_ tool: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
  let process = Process()
  process.executableURL = tool
  process.arguments = arguments
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let output = out.fileHandleForReading.readDataToEndOfFile()
  let errors = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
}

/// The SQLite backend for the conformance suite: fast-path files in /dev/shm, and `kipctl` as
/// the other process.
struct SQLiteBackend: ConformanceBackend {
  func makeStore(clock: @escaping @Sendable () -> Date) async throws -> any EventStore {
    var configuration = SQLiteConfiguration(path: temporaryFolder().appending(path: "events.sqlite").path)
    configuration.durability = .normal
    configuration.clock = clock
    return try await SQLiteEventStore.open(configuration)
  }

  func openAgain(_ store: any EventStore) async throws -> any EventStore {
    guard let store = store as? SQLiteEventStore else { throw ConformanceFailure("not a SQLite store") }
    var configuration = SQLiteConfiguration(path: store.configuration.path)
    configuration.durability = .normal
    return try await SQLiteEventStore.open(configuration)
  }

  func appendFromAnotherProcess(to store: any EventStore, stream: StreamName, count: Int) async throws {
    guard let store = store as? SQLiteEventStore else { throw ConformanceFailure("not a SQLite store") }
    for n in 0..<count {
      let result = try run(
        executable("kipctl"),
        ["events", "append", "--log", "sqlite://\(store.configuration.path)", "--stream", stream.rawValue, "--type", "Test.Remote", "--data", #"{"n":\#(n)}"#])
      guard result.status == 0 else { throw ConformanceFailure("kipctl append failed: \(result.error)") }
    }
  }
}
