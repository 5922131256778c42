import BrowserSupport
import Foundation
import Testing

/// The succession centre's pages in a real browser against the real `kip-succession`
/// executable on the demo users: a referral logged on the form, accepted from 今日の仕事, a
/// session on the case page, the KPI page's charts; then the referring partner's own page.
@Suite("The succession pages in a real browser", .serialized, .countingIssuesForScreenshots)
struct SuccessionBrowserTests {
  let desk = DeskBrowserTests()
  /// The demo partner user's organisation.
  static let partner = "org-demo-yokohama-cci"

  @Test("staff log a referral, see it waiting at once, accept it and record a session; KPIs count it; the partner sees only its milestones")
  func referralToSession() async throws {
    let log = try await DemoLog()
    let service = try await log.start("kip-succession")
    let token = try log.token("succession")
    func api(_ path: String, _ extra: [String] = []) throws -> String { try service.api(path, token: token, extra) }
    // The demo partner user's organisation joins the network (the demo data may have it already).
    let joined = try api(
      "api/partners",
      ["-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Idempotency-Key: p-\(UUID())", "-H", "Content-Type: application/json", "--data",
       #"{"id":"\#(Self.partner)","name":"横浜商工会議所","type":"chamber-of-commerce","region":"yokohama"}"#])
    #expect(joined == "200" || joined == "409", "\(joined)")
    func sessionsThisYear() throws -> Int {
      let report = try JSONSerialization.jsonObject(with: Data(try api("api/kpis").utf8)) as? [String: Any]
      return ((report?["total"] as? [String: Any])?["sessions"] as? Int) ?? -1
    }
    let sessionsBefore = try sessionsThisYear()
    let company = "ブラウザ精工株式会社 \(UUID().uuidString.prefix(6))"

    var caseID = ""
    try await Browser.open().run(screenshotOnIssue: "succession-staff") { browser in
      try await desk.signIn(browser, at: service, as: "succession")
      try await browser.go(to: URL(string: "\(service.baseURL.absoluteString)/referrals/new?partner=\(Self.partner)")!)
      #expect(try await browser.title == "紹介の受付 | KIP")
      try await browser.element("#field-partnerStaff").type("髙橋 一郎")
      try await browser.element("#field-name").type(company)
      try await browser.element("#field-nameKana").type("ぶらうざせいこう")
      try await browser.element("#field-address").type("横浜市中区山下町1")
      try await browser.element("#field-ownerAge").type("71")
      try await browser.element("#field-consent").click()
      try await browser.element("#field-reason").type("後継者がいないため第三者承継を相談したい")
      try await browser.element("main form button[type=submit]").click()
      #expect(try await desk.arrive(browser, at: { $0.hasPrefix("/cases/") }))
      caseID = try #require(try await browser.currentURL).lastPathComponent
      #expect(try await browser.element("p.notice").text == "紹介を受け付けました。受付待ちに入りました。")
      #expect(try await browser.element("#case").text.contains(company))

      // Waiting on 今日の仕事 at once; accepted from there.
      try await browser.go(to: service.baseURL.appending(path: "desk"))
      #expect(try await browser.title == "今日の仕事 | KIP")
      let waiting = try await browser.element("#waiting").text
      #expect(waiting.contains(caseID) && waiting.contains(company) && waiting.contains("横浜商工会議所"), "\(waiting)")
      try await browser.element("form[action=\"/cases/\(caseID)/accept\"] button[type=submit]").click()
      #expect(try await desk.arrive(browser, at: { $0 == "/cases/\(caseID)" }))
      #expect(try await browser.element("p.notice").text == "紹介を案件として受け付けました。")
      #expect(try await browser.element("#case").text.contains("受付（"))

      // A session on the case page: the case moves to 相談.
      try await browser.element("#field-session-summary").type("事業の概要と承継の希望を聞き取り")
      try await browser.element("form[action=\"/cases/\(caseID)/session\"] button[type=submit]").click()
      #expect(try await desk.arrive(browser, at: { $0 == "/cases/\(caseID)" }))
      #expect(try await browser.element("p.notice").text == "相談を記録しました。")
      let header = try await browser.element("#case").text
      #expect(header.contains("相談（") && !header.contains("受付（"), "\(header)")
      #expect(try await browser.element("#timeline").text.contains("相談 第1回"))

      // The KPI page: charts drawn, 相談回数 counting the session.
      try await browser.go(to: service.baseURL.appending(path: "kpis"))
      _ = try await browser.element("#charts svg")
      let summary = try await browser.element("#kpi-summary").text
      let sessions = summary.split(separator: "\n").first { $0.hasPrefix("相談回数") }
      #expect(sessions?.split(whereSeparator: \.isWhitespace).last.map(String.init) == "\(sessionsBefore + 1)回", "\(summary)")
      #expect(try await browser.source.contains("format=csv&amp;table=summary"))
    }

    // The partner: its referral's milestones; one of its own without consent shows only that it was received.
    try await Browser.open().run(screenshotOnIssue: "succession-partner") { browser in
      try await desk.signIn(browser, at: service, as: "partner")
      try await browser.go(to: service.baseURL.appending(path: "partner"))
      #expect(try await browser.title == "連携機関のページ | KIP")
      let referrals = try await browser.element("#referrals").text
      let row = try #require(referrals.split(separator: "\n").first { $0.contains(company) }, "\(referrals)")
      #expect(row.contains("支援中") && row.contains("受付済"), "\(row)")
      for detail in ["相談 第", "事業の概要", "succession", "後継者がいない"] { #expect(!referrals.contains(detail), "\(detail) is not for the partner") }
      let own = "同意なし商店 \(UUID().uuidString.prefix(6))"
      try await browser.element("#field-referral-partnerStaff").type("鈴木 花子")
      try await browser.element("#field-referral-name").type(own)
      try await browser.element("#field-referral-reason").type("事業承継診断で後継者不在")
      try await browser.element("form[action=\"/partner/referrals\"] button[type=submit]").click()
      #expect(try await desk.arrive(browser, at: { $0 == "/partner" }))
      #expect(try await browser.element("p.notice").text == "紹介を受け付けました。受付待ちに入りました。")
      let after = try await browser.element("#referrals").text
      let ownRow = try #require(after.split(separator: "\n").first { $0.contains(own) }, "\(after)")
      #expect(ownRow.contains("受付済（同意なし）"), "\(ownRow)")
      // The staff pages are not the partner's.
      try await browser.go(to: service.baseURL.appending(path: "cases/\(caseID)"))
      #expect(try await browser.source.contains("forbidden"))
    }
    #expect(try service.terminate() == 0)
  }
}
