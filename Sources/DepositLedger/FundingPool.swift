public import EventLog
import Foundation
public import SharedKernel

/// The funding invariant, in one stream (`funding-pool`): deposits placed and outstanding never
/// exceed borrowings outstanding plus own funds, on any value date.
///
/// Every entry that moves borrowings, deposits placed or own funds writes its effect here when
/// it is entered, and its outcome when it is approved or rejected, so two treasurers can never
/// both spend the same headroom.
///
/// Headroom (余裕額) on a day = borrowings outstanding + own funds − deposits placed, from the
/// approved entries dated on or before it. It is counted **conservatively**:
/// - an entry awaiting approval that *reduces* headroom (a placement, a repayment, a withdrawal
///   of own funds, the reversal of a borrowing) counts against it as soon as it is entered, so an
///   approval can never break the invariant;
/// - an entry awaiting approval that *adds* headroom (a borrowing, a deposit received back, own
///   funds put in) adds nothing until it is approved, so nothing can be placed on money that a
///   manager might still reject.
/// A rejected entry stops counting. An entry that reduces headroom is refused if, on its value
/// date or any later day, the headroom would fall below zero; the refusal names the headroom and
/// the amount. Own funds are never taken out beyond what was put in, counted the same way.
public enum FundingPool {
  public static let category = "funding"

