public import Building
import Foundation
public import GRDB
public import Projections
public import SharedKernel

/// 利用率: a room's basic blocks (午前・午後・夜間) let out of those that could be let.
///
/// A block counts as *available* on a day the building is open and no closure covers the room,
/// unless a booking of a space sharing its floor (the whole hall and its halves) took it. It
/// counts as *let* when a booking of the room itself that was confirmed overlaps it: confirmed,
/// used or recorded as a no-show (the fee stands). Provisional, cancelled and lapsed bookings
/// let nothing. A booking of several blocks (午前〜午後, 全日) lets each block it covers.
public struct UtilisationFigure: Sendable, Hashable, Codable {
  public var availableBlocks: Int64 = 0
  public var letBlocks: Int64 = 0
  public var share: Share { Share(letBlocks, of: availableBlocks) }

  public init() {}

  static func + (lhs: Self, rhs: Self) -> Self {
    var sum = lhs
    sum.availableBlocks += rhs.availableBlocks
    sum.letBlocks += rhs.letBlocks
    return sum
  }

  enum CodingKeys: String, CodingKey { case availableBlocks, letBlocks, share }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    availableBlocks = try c.decode(Int64.self, forKey: .availableBlocks)
    letBlocks = try c.decode(Int64.self, forKey: .letBlocks)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(availableBlocks, forKey: .availableBlocks)
    try c.encode(letBlocks, forKey: .letBlocks)
    try c.encode(share, forKey: .share)
  }
}

/// Each room's 利用率 month by month over a fiscal year, and the building's.
public struct UtilisationReport: Sendable, Hashable, Codable {
  /// One room's months and year.
  public struct Room: Sendable, Hashable, Codable {
    public var space: String
    public var name: String
    public var months: [UtilisationFigure]
    public var year: UtilisationFigure
  }
  public var fiscalYear: String
  public var months: [YearMonth]
  public var rooms: [Room]
  /// Every room together, month by month.
  public var totals: [UtilisationFigure]
  public var year: UtilisationFigure
}

/// Cancellations, lapses and no-shows among the bookings for a month's days.
public struct CancellationFigure: Sendable, Hashable, Codable {
  /// Every booking made for the period's days, whatever became of it.
  public var bookings: Int64 = 0
  /// Confirmed, used or no-show: the time was let.
  public var kept: Int64 = 0
  public var cancelled: Int64 = 0
  /// 取消料 charged on those cancellations (after waivers).
  public var cancellationFeesYen: Yen = .zero
  /// Provisional bookings that passed their deadline unconfirmed.
  public var lapsed: Int64 = 0
  /// 不使用: confirmed, nobody came; the fee stands.
  public var noShows: Int64 = 0
  public var cancellationShare: Share { Share(cancelled, of: bookings) }
  public var noShowShare: Share { Share(noShows, of: kept) }

  public init() {}

  static func + (lhs: Self, rhs: Self) -> Self {
    var sum = lhs
    sum.bookings += rhs.bookings
    sum.kept += rhs.kept
    sum.cancelled += rhs.cancelled
    sum.cancellationFeesYen = Yen(sum.cancellationFeesYen.amount + rhs.cancellationFeesYen.amount)
    sum.lapsed += rhs.lapsed
    sum.noShows += rhs.noShows
    return sum
  }

  enum CodingKeys: String, CodingKey { case bookings, kept, cancelled, cancellationFeesYen, lapsed, noShows, cancellationShare, noShowShare }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    bookings = try c.decode(Int64.self, forKey: .bookings)
    kept = try c.decode(Int64.self, forKey: .kept)
    cancelled = try c.decode(Int64.self, forKey: .cancelled)
    cancellationFeesYen = try c.decode(Yen.self, forKey: .cancellationFeesYen)
    lapsed = try c.decode(Int64.self, forKey: .lapsed)
    noShows = try c.decode(Int64.self, forKey: .noShows)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(bookings, forKey: .bookings)
    try c.encode(kept, forKey: .kept)
    try c.encode(cancelled, forKey: .cancelled)
    try c.encode(cancellationFeesYen, forKey: .cancellationFeesYen)
    try c.encode(lapsed, forKey: .lapsed)
    try c.encode(noShows, forKey: .noShows)
    try c.encode(cancellationShare, forKey: .cancellationShare)
    try c.encode(noShowShare, forKey: .noShowShare)
  }
}

