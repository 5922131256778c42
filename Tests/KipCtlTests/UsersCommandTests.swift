import EventLog
import EventLogSQLite
import Foundation
import Testing
import TestSupport

/// A data directory for `kipctl users`: the log and credentials.sqlite side by side.
struct DataDirectory {
  let folder = temporaryFolder()
  var log: String { "sqlite://\(folder.appending(path: "events.sqlite").path)" }

  /// Runs kipctl with this data directory, bcrypt at its lowest cost, and `input` on stdin.
  @discardableResult
  func kipctl(_ arguments: String..., input: String? = nil) throws -> Ran {
    let process = ChildProcess()
    process.executableURL = executable("kipctl")
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "KIP_EVENT_LOG")
    environment["KIP_DATA_DIR"] = folder.path
    environment["KIP_BCRYPT_COST"] = "4"
    process.environment = environment
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    let exit = try ChildExit.start(process)
    stdin.fileHandleForWriting.write(Data((input ?? "").utf8))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let error = stderr.fileHandleForReading.readDataToEndOfFile()
    exit.waitBlocking()
    return Ran(status: exit.status ?? -1, output: String(decoding: output, as: UTF8.self), error: String(decoding: error, as: UTF8.self))
  }

  func head() throws -> String { try kipctl("head", "--log", log).output }
}

/// What one run of kipctl with stdin did.
struct Ran {
  var status: Int32
  var output: String
  var error: String
}

@Suite("kipctl users and demo seed")
struct UsersCommandTests {
  @Test("users add prints only a fresh API token; list shows the user")
  func add() throws {
    let data = DataDirectory()
    let added = try data.kipctl("users", "add", "yamada", "--role", "desk", "--name", "山田 花子")
    #expect(added.status == 0, "\(added.error)")
    #expect(added.output.range(of: #"^kip_[A-Za-z0-9_-]{43}\n$"#, options: .regularExpression) != nil, "\(added.output)")
    #expect(added.error.isEmpty)
    let partner = try data.kipctl("users", "add", "hamashin", "--role", "partner", "--org", "org-hamashin")
    #expect(partner.status == 0, "\(partner.error)")
    let list = try data.kipctl("users", "list")
    #expect(list.output == "hamashin\tpartner\torg-hamashin\tactive\thamashin\nyamada\tdesk\t-\tactive\t山田 花子\n")
    let json = try data.kipctl("users", "list", "--json")
    #expect(json.output.contains(#""login":"yamada","name":"山田 花子","role":"desk","state":"active"}"#), "\(json.output)")
    let events = try data.kipctl("events", "read", "--log", data.log, "--json", "--limit", "1")
    let line = try JSONSerialization.jsonObject(with: Data(events.output.utf8)) as? [String: Any]
    let metadata = try #require((line?["metadata"] as? String).flatMap { Data(base64Encoded: $0) })
    #expect(String(decoding: metadata, as: UTF8.self).contains(#""actor":"kipctl:"#))
  }

  @Test("bad input is one line on stderr, a non-zero exit, and no change", arguments: [
    (["users", "add", "x1", "--role", "desk"], "kipctl: the login name \"x1\" is not allowed: a login name has 3 to 64 characters\n"),
    (["users", "add", "Yamada", "--role", "desk"], "kipctl: the login name \"Yamada\" is not allowed: use lower-case letters a–z, digits, '.', '-' and '_' only\n"),
    (["users", "add", "sato", "--role", "boss"], "kipctl: unknown role 'boss'; the roles are desk, building-manager, succession, succession-manager, partner, treasury, treasury-manager, admin, auditor\n"),
    (["users", "add", "sato", "--role", "partner"], "kipctl: a partner user belongs to one network organisation: give its id\n"),
    (["users", "add", "sato", "--role", "desk", "--org", "org-1"], "kipctl: only partner users belong to an organisation; a desk user has none\n"),
    (["users", "disable", "ghost"], "kipctl: there is no user with the login name \"ghost\"\n"),
    (["users", "token", "ghost"], "kipctl: there is no user with the login name \"ghost\"\n"),
    (["users", "reset-password", "ghost"], "kipctl: there is no user with the login name \"ghost\"\n"),
  ])
  func badInput(arguments: [String], message: String) throws {
    let data = DataDirectory()
    #expect(try data.kipctl("users", "add", "existing", "--role", "auditor").status == 0)
    let head = try data.head()
    let outcome = try run(
      executable("kipctl"), arguments,
      environment: ["KIP_DATA_DIR": data.folder.path, "KIP_BCRYPT_COST": "4"], removing: ["KIP_EVENT_LOG"])
    #expect(outcome.status != 0)
    #expect(outcome.error == message)
    #expect(outcome.output.isEmpty)
    #expect(try data.head() == head)
  }

  @Test("a duplicate login is refused, naming the holder, and changes nothing")
  func duplicate() throws {
    let data = DataDirectory()
    #expect(try data.kipctl("users", "add", "suzuki", "--role", "treasury").status == 0)
    let head = try data.head()
    let again = try data.kipctl("users", "add", "suzuki", "--role", "auditor")
    #expect(again.status == 1)
    #expect(again.error.hasPrefix("kipctl: the login name 'suzuki' is taken (by user u-"), "\(again.error)")
    #expect(again.output.isEmpty)
    #expect(try data.head() == head)
  }

