import Building
import BuildingReadModels
import EventLog
import Foundation
import GRDB
import Hummingbird
import Projections
import ServiceKit
import SharedKernel
import Synchronization

/// Reading the desk's read model: the live tables of the `building` projection.
struct DeskReads: Sendable {
  let runner: ProjectionRunner
  /// Decoded catalogue versions: a version's content never changes once published, so the grid
  /// and the quotes decode each one once, not on every request.
  private let decoded = CatalogueVersions()

  init(runner: ProjectionRunner) { self.runner = runner }

  func read<T: Sendable>(_ body: @escaping @Sendable (Database, TableSet) throws -> T) async throws -> T {
    try await runner.read("building", body)
  }

  /// The catalogue in force, as the read model has it.
  func catalogue() async throws -> (version: Int, catalogue: Catalogue) {
    let latest = try await read { db, set in try Int.fetchOne(db, sql: "SELECT max(version) FROM \"\(set.table("catalogue"))\"") }
    guard let latest else { throw BuildingError.noCatalogue.problem }
    return (latest, try await catalogue(version: latest))
  }

  /// Version `number` of the catalogue (a booking's own).
  func catalogue(version number: Int) async throws -> Catalogue {
    if let known = decoded.version(number) { return known }
    let json = try await read { db, set in
      try String.fetchOne(db, sql: "SELECT json FROM \"\(set.table("catalogue"))\" WHERE version = ?", arguments: [number])
    }
    guard let json else { throw BuildingError.noCatalogue.problem }
    let catalogue = try JSONDecoder().decode(Catalogue.self, from: Data(json.utf8))
    decoded.remember(catalogue, as: number)
    return catalogue
  }

  /// The closures in force.
  func closures() async throws -> Closures.State {
    try await read { db, set in
      var state = Closures.State()
      state.closures = try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("closures"))\" WHERE lifted = 0 ORDER BY from_date, id").map { row in
        Closures.Closure(
          id: row["id"], from: try LocalDate(iso8601: row["from_date"]), to: try LocalDate(iso8601: row["to_date"]),
          spaces: try (row["spaces"] as String).split(separator: ",").map { try SpaceID(String($0)) }, reason: row["reason"])
      }
      return state
    }
  }
}

/// The catalogue versions decoded so far.
final class CatalogueVersions: Sendable {
  private let versions = Mutex<[Int: Catalogue]>([:])
  func version(_ number: Int) -> Catalogue? { versions.withLock { $0[number] } }
  func remember(_ catalogue: Catalogue, as number: Int) { versions.withLock { $0[number] = catalogue } }
}

/// The JSON API of the desk (DESIGN.md's service conventions).
enum APIRoutes {
  static let readers: Access = .roles([.desk, .buildingManager, .auditor])
  static let deskStaff: Access = .roles([.desk, .buildingManager])
  static let manager: Access = .roles([.buildingManager])

  static func all(app: ServiceApplication, desk: Desk, reads: DeskReads) -> [Route] {
    let service = app.configuration.serviceName
    let id = RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The booking's id")
    let booking = [RouteResponse(200, "The booking", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])]
    let date = Schema.string(description: "ISO 2023-03-31 or 和暦 令和5年3月31日")

    @Sendable func write<Body: Encodable & Sendable>(
      _ request: Request, _ context: KIPRequestContext, _ decide: @escaping (WriteRequest, Transaction) async throws -> Outcome<Body>
    ) async throws -> Response {
      try await desk.decisions.respond(to: request, context: context, service: service, decide)
    }

