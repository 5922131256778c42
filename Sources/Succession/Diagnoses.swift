public import EventLog
public import Foundation
import JapaneseCalendar
public import SharedKernel

/// Phantom tag for ``DiagnosisID``.
public enum DiagnosisTag {}
/// A diagnosis: `<partner>-FY2022-0012`, its partner's stream of the year and its number there.
public typealias DiagnosisID = ID<DiagnosisTag>

/// What a push-type succession diagnosis (事業承継診断) found, in the sheet's terms.
public enum DiagnosisResult: String, Sendable, Hashable, Codable, CaseIterable {
  /// 後継者が決まり、準備を進めている.
  case successorDecided = "successor-decided"
  /// 後継者の候補はいるが、了承・準備はまだ.
  case successorCandidate = "successor-candidate"
  /// 後継者がいない（第三者承継の検討対象）.
  case noSuccessor = "no-successor"
  /// 廃業を考えている.
  case closingConsidered = "closing-considered"

  public var japaneseName: String {
    switch self {
    case .successorDecided: "後継者決定"
    case .successorCandidate: "後継者候補あり"
    case .noSuccessor: "後継者不在"
    case .closingConsidered: "廃業検討"
    }
  }

  /// The result as a file gives it: the raw value, the Japanese name, or a common wording.
  public init?(typed text: String) {
    let word = CompanyMatching.name(text)
    if let result = DiagnosisResult.allCases.first(where: { CompanyMatching.name($0.rawValue) == word || CompanyMatching.name($0.japaneseName) == word }) {
      self = result
      return
    }
    let words: [(String, DiagnosisResult)] = [
      ("後継者決定済", .successorDecided), ("決定", .successorDecided), ("候補あり", .successorCandidate), ("後継者候補有", .successorCandidate),
      ("候補有", .successorCandidate), ("不在", .noSuccessor), ("後継者なし", .noSuccessor), ("後継者無", .noSuccessor),
      ("廃業", .closingConsidered), ("廃業予定", .closingConsidered),
    ]
    guard let found = words.first(where: { $0.0 == word }) else { return nil }
    self = found.1
  }
}

/// The company a diagnosis was made for.
public struct DiagnosedCompany: Sendable, Hashable, Codable {
  public var name: String
  public var corporateNumber: CorporateNumber?
  public var address: String?

  public init(name: String, corporateNumber: CorporateNumber? = nil, address: String? = nil) {
    self.name = name
    self.corporateNumber = corporateNumber
    self.address = address
  }
}

/// A diagnosis as a partner reports it.
public struct DiagnosisReport: Sendable, Hashable, Codable {
  public var on: LocalDate
  public var company: DiagnosedCompany
  public var result: DiagnosisResult
  /// The partner recommended the centre to the company (センターへの紹介).
  public var referToCentre: Bool
  public var note: String?

  public init(on: LocalDate, company: DiagnosedCompany, result: DiagnosisResult, referToCentre: Bool, note: String? = nil) {
    self.on = on
    self.company = company
    self.result = result
    self.referToCentre = referToCentre
    self.note = note
  }

  /// The same diagnosis reported again: the day and the company (its 法人番号, else its compared name).
  var identity: String {
    "\(on)|" + (company.corporateNumber.map { "#\($0.digits)" } ?? CompanyMatching.name(company.name))
  }
}

/// A diagnosis to report, by whom, and the file line it came from (nil: entered one by one).
public struct DiagnosisRow: Sendable, Hashable {
  public var line: Int?
  public var partner: PartnerID
  public var report: DiagnosisReport

  public init(line: Int? = nil, partner: PartnerID, report: DiagnosisReport) {
    self.line = line
    self.partner = partner
    self.report = report
  }
}

/// Push-type succession diagnoses (事業承継診断) the partners carried out, one stream per
/// partner and fiscal year: `diagnoses-<partner>-FY2022`. A partner reports them one by one or
/// as a file; the same diagnosis reported again (same day, same company) records nothing, so
/// a file can be sent twice. One that became a case is linked to it.
public enum Diagnoses {
  public static let category = "diagnoses"

