import Foundation
import JapaneseCalendar
import SharedKernel
import Succession

/// What the centre does in the demo for one planned case (or what a partner reports).
enum CentreStep {
  /// The case's referral is received from its partner.
  case refer
  case accept(Side, SuccessionKind)
  case decline(String)
  /// The referral joins the open case of the same company (a plan index).
  case attach(to: Int)
  /// A direct consultation is opened as a case.
  case open
  case session(SessionKind, minutes: Int, summary: String)
  case classify(Side, SuccessionKind)
  case move(Stage, reason: String?)
  case expert(String, ExpertField, purpose: String)
  case note(String)
  /// A next action due `dueIn` days after the day it is set.
  case setNext(String, dueIn: Int)
  case completeNext
  case assign(UserID)
  /// A partner's diagnosis; for a case, of its company before it was referred.
  case diagnose(DiagnosisRow)
  /// The case's company's diagnosis is linked to the case.
  case link
}

/// A step of the centre on a day, at a minute of it (Japan time): its subject is an index into
/// ``DemoSuccessionPlan/cases``, nil for a diagnosis that became no case.
typealias CentreAction = DemoSchedule<CentreStep>.Entry

/// One company's case (or referral) as planned: who brought it, what it is about, and the days
/// the plan has it become a case and close (nil: not in the plan's horizon).
struct CasePlan {
  var company: Company
  var route: Route
  var partner: PartnerID?
  var partnerStaff: String
  var referredOn: LocalDate
  /// The referral's reason, or what a direct consultation asked about.
  var text: String
  var consent: Bool
  var side: Side
  var kind: SuccessionKind
  var assignee: UserID
  var acceptedOn: LocalDate?
  var closedOn: LocalDate?
  /// Another case's company again (a duplicate or a returning company): never a target itself.
  var repeated: Bool
}

/// The succession centre's previous fiscal year and the current one up to yesterday, planned
/// before anything is decided: partners' referrals and direct consultations arriving on working
/// days, each case's story (sessions, classification, stages, experts, notes, next actions, its
/// close), and the partners' diagnoses. Steps that would fall on today or later are left out:
/// the cases still open are the ones whose story goes on. The context's deciders decide every
/// step when it is performed; the plan only keeps to the rules so that none is refused.
///
/// The centre starts a year earlier, with no case open (the warm-up year, older history): by the
/// previous year it carries the caseload a running centre has, so both years show its steady rate.
struct DemoSuccessionPlan {
  let today: LocalDate
  /// The warm-up year, the previous one and the current one.
  let years: [FiscalYear]
  let first: LocalDate
  let staff: [(UserID, Int)]
  private(set) var cases: [CasePlan] = []
  private var schedule = DemoSchedule<CentreStep>()
  /// Every step of the three years, in the order the centre takes them (after ``make()``).
  var actions: [CentreAction] { schedule.entries }
  private var random: DemoRandom
  private var companies = DemoCompanies()
  private let workdays: Set<Int>
  /// Plan indices of the cases (not declined or attached referrals), in intake order.
  private var caseIndices: [Int] = []
  /// The partners of each type with how much they refer, and every partner with how many diagnoses it makes.
  private let referrers: [PartnerType: [(Partners.Partner, Int)]]
  private let diagnosers: [(Partners.Partner, Int)]

  init(today: LocalDate, partners: [Partners.Partner], staff: [(UserID, Int)], seed: UInt64 = 20_250_401) {
    self.today = today
    years = Self.years(containing: today)
    first = years[0].firstDay
    let active = partners.filter(\.active)
    referrers = Dictionary(grouping: active, by: \.type).mapValues { $0.map { ($0, Self.referralWeight($0)) } }
    diagnosers = active.map { ($0, Self.diagnosisWeight($0)) }.filter { $0.1 > 0 }
    self.staff = staff
    random = DemoRandom(seed: seed)
    var days = Set<Int>()
    var day = first
    while day < today {
      if Self.isWorkday(day) { days.insert(day.daysSince1970) }
      day = day.plus(1)
    }
    workdays = days
  }

  /// The warm-up year, the previous fiscal year and the one that contains `today`.
  static func years(containing today: LocalDate) -> [FiscalYear] {
    let current = FiscalYear(containing: today)
    let previous = (try? current.previous()) ?? current
    return [(try? previous.previous()) ?? previous, previous, current]
  }

  /// The centre's working days: bank business days less 29–30 December (the prefecture's 年末年始).
  static func isWorkday(_ day: LocalDate) -> Bool {
    if day.month == 12 && day.day >= 29 { return false }
    return (try? BankCalendar.isBusinessDay(day)) ?? false
  }

