import EventLogTesting
import Testing

@Suite("PostgreSQL passes the event store conformance suite")
struct PostgresConformanceTests {
  @Test("conformance", arguments: EventStoreConformance.checks)
  func conforms(_ check: ConformanceCheck) async throws {
    try await check.run(on: PostgresBackend())
  }
}
