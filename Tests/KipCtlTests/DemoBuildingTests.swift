import Building
import EventLog
import Foundation
import SharedKernel
import Succession
import Testing
import TestSupport

/// One data directory seeded twice, for the building's and the succession centre's suites: a seed takes seconds.
struct SeededDemo: Sendable {
  var folder: URL
  var first: Outcome
  var second: Outcome
  var headAfterFirst: String
  var headAfterSecond: String

  var log: String { "sqlite://\(folder.appending(path: "events.sqlite").path)" }

  static let shared: Result<SeededDemo, TestFailure> = {
    let folder = temporaryFolder()
    func kipctl(_ arguments: [String]) throws -> Outcome {
      try run(
        executable("kipctl"), arguments, environment: ["KIP_DATA_DIR": folder.path, "KIP_BCRYPT_COST": "4"], removing: ["KIP_EVENT_LOG"])
    }
    do {
      let seed = ["demo", "seed", "--building-catalogue", shippedCatalogue.path, "--succession-partners", shippedPartners.path]
      let log = "sqlite://\(folder.appending(path: "events.sqlite").path)"
      let first = try kipctl(seed)
      guard first.status == 0 else { return .failure(TestFailure("the first seed failed: \(first.error)")) }
      let headAfterFirst = try kipctl(["head", "--log", log]).output
      let second = try kipctl(seed)
      let headAfterSecond = try kipctl(["head", "--log", log]).output
      return .success(SeededDemo(folder: folder, first: first, second: second, headAfterFirst: headAfterFirst, headAfterSecond: headAfterSecond))
    } catch {
      return .failure(TestFailure("\(error)"))
    }
  }()
}

@Suite("kipctl demo seed: the building's fiscal year")
struct DemoBuildingTests {
  @Test("a second seed adds nothing: the catalogue and the demo customers are found in the log")
  func secondSeed() throws {
    let seeded = try SeededDemo.shared.get()
    #expect(seeded.first.output.contains(#/building: catalogue v1, 60 customers, [0-9,]+ bookings \(FY[0-9]{4}\)/#), "\(seeded.first.output)")
    #expect(seeded.first.error.isEmpty, "\(seeded.first.error)")
    #expect(!seeded.first.output.contains("refused"), "\(seeded.first.output)")
    #expect(seeded.second.status == 0, "\(seeded.second.error)")
    #expect(seeded.second.output.contains("building: demo data present (catalogue v1, 60 demo customers)"), "\(seeded.second.output)")
    #expect(seeded.second.output.contains("demo data complete: nothing to add"), "\(seeded.second.output)")
    #expect(seeded.headAfterSecond == seeded.headAfterFirst)
  }

  @Test("the seeded log verifies, and was written in batches, not one append per decision")
  func verified() async throws {
    let seeded = try SeededDemo.shared.get()
    let verify = try kipctl("verify", "--log", seeded.log)
    #expect(verify.status == 0, "\(verify.error)")
    #expect(verify.output.hasPrefix("ok "))
    // The building's own events: the succession seeder appends in batches of its own.
    let succession = [Partners.category, Case.category, CompanyIndex.category, CaseNumbers.category, Diagnoses.category]
    let events = try await allEvents(of: seeded.folder).filter { !succession.contains($0.stream.category) }
    let appends = Set(events.map(\.recordedAtMilliseconds)).count
    #expect(events.count > 5000)
    #expect(appends < 40, "\(appends) record times for \(events.count) events")
  }