  /// `day` if the centre works then, else its next working day; days from today on are left as they are (the plan drops them).
  private func workday(onOrAfter day: LocalDate) -> LocalDate {
    var day = day
    while day < today, !workdays.contains(day.daysSince1970) { day = day.plus(1) }
    return day
  }

  private func workday(onOrBefore day: LocalDate) -> LocalDate? {
    var day = day
    while day >= first {
      if workdays.contains(day.daysSince1970) { return day }
      day = day.minus(1)
    }
    return nil
  }

  // MARK: The three years

  mutating func make() {
    var day = first
    while day < today {
      if workdays.contains(day.daysSince1970) {
        let arrivals = count(perDay: Self.arrivalsPerMille(day.month), of: 12)
        for _ in 0..<arrivals { arrive(on: day) }
        let diagnoses = count(perDay: 11_000, of: 22)
        for _ in 0..<diagnoses { diagnosis(on: day) }
      }
      day = day.plus(1)
    }
    schedule.sort()
  }

  /// Referrals and consultations a working day brings, in thousandths: fewer in August and at
  /// the turn of the year, more in the autumn and before the fiscal year ends.
  static func arrivalsPerMille(_ month: Int) -> Int {
    let season = [1: 950, 2: 1050, 3: 1050, 4: 900, 5: 950, 6: 1050, 7: 1050, 8: 850, 9: 1000, 10: 1100, 11: 1100, 12: 900]
    return 4_300 * (season[month] ?? 1000) / 1000
  }

  /// How many of `trials` chances come up, `expected` thousandths on average in all.
  private mutating func count(perDay expected: Int, of trials: Int) -> Int {
    let perMille = expected / trials
    return (0..<trials).filter { _ in random.chance(perMille) }.count
  }

  // MARK: A referral or a consultation arrives

  /// What a case turns out to be about: a consultation or two, a family or employee succession,
  /// a sale to a third party, a purchase, or closing the business.
  private enum Track { case brief, family, employee, sellerDeal, buyer, closure }

  private mutating func arrive(on day: LocalDate) {
    let route = random.weighted([(Route.partner, 600), (.web, 160), (.phone, 140), (.walkIn, 50), (.other, 50)])
    let partner = route == .partner ? choosePartner() : nil
    // A company already known: referred again while its case is open (attached), or back after its case closed.
    if let partner, random.chance(55), let target = openCase(on: day) {
      duplicate(of: target, by: partner, on: day)
      return
    }
    var company: Company
    var repeated = false
    if random.chance(15), let earlier = closedCase(before: day.minus(30)) {
      company = random.chance(500) ? cases[earlier].company : DemoCompanies.variant(of: cases[earlier].company, byNumber: true, random: &random)
      repeated = true
    } else {
      company = companies.make(in: companies.region(near: partner?.region, random: &random), random: &random)
    }
    let track = random.weighted([(Track.brief, 300), (.family, 190), (.employee, 80), (.sellerDeal, 250), (.buyer, 120), (.closure, 60)])
    let side: Side = track == .buyer ? .buying : .selling
    if track == .buyer, let employees = company.employees, employees < 5 { company.employees = employees + random.int(5...20) }
    let kind: SuccessionKind =
      switch track {
      case .family: random.chance(600) ? .family : .undecided
      case .employee: random.chance(500) ? .employee : .undecided
      case .sellerDeal: random.chance(550) ? .thirdParty : .undecided
      case .buyer: .thirdParty
      case .brief: random.weighted([(.undecided, 80), (.family, 10), (.thirdParty, 10)])
      case .closure: .undecided
      }
    let text = route == .partner ? referralReason(track) : intakeSummary(track, route)
    let referredOn = partner == nil ? day : workday(onOrBefore: day.minus(random.int(0...5))) ?? day
    var plan = CasePlan(
      company: company, route: route, partner: partner?.id, partnerStaff: staffOf(partner), referredOn: referredOn,
      text: text, consent: random.chance(850), side: side, kind: kind, assignee: random.weighted(staff), acceptedOn: nil, closedOn: nil,
      repeated: repeated)
    let index = cases.count
    var story = Story(plan: index, assignee: plan.assignee, kind: kind)
    let minute = random.int((9 * 60)...(16 * 60 + 30))
    if let partner {
      if [.societyOfCommerce, .chamberOfCommerce, .financialInstitution].contains(partner.type), random.chance(300), !repeated {
        diagnosisBefore(company, by: partner, referral: day, track: track, &story)
      }
      story.add(day, minute, .refer)
      if random.chance(60) {
        story.add(workday(onOrAfter: day.plus(random.int(0...4))), minute + 30, .decline(random.pick(Self.declineReasons)))
        cases.append(plan)
        commit(story)
        return
      }
      let decided = workday(onOrAfter: day.plus(random.weighted([(0, 30), (random.int(1...2), 50), (random.int(3...6), 20)])))
      story.add(decided, decided == day ? minute + 30 : random.int((9 * 60)...(16 * 60)), .accept(side, kind))
      plan.acceptedOn = decided
    } else {
      story.add(day, minute, .open)
      plan.acceptedOn = day
    }
    if plan.consent, plan.partner != nil, random.chance(500) {
      story.add(story.day, story.minute + 10, .note("紹介元（\(partner?.name ?? "")）へ受付を連絡（本人同意あり）"))
    }
    if story.diagnosis {
      let linked = workday(onOrAfter: story.day.plus(random.int(0...10)))
      story.add(linked, linked == story.day ? story.minute + 15 : random.int((9 * 60)...(17 * 60)), .link)
    }
    write(track, for: &plan, &story)
    plan.closedOn = story.closedOn
    cases.append(plan)
    caseIndices.append(index)
    commit(story)
  }

