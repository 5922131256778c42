import EventLog
import Foundation
import SharedKernel
import Succession
import Testing

@Suite("Succession: 経営者保証解除支援")
struct GuaranteeReleaseTests {
  typealias F = Fixtures
  typealias G = GuaranteeRelease

  let id = try! GuaranteeCaseID("G2023-0001")
  let staff = F.staff("sato")
  let today = "2023-06-01"

  func new(
    succession: SuccessionTiming = SuccessionTiming(.planned, on: Fixtures.date("2025-04-01")), amount: Int64 = 50_000_000, caseID: CaseID? = nil
  ) -> NewGuaranteeCase {
    NewGuaranteeCase(
      id: id, caseID: caseID, companyName: " 株式会社みなと精工 ", industry: .manufacturing, region: .yokohama, lender: "横浜銀行", amount: Yen(amount),
      succession: succession, on: F.date("2023-05-31"), by: staff)
  }

  func opened() throws -> G.State { try G.open(new(), nil, F.context(today)).reduce(nil, G.evolve) }

  func apply(_ events: [G.Event], to state: inout G.State) { state = events.reduce(state, G.evolve) }

  @Test("opened for a succession planned within three years or done within the last three; a guarantee of ¥1 or more")
  func opening() throws {
    let events = try G.open(new(), nil, F.context(today))
    guard case .opened(let e)? = events.first else { Issue.record("not opened"); return }
    #expect(e.companyName == "株式会社みなと精工" && e.lender == "横浜銀行" && e.amount == Yen(50_000_000) && e.on == F.date("2023-05-31"))
    #expect(try G.stream(id).rawValue == "guarantee-G2023-0001")
    let state = events.reduce(nil, G.evolve)
    #expect(throws: SuccessionError.guaranteeCaseExists(id)) { try G.open(new(), state, F.context(today)) }
    // The three-year window, both ways, to the day.
    for (kind, date, eligible) in [
      (SuccessionTiming.Kind.planned, "2026-06-01", true), (.planned, "2026-06-02", false), (.planned, "2023-06-01", true), (.planned, "2023-05-31", false),
      (.done, "2020-06-01", true), (.done, "2020-05-31", false), (.done, "2023-06-01", true), (.done, "2023-06-02", false),
    ] {
      let timing = SuccessionTiming(kind, on: F.date(date))
      if eligible {
        #expect(throws: Never.self, "\(kind) \(date)") { try G.open(new(succession: timing), nil, F.context(today)) }
      } else {
        #expect(throws: SuccessionError.guaranteeNotEligible(timing, today: F.date(today)), "\(kind) \(date)") {
          try G.open(new(succession: timing), nil, F.context(today))
        }
      }
    }
    #expect(
      SuccessionError.guaranteeNotEligible(SuccessionTiming(.done, on: F.date("2019-01-10")), today: F.date(today)).description
        == "経営者保証解除支援の対象は、事業承継を3年以内に予定しているか、過去3年以内に承継した会社です（承継済み 2019-01-10、今日は 2023-06-01）")
    #expect(throws: SuccessionError.invalidGuarantee(field: "amount", reason: "保証金額 ¥0 は1円以上で入力してください")) {
      try G.open(new(amount: 0), nil, F.context(today))
    }
    var unnamed = new()
    unnamed.companyName = ""
    #expect(throws: SuccessionError.invalidGuarantee(field: "companyName", reason: "会社名は1〜100文字で入力してください")) { try G.open(unnamed, nil, F.context(today)) }
    // A linked succession case must be one.
    #expect(throws: SuccessionError.unknownCase(F.caseID("2022-0001"))) { try G.open(new(caseID: F.caseID("2022-0001")), nil, F.context(today)) }
    var world = World()
    try world.refer(F.referral("2022-0001"))
    #expect(throws: SuccessionError.wrongPhase(F.caseID("2022-0001"), .referred, action: "経営者保証解除支援と結び付ける")) {
      try G.open(new(caseID: F.caseID("2022-0001")), linked: world["2022-0001"], nil, F.context(today))
    }
    world.apply("2022-0001", try Case.accept(Acceptance(side: .selling), world["2022-0001"], F.context("2022-05-11")))
    let linked = try G.open(new(caseID: F.caseID("2022-0001")), linked: world["2022-0001"], nil, F.context(today)).reduce(nil, G.evolve)
    #expect(linked?.caseID == F.caseID("2022-0001"))
  }

  @Test("documents once each (again: nothing); requirements assessed and reassessed, the latest counting and all kept")
  func work() throws {
    var state = try opened()
    apply(try G.receive(.financialStatements, on: F.date("2023-06-01"), by: staff, state, F.context(today)), to: &state)
    #expect(try G.receive(.financialStatements, on: F.date("2023-06-01"), by: staff, state, F.context(today)).isEmpty)
    apply(try G.receive(.other(" 株主名簿 "), on: F.date("2023-06-01"), by: staff, state, F.context(today)), to: &state)
    #expect(try G.receive(.other("株主名簿"), on: F.date("2023-06-01"), by: staff, state, F.context(today)).isEmpty)
    #expect(state?.documents.map(\.document) == [.financialStatements, .other("株主名簿")])
    #expect(throws: SuccessionError.invalidGuarantee(field: "label", reason: "「その他」の書類は、何の書類か（1〜50文字）を入力してください")) {
      try G.receive(.other(""), on: F.date("2023-06-01"), by: staff, state, F.context(today))
    }
    #expect(throws: SuccessionError.dateTooEarly(field: "on", F.date("2023-05-30"), earliest: F.date("2023-05-31"), what: "受付日")) {
      try G.receive(.trialBalance, on: F.date("2023-05-30"), by: staff, state, F.context(today))
    }
    apply(try G.assess(.separation, as: .partly, note: "社長への貸付金あり", on: F.date("2023-06-01"), by: staff, state, F.context(today)), to: &state)
    #expect(try G.assess(.separation, as: .partly, note: "社長への貸付金あり", on: F.date("2023-06-01"), by: staff, state, F.context(today)).isEmpty)
    apply(try G.assess(.separation, as: .met, note: "貸付金を返済済み", on: F.date("2023-06-01"), by: staff, state, F.context(today)), to: &state)
    #expect(state?.assessment(of: .separation)?.rating == .met && state?.assessments.count == 2)
    #expect(state?.assessment(of: .transparency) == nil)
    #expect(throws: SuccessionError.invalidGuarantee(field: "attendees", reason: "出席者（金融機関・会社・センター、500文字まで）を入力してください")) {
      try G.recordMeeting(on: F.date("2023-06-01"), attendees: " ", summary: "x", nextStep: nil, by: staff, state, F.context(today))
    }
  }

  /// A case with the 決算書, the three requirements met and one meeting with the lender.
  func ready() throws -> G.State {
    var state = try opened()
    apply(try G.receive(.financialStatements, on: F.date("2023-06-01"), by: staff, state, F.context(today)), to: &state)
    for requirement in GuaranteeRequirement.allCases {
      apply(try G.assess(requirement, as: .met, note: nil, on: F.date("2023-06-01"), by: staff, state, F.context(today)), to: &state)
    }
    apply(
      try G.recordMeeting(
        on: F.date("2023-06-01"), attendees: "横浜銀行 融資課 佐藤課長、みなと精工 山田社長", summary: "解除に前向き", nextStep: "試算表を提出", by: staff, state, F.context(today)),
      to: &state)
    return state
  }

  @Test("released only with the three requirements assessed, a meeting with the lender and the 決算書; each missing thing named")
  func release() throws {
    let state = try opened()
    #expect(
      throws: SuccessionError.releaseNotReady(
        id, missing: ["「法人と経営者との関係の明確な区分・分離」の評価", "「財務基盤の強化」の評価", "「適時適切な情報開示による経営の透明性確保」の評価", "金融機関との面談", "決算書（3期分）"])
    ) { try G.conclude(.released, on: F.date("2023-06-01"), by: staff, state, F.context(today)) }
    #expect(throws: SuccessionError.releaseNotReady(id, missing: ["金融機関との面談", "決算書（3期分）"])) {
      var partly = state
      for requirement in GuaranteeRequirement.allCases {
        apply(try G.assess(requirement, as: .notMet, note: nil, on: F.date("2023-06-01"), by: staff, partly, F.context(today)), to: &partly)
      }
      _ = try G.conclude(.releasedWithConditions([.covenants], details: nil), on: F.date("2023-06-01"), by: staff, partly, F.context(today))
    }
    var done = try ready()
    apply(try G.conclude(.released, on: F.date("2023-06-01"), by: staff, done, F.context(today)), to: &done)
    #expect(done?.outcome == .released && done?.outcomeOn == F.date("2023-06-01"))
    // After the outcome, nothing more; no reopening.
    #expect(throws: SuccessionError.guaranteeConcluded(id, .released)) {
      try G.receive(.trialBalance, on: F.date("2023-06-01"), by: staff, done, F.context(today))
    }
    #expect(throws: SuccessionError.guaranteeConcluded(id, .released)) {
      try G.conclude(.withdrawn(reason: "x"), on: F.date("2023-06-01"), by: staff, done, F.context(today))
    }
    #expect(throws: SuccessionError.unknownGuaranteeCase(nil)) { try G.conclude(.released, on: F.date("2023-06-01"), by: staff, nil, F.context(today)) }
  }

  @Test("released with conditions names them; refused needs an improvement plan; withdrawn a reason")
  func otherOutcomes() throws {
    let state = try ready()
    #expect(throws: SuccessionError.invalidGuarantee(field: "conditions", reason: "解除の条件を1つ以上（重複なく）選んでください")) {
      try G.conclude(.releasedWithConditions([], details: nil), on: F.date("2023-06-01"), by: staff, state, F.context(today))
    }
    #expect(throws: SuccessionError.invalidGuarantee(field: "details", reason: "条件に「その他」を選んだときは、その内容を入力してください")) {
      try G.conclude(.releasedWithConditions([.other], details: nil), on: F.date("2023-06-01"), by: staff, state, F.context(today))
    }
    let conditional = try G.conclude(
      .releasedWithConditions([.specialGuarantee, .covenants], details: "純資産額の維持"), on: F.date("2023-06-01"), by: staff, state, F.context(today))
    #expect(conditional.reduce(state, G.evolve)?.outcome == .releasedWithConditions)
    #expect(throws: SuccessionError.invalidGuarantee(field: "improvementPlan", reason: "解除できなかったときは、改善計画（4000文字まで）を入力してください")) {
      try G.conclude(.refused(improvementPlan: ""), on: F.date("2023-06-01"), by: staff, state, F.context(today))
    }
    // A refusal needs no completed checklist: the lender may refuse at any time.
    let refused = try G.conclude(.refused(improvementPlan: "役員報酬の見直しと2期連続の黒字化"), on: F.date("2023-06-01"), by: staff, try opened(), F.context(today))
    #expect(refused.reduce(try opened(), G.evolve)?.outcome == .refused)
    #expect(throws: SuccessionError.reasonRequired(action: "経営者保証解除支援の取下げ")) {
      try G.conclude(.withdrawn(reason: " "), on: F.date("2023-06-01"), by: staff, state, F.context(today))
    }
    #expect(throws: SuccessionError.dateTooEarly(field: "on", F.date("2023-05-31"), earliest: F.date("2023-06-01"), what: "最後の記録日")) {
      try G.conclude(.withdrawn(reason: "会社の申し出"), on: F.date("2023-05-31"), by: staff, state, F.context(today))
    }
  }

  @Test("the company's name and the meeting's text sealed under the case's stream name; erased, the lender, amount and ratings survive")
  func codec() throws {
    let vault = TestVault()
    let codec = G.codec.sealing(with: vault)
    let stream = try G.stream(id)
    guard let opened = try G.open(new(), nil, F.context(today)).first else { Issue.record("nothing"); return }
    let state = try ready()
    let meeting = try G.recordMeeting(
      on: F.date("2023-06-01"), attendees: "みなと精工 山田社長", summary: "山田社長の個人資産の説明", nextStep: "山田社長が資料を用意", by: staff, state, F.context(today))[0]
    let assessed = try G.assess(.financialBase, as: .partly, note: "山田社長からの借入金", on: F.date("2023-06-01"), by: staff, state, F.context(today))[0]
    let storedOpened = try StoredEvent(opened, codec: codec, stream: stream)
    let storedMeeting = try StoredEvent(meeting, codec: codec, stream: stream)
    let storedAssessed = try StoredEvent(assessed, codec: codec, stream: stream)
    #expect(!storedOpened.text.contains("みなと") && storedOpened.text.contains("横浜銀行") && storedOpened.text.contains("\"owner\":\"guarantee-G2023-0001\""))
    #expect(!storedMeeting.text.contains("山田") && !storedAssessed.text.contains("山田"))
    #expect(try storedOpened.read() == opened && storedMeeting.read() == meeting && storedAssessed.read() == assessed)
    vault.destroy(G.personalDataOwner(id))
    guard case .opened(let o) = try storedOpened.read(), case .bankMeetingHeld(let m) = try storedMeeting.read(),
      case .requirementAssessed(let a) = try storedAssessed.read()
    else {
      Issue.record("wrong events")
      return
    }
    #expect(o.companyName == "" && o.lender == "横浜銀行" && o.amount == Yen(50_000_000) && o.industry == .manufacturing && o.succession.kind == .planned)
    #expect(m.attendees == "" && m.summary == "" && m.nextStep == nil && m.on == F.date("2023-06-01"))
    #expect(a.note == nil && a.rating == .partly && a.requirement == .financialBase)
  }
}
