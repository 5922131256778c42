import Building
import EventLog
import Foundation
import ProjectionFixtures
import JapaneseCalendar
import SharedKernel

/// The demo's randomness: SplitMix64 from a fixed seed, so two seeds on the same day make the
/// same bookings. Chances are in per mille, so no floating point decides anything.
struct DemoRandom: RandomNumberGenerator {
  private var source: SeededGenerator

  init(seed: UInt64) { source = SeededGenerator(seed: seed) }

  mutating func next() -> UInt64 { source.next() }

  /// 0 ..< `count`.
  mutating func below(_ count: Int) -> Int { count <= 1 ? 0 : Int(next() % UInt64(count)) }

  mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

  /// True `perMille` times in a thousand.
  mutating func chance(_ perMille: Int) -> Bool { below(1000) < perMille }

  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

  /// One of `items`, each as likely as its weight.
  mutating func weighted<T>(_ items: [(T, Int)]) -> T {
    var roll = below(max(1, items.reduce(0) { $0 + $1.1 }))
    for (item, weight) in items {
      if roll < weight { return item }
      roll -= weight
    }
    return items[items.count - 1].0
  }
}

/// A booking one of the demo's callers asks for.
struct DemoIntent {
  var id: BookingID
  /// Index into ``DemoCustomer/all``.
  var customer: Int
  var request: QuoteRequest
  var purpose: String
  var attendees: Int
  var provisional: Bool
}

/// What the desk does, on which day and at what minute (Japan time): its subject is an index
/// into ``DemoPlan/intents``, nil for a closure.
typealias DemoAction = DemoSchedule<DeskStep>.Entry

/// What the desk does for a booking it was asked for, or the building declares.
enum DeskStep {
  case request
  case confirm
  /// The balance, by this method.
  case pay(PaymentMethod)
  case cancel(reason: String, waiver: Waiver?, refundBy: PaymentMethod?)
  /// What was paid beyond the charge, by this method.
  case refund(PaymentMethod)
  case lapse
  case attend(used: Bool)
  case declare(Closures.Closure)
}

/// A fiscal year of the building's desk work, planned before anything is decided: for each day
/// of use, who books which space and block, when they called, and what happened afterwards.
/// The plan keeps bookings of one day apart (floor units and equipment stock) so the deciders
/// refuse none of them; the deciders still decide every step, with the desk's day as `today`.
struct DemoPlan {
  let catalogue: Catalogue
  let year: FiscalYear
  /// The machine's date in Japan: the desk has worked up to the day before.
  let today: LocalDate
  /// The first day the desk took bookings for the year (the longest booking window before it).
  let firstDeskDay: LocalDate
  /// Works declared on the first desk day, before any booking they would hit.
  private(set) var closures: [Closures.Closure] = []
  private(set) var intents: [DemoIntent] = []
  private var schedule = DemoSchedule<DeskStep>()
  /// Every step of the year, in the order the desk takes them (after ``make()``).
  var actions: [DemoAction] { schedule.entries }
  private var random: DemoRandom

  /// A typhoon day: the bookings still standing are cancelled the day before, waived (天災等).
  let typhoonDay: LocalDate?
  /// An air-conditioning failure: the building cancels the space's bookings two days before and closes it.
  let failure: (space: SpaceID, day: LocalDate)?

  init(catalogue: Catalogue, today: LocalDate, seed: UInt64 = 20_260_401) {
    self.catalogue = catalogue
    self.today = today
    let year = FiscalYear(containing: today)
    self.year = year
    random = DemoRandom(seed: seed)
    let longest = CustomerTier.allCases.map { catalogue.bookingWindowMonths[$0] ?? 0 }.max() ?? 0
    firstDeskDay = (try? year.firstDay.adding(months: -longest)) ?? year.firstDay
    typhoonDay = Self.weekday(.friday, onOrAfter: year.startYear, 9, 10)
    let large = catalogue.spaces.first { $0.kind == .room && $0.units.count == 1 && $0.capacity >= 50 }
    let day = Self.weekday(.wednesday, onOrAfter: year.startYear, 7, 15)
    if let large, let day { failure = (large.id, day) } else { failure = nil }
  }