  /// A referral of a company whose case is open: received flagged as a duplicate, then attached to the case.
  private mutating func duplicate(of target: Int, by partner: Partners.Partner, on day: LocalDate) {
    let original = cases[target]
    let byNumber = original.company.corporateNumber != nil && random.chance(500)
    let company = DemoCompanies.variant(of: original.company, byNumber: byNumber, random: &random)
    let plan = CasePlan(
      company: company, route: .partner, partner: partner.id, partnerStaff: staffOf(partner),
      referredOn: workday(onOrBefore: day.minus(random.int(0...3))) ?? day,
      text: random.pick(["取引先から事業承継の相談を受けたため紹介", "事業承継について相談したいとの意向（既にセンターへ相談中の可能性あり）", "後継者不在。譲渡を検討"]),
      consent: random.chance(800), side: original.side, kind: original.kind, assignee: original.assignee, acceptedOn: nil, closedOn: nil,
      repeated: true)
    var story = Story(plan: cases.count, assignee: original.assignee, kind: original.kind)
    let minute = random.int((9 * 60)...(16 * 60))
    story.add(day, minute, .refer)
    story.add(workday(onOrAfter: day.plus(random.int(0...2))), minute + 40, .attach(to: target))
    cases.append(plan)
    commit(story)
  }

  /// A case open from before `day` until well after it, not itself a repeat: what a second referral can join.
  private mutating func openCase(on day: LocalDate) -> Int? {
    guard !caseIndices.isEmpty else { return nil }
    for _ in 0..<12 {
      let index = caseIndices[max(0, caseIndices.count - 1 - random.below(min(caseIndices.count, 600)))]
      let plan = cases[index]
      guard !plan.repeated, let accepted = plan.acceptedOn, accepted < day else { continue }
      if let closed = plan.closedOn, closed <= day.plus(10) { continue }
      return index
    }
    return nil
  }

  /// A case closed before `day`: its company may come back.
  private mutating func closedCase(before day: LocalDate) -> Int? {
    guard !caseIndices.isEmpty else { return nil }
    for _ in 0..<12 {
      let index = caseIndices[random.below(caseIndices.count)]
      let plan = cases[index]
      guard !plan.repeated, let closed = plan.closedOn, closed < day else { continue }
      return index
    }
    return nil
  }

  // MARK: Partners

  /// The partner that refers: banks most, then 商工会議所 and 商工会, 士業 and the rest (相談経路).
  private mutating func choosePartner() -> Partners.Partner? {
    let type = random.weighted([
      (PartnerType.financialInstitution, 450), (.chamberOfCommerce, 220), (.societyOfCommerce, 120), (.professionalBody, 100), (.government, 40),
      (.supportBody, 70),
    ])
    guard let candidates = referrers[type], !candidates.isEmpty else { return nil }
    return random.weighted(candidates)
  }

  /// How much a partner refers, against others of its type.
  static func referralWeight(_ partner: Partners.Partner) -> Int {
    switch partner.id.rawValue {
    case "hamagin": 30
    case DemoUsers.partnerOrganisation: 30
    case "cci-kawasaki", "kanagawa-bank", "shinkin-yokohama", "shinkin-kawasaki": 12
    case "cci-sagamihara", "cci-yokosuka", "cci-fujisawa", "tax-tokyochiho", "cgc-kanagawa", "yorozu-kanagawa": 9
    case let id where id.hasPrefix("shinkin-"): 8
    case let id where id.hasPrefix("hamagin-") || id.hasPrefix("jfc-"): 6
    case let id where id.hasSuffix("-federation") || id.hasPrefix("shinkumi-") || id == "smrj-kanto": 1
    default: partner.type == .government ? 2 : 4
    }
  }

