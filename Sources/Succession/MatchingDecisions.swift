import EventLog
import Foundation
public import SharedKernel

/// A proposal to open: its id (given by the service), the seller case and the counterpart.
public struct NewProposal: Sendable, Hashable {
  public var id: ProposalID
  public var seller: CaseID
  public var counterpart: Counterpart
  public var on: LocalDate
  public var by: UserID

  public init(id: ProposalID, seller: CaseID, counterpart: Counterpart, on: LocalDate, by: UserID) {
    self.id = id
    self.seller = seller
    self.counterpart = counterpart
    self.on = on
    self.by = by
  }
}

/// The counterpart's own stream, as read, for a proposal: the buyer case's profile, or the
/// candidate's 人材バンク record.
public enum CounterpartState: Sendable, Hashable {
  case buyer(Matching.Profiles.State)
  case candidate(SuccessorBank.State)
}

/// The events of a proposal decision: on the proposal's stream, and (proposing, ending) on the
/// seller's pairs stream, to append together.
public struct ProposalDecision: Sendable, Equatable {
  public var events: [Matching.Proposals.Event] = []
  public var pairs: StreamEvents<Matching.Pairs.Event>?

  public init(events: [Matching.Proposals.Event] = [], pairs: StreamEvents<Matching.Pairs.Event>? = nil) {
    self.events = events
    self.pairs = pairs
  }
}

/// A buyer ranked for a seller by ``Matching/candidates(for:among:)``.
public struct ScoredBuyer: Sendable, Hashable {
  public var caseID: CaseID
  /// 0…7: industry 3, region 2, budget 2 (any industry or region counts 1; a budget one band short counts 1).
  public var score: Int
  public var industryMatches: Bool
  public var regionMatches: Bool
  public var budgetFits: Bool
}

extension Matching.Profiles {
  // MARK: Decisions

  /// Puts a case's anonymous profile on the list (first, or again after a withdrawal). The case
  /// must be open and on the profile's side; the teaser must not name the company (its name
  /// without the legal form, or its reading).
  ///
  /// - Parameter case: the case's own stream, as read.
  public static func publish(
    _ profile: Profile, case record: Case.State, by staff: UserID, on date: LocalDate, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    let caseRecord = try checkCase(record, for: profile)
    if let state, state.published { throw .profilePublished(caseRecord.id) }
    let profile = try checked(profile, company: caseRecord.company)
    try Case.checkDate(date, field: "on", notBefore: state?.withdrawnOn ?? caseRecord.receivedOn, what: state == nil ? "受付日" : "前回の掲載取下げ日", context)
    return [.published(Published(caseID: caseRecord.id, profile: profile, on: date, by: staff, at: Timestamp(context.at)))]
  }

  /// Changes a published profile (the same profile again records nothing).
  public static func update(
    _ profile: Profile, case record: Case.State, by staff: UserID, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    let caseRecord = try checkCase(record, for: profile)
    guard let state, state.published, state.caseID == caseRecord.id else { throw .profileNotPublished(caseRecord.id) }
    let profile = try checked(profile, company: caseRecord.company)
    guard profile != state.profile else { return [] }
    return [.updated(Updated(caseID: state.caseID, profile: profile, on: context.today, by: staff, at: Timestamp(context.at)))]
  }

  /// Takes a published profile off the list. Open proposals stay as they are: the service ends
  /// them (``Matching/Proposals/decide(_:on:by:_:_:)``) where that is meant.
  public static func withdraw(
    reason: ProfileWithdrawal, by staff: UserID, on date: LocalDate, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    guard let state else { throw .profileNotPublished(nil) }
    guard state.published else { throw .profileNotPublished(state.caseID) }
    try Case.checkDate(date, field: "on", notBefore: state.updatedOn ?? state.publishedOn, what: "掲載日", context)
    return [.withdrawn(Withdrawn(caseID: state.caseID, reason: reason, on: date, by: staff, at: Timestamp(context.at)))]
  }

