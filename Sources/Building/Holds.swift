public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``BookingID``.
public enum BookingTag {}
/// A booking: `b-<UUIDv7>`.
public typealias BookingID = ID<BookingTag>

/// The day sheet of one group of spaces (spaces that share floor units: the hall and its parts,
/// two rooms and their joined room) on one date: `slots-<group>-<yyyymmdd>`.
///
/// Every booking of a space of the group on that date holds its time here, in the same append
/// as the booking's own events, so two desks can never let overlapping times: the second append
/// finds the sheet at a newer version, reloads, and is refused.
public enum DaySheet {
  public static let category = "slots"

  public static func stream(group: String, date: LocalDate) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: "\(group)-\(date.compactISO)")
  }

  /// A time held for a booking.
  public struct Hold: Sendable, Hashable, Codable {
    public var booking: BookingID
    public var space: SpaceID
    public var units: [String]
    /// The block and its overtime.
    public var range: TimeRange
    /// 準備・片付け kept free around it.
    public var bufferMinutes: Int

    public init(booking: BookingID, space: SpaceID, units: [String], range: TimeRange, bufferMinutes: Int) {
      self.booking = booking
      self.space = space
      self.units = units
      self.range = range
      self.bufferMinutes = bufferMinutes
    }

    /// Whether the two cannot both stand: a shared unit and overlapping time, buffers included.
    public func collides(with other: Hold) -> Bool {
      guard !Set(units).isDisjoint(with: other.units) else { return false }
      let buffer = Swift.max(bufferMinutes, other.bufferMinutes)
      return range.widened(before: buffer, after: buffer).overlaps(other.range)
    }
  }

  /// A time was held for a booking.
  public struct Held: RecordableEvent, Hashable {
    public static let eventType = "Building.SlotHeld"
    public static let schemaVersion = 1
    public var date: LocalDate
    public var hold: Hold
  }

  /// A booking's time was given back (cancelled, lapsed, moved).
  public struct Released: RecordableEvent, Hashable {
    public static let eventType = "Building.SlotReleased"
    public static let schemaVersion = 1
    public var date: LocalDate
    public var booking: BookingID
  }

  public enum Event: Sendable, Hashable {
    case held(Held)
    case released(Released)
  }

  /// The holds standing, by booking.
  public struct State: Sendable, Hashable {
    public var holds: [BookingID: Hold] = [:]
    public init() {}
  }

  public static let initialState = State()

  /// Holds `hold`, or names the booking in the way. Holding again for the same booking replaces
  /// its hold (a change of block on the same day).
  public static func hold(_ hold: Hold, on date: LocalDate, _ state: State) throws(BuildingError) -> [Event] {
    let others = state.holds.values.filter { $0.booking != hold.booking }.sorted { $0.range < $1.range }
    if let taken = others.first(where: { $0.collides(with: hold) }) {
      throw .slotTaken(space: hold.space, date: date, range: hold.range, by: taken.booking, heldSpace: taken.space)
    }
    return [.held(Held(date: date, hold: hold))]
  }

  public static func release(_ booking: BookingID, on date: LocalDate, _ state: State) -> [Event] {
    state.holds[booking] == nil ? [] : [.released(Released(date: date, booking: booking))]
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .held(let e): state.holds[e.hold.booking] = e.hold
    case .released(let e): state.holds[e.booking] = nil
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Held.self, embed: Event.held) { if case .held(let e) = $0 { e } else { nil } }
    codec.register(Released.self, embed: Event.released) { if case .released(let e) = $0 { e } else { nil } }
    return codec
  }()
}

/// 付帯設備の在庫: the equipment lent on one date, `equipment-<yyyymmdd>`. Bookings that overlap in
/// time share the building's stock of each item.
public enum EquipmentSheet {
  public static let category = "equipment"

  public static func stream(date: LocalDate) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: date.compactISO)
  }

  /// Equipment held for a booking's time.
  public struct Held: RecordableEvent, Hashable {
    public static let eventType = "Building.EquipmentHeld"
    public static let schemaVersion = 1
    public var date: LocalDate
    public var booking: BookingID
    public var range: TimeRange
    public var items: [EquipmentLine]
  }

  /// A booking's equipment was given back.
  public struct Released: RecordableEvent, Hashable {
    public static let eventType = "Building.EquipmentReleased"
    public static let schemaVersion = 1
    public var date: LocalDate
    public var booking: BookingID
  }

  public enum Event: Sendable, Hashable {
    case held(Held)
    case released(Released)
  }

  public struct State: Sendable, Hashable {
    public var holds: [BookingID: Held] = [:]
    public init() {}

    /// The most of `item` in use at any minute of `range`, leaving out `booking`'s own hold.
    public func peakUse(of item: String, during range: TimeRange, except booking: BookingID) -> Int {
      let overlapping = holds.values.filter { $0.booking != booking && $0.range.overlaps(range) }
      // Use only rises at a hold's start, so the peak is at one of the starts inside the range.
      let points = Set(overlapping.map { Swift.max($0.range.start, range.start) } + [range.start])
      return points.map { point in
        overlapping.filter { $0.range.start <= point && point < $0.range.end }
          .reduce(0) { total, hold in total + hold.items.filter { $0.item == item }.reduce(0) { $0 + $1.quantity } }
      }.max() ?? 0
    }
  }

  public static let initialState = State()

  /// Holds `items` for `booking`, or says which item has run out.
  public static func hold(
    _ items: [EquipmentLine], for booking: BookingID, during range: TimeRange, on date: LocalDate, catalogue: Catalogue, _ state: State
  ) throws(BuildingError) -> [Event] {
    for line in items {
      guard let item = catalogue.equipmentItem(line.item) else { throw .unknownEquipment(line.item) }
      let inUse = state.peakUse(of: line.item, during: range, except: booking)
      if inUse + line.quantity > item.stock {
        throw .equipmentUnavailable(item: item.name, date: date, asked: line.quantity, free: Swift.max(0, item.stock - inUse))
      }
    }
    return [.held(Held(date: date, booking: booking, range: range, items: items))]
  }

  public static func release(_ booking: BookingID, on date: LocalDate, _ state: State) -> [Event] {
    state.holds[booking] == nil ? [] : [.released(Released(date: date, booking: booking))]
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .held(let e): state.holds[e.booking] = e
    case .released(let e): state.holds[e.booking] = nil
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Held.self, embed: Event.held) { if case .held(let e) = $0 { e } else { nil } }
    codec.register(Released.self, embed: Event.released) { if case .released(let e) = $0 { e } else { nil } }
    return codec
  }()
}

extension LocalDate {
  /// `20230215`, for stream names.
  public var compactISO: String { description.replacingOccurrences(of: "-", with: "") }
}
