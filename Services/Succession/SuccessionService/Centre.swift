import AccountsReadModels
import EventLog
import Foundation
import ServiceKit
import SharedKernel
import Succession

/// The succession centre's operations: each loads the streams its decision needs into a
/// ``Transaction``, asks the Succession context to decide, and queues the events for one
/// append. The time comes from `now` (Japan's date with the fixed +09:00 offset).
struct Centre: Sendable {
  let store: any EventStore
  let now: @Sendable () -> Date
  /// Who may be given cases (nil: no directory, as in tests that sign nobody in).
  let directory: UserDirectory?
  /// Seals the cases' personal data under each case's key, and opens it.
  let vault: any PersonalDataVault

  var caseCodec: EventCodec<Case.Event> { Case.codec.sealing(with: vault) }
  var indexCodec: EventCodec<CompanyIndex.Event> { CompanyIndex.codec.sealing(with: vault) }

  var decisions: Decisions { Decisions(store: store, vault: vault) }

  func context() throws -> SuccessionContext { try SuccessionContext(at: now()) }

  // MARK: Streams

  func partners(in t: Transaction) async throws -> Partners.State {
    try await t.load(Partners.stream(), codec: Partners.codec, initial: Partners.initialState, evolve: Partners.evolve)
  }

  func caseState(_ id: CaseID, in t: Transaction) async throws -> Case.State {
    try await t.load(Case.stream(id), codec: caseCodec, initial: Case.initialState, evolve: Case.evolve)
  }

  /// A case that exists, else 404.
  func existingCase(_ id: CaseID, in t: Transaction) async throws -> Case.Record {
    guard let record = try await caseState(id, in: t) else { throw SuccessionError.unknownCase(id) }
    return record
  }

  func index(_ company: Company, in t: Transaction) async throws -> CompanyIndex.Lookup {
    var lookup: CompanyIndex.Lookup = [:]
    for key in CompanyIndex.keys(of: company).sorted() {
      lookup[key] = try await t.load(key.stream(), codec: indexCodec, initial: CompanyIndex.initialState, evolve: CompanyIndex.evolve)
    }
    return lookup
  }

  /// The next case number of the fiscal year of `today`, queued on its stream.
  func nextCaseID(_ context: SuccessionContext, in t: Transaction) async throws -> CaseID {
    let year = FiscalYear(containing: context.today)
    let stream = try CaseNumbers.stream(year)
    let issued = try await t.load(stream, codec: CaseNumbers.codec, initial: CaseNumbers.initialState, evolve: CaseNumbers.evolve)
    let (id, event) = try CaseNumbers.next(year, issued, context)
    // Another intake took this number after the numbers were read: read both again.
    if try await caseState(id, in: t) != nil { throw StaleRead(try Case.stream(id)) }
    try t.write([event], to: stream, codec: CaseNumbers.codec)
    return id
  }

  /// Queues a decision over several streams (each read before deciding).
  func queue(_ decision: CaseDecision, for id: CaseID, in t: Transaction) throws {
    try t.write(decision.events, to: Case.stream(id), codec: caseCodec)
    if let other = decision.otherCase { try t.write(other.events, to: other.stream, codec: caseCodec) }
    for key in decision.index { try t.write(key.events, to: key.stream, codec: indexCodec) }
  }

  /// A staff member cases may be given to: a registered, enabled succession user.
  func checkStaff(_ id: UserID?, field: String) async throws {
    guard let id, let directory else { return }
    guard let user = await directory.user(id), !user.disabled, user.role == .succession || user.role == .successionManager else {
      throw Problem(.validationFailed, "担当者 \(id) は事業承継支援の担当者として登録されていません", field: field)
    }
  }

  // MARK: Partners

  func partnerCommand(_ command: Partners.Command, in t: Transaction) async throws -> Outcome<PartnersAnswer> {
    let context = try context()
    let state = try await partners(in: t)
    let events = try Partners.decide(command, state, context)
    try t.write(events, to: Partners.stream(), codec: Partners.codec)
    let after = events.reduce(state, Partners.evolve)
    return Outcome(stream: try Partners.stream(), status: .ok, body: PartnersAnswer(changes: events.count, partners: after.partners.count, active: after.active.count))
  }

  // MARK: Referrals and intake

  func refer(_ body: ReferralBody, partner: PartnerID, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    let context = try context()
    let company = try body.company.company()
    let id = try await nextCaseID(context, in: t)
    let new = NewReferral(
      id: id, partner: partner, partnerStaff: body.partnerStaff, company: company, referredOn: body.referredOn?.date ?? context.today,
      reason: body.reason, consent: body.consent)
    let state = try await caseState(id, in: t)
    let decision = try Case.refer(new, partner: try await partners(in: t).partner(partner), index: try await index(company, in: t), state, context)
    try queue(decision, for: id, in: t)
    return Outcome(stream: try Case.stream(id), status: .created, body: CaseAnswer(decision.events.reduce(state, Case.evolve)), personalDataOwner: Case.personalDataOwner(id))
  }

