import Foundation
public import Logging

/// The whole of a service executable: bootstrap logging once, read the configuration, open the
/// log, serve. Failures at start-up are one clear line on stderr and a non-zero exit.
public enum ServiceMain {
  public static func run(
    serviceName: String, defaultPort: Int,
    build: @Sendable (ServiceConfiguration, Logger) async throws -> ServiceApplication
  ) async -> Never {
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
      return handler
    }
    _ = KIPMetrics.registry  // bootstraps swift-metrics with the Prometheus registry, once
    let logger = Logger(label: serviceName)
    let configuration: ServiceConfiguration
    do {
      configuration = try ServiceConfiguration.fromEnvironment(
        serviceName: serviceName, defaultPort: defaultPort, arguments: Array(CommandLine.arguments.dropFirst()))
    } catch {
      FileHandle.standardError.write(Data("\(serviceName): \(error.description)\n".utf8))
      exit(2)
    }
    do {
      let application = try await build(configuration, logger)
      try await application.run()
      exit(0)
    } catch {
      FileHandle.standardError.write(Data("\(serviceName): \(error)\n".utf8))
      exit(1)
    }
  }
}
