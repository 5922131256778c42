public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``SuccessorID``.
public enum SuccessorTag {}
/// A would-be successor of the 後継者人材バンク: `2022-015`, the fiscal year of registration and a number.
public typealias SuccessorID = ID<SuccessorTag>

/// Age in the bands the bank reports (年代).
public enum AgeBand: String, Sendable, Hashable, Codable, CaseIterable {
  /// 20代以下.
  case upTo29 = "up-to-29"
  /// 30代.
  case thirties = "30s"
  /// 40代.
  case forties = "40s"
  /// 50代.
  case fifties = "50s"
  /// 60代以上.
  case sixtiesAndOver = "60s-and-over"

  public var japaneseName: String {
    switch self {
    case .upTo29: "20代以下"
    case .thirties: "30代"
    case .forties: "40代"
    case .fifties: "50代"
    case .sixtiesAndOver: "60代以上"
    }
  }
}

/// The own funds a would-be successor can bring (自己資金).
public enum FundsBand: String, Sendable, Hashable, Codable, CaseIterable {
  /// 500万円以下.
  case upTo5m = "up-to-5m"
  /// 500万円超〜1千万円以下.
  case upTo10m = "5m-10m"
  /// 1千万円超〜3千万円以下.
  case upTo30m = "10m-30m"
  /// 3千万円超.
  case over30m = "over-30m"

  public var japaneseName: String {
    switch self {
    case .upTo5m: "500万円以下"
    case .upTo10m: "500万円超1千万円以下"
    case .upTo30m: "1千万円超3千万円以下"
    case .over30m: "3千万円超"
    }
  }
}

/// A would-be successor as registered. Name, reading, contact details and the free-text
/// experience are personal data (sealed in the log under the successor's key); the bands,
/// region and industries are the statistics' dimensions and stay plain.
public struct SuccessorDetails: Sendable, Hashable, Codable {
  @Personal public var name: String
  /// フリガナ, in katakana.
  @Personal public var nameKana: String?
  @Personal public var phone: String?
  @Personal public var email: String?
  @Personal public var address: String?
  public var ageBand: AgeBand
  public var region: Region
  /// The industries they would take over (empty: any).
  public var wantedIndustries: [Industry]
  /// 職歴・経験: free text.
  @Personal public var experience: String?
  public var funds: FundsBand
  /// The partner that sent them (e.g. after a 商工会議所の創業セミナー).
  public var referredBy: PartnerID?

  public init(
    name: String, nameKana: String? = nil, phone: String? = nil, email: String? = nil, address: String? = nil, ageBand: AgeBand, region: Region,
    wantedIndustries: [Industry] = [], experience: String? = nil, funds: FundsBand, referredBy: PartnerID? = nil
  ) {
    self.name = name
    self.nameKana = nameKana
    self.phone = phone
    self.email = email
    self.address = address
    self.ageBand = ageBand
    self.region = region
    self.wantedIndustries = wantedIndustries
    self.experience = experience
    self.funds = funds
    self.referredBy = referredBy
  }
}

/// 後継者人材バンク: people who want to take over a business (often after a 創業セミナー), one
/// stream each, `successor-<id>`: registered, details updated, interviews, and the end of their
/// registration: withdrawn, or matched through a closed proposal (``Matching``).
///
/// Personal data is sealed under ``personalDataOwner(_:)`` (the stream name), so erasing a
/// successor destroys that one key.
public enum SuccessorBank {
  public static let category = "successor"

  public static func stream(_ id: SuccessorID) throws(EventLogError) -> StreamName { try StreamName(category: category, id: id.rawValue) }

  /// The owner of the successor's personal-data key: the stream name `successor-<id>`.
  public static func personalDataOwner(_ id: SuccessorID) -> String { "\(category)-\(id.rawValue)" }

  // MARK: Events

