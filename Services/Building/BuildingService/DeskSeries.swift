import Building
import EventLog
import Foundation
import ServiceKit
import SharedKernel

/// Recurring bookings at the desk: each loads its streams into a ``Transaction``, asks the
/// Building context to decide, and queues the events for one append.
extension Desk {
  func series(_ id: SeriesID, in t: Transaction) async throws -> Series.Record {
    guard let record = try await t.load(Series.stream(id), codec: Series.codec, initial: Series.initialState, evolve: Series.evolve) else {
      throw Problem(.notFound, BuildingError.unknownSeries(id).description)
    }
    return record
  }

  /// Books a series: reads the day sheet (and equipment sheet) of every date it covers.
  func requestSeries(_ id: SeriesID, _ asked: SeriesRequest, customer: CustomerID, in t: Transaction) async throws -> Outcome<SeriesView> {
    let context = try await self.context(t)
    let (_, catalogue) = try context.current()
    guard let applicant = try await self.customer(customer, in: t) else {
      throw Problem(.validationFailed, BuildingError.unknownCustomer(customer).description, field: "customer")
    }
    var asked = asked
    asked.request.tier = applicant.profile.tier
    var sheets: [StreamName: DaySheet.State] = [:]
    var stock: [StreamName: EquipmentSheet.State] = [:]
    for date in Series.dates(of: asked).prefix(Series.longestDays) {
      var request = asked.request
      request.date = date
      let streams = try Booking.sheets(for: request, in: catalogue)
      if sheets[streams.slots] == nil { sheets[streams.slots] = try await daySheet(streams.slots, in: t) }
      if let stream = streams.equipment, stock[stream] == nil { stock[stream] = try await equipmentSheet(date, for: request.equipment, in: t) }
    }
    _ = try await t.load(Series.stream(id), codec: Series.codec, initial: Series.initialState, evolve: Series.evolve)
    let permits = asked.provisional ? 0 : try await numbers(.permits, context.today, in: t)
    let decision = try Series.request(id, asked, customer: applicant, context, sheets: sheets, equipment: stock, permits: permits)
    try await queue(decision, series: id, today: context.today, in: t)
    let record = decision.series.reduce(nil, Series.evolve)
    return Outcome(
      stream: try Series.stream(id), status: .created,
      body: SeriesView(record, bookings: decision.bookings.compactMap { $0.decision.booking.reduce(nil, Booking.evolve) }))
  }

  /// Ends a series from a date on.
  func endSeries(_ id: SeriesID, from: LocalDate, reason: String, in t: Transaction) async throws -> Outcome<SeriesView> {
    let context = try await self.context(t)
    let record = try await series(id, in: t)
    var bookings: [Booking.Record] = []
    var sheets: [StreamName: DaySheet.State] = [:]
    var stock: [StreamName: EquipmentSheet.State] = [:]
    for occurrence in record.booked where occurrence.date >= from {
      guard let booking = try await t.load(Booking.stream(occurrence.booking), codec: Booking.codec, initial: Booking.initialState, evolve: Booking.evolve)
      else { continue }
      bookings.append(booking)
      let catalogue = try context.version(booking.details.quote.catalogueVersion)
      let streams = try Booking.sheets(for: booking.details.request, in: catalogue)
      if sheets[streams.slots] == nil { sheets[streams.slots] = try await daySheet(streams.slots, in: t) }
      if let stream = streams.equipment, stock[stream] == nil {
        stock[stream] = try await equipmentSheet(booking.details.request.date, for: booking.details.request.equipment, in: t)
      }
    }
    let decision = try Series.end(
      record, from: from, reason: reason, bookings: bookings, context, sheets: sheets, equipment: stock, cashBook: try await cashBook(context.today, in: t))
    try await queue(decision, series: id, today: context.today, in: t)
    for occurrence in decision.bookings { try await offerFreed(by: occurrence.decision, context, in: t) }
    let after = decision.series.reduce(record, Series.evolve)
    var current = bookings.map { booking in
      decision.bookings.first { $0.id == booking.id }.map { $0.decision.booking.reduce(booking, Booking.evolve) ?? booking } ?? booking
    }
    current = current.sorted { $0.details.request.date < $1.details.request.date }
    return Outcome(stream: try Series.stream(id), status: .ok, body: SeriesView(after, bookings: current))
  }

  func queue(_ decision: SeriesDecision, series id: SeriesID, today: LocalDate, in t: Transaction) async throws {
    try t.write(decision.series, to: Series.stream(id), codec: Series.codec)
    for occurrence in decision.bookings {
      _ = try await t.load(Booking.stream(occurrence.id), codec: Booking.codec, initial: Booking.initialState, evolve: Booking.evolve)
      try queue(occurrence.decision, booking: occurrence.id, today: today, in: t)
    }
  }

  /// A series and each of its bookings as their streams tell them now.
  func seriesNow(_ id: SeriesID) async throws -> SeriesView {
    let t = Transaction(store: store, metadata: Data())
    let record = try await series(id, in: t)
    var bookings: [Booking.Record] = []
    for occurrence in record.booked {
      if let booking = try await t.load(Booking.stream(occurrence.booking), codec: Booking.codec, initial: Booking.initialState, evolve: Booking.evolve) {
        bookings.append(booking)
      }
    }
    return SeriesView(record, bookings: bookings)
  }
}

/// A series as the API shows it: its pattern, each date booked with its booking's state now,
/// and the dates it could not have.
struct SeriesView: Codable, Sendable {
  var id: String
  var customer: String
  var customerName: String
  var space: String
  var slot: String
  var recurrence: String
  var from: String
  var until: String
  var endedFrom: String?
  var bookings: [Booked]
  var skipped: [Skipped]

  struct Booked: Codable, Sendable {
    var date: String
    var id: String
    var space: String
    var slot: String
    var status: String
    var totalYen: Int64
  }

  struct Skipped: Codable, Sendable {
    var date: String
    var reason: String
  }

  init(_ record: Series.State, bookings: [Booking.Record]) {
    id = record?.id.rawValue ?? ""
    customer = record?.customer.rawValue ?? ""
    customerName = record?.customerName ?? ""
    space = record?.request.request.space.rawValue ?? ""
    slot = record?.request.request.slot.code ?? ""
    recurrence = record?.request.recurrence.japaneseName ?? ""
    from = record?.request.from.description ?? ""
    until = record?.request.until.description ?? ""
    endedFrom = record?.endedFrom?.description
    self.bookings = bookings.map {
      Booked(
        date: $0.details.request.date.description, id: $0.id.rawValue, space: $0.details.request.space.rawValue, slot: $0.details.request.slot.code,
        status: $0.status.rawValue, totalYen: $0.details.quote.total.amount)
    }
    skipped = (record?.skipped ?? []).map { Skipped(date: $0.date.description, reason: $0.reason) }
  }
}
