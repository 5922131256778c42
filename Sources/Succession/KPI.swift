public import Foundation
import JapaneseCalendar
public import SharedKernel

// MARK: - Records the figures are made from

/// What the figures need of a case: a read model keeps one per case (``init(_:)`` makes it from
/// the case's record).
public struct CaseFacts: Sendable, Hashable, Codable {
  public var id: CaseID
  /// The company, for 相談者数: the case it was first known as (a duplicate counts with its
  /// original), else the case itself.
  public var company: CaseID
  public var route: Route
  /// The referring partner, for a case from a referral.
  public var partner: PartnerID?
  public var partnerType: PartnerType?
  public var side: Side
  /// The kind now (a case that became third-party counts as third-party).
  public var kind: SuccessionKind
  /// Intake: the day the referral or the consultation was received.
  public var receivedOn: LocalDate
  /// The day it became a case (accepted, or opened at once).
  public var openedOn: LocalDate
  /// Every stage entered, in order, from intake.
  public var stages: [StageEntry]
  /// The days of its sessions.
  public var sessions: [LocalDate]

  public init(
    id: CaseID, company: CaseID, route: Route, partner: PartnerID? = nil, partnerType: PartnerType? = nil, side: Side, kind: SuccessionKind,
    receivedOn: LocalDate, openedOn: LocalDate, stages: [StageEntry], sessions: [LocalDate]
  ) {
    self.id = id
    self.company = company
    self.route = route
    self.partner = partner
    self.partnerType = partnerType
    self.side = side
    self.kind = kind
    self.receivedOn = receivedOn
    self.openedOn = openedOn
    self.stages = stages
    self.sessions = sessions
  }

  /// The facts of an accepted or opened case (nil for a referral that is not one).
  public init?(_ record: Case.Record) {
    guard record.isCase, let side = record.side, let openedOn = record.acceptedOn else { return nil }
    let own = record.referrals.first { $0.id == record.id }
    self.init(
      id: record.id, company: record.duplicateOf ?? record.id, route: record.route, partner: own?.partner, partnerType: own?.partnerType, side: side,
      kind: record.kind, receivedOn: record.receivedOn, openedOn: openedOn, stages: record.stages, sessions: record.sessions.map(\.on))
  }

  /// The day the case closed, and how.
  public var closing: StageEntry? { stages.last.flatMap { $0.stage.isClosed ? $0 : nil } }

  /// The stage on `date` (nil before it became a case).
  public func stage(on date: LocalDate) -> Stage? {
    guard openedOn <= date else { return nil }
    return stages.last { $0.on <= date }?.stage
  }
}

/// What happened to a referral.
public enum ReferralOutcome: String, Sendable, Hashable, Codable, CaseIterable {
  case pending
  case accepted
  case declined
  case attached

  public var japaneseName: String {
    switch self {
    case .pending: "未処理"
    case .accepted: "案件化"
    case .declined: "見送り"
    case .attached: "既存案件に統合"
    }
  }
}

/// What the figures need of a referral, one per referral stream.
public struct ReferralFacts: Sendable, Hashable, Codable {
  public var referral: CaseID
  public var partner: PartnerID
  public var partnerName: String
  public var partnerType: PartnerType
  public var receivedOn: LocalDate
  public var outcome: ReferralOutcome

  public init(referral: CaseID, partner: PartnerID, partnerName: String, partnerType: PartnerType, receivedOn: LocalDate, outcome: ReferralOutcome) {
    self.referral = referral
    self.partner = partner
    self.partnerName = partnerName
    self.partnerType = partnerType
    self.receivedOn = receivedOn
    self.outcome = outcome
  }

  /// The referral received on the record's stream, if it began as one.
  public init?(_ record: Case.Record) {
    guard let own = record.referrals.first(where: { $0.id == record.id }) else { return nil }
    let outcome: ReferralOutcome =
      switch record.phase {
      case .referred: .pending
      case .declined: .declined
      case .attached: .attached
      case .open, .closed: .accepted
      }
    self.init(referral: own.id, partner: own.partner, partnerName: own.partnerName, partnerType: own.partnerType, receivedOn: own.receivedOn, outcome: outcome)
  }
}

