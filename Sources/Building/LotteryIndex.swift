public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``LotteryID``.
public enum LotteryTag {}
/// A lottery round (抽選): `2027-06-hall` — lower-case letters, digits and `-`.
public typealias LotteryID = ID<LotteryTag>

/// The building's lottery rounds, on `lotteries-building`: which spaces each round takes out of
/// first-come booking for its month until it is drawn, and which months a drawn round opens to
/// first-come (先着) beyond the usual booking window. Every desk decision reads it (it is small),
/// so a round scheduled or drawn meanwhile makes the decision again.
public enum LotteryIndex {
  public static let category = "lotteries"

  public static func stream() throws(EventLogError) -> StreamName { try StreamName(category: category, id: "building") }

  /// A round was opened for applications.
  public struct Scheduled: RecordableEvent, Hashable {
    public static let eventType = "Building.LotteryScheduled"
    public static let schemaVersion = 1
    public var round: LotteryID
    public var month: YearMonth
    public var spaces: [SpaceID]
    public var drawOn: LocalDate
    public var at: Timestamp
  }

  /// A round was drawn: what is left of its month is open first-come.
  public struct Released: RecordableEvent, Hashable {
    public static let eventType = "Building.LotteryReleased"
    public static let schemaVersion = 1
    public var round: LotteryID
    public var on: LocalDate
    public var at: Timestamp
  }

  /// A round was called off before its draw: its month returns to the usual rules.
  public struct CalledOff: RecordableEvent, Hashable {
    public static let eventType = "Building.LotteryCalledOff"
    public static let schemaVersion = 1
    public var round: LotteryID
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case scheduled(Scheduled)
    case released(Released)
    case calledOff(CalledOff)
  }

  /// A round as the index knows it.
  public struct Entry: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable { case pending, released, calledOff = "called-off" }
    public var round: LotteryID
    public var month: YearMonth
    public var spaces: [SpaceID]
    public var drawOn: LocalDate
    public var phase: Phase
  }

  /// Every round, in the order scheduled.
  public struct State: Sendable, Hashable {
    public var rounds: [Entry] = []
    public init() {}

    /// The undrawn round that holds `space` (or a space sharing a floor unit with it) on `date`.
    public func reserving(_ space: Space, on date: LocalDate, in catalogue: Catalogue) -> Entry? {
      rounds.first { $0.phase == .pending && $0.covers(space, on: date, in: catalogue) }
    }

    /// The drawn round whose month opened first-come for `space` on `date`.
    public func released(_ space: Space, on date: LocalDate, in catalogue: Catalogue) -> Entry? {
      rounds.first { $0.phase == .released && $0.spaces.contains(space.id) && $0.month == date.yearMonth }
    }

    public func entry(_ round: LotteryID) -> Entry? { rounds.first { $0.round == round } }
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .scheduled(let e):
      state.rounds.append(Entry(round: e.round, month: e.month, spaces: e.spaces, drawOn: e.drawOn, phase: .pending))
    case .released(let e):
      if let index = state.rounds.firstIndex(where: { $0.round == e.round }) { state.rounds[index].phase = .released }
    case .calledOff(let e):
      if let index = state.rounds.firstIndex(where: { $0.round == e.round }) { state.rounds[index].phase = .calledOff }
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Scheduled.self, embed: Event.scheduled) { if case .scheduled(let e) = $0 { e } else { nil } }
    codec.register(Released.self, embed: Event.released) { if case .released(let e) = $0 { e } else { nil } }
    codec.register(CalledOff.self, embed: Event.calledOff) { if case .calledOff(let e) = $0 { e } else { nil } }
    return codec
  }()
}

extension LotteryIndex.Entry {
  /// Whether the round's spaces share a floor unit with `space` on a day of its month.
  func covers(_ space: Space, on date: LocalDate, in catalogue: Catalogue) -> Bool {
    guard date.yearMonth == month else { return false }
    let units = Set(space.units)
    return spaces.contains { id in
      id == space.id || (catalogue.space(id)?.units.contains { units.contains($0) } ?? false)
    }
  }
}
