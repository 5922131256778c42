import JapaneseCalendar
public import SharedKernel

/// Value dates (資金の受渡日) on bank business days, by ``BankCalendar``.
///
/// A date a person gives must already be a business day: it is refused with the next one named,
/// because moving money on another day than typed would be a surprise. A date the platform
/// computes (a maturity three months on) rolls forward to the next business day, as banks do
/// (翌営業日).
public enum ValueDates {
  /// Refuses `date` unless banks are open on it, naming why not and the next business day.
  public static func requireBusinessDay(_ date: LocalDate, field: String) throws(DepositLedgerError) {
    let closure: BankCalendar.Closure?
    do { closure = try BankCalendar.closure(on: date) } catch { throw .calendarUnsupported(date) }
    guard let closure else { return }
    let next: LocalDate
    do { next = try BankCalendar.businessDay(after: date) } catch { throw .calendarUnsupported(date) }
    throw .notBusinessDay(field: field, date, closure: closure.description, next: next)
  }

  /// `date` if banks are open on it, else the next business day.
  public static func rolledForward(_ date: LocalDate) throws(DepositLedgerError) -> LocalDate {
    do { return try BankCalendar.businessDay(onOrAfter: date) } catch { throw .calendarUnsupported(date) }
  }

  /// The maturity `months` months after `start`: the same day of the month, the month's last day
  /// where it has no such day (1/31 + 1 month → 2/28), rolled to the next business day when banks
  /// are closed on it.
  public static func maturity(of start: LocalDate, monthsAfter months: Int) throws(DepositLedgerError) -> LocalDate {
    let date: LocalDate
    do { date = try start.adding(months: months) } catch { throw .dateOutOfRange(error.description) }
    return try rolledForward(date)
  }
}
