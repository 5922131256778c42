public import EventLog
public import Foundation
public import SharedKernel

/// A floor area held exactly, in hundredths of a ㎡, as drawings and leases state it.
///
/// 坪 are derived, never stored: 1坪 = 400/121 ㎡ (6尺 squared, 1尺 = 10/33 m), so an area of
/// h hundredths of a ㎡ is h × 121 / 400 hundredths of a 坪, truncated to show. Sums are taken in
/// ㎡ and converted once, so a floor's 坪 never differ from its units' by rounding.
public struct FloorArea: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// Hundredths of a ㎡ (12345 for 123.45㎡).
  public let hundredths: Int64

  public static let zero = FloorArea(hundredths: 0)

  public init(hundredths: Int64) { self.hundredths = hundredths }

  /// Reads `123.45` (or `123.45㎡`, `123.4`, `123`): at most two decimals, nothing negative.
  public init(squareMetres text: String) throws(BuildingError) {
    var body = Kana.asciiDigits(text.trimmingCharacters(in: .whitespaces))
    for suffix in ["㎡", "m2", "m²"] where body.hasSuffix(suffix) { body = String(body.dropLast(suffix.count)) }
    let parts = body.replacingOccurrences(of: "．", with: ".").split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 9, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      parts.count == 1 || (1...2).contains(parts[1].count), let whole = Int64(parts[0])
    else { throw .invalidPremises(field: "area", reason: "面積「\(text)」は 123.45 のように㎡で、小数2桁までの数で入力してください") }
    let decimals = parts.count == 2 ? String(parts[1]) + String(repeating: "0", count: 2 - parts[1].count) : "00"
    hundredths = whole * 100 + (Int64(decimals) ?? 0)
  }

  /// Hundredths of a 坪, truncated.
  public var tsuboHundredths: Int64 { hundredths * 121 / 400 }

  /// `123.45㎡`.
  public var squareMetresText: String { Self.decimal(hundredths) + "㎡" }

  /// `37.34坪`, truncated to two decimals.
  public var tsuboText: String { Self.decimal(tsuboHundredths) + "坪" }

  /// 坪単価: a monthly amount per 坪, truncated to the yen (amount × 40000 ÷ (hundredths × 121)).
  public func yenPerTsubo(_ amount: Yen) -> Yen? {
    guard hundredths > 0 else { return nil }
    let (scaled, overflow) = amount.amount.multipliedReportingOverflow(by: 40_000)
    return overflow ? nil : Yen(scaled / (hundredths * 121))
  }

  public func adding(_ other: FloorArea) -> FloorArea { FloorArea(hundredths: hundredths + other.hundredths) }

  /// `123.45㎡（37.34坪）`.
  public var description: String { "\(squareMetresText)（\(tsuboText)）" }

  public static func < (lhs: FloorArea, rhs: FloorArea) -> Bool { lhs.hundredths < rhs.hundredths }

  /// Decodes a plain JSON integer of hundredths of a ㎡.
  public init(from decoder: any Decoder) throws {
    hundredths = try decoder.singleValueContainer().decode(Int64.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(hundredths)
  }

  static func decimal(_ hundredths: Int64) -> String {
    let rest = hundredths % 100
    return "\(hundredths / 100).\(rest < 10 ? "0" : "")\(rest)"
  }
}

/// Phantom tag for ``OfficeUnitID``.
public enum OfficeUnitTag {}
/// An office unit: `7F-701`.
public typealias OfficeUnitID = ID<OfficeUnitTag>

/// 貸事務室の区画: a unit of a floor, its area, and whether it is let to tenants (the
/// foundation's own floors and the support centre's are not).
public struct OfficeUnit: Sendable, Hashable, Codable, RegisteredPremises {
  public var id: OfficeUnitID
  /// The floor: 7 for 7F, −1 for B1F.
  public var floor: Int
  /// `701号室`.
  public var name: String
  /// 契約面積.
  public var area: FloorArea
  public var leasable: Bool
  /// Why it is not let, or anything the manager wants to keep (`財団事務所`).
  public var note: String?

  public init(id: OfficeUnitID, floor: Int, name: String, area: FloorArea, leasable: Bool, note: String? = nil) {
    self.id = id
    self.floor = floor
    self.name = name
    self.area = area
    self.leasable = leasable
    self.note = note
  }

  public var key: String { id.rawValue }
  public var measure: Int64 { area.hundredths }
  public var lettable: Bool { leasable }

  /// `7F`, `B1F`.
  public var floorName: String { floor < 0 ? "B\(-floor)F" : "\(floor)F" }

