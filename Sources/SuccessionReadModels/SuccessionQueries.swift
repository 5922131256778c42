import Foundation
public import GRDB
public import Projections
public import SharedKernel
public import Succession

/// A partner as the partner table shows it, with its referrals and diagnoses of a fiscal year.
public struct PartnerSummary: Sendable, Hashable, Codable {
  public var id: PartnerID
  public var name: String
  public var type: PartnerType
  public var region: Region
  public var contact: PartnerContact
  public var active: Bool
  public var joinedOn: LocalDate
  public var leftOn: LocalDate?
  /// Referrals received in the year asked about.
  public var referrals: Int
  /// Of those, accepted as cases (or attached to one).
  public var referralsInSupport: Int
  /// Every referral received from it.
  public var referralsEver: Int
  /// Diagnoses it reported in the year.
  public var diagnoses: Int
}

/// A case as the lists show it.
public struct CaseSummary: Sendable, Hashable, Codable {
  public var id: CaseID
  public var phase: Case.Phase
  public var companyName: String
  public var companyKana: String?
  public var corporateNumber: String?
  public var route: Route
  public var side: Side?
  public var kind: SuccessionKind
  public var stage: Stage?
  public var assignee: UserID?
  /// The partner that referred it, when it began as a referral.
  public var partner: PartnerID?
  public var receivedOn: LocalDate
  public var stageSince: LocalDate?
  public var closedOn: LocalDate?
  public var nextAction: NextAction?
  public var duplicateOf: CaseID?
  public var attachedTo: CaseID?
  public var sessions: Int
}

/// Which cases a list shows; every field left nil is not a filter.
public struct CaseFilter: Sendable, Hashable {
  /// A staff member's cases; ``unassigned`` for those of nobody.
  public var assignee: Assignee?
  public var stage: Stage?
  public var phase: Case.Phase?
  /// Only open cases whose next action was due before this day.
  public var overdueOn: LocalDate?
  public var partner: PartnerID?
  /// Part of the company's name or reading, or its 法人番号.
  public var text: String?
  public var limit = 200
  public var offset = 0

  public enum Assignee: Sendable, Hashable {
    case staff(UserID)
    case unassigned
  }

  public init() {}
}

/// The read model's answers.
public enum SuccessionQueries {
  static let decoder = JSONDecoder()

  static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T { try decoder.decode(type, from: Data(json.utf8)) }

  // MARK: Partners

  public static func partner(_ id: String, in db: Database, _ set: TableSet) throws -> Partners.Partner? {
    try String.fetchOne(db, sql: "SELECT json FROM \"\(set.table("partners"))\" WHERE id = ?", arguments: [id]).map { try decode(Partners.Partner.self, $0) }
  }

  /// Every partner, in id order (the registry's order).
  public static func partners(in db: Database, _ set: TableSet) throws -> [Partners.Partner] {
    try String.fetchAll(db, sql: "SELECT json FROM \"\(set.table("partners"))\" ORDER BY id").map { try decode(Partners.Partner.self, $0) }
  }