  static func checkCase(_ record: Case.State, for profile: Profile) throws(SuccessionError) -> Case.Record {
    let caseRecord = try Case.existing(record)
    guard caseRecord.phase == .open else { throw .wrongPhase(caseRecord.id, caseRecord.phase, action: "マッチングに掲載する") }
    guard caseRecord.side == profile.side else { throw .wrongSide(caseRecord.id, expected: profile.side, actual: caseRecord.side) }
    return caseRecord
  }

  /// The profile with its teaser trimmed; refused when the teaser is empty, too long, or names the company.
  static func checked(_ profile: Profile, company: Company) throws(SuccessionError) -> Profile {
    guard let summary = Text.required(profile.summary, limit: 1000) else {
      throw .invalidProfile(field: "summary", reason: "ノンネームの概要（社名を出さない紹介文、1〜1000文字）を入力してください")
    }
    if let found = Matching.namedCompany(in: summary, company: company) { throw .teaserNamesCompany(found) }
    switch profile {
    case .seller(var seller):
      seller.summary = summary
      return .seller(seller)
    case .buyer(var buyer):
      guard Set(buyer.industries).count == buyer.industries.count else {
        throw .invalidProfile(field: "industries", reason: "希望業種に同じ業種が重複しています")
      }
      guard Set(buyer.regions).count == buyer.regions.count else { throw .invalidProfile(field: "regions", reason: "希望地域に同じ地域が重複しています") }
      buyer.summary = summary
      return .buyer(buyer)
    }
  }
}

extension Matching.Proposals {
  /// A step to record on a proposal.
  public enum Step: Sendable, Hashable {
    /// The seller's company agreed to disclose its name to the counterpart.
    case consentToDisclosure(note: String?)
    /// It took that consent back (only before an NDA is signed).
    case withdrawConsent(note: String?)
    /// 秘密保持契約.
    case signNDA
    /// トップ面談 (needs the NDA and the consent in force: the counterpart meets the named company).
    case holdTopMeeting(note: String?)
    /// 基本合意 (after the トップ面談).
    case reachBasicAgreement
    /// 成約 (after the 基本合意).
    case closeDeal
    /// 不成立, with the reason.
    case breakOff(reason: String)
    /// 取下げ by the centre.
    case withdraw(reason: String?)
  }

  /// Opens a proposal. The seller's profile must be published, and the counterpart's: a buying
  /// case's published profile, or a 人材バンク candidate still active; the pair must have no
  /// other open proposal (``Matching/Pairs``).
  ///
  /// - Parameters:
  ///   - seller: the seller's `profile-` stream, as read.
  ///   - counterpart: the counterpart's stream, as read (`profile-` of the buyer case, or `successor-`).
  ///   - pairs: the seller's `pairs-` stream, as read; its events are appended with that version.
  public static func propose(
    _ new: NewProposal, seller: Matching.Profiles.State, counterpart: CounterpartState, pairs: Matching.Pairs.State, _ state: State,
    _ context: SuccessionContext
  ) throws(SuccessionError) -> ProposalDecision {
    guard state == nil else { throw .proposalExists(new.id) }
    guard let seller, seller.caseID == new.seller, seller.published, seller.profile.side == .selling else { throw .profileNotPublished(new.seller) }
    switch (new.counterpart, counterpart) {
    case (.buyer(let id), .buyer(let profile)):
      guard id != new.seller else { throw .invalidProposal(field: "counterpart", reason: "同じ案件同士は提案できません") }
      guard let profile, profile.caseID == id, profile.published, profile.profile.side == .buying else { throw .profileNotPublished(id) }
    case (.candidate(let id), .candidate(let candidate)):
      guard let candidate, candidate.id == id else { throw .unknownSuccessor(id) }
      guard candidate.status == .active else { throw .successorNotActive(id, candidate.status, action: "マッチングの相手として提案する") }
    default:
      throw .invalidProposal(field: "counterpart", reason: "提案の相手（\(new.counterpart.japaneseName)）と読み込んだ相手の記録が一致しません")
    }
    if let open = pairs.proposal(to: new.counterpart) { throw .openProposalExists(open, seller: new.seller, counterpart: new.counterpart) }
    try Case.checkDate(new.on, field: "on", notBefore: seller.publishedOn, what: "譲渡側の掲載日", context)
    let at = Timestamp(context.at)
    return ProposalDecision(
      events: [.proposed(Proposed(proposal: new.id, seller: new.seller, counterpart: new.counterpart, on: new.on, recordedBy: new.by, at: at))],
      pairs: StreamEvents(
        stream: try pairsStream(new.seller),
        events: [.opened(Matching.Pairs.Opened(seller: new.seller, counterpart: new.counterpart, proposal: new.id, on: new.on, at: at))]))
  }

