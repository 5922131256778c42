import Accounts
import AccountsReadModels
import Credentials
import EventLog
import Foundation
import HummingbirdOTP
import SharedKernel
import Testing
import TestSupport
import UserAdministration

/// Users registered through the log, passwords set, and a SignIn over a caught-up directory.
func signInFixture() async throws -> (Fixture, SignIn) {
  let fixture = try await Fixture.make()
  let (records, _) = try await fixture.administration.register(
    [try newUser("desk", .desk), try newUser("admin", .admin)], metadata: operatorMetadata, now: now)
  for record in records { try await fixture.credentials.setPassword("password of \(record.login)", for: record.id, now: now) }
  let directory = UserDirectory(store: fixture.store)
  try await directory.catchUp()
  return (fixture, try await SignIn(directory: directory, credentials: fixture.credentials))
}

@Suite("Signing in: passwords, cookies, tokens, second factor")
struct SignInTests {
  @Test("a desk user signs in and the signed cookie finds the session; logout ends it")
  func desk() async throws {
    let (_, signIn) = try await signInFixture()
    guard case .signedIn(let user, let session, let cookie) = try await signIn.signIn(login: "desk", password: "password of desk", now: now) else {
      Issue.record("desk did not sign in")
      return
    }
    #expect(user.role == .desk)
    #expect(cookie.hasPrefix(session.id + "."))
    #expect(try await signIn.user(sessionCookie: cookie, now: now + 60)?.0.login.rawValue == "desk")
    #expect(try await signIn.user(sessionCookie: session.id + ".forged", now: now) == nil)
    try await signIn.signOut(cookie: cookie)
    #expect(try await signIn.user(sessionCookie: cookie, now: now) == nil)
  }

  @Test("wrong and unknown logins read the same; repeated failures lock out")
  func wrong() async throws {
    let (_, signIn) = try await signInFixture()
    #expect(try await signIn.signIn(login: "desk", password: "nope", now: now) == .wrongPassword(remainingAttempts: 4))
    #expect(try await signIn.signIn(login: "nobody", password: "nope", now: now) == .wrongPassword(remainingAttempts: 4))
    for _ in 0..<3 { _ = try await signIn.signIn(login: "desk", password: "nope", now: now) }
    #expect(try await signIn.signIn(login: "desk", password: "nope", now: now) == .lockedOut(until: now + 900))
  }

  @Test("an admin's session opens nothing until a TOTP code is given")
  func secondFactor() async throws {
    let (fixture, signIn) = try await signInFixture()
    let admin = try #require(await signIn.directory.user(login: "admin"))
    let enrolment = try await fixture.credentials.enrolTOTP(for: admin.id, accountName: "admin")
    guard case .secondFactorNeeded(_, _, let cookie, let state) = try await signIn.signIn(login: "admin", password: "password of admin", now: now)
    else {
      Issue.record("admin signed in without a second factor")
      return
    }
    #expect(state == .pending)
    #expect(try await signIn.user(sessionCookie: cookie, now: now) == nil)
    #expect(try await signIn.session(cookie: cookie, now: now) != nil)
    #expect(try await signIn.completeSecondFactor(cookie: "forged.cookie", code: "000000", now: now) == false)
    let secret = String(decoding: try #require(base32Decode(enrolment.secret)), as: UTF8.self)
    let code = String(format: "%06d", TOTP(secret: secret).compute(date: now))
    #expect(try await signIn.completeSecondFactor(cookie: cookie, code: code, now: now))
    #expect(try await signIn.user(sessionCookie: cookie, now: now)?.0.role == .admin)
  }

  @Test("a disabled user's token, session and password stop working")
  func disabled() async throws {
    let (fixture, signIn) = try await signInFixture()
    let token = try await fixture.administration.issueToken(login: "desk", label: "t", now: now)
    #expect(try await signIn.user(bearerToken: token)?.login.rawValue == "desk")
    guard case .signedIn(_, _, let cookie) = try await signIn.signIn(login: "desk", password: "password of desk", now: now) else {
      Issue.record("desk did not sign in")
      return
    }
    // Disabled through the log only (as another process would): the directory alone refuses.
    let runner = CommandRunner(store: fixture.store, codec: User.codec)
    let desk = try #require(await signIn.directory.user(login: "desk"))
    _ = try await runner.run(User.self, .disable(at: now), on: try User.stream(desk.id), metadata: operatorMetadata)
    try await signIn.directory.catchUp()
    #expect(try await signIn.user(bearerToken: token) == nil)
    #expect(try await signIn.user(sessionCookie: cookie, now: now) == nil)
    #expect(try await signIn.signIn(login: "desk", password: "password of desk", now: now) == .disabled)
  }
}

/// RFC 4648 base32 without padding, as authenticator apps read it.
func base32Decode(_ text: String) -> [UInt8]? {
  let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
  var bits = 0
  var value = 0
  var bytes: [UInt8] = []
  for character in text {
    guard let index = alphabet.firstIndex(of: character) else { return nil }
    value = (value << 5) | index
    bits += 5
    if bits >= 8 {
      bytes.append(UInt8((value >> (bits - 8)) & 0xFF))
      bits -= 8
      value &= (1 << bits) - 1
    }
  }
  return bytes
}
