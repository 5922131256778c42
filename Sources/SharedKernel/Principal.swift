/// Who did something (DESIGN.md's "actor"): every event records its principal.
///
/// Not named `Actor`: that would hide Swift's `Actor` protocol in every module importing SharedKernel.
///
/// JSON form, stable because it is stored in event metadata:
/// `{"kind":"user","user":"u-0042","role":"desk"}`, `{"kind":"system","name":"projection-runner"}`,
/// `{"kind":"operator","name":"kipctl"}`.
public enum Principal: Sendable, Hashable, Codable, CustomStringConvertible {
  /// A signed-in user acting in a role.
  case user(UserID, Role)
  /// The platform itself (a scheduled job, a projection runner, a migration), by component name.
  case system(String)
  /// A person at the server's console (`kipctl`), outside the role model; `name` is the OS user
  /// or the tool, for the audit trail.
  case `operator`(String)

  /// The role, for a user; `nil` for system and operator actions.
  public var role: Role? {
    if case let .user(_, role) = self { return role }
    return nil
  }

  public var description: String {
    switch self {
    case let .user(id, role): "\(id) (\(role))"
    case let .system(name): "system:\(name)"
    case let .operator(name): "operator:\(name)"
    }
  }

  private enum CodingKeys: String, CodingKey {
    case kind, user, role, name
  }

  private enum Kind: String, Codable {
    case user, system, `operator`
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    switch try container.decode(Kind.self, forKey: .kind) {
    case .user:
      self = .user(try container.decode(UserID.self, forKey: .user), try container.decode(Role.self, forKey: .role))
    case .system:
      self = .system(try container.decode(String.self, forKey: .name))
    case .operator:
      self = .operator(try container.decode(String.self, forKey: .name))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case let .user(id, role):
      try container.encode(Kind.user, forKey: .kind)
      try container.encode(id, forKey: .user)
      try container.encode(role, forKey: .role)
    case let .system(name):
      try container.encode(Kind.system, forKey: .kind)
      try container.encode(name, forKey: .name)
    case let .operator(name):
      try container.encode(Kind.operator, forKey: .kind)
      try container.encode(name, forKey: .name)
    }
  }
}
