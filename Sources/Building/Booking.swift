public import EventLog
public import Foundation
public import SharedKernel

/// Where a booking is in its life.
public enum BookingStatus: String, Sendable, Hashable, Codable, CaseIterable {
  /// 仮予約: held until its deadline, then it lapses unless confirmed.
  case provisional
  /// 本予約: a use permit was issued.
  case confirmed
  /// 取消.
  case cancelled
  /// 仮予約の期限切れ.
  case lapsed
  /// 利用済.
  case used
  /// 無断不使用.
  case noShow = "no-show"

  public var japaneseName: String {
    switch self {
    case .provisional: "仮予約"
    case .confirmed: "本予約"
    case .cancelled: "取消"
    case .lapsed: "期限切れ"
    case .used: "利用済"
    case .noShow: "不使用"
    }
  }

  /// Whether the booking still holds its time.
  public var holdsTime: Bool { self == .provisional || self == .confirmed }
}

/// Why a cancellation costs nothing whatever the schedule says.
public enum Waiver: String, Sendable, Hashable, Codable, CaseIterable {
  /// 天災・感染症等、利用者の責めによらない事由.
  case disaster
  /// 施設側の都合（工事、設備故障）.
  case building

  public var japaneseName: String { self == .disaster ? "天災等" : "施設側都合" }
}

/// What a booking is for: the priced request, and who and where.
public struct BookingDetails: Sendable, Hashable, Codable {
  public var request: QuoteRequest
  public var spaceName: String
  public var group: String
  public var units: [String]
  public var bufferMinutes: Int
  public var customer: CustomerID
  public var customerName: String
  /// 利用目的.
  public var purpose: String?
  public var attendees: Int?
  public var quote: Quote

  /// The hold this booking places on its day sheet.
  public func hold(for booking: BookingID) -> DaySheet.Hold {
    DaySheet.Hold(booking: booking, space: request.space, units: units, range: request.occupied, bufferMinutes: bufferMinutes)
  }
}

/// A meeting-room or hall booking, from request to use: `booking-<id>`.
///
/// Deciding a booking touches other streams too: the day sheet of its group and date (no
/// double booking), the equipment sheet of its date (stock), the permit and receipt numbers of
/// the fiscal year, the day's cash close, and the closures (a condition). The functions here get
/// those streams' states and answer a ``BookingDecision`` with the events for each; the service
/// appends them in one atomic append with every stream's expected version.
public enum Booking {
  public static let category = "booking"

