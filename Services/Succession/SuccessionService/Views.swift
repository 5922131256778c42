import EventLog
import Foundation
import JapaneseCalendar
import SharedKernel
import Succession

/// A case as the API answers it: the record as its stream tells it, with what derives from it.
struct CaseView: Encodable, Sendable {
  var id: CaseID
  var phase: Case.Phase
  var stage: Stage?
  var stageSince: LocalDate?
  var closedOn: LocalDate?
  var company: Company
  var route: Succession.Route
  var side: Side?
  var kind: SuccessionKind
  var assignee: UserID?
  var receivedOn: LocalDate
  var acceptedOn: LocalDate?
  var declinedReason: String?
  var declinedOn: LocalDate?
  var attachedTo: CaseID?
  /// The case the company was first known as: this one is a duplicate of it.
  var duplicateOf: CaseID?
  var summary: String?
  var referrals: [Referral]
  var stages: [StageEntry]
  var sessions: [Session]
  var experts: [ExpertDispatch]
  var notes: [Note]
  var nextAction: NextAction?
  /// Where to read this case, and the one it duplicates.
  var links: [String: String]

  init(_ record: Case.Record) {
    id = record.id
    phase = record.phase
    stage = record.stage
    stageSince = record.stageSince
    closedOn = record.closedOn
    company = record.company
    route = record.route
    side = record.side
    kind = record.kind
    assignee = record.assignee
    receivedOn = record.receivedOn
    acceptedOn = record.acceptedOn
    declinedReason = record.declinedReason
    declinedOn = record.declinedOn
    attachedTo = record.attachedTo
    duplicateOf = record.duplicateOf
    summary = record.summary
    referrals = record.referrals
    stages = record.stages
    sessions = record.sessions
    experts = record.experts
    notes = record.notes
    nextAction = record.nextAction
    var links = ["self": "/api/cases/\(record.id)"]
    if let original = record.duplicateOf { links["duplicateOf"] = "/api/cases/\(original)" }
    if let target = record.attachedTo { links["attachedTo"] = "/api/cases/\(target)" }
    self.links = links
  }
}

/// What a write on a case answers: the case after it.
struct CaseAnswer: Encodable, Sendable {
  var view: CaseView?

  init(_ state: Case.State) { view = state.map(CaseView.init) }

  func encode(to encoder: any Encoder) throws { try view.encode(to: encoder) }
}

struct PartnersAnswer: Encodable, Sendable {
  /// Events recorded (0: the registry already said so).
  var changes: Int
  var partners: Int
  var active: Int
}

struct RotationAnswer: Encodable, Sendable {
  var reassigned: [String]
}

struct DiagnosesAnswer: Encodable, Sendable {
  /// The ids of the diagnoses recorded.
  var recorded: [String]
  /// Rows already recorded the same way, left out.
  var unchanged: Int
}

struct DiagnosisAnswer: Encodable, Sendable {
  var entry: Diagnoses.Entry?
  func encode(to encoder: any Encoder) throws { try entry.encode(to: encoder) }
}

struct TargetAnswer: Encodable, Sendable {
  var fy: FiscalYear
  var succeeded: Int
}

/// A count with its key and the key's Japanese name.
struct TallyView: Encodable, Sendable, Hashable {
  var key: String
  var name: String
  var count: Int

  /// A breakdown's counts, in its order.
  static func list<Key: KPIKey>(_ tallies: [Tally<Key>]) -> [TallyView] {
    tallies.map { TallyView(key: $0.key.rawValue, name: $0.key.japaneseName, count: $0.count) }
  }
}

/// What a KPI breakdown is keyed by: a code for machines and a Japanese name for people.
protocol KPIKey: Sendable, Hashable {
  var rawValue: String { get }
  var japaneseName: String { get }
}

extension Side: KPIKey {}
extension Succession.Route: KPIKey {}
extension ReferralOutcome: KPIKey {}
extension PartnerType: KPIKey {}
extension SuccessionKind: KPIKey {}
extension Stage: KPIKey {}

