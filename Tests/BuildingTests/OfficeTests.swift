import Building
import EventLog
import Foundation
import SharedKernel
import Testing

/// 貸事務室: the unit register, leases, their invoices and payments, deposits, notice and occupancy.
@Suite("Building: rental offices")
struct OfficeTests {
  typealias L = TestLetting

  /// Three leasable units on 7F (100, 50 and 150㎡) and the foundation's own 4F, let from 2023.
  static let register: OfficeRegister.State = {
    let at = L.date("2021-01-01").startInJapan
    func unit(_ id: String, _ floor: Int, _ name: String, _ area: Int64, leasable: Bool = true, note: String? = nil) -> OfficeUnit {
      OfficeUnit(id: try! OfficeUnitID(id), floor: floor, name: name, area: FloorArea(hundredths: area), leasable: leasable, note: note)
    }
    let commands: [OfficeRegister.Command] = [
      .register(unit("7F-701", 7, "701号室", 10_000), from: L.date("2000-04-01"), at: at),
      .register(unit("7F-702", 7, "702号室", 5_000), from: L.date("2000-04-01"), at: at),
      .register(unit("7F-703", 7, "703号室", 15_000), from: L.date("2000-04-01"), at: at),
      .register(unit("4F-401", 4, "401号室", 20_000, leasable: false, note: "財団事務所"), from: L.date("2000-04-01"), at: at),
      .change(unit("4F-401", 4, "401号室", 20_000), from: L.date("2023-01-01"), at: at),
    ]
    var state = OfficeRegister.initialState
    for command in commands { state = try! OfficeRegister.decide(command, state).reduce(state, OfficeRegister.evolve) }
    return state
  }()

  /// The building's office streams in memory: what the service would load and append.
  struct Offices {
    var leases: [LeaseID: Lease.State] = [:]
    var calendars: [String: PremisesCalendar.State] = [:]
    var numbers: [FiscalYear: InvoiceNumbers.State] = [:]

    var unitCalendars: [OfficeUnitID: PremisesCalendar.State] {
      Dictionary(uniqueKeysWithValues: calendars.map { (try! OfficeUnitID($0.key), $0.value) })
    }

    func lease(_ id: String) -> Lease.Record { leases[try! LeaseID(id)]!! }

    mutating func apply(_ decision: Lease.Decision, to id: LeaseID) {
      leases[id] = decision.events.reduce(leases[id] ?? Lease.initialState, Lease.evolve)
      calendars = L.calendars([decision], into: calendars)
      for case .issued(let issued) in decision.numbers {
        let year = try! FiscalYear(parsing: "FY" + issued.number.dropFirst().prefix(4))
        numbers[year] = InvoiceNumbers.evolve(numbers[year] ?? 0, .issued(issued))
      }
    }

    mutating func apply(_ events: [Lease.Event], to id: String) {
      leases[try! LeaseID(id)] = events.reduce(leases[try! LeaseID(id)] ?? Lease.initialState, Lease.evolve)
    }

    @discardableResult
    mutating func sign(
      _ id: String, _ units: [String], from start: String, to end: String, renewal: Int? = 24, rent: Int64 = 300_000, common: Int64 = 50_000,
      basis: TaxBasis = .exclusive, deposit: Int64 = 1_800_000, on today: String? = nil
    ) throws -> Lease.Record {
      let terms = TenancyTerms(
        start: L.date(start), end: L.date(end), renewalMonths: renewal, noticeMonths: 6,
        charges: [MonthlyCharge(label: "賃料", amount: Yen(rent)), MonthlyCharge(label: "共益費", amount: Yen(common))], basis: basis)
      let lease = try LeaseID(id)
      let new = NewLease(id: lease, tenant: L.party(), units: try units.map { try OfficeUnitID($0) }, terms: terms, deposit: Yen(deposit))
      apply(try Lease.sign(new, L.context(today ?? start), register: OfficeTests.register, calendars: unitCalendars, leases[lease] ?? nil), to: lease)
      return self.lease(id)
    }

    mutating func notice(_ id: String, on day: String, end: String?) throws {
      let lease = try LeaseID(id)
      apply(try Lease.giveNotice(leases[lease]!, end: end.map(L.date), L.context(day), calendars: unitCalendars), to: lease)
    }

