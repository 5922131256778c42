import Foundation
import SharedKernel
import Succession
import Testing

@Suite("Succession: KPIs per fiscal year and month")
struct KPITests {
  typealias F = Fixtures

  func entry(_ stage: Stage, _ on: String) -> StageEntry { StageEntry(stage: stage, on: F.date(on)) }

  /// Cases around the turn of FY2022 to FY2023 (31 March / 1 April 2023).
  var cases: [CaseFacts] {
    [
      // A: a bank's referral received in March, first session in March, consulting on into April.
      CaseFacts(
        id: F.caseID("2022-0100"), company: F.caseID("2022-0100"), route: .partner, partner: F.partnerID("hamagin"), partnerType: .financialInstitution,
        side: .selling, kind: .thirdParty, receivedOn: F.date("2023-03-01"), openedOn: F.date("2023-03-02"),
        stages: [entry(.intake, "2023-03-01"), entry(.consultation, "2023-03-10"), entry(.matching, "2023-04-05")],
        sessions: [F.date("2023-03-10"), F.date("2023-03-31"), F.date("2023-04-01")]),
      // B: a buyer from the web on 31 March, first session on 1 April.
      CaseFacts(
        id: F.caseID("2022-0101"), company: F.caseID("2022-0101"), route: .web, side: .buying, kind: .thirdParty, receivedOn: F.date("2023-03-31"),
        openedOn: F.date("2023-03-31"), stages: [entry(.intake, "2023-03-31"), entry(.consultation, "2023-04-01")],
        sessions: [F.date("2023-04-01"), F.date("2023-04-15")]),
      // C: a family succession by phone, the whole of FY2022, completed on its last day.
      CaseFacts(
        id: F.caseID("2022-0102"), company: F.caseID("2022-0102"), route: .phone, side: .selling, kind: .family, receivedOn: F.date("2022-04-01"),
        openedOn: F.date("2022-04-01"),
        stages: [entry(.intake, "2022-04-01"), entry(.consultation, "2022-04-11"), entry(.planning, "2022-05-01"), entry(.succeeded, "2023-03-31")],
        sessions: [F.date("2022-04-11"), F.date("2022-05-20")]),
      // D: a walk-in on 1 April handed to a registered agency, succeeded in April.
      CaseFacts(
        id: F.caseID("2023-0001"), company: F.caseID("2023-0001"), route: .walkIn, side: .selling, kind: .thirdParty, receivedOn: F.date("2023-04-01"),
        openedOn: F.date("2023-04-01"),
        stages: [entry(.intake, "2023-04-01"), entry(.consultation, "2023-04-03"), entry(.handedOff, "2023-04-10"), entry(.succeeded, "2023-04-28")],
        sessions: [F.date("2023-04-03")]),
      // E: A's company again, a separate case from the chamber: it counts once as a consulter.
      CaseFacts(
        id: F.caseID("2023-0002"), company: F.caseID("2022-0100"), route: .partner, partner: F.partnerID("cci-yokohama"), partnerType: .chamberOfCommerce,
        side: .selling, kind: .thirdParty, receivedOn: F.date("2023-04-02"), openedOn: F.date("2023-04-02"),
        stages: [entry(.intake, "2023-04-02"), entry(.consultation, "2023-04-20")], sessions: [F.date("2023-04-20")]),
      // F: a referral that was discontinued before any session.
      CaseFacts(
        id: F.caseID("2022-0103"), company: F.caseID("2022-0103"), route: .partner, partner: F.partnerID("hamagin"), partnerType: .financialInstitution,
        side: .selling, kind: .undecided, receivedOn: F.date("2023-03-15"), openedOn: F.date("2023-03-15"),
        stages: [entry(.intake, "2023-03-15"), entry(.discontinued, "2023-03-31")], sessions: []),
    ]
  }

