import ArgumentParser
import EventLog
import EventLogSQLite
import Foundation
import ProjectionFixtures

/// `kip-bench log`: appends (ours against the raw C API, interleaved), group commit, and reads
/// of a large log.
struct LogBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log", abstract: "Measure appends, group commit, reads, decoding and verification of the SQLite log.")

  @Option(help: "Events in the read fixture.") var events = 1_000_000
  @Option(help: "Rounds of the interleaved append comparison (A B A B …).") var rounds = 3
  @Option(help: "Seconds per append phase.") var seconds = 3.0
  @Option(help: "Concurrent writers for append-concurrent.") var writers = 64
  @Option(help: "Folder for the databases (default: the system temp folder, on disk).") var dir: String?
  @Flag(help: "Small sizes, for a smoke test.") var quick = false
  @Flag(help: "Only the read figures (for working on the read path).") var readsOnly = false

  func run() async throws {
    let folder = try benchFolder(dir)
    defer { try? FileManager.default.removeItem(at: folder) }
    let phase = quick ? 0.3 : seconds
    let fixtureSize = quick ? 20_000 : events
    note("kip-bench log: \(fixtureSize) events, \(rounds) rounds, \(phase) s per phase, \(writers) writers, in \(folder.path)")

    if !readsOnly { try await measureAppends(in: folder, phase: phase) }
    try await measureReads(in: folder, events: fixtureSize)
  }

  func measureAppends(in folder: URL, phase: Double) async throws {
    // Appends, interleaved A B A B so the disk's swings hit both sides alike.
    var ours1: [Double] = [], raw1: [Double] = [], ours100: [Double] = [], raw100: [Double] = []
    for round in 0..<rounds {
      let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: folder.appending(path: "ours-\(round).sqlite").path))
      let raw = try RawLog(path: folder.appending(path: "raw-\(round).sqlite").path)
      let stream = try StreamName("bench-1")
      ours1.append(try await rate(for: phase) { _ = try await store.append(Append([Self.event()], to: stream)); return 1 })
      raw1.append(try await rate(for: phase) { try raw.append([Self.event()], to: "bench-1", now: Date().millisecondsSince1970); return 1 })
      ours100.append(try await rate(for: phase) { _ = try await store.append(Append((0..<100).map { _ in Self.event() }, to: stream)); return 100 })
      raw100.append(try await rate(for: phase) { try raw.append((0..<100).map { _ in Self.event() }, to: "bench-1", now: Date().millisecondsSince1970); return 100 })
      await store.close()
      note("round \(round + 1): append1 \(Int(ours1[round])) raw \(Int(raw1[round])); batch100 \(Int(ours100[round])) raw \(Int(raw100[round]))")
    }
    report("append1", median(ours1), "events/s")
    report("raw-append1", median(raw1), "events/s")
    report("ratio-append1", median(zip(ours1, raw1).map { $0 / $1 }), "x")
    report("batch100", median(ours100), "events/s")
    report("raw-batch100", median(raw100), "events/s")
    report("ratio-batch100", median(zip(ours100, raw100).map { $0 / $1 }), "x")

    // Group commit: many writers in one process, one event per append each.
    let shared = try await SQLiteEventStore.open(SQLiteConfiguration(path: folder.appending(path: "concurrent.sqlite").path))
    let before = shared.transactionCount
    let writers = writers
    let start = ContinuousClock.now
    let deadline = start + .milliseconds(Int(phase * 1000))
    let appended = try await withThrowingTaskGroup(of: Int.self) { group in
      for writer in 0..<writers {
        group.addTask {
          let stream = try StreamName("writer-\(writer)")
          var count = 0
          while ContinuousClock.now < deadline {
            _ = try await shared.append(Append([Self.event()], to: stream))
            count += 1
          }
          return count
        }
      }
      return try await group.reduce(0, +)
    }
    let elapsed = ContinuousClock.now - start
    let transactions = shared.transactionCount - before
    await shared.close()
    report("append-concurrent", Double(appended) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18), "events/s")
    report("mean-batch", Double(appended) / Double(max(1, transactions)), "events/commit")

  }

  func measureReads(in folder: URL, events fixtureSize: Int) async throws {
    // Reads of a large log.
    let path = folder.appending(path: "large.sqlite").path
    let building = try await BenchLog.build(at: path, events: fixtureSize)
    await building.close()
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    resetPeakResident()
    var read = 0
    let readTime = try await timed {
      var after: Int64 = 0
      while true {
        let page = try await store.read(after: after, category: nil, limit: 5000)
        guard let last = page.last else { break }
        read += page.count
        after = last.position
      }
    }
    report("read-all", Double(read) / readTime, "events/s")
    report("read-rss", peakResidentMegabytes(), "MB")

    var verified: Int64 = 0
    let verifyTime = try await timed { verified = try await ChainVerification.verify(store, through: Int64(read)) }
    guard verified == Int64(read) else { throw BenchError("verified \(verified) of \(read)") }
    report("verify", Double(read) / verifyTime, "events/s")

    let codec = Self.codec
    let half = Int64(read / 2)
    let decoded = try await timed {
      try await withThrowingTaskGroup(of: Int.self) { group in
        for (from, to) in [(Int64(0), half), (half, Int64(read))] {
          group.addTask {
            var count = 0
            var after = from
            while after < to {
              let page = try await store.read(after: after, category: nil, limit: Int(min(5000, to - after)))
              guard let last = page.last else { break }
              for event in page {
                _ = try codec.decode(event)
                count += 1
              }
              after = last.position
            }
            return count
          }
        }
        let total = try await group.reduce(0, +)
        guard total == read else { throw BenchError("decoded \(total) of \(read)") }
      }
    }
    report("decode-all", Double(read) / decoded, "events/s")
    await store.close()
  }

  static func event() -> ProposedEvent {
    ProposedEvent(
      type: "Bench.Appended", data: Data(#"{"booking":12345,"room":"room-301","date":"2023-02-15","seats":24,"note":"定例会議"}"#.utf8),
      metadata: Data(#"{"actor":"u-0042","role":"desk","correlationID":"req-1"}"#.utf8))
  }

  /// The synthetic bookings decoded into typed events, as a context would.
  enum Booking: Sendable {
    case requested(Requested), confirmed(Confirmed), cancelled(Cancelled)
  }

  struct Requested: RecordableEvent {
    static let eventType = SyntheticBookings.requested
    static let schemaVersion = 1
    var booking: Int
    var room: String
    var date: String
    var seats: Int
  }

  struct Confirmed: RecordableEvent {
    static let eventType = SyntheticBookings.confirmed
    static let schemaVersion = 1
    var booking: Int
  }

  struct Cancelled: RecordableEvent {
    static let eventType = SyntheticBookings.cancelled
    static let schemaVersion = 1
    var booking: Int
  }

  static var codec: EventCodec<Booking> {
    var codec = EventCodec<Booking>()
    codec.register(Requested.self, embed: Booking.requested) { if case .requested(let e) = $0 { e } else { nil } }
    codec.register(Confirmed.self, embed: Booking.confirmed) { if case .confirmed(let e) = $0 { e } else { nil } }
    codec.register(Cancelled.self, embed: Booking.cancelled) { if case .cancelled(let e) = $0 { e } else { nil } }
    return codec
  }
}
