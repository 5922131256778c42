public import EventLog
import Foundation
public import GRDB
import Synchronization

/// What an administrator sees of one projection.
public struct ProjectionStatus: Sendable, Codable, Equatable {
  public var name: String
  /// The version this code builds.
  public var version: Int
  /// The live generation's checkpoint (0 when none is live for this version).
  public var position: Int64
  public var head: Int64
  /// Events behind the head.
  public var lag: Int64
  /// Whether queries can be answered (a live generation of this version exists).
  public var ready: Bool
  /// A rebuild in progress: its checkpoint.
  public var rebuildPosition: Int64?
  /// Why it stopped, if it did.
  public var error: String?
}

/// Keeps a read-model database up to date with the log: one loop per projection that catches
/// up from its checkpoint and then follows the log live, in batches (pull-based, so a slow
/// projection never buffers the log in memory), and builds new generations beside the live one.
///
/// A failing event stops only its own projection, with the event's position and type.
public final class ProjectionRunner: Sendable {
  public let store: any EventStore
  public let database: DatabasePool
  let projections: [any Projection]
  let batchSize: Int
  /// Events per transaction while building a generation beside the live one.
  let rebuildBatchSize: Int
  private let failures = Mutex<[String: ProjectionError]>([:])
  private let progress = PositionWaiters()
  /// Wakes a projection's loop that stopped on a failing event (``rebuild(_:)`` signals it).
  private let restarts = RestartSignals()
  /// The next page of the log for a generation (`name/generation`), read while the previous one
  /// is folded, so reading and folding overlap on two cores: the position it starts after, and
  /// the read.
  private let readAhead = Mutex<[String: (after: Int64, page: Task<[RecordedEvent], any Error>)]>([:])

  /// Page cache of the read-model writer, in MiB: a rebuild's index inserts land all over the
  /// tables, and SQLite's default (2 MiB) sends most of them to the OS for pages.
  public static let writerCacheMegabytes = 64
  /// Events per transaction while building a generation, unless told otherwise.
  public static let defaultRebuildBatchSize = 20_000
  /// WAL pages after which the read model is checkpointed (SQLite's default is 1,000). A batch
  /// rewrites the same hot index pages again and again; checkpointing less often copies each of
  /// them into the file once for many batches, and syncs less, at the price of a WAL of up to
  /// about 40 MB.
  public static let walAutocheckpointPages = 10_000

