public import Foundation

/// The numbers behind passwords, lock-out, sessions and TOTP; one value per process, passed to
/// ``CredentialStore/open(path:policy:)``. Tests lower the bcrypt cost and shorten the times.
public struct CredentialPolicy: Sendable, Hashable {
  /// bcrypt's cost (2^cost rounds): 12 takes about a quarter of a second here, on purpose.
  public var bcryptCost: UInt8 = 12
  /// Shortest password accepted.
  public var minimumPasswordLength = 10
  /// Failed logins within ``failureWindow`` that lock a user out.
  public var maximumFailedLogins = 5
  /// How far back failed logins count.
  public var failureWindow: TimeInterval = 15 * 60
  /// How long a lock-out lasts.
  public var lockOutDuration: TimeInterval = 15 * 60
  /// A session unused for this long has ended.
  public var idleTimeout: TimeInterval = 30 * 60
  /// A session's last use is written at most this often, so every request is not a disk write;
  /// the idle timeout is exact to within this.
  public var touchInterval: TimeInterval = 60
  /// The issuer shown by authenticator apps.
  public var totpIssuer = "KIP"
  /// How long a SQLite writer waits for another process's lock.
  public var busyTimeout: TimeInterval = 5

  public init() {}

  /// The defaults, with `KIP_BCRYPT_COST` (4–31) if set: tests and the demo lower it. Every
  /// executable reads it the same way, once, at start-up.
  public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(CredentialError) -> CredentialPolicy
  {
    var policy = CredentialPolicy()
    if let text = environment["KIP_BCRYPT_COST"], !text.isEmpty {
      guard let cost = UInt8(text), (4...31).contains(cost) else { throw .invalidConfiguration("KIP_BCRYPT_COST '\(text)' is not a bcrypt cost (4–31)") }
      policy.bcryptCost = cost
    }
    return policy
  }

  /// Longest password bcrypt reads, in UTF-8 bytes.
  public static let maximumPasswordBytes = 72

  /// Refuses a password that is too short, longer than bcrypt reads, or has a NUL in it.
  public func check(password: String) throws(CredentialError) {
    guard password.count >= minimumPasswordLength else { throw .passwordTooShort(minimum: minimumPasswordLength) }
    guard password.utf8.count <= Self.maximumPasswordBytes else { throw .passwordTooLong(maximumBytes: Self.maximumPasswordBytes) }
    guard !password.utf8.contains(0) else { throw .passwordContainsNull }
  }

  /// Whether bcrypt reads every byte of `password` (at most 72, no NUL).
  static func bcryptReadsAll(of password: String) -> Bool {
    password.utf8.count <= maximumPasswordBytes && !password.utf8.contains(0)
  }

  /// Defaults with a low bcrypt cost, for tests.
  public static var testing: CredentialPolicy {
    var policy = CredentialPolicy()
    policy.bcryptCost = 4
    return policy
  }
}
