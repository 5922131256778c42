import DepositLedger
import EventLog
import Foundation
import JapaneseCalendar
import SharedKernel

/// The deposit ledger's demo data: a dozen institutions of Kanagawa (six lend, all handle the
/// prefecture's system loans) and the current fiscal year up to yesterday at the FY2022 scale —
/// ¥1 billion of own funds, ¥76,391,774,000 borrowed on the first business day of April and
/// placed the same day, interest accrued at each month end and paid each quarter, part of three
/// deposits returned at the start of November with the same principal repaid, bank charges each month, each
/// month closed once it has ended; every entry made by the demo `treasury` user and approved by
/// the demo `treasury-manager`, except this month's charges, left in the approval queue. Every
/// step is decided by the DepositLedger context.
///
/// Only a log without the demo institutions is seeded.
struct DemoDeposits: DemoSeeder {
  var name: String { "deposits" }

  /// The FY2022 budget's 預託事業 line, 76,391,774千円.
  static let borrowedTotal: Int64 = 76_391_774_000
  static let ownFunds: Int64 = 1_000_000_000

  struct Bank {
    var id: String
    var name: String
    var code: String
    var kana: String
    var lends: Bool
    /// Share of the placements (and, for lenders, of the borrowing) in per mille.
    var share: Int64
    var rate: String
  }

  /// Bank codes as the Zengin system lists them; branches and account numbers are made up.
  static let banks: [Bank] = [
    Bank(id: "fi-yokohama", name: "横浜銀行", code: "0138", kana: "ｶ)ﾖｺﾊﾏｷﾞﾝｺｳ", lends: true, share: 300, rate: "0.120"),
    Bank(id: "fi-shizuoka", name: "静岡銀行", code: "0149", kana: "ｶ)ｼｽﾞｵｶｷﾞﾝｺｳ", lends: true, share: 100, rate: "0.130"),
    Bank(id: "fi-suruga", name: "スルガ銀行", code: "0150", kana: "ｶ)ｽﾙｶﾞｷﾞﾝｺｳ", lends: true, share: 80, rate: "0.135"),
    Bank(id: "fi-kanagawa", name: "神奈川銀行", code: "0544", kana: "ｶ)ｶﾅｶﾞﾜｷﾞﾝｺｳ", lends: true, share: 90, rate: "0.125"),
    Bank(id: "fi-yokohama-shinkin", name: "横浜信用金庫", code: "1280", kana: "ﾖｺﾊﾏｼﾝﾖｳｷﾝｺ", lends: true, share: 70, rate: "0.140"),
    Bank(id: "fi-kawasaki-shinkin", name: "川崎信用金庫", code: "1282", kana: "ｶﾜｻｷｼﾝﾖｳｷﾝｺ", lends: true, share: 60, rate: "0.140"),
    Bank(id: "fi-shonan-shinkin", name: "湘南信用金庫", code: "1283", kana: "ｼﾖｳﾅﾝｼﾝﾖｳｷﾝｺ", lends: false, share: 60, rate: ""),
    Bank(id: "fi-sagami-shinkin", name: "さがみ信用金庫", code: "1286", kana: "ｻｶﾞﾐｼﾝﾖｳｷﾝｺ", lends: false, share: 60, rate: ""),
    Bank(id: "fi-chuei-shinkin", name: "中栄信用金庫", code: "1288", kana: "ﾁﾕｳｴｲｼﾝﾖｳｷﾝｺ", lends: false, share: 40, rate: ""),
    Bank(id: "fi-hiratsuka-shinkin", name: "平塚信用金庫", code: "1285", kana: "ﾋﾗﾂｶｼﾝﾖｳｷﾝｺ", lends: false, share: 40, rate: ""),
    Bank(id: "fi-kanagawa-shinkin", name: "かながわ信用金庫", code: "1281", kana: "ｶﾅｶﾞﾜｼﾝﾖｳｷﾝｺ", lends: false, share: 50, rate: ""),
    Bank(id: "fi-shokochukin", name: "商工組合中央金庫", code: "2004", kana: "ｶ)ｼﾖｳｺｳｸﾐｱｲﾁﾕｳｵｳｷﾝｺ", lends: false, share: 50, rate: ""),
  ]

