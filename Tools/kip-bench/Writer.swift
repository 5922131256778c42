import ArgumentParser
import EventLog
import EventLogSQLite
import Foundation

/// A durable writer for crash tests: prints `ack POSITION` for every append that returned,
/// so a test that kills it with SIGKILL knows exactly what was acknowledged.
struct Writer: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "writer", abstract: "Append small events from concurrent writers, printing each acknowledged position.")

  @Option(help: "The event log (sqlite:///path).") var log: String
  @Option(help: "Concurrent writers, each on its own stream.") var writers = 8
  @Option(help: "Stop after this many acknowledged events.") var count = 1_000_000

  func run() async throws {
    let store = try await SQLiteEventStore.open(try LogLocation(parsing: log))
    let perWriter = max(1, count / max(1, writers))
    try await withThrowingTaskGroup(of: Void.self) { group in
      for writer in 0..<writers {
        group.addTask {
          let stream = try StreamName("crash-\(writer)")
          for n in 0..<perWriter {
            let event = ProposedEvent(type: "Bench.Written", data: Data(#"{"writer":\#(writer),"n":\#(n)}"#.utf8))
            let result = try await store.append(Append([event], to: stream, expecting: n == 0 ? .noStream : .exact(Int64(n - 1))))
            // One write(2) per line, so a kill never leaves half a line behind.
            FileHandle.standardOutput.write(Data("ack \(result.positions[0])\n".utf8))
          }
        }
      }
      try await group.waitForAll()
    }
    await store.close()
  }
}