    @Sendable func bookingID(_ context: KIPRequestContext) throws -> BookingID {
      do { return try BookingID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "there is no such booking") }
    }

    @Sendable func dateParameter(_ request: Request, _ name: String, default value: LocalDate) throws -> LocalDate {
      guard let text = request.uri.queryParameters[Substring(name)].map(String.init), !text.isEmpty else { return value }
      do { return try LocalDate(typed: text) } catch {
        throw Problem(.validationFailed, "\(name): \(error)", field: name)
      }
    }

    @Sendable func today() -> LocalDate { (try? LocalDate(japanTimeOf: desk.now())) ?? LocalDate.earliest }

    return [
      Route(
        .get, "/api/spaces", summary: "The spaces: rooms, the hall and its parts, with capacity and the blocks they are let in.",
        access: readers, responses: [RouteResponse(200, "The spaces", schema: .array(.object([:], open: true)))], tag: "building", readsModels: true
      ) { _, _ in
        let (_, catalogue) = try await reads.catalogue()
        return try jsonResponse(catalogue.spaces.map(SpaceView.init))
      },
      Route(
        .get, "/api/availability", summary: "Each day, space and block (午前・午後・夜間): free, provisional, confirmed, blocked or closed (at most 62 days).",
        access: readers,
        parameters: [
          RouteParameter("from", in: .query, schema: date, "The first day (default today)"),
          RouteParameter("to", in: .query, schema: date, "The last day (default the first)"),
          RouteParameter("space", in: .query, schema: .string(maxLength: 128), "Only this space"),
        ], responses: [RouteResponse(200, "The grid", schema: .object(["days": .array(.object([:], open: true))], required: ["days"]))],
        tag: "building", readsModels: true
      ) { request, _ in
        let from = try dateParameter(request, "from", default: today())
        let to = try dateParameter(request, "to", default: from)
        guard from <= to, from.days(to: to) < 62 else {
          throw Problem(.validationFailed, "to must be on or after from, at most 62 days later", field: "to")
        }
        let (_, catalogue) = try await reads.catalogue()
        var space: SpaceID?
        if let text = request.uri.queryParameters["space"].map(String.init), !text.isEmpty {
          guard let id = try? SpaceID(text), catalogue.space(id) != nil else {
            throw Problem(.validationFailed, "施設 \(text) は登録されていません", field: "space")
          }
          space = id
        }
        let closures = try await reads.closures()
        let chosen = space
        let days = try await reads.read { db, set in
          try BuildingQueries.availability(from: from, to: to, space: chosen, catalogue: catalogue, closures: closures, in: db, set)
        }
        return try jsonResponse(AvailabilityView(days))
      },
      Route(
        .post, "/api/quotes", summary: "Price a booking: every line in the order applied, the total and the 10% tax it includes.",
        access: readers, requestBody: QuoteBody.schema,
        responses: [RouteResponse(200, "The quote", schema: .object(["lines": .array(.object([:], open: true)), "taxYen": .integer(), "totalYen": .integer()], open: true))],
        tag: "building"
      ) { request, _ in
        let (body, _) = try await JSONInput.decode(QuoteBody.self, from: request)
        let (version, catalogue) = try await reads.catalogue()
        do {
          return try jsonResponse(QuoteView(try FeeEngine.quote(try body.request(), catalogue: catalogue, version: version)))
        } catch let error as BuildingError { throw error.problem }
      },
      Route(
        .post, "/api/bookings", summary: "Book a space: provisional (仮予約, held until its deadline) or confirmed with a permit number; 409 if taken.",
        access: deskStaff, appendsEvents: true, requestBody: BookingBody.schema,
        responses: [RouteResponse(201, "The booking", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])], tag: "building"
      ) { request, context in
        try await write(request, context) { write, t in try await book(try write.decode(BookingBody.self), desk: desk, in: t) }
      },
      Route(
        .get, "/api/bookings", summary: "Bookings from one day to another (default: today and the next 7 days), by space or customer.",
        access: readers,
        parameters: [
          RouteParameter("from", in: .query, schema: date, "The first day"), RouteParameter("to", in: .query, schema: date, "The last day"),
          RouteParameter("space", in: .query, schema: .string(maxLength: 128), "Only this space"),
          RouteParameter("customer", in: .query, schema: .string(maxLength: 128), "Only this customer"),
        ], responses: [RouteResponse(200, "The bookings", schema: .array(.object([:], open: true)))], tag: "building", readsModels: true
      ) { request, _ in
        let from = try dateParameter(request, "from", default: today())
        let to = try dateParameter(request, "to", default: (try? from.adding(days: 7)) ?? from)
        guard from <= to, from.days(to: to) <= 400 else { throw Problem(.validationFailed, "to must be on or after from, at most 400 days later", field: "to") }
        let space = try request.queryText("space", maxLength: 128)
        let customer = try request.queryText("customer", maxLength: 128)
        return try jsonResponse(try await reads.read { db, set in try BuildingQueries.bookings(from: from, to: to, space: space, customer: customer, in: db, set) })
      },
      Route(
        .get, "/api/bookings/{id}", summary: "One booking: its details, quote lines, status and money.", access: readers, parameters: [id],
        responses: [RouteResponse(200, "The booking", schema: .object([:], open: true), headers: ["ETag"])], tag: "building", readsModels: true
      ) { _, context in
        let id = try bookingID(context)
        guard let view = try await reads.read({ db, set in try BuildingQueries.booking(id.rawValue, in: db, set) }) else {
          throw Problem(.notFound, BuildingError.unknownBooking(id).description)
        }
        let version = try await app.store.version(of: Booking.stream(id))
        return try jsonResponse(view, headers: version.map { [.eTag: ETag.make($0)] } ?? [:])
      },
      Route(
        .post, "/api/bookings/{id}/confirm", summary: "本予約: confirm a provisional booking and issue its use permit number.", access: deskStaff,
        appendsEvents: true, parameters: [id], responses: booking, tag: "building"
      ) { request, context in
        let id = try bookingID(context)
        return try await write(request, context) { _, t in try await desk.confirm(id, in: t) }
      },
      Route(
        .post, "/api/bookings/{id}/payments", summary: "Record a payment (cash or transfer) with its receipt number; never more than is owed.",
        access: deskStaff, appendsEvents: true, parameters: [id], requestBody: PaymentBody.schema, responses: booking, tag: "building"
      ) { request, context in
        let id = try bookingID(context)
        return try await write(request, context) { write, t in
          let body = try write.decode(PaymentBody.self)
          return try await desk.pay(id, amount: Yen(body.amountYen), method: body.method, in: t)
        }
      },
      Route(
        .post, "/api/bookings/{id}/change", summary: "Change the date, block, space or equipment; priced again on the booking's own fee table version.",
        access: deskStaff, appendsEvents: true, parameters: [id], requestBody: QuoteBody.schema, responses: booking, tag: "building"
      ) { request, context in
        let id = try bookingID(context)
        return try await write(request, context) { write, t in
          try await desk.change(id, to: try write.decode(QuoteBody.self).request(), in: t)
        }
      },
      Route(
        .post, "/api/bookings/{id}/cancel", summary: "Cancel: the fee by days before use (none for 仮予約 or with a waiver), the refund due, refunded at once with refundMethod.",
        access: deskStaff, appendsEvents: true, parameters: [id], requestBody: CancelBody.schema, responses: booking, tag: "building"
      ) { request, context in
        let id = try bookingID(context)
        return try await write(request, context) { write, t in
          let body = try write.decode(CancelBody.self)
          return try await desk.cancel(id, reason: body.reason, waiver: body.waiver, refundBy: body.refundMethod, in: t)
        }
      },
      Route(
        .post, "/api/bookings/{id}/refunds", summary: "還付: pay back what was paid beyond the charge.", access: deskStaff, appendsEvents: true,
        parameters: [id], requestBody: PaymentBody.schema, responses: booking, tag: "building"
      ) { request, context in
        let id = try bookingID(context)
        return try await write(request, context) { write, t in
          let body = try write.decode(PaymentBody.self)
          return try await desk.refund(id, amount: Yen(body.amountYen), method: body.method, in: t)
        }
      },
      Route(
        .post, "/api/bookings/{id}/check-in", summary: "受付: the customer arrived (on the day, from an hour before the start); corrects a no-show that day.",
        access: deskStaff, appendsEvents: true, parameters: [id], responses: booking, tag: "building"
      ) { request, context in
        let id = try bookingID(context)
        return try await write(request, context) { _, t in try await desk.checkIn(id, in: t) }
      },
      Route(
        .post, "/api/bookings/{id}/use", summary: "On or after the day: the space was used.", access: deskStaff, appendsEvents: true, parameters: [id],
        responses: booking, tag: "building"
      ) { request, context in
        let id = try bookingID(context)
        return try await write(request, context) { _, t in try await desk.attend(id, used: true, in: t) }
      },
      Route(
        .post, "/api/bookings/{id}/no-show", summary: "Nobody came (the fee stands): from the start plus the grace period (30 min), or any later day.", access: deskStaff, appendsEvents: true,
        parameters: [id], responses: booking, tag: "building"
      ) { request, context in
        let id = try bookingID(context)
        return try await write(request, context) { _, t in try await desk.attend(id, used: false, in: t) }
      },
      Route(
        .get, "/api/customers", summary: "Find customers by name, reading (カナ or ひらがな) or phone number, in 50音 order.", access: readers,
        parameters: [RouteParameter("q", in: .query, schema: .string(maxLength: 100), "What to look for")],
        responses: [RouteResponse(200, "The customers", schema: .array(.object([:], open: true)))], tag: "building", readsModels: true
      ) { request, _ in
        let query = try request.queryText("q", maxLength: 100)
        return try jsonResponse(try await reads.read { db, set in try BuildingQueries.customers(matching: query, in: db, set) })
      },
      Route(
        .post, "/api/customers", summary: "利用者登録: register a company, body, circle or person.", access: deskStaff, appendsEvents: true,
        requestBody: CustomerBody.schema, responses: [RouteResponse(201, "The customer", schema: .object([:], open: true), headers: ["ETag"])],
        tag: "building"
      ) { request, context in
        try await write(request, context) { write, t in
          try await desk.register(newID("c", at: desk.now()), try write.decode(CustomerBody.self).profile, in: t)
        }
      },
      Route(
        .get, "/api/customers/{id}", summary: "One customer.", access: readers,
        parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The customer's id")],
        responses: [RouteResponse(200, "The customer", schema: .object([:], open: true))], tag: "building", readsModels: true
      ) { _, context in
        let id = try context.parameters.require("id")
        guard let customer = try await reads.read({ db, set in try BuildingQueries.customer(id, in: db, set) }) else {
          throw Problem(.notFound, "利用者 \(id) は登録されていません")
        }
        return try jsonResponse(customer)
      },
      Route(
        .post, "/api/customers/{id}", summary: "Change a customer's details.", access: deskStaff, appendsEvents: true,
        parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The customer's id")], requestBody: CustomerBody.schema,
        responses: [RouteResponse(200, "The customer", schema: .object([:], open: true), headers: ["ETag"])], tag: "building"
      ) { request, context in
        let id: CustomerID
        do { id = try CustomerID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "there is no such customer") }
        return try await write(request, context) { write, t in try await desk.update(id, try write.decode(CustomerBody.self).profile, in: t) }
      },
      Route(
        .get, "/api/closures", summary: "Closures for works in force (the building's annual closed days are in the catalogue).", access: readers,
        responses: [RouteResponse(200, "The closures", schema: .array(.object([:], open: true)))], tag: "building", readsModels: true
      ) { _, _ in try jsonResponse(try await reads.closures().closures) },
      Route(
        .post, "/api/closures", summary: "Close spaces (all when none are named) for days; answers the bookings the closure hits.", access: manager,
        appendsEvents: true, requestBody: ClosureBody.schema,
        responses: [RouteResponse(201, "The closure and the bookings it hits", schema: .object([:], open: true), headers: ["X-KIP-Position"])],
        tag: "building"
      ) { request, context in
        let write = try await WriteRequest(request, context: context, service: service)
        let body = try write.decode(ClosureBody.self)
        let closure = Closures.Closure(
          id: "w-" + UUIDv7.make(at: desk.now()).uuidString.lowercased(), from: body.from.date, to: body.to.date, spaces: body.spaces ?? [],
          reason: body.reason)
        let hit = try await reads.read { db, set in
          try BuildingQueries.bookingsHit(from: closure.from, to: closure.to, spaces: closure.spaces.map(\.rawValue), in: db, set)
        }
        return try await desk.decisions.respond(to: write) { t in
          let declared = try await desk.declare(closure, in: t)
          return Outcome(stream: declared.stream, status: .created, body: ClosureAnswer(closure: declared.body, bookingsHit: hit))
        }
      },
      Route(
        .post, "/api/closures/{id}/lift", summary: "Lift a closure: its days can be booked again.", access: manager, appendsEvents: true,
        parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The closure's id")],
        responses: [RouteResponse(200, "Lifted", schema: .object([:], open: true))], tag: "building"
      ) { request, context in
        let closure = try context.parameters.require("id")
        return try await write(request, context) { _, t in try await desk.lift(closure, in: t) }
      },
      Route(
        .get, "/api/cash-close", summary: "日計表: what the desk took in and refunded on a day, by method, and its close if signed.", access: readers,
        parameters: [RouteParameter("date", in: .query, schema: date, "The day (default today)")],
        responses: [RouteResponse(200, "The day's figures", schema: .object([:], open: true))], tag: "building", readsModels: true
      ) { request, _ in
        let day = try dateParameter(request, "date", default: today())
        return try jsonResponse(
          try await reads.read { db, set in
            CashDayView(
              date: day, totals: try BuildingQueries.cashTotals(on: day, in: db, set), movements: try BuildingQueries.money(on: day, in: db, set),
              closed: try BuildingQueries.cashClose(on: day, in: db, set))
          })
      },
      Route(
        .post, "/api/cash-close", summary: "Sign off a day's cash (building manager): the book's figures, and the cash counted against them.",
        access: manager, appendsEvents: true, requestBody: CashCloseBody.schema,
        responses: [RouteResponse(200, "The close", schema: .object([:], open: true))], tag: "building"
      ) { request, context in
        let signer = context.user?.login ?? "unknown"
        return try await write(request, context) { write, t in
          let body = try write.decode(CashCloseBody.self)
          return try await desk.closeCash(body.date.date, cashCounted: body.cashCountedYen.map(Yen.init), signedBy: signer, in: t)
        }
      },
      Route(
        .get, "/api/catalogue", summary: "The catalogue in force: spaces, fees, rules, with its version.", access: readers,
        responses: [RouteResponse(200, "The catalogue", schema: .object([:], open: true))], tag: "building", readsModels: true
      ) { _, _ in
        let (version, catalogue) = try await reads.catalogue()
        return try jsonResponse(CatalogueView(version: version, catalogue: catalogue))
      },
      Route(
        .post, "/api/catalogue", summary: "Publish a new version of the catalogue (the file the manager edits); old bookings keep their fees.",
        access: manager, appendsEvents: true, requestBody: CatalogueBody.schema,
        responses: [RouteResponse(200, "The version published", schema: .object(["version": .integer()], required: ["version"]))], tag: "building"
      ) { request, context in
        try await write(request, context) { write, t in
          let body = try write.decode(CatalogueBody.self)
          return try await desk.publish(body.catalogue, note: body.note ?? "", in: t)
        }
      },
    ]
  }
}

