import EventLog
import Foundation
import SharedKernel
import Succession
import Testing

@Suite("Succession: 第三者承継のマッチング (anonymous profiles and proposals)")
struct MatchingTests {
  typealias F = Fixtures
  typealias Profiles = Matching.Profiles
  typealias Proposals = Matching.Proposals
  typealias Pairs = Matching.Pairs

  static let sakura = Company(name: "株式会社さくら工業", nameKana: "サクラコウギョウ", industry: .manufacturing, address: "神奈川県川崎市川崎区駅前本町11-2")
  static let kaede = Company(name: "有限会社かえで商事", industry: .wholesale, address: "神奈川県藤沢市鵠沼石上1-1-1")

  static let sellerProfile = SellerProfile(
    industry: .manufacturing, region: .yokohama, salesBand: .upTo100m, employees: .upTo20, askingPrice: .upTo30m, reason: .noSuccessor,
    summary: "横浜市内の精密部品加工業。従業員12名、大手電機メーカーとの取引が長い。")
  static let buyerProfile = BuyerProfile(industries: [.manufacturing], regions: [.yokohama, .kawasaki], budget: .upTo100m, summary: "製造業の買収で技術者を確保したい")

  let staff = F.staff("sato")
  let seller = F.caseID("2022-0001")
  let buyer = F.caseID("2022-0002")

  /// The streams of a test: cases, profiles, proposals, pairs, successors.
  struct Desk {
    var world = World()
    var profiles: [CaseID: Profiles.State] = [:]
    var proposals: [ProposalID: Proposals.State] = [:]
    var pairs: [CaseID: Pairs.State] = [:]
    var successors: [SuccessorID: SuccessorBank.State] = [:]

    mutating func intake(_ id: String, _ company: Company, side: Side, today: String = "2022-05-10") throws {
      let new = NewIntake(id: F.caseID(id), route: .web, company: company, side: side, kind: .thirdParty)
      let decision = try Case.open(new, index: world.lookup(company), world[id], F.context(today))
      world.apply(id, decision)
    }

    mutating func publish(_ id: CaseID, _ profile: Profile, on: String = "2022-05-20", today: String = "2022-06-01") throws -> [Profiles.Event] {
      let events = try Profiles.publish(profile, case: world.cases[id] ?? nil, by: F.staff("sato"), on: F.date(on), profiles[id] ?? nil, F.context(today))
      profiles[id] = events.reduce(profiles[id] ?? nil, Profiles.evolve)
      return events
    }

    /// The seller's profile published on a desk of its own.
    mutating func publishedEvent() throws -> Profiles.Event {
      try intake("2022-0001", F.acme, side: .selling)
      return try publish(F.caseID("2022-0001"), .seller(MatchingTests.sellerProfile))[0]
    }

    func counterpartState(_ counterpart: Counterpart) -> CounterpartState {
      switch counterpart {
      case .buyer(let id): .buyer(profiles[id] ?? nil)
      case .candidate(let id): .candidate(successors[id] ?? nil)
      }
    }

    mutating func apply(_ id: ProposalID, _ decision: ProposalDecision) {
      proposals[id] = decision.events.reduce(proposals[id] ?? nil, Proposals.evolve)
      if let write = decision.pairs {
        let seller = F.caseID(write.stream.id)
        #expect(write.stream == (try? Pairs.stream(seller: seller)))
        pairs[seller] = write.events.reduce(pairs[seller] ?? Pairs.initialState, Pairs.evolve)
      }
    }

    @discardableResult
    mutating func propose(_ id: String, seller: CaseID, to counterpart: Counterpart, on: String = "2022-06-01", today: String = "2022-06-01") throws -> ProposalDecision {
      let proposal = try ProposalID(id)
      let new = NewProposal(id: proposal, seller: seller, counterpart: counterpart, on: F.date(on), by: F.staff("sato"))
      let decision = try Proposals.propose(
        new, seller: profiles[seller] ?? nil, counterpart: counterpartState(counterpart), pairs: pairs[seller] ?? Pairs.initialState, proposals[proposal] ?? nil,
        F.context(today))
      apply(proposal, decision)
      return decision
    }

