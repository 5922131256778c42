public import EventLog
import Foundation
import GRDB
import Synchronization

/// The event log in one SQLite file (WAL, `synchronous=FULL`): the embedded default.
///
/// Appends from many tasks of one process share transactions and fsyncs (group commit); other
/// processes may open the same file, and SQLite's lock with a busy timeout orders them.
public final class SQLiteEventStore: EventStore {
  public let configuration: SQLiteConfiguration
  let pool: DatabasePool
  let committer: GroupCommitter
  let notifier: AppendNotifier
  /// Whole-log pages being read ahead: after a full page, the next one (after its last position,
  /// of the same size) is read at once, so a scan's next page is built while the reader works on
  /// this one. A few at a time, for scans running side by side; the oldest is dropped.
  private let readAhead = Mutex<[(after: Int64, limit: Int, page: Task<[RecordedEvent], any Error>)]>([])
  static let readAheadSlots = 4

  public var capabilities: StoreCapabilities {
    StoreCapabilities(sealsAtAppend: true, sharedAcrossProcesses: true)
  }

  /// Opens (and creates, unless told not to) the log at `configuration.path`.
  public static func open(_ configuration: SQLiteConfiguration) async throws(EventLogError) -> SQLiteEventStore {
    let path = configuration.path
    let exists = FileManager.default.fileExists(atPath: path)
    if !exists {
      guard configuration.createIfMissing, !configuration.readOnly else { throw .notFound("\(path) does not exist") }
      let folder = (path as NSString).deletingLastPathComponent
      if !folder.isEmpty {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
          throw .notFound("cannot create folder \(folder): \(error.localizedDescription)")
        }
      }
    }
    var grdb = Configuration()
    grdb.readonly = configuration.readOnly
    grdb.busyMode = .timeout(configuration.busyTimeout.timeInterval)
    grdb.label = "kip-events"
    let synchronous = configuration.durability == .full ? "FULL" : "NORMAL"
    let maximumPageCount = configuration.maximumPageCount
    grdb.prepareDatabase { db in
      if !db.configuration.readonly {
        try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
      }
      if let maximumPageCount {
        try db.execute(sql: "PRAGMA max_page_count = \(maximumPageCount)")
      }
    }
    // A new file switches to WAL and gets its schema while other processes may be opening it too
    // (the three services at start-up): SQLite answers BUSY there without waiting, so retry.
    let deadline = ContinuousClock.now + configuration.busyTimeout
    while true {
      do {
        return try await openPool(path: path, configuration: configuration, grdb: grdb, synchronous: synchronous)
      } catch .busy(let reason) {
        guard ContinuousClock.now < deadline else { throw .busy(reason) }
        try? await Task.sleep(for: .milliseconds(20))
      }
    }
  }

  private static func openPool(
    path: String, configuration: SQLiteConfiguration, grdb: Configuration, synchronous: String
  ) async throws(EventLogError) -> SQLiteEventStore {
    do {
      let pool = try DatabasePool(path: path, configuration: grdb)
      if !configuration.readOnly {
        try await pool.writeWithoutTransaction { db in
          try Schema.migrate(db)
          // GRDB switches to WAL after prepareDatabase with synchronous=NORMAL: set it again.
          try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
      }
      try await pool.read { db in
        guard try db.tableExists("events") else {
          throw EventLogError.corrupt("\(path) is a SQLite database but not an event log")
        }
      }
      return SQLiteEventStore(configuration: configuration, pool: pool)
    } catch {
      throw EventLogError(error, path: path)
    }
  }

  /// Opens `sqlite://` locations.
  public static func open(_ location: LogLocation, durability: SQLiteConfiguration.Durability = .full) async throws(EventLogError)
    -> SQLiteEventStore
  {
    guard case .sqlite(let path) = location else {
      throw .invalidLocation(location.description, reason: "not a sqlite:// location")
    }
    var configuration = SQLiteConfiguration(path: path)
    configuration.durability = durability
    return try await open(configuration)
  }

  /// How many write transactions group commit has run (appends share them under load).
  public var transactionCount: Int { committer.transactionCount }

  init(configuration: SQLiteConfiguration, pool: DatabasePool) {
    self.configuration = configuration
    self.pool = pool
    self.notifier = AppendNotifier(pool: pool, path: configuration.path, interval: configuration.pollInterval)
    self.committer = GroupCommitter(pool: pool, configuration: configuration)
  }

  /// The `synchronous` setting the writer connection uses (2 = FULL, 1 = NORMAL).
  public func synchronousSetting() async throws(EventLogError) -> Int {
    do { return try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 } } catch {
      throw EventLogError(error, path: configuration.path)
    }
  }

  public func append(_ append: Append) async throws(EventLogError) -> AppendResult {
    guard !configuration.readOnly else { throw .readOnly("\(configuration.path) was opened read-only") }
    let result = await committer.submit(append)
    if case .success(let done) = result, let last = done.lastPosition { notifier.advance(to: last) }
    return try result.get()
  }

  public func read(
    stream: StreamName, from version: Int64?, direction: ReadDirection, limit: Int
  ) async throws(EventLogError) -> [RecordedEvent] {
    guard limit > 0 else { return [] }
    let sql: String
    switch direction {
    case .forwards:
      sql = "SELECT \(Schema.columns) FROM events WHERE stream = ? AND version >= ? ORDER BY version LIMIT ?"
    case .backwards:
      sql = "SELECT \(Schema.columns) FROM events WHERE stream = ? AND version <= ? ORDER BY version DESC LIMIT ?"
    }
    let from = version ?? (direction == .forwards ? 0 : Int64.max)
    return try await reading { db in
      let statement = RawStatement(try db.cachedStatement(sql: sql), in: db)
      statement.bind(1, stream.rawValue)
      statement.bind(2, from)
      statement.bind(3, Int64(limit))
      return try statement.recordedEvents(capacity: Swift.min(limit, 1024))
    }
  }

  public func read(after position: Int64, category: String?, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
    guard limit > 0 else { return [] }
    if let category {
      try validateCategory(category)
      return try await reading { db in
        let statement = RawStatement(try db.cachedStatement(sql: Schema.categoryAfter), in: db)
        statement.bind(1, category)
        statement.bind(2, position)
        statement.bind(3, Int64(limit))
        return try statement.recordedEvents(capacity: Swift.min(limit, 4096))
      }
    }
    // A full page read ahead is exactly what a fresh read would give: events never change and
    // positions are dense. A short one may be stale (the log may have grown since), so it is not used.
    let ahead = readAhead.withLock { slots -> Task<[RecordedEvent], any Error>? in
      guard let index = slots.firstIndex(where: { $0.after == position && $0.limit == limit }) else { return nil }
      return slots.remove(at: index).page
    }
    var page: [RecordedEvent] = []
    if let ahead, case .success(let events) = await ahead.result, events.count == limit { page = events }
    if page.isEmpty { page = try await readPage(after: position, limit: limit) }
    if page.count == limit, limit >= Self.smallestReadAhead, let last = page.last?.position {
      let next = Task { try await self.readPage(after: last, limit: limit) }
      let dropped = readAhead.withLock { slots -> Task<[RecordedEvent], any Error>? in
        slots.append((last, limit, next))
        return slots.count > Self.readAheadSlots ? slots.removeFirst().page : nil
      }
      dropped?.cancel()
    }
    return page
  }

  /// Lends SQLite's own column buffers: each row is handed to `body` while the statement is on it,
  /// in one read transaction, and nothing is copied (no `RecordedEvent`, no `Data`, no `String`).
  /// The page is not split or read ahead as `read` does: the caller runs scans side by side
  /// (halves of the log) to use more cores.
  public func scan<State: Sendable>(
    after position: Int64, category: String?, limit: Int, into state: inout State,
    _ body: @Sendable (inout State, borrowing BorrowedEvent) throws -> Void
  ) async throws -> ScanSummary {
    guard limit > 0 else { return ScanSummary(count: 0, through: position) }
    if let category { try validateCategory(category) }
    let start = state
    let end: (State, ScanSummary)
    do {
      end = try await pool.read { db in
        let statement: RawStatement
        if let category {
          statement = RawStatement(try db.cachedStatement(sql: Schema.categoryAfter), in: db)
          statement.bind(1, category)
          statement.bind(2, position)
          statement.bind(3, Int64(limit))
        } else {
          statement = RawStatement(try db.cachedStatement(sql: Schema.logAfter), in: db)
          statement.bind(1, position)
          statement.bind(2, Int64(limit))
        }
        // The buffers lent to `body` die with the row: reset before leaving, also on a throw.
        defer { statement.reset() }
        var working = start
        var count = 0
        var through = position
        while try statement.step() {
          let event = statement.borrowedEvent()
          do { try body(&working, event) } catch { throw ScanBodyFailure(error: error) }
          count += 1
          through = event.position
        }
        return (working, ScanSummary(count: count, through: through))
      }
    } catch let failure as ScanBodyFailure {
      throw failure.error
    } catch {
      throw EventLogError(error, path: configuration.path)
    }
    state = end.0
    return end.1
  }

  /// Pages smaller than this are not read ahead.
  static let smallestReadAhead = 512

  /// Up to `limit` events of the whole log after `position`.
  private func readPage(after position: Int64, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
    guard limit >= 2 * Self.smallestHalfPage else { return try await readAll(after: position, limit: limit, capacity: limit) }
    // A large page of the whole log is read as two halves at once, on two reader connections:
    // turning rows into events (copying the bytes out of SQLite) is the cost, and it splits.
    // Positions are dense, so the second half starts at `position + half`; it is used only if
    // the first half really ended there (its snapshot had all of it), so the page never has a gap.
    let half = limit / 2
    async let second = readAll(after: position + Int64(half), limit: limit - half, capacity: limit - half)
    var first = try await readAll(after: position, limit: half, capacity: limit)
    let rest: [RecordedEvent]
    do { rest = try await second } catch { return first }
    guard first.count == half, first.last?.position == position + Int64(half), rest.first?.position == position + Int64(half) + 1
    else { return first }
    first.append(contentsOf: rest)
    return first
  }

  /// Pages smaller than twice this are read by one connection: splitting costs a task and a read
  /// transaction, worth it only for many rows.
  static let smallestHalfPage = 256

  /// Up to `limit` events of the whole log after `position`, in one read transaction.
  private func readAll(after position: Int64, limit: Int, capacity: Int) async throws(EventLogError) -> [RecordedEvent] {
    try await reading { db in
      let statement = RawStatement(try db.cachedStatement(sql: Schema.logAfter), in: db)
      statement.bind(1, position)
      statement.bind(2, Int64(limit))
      return try statement.recordedEvents(capacity: Swift.min(capacity, 8192))
    }
  }

  public func version(of stream: StreamName) async throws(EventLogError) -> Int64? {
    try await reading { db in
      let statement = RawStatement(try db.cachedStatement(sql: Schema.streamVersion), in: db)
      statement.bind(1, stream.rawValue)
      defer { statement.reset() }
      return try statement.step() ? statement.int64(0) : nil
    }
  }

  public func head() async throws(EventLogError) -> LogHead {
    try await reading { db in try Self.head(in: db) }
  }

  static func head(in db: Database) throws -> LogHead {
    let statement = RawStatement(try db.cachedStatement(sql: Schema.lastEvent), in: db)
    defer { statement.reset() }
    guard try statement.step() else { return .empty }
    let position = statement.int64(0)
    return LogHead(position: position, hash: statement.data(1), sealedThrough: position)
  }

  public func idempotencyRecord(scope: String, key: String) async throws(EventLogError) -> IdempotencyRecord? {
    try await reading { db in try IdempotencyTable.find(scope: scope, key: key, in: db) }
  }

  public func waitForAppends(after position: Int64, timeout: Duration) async throws(EventLogError) -> Int64 {
    try await notifier.wait(after: position, timeout: timeout)
  }

  public func close() async {
    let pending = readAhead.withLock { slots in
      defer { slots.removeAll() }
      return slots.map(\.page)
    }
    for page in pending {
      page.cancel()
      _ = await page.result
    }
    notifier.stop()
    try? pool.close()
  }

  /// Runs a bounded read transaction (one page), so a reader never pins the WAL for long.
  func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(EventLogError) -> T {
    do { return try await pool.read(body) } catch { throw EventLogError(error, path: configuration.path) }
  }
}

/// What a scan's closure threw, carried out of the read unchanged (not mapped as a SQLite failure).
private struct ScanBodyFailure: Error {
  let error: any Error
}

extension Duration {
  /// Seconds as a floating-point interval, for APIs that take one.
  var timeInterval: TimeInterval {
    let (seconds, attoseconds) = components
    return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
  }
}
