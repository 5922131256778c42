public import Foundation
public import SharedKernel

/// A day off under the national holiday law (国民の祝日に関する法律) or a special law.
public struct Holiday: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// What makes the day a holiday.
  public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
    /// 国民の祝日: a named national holiday (元日, 春分の日, 海の日…).
    case national
    /// 振替休日: the day off owed when a national holiday falls on a Sunday.
    case substitute
    /// 国民の休日: a weekday sandwiched between two national holidays.
    case sandwiched
    /// A one-off holiday by its own law (結婚の儀, 大喪の礼, 即位の日, 即位礼正殿の儀).
    case special
  }

  /// The day.
  public let date: LocalDate
  /// Its Japanese name; 振替休日 and 国民の休日 for those kinds. (The Cabinet Office's published
  /// list writes both as 「休日」 and shortens some special days, e.g. 結婚の儀.)
  public let name: String
  /// What makes it a holiday.
  public let kind: Kind

  /// A holiday on `date` named `name`.
  public init(date: LocalDate, name: String, kind: Kind) {
    self.date = date
    self.name = name
    self.kind = kind
  }

  /// `YYYY-MM-DD,名称`, the line format of `kipctl calendar holidays`.
  public var description: String { "\(date),\(name)" }

  public static func < (lhs: Holiday, rhs: Holiday) -> Bool { lhs.date < rhs.date }
}

/// Japan's national holidays, computed by rule from the holiday law and its amendments for
/// 1948–2099 (not pasted from a table).
///
/// The law came into force on 1948-07-20, so 1948's first holiday is 秋分の日 (09-23).
/// Equinox days come from the standard astronomical approximation; the Cabinet Office fixes
/// them each February for the following year, so years after ``lastPublishedYear`` are
/// provisional (see ``isProvisional(_:)``).
public enum NationalHolidays {
  /// The years computed: the law's first year through the last year the equinox formula covers.
  public static let supportedYears = 1948...2099

  /// The last year of the Cabinet Office's published list (内閣府「国民の祝日」CSV) we check against.
  public static let lastPublishedYear = 2027

  /// Whether `year`'s holidays are computed ahead of publication: its equinox days
  /// (春分の日・秋分の日) are provisional until the Cabinet Office publishes them.
  public static func isProvisional(_ year: Int) -> Bool {
    year > lastPublishedYear
  }

  /// The holidays of `year`, in date order.
  public static func holidays(in year: Int) throws(HolidayError) -> [Holiday] {
    guard supportedYears.contains(year) else { throw .yearNotSupported(year) }
    return table[year - supportedYears.lowerBound]
  }

  /// The holidays of every year in `years`, in date order.
  public static func holidays(in years: ClosedRange<Int>) throws(HolidayError) -> [Holiday] {
    var result: [Holiday] = []
    for year in years {
      result += try holidays(in: year)
    }
    return result
  }

  /// The holiday on `date`, or `nil` for an ordinary day.
  public static func holiday(on date: LocalDate) throws(HolidayError) -> Holiday? {
    try holidays(in: date.year).first { $0.date == date }
  }

  /// Whether `date` is a holiday of any kind.
  public static func isHoliday(_ date: LocalDate) throws(HolidayError) -> Bool {
    try holiday(on: date) != nil
  }

  // MARK: - The rules

  /// Every supported year, computed once on first use (a lazily initialised, immutable global).
  private static let table: [[Holiday]] = supportedYears.map(computeHolidays(in:))

  private static func day(_ year: Int, _ month: Int, _ day: Int) -> LocalDate {
    // Every (year, month, day) the rules below produce is a real date inside 1948–2100.
    (try? LocalDate(year: year, month: month, day: day)) ?? .earliest
  }

