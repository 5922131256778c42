import Accounts
import ArgumentParser
import Credentials
import EventLog
import Foundation
import PersonalDataKeys
import SharedKernel
import UserAdministration

struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Demo data for trying the platform out.", subcommands: [DemoSeed.self])
}

/// What every seeder gets: the log, the credentials store, who is acting and when, and where
/// the files are that demo data is made from.
struct DemoContext {
  let store: any EventStore
  let credentials: CredentialStore
  let metadata: EventMetadata
  let now: Date
  /// The building's catalogue file (JSON), published by the building seeder.
  let buildingCatalogue: String
  /// The succession network's partner file (CSV), imported by the succession seeder.
  let successionPartners: String
  /// The data directory, where seeders leave files for people to try (the demo bank statements).
  var dataDirectory: String? = nil
  /// The key store of the succession cases' personal data.
  var vault: (any PersonalDataVault)? = nil
}

/// One service's (or context's) demo data. A seeder writes in batches and adds only what the log
/// lacks, judged from the log itself (fixed ids and `noStream` expectations), so a second run adds
/// nothing. Each service issue adds its seeder to ``DemoSeed/seeders``.
protocol DemoSeeder: Sendable {
  /// What it seeds, for the report: `users`, `building`, …
  var name: String { get }
  /// Adds what is missing; answers lines to print for people (logins, what was added).
  func seed(_ context: DemoContext) async throws -> [String]
}

struct DemoSeed: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "seed",
    abstract: "Load every service's demo data into the log (a second run adds nothing); prints the demo logins.")

  /// In order: later seeders may refer to what earlier ones made (users first).
  static let seeders: [any DemoSeeder] = [DemoUsers(), DemoBuilding(), DemoSuccession(), DemoDeposits()]

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var data: DataOptions
  @Option(help: "Who is seeding (default: $USER).") var `operator`: String?
  @Option(help: "The building's catalogue file to publish (read only when the building is seeded).")
  var buildingCatalogue = "Deploy/building/catalogue.json"
  @Option(help: "The succession network's partner file to import (read only when the partner registry is seeded).")
  var successionPartners = "Deploy/succession/partners.csv"

  func run() async throws {
    try await reportingFailures {
      let store = try await data.logOptions(logOptions).open(create: true)
      let credentials = try await data.openCredentials()
      let who = self.operator ?? ProcessInfo.processInfo.environment["USER"] ?? "root"
      let before = try await store.head().position
      let context = DemoContext(
        store: store, credentials: credentials,
        metadata: EventMetadata(actor: "kipctl:\(who)", role: "admin", source: "kipctl demo seed"), now: Date(),
        buildingCatalogue: buildingCatalogue, successionPartners: successionPartners, dataDirectory: data.directory,
        vault: try KeyVault.open(
          dataDirectory: data.directory,
          masterKey: MasterKey.configured(environment: ProcessInfo.processInfo.environment, dataDirectory: data.directory)))
      for seeder in Self.seeders {
        for line in try await seeder.seed(context) { print(line) }
      }
      let after = try await store.head().position
      await store.close()
      try? credentials.close()
      print(after == before ? "demo data complete: nothing to add (head \(after))" : "demo data seeded: \(after - before) events (head \(after))")
    }
  }
}

/// One demo user per role, login name = the role's name, with a fixed, printed password.
struct DemoUsers: DemoSeeder {
  var name: String { "users" }

  /// The organisation the demo partner user belongs to.
  static let partnerOrganisation = "org-demo-yokohama-cci"

  struct Account {
    var user: NewUser
    var password: String
  }

  static func accounts() throws -> [Account] {
    try Role.allCases.map { role in
      let organisation = role == .partner ? try OrganisationID(partnerOrganisation) : nil
      let user = NewUser(
        login: try LoginName(role.rawValue), name: "デモ \(role.displayName)", role: role, organisation: organisation,
        id: try UserID("demo-\(role.rawValue)"))
      return Account(user: user, password: "kip-demo-\(role.rawValue)")
    }
  }

  func seed(_ context: DemoContext) async throws -> [String] {
    let administration = UserAdministration(store: context.store, credentials: context.credentials)
    let accounts = try Self.accounts()
    var missing: [Account] = []
    var lines: [String] = []
    var skipped = Set<LoginName>()
    for account in accounts {
      if let existing = try await administration.user(login: account.user.login.rawValue) {
        if existing.id != account.user.id {
          skipped.insert(account.user.login)
          lines.append("demo user \(account.user.login) skipped: the login belongs to user \(existing.id)")
        }
      } else {
        missing.append(account)
      }
    }
    // One append for every missing user: quick on a slow disk, and all or nothing.
    try await administration.register(missing.map(\.user), metadata: context.metadata, now: context.now)
    // Passwords for the demo users that have none (new ones, or a fresh credentials file).
    let credentials = context.credentials
    try await withThrowingTaskGroup(of: Void.self) { group in
      for account in accounts where !skipped.contains(account.user.login) {
        guard let id = account.user.id, try await !credentials.hasPassword(id) else { continue }
        group.addTask { try await credentials.setPassword(account.password, for: id, now: context.now) }
      }
      try await group.waitForAll()
    }
    lines.append("demo logins (login / password / role):")
    for account in accounts where !skipped.contains(account.user.login) {
      let login = account.user.login.rawValue
      lines.append("  \(login.padding(toLength: 20, withPad: " ", startingAt: 0)) \(account.password.padding(toLength: 28, withPad: " ", startingAt: 0)) \(account.user.role.displayName)")
    }
    return lines
  }
}
