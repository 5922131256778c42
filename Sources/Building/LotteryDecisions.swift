import Crypto
public import EventLog
import Foundation
public import SharedKernel

/// The events one lottery decision writes, stream by stream.
public struct LotteryDecision: Sendable {
  public var round: [Lottery.Event] = []
  public var index: [LotteryIndex.Event] = []
  /// The winners' new bookings, in the order they won.
  public var bookings: [WonBooking] = []
  /// Day-sheet and equipment-sheet holds, one entry per stream, by stream name.
  public var slots: [SheetEvents<DaySheet.Event>] = []
  public var equipment: [SheetEvents<EquipmentSheet.Event>] = []

  public init() {}

  /// A winner's 仮予約.
  public struct WonBooking: Sendable {
    public var id: BookingID
    public var events: [Booking.Event]
  }
}

extension Lottery {
  // MARK: Decisions

  /// Opens a round: its rules checked against the catalogue and the rounds already scheduled.
  public static func open(_ id: LotteryID, _ rules: LotteryRules, _ context: DeskContext, round: State) throws(BuildingError) -> LotteryDecision {
    guard round == nil else { throw .lotteryExists(id) }
    let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
    guard id.rawValue.count <= 40, id.rawValue.allSatisfy({ allowed.contains($0) }), id.rawValue.first != "-" else {
      throw .invalidLottery(field: "id", reason: "抽選回のIDは英小文字・数字・ハイフンで40文字まで（例: 2027-06-hall）です")
    }
    let (_, catalogue) = try context.current()
    var rules = rules
    rules.name = rules.name.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !rules.name.isEmpty, rules.name.count <= 100 else { throw .invalidLottery(field: "name", reason: "抽選回の名称（100文字まで）が必要です") }
    guard !rules.spaces.isEmpty else { throw .invalidLottery(field: "spaces", reason: "抽選する施設を1つ以上指定してください") }
    guard Set(rules.spaces).count == rules.spaces.count else { throw .invalidLottery(field: "spaces", reason: "同じ施設が二度指定されています") }
    for space in rules.spaces where catalogue.space(space) == nil { throw .unknownSpace(space) }
    guard rules.opens >= context.today else {
      throw .invalidLottery(field: "opens", reason: "受付開始日 \(rules.opens) は今日（\(context.today)）以降にしてください")
    }
    guard rules.opens <= rules.closes else {
      throw .invalidLottery(field: "closes", reason: "受付締切日 \(rules.closes) が受付開始日 \(rules.opens) より前です")
    }
    guard rules.closes < rules.drawOn else {
      throw .invalidLottery(field: "drawOn", reason: "抽選日 \(rules.drawOn) は受付締切日 \(rules.closes) の翌日以降にしてください")
    }
    guard rules.drawOn < rules.month.firstDay else {
      throw .invalidLottery(field: "drawOn", reason: "抽選日 \(rules.drawOn) は対象月 \(rules.month) の前にしてください")
    }
    guard (1...100).contains(rules.maxSlotsPerApplicant) else {
      throw .invalidLottery(field: "maxSlotsPerApplicant", reason: "1人あたりの申込上限は1〜100コマです")
    }
    guard (0...rules.maxSlotsPerApplicant).contains(rules.maxHolidaySlotsPerApplicant) else {
      throw .invalidLottery(field: "maxHolidaySlotsPerApplicant", reason: "土日祝の上限は0〜\(rules.maxSlotsPerApplicant)コマです")
    }
    guard (1...20).contains(rules.maxBundle) else { throw .invalidLottery(field: "maxBundle", reason: "1件の申込にまとめられるのは1〜20コマです") }
    guard (1...90).contains(rules.payWithinDays) else { throw .invalidLottery(field: "payWithinDays", reason: "当選後の支払期限は1〜90日です") }
    guard Set(rules.priority).count == rules.priority.count else { throw .invalidLottery(field: "priority", reason: "優先順位に同じ区分が二度あります") }
    for id in rules.spaces {
      guard let space = catalogue.space(id) else { continue }
      for entry in context.lotteries.rounds where entry.phase != .calledOff && entry.covers(space, on: rules.month.firstDay, in: catalogue) {
        throw .lotteryOverlaps(space: id, month: rules.month, round: entry.round)
      }
    }
    var decision = LotteryDecision()
    let at = Timestamp(context.at)
    decision.round = [.opened(Opened(round: id, rules: rules, at: at))]
    decision.index = [.scheduled(LotteryIndex.Scheduled(round: id, month: rules.month, spaces: rules.spaces, drawOn: rules.drawOn, at: at))]
    return decision
  }

