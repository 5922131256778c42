import Building
import BuildingReadModels
import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// The letting operations: the office and car-park registers, office leases, monthly parking
/// contracts, their invoices and payments, and the visitor car park. Each loads the streams its
/// decision needs into a ``Transaction`` (the contract, the premises' calendars, the year's
/// invoice numbers, the day's visitor stream), asks the Building context to decide, and queues
/// the events for one append. The time comes from `now`.
struct Letting: Sendable {
  let store: any EventStore
  let now: @Sendable () -> Date

  var decisions: Decisions { Decisions(store: store) }

  func context() throws -> LettingContext {
    let at = now()
    return LettingContext(today: try LocalDate(japanTimeOf: at), at: at)
  }

  // MARK: Streams

  func offices(_ t: Transaction) async throws -> OfficeRegister.State {
    try await t.load(OfficeRegister.stream(), codec: OfficeRegister.codec, initial: OfficeRegister.initialState, evolve: OfficeRegister.evolve)
  }

  func carPark(_ t: Transaction) async throws -> CarParkRegister.State {
    try await t.load(CarParkRegister.stream(), codec: CarParkRegister.codec, initial: CarParkRegister.initialState, evolve: CarParkRegister.evolve)
  }

  func calendar(_ stream: StreamName, _ t: Transaction) async throws -> PremisesCalendar.State {
    try await t.load(stream, codec: PremisesCalendar.codec, initial: PremisesCalendar.initialState, evolve: PremisesCalendar.evolve)
  }

  /// The calendars of a lease's units (only those the register knows: the others are refused by the decision).
  func calendars(_ units: [OfficeUnitID], register: OfficeRegister.State, _ t: Transaction) async throws -> [OfficeUnitID: PremisesCalendar.State] {
    var calendars: [OfficeUnitID: PremisesCalendar.State] = [:]
    for unit in units where register.latest(unit.rawValue) != nil { calendars[unit] = try await calendar(PremisesCalendar.stream(unit), t) }
    return calendars
  }

  func numbers(_ today: LocalDate, _ t: Transaction) async throws -> InvoiceNumbers.State {
    try await t.load(
      InvoiceNumbers.stream(year: FiscalYear(containing: today)), codec: InvoiceNumbers.codec, initial: InvoiceNumbers.initialState,
      evolve: InvoiceNumbers.evolve)
  }

  func lease(_ id: LeaseID, _ t: Transaction) async throws -> Lease.Record {
    guard let record = try await t.load(Lease.stream(id), codec: Lease.codec, initial: Lease.initialState, evolve: Lease.evolve) else {
      throw Problem(.notFound, BuildingError.unknownContract(id.rawValue).description)
    }
    return record
  }

  func parking(_ id: ParkingContractID, _ t: Transaction) async throws -> ParkingContract.Record {
    guard
      let record = try await t.load(
        ParkingContract.stream(id), codec: ParkingContract.codec, initial: ParkingContract.initialState, evolve: ParkingContract.evolve)
    else { throw Problem(.notFound, BuildingError.unknownContract(id.rawValue).description) }
    return record
  }

  func day(_ date: LocalDate, _ t: Transaction) async throws -> VisitorDay.State {
    try await t.load(VisitorDay.stream(date: date), codec: VisitorDay.codec, initial: VisitorDay.initialState, evolve: VisitorDay.evolve)
  }

  /// The contract an invoice was issued for, as the year's invoice numbers in the log record it
  /// (so an invoice just issued is payable at once, whatever the read model has seen); nil when
  /// no such number was issued.
  func invoiceAccount(_ number: String, _ t: Transaction) async throws -> String? {
    guard let year = InvoiceNumbers.year(of: number) else { return nil }
    let accounts = try await t.load(InvoiceNumbers.stream(year: year), codec: InvoiceNumbers.codec, initial: [:], evolve: InvoiceNumbers.accounts)
    return accounts[number]
  }

