import Building
import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// The lottery's pages, in Japanese: the rounds, a round with its applications and results,
/// the application form (desk) and the round's open, close, draw and call-off (manager).
enum LotteryPages {
  static func all(app: ServiceApplication, desk: Desk, reads: DeskReads) -> [Route] {
    let pages = Pages(app: app, desk: desk, reads: reads)
    let html = [RouteResponse(200, "A page", schema: .string(), mediaType: "text/html")]
    let posted = [
      RouteResponse(303, "Done: on to the round's page", headers: ["Location"]),
      RouteResponse(422, "The page again, with the message beside the field", schema: .string(), mediaType: "text/html"),
    ]
    let form = "application/x-www-form-urlencoded"
    let formBody = Schema.object([Form.csrfField: .string(), Form.idempotencyField: .string()], open: true)
    let id = RouteParameter("id", in: .path, schema: .string(), "The round's id")
    return [
      Route(
        .get, "/desk/lotteries", summary: "The lottery rounds (抽選), and for the building manager the form that opens one.",
        access: APIRoutes.readers, responses: html, tag: "pages", isPage: true
      ) { _, context in
        pageResponse(try await pages.lotteries(user: context.user))
      },
      Route(
        .post, "/desk/lotteries", summary: "Open a round from the form (building manager).", access: APIRoutes.manager, requestBody: formBody,
        requestMediaType: form, responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        do {
          let (round, rules) = try pages.lotteryRules(fields)
          let submitted = try await desk.decisions.submit(pages.write(fields, context, path: "/desk/lotteries")) { t in
            try await desk.openLottery(round, rules, in: t)
          }
          return pages.redirect("/desk/lotteries/\(round)", after: nil, notice: submitted.replayed ? "double" : "opened")
        } catch let problem as Problem {
          return pageResponse(try await pages.lotteries(user: context.user, fields: fields, problem: problem), status: .unprocessableContent)
        }
      },
      Route(
        .get, "/lotteries/{id}/results",
        summary: "抽選結果 for applicants, without signing in: each application number with its key, place and outcome (no names), and the seed.",
        access: .anyone, parameters: [id], responses: html, tag: "pages", isPage: true
      ) { _, context in
        pageResponse(try await pages.publishedResults(try context.parameters.require("id"), user: context.user))
      },
      Route(
        .get, "/desk/lotteries/{id}",
        summary: "A round: its rules, the applications with each one's draw key, place and outcome, the seed, and its forms.",
        access: APIRoutes.readers, parameters: [id], responses: html, tag: "pages", isPage: true
      ) { request, context in
        let raw = try context.parameters.require("id")
        let notice = request.uri.queryParameters["notice"].map(String.init).flatMap { Pages.notices[$0] }
        return pageResponse(try await pages.lottery(raw, user: context.user, notice: notice))
      },
      Route(
        .post, "/desk/lotteries/{id}/{action}", summary: "From the round's page: apply, withdraw (desk), close, draw or call off (manager).",
        access: APIRoutes.deskStaff,
        parameters: [id, RouteParameter("action", in: .path, schema: .string(values: ["apply", "withdraw", "close", "draw", "call-off"]), "What to do")],
        requestBody: formBody, requestMediaType: form, responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        let raw = try context.parameters.require("id")
        let action = try context.parameters.require("action")
        guard let round = try? LotteryID(raw) else { throw Problem(.notFound, "その抽選回はありません") }
        let managerOnly = ["close", "draw", "call-off"].contains(action)
        if managerOnly, context.user?.role != .buildingManager { throw Problem(.forbidden, "締切・抽選・中止は施設管理責任者が行います") }
        do {
          let write = pages.write(fields, context, path: "/desk/lotteries/\(raw)/\(action)")
          let submitted: Decisions.Submitted
          switch action {
          case "apply":
            let customer = try pages.customerID(fields["customer"])
            let slots = try pages.applicationSlots(fields)
            submitted = try await desk.decisions.submit(write) { t in
              try await desk.applyLottery(round, customer: customer, requests: { tier in try slots(tier) }, in: t)
            }
          case "withdraw":
            guard let number = Int(fields["number"] ?? "") else { throw Problem(.validationFailed, "申込番号がありません", field: "number") }
            submitted = try await desk.decisions.submit(write) { t in try await desk.withdrawLottery(round, number: number, in: t) }
          case "close": submitted = try await desk.decisions.submit(write) { t in try await desk.closeLottery(round, in: t) }
          case "draw": submitted = try await desk.decisions.submit(write) { t in try await desk.drawLottery(round, in: t) }
          case "call-off":
            submitted = try await desk.decisions.submit(write) { t in try await desk.callOffLottery(round, reason: fields["reason"] ?? "", in: t) }
          default: throw Problem(.notFound, "その操作はありません")
          }
          return pages.redirect("/desk/lotteries/\(raw)", after: nil, notice: submitted.replayed ? "double" : "lottery-\(action)")
        } catch let problem as Problem {
          if problem.kind == .notFound { throw problem }
          return pageResponse(try await pages.lottery(raw, user: context.user, problem: problem, fields: fields), status: .unprocessableContent)
        }
      },
    ]
  }
}

