import Building
import BuildingReadModels
import EventLog
import Foundation
import ServiceKit
import SharedKernel

/// The front desk's operations: each loads the streams its decision needs into a
/// ``Transaction``, asks the Building context to decide, and queues the events for one append.
/// The time comes from `now` (Japan's date derived with the fixed +09:00 offset).
struct Desk: Sendable {
  let store: any EventStore
  let now: @Sendable () -> Date

  var decisions: Decisions { Decisions(store: store) }

  /// The catalogue, closures and lottery rounds in force (each becomes a condition of the append), and the time.
  func context(_ t: Transaction) async throws -> DeskContext {
    let catalogue = try await t.load(
      CatalogueHistory.stream(), codec: CatalogueHistory.codec, initial: CatalogueHistory.initialState, evolve: CatalogueHistory.evolve)
    let closures = try await t.load(Closures.stream(), codec: Closures.codec, initial: Closures.initialState, evolve: Closures.evolve)
    let lotteries = try await t.load(LotteryIndex.stream(), codec: LotteryIndex.codec, initial: LotteryIndex.initialState, evolve: LotteryIndex.evolve)
    let at = now()
    return DeskContext(catalogue: catalogue, closures: closures, lotteries: lotteries, today: try LocalDate(japanTimeOf: at), at: at)
  }

  func booking(_ id: BookingID, in t: Transaction) async throws -> Booking.Record {
    guard let record = try await t.load(Booking.stream(id), codec: Booking.codec, initial: Booking.initialState, evolve: Booking.evolve) else {
      throw Problem(.notFound, BuildingError.unknownBooking(id).description)
    }
    return record
  }

  func daySheet(_ stream: StreamName, in t: Transaction) async throws -> DaySheet.State {
    try await t.load(stream, codec: DaySheet.codec, initial: DaySheet.initialState, evolve: DaySheet.evolve)
  }

  /// The equipment sheet of `date`, read only when the booking uses equipment (reading it
  /// would also make it a condition of the append).
  func equipmentSheet(_ date: LocalDate, for items: [EquipmentLine], in t: Transaction) async throws -> EquipmentSheet.State {
    guard !items.isEmpty else { return EquipmentSheet.initialState }
    return try await t.load(EquipmentSheet.stream(date: date), codec: EquipmentSheet.codec, initial: EquipmentSheet.initialState, evolve: EquipmentSheet.evolve)
  }

  func numbers(_ kind: Numbering.Kind, _ today: LocalDate, in t: Transaction) async throws -> Numbering.State {
    try await t.load(
      Numbering.stream(kind, year: FiscalYear(containing: today)), codec: Numbering.codec, initial: Numbering.initialState, evolve: Numbering.evolve)
  }

  func cashBook(_ date: LocalDate, in t: Transaction) async throws -> CashBook.State {
    try await t.load(CashBook.stream(date: date), codec: CashBook.codec, initial: CashBook.initialState, evolve: CashBook.evolve)
  }

  func customer(_ id: CustomerID, in t: Transaction) async throws -> Customer.Record? {
    try await t.load(Customer.stream(id), codec: Customer.codec, initial: Customer.initialState, evolve: Customer.evolve)
  }

  /// Queues a decision's events on each of its streams (all read before deciding).
  func queue(_ decision: BookingDecision, booking: BookingID, today: LocalDate, in t: Transaction) throws {
    try t.write(decision.booking, to: Booking.stream(booking), codec: Booking.codec)
    for sheet in decision.slots { try t.write(sheet.events, to: sheet.stream, codec: DaySheet.codec) }
    for sheet in decision.equipment { try t.write(sheet.events, to: sheet.stream, codec: EquipmentSheet.codec) }
    for kind in [Numbering.Kind.permits, .receipts] {
      try t.write(decision.numbers[kind] ?? [], to: Numbering.stream(kind, year: FiscalYear(containing: today)), codec: Numbering.codec)
    }
    try t.write(decision.cash, to: CashBook.stream(date: today), codec: CashBook.codec)
  }

  // MARK: - Bookings