  /// How many diagnoses a partner carries out, against the others: 商工会, 商工会議所 and banks do most.
  static func diagnosisWeight(_ partner: Partners.Partner) -> Int {
    switch partner.type {
    case .societyOfCommerce: partner.id.rawValue.hasSuffix("-federation") ? 2 : 13
    case .chamberOfCommerce: partner.id.rawValue == DemoUsers.partnerOrganisation ? 32 : partner.id.rawValue.hasSuffix("-federation") ? 2 : 17
    case .financialInstitution: min(referralWeight(partner), 15) * 2
    case .professionalBody: 2
    case .supportBody: partner.id.rawValue.hasPrefix("cgc-") || partner.id.rawValue == "yorozu-kanagawa" ? 8 : 1
    case .government: 0
    }
  }

  private mutating func staffOf(_ partner: Partners.Partner?) -> String {
    guard let partner else { return "" }
    let department = partner.contact.department.map { $0.split(separator: " ").last.map(String.init) ?? $0 } ?? "担当"
    return "\(department) \(random.pick(DemoCompanies.families).0)"
  }

  // MARK: Diagnoses

  /// A diagnosis that became no case (most of them).
  private mutating func diagnosis(on day: LocalDate) {
    guard !diagnosers.isEmpty else { return }
    let partner = random.weighted(diagnosers)
    let region = companies.region(near: partner.region, random: &random)
    let result = random.weighted([(DiagnosisResult.successorDecided, 30), (.successorCandidate, 32), (.noSuccessor, 26), (.closingConsidered, 12)])
    let refer: Bool =
      switch result {
      case .successorDecided: random.chance(50)
      case .successorCandidate: random.chance(200)
      case .noSuccessor: random.chance(400)
      case .closingConsidered: random.chance(250)
      }
    let report = DiagnosisReport(
      on: day, company: companies.diagnosed(in: region, random: &random), result: result, referToCentre: refer,
      note: random.chance(150) ? random.pick(Self.diagnosisNotes) : nil)
    schedule.add(day, random.int((9 * 60)...(17 * 60)), subject: nil, .diagnose(DiagnosisRow(partner: partner.id, report: report)))
  }

  /// The partner diagnosed the company some days before it referred it, and recommended the centre.
  private mutating func diagnosisBefore(_ company: Company, by partner: Partners.Partner, referral day: LocalDate, track: Track, _ story: inout Story) {
    guard let on = workday(onOrBefore: day.minus(random.int(5...40))) else { return }
    let result: DiagnosisResult =
      switch track {
      case .family, .employee: random.chance(700) ? .successorCandidate : .successorDecided
      case .closure: .closingConsidered
      default: random.chance(800) ? .noSuccessor : .successorCandidate
      }
    let report = DiagnosisReport(
      on: on, company: DiagnosedCompany(name: company.name, corporateNumber: company.corporateNumber, address: company.address), result: result,
      referToCentre: true, note: random.chance(300) ? random.pick(Self.diagnosisNotes) : nil)
    story.add(on, random.int((9 * 60)...(17 * 60)), .diagnose(DiagnosisRow(partner: partner.id, report: report)))
    story.diagnosis = true
  }

  // MARK: A case's story

  /// A case's steps as they are planned, in its own order (their days never go backwards).
  private struct Story {
    var plan: Int
    var assignee: UserID
    var kind: SuccessionKind
    var steps: [(day: LocalDate, minute: Int, step: CentreStep)] = []
    /// The day and minute of the last step.
    var day = LocalDate.earliest
    var minute = 0
    /// A next action is set on the case.
    var nextAction = false
    /// Where the last session wants its next action, once the next contact's day is known:
    /// the index in `steps` to put it at, and that session's day and minute.
    var wanted: (index: Int, day: LocalDate, minute: Int)?
    var diagnosis = false
    var closedOn: LocalDate?

    init(plan: Int, assignee: UserID, kind: SuccessionKind) {
      self.plan = plan
      self.assignee = assignee
      self.kind = kind
    }

    mutating func add(_ day: LocalDate, _ minute: Int, _ step: CentreStep) {
      steps.append((day, minute, step))
      self.day = day
      self.minute = minute
    }
  }

  /// Queues a case's steps in their order, a few minutes apart when they share a minute or run
  /// backwards within a day; leaves out what falls on today or later.
  private mutating func commit(_ story: Story) {
    var story = story
    renew(&story, before: nil)
    schedule.add(story.steps.filter { $0.day < today }, subject: story.plan, gap: 3)
  }

  /// The next working day `min…max` days after the story's last step.
  private mutating func later(_ story: Story, _ range: ClosedRange<Int>) -> LocalDate {
    workday(onOrAfter: story.day.plus(random.int(range)))
  }

