public import Logging
public import ServiceKit

/// `kip-succession`: bare for now, its domain routes come with its context.
public enum SuccessionService {
  public static let name = "kip-succession"
  public static let defaultPort = 8082

  /// Its routes and projections (bare for now: the common routes only).
  public static let definition = ServiceDefinition(title: "KIP 事業承継支援 (kip-succession)")

  /// Opens the log and builds the service's application.
  public static func buildApplication(configuration: ServiceConfiguration, logger: Logger) async throws -> ServiceApplication {
    try await ServiceApplication.open(configuration: configuration, logger: logger, definition: definition)
  }
}
