import BuildingReadModels
import Foundation
import Hummingbird
import JapaneseCalendar
import ServiceKit
import SharedKernel

/// The building manager's page: a fiscal year's utilisation, revenue, occupancy and
/// cancellations as SVG charts and tables, links to the CSV files, laid out to print on A4
/// landscape.
enum ReportPages {
  static func all(app: ServiceApplication, reads: DeskReads, now: @escaping @Sendable () -> Date) -> [Route] {
    guard let runner = app.projections else { return [] }
    let reports = Reports(reads: reads, letting: LettingReads(runner: runner))
    let layout = app.layout
    return [
      Route(
        .get, "/reports", summary: "The manager's reports for a fiscal year: charts, tables and CSV downloads; prints on A4 landscape.",
        access: ReportRoutes.readers,
        parameters: [RouteParameter("fy", in: .query, schema: .string(), "The fiscal year (2022, FY2022 or 令和4年度; anything else is this one)")],
        responses: [RouteResponse(200, "A page", schema: .string(), mediaType: "text/html")], tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        let today = (try? LocalDate(japanTimeOf: now())) ?? LocalDate.earliest
        let year = (try? ReportRoutes.fiscalYear(request, today: today)) ?? FiscalYear(containing: today)
        let page = ReportPage(
          year: year, today: today, utilisation: try await reports.utilisation(year), revenue: try await reports.revenue(year),
          occupancy: try await reports.occupancy(year), cancellations: try await reports.cancellations(year))
        return pageResponse(layout.page(title: "管理者レポート \(year.warekiName)（\(year)）", user: context.user, content: page.content))
      }
    ]
  }
}

/// The figures of one fiscal year as the page lays them out.
struct ReportPage {
  let year: FiscalYear
  let today: LocalDate
  let utilisation: UtilisationReport
  let revenue: RevenueReport
  let occupancy: OccupancyReport
  let cancellations: CancellationReport

  var monthLabels: [String] { year.months.map { "\($0.month)月" } }

  /// The last month end of the year that has passed (the year's last when it is over).
  var reportedMonth: Int {
    occupancy.months.lastIndex { $0.month.lastDay <= today } ?? 0
  }

  var content: [HTML] {
    let start = year.startYear
    let toolbar = H.div(
      [
        H.a("← \(start - 1)年度", href: "/reports?fy=\(start - 1)"), H.a("\(start + 1)年度 →", href: "/reports?fy=\(start + 1)"),
        .element(
          "form", ["method": "get", "action": "/reports"],
          [
            .element("label", ["for": "fy"], [.text("年度")]),
            .element("input", ["id": "fy", "name": "fy", "value": String(start), "inputmode": "numeric", "size": "8"]),
            .element("button", ["type": "submit"], [.text("表示")]),
          ]),
        H.a("予約台帳へ", href: "/desk"),
      ], class: "toolbar no-print")
    return [toolbar, summary, charts, utilisationTable, revenueTable, occupancyTable, cancellationTable, downloads]
  }

  var summary: HTML {
    let month = occupancy.months[reportedMonth]
    let total = revenue.line("total", "all")?.yearYen ?? .zero
    let received = revenue.lines.filter { $0.section == "received" }.reduce(Int64(0)) { $0 + $1.yearYen.amount }
    return .element(
      "table", ["class": "data", "id": "report-summary"],
      [
        ("貸室の利用率（年度）", "\(utilisation.year.share.text)（\(utilisation.year.letBlocks)／\(utilisation.year.availableBlocks)コマ）"),
        ("収入合計（税込・発生ベース）", "\(Formats.yen(total))（\(Formats.thousandYen(total))）"),
        ("入金合計", Formats.yen(Yen(received))),
        ("事務所の入居率（\(month.month.month)月末）", "\(month.offices.rate)（解約予告中 \(month.offices.underNoticePremises.count)区画）"),
        ("月極駐車場の稼働率（\(month.month.month)月末）", "\(month.parking.rate)（\(month.parking.occupied)／\(month.parking.lettable)台）"),
        ("取消率・不使用率（年度）", "\(cancellations.year.cancellationShare.text)・\(cancellations.year.noShowShare.text)"),
      ].map { .element("tr", [:], [.element("th", ["scope": "row"], [.text($0.0)]), .element("td", [:], [.text($0.1)])]) })
  }

  static func percent(_ points: Int64) -> String { "\(points / 100).\(points % 100 < 10 ? "0" : "")\(points % 100)%" }

