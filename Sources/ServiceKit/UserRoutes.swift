public import Accounts
import AccountsReadModels
import Credentials
import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import SharedKernel
public import UserAdministration

/// A user as the admin API shows it.
struct UserView: Codable, Sendable, Equatable {
  var id: String
  var login: String
  var name: String
  var role: String
  var organisation: String?
  var disabled: Bool

  init(_ record: UserRecord) {
    id = record.id.rawValue
    login = record.login.rawValue
    name = record.name
    role = record.role.rawValue
    organisation = record.organisation?.rawValue
    disabled = record.disabled
  }

  static let schema = Schema.object(
    [
      "id": .string(), "login": .string(), "name": .string(), "role": .string(values: Role.allCases.map(\.rawValue)),
      "organisation": .string(), "disabled": .boolean,
    ], required: ["id", "login", "name", "role", "disabled"])
}

/// What an administrator sends to register a user.
struct NewUserBody: Decodable {
  var login: String
  var name: String?
  var role: String
  var organisation: String?

  /// The checked registration, or a 422 naming the field.
  func checked() throws(Problem) -> NewUser {
    let login: LoginName
    do { login = try LoginName(self.login) } catch {
      throw Problem(.validationFailed, "login: \(error.description)", field: "login")
    }
    guard let role = Role(rawValue: self.role) else {
      throw Problem(
        .validationFailed, "role '\(self.role)' is not one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))", field: "role")
    }
    var organisation: OrganisationID?
    if let text = self.organisation, !text.isEmpty {
      do { organisation = try OrganisationID(text) } catch {
        throw Problem(.validationFailed, "organisation: \(error.description)", field: "organisation")
      }
    }
    let name = self.name?.trimmingCharacters(in: .whitespaces)
    return NewUser(login: login, name: name?.isEmpty == false ? name : nil, role: role, organisation: organisation)
  }

  static let schema = Schema.object(
    [
      "login": .string(pattern: "^[a-z0-9._-]{3,64}$"), "name": .string(maxLength: 100),
      "role": .string(values: Role.allCases.map(\.rawValue)), "organisation": .string(maxLength: 128),
    ], required: ["login", "role"])
}

extension UserAdministrationError: ProblemConvertible {
  public var problem: Problem {
    switch self {
    case .unknownLogin: Problem(.notFound, description)
    case .refused(.loginTaken): Problem(.conflict, description, field: "login")
    case .refused(.partnerWithoutOrganisation), .refused(.organisationForNonPartner): Problem(.validationFailed, description, field: "organisation")
    case .refused(.invalidDisplayName): Problem(.validationFailed, description, field: "name")
    case .refused: Problem(.ruleViolated, description)
    case .disabled: Problem(.ruleViolated, description)
    case .credentials(let error): Problem(.validationFailed, error.description)
    case .log(let error): Problem(logError: error)
    case .unreadable: Problem(.unavailable, description)
    }
  }
}

extension AccountsError: ProblemConvertible {
  public var problem: Problem { UserAdministrationError.refused(self).problem }
}

