/// Why a credentials operation failed, in words a person can act on. No GRDB error leaves the module.
public enum CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The password is shorter than the policy allows.
  case passwordTooShort(minimum: Int)
  /// The password is longer than bcrypt reads (72 UTF-8 bytes): the rest would be ignored.
  case passwordTooLong(maximumBytes: Int)
  /// The password contains a NUL character, which bcrypt would cut it at.
  case passwordContainsNull
  /// The credentials file cannot be opened, read or written.
  case storage(path: String, reason: String)
  /// A configuration value cannot be used.
  case invalidConfiguration(String)
  /// bcrypt could not run (the thread pool is shutting down).
  case hashingUnavailable(String)

  public var description: String {
    switch self {
    case .passwordTooShort(let minimum):
      "the password is too short: use at least \(minimum) characters"
    case .passwordTooLong(let maximum):
      "the password is too long: bcrypt reads at most \(maximum) bytes (UTF-8), and would ignore the rest"
    case .passwordContainsNull:
      "the password contains a NUL character: use printable characters"
    case .storage(let path, let reason):
      "credentials store \(path): \(reason)"
    case .invalidConfiguration(let reason):
      reason
    case .hashingUnavailable(let reason):
      "password hashing is unavailable: \(reason)"
    }
  }
}