/// What the figures need of a diagnosis.
public struct DiagnosisFacts: Sendable, Hashable, Codable {
  public var id: DiagnosisID
  public var partner: PartnerID
  public var partnerType: PartnerType
  public var on: LocalDate
  public var linked: Bool

  public init(id: DiagnosisID, partner: PartnerID, partnerType: PartnerType, on: LocalDate, linked: Bool) {
    self.id = id
    self.partner = partner
    self.partnerType = partnerType
    self.on = on
    self.linked = linked
  }

  public init(_ entry: Diagnoses.Entry) {
    self.init(id: entry.id, partner: entry.partner, partnerType: entry.partnerType, on: entry.report.on, linked: entry.linkedCase != nil)
  }
}

// MARK: - Figures

/// The median of a number of days, exactly: with an even count it is the mean of the two
/// middle values, which is a whole or a half day, so it is held doubled (12.5 days is 25).
public struct MedianDays: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Twice the median.
  public let doubled: Int

  /// The median of `values`; nil when there are none.
  public init?(_ values: [Int]) {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    doubled = sorted.count % 2 == 1 ? 2 * sorted[middle] : sorted[middle - 1] + sorted[middle]
  }

  /// `12` or `12.5`.
  public var description: String {
    let sign = doubled < 0 ? "-" : ""
    let magnitude = doubled.magnitude
    return sign + String(magnitude / 2) + (magnitude % 2 == 1 ? ".5" : "")
  }

  public static func < (lhs: MedianDays, rhs: MedianDays) -> Bool { lhs.doubled < rhs.doubled }
}

/// How many intervals a figure is over, and their median in days.
public struct DayFigure: Sendable, Hashable {
  public var count: Int
  public var median: MedianDays?

  init(_ days: [Int]) {
    count = days.count
    median = MedianDays(days)
  }
}

/// A count for one key of a breakdown; breakdowns list every key, in the key type's order.
public struct Tally<Key: Sendable & Hashable>: Sendable, Hashable {
  public var key: Key
  public var count: Int
}

/// The days spent in one stage.
public struct StageDays: Sendable, Hashable {
  public var stage: Stage
  public var figure: DayFigure
}

/// Open cases in a stage, by kind.
public struct StageCount: Sendable, Hashable {
  public var stage: Stage
  public var byKind: [Tally<SuccessionKind>]
  public var total: Int { byKind.reduce(0) { $0 + $1.count } }
}

/// The programme's figures for one period (a month, or the fiscal year).
///
/// Each figure counts what happened in the period, dated by the event that completes it, so a
/// past month's figures do not change when later things happen:
/// - 相談者数 companies with a session in the period (a duplicate case counts with its
///   original; over the year, each company once however many months it consulted); 相談回数
///   the sessions; by side, the companies consulting on each side;
/// - new cases by the day they became cases, by route; referrals by the day received, by
///   partner type (as it was when it referred) and by what became of them;
/// - 成約 and other closings by the day closed, by kind (the kind now);
/// - diagnoses by their day, and how many of them are linked to a case;
/// - days from intake to the first session, counted in the period of that session; from
///   intake to the close (and to success), in the period of the close; days in each stage,
///   for the stays that ended in the period (the stay in the current stage is not yet a figure);
/// - the open cases by stage and kind on the period's last day.
public struct KPIFigures: Sendable, Hashable {
  public var first: LocalDate
  public var last: LocalDate
  /// 相談者数.
  public var consulters = 0
  /// 相談回数.
  public var sessions = 0
  /// 相談者数 by side (譲渡相談, 譲受相談).
  public var consultersBySide: [Tally<Side>] = []
  public var newCases = 0
  public var newCasesByRoute: [Tally<Route>] = []
  public var referrals = 0
  public var referralsByOutcome: [Tally<ReferralOutcome>] = []
  public var referralsByPartnerType: [Tally<PartnerType>] = []
  /// 成約件数.
  public var succeeded = 0
  public var succeededByKind: [Tally<SuccessionKind>] = []
  /// Closings other than success, by stage (中止, 廃業, 他機関へ紹介).
  public var closedOtherwise: [Tally<Stage>] = []
  /// 事業承継診断 実施件数.
  public var diagnoses = 0
  public var diagnosesLinked = 0
  public var daysToFirstSession = DayFigure([])
  public var daysToClose = DayFigure([])
  public var daysToSuccess = DayFigure([])
  /// Each open stage's stays that ended in the period.
  public var daysInStage: [StageDays] = []
  /// Open cases on ``last``, for each open stage.
  public var openByStage: [StageCount] = []