  public static func stream(partner: PartnerID, year: FiscalYear) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: "\(partner.rawValue)-\(year)")
  }

  /// The stream a diagnosis is on: its id less the last `-n`.
  public static func stream(of id: DiagnosisID) throws(EventLogError) -> StreamName {
    guard let dash = id.rawValue.lastIndex(of: "-") else { throw .invalidStreamName(id.rawValue, reason: "a diagnosis id is <partner>-FY<year>-<n>") }
    return try StreamName(category: category, id: String(id.rawValue[..<dash]))
  }

  /// The streams reporting `rows` writes, by name.
  public static func streams(for rows: [DiagnosisRow]) throws(EventLogError) -> [StreamName] {
    var names: [StreamName] = []
    for row in rows {
      let name = try stream(partner: row.partner, year: FiscalYear(containing: row.report.on))
      if !names.contains(name) { names.append(name) }
    }
    return names.sorted()
  }

  // MARK: Events

  /// A partner reported a diagnosis.
  public struct Reported: RecordableEvent, Hashable {
    public static let eventType = "Succession.DiagnosisReported"
    public static let schemaVersion = 1
    public var diagnosis: DiagnosisID
    public var partner: PartnerID
    public var partnerName: String
    public var partnerType: PartnerType
    public var report: DiagnosisReport
    public var at: Timestamp
  }

  /// The diagnosed company became (or was) a case.
  public struct Linked: RecordableEvent, Hashable {
    public static let eventType = "Succession.DiagnosisLinked"
    public static let schemaVersion = 1
    public var diagnosis: DiagnosisID
    public var caseID: CaseID
    public var on: LocalDate
    public var at: Timestamp
  }

  /// A link was wrong.
  public struct Unlinked: RecordableEvent, Hashable {
    public static let eventType = "Succession.DiagnosisUnlinked"
    public static let schemaVersion = 1
    public var diagnosis: DiagnosisID
    public var caseID: CaseID
    public var reason: String
    public var on: LocalDate
    public var at: Timestamp
  }

  /// Every event of a diagnoses stream.
  public enum Event: Sendable, Hashable {
    case reported(Reported)
    case linked(Linked)
    case unlinked(Unlinked)
  }

  // MARK: State

  /// A diagnosis on the stream.
  public struct Entry: Sendable, Hashable, Codable {
    public var id: DiagnosisID
    public var partner: PartnerID
    public var partnerType: PartnerType
    public var report: DiagnosisReport
    public var linkedCase: CaseID?
  }

  /// The diagnoses of one partner and year, in the order reported.
  public struct State: Sendable, Hashable {
    public var entries: [Entry] = []
    public init() {}

    public func entry(_ id: DiagnosisID) -> Entry? { entries.first { $0.id == id } }
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .reported(let e):
      state.entries.append(Entry(id: e.diagnosis, partner: e.partner, partnerType: e.partnerType, report: e.report, linkedCase: nil))
    case .linked(let e):
      if let index = state.entries.firstIndex(where: { $0.id == e.diagnosis }) { state.entries[index].linkedCase = e.caseID }
    case .unlinked(let e):
      if let index = state.entries.firstIndex(where: { $0.id == e.diagnosis }) { state.entries[index].linkedCase = nil }
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Reported.self, embed: Event.reported) { if case .reported(let e) = $0 { e } else { nil } }
    codec.register(Linked.self, embed: Event.linked) { if case .linked(let e) = $0 { e } else { nil } }
    codec.register(Unlinked.self, embed: Event.unlinked) { if case .unlinked(let e) = $0 { e } else { nil } }
    return codec
  }()

  // MARK: Decisions

  /// Reports diagnoses, each checked; one already recorded (the same day and company, the same
  /// result) is left out, a different result for it is refused. With file lines, every row's
  /// problem is gathered (``SuccessionError/importRejected(_:)``); otherwise the first is thrown.
  ///
  /// - Parameters:
  ///   - partners: the registry (each row's partner must be in it, and not have left before the diagnosis).
  ///   - states: the streams ``streams(for:)`` names, as read.
  /// - Returns: the events for each stream, by stream name.
  public static func report(
    _ rows: [DiagnosisRow], partners: Partners.State, states: [StreamName: State], _ context: SuccessionContext
  ) throws(SuccessionError) -> [StreamEvents<Event>] {
    var problems: [RowProblem] = []
    var working = states
    var written: [StreamName: [Event]] = [:]
    let at = Timestamp(context.at)
    for row in rows {
      do throws(SuccessionError) {
        guard let partner = partners.partner(row.partner) else { throw SuccessionError.unknownPartner(row.partner) }
        if let leftOn = partner.leftOn, row.report.on >= leftOn { throw SuccessionError.partnerLeft(partner.id, name: partner.name) }
        let report = try checked(row.report, context)
        let name: StreamName
        do { name = try stream(partner: partner.id, year: FiscalYear(containing: report.on)) } catch {
          throw SuccessionError.invalidDiagnosis(field: "partner", reason: error.description)
        }
        let state = working[name] ?? initialState
        if let existing = state.entries.first(where: { $0.report.identity == report.identity }) {
          guard existing.report.result == report.result && existing.report.referToCentre == report.referToCentre else {
            throw SuccessionError.invalidDiagnosis(
              field: "result", reason: "\(report.on) の「\(report.company.name)」の診断は \(existing.id) として登録済みで、結果が違います（\(existing.report.result.japaneseName)）")
          }
          continue
        }
        let sequence = String(state.entries.count + 1)
        let id: DiagnosisID
        do { id = try DiagnosisID("\(name.id)-\(String(repeating: "0", count: Swift.max(0, 4 - sequence.count)))\(sequence)") } catch {
          throw SuccessionError.invalidDiagnosis(field: "partner", reason: error.description)
        }
        let event = Event.reported(Reported(diagnosis: id, partner: partner.id, partnerName: partner.name, partnerType: partner.type, report: report, at: at))
        working[name] = evolve(state, event)
        written[name, default: []].append(event)
      } catch {
        guard let line = row.line else { throw error }
        problems.append(RowProblem(line: line, column: DiagnosisFile.heading(of: error.field), message: error.description))
      }
    }
    guard problems.isEmpty else { throw .importRejected(problems) }
    return written.keys.sorted().map { StreamEvents(stream: $0, events: written[$0] ?? []) }
  }

  static func checked(_ report: DiagnosisReport, _ context: SuccessionContext) throws(SuccessionError) -> DiagnosisReport {
    var report = report
    guard let name = Text.required(report.company.name, limit: 100) else { throw .invalidDiagnosis(field: "companyName", reason: "会社名は1〜100文字で入力してください") }
    report.company.name = name
    report.company.address = Text.optional(report.company.address)
    report.note = Text.optional(report.note)
    if let note = report.note, note.count > 1000 { throw .invalidDiagnosis(field: "note", reason: "備考は1000文字までです") }
    guard report.on <= context.today else { throw .dateInFuture(field: "on", report.on, today: context.today) }
    return report
  }

  /// Links a diagnosis to the case its company became (again: nothing).
  public static func link(_ id: DiagnosisID, to target: Case.State, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    guard let entry = state.entry(id) else { throw .unknownDiagnosis(id) }
    guard let target else { throw .unknownCase(nil) }
    guard target.isCase else { throw .wrongPhase(target.id, target.phase, action: "診断と結び付ける") }
    if let linked = entry.linkedCase {
      if linked == target.id { return [] }
      throw .diagnosisLinked(id, to: linked)
    }
    return [.linked(Linked(diagnosis: id, caseID: target.id, on: context.today, at: Timestamp(context.at)))]
  }

  /// Undoes a wrong link.
  public static func unlink(_ id: DiagnosisID, reason: String, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    guard let entry = state.entry(id) else { throw .unknownDiagnosis(id) }
    guard let linked = entry.linkedCase else { return [] }
    guard let reason = Text.required(reason, limit: 2000) else { throw .reasonRequired(action: "診断との結び付けの解除") }
    return [.unlinked(Unlinked(diagnosis: id, caseID: linked, reason: reason, on: context.today, at: Timestamp(context.at)))]
  }

  /// The unlinked diagnoses of the case's company (by 法人番号, or by name and address), by id:
  /// what staff are offered to link.
  public static func candidates(for company: Company, in states: [State]) -> [DiagnosisID] {
    let key = CompanyMatching.key(name: company.name, address: company.address)
    var found: [DiagnosisID] = []
    for state in states {
      for entry in state.entries where entry.linkedCase == nil {
        let byNumber = company.corporateNumber != nil && entry.report.company.corporateNumber == company.corporateNumber
        let byName = key != nil && CompanyMatching.key(name: entry.report.company.name, address: entry.report.company.address) == key
        if byNumber || byName { found.append(entry.id) }
      }
    }
    return found.sorted()
  }
}

