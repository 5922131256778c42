public import EventLog
import EventLogPostgres
import EventLogSQLite
public import Logging

/// How a log is opened, whichever backend its location names.
public struct EventStoreOptions: Sendable {
  /// Create the log if it is missing (SQLite: the file and its folder; PostgreSQL always creates
  /// the tables in an existing database). Reading commands pass false, so a typo does not
  /// leave an empty log behind.
  public var createIfMissing: Bool
  /// Where the backend logs (PostgreSQL's connection pool); nil logs nothing.
  public var logger: Logger?

  public init(createIfMissing: Bool = true, logger: Logger? = nil) {
    self.createIfMissing = createIfMissing
    self.logger = logger
  }
}

/// Opens the log at `location` with the backend its scheme names: the one place that knows
/// every backend, so services and tools choose the log by configuration, never by code.
public func openEventStore(_ location: LogLocation, options: EventStoreOptions = EventStoreOptions()) async throws(EventLogError)
  -> any EventStore
{
  switch location {
  case .sqlite(let path):
    var configuration = SQLiteConfiguration(path: path)
    configuration.createIfMissing = options.createIfMissing
    return try await SQLiteEventStore.open(configuration)
  case .postgres:
    return try await PostgresEventStore.open(location, logger: options.logger)
  }
}

/// How many committed events wait for a sealer: always 0 where hashes are computed at append.
public func unsealedEventCount(_ store: any EventStore) async throws(EventLogError) -> Int64 {
  if let store = store as? PostgresEventStore { return try await store.unsealedCount() }
  return 0
}
