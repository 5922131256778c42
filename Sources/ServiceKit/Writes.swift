import Crypto
public import EventLog
public import Foundation
public import HTTPTypes
public import Hummingbird

/// What a write request carries by the conventions (DESIGN.md's services section): the client's
/// idempotency key with a digest of the request as received, the `If-Match` version, and the
/// metadata every event of the request records.
public struct WriteRequest: Sendable {
  public var idempotency: IdempotencyKey
  /// From `If-Match`: the stream version the client last saw. A write with it is never retried.
  public var expectedVersion: Int64?
  public var metadata: EventMetadata
  /// The body as received.
  public var body: Data

  /// A write from a page's form: the form's own idempotency key, the digest of its fields.
  public init(idempotency: IdempotencyKey, expectedVersion: Int64? = nil, metadata: EventMetadata, body: Data = Data()) {
    self.idempotency = idempotency
    self.expectedVersion = expectedVersion
    self.metadata = metadata
    self.body = body
  }

  /// Reads the conventions' headers and the body (not decoded): 428 without an
  /// `Idempotency-Key`, 400 for a malformed key or `If-Match`. The body is JSON unless
  /// `mediaTypes` names what else the route takes (a CSV file): then it must say one of them (415).
  public init(
    _ request: Request, context: KIPRequestContext, service: String, limits: JSONInput.Limits = .standard, mediaTypes: [String] = []
  ) async throws(Problem) {
    guard let key = request.headers[.idempotencyKey] else {
      throw Problem(
        .idempotencyKeyRequired, "send an Idempotency-Key header (a new random value for each change you intend)",
        field: "Idempotency-Key")
    }
    guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
      throw Problem(.malformedRequest, "Idempotency-Key must be 1–200 visible ASCII characters", field: "Idempotency-Key")
    }
    if let ifMatch = request.headers[.ifMatch] {
      guard let version = ETag.version(from: ifMatch) else {
        throw Problem(.malformedRequest, "If-Match must be an ETag this service sent, such as \"3\"", field: "If-Match")
      }
      expectedVersion = version
    } else {
      expectedVersion = nil
    }
    body = try await JSONInput.collect(request, limit: limits.bodyBytes)
    if mediaTypes.isEmpty {
      try JSONInput.checkMediaType(of: request, body: body)
    } else {
      let media = request.headers[.contentType].flatMap { $0.split(separator: ";").first }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
      guard let media, mediaTypes.contains(media) else {
        throw Problem(.unsupportedMediaType, "send \(mediaTypes.joined(separator: " or ")), not \(media ?? "no Content-Type")", field: "Content-Type")
      }
    }
    let actor = context.user?.id.rawValue ?? "anonymous"
    var hasher = SHA256()
    hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)?\(request.uri.query ?? "")\n".utf8))
    hasher.update(data: body)
    idempotency = IdempotencyKey(scope: "\(service):\(actor)", key: key, requestDigest: Data(hasher.finalize()))
    metadata = EventMetadata(
      actor: context.user?.id.rawValue, role: context.user?.role.rawValue, correlationID: context.requestID, source: service,
      client: request.headers[.userAgent].map { String($0.prefix(200)) })
  }

  /// The body decoded as `T`, with the limits and problems of ``JSONInput``.
  public func decode<T: Decodable>(_ type: T.Type, limits: JSONInput.Limits = .standard) throws(Problem) -> T {
    try JSONInput.decode(type, from: body, limits: limits)
  }

  /// The body checked against its documented schema, then decoded as `T`.
  public func decode<T: DocumentedBody>(_ type: T.Type, limits: JSONInput.Limits = .standard) throws(Problem) -> T {
    try JSONInput.decode(type, from: body, limits: limits)
  }

  /// `.exact(version)` from `If-Match`, or nil to let the server reload and decide again.
  public var expected: ExpectedVersion? { expectedVersion.map { .exact($0) } }
}

/// Strong ETags carry a stream's version: `"3"`.
public enum ETag {
  public static func make(_ version: Int64) -> String { "\"\(version)\"" }

