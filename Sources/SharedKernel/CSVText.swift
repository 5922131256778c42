public import Foundation

/// CSV for downloads, as Excel in Japan opens it cleanly: UTF-8 with a byte-order mark, CRLF
/// line ends, and a field quoted (its quotes doubled) when it holds a comma, a quote, a line
/// break or leading or trailing spaces (RFC 4180).
public enum CSVText {
  /// The rows as one file.
  public static func render(_ rows: [[String]]) -> Data {
    var text = "\u{FEFF}"
    for row in rows {
      text += row.map(quoted).joined(separator: ",")
      text += "\r\n"
    }
    return Data(text.utf8)
  }

  /// One field as it is written in a file.
  public static func quoted(_ field: String) -> String {
    let needs = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
      || field.first?.isWhitespace == true || field.last?.isWhitespace == true
    guard needs else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

/// The encoding a file was read in.
public enum TextEncoding: String, Sendable, Hashable, Codable {
  /// UTF-8, with or without a byte-order mark (Excel's 「CSV UTF-8」 writes one).
  case utf8 = "utf-8"
  /// Shift_JIS as Windows and Excel in Japan write it: CP932 (Windows-31J), with the NEC and IBM
  /// extensions (①, ㈱, 髙, 﨑) and Microsoft's mappings (0x8160 is ～ U+FF5E, 0x817C is － U+FF0D).
  case shiftJIS = "shift_jis"
}

/// One record of a CSV file and the line of the file it starts on (1 is the first line; a quoted
/// field with line breaks makes the next record start further down).
public struct CSVRecord: Sendable, Hashable {
  public var line: Int
  public var fields: [String]

  public init(line: Int, fields: [String]) {
    self.line = line
    self.fields = fields
  }

  /// Whether every field is empty or spaces (Excel writes `,,,,` for a blank formatted row).
  public var isBlank: Bool { fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
}

/// Why a CSV file cannot be read; each module says it as its own error.
public enum CSVReadError: Error, Sendable, Hashable {
  /// Not text in an encoding read here; the reason names the line.
  case unreadable(reason: String)
  /// Not RFC 4180 at `line`.
  case syntax(line: Int, reason: String)
}

/// Reading comma-separated files as staff, partners and banks send them (RFC 4180): fields in
/// double quotes when they hold a comma, a quote (doubled) or a line break; lines ending in
/// CRLF, LF or CR; UTF-8 (with or without a BOM) or Shift_JIS (CP932).
extension CSVText {
  // MARK: Decoding

  /// The text of a file: UTF-8 when it has a BOM or is valid UTF-8, otherwise Shift_JIS (CP932).
  ///
  /// Foundation on Linux reads `.shiftJIS` as CP932 (it names it "Japanese (Windows, DOS)"):
  /// ～ − ① ㈱ 髙 﨑 and the NEC/IBM rows decode to the characters Windows shows, and a byte
  /// sequence that is not CP932 makes it fail rather than guess; the tests pin both. Japanese
  /// text in CP932 is practically never valid UTF-8 (its lead bytes 0x81–0x9F are UTF-8
  /// continuation bytes), so trying UTF-8 first does not misread it; an ASCII-only file reads
  /// the same either way.
  public static func decode(_ data: Data) throws(CSVReadError) -> (text: String, encoding: TextEncoding) {
    let bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      guard let text = String(validating: bytes.dropFirst(3), as: UTF8.self) else {
        throw .unreadable(reason: "UTF-8（BOM付き）として読めない文字があります（\(firstLine(in: Array(bytes.dropFirst(3)), failing: .utf8))行目）")
      }
      return (text, .utf8)
    }
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
      throw .unreadable(reason: "UTF-16（Unicodeテキスト）のファイルは読めません。Excelで「CSV UTF-8（コンマ区切り）」または「CSV（コンマ区切り）」で保存してください")
    }
    if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
    if let text = String(data: data, encoding: .shiftJIS) { return (text, .shiftJIS) }
    throw .unreadable(
      reason: "UTF-8 としても Shift_JIS としても読めない文字があります（\(firstLine(in: bytes, failing: nil))行目）。Excelで「CSV UTF-8（コンマ区切り）」で保存し直してください")
  }

  /// The first line (1-based) that does not decode: in `encoding`, or in either when nil. Lines
  /// split at LF (0x0A), which never occurs inside a Shift_JIS or UTF-8 multi-byte character.
  public static func firstLine(in bytes: [UInt8], failing encoding: TextEncoding?) -> Int {
    var line = 1
    for slice in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
      let utf8 = String(validating: slice, as: UTF8.self) != nil
      let sjis = String(data: Data(slice), encoding: .shiftJIS) != nil
      switch encoding {
      case .utf8?: if !utf8 { return line }
      case .shiftJIS?: if !sjis { return line }
      case nil: if !utf8 && !sjis { return line }
      }
      line += 1
    }
    // Every line reads in one encoding or the other: the file mixes them.
    return 1
  }

  // MARK: Parsing

  /// The records of `text`; a line that is entirely empty is no record. Throws for a quote left
  /// open, text after a closing quote, or a quote inside an unquoted field, naming the line.
  public static func records(in text: String) throws(CSVReadError) -> [CSVRecord] {
    enum Mode { case fieldStart, unquoted, quoted, afterQuote }
    var records: [CSVRecord] = []
    var fields: [String] = []
    var field = String.UnicodeScalarView()
    var mode = Mode.fieldStart
    var line = 1
    var recordLine = 1
    var quoteLine = 1
    var pendingCR = false

    func endField() {
      fields.append(String(field))
      field = String.UnicodeScalarView()
    }
    func endRecord() {
      endField()
      if !(fields.count == 1 && fields[0].isEmpty) { records.append(CSVRecord(line: recordLine, fields: fields)) }
      fields = []
      mode = .fieldStart
    }

    for scalar in text.unicodeScalars {
      // A CR ends the line by itself, or with the LF after it.
      if pendingCR {
        pendingCR = false
        if scalar == "\n" {
          if mode == .quoted { field.append(scalar) }
          continue
        }
      }
      let isBreak = scalar == "\n" || scalar == "\r"
      switch mode {
      case .fieldStart, .unquoted:
        if scalar == "\"" {
          guard mode == .fieldStart else {
            throw .syntax(line: line, reason: "引用符（\"）が項目の途中にあります。引用符を含む項目は全体を \"…\" で囲み、中の \" は \"\" と書いてください")
          }
          mode = .quoted
          quoteLine = line
        } else if scalar == "," {
          endField()
          mode = .fieldStart
        } else if isBreak {
          endRecord()
        } else {
          field.append(scalar)
          mode = .unquoted
        }
      case .quoted:
        if scalar == "\"" { mode = .afterQuote } else { field.append(scalar) }
      case .afterQuote:
        if scalar == "\"" {
          field.append(scalar)
          mode = .quoted
        } else if scalar == "," {
          endField()
          mode = .fieldStart
        } else if isBreak {
          endRecord()
        } else {
          throw .syntax(line: line, reason: "閉じた引用符（\"）の後に文字があります（引用符の中の \" は \"\" と書いてください）")
        }
      }
      if isBreak {
        line += 1
        pendingCR = scalar == "\r"
        if mode == .fieldStart && fields.isEmpty && field.isEmpty { recordLine = line }
      }
    }
    if mode == .quoted {
      throw .syntax(line: quoteLine, reason: "引用符（\"）が閉じられていません")
    }
    if mode != .fieldStart || !fields.isEmpty || !field.isEmpty { endRecord() }
    return records
  }
}
