import Building
import EventLog
import Foundation
import SharedKernel
import Testing

/// 駐車場: monthly contracts and their invoices, visitors by the hour, free time for bookings,
/// spaces held for guests, and occupancy.
@Suite("Building: the car park")
struct CarParkTests {
  typealias L = TestLetting
  typealias C = TestCatalogue

  /// Three monthly spaces, four visitor spaces, and the tariff: ¥300 per started 30 minutes, at
  /// most ¥2,000 per 24 hours, a booking's hours + 30 minutes free, entries 08:00–22:00.
  static let register: CarParkRegister.State = {
    let at = L.date("2021-01-01").startInJapan
    var commands: [CarParkRegister.Command] = [.setTariff(VisitorTariff(), from: L.date("2021-04-01"), at: at)]
    for n in 1...3 {
      commands.append(.register(ParkingSpace(id: try! ParkingSpaceID("M-0\(n)"), label: "月極\(n)番", kind: .monthly, size: .standard), from: L.date("2021-04-01"), at: at))
    }
    for n in 1...4 {
      commands.append(.register(ParkingSpace(id: try! ParkingSpaceID("V-0\(n)"), label: "来客\(n)番", kind: .visitor, size: .standard), from: L.date("2021-04-01"), at: at))
    }
    var state = CarParkRegister.initialState
    for command in commands { state = try! CarParkRegister.decide(command, state).reduce(state, CarParkRegister.evolve) }
    return state
  }()

  /// A booking of `space` on `date`, confirmed (room A's 午後 is 13:00–17:00: 240 minutes).
  func booking(_ id: String, _ space: String = "room-a", on date: String = "2023-04-20", slot: Slot = .afternoon) throws -> Booking.Record {
    let made = try Booking.request(
      NewBooking(
        id: try BookingID(id), request: QuoteRequest(space: C.id(space), date: C.date(date), slot: slot), customer: C.customer(), purpose: nil,
        attendees: nil, provisional: false), C.context(today: "2023-04-01"), sheet: .init(), equipment: .init(), permits: 0)
    return try #require(made.booking.reduce(nil, Booking.evolve))
  }

  /// One visitor day's stream in memory.
  struct Day {
    var state = VisitorDay.initialState
    let register = CarParkTests.register

    @discardableResult
    mutating func enter(_ time: String, on day: String = "2023-04-20", plate: String? = nil, hold: BookingID? = nil) throws -> String {
      let events = try VisitorDay.enter(plate: plate, hold: hold, L.context(day, time), register: register, state)
      state = events.reduce(state, VisitorDay.evolve)
      guard case .entered(let e)? = events.first else { return "" }
      return e.ticket
    }

    mutating func validate(_ ticket: String, _ booking: Booking.Record, at time: String = "14:00") throws {
      state = try VisitorDay.validate(ticket: ticket, booking: booking, L.context("2023-04-20", time), register: register, state).reduce(state, VisitorDay.evolve)
    }

    mutating func exit(_ ticket: String, at time: String, on day: String = "2023-04-20") throws -> VisitorDay.Exited {
      let events = try VisitorDay.exit(ticket: ticket, L.context(day, time), register: register, state)
      state = events.reduce(state, VisitorDay.evolve)
      guard case .exited(let e)? = events.first else { throw BuildingError.unknownTicket(ticket) }
      return e
    }

    mutating func hold(_ booking: Booking.Record, spaces: Int) throws {
      state = try VisitorDay.holdGuestSpaces(for: booking, spaces: spaces, note: "講演会の来賓", L.context("2023-04-10"), register: register, state)
        .reduce(state, VisitorDay.evolve)
    }
  }

