import Accounts
import AccountsReadModels
import ArgumentParser
import Credentials
import EventLog
import Foundation
import SharedKernel
import UserAdministration

/// Where the credentials store (and, unless `--log` says otherwise, the log) lives:
/// `--data-dir`, else `KIP_DATA_DIR`, else `./var`, as the services.
struct DataOptions: ParsableArguments {
  @Option(name: .customLong("data-dir"), help: "The data directory holding credentials.sqlite (default: $KIP_DATA_DIR or ./var).")
  var dataDir: String?

  var directory: String {
    if let dataDir, !dataDir.isEmpty { return dataDir }
    if let text = ProcessInfo.processInfo.environment["KIP_DATA_DIR"], !text.isEmpty { return text }
    return "./var"
  }

  /// The log: `--log`, else `KIP_EVENT_LOG`, else `events.sqlite` in the data directory.
  func logOptions(_ given: LogOptions) -> LogOptions {
    var options = given
    if options.log == nil, (ProcessInfo.processInfo.environment["KIP_EVENT_LOG"] ?? "").isEmpty {
      options.log = "sqlite://\((directory as NSString).appendingPathComponent("events.sqlite"))"
    }
    return options
  }

  /// Opens the credentials store; `KIP_BCRYPT_COST` (4–31) lowers bcrypt's cost for tests.
  func openCredentials() async throws -> CredentialStore {
    try await CredentialStore.open(dataDirectory: directory, policy: try CredentialPolicy.fromEnvironment())
  }
}

/// The log, the credentials store and who is acting, opened once per users command.
struct UsersContext {
  let administration: UserAdministration
  let metadata: EventMetadata

  static func open(_ logOptions: LogOptions, _ data: DataOptions, operator name: String?, create: Bool) async throws -> UsersContext {
    let store = try await data.logOptions(logOptions).open(create: create)
    let credentials = try await data.openCredentials()
    let who = name ?? ProcessInfo.processInfo.environment["USER"] ?? "root"
    return UsersContext(
      administration: UserAdministration(store: store, credentials: credentials),
      metadata: EventMetadata(actor: "kipctl:\(who)", role: "admin", source: "kipctl"))
  }

  func close() async {
    await administration.store.close()
    try? administration.credentials.close()
  }
}

struct UsersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "users", abstract: "Register users, list them, disable them, reset passwords, issue API tokens.",
    subcommands: [
      AddUser.self, ListUsers.self, DisableUser.self, EnableUser.self, SetRole.self, ResetPassword.self, IssueToken.self,
      EnrolTOTP.self,
    ])
}

/// Reads a password from standard input: everything up to the end, without the final newline.
func passwordFromStandardInput() -> String {
  var text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
  while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
  return text
}

func parseRole(_ text: String) -> Role {
  guard let role = Role(rawValue: text) else {
    fail("unknown role '\(text)'; the roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
  }
  return role
}

struct AddUser: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Register a user; prints a fresh API token on stdout and nothing else.")

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var data: DataOptions
  @Argument(help: "The login name: 3–64 of a–z, 0–9, '.', '-', '_'.") var login: String
  @Option(help: "desk, building-manager, succession, succession-manager, partner, treasury, treasury-manager, admin or auditor.")
  var role: String
  @Option(help: "The display name (default: the login name).") var name: String?
  @Option(help: "The network organisation's id (partner users only, and required for them).") var org: String?
  @Flag(help: "Read a password from stdin (otherwise the user signs in with the token only until a reset).")
  var passwordStdin = false
  @Option(help: "The token's label.") var label = "kipctl users add"
  @Option(help: "Who is registering (default: $USER).") var `operator`: String?

  func run() async throws {
    try await reportingFailures {
      let login = try LoginName(self.login)
      let role = parseRole(self.role)
      let organisation = try org.map { try OrganisationID($0) }
      let password = passwordStdin ? passwordFromStandardInput() : nil
      let context = try await UsersContext.open(logOptions, data, operator: self.operator, create: true)
      if let password { try context.administration.credentials.policy.check(password: password) }
      let now = Date()
      let (records, _) = try await context.administration.register(
        [NewUser(login: login, name: name, role: role, organisation: organisation)], metadata: context.metadata, now: now)
      guard let record = records.first else { fail("the user was not registered") }
      if let password { try await context.administration.credentials.setPassword(password, for: record.id, now: now) }
      let token = try await context.administration.credentials.issueToken(for: record.id, label: label, now: now)
      await context.close()
      print(token)
    }
  }
}

