public import Credentials
public import EventLog
public import Foundation

/// A configuration value that cannot be used, with what would be right.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// One service's configuration, read once at start-up from the environment and validated;
/// nothing reads the environment later.
public struct ServiceConfiguration: Sendable, Equatable {
  /// The executable's name, e.g. `kip-building`.
  public var serviceName: String
  /// `KIP_EVENT_LOG`: the event log (default: `sqlite://<KIP_DATA_DIR>/events.sqlite`).
  public var eventLog: LogLocation
  /// `KIP_DATA_DIR`: where data files live (default `./var`).
  public var dataDirectory: String
  /// `KIP_HOST` (default 127.0.0.1).
  public var host: String
  /// `KIP_PORT`; 0 picks a free port, which the service logs and prints.
  public var port: Int
  /// Where the three services are, for the pages' navigation (`KIP_BUILDING_URL`,
  /// `KIP_SUCCESSION_URL`, `KIP_DEPOSITS_URL`; default: this host at ports 8081–8083).
  public var links: ServiceLinks
  /// `KIP_COOKIE_SECURE=1` behind HTTPS: the session cookie is sent over HTTPS only.
  public var secureCookies: Bool
  /// Password hashing and session rules (`KIP_BCRYPT_COST` lowers the bcrypt cost for demos and tests).
  public var credentialPolicy: CredentialPolicy
  /// How long a read with `X-KIP-Min-Position` waits for the read models before it answers 503
  /// (5 s; tests shorten it).
  public var readYourWritesTimeout: Duration
  /// How long a SIGTERM waits for requests in flight and background work to finish before it
  /// cancels them (10 s), so a stop always ends.
  public var shutdownGrace: Duration = .seconds(10)

  public init(
    serviceName: String, eventLog: LogLocation, dataDirectory: String, host: String = "127.0.0.1", port: Int,
    links: ServiceLinks? = nil, secureCookies: Bool = false, credentialPolicy: CredentialPolicy = CredentialPolicy(),
    readYourWritesTimeout: Duration = .seconds(5)
  ) {
    self.serviceName = serviceName
    self.eventLog = eventLog
    self.dataDirectory = dataDirectory
    self.host = host
    self.port = port
    self.links = links ?? .local(host: host)
    self.secureCookies = secureCookies
    self.credentialPolicy = credentialPolicy
    self.readYourWritesTimeout = readYourWritesTimeout
  }

  /// The flags a service takes; each overrides its environment variable.
  public static let flags = ["--event-log": "KIP_EVENT_LOG", "--data-dir": "KIP_DATA_DIR", "--host": "KIP_HOST", "--port": "KIP_PORT"]

  /// Reads `KIP_EVENT_LOG`, `KIP_DATA_DIR`, `KIP_HOST` and `KIP_PORT`, each overridden by its
  /// flag (`--event-log`, `--data-dir`, `--host`, `--port`, as `--port 8081` or `--port=8081`).
  public static func fromEnvironment(
    serviceName: String, defaultPort: Int, environment: [String: String] = ProcessInfo.processInfo.environment,
    arguments: [String] = []
  ) throws(ConfigurationError) -> ServiceConfiguration {
    var environment = environment
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
      let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
      guard let variable = flags[parts[0]] else {
        throw ConfigurationError(
          "unknown option '\(argument)'; the options are \(flags.keys.sorted().joined(separator: ", ")), or the variables \(flags.values.sorted().joined(separator: ", "))")
      }
      if parts.count == 2 {
        environment[variable] = parts[1]
      } else if let value = remaining.popFirst() {
        environment[variable] = value
      } else {
        throw ConfigurationError("\(parts[0]) needs a value")
      }
    }
    let dataDirectory = environment["KIP_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./var"
    let logText = environment["KIP_EVENT_LOG"].flatMap { $0.isEmpty ? nil : $0 } ?? "sqlite://\(dataDirectory)/events.sqlite"
    let eventLog: LogLocation
    do { eventLog = try LogLocation(parsing: logText) } catch {
      throw ConfigurationError("KIP_EVENT_LOG: \(error.description)")
    }
    let host = environment["KIP_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
    guard !host.contains(where: \.isWhitespace) else { throw ConfigurationError("KIP_HOST '\(host)' is not a host name or address") }
    var port = defaultPort
    if let text = environment["KIP_PORT"], !text.isEmpty {
      guard let value = Int(text), (0...65535).contains(value) else {
        throw ConfigurationError("KIP_PORT '\(text)' is not a port number (0–65535; 0 picks a free port)")
      }
      port = value
    }
    let local = ServiceLinks.local(host: host)
    let links = ServiceLinks(
      building: environment["KIP_BUILDING_URL"] ?? local.building, succession: environment["KIP_SUCCESSION_URL"] ?? local.succession,
      deposits: environment["KIP_DEPOSITS_URL"] ?? local.deposits)
    let secure = ["1", "true", "yes"].contains(environment["KIP_COOKIE_SECURE"]?.lowercased() ?? "")
    let policy: CredentialPolicy
    do { policy = try CredentialPolicy.fromEnvironment(environment) } catch { throw ConfigurationError(error.description) }
    return ServiceConfiguration(
      serviceName: serviceName, eventLog: eventLog, dataDirectory: dataDirectory, host: host, port: port, links: links,
      secureCookies: secure, credentialPolicy: policy)
  }
}
