import Foundation
import Hummingbird
import JapaneseCalendar
import ServiceKit
import SharedKernel
import Succession
import SuccessionReadModels

/// 連携機関のページ, a partner user's landing page: its organisation's referrals with the
/// milestones the company agreed to share (受付済・支援中・成約・終了, never a stage, a staff
/// member, a session or a note), a referral form for its own organisation, and the report of a
/// 事業承継診断 it carried out. Nothing of another partner is ever on it.
enum PartnerPages {
  static func all(_ pages: CentrePages) -> [ServiceKit.Route] {
    [
      ServiceKit.Route(
        .get, "/partner", summary: "連携機関のページ: the partner's referrals with their milestones (with consent), its referral and diagnosis forms.",
        access: CentrePages.partners, parameters: [CentrePages.after, CentrePages.notice], responses: CentrePages.html, tag: "pages", isPage: true,
        readsModels: true
      ) { request, context in
        await pages.wait(request)
        let own = try pages.ownPartner(context)
        return pageResponse(try await pages.partnerPage(own, user: context.user, notice: pages.notice(request)))
      },
      ServiceKit.Route(
        .post, "/partner/{form}", summary: "From the partner's page: refer a company, or report a diagnosis, for the partner's own organisation.",
        access: CentrePages.partners,
        parameters: [RouteParameter("form", in: .path, schema: .string(values: ["referrals", "diagnoses"]), "Which form")],
        requestBody: CentrePages.formBody, requestMediaType: CentrePages.formMedia, responses: CentrePages.posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        let own = try pages.ownPartner(context)
        let form = try context.parameters.require("form")
        do {
          let write = pages.write(fields, context, path: "/partner/\(form)")
          let c = pages.centre
          if form == "referrals" {
            let body = try CentrePages.referralBody(fields, partner: own)
            let submitted = try await c.decisions.submit(write) { t in try await c.refer(body, partner: own, in: t) }
            return pages.redirect("/partner", submitted, notice: "referred")
          }
          let body = try CentrePages.diagnosisBody(fields)
          let submitted = try await c.decisions.submit(write) { t in try await c.report([try body.row(partner: own)], in: t) }
          return pages.redirect("/partner", submitted, notice: "diagnosed")
        } catch let problem as Problem {
          return CentrePages.refused(try await pages.partnerPage(own, user: context.user, problem: problem, form: form, fields: fields), problem)
        }
      },
    ]
  }
}

extension CentrePages {
  /// The signed-in partner user's organisation (a partner user without one is told to ask for it).
  func ownPartner(_ context: KIPRequestContext) throws -> PartnerID {
    guard let own = try Asker.ownPartner(context) else { throw Problem(.forbidden, "連携機関のユーザーのページです") }
    return own
  }

  static func diagnosisBody(_ fields: FormBody) throws(Problem) -> DiagnosisBody {
    DiagnosisBody(
      partner: nil, on: DateInput(try required(try date(fields["on"], field: "on", label: "実施日"), field: "on", "実施日を入力してください")),
      companyName: fields["companyName"] ?? "", corporateNumber: text(fields["corporateNumber"]), address: text(fields["address"]),
      result: try required(try choice(DiagnosisResult.self, fields["result"], field: "result", label: "診断の結果"), field: "result", "診断の結果を選んでください"),
      referToCentre: fields["referToCentre"] == "1", note: text(fields["note"]))
  }

