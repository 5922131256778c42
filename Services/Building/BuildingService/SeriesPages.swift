import Building
import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// The recurring bookings' pages, in Japanese: the form that books a series, and the series
/// view (each date with its booking's status, the dates not had and why, and its end).
enum SeriesPages {
  static func all(app: ServiceApplication, desk: Desk, reads: DeskReads) -> [Route] {
    let pages = Pages(app: app, desk: desk, reads: reads)
    let html = [RouteResponse(200, "A page", schema: .string(), mediaType: "text/html")]
    let posted = [
      RouteResponse(303, "Done: on to the series' page", headers: ["Location"]),
      RouteResponse(422, "The page again, with the message beside the field", schema: .string(), mediaType: "text/html"),
    ]
    let form = "application/x-www-form-urlencoded"
    let formBody = Schema.object([Form.csrfField: .string(), Form.idempotencyField: .string()], open: true)
    let id = RouteParameter("id", in: .path, schema: .string(), "The series' id")
    return [
      Route(
        .get, "/desk/series/new", summary: "The form that books a recurring booking (定期利用).", access: APIRoutes.deskStaff,
        parameters: [
          RouteParameter("customer", in: .query, schema: .string(), "A registered customer's id to fill in"),
          RouteParameter("space", in: .query, schema: .string(), "The space to fill in"),
        ], responses: html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        var values: [String: String] = [:]
        for name in ["customer", "space"] {
          if let value = request.uri.queryParameters[Substring(name)] { values[name] = String(value) }
        }
        return pageResponse(try await pages.newSeries(values: values, user: context.user))
      },
      Route(
        .post, "/desk/series", summary: "Book a series from the form; on success to its page with the dates booked and those not.",
        access: APIRoutes.deskStaff, requestBody: formBody, requestMediaType: form, responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        do {
          let (customer, asked) = try pages.seriesRequest(fields)
          let series: SeriesID = newID("s", at: desk.now())
          let submitted = try await desk.decisions.submit(pages.write(fields, context, path: "/desk/series")) { t in
            try await desk.requestSeries(series, asked, customer: customer, in: t)
          }
          let answer = try JSONDecoder().decode(SeriesView.self, from: submitted.answer)
          return pages.redirect("/desk/series/\(answer.id)", after: submitted.position, notice: submitted.replayed ? "double" : "series-booked")
        } catch let problem as Problem {
          return pageResponse(try await pages.newSeries(values: fields.fields, user: context.user, problem: problem), status: .unprocessableContent)
        }
      },
      Route(
        .get, "/desk/series/{id}", summary: "A series: each date with its booking's status, the dates it could not have and why, and its end.",
        access: APIRoutes.readers, parameters: [id], responses: html, tag: "pages", isPage: true
      ) { request, context in
        let raw = try context.parameters.require("id")
        let notice = request.uri.queryParameters["notice"].map(String.init).flatMap { Pages.notices[$0] }
        return pageResponse(try await pages.seriesPage(raw, user: context.user, notice: notice))
      },
      Route(
        .post, "/desk/series/{id}/end", summary: "End the series from a date on (its bookings from then are cancelled by the usual schedule).",
        access: APIRoutes.deskStaff, parameters: [id], requestBody: formBody, requestMediaType: form, responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        let raw = try context.parameters.require("id")
        guard let series = try? SeriesID(raw) else { throw Problem(.notFound, "その定期利用はありません") }
        do {
          guard let from = try? LocalDate(typed: fields["from"] ?? "") else { throw Problem(.validationFailed, "終了日が読めません（例: 2027-10-01）", field: "from") }
          let submitted = try await desk.decisions.submit(pages.write(fields, context, path: "/desk/series/\(raw)/end")) { t in
            try await desk.endSeries(series, from: from, reason: fields["reason"] ?? "", in: t)
          }
          return pages.redirect("/desk/series/\(raw)", after: submitted.position, notice: submitted.replayed ? "double" : "series-ended")
        } catch let problem as Problem {
          if problem.kind == .notFound { throw problem }
          return pageResponse(try await pages.seriesPage(raw, user: context.user, problem: problem, fields: fields), status: .unprocessableContent)
        }
      },
    ]
  }
}

