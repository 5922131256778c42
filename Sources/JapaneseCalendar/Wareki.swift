public import Foundation
public import SharedKernel

/// A date in Japanese era notation (和暦), e.g. 令和5年3月31日.
public struct WarekiDate: Sendable, Hashable, CustomStringConvertible {
  /// The era.
  public let era: Era
  /// The year within the era, 1 for 元年.
  public let year: Int
  /// The month, 1–12.
  public let month: Int
  /// The day of the month.
  public let day: Int
  /// The same day in the Gregorian calendar.
  public let date: LocalDate

  /// The 和暦 form of `date`.
  public init(_ date: LocalDate) {
    let era = Era(containing: date)
    self.era = era
    self.year = date.year - era.firstGregorianYear + 1
    self.month = date.month
    self.day = date.day
    self.date = date
  }

  /// The date `era` `year`年`month`月`day`日; throws when that day does not exist or is not in
  /// `era` (平成31年5月1日 is 令和元年5月1日; 昭和64年1月8日 is 平成元年1月8日).
  public init(era: Era, year: Int, month: Int, day: Int) throws(WarekiError) {
    guard year >= 1 else { throw .invalidEraYear(era: era, year: year) }
    let gregorianYear = era.firstGregorianYear + year - 1
    let date: LocalDate
    do {
      date = try LocalDate(year: gregorianYear, month: month, day: day)
    } catch .nonexistentDate {
      throw .nonexistentDate(era: era, year: year, month: month, day: day)
    } catch {
      throw .outOfRange(era: era, year: year, month: month, day: day)
    }
    guard era.contains(date) else {
      throw .outsideEra(era: era, year: year, month: month, day: day, actually: WarekiDate(date))
    }
    self.init(date)
  }

  /// How to write a 和暦 date.
  public enum Style: Sendable, Hashable, CaseIterable {
    /// `令和5年3月31日`, with 元年 for the first year (`令和元年5月1日`).
    case full
    /// `R5.3.31`, as forms abbreviate it (the first year is `R1`).
    case abbreviated
  }

  /// The date written in `style`.
  public func formatted(_ style: Style = .full) -> String {
    switch style {
    case .full:
      return "\(era.name)\(year == 1 ? "元" : String(year))年\(month)月\(day)日"
    case .abbreviated:
      return "\(era.letter)\(year).\(month).\(day)"
    }
  }

  /// The full form, e.g. `令和元年5月1日`.
  public var description: String { formatted(.full) }

  /// Parses 和暦 as people type it: `令和5年3月31日`, `令和元年5月1日`, `R5.3.31`, `H31/4/30`,
  /// `S64.1.7`, `令5.3.31`, full-width digits (`令和５年３月３１日`) and the ligatures ㍻ / ㋿.
  public init(parsing text: String) throws(WarekiError) {
    let normalized = TypedDate.normalize(text)
    guard let (era, rest) = TypedDate.splitEra(normalized),
      let fields = TypedDate.fields(rest, allowGannen: true), let (year, month, day) = fields.numbers
    else {
      throw .unrecognized(text)
    }
    try self.init(era: era, year: year, month: month, day: day)
  }
}

extension LocalDate {
  /// This date in 和暦 (令和5年3月31日).
  public var wareki: WarekiDate { WarekiDate(self) }

  /// A date as a person typed it into any date field: ISO (`2023-03-31`), slashes or dots
  /// (`2023/3/31`), 年月日 (`2023年3月31日`), or 和暦 in any form ``WarekiDate/init(parsing:)``
  /// accepts; full-width digits and spaces are fine.
  public init(typed text: String) throws(WarekiError) {
    let normalized = TypedDate.normalize(text)
    if TypedDate.splitEra(normalized) != nil {
      self = try WarekiDate(parsing: text).date
      return
    }
    guard let fields = TypedDate.fields(normalized, allowGannen: false), fields.yearDigits == 4,
      let (year, month, day) = fields.numbers
    else {
      throw .unrecognized(text)
    }
    do {
      self = try LocalDate(year: year, month: month, day: day)
    } catch .nonexistentDate {
      throw .nonexistentGregorianDate(year: year, month: month, day: day)
    } catch {
      throw .gregorianOutOfRange(year: year, month: month, day: day)
    }
  }
}