  @Test("the seeded log replays through the deciders' evolve without contradiction")
  func replay() async throws {
    let seeded = try SeededDemo.shared.get()
    let events = try await allEvents(of: seeded.folder)
    let today = try LocalDate(japanTimeOf: Date())
    let year = FiscalYear(containing: today)
    var history = CatalogueHistory.initialState
    var closures = Closures.initialState
    var sheets: [StreamName: DaySheet.State] = [:]
    var stock: [StreamName: EquipmentSheet.State] = [:]
    var bookings: [StreamName: Booking.Record] = [:]
    var books: [StreamName: CashBook.State] = [:]
    var problems: [String] = []
    var closes = 0
    func problem(_ event: RecordedEvent, _ text: String) { problems.append("\(event.position) \(event.stream): \(text)") }

    for event in events {
      switch event.stream.category {
      case CatalogueHistory.category:
        history = CatalogueHistory.evolve(history, try CatalogueHistory.codec.decode(event))
      case Closures.category:
        closures = Closures.evolve(closures, try Closures.codec.decode(event))
      case DaySheet.category:
        let decoded = try DaySheet.codec.decode(event)
        let state = sheets[event.stream] ?? DaySheet.initialState
        if case .held(let held) = decoded {
          for other in state.holds.values where other.booking != held.hold.booking && other.collides(with: held.hold) {
            problem(event, "\(held.hold.booking) collides with \(other.booking)")
          }
        }
        sheets[event.stream] = DaySheet.evolve(state, decoded)
      case EquipmentSheet.category:
        let decoded = try EquipmentSheet.codec.decode(event)
        let state = stock[event.stream] ?? EquipmentSheet.initialState
        if case .held(let held) = decoded, let catalogue = history.current?.catalogue {
          for line in held.items {
            let inUse = state.peakUse(of: line.item, during: held.range, except: held.booking)
            if inUse + line.quantity > (catalogue.equipmentItem(line.item)?.stock ?? 0) { problem(event, "\(line.item) over its stock") }
          }
        }
        stock[event.stream] = EquipmentSheet.evolve(state, decoded)
      case Booking.category:
        let decoded = try Booking.codec.decode(event)
        let before = bookings[event.stream]
        switch decoded {
        case .requested(let e):
          let request = e.details.request
          let catalogue = try #require(history.version(e.details.quote.catalogueVersion))
          let months = catalogue.bookingWindowMonths[request.tier] ?? 0
          let last = try e.on.adding(months: months)
          if request.date < e.on || request.date > last { problem(event, "booked on \(e.on) for \(request.date)") }
          if catalogue.annualClosure(on: request.date) != nil || closures.closure(of: request.space, on: request.date) != nil {
            problem(event, "booked on a closed day")
          }
          if e.on >= today { problem(event, "booked on \(e.on), not before today") }
        case .cancelled(let e):
          let record = try #require(before)
          let catalogue = try #require(history.version(record.details.quote.catalogueVersion))
          let percent = e.waiver != nil || record.status == .provisional ? 0 : catalogue.cancellationPercent(daysBefore: e.daysBefore)
          let fee = try FeeEngine.percent(record.details.quote.facilityFee, percent)
          if e.daysBefore != e.on.days(to: record.details.request.date) || e.percent != percent || e.fee != fee {
            problem(event, "cancelled \(e.daysBefore) days before at \(e.percent)% for \(e.fee), the schedule says \(percent)% = \(fee)")
          }
          if e.refundDue != Yen(max(0, record.paid.amount - fee.amount)) { problem(event, "refund due \(e.refundDue)") }
        case .used, .noShow:
          if let date = before?.details.request.date, date >= today { problem(event, "attended on \(date), which has not come") }
        case .paymentRecorded(let e):
          if let record = before, e.amount > record.balance { problem(event, "paid \(e.amount) of \(record.balance)") }
        case .refunded(let e):
          if let record = before, e.amount.amount > -record.balance.amount { problem(event, "refunded \(e.amount)") }
        default: break
        }
        bookings[event.stream] = Booking.evolve(before, decoded)
      case CashBook.category:
        let decoded = try CashBook.codec.decode(event)
        let book = books[event.stream] ?? CashBook.initialState
        if book.closed != nil { problem(event, "entered after the close") }
        if case .closed(let e) = decoded {
          closes += 1
          if e.totals != book.totals || e.difference != .zero { problem(event, "the close does not match the book") }
        }
        books[event.stream] = CashBook.evolve(book, decoded)
      case Numbering.Kind.permits.rawValue, Numbering.Kind.receipts.rawValue:
        guard case .issued(let e) = try Numbering.codec.decode(event) else { break }
        let sequence = String(event.version + 1)
        let expected = "\(event.stream.category == "permits" ? "P" : "R")\(event.stream.id.dropFirst(2))-" + String(repeating: "0", count: max(0, 5 - sequence.count)) + sequence
        if e.number != expected { problem(event, "number \(e.number), expected \(expected)") }
      default: break
      }
    }
    #expect(problems.isEmpty, "\(problems.count) contradictions, first: \(problems.prefix(5))")

    let records = bookings.values.sorted { $0.id < $1.id }
    #expect((1_000...5_000).contains(records.count), "\(records.count) bookings")
    #expect(seeded.first.output.contains(" \(grouped(records.count)) bookings"), "the seed reported other figures: \(seeded.first.output)")
    #expect(closures.closures.count >= 2)
    #expect(closes > 100)
    let past = records.filter { $0.details.request.date < today && year.contains($0.details.request.date) }
    let future = records.filter { $0.details.request.date >= today }
    for record in past where record.status.holdsTime { Issue.record("\(record.id) on \(record.details.request.date) is still \(record.status)") }
    for record in future where record.status == .used || record.status == .noShow { Issue.record("\(record.id) is \(record.status) before its day") }
    func count(_ status: BookingStatus, in records: [Booking.Record]) -> Int { records.filter { $0.status == status }.count }
    let used = count(.used, in: past), noShow = count(.noShow, in: past), cancelled = count(.cancelled, in: past)
    #expect(used * 100 >= past.count * 70, "\(used) of \(past.count) used")
    #expect(noShow > 0 && noShow * 100 < past.count * 6, "\(noShow) no-shows")
    #expect(cancelled * 100 >= past.count * 5 && cancelled * 100 <= past.count * 20, "\(cancelled) cancelled")
    #expect(records.contains { $0.status == .cancelled && ($0.cancellationFee ?? .zero) > .zero })
    #expect(count(.provisional, in: future) > 0 && count(.confirmed, in: future) > 0)
    #expect(records.contains { $0.details.request.reduction != nil && $0.details.request.reductionReason != nil })
    #expect(records.contains { $0.details.request.use == .commercial } && records.contains { $0.details.request.use == .admission })
    #expect(records.contains { !$0.details.request.equipment.isEmpty })
    let weekendHall = records.filter { $0.details.request.space.rawValue.hasPrefix("hall") && $0.details.request.date.weekday.isWeekend }
    #expect(weekendHall.contains { $0.details.units.count == 6 } && weekendHall.contains { $0.details.units.count < 6 })

    // Rooms: 30–55% of their blocks on the open days so far were held by a booking that was used or not shown up for.
    let catalogue = try #require(history.current?.catalogue)
    let rooms = catalogue.spaces.filter { $0.kind == .room }
    let units = Set(rooms.flatMap(\.units))
    var blocks = 0
    var day = year.firstDay
    while day < today {
      if catalogue.annualClosure(on: day) == nil {
        for unit in units where rooms.contains(where: { $0.units.contains(unit) && closures.closure(of: $0.id, on: day) == nil }) { blocks += 3 }
      }
      day = try day.adding(days: 1)
    }
    var held = 0
    for record in past where record.status == .used || record.status == .noShow {
      let covered = Slot.basic.filter { $0.range.overlaps(record.details.request.slot.range) }.count
      held += record.details.units.filter { units.contains($0) }.count * covered
    }
    if blocks >= 30 * 3 * units.count {
      #expect(held * 100 >= blocks * 30 && held * 100 <= blocks * 55, "rooms held \(held) of \(blocks) blocks")
    }
  }
}
