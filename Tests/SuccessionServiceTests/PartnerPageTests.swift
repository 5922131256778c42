import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SuccessionService

@Suite("kip-succession: the partners' page, and who sees which page", .serialized)
struct PartnerPageTests {
  @Test("a partner sees its own referrals' milestones, only with consent, and never a stage, a staff member or another partner's")
  func ownReferrals() async throws {
    try await withCentre { fixture, client in
      try await fixture.referFromTwoPartners(client)
      try await fixture.post(client, "/api/cases/2023-0001/sessions", as: "tanaka", #"{"minutes":45,"kind":"visit","summary":"売却価格の相談"}"#)
      try await fixture.post(client, "/api/cases/2023-0001/notes", as: "tanaka", #"{"text":"相手先候補あり"}"#)
      let page = try await fixture.page(client, "/partner", as: "ycci")
      let table = try #require(page.firstMatch(of: #/<div id="referrals">(.*?)</div>/#)).1
      #expect(table.contains("青葉精工株式会社") && table.contains("受付済 2023-04-03（令和5年4月3日） → 支援中 2023-04-03"))
      #expect(table.contains("緑町食品") && table.contains("受付済（同意なし）"))
      for secret in ["川崎鉄工", "tanaka", "相談", "売却価格", "相手先候補", "譲渡"] {
        #expect(!table.contains(secret), "\(secret) is not for the partner")
      }
      #expect(!page.contains("川崎鉄工") && !page.contains("tanaka") && !page.contains("/cases/"))
      let theirs = try await fixture.page(client, "/partner", as: "kawashin")
      #expect(theirs.contains("川崎鉄工") && !theirs.contains("青葉精工"))
    }
  }

  @Test("a partner refers on its page for its own organisation only, once per form; its diagnoses are reported there")
  func referAndReport() async throws {
    try await withCentre { fixture, client in
      var fields = referralForm(key: "p1", ["partner": "org-b"])
      fields.removeValue(forKey: "partner")
      let posted = try await fixture.submit(client, "/partner/referrals", as: "ycci", fields)
      #expect(posted.status == .seeOther && posted.headers[.location]?.hasPrefix("/partner?after=") == true, "\(posted.text.prefix(400))")
      let page = try await fixture.page(client, try #require(posted.headers[.location]), as: "ycci")
      #expect(page.contains("紹介を受け付けました") && page.contains("株式会社ＡＢＣ商事"))
      #expect(try await fixture.submit(client, "/partner/referrals", as: "ycci", fields).headers[.location]?.hasSuffix("notice=double") == true)
      // A partner named in the form is not taken: the partner fixed is the user's own.
      let named = try await fixture.submit(client, "/partner/referrals", as: "ycci", referralForm(key: "p2", ["partner": "org-b", "name": "別会社"]))
      #expect(named.status == .seeOther)
      try await fixture.caughtUp()
      let case2 = try json(try await fixture.get(client, "/api/cases/2023-0002", as: "sato"))
      #expect(((case2["referrals"] as? [[String: Any]])?.first)?["partner"] as? String == "org-a")
      #expect(try await fixture.count("Succession.ReferralReceived") == 2)
      let noName = try await fixture.submit(client, "/partner/referrals", as: "ycci", referralForm(key: "p3", ["name": ""]))
      #expect(noName.status == .unprocessableContent && noName.text.contains(#"id="field-referral-name-error">会社名は1〜100文字で入力してください"#))

      let diagnosis = ["on": "令和5年4月3日", "companyName": "髙﨑製作所", "result": "no-successor", "referToCentre": "1", "_idempotency_key": "p4"]
      let reported = try await fixture.submit(client, "/partner/diagnoses", as: "ycci", diagnosis)
      #expect(reported.status == .seeOther && reported.headers[.location]?.contains("notice=diagnosed") == true, "\(reported.text.prefix(400))")
      let shown = try await fixture.page(client, try #require(reported.headers[.location]), as: "ycci")
      #expect(shown.contains("事業承継診断の結果を報告しました") && shown.contains("<td>髙﨑製作所</td><td>後継者不在</td><td>要</td>"))
      let future = try await fixture.submit(client, "/partner/diagnoses", as: "ycci", diagnosis.merging(["on": "2023-04-04", "_idempotency_key": "p5"]) { $1 })
      #expect(future.status == .unprocessableContent && future.text.contains(#"id="field-diagnosis-on-error">2023-04-04 は今日（2023-04-03）より後の日付です"#))
      #expect(try await fixture.page(client, "/partner", as: "kawashin").contains("報告した事業承継診断（0件）"))
    }
  }

  @Test("each page opens for its roles; a partner gets 403 on every staff page, staff on the partner's page")
  func access() async throws {
    try await withCentre { fixture, client in
      try await fixture.post(client, "/api/referrals", as: "ycci", referral(#"{"name":"青葉精工株式会社"}"#))
      let readable = ["/desk", "/cases", "/cases/2023-0001", "/partners", "/kpis"]
      let forms = ["/referrals/new", "/consultations/new"]
      for uri in readable + forms {
        for login in ["sato", "boss"] { _ = try await fixture.page(client, uri, as: login) }
        let audit = try await fixture.get(client, uri, as: "audit")
        #expect(audit.status == (forms.contains(uri) ? .forbidden : .ok), "\(uri) as auditor")
        for login in ["ycci", "desk"] { #expect(try await fixture.get(client, uri, as: login).status == .forbidden, "\(uri) as \(login)") }
      }
      for (uri, fields) in [("/cases/2023-0001/accept", ["side": "selling"]), ("/referrals", referralForm(key: "x")), ("/consultations", ["route": "web"])] {
        #expect(try await fixture.submit(client, uri, as: "ycci", fields).status == .forbidden, "\(uri)")
        #expect(try await fixture.submit(client, uri, as: "audit", fields).status == .forbidden, "\(uri)")
      }
      for login in ["sato", "boss", "audit"] { #expect(try await fixture.get(client, "/partner", as: login).status == .forbidden) }
      #expect(try await fixture.get(client, "/cases/2099-9999", as: "sato").status == .notFound)
      let case1 = try await fixture.page(client, "/cases/2023-0001", as: "audit")
      #expect(case1.contains("青葉精工株式会社") && !case1.contains(#"action="/cases/2023-0001/accept""#), "an auditor reads without the forms")
    }
  }
}
