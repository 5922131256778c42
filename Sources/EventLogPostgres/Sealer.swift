import EventLog
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// Gives committed events their positions, record times and hashes, in commit order.
///
/// One sealing transaction at a time across every instance (`pg_advisory_xact_lock`): it reads
/// the chain's head and every committed `unsealed` append, numbers their events from the head
/// on, chains the hashes, inserts the `chain` rows, deletes the `unsealed` rows, notifies
/// listeners, and commits durably. A transaction still in flight is simply not seen: it commits
/// later and is sealed by a later round, after everything sealed before it, so a reader can
/// never see position N+1 while N could still appear.
///
/// Appenders of this process wait here for their rows; whoever finds the sealer idle runs rounds
/// until no one waits (group commit for the chain: one flush seals every append committed
/// meanwhile, this instance's and others').
final class Sealer: Sendable {
  /// Positions and record time of one append's events.
  struct Sealed: Sendable {
    var positions: [Int64]
    var recordedAt: Int64
  }

  private struct Waiter {
    let rows: [Int64]
    let continuation: CheckedContinuation<Result<Sealed, EventLogError>, Never>
    var rounds = 0
  }

  private struct State {
    var waiters: [Waiter] = []
    var running = false
    var closed = false
  }

  private let state = Mutex(State())
  private let client: PostgresClient
  private let logger: Logger
  private let location: String
  private let batch: Int
  private let onSealed: @Sendable (Int64) -> Void
  private let rounds = Atomic<Int>(0)

  init(client: PostgresClient, logger: Logger, location: String, batch: Int, onSealed: @escaping @Sendable (Int64) -> Void) {
    self.client = client
    self.logger = logger
    self.location = location
    self.batch = batch
    self.onSealed = onSealed
  }

  /// How many sealing transactions this process has committed (an append that sealed inline counts).
  var roundCount: Int { rounds.load(ordering: .relaxed) }

  /// An appender of this process sealed in its own transaction.
  func countInlineRound() { rounds.add(1, ordering: .relaxed) }

  /// Waits until every row in `rows` is sealed (running rounds if no one else is) and answers
  /// their positions in the same order. With no rows: runs one round for whatever is pending.
  func seal(rows: [Int64]) async throws(EventLogError) -> Sealed {
    let result = await withCheckedContinuation { continuation in
      let start = state.withLock { state -> Bool? in
        if state.closed { return nil }
        state.waiters.append(Waiter(rows: rows, continuation: continuation))
        guard !state.running else { return false }
        state.running = true
        return true
      }
      switch start {
      case nil: continuation.resume(returning: .failure(.closed))
      case true?: Task { await self.drive() }
      case false?: break
      }
    }
    return try result.get()
  }

  func close() {
    let waiters = state.withLock { state in
      state.closed = true
      defer { state.waiters = [] }
      return state.waiters
    }
    for waiter in waiters { waiter.continuation.resume(returning: .failure(.closed)) }
  }

  /// Runs rounds while anyone waits.
  private func drive() async {
    var failures = 0
    while true {
      let waiters = state.withLock { state -> [Waiter] in
        let taken = state.waiters
        state.waiters = []
        if taken.isEmpty { state.running = false }
        return taken
      }
      if waiters.isEmpty { return }
      do {
        var sealed = try await round()
        var unresolved: [Waiter] = []
        for var waiter in waiters {
          if let answer = Self.answer(waiter.rows, from: sealed) {
            waiter.continuation.resume(returning: .success(answer))
          } else {
            waiter.rounds += 1
            unresolved.append(waiter)
          }
        }
        if !unresolved.isEmpty {
          // Sealed by another instance's round, or before this process asked.
          sealed = try await lookUp(unresolved.flatMap(\.rows))
          var again: [Waiter] = []
          for waiter in unresolved {
            if let answer = Self.answer(waiter.rows, from: sealed) {
              waiter.continuation.resume(returning: .success(answer))
            } else if waiter.rounds >= 100 {
              waiter.continuation.resume(
                returning: .failure(.storage("\(location): events \(waiter.rows.prefix(3)) are committed but were not sealed")))
            } else {
              again.append(waiter)
            }
          }
          requeue(again)
        }
        failures = 0
      } catch {
        failures += 1
        let failure = EventLogError(postgres: error, location: location)
        let closed = state.withLock { $0.closed }
        if failures >= 3 || closed {
          // The events are committed: a retry with the same event ids answers their positions.
          logger.error("sealing failed", metadata: ["error": "\(failure)"])
          for waiter in waiters { waiter.continuation.resume(returning: .failure(failure)) }
          failures = 0
        } else {
          requeue(waiters)
          try? await Task.sleep(for: .milliseconds(100 * failures))
        }
      }
    }
  }

  private func requeue(_ waiters: [Waiter]) {
    guard !waiters.isEmpty else { return }
    let dropped = state.withLock { state -> [Waiter] in
      if state.closed { return waiters }
      state.waiters.insert(contentsOf: waiters, at: 0)
      return []
    }
    for waiter in dropped { waiter.continuation.resume(returning: .failure(.closed)) }
  }

  private static func answer(_ rows: [Int64], from sealed: [Int64: (position: Int64, recordedAt: Int64)]) -> Sealed? {
    var positions: [Int64] = []
    positions.reserveCapacity(rows.count)
    var recordedAt: Int64 = 0
    for row in rows {
      guard let found = sealed[row] else { return nil }
      positions.append(found.position)
      recordedAt = found.recordedAt
    }
    return Sealed(positions: positions, recordedAt: recordedAt)
  }

  /// Positions of rows sealed already.
  private func lookUp(_ rows: [Int64]) async throws -> [Int64: (position: Int64, recordedAt: Int64)] {
    var found: [Int64: (position: Int64, recordedAt: Int64)] = [:]
    let result = try await client.query(
      "SELECT event, position, recorded_at FROM chain WHERE event = ANY(\(rows)::int8[])", logger: logger)
    for try await (row, position, recordedAt) in result.decode((Int64, Int64, Int64).self) {
      found[row] = (position, recordedAt)
    }
    return found
  }

  /// One sealing transaction (`kip_seal`, one round trip): everything committed and unsealed, up
  /// to `batch` appends. The hashes are computed by the server, exactly as ``HashChain`` does
  /// (the conformance suite and `kipctl verify` check them with it).
  private func round() async throws -> [Int64: (position: Int64, recordedAt: Int64)] {
    var sealed: [Int64: (position: Int64, recordedAt: Int64)] = [:]
    var head: Int64 = 0
    let logger = logger
    let batch = Int32(batch)
    let rows = try await client.withConnection { connection in
      try await connection.committed("SELECT sealed_event, sealed_position, sealed_at FROM kip_seal(\(batch))", logger: logger)
    }
    for row in rows {
      let (event, position, recordedAt) = try row.decode((Int64, Int64, Int64).self)
      sealed[event] = (position, recordedAt)
      head = Swift.max(head, position)
    }
    if head > 0 {
      rounds.add(1, ordering: .relaxed)
      onSealed(head)
    }
    return sealed
  }
}
