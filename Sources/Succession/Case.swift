public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``CaseID``.
public enum CaseTag {}
/// A case (or a referral not yet one): `2022-0042`, the fiscal year it was received in and its
/// number in that year (``CaseNumbers``).
public typealias CaseID = ID<CaseTag>

/// Which side of a succession the company is on.
public enum Side: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// 譲渡側: the owner hands the business on (sells).
  case selling
  /// 譲受側: the company takes a business over (buys).
  case buying

  public var japaneseName: String { self == .selling ? "譲渡" : "譲受" }

  public static func < (lhs: Side, rhs: Side) -> Bool { lhs == .selling && rhs == .buying }
}

/// Who takes the business over.
public enum SuccessionKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// 親族内承継.
  case family
  /// 従業員承継（役員・従業員）.
  case employee
  /// 第三者承継（M&A）.
  case thirdParty = "third-party"
  /// 未定.
  case undecided

  public var japaneseName: String {
    switch self {
    case .family: "親族内"
    case .employee: "従業員"
    case .thirdParty: "第三者"
    case .undecided: "未定"
    }
  }

  public static func < (lhs: SuccessionKind, rhs: SuccessionKind) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }
}

/// How a case reached the centre (相談経路).
public enum Route: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// Referred by a partner of the network.
  case partner
  /// The centre's web form.
  case web
  /// 電話.
  case phone
  /// 来所 without an appointment made elsewhere.
  case walkIn = "walk-in"
  /// DM, seminars, word of mouth.
  case other

  public var japaneseName: String {
    switch self {
    case .partner: "連携機関からの紹介"
    case .web: "ウェブ"
    case .phone: "電話"
    case .walkIn: "来所"
    case .other: "その他"
    }
  }

  public static func < (lhs: Route, rhs: Route) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }
}

/// The industry groups the programme reports closed deals by (業種).
public enum Industry: String, Sendable, Hashable, Codable, CaseIterable {
  case manufacturing
  case construction
  case wholesale
  case retail
  case foodAndLodging = "food-and-lodging"
  case services
  case other

  public var japaneseName: String {
    switch self {
    case .manufacturing: "製造業"
    case .construction: "建設業"
    case .wholesale: "卸売業"
    case .retail: "小売業"
    case .foodAndLodging: "飲食・宿泊業"
    case .services: "サービス業"
    case .other: "その他"
    }
  }
}

/// Annual sales in the bands the programme reports (売上高).
public enum SalesBand: String, Sendable, Hashable, Codable, CaseIterable {
  /// 3千万円以下.
  case upTo30m = "up-to-30m"
  /// 3千万円超〜1億円以下 (the most common band of sellers).
  case upTo100m = "30m-100m"
  /// 1億円超〜3億円以下.
  case upTo300m = "100m-300m"
  /// 3億円超〜10億円以下.
  case upTo1b = "300m-1b"
  /// 10億円超.
  case over1b = "over-1b"

  public var japaneseName: String {
    switch self {
    case .upTo30m: "3千万円以下"
    case .upTo100m: "3千万円超1億円以下"
    case .upTo300m: "1億円超3億円以下"
    case .upTo1b: "3億円超10億円以下"
    case .over1b: "10億円超"
    }
  }

  /// The band of annual sales `sales` (negative counts as the lowest band).
  public init(sales: Yen) {
    switch sales.amount {
    case ...30_000_000: self = .upTo30m
    case ...100_000_000: self = .upTo100m
    case ...300_000_000: self = .upTo300m
    case ...1_000_000_000: self = .upTo1b
    default: self = .over1b
    }
  }
}

