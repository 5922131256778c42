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
