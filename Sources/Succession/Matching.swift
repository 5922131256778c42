public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``ProposalID``.
public enum ProposalTag {}
/// A match proposal: given by the service (e.g. `2022-0007-2022-0019`, seller and buyer case), or opaque.
public typealias ProposalID = ID<ProposalTag>

/// Employees in the bands an anonymous profile shows (従業員数).
public enum EmployeesBand: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// 5人以下.
  case upTo5 = "up-to-5"
  /// 6〜20人.
  case upTo20 = "6-20"
  /// 21〜50人.
  case upTo50 = "21-50"
  /// 51〜100人.
  case upTo100 = "51-100"
  /// 101人以上.
  case over100 = "over-100"

  public var japaneseName: String {
    switch self {
    case .upTo5: "5人以下"
    case .upTo20: "6〜20人"
    case .upTo50: "21〜50人"
    case .upTo100: "51〜100人"
    case .over100: "101人以上"
    }
  }

  /// The band of `employees` (negative counts as the lowest band).
  public init(employees: Int) {
    switch employees {
    case ...5: self = .upTo5
    case ...20: self = .upTo20
    case ...50: self = .upTo50
    case ...100: self = .upTo100
    default: self = .over100
    }
  }

  public static func < (lhs: EmployeesBand, rhs: EmployeesBand) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }
}

/// A price in the bands profiles show: a seller's asking price (希望譲渡価格), a buyer's budget (予算).
public enum PriceBand: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// 1千万円以下.
  case upTo10m = "up-to-10m"
  /// 1千万円超〜3千万円以下.
  case upTo30m = "10m-30m"
  /// 3千万円超〜1億円以下.
  case upTo100m = "30m-100m"
  /// 1億円超〜3億円以下.
  case upTo300m = "100m-300m"
  /// 3億円超.
  case over300m = "over-300m"

  public var japaneseName: String {
    switch self {
    case .upTo10m: "1千万円以下"
    case .upTo30m: "1千万円超3千万円以下"
    case .upTo100m: "3千万円超1億円以下"
    case .upTo300m: "1億円超3億円以下"
    case .over300m: "3億円超"
    }
  }

  /// The band's place from the lowest (0).
  public var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

  public static func < (lhs: PriceBand, rhs: PriceBand) -> Bool { lhs.rank < rhs.rank }
}

/// Why the owner sells (譲渡理由).
public enum SaleReason: String, Sendable, Hashable, Codable, CaseIterable {
  /// 後継者不在.
  case noSuccessor = "no-successor"
  /// 事業の選択と集中.
  case focus
  /// 経営者の高齢・健康.
  case ageOrHealth = "age-or-health"
  /// その他.
  case other

  public var japaneseName: String {
    switch self {
    case .noSuccessor: "後継者不在"
    case .focus: "事業の選択と集中"
    case .ageOrHealth: "経営者の高齢・健康"
    case .other: "その他"
    }
  }
}

/// A selling case's anonymous profile (ノンネーム): what buyers see before the company agrees
/// to tell them its name. Nothing in it names the company; the teaser is checked for the
/// company's name and reading when published (``Matching/Profiles/publish(_:case:by:on:_:_:)``).
public struct SellerProfile: Sendable, Hashable, Codable {
  public var industry: Industry
  public var region: Region
  public var salesBand: SalesBand
  public var employees: EmployeesBand
  public var askingPrice: PriceBand
  public var reason: SaleReason
  /// The teaser (ノンネームの概要): written to be anonymous and shown to the other side, so plain.
  public var summary: String

  public init(
    industry: Industry, region: Region, salesBand: SalesBand, employees: EmployeesBand, askingPrice: PriceBand, reason: SaleReason, summary: String
  ) {
    self.industry = industry
    self.region = region
    self.salesBand = salesBand
    self.employees = employees
    self.askingPrice = askingPrice
    self.reason = reason
    self.summary = summary
  }
}

/// A buying case's anonymous profile: what it looks for. Empty industries or regions: any.
public struct BuyerProfile: Sendable, Hashable, Codable {
  public var industries: [Industry]
  public var regions: [Region]
  /// The most it means to pay.
  public var budget: PriceBand
  /// The teaser (plain, as for the seller's).
  public var summary: String