  // MARK: The year

  /// Plans every day of use of the fiscal year.
  mutating func make() {
    declareWorks()
    var date = year.firstDay
    while date <= year.lastDay {
      if catalogue.annualClosure(on: date) == nil { plan(date) }
      date = date.plus(1)
    }
    if let failure, failure.day.minus(2) < today, let space = catalogue.space(failure.space) {
      let closure = Closures.Closure(
        id: "w-demo-aircon-\(failure.day.compactISO)", from: failure.day, to: failure.day, spaces: [failure.space],
        reason: "\(space.name) 空調設備故障（施設側都合）")
      schedule.add(failure.day.minus(2), 17 * 60, subject: nil, .declare(closure))
    }
    schedule.sort()
  }

  /// 受水槽更新工事 (the top floor's rooms, three days in August) and the hall's air conditioning (two days in February).
  private mutating func declareWorks() {
    let top = catalogue.spaces.filter { $0.kind == .room }.map(\.floor).max()
    let topRooms = catalogue.spaces.filter { $0.kind == .room && $0.floor == top }.map(\.id)
    if !topRooms.isEmpty, let from = Self.weekday(.tuesday, onOrAfter: year.startYear, 8, 18) {
      closures.append(
        Closures.Closure(
          id: "w-demo-watertank-FY\(year.startYear)", from: from, to: from.plus(2), spaces: topRooms, reason: "受水槽更新工事に伴う断水（\(top ?? 0)階）"))
    }
    let hall = catalogue.spaces.filter { $0.kind == .hall }.map(\.id)
    if !hall.isEmpty, let from = Self.weekday(.monday, onOrAfter: year.startYear + 1, 2, 8) {
      closures.append(Closures.Closure(id: "w-demo-hall-aircon-FY\(year.startYear)", from: from, to: from.plus(1), spaces: hall, reason: "多目的ホール空調設備更新工事"))
    }
  }

  private func closed(_ space: SpaceID, on date: LocalDate) -> Bool { closures.contains { $0.closes(space, on: date) } }

  // MARK: One day of use

  /// What a day's bookings hold while it is planned: floor units and equipment, by basic block.
  private struct DayGrid {
    var units: Set<String> = []
    var equipment: [String: Int] = [:]

    func free(_ units: [String], _ blocks: [Int]) -> Bool {
      !units.contains { unit in blocks.contains { self.units.contains("\(unit)#\($0)") } }
    }

    mutating func take(_ units: [String], _ blocks: [Int]) {
      for unit in units { for block in blocks { self.units.insert("\(unit)#\(block)") } }
    }

    func inUse(_ item: String, _ blocks: [Int]) -> Int { blocks.map { equipment["\(item)#\($0)"] ?? 0 }.max() ?? 0 }

    mutating func lend(_ lines: [EquipmentLine], _ blocks: [Int]) {
      for line in lines { for block in blocks { equipment["\(line.item)#\(block)", default: 0] += line.quantity } }
    }
  }

  private mutating func plan(_ date: LocalDate) {
    let holiday = ((try? FeeEngine.dayType(of: date)) ?? nil) != nil
    var grid = DayGrid()
    for series in DemoSeries.all where series.meets(on: date) {
      guard let id = try? SpaceID(series.space), let space = catalogue.space(id), !random.chance(holiday ? 500 : 70) else { continue }
      let reduction = series.reduction.flatMap { wanted in catalogue.reductions.contains { $0.id == wanted.id } ? wanted : nil }
      place(
        space, series.slot, on: date, customer: series.customer - 1, purpose: series.purpose, attendees: series.attendees,
        use: .general, admission: .zero, equipment: series.equipment, reduction: reduction, lead: random.int(20...75), regular: true, grid: &grid)
    }
    // Spaces of more units first: the whole hall before its parts, joined rooms before single ones.
    let ordered = catalogue.spaces.enumerated().sorted { ($1.element.units.count, $0.offset) < ($0.element.units.count, $1.offset) }.map(\.element)
    for space in ordered {
      let chances = Self.startChances(space, holiday: holiday)
      for block in 0..<3 where random.chance(chances[block]) {
        book(space, from: block, on: date, holiday: holiday, grid: &grid)
      }
    }
  }

