public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``ParkingContractID``.
public enum ParkingContractTag {}
/// A monthly parking contract: `pk-<UUIDv7>`.
public typealias ParkingContractID = ID<ParkingContractTag>

/// A monthly parking contract the manager signs.
public struct NewParkingContract: Sendable, Hashable {
  public var id: ParkingContractID
  public var contractor: Party
  public var space: ParkingSpaceID
  /// 車両番号 (`横浜 300 あ 12-34`), when known.
  public var vehicle: String?
  /// The monthly fee (駐車料) is the charge, usually 税込 with tax at 10%; notice is usually 1 month.
  public var terms: TenancyTerms

  public init(id: ParkingContractID, contractor: Party, space: ParkingSpaceID, vehicle: String?, terms: TenancyTerms) {
    self.id = id
    self.contractor = contractor
    self.space = space
    self.vehicle = vehicle
    self.terms = terms
  }
}

/// 月極駐車場契約: one monthly space let to one contractor, `parking-<id>`. Its life is an office
/// lease's without units, 共益費 or deposit: it holds its space on the space's calendar
/// (``PremisesCalendar``), renews, takes notice, ends, invoices and is paid (``Ledger``) by the
/// same rules (``Tenancy``).
public enum ParkingContract {
  public static let category = "parking"

  public static func stream(_ id: ParkingContractID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: id.rawValue)
  }

  /// The contract was signed.
  public struct Contracted: RecordableEvent, Hashable {
    public static let eventType = "Building.ParkingContracted"
    public static let schemaVersion = 1
    public var contract: ParkingContractID
    public var contractor: Party
    public var space: ParkingSpaceID
    public var vehicle: String?
    public var terms: TenancyTerms
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The contract's events: its own, and those it shares with a lease.
  public enum Event: Sendable, Hashable {
    case contracted(Contracted)
    /// Renewed, noticed, ended, invoiced, paid (``Tenancy``).
    case tenancy(Tenancy.Event)
  }

  /// A contract as its stream tells it.
  public struct Record: Sendable, Hashable {
    public var id: ParkingContractID
    public var space: ParkingSpaceID
    public var vehicle: String?
    public var tenancy: Tenancy
  }

  /// Nil before the contract is signed.
  public typealias State = Record?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    if case .contracted(let e) = event {
      return Record(
        id: e.contract, space: e.space, vehicle: e.vehicle, tenancy: Tenancy(contract: e.contract.rawValue, kind: .parking, party: e.contractor, terms: e.terms))
    }
    guard var record = state else { return state }
    switch event {
    case .contracted: break
    case .tenancy(let e): record.tenancy.apply(e)
    }
    return record
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Contracted.self, embed: Event.contracted) { if case .contracted(let e) = $0 { e } else { nil } }
    codec.registerTenancy(Event.tenancy) { if case .tenancy(let e) = $0 { e } else { nil } }
    return codec
  }()

  // MARK: Decisions

  /// The events a contract decision writes, stream by stream.
  public typealias Decision = TenancyDecision<Event>

  /// Signs a contract of a monthly space registered on its start date, and holds it on its calendar.
  public static func contract(
    _ new: NewParkingContract, _ context: LettingContext, register: CarParkRegister.State, calendar: PremisesCalendar.State, _ state: State
  ) throws(BuildingError) -> Decision {
    if state != nil { throw .contractExists(new.id.rawValue) }
    let terms = try new.terms.checked()
    let contractor = try new.contractor.checked()
    guard let space = register.space(new.space, on: terms.start) else { throw .unknownParkingSpace(new.space.rawValue) }
    guard space.kind == .monthly else { throw .notLettable(new.space.rawValue, date: terms.start, note: space.kind.japaneseName) }
    let vehicle = new.vehicle?.trimmingCharacters(in: .whitespacesAndNewlines)
    var decision = Decision()
    decision.premises = try PremisesCalendar.hold(
      [PremisesCalendar.Place(new.space, calendar)], contract: new.id.rawValue, from: terms.start, through: terms.renewalMonths == nil ? terms.end : nil)
    decision.events = [
      .contracted(
        Contracted(
          contract: new.id, contractor: contractor, space: new.space, vehicle: vehicle?.isEmpty == false ? vehicle : nil, terms: terms, on: context.today,
          at: Timestamp(context.at)))
    ]
    return decision
  }

  /// 合意更新 to `end`, with a new fee from the day after the current term (the same when nil).
  public static func renew(
    _ state: State, end: LocalDate, charges: [MonthlyCharge]?, renewalMonths: Int?, _ context: LettingContext, calendar: PremisesCalendar.State
  ) throws(BuildingError) -> Decision {
    let record = try existing(state)
    return try holding(record, try record.tenancy.renew(end: end, charges: charges, renewalMonths: renewalMonths, context), calendar)
  }

  /// 解約予告 given today, to end on `end` (the earliest the notice allows when nil).
  public static func giveNotice(_ state: State, end: LocalDate?, _ context: LettingContext, calendar: PremisesCalendar.State) throws(BuildingError) -> Decision {
    let record = try existing(state)
    return try holding(record, try record.tenancy.giveNotice(end: end, context), calendar)
  }

  /// Ends the contract on `end`, giving the space's later days back.
  public static func terminate(
    _ state: State, end: LocalDate, reason: String, agreed: Bool, _ context: LettingContext, calendar: PremisesCalendar.State
  ) throws(BuildingError) -> Decision {
    let record = try existing(state)
    return try holding(record, try record.tenancy.terminate(end: end, reason: reason, agreed: agreed, context), calendar)
  }

  /// The invoice of `month` (the fee pro rata by days let), numbered in today's fiscal year.
  public static func invoice(_ state: State, month: YearMonth, _ context: LettingContext, numbers: InvoiceNumbers.State) throws(BuildingError) -> Decision {
    try existing(state).tenancy.invoiceDecision(month, context, numbers: numbers, embed: Event.tenancy)
  }

  /// A payment received on `on` (today when nil), to `invoice` or to the oldest unpaid first.
  public static func pay(
    _ state: State, amount: Yen, method: Ledger.Method, invoice: String?, on: LocalDate? = nil, _ context: LettingContext
  ) throws(BuildingError) -> [Event] {
    [.tenancy(.ledger(.paid(try existing(state).tenancy.payment(amount, method: method, invoice: invoice, on: on, context))))]
  }

  /// A change of the contract's life with its space held through its new last day.
  static func holding(_ record: Record, _ change: Tenancy.Change, _ calendar: PremisesCalendar.State) throws(BuildingError) -> Decision {
    var decision = Decision()
    decision.premises = try PremisesCalendar.hold(
      [PremisesCalendar.Place(record.space, calendar)], contract: record.id.rawValue, from: record.tenancy.start, through: change.through)
    decision.events = [.tenancy(change.event)]
    return decision
  }

  static func existing(_ state: State) throws(BuildingError) -> Record {
    guard let state else { throw .unknownContract(nil) }
    return state
  }
}

