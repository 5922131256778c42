public import EventLog
import EventLogBackends
import Foundation
public import Hummingbird
public import Logging
import ServiceLifecycle

/// What every KIP service is: a log, a router, `/health`, and a clean stop on SIGTERM.
///
/// A service's library builds one with its own routes; its executable only reads the
/// configuration and calls ``run()``.
public struct ServiceApplication: Sendable {
  public let configuration: ServiceConfiguration
  public let store: any EventStore
  let logger: Logger
  let addRoutes: @Sendable (Router<BasicRequestContext>) -> Void

  /// Opens the log named by the configuration.
  public static func open(
    configuration: ServiceConfiguration, logger: Logger,
    routes: @escaping @Sendable (Router<BasicRequestContext>) -> Void = { _ in }
  ) async throws -> ServiceApplication {
    let store = try await openEventStore(configuration.eventLog, options: EventStoreOptions(logger: logger))
    return ServiceApplication(configuration: configuration, store: store, logger: logger, addRoutes: routes)
  }

  /// The router: the service's routes plus `GET /health`.
  func makeRouter() -> Router<BasicRequestContext> {
    let router = Router()
    let store = store
    let name = configuration.serviceName
    router.get("health") { _, _ -> Response in
      do {
        let head = try await store.head()
        return try jsonResponse(Health(status: "ok", service: name, log: .init(position: head.position, sealedThrough: head.sealedThrough)))
      } catch {
        return try jsonResponse(Health(status: "unavailable", service: name, log: nil, detail: "\(error)"), status: .serviceUnavailable)
      }
    }
    addRoutes(router)
    return router
  }

  /// Serves until SIGTERM or SIGINT, then stops accepting, finishes what is in flight, and closes the log.
  public func run() async throws {
    let logger = logger
    let name = configuration.serviceName
    let host = configuration.host
    let app = Application(
      router: makeRouter(),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: name),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? 0
        logger.info("listening", metadata: ["address": "http://\(host):\(port)"])
        // One line on stdout so scripts and tests learn the bound port (KIP_PORT=0).
        FileHandle.standardOutput.write(Data("\(name) listening on http://\(host):\(port)\n".utf8))
      },
      logger: logger)
    do {
      try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    } catch {
      await store.close()
      throw error
    }
    await store.close()
    logger.info("stopped")
  }
}

/// What `GET /health` answers.
struct Health: Codable, Sendable {
  struct Log: Codable, Sendable {
    var position: Int64
    var sealedThrough: Int64
  }

  var status: String
  var service: String
  var log: Log?
  var detail: String?
}

func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  let data = try encoder.encode(value)
  return Response(
    status: status, headers: [.contentType: "application/json; charset=utf-8"],
    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
