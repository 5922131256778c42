import DepositLedger
import SharedKernel
import Testing

/// 仕訳: entries always balance, carry their idempotency key, never change (corrections by
/// reversal), and count only once a second person has approved them.
@Suite("DepositLedger: journal entries and maker–checker")
struct JournalTests {
  typealias W = World
  static let bank = LedgerAccount.bank(World.bank)

  static func charges(_ amount: Int64) -> [JournalLine] { [.debit(.bankCharges, Yen(amount)), .credit(bank, Yen(amount))] }

  @Test("an entry whose debits and credits differ is refused, naming both totals")
  func unbalancedRefused() {
    var world = World()
    #expect(throws: DepositLedgerError.unbalanced(debits: Yen(880), credits: Yen(660))) {
      try world.enter([.debit(.bankCharges, Yen(880)), .credit(Self.bank, Yen(660))], on: "2022-04-01")
    }
    let message = DepositLedgerError.unbalanced(debits: Yen(880), credits: Yen(660)).description
    #expect(message.contains("¥880") && message.contains("¥660"))
    #expect(DepositLedgerError.unbalanced(debits: Yen(880), credits: Yen(660)).kind == .validation)
  }

  @Test("an empty entry, a zero or negative line and an overflowing total are refused")
  func linesChecked() {
    var world = World()
    #expect(throws: DepositLedgerError.emptyEntry) { try world.enter([], on: "2022-04-01") }
    #expect(throws: DepositLedgerError.invalidLineAmount(line: 2, .zero)) {
      try world.enter([.debit(.bankCharges, Yen(1)), .credit(Self.bank, .zero)], on: "2022-04-01")
    }
    #expect(throws: DepositLedgerError.invalidLineAmount(line: 1, Yen(-5))) {
      try world.enter([.debit(.bankCharges, Yen(-5)), .credit(Self.bank, Yen(-5))], on: "2022-04-01")
    }
    #expect(throws: DepositLedgerError.self) {
      try world.enter([.debit(.bankCharges, .max), .debit(.bankCharges, .max), .credit(Self.bank, .max), .credit(Self.bank, .max)], on: "2022-04-01")
    }
  }

  @Test("a manual entry cannot move borrowings, deposits placed or interest payable: those have operations")
  func manualAccountsLimited() throws {
    var world = World()
    let yokohama = try InstitutionID("yokohama")
    #expect(throws: DepositLedgerError.accountNeedsOperation(.borrowings(yokohama))) {
      try world.enter([.debit(Self.bank, Yen(1)), .credit(.borrowings(yokohama), Yen(1))], on: "2022-04-01")
    }
    #expect(throws: DepositLedgerError.accountNeedsOperation(.interestPayable)) {
      try world.enter([.debit(.interestExpense, Yen(1)), .credit(.interestPayable, Yen(1))], on: "2022-04-01")
    }
  }

  @Test("an entry carries its idempotency key; a bad or reused key is refused")
  func idempotencyKey() throws {
    var world = World()
    let id = try world.enter(Self.charges(660), on: "2022-04-01")
    let entered = try #require(world.manual[id]?.entry(id)?.entered)
    #expect(entered.idempotencyKey.hasPrefix("key-"))
    #expect(entered.purpose == .manual)
    #expect(entered.by == (try UserID("u-maker")))
    let state = world.manual[id] ?? ManualEntry.initialState
    #expect(throws: DepositLedgerError.invalidIdempotencyKey("has space")) {
      try ManualEntry.enter(
        NewEntry(id: try EntryID("e-x"), valueDate: W.date("2022-04-01"), lines: Self.charges(1), memo: "", idempotencyKey: "has space"),
        ManualEntry.initialState, accounts: world.accounts, pool: world.pool, period: world.period(W.date("2022-04-01")), world.context())
    }
    #expect(throws: DepositLedgerError.entryExists(id)) {
      try ManualEntry.enter(
        NewEntry(id: id, valueDate: W.date("2022-04-01"), lines: Self.charges(1), memo: "", idempotencyKey: "k"), state, accounts: world.accounts, pool: world.pool,
        period: world.period(W.date("2022-04-01")), world.context())
    }
  }

  @Test("a bank movement on a day banks are closed is refused, naming the next business day")
  func bankHoliday() {
    var world = World()
    let error = DepositLedgerError.notBusinessDay(
      field: "valueDate", W.date("2022-04-29"), closure: "a holiday (昭和の日)", next: W.date("2022-05-02"))
    #expect(throws: error) { try world.enter(Self.charges(660), on: "2022-04-29") }
    #expect(error.description.contains("next bank business day is 2022-05-02"))
  }

  @Test("the treasury enters, a treasury manager who is not the maker approves; only then does it count")
  func makerChecker() throws {
    var world = World()
    let id = try world.enter(Self.charges(660), on: "2022-04-01")
    #expect(try world.books.balance(of: .bankCharges, asOf: W.date("2022-04-30")) == .zero)
    // The maker, signed in as a manager, still may not approve their own entry.
    #expect(throws: DepositLedgerError.makerCannotCheck(id, user: try UserID("u-maker"))) {
      try world.approve(manual: id, by: World.makerAsManager)
    }
    #expect(throws: DepositLedgerError.forbidden(action: "approve a journal entry", allowed: [.treasuryManager], actual: .treasury)) {
      try world.approve(manual: id, by: World.otherMaker)
    }
    try world.approve(manual: id)
    #expect(try world.books.balance(of: .bankCharges, asOf: W.date("2022-04-30")) == Yen(660))
    #expect(try world.books.balance(of: .bankCharges, asOf: W.date("2022-03-31")) == .zero)
    #expect(throws: DepositLedgerError.entryNotPending(id, .approved)) { try world.approve(manual: id) }
    // A manager enters nothing: entering is the treasury's.
    #expect(throws: DepositLedgerError.forbidden(action: "enter a journal entry", allowed: [.treasury], actual: .treasuryManager)) {
      try world.enter(Self.charges(1), on: "2022-04-01", by: World.checker)
    }
  }

  @Test("a rejected entry never counts, and rejecting takes a reason")
  func rejection() throws {
    var world = World()
    let id = try world.enter(Self.charges(660), on: "2022-04-01")
    let state = world.manual[id] ?? ManualEntry.initialState
    #expect(throws: DepositLedgerError.reasonRequired(action: "rejecting an entry")) {
      try ManualEntry.reject(id, reason: "  ", state, world.context(World.checker))
    }
    world.apply(try ManualEntry.reject(id, reason: "金額誤り", state, world.context(World.checker)), toManual: id)
    #expect(world.manual[id]?.entry(id)?.status == .rejected)
    #expect(try world.books.balances(asOf: W.date("2023-03-31")).isEmpty)
  }

  @Test("a posting never changes: the correction is a reversal with debits and credits swapped, once")
  func reversal() throws {
    var world = World()
    let id = try world.enter(Self.charges(660), on: "2022-04-01")
    let pendingState = world.manual[id] ?? ManualEntry.initialState
    let command = { (original: EntryID, new: String) in
      ReverseEntry(original: original, id: try! EntryID(new), valueDate: W.date("2022-04-04"), memo: "", idempotencyKey: new)
    }
    #expect(throws: DepositLedgerError.reversalOfUnapproved(id, .pending)) {
      try ManualEntry.reverse(command(id, "r-1"), pendingState, pool: world.pool, period: world.period(W.date("2022-04-04")), world.context())
    }
    try world.approve(manual: id)
    let approvedState = world.manual[id] ?? ManualEntry.initialState
    let reversal = try ManualEntry.reverse(
      command(id, "r-1"), approvedState, pool: world.pool, period: world.period(W.date("2022-04-04")), world.context())
    guard case .entered(let entered) = reversal.events.first else { Issue.record("no reversal"); return }
    #expect(entered.reverses == id)
    #expect(entered.lines == [.credit(.bankCharges, Yen(660)), .debit(Self.bank, Yen(660))])
    #expect(entered.memo.hasPrefix("取消"))
    world.apply(reversal, toManual: id)
    let reversedState = world.manual[id] ?? ManualEntry.initialState
    #expect(throws: DepositLedgerError.alreadyReversed(id, by: try EntryID("r-1"))) {
      try ManualEntry.reverse(command(id, "r-2"), reversedState, pool: world.pool, period: world.period(W.date("2022-04-04")), world.context())
    }
    // Rejected, the reversal no longer stands in the way of another.
    world.apply(try ManualEntry.reject(try EntryID("r-1"), reason: "日付誤り", reversedState, world.context(World.checker)), toManual: id)
    let again = try ManualEntry.reverse(
      command(id, "r-2"), world.manual[id] ?? ManualEntry.initialState, pool: world.pool, period: world.period(W.date("2022-04-04")),
      world.context())
    world.apply(again, toManual: id)
    try world.approve(manual: try EntryID("r-2"), in: id)
    #expect(try world.books.balance(of: .bankCharges, asOf: W.date("2022-04-01")) == Yen(660))
    #expect(try world.books.balance(of: .bankCharges, asOf: W.date("2022-04-04")) == .zero)
    #expect(throws: DepositLedgerError.reversalOfReversal(try EntryID("r-2"))) {
      try ManualEntry.reverse(
        command(try EntryID("r-2"), "r-3"), world.manual[id] ?? ManualEntry.initialState, pool: world.pool,
        period: world.period(W.date("2022-04-04")), world.context())
    }
  }

  @Test("a reversal is dated on or after the entry it reverses")
  func reversalDate() throws {
    var world = World()
    let id = try world.enter(Self.charges(660), on: "2022-04-04")
    try world.approve(manual: id)
    let command = ReverseEntry(original: id, id: try EntryID("r-1"), valueDate: W.date("2022-04-01"), memo: "", idempotencyKey: "r")
    #expect(throws: DepositLedgerError.dateTooEarly(field: "valueDate", W.date("2022-04-01"), earliest: W.date("2022-04-04"), what: "the value date of the entry it reverses")) {
      try ManualEntry.reverse(command, world.manual[id] ?? ManualEntry.initialState, pool: world.pool, period: world.period(W.date("2022-04-01")), world.context())
    }
  }

  @Test("events are stored under stable DepositLedger type names")
  func eventTypes() {
    #expect(Journal.Entered.eventType == "DepositLedger.EntryEntered")
    #expect(Journal.Approved.eventType == "DepositLedger.EntryApproved")
    #expect(Journal.Rejected.eventType == "DepositLedger.EntryRejected")
    #expect(Borrowing.Drawn.eventType == "DepositLedger.BorrowingDrawn")
    #expect(Deposit.Placed.eventType == "DepositLedger.DepositPlaced")
    #expect(Borrowing.codec.types.contains("DepositLedger.EntryApproved"))
    #expect(ManualEntry.codec.types == ["DepositLedger.EntryEntered", "DepositLedger.EntryApproved", "DepositLedger.EntryRejected"])
  }

  @Test("account codes read back as the accounts they name", arguments: ["bank:main", "own-funds", "borrowings:yokohama", "deposits:mizuho", "interest-payable", "interest-expense", "bank-charges"])
  func accountCodes(code: String) throws {
    #expect(try LedgerAccount(code: code).code == code)
  }

  @Test("an unknown account code is refused")
  func unknownAccountCode() {
    #expect(throws: DepositLedgerError.unknownAccount("cash")) { try LedgerAccount(code: "cash") }
    #expect(throws: DepositLedgerError.unknownAccount("bank:")) { try LedgerAccount(code: "bank:") }
  }
}
