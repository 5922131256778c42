import Foundation
import HTTPTypes
public import Hummingbird

/// A kind of error with a stable `type` URI (RFC 9457), the status it answers with, and a title.
///
/// The type is a URN (`urn:kip:problem:validation-failed`): stable, and not a link to follow.
/// Clients branch on it; people read `detail`.
public struct ProblemKind: Sendable, Hashable {
  /// The last part of the type URI, e.g. `validation-failed`.
  public let slug: String
  public let status: HTTPResponse.Status
  public let title: String

  public init(_ slug: String, _ status: HTTPResponse.Status, _ title: String) {
    self.slug = slug
    self.status = status
    self.title = title
  }

  /// `urn:kip:problem:<slug>`.
  public var type: String { "urn:kip:problem:\(slug)" }

  public static let malformedRequest = ProblemKind("malformed-request", .badRequest, "The request cannot be read")
  public static let validationFailed = ProblemKind("validation-failed", .unprocessableContent, "A field is not valid")
  public static let unauthenticated = ProblemKind("unauthenticated", .unauthorized, "Sign-in required")
  public static let forbidden = ProblemKind("forbidden", .forbidden, "Not allowed for your role")
  public static let notFound = ProblemKind("not-found", .notFound, "Not found")
  public static let methodNotAllowed = ProblemKind("method-not-allowed", .methodNotAllowed, "Method not allowed")
  public static let conflict = ProblemKind("conflict", .conflict, "Changed by someone else")
  public static let preconditionFailed = ProblemKind("precondition-failed", .preconditionFailed, "The version in If-Match is not current")
  public static let payloadTooLarge = ProblemKind("payload-too-large", .contentTooLarge, "The request body is too large")
  public static let unsupportedMediaType = ProblemKind("unsupported-media-type", .unsupportedMediaType, "Send JSON")
  public static let idempotencyKeyRequired = ProblemKind("idempotency-key-required", .preconditionRequired, "Idempotency-Key required")
  public static let idempotencyKeyReused = ProblemKind("idempotency-key-reused", .unprocessableContent, "Idempotency-Key used for another request")
  /// The first answer to a retried write held personal data that has since been erased.
  public static let erased = ProblemKind("erased", .gone, "Erased")
  public static let ruleViolated = ProblemKind("rule-violated", .unprocessableContent, "Not possible")
  public static let notReady = ProblemKind("not-ready", .serviceUnavailable, "Still being built")
  public static let unavailable = ProblemKind("unavailable", .serviceUnavailable, "Temporarily unavailable")
  public static let internalError = ProblemKind("internal", .internalServerError, "Internal error")
}

/// An RFC 9457 problem: the answer to every request that fails, as `application/problem+json`.
///
/// `detail` names what was wrong and what would be right; `field` names the offending input
/// (a JSON path such as `slots[2].date`, or a header such as `Idempotency-Key`). Never a stack trace.
public struct Problem: Error, Sendable, Equatable, HTTPResponseError, CustomStringConvertible {
  public var kind: ProblemKind
  public var detail: String
  public var field: String?
  /// Headers to send with it (`Allow`, `Retry-After`, `WWW-Authenticate`).
  public var headers: HTTPFields

  public init(_ kind: ProblemKind, _ detail: String, field: String? = nil, headers: HTTPFields = [:]) {
    self.kind = kind
    self.detail = detail
    self.field = field
    self.headers = headers
  }

  public var status: HTTPResponse.Status { kind.status }
  public var description: String { "\(kind.slug): \(detail)" + (field.map { " (\($0))" } ?? "") }

  /// The JSON body.
  public struct Body: Codable, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var field: String?
    public var instance: String?
    /// The request id, also the correlation id of any event the request wrote.
    public var requestID: String?
  }

  public func body(instance: String? = nil, requestID: String? = nil) -> Body {
    Body(
      type: kind.type, title: kind.title, status: kind.status.code, detail: detail, field: field, instance: instance,
      requestID: requestID)
  }

  public func response(from request: Request, context: some RequestContext) throws -> Response {
    let id = (context as? KIPRequestContext)?.requestID
    return problemResponse(self, instance: request.uri.path, requestID: id)
  }
}

/// Errors of a service's own modules that know their problem (a context's rule violations).
///
/// Conform in the service layer, one extension per error type, so contexts stay free of HTTP.
public protocol ProblemConvertible: Error {
  var problem: Problem { get }
}

func problemResponse(_ problem: Problem, instance: String?, requestID: String?) -> Response {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  let data = (try? encoder.encode(problem.body(instance: instance, requestID: requestID))) ?? Data()
  var headers = problem.headers
  headers[.contentType] = "application/problem+json; charset=utf-8"
  headers[.cacheControl] = "no-store"
  return Response(status: problem.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