extension Pages {
  static let lotteryNotices: [String: String] = [
    "opened": "抽選回を作成しました。受付開始日から申込を受け付けます。", "lottery-apply": "申込を受け付けました。", "lottery-withdraw": "申込を取り下げました。",
    "lottery-close": "申込を締め切りました。抽選の種（シード）が確定しました。", "lottery-draw": "抽選しました。当選者は仮予約です。",
    "lottery-call-off": "抽選回を中止しました。",
  ]

  func customerID(_ text: String?) throws(Problem) -> CustomerID {
    do { return try CustomerID((text ?? "").trimmingCharacters(in: .whitespaces)) } catch {
      throw Problem(.validationFailed, "登録済み利用者IDを入力してください（利用者検索で確かめられます）", field: "customer")
    }
  }

  /// The form's slot lines (施設・利用日・区分 1–3) as requests, priced at the applicant's tier.
  func applicationSlots(_ fields: FormBody) throws(Problem) -> @Sendable (CustomerTier) throws -> [LotteryRequest] {
    var lines: [(space: SpaceID, date: LocalDate, slot: Slot)] = []
    for n in 1...3 {
      let space = (fields["space\(n)"] ?? "").trimmingCharacters(in: .whitespaces)
      let date = (fields["date\(n)"] ?? "").trimmingCharacters(in: .whitespaces)
      if space.isEmpty && date.isEmpty { continue }
      guard let id = try? SpaceID(space) else { throw Problem(.validationFailed, "\(n)コマ目の施設を選んでください", field: "space\(n)") }
      guard let day = try? LocalDate(typed: date) else { throw Problem(.validationFailed, "\(n)コマ目の利用日が読めません（例: 2027-06-05、令和9年6月5日）", field: "date\(n)") }
      guard let slot = try? Slot(code: fields["slot\(n)"] ?? "") else { throw Problem(.validationFailed, "\(n)コマ目の区分を選んでください", field: "slot\(n)") }
      lines.append((id, day, slot))
    }
    guard !lines.isEmpty else { throw Problem(.validationFailed, "申込む枠を1つ以上入力してください", field: "space1") }
    let attendees = Int(Kana.asciiDigits(fields["attendees"] ?? ""))
    let purpose = fields["purpose"].flatMap { $0.isEmpty ? nil : $0 }
    let chosen = lines
    return { tier in
      chosen.map { LotteryRequest(request: QuoteRequest(space: $0.space, date: $0.date, slot: $0.slot, tier: tier), purpose: purpose, attendees: attendees) }
    }
  }

