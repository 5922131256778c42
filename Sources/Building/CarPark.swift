public import EventLog
public import Foundation
public import SharedKernel

/// Phantom tag for ``ParkingSpaceID``.
public enum ParkingSpaceTag {}
/// A parking space: `P-12`.
public typealias ParkingSpaceID = ID<ParkingSpaceTag>

/// How a space is let.
public enum ParkingKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// 月極: let by the month under a contract.
  case monthly
  /// 来客用・時間貸し: visitors by the hour.
  case visitor

  public var japaneseName: String { self == .monthly ? "月極" : "来客用（時間貸し）" }
}

/// The vehicles a space takes.
public enum ParkingSize: String, Sendable, Hashable, Codable, CaseIterable {
  /// 軽自動車.
  case compact
  /// 普通車.
  case standard
  /// 大型・ハイルーフ.
  case large

  public var japaneseName: String {
    switch self {
    case .compact: "軽自動車"
    case .standard: "普通車"
    case .large: "大型・ハイルーフ"
    }
  }
}

/// 駐車区画: one space of the building's car park.
public struct ParkingSpace: Sendable, Hashable, Codable, RegisteredPremises {
  public var id: ParkingSpaceID
  /// `12番`.
  public var label: String
  public var kind: ParkingKind
  public var size: ParkingSize

  public init(id: ParkingSpaceID, label: String, kind: ParkingKind, size: ParkingSize) {
    self.id = id
    self.label = label
    self.kind = kind
    self.size = size
  }

  public var key: String { id.rawValue }
  public var measure: Int64 { 1 }
  public var lettable: Bool { kind == .monthly }

  func checked() throws(BuildingError) -> ParkingSpace {
    var space = self
    space.label = label.trimmingCharacters(in: .whitespacesAndNewlines)
    guard (1...30).contains(space.label.count) else { throw .invalidPremises(field: "label", reason: "区画の表示名は1〜30文字で入力してください") }
    return space
  }
}

/// 来客駐車料金表: visitors pay per started unit of time, at most a cap per 24 hours from entry
/// (入庫後24時間最大), after a grace period and any free time validated for a booking. Fees
/// include the consumption tax (税込).
public struct VisitorTariff: Sendable, Hashable, Codable {
  /// Minutes of one unit (30).
  public var unitMinutes: Int
  /// The fee of each started unit (¥300).
  public var unitFee: Yen
  /// 最大料金 for each 24 hours from entry; nil for none.
  public var dailyCap: Yen?
  /// 入庫後無料: a stay this short costs nothing.
  public var graceMinutes: Int
  /// 駐車サービス: minutes added to a booking's hours for a validated visitor (30).
  public var validationExtraMinutes: Int
  /// Cars one booking validates (a hall booking's held guest spaces raise it to the hold's size).
  public var validationsPerBooking: Int
  /// Entries from `opens` to `closes` (`08:00`, `22:00`, Japan time).
  public var opens: String
  public var closes: String
  public var taxPercent: Int

  public init(
    unitMinutes: Int = 30, unitFee: Yen = Yen(300), dailyCap: Yen? = Yen(2_000), graceMinutes: Int = 0, validationExtraMinutes: Int = 30,
    validationsPerBooking: Int = 1, opens: String = "08:00", closes: String = "22:00", taxPercent: Int = 10
  ) {
    self.unitMinutes = unitMinutes
    self.unitFee = unitFee
    self.dailyCap = dailyCap
    self.graceMinutes = graceMinutes
    self.validationExtraMinutes = validationExtraMinutes
    self.validationsPerBooking = validationsPerBooking
    self.opens = opens
    self.closes = closes
    self.taxPercent = taxPercent
  }

  /// The fee of a stay of `seconds`, `freeMinutes` of it free: nothing within the grace period;
  /// otherwise the time beyond the free minutes in 24-hour windows from entry, each capped.
  public func fee(parkedSeconds seconds: Int64, freeMinutes: Int) -> Yen {
    guard seconds > Int64(graceMinutes) * 60 else { return .zero }
    let charged = Swift.max(0, seconds - Int64(freeMinutes) * 60)
    let day: Int64 = 86_400, unit = Int64(unitMinutes) * 60
    let units = { (span: Int64) in (span + unit - 1) / unit * unitFee.amount }
    guard let cap = dailyCap?.amount else { return Yen(units(charged)) }
    return Yen(charged / day * cap + Swift.min(cap, units(charged % day)))
  }

  /// The consumption tax a fee includes (fee × rate ÷ (100 + rate), truncated).
  public func taxIncluded(in fee: Yen) -> Yen { Yen(fee.amount * Int64(taxPercent) / Int64(100 + taxPercent)) }

  /// Entries are taken in the opening hours.
  public func open(at minutes: Int) -> Bool {
    guard let from = TimeRange.minutes(of: opens), let to = TimeRange.minutes(of: closes) else { return false }
    return from <= minutes && minutes < to
  }

