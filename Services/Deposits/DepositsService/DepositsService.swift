public import Logging
public import ServiceKit

/// `kip-deposits`: bare for now, its domain routes come with its context.
public enum DepositsService {
  public static let name = "kip-deposits"
  public static let defaultPort = 8083

  /// Opens the log and builds the service's application.
  public static func buildApplication(configuration: ServiceConfiguration, logger: Logger) async throws -> ServiceApplication {
    try await ServiceApplication.open(configuration: configuration, logger: logger)
  }
}
