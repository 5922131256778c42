import EventLog
import Foundation
import Synchronization

/// The backend-neutral behaviour of the log: every `EventStore` runs all of these, unchanged.
public enum EventStoreConformance {
  /// Every check, in a stable order.
  public static let checks: [ConformanceCheck] = ordering + expectations + idempotency + atomicity + reading + scanning + integrity

  static let ordering: [ConformanceCheck] = [
    ConformanceCheck(name: "positions are 1, 2, 3… in commit order and versions count per stream") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      let a = stream("order-a"), b = stream("order-b")
      let first = try await store.append(Append(events(2), to: a, expecting: .noStream))
      let second = try await store.append(Append(events(1), to: b, expecting: .noStream))
      let third = try await store.append(Append(events(1), to: a, expecting: .exact(1)))
      try require(first.positions == [1, 2], "first append positions \(first.positions)")
      try require(second.positions == [3], "second append positions \(second.positions)")
      try require(third.positions == [4], "third append positions \(third.positions)")
      try require(third.version(of: a) == 2, "stream a at version \(String(describing: third.version(of: a)))")
      let all = try await everything(store)
      try require(all.map(\.position) == [1, 2, 3, 4], "positions read back \(all.map(\.position))")
      try require(all.map(\.version) == [0, 1, 0, 2], "versions read back \(all.map(\.version))")
      try require(try await store.version(of: a) == 2, "version(of:) of a")
      try require(try await store.version(of: stream("order-none")) == nil, "version of a missing stream is nil")
    },
    ConformanceCheck(name: "concurrent appenders on two handles get gapless positions in commit order") { backend in
      let store = try await backend.makeStore()
      let other = try await backend.openAgain(store)
      defer { Task { await store.close(); await other.close() } }
      try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<32 {
          let handle = writer.isMultiple(of: 2) ? store : other
          group.addTask {
            for n in 0..<5 {
              _ = try await handle.append(Append([event("Test.Happened", #"{"w":\#(writer),"n":\#(n)}"#)], to: stream("writer-\(writer)"), expecting: n == 0 ? .noStream : .exact(Int64(n - 1))))
            }
          }
        }
        try await group.waitForAll()
      }
      let all = try await everything(store)
      try require(all.map(\.position) == Array(1...160), "positions are not 1…160")
      try require(all.map(\.recordedAtMilliseconds) == all.map(\.recordedAtMilliseconds).sorted(), "record times out of order")
      var perStream: [String: [Int64]] = [:]
      for event in all { perStream[event.stream.rawValue, default: []].append(event.version) }
      try require(perStream.count == 32 && perStream.values.allSatisfy { $0 == [0, 1, 2, 3, 4] }, "versions per stream")
    },
  ]

  static let expectations: [ConformanceCheck] = [
    ConformanceCheck(name: "each expected version is enforced and a mismatch writes nothing") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      let s = stream("expect-1")
      try await requireError("streamExists on a new stream", { try await store.append(Append(events(1), to: s, expecting: .streamExists)) }) {
        $0 == .wrongExpectedVersion(stream: s, expected: .streamExists, actual: nil)
      }
      try await requireError("exact(0) on a new stream", { try await store.append(Append(events(1), to: s, expecting: .exact(0))) }) {
        $0 == .wrongExpectedVersion(stream: s, expected: .exact(0), actual: nil)
      }
      _ = try await store.append(Append(events(1), to: s, expecting: .noStream))
      try await requireError("noStream on an existing stream", { try await store.append(Append(events(1), to: s, expecting: .noStream)) }) {
        $0 == .wrongExpectedVersion(stream: s, expected: .noStream, actual: 0)
      }
      try await requireError("exact(5) at version 0", { try await store.append(Append(events(1), to: s, expecting: .exact(5))) }) {
        $0 == .wrongExpectedVersion(stream: s, expected: .exact(5), actual: 0)
      }
      _ = try await store.append(Append(events(1), to: s, expecting: .streamExists))
      _ = try await store.append(Append(events(1), to: s, expecting: .exact(1)))
      _ = try await store.append(Append(events(1), to: s, expecting: .any))
      try require(try await store.head().position == 4, "only the four accepted events are recorded")
    },
    ConformanceCheck(name: "a condition on a stream the append does not write guards it") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      let slots = stream("slots-hall-2023-02-15"), booking = stream("booking-1"), other = stream("booking-2")
      _ = try await store.append(Append(events(1), to: slots, expecting: .noStream))
      let guarded = Append(
        writes: [StreamWrite(stream: booking, expected: .noStream, events: events(1))],
        conditions: [StreamCondition(stream: slots, expected: .exact(0))])
      _ = try await store.append(guarded)
      _ = try await store.append(Append(events(1), to: slots, expecting: .exact(0)))
      let stale = Append(
        writes: [StreamWrite(stream: other, expected: .noStream, events: events(1))],
        conditions: [StreamCondition(stream: slots, expected: .exact(0))])
      try await requireError("condition at a stale version", { try await store.append(stale) }) {
        $0 == .wrongExpectedVersion(stream: slots, expected: .exact(0), actual: 1)
      }
      try require(try await store.version(of: other) == nil, "the refused append wrote nothing")
      try require(try await store.version(of: slots) == 1, "the condition did not write its stream")
    },
    ConformanceCheck(name: "racing writers with exact versions: one wins each version, the rest conflict") { backend in
      let store = try await backend.makeStore()
      let other = try await backend.openAgain(store)
      defer { Task { await store.close(); await other.close() } }
      let s = stream("race-1")
      _ = try await store.append(Append(events(1), to: s, expecting: .noStream))
      let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
        for writer in 0..<40 {
          let handle = writer.isMultiple(of: 2) ? store : other
          group.addTask {
            do {
              _ = try await handle.append(Append([event("Test.Won", #"{"w":\#(writer)}"#)], to: s, expecting: .exact(0)))
              return true
            } catch EventLogError.wrongExpectedVersion(_, .exact(0), let actual) where actual == 1 {
              return false
            }
          }
        }
        return try await group.reduce(into: [Bool]()) { $0.append($1) }
      }
      let wins = outcomes.filter { $0 }.count
      try require(wins == 1, "\(wins) writers won version 1")
      try require(outcomes.count - wins == 39, "\(outcomes.count - wins) writers conflicted")
      try require(try await store.version(of: s) == 1, "the stream has exactly two events")
    },
    ConformanceCheck(name: "group commit: a conflicting member fails alone, its neighbours commit") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      let recorded = event()
      _ = try await store.append(Append([recorded], to: stream("taken-1"), expecting: .noStream))
      let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
        for n in 0..<60 {
          group.addTask {
            // Every tenth append targets a stream that exists already with noStream, and every
            // tenth from 5 carries a recorded event id after a new one (it fails after writing
            // inside its savepoint): each must fail alone.
            let target = n.isMultiple(of: 10) ? stream("taken-1") : stream("free-\(n)")
            let batch = n % 10 == 5 ? [event(), recorded] : events(2)
            do {
              _ = try await store.append(Append(batch, to: target, expecting: .noStream))
              return (n, true)
            } catch EventLogError.wrongExpectedVersion {
              return (n, false)
            } catch EventLogError.duplicateEventID(let id) where id == recorded.eventID {
              return (n, false)
            }
          }
        }
        var outcomes: [Int: Bool] = [:]
        for try await (n, ok) in group { outcomes[n] = ok }
        return outcomes
      }
      for n in 0..<60 { try require(outcomes[n] == !(n % 5 == 0), "append \(n) outcome \(String(describing: outcomes[n]))") }
      let all = try await everything(store)
      try require(all.count == 1 + 48 * 2, "\(all.count) events recorded, expected 97")
      try require(all.map(\.position) == Array(1...97), "positions have a gap after failed members")
      var verifier = ChainVerifier()
      for event in all { try verifier.check(event) }
      try require(!all.contains { $0.stream.rawValue == "taken-1" && $0.version > 0 }, "a failed member wrote")
    },
  ]

  static let idempotency: [ConformanceCheck] = [
    ConformanceCheck(name: "an idempotency key answers the first result for the same request and refuses another") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      let key = IdempotencyKey(scope: "kip-building/alice", key: "k-1", requestDigest: Data("digest-a".utf8))
      let first = try await store.append(
        Append(writes: [StreamWrite(stream: stream("booking-9"), expected: .noStream, events: events(1))], idempotency: key, response: Data(#"{"id":"9"}"#.utf8)))
      let found = try await store.idempotencyRecord(scope: key.scope, key: key.key)
      try require(found?.result == first && found?.response == Data(#"{"id":"9"}"#.utf8), "lookup returns the first answer")
      try await requireError("same key, same digest", {
        try await store.append(Append(writes: [StreamWrite(stream: stream("booking-9b"), events: events(1))], idempotency: key))
      }) { error in
        if case .alreadyRecorded(let record) = error { return record.result == first } else { return false }
      }
      var changed = key
      changed.requestDigest = Data("digest-b".utf8)
      try await requireError("same key, different digest", {
        try await store.append(Append(writes: [StreamWrite(stream: stream("booking-9c"), events: events(1))], idempotency: changed))
      }) { $0 == .idempotencyKeyReused(scope: key.scope, key: key.key) }
      var otherScope = key
      otherScope.scope = "kip-building/bob"
      _ = try await store.append(Append(writes: [StreamWrite(stream: stream("booking-10"), events: events(1))], idempotency: otherScope))
      try require(try await store.head().position == 2, "retries wrote nothing; another scope's same key did")
      try require(try await store.idempotencyRecord(scope: "kip-building/carol", key: "k-1") == nil, "unknown key")
    },
    ConformanceCheck(name: "a refused append does not record its idempotency key") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      _ = try await store.append(Append(events(1), to: stream("idem-x"), expecting: .noStream))
      let key = IdempotencyKey(scope: "s", key: "k", requestDigest: Data([1]))
      try await requireError("conflicting append with a key", {
        try await store.append(Append(writes: [StreamWrite(stream: stream("idem-x"), expected: .noStream, events: events(1))], idempotency: key))
      }) { if case .wrongExpectedVersion = $0 { true } else { false } }
      try require(try await store.idempotencyRecord(scope: "s", key: "k") == nil, "a refused append recorded its key")
    },
    ConformanceCheck(name: "re-appending recorded event ids writes nothing and answers their positions") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      let batch = events(3)
      let first = try await store.append(Append(batch, to: stream("import-1"), expecting: .noStream))
      let again = try await store.append(Append(batch, to: stream("import-1"), expecting: .noStream))
      try require(again.positions == first.positions, "re-append answered \(again.positions), not \(first.positions)")
      try require(try await store.head().position == 3, "a re-append wrote events")
      var altered = batch
      altered[1].data = Data(#"{"n":"changed"}"#.utf8)
      try await requireError("a recorded id with other content", { try await store.append(Append(altered, to: stream("import-1"))) }) {
        $0 == .duplicateEventID(batch[1].eventID)
      }
      try await requireError("a partly recorded append", { try await store.append(Append([batch[0], event()], to: stream("import-1"))) }) {
        if case .eventIDsPartlyRecorded = $0 { true } else { false }
      }
    },
  ]

  static let atomicity: [ConformanceCheck] = [
    ConformanceCheck(name: "a multi-stream append is all or nothing") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      _ = try await store.append(Append(events(1), to: stream("acct-2"), expecting: .noStream))
      let transfer = Append(writes: [
        StreamWrite(stream: stream("acct-1"), expected: .noStream, events: events(2)),
        StreamWrite(stream: stream("acct-2"), expected: .noStream, events: events(1)),
      ])
      try await requireError("second stream's expectation fails", { try await store.append(transfer) }) {
        $0 == .wrongExpectedVersion(stream: stream("acct-2"), expected: .noStream, actual: 0)
      }
      try require(try await store.version(of: stream("acct-1")) == nil, "the first stream was written")
      let ok = Append(writes: [
        StreamWrite(stream: stream("acct-1"), expected: .noStream, events: events(2)),
        StreamWrite(stream: stream("acct-2"), expected: .exact(0), events: events(1)),
      ])
      let result = try await store.append(ok)
      try require(result.positions == [2, 3, 4], "multi-stream positions \(result.positions)")
      try require(result.streamVersions == [StreamVersion(stream: stream("acct-1"), version: 1), StreamVersion(stream: stream("acct-2"), version: 1)], "stream versions \(result.streamVersions)")
    },
    ConformanceCheck(name: "malformed appends are refused with a clear error and write nothing") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      try await requireError("empty append", { try await store.append(Append([], to: stream("empty-1"))) }) {
        if case .invalidRequest = $0 { true } else { false }
      }
      try await requireError("a stream twice", {
        try await store.append(Append(writes: [StreamWrite(stream: stream("twice-1"), events: events(1)), StreamWrite(stream: stream("twice-1"), events: events(1))]))
      }) { if case .invalidRequest = $0 { true } else { false } }
      let id = UUIDv7.make()
      try await requireError("one id twice", { try await store.append(Append([event(id: id), event(id: id)], to: stream("dup-1"))) }) {
        $0 == .duplicateEventID(id)
      }
      try require(try await store.head().position == 0, "a refused append wrote")
      for bad in ["", "nodash", "-id", "cat-", "with space-1", "tab\t-1"] {
        try require((try? StreamName(bad)) == nil, "stream name '\(bad)' accepted")
      }
    },
  ]

  static let reading: [ConformanceCheck] = [
    ConformanceCheck(name: "streams read forwards and backwards, categories and the whole log page by position") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      for n in 0..<10 {
        _ = try await store.append(Append(events(1), to: stream(n.isMultiple(of: 2) ? "even-s" : "odd-s"), expecting: .any))
        _ = try await store.append(Append(events(1), to: stream("room-\(n % 3)"), expecting: .any))
      }
      let forwards = try await store.read(stream: stream("even-s"), from: 1, direction: .forwards, limit: 3)
      try require(forwards.map(\.version) == [1, 2, 3], "forwards from 1: \(forwards.map(\.version))")
      let backwards = try await store.read(stream: stream("even-s"), from: nil, direction: .backwards, limit: 2)
      try require(backwards.map(\.version) == [4, 3], "backwards from the end: \(backwards.map(\.version))")
      let rooms = try await store.read(after: 0, category: "room", limit: 100)
      try require(rooms.count == 10 && rooms.allSatisfy { $0.stream.category == "room" }, "category read")
      try require(rooms.map(\.position) == rooms.map(\.position).sorted(), "category read out of position order")
      let page = try await store.read(after: 5, category: nil, limit: 4)
      try require(page.map(\.position) == [6, 7, 8, 9], "page after 5: \(page.map(\.position))")
      try require(try await store.read(after: 20, category: nil, limit: 10).isEmpty, "read past the head")
    },
    ConformanceCheck(name: "a subscription catches up, then follows live appends in order") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      _ = try await store.append(Append(events(5), to: stream("live-1")))
      let seen = Task {
        var positions: [Int64] = []
        for try await event in store.subscribe(after: 2, batchSize: 2) {
          positions.append(event.position)
          if positions.count == 8 { break }
        }
        return positions
      }
      for _ in 0..<5 { _ = try await store.append(Append(events(1), to: stream("live-2"))) }
      // A bound on a hang, not a timing: 10 s once ran out at a load of 6–7 beside other suites.
      let positions = try await withDeadline(seconds: 180) { try await seen.value }
      try require(positions == Array(3...10), "subscription saw \(positions)")
    },
    ConformanceCheck(name: "a subscription sees another process's appends, filtered by category") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      _ = try await store.append(Append(events(1), to: stream("noise-1")))
      let seen = Task {
        var events: [RecordedEvent] = []
        for try await event in store.subscribe(after: 0, category: "remote") {
          events.append(event)
          if events.count == 3 { break }
        }
        return events
      }
      try await backend.appendFromAnotherProcess(to: store, stream: stream("remote-7"), count: 3)
      let events = try await withDeadline(seconds: 120) { try await seen.value }
      try require(events.map(\.stream.rawValue) == ["remote-7", "remote-7", "remote-7"], "saw \(events.map(\.stream))")
      try require(events.map(\.version) == [0, 1, 2], "versions \(events.map(\.version))")
    },
    ConformanceCheck(name: "stored bytes come back exact: key order, whitespace, large and unicode payloads") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      let odd = Data(#"{ "z": 1,   "a": "予約 🏢\u0000" , "n": 1.50 }"#.utf8)
      let binaryish = Data([0xFF, 0x00, 0xFE, 0x7B])
      var large = Data(capacity: 8 << 20)
      large.append(contentsOf: Array(#"{"blob":""#.utf8))
      large.append(Data(repeating: UInt8(ascii: "x"), count: 8 << 20))
      large.append(contentsOf: Array(#""}"#.utf8))
      let name = stream("会議室-大ホール🎤-2023年2月15日")
      let proposed = [
        ProposedEvent(type: "Test.Odd", data: odd, metadata: Data(#"{"actor":"山田"}"#.utf8)),
        ProposedEvent(type: "Test.Bytes", schemaVersion: 3, data: binaryish, metadata: Data()),
        ProposedEvent(type: "Test.Large", data: large),
      ]
      _ = try await store.append(Append(proposed, to: name, expecting: .noStream))
      let back = try await store.readAll(stream: name)
      try require(back.count == 3, "read back \(back.count) events")
      for (sent, got) in zip(proposed, back) {
        try require(got.data == sent.data && got.metadata == sent.metadata, "\(sent.type) bytes changed")
        try require(got.eventID == sent.eventID && got.type == sent.type && got.schemaVersion == sent.schemaVersion, "\(sent.type) fields changed")
        try require(got.stream == name, "stream name changed to \(got.stream)")
      }
      try require(try await store.read(after: 0, category: "会議室", limit: 10).count == 3, "unicode category read")
    },
  ]

  static let integrity: [ConformanceCheck] = [
    ConformanceCheck(name: "the hash chain links every event and the head carries the last hash") { backend in
      let store = try await backend.makeStore()
      defer { Task { await store.close() } }
      for n in 0..<20 { _ = try await store.append(Append(events(n % 3 + 1), to: stream("chain-\(n % 4)"))) }
      let head = try await store.head()
      let all = try await everything(store)
      var verifier = ChainVerifier()
      for event in all where event.position <= head.sealedThrough { try verifier.check(event) }
      try require(verifier.count == head.sealedThrough, "verified \(verifier.count) of \(head.sealedThrough)")
      try require(head.position == Int64(all.count), "head \(head.position) vs \(all.count) events")
      if store.capabilities.sealsAtAppend {
        try require(head.sealedThrough == head.position, "sealing at append, but sealedThrough lags")
        try require(head.hash == all.last?.hash, "head hash is not the last event's")
      }
      var tampered = all[7]
      tampered.data = Data(#"{"n":999}"#.utf8)
      var check = ChainVerifier()
      for event in all.prefix(7) { try check.check(event) }
      do {
        try check.check(tampered)
        throw ConformanceFailure("a changed byte passed verification")
      } catch let broken as ChainVerifier.Break {
        try require(broken.position == 8, "break reported at \(broken.position), expected 8")
      }
    },
    ConformanceCheck(name: "importing recorded events reproduces a log exactly; anything that does not continue it is refused") { backend in
      let source = try await backend.makeStore()
      let target = try await backend.makeStore()
      defer { Task { await source.close(); await target.close() } }
      for n in 0..<12 { _ = try await source.append(Append(events(n % 2 + 1), to: stream("imp-\(n % 3)"))) }
      let all = try await everything(source)
      try await target.importRecorded(Array(all.prefix(10)))
      var forged = all[10]
      forged.data = Data(#"{"n":"forged"}"#.utf8)
      try await requireError("a forged event", { try await target.importRecorded([forged]) }) {
        if case .importMismatch(11, _) = $0 { true } else { false }
      }
      try await requireError("a skipped position", { try await target.importRecorded([all[11]]) }) {
        if case .importMismatch(12, _) = $0 { true } else { false }
      }
      try await requireError("a batch whose second event breaks", { try await target.importRecorded([all[10], forged]) }) {
        if case .importMismatch = $0 { true } else { false }
      }
      try require(try await target.head().position == 10, "a refused import wrote")
      try await target.importRecorded(Array(all.suffix(from: 10)))
      let copy = try await everything(target)
      try require(copy == all, "the imported log differs from its source")
      try require(try await target.head() == (try await source.head()), "heads differ")
      _ = try await target.append(Append(events(1), to: stream("imp-0")))
      var verifier = ChainVerifier()
      for event in try await everything(target) { try verifier.check(event) }
    },
    ConformanceCheck(name: "record time never goes backwards, even when the clock does") { backend in
      let times = Mutex<[Int64]>([1_700_000_005_000, 1_700_000_001_000, 1_700_000_009_000, 1_700_000_002_000])
      let store = try await backend.makeStore(clock: {
        let ms = times.withLock { $0.isEmpty ? 1_700_000_010_000 : $0.removeFirst() }
        return Date(milliseconds: ms)
      })
      defer { Task { await store.close() } }
      for _ in 0..<4 { _ = try await store.append(Append(events(1), to: stream("clock-1"))) }
      let recorded = try await everything(store).map(\.recordedAtMilliseconds)
      try require(recorded == [1_700_000_005_000, 1_700_000_005_000, 1_700_000_009_000, 1_700_000_009_000], "record times \(recorded)")
    },
  ]
}

/// Waits for `body`, failing with a clear message instead of hanging the test run.
func withDeadline<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
  try await withThrowingTaskGroup(of: T.self) { group in
    group.addTask { try await body() }
    group.addTask {
      try await Task.sleep(for: .seconds(seconds))
      throw ConformanceFailure("timed out after \(seconds) s")
    }
    guard let first = try await group.next() else { throw ConformanceFailure("no result") }
    group.cancelAll()
    return first
  }
}
