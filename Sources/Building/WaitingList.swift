public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``WaitlistEntryID``.
public enum WaitlistEntryTag {}
/// A place on a waiting list: `<group>-<yyyymmdd>-<n>`, the list's stream id and the place's number.
public typealias WaitlistEntryID = ID<WaitlistEntryTag>

/// キャンセル待ち: the customers waiting for a time on one group of spaces and date,
/// `waitlist-<group>-<yyyymmdd>` (beside its day sheet). When a cancellation or a lapse frees
/// time, the decision that frees it offers it, in the same append, to each waiting customer in
/// turn whose request now fits: the offer is a 仮予約 with a short deadline (the catalogue's
/// ``Catalogue/waitlistOfferDays``). Confirming it takes the slot; letting it lapse frees it
/// again, for the next in line.
public enum WaitingList {
  public static let category = "waitlist"

  public static func stream(group: String, date: LocalDate) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: "\(group)-\(date.compactISO)")
  }

  /// The waiting list beside a day sheet.
  public static func stream(besides sheet: StreamName) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: sheet.id)
  }

  /// The list an entry is on: its id less the last `-n`.
  public static func stream(of entry: WaitlistEntryID) throws(EventLogError) -> StreamName {
    guard let dash = entry.rawValue.lastIndex(of: "-") else { throw .invalidStreamName(entry.rawValue, reason: "a waiting-list entry is <list>-<n>") }
    return try StreamName(category: category, id: String(entry.rawValue[..<dash]))
  }

  /// A customer joined the list for a time that is taken.
  public struct Joined: RecordableEvent, Hashable {
    public static let eventType = "Building.WaitlistJoined"
    public static let schemaVersion = 1
    public var entry: WaitlistEntryID
    public var customer: CustomerID
    public var customerName: String
    public var request: QuoteRequest
    public var purpose: String?
    public var attendees: Int?
    public var at: Timestamp
  }

  /// Freed time was offered to the entry as a 仮予約 to confirm by `deadline`.
  public struct Offered: RecordableEvent, Hashable {
    public static let eventType = "Building.WaitlistOffered"
    public static let schemaVersion = 1
    public var entry: WaitlistEntryID
    public var booking: BookingID
    public var deadline: LocalDate
    public var at: Timestamp
  }

  /// The customer left the list (or the desk took them off it).
  public struct Left: RecordableEvent, Hashable {
    public static let eventType = "Building.WaitlistLeft"
    public static let schemaVersion = 1
    public var entry: WaitlistEntryID
    public var reason: String
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case joined(Joined)
    case offered(Offered)
    case left(Left)
  }

  /// One place on the list.
  public struct Entry: Sendable, Hashable {
    public var id: WaitlistEntryID
    public var customer: CustomerID
    public var customerName: String
    public var request: QuoteRequest
    public var purpose: String?
    public var attendees: Int?
    /// The offer made to it, once made.
    public var offered: BookingID?
    public var deadline: LocalDate?
    public var left: Bool

    /// Still in line for an offer.
    public var waiting: Bool { offered == nil && !left }
  }

  /// The places in the order joined.
  public struct State: Sendable, Hashable {
    public var entries: [Entry] = []
    public init() {}
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .joined(let e):
      state.entries.append(
        Entry(
          id: e.entry, customer: e.customer, customerName: e.customerName, request: e.request, purpose: e.purpose, attendees: e.attendees,
          offered: nil, deadline: nil, left: false))
    case .offered(let e):
      if let index = state.entries.firstIndex(where: { $0.id == e.entry }) {
        state.entries[index].offered = e.booking
        state.entries[index].deadline = e.deadline
      }
    case .left(let e):
      if let index = state.entries.firstIndex(where: { $0.id == e.entry }) { state.entries[index].left = true }
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Joined.self, embed: Event.joined) { if case .joined(let e) = $0 { e } else { nil } }
    codec.register(Offered.self, embed: Event.offered) { if case .offered(let e) = $0 { e } else { nil } }
    codec.register(Left.self, embed: Event.left) { if case .left(let e) = $0 { e } else { nil } }
    return codec
  }()

  // MARK: Decisions

  /// Joins the list for a time that is taken now (a free one is booked instead), priced and
  /// bookable by the usual rules, once per customer and time.
  public static func join(
    customer: Customer.Record, request: QuoteRequest, purpose: String?, attendees: Int?, _ context: DeskContext, sheet: DaySheet.State, _ state: State
  ) throws(BuildingError) -> [Event] {
    guard request.equipment.isEmpty else { throw .invalidWaitlist(field: "equipment", reason: "キャンセル待ちには備品を付けられません（予約になってから追加してください）") }
    guard request.tier == customer.profile.tier else {
      throw .tierMismatch(customer: customer.profile.name, registered: customer.profile.tier, asked: request.tier)
    }
    let (version, catalogue) = try context.current()
    let details = try Booking.price(
      request, customer: customer.id, name: customer.profile.name, purpose: purpose, attendees: attendees, catalogue, version: version)
    try Booking.checkBookable(request, tier: customer.profile.tier, catalogue, context, changing: nil)
    let probe = try Booking.logID("waitlist-probe")
    guard (try? DaySheet.hold(details.hold(for: probe), on: request.date, sheet)) == nil else {
      throw .invalidWaitlist(field: "slot", reason: "\(request.date) \(request.slot.japaneseName) の \(request.space) は空いています。キャンセル待ちではなく予約してください")
    }
    if state.entries.contains(where: { $0.waiting && $0.customer == customer.id && $0.request.space == request.space && $0.request.slot == request.slot }) {
      throw .invalidWaitlist(field: "customer", reason: "\(customer.profile.name) はこの枠のキャンセル待ちにすでに登録されています")
    }
    let list: StreamName
    do { list = try stream(group: details.group, date: request.date) } catch { throw .invalidCatalogue(path: "spaces.group", reason: "\(error)") }
    let entry: WaitlistEntryID
    do { entry = try WaitlistEntryID("\(list.id)-\(state.entries.count + 1)") } catch { throw .invalidWaitlist(field: "space", reason: error.description) }
    return [
      .joined(Joined(entry: entry, customer: customer.id, customerName: customer.profile.name, request: request, purpose: purpose, attendees: attendees, at: Timestamp(context.at)))
    ]
  }

  /// Leaves the list (again: nothing).
  public static func leave(_ entry: WaitlistEntryID, reason: String, _ context: DeskContext, _ state: State) throws(BuildingError) -> [Event] {
    guard let place = state.entries.first(where: { $0.id == entry }) else { throw .unknownWaitlistEntry(entry) }
    guard place.waiting else { return [] }
    return [.left(Left(entry: entry, reason: reason.isEmpty ? "取消" : reason, at: Timestamp(context.at)))]
  }

  /// What offering freed time decides: the list's events and each offer's 仮予約.
  public struct Offers: Sendable {
    public var list: [Event] = []
    public var bookings: [(id: BookingID, decision: BookingDecision)] = []
  }

  /// Offers the time free on `sheet` (after a release) to each waiting entry in the order
  /// joined whose request now fits and is still bookable; each offer holds its time at once, so
  /// later entries see it taken. `customers` are the waiting customers as registered now.
  public static func offer(
    _ state: State, sheet: DaySheet.State, customers: [CustomerID: Customer.Record], _ context: DeskContext
  ) -> Offers {
    var offers = Offers()
    guard let (_, catalogue) = try? context.current() else { return offers }
    var sheet = sheet
    let days = catalogue.waitlistOfferDays ?? 2
    for entry in state.entries where entry.waiting {
      guard let customer = customers[entry.customer], let booking = try? BookingID("wl-\(entry.id.rawValue)") else { continue }
      var request = entry.request
      request.tier = customer.profile.tier
      var new = NewBooking(id: booking, request: request, customer: customer, purpose: entry.purpose, attendees: entry.attendees, provisional: true)
      new.holdDays = days
      guard let decision = try? Booking.request(new, context, sheet: sheet, equipment: EquipmentSheet.initialState, permits: 0),
        case .requested(let made)? = decision.booking.first, let deadline = made.deadline
      else { continue }
      sheet = decision.slots.flatMap(\.events).reduce(sheet, DaySheet.evolve)
      offers.list.append(.offered(Offered(entry: entry.id, booking: booking, deadline: deadline, at: Timestamp(context.at))))
      offers.bookings.append((booking, decision))
    }
    return offers
  }
}