  /// Per mille, for morning, afternoon and evening: how likely a booking of the space starts then.
  static func startChances(_ space: Space, holiday: Bool) -> [Int] {
    switch (space.kind, space.units.count) {
    case (.hall, 6...): return holiday ? [190, 90, 60] : [40, 30, 20]
    case (.hall, 3...): return holiday ? [110, 90, 40] : [120, 100, 50]
    case (.hall, _): return holiday ? [90, 90, 50] : [110, 110, 70]
    case (_, 2...): return holiday ? [50, 50, 20] : [80, 80, 40]
    default: break
    }
    if space.fixtures.contains("座卓") { return holiday ? [320, 330, 200] : [320, 380, 420] }
    if space.capacity <= 8 { return holiday ? [80, 80, 50] : [430, 460, 200] }
    if space.capacity >= 50 { return holiday ? [260, 260, 150] : [480, 480, 250] }
    return holiday ? [230, 230, 170] : [520, 530, 400]
  }

  /// A random caller's booking of `space` from `block`, if the space is open and free then.
  private mutating func book(_ space: Space, from block: Int, on date: LocalDate, holiday: Bool, grid: inout DayGrid) {
    let slot = chooseSlot(space, from: block, holiday: holiday)
    let kind = customerKind(for: space, block: block, holiday: holiday)
    let customer = chooseCustomer(of: kind)
    var use = Use.general
    var admission = Yen.zero
    var reduction: (id: String, reason: String)?
    let purpose: String
    let big = space.capacity >= 24 || space.kind == .hall
    switch kind {
    case .company:
      if big, random.chance(150) {
        use = .commercial
        purpose = random.pick(["新製品展示販売会", "商品説明・販売会", "展示商談会", "新製品発表会"])
      } else if space.kind == .hall, random.chance(80) {
        use = .admission
        admission = Yen(random.pick([3000, 5000]))
        purpose = "有料セミナー"
      } else {
        purpose = random.pick(
          space.kind == .hall
            ? ["株主総会", "社員総会", "創立記念式典", "取引先説明会", "採用説明会"]
            : ["社内研修", "営業会議", "取引先説明会", "採用面接", "新入社員研修", "品質管理講習", "役員会", "商談"])
      }
    case .body:
      purpose = random.pick(
        space.kind == .hall
          ? ["事業承継フォーラム", "創業支援セミナー", "補助金説明会", "定例総会", "会員交流会"]
          : ["事業承継セミナー", "創業支援セミナー", "経営相談会", "理事会", "定例総会", "補助金説明会", "金融相談会", "研修会"])
      if random.chance(130) {
        reduction = random.chance(150)
          ? ("public-full", random.pick(["県主催事業（防災講習会）", "財団との共催事業"]))
          : ("public-half", random.pick(["県との共催事業（事業承継セミナー）", "公益目的の無料相談会", "自治会の防災講習会", "県委託事業（創業支援）"]))
      }
    case .circle:
      if space.kind == .hall, holiday, random.chance(550) {
        use = .admission
        admission = Yen(random.pick([500, 1000, 1500, 2000, 3000]))
        purpose = random.pick(["定期演奏会", "発表会", "コンサート", "朗読会", "子ども劇団公演"])
      } else if space.fixtures.contains("座卓") {
        purpose = random.pick(["茶道の稽古", "書道の練習", "句会", "着付け教室", "囲碁例会"])
      } else {
        purpose = random.pick(space.kind == .hall ? ["ダンス練習", "発表会リハーサル", "合唱の練習"] : ["定期練習", "例会", "勉強会", "作品研究会", "役員会"])
      }
    case .individual:
      purpose = random.pick(["資格試験の勉強会", "面談", "打合せ", "自治会役員会", "家族の集まり", "個人レッスン"])
    }
    if let wanted = reduction, !catalogue.reductions.contains(where: { $0.id == wanted.id }) { reduction = nil }
    let low = kind == .individual ? 2 : max(2, space.capacity * 2 / 5)
    let attendees = min(space.capacity, random.int(low...max(low, space.capacity * 19 / 20)))
    let equipment = equipmentWanted(for: space, purpose: purpose, use: use, kind: kind)
    let lead = leadDays(hall: space.kind == .hall)
    place(
      space, slot, on: date, customer: customer, purpose: purpose, attendees: attendees, use: use, admission: admission,
      equipment: equipment, reduction: reduction, lead: lead, regular: false, grid: &grid)
  }

