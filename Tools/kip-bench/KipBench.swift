import ArgumentParser

/// Measurements of the platform, printed as `NAME VALUE UNIT` lines (docs/benchmarks.md), and
/// the crash-test writer.
@main
struct KipBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kip-bench",
    abstract: "Measure the event log and projections on this machine.",
    subcommands: [LogBenchmark.self, RebuildBenchmark.self, Writer.self, FixtureCommand.self])
}