  /// Sets the next action the last session wanted, now that the next contact's day is known
  /// (nil: none is planned): due about then, and now and then before it — staff who fell behind.
  private mutating func renew(_ story: inout Story, before next: LocalDate?) {
    guard let wanted = story.wanted else { return }
    story.wanted = nil
    var due = wanted.day.plus(random.int(7...30))
    if let next {
      due = random.chance(500) ? next.plus(random.int(0...5)) : next.minus(random.int(5...40))
    }
    let step = CentreStep.setNext(random.pick(Self.nextActions + Self.nextActionsBy[story.kind, default: []]), dueIn: max(3, wanted.day.days(to: due)))
    story.steps.insert((wanted.day, wanted.minute, step), at: wanted.index)
    story.nextAction = true
  }

  /// A session on `day` with the case's staff (now and then another takes the case over first),
  /// then perhaps a note; the next action of the last session done, and a new one wanted.
  private mutating func session(_ story: inout Story, on day: LocalDate, _ summary: String, kind: SessionKind? = nil) {
    renew(&story, before: day)
    let others = staff.map(\.0).filter { $0 != story.assignee }
    if !others.isEmpty, random.chance(40) {
      let other = random.pick(others)
      story.add(day, day == story.day ? story.minute + 5 : random.int((9 * 60)...(10 * 60)), .assign(other))
      story.assignee = other
    }
    let kind = kind ?? random.weighted([(SessionKind.atCentre, 40), (.visit, 25), (.online, 15), (.phone, 15), (.email, 5)])
    let minutes =
      switch kind {
      case .atCentre, .online: random.pick([45, 60, 60, 90, 90, 120])
      case .visit: random.pick([60, 90, 90, 120, 150])
      case .phone: random.int(10...40)
      case .email: random.int(10...20)
      }
    let start = day == story.day ? story.minute + 20 : random.int((9 * 60)...(16 * 60))
    if story.nextAction {
      story.add(day, start - 1, .completeNext)
      story.nextAction = false
    }
    story.add(day, start, .session(kind, minutes: minutes, summary: summary))
    if random.chance(120) { story.add(day, start + minutes + 10, .note(random.pick(Self.notes))) }
    if random.chance(800) { story.wanted = (story.steps.count, day, start + minutes + 20) }
  }

  private mutating func move(_ story: inout Story, to stage: Stage, on day: LocalDate, reason: String? = nil) {
    story.add(day, day == story.day ? story.minute + 5 : random.int((9 * 60)...(17 * 60)), .move(stage, reason: reason))
  }

  /// Closes the case: its next action done, then the closing stage.
  private mutating func close(_ story: inout Story, as stage: Stage, on day: LocalDate, reason: String?) {
    renew(&story, before: day)
    if story.nextAction {
      story.add(day, day == story.day ? story.minute + 2 : random.int((9 * 60)...(16 * 60)), .completeNext)
      story.nextAction = false
    }
    move(&story, to: stage, on: day, reason: reason)
    story.closedOn = day
  }

  /// A case that goes quiet: a contact or two, then closed months later.
  private mutating func fadeOut(_ story: inout Story, _ summaries: [String]) {
    for _ in 0..<random.int(1...2) { session(&story, on: later(story, 30...75), random.pick(summaries), kind: random.chance(600) ? .phone : nil) }
    close(&story, as: .discontinued, on: later(story, 90...200), reason: random.pick(Self.fadedReasons))
  }

  private mutating func classify(_ story: inout Story, side: Side, as kind: SuccessionKind, on day: LocalDate) {
    guard story.kind != kind else { return }
    story.add(day, day == story.day ? story.minute + 5 : random.int((9 * 60)...(16 * 60)), .classify(side, kind))
    story.kind = kind
  }

  private mutating func expert(_ story: inout Story, _ field: ExpertField, on day: LocalDate) {
    let family = random.pick(DemoCompanies.families).0
    let name = family + " " + random.pick(DemoCompanies.givenNames)
    let (title, office, purpose): (String, String, String) =
      switch field {
      case .taxAccountant: ("税理士", "\(family)税理士事務所", random.pick(["自社株評価と事業承継税制（納税猶予）の検討", "株式の贈与・相続の税負担の試算", "特例承継計画の作成支援"]))
      case .lawyer: ("弁護士", "\(family)法律事務所", random.pick(["基本合意書・最終契約書の確認", "株式譲渡契約の表明保証条項の助言", "遺言と遺留分への対応の助言"]))
      case .accountant: ("公認会計士", "\(family)公認会計士事務所", random.pick(["財務デューデリジェンス", "企業価値評価（株価算定）"]))
      case .smeConsultant: ("中小企業診断士", "\(family)経営研究所", random.pick(["事業承継計画（事業計画）の策定支援", "磨き上げ（経営改善）の助言"]))
      case .judicialScrivener: ("司法書士", "\(family)司法書士事務所", random.pick(["株式移転・役員変更の登記", "株主名簿の整備と定款変更"]))
      case .other: ("社会保険労務士", "\(family)社会保険労務士事務所", "承継後の就業規則と労務の確認")
      }
    story.add(day, day == story.day ? story.minute + 5 : random.int((9 * 60)...(16 * 60)), .expert("\(title) \(name)（\(office)）", field, purpose: purpose))
  }

