import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics

/// The outermost middleware of every service: gives each request its id (echoed as
/// `X-Request-ID`, logged, and recorded as the correlation id of the events it writes), answers
/// every failure as problem+json (405 with `Allow` for a known path with another method; no
/// stack trace ever reaches a client), and counts requests and their latency.
struct ConventionsMiddleware: RouterMiddleware {
  typealias Context = KIPRequestContext
  let table: RouteTable

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    var context = context
    let incoming = request.headers[.requestID].flatMap { id in
      (1...64).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } ? id : nil
    }
    context.requestID = incoming ?? UUID().uuidString.lowercased()
    context.logger[metadataKey: "request-id"] = .string(context.requestID)
    let started = ContinuousClock.now
    let routePattern = table.routes.first { $0.matches(request.uri.path) }?.path ?? "unmatched"
    var response: Response
    do {
      response = try await next(request, context)
    } catch {
      response = answer(error, to: request, context: context)
    }
    response.headers[.requestID] = context.requestID
    let elapsed = ContinuousClock.now - started
    context.logger.info(
      "request",
      metadata: [
        "method": .string(request.method.rawValue), "path": .string(request.uri.path), "status": .stringConvertible(response.status.code),
        "ms": .stringConvertible(Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000 + Double(elapsed.components.seconds) * 1000)
      ])
    let dimensions = [("service", table.service), ("method", request.method.rawValue), ("route", routePattern)]
    Counter(label: "kip_http_requests_total", dimensions: dimensions + [("status", String(response.status.code))]).increment()
    Timer(label: "kip_http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds).recordNanoseconds(
      elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    return response
  }

  func answer(_ error: any Error, to request: Request, context: Context) -> Response {
    let problem: Problem
    switch error {
    case let error as Problem:
      problem = error
    case let error as any ProblemConvertible:
      problem = error.problem
    case let error as HTTPError where error.status == .notFound:
      let allowed = table.methods(for: request.uri.path)
      if allowed.isEmpty {
        problem = Problem(.notFound, "there is nothing at \(request.uri.path)")
      } else {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        problem = Problem(.methodNotAllowed, "\(request.uri.path) answers \(list), not \(request.method.rawValue)", headers: [.allow: list])
      }
    case let error as any HTTPResponseError where error.status == .contentTooLarge:
      problem = Problem(.payloadTooLarge, "the request body is too large")
    case let error as any HTTPResponseError where (400..<500).contains(error.status.code):
      problem = Problem(ProblemKind("http-\(error.status.code)", error.status, error.status.reasonPhrase), error.status.reasonPhrase)
    default:
      context.logger.error("request failed", metadata: ["error": .string(String(reflecting: error))])
      problem = Problem(.internalError, "the service failed to answer; the request id is \(context.requestID)")
    }
    return problemResponse(problem, instance: request.uri.path, requestID: context.requestID)
  }
}