  /// `funding-pool`.
  public static func stream() throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: "pool")
  }

  /// What an entry does to the three quantities the invariant is about (signed yen).
  public struct Effect: Sendable, Hashable, Codable {
    /// Change of borrowings outstanding (借入金).
    public var borrowings: Yen
    /// Change of own funds (自己資金).
    public var ownFunds: Yen
    /// Change of deposits placed (預託金).
    public var deposits: Yen

    /// borrowings + own funds − deposits.
    public var headroom: Int128 { Int128(borrowings.amount) + Int128(ownFunds.amount) - Int128(deposits.amount) }

    /// Whether the entry leaves all three alone (interest, bank charges).
    public var isNone: Bool { borrowings == .zero && ownFunds == .zero && deposits == .zero }

    /// The effect of an entry's lines.
    public init(_ lines: [JournalLine]) {
      var borrowings: Int128 = 0
      var ownFunds: Int128 = 0
      var deposits: Int128 = 0
      for line in lines {
        switch line.account {
        case .borrowings: borrowings += line.change(to: line.account)
        case .ownFunds: ownFunds += line.change(to: line.account)
        case .depositsPlaced: deposits += line.change(to: line.account)
        default: break
        }
      }
      self.borrowings = Yen.clamped(borrowings)
      self.ownFunds = Yen.clamped(ownFunds)
      self.deposits = Yen.clamped(deposits)
    }
  }

  /// An entry's effect, counted from when it was entered (see the rules above).
  public struct Committed: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.FundingCommitted"
    public static let schemaVersion = 1
    public var entry: EntryID
    /// The stream the entry lives in (`borrowing-…`, `deposit-…`, `entry-…`).
    public var stream: String
    public var valueDate: LocalDate
    public var effect: Effect
    public var at: Timestamp
  }

  /// The entry was approved (its effect counts in full) or rejected (it no longer counts).
  public struct Settled: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.FundingSettled"
    public static let schemaVersion = 1
    public var entry: EntryID
    public var approved: Bool
    public var at: Timestamp
  }

  /// The pool stream's events.
  public enum Event: Sendable, Hashable {
    case committed(Committed)
    case settled(Settled)
  }

  /// One entry's commitment and where it stands.
  public struct Commitment: Sendable, Hashable {
    public var committed: Committed
    public var status: Journal.Status
  }

  /// The commitments, in the order entered.
  public struct State: Sendable, Hashable {
    public private(set) var commitments: [Commitment] = []

    public init() {}

    /// The approved position as of `date`, with the headroom pending reductions leave.
    public func position(asOf date: LocalDate) -> Position {
      var borrowings: Int128 = 0
      var ownFunds: Int128 = 0
      var deposits: Int128 = 0
      var pending: Int128 = 0
      for commitment in commitments where commitment.committed.valueDate <= date {
        let effect = commitment.committed.effect
        switch commitment.status {
        case .approved:
          borrowings += Int128(effect.borrowings.amount)
          ownFunds += Int128(effect.ownFunds.amount)
          deposits += Int128(effect.deposits.amount)
        case .pending where effect.headroom < 0: pending += effect.headroom
        default: break
        }
      }
      let headroom = borrowings + ownFunds - deposits
      return Position(
        borrowings: Yen.clamped(borrowings), ownFunds: Yen.clamped(ownFunds), deposits: Yen.clamped(deposits), headroom: Yen.clamped(headroom),
        pendingReductions: Yen.clamped(-pending), availableHeadroom: Yen.clamped(headroom + pending))
    }

    /// The conservative headroom's lowest point on `date` or later, and the day it is reached.
    public func lowestHeadroom(from date: LocalDate) -> (headroom: Yen, on: LocalDate) {
      let movements: [(date: LocalDate, amount: Int128)] = commitments.compactMap { commitment in
        let headroom = commitment.committed.effect.headroom
        switch commitment.status {
        case .approved: return (commitment.committed.valueDate, headroom)
        case .pending where headroom < 0: return (commitment.committed.valueDate, headroom)
        default: return nil
        }
      }
      let (lowest, on) = Journal.lowest(movements, from: date)
      return (Yen.clamped(lowest), on)
    }

    /// The conservative own funds' lowest point on `date` or later (approved, less pending withdrawals).
    public func lowestOwnFunds(from date: LocalDate) -> (ownFunds: Yen, on: LocalDate) {
      let movements: [(date: LocalDate, amount: Int128)] = commitments.compactMap { commitment in
        let change = Int128(commitment.committed.effect.ownFunds.amount)
        switch commitment.status {
        case .approved where change != 0: return (commitment.committed.valueDate, change)
        case .pending where change < 0: return (commitment.committed.valueDate, change)
        default: return nil
        }
      }
      let (lowest, on) = Journal.lowest(movements, from: date)
      return (Yen.clamped(lowest), on)
    }

    public func commitment(_ entry: EntryID) -> Commitment? { commitments.first { $0.committed.entry == entry } }

    mutating func apply(_ event: Event) {
      switch event {
      case .committed(let e):
        guard commitment(e.entry) == nil else { return }
        commitments.append(Commitment(committed: e, status: .pending))
      case .settled(let e):
        guard let index = commitments.firstIndex(where: { $0.committed.entry == e.entry }) else { return }
        commitments[index].status = e.approved ? .approved : .rejected
      }
    }
  }

  /// The pool on a day: approved borrowings, own funds and deposits placed, the headroom they
  /// leave, and the headroom left once the pending reductions are counted too.
  public struct Position: Sendable, Hashable {
    public var borrowings: Yen
    public var ownFunds: Yen
    public var deposits: Yen
    /// borrowings + own funds − deposits, approved entries only.
    public var headroom: Yen
    /// What entries awaiting approval would take off the headroom.
    public var pendingReductions: Yen
    /// headroom − pending reductions: what a new placement may use.
    public var availableHeadroom: Yen
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    state.apply(event)
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Committed.self, embed: Event.committed) { if case .committed(let e) = $0 { e } else { nil } }
    codec.register(Settled.self, embed: Event.settled) { if case .settled(let e) = $0 { e } else { nil } }
    return codec
  }()

  /// The pool's events for a newly entered entry: none when it leaves the three quantities
  /// alone; its commitment otherwise, refused if it reduces the headroom below zero on its value
  /// date or any later day.
  static func commit(_ entered: Journal.Entered, in stream: StreamName, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> [Event]
  {
    let effect = Effect(entered.lines)
    guard !effect.isNone else { return [] }
    if effect.ownFunds < .zero {
      let (available, on) = state.lowestOwnFunds(from: entered.valueDate)
      guard Int128(available.amount) + Int128(effect.ownFunds.amount) >= 0 else {
        throw .exceedsOutstanding(what: "own funds", amount: Yen.clamped(-Int128(effect.ownFunds.amount)), outstanding: Yen(max(available.amount, 0)), on: on)
      }
    }
    if effect.headroom < 0 {
      let (headroom, on) = state.lowestHeadroom(from: entered.valueDate)
      guard Int128(headroom.amount) + effect.headroom >= 0 else {
        throw .exceedsHeadroom(amount: Yen.clamped(-effect.headroom), headroom: Yen(max(headroom.amount, 0)), on: on, valueDate: entered.valueDate)
      }
    }
    return [.committed(Committed(entry: entered.entry, stream: stream.rawValue, valueDate: entered.valueDate, effect: effect, at: context.timestamp))]
  }

  /// The pool's events when `entered` is approved or rejected: its settlement, when it committed.
  static func settle(_ entered: Journal.Entered, approved: Bool, _ context: TreasuryContext) -> [Event] {
    guard !Effect(entered.lines).isNone else { return [] }
    return [.settled(Settled(entry: entered.entry, approved: approved, at: context.timestamp))]
  }
}
