import ArgumentParser
import EventLog
import EventLogSQLite
import Foundation

/// `kip-bench log`: durable appends (ours against the raw C API, interleaved), group commit,
/// and reads, verification and decoding of a large log, on the real SQLite backend.
///
/// Prints one `NAME VALUE UNIT` line per figure, and `# …` lines with what was done.
struct LogBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log", abstract: "Measure appends, group commit, reads, decoding and verification of the SQLite log.")

  @Option(help: "Events in the read fixture.") var events = 1_000_000
  @Option(help: "Rounds of the interleaved append comparison (A B, B A, …).") var rounds = 3
  @Option(help: "Seconds per append phase.") var seconds = 3.0
  @Option(help: "Concurrent writers for append-concurrent.") var writers = 64
  @Option(help: "Events per page when reading.") var page = 5000
  @Option(help: "Events per append when building the read fixture.") var fixtureBatch = 1000
  @Option(help: "Folder for the databases (default: the system temp folder; never tmpfs for durable figures).")
  var dir: String?
  @Option(help: "Measure this log instead of SQLite files: postgres://… (an empty database; see PostgresLogBenchmark).")
  var log: String?
  @Flag(help: "Small sizes, for a smoke test.") var quick = false
  @Flag(help: "Only the read figures (for working on the read path).") var readsOnly = false

  func validate() throws {
    guard events > 1 else { throw ValidationError("--events must be at least 2") }
    guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
    guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
    guard writers > 0 else { throw ValidationError("--writers must be positive") }
    guard page > 0 else { throw ValidationError("--page must be positive") }
    if let log {
      guard case .postgres = try? LogLocation(parsing: log) else { throw ValidationError("--log takes a postgres:// location") }
    }
    guard (1...LogFixture.maximumBatch).contains(fixtureBatch) else {
      throw ValidationError("--fixture-batch must be 1 to \(LogFixture.maximumBatch)")
    }
  }

  func run() async throws {
    if let log {
      let folder = try benchFolder(dir)
      defer { try? FileManager.default.removeItem(at: folder) }
      try await PostgresLogBenchmark(
        location: try LogLocation(parsing: log), folder: folder, rounds: rounds, phase: quick ? 0.3 : seconds, writers: writers,
        events: quick ? 20_000 : events, page: page, fixtureBatch: fixtureBatch
      ).run()
      return
    }
    let folder = try benchFolder(dir)
    defer { try? FileManager.default.removeItem(at: folder) }
    let phase = quick ? 0.3 : seconds
    let fixtureSize = quick ? 20_000 : events
    note("kip-bench log: \(fixtureSize) events, \(rounds) rounds, \(phase) s per phase, \(writers) writers, in \(folder.path)")
    if isInMemoryFileSystem(folder.path) {
      note("WARNING: \(folder.path) is on a RAM file system: the durable figures mean nothing here (use --dir)")
    }
    note("load average at the start: \(loadAverages)")
    let samples = try EventSamples()
    let sizes = samples.meanSizes
    note("events: \(sizes.data) bytes of JSON data and \(sizes.metadata) of metadata on average")

    if !readsOnly {
      try await measureAppends(in: folder, phase: phase, samples: samples)
    }
    try await measureReads(in: folder, events: fixtureSize)
    note("load average at the end: \(loadAverages)")
  }

  private func measureAppends(in folder: URL, phase: Double, samples: EventSamples) async throws {
    let results = try await AppendMeasurements(folder: folder, rounds: rounds, phase: phase, writers: writers, samples: samples).run()
    report("append1", median(results.map(\.append1)), "events/s")
    report("raw-append1", median(results.map(\.rawAppend1)), "events/s")
    report("ratio-append1", median(results.map { $0.append1 / $0.rawAppend1 }), "x")
    report("batch100", median(results.map(\.batch100)), "events/s")
    report("raw-batch100", median(results.map(\.rawBatch100)), "events/s")
    report("ratio-batch100", median(results.map { $0.batch100 / $0.rawBatch100 }), "x")
    report("append-concurrent", median(results.map(\.concurrent)), "events/s")
    let events = results.map(\.concurrentEvents).reduce(0, +)
    let commits = results.map(\.concurrentCommits).reduce(0, +)
    report("mean-batch", Double(events) / Double(max(1, commits)), "events/commit")
    report("ratio-concurrent", median(results.map { $0.concurrent / $0.append1 }), "x")
  }

  private func measureReads(in folder: URL, events: Int) async throws {
    let path = folder.appending(path: "large.sqlite").path
    let buildTime = try await timed {
      try await LogFixture.buildInChildProcess(at: path, events: events, batch: fixtureBatch)
    }
    let fileSize = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    note(
      "fixture: \(events) events in \(LogFixture.streamCount) streams, \(fixtureBatch) per append, built in "
        + "\(String(format: "%.1f", buildTime)) s by a child process (\(fileSize / 1_048_576) MB)")

    note("load average before the reads: \(loadAverages)")
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    let head = try await store.head().position
    guard head == Int64(events) else { throw BenchError("the fixture has \(head) events, not \(events)") }
    let reads = ReadMeasurements(store: store, head: head, pageSize: page)

    // Peak memory of the read phase alone: the mark is reset just before it, and read just after.
    let reset = ResidentMemory.resetPeak()
    let baseline = ResidentMemory.currentMegabytes ?? 0
    let (read, readTime) = try await notingCPU("read-all", events: events) { try await reads.readAll() }
    let peak = ResidentMemory.peakMegabytes ?? -1
    report("read-all", Double(read) / readTime, "events/s")
    report("read-rss", peak, "MB")
    note(
      "read-all: two scans side by side (one per half of the log), each lending its events in pages of \(page); "
        + "read-rss: peak VmHWM during read-all"
        + (reset ? ", reset just before it; RSS was \(String(format: "%.1f", baseline)) MB then" : "; the peak could not be reset, so it is the whole process's"))
    let oneScan = try await notingCPU("read-all, one scan", events: events) { try await reads.readAll(scans: 1) }
    note("read-all by one scan alone: \(Int(Double(oneScan.events) / oneScan.seconds)) events/s")
    let recordsReset = ResidentMemory.resetPeak()
    let recordsTime = try await notingCPU("read-all as records", events: events) { try await reads.readRecords() }
    let recordsPeak = recordsReset ? String(format: "%.1f", ResidentMemory.peakMegabytes ?? -1) + " MB" : "unknown"
    note(
      "read-all as RecordedEvents through read() (one reader; the store halves pages and reads ahead): "
        + "\(Int(Double(read) / recordsTime)) events/s, peak RSS \(recordsPeak)")

    let verifyTime = try await notingCPU("verify", events: events) { try await reads.verify() }
    report("verify", Double(read) / verifyTime, "events/s")
    let verifyOneCore = try await reads.verifyOnOneCore()
    note("verify: ChainVerification (kipctl verify's), two parts side by side; on one core (one ChainVerifier over one scan): \(Int(Double(read) / verifyOneCore)) events/s")

    let decodeTime = try await notingCPU("decode-all", events: events) { try await reads.decodeInHalves(with: FixtureEvent.codec) }
    report("decode-all", Double(read) / decodeTime, "events/s")
    let decoding = try await reads.decodingAlone(with: FixtureEvent.codec)
    note(
      "decode-all: two scans side by side, each decoding its half from the lent bytes; decoding alone "
        + "(50,000 events copied out first) ran at \(Int(decoding)) events/s on one core; "
        + "peak RSS from the records read to here \(String(format: "%.1f", ResidentMemory.peakMegabytes ?? -1)) MB")
    await store.close()
  }
}
