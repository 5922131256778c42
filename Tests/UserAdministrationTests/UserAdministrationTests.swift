import Accounts
import AccountsReadModels
import Credentials
import EventLog
import EventLogSQLite
import Foundation
import SharedKernel
import Testing
import TestSupport
import UserAdministration

struct Fixture {
  let folder: URL
  let store: SQLiteEventStore
  let credentials: CredentialStore
  var administration: UserAdministration { UserAdministration(store: store, credentials: credentials) }

  static func make() async throws -> Fixture {
    let folder = temporaryFolder()
    var configuration = SQLiteConfiguration(path: folder.appending(path: "events.sqlite").path)
    configuration.durability = .normal
    let store = try await SQLiteEventStore.open(configuration)
    let credentials = try await CredentialStore.open(dataDirectory: folder.path, policy: .testing)
    return Fixture(folder: folder, store: store, credentials: credentials)
  }

  func openLogAgain() async throws -> SQLiteEventStore {
    var configuration = SQLiteConfiguration(path: folder.appending(path: "events.sqlite").path)
    configuration.durability = .normal
    return try await SQLiteEventStore.open(configuration)
  }
}

let operatorMetadata = EventMetadata(actor: "kipctl:test", role: "admin", source: "test")
let now = Date(timeIntervalSince1970: 1_795_000_000)

func newUser(_ login: String, _ role: Role, organisation: String? = nil) throws -> NewUser {
  NewUser(login: try LoginName(login), role: role, organisation: try organisation.map { try OrganisationID($0) })
}

/// Waits for `condition` with a deadline instead of sleeping a fixed time.
func eventually(within seconds: Double = 60, _ condition: () async throws -> Bool) async throws -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if try await condition() { return true }
    try await Task.sleep(for: .milliseconds(20))
  }
  return try await condition()
}

@Suite("User administration: the log and the credentials store together")
struct UserAdministrationTests {
  @Test("registering writes the user and the login claim in one append; the directory finds them")
  func register() async throws {
    let fixture = try await Fixture.make()
    let (records, result) = try await fixture.administration.register(
      [try newUser("desk", .desk), try newUser("kanagawa-partner", .partner, organisation: "org-1")], metadata: operatorMetadata, now: now)
    #expect(records.map(\.login.rawValue) == ["desk", "kanagawa-partner"])
    #expect(result?.positions.count == 4)
    let directory = UserDirectory(store: fixture.store)
    #expect(try await directory.catchUp() == 4)
    let partner = try #require(await directory.user(login: "kanagawa-partner"))
    #expect(partner.organisation?.rawValue == "org-1")
    #expect(partner.role == .partner)
    #expect(await directory.user(partner.id) == partner)
    #expect(await directory.user(login: "nobody") == nil)
    let events = try await fixture.store.read(after: 0, category: nil, limit: 10)
    #expect(events.map(\.type) == ["Accounts.LoginClaimed", "Accounts.UserRegistered", "Accounts.LoginClaimed", "Accounts.UserRegistered"])
    #expect(String(decoding: events[1].metadata, as: UTF8.self).contains("kipctl:test"))
  }

  @Test("a taken login is refused and the log does not move")
  func loginTaken() async throws {
    let fixture = try await Fixture.make()
    let (first, _) = try await fixture.administration.register([try newUser("desk", .desk)], metadata: operatorMetadata, now: now)
    let head = try await fixture.store.head()
    await #expect(throws: UserAdministrationError.self) {
      try await fixture.administration.register([try newUser("treasury", .treasury), try newUser("desk", .auditor)], metadata: operatorMetadata, now: now)
    }
    do {
      try await fixture.administration.register([try newUser("desk", .auditor)], metadata: operatorMetadata, now: now)
    } catch {
      #expect(String(describing: error) == "the login name 'desk' is taken (by user \(first[0].id)); choose another")
    }
    #expect(try await fixture.store.head() == head)
  }

  @Test("two registrations of one login racing: exactly one wins")
  func race() async throws {
    let fixture = try await Fixture.make()
    let other = try await fixture.openLogAgain()
    let administrations = [fixture.administration, UserAdministration(store: other, credentials: fixture.credentials)]
    let outcomes = await withTaskGroup(of: Bool.self) { group in
      for n in 0..<6 {
        let administration = administrations[n % 2]
        group.addTask {
          (try? await administration.register([try newUser("same", .desk)], metadata: operatorMetadata, now: now)) != nil
        }
      }
      return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(outcomes.filter { $0 }.count == 1)
    let directory = UserDirectory(store: fixture.store)
    try await directory.catchUp()
    #expect(await directory.users().count == 1)
  }

  @Test("the directory follows appends made through another handle on the log")
  func follows() async throws {
    let fixture = try await Fixture.make()
    let directory = UserDirectory(store: fixture.store)
    try await directory.catchUp()
    let following = Task { try await directory.follow() }
    defer { following.cancel() }
    let other = UserAdministration(store: try await fixture.openLogAgain(), credentials: fixture.credentials)
    try await other.register([try newUser("auditor", .auditor)], metadata: operatorMetadata, now: now)
    #expect(try await eventually { await directory.user(login: "auditor") != nil })
    try await other.disable(login: "auditor", metadata: operatorMetadata, now: now)
    #expect(try await eventually { await directory.user(login: "auditor")?.disabled == true })
  }

  @Test("disabling ends sessions and revokes tokens; a disabled user gets no new token")
  func disable() async throws {
    let fixture = try await Fixture.make()
    let (records, _) = try await fixture.administration.register([try newUser("admin", .admin)], metadata: operatorMetadata, now: now)
    let id = records[0].id
    let token = try await fixture.administration.issueToken(login: "admin", label: "t", now: now)
    let session = try await fixture.credentials.createSession(for: id, now: now, secondFactorPending: true)
    let outcome = try await fixture.administration.disable(login: "admin", metadata: operatorMetadata, now: now)
    #expect(outcome.sessionsEnded == 1)
    #expect(outcome.tokensRevoked == 1)
    #expect(outcome.record.disabled)
    #expect(try await fixture.credentials.authenticate(token: token) == nil)
    #expect(try await fixture.credentials.session(id: session.id, now: now) == nil)
    await #expect(throws: UserAdministrationError.self) { try await fixture.administration.issueToken(login: "admin", label: "t", now: now) }
    // Disabling twice records nothing more.
    let head = try await fixture.store.head()
    try await fixture.administration.disable(login: "admin", metadata: operatorMetadata, now: now)
    #expect(try await fixture.store.head() == head)
  }

  @Test("an unknown login is a clear error")
  func unknownLogin() async throws {
    let fixture = try await Fixture.make()
    do {
      try await fixture.administration.disable(login: "ghost", metadata: operatorMetadata, now: now)
      Issue.record("disabling an unknown login succeeded")
    } catch {
      #expect(String(describing: error) == #"there is no user with the login name "ghost""#)
    }
  }
}
