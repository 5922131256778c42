/// An annual interest rate in percent, held exactly as an integer number of millionths of a
/// percent: "0.125" (0.125 % a year) is 125,000. No floating point ever touches it.
///
/// Parsed from the decimal text a contract states, with at most six decimal places, from 0 %
/// (預託 to handling institutions is often interest-free) to 100 %. Text and JSON form is the
/// shortest exact decimal ("0.125", "1", "0.000001").
public struct InterestRate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// Millionths of a percent: 1,000,000 is 1 % a year.
  public let millionthsOfPercent: Int64

  /// The most decimal places a rate may have.
  public static let maximumDecimalPlaces = 6

  /// Millionths of a percent in one percent.
  public static let millionthsPerPercent: Int64 = 1_000_000

  /// 100 %: anything above it is a typing mistake, not a contract.
  public static let maximum = InterestRate(uncheckedMillionths: 100 * millionthsPerPercent)

  /// 0 %.
  public static let zero = InterestRate(uncheckedMillionths: 0)

  private init(uncheckedMillionths: Int64) {
    self.millionthsOfPercent = uncheckedMillionths
  }

  /// The rate of `millionths` millionths of a percent; throws outside 0 … 100 %.
  public init(millionthsOfPercent millionths: Int64) throws(DepositLedgerError) {
    guard millionths >= 0 else { throw .invalidRate(String(millionths), .negative) }
    guard millionths <= Self.maximum.millionthsOfPercent else { throw .invalidRate(Self.text(millionths), .tooLarge) }
    self.millionthsOfPercent = millionths
  }

  /// Parses a decimal percent such as `0.125`, `1`, `1.5` or `0.000001`.
  ///
  /// Refused with ``DepositLedgerError/invalidRate(_:_:)``: empty text, a sign (a negative rate
  /// is named as such), anything but ASCII digits and one point, a point with no digits on
  /// either side of it, more than six decimal places, and rates above 100 %.
  public init(percent text: String) throws(DepositLedgerError) {
    guard !text.isEmpty else { throw .invalidRate(text, .empty) }
    var bytes = Array(text.utf8)
    if bytes.first == UInt8(ascii: "-") || text.hasPrefix("−") { throw .invalidRate(text, .negative) }
    guard bytes.allSatisfy({ (0x30...0x39).contains($0) || $0 == UInt8(ascii: ".") }) else {
      throw .invalidRate(text, .malformed)
    }
    let points = bytes.filter { $0 == UInt8(ascii: ".") }.count
    guard points <= 1 else { throw .invalidRate(text, .malformed) }
    var fraction: [UInt8] = []
    if let point = bytes.firstIndex(of: UInt8(ascii: ".")) {
      fraction = Array(bytes[(point + 1)...])
      bytes = Array(bytes[..<point])
      guard !bytes.isEmpty, !fraction.isEmpty else { throw .invalidRate(text, .malformed) }
    }
    guard fraction.count <= Self.maximumDecimalPlaces else {
      throw .invalidRate(text, .tooManyDecimalPlaces(fraction.count))
    }
    // Leading zeros are harmless; more than three integer digits is certainly above 100 %.
    let integerDigits = bytes.drop { $0 == UInt8(ascii: "0") }
    guard integerDigits.count <= 3 else { throw .invalidRate(text, .tooLarge) }
    var millionths: Int64 = 0
    for digit in integerDigits { millionths = millionths * 10 + Int64(digit - 0x30) }
    for index in 0..<Self.maximumDecimalPlaces {
      millionths = millionths * 10 + (index < fraction.count ? Int64(fraction[index] - 0x30) : 0)
    }
    guard millionths <= Self.maximum.millionthsOfPercent else { throw .invalidRate(text, .tooLarge) }
    self.millionthsOfPercent = millionths
  }

  /// The shortest exact decimal: `0.125`, `1`, `0.000001`.
  public var description: String { Self.text(millionthsOfPercent) }

  public static func < (lhs: InterestRate, rhs: InterestRate) -> Bool { lhs.millionthsOfPercent < rhs.millionthsOfPercent }

  /// Decodes the decimal text (`"0.125"`), never a JSON number: a number would pass through a
  /// `Double` in most clients.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do { try self.init(percent: text) } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  /// Encodes as the decimal text, e.g. `"0.125"`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  private static func text(_ millionths: Int64) -> String {
    let sign = millionths < 0 ? "-" : ""
    let magnitude = millionths.magnitude
    let whole = magnitude / UInt64(millionthsPerPercent)
    var fraction = String(magnitude % UInt64(millionthsPerPercent))
    guard fraction != "0" else { return sign + String(whole) }
    fraction = String(repeating: "0", count: maximumDecimalPlaces - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return "\(sign)\(whole).\(fraction)"
  }

  /// Why rate text was refused.
  public enum Problem: Sendable, Hashable {
    /// No text at all.
    case empty
    /// A minus sign: rates here are never negative.
    case negative
    /// Not a plain decimal (letters, a `%`, spaces, two points, a bare point).
    case malformed
    /// More than six decimal places (the count given).
    case tooManyDecimalPlaces(Int)
    /// Above 100 % a year.
    case tooLarge
  }
}
