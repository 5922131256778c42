import EventLog
import Foundation

/// Reads of a large log through the store's public API, page by page, as `kipctl verify`, an
/// export or a projection catching up would: `scan(after:category:limit:into:_:)`, which lends
/// each event in place, and (for comparison) `read(after:category:limit:)`, which copies each
/// into a `RecordedEvent`.
struct ReadMeasurements: Sendable {
  let store: any EventStore
  /// The last position of the log.
  let head: Int64
  let pageSize: Int

  /// Calls `body` with each page of the events in `(start, end]`, in order, copied by `read`.
  func read(after start: Int64, through end: Int64, _ body: ([RecordedEvent]) throws -> Void) async throws {
    var after = start
    while after < end {
      let page = try await store.read(after: after, category: nil, limit: Int(min(Int64(pageSize), end - after)))
      guard let last = page.last else { throw BenchError("the log ends at position \(after), before \(end)") }
      try body(page)
      after = last.position
    }
  }

  /// Lends each event in `(start, end]` to `body`, in order, page by page with `scan`.
  func scan<State: Sendable>(
    after start: Int64, through end: Int64, into state: inout State,
    _ body: @Sendable (inout State, borrowing BorrowedEvent) throws -> Void
  ) async throws {
    var after = start
    while after < end {
      let page = try await store.scan(
        after: after, category: nil, limit: Int(min(Int64(pageSize), end - after)), into: &state, body)
      guard page.count > 0 else { throw BenchError("the log ends at position \(after), before \(end)") }
      after = page.through
    }
  }

  /// `(0, head]` cut into `parts` consecutive stretches.
  func parts(_ parts: Int) -> [(start: Int64, end: Int64)] {
    (0..<parts).map { (head * Int64($0) / Int64(parts), head * Int64($0 + 1) / Int64(parts)) }
  }

  /// Every event lent by `scan`, the two halves of the log side by side (one reader each, the
  /// way `kipctl verify` splits the log); answers the events read and the seconds taken.
  func readAll(scans: Int = 2) async throws -> (events: Int, seconds: Double) {
    var total = (events: 0, bytes: 0)
    let time = try await timed {
      total = try await withThrowingTaskGroup(of: (events: Int, bytes: Int).self) { group in
        for (start, end) in parts(scans) {
          group.addTask {
            var seen = (events: 0, bytes: 0)
            try await scan(after: start, through: end, into: &seen) { seen, event in
              seen.events += 1
              seen.bytes &+= event.data.count &+ event.metadata.count &+ event.hash.count
            }
            return seen
          }
        }
        return try await group.reduce((0, 0)) { ($0.events + $1.events, $0.bytes &+ $1.bytes) }
      }
    }
    guard total.events == Int(head), total.bytes > 0 else { throw BenchError("read \(total.events) events of \(head)") }
    return (total.events, time)
  }

  /// Every event as `RecordedEvent`s through `read`, by one reader (the store splits large pages
  /// in halves and reads ahead by itself); answers the seconds taken.
  func readRecords() async throws -> Double {
    var events = 0
    var bytes = 0
    let time = try await timed {
      try await read(after: 0, through: head) { page in
        events += page.count
        for event in page { bytes &+= event.data.count }
      }
    }
    guard events == Int(head), bytes > 0 else { throw BenchError("read \(events) events of \(head)") }
    return time
  }

  /// The whole hash chain as `kipctl verify` checks it (``ChainVerification``: two parts side by
  /// side, each scanned); answers the seconds taken.
  func verify() async throws -> Double {
    try await timed {
      let checked = try await ChainVerification.verify(store, through: head, pageSize: pageSize)
      guard checked == head else { throw BenchError("verified \(checked) events of \(head)") }
    }
  }

  /// The whole hash chain with one ``ChainVerifier`` over one scan; answers the seconds taken.
  func verifyOnOneCore() async throws -> Double {
    var verifier = ChainVerifier()
    let time = try await timed {
      try await scan(after: 0, through: head, into: &verifier) { verifier, event in try verifier.check(event) }
    }
    guard verifier.count == head else { throw BenchError("verified \(verifier.count) events of \(head)") }
    return time
  }

  /// Every event decoded into typed events straight from its lent bytes, by two scans side by
  /// side (one per half of the log), each decoding on its reader; answers the seconds taken.
  func decodeInHalves(with codec: EventCodec<FixtureEvent>) async throws -> Double {
    try await timed {
      let count = try await withThrowingTaskGroup(of: Int.self) { group in
        for (start, end) in parts(2) {
          group.addTask {
            var count = 0
            try await scan(after: start, through: end, into: &count) { count, event in
              count += Self.checked(try codec.decode(event))
            }
            return count
          }
        }
        return try await group.reduce(0, +)
      }
      guard count == Int(head) else { throw BenchError("decoded \(count) events of \(head)") }
    }
  }

  /// Decoding alone, on one core: `sample` events copied out first, then decoded from their
  /// copies in a loop; answers events per second.
  func decodingAlone(with codec: EventCodec<FixtureEvent>, sample: Int = 50_000) async throws -> Double {
    var events: [RecordedEvent] = []
    try await read(after: 0, through: min(head, Int64(sample))) { events += $0 }
    var count = 0
    let time = try await timed {
      for event in events { count += Self.checked(try codec.decode(event)) }
    }
    guard count == events.count else { throw BenchError("decoded \(count) events of \(events.count)") }
    return Double(count) / time
  }

  /// 1 for an event whose decoded fields look right, so that the decoding cannot be skipped.
  static func checked(_ event: FixtureEvent) -> Int {
    switch event {
    case .bookingRequested(let booking): booking.seats > 0 ? 1 : 0
    case .bookingConfirmed(let booking): booking.feeYen > 0 ? 1 : 0
    case .caseOpened(let opened): opened.ownerAge > 0 ? 1 : 0
    case .depositPlaced(let deposit): deposit.amountYen > 0 ? 1 : 0
    }
  }
}