  /// The law took effect on this day (昭和23年7月20日).
  private static let lawInForce = day(1948, 7, 20)
  /// 振替休日 from 1973-04-12 (the 1973 amendment).
  private static let substituteFrom = day(1973, 4, 12)
  /// 国民の休日 from 1985-12-27 (the 1985 amendment).
  private static let sandwichFrom = day(1985, 12, 27)
  /// The 2005 amendment, in force 2007-01-01: 振替休日 moves to the next non-holiday, and
  /// 国民の休日 no longer excludes Sundays.
  private static let amendment2007 = day(2007, 1, 1)

  /// The `n`th Monday of `month` (Happy Monday system, ハッピーマンデー制度).
  private static func mondayNumber(_ n: Int, of month: Int, in year: Int) -> LocalDate {
    let first = day(year, month, 1)
    let offset = (Weekday.monday.rawValue - first.weekday.rawValue + 7) % 7
    return day(year, month, 1 + offset + 7 * (n - 1))
  }

  /// 春分日, by the approximation used by the National Astronomical Observatory's calendar
  /// notes: day = ⌊c + 0.242194·(y − 1980)⌋ − ⌊(y − 1980) / 4⌋, in exact integer arithmetic
  /// (millionths). The published form writes the last term as `int((y − 1983) / 4)` before 1980,
  /// which with truncating division equals the floor of `(y − 1980) / 4` used here; flooring
  /// `(y − 1983) / 4` instead would move e.g. 1956 to 3/22.
  static func vernalEquinoxDay(_ year: Int) -> Int {
    equinoxDay(year, constant: year < 1980 ? 20_835_700 : 20_843_100)
  }

  /// 秋分日, by the same approximation (constant 23.2588 before 1980, 23.2488 from 1980).
  static func autumnalEquinoxDay(_ year: Int) -> Int {
    equinoxDay(year, constant: year < 1980 ? 23_258_800 : 23_248_800)
  }

  private static func equinoxDay(_ year: Int, constant: Int) -> Int {
    let elapsed = year - 1980
    return floorDivide(constant + 242_194 * elapsed, 1_000_000) - floorDivide(elapsed, 4)
  }

  private static func floorDivide(_ a: Int, _ b: Int) -> Int {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
  }