    @discardableResult
    mutating func step(_ id: String, _ step: Proposals.Step, on: String, today: String = "2022-12-01") throws -> ProposalDecision {
      let proposal = try ProposalID(id)
      let decision = try Proposals.decide(step, on: F.date(on), by: F.staff("sato"), proposals[proposal] ?? nil, F.context(today))
      apply(proposal, decision)
      return decision
    }
  }

  /// A selling case (みなと精工) and a buying case (さくら工業), both open, both profiles published.
  func desk() throws -> Desk {
    var desk = Desk()
    try desk.intake("2022-0001", F.acme, side: .selling)
    try desk.intake("2022-0002", Self.sakura, side: .buying)
    _ = try desk.publish(seller, .seller(Self.sellerProfile))
    _ = try desk.publish(buyer, .buyer(Self.buyerProfile))
    return desk
  }

  // MARK: Profiles

  @Test("an open selling case publishes its anonymous profile; updated, withdrawn and published again")
  func publishing() throws {
    var desk = Desk()
    try desk.intake("2022-0001", F.acme, side: .selling)
    let events = try desk.publish(seller, .seller(Self.sellerProfile))
    guard case .published(let published)? = events.first else { Issue.record("not published"); return }
    #expect(published.caseID == seller && published.on == F.date("2022-05-20") && published.profile.side == .selling)
    #expect(try Profiles.stream(seller).rawValue == "profile-2022-0001")
    #expect(desk.profiles[seller]??.published == true)
    // Published twice: refused; updated with the same profile: nothing; with another: updated.
    #expect(throws: SuccessionError.profilePublished(seller)) { _ = try desk.publish(seller, .seller(Self.sellerProfile)) }
    let record = desk.world.cases[seller] ?? nil
    #expect(try Profiles.update(.seller(Self.sellerProfile), case: record, by: staff, desk.profiles[seller] ?? nil, F.context("2022-06-01")).isEmpty)
    var cheaper = Self.sellerProfile
    cheaper.askingPrice = .upTo10m
    let updated = try Profiles.update(.seller(cheaper), case: record, by: staff, desk.profiles[seller] ?? nil, F.context("2022-06-01"))
    desk.profiles[seller] = updated.reduce(desk.profiles[seller] ?? nil, Profiles.evolve)
    guard case .seller(let now)? = desk.profiles[seller]??.profile else { Issue.record("no seller profile"); return }
    #expect(now.askingPrice == .upTo10m)
    // Withdrawn: off the list, and no update; then published again.
    let withdrawn = try Profiles.withdraw(reason: .companyRequest, by: staff, on: F.date("2022-06-01"), desk.profiles[seller] ?? nil, F.context("2022-06-01"))
    desk.profiles[seller] = withdrawn.reduce(desk.profiles[seller] ?? nil, Profiles.evolve)
    #expect(desk.profiles[seller]??.published == false && desk.profiles[seller]??.withdrawal == .companyRequest)
    #expect(throws: SuccessionError.profileNotPublished(seller)) {
      try Profiles.update(.seller(cheaper), case: record, by: staff, desk.profiles[seller] ?? nil, F.context("2022-06-01"))
    }
    #expect(throws: SuccessionError.profileNotPublished(seller)) {
      try Profiles.withdraw(reason: .other, by: staff, on: F.date("2022-06-01"), desk.profiles[seller] ?? nil, F.context("2022-06-01"))
    }
    _ = try desk.publish(seller, .seller(cheaper), on: "2022-06-01")
    #expect(desk.profiles[seller]??.published == true && desk.profiles[seller]??.publishedOn == F.date("2022-06-01"))
  }

  @Test("a profile needs an open case on its side, and a teaser that names neither the company nor its reading")
  func publishingRefused() throws {
    var desk = Desk()
    try desk.intake("2022-0001", F.acme, side: .selling)
    // No case; a buyer's profile on a selling case.
    #expect(throws: SuccessionError.unknownCase(nil)) {
      try Profiles.publish(.seller(Self.sellerProfile), case: nil, by: staff, on: F.date("2022-05-20"), nil, F.context("2022-06-01"))
    }
    #expect(throws: SuccessionError.wrongSide(seller, expected: .buying, actual: .selling)) { _ = try desk.publish(seller, .buyer(Self.buyerProfile)) }
    // The company's name in the teaser, however typed: with another legal form, full width, or by its reading in either kana.
    for teaser in ["（株）みなと精工の事業を譲渡", "ミナト精工", "老舗の みなと 精工", "みなとせいこうは横浜の会社", "ﾐﾅﾄｾｲｺｳ"] {
      var profile = Self.sellerProfile
      profile.summary = teaser
      #expect(throws: SuccessionError.self, "\(teaser)") { _ = try desk.publish(seller, .seller(profile)) }
    }
    var named = Self.sellerProfile
    named.summary = "株式会社みなと精工（横浜）"
    #expect(throws: SuccessionError.teaserNamesCompany("株式会社みなと精工")) { _ = try desk.publish(seller, .seller(named)) }
    named.summary = "みなとせいこう"
    #expect(throws: SuccessionError.teaserNamesCompany("ミナトセイコウ")) { _ = try desk.publish(seller, .seller(named)) }
    named.summary = "   "
    #expect(throws: SuccessionError.invalidProfile(field: "summary", reason: "ノンネームの概要（社名を出さない紹介文、1〜1000文字）を入力してください")) {
      _ = try desk.publish(seller, .seller(named))
    }
    #expect(SuccessionError.teaserNamesCompany("x").field == "summary")
    // In the future, or before the case was received.
    #expect(throws: SuccessionError.dateInFuture(field: "on", F.date("2022-06-02"), today: F.date("2022-06-01"))) {
      _ = try desk.publish(seller, .seller(Self.sellerProfile), on: "2022-06-02")
    }
    #expect(throws: SuccessionError.dateTooEarly(field: "on", F.date("2022-05-01"), earliest: F.date("2022-05-10"), what: "受付日")) {
      _ = try desk.publish(seller, .seller(Self.sellerProfile), on: "2022-05-01")
    }
    // A closed case.
    desk.world.apply("2022-0001", try Case.move(to: .discontinued, on: F.date("2022-05-30"), reason: "相談終了", desk.world["2022-0001"], F.context("2022-06-01")))
    #expect(throws: SuccessionError.wrongPhase(seller, .closed, action: "マッチングに掲載する")) { _ = try desk.publish(seller, .seller(Self.sellerProfile)) }
  }

  // MARK: Proposals

  @Test("a proposal from ノンネーム打診 to 成約: consent, NDA, トップ面談, 基本合意; the pair is open until it ends")
  func happyPath() throws {
    var desk = try desk()
    let proposed = try desk.propose("2022-0001-2022-0002", seller: seller, to: .buyer(buyer))
    #expect(proposed.pairs?.stream.rawValue == "pairs-2022-0001")
    #expect(try Proposals.stream(ProposalID("2022-0001-2022-0002")).rawValue == "proposal-2022-0001-2022-0002")
    #expect(desk.pairs[seller]?.proposal(to: .buyer(buyer))?.rawValue == "2022-0001-2022-0002")
    let id = "2022-0001-2022-0002"
    #expect(try desk.step(id, .signNDA, on: "2022-06-10").pairs == nil)
    try desk.step(id, .consentToDisclosure(note: "社長が口頭で了承"), on: "2022-06-15")
    try desk.step(id, .holdTopMeeting(note: nil), on: "2022-07-01")
    try desk.step(id, .reachBasicAgreement, on: "2022-09-01")
    let closed = try desk.step(id, .closeDeal, on: "2022-11-30")
    guard case .dealClosed(let deal)? = closed.events.first else { Issue.record("not closed"); return }
    #expect(deal.on == F.date("2022-11-30"))
    guard case .ended(let ended)? = closed.pairs?.events.first, closed.pairs?.events.count == 1 else { Issue.record("pair not ended"); return }
    #expect(ended.seller == seller && ended.counterpart == .buyer(buyer) && ended.proposal.rawValue == id && ended.outcome == .closed && ended.on == F.date("2022-11-30"))
    let record = try #require(desk.proposals[try ProposalID(id)] ?? nil)
    #expect(record.ending?.outcome == .closed && record.step == .basicAgreement && record.identityConsented)
    #expect(desk.pairs[seller]?.open.isEmpty == true)
    // Nothing after the ending; the pair may be proposed again.
    #expect(throws: SuccessionError.proposalEnded(try ProposalID(id), .closed)) { try desk.step(id, .breakOff(reason: "x"), on: "2022-12-01") }
    try desk.propose("2022-0001-2022-0002-2", seller: seller, to: .buyer(buyer), on: "2022-12-01", today: "2022-12-01")
  }

  @Test("steps in the guideline's order: NDA and consent before the トップ面談, that before 基本合意, 基本合意 before 成約; each once")
  func order() throws {
    var desk = try desk()
    let id = "p1"
    let pid = try ProposalID(id)
    #expect(throws: SuccessionError.unknownProposal(nil)) { try desk.step(id, .signNDA, on: "2022-06-10") }
    try desk.propose(id, seller: seller, to: .buyer(buyer))
    #expect(throws: SuccessionError.stepNeeds(pid, .topMeeting, missing: .nda)) { try desk.step(id, .holdTopMeeting(note: nil), on: "2022-06-10") }
    #expect(throws: SuccessionError.stepNeeds(pid, .basicAgreement, missing: .topMeeting)) { try desk.step(id, .reachBasicAgreement, on: "2022-06-10") }
    #expect(throws: SuccessionError.dealNeedsBasicAgreement(pid)) { try desk.step(id, .closeDeal, on: "2022-06-10") }
    #expect(throws: SuccessionError.consentNotGiven(pid)) { try desk.step(id, .withdrawConsent(note: nil), on: "2022-06-10") }
    try desk.step(id, .signNDA, on: "2022-06-10")
    #expect(throws: SuccessionError.stepRecorded(pid, .nda, on: F.date("2022-06-10"))) { try desk.step(id, .signNDA, on: "2022-06-11") }
    // The counterpart meets the named company: not without its consent.
    #expect(throws: SuccessionError.stepNeeds(pid, .topMeeting, missing: .identityConsent)) { try desk.step(id, .holdTopMeeting(note: nil), on: "2022-06-12") }
    // No step dated before the last one, or after today.
    #expect(throws: SuccessionError.dateTooEarly(field: "on", F.date("2022-06-09"), earliest: F.date("2022-06-10"), what: "この提案の直前の記録日")) {
      try desk.step(id, .consentToDisclosure(note: nil), on: "2022-06-09")
    }
    #expect(throws: SuccessionError.dateInFuture(field: "on", F.date("2022-12-02"), today: F.date("2022-12-01"))) {
      try desk.step(id, .consentToDisclosure(note: nil), on: "2022-12-02")
    }
    try desk.step(id, .consentToDisclosure(note: nil), on: "2022-06-12")
    #expect(throws: SuccessionError.stepRecorded(pid, .identityConsent, on: F.date("2022-06-12"))) { try desk.step(id, .consentToDisclosure(note: nil), on: "2022-06-12") }
    // Once the NDA is signed and the name disclosed, the consent cannot be taken back.
    #expect(throws: SuccessionError.consentBoundByNDA(pid, ndaSignedOn: F.date("2022-06-10"))) { try desk.step(id, .withdrawConsent(note: nil), on: "2022-06-13") }
    try desk.step(id, .holdTopMeeting(note: "工場見学を含む"), on: "2022-07-01")
    #expect(throws: SuccessionError.stepRecorded(pid, .topMeeting, on: F.date("2022-07-01"))) { try desk.step(id, .holdTopMeeting(note: nil), on: "2022-07-02") }
    // 不成立 needs a reason; it records the last step reached and ends the pair.
    #expect(throws: SuccessionError.reasonRequired(action: "不成立の記録")) { try desk.step(id, .breakOff(reason: " "), on: "2022-07-10") }
    let broken = try desk.step(id, .breakOff(reason: "譲渡価格が折り合わず"), on: "2022-07-10")
    guard case .brokenOff(let event)? = broken.events.first else { Issue.record("not broken off"); return }
    #expect(event.after == .topMeeting && event.reason == "譲渡価格が折り合わず")
    #expect(throws: SuccessionError.proposalEnded(pid, .brokenOff)) { try desk.step(id, .reachBasicAgreement, on: "2022-07-11") }
    #expect(throws: SuccessionError.proposalEnded(pid, .brokenOff)) { try desk.step(id, .withdraw(reason: nil), on: "2022-07-11") }
  }

  @Test("proposing needs both profiles published (or an active candidate) and no open proposal of the same pair")
  func proposingRefused() throws {
    var desk = try desk()
    try desk.intake("2022-0003", Self.kaede, side: .buying)
    let other = F.caseID("2022-0003")
    #expect(throws: SuccessionError.profileNotPublished(other)) { try desk.propose("p1", seller: seller, to: .buyer(other)) }
    #expect(throws: SuccessionError.profileNotPublished(buyer)) { try desk.propose("p1", seller: buyer, to: .buyer(seller)) }
    #expect(throws: SuccessionError.invalidProposal(field: "counterpart", reason: "同じ案件同士は提案できません")) {
      try desk.propose("p1", seller: seller, to: .buyer(seller))
    }
    // The state read must be the counterpart's.
    let mismatched = NewProposal(id: try ProposalID("p1"), seller: seller, counterpart: .buyer(buyer), on: F.date("2022-06-01"), by: staff)
    #expect(throws: SuccessionError.self) {
      try Proposals.propose(mismatched, seller: desk.profiles[seller] ?? nil, counterpart: .candidate(nil), pairs: Pairs.initialState, nil, F.context("2022-06-01"))
    }
    try desk.propose("p1", seller: seller, to: .buyer(buyer))
    #expect(throws: SuccessionError.proposalExists(try ProposalID("p1"))) { try desk.propose("p1", seller: seller, to: .buyer(buyer)) }
    #expect(throws: SuccessionError.openProposalExists(try ProposalID("p1"), seller: seller, counterpart: .buyer(buyer))) {
      try desk.propose("p2", seller: seller, to: .buyer(buyer))
    }
    // Before the seller's profile was published.
    #expect(throws: SuccessionError.dateTooEarly(field: "on", F.date("2022-05-19"), earliest: F.date("2022-05-20"), what: "譲渡側の掲載日")) {
      _ = try desk.publish(other, .buyer(Self.buyerProfile))
      try desk.propose("p3", seller: seller, to: .buyer(other), on: "2022-05-19")
    }
    // Withdrawn proposals free the pair.
    try desk.step("p1", .withdraw(reason: nil), on: "2022-06-01")
    try desk.propose("p2", seller: seller, to: .buyer(buyer))
    // A 人材バンク candidate: registered and still active.
    let candidate = try SuccessorID("2022-015")
    #expect(throws: SuccessionError.unknownSuccessor(candidate)) { try desk.propose("c1", seller: seller, to: .candidate(candidate)) }
    desk.successors[candidate] = try SuccessorBank.register(
      candidate, SuccessorBankTests.taro, on: F.date("2022-05-01"), by: staff, partners: F.partners, nil, F.context("2022-06-01")
    ).reduce(nil, SuccessorBank.evolve)
    try desk.propose("c1", seller: seller, to: .candidate(candidate))
    desk.successors[candidate] = try SuccessorBank.withdraw(reason: "本人の都合", on: F.date("2022-06-01"), by: staff, desk.successors[candidate] ?? nil, F.context("2022-06-01"))
      .reduce(desk.successors[candidate] ?? nil, SuccessorBank.evolve)
    try desk.step("c1", .withdraw(reason: "登録取消"), on: "2022-06-01")
    #expect(throws: SuccessionError.successorNotActive(candidate, .withdrawn, action: "マッチングの相手として提案する")) {
      try desk.propose("c2", seller: seller, to: .candidate(candidate))
    }
  }

  // MARK: Queries

  @Test("the seller's name is visible to a counterpart only while some proposal between them has the consent in force")
  func identityVisibility() throws {
    var desk = try desk()
    let candidate = try SuccessorID("2022-015")
    var all: [Matching.ProposalState] { Array(desk.proposals.values) }
    try desk.propose("p1", seller: seller, to: .buyer(buyer))
    #expect(!Matching.identityVisible(of: seller, to: .buyer(buyer), proposals: all))
    try desk.step("p1", .consentToDisclosure(note: nil), on: "2022-06-05")
    #expect(Matching.identityVisible(of: seller, to: .buyer(buyer), proposals: all))
    // Not to anyone else, nor another seller's.
    #expect(!Matching.identityVisible(of: seller, to: .candidate(candidate), proposals: all))
    #expect(!Matching.identityVisible(of: buyer, to: .buyer(seller), proposals: all))
    #expect(!Matching.identityVisible(of: seller, to: .buyer(buyer), proposals: []))
    // Taken back before an NDA: hidden again; given again: visible.
    try desk.step("p1", .withdrawConsent(note: "社内調整のため"), on: "2022-06-06")
    #expect(!Matching.identityVisible(of: seller, to: .buyer(buyer), proposals: all))
    #expect(desk.proposals[try ProposalID("p1")]??.identityWithdrawnOn == F.date("2022-06-06"))
    try desk.step("p1", .consentToDisclosure(note: nil), on: "2022-06-07")
    #expect(Matching.identityVisible(of: seller, to: .buyer(buyer), proposals: all))
    // An ended proposal with the consent: the counterpart knows the name.
    try desk.step("p1", .breakOff(reason: "条件不一致"), on: "2022-06-08")
    #expect(Matching.identityVisible(of: seller, to: .buyer(buyer), proposals: all))
    // A second proposal without consent does not hide it.
    try desk.propose("p2", seller: seller, to: .buyer(buyer), on: "2022-06-09", today: "2022-06-09")
    #expect(Matching.identityVisible(of: seller, to: .buyer(buyer), proposals: all))
    #expect(!Matching.identityVisible(of: seller, to: .buyer(buyer), proposals: [desk.proposals[try ProposalID("p2")] ?? nil]))
  }

  @Test("buyers ranked by industry, region and budget: score first, then case id; those that fit nothing left out")
  func ranking() throws {
    let seller = Self.sellerProfile  // manufacturing, yokohama, asking up to 30m
    let buyers: [CaseID: BuyerProfile] = [
      F.caseID("2022-0009"): BuyerProfile(industries: [.manufacturing], regions: [.yokohama], budget: .upTo100m, summary: "a"),  // 3+2+2
      F.caseID("2022-0004"): BuyerProfile(industries: [.manufacturing], regions: [.prefectureWide], budget: .upTo30m, summary: "b"),  // 3+2+2
      F.caseID("2022-0005"): BuyerProfile(industries: [], regions: [], budget: .upTo10m, summary: "c"),  // 1+1+1
      F.caseID("2022-0006"): BuyerProfile(industries: [.retail], regions: [.west], budget: .upTo10m, summary: "d"),  // 0+0+1
      F.caseID("2022-0007"): BuyerProfile(industries: [.retail], regions: [.west], budget: .upTo10m, summary: "e"),  // 0+0+1
      F.caseID("2022-0008"): BuyerProfile(industries: [.retail], regions: [.shonan], budget: .upTo10m, summary: "f"),
      F.caseID("2022-0010"): BuyerProfile(industries: [.construction], regions: [.sagamihara], budget: .upTo10m, summary: "g"),
    ]
    var strict = buyers
    strict[F.caseID("2022-0011")] = BuyerProfile(industries: [.retail], regions: [.west], budget: .upTo10m, summary: "h")
    strict[F.caseID("2022-0012")] = BuyerProfile(industries: [.services], regions: [.central], budget: .upTo10m, summary: "i")
    var low = seller
    low.askingPrice = .over300m
    let ranked = Matching.candidates(for: seller, among: buyers)
    #expect(ranked.map(\.caseID.rawValue) == ["2022-0004", "2022-0009", "2022-0005", "2022-0006", "2022-0007", "2022-0008", "2022-0010"])
    #expect(ranked.map(\.score) == [7, 7, 3, 1, 1, 1, 1])
    #expect(ranked[0].industryMatches && ranked[0].regionMatches && ranked[0].budgetFits)
    #expect(!ranked[2].industryMatches && !ranked[2].budgetFits)
    // The same every time, whatever order the dictionary gives.
    for _ in 0..<5 { #expect(Matching.candidates(for: seller, among: Dictionary(uniqueKeysWithValues: buyers.shuffled().map { ($0.key, $0.value) })) == ranked) }
    // With an asking price no one's budget nears, the retail buyers in other regions fit nothing.
    #expect(Matching.candidates(for: low, among: strict).map(\.caseID.rawValue) == ["2022-0004", "2022-0009", "2022-0005"])
  }

  // MARK: Storage

  @Test("proposal notes are sealed under the proposal's stream name; erased with its key, the dates and steps survive")
  func codec() throws {
    let vault = TestVault()
    let codec = Proposals.codec.sealing(with: vault)
    var desk = try desk()
    let id = "2022-0001-2022-0002"
    let pid = try ProposalID(id)
    let stream = try Proposals.stream(pid)
    let proposed = try desk.propose(id, seller: seller, to: .buyer(buyer))
    try desk.step(id, .signNDA, on: "2022-06-10")
    try desk.step(id, .consentToDisclosure(note: nil), on: "2022-06-10")
    let meeting = try desk.step(id, .holdTopMeeting(note: "山田社長と鈴木専務が同席"), on: "2022-07-01").events[0]
    let stored = try StoredEvent(meeting, codec: codec, stream: stream)
    #expect(stored.recorded.type == "Succession.TopMeetingHeld" && stored.recorded.schemaVersion == 1)
    #expect(!stored.text.contains("山田") && stored.text.contains("\"owner\":\"proposal-2022-0001-2022-0002\""))
    #expect(try stored.read() == meeting)
    let broken = try desk.step(id, .breakOff(reason: "山田社長が健康上の理由で辞退"), on: "2022-07-10")
    let storedBroken = try StoredEvent(broken.events[0], codec: codec, stream: stream)
    #expect(!storedBroken.text.contains("健康"))
    // Without a vault, an event with personal data is not written.
    #expect(throws: EventCodecError.self) { _ = try Proposals.codec.encode(meeting) }
    // Profiles, pairs and the proposal itself hold no personal data: no vault needed.
    var other = Desk()
    let published = try other.publishedEvent()
    let storedProfile = try StoredEvent(published, codec: Profiles.codec, stream: try Profiles.stream(seller))
    #expect(storedProfile.text.contains("\"side\":\"selling\""))
    #expect(try storedProfile.read() == published)
    let opened = try #require(proposed.pairs?.events.first)
    let storedPair = try StoredEvent(opened, codec: Pairs.codec, stream: try Pairs.stream(seller: seller))
    #expect(storedPair.text.contains("\"counterpart\":{\"id\":\"2022-0002\",\"kind\":\"buyer\"}"))
    #expect(try storedPair.read() == opened)
    let storedProposed = try StoredEvent(proposed.events[0], codec: Proposals.codec, stream: stream)
    #expect(try storedProposed.read() == proposed.events[0])
    // The key destroyed: the note reads as nil, the reason as ""; the rest is as it was.
    vault.destroy(Proposals.personalDataOwner(pid))
    guard case .topMeetingHeld(let erased) = try stored.read(), case .brokenOff(let erasedBroken) = try storedBroken.read() else {
      Issue.record("wrong event read")
      return
    }
    #expect(erased.note == nil && erased.on == F.date("2022-07-01") && erased.proposal == pid && erased.recordedBy == staff)
    #expect(erasedBroken.reason == "" && erasedBroken.after == .topMeeting && erasedBroken.on == F.date("2022-07-10"))
  }
}
