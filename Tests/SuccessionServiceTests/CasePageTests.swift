import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SuccessionService

@Suite("kip-succession: the case page and 今日の仕事", .serialized)
struct CasePageTests {
  let abc = #"{"name":"株式会社ＡＢＣ商事","corporateNumber":"7000012050002","address":"横浜市中区本町1-1"}"#

  @Test("on the case page: accept, a session moves it to 相談, only the allowed stages are offered, a refused move says why at the field")
  func workACase() async throws {
    try await withCentre { fixture, client in
      try await fixture.post(client, "/api/referrals", as: "ycci", referral(abc))
      let accepted = try await fixture.submit(client, "/cases/2023-0001/accept", ["side": "selling", "kind": "undecided", "assignee": "sato", "_idempotency_key": "a1"])
      #expect(accepted.status == .seeOther && accepted.headers[.location]?.contains("notice=accept") == true, "\(accepted.text.prefix(400))")
      var page = try await fixture.page(client, try #require(accepted.headers[.location]))
      #expect(page.contains("紹介を案件として受け付けました") && page.contains("<th scope=\"row\">段階</th><td>受付（2023-04-03（令和5年4月3日）から）</td>"))
      let stageSelect = try #require(page.firstMatch(of: #/<select id="field-stage-stage" name="stage">(.*?)</select>/#)).1
      #expect(stageSelect.contains(#"value="consultation""#) && stageSelect.contains(#"value="discontinued""#) && !stageSelect.contains(#"value="nda""#))

      let session = try await fixture.submit(
        client, "/cases/2023-0001/session", ["minutes": "60", "kind": "at-centre", "summary": "第三者承継の進め方", "_idempotency_key": "a2"])
      #expect(session.status == .seeOther, "\(session.text.prefix(400))")
      page = try await fixture.page(client, try #require(session.headers[.location]))
      #expect(page.contains("<th scope=\"row\">段階</th><td>相談（"), "the first session moves it to 相談")
      #expect(page.contains("相談 第1回") && page.contains("来所・60分・sato: 第三者承継の進め方") && page.contains("「受付」→「相談」"))

      // M&A work for a case whose kind is not third-party: the context's reason, beside the stage.
      let deal = try await fixture.submit(client, "/cases/2023-0001/stage", ["stage": "matching", "_idempotency_key": "a3"])
      #expect(deal.status == .unprocessableContent)
      #expect(deal.text.contains(#"<p class="field-error" id="field-stage-stage-error">「マッチング」は第三者承継の段階です"#), "\(deal.text.prefix(300))")
      let noReason = try await fixture.submit(client, "/cases/2023-0001/stage", ["stage": "discontinued", "_idempotency_key": "a4"])
      #expect(noReason.status == .unprocessableContent && noReason.text.contains(#"id="field-stage-reason-error">「支援中止」で終了することには理由が必要です"#))
      let notNext = try await fixture.submit(client, "/cases/2023-0001/stage", ["stage": "nda", "_idempotency_key": "a5"])
      #expect(notNext.text.contains("「相談」から「秘密保持契約」へは進めません"))
      let minutes = try await fixture.submit(client, "/cases/2023-0001/session", ["minutes": "六十", "kind": "phone", "_idempotency_key": "a6"])
      #expect(minutes.status == .unprocessableContent && minutes.text.contains(#"id="field-session-minutes-error">相談時間は数字で入力してください"#))
      #expect(minutes.text.contains(#"name="minutes" type="number" value="六十""#), "what was typed is kept")
    }
  }

  @Test("notes, the next action set and done, and a new assignee: the history keeps each, in date order, with 和暦")
  func history() async throws {
    try await withCentre { fixture, client in
      try await fixture.post(
        client, "/api/cases", as: "sato", #"{"route":"phone","side":"selling","kind":"family","assignee":"sato","company":{"name":"山田酒店"}}"#)
      fixture.clock.set("2023-04-05T10:00")
      // The note, recorded after the next action, is dated the day before it: the history goes by date.
      let steps: [(String, [String: String])] = [
        ("next-action", ["text": "計画の素案を送る", "due": "令和5年4月7日"]), ("note", ["text": "長男が継ぐ意向", "on": "令和5年4月4日"]),
        ("next-action-done", [:]), ("assign", ["assignee": "tanaka"]),
      ]
      for (n, (action, fields)) in steps.enumerated() {
        let done = try await fixture.submit(client, "/cases/2023-0001/\(action)", fields.merging(["_idempotency_key": "h\(n)"]) { $1 })
        #expect(done.status == .seeOther, "\(action): \(done.text.prefix(400))")
      }
      let page = try await fixture.page(client, "/cases/2023-0001")
      let timeline = try #require(page.firstMatch(of: #/<ol class="timeline" id="timeline">(.*?)</ol>/#)).1
      let items = timeline.components(separatedBy: "<li>").dropFirst()
      #expect(items.count == 5 && items.first?.contains("相談受付") == true, "\(items)")
      #expect(items.dropFirst().first?.contains("2023-04-04（令和5年4月4日）") == true && items.dropFirst().first?.contains("長男が継ぐ意向") == true)
      #expect(timeline.contains("対応完了</strong> 計画の素案を送る") && timeline.contains("担当</strong> sato → tanaka"))
      #expect(page.contains("<th scope=\"row\">担当者</th><td>tanaka</td>"))
      let past = try await fixture.submit(client, "/cases/2023-0001/next-action", ["text": "電話", "due": "2023-04-01", "_idempotency_key": "h9"])
      #expect(past.status == .unprocessableContent && past.text.contains(#"id="field-next-action-due-error">期日 2023-04-01 は今日（2023-04-05）以降にしてください"#))
      let nobody = try await fixture.submit(client, "/cases/2023-0001/assign", ["assignee": "ycci", "_idempotency_key": "h10"])
      #expect(nobody.status == .unprocessableContent && nobody.text.contains(#"id="field-assign-assignee-error""#))
    }
  }

  @Test("今日の仕事: my cases with the overdue first and in red, referrals waiting with accept and decline, overdue per staff for the manager")
  func today() async throws {
    try await withCentre { fixture, client in
      for (name, due) in [("早期商店", "2023-04-10"), ("遅延工業", "2023-04-04")] {
        let opened = try json(try await fixture.post(
          client, "/api/cases", as: "sato", #"{"route":"web","side":"selling","kind":"family","assignee":"sato","company":{"name":"\#(name)"}}"#))
        let id = try #require(opened["id"] as? String)
        try await fixture.post(client, "/api/cases/\(id)/next-action", as: "sato", #"{"text":"\#(name)に電話","due":"\#(due)"}"#)
      }
      try await fixture.post(client, "/api/referrals", as: "ycci", referral(#"{"name":"青葉精工"}"#))
      try await fixture.post(client, "/api/referrals", as: "kawashin", referral(#"{"name":"緑町食品"}"#))
      fixture.clock.set("2023-04-06T09:00")
      let desk = try await fixture.page(client, "/desk")
      let mine = try #require(desk.firstMatch(of: #/<table class="data" id="my-cases">(.*?)</table>/#)).1
      let rows = mine.components(separatedBy: "<tr").filter { $0.contains("data-case") }
      #expect(rows.count == 2 && rows.first?.contains(#"class="overdue""#) == true && rows.first?.contains("遅延工業") == true, "\(rows)")
      #expect(rows.last?.contains("overdue") == false)
      #expect(desk.contains("期限を過ぎた対応が1件あります"))
      #expect(desk.contains(#"action="/cases/2023-0003/accept""#) && desk.contains(#"action="/cases/2023-0004/decline""#))
      #expect(!desk.contains("担当者別の期限切れ"), "staff do not see the manager's table")
      let boss = try await fixture.page(client, "/desk", as: "boss")
      let overdue = try #require(boss.range(of: "担当者別の期限切れ")).upperBound
      #expect(boss[overdue...].contains("<td>sato</td><td class=\"num\">1</td><td>2023-04-04</td><td class=\"num\">2日</td>"), "\(boss[overdue...].prefix(400))")
      let audit = try await fixture.page(client, "/desk", as: "audit")
      #expect(!audit.contains(#"action="/cases/2023-0003/accept""#), "an auditor reads, without the forms")

      let declineEmpty = try await fixture.submit(client, "/cases/2023-0004/decline", ["reason": "", "_idempotency_key": "t1"])
      #expect(declineEmpty.status == .unprocessableContent && declineEmpty.text.contains(#"id="field-decline-reason-error">紹介の見送りには理由が必要です"#))
      #expect(try await fixture.submit(client, "/cases/2023-0004/decline", ["reason": "対象外の業種", "_idempotency_key": "t2"]).status == .seeOther)
      let accept = try await fixture.submit(client, "/cases/2023-0003/accept", ["side": "buying", "assignee": "sato", "_idempotency_key": "t3"])
      let after = try await fixture.page(client, "/desk?" + (try #require(accept.headers[.location]?.split(separator: "?").last)))
      #expect(!after.contains(#"action="/cases/2023-0003/accept""#) && !after.contains("緑町食品"))
      #expect(try #require(after.firstMatch(of: #/id="my-cases">(.*?)</table>/#)).1.contains("青葉精工"))
      // From a desk page left open: the case has moved on, so the refusal is shown above its page.
      let stale = try await fixture.submit(client, "/cases/2023-0003/accept", ["side": "buying", "assignee": "sato", "_idempotency_key": "t4"])
      #expect(stale.status == .unprocessableContent)
      #expect(stale.text.contains(#"<p class="form-error" role="alert">案件 2023-0003 は「支援中」のため案件として受け付けることはできません</p>"#))
    }
  }

  @Test("案件一覧: by staff, stage, overdue, partner and name, fifty to a page")
  func caseList() async throws {
    try await withCentre { fixture, client in
      for n in 1...52 {
        let assignee = n % 2 == 0 ? "tanaka" : "sato"
        try await client.execute(
          uri: "/api/cases", method: .post, headers: fixture.headers("sato", key: "list-\(n)"),
          body: ByteBuffer(string: #"{"route":"phone","side":"selling","kind":"family","assignee":"\#(assignee)","company":{"name":"一覧商店\#(n)号","nameKana":"イチランショウテン"}}"#))
      }
      try await fixture.post(client, "/api/referrals", as: "ycci", referral(#"{"name":"紹介精工"}"#))
      try await fixture.post(client, "/api/cases/2023-0001/sessions", as: "sato", #"{"minutes":30,"kind":"phone"}"#)
      try await fixture.caughtUp()
      let first = try await fixture.page(client, "/cases")
      #expect(first.contains("53件中 1〜50件（1/2ページ）") && first.contains("/cases?page=2"))
      let second = try await fixture.page(client, "/cases?page=2")
      #expect(second.contains("53件中 51〜53件（2/2ページ）") && second.contains("2023-0001"))
      #expect(try await fixture.page(client, "/cases?staff=tanaka").contains("26件中"))
      let consulting = try await fixture.page(client, "/cases?stage=consultation")
      #expect(consulting.contains("1件中") && consulting.contains("一覧商店1号"))
      #expect(try await fixture.page(client, "/cases?partner=org-a").contains("紹介精工"))
      let byName = try await fixture.page(client, "/cases?q=%E4%B8%80%E8%A6%A7%E5%95%86%E5%BA%9752")  // 一覧商店52
      #expect(byName.contains("1件中") && byName.contains("一覧商店52号"))
      #expect(try await fixture.page(client, "/cases?overdue=1").contains("0件中"))
      #expect(try await fixture.page(client, "/cases?stage=nonsense&page=x").contains("53件中"), "what a page cannot read is no filter")
    }
  }
}
