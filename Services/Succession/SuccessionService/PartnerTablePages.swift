import Foundation
import Hummingbird
import JapaneseCalendar
import ServiceKit
import SharedKernel
import Succession
import SuccessionReadModels

/// 連携機関: the network's partners by type, each with its region, the referrals of the fiscal
/// year chosen and how many were taken up, its diagnoses, and whom to call.
enum PartnerTablePages {
  static func all(_ pages: CentrePages) -> [ServiceKit.Route] {
    [
      ServiceKit.Route(
        .get, "/partners", summary: "連携機関: the partner table of a fiscal year (referrals, taken up, diagnoses, contact).", access: CentrePages.readers,
        parameters: [
          RouteParameter("fy", in: .query, schema: .string(), "The fiscal year (2023, FY2023 or 令和5年度; anything else is this one)"),
          RouteParameter("includeLeft", in: .query, schema: .string(), "1: partners that left too"),
        ], responses: CentrePages.html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        let year = pages.fiscalYear(request)
        let includeLeft = request.uri.queryParameters["includeLeft"] == "1"
        return pageResponse(try await pages.partnerTable(year, includeLeft: includeLeft, user: context.user))
      }
    ]
  }
}

extension CentrePages {
  /// The fiscal year a page's `fy` asks for (2023, FY2023, 令和5年度), else this one.
  func fiscalYear(_ request: Request) -> FiscalYear {
    let current = FiscalYear(containing: today())
    guard let text = request.uri.queryParameters["fy"].map(String.init) else { return current }
    if let number = Int(text), let year = try? FiscalYear(number) { return year }
    return (try? FiscalYear(typed: text)) ?? current
  }

  /// A fiscal-year selector (this year and the four before it, and the one shown) for `path`.
  func yearSelector(_ year: FiscalYear, path: String, extra: [HTML] = []) -> HTML {
    let current = FiscalYear(containing: today())
    var years = (0...4).compactMap { try? FiscalYear(current.startYear - $0) }
    if !years.contains(year) { years.append(year) }
    return .element(
      "form", ["method": "get", "action": path, "class": "toolbar", "id": "year"],
      [
        .element("label", ["for": "fy"], [.text("年度")]),
        .element(
          "select", ["id": "fy", "name": "fy"],
          years.sorted(by: >).map { .element("option", ["value": String($0.startYear), "selected": $0 == year ? "" : nil], [.text("\($0.warekiName)（\($0)）")]) }),
      ] + extra + [.element("button", ["type": "submit"], [.text("表示")])])
  }

  func partnerTable(_ year: FiscalYear, includeLeft: Bool, user: AuthenticatedUser?) async throws -> String {
    let partners = try await reads.read { db, set in try SuccessionQueries.partnerTable(year, includeLeft: includeLeft, in: db, set) }
    let left: [HTML] = [
      .element("label", ["for": "includeLeft"], [.text("退会した機関も")]),
      .element("input", ["id": "includeLeft", "type": "checkbox", "name": "includeLeft", "value": "1", "checked": includeLeft ? "" : nil]),
    ]
    let table = Table(
      caption: "\(year.warekiName)（\(year)）の紹介と診断", columns: [
        .init("機関コード"), .init("機関名"), .init("種別"), .init("地域"), .init("紹介", numeric: true), .init("うち支援", numeric: true),
        .init("診断", numeric: true), .init("担当窓口"), .init("連絡先"),
      ],
      rows: partners.map { p in
        let contact = [p.contact.phone, p.contact.email].compactMap { $0 }.joined(separator: " ")
        let person = [p.contact.department, p.contact.person].compactMap { $0 }.joined(separator: " ")
        return [
          .text(p.id.rawValue), p.active ? H.a(p.name, href: "/cases?partner=\(p.id)") : .text("\(p.name)（\(p.leftOn.map { "\($0) " } ?? "")退会）"),
          .text(p.type.japaneseName), .text(p.region.japaneseName), .text(String(p.referrals)), .text(String(p.referralsInSupport)), .text(String(p.diagnoses)),
          .text(person.isEmpty ? "—" : person), .text(contact.isEmpty ? "—" : contact),
        ]
      })
    let totals = H.p(
      .text(
        "\(partners.count)機関・紹介 \(partners.reduce(0) { $0 + $1.referrals })件（うち支援 \(partners.reduce(0) { $0 + $1.referralsInSupport })件）・診断 \(partners.reduce(0) { $0 + $1.diagnoses })件"
      ), class: "hint")
    return staffPage("連携機関", user: user, [yearSelector(year, path: "/partners", extra: left), totals, H.div([table.html], id: "partners")])
  }
}
