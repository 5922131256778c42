import Accounts
import EventLog
import Foundation
import SharedKernel
import Succession
import UserAdministration

/// The succession centre's demo data: four more staff users, the network's partner registry
/// imported from the partner file, and the previous fiscal year and the current one up to
/// yesterday, after a warm-up year before them — referrals, consultations, sessions, stages,
/// closings and the partners' diagnoses — every step decided by the Succession deciders with the
/// centre's own day as `today`.
///
/// Each part is judged from the log: the registry is imported only when its stream is missing,
/// and the three years only into a log without cases, case numbers or diagnoses.
struct DemoSuccession: DemoSeeder {
  var name: String { "succession" }

  /// The centre's staff besides the demo `succession` and `succession-manager` users: fixed ids, no passwords.
  static let staff: [(id: String, login: String, name: String)] = [
    ("demo-staff-2", "takahashi.misaki", "高橋 美咲"), ("demo-staff-3", "watanabe.kentaro", "渡辺 健太郎"),
    ("demo-staff-4", "kobayashi.yukari", "小林 由香里"), ("demo-staff-5", "saito.daisuke", "斎藤 大輔"),
  ]

  /// Who cases are given to, and how many: the demo `succession` user about a fifth, the manager a few.
  static let assignees: [(String, Int)] = [
    ("demo-succession", 21), ("demo-succession-manager", 6), ("demo-staff-2", 19), ("demo-staff-3", 19), ("demo-staff-4", 18), ("demo-staff-5", 17),
  ]

  func seed(_ context: DemoContext) async throws -> [String] {
    var lines = try await registerStaff(context)
    let store = context.store
    let today = try LocalDate(japanTimeOf: context.now)
    let years = DemoSuccessionPlan.years(containing: today)

    // The partner registry.
    let registry = try Partners.stream()
    var partners = Partners.initialState
    let partnersVersion: Int64
    if let version = try await store.version(of: registry) {
      for event in try await store.readAll(stream: registry) { partners = Partners.evolve(partners, try Partners.codec.decode(event)) }
      partnersVersion = version
      lines.append("succession: partner registry present (\(partners.active.count) partners)")
    } else {
      let data: Data
      do { data = try Data(contentsOf: URL(filePath: context.successionPartners)) } catch {
        throw DemoFileMissing(description: "cannot read the succession partners \(context.successionPartners) (give the file with --succession-partners PATH)")
      }
      let opening = years[0].firstDay
      let events = try Partners.decide(try PartnerFile.read(data), partners, DemoCentre.context(opening, 9 * 60))
      let metadata = context.metadata.encoded()
      _ = try await store.append(Append(try events.map { try Partners.codec.propose($0, metadata: metadata) }, to: registry, expecting: .noStream))
      partners = events.reduce(partners, Partners.evolve)
      partnersVersion = Int64(events.count - 1)
      lines.append("succession: \(partners.active.count) partners imported from \((context.successionPartners as NSString).lastPathComponent)")
    }

    // The three years of work.
    var numbered: [String] = []
    for year in years {
      if let version = try await store.version(of: CaseNumbers.stream(year)) { numbered.append("\(year) \(Int(version + 1).grouped)") }
    }
    if !numbered.isEmpty {
      lines.append("succession: demo cases present (case numbers \(numbered.joined(separator: ", ")))")
      return lines
    }
    for category in [CaseNumbers.category, Case.category, Diagnoses.category] {
      guard try await store.read(after: 0, category: category, limit: 1).isEmpty else {
        lines.append("succession: not seeded: the log has \(category) streams already; the demo's years go into a log without cases or diagnoses")
        return lines
      }
    }
    guard !partners.active.isEmpty else {
      lines.append("succession: not seeded: the partner registry has no active partners")
      return lines
    }

    let started = ContinuousClock.now
    let plan = try Self.plan(today, partners: partners)
    guard let vault = context.vault else { throw DemoFileMissing(description: "the succession seed needs the key store of personal data") }
    var run = Run(centre: try DemoCentre(partners: partners, partnersVersion: partnersVersion, metadata: context.metadata, vault: vault))
    try await run.perform(plan, flushingTo: store)
    let elapsed = ContinuousClock.now - started
    lines += Self.summary(run.centre, years: years, today: today, elapsed: elapsed)
    if !run.refused.isEmpty {
      lines.append("  \(run.refused.count) centre steps refused by the rules, e.g. \(run.refused[0])")
    }
    return lines
  }

