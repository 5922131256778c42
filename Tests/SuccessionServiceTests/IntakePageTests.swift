import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SuccessionService

@Suite("kip-succession: 紹介の受付 and 相談の受付 pages", .serialized)
struct IntakePageTests {
  @Test("a referral logged on the form waits on 今日の仕事 at once; the same form sent twice is answered once")
  func referOnTheForm() async throws {
    try await withCentre { fixture, client in
      let form = try await fixture.page(client, "/referrals/new")
      #expect(form.contains("紹介の受付 | KIP") && form.contains("商工会議所｜横浜商工会議所") && form.contains(#"type="checkbox" value="1""#))
      #expect(!form.contains("旧㈱相模支援") || form.contains("その他支援機関｜旧㈱相模支援"), "partners by type")
      let fields = referralForm(key: "refer-1")
      let posted = try await fixture.submit(client, "/referrals", fields)
      #expect(posted.status == .seeOther, "\(posted.text.prefix(500))")
      let location = try #require(posted.headers[.location])
      #expect(location.hasPrefix("/cases/2023-0001?after=") && location.hasSuffix("notice=referred"), "\(location)")
      let shown = try await fixture.page(client, location)
      #expect(shown.contains("紹介を受け付けました") && shown.contains("受付待ち") && shown.contains(#"action="/cases/2023-0001/accept""#))
      #expect(shown.contains("7000012050002") && shown.contains("エービーシーショウジ") && shown.contains("12名") && shown.contains("同意あり"))
      // On 今日の仕事 with no wait of its own: the case page waited for the position.
      let desk = try await fixture.page(client, "/desk")
      let waiting = try #require(desk.range(of: #"id="waiting""#)).upperBound
      #expect(desk[waiting...].contains("2023-0001") && desk[waiting...].contains("株式会社ＡＢＣ商事") && desk[waiting...].contains("横浜商工会議所"))
      let double = try await fixture.submit(client, "/referrals", fields)
      #expect(double.status == .seeOther && double.headers[.location]?.hasSuffix("notice=double") == true)
      #expect(try await fixture.count("Succession.ReferralReceived") == 1)
    }
  }

  @Test("wrong input on the referral form comes back beside its field, in Japanese, keeps what was typed, and writes nothing")
  func referralValidation() async throws {
    try await withCentre { fixture, client in
      let head = try await fixture.app.store.head().position
      let cases: [([String: String], String, String)] = [
        (["name": ""], "name", "会社名は1〜100文字で入力してください"),
        (["corporateNumber": "8000012050002"], "corporateNumber", "検査用数字"),
        (["employees": "十二"], "employees", "従業員数は数字で入力してください"),
        (["partner": ""], "partner", "紹介元の連携機関を選んでください"),
        (["reason": " "], "reason", "紹介の理由"),
        (["partnerStaff": ""], "partnerStaff", "担当者名"),
        (["referredOn": "令和5年2月30日"], "referredOn", "紹介日「令和5年2月30日」が読めません"),
        (["nameKana": "abc"], "nameKana", "カタカナまたはひらがな"),
      ]
      for (change, field, message) in cases {
        let refused = try await fixture.submit(client, "/referrals", referralForm(key: UUID().uuidString, change))
        #expect(refused.status == .unprocessableContent, "\(field): \(refused.status)")
        let error = try #require(refused.text.firstMatch(of: #/<p class="field-error" id="field-([A-Za-z]+)-error">([^<]*)</p>/#), "\(field): \(refused.text.prefix(300))")
        #expect(error.1 == field && error.2.contains(message), "\(field): \(error.0)")
        #expect(refused.text.contains(#"value="髙橋 一郎""#) || field == "partnerStaff", "what was typed is kept")
      }
      #expect(try await fixture.app.store.head().position == head)
    }
  }