/// 駐車場の稼働: the monthly spaces let at a date, and the visitor spaces in use now.
public enum CarParkOccupancy {
  /// The monthly spaces on `date` (measures are spaces), from the register and the contracts.
  public static func monthly(on date: LocalDate, register: CarParkRegister.State, contracts: [ParkingContract.Record]) -> OccupancyFigure {
    OccupancyFigure.on(date, register: register.spaces, tenancies: tenancies(contracts))
  }

  /// The monthly spaces at each month end of `year`, April to March.
  public static func monthEnds(of year: FiscalYear, register: CarParkRegister.State, contracts: [ParkingContract.Record]) -> [OccupancyFigure] {
    OccupancyFigure.monthEnds(of: year, register: register.spaces, tenancies: tenancies(contracts))
  }

  /// The car park now: the monthly spaces let today, and the visitor spaces parked, held and free.
  public static func now(
    _ context: LettingContext, register: CarParkRegister.State, contracts: [ParkingContract.Record], visitors: VisitorDay.State
  ) -> (monthly: OccupancyFigure, visitors: VisitorDay.Occupancy) {
    (monthly(on: context.today, register: register, contracts: contracts), visitors.occupancy(spaces: register.visitorSpaces(on: context.today)))
  }

  static func tenancies(_ contracts: [ParkingContract.Record]) -> [(premises: [String], tenancy: Tenancy)] {
    contracts.sorted { $0.id < $1.id }.map { ([$0.space.rawValue], $0.tenancy) }
  }
}