  static let maker = Principal.user(try! UserID("demo-treasury"), .treasury)
  static let checker = Principal.user(try! UserID("demo-treasury-manager"), .treasuryManager)
  static let account = try! BankAccountID("main")
  static let accountNumber = "1234567"
  static let accountName = "ｻﾞｲ)ｶﾅｶﾞﾜｹﾝｻﾝｷﾞﾖｳｼﾝｺｳｾﾝﾀ-"
  static let programmes = ["中小企業振興資金", "事業活性化資金", "創業支援資金", "経営安定資金"]

  func seed(_ context: DemoContext) async throws -> [String] {
    let store = context.store
    if try await store.version(of: Institution.stream(try InstitutionID(Self.banks[0].id))) != nil {
      return ["deposits: demo data present (\(Self.banks.count) institutions)"]
    }
    let today = try LocalDate(japanTimeOf: context.now)
    var books = DemoTreasury(year: FiscalYear(containing: today), today: today, metadata: context.metadata)
    try await books.run(into: store)
    var kana: [InstitutionID: String] = [:]
    for bank in Self.banks { kana[try InstitutionID(bank.id)] = bank.kana }
    var statements = DemoStatements(
      journal: books.journal, today: today, year: books.year, account: Self.account, kana: kana, directory: context.dataDirectory,
      metadata: context.metadata)
    try await statements.run(into: store)
    let ledger = Books(books.journal)
    let totals = try ledger.totals(for: books.year)
    let pending = ledger.entries.filter { $0.status == .pending }.count
    return [
      "deposits: \(Self.banks.count) institutions, \(ledger.entries.count) entries (\(pending) awaiting approval), \(books.closedMonths) months closed (\(books.year))",
      "  borrowed \(totals.borrowed), placed \(totals.placed), returned \(totals.returned), repaid \(totals.repaid), interest accrued \(totals.interestAccrued), paid \(totals.interestPaid); "
        + "\(books.eventsAppended.grouped) events in \(books.appends) appends",
      "  \(statements.imported) bank statements of 横浜銀行 本店営業部 1234567 imported (\(statements.files.count) files in demo-statements/), "
        + "\(statements.unmatched) lines left to match",
    ]
  }
}

/// The treasury of the demo, simulated on states in memory: the decisions the service's
/// `Treasury` makes, by the same deciders, gathered into batched appends (``DemoBatch``).
struct DemoTreasury {
  let year: FiscalYear
  let today: LocalDate
  private var batch: DemoBatch
  private var institutions: [InstitutionID: Institution.State] = [:]
  private var borrowings: [(id: BorrowingID, state: Borrowing.State)] = []
  private var deposits: [(id: DepositID, state: Deposit.State)] = []
  private var manual: [EntryID: ManualEntry.State] = [:]
  private var pool = FundingPool.initialState
  private var accounts = BankAccounts.initialState
  private var period: Period.State
  private(set) var journal: [Journal.Event] = []
  private(set) var closedMonths = 0
  private var counter = 0

  init(year: FiscalYear, today: LocalDate, metadata: EventMetadata) {
    self.year = year
    self.today = today
    period = Period.initialState(year)
    batch = DemoBatch(metadata: metadata)
  }

  var appends: Int { batch.appends }
  var eventsAppended: Int { batch.eventsAppended }

  mutating func flush(to store: any EventStore) async throws { try await batch.flush(to: store, holding: []) }

  func context(_ day: LocalDate, _ minute: Int, _ by: Principal) -> TreasuryContext {
    TreasuryContext(today: day, at: DemoDesk.instant(day, minute), by: by)
  }

  private mutating func nextID<Tag>(_ prefix: String) -> ID<Tag> {
    counter += 1
    return try! ID<Tag>("\(prefix)-demo-\(year.startYear)-\(String(format: "%05d", counter))")
  }

  private mutating func key() -> String {
    counter += 1
    return "demo-\(counter)"
  }