  /// The open form's fields as a round's id and rules.
  func lotteryRules(_ fields: FormBody) throws(Problem) -> (LotteryID, LotteryRules) {
    func date(_ name: String, _ label: String) throws(Problem) -> LocalDate {
      guard let value = try? LocalDate(typed: fields[name] ?? "") else { throw Problem(.validationFailed, "\(label)が読めません（例: 2027-01-10）", field: name) }
      return value
    }
    func number(_ name: String, _ fallback: Int) -> Int { Int(Kana.asciiDigits(fields[name] ?? "")) ?? fallback }
    let round: LotteryID
    do { round = try LotteryID((fields["id"] ?? "").trimmingCharacters(in: .whitespaces)) } catch {
      throw Problem(.validationFailed, "抽選回のIDを入力してください（例: 2027-06-hall）", field: "id")
    }
    guard let month = try? YearMonth(iso8601: fields["month"] ?? "") else { throw Problem(.validationFailed, "対象月が読めません（例: 2027-06）", field: "month") }
    let spaces = (fields["spaces"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == "、" }).compactMap { try? SpaceID(String($0)) }
    let defaults = LotteryRules(name: "", month: month, spaces: [], opens: month.firstDay, closes: month.firstDay, drawOn: month.firstDay)
    let rules = LotteryRules(
      name: fields["name"] ?? "", month: month, spaces: spaces, opens: try date("opens", "受付開始日"), closes: try date("closes", "受付締切日"),
      drawOn: try date("drawOn", "抽選日"), maxSlotsPerApplicant: number("maxSlotsPerApplicant", defaults.maxSlotsPerApplicant),
      maxHolidaySlotsPerApplicant: number("maxHolidaySlotsPerApplicant", defaults.maxHolidaySlotsPerApplicant), priority: defaults.priority,
      payWithinDays: number("payWithinDays", defaults.payWithinDays), maxBundle: defaults.maxBundle)
    return (round, rules)
  }

  func lotteries(user: AuthenticatedUser?, fields: FormBody? = nil, problem: Problem? = nil) async throws -> String {
    let rounds = try await desk.lotteries()
    var content: [HTML] = [deskNav]
    content.append(
      Table(
        caption: "抽選回", columns: [.init("抽選回"), .init("対象月"), .init("施設"), .init("受付"), .init("抽選日"), .init("状態"), .init("申込", numeric: true), .init("当選", numeric: true)],
        rows: rounds.map { r in
          [
            H.a(r.rules.name, href: "/desk/lotteries/\(r.id)"), .text(r.rules.month.description), .text(r.rules.spaces.map(\.rawValue).joined(separator: "・")),
            .text("\(r.rules.opens)〜\(r.rules.closes)"), .text(r.rules.drawOn.description), .text(r.phase.japaneseName), .text(String(r.standing.count)),
            .text(r.drawn.map { String($0.results.filter { $0.outcome == .won }.count) } ?? "—"),
          ]
        }
      ).html)
    if user?.role == .buildingManager {
      func value(_ name: String) -> String { fields?[name] ?? "" }
      var form = Form(
        action: "/desk/lotteries",
        fields: [
          .init("id", label: "抽選回ID", value: value("id"), hint: "英小文字・数字・ハイフン（例: 2027-06-hall）", required: true),
          .init("name", label: "名称", value: value("name"), required: true), .init("month", label: "対象月", value: value("month"), hint: "例: 2027-06", required: true),
          .init("spaces", label: "施設ID", value: value("spaces"), hint: "カンマ区切り（例: hall,hall-east,hall-west）", required: true),
          .init("opens", label: "受付開始日", kind: .date, value: value("opens"), required: true),
          .init("closes", label: "受付締切日", kind: .date, value: value("closes"), required: true),
          .init("drawOn", label: "抽選日", kind: .date, value: value("drawOn"), required: true),
          .init("maxSlotsPerApplicant", label: "1者あたり上限（コマ）", kind: .number, value: value("maxSlotsPerApplicant").isEmpty ? "20" : value("maxSlotsPerApplicant")),
          .init("maxHolidaySlotsPerApplicant", label: "うち土日祝の上限", kind: .number, value: value("maxHolidaySlotsPerApplicant").isEmpty ? "5" : value("maxHolidaySlotsPerApplicant")),
          .init("payWithinDays", label: "当選後の支払期限（日）", kind: .number, value: value("payWithinDays").isEmpty ? "14" : value("payWithinDays")),
        ], submit: "抽選回を作成", csrfToken: user?.session?.csrfToken, idempotencyKey: fields?[Form.idempotencyField] ?? UUID().uuidString)
      if let problem { form.mark(problem) }
      content += [H.h2("抽選回の作成（会員企業→非営利団体→一般の順に抽選）"), form.html]
    }
    return layout.page(title: "抽選", user: user, content: content)
  }