/// A partner's diagnoses as a CSV file (UTF-8 or Shift_JIS/CP932), one per row:
///
/// | heading (any of) | required | holds |
/// |---|---|---|
/// | 実施日, 診断日 | yes | the day, as typed (2023-03-31, 2023/3/31, 令和5年3月31日, R5.3.31) |
/// | 会社名, 企業名, 事業者名 | yes | the company |
/// | 法人番号 | | 13 digits, check digit verified |
/// | 所在地, 住所 | | the address |
/// | 結果, 診断結果 | yes | 後継者決定, 後継者候補あり, 後継者不在, 廃業検討 |
/// | センター紹介 | | 要/不要, 有/無, ○/×, はい/いいえ (empty: no) |
/// | 備考 | | a note |
/// | 機関コード | | the partner, for a file of several partners' diagnoses sent by the centre |
public enum DiagnosisFile {
  static let columns: [(field: String, names: [String])] = [
    ("on", ["実施日", "診断日", "日付", "date"]),
    ("companyName", ["会社名", "企業名", "事業者名", "名称", "company"]),
    ("corporateNumber", ["法人番号", "corporate number"]),
    ("address", ["所在地", "住所", "address"]),
    ("result", ["結果", "診断結果", "result"]),
    ("referToCentre", ["センター紹介", "センターへの紹介", "紹介", "refer"]),
    ("note", ["備考", "メモ", "note"]),
    ("partner", ["機関コード", "コード", "partner"]),
  ]