  static func businessDay(onOrAfter date: LocalDate) -> LocalDate { (try? ValueDates.rolledForward(date)) ?? date }

  /// The year's days as the treasury works them, up to yesterday. What a month's close follows
  /// is appended before the close, so the log's order is the order things were done in (a batch
  /// orders its events stream by stream).
  mutating func run(into store: any EventStore) async throws {
    let first = Self.businessDay(onOrAfter: year.firstDay)
    let maturity = (try? BankCalendar.businessDay(onOrBefore: year.lastDay)) ?? year.lastDay
    guard first < today else { return try await flush(to: store) }
    let approveOn = first
    try openAccount(on: first)
    for bank in DemoDeposits.banks { try register(bank, on: first) }
    // Own funds, then the borrowings: each approved before the placements count on them.
    try manualEntry(
      on: first, lines: [.debit(.bank(DemoDeposits.account), Yen(DemoDeposits.ownFunds)), .credit(.ownFunds, Yen(DemoDeposits.ownFunds))],
      memo: "自己資金の繰入", approveOn: approveOn)
    let lenders = DemoDeposits.banks.filter(\.lends)
    let lent = lenders.reduce(Int64(0)) { $0 + $1.share }
    var remaining = DemoDeposits.borrowedTotal
    for (index, bank) in lenders.enumerated() {
      let amount = index == lenders.count - 1 ? remaining : DemoDeposits.borrowedTotal * bank.share / lent / 1_000 * 1_000
      remaining -= amount
      try draw(from: bank, amount: amount, on: first, maturity: maturity)
    }
    let placedTotal = DemoDeposits.borrowedTotal
    let shares = DemoDeposits.banks.reduce(Int64(0)) { $0 + $1.share }
    remaining = placedTotal
    for (index, bank) in DemoDeposits.banks.enumerated() {
      let amount = index == DemoDeposits.banks.count - 1 ? remaining : placedTotal * bank.share / shares / 1_000 * 1_000
      remaining -= amount
      try place(with: bank, amount: amount, programme: DemoDeposits.programmes[index % DemoDeposits.programmes.count], on: first, returnDate: maturity)
    }
    for month in year.months where month.lastDay < today {
      // Interest accrued through the month end, approved the next business day.
      let next = Self.businessDay(onOrAfter: (try? month.lastDay.adding(days: 1)) ?? month.lastDay)
      for index in borrowings.indices where next < today { try accrue(index, through: month.lastDay, approveOn: next) }
      // Quarterly: the accrued interest paid on the first business day after the quarter.
      if [6, 9, 12, 3].contains(month.month) && next < today {
        for index in borrowings.indices { try payInterest(index, on: next) }
      }
      // After October: three deposits come back in part, and the largest lender is repaid as much.
      if month.month == 10, next < today {
        var returned: Int64 = 0
        for index in [6, 7, 8] where index < deposits.count {
          let amount = (deposits[index].state?.placed.amount.amount ?? 0) / 5 / 1_000 * 1_000
          try receive(index, amount: amount, on: next)
          returned += amount
        }
        try repay(0, amount: returned, on: next)
      }
      // Transfer fees of the month: approved and the month closed, except for a month not yet over by the fifth business day.
      let charges = Yen(Int64(660 * (DemoDeposits.banks.count + 2)))
      let chargeDay = (try? BankCalendar.businessDay(onOrBefore: month.lastDay)) ?? month.lastDay
      let closeDay = (try? BankCalendar.adding(businessDays: 5, to: month.lastDay)) ?? month.lastDay
      try manualEntry(
        on: chargeDay, lines: [.debit(.bankCharges, charges), .credit(.bank(DemoDeposits.account), charges)], memo: "振込手数料 \(month.month)月分",
        approveOn: closeDay < today ? next : nil)
      if closeDay < today {
        try await flush(to: store)
        let events = try Period.close(month, pending: [], period, context(closeDay, 17 * 60, DemoDeposits.checker))
        try batch.write(events, to: try Period.stream(year), codec: Period.codec)
        period = events.reduce(period, Period.evolve)
        closedMonths += 1
      }
    }
    try await flush(to: store)
  }

