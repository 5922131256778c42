public import Foundation
public import Hummingbird

/// Reads a JSON request body within limits and decodes it, turning every way it can be wrong
/// into a ``Problem`` that names the field: nothing reaches a handler that was not checked.
public enum JSONInput {
  /// What a request body may be.
  public struct Limits: Sendable, Hashable {
    /// Bytes of the whole body (413 beyond).
    public var bodyBytes: Int
    /// Nesting of arrays and objects.
    public var depth: Int
    /// Characters of any one string, key or value.
    public var stringLength: Int

    public init(bodyBytes: Int, depth: Int, stringLength: Int) {
      self.bodyBytes = bodyBytes
      self.depth = depth
      self.stringLength = stringLength
    }

    public static let standard = Limits(bodyBytes: 1 << 20, depth: 16, stringLength: 10_000)
    /// A file uploaded whole (a partner list, a year of diagnoses as CSV).
    public static let files = Limits(bodyBytes: 8 << 20, depth: 16, stringLength: 10_000)
  }

  /// Collects the body, refusing more than `limit` bytes.
  public static func collect(_ request: Request, limit: Int) async throws(Problem) -> Data {
    var data = Data()
    do {
      for try await buffer in request.body {
        guard data.count + buffer.readableBytes <= limit else {
          throw Problem(.payloadTooLarge, "the request body is larger than \(limit) bytes")
        }
        data.append(contentsOf: buffer.readableBytesView)
      }
    } catch let problem as Problem {
      throw problem
    } catch {
      throw Problem(.malformedRequest, "the request body could not be read")
    }
    return data
  }

  /// Checks the media type, UTF-8, depth and string lengths, then decodes `T`.
  public static func decode<T: Decodable>(
    _ type: T.Type, from request: Request, limits: Limits = .standard
  ) async throws(Problem) -> (value: T, body: Data) {
    let body = try await collect(request, limit: limits.bodyBytes)
    try checkMediaType(of: request, body: body)
    return (try decode(type, from: body, limits: limits), body)
  }

  /// A body that says it is something other than JSON is refused (415); no Content-Type is taken as JSON.
  public static func checkMediaType(of request: Request, body: Data) throws(Problem) {
    guard let contentType = request.headers[.contentType], !body.isEmpty else { return }
    let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    guard media == "application/json" || media.hasSuffix("+json") else {
      throw Problem(.unsupportedMediaType, "send application/json, not \(media)", field: "Content-Type")
    }
  }

  /// Decodes bytes already read, with the same checks.
  public static func decode<T: Decodable>(_ type: T.Type, from body: Data, limits: Limits = .standard) throws(Problem) -> T {
    try checkBytes(body, limits: limits)
    return try decodeChecked(type, from: body)
  }

  /// The same, and first the body against the schema its route documents.
  public static func decode<T: DocumentedBody>(_ type: T.Type, from body: Data, limits: Limits = .standard) throws(Problem) -> T {
    try checkBytes(body, limits: limits)
    try T.schema.check(body)
    return try decodeChecked(type, from: body)
  }

  static func checkBytes(_ body: Data, limits: Limits) throws(Problem) {
    guard !body.isEmpty else { throw Problem(.malformedRequest, "the request has no JSON body") }
    guard String(validating: body, as: UTF8.self) != nil else {
      throw Problem(.malformedRequest, "the request body is not valid UTF-8")
    }
    try checkShape(body, limits: limits)
  }

  static func decodeChecked<T: Decodable>(_ type: T.Type, from body: Data) throws(Problem) -> T {
    do {
      return try JSONDecoder().decode(T.self, from: body)
    } catch let error as DecodingError {
      throw problem(for: error)
    } catch {
      throw Problem(.malformedRequest, "the request body is not valid JSON")
    }
  }

  /// One pass over the bytes: nesting depth and string lengths, before any decoder allocates.
  static func checkShape(_ body: Data, limits: Limits) throws(Problem) {
    var depth = 0
    var inString = false
    var escaped = false
    var length = 0
    for byte in body {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
          continue
        }
        // Count characters, not bytes: continuation bytes of UTF-8 do not start one.
        if byte & 0xC0 != 0x80 {
          length += 1
          if length > limits.stringLength {
            throw Problem(.validationFailed, "a string is longer than \(limits.stringLength) characters")
          }
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        inString = true
        length = 0
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
        if depth > limits.depth { throw Problem(.malformedRequest, "the JSON is nested deeper than \(limits.depth) levels") }
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
      default:
        break
      }
    }
  }

  /// A decoding error as a problem naming the field, in words.
  static func problem(for error: DecodingError) -> Problem {
    func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String? {
      var text = ""
      for key in codingPath + (last.map { [$0] } ?? []) {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
      }
      return text.isEmpty ? nil : text
    }
    switch error {
    case .keyNotFound(let key, let context):
      let field = path(context.codingPath, key)
      return Problem(.validationFailed, "\(field ?? key.stringValue) is required", field: field)
    case .valueNotFound(_, let context):
      let field = path(context.codingPath)
      return Problem(.validationFailed, "\(field ?? "a value") must not be null", field: field)
    case .typeMismatch(let type, let context):
      let field = path(context.codingPath)
      return Problem(.validationFailed, "\(field ?? "the body") must be \(describe(type))", field: field)
    case .dataCorrupted(let context):
      // At the top level it is the syntax that is wrong; inside, a value (an unknown enum case,
      // an impossible date) that the field's type refused.
      guard let field = path(context.codingPath) else {
        return Problem(.malformedRequest, "the request body is not valid JSON")
      }
      return Problem(.validationFailed, "\(field): \(context.debugDescription)", field: field)
    @unknown default:
      return Problem(.malformedRequest, "the request body could not be decoded")
    }
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
    case is Bool.Type: "true or false"
    case is Double.Type: "a number"
    default:
      String(describing: type).hasPrefix("Array") ? "an array" : (String(describing: type).hasPrefix("Dictionary") ? "an object" : "\(type)")
    }
  }
}
