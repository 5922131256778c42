import EventLog
import Foundation
public import SharedKernel

/// A partner's referral as the centre receives it.
public struct NewReferral: Sendable, Hashable {
  /// The new case's id (``CaseNumbers``).
  public var id: CaseID
  public var partner: PartnerID
  /// The partner's staff member who refers it.
  public var partnerStaff: String
  public var company: Company
  /// The day the partner referred it.
  public var referredOn: LocalDate
  /// Why: what the company needs.
  public var reason: String
  /// The company agreed that the partner may follow its case.
  public var consent: Bool

  public init(id: CaseID, partner: PartnerID, partnerStaff: String, company: Company, referredOn: LocalDate, reason: String, consent: Bool) {
    self.id = id
    self.partner = partner
    self.partnerStaff = partnerStaff
    self.company = company
    self.referredOn = referredOn
    self.reason = reason
    self.consent = consent
  }
}

/// The centre's acceptance of a referral as a case.
public struct Acceptance: Sendable, Hashable {
  public var side: Side
  public var kind: SuccessionKind
  public var assignee: UserID?
  /// When the referral is flagged as the same company as a case still open, the case it is
  /// knowingly kept apart from (a second, separate matter); otherwise attach it to that case.
  public var separateFrom: CaseID?

  public init(side: Side, kind: SuccessionKind = .undecided, assignee: UserID? = nil, separateFrom: CaseID? = nil) {
    self.side = side
    self.kind = kind
    self.assignee = assignee
    self.separateFrom = separateFrom
  }
}

/// A consultation that reached the centre directly.
public struct NewIntake: Sendable, Hashable {
  public var id: CaseID
  /// web, phone, walk-in or other (a partner's case comes as a ``NewReferral``).
  public var route: Route
  public var company: Company
  public var side: Side
  public var kind: SuccessionKind
  public var assignee: UserID?
  public var summary: String?
  /// As for ``Acceptance/separateFrom``.
  public var separateFrom: CaseID?

  public init(
    id: CaseID, route: Route, company: Company, side: Side, kind: SuccessionKind = .undecided, assignee: UserID? = nil, summary: String? = nil,
    separateFrom: CaseID? = nil
  ) {
    self.id = id
    self.route = route
    self.company = company
    self.side = side
    self.kind = kind
    self.assignee = assignee
    self.summary = summary
    self.separateFrom = separateFrom
  }
}

/// A consultation session to record.
public struct NewSession: Sendable, Hashable {
  public var on: LocalDate
  public var minutes: Int
  public var staff: UserID
  public var kind: SessionKind
  public var summary: String?

  public init(on: LocalDate, minutes: Int, staff: UserID, kind: SessionKind, summary: String? = nil) {
    self.on = on
    self.minutes = minutes
    self.staff = staff
    self.kind = kind
    self.summary = summary
  }
}

/// The events of a decision that writes more than the case's own stream.
public struct CaseDecision: Sendable {
  /// On the case's own stream.
  public var events: [Case.Event] = []
  /// On another case's stream (attaching a referral writes the case it joins).
  public var otherCase: StreamEvents<Case.Event>?
  /// On the company index's key streams, in key order; each is appended with the version read.
  public var index: [StreamEvents<CompanyIndex.Event>] = []

  public init() {}
}

extension Case {
  // MARK: Referrals and intake

