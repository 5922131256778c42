import Foundation

/// JIS X 0201 8-bit (JIS8), the character code of 全銀 files with コード区分 0: ASCII in
/// 0x20–0x7E (but 0x5C is ¥ and 0x7E is ‾) and half-width katakana in 0xA1–0xDF — the single-byte
/// part of Shift_JIS, one byte per character, so byte positions never shift.
///
/// Decoded here by table rather than by Foundation's Shift_JIS decoder: the table is exact (a
/// Shift_JIS decoder returns `\` for 0x5C), and a file holding a double-byte character must be
/// refused, not decoded.
public enum JIS8 {
  /// What a byte is in a 全銀 file.
  public enum ByteClass: Sendable, Hashable {
    /// A JIS8 character.
    case character(Unicode.Scalar)
    /// The lead byte of a Shift_JIS double-byte character (0x81–0x9F, 0xE0–0xFC): full-width
    /// text, which a 全銀 file never holds.
    case doubleByteLead
    /// A control character or an unassigned byte.
    case invalid
  }

  /// What `byte` is.
  public static func classify(_ byte: UInt8) -> ByteClass {
    switch byte {
    case 0x5C: .character("\u{00A5}")  // ¥
    case 0x7E: .character("\u{203E}")  // ‾
    case 0x20...0x7E: .character(Unicode.Scalar(byte))
    case 0xA1...0xDF: Unicode.Scalar(0xFF61 + UInt32(byte) - 0xA1).map(ByteClass.character) ?? .invalid
    case 0x81...0x9F, 0xE0...0xFC: .doubleByteLead
    default: .invalid
    }
  }

  /// The text of `bytes`, one character per byte; a byte that is no JIS8 character shows as
  /// `<0x81>` (for messages: parsers refuse such bytes before decoding fields).
  public static func decode(_ bytes: some Sequence<UInt8>) -> String {
    var text = ""
    for byte in bytes {
      if case .character(let scalar) = classify(byte) {
        text.unicodeScalars.append(scalar)
      } else {
        text += "<0x\(hex(byte))>"
      }
    }
    return text
  }

  /// The JIS8 byte of `scalar`: ASCII 0x20–0x7E as itself (`\` and `~` included), ¥ as 0x5C, ‾ as
  /// 0x7E, half-width katakana U+FF61–U+FF9F as 0xA1–0xDF; nil for anything else.
  public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
    switch scalar.value {
    case 0x20...0x7E: UInt8(scalar.value)
    case 0xA5: 0x5C
    case 0x203E: 0x7E
    case 0xFF61...0xFF9F: UInt8(scalar.value - 0xFF61 + 0xA1)
    default: nil
    }
  }

  /// A 全銀 name as people read it: NFKC (half-width katakana become full-width, ｶﾞ becomes ガ;
  /// ASCII stays ASCII), trailing spaces removed.
  ///
  /// NFC follows NFKC because Foundation on Linux leaves ｶﾞ as カ + U+3099 (the combining mark)
  /// instead of composing it to ガ: equal as Swift strings, different bytes in JSON and SQL.
  public static func readable(_ text: String) -> String {
    var result = text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
    while result.last == " " { result.removeLast() }
    return result
  }

  /// A character of a text that no JIS8 byte (or pair: ｶﾞ) holds, and its 1-based position in the text.
  struct UnwritableCharacter: Error, Hashable {
    var character: Character
    var position: Int
  }

  /// The JIS8 bytes that ``readable(_:)`` reads back as `text`: its inverse, for writing 全銀 text
  /// from the full-width form statements are read into.
  ///
  /// Character by character, after NFKC (so half-width and full-width input alike: ｶ and カ, Ａ and
  /// A, the ideographic space): a katakana with ゛ or ゜ becomes two bytes (ガ → ｶﾞ, パ → ﾊﾟ,
  /// ヴ → ｳﾞ); small kana are written large as 付録1 says (ョ → ﾖ, ッ → ﾂ, ヵ → ｶ), so they read
  /// back large; ー → ｰ; 。「」、・ → ｡｢｣､･; the spacing marks ゛ ゜ → ﾞ ﾟ; ¥ → 0x5C and ‾ → 0x7E;
  /// other ASCII as itself. `\` and `~` are refused, not written: their bytes read back as ¥ and ‾.
  /// So are kanji, hiragana, ヰ and ヱ (no half-width form) and anything else outside JIS8.
  static func encode(readable text: String) -> Result<[UInt8], UnwritableCharacter> {
    var bytes: [UInt8] = []
    for (offset, character) in text.enumerated() {
      guard let encoded = Self.bytes(for: character) else { return .failure(UnwritableCharacter(character: character, position: offset + 1)) }
      bytes += encoded
    }
    return .success(bytes)
  }

  private static func bytes(for character: Character) -> [UInt8]? {
    switch character {
    case "\u{309B}": return [0xDE]  // ゛, which NFKC would make a space and a combining mark
    case "\u{309C}": return [0xDF]  // ゜
    default: break
    }
    let compatible = String(character).precomposedStringWithCompatibilityMapping
    if compatible == " \u{0305}" { return [0x7E] }  // ‾, as readable gives it: a space and a combining overline
    var bytes: [UInt8] = []
    for scalar in compatible.decomposedStringWithCanonicalMapping.unicodeScalars {
      switch scalar.value {
      case 0x5C, 0x7E: return nil
      case 0x20...0x7E: bytes.append(UInt8(scalar.value))
      case 0xA5: bytes.append(0x5C)
      default:
        guard let byte = halfWidth[scalar] else { return nil }
        bytes.append(byte)
      }
    }
    return bytes
  }

  /// The byte of each full-width form that ``readable(_:)`` gives a half-width katakana or mark
  /// (ア → 0xB1, ー → 0xB0, the combining ゛ U+3099 → 0xDE), small kana mapped to their large bytes.
  /// Derived from NFKC itself, so that it is readable's inverse by construction.
  private static let halfWidth: [Unicode.Scalar: UInt8] = {
    var table: [Unicode.Scalar: UInt8] = [:]
    for byte in UInt8(0xA1)...0xDF {
      guard case .character(let scalar) = classify(byte) else { continue }
      let full = String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars
      if full.count == 1, let first = full.first { table[first] = byte }
    }
    for (small, large) in zip("ァィゥェォッャュョヮヵヶ".unicodeScalars, "アイウエオツヤユヨワカケ".unicodeScalars) {
      table[small] = table[large]
    }
    return table
  }()

  /// `81` for 0x81.
  static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
  }
}

