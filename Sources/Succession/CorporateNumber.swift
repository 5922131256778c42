/// 法人番号: the 13-digit corporate number the National Tax Agency (国税庁) gives every
/// registered company and public body. Its first digit is a check digit over the other twelve
/// (the 会社法人等番号 or the body's code):
///
///     check = 9 − (Σ Pₙ × Qₙ mod 9),  n = 1…12 counted from the right of the twelve,
///                                      Qₙ = 1 for odd n, 2 for even n
///
/// so the check digit is 1…9 and a number starting with 0 is never valid. People type it with
/// full-width digits, hyphens or spaces (`７-００００-１２０５-０００２`); it is kept as the 13
/// ASCII digits, which is also how it appears in stream names (`company-7000012050002`).
public struct CorporateNumber: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// The 13 ASCII digits.
  public let digits: String

  /// Reads a number as typed: full-width digits, hyphens and spaces are fine; the check digit must hold.
  public init(_ typed: String) throws(CorporateNumberError) {
    var digits: [UInt8] = []
    for scalar in typed.unicodeScalars {
      switch scalar.value {
      case 0x30...0x39: digits.append(UInt8(scalar.value - 0x30))
      case 0xFF10...0xFF19: digits.append(UInt8(scalar.value - 0xFF10))
      // Spaces and every dash a Japanese keyboard produces: - ‐ ‑ ‒ – — ― − ー ｰ －.
      case 0x20, 0x3000, 0x09, 0x2D, 0x2010...0x2015, 0x2212, 0x30FC, 0xFF70, 0xFF0D: continue
      default: throw .invalidCharacters(typed)
      }
    }
    guard !digits.isEmpty else { throw .empty }
    guard digits.count == 13 else {
      if digits.count == 12 { throw .twelveDigits(typed) }
      throw .wrongLength(typed, digits: digits.count)
    }
    let expected = Self.checkDigit(for: Array(digits.dropFirst()))
    guard Int(digits[0]) == expected else { throw .wrongCheckDigit(typed, expected: expected) }
    self.digits = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
  }

  /// The check digit for a 12-digit base (the digits in reading order, left to right).
  public static func checkDigit(for base: [UInt8]) -> Int {
    precondition(base.count == 12, "a corporate number's base has 12 digits")
    var sum = 0
    for (offset, digit) in base.reversed().enumerated() {
      // offset 0 is n = 1 (odd, weight 1).
      sum += Int(digit) * (offset % 2 == 0 ? 1 : 2)
    }
    return 9 - sum % 9
  }

  public var description: String { digits }

  public static func < (lhs: CorporateNumber, rhs: CorporateNumber) -> Bool { lhs.digits < rhs.digits }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do { try self.init(text) } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(digits)
  }
}

/// Why a 法人番号 was refused, in words a desk can act on.
public enum CorporateNumberError: Error, Sendable, Hashable, CustomStringConvertible {
  case empty
  /// Something other than digits, hyphens and spaces.
  case invalidCharacters(String)
  /// Twelve digits: most likely the 会社法人等番号 without the check digit.
  case twelveDigits(String)
  case wrongLength(String, digits: Int)
  /// The first digit does not match the other twelve (a typing error).
  case wrongCheckDigit(String, expected: Int)

  public var description: String {
    switch self {
    case .empty: "法人番号が空です"
    case .invalidCharacters(let text): "法人番号「\(text)」には数字以外の文字が含まれています（13桁の数字で入力してください）"
    case .twelveDigits(let text):
      "「\(text)」は12桁です。法人番号は先頭に検査用数字の付いた13桁です（12桁の会社法人等番号ではありません）"
    case .wrongLength(let text, let digits): "法人番号「\(text)」は\(digits)桁です（13桁で入力してください）"
    case .wrongCheckDigit(let text, let expected):
      "法人番号「\(text)」は検査用数字（先頭の1桁）が合いません。入力を確認してください（残り12桁なら先頭は\(expected)です）"
    }
  }
}
