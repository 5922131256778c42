import EventLog
import Foundation
import JapaneseCalendar
import SharedKernel
import Succession

/// The succession centre of the demo, simulated: the decisions the service makes, by the
/// context's deciders, on states kept in memory instead of read from the log — the case
/// streams, the company index, the case numbers and the partners' diagnoses — with the events
/// of many decisions gathered into one append per batch (``DemoBatch``); the partner registry
/// they read is a condition.
struct DemoCentre {
  let partners: Partners.State
  private(set) var cases: [CaseID: Case.Record] = [:]
  private var index: [StreamName: CompanyIndex.State] = [:]
  private(set) var numbers: [FiscalYear: CaseNumbers.State] = [:]
  private(set) var diagnoses: [StreamName: Diagnoses.State] = [:]
  private var batch: DemoBatch
  private let caseCodec: EventCodec<Case.Event>
  private let indexCodec: EventCodec<CompanyIndex.Event>

  /// What a step could not be performed without: an earlier step of its case that failed.
  struct Missing: Error, CustomStringConvertible {
    var description: String
  }

  init(partners: Partners.State, partnersVersion: Int64, metadata: EventMetadata, vault: any PersonalDataVault) throws {
    self.partners = partners
    caseCodec = Case.codec.sealing(with: vault)
    indexCodec = CompanyIndex.codec.sealing(with: vault)
    batch = DemoBatch(metadata: metadata)
    batch.read(try Partners.stream(), at: partnersVersion)
  }

  var appends: Int { batch.appends }
  var eventsAppended: Int { batch.eventsAppended }

  /// The centre's context at `minute` of `day` (Japan time).
  static func context(_ day: LocalDate, _ minute: Int) -> SuccessionContext {
    SuccessionContext(today: day, at: day.startInJapan.addingTimeInterval(TimeInterval(minute * 60)))
  }

  /// How many streams the next append writes.
  var pendingStreams: Int { batch.pendingStreams }

  // MARK: Intake

  /// Receives a partner's referral under the year's next case number.
  mutating func refer(_ plan: CasePlan, _ context: SuccessionContext) throws -> CaseID {
    guard let partner = plan.partner else { throw Missing(description: "a referral without its partner") }
    let (id, number) = try issue(context)
    let new = NewReferral(
      id: id, partner: partner, partnerStaff: plan.partnerStaff, company: plan.company, referredOn: plan.referredOn, reason: plan.text,
      consent: plan.consent)
    let decision = try Case.refer(new, partner: partners.partner(partner), index: try lookup(plan.company), nil, context)
    try record(number, context)
    try apply(id, decision)
    return id
  }

  /// Opens a direct consultation under the year's next case number; a company whose earlier case closed is linked to it.
  mutating func open(_ plan: CasePlan, _ context: SuccessionContext) throws -> CaseID {
    let (id, number) = try issue(context)
    let new = NewIntake(
      id: id, route: plan.route, company: plan.company, side: plan.side, kind: plan.kind, assignee: plan.assignee, summary: plan.text)
    let lookup = try lookup(plan.company)
    let found = CompanyIndex.original(of: CompanyIndex.keys(of: try plan.company.checked()), in: lookup, excluding: id)
    let decision = try Case.open(new, index: lookup, original: found.flatMap { cases[$0] }, nil, context)
    try record(number, context)
    try apply(id, decision)
    return id
  }

  mutating func accept(_ id: CaseID, _ acceptance: Acceptance, _ context: SuccessionContext) throws {
    let record = cases[id]
    try apply(id, try Case.accept(acceptance, record, original: record?.duplicateOf.flatMap { cases[$0] }, context))
  }

  mutating func decline(_ id: CaseID, reason: String, _ context: SuccessionContext) throws {
    try apply(id, try Case.decline(reason: reason, cases[id], context))
  }

  mutating func attach(_ id: CaseID, to target: CaseID, _ context: SuccessionContext) throws {
    try apply(id, try Case.attach(cases[id], to: cases[target], context))
  }

  private mutating func issue(_ context: SuccessionContext) throws -> (CaseID, CaseNumbers.Event) {
    try CaseNumbers.next(FiscalYear(containing: context.today), numbers[FiscalYear(containing: context.today)] ?? CaseNumbers.initialState, context)
  }

  private mutating func record(_ number: CaseNumbers.Event, _ context: SuccessionContext) throws {
    let year = FiscalYear(containing: context.today)
    try write([number], to: CaseNumbers.stream(year), codec: CaseNumbers.codec)
    numbers[year] = CaseNumbers.evolve(numbers[year] ?? CaseNumbers.initialState, number)
  }

  /// The index streams of the company's keys, as the service reads them before it decides.
  private func lookup(_ company: Company) throws -> CompanyIndex.Lookup {
    var lookup: CompanyIndex.Lookup = [:]
    for key in CompanyIndex.keys(of: try company.checked()) { lookup[key] = index[try key.stream()] ?? CompanyIndex.initialState }
    return lookup
  }

