public import Logging
public import ServiceKit

/// `kip-building`: bare for now, its domain routes come with its context.
public enum BuildingService {
  public static let name = "kip-building"
  public static let defaultPort = 8081

  /// Its routes and projections (bare for now: the common routes only).
  public static let definition = ServiceDefinition(title: "KIP 施設管理 (kip-building)")

  /// Opens the log and builds the service's application.
  public static func buildApplication(configuration: ServiceConfiguration, logger: Logger) async throws -> ServiceApplication {
    try await ServiceApplication.open(configuration: configuration, logger: logger, definition: definition)
  }
}
