public import EventLog
public import Foundation
public import SharedKernel

/// 来客駐車場の一日: the visitor spaces on one date, `visitors-<yyyymmdd>`: entries with their
/// tickets, free time validated for room and hall users, exits with their fees, and spaces held
/// for a booking's guests. Every entry and every hold of the day writes this stream, so the day's
/// free spaces are one invariant: an entry is refused when the spaces not held are all taken.
///
/// A stay belongs to the day it entered; it may leave on a later day (the fee counts to the
/// exit), but it counts against the free spaces of its entry day only, so the service should
/// exit cars left at closing (a known simplification: the car park is a daytime one).
public enum VisitorDay {
  public static let category = "visitors"

  public static func stream(date: LocalDate) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: date.compactISO)
  }

  // MARK: Events

  /// A car entered and took a ticket (under a booking's held guest spaces, or not).
  public struct Entered: RecordableEvent, Hashable {
    public static let eventType = "Building.VisitorEntered"
    public static let schemaVersion = 1
    public var date: LocalDate
    /// `20221015-0001`.
    public var ticket: String
    /// 車両番号, when read.
    public var plate: String?
    /// The booking whose guest spaces it parks in.
    public var hold: BookingID?
    public var at: Timestamp
  }

  /// 駐車サービス認証: free time validated for a booking of the day.
  public struct Validated: RecordableEvent, Hashable {
    public static let eventType = "Building.VisitorValidated"
    public static let schemaVersion = 1
    public var date: LocalDate
    public var ticket: String
    public var booking: BookingID
    /// The booking's hours plus the tariff's extra minutes.
    public var freeMinutes: Int
    public var at: Timestamp
  }

  /// The car left and paid its fee (税込, with the tax it includes).
  public struct Exited: RecordableEvent, Hashable {
    public static let eventType = "Building.VisitorExited"
    public static let schemaVersion = 1
    public var date: LocalDate
    public var ticket: String
    public var parkedSeconds: Int64
    public var freeMinutes: Int
    public var fee: Yen
    public var tax: Yen
    public var at: Timestamp
  }

  /// Spaces held all day for a booking's guests (holding again changes the number).
  public struct GuestSpacesHeld: RecordableEvent, Hashable {
    public static let eventType = "Building.GuestSpacesHeld"
    public static let schemaVersion = 1
    public var date: LocalDate
    public var booking: BookingID
    public var spaces: Int
    public var note: String?
    public var at: Timestamp
  }

  /// A booking's guest spaces were given back.
  public struct GuestSpacesReleased: RecordableEvent, Hashable {
    public static let eventType = "Building.GuestSpacesReleased"
    public static let schemaVersion = 1
    public var date: LocalDate
    public var booking: BookingID
    public var at: Timestamp
  }

  /// The day's events.
  public enum Event: Sendable, Hashable {
    case entered(Entered)
    case validated(Validated)
    case exited(Exited)
    case held(GuestSpacesHeld)
    case released(GuestSpacesReleased)
  }

  // MARK: State

  /// One stay, from entry to exit.
  public struct Session: Sendable, Hashable {
    public var ticket: String
    public var date: LocalDate
    public var plate: String?
    public var hold: BookingID?
    public var entered: Timestamp
    public var validated: Validated?
    public var exited: Exited?

    public var parked: Bool { exited == nil }
  }

  /// Spaces held for a booking's guests.
  public struct GuestHold: Sendable, Hashable {
    public var booking: BookingID
    public var spaces: Int
    public var note: String?
  }

  /// The visitor spaces in use.
  public struct Occupancy: Sendable, Hashable {
    /// Visitor spaces in the car park that day.
    public var spaces: Int
    /// Cars parked now.
    public var parked: Int
    /// Spaces held for guests (used or not).
    public var held: Int
    /// Guests parked in held spaces.
    public var heldInUse: Int
    /// Spaces a visitor without a hold can take.
    public var free: Int

    public init(spaces: Int, parked: Int, held: Int, heldInUse: Int, free: Int) {
      self.spaces = spaces
      self.parked = parked
      self.held = held
      self.heldInUse = heldInUse
      self.free = free
    }
  }

  /// The day's stays in ticket order and its guest holds in the order made.
  public struct State: Sendable, Hashable {
    public var sessions: [Session] = []
    public var holds: [GuestHold] = []
    public init() {}

    public func session(_ ticket: String) -> Session? { sessions.first { $0.ticket == ticket } }
    public func hold(for booking: BookingID) -> GuestHold? { holds.first { $0.booking == booking } }

    /// Cars parked at `instant`: entered by then and not yet left (for usage over the day).
    public func parked(at instant: Date) -> Int {
      sessions.filter { $0.entered.date <= instant && ($0.exited.map { $0.at.date > instant } ?? true) }.count
    }

    /// The fees of the stays that have left (税込).
    public var takings: Yen { Yen(sessions.compactMap(\.exited).reduce(0) { $0 + $1.fee.amount }) }

    /// Cars parked in `booking`'s held spaces.
    public func parked(under booking: BookingID) -> Int { sessions.filter { $0.parked && $0.hold == booking }.count }

    /// The spaces in use, out of `spaces` visitor spaces.
    public func occupancy(spaces: Int) -> Occupancy {
      let parked = sessions.filter(\.parked)
      let underHolds = parked.filter { session in session.hold.map { hold(for: $0) != nil } ?? false }.count
      let held = holds.reduce(0) { $0 + $1.spaces }
      return Occupancy(
        spaces: spaces, parked: parked.count, held: held, heldInUse: underHolds, free: Swift.max(0, spaces - held - (parked.count - underHolds)))
    }
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .entered(let e):
      state.sessions.append(Session(ticket: e.ticket, date: e.date, plate: e.plate, hold: e.hold, entered: e.at))
    case .validated(let e):
      if let index = state.sessions.firstIndex(where: { $0.ticket == e.ticket }) { state.sessions[index].validated = e }
    case .exited(let e):
      if let index = state.sessions.firstIndex(where: { $0.ticket == e.ticket }) { state.sessions[index].exited = e }
    case .held(let e):
      let hold = GuestHold(booking: e.booking, spaces: e.spaces, note: e.note)
      if let index = state.holds.firstIndex(where: { $0.booking == e.booking }) { state.holds[index] = hold } else { state.holds.append(hold) }
    case .released(let e):
      state.holds.removeAll { $0.booking == e.booking }
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Entered.self, embed: Event.entered) { if case .entered(let e) = $0 { e } else { nil } }
    codec.register(Validated.self, embed: Event.validated) { if case .validated(let e) = $0 { e } else { nil } }
    codec.register(Exited.self, embed: Event.exited) { if case .exited(let e) = $0 { e } else { nil } }
    codec.register(GuestSpacesHeld.self, embed: Event.held) { if case .held(let e) = $0 { e } else { nil } }
    codec.register(GuestSpacesReleased.self, embed: Event.released) { if case .released(let e) = $0 { e } else { nil } }
    return codec
  }()

  // MARK: Decisions (each on today's stream, or the held date's)

  /// A car enters now: in opening hours; into `hold`'s guest spaces while they last, or into a
  /// space neither taken nor held.
  public static func enter(
    plate: String?, hold: BookingID?, _ context: LettingContext, register: CarParkRegister.State, _ state: State
  ) throws(BuildingError) -> [Event] {
    let tariff = try tariff(on: context.today, register)
    guard tariff.open(at: context.minutesInJapan) else { throw .carParkClosed(opens: tariff.opens, closes: tariff.closes) }
    let plate = plate?.trimmingCharacters(in: .whitespacesAndNewlines)
    if let plate, !plate.isEmpty, let parked = state.sessions.first(where: { $0.parked && $0.plate == plate }) {
      throw .alreadyParked(plate: plate, ticket: parked.ticket)
    }
    if let booking = hold {
      guard let guests = state.hold(for: booking) else { throw .unknownGuestHold(booking, date: context.today) }
      guard state.parked(under: booking) < guests.spaces else { throw .guestSpacesFull(booking, spaces: guests.spaces) }
    } else {
      let occupancy = state.occupancy(spaces: register.visitorSpaces(on: context.today))
      guard occupancy.free > 0 else { throw .carParkFull(date: context.today, spaces: occupancy.spaces, held: occupancy.held, parked: occupancy.parked) }
    }
    let sequence = String(state.sessions.count + 1)
    let ticket = "\(context.today.compactISO)-" + String(repeating: "0", count: Swift.max(0, 4 - sequence.count)) + sequence
    return [
      .entered(Entered(date: context.today, ticket: ticket, plate: plate?.isEmpty == false ? plate : nil, hold: hold, at: Timestamp(context.at)))
    ]
  }

  /// Free time for a room or hall user: the booking must be of the stay's day and confirmed or
  /// used; it gives its hours (overtime included) plus the tariff's extra minutes, to as many cars
  /// as the tariff allows a booking, or as its held guest spaces.
  public static func validate(
    ticket: String, booking: Booking.Record, _ context: LettingContext, register: CarParkRegister.State, _ state: State
  ) throws(BuildingError) -> [Event] {
    let session = try parked(ticket, state)
    if let done = session.validated { throw .alreadyValidated(ticket: ticket, booking: done.booking) }
    let date = booking.details.request.date
    guard date == session.date else { throw .validationWrongDay(booking.id, bookingDate: date, parkingDate: session.date) }
    guard booking.status == .confirmed || booking.status == .used else { throw .validationRefused(booking.id, booking.status) }
    let tariff = try tariff(on: session.date, register)
    let limit = Swift.max(tariff.validationsPerBooking, state.hold(for: booking.id)?.spaces ?? 0)
    guard state.sessions.filter({ $0.validated?.booking == booking.id }).count < limit else { throw .validationsUsed(booking.id, limit: limit) }
    let free = booking.details.request.occupied.minutes + tariff.validationExtraMinutes
    return [.validated(Validated(date: session.date, ticket: ticket, booking: booking.id, freeMinutes: free, at: Timestamp(context.at)))]
  }

  /// The car leaves now and pays the entry day's tariff for its stay less its free time.
  public static func exit(ticket: String, _ context: LettingContext, register: CarParkRegister.State, _ state: State) throws(BuildingError) -> [Event] {
    let session = try parked(ticket, state)
    let seconds = (context.at.milliseconds - session.entered.date.milliseconds) / 1000
    guard seconds >= 0 else { throw .exitBeforeEntry(ticket: ticket) }
    let tariff = try tariff(on: session.date, register)
    let free = session.validated?.freeMinutes ?? 0
    let fee = tariff.fee(parkedSeconds: seconds, freeMinutes: free)
    return [
      .exited(
        Exited(
          date: session.date, ticket: ticket, parkedSeconds: seconds, freeMinutes: free, fee: fee, tax: tariff.taxIncluded(in: fee),
          at: Timestamp(context.at)))
    ]
  }

  /// Holds `spaces` on the booking's day for its guests (on that day's stream): the booking must
  /// hold its time and not be past; the spaces must be free of other holds and of parked cars.
  public static func holdGuestSpaces(
    for booking: Booking.Record, spaces: Int, note: String?, _ context: LettingContext, register: CarParkRegister.State, _ state: State
  ) throws(BuildingError) -> [Event] {
    guard booking.status.holdsTime else { throw .wrongStatus(booking.id, booking.status, action: "駐車場を確保する") }
    let date = booking.details.request.date
    guard date >= context.today else { throw .bookingInPast(date) }
    let occupancy = state.occupancy(spaces: register.visitorSpaces(on: date))
    let mine = state.hold(for: booking.id)
    // Free of other holds and of cars parked outside them: what is free now, and this hold's own
    // spaces (or, without one, its guests' cars still parked from a released hold).
    let inUse = state.parked(under: booking.id)
    let available = occupancy.free + (mine?.spaces ?? inUse)
    guard spaces >= Swift.max(1, inUse), spaces <= available else {
      throw .guestSpacesUnavailable(asked: spaces, available: available, inUse: inUse)
    }
    let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
    if mine?.spaces == spaces && mine?.note == (note?.isEmpty == false ? note : nil) { return [] }
    return [.held(GuestSpacesHeld(date: date, booking: booking.id, spaces: spaces, note: note?.isEmpty == false ? note : nil, at: Timestamp(context.at)))]
  }

  /// Gives a booking's guest spaces back (guests parked in them stay, as ordinary visitors).
  public static func releaseGuestSpaces(for booking: BookingID, date: LocalDate, _ context: LettingContext, _ state: State) throws(BuildingError) -> [Event] {
    guard state.hold(for: booking) != nil else { throw .unknownGuestHold(booking, date: date) }
    return [.released(GuestSpacesReleased(date: date, booking: booking, at: Timestamp(context.at)))]
  }

  static func tariff(on date: LocalDate, _ register: CarParkRegister.State) throws(BuildingError) -> VisitorTariff {
    guard let tariff = register.tariff(on: date) else { throw .noVisitorTariff(date) }
    return tariff
  }

  static func parked(_ ticket: String, _ state: State) throws(BuildingError) -> Session {
    guard let session = state.session(ticket) else { throw .unknownTicket(ticket) }
    guard session.parked else { throw .ticketClosed(ticket) }
    return session
  }
}
