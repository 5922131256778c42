import Building
import EventLog
import Foundation
import SharedKernel

/// The letting's demo data: 42 office units on floors 6–10 (two kept by the foundation), a car
/// park of 60 spaces (48 monthly, 12 for visitors), the leases and monthly contracts a building
/// like this has, and the fiscal year up to yesterday: invoices on the 20th for the next month,
/// payments (a few late, one tenant behind), notices, move-outs with their deposits settled,
/// new tenants, visitor stays with free time validated by the day's room users, and guests'
/// spaces held for the coming hall events. Every step is decided by the Building context.
struct DemoLetting {
  let year: FiscalYear
  /// The machine's date in Japan: the building has worked up to the day before.
  let today: LocalDate
  let catalogue: Catalogue
  /// The bookings as the desk left them: the room users whose parking is validated.
  let bookings: [Booking.Record]

  private var random = DemoRandom(seed: 0x4B49_505F_4C45_5453)
  private var batch: DemoBatch
  private var offices = OfficeRegister.initialState
  private var carPark = CarParkRegister.initialState
  private var calendars: [StreamName: PremisesCalendar.State] = [:]
  private var leases: [LeaseID: Lease.Record] = [:]
  private var leaseOrder: [LeaseID] = []
  private var contracts: [ParkingContractID: ParkingContract.Record] = [:]
  private var contractOrder: [ParkingContractID] = []
  private var numbers: [FiscalYear: InvoiceNumbers.State] = [:]
  private var visitorDays: [LocalDate: VisitorDay.State] = [:]
  /// What is due to happen, by day; each day's steps in minute order.
  private var agenda: [LocalDate: [(minute: Int, step: Step)]] = [:]
  private(set) var invoices = 0
  private(set) var payments = 0
  private(set) var stays = 0
  private(set) var validations = 0
  private(set) var holds = 0
  private(set) var refused: [String] = []

  init(year: FiscalYear, today: LocalDate, catalogue: Catalogue, bookings: [Booking.Record], metadata: EventMetadata) {
    self.year = year
    self.today = today
    self.catalogue = catalogue
    self.bookings = bookings
    batch = DemoBatch(metadata: metadata)
  }

  var appends: Int { batch.appends }
  var eventsAppended: Int { batch.eventsAppended }

  /// One thing the manager or the car park does on a day.
  enum Step {
    case sign(NewLease, deposit: Yen)
    case contract(NewParkingContract)
    case invoice(YearMonth)
    case payLease(LeaseID, amount: Yen, invoice: String)
    case payParking(ParkingContractID, amount: Yen, invoice: String)
    case leaseNotice(LeaseID, end: LocalDate)
    case parkingNotice(ParkingContractID, end: LocalDate)
    case settle(LeaseID)
    case visitors
    case holdGuests
  }

  /// The demo's registers were registered from this day: the building's letting began before any lease.
  static let registered = LocalDate.demo(2015, 4, 1)
  /// The tenants who pay late: one pays each invoice about a month after it is due, one has
  /// stopped paying for the last two months (滞納), one paid part of an invoice.
  static let latePayer = 4, behind = 11, partPayer = 17

  /// Seeds the letting into `store`; answers the lines to print.
  mutating func seed(into store: any EventStore) async throws -> [String] {
    try registerPremises()
    planTenancies()
    planYear()
    let yesterday = today.minus(1)
    var day = year.firstDay.minus(15)
    while day <= yesterday {
      for entry in (agenda[day] ?? []).sorted(by: { $0.minute < $1.minute }) {
        do { try perform(entry.step, on: day, minute: entry.minute) } catch let error as BuildingError {
          refused.append("\(day) \(entry.step): \(error.description)")
        }
      }
      if day.day == day.lastOfMonth.day { try await batch.flush(to: store, holding: []) }
      day = day.plus(1)
    }
    try await batch.flush(to: store, holding: [])
    let monthEnd = yesterday.firstOfMonth.minus(1)
    let office = OfficeOccupancy.on(monthEnd, register: offices, leases: leaseOrder.compactMap { leases[$0] })
    let parking = CarParkOccupancy.monthly(on: monthEnd, register: carPark, contracts: contractOrder.compactMap { contracts[$0] })
    var lines = [
      "letting: \(offices.order.count) office units, \(leaseOrder.count) leases; \(carPark.spaces.order.count) parking spaces, "
        + "\(contractOrder.count) monthly contracts; \(invoices) invoices, \(payments) payments, \(stays) visitor stays "
        + "(\(validations) validated), \(holds) guest holds",
      "  at \(monthEnd): offices \(office.rateText) let (\(office.underNoticePremises.count) under notice), monthly parking \(parking.rateText); "
        + "\(batch.eventsAppended.grouped) events in \(batch.appends) appends",
    ]
    if !refused.isEmpty { lines.append("  \(refused.count) letting steps refused by the rules, e.g. \(refused[0])") }
    return lines
  }