  /// Opens (creating) the read-model database at `path` for these projections.
  ///
  /// A live generation folds at most `batchSize` events per transaction, so a reader sees it
  /// move soon; a generation being built is seen by no one until it switches, and folds
  /// `rebuildBatchSize` (at least `batchSize`) per transaction: each transaction rewrites the
  /// tables' hot index pages, so bigger ones write each page fewer times (a 1,000,000-event
  /// rebuild of the bookings fixture spent 12.8 µs of CPU per event in batches of 5,000 and 8.6 in
  /// batches of 20,000).
  public init(
    path: String, store: any EventStore, projections: [any Projection], batchSize: Int = 1000,
    rebuildBatchSize: Int = ProjectionRunner.defaultRebuildBatchSize, durable: Bool = false, secureDelete: Bool = false
  ) throws(ProjectionError) {
    self.store = store
    self.projections = projections
    self.batchSize = batchSize
    self.rebuildBatchSize = Swift.max(batchSize, rebuildBatchSize)
    var configuration = Configuration()
    configuration.busyMode = .timeout(5)
    // A read model can always be rebuilt from the log: NORMAL is enough unless asked.
    let synchronous = durable ? "FULL" : "NORMAL"
    // secure_delete (for read models that hold personal data): a row changed or deleted leaves
    // no copy of its old bytes in the file, so clearing erased data from the rows clears it from
    // the file too.
    configuration.prepareDatabase { db in
      if secureDelete { try db.execute(sql: "PRAGMA secure_delete = ON") }
      try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
    }
    do {
      database = try DatabasePool(path: path, configuration: configuration)
      try ProjectionCatalog.migrator.migrate(database)
      try database.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheMegabytes * 1024)")
        try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.walAutocheckpointPages)")
      }
    } catch {
      throw .storage("\(path): \(error)")
    }
  }

  func projection(named name: String) throws(ProjectionError) -> any Projection {
    guard let projection = projections.first(where: { $0.name == name }) else { throw .unknownProjection(name) }
    return projection
  }

  // MARK: - Running

  /// Runs every projection until the task is cancelled.
  public func run() async {
    await withTaskGroup(of: Void.self) { group in
      for projection in projections {
        group.addTask { await self.follow(projection) }
      }
    }
  }

  /// Catches every projection (or only `name`) up to the head once, then returns (tools and
  /// tests); `onProgress` hears each projection's checkpoint after every batch, with the head.
  public func catchUp(
    _ name: String? = nil, onProgress: (_ projection: String, _ position: Int64, _ head: Int64) -> Void = { _, _, _ in }
  ) async throws {
    let chosen = try name.map { name throws(ProjectionError) in [try projection(named: name)] } ?? projections
    for projection in chosen {
      try await prepare(projection)
      while try await stepRecordingFailures(projection) {
        let head = try await store.head().position
        let position = try await database.read { db in
          try ProjectionCatalog.building(projection.name, in: db)?.position ?? ProjectionCatalog.live(projection.name, in: db)?.position ?? 0
        }
        onProgress(projection.name, position, head)
      }
    }
  }

  /// One projection's loop: catch up, follow, and on a failing event stop, record why (in memory
  /// and in the catalog, so tools reading the file see it too) and wait until ``rebuild(_:)``
  /// asks it to start again, rather than return for good and leave a rebuild nobody steps.
  private func follow(_ projection: any Projection) async {
    while !Task.isCancelled {
      // Starting (again): an earlier failure is no longer current, even one recorded after the
      // rebuild that woke this loop had cleared it.
      restarts.clear(projection.name)
      failures.withLock { _ = $0.removeValue(forKey: projection.name) }
      do {
        try await prepare(projection)
        while !Task.isCancelled {
          if try await !step(projection) {
            let position = try await database.read { db in try ProjectionCatalog.live(projection.name, in: db)?.position ?? 0 }
            _ = try await store.waitForAppends(after: position, timeout: .seconds(1))
          }
        }
      } catch {
        if Task.isCancelled { return }
        await recordFailure(error, of: projection)
        await restarts.wait(projection.name)
      }
    }
  }

  /// Keeps why a projection stopped: in memory for ``status()``, and for a failing event in
  /// the failed generation's `failed_position/type/reason` (cleared by ``rebuild(_:)``, or when
  /// that generation folds past it).
  private func recordFailure(_ error: any Error, of projection: any Projection) async {
    let failure: ProjectionError
    var generation: Int64?
    switch error {
    case let failed as GenerationFailure:
      failure = failed.error
      generation = failed.generation
    case let error as ProjectionError: failure = error
    default: failure = .storage("\(error)")
    }
    // The catalog first: whoever hears of the failure from status() finds it in the file too.
    if let generation, case .applyFailed(_, let position, let type, let reason) = failure {
      _ = try? await database.write { db in
        try db.execute(
          sql: """
            UPDATE projection_generations SET failed_position = ?, failed_type = ?, failed_reason = ?
            WHERE projection = ? AND generation = ?
            """, arguments: [position, type, reason, projection.name, generation])
      }
    }
    failures.withLock { $0[projection.name] = failure }
  }

  /// Makes sure a generation of the current version is live or being built.
  func prepare(_ projection: any Projection) async throws {
    try await database.write { db in
      // Retired tables left by a file from an older release, which dropped them after the switch.
      try ProjectionCatalog.dropRetired(projection, in: db)
      let live = try ProjectionCatalog.live(projection.name, in: db)
      if live?.version == projection.version { return }
      if let building = try ProjectionCatalog.building(projection.name, in: db) {
        if building.version == projection.version { return }  // resume an interrupted build
        try Self.discard(building, of: projection, in: db)
      }
      try Self.startGeneration(of: projection, in: db)
    }
  }

  /// ``step(_:)`` for callers that end on a failure (``catchUp(_:onProgress:)``): the failure
  /// is recorded in the catalog as the follow loop records it, and thrown as a ``ProjectionError``.
  private func stepRecordingFailures(_ projection: any Projection) async throws -> Bool {
    do { return try await step(projection) } catch {
      await recordFailure(error, of: projection)
      throw (error as? GenerationFailure)?.error ?? error
    }
  }

  /// One batch of work: a batch of a rebuild, then a batch of the live generation.
  /// Answers whether anything moved.
  func step(_ projection: any Projection) async throws -> Bool {
    var moved = false
    if let building = try await database.read({ db in try ProjectionCatalog.building(projection.name, in: db) }) {
      let head = try await store.head().position
      let events = try await page(
        after: building.position, limit: rebuildBatchSize, of: projection.name, generation: building.generation)
      if !events.isEmpty {
        try await apply(events, to: building.generation, of: projection)
        moved = true
      }
      if (events.last?.position ?? building.position) >= head {
        try await switchToBuilt(projection)
        moved = true
      }
    }
    if let live = try await database.read({ db in try ProjectionCatalog.live(projection.name, in: db) }), live.version == projection.version {
      let events = try await page(after: live.position, limit: batchSize, of: projection.name, generation: live.generation)
      if !events.isEmpty {
        try await apply(events, to: live.generation, of: projection)
        moved = true
      }
    }
    return moved
  }

  /// The page of the log after `position` for one generation: the one read ahead if it starts
  /// there and is not empty, else a fresh read. A full page starts reading the next one.
  private func page(after position: Int64, limit: Int, of name: String, generation: Int64) async throws -> [RecordedEvent] {
    let key = "\(name)/\(generation)"
    var events: [RecordedEvent] = []
    if let ahead = readAhead.withLock({ $0.removeValue(forKey: key) }) {
      if ahead.after == position, let page = try? await ahead.page.value, page.count <= limit { events = page } else { ahead.page.cancel() }
    }
    // An empty page read ahead may be stale: the log may have grown since.
    if events.isEmpty { events = try await store.read(after: position, category: nil, limit: limit) }
    if events.count >= limit, let last = events.last?.position {
      let store = store
      let next = Task { try await store.read(after: last, category: nil, limit: limit) }
      readAhead.withLock { $0.updateValue((last, next), forKey: key) }?.page.cancel()
    }
    return events
  }

  /// Folds `events` into one generation and moves its checkpoint, in one transaction.
  private func apply(_ events: [RecordedEvent], to generation: Int64, of projection: any Projection) async throws {
    let position: Int64? = try await database.write { db in
      guard var record = try GenerationRecord.fetchOne(db, key: ["projection": projection.name, "generation": generation]),
        record.state != "retired"
      else { return nil }
      let set = TableSet(projection: projection.name, generation: generation)
      let checkpoint = record.position
      let batch = events.drop { $0.position <= checkpoint }
      guard let last = batch.last else { return nil }
      do { try projection.apply(batch: batch, in: db, set) } catch let failure as ProjectionEventFailure {
        throw GenerationFailure(
          generation: generation,
          error: .applyFailed(projection: projection.name, position: failure.position, type: failure.type, reason: "\(failure.reason)"))
      } catch {
        let first = batch[batch.startIndex]
        throw GenerationFailure(
          generation: generation,
          error: .applyFailed(projection: projection.name, position: first.position, type: first.type, reason: "\(error)"))
      }
      record.position = last.position
      // Folded past an event that once failed (the code was fixed): the failure is history.
      if let failed = record.failedPosition, failed <= last.position {
        record.failedPosition = nil
        record.failedType = nil
        record.failedReason = nil
      }
      try record.update(db)
      return record.state == "live" ? last.position : nil
    }
    if let position { progress.advance(projection.name, to: position) }
  }

  /// The switch: the built generation becomes live and the old one is retired and dropped, in
  /// one transaction, so no one ever sees the new pointer beside the old tables. Readers in
  /// the middle of a read of the old tables keep their WAL snapshot and finish undisturbed.
  private func switchToBuilt(_ projection: any Projection) async throws {
    let position: Int64? = try await database.write { db in
      guard var building = try ProjectionCatalog.building(projection.name, in: db) else { return nil }
      if var live = try ProjectionCatalog.live(projection.name, in: db) {
        live.state = "retired"
        try live.update(db)
      }
      building.state = "live"
      try building.update(db)
      try ProjectionCatalog.dropRetired(projection, in: db)
      return building.position
    }
    if let position { progress.advance(projection.name, to: position) }
  }

  static func startGeneration(of projection: any Projection, in db: Database) throws {
    let generation = try ProjectionCatalog.nextGeneration(projection.name, in: db)
    try projection.createTables(in: db, TableSet(projection: projection.name, generation: generation))
    let tables = String(decoding: try JSONEncoder().encode(projection.tables), as: UTF8.self)
    try GenerationRecord(
      projection: projection.name, generation: generation, version: projection.version, position: 0, state: "building",
      tables: tables
    ).insert(db)
  }

  static func discard(_ record: GenerationRecord, of projection: any Projection, in db: Database) throws {
    let set = TableSet(projection: projection.name, generation: record.generation)
    for table in projection.tables { try db.execute(sql: "DROP TABLE IF EXISTS \"\(set.table(table))\"") }
    try record.delete(db)
  }

  // MARK: - Administration

  /// Starts building a new generation beside the live one; the live one keeps answering until
  /// the new one has caught up and the pointer switches. A rebuild already running is kept
  /// (it resumes from its checkpoint).
  ///
  /// A projection stopped by a failing event starts again: its recorded failure is cleared and
  /// its loop wakes, so a release that fixed the folding code rebuilds it back to live. If the
  /// event still fails, the failure is recorded again.
  public func rebuild(_ name: String) async throws {
    let projection = try projection(named: name)
    failures.withLock { _ = $0.removeValue(forKey: name) }
    try await database.write { db in
      try db.execute(
        sql: """
          UPDATE projection_generations SET failed_position = NULL, failed_type = NULL, failed_reason = NULL
          WHERE projection = ?
          """, arguments: [name])
      if try ProjectionCatalog.building(name, in: db) != nil { return }
      try Self.startGeneration(of: projection, in: db)
    }
    restarts.signal(name)
  }

  /// Name, version, checkpoint, lag and errors of every projection.
  public func status() async throws -> [ProjectionStatus] {
    let head = try await store.head().position
    let failures = failures.withLock { $0 }
    return try await database.read { db in
      try self.projections.map { projection in
        let live = try ProjectionCatalog.live(projection.name, in: db)
        let building = try ProjectionCatalog.building(projection.name, in: db)
        let ready = live?.version == projection.version
        let position = ready ? live?.position ?? 0 : 0
        // A failure this process saw, else one the catalog kept (another process, or before a restart).
        let recorded = [building, live].compactMap { $0?.failure(of: projection.name) }.first
        return ProjectionStatus(
          name: projection.name, version: projection.version, position: position, head: head, lag: head - position,
          ready: ready, rebuildPosition: building?.position, error: (failures[projection.name] ?? recorded)?.description)
      }
    }
  }

  /// Reads the live generation's tables; throws ``ProjectionError/notReady(projection:position:head:)``
  /// while no generation of this version is live (answer 503 with Retry-After).
  public func read<T: Sendable>(_ name: String, _ body: @escaping @Sendable (Database, TableSet) throws -> T) async throws -> T {
    let projection = try projection(named: name)
    let head = try await store.head().position
    return try await database.read { db in
      guard let live = try ProjectionCatalog.live(name, in: db), live.version == projection.version else {
        let building = try ProjectionCatalog.building(name, in: db)?.position ?? 0
        throw ProjectionError.notReady(projection: name, position: building, head: head)
      }
      return try body(db, TableSet(projection: name, generation: live.generation))
    }
  }

  /// Waits, at most `timeout`, until `projection`'s live generation has applied `position`
  /// (read-your-writes). Answers whether it got there.
  /// Checkpoints the WAL into the file and truncates it: after personal data was cleared from a
  /// read model, no page image of the old rows is left in the WAL either.
  public func truncateWAL() async throws {
    // A reader still on an older snapshot keeps the WAL busy for a moment: try again briefly.
    var attempt = 0
    while true {
      do {
        try await database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        return
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 50 {
        attempt += 1
        try await Task.sleep(for: .milliseconds(20))
      } catch {
        throw ProjectionError.storage("checkpoint: \(error)")
      }
    }
  }

  public func waitUntil(_ name: String, reached position: Int64, timeout: Duration) async throws -> Bool {
    let current = try await database.read { db in try ProjectionCatalog.live(name, in: db)?.position ?? 0 }
    if current >= position { return true }
    return await progress.wait(name, for: position, timeout: timeout)
  }

  /// SHA-256 over the live tables' rows in primary-key order: equal for equal contents, whatever
  /// the file's bytes.
  public func checksum(_ name: String) async throws -> String {
    let projection = try projection(named: name)
    return try await read(name) { db, set in try Checksum.of(projection, set, in: db) }
  }
}

