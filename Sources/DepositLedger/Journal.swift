public import EventLog
import Foundation
import JapaneseCalendar
public import SharedKernel

/// Phantom tag for ``EntryID``.
public enum EntryTag {}
/// A journal entry (仕訳, 伝票): `e-<UUIDv7>` as the service makes it.
public typealias EntryID = ID<EntryTag>

/// One line of a journal entry: an account, debit (借方) or credit (貸方), and a positive amount.
public struct JournalLine: Sendable, Hashable, Codable {
  /// 借方 or 貸方.
  public enum Side: String, Sendable, Hashable, Codable, CaseIterable {
    case debit
    case credit

    public var japaneseName: String { self == .debit ? "借方" : "貸方" }
    /// The other side: a reversal swaps them.
    public var opposite: Side { self == .debit ? .credit : .debit }
  }

  public var account: LedgerAccount
  public var side: Side
  public var amount: Yen

  public init(account: LedgerAccount, side: Side, amount: Yen) {
    self.account = account
    self.side = side
    self.amount = amount
  }

  /// `amount` debited to `account`.
  public static func debit(_ account: LedgerAccount, _ amount: Yen) -> JournalLine { JournalLine(account: account, side: .debit, amount: amount) }
  /// `amount` credited to `account`.
  public static func credit(_ account: LedgerAccount, _ amount: Yen) -> JournalLine { JournalLine(account: account, side: .credit, amount: amount) }

  /// What the line adds to `account`'s balance on its normal side (negative when it reduces it).
  func change(to account: LedgerAccount) -> Int128 {
    guard self.account == account else { return 0 }
    return side == account.normalSide ? Int128(amount.amount) : -Int128(amount.amount)
  }
}

/// What an entry records, so folds can total the fiscal year without reading accounts.
public enum EntryPurpose: String, Sendable, Hashable, Codable, CaseIterable {
  /// 借入: deposit principal drawn from a lender.
  case drawdown
  /// 償還: principal repaid to a lender.
  case repayment
  /// 利息の未払計上.
  case interestAccrual = "interest-accrual"
  /// 利息の支払.
  case interestPayment = "interest-payment"
  /// 預託: a deposit placed with a handling institution.
  case placement
  /// 預託金の返還: a deposit received back.
  case depositReturn = "deposit-return"
  /// A manual entry that moves own funds (自己資金).
  case ownFunds = "own-funds"
  /// Any other manual entry (bank charges and the like).
  case manual

  public var japaneseName: String {
    switch self {
    case .drawdown: "借入"
    case .repayment: "償還"
    case .interestAccrual: "利息計上"
    case .interestPayment: "利息支払"
    case .placement: "預託"
    case .depositReturn: "預託金返還"
    case .ownFunds: "自己資金"
    case .manual: "振替"
    }
  }
}

/// The interest period an accrual covers and how it was computed, kept with the entry so the
/// 利息計算書 can be printed from the log.
public struct AccruedPeriod: Sendable, Hashable, Codable {
  /// The first day of the period.
  public var from: LocalDate
  /// The last day, included.
  public var through: LocalDate
  /// Days that bore a balance.
  public var days: Int
  /// 積数 in yen-days, as decimal text (it may exceed 64 bits).
  public var product: String
  public var terms: InterestTerms
}

/// A manual journal entry as the treasury types it.
public struct NewEntry: Sendable, Hashable {
  public var id: EntryID
  /// 起票日 / value date: the business date the entry takes effect.
  public var valueDate: LocalDate
  public var lines: [JournalLine]
  /// 摘要.
  public var memo: String
  /// The client's `Idempotency-Key` of the request that entered it.
  public var idempotencyKey: String

  public init(id: EntryID, valueDate: LocalDate, lines: [JournalLine], memo: String, idempotencyKey: String) {
    self.id = id
    self.valueDate = valueDate
    self.lines = lines
    self.memo = memo
    self.idempotencyKey = idempotencyKey
  }
}

/// A reversing entry to enter: the correction of an approved entry.
public struct ReverseEntry: Sendable, Hashable {
  /// The approved entry to reverse.
  public var original: EntryID
  /// The reversing entry's own id.
  public var id: EntryID
  /// In an open period (the original's may be closed).
  public var valueDate: LocalDate
  public var memo: String
  public var idempotencyKey: String

  public init(original: EntryID, id: EntryID, valueDate: LocalDate, memo: String, idempotencyKey: String) {
    self.original = original
    self.id = id
    self.valueDate = valueDate
    self.memo = memo
    self.idempotencyKey = idempotencyKey
  }
}

