import Foundation
import Hummingbird
import JapaneseCalendar
import ServiceKit
import SharedKernel
import Succession
import SuccessionReadModels

/// KPI: a fiscal year's figures as the programme reports them (相談者数, 相談回数, 譲渡・譲受,
/// 成約 against the target), their breakdowns, charts of the months, and the CSV files for Excel.
enum KPIPages {
  static func all(_ pages: CentrePages) -> [ServiceKit.Route] {
    [
      ServiceKit.Route(
        .get, "/kpis", summary: "KPI: a fiscal year's figures with monthly charts, breakdowns and links to the CSV files.", access: CentrePages.readers,
        parameters: [RouteParameter("fy", in: .query, schema: .string(), "The fiscal year (2023, FY2023 or 令和5年度; anything else is this one)")],
        responses: CentrePages.html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        let year = pages.fiscalYear(request)
        let report = try await pages.reads.read { db, set in try SuccessionQueries.kpis(year, in: db, set) }
        return pageResponse(pages.kpiPage(report, user: context.user))
      }
    ]
  }
}

extension CentrePages {
  func kpiPage(_ report: KPIReport, user: AuthenticatedUser?) -> String {
    let year = report.year
    let total = report.total
    func days(_ figure: DayFigure) -> String { figure.median.map { "\($0)日（\(figure.count)件の中央値）" } ?? "—" }
    let target = report.target.map { "目標 \($0)件・達成率 \(report.achievementPercent.map { "\($0)%" } ?? "—")" } ?? "目標は未設定"
    let summary = Self.facts(
      [
        ("相談者数", .text("\(total.consulters)者")), ("相談回数", .text("\(total.sessions)回")),
        ("譲渡相談（相談者）", .text("\(KPIFigures.count(total.consultersBySide, .selling))者")),
        ("譲受相談（相談者）", .text("\(KPIFigures.count(total.consultersBySide, .buying))者")),
        ("新規案件", .text("\(total.newCases)件")), ("連携機関からの紹介", .text("\(total.referrals)件")),
        ("成約", .text("\(total.succeeded)件（\(target)）")),
        ("事業承継診断", .text("\(total.diagnoses)件（うち案件につながった \(total.diagnosesLinked)件）")),
        ("受付から初回相談まで", .text(days(total.daysToFirstSession))), ("受付から終了まで", .text(days(total.daysToClose))),
        ("受付から成約まで", .text(days(total.daysToSuccess))),
      ], id: "kpi-summary")
    let months = report.months.map { (label: "\($0.month.month)月", figures: $0.figures) }
    var cumulative: Int64 = 0
    let charts = H.div(
      [
        Chart(title: "月別の相談回数", style: .bar, points: months.map { .init($0.label, Int64($0.figures.sessions)) }, format: { "\($0)回" }).html,
        Chart(title: "月別の相談者数", style: .bar, points: months.map { .init($0.label, Int64($0.figures.consulters)) }, format: { "\($0)者" }).html,
        Chart(
          title: "成約の累計と目標", style: .line,
          points: months.map { month in
            cumulative += Int64(month.figures.succeeded)
            return .init(month.label, cumulative)
          }, reference: report.target.map { (label: "目標", value: Int64($0)) }, format: { "\($0)件" }
        ).html,
        Chart(
          title: "連携機関の種別ごとの紹介", style: .bar, points: total.referralsByPartnerType.map { .init($0.key.japaneseName, Int64($0.count)) },
          format: { "\($0)件" }
        ).html,
      ], id: "charts")
    func tally<Key>(_ caption: String, _ tallies: [Tally<Key>], _ name: (Key) -> String, unit: String = "件") -> HTML {
      Table(caption: caption, columns: [.init("区分"), .init("件数", numeric: true)], rows: tallies.map { [.text(name($0.key)), .text("\($0.count)\(unit)")] }).html
    }
    let kinds = SuccessionKind.allCases
    let stages = Table(
      caption: "段階別・種類別の支援中の案件（\(total.last) 時点）",
      columns: [.init("段階")] + kinds.map { .init($0.japaneseName, numeric: true) } + [.init("計", numeric: true)],
      rows: total.openByStage.map { count in
        [.text(count.stage.japaneseName)] + kinds.map { .text(String(KPIFigures.count(count.byKind, $0))) } + [.text(String(count.total))]
      }
    ).html
    let stays = Table(
      caption: "段階ごとの滞留日数（年度中に次へ進んだもの）", columns: [.init("段階"), .init("件数", numeric: true), .init("中央値", numeric: true)],
      rows: total.daysInStage.map { [.text($0.stage.japaneseName), .text(String($0.figure.count)), .text($0.figure.median.map { "\($0)日" } ?? "—")] }
    ).html
    let csv = "/api/kpis?fy=\(year.startYear)&format=csv&table="
    let downloads = H.div(
      [
        H.h2("CSV（Excel 用、UTF-8 BOM 付き）"),
        .element(
          "ul", [:],
          [("summary", "年度・月別の集計"), ("partners", "連携機関別"), ("stages", "段階別")].map { table, label in
            .element("li", [:], [H.a("\(label)（kpi-\(year)-\(table).csv）", href: csv + table)])
          }),
      ], id: "downloads")
    let content: [HTML] = [
      yearSelector(year, path: "/kpis"), H.h2("\(year.warekiName)（\(year)）の実績"), summary, charts,
      tally("相談経路別の新規案件", total.newCasesByRoute) { $0.japaneseName },
      tally("連携機関の種別ごとの紹介", total.referralsByPartnerType) { $0.japaneseName },
      tally("紹介のその後", total.referralsByOutcome) { $0.japaneseName }, tally("成約（承継の種類別）", total.succeededByKind) { $0.japaneseName },
      tally("成約以外の終了", total.closedOtherwise) { $0.japaneseName }, stages, stays, downloads,
    ]
    return staffPage("KPI \(year.warekiName)", user: user, content)
  }
}
