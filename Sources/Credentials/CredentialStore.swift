public import Foundation
import Crypto
import GRDB
import HummingbirdBcrypt
import NIOPosix
public import SharedKernel

/// The outcome of a password check.
public enum LoginCheck: Sendable, Hashable {
  /// The password is right; the failure counter is reset.
  case ok
  /// The password is wrong (or the user has none); this many more failures lock the user out.
  case wrongPassword(remainingAttempts: Int)
  /// Too many failures: no password is checked until `until`.
  case lockedOut(until: Date)
}

/// A signed-in browser's session. `id` is the secret the cookie carries; the store keeps only
/// its SHA-256.
public struct Session: Sendable, Hashable {
  /// 32 random bytes, base64url: the cookie's value (signed, see ``CookieSigner``).
  public var id: String
  public var user: UserID
  /// The per-session token forms and scripts send back (CSRF).
  public var csrfToken: String
  public var createdAt: Date
  /// Last use, to within ``CredentialPolicy/touchInterval``.
  public var lastSeen: Date
  /// True until the user has given a TOTP code, for roles that need one.
  public var secondFactorPending: Bool
}

/// An API token as an administrator may see it: what it is for and when it was issued, never
/// the token itself.
public struct IssuedToken: Sendable, Hashable {
  public var label: String
  public var createdAt: Date
}

/// Where a user's TOTP second factor stands.
public enum TOTPState: Sendable, Hashable {
  /// No secret enrolled.
  case none
  /// A secret was handed out but no code has been verified with it yet.
  case pending
  /// A code was verified: the authenticator app works.
  case active
}

/// A new TOTP secret, to be shown once (as text and as a QR code of `url`).
public struct TOTPEnrolment: Sendable, Hashable {
  /// The secret in base32, as authenticator apps take it typed in.
  public var secret: String
  /// The `otpauth://totp/…` URL for a QR code.
  public var url: String
}

/// Password hashes, API-token hashes, sessions, failed-login counters, TOTP secrets and the
/// cookie-signing key: the small mutable store beside the event log (`credentials.sqlite` in
/// the data directory), never in it.
///
/// The three services and `kipctl` open the same file at once: it is a WAL database with a busy
/// timeout, and every read-modify-write is one transaction. Time always comes in as `now`, so
/// tests control it.
public final class CredentialStore: Sendable {
  /// The file name inside the data directory.
  public static let fileName = "credentials.sqlite"

  /// The database file.
  public let path: String
  public let policy: CredentialPolicy
  private let pool: DatabasePool

  private init(path: String, policy: CredentialPolicy, pool: DatabasePool) {
    self.path = path
    self.policy = policy
    self.pool = pool
  }

  /// Opens (creating if needed) `credentials.sqlite` in `dataDirectory`.
  public static func open(dataDirectory: String, policy: CredentialPolicy = CredentialPolicy()) async throws(CredentialError)
    -> CredentialStore
  {
    try await open(path: (dataDirectory as NSString).appendingPathComponent(fileName), policy: policy)
  }

  /// Opens (creating if needed) the store at `path` and brings its schema up to date.
  public static func open(path: String, policy: CredentialPolicy = CredentialPolicy()) async throws(CredentialError)
    -> CredentialStore
  {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty {
      do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
        throw .storage(path: path, reason: "cannot create folder \(folder): \(error.localizedDescription)")
      }
    }
    guard (4...31).contains(policy.bcryptCost) else {
      throw .invalidConfiguration("bcrypt's cost is 4 to 31, not \(policy.bcryptCost)")
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(policy.busyTimeout)
    configuration.label = "kip-credentials"
    configuration.prepareDatabase { db in
      if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = FULL") }
    }
    // Several processes creating the file at once: switching a new file to WAL answers
    // SQLITE_BUSY without waiting on the busy handler, so opening is retried until the timeout.
    let deadline = ContinuousClock.now + .milliseconds(Int64(policy.busyTimeout * 1000))
    while true {
      do {
        let pool = try DatabasePool(path: path, configuration: configuration)
        try await pool.writeWithoutTransaction { db in
          try CredentialSchema.migrate(db, path: path)
          // GRDB switches to WAL after prepareDatabase with synchronous=NORMAL: set it again.
          try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return CredentialStore(path: path, policy: policy, pool: pool)
      } catch let error as CredentialError {
        throw error
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(Int.random(in: 10...40)))
      } catch {
        throw .storage(path: path, reason: Self.describe(error))
      }
    }
  }