  /// Receives a partner's referral. It is never refused for being a company the centre knows:
  /// it is recorded with `duplicateOf` (the case the company was first known as), and the
  /// centre then attaches it to that case, accepts it apart, or declines it.
  ///
  /// - Parameters:
  ///   - partner: the referring partner as the registry has it (nil: not registered).
  ///   - index: the company index's streams for the company's keys (``CompanyIndex/keys(of:)``).
  public static func refer(
    _ new: NewReferral, partner: Partners.Partner?, index: CompanyIndex.Lookup, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> CaseDecision {
    guard state == nil else { throw .caseExists(new.id) }
    guard let partner, partner.id == new.partner else { throw .unknownPartner(new.partner) }
    guard partner.active else { throw .partnerLeft(partner.id, name: partner.name) }
    let company = try new.company.checked()
    guard let staff = Text.required(new.partnerStaff, limit: 50) else {
      throw .invalidReferral(field: "partnerStaff", reason: "紹介した機関の担当者名（50文字まで）を入力してください")
    }
    guard let reason = Text.required(new.reason, limit: 2000) else {
      throw .invalidReferral(field: "reason", reason: "紹介の理由（相談したい内容、2000文字まで）を入力してください")
    }
    guard new.referredOn <= context.today else { throw .dateInFuture(field: "referredOn", new.referredOn, today: context.today) }
    let keys = CompanyIndex.keys(of: company)
    let original = CompanyIndex.original(of: keys, in: index, excluding: new.id)
    let at = Timestamp(context.at)
    let referral = Referral(
      id: new.id, partner: partner.id, partnerName: partner.name, partnerType: partner.type, partnerStaff: staff, companyName: company.name,
      referredOn: new.referredOn, receivedOn: context.today, reason: reason, consent: new.consent, supportedFrom: nil)
    var decision = CaseDecision()
    decision.events = [.referralReceived(ReferralReceived(caseID: new.id, referral: referral, company: company, duplicateOf: original, at: at))]
    decision.index = try CompanyIndex.register(new.id, company: company, keys: keys, duplicateOf: original, in: index, on: context.today, at: at)
    return decision
  }

  /// Accepts a referral as a case, at intake. A referral flagged as a company whose case is
  /// still open or waiting is refused unless kept apart knowingly (``Acceptance/separateFrom``).
  ///
  /// - Parameter original: the case the referral's `duplicateOf` names, when it names one.
  public static func accept(_ acceptance: Acceptance, _ state: State, original: State = nil, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard record.phase == .referred else { throw .wrongPhase(record.id, record.phase, action: "案件として受け付ける") }
    if let duplicateOf = record.duplicateOf { try checkApart(from: duplicateOf, original: original, separateFrom: acceptance.separateFrom) }
    return [
      .referralAccepted(
        ReferralAccepted(
          caseID: record.id, side: acceptance.side, kind: acceptance.kind, assignee: acceptance.assignee, on: context.today, at: Timestamp(context.at)))
    ]
  }

  /// Declines a referral, with the reason the partner's staff can be told.
  public static func decline(reason: String, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard record.phase == .referred else { throw .wrongPhase(record.id, record.phase, action: "見送る") }
    guard let reason = Text.required(reason, limit: 2000) else { throw .reasonRequired(action: "紹介の見送り") }
    return [.referralDeclined(ReferralDeclined(caseID: record.id, reason: reason, on: context.today, at: Timestamp(context.at)))]
  }

  /// Attaches a waiting referral to the open case of the same company: the referral's stream
  /// says where it went, the case gains the referral (and its partner follows the case, with
  /// the consent this referral carries).
  public static func attach(_ state: State, to target: State, _ context: SuccessionContext) throws(SuccessionError) -> CaseDecision {
    let record = try existing(state)
    guard record.phase == .referred, let referral = record.referrals.first(where: { $0.id == record.id }) else {
      throw .wrongPhase(record.id, record.phase, action: "既存の案件に統合する")
    }
    guard let target, target.id != record.id else { throw .unknownCase(nil) }
    guard target.phase == .open else { throw .wrongPhase(target.id, target.phase, action: "紹介の統合先にする") }
    let at = Timestamp(context.at)
    var decision = CaseDecision()
    decision.events = [.referralAttached(ReferralAttached(caseID: record.id, to: target.id, on: context.today, at: at))]
    decision.otherCase = StreamEvents(
      stream: try logStream(target.id), events: [.referralAdded(ReferralAdded(caseID: target.id, referral: referral, on: context.today, at: at))])
    return decision
  }

  /// Opens a direct consultation (web, phone, walk-in) as a case at intake. A company whose
  /// case is open or waiting is refused (record the session on that case), unless kept apart
  /// knowingly; a company whose earlier case closed gets a new case linked to it.
  ///
  /// - Parameter original: the case ``CompanyIndex/original(of:in:excluding:)`` finds, when it finds one.
  public static func open(
    _ new: NewIntake, index: CompanyIndex.Lookup, original: State = nil, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> CaseDecision {
    guard state == nil else { throw .caseExists(new.id) }
    guard new.route != .partner else {
      throw .invalidIntake(field: "route", reason: "連携機関からの紹介は「紹介の受付」から登録してください（紹介元と同意を記録するため）")
    }
    let company = try new.company.checked()
    let summary = Text.optional(new.summary)
    if let summary, summary.count > 2000 { throw .invalidIntake(field: "summary", reason: "相談内容は2000文字までです") }
    let keys = CompanyIndex.keys(of: company)
    let found = CompanyIndex.original(of: keys, in: index, excluding: new.id)
    if let found { try checkApart(from: found, original: original, separateFrom: new.separateFrom) }
    let at = Timestamp(context.at)
    var decision = CaseDecision()
    decision.events = [
      .intakeOpened(
        IntakeOpened(
          caseID: new.id, route: new.route, company: company, side: new.side, kind: new.kind, assignee: new.assignee, summary: summary,
          duplicateOf: found, on: context.today, at: at))
    ]
    decision.index = try CompanyIndex.register(new.id, company: company, keys: keys, duplicateOf: found, in: index, on: context.today, at: at)
    return decision
  }

  /// A company already a case that is open or waiting may only be a second case on purpose.
  static func checkApart(from duplicateOf: CaseID, original: State, separateFrom: CaseID?) throws(SuccessionError) {
    guard let original, original.id == duplicateOf else { throw .unknownCase(duplicateOf) }
    guard original.phase == .open || original.phase == .referred else { return }
    guard separateFrom == duplicateOf else { throw .duplicateOfOpenCase(duplicateOf, companyName: original.company.name, phase: original.phase) }
  }

  // MARK: Stages

  /// Moves the case to `target` on `date` (today or earlier, not before the current stage began),
  /// by the table on ``Stage``; a closing or a move back needs a reason.
  public static func move(to target: Stage, on date: LocalDate, reason: String?, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    // A closed case has a stage too: the table then says it can go nowhere.
    guard record.isCase, let current = record.stage else { throw .wrongPhase(record.id, record.phase, action: "段階を進める") }
    guard target != current else { throw .alreadyInStage(record.id, current) }
    guard current.next.contains(target) else { throw .stageNotAllowed(from: current, to: target, allowed: current.next) }
    if target.isDealStage && record.kind != .thirdParty { throw .stageNeedsThirdParty(target, kind: record.kind) }
    if target == .succeeded, !current.isDealStage, record.kind != .family && record.kind != .employee {
      throw .successNeedsDeal(from: current, kind: record.kind)
    }
    let reason = Text.optional(reason)
    if let reason, reason.count > 2000 { throw .invalidStageMove(field: "reason", reason: "理由は2000文字までです") }
    if target.needsReason && reason == nil { throw .reasonRequired(action: "「\(target.japaneseName)」で終了すること") }
    if target < current && reason == nil { throw .reasonRequired(action: "「\(current.japaneseName)」から「\(target.japaneseName)」へ戻すこと") }
    try checkDate(date, field: "on", notBefore: record.stageSince ?? record.receivedOn, what: "現在の段階（\(current.japaneseName)）に入った日", context)
    return [.stageMoved(StageMoved(caseID: record.id, from: current, to: target, reason: reason, on: date, at: Timestamp(context.at)))]
  }

  // MARK: Work on a case

  /// Records a session; the first one moves a case at intake to consultation on its date.
  public static func recordSession(_ new: NewSession, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard record.phase == .open else { throw .wrongPhase(record.id, record.phase, action: "相談を記録する") }
    try checkDate(new.on, field: "on", notBefore: record.receivedOn, what: "受付日", context)
    guard (1...480).contains(new.minutes) else { throw .invalidSession(field: "minutes", reason: "相談時間は1〜480分で入力してください（\(new.minutes)分）") }
    let summary = Text.optional(new.summary)
    if let summary, summary.count > 4000 { throw .invalidSession(field: "summary", reason: "相談内容は4000文字までです") }
    let at = Timestamp(context.at)
    let session = Session(number: record.sessions.count + 1, on: new.on, minutes: new.minutes, staff: new.staff, kind: new.kind, summary: summary)
    var events: [Event] = [.sessionRecorded(SessionRecorded(caseID: record.id, session: session, at: at))]
    if record.stage == .intake {
      events.append(.stageMoved(StageMoved(caseID: record.id, from: .intake, to: .consultation, reason: nil, on: new.on, at: at)))
    }
    return events
  }

  /// Records an expert sent to the company.
  public static func dispatchExpert(
    _ expert: String, field: ExpertField, purpose: String, on date: LocalDate, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard record.phase == .open else { throw .wrongPhase(record.id, record.phase, action: "専門家派遣を記録する") }
    guard let name = Text.required(expert, limit: 100) else { throw .invalidExpert(field: "expert", reason: "専門家の氏名・事務所名（100文字まで）を入力してください") }
    guard let purpose = Text.required(purpose, limit: 500) else { throw .invalidExpert(field: "purpose", reason: "派遣の目的（500文字まで）を入力してください") }
    try checkDate(date, field: "on", notBefore: record.receivedOn, what: "受付日", context)
    return [
      .expertDispatched(
        ExpertDispatched(caseID: record.id, dispatch: ExpertDispatch(on: date, expert: name, field: field, purpose: purpose), at: Timestamp(context.at)))
    ]
  }

  /// Adds a dated note (also to a closed case or a declined referral: follow-ups happen).
  public static func addNote(_ text: String, by staff: UserID, on date: LocalDate, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard record.phase != .attached else { throw .wrongPhase(record.id, record.phase, action: "記録を追加する") }
    guard let text = Text.required(text, limit: 4000) else { throw .invalidNote(reason: "記録の本文（4000文字まで）を入力してください") }
    try checkDate(date, field: "on", notBefore: record.receivedOn, what: "受付日", context)
    return [.noteAdded(NoteAdded(caseID: record.id, note: Note(on: date, staff: staff, text: text), at: Timestamp(context.at)))]
  }

  /// Sets the next action, due today or later; it replaces the one before.
  public static func setNextAction(_ text: String, due: LocalDate, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard record.phase == .open || record.phase == .referred else { throw .wrongPhase(record.id, record.phase, action: "次の対応を設定する") }
    guard let text = Text.required(text, limit: 200) else { throw .invalidAction(field: "text", reason: "次の対応（200文字まで）を入力してください") }
    guard due >= context.today else { throw .invalidAction(field: "due", reason: "期日 \(due) は今日（\(context.today)）以降にしてください") }
    let action = NextAction(text: text, due: due, setOn: context.today)
    guard action != record.nextAction else { return [] }
    return [.nextActionSet(NextActionSet(caseID: record.id, action: action, at: Timestamp(context.at)))]
  }

  /// Marks the next action done.
  public static func completeNextAction(_ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard let action = record.nextAction else { throw .invalidAction(field: "nextAction", reason: "この案件には次の対応が設定されていません") }
    return [.nextActionDone(NextActionDone(caseID: record.id, action: action, on: context.today, at: Timestamp(context.at)))]
  }

  /// Gives the case to a staff member (nil: to nobody); the same assignee again records nothing.
  public static func assign(_ staff: UserID?, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard record.phase == .open || record.phase == .referred else { throw .wrongPhase(record.id, record.phase, action: "担当者を変える") }
    guard staff != record.assignee else { return [] }
    return [.assigned(Assigned(caseID: record.id, staff: staff, previous: record.assignee, on: context.today, at: Timestamp(context.at)))]
  }

  /// Sets the side and kind; a case in third-party work (matching to the final agreement) stays third-party.
  public static func classify(side: Side, kind: SuccessionKind, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard record.phase == .open else { throw .wrongPhase(record.id, record.phase, action: "種類を変える") }
    if let stage = record.stage, stage.isDealStage, kind != .thirdParty { throw .stageNeedsThirdParty(stage, kind: kind) }
    guard side != record.side || kind != record.kind else { return [] }
    return [.classified(Classified(caseID: record.id, side: side, kind: kind, on: context.today, at: Timestamp(context.at)))]
  }

  /// Corrects or completes the company's details. A key it gains (a 法人番号 found later) is
  /// entered in the index; when it shows the company is another case's, the case is flagged.
  public static func updateCompany(
    _ company: Company, index: CompanyIndex.Lookup, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> CaseDecision {
    let record = try existing(state)
    guard record.phase != .attached else { throw .wrongPhase(record.id, record.phase, action: "会社情報を変える") }
    let company = try company.checked()
    var decision = CaseDecision()
    guard company != record.company else { return decision }
    let at = Timestamp(context.at)
    let keys = CompanyIndex.keys(of: company)
    let found = CompanyIndex.original(of: keys, in: index, excluding: record.id)
    decision.events = [.companyUpdated(CompanyUpdated(caseID: record.id, company: company, on: context.today, at: at))]
    if record.duplicateOf == nil, let found {
      decision.events.append(.duplicateFlagged(DuplicateFlagged(caseID: record.id, of: found, on: context.today, at: at)))
    }
    decision.index = try CompanyIndex.register(
      record.id, company: company, keys: keys, duplicateOf: record.duplicateOf ?? found, in: index, on: context.today, at: at)
    return decision
  }

  /// Records the company's consent (given, or withdrawn) to share its case with a referring partner.
  public static func changeConsent(of referral: CaseID, to consent: Bool, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard let current = record.referrals.first(where: { $0.id == referral }) else { throw .unknownReferral(referral, in: record.id) }
    guard current.consent != consent else { return [] }
    return [.consentChanged(ConsentChanged(caseID: record.id, referral: referral, consent: consent, on: context.today, at: Timestamp(context.at)))]
  }

  /// Clears a duplicate flag that was wrong: another company after all.
  public static func clearDuplicate(_ reason: String, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let record = try existing(state)
    guard let original = record.duplicateOf else { throw .notFlagged(record.id) }
    guard let reason = Text.required(reason, limit: 2000) else { throw .reasonRequired(action: "重複の解除") }
    return [.duplicateCleared(DuplicateCleared(caseID: record.id, of: original, reason: reason, on: context.today, at: Timestamp(context.at)))]
  }

  // MARK: Erasure

  /// Erases the personal data of a closed case (or a declined referral): on its own stream and on
  /// the stream of each referral it took in, so every read model of either clears what it holds.
  /// For ``ErasureReason/retention`` the case must have ended at least `retentionDays` ago; on a
  /// request (a manager's decision) at any time after it ended. An open case is closed first.
  ///
  /// The service destroys the keys the events name right after recording them.
  public static func erasePersonalData(
    reason: ErasureReason, retentionDays: Int, _ state: State, _ context: SuccessionContext
  ) throws(SuccessionError) -> [StreamEvents<Event>] {
    let record = try existing(state)
    guard let ended = record.endedOn else { throw .wrongPhase(record.id, record.phase, action: "個人情報を消去する") }
    if reason == .retention {
      let until = record.retentionEnds(afterDays: retentionDays) ?? .latest
      guard until <= context.today else { throw .retentionNotOver(record.id, ended: ended, until: until) }
    }
    let at = Timestamp(context.at)
    var writes = [
      StreamEvents(
        stream: try logStream(record.id),
        events: [Event.personalDataErased(PersonalDataErased(caseID: record.id, owners: record.personalDataOwners, reason: reason, on: context.today, at: at))])
    ]
    for referral in record.referrals where referral.id != record.id {
      writes.append(
        StreamEvents(
          stream: try logStream(referral.id),
          events: [
            .personalDataErased(
              PersonalDataErased(caseID: referral.id, owners: [Case.personalDataOwner(referral.id)], reason: reason, on: context.today, at: at))
          ]))
    }
    return writes
  }

  // MARK: Shared rules

  /// The case; refused when there is none or its personal data was erased (nothing more is decided on it).
  static func existing(_ state: State) throws(SuccessionError) -> Record {
    guard let state else { throw .unknownCase(nil) }
    guard state.erasedOn == nil else { throw .erased(state.id, on: state.erasedOn!) }
    return state
  }

  /// A date of something done: not after today, not before `earliest`.
  static func checkDate(_ date: LocalDate, field: String, notBefore earliest: LocalDate, what: String, _ context: SuccessionContext) throws(SuccessionError) {
    guard date <= context.today else { throw .dateInFuture(field: field, date, today: context.today) }
    guard date >= earliest else { throw .dateTooEarly(field: field, date, earliest: earliest, what: what) }
  }

  static func logStream(_ id: CaseID) throws(SuccessionError) -> StreamName {
    do { return try stream(id) } catch { throw .unknownCase(id) }
  }
}
