import EventLog
import Foundation
import Metrics

/// The service's log with its appends measured (`kip_append_duration_seconds`,
/// `kip_events_appended_total`, `kip_append_failures_total`); everything else passes through.
struct MeasuredEventStore: EventStore {
  let base: any EventStore
  let service: String

  var capabilities: StoreCapabilities { base.capabilities }

  func append(_ append: Append) async throws(EventLogError) -> AppendResult {
    let started = ContinuousClock.now
    do {
      let result = try await base.append(append)
      let elapsed = ContinuousClock.now - started
      Timer(label: "kip_append_duration_seconds", dimensions: [("service", service)], preferredDisplayUnit: .seconds)
        .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
      Counter(label: "kip_events_appended_total", dimensions: [("service", service)]).increment(by: result.positions.count)
      return result
    } catch {
      Counter(label: "kip_append_failures_total", dimensions: [("service", service)]).increment()
      throw error
    }
  }

  func read(stream: StreamName, from version: Int64?, direction: ReadDirection, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
    try await base.read(stream: stream, from: version, direction: direction, limit: limit)
  }

  func read(after position: Int64, category: String?, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
    try await base.read(after: position, category: category, limit: limit)
  }

  func scan<State: Sendable>(
    after position: Int64, category: String?, limit: Int, into state: inout State,
    _ body: @Sendable (inout State, borrowing BorrowedEvent) throws -> Void
  ) async throws -> ScanSummary {
    try await base.scan(after: position, category: category, limit: limit, into: &state, body)
  }

  func version(of stream: StreamName) async throws(EventLogError) -> Int64? { try await base.version(of: stream) }
  func head() async throws(EventLogError) -> LogHead { try await base.head() }

  func idempotencyRecord(scope: String, key: String) async throws(EventLogError) -> IdempotencyRecord? {
    try await base.idempotencyRecord(scope: scope, key: key)
  }

  func waitForAppends(after position: Int64, timeout: Duration) async throws(EventLogError) -> Int64 {
    try await base.waitForAppends(after: position, timeout: timeout)
  }

  func importRecorded(_ events: [RecordedEvent]) async throws(EventLogError) { try await base.importRecorded(events) }
  func close() async { await base.close() }
}