  func partnerPage(
    _ own: PartnerID, user: AuthenticatedUser?, notice: String? = nil, problem: Problem? = nil, form: String? = nil, fields: FormBody? = nil
  ) async throws -> String {
    let year = FiscalYear(containing: today())
    let (partner, views, diagnoses) = try await reads.read { db, set in
      (
        try SuccessionQueries.partner(own.rawValue, in: db, set), try SuccessionQueries.partnerView(of: own, in: db, set),
        try SuccessionQueries.diagnoses(from: year.firstDay, to: year.lastDay, partner: own, in: db, set)
      )
    }
    var content: [HTML] = []
    if let notice { content.append(Self.notice(notice)) }
    // Without the forms to mark, a refusal is shown at the top.
    if let problem, partner?.active != true { content.append(Self.alert(problem.detail)) }
    guard let partner else {
      content.append(H.p(.text("この機関（\(own)）はまだ連携機関として登録されていません。センターにお問い合わせください。"), class: "notice"))
      return layout.page(title: "連携機関のページ", user: user, content: content)
    }
    content.append(H.p(.text("\(partner.name)（\(partner.type.japaneseName)・\(partner.region.japaneseName)）"), class: "hint"))
    content.append(H.h2("紹介した案件（\(views.count)件）"))
    content.append(
      H.p(.text("会社の同意がある紹介だけ、支援の状況（受付済・支援中・成約・終了）をお知らせします。同意のない紹介は受付済のみです。"), class: "hint"))
    content.append(
      H.div(
        [
          Table(
            columns: [.init("紹介日"), .init("会社名"), .init("状況"), .init("経過")],
            rows: views.map { view in
              [
                .text(view.referredOn.description), .text(view.companyName),
                .text(view.consent ? view.milestone.japaneseName : "\(Milestone.received.japaneseName)（同意なし）"),
                .text(view.reached.map { "\($0.milestone.japaneseName) \($0.on)（\(Formats.wareki($0.on))）" }.joined(separator: " → ")),
              ]
            }
          ).html
        ], id: "referrals"))
    guard partner.active else {
      content.append(H.p(.text("退会済みのため、新しい紹介・診断の報告は受け付けていません。"), class: "notice"))
      return layout.page(title: "連携機関のページ", user: user, content: content)
    }
    func value(_ name: String, in formName: String) -> String { form == formName ? fields?[name] ?? "" : "" }
    let referral = Self.form(
      "/partner/referrals", Self.referralFields { value($0, in: "referrals") }, submit: "センターに紹介する", user: user,
      key: form == "referrals" ? fields?[Form.idempotencyField] : nil, prefix: "referral", problem: form == "referrals" ? problem : nil,
      aliases: Self.companyAliases)
    content += [H.h2("センターへの紹介"), referral.html]
    content.append(
      Table(
        caption: "\(year.warekiName)に報告した事業承継診断（\(diagnoses.count)件）", columns: [.init("実施日"), .init("会社名"), .init("結果"), .init("センター紹介")],
        rows: diagnoses.map { d in
          [.text(d.report.on.description), .text(d.report.company.name), .text(d.report.result.japaneseName), .text(d.report.referToCentre ? "要" : "—")]
        }
      ).html)
    func diagnosisValue(_ name: String) -> String { value(name, in: "diagnoses") }
    let diagnosis = Self.form(
      "/partner/diagnoses",
      [
        .init("on", label: "実施日", kind: .date, value: diagnosisValue("on"), required: true),
        .init("companyName", label: "会社名", value: diagnosisValue("companyName"), required: true),
        .init("corporateNumber", label: "法人番号", value: diagnosisValue("corporateNumber")),
        .init("address", label: "所在地", value: diagnosisValue("address")),
        .init("result", label: "診断の結果", kind: .select, value: diagnosisValue("result"), required: true,
          options: Self.options(DiagnosisResult.self, blank: "—") { $0.japaneseName }),
        .init("referToCentre", label: "センターへの相談を勧めた", kind: .checkbox, value: diagnosisValue("referToCentre")),
        .init("note", label: "備考", kind: .textarea, value: diagnosisValue("note")),
      ], submit: "診断を報告する", user: user, key: form == "diagnoses" ? fields?[Form.idempotencyField] : nil, prefix: "diagnosis",
      problem: form == "diagnoses" ? problem : nil)
    content += [H.h2("事業承継診断の報告"), diagnosis.html]
    return layout.page(title: "連携機関のページ", user: user, content: content)
  }
}
