import Building
import BuildingReadModels
import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// What a lease and a monthly parking contract have alike: their life (renewal, notice, the
/// end) and their ledger (a month's invoice, a payment). Each kind decides by its own context
/// type; the routes are built once for both (``TenancyRoutes``).
protocol TenancyOperations: Sendable {
  /// `/api/leases` or `/api/parking/contracts`.
  var path: String { get }
  /// `lease` or `parking contract`, for the summaries.
  var noun: String { get }
  var idParameter: RouteParameter { get }
  var kind: Ledger.Kind { get }
  /// The contract's stream, for its version (the ETag); 404 for an id that cannot be one.
  func stream(_ id: String) throws -> StreamName
  func renew(_ id: String, _ body: RenewalBody, _ t: Transaction) async throws -> Outcome<ContractAnswer>
  func giveNotice(_ id: String, _ body: NoticeBody, _ t: Transaction) async throws -> Outcome<ContractAnswer>
  func terminate(_ id: String, _ body: TerminationBody, _ t: Transaction) async throws -> Outcome<ContractAnswer>
  func invoice(_ id: String, month: YearMonth, _ t: Transaction) async throws -> Outcome<ContractAnswer>
  func pay(_ id: String, amount: Yen, method: Ledger.Method, invoice: String?, on: LocalDate?, _ t: Transaction) async throws -> Outcome<ContractAnswer>
}

/// Office leases, by the `Lease` context.
struct LeaseOperations: TenancyOperations {
  let letting: Letting
  var path: String { "/api/leases" }
  var noun: String { "lease" }
  var kind: Ledger.Kind { .office }
  func stream(_ id: String) throws -> StreamName { try Lease.stream(try Self.id(id)) }
  static let idParameter = RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The lease's id (l-…)")
  var idParameter: RouteParameter { Self.idParameter }

  static func id(_ text: String) throws -> LeaseID {
    do { return try LeaseID(text) } catch { throw Problem(.notFound, "その賃貸借契約はありません") }
  }

  func renew(_ id: String, _ body: RenewalBody, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    try await letting.change(try Self.id(id), t) { record, calendars, _, c throws(BuildingError) in
      try Lease.renew(record, end: body.end.date, charges: body.charges?.map(\.charge), renewalMonths: body.renewalMonths, c, calendars: calendars)
    }
  }

  func giveNotice(_ id: String, _ body: NoticeBody, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    try await letting.change(try Self.id(id), t) { record, calendars, _, c throws(BuildingError) in
      try Lease.giveNotice(record, end: body.end?.date, c, calendars: calendars)
    }
  }

  func terminate(_ id: String, _ body: TerminationBody, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    try await letting.change(try Self.id(id), t) { record, calendars, _, c throws(BuildingError) in
      try Lease.terminate(record, end: body.end.date, reason: body.reason, agreed: body.agreed ?? false, c, calendars: calendars)
    }
  }

  func invoice(_ id: String, month: YearMonth, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    try await letting.change(try Self.id(id), numbers: true, t) { record, _, numbers, c throws(BuildingError) in
      try Lease.invoice(record, month: month, c, numbers: numbers)
    }
  }

  func pay(_ id: String, amount: Yen, method: Ledger.Method, invoice: String?, on: LocalDate?, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    try await letting.leaseEvents(try Self.id(id), t) { record, c throws(BuildingError) in
      try Lease.pay(record, amount: amount, method: method, invoice: invoice, on: on, c)
    }
  }
}

