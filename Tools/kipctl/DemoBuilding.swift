import Building
import EventLog
import Foundation
import SharedKernel

/// The building's demo data: the shipped catalogue published, the demo customers registered, and
/// the current fiscal year's bookings as the desk would have made them up to yesterday, every
/// step decided by the Building deciders with the desk's own day as `today`; then the offices
/// and the car park over the same year (``DemoLetting``).
///
/// Only a log without a building catalogue is seeded; a log with the demo customers is complete.
struct DemoBuilding: DemoSeeder {
  var name: String { "building" }

  /// Who signs the daily cash closes: the demo's building manager.
  static let manager = "building-manager"

  func seed(_ context: DemoContext) async throws -> [String] {
    let store = context.store
    let catalogueVersion = try await store.version(of: CatalogueHistory.stream())
    var demoCustomers = 0
    for customer in DemoCustomer.all where try await store.version(of: Customer.stream(customer.id)) != nil { demoCustomers += 1 }
    if let catalogueVersion {
      guard demoCustomers == DemoCustomer.all.count else {
        return ["building: not seeded: the log has a catalogue (version \(catalogueVersion + 1)) but not the demo customers; demo bookings go into a fresh log only"]
      }
      return ["building: demo data present (catalogue v\(catalogueVersion + 1), \(demoCustomers) demo customers)"]
    }
    guard demoCustomers == 0 else {
      return ["building: not seeded: \(demoCustomers) demo customers are registered but no catalogue is published"]
    }
    let catalogue: Catalogue
    do { catalogue = try CatalogueFile.load(context.buildingCatalogue) } catch let refusal as CatalogueFile.Refusal {
      throw CatalogueFile.Refusal(description: "\(refusal.description) (give the building catalogue with --building-catalogue PATH)")
    }
    let started = ContinuousClock.now
    let today = try LocalDate(japanTimeOf: context.now)
    var plan = DemoPlan(catalogue: catalogue, today: today)
    plan.make()
    var desk = DemoDesk(metadata: context.metadata)
    let opening = plan.firstDeskDay
    try desk.publish(catalogue, note: "デモデータ: \((context.buildingCatalogue as NSString).lastPathComponent)", at: DemoDesk.instant(opening, 8 * 60 + 30))
    for closure in plan.closures { try desk.declare(closure, at: DemoDesk.instant(opening, 8 * 60 + 40)) }
    for (index, customer) in DemoCustomer.all.enumerated() { try desk.register(customer, at: DemoDesk.instant(opening, 8 * 60 + 45 + index / 10)) }

    var refused: [String] = []
    var day: LocalDate?
    for action in plan.actions {
      if action.day != day {
        if let day { try desk.closeCash(day, signedBy: Self.manager) }
        if let day, day.yearMonth != action.day.yearMonth { try await desk.flush(to: store) }
        day = action.day
      }
      do {
        try perform(action, plan, &desk)
      } catch let error as BuildingError {
        refused.append("\(action.day) \(action.step): \(error.description)")
      }
    }
    if let day { try desk.closeCash(day, signedBy: Self.manager) }
    try await desk.flush(to: store)
    let elapsed = ContinuousClock.now - started

    let summary = DemoSummary(desk.bookings, catalogue: catalogue, closures: desk.closures, year: plan.year, today: today)
    var lines = [
      "building: catalogue v\(desk.catalogue.versions.count), \(desk.customers.count) customers, \(summary.bookings.grouped) bookings (\(plan.year))",
      "  \(summary.statusLine); rooms used \(summary.roomUtilisationPercent)% of their blocks on \(summary.openDays) open days so far; "
        + "\(desk.closures.closures.count) closures, \(desk.cashCloses) cash closes; \(desk.eventsAppended.grouped) events in \(desk.appends) appends, "
        + "\(elapsed.components.seconds) s",
    ]
    if !refused.isEmpty {
      lines.append("  \(refused.count) desk steps refused by the rules, e.g. \(refused[0])")
    }
    var letting = DemoLetting(
      year: plan.year, today: today, catalogue: catalogue, bookings: desk.bookings.values.sorted { $0.id.rawValue < $1.id.rawValue },
      metadata: context.metadata)
    lines += try await letting.seed(into: store)
    return lines
  }

  private func perform(_ action: DemoAction, _ plan: DemoPlan, _ desk: inout DemoDesk) throws {
    let context = desk.context(action.day, action.minute)
    guard let index = action.subject else {
      if case .declare(let closure) = action.step { try desk.declare(closure, at: context.at) }
      return
    }
    let intent = plan.intents[index]
    if case .request = action.step {
      guard let customer = desk.customers[DemoCustomer.all[intent.customer].id] else { throw BuildingError.unknownCustomer(nil) }
      let new = NewBooking(
        id: intent.id, request: intent.request, customer: customer, purpose: intent.purpose, attendees: intent.attendees, provisional: intent.provisional)
      try desk.request(new, context)
      return
    }
    // A booking the rules refused has no story to follow.
    guard desk.bookings[intent.id] != nil else { return }
    switch action.step {
    case .request, .declare: break
    case .confirm: try desk.confirm(intent.id, context)
    case .pay(let method): try desk.pay(intent.id, by: method, context)
    case .cancel(let reason, let waiver, let refundBy): try desk.cancel(intent.id, reason: reason, waiver: waiver, refundBy: refundBy, context)
    case .refund(let method): try desk.refund(intent.id, by: method, context)
    case .lapse: try desk.lapse(intent.id, context)
    case .attend(let used): try desk.attend(intent.id, used: used, context)
    }
  }
}

/// What the seed made, for the report: bookings by status and how full the rooms were.
struct DemoSummary {
  var bookings = 0
  var statuses: [BookingStatus: Int] = [:]
  var openDays = 0
  var roomBlocks = 0
  var roomBlocksUsed = 0

  init(_ records: [BookingID: Booking.Record], catalogue: Catalogue, closures: Closures.State, year: FiscalYear, today: LocalDate) {
    bookings = records.count
    for record in records.values { statuses[record.status, default: 0] += 1 }
    let rooms = catalogue.spaces.filter { $0.kind == .room }
    var units: [String] = []
    for unit in rooms.flatMap(\.units) where !units.contains(unit) { units.append(unit) }
    var day = year.firstDay
    while day < today, day <= year.lastDay {
      if catalogue.annualClosure(on: day) == nil {
        openDays += 1
        for unit in units {
          let open = rooms.contains { $0.units.contains(unit) && closures.closure(of: $0.id, on: day) == nil }
          if open { roomBlocks += 3 }
        }
      }
      day = day.plus(1)
    }
    let roomUnits = Set(units)
    for record in records.values where record.status == .used || record.status == .noShow {
      let request = record.details.request
      guard request.date < today, year.contains(request.date) else { continue }
      let blocks = DemoPlan.blocks(of: request.slot).count
      roomBlocksUsed += record.details.units.filter { roomUnits.contains($0) }.count * blocks
    }
  }

  var roomUtilisationPercent: Int { roomBlocks == 0 ? 0 : roomBlocksUsed * 100 / roomBlocks }

  var statusLine: String {
    BookingStatus.allCases.compactMap { status in
      statuses[status].map { "\($0.grouped) \(status.rawValue)" }
    }.joined(separator: ", ")
  }
}

extension Int {
  /// `2,345`.
  var grouped: String {
    let digits = Array(String(magnitude))
    var text = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
      text.append(digit)
    }
    return (self < 0 ? "-" : "") + text
  }
}
