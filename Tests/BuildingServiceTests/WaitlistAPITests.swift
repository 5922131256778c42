import EventLog
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import BuildingService

/// キャンセル待ち over HTTP: the cancellation that frees a time offers it, in the same append,
/// to the first in line; when that offer lapses, the next in line gets it.
@Suite("kip-building: the waiting list's API", .serialized)
struct WaitlistAPITests {
  @Test("a cancellation offers the time to the first in line at once; a lapsed offer passes it to the next; a free time cannot be waited for")
  func inLine() async throws {
    let fixture = try await DeskFixture(today: "2023-04-03T10:00")
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      try await fixture.publishCatalogue(client)
      func register(_ name: String) async throws -> String {
        let made = try await client.execute(
          uri: "/api/customers", method: .post, headers: fixture.headers(fixture.desk, key: "c-\(name.unicodeScalars.first!.value)"),
          body: ByteBuffer(string: #"{"name":"\#(name)","nameKana":"テスト"}"#))
        return try #require(try json(made)["id"] as? String)
      }
      let first = try await register("一番商店")
      let second = try await register("二番工業")
      let booked = try json(try await client.execute(
        uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "b"),
        body: ByteBuffer(string: #"{"space":"room-202","date":"2023-04-28","slot":"afternoon","customer":{"name":"先客"}}"#)))
      let bookingID = try #require(booked["id"] as? String)
      let free = try await client.execute(
        uri: "/api/waitlist", method: .post, headers: fixture.headers(fixture.desk, key: "w0"),
        body: ByteBuffer(string: #"{"customer":"\#(first)","space":"room-202","date":"2023-04-28","slot":"morning"}"#))
      #expect(free.status == .unprocessableContent)
      #expect((try json(free)["detail"] as? String)?.contains("空いています") == true)
      for (key, customer) in [("w1", first), ("w2", second)] {
        let joined = try await client.execute(
          uri: "/api/waitlist", method: .post, headers: fixture.headers(fixture.desk, key: key),
          body: ByteBuffer(string: #"{"customer":"\#(customer)","space":"room-202","date":"2023-04-28","slot":"afternoon"}"#))
        #expect(joined.status == .created, "\(String(buffer: joined.body))")
      }
      let cancelled = try await client.execute(
        uri: "/api/bookings/\(bookingID)/cancel", method: .post, headers: fixture.headers(fixture.desk, key: "x"),
        body: ByteBuffer(string: #"{"reason":"日程変更"}"#))
      #expect(cancelled.status == .ok)
      var list = try json(try await client.execute(uri: "/api/waitlist?space=room-202&date=2023-04-28", method: .get, headers: fixture.headers(fixture.desk)))
      var entries = try #require(list["entries"] as? [[String: Any]])
      #expect(entries.map { $0["status"] as? String } == ["offered", "waiting"])
      #expect(entries[0]["deadline"] as? String == "2023-04-05" && entries[1]["place"] as? Int == 1)
      let offered = try #require(entries[0]["offeredBooking"] as? String)
      // Nobody else can take the time meanwhile.
      let grab = try await client.execute(
        uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "g"),
        body: ByteBuffer(string: #"{"space":"room-202","date":"2023-04-28","slot":"afternoon","customer":{"name":"飛び込み"}}"#))
      #expect(grab.status == .conflict)
      // The first lets the offer lapse; the sweeper passes the time to the second.
      try await fixture.caughtUp()
      guard let runner = fixture.app.projections else { return }
      fixture.clock.set("2023-04-06T00:05")
      let sweeper = LapseSweeper(desk: Desk(store: fixture.app.store, now: { fixture.clock.now() }), reads: DeskReads(runner: runner), logger: .init(label: "test"))
      #expect(await sweeper.sweep() == 1)
      list = try json(try await client.execute(uri: "/api/waitlist?space=room-202&date=2023-04-28", method: .get, headers: fixture.headers(fixture.desk)))
      entries = try #require(list["entries"] as? [[String: Any]])
      #expect(entries.map { $0["status"] as? String } == ["offered", "offered"])
      let next = try #require(entries[1]["offeredBooking"] as? String)
      #expect(next != offered && entries[1]["deadline"] as? String == "2023-04-08")
      // Taking it is confirming the 仮予約.
      let taken = try await client.execute(uri: "/api/bookings/\(next)/confirm", method: .post, headers: fixture.headers(fixture.desk, key: "t"))
      #expect(taken.status == .ok)
      #expect(try json(taken)["status"] as? String == "confirmed")
    }
  }
}
