public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``BorrowingID``.
public enum BorrowingTag {}
/// A borrowing of deposit principal: `b-<UUIDv7>` as the service makes it.
public typealias BorrowingID = ID<BorrowingTag>

/// 預託原資の借入: a drawdown to record.
public struct DrawBorrowing: Sendable, Hashable {
  public var id: BorrowingID
  /// The drawdown's journal entry.
  public var entry: EntryID
  /// A registered institution in the lender role.
  public var lender: InstitutionID
  public var amount: Yen
  /// Rate, 片端/両端, 365/actual-leap366 and 付利単位, as the loan contract says.
  public var terms: InterestTerms
  /// The day the money arrives: a bank business day.
  public var valueDate: LocalDate
  /// 償還期日: a bank business day after the value date (see ``ValueDates/maturity(of:monthsAfter:)``).
  public var maturity: LocalDate
  /// The foundation's account the money arrives in: the register's default when nil.
  public var bankAccount: BankAccountID?
  public var memo: String
  public var idempotencyKey: String

  public init(
    id: BorrowingID, entry: EntryID, lender: InstitutionID, amount: Yen, terms: InterestTerms, valueDate: LocalDate, maturity: LocalDate,
    bankAccount: BankAccountID? = nil, memo: String = "", idempotencyKey: String
  ) {
    self.id = id
    self.entry = entry
    self.lender = lender
    self.amount = amount
    self.terms = terms
    self.valueDate = valueDate
    self.maturity = maturity
    self.bankAccount = bankAccount
    self.memo = memo
    self.idempotencyKey = idempotencyKey
  }
}

/// 償還: principal to repay, in full (`amount` nil: all that is outstanding) or in part.
public struct RepayBorrowing: Sendable, Hashable {
  public var entry: EntryID
  public var amount: Yen?
  public var valueDate: LocalDate
  /// The account the money leaves; the drawdown's when nil.
  public var bankAccount: BankAccountID?
  public var memo: String
  public var idempotencyKey: String

  public init(entry: EntryID, amount: Yen?, valueDate: LocalDate, bankAccount: BankAccountID? = nil, memo: String = "", idempotencyKey: String) {
    self.entry = entry
    self.amount = amount
    self.valueDate = valueDate
    self.bankAccount = bankAccount
    self.memo = memo
    self.idempotencyKey = idempotencyKey
  }
}

/// 利息の未払計上: interest to accrue from the day after the last accrual (or the drawdown's
/// value date) through `through`, included.
public struct AccrueInterest: Sendable, Hashable {
  public var entry: EntryID
  public var through: LocalDate
  public var memo: String
  public var idempotencyKey: String

  public init(entry: EntryID, through: LocalDate, memo: String = "", idempotencyKey: String) {
    self.entry = entry
    self.through = through
    self.memo = memo
    self.idempotencyKey = idempotencyKey
  }
}

/// 利息の支払: accrued interest to pay, all that is accrued and unpaid when `amount` is nil.
public struct PayInterest: Sendable, Hashable {
  public var entry: EntryID
  public var amount: Yen?
  public var valueDate: LocalDate
  public var bankAccount: BankAccountID?
  public var memo: String
  public var idempotencyKey: String

  public init(entry: EntryID, amount: Yen?, valueDate: LocalDate, bankAccount: BankAccountID? = nil, memo: String = "", idempotencyKey: String) {
    self.entry = entry
    self.amount = amount
    self.valueDate = valueDate
    self.bankAccount = bankAccount
    self.memo = memo
    self.idempotencyKey = idempotencyKey
  }
}

/// 預託原資の借入: one borrowing from one lender, `borrowing-<id>`, from drawdown to the last
/// repayment, with its journal entries: the drawdown, repayments (償還), interest accrued and
/// paid, and their reversals.
///
/// Rules beyond every entry's (``Journal``): the lender is registered as a lender; value dates
/// are bank business days; the maturity is a business day after the value date; never more
/// repaid than is outstanding, nor more interest paid than accrued, counting entries awaiting
/// approval that reduce them; interest is accrued in consecutive periods from the approved
/// balance history (積数 across part repayments), so no principal movement may await approval in
/// the period, and none may be dated inside a period already accrued.
public enum Borrowing {
  public static let category = "borrowing"

