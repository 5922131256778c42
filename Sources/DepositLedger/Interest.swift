import JapaneseCalendar
public import SharedKernel

/// Which days of a loan bear interest (日数計算).
public enum DayCount: String, Sendable, Hashable, Codable, CaseIterable {
  /// 片端 (片落ち): from the day the money is drawn to the day before it is repaid; the repayment
  /// day bears none. 4/1 → 4/30 is 29 days. The usual rule for deposits and loans.
  case katahashi
  /// 両端 (両端入れ): the day the money is drawn and the day it is repaid both bear interest:
  /// 4/1 → 4/30 is 30 days. Each yen counts both ends, so a part repayment's day bears interest
  /// on the part repaid.
  case ryohashi

  /// 片端 / 両端.
  public var japaneseName: String { self == .katahashi ? "片端" : "両端" }

  var convention: InterestDays.Convention { self == .katahashi ? .oneEnd : .bothEnds }
}

/// The year a day of interest is a fraction of.
public enum YearBasis: String, Sendable, Hashable, Codable, CaseIterable {
  /// 365 days, also in leap years (the Japanese convention for yen: 1 day = 1/365 of the annual
  /// rate, 29 February included).
  case fixed365 = "365"
  /// Each calendar-year part of a period over its own year's length, 365 or 366, summed exactly
  /// (`actual-leap366`, where a contract counts leap days over 366, e.g. 2023-12-15 → 2024-01-15
  /// is 17/365 + 14/366 of the annual rate).
  case actualLeap366 = "actual-leap366"

  /// `365日` / `閏年366日`.
  public var japaneseName: String { self == .fixed365 ? "365日（閏年も365日）" : "閏年は366日" }

  /// The common denominator of a year fraction: 365, or 365 × 366 for actual-leap366, so that
  /// 365- and 366-day years add exactly.
  var commonYear: Int128 { self == .fixed365 ? 365 : 365 * 366 }

  /// Days of a year of `length` days expressed over ``commonYear``.
  func weight(ofYearWithLength length: Int) -> Int128 {
    switch self {
    case .fixed365: 1
    case .actualLeap366: length == 366 ? 365 : 366
    }
  }
}

/// How a contract computes interest: the rate, the day count, the year basis and the accrual
/// unit (付利単位: the balance is taken in whole units of this many yen, e.g. ¥100, before it is
/// multiplied; ¥1 takes every yen).
public struct InterestTerms: Sendable, Hashable, Codable {
  public var rate: InterestRate
  public var dayCount: DayCount
  public var yearBasis: YearBasis
  /// 付利単位, at least ¥1.
  public var accrualUnit: Yen

  public init(rate: InterestRate, dayCount: DayCount = .katahashi, yearBasis: YearBasis = .fixed365, accrualUnit: Yen = Yen(1)) {
    self.rate = rate
    self.dayCount = dayCount
    self.yearBasis = yearBasis
    self.accrualUnit = accrualUnit
  }

  /// These terms, or the first that is wrong.
  public func checked() throws(DepositLedgerError) -> InterestTerms {
    guard accrualUnit.amount >= 1 else { throw .invalidAccrualUnit(accrualUnit) }
    return self
  }
}

/// A change of an interest-bearing balance on a value date: positive when money is drawn,
/// negative when it is repaid.
public struct BalanceMovement: Sendable, Hashable, Codable {
  public var date: LocalDate
  public var amount: Yen

  public init(date: LocalDate, amount: Yen) {
    self.date = date
    self.amount = amount
  }
}

/// An interest-bearing balance over time, from its movements: what 積数 (balance × days) is
/// summed over. Before the first movement the balance is zero.
///
/// Each day bears interest on the balance at the close of that day (片端); under 両端 a day also
/// bears interest on what was repaid that day, so the draw day and every repayment day count.
public struct BalanceHistory: Sendable, Hashable {
  /// Per value date, in order: the closing balance and what was repaid that day.
  struct Day: Sendable, Hashable {
    var date: LocalDate
    var closing: Int128
    var repaid: Int128
  }

  let days: [Day]

  /// The history of `movements` (in any order; several on one day are added).
  ///
  /// Throws ``DepositLedgerError/negativeBalance(on:balance:)`` when the balance would go below
  /// zero: more repaid than was drawn is never a balance interest can be computed on.
  public init(_ movements: [BalanceMovement]) throws(DepositLedgerError) {
    let sorted = movements.sorted { $0.date < $1.date }
    var days: [Day] = []
    var balance: Int128 = 0
    for movement in sorted {
      let amount = Int128(movement.amount.amount)
      balance += amount
      if days.last?.date == movement.date {
        days[days.count - 1].closing = balance
        if amount < 0 { days[days.count - 1].repaid -= amount }
      } else {
        days.append(Day(date: movement.date, closing: balance, repaid: amount < 0 ? -amount : 0))
      }
      guard balance >= 0 else { throw .negativeBalance(on: movement.date, balance: Yen.clamped(balance)) }
    }
    self.days = days
  }

