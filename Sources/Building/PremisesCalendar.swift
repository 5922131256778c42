public import EventLog
import Foundation
public import SharedKernel

/// The letting calendar of one office unit or monthly parking space: `officeunit-<id>`,
/// `parkingspace-<id>`. Every lease or contract holds its period here, in the same append as its
/// own events, whenever the period begins or its end changes (signed, renewed, notice given,
/// terminated), so two clerks can never let the same premises over overlapping periods: the
/// second append finds the calendar at a newer version, decides again, and is refused.
public enum PremisesCalendar {
  public static let officeCategory = "officeunit"
  public static let parkingCategory = "parkingspace"

  public static func stream(_ unit: OfficeUnitID) throws(EventLogError) -> StreamName {
    try StreamName(category: officeCategory, id: unit.rawValue)
  }

  public static func stream(_ space: ParkingSpaceID) throws(EventLogError) -> StreamName {
    try StreamName(category: parkingCategory, id: space.rawValue)
  }

  /// The period a contract holds the premises: from its start to its last day, open-ended while
  /// it renews itself without notice.
  public struct Hold: Sendable, Hashable, Codable {
    public var contract: String
    public var from: LocalDate
    public var through: LocalDate?

    public init(contract: String, from: LocalDate, through: LocalDate?) {
      self.contract = contract
      self.from = from
      self.through = through
    }

    /// Whether the two periods share a day.
    public func overlaps(_ other: Hold) -> Bool {
      (through.map { other.from <= $0 } ?? true) && (other.through.map { from <= $0 } ?? true)
    }
  }

  /// A contract's period was held, or its end changed (it replaces the contract's earlier hold).
  public struct Held: RecordableEvent, Hashable {
    public static let eventType = "Building.PremisesHeld"
    public static let schemaVersion = 1
    /// The unit's or space's id.
    public var premises: String
    public var hold: Hold
  }

  /// The calendar's one event.
  public enum Event: Sendable, Hashable {
    case held(Held)
  }

  /// The periods held, by contract.
  public struct State: Sendable, Hashable {
    public var holds: [String: Hold] = [:]
    public init() {}
  }

  public static let initialState = State()

  /// Holds `hold` on `premises`, or names the contract in the way; nothing when it stands already.
  public static func hold(_ hold: Hold, premises: String, _ state: State) throws(BuildingError) -> [Event] {
    if state.holds[hold.contract] == hold { return [] }
    let others = state.holds.values.filter { $0.contract != hold.contract }.sorted { ($0.from, $0.contract) < ($1.from, $1.contract) }
    if let taken = others.first(where: { $0.overlaps(hold) }) {
      throw .premisesTaken(premises: premises, from: hold.from, through: hold.through, by: taken.contract, heldFrom: taken.from, heldThrough: taken.through)
    }
    return [.held(Held(premises: premises, hold: hold))]
  }

  /// A unit or space a decision holds: its id, its calendar's stream and state.
  struct Place {
    var id: String
    var stream: StreamName
    var state: State

    init(_ unit: OfficeUnitID, _ state: State?) throws(BuildingError) {
      id = unit.rawValue
      stream = try Self.checked { () throws(EventLogError) in try PremisesCalendar.stream(unit) }
      self.state = state ?? State()
    }

    init(_ space: ParkingSpaceID, _ state: State?) throws(BuildingError) {
      id = space.rawValue
      stream = try Self.checked { () throws(EventLogError) in try PremisesCalendar.stream(space) }
      self.state = state ?? State()
    }

    static func checked(_ make: () throws(EventLogError) -> StreamName) throws(BuildingError) -> StreamName {
      do { return try make() } catch { throw .invalidPremises(field: "id", reason: error.description) }
    }
  }

  /// The calendar events for each place holding the contract's period.
  static func hold(_ places: [Place], contract: String, from: LocalDate, through: LocalDate?) throws(BuildingError) -> [SheetEvents<Event>] {
    var written: [SheetEvents<Event>] = []
    for place in places {
      let events = try hold(Hold(contract: contract, from: from, through: through), premises: place.id, place.state)
      if !events.isEmpty { written.append(SheetEvents(stream: place.stream, events: events)) }
    }
    return written
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .held(let e): state.holds[e.hold.contract] = e.hold
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Held.self, embed: Event.held) { if case .held(let e) = $0 { e } else { nil } }
    return codec
  }()
}