/// Users for administrators: the admin API (`/admin/users`) and the page (`/users`), both over
/// the log (who, which role) and the credentials store.
enum UserRoutes {
  static func all(app: ServiceApplication, directory: UserDirectory, credentials: CredentialStore, layout: Layout) -> [Route] {
    let administration = UserAdministration(store: app.store, credentials: credentials)
    let service = app.configuration.serviceName
    let login = RouteParameter("login", in: .path, schema: .string(pattern: "^[a-z0-9._-]{3,64}$"), "The user's login name")
    let userAnswer = [RouteResponse(200, "The user", schema: UserView.schema)]

    /// Disable or enable through the conventions (If-Match, Idempotency-Key); a disabled user's
    /// sessions end and tokens stop working at once.
    @Sendable func change(_ request: Request, _ context: KIPRequestContext, disable: Bool) async throws -> Response {
      let write = try await WriteRequest(request, context: context, service: service)
      let record = try await administration.existingUser(login: try context.parameters.require("login"))
      let now = Date()
      let response = try await CommandRunner(store: app.store, codec: User.codec).respond(
        to: write, stream: try User.stream(record.id), initial: User.initialState, evolve: User.evolve,
        answer: { state, _ in UserView(state ?? record) }
      ) { state in
        try User.decide(disable ? .disable(at: now) : .enable(at: now), state)
      }
      if disable {
        try await credentials.endSessions(of: record.id)
        try await credentials.revokeTokens(of: record.id)
      }
      _ = try? await directory.catchUp()
      return response
    }

    /// One of the users page's buttons, done.
    @Sendable func perform(_ action: String, on target: String, metadata: EventMetadata, context: KIPRequestContext) async throws -> Response {
      let notice: String
      switch action {
      case "disable":
        let done = try await administration.disable(login: target, metadata: metadata, now: Date())
        notice = "\(target) の利用を停止しました（セッション \(done.sessionsEnded) 件終了、トークン \(done.tokensRevoked) 件失効）。"
      case "enable":
        try await administration.change(login: target, .enable(at: Date()), metadata: metadata)
        notice = "\(target) の利用を再開しました。"
      case "password":
        let password = CredentialStore.generatePassword()
        _ = try await administration.resetPassword(login: target, to: password, now: Date())
        notice = "\(target) の新しいパスワード（この画面でのみ表示）: \(password)"
      case "token":
        let token = try await administration.issueToken(login: target, label: "users page", now: Date())
        notice = "\(target) のAPIトークン（この画面でのみ表示）: \(token)"
      default:
        throw Problem(.notFound, "there is no action \(action) on users")
      }
      _ = try? await directory.catchUp()
      return PageRoutes.page(usersPage(layout: layout, user: context.user, users: await directory.users(), form: newUserForm(context), notice: notice))
    }

    return [
      Route(
        .get, "/admin/users", summary: "Every user: login, name, role, organisation, whether disabled.", access: .roles([.admin, .auditor]),
        responses: [RouteResponse(200, "The users", schema: .array(UserView.schema))], tag: "admin"
      ) { _, _ in try jsonResponse(await directory.users().map(UserView.init)) },
      Route(
        .post, "/admin/users", summary: "Register a user (a password or token is then set with kipctl users or the users page).",
        access: .roles([.admin]), appendsEvents: true, requestBody: NewUserBody.schema,
        responses: [RouteResponse(201, "The new user", schema: UserView.schema)], tag: "admin"
      ) { request, context in
        let write = try await WriteRequest(request, context: context, service: service)
        if let recorded = try await app.store.idempotencyRecord(scope: write.idempotency.scope, key: write.idempotency.key) {
          return try replay(recorded, of: write)
        }
        let user = try write.decode(NewUserBody.self).checked()
        do {
          let (records, result) = try await administration.register(
            [user], metadata: write.metadata, now: Date(), idempotency: write.idempotency,
            response: { records in WriteAnswer(status: .created, body: records.first.map(UserView.init)).recorded() })
          guard let record = records.first else { throw Problem(.internalError, "the user was not registered") }
          _ = try? await directory.catchUp()
          return WriteAnswer(status: .created, body: UserView(record))
            .response(stream: try User.stream(record.id), result: result, version: 0, replayed: false)
        } catch UserAdministrationError.log(.alreadyRecorded(let recorded)) {
          return try replay(recorded, of: write)
        }
      },
      Route(
        .post, "/admin/users/{login}/disable", summary: "Disable a user: they cannot sign in; their sessions end and tokens stop.",
        access: .roles([.admin]), appendsEvents: true, parameters: [login], responses: userAnswer, tag: "admin"
      ) { request, context in try await change(request, context, disable: true) },
      Route(
        .post, "/admin/users/{login}/enable", summary: "Let a disabled user sign in again.", access: .roles([.admin]),
        appendsEvents: true, parameters: [login], responses: userAnswer, tag: "admin"
      ) { request, context in try await change(request, context, disable: false) },
      Route(
        .get, "/users", summary: "The users page.", access: .roles([.admin, .auditor]),
        responses: [RouteResponse(200, "A page", schema: .string(), mediaType: "text/html")], tag: "pages", isPage: true
      ) { _, context in
        PageRoutes.page(usersPage(layout: layout, user: context.user, users: await directory.users(), form: newUserForm(context)))
      },
      Route(
        .post, "/users/{login}/{action}", summary: "From the users page: disable, enable, a new password or a new API token (shown once).",
        access: .roles([.admin]),
        parameters: [login, RouteParameter("action", in: .path, schema: .string(values: ["disable", "enable", "password", "token"]), "What to do")],
        requestBody: .object(
          [
            Form.csrfField: .string(description: "The session's CSRF token (a browser session must send it)."),
            Form.idempotencyField: .string(
              maxLength: 128,
              description: "The rendered button's own key: a second submit with it does nothing and says so (a double click never issues two passwords or tokens)."),
          ], open: true),
        requestMediaType: "application/x-www-form-urlencoded",
        responses: [
          RouteResponse(200, "The users page with what was done, or saying a repeated submit was already done", schema: .string(), mediaType: "text/html")
        ], tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        let target = try context.parameters.require("login")
        let action = try context.parameters.require("action")
        let metadata = EventMetadata(
          actor: context.user?.id.rawValue, role: context.user?.role.rawValue, correlationID: context.requestID, source: service,
          client: "users page")
        // The button's key, claimed before anything is done: a second submit of the same button
        // finds it and does nothing. (Passwords and tokens write no event, so the log's
        // idempotency records cannot do this; the credentials store keeps the keys.)
        let scope = "\(service):\(context.user?.id.rawValue ?? "anonymous")"
        let key = fields[Form.idempotencyField].flatMap { $0.isEmpty ? nil : $0 }
        if let key {
          guard key.count <= 128 else {
            throw Problem(.validationFailed, "\(Form.idempotencyField) is at most 128 characters", field: Form.idempotencyField)
          }
          switch try await credentials.claimFormSubmission(scope: scope, key: key, digest: "\(target)/\(action)", now: Date()) {
          case .first: break
          case .repeated:
            return PageRoutes.page(
              usersPage(
                layout: layout, user: context.user, users: await directory.users(), form: newUserForm(context),
                notice: "この操作（\(target) の\(UserRoutes.actionName(action))）は既に受け付けています（二重送信）。もう一度行うには画面を読み込み直してください。"))
          case .usedForAnotherRequest:
            throw Problem(logError: .idempotencyKeyReused(scope: scope, key: key))
          }
        }
        do {
          return try await perform(action, on: target, metadata: metadata, context: context)
        } catch {
          // Nothing was done: the same button may be pressed again.
          if let key { try? await credentials.releaseFormSubmission(scope: scope, key: key) }
          throw error
        }
      },
      Route(
        .post, "/users", summary: "Register a user from the users page; shows the first password once.", access: .roles([.admin]),
        requestBody: .object(["login": .string(), "name": .string(), "role": .string(), "organisation": .string()], open: true),
        requestMediaType: "application/x-www-form-urlencoded",
        responses: [
          RouteResponse(200, "The page, with the new user's first password", schema: .string(), mediaType: "text/html"),
          RouteResponse(422, "The page, with a message beside the field", schema: .string(), mediaType: "text/html"),
        ], tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        var form = newUserForm(context, fields)
        let body = NewUserBody(login: fields["login"] ?? "", name: fields["name"], role: fields["role"] ?? "", organisation: fields["organisation"])
        var notice: String?
        do {
          let user = try body.checked()
          var metadata = EventMetadata(
            actor: context.user?.id.rawValue, role: context.user?.role.rawValue, correlationID: context.requestID, source: service)
          metadata.client = "users page"
          // The form's own key: a double submit registers once and shows no second password.
          let key = IdempotencyKey(
            scope: "\(service):\(context.user?.id.rawValue ?? "anonymous")", key: fields[Form.idempotencyField] ?? UUID().uuidString,
            requestDigest: Data(body.login.utf8 + Array("|".utf8) + body.role.utf8))
          let alreadyDone = try await app.store.idempotencyRecord(scope: key.scope, key: key.key) != nil
          let (records, _) = alreadyDone ? ([], nil) : try await administration.register([user], metadata: metadata, now: Date(), idempotency: key)
          if alreadyDone {
            notice = "この登録は既に受け付けています（二重送信）。"
            form = newUserForm(context)
          }
          _ = try? await directory.catchUp()
          if let record = records.first {
            let password = CredentialStore.generatePassword()
            try await credentials.setPassword(password, for: record.id)
            notice = "\(record.login.rawValue) を登録しました。初回パスワード（この画面でのみ表示）: \(password)"
            form = newUserForm(context)
          }
        } catch let problem as Problem {
          form.mark(problem)
        } catch UserAdministrationError.log(.alreadyRecorded) {
          notice = "この登録は既に受け付けています（二重送信）。"
          form = newUserForm(context)
        } catch let error as UserAdministrationError {
          form.mark(error.problem)
        }
        let page = usersPage(layout: layout, user: context.user, users: await directory.users(), form: form, notice: notice)
        return PageRoutes.page(page, status: form.hasErrors ? .unprocessableContent : .ok)
      },
    ]
  }

