public import EventLog
import Foundation
public import SharedKernel

/// The centre's yearly 成約 targets (the national programme grades centres on them),
/// `targets-succession`: set by the manager, changed as the prefecture revises them.
public enum Targets {
  public static let category = "targets"

  public static func stream() throws(EventLogError) -> StreamName { try StreamName(category: category, id: "succession") }

  /// A fiscal year's target of completed successions was set (or changed).
  public struct Set: RecordableEvent, Hashable {
    public static let eventType = "Succession.TargetSet"
    public static let schemaVersion = 1
    public var year: FiscalYear
    public var succeeded: Int
    /// The target before, when one was set.
    public var previous: Int?
    public var on: LocalDate
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case set(Set)
  }

  /// The targets by fiscal year.
  public struct State: Sendable, Hashable {
    public var succeeded: [FiscalYear: Int] = [:]
    public init() {}
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .set(let e): state.succeeded[e.year] = e.succeeded
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Set.self, embed: Event.set) { if case .set(let e) = $0 { e } else { nil } }
    return codec
  }()

  /// Sets `year`'s 成約 target (0…10,000); nothing when it is that already.
  public static func set(_ year: FiscalYear, succeeded: Int, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    guard (0...10_000).contains(succeeded) else { throw .invalidTarget(reason: "成約件数の目標は0件から10,000件までで入力してください") }
    let previous = state.succeeded[year]
    guard previous != succeeded else { return [] }
    return [.set(Set(year: year, succeeded: succeeded, previous: previous, on: context.today, at: Timestamp(context.at)))]
  }
}