  /// The centre's work up to `today`, planned for the registry's partners and the staff.
  static func plan(_ today: LocalDate, partners: Partners.State) throws -> DemoSuccessionPlan {
    var plan = DemoSuccessionPlan(today: today, partners: partners.partners, staff: try assignees.map { (try UserID($0.0), $0.1) })
    plan.make()
    return plan
  }

  /// A file the seed is made from is missing.
  struct DemoFileMissing: Error, CustomStringConvertible {
    var description: String
  }

  /// Registers the staff users the log lacks (one append), passwordless: they hold cases, nobody signs in as them.
  private func registerStaff(_ context: DemoContext) async throws -> [String] {
    let administration = UserAdministration(store: context.store, credentials: context.credentials)
    var missing: [NewUser] = []
    var lines: [String] = []
    for member in Self.staff {
      let login = try LoginName(member.login)
      if let existing = try await administration.user(login: member.login) {
        if existing.id.rawValue != member.id { lines.append("succession: staff user \(login) skipped: the login belongs to user \(existing.id)") }
      } else {
        missing.append(NewUser(login: login, name: member.name, role: .succession, id: try UserID(member.id)))
      }
    }
    try await administration.register(missing, metadata: context.metadata, now: context.now)
    if !missing.isEmpty {
      lines.append("succession: staff registered (no password): " + missing.map { "\($0.name ?? $0.login.rawValue) (\($0.login))" }.joined(separator: ", "))
    }
    return lines
  }

  /// What the centre did each year, from its folded streams, by the programme's own figures; the
  /// first of `years` is the warm-up, begun with no case open.
  static func summary(_ centre: DemoCentre, years: [FiscalYear], today: LocalDate, elapsed: Duration) -> [String] {
    let records = centre.cases.values.sorted { $0.id < $1.id }
    let referrals = records.compactMap(ReferralFacts.init)
    let yesterday = today.minus(1)
    var lines: [String] = []
    for year in years where year.firstDay <= yesterday {
      let last = min(year.lastDay, yesterday)
      let figures = centre.figures(from: year.firstDay, to: last)
      let numbers = centre.numbers[year] ?? 0
      let label = "\(year)\(year == years.first ? " (warm-up)" : "")\(last < year.lastDay ? " to \(last)" : "")"
      lines.append(
        "succession: \(label): \(numbers.grouped) case numbers, \(figures.newCases.grouped) new cases, "
          + "\(figures.consulters.grouped) consulters, \(figures.sessions.grouped) sessions, \(figures.succeeded.grouped) successions, "
          + "\(figures.diagnoses.grouped) diagnoses (\(figures.diagnosesLinked.grouped) linked to cases)")
    }
    let open = records.filter { $0.phase == .open }
    let mine = open.filter { $0.assignee?.rawValue == "demo-succession" }.count
    let overdue = Caseload.overdue(records, on: today).reduce(0) { $0 + $1.actions.count }
    let declined = records.filter { $0.phase == .declined }.count
    let attached = records.filter { $0.phase == .attached }.count
    let waiting = records.filter { $0.phase == .referred }.count
    lines.append(
      "  \(referrals.count.grouped) referrals (\(declined) declined, \(attached) attached to a case, \(waiting) waiting); "
        + "\(open.count.grouped) cases open, \(mine) of them demo-succession's, \(overdue) with the next action overdue; "
        + "\(centre.eventsAppended.grouped) events in \(centre.appends) appends, \(elapsed.components.seconds) s")
    return lines
  }

