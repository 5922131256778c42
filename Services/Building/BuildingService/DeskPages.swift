import Building
import BuildingReadModels
import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import JapaneseCalendar
import ServiceKit
import SharedKernel

/// The front desk's pages, in Japanese: the day and week grid of spaces × blocks, booking,
/// the booking page with its actions (confirm, take payment, cancel with the fee shown), the use
/// permit and the receipt for print, finding and registering customers, and the 日計表.
enum DeskPages {
  static func all(app: ServiceApplication, desk: Desk, reads: DeskReads) -> [Route] {
    let pages = Pages(app: app, desk: desk, reads: reads)
    let html = [RouteResponse(200, "A page", schema: .string(), mediaType: "text/html")]
    let posted = [
      RouteResponse(303, "Done: on to the page that shows it", headers: ["Location"]),
      RouteResponse(422, "The page again, with the message beside the field", schema: .string(), mediaType: "text/html"),
      RouteResponse(409, "The page again, saying what is in the way", schema: .string(), mediaType: "text/html"),
    ]
    let form = "application/x-www-form-urlencoded"
    let formBody = Schema.object([Form.csrfField: .string(), Form.idempotencyField: .string()], open: true)
    let id = RouteParameter("id", in: .path, schema: .string(), "The booking's id")
    // Pages take what a person or a link sends and fall back (a date they cannot read is today):
    // their query parameters are documented without limits, as they are accepted.
    let dateQuery = RouteParameter("date", in: .query, schema: .string(), "The day (ISO or 和暦; anything else is today)")
    return [
      Route(
        .get, "/desk", summary: "The desk's grid: spaces × 午前・午後・夜間 for a day or a week, with free, provisional, confirmed, blocked and closed.",
        access: APIRoutes.readers,
        parameters: [dateQuery, RouteParameter("view", in: .query, schema: .string(), "week for the week grid; anything else is the day")],
        responses: html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        let date = pages.date(request, "date")
        let week = request.uri.queryParameters["view"] == "week"
        return pageResponse(try await pages.grid(date: date, week: week, user: context.user))
      },
      Route(
        .get, "/desk/new", summary: "The booking form, filled from the grid's cell (space, date, block) or a found customer.",
        access: APIRoutes.deskStaff,
        parameters: [
          RouteParameter("space", in: .query, schema: .string(), "The space to fill in"), dateQuery,
          RouteParameter("slot", in: .query, schema: .string(), "The block to fill in"),
          RouteParameter("customer", in: .query, schema: .string(), "A registered customer's id to fill in"),
        ], responses: html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        var values: [String: String] = [:]
        for name in ["space", "date", "slot", "customer"] {
          if let value = request.uri.queryParameters[Substring(name)] { values[name] = String(value) }
        }
        return pageResponse(try await pages.newBooking(values: values, user: context.user))
      },
      Route(
        .post, "/desk/bookings", summary: "Book from the form; on success to the booking's page, else the form with the reason beside the field.",
        access: APIRoutes.deskStaff, requestBody: formBody, requestMediaType: form, responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        do {
          let body = try await pages.bookingBody(fields)
          let submitted = try await desk.decisions.submit(pages.write(fields, context, path: "/desk/bookings")) { t in
            try await APIRoutes.book(body, desk: desk, in: t)
          }
          let answer = try JSONDecoder().decode(BookingAnswer.self, from: submitted.answer)
          return pages.redirect("/desk/bookings/\(answer.id)", after: submitted.position, notice: submitted.replayed ? "double" : "booked")
        } catch let problem as Problem {
          let page = try await pages.newBooking(values: fields.fields, user: context.user, problem: problem)
          return pageResponse(page, status: problem.kind == .conflict ? .conflict : .unprocessableContent)
        }
      },
      Route(
        .get, "/desk/bookings/{id}", summary: "A booking: its lines, status and money, with confirm, payment, cancellation (fee shown) and print.",
        access: APIRoutes.readers,
        parameters: [id, RouteParameter("after", in: .query, schema: .string(), "Wait (briefly) until the read model has this position")],
        responses: html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        let booking = try context.parameters.require("id")
        await pages.wait(request.uri.queryParameters["after"].flatMap { Int64(String($0)) })
        let notice = request.uri.queryParameters["notice"].map(String.init)
        return pageResponse(try await pages.bookingPage(booking, user: context.user, notice: notice.flatMap(Pages.notices.index(forKey:)).map { Pages.notices[$0].value }))
      },
      Route(
        .post, "/desk/bookings/{id}/{action}", summary: "From the booking page: confirm, pay, cancel, use or no-show.", access: APIRoutes.deskStaff,
        parameters: [id, RouteParameter("action", in: .path, schema: .string(values: ["confirm", "pay", "change", "cancel", "check-in", "use", "no-show", "waitlist"]), "What to do")],
        requestBody: formBody, requestMediaType: form, responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        let raw = try context.parameters.require("id")
        let action = try context.parameters.require("action")
        guard let booking = try? BookingID(raw) else { throw Problem(.notFound, "その予約はありません") }
        do {
          let write = pages.write(fields, context, path: "/desk/bookings/\(raw)/\(action)")
          let submitted: Decisions.Submitted
          switch action {
          case "confirm": submitted = try await desk.decisions.submit(write) { t in try await desk.confirm(booking, in: t) }
          case "pay":
            let amount = try Pages.yen(fields["amountYen"], field: "amountYen")
            let method = PaymentMethod(rawValue: fields["method"] ?? "") ?? .cash
            submitted = try await desk.decisions.submit(write) { t in try await desk.pay(booking, amount: amount, method: method, in: t) }
          case "change":
            let quote = try await pages.quoteBody(fields)
            submitted = try await desk.decisions.submit(write) { t in try await desk.change(booking, to: try quote.request(), in: t) }
          case "cancel":
            let waiver = Waiver(rawValue: fields["waiver"] ?? "")
            let refund = PaymentMethod(rawValue: fields["refundMethod"] ?? "")
            submitted = try await desk.decisions.submit(write) { t in
              try await desk.cancel(booking, reason: fields["reason"] ?? "", waiver: waiver, refundBy: refund, in: t)
            }
          case "check-in": submitted = try await desk.decisions.submit(write) { t in try await desk.checkIn(booking, in: t) }
          case "waitlist":
            let customer = try pages.customerID(fields["customer"])
            guard let view = try await reads.read({ db, set in try BuildingQueries.booking(raw, in: db, set) }) else { throw Problem(.notFound, "その予約はありません") }
            let request = QuoteRequest(space: view.details.request.space, date: view.details.request.date, slot: view.details.request.slot)
            submitted = try await desk.decisions.submit(write) { t in
              try await desk.joinWaitlist(customer: customer, request: request, purpose: nil, attendees: nil, in: t)
            }
          case "use", "no-show":
            submitted = try await desk.decisions.submit(write) { t in try await desk.attend(booking, used: action == "use", in: t) }
          default: throw Problem(.notFound, "その操作はありません")
          }
          return pages.redirect("/desk/bookings/\(raw)", after: submitted.position, notice: submitted.replayed ? "double" : action)
        } catch let problem as Problem {
          let page = try await pages.bookingPage(raw, user: context.user, problem: problem, action: action, fields: fields)
          return pageResponse(page, status: problem.kind == .conflict ? .conflict : .unprocessableContent)
        }
      },
      Route(
        .get, "/desk/bookings/{id}/permit", summary: "利用許可書 (A4) of a confirmed booking.", access: APIRoutes.readers, parameters: [id],
        responses: html, tag: "pages", isPage: true, readsModels: true
      ) { _, context in pageResponse(try await pages.permit(try context.parameters.require("id"), user: context.user)) },
      Route(
        .get, "/desk/bookings/{id}/receipts/{number}", summary: "領収書 (A4) of a payment, with the registration number and the tax by rate.",
        access: APIRoutes.readers,
        parameters: [id, RouteParameter("number", in: .path, schema: .string(), "The receipt number")], responses: html,
        tag: "pages", isPage: true, readsModels: true
      ) { _, context in
        pageResponse(try await pages.receipt(try context.parameters.require("id"), number: try context.parameters.require("number"), user: context.user))
      },
      Route(
        .get, "/desk/customers", summary: "Find a customer by name, reading or phone; register one.", access: APIRoutes.readers,
        parameters: [RouteParameter("q", in: .query, schema: .string(), "What to look for")], responses: html, tag: "pages",
        isPage: true, readsModels: true
      ) { request, context in
        pageResponse(try await pages.customers(query: request.uri.queryParameters["q"].map(String.init), user: context.user))
      },
      Route(
        .post, "/desk/customers", summary: "Register a customer from the form.", access: APIRoutes.deskStaff, requestBody: formBody,
        requestMediaType: form, responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        let body = CustomerBody(
          name: fields["name"] ?? "", nameKana: fields["nameKana"] ?? "", kind: CustomerKind(rawValue: fields["kind"] ?? ""),
          customerCategory: CustomerTier(rawValue: fields["customerCategory"] ?? ""), phone: fields["phone"], email: fields["email"],
          contactPerson: fields["contactPerson"])
        do {
          let submitted = try await desk.decisions.submit(pages.write(fields, context, path: "/desk/customers")) { t in
            try await desk.register(newID("c", at: desk.now()), body.profile, in: t)
          }
          let answer = try JSONDecoder().decode(CustomerAnswer.self, from: submitted.answer)
          let query = answer.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
          return pages.redirect("/desk/customers?q=\(query)", after: submitted.position, notice: submitted.replayed ? "double" : "registered")
        } catch let problem as Problem {
          return pageResponse(try await pages.customers(query: nil, user: context.user, fields: fields, problem: problem), status: .unprocessableContent)
        }
      },
      Route(
        .get, "/desk/cash", summary: "日計表: the day's payments and refunds by method; the manager signs it off.", access: APIRoutes.readers,
        parameters: [dateQuery], responses: html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        await pages.wait(request.uri.queryParameters["after"].flatMap { Int64(String($0)) })
        return pageResponse(try await pages.cash(date: pages.date(request, "date"), user: context.user))
      },
      Route(
        .post, "/desk/cash", summary: "Sign off the day's cash (building manager).", access: APIRoutes.manager, requestBody: formBody,
        requestMediaType: form, responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        let day = (try? LocalDate(typed: fields["date"] ?? "")) ?? pages.today()
        do {
          let counted = (fields["cashCountedYen"] ?? "").isEmpty ? nil : try Pages.yen(fields["cashCountedYen"], field: "cashCountedYen", allowZero: true)
          let signer = context.user?.login ?? "unknown"
          let submitted = try await desk.decisions.submit(pages.write(fields, context, path: "/desk/cash")) { t in
            try await desk.closeCash(day, cashCounted: counted, signedBy: signer, in: t)
          }
          return pages.redirect("/desk/cash?date=\(day)", after: submitted.position, notice: nil)
        } catch let problem as Problem {
          return pageResponse(try await pages.cash(date: day, user: context.user, problem: problem), status: .unprocessableContent)
        }
      },
    ]
  }
}

