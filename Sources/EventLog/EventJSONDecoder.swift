public import Foundation

/// A strict, fast `Codable` JSON decoder for event data and metadata.
///
/// Foundation's `JSONDecoder` costs about 20 µs per event on Linux, which made decoding the
/// slowest part of reading the log and of rebuilding a projection. This one parses the UTF-8 bytes
/// once into a compact table of token offsets and decodes straight from it: keys are matched by
/// their bytes, and only the values asked for become `String`s.
///
/// For valid JSON (RFC 8259) it gives the same values as `JSONDecoder()` with its default options,
/// including Foundation's own treatment of `Data` (Base64), `URL`, `Decimal` and `Date`
/// (`deferredToDate`). Where they differ, it is stricter, on purpose:
/// - Trailing commas (`[1,]`, `{"a":1,}`), which Foundation accepts, are refused: they are not JSON.
/// - A number decodes as an integer type only when its exact decimal value is an integer in range
///   (`1.0`, `1e2`, `-0`); Foundation also accepts some non-integral numbers and rounds them
///   (`1.0000000000000000001` as `1`).
/// - Duplicate keys in an object: the first one wins, as in Foundation, and ``allKeys`` lists each
///   key once.
/// - Foundation refuses some valid numbers, such as `0e1` as a `Double`; this decoder reads them.
/// - A number out of range of the asked type is `dataCorrupted` at that value's coding path
///   (Foundation reports it at the top, with an empty path).
///
/// Input is UTF-8 (a leading byte-order mark is skipped); invalid UTF-8, unpaired surrogate
/// escapes, control characters in strings and nesting deeper than 512 are refused. Errors are
/// `DecodingError`s with the coding path of the value: `dataCorrupted` (with a
/// ``SyntaxError`` underneath for malformed JSON), `keyNotFound`, `typeMismatch`, `valueNotFound`.
public struct EventJSONDecoder: Sendable {
  /// Why bytes are not JSON: the byte offset and what was wrong there.
  public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "\(reason) at byte \(offset)" }
  }

  /// The deepest nesting of arrays and objects accepted (as Foundation's).
  public static let maximumDepth = 512

  /// What every `Decoder` of a decoding answers as its `userInfo` (the event codec passes its
  /// ``PersonalDataVault`` this way).
  public var userInfo: [CodingUserInfoKey: any Sendable]

  public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) { self.userInfo = userInfo }

  /// Decodes a value of `type` from JSON bytes.
  public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    let document = try data.withUnsafeBytes { try JSONDocument($0) }
    document.userInfo = userInfo
    return try document.decode(T.self, at: 0, path: [])
  }

  /// Decodes a value of `type` from JSON bytes someone else owns (a scan's borrowed event data):
  /// they are read during the call only, never kept.
  public func decode<T: Decodable>(_ type: T.Type, fromBytes bytes: UnsafeRawBufferPointer) throws -> T {
    let document = try JSONDocument(bytes)
    document.userInfo = userInfo
    return try document.decode(T.self, at: 0, path: [])
  }
}

// MARK: - Tokens

/// One JSON value in the token table.
struct JSONToken {
  enum Kind: UInt8 { case null, `true`, `false`, number, string, array, object }

  var kind: Kind
  /// Strings: whether there are escapes. Numbers: whether there is a fraction or an exponent.
  var flag: Bool
  /// Byte offset of a string's content (after the quote), a number's first byte, or a container's
  /// opening bracket.
  var start: Int32
  /// Byte offset just past a string's content or a number; for containers, the element count
  /// (pairs for an object).
  var end: Int32
  /// Index of the token after this value and everything inside it.
  var next: Int32
}

/// The parsed document: its bytes (copied, owned) and the token table, shared by every decoder
/// and container made while decoding it. Immutable once built.
final class JSONDocument {
  let bytes: UnsafeMutableBufferPointer<UInt8>
  let tokens: [JSONToken]
  /// Index of a `null` token that is no value of the document: what `superDecoder()` answers for
  /// a missing key.
  let missing: Int
  /// The decoding's `userInfo`, set once before the first value is decoded.
  var userInfo: [CodingUserInfoKey: any Sendable] = [:]

