import Accounts
import Credentials
import EventLog
import EventLogSQLite
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import SharedKernel
import Synchronization
import TestSupport
import Testing
import UserAdministration

@testable import BuildingService

/// A building service with the real sign-in, a desk and a manager, and the shipped catalogue published.
struct DeskFixture {
  let app: ServiceApplication
  let desk: String
  let manager: String
  let clock: TestClock
  /// The log's file.
  let logPath: String

  static let catalogueFile = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appending(path: "Deploy/building/catalogue.json")

  init(today: String = "2023-04-03T10:00") async throws {
    let folder = temporaryFolder()
    let path = folder.appending(path: "events.sqlite").path
    logPath = path
    let log = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    let credentials = try await CredentialStore.open(dataDirectory: folder.path, policy: .testing)
    let administration = UserAdministration(store: log, credentials: credentials)
    try await administration.register(
      [NewUser(login: try LoginName("front"), role: .desk), NewUser(login: try LoginName("boss"), role: .buildingManager)],
      metadata: EventMetadata(actor: "test"), now: Date())
    desk = try await administration.issueToken(login: "front", label: "test", now: Date())
    manager = try await administration.issueToken(login: "boss", label: "test", now: Date())
    _ = try await administration.resetPassword(login: "front", to: "front-password-1", now: Date())
    await log.close()
    let clock = TestClock(today)
    self.clock = clock
    let configuration = ServiceConfiguration(
      serviceName: "kip-building", eventLog: .sqlite(path: path), dataDirectory: folder.path, port: 0, credentialPolicy: .testing)
    app = try await BuildingService.buildApplication(configuration: configuration, logger: .init(label: "test"), now: { clock.now() })
  }

  func headers(_ token: String, key: String? = nil, _ more: HTTPFields = [:]) -> HTTPFields {
    var fields = more
    fields[.authorization] = "Bearer \(token)"
    fields[.contentType] = "application/json"
    if let key { fields[.idempotencyKey] = key }
    return fields
  }

  /// Publishes the shipped catalogue file and waits until the read model has it.
  func publishCatalogue(_ client: some TestClientProtocol) async throws {
    let catalogue = try String(contentsOf: Self.catalogueFile, encoding: .utf8)
    let published = try await client.execute(
      uri: "/api/catalogue", method: .post, headers: headers(manager, key: "catalogue-1"),
      body: ByteBuffer(string: #"{"note":"初版","catalogue":"# + catalogue + "}"))
    #expect(published.status == .ok, "\(String(buffer: published.body))")
    try await caughtUp()
  }

  func caughtUp() async throws {
    let head = try await app.store.head().position
    #expect(try await app.projections?.waitUntil("building", reached: head, timeout: .seconds(30)) == true)
  }
}

func json(_ response: TestResponse) throws -> [String: Any] {
  try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "\(String(buffer: response.body))")
}

@Suite("kip-building: the desk's API", .serialized)
struct DeskAPITests {
  let booking = #"{"space":"room-201","date":"2023-04-20","slot":"afternoon","customer":{"name":"山田商店","nameKana":"ヤマダショウテン","phone":"045-633-5000"}}"#

  func withService(today: String = "2023-04-03T10:00", _ body: @escaping @Sendable (DeskFixture, any TestClientProtocol) async throws -> Void) async throws {
    let fixture = try await DeskFixture(today: today)
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      try await fixture.publishCatalogue(client)
      try await body(fixture, client)
    }
  }

  @Test("a quote lists every line; a booking is 201 with its total; the same slot again is 409 problem+json")
  func bookAndRefuse() async throws {
    try await withService { fixture, client in
      let quote = try await client.execute(
        uri: "/api/quotes", method: .post, headers: fixture.headers(fixture.desk),
        body: ByteBuffer(string: #"{"space":"room-201","date":"2023-04-22","slot":"full-day","use":"commercial","customerCategory":"member","equipment":[{"item":"projector","quantity":1}]}"#))
      #expect(quote.status == .ok, "\(String(buffer: quote.body))")
      let q = try json(quote)
      // 土曜日: (2,800 + 3,300 + 4,400) × 1.2 = 12,600; ×1.5 = 18,900; ×0.8 = 15,120; + projector 3,000.
      #expect(q["totalYen"] as? Int == 18_120 && q["taxYen"] as? Int == 1_647)
      #expect((q["lines"] as? [[String: Any]])?.compactMap { $0["amountYen"] as? Int } == [10_500, 2_100, 6_300, -3_780, 3_000])
      let created = try await client.execute(uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "b1"), body: ByteBuffer(string: booking))
      #expect(created.status == .created, "\(String(buffer: created.body))")
      #expect(created.headers[.eTag] == "\"0\"" && created.headers[.kipPosition] != nil)
      let b = try json(created)
      #expect(b["status"] as? String == "confirmed" && b["totalYen"] as? Int == 3_300 && (b["permitNumber"] as? String) == "P2023-00001")
      let taken = try await client.execute(uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "b2"), body: ByteBuffer(string: booking))
      #expect(taken.status == .conflict)
      #expect(taken.headers[.contentType] == "application/problem+json; charset=utf-8")
      #expect(try json(taken)["type"] as? String == "urn:kip:problem:conflict")
      #expect((try json(taken)["detail"] as? String)?.contains("既に予約されています") == true)
      // Read your writes: the grid shows it at once, and the joined rooms' parts stay free.
      let position = try #require(created.headers[.kipPosition])
      let grid = try await client.execute(
        uri: "/api/availability?from=2023-04-20&to=2023-04-20&space=room-201", method: .get,
        headers: fixture.headers(fixture.desk, [.kipMinPosition: position]))
      let days = try #require(try json(grid)["days"] as? [[String: Any]])
      let slots = try #require((days.first?["spaces"] as? [[String: Any]])?.first?["slots"] as? [[String: Any]])
      #expect(slots.map { $0["status"] as? String } == ["free", "confirmed", "free"])
    }
  }

