public import EventLog
public import Foundation
public import SharedKernel

/// What the platform knows about a registered user: the state of a `user-<id>` stream, and the
/// row the user directory answers with.
public struct UserRecord: Sendable, Hashable, Codable {
  public var id: UserID
  public var login: LoginName
  /// The name shown on pages and in the audit trail.
  public var name: String
  public var role: Role
  /// The network organisation of a partner user; nil for every other role.
  public var organisation: OrganisationID?
  /// A disabled user cannot sign in or use a token.
  public var disabled: Bool

  public init(id: UserID, login: LoginName, name: String, role: Role, organisation: OrganisationID?, disabled: Bool) {
    self.id = id
    self.login = login
    self.name = name
    self.role = role
    self.organisation = organisation
    self.disabled = disabled
  }

  /// The principal this user acts as.
  public var principal: Principal { .user(id, role) }
}

extension Role {
  /// Whether signing in takes a TOTP code as well as the password (DESIGN.md: admin and
  /// treasury-manager, who change users and approve money).
  public var requiresSecondFactor: Bool {
    switch self {
    case .admin, .treasuryManager: true
    default: false
    }
  }
}

/// A person who signs in, from registration through role changes to being disabled: one
/// stream per user, `user-<id>`.
///
/// A login name is unique across users: registration also claims the name on its own stream
/// (``Login``), per DESIGN.md's rule for invariants that span aggregates.
public enum User: Decider {
  /// The stream category: `user`.
  public static let category = "user"

