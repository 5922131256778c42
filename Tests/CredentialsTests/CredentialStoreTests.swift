import Credentials
import Foundation
import HummingbirdOTP
import SharedKernel
import Testing
import TestSupport

/// A fresh store in a temporary folder, bcrypt at cost 4.
func freshStore(_ adjust: (inout CredentialPolicy) -> Void = { _ in }) async throws -> (CredentialStore, URL) {
  let folder = temporaryFolder()
  var policy = CredentialPolicy.testing
  adjust(&policy)
  return (try await CredentialStore.open(dataDirectory: folder.path, policy: policy), folder)
}

let t0 = Date(timeIntervalSince1970: 1_795_000_000)
let user = try! UserID("u-alice")  // A literal: valid by construction.
let other = try! UserID("u-bob")

@Suite("Credentials: passwords and lock-out")
struct PasswordTests {
  @Test("the right password is ok; a wrong one counts down the remaining attempts")
  func wrongPasswords() async throws {
    let (store, _) = try await freshStore()
    try await store.setPassword("correct horse battery", for: user, now: t0)
    #expect(try await store.verifyLogin(user: user, password: "correct horse battery", now: t0) == .ok)
    #expect(try await store.verifyLogin(user: user, password: "wrong", now: t0) == .wrongPassword(remainingAttempts: 4))
    #expect(try await store.verifyLogin(user: user, password: "wrong", now: t0) == .wrongPassword(remainingAttempts: 3))
    // A success resets the count.
    #expect(try await store.verifyLogin(user: user, password: "correct horse battery", now: t0) == .ok)
    #expect(try await store.verifyLogin(user: user, password: "wrong", now: t0) == .wrongPassword(remainingAttempts: 4))
  }

  @Test("a user without a password never logs in, and the failures count")
  func noPassword() async throws {
    let (store, _) = try await freshStore()
    #expect(try await store.verifyLogin(user: other, password: "anything at all", now: t0) == .wrongPassword(remainingAttempts: 4))
    #expect(try await store.hasPassword(other) == false)
  }

  @Test("passwords shorter than 10 characters are refused")
  func shortPassword() async throws {
    let (store, _) = try await freshStore()
    await #expect(throws: CredentialError.passwordTooShort(minimum: 10)) {
      try await store.setPassword("123456789", for: user, now: t0)
    }
    #expect(try await store.hasPassword(user) == false)
  }

  @Test("a password longer than bcrypt reads, or with a NUL, is refused")
  func unusablePasswords() async throws {
    let (store, _) = try await freshStore()
    await #expect(throws: CredentialError.passwordTooLong(maximumBytes: 72)) {
      try await store.setPassword(String(repeating: "鍵", count: 25), for: user, now: t0)
    }
    await #expect(throws: CredentialError.passwordContainsNull) {
      try await store.setPassword("0123456789\u{0}abc", for: user, now: t0)
    }
    try await store.setPassword(String(repeating: "鍵", count: 24), for: user, now: t0)
    #expect(try await store.verifyLogin(user: user, password: String(repeating: "鍵", count: 24), now: t0) == .ok)
    // What bcrypt would cut off does not sign in.
    #expect(try await store.verifyLogin(user: user, password: String(repeating: "鍵", count: 24) + "x", now: t0) == .wrongPassword(remainingAttempts: 4))
  }

  @Test("an unknown login is answered like a wrong password")
  func unknownLogin() async throws {
    let (store, _) = try await freshStore()
    #expect(try await store.rejectUnknownLogin(password: "whatever it is") == .wrongPassword(remainingAttempts: 4))
  }

  @Test("five failures within 15 minutes lock the user out for 15 minutes, even with the right password")
  func lockOut() async throws {
    let (store, _) = try await freshStore()
    try await store.setPassword("correct horse battery", for: user, now: t0)
    for minute in 0..<4 {
      _ = try await store.verifyLogin(user: user, password: "wrong", now: t0 + Double(minute) * 60)
    }
    let lockedAt = t0 + 240
    #expect(try await store.verifyLogin(user: user, password: "wrong", now: lockedAt) == .lockedOut(until: lockedAt + 900))
    #expect(try await store.verifyLogin(user: user, password: "correct horse battery", now: lockedAt + 899) == .lockedOut(until: lockedAt + 900))
    // The lock expires; the count starts again.
    #expect(try await store.verifyLogin(user: user, password: "wrong", now: lockedAt + 900) == .wrongPassword(remainingAttempts: 4))
    #expect(try await store.verifyLogin(user: user, password: "correct horse battery", now: lockedAt + 901) == .ok)
  }

  @Test("failures spread over more than the window do not lock out")
  func windowSlides() async throws {
    let (store, _) = try await freshStore()
    try await store.setPassword("correct horse battery", for: user, now: t0)
    for n in 0..<4 { _ = try await store.verifyLogin(user: user, password: "wrong", now: t0 + Double(n)) }
    #expect(try await store.verifyLogin(user: user, password: "wrong", now: t0 + 901) == .wrongPassword(remainingAttempts: 4))
  }

  @Test("the limits are configurable")
  func configurable() async throws {
    let (store, _) = try await freshStore { $0.maximumFailedLogins = 2; $0.lockOutDuration = 60 }
    _ = try await store.verifyLogin(user: user, password: "wrong", now: t0)
    #expect(try await store.verifyLogin(user: user, password: "wrong", now: t0) == .lockedOut(until: t0 + 60))
  }

  @Test("setting a password clears a lock-out")
  func resetClearsLock() async throws {
    let (store, _) = try await freshStore { $0.maximumFailedLogins = 1 }
    #expect(try await store.verifyLogin(user: user, password: "wrong", now: t0) == .lockedOut(until: t0 + 900))
    try await store.setPassword("a brand new password", for: user, now: t0)
    #expect(try await store.verifyLogin(user: user, password: "a brand new password", now: t0) == .ok)
  }
}