extension APIRoutes {
  /// A booking from the API's or the page's body; a caller not yet registered is registered with it.
  static func book(_ body: BookingBody, desk: Desk, in t: Transaction) async throws -> Outcome<BookingAnswer> {
    let at = desk.now()
    var registering: Customer.Registered?
    let customer: Customer.Record
    switch body.customer {
    case .registered(let id):
      guard let record = try await desk.customer(id, in: t) else {
        throw Problem(.validationFailed, BuildingError.unknownCustomer(id).description, field: "customer")
      }
      customer = record
    case .new(let name, let kana, let phone):
      let id: CustomerID = newID("c", at: at)
      let profile = CustomerProfile(name: name, nameKana: kana ?? "", kind: .individual, tier: body.quote.customerCategory ?? .general, phone: phone)
      guard case .registered(let registered)? = try Customer.decide(.register(id, profile, at: at), nil).first else {
        throw Problem(.internalError, "the caller was not registered")
      }
      registering = registered
      customer = Customer.Record(id: id, profile: registered.profile)
    }
    let new = NewBooking(
      id: newID("b", at: at), request: try body.quote.request(tier: customer.profile.tier), customer: customer, purpose: body.purpose,
      attendees: body.attendees, provisional: body.provisional)
    return try await desk.book(new, registering: registering, in: t)
  }
}