  private mutating func chooseSlot(_ space: Space, from block: Int, holiday: Bool) -> Slot {
    if space.hourly != nil, random.chance(350) {
      let starts = [9, 13, 18][block], ends = [12, 17, 21][block]
      let start = random.int(starts...(ends - 1))
      let end = min(ends, start + random.int(1...2))
      if let range = try? TimeRange(start: start * 60, end: end * 60) { return .hours(range) }
    }
    let wanted: Slot
    switch block {
    case 0:
      let whole = space.kind == .hall && space.units.count >= 6 && holiday
      wanted = random.weighted([(.morning, whole ? 300 : 550), (.morningAfternoon, 250), (.fullDay, whole ? 450 : 200)])
    case 1: wanted = random.weighted([(.afternoon, 700), (.afternoonEvening, 300)])
    default: wanted = .evening
    }
    return space.slots.contains(wanted) ? wanted : Slot.basic[block]
  }

  private mutating func customerKind(for space: Space, block: Int, holiday: Bool) -> CustomerKind {
    if space.kind == .hall {
      return holiday ? random.weighted([(.circle, 50), (.company, 25), (.body, 25)]) : random.weighted([(.company, 40), (.body, 50), (.circle, 10)])
    }
    if space.fixtures.contains("座卓") { return random.weighted([(.circle, 80), (.individual, 20)]) }
    if space.capacity <= 8 { return random.weighted([(.company, 60), (.individual, 25), (.body, 15)]) }
    if holiday { return random.weighted([(.circle, 50), (.individual, 20), (.company, 15), (.body, 15)]) }
    if block == 2 { return random.weighted([(.circle, 45), (.individual, 20), (.body, 20), (.company, 15)]) }
    return random.weighted([(.company, 50), (.body, 30), (.individual, 10), (.circle, 10)])
  }

  private mutating func chooseCustomer(of kind: CustomerKind) -> Int {
    let choices = DemoCustomer.all.enumerated().filter { $0.element.profile.kind == kind }.map { ($0.offset, $0.element.weight) }
    return random.weighted(choices)
  }

  private mutating func equipmentWanted(for space: Space, purpose: String, use: Use, kind: CustomerKind) -> [EquipmentLine] {
    var lines: [EquipmentLine] = []
    func add(_ item: String, _ quantity: Int) {
      if catalogue.equipmentItem(item) != nil { lines.append(EquipmentLine(item: item, quantity: quantity)) }
    }
    let talk = ["セミナー", "説明", "研修", "講習", "発表", "フォーラム", "相談会", "総会", "商談会"].contains { purpose.contains($0) }
    if talk, random.chance(600) {
      add("projector", 1)
      if random.chance(700) { add("screen", 1) }
    }
    if space.capacity >= 60, talk || use != .general, random.chance(500) { add("mic", random.int(1...2)) }
    if space.kind == .hall, space.units.count >= 3 {
      let concert = ["演奏会", "コンサート", "発表会"].contains { purpose.contains($0) }
      if concert, random.chance(700) { add("piano", 1) }
      if concert || use != .general, random.chance(450) { add("sound", 1) }
    }
    return lines
  }