@Suite("Credentials: API tokens")
struct TokenTests {
  @Test("a token authenticates its user until revoked; only its hash is stored")
  func tokens() async throws {
    let (store, folder) = try await freshStore()
    let token = try await store.issueToken(for: user, label: "ci", now: t0)
    let second = try await store.issueToken(for: user, label: "laptop", now: t0 + 1)
    let bobs = try await store.issueToken(for: other, label: "bob", now: t0)
    #expect(token.hasPrefix("kip_"))
    #expect(token.count == 4 + 43)
    #expect(token != second)
    #expect(try await store.authenticate(token: token) == user)
    #expect(try await store.authenticate(token: bobs) == other)
    #expect(try await store.authenticate(token: token + "x") == nil)
    #expect(try await store.authenticate(token: "nonsense") == nil)
    #expect(try await store.tokens(of: user).map(\.label) == ["ci", "laptop"])
    #expect(try await store.revokeTokens(of: user) == 2)
    #expect(try await store.authenticate(token: token) == nil)
    #expect(try await store.authenticate(token: second) == nil)
    #expect(try await store.authenticate(token: bobs) == other)
    let bytes = try Data(contentsOf: folder.appending(path: CredentialStore.fileName))
    #expect(bytes.range(of: Data(bobs.utf8)) == nil)
  }
}

@Suite("Credentials: sessions and cookies")
struct SessionTests {
  @Test("a session lives while used and ends after 30 idle minutes")
  func idleTimeout() async throws {
    let (store, _) = try await freshStore()
    let session = try await store.createSession(for: user, now: t0, secondFactorPending: false)
    #expect(session.id != session.csrfToken)
    #expect(try await store.session(id: session.id, now: t0 + 29 * 60)?.user == user)
    // Used at minute 29, so alive at minute 58 …
    #expect(try await store.session(id: session.id, now: t0 + 58 * 60)?.csrfToken == session.csrfToken)
    // … and gone 30 minutes and a second after its last use.
    #expect(try await store.session(id: session.id, now: t0 + 88 * 60 + 1) == nil)
    #expect(try await store.session(id: session.id, now: t0 + 58 * 60) == nil)
  }

  @Test("housekeeping removes only sessions idle past the timeout")
  func housekeeping() async throws {
    let (store, _) = try await freshStore()
    let old = try await store.createSession(for: user, now: t0, secondFactorPending: false)
    let fresh = try await store.createSession(for: user, now: t0 + 20 * 60, secondFactorPending: false)
    #expect(try await store.removeIdleSessions(now: t0 + 31 * 60) == 1)
    #expect(try await store.session(id: fresh.id, now: t0 + 31 * 60) != nil)
    #expect(try await store.session(id: old.id, now: t0) == nil)
  }

