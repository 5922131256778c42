import Accounts
import EventLog
import Foundation
import SharedKernel
import Testing

/// Given these events, when this command: the events decided, or the error thrown.
func when<D: Decider>(_: D.Type, given events: [D.Event], _ command: D.Command) -> Result<[D.Event], D.Failure> {
  let state = events.reduce(D.initialState, D.evolve)
  do throws(D.Failure) { return .success(try D.decide(command, state)) } catch { return .failure(error) }
}

let noon = Date(timeIntervalSince1970: 1_795_000_000)
let alice = try! UserID("u-alice")  // Literal test fixtures: valid by construction.
let bob = try! UserID("u-bob")
let network = try! OrganisationID("org-yokohama-cci")
let aliceLogin = try! LoginName("alice")

func registration(_ role: Role, organisation: OrganisationID? = nil, name: String = "山田 花子") -> User.Registration {
  User.Registration(user: alice, login: aliceLogin, name: name, role: role, organisation: organisation, at: noon)
}

let registered = User.Event.registered(
  User.Registered(user: alice, login: aliceLogin, name: "山田 花子", role: .desk, organisation: nil, at: noon))

@Suite("Accounts: users")
struct UserTests {
  @Test("registering a desk user records who, which login, which role")
  func register() {
    #expect(when(User.self, given: [], .register(registration(.desk))) == .success([registered]))
  }

  @Test("a partner without an organisation is refused")
  func partnerNeedsOrganisation() {
    #expect(when(User.self, given: [], .register(registration(.partner))) == .failure(.partnerWithoutOrganisation))
  }

  @Test("a partner belongs to the organisation given")
  func partnerWithOrganisation() throws {
    let result = try when(User.self, given: [], .register(registration(.partner, organisation: network))).get()
    let state = result.reduce(User.initialState, User.evolve)
    #expect(state?.organisation == network)
    #expect(state?.role == .partner)
  }

  @Test("an organisation is refused for every role but partner", arguments: Role.allCases.filter { $0 != .partner })
  func organisationRefused(role: Role) {
    #expect(
      when(User.self, given: [], .register(registration(role, organisation: network)))
        == .failure(.organisationForNonPartner(role)))
  }

  @Test("registering a registered user is refused")
  func registerTwice() {
    #expect(when(User.self, given: [registered], .register(registration(.desk))) == .failure(.alreadyRegistered(alice)))
  }

  @Test("an empty or control-character display name is refused", arguments: ["", "   ", "a\u{7}b"])
  func badName(name: String) {
    #expect(when(User.self, given: [], .register(registration(.desk, name: name))) == .failure(.invalidDisplayName(name)))
  }

  @Test("disabling records it once; disabling again records nothing")
  func disable() {
    let disabled = User.Event.disabled(User.Disabled(user: alice, at: noon))
    #expect(when(User.self, given: [registered], .disable(at: noon)) == .success([disabled]))
    #expect(when(User.self, given: [registered, disabled], .disable(at: noon)) == .success([]))
    #expect(
      when(User.self, given: [registered, disabled], .enable(at: noon))
        == .success([.enabled(User.Enabled(user: alice, at: noon))]))
    #expect([registered, disabled].reduce(User.initialState, User.evolve)?.disabled == true)
  }

  @Test("changing to partner needs an organisation; changing away from partner drops it")
  func changeRole() throws {
    #expect(when(User.self, given: [registered], .changeRole(to: .partner, organisation: nil, at: noon)) == .failure(.partnerWithoutOrganisation))
    let toPartner = try when(User.self, given: [registered], .changeRole(to: .partner, organisation: network, at: noon)).get()
    #expect(toPartner == [.roleChanged(User.RoleChanged(user: alice, role: .partner, organisation: network, at: noon))])
    let back = try when(User.self, given: [registered] + toPartner, .changeRole(to: .auditor, organisation: nil, at: noon)).get()
    let state = ([registered] + toPartner + back).reduce(User.initialState, User.evolve)
    #expect(state?.role == .auditor)
    #expect(state?.organisation == nil)
    #expect(when(User.self, given: [registered], .changeRole(to: .desk, organisation: nil, at: noon)) == .success([]))
  }

  @Test("admin and treasury-manager sign in with a second factor; no other role does")
  func secondFactor() {
    #expect(Role.allCases.filter(\.requiresSecondFactor) == [.treasuryManager, .admin])
  }

  @Test("renaming records the trimmed new name")
  func rename() {
    #expect(
      when(User.self, given: [registered], .rename(to: " 山田 太郎 ", at: noon))
        == .success([.renamed(User.Renamed(user: alice, name: "山田 太郎", at: noon))]))
  }

  @Test("commands for a user that was never registered are refused")
  func unregistered() {
    #expect(when(User.self, given: [], .disable(at: noon)) == .failure(.notRegistered))
  }

  @Test("events keep their stable type names and round-trip through the codec")
  func codec() throws {
    let events: [User.Event] = [
      registered, .renamed(User.Renamed(user: alice, name: "x", at: noon)),
      .roleChanged(User.RoleChanged(user: alice, role: .partner, organisation: network, at: noon)),
      .disabled(User.Disabled(user: alice, at: noon)), .enabled(User.Enabled(user: alice, at: noon)),
    ]
    let types = try events.map { try User.codec.encode($0).type }
    #expect(types == ["Accounts.UserRegistered", "Accounts.UserRenamed", "Accounts.UserRoleChanged", "Accounts.UserDisabled", "Accounts.UserEnabled"])
    for (position, event) in events.enumerated() {
      let proposed = try User.codec.propose(event, metadata: Data("{}".utf8))
      let recorded = RecordedEvent(
        position: Int64(position + 1), stream: try User.stream(alice), version: Int64(position), eventID: proposed.eventID,
        type: proposed.type, schemaVersion: proposed.schemaVersion, data: proposed.data, metadata: proposed.metadata,
        recordedAtMilliseconds: 1_795_000_000_000, hash: Data())
      #expect(try User.codec.decode(recorded) == event)
    }
    let data = try User.codec.encode(registered).data
    #expect(String(decoding: data, as: UTF8.self).contains(#""at":"2026-11-18T11:06:40.000Z"#))
  }
}

@Suite("Accounts: login names")
struct LoginTests {
  @Test("a login name is lower-case ASCII letters, digits, '.', '-', '_', 3–64 characters", arguments: [
    ("desk", true), ("building-manager", true), ("a.b_c-9", true), ("ab", false), (String(repeating: "a", count: 64), true),
    (String(repeating: "a", count: 65), false), ("Desk", false), ("山田", false), ("a b", false), ("a/b", false),
  ])
  func rule(name: String, valid: Bool) {
    #expect(((try? LoginName(name)) != nil) == valid)
  }

  @Test("a claimed login name is refused to the next user, naming its holder")
  func taken() {
    let claimed = Login.Event.claimed(Login.Claimed(login: aliceLogin, user: alice, at: noon))
    #expect(when(Login.self, given: [], .claim(aliceLogin, for: alice, at: noon)) == .success([claimed]))
    #expect(when(Login.self, given: [claimed], .claim(aliceLogin, for: bob, at: noon)) == .failure(.loginTaken(aliceLogin, by: alice)))
    #expect(when(Login.self, given: [claimed], .claim(aliceLogin, for: alice, at: noon)) == .success([]))
  }

  @Test("user and login streams are user-<id> and login-<name>")
  func streams() throws {
    #expect(try User.stream(alice).rawValue == "user-u-alice")
    #expect(try Login.stream(aliceLogin).rawValue == "login-alice")
    #expect(try User.stream(alice).category == "user")
  }
}