    mutating func terminate(_ id: String, end: String, on day: String, agreed: Bool = false) throws {
      let lease = try LeaseID(id)
      apply(try Lease.terminate(leases[lease]!, end: L.date(end), reason: "移転のため", agreed: agreed, L.context(day), calendars: unitCalendars), to: lease)
    }

    @discardableResult
    mutating func invoice(_ id: String, _ month: String, on day: String) throws -> Ledger.Invoice {
      let lease = try LeaseID(id)
      let context = L.context(day)
      let decision = try Lease.invoice(leases[lease]!, month: L.month(month), context, numbers: numbers[FiscalYear(containing: context.today)] ?? 0)
      apply(decision, to: lease)
      return self.lease(id).tenancy.ledger.invoices.last!
    }

    mutating func pay(_ id: String, _ amount: Int64, invoice: String? = nil, on day: String) throws {
      apply(try Lease.pay(leases[try LeaseID(id)]!, amount: Yen(amount), method: .transfer, invoice: invoice, L.context(day)), to: id)
    }
  }

  @Test("㎡ are held in hundredths and 坪 derived exactly (1坪 = 400/121㎡), sums converted once")
  func squareMetresAndTsubo() throws {
    #expect(FloorArea(hundredths: 40_000).tsuboText == "121.00坪")
    #expect(FloorArea(hundredths: 10_000).tsuboHundredths == 3_025)
    #expect(FloorArea(hundredths: 331).tsuboText == "1.00坪")
    #expect(FloorArea(hundredths: 330).tsuboText == "0.99坪")
    // Two units of 1.65㎡ are 0.49坪 each, but together 3.30㎡ are 0.99坪, not 0.98.
    let small = FloorArea(hundredths: 165)
    #expect(small.tsuboText == "0.49坪" && small.adding(small).tsuboText == "0.99坪")
    #expect(try FloorArea(squareMetres: "123.45㎡").hundredths == 12_345)
    #expect(try FloorArea(squareMetres: "１２３.４").hundredths == 12_340)
    #expect(throws: BuildingError.self) { try FloorArea(squareMetres: "1.234") }
    #expect(throws: BuildingError.self) { try FloorArea(squareMetres: "-3") }
    #expect(FloorArea(hundredths: 12_345).description == "123.45㎡（37.34坪）")
    // 30.25坪 let at ¥302,500 a month is ¥10,000 per 坪.
    #expect(FloorArea(hundredths: 10_000).yenPerTsubo(Yen(302_500)) == Yen(10_000))
  }