  @Test("the idle timeout is configurable")
  func shortTimeout() async throws {
    let (store, _) = try await freshStore { $0.idleTimeout = 10; $0.touchInterval = 0 }
    let session = try await store.createSession(for: user, now: t0, secondFactorPending: false)
    #expect(try await store.session(id: session.id, now: t0 + 10) != nil)
    #expect(try await store.session(id: session.id, now: t0 + 21) == nil)
  }

  @Test("logout ends one session; ending a user's sessions ends them all")
  func endSessions() async throws {
    let (store, _) = try await freshStore()
    let a = try await store.createSession(for: user, now: t0, secondFactorPending: false)
    let b = try await store.createSession(for: user, now: t0, secondFactorPending: false)
    let c = try await store.createSession(for: other, now: t0, secondFactorPending: false)
    try await store.endSession(id: a.id)
    #expect(try await store.session(id: a.id, now: t0) == nil)
    #expect(try await store.session(id: b.id, now: t0) != nil)
    #expect(try await store.endSessions(of: user) == 1)
    #expect(try await store.session(id: b.id, now: t0) == nil)
    #expect(try await store.session(id: c.id, now: t0) != nil)
  }

  @Test("a second factor pending is recorded until completed")
  func secondFactor() async throws {
    let (store, _) = try await freshStore()
    let session = try await store.createSession(for: user, now: t0, secondFactorPending: true)
    #expect(try await store.session(id: session.id, now: t0)?.secondFactorPending == true)
    try await store.completeSecondFactor(sessionID: session.id)
    #expect(try await store.session(id: session.id, now: t0)?.secondFactorPending == false)
  }

  @Test("a signed cookie verifies under the same key from another handle, and a changed one does not")
  func cookies() async throws {
    let (store, folder) = try await freshStore()
    let second = try await CredentialStore.open(dataDirectory: folder.path, policy: .testing)
    let key = try await store.cookieKey()
    #expect(key.count == 32)
    #expect(try await second.cookieKey() == key)
    let signed = try await store.cookieSigner().sign("session-id_1")
    #expect(try await second.cookieSigner().verify(signed) == "session-id_1")
    var tampered = Array(signed)
    tampered[0] = tampered[0] == "t" ? "u" : "t"
    #expect(try await second.cookieSigner().verify(String(tampered)) == nil)
    #expect(CookieSigner(key: Data(repeating: 1, count: 32)).verify(signed) == nil)
    #expect(try await second.cookieSigner().verify("no-signature") == nil)
  }
}

@Suite("Credentials: TOTP")
struct TOTPTests {
  // RFC 6238 appendix B, SHA-1, the last 6 of the 8 digits.
  @Test("the RFC 6238 vectors verify at their times, with one step of drift either way", arguments: [
    (59.0, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"), (2_000_000_000, "279037"),
  ])
  func knownSecret(time: Double, code: String) async throws {
    let (store, _) = try await freshStore()
    _ = try await store.enrolTOTP(for: user, secret: "12345678901234567890")
    #expect(try await store.totpState(of: user) == .pending)
    #expect(try await store.verifyTOTP(user: user, code: code, now: Date(timeIntervalSince1970: time + 30)))
    #expect(try await store.totpState(of: user) == .active)
  }

  @Test("a code is refused two steps off, when reused, and when malformed")
  func refused() async throws {
    let (store, _) = try await freshStore()
    _ = try await store.enrolTOTP(for: user, secret: "12345678901234567890")
    let at = Date(timeIntervalSince1970: 1_111_111_109)
    #expect(try await store.verifyTOTP(user: user, code: "081804", now: at + 61) == false)
    #expect(try await store.verifyTOTP(user: user, code: "081804", now: at - 60) == false)
    #expect(try await store.verifyTOTP(user: user, code: "08180", now: at) == false)
    #expect(try await store.verifyTOTP(user: user, code: "０８１８０４", now: at) == false)
    #expect(try await store.verifyTOTP(user: user, code: "081804", now: at))
    #expect(try await store.verifyTOTP(user: user, code: "081804", now: at + 1) == false)
    #expect(try await store.verifyTOTP(user: other, code: "081804", now: at) == false)
  }

  @Test("an enrolment's base32 secret and otpauth URL give codes the store accepts")
  func enrolment() async throws {
    let (store, _) = try await freshStore()
    let enrolment = try await store.enrolTOTP(for: user, accountName: "admin")
    #expect(enrolment.url.hasPrefix("otpauth://totp/KIP:admin?secret=\(enrolment.secret)"))
    #expect(enrolment.url.contains("issuer=KIP"))
    let secret = try #require(base32Decode(enrolment.secret))
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let code = String(format: "%06d", TOTP(secret: String(decoding: secret, as: UTF8.self)).compute(date: now))
    #expect(try await store.verifyTOTP(user: user, code: code, now: now))
    // Enrolling again replaces the secret.
    _ = try await store.enrolTOTP(for: user)
    #expect(try await store.totpState(of: user) == .pending)
    #expect(try await store.verifyTOTP(user: user, code: code, now: now + 30) == false)
  }
}

@Suite("Credentials: the file")
struct FileTests {
  @Test("a file that is not a credentials database is a clear error")
  func notADatabase() async throws {
    let folder = temporaryFolder()
    try Data(repeating: 0x41, count: 4096).write(to: folder.appending(path: CredentialStore.fileName))
    await #expect(throws: CredentialError.storage(path: folder.appending(path: CredentialStore.fileName).path, reason: "not a credentials database, or damaged")) {
      try await CredentialStore.open(dataDirectory: folder.path, policy: .testing)
    }
  }

