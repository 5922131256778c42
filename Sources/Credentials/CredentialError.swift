/// Why a credentials operation failed, in words a person can act on. No GRDB error leaves the module.
public enum CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The password is shorter than the policy allows.
  case passwordTooShort(minimum: Int)
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
    case .storage(let path, let reason):
      "credentials store \(path): \(reason)"
    case .invalidConfiguration(let reason):
      reason
    case .hashingUnavailable(let reason):
      "password hashing is unavailable: \(reason)"
    }
  }
}