  /// The partner table of `year`: every partner (those that left too when `includeLeft`) with
  /// its referrals and diagnoses of the year, by type then id.
  public static func partnerTable(_ year: FiscalYear, includeLeft: Bool, in db: Database, _ set: TableSet) throws -> [PartnerSummary] {
    let first = year.firstDay.description
    let last = year.lastDay.description
    var counts: [String: (year: Int, support: Int, ever: Int)] = [:]
    // Each referral counts once, where it was received: its own stream's row says whether it was taken up.
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT partner, count(*) AS ever, sum(received_on BETWEEN ? AND ?) AS year,
          sum(received_on BETWEEN ? AND ? AND phase NOT IN ('referred', 'declined')) AS support
        FROM "\(set.table("cases"))" WHERE partner IS NOT NULL GROUP BY partner
        """, arguments: [first, last, first, last])
    {
      counts[row["partner"]] = (row["year"], row["support"], row["ever"])
    }
    var diagnoses: [String: Int] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT partner, count(*) AS n FROM \"\(set.table("diagnoses"))\" WHERE on_date BETWEEN ? AND ? GROUP BY partner",
      arguments: [first, last])
    {
      diagnoses[row["partner"]] = row["n"]
    }
    return try partners(in: db, set).filter { includeLeft || $0.active }.map { partner in
      let count = counts[partner.id.rawValue] ?? (0, 0, 0)
      return PartnerSummary(
        id: partner.id, name: partner.name, type: partner.type, region: partner.region, contact: partner.contact, active: partner.active,
        joinedOn: partner.joinedOn, leftOn: partner.leftOn, referrals: count.year, referralsInSupport: count.support, referralsEver: count.ever,
        diagnoses: diagnoses[partner.id.rawValue] ?? 0)
    }.sorted { ($0.type, $0.id) < ($1.type, $1.id) }
  }

  // MARK: Cases

  /// A case's stream as the read model folded it.
  public static func record(_ id: String, in db: Database, _ set: TableSet) throws -> Case.Record? {
    try String.fetchOne(db, sql: "SELECT json FROM \"\(set.table("cases"))\" WHERE id = ?", arguments: [id]).map { try decode(Case.Record.self, $0) }
  }

  /// Every case stream's record (referrals waiting, declined and attached too), by id.
  public static func records(in db: Database, _ set: TableSet) throws -> [Case.Record] {
    try String.fetchAll(db, sql: "SELECT json FROM \"\(set.table("cases"))\" ORDER BY id").map { try decode(Case.Record.self, $0) }
  }

  /// The records of `ids`, by id.
  public static func records(_ ids: [String], in db: Database, _ set: TableSet) throws -> [Case.Record] {
    guard !ids.isEmpty else { return [] }
    let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
    return try String.fetchAll(
      db, sql: "SELECT json FROM \"\(set.table("cases"))\" WHERE id IN (\(marks)) ORDER BY id", arguments: StatementArguments(ids)
    ).map { try decode(Case.Record.self, $0) }
  }

  static func summary(_ row: Row) throws -> CaseSummary {
    let record = try decode(Case.Record.self, row["json"])
    return CaseSummary(
      id: record.id, phase: record.phase, companyName: record.company.name, companyKana: record.company.nameKana,
      corporateNumber: record.company.corporateNumber?.description, route: record.route, side: record.side, kind: record.kind,
      stage: record.stage, assignee: record.assignee, partner: record.referrals.first { $0.id == record.id }?.partner,
      receivedOn: record.receivedOn, stageSince: record.stageSince, closedOn: record.closedOn, nextAction: record.nextAction,
      duplicateOf: record.duplicateOf, attachedTo: record.attachedTo, sessions: record.sessions.count)
  }

  /// The WHERE clause, its arguments and the ORDER BY of `filter`.
  static func `where`(_ filter: CaseFilter, in set: TableSet) throws -> (String, [(any DatabaseValueConvertible)?], String) {
    var conditions: [String] = []
    var arguments: [(any DatabaseValueConvertible)?] = []
    switch filter.assignee {
    case .staff(let id)?:
      conditions.append("assignee = ?")
      arguments.append(id.rawValue)
    case .unassigned?: conditions.append("assignee IS NULL")
    case nil: break
    }
    if let stage = filter.stage {
      conditions.append("stage = ? AND phase IN ('open', 'closed')")
      arguments.append(stage.rawValue)
    }
    if let phase = filter.phase {
      conditions.append("phase = ?")
      arguments.append(phase.rawValue)
    }
    if let day = filter.overdueOn {
      conditions.append("phase = 'open' AND action_due IS NOT NULL AND action_due < ?")
      arguments.append(day.description)
    }
    if let partner = filter.partner {
      conditions.append("id IN (SELECT holder FROM \"\(set.table("referrals"))\" WHERE partner = ?)")
      arguments.append(partner.rawValue)
    }
    if let text = filter.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
      let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
      let kana = CompanyMatching.katakana(text).map { "%" + $0 + "%" } ?? pattern
      conditions.append("(company_name LIKE ? ESCAPE '\\' OR company_kana LIKE ? ESCAPE '\\' OR corporate_number = ?)")
      arguments += [pattern, kana, text]
    }
    let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    let order = filter.overdueOn != nil ? "action_due, id" : "received_on DESC, id DESC"
    return (clause, arguments, order)
  }

  /// The cases `filter` asks for: most recently received first; overdue lists most overdue first.
  public static func cases(_ filter: CaseFilter, in db: Database, _ set: TableSet) throws -> (total: Int, cases: [CaseSummary]) {
    let (clause, arguments, order) = try `where`(filter, in: set)
    let table = set.table("cases")
    let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\" \(clause)", arguments: StatementArguments(arguments)) ?? 0
    let rows = try Row.fetchAll(
      db, sql: "SELECT json FROM \"\(table)\" \(clause) ORDER BY \(order) LIMIT ? OFFSET ?",
      arguments: StatementArguments(arguments + [filter.limit, filter.offset]))
    return (total, try rows.map(summary))
  }

  /// The records of the cases `filter` asks for (every one: its limit and offset are not applied).
  public static func records(_ filter: CaseFilter, in db: Database, _ set: TableSet) throws -> [Case.Record] {
    let (clause, arguments, order) = try `where`(filter, in: set)
    return try String.fetchAll(
      db, sql: "SELECT json FROM \"\(set.table("cases"))\" \(clause) ORDER BY \(order)", arguments: StatementArguments(arguments)
    ).map { try decode(Case.Record.self, $0) }
  }

  /// What `partner` sees of its referrals (``Case/partnerView(_:for:)`` of each case holding
  /// one), newest first.
  public static func partnerView(of partner: PartnerID, in db: Database, _ set: TableSet) throws -> [PartnerReferralView] {
    try records(try referralHolders(of: partner, in: db, set), in: db, set)
      .flatMap { Case.partnerView($0, for: partner) }
      .sorted { ($0.referredOn, $0.referral) > ($1.referredOn, $1.referral) }
  }

  /// The streams that hold `partner`'s referrals (its own, and the cases they were attached to).
  public static func referralHolders(of partner: PartnerID, in db: Database, _ set: TableSet) throws -> [String] {
    try String.fetchAll(
      db, sql: "SELECT DISTINCT holder FROM \"\(set.table("referrals"))\" WHERE partner = ? ORDER BY holder", arguments: [partner.rawValue])
  }

  // MARK: Diagnoses and targets

  public static func diagnosis(_ id: String, in db: Database, _ set: TableSet) throws -> Diagnoses.Entry? {
    try String.fetchOne(db, sql: "SELECT json FROM \"\(set.table("diagnoses"))\" WHERE id = ?", arguments: [id]).map { try decode(Diagnoses.Entry.self, $0) }
  }

  /// The diagnoses of the days `first` … `last` (a partner's only, when given), by date then id.
  public static func diagnoses(from first: LocalDate, to last: LocalDate, partner: PartnerID? = nil, in db: Database, _ set: TableSet) throws -> [Diagnoses.Entry] {
    var sql = "SELECT json FROM \"\(set.table("diagnoses"))\" WHERE on_date BETWEEN ? AND ?"
    var arguments: [(any DatabaseValueConvertible)?] = [first.description, last.description]
    if let partner {
      sql += " AND partner = ?"
      arguments.append(partner.rawValue)
    }
    return try String.fetchAll(db, sql: sql + " ORDER BY on_date, id", arguments: StatementArguments(arguments)).map { try decode(Diagnoses.Entry.self, $0) }
  }

  /// The 成約 target of `year`, when set.
  public static func target(_ year: FiscalYear, in db: Database, _ set: TableSet) throws -> Int? {
    try Int.fetchOne(db, sql: "SELECT succeeded FROM \"\(set.table("targets"))\" WHERE fy = ?", arguments: [year.description])
  }

  /// The KPI report of `year`, from every case and the year's diagnoses.
  public static func kpis(_ year: FiscalYear, in db: Database, _ set: TableSet) throws -> KPIReport {
    let records = try records(in: db, set)
    return SuccessionKPI.report(
      year, cases: records.compactMap(CaseFacts.init), referrals: records.compactMap(ReferralFacts.init),
      diagnoses: try diagnoses(from: year.firstDay, to: year.lastDay, in: db, set).map(DiagnosisFacts.init), partners: try partners(in: db, set),
      target: try target(year, in: db, set))
  }
}