  /// The balance at the close of `date`.
  public func balance(atCloseOf date: LocalDate) -> Yen {
    Yen.clamped(days.last { $0.date <= date }?.closing ?? 0)
  }

  /// Pieces of constant interest-bearing balance: each from its day (days since 1970) until the
  /// next piece's.
  func pieces(_ dayCount: DayCount) -> [(start: Int, weight: Int128)] {
    var pieces: [(start: Int, weight: Int128)] = []
    func add(_ start: Int, _ weight: Int128) {
      if pieces.last?.start == start { pieces[pieces.count - 1].weight = weight } else { pieces.append((start, weight)) }
    }
    for day in days {
      let start = day.date.daysSince1970
      if dayCount == .ryohashi && day.repaid > 0 {
        add(start, day.closing + day.repaid)
        add(start + 1, day.closing)
      } else {
        add(start, day.closing)
      }
    }
    return pieces
  }
}

/// What interest a balance earned over a period, exactly and in yen.
public struct InterestQuote: Sendable, Hashable, CustomStringConvertible {
  /// The days counted: the loan period's day count (片端 or 両端) for a principal or segments
  /// from `from` to `to`; the days that bore a balance for a period of a balance history.
  public var days: Int
  /// 積数: Σ balance × days, each balance taken in whole accrual units (yen-days).
  public var product: Int128
  /// The interest exactly, `numerator / denominator` yen, before truncation.
  public var numerator: Int128
  /// The exact interest's denominator: 100 × 1,000,000 (the rate is millionths of a percent)
  /// × the year basis's common year (365, or 365 × 366).
  public var denominator: Int128
  /// The interest in yen, truncated below one yen once (円未満切り捨て).
  public var interest: Yen

  /// `92 days, ¥315,068`.
  public var description: String { "\(days) days, \(interest)" }
}

/// The interest engine: exact integer arithmetic (Int128), truncated below one yen once, at the
/// end. Overflow throws ``DepositLedgerError/amountOverflow(_:)``; nothing here traps.
public enum Interest {
  /// Interest on `principal` borrowed on `from` and repaid on `to`.
  ///
  /// ¥1,000,000,000 at 0.125 % from 2022-04-01 to 2022-07-02 (片端, 365: 92 days) is ¥315,068.
  public static func quote(
    principal: Yen, rate: InterestRate, from: LocalDate, to: LocalDate, dayCount: DayCount = .katahashi,
    yearBasis: YearBasis = .fixed365, accrualUnit: Yen = Yen(1)
  ) throws(DepositLedgerError) -> InterestQuote {
    let terms = try InterestTerms(rate: rate, dayCount: dayCount, yearBasis: yearBasis, accrualUnit: accrualUnit).checked()
    guard principal >= .zero else { throw .invalidAmount(field: "principalYen", principal) }
    let days: Int
    do { days = try InterestDays.count(from: from, to: to, dayCount.convention) } catch {
      throw .interestPeriodReversed(from: from, to: to)
    }
    let start = from.daysSince1970
    let pieces: [(start: Int, weight: Int128)] = [(start, Int128(principal.amount)), (start + days, 0)]
    return try quote(pieces: pieces, first: start, end: start + days, days: days, terms)
  }

  /// 積数 form: interest on a balance that changes within the period, `segments[i].balance`
  /// from `segments[i].from` until the next segment's date, and the last until `to`, when the
  /// rest is repaid. Σ balance × days is summed before dividing, and truncated once.
  ///
  /// Under 両端 a day on which the balance falls bears interest on the higher balance (the part
  /// repaid counts its repayment day), and `to` counts at the last segment's balance.
  public static func quote(
    segments: [(from: LocalDate, balance: Yen)], to: LocalDate, rate: InterestRate, dayCount: DayCount = .katahashi,
    yearBasis: YearBasis = .fixed365, accrualUnit: Yen = Yen(1)
  ) throws(DepositLedgerError) -> InterestQuote {
    let terms = try InterestTerms(rate: rate, dayCount: dayCount, yearBasis: yearBasis, accrualUnit: accrualUnit).checked()
    guard let first = segments.first else { throw .noSegments }
    var movements: [BalanceMovement] = []
    var previous = Yen.zero
    var previousDate: LocalDate?
    for segment in segments {
      guard segment.balance >= .zero else { throw .invalidAmount(field: "balance", segment.balance) }
      if let previousDate, segment.from <= previousDate { throw .segmentsOutOfOrder(segment.from, after: previousDate) }
      guard segment.from <= to else { throw .interestPeriodReversed(from: segment.from, to: to) }
      movements.append(BalanceMovement(date: segment.from, amount: try checkedYen { () throws(YenError) in try segment.balance.subtracting(previous) }))
      previous = segment.balance
      previousDate = segment.from
    }
    movements.append(BalanceMovement(date: to, amount: try checkedYen { () throws(YenError) in try previous.negated() }))
    let history = try BalanceHistory(movements)
    let end = to.daysSince1970 + (dayCount == .ryohashi ? 1 : 0)
    let days = end - first.from.daysSince1970
    return try quote(pieces: history.pieces(dayCount), first: first.from.daysSince1970, end: end, days: days, terms)
  }

