public import SharedKernel

/// 利息計算表: a borrowing's interest period by period, each truncated to the yen as its accrual
/// would be, with the totals.
public struct InterestSchedule: Sendable, Hashable {
  /// One interest period.
  public struct Line: Sendable, Hashable {
    public var from: LocalDate
    /// The last day, included.
    public var through: LocalDate
    /// Days that bore a balance.
    public var days: Int
    /// The balance at the close of the day before `from`.
    public var openingBalance: Yen
    /// The balance at the close of `through`.
    public var closingBalance: Yen
    /// 積数 (yen-days, whole accrual units).
    public var product: Int128
    public var interest: Yen
  }

  public var borrowing: BorrowingID
  public var terms: InterestTerms
  public var lines: [Line]
  public var totalDays: Int
  public var totalInterest: Yen
}

extension Borrowing {
  /// The borrowing's interest schedule over periods ending on `periodEnds` (each end included;
  /// the first period starts on the drawdown's value date, each next one the day after the last
  /// ended). Without ends: each month end before maturity, then the maturity.
  ///
  /// `projected`: a forecast from every entry not rejected (pending ones too), with what is
  /// outstanding at maturity assumed repaid on it; otherwise the approved entries as they stand.
  public static func schedule(_ record: Record, periodEnds: [LocalDate]? = nil, projected: Bool = true) throws(DepositLedgerError)
    -> InterestSchedule
  {
    let drawn = record.drawn
    let ends = Array(Set(periodEnds ?? monthEnds(from: drawn.valueDate, to: drawn.maturity))).sorted()
    if let early = ends.first, early < drawn.valueDate {
      throw .dateTooEarly(field: "periodEnds", early, earliest: drawn.valueDate, what: "the drawdown's value date")
    }
    var movements: [BalanceMovement]
    if projected {
      movements = record.journal.entries.compactMap { entry in
        let change = entry.entered.change(to: record.principalAccount)
        guard entry.status != .rejected, change != 0 else { return nil }
        return BalanceMovement(date: entry.entered.valueDate, amount: Yen.clamped(change))
      }
      let history = try BalanceHistory(movements)
      let atMaturity = history.balance(atCloseOf: drawn.maturity)
      if atMaturity > .zero, !movements.contains(where: { $0.date > drawn.maturity }) {
        movements.append(BalanceMovement(date: drawn.maturity, amount: Yen(-atMaturity.amount)))
      }
    } else {
      movements = record.movements(record.journal.movements(of: record.principalAccount, conservative: false))
    }
    let history = try BalanceHistory(movements)
    var lines: [InterestSchedule.Line] = []
    var from = drawn.valueDate
    var totalDays = 0
    var total = Yen.zero
    for through in ends {
      let quote = try Interest.quote(history: history, from: from, through: through, terms: drawn.terms)
      let before = (try? from.adding(days: -1)) ?? from
      lines.append(
        InterestSchedule.Line(
          from: from, through: through, days: quote.days, openingBalance: history.balance(atCloseOf: before),
          closingBalance: history.balance(atCloseOf: through), product: quote.product, interest: quote.interest))
      totalDays += quote.days
      total = try checkedYen { () throws(YenError) in try total.adding(quote.interest) }
      guard let next = try? through.adding(days: 1) else { break }
      from = next
    }
    return InterestSchedule(borrowing: record.id, terms: drawn.terms, lines: lines, totalDays: totalDays, totalInterest: total)
  }

  /// Each month's last day on or after `start` and before `end`, then `end`.
  public static func monthEnds(from start: LocalDate, to end: LocalDate) -> [LocalDate] {
    var ends: [LocalDate] = []
    var month = start.yearMonth
    while month.lastDay < end {
      ends.append(month.lastDay)
      guard let next = try? month.adding(months: 1) else { break }
      month = next
    }
    ends.append(end)
    return ends
  }
}
