public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``TransferBatchID``.
public enum TransferBatchTag {}
/// A 総合振込 batch: `tb-<UUIDv7>` as the service makes it.
public typealias TransferBatchID = ID<TransferBatchTag>

/// One payment due from an account: an approved repayment (償還) or interest payment (利息支払)
/// whose money leaves the account on the value date, with the lender's account to send it to.
public struct TransferDue: Sendable, Hashable, Codable {
  public var entry: EntryID
  public var purpose: EntryPurpose
  public var institution: InstitutionID
  public var institutionName: String
  public var bankCode: String
  public var branchCode: String
  public var accountType: BankAccountType
  public var accountNumber: String
  /// 受取人名 in half-width カナ.
  public var accountName: String
  public var amount: Yen

  /// The approved repayments and interest payments paid from `account` with value date `date`,
  /// in the order entered, each to its lender's registered account. `lenders` names the lender
  /// of each borrowing's entries (an interest payment's lines, 未払利息 / 普通預金, name none).
  public static func dues(
    from account: BankAccountID, on date: LocalDate, books: Books, lenders: [EntryID: InstitutionID], institutions: [InstitutionID: Institution.Record]
  ) -> [TransferDue] {
    books.entries.compactMap { entry in
      let e = entry.entered
      guard entry.status == .approved, e.valueDate == date, e.reverses == nil, [.repayment, .interestPayment].contains(e.purpose) else { return nil }
      guard let line = e.lines.first(where: { $0.account == .bank(account) && $0.side == .credit }) else { return nil }
      guard let id = lenders[entry.id], let record = institutions[id] else { return nil }
      return TransferDue(
        entry: entry.id, purpose: e.purpose, institution: id, institutionName: record.name, bankCode: record.bankCode, branchCode: record.branchCode,
        accountType: record.accountType, accountNumber: record.accountNumber, accountName: record.accountName, amount: line.amount)
    }
  }
}

/// 総合振込: the transfers the treasury sends the bank as a 全銀 file (種別 21), one stream per
/// paying account, `transfers-<account>`, so that an entry is in at most one batch that is not
/// cancelled. A `treasury` user prepares the day's batch from the approved repayments and
/// interest payments due; a `treasury-manager` other than the preparer approves it; only an
/// approved batch gives a file. The statement's debit of the batch's total on its day is then
/// matched with the batch's entries (``BankStatements/autoMatches(_:movements:names:account:_:first:transfers:)``).
public enum Transfers {
  public static let category = "transfers"

