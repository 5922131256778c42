import Foundation
import HTTPTypes
public import Hummingbird
import SharedKernel

/// The pages every service has: its home page, and signing in (with TOTP where the role needs
/// it) and out. The session cookie is signed, HttpOnly and SameSite=Lax, and one cookie serves
/// all three services (they share the credentials store and its key).
enum PageRoutes {
  static func all(app: ServiceApplication, layout: Layout) -> [Route] {
    let html = [RouteResponse(200, "A page", schema: .string(), mediaType: "text/html")]
    let redirect = RouteResponse(303, "Go to the next page", headers: ["Location"])
    // A form that is refused comes back as the page, with the messages beside the fields.
    let refusedForm = [
      RouteResponse(401, "The page again, saying the sign-in was refused", schema: .string(), mediaType: "text/html"),
      RouteResponse(
        403, "The page again, with a new form: its CSRF token did not match the cookie (a stale page, or a post from another site)",
        schema: .string(), mediaType: "text/html"),
      RouteResponse(422, "The page again, with a message beside each missing field", schema: .string(), mediaType: "text/html"),
    ]
    let csrfField = Form.csrfField
    let signInFormToken = Schema.string(
      description: "The value the form page put beside its \(LoginCSRF.cookieName) cookie; the two must match (double-submit cookie).")
    let secure = app.configuration.secureCookies
    let form = "application/x-www-form-urlencoded"
    let next = RouteParameter("next", in: .query, schema: .string(), "Where to go after signing in (a path on this service)")
    var routes = [
      Route(.get, "/", summary: "The service's home page.", access: .signedIn, responses: html, tag: "pages", isPage: true) { _, context in
        let status = (try? await app.projections?.status()) ?? []
        let head = try? await app.store.head()
        let table = Table(
          caption: "読み取りモデル",
          columns: [.init("名前"), .init("版", numeric: true), .init("反映位置", numeric: true), .init("遅れ", numeric: true), .init("状態")],
          rows: status.map { projection in
            [
              .text(projection.name), .text(String(projection.version)), .text(String(projection.position)), .text(String(projection.lag)),
              .text(projection.error ?? (projection.ready ? "稼働中" : "構築中")),
            ]
          })
        let content: [HTML] = [
          H.p(.text("\(context.user?.role.displayName ?? "") としてログインしています。")),
          H.p(.text("イベントログの位置: \(head?.position ?? 0)（封印済み \(head?.sealedThrough ?? 0)）")),
          table.html,
        ]
        return page(layout.page(title: app.definitionTitle, user: context.user, content: content))
      }
    ]
    guard let authority = app.authenticator as? any SessionAuthority else { return routes }
    routes += [
      Route(
        .get, "/login", summary: "The sign-in page.", access: .anyone,
        parameters: [next], responses: html, tag: "pages", isPage: true
      ) { request, _ in
        let token = LoginCSRF.newToken()
        return loginPage(
          layout, title: "ログイン", [loginForm(next: request.uri.queryParameters["next"].map(String.init), csrf: token).html], token: token,
          secure: secure)
      },
      Route(
        .post, "/login", summary: "Sign in with a login and password (form post).", access: .anyone,
        requestBody: .object(
          ["login": .string(pattern: #"\S"#), "password": .string(pattern: #"\S"#), "next": .string(), csrfField: signInFormToken],
          required: ["login", "password"], open: true),
        requestMediaType: form, responses: [redirect] + refusedForm, tag: "pages", isPage: true
      ) { request, _ in
        let form = try await formBody(request)
        let login = form["login"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let password = form["password"] ?? ""
        let next = safeNext(form["next"])
        // Every answer with a form carries a new token (and its cookie).
        let token = LoginCSRF.newToken()
        var fields = loginForm(next: next, login: login, csrf: token)
        // Before anything else: a post whose token does not match its cookie signs no one in
        // and counts no failed attempt (login CSRF, or a page left open from before).
        guard LoginCSRF.matches(request, form) else {
          fields.error = LoginCSRF.refusal
          return loginPage(layout, title: "ログイン", [fields.html], token: token, secure: secure, status: .forbidden)
        }
        if login.isEmpty { fields.fields[0].error = "ログインIDを入力してください" }
        if password.isEmpty { fields.fields[1].error = "パスワードを入力してください" }
        guard !login.isEmpty, !password.isEmpty else {
          return loginPage(layout, title: "ログイン", [fields.html], token: token, secure: secure, status: .unprocessableContent)
        }
        switch try await authority.signIn(login: login, password: password, now: app.now()) {
        case .refused(let reason):
          fields.error = reason
          return loginPage(layout, title: "ログイン", [fields.html], token: token, secure: secure, status: .unauthorized)
        case .signedIn(let cookie, let secondFactor):
          let target = secondFactor ? "/login/code?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")" : next
          return Response(status: .seeOther, headers: [.location: target, .setCookie: sessionCookie(cookie, secure: app.configuration.secureCookies)])
        }
      },
      Route(
        .get, "/login/code", summary: "The second-factor (TOTP) page.", access: .anyone,
        parameters: [next], responses: html, tag: "pages", isPage: true
      ) { request, _ in
        let token = LoginCSRF.newToken()
        var content = [codeForm(next: safeNext(request.uri.queryParameters["next"].map(String.init)), csrf: token).html]
        if let cookie = request.cookies[SessionCookie.name]?.value,
          let enrolment = try await authority.secondFactorEnrolment(sessionCookie: cookie, now: app.now())
        {
          content.insert(
            H.div(
              [
                H.p(.text("この役割では確認コードが必要です。認証アプリに次のキーを登録し、表示された6桁のコードを入力してください。")),
                .element("p", [:], [.text("キー: "), .element("code", ["id": "totp-secret"], [.text(enrolment.secret)])]),
                .element("p", [:], [.element("small", [:], [.text(enrolment.url)])]),
              ], class: "enrolment"), at: 0)
        }
        return loginPage(layout, title: "確認コード", content, token: token, secure: secure)
      },
      Route(
        .post, "/login/code", summary: "Complete sign-in with a TOTP code (form post).", access: .anyone,
        requestBody: .object(
          ["code": .string(pattern: #"\S"#), "next": .string(), csrfField: signInFormToken], required: ["code"], open: true),
        requestMediaType: form, responses: [redirect] + refusedForm, tag: "pages", isPage: true
      ) { request, _ in
        let form = try await formBody(request)
        let next = safeNext(form["next"])
        let token = LoginCSRF.newToken()
        var fields = codeForm(next: next, csrf: token)
        guard LoginCSRF.matches(request, form) else {
          fields.error = LoginCSRF.refusal
          return loginPage(layout, title: "確認コード", [fields.html], token: token, secure: secure, status: .forbidden)
        }
        guard form["code"]?.contains(where: { !$0.isWhitespace }) == true else {
          fields.fields[0].error = "確認コードを入力してください"
          return loginPage(layout, title: "確認コード", [fields.html], token: token, secure: secure, status: .unprocessableContent)
        }
        guard let cookie = request.cookies[SessionCookie.name]?.value,
          try await authority.awaitsSecondFactor(sessionCookie: cookie, now: app.now())
        else {
          return Response(status: .seeOther, headers: [.location: "/login"])
        }
        let code = (form["code"] ?? "").filter(\.isNumber)
        guard code.count == 6, try await authority.completeSecondFactor(sessionCookie: cookie, code: code, now: app.now()) else {
          fields.fields[0].error = "6桁の確認コードが正しくありません"
          return loginPage(layout, title: "確認コード", [fields.html], token: token, secure: secure, status: .unauthorized)
        }
        return Response(status: .seeOther, headers: [.location: next])
      },
      Route(
        .post, "/logout", summary: "Sign out (form post with the CSRF token).", access: .signedIn,
        requestBody: .object([Form.csrfField: .string()], open: true), requestMediaType: form, responses: [redirect], tag: "pages",
        isPage: true
      ) { request, context in
        _ = try await pageForm(request, context: context)
        if let cookie = request.cookies[SessionCookie.name]?.value { try await authority.signOut(sessionCookie: cookie) }
        return Response(
          status: .seeOther,
          headers: [.location: "/login", .setCookie: "\(SessionCookie.name)=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"])
      },
    ]
    return routes
  }

  static func loginForm(next: String?, login: String = "", csrf: String) -> Form {
    Form(
      action: "/login",
      fields: [
        .init("login", label: "ログインID", value: login, required: true), .init("password", label: "パスワード", kind: .password, required: true),
        .init("next", label: "", kind: .hidden, value: safeNext(next)),
      ], submit: "ログイン", csrfToken: csrf, idempotencyKey: UUID().uuidString)
  }

  static func codeForm(next: String, csrf: String) -> Form {
    Form(
      action: "/login/code",
      fields: [
        .init("code", label: "確認コード（認証アプリの6桁）", kind: .number, required: true), .init("next", label: "", kind: .hidden, value: next),
      ], submit: "確認", csrfToken: csrf, idempotencyKey: UUID().uuidString)
  }

  /// A sign-in page (login or code) whose form carries `token`, with the cookie it must match.
  static func loginPage(
    _ layout: Layout, title: String, _ content: [HTML], token: String, secure: Bool, status: HTTPResponse.Status = .ok
  ) -> Response {
    var response = page(layout.page(title: title, user: nil, content: content), status: status)
    response.headers[.setCookie] = LoginCSRF.cookie(token, secure: secure)
    return response
  }

  /// Only a path on this service: never an absolute address (an open redirect).
  static func safeNext(_ next: String?) -> String {
    guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
    return next
  }

  static func sessionCookie(_ value: String, secure: Bool) -> String {
    "\(SessionCookie.name)=\(value); Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
  }

  static func formBody(_ request: Request) async throws(Problem) -> FormBody {
    try FormBody(try await JSONInput.collect(request, limit: 64 * 1024))
  }

  static func page(_ markup: String, status: HTTPResponse.Status = .ok) -> Response { pageResponse(markup, status: status) }
}

/// A page's answer: the markup as HTML, never cached, with the pages' content security policy.
public func pageResponse(_ markup: String, status: HTTPResponse.Status = .ok) -> Response {
  Response(
    status: status,
    headers: [
      .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
      .contentSecurityPolicy: "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    ],
    body: .init(byteBuffer: ByteBuffer(string: markup)))
}

/// CSRF protection of the sign-in forms, which have no session yet to hold a token: the
/// double-submit cookie pattern. The page sets a random value in an HttpOnly SameSite=Lax cookie
/// (for `/login` and `/login/code` only) and puts the same value in a hidden field; a post counts
/// only when the two match. Another site can make a browser post the form, but can neither read
/// the cookie nor set it, so it cannot send a matching field (and so cannot sign a victim in to
/// the attacker's account).
enum LoginCSRF {
  static let cookieName = "kip_login_csrf"

  /// What a refused post shows above the form.
  static let refusal =
    "このフォームは有効期限が切れたか、別の画面から送信されたため受け付けませんでした。ページを読み込み直してから、もう一度入力してください。"

  /// 32 random bytes as base64url text.
  static func newToken() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  static func cookie(_ token: String, secure: Bool) -> String {
    "\(cookieName)=\(token); Path=/login; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
  }

  /// Whether the form's hidden field equals the request's cookie (both present).
  static func matches(_ request: Request, _ form: FormBody) -> Bool {
    guard let cookie = request.cookies[cookieName]?.value, !cookie.isEmpty, let sent = form[Form.csrfField] else { return false }
    return constantTimeEqual(sent, cookie)
  }
}

/// Reads a page's form post and, for a browser session, checks its CSRF token against the
/// session's: a form posted from anywhere else is refused (403) before anything is done.
public func pageForm(_ request: Request, context: KIPRequestContext) async throws(Problem) -> FormBody {
  let form = try await PageRoutes.formBody(request)
  // Every page's form carries hidden fields (its CSRF token, its idempotency key): an empty
  // post did not come from a page.
  guard !form.fields.isEmpty else { throw Problem(.malformedRequest, "the form is empty: send it from its page") }
  // A bearer token is not sent by a browser on its own: only cookie sessions need the check.
  guard let expected = context.user?.session?.csrfToken else { return form }
  guard let sent = form[Form.csrfField], constantTimeEqual(sent, expected) else {
    throw Problem(.forbidden, "the form's CSRF token is missing or wrong; reload the page and send it again", field: Form.csrfField)
  }
  return form
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
  let x = Array(a.utf8), y = Array(b.utf8)
  guard x.count == y.count else { return false }
  return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
