import DepositLedger
import Foundation
import SharedKernel

/// The deposit ledger's streams in memory: what the service would load, decide on and append,
/// stream by stream, with every journal event also kept in log order for ``Books``.
struct World {
  var institutions: [InstitutionID: Institution.State] = [:]
  var borrowings: [BorrowingID: Borrowing.State] = [:]
  var deposits: [DepositID: Deposit.State] = [:]
  var manual: [EntryID: ManualEntry.State] = [:]
  var pool = FundingPool.initialState
  /// The register with the foundation's account `main` open (see ``openMain()``).
  var accounts = World.openMain()
  var periods: [FiscalYear: Period.State] = [:]
  var journal: [Journal.Event] = []
  var today = World.date("2022-04-01")
  private var counter = 0

  static let maker = Principal.user(try! UserID("u-maker"), .treasury)
  static let otherMaker = Principal.user(try! UserID("u-maker2"), .treasury)
  static let checker = Principal.user(try! UserID("u-checker"), .treasuryManager)
  /// A manager who is also the maker's user id (acting in the manager role).
  static let makerAsManager = Principal.user(try! UserID("u-maker"), .treasuryManager)
  static let desk = Principal.user(try! UserID("u-desk"), .desk)
  static let bank = try! BankAccountID("main")

  /// The register after a manager opened `main`, 横浜銀行 本店 普通 1234567.
  static func openMain() -> BankAccounts.State {
    let command = OpenBankAccount(
      id: bank, name: "預託事業用 普通預金", bankName: "横浜銀行", branchName: "本店", bankCode: "0138", branchCode: "100", accountType: .ordinary,
      accountNumber: "1234567", accountName: "ｻﾞｲ)ｶﾅｶﾞﾜｹﾝｻﾝｷﾞﾖｳｼﾝｺｳｾﾝﾀ-")
    let context = TreasuryContext(today: date("2022-04-01"), at: date("2022-04-01").startInJapan, by: checker)
    return try! BankAccounts.open(command, BankAccounts.initialState, context).reduce(BankAccounts.initialState, BankAccounts.evolve)
  }

  /// The events of ``openMain()``, for an audit that reads the register.
  static func openMainEvents() -> [BankAccounts.Event] {
    openMain().accounts.map { .opened($0.opened) }
  }

  static func date(_ text: String) -> LocalDate { try! LocalDate(iso8601: text) }
  static func yen(_ amount: Int64) -> Yen { Yen(amount) }
  static func rate(_ text: String) -> InterestRate { try! InterestRate(percent: text) }

  func context(_ by: Principal = World.maker) -> TreasuryContext {
    TreasuryContext(today: today, at: today.startInJapan.addingTimeInterval(3600), by: by)
  }

  func period(_ date: LocalDate) -> Period.State {
    let year = FiscalYear(containing: date)
    return periods[year] ?? Period.initialState(year)
  }

  mutating func nextEntry() -> EntryID {
    counter += 1
    return try! EntryID("e-\(counter)")
  }

  mutating func key() -> String {
    counter += 1
    return "key-\(counter)"
  }

  // MARK: Applying decisions

  mutating func apply(_ decision: Borrowing.Decision, to id: BorrowingID) {
    borrowings[id] = decision.events.reduce(borrowings[id] ?? Borrowing.initialState, Borrowing.evolve)
    journal += decision.events.compactMap(\.journalEvent)
    pool = decision.pool.reduce(pool, FundingPool.evolve)
  }

  mutating func apply(_ decision: Deposit.Decision, to id: DepositID) {
    deposits[id] = decision.events.reduce(deposits[id] ?? Deposit.initialState, Deposit.evolve)
    journal += decision.events.compactMap(\.journalEvent)
    pool = decision.pool.reduce(pool, FundingPool.evolve)
  }

  mutating func apply(_ decision: PostingDecision<Journal.Event>, toManual id: EntryID) {
    manual[id] = decision.events.reduce(manual[id] ?? ManualEntry.initialState, ManualEntry.evolve)
    journal += decision.events
    pool = decision.pool.reduce(pool, FundingPool.evolve)
  }

  var books: Books { Books(journal) }

  // MARK: Institutions

  mutating func register(_ id: String, name: String? = nil, roles: [InstitutionRole] = [.lender, .handling]) throws {
    let institution = try InstitutionID(id)
    let command = RegisterInstitution(
      id: institution, name: name ?? "\(id)銀行", bankCode: "0138", branchCode: "001", accountType: .ordinary, accountNumber: "0012345",
      accountName: "ｶﾅｶﾞﾜｹﾝｻﾝｷﾞﾖｳｼﾝｺｳｾﾝﾀ-", roles: roles)
    let events = try Institution.register(command, institutions[institution] ?? nil, context())
    institutions[institution] = events.reduce(institutions[institution] ?? nil, Institution.evolve)
  }