  /// `transfers-<account>`.
  public static func stream(_ account: BankAccountID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: account.rawValue)
  }

  /// A batch was prepared: what it pays, to whom.
  public struct Prepared: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.TransferBatchPrepared"
    public static let schemaVersion = 1
    public var batch: TransferBatchID
    public var account: BankAccountID
    public var date: LocalDate
    public var transfers: [TransferDue]
    public var total: Yen
    public var by: UserID
    public var at: Timestamp
  }

  /// A batch was approved: its file may now be made.
  public struct Approved: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.TransferBatchApproved"
    public static let schemaVersion = 1
    public var batch: TransferBatchID
    public var by: UserID
    public var at: Timestamp
  }

  /// A batch was cancelled, with the reason: its entries may go into another.
  public struct Cancelled: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.TransferBatchCancelled"
    public static let schemaVersion = 1
    public var batch: TransferBatchID
    public var reason: String
    public var by: UserID
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case prepared(Prepared)
    case approved(Approved)
    case cancelled(Cancelled)
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Prepared.self, embed: Event.prepared) { if case .prepared(let e) = $0 { e } else { nil } }
    codec.register(Approved.self, embed: Event.approved) { if case .approved(let e) = $0 { e } else { nil } }
    codec.register(Cancelled.self, embed: Event.cancelled) { if case .cancelled(let e) = $0 { e } else { nil } }
    return codec
  }()

  /// Where a batch stands.
  public enum Status: String, Sendable, Hashable, Codable {
    case prepared, approved, cancelled

    public var japaneseName: String {
      switch self {
      case .prepared: "承認待ち"
      case .approved: "承認済"
      case .cancelled: "取消"
      }
    }
  }

  /// A batch as its events tell it.
  public struct Batch: Sendable, Hashable {
    public var prepared: Prepared
    public var status: Status
    public var approvedBy: UserID?

    public var id: TransferBatchID { prepared.batch }
  }

  /// The account's batches in the order prepared.
  public struct State: Sendable, Hashable {
    public private(set) var batches: [Batch] = []

    public init() {}

    public func batch(_ id: TransferBatchID) -> Batch? { batches.first { $0.id == id } }

    /// The live (not cancelled) batch holding `entry`, if any.
    public func batch(holding entry: EntryID) -> Batch? {
      batches.first { $0.status != .cancelled && $0.prepared.transfers.contains { $0.entry == entry } }
    }

    mutating func apply(_ event: Event) {
      switch event {
      case .prepared(let e): batches.append(Batch(prepared: e, status: .prepared, approvedBy: nil))
      case .approved(let e):
        guard let index = batches.firstIndex(where: { $0.id == e.batch }) else { return }
        batches[index].status = .approved
        batches[index].approvedBy = e.by
      case .cancelled(let e):
        guard let index = batches.firstIndex(where: { $0.id == e.batch }) else { return }
        batches[index].status = .cancelled
      }
    }
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    state.apply(event)
    return state
  }

  /// Prepares the batch of `date` (treasury): from an open account of the register, the dues not
  /// yet in a live batch, at least one; the date a bank business day, today or later.
  public static func prepare(
    _ id: TransferBatchID, account: BankAccountID, on date: LocalDate, dues: [TransferDue], register: BankAccounts.State, _ state: State,
    _ context: TreasuryContext
  ) throws(DepositLedgerError) -> [Event] {
    let user = try context.user(in: [.treasury], to: "prepare a transfer batch (総合振込)")
    _ = try BankAccounts.usable(account, register)
    guard date >= context.today else { throw .dateTooEarly(field: "date", date, earliest: context.today, what: "today") }
    try ValueDates.requireBusinessDay(date, field: "date")
    let open = dues.filter { state.batch(holding: $0.entry) == nil }
    guard !open.isEmpty else { throw .nothingToTransfer(account: account, date: date, batched: dues.count) }
    var total: Int64 = 0
    for due in open {
      let (sum, overflow) = total.addingReportingOverflow(due.amount.amount)
      guard !overflow else { throw .amountOverflow("the batch's total") }
      total = sum
    }
    return [.prepared(Prepared(batch: id, account: account, date: date, transfers: open, total: Yen(total), by: user, at: context.timestamp))]
  }

  /// Approves a prepared batch (treasury manager other than its preparer).
  public static func approve(_ id: TransferBatchID, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError) -> [Event] {
    let user = try context.user(in: [.treasuryManager], to: "approve a transfer batch (総合振込)")
    guard let batch = state.batch(id) else { throw .unknownTransferBatch(id) }
    guard batch.status == .prepared else { throw .transferBatchNotPrepared(id, status: batch.status.rawValue) }
    guard batch.prepared.by != user else { throw .makerCannotCheckBatch(id, user: user) }
    return [.approved(Approved(batch: id, by: user, at: context.timestamp))]
  }

  /// Cancels a batch not yet sent (prepared, or approved but its day not passed), with the reason.
  public static func cancel(_ id: TransferBatchID, reason: String, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError) -> [Event] {
    let user = try context.user(in: [.treasury, .treasuryManager], to: "cancel a transfer batch (総合振込)")
    guard let batch = state.batch(id) else { throw .unknownTransferBatch(id) }
    guard batch.status != .cancelled else { throw .transferBatchNotPrepared(id, status: batch.status.rawValue) }
    guard batch.prepared.date >= context.today else { throw .transferDayPassed(id, date: batch.prepared.date) }
    guard let reason = Text.required(reason, limit: 500) else { throw .reasonRequired(action: "cancelling a transfer batch") }
    return [.cancelled(Cancelled(batch: id, reason: reason, by: user, at: context.timestamp))]
  }
}
