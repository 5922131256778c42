import Building
import BuildingReadModels
import Foundation
import Hummingbird
import JapaneseCalendar
import ServiceKit
import SharedKernel

/// The building manager's reports, by fiscal year or on a day, each as JSON or as CSV (UTF-8
/// with BOM, for Excel): room utilisation, revenue, cancellations and no-shows, office and
/// car-park occupancy, arrears. The manager's page draws the same figures.
enum ReportRoutes {
  /// The desk, the manager and the auditor: the desk already sees every booking and payment
  /// these add up, and prints the reports for the manager.
  static let readers = APIRoutes.readers

  static let fiscalYearParameter = RouteParameter(
    "fy", in: .query, schema: .string(maxLength: 16), "The fiscal year: 2022, FY2022 or 令和4年度 (default: this one)")
  static let formatParameter = RouteParameter(
    "format", in: .query, schema: .string(values: ["json", "csv"]), "json (default) or csv (UTF-8 with BOM)")
  static let answers = [
    RouteResponse(200, "The report (JSON), or with format=csv the same as CSV", schema: .object([:], open: true)),
    RouteResponse(200, "The report as CSV", mediaType: "text/csv"),
  ]

  static func all(app: ServiceApplication, reads: DeskReads, now: @escaping @Sendable () -> Date) -> [Route] {
    guard let runner = app.projections else { return [] }
    let letting = LettingReads(runner: runner)
    let reports = Reports(reads: reads, letting: letting)
    @Sendable func today() -> LocalDate { (try? LocalDate(japanTimeOf: now())) ?? LocalDate.earliest }
    return [
      Route(
        .get, "/api/reports/utilisation",
        summary: "利用率 of each room month by month over a fiscal year: basic blocks let ÷ blocks that could be let; JSON or CSV.",
        access: readers, parameters: [fiscalYearParameter, formatParameter], responses: answers, tag: "reports", readsModels: true
      ) { request, _ in
        let year = try fiscalYear(request, today: today())
        let report = try await reports.utilisation(year)
        return try csv(request) ? Response.csv(report.csv(), filename: "utilisation-\(year).csv") : try jsonResponse(report)
      },
      Route(
        .get, "/api/reports/revenue",
        summary: "収入 month by month over a fiscal year: rooms by space, fee tier and customer, offices, monthly and visitor parking, money received; JSON or CSV.",
        access: readers, parameters: [fiscalYearParameter, formatParameter], responses: answers, tag: "reports", readsModels: true
      ) { request, _ in
        let year = try fiscalYear(request, today: today())
        let report = try await reports.revenue(year)
        return try csv(request) ? Response.csv(report.csv(), filename: "revenue-\(year).csv") : try jsonResponse(report)
      },
      Route(
        .get, "/api/reports/cancellations",
        summary: "取消・期限切れ・不使用 over a fiscal year by the month of the booked day, and by room; JSON or CSV.",
        access: readers, parameters: [fiscalYearParameter, formatParameter], responses: answers, tag: "reports", readsModels: true
      ) { request, _ in
        let year = try fiscalYear(request, today: today())
        let report = try await reports.cancellations(year)
        return try csv(request) ? Response.csv(report.csv(), filename: "cancellations-\(year).csv") : try jsonResponse(report)
      },
      Route(
        .get, "/api/reports/occupancy",
        summary: "入居率・稼働率 at each month end of a fiscal year: offices (leased ÷ leasable area, units under notice apart) and monthly parking; JSON or CSV.",
        access: readers, parameters: [fiscalYearParameter, formatParameter], responses: answers, tag: "reports", readsModels: true
      ) { request, _ in
        let year = try fiscalYear(request, today: today())
        let report = try await reports.occupancy(year)
        return try csv(request) ? Response.csv(report.csv(), filename: "occupancy-\(year).csv") : try jsonResponse(report)
      },
      Route(
        .get, "/api/reports/arrears", summary: "滞納一覧 on a day (default today): each overdue invoice, its balance and days overdue; JSON or CSV.",
        access: readers,
        parameters: [
          RouteParameter("on", in: .query, schema: .string(maxLength: 40, description: "ISO 2023-03-31 or 和暦 令和5年3月31日"), "The day (default today)"),
          formatParameter,
        ], responses: answers, tag: "reports", readsModels: true
      ) { request, _ in
        let day = try date(request, "on", today: today())
        let report = try await reports.arrears(on: day)
        return try csv(request) ? Response.csv(report.csv(), filename: "arrears-\(day).csv") : try jsonResponse(report)
      },
    ]
  }

