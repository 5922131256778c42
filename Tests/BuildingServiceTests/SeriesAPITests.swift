import EventLog
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import BuildingService

/// 定期利用 over HTTP: a year of Tuesday evenings in one request with its report; one date moved
/// and one cancelled alone; the series ended from a date on.
@Suite("kip-building: recurring bookings' API", .serialized)
struct SeriesAPITests {
  func withService(_ body: @escaping @Sendable (DeskFixture, any TestClientProtocol) async throws -> Void) async throws {
    let fixture = try await DeskFixture(today: "2023-04-03T10:00")
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      try await fixture.publishCatalogue(client)
      try await body(fixture, client)
    }
  }

  @Test("every Tuesday evening for a year, as one request; dates closed or taken reported; one moved, one cancelled, then ended")
  func yearOfTuesdays() async throws {
    try await withService { fixture, client in
      let circle = try json(try await client.execute(
        uri: "/api/customers", method: .post, headers: fixture.headers(fixture.desk, key: "c"),
        body: ByteBuffer(string: #"{"name":"みなと合唱団","nameKana":"ミナトガッショウダン","kind":"circle","customerCategory":"nonprofit"}"#)))
      let customer = try #require(circle["id"] as? String)
      // Someone else has room 201 on 2023-05-16; the building closes it for works on 2023-08-15.
      let other = try await client.execute(
        uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "o"),
        body: ByteBuffer(string: #"{"space":"room-201","date":"2023-05-16","slot":"evening","customer":{"name":"先客"}}"#))
      #expect(other.status == .created)
      #expect(try await client.execute(
        uri: "/api/closures", method: .post, headers: fixture.headers(fixture.manager, key: "w"),
        body: ByteBuffer(string: #"{"from":"2023-08-15","to":"2023-08-15","spaces":["room-201"],"reason":"空調更新"}"#)).status == .created)
      let head = try await fixture.app.store.head().position
      let bad = try await client.execute(
        uri: "/api/series", method: .post, headers: fixture.headers(fixture.desk, key: "bad"),
        body: ByteBuffer(string: #"{"customer":"\#(customer)","space":"room-201","slot":"evening","from":"2023-04-04","until":"2024-06-30","weekday":"tuesday"}"#))
      #expect(bad.status == .unprocessableContent)
      #expect(try json(bad)["field"] as? String == "until")
      #expect(try await fixture.app.store.head().position == head, "a refused series writes nothing")

      let made = try await client.execute(
        uri: "/api/series", method: .post, headers: fixture.headers(fixture.desk, key: "s"),
        body: ByteBuffer(string: #"{"customer":"\#(customer)","space":"room-201","slot":"evening","from":"2023-04-04","until":"2024-03-26","weekday":"火","purpose":"合唱練習","attendees":18}"#))
      #expect(made.status == .created, "\(String(buffer: made.body))")
      let series = try json(made)
      let id = try #require(series["id"] as? String)
      let booked = try #require(series["bookings"] as? [[String: Any]])
      let skipped = try #require(series["skipped"] as? [[String: Any]])
      // 52 Tuesdays from 2023-04-04 to 2024-03-26; 5/16 taken, 8/15 closed, 1/2 年末年始.
      #expect(booked.count + skipped.count == 52)
      #expect(skipped.map { $0["date"] as? String } == ["2023-05-16", "2023-08-15", "2024-01-02"], "\(skipped)")
      #expect((skipped[1]["reason"] as? String)?.contains("空調更新") == true)
      #expect(booked.allSatisfy { $0["status"] as? String == "confirmed" } && booked.first?["id"] as? String == "\(id)-20230404")

      // One date moved alone (to Wednesday), one cancelled alone.
      let moved = try await client.execute(
        uri: "/api/bookings/\(id)-20230606/change", method: .post, headers: fixture.headers(fixture.desk, key: "m"),
        body: ByteBuffer(string: #"{"space":"room-201","date":"2023-06-07","slot":"evening"}"#))
      #expect(moved.status == .ok, "\(String(buffer: moved.body))")
      let alone = try await client.execute(
        uri: "/api/bookings/\(id)-20230613/cancel", method: .post, headers: fixture.headers(fixture.desk, key: "x"),
        body: ByteBuffer(string: #"{"reason":"発表会のため休み"}"#))
      #expect(alone.status == .ok, "\(String(buffer: alone.body))")

      // Ended from 2023-10-01: the bookings from then are cancelled; before it, untouched.
      let ended = try await client.execute(
        uri: "/api/series/\(id)/end", method: .post, headers: fixture.headers(fixture.desk, key: "e"),
        body: ByteBuffer(string: #"{"from":"2023-10-01","reason":"活動場所の変更"}"#))
      #expect(ended.status == .ok, "\(String(buffer: ended.body))")
      let now = try json(try await client.execute(uri: "/api/series/\(id)", method: .get, headers: fixture.headers(fixture.desk)))
      #expect(now["endedFrom"] as? String == "2023-10-01")
      let statuses = try #require(now["bookings"] as? [[String: Any]])
      for booking in statuses {
        let date = try #require(booking["date"] as? String)
        let status = booking["status"] as? String
        if date == "2023-06-13" || date >= "2023-10-01" { #expect(status == "cancelled", "\(date)") } else { #expect(status == "confirmed", "\(date)") }
      }
      #expect(statuses.contains { $0["date"] as? String == "2023-06-07" && $0["id"] as? String == "\(id)-20230606" })
      // In the read model too.
      try await fixture.caughtUp()
      let listed = try await client.execute(uri: "/api/bookings?from=2023-04-01&to=2023-04-30&space=room-201", method: .get, headers: fixture.headers(fixture.desk))
      #expect(String(buffer: listed.body).contains("\(id)-20230425"))
    }
  }
}