struct ListUsers: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "Print every user: login, role, organisation, state, name.")

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var data: DataOptions
  @Flag(help: "One JSON object per line.") var json = false

  func run() async throws {
    try await reportingFailures {
      let store = try await data.logOptions(logOptions).open()
      let directory = UserDirectory(store: store)
      try await directory.catchUp()
      let users = await directory.users()
      await store.close()
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      for user in users {
        let state = user.disabled ? "disabled" : "active"
        if json {
          let line = UserLine(
            id: user.id.rawValue, login: user.login.rawValue, name: user.name, role: user.role.rawValue,
            organisation: user.organisation?.rawValue, state: state)
          print(String(decoding: try encoder.encode(line), as: UTF8.self))
        } else {
          print([user.login.rawValue, user.role.rawValue, user.organisation?.rawValue ?? "-", state, user.name].joined(separator: "\t"))
        }
      }
    }
  }

  struct UserLine: Encodable {
    var id: String
    var login: String
    var name: String
    var role: String
    var organisation: String?
    var state: String
  }
}

struct DisableUser: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Stop a user signing in: ends their sessions and revokes their API tokens.")

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var data: DataOptions
  @Argument(help: "The login name.") var login: String
  @Option(help: "Who is disabling (default: $USER).") var `operator`: String?

  func run() async throws {
    try await reportingFailures {
      let context = try await UsersContext.open(logOptions, data, operator: self.operator, create: false)
      let outcome = try await context.administration.disable(login: login, metadata: context.metadata, now: Date())
      await context.close()
      print("disabled \(outcome.record.login); ended \(outcome.sessionsEnded) sessions, revoked \(outcome.tokensRevoked) tokens")
    }
  }
}

struct EnableUser: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "enable", abstract: "Let a disabled user sign in again.")

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var data: DataOptions
  @Argument(help: "The login name.") var login: String
  @Option(help: "Who is enabling (default: $USER).") var `operator`: String?

  func run() async throws {
    try await reportingFailures {
      let context = try await UsersContext.open(logOptions, data, operator: self.operator, create: false)
      let record = try await context.administration.change(login: login, .enable(at: Date()), metadata: context.metadata)
      await context.close()
      print("enabled \(record.login)")
    }
  }
}

struct ResetPassword: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset-password",
    abstract: "Set a new password (from stdin with --password-stdin, else a generated one, printed); ends the user's sessions.")

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var data: DataOptions
  @Argument(help: "The login name.") var login: String
  @Flag(help: "Read the new password from stdin instead of generating one.") var passwordStdin = false

  func run() async throws {
    try await reportingFailures {
      let password = passwordStdin ? passwordFromStandardInput() : CredentialStore.generatePassword()
      let context = try await UsersContext.open(logOptions, data, operator: nil, create: false)
      _ = try await context.administration.resetPassword(login: login, to: password, now: Date())
      await context.close()
      if !passwordStdin { print(password) }
    }
  }
}

struct IssueToken: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token", abstract: "Print a new API token for a user (shown once; only its hash is kept).")

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var data: DataOptions
  @Argument(help: "The login name.") var login: String
  @Option(help: "What the token is for.") var label = "kipctl users token"

  func run() async throws {
    try await reportingFailures {
      let context = try await UsersContext.open(logOptions, data, operator: nil, create: false)
      let token = try await context.administration.issueToken(login: login, label: label, now: Date())
      await context.close()
      print(token)
    }
  }
}

struct SetRole: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set-role", abstract: "Give a user another role (a partner needs --org; no other role takes one).")

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var data: DataOptions
  @Argument(help: "The login name.") var login: String
  @Option(help: "The new role.") var role: String
  @Option(help: "The network organisation's id (partner only).") var org: String?
  @Option(help: "Who is changing it (default: $USER).") var `operator`: String?

  func run() async throws {
    try await reportingFailures {
      let role = parseRole(self.role)
      let organisation = try org.map { try OrganisationID($0) }
      let context = try await UsersContext.open(logOptions, data, operator: self.operator, create: false)
      let record = try await context.administration.change(
        login: login, .changeRole(to: role, organisation: organisation, at: Date()), metadata: context.metadata)
      await context.close()
      print("\(record.login) is \(record.role)\(record.organisation.map { " of \($0)" } ?? "")")
    }
  }
}

struct EnrolTOTP: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "totp",
    abstract: "Enrol a new TOTP second factor (prints the otpauth URL, then the base32 secret), or remove it with --remove.")

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var data: DataOptions
  @Argument(help: "The login name.") var login: String
  @Flag(help: "Remove the user's TOTP secret (a lost phone); they enrol again at the next sign-in.") var remove = false

  func run() async throws {
    try await reportingFailures {
      let context = try await UsersContext.open(logOptions, data, operator: nil, create: false)
      let record = try await context.administration.existingUser(login: login)
      let credentials = context.administration.credentials
      if remove {
        try await credentials.removeTOTP(of: record.id)
        await context.close()
        print("removed the second factor of \(record.login)")
      } else {
        let enrolment = try await credentials.enrolTOTP(for: record.id, accountName: record.login.rawValue)
        await context.close()
        print(enrolment.url)
        print(enrolment.secret)
      }
    }
  }
}