/// A median of days, exact to the half day (null when there is nothing to take it of).
struct DaysView: Encodable, Sendable, Hashable {
  var count: Int
  var median: Double?

  init(_ figure: DayFigure) {
    count = figure.count
    median = figure.median.map { Double($0.doubled) / 2 }
  }
}

/// One period's figures, as JSON.
struct FiguresView: Encodable, Sendable {
  var first: LocalDate
  var last: LocalDate
  var consulters: Int
  var sessions: Int
  var consultersBySide: [TallyView]
  var newCases: Int
  var newCasesByRoute: [TallyView]
  var referrals: Int
  var referralsByOutcome: [TallyView]
  var referralsByPartnerType: [TallyView]
  var succeeded: Int
  var succeededByKind: [TallyView]
  var closedOtherwise: [TallyView]
  var diagnoses: Int
  var diagnosesLinked: Int
  var daysToFirstSession: DaysView
  var daysToClose: DaysView
  var daysToSuccess: DaysView
  var daysInStage: [StageDaysView]
  var openByStage: [StageCountView]

  struct StageDaysView: Encodable, Sendable {
    var stage: Stage
    var name: String
    var days: DaysView
  }

  struct StageCountView: Encodable, Sendable {
    var stage: Stage
    var name: String
    var total: Int
    var byKind: [TallyView]
  }

  init(_ f: KPIFigures) {
    first = f.first
    last = f.last
    consulters = f.consulters
    sessions = f.sessions
    consultersBySide = TallyView.list(f.consultersBySide)
    newCases = f.newCases
    newCasesByRoute = TallyView.list(f.newCasesByRoute)
    referrals = f.referrals
    referralsByOutcome = TallyView.list(f.referralsByOutcome)
    referralsByPartnerType = TallyView.list(f.referralsByPartnerType)
    succeeded = f.succeeded
    succeededByKind = TallyView.list(f.succeededByKind)
    closedOtherwise = TallyView.list(f.closedOtherwise)
    diagnoses = f.diagnoses
    diagnosesLinked = f.diagnosesLinked
    daysToFirstSession = DaysView(f.daysToFirstSession)
    daysToClose = DaysView(f.daysToClose)
    daysToSuccess = DaysView(f.daysToSuccess)
    daysInStage = f.daysInStage.map { StageDaysView(stage: $0.stage, name: $0.stage.japaneseName, days: DaysView($0.figure)) }
    openByStage = f.openByStage.map {
      StageCountView(
        stage: $0.stage, name: $0.stage.japaneseName, total: $0.total,
        byKind: TallyView.list($0.byKind))
    }
  }
}

/// The KPI report of a fiscal year, as JSON.
struct KPIView: Encodable, Sendable {
  var fy: FiscalYear
  var name: String
  var target: Int?
  var achievementPercent: Int?
  var total: FiguresView
  var months: [MonthView]
  var partners: [PartnerView]

  struct MonthView: Encodable, Sendable {
    var month: String
    var figures: FiguresView
  }

  struct PartnerView: Encodable, Sendable {
    var partner: PartnerID
    var name: String
    var type: PartnerType
    var referrals: Int
    var byOutcome: [TallyView]
    var diagnoses: Int
    var diagnosesLinked: Int
  }

  init(_ report: KPIReport) {
    fy = report.year
    name = report.year.warekiName
    target = report.target
    achievementPercent = report.achievementPercent
    total = FiguresView(report.total)
    months = report.months.map { MonthView(month: $0.month.description, figures: FiguresView($0.figures)) }
    partners = report.partners.map {
      PartnerView(
        partner: $0.partner, name: $0.name, type: $0.type, referrals: $0.referrals,
        byOutcome: TallyView.list($0.byOutcome), diagnoses: $0.diagnoses,
        diagnosesLinked: $0.diagnosesLinked)
    }
  }
}
