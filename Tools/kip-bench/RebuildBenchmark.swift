import ArgumentParser
import EventLog
import EventLogSQLite
import Foundation
import ProjectionFixtures
import Projections

/// `kip-bench rebuild`: a realistic projection (two tables, an index) rebuilt from a large log.
struct RebuildBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rebuild", abstract: "Measure a projection rebuilt from a large log.")

  @Option(help: "Events in the log.") var events = 1_000_000
  @Option(help: "Events per page read from the log and per transaction of a live projection.") var batch = 5000
  @Option(help: "Events per transaction while a generation is built (at least --batch).")
  var rebuildBatch = ProjectionRunner.defaultRebuildBatchSize
  @Option(help: "Folder for the databases (default: the system temp folder, on disk).") var dir: String?
  @Flag(help: "Small sizes, for a smoke test.") var quick = false

  func run() async throws {
    let folder = try benchFolder(dir)
    defer { try? FileManager.default.removeItem(at: folder) }
    let size = quick ? 20_000 : events
    note(
      "kip-bench rebuild: \(size) events, pages of \(batch), \(max(batch, rebuildBatch)) per rebuild transaction, in \(folder.path)")
    note("load average at the start: \(loadAverages)")
    let store = try await BenchLog.build(at: folder.appending(path: "large.sqlite").path, events: size)
    let runner = try ProjectionRunner(
      path: folder.appending(path: "readmodel.sqlite").path, store: store, projections: [BookingsProjection()], batchSize: batch,
      rebuildBatchSize: rebuildBatch)
    let time = try await notingCPU("rebuild", events: size) { try await timed { try await runner.catchUp() } }
    let status = try await runner.status()
    guard status.first?.position == Int64(size) else { throw BenchError("rebuilt to \(status.first?.position ?? 0) of \(size)") }
    report("rebuild", Double(size) / time, "events/s")
    note("load average at the end: \(loadAverages)")
    await store.close()
  }
}
