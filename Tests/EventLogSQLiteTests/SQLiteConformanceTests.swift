import TestSupport
import EventLogTesting
import Testing

@Suite("SQLite passes the event store conformance suite")
struct SQLiteConformanceTests {
  @Test("conformance", arguments: EventStoreConformance.checks)
  func conforms(_ check: ConformanceCheck) async throws {
    try await check.run(on: SQLiteBackend())
  }
}
