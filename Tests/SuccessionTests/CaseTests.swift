import EventLog
import EventLogTesting
import Foundation
import SharedKernel
import Succession
import Testing

@Suite("Succession: referrals, intake and duplicates")
struct ReferralTests {
  typealias F = Fixtures

  @Test("a referral is received, then accepted as a case at intake dated the day received")
  func acceptReferral() throws {
    var world = World()
    let decision = try world.refer(F.referral("2022-0001"))
    #expect(decision.index.map(\.stream.rawValue).first == "company-1180301018771")
    #expect(decision.index.count == 2)
    let referred = try #require(world["2022-0001"])
    #expect(referred.phase == .referred && referred.stage == nil)
    #expect(referred.referrals.first?.partnerName == "横浜銀行" && referred.referrals.first?.partnerType == .financialInstitution)
    #expect(referred.company.nameKana == "ミナトセイコウ" && referred.company.region == .yokohama)
    world.apply("2022-0001", try Case.accept(Acceptance(side: .selling, kind: .thirdParty, assignee: F.staff("u-ito")), world["2022-0001"], F.context("2022-05-12")))
    let accepted = try #require(world["2022-0001"])
    #expect(accepted.phase == .open && accepted.stage == .intake && accepted.stages.first?.on == F.date("2022-05-10"))
    #expect(accepted.acceptedOn == F.date("2022-05-12") && accepted.assignee == F.staff("u-ito"))
    #expect(throws: SuccessionError.wrongPhase(F.caseID("2022-0001"), .open, action: "案件として受け付ける")) {
      try Case.accept(Acceptance(side: .selling), world["2022-0001"], F.context("2022-05-12"))
    }
  }

  @Test("a referral is declined with a reason; an unknown partner, one that left, and a missing reason are refused")
  func declineAndRefusals() throws {
    var world = World()
    try world.refer(F.referral("2022-0002"))
    #expect(throws: SuccessionError.reasonRequired(action: "紹介の見送り")) { try Case.decline(reason: "  ", world["2022-0002"], F.context("2022-05-11")) }
    world.apply("2022-0002", try Case.decline(reason: "創業相談のため、よろず支援拠点を案内", world["2022-0002"], F.context("2022-05-11")))
    #expect(world["2022-0002"]?.phase == .declined)
    #expect(throws: SuccessionError.unknownPartner(F.partnerID("nobody"))) { try world.refer(F.referral("2022-0003", partner: "nobody")) }
    #expect(throws: SuccessionError.partnerLeft(F.partnerID("shokokai-hakone"), name: "箱根町商工会")) {
      try world.refer(F.referral("2022-0004", partner: "shokokai-hakone"), on: "2023-02-01")
    }
    var missing = F.referral("2022-0005")
    missing.partnerStaff = ""
    #expect(throws: SuccessionError.self) { try world.refer(missing) }
    #expect(throws: SuccessionError.dateInFuture(field: "referredOn", F.date("2022-05-11"), today: F.date("2022-05-10"))) {
      try world.refer(F.referral("2022-0006", on: "2022-05-11"))
    }
    #expect(throws: SuccessionError.caseExists(F.caseID("2022-0002"))) { try world.refer(F.referral("2022-0002")) }
  }

  @Test("the same company referred again by 法人番号 is flagged as a duplicate of the first case, however its name is typed")
  func duplicateByNumber() throws {
    var world = World()
    try world.refer(F.referral("2022-0001"))
    var again = F.acme
    again.name = "ミナトセイコー（株）"
    again.address = "川崎市川崎区1-1"
    try world.refer(F.referral("2022-0007", company: again, partner: "cci-yokohama"), on: "2022-06-01")
    #expect(world["2022-0007"]?.duplicateOf == F.caseID("2022-0001"))
    // A third time points at the original too, not at the duplicate.
    try world.refer(F.referral("2022-0008", company: again), on: "2022-06-02")
    #expect(world["2022-0008"]?.duplicateOf == F.caseID("2022-0001"))
    // A different company is not a duplicate.
    let other = Company(name: "株式会社みなと精工", corporateNumber: F.number("7000012050002"), address: "東京都千代田区霞が関3-1-1")
    try world.refer(F.referral("2022-0009", company: other), on: "2022-06-02")
    #expect(world["2022-0009"]?.duplicateOf == nil)
  }

  @Test("without a 法人番号, the same normalised name and address is a duplicate; a different address is not")
  func duplicateByNameAndAddress() throws {
    var world = World()
    let first = Company(name: "有限会社 髙﨑製作所", address: "神奈川県秦野市曽屋１丁目１番地")
    try world.refer(F.referral("2022-0010", company: first))
    let typedAgain = Company(name: "(有)高崎製作所", address: "秦野市曽屋1-1 第二工場")
    try world.refer(F.referral("2022-0011", company: typedAgain, partner: "cci-yokohama"), on: "2022-06-01")
    #expect(world["2022-0011"]?.duplicateOf == F.caseID("2022-0010"))
    let elsewhere = Company(name: "(有)高崎製作所", address: "秦野市曽屋2-1")
    try world.refer(F.referral("2022-0012", company: elsewhere), on: "2022-06-01")
    #expect(world["2022-0012"]?.duplicateOf == nil)
    let noAddress = Company(name: "(有)高崎製作所")
    let decision = try world.refer(F.referral("2022-0013", company: noAddress), on: "2022-06-01")
    #expect(world["2022-0013"]?.duplicateOf == nil && decision.index.isEmpty)
  }

  @Test("the index streams of one company typed two ways are the same; a name key is hashed, a 法人番号 is the stream id")
  func indexStreams() throws {
    // Half-width ｶﾞ and full-width ガ, a full-width address: the same stream.
    let a = Company(name: "ｶﾞﾗｽ工房", address: "小田原市栄町1-1")
    let b = Company(name: "有限会社ガラス工房", address: "小田原市栄町１－１")
    #expect(try CompanyIndex.keys(of: a).map { try $0.stream() } == CompanyIndex.keys(of: b).map { try $0.stream() })
    let stream = try #require(CompanyIndex.keys(of: a).first).stream().rawValue
    #expect(stream.hasPrefix("company-name-") && stream.count == "company-name-".count + 32)
    #expect(try CompanyIndex.keys(of: F.acme).map { try $0.stream().rawValue }.first == "company-1180301018771")
  }

  @Test("two referrals of one company at once write the same index stream, so one of them must be decided again and then finds the other")
  func raceOnTheIndex() throws {
    let world = World()
    let a = try Case.refer(F.referral("2022-0020"), partner: F.partner("hamagin"), index: world.lookup(F.acme), nil, F.context("2022-05-10"))
    let b = try Case.refer(F.referral("2022-0021", partner: "cci-yokohama"), partner: F.partner("cci-yokohama"), index: world.lookup(F.acme), nil, F.context("2022-05-10"))
    // Both read the index empty and both would append to the same streams expecting no stream: the log lets one through.
    #expect(Set(a.index.map(\.stream)) == Set(b.index.map(\.stream)))
    var after = world
    after.apply("2022-0020", a)
    let retried = try Case.refer(F.referral("2022-0021", partner: "cci-yokohama"), partner: F.partner("cci-yokohama"), index: after.lookup(F.acme), nil, F.context("2022-05-10"))
    guard case .referralReceived(let received)? = retried.events.first else { Issue.record("no referral"); return }
    #expect(received.duplicateOf == F.caseID("2022-0020"))
  }

  @Test("a duplicate of an open case is attached to it, or accepted apart only on purpose; the attached partner follows the case")
  func attachOrKeepApart() throws {
    var world = World()
    try world.refer(F.referral("2022-0001"))
    world.apply("2022-0001", try Case.accept(Acceptance(side: .selling, kind: .thirdParty), world["2022-0001"], F.context("2022-05-12")))
    try world.refer(F.referral("2022-0030", partner: "cci-yokohama", consent: true), on: "2022-07-01")
    #expect(throws: SuccessionError.duplicateOfOpenCase(F.caseID("2022-0001"), companyName: "株式会社みなと精工", phase: .open)) {
      try Case.accept(Acceptance(side: .selling), world["2022-0030"], original: world["2022-0001"], F.context("2022-07-02"))
    }
    // Kept apart knowingly: allowed.
    _ = try Case.accept(Acceptance(side: .buying, separateFrom: F.caseID("2022-0001")), world["2022-0030"], original: world["2022-0001"], F.context("2022-07-02"))
    // Attached: the referral's stream says where it went, the case gains the referral.
    let attach = try Case.attach(world["2022-0030"], to: world["2022-0001"], F.context("2022-07-02"))
    #expect(attach.otherCase?.stream.rawValue == "case-2022-0001")
    world.apply("2022-0030", attach)
    #expect(world["2022-0030"]?.phase == .attached && world["2022-0030"]?.attachedTo == F.caseID("2022-0001"))
    #expect(world["2022-0001"]?.referrals.map(\.partner.rawValue) == ["hamagin", "cci-yokohama"])
    let view = Case.partnerView(world["2022-0001"], for: F.partnerID("cci-yokohama"))
    #expect(view.map(\.referral) == [F.caseID("2022-0030")])
    #expect(view.first?.milestone == .inSupport && view.first?.reached.last?.on == F.date("2022-07-02"))
    #expect(Case.partnerView(world["2022-0030"], for: F.partnerID("cci-yokohama")).isEmpty)
  }

  @Test("a duplicate of a closed case becomes a new case linked to it")
  func duplicateOfClosedCase() throws {
    var world = World()
    try world.refer(F.referral("2022-0001"))
    world.apply("2022-0001", try Case.accept(Acceptance(side: .selling), world["2022-0001"], F.context("2022-05-12")))
    world.apply("2022-0001", try Case.move(to: .discontinued, on: F.date("2022-06-01"), reason: "本人の意向で一旦中止", world["2022-0001"], F.context("2022-06-01")))
    try world.refer(F.referral("2023-0001"), on: "2023-04-10")
    world.apply("2023-0001", try Case.accept(Acceptance(side: .selling), world["2023-0001"], original: world["2022-0001"], F.context("2023-04-10")))
    #expect(world["2023-0001"]?.phase == .open && world["2023-0001"]?.duplicateOf == F.caseID("2022-0001"))
  }

  @Test("a direct intake of a company that is an open case is refused; web, phone and walk-in are routes; a partner's case must be a referral")
  func directIntake() throws {
    var world = World()
    let web = NewIntake(id: F.caseID("2022-0040"), route: .web, company: F.acme, side: .selling, summary: "ウェブフォームから")
    let opened = try Case.open(web, index: world.lookup(F.acme), nil, F.context("2022-05-01"))
    world.apply("2022-0040", opened)
    #expect(world["2022-0040"]?.route == .web && world["2022-0040"]?.stage == .intake && world["2022-0040"]?.receivedOn == F.date("2022-05-01"))
    let phone = NewIntake(id: F.caseID("2022-0041"), route: .phone, company: F.acme, side: .selling)
    #expect(throws: SuccessionError.duplicateOfOpenCase(F.caseID("2022-0040"), companyName: "株式会社みなと精工", phase: .open)) {
      try Case.open(phone, index: world.lookup(F.acme), original: world["2022-0040"], nil, F.context("2022-05-02"))
    }
    var partnerRoute = phone
    partnerRoute.route = .partner
    #expect(throws: SuccessionError.self) { try Case.open(partnerRoute, index: [:], nil, F.context("2022-05-02")) }
    // A referral of the company now finds the intake.
    try world.refer(F.referral("2022-0042", on: "2022-05-02"), on: "2022-05-03")
    #expect(world["2022-0042"]?.duplicateOf == F.caseID("2022-0040"))
  }

  @Test("a 法人番号 added later flags the case as a duplicate; staff can clear a wrong flag with a reason")
  func flagLaterAndClear() throws {
    var world = World()
    try world.refer(F.referral("2022-0001"))
    let bare = Company(name: "ミナト精工")
    try world.refer(F.referral("2022-0050", company: bare), on: "2022-06-01")
    #expect(world["2022-0050"]?.duplicateOf == nil)
    var completed = bare
    completed.corporateNumber = F.number("1180301018771")
    let update = try Case.updateCompany(completed, index: world.lookup(completed), world["2022-0050"], F.context("2022-06-05"))
    world.apply("2022-0050", update)
    #expect(world["2022-0050"]?.duplicateOf == F.caseID("2022-0001"))
    #expect(update.index.map(\.stream.rawValue) == ["company-1180301018771"])
    #expect(throws: SuccessionError.reasonRequired(action: "重複の解除")) { try Case.clearDuplicate("", world["2022-0050"], F.context("2022-06-06")) }
    world.apply("2022-0050", try Case.clearDuplicate("法人番号の入力誤り（別会社）", world["2022-0050"], F.context("2022-06-06")))
    #expect(world["2022-0050"]?.duplicateOf == nil)
    #expect(throws: SuccessionError.notFlagged(F.caseID("2022-0050"))) { try Case.clearDuplicate("x", world["2022-0050"], F.context("2022-06-06")) }
  }

  @Test("events round-trip through the codec under their stable names; the personal fields are sealed, and read as erased once the key is gone")
  func codec() throws {
    var world = World()
    let decision = try world.refer(F.referral("2022-0001"))
    let vault = MemoryVault()
    let codec = Case.codec.sealing(with: vault)
    // Without a key store, personal data is neither written nor read.
    #expect(throws: EventCodecError.self) { try Case.codec.encode(decision.events[0]) }
    for event in decision.events {
      let encoded = try codec.encode(event)
      #expect(encoded.type == "Succession.ReferralReceived")
      guard case .referralReceived(let received) = event else { continue }
      let stored = String(decoding: encoded.data, as: UTF8.self)
      #expect(!stored.contains(received.company.name) && !stored.contains(received.referral.reason))
      #expect(stored.contains(#""owner":"case-2022-0001""#))
      let recorded = RecordedEvent(
        position: 1, stream: try Case.stream(F.caseID("2022-0001")), version: 0, eventID: UUID(), type: encoded.type, schemaVersion: encoded.schemaVersion,
        data: encoded.data, metadata: Data("{}".utf8), recordedAtMilliseconds: 0, hash: Data())
      #expect(try codec.decode(recorded) == event)
      #expect(throws: EventCodecError.self) { try Case.codec.decode(recorded) }
      vault.destroy(Case.personalDataOwner(received.caseID))
      guard case .referralReceived(let erased) = try codec.decode(recorded) else { Issue.record("not a referral"); continue }
      #expect(erased.company.name == "" && erased.company.address == nil && erased.referral.companyName == "" && erased.referral.reason == "")
      // What the KPIs count by survives.
      #expect(erased.company.industry == received.company.industry && erased.company.region == received.company.region)
      #expect(erased.company.salesBand == received.company.salesBand && erased.referral.partner == received.referral.partner)
    }
    #expect(Case.codec.types.allSatisfy { $0.hasPrefix("Succession.") })
    #expect(Case.codec.types.count == 19)
  }
}