  /// Records a step of a proposal on `date` (today or earlier, not before the last step), in the
  /// guideline's order: NDA, consent (either first) → トップ面談 → 基本合意 → 成約; 不成立 or
  /// 取下げ at any time. Nothing is recorded after an ending; each step once.
  public static func decide(
    _ step: Step, on date: LocalDate, by staff: UserID, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> ProposalDecision {
    guard let record = state else { throw .unknownProposal(nil) }
    if let ending = record.ending { throw .proposalEnded(record.id, ending.outcome) }
    try Case.checkDate(date, field: "on", notBefore: record.lastOn, what: "この提案の直前の記録日", context)
    let at = Timestamp(context.at)
    let id = record.id
    func note(_ text: String?) throws(SuccessionError) -> String? {
      let note = Text.optional(text)
      if let note, note.count > 2000 { throw .invalidProposal(field: "note", reason: "メモは2000文字までです") }
      return note
    }
    switch step {
    case .consentToDisclosure(let text):
      if let on = record.identityConsentedOn { throw .stepRecorded(id, .identityConsent, on: on) }
      return ProposalDecision(
        events: [.identityDisclosureConsented(IdentityDisclosureConsented(proposal: id, on: date, recordedBy: staff, note: try note(text), at: at))])
    case .withdrawConsent(let text):
      guard record.identityConsented else { throw .consentNotGiven(id) }
      if let on = record.ndaSignedOn { throw .consentBoundByNDA(id, ndaSignedOn: on) }
      return ProposalDecision(
        events: [.identityDisclosureWithdrawn(IdentityDisclosureWithdrawn(proposal: id, on: date, recordedBy: staff, note: try note(text), at: at))])
    case .signNDA:
      if let on = record.ndaSignedOn { throw .stepRecorded(id, .nda, on: on) }
      return ProposalDecision(events: [.ndaSigned(NDASigned(proposal: id, on: date, recordedBy: staff, at: at))])
    case .holdTopMeeting(let text):
      if let on = record.topMeetingOn { throw .stepRecorded(id, .topMeeting, on: on) }
      guard record.ndaSignedOn != nil else { throw .stepNeeds(id, .topMeeting, missing: .nda) }
      guard record.identityConsented else { throw .stepNeeds(id, .topMeeting, missing: .identityConsent) }
      return ProposalDecision(events: [.topMeetingHeld(TopMeetingHeld(proposal: id, on: date, recordedBy: staff, note: try note(text), at: at))])
    case .reachBasicAgreement:
      if let on = record.basicAgreementOn { throw .stepRecorded(id, .basicAgreement, on: on) }
      guard record.topMeetingOn != nil else { throw .stepNeeds(id, .basicAgreement, missing: .topMeeting) }
      return ProposalDecision(events: [.basicAgreementReached(BasicAgreementReached(proposal: id, on: date, recordedBy: staff, at: at))])
    case .closeDeal:
      guard record.basicAgreementOn != nil else { throw .dealNeedsBasicAgreement(id) }
      return try ending(.closed, record, .dealClosed(DealClosed(proposal: id, on: date, recordedBy: staff, at: at)), on: date, at: at)
    case .breakOff(let text):
      guard let reason = Text.required(text, limit: 2000) else { throw .reasonRequired(action: "不成立の記録") }
      return try ending(
        .brokenOff, record, .brokenOff(BrokenOff(proposal: id, after: record.step, reason: reason, on: date, recordedBy: staff, at: at)), on: date, at: at)
    case .withdraw(let text):
      let reason = Text.optional(text)
      if let reason, reason.count > 2000 { throw .invalidProposal(field: "reason", reason: "理由は2000文字までです") }
      return try ending(
        .withdrawn, record, .withdrawn(Withdrawn(proposal: id, after: record.step, reason: reason, on: date, recordedBy: staff, at: at)), on: date, at: at)
    }
  }

  static func ending(_ outcome: ProposalOutcome, _ record: Record, _ event: Event, on date: LocalDate, at: Timestamp) throws(SuccessionError) -> ProposalDecision {
    ProposalDecision(
      events: [event],
      pairs: StreamEvents(
        stream: try pairsStream(record.seller),
        events: [.ended(Matching.Pairs.Ended(seller: record.seller, counterpart: record.counterpart, proposal: record.id, outcome: outcome, on: date, at: at))]))
  }

  static func pairsStream(_ seller: CaseID) throws(SuccessionError) -> StreamName {
    do { return try Matching.Pairs.stream(seller: seller) } catch { throw .unknownCase(seller) }
  }
}

extension Matching {
  // MARK: Queries

