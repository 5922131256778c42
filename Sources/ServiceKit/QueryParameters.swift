public import Hummingbird

/// A request's query parameters read as the OpenAPI document describes them; a value that does
/// not fit is 422 naming the parameter.
extension Request {
  /// The parameter's text, at most `maxLength` characters counted in code points (as the
  /// document's maxLength counts); nil when absent or empty.
  public func queryText(_ name: String, maxLength: Int) throws(Problem) -> String? {
    guard let value = uri.queryParameters[Substring(name)].map(String.init), !value.isEmpty else { return nil }
    guard value.unicodeScalars.count <= maxLength else { throw Problem(.validationFailed, "\(name) は\(maxLength)文字までです", field: name) }
    return value
  }

  /// A flag: `true`, `false`, or absent (false); anything else — empty too, which the
  /// document's enum does not allow — or the flag twice, is refused.
  public func queryFlag(_ name: String) throws(Problem) -> Bool {
    let values = uri.queryParameters.getAll(name)
    guard values.count <= 1 else { throw Problem(.validationFailed, "\(name) は一度だけ指定してください", field: name) }
    switch values.first {
    case nil, "false": return false
    case "true": return true
    case "": throw Problem(.validationFailed, "\(name) は true か false です（空です）", field: name)
    case let text?: throw Problem(.validationFailed, "\(name) は true か false です（\(text)）", field: name)
    }
  }

  /// A whole number within `range`; nil when absent. Empty is not a number: refused.
  public func queryNumber(_ name: String, in range: ClosedRange<Int>) throws(Problem) -> Int? {
    guard let text = uri.queryParameters[Substring(name)].map(String.init) else { return nil }
    guard let value = Int(text), range.contains(value) else {
      throw Problem(.validationFailed, "\(name) は \(range.lowerBound)〜\(range.upperBound) の整数です", field: name)
    }
    return value
  }
}
