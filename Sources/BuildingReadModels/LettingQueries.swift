public import Building
import Foundation
public import GRDB
public import Projections
public import SharedKernel

/// A lease's or a parking contract's current record as the letting read model keeps it (the
/// `record` column): who, what, the terms signed, every renewal, the notice and the end.
public struct ContractRecord: Sendable, Hashable, Codable {
  public var id: String
  public var kind: Ledger.Kind
  public var party: Party
  /// The units' or the space's ids.
  public var premises: [String]
  /// The units as let (leases).
  public var units: [LeasedUnit]?
  /// The space (parking contracts).
  public var space: String?
  public var vehicle: String?
  public var terms: TenancyTerms
  public var termEnd: LocalDate
  public var renewalMonths: Int?
  public var renewals: [Renewal]
  public var notice: NoticeOfTermination?
  public var termination: Termination?
  public var depositRequired: Yen?
  public var depositHeld: Yen?
  public var depositSettlement: Lease.DepositSettled?
  public var signedOn: LocalDate

  /// The last day let once known, as ``Tenancy/through`` says: the end, the notice's end, or the
  /// term end of a contract that does not renew itself.
  public var through: LocalDate? { termination?.end ?? notice?.end ?? (renewalMonths == nil ? termEnd : nil) }
}

/// An office unit as the register has it now.
public struct OfficeUnitRow: Sendable, Hashable, Codable {
  public var id: String
  public var floor: Int
  public var floorName: String
  public var name: String
  /// 契約面積 in hundredths of a ㎡.
  public var areaHundredths: Int64
  public var squareMetres: String
  /// The same in 坪 (1坪 = 400/121 ㎡), truncated.
  public var tsubo: String
  public var leasable: Bool
  public var note: String?
  /// The day the details shown apply from.
  public var from: LocalDate
}

/// A car-park space as the register has it now.
public struct ParkingSpaceRow: Sendable, Hashable, Codable {
  public var id: String
  public var label: String
  public var kind: ParkingKind
  public var size: ParkingSize
  public var from: LocalDate
}

/// A lease or a parking contract in a list.
public struct ContractSummary: Sendable, Hashable, Codable {
  public var id: String
  public var kind: Ledger.Kind
  public var party: String
  public var partyKana: String
  public var premises: [String]
  public var start: LocalDate
  public var termEnd: LocalDate
  public var renewalMonths: Int?
  /// The last day let, once known.
  public var through: LocalDate?
  public var noticeOn: LocalDate?
  public var noticeEnd: LocalDate?
  public var endedOn: LocalDate?
  /// 契約面積 (leases), hundredths of a ㎡.
  public var areaHundredths: Int64?
  public var depositRequiredYen: Yen?
  public var depositHeldYen: Yen?
}

/// An invoice with what has been paid on it.
public struct InvoiceRow: Sendable, Hashable, Codable {
  public var number: String
  public var account: String
  public var kind: Ledger.Kind
  public var billedTo: String
  public var month: YearMonth
  public var from: LocalDate
  public var through: LocalDate
  public var subtotalYen: Yen
  public var taxYen: Yen
  public var totalYen: Yen
  public var paidYen: Yen
  public var balanceYen: Yen
  public var due: LocalDate
  public var issuedOn: LocalDate
  public var lines: [Ledger.Line]
}

/// A payment received and the invoices it paid.
public struct PaymentRow: Sendable, Hashable, Codable {
  public var position: Int64
  public var account: String
  public var amountYen: Yen
  public var method: Ledger.Method
  public var on: LocalDate
  public var allocations: [AllocationRow]
}

/// Part of a payment applied to one invoice.
public struct AllocationRow: Sendable, Hashable, Codable {
  public var invoice: String
  public var amountYen: Yen
}

/// A contract with its record, invoices and payments.
public struct ContractDetail: Sendable, Hashable, Codable {
  public var summary: ContractSummary
  public var record: ContractRecord
  public var invoices: [InvoiceRow]
  public var payments: [PaymentRow]
}

/// 滞納: an invoice past its due date and not paid in full on a day.
public struct ArrearRow: Sendable, Hashable, Codable {
  public var invoice: String
  public var account: String
  public var kind: Ledger.Kind
  public var billedTo: String
  public var month: YearMonth
  public var due: LocalDate
  public var totalYen: Yen
  /// Paid by the day asked about.
  public var paidYen: Yen
  public var balanceYen: Yen
  /// 1 on the day after the due date.
  public var daysOverdue: Int
}