  // MARK: Steps

  /// The foundation's account at 横浜銀行 本店営業部, opened by the treasury manager.
  private mutating func openAccount(on day: LocalDate) throws {
    let command = OpenBankAccount(
      id: DemoDeposits.account, name: "預託事業用 普通預金", bankName: "横浜銀行", branchName: "本店営業部", bankCode: "0138", branchCode: "100",
      accountType: .ordinary, accountNumber: DemoDeposits.accountNumber, accountName: DemoDeposits.accountName)
    let events = try BankAccounts.open(command, accounts, context(day, 8 * 60 + 45, DemoDeposits.checker))
    try batch.write(events, to: try BankAccounts.stream(), codec: BankAccounts.codec)
    accounts = events.reduce(accounts, BankAccounts.evolve)
  }

  private mutating func register(_ bank: DemoDeposits.Bank, on day: LocalDate) throws {
    let id = try InstitutionID(bank.id)
    let command = RegisterInstitution(
      id: id, name: bank.name, bankCode: bank.code, branchCode: "001", accountType: .ordinary,
      accountNumber: String(format: "%07d", 1_234_567 + Int(bank.code)! * 7), accountName: bank.kana, roles: bank.lends ? [.lender, .handling] : [.handling])
    let events = try Institution.register(command, institutions[id] ?? nil, context(day, 9 * 60, DemoDeposits.maker))
    try batch.write(events, to: try Institution.stream(id), codec: Institution.codec)
    institutions[id] = events.reduce(institutions[id] ?? nil, Institution.evolve)
  }

  private mutating func apply(_ decision: PostingDecision<Borrowing.Event>, borrowing index: Int) throws {
    try batch.write(decision.events, to: try Borrowing.stream(borrowings[index].id), codec: Borrowing.codec)
    borrowings[index].state = decision.events.reduce(borrowings[index].state, Borrowing.evolve)
    journal += decision.events.compactMap(\.journalEvent)
    try pooled(decision.pool)
  }

  private mutating func apply(_ decision: PostingDecision<Deposit.Event>, deposit index: Int) throws {
    try batch.write(decision.events, to: try Deposit.stream(deposits[index].id), codec: Deposit.codec)
    deposits[index].state = decision.events.reduce(deposits[index].state, Deposit.evolve)
    journal += decision.events.compactMap(\.journalEvent)
    try pooled(decision.pool)
  }

  private mutating func pooled(_ events: [FundingPool.Event]) throws {
    try batch.write(events, to: try FundingPool.stream(), codec: FundingPool.codec)
    pool = events.reduce(pool, FundingPool.evolve)
  }

  private mutating func draw(from bank: DemoDeposits.Bank, amount: Int64, on day: LocalDate, maturity: LocalDate) throws {
    let id: BorrowingID = nextID("bw")
    let entry: EntryID = nextID("e")
    let lender = try InstitutionID(bank.id)
    let command = DrawBorrowing(
      id: id, entry: entry, lender: lender, amount: Yen(amount), terms: InterestTerms(rate: try InterestRate(percent: bank.rate)), valueDate: day,
      maturity: maturity, bankAccount: DemoDeposits.account, idempotencyKey: key())
    borrowings.append((id, nil))
    let index = borrowings.count - 1
    try apply(
      try Borrowing.draw(command, nil, lender: institutions[lender] ?? nil, accounts: accounts, pool: pool, period: period, context(day, 10 * 60, DemoDeposits.maker)),
      borrowing: index)
    try approve(entry, borrowing: index, on: day)
  }

  private mutating func approve(_ entry: EntryID, borrowing index: Int, on day: LocalDate) throws {
    try apply(try Borrowing.approve(entry, borrowings[index].state, period: period, context(day, 11 * 60, DemoDeposits.checker)), borrowing: index)
  }

  private mutating func approve(_ entry: EntryID, deposit index: Int, on day: LocalDate) throws {
    try apply(try Deposit.approve(entry, deposits[index].state, period: period, context(day, 11 * 60, DemoDeposits.checker)), deposit: index)
  }

