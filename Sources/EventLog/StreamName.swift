import Foundation

/// The name of a stream: `category-id`, e.g. `booking-3f2a…` or `slots-hall-2023-02-15`.
///
/// The category is everything before the first `-`; reads by category use it. Names are
/// validated once, here, so that no backend has to guess what a malformed name means.
public struct StreamName: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
  /// Longest name accepted, in UTF-8 bytes; long enough for any id, short enough for an index.
  public static let maximumLength = 255

  /// The full name as stored.
  public let rawValue: String

  /// Validates `rawValue` as `category-id`.
  public init(_ rawValue: String) throws(EventLogError) {
    let utf8 = rawValue.utf8
    guard !rawValue.isEmpty, utf8.count <= Self.maximumLength else {
      throw .invalidStreamName(rawValue, reason: "a stream name has 1 to \(Self.maximumLength) bytes")
    }
    guard let dash = rawValue.firstIndex(of: "-"), dash != rawValue.startIndex,
      rawValue.index(after: dash) != rawValue.endIndex
    else {
      throw .invalidStreamName(rawValue, reason: "a stream name is category-id, e.g. booking-42")
    }
    guard !rawValue.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " })
    else {
      throw .invalidStreamName(rawValue, reason: "a stream name has no spaces or control characters")
    }
    self.rawValue = rawValue
  }

  /// A name read back from storage, where it was validated when appended.
  package init(unchecked rawValue: String) {
    self.rawValue = rawValue
  }

  /// Builds `category-id` from its two parts.
  public init(category: String, id: String) throws(EventLogError) {
    guard !category.contains("-") else {
      throw .invalidStreamName(category, reason: "a category has no '-'")
    }
    try self.init("\(category)-\(id)")
  }

  /// The part before the first `-`.
  public var category: String {
    String(rawValue[..<(rawValue.firstIndex(of: "-") ?? rawValue.endIndex)])
  }

  /// The part after the first `-`.
  public var id: String {
    guard let dash = rawValue.firstIndex(of: "-") else { return "" }
    return String(rawValue[rawValue.index(after: dash)...])
  }

  public var description: String { rawValue }

  public static func < (lhs: StreamName, rhs: StreamName) -> Bool {
    lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
  }

  public init(from decoder: any Decoder) throws {
    let raw = try decoder.singleValueContainer().decode(String.self)
    do { try self.init(raw) } catch {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// Validates a category name (the part of a stream name before the first `-`).
public func validateCategory(_ category: String) throws(EventLogError) {
  guard !category.isEmpty, !category.contains("-"), category.utf8.count <= StreamName.maximumLength else {
    throw .invalidStreamName(category, reason: "a category is a non-empty name without '-'")
  }
}