  /// Closes the file's connections.
  public func close() throws(CredentialError) {
    do { try pool.close() } catch { throw .storage(path: path, reason: Self.describe(error)) }
  }

  // MARK: - Passwords

  /// Sets (or replaces) the user's password, hashed with bcrypt off the cooperative pool.
  /// Also clears a lock-out: an administrator who resets a password means the user may try again.
  public func setPassword(_ password: String, for user: UserID, now: Date = Date()) async throws(CredentialError) {
    try policy.check(password: password)
    let cost = policy.bcryptCost
    let hash = try await Self.offPool { Bcrypt.hash(password, cost: cost) }
    try await write { db in
      try db.execute(
        sql: """
          INSERT INTO passwords (user, hash, changed_at) VALUES (?, ?, ?)
          ON CONFLICT(user) DO UPDATE SET hash = excluded.hash, changed_at = excluded.changed_at
          """, arguments: [user.rawValue, hash, now.milliseconds])
      try db.execute(sql: "DELETE FROM login_failures WHERE user = ?", arguments: [user.rawValue])
    }
  }

  /// A random password for a reset that an administrator hands over: 16 characters from letters
  /// and digits that cannot be confused when read aloud or copied (no 0/O, 1/l/I).
  public static func generatePassword(length: Int = 16) -> String {
    let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<max(length, 10)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
  }

  /// Whether the user has a password at all.
  public func hasPassword(_ user: UserID) async throws(CredentialError) -> Bool {
    try await read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM passwords WHERE user = ?", arguments: [user.rawValue]) ?? false }
  }

  /// Checks a password, counting failures: ``CredentialPolicy/maximumFailedLogins`` failures within
  /// ``CredentialPolicy/failureWindow`` lock the user out for ``CredentialPolicy/lockOutDuration``;
  /// a success resets the count. While locked out the password is not even checked.
  public func verifyLogin(user: UserID, password: String, now: Date) async throws(CredentialError) -> LoginCheck {
    let key = user.rawValue
    let state = try await read { db in
      (
        lockedUntil: try Int64.fetchOne(db, sql: "SELECT locked_until FROM login_failures WHERE user = ?", arguments: [key]),
        hash: try String.fetchOne(db, sql: "SELECT hash FROM passwords WHERE user = ?", arguments: [key])
      )
    }
    if let lockedUntil = state.lockedUntil, lockedUntil > now.milliseconds {
      return .lockedOut(until: Date(milliseconds: lockedUntil))
    }
    var matches = false
    // bcrypt reads 72 bytes and stops at a NUL: a longer or NUL-carrying attempt could match a
    // stored prefix, and no stored password is like that (setPassword refuses them).
    if let hash = state.hash, CredentialPolicy.bcryptReadsAll(of: password) {
      matches = try await Self.offPool { Bcrypt.verify(password, hash: hash) }
    } else {
      // As slow as a real check, so the time taken does not tell which users have a password.
      // Also for attempts no stored password could be (too long, a NUL): they are wrong.
      try await spendPasswordCheck(password)
    }
    if matches {
      try await write { db in try db.execute(sql: "DELETE FROM login_failures WHERE user = ?", arguments: [key]) }
      return .ok
    }
    let policy = self.policy
    return try await write { db in
      let nowMS = now.milliseconds
      let row = try Row.fetchOne(db, sql: "SELECT failures, first_failure_at, locked_until FROM login_failures WHERE user = ?", arguments: [key])
      // Another process may have locked the user meanwhile.
      if let lockedUntil: Int64 = row?["locked_until"], lockedUntil > nowMS { return .lockedOut(until: Date(milliseconds: lockedUntil)) }
      var failures = 1
      var first = nowMS
      if let row, row["locked_until"] as Int64? == nil, let earlier: Int64 = row["first_failure_at"],
        nowMS - earlier < policy.failureWindow.milliseconds
      {
        failures = (row["failures"] as Int? ?? 0) + 1
        first = earlier
      }
      if failures >= policy.maximumFailedLogins {
        let until = nowMS + policy.lockOutDuration.milliseconds
        try db.execute(
          sql: """
            INSERT INTO login_failures (user, failures, first_failure_at, locked_until) VALUES (?, ?, ?, ?)
            ON CONFLICT(user) DO UPDATE SET failures = excluded.failures, first_failure_at = excluded.first_failure_at,
              locked_until = excluded.locked_until
            """, arguments: [key, failures, first, until])
        return .lockedOut(until: Date(milliseconds: until))
      }
      try db.execute(
        sql: """
          INSERT INTO login_failures (user, failures, first_failure_at, locked_until) VALUES (?, ?, ?, NULL)
          ON CONFLICT(user) DO UPDATE SET failures = excluded.failures, first_failure_at = excluded.first_failure_at,
            locked_until = NULL
          """, arguments: [key, failures, first])
      return .wrongPassword(remainingAttempts: policy.maximumFailedLogins - failures)
    }
  }