@Suite("Succession: stage moves, sessions and the work on a case")
struct StageTests {
  typealias F = Fixtures

  /// An open case of `kind` at intake, received 2022-05-10.
  func openCase(_ kind: SuccessionKind = .thirdParty) throws -> World {
    var world = World()
    try world.refer(F.referral("2022-0001"))
    world.apply("2022-0001", try Case.accept(Acceptance(side: .selling, kind: kind, assignee: F.staff("u-ito")), world["2022-0001"], F.context("2022-05-10")))
    return world
  }

  func move(_ world: inout World, _ stage: Stage, _ on: String, reason: String? = nil) throws {
    world.apply("2022-0001", try Case.move(to: stage, on: F.date(on), reason: reason, world["2022-0001"], F.context(on)))
  }

  @Test("the first session moves a case from intake to consultation on its date; sessions are numbered")
  func firstSession() throws {
    var world = try openCase()
    let session = NewSession(on: F.date("2022-05-20"), minutes: 90, staff: F.staff("u-ito"), kind: .atCentre, summary: "初回面談")
    let events = try Case.recordSession(session, world["2022-0001"], F.context("2022-05-20"))
    #expect(events.count == 2)
    world.apply("2022-0001", events)
    #expect(world["2022-0001"]?.stage == .consultation && world["2022-0001"]?.stageSince == F.date("2022-05-20"))
    let second = try Case.recordSession(NewSession(on: F.date("2022-05-27"), minutes: 60, staff: F.staff("u-ito"), kind: .phone), world["2022-0001"], F.context("2022-05-27"))
    #expect(second.count == 1)
    world.apply("2022-0001", second)
    #expect(world["2022-0001"]?.sessions.map(\.number) == [1, 2])
    #expect(throws: SuccessionError.invalidSession(field: "minutes", reason: "相談時間は1〜480分で入力してください（0分）")) {
      try Case.recordSession(NewSession(on: F.date("2022-05-27"), minutes: 0, staff: F.staff("u-ito"), kind: .phone), world["2022-0001"], F.context("2022-05-27"))
    }
    #expect(throws: SuccessionError.dateTooEarly(field: "on", F.date("2022-05-09"), earliest: F.date("2022-05-10"), what: "受付日")) {
      try Case.recordSession(NewSession(on: F.date("2022-05-09"), minutes: 30, staff: F.staff("u-ito"), kind: .phone), world["2022-0001"], F.context("2022-05-27"))
    }
    #expect(throws: SuccessionError.dateInFuture(field: "on", F.date("2022-05-28"), today: F.date("2022-05-27"))) {
      try Case.recordSession(NewSession(on: F.date("2022-05-28"), minutes: 30, staff: F.staff("u-ito"), kind: .phone), world["2022-0001"], F.context("2022-05-27"))
    }
  }

  @Test("a third-party case goes through the M&A stages to success; skipping a stage is refused with the allowed ones")
  func dealPath() throws {
    var world = try openCase(.thirdParty)
    #expect(throws: SuccessionError.stageNotAllowed(from: .intake, to: .matching, allowed: [.consultation, .discontinued, .businessClosed, .referredElsewhere])) {
      try move(&world, .matching, "2022-05-20")
    }
    try move(&world, .consultation, "2022-05-20")
    try move(&world, .matching, "2022-06-01")
    #expect(throws: SuccessionError.stageNotAllowed(from: .matching, to: .topMeeting, allowed: [.planning, .handedOff, .nda, .discontinued, .businessClosed, .referredElsewhere])) {
      try move(&world, .topMeeting, "2022-06-10")
    }
    for (stage, on) in [(Stage.nda, "2022-07-01"), (.topMeeting, "2022-07-15"), (.basicAgreement, "2022-09-01"), (.dueDiligence, "2022-10-01"), (.finalAgreement, "2022-12-01")] {
      try move(&world, stage, on)
    }
    try move(&world, .succeeded, "2023-01-10")
    let closed = try #require(world["2022-0001"])
    #expect(closed.phase == .closed && closed.stage == .succeeded && closed.closedOn == F.date("2023-01-10"))
    #expect(throws: SuccessionError.stageNotAllowed(from: .succeeded, to: .consultation, allowed: [])) { try move(&world, .consultation, "2023-01-11") }
    #expect(throws: SuccessionError.wrongPhase(F.caseID("2022-0001"), .closed, action: "相談を記録する")) {
      try Case.recordSession(NewSession(on: F.date("2023-01-11"), minutes: 30, staff: F.staff("u-ito"), kind: .phone), world["2022-0001"], F.context("2023-01-11"))
    }
  }

  @Test("closings other than success and moves back need a reason; the same stage again is refused")
  func reasons() throws {
    var world = try openCase(.thirdParty)
    try move(&world, .consultation, "2022-05-20")
    try move(&world, .matching, "2022-06-01")
    try move(&world, .nda, "2022-07-01")
    #expect(throws: SuccessionError.reasonRequired(action: "「秘密保持契約」から「マッチング」へ戻すこと")) { try move(&world, .matching, "2022-07-20") }
    try move(&world, .matching, "2022-07-20", reason: "候補先が辞退")
    #expect(world["2022-0001"]?.stages.last?.reason == "候補先が辞退")
    #expect(throws: SuccessionError.alreadyInStage(F.caseID("2022-0001"), .matching)) { try move(&world, .matching, "2022-07-21") }
    #expect(throws: SuccessionError.reasonRequired(action: "「廃業」で終了すること")) { try move(&world, .businessClosed, "2022-08-01") }
    #expect(throws: SuccessionError.reasonRequired(action: "「他機関へ紹介」で終了すること")) { try move(&world, .referredElsewhere, "2022-08-01", reason: " ") }
    try move(&world, .referredElsewhere, "2022-08-01", reason: "民間M&A仲介（登録機関）へ本人が直接依頼")
    #expect(world["2022-0001"]?.phase == .closed)
  }

  @Test("M&A stages need a third-party case; success straight from planning is a family or employee succession")
  func kinds() throws {
    var family = try openCase(.family)
    try move(&family, .consultation, "2022-05-20")
    #expect(throws: SuccessionError.stageNeedsThirdParty(.matching, kind: .family)) { try move(&family, .matching, "2022-06-01") }
    try move(&family, .planning, "2022-06-01")
    try move(&family, .succeeded, "2023-03-31")
    #expect(family["2022-0001"]?.stage == .succeeded)

    var undecided = try openCase(.undecided)
    try move(&undecided, .consultation, "2022-05-20")
    #expect(throws: SuccessionError.successNeedsDeal(from: .consultation, kind: .undecided)) { try move(&undecided, .succeeded, "2022-06-01") }
    undecided.apply("2022-0001", try Case.classify(side: .selling, kind: .thirdParty, undecided["2022-0001"], F.context("2022-06-01")))
    #expect(throws: SuccessionError.successNeedsDeal(from: .consultation, kind: .thirdParty)) { try move(&undecided, .succeeded, "2022-06-01") }
    try move(&undecided, .handedOff, "2022-06-02")
    #expect(throws: SuccessionError.stageNeedsThirdParty(.handedOff, kind: .family)) {
      try Case.classify(side: .selling, kind: .family, undecided["2022-0001"], F.context("2022-06-03"))
    }
    try move(&undecided, .succeeded, "2022-12-20")
    #expect(undecided["2022-0001"]?.stage == .succeeded)
  }

  @Test("a move may be dated back, but not before the current stage began nor after today")
  func moveDates() throws {
    var world = try openCase()
    try move(&world, .consultation, "2022-05-20")
    #expect(throws: SuccessionError.dateTooEarly(field: "on", F.date("2022-05-19"), earliest: F.date("2022-05-20"), what: "現在の段階（相談）に入った日")) {
      world.apply("2022-0001", try Case.move(to: .matching, on: F.date("2022-05-19"), reason: nil, world["2022-0001"], F.context("2022-06-01")))
    }
    #expect(throws: SuccessionError.dateInFuture(field: "on", F.date("2022-06-02"), today: F.date("2022-06-01"))) {
      world.apply("2022-0001", try Case.move(to: .matching, on: F.date("2022-06-02"), reason: nil, world["2022-0001"], F.context("2022-06-01")))
    }
    world.apply("2022-0001", try Case.move(to: .matching, on: F.date("2022-05-25"), reason: nil, world["2022-0001"], F.context("2022-06-01")))
    #expect(world["2022-0001"]?.stageSince == F.date("2022-05-25"))
  }

  @Test("the transitions table: every open stage can close, no closed stage goes anywhere, and every stage is reachable from intake")
  func table() {
    for stage in Stage.open {
      #expect([Stage.discontinued, .businessClosed, .referredElsewhere].allSatisfy(stage.next.contains), "\(stage)")
      #expect(!stage.next.contains(stage))
    }
    for stage in Stage.closings { #expect(stage.next.isEmpty) }
    var reached: Set<Stage> = [.intake]
    var frontier: [Stage] = [.intake]
    while let stage = frontier.popLast() {
      for next in stage.next where reached.insert(next).inserted { frontier.append(next) }
    }
    #expect(reached == Set(Stage.allCases))
    #expect(Stage(typed: "トップ面談") == .topMeeting && Stage(typed: "due-diligence") == .dueDiligence)
  }

  @Test("experts, notes and the next action; a next action cannot be due in the past")
  func work() throws {
    var world = try openCase()
    world.apply("2022-0001", try Case.dispatchExpert("山田税理士事務所", field: .taxAccountant, purpose: "株価算定", on: F.date("2022-06-01"), world["2022-0001"], F.context("2022-06-01")))
    world.apply("2022-0001", try Case.addNote("後継者候補の長男と面談予定", by: F.staff("u-ito"), on: F.date("2022-06-02"), world["2022-0001"], F.context("2022-06-02")))
    #expect(throws: SuccessionError.invalidAction(field: "due", reason: "期日 2022-06-01 は今日（2022-06-02）以降にしてください")) {
      try Case.setNextAction("長男と面談", due: F.date("2022-06-01"), world["2022-0001"], F.context("2022-06-02"))
    }
    world.apply("2022-0001", try Case.setNextAction("長男と面談", due: F.date("2022-06-10"), world["2022-0001"], F.context("2022-06-02")))
    let record = try #require(world["2022-0001"])
    #expect(record.experts.first?.field == .taxAccountant && record.notes.count == 1 && record.nextAction?.due == F.date("2022-06-10"))
    world.apply("2022-0001", try Case.completeNextAction(world["2022-0001"], F.context("2022-06-10")))
    #expect(world["2022-0001"]?.nextAction == nil)
    #expect(throws: SuccessionError.self) { try Case.completeNextAction(world["2022-0001"], F.context("2022-06-10")) }
  }
}

