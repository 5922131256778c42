import EventLog
import Foundation
import SharedKernel
import Succession
import Testing

@Suite("Succession: 後継者人材バンク")
struct SuccessorBankTests {
  typealias F = Fixtures

  /// A would-be successor sent by the 横浜商工会議所 after its 創業セミナー.
  static let taro = SuccessorDetails(
    name: " 山田 太郎 ", nameKana: "やまだ たろう", phone: "０４５−１２３−４５６７", email: "taro@example.jp", address: "横浜市中区山下町1-1", ageBand: .forties,
    region: .yokohama, wantedIndustries: [.manufacturing, .wholesale], experience: "電機メーカーで生産管理20年", funds: .upTo10m,
    referredBy: F.partnerID("cci-yokohama"))

  let id = try! SuccessorID("2022-015")
  let staff = F.staff("sato")

  func register(_ details: SuccessorDetails = SuccessorBankTests.taro, on: String = "2022-06-01", today: String = "2022-06-01", state: SuccessorBank.State = nil) throws
    -> [SuccessorBank.Event]
  {
    try SuccessorBank.register(id, details, on: F.date(on), by: staff, partners: F.partners, state, F.context(today))
  }

  func registered() throws -> SuccessorBank.State { try register().reduce(nil, SuccessorBank.evolve) }

  @Test("registered with the details checked: name trimmed, reading in katakana, phone in ASCII; the referrer's type kept")
  func registration() throws {
    let events = try register()
    guard case .registered(let e)? = events.first else { Issue.record("not registered"); return }
    #expect(e.details.name == "山田 太郎" && e.details.nameKana == "ヤマダ タロウ" && e.details.phone == "045-123-4567")
    #expect(e.referrerType == .chamberOfCommerce && e.registeredOn == F.date("2022-06-01") && e.by == staff)
    #expect(try SuccessorBank.stream(id).rawValue == "successor-2022-015")
    let state = events.reduce(nil, SuccessorBank.evolve)
    #expect(state?.status == .active && state?.details.region == .yokohama)
    #expect(throws: SuccessionError.successorExists(id)) { try register(state: state) }
  }

  @Test("registration refused with a sentence for each wrong field")
  func registrationRefused() throws {
    func refused(_ change: (inout SuccessorDetails) -> Void) -> SuccessionError? {
      var details = Self.taro
      change(&details)
      do {
        _ = try register(details)
        return nil
      } catch { return error as? SuccessionError }
    }
    #expect(refused { $0.name = "  " } == .invalidSuccessor(field: "name", reason: "氏名は1〜50文字で入力してください"))
    #expect(refused { $0.name = String(repeating: "山", count: 51) } == .invalidSuccessor(field: "name", reason: "氏名は1〜50文字で入力してください"))
    #expect(refused { $0.name = String(repeating: "山", count: 50) } == nil)
    #expect(refused { $0.nameKana = "Yamada" } == .invalidSuccessor(field: "nameKana", reason: "フリガナ「Yamada」はカタカナまたはひらがなで100文字まで入力してください"))
    #expect(refused { $0.phone = "045-123" } == .invalidSuccessor(field: "phone", reason: "電話番号「045-123」は10桁以上の数字（ハイフン可）で入力してください"))
    for email in ["taro", "taro@", "@example.jp", "taro@example", "taro@@example.jp", "taro yamada@example.jp", "taro@example..jp", "太郎@example.jp"] {
      #expect(refused { $0.email = email } == .invalidSuccessor(field: "email", reason: "メールアドレス「\(email)」の形式が正しくありません（例: taro@example.jp）"))
    }
    #expect(refused { $0.email = "taro.yamada+bank@mail.example.co.jp" } == nil)
    #expect(refused { $0.phone = nil } == nil)
    #expect(refused { $0.phone = nil; $0.email = " " } == .invalidSuccessor(field: "phone", reason: "連絡先として電話番号かメールアドレスのどちらかを入力してください"))
    #expect(refused { $0.experience = String(repeating: "あ", count: 2001) } == .invalidSuccessor(field: "experience", reason: "職歴・経験は2000文字までです"))
    #expect(refused { $0.wantedIndustries = [.retail, .retail] } == .invalidSuccessor(field: "wantedIndustries", reason: "希望業種に同じ業種が重複しています"))
    #expect(refused { $0.referredBy = F.partnerID("nobody") } == .unknownPartner(F.partnerID("nobody")))
    #expect(refused { $0.referredBy = F.partnerID("shokokai-hakone") } == .partnerLeft(F.partnerID("shokokai-hakone"), name: "箱根町商工会"))
    #expect(refused { $0.referredBy = nil } == nil)
    #expect(throws: SuccessionError.dateInFuture(field: "registeredOn", F.date("2022-06-02"), today: F.date("2022-06-01"))) { try register(on: "2022-06-02") }
    #expect(SuccessionError.invalidSuccessor(field: "email", reason: "x").field == "email")
  }