/// The company a case is about.
///
/// Its name, reading, address, representative and phone are personal data (``Personal``): sealed
/// in the log under the case's key, erased with it; the 法人番号 (public registry data) and the
/// figures the programme reports by (industry, region, employees, sales band, the owner's age)
/// stay plain, so the KPIs survive an erasure.
public struct Company: Sendable, Hashable, Codable {
  @Personal public var name: String
  /// フリガナ, in full-width katakana.
  @Personal public var nameKana: String?
  /// 法人番号 (a 個人事業主 has none).
  public var corporateNumber: CorporateNumber?
  public var industry: Industry?
  public var region: Region?
  /// 所在地.
  @Personal public var address: String?
  public var employees: Int?
  public var salesBand: SalesBand?
  /// 経営者の年齢.
  public var ownerAge: Int?
  /// 代表者.
  @Personal public var representative: String?
  @Personal public var phone: String?

  public init(
    name: String, nameKana: String? = nil, corporateNumber: CorporateNumber? = nil, industry: Industry? = nil, region: Region? = nil,
    address: String? = nil, employees: Int? = nil, salesBand: SalesBand? = nil, ownerAge: Int? = nil, representative: String? = nil,
    phone: String? = nil
  ) {
    self.name = name
    self.nameKana = nameKana
    self.corporateNumber = corporateNumber
    self.industry = industry
    self.region = region
    self.address = address
    self.employees = employees
    self.salesBand = salesBand
    self.ownerAge = ownerAge
    self.representative = representative
    self.phone = phone
  }

  /// The company as recorded: text trimmed, the reading in katakana, the phone in ASCII, the
  /// region from the address when not given; or the first field that is wrong.
  public func checked() throws(SuccessionError) -> Company {
    var company = self
    guard let name = Text.required(name, limit: 100) else { throw .invalidCompany(field: "name", reason: "会社名は1〜100文字で入力してください") }
    company.name = name
    if let kana = Text.optional(nameKana) {
      guard let reading = CompanyMatching.katakana(kana), reading.count <= 100 else {
        throw .invalidCompany(field: "nameKana", reason: "フリガナ「\(kana)」はカタカナまたはひらがなで100文字まで入力してください")
      }
      company.nameKana = reading
    } else {
      company.nameKana = nil
    }
    company.address = Text.optional(address)
    if let address = company.address, address.count > 200 { throw .invalidCompany(field: "address", reason: "所在地は200文字までです") }
    if company.region == nil, let address = company.address { company.region = Region(typed: address) }
    if let employees, !(0...1_000_000).contains(employees) {
      throw .invalidCompany(field: "employees", reason: "従業員数 \(employees) は0以上で入力してください")
    }
    if let ownerAge, !(15...120).contains(ownerAge) {
      throw .invalidCompany(field: "ownerAge", reason: "経営者の年齢 \(ownerAge) は15〜120で入力してください")
    }
    company.representative = Text.optional(representative)
    if let representative = company.representative, representative.count > 50 {
      throw .invalidCompany(field: "representative", reason: "代表者名は50文字までです")
    }
    if let phone = Text.optional(phone) {
      guard let normalised = Text.phone(phone) else {
        throw .invalidCompany(field: "phone", reason: "電話番号「\(phone)」は10桁以上の数字（ハイフン可）で入力してください")
      }
      company.phone = normalised
    } else {
      company.phone = nil
    }
    return company
  }
}

/// A partner's referral of a company (紹介), as the centre received it.
public struct Referral: Sendable, Hashable, Codable {
  /// The stream it was received on (its own case id, also when later attached to another case).
  public var id: CaseID
  public var partner: PartnerID
  /// The partner's name and type when it referred (reports by type count what it was then).
  public var partnerName: String
  public var partnerType: PartnerType
  /// The partner's staff member who referred it.
  public var partnerStaff: String
  /// The company's name as the partner gave it: all a partner sees without consent.
  @Personal public var companyName: String
  /// The day the partner referred it.
  public var referredOn: LocalDate
  /// The day the centre received it.
  public var receivedOn: LocalDate
  /// Why: what the partner says the company needs.
  @Personal public var reason: String
  /// The company agreed that the centre tells the partner how its case goes.
  public var consent: Bool
  /// Since when the centre supports the company on it (accepted, or attached to a case).
  public var supportedFrom: LocalDate?
}

