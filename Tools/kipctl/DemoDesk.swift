import Building
import EventLog
import Foundation
import SharedKernel

/// The front desk of the demo, simulated: the decisions the service's `Desk` makes, by the same
/// deciders, on states kept in memory instead of read from the log, with the events of many
/// decisions gathered into one append per batch (``DemoBatch``); the catalogue and closures are
/// conditions, as in the service.
struct DemoDesk {
  private(set) var catalogue = CatalogueHistory.initialState
  private(set) var closures = Closures.initialState
  private(set) var customers: [CustomerID: Customer.Record] = [:]
  private(set) var bookings: [BookingID: Booking.Record] = [:]
  private var sheets: [StreamName: DaySheet.State] = [:]
  private var stock: [StreamName: EquipmentSheet.State] = [:]
  private var numbers: [StreamName: Numbering.State] = [:]
  private var cashBooks: [StreamName: CashBook.State] = [:]
  private var batch: DemoBatch
  private(set) var cashCloses = 0

  init(metadata: EventMetadata) { batch = DemoBatch(metadata: metadata) }

  var appends: Int { batch.appends }
  var eventsAppended: Int { batch.eventsAppended }

  /// The desk's context at `minute` of `day` (Japan time).
  func context(_ day: LocalDate, _ minute: Int) -> DeskContext {
    DeskContext(catalogue: catalogue, closures: closures, today: day, at: Self.instant(day, minute))
  }

  static func instant(_ day: LocalDate, _ minute: Int) -> Date { day.startInJapan.addingTimeInterval(TimeInterval(minute * 60)) }

  // MARK: Decisions

  mutating func publish(_ catalogue: Catalogue, note: String, at: Date) throws {
    let events = try CatalogueHistory.publish(catalogue, note: note, at: at, self.catalogue)
    try write(events, to: CatalogueHistory.stream(), codec: CatalogueHistory.codec)
    self.catalogue = events.reduce(self.catalogue, CatalogueHistory.evolve)
  }

  mutating func declare(_ closure: Closures.Closure, at: Date) throws {
    guard let current = catalogue.current else { throw BuildingError.noCatalogue }
    let events = try Closures.decide(.declare(closure, catalogue: current.catalogue, at: at), closures)
    try write(events, to: Closures.stream(), codec: Closures.codec)
    closures = events.reduce(closures, Closures.evolve)
  }

  mutating func register(_ customer: DemoCustomer, at: Date) throws {
    let events = try Customer.decide(.register(customer.id, customer.profile, at: at), customers[customer.id])
    try write(events, to: Customer.stream(customer.id), codec: Customer.codec)
    customers[customer.id] = events.reduce(customers[customer.id], Customer.evolve)
  }

  /// A call for a new booking, decided against the day sheet, the equipment stock and the permit numbers.
  mutating func request(_ new: NewBooking, _ context: DeskContext) throws {
    let (_, catalogue) = try context.current()
    let (slots, equipment) = try Booking.sheets(for: new.request, in: catalogue)
    let decision = try Booking.request(
      new, context, sheet: sheets[slots] ?? DaySheet.initialState, equipment: equipment.flatMap { stock[$0] } ?? EquipmentSheet.initialState,
      permits: numbers[try permits(context.today)] ?? Numbering.initialState)
    try queue(decision, booking: new.id, today: context.today)
  }

  mutating func confirm(_ id: BookingID, _ context: DeskContext) throws {
    let decision = try Booking.confirm(bookings[id], context, permits: numbers[try permits(context.today)] ?? Numbering.initialState)
    try queue(decision, booking: id, today: context.today)
  }

  /// Takes the balance, if any is owed.
  mutating func pay(_ id: BookingID, by method: PaymentMethod, _ context: DeskContext) throws {
    guard let record = bookings[id], record.balance > .zero else { return }
    let receipts = try Numbering.stream(.receipts, year: FiscalYear(containing: context.today))
    let decision = try Booking.pay(
      record, amount: record.balance, method: method, context, receipts: numbers[receipts] ?? Numbering.initialState,
      cashBook: cashBooks[try CashBook.stream(date: context.today)] ?? CashBook.initialState)
    try queue(decision, booking: id, today: context.today)
  }

  mutating func cancel(_ id: BookingID, reason: String, waiver: Waiver?, refundBy: PaymentMethod?, _ context: DeskContext) throws {
    guard let record = bookings[id] else { throw BuildingError.unknownBooking(id) }
    let (slots, equipment) = try sheetsOf(record, context)
    let decision = try Booking.cancel(
      record, reason: reason, waiver: waiver, refundBy: refundBy, context, sheet: sheets[slots] ?? DaySheet.initialState,
      equipment: stock[equipment] ?? EquipmentSheet.initialState, cashBook: cashBooks[try CashBook.stream(date: context.today)] ?? CashBook.initialState)
    try queue(decision, booking: id, today: context.today)
  }