  // MARK: Borrowings

  @discardableResult
  mutating func draw(
    _ id: String, from lender: String = "yokohama", amount: Int64, on valueDate: String, maturity: String, terms: InterestTerms? = nil,
    by: Principal = World.maker
  ) throws -> EntryID {
    let borrowing = try BorrowingID(id)
    let entry = nextEntry()
    let institution = try InstitutionID(lender)
    let command = DrawBorrowing(
      id: borrowing, entry: entry, lender: institution, amount: Yen(amount), terms: terms ?? InterestTerms(rate: World.rate("0.125")),
      valueDate: World.date(valueDate), maturity: World.date(maturity), idempotencyKey: key())
    let decision = try Borrowing.draw(
      command, borrowings[borrowing] ?? nil, lender: institutions[institution] ?? nil, accounts: accounts, pool: pool, period: period(World.date(valueDate)),
      context(by))
    apply(decision, to: borrowing)
    return entry
  }

  @discardableResult
  mutating func repay(_ id: String, amount: Int64?, on valueDate: String) throws -> EntryID {
    let borrowing = try BorrowingID(id)
    let entry = nextEntry()
    let command = RepayBorrowing(entry: entry, amount: amount.map(Yen.init), valueDate: World.date(valueDate), idempotencyKey: key())
    apply(try Borrowing.repay(command, borrowings[borrowing] ?? nil, accounts: accounts, pool: pool, period: period(World.date(valueDate)), context()), to: borrowing)
    return entry
  }

  @discardableResult
  mutating func accrue(_ id: String, through: String) throws -> EntryID {
    let borrowing = try BorrowingID(id)
    let entry = nextEntry()
    let command = AccrueInterest(entry: entry, through: World.date(through), idempotencyKey: key())
    apply(try Borrowing.accrueInterest(command, borrowings[borrowing] ?? nil, period: period(World.date(through)), context()), to: borrowing)
    return entry
  }

  @discardableResult
  mutating func payInterest(_ id: String, amount: Int64?, on valueDate: String) throws -> EntryID {
    let borrowing = try BorrowingID(id)
    let entry = nextEntry()
    let command = PayInterest(entry: entry, amount: amount.map(Yen.init), valueDate: World.date(valueDate), idempotencyKey: key())
    apply(try Borrowing.payInterest(command, borrowings[borrowing] ?? nil, accounts: accounts, period: period(World.date(valueDate)), context()), to: borrowing)
    return entry
  }

  mutating func approve(borrowing id: String, _ entry: EntryID, by: Principal = World.checker) throws {
    let borrowing = try BorrowingID(id)
    let state = borrowings[borrowing] ?? nil
    let date = state?.journal.entry(entry)?.entered.valueDate ?? today
    apply(try Borrowing.approve(entry, state, period: period(date), context(by)), to: borrowing)
  }

  mutating func reject(borrowing id: String, _ entry: EntryID, reason: String = "金額誤り", by: Principal = World.checker) throws {
    let borrowing = try BorrowingID(id)
    apply(try Borrowing.reject(entry, reason: reason, borrowings[borrowing] ?? nil, context(by)), to: borrowing)
  }

  @discardableResult
  mutating func reverse(borrowing id: String, _ original: EntryID, on valueDate: String) throws -> EntryID {
    let borrowing = try BorrowingID(id)
    let entry = nextEntry()
    let command = ReverseEntry(original: original, id: entry, valueDate: World.date(valueDate), memo: "", idempotencyKey: key())
    apply(
      try Borrowing.reverse(command, borrowings[borrowing] ?? nil, pool: pool, period: period(World.date(valueDate)), context()), to: borrowing)
    return entry
  }

  func borrowing(_ id: String) -> Borrowing.Record { borrowings[try! BorrowingID(id)]!! }

  // MARK: Deposits

  @discardableResult
  mutating func place(_ id: String, with institution: String = "yokohama", amount: Int64, on valueDate: String, returnDate: String) throws
    -> EntryID
  {
    let deposit = try DepositID(id)
    let entry = nextEntry()
    let handling = try InstitutionID(institution)
    let command = PlaceDeposit(
      id: deposit, entry: entry, institution: handling, amount: Yen(amount), programme: "事業活性化資金", valueDate: World.date(valueDate),
      returnDate: World.date(returnDate), bankAccount: World.bank, idempotencyKey: key())
    apply(
      try Deposit.place(
        command, deposits[deposit] ?? nil, institution: institutions[handling] ?? nil, accounts: accounts, pool: pool, period: period(World.date(valueDate)),
        context()), to: deposit)
    return entry
  }

