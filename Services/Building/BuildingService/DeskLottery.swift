import Building
import EventLog
import Foundation
import ServiceKit
import SharedKernel

/// The lottery's operations at the desk: each loads its streams into a ``Transaction``, asks
/// the Building context to decide, and queues the events for one append.
extension Desk {
  func round(_ id: LotteryID, in t: Transaction) async throws -> Lottery.State {
    try await t.load(Lottery.stream(id), codec: Lottery.codec, initial: Lottery.initialState, evolve: Lottery.evolve)
  }

  func existingRound(_ id: LotteryID, in t: Transaction) async throws -> Lottery.Round {
    guard let round = try await round(id, in: t) else { throw Problem(.notFound, BuildingError.unknownLottery(id).description) }
    return round
  }

  /// Queues a lottery decision: the round, the index, the winners' bookings and their holds.
  func queue(_ decision: LotteryDecision, round id: LotteryID, in t: Transaction) async throws {
    try t.write(decision.round, to: Lottery.stream(id), codec: Lottery.codec)
    try t.write(decision.index, to: LotteryIndex.stream(), codec: LotteryIndex.codec)
    for won in decision.bookings {
      let stream = try Booking.stream(won.id)
      _ = try await t.load(stream, codec: Booking.codec, initial: Booking.initialState, evolve: Booking.evolve)
      try t.write(won.events, to: stream, codec: Booking.codec)
    }
    for sheet in decision.slots { try t.write(sheet.events, to: sheet.stream, codec: DaySheet.codec) }
    for sheet in decision.equipment { try t.write(sheet.events, to: sheet.stream, codec: EquipmentSheet.codec) }
  }

  func openLottery(_ id: LotteryID, _ rules: LotteryRules, in t: Transaction) async throws -> Outcome<LotteryView> {
    let context = try await self.context(t)
    let decision = try Lottery.open(id, rules, context, round: try await round(id, in: t))
    try await queue(decision, round: id, in: t)
    return Outcome(stream: try Lottery.stream(id), status: .created, body: LotteryView(decision.round.reduce(nil, Lottery.evolve)))
  }

  /// An application; `requests` prices the slots at the applicant's category.
  func applyLottery(
    _ id: LotteryID, customer: CustomerID, requests: (CustomerTier) throws -> [LotteryRequest], in t: Transaction
  ) async throws -> Outcome<LotteryView.Application> {
    let context = try await self.context(t)
    let round = try await existingRound(id, in: t)
    guard let applicant = try await self.customer(customer, in: t) else {
      throw Problem(.validationFailed, BuildingError.unknownCustomer(customer).description, field: "customer")
    }
    let events = try Lottery.apply(round, customer: applicant, requests: try requests(applicant.profile.tier), context)
    try t.write(events, to: Lottery.stream(id), codec: Lottery.codec)
    let after = events.reduce(round, Lottery.evolve)
    guard let application = after?.applications.last else { throw Problem(.internalError, "the application was not recorded") }
    return Outcome(stream: try Lottery.stream(id), status: .created, body: LotteryView.Application(application, in: after))
  }

  func withdrawLottery(_ id: LotteryID, number: Int, in t: Transaction) async throws -> Outcome<LotteryView.Application> {
    let context = try await self.context(t)
    let round = try await existingRound(id, in: t)
    let events = try Lottery.withdraw(round, number: number, context)
    try t.write(events, to: Lottery.stream(id), codec: Lottery.codec)
    let after = events.reduce(round, Lottery.evolve)
    guard let application = after?.applications.first(where: { $0.number == number }) else {
      throw Problem(.notFound, BuildingError.unknownApplication(id, number).description)
    }
    return Outcome(stream: try Lottery.stream(id), status: .ok, body: LotteryView.Application(application, in: after))
  }

  /// Closes applications; the seed is the log's head hash at this moment.
  func closeLottery(_ id: LotteryID, in t: Transaction) async throws -> Outcome<LotteryView> {
    let context = try await self.context(t)
    let round = try await existingRound(id, in: t)
    let events = try Lottery.close(round, head: try await store.head(), context)
    try t.write(events, to: Lottery.stream(id), codec: Lottery.codec)
    return Outcome(stream: try Lottery.stream(id), status: .ok, body: LotteryView(events.reduce(round, Lottery.evolve)))
  }

