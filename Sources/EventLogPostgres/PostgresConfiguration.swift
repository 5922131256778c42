public import EventLog
public import Foundation

/// How a PostgreSQL log is reached: parsed from a `postgres://` location.
///
/// `postgres://user:password@host:port/database?sslmode=prefer&statement_timeout=30s&pool=20`.
/// `sslmode` follows libpq: `disable`, `prefer` (the default: TLS when the server offers it,
/// unverified), `require` (TLS or fail, unverified), `verify-ca` (the server's certificate must
/// chain to a trusted root), `verify-full` (and name the host). As in libpq, `sslrootcert` names
/// the PEM file of the roots to trust (else the system's), and `sslcert` with `sslkey` a client
/// certificate and its key for servers that authenticate clients by certificate.
public struct PostgresConfiguration: Sendable {
  /// TLS, as libpq's `sslmode` names it.
  public enum TLSMode: String, Sendable, Hashable, CaseIterable {
    case disable, prefer, require
    case verifyCA = "verify-ca"
    case verifyFull = "verify-full"
  }

  public var host: String
  public var port: Int
  public var username: String
  public var password: String?
  public var database: String
  public var tls: TLSMode = .prefer
  /// PEM file of the certificate authorities to trust (`sslrootcert`); nil: the system's.
  public var rootCertificateFile: String?
  /// PEM client certificate (`sslcert`) and its private key (`sslkey`).
  public var clientCertificateFile: String?
  public var clientKeyFile: String?
  /// Any statement running longer is cancelled by the server (`statement_timeout`), and the
  /// call fails with ``EventLogError/busy(_:)``.
  public var statementTimeout: Duration = .seconds(30)
  /// How long to wait for a connection to the server.
  public var connectTimeout: Duration = .seconds(10)
  /// Most pooled connections this store opens.
  public var maximumConnections = 20
  /// How often the log is polled for other instances' appends while someone waits, in case a
  /// notification was lost (LISTEN/NOTIFY is only the fast path).
  public var pollInterval: Duration = .milliseconds(500)
  /// Most appends chained in one sealing transaction.
  public var maximumSealBatch = 2000
  /// The record-time clock (UTC); injectable so tests can make time go backwards.
  public var clock: @Sendable () -> Date = { Date() }

  public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String) {
    self.host = host
    self.port = port
    self.username = username
    self.password = password
    self.database = database
  }

  /// Parses `postgres://…` or `postgresql://…`.
  public init(url text: String) throws(EventLogError) {
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
      scheme == "postgres" || scheme == "postgresql"
    else { throw .invalidLocation(text, reason: "expected postgres://user@host:port/database") }
    guard let host = components.host, !host.isEmpty else {
      throw .invalidLocation(Self.redacted(text), reason: "no host (postgres://user@host:port/database)")
    }
    let database = String(components.path.drop(while: { $0 == "/" }))
    let user = components.user.flatMap { $0.removingPercentEncoding ?? $0 } ?? "postgres"
    self.init(
      host: host, port: components.port ?? 5432, username: user,
      password: components.password.flatMap { $0.removingPercentEncoding ?? $0 },
      database: database.isEmpty ? user : (database.removingPercentEncoding ?? database))
    for item in components.queryItems ?? [] {
      let value = item.value ?? ""
      switch item.name {
      case "sslmode":
        guard let mode = TLSMode(rawValue: value) else {
          throw .invalidLocation(
            Self.redacted(text), reason: "sslmode '\(value)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        tls = mode
      case "statement_timeout":
        guard let duration = Self.duration(value) else {
          throw .invalidLocation(Self.redacted(text), reason: "statement_timeout '\(value)' is not a duration (e.g. 30s, 500ms)")
        }
        statementTimeout = duration
      case "connect_timeout":
        guard let seconds = Int(value), seconds > 0 else {
          throw .invalidLocation(Self.redacted(text), reason: "connect_timeout '\(value)' is not a number of seconds")
        }
        connectTimeout = .seconds(seconds)
      case "sslrootcert": rootCertificateFile = value
      case "sslcert": clientCertificateFile = value
      case "sslkey": clientKeyFile = value
      case "pool":
        guard let size = Int(value), size > 0 else {
          throw .invalidLocation(Self.redacted(text), reason: "pool '\(value)' is not a positive number of connections")
        }
        maximumConnections = size
      default:
        throw .invalidLocation(
          Self.redacted(text), reason: "unknown parameter '\(item.name)' (known: sslmode, sslrootcert, sslcert, sslkey, statement_timeout, connect_timeout, pool)")
      }
    }
    guard (clientCertificateFile == nil) == (clientKeyFile == nil) else {
      throw .invalidLocation(Self.redacted(text), reason: "sslcert and sslkey go together: give both or neither")
    }
  }

  /// The location without its password, for messages and logs.
  public var redactedDescription: String {
    "postgres://\(username)@\(host):\(port)/\(database)"
  }

  static func redacted(_ text: String) -> String {
    guard var components = URLComponents(string: text), components.password != nil else { return text }
    components.password = "***"
    return components.string ?? text
  }

  /// `30s`, `500ms`, `2min`, or a bare number of milliseconds (as PostgreSQL reads it).
  static func duration(_ text: String) -> Duration? {
    let units: [(String, Int64)] = [("ms", 1), ("min", 60_000), ("s", 1000)]
    for (suffix, factor) in units where text.hasSuffix(suffix) {
      guard let value = Int64(text.dropLast(suffix.count)), value >= 0 else { return nil }
      return .milliseconds(value * factor)
    }
    guard let value = Int64(text), value >= 0 else { return nil }
    return .milliseconds(value)
  }
}

extension Duration {
  /// Whole milliseconds, as PostgreSQL settings take them.
  var milliseconds: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
  }
}