  private mutating func place(with bank: DemoDeposits.Bank, amount: Int64, programme: String, on day: LocalDate, returnDate: LocalDate) throws {
    let id: DepositID = nextID("dp")
    let entry: EntryID = nextID("e")
    let institution = try InstitutionID(bank.id)
    let command = PlaceDeposit(
      id: id, entry: entry, institution: institution, amount: Yen(amount), programme: programme, valueDate: day, returnDate: returnDate,
      bankAccount: DemoDeposits.account, idempotencyKey: key())
    deposits.append((id, nil))
    let index = deposits.count - 1
    try apply(
      try Deposit.place(command, nil, institution: institutions[institution] ?? nil, accounts: accounts, pool: pool, period: period, context(day, 13 * 60, DemoDeposits.maker)),
      deposit: index)
    try approve(entry, deposit: index, on: day)
  }

  private mutating func accrue(_ index: Int, through: LocalDate, approveOn: LocalDate) throws {
    let entry: EntryID = nextID("e")
    let command = AccrueInterest(entry: entry, through: through, idempotencyKey: key())
    try apply(try Borrowing.accrueInterest(command, borrowings[index].state, period: period, context(approveOn, 9 * 60, DemoDeposits.maker)), borrowing: index)
    try approve(entry, borrowing: index, on: approveOn)
  }

  private mutating func payInterest(_ index: Int, on day: LocalDate) throws {
    let entry: EntryID = nextID("e")
    let command = PayInterest(entry: entry, amount: nil, valueDate: day, idempotencyKey: key())
    try apply(try Borrowing.payInterest(command, borrowings[index].state, accounts: accounts, period: period, context(day, 10 * 60, DemoDeposits.maker)), borrowing: index)
    try approve(entry, borrowing: index, on: day)
  }

  private mutating func receive(_ index: Int, amount: Int64, on day: LocalDate) throws {
    let entry: EntryID = nextID("e")
    let command = ReceiveDeposit(entry: entry, amount: Yen(amount), valueDate: day, idempotencyKey: key())
    try apply(try Deposit.receive(command, deposits[index].state, accounts: accounts, pool: pool, period: period, context(day, 10 * 60, DemoDeposits.maker)), deposit: index)
    try approve(entry, deposit: index, on: day)
  }

  private mutating func repay(_ index: Int, amount: Int64, on day: LocalDate) throws {
    let entry: EntryID = nextID("e")
    let command = RepayBorrowing(entry: entry, amount: Yen(amount), valueDate: day, idempotencyKey: key())
    try apply(try Borrowing.repay(command, borrowings[index].state, accounts: accounts, pool: pool, period: period, context(day, 14 * 60, DemoDeposits.maker)), borrowing: index)
    try approve(entry, borrowing: index, on: day)
  }

  /// A manual entry; approved on `approveOn` (left awaiting approval when nil).
  private mutating func manualEntry(on day: LocalDate, lines: [JournalLine], memo: String, approveOn: LocalDate?) throws {
    let id: EntryID = nextID("e")
    let entry = NewEntry(id: id, valueDate: day, lines: lines, memo: memo, idempotencyKey: key())
    let entered = try ManualEntry.enter(entry, ManualEntry.initialState, accounts: accounts, pool: pool, period: period, context(day, 15 * 60, DemoDeposits.maker))
    try record(entered, id)
    guard let approveOn else { return }
    try record(try ManualEntry.approve(id, manual[id] ?? ManualEntry.initialState, period: period, context(approveOn, 11 * 60, DemoDeposits.checker)), id)
  }

  private mutating func record(_ decision: PostingDecision<Journal.Event>, _ id: EntryID) throws {
    try batch.write(decision.events, to: try ManualEntry.stream(id), codec: ManualEntry.codec)
    manual[id] = decision.events.reduce(manual[id] ?? ManualEntry.initialState, ManualEntry.evolve)
    journal += decision.events
    try pooled(decision.pool)
  }
}