  /// The named national holidays (and one-off days) of `year`, before 振替休日 and 国民の休日.
  private static func namedDays(in year: Int) -> [Holiday] {
    var days: [Holiday] = []
    func add(_ date: LocalDate, _ name: String, _ kind: Holiday.Kind = .national) {
      days.append(Holiday(date: date, name: name, kind: kind))
    }

    add(day(year, 1, 1), "元日")
    add(year < 2000 ? day(year, 1, 15) : mondayNumber(2, of: 1, in: year), "成人の日")
    if year >= 1967 { add(day(year, 2, 11), "建国記念の日") }
    if year >= 2020 { add(day(year, 2, 23), "天皇誕生日") }
    add(day(year, 3, vernalEquinoxDay(year)), "春分の日")
    switch year {
    case ..<1989: add(day(year, 4, 29), "天皇誕生日")
    case 1989..<2007: add(day(year, 4, 29), "みどりの日")
    default: add(day(year, 4, 29), "昭和の日")
    }
    add(day(year, 5, 3), "憲法記念日")
    if year >= 2007 { add(day(year, 5, 4), "みどりの日") }
    add(day(year, 5, 5), "こどもの日")
    switch year {
    case 2020: add(day(2020, 7, 23), "海の日")  // Tokyo 2020 (平成30年法律第57号)
    case 2021: add(day(2021, 7, 22), "海の日")  // postponed Games (令和2年法律第68号)
    case 2003...: add(mondayNumber(3, of: 7, in: year), "海の日")
    case 1996...: add(day(year, 7, 20), "海の日")
    default: break
    }
    switch year {
    case 2020: add(day(2020, 8, 10), "山の日")
    case 2021: add(day(2021, 8, 8), "山の日")
    case 2016...: add(day(year, 8, 11), "山の日")
    default: break
    }
    switch year {
    case 2003...: add(mondayNumber(3, of: 9, in: year), "敬老の日")
    case 1966...: add(day(year, 9, 15), "敬老の日")
    default: break
    }
    add(day(year, 9, autumnalEquinoxDay(year)), "秋分の日")
    switch year {
    case 2020: add(day(2020, 7, 24), "スポーツの日")
    case 2021: add(day(2021, 7, 23), "スポーツの日")
    case 2020...: add(mondayNumber(2, of: 10, in: year), "スポーツの日")
    case 2000...: add(mondayNumber(2, of: 10, in: year), "体育の日")
    case 1966...: add(day(year, 10, 10), "体育の日")
    default: break
    }
    add(day(year, 11, 3), "文化の日")
    add(day(year, 11, 23), "勤労感謝の日")
    if (1989...2018).contains(year) { add(day(year, 12, 23), "天皇誕生日") }

    // One-off days, each by its own law. The 2019 ones count as national holidays for 振替休日
    // and 国民の休日 (their law says so), which is what makes 2019-04-30 and 05-02 holidays;
    // none of the earlier ones stood next to a holiday or a Sunday, so the question never arose.
    switch year {
    case 1959: add(day(1959, 4, 10), "皇太子明仁親王の結婚の儀", .special)
    case 1989: add(day(1989, 2, 24), "昭和天皇の大喪の礼", .special)
    case 1990: add(day(1990, 11, 12), "即位礼正殿の儀", .special)
    case 1993: add(day(1993, 6, 9), "皇太子徳仁親王の結婚の儀", .special)
    case 2019:
      add(day(2019, 5, 1), "天皇の即位の日", .special)
      add(day(2019, 10, 22), "即位礼正殿の儀", .special)
    default: break
    }

    return days.filter { $0.date >= lawInForce }.sorted()
  }

  private static func computeHolidays(in year: Int) -> [Holiday] {
    let named = namedDays(in: year)
    let namedDates = Set(named.map(\.date))
    var result = named
    var taken = namedDates

    // 振替休日.
    for holiday in named where holiday.date.weekday == .sunday && holiday.date >= substituteFrom {
      guard var candidate = try? holiday.date.adding(days: 1) else { continue }
      if holiday.date < amendment2007 {
        // 1973 rule: the Monday after, and only if that Monday is not already a holiday.
        if taken.contains(candidate) { continue }
      } else {
        // 2007 rule: the nearest following day that is not a national holiday.
        while namedDates.contains(candidate) {
          guard let next = try? candidate.adding(days: 1) else { break }
          candidate = next
        }
      }
      result.append(Holiday(date: candidate, name: "振替休日", kind: .substitute))
      taken.insert(candidate)
    }

    // 国民の休日: a day whose neighbours are both national holidays and which is not one itself
    // (before 2007 also not a Sunday or a 振替休日).
    for (earlier, later) in zip(named, named.dropFirst()) where earlier.date.days(to: later.date) == 2 {
      guard let between = try? earlier.date.adding(days: 1), between >= sandwichFrom else { continue }
      if taken.contains(between) { continue }
      if between < amendment2007 && between.weekday == .sunday { continue }
      result.append(Holiday(date: between, name: "国民の休日", kind: .sandwiched))
      taken.insert(between)
    }

    return result.sorted()
  }
}

/// Why a holiday question could not be answered.
public enum HolidayError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
  /// A year outside 1948–2099.
  case yearNotSupported(Int)

  public var description: String {
    switch self {
    case let .yearNotSupported(year):
      let bounds = NationalHolidays.supportedYears
      return "holidays for \(year) are not available: they are computed for \(bounds.lowerBound)–\(bounds.upperBound) (the holiday law took effect on 1948-07-20; the equinox formula covers years up to \(bounds.upperBound))"
    }
  }

  public var errorDescription: String? { description }
}
