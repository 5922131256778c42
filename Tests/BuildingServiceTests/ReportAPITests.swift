import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import SharedKernel
import TestSupport
import Testing

@testable import BuildingService

/// The manager's reports over HTTP, tied out to the bookings, invoices and payments made
/// through the same API: utilisation, revenue, cancellations, and their CSV files.
@Suite("kip-building: the manager's reports", .serialized)
struct ReportAPITests {
  let customer = #"{"name":"株式会社みなと製作所","nameKana":"ミナトセイサクショ"}"#

  func withService(_ body: @escaping @Sendable (DeskFixture, any TestClientProtocol) async throws -> Void) async throws {
    let fixture = try await DeskFixture(today: "2022-04-01T10:00")
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      try await fixture.publishCatalogue(client)
      try await body(fixture, client)
    }
  }

  @discardableResult
  func post(
    _ client: some TestClientProtocol, _ fixture: DeskFixture, _ uri: String, _ body: String, expect status: HTTPResponse.Status,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> [String: Any] {
    let response = try await client.execute(
      uri: uri, method: .post, headers: fixture.headers(fixture.manager, key: UUID().uuidString), body: ByteBuffer(string: body))
    #expect(response.status == status, "\(uri): \(String(buffer: response.body))", sourceLocation: sourceLocation)
    return try json(response)
  }

  /// A report once both read models have caught up.
  func get(_ client: some TestClientProtocol, _ fixture: DeskFixture, _ uri: String) async throws -> TestResponse {
    let head = try await fixture.app.store.head().position
    for projection in ["building", "letting"] {
      #expect(try await fixture.app.projections?.waitUntil(projection, reached: head, timeout: .seconds(30)) == true)
    }
    return try await client.execute(uri: uri, method: .get, headers: fixture.headers(fixture.manager))
  }

  func book(_ client: some TestClientProtocol, _ fixture: DeskFixture, _ space: String, _ date: String, _ slot: String, provisional: Bool = false)
    async throws -> (id: String, total: Int)
  {
    let made = try await post(
      client, fixture, "/api/bookings",
      #"{"space":"\#(space)","date":"\#(date)","slot":"\#(slot)","customer":\#(customer),"provisional":\#(provisional)}"#, expect: .created)
    return (try #require(made["id"] as? String), try #require(made["totalYen"] as? Int))
  }

  /// The rows of a CSV answer, after checking its BOM.
  func rows(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) -> [[String]] {
    let bytes = Data(buffer: response.body)
    #expect(response.status == .ok && response.headers[.contentType] == "text/csv; charset=utf-8", sourceLocation: sourceLocation)
    #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 with BOM, for Excel", sourceLocation: sourceLocation)
    return String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  @Test("utilisation counts each basic block let out of those open; the whole hall takes its parts' blocks; the CSV says the same")
  func utilisation() async throws {
    try await withService { fixture, client in
      _ = try await book(client, fixture, "room-201", "2022-05-10", "morning")
      _ = try await book(client, fixture, "room-201", "2022-05-11", "full-day")
      _ = try await book(client, fixture, "room-201", "2022-05-12", "afternoon", provisional: true)
      let cancelled = try await book(client, fixture, "room-201", "2022-05-13", "evening")
      try await post(client, fixture, "/api/bookings/\(cancelled.id)/cancel", #"{"reason":"都合により"}"#, expect: .ok)
      _ = try await book(client, fixture, "hall", "2022-06-01", "morning")
      try await post(
        client, fixture, "/api/closures", #"{"from":"2022-06-06","to":"2022-06-07","spaces":["room-202"],"reason":"空調工事"}"#, expect: .created)

      let report = try json(try await get(client, fixture, "/api/reports/utilisation?fy=2022"))
      #expect(report["fiscalYear"] as? String == "FY2022")
      let rooms = try #require(report["rooms"] as? [[String: Any]])
      func room(_ id: String) throws -> [String: Any] { try #require(rooms.first { $0["space"] as? String == id }) }
      func month(_ id: String, _ index: Int) throws -> [String: Any] { try #require((try room(id)["months"] as? [[String: Any]])?[index]) }
      // May: 31 open days × 3 blocks; the morning and the three blocks of the full day are let;
      // the provisional and the cancelled booking let nothing.
      let may = try month("room-201", 1)
      #expect(may["availableBlocks"] as? Int == 93 && may["letBlocks"] as? Int == 4)
      #expect((may["share"] as? [String: Any])?["text"] as? String == "4.30%")
      // The year: 365 days less 年末年始 (29 Dec – 3 Jan), × 3.
      let year = try #require(try room("room-201")["year"] as? [String: Any])
      #expect(year["availableBlocks"] as? Int == 1_077 && year["letBlocks"] as? Int == 4)
      #expect((year["share"] as? [String: Any])?["text"] as? String == "0.37%")
      // December loses its last three days to 年末年始, January its first three.
      #expect(try month("room-201", 8)["availableBlocks"] as? Int == 28 * 3)
      #expect(try month("room-201", 9)["availableBlocks"] as? Int == 28 * 3)
      // June: the whole hall let for a morning; its parts could not be let that morning.
      #expect(try month("hall", 2)["letBlocks"] as? Int == 1)
      #expect(try month("hall", 2)["availableBlocks"] as? Int == 90)
      #expect(try month("hall-a", 2)["letBlocks"] as? Int == 0)
      #expect(try month("hall-a", 2)["availableBlocks"] as? Int == 89)
      #expect(try month("hall-east", 2)["availableBlocks"] as? Int == 89)
      #expect(try month("room-201", 2)["availableBlocks"] as? Int == 90)
      // A closure of two days takes six blocks from room 202 alone.
      #expect(try month("room-202", 2)["availableBlocks"] as? Int == 84)
      let totals = try #require(report["totals"] as? [[String: Any]])
      #expect(totals[1]["letBlocks"] as? Int == 4 && totals[2]["letBlocks"] as? Int == 1)

      let csv = rows(try await get(client, fixture, "/api/reports/utilisation?fy=令和4年度&format=csv"))
      #expect(csv.first == ["施設ID", "施設", "月", "利用可能コマ数", "利用コマ数", "利用率"])
      #expect(csv.contains { $0[0] == "room-201" && $0[2] == "2022-05" && $0[3] == "93" && $0[4] == "4" && $0[5] == "4.30%" })
      #expect(csv.contains { $0[0] == "room-201" && $0[2] == "年度計" && $0[3] == "1077" && $0[5] == "0.37%" })
      #expect(csv.count == 1 + (rooms.count + 1) * 13)
    }
  }

  @Test("revenue ties out: rooms by the booked day's month (charge or 取消料), by space = by tier = by customer; invoices and payments by month; the total adds both")
  func revenue() async throws {
    try await withService { fixture, client in
      let paid = try await book(client, fixture, "room-201", "2022-05-10", "morning")
      try await post(client, fixture, "/api/bookings/\(paid.id)/payments", #"{"amountYen":\#(paid.total),"method":"cash"}"#, expect: .ok)
      let whole = try await book(client, fixture, "room-202", "2022-05-11", "full-day")
      let hall = try await book(client, fixture, "hall", "2022-06-01", "afternoon")
      _ = try await book(client, fixture, "room-201", "2022-07-01", "morning", provisional: true)
      let cancelled = try await book(client, fixture, "room-301", "2022-05-12", "afternoon")
      try await post(client, fixture, "/api/bookings/\(cancelled.id)/payments", #"{"amountYen":\#(cancelled.total),"method":"cash"}"#, expect: .ok)
      // Ten days before: half the facility fee is kept, the rest refunded at once.
      fixture.clock.set("2022-05-02T10:00")
      let cancel = try await post(client, fixture, "/api/bookings/\(cancelled.id)/cancel", #"{"reason":"都合により","refundMethod":"cash"}"#, expect: .ok)
      let fee = try #require((cancel["cancellation"] as? [String: Any])?["feeYen"] as? Int)
      #expect(fee > 0 && fee < cancelled.total)

      try await post(client, fixture, "/api/offices", #"{"id":"7F-701","floor":7,"name":"701号室","area":"100","leasable":true,"from":"2022-04-01"}"#, expect: .created)
      let lease = try await post(
        client, fixture, "/api/leases",
        #"{"tenant":{"name":"株式会社かもめ商事","nameKana":"カモメショウジ"},"units":["7F-701"],"start":"2022-04-01","end":"2024-03-31","noticeMonths":6,"charges":[{"label":"賃料","amountYen":100000},{"label":"共益費","amountYen":20000}],"depositYen":600000}"#,
        expect: .created)
      let leaseID = try #require(lease["id"] as? String)
      try await post(client, fixture, "/api/leases/\(leaseID)/invoices", #"{"month":"2022-05"}"#, expect: .ok)
      try await post(client, fixture, "/api/leases/\(leaseID)/invoices", #"{"month":"2022-06"}"#, expect: .ok)
      try await post(client, fixture, "/api/leases/\(leaseID)/payments", #"{"amountYen":150000,"method":"transfer"}"#, expect: .ok)

      let report = try json(try await get(client, fixture, "/api/reports/revenue?fy=FY2022"))
      let lines = try #require(report["lines"] as? [[String: Any]])
      func line(_ section: String, _ key: String) throws -> [Int] {
        try #require(lines.first { $0["section"] as? String == section && $0["key"] as? String == key }?["months"] as? [Int], "\(section)/\(key)")
      }
      func sum(_ section: String) -> [Int] {
        lines.filter { $0["section"] as? String == section }.compactMap { $0["months"] as? [Int] }.reduce(Array(repeating: 0, count: 12)) {
          zip($0, $1).map(+)
        }
      }
      #expect(try line("rooms-by-space", "room-201")[1] == paid.total)
      #expect(try line("rooms-by-space", "room-202")[1] == whole.total)
      #expect(try line("rooms-by-space", "room-301")[1] == fee, "a cancelled booking counts its fee, in the month it was for")
      #expect(try line("rooms-by-space", "hall")[2] == hall.total)
      #expect(try line("rooms-by-space", "room-201")[3] == 0, "a provisional booking has earned nothing yet")
      let rooms = try line("rooms", "rooms")
      #expect(rooms[1] == paid.total + whole.total + fee && rooms[2] == hall.total)
      #expect(sum("rooms-by-space") == rooms && sum("rooms-by-tier") == rooms && sum("rooms-by-customer") == rooms)
      #expect(try line("rooms-detail", "cancellation-fees")[1] == fee)
      // Cash: April took both payments; May paid back all but the fee.
      #expect(try line("received", "rooms")[0] == paid.total + cancelled.total)
      #expect(try line("received", "rooms")[1] == fee - cancelled.total)
      // 賃料 100,000 + 共益費 20,000 + 10% = 132,000 billed for May and for June; 150,000 received on 2 May.
      #expect(try line("letting", "office")[1] == 132_000)
      #expect(try line("letting", "office")[2] == 132_000)
      #expect(try line("received", "office")[1] == 150_000)
      #expect(try line("received", "office")[0] == 0)
      let total = try line("total", "all")
      #expect(total == zip(rooms, sum("letting")).map(+))
      let yearTotal = lines.first { $0["section"] as? String == "total" }?["yearYen"] as? Int
      #expect(yearTotal == paid.total + whole.total + fee + hall.total + 264_000)

      let csv = rows(try await get(client, fixture, "/api/reports/revenue?fy=2022&format=csv"))
      #expect(csv.first?.count == 2 + 12 + 1 && csv.first?[2] == "2022-04" && csv.first?.last == "年度計")
      #expect(csv.count == lines.count + 1)
      #expect(csv.last?[1] == "収入合計（税込）" && csv.last?.last == yearTotal.map(String.init))
    }
  }

  @Test("cancellations by the booked day's month: kept, cancelled with their fees, lapsed and no-shows, and each room's year")
  func cancellations() async throws {
    try await withService { fixture, client in
      _ = try await book(client, fixture, "room-201", "2022-05-10", "morning")
      let gone = try await book(client, fixture, "room-201", "2022-05-12", "afternoon")
      let absent = try await book(client, fixture, "room-202", "2022-05-20", "evening")
      _ = try await book(client, fixture, "room-202", "2022-05-25", "morning", provisional: true)
      fixture.clock.set("2022-05-02T10:00")
      let cancel = try await post(client, fixture, "/api/bookings/\(gone.id)/cancel", #"{"reason":"都合により"}"#, expect: .ok)
      let fee = try #require((cancel["cancellation"] as? [String: Any])?["feeYen"] as? Int)
      fixture.clock.set("2022-05-21T10:00")
      try await post(client, fixture, "/api/bookings/\(absent.id)/no-show", "{}", expect: .ok)

      let report = try json(try await get(client, fixture, "/api/reports/cancellations?fy=2022"))
      let may = try #require((report["figures"] as? [[String: Any]])?[1])
      #expect(may["bookings"] as? Int == 4 && may["kept"] as? Int == 2 && may["cancelled"] as? Int == 1 && may["noShows"] as? Int == 1)
      #expect(may["cancellationFeesYen"] as? Int == fee && may["lapsed"] as? Int == 0)
      #expect((may["cancellationShare"] as? [String: Any])?["text"] as? String == "25.00%")
      #expect((may["noShowShare"] as? [String: Any])?["text"] as? String == "50.00%")
      let rooms = try #require(report["rooms"] as? [[String: Any]])
      let room202 = try #require(rooms.first { $0["space"] as? String == "room-202" }?["year"] as? [String: Any])
      #expect(room202["bookings"] as? Int == 2 && room202["noShows"] as? Int == 1 && room202["cancelled"] as? Int == 0)

      let csv = rows(try await get(client, fixture, "/api/reports/cancellations?fy=2022&format=csv"))
      #expect(csv.first?[0] == "区分" && csv[2] == ["月別", "2022-05", "4", "2", "1", String(fee), "0", "1", "25.00%", "50.00%"])
      #expect(csv.count == 1 + 13 + rooms.count)
    }
  }

  @Test("a fiscal year or format the reports cannot read is a 422 naming the parameter")
  func badParameters() async throws {
    try await withService { fixture, client in
      for (uri, field) in [
        ("/api/reports/utilisation?fy=abc", "fy"), ("/api/reports/revenue?fy=1800", "fy"), ("/api/reports/cancellations?format=xml", "format"),
        ("/api/reports/occupancy?fy=", nil), ("/api/reports/arrears?on=2022-02-30", "on"),
      ] {
        let response = try await get(client, fixture, uri)
        if let field {
          #expect(response.status == .unprocessableContent, "\(uri)")
          #expect(try json(response)["field"] as? String == field, "\(uri)")
        } else {
          #expect(response.status == .ok, "an empty fy is this fiscal year: \(uri)")
        }
      }
    }
  }
}