  var referrals: [ReferralFacts] {
    [
      ReferralFacts(referral: F.caseID("2022-0100"), partner: F.partnerID("hamagin"), partnerName: "横浜銀行", partnerType: .financialInstitution, receivedOn: F.date("2023-03-01"), outcome: .accepted),
      ReferralFacts(referral: F.caseID("2022-0103"), partner: F.partnerID("hamagin"), partnerName: "横浜銀行", partnerType: .financialInstitution, receivedOn: F.date("2023-03-15"), outcome: .accepted),
      ReferralFacts(referral: F.caseID("2023-0002"), partner: F.partnerID("cci-yokohama"), partnerName: "横浜商工会議所", partnerType: .chamberOfCommerce, receivedOn: F.date("2023-04-02"), outcome: .accepted),
      ReferralFacts(referral: F.caseID("2022-0104"), partner: F.partnerID("cci-yokohama"), partnerName: "横浜商工会議所", partnerType: .chamberOfCommerce, receivedOn: F.date("2023-03-31"), outcome: .declined),
      ReferralFacts(referral: F.caseID("2022-0105"), partner: F.partnerID("shokokai-hakone"), partnerName: "箱根商工会", partnerType: .societyOfCommerce, receivedOn: F.date("2023-01-10"), outcome: .pending),
    ]
  }

  var diagnoses: [DiagnosisFacts] {
    [
      DiagnosisFacts(id: try! DiagnosisID("hamagin-FY2022-0001"), partner: F.partnerID("hamagin"), partnerType: .financialInstitution, on: F.date("2023-03-31"), linked: true),
      DiagnosisFacts(id: try! DiagnosisID("hamagin-FY2023-0001"), partner: F.partnerID("hamagin"), partnerType: .financialInstitution, on: F.date("2023-04-01"), linked: false),
      DiagnosisFacts(id: try! DiagnosisID("cci-yokohama-FY2022-0001"), partner: F.partnerID("cci-yokohama"), partnerType: .chamberOfCommerce, on: F.date("2022-04-01"), linked: false),
      DiagnosisFacts(id: try! DiagnosisID("shokokai-hakone-FY2022-0001"), partner: F.partnerID("shokokai-hakone"), partnerType: .societyOfCommerce, on: F.date("2022-12-01"), linked: false),
    ]
  }

  func report(_ year: Int, target: Int? = nil) throws -> KPIReport {
    SuccessionKPI.report(try FiscalYear(year), cases: cases, referrals: referrals, diagnoses: diagnoses, partners: F.partners.partners, target: target)
  }

  @Test("medians are exact: the middle value, or the mean of the two middle ones as a half day")
  func medians() {
    #expect(MedianDays([]) == nil)
    #expect(MedianDays([7])?.description == "7")
    #expect(MedianDays([30, 1, 2])?.description == "2")
    #expect(MedianDays([10, 9])?.description == "9.5")
    #expect(MedianDays([1, 2, 3, 100])?.description == "2.5")
    #expect(MedianDays([4, 2, 6, 8])?.doubled == 10)
    #expect(MedianDays([-3, 2])?.description == "-0.5")
  }

  @Test("FY2022 counts what happened 1 April 2022 … 31 March 2023, to the day")
  func fiscal2022() throws {
    let year = try report(2022, target: 2)
    let total = year.total
    #expect(total.first == F.date("2022-04-01") && total.last == F.date("2023-03-31"))
    #expect(total.sessions == 4)  // A on 10 and 31 March, C twice; A's 1 April session is FY2023's
    #expect(total.consulters == 2)
    #expect(KPIFigures.count(total.consultersBySide, .selling) == 2 && KPIFigures.count(total.consultersBySide, .buying) == 0)
    #expect(total.newCases == 4)
    #expect(total.newCasesByRoute.map(\.count) == [2, 1, 1, 0, 0])
    #expect(total.succeeded == 1 && KPIFigures.count(total.succeededByKind, .family) == 1)
    #expect(KPIFigures.count(total.closedOtherwise, .discontinued) == 1)
    #expect(year.achievementPercent == 50)
    // Intake to first session: A 9 days, C 10 days (B's first session was on 1 April).
    #expect(total.daysToFirstSession.count == 2 && total.daysToFirstSession.median?.description == "9.5")
    // Intake to close: F 16 days, C 364 days (2022-04-01 → 2023-03-31).
    #expect(total.daysToClose.count == 2 && total.daysToClose.median?.description == "190")
    #expect(total.daysToSuccess.median?.description == "364")
    let stay = { (stage: Stage) in total.daysInStage.first { $0.stage == stage }?.figure }
    #expect(stay(.intake)?.count == 3 && stay(.intake)?.median == MedianDays([9, 10, 16]) && stay(.intake)?.median?.description == "10")
    #expect(stay(.planning)?.median?.description == "334")
    #expect(stay(.matching)?.count == 0)
    // On 31 March: A in consultation, B at intake; C and F closed that day.
    let open = { (stage: Stage) in total.openByStage.first { $0.stage == stage }?.total ?? -1 }
    #expect(open(.consultation) == 1 && open(.intake) == 1 && open(.planning) == 0)
    #expect(total.referrals == 4)
    #expect(total.referralsByOutcome.map(\.count) == [1, 2, 1, 0])
    #expect(KPIFigures.count(total.referralsByPartnerType, .financialInstitution) == 2)
    #expect(KPIFigures.count(total.referralsByPartnerType, .societyOfCommerce) == 1)
    #expect(total.diagnoses == 3 && total.diagnosesLinked == 1)
  }