  /// Copies `data`: containers made while decoding keep the document, and a `Decodable` may keep
  /// a decoder longer than the caller keeps its bytes.
  init(_ data: UnsafeRawBufferPointer) throws {
    let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, data.count))
    if !data.isEmpty { UnsafeMutableRawBufferPointer(bytes).copyMemory(from: data) }
    var tokens: [JSONToken]
    do {
      var parser = JSONParser(bytes: UnsafeBufferPointer(rebasing: bytes[0..<data.count]))
      tokens = try parser.parseDocument()
    } catch {
      bytes.deallocate()
      throw DecodingError.dataCorrupted(
        .init(codingPath: [], debugDescription: "The given data was not valid JSON.", underlyingError: error))
    }
    missing = tokens.count
    tokens.append(JSONToken(kind: .null, flag: false, start: 0, end: 0, next: Int32(tokens.count + 1)))
    self.tokens = tokens
    self.bytes = bytes
  }

  deinit { bytes.deallocate() }

  @inline(__always) func token(_ index: Int) -> JSONToken { tokens[index] }

  // MARK: Errors

  static func describe(_ kind: JSONToken.Kind) -> String {
    switch kind {
    case .null: "null"
    case .true, .false: "bool"
    case .number: "number"
    case .string: "a string"
    case .array: "an array"
    case .object: "a dictionary"
    }
  }

  func mismatch(_ type: Any.Type, at index: Int, path: @autoclosure () -> [any CodingKey]) -> DecodingError {
    let kind = tokens[index].kind
    if kind == .null {
      return .valueNotFound(
        type, .init(codingPath: path(), debugDescription: "Cannot get value of type \(type) -- found null value instead"))
    }
    return .typeMismatch(
      type, .init(codingPath: path(), debugDescription: "Expected to decode \(type) but found \(Self.describe(kind)) instead."))
  }

  func corrupted(_ description: String, path: [any CodingKey]) -> DecodingError {
    .dataCorrupted(.init(codingPath: path, debugDescription: description))
  }

  // MARK: Scalars

  func isNull(_ index: Int) -> Bool { tokens[index].kind == .null }

  func bool(at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> Bool {
    switch tokens[index].kind {
    case .true: return true
    case .false: return false
    default: throw mismatch(Bool.self, at: index, path: path())
    }
  }

  func string(at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> String {
    let token = tokens[index]
    guard token.kind == .string else { throw mismatch(String.self, at: index, path: path()) }
    guard let text = string(token) else { throw corrupted("The string is not valid UTF-8.", path: path()) }
    return text
  }

  /// The text of a string token (its syntax, escapes and UTF-8 were checked by the parser); nil
  /// never happens for a token the parser made.
  func string(_ token: JSONToken) -> String? {
    let content = UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)])
    guard token.flag else { return String(decoding: content, as: UTF8.self) }
    return String(unsafeUninitializedCapacity: content.count) { output in
      var out = 0
      var i = 0
      while i < content.count {
        let byte = content[i]
        guard byte == UInt8(ascii: "\\") else {
          output[out] = byte
          out += 1
          i += 1
          continue
        }
        let escape = content[i + 1]
        i += 2
        let scalar: UInt32
        switch escape {
        case UInt8(ascii: "b"): scalar = 0x08
        case UInt8(ascii: "f"): scalar = 0x0C
        case UInt8(ascii: "n"): scalar = 0x0A
        case UInt8(ascii: "r"): scalar = 0x0D
        case UInt8(ascii: "t"): scalar = 0x09
        case UInt8(ascii: "u"):
          let high = JSONParser.hex4(content, at: i)
          i += 4
          if (0xD800..<0xDC00).contains(high) {
            let low = JSONParser.hex4(content, at: i + 2)
            i += 6
            scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
          } else {
            scalar = high
          }
        default: scalar = UInt32(escape)  // " \ /
        }
        // UTF-8 of the scalar: never longer than the escape that spelled it.
        if scalar < 0x80 {
          output[out] = UInt8(scalar)
          out += 1
        } else if scalar < 0x800 {
          output[out] = UInt8(0xC0 | (scalar >> 6))
          output[out + 1] = UInt8(0x80 | (scalar & 0x3F))
          out += 2
        } else if scalar < 0x10000 {
          output[out] = UInt8(0xE0 | (scalar >> 12))
          output[out + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
          output[out + 2] = UInt8(0x80 | (scalar & 0x3F))
          out += 3
        } else {
          output[out] = UInt8(0xF0 | (scalar >> 18))
          output[out + 1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
          output[out + 2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
          output[out + 3] = UInt8(0x80 | (scalar & 0x3F))
          out += 4
        }
      }
      return out
    }
  }

  /// Whether a key token spells `name`, comparing bytes where the key has no escapes.
  @inline(__always)
  func key(_ token: JSONToken, equals name: UnsafeBufferPointer<UInt8>) -> Bool {
    if token.flag {
      guard var text = string(token) else { return false }
      return text.withUTF8 { $0.elementsEqual(name) }
    }
    let count = Int(token.end - token.start)
    guard count == name.count else { return false }
    return count == 0 || memcmp(bytes.baseAddress! + Int(token.start), name.baseAddress!, count) == 0
  }

  func numberText(_ token: JSONToken) -> Substring {
    let content = UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)])
    return Substring(String(decoding: content, as: UTF8.self))
  }

  func integer<T: FixedWidthInteger>(_ type: T.Type, at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> T {
    let token = tokens[index]
    guard token.kind == .number else { throw mismatch(T.self, at: index, path: path()) }
    var i = Int(token.start)
    let end = Int(token.end)
    let negative = bytes[i] == UInt8(ascii: "-")
    if negative { i += 1 }
    if !token.flag {
      // Plain digits: accumulate the magnitude with overflow checks.
      var magnitude: UInt64 = 0
      var overflow = false
      while i < end {
        let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[i] &- 48))
        overflow = overflow || o1 || o2
        magnitude = sum
        i += 1
      }
      if !overflow, let value = Self.integer(T.self, magnitude: magnitude, negative: negative) { return value }
    } else if let value = exactInteger(T.self, token) {
      return value
    }
    throw corrupted("Number \(numberText(token)) is not an integer representable as \(T.self).", path: path())
  }

  static func integer<T: FixedWidthInteger>(_ type: T.Type, magnitude: UInt64, negative: Bool) -> T? {
    if !negative { return T(exactly: magnitude) }
    if magnitude == 0 { return 0 }
    guard T.isSigned, magnitude <= UInt64(Int64.max) + 1 else { return nil }
    let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
    return T(exactly: value)
  }

  /// The value of a number with a fraction or exponent when it is exactly an integer of `T`.
  func exactInteger<T: FixedWidthInteger>(_ type: T.Type, _ token: JSONToken) -> T? {
    var i = Int(token.start)
    let end = Int(token.end)
    let negative = bytes[i] == UInt8(ascii: "-")
    if negative { i += 1 }
    var digits: [UInt8] = []
    var fractionDigits = 0
    var inFraction = false
    while i < end, bytes[i] != UInt8(ascii: "e"), bytes[i] != UInt8(ascii: "E") {
      if bytes[i] == UInt8(ascii: ".") {
        inFraction = true
      } else {
        // Leading zeros don't change the value; fraction digits all shift it.
        if !digits.isEmpty || bytes[i] != UInt8(ascii: "0") { digits.append(bytes[i] &- 48) }
        if inFraction { fractionDigits += 1 }
      }
      i += 1
    }
    var exponent = 0
    if i < end {
      i += 1
      var exponentNegative = false
      if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
        exponentNegative = bytes[i] == UInt8(ascii: "-")
        i += 1
      }
      while i < end {
        exponent = Swift.min(exponent * 10 + Int(bytes[i] &- 48), 1_000_000)
        i += 1
      }
      if exponentNegative { exponent = -exponent }
    }
    if digits.isEmpty { return 0 }
    // value = digits × 10^(exponent − fractionDigits)
    var scale = exponent - fractionDigits
    while scale < 0, let last = digits.last, last == 0 {
      digits.removeLast()
      scale += 1
    }
    guard scale >= 0, digits.count + scale <= 20 else { return nil }
    var magnitude: UInt64 = 0
    for digit in digits + [UInt8](repeating: 0, count: scale) {
      let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
      if o1 || o2 { return nil }
      magnitude = sum
    }
    return Self.integer(T.self, magnitude: magnitude, negative: negative)
  }

  /// Whether a number's digits (before any exponent) are all zeros.
  func isZero(_ token: JSONToken) -> Bool {
    for i in Int(token.start)..<Int(token.end) {
      let byte = bytes[i]
      if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { break }
      if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") { return false }
    }
    return true
  }

  func double(at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> Double {
    let token = tokens[index]
    guard token.kind == .number else { throw mismatch(Double.self, at: index, path: path()) }
    if !token.flag, token.end - token.start <= 16,
      let value = try? integer(Int64.self, at: index, path: []), value.magnitude < 1 << 53
    {
      // Integers below 2^53 are exact as Doubles (−0 keeps its sign).
      return value == 0 && bytes[Int(token.start)] == UInt8(ascii: "-") ? -0.0 : Double(value)
    }
    guard let value = Double(numberText(token)), value.isFinite, value != 0 || isZero(token) else {
      throw corrupted("Number \(numberText(token)) is not representable as Double.", path: path())
    }
    return value
  }

  func float(at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> Float {
    let token = tokens[index]
    guard token.kind == .number else { throw mismatch(Float.self, at: index, path: path()) }
    guard let value = Float(numberText(token)), value.isFinite, value != 0 || isZero(token) else {
      throw corrupted("Number \(numberText(token)) is not representable as Float.", path: path())
    }
    return value
  }

  // MARK: Values of any type

  func decode<T: Decodable>(_ type: T.Type, at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> T {
    // Primitives without a decoder, and the types Foundation's JSONDecoder treats specially.
    // `same` is only reached when `T` is the very type of the value.
    if T.self == String.self { return same(try string(at: index, path: path()), as: T.self) }
    if T.self == Int.self { return same(try integer(Int.self, at: index, path: path()), as: T.self) }
    if T.self == Int64.self { return same(try integer(Int64.self, at: index, path: path()), as: T.self) }
    if T.self == Double.self { return same(try double(at: index, path: path()), as: T.self) }
    if T.self == Bool.self { return same(try bool(at: index, path: path()), as: T.self) }
    if T.self == Data.self {
      guard let value = Data(base64Encoded: try string(at: index, path: path())) else {
        throw corrupted("Encountered Data is not valid Base64.", path: path())
      }
      return same(value, as: T.self)
    }
    if T.self == URL.self {
      guard let value = URL(string: try string(at: index, path: path())) else { throw corrupted("Invalid URL string.", path: path()) }
      return same(value, as: T.self)
    }
    if T.self == Decimal.self {
      let token = tokens[index]
      guard token.kind == .number else { throw mismatch(Decimal.self, at: index, path: path()) }
      guard let value = Decimal(string: String(numberText(token)), locale: nil) else {
        throw corrupted("Number \(numberText(token)) is not representable as Decimal.", path: path())
      }
      return same(value, as: T.self)
    }
    return try T(from: JSONValueDecoder(document: self, index: index, codingPath: path()))
  }

  /// `value` as `T`, which the caller has checked is `V` itself (an `as?` cast would cost a
  /// generic metadata lookup on every call of the generic path).
  @inline(__always) private func same<V, T>(_ value: V, as type: T.Type) -> T {
    precondition(V.self == T.self)
    return unsafeBitCast(value, to: T.self)
  }

  func keyedContainer<Key: CodingKey>(
    keyedBy: Key.Type, at index: Int, path: [any CodingKey]
  ) throws -> KeyedDecodingContainer<Key> {
    let token = tokens[index]
    guard token.kind == .object else {
      if token.kind == .null {
        throw DecodingError.valueNotFound(
          [String: Any].self,
          .init(codingPath: path, debugDescription: "Cannot get keyed decoding container -- found null value instead"))
      }
      throw mismatch([String: Any].self, at: index, path: path)
    }
    return KeyedDecodingContainer(JSONKeyedContainer<Key>(document: self, object: index, codingPath: path))
  }

  func unkeyedContainer(at index: Int, path: [any CodingKey]) throws -> any UnkeyedDecodingContainer {
    let token = tokens[index]
    guard token.kind == .array else {
      if token.kind == .null {
        throw DecodingError.valueNotFound(
          [Any].self,
          .init(codingPath: path, debugDescription: "Cannot get unkeyed decoding container -- found null value instead"))
      }
      throw mismatch([Any].self, at: index, path: path)
    }
    return JSONUnkeyedContainer(document: self, array: index, codingPath: path)
  }
}

// MARK: - Parser

/// One pass over the bytes, validating RFC 8259 JSON and UTF-8, into the token table.
struct JSONParser {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0
  var tokens: [JSONToken] = []

  init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
    tokens.reserveCapacity(bytes.count / 8 + 4)
  }

  func fail(_ reason: String, at offset: Int? = nil) -> EventJSONDecoder.SyntaxError {
    EventJSONDecoder.SyntaxError(offset: offset ?? index, reason: reason)
  }

  mutating func parseDocument() throws -> [JSONToken] {
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    skipWhitespace()
    try parseValue(depth: 0)
    skipWhitespace()
    guard index == bytes.count else { throw fail("unexpected text after the value") }
    return tokens
  }

  @inline(__always) mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x0A, 0x0D, 0x09: index += 1
      default: return
      }
    }
  }

  mutating func parseValue(depth: Int) throws {
    guard index < bytes.count else { throw fail("unexpected end of data") }
    switch bytes[index] {
    case UInt8(ascii: "{"): try parseObject(depth: depth + 1)
    case UInt8(ascii: "["): try parseArray(depth: depth + 1)
    case UInt8(ascii: "\""): try parseString()
    case UInt8(ascii: "t"): try literal("true", .true)
    case UInt8(ascii: "f"): try literal("false", .false)
    case UInt8(ascii: "n"): try literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
    default: throw fail("unexpected character '\(Unicode.Scalar(bytes[index]))'")
    }
  }

  mutating func literal(_ word: StaticString, _ kind: JSONToken.Kind) throws {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count, memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0 else {
      throw fail("invalid literal")
    }
    tokens.append(JSONToken(kind: kind, flag: false, start: Int32(index), end: Int32(index + count), next: Int32(tokens.count + 1)))
    index += count
  }

  mutating func parseObject(depth: Int) throws {
    guard depth <= EventJSONDecoder.maximumDepth else { throw fail("nesting deeper than \(EventJSONDecoder.maximumDepth)") }
    let me = tokens.count
    tokens.append(JSONToken(kind: .object, flag: false, start: Int32(index), end: 0, next: 0))
    index += 1
    skipWhitespace()
    var count: Int32 = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
    } else {
      while true {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
        try parseString()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        index += 1
        skipWhitespace()
        try parseValue(depth: depth)
        count += 1
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end of data in an object") }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          skipWhitespace()
          continue
        }
        guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
        index += 1
        break
      }
    }
    tokens[me].end = count
    tokens[me].next = Int32(tokens.count)
  }

  mutating func parseArray(depth: Int) throws {
    guard depth <= EventJSONDecoder.maximumDepth else { throw fail("nesting deeper than \(EventJSONDecoder.maximumDepth)") }
    let me = tokens.count
    tokens.append(JSONToken(kind: .array, flag: false, start: Int32(index), end: 0, next: 0))
    index += 1
    skipWhitespace()
    var count: Int32 = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
    } else {
      while true {
        try parseValue(depth: depth)
        count += 1
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end of data in an array") }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          skipWhitespace()
          continue
        }
        guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
        index += 1
        break
      }
    }
    tokens[me].end = count
    tokens[me].next = Int32(tokens.count)
  }

  static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  /// Four hex digits already validated by the parser.
  static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt32 {
    var value: UInt32 = 0
    for i in offset..<offset + 4 { value = value << 4 | (hexValue(bytes[i]) ?? 0) }
    return value
  }

  mutating func readHex4() throws -> UInt32 {
    guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
    var value: UInt32 = 0
    for i in index..<index + 4 {
      guard let digit = Self.hexValue(bytes[i]) else { throw fail("invalid \\u escape", at: i) }
      value = value << 4 | digit
    }
    index += 4
    return value
  }

  /// Whether any of the eight bytes of `word` is a quote, a backslash, a control character or
  /// not ASCII (the bytes a string scan must look at one by one).
  @inline(__always) static func needsAttention(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5C)
    let zeroInQuote = (quote &- ones) & ~quote
    let zeroInBackslash = (backslash &- ones) & ~backslash
    let control = word &- ones &* 0x20
    return ((zeroInQuote | zeroInBackslash | control | word) & highs) != 0
  }

  mutating func parseString() throws {
    index += 1
    let start = index
    var escaped = false
    let base = bytes.baseAddress!
    while true {
      while index + 8 <= bytes.count, !Self.needsAttention(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
        index += 8
      }
      guard index < bytes.count else { throw fail("unterminated string", at: start - 1) }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") { break }
      if byte < 0x20 { throw fail("control character in a string") }
      if byte == UInt8(ascii: "\\") {
        escaped = true
        index += 1
        guard index < bytes.count else { throw fail("unterminated string", at: start - 1) }
        switch bytes[index] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
          UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          index += 1
        case UInt8(ascii: "u"):
          index += 1
          let unit = try readHex4()
          if (0xD800..<0xDC00).contains(unit) {
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
              throw fail("unpaired high surrogate")
            }
            index += 2
            guard (0xDC00..<0xE000).contains(try readHex4()) else { throw fail("unpaired high surrogate") }
          } else if (0xDC00..<0xE000).contains(unit) {
            throw fail("unpaired low surrogate")
          }
        default:
          throw fail("invalid escape")
        }
        continue
      }
      if byte < 0x80 {
        index += 1
        continue
      }
      try skipMultibyteScalar()
    }
    tokens.append(JSONToken(kind: .string, flag: escaped, start: Int32(start), end: Int32(index), next: Int32(tokens.count + 1)))
    index += 1
  }

  /// Validates one UTF-8 sequence of two to four bytes (no overlongs, surrogates or values past U+10FFFF).
  mutating func skipMultibyteScalar() throws {
    let lead = bytes[index]
    let length: Int
    var lower: UInt8 = 0x80
    var upper: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0: length = 3; lower = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: length = 3; upper = 0x9F
    case 0xF0: length = 4; lower = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4: length = 4; upper = 0x8F
    default: throw fail("invalid UTF-8")
    }
    guard index + length <= bytes.count else { throw fail("invalid UTF-8") }
    let second = bytes[index + 1]
    guard second >= lower, second <= upper else { throw fail("invalid UTF-8") }
    for i in 2..<length where bytes[index + i] & 0xC0 != 0x80 { throw fail("invalid UTF-8") }
    index += length
  }

  mutating func parseNumber() throws {
    let start = index
    var complex = false
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number", at: start) }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      complex = true
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number", at: start) }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      complex = true
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number", at: start) }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    tokens.append(JSONToken(kind: .number, flag: complex, start: Int32(start), end: Int32(index), next: Int32(tokens.count + 1)))
  }

  @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}

