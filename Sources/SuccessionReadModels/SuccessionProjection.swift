public import EventLog
import Foundation
public import GRDB
public import Projections
import SharedKernel
import Succession

/// The centre's read model: partners, cases (each row keeps the case as its stream tells it,
/// folded by the context's own `evolve`), where each referral is now held, diagnoses and the
/// yearly targets.
public struct SuccessionProjection: Projection {
  public let name = "succession"
  public let version = 1
  /// Opens the cases' personal data (erased data reads as erased).
  let caseCodec: EventCodec<Case.Event>

  public init(vault: any PersonalDataVault) { caseCodec = Case.codec.sealing(with: vault) }

  public var eventTypes: Set<String> {
    Set(Partners.codec.types + Case.codec.types + Diagnoses.codec.types + Targets.codec.types)
  }

  public var tables: [String] { ["partners", "cases", "referrals", "diagnoses", "targets"] }

  public func createTables(in db: Database, _ set: TableSet) throws {
    let partners = set.table("partners")
    let cases = set.table("cases")
    let referrals = set.table("referrals")
    let diagnoses = set.table("diagnoses")
    try db.execute(
      sql: """
        CREATE TABLE "\(partners)" (
          id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, region TEXT NOT NULL, active INTEGER NOT NULL,
          joined_on TEXT NOT NULL, left_on TEXT, json TEXT NOT NULL);
        CREATE TABLE "\(cases)" (
          id TEXT PRIMARY KEY, phase TEXT NOT NULL, company_name TEXT NOT NULL, company_kana TEXT, corporate_number TEXT,
          route TEXT NOT NULL, side TEXT, kind TEXT NOT NULL, stage TEXT, assignee TEXT, partner TEXT, received_on TEXT NOT NULL,
          stage_since TEXT, closed_on TEXT, action_due TEXT, duplicate_of TEXT, attached_to TEXT, sessions INTEGER NOT NULL,
          json TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE INDEX "\(cases)_assignee" ON "\(cases)"(assignee, phase);
        CREATE INDEX "\(cases)_due" ON "\(cases)"(phase, action_due);
        CREATE INDEX "\(cases)_received" ON "\(cases)"(received_on);
        CREATE TABLE "\(referrals)" (
          id TEXT PRIMARY KEY, holder TEXT NOT NULL, partner TEXT NOT NULL, received_on TEXT NOT NULL, consent INTEGER NOT NULL);
        CREATE INDEX "\(referrals)_partner" ON "\(referrals)"(partner, received_on);
        CREATE INDEX "\(referrals)_holder" ON "\(referrals)"(holder);
        CREATE TABLE "\(diagnoses)" (
          id TEXT PRIMARY KEY, partner TEXT NOT NULL, partner_type TEXT NOT NULL, on_date TEXT NOT NULL, linked_case TEXT, json TEXT NOT NULL);
        CREATE INDEX "\(diagnoses)_date" ON "\(diagnoses)"(on_date);
        CREATE INDEX "\(diagnoses)_partner" ON "\(diagnoses)"(partner, on_date);
        CREATE TABLE "\(set.table("targets"))" (fy TEXT PRIMARY KEY, succeeded INTEGER NOT NULL);
        """)
  }

