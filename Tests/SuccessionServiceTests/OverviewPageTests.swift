import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SuccessionService

@Suite("kip-succession: the partner table and the KPI page", .serialized)
struct OverviewPageTests {
  @Test("連携機関: each partner with its type, region, the year's referrals and how many were taken up, diagnoses and contact")
  func partnerTable() async throws {
    try await withCentre { fixture, client in
      try await fixture.post(client, "/api/referrals", as: "ycci", referral(#"{"name":"青葉精工"}"#))
      try await fixture.post(client, "/api/referrals", as: "ycci", referral(#"{"name":"緑町食品"}"#))
      try await fixture.post(client, "/api/cases/2023-0001/accept", as: "sato", #"{"side":"selling"}"#)
      try await fixture.post(client, "/api/diagnoses", as: "ycci", #"{"on":"2023-04-03","companyName":"X","result":"no-successor"}"#)
      try await fixture.post(client, "/api/partners/org-c/leave", as: "sato", #"{"reason":"解散"}"#)
      let page = try await fixture.page(client, "/partners?fy=2023")
      #expect(page.contains(#"<option value="2023" selected>令和5年度（FY2023）</option>"#))
      let rows = try #require(page.firstMatch(of: #/<div id="partners">(.*?)</div>/#)).1
      #expect(rows.contains(#"<td>org-a</td><td><a href="/cases?partner=org-a">横浜商工会議所</a></td><td>商工会議所</td><td>横浜</td><td class="num">2</td><td class="num">1</td><td class="num">1</td><td>髙橋 一郎</td><td>045-671-7400</td>"#), "\(rows)")
      #expect(rows.contains("川崎信用金庫") && !rows.contains("旧㈱相模支援"), "those that left only when asked")
      #expect(try await fixture.page(client, "/partners?fy=2023&includeLeft=1").contains("旧㈱相模支援（2023-04-03 退会）"))
      let before = try await fixture.page(client, "/partners?fy=%E4%BB%A4%E5%92%8C4%E5%B9%B4%E5%BA%A6")  // 令和4年度
      #expect(before.contains("令和4年度（FY2022）の紹介と診断") && before.contains(#"<td class="num">0</td>"#))
    }
  }

  @Test("KPI: the year's figures, 成約 against the target, charts as SVG, breakdowns and the CSV links")
  func kpis() async throws {
    try await withCentre { fixture, client in
      try await fixture.post(
        client, "/api/cases", as: "sato", #"{"route":"walk-in","side":"selling","kind":"family","assignee":"sato","company":{"name":"山田酒店"}}"#)
      try await fixture.post(client, "/api/referrals", as: "ycci", referral(#"{"name":"青葉精工"}"#))
      try await fixture.post(client, "/api/cases/2023-0001/sessions", as: "sato", #"{"minutes":60,"kind":"at-centre"}"#)
      try await fixture.post(client, "/api/cases/2023-0001/sessions", as: "sato", #"{"minutes":30,"kind":"phone"}"#)
      try await fixture.post(client, "/api/cases/2023-0001/stage", as: "sato", #"{"stage":"succeeded"}"#)
      try await fixture.post(client, "/api/targets", as: "boss", #"{"fy":"FY2023","succeeded":4}"#)
      let page = try await fixture.page(client, "/kpis?fy=2023", as: "audit")
      #expect(page.contains("KPI 令和5年度 | KIP"))
      let summary = try #require(page.firstMatch(of: #/<table class="data" id="kpi-summary">(.*?)</table>/#)).1
      #expect(summary.contains("<th scope=\"row\">相談者数</th><td>1者</td>") && summary.contains("<th scope=\"row\">相談回数</th><td>2回</td>"))
      #expect(summary.contains("<td>1件（目標 4件・達成率 25%）</td>") && summary.contains("<th scope=\"row\">連携機関からの紹介</th><td>1件</td>"))
      let charts = try #require(page.firstMatch(of: #/<div id="charts">(.*?)</div>/#)).1
      #expect(charts.components(separatedBy: "<svg").count == 5, "four charts")
      #expect(charts.contains("<title>4月: 2回</title>") && charts.contains("class=\"reference\"") && charts.contains("目標 4件"))
      #expect(charts.contains("<title>商工会議所: 1件</title>"))
      #expect(page.contains("<td>来所</td><td class=\"num\">1件</td>") && page.contains("<td>親族内</td><td class=\"num\">1件</td>"))
      for table in ["summary", "partners", "stages"] {
        let link = "/api/kpis?fy=2023&amp;format=csv&amp;table=\(table)"
        #expect(page.contains(link))
        let csv = try await fixture.get(client, link.replacingOccurrences(of: "&amp;", with: "&"), as: "audit")
        #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
      }
      #expect(try await fixture.page(client, "/kpis?fy=nonsense").contains("令和5年度（FY2023）の実績"), "what cannot be read is this year")
    }
  }
}