  /// Whether `account` is an office lease (else a parking contract), as the log has it.
  func isLease(_ account: String, _ t: Transaction) async throws -> Bool {
    guard let id = try? LeaseID(account), let stream = try? Lease.stream(id) else { return false }
    return try await t.load(stream, codec: Lease.codec, initial: Lease.initialState, evolve: Lease.evolve) != nil
  }

  /// A booking named in a body: 422 naming the field when there is none.
  func booking(_ id: BookingID, field: String = "booking", notFound: Bool = false, _ t: Transaction) async throws -> Booking.Record {
    guard let record = try await t.load(Booking.stream(id), codec: Booking.codec, initial: Booking.initialState, evolve: Booking.evolve) else {
      throw Problem(notFound ? .notFound : .validationFailed, BuildingError.unknownBooking(id).description, field: field)
    }
    return record
  }

  /// Queues a letting decision on each of its streams (all read before deciding).
  func queue<Event>(_ decision: TenancyDecision<Event>, to stream: StreamName, codec: EventCodec<Event>, today: LocalDate, _ t: Transaction) throws {
    try t.write(decision.events, to: stream, codec: codec)
    for sheet in decision.premises { try t.write(sheet.events, to: sheet.stream, codec: PremisesCalendar.codec) }
    try t.write(decision.numbers, to: InvoiceNumbers.stream(year: FiscalYear(containing: today)), codec: InvoiceNumbers.codec)
  }

  // MARK: Registers

  func registerUnit(_ unit: OfficeUnit, from: LocalDate, change: Bool, _ t: Transaction) async throws -> Outcome<UnitAnswer> {
    let stream = try OfficeRegister.stream()
    let state = try await offices(t)
    let command: OfficeRegister.Command = change ? .change(unit, from: from, at: now()) : .register(unit, from: from, at: now())
    let events = try OfficeRegister.decide(command, state)
    try t.write(events, to: stream, codec: OfficeRegister.codec)
    let after = events.reduce(state, OfficeRegister.evolve)
    guard let latest = after.latest(unit.id.rawValue) else { throw Problem(.notFound, BuildingError.unknownPremises(unit.id.rawValue).description) }
    return Outcome(stream: stream, status: change ? .ok : .created, body: UnitAnswer(latest.value, from: latest.from))
  }

  func registerSpace(_ space: ParkingSpace, from: LocalDate, change: Bool, _ t: Transaction) async throws -> Outcome<SpaceAnswer> {
    let stream = try CarParkRegister.stream()
    let state = try await carPark(t)
    let command: CarParkRegister.Command = change ? .change(space, from: from, at: now()) : .register(space, from: from, at: now())
    let events = try CarParkRegister.decide(command, state)
    try t.write(events, to: stream, codec: CarParkRegister.codec)
    guard let latest = events.reduce(state, CarParkRegister.evolve).spaces.latest(space.id.rawValue) else {
      throw Problem(.notFound, BuildingError.unknownPremises(space.id.rawValue).description)
    }
    return Outcome(stream: stream, status: change ? .ok : .created, body: SpaceAnswer(latest.value, from: latest.from))
  }

  func setTariff(_ tariff: VisitorTariff, from: LocalDate, _ t: Transaction) async throws -> Outcome<TariffAnswer> {
    let stream = try CarParkRegister.stream()
    let state = try await carPark(t)
    let events = try CarParkRegister.decide(.setTariff(tariff, from: from, at: now()), state)
    try t.write(events, to: stream, codec: CarParkRegister.codec)
    let after = events.reduce(state, CarParkRegister.evolve)
    return Outcome(stream: stream, status: .ok, body: TariffAnswer(from: from, tariff: after.tariff(on: from) ?? tariff))
  }

  // MARK: Leases

