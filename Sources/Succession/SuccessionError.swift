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

  /// How many row problems an import message lists before it says how many more there are.
  static let listedProblems = 20

  public var description: String {
    switch self {
    case .invalidPartner(_, let reason), .invalidCompany(_, let reason), .invalidReferral(_, let reason), .invalidIntake(_, let reason),
      .invalidStageMove(_, let reason), .invalidSession(_, let reason), .invalidExpert(_, let reason), .invalidNote(let reason),
      .invalidAction(_, let reason), .invalidRotation(let reason), .invalidTarget(let reason), .invalidDiagnosis(_, let reason),
      .unreadableFile(let reason):
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
    }
  }

  /// The request field at fault, when there is one (for problem+json's `field`).
  public var field: String? {
    switch self {
    case .invalidPartner(let field, _), .invalidCompany(let field, _), .invalidReferral(let field, _), .invalidIntake(let field, _),
      .invalidStageMove(let field, _), .invalidSession(let field, _), .invalidExpert(let field, _), .invalidAction(let field, _),
      .invalidDiagnosis(let field, _), .dateInFuture(let field, _, _), .dateTooEarly(let field, _, _, _):
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
    case .caseExists, .unknownCase, .wrongPhase, .notFlagged, .unknownDiagnosis, .diagnosisLinked, .erased: return nil
    case .retentionNotOver: return "reason"
    }
  }
}
