import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel
import Succession
import SuccessionReadModels

/// 案件: one case's page — the company, where the case is and who has it, its history in date
/// order, and the staff's forms: accept or decline a referral (attach it to the company's open
/// case, or keep it apart), move the stage (only to the stages the table allows), record a
/// session, add a note, set or complete the next action, give the case to someone.
enum CasePages {
  static let actions = ["accept", "decline", "attach", "stage", "session", "note", "next-action", "next-action-done", "assign"]

  static func all(_ pages: CentrePages) -> [ServiceKit.Route] {
    let id = RouteParameter("id", in: .path, schema: .string(), "The case's id, e.g. 2023-0001")
    return [
      ServiceKit.Route(
        .get, "/cases/{id}", summary: "案件: the company, stage, staff, the case's history in date order, and the staff's forms.",
        access: CentrePages.readers, parameters: [id, CentrePages.after, CentrePages.notice], responses: CentrePages.html, tag: "pages", isPage: true,
        readsModels: true
      ) { request, context in
        await pages.wait(request)
        return pageResponse(try await pages.casePage(try context.parameters.require("id"), user: context.user, notice: pages.notice(request)))
      },
      ServiceKit.Route(
        .post, "/cases/{id}/{action}", summary: "From the case page (or 今日の仕事): accept, decline, attach, stage, session, note, next action, assign.",
        access: CentrePages.staff,
        parameters: [id, RouteParameter("action", in: .path, schema: .string(values: actions), "What to do")], requestBody: CentrePages.formBody,
        requestMediaType: CentrePages.formMedia, responses: CentrePages.posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        let raw = try context.parameters.require("id")
        let action = try context.parameters.require("action")
        guard let id = try? CaseID(raw) else { throw Problem(.notFound, "その案件はありません") }
        do {
          let submitted = try await pages.act(action, on: id, fields, context)
          return pages.redirect("/cases/\(raw)", submitted, notice: action)
        } catch let problem as Problem {
          if problem.kind == .notFound { throw problem }
          let page = try await pages.casePage(raw, user: context.user, problem: problem, action: action, fields: fields)
          return CentrePages.refused(page, problem)
        }
      },
    ]
  }
}

extension CentrePages {
  /// One of the case page's forms, decided as the API decides it.
  func act(_ action: String, on id: CaseID, _ fields: FormBody, _ context: KIPRequestContext) async throws -> Decisions.Submitted {
    let write = write(fields, context, path: "/cases/\(id)/\(action)")
    let c = centre
    func date(_ name: String, _ label: String) throws(Problem) -> DateInput? { try Self.date(fields[name], field: name, label: label).map(DateInput.init) }
    switch action {
    case "accept":
      let side = try Self.required(try Self.choice(Side.self, fields["side"], field: "side", label: "譲渡・譲受"), field: "side", "譲渡・譲受を選んでください")
      let body = AcceptBody(
        side: side, kind: try Self.choice(SuccessionKind.self, fields["kind"], field: "kind", label: "承継の種類"),
        assignee: try Self.userID(fields["assignee"], field: "assignee"), separateFrom: try Self.caseID(fields["separateFrom"], field: "separateFrom"))
      return try await c.decisions.submit(write) { t in try await c.accept(id, body, in: t) }
    case "decline":
      return try await c.decisions.submit(write) { t in try await c.decline(id, reason: fields["reason"] ?? "", in: t) }
    case "attach":
      let target = try Self.required(try Self.caseID(fields["to"], field: "to"), field: "to", "統合先の案件番号がありません")
      return try await c.decisions.submit(write) { t in try await c.attach(id, to: target, in: t) }
    case "stage":
      let stage = try Self.required(try Self.choice(Stage.self, fields["stage"], field: "stage", label: "段階"), field: "stage", "進める段階を選んでください")
      let body = StageBody(stage: stage, on: try date("on", "日付"), reason: Self.text(fields["reason"]))
      return try await c.decisions.submit(write) { t in try await c.move(id, body, in: t) }
    case "session":
      let minutes = try Self.required(try Self.number(fields["minutes"], field: "minutes", label: "相談時間"), field: "minutes", "相談時間（分）を入力してください")
      let kind = try Self.required(try Self.choice(SessionKind.self, fields["kind"], field: "kind", label: "相談の方法"), field: "kind", "相談の方法を選んでください")
      let body = SessionBody(on: try date("on", "相談日"), minutes: minutes, kind: kind, staff: nil, summary: Self.text(fields["summary"]))
      let me = try Self.me(context)
      return try await c.decisions.submit(write) { t in try await c.recordSession(id, body, me: me, in: t) }
    case "note":
      let body = NoteBody(text: fields["text"] ?? "", on: try date("on", "日付"))
      let me = try Self.me(context)
      return try await c.decisions.submit(write) { t in try await c.addNote(id, body, by: me, in: t) }
    case "next-action":
      let due = try Self.required(try date("due", "期日"), field: "due", "期日を入力してください")
      let body = NextActionBody(text: fields["text"] ?? "", due: due)
      return try await c.decisions.submit(write) { t in try await c.setNextAction(id, body, in: t) }
    case "next-action-done":
      return try await c.decisions.submit(write) { t in try await c.completeNextAction(id, in: t) }
    case "assign":
      let assignee = try Self.userID(fields["assignee"], field: "assignee")
      return try await c.decisions.submit(write) { t in try await c.assign(id, to: assignee, in: t) }
    default:
      throw Problem(.notFound, "その操作はありません")
    }
  }