  public static func stream(_ id: BookingID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: id.rawValue)
  }

  // MARK: Events

  /// A booking was made, provisional (with its deadline) or confirmed (with its permit).
  public struct Requested: RecordableEvent, Hashable {
    public static let eventType = "Building.BookingRequested"
    public static let schemaVersion = 1
    public var booking: BookingID
    public var details: BookingDetails
    public var status: BookingStatus
    /// The last day a provisional booking can be confirmed.
    public var deadline: LocalDate?
    public var permitNumber: String?
    /// The business day it was made (Japan time).
    public var on: LocalDate
    public var at: Timestamp
    /// The lottery round it was won in (nil: booked first-come at the desk).
    public var lottery: LotteryID? = nil
    /// The recurring booking it is a date of.
    public var series: SeriesID? = nil
  }

  /// 本予約: the provisional booking was confirmed and a use permit issued.
  public struct Confirmed: RecordableEvent, Hashable {
    public static let eventType = "Building.BookingConfirmed"
    public static let schemaVersion = 1
    public var booking: BookingID
    public var permitNumber: String
    public var on: LocalDate
    public var at: Timestamp
  }

  /// Money was received for the booking, with the receipt issued.
  public struct PaymentRecorded: RecordableEvent, Hashable {
    public static let eventType = "Building.PaymentRecorded"
    public static let schemaVersion = 1
    public var booking: BookingID
    public var amount: Yen
    public var method: PaymentMethod
    public var receiptNumber: String
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The block, date or equipment changed; the fee was priced again on the booking's catalogue version.
  public struct Changed: RecordableEvent, Hashable {
    public static let eventType = "Building.BookingChanged"
    public static let schemaVersion = 1
    public var booking: BookingID
    public var details: BookingDetails
    public var previousTotal: Yen
    /// New total − previous total: to collect when positive, to refund when negative.
    public var difference: Yen
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The booking was cancelled, with the fee the schedule charges and what is to be refunded.
  public struct Cancelled: RecordableEvent, Hashable {
    public static let eventType = "Building.BookingCancelled"
    public static let schemaVersion = 1
    public var booking: BookingID
    public var on: LocalDate
    public var daysBefore: Int
    public var percent: Int
    public var fee: Yen
    /// Paid beyond the fee: to be refunded (還付).
    public var refundDue: Yen
    /// The fee beyond what was paid: still to be collected.
    public var outstanding: Yen
    public var reason: String
    public var waiver: Waiver?
    public var at: Timestamp
  }

  /// 還付: money was paid back.
  public struct Refunded: RecordableEvent, Hashable {
    public static let eventType = "Building.RefundRecorded"
    public static let schemaVersion = 1
    public var booking: BookingID
    public var amount: Yen
    public var method: PaymentMethod
    public var on: LocalDate
    public var at: Timestamp
  }

  /// A provisional booking passed its deadline unconfirmed and gave its time back.
  public struct Lapsed: RecordableEvent, Hashable {
    public static let eventType = "Building.BookingLapsed"
    public static let schemaVersion = 1
    public var booking: BookingID
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The space was used as booked.
  public struct Used: RecordableEvent, Hashable {
    public static let eventType = "Building.BookingUsed"
    public static let schemaVersion = 1
    public var booking: BookingID
    public var at: Timestamp
  }

  /// Nobody came: the fee stands.
  public struct NoShow: RecordableEvent, Hashable {
    public static let eventType = "Building.BookingNoShow"
    public static let schemaVersion = 1
    public var booking: BookingID
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case requested(Requested)
    case confirmed(Confirmed)
    case paymentRecorded(PaymentRecorded)
    case changed(Changed)
    case cancelled(Cancelled)
    case refunded(Refunded)
    case lapsed(Lapsed)
    case used(Used)
    case noShow(NoShow)
  }

  // MARK: State

  /// A booking as its stream tells it.
  public struct Record: Sendable, Hashable {
    public var id: BookingID
    public var details: BookingDetails
    public var status: BookingStatus
    public var deadline: LocalDate?
    public var permitNumber: String?
    /// Received, less refunded.
    public var paid: Yen
    /// The cancellation fee, once cancelled.
    public var cancellationFee: Yen?
    public var receipts: [String]
    /// The recurring booking it is a date of (its booking window is the 定期利用 one).
    public var series: SeriesID? = nil

    /// What the customer owes in all: the total, or after a cancellation its fee.
    public var charge: Yen { status == .cancelled || status == .lapsed ? (cancellationFee ?? .zero) : details.quote.total }

    /// Still to pay (negative: to refund).
    public var balance: Yen { Yen(charge.amount - paid.amount) }
  }

  public typealias State = Record?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    if case .requested(let e) = event {
      return Record(
        id: e.booking, details: e.details, status: e.status, deadline: e.deadline, permitNumber: e.permitNumber, paid: .zero,
        cancellationFee: nil, receipts: [], series: e.series)
    }
    guard var record = state else { return state }
    switch event {
    case .requested: break
    case .confirmed(let e):
      record.status = .confirmed
      record.permitNumber = e.permitNumber
      record.deadline = nil
    case .paymentRecorded(let e):
      record.paid = Yen(record.paid.amount + e.amount.amount)
      record.receipts.append(e.receiptNumber)
    case .changed(let e):
      record.details = e.details
    case .cancelled(let e):
      record.status = .cancelled
      record.cancellationFee = e.fee
    case .refunded(let e):
      record.paid = Yen(record.paid.amount - e.amount.amount)
    case .lapsed:
      record.status = .lapsed
      record.cancellationFee = .zero
    case .used:
      record.status = .used
    case .noShow:
      record.status = .noShow
    }
    return record
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Requested.self, embed: Event.requested) { if case .requested(let e) = $0 { e } else { nil } }
    codec.register(Confirmed.self, embed: Event.confirmed) { if case .confirmed(let e) = $0 { e } else { nil } }
    codec.register(PaymentRecorded.self, embed: Event.paymentRecorded) { if case .paymentRecorded(let e) = $0 { e } else { nil } }
    codec.register(Changed.self, embed: Event.changed) { if case .changed(let e) = $0 { e } else { nil } }
    codec.register(Cancelled.self, embed: Event.cancelled) { if case .cancelled(let e) = $0 { e } else { nil } }
    codec.register(Refunded.self, embed: Event.refunded) { if case .refunded(let e) = $0 { e } else { nil } }
    codec.register(Lapsed.self, embed: Event.lapsed) { if case .lapsed(let e) = $0 { e } else { nil } }
    codec.register(Used.self, embed: Event.used) { if case .used(let e) = $0 { e } else { nil } }
    codec.register(NoShow.self, embed: Event.noShow) { if case .noShow(let e) = $0 { e } else { nil } }
    return codec
  }()
}

