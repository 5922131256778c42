import DepositLedger
import SharedKernel
import Testing

/// 月次・年度の締め: a closed period takes no postings; corrections go into an open one.
@Suite("DepositLedger: periods")
struct PeriodTests {
  typealias W = World
  static let charges: [JournalLine] = [.debit(.bankCharges, Yen(660)), .credit(.bank(World.bank), Yen(660))]

  @Test("a treasury manager closes a month once it has ended; a posting dated in it is refused")
  func closeMonth() throws {
    var world = World()
    world.today = W.date("2022-05-10")
    #expect(throws: DepositLedgerError.forbidden(action: "close a period", allowed: [.treasuryManager], actual: .treasury)) {
      try world.close("2022-04", by: World.maker)
    }
    #expect(throws: DepositLedgerError.periodNotEnded("2022-05 (FY2022)", lastDay: W.date("2022-05-31"))) { try world.close("2022-05") }
    try world.close("2022-04")
    let error = DepositLedgerError.periodClosed(period: "2022-04 (FY2022)", date: W.date("2022-04-28"))
    #expect(throws: error) { try world.enter(Self.charges, on: "2022-04-28") }
    #expect(error.description.contains("closed"))
    #expect(error.description.contains("correction with a value date in an open period"))
    #expect(error.kind == .conflict)
    try world.enter(Self.charges, on: "2022-05-02")
    #expect(throws: DepositLedgerError.periodAlreadyClosed("2022-04 (FY2022)")) { try world.close("2022-04") }
    #expect(throws: DepositLedgerError.monthOutsideYear(try YearMonth(iso8601: "2023-04"), try FiscalYear(2022))) { try world.close("2023-04") }
  }

  @Test("an entry left pending in a month closed since cannot be approved until it is reopened")
  func approvalInClosedMonth() throws {
    var world = World()
    let entry = try world.enter(Self.charges, on: "2022-04-28")
    world.today = W.date("2022-05-10")
    #expect(throws: DepositLedgerError.pendingEntriesInPeriod("2022-04 (FY2022)", entries: [entry])) { try world.close("2022-04", pending: [entry]) }
    try world.close("2022-04")
    #expect(throws: DepositLedgerError.periodClosed(period: "2022-04 (FY2022)", date: W.date("2022-04-28"))) { try world.approve(manual: entry) }
    #expect(throws: DepositLedgerError.reasonRequired(action: "reopening a period")) { try world.reopen("2022-04", reason: " ") }
    try world.reopen("2022-04", reason: "承認漏れの伝票を承認するため")
    try world.approve(manual: entry)
    #expect(world.periods[try FiscalYear(2022)]?.closedMonths == [])
  }

  @Test("a correction of an entry in a closed month is a reversal dated in the open period")
  func correctionInOpenPeriod() throws {
    var world = World()
    let entry = try world.enter(Self.charges, on: "2022-04-28")
    try world.approve(manual: entry)
    world.today = W.date("2022-05-10")
    try world.close("2022-04")
    let command = ReverseEntry(original: entry, id: try EntryID("r-1"), valueDate: W.date("2022-05-10"), memo: "手数料の誤り", idempotencyKey: "r-1")
    let reversal = try ManualEntry.reverse(
      command, world.manual[entry] ?? ManualEntry.initialState, pool: world.pool, period: world.period(W.date("2022-05-10")), world.context())
    world.apply(reversal, toManual: entry)
    try world.approve(manual: try EntryID("r-1"), in: entry)
    #expect(try world.books.balance(of: .bankCharges, asOf: W.date("2022-04-30")) == Yen(660))
    #expect(try world.books.balance(of: .bankCharges, asOf: W.date("2022-05-31")) == .zero)
  }

  @Test("closing the fiscal year closes every month of it; a month of a closed year reopens with the year")
  func closeYear() throws {
    var world = World()
    world.today = W.date("2023-04-10")
    #expect(throws: DepositLedgerError.periodNotClosed("FY2022")) { try world.reopen(nil, reason: "x") }
    try world.close("2022-06")
    try world.close(nil)
    #expect(throws: DepositLedgerError.periodClosed(period: "FY2022", date: W.date("2023-03-31"))) { try world.enter(Self.charges, on: "2023-03-31") }
    #expect(throws: DepositLedgerError.yearClosedFirst(try YearMonth(iso8601: "2022-06"), try FiscalYear(2022))) {
      try world.reopen("2022-06", reason: "訂正")
    }
    try world.reopen(nil, reason: "監査指摘の訂正")
    try world.enter(Self.charges, on: "2023-03-31")
    // The month closed on its own stays closed.
    #expect(throws: DepositLedgerError.periodClosed(period: "2022-06 (FY2022)", date: W.date("2022-06-30"))) { try world.enter(Self.charges, on: "2022-06-30") }
    #expect(try Period.stream(try FiscalYear(2022)).rawValue == "period-FY2022")
  }

  @Test("a period stream of another fiscal year never passes a posting unchecked")
  func wrongStream() {
    let state = Period.initialState(try! FiscalYear(2021))
    #expect(throws: DepositLedgerError.wrongPeriodStream(W.date("2022-04-01"), loaded: try! FiscalYear(2021))) {
      try state.requireOpen(W.date("2022-04-01"))
    }
  }

  @Test("reopening is recorded with who and why")
  func reopenRecorded() throws {
    let world = World()
    var context = world.context(World.checker)
    context.today = W.date("2022-05-10")
    var state = Period.initialState(try FiscalYear(2022))
    state = try Period.close(try YearMonth(iso8601: "2022-04"), pending: [], state, context).reduce(state, Period.evolve)
    let events = try Period.reopen(try YearMonth(iso8601: "2022-04"), reason: "  誤記訂正  ", state, context)
    guard case .reopened(let reopened) = events.first else { Issue.record("not reopened"); return }
    #expect(reopened.reason == "誤記訂正")
    #expect(reopened.by == (try UserID("u-checker")))
    #expect(Period.Reopened.eventType == "DepositLedger.PeriodReopened")
  }
}