/// Monthly parking contracts, by the `ParkingContract` context.
struct ParkingOperations: TenancyOperations {
  let letting: Letting
  var path: String { "/api/parking/contracts" }
  var noun: String { "parking contract" }
  var kind: Ledger.Kind { .parking }
  func stream(_ id: String) throws -> StreamName { try ParkingContract.stream(try Self.id(id)) }
  var idParameter: RouteParameter { RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The parking contract's id (pk-…)") }

  static func id(_ text: String) throws -> ParkingContractID {
    do { return try ParkingContractID(text) } catch { throw Problem(.notFound, "その駐車場契約はありません") }
  }

  func renew(_ id: String, _ body: RenewalBody, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    try await letting.change(try Self.id(id), t) { record, calendar, _, c throws(BuildingError) in
      try ParkingContract.renew(record, end: body.end.date, charges: body.charges?.map(\.charge), renewalMonths: body.renewalMonths, c, calendar: calendar)
    }
  }

  func giveNotice(_ id: String, _ body: NoticeBody, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    try await letting.change(try Self.id(id), t) { record, calendar, _, c throws(BuildingError) in
      try ParkingContract.giveNotice(record, end: body.end?.date, c, calendar: calendar)
    }
  }

  func terminate(_ id: String, _ body: TerminationBody, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    try await letting.change(try Self.id(id), t) { record, calendar, _, c throws(BuildingError) in
      try ParkingContract.terminate(record, end: body.end.date, reason: body.reason, agreed: body.agreed ?? false, c, calendar: calendar)
    }
  }

  func invoice(_ id: String, month: YearMonth, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    try await letting.change(try Self.id(id), numbers: true, t) { record, _, numbers, c throws(BuildingError) in
      try ParkingContract.invoice(record, month: month, c, numbers: numbers)
    }
  }

  func pay(_ id: String, amount: Yen, method: Ledger.Method, invoice: String?, on: LocalDate?, _ t: Transaction) async throws -> Outcome<ContractAnswer> {
    try await letting.parkingPayment(try Self.id(id), amount: amount, method: method, invoice: invoice, on: on, t)
  }
}

/// The routes a lease and a parking contract share: the list, one contract with its invoices
/// and payments, and the five changes under `{path}/{id}/`.
enum TenancyRoutes {
  static func all(
    _ operations: some TenancyOperations, readers: Access, writers access: Access, reads: LettingReads, store: any EventStore,
    write: @escaping WriteHandler
  ) -> [Route] {
    let parameter = operations.idParameter
    let noun = operations.noun
    let kind = operations.kind
    let object = Schema.object([:], open: true)
    let answer = [RouteResponse(200, "The \(noun) after the change", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])]
    @Sendable func route<Body: DocumentedBody & Sendable>(
      _ suffix: String, _ summary: String, _ body: Body.Type,
      _ perform: @escaping @Sendable (String, Body, Transaction) async throws -> Outcome<ContractAnswer>
    ) -> Route {
      Route(
        .post, "\(operations.path)/{id}/\(suffix)", summary: summary, access: access, appendsEvents: true, parameters: [parameter],
        requestBody: Body.schema, responses: answer, tag: "letting"
      ) { request, context in
        let id = try context.parameters.require("id")
        return try await write(request, context) { write, t in try await perform(id, try write.decode(Body.self), t) }
      }
    }
    return [
      Route(
        .get, operations.path, summary: "The \(noun)s in 50音 order of the \(kind == .office ? "tenant" : "contractor"), with their term, notice and end.",
        access: readers, responses: [RouteResponse(200, "The \(noun)s", schema: .array(object))], tag: "letting", readsModels: true
      ) { _, _ in try jsonResponse(try await reads.read { db, set in try LettingQueries.contracts(kind, in: db, set) }) },
      Route(
        .get, "\(operations.path)/{id}", summary: "One \(noun): its record, invoices and payments.", access: readers, parameters: [parameter],
        responses: [RouteResponse(200, "The \(noun)", schema: object, headers: ["ETag"])], tag: "letting", readsModels: true
      ) { _, context in
        let id = try context.parameters.require("id")
        let stream = try operations.stream(id)
        guard let detail = try await reads.read({ db, set in try LettingQueries.contract(id, kind, in: db, set) }) else {
          throw Problem(.notFound, BuildingError.unknownContract(id).description)
        }
        let version = try await store.version(of: stream)
        return try jsonResponse(detail, headers: version.map { [.eTag: ETag.make($0)] } ?? [:])
      },
      route("renewal", "合意更新 of a \(noun): a new term end, with new monthly charges from the day after the current term.", RenewalBody.self) {
        try await operations.renew($0, $1, $2)
      },
      route("notice", "解約予告 of a \(noun) given today, to end on a day the notice period allows (the earliest when none is named).", NoticeBody.self) {
        try await operations.giveNotice($0, $1, $2)
      },
      route(
        "termination", "End the \(noun) on a day (after notice, at the end of a fixed term, or by agreement); the premises are free after it.",
        TerminationBody.self
      ) { try await operations.terminate($0, $1, $2) },
      route(
        "invoices", "Issue a month's invoice of the \(noun) (the charges pro rata by days let, tax once per invoice), numbered I2022-00001 in the fiscal year.",
        InvoiceBody.self
      ) { id, body, t in try await operations.invoice(id, month: try body.yearMonth(), t) },
      route(
        "payments", "Record a payment for the \(noun): to the invoice named, or to the oldest unpaid first; never more than is owed.",
        LedgerPaymentBody.self
      ) { id, body, t in try await operations.pay(id, amount: Yen(body.amountYen), method: body.method, invoice: body.invoice, on: body.on?.date, t) },
    ]
  }

  /// A write decided in one transaction and answered as the conventions say.
  typealias WriteHandler = @Sendable (
    Request, KIPRequestContext, _ decide: @escaping (WriteRequest, Transaction) async throws -> Outcome<ContractAnswer>
  ) async throws -> Response
}