/// 取消・不使用 over a fiscal year: by the month of the booked day, and by room for the year.
public struct CancellationReport: Sendable, Hashable, Codable {
  /// One room's year.
  public struct Room: Sendable, Hashable, Codable {
    public var space: String
    public var name: String
    public var year: CancellationFigure
  }
  public var fiscalYear: String
  public var months: [YearMonth]
  public var figures: [CancellationFigure]
  public var year: CancellationFigure
  public var rooms: [Room]
}

/// One line of the revenue report: an item's yen in each month of the fiscal year and the year's sum.
public struct RevenueLine: Sendable, Hashable, Codable {
  /// `rooms-by-space`, `rooms-by-tier`, `rooms-by-customer`, `rooms`, `letting`, `received` or `total`.
  public var section: String
  /// The item within the section: a space id, a tier, a customer kind, an account kind.
  public var key: String
  public var label: String
  public var months: [Yen]
  public var yearYen: Yen

  public init(section: String, key: String, label: String, months: [Yen]) {
    self.section = section
    self.key = key
    self.label = label
    self.months = months
    yearYen = Yen(months.reduce(0) { $0 + $1.amount })
  }
}

/// 収入: a fiscal year's revenue month by month, 税込.
///
/// Rooms are counted in the month of the booked day (発生主義): a booking that let its time
/// (confirmed, used, no-show) counts its whole charge; a cancelled one its 取消料; lapsed and
/// still-provisional ones nothing. Offices and monthly parking count the invoices of each month
/// billed; visitor parking counts the fees taken at exit on the day. `received` lines are cash:
/// money taken in each month (rooms net of refunds).
public struct RevenueReport: Sendable, Hashable, Codable {
  public var fiscalYear: String
  public var months: [YearMonth]
  public var lines: [RevenueLine]

  public init(fiscalYear: String, months: [YearMonth], lines: [RevenueLine]) {
    self.fiscalYear = fiscalYear
    self.months = months
    let charged = lines.filter { $0.section == "rooms" || $0.section == "letting" }
    let total = months.indices.map { index in Yen(charged.reduce(0) { $0 + $1.months[index].amount }) }
    self.lines = lines + [RevenueLine(section: "total", key: "all", label: "収入合計（税込）", months: total)]
  }

  /// The line of `section` and `key`, if any.
  public func line(_ section: String, _ key: String) -> RevenueLine? { lines.first { $0.section == section && $0.key == key } }
}

/// The manager's reports over the bookings (the `building` read model) and the letting
/// (the `letting` read model).
public enum BuildingReports {
  /// The statuses of a booking whose time was let.
  static let letStatuses: Set<BookingStatus> = [.confirmed, .used, .noShow]

  struct BookingFacts {
    var space: String
    var date: LocalDate
    var range: TimeRange?
    var status: BookingStatus
    var total: Int64
    var tax: Int64
    var cancellationFee: Int64
    var tier: String
    var customerKind: String
  }