  public init(industries: [Industry], regions: [Region], budget: PriceBand, summary: String) {
    self.industries = industries
    self.regions = regions
    self.budget = budget
    self.summary = summary
  }
}

/// A case's anonymous profile, of its side. Stored as `{"side": "selling", "seller": {…}}` or
/// `{"side": "buying", "buyer": {…}}`.
public enum Profile: Sendable, Hashable, Codable {
  case seller(SellerProfile)
  case buyer(BuyerProfile)

  /// The side a case must be on to publish it.
  public var side: Side {
    switch self {
    case .seller: .selling
    case .buyer: .buying
    }
  }

  /// The teaser.
  public var summary: String {
    switch self {
    case .seller(let profile): profile.summary
    case .buyer(let profile): profile.summary
    }
  }

  private enum Keys: String, CodingKey { case side, seller, buyer }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Keys.self)
    switch try container.decode(Side.self, forKey: .side) {
    case .selling: self = .seller(try container.decode(SellerProfile.self, forKey: .seller))
    case .buying: self = .buyer(try container.decode(BuyerProfile.self, forKey: .buyer))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    try container.encode(side, forKey: .side)
    switch self {
    case .seller(let profile): try container.encode(profile, forKey: .seller)
    case .buyer(let profile): try container.encode(profile, forKey: .buyer)
    }
  }
}

/// The other side of a proposal to a seller: a buying case, or a would-be successor of the
/// 後継者人材バンク. Stored as `{"kind": "buyer", "id": "2022-0019"}`.
public enum Counterpart: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
  case buyer(CaseID)
  case candidate(SuccessorID)

  /// `buyer:2022-0019`, `candidate:2022-015`: also the order of counterparts.
  public var description: String {
    switch self {
    case .buyer(let id): "buyer:\(id)"
    case .candidate(let id): "candidate:\(id)"
    }
  }

  public var japaneseName: String {
    switch self {
    case .buyer(let id): "譲受案件 \(id)"
    case .candidate(let id): "後継者人材バンク登録者 \(id)"
    }
  }

  public static func < (lhs: Counterpart, rhs: Counterpart) -> Bool { lhs.description < rhs.description }

  private enum Keys: String, CodingKey { case kind, id }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Keys.self)
    switch try container.decode(String.self, forKey: .kind) {
    case "buyer": self = .buyer(try container.decode(CaseID.self, forKey: .id))
    case "candidate": self = .candidate(try container.decode(SuccessorID.self, forKey: .id))
    case let kind: throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown counterpart kind '\(kind)'")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    switch self {
    case .buyer(let id):
      try container.encode("buyer", forKey: .kind)
      try container.encode(id, forKey: .id)
    case .candidate(let id):
      try container.encode("candidate", forKey: .kind)
      try container.encode(id, forKey: .id)
    }
  }
}

/// A step of a proposal, in the order of the 中小M&Aガイドライン.
public enum ProposalStep: String, Sendable, Hashable, Codable, CaseIterable {
  /// 打診 (ノンネームでの提案).
  case proposed
  /// 譲渡側による社名開示の同意.
  case identityConsent = "identity-consent"
  /// 秘密保持契約 (NDA).
  case nda
  /// トップ面談.
  case topMeeting = "top-meeting"
  /// 基本合意.
  case basicAgreement = "basic-agreement"

  public var japaneseName: String {
    switch self {
    case .proposed: "打診"
    case .identityConsent: "社名開示の同意"
    case .nda: "秘密保持契約"
    case .topMeeting: "トップ面談"
    case .basicAgreement: "基本合意"
    }
  }
}

/// How a proposal ended.
public enum ProposalOutcome: String, Sendable, Hashable, Codable, CaseIterable {
  /// 成約.
  case closed
  /// 不成立: the parties broke off (a reason is recorded).
  case brokenOff = "broken-off"
  /// 取下げ: the centre withdrew the proposal.
  case withdrawn

  public var japaneseName: String {
    switch self {
    case .closed: "成約"
    case .brokenOff: "不成立"
    case .withdrawn: "取下げ"
    }
  }
}

