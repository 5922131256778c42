import Accounts
import Credentials
import EventLog
import EventLogSQLite
import Foundation
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import ServiceKit
import SharedKernel
import TestSupport
import Testing
import UserAdministration

/// A bare service with the real sign-in: users from its log, credentials in its data folder.
func credentialedApplication() async throws -> (ServiceApplication, admin: String, desk: String) {
  let folder = temporaryFolder()
  let configuration = ServiceConfiguration(
    serviceName: "kip-building", eventLog: .sqlite(path: folder.appending(path: "events.sqlite").path), dataDirectory: folder.path,
    port: 0, credentialPolicy: .testing)
  // Users registered before the service starts, as kipctl would (the service then follows the log).
  let log = try await SQLiteEventStore.open(SQLiteConfiguration(path: folder.appending(path: "events.sqlite").path))
  let credentials = try await CredentialStore.open(dataDirectory: folder.path, policy: .testing)
  let administration = UserAdministration(store: log, credentials: credentials)
  try await administration.register(
    [NewUser(login: try LoginName("root"), role: .admin), NewUser(login: try LoginName("front"), role: .desk)],
    metadata: EventMetadata(actor: "test"), now: Date())
  let admin = try await administration.issueToken(login: "root", label: "test", now: Date())
  let desk = try await administration.issueToken(login: "front", label: "test", now: Date())
  _ = try await administration.resetPassword(login: "front", to: "front-password-1", now: Date())
  await log.close()
  let app = try await ServiceApplication.open(configuration: configuration, logger: .init(label: "test"), definition: .init(title: "t"))
  return (app, admin, desk)
}

func bearer(_ token: String, key: String? = nil, _ more: HTTPFields = [:]) -> HTTPFields {
  var fields = more
  fields[.authorization] = "Bearer \(token)"
  fields[.contentType] = fields[.contentType] ?? "application/json"
  if let key { fields[.idempotencyKey] = key }
  return fields
}