  /// The count for one key of a breakdown.
  public static func count<Key>(_ tallies: [Tally<Key>], _ key: Key) -> Int { tallies.first { $0.key == key }?.count ?? 0 }
}

/// One partner's figures for the year.
public struct PartnerFigures: Sendable, Hashable {
  public var partner: PartnerID
  public var name: String
  public var type: PartnerType
  public var referrals: Int
  public var byOutcome: [Tally<ReferralOutcome>]
  public var diagnoses: Int
  public var diagnosesLinked: Int
}

/// The KPI report of a fiscal year: each month April … March, the year, and each partner.
public struct KPIReport: Sendable {
  public var year: FiscalYear
  public var months: [(month: YearMonth, figures: KPIFigures)]
  public var total: KPIFigures
  /// 成約件数の目標.
  public var target: Int?
  /// Partners in the network or with figures this year, by id.
  public var partners: [PartnerFigures]

  /// 成約 against the target in whole percent, rounded down (nil without a target).
  public var achievementPercent: Int? {
    guard let target, target > 0 else { return nil }
    return total.succeeded * 100 / target
  }
}

/// The programme's KPIs from the records a read model keeps.
public enum SuccessionKPI {
  /// The report of `year`: figures per month and for the year.
  ///
  /// - Parameters:
  ///   - partners: the registry now, for the partner table's names and types and its zero rows
  ///     (partners still in the network with nothing this year show too).
  ///   - target: the year's 成約 target.
  public static func report(
    _ year: FiscalYear, cases: [CaseFacts], referrals: [ReferralFacts], diagnoses: [DiagnosisFacts], partners: [Partners.Partner] = [],
    target: Int? = nil
  ) -> KPIReport {
    let months = year.months.map { month in
      (month: month, figures: figures(from: month.firstDay, to: month.lastDay, cases: cases, referrals: referrals, diagnoses: diagnoses))
    }
    let total = figures(from: year.firstDay, to: year.lastDay, cases: cases, referrals: referrals, diagnoses: diagnoses)
    return KPIReport(
      year: year, months: months, total: total, target: target,
      partners: partnerFigures(year, referrals: referrals, diagnoses: diagnoses, partners: partners))
  }

