import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import SharedKernel
import Succession
import Testing

@testable import SuccessionService

@Suite("kip-succession: the centre's API", .serialized)
struct CentreAPITests {
  let abc = #"{"name":"株式会社ＡＢＣ商事","nameKana":"えーびーしーしょうじ","corporateNumber":"7000012050002","address":"横浜市中区本町1-1","ownerAge":72}"#

  @Test("the partner list imports from CP932 all or nothing; the same file again records nothing; leaving is an event")
  func partners() async throws {
    try await withCentre(importPartners: false) { fixture, client in
      // A file with a row wrong in two places: nothing of it is recorded, every problem is listed.
      let bad = "機関コード,機関名,種別,地域\r\norg-x,横浜銀行,金融機関,横浜\r\norg-y,,謎の種別,横浜\r\n"
      let head = try await fixture.app.store.head().position
      let refused = try await client.execute(
        uri: "/api/partners/import", method: .post, headers: fixture.headers("sato", key: "bad", [.contentType: "text/csv"]), body: ByteBuffer(string: bad))
      #expect(refused.status == .unprocessableContent)
      let problem = try json(refused)
      #expect(problem["field"] as? String == "file" && (problem["detail"] as? String)?.contains("3行目") == true, "\(problem)")
      #expect(try await fixture.app.store.head().position == head)
      // JSON is not a partner file.
      let wrongType = try await client.execute(
        uri: "/api/partners/import", method: .post, headers: fixture.headers("sato", key: "json"), body: ByteBuffer(string: "{}"))
      #expect(wrongType.status == .unsupportedMediaType)

      try await fixture.importPartners(client)
      let again = try await client.execute(
        uri: "/api/partners/import", method: .post, headers: fixture.headers("sato", key: "partners-2", [.contentType: "text/csv"]),
        body: ByteBuffer(bytes: CentreFixture.partnersCP932))
      #expect(try json(again)["changes"] as? Int == 0)
      let left = try await fixture.post(client, "/api/partners/org-c/leave", as: "sato", #"{"reason":"解散のため"}"#)
      #expect(try left.status == .ok && (json(left)["active"] as? Int) == 2)

      let list = try jsonArray(try await fixture.get(client, "/api/partners?fy=2023", as: "audit"))
      #expect(list.map { $0["id"] as? String } == ["org-a", "org-b"])  // 商工会議所 before 金融機関 (by type), no one who left
      let a = try #require(list.first)
      #expect(a["name"] as? String == "横浜商工会議所" && (a["contact"] as? [String: Any])?["person"] as? String == "髙橋 一郎")
      let all = try jsonArray(try await fixture.get(client, "/api/partners?includeLeft=true", as: "sato"))
      #expect(all.count == 3 && all.contains { $0["id"] as? String == "org-c" && $0["active"] as? Bool == false })
      // A partner user cannot change the registry; the desk cannot read it.
      #expect(try await fixture.post(client, "/api/partners/org-a/rename", as: "ycci", #"{"name":"横浜商工会議所（新）"}"#).status == .forbidden)
      #expect(try await fixture.get(client, "/api/partners", as: "desk").status == .forbidden)
    }
  }

  @Test("a partner refers a company for itself; the same company again by 法人番号 is flagged duplicateOf and linked, never doubled")
  func referralsAndDuplicates() async throws {
    try await withCentre { fixture, client in
      let first = try await fixture.post(client, "/api/referrals", as: "ycci", referral(abc))
      #expect(first.status == .created, "\(String(buffer: first.body))")
      #expect(first.headers[.eTag] == "\"0\"" && first.headers[.kipPosition] != nil)
      let one = try json(first)
      #expect(one["id"] as? String == "2023-0001" && one["phase"] as? String == "referred")
      let company = try #require(one["company"] as? [String: Any])
      #expect(company["nameKana"] as? String == "エービーシーショウジ" && company["corporateNumber"] as? String == "7000012050002")
      #expect(company["region"] as? String == "yokohama")  // from the address
      #expect(((one["referrals"] as? [[String: Any]])?.first)?["partner"] as? String == "org-a")

      // 川崎信用金庫 refers the same company under another spelling: recorded, flagged, linked.
      let second = try await fixture.post(
        client, "/api/referrals", as: "kawashin", referral(#"{"name":"(株)ABC商事","corporateNumber":"7-0000-1205-0002"}"#, staff: "鈴木 花子"))
      #expect(second.status == .created)
      let two = try json(second)
      #expect(two["id"] as? String == "2023-0002" && two["duplicateOf"] as? String == "2023-0001")
      #expect((two["links"] as? [String: String])?["duplicateOf"] == "/api/cases/2023-0001")

      // A partner user cannot refer for another partner; a wrong check digit is a clear 422; neither records anything.
      let head = try await fixture.app.store.head().position
      let other = try await fixture.post(client, "/api/referrals", as: "ycci", referral(#"{"name":"丸山製作所"}"#, partner: "org-b"))
      #expect(try other.status == .unprocessableContent && (json(other)["field"] as? String) == "partner")
      let digit = try await fixture.post(client, "/api/referrals", as: "sato", referral(#"{"name":"丸山製作所","corporateNumber":"8000012050002"}"#, partner: "org-a"))
      #expect(try digit.status == .unprocessableContent && (json(digit)["field"] as? String) == "corporateNumber")
      #expect(try (json(digit)["detail"] as? String)?.contains("検査用数字") == true, "\(String(buffer: digit.body))")
      let left = try await fixture.post(client, "/api/partners/org-c/leave", as: "sato", #"{"reason":"解散"}"#)
      #expect(left.status == .ok)
      let fromLeft = try await fixture.post(client, "/api/referrals", as: "sato", referral(#"{"name":"丸山製作所"}"#, partner: "org-c"))
      #expect(try fromLeft.status == .unprocessableContent && (json(fromLeft)["detail"] as? String)?.contains("退会") == true)
      #expect(try await fixture.app.store.head().position == head + 1)  // only the leaving

      // Staff accept the first and attach the second to it: one case, two referrals.
      let accepted = try await fixture.post(client, "/api/cases/2023-0001/accept", as: "sato", #"{"side":"selling","kind":"third-party","assignee":"sato"}"#)
      #expect(try accepted.status == .ok && (json(accepted)["stage"] as? String) == "intake", "\(String(buffer: accepted.body))")
      // Accepting the duplicate on its own is refused while the first is open.
      let apart = try await fixture.post(client, "/api/cases/2023-0002/accept", as: "sato", #"{"side":"selling"}"#)
      #expect(try apart.status == .conflict && (json(apart)["field"] as? String) == "separateFrom")
      let attached = try await fixture.post(client, "/api/cases/2023-0002/attach", as: "sato", #"{"to":"2023-0001"}"#)
      #expect(try attached.status == .ok && (json(attached)["phase"] as? String) == "attached")
      let case1 = try json(try await fixture.get(client, "/api/cases/2023-0001", as: "audit"))
      #expect((case1["referrals"] as? [[String: Any]])?.compactMap { $0["partner"] as? String } == ["org-a", "org-b"])
      let byPartner = try json(try await fixture.get(client, "/api/cases?partner=org-b", as: "sato"))
      #expect((byPartner["cases"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["2023-0001"])
    }
  }

  @Test("a case through its stages: sessions, next actions overdue the day after, a refused move with the allowed ones, 成約 in the KPIs")
  func caseLife() async throws {
    try await withCentre { fixture, client in
      let opened = try await fixture.post(
        client, "/api/cases", as: "sato",
        #"{"route":"walk-in","side":"selling","kind":"family","assignee":"sato","company":{"name":"山田酒店","nameKana":"ヤマダサケテン","address":"藤沢市鵠沼1-2"}}"#)
      #expect(opened.status == .created, "\(String(buffer: opened.body))")
      let id = try #require(try json(opened)["id"] as? String)
      // Partners are not a route staff open cases for.
      let viaPartner = try await fixture.post(client, "/api/cases", as: "sato", #"{"route":"partner","side":"selling","company":{"name":"X"}}"#)
      #expect(try viaPartner.status == .unprocessableContent && (json(viaPartner)["field"] as? String) == "route")
      // Only a registered succession staff member can be given a case.
      let nobody = try await fixture.post(client, "/api/cases/\(id)/assignee", as: "sato", #"{"assignee":"desk"}"#)
      #expect(try nobody.status == .unprocessableContent && (json(nobody)["field"] as? String) == "assignee")

      let session = try await fixture.post(client, "/api/cases/\(id)/sessions", as: "sato", #"{"minutes":60,"kind":"at-centre","summary":"長男への承継を検討"}"#)
      #expect(try session.status == .ok && (json(session)["stage"] as? String) == "consultation", "\(String(buffer: session.body))")
      #expect(try ((json(session)["sessions"] as? [[String: Any]])?.first)?["staff"] as? String == "sato")
      let action = try await fixture.post(client, "/api/cases/\(id)/next-action", as: "sato", #"{"text":"事業承継計画の素案を送る","due":"令和5年4月5日"}"#)
      #expect(try action.status == .ok && ((json(action)["nextAction"] as? [String: Any])?["due"] as? String) == "2023-04-05")
      let past = try await fixture.post(client, "/api/cases/\(id)/next-action", as: "sato", #"{"text":"電話","due":"2023-04-01"}"#)
      #expect(past.status == .unprocessableContent)

      let mine = try json(try await fixture.get(client, "/api/cases?assignedTo=me", as: "sato"))
      #expect(mine["total"] as? Int == 1)
      #expect(try json(try await fixture.get(client, "/api/cases?overdue=true", as: "sato"))["total"] as? Int == 0)
      // A flag or a number left empty is not one (the document's enum and integer say so: 422).
      for query in ["overdue=", "overdue=yes", "limit=", "offset=-1"] {
        let refused = try await fixture.get(client, "/api/cases?\(query)", as: "sato")
        #expect(refused.status == .unprocessableContent, "\(query)")
      }
      fixture.clock.set("2023-04-06T09:00")  // due the 5th: overdue from the 6th
      let overdue = try json(try await fixture.get(client, "/api/cases?overdue=true&assignedTo=sato", as: "sato"))
      #expect(overdue["total"] as? Int == 1)
      let perStaff = try jsonArray(try await fixture.get(client, "/api/overdue", as: "boss"))
      #expect(perStaff.first?["staff"] as? String == "sato" && ((perStaff.first?["actions"] as? [[String: Any]])?.first)?["daysOverdue"] as? Int == 1)

      // An M&A stage for a family succession is refused, with why.
      let deal = try await fixture.post(client, "/api/cases/\(id)/stage", as: "sato", #"{"stage":"nda"}"#)
      #expect(try deal.status == .unprocessableContent && (json(deal)["field"] as? String) == "stage")
      #expect(try await fixture.post(client, "/api/cases/\(id)/stage", as: "sato", #"{"stage":"planning"}"#).status == .ok)
      let done = try await fixture.post(client, "/api/cases/\(id)/stage", as: "sato", #"{"stage":"succeeded","on":"2023-04-06"}"#)
      #expect(try done.status == .ok && (json(done)["phase"] as? String) == "closed" && (json(done)["closedOn"] as? String) == "2023-04-06")
      #expect(try await fixture.post(client, "/api/cases/\(id)/sessions", as: "sato", #"{"minutes":30,"kind":"phone"}"#).status == .unprocessableContent)

      // The manager sets the year's target; staff cannot.
      #expect(try await fixture.post(client, "/api/targets", as: "sato", #"{"fy":"FY2023","succeeded":100}"#).status == .forbidden)
      #expect(try await fixture.post(client, "/api/targets", as: "boss", #"{"fy":"令和5年度","succeeded":4}"#).status == .ok)
      let kpis = try json(try await fixture.get(client, "/api/kpis?fy=2023", as: "audit"))
      let total = try #require(kpis["total"] as? [String: Any])
      #expect(total["consulters"] as? Int == 1 && total["sessions"] as? Int == 1 && total["succeeded"] as? Int == 1 && total["newCases"] as? Int == 1)
      #expect(kpis["target"] as? Int == 4 && kpis["achievementPercent"] as? Int == 25 && kpis["name"] as? String == "令和5年度")
      let april = try #require((kpis["months"] as? [[String: Any]])?.first)
      #expect(april["month"] as? String == "2023-04" && (april["figures"] as? [String: Any])?["succeeded"] as? Int == 1)
      #expect(((total["daysToSuccess"] as? [String: Any])?["median"] as? Double) == 3)
      let csv = try await fixture.get(client, "/api/kpis?fy=2023&format=csv", as: "boss")
      #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
      #expect(Array(Data(buffer: csv.body).prefix(3)) == [0xEF, 0xBB, 0xBF])
      #expect(try await fixture.get(client, "/api/kpis?fy=2023&format=xml", as: "boss").status == .unprocessableContent)
      #expect(try await fixture.get(client, "/api/kpis?fy=FY20x", as: "boss").status == .unprocessableContent)
    }
  }

  @Test("a partner sees its own referrals' milestones, only with consent, and nothing of another partner's or of the cases")
  func partnerView() async throws {
    try await withCentre { fixture, client in
      try await fixture.referFromTwoPartners(client)
      let mine = try jsonArray(try await fixture.get(client, "/api/partners/org-a/referrals", as: "ycci"))
      #expect(mine.map { $0["companyName"] as? String } == ["緑町食品", "青葉精工株式会社"])
      let milestones = mine.map { ($0["reached"] as? [[String: Any]])?.compactMap { $0["milestone"] as? String } }
      #expect(milestones == [["received"], ["received", "in-support"]])
      // Nothing about stages, staff or sessions is in what a partner sees.
      #expect(!String(buffer: try await fixture.get(client, "/api/partners/org-a/referrals", as: "ycci").body).contains("tanaka"))
      #expect(try await fixture.get(client, "/api/partners/org-b/referrals", as: "ycci").status == .notFound)
      #expect(try await fixture.get(client, "/api/cases/2023-0001", as: "ycci").status == .forbidden)
      #expect(try await fixture.get(client, "/api/cases", as: "ycci").status == .forbidden)
      // Staff see every partner's view.
      #expect(try jsonArray(try await fixture.get(client, "/api/partners/org-b/referrals", as: "sato")).count == 1)
    }
  }

  @Test("20 intakes at once get 20 different case numbers in order of the numbering stream; a retried request is answered once")
  func concurrentIntakesAndRetries() async throws {
    try await withCentre { fixture, client in
      let ids = try await withThrowingTaskGroup(of: String?.self) { group in
        for n in 1...20 {
          group.addTask {
            let response = try await client.execute(
              uri: "/api/cases", method: .post, headers: fixture.headers("sato", key: "intake-\(n)"),
              body: ByteBuffer(string: #"{"route":"phone","side":"selling","company":{"name":"会社\#(n)号"}}"#))
            #expect(response.status == .created, "\(String(buffer: response.body))")
            return try json(response)["id"] as? String
          }
        }
        return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
      }
      #expect(Set(ids) == Set((1...20).map { String(format: "2023-%04d", $0) }))
      let numbers = try await fixture.app.store.readAll(stream: try CaseNumbers.stream(FiscalYear(2023)))
      #expect(numbers.count == 20)
      // The same request again answers the first answer and records nothing; the same key for another body is refused.
      let head = try await fixture.app.store.head().position
      let again = try await client.execute(
        uri: "/api/cases", method: .post, headers: fixture.headers("sato", key: "intake-1"),
        body: ByteBuffer(string: #"{"route":"phone","side":"selling","company":{"name":"会社1号"}}"#))
      #expect(try again.status == .created && ids.contains(json(again)["id"] as? String ?? ""))
      let reused = try await client.execute(
        uri: "/api/cases", method: .post, headers: fixture.headers("sato", key: "intake-1"),
        body: ByteBuffer(string: #"{"route":"phone","side":"selling","company":{"name":"別の会社"}}"#))
      #expect(reused.status == .unprocessableContent)
      #expect(try await fixture.app.store.head().position == head)
      // A body that breaks the schema names the field.
      let bad = try await fixture.post(client, "/api/cases", as: "sato", #"{"route":"phone","side":"sideways","company":{"name":"X"}}"#)
      #expect(try bad.status == .unprocessableContent && (json(bad)["field"] as? String) == "side")
    }
  }

  @Test("1 April: the manager moves every open case of a rotating staff member in one append; closed cases keep their staff")
  func rotation() async throws {
    try await withCentre { fixture, client in
      for n in 1...3 {
        try await fixture.post(
          client, "/api/cases", as: "sato", #"{"route":"web","side":"selling","kind":"family","assignee":"sato","company":{"name":"商店\#(n)"}}"#)
      }
      try await fixture.post(client, "/api/cases/2023-0003/stage", as: "sato", #"{"stage":"discontinued","reason":"本人の意向で中止"}"#)
      #expect(try await fixture.post(client, "/api/rotations", as: "sato", #"{"rotations":[{"from":"sato","to":"tanaka"}]}"#).status == .forbidden)
      let moved = try await fixture.post(client, "/api/rotations", as: "boss", #"{"rotations":[{"from":"sato","to":"tanaka"}]}"#)
      #expect(moved.status == .ok, "\(String(buffer: moved.body))")
      #expect(try json(moved)["reassigned"] as? [String] == ["2023-0001", "2023-0002"])
      #expect(try json(try await fixture.get(client, "/api/cases?assignedTo=tanaka", as: "boss"))["total"] as? Int == 2)
      #expect(try json(try await fixture.get(client, "/api/cases/2023-0003", as: "boss"))["assignee"] as? String == "sato")
      let unknown = try await fixture.post(client, "/api/rotations", as: "boss", #"{"rotations":[{"from":"tanaka","to":"ycci"}]}"#)
      #expect(unknown.status == .unprocessableContent)
    }
  }

  @Test("diagnoses: a partner reports its own one by one or as CSV; staff link one to the case it became")
  func diagnoses() async throws {
    try await withCentre { fixture, client in
      let one = try await fixture.post(
        client, "/api/diagnoses", as: "ycci", #"{"on":"2023-04-03","companyName":"株式会社ＡＢＣ商事","corporateNumber":"7000012050002","result":"no-successor","referToCentre":true}"#)
      #expect(one.status == .created, "\(String(buffer: one.body))")
      let diagnosis = try #require((try json(one)["recorded"] as? [String])?.first)
      let file = "実施日,会社名,法人番号,所在地,結果,センター紹介\r\n令和5年4月1日,髙﨑製作所,,秦野市曽屋1-1,後継者不在,要\r\n2023/4/2,丸山商店,,,後継者候補あり,×\r\n"
      let imported = try await client.execute(
        uri: "/api/diagnoses/import", method: .post, headers: fixture.headers("ycci", key: "d-file", [.contentType: "text/csv"]), body: ByteBuffer(string: file))
      #expect(try imported.status == .created && (json(imported)["recorded"] as? [String])?.count == 2, "\(String(buffer: imported.body))")
      try await fixture.caughtUp()
      #expect(try await fixture.post(client, "/api/diagnoses", as: "kawashin", #"{"partner":"org-a","on":"2023-04-03","companyName":"X","result":"no-successor"}"#).status == .unprocessableContent)
      let theirs = try jsonArray(try await fixture.get(client, "/api/diagnoses?fy=2023", as: "ycci"))
      #expect(theirs.count == 3)
      #expect(try jsonArray(try await fixture.get(client, "/api/diagnoses?fy=2023", as: "kawashin")).isEmpty)

      try await fixture.post(client, "/api/referrals", as: "ycci", referral(abc))
      // A referral waiting for acceptance is no case yet.
      #expect(try await fixture.post(client, "/api/diagnoses/\(diagnosis)/link", as: "sato", #"{"case":"2023-0001"}"#).status == .unprocessableContent)
      try await fixture.post(client, "/api/cases/2023-0001/accept", as: "sato", #"{"side":"selling"}"#)
      let linked = try await fixture.post(client, "/api/diagnoses/\(diagnosis)/link", as: "sato", #"{"case":"2023-0001"}"#)
      #expect(try linked.status == .ok && (json(linked)["linkedCase"] as? String) == "2023-0001")
      let partners = try jsonArray(try await fixture.get(client, "/api/partners?fy=2023", as: "sato"))
      #expect(partners.first { $0["id"] as? String == "org-a" }?["diagnoses"] as? Int == 3)
      #expect(partners.first { $0["id"] as? String == "org-a" }?["referrals"] as? Int == 1)
    }
  }
}
