public import EventLog
public import Foundation
public import SharedKernel

/// A login name's claim: the stream `login-<name>` that makes login names unique across users.
/// Registering a user writes it with `noStream`, so two registrations of one name cannot both
/// commit; a name is never released (the audit trail must not confuse two people).
public enum Login: Decider {
  /// The stream category: `login`.
  public static let category = "login"

  /// The stream of one login name.
  public static func stream(_ login: LoginName) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: login.rawValue)
  }

  /// Claim the name for a user being registered.
  public enum Command: Sendable, Hashable {
    case claim(LoginName, for: UserID, at: Date)
  }

  /// A login name was claimed by a user.
  public struct Claimed: RecordableEvent, Hashable {
    public static let eventType = "Accounts.LoginClaimed"
    public static let schemaVersion = 1
    public var login: LoginName
    public var user: UserID
    public var at: Timestamp

    public init(login: LoginName, user: UserID, at: Date) {
      self.login = login
      self.user = user
      self.at = Timestamp(at)
    }
  }

  /// Every fact recorded on a login stream.
  public enum Event: Sendable, Hashable {
    case claimed(Claimed)
  }

  /// Who holds the name, if anyone.
  public struct State: Sendable, Hashable {
    public var login: LoginName?
    public var holder: UserID?

    public init(login: LoginName? = nil, holder: UserID? = nil) {
      self.login = login
      self.holder = holder
    }
  }

  public static let initialState = State()

  /// A name is claimed once; claiming it again for its holder records nothing.
  public static func decide(_ command: Command, _ state: State) throws(AccountsError) -> [Event] {
    switch command {
    case .claim(let login, let user, let at):
      if let holder = state.holder {
        if holder == user { return [] }
        throw .loginTaken(login, by: holder)
      }
      return [.claimed(Claimed(login: login, user: user, at: at))]
    }
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    switch event {
    case .claimed(let e): State(login: e.login, holder: e.user)
    }
  }

  /// Reads and writes login events under their stable type names.
  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Claimed.self, embed: Event.claimed) { if case .claimed(let e) = $0 { e } else { nil } }
    return codec
  }()
}
