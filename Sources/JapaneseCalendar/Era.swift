public import SharedKernel

/// A Japanese era (元号), 明治 through 令和, with its boundaries as the law sets them.
///
/// Built from our own table rather than Foundation's Japanese calendar, which starts 明治 on
/// 1868-09-08 (the law dates it from the start of that year) and whose formatting rules differ.
public enum Era: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
  /// 明治: from 1868 (慶応4年, renamed retroactively) to 1912-07-29. Supported here from
  /// 1873-01-01 (明治6年), Japan's first Gregorian day.
  case meiji
  /// 大正: 1912-07-30 – 1926-12-24.
  case taisho
  /// 昭和: 1926-12-25 – 1989-01-07.
  case showa
  /// 平成: 1989-01-08 – 2019-04-30.
  case heisei
  /// 令和: from 2019-05-01.
  case reiwa

  /// The era's name: 明治, 大正, 昭和, 平成, 令和.
  public var name: String {
    switch self {
    case .meiji: "明治"
    case .taisho: "大正"
    case .showa: "昭和"
    case .heisei: "平成"
    case .reiwa: "令和"
    }
  }

  /// The one-letter abbreviation used on forms: M, T, S, H, R.
  public var letter: Character {
    switch self {
    case .meiji: "M"
    case .taisho: "T"
    case .showa: "S"
    case .heisei: "H"
    case .reiwa: "R"
    }
  }

  /// The Gregorian year of the era's first year (元年): 令和元年 is 2019.
  public var firstGregorianYear: Int {
    switch self {
    case .meiji: 1868
    case .taisho: 1912
    case .showa: 1926
    case .heisei: 1989
    case .reiwa: 2019
    }
  }

  /// The (month, day) the era began in ``firstGregorianYear``.
  var start: (month: Int, day: Int) {
    switch self {
    case .meiji: (1, 1)
    case .taisho: (7, 30)
    case .showa: (12, 25)
    case .heisei: (1, 8)
    case .reiwa: (5, 1)
    }
  }

  /// The first day of the era that a ``LocalDate`` can hold: the era's first day, except for
  /// 明治, whose supported part begins on 1873-01-01.
  public var firstSupportedDay: LocalDate {
    (try? LocalDate(year: firstGregorianYear, month: start.month, day: start.day)) ?? .earliest
  }

  /// The era's last day, or `nil` for the current era.
  public var lastDay: LocalDate? {
    guard let next = next else { return nil }
    return try? next.firstSupportedDay.adding(days: -1)
  }

  /// The era that followed this one.
  public var next: Era? {
    switch self {
    case .meiji: .taisho
    case .taisho: .showa
    case .showa: .heisei
    case .heisei: .reiwa
    case .reiwa: nil
    }
  }

  /// The era in force on `date` (every supported date has one).
  public init(containing date: LocalDate) {
    self = Era.allCases.last { $0.firstSupportedDay <= date } ?? .meiji
  }

  /// Whether `date` lies in this era.
  public func contains(_ date: LocalDate) -> Bool {
    firstSupportedDay <= date && (lastDay.map { date <= $0 } ?? true)
  }

  /// ``name``.
  public var description: String { name }
}