  /// The version in an `If-Match` value (a strong ETag; `W/` is refused, `*` is not a version).
  public static func version(from header: String) -> Int64? {
    let trimmed = header.trimmingCharacters(in: .whitespaces)
    guard trimmed.count >= 3, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") else { return nil }
    guard let version = Int64(trimmed.dropFirst().dropLast()), version >= 0 else { return nil }
    return version
  }
}

/// The answer to a write, as recorded with its idempotency key so a retry gets it again.
public struct WriteAnswer: Codable, Sendable, Equatable {
  public var status: Int
  public var body: Data

  public init(status: HTTPResponse.Status, body: some Encodable) {
    self.status = status.code
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    self.body = (try? encoder.encode(body)) ?? Data("{}".utf8)
  }

  /// The bytes stored in the log's idempotency record.
  public func recorded() -> Data { (try? JSONEncoder().encode(self)) ?? Data() }

  /// The response: the body, and `ETag` and `X-KIP-Position` from the append.
  public func response(stream: StreamName, result: AppendResult?, version: Int64?, replayed: Bool) -> Response {
    var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
    if let version = result?.version(of: stream) ?? version { headers[.eTag] = ETag.make(version) }
    if let position = result?.lastPosition { headers[.kipPosition] = String(position) }
    if replayed { headers[.idempotentReplayed] = "true" }
    return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }
}

extension CommandRunner {
  /// Runs a command for an HTTP write by the conventions: the idempotency key is looked up
  /// before deciding (a retry gets the first answer, a changed body 422), `If-Match` becomes the
  /// expected version (412 on mismatch, never retried), other conflicts are retried by reloading.
  public func respond<State: Sendable>(
    to write: WriteRequest, stream: StreamName, initial: State, evolve: @escaping (State, Event) -> State,
    conditions: [StreamCondition] = [], status: HTTPResponse.Status = .ok,
    answer: @escaping (State, [Event]) -> some Encodable, decide: (State) throws -> [Event]
  ) async throws -> Response {
    do {
      let outcome = try await run(
        stream: stream, initial: initial, evolve: evolve, expecting: write.expected, conditions: conditions,
        metadata: write.metadata, idempotency: write.idempotency,
        response: { state, events in WriteAnswer(status: status, body: answer(state, events)).recorded() },
        decide: decide)
      if let replayed = outcome.replayed {
        let first = (try? JSONDecoder().decode(WriteAnswer.self, from: replayed.response)) ?? WriteAnswer(status: status, body: answer(outcome.state, []))
        return first.response(stream: stream, result: replayed.result, version: nil, replayed: true)
      }
      return WriteAnswer(status: status, body: answer(outcome.state, outcome.events))
        .response(stream: stream, result: outcome.result, version: outcome.version, replayed: false)
    } catch let error as EventLogError {
      throw Problem(logError: error, expectedByClient: write.expectedVersion != nil)
    }
  }
}

extension Problem {
  /// The problem a log error answers with.
  public init(logError error: EventLogError, expectedByClient: Bool = false) {
    switch error {
    case .wrongExpectedVersion(let stream, _, let actual) where expectedByClient:
      self.init(
        .preconditionFailed,
        "\(stream) is at version \(actual.map(String.init) ?? "none") now, not the one in If-Match: reload and decide again",
        field: "If-Match", headers: actual.map { [.eTag: ETag.make($0)] } ?? [:])
    case .wrongExpectedVersion(let stream, _, _):
      self.init(.conflict, "\(stream) kept changing while this request was decided; try again")
    case .idempotencyKeyReused(_, let key):
      self.init(
        .idempotencyKeyReused, "Idempotency-Key '\(key)' was used for a different request; use a new key for a new change",
        field: "Idempotency-Key")
    case .busy, .closed, .storageFull, .readOnly, .storage, .corrupt, .notFound:
      self.init(.unavailable, "the event log cannot take writes right now: \(error)", headers: [.retryAfter: "5"])
    default:
      self.init(.malformedRequest, error.description)
    }
  }
}

extension HTTPField.Name {
  public static let idempotencyKey = Self("Idempotency-Key")!
  public static let idempotentReplayed = Self("Idempotent-Replayed")!
  public static let kipPosition = Self("X-KIP-Position")!
  public static let kipMinPosition = Self("X-KIP-Min-Position")!
  public static let requestID = Self("X-Request-ID")!
}
