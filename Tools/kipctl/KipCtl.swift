import ArgumentParser
import Foundation

/// The administrators' tool: read, verify, export and back up the log; users; the building's catalogue; the treasury's bank files; demo data; calendar look-ups.
@main
struct KipCtl: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kipctl",
    abstract: "Administer the KIP event log.",
    subcommands: [
      EventsCommand.self, VerifyCommand.self, HeadCommand.self, ExportCommand.self, ImportCommand.self,
      BackupCommand.self, RestoreCommand.self, MigrateCommand.self, ProjectionsCommand.self, CalendarCommand.self,
      UsersCommand.self, BuildingCommand.self, DepositsCommand.self, DemoCommand.self,
    ])

  /// ArgumentParser's own `main`, except that a failure is one line, `kipctl: <message>`, on
  /// stderr: its default adds a usage line and a `See 'kipctl … --help'` hint to errors from
  /// parsing and `validate()`, and scripts that read stderr want the reason alone. Help and
  /// version requests still print in full on stdout and exit 0; exit codes are ArgumentParser's
  /// (64 for usage errors, 1 for other failures, or the `ExitCode` thrown).
  static func main() async {
    do {
      var command = try await asyncParseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      let code = exitCode(for: error)
      if code == .success { exit(withError: error) }
      let message = oneLine(Self.message(for: error))
      if !message.isEmpty { printErr("kipctl: \(message)") }
      Foundation.exit(code.rawValue)
    }
  }

  /// A message folded onto one line (an error's description may span several).
  static func oneLine(_ message: String) -> String {
    message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      .joined(separator: " ")
  }
}