extension Pages {
  static let seriesNotices: [String: String] = [
    "series-booked": "定期利用を受け付けました。予約できなかった日は下に理由を示しています。", "series-ended": "定期利用を終了しました。終了日以降の予約は取り消しました。",
  ]

  /// The form's weekdays: the API's English names, labelled in Japanese, Sunday first.
  static let weekdayOptions: [(value: String, label: String)] = SeriesBody.weekdays
    .filter { $0.key.unicodeScalars.allSatisfy(\.isASCII) }
    .sorted { $0.value.rawValue < $1.value.rawValue }
    .map { ($0.key, "\($0.value.japaneseName)曜日") }

  /// The form's fields as a customer and a series request.
  func seriesRequest(_ fields: FormBody) throws(Problem) -> (CustomerID, SeriesRequest) {
    let customer = try customerID(fields["customer"])
    guard let space = try? SpaceID(fields["space"] ?? "") else { throw Problem(.validationFailed, "施設を選んでください", field: "space") }
    guard let from = try? LocalDate(typed: fields["from"] ?? "") else { throw Problem(.validationFailed, "開始日が読めません（例: 2027-04-06）", field: "from") }
    guard let until = try? LocalDate(typed: fields["until"] ?? "") else { throw Problem(.validationFailed, "終了日が読めません（例: 2028-03-28）", field: "until") }
    let slot: Slot
    do { slot = try Slot(code: fields["slot"] ?? "") } catch { throw Problem(.validationFailed, error.description, field: "slot") }
    guard let weekday = SeriesBody.weekdays[(fields["weekday"] ?? "").lowercased()] else { throw Problem(.validationFailed, "曜日を選んでください", field: "weekday") }
    let recurrence: Recurrence
    if let ordinal = Int(fields["ordinal"] ?? "") {
      recurrence = .monthly(ordinal: ordinal, weekday: weekday)
    } else {
      recurrence = .weekly(weekday: weekday, interval: Int(fields["interval"] ?? "") ?? 1)
    }
    return (
      customer,
      SeriesRequest(
        request: QuoteRequest(space: space, date: from, slot: slot), recurrence: recurrence, from: from, until: until,
        skipHolidays: fields["skipHolidays"] == "1", purpose: fields["purpose"].flatMap { $0.isEmpty ? nil : $0 },
        attendees: Int(Kana.asciiDigits(fields["attendees"] ?? "")), provisional: fields["provisional"] == "1")
    )
  }

