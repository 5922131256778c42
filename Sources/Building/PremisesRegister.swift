import Foundation
public import SharedKernel

/// Something let that a register keeps: an office unit, a parking space.
public protocol RegisteredPremises: Sendable, Hashable, Codable {
  /// Its id, as its calendar stream and the contracts name it.
  var key: String { get }
  /// What it counts for in an occupancy rate: hundredths of a ㎡ for a unit, 1 for a space.
  var measure: Int64 { get }
  /// Whether contracts may let it (a leasable unit, a monthly space).
  var lettable: Bool { get }
}

/// The premises of a register with their versions: each change applies from a date, so a
/// report for a past month sees the units as they were then.
public struct PremisesRegister<Item: RegisteredPremises>: Sendable, Hashable {
  /// Each item's versions in date order.
  public var versions: [String: [Dated<Item>]] = [:]
  /// The ids in the order registered.
  public var order: [String] = []

  public init() {}

  /// `key` as it stands on `date`: nil before it was registered.
  public func item(_ key: String, on date: LocalDate) -> Item? { versions[key]?.inForce(on: date) }

  /// Every item registered by `date`, in the order registered.
  public func items(on date: LocalDate) -> [Item] { order.compactMap { item($0, on: date) } }

  /// The latest version of `key`, whatever its date.
  public func latest(_ key: String) -> Dated<Item>? { versions[key]?.last }

  /// A new item: an id not yet registered.
  func checkNew(_ item: Item) throws(BuildingError) {
    guard versions[item.key] == nil else { throw .premisesExists(item.key) }
  }

  /// A change from `from`: of a registered item, not before its latest version, and a real change.
  func checkChange(_ item: Item, from: LocalDate) throws(BuildingError) -> Bool {
    guard let latest = latest(item.key) else { throw .unknownPremises(item.key) }
    guard from >= latest.from else {
      throw .invalidPremises(field: "from", reason: "\(item.key) の変更は最後の変更日 \(latest.from) 以降の日付で指定してください")
    }
    return latest.value != item
  }

  mutating func record(_ item: Item, from: LocalDate) {
    if versions[item.key] == nil { order.append(item.key) }
    versions[item.key] = (versions[item.key] ?? []).inserting(Dated(from: from, value: item))
  }
}

/// 稼働率 on one day: what was let of what could be let, with the premises under notice of
/// termination (解約予告中) counted among the let and shown apart.
public struct OccupancyFigure: Sendable, Hashable {
  public var date: LocalDate
  /// What could be let: hundredths of a ㎡ for offices, spaces for the car park.
  public var lettable: Int64
  /// What was let, those under notice included.
  public var occupied: Int64
  /// Of the let, what is under notice.
  public var underNotice: Int64
  public var occupiedPremises: [String]
  public var underNoticePremises: [String]
  public var vacantPremises: [String]

  /// The rate in hundredths of a percent (9523 for 95.23%), truncated; nil with nothing to let.
  public var basisPoints: Int64? { Share(occupied, of: lettable).basisPoints }

  /// Let and not under notice.
  public var occupiedWithoutNotice: Int64 { occupied - underNotice }

  /// `95.23%` (or `—` with nothing to let).
  public var rateText: String { Share(occupied, of: lettable).text }

  /// The figure on `date`: every lettable item of `register`, and which of `tenancies` holds it.
  static func on<Item>(_ date: LocalDate, register: PremisesRegister<Item>, tenancies: [(premises: [String], tenancy: Tenancy)]) -> OccupancyFigure {
    var figure = OccupancyFigure(
      date: date, lettable: 0, occupied: 0, underNotice: 0, occupiedPremises: [], underNoticePremises: [], vacantPremises: [])
    for item in register.items(on: date) where item.lettable {
      figure.lettable += item.measure
      guard let holder = tenancies.first(where: { $0.premises.contains(item.key) && $0.tenancy.holds(on: date) }) else {
        figure.vacantPremises.append(item.key)
        continue
      }
      figure.occupied += item.measure
      figure.occupiedPremises.append(item.key)
      if holder.tenancy.underNotice(on: date) {
        figure.underNotice += item.measure
        figure.underNoticePremises.append(item.key)
      }
    }
    return figure
  }

  /// The figure at each month end of `year`, April to March.
  static func monthEnds<Item>(
    of year: FiscalYear, register: PremisesRegister<Item>, tenancies: [(premises: [String], tenancy: Tenancy)]
  ) -> [OccupancyFigure] {
    year.months.map { on($0.lastDay, register: register, tenancies: tenancies) }
  }
}
