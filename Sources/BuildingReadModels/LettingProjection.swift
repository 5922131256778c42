import Building
public import EventLog
import Foundation
public import GRDB
public import Projections
import SharedKernel

/// The letting read model: the office units and the car park's spaces as registered (each
/// version kept, so a past month end sees them as they were), the leases and monthly parking
/// contracts with their current record, the invoices with what has been paid on them, the
/// payments and how they were applied, the visitor stays and the guest spaces held.
public struct LettingProjection: Projection {
  public let name = "letting"
  public let version = 1

  public init() {}

  public var eventTypes: Set<String> {
    Set(OfficeRegister.codec.types + CarParkRegister.codec.types + Lease.codec.types + ParkingContract.codec.types + VisitorDay.codec.types)
  }

  public var tables: [String] {
    [
      "office_units", "office_unit_versions", "leases", "lease_units", "invoices", "payments", "allocations", "parking_spaces",
      "parking_space_versions", "tariffs", "parking_contracts", "visitor_sessions", "guest_holds",
    ]
  }

  public func createTables(in db: Database, _ set: TableSet) throws {
    func t(_ name: String) -> String { set.table(name) }
    try db.execute(
      sql: """
        CREATE TABLE "\(t("office_units"))" (
          id TEXT PRIMARY KEY, seq INTEGER NOT NULL, floor INTEGER NOT NULL, name TEXT NOT NULL, area INTEGER NOT NULL,
          leasable INTEGER NOT NULL, note TEXT, from_date TEXT NOT NULL);
        CREATE TABLE "\(t("office_unit_versions"))" (
          unit TEXT NOT NULL, from_date TEXT NOT NULL, floor INTEGER NOT NULL, name TEXT NOT NULL, area INTEGER NOT NULL,
          leasable INTEGER NOT NULL, note TEXT, PRIMARY KEY (unit, from_date));
        CREATE TABLE "\(t("leases"))" (
          id TEXT PRIMARY KEY, tenant TEXT NOT NULL, tenant_kana TEXT NOT NULL, units TEXT NOT NULL, area INTEGER NOT NULL,
          start_date TEXT NOT NULL, term_end TEXT NOT NULL, renewal_months INTEGER, notice_on TEXT, notice_end TEXT, end_date TEXT,
          through TEXT, deposit_required INTEGER NOT NULL, deposit_held INTEGER NOT NULL, deposit_returned INTEGER,
          signed_on TEXT NOT NULL, record TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE INDEX "\(t("leases"))_kana" ON "\(t("leases"))"(tenant_kana);
        CREATE TABLE "\(t("lease_units"))" (lease TEXT NOT NULL, unit TEXT NOT NULL, PRIMARY KEY (unit, lease));
        CREATE TABLE "\(t("invoices"))" (
          number TEXT PRIMARY KEY, account TEXT NOT NULL, kind TEXT NOT NULL, billed_to TEXT NOT NULL, month TEXT NOT NULL,
          from_date TEXT NOT NULL, through TEXT NOT NULL, subtotal INTEGER NOT NULL, tax INTEGER NOT NULL, total INTEGER NOT NULL,
          paid INTEGER NOT NULL, due TEXT NOT NULL, issued_on TEXT NOT NULL, lines TEXT NOT NULL);
        CREATE INDEX "\(t("invoices"))_account" ON "\(t("invoices"))"(account, month);
        CREATE INDEX "\(t("invoices"))_due" ON "\(t("invoices"))"(due);
        CREATE TABLE "\(t("payments"))" (
          position INTEGER PRIMARY KEY, account TEXT NOT NULL, kind TEXT NOT NULL, amount INTEGER NOT NULL, method TEXT NOT NULL,
          on_date TEXT NOT NULL, at TEXT NOT NULL);
        CREATE INDEX "\(t("payments"))_account" ON "\(t("payments"))"(account);
        CREATE TABLE "\(t("allocations"))" (
          position INTEGER NOT NULL, invoice TEXT NOT NULL, amount INTEGER NOT NULL, on_date TEXT NOT NULL, PRIMARY KEY (position, invoice));
        CREATE INDEX "\(t("allocations"))_invoice" ON "\(t("allocations"))"(invoice, on_date);
        CREATE TABLE "\(t("parking_spaces"))" (
          id TEXT PRIMARY KEY, seq INTEGER NOT NULL, label TEXT NOT NULL, kind TEXT NOT NULL, size TEXT NOT NULL, from_date TEXT NOT NULL);
        CREATE TABLE "\(t("parking_space_versions"))" (
          space TEXT NOT NULL, from_date TEXT NOT NULL, label TEXT NOT NULL, kind TEXT NOT NULL, size TEXT NOT NULL,
          PRIMARY KEY (space, from_date));
        CREATE TABLE "\(t("tariffs"))" (from_date TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE "\(t("parking_contracts"))" (
          id TEXT PRIMARY KEY, contractor TEXT NOT NULL, contractor_kana TEXT NOT NULL, space TEXT NOT NULL, vehicle TEXT,
          start_date TEXT NOT NULL, term_end TEXT NOT NULL, renewal_months INTEGER, notice_on TEXT, notice_end TEXT, end_date TEXT,
          through TEXT, signed_on TEXT NOT NULL, record TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE INDEX "\(t("parking_contracts"))_space" ON "\(t("parking_contracts"))"(space);
        CREATE TABLE "\(t("visitor_sessions"))" (
          ticket TEXT PRIMARY KEY, date TEXT NOT NULL, plate TEXT, hold TEXT, entered_at TEXT NOT NULL, validated_booking TEXT,
          free_minutes INTEGER NOT NULL DEFAULT 0, exited_at TEXT, parked_seconds INTEGER, fee INTEGER, tax INTEGER);
        CREATE INDEX "\(t("visitor_sessions"))_date" ON "\(t("visitor_sessions"))"(date, exited_at);
        CREATE TABLE "\(t("guest_holds"))" (
          date TEXT NOT NULL, booking TEXT NOT NULL, spaces INTEGER NOT NULL, note TEXT, PRIMARY KEY (date, booking));
        """)
  }