  // MARK: The premises

  static let areas = ["33.50", "41.20", "48.75", "55.00", "62.40", "75.80", "98.30", "120.00"]

  private mutating func registerPremises() throws {
    let at = DemoDesk.instant(Self.registered, 9 * 60)
    for floor in 6...10 {
      for number in 1...(floor == 10 ? 10 : 8) {
        let room = floor * 100 + number
        let own = (floor == 6 && number == 1) || (floor == 10 && number == 10)
        let unit = OfficeUnit(
          id: try OfficeUnitID("\(floor)F-\(room)"), floor: floor, name: "\(room)号室",
          area: try FloorArea(squareMetres: Self.areas[(room * 7 + floor) % Self.areas.count]), leasable: !own,
          note: own ? (floor == 6 ? "財団事務局で使用" : "会議室に転用") : nil)
        let events = try OfficeRegister.decide(.register(unit, from: Self.registered, at: at), offices)
        try batch.write(events, to: OfficeRegister.stream(), codec: OfficeRegister.codec)
        offices = events.reduce(offices, OfficeRegister.evolve)
      }
    }
    var commands: [CarParkRegister.Command] = []
    for number in 1...48 {
      let size: ParkingSize = number <= 4 ? .large : number > 40 ? .compact : .standard
      commands.append(.register(ParkingSpace(id: try ParkingSpaceID(String(format: "M-%02d", number)), label: "月極\(number)番", kind: .monthly, size: size), from: Self.registered, at: at))
    }
    for number in 1...12 {
      commands.append(.register(ParkingSpace(id: try ParkingSpaceID(String(format: "V-%02d", number)), label: "来客\(number)番", kind: .visitor, size: .standard), from: Self.registered, at: at))
    }
    commands.append(.setTariff(VisitorTariff(), from: Self.registered, at: at))
    for command in commands {
      let events = try CarParkRegister.decide(command, carPark)
      try batch.write(events, to: CarParkRegister.stream(), codec: CarParkRegister.codec)
      carPark = events.reduce(carPark, CarParkRegister.evolve)
    }
  }

  // MARK: The plan

  /// The leases and contracts in force when the year began, signed on their own start days over
  /// the years before; and those signed during the year.
  private mutating func planTenancies() {
    let units = offices.items(on: year.firstDay).filter(\.leasable)
    var tenant = 0
    var index = 0
    var vacant: [OfficeUnit] = []
    while index < units.count {
      // About one unit in ten is vacant when the year begins; two neighbours are let together.
      if index == 27 || index == 33 || random.chance(60) {
        vacant.append(units[index])
        index += 1
        continue
      }
      let together = index == 20 && index + 1 < units.count
      let start = LocalDate.demo(year.startYear - random.int(1...8), random.int(1...12), 1)
      sign(together ? [units[index], units[index + 1]] : [units[index]], tenant: tenant, start: start, signedOn: start.minus(14))
      tenant += 1
      index += together ? 2 : 1
    }
    // New tenants during the year, on units vacant when it began.
    for (n, unit) in vacant.prefix(3).enumerated() {
      let start = year.firstDay.plusMonths(2 + n * 3)
      sign([unit], tenant: tenant, start: start, signedOn: start.minus(21), inYear: true)
      tenant += 1
    }
    for number in 1...48 where number <= 4 || random.chance(880) {
      let start = LocalDate.demo(year.startYear - random.int(1...5), random.int(1...12), 1)
      contract(number, contractor: number % 3 == 0 ? nil : (number * 5) % Swift.max(1, tenant), start: start)
    }
  }

  private var planned = 0

