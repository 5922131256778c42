public import Building
import Foundation
public import GRDB
public import Projections
public import SharedKernel

/// A booking as the desk's lists and pages show it.
public struct BookingSummary: Sendable, Hashable, Codable {
  public var id: String
  public var space: String
  public var spaceName: String
  public var date: LocalDate
  public var slot: String
  public var start: Int
  public var end: Int
  public var status: BookingStatus
  public var customer: String
  public var customerName: String
  public var totalYen: Yen
  public var paidYen: Yen
  public var cancellationFeeYen: Yen?
  public var refundDueYen: Yen
  public var permitNumber: String?
  public var deadline: LocalDate?
  public var createdOn: LocalDate
  /// Still to pay (negative: to refund).
  public var balanceYen: Yen
}

/// A booking with everything its page shows: the details it was made with and its money.
public struct BookingView: Sendable, Hashable, Codable {
  public var summary: BookingSummary
  public var details: BookingDetails
  public var money: [MoneyMovement]
}

/// A payment received or a refund paid.
public struct MoneyMovement: Sendable, Hashable, Codable {
  public var position: Int64
  public var booking: String
  /// `payment` or `refund`.
  public var kind: String
  public var amountYen: Yen
  public var method: PaymentMethod
  public var receipt: String?
  public var on: LocalDate
}

/// A registered customer as the desk finds them.
public struct CustomerSummary: Sendable, Hashable, Codable {
  public var id: String
  public var name: String
  public var nameKana: String
  public var kind: CustomerKind
  public var tier: CustomerTier
  public var phone: String?
  public var email: String?
  public var contactPerson: String?
  /// Bookings recorded as 不使用 (no-shows).
  public var noShows: Int = 0
}

/// A signed 日計表.
public struct CashCloseRecord: Sendable, Hashable, Codable {
  public var date: LocalDate
  public var totals: [CashBook.Totals]
  public var cashCountedYen: Yen?
  public var differenceYen: Yen?
  public var signedBy: String
  public var at: String

  /// The record of a close just decided, as the read model will hold it.
  public init(_ closed: CashBook.Closed) {
    date = closed.date
    totals = closed.totals
    cashCountedYen = closed.cashCounted
    differenceYen = closed.difference
    signedBy = closed.signedBy
    at = closed.at.description
  }

  init(date: LocalDate, totals: [CashBook.Totals], cashCountedYen: Yen?, differenceYen: Yen?, signedBy: String, at: String) {
    self.date = date
    self.totals = totals
    self.cashCountedYen = cashCountedYen
    self.differenceYen = differenceYen
    self.signedBy = signedBy
    self.at = at
  }
}

/// What a space's block shows in the grid.
public enum SlotStatus: String, Sendable, Hashable, Codable, CaseIterable {
  case free, provisional, confirmed, blocked, closed
}

/// The questions the desk's pages and API ask of the read model.
public enum BuildingQueries {
  static let bookingColumns = """
    id, space, space_name, date, slot, start_min, end_min, status, customer, customer_name, total, paid, cancellation_fee,
    refund_due, permit_number, deadline, created_on
    """

  static func summary(_ row: Row) throws -> BookingSummary {
    let total = Yen(row["total"] as Int64), paid = Yen(row["paid"] as Int64)
    let status = BookingStatus(rawValue: row["status"]) ?? .cancelled
    let fee = (row["cancellation_fee"] as Int64?).map(Yen.init)
    let charge = status == .cancelled || status == .lapsed ? (fee ?? .zero) : total
    return BookingSummary(
      id: row["id"], space: row["space"], spaceName: row["space_name"], date: try LocalDate(iso8601: row["date"]), slot: row["slot"],
      start: row["start_min"], end: row["end_min"], status: status, customer: row["customer"], customerName: row["customer_name"],
      totalYen: total, paidYen: paid, cancellationFeeYen: fee, refundDueYen: Yen(row["refund_due"] as Int64),
      permitNumber: row["permit_number"], deadline: try (row["deadline"] as String?).map { try LocalDate(iso8601: $0) },
      createdOn: try LocalDate(iso8601: row["created_on"]), balanceYen: Yen(charge.amount - paid.amount))
  }