/// A failing event in one generation: the follow loop records it on that generation's row.
struct GenerationFailure: Error {
  let generation: Int64
  let error: ProjectionError
}

/// One wake-up per projection for a loop that stopped on a failure: ``signal(_:)`` before the
/// loop waits is kept, so a rebuild that races the failure is not lost.
final class RestartSignals: Sendable {
  private struct Entry {
    var pending = false
    var waiter: CheckedContinuation<Void, Never>?
  }

  private let entries = Mutex<[String: Entry]>([:])

  /// Forgets an earlier signal: the loop is starting again anyway.
  func clear(_ name: String) { entries.withLock { $0[name]?.pending = false } }

  func signal(_ name: String) {
    let waiter = entries.withLock { entries -> CheckedContinuation<Void, Never>? in
      var entry = entries[name] ?? Entry()
      defer { entries[name] = entry }
      guard let waiter = entry.waiter else {
        entry.pending = true
        return nil
      }
      entry.waiter = nil
      return waiter
    }
    waiter?.resume()
  }

  /// Returns on the next signal (or at once for one already given), or when the task is cancelled.
  func wait(_ name: String) async {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = entries.withLock { entries -> Bool in
          var entry = entries[name] ?? Entry()
          defer { entries[name] = entry }
          if entry.pending || Task.isCancelled {
            entry.pending = false
            return true
          }
          entry.waiter = continuation
          return false
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      entries.withLock { entries in
        defer { entries[name]?.waiter = nil }
        return entries[name]?.waiter
      }?.resume()
    }
  }
}