  /// Draws a closed round: reads every day sheet and equipment sheet its applications touch.
  func drawLottery(_ id: LotteryID, in t: Transaction) async throws -> Outcome<LotteryView> {
    let context = try await self.context(t)
    let round = try await existingRound(id, in: t)
    var slots: [StreamName: DaySheet.State] = [:]
    var stock: [StreamName: EquipmentSheet.State] = [:]
    if round.phase == .closed {
      let (_, catalogue) = try context.current()
      let needed = try Lottery.sheets(for: round, in: catalogue)
      for stream in needed.slots { slots[stream] = try await daySheet(stream, in: t) }
      for stream in needed.equipment {
        stock[stream] = try await t.load(stream, codec: EquipmentSheet.codec, initial: EquipmentSheet.initialState, evolve: EquipmentSheet.evolve)
      }
    }
    let decision = try Lottery.draw(round, context, sheets: slots, equipment: stock)
    try await queue(decision, round: id, in: t)
    return Outcome(stream: try Lottery.stream(id), status: .ok, body: LotteryView(decision.round.reduce(round, Lottery.evolve)))
  }

  func callOffLottery(_ id: LotteryID, reason: String, in t: Transaction) async throws -> Outcome<LotteryView> {
    let context = try await self.context(t)
    let round = try await existingRound(id, in: t)
    let decision = try Lottery.callOff(round, reason: reason, context)
    try await queue(decision, round: id, in: t)
    return Outcome(stream: try Lottery.stream(id), status: .ok, body: LotteryView(decision.round.reduce(round, Lottery.evolve)))
  }

  /// The rounds in the order scheduled, each as its stream tells it (read outside any decision).
  func lotteries() async throws -> [Lottery.Round] {
    let t = Transaction(store: store, metadata: Data())
    let index = try await t.load(LotteryIndex.stream(), codec: LotteryIndex.codec, initial: LotteryIndex.initialState, evolve: LotteryIndex.evolve)
    var rounds: [Lottery.Round] = []
    for entry in index.rounds {
      if let round = try await round(entry.round, in: t) { rounds.append(round) }
    }
    return rounds
  }

  /// One round as its stream tells it now.
  func lottery(_ id: LotteryID) async throws -> Lottery.Round {
    try await existingRound(id, in: Transaction(store: store, metadata: Data()))
  }
}

/// A lottery round as the API shows it: its rules, where it is, its applications and results.
struct LotteryView: Codable, Sendable {
  var id: String
  var name: String
  var month: String
  var spaces: [String]
  var opens: String
  var closes: String
  var drawOn: String
  var maxSlotsPerApplicant: Int
  var maxHolidaySlotsPerApplicant: Int
  var maxBundle: Int
  var priority: [String]
  var payWithinDays: Int
  var phase: String
  /// Fixed at the close: the log's head hash, and the position it is of.
  var seed: String?
  var sealedThrough: Int64?
  var applications: [Application]

  struct Application: Codable, Sendable {
    var number: Int
    var customer: String
    var customerName: String
    var customerCategory: String
    var requests: [Slot]
    var withdrawn: Bool
    /// After the draw.
    var outcome: String?
    var key: String?
    var place: Int?
    var reason: String?
    var bookings: [String]?

    struct Slot: Codable, Sendable {
      var space: String
      var date: String
      var slot: String
    }

    init(_ application: Lottery.Application, in round: Lottery.State) {
      number = application.number
      customer = application.customer.rawValue
      customerName = application.customerName
      customerCategory = application.tier.rawValue
      requests = application.requests.map { Slot(space: $0.request.space.rawValue, date: $0.request.date.description, slot: $0.request.slot.code) }
      withdrawn = application.withdrawn
      if let result = round?.result(application.number) {
        outcome = result.outcome.rawValue
        key = result.key
        place = result.place
        reason = result.reason
        bookings = result.bookings.map(\.rawValue)
      }
    }
  }

  init(_ round: Lottery.State, customer: CustomerID? = nil) {
    let rules = round?.rules
    id = round?.id.rawValue ?? ""
    name = rules?.name ?? ""
    month = rules?.month.description ?? ""
    spaces = rules?.spaces.map(\.rawValue) ?? []
    opens = rules?.opens.description ?? ""
    closes = rules?.closes.description ?? ""
    drawOn = rules?.drawOn.description ?? ""
    maxSlotsPerApplicant = rules?.maxSlotsPerApplicant ?? 0
    maxHolidaySlotsPerApplicant = rules?.maxHolidaySlotsPerApplicant ?? 0
    maxBundle = rules?.maxBundle ?? 0
    priority = rules?.priority.map(\.rawValue) ?? []
    payWithinDays = rules?.payWithinDays ?? 0
    phase = round?.phase.rawValue ?? ""
    seed = round?.seed
    sealedThrough = round?.sealedThrough
    applications = (round?.applications ?? []).filter { customer == nil || $0.customer == customer }.map { Application($0, in: round) }
  }
}
