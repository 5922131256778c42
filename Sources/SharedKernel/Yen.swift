public import Foundation

/// An amount of money in whole yen (円), held as an `Int64`.
///
/// Arithmetic throws ``YenError`` instead of wrapping or trapping, because amounts come from
/// people and files: an absurd total must be a readable error, never a crash or a silent wrap.
/// There are deliberately no `+`/`-`/`*` operators, so every sum on an input path says `try`.
public struct Yen: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// The amount in yen; negative for a debit or a refund.
  public let amount: Int64

  /// No yen.
  public static let zero = Yen(0)

  /// The largest amount a `Yen` can hold (¥9,223,372,036,854,775,807).
  public static let max = Yen(Int64.max)

  /// The smallest amount a `Yen` can hold.
  public static let min = Yen(Int64.min)

  /// An amount of `amount` yen.
  public init(_ amount: Int64) {
    self.amount = amount
  }

  /// This amount plus `other`; throws instead of overflowing.
  public func adding(_ other: Yen) throws(YenError) -> Yen {
    let (result, overflow) = amount.addingReportingOverflow(other.amount)
    if overflow { throw .additionOverflow(self, other) }
    return Yen(result)
  }

  /// This amount minus `other`; throws instead of overflowing.
  public func subtracting(_ other: Yen) throws(YenError) -> Yen {
    let (result, overflow) = amount.subtractingReportingOverflow(other.amount)
    if overflow { throw .subtractionOverflow(self, other) }
    return Yen(result)
  }

  /// This amount times `factor` (a count, not a rate: rates are exact decimals elsewhere).
  public func multiplied(by factor: Int64) throws(YenError) -> Yen {
    let (result, overflow) = amount.multipliedReportingOverflow(by: factor)
    if overflow { throw .multiplicationOverflow(self, factor) }
    return Yen(result)
  }

  /// The same amount with the opposite sign; throws for ``Yen/min``, whose negation does not fit.
  public func negated() throws(YenError) -> Yen {
    try Yen.zero.subtracting(self)
  }

  /// The total of `amounts`, or an error naming the first addition that overflowed.
  ///
  /// A running total can overflow even when the final total would fit (e.g. `max, 1, -1`);
  /// that is reported, because the order an accountant adds in is the order the data came in.
  public static func sum(_ amounts: some Sequence<Yen>) throws(YenError) -> Yen {
    var total = Yen.zero
    for amount in amounts {
      total = try total.adding(amount)
    }
    return total
  }

  /// 千円 figure: the amount in thousands of yen, truncated toward zero (千円未満切り捨て), as the
  /// foundation's budget tables show it. −1,999 yen is −1 千円, never −2.
  public var thousandsOfYen: Int64 {
    amount / 1000
  }

  /// The notations in which the foundation writes amounts.
  public enum Notation: Sendable, Hashable, CaseIterable {
    /// `¥1,234,567` (negative: `-¥1,234,567`).
    case yenSign
    /// `1,234,567円` (negative: `-1,234,567円`).
    case yenSuffix
    /// `1,234千円`: thousands of yen, 千円未満切り捨て (see ``Yen/thousandsOfYen``).
    case thousandYen
  }

  /// The amount written in `notation`, with thousands separators and a leading minus when negative.
  public func formatted(_ notation: Notation = .yenSign) -> String {
    switch notation {
    case .yenSign:
      return (amount < 0 ? "-" : "") + "¥" + Self.groupedDigits(amount.magnitude)
    case .yenSuffix:
      return (amount < 0 ? "-" : "") + Self.groupedDigits(amount.magnitude) + "円"
    case .thousandYen:
      let thousands = thousandsOfYen
      return (thousands < 0 ? "-" : "") + Self.groupedDigits(thousands.magnitude) + "千円"
    }
  }

  /// `¥1,234,567`.
  public var description: String { formatted(.yenSign) }

  public static func < (lhs: Yen, rhs: Yen) -> Bool { lhs.amount < rhs.amount }

  /// Decodes a plain JSON integer (`1234567`), never a string or a float.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    self.init(try container.decode(Int64.self))
  }

  /// Encodes as a plain JSON integer (`1234567`).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(amount)
  }

  /// `1234567` → `1,234,567`. Works on the magnitude so `Int64.min` needs no negation.
  private static func groupedDigits(_ value: UInt64) -> String {
    let digits = Array(String(value))
    var result = ""
    result.reserveCapacity(digits.count + digits.count / 3)
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
      result.append(digit)
    }
    return result
  }
}

extension Sequence where Element == Yen {
  /// The total of these amounts; throws instead of overflowing (see ``Yen/sum(_:)``).
  public func sum() throws(YenError) -> Yen {
    try Yen.sum(self)
  }
}

/// Why a `Yen` calculation was refused.
public enum YenError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
  /// `lhs + rhs` does not fit in a `Yen`.
  case additionOverflow(Yen, Yen)
  /// `lhs - rhs` does not fit in a `Yen`.
  case subtractionOverflow(Yen, Yen)
  /// `amount × factor` does not fit in a `Yen`.
  case multiplicationOverflow(Yen, Int64)

  public var description: String {
    let limit = "amounts must lie between \(Yen.min) and \(Yen.max)"
    switch self {
    case let .additionOverflow(lhs, rhs):
      return "\(lhs) + \(rhs) is too large to hold: \(limit)"
    case let .subtractionOverflow(lhs, rhs):
      return "\(lhs) − \(rhs) is too large to hold: \(limit)"
    case let .multiplicationOverflow(amount, factor):
      return "\(amount) × \(factor) is too large to hold: \(limit)"
    }
  }

  public var errorDescription: String? { description }
}