  private mutating func leadDays(hall: Bool) -> Int {
    if hall { return random.weighted([(random.int(10...45), 30), (random.int(46...120), 40), (random.int(121...190), 30)]) }
    return random.weighted([(random.int(1...7), 25), (random.int(8...30), 40), (random.int(31...60), 25), (random.int(61...190), 10)])
  }

  /// Places a booking on the day's grid when its units (and the equipment it wants) are free,
  /// then plans its story: the call, confirmation, payment, cancellation, use.
  private mutating func place(
    _ space: Space, _ slot: Slot, on date: LocalDate, customer: Int, purpose: String, attendees: Int, use: Use, admission: Yen,
    equipment wanted: [EquipmentLine], reduction: (id: String, reason: String)?, lead: Int, regular: Bool, grid: inout DayGrid
  ) {
    guard !closed(space.id, on: date), space.slots.contains(slot) || slot.isHourly else { return }
    let overtime = !slot.isHourly && slot.range.end == Slot.evening.range.end && random.chance(40) ? 30 : 0
    let blocks = Self.blocks(of: slot)
    guard grid.free(space.units, blocks) else { return }
    var equipment: [EquipmentLine] = []
    for line in wanted {
      guard let item = catalogue.equipmentItem(line.item), grid.inUse(line.item, blocks) + line.quantity <= item.stock else { continue }
      equipment.append(line)
    }
    let profile = DemoCustomer.all[customer].profile
    let request = QuoteRequest(
      space: space.id, date: date, slot: slot, use: use, admission: admission, tier: profile.tier, equipment: equipment,
      reduction: reduction?.id, reductionReason: reduction?.reason, overtimeMinutes: overtime)
    guard let quote = try? FeeEngine.quote(request, catalogue: catalogue, version: 1) else { return }
    guard let booked = bookingDay(for: date, lead: lead, tier: profile.tier) else { return }
    if let typhoonDay, date == typhoonDay, booked >= date.minus(1) { return }
    if let failure, failure.space == space.id, failure.day == date, booked >= date.minus(2) { return }
    let minute = random.int((9 * 60)...(19 * 60))
    let at = booked.startInJapan.addingTimeInterval(TimeInterval(minute * 60))
    guard let id = try? BookingID("b-" + UUIDv7.make(milliseconds: at.millisecondsSince1970, using: &random).uuidString.lowercased()) else { return }
    grid.take(space.units, blocks)
    grid.lend(equipment, blocks)
    let lastMinute = booked.days(to: date) <= 1
    let provisional = !regular && !lastMinute && random.chance(space.kind == .hall ? 650 : 450)
    intents.append(DemoIntent(id: id, customer: customer, request: request, purpose: purpose, attendees: attendees, provisional: provisional))
    story(of: intents.count - 1, booked: booked, minute: minute, quote: quote, kind: profile.kind)
  }

  /// The basic blocks (0 morning, 1 afternoon, 2 evening) a slot touches.
  static func blocks(of slot: Slot) -> [Int] {
    if case .hours(let range) = slot { return (0..<3).filter { Slot.basic[$0].range.overlaps(range) } }
    return slot.parts.compactMap { Slot.basic.firstIndex(of: $0) }
  }

  /// The day the customer called: `lead` days before, but not before their booking window opened
  /// (then within a week of it: the rush), on a day the desk is open, and before today.
  private mutating func bookingDay(for date: LocalDate, lead: Int, tier: CustomerTier) -> LocalDate? {
    let months = catalogue.bookingWindowMonths[tier] ?? 0
    var earliest = (try? date.adding(months: -months)) ?? date
    while ((try? earliest.adding(months: months)) ?? date) < date { earliest = earliest.plus(1) }
    var booked = date.minus(lead)
    if booked < earliest { booked = min(date, earliest.plus(random.int(0...6))) }
    while catalogue.annualClosure(on: booked) != nil, booked > earliest { booked = booked.minus(1) }
    while catalogue.annualClosure(on: booked) != nil, booked < date { booked = booked.plus(1) }
    guard catalogue.annualClosure(on: booked) == nil, booked < today, booked >= firstDeskDay else { return nil }
    return booked
  }

