public import Foundation
public import SharedKernel

/// Comma-separated files as staff and partners send them: SharedKernel's reader, its errors as
/// the centre's.
public enum CSV {
  public typealias Record = CSVRecord

  /// The text of a file: UTF-8 when it has a BOM or is valid UTF-8, otherwise Shift_JIS (CP932)
  /// (see ``CSVText/decode(_:)``).
  public static func decode(_ data: Data) throws(SuccessionError) -> (text: String, encoding: TextEncoding) {
    do { return try CSVText.decode(data) } catch { throw error.succession }
  }

  /// The records of `text`; a line that is entirely empty is no record.
  public static func parse(_ text: String) throws(SuccessionError) -> [Record] {
    do { return try CSVText.records(in: text) } catch { throw error.succession }
  }
}

extension CSVReadError {
  var succession: SuccessionError {
    switch self {
    case .unreadable(let reason): .unreadableFile(reason: reason)
    case .syntax(let line, let reason): .csvSyntax(line: line, reason: reason)
    }
  }
}

/// A CSV file with a header row, its columns found by name (Japanese headings or English
/// aliases, in any order), and the problems of each row gathered so a person can fix the whole
/// file at once.
public struct CSVTable: Sendable {
  public var encoding: TextEncoding
  /// The header's names as written (trimmed).
  public var header: [String]
  /// The data records (blank rows left out), each with its line.
  public var rows: [CSV.Record]

  /// Reads and parses `data`; the first non-blank record is the header.
  public init(_ data: Data) throws(SuccessionError) {
    let (text, encoding) = try CSV.decode(data)
    var records = try CSV.parse(text).filter { !$0.isBlank }
    guard !records.isEmpty else { throw .unreadableFile(reason: "ファイルが空です（1行目に見出しが必要です）") }
    let header = records.removeFirst()
    self.encoding = encoding
    self.header = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
    for record in records where record.fields.count != header.fields.count {
      throw .csvSyntax(
        line: record.line, reason: "項目の数が\(record.fields.count)個です（見出しは\(header.fields.count)個）。コンマの数を確かめてください（コンマを含む項目は \"…\" で囲みます）")
    }
    self.rows = records
  }

  /// The index of the column named by any of `names` (compared without width or case), or nil.
  public func column(_ names: [String]) -> Int? {
    let wanted = names.map(Self.heading)
    return header.firstIndex { wanted.contains(Self.heading($0)) }
  }

  static func heading(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        CompanyMatching.folded(text).unicodeScalars.filter { !CompanyMatching.isSeparator($0) }))
  }
}

/// A problem with one row of an imported file: its line, the column, and what is wrong.
public struct RowProblem: Sendable, Hashable, Codable, CustomStringConvertible {
  public var line: Int
  public var column: String?
  public var message: String

  public init(line: Int, column: String?, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }

  /// `3行目（種別）: …`.
  public var description: String { "\(line)行目\(column.map { "（\($0)）" } ?? ""): \(message)" }
}