  @Test("a booking of the day validates its hours + 30 minutes free; the rest is paid per started 30 minutes")
  func validatedFreeTime() throws {
    var day = Day()
    let ticket = try day.enter("12:50", plate: "横浜 300 あ 12-34")
    #expect(ticket == "20230420-0001")
    try day.validate(ticket, try booking("b-1"))
    #expect(day.state.session(ticket)?.validated?.freeMinutes == 270)
    // 12:50–17:35 is 285 minutes; 270 are free; 15 minutes started one unit.
    let exit = try day.exit(ticket, at: "17:35")
    #expect(exit.fee == Yen(300) && exit.tax == Yen(27) && exit.parkedSeconds == 285 * 60)
    // Without a validation the same stay is 10 units, ¥3,000, capped at ¥2,000.
    let other = try day.enter("12:50")
    #expect(try day.exit(other, at: "17:35").fee == Yen(2_000))
  }

  @Test("free time is refused for a cancelled booking, a provisional one, another day's, or past the cars a booking validates")
  func validationRefused() throws {
    var day = Day()
    let ticket = try day.enter("09:10")
    var cancelled = try booking("b-1")
    cancelled.status = .cancelled
    #expect(throws: BuildingError.validationRefused(cancelled.id, .cancelled)) { try day.validate(ticket, cancelled) }
    var provisional = try booking("b-1")
    provisional.status = .provisional
    #expect(throws: BuildingError.validationRefused(provisional.id, .provisional)) { try day.validate(ticket, provisional) }
    let tomorrow = try booking("b-2", on: "2023-04-21")
    #expect(throws: BuildingError.validationWrongDay(tomorrow.id, bookingDate: C.date("2023-04-21"), parkingDate: C.date("2023-04-20"))) {
      try day.validate(ticket, tomorrow)
    }
    let booked = try booking("b-3")
    try day.validate(ticket, booked)
    #expect(throws: BuildingError.alreadyValidated(ticket: ticket, booking: booked.id)) { try day.validate(ticket, booked) }
    let second = try day.enter("09:20")
    #expect(throws: BuildingError.validationsUsed(booked.id, limit: 1)) { try day.validate(second, booked) }
    _ = try day.exit(ticket, at: "10:00")
    #expect(throws: BuildingError.ticketClosed(ticket)) { try day.exit(ticket, at: "10:05") }
    #expect(throws: BuildingError.unknownTicket("20230420-0099")) { try day.validate("20230420-0099", booked) }
  }

  @Test("the daily cap applies to each 24 hours from entry; units are started 30 minutes")
  func dailyCap() throws {
    let tariff = VisitorTariff()
    #expect(tariff.fee(parkedSeconds: 30 * 60, freeMinutes: 0) == Yen(300))
    #expect(tariff.fee(parkedSeconds: 30 * 60 + 1, freeMinutes: 0) == Yen(600))
    #expect(tariff.fee(parkedSeconds: 0, freeMinutes: 0) == .zero)
    #expect(tariff.fee(parkedSeconds: 9 * 3600, freeMinutes: 0) == Yen(2_000))
    #expect(tariff.fee(parkedSeconds: 9 * 3600, freeMinutes: 9 * 60) == .zero)
    #expect(tariff.fee(parkedSeconds: 25 * 3600, freeMinutes: 0) == Yen(2_600))
    #expect(tariff.fee(parkedSeconds: 48 * 3600 + 60, freeMinutes: 0) == Yen(4_300))
    #expect(VisitorTariff(dailyCap: nil, graceMinutes: 15).fee(parkedSeconds: 15 * 60, freeMinutes: 0) == .zero)
    #expect(VisitorTariff(dailyCap: nil).fee(parkedSeconds: 9 * 3600, freeMinutes: 0) == Yen(5_400))
    // A car left overnight pays to its exit the next day: 24 hours capped, then 1 hour 50.
    var day = Day()
    let ticket = try day.enter("12:00")
    #expect(try day.exit(ticket, at: "13:50", on: "2023-04-21").fee == Yen(3_200))
  }

  @Test("entries are refused when the spaces not held for guests are all taken; guests park in their hold while it lasts")
  func heldSpaces() throws {
    var day = Day()
    let hall = try booking("b-hall", "hall", slot: .fullDay)
    try day.hold(hall, spaces: 3)
    try day.enter("09:00")
    #expect(throws: BuildingError.carParkFull(date: L.date("2023-04-20"), spaces: 4, held: 3, parked: 1)) { try day.enter("09:05") }
    for minute in ["09:10", "09:11", "09:12"] { try day.enter(minute, hold: hall.id) }
    #expect(throws: BuildingError.guestSpacesFull(hall.id, spaces: 3)) { try day.enter("09:13", hold: hall.id) }
    #expect(day.state.occupancy(spaces: 4) == VisitorDay.Occupancy(spaces: 4, parked: 4, held: 3, heldInUse: 3, free: 0))
    // Guests of the hall validate as many cars as the hold has spaces.
    for ticket in ["20230420-0002", "20230420-0003", "20230420-0004"] { try day.validate(ticket, hall) }
    // A hold takes only what is free of other holds and parked cars, never fewer than its guests.
    #expect(throws: BuildingError.guestSpacesUnavailable(asked: 4, available: 3, inUse: 3)) { try day.hold(hall, spaces: 4) }
    #expect(throws: BuildingError.guestSpacesUnavailable(asked: 2, available: 3, inUse: 3)) { try day.hold(hall, spaces: 2) }
    var cancelled = try booking("b-room")
    cancelled.status = .cancelled
    #expect(throws: BuildingError.wrongStatus(cancelled.id, .cancelled, action: "駐車場を確保する")) { try day.hold(cancelled, spaces: 1) }
    #expect(throws: BuildingError.carParkClosed(opens: "08:00", closes: "22:00")) { try day.enter("07:59") }
    #expect(throws: BuildingError.unknownGuestHold(try BookingID("b-room"), date: L.date("2023-04-20"))) {
      try day.enter("10:00", hold: try BookingID("b-room"))
    }
    // Released, the hold's unused spaces are free again (its guests stay as ordinary visitors).
    _ = try day.exit("20230420-0004", at: "12:00")
    day.state = try VisitorDay.releaseGuestSpaces(for: hall.id, date: L.date("2023-04-20"), L.context("2023-04-20", "12:00"), day.state)
      .reduce(day.state, VisitorDay.evolve)
    #expect(day.state.occupancy(spaces: 4).free == 1)
    try day.enter("12:05", plate: "品川 500 さ 56-78")
    #expect(throws: BuildingError.alreadyParked(plate: "品川 500 さ 56-78", ticket: "20230420-0005")) { try day.enter("12:06", plate: "品川 500 さ 56-78") }
  }

  /// A monthly contract of `space` with a 税込 fee.
  func contract(_ id: String, _ space: String, from start: String, fee: Int64 = 22_000, on today: String? = nil, calendar: PremisesCalendar.State = .init())
    throws -> ParkingContract.Decision
  {
    let terms = TenancyTerms(
      start: L.date(start), end: try L.date(start).adding(years: 1).adding(days: -1), renewalMonths: 12, noticeMonths: 1,
      charges: [MonthlyCharge(label: "駐車料", amount: Yen(fee))], basis: .inclusive)
    let new = NewParkingContract(id: try ParkingContractID(id), contractor: L.party("有限会社みどり運送", kana: "ミドリウンソウ"), space: try ParkingSpaceID(space), vehicle: "横浜 400 か 1-23", terms: terms)
    return try ParkingContract.contract(new, L.context(today ?? start), register: Self.register, calendar: calendar, nil)
  }

  @Test("monthly contracts hold their space, are invoiced pro rata like the leases, paid, noticed and ended")
  func monthlyContracts() throws {
    let signed = try contract("pk-1", "M-01", from: "2022-10-20")
    var record = signed.events.reduce(nil, ParkingContract.evolve)
    let calendar = L.calendars([signed])["M-01"] ?? .init()
    #expect(throws: BuildingError.self) { try contract("pk-2", "M-01", from: "2023-06-01", calendar: calendar) }
    #expect(throws: BuildingError.notLettable("V-01", date: L.date("2022-10-20"), note: "来客用（時間貸し）")) { try contract("pk-2", "V-01", from: "2022-10-20") }
    // October: 12 of 31 days of ¥22,000 税込 = 8,516.1… → 8,516, of which tax 8,516 × 10 ÷ 110 = 774.1… → 774.
    let october = try ParkingContract.invoice(record, month: L.month("2022-10"), L.context("2022-10-20"), numbers: 0)
    record = october.events.reduce(record, ParkingContract.evolve)
    var invoice = try #require(record?.tenancy.ledger.invoices.last)
    #expect([invoice.total, invoice.tax, invoice.subtotal] == [Yen(8_516), Yen(774), Yen(7_742)] && invoice.number == "I2022-00001" && invoice.kind == .parking)
    let november = try ParkingContract.invoice(record, month: L.month("2022-11"), L.context("2022-10-25"), numbers: L.numbers([october]))
    record = november.events.reduce(record, ParkingContract.evolve)
    invoice = try #require(record?.tenancy.ledger.invoices.last)
    #expect([invoice.total, invoice.tax] == [Yen(22_000), Yen(2_000)] && invoice.number == "I2022-00002" && invoice.due == L.date("2022-10-31"))
    record = try ParkingContract.pay(record, amount: Yen(8_516), method: .directDebit, invoice: nil, L.context("2022-10-27")).reduce(record, ParkingContract.evolve)
    #expect(record?.tenancy.ledger.arrears(asOf: L.date("2022-11-05")).map(\.daysOverdue) == [5])
    #expect(throws: BuildingError.paymentExceedsOwed("pk-1", amount: Yen(22_001), owed: Yen(22_000))) {
      try ParkingContract.pay(record, amount: Yen(22_001), method: .transfer, invoice: nil, L.context("2022-11-05"))
    }
    // One month's notice on 10 November allows 10 December; the contractor asks for the year's end.
    #expect(try record?.tenancy.earliestEnd(noticeOn: L.date("2022-11-10")) == L.date("2022-12-10"))
    let notice = try ParkingContract.giveNotice(record, end: L.date("2022-12-31"), L.context("2022-11-10"), calendar: calendar)
    record = notice.events.reduce(record, ParkingContract.evolve)
    let freed = L.calendars([notice], into: ["M-01": calendar])["M-01"] ?? .init()
    #expect(freed.holds["pk-1"]?.through == L.date("2022-12-31"))
    #expect(throws: BuildingError.notLetInMonth("pk-1", month: L.month("2023-01"))) {
      try ParkingContract.invoice(record, month: L.month("2023-01"), L.context("2022-12-20"), numbers: 2)
    }
    _ = try contract("pk-2", "M-01", from: "2023-01-01", on: "2022-12-01", calendar: freed)
  }

  @Test("car-park occupancy: monthly spaces at each month end, visitor spaces parked, held and free now")
  func occupancy() throws {
    var contracts: [ParkingContract.Record] = []
    for (id, space, start) in [("pk-1", "M-01", "2022-04-01"), ("pk-2", "M-02", "2022-10-20")] {
      if let record = try contract(id, space, from: start).events.reduce(nil, ParkingContract.evolve) { contracts.append(record) }
    }
    let months = CarParkOccupancy.monthEnds(of: try FiscalYear(2022), register: Self.register, contracts: contracts)
    #expect(months.map(\.occupied) == [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2] && months.allSatisfy { $0.lettable == 3 })
    #expect(months[0].rateText == "33.33%" && months[6].vacantPremises == ["M-03"])
    var day = Day()
    try day.hold(try booking("b-hall", "hall", slot: .fullDay), spaces: 2)
    try day.enter("09:00")
    let now = CarParkOccupancy.now(L.context("2023-04-20", "09:30"), register: Self.register, contracts: contracts, visitors: day.state)
    #expect(now.monthly.occupied == 2 && now.visitors == VisitorDay.Occupancy(spaces: 4, parked: 1, held: 2, heldInUse: 0, free: 1))
    let second = try day.enter("10:00")
    _ = try day.exit(second, at: "11:00")
    #expect([L.context("2023-04-20", "08:59").at, L.context("2023-04-20", "10:30").at, L.context("2023-04-20", "11:00").at].map(day.state.parked(at:)) == [0, 2, 1])
    #expect(day.state.takings == Yen(600))
  }
}