  /// The bookings on `from … to` (every status, by date and start), optionally of one space or customer.
  public static func bookings(
    from: LocalDate, to: LocalDate, space: String? = nil, customer: String? = nil, in db: Database, _ set: TableSet
  ) throws -> [BookingSummary] {
    var sql = "SELECT \(bookingColumns) FROM \"\(set.table("bookings"))\" WHERE date >= ? AND date <= ?"
    var arguments: StatementArguments = [from.description, to.description]
    if let space {
      sql += " AND space = ?"
      arguments += [space]
    }
    if let customer {
      sql += " AND customer = ?"
      arguments += [customer]
    }
    sql += " ORDER BY date, start_min, space, id"
    return try Row.fetchAll(db, sql: sql, arguments: arguments).map(summary)
  }

  /// One booking with its details and money, or nil.
  public static func booking(_ id: String, in db: Database, _ set: TableSet) throws -> BookingView? {
    guard let row = try Row.fetchOne(db, sql: "SELECT \(bookingColumns), details FROM \"\(set.table("bookings"))\" WHERE id = ?", arguments: [id])
    else { return nil }
    let details = try JSONDecoder().decode(BookingDetails.self, from: Data((row["details"] as String).utf8))
    return BookingView(summary: try summary(row), details: details, money: try money(booking: id, in: db, set))
  }

  static func movement(_ row: Row) throws -> MoneyMovement {
    MoneyMovement(
      position: row["position"], booking: row["booking"], kind: row["kind"], amountYen: Yen(row["amount"] as Int64),
      method: PaymentMethod(rawValue: row["method"]) ?? .cash, receipt: row["receipt"], on: try LocalDate(iso8601: row["on_date"]))
  }