  func sign(_ new: NewLease, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    let context = try context()
    let stream = try Lease.stream(new.id)
    let state = try await t.load(stream, codec: Lease.codec, initial: Lease.initialState, evolve: Lease.evolve)
    let register = try await offices(t)
    let calendars = try await calendars(new.units, register: register, t)
    let decision = try Lease.sign(new, context, register: register, calendars: calendars, state)
    return try finish(decision, state, stream: stream, context, status: .created, t)
  }

  /// A change of a signed lease: `make` decides over its record, its units' calendars and the context.
  func change(
    _ id: LeaseID, numbers wanted: Bool = false, _ t: Transaction,
    _ make: (Lease.Record, [OfficeUnitID: PremisesCalendar.State], InvoiceNumbers.State, LettingContext) throws(BuildingError) -> Lease.Decision
  ) async throws -> Outcome<ContractAnswer> {
    let context = try context()
    let record = try await lease(id, t)
    let calendars = wanted ? [:] : try await self.calendars(record.units, register: try await offices(t), t)
    let numbers = wanted ? try await self.numbers(context.today, t) : 0
    let decision = try make(record, calendars, numbers, context)
    return try finish(decision, record, stream: try Lease.stream(id), context, status: .ok, t)
  }

  /// A lease decision that writes only the lease's own stream.
  func leaseEvents(
    _ id: LeaseID, _ t: Transaction, _ make: (Lease.Record, LettingContext) throws(BuildingError) -> [Lease.Event]
  ) async throws -> Outcome<ContractAnswer> {
    let context = try context()
    let record = try await lease(id, t)
    var decision = Lease.Decision()
    decision.events = try make(record, context)
    return try finish(decision, record, stream: try Lease.stream(id), context, status: .ok, t)
  }

  private func finish(
    _ decision: Lease.Decision, _ state: Lease.State, stream: StreamName, _ context: LettingContext, status: HTTPResponse.Status, _ t: Transaction
  ) throws -> Outcome<ContractAnswer> {
    try queue(decision, to: stream, codec: Lease.codec, today: context.today, t)
    guard let after = decision.events.reduce(state, Lease.evolve) else { throw Problem(.internalError, "the lease decided nothing") }
    return Outcome(stream: stream, status: status, body: ContractAnswer(after, events: decision.events))
  }

  // MARK: Parking contracts

  func contract(_ new: NewParkingContract, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    let context = try context()
    let stream = try ParkingContract.stream(new.id)
    let state = try await t.load(stream, codec: ParkingContract.codec, initial: ParkingContract.initialState, evolve: ParkingContract.evolve)
    let register = try await carPark(t)
    let calendar = register.spaces.latest(new.space.rawValue) == nil ? PremisesCalendar.initialState : try await calendar(PremisesCalendar.stream(new.space), t)
    let decision = try ParkingContract.contract(new, context, register: register, calendar: calendar, state)
    return try finish(decision, state, stream: stream, context, status: .created, t)
  }

  /// A change of a signed parking contract: `make` decides over its record, its space's calendar (or the invoice numbers) and the context.
  func change(
    _ id: ParkingContractID, numbers wanted: Bool = false, _ t: Transaction,
    _ make: (ParkingContract.Record, PremisesCalendar.State, InvoiceNumbers.State, LettingContext) throws(BuildingError) -> ParkingContract.Decision
  ) async throws -> Outcome<ContractAnswer> {
    let context = try context()
    let record = try await parking(id, t)
    let calendar = wanted ? PremisesCalendar.initialState : try await self.calendar(PremisesCalendar.stream(record.space), t)
    let numbers = wanted ? try await self.numbers(context.today, t) : 0
    let decision = try make(record, calendar, numbers, context)
    return try finish(decision, record, stream: try ParkingContract.stream(id), context, status: .ok, t)
  }

  func parkingPayment(
    _ id: ParkingContractID, amount: Yen, method: Ledger.Method, invoice: String?, on: LocalDate?, _ t: Transaction
  ) async throws -> Outcome<ContractAnswer> {
    let context = try context()
    let record = try await parking(id, t)
    var decision = ParkingContract.Decision()
    decision.events = try ParkingContract.pay(record, amount: amount, method: method, invoice: invoice, on: on, context)
    return try finish(decision, record, stream: try ParkingContract.stream(id), context, status: .ok, t)
  }