/// What the desk's pages know and how they draw it.
struct Pages: Sendable {
  let app: ServiceApplication
  let desk: Desk
  let reads: DeskReads

  var layout: Layout { app.layout }

  static let notices: [String: String] = [
    "booked": "予約を受け付けました。", "double": "この操作は既に受け付けています（二重送信）。", "confirm": "本予約にしました。利用許可書を印刷できます。",
    "pay": "入金を記録しました。領収書を印刷できます。", "change": "予約を変更しました。料金の差額は未収額・還付額に反映しています。", "cancel": "予約を取り消しました。", "use": "利用済にしました。", "no-show": "不使用として記録しました。", "check-in": "受付しました（利用済）。", "waitlist": "キャンセル待ちに登録しました。", "calendar-revoked": "カレンダーのリンクを無効にしました。",
    "registered": "利用者を登録しました。",
  ].merging(lotteryNotices) { a, _ in a }.merging(seriesNotices) { a, _ in a }

  func today() -> LocalDate { (try? LocalDate(japanTimeOf: desk.now())) ?? LocalDate.earliest }

  func date(_ request: Request, _ name: String) -> LocalDate {
    guard let text = request.uri.queryParameters[Substring(name)].map(String.init), let date = try? LocalDate(typed: text) else { return today() }
    return date
  }