  static func bookings(of year: FiscalYear, in db: Database, _ set: TableSet) throws -> [BookingFacts] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT b.space, b.date, b.start_min, b.end_min, b.status, b.total, b.tax, b.cancellation_fee, b.tier, c.kind
        FROM "\(set.table("bookings"))" b LEFT JOIN "\(set.table("customers"))" c ON c.id = b.customer
        WHERE b.date >= ? AND b.date <= ? ORDER BY b.date, b.start_min, b.id
        """, arguments: [year.firstDay.description, year.lastDay.description]
    ).map { row in
      BookingFacts(
        space: row["space"], date: try LocalDate(iso8601: row["date"]), range: try? TimeRange(start: row["start_min"], end: row["end_min"]),
        status: BookingStatus(rawValue: row["status"]) ?? .cancelled, total: row["total"], tax: row["tax"],
        cancellationFee: row["cancellation_fee"] ?? 0, tier: row["tier"], customerKind: row["kind"] ?? "")
    }
  }

  /// 利用率 of each room of `catalogue` in each month of `year`, as ``UtilisationFigure`` counts it.
  public static func utilisation(
    _ year: FiscalYear, catalogue: Catalogue, closures: Closures.State, in db: Database, _ set: TableSet
  ) throws -> UtilisationReport {
    let months = year.months
    let facts = try bookings(of: year, in: db, set).filter { letStatuses.contains($0.status) }
    let byDay = Dictionary(grouping: facts, by: \.date)
    var rooms: [UtilisationReport.Room] = []
    for space in catalogue.spaces {
      var figures = [UtilisationFigure](repeating: UtilisationFigure(), count: months.count)
      for (index, month) in months.enumerated() {
        for day in month.days where catalogue.annualClosure(on: day) == nil && closures.closure(of: space.id, on: day) == nil {
          let today = byDay[day] ?? []
          for slot in Slot.basic {
            let overlapping = today.filter { $0.range?.overlaps(slot.range) == true }
            if overlapping.contains(where: { $0.space == space.id.rawValue }) {
              figures[index].availableBlocks += 1
              figures[index].letBlocks += 1
            } else if overlapping.contains(where: { booking in
              (try? SpaceID(booking.space)).flatMap(catalogue.space).map { $0.excludes(space) } ?? false
            }) {
              continue  // taken by the space it shares its floor with: it could not be let
            } else {
              figures[index].availableBlocks += 1
            }
          }
        }
      }
      rooms.append(
        UtilisationReport.Room(space: space.id.rawValue, name: space.name, months: figures, year: figures.reduce(UtilisationFigure(), +)))
    }
    let totals = months.indices.map { index in rooms.reduce(UtilisationFigure()) { $0 + $1.months[index] } }
    return UtilisationReport(
      fiscalYear: year.description, months: months, rooms: rooms, totals: totals, year: totals.reduce(UtilisationFigure(), +))
  }

  /// 取消・不使用 over `year`, by the month of the booked day; rooms in the catalogue's order.
  public static func cancellations(_ year: FiscalYear, catalogue: Catalogue, in db: Database, _ set: TableSet) throws -> CancellationReport {
    let months = year.months
    var figures = [CancellationFigure](repeating: CancellationFigure(), count: months.count)
    var bySpace: [String: CancellationFigure] = [:]
    for booking in try bookings(of: year, in: db, set) {
      var figure = CancellationFigure()
      figure.bookings = 1
      switch booking.status {
      case .confirmed, .used: figure.kept = 1
      case .noShow:
        figure.kept = 1
        figure.noShows = 1
      case .cancelled:
        figure.cancelled = 1
        figure.cancellationFeesYen = Yen(booking.cancellationFee)
      case .lapsed: figure.lapsed = 1
      case .provisional: break
      }
      guard let index = months.firstIndex(of: booking.date.yearMonth) else { continue }
      figures[index] = figures[index] + figure
      bySpace[booking.space] = (bySpace[booking.space] ?? CancellationFigure()) + figure
    }
    let known = catalogue.spaces.map { (space: $0.id.rawValue, name: $0.name) }
    let others = bySpace.keys.filter { key in !known.contains { $0.space == key } }.sorted().map { (space: $0, name: $0) }
    let rooms = (known + others).map { CancellationReport.Room(space: $0.space, name: $0.name, year: bySpace[$0.space] ?? CancellationFigure()) }
    return CancellationReport(
      fiscalYear: year.description, months: months, figures: figures, year: figures.reduce(CancellationFigure(), +), rooms: rooms)
  }

  /// The rooms' lines of ``RevenueReport``: by space, by fee tier, by kind of customer, the
  /// whole, its tax, and the money received net of refunds.
  public static func roomRevenue(_ year: FiscalYear, catalogue: Catalogue, in db: Database, _ set: TableSet) throws -> [RevenueLine] {
    let months = year.months
    var bySpace: [String: [Int64]] = [:], byTier: [String: [Int64]] = [:], byKind: [String: [Int64]] = [:]
    var all = [Int64](repeating: 0, count: months.count), tax = all, fees = all
    func add(_ amount: Int64, _ key: String, _ index: Int, to table: inout [String: [Int64]]) {
      table[key, default: [Int64](repeating: 0, count: months.count)][index] += amount
    }
    for booking in try bookings(of: year, in: db, set) {
      guard let index = months.firstIndex(of: booking.date.yearMonth) else { continue }
      let charge: Int64
      if letStatuses.contains(booking.status) {
        charge = booking.total
        tax[index] += booking.tax
      } else if booking.status == .cancelled {
        charge = booking.cancellationFee
        fees[index] += charge
      } else {
        continue
      }
      all[index] += charge
      add(charge, booking.space, index, to: &bySpace)
      add(charge, booking.tier, index, to: &byTier)
      add(charge, booking.customerKind, index, to: &byKind)
    }
    var received = [Int64](repeating: 0, count: months.count)
    for row in try Row.fetchAll(
      db, sql: "SELECT kind, amount, on_date FROM \"\(set.table("money"))\" WHERE on_date >= ? AND on_date <= ?",
      arguments: [year.firstDay.description, year.lastDay.description])
    {
      guard let index = months.firstIndex(of: try LocalDate(iso8601: row["on_date"]).yearMonth) else { continue }
      received[index] += (row["kind"] as String) == "refund" ? -(row["amount"] as Int64) : row["amount"]
    }
    func yen(_ values: [Int64]) -> [Yen] { values.map(Yen.init) }
    let zero = [Int64](repeating: 0, count: months.count)
    let spaces = catalogue.spaces.map { (key: $0.id.rawValue, label: $0.name) }
      + bySpace.keys.filter { key in !catalogue.spaces.contains { $0.id.rawValue == key } }.sorted().map { (key: $0, label: $0) }
    var lines = spaces.map { RevenueLine(section: "rooms-by-space", key: $0.key, label: $0.label, months: yen(bySpace[$0.key] ?? zero)) }
    lines += CustomerTier.allCases.map {
      RevenueLine(section: "rooms-by-tier", key: $0.rawValue, label: $0.japaneseName, months: yen(byTier[$0.rawValue] ?? zero))
    }
    lines += CustomerKind.allCases.map {
      RevenueLine(section: "rooms-by-customer", key: $0.rawValue, label: $0.japaneseName, months: yen(byKind[$0.rawValue] ?? zero))
    }
    lines += [
      RevenueLine(section: "rooms", key: "rooms", label: "貸室収入（税込）", months: yen(all)),
      RevenueLine(section: "rooms-detail", key: "cancellation-fees", label: "うち取消料", months: yen(fees)),
      RevenueLine(section: "rooms-detail", key: "tax", label: "うち消費税等（利用分）", months: yen(tax)),
      RevenueLine(section: "received", key: "rooms", label: "貸室 入金（還付を差引）", months: yen(received)),
    ]
    return lines
  }

  /// The letting's lines of ``RevenueReport``: offices and monthly parking by the month each
  /// invoice bills, visitor parking by the day of exit, and the money received for each.
  public static func lettingRevenue(_ year: FiscalYear, in db: Database, _ set: TableSet) throws -> [RevenueLine] {
    let months = year.months
    func index(_ month: YearMonth) -> Int? { months.firstIndex(of: month) }
    var invoiced: [String: [Int64]] = [:], received: [String: [Int64]] = [:]
    let zero = [Int64](repeating: 0, count: months.count)
    for row in try Row.fetchAll(
      db, sql: "SELECT kind, month, total FROM \"\(set.table("invoices"))\" WHERE month >= ? AND month <= ?",
      arguments: [months[0].description, months[months.count - 1].description])
    {
      guard let i = index(try YearMonth(iso8601: row["month"])) else { continue }
      invoiced[row["kind"], default: zero][i] += row["total"]
    }
    for row in try Row.fetchAll(
      db, sql: "SELECT kind, amount, on_date FROM \"\(set.table("payments"))\" WHERE on_date >= ? AND on_date <= ?",
      arguments: [year.firstDay.description, year.lastDay.description])
    {
      guard let i = index(try LocalDate(iso8601: row["on_date"]).yearMonth) else { continue }
      received[row["kind"], default: zero][i] += row["amount"]
    }
    var visitors = zero
    for row in try Row.fetchAll(
      db, sql: "SELECT date, fee FROM \"\(set.table("visitor_sessions"))\" WHERE date >= ? AND date <= ? AND exited_at IS NOT NULL",
      arguments: [year.firstDay.description, year.lastDay.description])
    {
      guard let i = index(try LocalDate(iso8601: row["date"]).yearMonth) else { continue }
      visitors[i] += row["fee"] ?? 0
    }
    func yen(_ values: [Int64]) -> [Yen] { values.map(Yen.init) }
    return Ledger.Kind.allCases.map { kind in
      RevenueLine(section: "letting", key: kind.rawValue, label: "\(kind.japaneseName) 請求（税込）", months: yen(invoiced[kind.rawValue] ?? zero))
    } + [RevenueLine(section: "letting", key: "visitor-parking", label: "時間貸駐車場 料金（税込）", months: yen(visitors))]
      + Ledger.Kind.allCases.map { kind in
        RevenueLine(section: "received", key: kind.rawValue, label: "\(kind.japaneseName) 入金", months: yen(received[kind.rawValue] ?? zero))
      }
  }
}