  static func heading(of field: String?) -> String? {
    guard let field else { return nil }
    return columns.first { $0.field == field }?.names.first
  }

  /// The file's diagnoses. Without a 機関コード column every row is `partner`'s; with one, each
  /// row names its partner, which must be `partner` when one is given (a partner user's upload).
  public static func read(_ data: Data, partner: PartnerID?) throws(SuccessionError) -> [DiagnosisRow] {
    let table = try CSVTable(data)
    var index: [String: Int] = [:]
    for (field, names) in columns { index[field] = table.column(names) }
    var missing: [String] = []
    for field in ["on", "companyName", "result"] where index[field] == nil { missing.append(heading(of: field) ?? field) }
    if index["partner"] == nil && partner == nil { missing.append("機関コード") }
    guard missing.isEmpty else {
      throw .importRejected([RowProblem(line: 1, column: nil, message: "見出しに「\(missing.joined(separator: "」「"))」がありません")])
    }
    var rows: [DiagnosisRow] = []
    var problems: [RowProblem] = []
    for record in table.rows {
      func value(_ field: String) -> String? { index[field].flatMap { Text.optional(record.fields[$0]) } }
      func problem(_ field: String, _ message: String) { problems.append(RowProblem(line: record.line, column: heading(of: field), message: message)) }
      var rowPartner = partner
      if let code = value("partner") {
        guard let id = try? PartnerID(code) else {
          problem("partner", "機関コード「\(code)」に空白などの使えない文字があります")
          continue
        }
        if let partner, partner != id {
          problem("partner", "機関コード「\(code)」は自機関（\(partner)）ではありません")
          continue
        }
        rowPartner = id
      }
      guard let rowPartner else {
        problem("partner", "機関コードが空です")
        continue
      }
      guard let dateText = value("on") else {
        problem("on", "実施日が空です")
        continue
      }
      let on: LocalDate
      do { on = try LocalDate(typed: dateText) } catch {
        problem("on", "実施日「\(dateText)」は日付として読めません（2023-03-31、2023/3/31、令和5年3月31日 のように）")
        continue
      }
      guard let name = value("companyName") else {
        problem("companyName", "会社名が空です")
        continue
      }
      var number: CorporateNumber?
      if let text = value("corporateNumber") {
        do { number = try CorporateNumber(text) } catch {
          problem("corporateNumber", error.description)
          continue
        }
      }
      guard let resultText = value("result") else {
        problem("result", "結果が空です（後継者決定、後継者候補あり、後継者不在、廃業検討のいずれか）")
        continue
      }
      guard let result = DiagnosisResult(typed: resultText) else {
        problem("result", "結果「\(resultText)」は分かりません（後継者決定、後継者候補あり、後継者不在、廃業検討のいずれか）")
        continue
      }
      var refer = false
      if let text = value("referToCentre") {
        switch CompanyMatching.folded(text).trimmingCharacters(in: .whitespaces) {
        case "要", "有", "あり", "○", "〇", "はい", "yes", "y", "1", "true", "紹介": refer = true
        case "不要", "無", "なし", "×", "いいえ", "no", "n", "0", "false": refer = false
        default:
          problem("referToCentre", "センター紹介「\(text)」は分かりません（要・不要、または空欄）")
          continue
        }
      }
      rows.append(
        DiagnosisRow(
          line: record.line, partner: rowPartner,
          report: DiagnosisReport(
            on: on, company: DiagnosedCompany(name: name, corporateNumber: number, address: value("address")), result: result, referToCentre: refer,
            note: value("note"))))
    }
    guard problems.isEmpty else { throw .importRejected(problems) }
    return rows
  }
}