/// The 全銀 character set for the text fields of a transfer (付録1 使用文字一覧), in half-width
/// characters as the file holds them.
///
/// | kind | allowed |
/// |---|---|
/// | ``FieldKind/name`` (口座名, 振込依頼人名, 受取人名) | ｱ–ﾝ (not ｦ, no small kana), ﾞ ﾟ ｰ, A–Z, 0–9, space, `( ) - .` |
/// | ``FieldKind/bankOrBranchName`` (銀行名, 支店名) | the same without `( ) .` |
/// | ``FieldKind/edi`` (EDI情報) | the name set plus ｦ and `¥ ｢ ｣ /` (never a comma) |
///
/// Small kana are written large (キョウ → ｷﾖｳ); a legal form sits in the name as `ｶ)` or `(ｶ`.
/// DepositLedger's `ZenginText` (account names of institutions) predates this table and differs
/// in three characters (it takes ｦ and `/`, and refuses ｰ).
public enum ZenginKana {
  /// Which of 付録1's sets a field uses.
  public enum FieldKind: Sendable, Hashable {
    /// 口座名・振込依頼人名・受取人名.
    case name
    /// 銀行名・支店名.
    case bankOrBranchName
    /// EDI情報.
    case edi
  }

  /// Whether `scalar` may appear in a field of `kind`.
  public static func isAllowed(_ scalar: Unicode.Scalar, in kind: FieldKind) -> Bool {
    switch scalar.value {
    case 0x20, 0x30...0x39, 0x41...0x5A, 0x2D: return true  // space, 0–9, A–Z, -
    case 0xFF70, 0xFF71...0xFF9D, 0xFF9E, 0xFF9F: return true  // ｰ, ｱ–ﾝ, ﾞ, ﾟ
    case 0x28, 0x29, 0x2E: return kind != .bankOrBranchName  // ( ) .
    case 0xFF66, 0xA5, 0xFF62, 0xFF63, 0x2F: return kind == .edi  // ｦ ¥ ｢ ｣ /
    default: return false
    }
  }

  /// The first character of `text` not allowed in a field of `kind`, with its 1-based position.
  public static func firstDisallowed(in text: String, kind: FieldKind) -> (character: Character, position: Int)? {
    for (index, scalar) in text.unicodeScalars.enumerated() where !isAllowed(scalar, in: kind) {
      return (Character(scalar), index + 1)
    }
    return nil
  }

  /// What to write instead of `character`, for messages.
  static func hint(for character: Character, in kind: FieldKind) -> String {
    guard let scalar = character.unicodeScalars.first else { return "" }
    switch scalar.value {
    case 0x61...0x7A: return "英字は大文字で書きます"
    case 0xFF67...0xFF6F: return "小さいカナは大きく書きます（ｯ → ﾂ、ｮ → ﾖ）"
    case 0xFF66: return "ｦ は EDI情報 にしか使えません（ｵ と書きます）"
    case 0x3000: return "空白は半角で書きます"
    case 0x3041...0x30FF, 0xFF01...0xFF5E: return "全角の文字は使えません。半角カナ・英大文字・数字で書きます"
    case 0x28, 0x29, 0x2E: return "銀行名・支店名に使える記号は - だけです"
    default:
      switch kind {
      case .name: return "使えるのは半角カナ（ｦ と小さいカナを除く）、ﾞ ﾟ ｰ、英大文字、数字、空白と ( ) - . です"
      case .bankOrBranchName: return "使えるのは半角カナ（ｦ と小さいカナを除く）、ﾞ ﾟ ｰ、英大文字、数字、空白と - です"
      case .edi: return "使えるのは半角カナ（小さいカナを除く）、ﾞ ﾟ ｰ、英大文字、数字、空白と ¥ ｢ ｣ ( ) - / . です（コンマは使えません）"
      }
    }
  }
}
