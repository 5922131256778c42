import Building
import BuildingReadModels
import Crypto
import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// Subscribable calendars: the desk issues a secret link per space or customer; anyone with
/// the link subscribes to `/calendar/<token>.ics` (no sign-in: the token is the key, and only its
/// hash is recorded); a revoked link answers 404.
enum CalendarRoutes {
  static func all(app: ServiceApplication, desk: Desk, reads: DeskReads) -> [Route] {
    let service = app.configuration.serviceName
    return [
      Route(
        .post, "/api/calendar-links", summary: "Issue a secret iCalendar link for a space or a customer (the token is shown only in this answer).",
        access: APIRoutes.deskStaff, appendsEvents: true, requestBody: CalendarLinkBody.schema,
        responses: [RouteResponse(201, "The link, with its URL", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])],
        tag: "building"
      ) { request, context in
        let write = try await WriteRequest(request, context: context, service: service)
        let target = try write.decode(CalendarLinkBody.self).target()
        // The token goes only into this answer: the decision (and the answer kept for a retry
        // with the same Idempotency-Key) has its hash alone.
        let token = Desk.newCalendarToken()
        let submitted = try await desk.decisions.submit(write) { t in
          try await desk.issueCalendarLink(for: target, tokenHash: Desk.calendarTokenHash(token), in: t)
        }
        var view = try JSONDecoder().decode(CalendarLinkView.self, from: submitted.answer)
        var headers: HTTPFields = [:]
        if let position = submitted.position { headers[.kipPosition] = String(position) }
        if submitted.replayed {
          headers[.idempotentReplayed] = "true"
        } else {
          view.url = "/calendar/\(token).ics"
        }
        return try jsonResponse(view, status: submitted.replayed ? .ok : .created, headers: headers)
      },
      Route(
        .get, "/api/calendar-links", summary: "The calendar links issued (without their tokens).", access: APIRoutes.deskStaff,
        responses: [RouteResponse(200, "The links", schema: .array(.object([:], open: true)))], tag: "building"
      ) { _, _ in
        try jsonResponse(try await desk.calendarLinks().links.map(CalendarLinkView.init))
      },
      Route(
        .post, "/api/calendar-links/{id}/revoke", summary: "Revoke a calendar link: its feed answers 404 from now on.", access: APIRoutes.deskStaff,
        appendsEvents: true, parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 64), "The link's id")],
        responses: [RouteResponse(200, "Revoked", schema: .object([:], open: true))], tag: "building"
      ) { request, context in
        let id = try context.parameters.require("id")
        return try await desk.decisions.respond(to: request, context: context, service: service) { _, t in try await desk.revokeCalendarLink(id, in: t) }
      },
      Route(
        .get, "/calendar/{file}", summary: "A space's or customer's bookings as an iCalendar feed (text/calendar, Japan time), by its secret link.",
        access: .anyone, parameters: [RouteParameter("file", in: .path, schema: .string(pattern: "^[A-Za-z0-9_-]{43}\\.ics$"), "<token>.ics")],
        responses: [RouteResponse(200, "The feed", schema: .string(), mediaType: "text/calendar")], tag: "building"
      ) { _, context in
        let file = try context.parameters.require("file")
        guard file.hasSuffix(".ics") else { throw Problem(.notFound, "there is no such calendar") }
        let token = String(file.dropLast(4))
        guard let link = try await desk.calendarLinks().link(hash: Desk.calendarTokenHash(token)) else { throw Problem(.notFound, "there is no such calendar (the link may have been revoked)") }
        let now = desk.now()
        let today = (try? LocalDate(japanTimeOf: now)) ?? .earliest
        let from = (try? today.adding(days: -31)) ?? today
        let to = (try? today.adding(months: 13)) ?? today
        let (_, catalogue) = try await reads.catalogue()
        let (name, bookings): (String, [BookingSummary])
        switch link.target {
        case .space(let space):
          name = "\(catalogue.space(space)?.name ?? space.rawValue) 予約"
          bookings = try await reads.read { db, set in try BuildingQueries.bookings(from: from, to: to, space: space.rawValue, in: db, set) }
        case .customer(let customer):
          let found = try await reads.read { db, set in try BuildingQueries.customer(customer.rawValue, in: db, set) }
          name = "\(found?.name ?? customer.rawValue) 様のご予約"
          bookings = try await reads.read { db, set in try BuildingQueries.bookings(from: from, to: to, customer: customer.rawValue, in: db, set) }
        }
        let body = ICalendar.feed(name: name, bookings: bookings, now: now)
        return Response(
          status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "private, max-age=300"],
          body: .init(byteBuffer: ByteBuffer(string: body)))
      },
    ]
  }
}