struct SpaceView: Codable, Sendable {
  var id: String
  var name: String
  var kind: String
  var floor: Int
  var capacity: Int
  var areaSquareMetres: Int
  var group: String
  var fixtures: [String]
  var slots: [String]
  var hourly: HourlyLetting?

  init(_ space: Space) {
    id = space.id.rawValue
    name = space.name
    kind = space.kind.rawValue
    floor = space.floor
    capacity = space.capacity
    areaSquareMetres = space.areaSquareMetres
    group = space.group
    fixtures = space.fixtures
    slots = space.slots.map(\.code)
    hourly = space.hourly
  }
}

struct AvailabilityView: Codable, Sendable {
  struct Day: Codable, Sendable {
    var date: String
    var spaces: [SpaceDay]
  }
  struct SpaceDay: Codable, Sendable {
    var space: String
    var slots: [SlotView]
  }
  struct SlotView: Codable, Sendable {
    var slot: String
    var status: String
    var booking: String?
  }
  var days: [Day]

  init(_ days: [(date: LocalDate, spaces: [(space: Space, slots: [(slot: Slot, status: SlotStatus, booking: String?)])])]) {
    self.days = days.map { day in
      Day(
        date: day.date.description,
        spaces: day.spaces.map { SpaceDay(space: $0.space.id.rawValue, slots: $0.slots.map { SlotView(slot: $0.slot.code, status: $0.status.rawValue, booking: $0.booking) }) })
    }
  }
}

