import ProjectionFixtures
import ArgumentParser
import EventLog
import EventLogSQLite
import Foundation

/// The read fixture: a large log written by the store's own appends in big batches, with
/// synchronous=NORMAL (building it is not what is measured).
///
/// 1,000 streams in three categories (`booking-`, `case-`, `deposit-`), visited round-robin,
/// 20 events per stream per append, so every append spans several streams as a busy day would.
enum LogFixture {
  static let streamCount = 1000
  static let eventsPerVisit = 20
  /// Largest batch that never writes one stream twice in one append.
  static let maximumBatch = streamCount * eventsPerVisit

  /// Appends `events` events to the log at `path`, `batch` events per append.
  static func build(at path: String, events: Int, batch: Int) async throws {
    guard (1...maximumBatch).contains(batch) else { throw BenchError("a fixture batch has 1 to \(maximumBatch) events") }
    let samples = try EventSamples()
    var configuration = SQLiteConfiguration(path: path)
    configuration.durability = .normal
    let store = try await SQLiteEventStore.open(configuration)
    let categories = (0..<streamCount).map { EventSamples.Category.allCases[$0 % EventSamples.Category.allCases.count] }
    let streams = try (0..<streamCount).map { try StreamName("\(categories[$0].name)-\(String(format: "%04d", $0))") }
    var counts = [Int](repeating: 0, count: streamCount)
    var random = SeededGenerator(seed: 7)
    var written = 0
    var nextStream = 0
    // Time-ordered ids, about ten events per millisecond, starting 2023-03-28.
    let firstMillisecond: Int64 = 1_680_000_000_000
    // One append is prepared while the previous one commits.
    var pending: Task<Void, any Error>?
    while written < events {
      let size = min(batch, events - written)
      var writes: [StreamWrite] = []
      var left = size
      while left > 0 {
        let stream = nextStream % streamCount
        nextStream += 1
        var proposed: [ProposedEvent] = []
        for _ in 0..<min(eventsPerVisit, left) {
          let id = UUIDv7.make(milliseconds: firstMillisecond + Int64(written + size - left) / 10, using: &random)
          proposed.append(samples.event(counts[stream], category: categories[stream], id: id))
          counts[stream] += 1
          left -= 1
        }
        writes.append(StreamWrite(stream: streams[stream], events: proposed))
      }
      try await pending?.value
      let append = Append(writes: writes)
      pending = Task { _ = try await store.append(append) }
      written += size
    }
    try await pending?.value
    await store.close()
  }

  /// Builds the fixture in a child process (`kip-bench fixture`), so that what building it
  /// allocates never shows in this process's memory figures.
  static func buildInChildProcess(at path: String, events: Int, batch: Int) async throws {
    let executable: String
    do { executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") } catch {
      throw BenchError("cannot find this program's executable (/proc/self/exe): \(error.localizedDescription)")
    }
    let process = Process()
    process.executableURL = URL(filePath: executable)
    process.arguments = ["fixture", "--path", path, "--events", String(events), "--batch", String(batch)]
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
      process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
      do { try process.run() } catch {
        process.terminationHandler = nil
        continuation.resume(throwing: BenchError("cannot start \(executable) fixture: \(error.localizedDescription)"))
      }
    }
    guard status == 0 else { throw BenchError("building the fixture failed (kip-bench fixture exited with \(status))") }
  }
}

/// `kip-bench fixture`: builds the read fixture (used by `kip-bench log` in a child process).
struct FixtureCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fixture", abstract: "Build a large realistic log (for kip-bench log's reads).", shouldDisplay: false)

  @Option(help: "The database file to create.") var path: String
  @Option(help: "Events to append.") var events = 1_000_000
  @Option(help: "Events per append.") var batch = 1000

  func validate() throws {
    guard events > 0 else { throw ValidationError("--events must be positive") }
    guard (1...LogFixture.maximumBatch).contains(batch) else {
      throw ValidationError("--batch must be 1 to \(LogFixture.maximumBatch)")
    }
  }

  func run() async throws {
    guard !FileManager.default.fileExists(atPath: path) else { throw BenchError("\(path) exists already: the fixture needs a new file") }
    try await LogFixture.build(at: path, events: events, batch: batch)
  }
}