  @Test("sixteen desks booking the same hall part at once get exactly one booking; the whole hall is then blocked")
  func concurrentDesks() async throws {
    try await withService { fixture, client in
      let body = #"{"space":"hall-east","date":"2023-05-10","slot":"morning","customer":{"name":"競合テスト","nameKana":"キョウゴウテスト"},"provisional":true}"#
      let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
        for desk in 0..<16 {
          group.addTask {
            try await client.execute(uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "race-\(desk)"), body: ByteBuffer(string: body)).status
          }
        }
        return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
      }
      #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
      #expect(statuses.filter { $0 == .conflict }.count == 15, "\(statuses)")
      let requested = try await fixture.app.store.read(after: 0, category: "booking", limit: 1000).filter { $0.type == "Building.BookingRequested" }
      #expect(requested.count == 1)
      try await fixture.caughtUp()
      let grid = try json(try await client.execute(uri: "/api/availability?from=2023-05-10&to=2023-05-10", method: .get, headers: fixture.headers(fixture.desk)))
      let spaces = try #require((grid["days"] as? [[String: Any]])?.first?["spaces"] as? [[String: Any]])
      func status(_ space: String) -> String? { (spaces.first { $0["space"] as? String == space }?["slots"] as? [[String: Any]])?.first?["status"] as? String }
      #expect(status("hall-east") == "provisional" && status("hall") == "blocked" && status("hall-a") == "blocked" && status("hall-west") == "free")
    }
  }

  @Test("a retried booking with the same key answers the first answer and writes nothing; without a key it is 428")
  func idempotency() async throws {
    try await withService { fixture, client in
      let first = try await client.execute(uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "same"), body: ByteBuffer(string: booking))
      let head = try await fixture.app.store.head().position
      let again = try await client.execute(uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "same"), body: ByteBuffer(string: booking))
      #expect(again.status == .created && again.headers[.idempotentReplayed] == "true")
      #expect(String(buffer: again.body) == String(buffer: first.body))
      #expect(try await fixture.app.store.head().position == head)
      let keyless = try await client.execute(uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk), body: ByteBuffer(string: booking))
      #expect(keyless.status == .preconditionRequired)
      let bad = try await client.execute(
        uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "bad"),
        body: ByteBuffer(string: #"{"space":"room-201","date":"令和5年2月30日","slot":"afternoon","customer":"c-x"}"#))
      let badField = try json(bad)["field"] as? String
      #expect(bad.status == .unprocessableContent && badField == "date")
      #expect(try await fixture.app.store.head().position == head, "refused requests change nothing")
    }
  }

  @Test("pay, cancel 10 days before: half the facility fee, the rest refunded at once, the day's cash book shows both")
  func payAndCancel() async throws {
    try await withService { fixture, client in
      let created = try json(try await client.execute(uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "b"), body: ByteBuffer(string: booking)))
      let id = try #require(created["id"] as? String)
      let over = try await client.execute(
        uri: "/api/bookings/\(id)/payments", method: .post, headers: fixture.headers(fixture.desk, key: "p0"), body: ByteBuffer(string: #"{"amountYen":3301,"method":"cash"}"#))
      #expect(over.status == .unprocessableContent)
      let paid = try await client.execute(
        uri: "/api/bookings/\(id)/payments", method: .post, headers: fixture.headers(fixture.desk, key: "p1", [.ifMatch: "\"0\""]),
        body: ByteBuffer(string: #"{"amountYen":3300,"method":"cash"}"#))
      let receipt = try json(paid)["receiptNumber"] as? String
      #expect(paid.status == .ok && receipt == "R2023-00001" && paid.headers[.eTag] == "\"1\"")
      let stale = try await client.execute(
        uri: "/api/bookings/\(id)/cancel", method: .post, headers: fixture.headers(fixture.desk, key: "c0", [.ifMatch: "\"0\""]),
        body: ByteBuffer(string: #"{"reason":"都合により"}"#))
      #expect(stale.status == .preconditionFailed)
      fixture.clock.set("2023-04-10T15:00")
      let cancelled = try json(try await client.execute(
        uri: "/api/bookings/\(id)/cancel", method: .post, headers: fixture.headers(fixture.desk, key: "c1"),
        body: ByteBuffer(string: #"{"reason":"都合により","refundMethod":"cash"}"#)))
      let c = try #require(cancelled["cancellation"] as? [String: Any])
      #expect(c["daysBefore"] as? Int == 10 && c["percent"] as? Int == 50 && c["feeYen"] as? Int == 1_650 && c["refundedYen"] as? Int == 1_650)
      #expect(cancelled["balanceYen"] as? Int == 0 && cancelled["status"] as? String == "cancelled")
      try await fixture.caughtUp()
      let day = try json(try await client.execute(uri: "/api/cash-close?date=2023-04-10", method: .get, headers: fixture.headers(fixture.desk)))
      let cash = try #require((day["totals"] as? [[String: Any]])?.first { $0["method"] as? String == "cash" })
      #expect(cash["received"] as? Int == 0 && cash["refunded"] as? Int == 1_650)
      // The manager closes the day; a desk may not, and nothing is taken in on it afterwards.
      #expect(try await client.execute(
        uri: "/api/cash-close", method: .post, headers: fixture.headers(fixture.desk, key: "k0"), body: ByteBuffer(string: #"{"date":"2023-04-10"}"#)).status == .forbidden)
      let closed = try await client.execute(
        uri: "/api/cash-close", method: .post, headers: fixture.headers(fixture.manager, key: "k1"), body: ByteBuffer(string: #"{"date":"2023-04-10","cashCountedYen":0}"#))
      #expect(closed.status == .ok, "\(String(buffer: closed.body))")
      #expect(try json(closed)["differenceYen"] as? Int == 1_650)
      let other = try json(try await client.execute(
        uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "b2"),
        body: ByteBuffer(string: #"{"space":"room-202","date":"2023-04-21","slot":"morning","customer":{"name":"佐藤"}}"#)))
      let late = try await client.execute(
        uri: "/api/bookings/\(try #require(other["id"] as? String))/payments", method: .post, headers: fixture.headers(fixture.desk, key: "p2"),
        body: ByteBuffer(string: #"{"amountYen":100,"method":"cash"}"#))
      let lateDetail = try json(late)["detail"] as? String
      #expect(late.status == .unprocessableContent && lateDetail?.contains("締め済み") == true, "\(lateDetail ?? "")")
    }
  }

  @Test("a provisional booking not confirmed by its deadline lapses and its slot is free again")
  func lapse() async throws {
    try await withService { fixture, client in
      let made = try json(try await client.execute(
        uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "p"),
        body: ByteBuffer(string: #"{"space":"room-303","date":"2023-05-01","slot":"10:00-12:00","customer":{"name":"仮予約テスト"},"provisional":true}"#)))
      #expect(made["deadline"] as? String == "2023-04-10" && made["totalYen"] as? Int == 1_000)
      try await fixture.caughtUp()
      guard let runner = fixture.app.projections else { return }
      let sweeper = LapseSweeper(desk: Desk(store: fixture.app.store, now: { fixture.clock.now() }), reads: DeskReads(runner: runner), logger: .init(label: "test"))
      fixture.clock.set("2023-04-10T23:59")
      #expect(await sweeper.sweep() == 0, "the deadline day itself still holds")
      fixture.clock.set("2023-04-11T00:00")
      #expect(await sweeper.sweep() == 1)
      try await fixture.caughtUp()
      let view = try json(try await client.execute(uri: "/api/bookings/\(try #require(made["id"] as? String))", method: .get, headers: fixture.headers(fixture.desk)))
      #expect((view["summary"] as? [String: Any])?["status"] as? String == "lapsed")
      let again = try await client.execute(
        uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "p2"),
        body: ByteBuffer(string: #"{"space":"room-303","date":"2023-05-01","slot":"morning","customer":{"name":"次の利用者"}}"#))
      #expect(again.status == .created)
    }
  }

  @Test("a closure refuses bookings on its days and lists the bookings it hits")
  func closures() async throws {
    try await withService { fixture, client in
      let made = try json(try await client.execute(uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "b"), body: ByteBuffer(string: booking)))
      try await fixture.caughtUp()
      let declared = try await client.execute(
        uri: "/api/closures", method: .post, headers: fixture.headers(fixture.manager, key: "w"),
        body: ByteBuffer(string: #"{"from":"2023-04-19","to":"令和5年4月21日","spaces":["room-201","room-202"],"reason":"受水槽更新工事"}"#))
      #expect(declared.status == .created, "\(String(buffer: declared.body))")
      #expect((try json(declared)["bookingsHit"] as? [[String: Any]])?.map { $0["id"] as? String } == [made["id"] as? String])
      let refused = try await client.execute(
        uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "b2"),
        body: ByteBuffer(string: #"{"space":"room-202","date":"2023-04-19","slot":"morning","customer":{"name":"佐藤"}}"#))
      let refusal = try json(refused)["detail"] as? String
      #expect(refused.status == .unprocessableContent && refusal?.contains("受水槽更新工事") == true, "\(refusal ?? "")")
    }
  }
}
