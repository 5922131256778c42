public import Foundation

/// A request body whose route documents it with ``schema``: ``WriteRequest/decode(_:limits:)``
/// checks the body against that schema before decoding, so what the OpenAPI document promises
/// to refuse (a string over its `maxLength`, a value outside its `enum`, an unknown field) is
/// refused with 422 and the field at fault, not accepted.
public protocol DocumentedBody: Decodable {
  static var schema: Schema { get }
}

/// Any JSON value, as a schema check sees it.
enum JSONValue: Decodable {
  case null, bool(Bool), integer(Int64), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int64.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }
}

extension Schema {
  /// Checks `body` (JSON) against this schema: 422 naming the first field that does not fit.
  public func check(_ body: Data) throws(Problem) {
    let value: JSONValue
    do { value = try JSONDecoder().decode(JSONValue.self, from: body) } catch {
      throw Problem(.malformedRequest, "the request body is not valid JSON")
    }
    try check(value, at: "")
  }

  func check(_ value: JSONValue, at path: String) throws(Problem) {
    let name = path.isEmpty ? "the body" : path
    func refuse(_ message: String) -> Problem { Problem(.validationFailed, "\(name) \(message)", field: path.isEmpty ? nil : path) }
    switch (self, value) {
    case (.any, _), (.reference, _): return
    case (.nullable, .null), (.null, .null): return
    case (.nullable(let inner), _): try inner.check(value, at: path)
    case (.string(_, let pattern, let maxLength, let values, _), .string(let text)):
      if let maxLength, text.unicodeScalars.count > maxLength { throw refuse("has at most \(maxLength) characters") }
      if let values, !values.contains(text) { throw refuse("must be one of \(values.joined(separator: ", "))") }
      if let pattern, text.range(of: pattern, options: .regularExpression) == nil { throw refuse("does not have the expected form") }
    case (.integer(let minimum, let maximum, _), .integer(let number)):
      if let minimum, number < minimum { throw refuse("must be at least \(minimum)") }
      if let maximum, number > maximum { throw refuse("must be at most \(maximum)") }
    case (.number, .integer), (.number, .number), (.boolean, .bool): return
    case (.array(let items, let maxItems), .array(let elements)):
      if let maxItems, elements.count > maxItems { throw refuse("has at most \(maxItems) items") }
      for (index, element) in elements.enumerated() { try items.check(element, at: "\(path)[\(index)]") }
    case (.object(let properties, let required, let open, _), .object(let fields)):
      for key in required where fields[key] == nil || (fields[key].map { if case .null = $0 { true } else { false } } ?? false) {
        // A nullable field may be null, but must be there.
        if fields[key] != nil, case .nullable = properties[key] { continue }
        throw Problem(.validationFailed, "\(key) is required", field: path.isEmpty ? key : "\(path).\(key)")
      }
      for key in fields.keys.sorted() {
        let child = path.isEmpty ? key : "\(path).\(key)"
        guard let schema = properties[key] else {
          if open { continue }
          throw Problem(.validationFailed, "\(child) is not a field of this request", field: child)
        }
        guard let field = fields[key] else { continue }
        // An optional field sent as null is the same as one left out.
        if case .null = field, !required.contains(key) { continue }
        try schema.check(field, at: child)
      }
    case (.string, _): throw refuse("must be a string")
    case (.integer, _): throw refuse("must be a whole number")
    case (.number, _): throw refuse("must be a number")
    case (.boolean, _): throw refuse("must be true or false")
    case (.array, _): throw refuse("must be a list")
    case (.object, _): throw refuse("must be an object")
    case (.null, _): throw refuse("must be null")
    }
  }
}