  @Test("a short password on stdin is refused before anything is registered")
  func shortPassword() throws {
    let data = DataDirectory()
    let outcome = try data.kipctl("users", "add", "tanaka", "--role", "desk", "--password-stdin", input: "short\n")
    #expect(outcome.status == 1)
    #expect(outcome.error == "kipctl: the password is too short: use at least 10 characters\n")
    #expect(try data.kipctl("users", "list").output.isEmpty)
  }

  @Test("disable revokes tokens and shows in the list; token and reset-password issue new credentials")
  func lifecycle() throws {
    let data = DataDirectory()
    let added = try data.kipctl("users", "add", "kobayashi", "--role", "treasury-manager", "--password-stdin", input: "a long enough password\n")
    #expect(added.status == 0, "\(added.error)")
    let token = try data.kipctl("users", "token", "kobayashi", "--label", "laptop")
    #expect(token.status == 0)
    #expect(token.output.hasPrefix("kip_") && token.output != added.output)
    let generated = try data.kipctl("users", "reset-password", "kobayashi")
    #expect(generated.status == 0)
    #expect(generated.output.count == 17, "\(generated.output)")
    let typed = try data.kipctl("users", "reset-password", "kobayashi", "--password-stdin", input: "another long password\n")
    #expect(typed.status == 0)
    #expect(typed.output.isEmpty)
    let disabled = try data.kipctl("users", "disable", "kobayashi")
    #expect(disabled.output == "disabled kobayashi; ended 0 sessions, revoked 2 tokens\n")
    #expect(try data.kipctl("users", "list").output == "kobayashi\ttreasury-manager\t-\tdisabled\tkobayashi\n")
    let refused = try data.kipctl("users", "token", "kobayashi")
    #expect(refused.status == 1)
    #expect(refused.error == "kipctl: the user 'kobayashi' is disabled; enable them first\n")
    #expect(try data.kipctl("users", "enable", "kobayashi").output == "enabled kobayashi\n")
  }

  @Test("set-role changes the role, with an organisation for a partner only; totp enrols and removes a second factor")
  func roleAndTOTP() throws {
    let data = DataDirectory()
    #expect(try data.kipctl("users", "add", "ito", "--role", "succession").status == 0)
    #expect(try data.kipctl("users", "set-role", "ito", "--role", "succession-manager").output == "ito is succession-manager\n")
    let refused = try data.kipctl("users", "set-role", "ito", "--role", "partner")
    #expect(refused.error == "kipctl: a partner user belongs to one network organisation: give its id\n")
    #expect(try data.kipctl("users", "set-role", "ito", "--role", "partner", "--org", "org-7").output == "ito is partner of org-7\n")
    #expect(try data.kipctl("users", "list").output == "ito\tpartner\torg-7\tactive\tito\n")
    let totp = try data.kipctl("users", "totp", "ito").output.split(separator: "\n")
    #expect(totp.count == 2)
    #expect(totp.first?.hasPrefix("otpauth://totp/KIP:ito?secret=\(totp.last ?? "")") == true)
    #expect(try data.kipctl("users", "totp", "ito", "--remove").output == "removed the second factor of ito\n")
  }

  @Test("demo seed adds one user per role with a password, in one append; a second run adds nothing")
  func demoSeed() throws {
    let seeded = try SeededDemo.shared.get()
    let first = seeded.first
    #expect(first.output.contains("demo data seeded: "), "\(first.output)")
    for role in ["desk", "building-manager", "succession", "succession-manager", "partner", "treasury", "treasury-manager", "admin", "auditor"] {
      #expect(first.output.contains("  \(role) "), "\(role) missing from \(first.output)")
      #expect(first.output.contains("kip-demo-\(role)"))
    }
    let head = seeded.headAfterFirst.split(separator: " ").first.map(String.init) ?? ""
    #expect(seeded.second.output.contains("demo data complete: nothing to add (head \(head))"), "\(seeded.second.output)")
    let environment = ["KIP_DATA_DIR": seeded.folder.path]
    let list = try run(executable("kipctl"), ["users", "list"], environment: environment, removing: ["KIP_EVENT_LOG"]).output.split(separator: "\n")
    // One per role, and the succession centre's four more staff (who hold cases, without passwords).
    #expect(list.count == 13)
    #expect(list.contains("partner\tpartner\torg-demo-yokohama-cci\tactive\tデモ 連携支援機関"))
    #expect(list.contains("takahashi.misaki\tsuccession\t-\tactive\t高橋 美咲"))
    // The users come first, in one append for all of them: a single record time.
    let events = try run(executable("kipctl"), ["events", "read", "--log", seeded.log, "--limit", "18"], environment: environment, removing: ["KIP_EVENT_LOG"])
      .output.split(separator: "\n")
    #expect(events.count == 18)
    #expect(events.allSatisfy { $0.split(separator: " ")[1].hasPrefix("user-") || $0.split(separator: " ")[1].hasPrefix("login-") })
    #expect(Set(events.map { $0.split(separator: " ")[3] }).count == 1)
  }
}