  /// The results as a hall posts them: numbers only, so applicants find theirs by the number
  /// the desk gave them; before the draw, only when it will be.
  func publishedResults(_ raw: String, user: AuthenticatedUser?) async throws -> String {
    guard let id = try? LotteryID(raw) else { throw Problem(.notFound, "その抽選回はありません") }
    let round = try await desk.lottery(id)
    var content: [HTML] = [H.h2("\(round.rules.name) 抽選結果")]
    guard let drawn = round.drawn else {
      content.append(H.p(.text("抽選は \(round.rules.drawOn) に行います（\(round.phase.japaneseName)）。結果はこのページでお知らせします。"), class: "notice"))
      return layout.page(title: "\(round.rules.name) 抽選結果", user: user, content: content)
    }
    content.append(
      .element(
        "p", ["id": "seed", "class": "hint"],
        [.text("抽選日 \(drawn.on)。抽選の種: \(drawn.seed)（ログ位置 \(round.sealedThrough ?? 0) のハッシュ）。各申込のキー＝SHA-256(種:申込番号) の先頭16桁。会員企業・非営利団体・一般の順に、キーの小さい順で割り当てました。")]))
    content.append(
      Table(
        caption: "申込番号ごとの結果", columns: [.init("申込番号", numeric: true), .init("キー"), .init("順位", numeric: true), .init("結果")],
        rows: drawn.results.map { r in
          [.text(String(r.number)), .text(r.key), .text(String(r.place)), .text(r.outcome == .won ? "当選（\(r.bookings.count)コマ、期限までにお支払いください）" : "落選")]
        }
      ).html)
    return layout.page(title: "\(round.rules.name) 抽選結果", user: user, content: content)
  }