  func checked() throws(BuildingError) -> VisitorTariff {
    func refuse(_ field: String, _ reason: String) -> BuildingError { .invalidPremises(field: field, reason: reason) }
    guard (1...240).contains(unitMinutes) else { throw refuse("unitMinutes", "料金の単位時間は1〜240分で指定してください") }
    guard unitFee > .zero, unitFee <= Yen(100_000) else { throw refuse("unitFee", "単位時間の料金は1〜100,000円で指定してください") }
    if let cap = dailyCap, cap < unitFee || cap > Yen(1_000_000) { throw refuse("dailyCap", "最大料金は単位料金以上、1,000,000円以下で指定してください") }
    guard (0...240).contains(graceMinutes), (0...240).contains(validationExtraMinutes) else {
      throw refuse("graceMinutes", "無料時間・サービス時間は0〜240分で指定してください")
    }
    guard (1...100).contains(validationsPerBooking) else { throw refuse("validationsPerBooking", "1件の予約で認証できる台数は1〜100台で指定してください") }
    guard let from = TimeRange.minutes(of: opens), let to = TimeRange.minutes(of: closes), from < to else {
      throw refuse("opens", "入庫できる時間は 08:00 と 22:00 のように、開始を終了より前に指定してください")
    }
    guard (0...100).contains(taxPercent) else { throw refuse("taxPercent", "消費税率 \(taxPercent)% は正しくありません") }
    return self
  }
}

/// 駐車場台帳: the car park's spaces and the visitor tariff, `carpark-register`; both change
/// from a date.
public enum CarParkRegister: Decider {
  public static let category = "carpark"

  public static func stream() throws(EventLogError) -> StreamName { try StreamName(category: category, id: "register") }

  /// What the manager asks of the register.
  public enum Command: Sendable, Hashable {
    case register(ParkingSpace, from: LocalDate, at: Date)
    case change(ParkingSpace, from: LocalDate, at: Date)
    case setTariff(VisitorTariff, from: LocalDate, at: Date)
  }

  /// A space was registered, from a date.
  public struct SpaceRegistered: RecordableEvent, Hashable {
    public static let eventType = "Building.ParkingSpaceRegistered"
    public static let schemaVersion = 1
    public var space: ParkingSpace
    public var from: LocalDate
    public var at: Timestamp
  }

  /// A space changed from a date (monthly to visitor, its size).
  public struct SpaceChanged: RecordableEvent, Hashable {
    public static let eventType = "Building.ParkingSpaceChanged"
    public static let schemaVersion = 1
    public var space: ParkingSpace
    public var from: LocalDate
    public var at: Timestamp
  }

  /// The visitor tariff applies from a date.
  public struct TariffSet: RecordableEvent, Hashable {
    public static let eventType = "Building.VisitorTariffSet"
    public static let schemaVersion = 1
    public var tariff: VisitorTariff
    public var from: LocalDate
    public var at: Timestamp
  }

  /// The register's events.
  public enum Event: Sendable, Hashable {
    case registered(SpaceRegistered)
    case changed(SpaceChanged)
    case tariffSet(TariffSet)
  }

  /// The spaces and the tariffs, each with its dates.
  public struct State: Sendable, Hashable {
    public var spaces = PremisesRegister<ParkingSpace>()
    public var tariffs: [Dated<VisitorTariff>] = []
    public init() {}

    public func space(_ id: ParkingSpaceID, on date: LocalDate) -> ParkingSpace? { spaces.item(id.rawValue, on: date) }

    /// The visitor spaces on `date`.
    public func visitorSpaces(on date: LocalDate) -> Int { spaces.items(on: date).filter { $0.kind == .visitor }.count }

    public func tariff(on date: LocalDate) -> VisitorTariff? { tariffs.inForce(on: date) }
  }

  public static let initialState = State()

  public static func decide(_ command: Command, _ state: State) throws(BuildingError) -> [Event] {
    switch command {
    case .register(let proposed, let from, let at):
      let space = try proposed.checked()
      try state.spaces.checkNew(space)
      return [.registered(SpaceRegistered(space: space, from: from, at: Timestamp(at)))]
    case .change(let proposed, let from, let at):
      let space = try proposed.checked()
      return try state.spaces.checkChange(space, from: from) ? [.changed(SpaceChanged(space: space, from: from, at: Timestamp(at)))] : []
    case .setTariff(let proposed, let from, let at):
      let tariff = try proposed.checked()
      if state.tariffs.last(where: { $0.from == from })?.value == tariff { return [] }
      return [.tariffSet(TariffSet(tariff: tariff, from: from, at: Timestamp(at)))]
    }
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .registered(let e): state.spaces.record(e.space, from: e.from)
    case .changed(let e): state.spaces.record(e.space, from: e.from)
    case .tariffSet(let e): state.tariffs = state.tariffs.inserting(Dated(from: e.from, value: e.tariff))
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(SpaceRegistered.self, embed: Event.registered) { if case .registered(let e) = $0 { e } else { nil } }
    codec.register(SpaceChanged.self, embed: Event.changed) { if case .changed(let e) = $0 { e } else { nil } }
    codec.register(TariffSet.self, embed: Event.tariffSet) { if case .tariffSet(let e) = $0 { e } else { nil } }
    return codec
  }()
}
