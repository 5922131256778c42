import EventLog
import EventLogSQLite
import EventLogTesting
import Foundation
import TestSupport

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
