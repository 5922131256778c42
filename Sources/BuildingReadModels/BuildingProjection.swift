import Building
import SharedKernel
public import EventLog
import Foundation
public import GRDB
public import Projections

/// The desk's read model: customers, bookings with their money, closures, the catalogue's
/// versions and the daily cash closes, folded from the building's events.
public struct BuildingProjection: Projection {
  public let name = "building"
  public let version = 1

  public init() {}

  public var eventTypes: Set<String> {
    Set(Booking.codec.types + Customer.codec.types + Closures.codec.types + CatalogueHistory.codec.types + CashBook.codec.types)
  }

  public var tables: [String] { ["bookings", "money", "customers", "closures", "catalogue", "cash_closes"] }

  public func createTables(in db: Database, _ set: TableSet) throws {
    let bookings = set.table("bookings")
    let money = set.table("money")
    let customers = set.table("customers")
    try db.execute(
      sql: """
        CREATE TABLE "\(bookings)" (
          id TEXT PRIMARY KEY, space TEXT NOT NULL, space_name TEXT NOT NULL, grp TEXT NOT NULL, units TEXT NOT NULL,
          date TEXT NOT NULL, slot TEXT NOT NULL, start_min INTEGER NOT NULL, end_min INTEGER NOT NULL, buffer INTEGER NOT NULL,
          status TEXT NOT NULL, customer TEXT NOT NULL, customer_name TEXT NOT NULL, use_kind TEXT NOT NULL, tier TEXT NOT NULL,
          total INTEGER NOT NULL, facility_fee INTEGER NOT NULL, equipment_fee INTEGER NOT NULL, tax INTEGER NOT NULL,
          paid INTEGER NOT NULL, cancellation_fee INTEGER, refund_due INTEGER NOT NULL DEFAULT 0, permit_number TEXT,
          deadline TEXT, created_on TEXT NOT NULL, catalogue_version INTEGER NOT NULL, details TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE INDEX "\(bookings)_date" ON "\(bookings)"(date, space);
        CREATE INDEX "\(bookings)_deadline" ON "\(bookings)"(status, deadline);
        CREATE INDEX "\(bookings)_customer" ON "\(bookings)"(customer, date);
        CREATE TABLE "\(money)" (
          position INTEGER PRIMARY KEY, booking TEXT NOT NULL, kind TEXT NOT NULL, amount INTEGER NOT NULL, method TEXT NOT NULL,
          receipt TEXT, on_date TEXT NOT NULL, at TEXT NOT NULL);
        CREATE INDEX "\(money)_date" ON "\(money)"(on_date);
        CREATE INDEX "\(money)_booking" ON "\(money)"(booking);
        CREATE TABLE "\(customers)" (
          id TEXT PRIMARY KEY, name TEXT NOT NULL, kana TEXT NOT NULL, kind TEXT NOT NULL, tier TEXT NOT NULL, phone TEXT,
          phone_digits TEXT, email TEXT, contact TEXT, registered_at TEXT NOT NULL);
        CREATE INDEX "\(customers)_kana" ON "\(customers)"(kana);
        CREATE TABLE "\(set.table("closures"))" (
          id TEXT PRIMARY KEY, from_date TEXT NOT NULL, to_date TEXT NOT NULL, spaces TEXT NOT NULL, reason TEXT NOT NULL,
          lifted INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE "\(set.table("catalogue"))" (
          version INTEGER PRIMARY KEY, json TEXT NOT NULL, note TEXT NOT NULL, at TEXT NOT NULL);
        CREATE TABLE "\(set.table("cash_closes"))" (
          date TEXT PRIMARY KEY, totals TEXT NOT NULL, cash_counted INTEGER, difference INTEGER, signed_by TEXT NOT NULL, at TEXT NOT NULL);
        """)
  }

  public func apply(_ event: RecordedEvent, in db: Database, _ set: TableSet) throws {
    if Booking.codec.reads(event.type) {
      try fold(Booking.codec.decode(event), position: event.position, in: db, set)
    } else if Customer.codec.reads(event.type) {
      switch try Customer.codec.decode(event) {
      case .registered(let e): try upsert(e.customer, e.profile, at: e.at, in: db, set)
      case .updated(let e): try upsert(e.customer, e.profile, at: e.at, in: db, set)
      }
    } else if Closures.codec.reads(event.type) {
      switch try Closures.codec.decode(event) {
      case .declared(let e):
        let c = e.closure
        try db.execute(
          sql: "INSERT INTO \"\(set.table("closures"))\" (id, from_date, to_date, spaces, reason) VALUES (?, ?, ?, ?, ?)",
          arguments: [c.id, c.from.description, c.to.description, c.spaces.map(\.rawValue).joined(separator: ","), c.reason])
      case .lifted(let e):
        try db.execute(sql: "UPDATE \"\(set.table("closures"))\" SET lifted = 1 WHERE id = ?", arguments: [e.closure])
      }
    } else if CatalogueHistory.codec.reads(event.type) {
      switch try CatalogueHistory.codec.decode(event) {
      case .published(let e):
        try db.execute(
          sql: "INSERT INTO \"\(set.table("catalogue"))\" (version, json, note, at) VALUES (?, ?, ?, ?)",
          arguments: [e.version, String(decoding: try JSONEncoder.sorted.encode(e.catalogue), as: UTF8.self), e.note, e.at.description])
      }
    } else if CashBook.codec.reads(event.type) {
      switch try CashBook.codec.decode(event) {
      case .entered:
        break  // the booking's own events carry the money
      case .closed(let e):
        try db.execute(
          sql: "INSERT INTO \"\(set.table("cash_closes"))\" (date, totals, cash_counted, difference, signed_by, at) VALUES (?, ?, ?, ?, ?, ?)",
          arguments: [
            e.date.description, String(decoding: try JSONEncoder.sorted.encode(e.totals), as: UTF8.self), e.cashCounted?.amount,
            e.difference?.amount, e.signedBy, e.at.description,
          ])
      }
    }
  }

