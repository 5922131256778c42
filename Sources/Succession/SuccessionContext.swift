public import EventLog
public import Foundation
public import SharedKernel

/// The time a decision is made at: today in Japan (the business date every event records) and
/// the instant. Deciders read no clock; the service passes both in.
public struct SuccessionContext: Sendable, Hashable {
  public var today: LocalDate
  public var at: Date

  public init(today: LocalDate, at: Date) {
    self.today = today
    self.at = at
  }

  /// Today in Japan at `instant` (the fixed +09:00 offset), and the instant.
  public init(at instant: Date) throws(LocalDateError) {
    self.today = try LocalDate(japanTimeOf: instant)
    self.at = instant
  }
}

/// Events for one stream of a decision that writes several.
public struct StreamEvents<Event: Sendable>: Sendable {
  public var stream: StreamName
  public var events: [Event]

  public init(stream: StreamName, events: [Event]) {
    self.stream = stream
    self.events = events
  }
}

extension StreamEvents: Equatable where Event: Equatable {}

/// Text as typed into forms and files.
enum Text {
  static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

  /// Trimmed; nil when nothing is left.
  static func optional(_ text: String?) -> String? {
    guard let text else { return nil }
    let trimmed = trimmed(text)
    return trimmed.isEmpty ? nil : trimmed
  }

  /// A phone number in ASCII digits and hyphens (full-width digits and any dash accepted), or
  /// nil when it has fewer than 10 digits or other characters.
  static func phone(_ text: String) -> String? {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x30...0x39: out.unicodeScalars.append(scalar)
      case 0xFF10...0xFF19: out.unicodeScalars.append(Unicode.Scalar(UInt8(truncatingIfNeeded: scalar.value - 0xFF10 + 0x30)))
      case 0x2D, 0xFF0D, 0x30FC, 0xFF70, 0x2010...0x2015, 0x2212: out.append("-")
      case 0x20, 0x3000, 0x28, 0x29, 0xFF08, 0xFF09: continue
      default: return nil
      }
    }
    guard out.filter(\.isNumber).count >= 10, out.count <= 20 else { return nil }
    return out
  }

  /// The text trimmed, when it has 1…`limit` characters; nil otherwise (the caller throws its own error).
  static func required(_ text: String, limit: Int) -> String? {
    let trimmed = trimmed(text)
    return (1...limit).contains(trimmed.count) ? trimmed : nil
  }
}
