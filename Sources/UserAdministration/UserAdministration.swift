public import Accounts
public import Credentials
public import EventLog
public import Foundation
public import SharedKernel

/// Why an administrative action on users failed; each case reads as one line.
public enum UserAdministrationError: Error, Sendable, CustomStringConvertible {
  /// No user signs in with this name.
  case unknownLogin(String)
  /// The user is disabled: enable them first.
  case disabled(LoginName)
  /// A rule of the Accounts context refused it.
  case refused(AccountsError)
  /// The credentials store failed or refused (e.g. a short password).
  case credentials(CredentialError)
  /// The event log failed.
  case log(EventLogError)
  /// A recorded event could not be read.
  case unreadable(EventCodecError)

  public var description: String {
    switch self {
    case .unknownLogin(let login): "there is no user with the login name \(String(reflecting: login))"
    case .disabled(let login): "the user '\(login)' is disabled; enable them first"
    case .refused(let error): error.description
    case .credentials(let error): error.description
    case .log(let error): error.description
    case .unreadable(let error): error.description
    }
  }

  init(_ error: any Error) {
    switch error {
    case let error as UserAdministrationError: self = error
    case let error as AccountsError: self = .refused(error)
    case let error as CredentialError: self = .credentials(error)
    case let error as EventLogError: self = .log(error)
    case let error as EventCodecError: self = .unreadable(error)
    default: self = .log(.storage(String(describing: error)))
    }
  }
}

/// A user to register: what an administrator types.
public struct NewUser: Sendable, Hashable {
  public var login: LoginName
  /// The display name; the login name when nil.
  public var name: String?
  public var role: Role
  /// Required for a partner, refused for every other role.
  public var organisation: OrganisationID?
  /// The id to give the user; a fresh `u-<UUIDv7>` when nil (fixed ids are for demo data).
  public var id: UserID?

  public init(login: LoginName, name: String? = nil, role: Role, organisation: OrganisationID? = nil, id: UserID? = nil) {
    self.login = login
    self.name = name
    self.role = role
    self.organisation = organisation
    self.id = id
  }
}

/// Registering, disabling and re-credentialing users: the event log (who the users are, their
/// roles) and the credentials store (passwords, tokens, sessions) changed together. Used by
/// `kipctl users` and, later, the admin page.
///
/// The log is written first: a failure after it leaves a registered user without credentials,
/// which an administrator fixes with `reset-password` or `token`; never credentials for a user
/// the log does not know.
public struct UserAdministration: Sendable {
  public let store: any EventStore
  public let credentials: CredentialStore

  public init(store: any EventStore, credentials: CredentialStore) {
    self.store = store
    self.credentials = credentials
  }

  // MARK: - Reading

  /// The user who signs in with `login`, read from the log (the login's claim, then the user's stream).
  public func user(login text: String) async throws(UserAdministrationError) -> UserRecord? {
    do {
      guard let login = try? LoginName(text) else { return nil }
      let claim = try await load(Login.self, on: try Login.stream(login), codec: Login.codec)
      guard let holder = claim.state.holder else { return nil }
      return try await load(User.self, on: try User.stream(holder), codec: User.codec).state
    } catch { throw UserAdministrationError(error) }
  }

  /// The user who signs in with `login`, or ``UserAdministrationError/unknownLogin(_:)``.
  public func existingUser(login: String) async throws(UserAdministrationError) -> UserRecord {
    guard let record = try await user(login: login) else { throw .unknownLogin(login) }
    return record
  }

  // MARK: - Registering