  private mutating func sign(_ units: [OfficeUnit], tenant: Int, start: LocalDate, signedOn: LocalDate, inYear: Bool = false) {
    let area = units.reduce(Int64(0)) { $0 + $1.area.hundredths }
    // About ¥3,800 a ㎡ and ¥900 共益費 a month (税抜), to the hundred yen; 敷金 six months' rent.
    let rent = Yen(area * 38 / 100 * 100), common = Yen(area * 9 / 100 * 100)
    planned += 1
    guard let id = try? LeaseID("l-demo-\(String(format: "%04d", planned))") else { return }
    let party = Self.tenant(tenant)
    let terms = TenancyTerms(
      start: start, end: start.plusMonths(24).minus(1), renewalMonths: 24, noticeMonths: 6,
      charges: [MonthlyCharge(label: "賃料", amount: rent), MonthlyCharge(label: "共益費", amount: common)], basis: .exclusive)
    let new = NewLease(id: id, tenant: party, units: units.map(\.id), terms: terms, deposit: Yen(rent.amount * 6))
    if inYear {
      schedule(signedOn, 10 * 60, .sign(new, deposit: new.deposit))
    } else {
      do { try perform(.sign(new, deposit: new.deposit), on: signedOn, minute: 10 * 60) } catch { refused.append("\(signedOn) sign \(id): \(error)") }
    }
  }

  private mutating func contract(_ number: Int, contractor: Int?, start: LocalDate) {
    guard let space = try? ParkingSpaceID(String(format: "M-%02d", number)),
      let id = try? ParkingContractID("pk-demo-\(String(format: "%04d", contractOrder.count + 1))")
    else { return }
    let party = contractor.map(Self.tenant) ?? Self.person(number)
    // 月極 ¥16,500 a month (税込), ¥22,000 for the four large spaces.
    let fee = Yen(number <= 4 ? 22_000 : 16_500)
    let terms = TenancyTerms(
      start: start, end: start.plusMonths(12).minus(1), renewalMonths: 12, noticeMonths: 1,
      charges: [MonthlyCharge(label: "駐車料", amount: fee)], basis: .inclusive)
    let plate = "横浜 \(300 + number) さ \(String(format: "%02d-%02d", (number * 37) % 100, (number * 11) % 100))"
    let new = NewParkingContract(id: id, contractor: party, space: space, vehicle: plate, terms: terms)
    do { try perform(.contract(new), on: start.minus(7), minute: 11 * 60) } catch { refused.append("\(start) contract \(id): \(error)") }
  }

  /// The year's steps: each month's invoices on the 20th before it, notices and move-outs,
  /// the car park's days, and the guests' spaces for the coming hall events.
  private mutating func planYear() {
    for month in year.months { schedule(month.firstDay.minus(1).withDay(20), 9 * 60, .invoice(month)) }
    // Three tenants give notice during the year; each leaves at a month end six months on.
    for (n, id) in [2, 9, 15].filter({ $0 < leaseOrder.count }).map({ leaseOrder[$0] }).enumerated() {
      let given = year.firstDay.plusMonths(1 + n * 3).withDay(10)
      schedule(given, 14 * 60, .leaseNotice(id, end: given.plusMonths(6).lastOfMonth))
      schedule(given.plusMonths(6).lastOfMonth.plus(20), 15 * 60, .settle(id))
    }
    for (n, id) in contractOrder.enumerated() where n % 17 == 5 {
      let given = year.firstDay.plusMonths(n % 9).withDay(5)
      schedule(given, 10 * 60, .parkingNotice(id, end: given.plusMonths(1).lastOfMonth))
    }
    var day = year.firstDay
    while day < today {
      if catalogue.annualClosure(on: day) == nil { schedule(day, 0, .visitors) }
      day = day.plus(1)
    }
    schedule(today.minus(1), 17 * 60, .holdGuests)
  }

  private mutating func schedule(_ day: LocalDate, _ minute: Int, _ step: Step) { agenda[day, default: []].append((minute, step)) }

  // MARK: Steps

