import Building
import EventLog
import SharedKernel
import Testing

/// キャンセル待ち: in line for taken time; freed time offered in order, as a 仮予約 with a deadline.
@Suite("Building: the waiting list (キャンセル待ち)")
struct WaitingListTests {
  typealias C = TestCatalogue

  func customer(_ n: Int) -> Customer.Record {
    Customer.Record(id: try! CustomerID("c-\(n)"), profile: CustomerProfile(name: "待ち\(n)", nameKana: "マチ", kind: .circle, tier: .general))
  }

  func request(_ space: String, _ slot: Slot) -> QuoteRequest { QuoteRequest(space: C.id(space), date: C.date("2023-04-20"), slot: slot) }

  /// The whole hall booked on the morning of 2023-04-20.
  func taken() throws -> (sheet: DaySheet.State, booking: Booking.Record) {
    let made = try Booking.request(
      NewBooking(id: try BookingID("b-hall"), request: request("hall", .morning), customer: C.customer(), purpose: nil, attendees: nil, provisional: false),
      C.context(today: "2023-04-01"), sheet: .init(), equipment: .init(), permits: 0)
    return (made.slots.flatMap(\.events).reduce(DaySheet.initialState, DaySheet.evolve), made.booking.reduce(nil, Booking.evolve)!)
  }

  @Test("only taken time can be waited for, once per customer; places are numbered in line")
  func join() throws {
    let (sheet, _) = try taken()
    let context = C.context(today: "2023-04-01")
    var list = WaitingList.initialState
    #expect(throws: BuildingError.self) {
      try WaitingList.join(customer: customer(1), request: request("hall", .afternoon), purpose: nil, attendees: nil, context, sheet: sheet, list)
    }
    for (n, space) in [(1, "hall-east"), (2, "hall"), (3, "hall-west")] {
      list = try WaitingList.join(customer: customer(n), request: request(space, .morning), purpose: nil, attendees: nil, context, sheet: sheet, list)
        .reduce(list, WaitingList.evolve)
    }
    #expect(list.entries.map(\.id.rawValue) == ["hall-20230420-1", "hall-20230420-2", "hall-20230420-3"])
    #expect(throws: BuildingError.self) {
      try WaitingList.join(customer: customer(1), request: request("hall-east", .morning), purpose: nil, attendees: nil, context, sheet: sheet, list)
    }
  }

  @Test("freed time goes to each waiting customer in line whose request now fits; each offer holds its time for the next")
  func offers() throws {
    let (sheet, booking) = try taken()
    let context = C.context(today: "2023-04-01")
    var list = WaitingList.initialState
    for (n, space) in [(1, "hall-east"), (2, "hall"), (3, "hall-west"), (4, "hall-a")] {
      list = try WaitingList.join(customer: customer(n), request: request(space, .morning), purpose: "講演会", attendees: 40, context, sheet: sheet, list)
        .reduce(list, WaitingList.evolve)
    }
    list = try WaitingList.leave(try WaitlistEntryID("hall-20230420-3"), reason: "別会場に決定", context, list).reduce(list, WaitingList.evolve)
    // The hall's booking is cancelled on 2023-04-12.
    let today = C.context(today: "2023-04-12")
    let cancelled = try Booking.cancel(booking, reason: "中止", waiver: nil, refundBy: nil, today, sheet: sheet, equipment: .init(), cashBook: .init())
    let freed = cancelled.slots.flatMap(\.events).reduce(sheet, DaySheet.evolve)
    let customers = Dictionary(uniqueKeysWithValues: (1...4).map { (customer($0).id, customer($0)) })
    let offers = WaitingList.offer(list, sheet: freed, customers: customers, today)
    // 1 (east half) fits; 2 (whole hall) no longer does; 3 left; 4 (third A, inside the east half) does not either.
    #expect(offers.bookings.map(\.id.rawValue) == ["wl-hall-20230420-1"])
    guard case .offered(let offer)? = offers.list.first, case .requested(let made)? = offers.bookings.first?.decision.booking.first else {
      Issue.record("no offer")
      return
    }
    #expect(offer.deadline == C.date("2023-04-14") && made.status == .provisional && made.deadline == C.date("2023-04-14"))
    // When that offer lapses, the next in line who fits is offered.
    let after = offers.list.reduce(list, WaitingList.evolve)
    let held = offers.bookings.flatMap { $0.decision.slots.flatMap(\.events) }.reduce(freed, DaySheet.evolve)
    let lapsed = try Booking.lapse(
      offers.bookings[0].decision.booking.reduce(nil, Booking.evolve), C.context(today: "2023-04-15"), sheet: held, equipment: .init())
    let next = WaitingList.offer(after, sheet: lapsed.slots.flatMap(\.events).reduce(held, DaySheet.evolve), customers: customers, C.context(today: "2023-04-15"))
    #expect(next.bookings.map(\.id.rawValue) == ["wl-hall-20230420-2"])
  }
}
