public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``DepositID``.
public enum DepositTag {}
/// A deposit placed with a handling institution: `d-<UUIDv7>` as the service makes it.
public typealias DepositID = ID<DepositTag>

/// 預託: a deposit to place with a handling institution for a loan programme.
public struct PlaceDeposit: Sendable, Hashable {
  public var id: DepositID
  public var entry: EntryID
  /// A registered institution in the handling role (取扱金融機関).
  public var institution: InstitutionID
  public var amount: Yen
  /// The prefecture's loan programme (融資制度名), e.g. 事業活性化資金.
  public var programme: String
  /// The day the money leaves: a bank business day.
  public var valueDate: LocalDate
  /// 返還予定日: a bank business day after the value date.
  public var returnDate: LocalDate
  /// The foundation's account the money leaves: the register's default when nil.
  public var bankAccount: BankAccountID?
  public var memo: String
  public var idempotencyKey: String

  public init(
    id: DepositID, entry: EntryID, institution: InstitutionID, amount: Yen, programme: String, valueDate: LocalDate, returnDate: LocalDate,
    bankAccount: BankAccountID? = nil, memo: String = "", idempotencyKey: String
  ) {
    self.id = id
    self.entry = entry
    self.institution = institution
    self.amount = amount
    self.programme = programme
    self.valueDate = valueDate
    self.returnDate = returnDate
    self.bankAccount = bankAccount
    self.memo = memo
    self.idempotencyKey = idempotencyKey
  }
}

/// 預託金の返還: a deposit received back, in full (`amount` nil: all outstanding) or in part.
public struct ReceiveDeposit: Sendable, Hashable {
  public var entry: EntryID
  public var amount: Yen?
  public var valueDate: LocalDate
  /// The account the money arrives in; the placement's when nil.
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

/// 預託: one deposit placed with one handling institution, `deposit-<id>`, from placement to its
/// return, with its journal entries (placement, returns, reversals).
///
/// Rules beyond every entry's (``Journal``): the institution is registered as a handling
/// institution; value dates are bank business days, the return date one after the value date;
/// a placement is refused when the funding pool's headroom cannot bear it (``FundingPool``);
/// never more is received back than is outstanding, counting returns awaiting approval.
public enum Deposit {
  public static let category = "deposit"

  /// `deposit-<id>`.
  public static func stream(_ id: DepositID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: id.rawValue)
  }