  func open(_ body: IntakeBody, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    let context = try context()
    try await checkStaff(body.assignee, field: "assignee")
    let company = try body.company.company()
    let lookup = try await index(company, in: t)
    let id = try await nextCaseID(context, in: t)
    let found = CompanyIndex.original(of: CompanyIndex.keys(of: company), in: lookup, excluding: id)
    let original = try await found.asyncMap { try await caseState($0, in: t) } ?? nil
    let new = NewIntake(
      id: id, route: body.route, company: company, side: body.side, kind: body.kind ?? .undecided, assignee: body.assignee, summary: body.summary,
      separateFrom: body.separateFrom)
    let state = try await caseState(id, in: t)
    let decision = try Case.open(new, index: lookup, original: original, state, context)
    try queue(decision, for: id, in: t)
    return Outcome(stream: try Case.stream(id), status: .created, body: CaseAnswer(decision.events.reduce(state, Case.evolve)), personalDataOwner: Case.personalDataOwner(id))
  }

  func accept(_ id: CaseID, _ body: AcceptBody, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    try await checkStaff(body.assignee, field: "assignee")
    let record = try await existingCase(id, in: t)
    let original = try await record.duplicateOf.asyncMap { try await caseState($0, in: t) } ?? nil
    let acceptance = Acceptance(side: body.side, kind: body.kind ?? .undecided, assignee: body.assignee, separateFrom: body.separateFrom)
    return try await write(Case.accept(acceptance, record, original: original, try context()), on: record, in: t)
  }

  func attach(_ id: CaseID, to target: CaseID, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    let record = try await existingCase(id, in: t)
    let decision = try Case.attach(record, to: try await caseState(target, in: t), try context())
    try queue(decision, for: id, in: t)
    return Outcome(stream: try Case.stream(id), status: .ok, body: CaseAnswer(decision.events.reduce(record, Case.evolve)), personalDataOwner: Case.personalDataOwner(id))
  }

  func updateCompany(_ id: CaseID, _ body: CompanyBody, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    let record = try await existingCase(id, in: t)
    let company = try body.company()
    let decision = try Case.updateCompany(company, index: try await index(company, in: t), record, try context())
    try queue(decision, for: id, in: t)
    return Outcome(stream: try Case.stream(id), status: .ok, body: CaseAnswer(decision.events.reduce(record, Case.evolve)), personalDataOwner: Case.personalDataOwner(id))
  }

  /// A decision on one case's own stream.
  func decide(_ id: CaseID, in t: Transaction, _ decide: (Case.Record, SuccessionContext) throws -> [Case.Event]) async throws -> Outcome<CaseAnswer> {
    let record = try await existingCase(id, in: t)
    return try await write(try decide(record, try context()), on: record, in: t)
  }

  // MARK: Work on a case (the API's routes and the pages take the same bodies)

  func decline(_ id: CaseID, reason: String, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    try await decide(id, in: t) { record, context in try Case.decline(reason: reason, record, context) }
  }

  func move(_ id: CaseID, _ body: StageBody, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    try await decide(id, in: t) { record, context in
      try Case.move(to: body.stage, on: body.on?.date ?? context.today, reason: body.reason, record, context)
    }
  }

  /// A session, held by the staff member the body names or else by `me`.
  func recordSession(_ id: CaseID, _ body: SessionBody, me: UserID, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    let staffMember = body.staff ?? me
    try await checkStaff(staffMember, field: "staff")
    return try await decide(id, in: t) { record, context in
      try Case.recordSession(
        NewSession(on: body.on?.date ?? context.today, minutes: body.minutes, staff: staffMember, kind: body.kind, summary: body.summary), record,
        context)
    }
  }

  func addNote(_ id: CaseID, _ body: NoteBody, by author: UserID, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    try await decide(id, in: t) { record, context in try Case.addNote(body.text, by: author, on: body.on?.date ?? context.today, record, context) }
  }

  func setNextAction(_ id: CaseID, _ body: NextActionBody, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    try await decide(id, in: t) { record, context in try Case.setNextAction(body.text, due: body.due.date, record, context) }
  }

  func completeNextAction(_ id: CaseID, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    try await decide(id, in: t) { record, context in try Case.completeNextAction(record, context) }
  }

  func assign(_ id: CaseID, to assignee: UserID?, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    try await checkStaff(assignee, field: "assignee")
    return try await decide(id, in: t) { record, context in try Case.assign(assignee, record, context) }
  }

  private func write(_ events: [Case.Event], on record: Case.Record, in t: Transaction) async throws -> Outcome<CaseAnswer> {
    try t.write(events, to: Case.stream(record.id), codec: caseCodec)
    return Outcome(stream: try Case.stream(record.id), status: .ok, body: CaseAnswer(events.reduce(record, Case.evolve)), personalDataOwner: Case.personalDataOwner(record.id))
  }

  // MARK: Erasure