  // MARK: Work on a case

  mutating func session(_ id: CaseID, _ new: NewSession, _ context: SuccessionContext) throws {
    try apply(id, try Case.recordSession(new, cases[id], context))
  }

  mutating func classify(_ id: CaseID, side: Side, kind: SuccessionKind, _ context: SuccessionContext) throws {
    try apply(id, try Case.classify(side: side, kind: kind, cases[id], context))
  }

  mutating func move(_ id: CaseID, to stage: Stage, reason: String?, _ context: SuccessionContext) throws {
    try apply(id, try Case.move(to: stage, on: context.today, reason: reason, cases[id], context))
  }

  mutating func dispatch(_ id: CaseID, expert: String, field: ExpertField, purpose: String, _ context: SuccessionContext) throws {
    try apply(id, try Case.dispatchExpert(expert, field: field, purpose: purpose, on: context.today, cases[id], context))
  }

  mutating func note(_ id: CaseID, _ text: String, by staff: UserID, _ context: SuccessionContext) throws {
    try apply(id, try Case.addNote(text, by: staff, on: context.today, cases[id], context))
  }

  mutating func setNextAction(_ id: CaseID, _ text: String, due: LocalDate, _ context: SuccessionContext) throws {
    try apply(id, try Case.setNextAction(text, due: due, cases[id], context))
  }

  mutating func completeNextAction(_ id: CaseID, _ context: SuccessionContext) throws {
    try apply(id, try Case.completeNextAction(cases[id], context))
  }

  mutating func assign(_ id: CaseID, to staff: UserID, _ context: SuccessionContext) throws {
    try apply(id, try Case.assign(staff, cases[id], context))
  }

  // MARK: Diagnoses

  /// Reports a partner's diagnosis; answers its id.
  mutating func report(_ row: DiagnosisRow, _ context: SuccessionContext) throws -> DiagnosisID? {
    let stream = try Diagnoses.stream(partner: row.partner, year: FiscalYear(containing: row.report.on))
    let writes = try Diagnoses.report([row], partners: partners, states: [stream: diagnoses[stream] ?? Diagnoses.initialState], context)
    var id: DiagnosisID?
    for write in writes {
      try self.write(write.events, to: write.stream, codec: Diagnoses.codec)
      diagnoses[write.stream] = write.events.reduce(diagnoses[write.stream] ?? Diagnoses.initialState, Diagnoses.evolve)
      for case .reported(let reported) in write.events { id = reported.diagnosis }
    }
    return id
  }

  mutating func link(_ diagnosis: DiagnosisID, to id: CaseID, _ context: SuccessionContext) throws {
    let stream = try Diagnoses.stream(of: diagnosis)
    let events = try Diagnoses.link(diagnosis, to: cases[id], diagnoses[stream] ?? Diagnoses.initialState, context)
    try write(events, to: stream, codec: Diagnoses.codec)
    diagnoses[stream] = events.reduce(diagnoses[stream] ?? Diagnoses.initialState, Diagnoses.evolve)
  }

  /// The programme's figures of the days `first` … `last`, from the folded streams.
  func figures(from first: LocalDate, to last: LocalDate) -> KPIFigures {
    let records = cases.values.sorted { $0.id < $1.id }
    let entries = diagnoses.keys.sorted().flatMap { diagnoses[$0]?.entries ?? [] }
    return SuccessionKPI.figures(
      from: first, to: last, cases: records.compactMap(CaseFacts.init), referrals: records.compactMap(ReferralFacts.init),
      diagnoses: entries.map(DiagnosisFacts.init))
  }

  // MARK: Folding and batches

  private mutating func apply(_ id: CaseID, _ events: [Case.Event]) throws {
    try write(events, to: Case.stream(id), codec: caseCodec)
    if !events.isEmpty { cases[id] = events.reduce(cases[id], Case.evolve) }
  }

  /// A decision's events on the case's stream, the case it joins, and the company index's key streams.
  private mutating func apply(_ id: CaseID, _ decision: CaseDecision) throws {
    try apply(id, decision.events)
    if let other = decision.otherCase { try apply(try CaseID(other.stream.id), other.events) }
    for key in decision.index {
      try write(key.events, to: key.stream, codec: indexCodec)
      index[key.stream] = key.events.reduce(index[key.stream] ?? CompanyIndex.initialState, CompanyIndex.evolve)
    }
  }

  private mutating func write<Event>(_ events: [Event], to stream: StreamName, codec: EventCodec<Event>) throws {
    try batch.write(events, to: stream, codec: codec)
  }

  /// Appends what is queued in one atomic append, on the partner registry as it was read.
  mutating func flush(to store: any EventStore) async throws {
    try await batch.flush(to: store, holding: [Partners.stream()])
  }
}
