public import SharedKernel

/// Japanese bank business days (銀行営業日): banks close on Saturdays, Sundays, national holidays
/// of every kind and 31 December – 3 January (年末年始, by the Banking Act's enforcement order).
///
/// Answers only for 1948–2099, where holidays are known; outside that every call throws
/// ``HolidayError/yearNotSupported(_:)`` rather than guess.
public enum BankCalendar {
  /// Why banks are closed on a day.
  public enum Closure: Sendable, Hashable, CustomStringConvertible {
    /// Saturday or Sunday.
    case weekend(Weekday)
    /// A national holiday, 振替休日, 国民の休日 or special holiday.
    case holiday(Holiday)
    /// 年末年始: 31 December – 3 January.
    case yearEnd

    /// E.g. `a holiday (春分の日)`, for messages.
    public var description: String {
      switch self {
      case let .weekend(weekday): "a \(weekday == .saturday ? "Saturday" : "Sunday")"
      case let .holiday(holiday): "a holiday (\(holiday.name))"
      case .yearEnd: "a year-end bank holiday (年末年始, 31 December – 3 January)"
      }
    }
  }

  /// Why banks are closed on `date`, or `nil` on a business day. A weekend holiday reports the holiday.
  public static func closure(on date: LocalDate) throws(HolidayError) -> Closure? {
    if let holiday = try NationalHolidays.holiday(on: date) { return .holiday(holiday) }
    let (month, day) = (date.month, date.day)
    if (month == 12 && day == 31) || (month == 1 && day <= 3) { return .yearEnd }
    if date.weekday.isWeekend { return .weekend(date.weekday) }
    return nil
  }

  /// Whether banks are open on `date`.
  public static func isBusinessDay(_ date: LocalDate) throws(HolidayError) -> Bool {
    try closure(on: date) == nil
  }

  /// The first business day after `date` (翌営業日).
  public static func businessDay(after date: LocalDate) throws(HolidayError) -> LocalDate {
    try step(from: date, by: 1)
  }

  /// The last business day before `date` (前営業日).
  public static func businessDay(before date: LocalDate) throws(HolidayError) -> LocalDate {
    try step(from: date, by: -1)
  }

  /// `date` itself if banks are open, else the next business day: a payment due on a closed day
  /// moves forward (翌営業日払い).
  public static func businessDay(onOrAfter date: LocalDate) throws(HolidayError) -> LocalDate {
    try isBusinessDay(date) ? date : businessDay(after: date)
  }

  /// `date` itself if banks are open, else the previous business day (前営業日払い).
  public static func businessDay(onOrBefore date: LocalDate) throws(HolidayError) -> LocalDate {
    try isBusinessDay(date) ? date : businessDay(before: date)
  }

  /// The business day `count` business days after `date` (before it when negative); `date`
  /// itself need not be a business day. Zero returns `date` unchanged.
  public static func adding(businessDays count: Int, to date: LocalDate) throws(HolidayError) -> LocalDate {
    var result = date
    for _ in 0..<count.magnitude {
      result = try step(from: result, by: count < 0 ? -1 : 1)
    }
    return result
  }

  /// The business days from `start` through `end`, both included, in order (empty if `end` < `start`).
  public static func businessDays(from start: LocalDate, through end: LocalDate) throws(HolidayError) -> [LocalDate] {
    guard start <= end else { return [] }
    var result: [LocalDate] = []
    for offset in 0...start.days(to: end) {
      let date = try shifted(start, by: offset)
      if try isBusinessDay(date) { result.append(date) }
    }
    return result
  }

  /// The number of business days from `start` through `end`, both included.
  public static func numberOfBusinessDays(from start: LocalDate, through end: LocalDate) throws(HolidayError) -> Int {
    try businessDays(from: start, through: end).count
  }

  private static func step(from date: LocalDate, by direction: Int) throws(HolidayError) -> LocalDate {
    var candidate = try shifted(date, by: direction)
    while try !isBusinessDay(candidate) {
      candidate = try shifted(candidate, by: direction)
    }
    return candidate
  }

  /// `date` moved by `days`, reporting a walk off the calendar as the year it would reach.
  private static func shifted(_ date: LocalDate, by days: Int) throws(HolidayError) -> LocalDate {
    do {
      return try date.adding(days: days)
    } catch {
      throw .yearNotSupported(days < 0 ? LocalDate.earliest.year - 1 : LocalDate.latest.year + 1)
    }
  }
}
