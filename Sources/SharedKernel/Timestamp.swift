public import Foundation

/// An instant stored in event data as ISO-8601 text in UTC with milliseconds
/// (`"2026-11-29T13:30:00.000Z"`), so `kipctl events read` shows a time a person can read.
/// Finer than a millisecond is dropped, as the log's own record times do.
public struct Timestamp: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The instant, to the millisecond.
  public let date: Date

  public init(_ date: Date) {
    let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
    self.date = Date(timeIntervalSince1970: milliseconds / 1000)
  }

  private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

  public var description: String { date.formatted(Self.style) }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do { self.init(try Self.style.parse(text)) } catch {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "\(String(reflecting: text)) is not an ISO-8601 time such as 2026-11-29T13:30:00.000Z")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