/// 稼働率 on one day, as ``OccupancyFigure`` counts it: what was let of what could be let, the
/// premises under notice counted among the let and listed apart.
public struct OccupancyRow: Sendable, Hashable, Codable {
  public var date: LocalDate
  /// `area` (hundredths of a ㎡) for offices, `spaces` for the car park.
  public var measure: String
  public var lettable: Int64
  public var occupied: Int64
  public var underNotice: Int64
  public var vacant: Int64
  /// Hundredths of a percent, truncated; nil with nothing to let.
  public var basisPoints: Int64?
  /// `95.23%`, or `—`.
  public var rate: String
  public var occupiedPremises: [String]
  public var underNoticePremises: [String]
  public var vacantPremises: [String]
  /// Offices: the areas as `123.45㎡（37.34坪）`.
  public var lettableArea: String?
  public var occupiedArea: String?
  public var underNoticeArea: String?
}

/// The visitor car park on one day.
public struct VisitorOccupancyRow: Sendable, Hashable, Codable {
  public var date: LocalDate
  public var spaces: Int
  public var parked: Int
  public var held: Int
  public var heldInUse: Int
  public var free: Int
  public var holds: [GuestHoldRow]
}

/// The visitor car park over a month: the stays that ended, those validated by a room user's
/// booking, the fees taken, and the most cars parked at once on any day.
public struct VisitorMonthRow: Sendable, Hashable, Codable {
  public var month: YearMonth
  /// Visitor spaces registered at the month's end.
  public var spaces: Int
  public var stays: Int
  public var validated: Int
  public var feesYen: Yen
  public var peakParked: Int
}

/// Spaces held for a booking's guests.
public struct GuestHoldRow: Sendable, Hashable, Codable {
  public var date: LocalDate
  public var booking: String
  public var spaces: Int
  public var note: String?
}

/// One visitor stay.
public struct VisitorSessionRow: Sendable, Hashable, Codable {
  public var ticket: String
  public var date: LocalDate
  public var plate: String?
  public var hold: String?
  public var enteredAt: String
  public var validatedBooking: String?
  public var freeMinutes: Int
  public var exitedAt: String?
  public var parkedSeconds: Int64?
  public var feeYen: Yen?
  public var taxYen: Yen?
}

/// The questions the letting routes ask of the `letting` read model.
public enum LettingQueries {
  static func date(_ text: String) throws -> LocalDate { try LocalDate(iso8601: text) }
  static func optionalDate(_ text: String?) throws -> LocalDate? { try text.map(date) }

  // MARK: Registers

