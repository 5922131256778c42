import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import SharedKernel
import TestSupport
import Testing

func form(_ fields: [String: String]) -> ByteBuffer {
  ByteBuffer(
    string: fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
      .joined(separator: "&"))
}

let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

func formHeaders(cookie: String) -> HTTPFields {
  var fields = formHeaders
  fields[.cookie] = cookie
  return fields
}

func cookie(_ response: TestResponse) -> String? {
  response.headers[.setCookie]?.split(separator: ";").first.map(String.init)
}

/// What a browser gets with a sign-in page (`/login` or `/login/code`): its CSRF cookie as
/// `name=value` and the token in the form.
func signInToken(_ client: some TestClientProtocol, page: String = "/login", cookie: String? = nil) async throws -> (cookie: String, token: String) {
  let response = try await client.execute(uri: page, method: .get, headers: cookie.map { [.cookie: $0] } ?? [:])
  guard let pair = ServiceKitTests.cookie(response), pair.hasPrefix("kip_login_csrf="),
    let token = String(buffer: response.body).firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1
  else { throw TestFailure("\(page) gave no CSRF cookie and token: \(response.headers)") }
  return (pair, String(token))
}

/// Posts the login form as a browser does: after its page, with the page's CSRF cookie and token.
func postLogin(_ client: some TestClientProtocol, _ fields: [String: String]) async throws -> TestResponse {
  let (csrf, token) = try await signInToken(client)
  return try await client.execute(
    uri: "/login", method: .post, headers: formHeaders(cookie: csrf), body: form(fields.merging(["_csrf": token]) { old, _ in old }))
}

/// Posts the code form for a session waiting for its second factor, as a browser does.
func postCode(_ client: some TestClientProtocol, session: String, _ fields: [String: String]) async throws -> TestResponse {
  let (csrf, token) = try await signInToken(client, page: "/login/code", cookie: session)
  return try await client.execute(
    uri: "/login/code", method: .post, headers: formHeaders(cookie: "\(session); \(csrf)"),
    body: form(fields.merging(["_csrf": token]) { old, _ in old }))
}

