/// Where a case is, from intake to its close. The first ten are open; the last four close it.
///
/// The moves allowed (``next``), as the centre works a case:
///
/// | from | to |
/// |---|---|
/// | intake 受付 | consultation (the first session moves it there), or a closing |
/// | consultation 相談 | planning, matching, handed-off, succeeded¹, or a closing |
/// | planning 計画策定支援 | consultation, matching, handed-off, succeeded¹, or a closing |
/// | matching マッチング | planning, handed-off, nda, or a closing |
/// | handed-off 登録機関へ引継ぎ | matching, nda, succeeded, or a closing |
/// | nda 秘密保持契約 | matching, top-meeting, or a closing |
/// | top-meeting トップ面談 | matching, basic-agreement, or a closing |
/// | basic-agreement 基本合意 | matching, due-diligence, or a closing |
/// | due-diligence デューデリジェンス | matching, final-agreement, or a closing |
/// | final-agreement 最終契約 | matching, succeeded, or a closing |
/// | a closed stage | nothing: closed is final |
///
/// "A closing" is discontinued, business-closed or referred-elsewhere, each with a reason. A move
/// back (a deal that broke off returns to matching) needs a reason too. ¹ Succeeded straight from
/// consultation or planning is a family or employee succession (親族内・従業員承継の支援完了);
/// a third-party succession (M&A) succeeds from the final agreement or from a hand-off to a
/// registered agency, and every stage from matching to the final agreement is third-party work.
public enum Stage: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// 受付.
  case intake
  /// 相談.
  case consultation
  /// 事業承継計画策定支援.
  case planning
  /// マッチング（譲受・譲渡候補の探索）.
  case matching
  /// 登録民間支援機関（M&A仲介・FA）への引継ぎ.
  case handedOff = "handed-off"
  /// 秘密保持契約.
  case nda
  /// トップ面談.
  case topMeeting = "top-meeting"
  /// 基本合意.
  case basicAgreement = "basic-agreement"
  /// デューデリジェンス.
  case dueDiligence = "due-diligence"
  /// 最終契約.
  case finalAgreement = "final-agreement"
  /// 成約（承継完了）.
  case succeeded
  /// 支援中止.
  case discontinued
  /// 廃業.
  case businessClosed = "business-closed"
  /// 他機関へ紹介.
  case referredElsewhere = "referred-elsewhere"

  public var japaneseName: String {
    switch self {
    case .intake: "受付"
    case .consultation: "相談"
    case .planning: "計画策定支援"
    case .matching: "マッチング"
    case .handedOff: "登録機関へ引継ぎ"
    case .nda: "秘密保持契約"
    case .topMeeting: "トップ面談"
    case .basicAgreement: "基本合意"
    case .dueDiligence: "デューデリジェンス"
    case .finalAgreement: "最終契約"
    case .succeeded: "成約"
    case .discontinued: "支援中止"
    case .businessClosed: "廃業"
    case .referredElsewhere: "他機関へ紹介"
    }
  }

  /// The order of the table above.
  public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.position < rhs.position }

  var position: Int { Stage.allCases.firstIndex(of: self) ?? 0 }

  /// The stages a case is worked in.
  public static let open: [Stage] = [.intake, .consultation, .planning, .matching, .handedOff, .nda, .topMeeting, .basicAgreement, .dueDiligence, .finalAgreement]

  /// The ends a case can have.
  public static let closings: [Stage] = [.succeeded, .discontinued, .businessClosed, .referredElsewhere]

  /// Closed: nothing more happens in the case.
  public var isClosed: Bool { Stage.closings.contains(self) }

  /// Third-party (M&A) work: the case's kind must be third-party to be here.
  public var isDealStage: Bool { (Stage.matching.position...Stage.finalAgreement.position).contains(position) }

  /// A closing that must say why (every closing but a success).
  public var needsReason: Bool { isClosed && self != .succeeded }

  /// Where a case may go from here (the table above), in the table's order.
  public var next: [Stage] {
    let ends: [Stage] = [.discontinued, .businessClosed, .referredElsewhere]
    switch self {
    case .intake: return [.consultation] + ends
    case .consultation: return [.planning, .matching, .handedOff, .succeeded] + ends
    case .planning: return [.consultation, .matching, .handedOff, .succeeded] + ends
    case .matching: return [.planning, .handedOff, .nda] + ends
    case .handedOff: return [.matching, .nda, .succeeded] + ends
    case .nda: return [.matching, .topMeeting] + ends
    case .topMeeting: return [.matching, .basicAgreement] + ends
    case .basicAgreement: return [.matching, .dueDiligence] + ends
    case .dueDiligence: return [.matching, .finalAgreement] + ends
    case .finalAgreement: return [.matching, .succeeded] + ends
    case .succeeded, .discontinued, .businessClosed, .referredElsewhere: return []
    }
  }

  /// Typed as a desk gives it: the raw value (`top-meeting`) or the Japanese name (`トップ面談`).
  public init?(typed text: String) {
    let word = CompanyMatching.name(text)
    guard let stage = Stage.allCases.first(where: { CompanyMatching.name($0.rawValue) == word || CompanyMatching.name($0.japaneseName) == word }) else {
      return nil
    }
    self = stage
  }
}