/// What a calendar link is for.
struct CalendarLinkBody: DocumentedBody, Sendable {
  var space: SpaceID?
  var customer: CustomerID?

  func target() throws(Problem) -> CalendarLinks.Target {
    switch (space, customer) {
    case (let space?, nil): return .space(space)
    case (nil, let customer?): return .customer(customer)
    default: throw Problem(.validationFailed, "give either space or customer", field: "space")
    }
  }

  static let schema = Schema.object(["space": .string(maxLength: 128), "customer": .string(maxLength: 128)])
}

/// A link as listed (never its token).
struct CalendarLinkView: Codable, Sendable {
  var id: String
  var space: String?
  var customer: String?
  var issuedAt: String
  var revoked: Bool
  /// Only in the answer that issues it (a retry with the same key answers without it: issue another).
  var url: String?

  init(_ link: CalendarLinks.Link) {
    id = link.id
    if case .space(let space) = link.target { self.space = space.rawValue }
    if case .customer(let customer) = link.target { self.customer = customer.rawValue }
    issuedAt = link.issuedAt.description
    revoked = link.revoked
  }
}

extension Desk {
  func calendarLinks() async throws -> CalendarLinks.State {
    try await Transaction(store: store, metadata: Data()).load(
      CalendarLinks.stream(), codec: CalendarLinks.codec, initial: CalendarLinks.initialState, evolve: CalendarLinks.evolve)
  }

  /// A fresh 256-bit token, base64url (43 characters).
  static func newCalendarToken() -> String {
    Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  static func calendarTokenHash(_ token: String) -> String { SHA256.hash(data: Data(token.utf8)).hexadecimal }

  /// A new link for the token hashing to `tokenHash`; only the hash is recorded.
  func issueCalendarLink(for target: CalendarLinks.Target, tokenHash hash: String, in t: Transaction) async throws -> Outcome<CalendarLinkView> {
    let context = try await self.context(t)
    let (_, catalogue) = try context.current()
    let stream = try CalendarLinks.stream()
    let state = try await t.load(stream, codec: CalendarLinks.codec, initial: CalendarLinks.initialState, evolve: CalendarLinks.evolve)
    var exists = false
    if case .customer(let customer) = target { exists = try await self.customer(customer, in: t) != nil }
    let link = "cal-" + UUIDv7.make(at: context.at).uuidString.lowercased()
    let events = try CalendarLinks.issue(link, for: target, tokenHash: hash, catalogue: catalogue, customerExists: exists, at: context.at, state)
    try t.write(events, to: stream, codec: CalendarLinks.codec)
    guard let issued = events.reduce(state, CalendarLinks.evolve).links.last else { throw Problem(.internalError, "the link was not issued") }
    return Outcome(stream: stream, status: .created, body: CalendarLinkView(issued))
  }

  func revokeCalendarLink(_ id: String, in t: Transaction) async throws -> Outcome<[String: String]> {
    let stream = try CalendarLinks.stream()
    let state = try await t.load(stream, codec: CalendarLinks.codec, initial: CalendarLinks.initialState, evolve: CalendarLinks.evolve)
    let events = try CalendarLinks.revoke(id, at: now(), state)
    try t.write(events, to: stream, codec: CalendarLinks.codec)
    return Outcome(stream: stream, status: .ok, body: ["revoked": id])
  }
}
