import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import BuildingService

func form(_ fields: [String: String]) -> ByteBuffer {
  ByteBuffer(
    string: fields.sorted { $0.key < $1.key }.map { key, value in
      "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
    }.joined(separator: "&"))
}

@Suite("kip-building: the desk's pages", .serialized)
struct DeskPageTests {
  func withService(_ body: @escaping @Sendable (DeskFixture, any TestClientProtocol) async throws -> Void) async throws {
    let fixture = try await DeskFixture(today: "2023-04-03T10:00")
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      try await fixture.publishCatalogue(client)
      try await body(fixture, client)
    }
  }

  func page(_ fixture: DeskFixture, _ client: some TestClientProtocol, _ uri: String) async throws -> String {
    let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(fixture.desk)"])
    #expect(response.status == .ok, "\(uri): \(String(buffer: response.body).prefix(300))")
    return String(buffer: response.body)
  }

  func post(_ fixture: DeskFixture, _ client: some TestClientProtocol, _ uri: String, _ fields: [String: String], token: String? = nil) async throws -> TestResponse {
    try await client.execute(
      uri: uri, method: .post,
      headers: [.authorization: "Bearer \(token ?? fixture.desk)", .contentType: "application/x-www-form-urlencoded"], body: form(fields))
  }

  @Test("a booking made on the form shows in the grid at once; the same cell again is refused with the reason")
  func bookFromTheGrid() async throws {
    try await withService { fixture, client in
      let grid = try await page(fixture, client, "/desk?date=2023-04-20")
      #expect(grid.contains(#"data-space="room-201" data-date="2023-04-20" data-slot="afternoon""#))
      #expect(grid.contains("/desk/new?space=room-201&amp;date=2023-04-20&amp;slot=afternoon"))
      let fields = ["space": "room-201", "date": "令和5年4月20日", "slot": "afternoon", "name": "横浜印刷株式会社", "nameKana": "よこはまいんさつ", "_idempotency_key": "form-1"]
      let booked = try await post(fixture, client, "/desk/bookings", fields)
      #expect(booked.status == .seeOther, "\(String(buffer: booked.body).prefix(500))")
      let location = try #require(booked.headers[.location])
      #expect(location.hasPrefix("/desk/bookings/b-") && location.contains("after="))
      let shown = try await page(fixture, client, location)
      #expect(shown.contains("予約を受け付けました") && shown.contains("本予約") && shown.contains("3,300円") && shown.contains("P2023-00001"))
      #expect(shown.contains("本日取り消した場合: 利用日の17日前・キャンセル料 50% = 1,650円"))
      let after = try await page(fixture, client, "/desk?date=2023-04-20")
      #expect(after.contains(#"<td class="confirmed" data-space="room-201" data-date="2023-04-20" data-slot="afternoon""#))
      // A double submit of the same form books once.
      let double = try await post(fixture, client, "/desk/bookings", fields)
      #expect(double.headers[.location]?.contains("notice=double") == true)
      var second = fields
      second["_idempotency_key"] = "form-2"
      second["name"] = "別の利用者"
      second["nameKana"] = ""
      let refused = try await post(fixture, client, "/desk/bookings", second)
      #expect(refused.status == .conflict)
      let text = String(buffer: refused.body)
      #expect(text.contains("既に予約されています") && text.contains(#"value="別の利用者""#), "the form keeps what was typed")
      let bookings = try await fixture.app.store.read(after: 0, category: "booking", limit: 100).filter { $0.type == "Building.BookingRequested" }
      #expect(bookings.count == 1)
    }
  }

  @Test("wrong input on the form comes back beside its field, in Japanese, and writes nothing")
  func validation() async throws {
    try await withService { fixture, client in
      let head = try await fixture.app.store.head().position
      let noName = try await post(fixture, client, "/desk/bookings", ["space": "room-201", "date": "2023-04-20", "slot": "afternoon"])
      #expect(noName.status == .unprocessableContent)
      #expect(String(buffer: noName.body).contains(#"<p class="field-error" id="field-name-error">利用者を選ぶか、氏名・団体名を入力してください</p>"#))
      let badDate = try await post(fixture, client, "/desk/bookings", ["space": "room-201", "date": "2023-02-30", "slot": "afternoon", "name": "x"])
      #expect(String(buffer: badDate.body).contains(#"id="field-date-error""#))
      let over = try await post(
        fixture, client, "/desk/bookings", ["space": "room-202", "date": "2023-04-20", "slot": "morning", "name": "x", "attendees": "13"])
      #expect(String(buffer: over.body).contains("定員は12名です"))
      let kana = try await post(fixture, client, "/desk/bookings", ["space": "room-201", "date": "2023-04-20", "slot": "afternoon", "name": "x", "nameKana": "abc"])
      #expect(String(buffer: kana.body).contains(#"id="field-nameKana-error""#))
      #expect(try await fixture.app.store.head().position == head)
    }
  }

  @Test("payment on the booking page gives a receipt with the registration number and the tax; a confirmed booking prints its permit")
  func payAndPrint() async throws {
    try await withService { fixture, client in
      let booked = try await post(
        fixture, client, "/desk/bookings",
        ["space": "hall-east", "date": "2023-04-22", "slot": "morning", "name": "湘南合唱団", "nameKana": "ショウナンガッショウダン", "customerCategory": "nonprofit", "purpose": "定期演奏会", "_idempotency_key": "k1"])
      let location = try #require(booked.headers[.location])
      let id = String(location.dropFirst("/desk/bookings/".count).prefix { $0 != "?" })
      let paid = try await post(fixture, client, "/desk/bookings/\(id)/pay", ["amountYen": "13,860", "method": "cash", "_idempotency_key": "k2"])
      #expect(paid.status == .seeOther, "\(String(buffer: paid.body).prefix(400))")
      let shown = try await page(fixture, client, try #require(paid.headers[.location]))
      #expect(shown.contains("入金を記録しました") && shown.contains("/receipts/R2023-00001"))
      let receipt = try await page(fixture, client, "/desk/bookings/\(id)/receipts/R2023-00001")
      // 土曜日の全面の55%: 36,000 × 0.55 = 19,800; 非営利 ×0.7 = 13,860; tax 13,860 × 10/110 = 1,260.
      #expect(receipt.contains("湘南合唱団 様") && receipt.contains("13,860円") && receipt.contains("1,260円") && receipt.contains("登録番号 T7020005008492"))
      let permit = try await page(fixture, client, "/desk/bookings/\(id)/permit")
      #expect(permit.contains("利用許可書") && permit.contains("P2023-00001") && permit.contains("定期演奏会") && permit.contains("令和5年4月22日（土）"))
      let cancelled = try await post(fixture, client, "/desk/bookings/\(id)/cancel", ["reason": "", "_idempotency_key": "k3"])
      #expect(cancelled.status == .unprocessableContent && String(buffer: cancelled.body).contains("取消の理由を入力してください"))
    }
  }

  @Test("a change on the booking page moves the booking and shows the fee difference; the old cell is free again")
  func change() async throws {
    try await withService { fixture, client in
      let booked = try await post(
        fixture, client, "/desk/bookings", ["space": "room-201", "date": "2023-04-20", "slot": "morning", "name": "変更テスト", "_idempotency_key": "c1"])
      let location = try #require(booked.headers[.location])
      let id = String(location.dropFirst("/desk/bookings/".count).prefix { $0 != "?" })
      let before = try await page(fixture, client, location)
      #expect(before.contains(#"action="/desk/bookings/\#(id)/change""#))
      let changed = try await post(
        fixture, client, "/desk/bookings/\(id)/change",
        ["space": "room-201", "date": "2023-04-20", "slot": "afternoon", "use": "general", "equipment-projector": "1", "_idempotency_key": "c2"])
      #expect(changed.status == .seeOther, "\(String(buffer: changed.body).prefix(400))")
      let shown = try await self.page(fixture, client, try #require(changed.headers[.location]))
      // 午後 3,300 + プロジェクター 3,000 = 6,300 against 午前 2,800.
      #expect(shown.contains("予約を変更しました") && shown.contains("6,300円") && shown.contains("プロジェクター ×1"))
      let grid = try await self.page(fixture, client, "/desk?date=2023-04-20")
      #expect(grid.contains(#"<td class="free" data-space="room-201" data-date="2023-04-20" data-slot="morning""#))
      #expect(grid.contains(#"<td class="confirmed" data-space="room-201" data-date="2023-04-20" data-slot="afternoon""#))
    }
  }

  @Test("a customer joins the waiting list from a taken booking's page; the cancellation offers them the time, shown on the page")
  func waitlistOnThePage() async throws {
    try await withService { fixture, client in
      let booked = try await post(
        fixture, client, "/desk/bookings", ["space": "room-401", "date": "2023-04-25", "slot": "evening", "name": "先約", "_idempotency_key": "w1"])
      let location = try #require(booked.headers[.location])
      let id = String(location.dropFirst("/desk/bookings/".count).prefix { $0 != "?" })
      let customer = try #require(try json(try await client.execute(
        uri: "/api/customers", method: .post, headers: fixture.headers(fixture.desk, key: "wc"),
        body: ByteBuffer(string: #"{"name":"待機商会","nameKana":"タイキショウカイ"}"#)))["id"] as? String)
      let unknown = try await post(fixture, client, "/desk/bookings/\(id)/waitlist", ["customer": "c-nobody", "_idempotency_key": "w2"])
      #expect(unknown.status == .unprocessableContent)
      let joined = try await post(fixture, client, "/desk/bookings/\(id)/waitlist", ["customer": customer, "_idempotency_key": "w3"])
      #expect(joined.status == .seeOther, "\(String(buffer: joined.body).prefix(400))")
      let shown = try await page(fixture, client, try #require(joined.headers[.location]))
      #expect(shown.contains("キャンセル待ちに登録しました") && shown.contains("この枠のキャンセル待ち（1件）") && shown.contains("待機商会"))
      let cancelled = try await post(fixture, client, "/desk/bookings/\(id)/cancel", ["reason": "中止", "_idempotency_key": "w4"])
      #expect(cancelled.status == .seeOther)
      let list = try json(try await client.execute(uri: "/api/waitlist?space=room-401&date=2023-04-25", method: .get, headers: fixture.headers(fixture.desk)))
      let offer = try #require((list["entries"] as? [[String: Any]])?.first?["offeredBooking"] as? String)
      try await fixture.caughtUp()
      let offered = try await page(fixture, client, "/desk/bookings/\(offer)")
      #expect(offered.contains("待機商会") && offered.contains("仮予約"))
    }
  }

  @Test("a calendar link issued on the page is shown once and works; revoked on the page, it is gone")
  func calendarLinksOnThePage() async throws {
    try await withService { fixture, client in
      let issued = try await post(fixture, client, "/desk/calendars", ["space": "hall", "_idempotency_key": "cal1"])
      #expect(issued.status == .ok)
      let page = String(buffer: issued.body)
      let url = try #require(page.firstMatch(of: /\/calendar\/[A-Za-z0-9_-]{43}\.ics/)).0
      #expect(try await client.execute(uri: String(url), method: .get).status == .ok)
      let listed = try await self.page(fixture, client, "/desk/calendars")
      #expect(!listed.contains(String(url)) && listed.contains("施設 多目的ホール（全面）"), "the URL is shown only once")
      let id = try #require(listed.firstMatch(of: /\/desk\/calendars\/(cal-[0-9a-f-]+)\/revoke/)).1
      let revoked = try await post(fixture, client, "/desk/calendars/\(id)/revoke", ["_idempotency_key": "cal2"])
      #expect(revoked.status == .seeOther)
      #expect(try await client.execute(uri: String(url), method: .get).status == .notFound)
    }
  }

  @Test("a desk signed in by session: a form without its CSRF token is refused; 30 idle minutes end the session")
  func sessionAndCSRF() async throws {
    try await withService { fixture, client in
      let login = try await client.execute(uri: "/login", method: .get)
      let csrfCookie = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
      let token = try #require(String(buffer: login.body).firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
      let signedIn = try await client.execute(
        uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: csrfCookie],
        body: form(["login": "front", "password": "front-password-1", "_csrf": String(token)]))
      #expect(signedIn.status == .seeOther, "\(String(buffer: signedIn.body).prefix(300))")
      let session = try #require(signedIn.headers[.setCookie]?.split(separator: ";").first.map(String.init))
      let grid = try await client.execute(uri: "/desk?date=2023-04-20", method: .get, headers: [.cookie: session])
      #expect(grid.status == .ok)
      let csrf = try #require(String(buffer: grid.body).firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
      let fields = ["space": "room-201", "date": "2023-04-20", "slot": "evening", "name": "セッション商会", "_idempotency_key": "s1"]
      let forged = try await client.execute(
        uri: "/desk/bookings", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: session], body: form(fields))
      #expect(forged.status == .forbidden)
      let head = try await fixture.app.store.head().position
      let booked = try await client.execute(
        uri: "/desk/bookings", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: session],
        body: form(fields.merging(["_csrf": String(csrf)]) { a, _ in a }))
      let after = try await fixture.app.store.head().position
      #expect(booked.status == .seeOther && after > head)
      // 29 idle minutes keep the session; 31 more end it.
      fixture.clock.set("2023-04-03T10:29")
      #expect(try await client.execute(uri: "/desk", method: .get, headers: [.cookie: session]).status == .ok)
      fixture.clock.set("2023-04-03T11:01")
      let expired = try await client.execute(uri: "/desk", method: .get, headers: [.cookie: session])
      #expect(expired.status == .seeOther && expired.headers[.location]?.hasPrefix("/login") == true)
    }
  }

  @Test("customers are found by a hiragana reading or a phone number typed any way, in 50音 order")
  func customers() async throws {
    try await withService { fixture, client in
      for (name, kana, phone, key) in [("株式会社わかば", "ワカバ", "045-111-2222", "c1"), ("あおば商会", "アオバショウカイ", "0466-22-3333", "c2")] {
        let done = try await post(fixture, client, "/desk/customers", ["name": name, "nameKana": kana, "phone": phone, "_idempotency_key": key])
        #expect(done.status == .seeOther, "\(String(buffer: done.body).prefix(300))")
      }
      try await fixture.caughtUp()
      let byKana = try await page(fixture, client, "/desk/customers?q=%E3%82%8F%E3%81%8B%E3%81%B0")  // わかば
      #expect(byKana.contains("株式会社わかば") && !byKana.contains("あおば商会"))
      let byPhone = try await page(fixture, client, "/desk/customers?q=%EF%BC%90%EF%BC%94%EF%BC%96%EF%BC%96")  // ０４６６
      #expect(byPhone.contains("あおば商会") && !byPhone.contains("株式会社わかば"))
      let all = try await page(fixture, client, "/desk/customers")
      let a = try #require(all.range(of: "あおば商会")), w = try #require(all.range(of: "株式会社わかば"))
      #expect(a.lowerBound < w.lowerBound, "アオバ before ワカバ")
    }
  }
}
