public import EventLog
import Foundation
public import SharedKernel

/// 月次・年度の締め: the accounting periods of one fiscal year, `period-FY2022`.
///
/// A `treasury-manager` closes a month once it has ended, or the whole fiscal year; a closed
/// period takes no new postings and no approvals dated in it (corrections go into an open
/// period, by reversal). Reopening is recorded with its reason. Every posting and approval holds
/// a condition on the stream of its value date's fiscal year, so a close and a posting never
/// cross.
public enum Period {
  public static let category = "period"

  /// `period-FY2022`.
  public static func stream(_ year: FiscalYear) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: year.description)
  }

  /// A month (or, when `month` is nil, the whole fiscal year) was closed.
  public struct Closed: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.PeriodClosed"
    public static let schemaVersion = 1
    public var year: FiscalYear
    public var month: YearMonth?
    public var by: UserID
    public var at: Timestamp
  }

  /// A closed month (or the fiscal year) was opened again, and why.
  public struct Reopened: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.PeriodReopened"
    public static let schemaVersion = 1
    public var year: FiscalYear
    public var month: YearMonth?
    public var reason: String
    public var by: UserID
    public var at: Timestamp
  }

  /// The period stream's events.
  public enum Event: Sendable, Hashable {
    case closed(Closed)
    case reopened(Reopened)
  }

  /// What is closed in one fiscal year.
  public struct State: Sendable, Hashable {
    public let year: FiscalYear
    /// Months closed one by one, in order.
    public private(set) var closedMonths: [YearMonth] = []
    /// Whether the whole fiscal year is closed (年度締め).
    public private(set) var yearClosed = false

    public init(year: FiscalYear) {
      self.year = year
    }

    /// Whether `month` takes no postings (its own close or the year's).
    public func isClosed(_ month: YearMonth) -> Bool { yearClosed || closedMonths.contains(month) }

    /// Refuses a posting or approval dated `date` in a closed period of this year.
    ///
    /// A date of another fiscal year is a wiring mistake of the caller (it loaded the wrong
    /// period stream) and is refused too, so it can never slip through unchecked.
    public func requireOpen(_ date: LocalDate) throws(DepositLedgerError) {
      guard year.contains(date) else { throw .wrongPeriodStream(date, loaded: year) }
      if yearClosed { throw .periodClosed(period: year.description, date: date) }
      if closedMonths.contains(date.yearMonth) { throw .periodClosed(period: "\(date.yearMonth) (\(year))", date: date) }
    }

    mutating func apply(_ event: Event) {
      switch event {
      case .closed(let e):
        if let month = e.month {
          if !closedMonths.contains(month) { closedMonths = (closedMonths + [month]).sorted() }
        } else {
          yearClosed = true
        }
      case .reopened(let e):
        if let month = e.month { closedMonths.removeAll { $0 == month } } else { yearClosed = false }
      }
    }
  }

  /// Nothing closed yet in `year`.
  public static func initialState(_ year: FiscalYear) -> State { State(year: year) }

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    state.apply(event)
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Closed.self, embed: Event.closed) { if case .closed(let e) = $0 { e } else { nil } }
    codec.register(Reopened.self, embed: Event.reopened) { if case .reopened(let e) = $0 { e } else { nil } }
    return codec
  }()

  /// Closes `month` of the state's fiscal year, or the whole year when `month` is nil
  /// (`treasury-manager` only), once it has ended.
  ///
  /// `pending` is what the service's read model lists as awaiting approval with a value date in
  /// the period: a period is closed with none, since an entry left pending in it could only be
  /// approved after reopening.
  public static func close(_ month: YearMonth?, pending: [EntryID], _ state: State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> [Event]
  {
    let user = try context.user(in: [.treasuryManager], to: "close a period")
    let name = month.map { "\($0) (\(state.year))" } ?? state.year.description
    if let month {
      guard state.year.months.contains(month) else { throw .monthOutsideYear(month, state.year) }
      guard !state.isClosed(month) else { throw .periodAlreadyClosed(name) }
      guard context.today > month.lastDay else { throw .periodNotEnded(name, lastDay: month.lastDay) }
    } else {
      guard !state.yearClosed else { throw .periodAlreadyClosed(name) }
      guard context.today > state.year.lastDay else { throw .periodNotEnded(name, lastDay: state.year.lastDay) }
    }
    guard pending.isEmpty else { throw .pendingEntriesInPeriod(name, entries: pending) }
    return [.closed(Closed(year: state.year, month: month, by: user, at: context.timestamp))]
  }

  /// Reopens a closed month, or the fiscal year when `month` is nil (`treasury-manager` only),
  /// with the reason recorded. A month closed by the year's close is opened by reopening the year.
  public static func reopen(_ month: YearMonth?, reason: String, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> [Event]
  {
    let user = try context.user(in: [.treasuryManager], to: "reopen a period")
    let name = month.map { "\($0) (\(state.year))" } ?? state.year.description
    if let month {
      guard state.year.months.contains(month) else { throw .monthOutsideYear(month, state.year) }
      guard !state.yearClosed else { throw .yearClosedFirst(month, state.year) }
      guard state.closedMonths.contains(month) else { throw .periodNotClosed(name) }
    } else {
      guard state.yearClosed else { throw .periodNotClosed(name) }
    }
    guard let reason = Text.required(reason, limit: 500) else { throw .reasonRequired(action: "reopening a period") }
    return [.reopened(Reopened(year: state.year, month: month, reason: reason, by: user, at: context.timestamp))]
  }
}