  /// The case as its stream tells it, with every event (for the history).
  func caseStream(_ raw: String) async throws -> (Case.Record, [Case.Event]) {
    guard let id = try? CaseID(raw), let stream = try? Case.stream(id) else { throw Problem(.notFound, "その案件はありません") }
    let codec = centre.caseCodec
    let events = try await app.store.readAll(stream: stream).map { try codec.decode($0) }
    guard let record = events.reduce(Case.initialState, Case.evolve) else { throw Problem(.notFound, "案件 \(raw) はありません") }
    return (record, events)
  }

  func casePage(
    _ raw: String, user: AuthenticatedUser?, notice: String? = nil, problem: Problem? = nil, action: String? = nil, fields: FormBody? = nil
  ) async throws -> String {
    let (record, events) = try await caseStream(raw)
    let names = await names()
    let original = try await record.duplicateOf.asyncMap { other in try await reads.read { db, set in try SuccessionQueries.record(other.rawValue, in: db, set) } } ?? nil
    let c = record.company
    var content: [HTML] = []
    let since = record.stageSince.map { "（\(Self.date($0))から）" } ?? ""
    let referrals: [HTML] = record.referrals.map { r in
      .text("\(r.partnerName)（担当 \(r.partnerStaff)、\(r.receivedOn)、同意\(r.consent ? "あり" : "なし")）")
    }
    content.append(
      Self.facts(
        [
          ("案件番号", .text(record.id.rawValue)), ("会社名", .text(c.name)), ("フリガナ", .text(c.nameKana ?? "—")),
          ("法人番号", .text(c.corporateNumber?.description ?? "—")), ("所在地", .text([c.region?.japaneseName, c.address].compactMap { $0 }.joined(separator: " "))),
          ("業種", .text(c.industry?.japaneseName ?? "—")), ("従業員数", .text(c.employees.map { "\($0)名" } ?? "—")),
          ("売上高", .text(c.salesBand?.japaneseName ?? "—")), ("経営者の年齢", .text(c.ownerAge.map { "\($0)歳" } ?? "—")),
          ("段階", .text(Self.standing(record.phase, record.stage) + since)),
          ("種類", .text("\(record.side?.japaneseName ?? "譲渡・譲受 未定")・\(record.kind.japaneseName)")),
          ("担当者", .text(Self.name(record.assignee, names))), ("受付日", .text(Self.date(record.receivedOn))),
          ("相談経路", .text(record.route.japaneseName)), ("紹介", referrals.isEmpty ? .text("—") : .join(referrals.map { H.div([$0]) })),
          ("次の対応", .text(record.nextAction.map { "\($0.text)（期日 \(Self.date($0.due))）" } ?? "—")),
        ], id: "case"))
    if let action = record.nextAction, action.due < today(), record.phase == .open || record.phase == .referred {
      content.append(H.p(.text("次の対応の期日（\(action.due)）を過ぎています。"), class: "overdue"))
    }
    if let other = record.duplicateOf, record.phase == .referred || record.phase == .open {
      let state = original.map { " 「\(Self.standing($0.phase, $0.stage))」" } ?? ""
      content.append(
        H.div(
          [
            H.p(.text("この会社は既に案件 \(other)\(state) として受け付けています（法人番号または会社名・所在地が同じ）。")),
            H.p(H.a("案件 \(other) を開く", href: "/cases/\(other)")),
          ], class: "warning", id: "duplicate"))
    }
    if let target = record.attachedTo { content.append(H.p(.join([.text("この紹介は "), H.a("案件 \(target)", href: "/cases/\(target)"), .text(" に統合しました。")]))) }
    let timeline = CaseTimeline(names: names).entries(events)
    content.append(H.h2("経過"))
    content.append(
      .element(
        "ol", ["class": "timeline", "id": "timeline"],
        timeline.map { entry in
          .element("li", [:], [.element("span", ["class": "date"], [.text(Self.date(entry.on))]), .element("strong", [:], [.text(entry.kind)]), .text(" \(entry.text)")])
        }))
    let forms = isStaff(user) ? caseForms(record, original: original, staff: await staffMembers(), user: user, problem: problem, action: action, fields: fields) : []
    if !forms.isEmpty { content.append(H.div(forms.map(\.html), class: "actions")) }
    // A refusal whose form is not on the page (the case moved on meanwhile) is shown at the top.
    let marked = forms.contains { $0.action == action }
    return staffPage("案件 \(record.id) \(c.name)", user: user, notice: notice, problem: marked ? nil : problem, content)
  }