  @Test("interviews while registered, dated from registration to today; details updated, the referrer kept")
  func work() throws {
    var state = try registered()
    #expect(throws: SuccessionError.dateTooEarly(field: "on", F.date("2022-05-31"), earliest: F.date("2022-06-01"), what: "登録日")) {
      try SuccessorBank.recordInterview(on: F.date("2022-05-31"), by: staff, note: nil, state, F.context("2022-06-10"))
    }
    #expect(throws: SuccessionError.dateInFuture(field: "on", F.date("2022-06-11"), today: F.date("2022-06-10"))) {
      try SuccessorBank.recordInterview(on: F.date("2022-06-11"), by: staff, note: nil, state, F.context("2022-06-10"))
    }
    state = try SuccessorBank.recordInterview(on: F.date("2022-06-10"), by: staff, note: "製造業を強く希望", state, F.context("2022-06-10"))
      .reduce(state, SuccessorBank.evolve)
    #expect(state?.interviews.map(\.note) == ["製造業を強く希望"])
    // The same details: nothing; changed: updated; another referrer: refused.
    #expect(try SuccessorBank.update(Self.taro, by: staff, state, F.context("2022-06-10")).isEmpty)
    var moved = Self.taro
    moved.region = .kawasaki
    state = try SuccessorBank.update(moved, by: staff, state, F.context("2022-06-10")).reduce(state, SuccessorBank.evolve)
    #expect(state?.details.region == .kawasaki)
    moved.referredBy = nil
    #expect(throws: SuccessionError.invalidSuccessor(field: "referredBy", reason: "紹介元の機関は登録後に変えられません（登録時の紹介として集計されるため）")) {
      try SuccessorBank.update(moved, by: staff, state, F.context("2022-06-10"))
    }
    #expect(throws: SuccessionError.unknownSuccessor(nil)) { try SuccessorBank.update(moved, by: staff, nil, F.context("2022-06-10")) }
    // Withdrawn: a reason needed; afterwards no interviews and no second withdrawal.
    #expect(throws: SuccessionError.reasonRequired(action: "人材バンクの登録取消")) {
      try SuccessorBank.withdraw(reason: "", on: F.date("2022-06-20"), by: staff, state, F.context("2022-06-20"))
    }
    #expect(throws: SuccessionError.dateTooEarly(field: "on", F.date("2022-06-09"), earliest: F.date("2022-06-10"), what: "最後の記録日")) {
      try SuccessorBank.withdraw(reason: "就職", on: F.date("2022-06-09"), by: staff, state, F.context("2022-06-20"))
    }
    state = try SuccessorBank.withdraw(reason: "就職が決まった", on: F.date("2022-06-20"), by: staff, state, F.context("2022-06-20"))
      .reduce(state, SuccessorBank.evolve)
    #expect(state?.status == .withdrawn && state?.endedOn == F.date("2022-06-20"))
    #expect(throws: SuccessionError.successorNotActive(id, .withdrawn, action: "面談を記録する")) {
      try SuccessorBank.recordInterview(on: F.date("2022-06-20"), by: staff, note: nil, state, F.context("2022-06-20"))
    }
    #expect(throws: SuccessionError.successorNotActive(id, .withdrawn, action: "登録を取り消す")) {
      try SuccessorBank.withdraw(reason: "x", on: F.date("2022-06-20"), by: staff, state, F.context("2022-06-20"))
    }
  }

  /// A proposal between a seller case and `candidate` (registered on its own stream), closed or just proposed.
  func proposal(to candidate: SuccessorID, closed: Bool) throws -> Matching.ProposalState {
    var desk = try MatchingTests().desk()
    desk.successors[candidate] = try SuccessorBank.register(candidate, Self.taro, on: F.date("2022-05-01"), by: staff, partners: F.partners, nil, F.context("2022-06-01"))
      .reduce(nil, SuccessorBank.evolve)
    let id = "2022-0001-\(candidate)"
    try desk.propose(id, seller: F.caseID("2022-0001"), to: .candidate(candidate), on: "2022-06-15", today: "2022-06-15")
    if closed {
      try desk.step(id, .signNDA, on: "2022-06-20")
      try desk.step(id, .consentToDisclosure(note: nil), on: "2022-06-20")
      try desk.step(id, .holdTopMeeting(note: nil), on: "2022-07-01")
      try desk.step(id, .reachBasicAgreement, on: "2022-08-01")
      try desk.step(id, .closeDeal, on: "2022-09-01", today: "2022-09-01")
    }
    return desk.proposals[try ProposalID(id)] ?? nil
  }

  @Test("matched by a closed proposal to them: once; not by an open one or one to somebody else")
  func matched() throws {
    let state = try registered()
    let closed = try proposal(to: id, closed: true)
    let events = try SuccessorBank.match(proposal: closed, by: staff, state, F.context("2022-09-02"))
    guard case .matched(let e)? = events.first else { Issue.record("not matched"); return }
    #expect(e.proposal == closed?.id && e.seller == F.caseID("2022-0001") && e.on == F.date("2022-09-01"))
    let after = events.reduce(state, SuccessorBank.evolve)
    #expect(after?.status == .matched && after?.matchedBy == closed?.id)
    #expect(try SuccessorBank.match(proposal: closed, by: staff, after, F.context("2022-09-02")).isEmpty)
    let open = try proposal(to: id, closed: false)
    #expect(throws: SuccessionError.proposalNotClosed(try #require(open?.id))) { try SuccessorBank.match(proposal: open, by: staff, state, F.context("2022-09-02")) }
    let other = try proposal(to: SuccessorID("2022-016"), closed: true)
    #expect(throws: SuccessionError.invalidSuccessor(field: "proposal", reason: "その提案は登録者 2022-015 への提案ではありません")) {
      try SuccessorBank.match(proposal: other, by: staff, state, F.context("2022-09-02"))
    }
  }

  @Test("name, contact and experience sealed under the successor's stream name; erased with its key, the bands and region survive")
  func codec() throws {
    let vault = TestVault()
    let codec = SuccessorBank.codec.sealing(with: vault)
    guard let event = try register().first else { Issue.record("nothing"); return }
    let stored = try StoredEvent(event, codec: codec, stream: try SuccessorBank.stream(id))
    #expect(stored.recorded.type == "Succession.SuccessorRegistered")
    for plain in ["山田", "ヤマダ", "045-123-4567", "taro@example.jp", "山下町", "生産管理"] { #expect(!stored.text.contains(plain), "\(plain)") }
    #expect(stored.text.contains("\"owner\":\"successor-2022-015\"") && stored.text.contains("\"ageBand\":\"40s\""))
    #expect(try stored.read() == event)
    vault.destroy(SuccessorBank.personalDataOwner(id))
    guard case .registered(let erased) = try stored.read() else { Issue.record("wrong event"); return }
    #expect(erased.details.name == "" && erased.details.nameKana == nil && erased.details.phone == nil && erased.details.email == nil)
    #expect(erased.details.address == nil && erased.details.experience == nil)
    #expect(erased.details.ageBand == .forties && erased.details.region == .yokohama && erased.details.wantedIndustries == [.manufacturing, .wholesale])
    #expect(erased.details.funds == .upTo10m && erased.details.referredBy == F.partnerID("cci-yokohama") && erased.referrerType == .chamberOfCommerce)
    // Nothing more is sealed under a destroyed key.
    #expect(throws: EventCodecError.self) { _ = try codec.encode(event) }
  }
}
