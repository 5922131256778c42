import DepositLedger
import PropertyBased
import SharedKernel
import Testing

/// 帳簿: balances as of a business date, the trial balance and the fiscal year's totals, as pure
/// folds over every stream's journal events.
@Suite("DepositLedger: books, trial balance, fiscal-year totals")
struct BooksTests {
  typealias W = World

  /// A quarter of the scheme: borrow ¥1bn from Yokohama, put in ¥50m own funds, place ¥1.05bn,
  /// get ¥300m back, repay ¥300m, accrue and pay interest, pay a bank charge — all approved.
  static func quarter() throws -> World {
    var world = World()
    try world.register("yokohama", roles: [.lender])
    try world.register("mizuho", roles: [.handling])
    try world.approve(borrowing: "b1", try world.draw("b1", amount: 1_000_000_000, on: "2022-04-01", maturity: "2022-07-01"))
    try world.contributeOwnFunds(50_000_000, on: "2022-04-01")
    try world.approve(deposit: "d1", try world.place("d1", with: "mizuho", amount: 1_050_000_000, on: "2022-04-01", returnDate: "2022-09-30"))
    try world.approve(deposit: "d1", try world.receive("d1", amount: 300_000_000, on: "2022-06-01"))
    try world.approve(borrowing: "b1", try world.repay("b1", amount: 300_000_000, on: "2022-06-01"))
    try world.approve(borrowing: "b1", try world.accrue("b1", through: "2022-06-30"))
    try world.approve(borrowing: "b1", try world.payInterest("b1", amount: nil, on: "2022-07-01"))
    try world.approve(manual: try world.enter([.debit(.bankCharges, Yen(660)), .credit(.bank(W.bank), Yen(660))], on: "2022-07-01"))
    return world
  }

  @Test("balances per account as of a date count approved entries with a value date on or before it")
  func balancesAsOf() throws {
    var world = try Self.quarter()
    let yokohama = try InstitutionID("yokohama")
    let mizuho = try InstitutionID("mizuho")
    let books = world.books
    // 1,000,000,000 × 61 days + 700,000,000 × 30 days = 82,000,000,000 yen-days → 280,821.9…
    let interest = Yen(280_821)
    #expect(try books.balance(of: .borrowings(yokohama), asOf: W.date("2022-05-31")) == Yen(1_000_000_000))
    #expect(try books.balance(of: .borrowings(yokohama), asOf: W.date("2022-06-01")) == Yen(700_000_000))
    #expect(try books.balance(of: .depositsPlaced(mizuho), asOf: W.date("2022-06-30")) == Yen(750_000_000))
    #expect(try books.balance(of: .interestExpense, asOf: W.date("2022-06-30")) == interest)
    #expect(try books.balance(of: .interestPayable, asOf: W.date("2022-06-30")) == interest)
    #expect(try books.balance(of: .interestPayable, asOf: W.date("2022-07-01")) == .zero)
    #expect(try books.balance(of: .ownFunds, asOf: W.date("2022-07-01")) == Yen(50_000_000))
    // Bank: +1,000m +50m −1,050m +300m −300m − interest − 660.
    #expect(try books.balance(of: .bank(W.bank), asOf: W.date("2022-07-01")) == Yen(-(interest.amount + 660)))
    #expect(try books.balances(asOf: W.date("2022-03-31")).isEmpty)
    // A pending entry counts nowhere.
    try world.enter([.debit(.bankCharges, Yen(440)), .credit(.bank(W.bank), Yen(440))], on: "2022-07-01")
    #expect(try world.books.balance(of: .bankCharges, asOf: W.date("2022-07-01")) == Yen(660))
  }

  @Test("the trial balance's debits equal its credits, and the chart's order is kept")
  func trialBalance() throws {
    let books = try Self.quarter().books
    let trial = try books.trialBalance(asOf: W.date("2022-07-31"))
    #expect(trial.isBalanced)
    #expect(trial.totalDebit == trial.totalCredit)
    #expect(trial.lines.map(\.account.code) == ["bank:main", "deposits:mizuho", "borrowings:yokohama", "interest-payable", "own-funds", "interest-expense", "bank-charges"])
    // The bank account is overdrawn by the interest and the charge: it stands on the credit side.
    #expect(trial.lines.first?.side == .credit)
  }

  @Test("the fiscal year's totals: borrowed, repaid, placed, returned, interest accrued and paid")
  func fiscalYearTotals() throws {
    var world = try Self.quarter()
    let year = try FiscalYear(2022)
    var totals = try world.books.totals(for: year)
    #expect(totals.borrowed == Yen(1_000_000_000))
    #expect(totals.repaid == Yen(300_000_000))
    #expect(totals.placed == Yen(1_050_000_000))
    #expect(totals.returned == Yen(300_000_000))
    #expect(totals.interestAccrued == Yen(280_821))
    #expect(totals.interestPaid == Yen(280_821))
    #expect(totals.bankCharges == Yen(660))
    // A reversal is taken off what it reverses.
    let charge = try #require(world.manual.values.flatMap(\.entries).first { $0.entered.purpose == .manual }?.id)
    let reversal = ReverseEntry(original: charge, id: try EntryID("r-1"), valueDate: W.date("2022-07-04"), memo: "", idempotencyKey: "r-1")
    world.apply(
      try ManualEntry.reverse(reversal, world.manual[charge] ?? ManualEntry.initialState, pool: world.pool, period: world.period(W.date("2022-07-04")), world.context()),
      toManual: charge)
    try world.approve(manual: try EntryID("r-1"), in: charge)
    totals = try world.books.totals(for: year)
    #expect(totals.bankCharges == .zero)
    #expect(try world.books.totals(for: try FiscalYear(2021)).borrowed == .zero)
  }

