import Accounts
import AccountsReadModels
import Credentials
public import Foundation
public import UserAdministration

/// The platform's sign-in: users from the log (``UserDirectory``), credentials from the
/// credentials store, behind ServiceKit's ``SessionAuthority``.
public struct CredentialAuthority: SessionAuthority {
  public let signIn: SignIn
  /// The clock that ages sessions (idle timeout).
  public let now: @Sendable () -> Date

  public init(signIn: SignIn, now: @escaping @Sendable () -> Date = { Date() }) {
    self.signIn = signIn
    self.now = now
  }

  static func user(_ record: UserRecord, session: Session?) -> AuthenticatedUser {
    AuthenticatedUser(
      id: record.id, login: record.login.rawValue, role: record.role, organisation: record.organisation?.rawValue,
      session: session.map { SessionInfo(id: $0.id, csrfToken: $0.csrfToken) })
  }

  public func user(bearerToken: String) async throws -> AuthenticatedUser? {
    try await signIn.user(bearerToken: bearerToken).map { Self.user($0, session: nil) }
  }

  public func user(sessionCookie: String) async throws -> AuthenticatedUser? {
    try await signIn.user(sessionCookie: sessionCookie, now: now()).map { Self.user($0.0, session: $0.1) }
  }

  public func signIn(login: String, password: String, now: Date) async throws -> SignInResult {
    switch try await signIn.signIn(login: login, password: password, now: now) {
    case .signedIn(_, _, let cookie): return .signedIn(cookie: cookie, secondFactorRequired: false)
    case .secondFactorNeeded(_, _, let cookie, _): return .signedIn(cookie: cookie, secondFactorRequired: true)
    case .wrongPassword(let remaining):
      return .refused("ログインIDまたはパスワードが違います" + (remaining > 0 && remaining <= 2 ? "（あと\(remaining)回失敗するとしばらくロックされます）" : ""))
    case .lockedOut(let until):
      let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
      return .refused("失敗が続いたためロックしています。\(minutes)分後にもう一度お試しください")
    case .disabled:
      return .refused("このユーザーは利用停止中です。管理者にお問い合わせください")
    }
  }

  public func completeSecondFactor(sessionCookie: String, code: String, now: Date) async throws -> Bool {
    try await signIn.completeSecondFactor(cookie: sessionCookie, code: code, now: now)
  }

  public func awaitsSecondFactor(sessionCookie: String, now: Date) async throws -> Bool {
    try await signIn.session(cookie: sessionCookie, now: now)?.1.secondFactorPending ?? false
  }

  public func secondFactorEnrolment(sessionCookie: String, now: Date) async throws -> (secret: String, url: String)? {
    guard let (user, session) = try await signIn.session(cookie: sessionCookie, now: now), session.secondFactorPending,
      try await signIn.credentials.totpState(of: user.id) != .active
    else { return nil }
    let enrolment = try await signIn.credentials.enrolTOTP(for: user.id, accountName: user.login.rawValue)
    return (enrolment.secret, enrolment.url)
  }

  public func signOut(sessionCookie: String) async throws {
    try await signIn.signOut(cookie: sessionCookie)
  }
}