@Suite("Succession: what a referring partner sees")
struct PartnerViewTests {
  typealias F = Fixtures

  func world(consent: Bool) throws -> World {
    var world = World()
    try world.refer(F.referral("2022-0001", consent: consent))
    world.apply("2022-0001", try Case.accept(Acceptance(side: .selling, kind: .family), world["2022-0001"], F.context("2022-05-12")))
    for (stage, on) in [(Stage.consultation, "2022-05-20"), (.planning, "2022-06-01"), (.succeeded, "2023-02-28")] {
      world.apply("2022-0001", try Case.move(to: stage, on: F.date(on), reason: nil, world["2022-0001"], F.context(on)))
    }
    return world
  }

  @Test("with consent: received, in support, succeeded, each with its day — and nothing of the stages")
  func withConsent() throws {
    let view = Case.partnerView(try world(consent: true)["2022-0001"], for: F.partnerID("hamagin"))
    #expect(view.count == 1)
    #expect(view[0].reached.map(\.milestone) == [.received, .inSupport, .succeeded])
    #expect(view[0].reached.map(\.on) == [F.date("2022-05-10"), F.date("2022-05-12"), F.date("2023-02-28")])
    #expect(view[0].companyName == "株式会社みなと精工")
  }

  @Test("without consent only that the referral was received; withdrawing consent hides what was shown")
  func withoutConsent() throws {
    var hidden = try world(consent: false)
    let view = Case.partnerView(hidden["2022-0001"], for: F.partnerID("hamagin"))
    #expect(view.map(\.reached) == [[MilestoneReached(milestone: .received, on: F.date("2022-05-10"))]])
    #expect(view.first?.consent == false)
    hidden.apply("2022-0001", try Case.changeConsent(of: F.caseID("2022-0001"), to: true, hidden["2022-0001"], F.context("2023-03-01")))
    #expect(Case.partnerView(hidden["2022-0001"], for: F.partnerID("hamagin")).first?.milestone == .succeeded)
    var shown = try world(consent: true)
    shown.apply("2022-0001", try Case.changeConsent(of: F.caseID("2022-0001"), to: false, shown["2022-0001"], F.context("2023-03-01")))
    #expect(Case.partnerView(shown["2022-0001"], for: F.partnerID("hamagin")).first?.milestone == .received)
  }

  @Test("another partner sees nothing of it; a declined referral shows as closed with consent")
  func otherPartnersAndDeclines() throws {
    #expect(Case.partnerView(try world(consent: true)["2022-0001"], for: F.partnerID("cci-yokohama")).isEmpty)
    var world = World()
    try world.refer(F.referral("2022-0002", partner: "cci-yokohama"))
    #expect(Case.partnerView(world["2022-0002"], for: F.partnerID("cci-yokohama")).first?.milestone == .received)
    world.apply("2022-0002", try Case.decline(reason: "対象外", world["2022-0002"], F.context("2022-05-11")))
    #expect(Case.partnerView(world["2022-0002"], for: F.partnerID("cci-yokohama")).first?.reached.map(\.milestone) == [.received, .closed])
  }
}