  /// Registers users in one append (each claims its login name on its own stream), or none of
  /// them: a login taken, an id used, or a rule broken refuses the whole batch. An idempotency
  /// key (an HTTP write's) is recorded with the events, with `response` as the answer.
  @discardableResult
  public func register(
    _ users: [NewUser], metadata: EventMetadata, now: Date, idempotency: IdempotencyKey? = nil,
    response: @Sendable ([UserRecord]) -> Data = { _ in Data() }
  ) async throws(UserAdministrationError) -> (records: [UserRecord], result: AppendResult?) {
    guard !users.isEmpty else { return ([], nil) }
    do {
      var writes: [StreamWrite] = []
      var records: [UserRecord] = []
      var seen: [LoginName: UserID] = [:]
      let metadataBytes = metadata.encoded()
      for new in users {
        let id = try new.id ?? UserID("u-" + UUIDv7.make(at: now).uuidString.lowercased())
        if let first = seen[new.login] { throw AccountsError.loginTaken(new.login, by: first) }
        seen[new.login] = id
        let loginStream = try Login.stream(new.login)
        let userStream = try User.stream(id)
        let claim = try await load(Login.self, on: loginStream, codec: Login.codec)
        let claimed = try Login.decide(.claim(new.login, for: id, at: now), claim.state)
        let existing = try await load(User.self, on: userStream, codec: User.codec)
        let registration = User.Registration(
          user: id, login: new.login, name: new.name ?? new.login.rawValue, role: new.role,
          organisation: new.organisation, at: now)
        let registered = try User.decide(.register(registration), existing.state)
        writes.append(
          StreamWrite(
            stream: loginStream, expected: .noStream,
            events: try claimed.map { try Login.codec.propose($0, metadata: metadataBytes) }))
        writes.append(
          StreamWrite(
            stream: userStream, expected: .noStream,
            events: try registered.map { try User.codec.propose($0, metadata: metadataBytes) }))
        if let record = registered.reduce(existing.state, User.evolve) { records.append(record) }
      }
      let result = try await appendClaims(Append(writes: writes, idempotency: idempotency, response: response(records)))
      return (records, result)
    } catch { throw UserAdministrationError(error) }
  }

  // MARK: - Changing

  /// Runs a command on the user who signs in with `login`; answers the user afterwards.
  @discardableResult
  public func change(login: String, _ command: User.Command, metadata: EventMetadata) async throws(UserAdministrationError)
    -> UserRecord
  {
    let record = try await existingUser(login: login)
    do {
      let runner = CommandRunner(store: store, codec: User.codec)
      let outcome = try await runner.run(User.self, command, on: try User.stream(record.id), metadata: metadata)
      return outcome.state ?? record
    } catch { throw UserAdministrationError(error) }
  }

  /// Disables the user, ends their sessions and revokes their tokens.
  @discardableResult
  public func disable(login: String, metadata: EventMetadata, now: Date) async throws(UserAdministrationError)
    -> (record: UserRecord, sessionsEnded: Int, tokensRevoked: Int)
  {
    let record = try await change(login: login, .disable(at: now), metadata: metadata)
    do {
      let sessions = try await credentials.endSessions(of: record.id)
      let tokens = try await credentials.revokeTokens(of: record.id)
      return (record, sessions, tokens)
    } catch { throw .credentials(error) }
  }

  /// Sets a new password for the user and ends their sessions (a reset means "sign in again").
  public func resetPassword(login: String, to password: String, now: Date) async throws(UserAdministrationError) -> UserRecord {
    let record = try await existingUser(login: login)
    do {
      try await credentials.setPassword(password, for: record.id, now: now)
      try await credentials.endSessions(of: record.id)
    } catch { throw .credentials(error) }
    return record
  }

  /// A new API token for the user (shown once). Refused for a disabled user.
  public func issueToken(login: String, label: String, now: Date) async throws(UserAdministrationError) -> String {
    let record = try await existingUser(login: login)
    guard !record.disabled else { throw .disabled(record.login) }
    do { return try await credentials.issueToken(for: record.id, label: label, now: now) } catch { throw .credentials(error) }
  }

  // MARK: - Internals

  /// Appends a registration; a login claimed by another registration between our read and our
  /// append becomes ``AccountsError/loginTaken(_:by:)``, naming who has it.
  private func appendClaims(_ append: Append) async throws -> AppendResult {
    let failure: EventLogError
    do { return try await store.append(append) } catch { failure = error }
    guard case .wrongExpectedVersion(let stream, _, _) = failure, stream.category == Login.category else { throw failure }
    let login = try LoginName(stream.id)
    guard let holder = try await load(Login.self, on: stream, codec: Login.codec).state.holder else { throw failure }
    throw AccountsError.loginTaken(login, by: holder)
  }

  private func load<D: Decider>(_: D.Type, on stream: StreamName, codec: EventCodec<D.Event>) async throws
    -> (state: D.State, version: Int64?)
  {
    var state = D.initialState
    var version: Int64?
    for recorded in try await store.readAll(stream: stream) {
      state = D.evolve(state, try codec.decode(recorded))
      version = recorded.version
    }
    return (state, version)
  }
}