/// The time and the rules a desk decision is made with.
public struct DeskContext: Sendable {
  public var catalogue: CatalogueHistory.State
  public var closures: Closures.State
  /// Today in Japan.
  /// The lottery rounds: their months are held back from first-come until drawn.
  public var lotteries: LotteryIndex.State
  public var today: LocalDate
  public var at: Date

  public init(
    catalogue: CatalogueHistory.State, closures: Closures.State, lotteries: LotteryIndex.State = LotteryIndex.initialState, today: LocalDate,
    at: Date
  ) {
    self.catalogue = catalogue
    self.closures = closures
    self.lotteries = lotteries
    self.today = today
    self.at = at
  }

  /// The catalogue in force.
  public func current() throws(BuildingError) -> (version: Int, catalogue: Catalogue) {
    guard let current = catalogue.current else { throw .noCatalogue }
    return current
  }

  /// Minutes since midnight in Japan now (the fixed +09:00 offset).
  public var minutesInJapan: Int {
    let seconds = Int((at.timeIntervalSince1970 + 9 * 3600).rounded(.down))
    return ((seconds % 86_400) + 86_400) % 86_400 / 60
  }

  /// The version a booking was quoted on.
  public func version(_ number: Int) throws(BuildingError) -> Catalogue {
    guard let catalogue = catalogue.version(number) else { throw .noCatalogue }
    return catalogue
  }
}

/// The events one desk decision writes, stream by stream.
public struct BookingDecision: Sendable {
  public var booking: [Booking.Event] = []
  public var slots: [SheetEvents<DaySheet.Event>] = []
  public var equipment: [SheetEvents<EquipmentSheet.Event>] = []
  public var numbers: [Numbering.Kind: [Numbering.Event]] = [:]
  /// Entries in today's cash book.
  public var cash: [CashBook.Event] = []

  public init() {}
}

/// Events for one sheet stream.
public struct SheetEvents<Event: Sendable>: Sendable {
  public var stream: StreamName
  public var events: [Event]
}

/// A booking the desk asks for.
public struct NewBooking: Sendable, Hashable {
  public var id: BookingID
  public var request: QuoteRequest
  public var customer: Customer.Record
  public var purpose: String?
  public var attendees: Int?
  /// 仮予約 when true; 本予約 with a permit at once when false.
  public var provisional: Bool
  /// A date of this recurring booking (booked within the 定期利用 window).
  public var series: SeriesID?
  /// A 仮予約's days to confirm, when not the catalogue's (an offer from the waiting list).
  public var holdDays: Int?