// MARK: - Decoder and containers

/// A coding key for array elements (`Index 3`) and `super`, as Foundation names them.
struct JSONIndexKey: CodingKey {
  var stringValue: String
  var intValue: Int?
  init(stringValue: String) { self.stringValue = stringValue }
  init(intValue: Int) {
    self.stringValue = "Index \(intValue)"
    self.intValue = intValue
  }
  static let `super` = JSONIndexKey(stringValue: "super")
}

/// The `Decoder` for one value of a document.
struct JSONValueDecoder: Decoder {
  let document: JSONDocument
  let index: Int
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { document.userInfo }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    try document.keyedContainer(keyedBy: Key.self, at: index, path: codingPath)
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try document.unkeyedContainer(at: index, path: codingPath)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    JSONSingleValueContainer(document: document, index: index, codingPath: codingPath)
  }
}

struct JSONSingleValueContainer: SingleValueDecodingContainer {
  let document: JSONDocument
  let index: Int
  let codingPath: [any CodingKey]

  func decodeNil() -> Bool { document.isNull(index) }
  func decode(_ type: Bool.Type) throws -> Bool { try document.bool(at: index, path: codingPath) }
  func decode(_ type: String.Type) throws -> String { try document.string(at: index, path: codingPath) }
  func decode(_ type: Double.Type) throws -> Double { try document.double(at: index, path: codingPath) }
  func decode(_ type: Float.Type) throws -> Float { try document.float(at: index, path: codingPath) }
  func decode(_ type: Int.Type) throws -> Int { try document.integer(Int.self, at: index, path: codingPath) }
  func decode(_ type: Int8.Type) throws -> Int8 { try document.integer(Int8.self, at: index, path: codingPath) }
  func decode(_ type: Int16.Type) throws -> Int16 { try document.integer(Int16.self, at: index, path: codingPath) }
  func decode(_ type: Int32.Type) throws -> Int32 { try document.integer(Int32.self, at: index, path: codingPath) }
  func decode(_ type: Int64.Type) throws -> Int64 { try document.integer(Int64.self, at: index, path: codingPath) }
  func decode(_ type: UInt.Type) throws -> UInt { try document.integer(UInt.self, at: index, path: codingPath) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try document.integer(UInt8.self, at: index, path: codingPath) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try document.integer(UInt16.self, at: index, path: codingPath) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try document.integer(UInt32.self, at: index, path: codingPath) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try document.integer(UInt64.self, at: index, path: codingPath) }
  func decode<T: Decodable>(_ type: T.Type) throws -> T { try document.decode(T.self, at: index, path: codingPath) }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let document: JSONDocument
  let object: Int
  let codingPath: [any CodingKey]
  /// Key → value token for large objects (first occurrence wins), so that decoding a big
  /// dictionary stays linear; small objects are searched in place.
  private let lookup: [String: Int]?