  static func replay(_ recorded: IdempotencyRecord, of write: WriteRequest) throws -> Response {
    guard recorded.key.requestDigest == write.idempotency.requestDigest else {
      throw Problem(logError: .idempotencyKeyReused(scope: write.idempotency.scope, key: write.idempotency.key))
    }
    let answer = try JSONDecoder().decode(WriteAnswer.self, from: recorded.response)
    let stream = recorded.result.streamVersions.first { $0.stream.category == User.category }?.stream
    return answer.response(stream: try stream ?? StreamName("user-unknown"), result: recorded.result, version: nil, replayed: true)
  }

  /// What a users page button does, in the words of the page.
  static func actionName(_ action: String) -> String {
    switch action {
    case "disable": "利用停止"
    case "enable": "利用再開"
    case "password": "パスワード再発行"
    case "token": "APIトークン発行"
    default: action
    }
  }

  static func newUserForm(_ context: KIPRequestContext, _ fields: FormBody? = nil) -> Form {
    Form(
      action: "/users",
      fields: [
        .init("login", label: "ログインID", value: fields?["login"] ?? "", hint: "英小文字・数字・. - _ の3〜64文字", required: true),
        .init("name", label: "氏名", value: fields?["name"] ?? ""),
        .init("role", label: "役割", value: fields?["role"] ?? "", hint: Role.allCases.map { "\($0.rawValue)（\($0.displayName)）" }.joined(separator: "、"), required: true),
        .init("organisation", label: "連携支援機関ID（partner のみ）", value: fields?["organisation"] ?? ""),
      ], submit: "登録", csrfToken: context.user?.session?.csrfToken, idempotencyKey: UUID().uuidString)
  }