  public init(
    id: BookingID, request: QuoteRequest, customer: Customer.Record, purpose: String?, attendees: Int?, provisional: Bool, series: SeriesID? = nil
  ) {
    self.id = id
    self.request = request
    self.customer = customer
    self.purpose = purpose
    self.attendees = attendees
    self.provisional = provisional
    self.series = series
    self.holdDays = nil
  }
}

extension Booking {
  // MARK: Decisions

  /// The streams a booking of `request` holds: its day sheet and, with equipment, its equipment sheet.
  public static func sheets(for request: QuoteRequest, in catalogue: Catalogue) throws -> (slots: StreamName, equipment: StreamName?) {
    guard let space = catalogue.space(request.space) else { throw BuildingError.unknownSpace(request.space) }
    return (
      try DaySheet.stream(group: space.group, date: request.date),
      request.equipment.isEmpty ? nil : try EquipmentSheet.stream(date: request.date)
    )
  }

  /// A new booking: priced, checked against the window, the closures, capacity, the day sheet
  /// and the equipment stock; provisional with a deadline, or confirmed with a permit number.
  public static func request(
    _ new: NewBooking, _ context: DeskContext, sheet: DaySheet.State, equipment: EquipmentSheet.State, permits: Numbering.State
  ) throws(BuildingError) -> BookingDecision {
    let (version, catalogue) = try context.current()
    guard new.request.tier == new.customer.profile.tier else {
      throw .tierMismatch(customer: new.customer.profile.name, registered: new.customer.profile.tier, asked: new.request.tier)
    }
    let details = try price(
      new.request, customer: new.customer.id, name: new.customer.profile.name, purpose: new.purpose, attendees: new.attendees, catalogue,
      version: version)
    try checkBookable(details.request, tier: new.customer.profile.tier, catalogue, context, changing: nil, series: new.series != nil)
    var decision = BookingDecision()
    decision.slots = [try SheetEvents(stream: sheetStream(details), events: DaySheet.hold(details.hold(for: new.id), on: details.request.date, sheet))]
    if !details.request.equipment.isEmpty {
      decision.equipment = [
        SheetEvents(
          stream: try logStream { try EquipmentSheet.stream(date: details.request.date) },
          events: try EquipmentSheet.hold(
            details.request.equipment, for: new.id, during: details.request.occupied, on: details.request.date, catalogue: catalogue, equipment))
      ]
    }
    var permit: String?
    var deadline: LocalDate?
    if new.provisional {
      let held = (try? context.today.adding(days: new.holdDays ?? catalogue.provisionalHoldDays)) ?? details.request.date
      deadline = Swift.min(held, details.request.date)
    } else {
      let issued = Numbering.next(.permits, year: FiscalYear(containing: context.today), for: new.id, permits)
      permit = issued.number
      decision.numbers[.permits] = [.issued(issued)]
    }
    decision.booking = [
      .requested(
        Requested(
          booking: new.id, details: details, status: new.provisional ? .provisional : .confirmed, deadline: deadline, permitNumber: permit,
          on: context.today, at: Timestamp(context.at), series: new.series))
    ]
    return decision
  }

  /// 本予約: confirms a provisional booking before its deadline and issues its permit number.
  public static func confirm(_ state: State, _ context: DeskContext, permits: Numbering.State) throws(BuildingError) -> BookingDecision {
    let record = try existing(state)
    guard record.status == .provisional else {
      if record.status == .confirmed { return BookingDecision() }
      throw .wrongStatus(record.id, record.status, action: "本予約にする")
    }
    if let deadline = record.deadline, context.today > deadline { throw .provisionalExpired(record.id, deadline: deadline) }
    let issued = Numbering.next(.permits, year: FiscalYear(containing: context.today), for: record.id, permits)
    var decision = BookingDecision()
    decision.numbers[.permits] = [.issued(issued)]
    decision.booking = [.confirmed(Confirmed(booking: record.id, permitNumber: issued.number, on: context.today, at: Timestamp(context.at)))]
    return decision
  }