  public func apply(_ event: RecordedEvent, in db: Database, _ set: TableSet) throws {
    if OfficeRegister.codec.reads(event.type) && event.stream.category == OfficeRegister.category {
      switch try OfficeRegister.codec.decode(event) {
      case .registered(let e): try unit(e.unit, from: e.from, in: db, set)
      case .changed(let e): try unit(e.unit, from: e.from, in: db, set)
      }
    } else if CarParkRegister.codec.reads(event.type) && event.stream.category == CarParkRegister.category {
      switch try CarParkRegister.codec.decode(event) {
      case .registered(let e): try space(e.space, from: e.from, in: db, set)
      case .changed(let e): try space(e.space, from: e.from, in: db, set)
      case .tariffSet(let e):
        try db.execute(
          sql: "INSERT OR REPLACE INTO \"\(set.table("tariffs"))\" (from_date, json) VALUES (?, ?)",
          arguments: [e.from.description, try Self.text(e.tariff)])
      }
    } else if event.stream.category == Lease.category {
      try lease(try Lease.codec.decode(event), position: event.position, in: db, set)
    } else if event.stream.category == ParkingContract.category {
      try parking(try ParkingContract.codec.decode(event), position: event.position, in: db, set)
    } else if event.stream.category == VisitorDay.category {
      try visitors(try VisitorDay.codec.decode(event), in: db, set)
    }
  }

  // MARK: Registers