  /// `borrowing-<id>`.
  public static func stream(_ id: BorrowingID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: id.rawValue)
  }

  /// The borrowing was drawn: its contract terms. Its journal entry follows it in the stream.
  public struct Drawn: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.BorrowingDrawn"
    public static let schemaVersion = 1
    public var borrowing: BorrowingID
    public var lender: InstitutionID
    /// The lender's name on the day.
    public var lenderName: String
    public var amount: Yen
    public var terms: InterestTerms
    public var valueDate: LocalDate
    public var maturity: LocalDate
    public var bankAccount: BankAccountID
    /// The drawdown's entry.
    public var entry: EntryID
    public var by: UserID
    public var at: Timestamp
  }

  /// The borrowing stream's events.
  public enum Event: Sendable, Hashable {
    case drawn(Drawn)
    case journal(Journal.Event)

    /// The journal event, for folds over every stream's entries (``Books``).
    public var journalEvent: Journal.Event? {
      if case .journal(let event) = self { event } else { nil }
    }
  }

  /// A borrowing as its stream tells it.
  public struct Record: Sendable, Hashable {
    public var drawn: Drawn
    public var journal: Journal.State

    public var id: BorrowingID { drawn.borrowing }
    /// 借入金 of its lender: what its principal entries post to.
    public var principalAccount: LedgerAccount { .borrowings(drawn.lender) }

    /// The approved balance history of the principal (each movement on its value date).
    public func balanceHistory() throws(DepositLedgerError) -> BalanceHistory {
      try BalanceHistory(movements(journal.movements(of: principalAccount, conservative: false)))
    }

    /// Principal outstanding at the close of `date`, approved entries only.
    public func outstanding(asOf date: LocalDate) -> Yen {
      Yen.clamped(journal.movements(of: principalAccount, conservative: false).filter { $0.date <= date }.reduce(0) { $0 + $1.amount })
    }

    /// Interest accrued and unpaid at the close of `date`, approved entries only.
    public func interestPayable(asOf date: LocalDate) -> Yen {
      Yen.clamped(journal.movements(of: .interestPayable, conservative: false).filter { $0.date <= date }.reduce(0) { $0 + $1.amount })
    }

    /// The accruals that stand: not rejected, and not reversed by an approved reversal; in order.
    public var accruals: [Journal.Entry] {
      journal.entries.filter { entry in
        entry.entered.purpose == .interestAccrual && entry.entered.reverses == nil && entry.status != .rejected
          && journal.reversal(of: entry.id)?.status != .approved
      }
    }

    /// The last day interest has been accrued through, if any.
    public var accruedThrough: LocalDate? { accruals.compactMap(\.entered.period?.through).max() }

    /// The first day of the next accrual.
    public var nextAccrualStart: LocalDate {
      guard let through = accruedThrough else { return drawn.valueDate }
      return (try? through.adding(days: 1)) ?? through
    }

    func movements(_ list: [(date: LocalDate, amount: Int128)]) -> [BalanceMovement] {
      list.map { BalanceMovement(date: $0.date, amount: Yen.clamped($0.amount)) }
    }

    func isPrincipal(_ entry: Journal.Entry) -> Bool { entry.entered.change(to: principalAccount) != 0 }
  }

  /// Nil before the borrowing is drawn.
  public typealias State = Record?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    switch event {
    case .drawn(let e):
      guard state == nil else { return state }
      return Record(drawn: e, journal: Journal.initialState)
    case .journal(let e):
      guard var record = state else { return state }
      record.journal.apply(e)
      return record
    }
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Drawn.self, embed: Event.drawn) { if case .drawn(let e) = $0 { e } else { nil } }
    Journal.register(in: &codec, embed: Event.journal, extract: \.journalEvent)
    return codec
  }()

  /// The events a borrowing decision writes: its own stream's, and the funding pool's.
  public typealias Decision = PostingDecision<Event>

  // MARK: Decisions

  /// Draws a borrowing: Dr 普通預金 / Cr 借入金(lender). Adds to the headroom only once approved.
  public static func draw(
    _ command: DrawBorrowing, _ state: State, lender: Institution.State, accounts: BankAccounts.State, pool: FundingPool.State, period: Period.State,
    _ context: TreasuryContext
  ) throws(DepositLedgerError) -> Decision {
    let user = try context.user(in: [.treasury], to: "draw a borrowing")
    guard state == nil else { throw .borrowingExists(command.id) }
    let institution = try Institution.acting(command.lender, as: .lender, lender)
    let bankAccount = try BankAccounts.usable(command.bankAccount, accounts)
    guard command.amount > .zero else { throw .invalidAmount(field: "amountYen", command.amount) }
    let terms = try command.terms.checked()
    try ValueDates.requireBusinessDay(command.valueDate, field: "valueDate")
    guard command.maturity > command.valueDate else {
      throw .dateTooEarly(field: "maturity", command.maturity, earliest: (try? command.valueDate.adding(days: 1)) ?? command.valueDate, what: "the day after the value date")
    }
    try ValueDates.requireBusinessDay(command.maturity, field: "maturity")
    let drawn = Drawn(
      borrowing: command.id, lender: command.lender, lenderName: institution.name, amount: command.amount, terms: terms,
      valueDate: command.valueDate, maturity: command.maturity, bankAccount: bankAccount, entry: command.entry, by: user,
      at: context.timestamp)
    let memo = Text.optional(command.memo) ?? "預託原資借入 \(institution.name)"
    let entered = try Journal.entered(
      id: command.entry, valueDate: command.valueDate, purpose: .drawdown,
      lines: [.debit(.bank(bankAccount), command.amount), .credit(.borrowings(command.lender), command.amount)], memo: memo,
      idempotencyKey: command.idempotencyKey, Journal.initialState, period: period, context)
    var decision = try Postings.enter(entered, in: try StreamName.checked(category: category, id: command.id.rawValue), pool: pool, context).embedded(Event.journal)
    decision.events.insert(.drawn(drawn), at: 0)
    return decision
  }

  /// Repays principal (償還): Dr 借入金 / Cr 普通預金, never beyond what is outstanding on its
  /// value date or any later day (pending repayments counted), and not inside an accrued period.
  public static func repay(
    _ command: RepayBorrowing, _ state: State, accounts: BankAccounts.State, pool: FundingPool.State, period: Period.State, _ context: TreasuryContext
  ) throws(DepositLedgerError) -> Decision {
    _ = try context.user(in: [.treasury], to: "repay a borrowing")
    let record = try existing(state)
    try requireMovable(record, on: command.valueDate)
    let lowest = Journal.lowestBalance(of: record.principalAccount, from: command.valueDate, record.journal)
    let amount = command.amount ?? Yen.clamped(max(lowest.balance, 0))
    guard amount > .zero else {
      throw command.amount == nil
        ? .exceedsOutstanding(what: "borrowing \(record.id)", amount: amount, outstanding: .zero, on: lowest.on)
        : .invalidAmount(field: "amountYen", amount)
    }
    let account = try BankAccounts.usable(command.bankAccount ?? record.drawn.bankAccount, accounts)
    let memo = Text.optional(command.memo) ?? "預託原資償還 \(record.drawn.lenderName)"
    let entered = try Journal.entered(
      id: command.entry, valueDate: command.valueDate, purpose: .repayment,
      lines: [.debit(record.principalAccount, amount), .credit(.bank(account), amount)], memo: memo, idempotencyKey: command.idempotencyKey,
      record.journal, period: period, context)
    try Journal.requireCovered(entered, account: record.principalAccount, what: "borrowing \(record.id)", record.journal)
    return try Postings.enter(entered, in: try StreamName.checked(category: category, id: record.id.rawValue), pool: pool, context).embedded(Event.journal)
  }

  /// Accrues interest (Dr 支払利息 / Cr 未払利息) from the day after the last accrual through
  /// `through`, computed by ``Interest`` from the borrowing's terms and its approved balance
  /// history; dated `through` (no money moves, so any calendar day will do).
  public static func accrueInterest(_ command: AccrueInterest, _ state: State, period: Period.State, _ context: TreasuryContext)
    throws(DepositLedgerError) -> Decision
  {
    _ = try context.user(in: [.treasury], to: "accrue interest")
    let record = try existing(state)
    if let pending = record.journal.pending.first(where: { $0.entered.purpose == .interestAccrual && $0.entered.reverses != nil }) {
      throw .accrualReversalPending(record.id, entry: pending.id)
    }
    let from = record.nextAccrualStart
    guard command.through >= from else {
      throw .dateTooEarly(field: "through", command.through, earliest: from, what: "the first day not yet accrued")
    }
    let pending = record.journal.pending.filter { record.isPrincipal($0) && $0.entered.valueDate <= command.through }.map(\.id)
    guard pending.isEmpty else { throw .principalPending(record.id, entries: pending) }
    let quote = try Interest.quote(history: try record.balanceHistory(), from: from, through: command.through, terms: record.drawn.terms)
    guard quote.interest > .zero else { throw .nothingToAccrue(record.id, from: from, through: command.through) }
    let accrued = AccruedPeriod(from: from, through: command.through, days: quote.days, product: String(quote.product), terms: record.drawn.terms)
    let memo = Text.optional(command.memo) ?? "利息計上 \(record.drawn.lenderName) \(from)〜\(command.through)"
    let entered = try Journal.entered(
      id: command.entry, valueDate: command.through, purpose: .interestAccrual,
      lines: [.debit(.interestExpense, quote.interest), .credit(.interestPayable, quote.interest)], memo: memo,
      idempotencyKey: command.idempotencyKey, accrued: accrued, record.journal, period: period, context)
    return Decision(events: [.journal(.entered(entered))])
  }

  /// Pays accrued interest: Dr 未払利息 / Cr 普通預金, never beyond what is accrued and unpaid
  /// (approved accruals, less payments approved or pending).
  public static func payInterest(_ command: PayInterest, _ state: State, accounts: BankAccounts.State, period: Period.State, _ context: TreasuryContext)
    throws(DepositLedgerError) -> Decision
  {
    _ = try context.user(in: [.treasury], to: "pay interest")
    let record = try existing(state)
    let lowest = Journal.lowestBalance(of: .interestPayable, from: command.valueDate, record.journal)
    let amount = command.amount ?? Yen.clamped(max(lowest.balance, 0))
    guard amount > .zero else {
      throw command.amount == nil
        ? .exceedsOutstanding(what: "interest payable on borrowing \(record.id)", amount: amount, outstanding: .zero, on: lowest.on)
        : .invalidAmount(field: "amountYen", amount)
    }
    let account = try BankAccounts.usable(command.bankAccount ?? record.drawn.bankAccount, accounts)
    let memo = Text.optional(command.memo) ?? "利息支払 \(record.drawn.lenderName)"
    let entered = try Journal.entered(
      id: command.entry, valueDate: command.valueDate, purpose: .interestPayment,
      lines: [.debit(.interestPayable, amount), .credit(.bank(account), amount)], memo: memo, idempotencyKey: command.idempotencyKey,
      record.journal, period: period, context)
    try Journal.requireCovered(entered, account: .interestPayable, what: "interest payable on borrowing \(record.id)", record.journal)
    return Decision(events: [.journal(.entered(entered))])
  }

  /// Reverses an approved entry of the borrowing (see ``Journal``). A principal reversal obeys
  /// the repayment's rules (outstanding, accrued periods, headroom); only the latest accrual that
  /// stands may be reversed, and only while its interest is unpaid.
  public static func reverse(_ command: ReverseEntry, _ state: State, pool: FundingPool.State, period: Period.State, _ context: TreasuryContext)
    throws(DepositLedgerError) -> Decision
  {
    _ = try context.user(in: [.treasury], to: "reverse an entry")
    let record = try existing(state)
    guard let original = record.journal.entry(command.original) else { throw .unknownEntry(command.original) }
    let entered = try Journal.reversal(command, record.journal, period: period, context)
    if record.isPrincipal(original) {
      try requireMovable(record, on: command.valueDate)
      try Journal.requireCovered(entered, account: record.principalAccount, what: "borrowing \(record.id)", record.journal)
    }
    if original.entered.purpose == .interestAccrual {
      if let latest = record.accruals.last, latest.id != original.id { throw .notLatestAccrual(original.id, latest: latest.id) }
      try Journal.requireCovered(entered, account: .interestPayable, what: "interest payable on borrowing \(record.id)", record.journal)
    }
    return try Postings.enter(entered, in: try StreamName.checked(category: category, id: record.id.rawValue), pool: pool, context).embedded(Event.journal)
  }

  /// Approves an entry of the borrowing (承認): see ``Journal``.
  public static func approve(_ entry: EntryID, _ state: State, period: Period.State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> Decision
  {
    try Postings.approve(entry, try existing(state).journal, period: period, context).embedded(Event.journal)
  }

  /// Rejects an entry of the borrowing (差戻し), with a reason.
  public static func reject(_ entry: EntryID, reason: String, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError) -> Decision {
    try Postings.reject(entry, reason: reason, try existing(state).journal, context).embedded(Event.journal)
  }

  // MARK: Rules shared by the decisions

  static func existing(_ state: State) throws(DepositLedgerError) -> Record {
    guard let state else { throw .unknownBorrowing(nil) }
    return state
  }

  /// A principal movement on `date`: on or after the drawdown, after the last accrued day.
  static func requireMovable(_ record: Record, on date: LocalDate) throws(DepositLedgerError) {
    guard date >= record.drawn.valueDate else {
      throw .dateTooEarly(field: "valueDate", date, earliest: record.drawn.valueDate, what: "the drawdown's value date")
    }
    if let through = record.accruedThrough, date <= through {
      throw .movementInAccruedPeriod(record.id, date: date, accruedThrough: through)
    }
  }
}