  func lottery(_ raw: String, user: AuthenticatedUser?, notice: String? = nil, problem: Problem? = nil, fields: FormBody? = nil) async throws -> String {
    guard let id = try? LotteryID(raw) else { throw Problem(.notFound, "その抽選回はありません") }
    let round = try await desk.lottery(id)
    let rules = round.rules
    var content: [HTML] = [deskNav]
    if let notice = notice ?? nil { content.append(H.p(.text(notice), class: "notice")) }
    content.append(H.h2("\(rules.name)（\(round.phase.japaneseName)）"))
    content.append(
      H.p(
        .text(
          "対象月 \(rules.month)・施設 \(rules.spaces.map(\.rawValue).joined(separator: "・"))・受付 \(rules.opens)〜\(rules.closes)・抽選日 \(rules.drawOn)・"
            + "上限 \(rules.maxSlotsPerApplicant)コマ（土日祝 \(rules.maxHolidaySlotsPerApplicant)コマ）・当選後 \(rules.payWithinDays)日以内に支払い"),
        class: "hint"))
    if let seed = round.seed {
      content.append(
        .element("p", ["id": "seed", "class": "hint"], [.text("抽選の種（ログ位置 \(round.sealedThrough ?? 0) のハッシュ）: \(seed)。各申込のキー＝SHA-256(種:申込番号) の先頭16桁。")]))
    }
    if round.drawn != nil { content.append(H.p(H.a("公開用の抽選結果（申込番号のみ）", href: "/lotteries/\(round.id)/results"), class: "no-print")) }
    let canAct = user?.role == .desk || user?.role == .buildingManager
    let taking = round.phase == .open && (rules.opens...rules.closes).contains(today())
    content.append(
      Table(
        caption: "申込（\(round.standing.count)件）",
        columns: [.init("番号", numeric: true), .init("申込者"), .init("区分"), .init("枠"), .init("キー"), .init("順位", numeric: true), .init("結果"), .init("")],
        rows: round.applications.map { a in
          let result = round.result(a.number)
          var outcome: HTML = .text(a.withdrawn ? "取下げ" : (result?.outcome.japaneseName ?? "抽選前"))
          if let result, result.outcome == .won {
            outcome = .join([.text("当選 ")] + result.bookings.map { H.a($0.rawValue, href: "/desk/bookings/\($0)") })
          } else if let reason = result?.reason {
            outcome = .text("落選（\(reason)）")
          }
          var action: HTML = .empty
          if canAct, taking, !a.withdrawn {
            action = Form(
              action: "/desk/lotteries/\(round.id)/withdraw", fields: [.init("number", label: "", kind: .hidden, value: String(a.number))], submit: "取下げ",
              csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString
            ).html
          }
          return [
            .text(String(a.number)), .text(a.customerName), .text(a.tier.japaneseName),
            .text(a.requests.map { "\($0.request.space) \($0.request.date) \($0.request.slot.japaneseName)" }.joined(separator: "／")),
            .text(result?.key ?? ""), .text(result.map { String($0.place) } ?? ""), outcome, action,
          ]
        }
      ).html)
    // Without the application form to mark, the reason is shown above the actions.
    if let problem, !(canAct && taking) {
      content.append(.element("p", ["class": "form-error", "role": "alert"], [.text(problem.detail)]))
    }
    if canAct, taking {
      func value(_ name: String, _ fallback: String = "") -> String { fields?[name] ?? fallback }
      let spaces: [(value: String, label: String)] = [("", "—")] + rules.spaces.map { ($0.rawValue, $0.rawValue) }
      let slots: [(value: String, label: String)] = Slot.named.map { ($0.code, $0.japaneseName) }
      var list: [Form.Field] = [.init("customer", label: "登録済み利用者ID", value: value("customer"), hint: "利用者検索で確かめられます", required: true)]
      for n in 1...3 {
        list.append(.init("space\(n)", label: "\(n)コマ目 施設", kind: .select, value: value("space\(n)"), required: n == 1, options: spaces))
        list.append(.init("date\(n)", label: "\(n)コマ目 利用日", kind: .date, value: value("date\(n)"), required: n == 1))
        list.append(.init("slot\(n)", label: "\(n)コマ目 区分", kind: .select, value: value("slot\(n)", "afternoon"), options: slots))
      }
      list.append(.init("attendees", label: "利用人数", kind: .number, value: value("attendees")))
      list.append(.init("purpose", label: "利用目的", value: value("purpose")))
      var form = Form(
        action: "/desk/lotteries/\(round.id)/apply", fields: list, submit: "申込む（複数コマはまとめて当落）", csrfToken: user?.session?.csrfToken,
        idempotencyKey: fields?[Form.idempotencyField] ?? UUID().uuidString)
      if let problem { form.mark(problem, aliases: ["requests": "space1"]) }
      content += [H.h2("申込の受付"), form.html]
    }
    if user?.role == .buildingManager, round.phase != .drawn, round.phase != .calledOff {
      var actions: [HTML] = []
      if round.phase == .open {
        actions.append(Form(action: "/desk/lotteries/\(round.id)/close", fields: [], submit: "締め切る", csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString).html)
      }
      if round.phase == .closed {
        actions.append(Form(action: "/desk/lotteries/\(round.id)/draw", fields: [], submit: "抽選する", csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString).html)
      }
      let callOff = Form(
        action: "/desk/lotteries/\(round.id)/call-off", fields: [.init("reason", label: "中止の理由", value: "", required: true)], submit: "中止する",
        csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString)
      actions.append(callOff.html)
      content += [H.h2("締切・抽選（施設管理責任者）"), H.div(actions, class: "actions")]
    }
    return layout.page(title: rules.name, user: user, content: content)
  }
}
