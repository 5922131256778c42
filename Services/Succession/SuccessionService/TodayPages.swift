import Foundation
import Hummingbird
import ServiceKit
import SharedKernel
import Succession
import SuccessionReadModels

/// 今日の仕事, the staff's landing page (`/desk`, as the building's desk): the signed-in staff
/// member's open cases with their stage and next action, the overdue ones first and in red;
/// referrals waiting for acceptance (受付待ち) with accept and decline; and, for the manager,
/// every staff member's overdue actions.
enum TodayPages {
  static func all(_ pages: CentrePages) -> [ServiceKit.Route] {
    [
      ServiceKit.Route(
        .get, "/desk", summary: "今日の仕事: my open cases (overdue first), referrals waiting for acceptance, overdue actions per staff member.",
        access: CentrePages.readers, parameters: [CentrePages.after, CentrePages.notice], responses: CentrePages.html, tag: "pages", isPage: true,
        readsModels: true
      ) { request, context in
        await pages.wait(request)
        return pageResponse(try await pages.todayPage(user: context.user, notice: pages.notice(request)))
      }
    ]
  }
}

extension CentrePages {
  func todayPage(user: AuthenticatedUser?, notice: String?) async throws -> String {
    let day = today()
    let me = user?.id
    let manager = user?.role == .successionManager || user?.role == .auditor
    let (mine, waiting, overdueRecords, partners) = try await reads.read { db, set -> ([CaseSummary], [CaseSummary], [Case.Record], [PartnerID: String]) in
      var mine: [CaseSummary] = []
      if let me {
        var own = CaseFilter()
        own.assignee = .staff(me)
        own.phase = .open
        own.limit = 500
        mine = try SuccessionQueries.cases(own, in: db, set).cases
      }
      var referred = CaseFilter()
      referred.phase = .referred
      referred.limit = 200
      var records: [Case.Record] = []
      if manager {
        var overdue = CaseFilter()
        overdue.overdueOn = day
        records = try SuccessionQueries.records(overdue, in: db, set)
      }
      let names = Dictionary(try SuccessionQueries.partners(in: db, set).map { ($0.id, $0.name) }) { first, _ in first }
      return (mine, try SuccessionQueries.cases(referred, in: db, set).cases, records, names)
    }
    let names = await names()
    func late(_ summary: CaseSummary) -> Bool { summary.nextAction.map { $0.due < day } ?? false }
    // Overdue first, most overdue first; then by due date; cases without a next action last.
    let ordered = mine.sorted { a, b in
      let (x, y) = (a.nextAction?.due ?? .latest, b.nextAction?.due ?? .latest)
      return (late(a) ? 0 : 1, x, a.id) < (late(b) ? 0 : 1, y, b.id)
    }
    let lateCount = ordered.filter(late).count
    var content: [HTML] = [
      H.h2("担当の案件（\(ordered.count)件）"),
      H.p(.text(lateCount == 0 ? "期限を過ぎた対応はありません。" : "期限を過ぎた対応が\(lateCount)件あります（赤字）。"), class: lateCount == 0 ? "hint" : "overdue"),
      caseRows(ordered, day: day, id: "my-cases"),
    ]
    content += [H.h2("受付待ちの紹介（\(waiting.count)件）"), waitingTable(waiting, partners: partners, user: user)]
    if manager {
      let overdue = Caseload.overdue(overdueRecords, on: day)
      content += [
        H.h2("担当者別の期限切れ（全体）"),
        Table(
          caption: "\(Formats.wareki(day)) 時点", columns: [.init("担当者"), .init("件数", numeric: true), .init("最も古い期日"), .init("超過日数", numeric: true)],
          rows: overdue.map { staff in
            let oldest = staff.actions.first
            return [
              .text(Self.name(staff.staff, names)), .text(String(staff.actions.count)), .text(oldest.map { $0.action.due.description } ?? ""),
              .text(oldest.map { "\($0.daysOverdue)日" } ?? ""),
            ]
          }
        ).html,
      ]
    }
    return staffPage("今日の仕事", user: user, notice: notice, content)
  }

  /// Cases as rows: number, company, stage, kind, next action with its due date (red when past).
  func caseRows(_ cases: [CaseSummary], day: LocalDate, id: String, names: [UserID: String]? = nil) -> HTML {
    var columns: [Table.Column] = [.init("案件番号"), .init("会社名"), .init("段階"), .init("種類"), .init("次の対応"), .init("期日")]
    if names != nil { columns.insert(.init("担当"), at: 4) }
    let rows: [HTML] = cases.map { c in
      var cells: [HTML] = [
        H.a(c.id.rawValue, href: "/cases/\(c.id)"), .text(c.companyName), .text(Self.standing(c.phase, c.stage)),
        .text([c.side?.japaneseName, c.kind.japaneseName].compactMap { $0 }.joined(separator: "・")), .text(c.nextAction?.text ?? "—"),
        .text(c.nextAction.map { "\($0.due)（\(Formats.wareki($0.due))）" } ?? ""),
      ]
      if let names { cells.insert(.text(Self.name(c.assignee, names)), at: 4) }
      let overdue = c.phase == .open && (c.nextAction.map { $0.due < day } ?? false)
      return .element(
        "tr", ["class": overdue ? "overdue" : nil, "data-case": c.id.rawValue],
        zip(columns, cells).map { column, cell in .element("td", ["class": column.numeric ? "num" : nil], [cell]) })
    }
    let head = HTML.element("thead", [:], [.element("tr", [:], columns.map { .element("th", ["scope": "col"], [.text($0.title)]) })])
    return .element("table", ["class": "data", "id": id], [head, .element("tbody", [:], rows)])
  }

  /// Referrals waiting: who referred whom, a duplicate's earlier case, and accept (as the
  /// signed-in staff member's, on the side chosen) or decline (with the reason).
  func waitingTable(_ waiting: [CaseSummary], partners: [PartnerID: String], user: AuthenticatedUser?) -> HTML {
    let act = isStaff(user)
    let rows: [[HTML]] = waiting.map { c in
      var cells: [HTML] = [
        H.a(c.id.rawValue, href: "/cases/\(c.id)"), .text(c.companyName), .text(c.partner.map { partners[$0] ?? $0.rawValue } ?? "—"),
        .text(c.receivedOn.description),
        c.duplicateOf.map { .join([.text("同じ会社の可能性: "), H.a("案件 \($0)", href: "/cases/\($0)")]) } ?? .text(""),
      ]
      if act {
        let accept = Self.form(
          "/cases/\(c.id)/accept",
          [
            .init("side", label: "譲渡・譲受", kind: .select, value: "selling", options: Self.options(Side.self) { $0.japaneseName }),
            .init("assignee", label: "", kind: .hidden, value: user?.id.rawValue ?? ""),
          ], submit: "受け付ける（自分の担当に）", user: user, prefix: "accept-\(c.id)")
        let decline = Self.form(
          "/cases/\(c.id)/decline", [.init("reason", label: "見送りの理由", value: "")], submit: "見送る", user: user, prefix: "decline-\(c.id)")
        cells.append(.join([accept.html, decline.html]))
      }
      return cells
    }
    var columns: [Table.Column] = [.init("案件番号"), .init("会社名"), .init("紹介元"), .init("受付日"), .init("重複")]
    if act { columns.append(.init("")) }
    return H.div([Table(columns: columns, rows: rows).html], id: "waiting")
  }
}