  @Test("the books agree with the funding pool on borrowings, own funds and deposits")
  func booksAgreeWithPool() throws {
    let world = try Self.quarter()
    let books = world.books
    for date in ["2022-04-01", "2022-06-01", "2022-07-31"].map(W.date) {
      let position = world.pool.position(asOf: date)
      let balances = try books.balances(asOf: date)
      func total(_ match: (LedgerAccount) -> Bool) -> Int64 { balances.filter { match($0.account) }.reduce(0) { $0 + $1.balance.amount } }
      #expect(position.borrowings.amount == total { if case .borrowings = $0 { true } else { false } })
      #expect(position.deposits.amount == total { if case .depositsPlaced = $0 { true } else { false } })
      #expect(position.ownFunds.amount == total { $0 == .ownFunds })
    }
  }

  // MARK: Properties

  /// One step of a random treasury: (operation, amount in ¥m, days after 2022-04-01, approve?).
  static let steps = zip(Gen.int(in: 0...7), Gen.int64(in: 1...1_500), Gen.int(in: 0...200), Gen.int(in: 0...3)).array(of: 1...25)

  @Test("whatever is entered and approved, deposits never exceed borrowings + own funds on any day, and the trial balance balances")
  func invariantsHold() async {
    await propertyCheck(count: 300, input: Self.steps) { steps in
      var world = World()
      try world.register("yokohama")
      let start = W.date("2022-04-01")
      var borrowings = 0
      var deposits = 0
      var dates: [LocalDate] = []
      for (operation, millions, offset, approve) in steps {
        let date = try ValueDates.rolledForward(try start.adding(days: offset))
        dates.append(date)
        let text = date.description
        let amount = millions * 1_000_000
        do {
          switch operation {
          case 0:
            borrowings += 1
            let entry = try world.draw("b\(borrowings)", amount: amount, on: text, maturity: "2023-03-31")
            if approve > 0 { try world.approve(borrowing: "b\(borrowings)", entry) }
          case 1:
            deposits += 1
            let entry = try world.place("d\(deposits)", amount: amount, on: text, returnDate: "2023-03-31")
            if approve > 0 { try world.approve(deposit: "d\(deposits)", entry) }
          case 2 where borrowings > 0:
            let id = "b\(offset % borrowings + 1)"
            let entry = try world.repay(id, amount: approve == 3 ? nil : amount, on: text)
            if approve > 0 { try world.approve(borrowing: id, entry) }
          case 3 where deposits > 0:
            let id = "d\(offset % deposits + 1)"
            let entry = try world.receive(id, amount: approve == 3 ? nil : amount, on: text)
            if approve > 0 { try world.approve(deposit: id, entry) }
          case 4:
            let entry = try world.enter([.debit(.bank(W.bank), Yen(amount)), .credit(.ownFunds, Yen(amount))], on: text)
            if approve > 0 { try world.approve(manual: entry) }
          case 5:
            let entry = try world.enter([.debit(.ownFunds, Yen(amount)), .credit(.bank(W.bank), Yen(amount))], on: text)
            if approve > 0 { try world.approve(manual: entry) }
          default:
            // Approve (or reject) everything still waiting, stream by stream in id order.
            for id in world.borrowings.keys.sorted() {
              for entry in world.borrowing(id.rawValue).journal.pending {
                if approve.isMultiple(of: 2) { try world.approve(borrowing: id.rawValue, entry.id) } else { try world.reject(borrowing: id.rawValue, entry.id) }
              }
            }
            for id in world.deposits.keys.sorted() {
              for entry in world.deposit(id.rawValue).journal.pending {
                if approve.isMultiple(of: 2) { try world.approve(deposit: id.rawValue, entry.id) } else { try world.reject(deposit: id.rawValue, entry.id) }
              }
            }
          }
        } catch is DepositLedgerError {
          // A refusal is fine: the invariants must hold whatever was accepted.
        }
      }
      let books = world.books
      for date in dates + [W.date("2023-03-31")] {
        let balances = try books.balances(asOf: date)
        func total(_ match: (LedgerAccount) -> Bool) -> Int64 { balances.filter { match($0.account) }.reduce(0) { $0 + $1.balance.amount } }
        let borrowed = total { if case .borrowings = $0 { true } else { false } }
        let placed = total { if case .depositsPlaced = $0 { true } else { false } }
        let own = total { $0 == .ownFunds }
        #expect(placed <= borrowed + own, "on \(date): placed \(placed) > borrowed \(borrowed) + own funds \(own)")
        #expect(borrowed >= 0 && placed >= 0 && own >= 0)
        #expect(try books.trialBalance(asOf: date).isBalanced)
        #expect(world.pool.position(asOf: date).deposits.amount == placed)
      }
    }
  }
}