  private mutating func perform(_ step: Step, on day: LocalDate, minute: Int) throws {
    let context = LettingContext(today: day, at: DemoDesk.instant(day, minute))
    switch step {
    case .sign(let new, let deposit):
      try apply(try Lease.sign(new, context, register: offices, calendars: try unitCalendars(new.units), nil), lease: new.id, context)
      leaseOrder.append(new.id)
      // 敷金 comes in with the signing.
      var paid = Lease.Decision()
      paid.events = try Lease.receiveDeposit(leases[new.id], amount: deposit, method: .transfer, context)
      try apply(paid, lease: new.id, context)
    case .contract(let new):
      let calendar = calendars[try PremisesCalendar.stream(new.space)] ?? PremisesCalendar.initialState
      try apply(try ParkingContract.contract(new, context, register: carPark, calendar: calendar, nil), contract: new.id, context)
      contractOrder.append(new.id)
    case .invoice(let month):
      for (n, id) in leaseOrder.enumerated() {
        guard let record = leases[id], Self.lets(record.tenancy, month) else { continue }
        let decision = try Lease.invoice(record, month: month, context, numbers: numbers[FiscalYear(containing: day)] ?? 0)
        try apply(decision, lease: id, context)
        for invoice in Self.issued(decision.events.compactMap { if case .tenancy(let e) = $0 { e } else { nil } }) {
          schedulePayment(of: invoice, payer: n, issued: day) { .payLease(id, amount: $0, invoice: $1) }
        }
      }
      for (n, id) in contractOrder.enumerated() {
        guard let record = contracts[id], Self.lets(record.tenancy, month) else { continue }
        let decision = try ParkingContract.invoice(record, month: month, context, numbers: numbers[FiscalYear(containing: day)] ?? 0)
        try apply(decision, contract: id, context)
        for invoice in Self.issued(decision.events.compactMap { if case .tenancy(let e) = $0 { e } else { nil } }) {
          schedulePayment(of: invoice, payer: n + 100, issued: day) { .payParking(id, amount: $0, invoice: $1) }
        }
      }
    case .payLease(let id, let amount, let invoice):
      var decision = Lease.Decision()
      decision.events = try Lease.pay(leases[id], amount: amount, method: .transfer, invoice: invoice, context)
      try apply(decision, lease: id, context)
      payments += 1
    case .payParking(let id, let amount, let invoice):
      var decision = ParkingContract.Decision()
      decision.events = try ParkingContract.pay(contracts[id], amount: amount, method: id.rawValue.hasSuffix("3") ? .cash : .directDebit, invoice: invoice, context)
      try apply(decision, contract: id, context)
      payments += 1
    case .leaseNotice(let id, let end):
      guard let record = leases[id] else { return }
      try apply(try Lease.giveNotice(record, end: end, context, calendars: try unitCalendars(record.units)), lease: id, context)
    case .parkingNotice(let id, let end):
      guard let record = contracts[id] else { return }
      let calendar = calendars[try PremisesCalendar.stream(record.space)] ?? PremisesCalendar.initialState
      try apply(try ParkingContract.giveNotice(record, end: end, context, calendar: calendar), contract: id, context)
    case .settle(let id):
      guard let record = leases[id] else { return }
      var decision = Lease.Decision()
      let restoration = Yen(record.area.hundredths / 100 * 3_000)
      decision.events = try Lease.settleDeposit(record, deductions: [Deduction(kind: .restoration, reason: "原状回復工事（床・壁）", amount: restoration)], context)
      try apply(decision, lease: id, context)
    case .visitors:
      try visitors(on: day)
    case .holdGuests:
      try holdGuests(context)
    }
  }

  /// The payment of an invoice as its payer pays: most a day or three before it is due.
  private mutating func schedulePayment(of invoice: Ledger.Invoice, payer: Int, issued: LocalDate, _ step: (Yen, String) -> Step) {
    let due = Ledger.due(invoice.month, issuedOn: issued)
    switch payer {
    case Self.behind where invoice.month >= today.yearMonth.adding(monthsSafely: -1):
      return  // the last two months are unpaid
    case Self.latePayer:
      schedule(due.plus(random.int(25...35)), 11 * 60, step(invoice.total, invoice.number))
    case Self.partPayer where invoice.month == year.months[4]:
      let part = Yen(invoice.total.amount / 2)
      schedule(due.minus(1), 11 * 60, step(part, invoice.number))
      schedule(due.plus(45), 11 * 60, step(Yen(invoice.total.amount - part.amount), invoice.number))
    default:
      schedule(max(issued.plus(1), due.minus(random.int(0...3))), 10 * 60 + random.int(0...300), step(invoice.total, invoice.number))
    }
  }

