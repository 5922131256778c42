import DepositLedger
import SharedKernel
import Testing

/// 預託原資の借入: drawdown, part and full repayment (償還), interest accrued from the balance
/// history and paid, value dates on bank business days.
@Suite("DepositLedger: borrowings")
struct BorrowingTests {
  typealias W = World

  /// Yokohama registered as lender and handling institution, Mizuho as handling only.
  static func world() throws -> World {
    var world = World()
    try world.register("yokohama")
    try world.register("mizuho", roles: [.handling])
    return world
  }

  /// ¥1,000,000,000 at 0.125% (片端, 365) drawn 2022-04-01 to 2022-07-01, approved.
  static func drawn(_ terms: InterestTerms? = nil) throws -> World {
    var world = try world()
    let entry = try world.draw("b1", amount: 1_000_000_000, on: "2022-04-01", maturity: "2022-07-01", terms: terms)
    try world.approve(borrowing: "b1", entry)
    return world
  }

  @Test("a drawdown posts Dr 普通預金 / Cr 借入金 of the lender and counts once approved")
  func drawdown() throws {
    var world = try Self.world()
    let entry = try world.draw("b1", amount: 1_000_000_000, on: "2022-04-01", maturity: "2022-07-01")
    let record = world.borrowing("b1")
    let entered = try #require(record.journal.entry(entry)?.entered)
    #expect(entered.purpose == .drawdown)
    #expect(entered.lines == [.debit(.bank(W.bank), Yen(1_000_000_000)), .credit(.borrowings(try InstitutionID("yokohama")), Yen(1_000_000_000))])
    #expect(record.drawn.lenderName == "yokohama銀行")
    #expect(record.outstanding(asOf: W.date("2022-04-01")) == .zero)
    try world.approve(borrowing: "b1", entry)
    #expect(world.borrowing("b1").outstanding(asOf: W.date("2022-04-01")) == Yen(1_000_000_000))
    #expect(world.borrowing("b1").outstanding(asOf: W.date("2022-03-31")) == .zero)
    #expect(try Borrowing.stream(try BorrowingID("b1")).rawValue == "borrowing-b1")
  }