  @Test("the months April … March: each month its own figures; a company consulting in two months counts once in the year")
  func months() throws {
    let year = try report(2022)
    #expect(year.months.map(\.month.description) == ["2022-04", "2022-05", "2022-06", "2022-07", "2022-08", "2022-09", "2022-10", "2022-11", "2022-12", "2023-01", "2023-02", "2023-03"])
    #expect(year.months.map(\.figures.consulters) == [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    #expect(year.months.map(\.figures.consulters).reduce(0, +) == 3 && year.total.consulters == 2)
    let march = year.months[11].figures
    #expect(march.sessions == 2 && march.newCases == 3 && march.daysToFirstSession.median?.description == "9")
    #expect(march.succeeded == 1 && march.diagnoses == 1)
  }

  @Test("April 2023 is FY2023's first month: 1 April sessions, duplicates counted once, a half-day median of stays")
  func april2023() throws {
    let april = try report(2023).months[0].figures
    #expect(april.first == F.date("2023-04-01") && april.last == F.date("2023-04-30"))
    #expect(april.sessions == 5)
    #expect(april.consulters == 3)  // A (and E, the same company), B, D
    #expect(KPIFigures.count(april.consultersBySide, .selling) == 2 && KPIFigures.count(april.consultersBySide, .buying) == 1)
    #expect(april.daysToFirstSession.median?.description == "2")  // B 1, D 2, E 18
    #expect(april.newCases == 2 && KPIFigures.count(april.newCasesByRoute, .walkIn) == 1 && KPIFigures.count(april.newCasesByRoute, .partner) == 1)
    #expect(april.succeeded == 1 && KPIFigures.count(april.succeededByKind, .thirdParty) == 1 && april.daysToSuccess.median?.description == "27")
    let stay = { (stage: Stage) in april.daysInStage.first { $0.stage == stage }?.figure.median?.description }
    #expect(stay(.consultation) == "16.5")  // A 26 days, D 7 days
    #expect(stay(.intake) == "2")  // B 1, D 2, E 18
    #expect(stay(.handedOff) == "18")
    let open = { (stage: Stage) in april.openByStage.first { $0.stage == stage } }
    #expect(open(.consultation)?.total == 2 && open(.matching)?.total == 1)
    #expect(april.referrals == 1 && april.diagnoses == 1 && april.diagnosesLinked == 0)
  }

  @Test("the partner table: every partner in the network and any with figures, by code, with the registry's names")
  func partners() throws {
    let rows = try report(2022).partners
    #expect(rows.map(\.partner.rawValue) == ["cci-yokohama", "hamagin", "shokokai-hakone"])
    #expect(rows.map(\.referrals) == [1, 2, 1])
    #expect(rows.map(\.diagnoses) == [1, 1, 1])
    #expect(rows.map(\.diagnosesLinked) == [0, 1, 0])
    #expect(rows[2].name == "箱根町商工会")
    #expect(rows[0].byOutcome.first { $0.key == .declined }?.count == 1)
    let empty = SuccessionKPI.report(try FiscalYear(2024), cases: cases, referrals: referrals, diagnoses: diagnoses, partners: F.partners.partners)
    #expect(empty.partners.map(\.partner.rawValue) == ["cci-yokohama", "hamagin"])
    #expect(empty.partners.allSatisfy { $0.referrals == 0 && $0.diagnoses == 0 })
  }