  public func apply(_ event: RecordedEvent, in db: Database, _ set: TableSet) throws {
    if Case.codec.reads(event.type) {
      let decoded = try caseCodec.decode(event)
      let id = decoded.caseID
      let before = try SuccessionQueries.record(id.rawValue, in: db, set)
      guard let after = Case.evolve(before, decoded) else { return }
      try save(after, position: event.position, in: db, set)
    } else if Partners.codec.reads(event.type) {
      let decoded = try Partners.codec.decode(event)
      var state = Partners.State()
      if let known = try SuccessionQueries.partner(decoded.partnerID.rawValue, in: db, set) { state.partners = [known] }
      guard let after = Partners.evolve(state, decoded).partner(decoded.partnerID) else { return }
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO "\(set.table("partners"))" (id, name, type, region, active, joined_on, left_on, json)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          after.id.rawValue, after.name, after.type.rawValue, after.region.rawValue, after.active, after.joinedOn.description,
          after.leftOn?.description, try Self.json(after),
        ])
    } else if Diagnoses.codec.reads(event.type) {
      let decoded = try Diagnoses.codec.decode(event)
      var state = Diagnoses.State()
      if let known = try SuccessionQueries.diagnosis(decoded.diagnosisID.rawValue, in: db, set) { state.entries = [known] }
      guard let after = Diagnoses.evolve(state, decoded).entry(decoded.diagnosisID) else { return }
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO "\(set.table("diagnoses"))" (id, partner, partner_type, on_date, linked_case, json) VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          after.id.rawValue, after.partner.rawValue, after.partnerType.rawValue, after.report.on.description, after.linkedCase?.rawValue,
          try Self.json(after),
        ])
    } else if Targets.codec.reads(event.type) {
      switch try Targets.codec.decode(event) {
      case .set(let e):
        try db.execute(
          sql: "INSERT OR REPLACE INTO \"\(set.table("targets"))\" (fy, succeeded) VALUES (?, ?)", arguments: [e.year.description, e.succeeded])
      }
    }
  }

  /// A batch at once: each case's row is read and written once however many of its events the
  /// batch holds (a case's JSON is decoded and encoded once, not once per session). The other
  /// tables fold event by event; no table's rows depend on another's, so the rows are those of
  /// folding one by one.
  public func apply(batch events: ArraySlice<RecordedEvent>, in db: Database, _ set: TableSet) throws {
    var cases: [CaseID: (record: Case.Record?, position: Int64)] = [:]
    let types = eventTypes
    for event in events {
      do {
        if Case.codec.reads(event.type) {
          let decoded = try caseCodec.decode(event)
          let id = decoded.caseID
          let before = try cases[id]?.record ?? SuccessionQueries.record(id.rawValue, in: db, set)
          cases[id] = (Case.evolve(before, decoded), event.position)
        } else if types.contains(event.type) {
          try apply(event, in: db, set)
        }
      } catch {
        throw ProjectionEventFailure(position: event.position, type: event.type, reason: error)
      }
    }
    // In case order, so the same batch writes the same way every time.
    for id in cases.keys.sorted() {
      guard let (record, position) = cases[id], let record else { continue }
      do { try save(record, position: position, in: db, set) } catch {
        throw ProjectionEventFailure(position: position, type: "Succession case \(id)", reason: error)
      }
    }
  }

  private func save(_ record: Case.Record, position: Int64, in db: Database, _ set: TableSet) throws {
    let own = record.referrals.first { $0.id == record.id }
    try db.execute(
      sql: """
        INSERT OR REPLACE INTO "\(set.table("cases"))" (id, phase, company_name, company_kana, corporate_number, route, side, kind, stage,
          assignee, partner, received_on, stage_since, closed_on, action_due, duplicate_of, attached_to, sessions, json, position)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        record.id.rawValue, record.phase.rawValue, record.company.name, record.company.nameKana, record.company.corporateNumber?.description,
        record.route.rawValue, record.side?.rawValue, record.kind.rawValue, record.stage?.rawValue, record.assignee?.rawValue,
        own?.partner.rawValue, record.receivedOn.description, record.stageSince?.description, record.closedOn?.description,
        record.nextAction?.due.description, record.duplicateOf?.rawValue, record.attachedTo?.rawValue, record.sessions.count,
        try Self.json(record), position,
      ])
    // Where each referral is held now: a referral attached to another case is held there.
    let referrals = set.table("referrals")
    try db.execute(sql: "DELETE FROM \"\(referrals)\" WHERE holder = ?", arguments: [record.id.rawValue])
    guard record.phase != .attached else { return }
    for referral in record.referrals {
      try db.execute(
        sql: "INSERT OR REPLACE INTO \"\(referrals)\" (id, holder, partner, received_on, consent) VALUES (?, ?, ?, ?, ?)",
        arguments: [referral.id.rawValue, record.id.rawValue, referral.partner.rawValue, referral.receivedOn.description, referral.consent])
    }
  }

  /// Keys sorted, so the same value is the same text in every rebuild (checksums compare rows).
  static func json(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}

extension Case.Event {
  /// The case whose stream carries the event.
  var caseID: CaseID {
    switch self {
    case .referralReceived(let e): e.caseID
    case .referralAccepted(let e): e.caseID
    case .referralDeclined(let e): e.caseID
    case .referralAttached(let e): e.caseID
    case .referralAdded(let e): e.caseID
    case .intakeOpened(let e): e.caseID
    case .consentChanged(let e): e.caseID
    case .companyUpdated(let e): e.caseID
    case .classified(let e): e.caseID
    case .stageMoved(let e): e.caseID
    case .sessionRecorded(let e): e.caseID
    case .expertDispatched(let e): e.caseID
    case .noteAdded(let e): e.caseID
    case .nextActionSet(let e): e.caseID
    case .nextActionDone(let e): e.caseID
    case .assigned(let e): e.caseID
    case .duplicateFlagged(let e): e.caseID
    case .duplicateCleared(let e): e.caseID
    case .personalDataErased(let e): e.caseID
    }
  }
}

extension Partners.Event {
  var partnerID: PartnerID {
    switch self {
    case .joined(let e): e.partner
    case .renamed(let e): e.partner
    case .contactChanged(let e): e.partner
    case .reclassified(let e): e.partner
    case .left(let e): e.partner
    }
  }
}

extension Diagnoses.Event {
  var diagnosisID: DiagnosisID {
    switch self {
    case .reported(let e): e.diagnosis
    case .linked(let e): e.diagnosis
    case .unlinked(let e): e.diagnosis
    }
  }
}