  @Test("the lender must be registered as a lender")
  func lenderRole() throws {
    var world = try Self.world()
    #expect(throws: DepositLedgerError.institutionLacksRole(try InstitutionID("mizuho"), name: "mizuho銀行", role: .lender)) {
      try world.draw("b1", from: "mizuho", amount: 1, on: "2022-04-01", maturity: "2022-07-01")
    }
    #expect(throws: DepositLedgerError.unknownInstitution(try InstitutionID("nowhere"))) {
      try world.draw("b1", from: "nowhere", amount: 1, on: "2022-04-01", maturity: "2022-07-01")
    }
    #expect(throws: DepositLedgerError.forbidden(action: "draw a borrowing", allowed: [.treasury], actual: .desk)) {
      try world.draw("b1", amount: 1, on: "2022-04-01", maturity: "2022-07-01", by: World.desk)
    }
  }

  @Test("a value date or maturity on a day banks are closed is refused, naming the next business day")
  func businessDays() throws {
    var world = try Self.world()
    #expect(throws: DepositLedgerError.notBusinessDay(field: "valueDate", W.date("2022-04-29"), closure: "a holiday (昭和の日)", next: W.date("2022-05-02"))) {
      try world.draw("b1", amount: 1, on: "2022-04-29", maturity: "2022-07-01")
    }
    #expect(throws: DepositLedgerError.notBusinessDay(field: "maturity", W.date("2022-07-02"), closure: "a Saturday", next: W.date("2022-07-04"))) {
      try world.draw("b1", amount: 1, on: "2022-04-01", maturity: "2022-07-02")
    }
    #expect(
      throws: DepositLedgerError.notBusinessDay(
        field: "valueDate", W.date("2022-12-31"), closure: "a year-end bank holiday (年末年始, 31 December – 3 January)", next: W.date("2023-01-04"))
    ) {
      try world.draw("b1", amount: 1, on: "2022-12-31", maturity: "2023-03-31")
    }
    #expect(throws: DepositLedgerError.dateTooEarly(field: "maturity", W.date("2022-04-01"), earliest: W.date("2022-04-02"), what: "the day after the value date")) {
      try world.draw("b1", amount: 1, on: "2022-04-01", maturity: "2022-04-01")
    }
  }

  @Test("a computed maturity rolls to the next business day, month ends clamped (31 → 30)")
  func computedMaturity() throws {
    #expect(try ValueDates.maturity(of: W.date("2022-05-31"), monthsAfter: 1) == W.date("2022-06-30"))
    #expect(try ValueDates.maturity(of: W.date("2022-01-31"), monthsAfter: 3) == W.date("2022-05-02"))  // 4/30 is a Saturday
    #expect(try ValueDates.maturity(of: W.date("2022-06-19"), monthsAfter: 3) == W.date("2022-09-20"))  // 9/19 敬老の日
    #expect(try ValueDates.maturity(of: W.date("2022-10-03"), monthsAfter: 3) == W.date("2023-01-04"))  // 1/3 年末年始
    #expect(try ValueDates.maturity(of: W.date("2022-04-01"), monthsAfter: 3) == W.date("2022-07-01"))
  }

  @Test("nothing can be repaid before the drawdown is approved (a pending drawdown adds nothing)")
  func repayBeforeApproval() throws {
    var world = try Self.world()
    try world.draw("b1", amount: 1_000_000, on: "2022-04-01", maturity: "2022-07-01")
    #expect(throws: DepositLedgerError.exceedsOutstanding(what: "borrowing b1", amount: Yen(1), outstanding: .zero, on: W.date("2022-05-02"))) {
      try world.repay("b1", amount: 1, on: "2022-05-02")
    }
  }

  @Test("part repayments never exceed what is outstanding, counting repayments awaiting approval")
  func repaymentsCovered() throws {
    var world = try Self.drawn()
    try world.repay("b1", amount: 600_000_000, on: "2022-05-16")
    // ¥600m awaits approval: only ¥400m can still be repaid, on that day or earlier.
    #expect(throws: DepositLedgerError.exceedsOutstanding(what: "borrowing b1", amount: Yen(500_000_000), outstanding: Yen(400_000_000), on: W.date("2022-05-16"))) {
      try world.repay("b1", amount: 500_000_000, on: "2022-05-02")
    }
    let rest = try world.repay("b1", amount: nil, on: "2022-06-01")
    let entered = try #require(world.borrowing("b1").journal.entry(rest)?.entered)
    #expect(entered.amount == Yen(400_000_000))
    #expect(entered.lines.first == .debit(.borrowings(try InstitutionID("yokohama")), Yen(400_000_000)))
    #expect(throws: DepositLedgerError.exceedsOutstanding(what: "borrowing b1", amount: .zero, outstanding: .zero, on: W.date("2022-06-02"))) {
      try world.repay("b1", amount: nil, on: "2022-06-02")
    }
    #expect(throws: DepositLedgerError.dateTooEarly(field: "valueDate", W.date("2022-03-31"), earliest: W.date("2022-04-01"), what: "the drawdown's value date")) {
      try world.repay("b1", amount: 1, on: "2022-03-31")
    }
  }

  @Test("interest is accrued from the balance history: 積数 across a part repayment, truncated once per accrual")
  func accrualAcrossPartRepayment() throws {
    var world = try Self.drawn()
    let repayment = try world.repay("b1", amount: 400_000_000, on: "2022-05-16")
    #expect(throws: DepositLedgerError.principalPending(try BorrowingID("b1"), entries: [repayment])) {
      try world.accrue("b1", through: "2022-05-31")
    }
    try world.approve(borrowing: "b1", repayment)
    // 1,000,000,000 × 45 days + 600,000,000 × 16 days = 54,600,000,000 yen-days; × 0.125% ÷ 365 = 186,986.30…
    let may = try world.accrue("b1", through: "2022-05-31")
    let mayEntry = try #require(world.borrowing("b1").journal.entry(may)?.entered)
    #expect(mayEntry.amount == Yen(186_986))
    #expect(mayEntry.lines == [.debit(.interestExpense, Yen(186_986)), .credit(.interestPayable, Yen(186_986))])
    #expect(mayEntry.period?.from == W.date("2022-04-01"))
    #expect(mayEntry.period?.days == 61)
    #expect(mayEntry.period?.product == "54600000000")
    #expect(mayEntry.valueDate == W.date("2022-05-31"))
    // The next period follows on: 600,000,000 × 30 days → 61,643.83…
    let june = try world.accrue("b1", through: "2022-06-30")
    #expect(world.borrowing("b1").journal.entry(june)?.entered.amount == Yen(61_643))
    #expect(world.borrowing("b1").accruedThrough == W.date("2022-06-30"))
    // Principal may not move inside what is accrued.
    #expect(throws: DepositLedgerError.movementInAccruedPeriod(try BorrowingID("b1"), date: W.date("2022-06-30"), accruedThrough: W.date("2022-06-30"))) {
      try world.repay("b1", amount: nil, on: "2022-06-30")
    }
    let final = try world.repay("b1", amount: nil, on: "2022-07-01")
    try world.approve(borrowing: "b1", final)
    // 片端: the repayment day bears no interest.
    #expect(throws: DepositLedgerError.nothingToAccrue(try BorrowingID("b1"), from: W.date("2022-07-01"), through: W.date("2022-07-01"))) {
      try world.accrue("b1", through: "2022-07-01")
    }
    // The whole loan in one period would have been 72,600,000,000 yen-days → 248,630: one yen more than two truncations.
    let whole = try Interest.quote(segments: [(W.date("2022-04-01"), Yen(1_000_000_000)), (W.date("2022-05-16"), Yen(600_000_000))], to: W.date("2022-07-01"), rate: W.rate("0.125"))
    #expect(whole.interest == Yen(248_630))
  }

  @Test("両端: the final repayment day bears interest on what is repaid")
  func bothEndsFinalDay() throws {
    var world = try Self.drawn(InterestTerms(rate: W.rate("0.125"), dayCount: .ryohashi))
    let final = try world.repay("b1", amount: nil, on: "2022-07-01")
    try world.approve(borrowing: "b1", final)
    let accrual = try world.accrue("b1", through: "2022-07-01")
    // 1,000,000,000 × 92 days (4/1 … 7/1 both included) × 0.125% ÷ 365 = 315,068.49…
    #expect(world.borrowing("b1").journal.entry(accrual)?.entered.amount == Yen(315_068))
    #expect(world.borrowing("b1").journal.entry(accrual)?.entered.period?.days == 92)
  }

  @Test("interest paid never exceeds what is accrued and approved, less payments awaiting approval")
  func interestPayment() throws {
    var world = try Self.drawn()
    let accrual = try world.accrue("b1", through: "2022-06-30")
    #expect(throws: DepositLedgerError.exceedsOutstanding(what: "interest payable on borrowing b1", amount: .zero, outstanding: .zero, on: W.date("2022-07-01"))) {
      try world.payInterest("b1", amount: nil, on: "2022-07-01")
    }
    try world.approve(borrowing: "b1", accrual)
    let accrued = try #require(world.borrowing("b1").journal.entry(accrual)?.entered.amount)
    let paid = try world.payInterest("b1", amount: nil, on: "2022-07-01")
    let entered = try #require(world.borrowing("b1").journal.entry(paid)?.entered)
    #expect(entered.amount == accrued)
    #expect(entered.lines == [.debit(.interestPayable, accrued), .credit(.bank(W.bank), accrued)])
    #expect(throws: DepositLedgerError.exceedsOutstanding(what: "interest payable on borrowing b1", amount: Yen(1), outstanding: .zero, on: W.date("2022-07-01"))) {
      try world.payInterest("b1", amount: 1, on: "2022-07-01")
    }
    try world.approve(borrowing: "b1", paid)
    #expect(world.borrowing("b1").interestPayable(asOf: W.date("2022-07-01")) == .zero)
  }

  @Test("only the latest accrual is reversed, and the next accrual starts again where it did")
  func accrualReversal() throws {
    var world = try Self.drawn()
    let april = try world.accrue("b1", through: "2022-04-30")
    try world.approve(borrowing: "b1", april)
    let may = try world.accrue("b1", through: "2022-05-31")
    try world.approve(borrowing: "b1", may)
    #expect(throws: DepositLedgerError.notLatestAccrual(april, latest: may)) { try world.reverse(borrowing: "b1", april, on: "2022-06-01") }
    let reversal = try world.reverse(borrowing: "b1", may, on: "2022-06-01")
    #expect(throws: DepositLedgerError.accrualReversalPending(try BorrowingID("b1"), entry: reversal)) {
      try world.accrue("b1", through: "2022-06-30")
    }
    try world.approve(borrowing: "b1", reversal)
    #expect(world.borrowing("b1").accruedThrough == W.date("2022-04-30"))
    #expect(world.borrowing("b1").nextAccrualStart == W.date("2022-05-01"))
    #expect(world.borrowing("b1").interestPayable(asOf: W.date("2022-06-01")) == world.borrowing("b1").journal.entry(april)?.entered.amount)
  }

  @Test("reversing an approved drawdown is checked like a repayment")
  func drawdownReversal() throws {
    var world = try Self.drawn()
    let drawdown = world.borrowing("b1").drawn.entry
    try world.repay("b1", amount: 1, on: "2022-05-02")
    #expect(throws: DepositLedgerError.exceedsOutstanding(what: "borrowing b1", amount: Yen(1_000_000_000), outstanding: Yen(999_999_999), on: W.date("2022-05-02"))) {
      try world.reverse(borrowing: "b1", drawdown, on: "2022-05-02")
    }
  }

  @Test("the interest schedule lists each period's days, balances and interest, with the totals")
  func schedule() throws {
    var world = try Self.drawn()
    try world.approve(borrowing: "b1", try world.repay("b1", amount: 400_000_000, on: "2022-05-16"))
    let schedule = try Borrowing.schedule(world.borrowing("b1"))
    #expect(schedule.lines.map(\.through) == ["2022-04-30", "2022-05-31", "2022-06-30", "2022-07-01"].map(W.date))
    #expect(schedule.lines.map(\.days) == [30, 31, 30, 0])
    #expect(schedule.lines.map(\.closingBalance) == [Yen(1_000_000_000), Yen(600_000_000), Yen(600_000_000), .zero])
    #expect(schedule.lines[1].openingBalance == Yen(1_000_000_000))
    // 30,000,000,000 yen-days × 0.00125 ÷ 365 = 102,739.7…; 24,600,000,000 → 84,246.5…; 18,000,000,000 → 61,643.8…
    #expect(schedule.lines.map(\.interest) == [Yen(102_739), Yen(84_246), Yen(61_643), .zero])
    #expect(schedule.totalDays == 91)
    #expect(schedule.totalInterest == Yen(248_628))
    // The periods' 積数 add up to the whole loan's.
    #expect(schedule.lines.map(\.product).reduce(0, +) == 72_600_000_000)
    // Not projected: the approved history only, with nothing repaid at maturity.
    let actual = try Borrowing.schedule(world.borrowing("b1"), periodEnds: [W.date("2022-07-31")], projected: false)
    #expect(actual.lines.first?.closingBalance == Yen(600_000_000))
    #expect(actual.lines.first?.days == 122)
  }

  @Test("accruals refuse a period that does not follow on")
  func accrualStart() throws {
    var world = try Self.drawn()
    try world.accrue("b1", through: "2022-04-30")
    #expect(throws: DepositLedgerError.dateTooEarly(field: "through", W.date("2022-04-30"), earliest: W.date("2022-05-01"), what: "the first day not yet accrued")) {
      try world.accrue("b1", through: "2022-04-30")
    }
  }
}