  /// The forms the case takes as it is now, each with the action it posts to.
  func caseForms(
    _ record: Case.Record, original: Case.Record?, staff: [(id: UserID, name: String)], user: AuthenticatedUser?, problem: Problem?, action: String?,
    fields: FormBody?
  ) -> [(action: String, html: HTML)] {
    let id = record.id
    /// What a field shows: what was sent, on the form that was sent and came back; else its default.
    func value(_ form: String, _ name: String, _ fallback: String = "") -> String { action == form ? fields?[name] ?? fallback : fallback }
    func section(_ name: String, _ title: String, _ list: [Form.Field], submit: String, aliases: [String: String] = [:]) -> (action: String, html: HTML) {
      let mine = action == name
      let form = Self.form(
        "/cases/\(id)/\(name)", list, submit: submit, user: user, key: mine ? fields?[Form.idempotencyField] : nil, prefix: name,
        problem: mine ? problem : nil, aliases: aliases)
      return (name, .element("section", ["id": "action-\(name)"], [H.h2(title), form.html]))
    }
    let staffOptions = [("", "未定")] + staff.map { ($0.id.rawValue, $0.name) }
    let sides = Self.options(Side.self) { $0.japaneseName }
    let kinds = Self.options(SuccessionKind.self) { $0.japaneseName }
    var sections: [(action: String, html: HTML)] = []
    switch record.phase {
    case .referred:
      let acceptFields: [Form.Field] = [
        .init("side", label: "譲渡・譲受", kind: .select, value: value("accept", "side", "selling"), required: true, options: sides),
        .init("kind", label: "承継の種類", kind: .select, value: value("accept", "kind", "undecided"), options: kinds),
        .init("assignee", label: "担当者", kind: .select, value: value("accept", "assignee", user?.id.rawValue ?? ""), options: staffOptions),
      ]
      if let other = record.duplicateOf, let original, original.phase == .open || original.phase == .referred {
        if original.phase == .open {
          sections.append(
            section("attach", "案件 \(other) に統合する", [.init("to", label: "", kind: .hidden, value: other.rawValue)], submit: "案件 \(other) に統合する"))
        }
        sections.append(
          section(
            "accept", "別案件として受け付ける（案件 \(other) とは別の相談）",
            acceptFields + [.init("separateFrom", label: "", kind: .hidden, value: other.rawValue)], submit: "別案件として受け付ける"))
      } else {
        sections.append(section("accept", "案件として受け付ける", acceptFields, submit: "受け付ける"))
      }
      sections.append(section("decline", "見送る", [.init("reason", label: "見送りの理由", value: value("decline", "reason"), required: true)], submit: "見送る"))
    case .open:
      let next = (record.stage?.next ?? []).map { ($0.rawValue, $0.japaneseName) }
      sections.append(
        section(
          "stage", "段階を進める",
          [
            .init("stage", label: "次の段階", kind: .select, value: value("stage", "stage"), required: true, options: [("", "—")] + next),
            .init("on", label: "日付", kind: .date, value: value("stage", "on"), hint: "空欄なら今日"),
            .init("reason", label: "理由", value: value("stage", "reason"), hint: "終了（成約以外）と前の段階へ戻すときは必須"),
          ], submit: "段階を変更", aliases: ["kind": "stage"]))
      sections.append(
        section(
          "session", "相談を記録",
          [
            .init("on", label: "相談日", kind: .date, value: value("session", "on"), hint: "空欄なら今日"),
            .init("minutes", label: "相談時間（分）", kind: .number, value: value("session", "minutes", "60"), required: true),
            .init("kind", label: "相談の方法", kind: .select, value: value("session", "kind", "at-centre"), options: Self.options(SessionKind.self) { $0.japaneseName }),
            .init("summary", label: "相談内容", kind: .textarea, value: value("session", "summary")),
          ], submit: "相談を記録"))
    case .closed, .declined, .attached:
      break
    }
    if record.phase == .open || record.phase == .referred {
      sections.append(
        section(
          "next-action", "次の対応",
          [
            .init("text", label: "次の対応", value: value("next-action", "text", record.nextAction?.text ?? ""), required: true),
            .init("due", label: "期日", kind: .date, value: value("next-action", "due", record.nextAction?.due.description ?? ""), required: true),
          ], submit: "次の対応を設定"))
      if record.nextAction != nil, record.phase == .open {
        sections.append(section("next-action-done", "次の対応を完了にする", [], submit: "完了"))
      }
      sections.append(
        section(
          "assign", "担当者", [.init("assignee", label: "担当者", kind: .select, value: value("assign", "assignee", record.assignee?.rawValue ?? ""), options: staffOptions)],
          submit: "担当者を変更"))
    }
    if record.phase != .attached {
      sections.append(
        section(
          "note", "記録を追加",
          [
            .init("text", label: "記録", kind: .textarea, value: value("note", "text"), required: true),
            .init("on", label: "日付", kind: .date, value: value("note", "on"), hint: "空欄なら今日"),
          ],
          submit: "記録を追加"))
    }
    return sections
  }
}
