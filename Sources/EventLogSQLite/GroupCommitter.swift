import EventLog
import Foundation
import GRDB
import Synchronization

/// Group commit: appenders queue up; whoever finds the writer idle drains the whole queue in
/// one transaction (one fsync), then everyone is answered.
///
/// Under load the queue fills while a commit is flushing, so batches grow to match the disk's
/// flush rate on their own: no timer, no added latency for a lone writer.
///
/// The draining runs on a serial dispatch queue of its own and commits with GRDB's synchronous
/// API: one thread hand-off to get there and one back, instead of four through a task and
/// GRDB's async writer (a fifth of an append on this machine), and an fsync never blocks a
/// thread of Swift's cooperative pool.
final class GroupCommitter: Sendable {
  private struct Waiting {
    let append: Append
    let continuation: CheckedContinuation<Result<AppendResult, EventLogError>, Never>
  }

  private struct Queue {
    var waiting: [Waiting] = []
    var draining = false
  }

  private let queue = Mutex(Queue())
  private let transactions = Atomic<Int>(0)

  var transactionCount: Int { transactions.load(ordering: .relaxed) }
  private let pool: DatabasePool
  private let configuration: SQLiteConfiguration
  private let drainQueue = DispatchQueue(label: "kip.event-log.group-commit")

  init(pool: DatabasePool, configuration: SQLiteConfiguration) {
    self.pool = pool
    self.configuration = configuration
  }

  func submit(_ append: Append) async -> Result<AppendResult, EventLogError> {
    await withCheckedContinuation { continuation in
      let startDraining = queue.withLock { queue in
        queue.waiting.append(Waiting(append: append, continuation: continuation))
        guard !queue.draining else { return false }
        queue.draining = true
        return true
      }
      if startDraining {
        drainQueue.async { self.drain() }
      }
    }
  }

  private func drain() {
    let limit = configuration.maximumGroupSize
    while true {
      let group: [Waiting] = queue.withLock { queue in
        let group = Array(queue.waiting.prefix(limit))
        queue.waiting.removeFirst(group.count)
        if group.isEmpty { queue.draining = false }
        return group
      }
      if group.isEmpty { return }
      let results = commit(group.map(\.append))
      for (waiting, result) in zip(group, results) {
        waiting.continuation.resume(returning: result)
      }
    }
  }

  /// Commits a group in one `BEGIN IMMEDIATE` transaction; a failure of the transaction itself
  /// (disk full, lock timeout) fails every member, and nothing of it is written.
  private func commit(_ appends: [Append]) -> [Result<AppendResult, EventLogError>] {
    let now = configuration.clock().millisecondsSince1970
    transactions.add(1, ordering: .relaxed)
    do {
      return try pool.writeWithoutTransaction { db in
        var results: [Result<AppendResult, EventLogError>] = []
        try db.inTransaction(.immediate) {
          var transaction = try AppendTransaction(db: db, now: now)
          results = try transaction.apply(appends)
          return .commit
        }
        return results
      }
    } catch {
      let failure = EventLogError(error, path: configuration.path)
      return appends.map { _ in .failure(failure) }
    }
  }
}