/// Why a profile was taken off the list.
public enum ProfileWithdrawal: String, Sendable, Hashable, Codable, CaseIterable {
  /// 成約した.
  case dealClosed = "deal-closed"
  /// 案件が終了した.
  case caseClosed = "case-closed"
  /// 会社の申し出.
  case companyRequest = "company-request"
  case other

  public var japaneseName: String {
    switch self {
    case .dealClosed: "成約"
    case .caseClosed: "案件終了"
    case .companyRequest: "会社の申し出"
    case .other: "その他"
    }
  }
}

/// 第三者承継のマッチング: anonymous profiles of selling and buying cases, and the proposals that
/// bring a seller and a counterpart (a buyer case or a 人材バンク candidate) from the first,
/// anonymous 打診 through 秘密保持契約, トップ面談 and 基本合意 to 成約 or 不成立.
///
/// Three streams:
/// - `profile-<caseID>` (``Profiles``): the case's anonymous profile, published, updated, withdrawn.
/// - `proposal-<id>` (``Proposals``): one proposal's steps and its ending.
/// - `pairs-<sellerCaseID>` (``Pairs``): which proposals of the seller are open, by counterpart.
///   It is the consistency boundary for "one open proposal per pair": proposing and ending a
///   proposal write it in the same append as the proposal's own stream, with the version read,
///   so two staff proposing the same pair at once conflict instead of both succeeding (a read
///   model of proposals would let both through). It is small: one event per proposal opened
///   or ended.
///
/// The decisions are in MatchingDecisions.swift.
public enum Matching {
  /// A proposal as its stream tells it (``Proposals/Record``).
  public typealias ProposalState = Proposals.State

  // MARK: - Profiles

  /// A case's anonymous profile, `profile-<caseID>`.
  public enum Profiles {
    public static let category = "profile"

    public static func stream(_ caseID: CaseID) throws(EventLogError) -> StreamName { try StreamName(category: category, id: caseID.rawValue) }

    /// The profile went on the list (first, or again after a withdrawal).
    public struct Published: RecordableEvent, Hashable {
      public static let eventType = "Succession.ProfilePublished"
      public static let schemaVersion = 1
      public var caseID: CaseID
      public var profile: Profile
      public var on: LocalDate
      public var by: UserID
      public var at: Timestamp
    }

    /// The published profile was changed.
    public struct Updated: RecordableEvent, Hashable {
      public static let eventType = "Succession.ProfileUpdated"
      public static let schemaVersion = 1
      public var caseID: CaseID
      public var profile: Profile
      public var on: LocalDate
      public var by: UserID
      public var at: Timestamp
    }

    /// The profile was taken off the list.
    public struct Withdrawn: RecordableEvent, Hashable {
      public static let eventType = "Succession.ProfileWithdrawn"
      public static let schemaVersion = 1
      public var caseID: CaseID
      public var reason: ProfileWithdrawal
      public var on: LocalDate
      public var by: UserID
      public var at: Timestamp
    }

    /// Every event of a profile stream.
    public enum Event: Sendable, Hashable {
      case published(Published)
      case updated(Updated)
      case withdrawn(Withdrawn)
    }

    /// A profile as its stream tells it.
    public struct Record: Sendable, Hashable, Codable {
      public var caseID: CaseID
      public var profile: Profile
      /// On the list now.
      public var published: Bool
      /// The day it was (last) published.
      public var publishedOn: LocalDate
      public var updatedOn: LocalDate?
      public var withdrawnOn: LocalDate?
      public var withdrawal: ProfileWithdrawal?
    }

    /// nil until first published.
    public typealias State = Record?
    public static let initialState: State = nil

    public static func evolve(_ state: State, _ event: Event) -> State {
      switch event {
      case .published(let e):
        return Record(caseID: e.caseID, profile: e.profile, published: true, publishedOn: e.on, updatedOn: nil, withdrawnOn: nil, withdrawal: nil)
      case .updated(let e):
        guard var record = state else { return state }
        record.profile = e.profile
        record.updatedOn = e.on
        return record
      case .withdrawn(let e):
        guard var record = state else { return state }
        record.published = false
        record.withdrawnOn = e.on
        record.withdrawal = e.reason
        return record
      }
    }