  private func upsert(_ id: CustomerID, _ p: CustomerProfile, at: Timestamp, in db: Database, _ set: TableSet) throws {
    try db.execute(
      sql: """
        INSERT INTO "\(set.table("customers"))" (id, name, kana, kind, tier, phone, phone_digits, email, contact, registered_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, kana = excluded.kana, kind = excluded.kind, tier = excluded.tier,
          phone = excluded.phone, phone_digits = excluded.phone_digits, email = excluded.email, contact = excluded.contact
        """,
      arguments: [
        id.rawValue, p.name, p.nameKana, p.kind.rawValue, p.tier.rawValue, p.phone, p.phone.map(Kana.phoneDigits), p.email, p.contactPerson,
        at.description,
      ])
  }

  private func fold(_ event: Booking.Event, position: Int64, in db: Database, _ set: TableSet) throws {
    let bookings = set.table("bookings")
    switch event {
    case .requested(let e):
      let d = e.details
      try db.execute(
        sql: """
          INSERT INTO "\(bookings)" (id, space, space_name, grp, units, date, slot, start_min, end_min, buffer, status, customer,
            customer_name, use_kind, tier, total, facility_fee, equipment_fee, tax, paid, permit_number, deadline, created_on,
            catalogue_version, details, position)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          e.booking.rawValue, d.request.space.rawValue, d.spaceName, d.group, d.units.joined(separator: ","), d.request.date.description,
          d.request.slot.code, d.request.occupied.start, d.request.occupied.end, d.bufferMinutes, e.status.rawValue, d.customer.rawValue,
          d.customerName, d.request.use.rawValue, d.request.tier.rawValue, d.quote.total.amount, d.quote.facilityFee.amount,
          d.quote.equipmentFee.amount, d.quote.tax.amount, e.permitNumber, e.deadline?.description, e.on.description,
          d.quote.catalogueVersion, String(decoding: try JSONEncoder.sorted.encode(d), as: UTF8.self), position,
        ])
    case .confirmed(let e):
      try db.execute(
        sql: "UPDATE \"\(bookings)\" SET status = 'confirmed', permit_number = ?, deadline = NULL, position = ? WHERE id = ?",
        arguments: [e.permitNumber, position, e.booking.rawValue])
    case .paymentRecorded(let e):
      try money(e.booking, "payment", e.amount, e.method, e.receiptNumber, e.on, e.at, position, in: db, set)
      try db.execute(
        sql: "UPDATE \"\(bookings)\" SET paid = paid + ?, position = ? WHERE id = ?", arguments: [e.amount.amount, position, e.booking.rawValue])
    case .refunded(let e):
      try money(e.booking, "refund", e.amount, e.method, nil, e.on, e.at, position, in: db, set)
      try db.execute(
        sql: "UPDATE \"\(bookings)\" SET paid = paid - ?, refund_due = MAX(0, refund_due - ?), position = ? WHERE id = ?",
        arguments: [e.amount.amount, e.amount.amount, position, e.booking.rawValue])
    case .changed(let e):
      let d = e.details
      try db.execute(
        sql: """
          UPDATE "\(bookings)" SET space = ?, space_name = ?, grp = ?, units = ?, date = ?, slot = ?, start_min = ?, end_min = ?,
            buffer = ?, total = ?, facility_fee = ?, equipment_fee = ?, tax = ?, details = ?, position = ? WHERE id = ?
          """,
        arguments: [
          d.request.space.rawValue, d.spaceName, d.group, d.units.joined(separator: ","), d.request.date.description, d.request.slot.code,
          d.request.occupied.start, d.request.occupied.end, d.bufferMinutes, d.quote.total.amount, d.quote.facilityFee.amount,
          d.quote.equipmentFee.amount, d.quote.tax.amount, String(decoding: try JSONEncoder.sorted.encode(d), as: UTF8.self), position,
          e.booking.rawValue,
        ])
    case .cancelled(let e):
      try db.execute(
        sql: "UPDATE \"\(bookings)\" SET status = 'cancelled', cancellation_fee = ?, refund_due = ?, deadline = NULL, position = ? WHERE id = ?",
        arguments: [e.fee.amount, e.refundDue.amount, position, e.booking.rawValue])
    case .lapsed(let e):
      try db.execute(
        sql: "UPDATE \"\(bookings)\" SET status = 'lapsed', cancellation_fee = 0, position = ? WHERE id = ?", arguments: [position, e.booking.rawValue])
    case .used(let e):
      try db.execute(sql: "UPDATE \"\(bookings)\" SET status = 'used', position = ? WHERE id = ?", arguments: [position, e.booking.rawValue])
    case .noShow(let e):
      try db.execute(sql: "UPDATE \"\(bookings)\" SET status = 'no-show', position = ? WHERE id = ?", arguments: [position, e.booking.rawValue])
    }
  }

  private func money(
    _ booking: BookingID, _ kind: String, _ amount: Yen, _ method: PaymentMethod, _ receipt: String?, _ on: LocalDate, _ at: Timestamp,
    _ position: Int64, in db: Database, _ set: TableSet
  ) throws {
    try db.execute(
      sql: "INSERT INTO \"\(set.table("money"))\" (position, booking, kind, amount, method, receipt, on_date, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      arguments: [position, booking.rawValue, kind, amount.amount, method.rawValue, receipt, on.description, at.description])
  }
}

extension JSONEncoder {
  /// Keys sorted, so the same value is the same text in every rebuild.
  static var sorted: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }
}