  /// The figures of the days `first` … `last`, both included.
  public static func figures(
    from first: LocalDate, to last: LocalDate, cases: [CaseFacts], referrals: [ReferralFacts], diagnoses: [DiagnosisFacts]
  ) -> KPIFigures {
    let period = first...last
    var figures = KPIFigures(first: first, last: last)

    // Sets only count here; no order is read from them.
    var consulting = Set<CaseID>()
    var consultingBySide: [Side: Set<CaseID>] = [:]
    var toFirstSession: [Int] = []
    var toClose: [Int] = []
    var toSuccess: [Int] = []
    var stays: [Stage: [Int]] = [:]
    var routes: [Route: Int] = [:]
    var succeededByKind: [SuccessionKind: Int] = [:]
    var closedOtherwise: [Stage: Int] = [:]
    var open: [Stage: [SuccessionKind: Int]] = [:]

    for facts in cases {
      let inPeriod = facts.sessions.filter { period.contains($0) }
      if !inPeriod.isEmpty {
        figures.sessions += inPeriod.count
        consulting.insert(facts.company)
        consultingBySide[facts.side, default: []].insert(facts.company)
      }
      if let firstSession = facts.sessions.min(), period.contains(firstSession) {
        toFirstSession.append(facts.receivedOn.days(to: firstSession))
      }
      if period.contains(facts.openedOn) {
        figures.newCases += 1
        routes[facts.route, default: 0] += 1
      }
      if let closing = facts.closing, period.contains(closing.on) {
        toClose.append(facts.receivedOn.days(to: closing.on))
        if closing.stage == .succeeded {
          figures.succeeded += 1
          succeededByKind[facts.kind, default: 0] += 1
          toSuccess.append(facts.receivedOn.days(to: closing.on))
        } else {
          closedOtherwise[closing.stage, default: 0] += 1
        }
      }
      for (index, entry) in facts.stages.enumerated() where index + 1 < facts.stages.count {
        let end = facts.stages[index + 1].on
        if period.contains(end) { stays[entry.stage, default: []].append(entry.on.days(to: end)) }
      }
      if let stage = facts.stage(on: last), !stage.isClosed {
        open[stage, default: [:]][facts.kind, default: 0] += 1
      }
    }
    figures.consulters = consulting.count
    figures.consultersBySide = Side.allCases.map { Tally(key: $0, count: consultingBySide[$0]?.count ?? 0) }
    figures.newCasesByRoute = Route.allCases.map { Tally(key: $0, count: routes[$0] ?? 0) }
    figures.succeededByKind = SuccessionKind.allCases.map { Tally(key: $0, count: succeededByKind[$0] ?? 0) }
    figures.closedOtherwise = Stage.closings.filter { $0 != .succeeded }.map { Tally(key: $0, count: closedOtherwise[$0] ?? 0) }
    figures.daysToFirstSession = DayFigure(toFirstSession)
    figures.daysToClose = DayFigure(toClose)
    figures.daysToSuccess = DayFigure(toSuccess)
    figures.daysInStage = Stage.open.map { StageDays(stage: $0, figure: DayFigure(stays[$0] ?? [])) }
    figures.openByStage = Stage.open.map { stage in
      StageCount(stage: stage, byKind: SuccessionKind.allCases.map { Tally(key: $0, count: open[stage]?[$0] ?? 0) })
    }

    var outcomes: [ReferralOutcome: Int] = [:]
    var types: [PartnerType: Int] = [:]
    for referral in referrals where period.contains(referral.receivedOn) {
      figures.referrals += 1
      outcomes[referral.outcome, default: 0] += 1
      types[referral.partnerType, default: 0] += 1
    }
    figures.referralsByOutcome = ReferralOutcome.allCases.map { Tally(key: $0, count: outcomes[$0] ?? 0) }
    figures.referralsByPartnerType = PartnerType.allCases.map { Tally(key: $0, count: types[$0] ?? 0) }

    for diagnosis in diagnoses where period.contains(diagnosis.on) {
      figures.diagnoses += 1
      if diagnosis.linked { figures.diagnosesLinked += 1 }
    }
    return figures
  }

  static func partnerFigures(
    _ year: FiscalYear, referrals: [ReferralFacts], diagnoses: [DiagnosisFacts], partners: [Partners.Partner]
  ) -> [PartnerFigures] {
    var rows: [PartnerID: PartnerFigures] = [:]
    func row(_ id: PartnerID, name: String, type: PartnerType) -> PartnerFigures {
      rows[id] ?? PartnerFigures(partner: id, name: name, type: type, referrals: 0, byOutcome: [], diagnoses: 0, diagnosesLinked: 0)
    }
    for partner in partners where partner.active { rows[partner.id] = row(partner.id, name: partner.name, type: partner.type) }
    var outcomes: [PartnerID: [ReferralOutcome: Int]] = [:]
    for referral in referrals where year.contains(referral.receivedOn) {
      var figures = row(referral.partner, name: referral.partnerName, type: referral.partnerType)
      figures.referrals += 1
      rows[referral.partner] = figures
      outcomes[referral.partner, default: [:]][referral.outcome, default: 0] += 1
    }
    for diagnosis in diagnoses where year.contains(diagnosis.on) {
      var figures = row(diagnosis.partner, name: diagnosis.partner.rawValue, type: diagnosis.partnerType)
      figures.diagnoses += 1
      if diagnosis.linked { figures.diagnosesLinked += 1 }
      rows[diagnosis.partner] = figures
    }
    // The registry's name and type win over the ones recorded with the facts.
    for partner in partners {
      if var figures = rows[partner.id] {
        figures.name = partner.name
        figures.type = partner.type
        rows[partner.id] = figures
      }
    }
    return rows.keys.sorted().compactMap { id in
      guard var figures = rows[id] else { return nil }
      figures.byOutcome = ReferralOutcome.allCases.map { Tally(key: $0, count: outcomes[id]?[$0] ?? 0) }
      return figures
    }
  }
}

