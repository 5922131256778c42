import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel
import Succession
import SuccessionReadModels

/// 紹介の受付 and 相談の受付: a partner's referral logged in one form (on to the case, which says
/// when the company is already known), and a direct consultation (web, phone, walk-in) opened
/// as a case, kept apart from a known company's open case only when staff say so.
enum IntakePages {
  static func all(_ pages: CentrePages) -> [ServiceKit.Route] {
    [
      ServiceKit.Route(
        .get, "/referrals/new", summary: "紹介の受付: the form that logs a partner's referral.", access: CentrePages.staff,
        parameters: [RouteParameter("partner", in: .query, schema: .string(), "The referring partner to fill in")], responses: CentrePages.html,
        tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        let partner = request.uri.queryParameters["partner"].map(String.init)
        return pageResponse(try await pages.referralForm(user: context.user, values: partner.map { ["partner": $0] } ?? [:]))
      },
      ServiceKit.Route(
        .post, "/referrals", summary: "Log a referral from the form; on to its case (which says when the company is already a case).",
        access: CentrePages.staff, requestBody: CentrePages.formBody, requestMediaType: CentrePages.formMedia, responses: CentrePages.posted,
        tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        do {
          let partner = try CentrePages.required(
            try? PartnerID(CentrePages.text(fields["partner"]) ?? ""), field: "partner", "紹介元の連携機関を選んでください")
          let body = try CentrePages.referralBody(fields, partner: partner)
          let submitted = try await pages.centre.decisions.submit(pages.write(fields, context, path: "/referrals")) { t in
            try await pages.centre.refer(body, partner: partner, in: t)
          }
          let id = try JSONDecoder().decode(CreatedCase.self, from: submitted.answer).id
          return pages.redirect("/cases/\(id)", submitted, notice: "referred")
        } catch let problem as Problem {
          return CentrePages.refused(try await pages.referralForm(user: context.user, values: fields.fields, problem: problem), problem)
        }
      },
      ServiceKit.Route(
        .get, "/consultations/new", summary: "相談の受付: the form that opens a direct consultation (web, phone, walk-in) as a case.",
        access: CentrePages.staff, responses: CentrePages.html, tag: "pages", isPage: true
      ) { _, context in
        pageResponse(await pages.consultationForm(user: context.user, values: ["assignee": context.user?.id.rawValue ?? ""]))
      },
      ServiceKit.Route(
        .post, "/consultations", summary: "Open a consultation from the form; a company already an open case is kept apart only when asked.",
        access: CentrePages.staff, requestBody: CentrePages.formBody, requestMediaType: CentrePages.formMedia, responses: CentrePages.posted,
        tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        var known: CaseID?
        do {
          let body = try CentrePages.intakeBody(fields)
          do {
            let submitted = try await pages.centre.decisions.submit(pages.write(fields, context, path: "/consultations")) { t in
              try await pages.centre.open(body, in: t)
            }
            let id = try JSONDecoder().decode(CreatedCase.self, from: submitted.answer).id
            return pages.redirect("/cases/\(id)", submitted, notice: "opened")
          } catch let problem as Problem where problem.field == "separateFrom" {
            known = await pages.knownCase(body.company)
            throw problem
          }
        } catch let problem as Problem {
          return CentrePages.refused(await pages.consultationForm(user: context.user, values: fields.fields, problem: problem, known: known), problem)
        }
      },
    ]
  }
}

/// What a page needs of a case a form created.
struct CreatedCase: Decodable {
  var id: String
}

extension CentrePages {
  // MARK: The company, as both forms and the partner's page take it

  static func companyFields(_ value: (String) -> String) -> [Form.Field] {
    [
      .init("name", label: "会社名（屋号）", value: value("name"), required: true),
      .init("nameKana", label: "フリガナ", value: value("nameKana"), hint: "カタカナまたはひらがな"),
      .init("corporateNumber", label: "法人番号", value: value("corporateNumber"), hint: "13桁（個人事業主は空欄）。同じ会社の重複を見つけるのに使います"),
      .init("address", label: "所在地", value: value("address"), hint: "例: 横浜市中区本町1-1（地域は住所から決まります）"),
      .init("industry", label: "業種", kind: .select, value: value("industry"), options: options(Industry.self, blank: "—") { $0.japaneseName }),
      .init("employees", label: "従業員数", kind: .number, value: value("employees")),
      .init("salesBand", label: "売上高", kind: .select, value: value("salesBand"), options: options(SalesBand.self, blank: "—") { $0.japaneseName }),
      .init("ownerAge", label: "経営者の年齢", kind: .number, value: value("ownerAge")),
    ]
  }

  static func companyBody(_ fields: FormBody) throws(Problem) -> CompanyBody {
    CompanyBody(
      name: fields["name"] ?? "", nameKana: text(fields["nameKana"]), corporateNumber: text(fields["corporateNumber"]),
      industry: try choice(Industry.self, fields["industry"], field: "industry", label: "業種"), region: nil, address: text(fields["address"]),
      employees: try number(fields["employees"], field: "employees", label: "従業員数"),
      salesBand: try choice(SalesBand.self, fields["salesBand"], field: "salesBand", label: "売上高"),
      ownerAge: try number(fields["ownerAge"], field: "ownerAge", label: "経営者の年齢"), representative: text(fields["representative"]),
      phone: text(fields["phone"]))
  }