@Suite("ServiceKit: pages, sign-in, CSRF")
struct PageTests {
  @Test("a page without a session redirects to the login page, which is Japanese and escapes what was typed")
  func loginPage() async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let home = try await client.execute(uri: "/", method: .get)
      #expect(home.status == .seeOther && home.headers[.location] == "/login?next=%2F")
      let page = try await client.execute(uri: "/login?next=/", method: .get)
      let html = String(buffer: page.body)
      #expect(page.headers[.contentType] == "text/html; charset=utf-8")
      #expect(html.contains(#"<html lang="ja">"#) && html.contains("ログインID") && html.contains("パスワード"))
      let typed = try await postLogin(client, ["login": "<script>alert(1)</script>", "password": ""])
      #expect(typed.status == .unprocessableContent)
      let echoed = String(buffer: typed.body)
      #expect(!echoed.contains("<script>alert(1)</script>") && echoed.contains("&lt;script&gt;"))
      #expect(echoed.contains(#"<p class="field-error" id="field-password-error">パスワードを入力してください</p>"#))
    }
  }

  @Test("sign in, see the home page, refuse a logout without the CSRF token, log out with it")
  func signInAndOut() async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let wrong = try await postLogin(client, ["login": "desk", "password": "nope"])
      #expect(wrong.status == .unauthorized && String(buffer: wrong.body).contains("ログインIDまたはパスワードが違います"))
      #expect(cookie(wrong)?.hasPrefix("kip_session=") == false, "no session; only a new form's CSRF cookie")
      let signedIn = try await postLogin(client, ["login": "desk", "password": "pw-desk", "next": "/"])
      #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/")
      let setCookie = try #require(signedIn.headers[.setCookie])
      #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/"))
      let session = try #require(cookie(signedIn))
      let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
      let html = String(buffer: home.body)
      #expect(home.status == .ok && html.contains("施設受付 としてログインしています"))
      let csrf = try #require(html.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)

      let forged = try await client.execute(uri: "/logout", method: .post, headers: formHeaders(cookie: session), body: form(["_csrf": "guess"]))
      #expect(forged.status == .forbidden)
      #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: session]).status == .ok, "a refused logout ends nothing")
      let out = try await client.execute(
        uri: "/logout", method: .post, headers: formHeaders(cookie: session), body: form(["_csrf": String(csrf)]))
      #expect(out.status == .seeOther && out.headers[.setCookie]?.contains("Max-Age=0") == true)
      #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: session]).status == .seeOther)
    }
  }

  @Test("an admin's session counts only after the second factor; a next address off the site is ignored")
  func secondFactor() async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let first = try await postLogin(client, ["login": "admin", "password": "pw-admin", "next": "//evil.example/"])
      #expect(first.status == .seeOther && first.headers[.location] == "/login/code?next=%2F")
      let session = try #require(cookie(first))
      #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: session]).status == .seeOther, "not signed in yet")
      let wrong = try await postCode(client, session: session, ["code": "000000", "next": "/"])
      #expect(wrong.status == .unauthorized && String(buffer: wrong.body).contains("確認コードが正しくありません"))
      let right = try await postCode(client, session: session, ["code": "123 456", "next": "/"])
      #expect(right.status == .seeOther && right.headers[.location] == "/")
      #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: session]).status == .ok)
    }
  }

  @Test("a login or code post without the token matching its cookie is refused with the form and a Japanese message; no one is signed in",
    arguments: [
      ("no cookie, no token", nil, nil), ("a token but no cookie", nil, "T"), ("a cookie but no token", "T", nil),
      ("a token that is not the cookie's", "T", "forged"),
    ] as [(String, String?, String?)])
  func loginCSRF(_ what: String, cookieValue: String?, tokenValue: String?) async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let (csrf, token) = try await signInToken(client)
      var headers = formHeaders
      if cookieValue != nil { headers[.cookie] = csrf }
      var fields = ["login": "desk", "password": "pw-desk", "next": "/"]
      if let tokenValue { fields["_csrf"] = tokenValue == "T" ? token : tokenValue }
      let refused = try await client.execute(uri: "/login", method: .post, headers: headers, body: form(fields))
      let html = String(buffer: refused.body)
      #expect(refused.status == .forbidden, "\(what)")
      #expect(html.contains("このフォームは有効期限が切れたか、別の画面から送信されたため受け付けませんでした"), "\(what)")
      #expect(html.contains(#"<form method="post" action="/login""#) && html.contains(#"value="desk""#), "the form again, as typed")
      // The new form carries a new token with its cookie, so sending it again works.
      #expect(cookie(refused)?.hasPrefix("kip_login_csrf=") == true && refused.headers[.setCookie]?.contains("HttpOnly") == true)
      #expect(refused.headers[.setCookie]?.contains("SameSite=Lax") == true)

      // The right password was refused all the same: no session. An admin's code post is refused too.
      let admin = try await postLogin(client, ["login": "admin", "password": "pw-admin"])
      let pending = try #require(cookie(admin))
      let codeHeaders = formHeaders(cookie: cookieValue == nil ? pending : "\(pending); \(csrf)")
      var code = ["code": "123456", "next": "/"]
      if let tokenValue { code["_csrf"] = tokenValue == "T" ? token : tokenValue }
      let codeRefused = try await client.execute(uri: "/login/code", method: .post, headers: codeHeaders, body: form(code))
      #expect(codeRefused.status == .forbidden && String(buffer: codeRefused.body).contains("別の画面から送信された"), "\(what)")
      #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: pending]).status == .seeOther, "still not signed in")
    }
  }

  @Test("the page kit escapes text, aligns amounts, writes 和暦 and draws charts as SVG")
  func kit() throws {
    let table = Table(columns: [.init("科目"), .init("金額", numeric: true)], rows: [[.text("預託金 <A&B>"), .text(Formats.thousandYen(Yen(76_391_774_999)))]])
    #expect(table.html.markup.contains("<td>預託金 &lt;A&amp;B&gt;</td><td class=\"num\">76,391,774千円</td>"))
    #expect(Formats.warekiWithWeekday(try LocalDate(year: 2023, month: 3, day: 31)) == "令和5年3月31日（金）")
    #expect(Formats.yen(Yen(1_234_567)) == "1,234,567円")
    let chart = Chart(title: "月別利用率", style: .bar, points: [.init("4月", 60), .init("5月", 75)], format: { "\($0)%" }).html.markup
    #expect(chart.hasPrefix("<svg") && chart.components(separatedBy: "<rect").count == 3 && chart.contains("5月: 75%"))
    let line = Chart(title: "残高", style: .line, points: [.init("4月", 1), .init("5月", -2)]).html.markup
    #expect(line.contains("<polyline") && line.components(separatedBy: "<circle").count == 3)
    // A text field with options suggests them (a datalist) and still takes what is typed.
    let form = Form(
      action: "/x", fields: [.init("slot", label: "区分", value: "10:00-12:00", options: [("morning", "午前"), ("full-day", "全日")])], submit: "送信",
      csrfToken: nil, idempotencyKey: "k").html.markup
    #expect(form.contains(#"list="field-slot-choices""#) && form.contains(#"value="10:00-12:00""#))
    #expect(form.contains(#"<datalist id="field-slot-choices"><option value="morning" label="午前"></option><option value="full-day" label="全日"></option></datalist>"#), "\(form)")
  }
}