  /// Takes an application: each slot in the round's month and spaces, priced and open, the
  /// bundle consistent in itself, and the applicant within the round's caps.
  public static func apply(
    _ state: State, customer: Customer.Record, requests: [LotteryRequest], _ context: DeskContext
  ) throws(BuildingError) -> [Event] {
    let round = try existing(state)
    let rules = round.rules
    guard round.phase == .open, (rules.opens...rules.closes).contains(context.today) else {
      throw .lotteryNotTaking(round.id, opens: rules.opens, closes: rules.closes)
    }
    guard !requests.isEmpty else { throw .invalidLottery(field: "requests", reason: "申込む枠を1つ以上指定してください") }
    guard requests.count <= rules.maxBundle else {
      throw .invalidLottery(field: "requests", reason: "1件の申込は\(rules.maxBundle)コマまでです（\(requests.count)コマ）")
    }
    let (version, catalogue) = try context.current()
    var sheets: [StreamName: DaySheet.State] = [:]
    var holidays = 0
    for (index, asked) in requests.enumerated() {
      let request = asked.request
      guard rules.spaces.contains(request.space) else {
        throw .invalidLottery(field: "requests", reason: "\(index + 1)件目: 施設 \(request.space) はこの抽選の対象ではありません")
      }
      guard request.date.yearMonth == rules.month else {
        throw .invalidLottery(field: "requests", reason: "\(index + 1)件目: \(request.date) は対象月 \(rules.month) の日ではありません")
      }
      guard request.tier == customer.profile.tier else {
        throw .tierMismatch(customer: customer.profile.name, registered: customer.profile.tier, asked: request.tier)
      }
      let details = try Booking.price(
        request, customer: customer.id, name: customer.profile.name, purpose: asked.purpose, attendees: asked.attendees, catalogue, version: version)
      try Booking.checkOpen(request, catalogue, context)
      let stream = try Booking.sheetStream(details)
      let id = try placeholder(index)
      do {
        let events = try DaySheet.hold(details.hold(for: id), on: request.date, sheets[stream] ?? DaySheet.initialState)
        sheets[stream] = events.reduce(sheets[stream] ?? DaySheet.initialState, DaySheet.evolve)
      } catch {
        throw .invalidLottery(field: "requests", reason: "\(index + 1)件目: 同じ申込の中で時間が重なっています")
      }
      if try FeeEngine.dayType(of: request.date) != nil { holidays += 1 }
      let mine = round.standing.filter { $0.customer == customer.id }.flatMap(\.requests)
      if mine.contains(where: { $0.request.space == request.space && $0.request.date == request.date && $0.request.slot == request.slot }) {
        throw .duplicateLotteryRequest(space: request.space, date: request.date, slot: request.slot)
      }
    }
    let mine = round.standing.filter { $0.customer == customer.id }.flatMap(\.requests)
    let slots = mine.count + requests.count
    guard slots <= rules.maxSlotsPerApplicant else {
      throw .lotteryCap(customer: customer.profile.name, limit: rules.maxSlotsPerApplicant, holiday: false, asked: slots)
    }
    var holidaySlots = holidays
    for asked in mine where try FeeEngine.dayType(of: asked.request.date) != nil { holidaySlots += 1 }
    guard holidaySlots <= rules.maxHolidaySlotsPerApplicant else {
      throw .lotteryCap(customer: customer.profile.name, limit: rules.maxHolidaySlotsPerApplicant, holiday: true, asked: holidaySlots)
    }
    return [
      .applied(
        Applied(
          round: round.id, number: round.applications.count + 1, customer: customer.id, customerName: customer.profile.name,
          tier: customer.profile.tier, requests: requests, on: context.today, at: Timestamp(context.at)))
    ]
  }

  /// Withdraws an application before the close (again: nothing).
  public static func withdraw(_ state: State, number: Int, _ context: DeskContext) throws(BuildingError) -> [Event] {
    let round = try existing(state)
    guard let application = round.applications.first(where: { $0.number == number }) else { throw .unknownApplication(round.id, number) }
    if application.withdrawn { return [] }
    guard round.phase == .open else { throw .lotteryPhase(round.id, round.phase, action: "申込を取り下げる") }
    return [.withdrawn(Withdrawn(round: round.id, number: number, at: Timestamp(context.at)))]
  }

