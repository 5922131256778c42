import EventLog
import Logging
import PostgresNIO

/// What the server said about a failed statement: its SQLSTATE, constraint and message.
struct ServerFailure {
  let sqlState: String
  let constraint: String?
  let message: String

  init?(_ error: any Error) {
    guard let error = error as? PSQLError, error.code == .server, let info = error.serverInfo,
      let state = info[.sqlState]
    else { return nil }
    sqlState = state
    constraint = info[.constraintName]
    message = info[.message] ?? state
  }

  var isUniqueViolation: Bool { sqlState == "23505" }
  /// Deadlock or serialisation failure: the transaction may simply be run again.
  var isRetryable: Bool { sqlState == "40P01" || sqlState == "40001" }
}

extension EventLogError {
  /// Maps a postgres-nio failure to the log's own error, keeping the server's words and
  /// SQLSTATE for the operator; no driver error leaves this module.
  init(postgres error: any Error, location: String) {
    if let error = error as? EventLogError {
      self = error
      return
    }
    if let failure = ServerFailure(error) {
      let message = "\(location): \(failure.message) (SQLSTATE \(failure.sqlState))"
      switch failure.sqlState {
      case "53100": self = .storageFull(message)
      case "25006", "42501": self = .readOnly(message)
      case "57014": self = .busy("\(message); the statement ran longer than statement_timeout")
      case "55P03", "40P01", "40001": self = .busy(message)
      case "3D000", "28000", "28P01": self = .notFound(message)
      case "57P01", "57P02", "57P03": self = .notFound("\(message); the server is shutting down or starting up")
      case "XX001", "XX002": self = .corrupt(message)
      default: self = .storage(message)
      }
      return
    }
    if let error = error as? PSQLError {
      switch error.code {
      case .connectionError, .serverClosedConnection, .uncleanShutdown:
        self = .notFound("\(location): cannot reach the server (\(error.code))")
      case .sslUnsupported:
        self = .notFound("\(location): the server does not offer TLS, but sslmode requires it")
      case .poolClosed, .clientClosedConnection:
        self = .closed
      case .queryCancelled:
        self = .busy("\(location): the statement was cancelled")
      default:
        self = .storage("\(location): \(error.code)")
      }
      return
    }
    let text = String(reflecting: error)
    self = .storage("\(location): \(text.prefix(500))")
  }
}

extension PostgresConnection {
  /// Runs a statement in its own (implicit) transaction and returns once that transaction has
  /// committed: the rows arrive before the server commits at the protocol's Sync, so a second,
  /// trivial statement on the same connection is answered only after the commit (durable and
  /// visible). A failed commit fails this call.
  func committed(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
    let rows = try await self.query(query, logger: logger).all()
    try await self.query("SELECT 1", logger: logger).all()
    return rows
  }
}

extension PostgresRowSequence {
  /// Every row, read to the end so a failure surfaces here; statements may ignore them.
  @discardableResult
  func all() async throws -> [PostgresRow] { try await collect() }
}
