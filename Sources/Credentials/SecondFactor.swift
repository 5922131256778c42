public import Foundation
import GRDB
import HummingbirdOTP
public import SharedKernel

/// TOTP (RFC 6238: 6 digits, 30-second steps, HMAC-SHA1, as authenticator apps expect) as the
/// second factor for the roles that need one (admin, treasury-manager).
extension CredentialStore {
  /// Seconds per TOTP step.
  public static let totpStep = 30

  /// Hands out a new TOTP secret for the user (replacing any earlier one, which stops working).
  /// The second factor is ``TOTPState/pending`` until a code from it is verified.
  ///
  /// - Parameter accountName: what the authenticator app shows beside the issuer (the login name).
  public func enrolTOTP(for user: UserID, accountName: String? = nil) async throws(CredentialError) -> TOTPEnrolment {
    // HummingbirdOTP keys the HMAC with the secret's UTF-8 bytes: 26 letters and digits give
    // about 150 bits, and the base32 of those bytes is what the app is given.
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    var generator = SystemRandomNumberGenerator()
    let secret = String((0..<26).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    return try await enrolTOTP(for: user, secret: secret, accountName: accountName)
  }

  /// Enrols a given secret: for tests with the RFC 6238 vectors.
  package func enrolTOTP(for user: UserID, secret: String, accountName: String? = nil) async throws(CredentialError)
    -> TOTPEnrolment
  {
    let url = TOTP(secret: secret).createAuthenticatorURL(
      label: "\(policy.totpIssuer):\(accountName ?? user.rawValue)", issuer: policy.totpIssuer)
    guard let base32 = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "secret" })?.value else {
      throw .storage(path: path, reason: "the TOTP library made an authenticator URL without a secret: \(url)")
    }
    try await write { db in
      try db.execute(
        sql: """
          INSERT INTO totp (user, secret, confirmed, last_used_step) VALUES (?, ?, 0, NULL)
          ON CONFLICT(user) DO UPDATE SET secret = excluded.secret, confirmed = 0, last_used_step = NULL
          """, arguments: [user.rawValue, secret])
    }
    return TOTPEnrolment(secret: base32, url: url)
  }

  /// Whether the user has a TOTP secret, and whether a code from it was ever verified.
  public func totpState(of user: UserID) async throws(CredentialError) -> TOTPState {
    let confirmed = try await read { db in
      try Bool.fetchOne(db, sql: "SELECT confirmed FROM totp WHERE user = ?", arguments: [user.rawValue])
    }
    switch confirmed {
    case nil: return .none
    case false?: return .pending
    case true?: return .active
    }
  }

  /// Removes the user's TOTP secret (a lost phone; the user enrols again).
  public func removeTOTP(of user: UserID) async throws(CredentialError) {
    try await write { db in try db.execute(sql: "DELETE FROM totp WHERE user = ?", arguments: [user.rawValue]) }
  }

  /// Checks a 6-digit code at `now`, accepting the step before and after for clock drift.
  /// A code is accepted once: a code of the same or an earlier step than one already used is
  /// refused, also when another service process accepted it. The first accepted code makes the
  /// enrolment ``TOTPState/active``.
  public func verifyTOTP(user: UserID, code: String, now: Date) async throws(CredentialError) -> Bool {
    let digits = code.filter { !$0.isWhitespace }
    guard digits.count == 6, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return false }
    let secret = try await read { db in
      try String.fetchOne(db, sql: "SELECT secret FROM totp WHERE user = ?", arguments: [user.rawValue])
    }
    guard let secret else { return false }
    let totp = TOTP(secret: secret)
    let current = Int64((now.timeIntervalSince1970 / Double(Self.totpStep)).rounded(.down))
    guard
      let step = [current - 1, current, current + 1].first(where: { step in
        totp.compute(date: Date(timeIntervalSince1970: Double(step) * Double(Self.totpStep))) == value
      })
    else { return false }
    let key = user.rawValue
    return try await write { db in
      try db.execute(
        sql: """
          UPDATE totp SET last_used_step = ?, confirmed = 1
          WHERE user = ? AND secret = ? AND (last_used_step IS NULL OR last_used_step < ?)
          """, arguments: [step, key, secret, step])
      return db.changesCount == 1
    }
  }
}
