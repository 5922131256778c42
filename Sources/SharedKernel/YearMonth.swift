/// A month of a particular year (e.g. 2023-04), for monthly closes, 月次 reports and fiscal months.
///
/// Same range as ``LocalDate``: 1873-01 … 9999-12. Text and JSON form is `YYYY-MM`.
public struct YearMonth: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// The calendar year.
  public let year: Int
  /// The month, 1–12.
  public let month: Int

  /// The month `month` of `year`; throws for a month outside 1–12 or a year outside 1873–9999.
  public init(year: Int, month: Int) throws(LocalDateError) {
    guard (1...12).contains(month) else { throw .nonexistentMonth(year: year, month: month) }
    guard (1873...9999).contains(year) else {
      throw .outOfRange(String(LocalDate.iso(year: year, month: month, day: 1).prefix(7)))
    }
    self.year = year
    self.month = month
  }

  /// Parses `YYYY-MM` (e.g. `2023-04`).
  public init(iso8601 text: String) throws(LocalDateError) {
    let date: LocalDate
    do {
      date = try LocalDate(iso8601: text + "-01")
    } catch .malformed {
      throw .malformed(text)
    }
    self = date.yearMonth
  }

  /// Only for a year and month already known to be valid.
  init(validYear year: Int, month: Int) {
    self.year = year
    self.month = month
  }

  /// The first day of the month.
  public var firstDay: LocalDate {
    // Valid by construction: every day of every month of 1873–9999 is in LocalDate's range.
    (try? LocalDate(year: year, month: month, day: 1)) ?? .earliest
  }

  /// The last day of the month (28th–31st).
  public var lastDay: LocalDate {
    (try? LocalDate(year: year, month: month, day: numberOfDays)) ?? .latest
  }

  /// The number of days in the month.
  public var numberOfDays: Int { LocalDate.numberOfDays(inMonth: month, ofYear: year) }

  /// Every day of the month, in order.
  public var days: [LocalDate] {
    let first = firstDay.daysSince1970
    return (0..<numberOfDays).compactMap { try? LocalDate(daysSince1970: first + $0) }
  }

  /// The month `months` months later (earlier when negative).
  public func adding(months: Int) throws(LocalDateError) -> YearMonth {
    do {
      return try firstDay.adding(months: months).yearMonth
    } catch {
      throw .arithmeticOutOfRange(start: firstDay, amount: months, unit: .months)
    }
  }

  /// `YYYY-MM`.
  public var description: String { String(LocalDate.iso(year: year, month: month, day: 1).prefix(7)) }

  public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool {
    (lhs.year, lhs.month) < (rhs.year, rhs.month)
  }

  /// Decodes `YYYY-MM`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      try self.init(iso8601: text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  /// Encodes as `YYYY-MM`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