  private func finish(
    _ decision: ParkingContract.Decision, _ state: ParkingContract.State, stream: StreamName, _ context: LettingContext, status: HTTPResponse.Status,
    _ t: Transaction
  ) throws -> Outcome<ContractAnswer> {
    try queue(decision, to: stream, codec: ParkingContract.codec, today: context.today, t)
    guard let after = decision.events.reduce(state, ParkingContract.evolve) else { throw Problem(.internalError, "the contract decided nothing") }
    return Outcome(stream: stream, status: status, body: ContractAnswer(after, events: decision.events))
  }

  // MARK: Visitors

  func enter(plate: String?, hold: BookingID?, _ t: Transaction) async throws -> Outcome<VisitorAnswer> {
    let context = try context()
    let register = try await carPark(t)
    let state = try await day(context.today, t)
    let events = try VisitorDay.enter(plate: plate, hold: hold, context, register: register, state)
    let stream = try VisitorDay.stream(date: context.today)
    try t.write(events, to: stream, codec: VisitorDay.codec)
    guard case .entered(let e)? = events.first, let session = events.reduce(state, VisitorDay.evolve).session(e.ticket) else {
      throw Problem(.internalError, "the entry decided nothing")
    }
    return Outcome(stream: stream, status: .created, body: VisitorAnswer(session))
  }

  /// The day a ticket belongs to (`20221015-0001`): 404 for one that cannot be a ticket.
  func ticketDate(_ ticket: String) throws -> LocalDate {
    let digits = ticket.prefix(8)
    guard digits.count == 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits),
      let date = try? LocalDate(year: number / 10_000, month: number / 100 % 100, day: number % 100)
    else { throw Problem(.notFound, BuildingError.unknownTicket(ticket).description) }
    return date
  }

  func validate(ticket: String, booking id: BookingID, _ t: Transaction) async throws -> Outcome<VisitorAnswer> {
    let context = try context()
    let date = try ticketDate(ticket)
    let register = try await carPark(t)
    let state = try await day(date, t)
    let booking = try await booking(id, t)
    let events = try VisitorDay.validate(ticket: ticket, booking: booking, context, register: register, state)
    return try finishVisitor(events, state, date: date, ticket: ticket, t)
  }

  func exit(ticket: String, _ t: Transaction) async throws -> Outcome<VisitorAnswer> {
    let context = try context()
    let date = try ticketDate(ticket)
    let register = try await carPark(t)
    let state = try await day(date, t)
    let events = try VisitorDay.exit(ticket: ticket, context, register: register, state)
    return try finishVisitor(events, state, date: date, ticket: ticket, t)
  }

  private func finishVisitor(_ events: [VisitorDay.Event], _ state: VisitorDay.State, date: LocalDate, ticket: String, _ t: Transaction) throws -> Outcome<VisitorAnswer> {
    let stream = try VisitorDay.stream(date: date)
    try t.write(events, to: stream, codec: VisitorDay.codec)
    guard let session = events.reduce(state, VisitorDay.evolve).session(ticket) else { throw Problem(.notFound, BuildingError.unknownTicket(ticket).description) }
    return Outcome(stream: stream, status: .ok, body: VisitorAnswer(session))
  }

  func holdGuestSpaces(for id: BookingID, spaces: Int, note: String?, _ t: Transaction) async throws -> Outcome<GuestHoldAnswer> {
    let context = try context()
    let booking = try await booking(id, t)
    let date = booking.details.request.date
    let register = try await carPark(t)
    let state = try await day(date, t)
    let events = try VisitorDay.holdGuestSpaces(for: booking, spaces: spaces, note: note, context, register: register, state)
    let stream = try VisitorDay.stream(date: date)
    try t.write(events, to: stream, codec: VisitorDay.codec)
    let after = events.reduce(state, VisitorDay.evolve)
    return Outcome(
      stream: stream, status: .ok,
      body: GuestHoldAnswer(date: date, booking: id.rawValue, spaces: after.hold(for: id)?.spaces ?? 0, occupancy: VisitorSpacesAnswer(after.occupancy(spaces: register.visitorSpaces(on: date)))))
  }

  func releaseGuestSpaces(for id: BookingID, _ t: Transaction) async throws -> Outcome<GuestHoldAnswer> {
    let context = try context()
    let booking = try await booking(id, notFound: true, t)
    let date = booking.details.request.date
    let register = try await carPark(t)
    let state = try await day(date, t)
    let events = try VisitorDay.releaseGuestSpaces(for: id, date: date, context, state)
    let stream = try VisitorDay.stream(date: date)
    try t.write(events, to: stream, codec: VisitorDay.codec)
    let after = events.reduce(state, VisitorDay.evolve)
    return Outcome(
      stream: stream, status: .ok, body: GuestHoldAnswer(date: date, booking: id.rawValue, spaces: 0, occupancy: VisitorSpacesAnswer(after.occupancy(spaces: register.visitorSpaces(on: date)))))
  }
}