  /// Answers a login attempt for a name no user has, after as long as a real check takes, so
  /// neither the answer nor the time tells an attacker which login names exist.
  public func rejectUnknownLogin(password: String) async throws(CredentialError) -> LoginCheck {
    try await spendPasswordCheck(password)
    return .wrongPassword(remainingAttempts: max(policy.maximumFailedLogins - 1, 0))
  }

  private func spendPasswordCheck(_ password: String) async throws(CredentialError) {
    let cost = policy.bcryptCost
    _ = try await Self.offPool { Bcrypt.hash(password, cost: cost) }
  }

  // MARK: - API tokens

  /// The prefix of every API token, so a leaked one is easy to recognise and search for.
  public static let tokenPrefix = "kip_"

  /// A new API token for the user: 32 random bytes, shown once; only its SHA-256 is stored.
  public func issueToken(for user: UserID, label: String, now: Date) async throws(CredentialError) -> String {
    let token = Self.tokenPrefix + Self.randomText()
    let digest = Self.sha256(token)
    try await write { db in
      try db.execute(
        sql: "INSERT INTO tokens (hash, user, label, created_at) VALUES (?, ?, ?, ?)",
        arguments: [digest, user.rawValue, label, now.milliseconds])
    }
    return token
  }

  /// The user a token belongs to, or nil for an unknown or revoked one. The caller still checks
  /// that the user is not disabled (the user directory knows).
  public func authenticate(token: String) async throws(CredentialError) -> UserID? {
    guard token.hasPrefix(Self.tokenPrefix) else { return nil }
    let digest = Self.sha256(token)
    let raw = try await read { db in try String.fetchOne(db, sql: "SELECT user FROM tokens WHERE hash = ?", arguments: [digest]) }
    return raw.flatMap { try? UserID($0) }
  }

  /// Revokes every token of the user; answers how many there were.
  @discardableResult
  public func revokeTokens(of user: UserID) async throws(CredentialError) -> Int {
    try await write { db in
      try db.execute(sql: "DELETE FROM tokens WHERE user = ?", arguments: [user.rawValue])
      return db.changesCount
    }
  }

