import Foundation
import Hummingbird
import ServiceKit
import SharedKernel
import Succession
import SuccessionReadModels

/// 案件一覧: every case and referral, filtered by staff member, stage, overdue, partner and a
/// name (or reading, or 法人番号), fifty to a page.
enum CaseListPages {
  static let pageSize = 50

  static func all(_ pages: CentrePages) -> [ServiceKit.Route] {
    let parameters = [
      RouteParameter("staff", in: .query, schema: .string(), "A staff member's id, me or none"),
      RouteParameter("stage", in: .query, schema: .string(), "Only cases in this stage"),
      RouteParameter("overdue", in: .query, schema: .string(), "1: only overdue next actions"),
      RouteParameter("partner", in: .query, schema: .string(), "Only cases holding this partner's referrals"),
      RouteParameter("q", in: .query, schema: .string(), "Part of the company's name or reading, or its 法人番号"),
      RouteParameter("page", in: .query, schema: .string(), "Which page of the list (1, 2, …)"),
    ]
    return [
      ServiceKit.Route(
        .get, "/cases", summary: "案件一覧: cases filtered by staff, stage, overdue, partner and name, fifty to a page.", access: CentrePages.readers,
        parameters: parameters, responses: CentrePages.html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        var values: [String: String] = [:]
        for name in ["staff", "stage", "overdue", "partner", "q", "page"] {
          if let value = request.uri.queryParameters[Substring(name)].map(String.init), !value.isEmpty { values[name] = value }
        }
        return pageResponse(try await pages.caseList(values, user: context.user))
      }
    ]
  }
}

extension CentrePages {
  /// The filter the list's query asks for; what cannot be read is no filter (a page takes what a link sends).
  func caseFilter(_ values: [String: String], user: AuthenticatedUser?) -> (filter: CaseFilter, page: Int) {
    var filter = CaseFilter()
    switch values["staff"] {
    case nil: break
    case "none": filter.assignee = .unassigned
    case "me": filter.assignee = user.map { .staff($0.id) }
    case let text?: filter.assignee = (try? UserID(text)).map { .staff($0) }
    }
    filter.stage = values["stage"].flatMap { Stage(rawValue: $0) }
    if values["overdue"] == "1" { filter.overdueOn = today() }
    filter.partner = values["partner"].flatMap { try? PartnerID($0) }
    filter.text = values["q"].map { String($0.prefix(100)) }
    let page = min(max(Int(values["page"] ?? "") ?? 1, 1), 10_000)
    filter.limit = CaseListPages.pageSize
    filter.offset = (page - 1) * CaseListPages.pageSize
    return (filter, page)
  }

  func caseList(_ values: [String: String], user: AuthenticatedUser?) async throws -> String {
    let (filter, page) = caseFilter(values, user: user)
    let (found, partners) = try await reads.read { db, set in
      (try SuccessionQueries.cases(filter, in: db, set), try SuccessionQueries.partners(in: db, set))
    }
    let (total, cases) = found
    let names = await names()
    let staff = await staffMembers()
    func value(_ name: String) -> String { values[name] ?? "" }
    func select(_ name: String, _ label: String, _ options: [(String, String)]) -> HTML {
      .join([
        .element("label", ["for": "filter-\(name)"], [.text(label)]),
        .element(
          "select", ["id": "filter-\(name)", "name": name],
          options.map { .element("option", ["value": $0.0, "selected": $0.0 == value(name) ? "" : nil], [.text($0.1)]) }),
      ])
    }
    let filters = HTML.element(
      "form", ["method": "get", "action": "/cases", "class": "toolbar", "id": "filters"],
      [
        select("staff", "担当", [("", "全員"), ("me", "自分"), ("none", "未定")] + staff.map { ($0.id.rawValue, $0.name) }),
        select("stage", "段階", [("", "すべて")] + Stage.allCases.map { ($0.rawValue, $0.japaneseName) }),
        select("partner", "紹介元", [("", "すべて")] + partners.map { ($0.id.rawValue, $0.name) }),
        .element("label", ["for": "filter-overdue"], [.text("期限切れのみ")]),
        .element("input", ["id": "filter-overdue", "type": "checkbox", "name": "overdue", "value": "1", "checked": value("overdue") == "1" ? "" : nil]),
        .element("label", ["for": "filter-q"], [.text("会社名・フリガナ・法人番号")]),
        .element("input", ["id": "filter-q", "name": "q", "value": value("q")]), .element("button", ["type": "submit"], [.text("絞り込む")]),
      ])
    let pages = max((total + CaseListPages.pageSize - 1) / CaseListPages.pageSize, 1)
    func link(_ number: Int) -> String {
      var query = values.filter { $0.key != "page" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
      query.append("page=\(number)")
      return "/cases?" + query.joined(separator: "&")
    }
    var paging: [HTML] = [.text("\(total)件中 \(total == 0 ? 0 : filter.offset + 1)〜\(filter.offset + cases.count)件（\(page)/\(pages)ページ）")]
    if page > 1 { paging.append(H.a("← 前へ", href: link(page - 1))) }
    if page < pages { paging.append(H.a("次へ →", href: link(page + 1))) }
    let content: [HTML] = [filters, H.div(paging, class: "toolbar", id: "paging"), caseRows(cases, day: today(), id: "cases", names: names)]
    return staffPage("案件一覧", user: user, content)
  }
}
