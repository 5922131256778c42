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
  case reasonRequired(action: String)

  /// How many row problems an import message lists before it says how many more there are.
  static let listedProblems = 20

  public var description: String {
    switch self {
    case .invalidPartner(_, let reason), .unreadableFile(let reason):
      return reason
    case .partnerExists(let id, let name): return "機関コード \(id) は「\(name)」として登録済みです"
    case .unknownPartner(let id): return "機関コード \(id) の連携機関は登録されていません"
    case .partnerLeft(let id, let name): return "\(name)（\(id)）はネットワークを退会しています"
    case .csvSyntax(let line, let reason): return "\(line)行目: \(reason)"
    case .importRejected(let problems):
      let listed = problems.prefix(Self.listedProblems).map(\.description).joined(separator: "\n")
      let more = problems.count > Self.listedProblems ? "\nほか\(problems.count - Self.listedProblems)件" : ""
      return "ファイルに誤りが\(problems.count)件あるため、取り込みませんでした（直して全体をもう一度取り込んでください）:\n\(listed)\(more)"
    case .reasonRequired(let action): return "\(action)には理由が必要です"
    }
  }

  /// The request field at fault, when there is one (for problem+json's `field`).
  public var field: String? {
    switch self {
    case .invalidPartner(let field, _): return field
    case .partnerExists: return "id"
    case .unknownPartner, .partnerLeft: return "partner"
    case .unreadableFile, .csvSyntax, .importRejected: return "file"
    case .reasonRequired: return "reason"
    }
  }
}