  @Test("a unit is never let twice over overlapping periods; a self-renewing lease holds it until notice")
  func overlappingLeaseRefused() throws {
    var offices = Offices()
    try offices.sign("l-a", ["7F-701"], from: "2022-04-01", to: "2024-03-31")
    do {
      try offices.sign("l-b", ["7F-702", "7F-701"], from: "2022-10-01", to: "2023-09-30", renewal: nil)
      Issue.record("a let unit was let again")
    } catch BuildingError.premisesTaken(let premises, _, _, let by, let heldFrom, let heldThrough) {
      #expect(premises == "7F-701" && by == "l-a" && heldFrom == L.date("2022-04-01") && heldThrough == nil)
    }
    // Renewing itself, the lease holds the unit past its first term.
    #expect(throws: BuildingError.self) { try offices.sign("l-b", ["7F-701"], from: "2025-04-01", to: "2027-03-31") }
    // Nothing of the refused leases was held: 702 is still free.
    try offices.sign("l-c", ["7F-702"], from: "2022-10-01", to: "2023-09-30", renewal: nil)
    try offices.notice("l-a", on: "2022-07-01", end: "2023-03-31")
    #expect(throws: BuildingError.self) { try offices.sign("l-b", ["7F-701"], from: "2023-03-31", to: "2025-03-31") }
    try offices.sign("l-b", ["7F-701"], from: "2023-04-01", to: "2025-03-31")
    // The fixed-term lease of 702 ends on its term: the next may start the day after, not before.
    #expect(throws: BuildingError.self) { try offices.sign("l-d", ["7F-702"], from: "2023-09-30", to: "2025-09-30") }
    try offices.sign("l-d", ["7F-702"], from: "2023-10-01", to: "2025-09-30")
    // The foundation's own floor is not let before it is made leasable; an unknown unit, never.
    #expect(throws: BuildingError.notLettable("4F-401", date: L.date("2022-04-01"), note: "財団事務所")) {
      try offices.sign("l-e", ["4F-401"], from: "2022-04-01", to: "2024-03-31")
    }
    #expect(throws: BuildingError.unknownPremises("9F-901")) { try offices.sign("l-e", ["9F-901"], from: "2022-04-01", to: "2024-03-31") }
  }

  @Test("occupancy at each month end across a termination, a new lease from mid-month and a floor made leasable")
  func occupancyAtMonthEnds() throws {
    var offices = Offices()
    try offices.sign("l-a", ["7F-701"], from: "2021-04-01", to: "2023-03-31", on: "2021-03-01")
    try offices.sign("l-b", ["7F-702"], from: "2022-04-01", to: "2025-03-31", renewal: nil)
    try offices.notice("l-a", on: "2022-04-15", end: "2022-10-31")
    try offices.sign("l-d", ["7F-703"], from: "2022-08-10", to: "2024-08-09")
    try offices.terminate("l-a", end: "2022-10-31", on: "2022-11-01")
    try offices.sign("l-c", ["7F-701"], from: "2022-12-15", to: "2024-12-14", on: "2022-11-20")
    let figures = OfficeOccupancy.monthEnds(of: try FiscalYear(2022), register: Self.register, leases: offices.leases.values.compactMap { $0 })
    #expect(figures.map(\.date.description) == FiscalYear(containing: L.date("2022-04-01")).months.map(\.lastDay.description))
    // Let (㎡, under notice included), under notice (㎡), leasable (㎡), the rate.
    let expected: [(Int64, Int64, Int64, String)] = [
      (150, 100, 300, "50.00%"), (150, 100, 300, "50.00%"), (150, 100, 300, "50.00%"), (150, 100, 300, "50.00%"),  // Apr–Jul
      (300, 100, 300, "100.00%"), (300, 100, 300, "100.00%"), (300, 100, 300, "100.00%"),  // Aug–Oct: 703 from 10 Aug; 701 through 31 Oct
      (200, 0, 300, "66.66%"),  // Nov: 701 vacant
      (300, 0, 300, "100.00%"),  // Dec: 701 let again from 15 Dec
      (300, 0, 500, "60.00%"), (300, 0, 500, "60.00%"), (300, 0, 500, "60.00%"),  // Jan–Mar: 4F let from 2023
    ]
    for (figure, want) in zip(figures, expected) {
      #expect(
        [figure.occupied, figure.underNotice, figure.lettable] == [want.0 * 100, want.1 * 100, want.2 * 100] && figure.rateText == want.3,
        "\(figure.date)")
    }
    #expect(figures[7].vacantPremises == ["7F-701"])
    #expect(figures[3].underNoticePremises == ["7F-701"] && figures[3].occupiedWithoutNotice == 5_000)
    #expect(figures[9].vacantPremises == ["4F-401"] && figures[9].lettableArea.tsuboText == "151.25坪")
  }

  @Test("the first and last months are let pro rata by days, to the yen, and the tax is once per invoice")
  func proRata() throws {
    var offices = Offices()
    try offices.sign("l-a", ["7F-701"], from: "2022-06-15", to: "2024-06-14", on: "2022-05-20")
    // June: 16 of 30 days. 300,000 × 16 ÷ 30 = 160,000; 50,000 × 16 ÷ 30 = 26,666.6… → 26,666.
    let june = try offices.invoice("l-a", "2022-06", on: "2022-05-25")
    #expect(june.lines.map(\.amount) == [Yen(160_000), Yen(26_666)] && june.lines.map(\.days) == [16, 16])
    #expect([june.subtotal, june.tax, june.total] == [Yen(186_666), Yen(18_666), Yen(205_332)])
    #expect(june.from == L.date("2022-06-15") && june.through == L.date("2022-06-30") && june.due == L.date("2022-05-31"))
    let july = try offices.invoice("l-a", "2022-07", on: "2022-06-20")
    #expect([july.subtotal, july.tax, july.total] == [Yen(350_000), Yen(35_000), Yen(385_000)])
    try offices.notice("l-a", on: "2022-08-01", end: "2023-02-10")
    // February 2023: 10 of 28 days. 107,142.8… → 107,142; 17,857.1… → 17,857; tax 12,499.9 → 12,499.
    let february = try offices.invoice("l-a", "2023-02", on: "2023-01-10")
    #expect(february.lines.map(\.amount) == [Yen(107_142), Yen(17_857)])
    #expect([february.subtotal, february.tax, february.total] == [Yen(124_999), Yen(12_499), Yen(137_498)])
    #expect(throws: BuildingError.notLetInMonth("l-a", month: L.month("2023-03"))) { try offices.invoice("l-a", "2023-03", on: "2023-02-10") }
    #expect(throws: BuildingError.invoiceTooEarly("l-a", month: L.month("2022-10"), from: L.date("2022-09-01"))) {
      try offices.invoice("l-a", "2022-10", on: "2022-08-31")
    }
    // Amounts stated 税込 have the tax they include stated instead: 330,000 × 10 ÷ 110 = 30,000.
    try offices.sign("l-b", ["7F-702"], from: "2022-06-01", to: "2024-05-31", rent: 330_000, common: 0, basis: .inclusive, on: "2022-05-20")
    let included = try offices.invoice("l-b", "2022-06", on: "2022-05-25")
    #expect([included.subtotal, included.tax, included.total] == [Yen(300_000), Yen(30_000), Yen(330_000)] && included.basis == .inclusive)
  }

  @Test("invoices are numbered without gaps in the fiscal year they are issued in; a month is invoiced once")
  func numbering() throws {
    var offices = Offices()
    try offices.sign("l-a", ["7F-701"], from: "2022-04-01", to: "2024-03-31", on: "2022-03-01")
    try offices.sign("l-b", ["7F-702"], from: "2022-04-01", to: "2024-03-31", on: "2022-03-01")
    let numbers = [
      try offices.invoice("l-a", "2022-04", on: "2022-04-01"), try offices.invoice("l-b", "2022-04", on: "2022-04-01"),
      try offices.invoice("l-a", "2022-05", on: "2022-04-20"),
    ].map(\.number)
    #expect(numbers == ["I2022-00001", "I2022-00002", "I2022-00003"])
    #expect(throws: BuildingError.alreadyInvoiced("l-a", month: L.month("2022-05"), number: "I2022-00003")) {
      try offices.invoice("l-a", "2022-05", on: "2022-04-21")
    }
    #expect(try offices.invoice("l-b", "2022-05", on: "2022-04-21").number == "I2022-00004")
    // March's invoices are FY2022's; those issued from 1 April start FY2023's series.
    #expect(try offices.invoice("l-a", "2023-04", on: "2023-03-25").number == "I2022-00005")
    #expect(try offices.invoice("l-b", "2023-04", on: "2023-04-01").number == "I2023-00001")
    #expect(try InvoiceNumbers.stream(year: FiscalYear(2023)).rawValue == "invoices-FY2023")
  }

  @Test("a payment is never more than is owed; without an invoice named it pays the oldest first")
  func payments() throws {
    var offices = Offices()
    try offices.sign("l-a", ["7F-701"], from: "2022-04-01", to: "2024-03-31", on: "2022-03-01")
    let april = try offices.invoice("l-a", "2022-04", on: "2022-03-20")
    #expect(throws: BuildingError.paymentExceedsOwed("l-a", amount: Yen(385_001), owed: Yen(385_000))) { try offices.pay("l-a", 385_001, on: "2022-03-31") }
    try offices.pay("l-a", 100_000, on: "2022-03-31")
    let may = try offices.invoice("l-a", "2022-05", on: "2022-04-20")
    // Named, an invoice takes no more than its own balance, even with more owed in all.
    #expect(throws: BuildingError.paymentExceedsOwed("l-a", amount: Yen(300_000), owed: Yen(285_000))) {
      try offices.pay("l-a", 300_000, invoice: april.number, on: "2022-04-30")
    }
    try offices.pay("l-a", 300_000, on: "2022-04-30")
    let ledger = offices.lease("l-a").tenancy.ledger
    #expect(ledger.payments.last?.allocations.map(\.amount) == [Yen(285_000), Yen(15_000)])
    #expect(ledger.balance(of: april) == .zero && ledger.balance(of: may) == Yen(370_000) && ledger.owed() == Yen(370_000))
    try offices.pay("l-a", 370_000, invoice: may.number, on: "2022-04-30")
    #expect(throws: BuildingError.paymentExceedsOwed("l-a", amount: Yen(1), owed: .zero)) { try offices.pay("l-a", 1, on: "2022-05-01") }
    #expect(throws: BuildingError.invalidAmount(.zero)) { try offices.pay("l-a", 0, on: "2022-05-01") }
    #expect(throws: BuildingError.unknownInvoice("I2022-09999")) { try offices.pay("l-a", 1, invoice: "I2022-09999", on: "2022-05-01") }
  }

  @Test("arrears count the days overdue from the due date (the last day of the month before), across a year end")
  func arrears() throws {
    var offices = Offices()
    try offices.sign("l-a", ["7F-701"], from: "2022-04-01", to: "2024-03-31", on: "2022-03-01")
    let january = try offices.invoice("l-a", "2023-01", on: "2022-12-01")
    let february = try offices.invoice("l-a", "2023-02", on: "2023-01-05")
    #expect(january.due == L.date("2022-12-31") && february.due == L.date("2023-01-31"))
    try offices.pay("l-a", 100_000, on: "2023-01-05")
    var ledger = offices.lease("l-a").tenancy.ledger
    #expect(ledger.arrears(asOf: L.date("2022-12-31")).isEmpty)
    #expect(ledger.arrears(asOf: L.date("2023-01-01")).map(\.daysOverdue) == [1])
    let tenth = ledger.arrears(asOf: L.date("2023-01-10"))
    #expect(tenth.map(\.invoice) == [january.number] && tenth.map(\.daysOverdue) == [10] && tenth.map(\.balance) == [Yen(285_000)])
    // A payment counts from the day it was received: before it, the balance as it was.
    #expect(ledger.arrears(asOf: L.date("2023-01-04")).map(\.balance) == [Yen(385_000)])
    try offices.pay("l-a", 285_000, on: "2023-02-03")
    ledger = offices.lease("l-a").tenancy.ledger
    let february2 = ledger.arrears(asOf: L.date("2023-02-02"))
    #expect(february2.map(\.daysOverdue) == [33, 2] && february2.map(\.balance) == [Yen(285_000), Yen(385_000)])
    let after = ledger.arrears(asOf: L.date("2023-03-01"))
    #expect(after.map(\.invoice) == [february.number] && after.map(\.daysOverdue) == [29])
    #expect(throws: BuildingError.dateInFuture(L.date("2023-03-02"))) {
      try Lease.pay(offices.leases[try LeaseID("l-a")]!, amount: Yen(1), method: .transfer, invoice: nil, on: L.date("2023-03-02"), L.context("2023-03-01"))
    }
  }

  @Test("the deposit is held, and returned at the end less deductions with their reasons; unpaid rent is paid from it")
  func deposit() throws {
    var offices = Offices()
    try offices.sign("l-a", ["7F-701"], from: "2022-04-01", to: "2024-03-31", on: "2022-03-01")
    let lease = try LeaseID("l-a")
    offices.apply(try Lease.receiveDeposit(offices.leases[lease]!, amount: Yen(1_000_000), method: .transfer, L.context("2022-03-10")), to: "l-a")
    offices.apply(try Lease.receiveDeposit(offices.leases[lease]!, amount: Yen(800_000), method: .transfer, L.context("2022-03-15")), to: "l-a")
    #expect(throws: BuildingError.depositBeyondRequired("l-a", amount: Yen(1), remaining: .zero)) {
      try Lease.receiveDeposit(offices.leases[lease]!, amount: Yen(1), method: .cash, L.context("2022-03-16"))
    }
    #expect(offices.lease("l-a").depositHeld == Yen(1_800_000))
    #expect(throws: BuildingError.depositBeforeEnd("l-a", end: nil)) { try Lease.settleDeposit(offices.leases[lease]!, deductions: [], L.context("2022-04-01")) }
    try offices.notice("l-a", on: "2022-09-20", end: "2023-03-31")
    let march = try offices.invoice("l-a", "2023-03", on: "2023-02-20")
    try offices.terminate("l-a", end: "2023-03-31", on: "2023-03-31")
    #expect(throws: BuildingError.depositBeforeEnd("l-a", end: L.date("2023-03-31"))) {
      try Lease.settleDeposit(offices.leases[lease]!, deductions: [], L.context("2023-03-30"))
    }
    let unpaid = Deduction(kind: .unpaidRent, reason: "2023年3月分 賃料・共益費", amount: Yen(385_000))
    let restoration = Deduction(kind: .restoration, reason: "床タイル・壁クロスの張替え", amount: Yen(220_000))
    #expect(throws: BuildingError.deductionWithoutReason(.other)) {
      try Lease.settleDeposit(offices.leases[lease]!, deductions: [Deduction(kind: .other, reason: " ", amount: Yen(1))], L.context("2023-04-10"))
    }
    #expect(throws: BuildingError.deductionsBeyondDeposit("l-a", deductions: Yen(1_800_001), held: Yen(1_800_000))) {
      try Lease.settleDeposit(offices.leases[lease]!, deductions: [Deduction(kind: .restoration, reason: "全面改装", amount: Yen(1_800_001))], L.context("2023-04-10"))
    }
    #expect(throws: BuildingError.paymentExceedsOwed("l-a", amount: Yen(400_000), owed: Yen(385_000))) {
      try Lease.settleDeposit(offices.leases[lease]!, deductions: [Deduction(kind: .unpaidRent, reason: "3月分", amount: Yen(400_000))], L.context("2023-04-10"))
    }
    offices.apply(try Lease.settleDeposit(offices.leases[lease]!, deductions: [unpaid, restoration], L.context("2023-04-10")), to: "l-a")
    let settled = offices.lease("l-a")
    #expect(settled.depositSettlement?.returned == Yen(1_195_000) && settled.depositSettlement?.deductions == [unpaid, restoration])
    #expect(settled.depositHeld == .zero && settled.tenancy.ledger.balance(of: march) == .zero)
    #expect(settled.tenancy.ledger.payments.last?.method == .deposit)
    #expect(throws: BuildingError.depositSettled("l-a")) { try Lease.settleDeposit(offices.leases[lease]!, deductions: [], L.context("2023-04-11")) }
  }

  @Test("notice of termination allows the earliest end the notice months count to, as the civil code counts them")
  func noticeEarliestEnd() throws {
    var offices = Offices()
    let lease = try offices.sign("l-a", ["7F-701"], from: "2022-04-01", to: "2024-03-31", on: "2022-03-01")
    #expect(try lease.tenancy.earliestEnd(noticeOn: L.date("2022-06-15")) == L.date("2022-12-15"))
    #expect(try lease.tenancy.earliestEnd(noticeOn: L.date("2022-08-31")) == L.date("2023-02-28"))
    #expect(try lease.tenancy.earliestEnd(noticeOn: L.date("2022-08-27")) == L.date("2023-02-27"))
    #expect(throws: BuildingError.noticeTooShort("l-a", end: L.date("2022-12-14"), earliest: L.date("2022-12-15"), months: 6)) {
      try offices.notice("l-a", on: "2022-06-15", end: "2022-12-14")
    }
    // Without notice, a lease that renews itself ends only by agreement.
    #expect(throws: BuildingError.noNotice("l-a", end: L.date("2022-12-31"), earliest: L.date("2023-01-01"))) {
      try offices.terminate("l-a", end: "2022-12-31", on: "2022-07-01")
    }
    try offices.notice("l-a", on: "2022-06-15", end: nil)
    let noticed = offices.lease("l-a")
    #expect(noticed.tenancy.notice?.end == L.date("2022-12-15") && noticed.tenancy.through == L.date("2022-12-15"))
    #expect(noticed.tenancy.underNotice(on: L.date("2022-06-15")) && !noticed.tenancy.underNotice(on: L.date("2022-06-14")))
    #expect(throws: BuildingError.self) { try offices.notice("l-a", on: "2022-07-01", end: nil) }
    #expect(throws: BuildingError.noticeTooShort("l-a", end: L.date("2022-11-30"), earliest: L.date("2022-12-15"), months: 6)) {
      try offices.terminate("l-a", end: "2022-11-30", on: "2022-11-01")
    }
    try offices.terminate("l-a", end: "2022-11-30", on: "2022-11-01", agreed: true)
    #expect(offices.lease("l-a").tenancy.through == L.date("2022-11-30"))
    // A fixed-term lease cannot be noticed past its term; it ends at the term without notice.
    try offices.sign("l-b", ["7F-702"], from: "2022-04-01", to: "2023-03-31", renewal: nil, on: "2022-03-01")
    #expect(throws: BuildingError.noticeBeyondTerm("l-b", end: L.date("2023-06-30"), termEnd: L.date("2023-03-31"))) {
      try offices.notice("l-b", on: "2022-07-01", end: "2023-06-30")
    }
    try offices.terminate("l-b", end: "2023-03-31", on: "2023-03-31")
  }

  @Test("automatic renewal rolls the term on without drifting; an agreed renewal changes the rent from the next term")
  func renewal() throws {
    var offices = Offices()
    let lease = try offices.sign("l-a", ["7F-701"], from: "2021-03-01", to: "2023-02-28", on: "2021-02-01")
    #expect(lease.tenancy.currentTermEnd(on: L.date("2023-03-01")) == L.date("2025-02-28"))
    #expect(lease.tenancy.currentTermEnd(on: L.date("2025-03-01")) == L.date("2027-02-28"))
    let id = try LeaseID("l-a")
    let renewed = try Lease.renew(
      offices.leases[id]!, end: L.date("2026-02-28"), charges: [MonthlyCharge(label: "賃料", amount: Yen(320_000)), MonthlyCharge(label: "共益費", amount: Yen(50_000))],
      renewalMonths: 36, L.context("2022-12-01"), calendars: offices.unitCalendars)
    offices.apply(renewed, to: id)
    #expect(renewed.premises.isEmpty)  // still open-ended: nothing to hold again
    #expect(try offices.invoice("l-a", "2023-02", on: "2023-01-05").subtotal == Yen(350_000))
    #expect(try offices.invoice("l-a", "2023-03", on: "2023-02-05").subtotal == Yen(370_000))
    #expect(offices.lease("l-a").tenancy.currentTermEnd(on: L.date("2026-03-01")) == L.date("2029-02-28"))
  }

  @Test("a lease's events and the calendar's round-trip through their codecs")
  func codecs() throws {
    var offices = Offices()
    try offices.sign("l-a", ["7F-701", "7F-702"], from: "2022-04-01", to: "2024-03-31", on: "2022-03-01")
    let decision = try Lease.invoice(offices.leases[try LeaseID("l-a")]!, month: L.month("2022-04"), L.context("2022-04-01"), numbers: 0)
    for event in decision.events {
      let encoded = try Lease.codec.encode(event)
      #expect(encoded.type == "Building.InvoiceIssued")
      let recorded = RecordedEvent(
        position: 1, stream: try Lease.stream(try LeaseID("l-a")), version: 0, eventID: UUID(), type: encoded.type, schemaVersion: encoded.schemaVersion,
        data: encoded.data, metadata: Data("{}".utf8), recordedAtMilliseconds: 0, hash: Data())
      #expect(try Lease.codec.decode(recorded) == event)
      #expect(try ParkingContract.codec.decode(recorded) == .tenancy(event.tenancyEvent!))
    }
    #expect(Set(Lease.codec.types).count == Lease.codec.types.count)
  }
}

extension Lease.Event {
  var tenancyEvent: Tenancy.Event? { if case .tenancy(let e) = self { e } else { nil } }
}