  @discardableResult
  mutating func receive(_ id: String, amount: Int64?, on valueDate: String) throws -> EntryID {
    let deposit = try DepositID(id)
    let entry = nextEntry()
    let command = ReceiveDeposit(entry: entry, amount: amount.map(Yen.init), valueDate: World.date(valueDate), idempotencyKey: key())
    apply(try Deposit.receive(command, deposits[deposit] ?? nil, accounts: accounts, pool: pool, period: period(World.date(valueDate)), context()), to: deposit)
    return entry
  }

  mutating func approve(deposit id: String, _ entry: EntryID, by: Principal = World.checker) throws {
    let deposit = try DepositID(id)
    let state = deposits[deposit] ?? nil
    let date = state?.journal.entry(entry)?.entered.valueDate ?? today
    apply(try Deposit.approve(entry, state, period: period(date), context(by)), to: deposit)
  }

  mutating func reject(deposit id: String, _ entry: EntryID, by: Principal = World.checker) throws {
    let deposit = try DepositID(id)
    apply(try Deposit.reject(entry, reason: "誤り", deposits[deposit] ?? nil, context(by)), to: deposit)
  }

  @discardableResult
  mutating func reverse(deposit id: String, _ original: EntryID, on valueDate: String) throws -> EntryID {
    let deposit = try DepositID(id)
    let entry = nextEntry()
    let command = ReverseEntry(original: original, id: entry, valueDate: World.date(valueDate), memo: "", idempotencyKey: key())
    apply(try Deposit.reverse(command, deposits[deposit] ?? nil, pool: pool, period: period(World.date(valueDate)), context()), to: deposit)
    return entry
  }

  func deposit(_ id: String) -> Deposit.Record { deposits[try! DepositID(id)]!! }

  // MARK: Manual entries

  @discardableResult
  mutating func enter(_ lines: [JournalLine], on valueDate: String, memo: String = "振替", by: Principal = World.maker) throws -> EntryID {
    let entry = nextEntry()
    let command = NewEntry(id: entry, valueDate: World.date(valueDate), lines: lines, memo: memo, idempotencyKey: key())
    apply(try ManualEntry.enter(command, manual[entry] ?? ManualEntry.initialState, accounts: accounts, pool: pool, period: period(World.date(valueDate)), context(by)), toManual: entry)
    return entry
  }

  /// Approves `entry` of the manual stream `stream` (the entry's own when nil; a reversal lives in its original's).
  mutating func approve(manual entry: EntryID, in stream: EntryID? = nil, by: Principal = World.checker) throws {
    let stream = stream ?? entry
    let state = manual[stream] ?? ManualEntry.initialState
    let date = state.entry(entry)?.entered.valueDate ?? today
    apply(try ManualEntry.approve(entry, state, period: period(date), context(by)), toManual: stream)
  }

  /// Enters the reversal of the approved manual entry `original`, into its stream.
  @discardableResult
  mutating func reverse(manual original: EntryID, on valueDate: String) throws -> EntryID {
    let entry = nextEntry()
    let command = ReverseEntry(original: original, id: entry, valueDate: World.date(valueDate), memo: "", idempotencyKey: key())
    apply(
      try ManualEntry.reverse(command, manual[original] ?? ManualEntry.initialState, pool: pool, period: period(World.date(valueDate)), context()),
      toManual: original)
    return entry
  }

  /// Own funds put into the scheme and approved.
  mutating func contributeOwnFunds(_ amount: Int64, on valueDate: String) throws {
    let entry = try enter([.debit(.bank(World.bank), Yen(amount)), .credit(.ownFunds, Yen(amount))], on: valueDate, memo: "自己資金繰入")
    try approve(manual: entry)
  }

  // MARK: Periods

  mutating func close(_ month: String?, year: Int = 2022, pending: [EntryID] = [], by: Principal = World.checker) throws {
    let fiscal = try FiscalYear(year)
    let state = periods[fiscal] ?? Period.initialState(fiscal)
    let events = try Period.close(month.map { try YearMonth(iso8601: $0) }, pending: pending, state, context(by))
    periods[fiscal] = events.reduce(state, Period.evolve)
  }

  mutating func reopen(_ month: String?, year: Int = 2022, reason: String, by: Principal = World.checker) throws {
    let fiscal = try FiscalYear(year)
    let state = periods[fiscal] ?? Period.initialState(fiscal)
    let events = try Period.reopen(month.map { try YearMonth(iso8601: $0) }, reason: reason, state, context(by))
    periods[fiscal] = events.reduce(state, Period.evolve)
  }
}