struct QuoteView: Codable, Sendable {
  struct Line: Codable, Sendable {
    var label: String
    var amountYen: Int64
    var kind: String
  }
  var catalogueVersion: Int
  var dayType: String
  var lines: [Line]
  var facilityFeeYen: Int64
  var equipmentFeeYen: Int64
  var taxYen: Int64
  var taxPercent: Int
  var totalYen: Int64

  init(_ quote: Quote) {
    catalogueVersion = quote.catalogueVersion
    dayType = quote.dayType
    lines = quote.lines.map { Line(label: $0.label, amountYen: $0.amount.amount, kind: $0.kind.rawValue) }
    facilityFeeYen = quote.facilityFee.amount
    equipmentFeeYen = quote.equipmentFee.amount
    taxYen = quote.tax.amount
    taxPercent = quote.taxPercent
    totalYen = quote.total.amount
  }
}

struct ClosureAnswer: Codable, Sendable {
  var closure: Closures.Closure
  var bookingsHit: [BookingSummary]
}

struct CashDayView: Codable, Sendable {
  var date: LocalDate
  var totals: [CashBook.Totals]
  var movements: [MoneyMovement]
  var closed: CashCloseRecord?
}

struct CatalogueView: Codable, Sendable {
  var version: Int
  var catalogue: Catalogue
}
