import EventLog
import Foundation

/// What `scan(after:category:limit:into:_:)` must do on every backend: exactly what
/// `read(after:category:limit:)` answers, lent one event at a time.
extension EventStoreConformance {
  static let scanning: [ConformanceCheck] = [
    ConformanceCheck(name: "a scan lends exactly the events read gives, in order, for pages of every size") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      try await appendMixedLog(to: store)
      let all = try await everything(store)
      try require(all.count == 40, "the log has \(all.count) events")
      for size in 1...(all.count + 1) {
        var after: Int64 = 0
        var scanned: [RecordedEvent] = []
        while true {
          let page = try await scanPage(store, after: after, category: nil, limit: size)
          let read = try await store.read(after: after, category: nil, limit: size)
          try require(page.events == read, "pages of \(size) after \(after): the scan differs from the read")
          try require(page.summary.count == read.count, "pages of \(size) after \(after): count \(page.summary.count)")
          try require(page.summary.through == read.last?.position ?? after, "pages of \(size) after \(after): through \(page.summary.through)")
          scanned += page.events
          if page.summary.count < size { break }
          after = page.summary.through
        }
        try require(scanned == all, "pages of \(size): the scan of the whole log differs from the read")
      }
      let past = try await scanPage(store, after: Int64(all.count), category: nil, limit: 10)
      try require(past.events.isEmpty && past.summary == ScanSummary(count: 0, through: Int64(all.count)), "a scan past the head")
      let none = try await scanPage(store, after: 3, category: nil, limit: 0)
      try require(none.events.isEmpty && none.summary == ScanSummary(count: 0, through: 3), "a scan of limit 0")
    },
    ConformanceCheck(name: "a scan by category lends what a read by category gives, page by page") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      try await appendMixedLog(to: store)
      for category in ["room", "case", "会議室", "none"] {
        var wanted: [RecordedEvent] = []
        var after: Int64 = 0
        while true {
          let page = try await store.read(after: after, category: category, limit: 1000)
          guard let last = page.last else { break }
          wanted += page
          after = last.position
        }
        try require(wanted.allSatisfy { $0.stream.category == category }, "read by category \(category)")
        for size in [1, 2, 3, 7, 100] {
          var got: [RecordedEvent] = []
          var after: Int64 = 0
          while true {
            let page = try await scanPage(store, after: after, category: category, limit: size)
            try require(page.events == (try await store.read(after: after, category: category, limit: size)), "\(category) pages of \(size) after \(after)")
            got += page.events
            if page.summary.count < size { break }
            after = page.summary.through
          }
          try require(got == wanted, "category \(category) in pages of \(size): \(got.map(\.position)) against \(wanted.map(\.position))")
        }
      }
      try await requireError("a scan of an empty category name", { try await scanPage(store, after: 0, category: "", limit: 10) }) {
        if case .invalidStreamName = $0 { true } else if case .invalidRequest = $0 { true } else { false }
      }
    },
    ConformanceCheck(name: "a scan of an empty log lends nothing and leaves the state alone") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      var state = 7
      let summary = try await store.scan(after: 0, category: nil, limit: 100, into: &state) { state, _ in state += 1 }
      try require(summary == ScanSummary(count: 0, through: 0) && state == 7, "empty log: \(summary), state \(state)")
      let category = try await store.scan(after: 0, category: "room", limit: 100, into: &state) { state, _ in state += 1 }
      try require(category == ScanSummary(count: 0, through: 0) && state == 7, "empty log by category: \(category), state \(state)")
    },
    ConformanceCheck(name: "what the closure throws comes out of a scan unchanged, with the state as it was") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      _ = try await store.append(Append(events(10), to: stream("throw-1")))
      var seen: [Int64] = [-1]
      do {
        _ = try await store.scan(after: 0, category: nil, limit: 10, into: &seen) { seen, event in
          seen.append(event.position)
          if event.position == 4 { throw StopAt(position: event.position) }
        }
        throw ConformanceFailure("the closure's error was not thrown")
      } catch let stop as StopAt {
        try require(stop.position == 4, "stopped at \(stop.position)")
      }
      try require(seen == [-1], "the state changed on a throw: \(seen)")
      // The store is fine afterwards: the next scan and read start from a clean statement.
      let again = try await scanPage(store, after: 2, category: nil, limit: 5)
      try require(again.events.map(\.position) == [3, 4, 5, 6, 7], "a scan after a throw: \(again.events.map(\.position))")
      try require(try await store.read(after: 0, category: nil, limit: 3).map(\.position) == [1, 2, 3], "a read after a throw")
    },
    ConformanceCheck(name: "a scan paging on while another handle appends sees every event once, in order, without gaps") { backend in
      let store = try await backend.makeStore()
      let other = try await backend.openAgain(store)
      defer { Task { await store.close(); await other.close() } }
      _ = try await store.append(Append(events(5), to: stream("mid-a")))
      // Appends between pages, from another connection, each of several streams at once.
      var scanned: [RecordedEvent] = []
      var after: Int64 = 0
      for round in 0..<12 {
        let page = try await scanPage(store, after: after, category: nil, limit: 4)
        scanned += page.events
        after = page.summary.through
        if round < 8 {
          _ = try await other.append(
            Append(writes: [
              StreamWrite(stream: stream("mid-b"), events: events(2)), StreamWrite(stream: stream("mid-c"), events: events(1)),
            ]))
        }
      }
      // And appends while pages are being scanned, until the scan has caught up with them.
      let writer = Task {
        for n in 0..<40 { _ = try await other.append(Append(events(n % 3 + 1), to: stream("mid-\(n % 5)"))) }
      }
      var caughtUp = false
      while !caughtUp {
        let page = try await scanPage(store, after: after, category: nil, limit: 3)
        scanned += page.events
        after = page.summary.through
        if page.summary.count == 0 {
          try await withDeadline(seconds: 180) { try await writer.value }  // a bound on a hang, not a speed check: 40 appends took over 60 s once in a loaded `make test`
          caughtUp = try await store.head().position == after
        }
      }
      try await writer.value
      let all = try await everything(store)
      try require(scanned.map(\.position) == Array(1...Int64(all.count)), "positions scanned: \(scanned.map(\.position))")
      try require(scanned == all, "the scan differs from a read of the whole log")
    },
  ]

  /// 40 events over several categories and streams, with odd bytes: unicode names, empty
  /// metadata, non-JSON data, a schema version other than 1, a large payload.
  static func appendMixedLog(to store: any EventStore) async throws {
    for n in 0..<12 {
      _ = try await store.append(Append(events(n % 3 + 1, type: "Test.Mixed"), to: stream(n.isMultiple(of: 2) ? "room-\(n % 4)" : "case-\(n % 3)")))
    }
    let odd = [
      ProposedEvent(type: "Test.Odd", data: Data(#"{ "z": 1,   "a": "予約 🏢" }"#.utf8), metadata: Data(#"{"actor":"山田"}"#.utf8)),
      ProposedEvent(type: "Test.Bytes", schemaVersion: 3, data: Data([0xFF, 0x00, 0xFE, 0x7B]), metadata: Data()),
      ProposedEvent(type: "Test.Large", data: Data(#"{"blob":"\#(String(repeating: "x", count: 200_000))"}"#.utf8)),
    ]
    _ = try await store.append(Append(odd, to: stream("会議室-大ホール🎤-2023年2月15日")))
    let head = try await store.head().position
    _ = try await store.append(Append(events(40 - Int(head)), to: stream("room-tail")))
  }

  /// One scan, each lent event copied out.
  static func scanPage(_ store: any EventStore, after: Int64, category: String?, limit: Int) async throws
    -> (events: [RecordedEvent], summary: ScanSummary)
  {
    var copied: [RecordedEvent] = []
    let summary = try await store.scan(after: after, category: category, limit: limit, into: &copied) { copied, event in
      copied.append(event.recorded())
    }
    return (copied, summary)
  }
}

/// A closure's own error, to see that a scan throws it unchanged.
struct StopAt: Error {
  let position: Int64
}
