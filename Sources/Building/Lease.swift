public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``LeaseID``.
public enum LeaseTag {}
/// An office lease: `l-<UUIDv7>`.
public typealias LeaseID = ID<LeaseTag>

/// A unit as the lease lets it: its name and area on the day the lease was signed.
public struct LeasedUnit: Sendable, Hashable, Codable {
  public var unit: OfficeUnitID
  public var name: String
  public var area: FloorArea
}

/// What a deposit's settlement takes off before it is returned.
public enum DeductionKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// 未払賃料等: unpaid invoices, paid from the deposit (敷金充当).
  case unpaidRent = "unpaid-rent"
  /// 原状回復費用.
  case restoration
  /// その他.
  case other

  public var japaneseName: String {
    switch self {
    case .unpaidRent: "未払賃料等"
    case .restoration: "原状回復費用"
    case .other: "その他"
    }
  }
}

/// An amount kept back from the deposit, and why.
public struct Deduction: Sendable, Hashable, Codable {
  public var kind: DeductionKind
  public var reason: String
  public var amount: Yen

  public init(kind: DeductionKind, reason: String, amount: Yen) {
    self.kind = kind
    self.reason = reason
    self.amount = amount
  }
}

/// A lease the manager signs.
public struct NewLease: Sendable, Hashable {
  public var id: LeaseID
  public var tenant: Party
  public var units: [OfficeUnitID]
  /// Rent (賃料) and 共益費 are the charges, usually 税抜 with tax at 10%.
  public var terms: TenancyTerms
  /// 敷金 to be received and held.
  public var deposit: Yen

  public init(id: LeaseID, tenant: Party, units: [OfficeUnitID], terms: TenancyTerms, deposit: Yen) {
    self.id = id
    self.tenant = tenant
    self.units = units
    self.terms = terms
    self.deposit = deposit
  }
}

/// 貸事務室の賃貸借契約: one office lease from signing to the deposit's return, `lease-<id>`.
///
/// Letting touches other streams too: each unit's calendar (``PremisesCalendar``, no unit let
/// twice over overlapping periods) whenever the lease's period begins or its end changes, and the
/// year's invoice numbers (``InvoiceNumbers``) when it invoices. The functions here get those
/// streams' states and answer a ``TenancyDecision`` with the events for each; the service appends
/// them in one atomic append with every stream's expected version.
public enum Lease {
  public static let category = "lease"