  /// Whether `tenancy` lets any day of `month` (so it is billed for it).
  static func lets(_ tenancy: Tenancy, _ month: YearMonth) -> Bool {
    tenancy.start <= month.lastDay && (tenancy.through.map { $0 >= month.firstDay } ?? true)
  }

  static func issued(_ events: [Tenancy.Event]) -> [Ledger.Invoice] {
    events.compactMap { if case .ledger(.invoiced(let e)) = $0 { e.invoice } else { nil } }
  }

  /// A day of the visitor car park: cars come from 8:30 to 19:30 and stay 20 minutes to four
  /// hours; a third are room users whose booking that day validates their free time.
  private mutating func visitors(on day: LocalDate) throws {
    let used = bookings.filter { $0.details.request.date == day && $0.status == .used }
    var validating = used.map(\.id)
    let weekend = day.weekday == .saturday || day.weekday == .sunday
    var timeline: [(minute: Int, visitor: Int, step: Int)] = []
    var plans: [(entry: Int, exit: Int, booking: BookingID?)] = []
    for visitor in 0..<random.int(weekend ? 4...10 : 9...20) {
      let entry = random.int(510...1170)
      let exit = min(entry + random.int(20...240), 21 * 60 + 50)
      let booking = !validating.isEmpty && random.chance(330) ? validating.removeFirst() : nil
      plans.append((entry, exit, booking))
      timeline.append((entry, visitor, 0))
      if booking != nil { timeline.append((exit - 2, visitor, 1)) }
      timeline.append((exit, visitor, 2))
    }
    timeline.sort { ($0.minute, $0.step, $0.visitor) < ($1.minute, $1.step, $1.visitor) }
    var tickets: [Int: String] = [:]
    let stream = try VisitorDay.stream(date: day)
    for event in timeline {
      let context = LettingContext(today: day, at: DemoDesk.instant(day, event.minute))
      var state = visitorDays[day] ?? VisitorDay.initialState
      let events: [VisitorDay.Event]
      do {
        switch event.step {
        case 0:
          events = try VisitorDay.enter(plate: nil, hold: nil, context, register: carPark, state)
          if case .entered(let e)? = events.first { tickets[event.visitor] = e.ticket }
        case 1:
          guard let ticket = tickets[event.visitor], let id = plans[event.visitor].booking, let booking = bookings.first(where: { $0.id == id }) else { continue }
          events = try VisitorDay.validate(ticket: ticket, booking: booking, context, register: carPark, state)
          validations += 1
        default:
          guard let ticket = tickets[event.visitor] else { continue }
          events = try VisitorDay.exit(ticket: ticket, context, register: carPark, state)
          stays += 1
        }
      } catch {
        if case .carParkFull = error { continue }  // a car that finds no space drives on
        throw error
      }
      try batch.write(events, to: stream, codec: VisitorDay.codec)
      state = events.reduce(state, VisitorDay.evolve)
      visitorDays[day] = state
    }
  }

  /// Spaces held for the guests of the hall's coming events (confirmed, within the month ahead).
  private mutating func holdGuests(_ context: LettingContext) throws {
    let ahead = context.today.plus(30)
    for booking in bookings
    where booking.status == .confirmed && booking.details.request.space.rawValue.hasPrefix("hall") && booking.details.request.date > context.today
      && booking.details.request.date <= ahead
    {
      let date = booking.details.request.date
      let state = visitorDays[date] ?? VisitorDay.initialState
      guard state.holds.isEmpty else { continue }
      let events = try VisitorDay.holdGuestSpaces(for: booking, spaces: 4, note: "来賓・講師用", context, register: carPark, state)
      try batch.write(events, to: try VisitorDay.stream(date: date), codec: VisitorDay.codec)
      visitorDays[date] = events.reduce(state, VisitorDay.evolve)
      holds += 1
    }
  }

  // MARK: Applying decisions

  private func unitCalendars(_ units: [OfficeUnitID]) throws -> [OfficeUnitID: PremisesCalendar.State] {
    var found: [OfficeUnitID: PremisesCalendar.State] = [:]
    for unit in units { found[unit] = calendars[try PremisesCalendar.stream(unit)] ?? PremisesCalendar.initialState }
    return found
  }

