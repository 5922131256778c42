public import EventLog
import Foundation
public import Logging
import PostgresNIO

/// The event log on PostgreSQL (postgres-nio): for installations with several service instances.
///
/// Appenders write their events and commit without waiting for a flush (`synchronous_commit`
/// off for their own transactions); one sealer at a time (an advisory lock) then gives the
/// committed events their positions, record times and hashes, in one durable transaction that
/// also makes the appenders' commits durable (WAL is flushed in order). An append returns once
/// its events are sealed, so it answers its positions and readers never see a gap or a position
/// out of commit order. See docs/architecture.md for the alternatives measured.
public final class PostgresEventStore: EventStore {
  public let configuration: PostgresConfiguration
  let client: PostgresClient
  let logger: Logger
  let sealer: Sealer
  let notifier: PostgresNotifier
  private let running: Task<Void, Never>

  public var capabilities: StoreCapabilities {
    StoreCapabilities(sealsAtAppend: false, sharedAcrossProcesses: true)
  }

  var location: String { configuration.redactedDescription }

  /// How many sealing transactions this process has committed (appends share them under load).
  public var sealRounds: Int { sealer.roundCount }

  /// Connects, and creates or upgrades the schema. Events a crashed appender committed but did
  /// not see sealed are sealed by the next append, or by a subscriber's poll.
  public static func open(_ configuration: PostgresConfiguration, logger: Logger? = nil) async throws(EventLogError)
    -> PostgresEventStore
  {
    let logger = logger ?? Logger(label: "kip.event-log.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    let connector = try Connector(configuration: configuration, logger: logger)
    // One direct connection first: a wrong host, password, database or sslmode fails here with
    // the server's reason, where the pool would keep retrying in the background.
    do {
      let connection = try await withDeadline(configuration.connectTimeout + .seconds(2), what: "connecting to \(configuration.redactedDescription)") {
        try await connector.connect()
      }
      do {
        try await migrate(on: connection, logger: logger, location: configuration.redactedDescription)
      } catch {
        try? await connection.close()
        throw error
      }
      try? await connection.close()
    } catch {
      throw EventLogError(postgres: error, location: configuration.redactedDescription)
    }
    return PostgresEventStore(configuration: configuration, connector: connector, logger: logger)
  }

  /// Opens `postgres://` locations.
  public static func open(_ location: LogLocation, logger: Logger? = nil) async throws(EventLogError) -> PostgresEventStore {
    guard case .postgres(let url) = location else {
      throw .invalidLocation(location.description, reason: "not a postgres:// location")
    }
    return try await open(try PostgresConfiguration(url: url), logger: logger)
  }

  init(configuration: PostgresConfiguration, connector: Connector, logger: Logger) {
    self.configuration = configuration
    self.logger = logger
    var client = PostgresClient.Configuration(
      host: configuration.host, port: configuration.port, username: configuration.username,
      password: configuration.password, database: configuration.database, tls: connector.clientTLS)
    client.options.connectTimeout = configuration.connectTimeout
    client.options.maximumConnections = configuration.maximumConnections
    client.options.keepAliveBehavior = .init(frequency: .seconds(30))
    client.options.additionalStartupParameters = Connector.startupParameters(configuration)
    let postgres = PostgresClient(configuration: client, backgroundLogger: logger)
    self.client = postgres
    // The pool serves leases only while run() runs: start it before the first query.
    running = Task { await postgres.run() }
    let location = configuration.redactedDescription
    let notifier = PostgresNotifier(
      client: postgres, connector: connector, logger: logger, location: location, interval: configuration.pollInterval)
    self.notifier = notifier
    sealer = Sealer(
      client: postgres, logger: logger, location: location, batch: configuration.maximumSealBatch,
      onSealed: { head in notifier.advance(to: head) })
    notifier.whenPending { [sealer] in _ = try? await sealer.seal(rows: []) }
  }

  /// Applies missing migrations under an advisory lock, so instances starting together do not race.
  static func migrate(on connection: PostgresConnection, logger: Logger, location: String) async throws {
    try await transaction(connection, logger: logger) {
      try await connection.query(
        "SELECT pg_advisory_xact_lock(\(Schema.migrationLock)), set_config('synchronous_commit', 'on', true)", logger: logger
      ).all()
      try await connection.query(
        "CREATE TABLE IF NOT EXISTS kip_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
        logger: logger
      ).all()
      var applied = 0
      for try await version in try await connection.query(
        "SELECT coalesce(max(version), 0) FROM kip_schema_migrations", logger: logger
      ).decode(Int.self) {
        applied = version
      }
      guard applied <= Schema.migrations.count else {
        throw EventLogError.corrupt(
          "\(location): the log's schema version \(applied) is newer than this program (\(Schema.migrations.count))")
      }
      for (index, migration) in Schema.migrations.enumerated().dropFirst(applied) {
        // One statement per query: the extended protocol takes one.
        for statement in migration {
          try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).all()
        }
        try await connection.query("INSERT INTO kip_schema_migrations (version) VALUES (\(index + 1))", logger: logger).all()
      }
    }
  }