  /// The case's story by its track, from its first session; beyond today it is planned too, and left out when queued.
  private mutating func write(_ track: Track, for plan: inout CasePlan, _ story: inout Story) {
    let side = plan.side
    let walkIn = plan.route == .walkIn
    let firstDay = walkIn ? story.day : later(story, 2...14)
    session(&story, on: firstDay, random.pick(Self.firstSessions), kind: walkIn ? .atCentre : nil)
    switch track {
    case .brief:
      if random.chance(700) { session(&story, on: later(story, 10...35), random.pick(Self.briefSessions)) }
      if random.chance(400) { session(&story, on: later(story, 14...40), random.pick(Self.briefSessions)) }
      let closing = random.weighted([(Stage.discontinued, 50), (.referredElsewhere, 38), (.businessClosed, 12)])
      close(&story, as: closing, on: later(story, 5...45), reason: reason(for: closing))

    case .family, .employee:
      let kind: SuccessionKind = track == .family ? .family : .employee
      if story.kind != kind { classify(&story, side: side, as: kind, on: firstDay) }
      let summaries = track == .family ? Self.familySessions : Self.employeeSessions
      session(&story, on: later(story, 7...21), random.pick(summaries))
      if random.chance(850) { move(&story, to: .planning, on: story.day) }
      let count = random.int(2...6)
      let expertAt = random.chance(550) ? random.int(0...(count - 1)) : -1
      for index in 0..<count {
        let day = later(story, 10...25)
        if index == expertAt { expert(&story, random.chance(750) ? .taxAccountant : .smeConsultant, on: day) }
        session(&story, on: day, random.pick(summaries))
      }
      let outcome = random.weighted([(Stage.succeeded, 17), (.discontinued, 37), (.referredElsewhere, 17), (.businessClosed, 4), (.consultation, 25)])
      if outcome == .consultation {
        fadeOut(&story, summaries)
        return
      }
      if outcome == .succeeded, random.chance(250) { expert(&story, .judicialScrivener, on: later(story, 3...10)) }
      close(&story, as: outcome, on: later(story, 3...15), reason: reason(for: outcome))

    case .sellerDeal:
      session(&story, on: later(story, 7...20), random.pick(Self.dealSessions))
      classify(&story, side: side, as: .thirdParty, on: story.day)
      switch random.weighted([(Stage.handedOff, 40), (.nda, 15), (.matching, 45)]) {
      case .handedOff:
        move(&story, to: .handedOff, on: story.day)
        for _ in 0..<random.int(1...2) { session(&story, on: later(story, 15...35), random.pick(Self.handedOffSessions)) }
        let outcome = random.weighted([(Stage.succeeded, 22), (.discontinued, 28), (.businessClosed, 10), (.referredElsewhere, 6), (.handedOff, 34)])
        if outcome == .handedOff {
          fadeOut(&story, Self.handedOffSessions)
          return
        }
        close(&story, as: outcome, on: later(story, 10...40), reason: reason(for: outcome))
      case .nda:
        // 持ち込み: the owner comes with a counterpart already in view.
        move(&story, to: .matching, on: story.day)
        deal(&story, attempts: 1, chance: 1000, fast: true)
      default:
        move(&story, to: .matching, on: story.day)
        deal(&story, attempts: 2, chance: 150, fast: false)
      }

    case .buyer:
      if random.chance(500) { session(&story, on: later(story, 10...40), random.pick(Self.buyerSessions)) }
      move(&story, to: .matching, on: story.day)
      for _ in 0..<random.int(0...2) { session(&story, on: later(story, 40...90), random.pick(Self.buyerSessions)) }
      if random.chance(50) {
        deal(&story, attempts: 1, chance: 1000, fast: random.chance(500), buying: true)
        return
      }
      if random.chance(450) {
        fadeOut(&story, Self.buyerSessions)
        return
      }
      close(&story, as: .discontinued, on: later(story, 60...200), reason: "希望条件に合う譲渡案件がなく登録を終了")

    case .closure:
      if random.chance(500) { session(&story, on: later(story, 10...40), random.pick(Self.closureSessions)) }
      close(&story, as: .businessClosed, on: later(story, 15...60), reason: reason(for: .businessClosed))
    }
  }