/// How a consultation session took place.
public enum SessionKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// 来所.
  case atCentre = "at-centre"
  /// 訪問.
  case visit
  case phone
  case online
  case email

  public var japaneseName: String {
    switch self {
    case .atCentre: "来所"
    case .visit: "訪問"
    case .phone: "電話"
    case .online: "オンライン"
    case .email: "メール"
    }
  }
}

/// 相談: one consultation session. The national 相談回数 counts these; 相談者数 counts companies.
public struct Session: Sendable, Hashable, Codable {
  /// 1, 2, 3… within the case.
  public var number: Int
  public var on: LocalDate
  public var minutes: Int
  public var staff: UserID
  public var kind: SessionKind
  @Personal public var summary: String?
}

/// The field of an expert the centre sends (専門家派遣).
public enum ExpertField: String, Sendable, Hashable, Codable, CaseIterable {
  case taxAccountant = "tax-accountant"
  case lawyer
  case accountant
  case smeConsultant = "sme-consultant"
  case judicialScrivener = "judicial-scrivener"
  case other

  public var japaneseName: String {
    switch self {
    case .taxAccountant: "税理士"
    case .lawyer: "弁護士"
    case .accountant: "公認会計士"
    case .smeConsultant: "中小企業診断士"
    case .judicialScrivener: "司法書士"
    case .other: "その他"
    }
  }
}

/// 専門家派遣: an expert sent to the company.
public struct ExpertDispatch: Sendable, Hashable, Codable {
  public var on: LocalDate
  public var expert: String
  public var field: ExpertField
  public var purpose: String
}

/// A dated note in the case file.
public struct Note: Sendable, Hashable, Codable {
  public var on: LocalDate
  public var staff: UserID
  @Personal public var text: String
}

/// What is to be done next in the case, and by when.
public struct NextAction: Sendable, Hashable, Codable {
  public var text: String
  public var due: LocalDate
  public var setOn: LocalDate
}

/// The stage a case entered and the day it did.
public struct StageEntry: Sendable, Hashable, Codable {
  public var stage: Stage
  public var on: LocalDate
  public var reason: String?

  public init(stage: Stage, on: LocalDate, reason: String? = nil) {
    self.stage = stage
    self.on = on
    self.reason = reason
  }
}

/// A case, `case-<id>`: a partner's referral until the centre accepts or declines it, or a
/// direct consultation (web, phone, walk-in) that is a case at once; then its stages, sessions,
/// experts, notes, next action and staff, to its close.
///
/// Deciding a referral or an intake also writes the company index (``CompanyIndex``), so the
/// same company is never silently a second case; attaching a referral to a case writes both
/// case streams. The decisions are in CaseDecisions.swift.
public enum Case {
  public static let category = "case"

  public static func stream(_ id: CaseID) throws(EventLogError) -> StreamName { try StreamName(category: category, id: id.rawValue) }

  // MARK: Events

  /// A partner referred a company; the centre received it and has yet to accept or decline it.
  public struct ReferralReceived: RecordableEvent, Hashable {
    public static let eventType = "Succession.ReferralReceived"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var referral: Referral
    public var company: Company
    /// The case of the same company found in the index (by 法人番号, or by name and address).
    public var duplicateOf: CaseID?
    public var at: Timestamp
  }

