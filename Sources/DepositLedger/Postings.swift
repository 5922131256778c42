import EventLog
import Foundation
import SharedKernel

/// The events one posting decision writes, stream by stream: those of the stream the entry lives
/// in, and those of `funding-pool` (empty when the entry moves no borrowings, deposits or own
/// funds: the pool is then not written).
///
/// The service appends both in one atomic append with each stream's expected version, holding a
/// condition on the `period-FY…` stream of the value date it loaded.
public struct PostingDecision<Event: Sendable>: Sendable {
  public var events: [Event] = []
  public var pool: [FundingPool.Event] = []

  public init(events: [Event] = [], pool: [FundingPool.Event] = []) {
    self.events = events
    self.pool = pool
  }
}

extension PostingDecision: Equatable where Event: Equatable {}

/// The steps every stream that holds entries shares: enter with the pool's check, approve and
/// reject with the pool's settlement.
enum Postings {
  /// `entered` as the stream's journal event, with its commitment to the pool.
  static func enter(_ entered: Journal.Entered, in stream: StreamName, pool: FundingPool.State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> PostingDecision<Journal.Event>
  {
    PostingDecision(events: [.entered(entered)], pool: try FundingPool.commit(entered, in: stream, pool, context))
  }

  /// Approves `id` (see ``Journal``): the approval and the pool's settlement.
  static func approve(_ id: EntryID, _ journal: Journal.State, period: Period.State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> PostingDecision<Journal.Event>
  {
    let approved = try Journal.approval(of: id, journal, period: period, context)
    guard let entry = journal.entry(id) else { throw .unknownEntry(id) }
    return PostingDecision(events: [.approved(approved)], pool: FundingPool.settle(entry.entered, approved: true, context))
  }

  /// Rejects `id`: the rejection and the pool's release of what it committed.
  static func reject(_ id: EntryID, reason: String, _ journal: Journal.State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> PostingDecision<Journal.Event>
  {
    let rejected = try Journal.rejection(of: id, reason: reason, journal, context)
    guard let entry = journal.entry(id) else { throw .unknownEntry(id) }
    return PostingDecision(events: [.rejected(rejected)], pool: FundingPool.settle(entry.entered, approved: false, context))
  }
}

extension PostingDecision where Event == Journal.Event {
  /// The same decision for a stream whose events embed the journal's.
  func embedded<Outer>(_ embed: (Journal.Event) -> Outer) -> PostingDecision<Outer> {
    PostingDecision<Outer>(events: events.map(embed), pool: pool)
  }
}

/// Phantom-free stream naming for the entries' own streams.
extension StreamName {
  /// The stream name, or the error as the context's (a bad id cannot name a stream).
  static func checked(category: String, id: String) throws(DepositLedgerError) -> StreamName {
    do { return try StreamName(category: category, id: id) } catch { throw .invalidStreamID(id, reason: error.description) }
  }
}
