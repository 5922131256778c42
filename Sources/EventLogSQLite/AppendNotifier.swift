import EventLog
import Foundation
import GRDB
import Synchronization

/// Wakes readers waiting for new events: at once for this process's appends, and within a poll
/// interval for other processes', which it notices through `PRAGMA data_version` on a connection
/// of its own (the value changes when another connection commits).
final class AppendNotifier: Sendable {
  private struct Waiter {
    let after: Int64
    let deadline: ContinuousClock.Instant
    let continuation: CheckedContinuation<Int64, Never>
  }

  private struct State {
    var head: Int64 = -1
    var waiters: [Int: Waiter] = [:]
    var nextID = 0
    var poller: Task<Void, Never>?
    var stopped = false
  }

  private let state = Mutex(State())
  private let pool: DatabasePool
  private let path: String
  private let interval: Duration

  init(pool: DatabasePool, path: String, interval: Duration) {
    self.pool = pool
    self.path = path
    self.interval = interval
  }

  /// This process appended through `position`.
  func advance(to position: Int64) {
    let ready = state.withLock { state -> [CheckedContinuation<Int64, Never>] in
      state.head = Swift.max(state.head, position)
      return Self.takeReady(&state, now: .now)
    }
    let head = state.withLock { $0.head }
    for continuation in ready { continuation.resume(returning: head) }
  }

  func wait(after position: Int64, timeout: Duration) async throws(EventLogError) -> Int64 {
    let current = try await freshHead()
    if current > position { return current }
    let id = state.withLock { state -> Int in
      state.nextID += 1
      return state.nextID
    }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let resumeNow = state.withLock { state -> Int64? in
          if state.stopped || state.head > position || Task.isCancelled { return state.head }
          state.waiters[id] = Waiter(after: position, deadline: .now + timeout, continuation: continuation)
          if state.poller == nil { state.poller = Task { await self.poll() } }
          return nil
        }
        if let resumeNow { continuation.resume(returning: resumeNow) }
      }
    } onCancel: {
      let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
      waiter?.continuation.resume(returning: -1)
    }
  }

  func stop() {
    let (waiters, poller) = state.withLock { state in
      state.stopped = true
      let taken = (Array(state.waiters.values), state.poller)
      state.waiters = [:]
      state.poller = nil
      return taken
    }
    poller?.cancel()
    for waiter in waiters { waiter.continuation.resume(returning: -1) }
  }

  private func freshHead() async throws(EventLogError) -> Int64 {
    let head: Int64
    do { head = try await pool.read { db in try SQLiteEventStore.head(in: db).position } } catch {
      throw EventLogError(error, path: path)
    }
    state.withLock { $0.head = Swift.max($0.head, head) }
    return head
  }

  private static func takeReady(_ state: inout State, now: ContinuousClock.Instant) -> [CheckedContinuation<Int64, Never>] {
    let ready = state.waiters.filter { $0.value.after < state.head || $0.value.deadline <= now }
    for id in ready.keys { state.waiters.removeValue(forKey: id) }
    return ready.values.map(\.continuation)
  }

  /// Polls while anyone waits; stops when no one does.
  private func poll() async {
    var watcher: DatabaseQueue?
    var lastVersion: Int?
    while !Task.isCancelled {
      try? await Task.sleep(for: interval)
      do {
        if watcher == nil {
          var configuration = Configuration()
          configuration.readonly = true
          watcher = try DatabaseQueue(path: path, configuration: configuration)
        }
        let version = try await watcher?.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") }
        if version != lastVersion {
          lastVersion = version
          _ = try await freshHead()
        }
      } catch {
        watcher = nil
      }
      let (ready, head, done) = state.withLock { state in
        let ready = Self.takeReady(&state, now: .now)
        let done = state.waiters.isEmpty
        if done { state.poller = nil }
        return (ready, state.head, done)
      }
      for continuation in ready { continuation.resume(returning: head) }
      if done { return }
    }
  }
}