  /// Whether the seller's name may be shown to the counterpart: some proposal between them has
  /// the company's consent in force (given, and not taken back since). A consent given on a
  /// proposal that ended later still counts: the counterpart has been told the name.
  public static func identityVisible(of seller: CaseID, to counterpart: Counterpart, proposals: [ProposalState]) -> Bool {
    proposals.contains { $0?.seller == seller && $0?.counterpart == counterpart && $0?.identityConsented == true }
  }

  /// The buyers whose profiles fit the seller's, best first (score, then case id): industry
  /// wanted 3 (any industry 1), region wanted 2 (any region, or 県全域, 1 or 2), budget at least
  /// the asking price 2 (one band short 1). Buyers that score nothing are left out.
  public static func candidates(for seller: SellerProfile, among buyers: [CaseID: BuyerProfile]) -> [ScoredBuyer] {
    var scored: [ScoredBuyer] = []
    for (id, buyer) in buyers {
      let industry = buyer.industries.contains(seller.industry)
      let anyIndustry = buyer.industries.isEmpty
      let region = buyer.regions.contains(seller.region) || buyer.regions.contains(.prefectureWide)
      let anyRegion = buyer.regions.isEmpty
      let fits = buyer.budget >= seller.askingPrice
      let nearly = !fits && buyer.budget.rank + 1 == seller.askingPrice.rank
      let score = (industry ? 3 : anyIndustry ? 1 : 0) + (region ? 2 : anyRegion ? 1 : 0) + (fits ? 2 : nearly ? 1 : 0)
      guard score > 0 else { continue }
      scored.append(ScoredBuyer(caseID: id, score: score, industryMatches: industry, regionMatches: region, budgetFits: fits))
    }
    return scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.caseID < $1.caseID }
  }

  /// The company's name or reading as it appears in `teaser`, or nil. Compared as names are
  /// (``CompanyMatching/name(_:)``: width, legal form, variant kanji, spaces and punctuation
  /// folded; hiragana as katakana), the reading in katakana without its legal form; names of one
  /// character are not looked for.
  static func namedCompany(in teaser: String, company: Company) -> String? {
    // Hiragana and katakana as one script: ミナト精工 names みなと精工.
    let folded = katakanaFolded(CompanyMatching.name(teaser))
    let name = katakanaFolded(CompanyMatching.name(company.name))
    if name.count >= 2, folded.contains(name) { return company.name }
    if let kana = company.nameKana.flatMap(CompanyMatching.katakana) {
      var reading = kana.filter { $0 != " " && $0 != "・" }
      for form in ["カブシキガイシャ", "カブシキカイシャ", "ユウゲンガイシャ", "ユウゲンカイシャ", "ゴウドウガイシャ", "ゴウドウカイシャ"] {
        reading = reading.replacingOccurrences(of: form, with: "")
      }
      if reading.count >= 2, folded.contains(reading) { return kana }
    }
    return nil
  }

  /// Hiragana as katakana, everything else as it is.
  static func katakanaFolded(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if (0x3041...0x3096).contains(scalar.value), let kana = Unicode.Scalar(scalar.value + 0x60) { out.append(kana) } else { out.append(scalar) }
    }
    return String(out)
  }
}