  /// Waits (boundedly) until the read model shows what the previous page wrote.
  func wait(_ position: Int64?) async {
    guard let position else { return }
    _ = try? await reads.runner.waitUntil("building", reached: position, timeout: .seconds(5))
  }

  func redirect(_ path: String, after position: Int64?, notice: String?) -> Response { pageRedirect(path, after: position, notice: notice) }

  /// A form post as a write: the form's own idempotency key, a digest of its fields.
  func write(_ fields: FormBody, _ context: KIPRequestContext, path: String) -> WriteRequest {
    WriteRequest(form: fields, context: context, service: app.configuration.serviceName, path: path, client: "desk page")
  }

  static func yen(_ text: String?, field: String, allowZero: Bool = false) throws(Problem) -> Yen {
    let digits = Kana.asciiDigits(text ?? "").replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "円", with: "")
    guard let value = Int64(digits), value >= (allowZero ? 0 : 1), value <= 1_000_000_000 else {
      throw Problem(.validationFailed, "金額は\(allowZero ? 0 : 1)円以上の数字で入力してください", field: field)
    }
    return Yen(value)
  }

  // MARK: - The grid

  func grid(date: LocalDate, week: Bool, user: AuthenticatedUser?) async throws -> String {
    let (_, catalogue) = try await reads.catalogue()
    let closures = try await reads.closures()
    let last = week ? ((try? date.adding(days: 6)) ?? date) : date
    let days = try await reads.read { db, set in
      try BuildingQueries.availability(from: date, to: last, space: nil, catalogue: catalogue, closures: closures, in: db, set)
    }
    let canBook = user?.role == .desk || user?.role == .buildingManager
    func cell(_ space: Space, _ day: LocalDate, _ slot: (slot: Slot, status: SlotStatus, booking: String?)) -> HTML {
      let label: String
      switch slot.status {
      case .free: label = week ? "○" : "空き"
      case .provisional: label = week ? "仮" : "仮予約"
      case .confirmed: label = week ? "●" : "本予約"
      case .blocked: label = week ? "×" : "利用不可"
      case .closed: label = week ? "休" : "休館"
      }
      var content = HTML.text(label)
      if let booking = slot.booking, slot.status != .blocked {
        content = H.a(label, href: "/desk/bookings/\(booking)")
      } else if slot.status == .free, canBook {
        content = H.a(label, href: "/desk/new?space=\(space.id)&date=\(day)&slot=\(slot.slot.code)")
      }
      return .element(
        "td", ["class": slot.status.rawValue, "data-space": space.id.rawValue, "data-date": day.description, "data-slot": slot.slot.code, "title": "\(space.name) \(day) \(slot.slot.japaneseName)"],
        [content])
    }
    var header: [HTML] = [.element("th", ["scope": "col", "rowspan": week ? "2" : nil], [.text("施設")])]
    var subheader: [HTML] = []
    if week {
      for day in days {
        header.append(.element("th", ["scope": "colgroup", "colspan": "3"], [.text("\(day.date.month)/\(day.date.day)（\(day.date.weekday.japaneseName)）")]))
        // 前・後・夜: 午前 and 午後 share their first character.
        subheader += ["前", "後", "夜"].map { .element("th", ["scope": "col"], [.text($0)]) }
      }
    } else {
      header += Slot.basic.map { .element("th", ["scope": "col"], [.text("\($0.japaneseName) \($0.range)")]) }
    }
    let rows: [HTML] = catalogue.spaces.enumerated().map { index, space in
      var cells: [HTML] = [.element("th", ["scope": "row", "class": "space"], [.text("\(space.name)（\(space.capacity)名）")])]
      for day in days { cells += day.spaces[index].slots.map { cell(space, day.date, $0) } }
      return .element("tr", [:], cells)
    }
    let table = HTML.element(
      "table", ["class": "grid", "id": "grid"],
      [
        .element("caption", [:], [.text(week ? "\(Formats.warekiWithWeekday(date)) からの1週間" : Formats.warekiWithWeekday(date))]),
        .element("thead", [:], [.element("tr", [:], header)] + (week ? [.element("tr", [:], subheader)] : [])), .element("tbody", [:], rows),
      ])
    let view = week ? "week" : "day"
    let step = week ? 7 : 1
    let previous = (try? date.adding(days: -step)) ?? date, next = (try? date.adding(days: step)) ?? date
    let toolbar = H.div(
      [
        H.a("← 前へ", href: "/desk?date=\(previous)&view=\(view)"), H.a("今日", href: "/desk?view=\(view)"), H.a("次へ →", href: "/desk?date=\(next)&view=\(view)"),
        H.a(week ? "日表示" : "週表示", href: "/desk?date=\(date)&view=\(week ? "day" : "week")"),
        .element(
          "form", ["method": "get", "action": "/desk"],
          [
            .element("label", ["for": "goto"], [.text("日付")]), .element("input", ["id": "goto", "name": "date", "value": date.description]),
            .element("input", ["type": "hidden", "name": "view", "value": view]), .element("button", ["type": "submit"], [.text("表示")]),
          ]),
      ], class: "toolbar")
    let legend = H.p(.text("凡例: 空き（○）・仮予約（仮）・本予約（●）・利用不可＝区画を共有する施設が予約済み（×）・休館（休）"), class: "hint")
    return layout.page(title: "予約台帳", user: user, content: [deskNav, toolbar, table, legend])
  }

  var deskNav: HTML {
    H.div(
      [
        H.a("予約台帳", href: "/desk"), H.a("週表示", href: "/desk?view=week"), H.a("抽選", href: "/desk/lotteries"), H.a("定期利用", href: "/desk/series/new"), H.a("利用者", href: "/desk/customers"),
        H.a("日計表", href: "/desk/cash"), H.a("カレンダー", href: "/desk/calendars"), H.a("管理者レポート", href: "/reports"),
      ], class: "toolbar no-print")
  }

  // MARK: - Booking

  func newBooking(values: [String: String], user: AuthenticatedUser?, problem: Problem? = nil) async throws -> String {
    let (_, catalogue) = try await reads.catalogue()
    var content: [HTML] = [deskNav]
    var customerNote: HTML = .empty
    if let id = values["customer"], !id.isEmpty, let customer = try await reads.read({ db, set in try BuildingQueries.customer(id, in: db, set) }) {
      customerNote = H.p(.text("利用者: \(customer.name)（\(customer.nameKana)・\(customer.tier.japaneseName)）"), class: "notice")
    }
    content.append(customerNote)
    typealias Option = (value: String, label: String)
    let spaceOptions: [Option] = catalogue.spaces.map { space in (space.id.rawValue, "\(space.name)（定員\(space.capacity)名）") }
    let tierOptions: [Option] = [("", "登録どおり")] + CustomerTier.allCases.map { tier in (tier.rawValue, tier.japaneseName) }
    let useOptions: [Option] = Use.allCases.map { use in (use.rawValue, use.japaneseName) }
    let reductionOptions: [Option] = [("", "なし")] + catalogue.reductions.map { reduction in (reduction.id, reduction.label) }
    // The blocks every space is let in, as suggestions; a time range by the hour is typed.
    let blockOptions: [Option] = ["morning", "afternoon", "evening", "morning-afternoon", "afternoon-evening", "full-day"].compactMap { code in
      (try? Slot(code: code)).map { (code, $0.japaneseName) }
    }
    let kindOptions: [Option] = [("0", "本予約（利用許可書を発行）"), ("1", "仮予約（\(catalogue.provisionalHoldDays)日以内に本予約）")]
    func value(_ name: String, _ fallback: String = "") -> String { values[name] ?? fallback }
    var list: [Form.Field] = []
    list.append(.init("space", label: "施設", kind: .select, value: value("space"), required: true, options: spaceOptions))
    list.append(.init("date", label: "利用日", kind: .date, value: value("date", today().description), required: true))
    list.append(
      .init(
        "slot", label: "区分", value: value("slot", "afternoon"),
        hint: "一覧から選ぶか、時間貸しは 10:00-12:00 のように入力", required: true, options: blockOptions))
    list.append(.init("customer", label: "登録済み利用者ID", value: value("customer"), hint: "利用者検索から選ぶと入ります。未登録の方は下の氏名・団体名へ"))
    list.append(.init("name", label: "氏名・団体名（未登録の方）", value: value("name")))
    list.append(.init("nameKana", label: "フリガナ", value: value("nameKana")))
    list.append(.init("phone", label: "電話番号", value: value("phone")))
    list.append(.init("customerCategory", label: "利用者区分", kind: .select, value: value("customerCategory"), options: tierOptions))
    list.append(.init("use", label: "利用区分", kind: .select, value: value("use", "general"), options: useOptions))
    list.append(.init("admissionYen", label: "入場料（円、入場料徴収のとき）", kind: .number, value: value("admissionYen")))
    for item in catalogue.equipment {
      let label = "\(item.name)（\(Formats.yen(item.fee))・在庫\(item.stock)）"
      list.append(.init("equipment-\(item.id)", label: label, kind: .number, value: value("equipment-\(item.id)")))
    }
    list.append(.init("reduction", label: "減免", kind: .select, value: value("reduction"), options: reductionOptions))
    list.append(.init("reductionReason", label: "減免の理由", value: value("reductionReason")))
    list.append(.init("overtimeMinutes", label: "延長（分）", kind: .number, value: value("overtimeMinutes")))
    list.append(.init("attendees", label: "利用人数", kind: .number, value: value("attendees")))
    list.append(.init("purpose", label: "利用目的", value: value("purpose")))
    list.append(.init("provisional", label: "予約の種類", kind: .select, value: value("provisional", "0"), options: kindOptions))
    var form = Form(
      action: "/desk/bookings", fields: list, submit: "予約する", csrfToken: user?.session?.csrfToken,
      idempotencyKey: values[Form.idempotencyField] ?? UUID().uuidString)
    if let problem { form.mark(problem, aliases: ["customer": "name", "equipment": "equipment-\(catalogue.equipment.first?.id ?? "")"]) }
    content.append(form.html)
    return layout.page(title: "予約の受付", user: user, content: content)
  }

  /// The change form's fields as the API's quote body.
  func quoteBody(_ fields: FormBody) async throws -> QuoteBody {
    let data = try JSONSerialization.data(withJSONObject: try await quoteObject(fields))
    return try JSONInput.decode(QuoteBody.self, from: data)
  }

  /// The booking form's fields as the API's body (the same checks and the same problems).
  func bookingBody(_ fields: FormBody) async throws -> BookingBody {
    var object = try await quoteObject(fields)
    if let id = fields["customer"], !id.isEmpty {
      object["customer"] = id
    } else {
      guard let name = fields["name"], !name.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw Problem(.validationFailed, "利用者を選ぶか、氏名・団体名を入力してください", field: "name")
      }
      object["customer"] = ["name": name, "nameKana": fields["nameKana"] ?? "", "phone": fields["phone"] ?? ""]
    }
    for name in ["purpose", "customerCategory"] {
      if let value = fields[name], !value.isEmpty { object[name] = value }
    }
    if let text = fields["attendees"].map(Kana.asciiDigits), !text.isEmpty {
      guard let number = Int(text) else { throw Problem(.validationFailed, "数字で入力してください", field: "attendees") }
      object["attendees"] = number
    }
    object["provisional"] = fields["provisional"] == "1"
    let data = try JSONSerialization.data(withJSONObject: object)
    return try JSONInput.decode(BookingBody.self, from: data)
  }

  /// The fields a quote and a change share, as JSON for the API's decoder.
  func quoteObject(_ fields: FormBody) async throws -> [String: Any] {
    let (_, catalogue) = try await reads.catalogue()
    var object: [String: Any] = ["space": fields["space"] ?? "", "date": fields["date"] ?? "", "slot": fields["slot"] ?? ""]
    for name in ["use", "reduction", "reductionReason"] {
      if let value = fields[name], !value.isEmpty { object[name] = value }
    }
    for name in ["admissionYen", "overtimeMinutes"] {
      guard let text = fields[name].map(Kana.asciiDigits), !text.isEmpty else { continue }
      guard let number = Int(text) else { throw Problem(.validationFailed, "数字で入力してください", field: name) }
      object[name] = number
    }
    var equipment: [[String: Any]] = []
    for item in catalogue.equipment {
      guard let text = fields["equipment-\(item.id)"].map(Kana.asciiDigits), !text.isEmpty, text != "0" else { continue }
      guard let quantity = Int(text), quantity > 0 else { throw Problem(.validationFailed, "数量は数字で入力してください", field: "equipment-\(item.id)") }
      equipment.append(["item": item.id, "quantity": quantity])
    }
    if !equipment.isEmpty { object["equipment"] = equipment }
    return object
  }

  func bookingPage(
    _ id: String, user: AuthenticatedUser?, notice: String? = nil, problem: Problem? = nil, action: String? = nil, fields: FormBody? = nil
  ) async throws -> String {
    guard let view = try await reads.read({ db, set in try BuildingQueries.booking(id, in: db, set) }) else {
      throw Problem(.notFound, "予約 \(id) はありません")
    }
    let s = view.summary, d = view.details
    var content: [HTML] = [deskNav]
    if let notice { content.append(.element("p", ["class": "notice", "role": "status"], [.text(notice)])) }
    if let problem, action == nil { content.append(.element("p", ["class": "form-error", "role": "alert"], [.text(problem.detail)])) }
    let facts: [(String, String)] = [
      ("予約番号", s.id), ("状態", s.status.japaneseName + (s.deadline.map { "（\(Formats.wareki($0))まで）" } ?? "")),
      ("施設", s.spaceName), ("利用日", Formats.warekiWithWeekday(s.date)), ("区分", "\(d.request.slot.japaneseName) \(d.request.occupied)"),
      ("利用者", s.customerName), ("利用区分", d.request.use.japaneseName + (d.request.use == .admission ? "（入場料 \(Formats.yen(d.request.admission))）" : "")),
      ("利用者区分", d.request.tier.japaneseName), ("利用人数", d.attendees.map { "\($0)名" } ?? "—"), ("利用目的", d.purpose ?? "—"),
      ("利用許可番号", s.permitNumber ?? "—"), ("料金表", "第\(d.quote.catalogueVersion)版（\(d.quote.dayType)）"),
    ]
    content.append(
      .element("table", ["class": "data", "id": "booking"], facts.map { .element("tr", [:], [.element("th", ["scope": "row"], [.text($0.0)]), .element("td", [:], [.text($0.1)])]) }))
    let lines = Table(
      caption: "料金明細（税込）", columns: [.init("項目"), .init("金額", numeric: true)],
      rows: d.quote.lines.map { [.text($0.label), .text(Formats.yen($0.amount))] } + [
        [.text("合計（10%対象）"), .text(Formats.yen(d.quote.total))], [.text("うち消費税（10%）"), .text(Formats.yen(d.quote.tax))],
        [.text("入金済"), .text(Formats.yen(s.paidYen))], [.text(s.balanceYen.amount >= 0 ? "未収額" : "還付額"), .text(Formats.yen(Yen(abs(s.balanceYen.amount))))],
      ] + (s.cancellationFeeYen.map { [[.text("キャンセル料"), .text(Formats.yen($0))]] } ?? []))
    content.append(lines.html)
    if !view.money.isEmpty {
      content.append(
        Table(
          caption: "入金・還付", columns: [.init("日付"), .init("種別"), .init("方法"), .init("金額", numeric: true), .init("領収書")],
          rows: view.money.map { m in
            [
              .text(Formats.wareki(m.on)), .text(m.kind == "payment" ? "入金" : "還付"), .text(m.method.japaneseName), .text(Formats.yen(m.amountYen)),
              m.receipt.map { H.a($0, href: "/desk/bookings/\(id)/receipts/\($0)") } ?? .text(""),
            ]
          }
        ).html)
    }
    if s.status == .confirmed || s.status == .used { content.append(H.p(H.a("利用許可書を印刷", href: "/desk/bookings/\(id)/permit"), class: "no-print")) }
    guard user?.role == .desk || user?.role == .buildingManager else { return layout.page(title: "予約 \(s.spaceName)", user: user, content: content) }
    let today = today()
    func section(_ name: String, _ title: String, _ list: [Form.Field], submit: String) -> HTML {
      var built = Form(
        action: "/desk/bookings/\(id)/\(name)", fields: list, submit: submit, csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString)
      if let problem, action == name { built.mark(problem) }
      return .element("section", ["id": "action-\(name)"], [H.h2(title), built.html])
    }
    var actions: [HTML] = []
    if s.status == .provisional { actions.append(section("confirm", "本予約にする", [], submit: "本予約にする（利用許可書を発行）")) }
    if s.balanceYen > .zero && s.status != .lapsed {
      actions.append(
        section(
          "pay", "入金", [
            .init("amountYen", label: "金額（円）", kind: .number, value: fields?["amountYen"] ?? String(s.balanceYen.amount), required: true),
            .init("method", label: "方法", kind: .select, value: fields?["method"] ?? "cash", options: PaymentMethod.allCases.map { ($0.rawValue, $0.japaneseName) }),
          ], submit: "入金を記録"))
    }
    if s.status.holdsTime && today <= s.date {
      let catalogue = try await reads.catalogue(version: d.quote.catalogueVersion)
      var change: [Form.Field] = [
        .init("space", label: "施設", kind: .select, value: fields?["space"] ?? d.request.space.rawValue,
          options: catalogue.spaces.map { space in (space.id.rawValue, space.name) }),
        .init("date", label: "利用日", kind: .date, value: fields?["date"] ?? d.request.date.description),
        .init("slot", label: "区分", value: fields?["slot"] ?? d.request.slot.code),
        .init("use", label: "", kind: .hidden, value: d.request.use.rawValue),
        .init("admissionYen", label: "", kind: .hidden, value: d.request.admission == .zero ? "" : String(d.request.admission.amount)),
        .init("overtimeMinutes", label: "延長（分）", kind: .number, value: fields?["overtimeMinutes"] ?? String(d.request.overtimeMinutes)),
      ]
      for item in catalogue.equipment {
        let current = d.request.equipment.first { $0.item == item.id }?.quantity ?? 0
        change.append(.init("equipment-\(item.id)", label: item.name, kind: .number, value: fields?["equipment-\(item.id)"] ?? (current == 0 ? "" : String(current))))
      }
      if let reduction = d.request.reduction {
        change.append(.init("reduction", label: "", kind: .hidden, value: reduction))
        change.append(.init("reductionReason", label: "", kind: .hidden, value: d.request.reductionReason ?? ""))
      }
      actions.append(section("change", "変更（区分・日付・備品）", change, submit: "変更する（料金を再計算）"))
      let terms = try Booking.cancellationTerms(
        status: s.status, date: s.date, facilityFee: d.quote.facilityFee, paid: s.paidYen, waiver: nil, catalogue: catalogue, today: today)
      let (days, percent, fee, refund) = (terms.daysBefore, terms.percent, terms.fee, terms.refundDue)
      actions.append(
        .element("p", ["id": "cancellation-fee"], [
          .text("本日取り消した場合: 利用日の\(days)日前・キャンセル料 \(percent)% = \(Formats.yen(fee))（還付 \(Formats.yen(refund))）。天災等・施設側都合は免除。")
        ]))
      actions.append(
        section(
          "cancel", "取消", [
            .init("reason", label: "取消の理由", value: fields?["reason"] ?? "", required: true),
            .init("waiver", label: "キャンセル料の免除", kind: .select, value: fields?["waiver"] ?? "",
              options: [("", "なし（規定どおり）")] + Waiver.allCases.map { ($0.rawValue, $0.japaneseName) }),
            .init("refundMethod", label: "還付の方法（入金済のとき）", kind: .select, value: fields?["refundMethod"] ?? "cash",
              options: [("", "あとで還付")] + PaymentMethod.allCases.map { ($0.rawValue, $0.japaneseName) }),
          ], submit: "取り消す"))
    }
    if (s.status == .confirmed || s.status == .noShow) && today == s.date {
      actions.append(section("check-in", "受付（来館）", [], submit: "受付する"))
    }
    if s.status == .confirmed && today >= s.date {
      actions.append(section("use", "利用済にする", [], submit: "利用済"))
      actions.append(section("no-show", "不使用（無断キャンセル）", [], submit: "不使用"))
    }
    if s.status.holdsTime && today <= s.date {
      let (_, current) = try await reads.catalogue()
      let line = try await desk.waitlistNow(space: d.request.space, date: d.request.date, catalogue: current).entries.filter {
        $0.space == d.request.space.rawValue && $0.slot == d.request.slot.code && $0.status != "left"
      }
      let statusNames = ["waiting": "待ち", "offered": "仮予約を案内中"]
      content.append(
        Table(
          caption: "この枠のキャンセル待ち（\(line.count)件）", columns: [.init("順"), .init("利用者"), .init("状態")],
          rows: line.map { e in
            [
              .text(e.place.map(String.init) ?? "—"), .text(e.customerName),
              e.offeredBooking.map { H.a("\(statusNames[e.status] ?? e.status)（\(e.deadline ?? "")まで）", href: "/desk/bookings/\($0)") }
                ?? .text(statusNames[e.status] ?? e.status),
            ]
          }
        ).html)
      actions.append(
        section(
          "waitlist", "キャンセル待ちに登録", [.init("customer", label: "登録済み利用者ID", value: fields?["customer"] ?? "", hint: "空きが出たら仮予約で案内します", required: true)],
          submit: "キャンセル待ちに登録"))
    }
    return layout.page(title: "予約 \(s.spaceName)", user: user, content: content + [H.div(actions, class: "actions")])
  }

  // MARK: - Documents

  func permit(_ id: String, user: AuthenticatedUser?) async throws -> String {
    guard let view = try await reads.read({ db, set in try BuildingQueries.booking(id, in: db, set) }), let number = view.summary.permitNumber else {
      throw Problem(.notFound, "予約 \(id) の利用許可書はありません（本予約ではありません）")
    }
    let catalogue = try await reads.catalogue(version: view.details.quote.catalogueVersion)
    let d = view.details
    let rows: [(String, String)] = [
      ("許可番号", number), ("利用者", "\(view.summary.customerName) 様"), ("施設", d.spaceName),
      ("利用日時", "\(Formats.warekiWithWeekday(d.request.date)) \(d.request.slot.japaneseName) \(d.request.occupied)"),
      ("利用目的", d.purpose ?? "—"), ("利用人数", d.attendees.map { "\($0)名" } ?? "—"),
      ("付帯設備", d.request.equipment.isEmpty ? "なし" : d.request.equipment.map { line in "\(catalogue.equipmentItem(line.item)?.name ?? line.item)×\(line.quantity)" }.joined(separator: "、")),
      ("使用料（税込）", Formats.yen(d.quote.total)),
    ]
    let document = H.div(
      [
        H.h2("利用許可書"), H.p(.text("\(Formats.wareki(view.summary.createdOn))")),
        H.p(.text("次のとおり施設の利用を許可します。")),
        .element("table", ["class": "data"], rows.map { .element("tr", [:], [.element("th", ["scope": "row"], [.text($0.0)]), .element("td", [:], [.text($0.1)])]) }),
        H.p(.text("利用に当たっては施設の利用規程を守ってください。取消の場合は規定のキャンセル料を申し受けます。")),
        H.div([H.p(.text(catalogue.issuer)), H.p(.text("登録番号 \(catalogue.registrationNumber)"))], class: "stamp"),
      ], class: "document", id: "permit")
    return layout.page(title: "利用許可書 \(number)", user: user, content: [deskNav, document])
  }

  func receipt(_ id: String, number: String, user: AuthenticatedUser?) async throws -> String {
    guard let view = try await reads.read({ db, set in try BuildingQueries.booking(id, in: db, set) }),
      let payment = view.money.first(where: { $0.receipt == number })
    else { throw Problem(.notFound, "領収書 \(number) はありません") }
    let catalogue = try await reads.catalogue(version: view.details.quote.catalogueVersion)
    let rate = view.details.quote.taxPercent
    let tax = Yen(payment.amountYen.amount * Int64(rate) / Int64(100 + rate))
    let document = H.div(
      [
        H.h2("領収書"), H.p(.text("No. \(number)　\(Formats.wareki(payment.on))")),
        H.p(.text("\(view.summary.customerName) 様")),
        .element("p", ["class": "amount"], [.element("strong", [:], [.text("金額 \(Formats.yen(payment.amountYen))")]), .text("（税込）")]),
        H.p(.text("但し \(view.details.spaceName) 使用料（\(Formats.wareki(view.details.request.date)) \(view.details.request.slot.japaneseName)）として")),
        Table(
          caption: "税率ごとの内訳", columns: [.init("税率"), .init("対象額（税込）", numeric: true), .init("うち消費税", numeric: true)],
          rows: [[.text("\(rate)%"), .text(Formats.yen(payment.amountYen)), .text(Formats.yen(tax))]]
        ).html,
        H.p(.text("支払方法: \(payment.method.japaneseName)")),
        H.div([H.p(.text(catalogue.issuer)), H.p(.text("登録番号 \(catalogue.registrationNumber)"))], class: "stamp"),
      ], class: "document", id: "receipt")
    return layout.page(title: "領収書 \(number)", user: user, content: [deskNav, document])
  }

  // MARK: - Customers and the cash close

  func customers(query: String?, user: AuthenticatedUser?, fields: FormBody? = nil, problem: Problem? = nil) async throws -> String {
    let found = try await reads.read { db, set in try BuildingQueries.customers(matching: query, in: db, set) }
    let search = HTML.element(
      "form", ["method": "get", "action": "/desk/customers", "class": "toolbar"],
      [
        .element("label", ["for": "q"], [.text("名前・フリガナ・電話")]), .element("input", ["id": "q", "name": "q", "value": query ?? ""]),
        .element("button", ["type": "submit"], [.text("検索")]),
      ])
    let canBook = user?.role == .desk || user?.role == .buildingManager
    let table = Table(
      caption: "利用者（50音順）",
      columns: [.init("名称"), .init("フリガナ"), .init("種別"), .init("区分"), .init("電話"), .init("不使用", numeric: true)] + (canBook ? [.init("")] : []),
      rows: found.map { c in
        [.text(c.name), .text(c.nameKana), .text(c.kind.japaneseName), .text(c.tier.japaneseName), .text(c.phone ?? ""), .text(String(c.noShows))]
          + (canBook
            ? [.join([H.a("この利用者で予約", href: "/desk/new?customer=\(c.id)"), .text(" "), H.a("定期利用", href: "/desk/series/new?customer=\(c.id)")])] : [])
      })
    var content: [HTML] = [deskNav, search, table.html]
    if canBook {
      var form = Form(
        action: "/desk/customers",
        fields: [
          .init("name", label: "名称", value: fields?["name"] ?? "", required: true),
          .init("nameKana", label: "フリガナ", value: fields?["nameKana"] ?? "", hint: "カタカナまたはひらがな", required: true),
          .init("kind", label: "種別", kind: .select, value: fields?["kind"] ?? "company", options: CustomerKind.allCases.map { ($0.rawValue, $0.japaneseName) }),
          .init("customerCategory", label: "利用者区分", kind: .select, value: fields?["customerCategory"] ?? "general",
            options: CustomerTier.allCases.map { ($0.rawValue, $0.japaneseName) }),
          .init("phone", label: "電話番号", value: fields?["phone"] ?? ""), .init("email", label: "メール", kind: .email, value: fields?["email"] ?? ""),
          .init("contactPerson", label: "担当者", value: fields?["contactPerson"] ?? ""),
        ], submit: "登録", csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString)
      if let problem { form.mark(problem) }
      content += [H.h2("利用者登録"), form.html]
    }
    return layout.page(title: "利用者", user: user, content: content)
  }

  func cash(date: LocalDate, user: AuthenticatedUser?, problem: Problem? = nil) async throws -> String {
    let (totals, movements, closed) = try await reads.read { db, set in
      (try BuildingQueries.cashTotals(on: date, in: db, set), try BuildingQueries.money(on: date, in: db, set), try BuildingQueries.cashClose(on: date, in: db, set))
    }
    var content: [HTML] = [deskNav]
    if let problem { content.append(.element("p", ["class": "form-error", "role": "alert"], [.text(problem.detail)])) }
    content.append(
      Table(
        caption: "日計表 \(Formats.warekiWithWeekday(date))", columns: [.init("方法"), .init("入金件数", numeric: true), .init("入金額", numeric: true), .init("還付件数", numeric: true), .init("還付額", numeric: true), .init("差引", numeric: true)],
        rows: totals.map { t in
          [
            .text(t.method.japaneseName), .text(String(t.payments)), .text(Formats.yen(t.received)), .text(String(t.refunds)), .text(Formats.yen(t.refunded)),
            .text(Formats.yen(Yen(t.received.amount - t.refunded.amount))),
          ]
        }
      ).html)
    content.append(
      Table(
        caption: "明細", columns: [.init("予約"), .init("種別"), .init("方法"), .init("金額", numeric: true), .init("領収書")],
        rows: movements.map { m in
          [H.a(m.booking, href: "/desk/bookings/\(m.booking)"), .text(m.kind == "payment" ? "入金" : "還付"), .text(m.method.japaneseName), .text(Formats.yen(m.amountYen)), .text(m.receipt ?? "")]
        }
      ).html)
    if let closed {
      content.append(
        .element("p", ["class": "notice", "id": "cash-closed"], [
          .text("締め済み（\(closed.signedBy)、\(closed.at)）" + (closed.cashCountedYen.map { "現金実査 \(Formats.yen($0))、差額 \(Formats.yen(closed.differenceYen ?? .zero))" } ?? ""))
        ]))
    } else if user?.role == .buildingManager {
      let form = Form(
        action: "/desk/cash",
        fields: [
          .init("date", label: "", kind: .hidden, value: date.description),
          .init("cashCountedYen", label: "現金実査額（円）", kind: .number, hint: "数えた現金。差額を記録します"),
        ], submit: "この日の日計を締める", csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString)
      content += [H.h2("締め（施設管理責任者）"), form.html]
    }
    return layout.page(title: "日計表", user: user, content: content)
  }
}