  /// Records money received, never more than is owed, with a receipt number; refused once the
  /// day's cash is closed.
  public static func pay(
    _ state: State, amount: Yen, method: PaymentMethod, _ context: DeskContext, receipts: Numbering.State, cashBook: CashBook.State
  ) throws(BuildingError) -> BookingDecision {
    let record = try existing(state)
    guard amount > .zero else { throw .invalidAmount(amount) }
    guard record.status != .lapsed else { throw .wrongStatus(record.id, record.status, action: "入金を記録する") }
    guard amount <= record.balance else { throw .overpayment(record.id, amount: amount, balance: record.balance) }
    let issued = Numbering.next(.receipts, year: FiscalYear(containing: context.today), for: record.id, receipts)
    var decision = BookingDecision()
    decision.numbers[.receipts] = [.issued(issued)]
    decision.cash = try CashBook.enter(
      CashBook.Entered(date: context.today, booking: record.id, refund: false, amount: amount, method: method, receiptNumber: issued.number),
      cashBook)
    decision.booking = [
      .paymentRecorded(
        PaymentRecorded(
          booking: record.id, amount: amount, method: method, receiptNumber: issued.number, on: context.today, at: Timestamp(context.at)))
    ]
    return decision
  }

  /// A change of date, block or equipment: priced again on the booking's own catalogue version,
  /// the old time given back and the new one held (the sheets may be the same stream).
  public static func change(
    _ state: State, to request: QuoteRequest, _ context: DeskContext, oldSheet: DaySheet.State, newSheet: DaySheet.State,
    oldEquipment: EquipmentSheet.State, newEquipment: EquipmentSheet.State
  ) throws(BuildingError) -> BookingDecision {
    let record = try existing(state)
    guard record.status.holdsTime else { throw .wrongStatus(record.id, record.status, action: "変更する") }
    guard context.today <= record.details.request.date else { throw .bookingInPast(record.details.request.date) }
    let version = record.details.quote.catalogueVersion
    let catalogue = try context.version(version)
    var wanted = request
    wanted.tier = record.details.request.tier
    let details = try price(
      wanted, customer: record.details.customer, name: record.details.customerName, purpose: record.details.purpose,
      attendees: record.details.attendees, catalogue, version: version)
    if details.request == record.details.request { return BookingDecision() }
    try checkBookable(details.request, tier: details.request.tier, catalogue, context, changing: record)
    let oldStream = try sheetStream(record.details)
    let newStream = try sheetStream(details)
    var decision = BookingDecision()
    if oldStream == newStream {
      decision.slots = [SheetEvents(stream: newStream, events: try DaySheet.hold(details.hold(for: record.id), on: details.request.date, oldSheet))]
    } else {
      decision.slots = [
        SheetEvents(stream: oldStream, events: DaySheet.release(record.id, on: record.details.request.date, oldSheet)),
        SheetEvents(stream: newStream, events: try DaySheet.hold(details.hold(for: record.id), on: details.request.date, newSheet)),
      ]
    }
    let oldDate = record.details.request.date, newDate = details.request.date
    if !record.details.request.equipment.isEmpty && (oldDate != newDate || details.request.equipment.isEmpty) {
      decision.equipment.append(
        SheetEvents(stream: try logStream { try EquipmentSheet.stream(date: oldDate) }, events: EquipmentSheet.release(record.id, on: oldDate, oldEquipment)))
    }
    if !details.request.equipment.isEmpty {
      let sheet = oldDate == newDate ? oldEquipment : newEquipment
      decision.equipment.append(
        SheetEvents(
          stream: try logStream { try EquipmentSheet.stream(date: newDate) },
          events: try EquipmentSheet.hold(details.request.equipment, for: record.id, during: details.request.occupied, on: newDate, catalogue: catalogue, sheet)))
    }
    let difference = Yen(details.quote.total.amount - record.details.quote.total.amount)
    decision.booking = [
      .changed(
        Changed(
          booking: record.id, details: details, previousTotal: record.details.quote.total, difference: difference, on: context.today,
          at: Timestamp(context.at)))
    ]
    return decision
  }