  private func unit(_ unit: OfficeUnit, from: LocalDate, in db: Database, _ set: TableSet) throws {
    try db.execute(
      sql: """
        INSERT OR REPLACE INTO "\(set.table("office_unit_versions"))" (unit, from_date, floor, name, area, leasable, note)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [unit.id.rawValue, from.description, unit.floor, unit.name, unit.area.hundredths, unit.leasable, unit.note])
    let units = set.table("office_units")
    // A change is never dated before the latest version, so the row is the latest version.
    try db.execute(
      sql: """
        INSERT INTO "\(units)" (id, seq, floor, name, area, leasable, note, from_date)
        VALUES (?, (SELECT count(*) FROM "\(units)") + 1, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET floor = excluded.floor, name = excluded.name, area = excluded.area,
          leasable = excluded.leasable, note = excluded.note, from_date = excluded.from_date
        """,
      arguments: [unit.id.rawValue, unit.floor, unit.name, unit.area.hundredths, unit.leasable, unit.note, from.description])
  }

  private func space(_ space: ParkingSpace, from: LocalDate, in db: Database, _ set: TableSet) throws {
    try db.execute(
      sql: "INSERT OR REPLACE INTO \"\(set.table("parking_space_versions"))\" (space, from_date, label, kind, size) VALUES (?, ?, ?, ?, ?)",
      arguments: [space.id.rawValue, from.description, space.label, space.kind.rawValue, space.size.rawValue])
    let spaces = set.table("parking_spaces")
    try db.execute(
      sql: """
        INSERT INTO "\(spaces)" (id, seq, label, kind, size, from_date) VALUES (?, (SELECT count(*) FROM "\(spaces)") + 1, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET label = excluded.label, kind = excluded.kind, size = excluded.size, from_date = excluded.from_date
        """,
      arguments: [space.id.rawValue, space.label, space.kind.rawValue, space.size.rawValue, from.description])
  }

  // MARK: Leases and parking contracts

  private func lease(_ event: Lease.Event, position: Int64, in db: Database, _ set: TableSet) throws {
    let leases = set.table("leases")
    switch event {
    case .signed(let e):
      let record = ContractRecord(
        id: e.lease.rawValue, kind: .office, party: e.tenant, premises: e.units.map(\.unit.rawValue), units: e.units, space: nil, vehicle: nil,
        terms: e.terms, termEnd: e.terms.end, renewalMonths: e.terms.renewalMonths, renewals: [], notice: nil, termination: nil,
        depositRequired: e.deposit, depositHeld: .zero, depositSettlement: nil, signedOn: e.on)
      try db.execute(
        sql: """
          INSERT INTO "\(leases)" (id, tenant, tenant_kana, units, area, start_date, term_end, renewal_months, through, deposit_required,
            deposit_held, signed_on, record, position)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
          """,
        arguments: [
          e.lease.rawValue, e.tenant.name, e.tenant.nameKana, record.premises.joined(separator: ","),
          e.units.reduce(Int64(0)) { $0 + $1.area.hundredths }, e.terms.start.description, e.terms.end.description, e.terms.renewalMonths,
          record.through?.description, e.deposit.amount, e.on.description, try Self.text(record), position,
        ])
      for unit in record.premises {
        try db.execute(sql: "INSERT OR IGNORE INTO \"\(set.table("lease_units"))\" (lease, unit) VALUES (?, ?)", arguments: [e.lease.rawValue, unit])
      }
    case .depositReceived(let e):
      try update(leases, e.lease.rawValue, position: position, in: db) { $0.depositHeld = Yen(($0.depositHeld?.amount ?? 0) + e.amount.amount) }
    case .depositSettled(let e):
      try update(leases, e.lease.rawValue, position: position, in: db) { record in
        record.depositSettlement = e
        record.depositHeld = .zero
      }
    case .tenancy(let e): try tenancy(e, table: leases, kind: .office, position: position, in: db, set)
    }
  }

  private func parking(_ event: ParkingContract.Event, position: Int64, in db: Database, _ set: TableSet) throws {
    let contracts = set.table("parking_contracts")
    switch event {
    case .contracted(let e):
      let record = ContractRecord(
        id: e.contract.rawValue, kind: .parking, party: e.contractor, premises: [e.space.rawValue], units: nil, space: e.space.rawValue,
        vehicle: e.vehicle, terms: e.terms, termEnd: e.terms.end, renewalMonths: e.terms.renewalMonths, renewals: [], notice: nil,
        termination: nil, depositRequired: nil, depositHeld: nil, depositSettlement: nil, signedOn: e.on)
      try db.execute(
        sql: """
          INSERT INTO "\(contracts)" (id, contractor, contractor_kana, space, vehicle, start_date, term_end, renewal_months, through,
            signed_on, record, position)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          e.contract.rawValue, e.contractor.name, e.contractor.nameKana, e.space.rawValue, e.vehicle, e.terms.start.description,
          e.terms.end.description, e.terms.renewalMonths, record.through?.description, e.on.description, try Self.text(record), position,
        ])
    case .tenancy(let e): try tenancy(e, table: contracts, kind: .parking, position: position, in: db, set)
    }
  }