  @Test("the same figures however the records are ordered")
  func orderFree() throws {
    let year = try FiscalYear(2022)
    let a = SuccessionKPI.report(year, cases: cases, referrals: referrals, diagnoses: diagnoses, partners: F.partners.partners, target: 2)
    let b = SuccessionKPI.report(year, cases: cases.reversed(), referrals: referrals.reversed(), diagnoses: diagnoses.reversed(), partners: F.partners.partners.reversed(), target: 2)
    #expect(a.csv() == b.csv() && a.partnerCSV() == b.partnerCSV() && a.stageCSV() == b.stageCSV())
  }

  @Test("the CSV opens in Excel: BOM, CRLF, Japanese headings, a column per month and the year")
  func csv() throws {
    let data = try report(2022, target: 2).csv()
    #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let text = String(decoding: data.dropFirst(3), as: UTF8.self)
    #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    let rows = try CSV.parse(text).map(\.fields)
    #expect(rows[0].first == "区分" && rows[0][1] == "2022年4月" && rows[0][12] == "2023年3月" && rows[0][13] == "令和4年度計（FY2022）")
    #expect(rows.allSatisfy { $0.count == 14 })
    let row = { (label: String) in rows.first { $0.first == label } ?? [] }
    #expect(row("相談者数") == ["相談者数", "1", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "2"])
    #expect(row("受付から初回相談まで（中央値・日）") == ["受付から初回相談まで（中央値・日）", "10", "", "", "", "", "", "", "", "", "", "", "9", "9.5"])
    #expect(row("成約目標").last == "2" && row("目標達成率（%）").last == "50")
    #expect(row("新規案件（ウェブ）").last == "1")
    let partners = try CSV.parse(String(decoding: try report(2022).partnerCSV().dropFirst(3), as: UTF8.self)).map(\.fields)
    #expect(partners[0] == ["機関コード", "機関名", "種別", "紹介件数", "うち未処理", "うち案件化", "うち見送り", "うち既存案件に統合", "事業承継診断件数", "うち案件化"])
    #expect(partners[2] == ["hamagin", "横浜銀行", "金融機関", "2", "0", "2", "0", "0", "1", "1"])
    let stages = try CSV.parse(String(decoding: try report(2022).stageCSV().dropFirst(3), as: UTF8.self)).map(\.fields)
    #expect(stages[0] == ["段階", "親族内", "従業員", "第三者", "未定", "計"])
    #expect(stages.first { $0.first == "相談" } == ["相談", "0", "0", "1", "0", "1"])
  }

  @Test("facts from case records: a referral's case, its route and partner, its sessions; a waiting referral is no case")
  func factsFromRecords() throws {
    var world = World()
    try world.refer(F.referral("2022-0001"))
    #expect(CaseFacts(try #require(world["2022-0001"])) == nil)
    #expect(ReferralFacts(try #require(world["2022-0001"]))?.outcome == .pending)
    world.apply("2022-0001", try Case.accept(Acceptance(side: .selling, kind: .thirdParty), world["2022-0001"], F.context("2022-05-12")))
    world.apply("2022-0001", try Case.recordSession(NewSession(on: F.date("2022-05-20"), minutes: 60, staff: F.staff("u-ito"), kind: .visit), world["2022-0001"], F.context("2022-05-20")))
    let record = try #require(world["2022-0001"])
    let facts = try #require(CaseFacts(record))
    #expect(facts.route == .partner && facts.partner == F.partnerID("hamagin") && facts.partnerType == .financialInstitution)
    #expect(facts.receivedOn == F.date("2022-05-10") && facts.openedOn == F.date("2022-05-12") && facts.sessions == [F.date("2022-05-20")])
    #expect(facts.stages.map(\.stage) == [.intake, .consultation])
    #expect(ReferralFacts(try #require(world["2022-0001"]))?.outcome == .accepted)
    let figures = SuccessionKPI.figures(from: F.date("2022-05-01"), to: F.date("2022-05-31"), cases: [facts], referrals: [], diagnoses: [])
    #expect(figures.daysToFirstSession.median?.description == "10")
  }
}
