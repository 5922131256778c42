public import Accounts
public import EventLog
public import SharedKernel

/// Who the users are, in memory: a fold of the log's `user` category, answering by id and by
/// login name without I/O, so a service can ask on every request.
///
/// ```swift
/// let directory = UserDirectory(store: store)
/// try await directory.catchUp()                 // at start-up, before serving
/// Task { try await directory.follow() }         // or as a Service in the ServiceGroup
/// let record = await directory.user(login: try LoginName("desk"))
/// ```
///
/// A few hundred users fit in memory many times over; a rebuild is a re-read of one category.
public actor UserDirectory {
  private let store: any EventStore
  private var byID: [UserID: UserRecord] = [:]
  private var byLogin: [LoginName: UserID] = [:]
  /// The last log position folded in (events of other categories are skipped).
  public private(set) var position: Int64 = 0

  public init(store: any EventStore) {
    self.store = store
  }

  /// The user with this id, if registered.
  public func user(_ id: UserID) -> UserRecord? { byID[id] }

  /// The user who signs in with this name, if any.
  public func user(login: LoginName) -> UserRecord? { byLogin[login].flatMap { byID[$0] } }

  /// The user who signs in with this name, if it is a valid login name and registered.
  public func user(login text: String) -> UserRecord? {
    guard let login = try? LoginName(text) else { return nil }
    return user(login: login)
  }

  /// Every user, by login name.
  public func users() -> [UserRecord] { byID.values.sorted { $0.login < $1.login } }

  /// Reads every user event up to the log's head; answers the position reached. Call at start-up
  /// (and after an append of your own, when the answer must include it).
  @discardableResult
  public func catchUp() async throws -> Int64 {
    let head = try await store.head().position
    while position < head {
      let page = try await store.read(after: position, category: User.category, limit: 1000)
      guard let last = page.last else {
        position = head
        break
      }
      for event in page { try apply(event) }
      position = last.position
    }
    return position
  }

  /// Follows the log live, also other processes' appends, until the task is cancelled.
  public func follow() async throws {
    for try await event in store.subscribe(after: position, category: User.category) {
      try apply(event)
    }
  }

  private func apply(_ recorded: RecordedEvent) throws {
    guard recorded.position > position else { return }
    let event = try User.codec.decode(recorded)
    let id: UserID
    switch event {
    case .registered(let e): id = e.user
    case .renamed(let e): id = e.user
    case .roleChanged(let e): id = e.user
    case .disabled(let e): id = e.user
    case .enabled(let e): id = e.user
    }
    if let record = User.evolve(byID[id], event) {
      byID[id] = record
      byLogin[record.login] = id
    }
    position = recorded.position
  }
}