  /// Third-party work from matching: candidates sought; one found goes through NDA, the top
  /// meeting, the basic agreement, due diligence and the final agreement to success, or breaks
  /// off back to matching; with no candidate the owner gives up, closes the business, or fades
  /// out. `fast`: the counterpart is known, so each step takes weeks, not months.
  private mutating func deal(_ story: inout Story, attempts: Int, chance: Int, fast: Bool, buying: Bool = false) {
    for _ in 0..<attempts {
      if !fast { for _ in 0..<random.int(1...3) { session(&story, on: later(story, 20...50), random.pick(Self.matchingSessions)) } }
      guard random.chance(chance) else { break }
      let steps: [(Stage, ClosedRange<Int>, Int)] = [
        (.nda, fast ? 5...15 : 30...110, 1000), (.topMeeting, fast ? 7...20 : 14...40, 1000), (.basicAgreement, fast ? 10...25 : 20...50, 720),
        (.dueDiligence, fast ? 10...25 : 14...35, 1000), (.finalAgreement, fast ? 10...25 : 20...50, 860),
      ]
      var broke = false
      for (stage, wait, holds) in steps {
        let day = later(story, wait)
        if !random.chance(holds) {
          session(&story, on: day, "譲受候補の見送りを受けて今後の方針を協議")
          move(&story, to: .matching, on: day, reason: random.pick(Self.breakOffs))
          broke = true
          break
        }
        if stage == .dueDiligence, random.chance(300) { expert(&story, .accountant, on: day) }
        if stage == .finalAgreement, random.chance(400) { expert(&story, .lawyer, on: day) }
        session(&story, on: day, (buying ? Self.buyerStageSessions[stage] : nil) ?? Self.stageSessions[stage] ?? random.pick(Self.dealSessions))
        move(&story, to: stage, on: day)
      }
      if !broke {
        close(&story, as: .succeeded, on: later(story, fast ? 5...15 : 7...25), reason: nil)
        return
      }
    }
    switch random.weighted([(Stage.discontinued, 30), (.businessClosed, 20), (.matching, 50)]) {
    case .matching: fadeOut(&story, Self.matchingSessions)
    case let outcome: close(&story, as: outcome, on: later(story, 30...150), reason: reason(for: outcome))
    }
  }

  private mutating func reason(for stage: Stage) -> String? {
    switch stage {
    case .discontinued: random.pick(Self.discontinuedReasons)
    case .businessClosed: random.pick(Self.businessClosedReasons)
    case .referredElsewhere: random.pick(Self.referredReasons)
    default: nil
    }
  }

  private mutating func referralReason(_ track: Track) -> String {
    switch track {
    case .family: random.pick(["長男への承継を予定。自社株の移転方法について相談したいとの意向", "親族内承継を検討中。事業承継税制の活用について知りたい", "娘婿への承継を考えている。進め方を相談したい"])
    case .employee: random.pick(["従業員（専務）への承継を検討中。株式買取資金の調達について相談したい", "役員への承継を希望。経営者保証の扱いが課題"])
    case .sellerDeal: random.pick(["後継者不在。第三者承継（M&A）を検討したいとの意向", "事業承継診断で後継者不在と判明。譲渡を含めてセンターへの相談を勧めた", "高齢のため、従業員の雇用を守れる譲渡先を探したい"])
    case .buyer: random.pick(["同業の事業を譲り受けて事業を拡大したい", "近隣の同業者の譲受を検討。案件の紹介を希望"])
    case .brief: random.pick(["事業承継の進め方について一度相談したいとの意向", "後継者が未定。何から始めればよいか相談したい"])
    case .closure: "高齢のため廃業も視野に入れている。選択肢を相談したい"
    }
  }

  private mutating func intakeSummary(_ track: Track, _ route: Route) -> String {
    let how =
      switch route {
      case .web: "ホームページの相談フォームから申込み。"
      case .phone: "電話で相談の申込み。"
      case .walkIn: "予約なしで来所。"
      default: random.pick(["事業承継セミナーに参加し相談を希望。", "知人の紹介で相談の申込み。", "DMを見て相談の申込み。"])
      }
    let what =
      switch track {
      case .family: "子への承継の進め方と税金について"
      case .employee: "従業員への承継について"
      case .sellerDeal: "後継者がいないため会社の譲渡について"
      case .buyer: "事業の譲受（買収）による拡大について"
      case .brief: "事業承継全般について"
      case .closure: "廃業か承継かの判断について"
      }
    return how + what
  }

  // MARK: Words

