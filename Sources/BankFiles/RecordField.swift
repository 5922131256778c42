/// A field of a fixed-width 全銀 record: its Japanese name from the layout, where it sits, and
/// its attribute. Errors name fields by these, so a treasurer can find the bytes with the bank's
/// own layout sheet.
public struct RecordField: Sendable, Hashable, CustomStringConvertible {
  /// The attribute of a field (属性).
  public enum Attribute: Sendable, Hashable {
    /// N: ASCII digits, right-justified, zero-filled (右詰め残り前「0」).
    case numeric
    /// C: characters, left-justified, space-filled (左詰め残りスペース).
    case character
  }

  /// The layout's name, e.g. 入金件数.
  public let name: String
  /// The first byte, 1-based as the layout tables count.
  public let firstByte: Int
  /// The length in bytes (桁).
  public let length: Int
  /// N or C.
  public let attribute: Attribute

  /// The field `name` of `length` bytes from byte `firstByte` (1-based).
  public init(_ name: String, _ firstByte: Int, _ length: Int, _ attribute: Attribute) {
    self.name = name
    self.firstByte = firstByte
    self.length = length
    self.attribute = attribute
  }

  /// The last byte, 1-based.
  public var lastByte: Int { firstByte + length - 1 }

  /// The 0-based offsets of the field in its record.
  var offsets: Range<Int> { (firstByte - 1)..<(firstByte - 1 + length) }

  /// `入金件数（2〜7バイト目）`.
  public var description: String {
    firstByte == lastByte ? "\(name)（\(firstByte)バイト目）" : "\(name)（\(firstByte)〜\(lastByte)バイト目）"
  }
}

/// The kinds of record of a 全銀 file, by their データ区分.
public enum RecordKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// ヘッダー・レコード, データ区分 1.
  case header
  /// データ・レコード, データ区分 2.
  case data
  /// トレーラ・レコード, データ区分 8.
  case trailer
  /// エンド・レコード, データ区分 9.
  case end

  /// The データ区分 byte.
  public var code: UInt8 {
    switch self {
    case .header: 0x31
    case .data: 0x32
    case .trailer: 0x38
    case .end: 0x39
    }
  }

  /// The kind with データ区分 `code`, or nil.
  public init?(code: UInt8) {
    guard let kind = Self.allCases.first(where: { $0.code == code }) else { return nil }
    self = kind
  }

  /// ヘッダー・レコード（1） and so on.
  public var description: String {
    switch self {
    case .header: "ヘッダー・レコード（1）"
    case .data: "データ・レコード（2）"
    case .trailer: "トレーラ・レコード（8）"
    case .end: "エンド・レコード（9）"
    }
  }
}
