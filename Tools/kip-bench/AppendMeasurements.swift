import EventLog
import EventLogSQLite
import Foundation

/// Durable appends, ours against the raw C baseline, interleaved.
///
/// The disk's flush rate swings up to 25× within minutes, so only figures taken back to back are
/// compared: each round runs ours and the baseline side by side (A B, then B A in the next round,
/// so a drift hits both alike), and each ratio is taken within its round; the reported ratio is
/// the median of the rounds' ratios. Each round uses new database files.
struct AppendMeasurements {
  let folder: URL
  let rounds: Int
  /// Seconds per phase (one side of one comparison).
  let phase: Double
  let writers: Int
  let samples: EventSamples

  /// The figures of one round, in events/s (mean batch in events per commit).
  struct Round {
    var append1 = 0.0, rawAppend1 = 0.0, batch100 = 0.0, rawBatch100 = 0.0
    var concurrent = 0.0, concurrentEvents = 0, concurrentCommits = 0
  }

  func run() async throws -> [Round] {
    var results: [Round] = []
    for round in 0..<rounds {
      let oursFirst = round.isMultiple(of: 2)
      var figures = Round()
      let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: folder.appending(path: "ours-\(round).sqlite").path))
      let raw = try RawLog(path: folder.appending(path: "raw-\(round).sqlite").path)
      if round == 0 {
        let ours = try await store.synchronousSetting()
        note("PRAGMA synchronous: ours \(ours), raw \(raw.synchronousSetting()) (2 = FULL)")
      }
      let stream = try StreamName("booking-bench")

      // One event per append.
      for side in oursFirst ? [true, false] : [false, true] {
        if side {
          figures.append1 = try await rate(for: phase) {
            _ = try await store.append(Append([event()], to: stream))
            return 1
          }
        } else {
          figures.rawAppend1 = try await rate(for: phase) {
            try raw.append([event()], to: stream, now: Date().millisecondsSince1970)
            return 1
          }
        }
      }

      // Group commit, between the two comparisons so it sits close to this round's append1.
      (figures.concurrent, figures.concurrentEvents, figures.concurrentCommits) = try await concurrent(
        path: folder.appending(path: "concurrent-\(round).sqlite").path)

      // A hundred events per append.
      for side in oursFirst ? [false, true] : [true, false] {
        if side {
          figures.batch100 = try await rate(for: phase) {
            _ = try await store.append(Append((0..<100).map { _ in event() }, to: stream))
            return 100
          }
        } else {
          figures.rawBatch100 = try await rate(for: phase) {
            try raw.append((0..<100).map { _ in event() }, to: stream, now: Date().millisecondsSince1970)
            return 100
          }
        }
      }
      await store.close()
      note(
        "round \(round + 1): append1 \(Int(figures.append1)) raw \(Int(figures.rawAppend1)) "
          + "(\(String(format: "%.2f", figures.append1 / figures.rawAppend1))x); "
          + "concurrent \(Int(figures.concurrent)) (\(String(format: "%.1f", figures.concurrent / figures.append1))x append1, "
          + "\(String(format: "%.1f", Double(figures.concurrentEvents) / Double(max(1, figures.concurrentCommits)))) per commit); "
          + "batch100 \(Int(figures.batch100)) raw \(Int(figures.rawBatch100)) "
          + "(\(String(format: "%.2f", figures.batch100 / figures.rawBatch100))x)")
      results.append(figures)
    }
    return results
  }

  /// `writers` tasks appending one event at a time, each to its own stream, for one phase.
  /// Answers events/s, events appended and the commits they took.
  private func concurrent(path: String) async throws -> (Double, Int, Int) {
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    let samples = samples
    let before = store.transactionCount
    let start = ContinuousClock.now
    let deadline = start + .milliseconds(Int(phase * 1000))
    let appended = try await samples.appendConcurrently(to: store, writers: writers, until: deadline)
    let elapsed = seconds(ContinuousClock.now - start)
    let commits = store.transactionCount - before
    await store.close()
    return (Double(appended) / elapsed, appended, commits)
  }

  /// A realistic event (a booking request of about 330 bytes) with a fresh time-ordered id.
  private func event() -> ProposedEvent {
    samples.event(0, category: .booking, id: UUIDv7.make())
  }
}