  /// A new booking; a caller not yet registered is registered in the same append.
  func book(_ new: NewBooking, registering customer: Customer.Registered?, in t: Transaction) async throws -> Outcome<BookingAnswer> {
    let context = try await self.context(t)
    let (_, catalogue) = try context.current()
    if let customer {
      let stream = try Customer.stream(customer.customer)
      guard try await self.customer(customer.customer, in: t) == nil else { throw Problem(.conflict, BuildingError.customerExists(customer.customer).description) }
      try t.write([Customer.Event.registered(customer)], to: stream, codec: Customer.codec)
    }
    let sheet = try await daySheet(try Booking.sheets(for: new.request, in: catalogue).slots, in: t)
    let stock = try await equipmentSheet(new.request.date, for: new.request.equipment, in: t)
    let permits = new.provisional ? 0 : try await numbers(.permits, context.today, in: t)
    _ = try await t.load(Booking.stream(new.id), codec: Booking.codec, initial: Booking.initialState, evolve: Booking.evolve)
    let decision = try Booking.request(new, context, sheet: sheet, equipment: stock, permits: permits)
    try queue(decision, booking: new.id, today: context.today, in: t)
    return Outcome(stream: try Booking.stream(new.id), status: .created, body: BookingAnswer(decision.booking.reduce(nil, Booking.evolve)))
  }

  func confirm(_ id: BookingID, in t: Transaction) async throws -> Outcome<BookingAnswer> {
    let context = try await self.context(t)
    let record = try await booking(id, in: t)
    let decision = try Booking.confirm(record, context, permits: try await numbers(.permits, context.today, in: t))
    return try await finish(decision, record, context, in: t)
  }

  func pay(_ id: BookingID, amount: Yen, method: PaymentMethod, in t: Transaction) async throws -> Outcome<BookingAnswer> {
    let context = try await self.context(t)
    let record = try await booking(id, in: t)
    let decision = try Booking.pay(
      record, amount: amount, method: method, context, receipts: try await numbers(.receipts, context.today, in: t),
      cashBook: try await cashBook(context.today, in: t))
    return try await finish(decision, record, context, in: t)
  }

  func change(_ id: BookingID, to request: QuoteRequest, in t: Transaction) async throws -> Outcome<BookingAnswer> {
    let context = try await self.context(t)
    let record = try await booking(id, in: t)
    let catalogue = try context.version(record.details.quote.catalogueVersion)
    let old = try Booking.sheets(for: record.details.request, in: catalogue)
    let new = try Booking.sheets(for: request, in: catalogue)
    let oldSheet = try await daySheet(old.slots, in: t)
    let newSheet = new.slots == old.slots ? oldSheet : try await daySheet(new.slots, in: t)
    let sameDay = request.date == record.details.request.date
    let oldStock = try await equipmentSheet(
      record.details.request.date, for: record.details.request.equipment + (sameDay ? request.equipment : []), in: t)
    let newStock = sameDay ? oldStock : try await equipmentSheet(request.date, for: request.equipment, in: t)
    let decision = try Booking.change(record, to: request, context, oldSheet: oldSheet, newSheet: newSheet, oldEquipment: oldStock, newEquipment: newStock)
    return try await finish(decision, record, context, freeing: true, in: t)
  }

  func cancel(_ id: BookingID, reason: String, waiver: Waiver?, refundBy: PaymentMethod?, in t: Transaction) async throws -> Outcome<BookingAnswer> {
    let context = try await self.context(t)
    let record = try await booking(id, in: t)
    let catalogue = try context.version(record.details.quote.catalogueVersion)
    let sheets = try Booking.sheets(for: record.details.request, in: catalogue)
    let decision = try Booking.cancel(
      record, reason: reason, waiver: waiver, refundBy: refundBy, context, sheet: try await daySheet(sheets.slots, in: t),
      equipment: try await equipmentSheet(record.details.request.date, for: record.details.request.equipment, in: t), cashBook: try await cashBook(context.today, in: t))
    return try await finish(decision, record, context, freeing: true, in: t)
  }

  func refund(_ id: BookingID, amount: Yen, method: PaymentMethod, in t: Transaction) async throws -> Outcome<BookingAnswer> {
    let context = try await self.context(t)
    let record = try await booking(id, in: t)
    let decision = try Booking.refund(record, amount: amount, method: method, context, cashBook: try await cashBook(context.today, in: t))
    return try await finish(decision, record, context, in: t)
  }

  func attend(_ id: BookingID, used: Bool, in t: Transaction) async throws -> Outcome<BookingAnswer> {
    let context = try await self.context(t)
    let record = try await booking(id, in: t)
    return try await finish(try Booking.attend(record, used: used, context), record, context, in: t)
  }

