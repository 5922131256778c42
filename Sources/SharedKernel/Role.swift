/// What a user may see and do. A role sees and changes only its own context (DESIGN.md).
///
/// Raw values are stored in events and tokens: never rename one.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
  /// The building front desk (施設受付): books rooms and the hall, handles tenants and parking.
  case desk
  /// The building manager (施設管理責任者): approves what the desk cannot, closes spaces for works.
  case buildingManager = "building-manager"
  /// Business-succession centre staff (事業承継支援担当).
  case succession
  /// The succession centre's manager (事業承継支援責任者).
  case successionManager = "succession-manager"
  /// A partner organisation in the succession network (連携支援機関): sees the shareable status of
  /// its own referrals and reports its diagnoses (事業承継診断).
  case partner
  /// Treasury staff for the deposit scheme (預託事業担当): enters postings.
  case treasury
  /// The treasury manager (預託事業責任者): approves postings (maker–checker), closes and reopens periods.
  case treasuryManager = "treasury-manager"
  /// An administrator (システム管理者): users, projections, configuration; no business writes.
  case admin
  /// An auditor (監査担当): reads everything, changes nothing.
  case auditor

  /// The name shown on pages, in Japanese.
  public var displayName: String {
    switch self {
    case .desk: "施設受付"
    case .buildingManager: "施設管理責任者"
    case .succession: "事業承継支援担当"
    case .successionManager: "事業承継支援責任者"
    case .partner: "連携支援機関"
    case .treasury: "預託事業担当"
    case .treasuryManager: "預託事業責任者"
    case .admin: "システム管理者"
    case .auditor: "監査担当"
    }
  }

  /// The raw value, e.g. `building-manager`.
  public var description: String { rawValue }
}
