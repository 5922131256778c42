public import Foundation

/// A typed identifier: a string that knows what it identifies, so a `UserID` cannot be passed
/// where a booking id is expected. `Tag` is a phantom type, usually an empty enum.
///
/// Ids are 1–128 printable characters with no whitespace, because they end up in stream names,
/// URLs and CSV files.
public struct ID<Tag>: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// The id as stored and sent.
  public let rawValue: String

  /// The id `rawValue`; throws for an empty, over-long or non-printable one.
  public init(_ rawValue: String) throws(IDError) {
    guard !rawValue.isEmpty else { throw .empty }
    guard rawValue.count <= 128 else { throw .tooLong(rawValue) }
    guard rawValue.unicodeScalars.allSatisfy({ !$0.properties.isWhitespace && $0.properties.generalCategory != .control }) else {
      throw .invalidCharacters(rawValue)
    }
    self.rawValue = rawValue
  }

  public var description: String { rawValue }

  public static func < (lhs: ID, rhs: ID) -> Bool { lhs.rawValue < rhs.rawValue }

  /// Decodes a plain JSON string, checked like ``init(_:)``.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    do {
      try self.init(try container.decode(String.self))
    } catch let error as IDError {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  /// Encodes as a plain JSON string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// Why an id was refused.
public enum IDError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
  /// An empty string.
  case empty
  /// More than 128 characters.
  case tooLong(String)
  /// Whitespace or control characters.
  case invalidCharacters(String)

  public var description: String {
    switch self {
    case .empty: "an id must not be empty"
    case let .tooLong(text): "the id \"\(text.prefix(20))…\" is too long: ids have at most 128 characters"
    case let .invalidCharacters(text): "the id \(String(reflecting: text)) contains spaces or control characters"
    }
  }

  public var errorDescription: String? { description }
}

/// Phantom tag for ``UserID``.
public enum UserTag {}

/// The id of a person who signs in (a staff member, a partner organisation's user, an auditor).
public typealias UserID = ID<UserTag>

/// Phantom tag for ``OrganisationID``.
public enum OrganisationTag {}

/// The id of a network organisation (連携支援機関) in the succession network: a partner user
/// belongs to exactly one and sees only what concerns it.
public typealias OrganisationID = ID<OrganisationTag>