  func checkIn(_ id: BookingID, in t: Transaction) async throws -> Outcome<BookingAnswer> {
    let context = try await self.context(t)
    let record = try await booking(id, in: t)
    return try await finish(try Booking.checkIn(record, context), record, context, in: t)
  }

  func lapse(_ id: BookingID, in t: Transaction) async throws -> Outcome<BookingAnswer> {
    let context = try await self.context(t)
    let record = try await booking(id, in: t)
    let catalogue = try context.version(record.details.quote.catalogueVersion)
    let sheets = try Booking.sheets(for: record.details.request, in: catalogue)
    let decision = try Booking.lapse(
      record, context, sheet: try await daySheet(sheets.slots, in: t), equipment: try await equipmentSheet(record.details.request.date, for: record.details.request.equipment, in: t))
    return try await finish(decision, record, context, freeing: true, in: t)
  }

  /// Offers the time a decision frees, in the same append, to the waiting lists beside the
  /// sheets it changes (see ``WaitingList``).
  func offerFreed(by decision: BookingDecision, _ context: DeskContext, in t: Transaction) async throws {
    for sheet in decision.slots {
      let listStream = try WaitingList.stream(besides: sheet.stream)
      let list = try await t.load(listStream, codec: WaitingList.codec, initial: WaitingList.initialState, evolve: WaitingList.evolve)
      guard list.entries.contains(where: \.waiting) else { continue }
      let after = sheet.events.reduce(try await daySheet(sheet.stream, in: t), DaySheet.evolve)
      var customers: [CustomerID: Customer.Record] = [:]
      for entry in list.entries where entry.waiting { customers[entry.customer] = try await customer(entry.customer, in: t) }
      let offers = WaitingList.offer(list, sheet: after, customers: customers, context)
      try t.write(offers.list, to: listStream, codec: WaitingList.codec)
      for (id, offered) in offers.bookings {
        _ = try await t.load(Booking.stream(id), codec: Booking.codec, initial: Booking.initialState, evolve: Booking.evolve)
        try queue(offered, booking: id, today: context.today, in: t)
      }
    }
  }

  private func finish(
    _ decision: BookingDecision, _ record: Booking.Record, _ context: DeskContext, freeing: Bool = false, in t: Transaction
  ) async throws -> Outcome<BookingAnswer> {
    try queue(decision, booking: record.id, today: context.today, in: t)
    if freeing { try await offerFreed(by: decision, context, in: t) }
    let after = decision.booking.reduce(record, Booking.evolve)
    return Outcome(stream: try Booking.stream(record.id), status: .ok, body: BookingAnswer(after, events: decision.booking))
  }

  // MARK: - Customers, closures, the catalogue, the cash close

  func register(_ id: CustomerID, _ profile: CustomerProfile, in t: Transaction) async throws -> Outcome<CustomerAnswer> {
    let stream = try Customer.stream(id)
    let state = try await customer(id, in: t)
    let events = try Customer.decide(.register(id, profile, at: now()), state)
    try t.write(events, to: stream, codec: Customer.codec)
    return Outcome(stream: stream, status: .created, body: CustomerAnswer(events.reduce(state, Customer.evolve)))
  }

  func update(_ id: CustomerID, _ profile: CustomerProfile, in t: Transaction) async throws -> Outcome<CustomerAnswer> {
    let stream = try Customer.stream(id)
    guard let state = try await customer(id, in: t) else { throw Problem(.notFound, BuildingError.unknownCustomer(id).description) }
    let events = try Customer.decide(.update(profile, at: now()), state)
    try t.write(events, to: stream, codec: Customer.codec)
    return Outcome(stream: stream, status: .ok, body: CustomerAnswer(events.reduce(state, Customer.evolve)))
  }

  func declare(_ closure: Closures.Closure, in t: Transaction) async throws -> Outcome<Closures.Closure> {
    let context = try await self.context(t)
    let events = try Closures.decide(.declare(closure, catalogue: try context.current().catalogue, at: context.at), context.closures)
    try t.write(events, to: Closures.stream(), codec: Closures.codec)
    return Outcome(stream: try Closures.stream(), status: .created, body: closure)
  }

  func lift(_ id: String, in t: Transaction) async throws -> Outcome<[String: String]> {
    let context = try await self.context(t)
    let events = try Closures.decide(.lift(id, at: context.at), context.closures)
    try t.write(events, to: Closures.stream(), codec: Closures.codec)
    return Outcome(stream: try Closures.stream(), status: .ok, body: ["lifted": id])
  }