  static func usersPage(layout: Layout, user: AuthenticatedUser?, users: [UserRecord], form: Form, notice: String? = nil) -> String {
    let table = Table(
      caption: "ユーザー", columns: [.init("ログインID"), .init("氏名"), .init("役割"), .init("所属"), .init("状態")]
        + (user?.role == .admin ? [.init("操作")] : []),
      rows: users.sorted { $0.login.rawValue < $1.login.rawValue }.map { record in
        var cells: [HTML] = [
          .text(record.login.rawValue), .text(record.name), .text(record.role.displayName), .text(record.organisation?.rawValue ?? ""),
          .text(record.disabled ? "利用停止" : "有効"),
        ]
        if user?.role == .admin {
          let csrf = user?.session?.csrfToken
          let login = record.login.rawValue
          cells.append(
            .join([
              action("/users/\(login)/\(record.disabled ? "enable" : "disable")", record.disabled ? "利用再開" : "利用停止", csrf: csrf),
              action("/users/\(login)/password", "パスワード再発行", csrf: csrf),
              action("/users/\(login)/token", "APIトークン発行", csrf: csrf),
            ]))
        }
        return cells
      })
    var content: [HTML] = []
    if let notice { content.append(.element("p", ["class": "notice", "role": "status"], [.text(notice)])) }
    content.append(table.html)
    if user?.role == .admin { content += [H.h2("ユーザーの追加"), form.html] }
    return layout.page(title: "ユーザー管理", user: user, content: content)
  }
}

/// A one-button form that posts to `path` with the session's CSRF token and a fresh
/// idempotency key of its own, so a double submit does the work once.
func action(_ path: String, _ label: String, csrf: String?) -> HTML {
  .element(
    "form", ["method": "post", "action": path, "class": "inline"],
    [
      .element("input", ["type": "hidden", "name": Form.csrfField, "value": csrf]),
      .element("input", ["type": "hidden", "name": Form.idempotencyField, "value": UUID().uuidString]),
      .element("button", ["type": "submit"], [.text(label)]),
    ])
}