    public static let codec: EventCodec<Event> = {
      var codec = EventCodec<Event>()
      codec.register(Published.self, embed: Event.published) { if case .published(let e) = $0 { e } else { nil } }
      codec.register(Updated.self, embed: Event.updated) { if case .updated(let e) = $0 { e } else { nil } }
      codec.register(Withdrawn.self, embed: Event.withdrawn) { if case .withdrawn(let e) = $0 { e } else { nil } }
      return codec
    }()
  }

  // MARK: - Pairs

  /// The open proposals of one seller case, by counterpart: `pairs-<sellerCaseID>`.
  public enum Pairs {
    public static let category = "pairs"

    public static func stream(seller: CaseID) throws(EventLogError) -> StreamName { try StreamName(category: category, id: seller.rawValue) }

    /// A proposal between the seller and a counterpart was opened.
    public struct Opened: RecordableEvent, Hashable {
      public static let eventType = "Succession.PairOpened"
      public static let schemaVersion = 1
      public var seller: CaseID
      public var counterpart: Counterpart
      public var proposal: ProposalID
      public var on: LocalDate
      public var at: Timestamp
    }

    /// That proposal ended; the pair may be proposed again.
    public struct Ended: RecordableEvent, Hashable {
      public static let eventType = "Succession.PairEnded"
      public static let schemaVersion = 1
      public var seller: CaseID
      public var counterpart: Counterpart
      public var proposal: ProposalID
      public var outcome: ProposalOutcome
      public var on: LocalDate
      public var at: Timestamp
    }

    /// Every event of a pairs stream.
    public enum Event: Sendable, Hashable {
      case opened(Opened)
      case ended(Ended)
    }

    /// A proposal of the seller that is open.
    public struct OpenPair: Sendable, Hashable, Codable {
      public var counterpart: Counterpart
      public var proposal: ProposalID
    }

    /// The seller's open proposals, ordered by counterpart.
    public struct State: Sendable, Hashable {
      public var open: [OpenPair] = []
      public init() {}

      /// The open proposal to `counterpart`, if any.
      public func proposal(to counterpart: Counterpart) -> ProposalID? { open.first { $0.counterpart == counterpart }?.proposal }
    }

    public static let initialState = State()

    public static func evolve(_ state: State, _ event: Event) -> State {
      var state = state
      switch event {
      case .opened(let e):
        state.open.append(OpenPair(counterpart: e.counterpart, proposal: e.proposal))
        state.open.sort { ($0.counterpart, $0.proposal) < ($1.counterpart, $1.proposal) }
      case .ended(let e):
        state.open.removeAll { $0.proposal == e.proposal }
      }
      return state
    }

    public static let codec: EventCodec<Event> = {
      var codec = EventCodec<Event>()
      codec.register(Opened.self, embed: Event.opened) { if case .opened(let e) = $0 { e } else { nil } }
      codec.register(Ended.self, embed: Event.ended) { if case .ended(let e) = $0 { e } else { nil } }
      return codec
    }()
  }

  // MARK: - Proposals

  /// One match proposal, `proposal-<id>`. Its free-text notes are personal data sealed under
  /// ``personalDataOwner(_:)``, the proposal's stream name.
  public enum Proposals {
    public static let category = "proposal"

    public static func stream(_ id: ProposalID) throws(EventLogError) -> StreamName { try StreamName(category: category, id: id.rawValue) }

    /// The owner of the proposal's personal-data key: its stream name (`proposal-<id>`), so it
    /// never collides with another context's owner of the same number.
    public static func personalDataOwner(_ id: ProposalID) -> String { "\(category)-\(id.rawValue)" }

    /// The centre proposed the counterpart to the seller, anonymously (ノンネーム打診).
    public struct Proposed: RecordableEvent, Hashable {
      public static let eventType = "Succession.MatchProposed"
      public static let schemaVersion = 1
      public var proposal: ProposalID
      public var seller: CaseID
      public var counterpart: Counterpart
      public var on: LocalDate
      public var recordedBy: UserID
      public var at: Timestamp
    }

