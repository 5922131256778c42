import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import TestSupport

/// The PostgreSQL backend for the conformance suite: a fresh database per store on the run's
/// server, and `kipctl` as the other process.
struct PostgresBackend: ConformanceBackend {
  func makeStore(clock: @escaping @Sendable () -> Date) async throws -> any EventStore {
    var configuration = try PostgresConfiguration(url: try TestPostgres.newDatabase())
    configuration.clock = clock
    configuration.pollInterval = .milliseconds(200)
    return try await PostgresEventStore.open(configuration)
  }

  func openAgain(_ store: any EventStore) async throws -> any EventStore {
    guard let store = store as? PostgresEventStore else { throw ConformanceFailure("not a PostgreSQL store") }
    var configuration = store.configuration
    configuration.clock = { Date() }
    return try await PostgresEventStore.open(configuration)
  }

  func appendFromAnotherProcess(to store: any EventStore, stream: StreamName, count: Int) async throws {
    guard let store = store as? PostgresEventStore else { throw ConformanceFailure("not a PostgreSQL store") }
    let url = "postgres://\(store.configuration.username)@\(store.configuration.host):\(store.configuration.port)/\(store.configuration.database)"
    for n in 0..<count {
      let result = try run(
        executable("kipctl"),
        ["events", "append", "--log", url, "--stream", stream.rawValue, "--type", "Test.Remote", "--data", #"{"n":\#(n)}"#])
      guard result.status == 0 else { throw ConformanceFailure("kipctl append failed: \(result.error)") }
    }
  }
}

/// A store on a fresh database.
func makeStore(_ change: (inout PostgresConfiguration) -> Void = { _ in }) async throws -> PostgresEventStore {
  var configuration = try PostgresConfiguration(url: try TestPostgres.newDatabase())
  configuration.pollInterval = .milliseconds(200)
  change(&configuration)
  return try await PostgresEventStore.open(configuration)
}

func note(_ n: Int) -> ProposedEvent {
  ProposedEvent(type: "Test.Note", data: Data(#"{"n":\#(n)}"#.utf8))
}

/// Waits for `condition` with a deadline instead of sleeping a fixed time.
func eventually(seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
  let deadline = ContinuousClock.now + .seconds(seconds)
  while ContinuousClock.now < deadline {
    if (try? await condition()) == true { return true }
    try await Task.sleep(for: .milliseconds(100))
  }
  return try await condition()
}
