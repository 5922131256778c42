public import Logging
public import ServiceKit

/// `kip-deposits`: bare for now, its domain routes come with its context.
public enum DepositsService {
  public static let name = "kip-deposits"
  public static let defaultPort = 8083

  /// Its routes and projections (bare for now: the common routes only).
  public static let definition = ServiceDefinition(title: "KIP 預託事業 (kip-deposits)")

  /// Opens the log and builds the service's application.
  public static func buildApplication(configuration: ServiceConfiguration, logger: Logger) async throws -> ServiceApplication {
    try await ServiceApplication.open(configuration: configuration, logger: logger, definition: definition)
  }
}
