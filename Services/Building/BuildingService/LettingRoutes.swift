import Building
import BuildingReadModels
import EventLog
import Foundation
import GRDB
import Hummingbird
import JapaneseCalendar
import Projections
import ServiceKit
import SharedKernel

/// Reading the letting read model: the live tables of the `letting` projection.
struct LettingReads: Sendable {
  let runner: ProjectionRunner

  func read<T: Sendable>(_ body: @escaping @Sendable (Database, TableSet) throws -> T) async throws -> T {
    try await runner.read("letting", body)
  }
}

/// The JSON API of the rental offices and the car park: the building manager lets units and
/// spaces and keeps their invoices and payments; the desk records visitors and reads.
enum LettingRoutes {
  static let readers: Access = .roles([.desk, .buildingManager, .auditor])
  static let deskStaff: Access = .roles([.desk, .buildingManager])
  static let manager: Access = .roles([.buildingManager])

  static func all(app: ServiceApplication, now: @escaping @Sendable () -> Date) -> [Route] {
    guard let runner = app.projections else { return [] }
    let letting = Letting(store: app.store, now: now)
    let reads = LettingReads(runner: runner)
    let service = app.configuration.serviceName
    let object = Schema.object([:], open: true)
    let contractAnswer = [RouteResponse(200, "The lease or contract after the change", schema: object, headers: ["ETag", "X-KIP-Position"])]
    let ticketParameter = RouteParameter("ticket", in: .path, schema: .string(maxLength: 32), "The parking ticket (20230420-0001)")
    let date = Schema.string(maxLength: 40, description: "ISO 2023-03-31 or 和暦 令和5年3月31日")

    @Sendable func write<Body: Encodable & Sendable>(
      _ request: Request, _ context: KIPRequestContext, _ decide: @escaping (WriteRequest, Transaction) async throws -> Outcome<Body>
    ) async throws -> Response {
      try await letting.decisions.respond(to: request, context: context, service: service, decide)
    }

    @Sendable func today() -> LocalDate { (try? LocalDate(japanTimeOf: now())) ?? LocalDate.earliest }

    @Sendable func dateParameter(_ request: Request, _ name: String) throws -> LocalDate {
      guard let text = try request.queryText(name, maxLength: 40) else { return today() }
      do { return try LocalDate(typed: text) } catch { throw Problem(.validationFailed, "\(name): \(error)", field: name) }
    }

    @Sendable func lease(_ context: KIPRequestContext) throws -> LeaseID { try LeaseOperations.id(try context.parameters.require("id")) }

    @Sendable func ticket(_ context: KIPRequestContext) throws -> String {
      guard let text = context.parameters.get("ticket"), !text.isEmpty else { throw Problem(.notFound, "その駐車券はありません") }
      return text
    }

    let leases = LeaseOperations(letting: letting), parking = ParkingOperations(letting: letting)

    return [
      // MARK: Offices
      Route(
        .get, "/api/offices", summary: "貸事務室台帳: the office units with their area in ㎡ and 坪, whether each is let to tenants.", access: readers,
        responses: [RouteResponse(200, "The units", schema: .array(object))], tag: "letting", readsModels: true
      ) { _, _ in try jsonResponse(try await reads.read { db, set in try LettingQueries.units(in: db, set) }) },
      Route(
        .post, "/api/offices", summary: "Register an office unit from a date (its area as drawn, in ㎡ with two decimals).", access: manager,
        appendsEvents: true, requestBody: UnitBody.schema,
        responses: [RouteResponse(201, "The unit", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        try await write(request, context) { write, t in
          let body = try write.decode(UnitBody.self)
          return try await letting.registerUnit(try body.unit(), from: body.from.date, change: false, t)
        }
      },
      Route(
        .post, "/api/offices/{unit}", summary: "Change a unit from a date (re-partitioned, let or no longer let); earlier months keep the old details.",
        access: manager, appendsEvents: true,
        parameters: [RouteParameter("unit", in: .path, schema: .string(maxLength: 128), "The unit's id (7F-701)")], requestBody: UnitChangeBody.schema,
        responses: [RouteResponse(200, "The unit", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        let unit: OfficeUnitID
        do { unit = try OfficeUnitID(try context.parameters.require("unit")) } catch { throw Problem(.notFound, "その区画はありません") }
        return try await write(request, context) { write, t in
          let body = try write.decode(UnitChangeBody.self)
          return try await letting.registerUnit(try body.unit(unit), from: body.from.date, change: true, t)
        }
      },

      // MARK: Leases
      Route(
        .post, "/api/leases", summary: "Sign a lease of leasable units from its start: rent and 共益費 monthly, the 敷金 to hold; 409 if a unit is let then.",
        access: manager, appendsEvents: true, requestBody: LeaseBody.schema,
        responses: [RouteResponse(201, "The lease", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        try await write(request, context) { write, t in
          try await letting.sign(try write.decode(LeaseBody.self).lease(id: newID("l", at: now())), t)
        }
      },
      Route(
        .post, "/api/leases/{id}/deposit", summary: "敷金 received (in parts, never beyond what the lease asks).", access: manager, appendsEvents: true,
        parameters: [LeaseOperations.idParameter], requestBody: DepositBody.schema, responses: contractAnswer, tag: "letting"
      ) { request, context in
        let id = try lease(context)
        return try await write(request, context) { write, t in
          let body = try write.decode(DepositBody.self)
          return try await letting.leaseEvents(id, t) { record, c throws(BuildingError) in
            try Lease.receiveDeposit(record, amount: Yen(body.amountYen), method: body.method, c)
          }
        }
      },
      Route(
        .post, "/api/leases/{id}/deposit-settlement", summary: "敷金精算 once the lease has ended: deductions with reasons; unpaid rent kept back pays the oldest invoices.",
        access: manager, appendsEvents: true, parameters: [LeaseOperations.idParameter], requestBody: SettlementBody.schema, responses: contractAnswer, tag: "letting"
      ) { request, context in
        let id = try lease(context)
        return try await write(request, context) { write, t in
          let body = try write.decode(SettlementBody.self)
          return try await letting.leaseEvents(id, t) { record, c throws(BuildingError) in
            try Lease.settleDeposit(record, deductions: body.deductions.map(\.deduction), c)
          }
        }
      },

      // MARK: Invoices and arrears
      Route(
        .get, "/api/invoices/{number}", summary: "One invoice with what has been paid on it.", access: readers,
        parameters: [RouteParameter("number", in: .path, schema: .string(maxLength: 32), "The invoice number (I2022-00001)")],
        responses: [RouteResponse(200, "The invoice", schema: object)], tag: "letting", readsModels: true
      ) { _, context in
        let number = context.parameters.get("number") ?? ""
        guard let invoice = try await reads.read({ db, set in try LettingQueries.invoice(numbered: number, in: db, set) }) else {
          throw Problem(.notFound, BuildingError.unknownInvoice(number).description)
        }
        return try jsonResponse(invoice)
      },
      Route(
        .post, "/api/invoices/{number}/payments", summary: "Record a payment of one invoice (of a lease or a parking contract); 404 for an invoice never issued.",
        access: manager, appendsEvents: true,
        parameters: [RouteParameter("number", in: .path, schema: .string(maxLength: 32), "The invoice number (I2022-00001)")],
        requestBody: InvoicePaymentBody.schema, responses: contractAnswer, tag: "letting"
      ) { request, context in
        let number = context.parameters.get("number") ?? ""
        return try await write(request, context) { write, t in
          let body = try write.decode(InvoicePaymentBody.self)
          guard let account = try await letting.invoiceAccount(number, t) else {
            throw Problem(.notFound, BuildingError.unknownInvoice(number).description)
          }
          let operations: any TenancyOperations = try await letting.isLease(account, t) ? leases : parking
          return try await operations.pay(account, amount: Yen(body.amountYen), method: body.method, invoice: number, on: body.on?.date, t)
        }
      },
      Route(
        .get, "/api/arrears", summary: "滞納: the invoices overdue on a day (default today) and not paid in full by it, with the days overdue.",
        access: readers, parameters: [RouteParameter("on", in: .query, schema: date, "The day (default today)")],
        responses: [RouteResponse(200, "The arrears", schema: .array(object))], tag: "letting", readsModels: true
      ) { request, _ in
        let day = try dateParameter(request, "on")
        return try jsonResponse(try await reads.read { db, set in try LettingQueries.arrears(on: day, in: db, set) })
      },

      // MARK: The car park
      Route(
        .get, "/api/parking/spaces", summary: "駐車場台帳: the car park's spaces, monthly or for visitors.", access: readers,
        responses: [RouteResponse(200, "The spaces", schema: .array(object))], tag: "letting", readsModels: true
      ) { _, _ in try jsonResponse(try await reads.read { db, set in try LettingQueries.spaces(in: db, set) }) },
      Route(
        .post, "/api/parking/spaces", summary: "Register a parking space from a date: monthly (月極) or for visitors by the hour.", access: manager,
        appendsEvents: true, requestBody: SpaceBody.schema,
        responses: [RouteResponse(201, "The space", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        try await write(request, context) { write, t in
          let body = try write.decode(SpaceBody.self)
          return try await letting.registerSpace(body.space, from: body.from.date, change: false, t)
        }
      },
      Route(
        .get, "/api/parking/tariff", summary: "来客駐車料金 in force on a day (default today), and the day it applies from; 404 before any is set.",
        access: readers, parameters: [RouteParameter("on", in: .query, schema: date, "The day (default today)")],
        responses: [RouteResponse(200, "The tariff", schema: object)], tag: "letting", readsModels: true
      ) { request, _ in
        let day = try dateParameter(request, "on")
        guard let found = try await reads.read({ db, set in try LettingQueries.tariff(on: day, in: db, set) }) else {
          throw Problem(.notFound, "\(day) に適用される来客駐車料金はありません")
        }
        return try jsonResponse(TariffAnswer(from: found.from, tariff: found.tariff))
      },
      Route(
        .post, "/api/parking/tariff", summary: "来客駐車料金: the visitor tariff from a date (fee per started unit, daily cap, free time for bookings, hours).",
        access: manager, appendsEvents: true, requestBody: TariffBody.schema,
        responses: [RouteResponse(200, "The tariff", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        try await write(request, context) { write, t in
          let body = try write.decode(TariffBody.self)
          return try await letting.setTariff(body.tariff, from: body.from.date, t)
        }
      },
      Route(
        .post, "/api/parking/contracts", summary: "月極契約: let a monthly space from its start at a monthly fee (税込 by default); 409 if it is let then.",
        access: manager, appendsEvents: true, requestBody: ParkingContractBody.schema,
        responses: [RouteResponse(201, "The contract", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        try await write(request, context) { write, t in
          try await letting.contract(try write.decode(ParkingContractBody.self).contract(id: newID("pk", at: now())), t)
        }
      },

      // MARK: Visitors
      Route(
        .get, "/api/parking/visitors", summary: "The visitor stays of a day (default today), with their fees once they have left.", access: readers,
        parameters: [RouteParameter("date", in: .query, schema: date, "The day (default today)")],
        responses: [RouteResponse(200, "The stays", schema: .array(object))], tag: "letting", readsModels: true
      ) { request, _ in
        let day = try dateParameter(request, "date")
        return try jsonResponse(try await reads.read { db, set in try LettingQueries.visitorSessions(on: day, in: db, set) })
      },
      Route(
        .post, "/api/parking/visitors", summary: "入庫: a visitor's car enters now and takes a ticket (into a booking's held guest spaces, or a free one); 422 when full.",
        access: deskStaff, appendsEvents: true, requestBody: VisitorEntryBody.schema,
        responses: [RouteResponse(201, "The stay and its ticket", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        try await write(request, context) { write, t in
          let body = try write.decode(VisitorEntryBody.self)
          return try await letting.enter(plate: body.plate, hold: body.hold, t)
        }
      },
      Route(
        .post, "/api/parking/visitors/{ticket}/validation", summary: "駐車サービス認証: a booking of the stay's day (confirmed or used) gives its hours plus the tariff's extra minutes free.",
        access: deskStaff, appendsEvents: true, parameters: [ticketParameter], requestBody: ValidationBody.schema,
        responses: [RouteResponse(200, "The stay with its free minutes", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        let ticket = try ticket(context)
        return try await write(request, context) { write, t in
          try await letting.validate(ticket: ticket, booking: try write.decode(ValidationBody.self).booking, t)
        }
      },
      Route(
        .post, "/api/parking/visitors/{ticket}/exit", summary: "出庫: the car leaves now; answers the fee (税込, to the yen) for its stay less its free time.",
        access: deskStaff, appendsEvents: true, parameters: [ticketParameter],
        responses: [RouteResponse(200, "The stay with its fee", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        let ticket = try ticket(context)
        return try await write(request, context) { _, t in try await letting.exit(ticket: ticket, t) }
      },
      Route(
        .post, "/api/parking/guest-holds", summary: "Hold visitor spaces all day for a booking's guests (a hall event); holding again changes the number.",
        access: deskStaff, appendsEvents: true, requestBody: GuestHoldBody.schema,
        responses: [RouteResponse(200, "The hold and the day's visitor spaces", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        try await write(request, context) { write, t in
          let body = try write.decode(GuestHoldBody.self)
          return try await letting.holdGuestSpaces(for: body.booking, spaces: body.spaces, note: body.note, t)
        }
      },
      Route(
        .delete, "/api/parking/guest-holds/{booking}", summary: "Give a booking's guest spaces back (guests parked in them stay, as ordinary visitors).",
        access: deskStaff, appendsEvents: true,
        parameters: [RouteParameter("booking", in: .path, schema: .string(maxLength: 128), "The booking's id")],
        responses: [RouteResponse(200, "The day's visitor spaces", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "letting"
      ) { request, context in
        let booking: BookingID
        do { booking = try BookingID(try context.parameters.require("booking")) } catch { throw Problem(.notFound, "その予約はありません") }
        return try await write(request, context) { _, t in try await letting.releaseGuestSpaces(for: booking, t) }
      },
      Route(
        .get, "/api/parking/occupancy", summary: "The car park on a day (default today): monthly spaces let, under notice and vacant; visitor spaces parked, held and free.",
        access: readers, parameters: [RouteParameter("on", in: .query, schema: date, "The day (default today)")],
        responses: [RouteResponse(200, "The car park", schema: .object(["monthly": object, "visitors": object], required: ["monthly", "visitors"]))],
        tag: "letting", readsModels: true
      ) { request, _ in
        let day = try dateParameter(request, "on")
        return try jsonResponse(
          try await reads.read { db, set in
            CarParkNow(monthly: try LettingQueries.parkingOccupancy(on: day, in: db, set), visitors: try LettingQueries.visitorOccupancy(on: day, in: db, set))
          })
      },
    ]
      + TenancyRoutes.all(leases, readers: readers, writers: manager, reads: reads, store: app.store) { try await write($0, $1, $2) }
      + TenancyRoutes.all(parking, readers: readers, writers: manager, reads: reads, store: app.store) { try await write($0, $1, $2) }
  }
}

/// The car park on a day.
struct CarParkNow: Codable, Sendable {
  var monthly: OccupancyRow
  var visitors: VisitorOccupancyRow
}

// MARK: - Request bodies

/// 契約者 as sent: a company's or a person's name, its reading, and how to reach them.
struct PartyBody: Decodable, Sendable {
  var name: String
  var nameKana: String
  var corporateNumber: String?
  var contactPerson: String?
  var phone: String?
  var email: String?

  var party: Party {
    Party(name: name, nameKana: nameKana, corporateNumber: corporateNumber, contactPerson: contactPerson, phone: phone, email: email)
  }

  static let schema = Schema.object(
    [
      "name": .string(maxLength: 100), "nameKana": .string(maxLength: 100), "corporateNumber": .string(maxLength: 20),
      "contactPerson": .string(maxLength: 100), "phone": .string(maxLength: 20), "email": .string(maxLength: 200),
    ], required: ["name", "nameKana"])
}

/// A monthly charge as sent (賃料, 共益費, 駐車料).
struct ChargeBody: Decodable, Sendable {
  var label: String
  var amountYen: Int64

  var charge: MonthlyCharge { MonthlyCharge(label: label, amount: Yen(amountYen)) }

  static let schema = Schema.object(
    ["label": .string(maxLength: 40), "amountYen": .integer(minimum: -100_000_000, maximum: 100_000_000)], required: ["label", "amountYen"])
}

/// An office unit to register.
struct UnitBody: DocumentedBody, Sendable {
  var id: OfficeUnitID
  var floor: Int
  var name: String
  var area: String
  var leasable: Bool?
  var note: String?
  var from: DateInput

  func unit() throws(Problem) -> OfficeUnit {
    try UnitChangeBody(floor: floor, name: name, area: area, leasable: leasable, note: note, from: from).unit(id)
  }

  static let schema = Schema.object(
    UnitChangeBody.properties.merging(["id": .string(maxLength: 40, description: "The unit's id, e.g. 7F-701")]) { a, _ in a },
    required: ["id", "floor", "name", "area", "from"])
}

/// A unit's new details from a date.
struct UnitChangeBody: DocumentedBody, Sendable {
  var floor: Int
  var name: String
  var area: String
  var leasable: Bool?
  var note: String?
  var from: DateInput

  func unit(_ id: OfficeUnitID) throws(Problem) -> OfficeUnit {
    let area: FloorArea
    do { area = try FloorArea(squareMetres: self.area) } catch { throw error.problem }
    return OfficeUnit(id: id, floor: floor, name: name, area: area, leasable: leasable ?? true, note: note)
  }

  static let properties: [String: Schema] = [
    "floor": .integer(minimum: -5, maximum: 60, description: "7 for 7F, -1 for B1F"), "name": .string(maxLength: 50),
    "area": .string(maxLength: 20, description: "契約面積 in ㎡, e.g. 123.45"), "leasable": .boolean, "note": .string(maxLength: 200),
    "from": .string(maxLength: 40, description: "The day these details apply from (ISO or 和暦)"),
  ]
  static let schema = Schema.object(properties, required: ["floor", "name", "area", "from"])
}

/// A lease to sign.
struct LeaseBody: DocumentedBody, Sendable {
  var tenant: PartyBody
  var units: [OfficeUnitID]
  var start: DateInput
  var end: DateInput
  var renewalMonths: Int?
  var noticeMonths: Int?
  var charges: [ChargeBody]
  var basis: TaxBasis?
  var taxPercent: Int?
  var depositYen: Int64?

  func lease(id: LeaseID) -> NewLease {
    NewLease(
      id: id, tenant: tenant.party, units: units,
      terms: TenancyTerms(
        start: start.date, end: end.date, renewalMonths: renewalMonths, noticeMonths: noticeMonths ?? 6, charges: charges.map(\.charge),
        basis: basis ?? .exclusive, taxPercent: taxPercent ?? 10),
      deposit: Yen(depositYen ?? 0))
  }

  static let schema = Schema.object(
    [
      "tenant": PartyBody.schema, "units": .array(.string(maxLength: 40), maxItems: 50), "start": .string(maxLength: 40, description: "The first day let"),
      "end": .string(maxLength: 40, description: "The last day of the first term"),
      "renewalMonths": .integer(minimum: 1, maximum: 120, description: "自動更新: months each renewal adds (none: a fixed term)"),
      "noticeMonths": .integer(minimum: 0, maximum: 24, description: "解約予告 months (default 6)"), "charges": .array(ChargeBody.schema, maxItems: 10),
      "basis": .string(values: TaxBasis.allCases.map(\.rawValue)), "taxPercent": .integer(minimum: 0, maximum: 100),
      "depositYen": .integer(minimum: -1_000_000_000, maximum: 1_000_000_000, description: "敷金"),
    ], required: ["tenant", "units", "start", "end", "charges"])
}

/// A monthly parking contract to sign.
struct ParkingContractBody: DocumentedBody, Sendable {
  var contractor: PartyBody
  var space: ParkingSpaceID
  var vehicle: String?
  var start: DateInput
  var end: DateInput
  var renewalMonths: Int?
  var noticeMonths: Int?
  var feeYen: Int64
  var basis: TaxBasis?
  var taxPercent: Int?

  func contract(id: ParkingContractID) -> NewParkingContract {
    NewParkingContract(
      id: id, contractor: contractor.party, space: space, vehicle: vehicle,
      terms: TenancyTerms(
        start: start.date, end: end.date, renewalMonths: renewalMonths, noticeMonths: noticeMonths ?? 1,
        charges: [MonthlyCharge(label: "駐車料", amount: Yen(feeYen))], basis: basis ?? .inclusive, taxPercent: taxPercent ?? 10))
  }

  static let schema = Schema.object(
    [
      "contractor": PartyBody.schema, "space": .string(maxLength: 40), "vehicle": .string(maxLength: 40), "start": .string(maxLength: 40),
      "end": .string(maxLength: 40), "renewalMonths": .integer(minimum: 1, maximum: 120), "noticeMonths": .integer(minimum: 0, maximum: 24),
      "feeYen": .integer(minimum: -100_000_000, maximum: 100_000_000, description: "駐車料 per month"),
      "basis": .string(values: TaxBasis.allCases.map(\.rawValue)), "taxPercent": .integer(minimum: 0, maximum: 100),
    ], required: ["contractor", "space", "start", "end", "feeYen"])
}

/// 敷金 received.
struct DepositBody: DocumentedBody, Sendable {
  var amountYen: Int64
  var method: Ledger.Method

  static let schema = Schema.object(
    ["amountYen": .integer(minimum: -1_000_000_000, maximum: 1_000_000_000), "method": .string(values: Ledger.Method.allCases.map(\.rawValue))],
    required: ["amountYen", "method"])
}

/// 合意更新.
struct RenewalBody: DocumentedBody, Sendable {
  var end: DateInput
  var charges: [ChargeBody]?
  var renewalMonths: Int?

  static let schema = Schema.object(
    ["end": .string(maxLength: 40), "charges": .array(ChargeBody.schema, maxItems: 10), "renewalMonths": .integer(minimum: 1, maximum: 120)],
    required: ["end"])
}

/// 解約予告.
struct NoticeBody: DocumentedBody, Sendable {
  var end: DateInput?

  static let schema = Schema.object(["end": .string(maxLength: 40, description: "The last day let (default: the earliest the notice allows)")])
}

/// 解約・終了.
struct TerminationBody: DocumentedBody, Sendable {
  var end: DateInput
  var reason: String
  var agreed: Bool?

  static let schema = Schema.object(
    ["end": .string(maxLength: 40, description: "The last day let"), "reason": .string(maxLength: 200), "agreed": .boolean], required: ["end", "reason"])
}

/// 敷金精算.
struct SettlementBody: DocumentedBody, Sendable {
  /// One deduction as sent.
  struct DeductionBody: Decodable, Sendable {
    var kind: DeductionKind
    var reason: String
    var amountYen: Int64
    var deduction: Deduction { Deduction(kind: kind, reason: reason, amount: Yen(amountYen)) }
  }
  var deductions: [DeductionBody]

  static let schema = Schema.object(
    [
      "deductions": .array(
        .object(
          [
            "kind": .string(values: DeductionKind.allCases.map(\.rawValue)), "reason": .string(maxLength: 200),
            "amountYen": .integer(minimum: -1_000_000_000, maximum: 1_000_000_000),
          ], required: ["kind", "reason", "amountYen"]), maxItems: 20)
    ], required: ["deductions"])
}

/// The month to invoice.
struct InvoiceBody: DocumentedBody, Sendable {
  var month: String

  func yearMonth() throws(Problem) -> YearMonth {
    do { return try YearMonth(iso8601: month) } catch { throw Problem(.validationFailed, "month: \(error.description)（例: 2022-05）", field: "month") }
  }

  static let schema = Schema.object(["month": .string(maxLength: 7, description: "The month billed, 2022-05")], required: ["month"])
}

/// A payment of a lease or parking contract.
struct LedgerPaymentBody: DocumentedBody, Sendable {
  var amountYen: Int64
  var method: Ledger.Method
  var invoice: String?
  var on: DateInput?

  static let schema = Schema.object(
    [
      "amountYen": .integer(minimum: -1_000_000_000, maximum: 1_000_000_000), "method": .string(values: Ledger.Method.allCases.map(\.rawValue)),
      "invoice": .string(maxLength: 32, description: "The invoice paid (default: the oldest unpaid first)"),
      "on": .string(maxLength: 40, description: "The day received (default today, never later)"),
    ], required: ["amountYen", "method"])
}

/// A payment of one invoice.
struct InvoicePaymentBody: DocumentedBody, Sendable {
  var amountYen: Int64
  var method: Ledger.Method
  var on: DateInput?

  static let schema = Schema.object(
    [
      "amountYen": .integer(minimum: -1_000_000_000, maximum: 1_000_000_000), "method": .string(values: Ledger.Method.allCases.map(\.rawValue)),
      "on": .string(maxLength: 40, description: "The day received (default today, never later)"),
    ], required: ["amountYen", "method"])
}

/// A parking space to register.
struct SpaceBody: DocumentedBody, Sendable {
  var id: ParkingSpaceID
  var label: String
  var kind: ParkingKind
  var size: ParkingSize?
  var from: DateInput

  var space: ParkingSpace { ParkingSpace(id: id, label: label, kind: kind, size: size ?? .standard) }

  static let schema = Schema.object(
    [
      "id": .string(maxLength: 40, description: "e.g. M-01, V-01"), "label": .string(maxLength: 30), "kind": .string(values: ParkingKind.allCases.map(\.rawValue)),
      "size": .string(values: ParkingSize.allCases.map(\.rawValue)), "from": .string(maxLength: 40),
    ], required: ["id", "label", "kind", "from"])
}

/// The visitor tariff from a date; what is left out is the usual (¥300 per 30 minutes, at most ¥2,000 a day, 08:00–22:00).
struct TariffBody: DocumentedBody, Sendable {
  var from: DateInput
  var unitMinutes: Int?
  var unitFeeYen: Int64?
  var dailyCapYen: Int64?
  var graceMinutes: Int?
  var validationExtraMinutes: Int?
  var validationsPerBooking: Int?
  var opens: String?
  var closes: String?
  var taxPercent: Int?

  var tariff: VisitorTariff {
    let usual = VisitorTariff()
    return VisitorTariff(
      unitMinutes: unitMinutes ?? usual.unitMinutes, unitFee: unitFeeYen.map(Yen.init) ?? usual.unitFee,
      dailyCap: dailyCapYen.map { $0 == 0 ? nil : Yen($0) } ?? usual.dailyCap, graceMinutes: graceMinutes ?? usual.graceMinutes,
      validationExtraMinutes: validationExtraMinutes ?? usual.validationExtraMinutes, validationsPerBooking: validationsPerBooking ?? usual.validationsPerBooking,
      opens: opens ?? usual.opens, closes: closes ?? usual.closes, taxPercent: taxPercent ?? usual.taxPercent)
  }

  static let schema = Schema.object(
    [
      "from": .string(maxLength: 40), "unitMinutes": .integer(minimum: -1_000, maximum: 1_000), "unitFeeYen": .integer(minimum: -1_000_000, maximum: 1_000_000),
      "dailyCapYen": .integer(minimum: 0, maximum: 10_000_000, description: "最大料金 per 24 hours (0: none)"),
      "graceMinutes": .integer(minimum: -1_000, maximum: 1_000), "validationExtraMinutes": .integer(minimum: -1_000, maximum: 1_000),
      "validationsPerBooking": .integer(minimum: -1_000, maximum: 1_000), "opens": .string(maxLength: 5, description: "08:00"),
      "closes": .string(maxLength: 5, description: "22:00"), "taxPercent": .integer(minimum: -1_000, maximum: 1_000),
    ], required: ["from"])
}

/// A visitor's entry.
struct VisitorEntryBody: DocumentedBody, Sendable {
  var plate: String?
  var hold: BookingID?

  static let schema = Schema.object(
    ["plate": .string(maxLength: 40, description: "車両番号, when read"), "hold": .string(maxLength: 128, description: "The booking whose held guest spaces it parks in")])
}

/// The booking that validates a stay.
struct ValidationBody: DocumentedBody, Sendable {
  var booking: BookingID

  static let schema = Schema.object(["booking": .string(maxLength: 128, description: "A room or hall booking of the stay's day")], required: ["booking"])
}

/// Guest spaces to hold for a booking.
struct GuestHoldBody: DocumentedBody, Sendable {
  var booking: BookingID
  var spaces: Int
  var note: String?

  static let schema = Schema.object(
    ["booking": .string(maxLength: 128), "spaces": .integer(minimum: 0, maximum: 1_000), "note": .string(maxLength: 200)], required: ["booking", "spaces"])
}
