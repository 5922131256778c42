@testable import Building
import EventLog
import SharedKernel
import Testing

/// Given the streams' events, when a desk decides, then these events or this error.
@Suite("Building: bookings from request to use")
struct BookingTests {
  typealias C = TestCatalogue

  func request(_ space: String, _ date: String, _ slot: String, overtime: Int = 0, equipment: [EquipmentLine] = [], tier: CustomerTier = .general) throws -> QuoteRequest {
    QuoteRequest(space: C.id(space), date: C.date(date), slot: try Slot(code: slot), tier: tier, equipment: equipment, overtimeMinutes: overtime)
  }

  func new(_ id: String, _ request: QuoteRequest, provisional: Bool = false, attendees: Int? = nil) throws -> NewBooking {
    NewBooking(id: try BookingID(id), request: request, customer: C.customer(request.tier), purpose: "研修", attendees: attendees, provisional: provisional)
  }

  /// The day sheet after the decisions' slot events.
  func sheet(_ decisions: BookingDecision...) -> DaySheet.State {
    decisions.flatMap { $0.slots.flatMap(\.events) }.reduce(DaySheet.initialState, DaySheet.evolve)
  }

  func record(_ decisions: BookingDecision...) -> Booking.State {
    decisions.flatMap(\.booking).reduce(Booking.initialState, Booking.evolve)
  }

