public import EventLog
import Foundation
public import SharedKernel

/// A manual journal entry (振替伝票), `entry-<id>`: bank charges, own funds put in or taken out,
/// and the like; its reversal, if it is ever corrected, lives in the same stream.
///
/// Borrowings payable, deposits placed and interest payable move only through their
/// operations (``Borrowing``, ``Deposit``), whose rules (never more repaid than outstanding,
/// interest from the balance history) a manual entry would bypass.
public enum ManualEntry {
  public static let category = "entry"

  /// `entry-<id>`.
  public static func stream(_ id: EntryID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: id.rawValue)
  }

  /// The stream holds only journal events: the entry and, if it is ever corrected, its reversal.
  public typealias Event = Journal.Event
  /// The entry (and its reversal) as the stream tells it.
  public typealias State = Journal.State
  public static let initialState = Journal.initialState

  public static func evolve(_ state: State, _ event: Event) -> State { Journal.evolve(state, event) }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    Journal.register(in: &codec, embed: { $0 }, extract: { $0 })
    return codec
  }()

  /// Whether a manual entry may post to `account`.
  public static func accepts(_ account: LedgerAccount) -> Bool {
    switch account {
    case .borrowings, .depositsPlaced, .interestPayable: false
    case .bank, .ownFunds, .interestExpense, .bankCharges: true
    }
  }

  /// Enters a manual entry (see ``Journal``'s rules); one that moves own funds is committed to
  /// the funding pool, and refused if taking own funds out leaves too little headroom.
  public static func enter(
    _ entry: NewEntry, _ state: State, accounts: BankAccounts.State, pool: FundingPool.State, period: Period.State, _ context: TreasuryContext
  ) throws(DepositLedgerError) -> PostingDecision<Event> {
    guard state.entries.isEmpty else { throw .entryExists(entry.id) }
    if let line = entry.lines.first(where: { !accepts($0.account) }) { throw .accountNeedsOperation(line.account) }
    try BankAccounts.requireUsable(entry.lines, accounts)
    let purpose: EntryPurpose = entry.lines.contains { $0.account == .ownFunds } ? .ownFunds : .manual
    let entered = try Journal.entered(
      id: entry.id, valueDate: entry.valueDate, purpose: purpose, lines: entry.lines, memo: entry.memo, idempotencyKey: entry.idempotencyKey,
      state, period: period, context)
    return try Postings.enter(entered, in: try StreamName.checked(category: category, id: entry.id.rawValue), pool: pool, context)
  }

  /// Approves the stream's entry `id` (its reversal too): see ``Journal``.
  public static func approve(_ id: EntryID, _ state: State, period: Period.State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> PostingDecision<Event>
  {
    try Postings.approve(id, state, period: period, context)
  }

  /// Rejects the stream's entry `id`, with a reason.
  public static func reject(_ id: EntryID, reason: String, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> PostingDecision<Event>
  {
    try Postings.reject(id, reason: reason, state, context)
  }

  /// Enters the reversal of the stream's approved entry, into the same stream.
  public static func reverse(_ command: ReverseEntry, _ state: State, pool: FundingPool.State, period: Period.State, _ context: TreasuryContext)
    throws(DepositLedgerError) -> PostingDecision<Event>
  {
    let entered = try Journal.reversal(command, state, period: period, context)
    guard let stream = state.entries.first.map({ $0.id.rawValue }) else { throw .unknownEntry(command.original) }
    return try Postings.enter(entered, in: try StreamName.checked(category: category, id: stream), pool: pool, context)
  }
}