  /// The deposit was placed: its terms. Its journal entry follows it in the stream.
  public struct Placed: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.DepositPlaced"
    public static let schemaVersion = 1
    public var deposit: DepositID
    public var institution: InstitutionID
    /// The institution's name on the day.
    public var institutionName: String
    public var amount: Yen
    public var programme: String
    public var valueDate: LocalDate
    public var returnDate: LocalDate
    public var bankAccount: BankAccountID
    public var entry: EntryID
    public var by: UserID
    public var at: Timestamp
  }

  /// The deposit stream's events.
  public enum Event: Sendable, Hashable {
    case placed(Placed)
    case journal(Journal.Event)

    /// The journal event, for folds over every stream's entries (``Books``).
    public var journalEvent: Journal.Event? {
      if case .journal(let event) = self { event } else { nil }
    }
  }

  /// A deposit as its stream tells it.
  public struct Record: Sendable, Hashable {
    public var placed: Placed
    public var journal: Journal.State

    public var id: DepositID { placed.deposit }
    /// 預託金 of its institution.
    public var account: LedgerAccount { .depositsPlaced(placed.institution) }

    /// Outstanding at the close of `date`, approved entries only.
    public func outstanding(asOf date: LocalDate) -> Yen {
      Yen.clamped(journal.movements(of: account, conservative: false).filter { $0.date <= date }.reduce(0) { $0 + $1.amount })
    }
  }

  /// Nil before the deposit is placed.
  public typealias State = Record?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    switch event {
    case .placed(let e):
      guard state == nil else { return state }
      return Record(placed: e, journal: Journal.initialState)
    case .journal(let e):
      guard var record = state else { return state }
      record.journal.apply(e)
      return record
    }
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Placed.self, embed: Event.placed) { if case .placed(let e) = $0 { e } else { nil } }
    Journal.register(in: &codec, embed: Event.journal, extract: \.journalEvent)
    return codec
  }()

  /// The events a deposit decision writes: its own stream's, and the funding pool's.
  public typealias Decision = PostingDecision<Event>

  /// Places a deposit: Dr 預託金(institution) / Cr 普通預金; counts against the headroom at once.
  public static func place(
    _ command: PlaceDeposit, _ state: State, institution: Institution.State, accounts: BankAccounts.State, pool: FundingPool.State,
    period: Period.State, _ context: TreasuryContext
  ) throws(DepositLedgerError) -> Decision {
    let user = try context.user(in: [.treasury], to: "place a deposit")
    guard state == nil else { throw .depositExists(command.id) }
    let handling = try Institution.acting(command.institution, as: .handling, institution)
    let bankAccount = try BankAccounts.usable(command.bankAccount, accounts)
    guard command.amount > .zero else { throw .invalidAmount(field: "amountYen", command.amount) }
    guard let programme = Text.required(command.programme, limit: 100) else {
      throw .invalidEntry(field: "programme", reason: "name the loan programme (融資制度名) in 1 to 100 characters")
    }
    try ValueDates.requireBusinessDay(command.valueDate, field: "valueDate")
    guard command.returnDate > command.valueDate else {
      throw .dateTooEarly(
        field: "returnDate", command.returnDate, earliest: (try? command.valueDate.adding(days: 1)) ?? command.valueDate,
        what: "the day after the value date")
    }
    try ValueDates.requireBusinessDay(command.returnDate, field: "returnDate")
    let placed = Placed(
      deposit: command.id, institution: command.institution, institutionName: handling.name, amount: command.amount, programme: programme,
      valueDate: command.valueDate, returnDate: command.returnDate, bankAccount: bankAccount, entry: command.entry, by: user,
      at: context.timestamp)
    let memo = Text.optional(command.memo) ?? "預託 \(handling.name) \(programme)"
    let entered = try Journal.entered(
      id: command.entry, valueDate: command.valueDate, purpose: .placement,
      lines: [.debit(.depositsPlaced(command.institution), command.amount), .credit(.bank(bankAccount), command.amount)], memo: memo,
      idempotencyKey: command.idempotencyKey, Journal.initialState, period: period, context)
    var decision = try Postings.enter(entered, in: try StreamName.checked(category: category, id: command.id.rawValue), pool: pool, context).embedded(Event.journal)
    decision.events.insert(.placed(placed), at: 0)
    return decision
  }

  /// Receives the deposit back (預託金の返還): Dr 普通預金 / Cr 預託金, never beyond what is
  /// outstanding on its value date or any later day (pending returns counted). Adds to the
  /// headroom once approved.
  public static func receive(
    _ command: ReceiveDeposit, _ state: State, accounts: BankAccounts.State, pool: FundingPool.State, period: Period.State, _ context: TreasuryContext
  ) throws(DepositLedgerError) -> Decision {
    _ = try context.user(in: [.treasury], to: "receive a deposit back")
    let record = try existing(state)
    guard command.valueDate >= record.placed.valueDate else {
      throw .dateTooEarly(field: "valueDate", command.valueDate, earliest: record.placed.valueDate, what: "the placement's value date")
    }
    let lowest = Journal.lowestBalance(of: record.account, from: command.valueDate, record.journal)
    let amount = command.amount ?? Yen.clamped(max(lowest.balance, 0))
    guard amount > .zero else {
      throw command.amount == nil
        ? .exceedsOutstanding(what: "deposit \(record.id)", amount: amount, outstanding: .zero, on: lowest.on)
        : .invalidAmount(field: "amountYen", amount)
    }
    let account = try BankAccounts.usable(command.bankAccount ?? record.placed.bankAccount, accounts)
    let memo = Text.optional(command.memo) ?? "預託金返還 \(record.placed.institutionName) \(record.placed.programme)"
    let entered = try Journal.entered(
      id: command.entry, valueDate: command.valueDate, purpose: .depositReturn,
      lines: [.debit(.bank(account), amount), .credit(record.account, amount)], memo: memo, idempotencyKey: command.idempotencyKey,
      record.journal, period: period, context)
    try Journal.requireCovered(entered, account: record.account, what: "deposit \(record.id)", record.journal)
    return try Postings.enter(entered, in: try StreamName.checked(category: category, id: record.id.rawValue), pool: pool, context).embedded(Event.journal)
  }

  /// Reverses an approved entry of the deposit: reversing a return needs headroom again,
  /// reversing a placement never more than is outstanding.
  public static func reverse(_ command: ReverseEntry, _ state: State, pool: FundingPool.State, period: Period.State, _ context: TreasuryContext)
    throws(DepositLedgerError) -> Decision
  {
    _ = try context.user(in: [.treasury], to: "reverse an entry")
    let record = try existing(state)
    let entered = try Journal.reversal(command, record.journal, period: period, context)
    try Journal.requireCovered(entered, account: record.account, what: "deposit \(record.id)", record.journal)
    return try Postings.enter(entered, in: try StreamName.checked(category: category, id: record.id.rawValue), pool: pool, context).embedded(Event.journal)
  }

  /// Approves an entry of the deposit (承認): see ``Journal``.
  public static func approve(_ entry: EntryID, _ state: State, period: Period.State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> Decision
  {
    try Postings.approve(entry, try existing(state).journal, period: period, context).embedded(Event.journal)
  }

  /// Rejects an entry of the deposit (差戻し), with a reason.
  public static func reject(_ entry: EntryID, reason: String, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError) -> Decision {
    try Postings.reject(entry, reason: reason, try existing(state).journal, context).embedded(Event.journal)
  }

  static func existing(_ state: State) throws(DepositLedgerError) -> Record {
    guard let state else { throw .unknownDeposit(nil) }
    return state
  }
}
