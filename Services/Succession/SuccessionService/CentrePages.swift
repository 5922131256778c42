import EventLog
import Foundation
import Hummingbird
import JapaneseCalendar
import ServiceKit
import SharedKernel
import Succession
import SuccessionReadModels

/// What the centre's pages share: the service, its operations and reads, who may see what,
/// and how the pages read forms and write dates and people (in Japanese, as the staff do).
struct CentrePages: Sendable {
  let app: ServiceApplication
  let centre: Centre
  let reads: CentreReads

  var layout: Layout { app.layout }

  // MARK: Routes' documentation

  /// Staff and auditors read the staff pages; only staff post their forms.
  static let readers = APIRoutes.readers
  static let staff = APIRoutes.staff
  /// A partner organisation's users: their own page only.
  static let partners: Access = .roles([.partner])

  static let html = [RouteResponse(200, "A page", schema: .string(), mediaType: "text/html")]
  static let posted = [
    RouteResponse(303, "Done: on to the page that shows it", headers: ["Location"]),
    RouteResponse(422, "The page again, with the message beside the field", schema: .string(), mediaType: "text/html"),
    RouteResponse(409, "The page again, saying what is in the way", schema: .string(), mediaType: "text/html"),
  ]
  static let formMedia = "application/x-www-form-urlencoded"
  static let formBody = Schema.object([Form.csrfField: .string(), Form.idempotencyField: .string()], open: true)
  /// Pages take what a link sends and fall back, so their query parameters are documented without limits.
  static let after = RouteParameter("after", in: .query, schema: .string(), "Wait (briefly) until the read model has this log position")
  static let notice = RouteParameter("notice", in: .query, schema: .string(), "Which notice to show")

  // MARK: Time, writes and answers

  func today() -> LocalDate { (try? LocalDate(japanTimeOf: centre.now())) ?? LocalDate.earliest }

  /// Waits (boundedly) until the read model shows what the page before wrote (`after`).
  func wait(_ request: Request) async {
    guard let position = request.uri.queryParameters["after"].flatMap({ Int64(String($0)) }) else { return }
    _ = try? await reads.runner.waitUntil("succession", reached: position, timeout: .seconds(5))
  }

  func write(_ fields: FormBody, _ context: KIPRequestContext, path: String) -> WriteRequest {
    WriteRequest(form: fields, context: context, service: app.configuration.serviceName, path: path, client: "succession page")
  }

  /// The page a form post goes on to: a double submit says it was answered before.
  func redirect(_ path: String, _ submitted: Decisions.Submitted, notice: String) -> Response {
    pageRedirect(path, after: submitted.position, notice: submitted.replayed ? "double" : notice)
  }

  /// A refused form's page again: 409 when something is in the way, else 422.
  static func refused(_ page: String, _ problem: Problem) -> Response {
    pageResponse(page, status: problem.kind == .conflict ? .conflict : .unprocessableContent)
  }

  static let notices: [String: String] = [
    "double": "この操作は既に受け付けています（二重送信）。", "referred": "紹介を受け付けました。受付待ちに入りました。",
    "opened": "相談を案件として受け付けました。", "accept": "紹介を案件として受け付けました。", "decline": "紹介を見送りました。",
    "attach": "紹介を既存の案件に統合しました。", "stage": "段階を変更しました。", "session": "相談を記録しました。", "note": "記録を追加しました。",
    "next-action": "次の対応を設定しました。", "next-action-done": "次の対応を完了にしました。", "assign": "担当者を変更しました。",
    "diagnosed": "事業承継診断の結果を報告しました。",
  ]

  func notice(_ request: Request) -> String? { request.uri.queryParameters["notice"].flatMap { Self.notices[String($0)] } }

  /// The user's id, or 401 (every page route but the public ones has a user).
  static func me(_ context: KIPRequestContext) throws(Problem) -> UserID {
    guard let user = context.user else { throw Problem(.unauthenticated, "サインインしてください") }
    return user.id
  }

  // MARK: People

  /// Every user's name by id (a service without a directory shows the ids).
  func names() async -> [UserID: String] {
    guard let directory = app.directory else { return [:] }
    return Dictionary(await directory.users().map { ($0.id, $0.name) }) { first, _ in first }
  }

  /// The succession staff cases may be given to, by login.
  func staffMembers() async -> [(id: UserID, name: String)] {
    guard let directory = app.directory else { return [] }
    return await directory.users().filter { !$0.disabled && ($0.role == .succession || $0.role == .successionManager) }.map { ($0.id, $0.name) }
  }

  static func name(_ id: UserID?, _ names: [UserID: String]) -> String {
    guard let id else { return "未定" }
    return names[id] ?? id.rawValue
  }

  func isStaff(_ user: AuthenticatedUser?) -> Bool { user?.role == .succession || user?.role == .successionManager }

  // MARK: Drawing

  /// `2023-04-03（令和5年4月3日）`.
  static func date(_ date: LocalDate) -> String { "\(date)（\(Formats.wareki(date))）" }