    /// The seller's company agreed that its name be disclosed to this counterpart.
    public struct IdentityDisclosureConsented: RecordableEvent, Hashable, HoldsPersonalData {
      public static let eventType = "Succession.IdentityDisclosureConsented"
      public static let schemaVersion = 1
      public var proposal: ProposalID
      public var on: LocalDate
      public var recordedBy: UserID
      @Personal public var note: String?
      public var at: Timestamp
      public var personalDataOwner: String { Proposals.personalDataOwner(proposal) }
    }

    /// The company took its consent back (possible until an NDA is signed).
    public struct IdentityDisclosureWithdrawn: RecordableEvent, Hashable, HoldsPersonalData {
      public static let eventType = "Succession.IdentityDisclosureWithdrawn"
      public static let schemaVersion = 1
      public var proposal: ProposalID
      public var on: LocalDate
      public var recordedBy: UserID
      @Personal public var note: String?
      public var at: Timestamp
      public var personalDataOwner: String { Proposals.personalDataOwner(proposal) }
    }

    /// 秘密保持契約 signed by both.
    public struct NDASigned: RecordableEvent, Hashable {
      public static let eventType = "Succession.NDASigned"
      public static let schemaVersion = 1
      public var proposal: ProposalID
      public var on: LocalDate
      public var recordedBy: UserID
      public var at: Timestamp
    }

    /// トップ面談: the owners met.
    public struct TopMeetingHeld: RecordableEvent, Hashable, HoldsPersonalData {
      public static let eventType = "Succession.TopMeetingHeld"
      public static let schemaVersion = 1
      public var proposal: ProposalID
      public var on: LocalDate
      public var recordedBy: UserID
      @Personal public var note: String?
      public var at: Timestamp
      public var personalDataOwner: String { Proposals.personalDataOwner(proposal) }
    }

    /// 基本合意 reached.
    public struct BasicAgreementReached: RecordableEvent, Hashable {
      public static let eventType = "Succession.BasicAgreementReached"
      public static let schemaVersion = 1
      public var proposal: ProposalID
      public var on: LocalDate
      public var recordedBy: UserID
      public var at: Timestamp
    }

    /// 成約: the deal was closed.
    public struct DealClosed: RecordableEvent, Hashable {
      public static let eventType = "Succession.DealClosed"
      public static let schemaVersion = 1
      public var proposal: ProposalID
      public var on: LocalDate
      public var recordedBy: UserID
      public var at: Timestamp
    }

    /// 不成立: the parties broke off.
    public struct BrokenOff: RecordableEvent, Hashable, HoldsPersonalData {
      public static let eventType = "Succession.ProposalBrokenOff"
      public static let schemaVersion = 1
      public var proposal: ProposalID
      /// The last step reached (for the funnel report).
      public var after: ProposalStep
      @Personal public var reason: String
      public var on: LocalDate
      public var recordedBy: UserID
      public var at: Timestamp
      public var personalDataOwner: String { Proposals.personalDataOwner(proposal) }
    }

    /// The centre withdrew the proposal.
    public struct Withdrawn: RecordableEvent, Hashable, HoldsPersonalData {
      public static let eventType = "Succession.ProposalWithdrawn"
      public static let schemaVersion = 1
      public var proposal: ProposalID
      public var after: ProposalStep
      @Personal public var reason: String?
      public var on: LocalDate
      public var recordedBy: UserID
      public var at: Timestamp
      public var personalDataOwner: String { Proposals.personalDataOwner(proposal) }
    }

    /// Every event of a proposal stream.
    public enum Event: Sendable, Hashable {
      case proposed(Proposed)
      case identityDisclosureConsented(IdentityDisclosureConsented)
      case identityDisclosureWithdrawn(IdentityDisclosureWithdrawn)
      case ndaSigned(NDASigned)
      case topMeetingHeld(TopMeetingHeld)
      case basicAgreementReached(BasicAgreementReached)
      case dealClosed(DealClosed)
      case brokenOff(BrokenOff)
      case withdrawn(Withdrawn)
    }

    /// How a proposal ended, and when.
    public struct Ending: Sendable, Hashable, Codable {
      public var outcome: ProposalOutcome
      public var on: LocalDate
      public var reason: String?
    }