  /// A would-be successor was registered after the registration interview.
  public struct Registered: RecordableEvent, Hashable, HoldsPersonalData {
    public static let eventType = "Succession.SuccessorRegistered"
    public static let schemaVersion = 1
    public var successor: SuccessorID
    public var details: SuccessorDetails
    /// The referring partner's type when they were sent (reports count what it was then).
    public var referrerType: PartnerType?
    public var registeredOn: LocalDate
    public var by: UserID
    public var at: Timestamp
    public var personalDataOwner: String { SuccessorBank.personalDataOwner(successor) }
  }

  /// Their details were corrected or completed.
  public struct DetailsUpdated: RecordableEvent, Hashable, HoldsPersonalData {
    public static let eventType = "Succession.SuccessorDetailsUpdated"
    public static let schemaVersion = 1
    public var successor: SuccessorID
    public var details: SuccessorDetails
    public var on: LocalDate
    public var by: UserID
    public var at: Timestamp
    public var personalDataOwner: String { SuccessorBank.personalDataOwner(successor) }
  }

  /// An interview with them (面談) was held.
  public struct InterviewRecorded: RecordableEvent, Hashable, HoldsPersonalData {
    public static let eventType = "Succession.SuccessorInterviewRecorded"
    public static let schemaVersion = 1
    public var successor: SuccessorID
    public var on: LocalDate
    public var by: UserID
    @Personal public var note: String?
    public var at: Timestamp
    public var personalDataOwner: String { SuccessorBank.personalDataOwner(successor) }
  }

  /// They left the bank.
  public struct Withdrawn: RecordableEvent, Hashable, HoldsPersonalData {
    public static let eventType = "Succession.SuccessorWithdrawn"
    public static let schemaVersion = 1
    public var successor: SuccessorID
    @Personal public var reason: String
    public var on: LocalDate
    public var by: UserID
    public var at: Timestamp
    public var personalDataOwner: String { SuccessorBank.personalDataOwner(successor) }
  }

  /// They took over a business: the proposal that brought them to it closed (成約).
  public struct Matched: RecordableEvent, Hashable {
    public static let eventType = "Succession.SuccessorMatched"
    public static let schemaVersion = 1
    public var successor: SuccessorID
    public var proposal: ProposalID
    /// The seller case they take over.
    public var seller: CaseID
    public var on: LocalDate
    public var by: UserID
    public var at: Timestamp
  }

  /// Every event of a successor stream.
  public enum Event: Sendable, Hashable {
    case registered(Registered)
    case detailsUpdated(DetailsUpdated)
    case interviewRecorded(InterviewRecorded)
    case withdrawn(Withdrawn)
    case matched(Matched)
  }

  // MARK: State

  /// Where a registration is.
  public enum Status: String, Sendable, Hashable, Codable {
    /// 登録中: may be proposed to sellers.
    case active
    /// 登録取消.
    case withdrawn
    /// 成約.
    case matched

    public var japaneseName: String {
      switch self {
      case .active: "登録中"
      case .withdrawn: "登録取消"
      case .matched: "成約"
      }
    }
  }

  /// An interview held.
  public struct Interview: Sendable, Hashable, Codable {
    public var on: LocalDate
    public var by: UserID
    public var note: String?
  }

  /// A successor as the stream tells it.
  public struct Record: Sendable, Hashable, Codable {
    public var id: SuccessorID
    public var details: SuccessorDetails
    public var status: Status
    public var registeredOn: LocalDate
    public var interviews: [Interview]
    public var endedOn: LocalDate?
    public var withdrawalReason: String?
    public var matchedBy: ProposalID?

    /// The latest day anything was recorded.
    var lastOn: LocalDate { ([registeredOn, endedOn].compactMap { $0 } + interviews.map(\.on)).max() ?? registeredOn }
  }