  public func append(_ append: Append) async throws(EventLogError) -> AppendResult {
    try AppendTransaction.validate(append)
    var attempt = 0
    while true {
      attempt += 1
      let outcome: AppendTransaction.Outcome
      do {
        let now = configuration.clock().millisecondsSince1970
        outcome = try await client.withConnection { connection in
          try await AppendTransaction(connection: connection, logger: logger, proposedAt: now).run(append)
        }
      } catch {
        if let failure = ServerFailure(error), attempt < 8,
          failure.isRetryable || (failure.isUniqueViolation && failure.constraint == "idempotency_key")
        {
          // A deadlock between multi-stream appends, or a key recorded by a concurrent append:
          // run it again (the second time the key look-up finds the record).
          continue
        }
        throw EventLogError(postgres: error, location: location)
      }
      switch outcome {
      case .sealed(let positions, let streamVersions, let recordedAt, let head):
        sealer.countInlineRound()
        notifier.advance(to: head)
        return AppendResult(positions: positions, streamVersions: streamVersions, recordedAtMilliseconds: recordedAt)
      case .committed(let rows, let streamVersions), .recorded(let rows, let streamVersions):
        let sealed = try await sealer.seal(rows: rows)
        return AppendResult(positions: sealed.positions, streamVersions: streamVersions, recordedAtMilliseconds: sealed.recordedAt)
      case .idempotent:
        guard let key = append.idempotency else { throw .storage("\(location): an idempotency record without a key") }
        guard let recorded = try await idempotencyRecord(scope: key.scope, key: key.key) else {
          continue
        }
        guard recorded.key.requestDigest == key.requestDigest else { throw .idempotencyKeyReused(scope: key.scope, key: key.key) }
        throw .alreadyRecorded(recorded)
      case .refused(let error):
        throw error
      }
    }
  }

  public func read(
    stream: StreamName, from version: Int64?, direction: ReadDirection, limit: Int
  ) async throws(EventLogError) -> [RecordedEvent] {
    guard limit > 0 else { return [] }
    let from = version ?? (direction == .forwards ? 0 : Int64.max)
    let query: PostgresQuery
    switch direction {
    case .forwards:
      query = """
        SELECT \(unescaped: Schema.columns) FROM events e JOIN chain c ON c.event = e.id
        WHERE e.stream = \(stream.rawValue) AND e.version >= \(from) ORDER BY e.version LIMIT \(Int64(limit))
        """
    case .backwards:
      query = """
        SELECT \(unescaped: Schema.columns) FROM events e JOIN chain c ON c.event = e.id
        WHERE e.stream = \(stream.rawValue) AND e.version <= \(from) ORDER BY e.version DESC LIMIT \(Int64(limit))
        """
    }
    return try await events(query)
  }

  public func read(after position: Int64, category: String?, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
    guard limit > 0 else { return [] }
    if let category {
      guard !category.isEmpty else { throw .invalidRequest("a category is not empty") }
      return try await events(
        """
        SELECT \(unescaped: Schema.columns) FROM chain c JOIN events e ON e.id = c.event
        WHERE c.category = \(category) AND c.position > \(position) ORDER BY c.position LIMIT \(Int64(limit))
        """)
    }
    return try await events(
      """
      SELECT \(unescaped: Schema.columns) FROM chain c JOIN events e ON e.id = c.event
      WHERE c.position > \(position) ORDER BY c.position LIMIT \(Int64(limit))
      """)
  }

  /// The stream's last sealed version: what a reader of the stream can see.
  public func version(of stream: StreamName) async throws(EventLogError) -> Int64? {
    let rows = try await rows(
      """
      SELECT e.version FROM events e WHERE e.stream = \(stream.rawValue)
      AND EXISTS (SELECT 1 FROM chain c WHERE c.event = e.id) ORDER BY e.version DESC LIMIT 1
      """)
    return try rows.first.map { row throws(EventLogError) in try decoding { try row.decode(Int64.self) } }
  }

  public func head() async throws(EventLogError) -> LogHead {
    let rows = try await rows("SELECT position, hash FROM chain ORDER BY position DESC LIMIT 1")
    guard let row = rows.first else { return .empty }
    let (position, hash) = try decoding { try row.decode((Int64, Data).self) }
    return LogHead(position: position, hash: hash, sealedThrough: position)
  }

