/// The name a person types to sign in: 3–64 characters of lower-case ASCII letters, digits,
/// `.`, `-` and `_`, so it reads the same everywhere and fits in a stream name (`login-NAME`).
public struct LoginName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// Shortest and longest names accepted.
  public static let allowedLength = 3...64

  /// The name as typed and stored.
  public let rawValue: String

  /// Checks `rawValue`; throws ``AccountsError/invalidLoginName(_:reason:)`` with what would be right.
  public init(_ rawValue: String) throws(AccountsError) {
    guard Self.allowedLength.contains(rawValue.count) else {
      throw .invalidLoginName(rawValue, reason: "a login name has 3 to 64 characters")
    }
    let allowed = rawValue.unicodeScalars.allSatisfy { scalar in
      switch scalar {
      case "a"..."z", "0"..."9", ".", "-", "_": true
      default: false
      }
    }
    guard allowed else {
      throw .invalidLoginName(rawValue, reason: "use lower-case letters a–z, digits, '.', '-' and '_' only")
    }
    self.rawValue = rawValue
  }

  public var description: String { rawValue }

  public static func < (lhs: LoginName, rhs: LoginName) -> Bool { lhs.rawValue < rhs.rawValue }

  /// Decodes a plain JSON string, checked like ``init(_:)``.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do { try self.init(text) } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  /// Encodes as a plain JSON string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
