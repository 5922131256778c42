public import Foundation

/// The foundation's fiscal year (年度): 1 April – 31 March, named for the calendar year it starts
/// in: FY2022 runs from 2022-04-01 to 2023-03-31. Its 和暦 name (令和4年度) comes from
/// JapaneseCalendar, which owns the era table.
public struct FiscalYear: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// The calendar year in which the fiscal year begins (2022 for FY2022).
  public let startYear: Int

  /// Years a fiscal year may start in: FY1872 holds 1873-01-01, FY9999 holds 9999-12-31.
  public static let supportedStartYears = 1872...9999

  /// FY`startYear`; throws outside ``supportedStartYears``.
  public init(_ startYear: Int) throws(FiscalYearError) {
    guard Self.supportedStartYears.contains(startYear) else { throw .outOfRange(startYear) }
    self.startYear = startYear
  }

  /// The fiscal year `date` falls in: 2023-03-31 is in FY2022, 2023-04-01 in FY2023.
  public init(containing date: LocalDate) {
    startYear = date.month >= 4 ? date.year : date.year - 1
  }

  /// Parses `FY2022` (also `fy2022`, `FY 2022`).
  public init(parsing text: String) throws(FiscalYearError) {
    var rest = Substring(text.trimmingWhitespace())
    guard rest.count > 2, rest.prefix(2).uppercased() == "FY" else { throw .malformed(text) }
    rest = rest.dropFirst(2).drop { $0 == " " }
    guard rest.count == 4, rest.allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(rest) else {
      throw .malformed(text)
    }
    try self.init(year)
  }

  /// 1 April of ``startYear``.
  ///
  /// FY1872 is cut to begin on 1873-01-01, the first date a ``LocalDate`` holds.
  public var firstDay: LocalDate {
    (try? LocalDate(year: startYear, month: 4, day: 1)) ?? .earliest
  }

  /// 31 March of the following year.
  ///
  /// FY9999 is cut to end on 9999-12-31, the last date a ``LocalDate`` holds.
  public var lastDay: LocalDate {
    (try? LocalDate(year: startYear + 1, month: 3, day: 31)) ?? .latest
  }

  /// Whether `date` falls in this fiscal year.
  public func contains(_ date: LocalDate) -> Bool {
    firstDay <= date && date <= lastDay
  }

  /// The twelve months April … March, in order (fewer only at the cut ends FY1872 and FY9999).
  public var months: [YearMonth] {
    (0..<12).compactMap { offset in
      let month = (3 + offset) % 12 + 1
      let year = month >= 4 ? startYear : startYear + 1
      return try? YearMonth(year: year, month: month)
    }
  }

  /// The next fiscal year.
  public func next() throws(FiscalYearError) -> FiscalYear { try FiscalYear(startYear + 1) }

  /// The previous fiscal year.
  public func previous() throws(FiscalYearError) -> FiscalYear { try FiscalYear(startYear - 1) }

  /// `FY2022`.
  public var description: String { "FY\(startYear)" }

  public static func < (lhs: FiscalYear, rhs: FiscalYear) -> Bool { lhs.startYear < rhs.startYear }

  /// Decodes `"FY2022"`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      try self.init(parsing: text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  /// Encodes as `"FY2022"`, the form stream names use (`period-FY2022`).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// Why a fiscal year was refused.
public enum FiscalYearError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
  /// Not of the form `FY2022`.
  case malformed(String)
  /// A fiscal year outside FY1872 … FY9999.
  case outOfRange(Int)

  public var description: String {
    switch self {
    case let .malformed(text):
      return "「\(text)」は年度として読めません（FY2022 のように FY と始まる年で入力してください）"
    case let .outOfRange(year):
      return "FY\(year) は扱える範囲の外です（年度は FY1872 から FY9999 まで）"
    }
  }

  public var errorDescription: String? { description }
}

extension String {
  /// The string without leading and trailing whitespace (ASCII and 全角 spaces), without Foundation.
  func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0.isWhitespace }
    guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
      return ""
    }
    return String(self[start...end])
  }
}
