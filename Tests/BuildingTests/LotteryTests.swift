import Building
import EventLog
import Foundation
import SharedKernel
import Testing

/// 抽選: a round's window, caps and bundles, and a draw that anyone can run again.
@Suite("Building: the lottery (抽選)")
struct LotteryTests {
  typealias C = TestCatalogue
  static let round = try! LotteryID("2023-08-hall")

  static let rules = LotteryRules(
    name: "2023年8月 多目的ホール抽選", month: try! YearMonth(year: 2023, month: 8), spaces: [C.id("hall"), C.id("hall-east"), C.id("hall-west")],
    opens: C.date("2023-05-01"), closes: C.date("2023-05-10"), drawOn: C.date("2023-05-11"), maxSlotsPerApplicant: 20,
    maxHolidaySlotsPerApplicant: 5, priority: [.member, .nonprofit, .general], payWithinDays: 14, maxBundle: 6)

  /// The index and the round after opening on 2023-04-20.
  func opened(_ rules: LotteryRules = rules) throws -> (index: LotteryIndex.State, round: Lottery.State) {
    let decision = try Lottery.open(Self.round, rules, C.context(today: "2023-04-20"), round: nil)
    return (decision.index.reduce(LotteryIndex.initialState, LotteryIndex.evolve), decision.round.reduce(Lottery.initialState, Lottery.evolve))
  }

  func context(_ today: String, _ index: LotteryIndex.State, closures: Closures.State = Closures.State()) -> DeskContext {
    var context = C.context(today: today, closures: closures)
    context.lotteries = index
    return context
  }

  func customer(_ n: Int, _ tier: CustomerTier) -> Customer.Record {
    Customer.Record(id: try! CustomerID("c-\(n)"), profile: CustomerProfile(name: "申込者\(n)", nameKana: "モウシコミシャ", kind: .circle, tier: tier))
  }

  func slot(_ space: String, _ date: String, _ slot: String, _ tier: CustomerTier) throws -> LotteryRequest {
    LotteryRequest(request: QuoteRequest(space: C.id(space), date: C.date(date), slot: try Slot(code: slot), tier: tier), purpose: "発表会", attendees: 50)
  }

  /// Applies each (customer, bundle) in turn during the window.
  func applying(_ round: Lottery.State, _ index: LotteryIndex.State, _ applications: [(Customer.Record, [LotteryRequest])]) throws -> Lottery.State {
    var round = round
    for (customer, bundle) in applications {
      round = try Lottery.apply(round, customer: customer, requests: bundle, context("2023-05-03", index)).reduce(round, Lottery.evolve)
    }
    return round
  }

  func closed(_ round: Lottery.State, seed byte: UInt8 = 0) throws -> Lottery.State {
    let head = LogHead(position: 100, hash: Data(repeating: byte, count: 32), sealedThrough: 100)
    return try Lottery.close(round, head: head, context("2023-05-11", LotteryIndex.initialState)).reduce(round, Lottery.evolve)
  }

  func draw(_ round: Lottery.State, _ index: LotteryIndex.State, closures: Closures.State = Closures.State()) throws -> LotteryDecision {
    try Lottery.draw(round, context("2023-05-11", index, closures: closures), sheets: [:], equipment: [:])
  }

  /// The field a refusal names (nil: no refusal, or not the building's).
  func fieldAtFault(_ body: () throws -> [Lottery.Event]) -> String? {
    do {
      _ = try body()
      return nil
    } catch let error as BuildingError {
      return error.field
    } catch {
      return nil
    }
  }

  func results(_ decision: LotteryDecision) -> [LotteryResult] {
    decision.round.compactMap { if case .drawn(let e) = $0 { e.results } else { nil } }.first ?? []
  }

  @Test("a draw key is the first 16 hex digits of SHA-256(\"<seed>:<number>\"), as sha256sum gives it")
  func keys() {
    let zero = String(repeating: "0", count: 64)
    #expect(Lottery.key(seed: zero, number: 1) == "0014ab94578f46aa")
    #expect(Lottery.key(seed: zero, number: 2) == "c89ef60219d2e1dc")
  }