  /// The referral's own fields after the partner: who referred, the company, consent, why.
  static func referralFields(_ value: (String) -> String) -> [Form.Field] {
    [.init("partnerStaff", label: "紹介した機関の担当者", value: value("partnerStaff"), required: true)] + companyFields(value) + [
      .init("consent", label: "会社の同意あり（支援の状況を紹介元に伝えること）", kind: .checkbox, value: value("consent")),
      .init("reason", label: "紹介の理由（相談したい内容）", kind: .textarea, value: value("reason"), required: true),
      .init("referredOn", label: "紹介日", kind: .date, value: value("referredOn"), hint: "空欄なら今日"),
    ]
  }

  static func referralBody(_ fields: FormBody, partner: PartnerID?) throws(Problem) -> ReferralBody {
    ReferralBody(
      partner: partner, partnerStaff: fields["partnerStaff"] ?? "", company: try companyBody(fields), consent: fields["consent"] == "1",
      reason: fields["reason"] ?? "", referredOn: try date(fields["referredOn"], field: "referredOn", label: "紹介日").map(DateInput.init))
  }

  static func intakeBody(_ fields: FormBody) throws(Problem) -> IntakeBody {
    let route = try required(
      try choice(Succession.Route.self, fields["route"], field: "route", label: "相談経路"), field: "route", "相談経路を選んでください")
    return IntakeBody(
      route: route, company: try companyBody(fields),
      side: try required(try choice(Side.self, fields["side"], field: "side", label: "譲渡・譲受"), field: "side", "譲渡・譲受を選んでください"),
      kind: try choice(SuccessionKind.self, fields["kind"], field: "kind", label: "承継の種類"), assignee: try userID(fields["assignee"], field: "assignee"),
      summary: text(fields["summary"]), separateFrom: try caseID(fields["separateFrom"], field: "separateFrom"))
  }

  // MARK: Pages

  func referralForm(user: AuthenticatedUser?, values: [String: String], problem: Problem? = nil) async throws -> String {
    let partners = try await reads.read { db, set in try SuccessionQueries.partners(in: db, set) }.filter(\.active)
      .sorted { ($0.type, $0.name) < ($1.type, $1.name) }
    func value(_ name: String) -> String { values[name] ?? "" }
    let choices = [("", "—")] + partners.map { ($0.id.rawValue, "\($0.type.japaneseName)｜\($0.name)") }
    let form = Self.form(
      "/referrals",
      [.init("partner", label: "紹介元の連携機関", kind: .select, value: value("partner"), required: true, options: choices)] + Self.referralFields(value),
      submit: "紹介を受け付ける", user: user, key: values[Form.idempotencyField], problem: problem, aliases: Self.companyAliases)
    var content: [HTML] = []
    if partners.isEmpty { content.append(H.p(.text("連携機関が登録されていません。先に連携機関を登録してください。"), class: "notice")) }
    return staffPage("紹介の受付", user: user, content + [form.html])
  }

  func consultationForm(user: AuthenticatedUser?, values: [String: String], problem: Problem? = nil, known: CaseID? = nil) async -> String {
    func value(_ name: String) -> String { values[name] ?? "" }
    let routes = Succession.Route.allCases.filter { $0 != .partner }.map { ($0.rawValue, $0.japaneseName) }
    let staff = [("", "未定")] + (await staffMembers()).map { ($0.id.rawValue, $0.name) }
    var fields: [Form.Field] = [
      .init("route", label: "相談経路", kind: .select, value: value("route"), required: true, options: [("", "—")] + routes),
      .init("side", label: "譲渡・譲受", kind: .select, value: value("side"), required: true, options: Self.options(Side.self, blank: "—") { $0.japaneseName }),
      .init("kind", label: "承継の種類", kind: .select, value: value("kind"), options: Self.options(SuccessionKind.self) { $0.japaneseName }),
      .init("assignee", label: "担当者", kind: .select, value: value("assignee"), options: staff),
    ]
    fields += Self.companyFields(value)
    fields.append(.init("summary", label: "相談内容", kind: .textarea, value: value("summary")))
    var content: [HTML] = []
    if let known {
      // The company is an open case already: say which, and let staff keep this one apart on purpose.
      content.append(
        H.div(
          [
            H.p(.text("この会社は既に案件として受け付けています。相談はその案件に記録してください。別の相談として受け付けるときは、下で「別案件として受け付ける」を選んでください。")),
            H.p(H.a("案件 \(known) を開く", href: "/cases/\(known)")),
          ], class: "warning", id: "known-case"))
      fields.append(
        .init(
          "separateFrom", label: "既存の案件との関係", kind: .select, value: value("separateFrom"),
          options: [("", "受け付けない（既存の案件に記録する）"), (known.rawValue, "案件 \(known) とは別案件として受け付ける")]))
    }
    let form = Self.form(
      "/consultations", fields, submit: "相談を受け付ける", user: user, key: values[Form.idempotencyField], problem: problem, aliases: Self.companyAliases)
    return staffPage("相談の受付", user: user, content + [form.html])
  }

  /// The API's field names for the company, as the forms name them.
  static let companyAliases = [
    "company.name": "name", "company.nameKana": "nameKana", "company.corporateNumber": "corporateNumber", "company.address": "address",
  ]

  /// The open case a company already is, found in the company index as an intake would find it.
  func knownCase(_ body: CompanyBody) async -> CaseID? {
    guard let company = try? body.company().checked(), let none = try? CaseID("none") else { return nil }
    let transaction = Transaction(store: app.store, metadata: Data())
    guard let lookup = try? await centre.index(company, in: transaction) else { return nil }
    return CompanyIndex.original(of: CompanyIndex.keys(of: company), in: lookup, excluding: none)
  }
}
