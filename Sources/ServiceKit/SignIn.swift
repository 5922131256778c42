public import Foundation

/// What happened to a sign-in attempt.
public enum SignInResult: Sendable, Hashable {
  /// Signed in; `cookie` is the signed session cookie's value. With `secondFactorRequired` the
  /// session counts only after a TOTP code (admin and treasury-manager).
  case signedIn(cookie: String, secondFactorRequired: Bool)
  /// Refused, with the words to show (never saying which of login or password was wrong).
  case refused(String)
}

/// Signs people in and out of browser sessions: the credentials store plugs in here at start-up.
public protocol SessionAuthority: Authenticator {
  /// Checks a login and password (failed attempts count towards a lock-out).
  func signIn(login: String, password: String, now: Date) async throws -> SignInResult
  /// Completes a session waiting for its second factor; false for a wrong or reused code.
  func completeSecondFactor(sessionCookie: String, code: String, now: Date) async throws -> Bool
  /// Whether this cookie's session is waiting for its second factor.
  func awaitsSecondFactor(sessionCookie: String, now: Date) async throws -> Bool
  /// For a session waiting for its second factor whose user has none enrolled yet: a new TOTP
  /// secret to add to an authenticator app (the first good code activates it); nil otherwise.
  func secondFactorEnrolment(sessionCookie: String, now: Date) async throws -> (secret: String, url: String)?
  /// Ends the session.
  func signOut(sessionCookie: String) async throws
}

/// Form fields of an `application/x-www-form-urlencoded` body.
public struct FormBody: Sendable, Hashable {
  /// Each field's last value.
  public private(set) var fields: [String: String] = [:]
  /// Every value of each field, in the order sent (checkboxes that share a name).
  public private(set) var allValues: [String: [String]] = [:]

  /// A form of these fields (an upload's text parts).
  public init(fields pairs: [(String, String)]) {
    for (name, value) in pairs {
      fields[name] = value
      allValues[name, default: []].append(value)
    }
  }

  public init(_ body: Data) throws(Problem) {
    guard let text = String(validating: body, as: UTF8.self) else {
      throw Problem(.malformedRequest, "the form is not valid UTF-8")
    }
    for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
        throw Problem(.malformedRequest, "the form has a malformed field")
      }
      fields[name] = value
      allValues[name, default: []].append(value)
    }
  }

  /// Every value sent under `name`.
  public func values(_ name: String) -> [String] { allValues[name] ?? [] }

  public subscript(_ name: String) -> String? { fields[name] }

  private static func decode(_ part: Substring) -> String? {
    part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
  }
}
