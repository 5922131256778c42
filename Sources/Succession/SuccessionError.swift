public import SharedKernel

/// Why the succession centre's system refused something. Each case reads as a sentence staff or
/// a partner can act on, in Japanese, and carries the data the service maps to problem+json;
/// ``field`` names the request field at fault.
public enum SuccessionError: Error, Sendable, Hashable, CustomStringConvertible {
  // Partners
  case invalidPartner(field: String, reason: String)
  case partnerExists(PartnerID, name: String)
  case unknownPartner(PartnerID)
  case partnerLeft(PartnerID, name: String)
  // Files
  case unreadableFile(reason: String)
  case csvSyntax(line: Int, reason: String)
  /// Every problem of an imported file, by line; nothing of it was recorded.
  case importRejected([RowProblem])
  // Referrals and intake
  /// A typed 法人番号 the service could not read (the deciders take ``CorporateNumber`` values).
  case invalidCorporateNumber(CorporateNumberError)
  case invalidCompany(field: String, reason: String)
  case invalidReferral(field: String, reason: String)
  case invalidIntake(field: String, reason: String)
  case caseExists(CaseID)
  case unknownCase(CaseID?)
  case unknownReferral(CaseID, in: CaseID)
  case wrongPhase(CaseID, Case.Phase, action: String)
  /// The company is a case still open or waiting: attach the referral, or keep it apart knowingly.
  case duplicateOfOpenCase(CaseID, companyName: String, phase: Case.Phase)
  case notFlagged(CaseID)
  // Stages and work
  case alreadyInStage(CaseID, Stage)
  case stageNotAllowed(from: Stage, to: Stage, allowed: [Stage])
  case stageNeedsThirdParty(Stage, kind: SuccessionKind)
  case successNeedsDeal(from: Stage, kind: SuccessionKind)
  case invalidStageMove(field: String, reason: String)
  case reasonRequired(action: String)
  case dateInFuture(field: String, LocalDate, today: LocalDate)
  case dateTooEarly(field: String, LocalDate, earliest: LocalDate, what: String)
  case invalidSession(field: String, reason: String)
  case invalidExpert(field: String, reason: String)
  case invalidNote(reason: String)
  case invalidAction(field: String, reason: String)
  case invalidRotation(reason: String)
  case invalidTarget(reason: String)
  // Diagnoses
  case invalidDiagnosis(field: String, reason: String)
  case unknownDiagnosis(DiagnosisID)
  case diagnosisLinked(DiagnosisID, to: CaseID)
  // Erasure
  /// The case's personal data was erased on that day: nothing more is recorded on it.
  case erased(CaseID, on: LocalDate)
  /// The retention period after the case ended runs until `until`.
  case retentionNotOver(CaseID, ended: LocalDate, until: LocalDate)
  // Matching
  case invalidProfile(field: String, reason: String)
  /// The teaser of an anonymous profile gives the company's name (or its reading) away.
  case teaserNamesCompany(String)
  case wrongSide(CaseID, expected: Side, actual: Side?)
  case profilePublished(CaseID)
  case profileNotPublished(CaseID?)
  case invalidProposal(field: String, reason: String)
  case proposalExists(ProposalID)
  case unknownProposal(ProposalID?)
  case openProposalExists(ProposalID, seller: CaseID, counterpart: Counterpart)
  case proposalEnded(ProposalID, ProposalOutcome)
  case stepRecorded(ProposalID, ProposalStep, on: LocalDate)
  case stepNeeds(ProposalID, ProposalStep, missing: ProposalStep)
  case dealNeedsBasicAgreement(ProposalID)
  case consentNotGiven(ProposalID)
  case consentBoundByNDA(ProposalID, ndaSignedOn: LocalDate)
  case proposalNotClosed(ProposalID)
  // Successor bank
  case invalidSuccessor(field: String, reason: String)
  case successorExists(SuccessorID)
  case unknownSuccessor(SuccessorID?)
  case successorNotActive(SuccessorID, SuccessorBank.Status, action: String)
  // Guarantee release
  case invalidGuarantee(field: String, reason: String)
  case guaranteeCaseExists(GuaranteeCaseID)
  case unknownGuaranteeCase(GuaranteeCaseID?)
  case guaranteeNotEligible(SuccessionTiming, today: LocalDate)
  case guaranteeConcluded(GuaranteeCaseID, GuaranteeOutcome)
  /// A release was recorded before what it needs: each missing thing named.
  case releaseNotReady(GuaranteeCaseID, missing: [String])

  /// How many row problems an import message lists before it says how many more there are.
  static let listedProblems = 20