  func publish(_ catalogue: Catalogue, note: String, in t: Transaction) async throws -> Outcome<[String: Int]> {
    let stream = try CatalogueHistory.stream()
    let state = try await t.load(stream, codec: CatalogueHistory.codec, initial: CatalogueHistory.initialState, evolve: CatalogueHistory.evolve)
    let events = try CatalogueHistory.publish(catalogue, note: note, at: now(), state)
    try t.write(events, to: stream, codec: CatalogueHistory.codec)
    return Outcome(stream: stream, status: .ok, body: ["version": events.reduce(state, CatalogueHistory.evolve).versions.count])
  }

  func closeCash(_ date: LocalDate, cashCounted: Yen?, signedBy: String, in t: Transaction) async throws -> Outcome<CashCloseRecord> {
    let at = now()
    let book = try await cashBook(date, in: t)
    let events = try CashBook.close(date, cashCounted: cashCounted, signedBy: signedBy, today: try LocalDate(japanTimeOf: at), at: at, book)
    try t.write(events, to: CashBook.stream(date: date), codec: CashBook.codec)
    guard case .closed(let closed)? = events.first else { throw Problem(.internalError, "the cash close decided nothing") }
    return Outcome(stream: try CashBook.stream(date: date), status: .ok, body: CashCloseRecord(closed))
  }
}

/// A booking as a write answers it.
struct BookingAnswer: Codable, Sendable {
  var id: String
  var status: String
  var space: String
  var date: String
  var slot: String
  var totalYen: Int64
  var taxYen: Int64
  var paidYen: Int64
  var balanceYen: Int64
  var permitNumber: String?
  var deadline: String?
  var lines: [QuoteView.Line]
  /// After a cancellation: the fee charged, what is refunded and what is still owed.
  var cancellation: Cancellation?
  /// After a payment: its receipt number.
  var receiptNumber: String?
  /// After a change: new total − old total.
  var differenceYen: Int64?

  struct Cancellation: Codable, Sendable {
    var daysBefore: Int
    var percent: Int
    var feeYen: Int64
    var refundYen: Int64
    var refundedYen: Int64
    var outstandingYen: Int64
    var waiver: String?
  }

  init(_ record: Booking.Record?, events: [Booking.Event] = []) {
    let record = record
    id = record?.id.rawValue ?? ""
    status = record?.status.rawValue ?? ""
    space = record?.details.request.space.rawValue ?? ""
    date = record?.details.request.date.description ?? ""
    slot = record?.details.request.slot.code ?? ""
    totalYen = record?.details.quote.total.amount ?? 0
    taxYen = record?.details.quote.tax.amount ?? 0
    paidYen = record?.paid.amount ?? 0
    balanceYen = record?.balance.amount ?? 0
    permitNumber = record?.permitNumber
    deadline = record?.deadline?.description
    lines = (record?.details.quote.lines ?? []).map { QuoteView.Line(label: $0.label, amountYen: $0.amount.amount, kind: $0.kind.rawValue) }
    let refunded = events.reduce(Int64(0)) { total, event in
      if case .refunded(let e) = event { return total + e.amount.amount }
      return total
    }
    for event in events {
      switch event {
      case .cancelled(let e):
        cancellation = Cancellation(
          daysBefore: e.daysBefore, percent: e.percent, feeYen: e.fee.amount, refundYen: e.refundDue.amount, refundedYen: refunded,
          outstandingYen: e.outstanding.amount, waiver: e.waiver?.rawValue)
      case .paymentRecorded(let e): receiptNumber = e.receiptNumber
      case .changed(let e): differenceYen = e.difference.amount
      default: break
      }
    }
  }
}

/// A customer as a write answers it.
struct CustomerAnswer: Codable, Sendable {
  var id: String
  var name: String
  var nameKana: String
  var kind: String
  var customerCategory: String
  var phone: String?
  var email: String?

  init(_ record: Customer.Record?) {
    id = record?.id.rawValue ?? ""
    name = record?.profile.name ?? ""
    nameKana = record?.profile.nameKana ?? ""
    kind = record?.profile.kind.rawValue ?? ""
    customerCategory = record?.profile.tier.rawValue ?? ""
    phone = record?.profile.phone
    email = record?.profile.email
  }
}

