public import Logging
public import ServiceKit

/// `kip-succession`: bare for now, its domain routes come with its context.
public enum SuccessionService {
  public static let name = "kip-succession"
  public static let defaultPort = 8082

  /// Opens the log and builds the service's application.
  public static func buildApplication(configuration: ServiceConfiguration, logger: Logger) async throws -> ServiceApplication {
    try await ServiceApplication.open(configuration: configuration, logger: logger)
  }
}
