import EventLog
import Foundation

/// Reads of a large log through the store's public API, page by page
/// (`read(after:category:limit:)`), as a projection catching up or `kipctl verify` would.
struct ReadMeasurements: Sendable {
  let store: any EventStore
  /// The last position of the log.
  let head: Int64
  let pageSize: Int

  /// Calls `body` with each page of the events in `(start, end]`, in order.
  func scan(after start: Int64, through end: Int64, _ body: ([RecordedEvent]) throws -> Void) async throws {
    var after = start
    while after < end {
      let page = try await store.read(after: after, category: nil, limit: Int(min(Int64(pageSize), end - after)))
      guard let last = page.last else { throw BenchError("the log ends at position \(after), before \(end)") }
      try body(page)
      after = last.position
    }
  }

  /// Every event as records, by one reader; answers the events read and the seconds taken.
  func readAll() async throws -> (events: Int, seconds: Double) {
    var events = 0
    var bytes = 0
    let time = try await timed {
      try await scan(after: 0, through: head) { page in
        events += page.count
        for event in page { bytes &+= event.data.count }
      }
    }
    guard events == Int(head), bytes > 0 else { throw BenchError("read \(events) events of \(head)") }
    return (events, time)
  }

  /// The whole hash chain with ``ChainVerifier``, by one reader; answers the seconds taken.
  func verifyOnOneCore() async throws -> Double {
    var verifier = ChainVerifier()
    let time = try await timed {
      try await scan(after: 0, through: head) { page in
        for event in page { try verifier.check(event) }
      }
    }
    guard verifier.count == head else { throw BenchError("verified \(verifier.count) events of \(head)") }
    return time
  }

  /// The whole hash chain with two ``ChainVerifier``s, one per half of the log: the second
  /// starts from the stored hash of the last event of the first, which the first checks, so
  /// every link of the chain is checked. Answers the seconds taken.
  func verifyInHalves() async throws -> Double {
    let middle = head / 2
    return try await timed {
      let joint =
        middle == 0 ? HashChain.genesis : try await store.read(after: middle - 1, category: nil, limit: 1).first?.hash ?? Data()
      let counts = try await withThrowingTaskGroup(of: Int64.self) { group in
        for (start, end, previous) in [(Int64(0), middle, HashChain.genesis), (middle, head, joint)] {
          group.addTask {
            var verifier = ChainVerifier(after: start, previous: previous)
            try await scan(after: start, through: end) { page in
              for event in page { try verifier.check(event) }
            }
            return verifier.count
          }
        }
        return try await group.reduce(0, +)
      }
      guard counts == head else { throw BenchError("verified \(counts) events of \(head)") }
    }
  }

  /// Every event read and decoded into typed events, by two tasks (one per half of the log).
  /// Answers the seconds taken, and the seconds spent decoding alone (summed over both tasks).
  func decodeInHalves(with codec: EventCodec<FixtureEvent>) async throws -> (seconds: Double, decoding: Double) {
    let middle = head / 2
    var decoding = 0.0
    let time = try await timed {
      let (count, spent) = try await withThrowingTaskGroup(of: (Int, Double).self) { group in
        for (start, end) in [(Int64(0), middle), (middle, head)] {
          group.addTask {
            var count = 0
            var spent = Duration.zero
            try await scan(after: start, through: end) { page in
              let begun = ContinuousClock.now
              for event in page {
                switch try codec.decode(event) {
                case .bookingRequested(let booking): count += booking.seats > 0 ? 1 : 0
                case .bookingConfirmed(let booking): count += booking.feeYen > 0 ? 1 : 0
                case .caseOpened(let opened): count += opened.ownerAge > 0 ? 1 : 0
                case .depositPlaced(let deposit): count += deposit.amountYen > 0 ? 1 : 0
                }
              }
              spent += ContinuousClock.now - begun
            }
            return (count, seconds(spent))
          }
        }
        return try await group.reduce((0, 0.0)) { ($0.0 + $1.0, $0.1 + $1.1) }
      }
      guard count == Int(head) else { throw BenchError("decoded \(count) events of \(head)") }
      decoding = spent
    }
    return (time, decoding)
  }
}