  var charts: HTML {
    let labels = monthLabels
    func points(_ values: [Int64]) -> [Chart.Point] { zip(labels, values).map { Chart.Point($0, $1) } }
    let rooms = revenue.line("rooms", "rooms")?.months ?? []
    let letting = revenue.lines.filter { $0.section == "letting" }
    let lettingMonths = year.months.indices.map { index in letting.reduce(Int64(0)) { $0 + $1.months[index].amount } }
    return H.div(
      [
        Chart(
          title: "貸室の利用率（全施設）", style: .line, points: points(utilisation.totals.map { $0.share.basisPoints ?? 0 }), format: Self.percent
        ).html,
        Chart(title: "貸室収入（税込）", style: .bar, points: points(rooms.map { $0.amount / 1000 }), format: { "\($0)千円" }).html,
        Chart(title: "事務所・駐車場収入（税込）", style: .bar, points: points(lettingMonths.map { $0 / 1000 }), format: { "\($0)千円" }).html,
        Chart(
          title: "事務所の入居率（月末）", style: .line, points: points(occupancy.months.map { $0.offices.basisPoints ?? 0 }), format: Self.percent
        ).html,
        Chart(
          title: "月極駐車場の稼働率（月末）", style: .line, points: points(occupancy.months.map { $0.parking.basisPoints ?? 0 }), format: Self.percent
        ).html,
        Chart(title: "取消件数", style: .bar, points: points(cancellations.figures.map(\.cancelled)), format: { "\($0)件" }).html,
      ], id: "charts")
  }

  var monthColumns: [Table.Column] { monthLabels.map { .init($0, numeric: true) } + [.init("年度", numeric: true)] }

  var utilisationTable: HTML {
    var rows = utilisation.rooms.map { room in [HTML.text(room.name)] + (room.months + [room.year]).map { .text($0.share.text) } }
    rows.append([.text("全施設")] + (utilisation.totals + [utilisation.year]).map { .text($0.share.text) })
    return H.section(
      [
        H.h2("貸室の利用率（利用コマ ÷ 利用可能コマ）"),
        Table(columns: [.init("施設")] + monthColumns, rows: rows).html,
        H.p(.text("午前・午後・夜間の各コマを1コマとし、本予約・利用済・不使用の予約を利用とします。休館日と工事等の閉鎖日は除き、ホール全体の予約で使えない分割区画のコマも除きます。"), class: "hint"),
      ], class: "report wide-print")
  }

  var revenueTable: HTML {
    let rows = revenue.lines.map { line in
      [HTML.text(RevenueReport.sectionName(line.section)), .text(line.label)] + (line.months + [line.yearYen]).map { .text(Formats.thousandYen($0)) }
    }
    return H.section(
      [
        H.h2("収入（千円、税込）"),
        Table(columns: [.init("区分"), .init("項目")] + monthColumns, rows: rows).html,
        H.p(.text("貸室は利用日の月に計上（取消は取消料）、事務所・月極駐車場は請求月、時間貸駐車場は出庫日。入金は入金日の月。千円未満切り捨て。"), class: "hint"),
      ], class: "report wide-print")
  }

  var occupancyTable: HTML {
    let rows: [[HTML]] = [
      [.text("事務所の入居率")] + occupancy.months.map { .text($0.offices.rate) },
      [.text("うち解約予告中の区画")] + occupancy.months.map { .text(String($0.offices.underNoticePremises.count)) },
      [.text("月極駐車場の稼働率")] + occupancy.months.map { .text($0.parking.rate) },
      [.text("月極駐車場 契約台数")] + occupancy.months.map { .text("\($0.parking.occupied)／\($0.parking.lettable)") },
      [.text("来客駐車 台数（うち利用者認証）")] + occupancy.months.map { .text("\($0.visitors.stays)（\($0.visitors.validated)）") },
      [.text("来客駐車 最大同時駐車")] + occupancy.months.map { .text("\($0.visitors.peakParked)／\($0.visitors.spaces)") },
    ]
    return H.section(
      [H.h2("入居率・稼働率（各月末）と来客駐車場（月間）"), Table(columns: [.init("項目")] + monthLabels.map { .init($0, numeric: true) }, rows: rows).html],
      class: "report wide-print")
  }

  var cancellationTable: HTML {
    func cells(_ f: CancellationFigure) -> [HTML] {
      [
        .text(String(f.bookings)), .text(String(f.kept)), .text(String(f.cancelled)), .text(Formats.yen(f.cancellationFeesYen)), .text(String(f.lapsed)),
        .text(String(f.noShows)), .text(f.cancellationShare.text),
      ]
    }
    var rows = zip(monthLabels, cancellations.figures).map { [HTML.text($0)] + cells($1) }
    rows.append([.text("年度計")] + cells(cancellations.year))
    let columns: [Table.Column] =
      [.init("月")] + ["予約件数", "利用確定", "取消", "取消料", "期限切れ", "不使用", "取消率"].map { .init($0, numeric: true) }
    return H.section([H.h2("取消・期限切れ・不使用（利用日の月）"), Table(columns: columns, rows: rows).html], class: "report")
  }

  var downloads: HTML {
    let fy = year.startYear
    return H.section(
      [
        H.h2("CSV（Excel 用、UTF-8 BOM 付き）"),
        .element(
          "ul", [:],
          [
            ("利用率", "utilisation"), ("収入", "revenue"), ("取消・不使用", "cancellations"), ("入居率・稼働率", "occupancy"),
          ].map { .element("li", [:], [H.a($0.0, href: "/api/reports/\($0.1)?fy=\(fy)&format=csv")]) }
            + [.element("li", [:], [H.a("滞納一覧（本日）", href: "/api/reports/arrears?format=csv")])]),
      ], class: "no-print")
  }
}
