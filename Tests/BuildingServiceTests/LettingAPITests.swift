import EventLog
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import SharedKernel
import TestSupport
import Testing

@testable import BuildingService

/// 貸事務室と駐車場 through the API: registers, leases, invoices and payments, visitors, reports.
@Suite("kip-building: rental offices and the car park", .serialized)
struct LettingAPITests {
  /// A fresh service on its own log, the catalogue published when `catalogue`.
  func withService(
    today: String = "2022-04-01T10:00", catalogue: Bool = false, _ body: @escaping @Sendable (DeskFixture, any TestClientProtocol) async throws -> Void
  ) async throws {
    let fixture = try await DeskFixture(today: today)
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      if catalogue { try await fixture.publishCatalogue(client) }
      try await body(fixture, client)
    }
  }

  @discardableResult
  func post(
    _ client: some TestClientProtocol, _ fixture: DeskFixture, _ uri: String, _ body: String, as token: String? = nil, key: String = UUID().uuidString,
    method: HTTPRequest.Method = .post, expect status: HTTPResponse.Status? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> TestResponse {
    let response = try await client.execute(
      uri: uri, method: method, headers: fixture.headers(token ?? fixture.manager, key: key), body: ByteBuffer(string: body))
    if let status { #expect(response.status == status, "\(uri): \(String(buffer: response.body))", sourceLocation: sourceLocation) }
    return response
  }

  func get(_ client: some TestClientProtocol, _ fixture: DeskFixture, _ uri: String) async throws -> TestResponse {
    try await caughtUp(fixture)
    return try await client.execute(uri: uri, method: .get, headers: fixture.headers(fixture.desk))
  }

  func caughtUp(_ fixture: DeskFixture) async throws {
    let head = try await fixture.app.store.head().position
    #expect(try await fixture.app.projections?.waitUntil("letting", reached: head, timeout: .seconds(30)) == true)
  }

  func array(_ response: TestResponse) throws -> [[String: Any]] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]], "\(String(buffer: response.body))")
  }

  static let tenant = #"{"name":"株式会社かもめ商事","nameKana":"カモメショウジ","corporateNumber":"7000012050002"}"#

  func unit(_ id: String, floor: Int = 7, area: String, leasable: Bool = true) -> String {
    #"{"id":"\#(id)","floor":\#(floor),"name":"\#(id)号室","area":"\#(area)","leasable":\#(leasable),"from":"2022-04-01"}"#
  }

  func lease(_ units: [String], start: String = "2022-04-01", end: String, renewalMonths: Int? = nil, noticeMonths: Int = 6, rent: Int = 100_000) -> String {
    let units = units.map { "\"\($0)\"" }.joined(separator: ",")
    return #"{"tenant":\#(Self.tenant),"units":[\#(units)],"start":"\#(start)","end":"\#(end)","#
      + (renewalMonths.map { #""renewalMonths":\#($0),"# } ?? "")
      + #""noticeMonths":\#(noticeMonths),"charges":[{"label":"賃料","amountYen":\#(rent)},{"label":"共益費","amountYen":20000}],"depositYen":600000}"#
  }

  /// Three leasable units (100 + 50 + 50 ㎡) and the foundation's own floor; two monthly and three visitor spaces; the usual tariff.
  func registerPremises(_ client: some TestClientProtocol, _ fixture: DeskFixture) async throws {
    for body in [unit("7F-701", area: "100.00"), unit("7F-702", area: "50"), unit("7F-703", area: "50.00"), unit("5F-501", floor: 5, area: "300", leasable: false)] {
      try await post(client, fixture, "/api/offices", body, expect: .created)
    }
    for (id, kind) in [("M-01", "monthly"), ("M-02", "monthly"), ("V-01", "visitor"), ("V-02", "visitor"), ("V-03", "visitor")] {
      try await post(client, fixture, "/api/parking/spaces", #"{"id":"\#(id)","label":"\#(id)番","kind":"\#(kind)","from":"2022-04-01"}"#, expect: .created)
    }
    try await post(client, fixture, "/api/parking/tariff", #"{"from":"2022-04-01"}"#, expect: .ok)
  }

  @Test("occupancy at month ends: a unit terminated at the end of September drops out from October, a unit under notice is listed apart; CSV has the BOM and ties out")
  func occupancyReport() async throws {
    try await withService { fixture, client in
      try await registerPremises(client, fixture)
      let units = try array(try await get(client, fixture, "/api/offices"))
      #expect(units.first { $0["id"] as? String == "7F-701" }?["tsubo"] as? String == "30.25坪")
      let a = try json(try await post(client, fixture, "/api/leases", lease(["7F-701"], end: "2024-03-31", renewalMonths: 24), expect: .created))
      let b = try json(try await post(client, fixture, "/api/leases", lease(["7F-702"], end: "2023-03-31", noticeMonths: 1), expect: .created))
      let leaseA = try #require(a["id"] as? String), leaseB = try #require(b["id"] as? String)
      try await post(
        client, fixture, "/api/parking/contracts",
        #"{"contractor":\#(Self.tenant),"space":"M-01","start":"2022-04-01","end":"2023-03-31","feeYen":11000}"#, expect: .created)
      // The same unit again over the same months is refused.
      let taken = try await post(client, fixture, "/api/leases", lease(["7F-701"], end: "2023-03-31"))
      #expect(taken.status == .conflict && taken.headers[.contentType] == "application/problem+json; charset=utf-8")

      fixture.clock.set("2022-05-16T10:00")
      let ended = try json(
        try await post(client, fixture, "/api/leases/\(leaseA)/termination", #"{"end":"2022-09-30","reason":"移転のため","agreed":true}"#, expect: .ok))
      #expect(ended["through"] as? String == "2022-09-30")
      fixture.clock.set("2022-11-10T10:00")
      let noticed = try json(try await post(client, fixture, "/api/leases/\(leaseB)/notice", "{}", expect: .ok))
      #expect((noticed["notice"] as? [String: Any])?["end"] as? String == "2022-12-10")

      let report = try json(try await get(client, fixture, "/api/reports/occupancy?fy=2022"))
      let months = try #require(report["months"] as? [[String: Any]])
      #expect(months.count == 12)
      let offices = months.compactMap { $0["offices"] as? [String: Any] }
      #expect(offices.map { $0["rate"] as? String } == ["75.00%", "75.00%", "75.00%", "75.00%", "75.00%", "75.00%", "25.00%", "25.00%", "0.00%", "0.00%", "0.00%", "0.00%"])
      #expect(offices[5]["date"] as? String == "2022-09-30" && offices[5]["occupiedPremises"] as? [String] == ["7F-701", "7F-702"])
      #expect(offices[6]["occupiedPremises"] as? [String] == ["7F-702"] && offices[6]["underNoticePremises"] as? [String] == [])
      #expect(offices[7]["underNoticePremises"] as? [String] == ["7F-702"] && offices[7]["underNotice"] as? Int == 5_000)
      #expect(offices[0]["lettable"] as? Int == 20_000 && offices[0]["lettableArea"] as? String == "200.00㎡（60.50坪）")
      let parking = months.compactMap { $0["parking"] as? [String: Any] }
      #expect(parking.allSatisfy { $0["rate"] as? String == "50.00%" && $0["lettable"] as? Int == 2 })

      let csv = try await get(client, fixture, "/api/reports/occupancy?fy=FY2022&format=csv")
      #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
      let bytes = Data(buffer: csv.body)
      #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
      let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
      #expect(lines.count == 13 && lines[0].first == "月末")
      #expect(lines.dropFirst().map { $0[4] } == offices.compactMap { $0["rate"] as? String })
      #expect(lines.dropFirst().map { $0[0] } == offices.compactMap { $0["date"] as? String })
      #expect(lines[8][5] == "7F-702" && lines[1][1] == "200.00" && lines[1][2] == "150.00" && lines[1][10] == "50.00%")
      let bad = try await get(client, fixture, "/api/reports/occupancy?fy=abc")
      #expect(bad.status == .unprocessableContent && bad.headers[.contentType] == "application/problem+json; charset=utf-8")
    }
  }

  @Test("arrears: a partial payment leaves the rest overdue, counted in days from the due date to the day asked about")
  func arrears() async throws {
    try await withService { fixture, client in
      try await registerPremises(client, fixture)
      let lease = try #require(try json(try await post(client, fixture, "/api/leases", self.lease(["7F-701"], end: "2024-03-31", renewalMonths: 24), expect: .created))["id"] as? String)
      let invoiced = try json(try await post(client, fixture, "/api/leases/\(lease)/invoices", #"{"month":"2022-05"}"#, expect: .ok))
      let invoice = try #require(invoiced["invoice"] as? [String: Any])
      // 賃料 100,000 + 共益費 20,000, 税抜: + 10% = 132,000, due the last day of April.
      #expect(invoice["number"] as? String == "I2022-00001" && invoice["totalYen"] as? Int == 132_000 && invoice["due"] as? String == "2022-04-30")
      fixture.clock.set("2022-05-10T15:00")
      let paid = try json(try await post(client, fixture, "/api/invoices/I2022-00001/payments", #"{"amountYen":32000,"method":"transfer"}"#, expect: .ok))
      #expect(paid["owedYen"] as? Int == 100_000)
      #expect(try array(try await get(client, fixture, "/api/arrears?on=2022-04-30")).isEmpty)
      let before = try array(try await get(client, fixture, "/api/arrears?on=2022-05-01"))
      #expect(before.map { $0["balanceYen"] as? Int } == [132_000] && before.first?["daysOverdue"] as? Int == 1)
      let after = try array(try await get(client, fixture, "/api/arrears?on=2022-05-11"))
      #expect(after.count == 1)
      #expect(after.first?["balanceYen"] as? Int == 100_000 && after.first?["paidYen"] as? Int == 32_000 && after.first?["daysOverdue"] as? Int == 11)
      let report = try json(try await get(client, fixture, "/api/reports/arrears?on=2022-05-11"))
      #expect(report["totalYen"] as? Int == 100_000)
      let csv = try await get(client, fixture, "/api/reports/arrears?on=令和4年5月11日&format=csv")
      let text = String(decoding: Data(buffer: csv.body), as: UTF8.self)
      #expect(text.hasPrefix("\u{FEFF}請求書番号") && text.contains("I2022-00001,\(lease),貸事務室,株式会社かもめ商事,2022-05,2022-04-30,132000,32000,100000,11"))
      // Paid in full: nothing overdue.
      try await post(client, fixture, "/api/leases/\(lease)/payments", #"{"amountYen":100000,"method":"cash"}"#, expect: .ok)
      #expect(try array(try await get(client, fixture, "/api/arrears?on=2022-05-11")).isEmpty)
      // A parking contract's invoice is paid by its number too, the moment it is issued.
      let parking = try #require(
        try json(
          try await post(
            client, fixture, "/api/parking/contracts",
            #"{"contractor":\#(Self.tenant),"space":"M-01","start":"2022-04-01","end":"2023-03-31","feeYen":11000}"#, expect: .created))["id"] as? String)
      let billed = try #require(
        try json(try await post(client, fixture, "/api/parking/contracts/\(parking)/invoices", #"{"month":"2022-06"}"#, expect: .ok))["invoice"] as? [String: Any])
      let number = try #require(billed["number"] as? String), total = try #require(billed["totalYen"] as? Int)
      #expect(number == "I2022-00002" && total == 11_000)
      let settled = try json(
        try await post(client, fixture, "/api/invoices/\(number)/payments", #"{"amountYen":\#(total),"method":"transfer"}"#, expect: .ok))
      #expect(settled["owedYen"] as? Int == 0, "\(settled)")
    }
  }

  @Test("a visitor validated by a same-day booking pays only beyond its free time, to the yen; without validation the full fee; guest holds take free spaces")
  func visitors() async throws {
    try await withService(today: "2023-04-03T10:00", catalogue: true) { fixture, client in
      try await registerPremises(client, fixture)
      let booking = try await post(
        client, fixture, "/api/bookings",
        #"{"space":"room-201","date":"2023-04-20","slot":"afternoon","customer":{"name":"山田商店","nameKana":"ヤマダショウテン"}}"#, as: fixture.desk,
        expect: .created)
      let bookingID = try #require(try json(booking)["id"] as? String)
      fixture.clock.set("2023-04-20T12:50")
      let a = try #require(try json(try await post(client, fixture, "/api/parking/visitors", #"{"plate":"横浜 300 あ 12-34"}"#, as: fixture.desk, expect: .created))["ticket"] as? String)
      let b = try #require(try json(try await post(client, fixture, "/api/parking/visitors", "{}", as: fixture.desk, expect: .created))["ticket"] as? String)
      #expect(a == "20230420-0001" && b == "20230420-0002")
      let validated = try json(try await post(client, fixture, "/api/parking/visitors/\(a)/validation", #"{"booking":"\#(bookingID)"}"#, as: fixture.desk, expect: .ok))
      // 午後 13:00–17:00 is 240 minutes, and 30 more.
      #expect(validated["freeMinutes"] as? Int == 270)
      fixture.clock.set("2023-04-20T14:20")
      let full = try json(try await post(client, fixture, "/api/parking/visitors/\(b)/exit", "", as: fixture.desk, expect: .ok))
      // 90 minutes: 3 × ¥300.
      #expect(full["feeYen"] as? Int == 900 && full["taxYen"] as? Int == 81)
      fixture.clock.set("2023-04-20T17:35")
      let free = try json(try await post(client, fixture, "/api/parking/visitors/\(a)/exit", "", as: fixture.desk, expect: .ok))
      // 285 minutes parked, 270 free: one started half hour.
      #expect(free["feeYen"] as? Int == 300 && free["taxYen"] as? Int == 27 && free["parkedMinutes"] as? Int == 285)
      let again = try await post(client, fixture, "/api/parking/visitors/\(a)/exit", "", as: fixture.desk)
      #expect(again.status == .unprocessableContent)
      #expect(try await post(client, fixture, "/api/parking/visitors/20230420-0099/exit", "", as: fixture.desk).status == .notFound)

      // Two of the three visitor spaces held for the booking's guests: one is free for others.
      let held = try json(try await post(client, fixture, "/api/parking/guest-holds", #"{"booking":"\#(bookingID)","spaces":2}"#, as: fixture.desk, expect: .ok))
      #expect((held["occupancy"] as? [String: Any])?["free"] as? Int == 1)
      try await post(client, fixture, "/api/parking/visitors", "{}", as: fixture.desk, expect: .created)
      let fullUp = try await post(client, fixture, "/api/parking/visitors", "{}", as: fixture.desk)
      let fullDetail = try json(fullUp)["detail"] as? String
      #expect(fullUp.status == .unprocessableContent && fullDetail?.contains("満車") == true)
      try await post(client, fixture, "/api/parking/visitors", #"{"hold":"\#(bookingID)"}"#, as: fixture.desk, expect: .created)
      let now = try json(try await get(client, fixture, "/api/parking/occupancy?on=2023-04-20"))
      let visitors = try #require(now["visitors"] as? [String: Any])
      #expect(visitors["spaces"] as? Int == 3 && visitors["held"] as? Int == 2 && visitors["heldInUse"] as? Int == 1 && visitors["free"] as? Int == 0)
      #expect(visitors["parked"] as? Int == 2)
      let released = try json(try await post(client, fixture, "/api/parking/guest-holds/\(bookingID)", "", as: fixture.desk, method: .delete, expect: .ok))
      #expect((released["occupancy"] as? [String: Any])?["free"] as? Int == 1)
      // The tariff in force that day, as set.
      let tariff = try json(try await get(client, fixture, "/api/parking/tariff?on=2023-04-20"))
      #expect(tariff["from"] as? String == "2022-04-01" && (tariff["tariff"] as? [String: Any])?["unitMinutes"] as? Int == 30, "\(tariff)")
      #expect(try await get(client, fixture, "/api/parking/tariff?on=2022-03-31").status == .notFound)
      // The month in the occupancy report: two stays ended (one validated, ¥900 + ¥300), at most two cars at once.
      let april = try #require((try json(try await get(client, fixture, "/api/reports/occupancy?fy=2023"))["months"] as? [[String: Any]])?.first)
      let month = try #require(april["visitors"] as? [String: Any])
      #expect(month["stays"] as? Int == 2 && month["validated"] as? Int == 1 && month["feesYen"] as? Int == 1_200, "\(month)")
      #expect(month["peakParked"] as? Int == 2 && month["spaces"] as? Int == 3, "\(month)")
      // The desk may not let offices.
      #expect(try await post(client, fixture, "/api/leases", lease(["7F-703"], end: "2024-03-31"), as: fixture.desk).status == .forbidden)
    }
  }

  @Test("bad input is 4xx problem+json in Japanese and appends nothing; a retry with the same Idempotency-Key answers the first answer")
  func badInputAndRetries() async throws {
    try await withService { fixture, client in
      try await registerPremises(client, fixture)
      let head = try await fixture.app.store.head().position
      let refused: [(String, String, String)] = [
        ("/api/leases", lease(["9F-999"], end: "2024-03-31"), "9F-999 は登録されていません"),
        ("/api/leases", lease(["7F-701"], start: "2022-04-01", end: "2022-03-01"), "開始日"),
        ("/api/leases", lease(["7F-701"], end: "2024-03-31", rent: -100), "0円以上"),
        ("/api/invoices/I2022-00042/payments", #"{"amountYen":1000,"method":"transfer"}"#, "請求書 I2022-00042 はありません"),
        ("/api/leases/l-nothing/notice", "{}", "契約 l-nothing はありません"),
        ("/api/offices", unit("7F-704", area: "-3"), "面積"),
        ("/api/leases", #"{"tenant":\#(Self.tenant),"units":["7F-701"],"start":"2022-02-30","end":"2023-03-31","charges":[]}"#, "start"),
      ]
      for (uri, body, words) in refused {
        let response = try await post(client, fixture, uri, body)
        #expect((400..<500).contains(response.status.code), "\(uri) \(body): \(response.status)")
        #expect(response.headers[.contentType] == "application/problem+json; charset=utf-8")
        let detail = try json(response)["detail"] as? String ?? ""
        #expect(detail.contains(words), "\(uri): \(detail)")
      }
      // A parking contract for a space the register lacks names the space, not the units.
      let noSpace = try await post(
        client, fixture, "/api/parking/contracts", #"{"contractor":\#(Self.tenant),"space":"M-99","start":"2022-04-01","end":"2023-03-31","feeYen":11000}"#)
      let noSpaceField = try json(noSpace)["field"] as? String
      #expect(noSpace.status == .unprocessableContent && noSpaceField == "space", "\(String(buffer: noSpace.body))")
      #expect(try await fixture.app.store.head().position == head, "nothing was appended")
      #expect(try await post(client, fixture, "/api/invoices/I2022-00042/payments", #"{"amountYen":1000,"method":"transfer"}"#).status == .notFound)

      let body = lease(["7F-701"], end: "2024-03-31", renewalMonths: 24)
      let first = try await post(client, fixture, "/api/leases", body, key: "lease-701", expect: .created)
      let second = try await post(client, fixture, "/api/leases", body, key: "lease-701", expect: .created)
      #expect(String(buffer: second.body) == String(buffer: first.body) && second.headers[.idempotentReplayed] == "true")
      #expect(second.headers[.eTag] == first.headers[.eTag])
      #expect(try array(try await get(client, fixture, "/api/leases")).count == 1)
      let other = try await post(client, fixture, "/api/leases", lease(["7F-702"], end: "2024-03-31"), key: "lease-701")
      let otherType = try json(other)["type"] as? String
      #expect(other.status == .unprocessableContent && otherType == "urn:kip:problem:idempotency-key-reused")
    }
  }

  @Test("the letting read model rebuilt from the log has the same checksum as the live one")
  func rebuildChecksum() async throws {
    try await withService { fixture, client in
      try await registerPremises(client, fixture)
      let lease = try #require(try json(try await post(client, fixture, "/api/leases", self.lease(["7F-701", "7F-703"], end: "2024-03-31", renewalMonths: 24), expect: .created))["id"] as? String)
      try await post(client, fixture, "/api/leases/\(lease)/deposit", #"{"amountYen":600000,"method":"transfer"}"#, expect: .ok)
      try await post(client, fixture, "/api/leases/\(lease)/invoices", #"{"month":"2022-04"}"#, expect: .ok)
      try await post(client, fixture, "/api/leases/\(lease)/payments", #"{"amountYen":50000,"method":"transfer"}"#, expect: .ok)
      fixture.clock.set("2022-04-01T11:00")
      try await post(client, fixture, "/api/parking/visitors", #"{"plate":"品川 500 さ 10-10"}"#, as: fixture.desk, expect: .created)
      let detail = try json(try await get(client, fixture, "/api/leases/\(lease)"))
      #expect((detail["invoices"] as? [[String: Any]])?.first?["paidYen"] as? Int == 50_000)
      #expect((detail["summary"] as? [String: Any])?["depositHeldYen"] as? Int == 600_000)
      let runner = try #require(fixture.app.projections)
      let live = try await runner.checksum("letting")
      try await runner.rebuild("letting")
      let deadline = ContinuousClock.now + .seconds(60)
      while try await runner.status().first(where: { $0.name == "letting" })?.rebuildPosition != nil, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
      }
      #expect(try await runner.status().first { $0.name == "letting" }?.rebuildPosition == nil, "the rebuild switched")
      try await caughtUp(fixture)
      #expect(try await runner.checksum("letting") == live)
    }
  }
}