  public static func stream(_ id: LeaseID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: id.rawValue)
  }

  // MARK: Events

  /// The lease was signed.
  public struct Signed: RecordableEvent, Hashable {
    public static let eventType = "Building.LeaseSigned"
    public static let schemaVersion = 1
    public var lease: LeaseID
    public var tenant: Party
    public var units: [LeasedUnit]
    public var terms: TenancyTerms
    /// 敷金 to be held.
    public var deposit: Yen
    public var on: LocalDate
    public var at: Timestamp
  }

  /// 敷金 was received (in one or more parts, never beyond what the lease asks).
  public struct DepositReceived: RecordableEvent, Hashable {
    public static let eventType = "Building.LeaseDepositReceived"
    public static let schemaVersion = 1
    public var lease: LeaseID
    public var amount: Yen
    public var method: Ledger.Method
    public var on: LocalDate
    public var at: Timestamp
  }

  /// 敷金精算: the deposit held, what was kept back and why, and what is returned.
  public struct DepositSettled: RecordableEvent, Hashable {
    public static let eventType = "Building.LeaseDepositSettled"
    public static let schemaVersion = 1
    public var lease: LeaseID
    public var held: Yen
    public var deductions: [Deduction]
    /// Held less the deductions: to be paid back to the tenant.
    public var returned: Yen
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The lease's events: its own, and those it shares with a parking contract.
  public enum Event: Sendable, Hashable {
    case signed(Signed)
    case depositReceived(DepositReceived)
    case depositSettled(DepositSettled)
    /// Renewed, noticed, ended, invoiced, paid (``Tenancy``).
    case tenancy(Tenancy.Event)
  }

  // MARK: State

  /// A lease as its stream tells it.
  public struct Record: Sendable, Hashable {
    public var id: LeaseID
    public var units: [OfficeUnitID]
    public var leasedUnits: [LeasedUnit]
    public var tenancy: Tenancy
    /// 敷金 the lease asks for.
    public var depositRequired: Yen
    /// 敷金 received and held (until settled).
    public var depositHeld: Yen
    public var depositSettlement: DepositSettled?

    /// The area let, as signed.
    public var area: FloorArea { leasedUnits.reduce(.zero) { $0.adding($1.area) } }
  }

  /// Nil before the lease is signed.
  public typealias State = Record?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    if case .signed(let e) = event {
      return Record(
        id: e.lease, units: e.units.map(\.unit), leasedUnits: e.units,
        tenancy: Tenancy(contract: e.lease.rawValue, kind: .office, party: e.tenant, terms: e.terms), depositRequired: e.deposit,
        depositHeld: .zero, depositSettlement: nil)
    }
    guard var record = state else { return state }
    switch event {
    case .signed: break
    case .depositReceived(let e): record.depositHeld = Yen(record.depositHeld.amount + e.amount.amount)
    case .depositSettled(let e):
      record.depositSettlement = e
      record.depositHeld = .zero
    case .tenancy(let e): record.tenancy.apply(e)
    }
    return record
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Signed.self, embed: Event.signed) { if case .signed(let e) = $0 { e } else { nil } }
    codec.register(DepositReceived.self, embed: Event.depositReceived) { if case .depositReceived(let e) = $0 { e } else { nil } }
    codec.register(DepositSettled.self, embed: Event.depositSettled) { if case .depositSettled(let e) = $0 { e } else { nil } }
    codec.registerTenancy(Event.tenancy) { if case .tenancy(let e) = $0 { e } else { nil } }
    return codec
  }()

  // MARK: Decisions

  /// The events a lease decision writes, stream by stream.
  public typealias Decision = TenancyDecision<Event>

  /// Signs a lease of leasable units on its start date, and holds them on their calendars.
  public static func sign(
    _ new: NewLease, _ context: LettingContext, register: OfficeRegister.State, calendars: [OfficeUnitID: PremisesCalendar.State], _ state: State
  ) throws(BuildingError) -> Decision {
    if state != nil { throw .contractExists(new.id.rawValue) }
    let terms = try new.terms.checked()
    let tenant = try new.tenant.checked()
    guard !new.units.isEmpty else { throw .invalidContract(field: "units", reason: "貸す区画を1つ以上指定してください") }
    guard Set(new.units).count == new.units.count else { throw .invalidContract(field: "units", reason: "同じ区画が二度指定されています") }
    guard new.deposit >= .zero else { throw .invalidAmount(new.deposit) }
    var leased: [LeasedUnit] = []
    for id in new.units {
      guard let unit = register.item(id.rawValue, on: terms.start) else { throw .unknownPremises(id.rawValue) }
      guard unit.leasable else { throw .notLettable(id.rawValue, date: terms.start, note: unit.note) }
      leased.append(LeasedUnit(unit: id, name: unit.name, area: unit.area))
    }
    var decision = Decision()
    decision.premises = try hold(new.units, contract: new.id, from: terms.start, through: terms.renewalMonths == nil ? terms.end : nil, calendars)
    decision.events = [
      .signed(Signed(lease: new.id, tenant: tenant, units: leased, terms: terms, deposit: new.deposit, on: context.today, at: Timestamp(context.at)))
    ]
    return decision
  }

  /// 敷金 received: never beyond what the lease asks, nor once settled.
  public static func receiveDeposit(_ state: State, amount: Yen, method: Ledger.Method, _ context: LettingContext) throws(BuildingError) -> [Event] {
    let record = try existing(state)
    guard record.depositSettlement == nil else { throw .depositSettled(record.id.rawValue) }
    guard amount > .zero else { throw .invalidAmount(amount) }
    guard method != .deposit else { throw .invalidContract(field: "method", reason: "敷金の受領方法に敷金充当は使えません") }
    let remaining = Yen(record.depositRequired.amount - record.depositHeld.amount)
    guard amount <= remaining else { throw .depositBeyondRequired(record.id.rawValue, amount: amount, remaining: remaining) }
    return [.depositReceived(DepositReceived(lease: record.id, amount: amount, method: method, on: context.today, at: Timestamp(context.at)))]
  }

  /// 合意更新 to `end`, with new charges from the day after the current term (the same when nil).
  public static func renew(
    _ state: State, end: LocalDate, charges: [MonthlyCharge]?, renewalMonths: Int?, _ context: LettingContext,
    calendars: [OfficeUnitID: PremisesCalendar.State]
  ) throws(BuildingError) -> Decision {
    let record = try existing(state)
    return try holding(record, try record.tenancy.renew(end: end, charges: charges, renewalMonths: renewalMonths, context), calendars)
  }

  /// 解約予告 given today, to end on `end` (the earliest the notice months allow when nil).
  public static func giveNotice(
    _ state: State, end: LocalDate?, _ context: LettingContext, calendars: [OfficeUnitID: PremisesCalendar.State]
  ) throws(BuildingError) -> Decision {
    let record = try existing(state)
    return try holding(record, try record.tenancy.giveNotice(end: end, context), calendars)
  }

  /// Ends the lease on `end` (see ``Tenancy``'s rules), giving the units' later days back.
  public static func terminate(
    _ state: State, end: LocalDate, reason: String, agreed: Bool, _ context: LettingContext, calendars: [OfficeUnitID: PremisesCalendar.State]
  ) throws(BuildingError) -> Decision {
    let record = try existing(state)
    return try holding(record, try record.tenancy.terminate(end: end, reason: reason, agreed: agreed, context), calendars)
  }

  /// The invoice of `month` (rent and 共益費 pro rata by days let), numbered in today's fiscal year.
  public static func invoice(_ state: State, month: YearMonth, _ context: LettingContext, numbers: InvoiceNumbers.State) throws(BuildingError) -> Decision {
    try existing(state).tenancy.invoiceDecision(month, context, numbers: numbers, embed: Event.tenancy)
  }

  /// A payment received on `on` (today when nil), to `invoice` or to the oldest unpaid first.
  public static func pay(
    _ state: State, amount: Yen, method: Ledger.Method, invoice: String?, on: LocalDate? = nil, _ context: LettingContext
  ) throws(BuildingError) -> [Event] {
    [.tenancy(.ledger(.paid(try existing(state).tenancy.payment(amount, method: method, invoice: invoice, on: on, context))))]
  }

  /// 敷金精算 once the lease has ended: the deductions, each with its reason, never beyond the
  /// deposit held; unpaid invoices kept back are paid from the deposit (oldest first).
  public static func settleDeposit(_ state: State, deductions: [Deduction], _ context: LettingContext) throws(BuildingError) -> [Event] {
    let record = try existing(state)
    guard record.depositSettlement == nil else { throw .depositSettled(record.id.rawValue) }
    guard let end = record.tenancy.termination?.end, context.today >= end else {
      throw .depositBeforeEnd(record.id.rawValue, end: record.tenancy.termination?.end)
    }
    var checked: [Deduction] = []
    for deduction in deductions {
      let reason = deduction.reason.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !reason.isEmpty else { throw .deductionWithoutReason(deduction.kind) }
      guard deduction.amount > .zero else { throw .invalidAmount(deduction.amount) }
      checked.append(Deduction(kind: deduction.kind, reason: reason, amount: deduction.amount))
    }
    let total = try Yen.guarded { () throws(YenError) in try checked.map(\.amount).sum() }
    guard total <= record.depositHeld else { throw .deductionsBeyondDeposit(record.id.rawValue, deductions: total, held: record.depositHeld) }
    var events: [Event] = []
    let unpaid = try Yen.guarded { () throws(YenError) in try checked.filter { $0.kind == .unpaidRent }.map(\.amount).sum() }
    if unpaid > .zero {
      let paid = try Ledger.payment(unpaid, method: .deposit, invoice: nil, on: context.today, account: record.id.rawValue, record.tenancy.ledger, at: context.at)
      events.append(.tenancy(.ledger(.paid(paid))))
    }
    events.append(
      .depositSettled(
        DepositSettled(
          lease: record.id, held: record.depositHeld, deductions: checked, returned: try record.depositHeld.minus(total), on: context.today,
          at: Timestamp(context.at))))
    return events
  }

  // MARK: Rules shared by the decisions

  static func hold(
    _ units: [OfficeUnitID], contract: LeaseID, from: LocalDate, through: LocalDate?, _ calendars: [OfficeUnitID: PremisesCalendar.State]
  ) throws(BuildingError) -> [SheetEvents<PremisesCalendar.Event>] {
    var places: [PremisesCalendar.Place] = []
    for unit in units { places.append(try PremisesCalendar.Place(unit, calendars[unit])) }
    return try PremisesCalendar.hold(places, contract: contract.rawValue, from: from, through: through)
  }

  /// A change of the lease's life with its units held through its new last day.
  static func holding(_ record: Record, _ change: Tenancy.Change, _ calendars: [OfficeUnitID: PremisesCalendar.State]) throws(BuildingError) -> Decision {
    var decision = Decision()
    decision.premises = try hold(record.units, contract: record.id, from: record.tenancy.start, through: change.through, calendars)
    decision.events = [.tenancy(change.event)]
    return decision
  }

  static func existing(_ state: State) throws(BuildingError) -> Record {
    guard let state else { throw .unknownContract(nil) }
    return state
  }
}
