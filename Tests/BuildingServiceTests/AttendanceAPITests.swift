import EventLog
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import SharedKernel
import Testing

@testable import BuildingService

/// 受付 and 不使用 over HTTP, with the service's clock: check-in from an hour before the start;
/// the sweeper records a no-show once the grace period has passed; customers show their count.
@Suite("kip-building: check-in and no-shows over HTTP", .serialized)
struct AttendanceAPITests {
  @Test("check-in opens at 12:00 for a 13:00 block; an evening nobody came to is a no-show from 18:30, counted on the customer")
  func checkInAndNoShow() async throws {
    let fixture = try await DeskFixture(today: "2023-04-03T10:00")
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      try await fixture.publishCatalogue(client)
      let customer = try #require(try json(try await client.execute(
        uri: "/api/customers", method: .post, headers: fixture.headers(fixture.desk, key: "c"),
        body: ByteBuffer(string: #"{"name":"来ない商事","nameKana":"コナイショウジ"}"#)))["id"] as? String)
      var ids: [String] = []
      for (key, slot) in [("a", "afternoon"), ("e", "evening")] {
        let made = try await client.execute(
          uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: key),
          body: ByteBuffer(string: #"{"space":"room-303","date":"2023-04-03","slot":"\#(slot)","customer":"\#(customer)"}"#))
        #expect(made.status == .created, "\(String(buffer: made.body))")
        ids.append(try #require(try json(made)["id"] as? String))
      }
      let early = try await client.execute(uri: "/api/bookings/\(ids[0])/check-in", method: .post, headers: fixture.headers(fixture.desk, key: "k1"))
      #expect(early.status == .unprocessableContent)
      #expect((try json(early)["detail"] as? String)?.contains("12:00") == true)
      fixture.clock.set("2023-04-03T12:00")
      let checked = try await client.execute(uri: "/api/bookings/\(ids[0])/check-in", method: .post, headers: fixture.headers(fixture.desk, key: "k2"))
      #expect(checked.status == .ok)
      #expect(try json(checked)["status"] as? String == "used")

      try await fixture.caughtUp()
      guard let runner = fixture.app.projections else { return }
      let sweeper = LapseSweeper(desk: Desk(store: fixture.app.store, now: { fixture.clock.now() }), reads: DeskReads(runner: runner), logger: .init(label: "test"))
      fixture.clock.set("2023-04-03T18:29")
      #expect(await sweeper.recordNoShows(through: try LocalDate(iso8601: "2023-04-03")) == 0)
      fixture.clock.set("2023-04-03T18:30")
      #expect(await sweeper.recordNoShows(through: try LocalDate(iso8601: "2023-04-03")) == 1)
      try await fixture.caughtUp()
      let view = try json(try await client.execute(uri: "/api/bookings/\(ids[1])", method: .get, headers: fixture.headers(fixture.desk)))
      #expect((view["summary"] as? [String: Any])?["status"] as? String == "no-show")
      let found = try await client.execute(uri: "/api/customers?q=コナイ", method: .get, headers: fixture.headers(fixture.desk))
      let customers = try #require(try JSONSerialization.jsonObject(with: Data(buffer: found.body)) as? [[String: Any]])
      #expect(customers.first?["noShows"] as? Int == 1, "\(customers)")
      // q has at most 100 characters, counted in code points as the document counts them:
      // one letter with 100 combining marks is one grapheme but 101 code points.
      let marks = "e" + String(repeating: "\u{0301}", count: 100)
      let long = try await client.execute(
        uri: "/api/customers?q=\(marks.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", method: .get, headers: fixture.headers(fixture.desk))
      #expect(long.status == .unprocessableContent)
    }
  }
}