  /// The referral became a case.
  public struct ReferralAccepted: RecordableEvent, Hashable {
    public static let eventType = "Succession.ReferralAccepted"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var side: Side
    public var kind: SuccessionKind
    public var assignee: UserID?
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The centre declined the referral.
  public struct ReferralDeclined: RecordableEvent, Hashable {
    public static let eventType = "Succession.ReferralDeclined"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var reason: String
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The referral is about a company that is a case already: it joined that case (on this, the referral's stream).
  public struct ReferralAttached: RecordableEvent, Hashable {
    public static let eventType = "Succession.ReferralAttached"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var to: CaseID
    public var on: LocalDate
    public var at: Timestamp
  }

  /// Another partner's referral joined this case (on the case's stream).
  public struct ReferralAdded: RecordableEvent, Hashable {
    public static let eventType = "Succession.ReferralAdded"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var referral: Referral
    public var on: LocalDate
    public var at: Timestamp
  }

  /// A consultation that came in directly (web, phone, walk-in) was opened as a case.
  public struct IntakeOpened: RecordableEvent, Hashable {
    public static let eventType = "Succession.IntakeOpened"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var route: Route
    public var company: Company
    public var side: Side
    public var kind: SuccessionKind
    public var assignee: UserID?
    /// What the company asked about.
    @Personal public var summary: String?
    public var duplicateOf: CaseID?
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The company gave or withdrew its consent to share its case with a referring partner.
  public struct ConsentChanged: RecordableEvent, Hashable {
    public static let eventType = "Succession.ConsentChanged"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var referral: CaseID
    public var consent: Bool
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The company's details were corrected or completed.
  public struct CompanyUpdated: RecordableEvent, Hashable {
    public static let eventType = "Succession.CompanyUpdated"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var company: Company
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The case's side or kind was set or changed.
  public struct Classified: RecordableEvent, Hashable {
    public static let eventType = "Succession.CaseClassified"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var side: Side
    public var kind: SuccessionKind
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The case moved to another stage (a closing is a move to a closed stage).
  public struct StageMoved: RecordableEvent, Hashable {
    public static let eventType = "Succession.StageMoved"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var from: Stage
    public var to: Stage
    public var reason: String?
    public var on: LocalDate
    public var at: Timestamp
  }

  /// A consultation session was held.
  public struct SessionRecorded: RecordableEvent, Hashable {
    public static let eventType = "Succession.SessionRecorded"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var session: Session
    public var at: Timestamp
  }

  /// An expert was sent to the company.
  public struct ExpertDispatched: RecordableEvent, Hashable {
    public static let eventType = "Succession.ExpertDispatched"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var dispatch: ExpertDispatch
    public var at: Timestamp
  }

  /// A dated note was added to the case file.
  public struct NoteAdded: RecordableEvent, Hashable {
    public static let eventType = "Succession.NoteAdded"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var note: Note
    public var at: Timestamp
  }

  /// The next action was set (replacing any before it).
  public struct NextActionSet: RecordableEvent, Hashable {
    public static let eventType = "Succession.NextActionSet"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var action: NextAction
    public var at: Timestamp
  }

  /// The next action was done.
  public struct NextActionDone: RecordableEvent, Hashable {
    public static let eventType = "Succession.NextActionDone"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var action: NextAction
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The case was given to a staff member (nil: nobody).
  public struct Assigned: RecordableEvent, Hashable {
    public static let eventType = "Succession.CaseAssigned"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var staff: UserID?
    public var previous: UserID?
    public var on: LocalDate
    public var at: Timestamp
  }

  /// A later detail (a 法人番号 added) showed the company is the one of another case.
  public struct DuplicateFlagged: RecordableEvent, Hashable {
    public static let eventType = "Succession.DuplicateFlagged"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var of: CaseID
    public var on: LocalDate
    public var at: Timestamp
  }

  /// Staff found the flagged duplicate to be another company after all.
  public struct DuplicateCleared: RecordableEvent, Hashable {
    public static let eventType = "Succession.DuplicateCleared"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var of: CaseID
    public var reason: String
    public var on: LocalDate
    public var at: Timestamp
  }

  /// Why a case's personal data was erased.
  public enum ErasureReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The retention period after the case closed has passed.
    case retention
    /// The company or person asked for it (a manager's decision).
    case request

    public var japaneseName: String { self == .retention ? "保存期間の経過" : "本人からの申出" }
  }

  /// The case's personal data was erased: its keys (``owners``) are destroyed right after this
  /// event is recorded, and every read model clears the plaintext it held. What is left is what
  /// the KPIs count by.
  public struct PersonalDataErased: RecordableEvent, Hashable {
    public static let eventType = "Succession.PersonalDataErased"
    public static let schemaVersion = 1
    public var caseID: CaseID
    /// The key owners destroyed: the case's, and those of the referrals it took in.
    public var owners: [String]
    public var reason: ErasureReason
    public var on: LocalDate
    public var at: Timestamp
  }

  /// Every event of a case stream.
  public enum Event: Sendable, Hashable {
    case referralReceived(ReferralReceived)
    case referralAccepted(ReferralAccepted)
    case referralDeclined(ReferralDeclined)
    case referralAttached(ReferralAttached)
    case referralAdded(ReferralAdded)
    case intakeOpened(IntakeOpened)
    case consentChanged(ConsentChanged)
    case companyUpdated(CompanyUpdated)
    case classified(Classified)
    case stageMoved(StageMoved)
    case sessionRecorded(SessionRecorded)
    case expertDispatched(ExpertDispatched)
    case noteAdded(NoteAdded)
    case nextActionSet(NextActionSet)
    case nextActionDone(NextActionDone)
    case assigned(Assigned)
    case duplicateFlagged(DuplicateFlagged)
    case duplicateCleared(DuplicateCleared)
    case personalDataErased(PersonalDataErased)
  }

  // MARK: State

  /// Where a case stream is.
  public enum Phase: String, Sendable, Hashable, Codable {
    /// A referral the centre has not yet accepted or declined.
    case referred
    case declined
    /// A referral that joined another case (``Record/attachedTo``).
    case attached
    /// A case in one of the open stages.
    case open
    /// A case in a closed stage.
    case closed

    public var japaneseName: String {
      switch self {
      case .referred: "受付待ち"
      case .declined: "見送り"
      case .attached: "既存案件に統合"
      case .open: "支援中"
      case .closed: "終了"
      }
    }
  }

  /// A case as its stream tells it.
  public struct Record: Sendable, Hashable, Codable {
    public var id: CaseID
    public var phase: Phase
    public var company: Company
    public var route: Route
    /// The referrals of the company: the one received on this stream first (when it was one),
    /// then those attached later.
    public var referrals: [Referral]
    /// The day the centre received the referral or the consultation: the case's intake date.
    public var receivedOn: LocalDate
    public var acceptedOn: LocalDate?
    /// Why and when the referral was declined.
    public var declinedReason: String?
    public var declinedOn: LocalDate?
    public var attachedTo: CaseID?
    public var side: Side?
    public var kind: SuccessionKind
    /// Every stage entered, in order; the first is intake (empty for a referral not yet accepted).
    public var stages: [StageEntry]
    public var sessions: [Session]
    public var experts: [ExpertDispatch]
    public var notes: [Note]
    public var nextAction: NextAction?
    public var assignee: UserID?
    public var duplicateOf: CaseID?
    /// What the company asked about (a direct intake).
    public var summary: String?
    /// The day its personal data was erased: nothing more is decided on it.
    public var erasedOn: LocalDate? = nil

    /// The stage now, for an accepted case.
    public var stage: Stage? { phase == .open || phase == .closed ? stages.last?.stage : nil }

    /// The day the case closed.
    public var closedOn: LocalDate? { phase == .closed ? stages.last?.on : nil }

    /// The day the current stage began.
    public var stageSince: LocalDate? { stages.last?.on }

    /// Accepted or opened, whether open or closed since.
    public var isCase: Bool { phase == .open || phase == .closed }
  }

  /// nil until the referral or intake that starts the stream.
  public typealias State = Record?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    switch event {
    case .referralReceived(let e):
      return Record(
        id: e.caseID, phase: .referred, company: e.company, route: .partner, referrals: [e.referral], receivedOn: e.referral.receivedOn,
        acceptedOn: nil, declinedReason: nil, declinedOn: nil, attachedTo: nil, side: nil, kind: .undecided, stages: [], sessions: [],
        experts: [], notes: [], nextAction: nil, assignee: nil, duplicateOf: e.duplicateOf, summary: nil)
    case .intakeOpened(let e):
      return Record(
        id: e.caseID, phase: .open, company: e.company, route: e.route, referrals: [], receivedOn: e.on, acceptedOn: e.on,
        declinedReason: nil, declinedOn: nil, attachedTo: nil, side: e.side, kind: e.kind, stages: [StageEntry(stage: .intake, on: e.on)],
        sessions: [], experts: [], notes: [], nextAction: nil, assignee: e.assignee, duplicateOf: e.duplicateOf, summary: e.summary)
    default: break
    }
    guard var record = state else { return state }
    switch event {
    case .referralReceived, .intakeOpened: break
    case .referralAccepted(let e):
      record.phase = .open
      record.acceptedOn = e.on
      record.side = e.side
      record.kind = e.kind
      record.assignee = e.assignee
      // The case's intake is the day the referral was received; triage is part of it.
      record.stages = [StageEntry(stage: .intake, on: record.receivedOn)]
      if let index = record.referrals.firstIndex(where: { $0.id == record.id }) { record.referrals[index].supportedFrom = e.on }
    case .referralDeclined(let e):
      record.phase = .declined
      record.declinedReason = e.reason
      record.declinedOn = e.on
    case .referralAttached(let e):
      record.phase = .attached
      record.attachedTo = e.to
    case .referralAdded(let e):
      var referral = e.referral
      referral.supportedFrom = e.on
      record.referrals.append(referral)
    case .consentChanged(let e):
      if let index = record.referrals.firstIndex(where: { $0.id == e.referral }) { record.referrals[index].consent = e.consent }
    case .companyUpdated(let e):
      record.company = e.company
    case .classified(let e):
      record.side = e.side
      record.kind = e.kind
    case .stageMoved(let e):
      record.stages.append(StageEntry(stage: e.to, on: e.on, reason: e.reason))
      record.phase = e.to.isClosed ? .closed : .open
    case .sessionRecorded(let e):
      record.sessions.append(e.session)
    case .expertDispatched(let e):
      record.experts.append(e.dispatch)
    case .noteAdded(let e):
      record.notes.append(e.note)
    case .nextActionSet(let e):
      record.nextAction = e.action
    case .nextActionDone:
      record.nextAction = nil
    case .assigned(let e):
      record.assignee = e.staff
    case .duplicateFlagged(let e):
      record.duplicateOf = e.of
    case .duplicateCleared:
      record.duplicateOf = nil
    case .personalDataErased(let e):
      record.erasePersonalData()
      record.erasedOn = e.on
    }
    return record
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(ReferralReceived.self, embed: Event.referralReceived) { if case .referralReceived(let e) = $0 { e } else { nil } }
    codec.register(ReferralAccepted.self, embed: Event.referralAccepted) { if case .referralAccepted(let e) = $0 { e } else { nil } }
    codec.register(ReferralDeclined.self, embed: Event.referralDeclined) { if case .referralDeclined(let e) = $0 { e } else { nil } }
    codec.register(ReferralAttached.self, embed: Event.referralAttached) { if case .referralAttached(let e) = $0 { e } else { nil } }
    codec.register(ReferralAdded.self, embed: Event.referralAdded) { if case .referralAdded(let e) = $0 { e } else { nil } }
    codec.register(IntakeOpened.self, embed: Event.intakeOpened) { if case .intakeOpened(let e) = $0 { e } else { nil } }
    codec.register(ConsentChanged.self, embed: Event.consentChanged) { if case .consentChanged(let e) = $0 { e } else { nil } }
    codec.register(CompanyUpdated.self, embed: Event.companyUpdated) { if case .companyUpdated(let e) = $0 { e } else { nil } }
    codec.register(Classified.self, embed: Event.classified) { if case .classified(let e) = $0 { e } else { nil } }
    codec.register(StageMoved.self, embed: Event.stageMoved) { if case .stageMoved(let e) = $0 { e } else { nil } }
    codec.register(SessionRecorded.self, embed: Event.sessionRecorded) { if case .sessionRecorded(let e) = $0 { e } else { nil } }
    codec.register(ExpertDispatched.self, embed: Event.expertDispatched) { if case .expertDispatched(let e) = $0 { e } else { nil } }
    codec.register(NoteAdded.self, embed: Event.noteAdded) { if case .noteAdded(let e) = $0 { e } else { nil } }
    codec.register(NextActionSet.self, embed: Event.nextActionSet) { if case .nextActionSet(let e) = $0 { e } else { nil } }
    codec.register(NextActionDone.self, embed: Event.nextActionDone) { if case .nextActionDone(let e) = $0 { e } else { nil } }
    codec.register(Assigned.self, embed: Event.assigned) { if case .assigned(let e) = $0 { e } else { nil } }
    codec.register(DuplicateFlagged.self, embed: Event.duplicateFlagged) { if case .duplicateFlagged(let e) = $0 { e } else { nil } }
    codec.register(DuplicateCleared.self, embed: Event.duplicateCleared) { if case .duplicateCleared(let e) = $0 { e } else { nil } }
    codec.register(PersonalDataErased.self, embed: Event.personalDataErased) { if case .personalDataErased(let e) = $0 { e } else { nil } }
    return codec
  }()
}

extension Case {
  /// The key owner of a case's personal data (its stream's name, so owners of other streams never collide).
  public static func personalDataOwner(_ id: CaseID) -> String { "\(category)-\(id.rawValue)" }
}

extension Case.Record {
  /// Every personal field as it reads once erased (``PersonalValue/erased``); the rest is kept.
  mutating func erasePersonalData() {
    company.name = .erased
    company.nameKana = nil
    company.address = nil
    company.representative = nil
    company.phone = nil
    for index in referrals.indices {
      referrals[index].companyName = .erased
      referrals[index].reason = .erased
    }
    summary = nil
    for index in sessions.indices { sessions[index].summary = nil }
    for index in notes.indices { notes[index].text = .erased }
  }

  /// The day a closed case closed or a referral was declined; nil while neither (an open case, a
  /// referral waiting, one attached to another case).
  public var endedOn: LocalDate? {
    switch phase {
    case .closed: closedOn ?? receivedOn
    case .declined: declinedOn ?? receivedOn
    case .referred, .open, .attached: nil
    }
  }

  /// The first day the case's personal data is erased for retention, `days` after it ended; nil
  /// while it has not ended (or the day is past the calendar's range).
  public func retentionEnds(afterDays days: Int) -> LocalDate? {
    try? endedOn?.adding(days: max(0, days))
  }

  /// The key owners of the case's personal data: its own and its referrals'.
  public var personalDataOwners: [String] {
    var owners = [Case.personalDataOwner(id)]
    for referral in referrals where referral.id != id { owners.append(Case.personalDataOwner(referral.id)) }
    return owners
  }
}

extension Case.ReferralReceived: HoldsPersonalData {
  public var personalDataOwner: String { Case.personalDataOwner(caseID) }
}

extension Case.ReferralAdded: HoldsPersonalData {
  public var personalDataOwner: String { Case.personalDataOwner(caseID) }
}

extension Case.IntakeOpened: HoldsPersonalData {
  public var personalDataOwner: String { Case.personalDataOwner(caseID) }
}

extension Case.CompanyUpdated: HoldsPersonalData {
  public var personalDataOwner: String { Case.personalDataOwner(caseID) }
}

extension Case.SessionRecorded: HoldsPersonalData {
  public var personalDataOwner: String { Case.personalDataOwner(caseID) }
}

extension Case.NoteAdded: HoldsPersonalData {
  public var personalDataOwner: String { Case.personalDataOwner(caseID) }
}
