public import Foundation

/// A calendar date with no time of day and no time zone: a business date in Japan.
///
/// Stored as a count of days since 1970-01-01 and converted with pure integer civil-date
/// algorithms (Howard Hinnant's days-from-civil), never `Calendar.current` or the machine's
/// time zone: servers run in UTC, and a zone-dependent answer would be wrong between 00:00 and
/// 08:59 JST. The proleptic Gregorian calendar is used throughout.
///
/// The supported range is 1873-01-01 (明治6年1月1日, Japan's first Gregorian day; earlier dates
/// were lunisolar and are certainly typos here) through 9999-12-31 (the last four-digit ISO year).
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// Days since 1970-01-01 (negative before it).
  public let daysSince1970: Int

  /// 1873-01-01, 明治6年1月1日: the day Japan adopted the Gregorian calendar.
  public static let earliest = LocalDate(uncheckedDaysSince1970: daysFromCivil(year: 1873, month: 1, day: 1))

  /// 9999-12-31.
  public static let latest = LocalDate(uncheckedDaysSince1970: daysFromCivil(year: 9999, month: 12, day: 31))

  private init(uncheckedDaysSince1970 days: Int) {
    self.daysSince1970 = days
  }

  /// The date `daysSince1970` days after 1970-01-01; throws outside the supported range.
  public init(daysSince1970 days: Int) throws(LocalDateError) {
    guard Self.supportedDayRange.contains(days) else {
      throw .outOfRange(Self.describeOutOfRangeDays(days))
    }
    self.daysSince1970 = days
  }

  /// The date `year`-`month`-`day`; throws for a date that does not exist (2023-02-29) or lies
  /// outside 1873-01-01 … 9999-12-31.
  public init(year: Int, month: Int, day: Int) throws(LocalDateError) {
    guard (1...12).contains(month), day >= 1, day <= Self.numberOfDays(inMonth: month, ofYear: year) else {
      throw .nonexistentDate(year: year, month: month, day: day)
    }
    guard (1873...9999).contains(year) else {
      throw .outOfRange(Self.iso(year: year, month: month, day: day))
    }
    self.daysSince1970 = Self.daysFromCivil(year: year, month: month, day: day)
  }

  /// Parses strict ISO-8601 `YYYY-MM-DD` (e.g. `2023-03-31`).
  ///
  /// This is the wire format; for what people type in a form (和暦, `2023/3/31`, full-width
  /// digits) use `LocalDate(typed:)` from JapaneseCalendar.
  public init(iso8601 text: String) throws(LocalDateError) {
    let bytes = Array(text.utf8)
    let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
    guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D,
      bytes[0..<4].allSatisfy(isDigit), bytes[5..<7].allSatisfy(isDigit), bytes[8..<10].allSatisfy(isDigit)
    else {
      throw .malformed(text)
    }
    let number: (ArraySlice<UInt8>) -> Int = { $0.reduce(0) { $0 * 10 + Int($1 - 0x30) } }
    try self.init(year: number(bytes[0..<4]), month: number(bytes[5..<7]), day: number(bytes[8..<10]))
  }

  /// The Japanese calendar date at `instant`, by the fixed +09:00 offset (no daylight saving in
  /// Japan since 1951) — never the machine's zone.
  public init(japanTimeOf instant: Date) throws(LocalDateError) {
    let seconds = instant.timeIntervalSince1970 + Double(Self.japanOffsetSeconds)
    let days = (seconds / 86_400).rounded(.down)
    // Checked in Double first so that an absurd instant cannot trap in the Int conversion.
    guard days.isFinite, days >= Double(Self.supportedDayRange.lowerBound),
      days <= Double(Self.supportedDayRange.upperBound)
    else {
      throw .instantOutOfRange(instant)
    }
    self.daysSince1970 = Int(days)
  }

  /// The instant this date begins in Japan (00:00 JST, which is 15:00 UTC the day before).
  public var startInJapan: Date {
    Date(timeIntervalSince1970: Double(daysSince1970 * 86_400 - Self.japanOffsetSeconds))
  }

  /// The calendar year, e.g. 2023.
  public var year: Int { Self.civil(fromDays: daysSince1970).year }

  /// The month, 1–12.
  public var month: Int { Self.civil(fromDays: daysSince1970).month }

  /// The day of the month, 1–31.
  public var day: Int { Self.civil(fromDays: daysSince1970).day }

  /// The day of the week (1970-01-01 was a Thursday).
  public var weekday: Weekday {
    // Floor modulo, so dates before 1970 work too.
    let index = ((daysSince1970 + 4) % 7 + 7) % 7
    return Weekday(rawValue: index) ?? .sunday
  }

  /// The day of the year: 1 for 1 January, 365 or 366 for 31 December.
  public var dayOfYear: Int {
    daysSince1970 - Self.daysFromCivil(year: year, month: 1, day: 1) + 1
  }

  /// The year and month this date falls in.
  public var yearMonth: YearMonth { YearMonth(validYear: year, month: month) }

  /// The first day of this date's month.
  public var firstOfMonth: LocalDate { yearMonth.firstDay }

  /// The last day of this date's month.
  public var lastOfMonth: LocalDate { yearMonth.lastDay }

  /// The date `days` days later (earlier when negative); throws when the result leaves the range.
  public func adding(days: Int) throws(LocalDateError) -> LocalDate {
    let (result, overflow) = daysSince1970.addingReportingOverflow(days)
    guard !overflow, Self.supportedDayRange.contains(result) else {
      throw .arithmeticOutOfRange(start: self, amount: days, unit: .days)
    }
    return LocalDate(uncheckedDaysSince1970: result)
  }

  /// The date `months` months later, clamped to the end of the month: 2023-01-31 plus one month
  /// is 2023-02-28, as contracts and 月末 deadlines count it.
  public func adding(months: Int) throws(LocalDateError) -> LocalDate {
    let (startYear, startMonth, day) = Self.civil(fromDays: daysSince1970)
    let monthIndex = startYear * 12 + (startMonth - 1)
    let (target, overflow) = monthIndex.addingReportingOverflow(months)
    guard !overflow else { throw .arithmeticOutOfRange(start: self, amount: months, unit: .months) }
    let year = target >= 0 ? target / 12 : (target - 11) / 12
    let month = target - year * 12 + 1
    guard (1873...9999).contains(year) else {
      throw .arithmeticOutOfRange(start: self, amount: months, unit: .months)
    }
    let clampedDay = Swift.min(day, Self.numberOfDays(inMonth: month, ofYear: year))
    return LocalDate(uncheckedDaysSince1970: Self.daysFromCivil(year: year, month: month, day: clampedDay))
  }

  /// The date `years` years later, clamped to the end of the month (2024-02-29 + 1 year is 2025-02-28).
  public func adding(years: Int) throws(LocalDateError) -> LocalDate {
    let (months, overflow) = years.multipliedReportingOverflow(by: 12)
    guard !overflow else { throw .arithmeticOutOfRange(start: self, amount: years, unit: .years) }
    do {
      return try adding(months: months)
    } catch {
      throw .arithmeticOutOfRange(start: self, amount: years, unit: .years)
    }
  }

  /// The number of days from this date to `other`: positive when `other` is later,
  /// e.g. 2023-03-31 → 2023-04-01 is 1. (Interest day counts 片端/両端 are in JapaneseCalendar.)
  public func days(to other: LocalDate) -> Int {
    other.daysSince1970 - daysSince1970
  }

  /// `YYYY-MM-DD`.
  public var description: String {
    let (year, month, day) = Self.civil(fromDays: daysSince1970)
    return Self.iso(year: year, month: month, day: day)
  }

  public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
    lhs.daysSince1970 < rhs.daysSince1970
  }

  /// Decodes an ISO-8601 `YYYY-MM-DD` string.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      try self.init(iso8601: text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  /// Encodes as an ISO-8601 `YYYY-MM-DD` string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  /// Whether `year` is a Gregorian leap year.
  public static func isLeapYear(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  /// The number of days in `month` of `year` (28–31); 0 for a month outside 1–12.
  public static func numberOfDays(inMonth month: Int, ofYear year: Int) -> Int {
    switch month {
    case 1, 3, 5, 7, 8, 10, 12: return 31
    case 4, 6, 9, 11: return 30
    case 2: return isLeapYear(year) ? 29 : 28
    default: return 0
    }
  }

  // MARK: - Civil-date arithmetic (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms")

  static let japanOffsetSeconds = 9 * 3600

  private static let supportedDayRange =
    daysFromCivil(year: 1873, month: 1, day: 1)...daysFromCivil(year: 9999, month: 12, day: 31)

  /// Days since 1970-01-01 of a valid proleptic Gregorian date.
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The proleptic Gregorian date `days` days after 1970-01-01.
  static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  static func iso(year: Int, month: Int, day: Int) -> String {
    func pad(_ value: Int, _ width: Int) -> String {
      let digits = String(value.magnitude)
      return (value < 0 ? "-" : "") + String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  private static func describeOutOfRangeDays(_ days: Int) -> String {
    // Far outside any calendar, civil(fromDays:) could overflow: describe such counts plainly.
    guard (-1_000_000_000...1_000_000_000).contains(days) else { return "day \(days) since 1970-01-01" }
    let (year, month, day) = civil(fromDays: days)
    return iso(year: year, month: month, day: day)
  }
}

/// Why a date was refused.
public enum LocalDateError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
  /// The units of date arithmetic, for messages.
  public enum Unit: String, Sendable, Hashable {
    case days, months, years
  }

  /// No such day on the calendar, e.g. 2023-02-29 or 2023-04-31.
  case nonexistentDate(year: Int, month: Int, day: Int)
  /// A real date outside 1873-01-01 … 9999-12-31 (given as text, ISO where possible).
  case outOfRange(String)
  /// Not an ISO-8601 `YYYY-MM-DD` date.
  case malformed(String)
  /// Date arithmetic left the supported range.
  case arithmeticOutOfRange(start: LocalDate, amount: Int, unit: Unit)
  /// An instant whose Japanese date lies outside the supported range.
  case instantOutOfRange(Date)
  /// No such month, e.g. month 13.
  case nonexistentMonth(year: Int, month: Int)

  static let rangeText = "日付は 1873-01-01（日本で太陽暦が始まった日）から 9999-12-31 まで"

  public var description: String {
    switch self {
    case let .nonexistentDate(year, month, day):
      let text = LocalDate.iso(year: year, month: month, day: day)
      if !(1...12).contains(month) {
        return "\(text) という日付はありません（\(month)月はありません）"
      }
      let days = LocalDate.numberOfDays(inMonth: month, ofYear: year)
      return "\(text) という日付はありません（\(year)年\(month)月は\(days)日までです）"
    case let .outOfRange(text):
      return "\(text) は扱える範囲の外です（\(Self.rangeText)）"
    case let .malformed(text):
      return "「\(text)」は日付として読めません（2023-03-31 のように 年-月-日 で入力してください）"
    case let .arithmeticOutOfRange(start, amount, unit):
      return "\(start) \(amount < 0 ? "−" : "+") \(amount.magnitude) \(unit.rawValue) は扱える範囲の外です（\(Self.rangeText)）"
    case let .instantOutOfRange(instant):
      return "時刻 \(instant.timeIntervalSince1970)（1970年からの秒数）は扱える範囲の外です（\(Self.rangeText)）"
    case let .nonexistentMonth(year, month):
      return "\(year)年\(month)月という月はありません（月は1〜12です）"
    }
  }

  public var errorDescription: String? { description }
}