  /// Pays back what was paid beyond the charge, if anything was.
  mutating func refund(_ id: BookingID, by method: PaymentMethod, _ context: DeskContext) throws {
    guard let record = bookings[id], record.balance < .zero else { return }
    let decision = try Booking.refund(
      record, amount: Yen(-record.balance.amount), method: method, context,
      cashBook: cashBooks[try CashBook.stream(date: context.today)] ?? CashBook.initialState)
    try queue(decision, booking: id, today: context.today)
  }

  mutating func lapse(_ id: BookingID, _ context: DeskContext) throws {
    guard let record = bookings[id] else { throw BuildingError.unknownBooking(id) }
    let (slots, equipment) = try sheetsOf(record, context)
    let decision = try Booking.lapse(
      record, context, sheet: sheets[slots] ?? DaySheet.initialState, equipment: stock[equipment] ?? EquipmentSheet.initialState)
    try queue(decision, booking: id, today: context.today)
  }

  mutating func attend(_ id: BookingID, used: Bool, _ context: DeskContext) throws {
    try queue(try Booking.attend(bookings[id], used: used, context), booking: id, today: context.today)
  }

  /// The manager signs off `day`'s cash book, counting exactly what the book says, if the desk took or paid out money.
  mutating func closeCash(_ day: LocalDate, signedBy: String) throws {
    let stream = try CashBook.stream(date: day)
    guard let book = cashBooks[stream], !book.entries.isEmpty, book.closed == nil else { return }
    let cash = book.totals.first { $0.method == .cash }
    let counted = Yen((cash?.received.amount ?? 0) - (cash?.refunded.amount ?? 0))
    let events = try CashBook.close(day, cashCounted: counted, signedBy: signedBy, today: day, at: Self.instant(day, 21 * 60 + 45), book)
    try write(events, to: stream, codec: CashBook.codec)
    cashBooks[stream] = events.reduce(book, CashBook.evolve)
    cashCloses += 1
  }

  private func permits(_ today: LocalDate) throws -> StreamName { try Numbering.stream(.permits, year: FiscalYear(containing: today)) }

  private func sheetsOf(_ record: Booking.Record, _ context: DeskContext) throws -> (StreamName, StreamName) {
    let catalogue = try context.version(record.details.quote.catalogueVersion)
    let (slots, _) = try Booking.sheets(for: record.details.request, in: catalogue)
    return (slots, try EquipmentSheet.stream(date: record.details.request.date))
  }

  /// A decision's events on each of its streams, as the service's `Desk.queue` writes them, and folded here.
  private mutating func queue(_ decision: BookingDecision, booking: BookingID, today: LocalDate) throws {
    let stream = try Booking.stream(booking)
    try write(decision.booking, to: stream, codec: Booking.codec)
    if !decision.booking.isEmpty { bookings[booking] = decision.booking.reduce(bookings[booking], Booking.evolve) }
    for sheet in decision.slots {
      try write(sheet.events, to: sheet.stream, codec: DaySheet.codec)
      sheets[sheet.stream] = sheet.events.reduce(sheets[sheet.stream] ?? DaySheet.initialState, DaySheet.evolve)
    }
    for sheet in decision.equipment {
      try write(sheet.events, to: sheet.stream, codec: EquipmentSheet.codec)
      stock[sheet.stream] = sheet.events.reduce(stock[sheet.stream] ?? EquipmentSheet.initialState, EquipmentSheet.evolve)
    }
    for kind in [Numbering.Kind.permits, .receipts] {
      let events = decision.numbers[kind] ?? []
      let stream = try Numbering.stream(kind, year: FiscalYear(containing: today))
      try write(events, to: stream, codec: Numbering.codec)
      numbers[stream] = events.reduce(numbers[stream] ?? Numbering.initialState, Numbering.evolve)
    }
    let cash = try CashBook.stream(date: today)
    try write(decision.cash, to: cash, codec: CashBook.codec)
    if !decision.cash.isEmpty { cashBooks[cash] = decision.cash.reduce(cashBooks[cash] ?? CashBook.initialState, CashBook.evolve) }
  }

  // MARK: Batches

  private mutating func write<Event>(_ events: [Event], to stream: StreamName, codec: EventCodec<Event>) throws {
    try batch.write(events, to: stream, codec: codec)
  }

  /// Appends what is queued in one atomic append, on the catalogue and closures as they were read.
  mutating func flush(to store: any EventStore) async throws {
    try await batch.flush(to: store, holding: [CatalogueHistory.stream(), Closures.stream()])
  }
}
