import ArgumentParser

/// The administrators' tool: read, verify, export and back up the log; users; the building's catalogue; demo data; calendar look-ups.
@main
struct KipCtl: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kipctl",
    abstract: "Administer the KIP event log.",
    subcommands: [
      EventsCommand.self, VerifyCommand.self, HeadCommand.self, ExportCommand.self, ImportCommand.self,
      BackupCommand.self, RestoreCommand.self, MigrateCommand.self, ProjectionsCommand.self, CalendarCommand.self,
      UsersCommand.self, BuildingCommand.self, DemoCommand.self,
    ])
}