  /// Closes applications after the last day and fixes the seed: the log's head hash now,
  /// which nobody could know while applications were taken (again: nothing).
  public static func close(_ state: State, head: LogHead, _ context: DeskContext) throws(BuildingError) -> [Event] {
    let round = try existing(state)
    guard round.phase == .open else {
      if round.phase == .closed || round.phase == .drawn { return [] }
      throw .lotteryPhase(round.id, round.phase, action: "締め切る")
    }
    guard context.today > round.rules.closes else { throw .lotteryTooEarly(round.id, action: "締め切る", from: try after(round.rules.closes)) }
    let hex = head.hash.hexadecimal
    return [.closed(Closed(round: round.id, seed: hex, sealedThrough: head.sealedThrough, at: Timestamp(context.at)))]
  }

  /// Calls a round off before its draw; its month returns to first-come under the usual window.
  public static func callOff(_ state: State, reason: String, _ context: DeskContext) throws(BuildingError) -> LotteryDecision {
    let round = try existing(state)
    if round.phase == .calledOff { return LotteryDecision() }
    guard round.phase != .drawn else { throw .lotteryPhase(round.id, round.phase, action: "中止する") }
    let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !reason.isEmpty else { throw .invalidLottery(field: "reason", reason: "中止の理由が必要です") }
    var decision = LotteryDecision()
    let at = Timestamp(context.at)
    decision.round = [.calledOff(CalledOff(round: round.id, reason: reason, at: at))]
    decision.index = [.calledOff(LotteryIndex.CalledOff(round: round.id, at: at))]
    return decision
  }

  /// The day sheets and equipment sheets a draw reads: those of every slot applied for, by name.
  public static func sheets(for state: State, in catalogue: Catalogue) throws -> (slots: [StreamName], equipment: [StreamName]) {
    let round = try existing(state)
    var slots = Set<StreamName>()
    var equipment = Set<StreamName>()
    for application in round.standing {
      for asked in application.requests {
        let sheets = try Booking.sheets(for: asked.request, in: catalogue)
        slots.insert(sheets.slots)
        if let stream = sheets.equipment { equipment.insert(stream) }
      }
    }
    return (slots.sorted(), equipment.sorted())
  }

  /// Application `number`'s draw key under `seed`: the first 16 hex digits of
  /// SHA-256("<seed>:<number>"), which anyone can check with `sha256sum`.
  public static func key(seed: String, number: Int) -> String {
    let digest = SHA256.hash(data: Data("\(seed):\(number)".utf8))
    return digest.prefix(8).hexadecimal
  }

