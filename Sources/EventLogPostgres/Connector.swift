import EventLog
import Logging
import PostgresNIO

/// Makes connections outside the pool, with the pool's settings: the first connection of
/// `open` (so a bad location fails at once with the server's reason) and the listening one.
struct Connector: Sendable {
  let connection: PostgresConnection.Configuration
  let clientTLS: PostgresClient.Configuration.TLS
  let logger: Logger

  init(configuration: PostgresConfiguration, logger: Logger) throws(EventLogError) {
    var unverified = TLSConfiguration.makeClientConfiguration()
    unverified.certificateVerification = .none
    var verified = TLSConfiguration.makeClientConfiguration()
    if configuration.tls == .verifyCA { verified.certificateVerification = .noHostnameVerification }
    let connectionTLS: PostgresConnection.Configuration.TLS
    do {
      if let roots = configuration.rootCertificateFile { verified.trustRoots = .file(roots) }
      if let certificate = configuration.clientCertificateFile, let key = configuration.clientKeyFile {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        let privateKey = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        unverified.certificateChain = chain
        unverified.privateKey = privateKey
        verified.certificateChain = chain
        verified.privateKey = privateKey
      }
      switch configuration.tls {
      case .disable:
        clientTLS = .disable
        connectionTLS = .disable
      case .prefer:
        clientTLS = .prefer(unverified)
        connectionTLS = .prefer(try NIOSSLContext(configuration: unverified))
      case .require:
        clientTLS = .require(unverified)
        connectionTLS = .require(try NIOSSLContext(configuration: unverified))
      case .verifyCA, .verifyFull:
        clientTLS = .require(verified)
        connectionTLS = .require(try NIOSSLContext(configuration: verified))
      }
    } catch {
      throw .invalidLocation(configuration.redactedDescription, reason: "TLS cannot be set up: \(error)")
    }
    var connection = PostgresConnection.Configuration(
      host: configuration.host, port: configuration.port, username: configuration.username,
      password: configuration.password, database: configuration.database, tls: connectionTLS)
    connection.options.connectTimeout = .milliseconds(configuration.connectTimeout.milliseconds)
    connection.options.additionalStartupParameters = Self.startupParameters(configuration)
    self.connection = connection
    self.logger = logger
  }

  func connect() async throws -> PostgresConnection {
    try await PostgresConnection.connect(configuration: connection, id: Int.random(in: 1_000_000...Int(Int32.max)), logger: logger)
  }

  /// Settings every connection starts with.
  ///
  /// Appenders' commits need no flush of their own: the sealer's durable commit flushes the WAL
  /// past them before any append returns. Every other writer (the sealer, imports, migrations)
  /// sets `synchronous_commit` back on inside its transaction.
  static func startupParameters(_ configuration: PostgresConfiguration) -> [(String, String)] {
    [
      ("statement_timeout", "\(configuration.statementTimeout.milliseconds)"),
      ("synchronous_commit", "off"),
      ("application_name", "kip-event-log"),
    ]
  }
}
