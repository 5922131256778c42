import Building
import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// The desk's page of calendar links: issue one for a space or a customer (its URL shown once,
/// on the page that issued it), see the links, revoke one.
enum CalendarPages {
  static func all(app: ServiceApplication, desk: Desk, reads: DeskReads) -> [Route] {
    let pages = Pages(app: app, desk: desk, reads: reads)
    let html = [RouteResponse(200, "A page", schema: .string(), mediaType: "text/html")]
    let posted = [
      RouteResponse(200, "The page with the new link's URL (shown only here)", schema: .string(), mediaType: "text/html"),
      RouteResponse(303, "Done: back to the links", headers: ["Location"]),
      RouteResponse(422, "The page again, with the message beside the field", schema: .string(), mediaType: "text/html"),
    ]
    let formBody = Schema.object([Form.csrfField: .string(), Form.idempotencyField: .string()], open: true)
    return [
      Route(
        .get, "/desk/calendars", summary: "Calendar links (iCalendar) for spaces and customers: issue, list, revoke.", access: APIRoutes.deskStaff,
        responses: html, tag: "pages", isPage: true, readsModels: true
      ) { _, context in
        pageResponse(try await pages.calendars(user: context.user))
      },
      Route(
        .post, "/desk/calendars", summary: "Issue a calendar link from the form; the page shows its URL this once.", access: APIRoutes.deskStaff,
        requestBody: formBody, requestMediaType: "application/x-www-form-urlencoded", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        do {
          let target: CalendarLinks.Target
          if let customer = fields["customer"], !customer.trimmingCharacters(in: .whitespaces).isEmpty {
            target = .customer(try pages.customerID(customer))
          } else {
            guard let space = try? SpaceID(fields["space"] ?? "") else { throw Problem(.validationFailed, "施設か利用者IDを選んでください", field: "space") }
            target = .space(space)
          }
          let token = Desk.newCalendarToken()
          let submitted = try await desk.decisions.submit(pages.write(fields, context, path: "/desk/calendars")) { t in
            try await desk.issueCalendarLink(for: target, tokenHash: Desk.calendarTokenHash(token), in: t)
          }
          guard !submitted.replayed else { return pages.redirect("/desk/calendars", after: nil, notice: "double") }
          return pageResponse(try await pages.calendars(user: context.user, issuedURL: "/calendar/\(token).ics"))
        } catch let problem as Problem {
          return pageResponse(try await pages.calendars(user: context.user, problem: problem), status: .unprocessableContent)
        }
      },
      Route(
        .post, "/desk/calendars/{id}/revoke", summary: "Revoke a calendar link from the page.", access: APIRoutes.deskStaff,
        parameters: [RouteParameter("id", in: .path, schema: .string(), "The link's id")], requestBody: formBody,
        requestMediaType: "application/x-www-form-urlencoded", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        let id = try context.parameters.require("id")
        do {
          _ = try await desk.decisions.submit(pages.write(fields, context, path: "/desk/calendars/\(id)/revoke")) { t in try await desk.revokeCalendarLink(id, in: t) }
          return pages.redirect("/desk/calendars", after: nil, notice: "calendar-revoked")
        } catch let problem as Problem {
          return pageResponse(try await pages.calendars(user: context.user, problem: problem), status: .unprocessableContent)
        }
      },
    ]
  }
}

extension Pages {
  func calendars(user: AuthenticatedUser?, issuedURL: String? = nil, problem: Problem? = nil) async throws -> String {
    let (_, catalogue) = try await reads.catalogue()
    let links = try await desk.calendarLinks().links
    var content: [HTML] = [deskNav]
    if let issuedURL {
      content.append(
        .element(
          "p", ["class": "notice", "id": "issued"],
          [.text("カレンダーのリンクを発行しました。このページでしか表示しません。カレンダーアプリに登録してください: "), .element("code", [:], [.text(issuedURL)])]))
    }
    let names = Dictionary(catalogue.spaces.map { ($0.id, $0.name) }) { a, _ in a }
    content.append(
      Table(
        caption: "カレンダーのリンク", columns: [.init("対象"), .init("発行"), .init("状態"), .init("")],
        rows: links.map { link in
          let target: String
          switch link.target {
          case .space(let space): target = "施設 \(names[space] ?? space.rawValue)"
          case .customer(let customer): target = "利用者 \(customer)"
          }
          let revoke: HTML =
            link.revoked
            ? .empty
            : Form(action: "/desk/calendars/\(link.id)/revoke", fields: [], submit: "無効にする", csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString).html
          return [.text(target), .text(link.issuedAt.description), .text(link.revoked ? "無効" : "有効"), revoke]
        }
      ).html)
    var form = Form(
      action: "/desk/calendars",
      fields: [
        .init("space", label: "施設", kind: .select, value: "", options: [("", "—")] + catalogue.spaces.map { ($0.id.rawValue, $0.name) }),
        .init("customer", label: "または登録済み利用者ID", value: "", hint: "利用者のカレンダーは、その利用者の予約だけを載せます"),
      ], submit: "リンクを発行", csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString)
    if let problem { form.mark(problem) }
    content += [H.h2("リンクの発行（秘密のURL：知っている人は誰でも予約を見られます）"), form.html]
    return layout.page(title: "カレンダー", user: user, content: content)
  }
}