  /// The draw. Applications go in order of their tier's priority, then their key, then their
  /// number; each takes all its slots if every one of them is still free, open and priced, or
  /// none (a bundle wins or loses whole). Each winner gets 仮予約 with a payment deadline; the
  /// month's remainder opens first-come. Nothing here depends on a hash map's order, so the
  /// same inputs always give the same winners (a draw already made: nothing).
  public static func draw(
    _ state: State, _ context: DeskContext, sheets: [StreamName: DaySheet.State], equipment: [StreamName: EquipmentSheet.State]
  ) throws(BuildingError) -> LotteryDecision {
    let round = try existing(state)
    guard round.phase == .closed, let seed = round.seed else {
      if round.phase == .drawn { return LotteryDecision() }
      if round.phase == .open { throw .lotteryPhase(round.id, round.phase, action: "抽選する（先に締め切ってください）") }
      throw .lotteryPhase(round.id, round.phase, action: "抽選する")
    }
    guard context.today >= round.rules.drawOn else { throw .lotteryTooEarly(round.id, action: "抽選する", from: round.rules.drawOn) }
    let (version, catalogue) = try context.current()
    let rules = round.rules
    let ordered = round.standing
      .map { (application: $0, rank: rules.rank(of: $0.tier), key: key(seed: seed, number: $0.number)) }
      .sorted { ($0.rank, $0.key, $0.application.number) < ($1.rank, $1.key, $1.application.number) }
    var sheetStates = sheets
    var stockStates = equipment
    var slotEvents: [StreamName: [DaySheet.Event]] = [:]
    var stockEvents: [StreamName: [EquipmentSheet.Event]] = [:]
    var decision = LotteryDecision()
    var results: [LotteryResult] = []
    let held = (try? context.today.adding(days: rules.payWithinDays)) ?? context.today
    for (place, entry) in ordered.enumerated() {
      let application = entry.application
      var trialSheets = sheetStates
      var trialStocks = stockStates
      var trialSlots = slotEvents
      var trialStock = stockEvents
      var won: [LotteryDecision.WonBooking] = []
      var reason: String?
      for (index, asked) in application.requests.enumerated() {
        do {
          let id = try bookingID(round.id, application.number, index + 1)
          let details = try Booking.price(
            asked.request, customer: application.customer, name: application.customerName, purpose: asked.purpose, attendees: asked.attendees,
            catalogue, version: version)
          guard asked.request.date >= context.today else { throw BuildingError.bookingInPast(asked.request.date) }
          try Booking.checkOpen(asked.request, catalogue, context)
          let stream = try Booking.sheetStream(details)
          let holds = try DaySheet.hold(details.hold(for: id), on: asked.request.date, trialSheets[stream] ?? DaySheet.initialState)
          trialSheets[stream] = holds.reduce(trialSheets[stream] ?? DaySheet.initialState, DaySheet.evolve)
          trialSlots[stream, default: []] += holds
          if !asked.request.equipment.isEmpty {
            let stockStream = try Booking.logStream { try EquipmentSheet.stream(date: asked.request.date) }
            let taken = try EquipmentSheet.hold(
              asked.request.equipment, for: id, during: asked.request.occupied, on: asked.request.date, catalogue: catalogue,
              trialStocks[stockStream] ?? EquipmentSheet.initialState)
            trialStocks[stockStream] = taken.reduce(trialStocks[stockStream] ?? EquipmentSheet.initialState, EquipmentSheet.evolve)
            trialStock[stockStream, default: []] += taken
          }
          let requested = Booking.Requested(
            booking: id, details: details, status: .provisional, deadline: Swift.min(held, asked.request.date), permitNumber: nil,
            on: context.today, at: Timestamp(context.at), lottery: round.id)
          won.append(LotteryDecision.WonBooking(id: id, events: [.requested(requested)]))
        } catch let error as BuildingError {
          reason = "\(index + 1)コマ目: \(Self.lossReason(error))"
          break
        } catch {
          reason = "\(index + 1)コマ目: \(error)"
          break
        }
      }
      if let reason {
        results.append(LotteryResult(number: application.number, key: entry.key, place: place + 1, outcome: .lost, reason: reason, bookings: []))
        continue
      }
      sheetStates = trialSheets
      stockStates = trialStocks
      slotEvents = trialSlots
      stockEvents = trialStock
      decision.bookings += won
      results.append(LotteryResult(number: application.number, key: entry.key, place: place + 1, outcome: .won, reason: nil, bookings: won.map(\.id)))
    }
    results.sort { $0.number < $1.number }
    let at = Timestamp(context.at)
    decision.round = [.drawn(Drawn(round: round.id, seed: seed, catalogueVersion: version, results: results, on: context.today, at: at))]
    decision.index = [.released(LotteryIndex.Released(round: round.id, on: context.today, at: at))]
    decision.slots = slotEvents.keys.sorted().map { SheetEvents(stream: $0, events: slotEvents[$0] ?? []) }
    decision.equipment = stockEvents.keys.sorted().map { SheetEvents(stream: $0, events: stockEvents[$0] ?? []) }
    return decision
  }

  /// A winner's booking id: `<round>-<application>-<slot>`, so a re-run names the same bookings.
  public static func bookingID(_ round: LotteryID, _ number: Int, _ slot: Int) throws(BuildingError) -> BookingID {
    do { return try BookingID("\(round.rawValue)-\(number)-\(slot)") } catch { throw .invalidLottery(field: "id", reason: error.description) }
  }

  static func lossReason(_ error: BuildingError) -> String {
    switch error {
    case .slotTaken(let space, let date, let range, _, _): "\(space) \(date) \(range) は先の順位の当選または既存の予約と重なりました"
    default: error.description
    }
  }

  static func placeholder(_ index: Int) throws(BuildingError) -> BookingID {
    do { return try BookingID("application-slot-\(index)") } catch { throw .invalidLottery(field: "requests", reason: error.description) }
  }

  static func after(_ date: LocalDate) throws(BuildingError) -> LocalDate {
    do { return try date.adding(days: 1) } catch { throw .dateOutOfRange(date) }
  }

  static func existing(_ state: State) throws(BuildingError) -> Round {
    guard let state else { throw .unknownLottery(nil) }
    return state
  }
}