  // MARK: A booking's story

  private enum Payment { case transfer, counter, onTheDay }

  /// Plans what happens to a booking after the call, up to yesterday: a 仮予約 confirmed within
  /// its hold or lapsing; payment by transfer or in cash; cancellation with the schedule's fee;
  /// use or no-show on the day.
  private mutating func story(of index: Int, booked: LocalDate, minute bookedMinute: Int, quote: Quote, kind: CustomerKind) {
    let intent = intents[index]
    let date = intent.request.date
    var steps: [(day: LocalDate, minute: Int, step: DeskStep)] = [(booked, bookedMinute, .request)]
    // A booking's steps a few minutes apart when they share a minute or run backwards.
    defer { schedule.add(steps, subject: index, gap: 5) }
    var confirmed: (day: LocalDate, minute: Int)? = intent.provisional ? nil : (booked, bookedMinute)
    if intent.provisional {
      let deadline = min((try? booked.adding(days: catalogue.provisionalHoldDays)) ?? date, date)
      if random.chance(90) {
        let lapse = deadline.plus(1)
        if lapse < today {
          steps.append((lapse, 8 * 60 + random.int(0...20), .lapse))
          return
        }
        // Past its deadline by today: the sweeper would lapse it at once, so the caller confirmed on the last day.
        guard deadline < today else { return }
        confirmed = (deadline, random.int((9 * 60)...(18 * 60)))
      } else {
        let span = booked.days(to: deadline)
        var day = span >= 1 ? booked.plus(random.int(1...min(span, 6))) : booked
        while catalogue.annualClosure(on: day) != nil, day > booked { day = day.minus(1) }
        guard day < today else { return }
        confirmed = (day, day == booked ? min(bookedMinute + 60, 20 * 60) : random.int((9 * 60)...(19 * 60)))
      }
      if let confirmed { steps.append((confirmed.day, confirmed.minute, .confirm)) }
    }

    // Cancellation: the typhoon, the building's failure, or the customer's own.
    var cancel: (day: LocalDate, minute: Int, reason: String, waiver: Waiver?)?
    if let typhoonDay, date == typhoonDay, date.minus(1) < today {
      cancel = (date.minus(1), random.int((10 * 60)...(17 * 60)), "台風接近のため利用中止", .disaster)
    } else if let failure, failure.space == intent.request.space, failure.day == date, date.minus(2) < today {
      cancel = (date.minus(2), random.int((10 * 60)...(16 * 60)), "空調設備故障のため施設側都合により取消", .building)
    } else if random.chance(110) {
      let before = random.weighted([(random.int(30...90), 50), (random.int(7...29), 30), (random.int(0...6), 20)])
      var day = date.minus(before)
      if day <= booked {
        let span = booked.days(to: date)
        day = span >= 1 ? booked.plus(random.int(1...span)) : date
      }
      while catalogue.annualClosure(on: day) != nil, day > booked { day = day.minus(1) }
      if day > booked, day < today, catalogue.annualClosure(on: day) == nil {
        let reason = random.pick(["行事の中止", "参加者が集まらないため", "日程変更のため", "講師の都合", "社内都合", "会場変更のため", "悪天候の予報のため"])
        cancel = (day, random.int((9 * 60)...(19 * 60)), reason, nil)
      }
    }
    if let c = cancel, let confirm = confirmed, (c.day, c.minute) < (confirm.day, confirm.minute) {
      steps.removeAll { if case .confirm = $0.step { true } else { false } }
      confirmed = nil
    }
    let used = !random.chance(30)

    // Payment, once confirmed.
    var paid: (day: LocalDate, minute: Int, method: PaymentMethod)?
    if let confirm = confirmed, quote.total > .zero {
      let mode: Payment
      switch kind {
      case .company: mode = random.weighted([(.transfer, 55), (.counter, 15), (.onTheDay, 30)])
      case .body: mode = random.weighted([(.transfer, 60), (.counter, 20), (.onTheDay, 20)])
      case .circle, .individual: mode = random.weighted([(.transfer, 10), (.counter, 45), (.onTheDay, 45)])
      }
      var payment: (day: LocalDate, minute: Int, method: PaymentMethod)
      switch mode {
      case .counter: payment = (confirm.day, confirm.minute + 10, .cash)
      case .transfer, .onTheDay:
        let transfer = bankDay(onOrAfter: confirm.day.plus(random.int(3...12)))
        if mode == .transfer, transfer < date {
          payment = (transfer, random.int((10 * 60)...(15 * 60)), .transfer)
        } else {
          payment = (date, max(8 * 60 + 30, intent.request.occupied.start - 20), .cash)
        }
      }
      let beforeCancel = cancel.map { (payment.day, payment.minute) < ($0.day, $0.minute) } ?? true
      let skipped = payment.day == date && cancel == nil && !used
      if payment.day < today, beforeCancel, !skipped {
        steps.append((payment.day, payment.minute, .pay(payment.method)))
        paid = payment
      }
    }

    if let cancel {
      let percent = cancel.waiver != nil || confirmed == nil ? 0 : catalogue.cancellationPercent(daysBefore: cancel.day.days(to: date))
      let fee = (try? FeeEngine.percent(quote.facilityFee, percent)) ?? .zero
      let refundDue = paid == nil ? Yen.zero : Yen(quote.total.amount - fee.amount)
      let atOnce = paid?.method == .cash && refundDue > .zero
      steps.append((cancel.day, cancel.minute, .cancel(reason: cancel.reason, waiver: cancel.waiver, refundBy: atOnce ? .cash : nil)))
      if paid?.method == .transfer, refundDue > .zero {
        let day = bankDay(onOrAfter: cancel.day.plus(random.int(2...6)))
        if day < today { steps.append((day, random.int((10 * 60)...(15 * 60)), .refund(.transfer))) }
      }
      if paid == nil, fee > .zero, random.chance(800) {
        let day = bankDay(onOrAfter: cancel.day.plus(random.int(5...15)))
        if day < today { steps.append((day, random.int((10 * 60)...(15 * 60)), .pay(.transfer))) }
      }
      return
    }
    guard confirmed != nil, date < today else { return }
    steps.append((date, min(23 * 60, intent.request.occupied.end + 10), .attend(used: used)))
    if !used, paid == nil, quote.total > .zero, random.chance(700) {
      let day = bankDay(onOrAfter: date.plus(random.int(7...20)))
      if day < today { steps.append((day, random.int((10 * 60)...(15 * 60)), .pay(.transfer))) }
    }
  }

  /// The first day on or after `date` that banks and the desk are both open: transfers arrive then.
  private func bankDay(onOrAfter date: LocalDate) -> LocalDate {
    var day = date
    while !(((try? BankCalendar.isBusinessDay(day)) ?? false) && catalogue.annualClosure(on: day) == nil) { day = day.plus(1) }
    return day
  }

  /// The first `weekday` on or after `year`-`month`-`day`.
  static func weekday(_ weekday: Weekday, onOrAfter year: Int, _ month: Int, _ day: Int) -> LocalDate? {
    guard var date = try? LocalDate(year: year, month: month, day: day) else { return nil }
    while date.weekday != weekday { date = date.plus(1) }
    return date
  }
}

extension LocalDate {
  /// `days` later; the demo's dates lie far inside the supported range.
  func plus(_ days: Int) -> LocalDate { (try? adding(days: days)) ?? self }
  func minus(_ days: Int) -> LocalDate { plus(-days) }
}