// MARK: - CSV

extension KPIReport {
  /// The monthly table as CSV for Excel (UTF-8 with BOM, CRLF): one row per figure, one
  /// column per month April … March, then the year; medians in days (a half day as .5).
  public func csv() -> Data {
    let periods = months.map(\.figures) + [total]
    var rows: [[String]] = [["区分"] + months.map { "\($0.month.year)年\($0.month.month)月" } + ["\(year.warekiName)計（\(year)）"]]
    func add(_ label: String, _ value: (KPIFigures) -> String) { rows.append([label] + periods.map(value)) }
    func number(_ label: String, _ value: @escaping (KPIFigures) -> Int) { add(label) { String(value($0)) } }
    func days(_ label: String, _ value: @escaping (KPIFigures) -> DayFigure) {
      add("\(label)（中央値・日）") { value($0).median?.description ?? "" }
      add("\(label)（件数）") { String(value($0).count) }
    }
    number("相談者数", \.consulters)
    number("相談回数", \.sessions)
    for side in Side.allCases { number("相談者数（\(side.japaneseName)）") { KPIFigures.count($0.consultersBySide, side) } }
    number("新規案件数", \.newCases)
    for route in Route.allCases { number("新規案件（\(route.japaneseName)）") { KPIFigures.count($0.newCasesByRoute, route) } }
    number("紹介受付件数", \.referrals)
    for outcome in ReferralOutcome.allCases { number("紹介（\(outcome.japaneseName)）") { KPIFigures.count($0.referralsByOutcome, outcome) } }
    for type in PartnerType.allCases { number("紹介（\(type.japaneseName)）") { KPIFigures.count($0.referralsByPartnerType, type) } }
    number("成約件数", \.succeeded)
    for kind in SuccessionKind.allCases { number("成約（\(kind.japaneseName)）") { KPIFigures.count($0.succeededByKind, kind) } }
    for stage in Stage.closings where stage != .succeeded {
      number("終了（\(stage.japaneseName)）") { KPIFigures.count($0.closedOtherwise, stage) }
    }
    rows.append(["成約目標"] + months.map { _ in "" } + [target.map(String.init) ?? ""])
    rows.append(["目標達成率（%）"] + months.map { _ in "" } + [achievementPercent.map(String.init) ?? ""])
    number("事業承継診断件数", \.diagnoses)
    number("うち案件化", \.diagnosesLinked)
    days("受付から初回相談まで", \.daysToFirstSession)
    days("受付から終了まで", \.daysToClose)
    days("受付から成約まで", \.daysToSuccess)
    for stage in Stage.open {
      add("「\(stage.japaneseName)」の滞留日数（中央値）") { figures in
        figures.daysInStage.first { $0.stage == stage }?.figure.median?.description ?? ""
      }
    }
    for stage in Stage.open {
      number("期末の支援中案件（\(stage.japaneseName)）") { figures in figures.openByStage.first { $0.stage == stage }?.total ?? 0 }
    }
    return CSVText.render(rows)
  }

  /// The partner table as CSV: referrals and diagnoses of the year per partner.
  public func partnerCSV() -> Data {
    var rows: [[String]] = [["機関コード", "機関名", "種別", "紹介件数"] + ReferralOutcome.allCases.map { "うち\($0.japaneseName)" } + ["事業承継診断件数", "うち案件化"]]
    for partner in partners {
      rows.append(
        [partner.partner.rawValue, partner.name, partner.type.japaneseName, String(partner.referrals)]
          + partner.byOutcome.map { String($0.count) } + [String(partner.diagnoses), String(partner.diagnosesLinked)])
    }
    return CSVText.render(rows)
  }

  /// The open cases at the year's end by stage and kind, as CSV.
  public func stageCSV() -> Data {
    var rows: [[String]] = [["段階"] + SuccessionKind.allCases.map(\.japaneseName) + ["計"]]
    for count in total.openByStage {
      rows.append([count.stage.japaneseName] + count.byKind.map { String($0.count) } + [String(count.total)])
    }
    return CSVText.render(rows)
  }
}
