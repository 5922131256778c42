
/// A JSON Schema (2020-12, as OpenAPI 3.1 uses it), small enough to write by hand beside a route.
public indirect enum Schema: Sendable, Hashable, Encodable {
  case string(format: String? = nil, pattern: String? = nil, maxLength: Int? = nil, values: [String]? = nil, description: String? = nil)
  case integer(minimum: Int64? = nil, maximum: Int64? = nil, description: String? = nil)
  case number
  case boolean
  case array(Schema, maxItems: Int? = nil)
  /// An object with these properties; `required` must be present; others are refused unless `open`.
  case object([String: Schema], required: [String] = [], open: Bool = false, description: String? = nil)
  /// A named schema in `components.schemas`.
  case reference(String)
  /// `null` or the wrapped schema.
  case nullable(Schema)
  /// Any JSON value.
  case any
  /// JSON `null`.
  case null

  private struct Keys: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    switch self {
    case .string(let format, let pattern, let maxLength, let values, let description):
      try container.encode("string", forKey: Keys("type"))
      try container.encodeIfPresent(format, forKey: Keys("format"))
      try container.encodeIfPresent(pattern, forKey: Keys("pattern"))
      try container.encodeIfPresent(maxLength, forKey: Keys("maxLength"))
      try container.encodeIfPresent(values, forKey: Keys("enum"))
      try container.encodeIfPresent(description, forKey: Keys("description"))
    case .integer(let minimum, let maximum, let description):
      try container.encode("integer", forKey: Keys("type"))
      try container.encodeIfPresent(minimum, forKey: Keys("minimum"))
      try container.encodeIfPresent(maximum, forKey: Keys("maximum"))
      try container.encodeIfPresent(description, forKey: Keys("description"))
    case .number:
      try container.encode("number", forKey: Keys("type"))
    case .boolean:
      try container.encode("boolean", forKey: Keys("type"))
    case .array(let items, let maxItems):
      try container.encode("array", forKey: Keys("type"))
      try container.encode(items, forKey: Keys("items"))
      try container.encodeIfPresent(maxItems, forKey: Keys("maxItems"))
    case .object(let properties, let required, let open, let description):
      try container.encode("object", forKey: Keys("type"))
      try container.encode(properties, forKey: Keys("properties"))
      if !required.isEmpty { try container.encode(required, forKey: Keys("required")) }
      if !open { try container.encode(false, forKey: Keys("additionalProperties")) }
      try container.encodeIfPresent(description, forKey: Keys("description"))
    case .reference(let name):
      try container.encode("#/components/schemas/\(name)", forKey: Keys("$ref"))
    case .nullable(let schema):
      try container.encode([schema, .null], forKey: Keys("anyOf"))
    case .any:
      break
    case .null:
      try container.encode("null", forKey: Keys("type"))
    }
  }
}

extension Schema {
  /// The problem+json body every error answers with.
  public static let problem = Schema.object(
    [
      "type": .string(format: "uri"), "title": .string(), "status": .integer(), "detail": .string(),
      "field": .string(), "instance": .string(), "requestID": .string(),
    ], required: ["type", "title", "status", "detail"], open: true)
}
