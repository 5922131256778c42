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

  public init(serviceName: String, eventLog: LogLocation, dataDirectory: String, host: String = "127.0.0.1", port: Int) {
    self.serviceName = serviceName
    self.eventLog = eventLog
    self.dataDirectory = dataDirectory
    self.host = host
    self.port = port
  }

  /// Reads `KIP_EVENT_LOG`, `KIP_DATA_DIR`, `KIP_HOST` and `KIP_PORT`.
  public static func fromEnvironment(
    serviceName: String, defaultPort: Int, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(ConfigurationError) -> ServiceConfiguration {
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
    return ServiceConfiguration(serviceName: serviceName, eventLog: eventLog, dataDirectory: dataDirectory, host: host, port: port)
  }
}