  /// One seed's performance of the plan: the centre, and which case and diagnosis each plan index became.
  struct Run {
    var centre: DemoCentre
    var ids: [Int: CaseID] = [:]
    var diagnosed: [Int: DiagnosisID] = [:]
    var refused: [String] = []

    /// Performs every step of the plan in order; with a store, the events go to it in a batch a
    /// month (or every 400 streams), else they stay in memory.
    mutating func perform(_ plan: DemoSuccessionPlan, flushingTo store: (any EventStore)?) async throws {
      var month: YearMonth?
      for action in plan.actions {
        if let store, let month, month != action.day.yearMonth || centre.pendingStreams >= 400 { try await centre.flush(to: store) }
        month = action.day.yearMonth
        do {
          try perform(action, plan)
        } catch let error as SuccessionError {
          refused.append("\(action.day) \(action.step): \(error.description)")
        } catch let error as DemoCentre.Missing {
          refused.append("\(action.day) \(action.step): \(error.description)")
        }
      }
      if let store { try await centre.flush(to: store) }
    }

    /// The centre's work planned for `today`, performed in memory (nothing appended): what the
    /// seed would write on that day, for the tests to read the figures of.
    static func simulate(today: LocalDate, partners: Partners.State, vault: any PersonalDataVault) async throws -> Run {
      let plan = try DemoSuccession.plan(today, partners: partners)
      var run = Run(centre: try DemoCentre(partners: partners, partnersVersion: 0, metadata: EventMetadata(source: "kipctl demo seed"), vault: vault))
      try await run.perform(plan, flushingTo: nil)
      return run
    }

    private mutating func perform(_ action: CentreAction, _ plan: DemoSuccessionPlan) throws {
      let context = DemoCentre.context(action.day, action.minute)
      if case .diagnose(let row) = action.step {
        let id = try centre.report(row, context)
        if let index = action.subject { diagnosed[index] = id }
        return
      }
      guard let index = action.subject else { return }
      let planned = plan.cases[index]
      switch action.step {
      case .refer:
        ids[index] = try centre.refer(planned, context)
        return
      case .open:
        ids[index] = try centre.open(planned, context)
        return
      default: break
      }
      guard let id = ids[index] else { throw DemoCentre.Missing(description: "the case was not opened") }
      let staff = centre.cases[id]?.assignee ?? planned.assignee
      switch action.step {
      case .refer, .open, .diagnose: break
      case .accept(let side, let kind): try centre.accept(id, Acceptance(side: side, kind: kind, assignee: planned.assignee), context)
      case .decline(let reason): try centre.decline(id, reason: reason, context)
      case .attach(let target):
        guard let target = ids[target] else { throw DemoCentre.Missing(description: "the case to attach to was not opened") }
        try centre.attach(id, to: target, context)
      case .session(let kind, let minutes, let summary):
        try centre.session(id, NewSession(on: action.day, minutes: minutes, staff: staff, kind: kind, summary: summary), context)
      case .classify(let side, let kind): try centre.classify(id, side: side, kind: kind, context)
      case .move(let stage, let reason): try centre.move(id, to: stage, reason: reason, context)
      case .expert(let name, let field, let purpose): try centre.dispatch(id, expert: name, field: field, purpose: purpose, context)
      case .note(let text): try centre.note(id, text, by: staff, context)
      case .setNext(let text, let days): try centre.setNextAction(id, text, due: action.day.plus(days), context)
      case .completeNext: try centre.completeNextAction(id, context)
      case .assign(let other): try centre.assign(id, to: other, context)
      case .link:
        guard let diagnosis = diagnosed[index] else { throw DemoCentre.Missing(description: "the company's diagnosis was not reported") }
        try centre.link(diagnosis, to: id, context)
      }
    }
  }
}