  public var description: String {
    switch self {
    case .invalidPartner(_, let reason), .invalidCompany(_, let reason), .invalidReferral(_, let reason), .invalidIntake(_, let reason),
      .invalidStageMove(_, let reason), .invalidSession(_, let reason), .invalidExpert(_, let reason), .invalidNote(let reason),
      .invalidAction(_, let reason), .invalidRotation(let reason), .invalidTarget(let reason), .invalidDiagnosis(_, let reason),
      .unreadableFile(let reason), .invalidProfile(_, let reason), .invalidProposal(_, let reason), .invalidSuccessor(_, let reason),
      .invalidGuarantee(_, let reason):
      return reason
    case .partnerExists(let id, let name): return "機関コード \(id) は「\(name)」として登録済みです"
    case .unknownPartner(let id): return "機関コード \(id) の連携機関は登録されていません"
    case .partnerLeft(let id, let name): return "\(name)（\(id)）はネットワークを退会しています"
    case .csvSyntax(let line, let reason): return "\(line)行目: \(reason)"
    case .importRejected(let problems):
      let listed = problems.prefix(Self.listedProblems).map(\.description).joined(separator: "\n")
      let more = problems.count > Self.listedProblems ? "\nほか\(problems.count - Self.listedProblems)件" : ""
      return "ファイルに誤りが\(problems.count)件あるため、取り込みませんでした（直して全体をもう一度取り込んでください）:\n\(listed)\(more)"
    case .invalidCorporateNumber(let error): return error.description
    case .caseExists(let id): return "案件 \(id) はすでにあります"
    case .unknownCase(let id): return id.map { "案件 \($0) はありません" } ?? "その案件はありません"
    case .unknownReferral(let referral, let id): return "案件 \(id) に紹介 \(referral) はありません"
    case .wrongPhase(let id, let phase, let action): return "案件 \(id) は「\(phase.japaneseName)」のため\(action)ことはできません"
    case .duplicateOfOpenCase(let id, let name, let phase):
      return "「\(name)」は案件 \(id)（\(phase.japaneseName)）として受付済みです。その案件に統合するか、別案件として扱う場合はその旨（separateFrom: \(id)）を指定してください"
    case .notFlagged(let id): return "案件 \(id) は重複として記録されていません"
    case .alreadyInStage(let id, let stage): return "案件 \(id) はすでに「\(stage.japaneseName)」です"
    case .stageNotAllowed(let from, let to, let allowed):
      let next = allowed.map { "「\($0.japaneseName)」" }.joined(separator: "")
      return allowed.isEmpty
        ? "「\(from.japaneseName)」で終了した案件の段階は変えられません"
        : "「\(from.japaneseName)」から「\(to.japaneseName)」へは進めません（進められるのは\(next)）"
    case .stageNeedsThirdParty(let stage, let kind):
      return "「\(stage.japaneseName)」は第三者承継の段階です。承継の種類が「\(kind.japaneseName)」のままでは進められません（先に種類を第三者に変えてください）"
    case .successNeedsDeal(let from, let kind):
      return kind == .thirdParty
        ? "第三者承継の成約は「最終契約」または「登録機関へ引継ぎ」から記録してください（今は「\(from.japaneseName)」）"
        : "「\(from.japaneseName)」から成約にできるのは親族内・従業員承継だけです（承継の種類が「\(kind.japaneseName)」です）"
    case .reasonRequired(let action): return "\(action)には理由が必要です"
    case .dateInFuture(_, let date, let today): return "\(date) は今日（\(today)）より後の日付です"
    case .dateTooEarly(_, let date, let earliest, let what): return "\(date) は\(what)（\(earliest)）より前の日付です"
    case .unknownDiagnosis(let id): return "事業承継診断 \(id) はありません"
    case .diagnosisLinked(let id, let to): return "事業承継診断 \(id) はすでに案件 \(to) と結び付いています（先に解除してください）"
    case .erased(let id, let on): return "案件 \(id) の個人情報は \(on) に消去済みです。この案件には記録できません"
    case .retentionNotOver(let id, let ended, let until):
      return "案件 \(id) は \(ended) に終了しており、保存期間は \(until) までです（それまでは本人からの申出による消去のみ可能です）"
    case .teaserNamesCompany(let name): return "ノンネームの概要に社名（「\(name)」）が含まれています。社名が分からない書き方に直してください"
    case .wrongSide(let id, let expected, let actual):
      let side = actual.map { "「\($0.japaneseName)」側" } ?? "譲渡・譲受が未設定"
      return "案件 \(id) は\(side)のため、「\(expected.japaneseName)」側のノンネーム情報は掲載できません"
    case .profilePublished(let id): return "案件 \(id) のノンネーム情報はすでに掲載中です（変更は「更新」で行ってください）"
    case .profileNotPublished(let id): return id.map { "案件 \($0) のノンネーム情報は掲載されていません" } ?? "そのノンネーム情報は掲載されていません"
    case .proposalExists(let id): return "提案 \(id) はすでにあります"
    case .unknownProposal(let id): return id.map { "提案 \($0) はありません" } ?? "その提案はありません"
    case .openProposalExists(let id, let seller, let counterpart):
      return "案件 \(seller) と\(counterpart.japaneseName)の間には進行中の提案 \(id) があります（終了してから改めて提案してください）"
    case .proposalEnded(let id, let outcome): return "提案 \(id) は「\(outcome.japaneseName)」で終了しているため、これ以上記録できません"
    case .stepRecorded(let id, let step, let on): return "提案 \(id) の「\(step.japaneseName)」は \(on) に記録済みです"
    case .stepNeeds(let id, let step, let missing):
      return "提案 \(id) は「\(missing.japaneseName)」がまだのため、「\(step.japaneseName)」は記録できません"
    case .dealNeedsBasicAgreement(let id): return "提案 \(id) は「基本合意」がまだのため、成約は記録できません"
    case .consentNotGiven(let id): return "提案 \(id) には社名開示の同意が記録されていません"
    case .consentBoundByNDA(let id, let on):
      return "提案 \(id) は \(on) に秘密保持契約を締結済みで社名は開示されているため、開示の同意は取り消せません（提案を終了してください）"
    case .proposalNotClosed(let id): return "提案 \(id) は成約していません"
    case .successorExists(let id): return "人材バンク登録者 \(id) はすでに登録されています"
    case .unknownSuccessor(let id): return id.map { "人材バンク登録者 \($0) はいません" } ?? "その人材バンク登録者はいません"
    case .successorNotActive(let id, let status, let action): return "人材バンク登録者 \(id) は「\(status.japaneseName)」のため\(action)ことはできません"
    case .guaranteeCaseExists(let id): return "経営者保証解除支援 \(id) はすでにあります"
    case .unknownGuaranteeCase(let id): return id.map { "経営者保証解除支援 \($0) はありません" } ?? "その経営者保証解除支援はありません"
    case .guaranteeNotEligible(let timing, let today):
      return "経営者保証解除支援の対象は、事業承継を3年以内に予定しているか、過去3年以内に承継した会社です（\(timing.kind.japaneseName) \(timing.on)、今日は \(today)）"
    case .guaranteeConcluded(let id, let outcome):
      return "経営者保証解除支援 \(id) は「\(outcome.japaneseName)」で終了しています（再度の支援は新しい案件として受け付けてください）"
    case .releaseNotReady(let id, let missing):
      return "経営者保証解除支援 \(id) は、解除を記録する前に次が必要です: \(missing.joined(separator: "、"))"
    }
  }

