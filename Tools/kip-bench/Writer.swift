import ArgumentParser
import EventLog
import EventLogSQLite
import Foundation
import Synchronization

/// `kip-bench writer`: a durable writer for crash tests.
///
/// N tasks each append one small event at a time to their own stream `crash-<writer>`, with an
/// exact expected version they track themselves, and print `ack <position>` for every append
/// that returned, with one `write(2)` per line (nothing buffered), so a test that kills the
/// process with SIGKILL knows exactly which positions were acknowledged — and every one of them
/// must be in the log afterwards. Exactly `count` appends are acknowledged, then it exits.
struct Writer: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "writer", abstract: "Append small events from concurrent writers, printing each acknowledged position.")

  @Option(help: "The event log (sqlite:///path/events.sqlite), opened with the default durable configuration.")
  var log: String
  @Option(help: "Concurrent writers, each on its own stream crash-<writer>.") var writers = 8
  @Option(help: "Stop after this many acknowledged events.") var count = 1_000_000

  func validate() throws {
    guard writers > 0 else { throw ValidationError("--writers must be positive") }
    guard count >= 0 else { throw ValidationError("--count must not be negative") }
  }

  func run() async throws {
    let store = try await SQLiteEventStore.open(try LogLocation(parsing: log))
    let tickets = Tickets(count)
    do {
      try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<writers {
          group.addTask {
            let stream = try StreamName("crash-\(writer)")
            // A restarted writer continues its stream where the log has it.
            var version = try await store.version(of: stream)
            var n = (version ?? -1) + 1
            while tickets.take() {
              let event = ProposedEvent(
                type: "Bench.CrashWritten", data: Data(#"{"writer":\#(writer),"n":\#(n)}"#.utf8),
                metadata: Data(#"{"source":"kip-bench writer"}"#.utf8))
              let result = try await store.append(Append([event], to: stream, expecting: version.map { .exact($0) } ?? .noStream))
              guard let position = result.lastPosition else { throw BenchError("an append to \(stream) answered no position") }
              try FileHandle.standardOutput.write(contentsOf: Data("ack \(position)\n".utf8))
              version = result.version(of: stream) ?? (version ?? -1) + 1
              n += 1
            }
          }
        }
        try await group.waitForAll()
      }
    } catch {
      await store.close()
      throw error
    }
    await store.close()
  }
}

/// The appends still to be made, shared by the writers: each takes one before appending.
private final class Tickets: Sendable {
  private let left: Atomic<Int>

  init(_ count: Int) { left = Atomic(count) }

  /// Takes one ticket; false when none are left.
  func take() -> Bool {
    left.subtract(1, ordering: .relaxed).newValue >= 0
  }
}