@Suite("ServiceKit: users through the admin API and the users page, with the real credentials")
struct UserRoutesTests {
  @Test("an admin registers a user once per key; a changed body is 422; a taken login 409; a desk is refused")
  func register() async throws {
    let (app, admin, desk) = try await credentialedApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let body = ByteBuffer(string: #"{"login":"sato.k","name":"佐藤 花子","role":"treasury"}"#)
      let created = try await client.execute(uri: "/admin/users", method: .post, headers: bearer(admin, key: "add-sato"), body: body)
      #expect(created.status == .created, "\(String(buffer: created.body))")
      #expect(created.headers[.eTag] == "\"0\"" && created.headers[.kipPosition] != nil)
      let head = try await app.store.head().position
      let again = try await client.execute(uri: "/admin/users", method: .post, headers: bearer(admin, key: "add-sato"), body: body)
      #expect(again.status == .created && again.headers[.idempotentReplayed] == "true")
      #expect(String(buffer: again.body) == String(buffer: created.body))
      #expect(try await app.store.head().position == head, "the retry wrote nothing")
      let changed = try await client.execute(
        uri: "/admin/users", method: .post, headers: bearer(admin, key: "add-sato"),
        body: ByteBuffer(string: #"{"login":"sato.k","role":"desk"}"#))
      #expect(changed.status == .unprocessableContent)
      let taken = try await client.execute(uri: "/admin/users", method: .post, headers: bearer(admin, key: "add-sato-2"), body: body)
      #expect(taken.status == .conflict)
      let partner = try await client.execute(
        uri: "/admin/users", method: .post, headers: bearer(admin, key: "p"), body: ByteBuffer(string: #"{"login":"yokohama","role":"partner"}"#))
      #expect(partner.status == .unprocessableContent)
      #expect(try problem(partner).field == "organisation")
      let refused = try await client.execute(
        uri: "/admin/users", method: .post, headers: bearer(desk, key: "d"), body: ByteBuffer(string: #"{"login":"mallory","role":"admin"}"#))
      #expect(refused.status == .forbidden)
      let list = try await client.execute(uri: "/admin/users", method: .get, headers: bearer(admin))
      #expect(String(buffer: list.body).contains(#""login":"sato.k""#))
    }
  }

  @Test("disabling a user with a stale If-Match is 412; with the current one their token stops working at once")
  func disable() async throws {
    let (app, admin, desk) = try await credentialedApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      #expect(try await client.execute(uri: "/", method: .get, headers: bearer(desk)).status == .ok)
      let stale = try await client.execute(
        uri: "/admin/users/front/disable", method: .post, headers: bearer(admin, key: "x1", [.ifMatch: "\"5\""]))
      #expect(stale.status == .preconditionFailed && stale.headers[.eTag] == "\"0\"")
      let disabled = try await client.execute(
        uri: "/admin/users/front/disable", method: .post, headers: bearer(admin, key: "x2", [.ifMatch: "\"0\""]))
      #expect(disabled.status == .ok && disabled.headers[.eTag] == "\"1\"")
      #expect(String(buffer: disabled.body).contains(#""disabled":true"#))
      #expect(try await client.execute(uri: "/", method: .get, headers: bearer(desk)).status == .unauthorized)
      let unknown = try await client.execute(uri: "/admin/users/nobody/disable", method: .post, headers: bearer(admin, key: "x3"))
      #expect(unknown.status == .notFound)
    }
  }

  @Test("a session ends after its idle time; a locked-out login says so on the page")
  func sessionTimeoutAndLockOut() async throws {
    let (app, _, _) = try await credentialedApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let signedIn = try await postLogin(client, ["login": "front", "password": "front-password-1"])
      let session = try #require(cookie(signedIn))
      #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: session]).status == .ok)
      // Idle: move the session's last use back past the timeout in the credentials file.
      let credentials = try await CredentialStore.open(dataDirectory: app.configuration.dataDirectory, policy: .testing)
      let value = String(session.split(separator: "=", maxSplits: 1)[1])
      let id = try #require(try await credentials.cookieSigner().verify(value))
      #expect(try await credentials.session(id: id, now: Date().addingTimeInterval(31 * 60)) == nil, "idle for 31 minutes: ended")
      #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: session]).status == .seeOther)
      for _ in 0..<5 {
        _ = try await postLogin(client, ["login": "front", "password": "wrong-password"])
      }
      let locked = try await postLogin(client, ["login": "front", "password": "front-password-1"])
      #expect(locked.status == .unauthorized && String(buffer: locked.body).contains("ロックしています"))
    }
  }

  @Test("the users page registers a user once per form, shows the first password once, and keeps bad input beside its field")
  func usersPage() async throws {
    let (app, admin, _) = try await credentialedApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let page = try await client.execute(uri: "/users", method: .get, headers: [.authorization: "Bearer \(admin)"])
      let html = String(buffer: page.body)
      #expect(page.status == .ok && html.contains("ユーザー管理") && html.contains("front"))
      let key = try #require(html.firstMatch(of: /name="_idempotency_key" value="([^"]+)"/)?.1)
      var headers = formHeaders
      headers[.authorization] = "Bearer \(admin)"
      let fields = ["login": "tanaka", "name": "田中 一郎", "role": "auditor", "_idempotency_key": String(key)]
      let added = try await client.execute(uri: "/users", method: .post, headers: headers, body: form(fields))
      let shown = String(buffer: added.body)
      #expect(added.status == .ok && shown.contains("tanaka を登録しました。初回パスワード"), "\(shown.suffix(500))")
      let twice = try await client.execute(uri: "/users", method: .post, headers: headers, body: form(fields))
      #expect(String(buffer: twice.body).contains("既に受け付けています") && !String(buffer: twice.body).contains("初回パスワード"))
      let bad = try await client.execute(
        uri: "/users", method: .post, headers: headers, body: form(["login": "X", "role": "auditor", "_idempotency_key": "k2"]))
      #expect(bad.status == .unprocessableContent)
      #expect(String(buffer: bad.body).contains(#"<p class="field-error" id="field-login-error">login: "#))
    }
  }

  @Test("the users page's buttons issue a token and a password once, and disable a user")
  func usersPageActions() async throws {
    let (app, admin, desk) = try await credentialedApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      var headers = formHeaders
      headers[.authorization] = "Bearer \(admin)"
      let token = try await client.execute(uri: "/users/front/token", method: .post, headers: headers, body: form(["_idempotency_key": "t1"]))
      let issued = try #require(String(buffer: token.body).firstMatch(of: /APIトークン（この画面でのみ表示）: (kip_[A-Za-z0-9_-]+)/)?.1)
      #expect(try await client.execute(uri: "/", method: .get, headers: [.authorization: "Bearer \(issued)"]).status == .ok)
      let password = try await client.execute(uri: "/users/front/password", method: .post, headers: headers, body: form(["_idempotency_key": "p1"]))
      #expect(String(buffer: password.body).contains("front の新しいパスワード"))
      let disabled = try await client.execute(uri: "/users/front/disable", method: .post, headers: headers, body: form(["_idempotency_key": "d1"]))
      #expect(String(buffer: disabled.body).contains("front の利用を停止しました"))
      #expect(try await client.execute(uri: "/", method: .get, headers: [.authorization: "Bearer \(desk)"]).status == .unauthorized)
      var asDesk = formHeaders
      asDesk[.authorization] = "Bearer \(issued)"
      #expect(try await client.execute(uri: "/users/root/disable", method: .post, headers: asDesk, body: form(["_idempotency_key": "d2"])).status == .unauthorized)
    }
  }

  @Test("a users page button carries its own key: submitted twice it issues one token and one password, and says so")
  func usersPageDoubleSubmit() async throws {
    let (app, admin, _) = try await credentialedApplication()
    let credentials = try await CredentialStore.open(dataDirectory: app.configuration.dataDirectory, policy: .testing)
    let administration = UserAdministration(store: app.store, credentials: credentials)
    let front = try #require(try await administration.user(login: "front"))
    try await Application(router: app.makeRouter()).test(.router) { client in
      var headers = formHeaders
      headers[.authorization] = "Bearer \(admin)"
      let page = String(buffer: try await client.execute(uri: "/users", method: .get, headers: headers).body)
      /// The key of the button posting to `path`.
      func key(_ path: String) throws -> String {
        let pattern = try Regex(#"action="\#(path)" class="inline"><input type="hidden" name="_csrf"[^>]*><input type="hidden" name="_idempotency_key" value="([^"]+)""#)
        guard let match = page.firstMatch(of: pattern), let key = match.output[1].substring else {
          throw TestFailure("no idempotency key on the button for \(path)")
        }
        return String(key)
      }
      let tokenKey = try key("/users/front/token")
      let passwordKey = try key("/users/front/password")
      #expect(tokenKey != passwordKey, "one key per rendered form")

      let tokensBefore = try await credentials.tokens(of: front.id).count
      let first = String(buffer: try await client.execute(uri: "/users/front/token", method: .post, headers: headers, body: form(["_idempotency_key": tokenKey])).body)
      #expect(first.contains("front のAPIトークン（この画面でのみ表示）: kip_"))
      let again = String(buffer: try await client.execute(uri: "/users/front/token", method: .post, headers: headers, body: form(["_idempotency_key": tokenKey])).body)
      #expect(again.contains("この操作（front のAPIトークン発行）は既に受け付けています（二重送信）") && !again.contains("kip_"), "\(again.suffix(800))")
      #expect(try await credentials.tokens(of: front.id).count == tokensBefore + 1, "one token for two submits")

      let password = try await client.execute(uri: "/users/front/password", method: .post, headers: headers, body: form(["_idempotency_key": passwordKey]))
      let shown = try #require(String(buffer: password.body).firstMatch(of: /front の新しいパスワード（この画面でのみ表示）: ([^<\s]+)/)?.1)
      let twice = String(buffer: try await client.execute(uri: "/users/front/password", method: .post, headers: headers, body: form(["_idempotency_key": passwordKey])).body)
      #expect(twice.contains("既に受け付けています") && !twice.contains("新しいパスワード（"))
      #expect(try await credentials.verifyLogin(user: front.id, password: String(shown), now: Date()) == .ok, "the password shown first still works")

      // The key of one button is no key for another.
      let reused = try await client.execute(uri: "/users/front/disable", method: .post, headers: headers, body: form(["_idempotency_key": tokenKey]))
      #expect(try reused.status == .unprocessableContent && problem(reused).type == "urn:kip:problem:idempotency-key-reused")
      #expect(try await administration.user(login: "front")?.disabled == false, "and did nothing")
    }
  }

  @Test("an admin signs in with a TOTP code; one without a second factor is shown a key to enrol on the code page")
  func secondFactorWithTheRealStore() async throws {
    let (app, _, _) = try await credentialedApplication()
    let credentials = try await CredentialStore.open(dataDirectory: app.configuration.dataDirectory, policy: .testing)
    let administration = UserAdministration(store: app.store, credentials: credentials)
    _ = try await administration.resetPassword(login: "root", to: "root-password-1", now: Date())
    try await Application(router: app.makeRouter()).test(.router) { client in
      // No second factor yet: the code page offers a key.
      let first = try await postLogin(client, ["login": "root", "password": "root-password-1"])
      #expect(first.status == .seeOther && first.headers[.location]?.hasPrefix("/login/code") == true)
      let pending = try #require(cookie(first))
      #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: pending]).status == .seeOther)
      let codePage = String(buffer: try await client.execute(uri: "/login/code", method: .get, headers: [.cookie: pending]).body)
      #expect(codePage.contains(#"<code id="totp-secret">"#) && codePage.contains("otpauth://totp/"))

      // Enrolled with a known secret and activated a step ago: sign in with the current code.
      let root = try #require(await administration.user(login: "root"))
      _ = try await credentials.enrolTOTP(for: root.id, secret: "12345678901234567890")
      let totp = TOTP(secret: "12345678901234567890")
      #expect(try await credentials.verifyTOTP(user: root.id, code: String(format: "%06d", totp.compute(date: Date().addingTimeInterval(-30))), now: Date()))
      let second = try await postLogin(client, ["login": "root", "password": "root-password-1"])
      let session = try #require(cookie(second))
      let shown = String(buffer: try await client.execute(uri: "/login/code", method: .get, headers: [.cookie: session]).body)
      #expect(!shown.contains("totp-secret"), "an active second factor is not enrolled again")
      let wrong = try await postCode(client, session: session, ["code": "000000", "next": "/users"])
      #expect(wrong.status == .unauthorized)
      let right = try await postCode(client, session: session, ["code": String(format: "%06d", totp.compute(date: Date())), "next": "/users"])
      #expect(right.status == .seeOther && right.headers[.location] == "/users")
      #expect(try await client.execute(uri: "/users", method: .get, headers: [.cookie: session]).status == .ok)
    }
  }
}