  func checked() throws(BuildingError) -> OfficeUnit {
    var unit = self
    unit.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
    guard (1...50).contains(unit.name.count) else { throw .invalidPremises(field: "name", reason: "区画名は1〜50文字で入力してください") }
    guard (-5...60).contains(floor), floor != 0 else { throw .invalidPremises(field: "floor", reason: "階 \(floor) は正しくありません（地下は −1 のように）") }
    guard area.hundredths > 0, area.hundredths <= 10_000_000 else {
      throw .invalidPremises(field: "area", reason: "面積 \(area.squareMetresText) は 0.01〜100000.00㎡ で指定してください")
    }
    unit.note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
    if unit.note?.isEmpty == true { unit.note = nil }
    return unit
  }
}

/// 貸事務室台帳: the building's office units, `offices-register`. Units are registered and
/// changed from a date (re-partitioned, the foundation moves out of a floor and lets it).
public enum OfficeRegister: Decider {
  public static let category = "offices"

  public static func stream() throws(EventLogError) -> StreamName { try StreamName(category: category, id: "register") }

  /// What the manager asks of the register.
  public enum Command: Sendable, Hashable {
    case register(OfficeUnit, from: LocalDate, at: Date)
    case change(OfficeUnit, from: LocalDate, at: Date)
  }

  /// A unit was registered, from a date.
  public struct UnitRegistered: RecordableEvent, Hashable {
    public static let eventType = "Building.OfficeUnitRegistered"
    public static let schemaVersion = 1
    public var unit: OfficeUnit
    public var from: LocalDate
    public var at: Timestamp
  }

  /// A unit's details changed from a date (its area, whether it is let).
  public struct UnitChanged: RecordableEvent, Hashable {
    public static let eventType = "Building.OfficeUnitChanged"
    public static let schemaVersion = 1
    public var unit: OfficeUnit
    public var from: LocalDate
    public var at: Timestamp
  }

  /// The register's events.
  public enum Event: Sendable, Hashable {
    case registered(UnitRegistered)
    case changed(UnitChanged)
  }

  /// The units and their versions.
  public typealias State = PremisesRegister<OfficeUnit>
  public static let initialState = State()

  public static func decide(_ command: Command, _ state: State) throws(BuildingError) -> [Event] {
    switch command {
    case .register(let proposed, let from, let at):
      let unit = try proposed.checked()
      try state.checkNew(unit)
      return [.registered(UnitRegistered(unit: unit, from: from, at: Timestamp(at)))]
    case .change(let proposed, let from, let at):
      let unit = try proposed.checked()
      return try state.checkChange(unit, from: from) ? [.changed(UnitChanged(unit: unit, from: from, at: Timestamp(at)))] : []
    }
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .registered(let e): state.record(e.unit, from: e.from)
    case .changed(let e): state.record(e.unit, from: e.from)
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(UnitRegistered.self, embed: Event.registered) { if case .registered(let e) = $0 { e } else { nil } }
    codec.register(UnitChanged.self, embed: Event.changed) { if case .changed(let e) = $0 { e } else { nil } }
    return codec
  }()
}

/// 入居率: office occupancy, leased area ÷ leasable area.
public enum OfficeOccupancy {
  /// The occupancy on `date` (measures in hundredths of a ㎡), from the register and the leases.
  public static func on(_ date: LocalDate, register: OfficeRegister.State, leases: [Lease.Record]) -> OccupancyFigure {
    OccupancyFigure.on(date, register: register, tenancies: tenancies(leases))
  }

  /// The occupancy at each month end of `year`, April to March: a lease holds its units through
  /// its last day, so a lease ending on 30 September counts in September and not in October, and
  /// one starting on 15 October counts at the end of October.
  public static func monthEnds(of year: FiscalYear, register: OfficeRegister.State, leases: [Lease.Record]) -> [OccupancyFigure] {
    OccupancyFigure.monthEnds(of: year, register: register, tenancies: tenancies(leases))
  }

  static func tenancies(_ leases: [Lease.Record]) -> [(premises: [String], tenancy: Tenancy)] {
    leases.sorted { $0.id < $1.id }.map { ($0.units.map(\.rawValue), $0.tenancy) }
  }
}

extension OccupancyFigure {
  /// The leasable area (offices).
  public var lettableArea: FloorArea { FloorArea(hundredths: lettable) }
  /// The leased area, under notice included (offices).
  public var occupiedArea: FloorArea { FloorArea(hundredths: occupied) }
  /// The leased area under notice (offices).
  public var underNoticeArea: FloorArea { FloorArea(hundredths: underNotice) }
}