  /// Cancels with the fee the schedule charges by days before the day of use (none for a 仮予約,
  /// none with a waiver), gives the time and equipment back, and refunds at once when asked.
  public static func cancel(
    _ state: State, reason: String, waiver: Waiver?, refundBy: PaymentMethod?, _ context: DeskContext, sheet: DaySheet.State,
    equipment: EquipmentSheet.State, cashBook: CashBook.State
  ) throws(BuildingError) -> BookingDecision {
    let record = try existing(state)
    guard record.status.holdsTime else {
      if record.status == .cancelled { return BookingDecision() }
      throw .wrongStatus(record.id, record.status, action: "取り消す")
    }
    let date = record.details.request.date
    guard context.today <= date else { throw .bookingInPast(date) }
    let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { throw .cancellationWithoutReason }
    let terms = try cancellationTerms(record, waiver: waiver, catalogue: try context.version(record.details.quote.catalogueVersion), today: context.today)
    let (days, percent, fee, refundDue, outstanding) = (terms.daysBefore, terms.percent, terms.fee, terms.refundDue, terms.outstanding)
    var decision = BookingDecision()
    decision.slots = [SheetEvents(stream: try sheetStream(record.details), events: DaySheet.release(record.id, on: date, sheet))]
    if !record.details.request.equipment.isEmpty {
      decision.equipment = [SheetEvents(stream: try logStream { try EquipmentSheet.stream(date: date) }, events: EquipmentSheet.release(record.id, on: date, equipment))]
    }
    decision.booking = [
      .cancelled(
        Cancelled(
          booking: record.id, on: context.today, daysBefore: days, percent: percent, fee: fee, refundDue: refundDue, outstanding: outstanding,
          reason: trimmed, waiver: waiver, at: Timestamp(context.at)))
    ]
    if let method = refundBy, refundDue > .zero {
      decision.cash = try CashBook.enter(
        CashBook.Entered(date: context.today, booking: record.id, refund: true, amount: refundDue, method: method, receiptNumber: nil), cashBook)
      decision.booking.append(.refunded(Refunded(booking: record.id, amount: refundDue, method: method, on: context.today, at: Timestamp(context.at))))
    }
    return decision
  }

  /// What cancelling `record` on `today` costs: the schedule's percentage of the facility fee by
  /// days before the day of use (none for a 仮予約 or with a waiver), rounded down to ¥10, and
  /// what that leaves to refund or to collect. The desk's page shows it before anyone cancels.
  public static func cancellationTerms(
    _ record: Record, waiver: Waiver?, catalogue: Catalogue, today: LocalDate
  ) throws(BuildingError) -> (daysBefore: Int, percent: Int, fee: Yen, refundDue: Yen, outstanding: Yen) {
    try cancellationTerms(
      status: record.status, date: record.details.request.date, facilityFee: record.details.quote.facilityFee, paid: record.paid,
      waiver: waiver, catalogue: catalogue, today: today)
  }

  /// The same, from a booking's parts as a read model has them.
  public static func cancellationTerms(
    status: BookingStatus, date: LocalDate, facilityFee: Yen, paid: Yen, waiver: Waiver?, catalogue: Catalogue, today: LocalDate
  ) throws(BuildingError) -> (daysBefore: Int, percent: Int, fee: Yen, refundDue: Yen, outstanding: Yen) {
    let days = today.days(to: date)
    let percent = waiver != nil || status == .provisional ? 0 : catalogue.cancellationPercent(daysBefore: days)
    let fee = try FeeEngine.percent(facilityFee, percent)
    return (days, percent, fee, Yen(Swift.max(0, paid.amount - fee.amount)), Yen(Swift.max(0, fee.amount - paid.amount)))
  }