  /// Where a case is: its stage, or the phase of a referral that is no case (yet).
  static func standing(_ phase: Case.Phase, _ stage: Stage?) -> String { stage?.japaneseName ?? phase.japaneseName }

  static func alert(_ text: String) -> HTML { .element("p", ["class": "form-error", "role": "alert"], [.text(text)]) }
  static func notice(_ text: String) -> HTML { .element("p", ["class": "notice", "role": "status"], [.text(text)]) }

  /// Facts as a two-column table.
  static func facts(_ rows: [(String, HTML)], id: String? = nil) -> HTML {
    .element("table", ["class": "data", "id": id], rows.map { .element("tr", [:], [.element("th", ["scope": "row"], [.text($0.0)]), .element("td", [:], [$0.1])]) })
  }

  /// The staff pages' navigation.
  var staffNav: HTML {
    H.div(
      [
        H.a("今日の仕事", href: "/desk"), H.a("紹介の受付", href: "/referrals/new"), H.a("相談の受付", href: "/consultations/new"),
        H.a("案件一覧", href: "/cases"), H.a("連携機関", href: "/partners"), H.a("KPI", href: "/kpis"),
      ], class: "toolbar no-print")
  }

  /// A staff page: the navigation, the notice or the refusal, then the content.
  func staffPage(_ title: String, user: AuthenticatedUser?, notice: String? = nil, problem: Problem? = nil, _ content: [HTML]) -> String {
    var top: [HTML] = [staffNav]
    if let notice { top.append(Self.notice(notice)) }
    if let problem { top.append(Self.alert(problem.detail)) }
    return layout.page(title: title, user: user, content: top + content)
  }

  /// A form of this service's pages: its CSRF token, a fresh idempotency key unless the form
  /// comes back with the one it was sent with, and the problem beside its field.
  static func form(
    _ action: String, _ fields: [Form.Field], submit: String, user: AuthenticatedUser?, key: String? = nil, prefix: String? = nil,
    problem: Problem? = nil, aliases: [String: String] = [:]
  ) -> Form {
    var form = Form(action: action, fields: fields, submit: submit, csrfToken: user?.session?.csrfToken, idempotencyKey: key ?? UUID().uuidString)
    form.prefix = prefix
    if let problem { form.mark(problem, aliases: aliases) }
    return form
  }

  static func options<T: RawRepresentable & CaseIterable>(_ type: T.Type, blank: String? = nil, _ label: (T) -> String) -> [(value: String, label: String)]
  where T.RawValue == String {
    (blank.map { [("", $0)] } ?? []) + T.allCases.map { ($0.rawValue, label($0)) }
  }

  // MARK: Reading forms

  /// Text as typed, nil when empty.
  static func text(_ value: String?) -> String? {
    guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
    return value
  }

  /// A whole number as typed (full-width digits and commas fine), nil when empty.
  static func number(_ value: String?, field: String, label: String) throws(Problem) -> Int? {
    guard let typed = text(value) else { return nil }
    var digits = ""
    for scalar in typed.unicodeScalars where scalar != "," && scalar != "，" {
      if (0xFF10...0xFF19).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFF10 + 0x30) { digits.unicodeScalars.append(ascii) } else {
        digits.unicodeScalars.append(scalar)
      }
    }
    guard digits.count <= 9, let number = Int(digits) else { throw Problem(.validationFailed, "\(label)は数字で入力してください（「\(typed)」）", field: field) }
    return number
  }

  /// A date as typed (ISO or 和暦), nil when empty.
  static func date(_ value: String?, field: String, label: String) throws(Problem) -> LocalDate? {
    guard let typed = text(value) else { return nil }
    do { return try LocalDate(typed: typed) } catch {
      throw Problem(.validationFailed, "\(label)「\(typed)」が読めません（例: 2023-04-03、令和5年4月3日）", field: field)
    }
  }

  /// One of a select's values, nil when none was chosen.
  static func choice<T: RawRepresentable>(_ type: T.Type, _ value: String?, field: String, label: String) throws(Problem) -> T? where T.RawValue == String {
    guard let raw = text(value) else { return nil }
    guard let chosen = T(rawValue: raw) else { throw Problem(.validationFailed, "\(label)を一覧から選んでください", field: field) }
    return chosen
  }

  static func required<T>(_ value: T?, field: String, _ message: String) throws(Problem) -> T {
    guard let value else { throw Problem(.validationFailed, message, field: field) }
    return value
  }

  static func userID(_ value: String?, field: String) throws(Problem) -> UserID? {
    guard let raw = text(value) else { return nil }
    do { return try UserID(raw) } catch { throw Problem(.validationFailed, "担当者を一覧から選んでください", field: field) }
  }

  static func caseID(_ value: String?, field: String) throws(Problem) -> CaseID? {
    guard let raw = text(value) else { return nil }
    do { return try CaseID(raw) } catch { throw Problem(.validationFailed, "案件番号「\(raw)」が読めません", field: field) }
  }
}
