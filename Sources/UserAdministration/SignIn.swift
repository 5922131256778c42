public import Accounts
public import AccountsReadModels
public import Credentials
public import Foundation

/// What a sign-in attempt came to.
public enum SignInOutcome: Sendable, Hashable {
  /// Signed in: set `cookie` (the signed session id) as the session cookie.
  case signedIn(UserRecord, Session, cookie: String)
  /// The password was right and the role needs a TOTP code: set `cookie`, then ask for the code
  /// (``SignIn/completeSecondFactor(cookie:code:)``); until then the session opens no route.
  case secondFactorNeeded(UserRecord, Session, cookie: String, enrolment: TOTPState)
  /// Wrong login name or password; say so without saying which.
  case wrongPassword(remainingAttempts: Int)
  /// Too many failures; try again after `until`.
  case lockedOut(until: Date)
  /// The password was right but the user is disabled.
  case disabled
}

/// Signing in and recognising requests, without HTTP: the user directory (who, which role,
/// disabled or not) and the credentials store (passwords, tokens, sessions, TOTP) together.
/// ServiceKit's `Authenticator` and login pages sit on top of it.
public struct SignIn: Sendable {
  public let directory: UserDirectory
  public let credentials: CredentialStore
  public let signer: CookieSigner

  /// Loads (or makes, once per credentials file) the cookie key.
  public init(directory: UserDirectory, credentials: CredentialStore) async throws(CredentialError) {
    self.directory = directory
    self.credentials = credentials
    self.signer = try await credentials.cookieSigner()
  }

  /// Checks a login name and password at `now`. Unknown names take as long as known ones.
  public func signIn(login: String, password: String, now: Date) async throws(CredentialError) -> SignInOutcome {
    guard let user = await directory.user(login: login) else {
      guard case .wrongPassword(let remaining) = try await credentials.rejectUnknownLogin(password: password) else {
        return .wrongPassword(remainingAttempts: 0)
      }
      return .wrongPassword(remainingAttempts: remaining)
    }
    switch try await credentials.verifyLogin(user: user.id, password: password, now: now) {
    case .wrongPassword(let remaining): return .wrongPassword(remainingAttempts: remaining)
    case .lockedOut(let until): return .lockedOut(until: until)
    case .ok: break
    }
    guard !user.disabled else { return .disabled }
    let pending = user.role.requiresSecondFactor
    let session = try await credentials.createSession(for: user.id, now: now, secondFactorPending: pending)
    let cookie = signer.sign(session.id)
    guard pending else { return .signedIn(user, session, cookie: cookie) }
    return .secondFactorNeeded(user, session, cookie: cookie, enrolment: try await credentials.totpState(of: user.id))
  }

  /// Completes a pending second factor with a TOTP code; false for a wrong or reused code or a
  /// cookie with no live session.
  public func completeSecondFactor(cookie: String, code: String, now: Date) async throws(CredentialError) -> Bool {
    guard let (user, session) = try await session(cookie: cookie, now: now),
      try await credentials.verifyTOTP(user: user.id, code: code, now: now)
    else { return false }
    try await credentials.completeSecondFactor(sessionID: session.id)
    return true
  }

  /// The enabled user and live session of a signed cookie, also while a second factor is
  /// pending (for the code page); nil for a forged, ended or idle one.
  public func session(cookie: String, now: Date) async throws(CredentialError) -> (UserRecord, Session)? {
    guard let id = signer.verify(cookie), let session = try await credentials.session(id: id, now: now),
      let user = await directory.user(session.user), !user.disabled
    else { return nil }
    return (user, session)
  }

  /// The signed-in user of a session cookie: nil while a second factor is pending.
  public func user(sessionCookie cookie: String, now: Date) async throws(CredentialError) -> (UserRecord, Session)? {
    guard let (user, session) = try await session(cookie: cookie, now: now), !session.secondFactorPending else { return nil }
    return (user, session)
  }

  /// The enabled user an API token belongs to.
  public func user(bearerToken token: String) async throws(CredentialError) -> UserRecord? {
    guard let id = try await credentials.authenticate(token: token), let user = await directory.user(id), !user.disabled else {
      return nil
    }
    return user
  }

  /// Ends the cookie's session (logout); a forged cookie ends nothing.
  public func signOut(cookie: String) async throws(CredentialError) {
    guard let id = signer.verify(cookie) else { return }
    try await credentials.endSession(id: id)
  }
}