  private func tenancy(_ event: Tenancy.Event, table: String, kind: Ledger.Kind, position: Int64, in db: Database, _ set: TableSet) throws {
    switch event {
    case .renewed(let e):
      try update(table, e.contract, position: position, in: db) { record in
        record.termEnd = e.renewal.end
        record.renewalMonths = e.renewal.renewalMonths
        record.renewals.append(e.renewal)
      }
    case .noticeGiven(let e): try update(table, e.contract, position: position, in: db) { $0.notice = e.notice }
    case .terminated(let e): try update(table, e.contract, position: position, in: db) { $0.termination = e.termination }
    case .ledger(.invoiced(let e)):
      let i = e.invoice
      try db.execute(
        sql: """
          INSERT INTO "\(set.table("invoices"))" (number, account, kind, billed_to, month, from_date, through, subtotal, tax, total, paid, due,
            issued_on, lines)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
          """,
        arguments: [
          i.number, i.account, i.kind.rawValue, i.billedTo, i.month.description, i.from.description, i.through.description, i.subtotal.amount,
          i.tax.amount, i.total.amount, i.due.description, i.issuedOn.description, try Self.text(i.lines),
        ])
    case .ledger(.paid(let e)):
      try db.execute(
        sql: "INSERT INTO \"\(set.table("payments"))\" (position, account, kind, amount, method, on_date, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        arguments: [position, e.account, kind.rawValue, e.amount.amount, e.method.rawValue, e.on.description, e.at.description])
      for allocation in e.allocations {
        try db.execute(
          sql: "INSERT INTO \"\(set.table("allocations"))\" (position, invoice, amount, on_date) VALUES (?, ?, ?, ?)",
          arguments: [position, allocation.invoice, allocation.amount.amount, e.on.description])
        try db.execute(
          sql: "UPDATE \"\(set.table("invoices"))\" SET paid = paid + ? WHERE number = ?", arguments: [allocation.amount.amount, allocation.invoice])
      }
    }
  }

  /// Reads a contract's record, changes it, and writes it back with the columns derived from it.
  private func update(_ table: String, _ id: String, position: Int64, in db: Database, _ change: (inout ContractRecord) -> Void) throws {
    guard let json = try String.fetchOne(db, sql: "SELECT record FROM \"\(table)\" WHERE id = ?", arguments: [id]) else { return }
    var record = try JSONDecoder().decode(ContractRecord.self, from: Data(json.utf8))
    change(&record)
    try db.execute(
      sql: """
        UPDATE "\(table)" SET term_end = ?, renewal_months = ?, notice_on = ?, notice_end = ?, end_date = ?, through = ?, record = ?,
          position = ? WHERE id = ?
        """,
      arguments: [
        record.termEnd.description, record.renewalMonths, record.notice?.givenOn.description, record.notice?.end.description,
        record.termination?.end.description, record.through?.description, try Self.text(record), position, id,
      ])
    if record.kind == .office {
      try db.execute(
        sql: "UPDATE \"\(table)\" SET deposit_held = ?, deposit_returned = ? WHERE id = ?",
        arguments: [record.depositHeld?.amount ?? 0, record.depositSettlement?.returned.amount, id])
    }
  }

  // MARK: Visitors

  private func visitors(_ event: VisitorDay.Event, in db: Database, _ set: TableSet) throws {
    let sessions = set.table("visitor_sessions")
    switch event {
    case .entered(let e):
      try db.execute(
        sql: "INSERT INTO \"\(sessions)\" (ticket, date, plate, hold, entered_at) VALUES (?, ?, ?, ?, ?)",
        arguments: [e.ticket, e.date.description, e.plate, e.hold?.rawValue, e.at.description])
    case .validated(let e):
      try db.execute(
        sql: "UPDATE \"\(sessions)\" SET validated_booking = ?, free_minutes = ? WHERE ticket = ?",
        arguments: [e.booking.rawValue, e.freeMinutes, e.ticket])
    case .exited(let e):
      try db.execute(
        sql: "UPDATE \"\(sessions)\" SET exited_at = ?, parked_seconds = ?, free_minutes = ?, fee = ?, tax = ? WHERE ticket = ?",
        arguments: [e.at.description, e.parkedSeconds, e.freeMinutes, e.fee.amount, e.tax.amount, e.ticket])
    case .held(let e):
      try db.execute(
        sql: "INSERT OR REPLACE INTO \"\(set.table("guest_holds"))\" (date, booking, spaces, note) VALUES (?, ?, ?, ?)",
        arguments: [e.date.description, e.booking.rawValue, e.spaces, e.note])
    case .released(let e):
      try db.execute(
        sql: "DELETE FROM \"\(set.table("guest_holds"))\" WHERE date = ? AND booking = ?", arguments: [e.date.description, e.booking.rawValue])
    }
  }

  static func text(_ value: some Encodable) throws -> String { String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self) }
}