  /// nil until registered.
  public typealias State = Record?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    if case .registered(let e) = event {
      return Record(
        id: e.successor, details: e.details, status: .active, registeredOn: e.registeredOn, interviews: [], endedOn: nil, withdrawalReason: nil,
        matchedBy: nil)
    }
    guard var record = state else { return state }
    switch event {
    case .registered: break
    case .detailsUpdated(let e): record.details = e.details
    case .interviewRecorded(let e): record.interviews.append(Interview(on: e.on, by: e.by, note: e.note))
    case .withdrawn(let e):
      record.status = .withdrawn
      record.endedOn = e.on
      record.withdrawalReason = e.reason
    case .matched(let e):
      record.status = .matched
      record.endedOn = e.on
      record.matchedBy = e.proposal
    }
    return record
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Registered.self, embed: Event.registered) { if case .registered(let e) = $0 { e } else { nil } }
    codec.register(DetailsUpdated.self, embed: Event.detailsUpdated) { if case .detailsUpdated(let e) = $0 { e } else { nil } }
    codec.register(InterviewRecorded.self, embed: Event.interviewRecorded) { if case .interviewRecorded(let e) = $0 { e } else { nil } }
    codec.register(Withdrawn.self, embed: Event.withdrawn) { if case .withdrawn(let e) = $0 { e } else { nil } }
    codec.register(Matched.self, embed: Event.matched) { if case .matched(let e) = $0 { e } else { nil } }
    return codec
  }()

  // MARK: Decisions

  /// Registers a would-be successor, registered on `date` (today or earlier). A referring
  /// partner must be in the network.
  ///
  /// - Parameter partners: the partner registry, as read (for ``SuccessorDetails/referredBy``).
  public static func register(
    _ id: SuccessorID, _ details: SuccessorDetails, on date: LocalDate, by staff: UserID, partners: Partners.State, _ state: State,
    _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    guard state == nil else { throw .successorExists(id) }
    let details = try checked(details)
    var referrerType: PartnerType?
    if let referrer = details.referredBy {
      guard let partner = partners.partner(referrer) else { throw .unknownPartner(referrer) }
      guard partner.active else { throw .partnerLeft(partner.id, name: partner.name) }
      referrerType = partner.type
    }
    guard date <= context.today else { throw .dateInFuture(field: "registeredOn", date, today: context.today) }
    return [
      .registered(Registered(successor: id, details: details, referrerType: referrerType, registeredOn: date, by: staff, at: Timestamp(context.at)))
    ]
  }

  /// Corrects or completes the details (the same again records nothing); also after the registration ended.
  public static func update(_ details: SuccessorDetails, by staff: UserID, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    let details = try checked(details)
    if details.referredBy != record.details.referredBy {
      throw .invalidSuccessor(field: "referredBy", reason: "紹介元の機関は登録後に変えられません（登録時の紹介として集計されるため）")
    }
    guard details != record.details else { return [] }
    return [.detailsUpdated(DetailsUpdated(successor: record.id, details: details, on: context.today, by: staff, at: Timestamp(context.at)))]
  }

  /// Records an interview held on `date` (not before registration, not in the future), while registered.
  public static func recordInterview(
    on date: LocalDate, by staff: UserID, note: String?, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard record.status == .active else { throw .successorNotActive(record.id, record.status, action: "面談を記録する") }
    try Case.checkDate(date, field: "on", notBefore: record.registeredOn, what: "登録日", context)
    let note = Text.optional(note)
    if let note, note.count > 4000 { throw .invalidSuccessor(field: "note", reason: "面談の記録は4000文字までです") }
    return [.interviewRecorded(InterviewRecorded(successor: record.id, on: date, by: staff, note: note, at: Timestamp(context.at)))]
  }

  /// Ends the registration at their request or the centre's, with the reason.
  public static func withdraw(
    reason: String, on date: LocalDate, by staff: UserID, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard record.status == .active else { throw .successorNotActive(record.id, record.status, action: "登録を取り消す") }
    guard let reason = Text.required(reason, limit: 2000) else { throw .reasonRequired(action: "人材バンクの登録取消") }
    try Case.checkDate(date, field: "on", notBefore: record.lastOn, what: "最後の記録日", context)
    return [.withdrawn(Withdrawn(successor: record.id, reason: reason, on: date, by: staff, at: Timestamp(context.at)))]
  }

  /// Records that they took over the seller's business: `proposal` (between them and a
  /// seller) closed. The service decides this right after closing such a proposal.
  ///
  /// - Parameter proposal: the proposal's stream, as read.
  public static func match(
    proposal: Matching.ProposalState, by staff: UserID, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard let proposal, proposal.counterpart == .candidate(record.id) else {
      throw .invalidSuccessor(field: "proposal", reason: "その提案は登録者 \(record.id) への提案ではありません")
    }
    guard let ending = proposal.ending, ending.outcome == .closed else { throw .proposalNotClosed(proposal.id) }
    if record.matchedBy == proposal.id { return [] }
    guard record.status == .active else { throw .successorNotActive(record.id, record.status, action: "成約を記録する") }
    return [
      .matched(Matched(successor: record.id, proposal: proposal.id, seller: proposal.seller, on: ending.on, by: staff, at: Timestamp(context.at)))
    ]
  }

  static func existing(_ state: State) throws(SuccessionError) -> Record {
    guard let state else { throw .unknownSuccessor(nil) }
    return state
  }

  /// The details as recorded: text trimmed, the reading in katakana, the phone in ASCII; or the first field that is wrong.
  static func checked(_ details: SuccessorDetails) throws(SuccessionError) -> SuccessorDetails {
    var details = details
    guard let name = Text.required(details.name, limit: 50) else { throw .invalidSuccessor(field: "name", reason: "氏名は1〜50文字で入力してください") }
    details.name = name
    if let kana = Text.optional(details.nameKana) {
      guard let reading = CompanyMatching.katakana(kana), reading.count <= 100 else {
        throw .invalidSuccessor(field: "nameKana", reason: "フリガナ「\(kana)」はカタカナまたはひらがなで100文字まで入力してください")
      }
      details.nameKana = reading
    } else {
      details.nameKana = nil
    }
    if let phone = Text.optional(details.phone) {
      guard let normalised = Text.phone(phone) else {
        throw .invalidSuccessor(field: "phone", reason: "電話番号「\(phone)」は10桁以上の数字（ハイフン可）で入力してください")
      }
      details.phone = normalised
    } else {
      details.phone = nil
    }
    if let email = Text.optional(details.email) {
      guard isEmail(email) else { throw .invalidSuccessor(field: "email", reason: "メールアドレス「\(email)」の形式が正しくありません（例: taro@example.jp）") }
      details.email = email
    } else {
      details.email = nil
    }
    guard details.phone != nil || details.email != nil else {
      throw .invalidSuccessor(field: "phone", reason: "連絡先として電話番号かメールアドレスのどちらかを入力してください")
    }
    details.address = Text.optional(details.address)
    if let address = details.address, address.count > 200 { throw .invalidSuccessor(field: "address", reason: "住所は200文字までです") }
    details.experience = Text.optional(details.experience)
    if let experience = details.experience, experience.count > 2000 {
      throw .invalidSuccessor(field: "experience", reason: "職歴・経験は2000文字までです")
    }
    guard Set(details.wantedIndustries).count == details.wantedIndustries.count else {
      throw .invalidSuccessor(field: "wantedIndustries", reason: "希望業種に同じ業種が重複しています")
    }
    return details
  }

  /// A sanity check, not RFC 5322: one `@`, something before it, a dotted domain after it, no spaces, ASCII.
  static func isEmail(_ text: String) -> Bool {
    guard text.count <= 254, text.unicodeScalars.allSatisfy({ $0.isASCII && !$0.properties.isWhitespace }) else { return false }
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
    let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
    return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
  }
}
