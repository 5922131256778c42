import EventLog
import Foundation
import SharedKernel
import Succession
import Testing

@Suite("Succession: push-type diagnoses (事業承継診断)")
struct DiagnosisTests {
  typealias F = Fixtures

  /// Reports and folds into `states`.
  func report(_ rows: [DiagnosisRow], into states: inout [StreamName: Diagnoses.State], today: String) throws -> [StreamEvents<Diagnoses.Event>] {
    let writes = try Diagnoses.report(rows, partners: F.partners, states: states, F.context(today))
    for write in writes { states[write.stream] = write.events.reduce(states[write.stream] ?? Diagnoses.initialState, Diagnoses.evolve) }
    return writes
  }

  @Test("one diagnosis reported by a partner, numbered on the partner's stream of its fiscal year")
  func single() throws {
    var states: [StreamName: Diagnoses.State] = [:]
    let row = DiagnosisRow(partner: F.partnerID("hamagin"), report: DiagnosisReport(on: F.date("2023-03-31"), company: DiagnosedCompany(name: "みなと精工"), result: .noSuccessor, referToCentre: true))
    let writes = try report([row], into: &states, today: "2023-04-03")
    #expect(writes.map(\.stream.rawValue) == ["diagnoses-hamagin-FY2022"])
    guard case .reported(let reported)? = writes.first?.events.first else { Issue.record("nothing reported"); return }
    #expect(reported.diagnosis.rawValue == "hamagin-FY2022-0001" && reported.partnerType == .financialInstitution)
    #expect(try Diagnoses.stream(of: reported.diagnosis).rawValue == "diagnoses-hamagin-FY2022")
    // Reported again: nothing. With another result: refused.
    #expect(try report([row], into: &states, today: "2023-04-03").isEmpty)
    var changed = row
    changed.report.result = .successorDecided
    #expect(throws: SuccessionError.self) { try report([changed], into: &states, today: "2023-04-03") }
    // A partner that is not registered, or that had left by the day, cannot report.
    #expect(throws: SuccessionError.unknownPartner(F.partnerID("nobody"))) {
      try report([DiagnosisRow(partner: F.partnerID("nobody"), report: row.report)], into: &states, today: "2023-04-03")
    }
    #expect(throws: SuccessionError.partnerLeft(F.partnerID("shokokai-hakone"), name: "箱根町商工会")) {
      try report([DiagnosisRow(partner: F.partnerID("shokokai-hakone"), report: row.report)], into: &states, today: "2023-04-03")
    }
    var before = row
    before.partner = F.partnerID("shokokai-hakone")
    before.report.on = F.date("2023-01-30")
    _ = try report([before], into: &states, today: "2023-04-03")
  }

  @Test("a CP932 diagnosis file: 和暦 and slashed dates, 髙﨑 and ㈱ read, rows split across the fiscal year by their day; sent twice, nothing new")
  func file() throws {
    let rows = try DiagnosisFile.read(CP932Files.diagnoses, partner: F.partnerID("cci-yokohama"))
    #expect(rows.map(\.line) == [2, 3])
    #expect(rows.map(\.report.on) == [F.date("2023-03-31"), F.date("2023-04-01")])
    #expect(rows[0].report.company.name == "髙﨑製作所" && rows[0].report.referToCentre && rows[0].report.result == .noSuccessor)
    #expect(rows[1].report.company.name == "㈱ＡＢＣ商事" && rows[1].report.company.corporateNumber == F.number("7000012050002") && !rows[1].report.referToCentre)
    var states: [StreamName: Diagnoses.State] = [:]
    let writes = try report(rows, into: &states, today: "2023-04-03")
    #expect(writes.map(\.stream.rawValue) == ["diagnoses-cci-yokohama-FY2022", "diagnoses-cci-yokohama-FY2023"])
    #expect(try Diagnoses.streams(for: rows).map(\.rawValue) == ["diagnoses-cci-yokohama-FY2022", "diagnoses-cci-yokohama-FY2023"])
    #expect(try report(try DiagnosisFile.read(CP932Files.diagnoses, partner: F.partnerID("cci-yokohama")), into: &states, today: "2023-04-04").isEmpty)
  }

  @Test("a file's problems are named by line; a partner's upload cannot carry another partner's rows")
  func fileProblems() throws {
    let file = """
      実施日,会社名,法人番号,結果,センター紹介,機関コード
      2023-02-30,A社,,後継者不在,,hamagin
      2023-03-01,,,後継者不在,,hamagin
      2023-03-01,B社,8000012050002,後継者不在,,hamagin
      2023-03-01,C社,,不明,,hamagin
      2023-03-01,D社,,廃業検討,たぶん,hamagin
      2023-03-01,E社,,廃業検討,要,cci-yokohama
      2023-03-01,F社,,廃業検討,要,hamagin
      """
    do {
      _ = try DiagnosisFile.read(Data(file.utf8), partner: F.partnerID("hamagin"))
      Issue.record("read a bad file")
    } catch {
      guard case .importRejected(let problems) = error else { Issue.record("\(error)"); return }
      #expect(problems.map(\.line) == [2, 3, 4, 5, 6, 7])
      #expect(problems.map { $0.column ?? "" } == ["実施日", "会社名", "法人番号", "結果", "センター紹介", "機関コード"])
      #expect(problems[2].message.contains("検査用数字"))
    }
    // A future date is the decision's to refuse, by line too.
    let later = "実施日,会社名,結果\n2023-05-01,G社,後継者不在\n"
    let rows = try DiagnosisFile.read(Data(later.utf8), partner: F.partnerID("hamagin"))
    #expect(throws: SuccessionError.importRejected([RowProblem(line: 2, column: "実施日", message: "2023-05-01 は今日（2023-04-03）より後の日付です")])) {
      try Diagnoses.report(rows, partners: F.partners, states: [:], F.context("2023-04-03"))
    }
  }

  @Test("a diagnosis is linked to the case its company became, once; candidates are found by 法人番号 or name and address")
  func link() throws {
    var states: [StreamName: Diagnoses.State] = [:]
    let company = DiagnosedCompany(name: "(株)みなと精工", address: "横浜市中区尾上町5丁目80番地")
    let rows = [
      DiagnosisRow(partner: F.partnerID("hamagin"), report: DiagnosisReport(on: F.date("2022-04-20"), company: company, result: .noSuccessor, referToCentre: true)),
      DiagnosisRow(partner: F.partnerID("hamagin"), report: DiagnosisReport(on: F.date("2022-04-21"), company: DiagnosedCompany(name: "別会社"), result: .successorDecided, referToCentre: false)),
    ]
    _ = try report(rows, into: &states, today: "2022-04-30")
    var world = World()
    try world.refer(F.referral("2022-0001"))
    let stream = try Diagnoses.stream(partner: F.partnerID("hamagin"), year: FiscalYear(2022))
    let state = try #require(states[stream])
    let candidates = Diagnoses.candidates(for: try #require(world["2022-0001"]).company, in: [state])
    #expect(candidates.map(\.rawValue) == ["hamagin-FY2022-0001"])
    let id = candidates[0]
    // A waiting referral is not a case yet.
    #expect(throws: SuccessionError.wrongPhase(F.caseID("2022-0001"), .referred, action: "診断と結び付ける")) {
      try Diagnoses.link(id, to: world["2022-0001"], state, F.context("2022-05-10"))
    }
    world.apply("2022-0001", try Case.accept(Acceptance(side: .selling), world["2022-0001"], F.context("2022-05-10")))
    let linked = try Diagnoses.link(id, to: world["2022-0001"], state, F.context("2022-05-10"))
    let after = linked.reduce(state, Diagnoses.evolve)
    #expect(after.entry(id)?.linkedCase == F.caseID("2022-0001"))
    #expect(try Diagnoses.link(id, to: world["2022-0001"], after, F.context("2022-05-10")).isEmpty)
    try world.refer(F.referral("2022-0002", company: Company(name: "他社")))
    world.apply("2022-0002", try Case.accept(Acceptance(side: .selling), world["2022-0002"], F.context("2022-05-10")))
    #expect(throws: SuccessionError.diagnosisLinked(id, to: F.caseID("2022-0001"))) { try Diagnoses.link(id, to: world["2022-0002"], after, F.context("2022-05-10")) }
    #expect(Diagnoses.candidates(for: try #require(world["2022-0001"]).company, in: [after]).isEmpty)
    let unlinked = try Diagnoses.unlink(id, reason: "別の会社だった", after, F.context("2022-05-11")).reduce(after, Diagnoses.evolve)
    #expect(unlinked.entry(id)?.linkedCase == nil)
    #expect(throws: SuccessionError.unknownDiagnosis(try DiagnosisID("hamagin-FY2022-0099"))) {
      try Diagnoses.link(try DiagnosisID("hamagin-FY2022-0099"), to: world["2022-0001"], after, F.context("2022-05-10"))
    }
  }
}
