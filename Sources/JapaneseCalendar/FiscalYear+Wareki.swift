public import SharedKernel

extension FiscalYear {
  /// The fiscal year's 和暦 name, e.g. `令和4年度` for FY2022.
  ///
  /// A fiscal year is named in the era in force on its first day, with one twist: when 令和
  /// began on 2019-05-01 the government renamed that fiscal year 令和元年度 (not 平成31年度).
  /// Taking the era in force on 1 May gives exactly that and leaves every other year as
  /// written at the time (昭和63年度, 大正15年度, 明治45年度).
  /// FY1872 (only 1873-01-01 … 03-31 supported) is 明治5年度.
  public var warekiName: String {
    let mayFirst = (try? LocalDate(year: startYear, month: 5, day: 1)) ?? firstDay
    let era = Era(containing: mayFirst)
    let year = startYear - era.firstGregorianYear + 1
    return "\(era.name)\(year == 1 ? "元" : String(year))年度"
  }
}

extension FiscalYear {
  /// A fiscal year as a person types it: `FY2022`, `2022年度`, `令和4年度`, `R4年度`, `令和元年度`;
  /// full-width characters are fine. `平成31年度` is accepted as FY2019 (the name it had until
  /// 2019-04-30); an era year past the era's end (`平成32年度`) is refused.
  public init(typed text: String) throws(WarekiError) {
    let normalized = TypedDate.normalize(text)
    if normalized.uppercased().hasPrefix("FY") {
      guard let year = try? FiscalYear(parsing: normalized) else { throw .unrecognized(text) }
      self = year
      return
    }
    guard normalized.hasSuffix("年度") else { throw .unrecognized(text) }
    let body = normalized.dropLast(2)
    let era: Era?
    let number: Substring
    if let (found, rest) = TypedDate.splitEra(String(body)) {
      (era, number) = (found, rest)
    } else {
      (era, number) = (nil, body)
    }
    let digitsOnly = !number.isEmpty && number.count <= 4 && number.allSatisfy { $0.isASCII && $0.isNumber }
    guard number == "元" && era != nil || digitsOnly, let value = number == "元" ? 1 : Int(number) else {
      throw .unrecognized(text)
    }
    guard let era else {
      guard number.count == 4, let year = try? FiscalYear(value) else { throw .unrecognized(text) }
      self = year
      return
    }
    guard value >= 1 else { throw .invalidEraYear(era: era, year: value) }
    // The fiscal year must begin before the era ended (平成31年度 yes, 昭和64年度 no: 昭和
    // ended on 1989-01-07); it may begin shortly before the era did (令和元年度 began on
    // 2019-04-01, a month before 令和).
    let startYear = era.firstGregorianYear + value - 1
    if let last = era.lastDay, last < FiscalYear.clampedFirstDay(startYear) {
      throw .outsideEra(era: era, year: value, month: 4, day: 1, actually: WarekiDate(FiscalYear.clampedFirstDay(startYear)))
    }
    guard let year = try? FiscalYear(startYear) else {
      throw .outOfRange(era: era, year: value, month: 4, day: 1)
    }
    self = year
  }

  private static func clampedFirstDay(_ startYear: Int) -> LocalDate {
    (try? LocalDate(year: startYear, month: 4, day: 1)) ?? .latest
  }
}
