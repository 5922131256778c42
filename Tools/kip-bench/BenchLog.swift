import EventLog
import EventLogSQLite
import Foundation
import ProjectionFixtures

/// The large read fixture: synthetic bookings (about 100–200 bytes of JSON each, tens of
/// thousands of streams), appended in big batches with synchronous=NORMAL — only building it
/// is not what is measured.
enum BenchLog {
  static func build(at path: String, events: Int) async throws -> SQLiteEventStore {
    var configuration = SQLiteConfiguration(path: path)
    configuration.durability = .normal
    let store = try await SQLiteEventStore.open(configuration)
    let chunk = 10_000
    var written = 0
    var round: UInt64 = 0
    while written < events {
      let count = min(chunk, events - written)
      try await SyntheticBookings.append(count: count, seed: 1000 + round, to: store, batch: 1000, firstBooking: Int(round) * chunk + 1)
      written += count
      round += 1
    }
    return store
  }
}
