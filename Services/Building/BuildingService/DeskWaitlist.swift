import Building
import EventLog
import Foundation
import ServiceKit
import SharedKernel

/// キャンセル待ち at the desk.
extension Desk {
  func waitlist(_ stream: StreamName, in t: Transaction) async throws -> WaitingList.State {
    try await t.load(stream, codec: WaitingList.codec, initial: WaitingList.initialState, evolve: WaitingList.evolve)
  }

  /// Puts a registered customer on the waiting list of a taken time.
  func joinWaitlist(
    customer: CustomerID, request: QuoteRequest, purpose: String?, attendees: Int?, in t: Transaction
  ) async throws -> Outcome<WaitlistView.Entry> {
    let context = try await self.context(t)
    let (_, catalogue) = try context.current()
    guard let applicant = try await self.customer(customer, in: t) else {
      throw Problem(.validationFailed, BuildingError.unknownCustomer(customer).description, field: "customer")
    }
    var request = request
    request.tier = applicant.profile.tier
    let sheetStream = try Booking.sheets(for: request, in: catalogue).slots
    let listStream = try WaitingList.stream(besides: sheetStream)
    let list = try await waitlist(listStream, in: t)
    let events = try WaitingList.join(
      customer: applicant, request: request, purpose: purpose, attendees: attendees, context, sheet: try await daySheet(sheetStream, in: t), list)
    try t.write(events, to: listStream, codec: WaitingList.codec)
    let after = events.reduce(list, WaitingList.evolve)
    guard let entry = after.entries.last else { throw Problem(.internalError, "the waiting list did not take the entry") }
    return Outcome(stream: listStream, status: .created, body: WaitlistView.Entry(entry, in: after))
  }

  func leaveWaitlist(_ entry: WaitlistEntryID, reason: String, in t: Transaction) async throws -> Outcome<WaitlistView.Entry> {
    let context = try await self.context(t)
    let listStream = try WaitingList.stream(of: entry)
    let list = try await waitlist(listStream, in: t)
    let events = try WaitingList.leave(entry, reason: reason, context, list)
    try t.write(events, to: listStream, codec: WaitingList.codec)
    let after = events.reduce(list, WaitingList.evolve)
    guard let place = after.entries.first(where: { $0.id == entry }) else { throw Problem(.notFound, BuildingError.unknownWaitlistEntry(entry).description) }
    return Outcome(stream: listStream, status: .ok, body: WaitlistView.Entry(place, in: after))
  }

  /// The waiting list of a space's group on a date, as its stream tells it now.
  func waitlistNow(space: SpaceID, date: LocalDate, catalogue: Catalogue) async throws -> WaitlistView {
    guard let found = catalogue.space(space) else { throw Problem(.validationFailed, BuildingError.unknownSpace(space).description, field: "space") }
    let stream = try WaitingList.stream(group: found.group, date: date)
    let list = try await waitlist(stream, in: Transaction(store: store, metadata: Data()))
    return WaitlistView(list: stream.id, entries: list.entries.map { WaitlistView.Entry($0, in: list) })
  }
}

/// A waiting list as the API shows it, in the order joined.
struct WaitlistView: Codable, Sendable {
  var list: String
  var entries: [Entry]

  struct Entry: Codable, Sendable {
    var id: String
    var customer: String
    var customerName: String
    var space: String
    var date: String
    var slot: String
    /// `waiting` (with its place in line), `offered` (a 仮予約 to confirm by the deadline) or `left`.
    var status: String
    var place: Int?
    var offeredBooking: String?
    var deadline: String?

    init(_ entry: WaitingList.Entry, in list: WaitingList.State) {
      id = entry.id.rawValue
      customer = entry.customer.rawValue
      customerName = entry.customerName
      space = entry.request.space.rawValue
      date = entry.request.date.description
      slot = entry.request.slot.code
      status = entry.left ? "left" : entry.offered != nil ? "offered" : "waiting"
      place = entry.waiting ? (list.entries.filter(\.waiting).firstIndex { $0.id == entry.id }).map { $0 + 1 } : nil
      offeredBooking = entry.offered?.rawValue
      deadline = entry.deadline?.description
    }
  }
}