  /// The stream of one user.
  public static func stream(_ user: UserID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: user.rawValue)
  }

  /// What registering a user takes; the id and the time come in, as every decision's input.
  public struct Registration: Sendable, Hashable {
    public var user: UserID
    public var login: LoginName
    public var name: String
    public var role: Role
    public var organisation: OrganisationID?
    public var at: Date

    public init(user: UserID, login: LoginName, name: String, role: Role, organisation: OrganisationID?, at: Date) {
      self.user = user
      self.login = login
      self.name = name
      self.role = role
      self.organisation = organisation
      self.at = at
    }
  }

  /// What may be asked of a user's stream.
  public enum Command: Sendable, Hashable {
    /// Register a new user (the login name is claimed beside it, see ``Login``).
    case register(Registration)
    /// Change the display name.
    case rename(to: String, at: Date)
    /// Give the user another role; `organisation` is required for a partner and refused otherwise.
    case changeRole(to: Role, organisation: OrganisationID?, at: Date)
    /// Stop the user signing in.
    case disable(at: Date)
    /// Let a disabled user sign in again.
    case enable(at: Date)
  }

  /// A user was registered.
  public struct Registered: RecordableEvent, Hashable {
    public static let eventType = "Accounts.UserRegistered"
    public static let schemaVersion = 1
    public var user: UserID
    public var login: LoginName
    public var name: String
    public var role: Role
    public var organisation: OrganisationID?
    public var at: Timestamp

    public init(user: UserID, login: LoginName, name: String, role: Role, organisation: OrganisationID?, at: Date) {
      self.user = user
      self.login = login
      self.name = name
      self.role = role
      self.organisation = organisation
      self.at = Timestamp(at)
    }
  }

  /// A user's display name changed.
  public struct Renamed: RecordableEvent, Hashable {
    public static let eventType = "Accounts.UserRenamed"
    public static let schemaVersion = 1
    public var user: UserID
    public var name: String
    public var at: Timestamp

    public init(user: UserID, name: String, at: Date) {
      self.user = user
      self.name = name
      self.at = Timestamp(at)
    }
  }

  /// A user got another role (and, for a partner, an organisation).
  public struct RoleChanged: RecordableEvent, Hashable {
    public static let eventType = "Accounts.UserRoleChanged"
    public static let schemaVersion = 1
    public var user: UserID
    public var role: Role
    public var organisation: OrganisationID?
    public var at: Timestamp

    public init(user: UserID, role: Role, organisation: OrganisationID?, at: Date) {
      self.user = user
      self.role = role
      self.organisation = organisation
      self.at = Timestamp(at)
    }
  }

  /// A user may no longer sign in.
  public struct Disabled: RecordableEvent, Hashable {
    public static let eventType = "Accounts.UserDisabled"
    public static let schemaVersion = 1
    public var user: UserID
    public var at: Timestamp

    public init(user: UserID, at: Date) {
      self.user = user
      self.at = Timestamp(at)
    }
  }

  /// A disabled user may sign in again.
  public struct Enabled: RecordableEvent, Hashable {
    public static let eventType = "Accounts.UserEnabled"
    public static let schemaVersion = 1
    public var user: UserID
    public var at: Timestamp

    public init(user: UserID, at: Date) {
      self.user = user
      self.at = Timestamp(at)
    }
  }

  /// Every fact recorded on a user's stream.
  public enum Event: Sendable, Hashable {
    case registered(Registered)
    case renamed(Renamed)
    case roleChanged(RoleChanged)
    case disabled(Disabled)
    case enabled(Enabled)
  }

  /// The user, once registered.
  public typealias State = UserRecord?

  public static let initialState: State = nil

  /// Every rule of a user's life. Asking for what is already so (disable a disabled user,
  /// rename to the same name) records nothing.
  public static func decide(_ command: Command, _ state: State) throws(AccountsError) -> [Event] {
    switch command {
    case .register(let registration):
      if let state { throw .alreadyRegistered(state.id) }
      try checkOrganisation(registration.organisation, for: registration.role)
      let name = try DisplayName.checked(registration.name)
      return [
        .registered(
          Registered(
            user: registration.user, login: registration.login, name: name, role: registration.role,
            organisation: registration.organisation, at: registration.at))
      ]
    case .rename(let newName, let at):
      let user = try registered(state)
      let name = try DisplayName.checked(newName)
      return name == user.name ? [] : [.renamed(Renamed(user: user.id, name: name, at: at))]
    case .changeRole(let role, let organisation, let at):
      let user = try registered(state)
      try checkOrganisation(organisation, for: role)
      if role == user.role && organisation == user.organisation { return [] }
      return [.roleChanged(RoleChanged(user: user.id, role: role, organisation: organisation, at: at))]
    case .disable(let at):
      let user = try registered(state)
      return user.disabled ? [] : [.disabled(Disabled(user: user.id, at: at))]
    case .enable(let at):
      let user = try registered(state)
      return user.disabled ? [.enabled(Enabled(user: user.id, at: at))] : []
    }
  }

  /// Folds one event into the user.
  public static func evolve(_ state: State, _ event: Event) -> State {
    switch event {
    case .registered(let e):
      return UserRecord(id: e.user, login: e.login, name: e.name, role: e.role, organisation: e.organisation, disabled: false)
    case .renamed(let e):
      guard var user = state else { return state }
      user.name = e.name
      return user
    case .roleChanged(let e):
      guard var user = state else { return state }
      user.role = e.role
      user.organisation = e.organisation
      return user
    case .disabled:
      guard var user = state else { return state }
      user.disabled = true
      return user
    case .enabled:
      guard var user = state else { return state }
      user.disabled = false
      return user
    }
  }

  /// Reads and writes a user's events under their stable type names.
  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Registered.self, embed: Event.registered) { if case .registered(let e) = $0 { e } else { nil } }
    codec.register(Renamed.self, embed: Event.renamed) { if case .renamed(let e) = $0 { e } else { nil } }
    codec.register(RoleChanged.self, embed: Event.roleChanged) { if case .roleChanged(let e) = $0 { e } else { nil } }
    codec.register(Disabled.self, embed: Event.disabled) { if case .disabled(let e) = $0 { e } else { nil } }
    codec.register(Enabled.self, embed: Event.enabled) { if case .enabled(let e) = $0 { e } else { nil } }
    return codec
  }()

  private static func registered(_ state: State) throws(AccountsError) -> UserRecord {
    guard let state else { throw .notRegistered }
    return state
  }
}
