public import Foundation
public import SharedKernel

/// What a decision is made with besides the state: today in Japan (the business date), the
/// instant, and who asks. Deciders read no clock; the service passes all three in.
public struct TreasuryContext: Sendable, Hashable {
  public var today: LocalDate
  public var at: Date
  /// The signed-in user and the role they act in.
  public var by: Principal

  public init(today: LocalDate, at: Date, by: Principal) {
    self.today = today
    self.at = at
    self.by = by
  }

  /// Today in Japan at `instant` (the fixed +09:00 offset), the instant, and who asks.
  public init(at instant: Date, by: Principal) throws(LocalDateError) {
    self.today = try LocalDate(japanTimeOf: instant)
    self.at = instant
    self.by = by
  }

  /// The user asking, when they act in one of `roles`; otherwise ``DepositLedgerError/forbidden(action:allowed:actual:)``.
  func user(in roles: [Role], to action: String) throws(DepositLedgerError) -> UserID {
    guard case .user(let id, let role) = by, roles.contains(role) else {
      throw .forbidden(action: action, allowed: roles, actual: by.role)
    }
    return id
  }

  var timestamp: Timestamp { Timestamp(at) }
}

/// Text as typed into forms and files.
enum Text {
  static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

  /// Trimmed; nil when nothing is left.
  static func optional(_ text: String?) -> String? {
    guard let text else { return nil }
    let trimmed = trimmed(text)
    return trimmed.isEmpty ? nil : trimmed
  }

  /// The text trimmed, when it has 1…`limit` characters; nil otherwise (the caller throws its own error).
  static func required(_ text: String, limit: Int) -> String? {
    let trimmed = trimmed(text)
    return (1...limit).contains(trimmed.count) ? trimmed : nil
  }
}