  /// 還付: pays back what was paid beyond the charge.
  public static func refund(
    _ state: State, amount: Yen, method: PaymentMethod, _ context: DeskContext, cashBook: CashBook.State
  ) throws(BuildingError) -> BookingDecision {
    let record = try existing(state)
    guard amount > .zero else { throw .invalidAmount(amount) }
    let refundable = Yen(-record.balance.amount)
    guard amount <= refundable else { throw .refundTooLarge(record.id, amount: amount, refundable: Yen(Swift.max(0, refundable.amount))) }
    var decision = BookingDecision()
    decision.cash = try CashBook.enter(
      CashBook.Entered(date: context.today, booking: record.id, refund: true, amount: amount, method: method, receiptNumber: nil), cashBook)
    decision.booking = [.refunded(Refunded(booking: record.id, amount: amount, method: method, on: context.today, at: Timestamp(context.at)))]
    return decision
  }

  /// Lets a provisional booking lapse once its deadline has passed (the service's sweeper asks).
  public static func lapse(_ state: State, _ context: DeskContext, sheet: DaySheet.State, equipment: EquipmentSheet.State) throws(BuildingError)
    -> BookingDecision
  {
    let record = try existing(state)
    guard record.status == .provisional, let deadline = record.deadline else { return BookingDecision() }
    guard context.today > deadline else { throw .notYetLapsed(record.id, deadline: deadline) }
    let date = record.details.request.date
    var decision = BookingDecision()
    decision.slots = [SheetEvents(stream: try sheetStream(record.details), events: DaySheet.release(record.id, on: date, sheet))]
    if !record.details.request.equipment.isEmpty {
      decision.equipment = [SheetEvents(stream: try logStream { try EquipmentSheet.stream(date: date) }, events: EquipmentSheet.release(record.id, on: date, equipment))]
    }
    decision.booking = [.lapsed(Lapsed(booking: record.id, on: context.today, at: Timestamp(context.at)))]
    return decision
  }

  /// On or after the day of use: used, or a no-show (the fee stands).
  /// Check-in at the desk (受付): on the day of use, from an hour before the start; a booking
  /// recorded as a no-show that day is corrected (the customer came late). Again: nothing.
  public static func checkIn(_ state: State, _ context: DeskContext) throws(BuildingError) -> BookingDecision {
    let record = try existing(state)
    if record.status == .used { return BookingDecision() }
    guard record.status == .confirmed || record.status == .noShow else { throw .wrongStatus(record.id, record.status, action: "受付する") }
    let date = record.details.request.date
    guard context.today == date else { throw .notTheDayOfUse(record.id, date: date) }
    let opens = record.details.request.occupied.start - 60
    guard context.minutesInJapan >= opens else { throw .checkInTooEarly(record.id, from: clock(opens)) }
    var decision = BookingDecision()
    decision.booking = [.used(Used(booking: record.id, at: Timestamp(context.at)))]
    return decision
  }

  /// 不使用: a confirmed booking nobody checked in for, from its start plus the catalogue's
  /// grace period (the fee stands).
  static func checkNoShow(_ record: Record, _ context: DeskContext) throws(BuildingError) {
    let date = record.details.request.date
    guard context.today >= date else { throw .beforeDayOfUse(date) }
    guard context.today == date else { return }
    let grace = (try? context.version(record.details.quote.catalogueVersion))?.noShowGraceMinutes ?? 30
    let from = record.details.request.occupied.start + grace
    guard context.minutesInJapan >= from else { throw .noShowTooEarly(record.id, from: clock(from)) }
  }

  static func clock(_ minutes: Int) -> String {
    let m = Swift.max(0, minutes)
    return String(format: "%02d:%02d", m / 60, m % 60)
  }