  public static func money(booking: String, in db: Database, _ set: TableSet) throws -> [MoneyMovement] {
    try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("money"))\" WHERE booking = ? ORDER BY position", arguments: [booking]).map(movement)
  }

  /// The money the desk took in and paid out on `date`, in the order recorded.
  public static func money(on date: LocalDate, in db: Database, _ set: TableSet) throws -> [MoneyMovement] {
    try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("money"))\" WHERE on_date = ? ORDER BY position", arguments: [date.description])
      .map(movement)
  }

  /// The 日計表's figures for `date`, by method (every method, even without movements).
  public static func cashTotals(on date: LocalDate, in db: Database, _ set: TableSet) throws -> [CashBook.Totals] {
    var book = CashBook.State()
    book.entries = try money(on: date, in: db, set).compactMap { m in
      (try? BookingID(m.booking)).map {
        CashBook.Entered(date: date, booking: $0, refund: m.kind == "refund", amount: m.amountYen, method: m.method, receiptNumber: m.receipt)
      }
    }
    return book.totals
  }

  /// The recorded close of `date`, if signed.
  public static func cashClose(on date: LocalDate, in db: Database, _ set: TableSet) throws -> CashCloseRecord? {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \"\(set.table("cash_closes"))\" WHERE date = ?", arguments: [date.description])
    else { return nil }
    return CashCloseRecord(
      date: date, totals: try JSONDecoder().decode([CashBook.Totals].self, from: Data((row["totals"] as String).utf8)),
      cashCountedYen: (row["cash_counted"] as Int64?).map(Yen.init), differenceYen: (row["difference"] as Int64?).map(Yen.init),
      signedBy: row["signed_by"], at: row["at"])
  }

  /// Customers whose name, reading or phone number matches `text` (all when empty), in 50音 order.
  public static func customers(matching text: String?, limit: Int = 50, in db: Database, _ set: TableSet) throws -> [CustomerSummary] {
    let table = set.table("customers")
    let query = text?.trimmingCharacters(in: .whitespaces) ?? ""
    var sql = "SELECT *, \(noShowCount(set)) FROM \"\(table)\""
    var arguments: StatementArguments = []
    if !query.isEmpty {
      let like = "%\(escapeLike(query))%"
      let kana = (try? Kana.normalised(query)).map { "%\(escapeLike($0))%" } ?? like
      let digits = Kana.phoneDigits(query)
      sql += " WHERE name LIKE ? ESCAPE '\\' OR kana LIKE ? ESCAPE '\\'"
      arguments += [like, kana]
      if digits.count >= 3 {
        sql += " OR phone_digits LIKE ?"
        arguments += ["%\(digits)%"]
      }
    }
    sql += " ORDER BY kana = '', kana, name, id LIMIT ?"
    arguments += [limit]
    return try Row.fetchAll(db, sql: sql, arguments: arguments).map(customer)
  }

  public static func customer(_ id: String, in db: Database, _ set: TableSet) throws -> CustomerSummary? {
    try Row.fetchOne(db, sql: "SELECT *, \(noShowCount(set)) FROM \"\(set.table("customers"))\" WHERE id = ?", arguments: [id]).map(customer)
  }

  static func customer(_ row: Row) -> CustomerSummary {
    CustomerSummary(
      id: row["id"], name: row["name"], nameKana: row["kana"], kind: CustomerKind(rawValue: row["kind"]) ?? .company,
      tier: CustomerTier(rawValue: row["tier"]) ?? .general, phone: row["phone"], email: row["email"], contactPerson: row["contact"],
      noShows: row["no_shows"] ?? 0)
  }

  /// The column `no_shows`: the customer's bookings recorded as 不使用.
  static func noShowCount(_ set: TableSet) -> String {
    "(SELECT count(*) FROM \"\(set.table("bookings"))\" b WHERE b.customer = \"\(set.table("customers"))\".id AND b.status = 'no-show') AS no_shows"
  }

  /// Confirmed bookings on or before `today` nobody has checked in for: the sweeper records
  /// each as a no-show once its grace period has passed.
  public static func confirmedUnattended(through today: LocalDate, in db: Database, _ set: TableSet) throws -> [String] {
    try String.fetchAll(
      db, sql: "SELECT id FROM \"\(set.table("bookings"))\" WHERE status = 'confirmed' AND date <= ? ORDER BY date, start_min, id",
      arguments: [today.description])
  }

  static func escapeLike(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
  }

  /// Provisional bookings whose deadline is before `today`: the sweeper lets them lapse.
  public static func overdueProvisional(before today: LocalDate, in db: Database, _ set: TableSet) throws -> [String] {
    try String.fetchAll(
      db, sql: "SELECT id FROM \"\(set.table("bookings"))\" WHERE status = 'provisional' AND deadline < ? ORDER BY deadline, id",
      arguments: [today.description])
  }

  /// Bookings still holding time that a closure of `spaces` (all when empty) over `from … to` hits.
  public static func bookingsHit(from: LocalDate, to: LocalDate, spaces: [String], in db: Database, _ set: TableSet) throws -> [BookingSummary] {
    try bookings(from: from, to: to, in: db, set).filter { $0.status.holdsTime && (spaces.isEmpty || spaces.contains($0.space)) }
  }

  /// The grid: each day, each space (or one), each of the three basic blocks, with its status.
  ///
  /// A block is `closed` on the building's closed days and under a closure; `provisional` or
  /// `confirmed` when a booking of that space overlaps it; `blocked` when a booking of another
  /// space sharing a floor unit does; else `free`.
  public static func availability(
    from: LocalDate, to: LocalDate, space: SpaceID?, catalogue: Catalogue, closures: Closures.State, in db: Database, _ set: TableSet
  ) throws -> [(date: LocalDate, spaces: [(space: Space, slots: [(slot: Slot, status: SlotStatus, booking: String?)])])] {
    let spaces = catalogue.spaces.filter { space == nil || $0.id == space }
    let held = try bookings(from: from, to: to, in: db, set).filter(\.status.holdsTime)
    var days: [(date: LocalDate, spaces: [(space: Space, slots: [(slot: Slot, status: SlotStatus, booking: String?)])])] = []
    var date = from
    while date <= to {
      let today = held.filter { $0.date == date }
      let annual = catalogue.annualClosure(on: date)
      days.append(
        (
          date,
          spaces.map { space in
            let rows = Slot.basic.map { slot -> (slot: Slot, status: SlotStatus, booking: String?) in
              if annual != nil || closures.closure(of: space.id, on: date) != nil { return (slot, .closed, nil) }
              let range = slot.range
              let overlapping = today.filter { booking in (try? TimeRange(start: booking.start, end: booking.end))?.overlaps(range) == true }
              if let own = overlapping.first(where: { $0.space == space.id.rawValue }) {
                return (slot, own.status == .confirmed ? .confirmed : .provisional, own.id)
              }
              if let other = overlapping.first(where: { booking in
                catalogue.space((try? SpaceID(booking.space)) ?? space.id).map { $0.excludes(space) } ?? false
              }) {
                return (slot, .blocked, other.id)
              }
              return (slot, .free, nil)
            }
            return (space, rows)
          }
        ))
      guard let next = try? date.adding(days: 1) else { break }
      date = next
    }
    return days
  }
}
