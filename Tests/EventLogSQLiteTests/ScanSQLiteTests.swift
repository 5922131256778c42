import EventLog
import EventLogSQLite
import Foundation
import GRDB
import TestSupport
import Testing

/// A scan lends the buffers of one read transaction: what another connection commits while it
/// runs belongs to the next page, never to this one.
@Suite("SQLite log: scans")
struct ScanSQLiteTests {
  @Test("a row another connection commits while a scan is on its page shows on the next page, not in this one")
  func commitDuringScan() async throws {
    let path = temporaryFolder().appending(path: "events.sqlite").path
    var configuration = SQLiteConfiguration(path: path)
    configuration.durability = .normal
    let store = try await SQLiteEventStore.open(configuration)
    defer { Task { await store.close() } }
    for n in 0..<10 { _ = try await store.append(Append([note(n)], to: try name("early-\(n % 3)"))) }
    // Another connection of another kind (a plain GRDB queue), writing from inside the scan.
    let writer = try DatabaseQueue(path: path)
    defer { try? writer.close() }
    var seen: [Int64] = []
    let summary = try await store.scan(after: 0, category: nil, limit: 100, into: &seen) { seen, event in
      seen.append(event.position)
      guard event.position == 3 else { return }
      try writer.write { db in
        try db.execute(
          sql: """
            INSERT INTO events (position, stream, category, version, event_id, type, schema_version, data, metadata, recorded_at, hash)
            VALUES (11, 'late-1', 'late', 0, randomblob(16), 'Test.Late', 1, CAST('{}' AS BLOB), CAST('{}' AS BLOB), 0, zeroblob(32))
            """)
      }
    }
    #expect(seen == Array(1...10))
    #expect(summary == ScanSummary(count: 10, through: 10))
    var next: [String] = []
    let after = try await store.scan(after: summary.through, category: nil, limit: 100, into: &next) { next, event in
      next.append(event.stream.rawValue)
    }
    #expect(next == ["late-1"] && after == ScanSummary(count: 1, through: 11))
  }

  @Test("a large scan lends the same bytes read copies, across many pages of the database file")
  func largeScan() async throws {
    var configuration = SQLiteConfiguration(path: temporaryFolder().appending(path: "events.sqlite").path)
    configuration.durability = .normal
    let store = try await SQLiteEventStore.open(configuration)
    defer { Task { await store.close() } }
    // Events of 20 to 6,000 bytes, so that some rows spill onto overflow pages.
    for batch in 0..<20 {
      let events = (0..<100).map { n in
        ProposedEvent(type: "Test.Sized", data: Data(#"{"pad":"\#(String(repeating: "x", count: (batch * 100 + n) * 3 % 6000))"}"#.utf8))
      }
      _ = try await store.append(Append(events, to: try name("sized-\(batch)")))
    }
    for size in [1, 999, 2000, 5000] {
      var after: Int64 = 0
      while true {
        var lent: [RecordedEvent] = []
        let page = try await store.scan(after: after, category: nil, limit: size, into: &lent) { lent, event in lent.append(event.recorded()) }
        #expect(lent == (try await store.read(after: after, category: nil, limit: size)), "pages of \(size) after \(after)")
        if page.count < size { break }
        after = page.through
      }
    }
  }
}