  /// Records the erasure of a case's personal data (its own stream and those of the referrals it
  /// took in); the caller destroys the keys the events name once the append has landed.
  func erase(_ id: CaseID, reason: Case.ErasureReason, retentionDays: Int, in t: Transaction) async throws -> Outcome<ErasureAnswer> {
    let record = try await existingCase(id, in: t)
    let writes = try Case.erasePersonalData(reason: reason, retentionDays: retentionDays, record, try context())
    var owners: [String] = []
    for write in writes {
      // Each referral stream is written with the version read, like every stream of a decision.
      if write.stream != (try Case.stream(id)) { _ = try await caseState(try CaseID(write.stream.id), in: t) }
      try t.write(write.events, to: write.stream, codec: caseCodec)
      for case .personalDataErased(let e) in write.events { owners += e.owners }
    }
    return Outcome(stream: try Case.stream(id), status: .ok, body: ErasureAnswer(id: id.rawValue, erasedOn: try context().today, owners: owners))
  }

  /// Destroys the keys of every erased case whose keys are still in the store: the keys named by
  /// an erasure just recorded, and any an interrupted erasure left behind (run at start-up too).
  func destroyKeys(of owners: [String]) throws {
    try vault.destroy(owners, at: now())
  }

  /// 1 April's rotation: every open case of each `from` goes to its `to`, in one append.
  func reassign(_ rotations: [Rotation], cases ids: [CaseID], in t: Transaction) async throws -> Outcome<RotationAnswer> {
    for rotation in rotations { try await checkStaff(rotation.to, field: "rotations") }
    var records: [Case.Record] = []
    for id in ids { if let record = try await caseState(id, in: t) { records.append(record) } }
    let writes = try Caseload.reassign(records, rotations, try context())
    for write in writes { try t.write(write.events, to: write.stream, codec: caseCodec) }
    let primary = try writes.first?.stream ?? Case.stream(ids.first ?? CaseID("none"))
    return Outcome(stream: primary, status: .ok, body: RotationAnswer(reassigned: writes.map { $0.stream.id }))
  }

  // MARK: Diagnoses

  func report(_ rows: [DiagnosisRow], in t: Transaction) async throws -> Outcome<DiagnosesAnswer> {
    let context = try context()
    let partners = try await partners(in: t)
    var states: [StreamName: Diagnoses.State] = [:]
    for stream in try Diagnoses.streams(for: rows) {
      states[stream] = try await t.load(stream, codec: Diagnoses.codec, initial: Diagnoses.initialState, evolve: Diagnoses.evolve)
    }
    let writes = try Diagnoses.report(rows, partners: partners, states: states, context)
    var ids: [String] = []
    for write in writes {
      try t.write(write.events, to: write.stream, codec: Diagnoses.codec)
      for case .reported(let e) in write.events { ids.append(e.diagnosis.rawValue) }
    }
    let primary = try writes.first?.stream ?? Partners.stream()
    return Outcome(stream: primary, status: writes.isEmpty ? .ok : .created, body: DiagnosesAnswer(recorded: ids, unchanged: rows.count - ids.count))
  }

  func diagnosisState(_ id: DiagnosisID, in t: Transaction) async throws -> (StreamName, Diagnoses.State) {
    let stream = try Diagnoses.stream(of: id)
    return (stream, try await t.load(stream, codec: Diagnoses.codec, initial: Diagnoses.initialState, evolve: Diagnoses.evolve))
  }

  func link(_ id: DiagnosisID, to target: CaseID, in t: Transaction) async throws -> Outcome<DiagnosisAnswer> {
    let (stream, state) = try await diagnosisState(id, in: t)
    let events = try Diagnoses.link(id, to: try await caseState(target, in: t), state, try context())
    try t.write(events, to: stream, codec: Diagnoses.codec)
    return Outcome(stream: stream, status: .ok, body: DiagnosisAnswer(entry: events.reduce(state, Diagnoses.evolve).entry(id)))
  }

  func unlink(_ id: DiagnosisID, reason: String, in t: Transaction) async throws -> Outcome<DiagnosisAnswer> {
    let (stream, state) = try await diagnosisState(id, in: t)
    let events = try Diagnoses.unlink(id, reason: reason, state, try context())
    try t.write(events, to: stream, codec: Diagnoses.codec)
    return Outcome(stream: stream, status: .ok, body: DiagnosisAnswer(entry: events.reduce(state, Diagnoses.evolve).entry(id)))
  }

  // MARK: Targets

  func setTarget(_ year: FiscalYear, succeeded: Int, in t: Transaction) async throws -> Outcome<TargetAnswer> {
    let stream = try Targets.stream()
    let state = try await t.load(stream, codec: Targets.codec, initial: Targets.initialState, evolve: Targets.evolve)
    let events = try Targets.set(year, succeeded: succeeded, state, try context())
    try t.write(events, to: stream, codec: Targets.codec)
    return Outcome(stream: stream, status: .ok, body: TargetAnswer(fy: year, succeeded: succeeded))
  }
}

extension Optional {
  /// `map` with an async transform.
  func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
    switch self {
    case .some(let value): try await transform(value)
    case .none: nil
    }
  }
}