  @Test("a booked part of the hall makes the whole and the overlapping parts unavailable, and the reverse")
  func hallParts() throws {
    let context = C.context(today: "2023-02-01")
    let east = try Booking.request(try new("b-1", request("hall-east", "2023-02-15", "morning")), context, sheet: .init(), equipment: .init(), permits: 0)
    let held = sheet(east)
    for blocked in ["hall", "hall-a", "hall-b"] {
      #expect(throws: BuildingError.self, "\(blocked)") {
        try Booking.request(try new("b-2", request(blocked, "2023-02-15", "morning")), context, sheet: held, equipment: .init(), permits: 1)
      }
    }
    // The other half and the third inside it are free, and so is the whole hall in the afternoon.
    for free in [("hall-west", "morning"), ("hall-c", "morning"), ("hall", "afternoon")] {
      _ = try Booking.request(try new("b-3", request(free.0, "2023-02-15", free.1)), context, sheet: held, equipment: .init(), permits: 1)
    }
    let whole = try Booking.request(try new("b-4", request("hall", "2023-02-16", "evening")), context, sheet: .init(), equipment: .init(), permits: 1)
    do {
      _ = try Booking.request(try new("b-5", request("hall-c", "2023-02-16", "evening")), context, sheet: sheet(whole), equipment: .init(), permits: 2)
      Issue.record("a third was let under the whole hall")
    } catch BuildingError.slotTaken(let space, _, _, let by, let heldSpace) {
      let b4 = try BookingID("b-4")
      #expect(space == C.id("hall-c") && by == b4 && heldSpace == C.id("hall"))
    }
  }

  @Test("overtime and the changeover buffer keep the next block free; joined rooms block their parts")
  func bufferAndJoinedRooms() throws {
    let context = C.context(today: "2023-02-01")
    let late = try Booking.request(try new("b-1", request("room-5", "2023-02-15", "afternoon", overtime: 45)), context, sheet: .init(), equipment: .init(), permits: 0)
    // 13:00–17:45 plus 30 minutes of changeover reaches into 18:00–21:00.
    #expect(throws: BuildingError.self) {
      try Booking.request(try new("b-2", request("room-5", "2023-02-15", "evening")), context, sheet: sheet(late), equipment: .init(), permits: 1)
    }
    #expect(throws: BuildingError.self) {
      try Booking.request(try new("b-3", request("room-56", "2023-02-15", "evening")), context, sheet: sheet(late), equipment: .init(), permits: 1)
    }
    _ = try Booking.request(try new("b-4", request("room-6", "2023-02-15", "evening")), context, sheet: sheet(late), equipment: .init(), permits: 1)
    let onTime = try Booking.request(try new("b-5", request("room-5", "2023-02-16", "afternoon")), context, sheet: .init(), equipment: .init(), permits: 1)
    _ = try Booking.request(try new("b-6", request("room-5", "2023-02-16", "evening")), context, sheet: sheet(onTime), equipment: .init(), permits: 2)
  }

  @Test("equipment in use at the same time shares the stock; at other times it is free again")
  func equipmentStock() throws {
    let context = C.context(today: "2023-02-01")
    let projector = [EquipmentLine(item: "projector", quantity: 2)]
    let first = try Booking.request(
      try new("b-1", request("room-a", "2023-02-15", "morning", equipment: projector)), context, sheet: .init(), equipment: .init(), permits: 0)
    let stock = first.equipment.flatMap(\.events).reduce(EquipmentSheet.initialState, EquipmentSheet.evolve)
    #expect(throws: BuildingError.equipmentUnavailable(item: "プロジェクター", date: C.date("2023-02-15"), asked: 1, free: 0)) {
      try Booking.request(
        try new("b-2", request("room-b", "2023-02-15", "full-day", equipment: [EquipmentLine(item: "projector", quantity: 1)])), context,
        sheet: .init(), equipment: stock, permits: 1)
    }
    _ = try Booking.request(
      try new("b-3", request("room-b", "2023-02-15", "afternoon", equipment: projector)), context, sheet: .init(), equipment: stock, permits: 1)
  }

  @Test("the booking window, the past, closed days and capacity are refused with the reason")
  func windowsAndClosures() throws {
    let context = C.context(today: "2023-01-10")
    _ = try Booking.request(try new("b-1", request("room-a", "2023-04-10", "morning")), context, sheet: .init(), equipment: .init(), permits: 0)
    #expect(throws: BuildingError.outsideBookingWindow(date: C.date("2023-04-11"), tier: .general, months: 3, last: C.date("2023-04-10"))) {
      try Booking.request(try new("b-2", request("room-a", "2023-04-11", "morning")), context, sheet: .init(), equipment: .init(), permits: 0)
    }
    _ = try Booking.request(try new("b-3", request("room-a", "2023-07-10", "morning", tier: .member)), context, sheet: .init(), equipment: .init(), permits: 0)
    #expect(throws: BuildingError.bookingInPast(C.date("2023-01-09"))) {
      try Booking.request(try new("b-4", request("room-a", "2023-01-09", "morning")), context, sheet: .init(), equipment: .init(), permits: 0)
    }
    let yearEnd = C.context(today: "2022-12-01")
    #expect(throws: BuildingError.closed(date: C.date("2022-12-29"), reason: "年末年始")) {
      try Booking.request(try new("b-5", request("room-a", "2022-12-29", "morning")), yearEnd, sheet: .init(), equipment: .init(), permits: 0)
    }
    let works = Closures.State().closures + [
      Closures.Closure(id: "w-1", from: C.date("2023-02-13"), to: C.date("2023-02-17"), spaces: [C.id("room-a")], reason: "受水槽更新工事")
    ]
    var closures = Closures.State()
    closures.closures = works
    let closed = C.context(today: "2023-01-10", closures: closures)
    #expect(throws: BuildingError.closed(date: C.date("2023-02-15"), reason: "受水槽更新工事")) {
      try Booking.request(try new("b-6", request("room-a", "2023-02-15", "morning")), closed, sheet: .init(), equipment: .init(), permits: 0)
    }
    _ = try Booking.request(try new("b-7", request("room-b", "2023-02-15", "morning")), closed, sheet: .init(), equipment: .init(), permits: 0)
    #expect(throws: BuildingError.overCapacity(space: "会議室B", capacity: 12, attendees: 13)) {
      try Booking.request(try new("b-8", request("room-b", "2023-02-20", "morning"), attendees: 13), context, sheet: .init(), equipment: .init(), permits: 0)
    }
  }

  @Test("a provisional booking is held 7 days, confirmed with the year's next permit number, or lapses after its deadline")
  func provisionalLifeCycle() throws {
    let context = C.context(today: "2023-03-25")
    let made = try Booking.request(try new("b-1", request("room-a", "2023-05-15", "morning"), provisional: true), context, sheet: .init(), equipment: .init(), permits: 0)
    guard case .requested(let requested)? = made.booking.first else { Issue.record("no request"); return }
    #expect(requested.status == .provisional && requested.deadline == C.date("2023-04-01") && requested.permitNumber == nil)
    // Confirmed on 1 April: the new fiscal year's first permit.
    let confirmed = try Booking.confirm(record(made), C.context(today: "2023-04-01"), permits: 0)
    guard case .confirmed(let c)? = confirmed.booking.first else { Issue.record("not confirmed"); return }
    #expect(c.permitNumber == "P2023-00001")
    #expect(throws: BuildingError.provisionalExpired(try BookingID("b-1"), deadline: C.date("2023-04-01"))) {
      try Booking.confirm(record(made), C.context(today: "2023-04-02"), permits: 0)
    }
    #expect(throws: BuildingError.notYetLapsed(try BookingID("b-1"), deadline: C.date("2023-04-01"))) {
      try Booking.lapse(record(made), C.context(today: "2023-04-01"), sheet: sheet(made), equipment: .init())
    }
    let lapsed = try Booking.lapse(record(made), C.context(today: "2023-04-02"), sheet: sheet(made), equipment: .init())
    #expect(sheet(made, lapsed).holds.isEmpty)
    #expect(record(made, lapsed)?.status == .lapsed)
    // A use date sooner than the hold period is the deadline itself.
    let soon = try Booking.request(try new("b-2", request("room-a", "2023-03-28", "morning"), provisional: true), context, sheet: .init(), equipment: .init(), permits: 0)
    guard case .requested(let s)? = soon.booking.first else { return }
    #expect(s.deadline == C.date("2023-03-28"))
  }

  @Test("cancellation fees follow the schedule by days before the day of use; paid money is refunded to the yen")
  func cancellationSchedule() throws {
    let made = try Booking.request(try new("b-1", request("room-a", "2023-06-30", "morning", equipment: [EquipmentLine(item: "mic", quantity: 1)])), C.context(today: "2023-04-03"), sheet: .init(), equipment: .init(), permits: 0)
    let paid = try Booking.pay(record(made), amount: Yen(3_800), method: .cash, C.context(today: "2023-04-03"), receipts: 0, cashBook: .init())
    let booked = record(made, paid)
    #expect(booked?.balance == .zero && booked?.receipts == ["R2023-00001"])
    let cases: [(String, Int, Int64, Int64)] = [
      ("2023-05-31", 0, 0, 3_800),  // 30 days before: free, everything back
      ("2023-06-01", 50, 1_400, 2_400),  // 29 days: half the facility fee (2,800), equipment never charged
      ("2023-06-23", 50, 1_400, 2_400),  // 7 days
      ("2023-06-24", 100, 2_800, 1_000),  // 6 days
      ("2023-06-30", 100, 2_800, 1_000),  // the day itself
    ]
    for (today, percent, fee, refund) in cases {
      let cancelled = try Booking.cancel(booked, reason: "都合により", waiver: nil, refundBy: .cash, C.context(today: today), sheet: sheet(made), equipment: .init(), cashBook: .init())
      guard case .cancelled(let c)? = cancelled.booking.first else { Issue.record("not cancelled"); continue }
      #expect(c.percent == percent && c.fee == Yen(fee) && c.refundDue == Yen(refund) && c.outstanding == .zero, "\(today)")
      let after = cancelled.booking.reduce(booked, Booking.evolve)
      #expect(after?.status == .cancelled && after?.balance == .zero, "\(today)")
    }
    let waived = try Booking.cancel(booked, reason: "台風による交通途絶", waiver: .disaster, refundBy: nil, C.context(today: "2023-06-30"), sheet: sheet(made), equipment: .init(), cashBook: .init())
    guard case .cancelled(let w)? = waived.booking.first else { return }
    #expect(w.fee == .zero && w.refundDue == Yen(3_800) && waived.booking.count == 1)
    // Unpaid and cancelled late: the fee is still to collect.
    let unpaid = try Booking.cancel(record(made), reason: "都合により", waiver: nil, refundBy: nil, C.context(today: "2023-06-29"), sheet: sheet(made), equipment: .init(), cashBook: .init())
    guard case .cancelled(let u)? = unpaid.booking.first else { return }
    #expect(u.outstanding == Yen(2_800) && unpaid.booking.reduce(record(made), Booking.evolve)?.balance == Yen(2_800))
    #expect(throws: BuildingError.bookingInPast(C.date("2023-06-30"))) {
      try Booking.cancel(booked, reason: "x", waiver: nil, refundBy: nil, C.context(today: "2023-07-01"), sheet: sheet(made), equipment: .init(), cashBook: .init())
    }
    #expect(throws: BuildingError.cancellationWithoutReason) {
      try Booking.cancel(booked, reason: "  ", waiver: nil, refundBy: nil, C.context(today: "2023-06-01"), sheet: sheet(made), equipment: .init(), cashBook: .init())
    }
  }

  @Test("payments never exceed what is owed and stop once the day's cash is closed")
  func payments() throws {
    let context = C.context(today: "2023-04-03")
    let made = try Booking.request(try new("b-1", request("room-a", "2023-05-15", "morning")), context, sheet: .init(), equipment: .init(), permits: 0)
    #expect(throws: BuildingError.overpayment(try BookingID("b-1"), amount: Yen(2_801), balance: Yen(2_800))) {
      try Booking.pay(record(made), amount: Yen(2_801), method: .cash, context, receipts: 0, cashBook: .init())
    }
    #expect(throws: BuildingError.invalidAmount(Yen(0))) { try Booking.pay(record(made), amount: .zero, method: .cash, context, receipts: 0, cashBook: .init()) }
    let closedBook = try CashBook.close(C.date("2023-04-03"), cashCounted: nil, signedBy: "manager", today: C.date("2023-04-03"), at: context.at, .init())
      .reduce(CashBook.initialState, CashBook.evolve)
    #expect(throws: BuildingError.dayAlreadyClosed(C.date("2023-04-03"), by: "manager")) {
      try Booking.pay(record(made), amount: Yen(100), method: .cash, context, receipts: 0, cashBook: closedBook)
    }
    let part = try Booking.pay(record(made), amount: Yen(1_000), method: .transfer, context, receipts: 4, cashBook: .init())
    #expect(record(made, part)?.balance == Yen(1_800))
    guard case .paymentRecorded(let p)? = part.booking.first else { return }
    #expect(p.receiptNumber == "R2023-00005")
  }

  @Test("a change is priced on the booking's own catalogue version and moves its hold")
  func changeKeepsQuotedVersion() throws {
    let context = C.context(today: "2023-04-03")
    let made = try Booking.request(try new("b-1", request("room-a", "2023-05-15", "morning")), context, sheet: .init(), equipment: .init(), permits: 0)
    // Version 2 doubles room A's fees; the booking keeps version 1's prices.
    var dearer = C.catalogue
    dearer.spaces[0].fees.weekday = ["morning": Yen(5_600), "afternoon": Yen(6_600), "evening": Yen(8_800)]
    var history = C.history
    history.versions.append(dearer)
    let later = DeskContext(catalogue: history, closures: .init(), today: C.date("2023-04-05"), at: context.at)
    let changed = try Booking.change(
      record(made), to: try request("room-a", "2023-05-15", "afternoon"), later, oldSheet: sheet(made), newSheet: sheet(made), oldEquipment: .init(),
      newEquipment: .init())
    guard case .changed(let c)? = changed.booking.first else { Issue.record("not changed"); return }
    #expect(c.details.quote.total == Yen(3_300) && c.difference == Yen(500) && c.details.quote.catalogueVersion == 1)
    #expect(sheet(made, changed).holds[try BookingID("b-1")]?.range == Slot.afternoon.range)
    // A new booking gets version 2's price.
    let fresh = try Booking.request(try new("b-2", request("room-a", "2023-05-16", "morning")), later, sheet: .init(), equipment: .init(), permits: 0)
    guard case .requested(let r)? = fresh.booking.first else { return }
    #expect(r.details.quote.total == Yen(5_600) && r.details.quote.catalogueVersion == 2)
    // Moving to another day releases the old sheet and holds the new one.
    let moved = try Booking.change(
      record(made), to: try request("room-a", "2023-05-16", "morning"), context, oldSheet: sheet(made), newSheet: .init(), oldEquipment: .init(),
      newEquipment: .init())
    #expect(moved.slots.map(\.stream.rawValue) == ["slots-rooma-20230515", "slots-rooma-20230516"])
  }

  @Test("a customer's tier decides the price; asking another tier's price is refused")
  func tierMismatch() throws {
    var asked = try request("room-a", "2023-05-15", "morning", tier: .member)
    let booking = NewBooking(id: try BookingID("b-1"), request: asked, customer: C.customer(.general), purpose: nil, attendees: nil, provisional: false)
    #expect(throws: BuildingError.tierMismatch(customer: "株式会社みなとみらい製作所", registered: .general, asked: .member)) {
      try Booking.request(booking, C.context(today: "2023-04-03"), sheet: .init(), equipment: .init(), permits: 0)
    }
    asked.tier = .general
    _ = asked
  }

  @Test("used and no-show only on or after the day, and only for a confirmed booking")
  func attendance() throws {
    let made = try Booking.request(try new("b-1", request("room-a", "2023-05-15", "morning")), C.context(today: "2023-04-03"), sheet: .init(), equipment: .init(), permits: 0)
    #expect(throws: BuildingError.beforeDayOfUse(C.date("2023-05-15"))) { try Booking.attend(record(made), used: true, C.context(today: "2023-05-14")) }
    let used = try Booking.attend(record(made), used: true, C.context(today: "2023-05-15"))
    #expect(record(made, used)?.status == .used)
    #expect(try Booking.attend(record(made, used), used: true, C.context(today: "2023-05-16")).booking.isEmpty)
  }
}