  static let declineReasons = [
    "相談内容が事業承継ではなく資金繰りのため、よろず支援拠点を案内", "本人の相談意向が確認できなかったため", "県外の事業者のため所在地のセンターを案内",
    "既に民間の仲介会社と契約済みのため", "経営改善が先決のため、中小企業活性化協議会を案内",
  ]
  static let firstSessions = ["初回面談。事業の概要と承継の意向を確認", "初回相談。決算書をもとに現状を把握し、承継の選択肢を説明", "初回面談。後継者の有無と今後の進め方を確認"]
  static let briefSessions = ["事業承継の進め方について情報提供", "支援施策（事業承継・引継ぎ補助金、税制）を説明", "当面の方針を確認"]
  static let familySessions = [
    "後継者（長男）同席で承継の時期を協議", "自社株の評価方法と贈与・相続の選択肢を説明", "事業承継計画の骨子を作成", "特例承継計画の記載内容を確認",
    "後継者の育成計画と役員構成を協議", "経営者保証の解除に向けて金融機関との調整状況を確認",
  ]
  static let employeeSessions = [
    "後継者候補（専務）と面談", "株式買取資金の調達方法を協議", "従業員承継のスケジュール案を提示", "経営者保証の引継ぎについて金融機関との調整状況を確認",
  ]
  static let dealSessions = ["企業概要書の作成に向けて資料を確認", "ノンネームシートの内容を確認", "希望条件（譲渡価格・従業員の雇用）を整理"]
  /// The session that brings a deal to each of its stages.
  static let stageSessions: [Stage: String] = [
    .nda: "秘密保持契約を締結し、企業概要書を開示", .topMeeting: "トップ面談に同席（譲受候補と経営者の顔合わせ）", .basicAgreement: "基本合意書案の条項を確認",
    .dueDiligence: "デューデリジェンスの準備と資料の提出を支援", .finalAgreement: "デューデリジェンスの指摘事項を踏まえ最終契約書案を確認",
  ]
  /// The same for the buying side, where it differs.
  static let buyerStageSessions: [Stage: String] = [
    .nda: "秘密保持契約を締結し、譲渡企業の概要書を受領", .dueDiligence: "デューデリジェンスの実施を支援（専門家の選定）",
  ]
  static let matchingSessions = ["国の事業承継データベースへの登録内容を確認", "ノンネームでの打診結果を報告", "譲受候補2社の概要を説明"]
  static let handedOffSessions = ["登録民間支援機関（仲介会社）との契約状況を確認", "仲介会社からの進捗報告を共有", "譲受候補との交渉状況を確認"]
  static let buyerSessions = ["譲受の希望条件（業種・地域・規模）をヒアリング", "譲受希望者として登録", "譲渡案件をノンネームで紹介", "譲受資金の調達方法を協議"]
  static let closureSessions = ["廃業の手続と従業員・取引先への対応を説明", "資産の処分と借入金の返済計画を確認"]
  static let nextActions = ["次回面談の日程調整", "必要資料の受領確認", "紹介元への進捗報告"]
  /// Next actions that belong to the case's kind of succession.
  static let nextActionsBy: [SuccessionKind: [String]] = [
    .family: ["株価試算の結果連絡", "後継者との面談設定", "専門家派遣の日程調整", "決算書3期分の受領"],
    .employee: ["株価試算の結果連絡", "後継者候補との面談設定", "金融機関との調整状況の確認"],
    .thirdParty: ["譲受候補への打診結果の確認", "企業概要書の修正版の確認", "決算書3期分の受領", "仲介会社からの進捗確認"],
    .undecided: ["決算書3期分の受領", "承継方針の確認"],
  ]
  static let notes = [
    "決算書3期分を受領", "紹介元へ面談の結果を報告（本人同意あり）", "後継者候補の経歴書を受領", "譲受候補リストを作成", "代表者より電話。次回面談の日程変更の依頼",
    "取引金融機関の担当者と情報共有（本人同意あり）",
  ]
  static let discontinuedReasons = [
    "相談者の意向により支援を中止", "当面は現状維持とし、必要時に再相談", "連絡が取れなくなったため終了", "親族間の調整がつかず中断", "後継者候補が承継を辞退し、支援を中止",
  ]
  static let businessClosedReasons = [
    "後継者が見つからず廃業を決断（廃業支援へ）", "経営者の体調悪化により廃業", "業績悪化により廃業を選択", "後継者不在のため廃業を決断（廃業・清算の進め方を助言）",
  ]
  static let referredReasons = [
    "民間のM&A仲介会社と直接契約", "顧問税理士のもとで承継手続を継続", "よろず支援拠点（経営改善）を案内", "中小企業活性化協議会を案内（事業再生）", "日本政策金融公庫の事業承継融資を案内",
  ]
  static let fadedReasons = ["連絡が取れなくなったため終了", "当面は現状維持とし、必要時に再相談", "相談者の意向により支援を中止"]
  static let breakOffs = ["トップ面談後、譲受候補が見送り", "条件面（譲渡価格）が折り合わず交渉終了", "デューデリジェンスで簿外債務が判明し交渉終了", "譲受候補の社内事情により基本合意を解除"]
  static let diagnosisNotes = ["後継者（長男）は社内で修行中", "M&Aに関心あり", "廃業時の借入金返済が課題", "経営者保証の解除を希望", "事業承継税制の説明を希望"]
}