  init(document: JSONDocument, object: Int, codingPath: [any CodingKey]) {
    self.document = document
    self.object = object
    self.codingPath = codingPath
    if document.token(object).end > 16 {
      var lookup: [String: Int] = [:]
      var key = object + 1
      for _ in 0..<Int(document.token(object).end) {
        if let name = document.string(document.token(key)), lookup[name] == nil { lookup[name] = key + 1 }
        key = Int(document.token(key + 1).next)
      }
      self.lookup = lookup
    } else {
      self.lookup = nil
    }
  }

  /// The value token of `key`, if present (the first one, if repeated).
  func find(_ key: Key) -> Int? {
    var name = key.stringValue
    if let lookup { return lookup[name] }
    return name.withUTF8 { name in
      var keyIndex = object + 1
      for _ in 0..<Int(document.token(object).end) {
        if document.key(document.token(keyIndex), equals: name) { return keyIndex + 1 }
        keyIndex = Int(document.token(keyIndex + 1).next)
      }
      return nil
    }
  }

  func value(_ key: Key) throws -> Int {
    guard let index = find(key) else {
      throw DecodingError.keyNotFound(
        key,
        .init(codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
    }
    return index
  }

  func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

  var allKeys: [Key] {
    var seen = Set<String>()
    var keys: [Key] = []
    var keyIndex = object + 1
    for _ in 0..<Int(document.token(object).end) {
      if let name = document.string(document.token(keyIndex)), seen.insert(name).inserted, let key = Key(stringValue: name) {
        keys.append(key)
      }
      keyIndex = Int(document.token(keyIndex + 1).next)
    }
    return keys
  }

  func contains(_ key: Key) -> Bool { find(key) != nil }

  func decodeNil(forKey key: Key) throws -> Bool { document.isNull(try value(key)) }

  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try document.bool(at: try value(key), path: path(key)) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try document.string(at: try value(key), path: path(key)) }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try document.double(at: try value(key), path: path(key)) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try document.float(at: try value(key), path: path(key)) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try document.integer(Int.self, at: try value(key), path: path(key)) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try document.integer(Int8.self, at: try value(key), path: path(key)) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try document.integer(Int16.self, at: try value(key), path: path(key)) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try document.integer(Int32.self, at: try value(key), path: path(key)) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try document.integer(Int64.self, at: try value(key), path: path(key)) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try document.integer(UInt.self, at: try value(key), path: path(key)) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try document.integer(UInt8.self, at: try value(key), path: path(key)) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try document.integer(UInt16.self, at: try value(key), path: path(key)) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try document.integer(UInt32.self, at: try value(key), path: path(key)) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try document.integer(UInt64.self, at: try value(key), path: path(key)) }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try document.decode(T.self, at: try value(key), path: path(key))
  }

  /// The value token of `key` unless it is missing or null.
  func present(_ key: Key) -> Int? {
    guard let index = find(key), !document.isNull(index) else { return nil }
    return index
  }

  func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
    try present(key).map { try document.bool(at: $0, path: path(key)) }
  }
  func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
    try present(key).map { try document.string(at: $0, path: path(key)) }
  }
  func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
    try present(key).map { try document.double(at: $0, path: path(key)) }
  }
  func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
    try present(key).map { try document.float(at: $0, path: path(key)) }
  }
  func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
    try present(key).map { try document.integer(Int.self, at: $0, path: path(key)) }
  }
  func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
    try present(key).map { try document.integer(Int64.self, at: $0, path: path(key)) }
  }
  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    try present(key).map { try document.decode(T.self, at: $0, path: path(key)) }
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try document.keyedContainer(keyedBy: NestedKey.self, at: try value(key), path: path(key))
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try document.unkeyedContainer(at: try value(key), path: path(key))
  }

  func superDecoder() throws -> any Decoder {
    let index = lookupSuper() ?? document.missing
    return JSONValueDecoder(document: document, index: index, codingPath: codingPath + [JSONIndexKey.super])
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    JSONValueDecoder(document: document, index: find(key) ?? document.missing, codingPath: path(key))
  }

  private func lookupSuper() -> Int? {
    var keyIndex = object + 1
    for _ in 0..<Int(document.token(object).end) {
      if document.string(document.token(keyIndex)) == "super" { return keyIndex + 1 }
      keyIndex = Int(document.token(keyIndex + 1).next)
    }
    return nil
  }
}