  /// The labels and issue times of the user's tokens (never the tokens), oldest first.
  public func tokens(of user: UserID) async throws(CredentialError) -> [IssuedToken] {
    try await read { db in
      try Row.fetchAll(db, sql: "SELECT label, created_at FROM tokens WHERE user = ? ORDER BY created_at, hash", arguments: [user.rawValue])
        .map { IssuedToken(label: $0["label"], createdAt: Date(milliseconds: $0["created_at"])) }
    }
  }

  // MARK: - Sessions

  /// Starts a session: a random 32-byte id (the cookie's secret) and a per-session CSRF token.
  public func createSession(for user: UserID, now: Date, secondFactorPending: Bool) async throws(CredentialError) -> Session {
    let session = Session(
      id: Self.randomText(), user: user, csrfToken: Self.randomText(), createdAt: now.truncatedToMilliseconds,
      lastSeen: now.truncatedToMilliseconds, secondFactorPending: secondFactorPending)
    try await write { db in
      try db.execute(
        sql: """
          INSERT INTO sessions (id_hash, user, csrf_token, created_at, last_seen, second_factor_pending)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          Self.sha256(session.id), user.rawValue, session.csrfToken, now.milliseconds, now.milliseconds, secondFactorPending,
        ])
    }
    return session
  }

  /// The live session with this id, marked as used at `now`; nil when unknown, ended, or idle
  /// for longer than ``CredentialPolicy/idleTimeout`` (an idle one is deleted).
  public func session(id: String, now: Date) async throws(CredentialError) -> Session? {
    let digest = Self.sha256(id)
    let policy = self.policy
    let nowMS = now.milliseconds
    let row = try await read { db in
      try Row.fetchOne(
        db, sql: "SELECT user, csrf_token, created_at, last_seen, second_factor_pending FROM sessions WHERE id_hash = ?",
        arguments: [digest]
      ).map {
        StoredSession(
          user: $0["user"], csrfToken: $0["csrf_token"], createdAt: $0["created_at"], lastSeen: $0["last_seen"],
          secondFactorPending: $0["second_factor_pending"])
      }
    }
    guard let row, let user = try? UserID(row.user) else { return nil }
    let lastSeen = row.lastSeen
    if nowMS - lastSeen > policy.idleTimeout.milliseconds {
      try await write { db in try db.execute(sql: "DELETE FROM sessions WHERE id_hash = ?", arguments: [digest]) }
      return nil
    }
    var seen = lastSeen
    if nowMS - lastSeen >= policy.touchInterval.milliseconds {
      try await write { db in
        try db.execute(sql: "UPDATE sessions SET last_seen = MAX(last_seen, ?) WHERE id_hash = ?", arguments: [nowMS, digest])
      }
      seen = nowMS
    }
    return Session(
      id: id, user: user, csrfToken: row.csrfToken, createdAt: Date(milliseconds: row.createdAt),
      lastSeen: Date(milliseconds: seen), secondFactorPending: row.secondFactorPending)
  }

  private struct StoredSession: Sendable {
    var user: String
    var csrfToken: String
    var createdAt: Int64
    var lastSeen: Int64
    var secondFactorPending: Bool
  }

  /// Records that the session's user gave a valid second factor.
  public func completeSecondFactor(sessionID: String) async throws(CredentialError) {
    let digest = Self.sha256(sessionID)
    try await write { db in
      try db.execute(sql: "UPDATE sessions SET second_factor_pending = 0 WHERE id_hash = ?", arguments: [digest])
    }
  }

  /// Ends one session (logout).
  public func endSession(id: String) async throws(CredentialError) {
    let digest = Self.sha256(id)
    try await write { db in try db.execute(sql: "DELETE FROM sessions WHERE id_hash = ?", arguments: [digest]) }
  }

  /// Ends every session of the user (disabled, password reset); answers how many there were.
  @discardableResult
  public func endSessions(of user: UserID) async throws(CredentialError) -> Int {
    try await write { db in
      try db.execute(sql: "DELETE FROM sessions WHERE user = ?", arguments: [user.rawValue])
      return db.changesCount
    }
  }

  /// Deletes sessions idle past the timeout (housekeeping; ``session(id:now:)`` refuses them anyway).
  @discardableResult
  public func removeIdleSessions(now: Date) async throws(CredentialError) -> Int {
    let cutoff = now.milliseconds - policy.idleTimeout.milliseconds
    return try await write { db in
      try db.execute(sql: "DELETE FROM sessions WHERE last_seen < ?", arguments: [cutoff])
      return db.changesCount
    }
  }

  // MARK: - Cookie signing

  /// The key every service signs session cookies with: 32 random bytes made once, in this file,
  /// so a cookie signed by one service is valid at the others.
  public func cookieKey() async throws(CredentialError) -> Data {
    let fresh = Data(Self.randomBytes(32))
    let path = self.path
    return try await write { db in
      try db.execute(sql: "INSERT OR IGNORE INTO signing_keys (name, key) VALUES ('cookie', ?)", arguments: [fresh])
      guard let key = try Data.fetchOne(db, sql: "SELECT key FROM signing_keys WHERE name = 'cookie'") else {
        throw CredentialError.storage(path: path, reason: "the cookie key vanished while it was being read")
      }
      return key
    }
  }

  /// A signer with this store's cookie key.
  public func cookieSigner() async throws(CredentialError) -> CookieSigner {
    CookieSigner(key: try await cookieKey())
  }

  // MARK: - Internals

  func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(CredentialError) -> T {
    do { return try await pool.read(body) } catch { throw mapped(error) }
  }

  func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(CredentialError) -> T {
    // IMMEDIATE: take the write lock before reading, so a read-modify-write from another
    // process waits (busy timeout) instead of failing on a lock upgrade.
    let path = self.path
    do {
      return try await pool.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(db)
          return .commit
        }
        guard let result else { throw CredentialError.storage(path: path, reason: "a write returned nothing") }
        return result
      }
    } catch { throw mapped(error) }
  }

  private func mapped(_ error: any Error) -> CredentialError {
    if let error = error as? CredentialError { return error }
    return .storage(path: path, reason: Self.describe(error))
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? DatabaseError {
      switch error.resultCode {
      case .SQLITE_BUSY, .SQLITE_LOCKED: return "busy: another process holds the lock too long"
      case .SQLITE_READONLY: return "read-only: check the file's permissions"
      case .SQLITE_FULL: return "the disk is full"
      case .SQLITE_NOTADB, .SQLITE_CORRUPT: return "not a credentials database, or damaged"
      case .SQLITE_CANTOPEN: return "cannot open the file"
      default: return error.message ?? "\(error.resultCode)"
      }
    }
    return String(describing: error)
  }

  /// Runs slow work (bcrypt) on NIO's blocking pool, never on Swift's cooperative threads.
  static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws(CredentialError) -> T {
    do { return try await NIOThreadPool.singleton.runIfActive(body) } catch {
      throw .hashingUnavailable(String(describing: error))
    }
  }

  static func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
  }

  /// 32 random bytes as unpadded base64url text (43 characters).
  static func randomText() -> String {
    Data(randomBytes(32)).base64URLEncoded
  }

  static func sha256(_ text: String) -> Data {
    Data(SHA256.hash(data: Data(text.utf8)))
  }
}

extension Data {
  /// Unpadded base64url (RFC 4648 §5): safe in cookies, URLs and headers.
  var base64URLEncoded: String {
    base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  init?(base64URLEncoded text: String) {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    self.init(base64Encoded: base64)
  }
}

extension Date {
  /// Milliseconds since 1970, as the store keeps times.
  var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

  init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }

  var truncatedToMilliseconds: Date { Date(milliseconds: milliseconds) }
}

extension TimeInterval {
  var milliseconds: Int64 { Int64((self * 1000).rounded()) }
}
