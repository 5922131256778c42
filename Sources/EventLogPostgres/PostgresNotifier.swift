import EventLog
import Logging
import PostgresNIO
import Synchronization

/// Wakes readers waiting for new events: at once for this process's seals, through LISTEN/NOTIFY
/// for other instances' (one notification per sealing commit, carrying the new head), and by
/// polling the head while anyone waits, in case a notification was lost (a reconnect, a restart).
///
/// The listening connection is opened on the first wait and kept until the store closes; after
/// a lost connection it listens again once the server answers.
final class PostgresNotifier: Sendable {
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
    var listener: Task<Void, Never>?
    var listening: PostgresConnection?
    var stopped = false
    var sealPending: (@Sendable () async -> Void)?
  }

  private let state = Mutex(State())
  private let client: PostgresClient
  private let connector: Connector
  private let logger: Logger
  private let location: String
  private let interval: Duration

  init(client: PostgresClient, connector: Connector, logger: Logger, location: String, interval: Duration) {
    self.client = client
    self.connector = connector
    self.logger = logger
    self.location = location
    self.interval = interval
  }

  /// What the poller runs when it finds committed events nobody sealed (an appender crashed).
  func whenPending(_ seal: @escaping @Sendable () async -> Void) {
    state.withLock { $0.sealPending = seal }
  }

  /// The log was sealed through `position` (by this process, or as a notification said).
  func advance(to position: Int64) {
    let (ready, head) = state.withLock { state -> ([CheckedContinuation<Int64, Never>], Int64) in
      state.head = Swift.max(state.head, position)
      return (Self.takeReady(&state, now: .now), state.head)
    }
    for continuation in ready { continuation.resume(returning: head) }
  }

  func wait(after position: Int64, timeout: Duration) async throws(EventLogError) -> Int64 {
    startListening()
    // A failed look (the server restarting) is not the waiter's failure: it waits, and the
    // poller looks again until the server answers or the timeout passes.
    if let (current, _) = try? await freshHead(), current > position { return current }
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

  /// Readers waiting now, and whether the listening connection is open (for tests).
  package var waiting: (waiters: Int, listening: Bool) {
    state.withLock { ($0.waiters.count, $0.listening != nil) }
  }

  func stop() {
    let (waiters, tasks, listening) = state.withLock { state in
      state.stopped = true
      let taken = (Array(state.waiters.values), [state.poller, state.listener], state.listening)
      state.waiters = [:]
      state.poller = nil
      state.listener = nil
      state.listening = nil
      return taken
    }
    for task in tasks { task?.cancel() }
    // Closing the listening connection ends its notification sequence.
    listening?.close().whenComplete { _ in }
    for waiter in waiters { waiter.continuation.resume(returning: -1) }
  }

  private func startListening() {
    state.withLock { state in
      guard state.listener == nil, !state.stopped else { return }
      state.listener = Task { await self.listen() }
    }
  }

  /// Listens on the channel on a connection of its own (not the pool's: it is held for the
  /// store's life); after a lost connection, listens again.
  private func listen() async {
    while !Task.isCancelled {
      do {
        let connection = try await connector.connect()
        let stopped = state.withLock { state in
          if !state.stopped { state.listening = connection }
          return state.stopped
        }
        if stopped {
          try? await connection.close()
          return
        }
        defer { state.withLock { $0.listening = nil } }
        do {
          try await connection.listen(on: Schema.channel) { notifications in
            // Anything sealed while not listening: look once now that notifications flow.
            _ = try? await self.freshHead()
            for try await notification in notifications {
              if let head = Int64(notification.payload) { self.advance(to: head) }
            }
          }
        } catch {
          // A connection is closed before it is let go, whatever ended the listening.
          try? await connection.close()
          throw error
        }
        try? await connection.close()
      } catch {
        logger.debug("listening stopped; listening again", metadata: ["error": "\(String(reflecting: error).prefix(200))"])
      }
      try? await Task.sleep(for: interval)
    }
  }

  /// The sealed head, and whether committed events wait for a sealer.
  private func freshHead() async throws(EventLogError) -> (Int64, Bool) {
    var head: Int64 = 0
    var pending = false
    do {
      let rows = try await client.query(
        "SELECT coalesce((SELECT max(position) FROM chain), 0), EXISTS (SELECT 1 FROM unsealed)", logger: logger)
      for try await (position, waiting) in rows.decode((Int64, Bool).self) { (head, pending) = (position, waiting) }
    } catch {
      throw EventLogError(postgres: error, location: location)
    }
    advance(to: head)
    return (head, pending)
  }

  private static func takeReady(_ state: inout State, now: ContinuousClock.Instant) -> [CheckedContinuation<Int64, Never>] {
    let ready = state.waiters.filter { $0.value.after < state.head || $0.value.deadline <= now }
    for id in ready.keys { state.waiters.removeValue(forKey: id) }
    return ready.values.map(\.continuation)
  }

  /// Polls while anyone waits; stops when no one does.
  private func poll() async {
    while !Task.isCancelled {
      try? await Task.sleep(for: interval)
      if let fresh = try? await freshHead(), fresh.1 {
        let seal = state.withLock { $0.sealPending }
        await seal?()
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
