import EventLog
import EventLogSQLite
import Foundation
import TestSupport
import Testing

/// Large whole-log pages are read as two halves at once and the next full page is read ahead:
/// neither may ever be visible in what a reader gets.
@Suite("SQLite log: large pages")
struct LargePageReadTests {
  func store(events: Int) async throws -> SQLiteEventStore {
    var configuration = SQLiteConfiguration(path: temporaryFolder().appending(path: "events.sqlite").path)
    configuration.durability = .normal
    let store = try await SQLiteEventStore.open(configuration)
    var written = 0
    while written < events {
      let count = min(500, events - written)
      let writes = try (0..<count).map { n in
        StreamWrite(stream: try name("page-\((written + n) % 37)"), events: [note(written + n)])
      }
      // One event per stream per append: 37 streams, so batches of at most 37.
      for chunk in stride(from: 0, to: writes.count, by: 37) {
        _ = try await store.append(Append(writes: Array(writes[chunk..<min(chunk + 37, writes.count)])))
      }
      written += count
    }
    return store
  }

  @Test("pages of every size give the events one by one, in order, without gaps or repeats")
  func pagesMatchSingleReads() async throws {
    let store = try await store(events: 3000)
    defer { Task { await store.close() } }
    var single: [RecordedEvent] = []
    var after: Int64 = 0
    while let event = try await store.read(after: after, category: nil, limit: 1).first {
      single.append(event)
      after = event.position
    }
    #expect(single.map(\.position) == Array(1...3000))
    for size in [511, 512, 513, 1000, 1024, 2999, 3000, 5000] {
      var paged: [RecordedEvent] = []
      var position: Int64 = 0
      while true {
        let page = try await store.read(after: position, category: nil, limit: size)
        #expect(page.count <= size)
        guard let last = page.last else { break }
        paged += page
        position = last.position
      }
      #expect(paged == single, "pages of \(size)")
    }
    // A page starting in the middle, and one past the end.
    #expect(try await store.read(after: 1234, category: nil, limit: 1500) == Array(single[1234..<2734]))
    #expect(try await store.read(after: 3000, category: nil, limit: 1500).isEmpty)
  }

  @Test("a page read ahead never hides events appended after it was read")
  func readAheadIsNeverStale() async throws {
    let store = try await store(events: 2058)
    defer { Task { await store.close() } }
    // Full pages of 1024: the page after 2048 is read ahead, and has 10 events then.
    let first = try await store.read(after: 0, category: nil, limit: 1024)
    let second = try await store.read(after: 1024, category: nil, limit: 1024)
    #expect(first.count == 1024 && second.last?.position == 2048)
    // Not a wait for a condition: a correct store passes either way; the pause only lets the
    // read-ahead finish before the append, so that the stale case really happens.
    try await Task.sleep(for: .milliseconds(200))
    _ = try await store.append(Append([note(1), note(2), note(3)], to: try name("late-1"), expecting: .noStream))
    let third = try await store.read(after: 2048, category: nil, limit: 1024)
    #expect(third.map(\.position) == Array(2049...2061))
    // Concurrent scans of different parts each get their own pages.
    async let a = store.read(after: 0, category: nil, limit: 1024)
    async let b = store.read(after: 1024, category: nil, limit: 1024)
    let (pageA, pageB) = try await (a, b)
    #expect(pageA == first && pageB == second)
  }
}