  /// `fy`: 2022, FY2022 or 令和4年度; this fiscal year when absent.
  static func fiscalYear(_ request: Request, today: LocalDate) throws -> FiscalYear { try request.fiscalYear(today: today) }


  /// A day in ISO or 和暦; `today` when absent.
  static func date(_ request: Request, _ name: String, today: LocalDate) throws -> LocalDate {
    guard let text = try request.queryText(name, maxLength: 40) else { return today }
    do { return try LocalDate(typed: text) } catch { throw Problem(.validationFailed, "\(name): \(error)", field: name) }
  }

  /// `format=csv` (else JSON).
  static func csv(_ request: Request) throws -> Bool {
    switch try request.queryText("format", maxLength: 8) {
    case nil, "json": return false
    case "csv": return true
    default: throw Problem(.validationFailed, "format は json か csv です", field: "format")
    }
  }
}

/// The reports as the routes and the manager's page read them, from the two read models.
struct Reports: Sendable {
  let reads: DeskReads
  let letting: LettingReads

  func utilisation(_ year: FiscalYear) async throws -> UtilisationReport {
    let (_, catalogue) = try await reads.catalogue()
    let closures = try await reads.closures()
    return try await reads.read { db, set in try BuildingReports.utilisation(year, catalogue: catalogue, closures: closures, in: db, set) }
  }

  func revenue(_ year: FiscalYear) async throws -> RevenueReport {
    let (_, catalogue) = try await reads.catalogue()
    let rooms = try await reads.read { db, set in try BuildingReports.roomRevenue(year, catalogue: catalogue, in: db, set) }
    let lets = try await letting.read { db, set in try BuildingReports.lettingRevenue(year, in: db, set) }
    return RevenueReport(fiscalYear: year.description, months: year.months, lines: rooms + lets)
  }

  func cancellations(_ year: FiscalYear) async throws -> CancellationReport {
    let (_, catalogue) = try await reads.catalogue()
    return try await reads.read { db, set in try BuildingReports.cancellations(year, catalogue: catalogue, in: db, set) }
  }

  func occupancy(_ year: FiscalYear) async throws -> OccupancyReport {
    try await letting.read { db, set in
      OccupancyReport(
        fiscalYear: year.description,
        months: try zip(year.months, LettingQueries.visitorMonths(year, in: db, set)).map { month, visitors in
          OccupancyReport.Month(
            month: month, offices: try LettingQueries.officeOccupancy(on: month.lastDay, in: db, set),
            parking: try LettingQueries.parkingOccupancy(on: month.lastDay, in: db, set), visitors: visitors)
        })
    }
  }

  func arrears(on day: LocalDate) async throws -> ArrearsReport {
    let rows = try await letting.read { db, set in try LettingQueries.arrears(on: day, in: db, set) }
    return ArrearsReport(on: day, totalYen: Yen(rows.reduce(0) { $0 + $1.balanceYen.amount }), arrears: rows)
  }
}

// MARK: - CSV

extension UtilisationReport {
  /// One row per room and month, then the building's; 利用可能コマ and 利用コマ so the rate can be checked.
  func csv() -> Data {
    var rows: [[String]] = [["施設ID", "施設", "月", "利用可能コマ数", "利用コマ数", "利用率"]]
    func row(_ id: String, _ name: String, _ label: String, _ f: UtilisationFigure) -> [String] {
      [id, name, label, String(f.availableBlocks), String(f.letBlocks), f.share.text]
    }
    for room in rooms {
      rows += zip(months, room.months).map { row(room.space, room.name, $0.description, $1) }
      rows.append(row(room.space, room.name, "年度計", room.year))
    }
    rows += zip(months, totals).map { row("", "全施設", $0.description, $1) }
    rows.append(row("", "全施設", "年度計", year))
    return CSVText.render(rows)
  }
}

