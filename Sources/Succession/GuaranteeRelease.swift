public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``GuaranteeCaseID``.
public enum GuaranteeCaseTag {}
/// A 経営者保証解除支援 case: `G2022-0031` or as the service numbers them.
public typealias GuaranteeCaseID = ID<GuaranteeCaseTag>

/// When the succession the release is for happens: planned (予定) or done (実施済み), on a day.
public struct SuccessionTiming: Sendable, Hashable, Codable {
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 承継予定.
    case planned
    /// 承継済み.
    case done

    public var japaneseName: String { self == .planned ? "承継予定" : "承継済み" }
  }

  public var kind: Kind
  public var on: LocalDate

  public init(_ kind: Kind, on: LocalDate) {
    self.kind = kind
    self.on = on
  }
}

/// A document the company handed in.
public enum GuaranteeDocument: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
  /// 決算書（3期分）.
  case financialStatements
  /// 試算表.
  case trialBalance
  /// 借入金明細.
  case borrowings
  /// 保証契約書.
  case guaranteeContract
  /// 事業承継計画書.
  case successionPlan
  /// その他, with what it is.
  case other(String)

  public var japaneseName: String {
    switch self {
    case .financialStatements: "決算書（3期分）"
    case .trialBalance: "試算表"
    case .borrowings: "借入金明細"
    case .guaranteeContract: "保証契約書"
    case .successionPlan: "事業承継計画書"
    case .other(let label): "その他（\(label)）"
    }
  }

  /// `financial-statements`, …, `other:<label>`: also how it is stored.
  public var description: String {
    switch self {
    case .financialStatements: "financial-statements"
    case .trialBalance: "trial-balance"
    case .borrowings: "borrowings"
    case .guaranteeContract: "guarantee-contract"
    case .successionPlan: "succession-plan"
    case .other(let label): "other:\(label)"
    }
  }

  public static func < (lhs: GuaranteeDocument, rhs: GuaranteeDocument) -> Bool { lhs.description < rhs.description }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    switch text {
    case "financial-statements": self = .financialStatements
    case "trial-balance": self = .trialBalance
    case "borrowings": self = .borrowings
    case "guarantee-contract": self = .guaranteeContract
    case "succession-plan": self = .successionPlan
    case _ where text.hasPrefix("other:"): self = .other(String(text.dropFirst("other:".count)))
    default: throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown document '\(text)'")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// The three requirements of the 経営者保証に関するガイドライン.
public enum GuaranteeRequirement: String, Sendable, Hashable, Codable, CaseIterable {
  /// 法人と経営者との関係の明確な区分・分離.
  case separation
  /// 財務基盤の強化.
  case financialBase = "financial-base"
  /// 適時適切な情報開示による経営の透明性確保.
  case transparency

  public var japaneseName: String {
    switch self {
    case .separation: "法人と経営者との関係の明確な区分・分離"
    case .financialBase: "財務基盤の強化"
    case .transparency: "適時適切な情報開示による経営の透明性確保"
    }
  }
}

/// How far a requirement is met.
public enum RequirementRating: String, Sendable, Hashable, Codable, CaseIterable {
  /// 充足.
  case met
  /// 一部充足.
  case partly
  /// 未充足.
  case notMet = "not-met"

  public var japaneseName: String {
    switch self {
    case .met: "充足"
    case .partly: "一部充足"
    case .notMet: "未充足"
    }
  }
}

/// A condition the lender attached to a release.
public enum ReleaseCondition: String, Sendable, Hashable, Codable, CaseIterable {
  /// 事業承継特別保証 (the 信用保証協会's guarantee without a personal guarantee).
  case specialGuarantee = "special-guarantee"
  /// コベナンツ（財務制限条項など）.
  case covenants
  /// 金利の上乗せ.
  case higherRate = "higher-rate"
  /// 停止条件付・解除条件付保証契約.
  case conditionalGuarantee = "conditional-guarantee"
  case other

  public var japaneseName: String {
    switch self {
    case .specialGuarantee: "事業承継特別保証"
    case .covenants: "コベナンツ（財務制限条項等）"
    case .higherRate: "金利の上乗せ"
    case .conditionalGuarantee: "停止条件付・解除条件付保証契約"
    case .other: "その他"
    }
  }
}

/// How a guarantee release case ended.
public enum GuaranteeOutcome: String, Sendable, Hashable, Codable, CaseIterable {
  /// 解除.
  case released
  /// 条件付き解除.
  case releasedWithConditions = "released-with-conditions"
  /// 謝絶 (an improvement plan follows).
  case refused
  /// 取下げ.
  case withdrawn

  public var japaneseName: String {
    switch self {
    case .released: "解除"
    case .releasedWithConditions: "条件付き解除"
    case .refused: "解除不可"
    case .withdrawn: "取下げ"
    }
  }
}

/// A guarantee release case to open.
public struct NewGuaranteeCase: Sendable, Hashable {
  public var id: GuaranteeCaseID
  /// The succession case it belongs to, when the centre has one.
  public var caseID: CaseID?
  public var companyName: String
  public var industry: Industry?
  public var region: Region?
  /// The lending bank (an institution's name: not personal data).
  public var lender: String
  /// The amount the owner guarantees.
  public var amount: Yen
  public var succession: SuccessionTiming
  public var on: LocalDate
  public var by: UserID

  public init(
    id: GuaranteeCaseID, caseID: CaseID? = nil, companyName: String, industry: Industry? = nil, region: Region? = nil, lender: String, amount: Yen,
    succession: SuccessionTiming, on: LocalDate, by: UserID
  ) {
    self.id = id
    self.caseID = caseID
    self.companyName = companyName
    self.industry = industry
    self.region = region
    self.lender = lender
    self.amount = amount
    self.succession = succession
    self.on = on
    self.by = by
  }
}

/// 経営者保証解除支援: helping a company whose succession is near (planned within three years,
/// or done within the last three) have the owner's personal guarantee released. One stream
/// per case, `guarantee-<id>`, optionally linked to a succession case: opened, documents
/// received, the guideline's three requirements assessed (and reassessed), meetings with the
/// lender, and one outcome.
///
/// The outcome is final: nothing is recorded after it and there is no reopening; a company
/// that tries again later (after its improvement plan) is a new case, so each attempt and its
/// outcome count once in the programme's 件数.
///
/// Free text (the company's name, notes, attendees, summaries, plans) is personal data
/// sealed under ``personalDataOwner(_:)``; the lender, amount, bands, ratings and outcome stay plain.
public enum GuaranteeRelease {
  public static let category = "guarantee"

  public static func stream(_ id: GuaranteeCaseID) throws(EventLogError) -> StreamName { try StreamName(category: category, id: id.rawValue) }

  /// The owner of the case's personal-data key: the stream name `guarantee-<id>`.
  public static func personalDataOwner(_ id: GuaranteeCaseID) -> String { "\(category)-\(id.rawValue)" }

  /// How far from today the succession may be, either way.
  public static let eligibleYears = 3

  // MARK: Events

  /// The case was opened.
  public struct Opened: RecordableEvent, Hashable, HoldsPersonalData {
    public static let eventType = "Succession.GuaranteeCaseOpened"
    public static let schemaVersion = 1
    public var guaranteeCase: GuaranteeCaseID
    public var caseID: CaseID?
    @Personal public var companyName: String
    public var industry: Industry?
    public var region: Region?
    public var lender: String
    public var amount: Yen
    public var succession: SuccessionTiming
    public var on: LocalDate
    public var by: UserID
    public var at: Timestamp
    public var personalDataOwner: String { GuaranteeRelease.personalDataOwner(guaranteeCase) }
  }

  /// The company handed in a document.
  public struct DocumentReceived: RecordableEvent, Hashable {
    public static let eventType = "Succession.GuaranteeDocumentReceived"
    public static let schemaVersion = 1
    public var guaranteeCase: GuaranteeCaseID
    public var document: GuaranteeDocument
    public var on: LocalDate
    public var by: UserID
    public var at: Timestamp
  }

  /// A requirement was assessed (again: the latest counts).
  public struct RequirementAssessed: RecordableEvent, Hashable, HoldsPersonalData {
    public static let eventType = "Succession.GuaranteeRequirementAssessed"
    public static let schemaVersion = 1
    public var guaranteeCase: GuaranteeCaseID
    public var requirement: GuaranteeRequirement
    public var rating: RequirementRating
    @Personal public var note: String?
    public var on: LocalDate
    public var by: UserID
    public var at: Timestamp
    public var personalDataOwner: String { GuaranteeRelease.personalDataOwner(guaranteeCase) }
  }

  /// The centre met the lender with the company (金融機関との目線合わせ).
  public struct BankMeetingHeld: RecordableEvent, Hashable, HoldsPersonalData {
    public static let eventType = "Succession.GuaranteeBankMeetingHeld"
    public static let schemaVersion = 1
    public var guaranteeCase: GuaranteeCaseID
    public var on: LocalDate
    @Personal public var attendees: String
    @Personal public var summary: String
    @Personal public var nextStep: String?
    public var by: UserID
    public var at: Timestamp
    public var personalDataOwner: String { GuaranteeRelease.personalDataOwner(guaranteeCase) }
  }

  /// The lender released the guarantee.
  public struct Released: RecordableEvent, Hashable {
    public static let eventType = "Succession.GuaranteeReleased"
    public static let schemaVersion = 1
    public var guaranteeCase: GuaranteeCaseID
    public var on: LocalDate
    public var by: UserID
    public var at: Timestamp
  }

  /// The lender released it on conditions.
  public struct ReleasedWithConditions: RecordableEvent, Hashable, HoldsPersonalData {
    public static let eventType = "Succession.GuaranteeReleasedWithConditions"
    public static let schemaVersion = 1
    public var guaranteeCase: GuaranteeCaseID
    public var conditions: [ReleaseCondition]
    @Personal public var details: String?
    public var on: LocalDate
    public var by: UserID
    public var at: Timestamp
    public var personalDataOwner: String { GuaranteeRelease.personalDataOwner(guaranteeCase) }
  }

  /// The lender refused; the company has an improvement plan.
  public struct Refused: RecordableEvent, Hashable, HoldsPersonalData {
    public static let eventType = "Succession.GuaranteeReleaseRefused"
    public static let schemaVersion = 1
    public var guaranteeCase: GuaranteeCaseID
    @Personal public var improvementPlan: String
    public var on: LocalDate
    public var by: UserID
    public var at: Timestamp
    public var personalDataOwner: String { GuaranteeRelease.personalDataOwner(guaranteeCase) }
  }

  /// The company or the centre gave the case up.
  public struct Withdrawn: RecordableEvent, Hashable, HoldsPersonalData {
    public static let eventType = "Succession.GuaranteeCaseWithdrawn"
    public static let schemaVersion = 1
    public var guaranteeCase: GuaranteeCaseID
    @Personal public var reason: String
    public var on: LocalDate
    public var by: UserID
    public var at: Timestamp
    public var personalDataOwner: String { GuaranteeRelease.personalDataOwner(guaranteeCase) }
  }

  /// Every event of a guarantee stream.
  public enum Event: Sendable, Hashable {
    case opened(Opened)
    case documentReceived(DocumentReceived)
    case requirementAssessed(RequirementAssessed)
    case bankMeetingHeld(BankMeetingHeld)
    case released(Released)
    case releasedWithConditions(ReleasedWithConditions)
    case refused(Refused)
    case withdrawn(Withdrawn)
  }

  // MARK: State

  /// One assessment of one requirement.
  public struct Assessment: Sendable, Hashable, Codable {
    public var requirement: GuaranteeRequirement
    public var rating: RequirementRating
    public var note: String?
    public var on: LocalDate
    public var by: UserID
  }

  /// One meeting with the lender.
  public struct BankMeeting: Sendable, Hashable, Codable {
    public var on: LocalDate
    public var attendees: String
    public var summary: String
    public var nextStep: String?
  }

  /// A case as its stream tells it.
  public struct Record: Sendable, Hashable, Codable {
    public var id: GuaranteeCaseID
    public var caseID: CaseID?
    public var companyName: String
    public var lender: String
    public var amount: Yen
    public var succession: SuccessionTiming
    public var openedOn: LocalDate
    /// Each document once, in the order received, with the day.
    public var documents: [ReceivedDocument]
    /// Every assessment, oldest first (history kept).
    public var assessments: [Assessment]
    public var meetings: [BankMeeting]
    public var outcome: GuaranteeOutcome?
    public var outcomeOn: LocalDate?

    /// The latest assessment of `requirement`.
    public func assessment(of requirement: GuaranteeRequirement) -> Assessment? { assessments.last { $0.requirement == requirement } }

    public func has(_ document: GuaranteeDocument) -> Bool { documents.contains { $0.document == document } }

    /// The latest day anything was recorded.
    var lastOn: LocalDate {
      ([openedOn] + documents.map(\.on) + assessments.map(\.on) + meetings.map(\.on)).max() ?? openedOn
    }
  }

  /// A document and the day it came in.
  public struct ReceivedDocument: Sendable, Hashable, Codable {
    public var document: GuaranteeDocument
    public var on: LocalDate
  }

  /// nil until opened.
  public typealias State = Record?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    if case .opened(let e) = event {
      return Record(
        id: e.guaranteeCase, caseID: e.caseID, companyName: e.companyName, lender: e.lender, amount: e.amount, succession: e.succession, openedOn: e.on,
        documents: [], assessments: [], meetings: [], outcome: nil, outcomeOn: nil)
    }
    guard var record = state else { return state }
    switch event {
    case .opened: break
    case .documentReceived(let e): record.documents.append(ReceivedDocument(document: e.document, on: e.on))
    case .requirementAssessed(let e):
      record.assessments.append(Assessment(requirement: e.requirement, rating: e.rating, note: e.note, on: e.on, by: e.by))
    case .bankMeetingHeld(let e): record.meetings.append(BankMeeting(on: e.on, attendees: e.attendees, summary: e.summary, nextStep: e.nextStep))
    case .released(let e): (record.outcome, record.outcomeOn) = (.released, e.on)
    case .releasedWithConditions(let e): (record.outcome, record.outcomeOn) = (.releasedWithConditions, e.on)
    case .refused(let e): (record.outcome, record.outcomeOn) = (.refused, e.on)
    case .withdrawn(let e): (record.outcome, record.outcomeOn) = (.withdrawn, e.on)
    }
    return record
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Opened.self, embed: Event.opened) { if case .opened(let e) = $0 { e } else { nil } }
    codec.register(DocumentReceived.self, embed: Event.documentReceived) { if case .documentReceived(let e) = $0 { e } else { nil } }
    codec.register(RequirementAssessed.self, embed: Event.requirementAssessed) { if case .requirementAssessed(let e) = $0 { e } else { nil } }
    codec.register(BankMeetingHeld.self, embed: Event.bankMeetingHeld) { if case .bankMeetingHeld(let e) = $0 { e } else { nil } }
    codec.register(Released.self, embed: Event.released) { if case .released(let e) = $0 { e } else { nil } }
    codec.register(ReleasedWithConditions.self, embed: Event.releasedWithConditions) { if case .releasedWithConditions(let e) = $0 { e } else { nil } }
    codec.register(Refused.self, embed: Event.refused) { if case .refused(let e) = $0 { e } else { nil } }
    codec.register(Withdrawn.self, embed: Event.withdrawn) { if case .withdrawn(let e) = $0 { e } else { nil } }
    return codec
  }()

  // MARK: Decisions

  /// An outcome to record.
  public enum Outcome: Sendable, Hashable {
    case released
    /// The conditions (at least one) and what they are in detail.
    case releasedWithConditions([ReleaseCondition], details: String?)
    /// The improvement plan (改善計画) is required.
    case refused(improvementPlan: String)
    case withdrawn(reason: String)
  }

  /// Opens a case on `new.on` (today or earlier). The succession must be planned within the
  /// next three years or done within the last three (counted from today); the guarantee must
  /// be more than ¥0. A linked succession case must exist and be a case.
  ///
  /// - Parameter linked: the succession case's stream, as read, when `new.caseID` is given.
  public static func open(_ new: NewGuaranteeCase, linked: Case.State = nil, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    guard state == nil else { throw .guaranteeCaseExists(new.id) }
    if let caseID = new.caseID {
      guard let linked, linked.id == caseID else { throw .unknownCase(caseID) }
      guard linked.isCase else { throw .wrongPhase(caseID, linked.phase, action: "経営者保証解除支援と結び付ける") }
    }
    guard let name = Text.required(new.companyName, limit: 100) else { throw .invalidGuarantee(field: "companyName", reason: "会社名は1〜100文字で入力してください") }
    guard let lender = Text.required(new.lender, limit: 100) else {
      throw .invalidGuarantee(field: "lender", reason: "保証の相手の金融機関名（1〜100文字）を入力してください")
    }
    guard new.amount > .zero else { throw .invalidGuarantee(field: "amount", reason: "保証金額 \(new.amount) は1円以上で入力してください") }
    try checkEligible(new.succession, context)
    guard new.on <= context.today else { throw .dateInFuture(field: "on", new.on, today: context.today) }
    return [
      .opened(
        Opened(
          guaranteeCase: new.id, caseID: new.caseID, companyName: name, industry: new.industry, region: new.region, lender: lender, amount: new.amount,
          succession: new.succession, on: new.on, by: new.by, at: Timestamp(context.at)))
    ]
  }

  /// 承継 planned within three years from today, or done within the last three.
  static func checkEligible(_ timing: SuccessionTiming, _ context: SuccessionContext) throws(SuccessionError) {
    let limit: LocalDate
    do { limit = try context.today.adding(years: timing.kind == .planned ? eligibleYears : -eligibleYears) } catch {
      throw .guaranteeNotEligible(timing, today: context.today)
    }
    switch timing.kind {
    case .planned: guard timing.on >= context.today && timing.on <= limit else { throw .guaranteeNotEligible(timing, today: context.today) }
    case .done: guard timing.on <= context.today && timing.on >= limit else { throw .guaranteeNotEligible(timing, today: context.today) }
    }
  }

  /// Records a document the company handed in on `date`. A document received already records
  /// nothing (idempotent, not refused): the log says the centre has it, and a form sent twice,
  /// or a newer 試算表 handed in later, is no error; the documents themselves are kept outside the log.
  public static func receive(
    _ document: GuaranteeDocument, on date: LocalDate, by staff: UserID, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    let record = try openCase(state)
    var document = document
    if case .other(let label) = document {
      guard let label = Text.required(label, limit: 50) else {
        throw .invalidGuarantee(field: "label", reason: "「その他」の書類は、何の書類か（1〜50文字）を入力してください")
      }
      document = .other(label)
    }
    guard !record.has(document) else { return [] }
    try Case.checkDate(date, field: "on", notBefore: record.openedOn, what: "受付日", context)
    return [.documentReceived(DocumentReceived(guaranteeCase: record.id, document: document, on: date, by: staff, at: Timestamp(context.at)))]
  }

  /// Assesses a requirement on `date`; a later assessment of it replaces the earlier as the one
  /// that counts (both are kept). The same rating and note again records nothing.
  public static func assess(
    _ requirement: GuaranteeRequirement, as rating: RequirementRating, note: String?, on date: LocalDate, by staff: UserID, _ state: State,
    _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    let record = try openCase(state)
    let note = Text.optional(note)
    if let note, note.count > 2000 { throw .invalidGuarantee(field: "note", reason: "所見は2000文字までです") }
    if let latest = record.assessment(of: requirement), latest.rating == rating, latest.note == note { return [] }
    try Case.checkDate(date, field: "on", notBefore: record.assessment(of: requirement)?.on ?? record.openedOn, what: "前回の評価日または受付日", context)
    return [
      .requirementAssessed(
        RequirementAssessed(guaranteeCase: record.id, requirement: requirement, rating: rating, note: note, on: date, by: staff, at: Timestamp(context.at)))
    ]
  }

  /// Records a meeting with the lender held on `date`.
  public static func recordMeeting(
    on date: LocalDate, attendees: String, summary: String, nextStep: String?, by staff: UserID, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    let record = try openCase(state)
    guard let attendees = Text.required(attendees, limit: 500) else {
      throw .invalidGuarantee(field: "attendees", reason: "出席者（金融機関・会社・センター、500文字まで）を入力してください")
    }
    guard let summary = Text.required(summary, limit: 4000) else { throw .invalidGuarantee(field: "summary", reason: "面談の内容（4000文字まで）を入力してください") }
    let nextStep = Text.optional(nextStep)
    if let nextStep, nextStep.count > 500 { throw .invalidGuarantee(field: "nextStep", reason: "次の対応は500文字までです") }
    try Case.checkDate(date, field: "on", notBefore: record.openedOn, what: "受付日", context)
    return [
      .bankMeetingHeld(
        BankMeetingHeld(guaranteeCase: record.id, on: date, attendees: attendees, summary: summary, nextStep: nextStep, by: staff, at: Timestamp(context.at)))
    ]
  }

  /// Records the outcome on `date` (not before anything recorded, not in the future). A release,
  /// with or without conditions, needs the three requirements assessed, a meeting with the
  /// lender and the 決算書; a refusal needs the improvement plan; a withdrawal its reason.
  public static func conclude(
    _ outcome: Outcome, on date: LocalDate, by staff: UserID, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    let record = try openCase(state)
    try Case.checkDate(date, field: "on", notBefore: record.lastOn, what: "最後の記録日", context)
    let at = Timestamp(context.at)
    switch outcome {
    case .released:
      try checkReady(record)
      return [.released(Released(guaranteeCase: record.id, on: date, by: staff, at: at))]
    case .releasedWithConditions(let conditions, let text):
      guard !conditions.isEmpty, Set(conditions).count == conditions.count else {
        throw .invalidGuarantee(field: "conditions", reason: "解除の条件を1つ以上（重複なく）選んでください")
      }
      let details = Text.optional(text)
      if let details, details.count > 2000 { throw .invalidGuarantee(field: "details", reason: "条件の内容は2000文字までです") }
      if conditions.contains(.other) && details == nil {
        throw .invalidGuarantee(field: "details", reason: "条件に「その他」を選んだときは、その内容を入力してください")
      }
      try checkReady(record)
      return [.releasedWithConditions(ReleasedWithConditions(guaranteeCase: record.id, conditions: conditions, details: details, on: date, by: staff, at: at))]
    case .refused(let text):
      guard let plan = Text.required(text, limit: 4000) else {
        throw .invalidGuarantee(field: "improvementPlan", reason: "解除できなかったときは、改善計画（4000文字まで）を入力してください")
      }
      return [.refused(Refused(guaranteeCase: record.id, improvementPlan: plan, on: date, by: staff, at: at))]
    case .withdrawn(let text):
      guard let reason = Text.required(text, limit: 2000) else { throw .reasonRequired(action: "経営者保証解除支援の取下げ") }
      return [.withdrawn(Withdrawn(guaranteeCase: record.id, reason: reason, on: date, by: staff, at: at))]
    }
  }

  /// What a release needs, all of it named when something is missing.
  static func checkReady(_ record: Record) throws(SuccessionError) {
    var missing: [String] = GuaranteeRequirement.allCases.filter { record.assessment(of: $0) == nil }.map { "「\($0.japaneseName)」の評価" }
    if record.meetings.isEmpty { missing.append("金融機関との面談") }
    if !record.has(.financialStatements) { missing.append(GuaranteeDocument.financialStatements.japaneseName) }
    guard missing.isEmpty else { throw .releaseNotReady(record.id, missing: missing) }
  }

  static func openCase(_ state: State) throws(SuccessionError) -> Record {
    guard let state else { throw .unknownGuaranteeCase(nil) }
    if let outcome = state.outcome { throw .guaranteeConcluded(state.id, outcome) }
    return state
  }
}