  /// How many committed events wait for the sealer (they have no position yet).
  public func unsealedCount() async throws(EventLogError) -> Int64 {
    let rows = try await rows("SELECT coalesce(sum(cardinality(events)), 0)::int8 FROM unsealed")
    return try rows.first.map { row throws(EventLogError) in try decoding { try row.decode(Int64.self) } } ?? 0
  }

  public func idempotencyRecord(scope: String, key: String) async throws(EventLogError) -> IdempotencyRecord? {
    let rows = try await rows(
      "SELECT request_digest, response, stream_names, stream_versions, events FROM idempotency WHERE scope = \(scope) AND key = \(key)")
    guard let row = rows.first else { return nil }
    let stored = try decoding { try StoredIdempotency(row) }
    return try await record(stored, key: IdempotencyKey(scope: scope, key: key, requestDigest: stored.digest))
  }

  /// The full record, with the positions its events were sealed at.
  func record(_ stored: StoredIdempotency, key: IdempotencyKey) async throws(EventLogError) -> IdempotencyRecord {
    let sealed = try await sealer.seal(rows: stored.rows)
    let versions = zip(stored.streamNames, stored.streamVersions).map { StreamVersion(stream: StreamName(unchecked: $0), version: $1) }
    return IdempotencyRecord(
      key: IdempotencyKey(scope: key.scope, key: key.key, requestDigest: stored.digest), response: stored.response,
      result: AppendResult(positions: sealed.positions, streamVersions: versions, recordedAtMilliseconds: sealed.recordedAt))
  }

  /// Readers waiting for appends, and whether notifications are being listened to (for tests).
  package var waiting: (waiters: Int, listening: Bool) { notifier.waiting }

  public func waitForAppends(after position: Int64, timeout: Duration) async throws(EventLogError) -> Int64 {
    try await notifier.wait(after: position, timeout: timeout)
  }

  public func close() async {
    notifier.stop()
    sealer.close()
    running.cancel()
    await running.value
  }

  // MARK: - Queries

  func rows(_ query: PostgresQuery) async throws(EventLogError) -> [PostgresRow] {
    do { return try await client.query(query, logger: logger).all() } catch {
      throw EventLogError(postgres: error, location: location)
    }
  }

  func events(_ query: PostgresQuery) async throws(EventLogError) -> [RecordedEvent] {
    let rows = try await rows(query)
    var events: [RecordedEvent] = []
    events.reserveCapacity(rows.count)
    for row in rows { events.append(try decoding { try RecordedEvent(row) }) }
    return events
  }

  func decoding<T>(_ body: () throws -> T) throws(EventLogError) -> T {
    do { return try body() } catch {
      throw .corrupt("\(location): a row cannot be read: \(String(reflecting: error).prefix(300))")
    }
  }
}

extension RecordedEvent {
  /// An event from a row selected with ``Schema/columns``.
  init(_ row: PostgresRow) throws {
    let (position, stream, version, eventID, type, schemaVersion, data, metadata, recordedAt, hash) = try row.decode(
      (Int64, String, Int64, UUID, String, Int32, Data, Data, Int64, Data).self)
    self.init(
      position: position, stream: StreamName(unchecked: stream), version: version, eventID: eventID, type: type,
      schemaVersion: Int(schemaVersion), data: data, metadata: metadata, recordedAtMilliseconds: recordedAt, hash: hash)
  }
}

/// An idempotency row: the answer is stored, positions are looked up in the chain.
struct StoredIdempotency: Sendable {
  let digest: Data
  let response: Data
  let streamNames: [String]
  let streamVersions: [Int64]
  let rows: [Int64]

  init(_ row: PostgresRow) throws {
    (digest, response, streamNames, streamVersions, rows) = try row.decode((Data, Data, [String], [Int64], [Int64]).self)
  }
}

/// Runs `body` between BEGIN and COMMIT, rolling back when it throws.
func transaction<T>(_ connection: PostgresConnection, logger: Logger, _ body: () async throws -> T) async throws -> T {
  try await connection.query("BEGIN", logger: logger).all()
  do {
    let value = try await body()
    try await connection.query("COMMIT", logger: logger).all()
    return value
  } catch {
    _ = try? await connection.query("ROLLBACK", logger: logger).all()
    throw error
  }
}

/// Runs `body`, failing with ``EventLogError/notFound(_:)`` if it takes longer than `limit`
/// (a pool that cannot connect would otherwise keep retrying).
func withDeadline<T: Sendable>(_ limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
  try await withThrowingTaskGroup(of: T.self) { group in
    group.addTask { try await body() }
    group.addTask {
      try await Task.sleep(for: limit)
      throw EventLogError.notFound("\(what): no answer within \(limit)")
    }
    defer { group.cancelAll() }
    guard let first = try await group.next() else { throw EventLogError.closed }
    return first
  }
}