  private mutating func apply(_ decision: Lease.Decision, lease id: LeaseID, _ context: LettingContext) throws {
    try batch.write(decision.events, to: try Lease.stream(id), codec: Lease.codec)
    leases[id] = decision.events.reduce(leases[id], Lease.evolve)
    try sheets(decision.premises, decision.numbers, context)
  }

  private mutating func apply(_ decision: ParkingContract.Decision, contract id: ParkingContractID, _ context: LettingContext) throws {
    try batch.write(decision.events, to: try ParkingContract.stream(id), codec: ParkingContract.codec)
    contracts[id] = decision.events.reduce(contracts[id], ParkingContract.evolve)
    try sheets(decision.premises, decision.numbers, context)
  }

  private mutating func sheets(_ premises: [SheetEvents<PremisesCalendar.Event>], _ issued: [InvoiceNumbers.Event], _ context: LettingContext) throws {
    for sheet in premises {
      try batch.write(sheet.events, to: sheet.stream, codec: PremisesCalendar.codec)
      calendars[sheet.stream] = sheet.events.reduce(calendars[sheet.stream] ?? PremisesCalendar.initialState, PremisesCalendar.evolve)
    }
    guard !issued.isEmpty else { return }
    let year = FiscalYear(containing: context.today)
    try batch.write(issued, to: try InvoiceNumbers.stream(year: year), codec: InvoiceNumbers.codec)
    numbers[year] = issued.reduce(numbers[year] ?? InvoiceNumbers.initialState, InvoiceNumbers.evolve)
    invoices += issued.count
  }

  // MARK: Names

  static let places: [(String, String)] = [
    ("港北", "コウホク"), ("青葉", "アオバ"), ("湘南", "ショウナン"), ("相模", "サガミ"), ("鶴見", "ツルミ"), ("戸塚", "トツカ"), ("磯子", "イソゴ"),
    ("金沢", "カナザワ"), ("みなと", "ミナト"), ("栄", "サカエ"), ("大黒", "ダイコク"), ("本牧", "ホンモク"),
  ]
  static let trades: [(String, String)] = [
    ("技研", "ギケン"), ("システムズ", "システムズ"), ("デザイン", "デザイン"), ("精機", "セイキ"), ("商事", "ショウジ"), ("コンサルティング", "コンサルティング"),
    ("ソフト", "ソフト"), ("製作所", "セイサクショ"),
  ]

  /// The `n`th tenant: 株式会社 and a place and a trade, none twice among the first 96.
  static func tenant(_ n: Int) -> Party {
    let place = places[n % places.count], trade = trades[(n / places.count + n) % trades.count]
    return Party(name: "株式会社\(place.0)\(trade.0)", nameKana: "\(place.1)\(trade.1)", contactPerson: "総務担当", phone: "045-\(String(format: "%03d", 200 + n))-\(String(format: "%04d", 1000 + n * 37))")
  }

  static let surnames: [(String, String)] = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト")]
  static let givenNames: [(String, String)] = [("一郎", "イチロウ"), ("花子", "ハナコ"), ("健", "ケン"), ("美咲", "ミサキ"), ("大輔", "ダイスケ")]

  /// A person who rents a space for their own car.
  static func person(_ n: Int) -> Party {
    let surname = surnames[n % surnames.count], given = givenNames[(n / surnames.count) % givenNames.count]
    return Party(name: "\(surname.0) \(given.0)", nameKana: "\(surname.1) \(given.1)")
  }
}

extension LocalDate {
  /// A demo date that exists (the demo's own constants).
  static func demo(_ year: Int, _ month: Int, _ day: Int) -> LocalDate { (try? LocalDate(year: year, month: month, day: day)) ?? .earliest }

  /// The same day of the month `count` months on (the month's last day when it has fewer).
  func plusMonths(_ count: Int) -> LocalDate { (try? adding(months: count)) ?? self }

  /// The `day`th of this date's month.
  func withDay(_ day: Int) -> LocalDate { (try? LocalDate(year: year, month: month, day: min(day, lastOfMonth.day))) ?? self }

  func max(_ other: LocalDate) -> LocalDate { Swift.max(self, other) }
}

extension YearMonth {
  func adding(monthsSafely count: Int) -> YearMonth { (try? adding(months: count)) ?? self }
}