// MARK: - Answers

/// An office unit as a write answers it.
struct UnitAnswer: Codable, Sendable {
  var id: String
  var floor: Int
  var floorName: String
  var name: String
  var areaHundredths: Int64
  var squareMetres: String
  var tsubo: String
  var leasable: Bool
  var note: String?
  var from: LocalDate

  init(_ unit: OfficeUnit, from: LocalDate) {
    id = unit.id.rawValue
    floor = unit.floor
    floorName = unit.floorName
    name = unit.name
    areaHundredths = unit.area.hundredths
    squareMetres = unit.area.squareMetresText
    tsubo = unit.area.tsuboText
    leasable = unit.leasable
    note = unit.note
    self.from = from
  }
}

/// A parking space as a write answers it.
struct SpaceAnswer: Codable, Sendable {
  var id: String
  var label: String
  var kind: ParkingKind
  var size: ParkingSize
  var from: LocalDate

  init(_ space: ParkingSpace, from: LocalDate) {
    id = space.id.rawValue
    label = space.label
    kind = space.kind
    size = space.size
    self.from = from
  }
}

/// The visitor tariff in force from a day.
struct TariffAnswer: Codable, Sendable {
  var from: LocalDate
  var tariff: VisitorTariff
}

/// An invoice as a lease's or contract's answer lists it.
struct InvoiceAnswer: Codable, Sendable {
  var number: String
  var month: YearMonth
  var from: LocalDate
  var through: LocalDate
  var subtotalYen: Yen
  var taxYen: Yen
  var totalYen: Yen
  var paidYen: Yen
  var balanceYen: Yen
  var due: LocalDate
  var issuedOn: LocalDate
}

/// A lease or a parking contract as a write answers it, with what that write did: the invoice
/// issued, the payment applied, the deposit settled.
struct ContractAnswer: Codable, Sendable {
  /// A payment and the invoices it paid.
  struct Payment: Codable, Sendable {
    var amountYen: Yen
    var method: Ledger.Method
    var on: LocalDate
    var allocations: [Allocation]
  }
  /// Part of a payment applied to one invoice.
  struct Allocation: Codable, Sendable {
    var invoice: String
    var amountYen: Yen
  }

  var id: String
  var kind: Ledger.Kind
  var party: String
  var premises: [String]
  var start: LocalDate
  var termEnd: LocalDate
  var renewalMonths: Int?
  var through: LocalDate?
  var notice: NoticeOfTermination?
  var termination: Termination?
  var areaHundredths: Int64?
  var depositRequiredYen: Yen?
  var depositHeldYen: Yen?
  var depositSettlement: Lease.DepositSettled?
  var vehicle: String?
  var invoices: [InvoiceAnswer]
  var owedYen: Yen
  /// The invoice this write issued.
  var invoice: InvoiceAnswer?
  /// The payment this write recorded.
  var payment: Payment?

