import EventLog
import Foundation
import HTTPTypes
public import Hummingbird
import Metrics
public import Prometheus
public import Projections

/// What `GET /health` and `GET /health/ready` answer.
public struct HealthReport: Codable, Sendable, Equatable {
  public struct Log: Codable, Sendable, Equatable {
    public var position: Int64
    public var sealedThrough: Int64
  }

  /// `ok`, `not-ready` (a projection is being built or stopped), or `unavailable` (the log cannot be read).
  public var status: String
  public var service: String
  public var log: Log?
  public var projections: [ProjectionStatus]
  public var detail: String?
}

/// The routes every service has: health, metrics, its OpenAPI document, and the projections'
/// admin API that `kipctl projections` uses against a running service.
enum CommonRoutes {
  static func all(service: String, store: any EventStore, runner: ProjectionRunner?, document: Data) -> [Route] {
    let healthAnswer = RouteResponse(200, "The service, its log and its projections", schema: healthSchema)
    return [
      Route(
        .get, "/health", summary: "Liveness: the process answers and reads its log; projections' lag and rebuild progress.",
        access: .anyone, responses: [healthAnswer], tag: "health"
      ) { _, _ in
        let report = await health(service: service, store: store, runner: runner)
        return try jsonResponse(report, status: report.status == "unavailable" ? .serviceUnavailable : .ok)
      },
      Route(
        .get, "/health/ready", summary: "Readiness: 200 once the log is readable and every projection is live and caught up enough to answer.",
        access: .anyone, responses: [healthAnswer], tag: "health"
      ) { _, _ in
        let report = await health(service: service, store: store, runner: runner)
        return try jsonResponse(report, status: report.status == "ok" ? .ok : .serviceUnavailable)
      },
      Route(
        .get, "/metrics", summary: "Prometheus metrics: requests, latencies, appends, projection lag.", access: .anyone,
        responses: [RouteResponse(200, "Prometheus text format", schema: .string(), mediaType: "text/plain")], tag: "health"
      ) { _, _ in
        if let head = try? await store.head() {
          Gauge(label: "kip_log_position", dimensions: [("service", service)]).record(head.position)
          Gauge(label: "kip_log_sealed_through", dimensions: [("service", service)]).record(head.sealedThrough)
        }
        for status in (try? await runner?.status()) ?? [] {
          Gauge(label: "kip_projection_lag_events", dimensions: [("service", service), ("projection", status.name)]).record(status.lag)
        }
        return Response(
          status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
          body: .init(byteBuffer: ByteBuffer(bytes: KIPMetrics.registry.emitToBuffer())))
      },
      Route(
        .get, "/openapi.json", summary: "This service's OpenAPI 3.1 document.", access: .anyone,
        responses: [RouteResponse(200, "OpenAPI 3.1", schema: .object([:], open: true))], tag: "health"
      ) { _, _ in
        Response(
          status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
      },
    ] + adminRoutes(runner)
  }

  /// The projections' admin API; a service without projections answers an empty list.
  static func adminRoutes(_ runner: ProjectionRunner?) -> [Route] {
    let name = RouteParameter("name", in: .path, schema: .string(pattern: "^[a-z0-9_]{1,64}$"), "The projection's name")
    return [
      Route(
        .get, "/admin/projections", summary: "Each projection's version, checkpoint, lag, rebuild progress and last error.",
        access: .roles([.admin, .auditor]), responses: [RouteResponse(200, "The projections", schema: .array(projectionSchema))],
        tag: "admin"
      ) { _, _ in try jsonResponse(try await runner?.status() ?? []) },
      Route(
        .post, "/admin/projections/{name}/rebuild",
        summary: "Build a new generation beside the live one; it switches when caught up (the live one answers meanwhile).",
        access: .roles([.admin]), parameters: [name],
        responses: [RouteResponse(202, "The rebuild started (or was already running)", schema: projectionSchema)], tag: "admin"
      ) { _, context in
        let projection = try context.parameters.require("name")
        guard let runner else { throw ProjectionError.unknownProjection(projection) }
        try await runner.rebuild(projection)
        let status = try await runner.status().first { $0.name == projection }
        return try jsonResponse(status, status: .accepted)
      },
      Route(
        .get, "/admin/projections/{name}/checksum", summary: "SHA-256 over the live tables' rows in primary-key order.",
        access: .roles([.admin, .auditor]), parameters: [name],
        responses: [
          RouteResponse(
            200, "The checksum",
            schema: .object(["projection": .string(), "checksum": .string()], required: ["projection", "checksum"]))
        ], tag: "admin"
      ) { _, context in
        let projection = try context.parameters.require("name")
        guard let runner else { throw ProjectionError.unknownProjection(projection) }
        return try jsonResponse(["projection": projection, "checksum": try await runner.checksum(projection)])
      },
    ]
  }

  static func health(service: String, store: any EventStore, runner: ProjectionRunner?) async -> HealthReport {
    do {
      let head = try await store.head()
      let projections = try await runner?.status() ?? []
      let ready = projections.allSatisfy { $0.ready && $0.error == nil }
      return HealthReport(
        status: ready ? "ok" : "not-ready", service: service, log: .init(position: head.position, sealedThrough: head.sealedThrough),
        projections: projections, detail: nil)
    } catch {
      return HealthReport(status: "unavailable", service: service, log: nil, projections: [], detail: "\(error)")
    }
  }

  static let projectionSchema = Schema.object(
    [
      "name": .string(), "version": .integer(), "position": .integer(), "head": .integer(), "lag": .integer(),
      "ready": .boolean, "rebuildPosition": .integer(), "error": .string(),
    ], required: ["name", "version", "position", "head", "lag", "ready"])

  static let healthSchema = Schema.object(
    [
      "status": .string(values: ["ok", "not-ready", "unavailable"]), "service": .string(),
      "log": .object(["position": .integer(), "sealedThrough": .integer()], required: ["position", "sealedThrough"]),
      "projections": .array(projectionSchema), "detail": .string(),
    ], required: ["status", "service", "projections"])
}

/// The process's metrics registry, bootstrapped into swift-metrics once, on first use.
public enum KIPMetrics {
  public static let registry: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    return registry
  }()
}

extension ProjectionError: ProblemConvertible {
  public var problem: Problem {
    switch self {
    case .notReady(let projection, let position, let head):
      Problem(
        .notReady, "the read model \(projection) is being built (position \(position) of \(head)); ask again shortly",
        headers: [.retryAfter: "2"])
    case .unknownProjection(let name):
      Problem(.notFound, "there is no projection named \(name)")
    case .applyFailed, .storage:
      Problem(.unavailable, description, headers: [.retryAfter: "30"])
    }
  }
}

/// A JSON response with sorted keys.
public func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  var headers = headers
  headers[.contentType] = "application/json; charset=utf-8"
  return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
}