    /// A proposal as its stream tells it.
    public struct Record: Sendable, Hashable, Codable {
      public var id: ProposalID
      public var seller: CaseID
      public var counterpart: Counterpart
      public var proposedOn: LocalDate
      /// The day the consent now in force was given (nil: none, or taken back).
      public var identityConsentedOn: LocalDate?
      /// The day a consent was last taken back.
      public var identityWithdrawnOn: LocalDate?
      public var ndaSignedOn: LocalDate?
      public var topMeetingOn: LocalDate?
      public var basicAgreementOn: LocalDate?
      public var ending: Ending?

      /// The seller's name may be shown to the counterpart.
      public var identityConsented: Bool { identityConsentedOn != nil }

      /// The furthest step reached.
      public var step: ProposalStep {
        if basicAgreementOn != nil { return .basicAgreement }
        if topMeetingOn != nil { return .topMeeting }
        if ndaSignedOn != nil { return .nda }
        if identityConsentedOn != nil { return .identityConsent }
        return .proposed
      }

      /// The latest day anything was recorded: a later step may not be dated before it.
      public var lastOn: LocalDate {
        [proposedOn, identityConsentedOn, identityWithdrawnOn, ndaSignedOn, topMeetingOn, basicAgreementOn, ending?.on].compactMap { $0 }.max() ?? proposedOn
      }
    }

    /// nil until proposed.
    public typealias State = Record?
    public static let initialState: State = nil

    public static func evolve(_ state: State, _ event: Event) -> State {
      if case .proposed(let e) = event {
        return Record(
          id: e.proposal, seller: e.seller, counterpart: e.counterpart, proposedOn: e.on, identityConsentedOn: nil, identityWithdrawnOn: nil,
          ndaSignedOn: nil, topMeetingOn: nil, basicAgreementOn: nil, ending: nil)
      }
      guard var record = state else { return state }
      switch event {
      case .proposed: break
      case .identityDisclosureConsented(let e): record.identityConsentedOn = e.on
      case .identityDisclosureWithdrawn(let e):
        record.identityConsentedOn = nil
        record.identityWithdrawnOn = e.on
      case .ndaSigned(let e): record.ndaSignedOn = e.on
      case .topMeetingHeld(let e): record.topMeetingOn = e.on
      case .basicAgreementReached(let e): record.basicAgreementOn = e.on
      case .dealClosed(let e): record.ending = Ending(outcome: .closed, on: e.on, reason: nil)
      case .brokenOff(let e): record.ending = Ending(outcome: .brokenOff, on: e.on, reason: e.reason)
      case .withdrawn(let e): record.ending = Ending(outcome: .withdrawn, on: e.on, reason: e.reason)
      }
      return record
    }

    public static let codec: EventCodec<Event> = {
      var codec = EventCodec<Event>()
      codec.register(Proposed.self, embed: Event.proposed) { if case .proposed(let e) = $0 { e } else { nil } }
      codec.register(IdentityDisclosureConsented.self, embed: Event.identityDisclosureConsented) {
        if case .identityDisclosureConsented(let e) = $0 { e } else { nil }
      }
      codec.register(IdentityDisclosureWithdrawn.self, embed: Event.identityDisclosureWithdrawn) {
        if case .identityDisclosureWithdrawn(let e) = $0 { e } else { nil }
      }
      codec.register(NDASigned.self, embed: Event.ndaSigned) { if case .ndaSigned(let e) = $0 { e } else { nil } }
      codec.register(TopMeetingHeld.self, embed: Event.topMeetingHeld) { if case .topMeetingHeld(let e) = $0 { e } else { nil } }
      codec.register(BasicAgreementReached.self, embed: Event.basicAgreementReached) { if case .basicAgreementReached(let e) = $0 { e } else { nil } }
      codec.register(DealClosed.self, embed: Event.dealClosed) { if case .dealClosed(let e) = $0 { e } else { nil } }
      codec.register(BrokenOff.self, embed: Event.brokenOff) { if case .brokenOff(let e) = $0 { e } else { nil } }
      codec.register(Withdrawn.self, embed: Event.withdrawn) { if case .withdrawn(let e) = $0 { e } else { nil } }
      return codec
    }()
  }
}
