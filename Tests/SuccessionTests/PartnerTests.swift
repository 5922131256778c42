import Foundation
import SharedKernel
import Succession
import Testing

@Suite("Succession: the partner registry and its file")
struct PartnerTests {
  typealias F = Fixtures

  func fold(_ events: [Partners.Event], _ state: Partners.State = .init()) -> Partners.State { events.reduce(state, Partners.evolve) }

  @Test("joined, renamed, contact changed, reclassified and left, each recorded once")
  func lifeCycle() throws {
    let context = F.context("2022-04-01")
    let id = F.partnerID("shinkin-kawasaki")
    var state = fold(try Partners.decide(.join(PartnerProfile(id: id, name: " 川崎信用金庫 ", type: .financialInstitution, region: .kawasaki)), .init(), context))
    #expect(state.partner(id)?.name == "川崎信用金庫")
    #expect(throws: SuccessionError.partnerExists(id, name: "川崎信用金庫")) {
      try Partners.decide(.join(PartnerProfile(id: id, name: "川崎信金", type: .financialInstitution, region: .kawasaki)), state, context)
    }
    let renamed = try Partners.decide(.rename(id, to: "かわしん"), state, context)
    guard case .renamed(let e)? = renamed.first, renamed.count == 1 else { Issue.record("not renamed: \(renamed)"); return }
    #expect(e.partner == id && e.name == "かわしん" && e.previous == "川崎信用金庫" && e.on == context.today)
    state = fold(renamed, state)
    #expect(try Partners.decide(.rename(id, to: "かわしん"), state, context).isEmpty)
    let contact = PartnerContact(person: "地域支援部 山田", phone: "０４４－２２０－１１１１", email: "succession@example.jp")
    state = fold(try Partners.decide(.changeContact(id, contact), state, context), state)
    #expect(state.partner(id)?.contact.phone == "044-220-1111")
    #expect(throws: SuccessionError.self) { try Partners.decide(.changeContact(id, PartnerContact(email: "no-at-sign")), state, context) }
    state = fold(try Partners.decide(.reclassify(id, type: .financialInstitution, region: .prefectureWide), state, context), state)
    #expect(state.partner(id)?.region == .prefectureWide)
    #expect(throws: SuccessionError.reasonRequired(action: "退会の記録")) { try Partners.decide(.leave(id, reason: " "), state, context) }
    state = fold(try Partners.decide(.leave(id, reason: "合併"), state, F.context("2023-03-31")), state)
    #expect(state.partner(id)?.active == false)
    #expect(try Partners.decide(.leave(id, reason: "合併"), state, context).isEmpty)
    #expect(throws: SuccessionError.unknownPartner(F.partnerID("nobody"))) { try Partners.decide(.rename(F.partnerID("nobody"), to: "x"), state, context) }
  }

  @Test("a partner code is a short ASCII code (it is part of stream names and URLs)")
  func codes() {
    #expect(throws: SuccessionError.self) {
      try Partners.decide(.join(PartnerProfile(id: F.partnerID("横浜銀行"), name: "横浜銀行", type: .financialInstitution, region: .yokohama)), .init(), F.context("2022-04-01"))
    }
  }

  @Test("types and statuses as files write them", arguments: [
    ("金融機関", PartnerType.financialInstitution), ("信用金庫", .financialInstitution), ("商工会", .societyOfCommerce),
    ("商工会議所", .chamberOfCommerce), ("税理士会", .professionalBody), ("士業団体", .professionalBody), ("行政", .government),
    ("市役所", .government), ("中央会", .supportBody), ("その他支援機関", .supportBody), ("chamber-of-commerce", .chamberOfCommerce),
  ])
  func types(_ pair: (String, PartnerType)) {
    #expect(PartnerType(typed: pair.0) == pair.1, "\(pair.0)")
  }

  @Test("a CP932 partner file imports; the same file again changes nothing")
  func importTwice() throws {
    let command = try PartnerFile.read(CP932Files.partners)
    guard case .importRows(let rows) = command else { Issue.record("not an import"); return }
    #expect(rows.map(\.line) == [2, 3])
    #expect(rows[0].profile.contact.person == "髙橋 ①課")
    #expect(rows[1].profile.type == .financialInstitution && rows[1].profile.region == .sagamihara)
    #expect(rows[1].profile.name == "㈱北相模～信用組合")
    let context = F.context("2022-04-01")
    let first = try Partners.decide(command, .init(), context)
    #expect(first.count == 2)
    let state = fold(first)
    #expect(state.partner(F.partnerID("kitasuke"))?.contact.phone == "042-700-1234")
    #expect(state.partner(F.partnerID("kitasuke"))?.contact.person == "佐藤,鈴木")
    #expect(try Partners.decide(try PartnerFile.read(CP932Files.partners), state, F.context("2022-05-01")).isEmpty)
  }

  @Test("an edited file records only the differences: a rename, a new contact, a new partner, one that left")
  func importChanges() throws {
    let v1 = """
      機関コード,機関名,種別,地域,担当者,電話番号
      hamagin,横浜銀行,金融機関,県全域,佐藤,045-225-1111
      cci-hadano,秦野商工会議所,商工会議所,秦野市,,
      """
    let v2 = """
      コード,名称,区分,所在地,担当者,電話番号,状態,退会理由
      hamagin,横浜銀行,銀行,神奈川県横浜市西区みなとみらい3-1-1,鈴木,045-225-1111,,
      cci-hadano,秦野商工会議所,商工会議所,秦野市平沢,,,退会,事業承継支援は県連合会に集約
      shinkin-yokohama,横浜信用金庫,信用金庫,横浜市中区,,,,
      """
    let context = F.context("2022-04-01")
    let state = fold(try Partners.decide(try PartnerFile.read(Data(v1.utf8)), .init(), context))
    let events = try Partners.decide(try PartnerFile.read(Data(v2.utf8)), state, F.context("2022-10-01"))
    let kinds = events.map { event -> String in
      switch event {
      case .joined(let e): "joined \(e.partner)"
      case .renamed(let e): "renamed \(e.partner)"
      case .contactChanged(let e): "contact \(e.partner)"
      case .reclassified(let e): "reclassified \(e.partner)"
      case .left(let e): "left \(e.partner) \(e.reason)"
      }
    }
    // 横浜銀行's region comes from its address now (横浜, not 県全域): a reclassification.
    #expect(kinds == ["reclassified hamagin", "contact hamagin", "left cci-hadano 事業承継支援は県連合会に集約", "joined shinkin-yokohama"])
    let after = fold(events, state)
    #expect(after.active.map(\.id.rawValue) == ["hamagin", "shinkin-yokohama"])
    #expect(try Partners.decide(try PartnerFile.read(Data(v2.utf8)), after, F.context("2022-10-02")).isEmpty)
  }

  @Test("every problem of a file is reported by line and column, and nothing is imported")
  func importProblems() throws {
    let file = """
      機関コード,機関名,種別,地域,電話番号,メールアドレス
      hamagin,横浜銀行,銀行,県全域,045-225-1111,
      ,無名機関,行政,横浜,,
      cci,横浜商工会議所,会議所,火星,,
      ok-1,大和市,行政,大和市,12-34,
      ok-2,綾瀬市,役所,綾瀬市,,
      hamagin,横浜銀行（重複）,銀行,県全域,,
      ok-3,横浜銀行,金融機関,横浜,,
      ok-4,座間市,行政,座間市,,mail@
      """
    do {
      let command = try PartnerFile.read(Data(file.utf8))
      _ = try Partners.decide(command, .init(), F.context("2022-04-01"))
      Issue.record("imported a bad file")
    } catch {
      guard case .importRejected(let problems) = error else { Issue.record("\(error)"); return }
      // The file's own problems come first; the registry's (duplicates, contact) only once the file reads.
      #expect(problems.map(\.line) == [3, 4, 6])
      #expect(problems[0].description == "3行目（機関コード）: 機関コードが空です")
      #expect(problems[1].column == "地域" && problems[1].message.contains("火星"))
      #expect(problems[2].column == "種別" && problems[2].message.contains("役所"))
      #expect(error.description.contains("3件"))
    }
    let readable = file.split(separator: "\n").enumerated().filter { ![2, 3, 5].contains($0.offset) }.map { String($0.element) }.joined(separator: "\n")
    do {
      _ = try Partners.decide(try PartnerFile.read(Data(readable.utf8)), .init(), F.context("2022-04-01"))
      Issue.record("imported a bad file")
    } catch {
      guard case .importRejected(let problems) = error else { Issue.record("\(error)"); return }
      #expect(problems.map(\.line) == [3, 4, 5, 6])
      #expect(problems[0].column == "電話番号")
      #expect(problems[1].message.contains("2行目と重複"))
      #expect(problems[2].message.contains("横浜銀行") && problems[2].message.contains("2行目"))
      #expect(problems[3].column == "メールアドレス")
    }
  }

  @Test("a file without a required heading is refused at line 1")
  func headings() {
    #expect(throws: SuccessionError.importRejected([RowProblem(line: 1, column: nil, message: "見出しに「種別」「地域（または所在地）」がありません")])) {
      try PartnerFile.read(Data("機関コード,機関名\nhamagin,横浜銀行\n".utf8))
    }
  }
}