  @Test("a second referral of a company already a case says so: a link to the earlier case, attach it there or keep it apart")
  func duplicateReferral() async throws {
    try await withCentre { fixture, client in
      #expect(try await fixture.submit(client, "/referrals", referralForm(key: "d1")).status == .seeOther)
      #expect(try await fixture.submit(client, "/cases/2023-0001/accept", ["side": "selling", "assignee": "sato", "_idempotency_key": "d2"]).status == .seeOther)
      // 川崎信用金庫 refers the same company by its number, written another way.
      let second = try await fixture.submit(
        client, "/referrals", referralForm(key: "d3", ["partner": "org-b", "name": "(株)ABC商事", "corporateNumber": "7-0000-1205-0002", "partnerStaff": "鈴木"]))
      let location = try #require(second.headers[.location])
      #expect(location.hasPrefix("/cases/2023-0002?"))
      let page = try await fixture.page(client, location)
      let warning = try #require(page.firstMatch(of: #/<div class="warning" id="duplicate">.*?</div>/#)).0
      #expect(warning.contains("既に案件 2023-0001") && warning.contains(#"href="/cases/2023-0001""#), "\(warning)")
      #expect(page.contains(#"action="/cases/2023-0002/attach""#) && page.contains(#"name="separateFrom" value="2023-0001""#))
      // Accepting it as if it were new (the desk's button) is refused, and says why.
      let plain = try await fixture.submit(client, "/cases/2023-0002/accept", ["side": "selling", "_idempotency_key": "d4"])
      #expect(plain.status == .conflict && plain.text.contains("受付済みです"))
      let attached = try await fixture.submit(client, "/cases/2023-0002/attach", ["to": "2023-0001", "_idempotency_key": "d5"])
      #expect(attached.status == .seeOther, "\(attached.text.prefix(400))")
      let original = try await fixture.page(client, "/cases/2023-0001")
      #expect(original.contains("川崎信用金庫（担当 鈴木") && original.contains("紹介の統合"))
      let gone = try await fixture.page(client, "/cases/2023-0002")
      #expect(gone.contains("既存案件に統合") && !gone.contains(#"action="/cases/2023-0002/accept""#))
    }
  }

  @Test("a consultation opens a case; the same company again is refused with a link until staff keep it apart on purpose")
  func consultation() async throws {
    try await withCentre { fixture, client in
      let form = try await fixture.page(client, "/consultations/new")
      #expect(form.contains("相談の受付 | KIP") && form.contains(#"<option value="walk-in">来所</option>"#) && !form.contains(#"value="partner""#))
      let fields = [
        "route": "walk-in", "side": "selling", "kind": "family", "assignee": "sato", "name": "山田酒店", "nameKana": "ヤマダサケテン", "address": "藤沢市鵠沼1-2",
        "summary": "長男への承継", "_idempotency_key": "c1",
      ]
      let opened = try await fixture.submit(client, "/consultations", fields)
      #expect(opened.status == .seeOther && opened.headers[.location]?.hasPrefix("/cases/2023-0001?") == true, "\(opened.text.prefix(400))")
      let noSide = try await fixture.submit(client, "/consultations", fields.merging(["side": "", "_idempotency_key": "c2"]) { $1 })
      #expect(noSide.status == .unprocessableContent && noSide.text.contains(#"id="field-side-error">譲渡・譲受を選んでください"#))
      let again = try await fixture.submit(client, "/consultations", fields.merging(["_idempotency_key": "c3"]) { $1 })
      #expect(again.status == .conflict)
      #expect(again.text.contains(#"id="known-case""#) && again.text.contains(#"href="/cases/2023-0001""#) && again.text.contains(#"<option value="2023-0001">"#))
      let apart = try await fixture.submit(client, "/consultations", fields.merging(["_idempotency_key": "c4", "separateFrom": "2023-0001"]) { $1 })
      #expect(apart.status == .seeOther && apart.headers[.location]?.hasPrefix("/cases/2023-0002?") == true, "\(apart.text.prefix(400))")
      #expect(try await fixture.count("Succession.IntakeOpened") == 2)
    }
  }
}