/// Waiters for a projection's live checkpoint to pass a position.
final class PositionWaiters: Sendable {
  private struct Waiter {
    let projection: String
    let position: Int64
    let continuation: CheckedContinuation<Bool, Never>
  }

  /// Positions reached, waiting continuations, the next waiter's id, the ids of calls in
  /// progress, and those whose time ran out before their continuation was stored (so a short
  /// timeout cannot strand a waiter).
  private let state = Mutex<
    (positions: [String: Int64], waiters: [Int: Waiter], next: Int, calls: Set<Int>, expired: Set<Int>)
  >(([:], [:], 0, [], []))

  func advance(_ projection: String, to position: Int64) {
    let ready = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
      state.positions[projection] = Swift.max(state.positions[projection] ?? 0, position)
      let done = state.waiters.filter { $0.value.projection == projection && $0.value.position <= position }
      for id in done.keys { state.waiters.removeValue(forKey: id) }
      return done.values.map(\.continuation)
    }
    for continuation in ready { continuation.resume(returning: true) }
  }

  func wait(_ projection: String, for position: Int64, timeout: Duration) async -> Bool {
    let id = state.withLock { state -> Int in
      state.next += 1
      state.calls.insert(state.next)
      return state.next
    }
    let timer = Task {
      try? await Task.sleep(for: timeout)
      let waiter = state.withLock { state in
        guard let waiter = state.waiters.removeValue(forKey: id) else {
          if state.calls.contains(id) { state.expired.insert(id) }
          return nil as Waiter?
        }
        return waiter
      }
      waiter?.continuation.resume(returning: false)
    }
    defer {
      timer.cancel()
      state.withLock { state in
        state.calls.remove(id)
        state.expired.remove(id)
      }
    }
    return await withCheckedContinuation { continuation in
      let answer = state.withLock { state -> Bool? in
        if (state.positions[projection] ?? 0) >= position { return true }
        if state.expired.contains(id) { return false }
        state.waiters[id] = Waiter(projection: projection, position: position, continuation: continuation)
        return nil
      }
      if let answer { continuation.resume(returning: answer) }
    }
  }
}
