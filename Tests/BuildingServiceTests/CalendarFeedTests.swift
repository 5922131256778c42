import EventLog
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import BuildingService

/// The subscribable iCalendar feeds: by secret link, without signing in, in Japan time, folded
/// to 75 octets; a revoked link is gone.
@Suite("kip-building: iCalendar feeds", .serialized)
struct CalendarFeedTests {
  /// The feed's lines unfolded (RFC 5545 §3.1).
  func unfolded(_ body: String) -> [String] {
    body.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
  }

  @Test("a space's feed shows its bookings at their Japan times, provisional as TENTATIVE; a customer's only theirs; revoked is 404")
  func feeds() async throws {
    let fixture = try await DeskFixture(today: "2023-04-03T10:00")
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      try await fixture.publishCatalogue(client)
      let long = "一般社団法人かながわ地域産業振興協議会・中小企業事業承継ネットワーク連絡会"
      let customer = try #require(try json(try await client.execute(
        uri: "/api/customers", method: .post, headers: fixture.headers(fixture.desk, key: "c"),
        body: ByteBuffer(string: #"{"name":"\#(long)","nameKana":"カナガワ"}"#)))["id"] as? String)
      for (key, slot, who, provisional) in [
        ("a", "afternoon", #""\#(customer)""#, "true"), ("e", "evening", #"{"name":"別の利用者"}"#, "false"),
      ] {
        let made = try await client.execute(
          uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: key),
          body: ByteBuffer(string: #"{"space":"room-201","date":"2023-04-20","slot":"\#(slot)","customer":\#(who),"provisional":\#(provisional)}"#))
        #expect(made.status == .created, "\(String(buffer: made.body))")
      }
      try await fixture.caughtUp()
      let refused = try await client.execute(
        uri: "/api/calendar-links", method: .post, headers: fixture.headers(fixture.desk, key: "l0"), body: ByteBuffer(string: #"{"space":"room-999"}"#))
      #expect(refused.status == .unprocessableContent)
      let issued = try json(try await client.execute(
        uri: "/api/calendar-links", method: .post, headers: fixture.headers(fixture.desk, key: "l1"), body: ByteBuffer(string: #"{"space":"room-201"}"#)))
      let url = try #require(issued["url"] as? String)
      // A retry with the same key does not show the token again, and nothing stored has it.
      let retried = try await client.execute(
        uri: "/api/calendar-links", method: .post, headers: fixture.headers(fixture.desk, key: "l1"), body: ByteBuffer(string: #"{"space":"room-201"}"#))
      #expect(retried.headers[.idempotentReplayed] == "true")
      #expect(try json(retried)["url"] == nil && json(retried)["id"] as? String == issued["id"] as? String)
      let token = String(url.dropFirst("/calendar/".count).dropLast(4))
      for suffix in ["", "-wal"] {
        let file = (try? Data(contentsOf: URL(filePath: fixture.logPath + suffix))) ?? Data()
        #expect(file.range(of: Data(token.utf8)) == nil, "the token is not in events.sqlite\(suffix)")
      }
      #expect(url.hasPrefix("/calendar/") && url.hasSuffix(".ics"))
      // No sign-in: the link is the key.
      let feed = try await client.execute(uri: url, method: .get)
      #expect(feed.status == .ok)
      #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
      let body = String(buffer: feed.body)
      #expect(body.hasPrefix("BEGIN:VCALENDAR\r\n") && body.hasSuffix("END:VCALENDAR\r\n"))
      #expect(body.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 }, "folded to 75 octets")
      let lines = unfolded(body)
      #expect(lines.contains("DTSTART;TZID=Asia/Tokyo:20230420T130000") && lines.contains("DTEND;TZID=Asia/Tokyo:20230420T170000"))
      #expect(lines.contains("DTSTART;TZID=Asia/Tokyo:20230420T180000") && lines.contains("TZOFFSETTO:+0900"))
      #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 2)
      #expect(lines.contains("STATUS:TENTATIVE") && lines.contains("STATUS:CONFIRMED"))
      #expect(lines.contains { $0.hasPrefix("SUMMARY:") && $0.contains(long) }, "a long Japanese name survives folding whole")

      let mine = try json(try await client.execute(
        uri: "/api/calendar-links", method: .post, headers: fixture.headers(fixture.desk, key: "l2"), body: ByteBuffer(string: #"{"customer":"\#(customer)"}"#)))
      let theirs = unfolded(String(buffer: try await client.execute(uri: try #require(mine["url"] as? String), method: .get).body))
      #expect(theirs.filter { $0 == "BEGIN:VEVENT" }.count == 1 && theirs.contains("DTSTART;TZID=Asia/Tokyo:20230420T130000"))

      let revoked = try await client.execute(
        uri: "/api/calendar-links/\(try #require(issued["id"] as? String))/revoke", method: .post, headers: fixture.headers(fixture.desk, key: "r"))
      #expect(revoked.status == .ok)
      #expect(try await client.execute(uri: url, method: .get).status == .notFound)
      #expect(try await client.execute(uri: "/calendar/\(String(repeating: "A", count: 43)).ics", method: .get).status == .notFound)
      let listed = String(buffer: try await client.execute(uri: "/api/calendar-links", method: .get, headers: fixture.headers(fixture.desk)).body)
      #expect(!listed.contains(String(url.dropFirst("/calendar/".count).dropLast(4))), "tokens are never listed")
    }
  }
}