  @Test("the same round and seed give the same winners; the seed, not the order of applying, decides within a tier")
  func replayable() throws {
    let (index, open) = try opened()
    var applications: [(Customer.Record, [LotteryRequest])] = []
    for n in 1...12 { applications.append((customer(n, .general), [try slot("hall", "2023-08-\(String(format: "%02d", 1 + n % 3))", "afternoon", .general)])) }
    let round = try closed(try applying(open, index, applications))
    let first = try draw(round, index)
    let again = try draw(round, index)
    #expect(results(first) == results(again))
    #expect(first.bookings.map(\.id) == again.bookings.map(\.id))
    #expect(first.slots.map(\.stream) == again.slots.map(\.stream))
    // Three dates, so three winners: on each date the smallest key among its applicants.
    let won = results(first).filter { $0.outcome == .won }
    #expect(won.count == 3)
    for date in 1...3 {
      let applicants = (1...12).filter { 1 + $0 % 3 == date }
      let expected = applicants.min { Lottery.key(seed: round!.seed!, number: $0) < Lottery.key(seed: round!.seed!, number: $1) }
      #expect(won.contains { $0.number == expected }, "2023-08-0\(date)")
    }
    // Another seed draws others somewhere.
    let other = try draw(try closed(try applying(open, index, applications), seed: 7), index)
    #expect(results(other).filter { $0.outcome == .won }.map(\.number) != won.map(\.number))
    // Places are 1…n, each once.
    #expect(results(first).map(\.place).sorted() == Array(1...12))
  }

  @Test("member SMEs are drawn before others whatever their keys; each winner holds a 仮予約 to pay within 14 days")
  func tiers() throws {
    let (index, open) = try opened()
    for seed in UInt8(0)..<UInt8(16) {
      let round = try closed(
        try applying(
          open, index,
          [
            (customer(1, .general), [try slot("hall", "2023-08-01", "morning", .general)]),
            (customer(2, .nonprofit), [try slot("hall", "2023-08-01", "morning", .nonprofit)]),
            (customer(3, .member), [try slot("hall-east", "2023-08-01", "morning", .member)]),
          ]), seed: seed)
      let decision = try draw(round, index)
      let outcome = Dictionary(uniqueKeysWithValues: results(decision).map { ($0.number, $0.outcome) })
      #expect(outcome == [1: .lost, 2: .lost, 3: .won], "seed \(seed)")
      let booking = try #require(decision.bookings.first)
      #expect(booking.id.rawValue == "2023-08-hall-3-1")
      guard case .requested(let requested) = booking.events.first else { Issue.record("no booking"); continue }
      #expect(requested.status == .provisional && requested.deadline == C.date("2023-05-25") && requested.lottery == Self.round)
      #expect(requested.details.quote.total > .zero)
    }
  }

  @Test("a bundle wins or loses whole: its free slot goes to the next in line")
  func bundles() throws {
    let (index, open) = try opened()
    let round = try closed(
      try applying(
        open, index,
        [
          (customer(1, .general), [try slot("hall-east", "2023-08-07", "morning", .general), try slot("hall-west", "2023-08-08", "morning", .general)]),
          (customer(2, .member), [try slot("hall-west", "2023-08-08", "morning-afternoon", .member)]),
          (customer(3, .general), [try slot("hall-east", "2023-08-07", "morning", .general)]),
        ]))
    let decision = try draw(round, index)
    let outcome = Dictionary(uniqueKeysWithValues: results(decision).map { ($0.number, $0.outcome) })
    #expect(outcome == [1: .lost, 2: .won, 3: .won])
    #expect(results(decision).first { $0.number == 1 }?.reason?.contains("2コマ目") == true)
    #expect(decision.bookings.map(\.id.rawValue).sorted() == ["2023-08-hall-2-1", "2023-08-hall-3-1"])
    // Only the winners' holds are written, and each sheet once.
    let holds = decision.slots.flatMap(\.events).reduce(into: [String]()) { ids, event in
      if case .held(let e) = event { ids.append(e.hold.booking.rawValue) }
    }
    #expect(holds.sorted() == ["2023-08-hall-2-1", "2023-08-hall-3-1"])
    #expect(Set(decision.slots.map(\.stream)).count == decision.slots.count)
  }