  public static func units(in db: Database, _ set: TableSet) throws -> [OfficeUnitRow] {
    try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("office_units"))\" ORDER BY floor, seq").map { row in
      let area = FloorArea(hundredths: row["area"])
      let floor: Int = row["floor"]
      return OfficeUnitRow(
        id: row["id"], floor: floor, floorName: floor < 0 ? "B\(-floor)F" : "\(floor)F", name: row["name"], areaHundredths: area.hundredths,
        squareMetres: area.squareMetresText, tsubo: area.tsuboText, leasable: row["leasable"], note: row["note"], from: try date(row["from_date"]))
    }
  }

  public static func spaces(in db: Database, _ set: TableSet) throws -> [ParkingSpaceRow] {
    try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("parking_spaces"))\" ORDER BY seq").map { row in
      ParkingSpaceRow(
        id: row["id"], label: row["label"], kind: ParkingKind(rawValue: row["kind"]) ?? .visitor, size: ParkingSize(rawValue: row["size"]) ?? .standard,
        from: try date(row["from_date"]))
    }
  }

  // MARK: Contracts

  static func contractTable(_ kind: Ledger.Kind) -> String { kind == .office ? "leases" : "parking_contracts" }

  static func summary(_ row: Row, kind: Ledger.Kind) throws -> ContractSummary {
    let office = kind == .office
    let premises: String = office ? row["units"] : row["space"]
    return ContractSummary(
      id: row["id"], kind: kind, party: office ? row["tenant"] : row["contractor"], partyKana: office ? row["tenant_kana"] : row["contractor_kana"],
      premises: premises.split(separator: ",").map(String.init), start: try date(row["start_date"]), termEnd: try date(row["term_end"]),
      renewalMonths: row["renewal_months"], through: try optionalDate(row["through"]), noticeOn: try optionalDate(row["notice_on"]),
      noticeEnd: try optionalDate(row["notice_end"]), endedOn: try optionalDate(row["end_date"]), areaHundredths: office ? row["area"] : nil,
      depositRequiredYen: office ? Yen(row["deposit_required"] as Int64) : nil, depositHeldYen: office ? Yen(row["deposit_held"] as Int64) : nil)
  }

  /// The leases or the parking contracts, in 50音 order of the party.
  public static func contracts(_ kind: Ledger.Kind, in db: Database, _ set: TableSet) throws -> [ContractSummary] {
    let kana = kind == .office ? "tenant_kana" : "contractor_kana"
    return try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table(contractTable(kind)))\" ORDER BY \(kana), id").map { try summary($0, kind: kind) }
  }

  /// One lease or parking contract with its invoices and payments.
  public static func contract(_ id: String, _ kind: Ledger.Kind, in db: Database, _ set: TableSet) throws -> ContractDetail? {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \"\(set.table(contractTable(kind)))\" WHERE id = ?", arguments: [id]) else { return nil }
    let record = try JSONDecoder().decode(ContractRecord.self, from: Data((row["record"] as String).utf8))
    return ContractDetail(
      summary: try summary(row, kind: kind), record: record, invoices: try invoices(account: id, in: db, set), payments: try payments(account: id, in: db, set))
  }

  static func invoice(_ row: Row) throws -> InvoiceRow {
    let total = Yen(row["total"] as Int64), paid = Yen(row["paid"] as Int64)
    return InvoiceRow(
      number: row["number"], account: row["account"], kind: Ledger.Kind(rawValue: row["kind"]) ?? .office, billedTo: row["billed_to"],
      month: try YearMonth(iso8601: row["month"]), from: try date(row["from_date"]), through: try date(row["through"]),
      subtotalYen: Yen(row["subtotal"] as Int64), taxYen: Yen(row["tax"] as Int64), totalYen: total, paidYen: paid,
      balanceYen: Yen(total.amount - paid.amount), due: try date(row["due"]), issuedOn: try date(row["issued_on"]),
      lines: try JSONDecoder().decode([Ledger.Line].self, from: Data((row["lines"] as String).utf8)))
  }

  public static func invoices(account: String, in db: Database, _ set: TableSet) throws -> [InvoiceRow] {
    try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("invoices"))\" WHERE account = ? ORDER BY month, number", arguments: [account]).map(invoice)
  }

  /// The invoice numbered `number`, if issued.
  public static func invoice(numbered number: String, in db: Database, _ set: TableSet) throws -> InvoiceRow? {
    try Row.fetchOne(db, sql: "SELECT * FROM \"\(set.table("invoices"))\" WHERE number = ?", arguments: [number]).map(invoice)
  }

  public static func payments(account: String, in db: Database, _ set: TableSet) throws -> [PaymentRow] {
    try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("payments"))\" WHERE account = ? ORDER BY position", arguments: [account]).map { row in
      let position: Int64 = row["position"]
      let allocations = try Row.fetchAll(
        db, sql: "SELECT invoice, amount FROM \"\(set.table("allocations"))\" WHERE position = ? ORDER BY invoice", arguments: [position]
      ).map { AllocationRow(invoice: $0["invoice"], amountYen: Yen($0["amount"] as Int64)) }
      return PaymentRow(
        position: position, account: row["account"], amountYen: Yen(row["amount"] as Int64), method: Ledger.Method(rawValue: row["method"]) ?? .transfer,
        on: try date(row["on_date"]), allocations: allocations)
    }
  }

  /// The invoices overdue on `day` (due before it, issued by it, not paid in full by it), oldest
  /// due first: ``Ledger/State/arrears(asOf:)`` over every lease and contract.
  public static func arrears(on day: LocalDate, in db: Database, _ set: TableSet) throws -> [ArrearRow] {
    let d = day.description
    return try Row.fetchAll(
      db,
      sql: """
        SELECT i.*, coalesce((SELECT sum(a.amount) FROM "\(set.table("allocations"))" a WHERE a.invoice = i.number AND a.on_date <= ?), 0) AS paid_by
        FROM "\(set.table("invoices"))" i WHERE i.issued_on <= ? AND i.due < ? ORDER BY i.due, i.number
        """, arguments: [d, d, d]
    ).compactMap { row in
      let total = Yen(row["total"] as Int64), paid = Yen(row["paid_by"] as Int64)
      guard total.amount - paid.amount > 0 else { return nil }
      let due = try date(row["due"])
      return ArrearRow(
        invoice: row["number"], account: row["account"], kind: Ledger.Kind(rawValue: row["kind"]) ?? .office, billedTo: row["billed_to"],
        month: try YearMonth(iso8601: row["month"]), due: due, totalYen: total, paidYen: paid, balanceYen: Yen(total.amount - paid.amount),
        daysOverdue: due.days(to: day))
    }
  }

  // MARK: Occupancy

  /// Office occupancy on `day`: each unit as registered then, leasable ones counted by area.
  public static func officeOccupancy(on day: LocalDate, in db: Database, _ set: TableSet) throws -> OccupancyRow {
    let versions = set.table("office_unit_versions")
    let units = try Row.fetchAll(
      db,
      sql: """
        SELECT v.unit, v.area FROM "\(versions)" v JOIN "\(set.table("office_units"))" u ON u.id = v.unit
        WHERE v.leasable = 1 AND v.from_date = (SELECT max(w.from_date) FROM "\(versions)" w WHERE w.unit = v.unit AND w.from_date <= ?)
        ORDER BY u.seq
        """, arguments: [day.description]
    ).map { (key: $0["unit"] as String, measure: $0["area"] as Int64) }
    var figure = try occupancy(
      on: day, measure: "area", premises: units,
      holder: """
        SELECT l.notice_on FROM "\(set.table("lease_units"))" lu JOIN "\(set.table("leases"))" l ON l.id = lu.lease
        WHERE lu.unit = ? AND l.start_date <= ? AND (l.through IS NULL OR ? <= l.through) ORDER BY l.id LIMIT 1
        """, in: db)
    figure.lettableArea = FloorArea(hundredths: figure.lettable).description
    figure.occupiedArea = FloorArea(hundredths: figure.occupied).description
    figure.underNoticeArea = FloorArea(hundredths: figure.underNotice).description
    return figure
  }

  /// Monthly parking occupancy on `day`: each monthly space registered then, counted as one.
  public static func parkingOccupancy(on day: LocalDate, in db: Database, _ set: TableSet) throws -> OccupancyRow {
    let spaces = try inForce(on: day, kind: .monthly, in: db, set).map { (key: $0, measure: Int64(1)) }
    return try occupancy(
      on: day, measure: "spaces", premises: spaces,
      holder: """
        SELECT notice_on FROM "\(set.table("parking_contracts"))"
        WHERE space = ? AND start_date <= ? AND (through IS NULL OR ? <= through) ORDER BY id LIMIT 1
        """, in: db)
  }

  /// The spaces of `kind` registered on `day`, in the order registered.
  static func inForce(on day: LocalDate, kind: ParkingKind, in db: Database, _ set: TableSet) throws -> [String] {
    let versions = set.table("parking_space_versions")
    return try String.fetchAll(
      db,
      sql: """
        SELECT v.space FROM "\(versions)" v JOIN "\(set.table("parking_spaces"))" s ON s.id = v.space
        WHERE v.kind = ? AND v.from_date = (SELECT max(w.from_date) FROM "\(versions)" w WHERE w.space = v.space AND w.from_date <= ?)
        ORDER BY s.seq
        """, arguments: [kind.rawValue, day.description])
  }

  /// The figure over `premises`: `holder` finds the contract letting one on the day (its notice date, if any).
  static func occupancy(on day: LocalDate, measure: String, premises: [(key: String, measure: Int64)], holder: String, in db: Database) throws -> OccupancyRow {
    let d = day.description
    var row = OccupancyRow(
      date: day, measure: measure, lettable: 0, occupied: 0, underNotice: 0, vacant: 0, basisPoints: nil, rate: "—", occupiedPremises: [],
      underNoticePremises: [], vacantPremises: [])
    for item in premises {
      row.lettable += item.measure
      guard let held = try Row.fetchOne(db, sql: holder, arguments: [item.key, d, d]) else {
        row.vacantPremises.append(item.key)
        continue
      }
      row.occupied += item.measure
      row.occupiedPremises.append(item.key)
      if let notice = held["notice_on"] as String?, notice <= d {
        row.underNotice += item.measure
        row.underNoticePremises.append(item.key)
      }
    }
    row.vacant = row.lettable - row.occupied
    let share = Share(row.occupied, of: row.lettable)
    row.basisPoints = share.basisPoints
    row.rate = share.text
    return row
  }

  /// The visitor car park on `day`: as ``VisitorDay/State/occupancy(spaces:)`` counts it.
  public static func visitorOccupancy(on day: LocalDate, in db: Database, _ set: TableSet) throws -> VisitorOccupancyRow {
    let d = day.description
    let spaces = try inForce(on: day, kind: .visitor, in: db, set).count
    let holds = try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("guest_holds"))\" WHERE date = ? ORDER BY booking", arguments: [d]).map {
      GuestHoldRow(date: day, booking: $0["booking"], spaces: $0["spaces"], note: $0["note"])
    }
    let parked = try String?.fetchAll(
      db, sql: "SELECT hold FROM \"\(set.table("visitor_sessions"))\" WHERE date = ? AND exited_at IS NULL", arguments: [d])
    let held = Set(holds.map(\.booking))
    let underHolds = parked.filter { $0.map(held.contains) ?? false }.count
    let heldSpaces = holds.reduce(0) { $0 + $1.spaces }
    return VisitorOccupancyRow(
      date: day, spaces: spaces, parked: parked.count, held: heldSpaces, heldInUse: underHolds,
      free: max(0, spaces - heldSpaces - (parked.count - underHolds)), holds: holds)
  }

  /// The visitor tariff in force on `day` and the day it applies from; nil before the first.
  public static func tariff(on day: LocalDate, in db: Database, _ set: TableSet) throws -> (from: LocalDate, tariff: VisitorTariff)? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT from_date, json FROM \"\(set.table("tariffs"))\" WHERE from_date <= ? ORDER BY from_date DESC LIMIT 1",
        arguments: [day.description])
    else { return nil }
    return (try LocalDate(iso8601: row["from_date"]), try JSONDecoder().decode(VisitorTariff.self, from: Data((row["json"] as String).utf8)))
  }

  /// The visitor car park month by month over `year`.
  public static func visitorMonths(_ year: FiscalYear, in db: Database, _ set: TableSet) throws -> [VisitorMonthRow] {
    var rows = try year.months.map { month in
      VisitorMonthRow(
        month: month, spaces: try inForce(on: month.lastDay, kind: .visitor, in: db, set).count, stays: 0, validated: 0, feesYen: .zero, peakParked: 0)
    }
    var changes: [String: [(at: String, step: Int)]] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT date, entered_at, exited_at, validated_booking, fee FROM \"\(set.table("visitor_sessions"))\" WHERE date >= ? AND date <= ?",
      arguments: [year.firstDay.description, year.lastDay.description])
    {
      let date: String = row["date"]
      guard let index = rows.firstIndex(where: { $0.month.description == date.prefix(7) }) else { continue }
      changes[date, default: []].append((row["entered_at"], 1))
      guard let exited = row["exited_at"] as String? else { continue }
      changes[date, default: []].append((exited, -1))
      rows[index].stays += 1
      if (row["validated_booking"] as String?) != nil { rows[index].validated += 1 }
      rows[index].feesYen = Yen(rows[index].feesYen.amount + (row["fee"] ?? 0))
    }
    for (date, steps) in changes {
      guard let index = rows.firstIndex(where: { $0.month.description == date.prefix(7) }) else { continue }
      var parked = 0
      // Instants are ISO text in UTC, so text order is time order; a leaving car frees its space first.
      for step in steps.sorted(by: { ($0.at, $0.step) < ($1.at, $1.step) }) {
        parked += step.step
        rows[index].peakParked = max(rows[index].peakParked, parked)
      }
    }
    return rows
  }

  /// The stays of `day`, in ticket order.
  public static func visitorSessions(on day: LocalDate, in db: Database, _ set: TableSet) throws -> [VisitorSessionRow] {
    try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("visitor_sessions"))\" WHERE date = ? ORDER BY ticket", arguments: [day.description]).map { row in
      VisitorSessionRow(
        ticket: row["ticket"], date: day, plate: row["plate"], hold: row["hold"], enteredAt: row["entered_at"], validatedBooking: row["validated_booking"],
        freeMinutes: row["free_minutes"], exitedAt: row["exited_at"], parkedSeconds: row["parked_seconds"], feeYen: (row["fee"] as Int64?).map(Yen.init),
        taxYen: (row["tax"] as Int64?).map(Yen.init))
    }
  }
}