extension RevenueReport {
  /// One row per line; the months across, then the year.
  func csv() -> Data {
    var rows: [[String]] = [["区分", "項目"] + months.map(\.description) + ["年度計"]]
    for line in lines {
      rows.append([RevenueReport.sectionName(line.section), line.label] + line.months.map { String($0.amount) } + [String(line.yearYen.amount)])
    }
    return CSVText.render(rows)
  }

  static func sectionName(_ section: String) -> String {
    switch section {
    case "rooms-by-space": "貸室（施設別）"
    case "rooms-by-tier": "貸室（料金区分別）"
    case "rooms-by-customer": "貸室（利用者種別）"
    case "rooms", "rooms-detail": "貸室"
    case "letting": "事務所・駐車場"
    case "received": "入金"
    default: "合計"
    }
  }
}

extension CancellationReport {
  /// The months, the year, then each room's year.
  func csv() -> Data {
    var rows: [[String]] = [["区分", "対象", "予約件数", "利用確定", "取消", "取消料（円）", "期限切れ", "不使用", "取消率", "不使用率"]]
    func row(_ kind: String, _ label: String, _ f: CancellationFigure) -> [String] {
      [
        kind, label, String(f.bookings), String(f.kept), String(f.cancelled), String(f.cancellationFeesYen.amount), String(f.lapsed),
        String(f.noShows), f.cancellationShare.text, f.noShowShare.text,
      ]
    }
    rows += zip(months, figures).map { row("月別", $0.description, $1) }
    rows.append(row("月別", "年度計", year))
    rows += self.rooms.map { row("施設別", $0.name, $0.year) }
    return CSVText.render(rows)
  }
}

/// 入居率・稼働率 at each month end of a fiscal year, and the visitor car park month by month.
struct OccupancyReport: Codable, Sendable {
  /// One month end's figures.
  struct Month: Codable, Sendable {
    var month: YearMonth
    var offices: OccupancyRow
    var parking: OccupancyRow
    var visitors: VisitorMonthRow
  }
  var fiscalYear: String
  var months: [Month]

  /// Hundredths of a ㎡ as `123.45`.
  static func area(_ hundredths: Int64) -> String { "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)" }

  func csv() -> Data {
    var rows: [[String]] = [
      [
        "月末", "貸付可能面積（㎡）", "賃貸面積（㎡）", "うち解約予告中（㎡）", "入居率", "解約予告中の区画", "空室", "月極区画数", "契約区画数",
        "うち解約予告中", "駐車場稼働率", "来客区画数", "来客駐車（台）", "うち利用者認証", "最大同時駐車", "来客駐車料金（円）",
      ]
    ]
    for m in months {
      rows.append([
        m.offices.date.description, Self.area(m.offices.lettable), Self.area(m.offices.occupied), Self.area(m.offices.underNotice), m.offices.rate,
        m.offices.underNoticePremises.joined(separator: " "), m.offices.vacantPremises.joined(separator: " "), String(m.parking.lettable),
        String(m.parking.occupied), String(m.parking.underNotice), m.parking.rate, String(m.visitors.spaces), String(m.visitors.stays),
        String(m.visitors.validated), String(m.visitors.peakParked), String(m.visitors.feesYen.amount),
      ])
    }
    return CSVText.render(rows)
  }
}

/// 滞納一覧 on a day.
struct ArrearsReport: Codable, Sendable {
  var on: LocalDate
  var totalYen: Yen
  var arrears: [ArrearRow]

  func csv() -> Data {
    var rows: [[String]] = [["請求書番号", "契約", "種別", "請求先", "対象月", "支払期限", "請求額", "入金済", "未収残高", "延滞日数"]]
    for a in arrears {
      rows.append([
        a.invoice, a.account, a.kind.japaneseName, a.billedTo, a.month.description, a.due.description, String(a.totalYen.amount),
        String(a.paidYen.amount), String(a.balanceYen.amount), String(a.daysOverdue),
      ])
    }
    rows.append(["合計", "", "", "", "", "", "", "", String(totalYen.amount), ""])
    return CSVText.render(rows)
  }
}