/// The lenient reading of typed dates shared by the parsers above.
enum TypedDate {
  /// NFKC turns full-width digits, letters and punctuation into ASCII and ㍻/㋿ into 平成/令和;
  /// whitespace goes entirely, so `令和 5年 3月 31日` reads too.
  static func normalize(_ text: String) -> String {
    String(text.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace })
  }

  /// The era at the start of `text` and the rest, or `nil` if it does not start with one.
  static func splitEra(_ text: String) -> (Era, Substring)? {
    for era in Era.allCases {
      if text.hasPrefix(era.name) { return (era, text.dropFirst(era.name.count)) }
    }
    guard let first = text.first else { return nil }
    let rest = text.dropFirst()
    // A single letter or kanji only counts if a year follows, so that `Sept. 3` is not 昭和.
    guard let next = rest.first, next.isASCII && next.isNumber || next == "元" else { return nil }
    for era in Era.allCases where first.uppercased() == String(era.letter) || first == era.name.first {
      return (era, rest)
    }
    return nil
  }

  struct Fields {
    var texts: [Substring]
    var yearDigits: Int { texts.first?.count ?? 0 }
    var numbers: (Int, Int, Int)? {
      let values = texts.map { $0 == "元" ? 1 : Int($0) }
      guard values.count == 3, let year = values[0], let month = values[1], let day = values[2] else { return nil }
      return (year, month, day)
    }
  }

  /// Splits `5年3月31日`, `5.3.31`, `2023-03-31` into three number fields.
  static func fields(_ text: Substring, allowGannen: Bool) -> Fields? {
    var body = text
    if body.last == "日" { body = body.dropLast() }
    let separators: Set<Character> = ["年", "月", ".", "/", "-"]
    var texts: [Substring] = []
    var current = body.startIndex
    var index = body.startIndex
    while index < body.endIndex {
      if separators.contains(body[index]) {
        texts.append(body[current..<index])
        current = body.index(after: index)
      }
      index = body.index(after: index)
    }
    texts.append(body[current..<body.endIndex])
    guard texts.count == 3 else { return nil }
    for (position, field) in texts.enumerated() {
      let isGannen = allowGannen && position == 0 && field == "元"
      guard isGannen || (!field.isEmpty && field.count <= 4 && field.allSatisfy { $0.isASCII && $0.isNumber }) else {
        return nil
      }
    }
    return Fields(texts: texts)
  }

  static func fields(_ text: String, allowGannen: Bool) -> Fields? {
    fields(Substring(text), allowGannen: allowGannen)
  }
}

/// Why a typed or 和暦 date was refused.
public enum WarekiError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
  /// Not a date in any form we read.
  case unrecognized(String)
  /// Year 0 or negative within an era.
  case invalidEraYear(era: Era, year: Int)
  /// The day does not exist (令和5年2月29日).
  case nonexistentDate(era: Era, year: Int, month: Int, day: Int)
  /// A real day, but not in the era named (平成31年5月1日); `actually` is how to write it.
  case outsideEra(era: Era, year: Int, month: Int, day: Int, actually: WarekiDate)
  /// Before 明治6年1月1日 (1873-01-01) or after 9999-12-31.
  case outOfRange(era: Era, year: Int, month: Int, day: Int)
  /// A Gregorian date that does not exist (2023-02-29).
  case nonexistentGregorianDate(year: Int, month: Int, day: Int)
  /// A Gregorian date outside 1873-01-01 … 9999-12-31.
  case gregorianOutOfRange(year: Int, month: Int, day: Int)

  public var description: String {
    func written(_ era: Era, _ year: Int, _ month: Int, _ day: Int) -> String {
      "\(era.name)\(year == 1 ? "元" : String(year))年\(month)月\(day)日"
    }
    func gregorian(_ year: Int, _ month: Int, _ day: Int) -> String {
      "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }
    switch self {
    case let .unrecognized(text):
      return "「\(text)」は日付として読めません（2023-03-31、令和5年3月31日、R5.3.31 のように入力してください）"
    case let .invalidEraYear(era, year):
      return "\(era.name)\(year)年という年はありません（元号の年は元年（1年）から始まります）"
    case let .nonexistentDate(era, year, month, day):
      let days = LocalDate.numberOfDays(inMonth: month, ofYear: era.firstGregorianYear + year - 1)
      let reason = (1...12).contains(month) ? "その月は\(days)日までです" : "\(month)月はありません"
      return "\(written(era, year, month, day))という日付はありません（\(reason)）"
    case let .outsideEra(era, year, month, day, actually):
      let bounds: String
      if actually.date < era.firstSupportedDay {
        bounds = "\(era.name)は\(era.firstSupportedDay.wareki)（\(era.firstSupportedDay)）に始まりました"
      } else if let last = era.lastDay {
        bounds = "\(era.name)は\(last.wareki)（\(last)）で終わりました"
      } else {
        bounds = "\(era.name)の期間にありません"
      }
      return "\(written(era, year, month, day))という日付はありません。\(bounds)。\(actually.date) は \(actually) です"
    case let .outOfRange(era, year, month, day):
      return "\(written(era, year, month, day))は扱える範囲の外です（明治6年1月1日（1873-01-01、日本で太陽暦が始まった日）から9999-12-31まで）"
    case let .nonexistentGregorianDate(year, month, day):
      return LocalDateError.nonexistentDate(year: year, month: month, day: day).description
    case let .gregorianOutOfRange(year, month, day):
      return LocalDateError.outOfRange(gregorian(year, month, day)).description
    }
  }

  public var errorDescription: String? { description }
}