struct JSONUnkeyedContainer: UnkeyedDecodingContainer {
  let document: JSONDocument
  let array: Int
  let codingPath: [any CodingKey]
  /// The token of the element at `currentIndex`.
  private var cursor: Int
  private(set) var currentIndex = 0

  init(document: JSONDocument, array: Int, codingPath: [any CodingKey]) {
    self.document = document
    self.array = array
    self.codingPath = codingPath
    self.cursor = array + 1
  }

  var count: Int? { Int(document.token(array).end) }
  var isAtEnd: Bool { currentIndex >= Int(document.token(array).end) }

  private var path: [any CodingKey] { codingPath + [JSONIndexKey(intValue: currentIndex)] }

  /// The current element's token; throws `valueNotFound` at the end.
  private func current(_ type: Any.Type) throws -> Int {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "Unkeyed container is at end."))
    }
    return cursor
  }

  private mutating func advance() {
    cursor = Int(document.token(cursor).next)
    currentIndex += 1
  }

  mutating func decodeNil() throws -> Bool {
    guard document.isNull(try current(Any?.self)) else { return false }
    advance()
    return true
  }

  mutating func decode(_ type: Bool.Type) throws -> Bool { try next { try $0.bool(at: $1, path: $2()) } }
  mutating func decode(_ type: String.Type) throws -> String { try next { try $0.string(at: $1, path: $2()) } }
  mutating func decode(_ type: Double.Type) throws -> Double { try next { try $0.double(at: $1, path: $2()) } }
  mutating func decode(_ type: Float.Type) throws -> Float { try next { try $0.float(at: $1, path: $2()) } }
  mutating func decode(_ type: Int.Type) throws -> Int { try next { try $0.integer(Int.self, at: $1, path: $2()) } }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { try next { try $0.integer(Int8.self, at: $1, path: $2()) } }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { try next { try $0.integer(Int16.self, at: $1, path: $2()) } }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { try next { try $0.integer(Int32.self, at: $1, path: $2()) } }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { try next { try $0.integer(Int64.self, at: $1, path: $2()) } }
  mutating func decode(_ type: UInt.Type) throws -> UInt { try next { try $0.integer(UInt.self, at: $1, path: $2()) } }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next { try $0.integer(UInt8.self, at: $1, path: $2()) } }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next { try $0.integer(UInt16.self, at: $1, path: $2()) } }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next { try $0.integer(UInt32.self, at: $1, path: $2()) } }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next { try $0.integer(UInt64.self, at: $1, path: $2()) } }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next { try $0.decode(T.self, at: $1, path: $2()) } }

  /// Decodes the current element with `body` and moves past it only if that succeeded.
  private mutating func next<T>(_ body: (JSONDocument, Int, () -> [any CodingKey]) throws -> T) throws -> T {
    let index = try current(T.self)
    let codingPath = codingPath
    let position = currentIndex
    let value = try body(document, index, { codingPath + [JSONIndexKey(intValue: position)] })
    advance()
    return value
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
    try next { try $0.keyedContainer(keyedBy: NestedKey.self, at: $1, path: $2()) }
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try next { try $0.unkeyedContainer(at: $1, path: $2()) }
  }

  mutating func superDecoder() throws -> any Decoder {
    try next { JSONValueDecoder(document: $0, index: $1, codingPath: $2()) }
  }
}