  func newSeries(values: [String: String], user: AuthenticatedUser?, problem: Problem? = nil) async throws -> String {
    let (_, catalogue) = try await reads.catalogue()
    func value(_ name: String, _ fallback: String = "") -> String { values[name] ?? fallback }
    let spaces: [(value: String, label: String)] = catalogue.spaces.map { ($0.id.rawValue, "\($0.name)（定員\($0.capacity)名）") }
    let slots: [(value: String, label: String)] = Slot.named.map { ($0.code, $0.japaneseName) }
    var form = Form(
      action: "/desk/series",
      fields: [
        .init("customer", label: "登録済み利用者ID", value: value("customer"), hint: "利用者検索で確かめられます", required: true),
        .init("space", label: "施設", kind: .select, value: value("space"), required: true, options: spaces),
        .init("slot", label: "区分", kind: .select, value: value("slot", "evening"), options: slots),
        .init("weekday", label: "曜日", kind: .select, value: value("weekday", "tuesday"), options: Self.weekdayOptions),
        .init("interval", label: "間隔", kind: .select, value: value("interval", "1"), options: [("1", "毎週"), ("2", "隔週"), ("3", "3週ごと"), ("4", "4週ごと")]),
        .init(
          "ordinal", label: "毎月（第何週）", kind: .select, value: value("ordinal"),
          options: [("", "使わない（上の間隔で）"), ("1", "第1"), ("2", "第2"), ("3", "第3"), ("4", "第4"), ("5", "第5"), ("-1", "最終")]),
        .init("from", label: "開始日", kind: .date, value: value("from", today().description), required: true),
        .init("until", label: "終了日", kind: .date, value: value("until"), hint: "1年以内", required: true),
        .init("skipHolidays", label: "祝日", kind: .select, value: value("skipHolidays", "0"), options: [("0", "祝日も予約（土日祝料金）"), ("1", "祝日は除く")]),
        .init("provisional", label: "予約の種類", kind: .select, value: value("provisional", "0"), options: [("0", "本予約"), ("1", "仮予約")]),
        .init("attendees", label: "利用人数", kind: .number, value: value("attendees")), .init("purpose", label: "利用目的", value: value("purpose")),
      ], submit: "定期利用を予約する", csrfToken: user?.session?.csrfToken, idempotencyKey: values[Form.idempotencyField] ?? UUID().uuidString)
    if let problem { form.mark(problem, aliases: ["interval": "interval", "customer": "customer"]) }
    return layout.page(title: "定期利用の受付", user: user, content: [deskNav, form.html])
  }

  func seriesPage(_ raw: String, user: AuthenticatedUser?, notice: String? = nil, problem: Problem? = nil, fields: FormBody? = nil) async throws -> String {
    guard let id = try? SeriesID(raw) else { throw Problem(.notFound, "その定期利用はありません") }
    let view = try await desk.seriesNow(id)
    var content: [HTML] = [deskNav]
    if let notice { content.append(H.p(.text(notice), class: "notice")) }
    let statusNames = Dictionary(uniqueKeysWithValues: BookingStatus.allCases.map { ($0.rawValue, $0.japaneseName) })
    content.append(
      .element(
        "p", ["id": "series", "class": "hint"],
        [.text("\(view.customerName)・\(view.space)・\(view.recurrence) \(view.slot)・\(view.from)〜\(view.until)" + (view.endedFrom.map { "（\($0) 以降は終了）" } ?? ""))]))
    content.append(
      Table(
        caption: "予約した日（\(view.bookings.count)日）", columns: [.init("利用日"), .init("施設"), .init("区分"), .init("状態"), .init("料金", numeric: true), .init("予約")],
        rows: view.bookings.map { b in
          [
            .text(b.date), .text(b.space), .text(b.slot), .text(statusNames[b.status] ?? b.status), .text(Formats.yen(Yen(b.totalYen))),
            H.a(b.id, href: "/desk/bookings/\(b.id)"),
          ]
        }
      ).html)
    content.append(
      Table(caption: "予約できなかった日（\(view.skipped.count)日）", columns: [.init("日"), .init("理由")], rows: view.skipped.map { [.text($0.date), .text($0.reason)] }).html)
    if user?.role == .desk || user?.role == .buildingManager {
      var form = Form(
        action: "/desk/series/\(view.id)/end",
        fields: [
          .init("from", label: "この日から終了", kind: .date, value: fields?["from"] ?? "", required: true),
          .init("reason", label: "終了の理由", value: fields?["reason"] ?? "", required: true),
        ], submit: "定期利用を終了する（以降の予約を取消）", csrfToken: user?.session?.csrfToken, idempotencyKey: fields?[Form.idempotencyField] ?? UUID().uuidString)
      if let problem { form.mark(problem) }
      content += [H.h2("定期利用の終了"), H.p(.text("終了日以降の予約を、通常のキャンセル規定で取り消します。1日だけの変更・取消は各予約のページから。"), class: "hint"), form.html]
    }
    return layout.page(title: "定期利用 \(view.customerName)", user: user, content: content)
  }
}