  public static func attend(_ state: State, used: Bool, _ context: DeskContext) throws(BuildingError) -> BookingDecision {
    let record = try existing(state)
    guard record.status == .confirmed else {
      if record.status == (used ? .used : .noShow) { return BookingDecision() }
      throw .wrongStatus(record.id, record.status, action: used ? "利用済にする" : "不使用にする")
    }
    guard context.today >= record.details.request.date else { throw .beforeDayOfUse(record.details.request.date) }
    if !used { try checkNoShow(record, context) }
    var decision = BookingDecision()
    decision.booking = [used ? .used(Used(booking: record.id, at: Timestamp(context.at))) : .noShow(NoShow(booking: record.id, at: Timestamp(context.at)))]
    return decision
  }

  // MARK: Rules shared by the decisions

  static func price(
    _ request: QuoteRequest, customer: CustomerID, name: String, purpose: String?, attendees: Int?, _ catalogue: Catalogue, version: Int
  ) throws(BuildingError) -> BookingDetails {
    guard let space = catalogue.space(request.space) else { throw .unknownSpace(request.space) }
    if let attendees {
      guard attendees >= 1 else { throw .invalidAttendees(attendees) }
      guard attendees <= space.capacity else { throw .overCapacity(space: space.name, capacity: space.capacity, attendees: attendees) }
    }
    var lines = Set<String>()
    for line in request.equipment where !lines.insert(line.item).inserted { throw .duplicateEquipment(line.item) }
    let quote = try FeeEngine.quote(request, catalogue: catalogue, version: version)
    let purpose = purpose?.trimmingCharacters(in: .whitespacesAndNewlines)
    return BookingDetails(
      request: request, spaceName: space.name, group: space.group, units: space.units, bufferMinutes: space.bufferMinutes,
      customer: customer, customerName: name, purpose: purpose?.isEmpty == false ? purpose : nil,
      attendees: attendees, quote: quote)
  }

  /// Not in the past; inside the customer's booking window, or in a month a drawn lottery
  /// opened first-come; not held back for a lottery still to be drawn; on a day the space is open.
  static func checkBookable(
    _ request: QuoteRequest, tier: CustomerTier, _ catalogue: Catalogue, _ context: DeskContext, changing: Record?, series: Bool = false
  ) throws(BuildingError) {
    guard request.date >= context.today else { throw .bookingInPast(request.date) }
    guard let space = catalogue.space(request.space) else { throw .unknownSpace(request.space) }
    if let round = context.lotteries.reserving(space, on: request.date, in: catalogue) {
      throw .reservedForLottery(space: request.space, date: request.date, round: round.round, drawOn: round.drawOn)
    }
    if context.lotteries.released(space, on: request.date, in: catalogue) == nil {
      let months = series || changing?.series != nil ? catalogue.seriesWindowMonths ?? 12 : catalogue.bookingWindowMonths[tier] ?? 0
      let last = (try? context.today.adding(months: months)) ?? context.today
      guard request.date <= last else { throw .outsideBookingWindow(date: request.date, tier: tier, months: months, last: last) }
    }
    try checkOpen(request, catalogue, context)
  }

  /// The space is open that day: no annual closure, no closure declared.
  static func checkOpen(_ request: QuoteRequest, _ catalogue: Catalogue, _ context: DeskContext) throws(BuildingError) {
    if let closure = catalogue.annualClosure(on: request.date) { throw .closed(date: request.date, reason: closure.label) }
    if let closure = context.closures.closure(of: request.space, on: request.date) {
      throw .closed(date: request.date, reason: closure.reason)
    }
  }

  static func sheetStream(_ details: BookingDetails) throws(BuildingError) -> StreamName {
    try logStream { try DaySheet.stream(group: details.group, date: details.request.date) }
  }

  static func logStream(_ make: () throws -> StreamName) throws(BuildingError) -> StreamName {
    do { return try make() } catch { throw .invalidCatalogue(path: "spaces.group", reason: "\(error)") }
  }

  static func logID(_ text: String) throws(BuildingError) -> BookingID {
    do { return try BookingID(text) } catch { throw .invalidWaitlist(field: "id", reason: error.description) }
  }

  static func existing(_ state: State) throws(BuildingError) -> Record {
    guard let state else { throw .unknownBooking(nil) }
    return state
  }
}
