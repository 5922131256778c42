import DepositLedger
import SharedKernel
import Testing

/// The funding invariant: deposits placed never exceed borrowings outstanding plus own funds,
/// counted conservatively (pending reductions at once, pending additions only once approved).
@Suite("DepositLedger: funding pool and deposits")
struct FundingPoolTests {
  typealias W = World

  static func world() throws -> World {
    var world = World()
    try world.register("yokohama")
    try world.register("mizuho", roles: [.handling])
    return world
  }

  @Test("nothing can be placed before anything is borrowed; the refusal names headroom and amount")
  func noHeadroom() throws {
    var world = try Self.world()
    let error = DepositLedgerError.exceedsHeadroom(amount: Yen(1_000), headroom: .zero, on: W.date("2022-04-01"), valueDate: W.date("2022-04-01"))
    #expect(throws: error) { try world.place("d1", amount: 1_000, on: "2022-04-01", returnDate: "2022-09-30") }
    #expect(error.description.contains("¥1,000 on 2022-04-01"))
    #expect(error.description.contains("headroom is ¥0"))
    #expect(error.kind == .conflict)
  }

  @Test("a pending borrowing adds no headroom until it is approved")
  func pendingBorrowingAddsNothing() throws {
    var world = try Self.world()
    let drawdown = try world.draw("b1", amount: 1_000_000_000, on: "2022-04-01", maturity: "2023-03-31")
    #expect(throws: DepositLedgerError.exceedsHeadroom(amount: Yen(1), headroom: .zero, on: W.date("2022-04-01"), valueDate: W.date("2022-04-01"))) {
      try world.place("d1", with: "mizuho", amount: 1, on: "2022-04-01", returnDate: "2022-09-30")
    }
    try world.approve(borrowing: "b1", drawdown)
    try world.place("d1", with: "mizuho", amount: 1_000_000_000, on: "2022-04-01", returnDate: "2022-09-30")
    #expect(world.pool.position(asOf: W.date("2022-04-01")).availableHeadroom == .zero)
  }

  @Test("a pending placement already counts against the headroom; rejecting it frees it")
  func pendingPlacementCounts() throws {
    var world = try Self.world()
    try world.approve(borrowing: "b1", try world.draw("b1", amount: 1_000_000_000, on: "2022-04-01", maturity: "2023-03-31"))
    let first = try world.place("d1", with: "mizuho", amount: 700_000_000, on: "2022-04-01", returnDate: "2022-09-30")
    #expect(throws: DepositLedgerError.exceedsHeadroom(amount: Yen(400_000_000), headroom: Yen(300_000_000), on: W.date("2022-04-01"), valueDate: W.date("2022-04-01"))) {
      try world.place("d2", amount: 400_000_000, on: "2022-04-01", returnDate: "2022-09-30")
    }
    let position = world.pool.position(asOf: W.date("2022-04-01"))
    #expect(position.headroom == Yen(1_000_000_000))
    #expect(position.pendingReductions == Yen(700_000_000))
    #expect(position.availableHeadroom == Yen(300_000_000))
    try world.reject(deposit: "d1", first)
    try world.place("d2", amount: 400_000_000, on: "2022-04-01", returnDate: "2022-09-30")
  }

  @Test("headroom is checked on every later day: money placed before it is borrowed is refused")
  func timeline() throws {
    var world = try Self.world()
    try world.approve(borrowing: "b1", try world.draw("b1", amount: 1_000_000_000, on: "2022-05-02", maturity: "2023-03-31"))
    #expect(throws: DepositLedgerError.exceedsHeadroom(amount: Yen(1), headroom: .zero, on: W.date("2022-04-01"), valueDate: W.date("2022-04-01"))) {
      try world.place("d1", amount: 1, on: "2022-04-01", returnDate: "2022-09-30")
    }
    // A repayment dated later takes headroom from that day on, so a placement before it is capped too.
    try world.approve(borrowing: "b1", try world.repay("b1", amount: 600_000_000, on: "2022-08-01"))
    #expect(throws: DepositLedgerError.exceedsHeadroom(amount: Yen(500_000_000), headroom: Yen(400_000_000), on: W.date("2022-08-01"), valueDate: W.date("2022-06-01"))) {
      try world.place("d1", amount: 500_000_000, on: "2022-06-01", returnDate: "2022-09-30")
    }
  }

  @Test("a repayment that would leave deposits uncovered is refused; a pending return does not help until approved")
  func repaymentNeedsHeadroom() throws {
    var world = try Self.world()
    try world.approve(borrowing: "b1", try world.draw("b1", amount: 1_000_000_000, on: "2022-04-01", maturity: "2023-03-31"))
    try world.approve(deposit: "d1", try world.place("d1", amount: 1_000_000_000, on: "2022-04-01", returnDate: "2022-09-30"))
    #expect(throws: DepositLedgerError.exceedsHeadroom(amount: Yen(1), headroom: .zero, on: W.date("2022-05-02"), valueDate: W.date("2022-05-02"))) {
      try world.repay("b1", amount: 1, on: "2022-05-02")
    }
    let back = try world.receive("d1", amount: 500_000_000, on: "2022-05-02")
    #expect(throws: DepositLedgerError.exceedsHeadroom(amount: Yen(500_000_000), headroom: .zero, on: W.date("2022-05-02"), valueDate: W.date("2022-05-02"))) {
      try world.repay("b1", amount: 500_000_000, on: "2022-05-02")
    }
    try world.approve(deposit: "d1", back)
    try world.repay("b1", amount: 500_000_000, on: "2022-05-02")
  }

  @Test("own funds add to the headroom, and taking them out needs it")
  func ownFunds() throws {
    var world = try Self.world()
    try world.approve(borrowing: "b1", try world.draw("b1", amount: 1_000_000_000, on: "2022-04-01", maturity: "2023-03-31"))
    try world.contributeOwnFunds(100_000_000, on: "2022-04-01")
    try world.approve(deposit: "d1", try world.place("d1", amount: 1_100_000_000, on: "2022-04-01", returnDate: "2022-09-30"))
    let take = [JournalLine.debit(.ownFunds, Yen(1)), .credit(.bank(W.bank), Yen(1))]
    #expect(throws: DepositLedgerError.exceedsHeadroom(amount: Yen(1), headroom: .zero, on: W.date("2022-05-02"), valueDate: W.date("2022-05-02"))) {
      try world.enter(take, on: "2022-05-02")
    }
    let position = world.pool.position(asOf: W.date("2022-04-01"))
    #expect(position.borrowings == Yen(1_000_000_000))
    #expect(position.ownFunds == Yen(100_000_000))
    #expect(position.deposits == Yen(1_100_000_000))
  }

  @Test("a deposit goes to a handling institution, with a programme and a later return date on a business day")
  func placementChecked() throws {
    var world = try Self.world()
    try world.register("lender-only", roles: [.lender])
    #expect(throws: DepositLedgerError.institutionLacksRole(try InstitutionID("lender-only"), name: "lender-only銀行", role: .handling)) {
      try world.place("d1", with: "lender-only", amount: 1, on: "2022-04-01", returnDate: "2022-09-30")
    }
    #expect(throws: DepositLedgerError.notBusinessDay(field: "returnDate", W.date("2022-10-01"), closure: "a Saturday", next: W.date("2022-10-03"))) {
      try world.place("d1", amount: 1, on: "2022-04-01", returnDate: "2022-10-01")
    }
    #expect(throws: DepositLedgerError.invalidAmount(field: "amountYen", .zero)) {
      try world.place("d1", amount: 0, on: "2022-04-01", returnDate: "2022-09-30")
    }
  }

  @Test("a deposit is received back in part or in full, never beyond what is outstanding")
  func returns() throws {
    var world = try Self.world()
    try world.approve(borrowing: "b1", try world.draw("b1", amount: 1_000_000_000, on: "2022-04-01", maturity: "2023-03-31"))
    let placement = try world.place("d1", amount: 800_000_000, on: "2022-04-01", returnDate: "2022-09-30")
    let entered = try #require(world.deposit("d1").journal.entry(placement)?.entered)
    #expect(entered.lines == [.debit(.depositsPlaced(try InstitutionID("yokohama")), Yen(800_000_000)), .credit(.bank(W.bank), Yen(800_000_000))])
    try world.approve(deposit: "d1", placement)
    let part = try world.receive("d1", amount: 300_000_000, on: "2022-07-01")
    #expect(throws: DepositLedgerError.exceedsOutstanding(what: "deposit d1", amount: Yen(600_000_000), outstanding: Yen(500_000_000), on: W.date("2022-09-30"))) {
      try world.receive("d1", amount: 600_000_000, on: "2022-09-30")
    }
    let rest = try world.receive("d1", amount: nil, on: "2022-09-30")
    #expect(world.deposit("d1").journal.entry(rest)?.entered.amount == Yen(500_000_000))
    try world.approve(deposit: "d1", part)
    try world.approve(deposit: "d1", rest)
    #expect(world.deposit("d1").outstanding(asOf: W.date("2022-09-30")) == .zero)
    #expect(world.deposit("d1").outstanding(asOf: W.date("2022-08-01")) == Yen(500_000_000))
    #expect(world.pool.position(asOf: W.date("2022-09-30")).deposits == .zero)
  }

  @Test("reversing a deposit's return needs the headroom again")
  func reversedReturn() throws {
    var world = try Self.world()
    try world.approve(borrowing: "b1", try world.draw("b1", amount: 1_000_000_000, on: "2022-04-01", maturity: "2023-03-31"))
    try world.approve(deposit: "d1", try world.place("d1", amount: 1_000_000_000, on: "2022-04-01", returnDate: "2022-09-30"))
    let back = try world.receive("d1", amount: 400_000_000, on: "2022-05-02")
    try world.approve(deposit: "d1", back)
    try world.approve(deposit: "d2", try world.place("d2", with: "mizuho", amount: 400_000_000, on: "2022-05-02", returnDate: "2022-09-30"))
    #expect(throws: DepositLedgerError.exceedsHeadroom(amount: Yen(400_000_000), headroom: .zero, on: W.date("2022-05-06"), valueDate: W.date("2022-05-06"))) {
      try world.reverse(deposit: "d1", back, on: "2022-05-06")
    }
  }
}