  init(_ tenancy: Tenancy, premises: [String], tenancyEvents: [Tenancy.Event]) {
    id = tenancy.contract
    kind = tenancy.kind
    party = tenancy.party.name
    self.premises = premises
    start = tenancy.start
    termEnd = tenancy.termEnd
    renewalMonths = tenancy.renewalMonths
    through = tenancy.through
    notice = tenancy.notice
    termination = tenancy.termination
    let ledger = tenancy.ledger
    let answers = ledger.invoices.map { i in
      InvoiceAnswer(
        number: i.number, month: i.month, from: i.from, through: i.through, subtotalYen: i.subtotal, taxYen: i.tax, totalYen: i.total,
        paidYen: ledger.paid(i.number), balanceYen: ledger.balance(of: i), due: i.due, issuedOn: i.issuedOn)
    }
    invoices = answers
    owedYen = ledger.owed()
    for event in tenancyEvents {
      switch event {
      case .ledger(.invoiced(let e)): invoice = answers.first { $0.number == e.invoice.number }
      case .ledger(.paid(let e)):
        payment = Payment(
          amountYen: e.amount, method: e.method, on: e.on, allocations: e.allocations.map { Allocation(invoice: $0.invoice, amountYen: $0.amount) })
      default: break
      }
    }
  }

  init(_ record: Lease.Record, events: [Lease.Event]) {
    self.init(
      record.tenancy, premises: record.units.map(\.rawValue),
      tenancyEvents: events.compactMap { if case .tenancy(let e) = $0 { e } else { nil } })
    areaHundredths = record.area.hundredths
    depositRequiredYen = record.depositRequired
    depositHeldYen = record.depositHeld
    depositSettlement = record.depositSettlement
  }

  init(_ record: ParkingContract.Record, events: [ParkingContract.Event]) {
    self.init(
      record.tenancy, premises: [record.space.rawValue], tenancyEvents: events.compactMap { if case .tenancy(let e) = $0 { e } else { nil } })
    vehicle = record.vehicle
  }
}

/// A visitor's stay as a write answers it; after the exit, the fee to pay (税込) and the tax it includes.
struct VisitorAnswer: Codable, Sendable {
  var ticket: String
  var date: LocalDate
  var plate: String?
  var hold: String?
  var enteredAt: String
  var validatedBooking: String?
  var freeMinutes: Int
  var exitedAt: String?
  var parkedMinutes: Int64?
  var feeYen: Yen?
  var taxYen: Yen?

  init(_ session: VisitorDay.Session) {
    ticket = session.ticket
    date = session.date
    plate = session.plate
    hold = session.hold?.rawValue
    enteredAt = session.entered.description
    validatedBooking = session.validated?.booking.rawValue
    freeMinutes = session.exited?.freeMinutes ?? session.validated?.freeMinutes ?? 0
    exitedAt = session.exited?.at.description
    parkedMinutes = session.exited.map { $0.parkedSeconds / 60 }
    feeYen = session.exited?.fee
    taxYen = session.exited?.tax
  }
}

/// A booking's guest spaces after a hold or its release, and the day's visitor spaces then.
struct GuestHoldAnswer: Codable, Sendable {
  var date: LocalDate
  var booking: String
  var spaces: Int
  var occupancy: VisitorSpacesAnswer
}

/// The visitor spaces of a day: in the car park, parked, held for guests, used under holds, free.
struct VisitorSpacesAnswer: Codable, Sendable {
  var spaces: Int
  var parked: Int
  var held: Int
  var heldInUse: Int
  var free: Int

  init(_ occupancy: VisitorDay.Occupancy) {
    spaces = occupancy.spaces
    parked = occupancy.parked
    held = occupancy.held
    heldInUse = occupancy.heldInUse
    free = occupancy.free
  }
}
