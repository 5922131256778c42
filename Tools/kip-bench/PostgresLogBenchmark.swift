import EventLog
import EventLogPostgres
import EventLogSQLite
import Foundation

/// `kip-bench log --log postgres://…`: the same figures as on SQLite, on a PostgreSQL log.
///
/// The database must be empty: the read fixture (built as on SQLite, by a child process) is
/// imported first (`import` figure: what `kipctl migrate` does), read, verified and decoded;
/// then appends are measured on top of it. The raw baseline on PostgreSQL is pgbench
/// (Tools/kip-bench/pgbench/), run beside this with the same server.
struct PostgresLogBenchmark {
  let location: LogLocation
  let folder: URL
  let rounds: Int
  let phase: Double
  let writers: Int
  let events: Int
  let page: Int
  let fixtureBatch: Int

  func run() async throws {
    var configuration = try PostgresConfiguration(url: location.description)
    configuration.maximumConnections = Swift.max(configuration.maximumConnections, writers + 4)
    let store = try await PostgresEventStore.open(configuration)
    guard try await store.head().position == 0 else {
      throw BenchError("\(configuration.redactedDescription) is not empty: the benchmark needs an empty database")
    }
    note("kip-bench log on \(configuration.redactedDescription): \(events) events, \(rounds) rounds, \(phase) s per phase, \(writers) writers")
    note("load average at the start: \(loadAverages)")
    let samples = try EventSamples()

    // The read fixture, imported in pages as kipctl migrate does.
    let path = folder.appending(path: "fixture.sqlite").path
    try await LogFixture.buildInChildProcess(at: path, events: events, batch: fixtureBatch)
    let source = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    let importTime = try await timed {
      var after: Int64 = 0
      while true {
        let page = try await source.read(after: after, category: nil, limit: 5000)
        guard let last = page.last else { break }
        try await store.importRecorded(page)
        after = last.position
      }
    }
    await source.close()
    report("import", Double(events) / importTime, "events/s")

    let head = try await store.head().position
    guard head == Int64(events) else { throw BenchError("the fixture has \(head) events, not \(events)") }
    let reads = ReadMeasurements(store: store, head: head, pageSize: page)
    let (read, readTime) = try await reads.readAll()
    report("read-all", Double(read) / readTime, "events/s")
    let verifyTime = try await reads.verify()
    report("verify", Double(read) / verifyTime, "events/s")
    let decodeTime = try await reads.decodeInHalves(with: FixtureEvent.codec)
    report("decode-all", Double(read) / decodeTime, "events/s")

    var append1: [Double] = [], batch100: [Double] = [], concurrent: [Double] = []
    var concurrentEvents = 0, concurrentRounds = 0
    let stream = try StreamName("booking-bench")
    for round in 0..<rounds {
      let one = try await rate(for: phase) {
        _ = try await store.append(Append([samples.event(0, category: .booking, id: UUIDv7.make())], to: stream))
        return 1
      }
      let before = store.sealRounds
      let start = ContinuousClock.now
      let deadline = start + .milliseconds(Int(phase * 1000))
      let appended = try await samples.appendConcurrently(to: store, writers: writers, until: deadline)
      let many = Double(appended) / seconds(ContinuousClock.now - start)
      concurrentEvents += appended
      concurrentRounds += store.sealRounds - before
      let hundred = try await rate(for: phase) {
        _ = try await store.append(Append((0..<100).map { _ in samples.event(0, category: .booking, id: UUIDv7.make()) }, to: stream))
        return 100
      }
      note("round \(round + 1): append1 \(Int(one)), concurrent \(Int(many)) with \(writers) writers, batch100 \(Int(hundred))")
      append1.append(one)
      concurrent.append(many)
      batch100.append(hundred)
    }
    report("append1", median(append1), "events/s")
    report("batch100", median(batch100), "events/s")
    report("append-concurrent", median(concurrent), "events/s")
    report("mean-batch", Double(concurrentEvents) / Double(Swift.max(1, concurrentRounds)), "events/seal")
    report("ratio-concurrent", median(concurrent) / Swift.max(1, median(append1)), "x")
    let final = try await store.head()
    note("head \(final.position), sealed through \(final.sealedThrough); load average at the end: \(loadAverages)")
    await store.close()
  }
}