  /// Interest on `history` over the days `from` through `through`, both included: one period of
  /// a borrowing's accruals. Consecutive periods add up exactly to the whole (before each is
  /// truncated). `days` counts the days of the period that bore a balance.
  public static func quote(history: BalanceHistory, from: LocalDate, through: LocalDate, terms: InterestTerms) throws(DepositLedgerError)
    -> InterestQuote
  {
    let terms = try terms.checked()
    guard from <= through else { throw .interestPeriodReversed(from: from, to: through) }
    let first = from.daysSince1970
    let end = through.daysSince1970 + 1
    let pieces = history.pieces(terms.dayCount)
    var days = 0
    for (index, piece) in pieces.enumerated() where piece.weight > 0 {
      let pieceEnd = index + 1 < pieces.count ? pieces[index + 1].start : Int.max
      let overlap = min(pieceEnd, end) - max(piece.start, first)
      if overlap > 0 { days += overlap }
    }
    return try quote(pieces: pieces, first: first, end: end, days: days, terms)
  }

  /// Σ over the pieces' overlap with [first, end) of (balance in whole units) × days, split by
  /// calendar year and weighted by the year basis; then × rate, and one truncation.
  static func quote(pieces: [(start: Int, weight: Int128)], first: Int, end: Int, days: Int, _ terms: InterestTerms) throws(DepositLedgerError)
    -> InterestQuote
  {
    let unit = Int128(terms.accrualUnit.amount)
    var product: Int128 = 0
    var weighted: Int128 = 0
    for (index, piece) in pieces.enumerated() {
      let pieceEnd = index + 1 < pieces.count ? pieces[index + 1].start : Int.max
      let lower = max(piece.start, first)
      let upper = min(pieceEnd, end)
      guard upper > lower, piece.weight > 0 else { continue }
      let balance = piece.weight / unit * unit
      guard balance > 0 else { continue }
      for (yearDays, length) in try yearParts(from: lower, to: upper) {
        let part = try multiplied(balance, Int128(yearDays))
        product = try added(product, part)
        weighted = try added(weighted, try multiplied(part, terms.yearBasis.weight(ofYearWithLength: length)))
      }
    }
    let numerator = try multiplied(weighted, Int128(terms.rate.millionthsOfPercent))
    let denominator = terms.yearBasis.commonYear * 100 * Int128(InterestRate.millionthsPerPercent)
    let interest = numerator / denominator
    guard interest <= Int128(Int64.max) else { throw .amountOverflow("the interest is above \(Yen.max)") }
    return InterestQuote(days: days, product: product, numerator: numerator, denominator: denominator, interest: Yen(Int64(interest)))
  }

  /// The days of [lower, upper) (days since 1970) in each calendar year, with that year's length.
  static func yearParts(from lower: Int, to upper: Int) throws(DepositLedgerError) -> [(days: Int, length: Int)] {
    var parts: [(days: Int, length: Int)] = []
    var start = lower
    while start < upper {
      let date: LocalDate
      do { date = try LocalDate(daysSince1970: start) } catch { throw .dateOutOfRange(error.description) }
      let year = date.year
      let nextYear: Int
      if year >= LocalDate.latest.year {
        nextYear = LocalDate.latest.daysSince1970 + 1
      } else {
        do { nextYear = try LocalDate(year: year + 1, month: 1, day: 1).daysSince1970 } catch { throw .dateOutOfRange(error.description) }
      }
      let stop = min(upper, nextYear)
      parts.append((stop - start, LocalDate.isLeapYear(year) ? 366 : 365))
      start = stop
    }
    return parts
  }

  static func multiplied(_ lhs: Int128, _ rhs: Int128) throws(DepositLedgerError) -> Int128 {
    let (result, overflow) = lhs.multipliedReportingOverflow(by: rhs)
    guard !overflow else { throw .amountOverflow("the interest calculation does not fit in 128 bits") }
    return result
  }

  static func added(_ lhs: Int128, _ rhs: Int128) throws(DepositLedgerError) -> Int128 {
    let (result, overflow) = lhs.addingReportingOverflow(rhs)
    guard !overflow else { throw .amountOverflow("the interest calculation does not fit in 128 bits") }
    return result
  }
}

extension Yen {
  /// `value` as yen, cut to the range a `Yen` holds (for messages about values already out of it).
  static func clamped(_ value: Int128) -> Yen {
    Yen(Int64(clamping: value))
  }
}

/// Runs a `Yen` calculation, reporting overflow as the context's error.
func checkedYen(_ body: () throws(YenError) -> Yen) throws(DepositLedgerError) -> Yen {
  do { return try body() } catch { throw .amountOverflow(error.description) }
}