  /// The request field at fault, when there is one (for problem+json's `field`).
  public var field: String? {
    switch self {
    case .invalidPartner(let field, _), .invalidCompany(let field, _), .invalidReferral(let field, _), .invalidIntake(let field, _),
      .invalidStageMove(let field, _), .invalidSession(let field, _), .invalidExpert(let field, _), .invalidAction(let field, _),
      .invalidDiagnosis(let field, _), .dateInFuture(let field, _, _), .dateTooEarly(let field, _, _, _), .invalidProfile(let field, _),
      .invalidProposal(let field, _), .invalidSuccessor(let field, _), .invalidGuarantee(let field, _):
      return field
    case .partnerExists: return "id"
    case .unknownPartner, .partnerLeft: return "partner"
    case .unreadableFile, .csvSyntax, .importRejected: return "file"
    case .invalidCorporateNumber: return "corporateNumber"
    case .duplicateOfOpenCase: return "separateFrom"
    case .alreadyInStage, .stageNotAllowed, .successNeedsDeal: return "stage"
    case .stageNeedsThirdParty: return "kind"
    case .reasonRequired: return "reason"
    case .invalidNote: return "text"
    case .invalidRotation: return "rotations"
    case .invalidTarget: return "succeeded"
    case .unknownReferral: return "referral"
    case .retentionNotOver: return "reason"
    case .teaserNamesCompany: return "summary"
    case .proposalExists, .successorExists, .guaranteeCaseExists: return "id"
    case .openProposalExists: return "counterpart"
    case .stepRecorded, .stepNeeds, .dealNeedsBasicAgreement, .consentNotGiven, .consentBoundByNDA: return "step"
    case .proposalNotClosed: return "proposal"
    case .guaranteeNotEligible: return "succession"
    case .releaseNotReady: return "outcome"
    case .caseExists, .unknownCase, .wrongPhase, .notFlagged, .unknownDiagnosis, .diagnosisLinked, .erased, .wrongSide, .profilePublished, .profileNotPublished,
      .unknownProposal, .proposalEnded, .unknownSuccessor, .successorNotActive, .unknownGuaranteeCase, .guaranteeConcluded:
      return nil
    }
  }
}
