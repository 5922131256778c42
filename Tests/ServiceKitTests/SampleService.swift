import EventLog
import EventLogSQLite
import Foundation
import Hummingbird
import ProjectionFixtures
import Projections
import ServiceKit
import SharedKernel
import Synchronization
import TestSupport

/// A tiny context for exercising the conventions: a tally that refuses to pass 1,000.
enum Tally: Decider {
  struct Added: RecordableEvent, Equatable {
    static let eventType = "Test.TallyAdded"
    static let schemaVersion = 1
    var amount: Int
    var kind: Kind
  }

  enum Kind: String, Codable, Sendable { case cash, card }
  enum Event: Sendable, Equatable { case added(Added) }
  struct Command: Sendable { var amount: Int; var kind: Kind }

  struct LimitReached: Error, ProblemConvertible {
    var total: Int
    var problem: Problem { Problem(.ruleViolated, "the tally is at \(total); it may not pass 1000", field: "amount") }
  }

  static let initialState = 0

  static func decide(_ command: Command, _ state: Int) throws(LimitReached) -> [Event] {
    guard state + command.amount <= 1000 else { throw LimitReached(total: state) }
    return [.added(Added(amount: command.amount, kind: command.kind))]
  }

  static func evolve(_ state: Int, _ event: Event) -> Int {
    switch event { case .added(let added): state + added.amount }
  }

  static var codec: EventCodec<Event> {
    var codec = EventCodec<Event>()
    codec.register(Added.self, embed: Event.added) { if case .added(let added) = $0 { added } else { nil } }
    return codec
  }
}

struct AddToTally: Decodable {
  var amount: Int
  var kind: Tally.Kind
  var note: String?
  var on: DateInput?
}

struct TallyAnswer: Codable, Equatable {
  var tally: String
  var total: Int
}

/// The sample service: the tally routes plus the synthetic bookings projection.
func sampleDefinition(bookingsVersion: Int = 1) -> ServiceDefinition {
  ServiceDefinition(title: "sample", projections: [BookingsProjection(version: bookingsVersion)]) { app in
    let runner = CommandRunner(store: app.store, codec: Tally.codec)
    let id = RouteParameter("id", in: .path, schema: .string(pattern: "^[a-z0-9]{1,20}$"), "The tally")
    return [
      Route(
        .post, "/tallies/{id}/additions", summary: "Add to a tally", access: .roles([.desk, .buildingManager]), appendsEvents: true,
        parameters: [id],
        requestBody: .object(
          [
            "amount": .integer(minimum: 1, maximum: 100), "kind": .string(values: ["cash", "card"]), "note": .string(maxLength: 200),
            "on": .string(description: "ISO or 和暦"),
          ],
          required: ["amount", "kind"]),
        responses: [RouteResponse(200, "The new total", schema: .object(["tally": .string(), "total": .integer()]))], tag: "tally"
      ) { request, context in
        let write = try await WriteRequest(request, context: context, service: "sample")
        let body = try write.decode(AddToTally.self)
        guard (1...100).contains(body.amount) else {
          throw Problem(.validationFailed, "amount must be 1 to 100, not \(body.amount)", field: "amount")
        }
        let tally = try context.parameters.require("id")
        let stream = try StreamName("tally-\(tally)")
        return try await runner.respond(
          to: write, stream: stream, initial: Tally.initialState, evolve: Tally.evolve,
          answer: { total, _ in TallyAnswer(tally: tally, total: total) }
        ) { state in try Tally.decide(Tally.Command(amount: body.amount, kind: body.kind), state) }
      },
      Route(
        .get, "/tallies/{id}", summary: "A tally's total", access: .signedIn, parameters: [id],
        responses: [RouteResponse(200, "The total", schema: .object(["tally": .string(), "total": .integer()]), headers: ["ETag"])],
        tag: "tally", readsModels: true
      ) { _, context in
        let tally = try context.parameters.require("id")
        let (total, version) = try await runner.load(try StreamName("tally-\(tally)"), initial: 0, evolve: Tally.evolve)
        return try jsonResponse(TallyAnswer(tally: tally, total: total), headers: version.map { [.eTag: ETag.make($0)] } ?? [:])
      },
      Route(
        .get, "/bookings/count", summary: "Bookings in the read model", access: .roles([.desk, .auditor]),
        responses: [RouteResponse(200, "The count", schema: .object(["count": .integer()]))], tag: "bookings", readsModels: true
      ) { _, _ in
        guard let projections = app.projections else { throw Problem(.notFound, "no read model") }
        let count = try await projections.read("bookings") { db, set in
          try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(set.table("bookings"))\"") ?? 0
        }
        return try jsonResponse(["count": count])
      },
    ]
  }
}

/// Tokens `token-<role>` belong to a user of that role; each role's login is its name and its
/// password `pw-<role>`; admin needs the code 123456 as a second factor. Sessions live in memory.
final class FixedTokens: SessionAuthority {
  struct Session { var role: Role; var pending: Bool; var csrf: String }
  private let sessions = Mutex<[String: Session]>([:])

  func user(bearerToken: String) async throws -> AuthenticatedUser? {
    guard bearerToken.hasPrefix("token-"), let role = Role(rawValue: String(bearerToken.dropFirst(6))) else { return nil }
    return AuthenticatedUser(id: try UserID("u-\(role.rawValue)"), login: role.rawValue, role: role)
  }

  func user(sessionCookie: String) async throws -> AuthenticatedUser? {
    guard let session = sessions.withLock({ $0[sessionCookie] }), !session.pending else { return nil }
    return AuthenticatedUser(
      id: try UserID("u-\(session.role.rawValue)"), login: session.role.rawValue, role: session.role,
      session: SessionInfo(id: sessionCookie, csrfToken: session.csrf))
  }

  func signIn(login: String, password: String, now: Date) async throws -> SignInResult {
    guard let role = Role(rawValue: login), password == "pw-\(login)" else { return .refused("ログインIDまたはパスワードが違います") }
    let cookie = "s-\(UUID().uuidString)"
    sessions.withLock { $0[cookie] = Session(role: role, pending: role == .admin, csrf: UUID().uuidString) }
    return .signedIn(cookie: cookie, secondFactorRequired: role == .admin)
  }

  func completeSecondFactor(sessionCookie: String, code: String, now: Date) async throws -> Bool {
    guard code == "123456" else { return false }
    return sessions.withLock { sessions in
      guard sessions[sessionCookie] != nil else { return false }
      sessions[sessionCookie]?.pending = false
      return true
    }
  }

  func secondFactorEnrolment(sessionCookie: String, now: Date) async throws -> (secret: String, url: String)? { nil }

  func awaitsSecondFactor(sessionCookie: String, now: Date) async throws -> Bool {
    sessions.withLock { $0[sessionCookie]?.pending ?? false }
  }

  func signOut(sessionCookie: String) async throws {
    _ = sessions.withLock { $0.removeValue(forKey: sessionCookie) }
  }
}

/// A sample service on a fresh log in a temporary folder.
func sampleApplication(
  folder: URL = temporaryFolder(), bookingsVersion: Int = 1, service: String = "sample", readYourWritesTimeout: Duration = .seconds(5)
) async throws -> ServiceApplication {
  let configuration = ServiceConfiguration(
    serviceName: service, eventLog: .sqlite(path: folder.appending(path: "events.sqlite").path), dataDirectory: folder.path, port: 0,
    readYourWritesTimeout: readYourWritesTimeout)
  return try await ServiceApplication.open(
    configuration: configuration, logger: .init(label: "test"), definition: sampleDefinition(bookingsVersion: bookingsVersion),
    authenticator: FixedTokens())
}