@Suite("Building: customers, closures, the catalogue and the cash close")
struct BuildingRulesTests {
  @Test("readings typed in hiragana or half-width kana become full-width katakana")
  func kana() throws {
    #expect(try Kana.normalised("ﾐﾅﾄﾐﾗｲ ｾｲｻｸｼｮ") == "ミナトミライ セイサクショ")
    #expect(try Kana.normalised("かながわ　さんぎょう") == "カナガワ サンギョウ")
    #expect(try Kana.normalised("ｶﾞｷﾞｸﾞﾊﾟﾋﾟﾌﾟﾀﾞﾂﾞﾄﾞｳﾞ") == "ガギグパピプダヅドヴ")
    #expect(try Kana.normalised("ニッポン・サークル") == "ニッポン・サークル")
    #expect(throws: BuildingError.self) { try Kana.normalised("KIP") }
    #expect(throws: BuildingError.self) { try Kana.normalised("ﾞア") }
    #expect(Kana.phoneDigits("０４５－６３３－５０００") == "0456335000")
  }

  @Test("a customer is registered once with checked details; an unchanged update records nothing")
  func customers() throws {
    let id = try CustomerID("c-1")
    let profile = CustomerProfile(name: " 横浜市民囲碁サークル ", nameKana: "よこはましみんいごさーくる", kind: .circle, tier: .nonprofit, phone: "０４５-２１１-１２３４")
    let events = try Customer.decide(.register(id, profile, at: .init(timeIntervalSince1970: 0)), nil)
    let state = events.reduce(Customer.initialState, Customer.evolve)
    #expect(state?.profile.name == "横浜市民囲碁サークル" && state?.profile.nameKana == "ヨコハマシミンイゴサークル" && state?.profile.phone == "045-211-1234")
    #expect(throws: BuildingError.customerExists(id)) { try Customer.decide(.register(id, profile, at: .init()), state) }
    #expect(try Customer.decide(.update(profile, at: .init()), state).isEmpty)
    var bad = profile
    bad.phone = "12-34"
    #expect(throws: BuildingError.invalidCustomer(field: "phone", reason: "電話番号は10桁以上の数字（ハイフン可）で入力してください")) {
      try Customer.decide(.register(try CustomerID("c-2"), bad, at: .init()), nil)
    }
  }

  @Test("a catalogue whose spaces share units across groups, or that moves a space to another group, is refused")
  func catalogueValidation() throws {
    var catalogue = TestCatalogue.catalogue
    #expect(try CatalogueHistory.publish(catalogue, note: "初版", at: .init(), CatalogueHistory.State()).count == 1)
    #expect(try CatalogueHistory.publish(catalogue, note: "同じ", at: .init(), TestCatalogue.history).isEmpty)
    catalogue.spaces[4].group = "other"
    #expect(throws: BuildingError.self) { try CatalogueHistory.publish(catalogue, note: "", at: .init(), CatalogueHistory.State()) }
    var moved = TestCatalogue.catalogue
    for index in moved.spaces.indices where moved.spaces[index].group == "rooms56" { moved.spaces[index].group = "joined" }
    #expect(throws: BuildingError.self) { try CatalogueHistory.publish(moved, note: "", at: .init(), TestCatalogue.history) }
    var badFees = TestCatalogue.catalogue
    badFees.spaces[0].fees.weekday["evening"] = nil
    #expect(throws: BuildingError.invalidCatalogue(path: "spaces[0].fees.weekday", reason: "夜間の料金がありません")) {
      try CatalogueHistory.publish(badFees, note: "", at: .init(), CatalogueHistory.State())
    }
  }

  @Test("a day's cash book closes once with its own figures, never ahead of the day, and takes no entry after")
  func cashClose() throws {
    let day = TestCatalogue.date("2023-04-03")
    let booking = try BookingID("b-1")
    var book = CashBook.initialState
    for (refund, amount, method) in [(false, 3_800, PaymentMethod.cash), (false, 10_000, .transfer), (true, 1_400, .cash)] as [(Bool, Int64, PaymentMethod)] {
      book = try CashBook.enter(CashBook.Entered(date: day, booking: booking, refund: refund, amount: Yen(amount), method: method, receiptNumber: nil), book)
        .reduce(book, CashBook.evolve)
    }
    let closed = try CashBook.close(day, cashCounted: Yen(2_300), signedBy: "manager", today: day, at: .init(), book)
    guard case .closed(let c)? = closed.first else { Issue.record("not closed"); return }
    #expect(c.totals == [
      CashBook.Totals(method: .cash, received: Yen(3_800), refunded: Yen(1_400), payments: 1, refunds: 1),
      CashBook.Totals(method: .transfer, received: Yen(10_000), refunded: .zero, payments: 1, refunds: 0),
    ])
    #expect(c.difference == Yen(-100), "counted 2,300 against a book of 3,800 − 1,400")
    let state = closed.reduce(book, CashBook.evolve)
    #expect(throws: BuildingError.dayAlreadyClosed(day, by: "manager")) {
      try CashBook.close(day, cashCounted: nil, signedBy: "x", today: day, at: .init(), state)
    }
    #expect(throws: BuildingError.dayAlreadyClosed(day, by: "manager")) {
      try CashBook.enter(CashBook.Entered(date: day, booking: booking, refund: false, amount: Yen(1), method: .cash, receiptNumber: nil), state)
    }
    #expect(throws: BuildingError.cashCloseInFuture(TestCatalogue.date("2023-04-04"))) {
      try CashBook.close(TestCatalogue.date("2023-04-04"), cashCounted: nil, signedBy: "x", today: day, at: .init(), CashBook.initialState)
    }
  }

  @Test("closures need a reason and known spaces; lifting one opens its days again")
  func closures() throws {
    let closure = Closures.Closure(id: "w-1", from: TestCatalogue.date("2023-08-01"), to: TestCatalogue.date("2023-08-03"), spaces: [], reason: "受水槽更新工事")
    let declared = try Closures.decide(.declare(closure, catalogue: TestCatalogue.catalogue, at: .init()), Closures.State())
    let state = declared.reduce(Closures.initialState, Closures.evolve)
    #expect(state.closure(of: TestCatalogue.id("hall"), on: TestCatalogue.date("2023-08-02"))?.id == "w-1")
    #expect(state.closure(of: TestCatalogue.id("hall"), on: TestCatalogue.date("2023-08-04")) == nil)
    var unnamed = closure
    unnamed.reason = " "
    #expect(throws: BuildingError.self) { try Closures.decide(.declare(unnamed, catalogue: TestCatalogue.catalogue, at: .init()), Closures.State()) }
    let lifted = try Closures.decide(.lift("w-1", at: .init()), state)
    #expect(lifted.reduce(state, Closures.evolve).closures.isEmpty)
  }

  @Test("closing a room closes the joined room it is part of; closing a hall part closes the whole hall, not the other part")
  func closuresShareFloors() throws {
    func declared(_ spaces: [String]) throws -> Closures.State {
      let closure = Closures.Closure(
        id: "w-2", from: TestCatalogue.date("2023-08-01"), to: TestCatalogue.date("2023-08-01"), spaces: spaces.map(TestCatalogue.id), reason: "床改修")
      return try Closures.decide(.declare(closure, catalogue: TestCatalogue.catalogue, at: .init()), Closures.State()).reduce(Closures.initialState, Closures.evolve)
    }
    let day = TestCatalogue.date("2023-08-01")
    let room = try declared(["room-5"])
    #expect(room.closures.first?.spaces.map(\.rawValue) == ["room-5", "room-56"])
    #expect(room.closure(of: TestCatalogue.id("room-56"), on: day) != nil && room.closure(of: TestCatalogue.id("room-6"), on: day) == nil)
    let east = try declared(["hall-east"])
    #expect(east.closure(of: TestCatalogue.id("hall"), on: day) != nil && east.closure(of: TestCatalogue.id("hall-west"), on: day) == nil)
    // Booking the joined room on a day its part is closed is refused.
    let context = TestCatalogue.context(today: "2023-07-01", closures: room)
    #expect(throws: BuildingError.closed(date: day, reason: "床改修")) {
      try Booking.checkOpen(QuoteRequest(space: TestCatalogue.id("room-56"), date: day, slot: .morning), TestCatalogue.catalogue, context)
    }
  }
}