  @Test("caps: 20 slots per applicant and 5 on 土日祝, withdrawn applications not counted; one slot applied for once")
  func caps() throws {
    let (index, open) = try opened()
    let member = customer(1, .member)
    // August 2023: Saturdays 5, 12, 19, 26; 山の日 Friday 11 August.
    let holidays = ["2023-08-05", "2023-08-12", "2023-08-19", "2023-08-26", "2023-08-11"]
    var round = try applying(open, index, [(member, try holidays.map { try slot("hall", $0, "morning", .member) })])
    #expect(throws: BuildingError.lotteryCap(customer: "申込者1", limit: 5, holiday: true, asked: 6)) {
      try Lottery.apply(round, customer: member, requests: [try slot("hall", "2023-08-06", "morning", .member)], context("2023-05-03", index))
    }
    let weekdays = ["2023-08-01", "2023-08-02", "2023-08-03", "2023-08-04", "2023-08-07", "2023-08-08", "2023-08-09", "2023-08-10"]
    for block in ["morning", "afternoon"] {
      round = try applying(round, index, [(member, try weekdays.prefix(6).map { try slot("hall", $0, block, .member) })])
    }
    // 5 + 12 = 17; three more make 20, a fourth is one too many.
    round = try applying(round, index, [(member, try weekdays.suffix(2).map { try slot("hall", $0, "evening", .member) })])
    round = try applying(round, index, [(member, [try slot("hall", "2023-08-01", "evening", .member)])])
    #expect(throws: BuildingError.lotteryCap(customer: "申込者1", limit: 20, holiday: false, asked: 21)) {
      try Lottery.apply(round, customer: member, requests: [try slot("hall", "2023-08-02", "evening", .member)], context("2023-05-03", index))
    }
    round = try Lottery.withdraw(round, number: 1, context("2023-05-04", index)).reduce(round, Lottery.evolve)
    round = try applying(round, index, [(member, [try slot("hall", "2023-08-06", "morning", .member)])])
    #expect(throws: BuildingError.duplicateLotteryRequest(space: C.id("hall"), date: C.date("2023-08-06"), slot: .morning)) {
      try Lottery.apply(round, customer: member, requests: [try slot("hall", "2023-08-06", "morning", .member)], context("2023-05-03", index))
    }
    // Another applicant has caps of its own.
    _ = try Lottery.apply(round, customer: customer(2, .member), requests: [try slot("hall", "2023-08-06", "morning", .member)], context("2023-05-03", index))
  }

  @Test("applications only in the window, for the round's spaces and month, without overlapping themselves")
  func window() throws {
    let (index, open) = try opened()
    let applicant = customer(1, .general)
    let bundle = [try slot("hall", "2023-08-01", "morning", .general)]
    for day in ["2023-04-30", "2023-05-11"] {
      #expect(throws: BuildingError.lotteryNotTaking(Self.round, opens: C.date("2023-05-01"), closes: C.date("2023-05-10")), "\(day)") {
        try Lottery.apply(open, customer: applicant, requests: bundle, context(day, index))
      }
    }
    let refused = [
      [try slot("room-a", "2023-08-01", "morning", .general)],
      [try slot("hall", "2023-09-01", "morning", .general)],
      [try slot("hall", "2023-08-01", "morning", .general), try slot("hall-east", "2023-08-01", "morning-afternoon", .general)],
    ]
    for bundle in refused {
      #expect(fieldAtFault { try Lottery.apply(open, customer: applicant, requests: bundle, context("2023-05-01", index)) } == "requests")
    }
    let round = try applying(open, index, [(applicant, bundle)])
    // Not closed before the last day has passed, not drawn before the draw day or the close.
    #expect(throws: BuildingError.lotteryTooEarly(Self.round, action: "締め切る", from: C.date("2023-05-11"))) {
      try Lottery.close(round, head: LogHead(position: 1, hash: Data(count: 32), sealedThrough: 1), context("2023-05-10", index))
    }
    #expect(throws: BuildingError.self) { try draw(round, index) }
    #expect(round?.closeDue(on: C.date("2023-05-10")) == false && round?.closeDue(on: C.date("2023-05-11")) == true)
    #expect(round?.drawDue(on: C.date("2023-05-10")) == false && round?.drawDue(on: C.date("2023-05-11")) == true)
    let shut = try closed(round)
    #expect(throws: BuildingError.lotteryTooEarly(Self.round, action: "抽選する", from: C.date("2023-05-11"))) {
      try Lottery.draw(shut, context("2023-05-10", index), sheets: [:], equipment: [:])
    }
    // Closing and drawing again write nothing.
    #expect(try Lottery.close(shut, head: LogHead(position: 9, hash: Data(count: 32), sealedThrough: 9), context("2023-05-12", index)).isEmpty)
    let drawn = try draw(shut, index).round.reduce(shut, Lottery.evolve)
    #expect(try draw(drawn, index).round.isEmpty)
  }

  @Test("until the draw the month's hall is not bookable first-come; after it, what is left is, beyond the usual window")
  func firstComeAfterTheDraw() throws {
    let (index, open) = try opened()
    let general = C.customer(.general)
    func book(_ space: String, _ date: String, _ index: LotteryIndex.State, today: String) throws -> BookingDecision {
      let request = QuoteRequest(space: C.id(space), date: C.date(date), slot: .evening, tier: .general)
      return try Booking.request(
        NewBooking(id: try BookingID("b-1"), request: request, customer: general, purpose: nil, attendees: nil, provisional: true),
        context(today, index), sheet: .init(), equipment: .init(), permits: 0)
    }
    // hall-a shares floor units with the hall: held back too; a room is not.
    for space in ["hall", "hall-a"] {
      #expect(throws: BuildingError.reservedForLottery(space: C.id(space), date: C.date("2023-08-02"), round: Self.round, drawOn: C.date("2023-05-11"))) {
        try book(space, "2023-08-02", index, today: "2023-05-20")
      }
    }
    _ = try book("room-a", "2023-08-02", index, today: "2023-05-20")
    let drawn = try draw(try closed(try applying(open, index, [(customer(1, .general), [try slot("hall", "2023-08-01", "morning", .general)])])), index)
    let after = drawn.index.reduce(index, LotteryIndex.evolve)
    // 2023-08-31 is beyond a general customer's three months from 2023-05-11 (2023-08-11).
    _ = try book("hall", "2023-08-31", after, today: "2023-05-11")
    #expect(throws: BuildingError.outsideBookingWindow(date: C.date("2023-08-31"), tier: .general, months: 3, last: C.date("2023-08-11"))) {
      try book("room-a", "2023-08-31", after, today: "2023-05-11")
    }
    // A round called off gives its month back to the usual rules.
    let calledOff = try Lottery.callOff(open, reason: "改修工事", context("2023-05-02", index)).index.reduce(index, LotteryIndex.evolve)
    _ = try book("hall", "2023-08-02", calledOff, today: "2023-05-20")
  }

  @Test("a slot closed after it was applied for loses its bundle at the draw; a round's rules are checked when it opens")
  func closuresAndRules() throws {
    let (index, open) = try opened()
    let round = try closed(
      try applying(
        open, index,
        [(customer(1, .member), [try slot("hall", "2023-08-21", "morning", .member), try slot("hall", "2023-08-22", "morning", .member)])]))
    var closures = Closures.State()
    closures.closures = [Closures.Closure(id: "works", from: C.date("2023-08-22"), to: C.date("2023-08-23"), spaces: [], reason: "空調工事")]
    let decision = try draw(round, index, closures: closures)
    #expect(results(decision).map(\.outcome) == [.lost])
    #expect(results(decision).first?.reason?.contains("空調工事") == true)
    #expect(decision.bookings.isEmpty && decision.slots.isEmpty)

    var late = Self.rules
    late.drawOn = C.date("2023-08-01")
    #expect(throws: BuildingError.self) { try Lottery.open(Self.round, late, C.context(today: "2023-04-20"), round: nil) }
    var other = Self.rules
    other.spaces = [C.id("hall-a")]
    #expect(throws: BuildingError.lotteryOverlaps(space: C.id("hall-a"), month: other.month, round: Self.round)) {
      try Lottery.open(try LotteryID("2023-08-third"), other, context("2023-04-20", index), round: nil)
    }
    #expect(throws: BuildingError.self) { try Lottery.open(try LotteryID("BAD_ID"), Self.rules, C.context(today: "2023-04-20"), round: nil) }
  }
}