  @Test("several processes opening a new file at once all open it (the first creates, the others find it)")
  func openTogether() async throws {
    for _ in 0..<5 {
      let folder = temporaryFolder()
      let keys = try await withThrowingTaskGroup(of: Data.self) { group in
        for _ in 0..<6 {
          group.addTask { try await CredentialStore.open(dataDirectory: folder.path, policy: .testing).cookieKey() }
        }
        return try await group.reduce(into: Set<Data>()) { $0.insert($1) }
      }
      #expect(keys.count == 1)
    }
  }

  @Test("KIP_BCRYPT_COST sets the cost; a bad value is refused with the range")
  func policyFromEnvironment() throws {
    #expect(try CredentialPolicy.fromEnvironment([:]).bcryptCost == 12)
    #expect(try CredentialPolicy.fromEnvironment(["KIP_BCRYPT_COST": "4"]).bcryptCost == 4)
    #expect(throws: CredentialError.invalidConfiguration("KIP_BCRYPT_COST '3' is not a bcrypt cost (4–31)")) {
      try CredentialPolicy.fromEnvironment(["KIP_BCRYPT_COST": "3"])
    }
  }
}

@Suite("Credentials: one file, several processes")
struct SharingTests {
  @Test("two handles on one file see each other's passwords, tokens, sessions and lock-outs")
  func twoHandles() async throws {
    let (first, folder) = try await freshStore { $0.maximumFailedLogins = 2 }
    var policy = CredentialPolicy.testing
    policy.maximumFailedLogins = 2
    let second = try await CredentialStore.open(dataDirectory: folder.path, policy: policy)
    try await first.setPassword("shared secret 1", for: user, now: t0)
    #expect(try await second.verifyLogin(user: user, password: "shared secret 1", now: t0) == .ok)
    let token = try await second.issueToken(for: user, label: "x", now: t0)
    #expect(try await first.authenticate(token: token) == user)
    let session = try await first.createSession(for: user, now: t0, secondFactorPending: false)
    #expect(try await second.session(id: session.id, now: t0 + 1)?.user == user)
    _ = try await first.verifyLogin(user: user, password: "wrong", now: t0)
    #expect(try await second.verifyLogin(user: user, password: "wrong", now: t0) == .lockedOut(until: t0 + 900))
    #expect(try await first.verifyLogin(user: user, password: "shared secret 1", now: t0 + 1) == .lockedOut(until: t0 + 900))
  }

  @Test("concurrent failures from two handles are all counted")
  func concurrentFailures() async throws {
    let (first, folder) = try await freshStore { $0.maximumFailedLogins = 100 }
    var policy = CredentialPolicy.testing
    policy.maximumFailedLogins = 100
    let second = try await CredentialStore.open(dataDirectory: folder.path, policy: policy)
    try await first.setPassword("shared secret 1", for: user, now: t0)
    try await withThrowingTaskGroup(of: LoginCheck.self) { group in
      for n in 0..<20 {
        let store = n.isMultiple(of: 2) ? first : second
        group.addTask { try await store.verifyLogin(user: user, password: "wrong", now: t0) }
      }
      try await group.waitForAll()
    }
    #expect(try await first.verifyLogin(user: user, password: "wrong", now: t0) == .wrongPassword(remainingAttempts: 79))
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
    }
  }
  return bytes
}