/// The double-entry journal (仕訳帳): entries that always balance, enter–approve (maker–checker),
/// and corrections only by reversal. Its events live in the stream of what they post about —
/// a borrowing, a deposit, or a manual entry's own `entry-<id>` — so the rules of that thing
/// and of its postings are checked in one stream.
///
/// A posting never changes: a mistake is corrected by a reversing entry (debits and credits
/// swapped) referencing the original, which must be approved and not reversed already. Only
/// approved entries count in balances.
public enum Journal {
  /// An entry was entered (起票) and awaits approval.
  public struct Entered: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.EntryEntered"
    public static let schemaVersion = 1
    public var entry: EntryID
    public var valueDate: LocalDate
    public var purpose: EntryPurpose
    public var lines: [JournalLine]
    public var memo: String
    public var idempotencyKey: String
    /// The entry this one reverses, for a correction.
    public var reverses: EntryID?
    /// For an interest accrual: the period and how it was computed.
    public var period: AccruedPeriod?
    /// The maker (起票者), a `treasury` user.
    public var by: UserID
    public var at: Timestamp

    /// Σ debits (= Σ credits).
    public var amount: Yen { Yen(lines.filter { $0.side == .debit }.reduce(0) { $0 &+ $1.amount.amount }) }

    /// What the entry adds to `account`'s balance on its normal side.
    func change(to account: LedgerAccount) -> Int128 { lines.reduce(0) { $0 + $1.change(to: account) } }
  }

  /// An entry was approved (承認) by a `treasury-manager` other than its maker.
  public struct Approved: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.EntryApproved"
    public static let schemaVersion = 1
    public var entry: EntryID
    public var by: UserID
    public var at: Timestamp

    public init(entry: EntryID, by: UserID, at: Timestamp) {
      self.entry = entry
      self.by = by
      self.at = at
    }
  }

  /// An entry was rejected (差戻し) and will never count.
  public struct Rejected: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.EntryRejected"
    public static let schemaVersion = 1
    public var entry: EntryID
    public var reason: String
    public var by: UserID
    public var at: Timestamp

    public init(entry: EntryID, reason: String, by: UserID, at: Timestamp) {
      self.entry = entry
      self.reason = reason
      self.by = by
      self.at = at
    }
  }

  /// The journal's events, as the streams that hold entries embed them.
  public enum Event: Sendable, Hashable {
    case entered(Entered)
    case approved(Approved)
    case rejected(Rejected)

    /// The entry the event is about.
    public var entry: EntryID {
      switch self {
      case .entered(let e): e.entry
      case .approved(let e): e.entry
      case .rejected(let e): e.entry
      }
    }
  }

  /// Where an entry stands.
  public enum Status: String, Sendable, Hashable, Codable {
    /// 承認待ち.
    case pending
    /// 承認済: counts in balances.
    case approved
    /// 差戻し: never counts.
    case rejected

    public var japaneseName: String {
      switch self {
      case .pending: "承認待ち"
      case .approved: "承認済"
      case .rejected: "差戻し"
      }
    }
  }

  /// An entry as its events tell it.
  public struct Entry: Sendable, Hashable {
    public var entered: Entered
    public var status: Status
    /// The checker, once approved or rejected.
    public var decidedBy: UserID?
    /// When it was approved or rejected.
    public var decidedAt: Timestamp?
    public var rejectionReason: String?

    public var id: EntryID { entered.entry }
  }

  /// The entries of one stream, in the order entered.
  public struct State: Sendable, Hashable {
    public private(set) var entries: [Entry] = []

    public init() {}

    public func entry(_ id: EntryID) -> Entry? { entries.first { $0.id == id } }

    /// The reversal of `id` that is pending or approved, if any (a rejected one does not count).
    public func reversal(of id: EntryID) -> Entry? {
      entries.first { $0.entered.reverses == id && $0.status != .rejected }
    }

    /// Whether `entry` counts: approved, and not reversed by an approved reversal.
    public func isInForce(_ entry: Entry) -> Bool {
      entry.status == .approved && reversal(of: entry.id)?.status != .approved
    }

    /// The entries awaiting approval.
    public var pending: [Entry] { entries.filter { $0.status == .pending } }

    /// The movements of `account` in this stream on its normal side, dated by value date:
    /// approved ones, and (when `conservative`) pending ones that reduce it. A pending increase
    /// counts only once approved; a pending decrease counts at once.
    func movements(of account: LedgerAccount, conservative: Bool) -> [(date: LocalDate, amount: Int128)] {
      entries.compactMap { entry in
        let change = entry.entered.change(to: account)
        guard change != 0 else { return nil }
        switch entry.status {
        case .approved: return (entry.entered.valueDate, change)
        case .pending where conservative && change < 0: return (entry.entered.valueDate, change)
        default: return nil
        }
      }
    }

    mutating func apply(_ event: Event) {
      switch event {
      case .entered(let e):
        guard entry(e.entry) == nil else { return }
        entries.append(Entry(entered: e, status: .pending, decidedBy: nil, decidedAt: nil, rejectionReason: nil))
      case .approved(let e):
        guard let index = entries.firstIndex(where: { $0.id == e.entry }) else { return }
        entries[index].status = .approved
        entries[index].decidedBy = e.by
        entries[index].decidedAt = e.at
      case .rejected(let e):
        guard let index = entries.firstIndex(where: { $0.id == e.entry }) else { return }
        entries[index].status = .rejected
        entries[index].decidedBy = e.by
        entries[index].decidedAt = e.at
        entries[index].rejectionReason = e.reason
      }
    }
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    state.apply(event)
    return state
  }

  // MARK: Rules every entry obeys

  /// The longest 摘要.
  public static let maximumMemoLength = 200
  /// The longest idempotency key.
  public static let maximumKeyLength = 255

  /// A new entry in `state`'s stream, checked: entered by `treasury`, a new id and idempotency
  /// key, at least one line and every amount above zero, Σ debits = Σ credits, in an open
  /// period, and on a bank business day when it moves a bank account.
  static func entered(
    id: EntryID, valueDate: LocalDate, purpose: EntryPurpose, lines: [JournalLine], memo: String, idempotencyKey: String,
    reverses: EntryID? = nil, accrued: AccruedPeriod? = nil, _ state: State, period: Period.State, _ context: TreasuryContext
  ) throws(DepositLedgerError) -> Entered {
    let maker = try context.user(in: [.treasury], to: "enter a journal entry")
    guard state.entry(id) == nil else { throw .entryExists(id) }
    let key = idempotencyKey
    guard !key.isEmpty, key.count <= maximumKeyLength,
      key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E })
    else { throw .invalidIdempotencyKey(key) }
    if let other = state.entries.first(where: { $0.entered.idempotencyKey == key }) { throw .idempotencyKeyUsed(key, entry: other.id) }
    let memo = Text.trimmed(memo)
    guard memo.count <= maximumMemoLength else {
      throw .invalidEntry(field: "memo", reason: "the memo (摘要) has \(memo.count) characters; at most \(maximumMemoLength)")
    }
    guard !lines.isEmpty else { throw .emptyEntry }
    var debits = Yen.zero
    var credits = Yen.zero
    for (index, line) in lines.enumerated() {
      guard line.amount > .zero else { throw .invalidLineAmount(line: index + 1, line.amount) }
      if line.side == .debit {
        debits = try checkedYen { () throws(YenError) in try debits.adding(line.amount) }
      } else {
        credits = try checkedYen { () throws(YenError) in try credits.adding(line.amount) }
      }
    }
    guard debits == credits else { throw .unbalanced(debits: debits, credits: credits) }
    try period.requireOpen(valueDate)
    if lines.contains(where: { if case .bank = $0.account { true } else { false } }) {
      try ValueDates.requireBusinessDay(valueDate, field: "valueDate")
    }
    return Entered(
      entry: id, valueDate: valueDate, purpose: purpose, lines: lines, memo: memo, idempotencyKey: key, reverses: reverses, period: accrued,
      by: maker, at: context.timestamp)
  }

  /// The pending entry `id`, for the checker: a `treasury-manager` who did not enter it.
  static func checking(_ id: EntryID, _ state: State, action: String, _ context: TreasuryContext) throws(DepositLedgerError) -> (Entry, UserID) {
    let checker = try context.user(in: [.treasuryManager], to: action)
    guard let entry = state.entry(id) else { throw .unknownEntry(id) }
    guard entry.status == .pending else { throw .entryNotPending(id, entry.status) }
    guard entry.entered.by != checker else { throw .makerCannotCheck(id, user: checker) }
    return (entry, checker)
  }

  /// 承認: a pending entry, by a manager other than its maker, while its period is open.
  static func approval(of id: EntryID, _ state: State, period: Period.State, _ context: TreasuryContext) throws(DepositLedgerError) -> Approved {
    let (entry, checker) = try checking(id, state, action: "approve a journal entry", context)
    try period.requireOpen(entry.entered.valueDate)
    return Approved(entry: id, by: checker, at: context.timestamp)
  }

  /// 差戻し: a pending entry, by a manager other than its maker, with a reason.
  static func rejection(of id: EntryID, reason: String, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError) -> Rejected {
    let (_, checker) = try checking(id, state, action: "reject a journal entry", context)
    guard let reason = Text.required(reason, limit: 500) else { throw .reasonRequired(action: "rejecting an entry") }
    return Rejected(entry: id, reason: reason, by: checker, at: context.timestamp)
  }

  /// The reversing entry of an approved, not yet reversed entry: its lines with debits and
  /// credits swapped, the same purpose, dated on or after the original.
  static func reversal(_ command: ReverseEntry, _ state: State, period: Period.State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> Entered
  {
    guard let original = state.entry(command.original) else { throw .unknownEntry(command.original) }
    guard original.status == .approved else { throw .reversalOfUnapproved(command.original, original.status) }
    if let existing = state.reversal(of: command.original) { throw .alreadyReversed(command.original, by: existing.id) }
    guard original.entered.reverses == nil else { throw .reversalOfReversal(command.original) }
    guard command.valueDate >= original.entered.valueDate else {
      throw .dateTooEarly(field: "valueDate", command.valueDate, earliest: original.entered.valueDate, what: "the value date of the entry it reverses")
    }
    let lines = original.entered.lines.map { JournalLine(account: $0.account, side: $0.side.opposite, amount: $0.amount) }
    let memo = Text.optional(command.memo) ?? "取消: \(original.entered.memo)"
    return try entered(
      id: command.id, valueDate: command.valueDate, purpose: original.entered.purpose, lines: lines, memo: String(memo.prefix(maximumMemoLength)),
      idempotencyKey: command.idempotencyKey, reverses: command.original, accrued: original.entered.period, state, period: period, context)
  }

  /// The lowest balance `account` reaches in this stream from `date` on, counting approved
  /// movements and pending decreases, with the day it is reached.
  static func lowestBalance(of account: LedgerAccount, from date: LocalDate, _ state: State) -> (balance: Int128, on: LocalDate) {
    lowest(state.movements(of: account, conservative: true), from: date)
  }

  /// The lowest running total of `movements` on `date` or any later day a movement falls on.
  static func lowest(_ movements: [(date: LocalDate, amount: Int128)], from date: LocalDate) -> (balance: Int128, on: LocalDate) {
    let sorted = movements.sorted { $0.date < $1.date }
    var running: Int128 = 0
    var index = 0
    while index < sorted.count && sorted[index].date <= date {
      running += sorted[index].amount
      index += 1
    }
    var lowest = (balance: running, on: date)
    while index < sorted.count {
      let day = sorted[index].date
      while index < sorted.count && sorted[index].date == day {
        running += sorted[index].amount
        index += 1
      }
      if running < lowest.balance { lowest = (running, day) }
    }
    return lowest
  }

  /// Refuses `entered` if it would take `account` below zero on some day, counting pending
  /// decreases (conservative): a repayment beyond what is outstanding, a deposit received back
  /// beyond what was placed, interest paid beyond what was accrued.
  static func requireCovered(_ entered: Entered, account: LedgerAccount, what: String, _ state: State) throws(DepositLedgerError) {
    let change = entered.change(to: account)
    guard change < 0 else { return }
    let (balance, on) = lowestBalance(of: account, from: entered.valueDate, state)
    guard balance + change >= 0 else {
      throw .exceedsOutstanding(what: what, amount: Yen.clamped(-change), outstanding: Yen.clamped(max(balance, 0)), on: on)
    }
  }

  /// Registers the journal's events in a stream's codec.
  static func register<Outer: Sendable>(
    in codec: inout EventCodec<Outer>, embed: @escaping @Sendable (Event) -> Outer, extract: @escaping @Sendable (Outer) -> Event?
  ) {
    codec.register(Entered.self, embed: { embed(.entered($0)) }) { if case .entered(let e)? = extract($0) { e } else { nil } }
    codec.register(Approved.self, embed: { embed(.approved($0)) }) { if case .approved(let e)? = extract($0) { e } else { nil } }
    codec.register(Rejected.self, embed: { embed(.rejected($0)) }) { if case .rejected(let e)? = extract($0) { e } else { nil } }
  }
}
